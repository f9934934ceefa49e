"""Parsed documents kept between builds, so a deploy build reads YAML only for what changed.

Reading a content file's frontmatter with PyYAML costs about 0.16 ms, most of the time a
build spends loading: a 1,000-incident site has some 4,500 files, and a deploy build adds
one. A parsed document (its frontmatter with every line number, its body and the body's
first line) depends on nothing but the file's bytes and the code that parses them, so it is
kept under the hash of those bytes, in a cache keyed by the parser's own source
(`parser_key`): an entry can be missed, never used by a parser that would read the bytes
differently. Only files read without an error are kept; a file with a mistake is parsed
again at every build, so its message never goes stale.

The cache folder is not trusted (see `statusgen.output.cache`): `decode` accepts only the
shapes the YAML reader makes (mappings with line numbers, lists, plain scalars) and text
without the control characters the reader drops, and anything else is parsed again from
the file.
"""

from __future__ import annotations

import functools
import hashlib
import json
import re
from pathlib import Path
from typing import Any

import yaml

from statusgen.content.yamlsource import LineMap
from statusgen.text import has_controls

# The modules whose code decides what a file's bytes parse to.
_PARSER_SOURCES = ("loader.py", "yamlsource.py", "parsed.py", "../text.py")
# Deeper than any frontmatter the YAML reader accepts; a deeper entry was not made by it.
MAX_DEPTH = 64
# Content text holds no control character but tab and newline, so `encode` writes no JSON
# escape but \" \\ \n and \t; any other could stand for a character the reader drops.
# (Applied once an entry's escaped backslashes are taken out.)
_OTHER_ESCAPE = re.compile(r'\\[^"nt]')


class _Refused(Exception):
    """An entry the YAML reader could not have made."""


@functools.cache
def parser_key() -> str:
    """A hash of everything that decides a parse: the parsing modules' source, PyYAML's
    version and which of its parsers (C or Python) this install has."""
    digest = hashlib.sha256()
    here = Path(__file__).parent
    for name in _PARSER_SOURCES:
        digest.update((here / name).read_bytes())
    digest.update(yaml.__version__.encode())
    digest.update(b"libyaml" if yaml.__with_libyaml__ else b"python")
    return digest.hexdigest()[:40]


def source_digest(data: bytes) -> str:
    """The key of a file's parse: a hash of its bytes as read."""
    return hashlib.sha256(data).hexdigest()


def _encoded_value(value: Any) -> Any:
    if isinstance(value, LineMap):
        items = [[key, value.key_lines[key], _encoded_value(item)] for key, item in value.items()]
        return {"line": value.line, "items": items}
    if isinstance(value, list):
        return [_encoded_value(item) for item in value]
    return value


def encode(meta: LineMap, body: str, body_line: int) -> str:
    """One line of JSON (no newline in it) for a parsed document."""
    return json.dumps([_encoded_value(meta), body, body_line], ensure_ascii=False)


def _line(value: Any) -> int:
    if type(value) is not int or value < 1:
        raise _Refused
    return value


def _text(value: Any) -> str:
    if type(value) is not str:
        raise _Refused
    return value


def _only_content_text(encoded: str) -> bool:
    """Whether every text in an entry is one the content reader could have made, checked
    once on the whole entry rather than string by string."""
    if has_controls(encoded):
        return False
    return _OTHER_ESCAPE.search(encoded.replace("\\\\", "")) is None


def _line_map(value: Any, depth: int) -> LineMap:
    if type(value) is not dict or value.keys() != {"line", "items"}:
        raise _Refused
    items = value["items"]
    if type(items) is not list:
        raise _Refused
    mapping = LineMap()
    mapping.line = _line(value["line"])
    mapping.key_lines = {}
    for item in items:
        if type(item) is not list or len(item) != 3:
            raise _Refused
        key = _text(item[0])
        if key in mapping.key_lines:
            raise _Refused
        mapping.key_lines[key] = _line(item[1])
        mapping[key] = _decoded_value(item[2], depth + 1)
    return mapping


def _decoded_value(value: Any, depth: int) -> Any:
    if depth > MAX_DEPTH:
        raise _Refused
    kind = type(value)
    if kind is dict:
        return _line_map(value, depth)
    if kind is list:
        return [_decoded_value(item, depth + 1) for item in value]
    if value is None or kind in (str, bool, int, float):
        return value
    raise _Refused


def decode(encoded: str) -> tuple[LineMap, str, int] | None:
    """The frontmatter, body and body line kept by `encode`; None for anything `encode`
    could not have written (the entry is then ignored and the file parsed)."""
    if not _only_content_text(encoded):
        return None
    try:
        meta, body, body_line = json.loads(encoded)
        decoded = (_line_map(meta, 0), _text(body), body_line)
    except (ValueError, TypeError, RecursionError, _Refused):
        return None
    if type(body_line) is not int or body_line < 0:
        return None
    return decoded
