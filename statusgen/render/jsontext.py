"""How every JSON file of the site is written: one shape for the API, uptime, events, badges.

Compact, because the standard library's C encoder serves only compact output: an indented
document goes through its pure-Python encoder, four to five times slower (30 ms of a
100-incident build, most of it the incident list and the uptime history) and a third larger
for every client that polls it. Statuspage's own API answers compact JSON too. Key order as
built (the order of real captures), UTF-8 rather than escapes, and a final newline so that
the file is a text file. Golden-file tests show a difference indented (tests/golden).
"""

from __future__ import annotations

import json


def json_text(document: object) -> str:
    return json.dumps(document, ensure_ascii=False, separators=(",", ":")) + "\n"
