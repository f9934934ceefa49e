"""User mistakes as values: collected, sorted and printed like a compiler's errors."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum


class Level(StrEnum):
    ERROR = "error"
    WARNING = "warning"


@dataclass(frozen=True, slots=True)
class Source:
    """Where a value came from: a path relative to the content folder and a 1-based line."""

    path: str
    line: int | None = None

    def __str__(self) -> str:
        return f"{self.path}:{self.line}" if self.line else self.path


@dataclass(frozen=True, slots=True)
class ContentError:
    """One mistake in the content, with everything needed to fix it at 3 a.m."""

    source: Source
    field: str | None
    message: str
    hint: str | None = None
    level: Level = Level.ERROR

    def sort_key(self) -> tuple[str, int, str]:
        return (self.source.path, self.source.line or 0, self.field or "")

    def format(self) -> str:
        field = f" {self.field}:" if self.field else ""
        text = f"{self.source}: {self.level.value}:{field} {self.message}"
        if self.hint:
            text += f"\n    fix: {self.hint}"
        return text


class ContentInvalid(Exception):
    """Raised at the edge of the pipeline when the collected errors make a build impossible."""

    def __init__(self, errors: list[ContentError]) -> None:
        super().__init__(f"{len(errors)} error(s) in content")
        self.errors = sorted(errors, key=ContentError.sort_key)

    def __reduce__(self) -> tuple[type[ContentInvalid], tuple[list[ContentError]]]:
        # Raised on a worker, it travels back pickled: rebuild it from the errors.
        return (ContentInvalid, (self.errors,))
