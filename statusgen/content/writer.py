"""WRITE CONTENT: new incident, update and maintenance files, each created atomically.

The on-call commands add new files; the one exception is rescheduling a maintenance, which
changes the values of `scheduled_for` and `scheduled_until` in maintenance.md and keeps every
other byte (comments, order, quoting) as the person wrote it. Each file is
written to a hidden temporary file beside its target and moved into place with
`os.replace`, so an editor, a watcher or a build never sees half a file. Frontmatter is
emitted by PyYAML's safe dumper (never formatted by hand), so a title with a colon or a
quote is always valid YAML.
"""

from __future__ import annotations

import contextlib
import os
import re
import tempfile
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path
from typing import Any

import yaml

from statusgen.text import slugify

MAX_SLUG_LENGTH = 60
_UPDATE_NUMBER = re.compile(r"^(\d+)")


class _Dumper(yaml.SafeDumper):
    """safe_dump, with times written as the contract shows them and short lists inline."""

    def ignore_aliases(self, data: Any) -> bool:
        """Never write `&id001`/`*id001` for a repeated value: statusgen refuses aliases on reading."""
        return True


def _represent_datetime(dumper: yaml.SafeDumper, value: datetime) -> yaml.Node:
    # ISO 8601 with a 'T' and the offset, to the second: `2026-11-23T14:02:00+01:00`.
    return dumper.represent_scalar(
        "tag:yaml.org,2002:timestamp", value.isoformat(timespec="seconds")
    )


class _PreciseDumper(_Dumper):
    """Times to the millisecond when they have them: an imported history keeps its source's."""


def _represent_precise(dumper: yaml.SafeDumper, value: datetime) -> yaml.Node:
    spec = "milliseconds" if value.microsecond else "seconds"
    return dumper.represent_scalar("tag:yaml.org,2002:timestamp", value.isoformat(timespec=spec))


def _represent_list(dumper: yaml.SafeDumper, value: Sequence[Any]) -> yaml.Node:
    # `components: [api, dashboard]` as in the docs; lists of mappings stay in block style.
    flat = all(isinstance(item, str | int | float) for item in value)
    return dumper.represent_sequence("tag:yaml.org,2002:seq", list(value), flow_style=flat)


_Dumper.add_representer(datetime, _represent_datetime)
_Dumper.add_representer(list, _represent_list)
_Dumper.add_representer(tuple, _represent_list)
_PreciseDumper.add_representer(datetime, _represent_precise)


def dump_yaml(data: Mapping[str, Any], precise: bool = False) -> str:
    """YAML text for a mapping, keys in the given order (what safe_dump emits, plus times);
    `precise` keeps milliseconds."""
    return str(
        yaml.dump(
            dict(data),
            Dumper=_PreciseDumper if precise else _Dumper,
            sort_keys=False,
            allow_unicode=True,
            default_flow_style=False,
            width=1000,
        )
    )


def markdown_document(meta: Mapping[str, Any], body: str, precise: bool = False) -> str:
    """A content file: `---`, the frontmatter, `---`, the Markdown body.

    Empty frontmatter (a translated update holds only its text) is the two fences alone,
    not `{}` between them.
    """
    text = f"---\n{dump_yaml(meta, precise) if meta else ''}---\n"
    body = body.strip("\n")
    return text + (f"{body}\n" if body else "")


def _scalar(value: Any) -> str:
    """One value as `dump_yaml` writes it, for a frontmatter line."""
    return dump_yaml({"v": value}).removeprefix("v: ").rstrip("\n")


_FRONTMATTER = re.compile(r"\A(---[ \t]*\r?\n)(.*?)(^---[ \t]*\r?$)", re.DOTALL | re.MULTILINE)


def replace_fields(text: str, values: Mapping[str, Any]) -> str:
    """`text` with the values of top-level frontmatter keys replaced, every other byte kept.

    Only a key written on one line (`key: value  # comment`) is replaced; its comment and
    line ending stay. Raises ValueError naming a key that is missing or not on one line,
    rather than guessing at YAML it did not write.
    """
    found = _FRONTMATTER.match(text)
    if found is None:
        raise ValueError("the file does not start with a '---' frontmatter block")
    head = found.group(2)
    for key, value in values.items():
        line = re.compile(
            rf"^({re.escape(key)}:[ \t]*)([^\r\n#]*?)([ \t]+#[^\r\n]*)?(\r?)$", re.MULTILINE
        )
        matches = [m for m in line.finditer(head) if m.group(2).strip()]
        if len(matches) != 1:
            raise ValueError(f"'{key}' is not written on one line of the frontmatter")
        m = matches[0]
        head = head[: m.start(2)] + _scalar(value) + head[m.end(2) :]
    return text[: found.start(2)] + head + text[found.end(2) :]


def new_slug(title: str, day: date, taken: Iterable[str], fallback: str = "incident") -> str:
    """`YYYY-MM-DD-words-of-title`, at most ~60 characters, made unique with -2, -3 …"""
    words = slugify(title) or fallback
    base = f"{day.isoformat()}-{words}"
    if len(base) > MAX_SLUG_LENGTH:
        # Cut at a word boundary so a URL never ends in half a word.
        base = base[: MAX_SLUG_LENGTH + 1].rsplit("-", 1)[0]
    used = set(taken)
    slug, number = base, 2
    while slug in used:
        slug = f"{base}-{number}"
        number += 1
    return slug


def next_update_name(existing: Iterable[str], status: str) -> str:
    """`NN-status.md` after the highest number among the existing update files' names.

    Updates are ordered by `at`, not by name; the number only keeps `ls` and `git log`
    in the order people expect (and breaks ties between updates written the same second).
    """
    names = list(existing)
    numbers = [int(m.group(1)) for m in (_UPDATE_NUMBER.match(n) for n in names) if m]
    number = max(numbers) + 1 if numbers else len(names) + 1
    name = f"{number:02d}-{status.replace('_', '-')}.md"
    while name in names:
        number += 1
        name = f"{number:02d}-{status.replace('_', '-')}.md"
    return name


def translation_name(name: str, language: str) -> str:
    """The sibling holding one language's text of a content file: `01-identified.md` →
    `01-identified.fr.md`, `incident.md` → `incident.fr.md` (the contract's `NAME.<lang>.md`)."""
    return f"{name.removesuffix('.md')}.{language}.md"


def is_translation_name(name: str, languages: Iterable[str]) -> bool:
    """Whether `name` is some file's `NAME.<lang>.md` for one of the site's `languages`.

    Only the site's own languages count (`01-v2.hotfix.md` stays an update of its own);
    tags compare without case, as BCP 47 says they do.
    """
    stem, dot, language = name.removesuffix(".md").rpartition(".")
    return bool(dot and stem) and language.casefold() in {tag.casefold() for tag in languages}


class WriteRefused(Exception):
    """A file we were asked to create already exists (we never overwrite a person's file)."""


@dataclass
class WrittenFiles:
    """What one command created, so that it can be undone exactly."""

    files: list[Path] = field(default_factory=list)
    folders: list[Path] = field(default_factory=list)  # created by us, deepest last

    def remove(self) -> None:
        """Undo: delete the files, then the folders we created if they are empty."""
        for path in reversed(self.files):
            path.unlink(missing_ok=True)
        for folder in reversed(self.folders):
            # Not empty: someone put something else there meanwhile: leave it.
            with contextlib.suppress(OSError):
                folder.rmdir()


def write_atomic(path: Path, text: str) -> None:
    """Write beside the target, flush to disk, then rename over it in one step."""
    fd, temp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="\n") as handle:
            handle.write(text)
            handle.flush()
            os.fsync(handle.fileno())
        os.chmod(temp, 0o644)
        os.replace(temp, path)
    except BaseException:
        Path(temp).unlink(missing_ok=True)
        raise


def create_files(files: Sequence[tuple[Path, str]]) -> WrittenFiles:
    """Create new files (and their folders); refuse before writing anything if one exists."""
    for path, _ in files:
        if path.exists():
            raise WriteRefused(f"{path} already exists")
    written = WrittenFiles()
    try:
        for path, text in files:
            missing = [p for p in (path.parent, *path.parent.parents) if not p.exists()]
            for folder in reversed(missing):
                folder.mkdir()
                written.folders.append(folder)
            write_atomic(path, text)
            written.files.append(path)
    except BaseException:
        written.remove()
        raise
    return written
