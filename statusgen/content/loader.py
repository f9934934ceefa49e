"""LOAD: find the content files and split each into frontmatter and Markdown body.

Knows nothing of incidents or HTML: it returns documents with their source lines, and
errors for files that cannot even be read (bad encoding, missing frontmatter, bad YAML).
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from statusgen.content.yamlsource import LineMap, YamlProblem, parse_yaml
from statusgen.errors import ContentError, Level, Source
from statusgen.text import xml_safe
from statusgen.workers import fork_map

FRONTMATTER_FENCE = "---"
# An update is a few paragraphs; a file this large is a mistake (a log pasted in) and would
# slow every build. Refused with a message rather than rendered.
MAX_FILE_BYTES = 512 * 1024


@dataclass(frozen=True, slots=True)
class Document:
    """One content file: its frontmatter as a LineMap (lines are file lines) and its body."""

    path: str  # relative to the content folder, with forward slashes
    meta: LineMap
    body: str
    body_line: int


@dataclass(frozen=True, slots=True)
class Folder:
    """An incident or maintenance folder: its main document and the update documents."""

    slug: str
    path: str
    main: Document | None
    updates: tuple[Document, ...]
    postmortem: Document | None
    update_files: int = 0  # update files found, readable or not


@dataclass(frozen=True, slots=True)
class RawContent:
    site: Document | None
    incidents: tuple[Folder, ...]
    maintenances: tuple[Folder, ...]
    errors: tuple[ContentError, ...]


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


def _read_text(path: Path, rel: str, errors: list[ContentError]) -> str | None:
    try:
        size = path.stat().st_size
        if size > MAX_FILE_BYTES:
            errors.append(
                ContentError(
                    Source(rel),
                    None,
                    f"file is {size / 1024 / 1024:.1f} MB; a content file may be at most {MAX_FILE_BYTES // 1024} KB",
                    "link to long logs or documents instead of pasting them into the update",
                )
            )
            return None
        data = path.read_bytes()
    except OSError as error:
        errors.append(ContentError(Source(rel), None, f"cannot read file: {error.strerror}"))
        return None
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
    return xml_safe(text.removeprefix("\ufeff"))


def _yaml_mapping(text: str, rel: str, first_line: int, errors: list[ContentError]) -> LineMap | None:
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
    return _shift_lines(value, first_line - 1)


def load_yaml_file(path: Path, rel: str, errors: list[ContentError]) -> Document | None:
    """Load a plain YAML file such as site.yml."""
    text = _read_text(path, rel, errors)
    if text is None:
        return None
    if not text.strip():
        errors.append(ContentError(Source(rel, 1), None, "file is empty", "see docs/content-format.md"))
        return None
    meta = _yaml_mapping(text, rel, 1, errors)
    return Document(rel, meta, "", 0) if meta is not None else None


def split_frontmatter(text: str, rel: str, errors: list[ContentError]) -> Document | None:
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
    lines = text.splitlines(keepends=True)
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
    body = "".join(lines[closing + 1 :]).strip("\n")
    return Document(rel, meta, body, closing + 2)


def _load_markdown(path: Path, rel: str, errors: list[ContentError]) -> Document | None:
    text = _read_text(path, rel, errors)
    return split_frontmatter(text, rel, errors) if text is not None else None


def _rel(path: Path, root: Path) -> str:
    return path.relative_to(root).as_posix()


def _is_hidden(path: Path) -> bool:
    return path.name.startswith((".", "_", "#")) or path.name.endswith("~")


def _outside(path: Path, root: Path) -> bool:
    """A symbolic link, of the file or of a folder above it, that leads out of the content:
    a build would publish whatever it points at."""
    return not path.resolve().is_relative_to(root.resolve())


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
        return ContentError(Source(rel), None, f"file name '{shown}' is not UTF-8", "rename the file with letters, digits and hyphens")
    return None


def _load_folder(folder: Path, root: Path, main_name: str, errors: list[ContentError]) -> Folder:
    main: Document | None = None
    postmortem: Document | None = None
    updates: list[Document] = []
    update_files = 0
    main_path = folder / main_name
    if not main_path.is_file():
        errors.append(
            ContentError(
                Source(_rel(folder, root)),
                None,
                f"folder has no {main_name}",
                f"add {_rel(main_path, root)} with the title and other fields",
            )
        )
    for path in sorted(folder.iterdir()):
        if _is_hidden(path) or path.suffix != ".md" or not path.is_file():
            continue  # attachments (images, logs) may sit beside the updates
        # The folder itself was checked by _load_folders: only a link here can lead out.
        if path.is_symlink() and _outside(path, root):
            errors.append(_link_outside(_rel(path, root), "file"))
            continue
        bad_name = _name_not_utf8(_rel(path, root))
        if bad_name is not None:
            errors.append(bad_name)
            continue
        is_update = path.name != main_name and not (path.name == "postmortem.md" and main_name == "incident.md")
        update_files += is_update
        document = _load_markdown(path, _rel(path, root), errors)
        if document is None:
            continue
        if path.name == main_name:
            main = document
        elif path.name == "postmortem.md" and main_name == "incident.md":
            postmortem = document
        else:
            updates.append(document)
    return Folder(folder.name, _rel(folder, root), main, tuple(updates), postmortem, update_files)


# Below this many folders, starting worker processes costs more than parsing in one.
PARALLEL_THRESHOLD = 200


def _load_chunk(job: tuple[list[Path], Path, str]) -> tuple[list[Folder], list[ContentError]]:
    """Worker side of `_load_folders`: load some folders, return them with their errors."""
    paths, root, main_name = job
    errors: list[ContentError] = []
    return [_load_folder(path, root, main_name, errors) for path in paths], errors


def _load_folders(root: Path, kind: str, main_name: str, errors: list[ContentError], workers: int = 1) -> tuple[Folder, ...]:
    """Every folder under `kind`, in name order; parsed on `workers` processes when it pays."""
    base = root / kind
    if not base.is_dir():
        return ()
    paths = []
    for path in sorted(base.iterdir()):
        if _is_hidden(path):
            continue
        if path.is_dir() and _outside(path, root):
            errors.append(_link_outside(_rel(path, root), "folder"))
        elif path.is_dir():
            paths.append(path)
        elif path.suffix == ".md":
            errors.append(
                ContentError(
                    Source(_rel(path, root)),
                    None,
                    f"file directly in {kind}/: each one needs its own folder",
                    f"move it to {kind}/{path.stem}/{main_name}",
                )
            )
    if workers <= 1 or len(paths) < PARALLEL_THRESHOLD:
        return tuple(_load_folder(path, root, main_name, errors) for path in paths)
    size = -(-len(paths) // (workers * 2))
    jobs = [(paths[i : i + size], root, main_name) for i in range(0, len(paths), size)]
    results = fork_map(_load_chunk, jobs, workers)
    folders: list[Folder] = []
    for loaded, chunk_errors in results:  # chunks come back in order: folders stay sorted
        folders.extend(loaded)
        errors.extend(chunk_errors)
    return tuple(folders)


def load_content(root: Path, workers: int = 1) -> RawContent:
    """Read every content file under `root`; never raises for a user mistake."""
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
    incidents = _load_folders(root, "incidents", "incident.md", errors, workers)
    maintenances = _load_folders(root, "maintenance", "maintenance.md", errors, workers)
    return RawContent(site, incidents, maintenances, tuple(errors))
