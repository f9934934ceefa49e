"""The build cache: results of earlier builds that a later build may reuse.

Every entry is keyed by a hash of its inputs (the Markdown text and everything that shapes
its HTML; a content file's bytes and the code that parses them; Jinja keys compiled
templates by their source), never by modification times, so a stale entry can only be
missed, not used. Deleting the folder is always safe, and
`--no-cache` builds give byte-identical output (tested).

The folder is not trusted: anyone who can write to the working folder (a pull request's
build, a restored CI cache) can write it. This module only checks the file's shape; the
Markdown renderer sanitises every entry it uses again, as it does fresh output, and a parsed
document is accepted only in the shapes the YAML reader makes (statusgen.content.parsed). Compiled
templates are code, which no check of their shape makes safe: they are signed with a key
kept outside every repository (`signing_key`), and an entry without a valid signature is
compiled again from the template's source.
"""

from __future__ import annotations

import json
import os
import secrets
import tempfile
from collections.abc import Mapping
from pathlib import Path

MARKDOWN_FILE = "markdown.json"
# One parsed content file per line, "<digest> <entry>", after a first line naming the parser:
# a deploy build of 1,000 incidents reads some 4,500 entries, and splitting lines is far
# cheaper than decoding one JSON document of them all; each entry is decoded only if used.
DOCUMENTS_FILE = "documents.txt"
TEMPLATES_DIR = "templates"
KEY_BYTES = 32
KEY_FILE = Path("statusgen") / "cache-key"


def load_markdown(cache_dir: Path | None, renderer_key: str) -> dict[str, str]:
    """Rendered Markdown from the last build, if it was made by the same renderer (unsanitised:
    the renderer cleans each entry it uses)."""
    if cache_dir is None:
        return {}
    try:
        stored = json.loads((cache_dir / MARKDOWN_FILE).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    if (
        not isinstance(stored, dict)
        or stored.get("renderer") != renderer_key
        or not isinstance(stored.get("html"), dict)
    ):
        return {}
    return {k: v for k, v in stored["html"].items() if isinstance(k, str) and isinstance(v, str)}


def save_markdown(cache_dir: Path | None, renderer_key: str, html: Mapping[str, str]) -> None:
    """Keep this build's rendered Markdown (only what it used), written atomically."""
    if cache_dir is not None:
        document = {"renderer": renderer_key, "html": dict(sorted(html.items()))}
        _save(cache_dir, MARKDOWN_FILE, json.dumps(document, ensure_ascii=False))


def load_documents(cache_dir: Path | None, parser_key: str) -> dict[str, str]:
    """Parsed content files from the last build, by the digest of their bytes, if the same
    parser made them; entries still encoded (statusgen.content.parsed decodes those used)."""
    if cache_dir is None:
        return {}
    try:
        text = (cache_dir / DOCUMENTS_FILE).read_text(encoding="utf-8")
    except (OSError, ValueError):
        return {}
    header, _, rest = text.partition("\n")
    if header != json.dumps({"parser": parser_key}):
        return {}
    entries: dict[str, str] = {}
    for line in rest.split("\n"):
        digest, _, entry = line.partition(" ")
        if entry:
            entries[digest] = entry
    return entries


def save_documents(cache_dir: Path | None, parser_key: str, entries: Mapping[str, str]) -> None:
    """Keep this build's parsed content files (only those it read), written atomically;
    each entry is one line of JSON (statusgen.content.parsed.encode)."""
    if cache_dir is not None:
        lines = [json.dumps({"parser": parser_key})]
        lines += [f"{digest} {entries[digest]}" for digest in sorted(entries)]
        _save(cache_dir, DOCUMENTS_FILE, "\n".join(lines) + "\n")


def _save(cache_dir: Path, name: str, text: str) -> None:
    """Write one cache file atomically: a build that stops half-way leaves the old one."""
    try:
        cache_dir.mkdir(parents=True, exist_ok=True)
        handle, temporary = tempfile.mkstemp(prefix=f".{name}-", dir=cache_dir)
        with os.fdopen(handle, "w", encoding="utf-8") as stream:
            stream.write(text)
        os.replace(temporary, cache_dir / name)
    except OSError:
        pass  # a cache that cannot be written only makes the next build slower


def templates_dir(cache_dir: Path | None) -> Path | None:
    if cache_dir is None:
        return None
    path = cache_dir / TEMPLATES_DIR
    try:
        path.mkdir(parents=True, exist_ok=True)
    except OSError:
        return None
    return path


def signing_key() -> bytes | None:
    """This user's secret for signing compiled templates, made on first use; None when it
    can be neither read nor made (the build then compiles every template).

    It lives in the user's cache folder ($XDG_CACHE_HOME, else ~/.cache), never beside the
    content: a repository can carry a poisoned `.statusgen-cache`, not this user's key.
    """
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    path = Path(base) / KEY_FILE
    try:
        path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
        try:
            handle = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_CLOEXEC, 0o600)
        except FileExistsError:
            key = path.read_bytes()
            return key if len(key) == KEY_BYTES else None
        with os.fdopen(handle, "wb") as stream:
            key = secrets.token_bytes(KEY_BYTES)
            stream.write(key)
        return key
    except (OSError, RuntimeError):  # RuntimeError: no home folder to be found
        return None
