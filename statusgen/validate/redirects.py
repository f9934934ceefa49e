"""The content folder's `_redirects` → Redirect rules: old addresses that keep working.

Netlify's format, one rule a line: `FROM  TO  [STATUS]`, `#` for comments. Only what an old
address needs is accepted: FROM a path on this site, TO a path on this site or an https://
address, STATUS 301 (the default), 302, 307, 308 or 410. Anything else (a rewrite with 200,
query matching, a proxy to another host) would let content change how the site is served,
so it is an error naming the line.
"""

from __future__ import annotations

import re

from statusgen.content.loader import REDIRECTS
from statusgen.errors import ContentError, Source
from statusgen.model import Redirect

STATUSES = {301, 302, 307, 308, 410}
MAX_RULES = 20_000
_PATH = re.compile(r"/[A-Za-z0-9._~!$&'()*+,;=:@%/-]*")
_URL = re.compile(r"https://[A-Za-z0-9.-]+(?::\d+)?(?:/[A-Za-z0-9._~!$&'()*+,;=:@%/?#-]*)?")


def redirects(text: str | None, errors: list[ContentError]) -> tuple[Redirect, ...]:
    if text is None:
        return ()
    found: list[Redirect] = []
    example = "write 'FROM TO [STATUS]', e.g. '/incidents/abc123  /incidents/2022-05-01-api/  301'"
    for number, line in enumerate(text.splitlines(), 1):
        words = line.split("#", 1)[0].split()
        if not words:
            continue
        source = Source(REDIRECTS, number)

        def error(message: str, hint: str = example, where: Source = source) -> None:
            errors.append(ContentError(where, None, message, hint))

        if len(words) not in (2, 3):
            error(f"expected 2 or 3 words, got {len(words)}")
            continue
        old, new = words[0], words[1]
        status_word = words[2] if len(words) == 3 else "301"
        if not _PATH.fullmatch(old):
            error(f"'{old}' is not a path on this site", "start it with / (no host, no query)")
            continue
        if not (_PATH.fullmatch(new) or _URL.fullmatch(new)):
            error(f"'{new}' is neither a path on this site nor an https:// address")
            continue
        if not status_word.isdigit() or int(status_word) not in STATUSES:
            error(
                f"status '{status_word}' is not allowed here",
                "use 301 (moved for good, the default), 302, 307, 308 or 410 (gone)",
            )
            continue
        found.append(Redirect(old, new, int(status_word), source))
        if len(found) > MAX_RULES:
            error(f"more than {MAX_RULES:,} rules", "Netlify reads only the first 10,000 well")
            break
    return tuple(found)
