"""The build cache: results of earlier builds that a later build may reuse.

Every entry is keyed by a hash of its inputs (the Markdown text and everything that shapes
its HTML; Jinja keys compiled templates by their source), never by modification times, so
a stale entry can only be missed, not used. Deleting the folder is always safe, and
`--no-cache` builds give byte-identical output (tested).

The folder is not trusted: anyone who can write to the working folder (a pull request's
build, a restored CI cache) can write it. This module only checks the file's shape; the
Markdown renderer sanitises every entry it uses again, as it does fresh output.
"""

from __future__ import annotations

import json
import os
import tempfile
from collections.abc import Mapping
from pathlib import Path

MARKDOWN_FILE = "markdown.json"
TEMPLATES_DIR = "templates"


def load_markdown(cache_dir: Path | None, renderer_key: str) -> dict[str, str]:
    """Rendered Markdown from the last build, if it was made by the same renderer (unsanitised:
    the renderer cleans each entry it uses)."""
    if cache_dir is None:
        return {}
    try:
        stored = json.loads((cache_dir / MARKDOWN_FILE).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    if not isinstance(stored, dict) or stored.get("renderer") != renderer_key or not isinstance(stored.get("html"), dict):
        return {}
    return {k: v for k, v in stored["html"].items() if isinstance(k, str) and isinstance(v, str)}


def save_markdown(cache_dir: Path | None, renderer_key: str, html: Mapping[str, str]) -> None:
    """Keep this build's rendered Markdown (only what it used), written atomically."""
    if cache_dir is None:
        return
    try:
        cache_dir.mkdir(parents=True, exist_ok=True)
        handle, temporary = tempfile.mkstemp(prefix=".markdown-", dir=cache_dir)
        with os.fdopen(handle, "w", encoding="utf-8") as stream:
            json.dump({"renderer": renderer_key, "html": dict(sorted(html.items()))}, stream, ensure_ascii=False)
        os.replace(temporary, cache_dir / MARKDOWN_FILE)
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
