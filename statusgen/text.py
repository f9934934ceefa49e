"""Text that any XML 1.0 document (and an iCalendar TEXT value) can carry.

Titles and messages come from people typing during an outage: a pasted terminal line can
hold an escape sequence (ESC, U+001B) or a NUL, which XML 1.0 cannot represent even as a
character reference. lxml refuses such strings outright and ElementTree writes them into a
file no parser will read, so every text handed to feedgen, icalendar or ElementTree goes
through `xml_safe` first. Escaping (`<`, `&`, `]]>`) stays the libraries' job.
"""

from __future__ import annotations

import re
import unicodedata

# XML 1.0 `Char` allows #x9 | #xA | #xD | [#x20-#xD7FF] | [#xE000-#xFFFD] | [#x10000-#x10FFFF].
# DEL and the C1 controls (U+007F-U+009F) are allowed but "discouraged" by XML and forbidden
# by RFC 5545 in TEXT values; they never carry meaning in a status message, so they go too.
# Written as the forbidden ranges rather than the negated allowed ones: the same set, but
# it compiles in 1 ms instead of 10 (a negated class spanning all of Unicode is costly to
# compile, and every command imports this module).
_FORBIDDEN = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ud800-\udfff\ufffe\uffff]")


def xml_safe(text: str) -> str:
    """`text` without the characters XML 1.0 forbids: control characters other than tab,
    newline and carriage return, lone surrogates, U+FFFE and U+FFFF (also DEL and C1)."""
    return _FORBIDDEN.sub("", text)


# What a value read from a file may not hold, however it was written (raw, or as a YAML
# escape such as \0, \e or \x0c): the C0 controls but tab and newline, DEL, the C1
# controls, lone surrogates, U+FFFE and U+FFFF. A carriage return goes too: in a value it
# can only come from an escape (\r), and line ends are normalised before parsing.
_CONTROL = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\ud800-\udfff\ufffe\uffff]")


def without_controls(text: str) -> str:
    """`text` without control characters: they carry no meaning in a status message, and
    some (NUL, ESC) break the formats the site is published in or the terminal it is read on."""
    return _CONTROL.sub("", text)


def has_controls(text: str) -> bool:
    """Whether `text` holds a character `without_controls` drops (text from a cache, which
    must be what the content reader could have made)."""
    return _CONTROL.search(text) is not None


def normalise_newlines(text: str) -> str:
    """Line ends as LF only: CRLF and a lone CR (old Mac files) each count as one line end."""
    return text.replace("\r\n", "\n").replace("\r", "\n")


def slugify(text: str) -> str:
    """Lowercase ASCII words joined by hyphens; accents are dropped (é → e), other scripts too.

    The one rule for ids made from names: incident slugs, group ids, suggested ids.
    """
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii")
    return "-".join(re.findall(r"[a-z0-9]+", ascii_text.lower()))


def safe_path(path: str) -> str:
    """An output path relative to the site root; a renderer bug cannot write above it."""
    rel = path.lstrip("/")
    if not rel or ".." in rel.split("/"):
        raise ValueError(f"output path escapes the site: {path}")
    return rel
