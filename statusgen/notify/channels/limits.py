"""Shortening text to a chat tool's limits without cutting a word in two.

Every tool refuses a message whose texts are too long (Slack answers `invalid_blocks`,
Discord `400`, Teams drops the card), and an outage update pasted with its logs can be
longer than any of them. A text that does not fit is cut after its last whole word, marked
with "…", and may end with a pointer to the page, where the whole text always is.
"""

from __future__ import annotations

from collections.abc import Callable

ELLIPSIS = "…"


def cut(text: str, limit: int, tail: str = "") -> str:
    """`text` if it has at most `limit` characters; otherwise its longest start that ends at a
    word boundary, then "…" and `tail`, all within `limit`.

    A single word longer than the room (a pasted URL or hash) is cut where the room ends: a
    text that fits matters more than a whole word. `tail` is dropped when even it does not fit.
    """
    if len(text) <= limit:
        return text
    room = limit - len(ELLIPSIS) - len(tail)
    if room < 0:
        return cut(text, limit) if tail else ELLIPSIS[:limit]
    head = text[:room]
    if not text[room].isspace():
        boundary = max((i for i, c in enumerate(head) if c.isspace()), default=0)
        head = head[:boundary] or head
    return head.rstrip() + ELLIPSIS + tail


def fit(text: str, fits: Callable[[str], bool], tail: str = "") -> str:
    """The longest of `text`'s cuts (as `cut` makes them, with `tail`) that `fits` accepts.

    For limits that are not a count of this text's characters: Slack's, counted after
    escaping, or Teams', counted in bytes of the whole card. `fits` must accept every shorter
    cut of a cut it accepts; when it accepts none, the text is left out ("").
    """
    if fits(text):
        return text
    low, high = 0, len(text)  # fits(cut(text, low)) is assumed, cut(text, high) is text
    while high - low > 1:
        middle = (low + high) // 2
        if fits(cut(text, middle, tail)):
            low = middle
        else:
            high = middle
    found = cut(text, low, tail)
    return found if fits(found) else ""
