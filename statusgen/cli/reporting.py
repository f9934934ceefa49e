"""Terminal output: errors like a compiler's, one summary line per build.

rich decides about colour: only on a terminal, never with NO_COLOR set.
"""

from __future__ import annotations

from collections.abc import Iterable

from rich.console import Console
from rich.text import Text

from statusgen.errors import ContentError, Level


def error_console() -> Console:
    return Console(stderr=True, highlight=False, soft_wrap=True)


def print_problems(console: Console, problems: Iterable[ContentError]) -> None:
    for problem in problems:
        style = "bold red" if problem.level is Level.ERROR else "bold yellow"
        line = Text()
        line.append(str(problem.source), style="bold")
        line.append(": ")
        line.append(problem.level.value, style=style)
        line.append(":")
        if problem.field:
            line.append(f" {problem.field}:", style="cyan")
        line.append(f" {problem.message}")
        console.print(line)
        if problem.hint:
            console.print(Text(f"    fix: {problem.hint}", style="dim"))
