"""LOAD: find the content files and split each into frontmatter and Markdown body.

Knows nothing of incidents or HTML: it returns documents with their source lines, and
errors for files that cannot even be read (bad encoding, missing frontmatter, bad YAML).
"""

from __future__ import annotations

import errno
import os
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from types import MappingProxyType
from typing import Any

from statusgen.content import parsed
from statusgen.content.files import RefusedFile, read_confined
from statusgen.content.yamlsource import LineMap, YamlProblem, parse_yaml
from statusgen.errors import ContentError, Level, Source
from statusgen.text import normalise_newlines, without_controls
from statusgen.workers import SERIAL, Runner, sampled_map

FRONTMATTER_FENCE = "---"
# An update is a few paragraphs; a file this large is a mistake (a log pasted in) and would
# slow every build. Refused with a message rather than rendered.
MAX_FILE_BYTES = 512 * 1024
# No parsed documents from an earlier build (see statusgen.content.parsed).
NOTHING_PARSED: Mapping[str, str] = MappingProxyType({})


@dataclass(frozen=True, slots=True)
class Document:
    """One content file: its frontmatter as a LineMap (lines are file lines) and its body."""

    path: str  # relative to the content folder, with forward slashes
    meta: LineMap
    body: str
    body_line: int
    digest: str = ""  # the hash of the file's bytes, under which its parse is kept ("": not kept)
    # Taken from an earlier build's parse of the same bytes: where it came from, not what it
    # is, so two equal parses are equal documents wherever each came from.
    reused: bool = field(default=False, compare=False)


@dataclass(frozen=True, slots=True)
class Folder:
    """An incident or maintenance folder: its main document and the update documents.

    `updates` also holds the translations (`01.fr.md`, `incident.fr.md`): which final
    `.<tag>` is a language depends on site.yml, which validation reads, and a folder loaded
    once is reused however site.yml changes.
    """

    slug: str
    path: str
    main: Document | None
    updates: tuple[Document, ...]
    postmortem: Document | None
    update_files: int = 0  # update files found, readable or not
    # Every Markdown file found (readable or not), by name: a translation whose original
    # could not be read is not also a translation "without original".
    names: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class RawContent:
    site: Document | None
    incidents: tuple[Folder, ...]
    maintenances: tuple[Folder, ...]
    errors: tuple[ContentError, ...]
    root: Path | None = None  # the content folder: site.yml's branding files are read from it
    redirects: str | None = None  # the text of `_redirects`, if the folder has one
    # `components/<id>/*.md`: a component's status set outside any incident or maintenance
    component_changes: tuple[Document, ...] = ()


def _shift_lines(value: Any, offset: int) -> Any:
    """Make YAML-relative line numbers file-relative (frontmatter starts after the fence)."""
    if isinstance(value, LineMap):
        value.line += offset
        value.key_lines = {k: v + offset for k, v in value.key_lines.items()}
        for item in value.values():
            _shift_lines(item, offset)
    elif isinstance(value, list):
        for item in value:
            _shift_lines(item, offset)
    return value


def _read_bytes(path: Path | str, rel: str, errors: list[ContentError]) -> bytes | None:
    try:
        with open(path, "rb") as file:  # one open and one read: sites have thousands of files
            data = file.read(MAX_FILE_BYTES + 1)
            if len(data) > MAX_FILE_BYTES:
                size = os.fstat(file.fileno()).st_size
                errors.append(
                    ContentError(
                        Source(rel),
                        None,
                        f"file is {size / 1024 / 1024:.1f} MB; a content file may be at most {MAX_FILE_BYTES // 1024} KB",
                        "link to long logs or documents instead of pasting them into the update",
                    )
                )
                return None
    except OSError as error:
        errors.append(ContentError(Source(rel), None, f"cannot read file: {error.strerror}"))
        return None
    return data


def _text_of(data: bytes, rel: str, errors: list[ContentError]) -> str | None:
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as error:
        line = data[: error.start].count(b"\n") + 1
        errors.append(
            ContentError(
                Source(rel, line),
                None,
                f"file is not UTF-8 (byte 0x{data[error.start]:02x} at offset {error.start})",
                "save the file as UTF-8 (most editors: 'Save with encoding')",
            )
        )
        return None
    # Control characters (a pasted terminal escape, a NUL) carry no meaning and no output
    # format can hold them all: drop them once, here, for every page, feed and API file.
    # (Those written as YAML escapes are dropped by the YAML reader.)
    return without_controls(normalise_newlines(text.removeprefix("\ufeff")))


def _yaml_mapping(
    text: str, rel: str, first_line: int, errors: list[ContentError]
) -> LineMap | None:
    try:
        value = parse_yaml(text)
    except YamlProblem as problem:
        problem = problem.shifted(first_line - 1)
        errors.append(ContentError(Source(rel, problem.line), None, problem.message, problem.hint))
        return None
    if value is None:
        value = LineMap()
        value.line, value.key_lines = 1, {}
    if not isinstance(value, LineMap):
        errors.append(
            ContentError(
                Source(rel, first_line),
                None,
                f"expected 'key: value' lines, found a {type(value).__name__}",
                "write one field per line, like 'title: Elevated error rates'",
            )
        )
        return None
    shifted: LineMap = _shift_lines(value, first_line - 1)
    return shifted


def load_yaml_file(path: Path, rel: str, errors: list[ContentError]) -> Document | None:
    """Load a plain YAML file such as site.yml."""
    data = _read_bytes(path, rel, errors)
    text = _text_of(data, rel, errors) if data is not None else None
    if text is None:
        return None
    if not text.strip():
        errors.append(
            ContentError(Source(rel, 1), None, "file is empty", "see docs/content-format.md")
        )
        return None
    meta = _yaml_mapping(text, rel, 1, errors)
    return Document(rel, meta, "", 0) if meta is not None else None


def split_frontmatter(
    text: str, rel: str, errors: list[ContentError], digest: str = ""
) -> Document | None:
    """Split `---` YAML `---` Markdown; the YAML must open the file."""
    if not text.strip():
        errors.append(
            ContentError(
                Source(rel, 1),
                None,
                "file is empty",
                "start it with frontmatter between '---' lines, then the Markdown text",
            )
        )
        return None
    # Lines end at "\n" only, as editors and grep count them: str.splitlines() would also
    # break at U+2028 and U+2029 and put every later line number off.
    lines = [line + "\n" for line in text.split("\n")]
    if lines[0].rstrip() != FRONTMATTER_FENCE:
        errors.append(
            ContentError(
                Source(rel, 1),
                None,
                "missing frontmatter: the file must start with a '---' line",
                "add '---', the fields (title:, at:, status: …), and '---' at the top of the file",
            )
        )
        return None
    for index in range(1, len(lines)):
        if lines[index].rstrip() == FRONTMATTER_FENCE:
            closing = index
            break
    else:
        errors.append(
            ContentError(
                Source(rel, 1),
                None,
                "frontmatter is not closed",
                "add a '---' line after the last field",
            )
        )
        return None
    meta = _yaml_mapping("".join(lines[1:closing]), rel, 2, errors)
    if meta is None:
        return None
    rest = "".join(lines[closing + 1 :])
    body = rest.strip("\n")
    # The body's first line, after the blank lines that were stripped: errors point into it.
    leading = len(rest) - len(rest.lstrip("\n")) if body else 0
    return Document(rel, meta, body, closing + 2 + leading, digest)


def _load_markdown(
    path: Path | str, rel: str, errors: list[ContentError], known: Mapping[str, str]
) -> Document | None:
    """One Markdown file: the parse an earlier build kept for the same bytes (`known`, by
    digest), or the file parsed now."""
    data = _read_bytes(path, rel, errors)
    if data is None:
        return None
    digest = parsed.source_digest(data)
    entry = known.get(digest)
    kept = parsed.decode(entry) if entry is not None else None
    if kept is not None:
        return Document(rel, *kept, digest, reused=True)
    text = _text_of(data, rel, errors)
    return split_frontmatter(text, rel, errors, digest) if text is not None else None


def _is_hidden(name: str) -> bool:
    return name.startswith((".", "_", "#")) or name.endswith("~")


def _is_loop(path: Path) -> bool:
    try:
        os.stat(path)
    except OSError as error:
        return error.errno == errno.ELOOP
    return False


def _outside(path: Path | str, root: Path) -> bool:
    """A symbolic link, of the file or of a folder above it, that leads out of the content:
    a build would publish whatever it points at."""
    return not Path(path).resolve().is_relative_to(root.resolve())


def _link_outside(rel: str, what: str) -> ContentError:
    return ContentError(
        Source(rel),
        None,
        "symbolic link points outside the content folder",
        f"copy the {what} into the content folder instead of linking to it",
    )


def _name_not_utf8(rel: str) -> ContentError | None:
    """A file name that is not UTF-8 (Python keeps its bytes as lone surrogates) can be part of
    no page, URL or feed: an update's file name is its anchor on the incident page."""
    try:
        rel.encode("utf-8")
    except UnicodeEncodeError:
        shown = rel.encode("utf-8", "surrogateescape").decode("utf-8", "backslashreplace")
        return ContentError(
            Source(rel),
            None,
            f"file name '{shown}' is not UTF-8",
            "rename the file with letters, digits and hyphens",
        )
    return None


def _kind(entry: os.DirEntry[str]) -> str:
    """What a folder entry is once links are followed: 'file', 'dir', 'loop' (a link that
    leads back to itself), 'dangling' (a link to nothing), 'other' (a pipe, socket, device) or
    'unreadable'."""
    try:
        if entry.is_file():
            return "file"
        if entry.is_dir():
            return "dir"
    except OSError as error:  # ELOOP: is_file() follows the link and gives up
        return "loop" if error.errno == errno.ELOOP else "unreadable"
    return "dangling" if entry.is_symlink() else "other"


def _odd_entry(rel: str, kind: str) -> ContentError:
    """An entry named like content that cannot be read as a file: never skipped in silence."""
    if kind == "loop":
        return ContentError(
            Source(rel),
            None,
            "symbolic link loop: the link leads back to itself",
            "remove the link, or point it at a real file or folder",
        )
    if kind == "unreadable":
        return ContentError(
            Source(rel), None, "cannot be read", "check its permissions, or remove it"
        )
    what = {
        "dangling": ("symbolic link to nothing", "fix the link or remove it"),
        "dir": ("a folder named like a Markdown file", "rename the folder, or move its files up"),
        "other": (
            "not a regular file (a pipe, socket or device)",
            "replace it with a plain file, or remove it",
        ),
    }[kind]
    return ContentError(Source(rel), None, f"ignored: {what[0]}", what[1], Level.WARNING)


# The main file of the other kind of folder: an incident folder holding maintenance.md was
# put under the wrong folder, and its fields would be reported as an update's unknown fields.
_OTHER_MAIN = {
    "incident.md": ("maintenance.md", "maintenance"),
    "maintenance.md": ("incident.md", "incidents"),
}


def _wrong_folder(rel: str, name: str, main_name: str) -> ContentError:
    kind = _OTHER_MAIN[main_name][1]
    folder = rel.split("/")[0]
    return ContentError(
        Source(f"{rel}/{name}"),
        None,
        f"{name} in {folder}/: wrong folder",
        f"move the folder to {kind}/{rel.split('/', 1)[-1]}/ ({name} belongs there), or rename the file to {main_name}",
    )


def _load_folder(
    folder: str,
    rel: str,
    root: Path,
    main_name: str,
    errors: list[ContentError],
    known: Mapping[str, str] = NOTHING_PARSED,
) -> Folder:
    """One incident or maintenance folder (`folder` is its path, `rel` its path in the content).

    Paths are plain strings and entries come from one scandir: a site with years of history
    has thousands of files, and pathlib objects and extra stat calls add up.
    """
    main: Document | None = None
    postmortem: Document | None = None
    updates: list[Document] = []
    update_files = 0
    found: list[str] = []
    try:
        with os.scandir(folder) as listing:
            entries = sorted(
                ((entry, _kind(entry)) for entry in listing), key=lambda pair: pair[0].name
            )
    except OSError as error:
        errors.append(
            ContentError(
                Source(rel),
                None,
                f"cannot read folder: {error.strerror}",
                "check the folder's permissions",
            )
        )
        return Folder(Path(folder).name, rel, None, (), None, 0)
    names = {entry.name for entry, kind in entries if kind == "file"}
    other_main = _OTHER_MAIN[main_name][0]
    if other_main in names:
        errors.append(_wrong_folder(rel, other_main, main_name))
    elif main_name not in names:
        errors.append(
            ContentError(
                Source(rel),
                None,
                f"folder has no {main_name}",
                f"add {rel}/{main_name} with the title and other fields",
            )
        )
    for entry, kind in entries:
        name = entry.name
        if _is_hidden(name) or not name.endswith(".md"):
            continue  # attachments (images, logs) may sit beside the updates
        file_rel = f"{rel}/{name}"
        if kind != "file":
            errors.append(_odd_entry(file_rel, kind))
            continue
        if name == other_main:
            continue  # reported above
        # The folder itself was checked by _load_folders: only a link here can lead out.
        if entry.is_symlink() and _outside(entry.path, root):
            errors.append(_link_outside(file_rel, "file"))
            continue
        bad_name = _name_not_utf8(file_rel)
        if bad_name is not None:
            errors.append(bad_name)
            continue
        is_postmortem = name == "postmortem.md" and main_name == "incident.md"
        is_update = name != main_name and not is_postmortem
        update_files += is_update
        found.append(name)
        document = _load_markdown(entry.path, file_rel, errors, known)
        if document is None:
            continue
        if name == main_name:
            main = document
        elif is_postmortem:
            postmortem = document
        else:
            updates.append(document)
    return Folder(
        Path(folder).name, rel, main, tuple(updates), postmortem, update_files, tuple(found)
    )


# A loaded folder with the errors found in it, kept by the preview between rebuilds.
LoadedFolder = tuple[Folder, tuple[ContentError, ...]]


def _load_one(
    path: str, rel: str, root: Path, main_name: str, known: Mapping[str, str]
) -> LoadedFolder:
    errors: list[ContentError] = []
    folder = _load_folder(path, rel, root, main_name, errors, known)
    return folder, tuple(errors)


def _load_folders(
    root: Path,
    kind: str,
    main_name: str,
    errors: list[ContentError],
    runner: Runner = SERIAL,
    known: dict[str, LoadedFolder] | None = None,
    parsed_before: Mapping[str, str] = NOTHING_PARSED,
) -> tuple[Folder, ...]:
    """Every folder under `kind`, in name order; parsed on the runner's processes when the
    time a sample of them takes says it pays.

    Folders in `known` (by path in the content) are reused as they are; `known` is then
    updated to hold exactly the folders found. `parsed_before`: files parsed by an earlier
    build, by the digest of their bytes.
    """
    base = root / kind
    if base.is_symlink() and not base.exists():  # a link to nothing, or a loop
        errors.append(_odd_entry(kind, "loop" if _is_loop(base) else "dangling"))
        return ()
    if not base.is_dir():
        return ()
    if _outside(base, root):  # incidents/ itself links out of the content
        errors.append(_link_outside(kind, "folder"))
        return ()
    paths: list[tuple[str, str]] = []  # (path, path in the content)
    with os.scandir(base) as listing:
        entries = sorted(listing, key=lambda entry: entry.name)
    for entry in entries:
        if _is_hidden(entry.name):
            continue
        rel = f"{kind}/{entry.name}"
        entry_kind = _kind(entry)
        if entry_kind in ("loop", "dangling", "unreadable"):
            errors.append(_odd_entry(rel, entry_kind))
        elif entry_kind == "dir" and entry.is_symlink() and _outside(entry.path, root):
            errors.append(_link_outside(rel, "folder"))
        elif entry_kind == "dir":
            paths.append((entry.path, rel))
        elif entry.name.endswith(".md"):
            errors.append(
                ContentError(
                    Source(rel),
                    None,
                    f"file directly in {kind}/: each one needs its own folder",
                    f"move it to {kind}/{entry.name.removesuffix('.md')}/{main_name}",
                )
            )
    reused = known or {}
    missing = [(path, rel) for path, rel in paths if rel not in reused]
    # A sample of the folders is parsed here first; the rest on workers only if that pays.
    fresh = sampled_map(
        lambda job: _load_one(*job, root, main_name, parsed_before), missing, runner
    )
    found = {**reused, **{rel: loaded for (_, rel), loaded in zip(missing, fresh, strict=True)}}
    folders: list[Folder] = []
    for _, rel in paths:
        folder, folder_errors = found[rel]
        folders.append(folder)
        errors.extend(folder_errors)
    if known is not None:
        for rel in [rel for rel in known if rel.startswith(f"{kind}/")]:
            del known[rel]
        known.update((rel, found[rel]) for _, rel in paths)
    return tuple(folders)


def load_content(
    root: Path,
    runner: Runner = SERIAL,
    known: dict[str, LoadedFolder] | None = None,
    parsed_before: Mapping[str, str] = NOTHING_PARSED,
) -> RawContent:
    """Read every content file under `root`; never raises for a user mistake.

    `known`: folders loaded before, by path in the content (see `_load_folders`); the preview
    keeps it between rebuilds and drops the folders a change touched. `parsed_before`: the
    parses an earlier build kept, by the digest of the file's bytes (a build's cache).
    """
    errors: list[ContentError] = []
    if not root.is_dir():
        errors.append(
            ContentError(
                Source(str(root)),
                None,
                "content folder not found",
                "pass the folder that holds site.yml, e.g. 'statusgen build content'",
            )
        )
        return RawContent(None, (), (), tuple(errors))
    site_path = root / "site.yml"
    site: Document | None = None
    if site_path.is_file() and _outside(site_path, root):
        errors.append(_link_outside("site.yml", "file"))
    elif site_path.is_file():
        site = load_yaml_file(site_path, "site.yml", errors)
    else:
        errors.append(
            ContentError(
                Source("site.yml"),
                None,
                "site.yml not found",
                "create site.yml with name, url, timezone and components (see 'statusgen init')",
                Level.ERROR,
            )
        )
    incidents = _load_folders(
        root, "incidents", "incident.md", errors, runner, known, parsed_before
    )
    maintenances = _load_folders(
        root, "maintenance", "maintenance.md", errors, runner, known, parsed_before
    )
    redirects = _load_redirects(root, errors)
    changes = _load_component_changes(root, errors, parsed_before)
    return RawContent(site, incidents, maintenances, tuple(errors), root, redirects, changes)


def _load_component_changes(
    root: Path, errors: list[ContentError], known: Mapping[str, str]
) -> tuple[Document, ...]:
    """Every `components/<id>/<name>.md`, in path order (few: one per direct change)."""
    top = root / "components"
    if not top.is_dir():
        return ()
    if _outside(top, root):
        errors.append(_link_outside("components", "folder"))
        return ()
    found: list[Document] = []
    for folder in sorted(top.iterdir()):
        rel = f"components/{folder.name}"
        if _is_hidden(folder.name):
            continue
        if not folder.is_dir() or _outside(folder, root):
            errors.append(
                _link_outside(rel, "folder")
                if folder.is_dir()
                else ContentError(
                    Source(rel),
                    None,
                    "expected a folder named after a component",
                    "put each change in components/<component id>/<name>.md",
                )
            )
            continue
        for path in sorted(folder.iterdir()):
            file_rel = f"{rel}/{path.name}"
            if _is_hidden(path.name) or not path.name.endswith(".md"):
                continue
            if not path.is_file() or _outside(path, root):
                errors.append(_link_outside(file_rel, "file"))
                continue
            document = _load_markdown(path, file_rel, errors, known)
            if document is not None:
                found.append(document)
    return tuple(found)


REDIRECTS = "_redirects"


def _load_redirects(root: Path, errors: list[ContentError]) -> str | None:
    """The content folder's `_redirects`, read under the rules of any file it names."""
    if not os.path.lexists(root / REDIRECTS):
        return None
    try:
        data = read_confined(root, REDIRECTS)
    except RefusedFile as refused:
        errors.append(ContentError(Source(REDIRECTS), None, refused.message, refused.hint))
        return None
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError:
        errors.append(ContentError(Source(REDIRECTS), None, "not UTF-8 text", "save it as UTF-8"))
        return None
    return normalise_newlines(text)


def document_bodies(raw: RawContent) -> tuple[list[str], list[str]]:
    """The Markdown bodies of the incident and maintenance files, in folder order: those of
    the main files and post-mortems, and those of the updates (rendered with line breaks)."""
    documents: list[str] = []
    updates: list[str] = []
    for folder in (*raw.incidents, *raw.maintenances):
        for document in (folder.main, folder.postmortem):
            if document is not None and document.body:
                documents.append(document.body)
        updates.extend(document.body for document in folder.updates if document.body)
    return documents, updates


def markdown_documents(raw: RawContent) -> Iterator[Document]:
    """Every Markdown document read: incident and maintenance files, component changes."""
    for folder in (*raw.incidents, *raw.maintenances):
        if folder.main is not None:
            yield folder.main
        yield from folder.updates
        if folder.postmortem is not None:
            yield folder.postmortem
    yield from raw.component_changes


def parses_to_keep(raw: RawContent, parsed_before: Mapping[str, str]) -> dict[str, str]:
    """The parse of every Markdown document read, by digest, for the next build: an entry
    reused as it was, a fresh parse encoded (an entry that was refused is replaced)."""
    return {
        document.digest: parsed_before[document.digest]
        if document.reused
        else parsed.encode(document.meta, document.body, document.body_line)
        for document in markdown_documents(raw)
        if document.digest
    }
