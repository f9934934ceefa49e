"""Terminal output: errors like a compiler's, one summary line per build, a spinner if slow.

rich decides about colour: only on a terminal, never with NO_COLOR set. It is imported
when something is printed, not with the module: `statusgen --help` and a build that prints
one line never pay for it.
"""

from __future__ import annotations

import re
import sys
import threading
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from typing import TYPE_CHECKING, Self

import click

from statusgen.errors import ContentError, Level

if TYPE_CHECKING:
    from rich.console import Console
    from rich.status import Status

    from statusgen.output.location import OutputRefused

# Characters a terminal or CI log obeys instead of showing: C0 controls but tab and newline
# (ESC starts colour, cursor and title sequences; CR overwrites the line), DEL, C1 controls,
# and the bidirectional overrides and isolates that reorder what is shown (CVE-2021-42574).
_UNPRINTABLE = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")


def _visible(match: re.Match[str]) -> str:
    code = ord(match.group())
    return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}"


def printable(value: object) -> str:
    """`value` as text that shows what it holds: every control character a terminal would
    obey becomes a visible escape (ESC → \\x1b, U+202E → \\u202e). Everything the commands
    print that came from content, arguments or the file system goes through here."""
    return _UNPRINTABLE.sub(_visible, str(value))


def markup(value: object) -> str:
    """`value` made printable and escaped for rich markup, to embed in a markup string: a
    path like `out[/]` is printed as written instead of being read as a closing tag."""
    from rich.markup import escape

    return escape(printable(value))


def echo(message: object = "", err: bool = False) -> None:
    """`click.echo` of `message` made printable: the one way the commands print a plain line,
    so that a title, slug or path in it is shown, never obeyed, by the terminal."""
    click.echo(printable(message), err=err)


def print_error(console: Console, message: object) -> None:
    """`error: message` in red, `message` printed as written: no markup, no controls."""
    from rich.text import Text

    console.print(Text.assemble(("error", "bold red"), f": {printable(message)}"))


@contextmanager
def printable_errors() -> Iterator[None]:
    """Usage errors made printable on their way to click, which prints them.

    Their messages quote what was typed (an unknown slug, a component, a folder), so they
    are cleaned once here rather than at each of the many places that raise them."""
    try:
        yield
    except click.ClickException as error:
        # click declares it Final for its own code; the message is only made printable here.
        error.message = printable(error.message)  # type: ignore[misc]
        raise


def error_console() -> Console:
    from rich.console import Console

    return Console(stderr=True, highlight=False, soft_wrap=True)


def counted(count: int, word: str) -> str:
    """'1 error', '2 errors': every count the commands print."""
    return f"{count} {word}{'' if count == 1 else 's'}"


def print_error_count(console: Console, errors: Iterable[ContentError], consequence: str) -> None:
    """Every problem like a compiler, then '3 errors: <consequence>' (build and preview)."""
    from rich.text import Text

    errors = list(errors)
    print_problems(console, errors)
    console.print(Text.assemble((counted(len(errors), "error"), "bold red"), f": {consequence}"))


def print_problems(console: Console, problems: Iterable[ContentError]) -> None:
    from rich.text import Text

    for problem in problems:
        style = "bold red" if problem.level is Level.ERROR else "bold yellow"
        line = Text()
        line.append(printable(problem.source), style="bold")
        line.append(": ")
        line.append(problem.level.value, style=style)
        line.append(":")
        if problem.field:
            line.append(f" {printable(problem.field)}:", style="cyan")
        line.append(f" {printable(problem.message)}")
        console.print(line)
        if problem.hint:
            console.print(Text(f"    fix: {printable(problem.hint)}", style="dim"))


def print_refusal(console: Console, refused: OutputRefused) -> None:
    """A refused --output: what would have been destroyed, and the fix (exit status 2)."""
    from rich.text import Text

    line = Text()
    line.append("error", style="bold red")
    line.append(f": {printable(refused)}; nothing was written.")
    console.print(line)
    console.print(Text(f"    fix: {printable(refused.hint)}", style="dim"))


NEXT_STAGE = {
    "": "loading",
    "load": "deriving",
    "derive": "rendering",
    "render": "writing",
    "write": "done",
}


class DelayedStatus:
    """A transient spinner on stdout that appears only once work has taken `delay` seconds.

    Quick builds print their one summary line and nothing else; a slow one shows what it
    is doing. Nothing is shown when stdout is not a terminal (CI logs, pipes).
    """

    def __init__(
        self, console: Console | None = None, delay: float = 1.0, label: str = "Building"
    ) -> None:
        self.console = console  # made only if the spinner shows: most builds never need it
        self.delay = delay
        self.label = label
        self.stage = ""
        self._status: Status | None = None
        self._timer: threading.Timer | None = None
        self._lock = threading.Lock()

    def _text(self) -> str:
        return f"{self.label}: {NEXT_STAGE.get(self.stage, self.stage)}…"

    def _show(self) -> None:
        with self._lock:
            if self._timer is None:  # already finished
                return
            if self.console is None:
                from rich.console import Console

                self.console = Console(highlight=False)
            self._status = self.console.status(self._text())
            self._status.start()

    def __call__(self, stage: str) -> None:
        """The build's progress callback: `stage` has just finished."""
        with self._lock:
            self.stage = stage
            if self._status is not None:
                self._status.update(self._text())

    def __enter__(self) -> Self:
        terminal = self.console.is_terminal if self.console else sys.stdout.isatty()
        if terminal:
            self._timer = threading.Timer(self.delay, self._show)
            self._timer.daemon = True
            self._timer.start()
        return self

    def __exit__(self, *_: object) -> None:
        with self._lock:
            if self._timer is not None:
                self._timer.cancel()
                self._timer = None
            if self._status is not None:
                self._status.stop()
                self._status = None
