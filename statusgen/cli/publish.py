"""The edge where on-call commands touch disk and git: load, write, re-check, commit.

Every writing command follows the same steps, so they are here once:
1. load and validate the whole content (a broken site is reported before anything is written);
2. create the new files atomically, never touching any other file;
3. validate the whole content again with the build's own validator, and remove exactly what
   was written if it is now invalid (the site stays buildable);
4. `--commit` commits exactly those files; otherwise print the git commands to publish.
At a terminal the files are shown and confirmed first; `publish_new_files` is that whole tail.
"""

from __future__ import annotations

import os
import shlex
import subprocess
from collections.abc import Collection, Sequence
from pathlib import Path

import click
from rich.console import Console
from rich.text import Text

from statusgen.cli.reporting import (
    echo,
    error_console,
    markup,
    print_error,
    print_problems,
    printable,
)
from statusgen.content.writer import (
    WriteRefused,
    create_files,
    is_translation_name,
    write_atomic,
)
from statusgen.errors import ContentInvalid, Level
from statusgen.model import Content
from statusgen.validate import load_and_validate


def load_site(content_dir: Path) -> Content:
    """The validated content, or every error printed and exit 1: fix the site first."""
    try:
        content, _ = load_and_validate(content_dir)
    except ContentInvalid as invalid:
        console = error_console()
        print_problems(console, invalid.errors)
        count = len(invalid.errors)
        errors, them = ("error", "it") if count == 1 else ("errors", "them")
        console.print(
            f"[bold red]{count} {errors}[/] in {markup(content_dir)} already: fix {them} first; nothing was written."
        )
        raise SystemExit(1) from None
    return content


def taken_slugs(content_dir: Path) -> set[str]:
    """Folder names in use, valid or not: a slug must not collide with either kind."""
    return {
        p.name
        for kind in ("incidents", "maintenance")
        if (content_dir / kind).is_dir()
        for p in (content_dir / kind).iterdir()
    }


INCIDENT_FILES = ("incident.md", "postmortem.md")
MAINTENANCE_FILES = (*INCIDENT_FILES, "maintenance.md")


def update_names(
    folder: Path, main_files: Collection[str], languages: Collection[str] = ()
) -> list[str]:
    """The names of the update files in an incident's or a maintenance's folder, sorted;
    a translation (`NN-status.<lang>.md` for one of the site's `languages`) is no update."""
    return sorted(
        p.name
        for p in folder.iterdir()
        if p.suffix == ".md"
        and p.name not in main_files
        and not is_translation_name(p.name, languages)
    )


def display_path(path: Path) -> str:
    """Relative to the current folder when inside it: what a person would type."""
    try:
        return os.path.relpath(path)
    except ValueError:  # another drive on Windows
        return str(path)


def write_and_check(
    content_dir: Path,
    files: Sequence[tuple[Path, str]],
    replaced: Sequence[tuple[Path, str, str]] = (),
) -> list[Path]:
    """Create the files, re-validate the whole site, undo on failure (exit 1).

    `replaced` holds (path, text read, new text) for the rare existing file a command
    changes (a rescheduled window): it is refused if someone changed it since it was
    read, and put back byte for byte when the result is invalid.
    """
    console = error_console()
    for path, before, _ in replaced:
        if path.read_text(encoding="utf-8") != before:
            print_error(
                console,
                f"{display_path(path)} changed while this command ran; nothing was written.",
            )
            raise SystemExit(1)
    try:
        written = create_files(files)
    except WriteRefused as refused:
        print_error(console, f"{refused}; nothing was written.")
        raise SystemExit(1) from None
    except OSError as error:
        print_error(
            console, f"cannot write {error.filename}: {error.strerror}; nothing was written."
        )
        raise SystemExit(1) from None
    changed: list[tuple[Path, str]] = []

    def undo() -> None:
        for path, before in changed:
            write_atomic(path, before)
        written.remove()

    try:
        for path, before, after in replaced:
            write_atomic(path, after)
            changed.append((path, before))
    except OSError as error:
        undo()
        print_error(
            console, f"cannot write {error.filename}: {error.strerror}; nothing was written."
        )
        raise SystemExit(1) from None
    try:
        _, warnings = load_and_validate(content_dir)
    except ContentInvalid as invalid:
        undo()
        print_problems(console, invalid.errors)
        undone = "the changes were undone" if changed else "they were removed"
        console.print(
            f"[bold red]The new files would make the site invalid[/]: {undone}, nothing changed."
        )
        raise SystemExit(1) from None
    touched = [p for p, _ in changed] + written.files
    ours = {p.resolve() for p in touched}
    print_problems(
        console,
        [
            w
            for w in warnings
            if w.level is Level.WARNING and (content_dir / w.source.path).resolve() in ours
        ],
    )
    for path, _ in changed:
        echo(f"Changed {display_path(path)}")
    for path in written.files:
        echo(f"Wrote {display_path(path)}")
    return touched


def confirm_files(files: Sequence[tuple[Path, str]], content_dir: Path) -> None:
    """Show what will be written and ask once; Enter means yes."""
    for path, text in files:
        stdout_console().print(Text(printable(f"\n{path.relative_to(content_dir)}"), style="bold"))
        echo(text.rstrip())
    echo()
    if not click.confirm("Write these files?", default=True):
        raise click.Abort()


def publish_new_files(
    content_dir: Path,
    files: Sequence[tuple[Path, str]],
    message: str,
    *,
    confirm: bool,
    commit: bool,
    replaced: Sequence[tuple[Path, str, str]] = (),
    note: str | None = None,
) -> None:
    """The tail of every writing command: confirm (at a terminal), write and re-validate
    (`write_and_check`), print `note`, then commit with `message` or say how to publish."""
    if confirm:
        confirm_files([*files, *((path, after) for path, _, after in replaced)], content_dir)
    written = write_and_check(content_dir, files, replaced)
    if note:
        echo(note)
    commit_or_explain(written, message, commit)


def git_commands(files: Sequence[Path], message: str) -> list[str]:
    paths = " ".join(shlex.quote(display_path(p)) for p in files)
    return [f"git add -- {paths}", f"git commit -m {shlex.quote(message)} -- {paths}", "git push"]


def _git(args: list[str], cwd: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(["git", *args], cwd=cwd, capture_output=True, text=True, check=False)


def commit_or_explain(
    files: Sequence[Path], message: str, commit: bool, quiet: bool = False
) -> None:
    """Commit exactly `files`, or print the commands that would; the push is left to people."""
    if not commit:
        if not quiet:
            echo("\nTo publish:")
            for command in git_commands(files, message):
                echo(f"  {command}")
        return
    console = error_console()
    folder = files[0].parent
    paths = [str(p.resolve()) for p in files]
    steps = (["add", "--", *paths], ["commit", "--quiet", "-m", message, "--only", "--", *paths])
    for step in steps:
        try:
            run = _git(step, folder)
        except FileNotFoundError:
            print_error(console, "git is not installed; the files are written but not committed.")
            raise SystemExit(1) from None
        if run.returncode != 0:
            print_error(console, f"git {step[0]} failed; the files are written but not committed:")
            console.print(
                printable((run.stderr or run.stdout).strip()), markup=False, highlight=False
            )
            for command in git_commands(files, message):
                console.print(printable(f"  {command}"), markup=False, highlight=False)
            raise SystemExit(1)
    echo(f"Committed: {message}")
    if not quiet:
        echo("To publish: git push")


def stdout_console() -> Console:
    return Console(highlight=False, soft_wrap=True)
