"""The `statusgen` command line. Parses arguments, calls the pipeline, prints results.

Exit status: 0 success, 1 invalid content (every error listed), 2 wrong usage.
"""

from __future__ import annotations

import importlib
from pathlib import Path
from typing import Any

import click

from statusgen import __version__
from statusgen.build import BuildOptions, build
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
from statusgen.output.atomic import OutputError
from statusgen.output.location import OutputRefused
from statusgen.workers import available_cores


class LazyGroup(click.Group):
    """Subcommands imported when they are used or listed: `statusgen build`, run on every
    push, does not pay for the preview server, the prompts and the publisher."""

    def __init__(self, *args: Any, lazy: dict[str, str], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.lazy = lazy  # command name → "module:attribute"

    def list_commands(self, ctx: click.Context) -> list[str]:
        return sorted([*super().list_commands(ctx), *self.lazy])

    def invoke(self, ctx: click.Context) -> Any:
        """Every subcommand runs here: a usage error of ours quoting what was typed (a slug,
        a folder, a component) is printed with its controls made visible. (click's own
        errors quote with repr, which already shows them.)"""
        with printable_errors():
            return super().invoke(ctx)

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        if cmd_name in self.lazy:
            module, attribute = self.lazy[cmd_name].split(":")
            command: click.Command = getattr(importlib.import_module(module), attribute)
            return command
        return super().get_command(ctx, cmd_name)


SUBCOMMANDS = {
    "incident": "statusgen.cli.incident:incident_group",
    "maintenance": "statusgen.cli.maintenance:maintenance_group",
    "status": "statusgen.cli.status:status_command",
    "lint": "statusgen.cli.lint:lint_command",
    "serve": "statusgen.cli.serve:serve_command",
    "init": "statusgen.cli.init:init_command",
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
    folder = content_folder(content, content_option)
    now = parse_now(now_text)
    console = error_console()
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
        print_error_count(console, invalid.errors, consequence)
        raise SystemExit(1) from None
    except OutputRefused as refused:
        print_refusal(console, refused)
        raise SystemExit(2) from None
    except OutputError as error:
        print_error(console, error)
        raise SystemExit(1) from None
    print_problems(console, result.warnings)
    if not quiet:
        echo(
            f"Built {result.pages} pages ({result.files} files) from {counted(result.incidents, 'incident')} and "
            f"{counted(result.maintenances, 'maintenance')} into {output} in {result.seconds:.2f} s."
        )
    if verbose:
        for name, seconds in result.timings:
            echo(f"  {name:<8} {seconds * 1000:8.1f} ms")


__all__ = ["main", "parse_now"]  # parse_now is re-exported: other tools import it from here
