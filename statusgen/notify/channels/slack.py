"""A message as a Slack incoming webhook's JSON body: Block Kit, with the status colour bar.

Slack reads `mrkdwn` text as markup: `<!channel>` pings everyone, `<url|text>` makes a link
whose words hide where it goes. What authors wrote (the update's body, customer actions,
titles) therefore goes either into `plain_text` objects, which Slack never parses, or into
mrkdwn escaped as Slack documents (&, <, > as entities). `link_names` is never set, so a bare
"@channel" stays text. Limits (50 blocks, 3,000 characters a text, 2,000 a field, 150 a
header, 75 a button) are met by cutting, never by leaving Slack to refuse the message.
"""

from __future__ import annotations

import html
from collections.abc import Callable
from typing import Any

from statusgen.notify.channels.limits import cut, fit
from statusgen.notify.message import Message

MAX_TEXT = 3000  # a section's text object
MAX_FIELD = 2000  # one of a section's fields, and a context element's text
MAX_FIELDS = 10
MAX_HEADER = 150
MAX_BUTTON = 75
MAX_URL = 3000


def payload(message: Message) -> dict[str, Any]:
    """The body to POST to the webhook: `text` is what notifications and old clients show."""
    blocks = [
        {"type": "header", "text": _plain(cut(message.headline, MAX_HEADER))},
        _mrkdwn_section(_title_link(message)),
        {"type": "section", "fields": _fields(message)},
        *_components(message),
        *_body(message),
        *_actions(message),
        *_context(*_later(message)),
        {
            "type": "actions",
            "elements": [
                {
                    "type": "button",
                    "action_id": "view",
                    "text": _plain(cut(message.words.view, MAX_BUTTON)),
                    "url": message.url[:MAX_URL],
                }
            ],
        },
        *_context(_inline(message.words.footer)),
    ]
    status = _context(_inline(message.status_label, f"*{escape(message.words.status)}:* "))
    return {
        "text": message.subject,
        "blocks": blocks,
        "attachments": [{"color": message.color, "blocks": status}],
        "unfurl_links": False,
        "unfurl_media": False,
    }


def escape(text: str) -> str:
    """`text` as mrkdwn shows it literally: Slack's three entities, and nothing else (Slack
    decodes no other entity, so a quote must stay a quote)."""
    return html.escape(text, quote=False)


def _fits(limit: int) -> Callable[[str], bool]:
    """Whether a piece of text, once escaped, has at most `limit` characters."""
    return lambda piece: len(escape(piece)) <= limit


def _inline(text: str, head: str = "", limit: int = MAX_FIELD) -> str:
    """`head` (mrkdwn already) then `text` escaped, cut so that the whole fits `limit`."""
    return head + escape(fit(text, _fits(limit - len(head))))


def _plain(text: str) -> dict[str, Any]:
    return {"type": "plain_text", "text": text}


def _mrkdwn_section(text: str) -> dict[str, Any]:
    return {"type": "section", "text": {"type": "mrkdwn", "text": text}}


def _title_link(message: Message) -> str:
    """The title, bold, linking to the page. Slack ends a link's text at the first `|` or `>`
    and has no escape for `|`: the title shows U+2223 (∣, which looks the same) instead."""
    url = escape(message.url.replace("|", "%7C"))
    room = MAX_TEXT - len(f"*<{url}|>*")
    title = fit(message.title.replace("|", "∣"), _fits(room))
    return f"*<{url}|{escape(title)}>*"


def _labelled(label: str, value: str) -> str:
    return _inline(value, f"*{escape(label)}*\n")


def _fields(message: Message) -> list[dict[str, Any]]:
    """Status, severity (incidents) and when: the facts Slack lays out in two columns. The
    time has no label of its own: a date reads as one."""
    words = message.words
    texts = [_labelled(words.status, message.status_label)]
    if message.severity_label:
        texts.append(_labelled(words.severity, message.severity_label))
    texts.append(_inline(message.at_text))
    return [{"type": "mrkdwn", "text": text} for text in texts[:MAX_FIELDS]]


def _listed(label: str, lines: list[str]) -> list[dict[str, Any]]:
    """One section: a bold label over a bulleted list, cut to a section's limit."""
    if not lines:
        return []
    listed = "\n".join(f"• {line}" for line in lines)
    return [_mrkdwn_section(_inline(listed, f"*{escape(label)}*\n", MAX_TEXT))]


def _components(message: Message) -> list[dict[str, Any]]:
    """All the components in one section, whatever their number: a block each would spend
    the message's 50 blocks on a large site."""
    return _listed(
        message.words.affected,
        [f"{c.name} — {c.label}" if c.label else c.name for c in message.components],
    )


def _body(message: Message) -> list[dict[str, Any]]:
    """The update's text as plain_text, which Slack shows as written and never reads as markup
    or mentions. A longer one ends with "…" and where the rest is."""
    if not message.body.strip():
        return []
    rest = f"\n\n{message.words.view}: {message.url}"
    return [{"type": "section", "text": _plain(cut(message.body, MAX_TEXT, rest))}]


def _actions(message: Message) -> list[dict[str, Any]]:
    return _listed(message.words.actions, list(message.actions))


def _later(message: Message) -> list[str]:
    """The maintenance window and when the next update is due, as context elements."""
    later = []
    if message.window_text:
        later.append(_inline(message.window_text, f"*{escape(message.words.window)}:* "))
    if message.next_update_text:
        later.append(_inline(message.next_update_text))
    return later


def _context(*texts: str) -> list[dict[str, Any]]:
    """A context block (small grey text) of mrkdwn elements, none when there is no text."""
    elements = [{"type": "mrkdwn", "text": text} for text in texts if text]
    return [{"type": "context", "elements": elements}] if elements else []
