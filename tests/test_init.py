"""`statusgen init DIR`: a new site that builds, lints and deploys as it is."""

from __future__ import annotations

import json
import re
import tomllib
from datetime import UTC, date, datetime
from pathlib import Path

import pytest
import yaml
from click.testing import CliRunner, Result
from packaging.requirements import Requirement

from conftest import ROOT
from statusgen import __version__
from statusgen.build import BuildOptions, build, load_and_validate
from statusgen.cli.init import machine_timezone
from statusgen.cli.main import main

NOW = "2026-11-23T13:30:00Z"
# Files the new site writes for people to read; .gitignore names what is absent on purpose.
GENERATED = ("README.md", "netlify.toml", "requirements.txt", "content/site.yml")


def init(directory: Path, *args: str) -> Result:
    return CliRunner().invoke(main, ["init", str(directory), "--now", NOW, *args])


def build_site(site: Path, now: str = NOW) -> Result:
    return CliRunner().invoke(
        main, ["build", str(site / "content"), "--output", str(site / "public"), "--now", now]
    )


def test_a_new_site_builds_with_the_real_build(tmp_path: Path) -> None:
    """DIR/content holds site.yml and no incident; `statusgen build DIR/content` works."""
    site = tmp_path / "status"
    result = init(site, "--timezone", "America/New_York", "--name", "Acme Status")
    assert result.exit_code == 0, result.output
    assert sorted(p.name for p in site.iterdir()) == [
        ".github",
        ".gitignore",
        "README.md",
        "content",
        "netlify",
        "netlify.toml",
        "requirements.txt",
    ]
    built = build_site(site)
    assert built.exit_code == 0, built.output
    assert "Acme Status" in (site / "public" / "index.html").read_text()
    content, _ = load_and_validate(site / "content")
    assert content.site.timezone.key == "America/New_York"
    assert content.incidents == () and content.maintenances == ()


def test_the_new_site_passes_strict_lint(tmp_path: Path) -> None:
    """`lint --strict` exits 0 on a fresh site: no error and no warning, not even unused components."""
    init(tmp_path / "s")
    result = CliRunner().invoke(
        main, ["lint", str(tmp_path / "s" / "content"), "--strict", "--now", NOW]
    )
    assert result.exit_code == 0, result.output
    assert "0 errors, 0 warnings" in result.output


def test_the_site_name_is_shown_as_written(tmp_path: Path) -> None:
    """ "Acme Status" is never followed by a word of ours ("Acme Status status") in any built file."""
    site = tmp_path / "s"
    init(site, "--name", "Acme Status")
    assert build_site(site).exit_code == 0
    texts = {
        p: p.read_text(encoding="utf-8")
        for p in (site / "public").rglob("*")
        if p.suffix in {".html", ".xml", ".ics", ".json", ".svg"}
    }
    assert any("<title>Acme Status</title>" in text for text in texts.values())
    for path, text in texts.items():
        assert not re.search(r"Acme Status (?!is )[A-Za-z]", text), path


def test_components_are_tracked_from_the_day_of_init(tmp_path: Path) -> None:
    """`since` is init's day in the site's zone: earlier days have no uptime data, not 100 %."""
    site = tmp_path / "s"
    init(site, "--timezone", "Pacific/Kiritimati")  # 13:30 UTC is already the 24th there
    data = yaml.safe_load((site / "content" / "site.yml").read_text())
    assert {c["since"] for c in data["components"]} == {date(2026, 11, 24)}
    assert build_site(site, "2026-12-01T00:00:00Z")  # 1 Dec, 14:00 there.exit_code == 0
    days = json.loads((site / "public" / "api" / "uptime.json").read_text())["components"][0][
        "days"
    ]
    assert {d["date"]: d["uptime"] for d in days[-9:]} == {
        "2026-11-23": None,
        **{f"2026-11-{n}": 100.0 for n in range(24, 31)},
        "2026-12-01": 100.0,
    }
    home = (site / "public" / "index.html").read_text()
    assert "since 24 Nov 2026" in home and "over 90 days" not in home


def test_requirements_pin_the_version_that_created_the_site(tmp_path: Path) -> None:
    """requirements.txt asks for exactly this statusgen, so a later release cannot change the site."""
    init(tmp_path / "s")
    lines = (tmp_path / "s" / "requirements.txt").read_text().splitlines()
    (requirement,) = [Requirement(line) for line in lines if line and not line.startswith("#")]
    assert requirement.name == "statusgen" and str(requirement.specifier) == f"=={__version__}"


def test_the_readme_says_how_to_install_statusgen_before_it_is_on_pypi(tmp_path: Path) -> None:
    """The pinned version from PyPI, else a Git repository or a wheel: placeholders, no made-up URL."""
    init(tmp_path / "s", "--url", "https://status.acme.test")
    readme = (tmp_path / "s" / "README.md").read_text()
    assert f"statusgen=={__version__}" in readme and "not published there" in readme
    assert "statusgen @ git+https://<host>/<owner>/statusgen@<tag or commit>" in readme
    assert "pip wheel" in readme and "statusgen --version" in readme
    for url in re.findall(r"https?://[^\s`)]+", readme):
        assert url.startswith(("https://status.acme.test", "http://127.0.0.1:")) or "<" in url, url


def test_generated_files_name_only_files_the_site_has(tmp_path: Path) -> None:
    """Every relative path a generated file mentions (like docs/security.md) exists once built."""
    site = tmp_path / "s"
    init(site)
    assert build_site(site).exit_code == 0
    mentioned = set()
    for name in GENERATED:
        for token in re.split(r"[\s`'\"(),;\[\]]+", (site / name).read_text()):
            word = token.rstrip(".:")
            if "<" in word or "://" in word or word.startswith("/") or "/" not in word:
                continue  # a placeholder, a URL, a path on the published site, or not a path
            if word.endswith("/") or re.search(r"\.[a-z]+$", word):
                mentioned.add(word)
    # .venv/ is made by the README's first command; the rest must be there.
    missing = {
        word for word in mentioned if not word.startswith(".venv/") and not (site / word).exists()
    }
    assert "content/site.yml" in mentioned and missing == set()


def test_site_yml_is_commented_valid_yaml(tmp_path: Path) -> None:
    """Comments explain each section; the values parse back to what was asked."""
    init(tmp_path / "s", "--timezone", "Europe/Paris", "--url", "https://status.acme.test")
    text = (tmp_path / "s" / "content" / "site.yml").read_text()
    assert text.startswith("# The site:") and "# Components, in the order shown." in text
    data = yaml.safe_load(text)
    assert data["timezone"] == "Europe/Paris" and data["url"] == "https://status.acme.test"
    assert [c["id"] for c in data["components"]] == ["website", "api", "dashboard", "notifications"]
    assert data["update_cadence"] == {"critical": "15m", "major": "30m", "minor": "2h"}


def test_the_timezone_comes_from_tz_when_it_names_a_zone(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
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
    """Same headers, redirects, publish folder and plugins; neither the build command nor the
    notify plugin has the demo's --now."""
    init(tmp_path / "s")
    ours = tomllib.loads((ROOT / "netlify.toml").read_text())
    theirs = tomllib.loads((tmp_path / "s" / "netlify.toml").read_text())
    command = theirs["build"].pop("command")
    ours["build"].pop("command")
    ours["plugins"][0]["inputs"].pop("now")
    assert theirs == ours
    assert "--now" not in command and "statusgen build content --output public" in command


def test_the_notify_plugin_is_the_projects_own(tmp_path: Path) -> None:
    """The Netlify build plugin that runs `statusgen notify` is copied byte for byte."""
    init(tmp_path / "s")
    plugin = Path("netlify", "plugins", "statusgen-notify")
    written = sorted(p.name for p in (tmp_path / "s" / plugin).iterdir())
    assert written == ["index.js", "manifest.yml"]
    for name in written:
        assert (tmp_path / "s" / plugin / name).read_bytes() == (ROOT / plugin / name).read_bytes()


def test_netlify_toml_runs_the_notify_plugin_as_of_each_deploy(tmp_path: Path) -> None:
    """The plugin block is there, reading content/, without the demo's pinned `now` input (nor
    its comment): a real site notifies as of the deploy, and ignores .statusgen-previous."""
    init(tmp_path / "s")
    text = (tmp_path / "s" / "netlify.toml").read_text()
    assert tomllib.loads(text)["plugins"] == [
        {"package": "./netlify/plugins/statusgen-notify", "inputs": {"content": "content"}}
    ]
    assert "now" not in text.split("[[plugins]]", 1)[1].split("[[headers]]", 1)[0]
    assert ".statusgen-previous/" in (tmp_path / "s" / ".gitignore").read_text().splitlines()
    assert "statusgen notify" in (tmp_path / "s" / "README.md").read_text()


def test_gitignore_and_readme_for_the_ops_team(tmp_path: Path) -> None:
    """public/ and the build cache are never committed; the README tells how to open, update, resolve, lint, preview."""
    init(tmp_path / "s")
    ignored = (tmp_path / "s" / ".gitignore").read_text().splitlines()
    assert "public/" in ignored and ".statusgen-cache/" in ignored
    readme = (tmp_path / "s" / "README.md").read_text()
    for command in (
        "statusgen incident new",
        "statusgen incident update",
        "statusgen incident resolve",
        "statusgen lint",
        "statusgen serve",
        "--commit",
    ):
        assert command in readme


def test_the_new_site_builds_later_without_a_pinned_now(tmp_path: Path) -> None:
    """Built months later, the site counts its days from init on and still builds."""
    init(tmp_path / "s")
    build(
        BuildOptions(tmp_path / "s" / "content", tmp_path / "out", datetime(2027, 6, 1, tzinfo=UTC))
    )
    assert (tmp_path / "out" / "history" / "index.html").is_file()
