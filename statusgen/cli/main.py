"""The `statusgen` command line. Parses arguments, calls the pipeline, prints results.

Exit status: 0 success, 1 invalid content (every error listed), 2 wrong usage.
"""

from __future__ import annotations

import importlib
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import click

from statusgen import __version__
from statusgen.cli.options import content_argument, content_folder, parse_now
from statusgen.cli.reporting import (
    DelayedStatus,
    counted,
    echo,
    error_console,
    print_error,
    print_error_count,
    print_problems,
    print_refusal,
    printable,
    printable_errors,
)
from statusgen.errors import ContentInvalid
from statusgen.output.location import OutputRefused


@dataclass(frozen=True, slots=True)
class LazyCommand:
    """A subcommand by where it lives, and the line `statusgen --help` shows for it (kept
    equal to the command's own first sentence by a test), so listing needs no import."""

    target: str  # "module:attribute"
    summary: str


class LazyGroup(click.Group):
    """Subcommands imported only when one runs: `statusgen build`, run on every push, and
    `statusgen --help` pay for neither the preview server nor the prompts and the publisher."""

    def __init__(self, *args: Any, lazy: dict[str, LazyCommand], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.lazy = lazy

    def list_commands(self, ctx: click.Context) -> list[str]:
        return sorted([*super().list_commands(ctx), *self.lazy])

    def format_commands(self, ctx: click.Context, formatter: click.HelpFormatter) -> None:
        """The command list from the table: listing imports no subcommand."""
        rows = [
            (name, self.lazy[name].summary)
            if name in self.lazy
            else (name, self.commands[name].get_short_help_str(formatter.width))
            for name in self.list_commands(ctx)
        ]
        with formatter.section("Commands"):
            formatter.write_dl(rows)

    def invoke(self, ctx: click.Context) -> Any:
        """Every subcommand runs here: a usage error of ours quoting what was typed (a slug,
        a folder, a component) is printed with its controls made visible. (click's own
        errors quote with repr, which already shows them.)"""
        with printable_errors():
            return super().invoke(ctx)

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        if cmd_name in self.lazy:
            module, attribute = self.lazy[cmd_name].target.split(":")
            command: click.Command = getattr(importlib.import_module(module), attribute)
            return command
        return super().get_command(ctx, cmd_name)


SUBCOMMANDS = {
    "incident": LazyCommand(
        "statusgen.cli.incident:incident_group", "Open, update, resolve and review incidents."
    ),
    "maintenance": LazyCommand(
        "statusgen.cli.maintenance:maintenance_group",
        "Schedule maintenance windows and post updates on them.",
    ),
    "status": LazyCommand(
        "statusgen.cli.status:status_command",
        "Overall status, components not operational, open incidents, maintenance.",
    ),
    "lint": LazyCommand(
        "statusgen.cli.lint:lint_command",
        "Check CONTENT (default: ./content) like a build does, and warn about broken promises.",
    ),
    "serve": LazyCommand(
        "statusgen.cli.serve:serve_command",
        "Build CONTENT (or --content DIR; default: ./content), serve it, rebuild on every "
        "change and reload open pages.",
    ),
    "schedule": LazyCommand(
        "statusgen.cli.schedule:schedule_command",
        "Print, one JSON object a line, the moments after now at which the built site changes by "
        "itself.",
    ),
    "notify": LazyCommand(
        "statusgen.cli.notify:notify_command",
        "Send the events the new build has and the previous deploy lacks to site.yml's channels.",
    ),
    "import": LazyCommand(
        "statusgen.cli.importing:import_group",
        "Import the history of a Statuspage or cState site into CONTENT.",
    ),
    "init": LazyCommand(
        "statusgen.cli.init:init_command",
        "Create a new status site in DIRECTORY (which must be empty or not exist).",
    ),
}


@click.group(
    cls=LazyGroup, lazy=SUBCOMMANDS, context_settings={"help_option_names": ["-h", "--help"]}
)
@click.version_option(__version__, prog_name="statusgen")
def main() -> None:
    """Build a public status site from incidents written in Markdown."""


@main.command("build")
@content_argument
@click.option(
    "-o",
    "--output",
    default="public",
    show_default=True,
    type=click.Path(path_type=Path, file_okay=False),
    help="Folder to publish; replaced atomically.",
)
@click.option(
    "--now",
    "now_text",
    metavar="ISO8601",
    help="Build as if it were this time (reproducible builds). Default: SOURCE_DATE_EPOCH, else the clock.",
)
@click.option(
    "--theme",
    type=click.Path(path_type=Path, file_okay=False),
    help="Theme folder (overrides site.yml's theme:).",
)
@click.option(
    "--cache-dir",
    type=click.Path(path_type=Path, file_okay=False),
    default=".statusgen-cache",
    show_default=True,
    help="Keep rendered Markdown and compiled templates here between builds.",
)
@click.option(
    "--no-cache", is_flag=True, help="Neither read nor write the cache (the output is the same)."
)
@click.option(
    "-j",
    "--jobs",
    type=click.IntRange(min=1),
    default=None,
    help="Processes to render with. Default: one per core.",
)
@click.option(
    "--force",
    is_flag=True,
    help="Replace the output folder even if it holds files no statusgen build wrote.",
)
@click.option("-q", "--quiet", is_flag=True, help="Print errors only.")
@click.option("-v", "--verbose", is_flag=True, help="Print the time of each stage.")
def build_command(
    content: Path | None,
    content_option: Path | None,
    output: Path,
    now_text: str | None,
    theme: Path | None,
    cache_dir: Path,
    no_cache: bool,
    jobs: int | None,
    force: bool,
    quiet: bool,
    verbose: bool,
) -> None:
    """Build CONTENT (or --content DIR; default: ./content) into the output folder."""
    # Imported here: the pipeline (Jinja2, Markdown, the renderers) is for building, not for
    # `statusgen --help` or the on-call commands, which must start at once.
    from statusgen.build import BuildOptions, build
    from statusgen.output.atomic import OutputError
    from statusgen.workers import available_cores

    folder = content_folder(content, content_option)
    now = parse_now(now_text)
    options = BuildOptions(
        folder,
        output,
        now,
        theme,
        None if no_cache else cache_dir,
        jobs or available_cores(),
        force,
    )
    try:
        with DelayedStatus() as progress:
            result = build(options, progress)
    except ContentInvalid as invalid:
        consequence = f"nothing was written; {printable(output)} is unchanged."
        print_error_count(error_console(), invalid.errors, consequence)
        raise SystemExit(1) from None
    except OutputRefused as refused:
        print_refusal(error_console(), refused)
        raise SystemExit(2) from None
    except OutputError as error:
        print_error(error_console(), error)
        raise SystemExit(1) from None
    if result.warnings:  # the console (rich) is imported only to print something
        print_problems(error_console(), result.warnings)
    if not quiet:
        echo(
            f"Built {result.pages} pages ({result.files} files) from {counted(result.incidents, 'incident')} and "
            f"{counted(result.maintenances, 'maintenance')} into {output} in {result.seconds:.2f} s."
        )
    if verbose:
        for name, seconds in result.timings:
            echo(f"  {name:<8} {seconds * 1000:8.1f} ms")


__all__ = ["main", "parse_now"]  # parse_now is re-exported: other tools import it from here
