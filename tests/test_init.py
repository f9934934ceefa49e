"""`statusgen init DIR`: a new site that builds, lints and deploys as it is."""

from __future__ import annotations

import tomllib
from datetime import UTC, datetime
from pathlib import Path

import pytest
import yaml
from click.testing import CliRunner, Result

from conftest import ROOT
from statusgen.build import BuildOptions, build, load_and_validate
from statusgen.cli.init import machine_timezone
from statusgen.cli.main import main

NOW = "2026-11-23T13:30:00Z"


def init(directory: Path, *args: str) -> Result:
    return CliRunner().invoke(main, ["init", str(directory), "--now", NOW, *args])


def test_a_new_site_builds_with_the_real_build(tmp_path: Path) -> None:
    """DIR/content holds site.yml and one resolved example incident; `statusgen build DIR/content` works."""
    site = tmp_path / "status"
    result = init(site, "--timezone", "America/New_York", "--name", "Acme Status")
    assert result.exit_code == 0, result.output
    assert sorted(p.name for p in site.iterdir()) == [".gitignore", "README.md", "content", "netlify.toml", "requirements.txt"]
    built = CliRunner().invoke(main, ["build", str(site / "content"), "--output", str(site / "public"), "--now", NOW])
    assert built.exit_code == 0, built.output
    assert "Acme Status" in (site / "public" / "index.html").read_text()
    content, _ = load_and_validate(site / "content")
    assert content.site.timezone.key == "America/New_York"
    (incident,) = content.incidents
    assert incident.updates[-1].status.value == "resolved"
    assert incident.updates[0].at.date().isoformat() == "2026-11-21"


def test_the_new_site_has_no_lint_error(tmp_path: Path) -> None:
    """Only the expected warnings: starter components no incident has used yet."""
    init(tmp_path / "s")
    result = CliRunner().invoke(main, ["lint", str(tmp_path / "s" / "content"), "--now", NOW])
    assert result.exit_code == 0, result.output
    assert "0 errors" in result.output and "error:" not in result.output


def test_site_yml_is_commented_valid_yaml(tmp_path: Path) -> None:
    """Comments explain each section; the values parse back to what was asked."""
    init(tmp_path / "s", "--timezone", "Europe/Paris", "--url", "https://status.acme.test")
    text = (tmp_path / "s" / "content" / "site.yml").read_text()
    assert text.startswith("# The site:") and "# Components, in the order shown." in text
    data = yaml.safe_load(text)
    assert data["timezone"] == "Europe/Paris" and data["url"] == "https://status.acme.test"
    assert [c["id"] for c in data["components"]] == ["website", "api", "dashboard", "notifications"]
    assert data["update_cadence"] == {"critical": "15m", "major": "30m", "minor": "2h"}


def test_the_timezone_comes_from_tz_when_it_names_a_zone(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    """The machine's TZ is used when it resolves; --timezone wins over it."""
    monkeypatch.setenv("TZ", "Asia/Tokyo")
    assert machine_timezone() == "Asia/Tokyo"
    init(tmp_path / "a")
    assert "timezone: Asia/Tokyo\n" in (tmp_path / "a" / "content" / "site.yml").read_text()
    init(tmp_path / "b", "--timezone", "Europe/Paris")
    assert "timezone: Europe/Paris\n" in (tmp_path / "b" / "content" / "site.yml").read_text()


def test_an_unknown_timezone_is_a_usage_error(tmp_path: Path) -> None:
    """A typo in --timezone is refused with a suggestion; nothing is created."""
    result = init(tmp_path / "s", "--timezone", "Europe/Pari")
    assert result.exit_code == 2 and "did you mean 'Europe/Paris'" in result.output
    assert not (tmp_path / "s").exists()


def test_a_non_empty_directory_is_refused(tmp_path: Path) -> None:
    """init only creates new sites: an existing file is never overwritten (exit 2)."""
    (tmp_path / "s").mkdir()
    (tmp_path / "s" / "notes.txt").write_text("mine")
    result = init(tmp_path / "s")
    assert result.exit_code == 2 and "is not empty" in result.output
    assert [p.name for p in (tmp_path / "s").iterdir()] == ["notes.txt"]


def test_netlify_toml_matches_the_projects_own_without_now(tmp_path: Path) -> None:
    """Same headers, redirects and publish folder; the build command has no --now."""
    init(tmp_path / "s")
    ours = tomllib.loads((ROOT / "netlify.toml").read_text())
    theirs = tomllib.loads((tmp_path / "s" / "netlify.toml").read_text())
    command = theirs["build"].pop("command")
    ours["build"].pop("command")
    assert theirs == ours
    assert "--now" not in command and "statusgen build content --output public" in command


def test_gitignore_and_readme_for_the_ops_team(tmp_path: Path) -> None:
    """public/ is never committed; the README tells how to open, update, resolve, lint, preview."""
    init(tmp_path / "s")
    assert "public/" in (tmp_path / "s" / ".gitignore").read_text().splitlines()
    readme = (tmp_path / "s" / "README.md").read_text()
    for command in ("statusgen incident new", "statusgen incident update", "statusgen incident resolve", "statusgen lint", "statusgen serve", "--commit"):
        assert command in readme


def test_the_example_incident_builds_without_a_pinned_now(tmp_path: Path) -> None:
    """Built later (no --now), the example is simply a past incident."""
    init(tmp_path / "s")
    build(BuildOptions(tmp_path / "s" / "content", tmp_path / "out", datetime(2027, 6, 1, tzinfo=UTC)))
    assert (tmp_path / "out" / "history" / "index.html").is_file()
