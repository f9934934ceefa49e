"""What the commands print shows, never obeys, what was typed or read; every command that
reads content takes `--content DIR`."""

from __future__ import annotations

from pathlib import Path

import click
import pytest
from click.testing import CliRunner, Result

from conftest import MINIMAL_SITE, OPEN_INCIDENT, ScratchSite
from statusgen.cli.incident import ask
from statusgen.cli.main import main

NOW = "2026-11-23T13:30:00Z"
# An operating-system-command sequence: it sets a terminal's title, and no test runner strips it.
OSC = "\x1b]0;pwned\x07"
SHOWN = "\\x1b]0;pwned\\x07"


def run(*args: str, env: dict[str, str] | None = None, input: str | None = None) -> Result:
    """The real command line; color=True keeps the runner from removing colour sequences, as
    a terminal would not."""
    return CliRunner().invoke(main, list(args), env=env, input=input, color=True)


def shows_controls_visibly(result: Result) -> bool:
    return "\x1b" not in result.output and "\x07" not in result.output and SHOWN in result.output


def site_in(folder: Path, files: dict[str, str] | None = None) -> Path:
    """A valid content folder at `folder`, whatever characters its path holds."""
    folder.mkdir(parents=True)
    (folder / "site.yml").write_text(MINIMAL_SITE, encoding="utf-8")
    for name, text in (files or {}).items():
        (folder / name).parent.mkdir(parents=True, exist_ok=True)
        (folder / name).write_text(text, encoding="utf-8")
    return folder


# ---- terminal controls and rich markup -------------------------------------------------------


@pytest.mark.parametrize(
    "command",
    [
        ["incident", "update", "--status", "resolved"],
        ["incident", "resolve"],
        ["incident", "postmortem"],
        ["maintenance", "update", "--status", "completed"],
        ["maintenance", "cancel"],
    ],
)
def test_an_unknown_slug_with_an_escape_sequence_is_quoted_visibly(
    scratch_site: ScratchSite, command: list[str]
) -> None:
    """The usage error quoting a slug typed with ESC … BEL shows them as \\x1b and \\x07."""
    content = scratch_site({})
    result = run(*command, "nope" + OSC, "--content", str(content), "--now", NOW, "--yes")
    assert result.exit_code == 2
    assert shows_controls_visibly(result), result.output


def test_an_unknown_component_with_an_escape_sequence_is_quoted_visibly(
    scratch_site: ScratchSite,
) -> None:
    """`--component $'api\\e[2J'` is refused with the sequence shown, the screen left alone."""
    content = scratch_site({})
    result = run(
        "incident",
        "new",
        "Outage",
        "--component",
        "api\x1b[2J",
        "--content",
        str(content),
        "--now",
        NOW,
        "--yes",
    )
    assert result.exit_code == 2
    assert "unknown component 'api\\x1b[2J'" in result.output and "\x1b" not in result.output


def test_files_written_into_a_folder_with_controls_and_markup_are_named_visibly(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """`Wrote …` and the git commands show a content path holding ESC and `[/]` as written."""
    monkeypatch.chdir(tmp_path)
    site_in(tmp_path / ("site[/]" + OSC))
    result = run("incident", "new", "Outage", "--content", "site[/]" + OSC, "--now", NOW, "--yes")
    assert result.exit_code == 0, result.output
    assert shows_controls_visibly(result), result.output
    assert f"Wrote site[/]{SHOWN}/incidents/2026-11-23-outage/incident.md" in result.output
    assert "git commit -m 'Incident 2026-11-23-outage: investigating'" in result.output


def test_a_broken_site_in_a_folder_named_with_markup_is_reported_as_written(tmp_path: Path) -> None:
    """`N errors in DIR already` names a folder holding `[/]` and ESC instead of crashing on it."""
    content = tmp_path / ("broken[/]" + OSC)
    content.mkdir(parents=True)
    (content / "site.yml").write_text("name: Acme\n", encoding="utf-8")
    for command in (["status"], ["incident", "list"], ["maintenance", "cancel"]):
        result = run(*command, "--content", str(content), "--now", NOW)
        assert result.exit_code == 1, result.output
        assert result.exception is None or isinstance(result.exception, SystemExit), (
            result.exception
        )
        assert f"errors in {tmp_path}/broken[/]{SHOWN} already" in result.output
        assert "\x1b" not in result.output


def test_incident_list_shows_a_title_with_markup_and_bidi_overrides_as_written(
    scratch_site: ScratchSite,
) -> None:
    """A title `[/] Fix [bold]now` with U+202E is listed as written, the override shown as \\u202e."""
    incident = dict(OPEN_INCIDENT)
    incident["incidents/2026-11-20-api-errors/incident.md"] = (
        '---\ntitle: "[/] Fix [bold]now\u202eevil"\nseverity: major\n---\n'
    )
    content = scratch_site(incident)
    result = run(
        "incident", "list", "--content", str(content), "--now", NOW, env={"COLUMNS": "200"}
    )
    assert result.exit_code == 0, result.output
    assert "[/] Fix [bold]now\\u202eevil" in result.output and "\u202e" not in result.output


def test_init_names_a_new_folder_with_controls_visibly(tmp_path: Path) -> None:
    """`Created DIR` and `cd DIR` show the controls the folder's name holds."""
    result = run("init", str(tmp_path / ("new" + OSC)), "--timezone", "UTC", "--now", NOW)
    assert result.exit_code == 0, result.output
    assert shows_controls_visibly(result), result.output
    assert f"  cd {tmp_path}/new{SHOWN}\n" in result.output


def test_a_prompt_shows_its_default_and_the_refused_answer_visibly() -> None:
    """The question, its default and the error quoting a pasted answer are printed printable."""

    def component(answer: str) -> str:
        if answer != "api":
            raise click.BadParameter(f"unknown component '{answer}'")
        return answer

    @click.command()
    def asking() -> None:
        click.echo(ask("Component" + OSC, "draft" + OSC, component))

    typed = "x" + OSC
    result = CliRunner().invoke(asking, [], input=typed + "\napi\n", color=True)
    assert result.exit_code == 0, result.output
    printed = result.output.replace(
        typed, "", 1
    )  # the runner echoes what was typed, as a terminal does
    assert f"Component{SHOWN} [draft{SHOWN}]:" in printed
    assert f"unknown component 'x{SHOWN}'" in printed
    assert "\x1b" not in printed and printed.endswith("api\n")


# ---- --content DIR for build and serve -------------------------------------------------------


def test_build_takes_the_content_folder_as_an_option(tmp_path: Path) -> None:
    """`build --content DIR` builds DIR, as the on-call commands read it."""
    content = site_in(tmp_path / "elsewhere")
    output = tmp_path / "public"
    result = run(
        "build", "--content", str(content), "--output", str(output), "--now", NOW, "--no-cache"
    )
    assert result.exit_code == 0, result.output
    assert "Acme Cloud" in (output / "index.html").read_text(encoding="utf-8")


def test_build_accepts_the_argument_and_the_option_when_they_name_one_folder(
    tmp_path: Path,
) -> None:
    """`build DIR --content DIR/.` is one folder said twice: it builds."""
    content = site_in(tmp_path / "site")
    output = tmp_path / "public"
    result = run(
        "build",
        str(content),
        "--content",
        f"{content}/.",
        "--output",
        str(output),
        "--now",
        NOW,
        "--no-cache",
    )
    assert result.exit_code == 0, result.output
    assert (output / "index.html").is_file()


@pytest.mark.parametrize("command", [["build"], ["serve", "--port", "0"]])
def test_two_different_content_folders_are_a_usage_error(
    tmp_path: Path, command: list[str]
) -> None:
    """The argument and --content naming different folders: exit 2, nothing built or served."""
    first, second = site_in(tmp_path / "first"), site_in(tmp_path / "second")
    output = tmp_path / "public"
    result = run(*command, str(first), "--content", str(second), "--output", str(output))
    assert result.exit_code == 2, result.output
    assert f"two content folders given: {first} and --content {second}" in result.output
    assert not output.exists()


def test_serve_reads_the_content_folder_given_as_an_option(tmp_path: Path) -> None:
    """`serve --content DIR` checks its --output against DIR: building into DIR is refused (exit 2)
    before anything is served."""
    content = site_in(tmp_path / "site")
    result = run("serve", "--content", str(content), "--output", str(content), "--port", "0")
    assert result.exit_code == 2, result.output
    assert "overlaps the content folder" in result.output
