"""Questions for a person at a terminal, and what a script or --yes gets instead.

Every on-call command asks for what is missing when someone sits at a terminal, takes
options in scripts and asks nothing with --yes: `given_or_asked` holds that rule once,
so a command only says what to ask and what a script gets (a default, or a usage error
naming the option to give).
"""

from __future__ import annotations

import sys
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import NoReturn, TypeVar

import click

from statusgen.cli.drafts import cadence_promise
from statusgen.cli.options import parse_later, short_duration
from statusgen.cli.reporting import echo, printable, printable_errors
from statusgen.model import Severity, Site

T = TypeVar("T")


def refuse(message: str) -> NoReturn:
    """Refuse an answer or an option: a prompt asks again, a command exits 2 with it."""
    raise click.BadParameter(message)


def ask(text: str, default: str | None, check: Callable[[str], T]) -> T:
    """A prompt that repeats until `check` accepts the answer (its error is shown).

    The question, its default and the error, which quotes the answer, are shown printable:
    a default drafted from site.yml or an answer pasted with an escape sequence is shown,
    never obeyed. (Defaults come from loaded content, which holds no control character,
    so the printable default is the default itself.)"""

    def value_proc(answer: str) -> T:
        with printable_errors():  # click.prompt prints the error itself
            return check(answer.strip())

    shown = None if default is None else printable(default)
    answer: T = click.prompt(
        printable(text),
        default=shown,
        value_proc=value_proc,
        show_default=default is not None and default != "",
    )
    return answer


@dataclass(frozen=True, slots=True)
class Required:
    """What a script is told when it leaves out an option that has no safe default."""

    usage: str


def given_or_asked(
    given: T | None,
    interactive: bool,
    question: str,
    check: Callable[[str], T],
    *,
    default: str | None = None,
    unattended: T | Required,
    context: Sequence[str] = (),
) -> T:
    """The option's value if given; else, at a terminal, the answer to `question` (after the
    `context` lines, which list what it may name); else what `unattended` says: the value a
    script gets, or the usage error telling it which option to give."""
    if given is not None:
        return given
    if interactive:
        for line in context:
            echo(line)
        return ask(question, default, check)
    if isinstance(unattended, Required):
        raise click.UsageError(unattended.usage)
    return unattended


def required(what: str) -> Callable[[str], str]:
    """A check for a question that has no default: a blank answer is asked again."""
    return lambda answer: answer or refuse(f"{what} is required")


def require_terminal_for_edit() -> None:
    """$EDITOR needs a person at a terminal; without one it would hang or fail obscurely."""
    if not (sys.stdin.isatty() and sys.stdout.isatty()):
        raise click.UsageError(
            "--edit opens $EDITOR, which needs a terminal; in a script, give the text with --message"
        )


def edited(draft: str, what: str) -> str:
    """`draft` as the person left it in $EDITOR; an emptied text writes nothing."""
    require_terminal_for_edit()
    text = click.edit(draft + "\n", extension=".md", require_save=False)
    if text is None or not text.strip():
        raise click.UsageError(f"{what} is empty; nothing was written")
    return text


def message_text(message: str | None, edit: bool, draft: str, interactive: bool) -> str:
    """--message, else the draft in $EDITOR with --edit, else a prompt, else the draft."""
    if message is not None and edit:
        raise click.UsageError("give either --message or --edit, not both")
    if edit:
        require_terminal_for_edit()
    if message is not None:
        if not message.strip():
            raise click.BadParameter("the message is empty", param_hint="--message")
        return message.strip()
    if edit:
        return edited(draft, "the message").strip()
    return plain_message(None, draft, interactive)


def plain_message(
    message: str | None, draft: str, interactive: bool, question: str = "Message to customers"
) -> str:
    """--message as given, else a prompt offering the draft, else (--yes, a script) the draft."""
    if message is not None:
        return message
    if interactive:
        return ask(question, draft, lambda answer: answer or draft)
    return draft


def next_update_default(site: Site, severity: Severity) -> str:
    """The site's update cadence as an answer to type (`30m`, `1h`), or blank if it has none."""
    cadence = site.cadence_for(severity)
    if cadence is None:
        return ""
    return short_duration(cadence).replace(" ", "").replace("min", "m")


def ask_next_update(site: Site, severity: Severity, at: datetime) -> datetime | None:
    default = next_update_default(site, severity)

    def check(answer: str) -> datetime | None:
        if answer:
            return parse_later(answer, at, site.timezone, "next update")
        if default:  # the page would show the cadence's promise anyway
            raise click.BadParameter(
                f"this site promises an update every {default} (update_cadence); give a time"
            )
        return None

    hint = "30m, 1h, or a time" if default else "30m, 1h, or a time; blank for none"
    return ask(f"Next update in ({hint})", default, check)


def next_update(
    given: datetime | None, site: Site, severity: Severity, at: datetime, interactive: bool
) -> datetime | None:
    """--next-update, else asked at a terminal, else the promise of the site's cadence."""
    if given is not None:
        return given
    if interactive:
        return ask_next_update(site, severity, at)
    return cadence_promise(site, severity, at)
