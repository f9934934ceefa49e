"""The command line starts at once: listing the commands imports none of the pipeline."""

from __future__ import annotations

import importlib
import subprocess
import sys
from pathlib import Path

import click

from conftest import EXAMPLE_CONTENT, OPEN_INCIDENT, ScratchSite, checkout_environment
from statusgen.cli.main import SUBCOMMANDS, main

HEAVY = (
    "jinja2",
    "markdown",
    "feedgen",
    "lxml",
    "urllib3",
    "statusgen.build",
    "statusgen.render",
    "statusgen.notify",
)


def test_help_imports_neither_the_renderers_nor_their_libraries() -> None:
    """`statusgen --help` lists every command without importing Jinja2, Markdown, feedgen,
    lxml or the render stage (each costs every on-call command tens of milliseconds)."""
    probe = (
        "import sys\n"
        "from statusgen.cli.main import main\n"
        "try:\n"
        "    main(['--help'])\n"
        "except SystemExit:\n"
        "    pass\n"
        "print('\\n'.join(sorted(sys.modules)), file=sys.stderr)\n"
    )
    run = subprocess.run(
        [sys.executable, "-c", probe],
        capture_output=True,
        text=True,
        env=checkout_environment(),
    )
    assert run.returncode == 0, run.stderr
    assert "incident" in run.stdout and "maintenance" in run.stdout
    loaded = set(run.stderr.split())
    assert sorted(m for m in loaded if m.split(".")[0] in HEAVY or m in HEAVY) == []
    assert not any(m.startswith(("statusgen.build", "statusgen.render.")) for m in loaded)


def test_the_listed_summary_of_each_command_is_its_own_first_sentence() -> None:
    """The table that lets --help list commands without importing them never drifts from
    the commands' own help."""
    for name, lazy in SUBCOMMANDS.items():
        module, attribute = lazy.target.split(":")
        command = getattr(importlib.import_module(module), attribute)
        assert isinstance(command, click.Command)
        assert command.get_short_help_str(limit=10_000) == lazy.summary, name
        assert main.get_command(click.Context(main), name) is command


def modules_loaded_by(arguments: list[str]) -> set[str]:
    """Run `statusgen ARGUMENTS` in a fresh interpreter (it must succeed): the modules it
    imported."""
    probe = (
        "import sys\n"
        "from statusgen.cli.main import main\n"
        "try:\n"
        f"    main({arguments!r})\n"
        "except SystemExit as stop:\n"
        "    assert not stop.code, stop.code\n"
        "print('\\n'.join(sorted(sys.modules)), file=sys.stderr)\n"
    )
    run = subprocess.run(
        [sys.executable, "-c", probe], capture_output=True, text=True, env=checkout_environment()
    )
    assert run.returncode == 0, run.stderr
    return set(run.stderr.split())


def test_incident_list_imports_neither_the_renderers_nor_the_worker_processes() -> None:
    """`statusgen incident list` reads and validates the content, then prints a table: no
    render stage, no feed or template library, no multiprocessing (it never forks)."""
    loaded = modules_loaded_by(["incident", "list", "--content", str(EXAMPLE_CONTENT)])
    assert "statusgen.content.loader" in loaded  # the probe did list the incidents
    heavy = ("jinja2", "feedgen", "lxml", "icalendar", "multiprocessing", "statusgen.render")
    heavy += ("markdown", "pymdownx", "pygments")  # the example has a fence: checked without them
    assert sorted(m for m in loaded if m.startswith(heavy)) == []


def test_a_build_with_every_text_in_the_cache_never_imports_python_markdown(
    scratch_site: ScratchSite, tmp_path: Path
) -> None:
    """The deploy build of unchanged text takes each text's HTML from the cache: Python-
    Markdown and its extensions (about 90 ms of imports and set-up) are not even loaded.
    The first build, which renders them, does load them: the probe sees imports."""
    content = scratch_site(OPEN_INCIDENT)
    build = ["build", str(content), "--cache-dir", str(tmp_path / "cache"), "-q", "-j", "1"]
    first = modules_loaded_by([*build, "-o", str(tmp_path / "first")])
    again = modules_loaded_by([*build, "-o", str(tmp_path / "again")])
    assert "markdown" in first and "pymdownx.magiclink" in first
    assert "statusgen.render.markdown" in again  # the build did run
    assert sorted(m for m in again if m.split(".")[0] in ("markdown", "pymdownx", "pygments")) == []
