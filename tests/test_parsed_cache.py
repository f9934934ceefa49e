"""Parsed content files kept between builds: the same documents as a fresh parse, never
a stale one, and nothing from a tampered cache that the YAML reader could not have made."""

from __future__ import annotations

import json
import shutil
from dataclasses import replace
from pathlib import Path
from typing import Any

import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from conftest import DEMO_NOW, EXAMPLE_CONTENT
from statusgen.build import BuildOptions, build
from statusgen.content import parsed
from statusgen.content.loader import (
    Document,
    RawContent,
    load_content,
    markdown_documents,
    parses_to_keep,
    split_frontmatter,
)
from statusgen.content.yamlsource import LineMap
from statusgen.output import cache
from statusgen.text import normalise_newlines, without_controls


def with_lines(value: Any) -> Any:
    """A parsed value with every line number it carries made visible to `==`."""
    if isinstance(value, LineMap):
        return ("map", value.line, value.key_lines, {k: with_lines(v) for k, v in value.items()})
    if isinstance(value, list):
        return [with_lines(item) for item in value]
    if isinstance(value, float) and value != value:
        return "nan"
    return (type(value).__name__, value)


def as_compared(document: Document) -> tuple[Any, ...]:
    return document.path, with_lines(document.meta), document.body, document.body_line


def documents(raw: RawContent) -> list[Document]:
    return list(markdown_documents(raw))


def kept_before(content: Path) -> dict[str, str]:
    """What a build of `content` keeps for the next one."""
    raw = load_content(content)
    return parses_to_keep(raw, {})


def test_every_example_document_comes_back_as_parsed() -> None:
    raw = load_content(EXAMPLE_CONTENT)
    again = load_content(EXAMPLE_CONTENT, parsed_before=parses_to_keep(raw, {}))
    assert len(documents(again)) > 40
    assert all(document.reused for document in documents(again))
    assert documents(again) == documents(raw)  # where a parse came from is not part of it
    assert [as_compared(d) for d in documents(again)] == [as_compared(d) for d in documents(raw)]
    assert again.errors == raw.errors


# Frontmatter values of the shapes YAML gives: text (quoted, with escapes and non-ASCII),
# numbers, booleans, nulls, lists and nested mappings.
_TEXT = st.text(alphabet=st.characters(blacklist_categories=("Cs",)), max_size=20)
_SCALAR = st.one_of(_TEXT, st.integers(-(10**12), 10**12), st.floats(), st.booleans(), st.none())
_VALUE = st.recursive(
    _SCALAR,
    lambda inner: st.one_of(
        st.lists(inner, max_size=3),
        st.dictionaries(st.text(alphabet="abcxyz_-", min_size=1, max_size=6), inner, max_size=3),
    ),
    max_leaves=8,
)


@settings(max_examples=150, deadline=None)
@given(
    fields=st.dictionaries(st.text(alphabet="abcdefgh", min_size=1, max_size=8), _VALUE),
    body=_TEXT,
    blank_lines=st.integers(0, 3),
)
def test_any_parsed_frontmatter_comes_back_with_its_lines(
    fields: dict[str, Any], body: str, blank_lines: int
) -> None:
    """Whatever the YAML reader makes of a file, the kept entry gives it back exactly: the
    same values of the same types, the same line of every key and mapping, the same body."""
    frontmatter = json.dumps(fields, indent=1, ensure_ascii=False)  # JSON is YAML
    text = "---\n" + frontmatter + "\n---\n" + "\n" * blank_lines + body
    # As the reader prepares every file's text before splitting it.
    fresh = split_frontmatter(without_controls(normalise_newlines(text)), "x/01.md", [])
    assume(fresh is not None)  # YAML refuses some characters that JSON writes raw
    assert fresh is not None
    entry = parsed.encode(fresh.meta, fresh.body, fresh.body_line)
    assert "\n" not in entry and "\r" not in entry
    kept = parsed.decode(entry)
    assert kept is not None
    meta, kept_body, kept_line = kept
    assert (with_lines(meta), kept_body, kept_line) == (
        with_lines(fresh.meta),
        fresh.body,
        fresh.body_line,
    )


def test_a_build_with_the_cache_writes_the_same_site(tmp_path: Path) -> None:
    """A cold build, one that keeps its parses, and one that reuses them write the same bytes."""
    base = BuildOptions(EXAMPLE_CONTENT, tmp_path / "cold", DEMO_NOW)
    build(base)
    cached = replace(base, cache_dir=tmp_path / "cache")
    build(replace(cached, output_dir=tmp_path / "first"))
    assert (tmp_path / "cache" / cache.DOCUMENTS_FILE).is_file()
    build(replace(cached, output_dir=tmp_path / "second"))

    def tree(root: Path) -> dict[str, bytes]:
        return {str(p.relative_to(root)): p.read_bytes() for p in root.rglob("*") if p.is_file()}

    assert tree(tmp_path / "first") == tree(tmp_path / "cold")
    assert tree(tmp_path / "second") == tree(tmp_path / "cold")


def test_an_edited_file_is_parsed_again(tmp_path: Path) -> None:
    """Entries are found by the file's bytes: an edit is a new key, so the old parse is not
    used, and it is not kept for the next build either."""
    content = shutil.copytree(EXAMPLE_CONTENT, tmp_path / "content")
    before = kept_before(content)
    update = next(content.glob("incidents/*/01-*.md"))
    update.write_text(update.read_text().replace("---\n", "---\n# a comment\n", 1))
    raw = load_content(content, parsed_before=before)
    edited = next(d for d in documents(raw) if content / d.path == update)
    assert not edited.reused
    assert edited.meta.line_of("at") == 3  # one line further down than before the edit
    assert sum(not d.reused for d in documents(raw)) == 1
    kept = parses_to_keep(raw, before)
    assert edited.digest in kept and len(kept) == len(before)


def test_a_file_with_a_mistake_is_not_kept(tmp_path: Path) -> None:
    content = shutil.copytree(EXAMPLE_CONTENT, tmp_path / "content")
    update = next(content.glob("incidents/*/01-*.md"))
    update.write_text("---\nat: [unclosed\n---\n")
    raw = load_content(content)
    assert raw.errors
    assert len(parses_to_keep(raw, {})) == len(documents(raw))
    assert all(content / d.path != update for d in documents(raw))


def test_a_cache_from_another_parser_is_ignored(tmp_path: Path) -> None:
    cache.save_documents(tmp_path, "old-parser", {"d" * 64: '[{}, "", 0]'})
    assert cache.load_documents(tmp_path, "new-parser") == {}
    assert cache.load_documents(tmp_path, "old-parser") == {"d" * 64: '[{}, "", 0]'}


def test_a_missing_or_corrupt_cache_file_is_ignored(tmp_path: Path) -> None:
    assert cache.load_documents(tmp_path, "key") == {}
    (tmp_path / cache.DOCUMENTS_FILE).write_bytes(b"\xff\xfe not text")
    assert cache.load_documents(tmp_path, "key") == {}


VALID = '[{"line": 2, "items": [["title", 2, "Outage"]]}, "Body", 4]'


@pytest.mark.parametrize(
    "entry",
    [
        "{not json",
        '[{"line": 2, "items": []}, "Body"]',  # a field missing
        '[{"line": 2, "items": []}, "Body", 4, 5]',  # one too many
        '[{"line": 0, "items": []}, "Body", 4]',  # no line 0
        '[{"line": true, "items": []}, "Body", 4]',  # a boolean is no line
        '[{"line": 2, "items": []}, "Body", -1]',
        '[{"line": 2, "items": []}, "Body", 4.0]',
        '[{"line": 2, "items": [], "extra": 1}, "Body", 4]',
        '[{"line": 2, "items": [["a", 2, 1], ["a", 3, 2]]}, "Body", 4]',  # a key twice
        '[{"line": 2, "items": [["a", 2]]}, "Body", 4]',
        '[{"line": 2, "items": [[1, 2, "x"]]}, "Body", 4]',  # a key that is no text
        '[[], "Body", 4]',  # frontmatter that is no mapping
        '[{"line": 2, "items": []}, ["Body"], 4]',
        '[{"line": 2, "items": [["a", 2, {"x": 1}]]}, "Body", 4]',  # a mapping without lines
        '[{"line": 2, "items": []}, "Bo\\u0000dy", 4]',  # escapes of what the reader drops
        '[{"line": 2, "items": []}, "Bo\\u001bdy", 4]',
        '[{"line": 2, "items": [["a", 2, "\\b"]]}, "Body", 4]',
        '[{"line": 2, "items": [["a\\r", 2, 1]]}, "Body", 4]',
        '[{"line": 2, "items": []}, "Bo\\ud800dy", 4]',
        '[{"line": 2, "items": []}, "Bo\u0085dy", 4]',  # a raw C1 control
        '[{"line": 2, "items": []}, "Bo\u009bdy", 4]',
        '[{"line": 2, "items": [["a", 2, ' + "[" * 100 + "]" * 100 + ']]}, "", 4]',
        '[{"line": 2, "items": [["a", 2, ' + "[" * 100_000 + "]" * 100_000 + ']]}, "", 4]',
    ],
)
def test_an_entry_the_reader_could_not_have_made_is_refused(entry: str) -> None:
    assert parsed.decode(VALID) is not None  # the refusal is the entry's, not the format's
    assert parsed.decode(entry) is None


def test_escaped_backslashes_are_text_not_escapes() -> None:
    """`\\\\u0000` in JSON is a backslash and the letters u0000, which content may hold."""
    kept = parsed.decode('[{"line": 2, "items": [["a", 2, "C:\\\\u0000 and \\\\\\n"]]}, "", 0]')
    assert kept is not None
    assert kept[0]["a"] == "C:\\u0000 and \\\n"


def test_a_refused_entry_is_parsed_again_and_replaced(tmp_path: Path) -> None:
    """A tampered entry costs a parse; the build's site is as if there were no cache, and
    the entry kept for the next build is the fresh parse."""
    content = shutil.copytree(EXAMPLE_CONTENT, tmp_path / "content")
    before = kept_before(content)
    digest = next(iter(before))
    before[digest] = before[digest].replace('"', '"\\u0007', 1)
    raw = load_content(content, parsed_before=before)
    fresh = load_content(content)
    assert [as_compared(d) for d in documents(raw)] == [as_compared(d) for d in documents(fresh)]
    assert sum(not d.reused for d in documents(raw)) == 1
    assert parses_to_keep(raw, before) == parses_to_keep(fresh, {})
