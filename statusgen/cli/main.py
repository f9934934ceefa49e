"""The `statusgen` command line. Parses arguments, calls the pipeline, prints results.

Exit status: 0 success, 1 invalid content (every error listed), 2 wrong usage.
"""

from __future__ import annotations

import os
from datetime import UTC, datetime
from pathlib import Path

import click

from statusgen import __version__
from statusgen.build import BuildOptions, build
from statusgen.cli.reporting import error_console, print_problems
from statusgen.errors import ContentInvalid
from statusgen.output.atomic import OutputError


def parse_now(value: str | None) -> datetime:
    """--now, else SOURCE_DATE_EPOCH, else the clock: the only place that reads it."""
    if value:
        try:
            moment = datetime.fromisoformat(value)
        except ValueError:
            raise click.BadParameter(f"'{value}' is not an ISO 8601 time, e.g. 2026-11-23T13:30:00Z", param_hint="--now") from None
        if moment.utcoffset() is None:
            raise click.BadParameter("give an offset or Z, e.g. 2026-11-23T13:30:00Z", param_hint="--now")
        return moment
    epoch = os.environ.get("SOURCE_DATE_EPOCH")
    if epoch:
        try:
            return datetime.fromtimestamp(int(epoch), UTC)
        except (ValueError, OverflowError):
            raise click.BadParameter(f"SOURCE_DATE_EPOCH='{epoch}' is not a whole number of seconds") from None
    return datetime.now(UTC)


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="statusgen")
def main() -> None:
    """Build a public status site from incidents written in Markdown."""


@main.command("build")
@click.argument("content", default="content", type=click.Path(path_type=Path, file_okay=False))
@click.option("-o", "--output", default="public", show_default=True, type=click.Path(path_type=Path, file_okay=False), help="Folder to publish; replaced atomically.")
@click.option("--now", "now_text", metavar="ISO8601", help="Build as if it were this time (reproducible builds). Default: SOURCE_DATE_EPOCH, else the clock.")
@click.option("--theme", type=click.Path(path_type=Path, file_okay=False), help="Theme folder (overrides site.yml's theme:).")
@click.option("-q", "--quiet", is_flag=True, help="Print errors only.")
@click.option("-v", "--verbose", is_flag=True, help="Print the time of each stage.")
def build_command(content: Path, output: Path, now_text: str | None, theme: Path | None, quiet: bool, verbose: bool) -> None:
    """Build CONTENT (default: ./content) into the output folder."""
    now = parse_now(now_text)
    console = error_console()
    try:
        result = build(BuildOptions(content, output, now, theme))
    except ContentInvalid as invalid:
        print_problems(console, invalid.errors)
        count = len(invalid.errors)
        console.print(f"[bold red]{count} error{'s' if count != 1 else ''}[/]: nothing was written; {output} is unchanged.")
        raise SystemExit(1) from None
    except OutputError as error:
        console.print(f"[bold red]error[/]: {error}")
        raise SystemExit(1) from None
    print_problems(console, result.warnings)
    if not quiet:
        click.echo(
            f"Built {result.pages} pages ({result.files} files) from {result.incidents} incidents and "
            f"{result.maintenances} maintenances into {output} in {result.seconds:.2f} s."
        )
    if verbose:
        for name, seconds in result.timings:
            click.echo(f"  {name:<8} {seconds * 1000:8.1f} ms")
