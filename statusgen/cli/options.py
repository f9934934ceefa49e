"""What every command shares: "now", the content folder, vocabulary checks, prompts.

The clock is read here and nowhere else (`parse_now`); everything below the CLI receives
"now" as an argument. The validation and derive modules it borrows from are imported by the
functions that use them: `statusgen --help` imports this module and none of them.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Callable, Iterable
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any, TypeVar
from zoneinfo import ZoneInfo

import click

from statusgen.cli.reporting import printable

F = TypeVar("F", bound=Callable[..., Any])


def parse_now(value: str | None) -> datetime:
    """--now, else SOURCE_DATE_EPOCH, else the clock: the only place that reads it.

    A time outside the years content may use (1990–2199) is a usage error: near year 9999
    every later date overflows, and a far future would make history pages run for minutes."""
    if value:
        try:
            moment = datetime.fromisoformat(value)
        except ValueError:
            raise click.BadParameter(
                f"'{value}' is not an ISO 8601 time, e.g. 2026-11-23T13:30:00Z", param_hint="--now"
            ) from None
        if moment.utcoffset() is None:
            raise click.BadParameter(
                "give an offset or Z, e.g. 2026-11-23T13:30:00Z", param_hint="--now"
            )
        return _in_range(moment, f"'{value}'", "--now")
    epoch = os.environ.get("SOURCE_DATE_EPOCH")
    if epoch:
        what = f"SOURCE_DATE_EPOCH='{epoch}'"
        try:
            seconds = int(epoch)
        except ValueError:
            raise click.BadParameter(f"{what} is not a whole number of seconds") from None
        try:
            moment = datetime.fromtimestamp(seconds, UTC)
        except (ValueError, OverflowError, OSError):  # beyond year 9999 or the platform's time_t
            raise click.BadParameter(_range_message(what)) from None
        return _in_range(moment, what, None)
    return datetime.now(UTC)


def _range_message(what: str) -> str:
    from statusgen.validate import fields

    return f"{what} is outside {fields.EARLIEST_YEAR}–{fields.LATEST_YEAR}; check the year"


def _in_range(moment: datetime, what: str, option: str | None) -> datetime:
    """`moment` if it falls within the years content may use, else a usage error."""
    from statusgen.validate import fields

    try:
        year = moment.astimezone(UTC).year
    except OverflowError:  # 9999-12-31T23:00-05:00 is in year 10000 in UTC
        year = fields.LATEST_YEAR + 1
    if not fields.EARLIEST_YEAR <= year <= fields.LATEST_YEAR:
        raise click.BadParameter(_range_message(what), param_hint=option)
    return moment


def content_option(function: F) -> F:
    """`--content DIR`, default ./content, for the incident, maintenance and status commands."""
    return click.option(
        "--content",
        "content_dir",
        default="content",
        show_default=True,
        type=click.Path(path_type=Path, file_okay=False),
        help="Content folder (the one holding site.yml).",
    )(function)


def content_argument(function: F) -> F:
    """`[CONTENT]` and `--content DIR` both, for build, lint and serve: the folder as their
    argument, as they always took it, or as the option every other command takes.
    `content_folder` turns the two into one folder."""
    function = click.option(
        "--content",
        "content_option",
        metavar="DIR",
        type=click.Path(path_type=Path, file_okay=False),
        help="Content folder, as the incident and maintenance commands take it (same as CONTENT).",
    )(function)
    return click.argument(
        "content", required=False, type=click.Path(path_type=Path, file_okay=False)
    )(function)


def content_folder(argument: Path | None, option: Path | None) -> Path:
    """The folder named by the argument or by --content (both may be given if they agree),
    else ./content; two different folders are a usage error (exit 2)."""
    if argument is not None and option is not None and argument.resolve() != option.resolve():
        raise click.UsageError(
            printable(f"two content folders given: {argument} and --content {option}; give one")
        )
    return argument or option or Path("content")


def now_option(function: F) -> F:
    return click.option(
        "--now",
        "now_text",
        metavar="ISO8601",
        help="Act as if it were this time (tests, replaying). Default: SOURCE_DATE_EPOCH, else the clock.",
    )(function)


def write_options(function: F) -> F:
    """--yes and --commit: the options of every command that writes content."""
    function = click.option("--commit", is_flag=True, help="git commit exactly the files written.")(
        function
    )
    function = click.option(
        "-y", "--yes", is_flag=True, help="Ask nothing: use the options and defaults."
    )(function)
    return function


def is_interactive(yes: bool) -> bool:
    """Ask questions only of a person at a terminal, and never with --yes."""
    return not yes and sys.stdin.isatty()


def vocabulary(value: str, known: Iterable[str], what: str, option: str | None = None) -> str:
    """The value if it is one of `known`; else a usage error listing them, with did-you-mean."""
    from statusgen.validate import fields

    known = list(known)
    if value in known:
        return value
    raise click.BadParameter(
        f"unknown {what} '{value}' ({fields.did_you_mean(value, known)})", param_hint=option
    )


def parse_moment(value: str, zone: ZoneInfo, option: str) -> datetime:
    """ISO 8601; without an offset it is a time in the site's timezone (as in content files)."""
    from statusgen.validate import fields

    try:
        return fields.moment(zone)(value)
    except fields.Invalid as problem:
        raise click.BadParameter(
            f"{problem.message}; {problem.hint}" if problem.hint else problem.message,
            param_hint=option,
        ) from None


def parse_later(value: str, at: datetime, zone: ZoneInfo, option: str) -> datetime:
    """A duration after `at` (30m, 1h) or an ISO 8601 time; it must be after `at`."""
    from statusgen.validate import fields

    try:
        moment = at + fields.duration(value)
    except fields.Invalid:
        moment = parse_moment(value, zone, option)
    if moment <= at:
        raise click.BadParameter(
            f"{value} is not after {at.isoformat(timespec='seconds')}", param_hint=option
        )
    return moment.astimezone(zone).replace(microsecond=0)


def site_time(now: datetime, zone: ZoneInfo) -> datetime:
    """`at` as the CLI writes it: in the site timezone, to the second, with its offset."""
    return now.astimezone(zone).replace(microsecond=0)


def short_duration(delta: timedelta) -> str:
    """45 min, 1 h 20 min, 3 d 4 h: the pages' wording (derive.durations), signed when negative."""
    from statusgen.derive.durations import UNDER_A_MINUTE, duration_text

    text = duration_text(abs(delta))
    return "-" + text if delta < timedelta() and text != UNDER_A_MINUTE else text
