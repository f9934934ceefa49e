"""Fuzzing the whole pipeline: whatever the content folder holds, a build either succeeds and
publishes a complete site, or fails with ContentInvalid whose every error names a file of
the content, leaving the previous site untouched. Any other exception is a bug.

Each test starts from the valid site of tests/fuzz_seed.py (the atheris run's seed too) and
breaks one thing: a frontmatter value, a whole YAML document, a Markdown body, a file or folder
name, the encoding or the raw bytes of one file. Regression tests for what the fuzzers found are
at the end. The longer, coverage-guided run is fuzz/atheris_loader.py (docs/security.md).
"""

from __future__ import annotations

import json
import os
import tempfile
from datetime import datetime
from pathlib import Path

import pytest
from fuzz_seed import BASE_SITE, INCIDENT, MAINTENANCE, NOW
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from statusgen.build import BuildOptions, BuildResult, build
from statusgen.errors import ContentInvalid
from statusgen.output.location import MARKER, MARKER_TEXT

PREVIOUS = b"the previous build"
DOCUMENTS = [path for path in BASE_SITE if path.endswith(".md")]
# Bounded so that the whole file runs in well under a minute; STATUSGEN_FUZZ_SCALE=50 makes a
# long run of the same properties (docs/security.md).
SCALE = int(os.environ.get("STATUSGEN_FUZZ_SCALE", "1"))


def fuzz(examples: int) -> settings:
    return settings(
        max_examples=examples * SCALE,
        deadline=None,
        suppress_health_check=[HealthCheck.too_slow],
        database=None,
    )


Files = dict[bytes, bytes]  # path relative to the content folder (raw bytes: any name) → data


def base_files() -> Files:
    return {os.fsencode(path): text.encode() for path, text in BASE_SITE.items()}


def write_tree(root: Path, files: Files) -> None:
    for rel, data in files.items():
        path = os.path.join(os.fsencode(root), rel)
        os.makedirs(os.path.dirname(path), exist_ok=True)
        with open(path, "wb") as handle:
            handle.write(data)


def build_outcome(files: Files) -> BuildResult | ContentInvalid:
    """Build `files` over a previous site; check the only two outcomes a build may have."""
    with tempfile.TemporaryDirectory() as tmp:
        root, out = Path(tmp) / "content", Path(tmp) / "public"
        write_tree(root, files)
        out.mkdir()
        (out / "previous.txt").write_bytes(PREVIOUS)
        (out / MARKER).write_bytes(MARKER_TEXT)  # the previous site was built by statusgen
        try:
            result = build(BuildOptions(root, out, NOW))
        except ContentInvalid as invalid:
            assert invalid.errors
            for error in invalid.errors:
                # Every error names a file or folder of the content (site.yml when it is missing).
                assert error.source.path == "site.yml" or (root / error.source.path).exists(), (
                    error.format()
                )
                assert error.message and error.format()
            assert sorted(p.name for p in out.iterdir()) == [MARKER, "previous.txt"], (
                "a failed build changed the site"
            )
            assert (out / "previous.txt").read_bytes() == PREVIOUS
            outcome: BuildResult | ContentInvalid = invalid
        else:
            written = [p for p in out.rglob("*") if p.is_file() and p.name != MARKER]
            assert not (out / "previous.txt").exists(), "the new site was not swapped in whole"
            assert len(written) == result.files and (out / "index.html").is_file()
            outcome = result
        assert sorted(p.name for p in Path(tmp).iterdir()) == ["content", "public"], (
            "temporary folders left behind"
        )
        return outcome


def replace_document_part(
    files: Files, rel: str, meta: str | None = None, body: str | None = None
) -> Files:
    """`rel` with its frontmatter or its body replaced (the other part kept)."""
    text = BASE_SITE[rel]
    _, old_meta, old_body = text.split("---\n", 2)
    new = f"---\n{old_meta if meta is None else meta}---\n{old_body if body is None else body}"
    return {**files, os.fsencode(rel): new.encode("utf-8", "surrogatepass")}


# ---- strategies ---------------------------------------------------------------------------

ODD_CHARACTERS = [
    "\x00",
    "\x1b",
    "\x7f",
    "\x85",
    "\u2028",
    "\u2029",
    "\ufeff",
    "\ufffe",
    "\uffff",
    "\u202e",
    "\u0301",
    "\u200d",
    "🚀",
    "ש",
    "ß",
    "İ",
    "\t",
    "\r",
    "\n",
    "\\",
    '"',
    "'",
    ":",
    "#",
    "-",
    "[",
    "]",
    "{",
    "}",
    "&",
    "*",
    "!",
    "|",
    ">",
    "%",
    "@",
    "`",
    ",",
    "?",
    "<",
    "/",
    ".",
]
ANY_TEXT = st.text(
    st.one_of(st.characters(exclude_categories=("Cs",)), st.sampled_from(ODD_CHARACTERS)),
    max_size=40,
)


@st.composite
def times(draw: st.DrawFn) -> str:
    moment = draw(st.datetimes(min_value=datetime(1, 1, 1), max_value=datetime(9999, 12, 31)))
    offset = draw(
        st.sampled_from(["", "Z", "+01:00", "-12:00", "+14:00", "+25:00", "+0530", "+01:00:30"])
    )
    text = moment.isoformat(
        sep=draw(st.sampled_from(["T", " "])),
        timespec=draw(st.sampled_from(["minutes", "seconds", "microseconds"])),
    )
    return text + offset


# YAML values as written in a file: well-formed or not, typed by tags, quoted, nested.
YAML_VALUES = st.one_of(
    ANY_TEXT,
    ANY_TEXT.map(json.dumps),  # a double-quoted YAML string, escapes included
    st.integers().map(str),
    st.floats().map(str),
    times(),
    st.sampled_from(
        [
            "",
            "~",
            "null",
            "true",
            "no",
            "on",
            "0",
            "-0",
            "0x1F",
            "0o17",
            "0b101",
            "1_000",
            ".inf",
            "-.inf",
            ".nan",
            "1e400",
            "9" * 5000,
            "-" + "9" * 5000,
            "2026-13-45",
            "2026-03-29T02:30:00",
            "2026-10-25T02:30:00",
            "0s",
            "1h30m",
            "999999w",
            "24:00",
            "Mon-Fri 25:00-26:00",
            "Sun-Mon 09:00-08:00",
            "!!int x",
            "!!int 0x",
            "!!float x",
            "!!bool maybe",
            "!!binary ???",
            "!!binary aGk=",
            "!!null x",
            "!!str 5",
            "!!timestamp x",
            "!!set {a, b}",
            "!!omap [a: 1]",
            "!!pairs [a: 1]",
            "!!python/object:os.system x",
            "!<tag:yaml.org,2002:int> x",
            "!custom x",
            "&a x",
            "*a",
            "[a, [b, [c]]]",
            "{a: 1, a: 2}",
            "{? [a]: 1}",
            "[" * 200,
            "{" * 200,
            "'unclosed",
            '"unclosed',
            "|\n  block\n  text",
            ">-\n  folded",
            "\n  - 1\n  - 2",
            "\n  nested: {deep: [1, 2]}",
            "\n  <<: {a: 1}",
            "../../etc/passwd",
            "/etc/passwd",
            "javascript:alert(1)",
            "mailto:a@b",
            "https://",
            "http://x y",
            "Europe",
            "../zoneinfo/UTC",
            "UTC\\0",
        ]
    ),
)


@st.composite
def mutated_frontmatter(draw: st.DrawFn) -> Files:
    """One document or site.yml with one value replaced, one line added, or one line dropped."""
    rel = draw(st.sampled_from(list(BASE_SITE)))
    text = BASE_SITE[rel]
    head, meta, body = (
        ("", text, "") if rel == "site.yml" else ("---\n", *text.split("---\n", 2)[1:])
    )
    lines = meta.splitlines(keepends=True)
    index = draw(st.integers(0, len(lines) - 1))
    action = draw(st.sampled_from(["replace", "insert", "delete"]))
    line = lines[index]
    indent = line[: len(line) - len(line.lstrip(" -"))]
    if action == "replace" and ":" in line:
        key = line.split(":", 1)[0]
        lines[index] = f"{key}: {draw(YAML_VALUES)}\n"
    elif action == "insert":
        key = draw(
            st.one_of(
                st.sampled_from(
                    ["title", "at", "status", "components", "id", "name", "x", "<<", "? k"]
                ),
                ANY_TEXT,
            )
        )
        lines.insert(index, f"{indent}{key}: {draw(YAML_VALUES)}\n")
    else:
        del lines[index]
    new = head + "".join(lines) + ("---\n" + body if head else "")
    return {**base_files(), os.fsencode(rel): new.encode("utf-8", "surrogatepass")}


YAML_PIECES = st.sampled_from(
    [
        "---\n",
        "...\n",
        "key: value\n",
        "- item\n",
        "  ",
        ": ",
        "&a ",
        "*a",
        "!!int ",
        "<<: *a\n",
        "? ",
        "%YAML 1.1\n",
        "%TAG ! tag:x,2000:\n",
        "{",
        "}",
        "[",
        "]",
        ",",
        "'",
        '"',
        "#",
        "|",
        ">",
        "\n",
        "\t",
        "title: x\n",
        "at: 2026-11-20\n",
        "components:\n  api: major_outage\n",
        "status: resolved\n",
    ]
)
YAML_DOCUMENTS = st.one_of(
    st.lists(st.one_of(YAML_PIECES, ANY_TEXT), max_size=30).map("".join), ANY_TEXT
)


@st.composite
def random_yaml(draw: st.DrawFn) -> Files:
    """site.yml, or one document's frontmatter, replaced by random YAML-like text."""
    rel = draw(st.sampled_from(list(BASE_SITE)))
    yaml_text = draw(YAML_DOCUMENTS)
    if rel == "site.yml":
        return {**base_files(), b"site.yml": yaml_text.encode("utf-8", "surrogatepass")}
    return replace_document_part(base_files(), rel, meta=yaml_text + "\n")


MARKDOWN_PIECES = st.sampled_from(
    [
        "# ",
        "## ",
        "* ",
        "1. ",
        "> ",
        "    code\n",
        "```\n",
        "`",
        "**",
        "_",
        "~~",
        "[a](",
        ")",
        "](javascript:alert(1))",
        "![x](data:image/svg+xml,<svg onload=alert(1)>)",
        "<script>alert(1)</script>",
        "<img src=x onerror=alert(1)>",
        "<!--",
        "-->",
        "<![CDATA[",
        "]]>",
        "&",
        "&#x3C;",
        "&lt;",
        "| a | b |\n|---|---|\n",
        "*[HTML]: Hyper\n",
        "[^1]\n\n[^1]: n\n",
        "{: #id .class onclick=alert(1) }",
        '<div markdown="1">',
        "</div>",
        "---\n",
        "\n",
        "\n\n",
        "\\",
        "<",
        "[",
    ]
)
MARKDOWN = st.lists(st.one_of(MARKDOWN_PIECES, ANY_TEXT), max_size=40).map("".join)


@st.composite
def markdown_bodies(draw: st.DrawFn) -> Files:
    rel = draw(st.sampled_from(DOCUMENTS))
    return replace_document_part(base_files(), rel, body=draw(MARKDOWN))


NAME_CHARACTERS = st.one_of(
    st.characters(exclude_categories=("Cs",), exclude_characters="/\x00"),
    st.sampled_from(
        [" ", ".", "-", "_", "#", "~", "é", "\u0301", "\u202e", "🚀", "\n", "\\", ":", "*", "?"]
    ),
)


@st.composite
def file_names(draw: st.DrawFn) -> bytes:
    """A name a file system accepts: any text, dots and spaces, up to 255 bytes, or raw bytes."""
    kind = draw(st.sampled_from(["text", "long", "bytes", "fixed"]))
    if kind == "text":
        name = os.fsencode(draw(st.text(NAME_CHARACTERS, min_size=1, max_size=30)))
    elif kind == "long":
        name = os.fsencode(draw(st.sampled_from(["a", "é", "🚀", "-", "."])) * 300)[:255]
    elif kind == "bytes":
        name = (
            draw(st.binary(min_size=1, max_size=30)).replace(b"/", b"").replace(b"\x00", b"")
            or b"\xff"
        )
    else:
        name = draw(
            st.sampled_from(
                [
                    b".",
                    b"..",
                    b"...",
                    b" ",
                    b".md",
                    b"..md",
                    b" .md",
                    b"a.md ",
                    b"a.MD",
                    b"a.md~",
                    b"\xff.md",
                    b"\xc3.md",
                    b"x" * 252 + b".md",
                ]
            )
        )
    if name in (b".", b".."):
        return name + b"x"
    return name[:255]


@st.composite
def odd_names(draw: st.DrawFn) -> Files:
    """An update file, an incident folder, a maintenance folder or a stray file with an odd name."""
    files = base_files()
    name = draw(file_names())
    where = draw(st.sampled_from(["update", "update.md", "incident", "maintenance", "stray"]))
    update = BASE_SITE[f"{INCIDENT}/01.md"].replace("investigating", "identified").encode()
    if where == "update":
        files[os.fsencode(INCIDENT) + b"/" + name] = update
    elif where == "update.md":
        files[os.fsencode(INCIDENT) + b"/" + name[:252] + b".md"] = update
    elif where == "incident":
        files = {
            (
                b"incidents/" + name + rel[len(INCIDENT) :]
                if rel.startswith(os.fsencode(INCIDENT))
                else rel
            ): data
            for rel, data in files.items()
        }
    elif where == "maintenance":
        files = {
            (
                b"maintenance/" + name + rel[len(MAINTENANCE) :]
                if rel.startswith(os.fsencode(MAINTENANCE))
                else rel
            ): data
            for rel, data in files.items()
        }
    else:
        files[b"incidents/" + name] = update
    return files


BOMS = [
    b"\xef\xbb\xbf",
    b"\xef\xbb\xbf\xef\xbb\xbf",
    b"\xff\xfe",
    b"\xfe\xff",
    b"\xff\xfe\x00\x00",
    b"\x00\x00\xfe\xff",
    b"+/v8",
]
NON_ASCII = st.text(st.sampled_from("éàüß€ŒœÿЖ🚀\u00a0"), min_size=1, max_size=5)


@st.composite
def encodings(draw: st.DrawFn) -> Files:
    """One file saved in another encoding, with a BOM, or as random bytes."""
    rel = draw(st.sampled_from(list(BASE_SITE)))
    text = BASE_SITE[rel]
    if draw(st.booleans()):  # non-ASCII text, which encodings disagree on
        lines = text.splitlines(keepends=True)
        index = draw(st.integers(0, len(lines) - 1))
        if ":" in lines[index] and not lines[index].startswith("---"):
            lines[index] = lines[index].rstrip("\n") + " " + draw(NON_ASCII) + "\n"
        text = "".join(lines)
    kind = draw(st.sampled_from(["codec", "bom", "random", "truncated"]))
    if kind == "codec":
        codec = draw(
            st.sampled_from(
                [
                    "latin-1",
                    "cp1252",
                    "utf-16",
                    "utf-16-le",
                    "utf-16-be",
                    "utf-32",
                    "utf-8-sig",
                    "utf-7",
                    "mac-roman",
                ]
            )
        )
        data = text.encode(codec, errors="replace")
    elif kind == "bom":
        data = draw(st.sampled_from(BOMS)) + text.encode()
    elif kind == "random":
        data = draw(st.binary(max_size=300))
    else:
        encoded = text.encode()
        data = encoded[: draw(st.integers(0, len(encoded)))]
    return {**base_files(), os.fsencode(rel): data}


@st.composite
def byte_mutations(draw: st.DrawFn) -> Files:
    """One file with a few bytes flipped, inserted or deleted, as a bad disk or a bad paste would."""
    rel = draw(st.sampled_from(list(BASE_SITE)))
    data = bytearray(BASE_SITE[rel].encode())
    for _ in range(draw(st.integers(1, 6))):
        position = draw(st.integers(0, len(data)))
        action = draw(st.sampled_from(["flip", "insert", "delete"]))
        if action == "flip" and position < len(data):
            data[position] ^= 1 << draw(st.integers(0, 7))
        elif action == "insert":
            data[position:position] = draw(st.binary(min_size=1, max_size=8))
        elif position < len(data):
            del data[position : position + draw(st.integers(1, 8))]
    return {**base_files(), os.fsencode(rel): bytes(data)}


# ---- the properties -----------------------------------------------------------------------


def test_the_unmutated_base_site_builds() -> None:
    """The starting point of every mutation is a valid site, so mutations test what they break."""
    result = build_outcome(base_files())
    assert isinstance(result, BuildResult) and result.incidents == 1 and result.maintenances == 1


@fuzz(120)
@given(mutated_frontmatter())
def test_a_mutated_frontmatter_value_builds_or_is_refused_with_its_file(files: Files) -> None:
    """Any value, tag, type or extra key in one field: a complete build or errors naming files."""
    build_outcome(files)


@fuzz(100)
@given(random_yaml())
def test_random_yaml_builds_or_is_refused_with_its_file(files: Files) -> None:
    """Random YAML-like text as site.yml or as a document's frontmatter never crashes the build."""
    build_outcome(files)


@fuzz(50)
@given(markdown_bodies())
def test_random_markdown_bodies_build_or_are_refused_with_their_file(files: Files) -> None:
    """Random Markdown, raw HTML and unicode in a message: a build or errors, never a crash."""
    build_outcome(files)


@fuzz(80)
@given(odd_names())
def test_odd_file_and_folder_names_build_or_are_refused_with_their_file(files: Files) -> None:
    """Unicode, spaces, dots, 255-byte and non-UTF-8 names of files and folders never crash the build."""
    build_outcome(files)


@fuzz(100)
@given(encodings())
def test_other_encodings_and_boms_build_or_are_refused_with_their_file(files: Files) -> None:
    """latin-1, UTF-16, UTF-32, BOMs, random and truncated bytes: a build or errors, never a crash."""
    build_outcome(files)


@fuzz(80)
@given(byte_mutations())
def test_flipped_inserted_and_deleted_bytes_build_or_are_refused_with_their_file(
    files: Files,
) -> None:
    """A few damaged bytes anywhere in one file: a build or errors naming the file."""
    build_outcome(files)


# ---- regressions: crashes the fuzzers found, as their minimal examples ---------------------


def refused(files: Files) -> list[str]:
    outcome = build_outcome(files)
    assert isinstance(outcome, ContentInvalid), "expected the content to be refused"
    return [error.format() for error in outcome.errors]


def test_regression_an_update_file_name_that_is_not_utf8_is_refused() -> None:
    """Found by the name fuzzer: `\\xff.md` became an update whose anchor could not be encoded
    (UnicodeEncodeError while writing the incident page); now it is an error naming the file."""
    files = {
        **base_files(),
        os.fsencode(INCIDENT) + b"/\xff.md": BASE_SITE[f"{INCIDENT}/01.md"].encode(),
    }
    (message,) = refused(files)
    assert message.startswith(
        f"{INCIDENT}/\udcff.md: error: file name '{INCIDENT}/\\xff.md' is not UTF-8"
    )


@pytest.mark.parametrize(
    "value, found_by",
    [
        ("9" * 5000, "hypothesis: int() refuses more than 4,300 digits (ValueError)"),
        ("!!int ", "atheris, input b'\\x08!!int ': an empty !!int (IndexError)"),
        ("!!int x", "a !!int that is no number (ValueError)"),
        ("!!float ", "an empty !!float (IndexError)"),
        ("!!bool maybe", "a !!bool that is no yes/no word (KeyError)"),
    ],
)
def test_regression_a_yaml_value_pyyaml_cannot_construct_is_refused_with_its_line(
    value: str, found_by: str
) -> None:
    """PyYAML's scalar constructors raise plain Python errors on these; each is now a content
    error on the value's line instead of a crash."""
    site = BASE_SITE["site.yml"].replace("name: Acme Cloud", f"name: {value}")
    messages = [
        m for m in refused({**base_files(), b"site.yml": site.encode()}) if m.startswith("site.yml")
    ]
    assert len(messages) == 1 and messages[0].startswith("site.yml:1: error: invalid YAML "), (
        found_by
    )


def test_regression_a_bare_tagged_scalar_as_a_whole_document_is_refused() -> None:
    """The minimal atheris input: site.yml holding only `!!int `."""
    messages = [
        m for m in refused({**base_files(), b"site.yml": b"!!int "}) if m.startswith("site.yml")
    ]
    assert messages == [
        "site.yml:1: error: invalid YAML int value ''\n    fix: quote the value to keep it as text; a number may have at most 4300 digits"
    ]
