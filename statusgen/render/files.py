"""The built site as a value: output path → bytes, refusing to write one path twice."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Protocol

from statusgen.text import safe_path


class DuplicateOutput(Exception):
    """Two outputs claimed one path: a bug in a renderer, never a user mistake."""


class FileSink(Protocol):
    """Where a renderer puts its files: the staging folder of a build, memory, a recorder."""

    def add(self, path: str, data: bytes | str) -> None: ...


class SiteFiles:
    def __init__(self) -> None:
        self._files: dict[str, bytes] = {}

    def add(self, path: str, data: bytes | str) -> None:
        path = safe_path(path)
        if path in self._files:
            raise DuplicateOutput(f"two outputs write {path}")
        self._files[path] = data.encode() if isinstance(data, str) else data

    def __iter__(self) -> Iterator[tuple[str, bytes]]:
        return iter(sorted(self._files.items()))

    def __len__(self) -> int:
        return len(self._files)

    def __contains__(self, path: str) -> bool:
        return path.lstrip("/") in self._files

    def get(self, path: str) -> bytes:
        return self._files[path.lstrip("/")]
