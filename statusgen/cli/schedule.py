"""`statusgen schedule`: when the built site will change by itself, for a scheduler to rebuild.

A build shows the facts as of the last moment they changed (derive.clock); without a push,
they change again only at a clock event: a maintenance window opening or closing, a promised
update falling due, a local midnight. This command lists those moments, one JSON object a
line, so that a scheduled job (the site's .github/workflows/status-rebuild.yml) rebuilds only
when one has passed since the live build, and never otherwise.
"""

from __future__ import annotations

import json
from datetime import datetime, timedelta
from pathlib import Path

import click

from statusgen.cli.options import content_argument, content_folder, parse_now
from statusgen.cli.reporting import counted, echo, error_console, print_problems
from statusgen.derive.clock import ClockEvent, clock_events
from statusgen.errors import ContentInvalid
from statusgen.model import Content
from statusgen.validate import load_and_validate

# How far ahead the schedule looks when --until is not given (the contract's default).
DEFAULT_SPAN = timedelta(days=7)


def parse_until(value: str | None, now: datetime) -> datetime:
    """--until, read by the rules of --now (an offset or Z, years 1990–2199), else 7 days after
    now. Before now it is a usage error: the question "what changes between now and then"
    has no answer, and a scheduler asking it has its two times swapped."""
    if value is None:
        return now + DEFAULT_SPAN
    try:
        until = parse_now(value)
    except click.BadParameter as problem:
        problem.param_hint = "--until"
        raise
    if until < now:
        raise click.BadParameter(
            f"'{value}' is before --now ({now.isoformat(timespec='seconds')})",
            param_hint="--until",
        )
    return until


def schedule_line(event: ClockEvent, content: Content) -> str:
    """The contract's line: `at` in the site's time zone, to the second, with its offset."""
    at = event.at.astimezone(content.site.timezone).isoformat(timespec="seconds")
    return json.dumps({"at": at, "reason": event.reason, "ref": event.ref})


@click.command("schedule")
@content_argument
@click.option(
    "--now",
    "now_text",
    metavar="ISO8601",
    help="List the changes after this time. Default: SOURCE_DATE_EPOCH, else the clock.",
)
@click.option(
    "--until",
    "until_text",
    metavar="ISO8601",
    help="List the changes up to this time (included). Default: 7 days after --now.",
)
def schedule_command(
    content: Path | None,
    content_option: Path | None,
    now_text: str | None,
    until_text: str | None,
) -> None:
    """Print, one JSON object a line, the moments after now at which the built site changes
    by itself."""
    folder = content_folder(content, content_option)
    now = parse_now(now_text)
    until = parse_until(until_text, now)
    try:
        site, _ = load_and_validate(folder)
    except ContentInvalid as invalid:
        print_problems(error_console(), invalid.errors)
        echo(f"schedule failed: {counted(len(invalid.errors), 'error')}", err=True)
        raise SystemExit(1) from None
    for event in clock_events(site, now, until):
        click.echo(schedule_line(event, site))
