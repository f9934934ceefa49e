"""`statusgen import statuspage|cstate`: bring another status page's history in.

The sources are read into one ImportedSite (statusgen.importers), written into the content
folder without touching a hand-edited file, then validated like a build would: the command
says what it wrote, what it left alone and why, and any problem the build would report.
Exit 0 when the imported content is valid and nothing conflicted, 1 otherwise.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

import click

from statusgen.cli.reporting import counted, echo, error_console, print_error, print_problems
from statusgen.errors import ContentInvalid

if TYPE_CHECKING:
    from statusgen.importers import ImportedSite

into_option = click.option(
    "--into",
    "into",
    default="content",
    show_default=True,
    type=click.Path(path_type=Path, file_okay=False),
    help="The content folder to write (created if missing).",
)


@click.group("import")
def import_group() -> None:
    """Import the history of a Statuspage or cState site into CONTENT."""


@import_group.command("statuspage")
@click.argument("sources", nargs=-1, required=True, metavar="SOURCE...")
@into_option
def statuspage_command(sources: tuple[str, ...], into: Path) -> None:
    """Import Statuspage API v2 JSON files, folders of them, or a page's root URL."""
    from statusgen.importers.statuspage import read_documents, statuspage_site

    _run(lambda: statuspage_site(read_documents(sources)), into)


@import_group.command("cstate")
@click.argument("site_dir", type=click.Path(path_type=Path, file_okay=False, exists=True))
@into_option
def cstate_command(site_dir: Path, into: Path) -> None:
    """Import a cState (Hugo) site: its systems, categories and issues."""
    from statusgen.importers.cstate import cstate_site

    _run(lambda: cstate_site(site_dir), into)


def _run(read: Callable[[], ImportedSite], into: Path) -> None:
    """Read the sources (`read`), write the content, then check it as a build would."""
    from statusgen.importers import ImportFailed
    from statusgen.importers.writer import write_site
    from statusgen.validate import load_and_validate

    console = error_console()
    try:
        site = read()
    except ImportFailed as failed:
        print_error(console, failed)
        raise SystemExit(1) from None
    report = write_site(site, into)
    echo(
        f"Imported {counted(report.incidents, 'incident')}, "
        f"{counted(report.maintenances, 'maintenance')}, {counted(report.updates, 'update')} and "
        f"{counted(report.components, 'component')} into {into}: "
        f"{len(report.written)} files written, {len(report.rewritten)} rewritten, "
        f"{report.unchanged} unchanged."
    )
    for path, why in report.conflicts:
        print_error(console, f"{into / path}: {why}")
    try:
        _, warnings = load_and_validate(into)
    except ContentInvalid as invalid:
        print_problems(console, invalid.errors)
        echo(
            f"import failed: the imported content has {counted(len(invalid.errors), 'problem')}",
            err=True,
        )
        raise SystemExit(1) from None
    print_problems(console, warnings)
    if report.conflicts:
        echo(
            f"import incomplete: {counted(len(report.conflicts), 'file')} left as they were",
            err=True,
        )
        raise SystemExit(1)
