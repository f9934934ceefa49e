"""`statusgen lint`: everything a build checks, without writing, plus broken promises.

Errors (exit 1): every build error, a broken template, an update dated after "now"
(a warning for build, an error here: the contract), and a post-mortem still marked TODO.
Warnings (exit 0 unless --strict): the other rules of statusgen.derive.lint. `--format github` prints GitHub Actions annotations.
"""

from __future__ import annotations

import os
from collections.abc import Sequence
from dataclasses import replace
from pathlib import Path

import click

from statusgen.build import load, render
from statusgen.cli.options import content_argument, content_folder, parse_now
from statusgen.cli.reporting import counted, error_console, print_problems, printable
from statusgen.derive.lint import Locate, lint
from statusgen.errors import ContentError, ContentInvalid, Level
from statusgen.render.files import SiteFiles
from statusgen.render.markdown import MarkdownRenderer
from statusgen.render.site import compiled_templates
from statusgen.validate import future_updates


def _locator(content_dir: Path) -> Locate:
    """Find the first line of a content file containing `needle` (for links in bodies)."""

    def locate(path: str, needle: str) -> int | None:
        try:
            lines = (content_dir / path).read_text(encoding="utf-8").splitlines()
        except OSError:
            return None
        return next((n for n, line in enumerate(lines, 1) if needle in line), None)

    return locate


def check(content_dir: Path, now_text: str | None, theme: Path | None) -> list[ContentError]:
    """Every error and warning for the content at "now", sorted by file and line: the build's
    own load and render (into memory), with dates after "now" as errors, then the lint rules."""
    now = parse_now(now_text)
    try:
        site = load(content_dir, now, theme=theme, future_dates=False)
    except ContentInvalid as invalid:
        return invalid.errors
    problems = [p for p in site.warnings if p.level is Level.WARNING]
    problems += [replace(p, level=Level.ERROR) for p in future_updates(site.content, now)]
    try:
        templates = compiled_templates(site.theme, languages=site.content.site.languages)
        render(site, SiteFiles(), MarkdownRenderer(), templates)
    except ContentInvalid as invalid:  # a broken template
        problems += invalid.errors
    problems += lint(site.content, now, _locator(content_dir))
    # A finding both the build and a lint rule make (a window that just ended) is told once.
    return sorted(dict.fromkeys(problems), key=ContentError.sort_key)


def _escape_data(text: str) -> str:
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def _escape_property(text: str) -> str:
    return _escape_data(text).replace(":", "%3A").replace(",", "%2C")


def github_annotation(problem: ContentError, content_dir: Path) -> str:
    """`::error file=…,line=…,title=…::message` — the file relative to the working folder."""
    path = Path(os.path.relpath(content_dir / problem.source.path)).as_posix()
    properties = [f"file={_escape_property(path)}"]
    if problem.source.line:
        properties.append(f"line={problem.source.line}")
    properties.append(
        f"title={_escape_property('statusgen: ' + (problem.field or problem.level.value))}"
    )
    message = problem.message + (f"\nfix: {problem.hint}" if problem.hint else "")
    return f"::{problem.level.value} {','.join(properties)}::{_escape_data(message)}"


def _summary(errors: int, warnings: int) -> str:
    return f"{counted(errors, 'error')}, {counted(warnings, 'warning')}"


@click.command("lint")
@content_argument
@click.option(
    "--now",
    "now_text",
    metavar="ISO8601",
    help="Check as if it were this time. Default: SOURCE_DATE_EPOCH, else the clock.",
)
@click.option(
    "--format",
    "output_format",
    type=click.Choice(["text", "github"]),
    default="text",
    show_default=True,
    help="github: GitHub Actions annotations.",
)
@click.option("--strict", is_flag=True, help="Warnings fail too (exit 1).")
@click.option(
    "--theme",
    type=click.Path(path_type=Path, file_okay=False),
    help="Theme folder (overrides site.yml's theme:).",
)
@click.option("-q", "--quiet", is_flag=True, help="Print problems only, no summary.")
def lint_command(
    content: Path | None,
    content_option: Path | None,
    now_text: str | None,
    output_format: str,
    strict: bool,
    theme: Path | None,
    quiet: bool,
) -> None:
    """Check CONTENT (default: ./content) like a build does, and warn about broken promises."""
    content = content_folder(content, content_option)
    problems = check(content, now_text, theme)
    errors = sum(1 for p in problems if p.level is Level.ERROR)
    warnings = len(problems) - errors
    if output_format == "github":
        for problem in problems:
            click.echo(printable(github_annotation(problem, content)))
    else:
        print_problems(error_console(), problems)
    if not quiet:
        verdict = "ok" if errors == 0 and not (strict and warnings) else "failed"
        click.echo(
            f"lint {verdict}: {_summary(errors, warnings)}"
            + (" (--strict: warnings fail)" if strict and warnings else ""),
            err=True,
        )
    failed: Sequence[ContentError] = (
        problems if strict else [p for p in problems if p.level is Level.ERROR]
    )
    if failed:
        raise SystemExit(1)
