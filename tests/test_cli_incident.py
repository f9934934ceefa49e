"""The on-call commands: incident new / update / resolve / postmortem / list, maintenance, status."""

from __future__ import annotations

import io
import os
import re
import subprocess
import sys
import textwrap
import time
from datetime import UTC, date, datetime
from pathlib import Path

import pexpect
import pytest
import yaml
from click.testing import CliRunner, Result
from rich.console import Console

from conftest import MINIMAL_SITE, OPEN_INCIDENT, ROOT, ScratchSite
from statusgen.build import BuildOptions, build, load_and_validate
from statusgen.cli.main import main
from statusgen.cli.reporting import DelayedStatus
from statusgen.content.writer import markdown_document, new_slug, next_update_name
from statusgen.model import ComponentStatus, IncidentStatus

NOW = "2026-11-23T13:30:00Z"  # 14:30 in Paris
SITE = MINIMAL_SITE + "update_cadence:\n  major: 30m\n"


def git(repo: Path, *args: str) -> str:
    return subprocess.run(
        ["git", *args], cwd=repo, capture_output=True, text=True, check=True
    ).stdout


@pytest.fixture
def repo(scratch_site: ScratchSite, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A git repository (its own user.name/email) holding a scratch site in content/."""
    scratch_site({"site.yml": SITE})
    git(tmp_path, "init", "--quiet", "--initial-branch=main")
    git(tmp_path, "config", "user.name", "On Call")
    git(tmp_path, "config", "user.email", "oncall@example.com")
    git(tmp_path, "config", "commit.gpgsign", "false")
    git(tmp_path, "add", ".")
    git(tmp_path, "commit", "--quiet", "-m", "Add the site")
    monkeypatch.chdir(tmp_path)
    return tmp_path


def run(*args: str, env: dict[str, str] | None = None) -> Result:
    return CliRunner().invoke(main, list(args), env=env)


def incident_dirs(repo: Path) -> list[Path]:
    base = repo / "content" / "incidents"
    return sorted(base.iterdir()) if base.is_dir() else []


def frontmatter(path: Path) -> dict[str, object]:
    text = path.read_text(encoding="utf-8")
    return yaml.safe_load(text.split("---\n")[1])  # type: ignore[no-any-return]


def committed_files(repo: Path, ref: str) -> list[str]:
    return git(repo, "show", "--name-only", "--format=", ref).split()


def built_ok(repo: Path, now: datetime = datetime(2026, 11, 23, 18, tzinfo=UTC)) -> Path:
    out = repo / "public"
    build(BuildOptions(repo / "content", out, now))
    return out


# ---- incident new --------------------------------------------------------------------------


def test_new_incident_writes_incident_md_and_first_update_in_site_time(repo: Path) -> None:
    """The slug is dated in the site timezone and `at` is written to the second with its offset."""
    result = run(
        "incident",
        "new",
        "Elevated error rates on the API",
        "--severity",
        "major",
        "--component",
        "api=partial_outage",
        "--now",
        NOW,
        "--yes",
    )
    assert result.exit_code == 0, result.output
    folder = repo / "content" / "incidents" / "2026-11-23-elevated-error-rates-on-the-api"
    assert sorted(p.name for p in folder.iterdir()) == ["01-investigating.md", "incident.md"]
    assert frontmatter(folder / "incident.md") == {
        "title": "Elevated error rates on the API",
        "severity": "major",
        "components": ["api"],
    }
    update = (folder / "01-investigating.md").read_text()
    assert "at: 2026-11-23T14:30:00+01:00\n" in update
    assert "components:\n  api: partial_outage\n" in update
    content, _ = load_and_validate(repo / "content")
    assert content.incidents[0].updates[0].components == (("api", ComponentStatus.PARTIAL_OUTAGE),)


def test_a_title_with_yaml_syntax_is_written_as_valid_yaml(repo: Path) -> None:
    """Titles with colons, quotes and '#' survive: the YAML is emitted by the dumper."""
    title = 'API: "500" errors # again & *again*'
    assert run("incident", "new", title, "--now", NOW, "--yes", "--kind", "security").exit_code == 0
    content, _ = load_and_validate(repo / "content")
    assert content.incidents[0].title == title
    assert content.incidents[0].kind.value == "security"


def test_source_date_epoch_sets_the_time_when_now_is_not_given(repo: Path) -> None:
    """SOURCE_DATE_EPOCH fixes "now" as it does for build."""
    assert (
        run("incident", "new", "Outage", "--yes", env={"SOURCE_DATE_EPOCH": "1795440600"}).exit_code
        == 0
    )
    (update,) = incident_dirs(repo)[0].glob("01-*.md")
    assert "at: 2026-11-23T14:30:00+01:00\n" in update.read_text()


def test_slugs_are_ascii_dated_short_and_unique() -> None:
    """Accents are dropped, other scripts vanish, long titles stop at a word, taken slugs get -2."""
    day = date(2026, 11, 23)
    assert (
        new_slug("Délai d'accès à l'API — Zürich", day, ())
        == "2026-11-23-delai-d-acces-a-l-api-zurich"
    )
    assert new_slug("数据库 outage", day, ()) == "2026-11-23-outage"
    assert new_slug("数据库", day, ()) == "2026-11-23-incident"
    long = new_slug("a very long title " * 10, day, ())
    assert (
        len(long) <= 60
        and not long.endswith("-")
        and long.startswith("2026-11-23-a-very-long-title")
    )
    assert (
        new_slug("Outage", day, {"2026-11-23-outage", "2026-11-23-outage-2"})
        == "2026-11-23-outage-3"
    )


def test_update_files_are_numbered_after_the_existing_ones() -> None:
    """Names keep `ls` in timeline order: 03 after 01 and 02, whatever their statuses."""
    assert (
        next_update_name(["01-investigating.md", "02-identified.md"], "monitoring")
        == "03-monitoring.md"
    )
    assert next_update_name([], "investigating") == "01-investigating.md"
    assert next_update_name(["first.md"], "in_progress") == "02-in-progress.md"


def test_written_times_are_iso_with_a_t_and_lists_inline() -> None:
    """Frontmatter looks like the documentation's examples."""
    at = datetime(2026, 11, 23, 14, 2, 7, 123, tzinfo=UTC)
    text = markdown_document({"at": at, "components": ["api", "db"]}, "Hello")
    assert text == "---\nat: 2026-11-23T14:02:07+00:00\ncomponents: [api, db]\n---\nHello\n"


def test_an_unknown_component_is_refused_with_the_known_ones(repo: Path) -> None:
    """A typo is a usage error (exit 2) naming the valid ids and the likely one; nothing is written."""
    result = run(
        "incident", "new", "Outage", "--component", "apii=major_outage", "--now", NOW, "--yes"
    )
    assert result.exit_code == 2
    assert "unknown component 'apii'" in result.output and "api, dashboard" in result.output
    assert "did you mean 'api'" in result.output
    assert incident_dirs(repo) == []


def test_an_unknown_status_is_refused_with_did_you_mean(repo: Path) -> None:
    """Component statuses and incident statuses are closed vocabularies."""
    bad_component = run(
        "incident", "new", "Outage", "--component", "api=down", "--now", NOW, "--yes"
    )
    assert bad_component.exit_code == 2 and "major_outage" in bad_component.output
    bad_status = run("incident", "new", "Outage", "--status", "investigatin", "--now", NOW, "--yes")
    assert bad_status.exit_code == 2 and "did you mean 'investigating'" in bad_status.output
    assert incident_dirs(repo) == []


def test_without_commit_the_git_commands_to_publish_are_printed(repo: Path) -> None:
    """The exact add, commit and push commands, with the written paths and the message."""
    result = run("incident", "new", "Outage", "--now", NOW, "--yes")
    folder = "content/incidents/2026-11-23-outage"
    assert f"git add -- {folder}/incident.md {folder}/01-investigating.md" in result.output
    assert (
        f"git commit -m 'Incident 2026-11-23-outage: investigating' -- {folder}/incident.md"
        in result.output
    )
    assert "git push" in result.output
    assert git(repo, "status", "--porcelain").strip() == "?? content/incidents/"


def test_content_already_invalid_is_reported_before_anything_is_written(repo: Path) -> None:
    """A broken site is shown with every error (exit 1); the command adds nothing to it."""
    (repo / "content" / "site.yml").write_text(
        SITE.replace("timezone: Europe/Paris", "timezone: Europe/Pariss")
    )
    result = run("incident", "new", "Outage", "--now", NOW, "--yes")
    assert result.exit_code == 1
    assert (
        "unknown timezone 'Europe/Pariss'" in result.output
        and "nothing was written" in result.output
    )
    assert incident_dirs(repo) == []


# ---- update, resolve, post-mortem --------------------------------------------------------


@pytest.fixture
def open_incident(repo: Path) -> Path:
    for rel, text in OPEN_INCIDENT.items():
        path = repo / "content" / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(textwrap.dedent(text))
    load_and_validate(repo / "content")
    return repo / "content" / "incidents" / "2026-11-20-api-errors"


def test_update_without_a_slug_picks_the_only_open_incident(open_incident: Path) -> None:
    """At 3 a.m. with one incident open, `statusgen incident update --status …` is enough."""
    result = run(
        "incident",
        "update",
        "--status",
        "identified",
        "--component",
        "api=major_outage",
        "--next-update",
        "30m",
        "--message",
        "A bad deploy.",
        "--now",
        NOW,
        "--yes",
    )
    assert result.exit_code == 0, result.output
    written = frontmatter(open_incident / "02-identified.md")
    assert written["status"] == "identified" and written["components"] == {"api": "major_outage"}
    assert written["next_update"] == datetime(2026, 11, 23, 14, 0, tzinfo=UTC)


def test_a_slug_may_be_a_prefix_or_a_fragment(open_incident: Path) -> None:
    """`api-err` finds 2026-11-20-api-errors; a fragment that is nowhere is a usage error."""
    assert (
        run(
            "incident", "update", "api-err", "--status", "monitoring", "--now", NOW, "--yes"
        ).exit_code
        == 0
    )
    missing = run("incident", "update", "zzz", "--status", "monitoring", "--now", NOW, "--yes")
    assert missing.exit_code == 2 and "no incident matches 'zzz'" in missing.output


def test_several_open_incidents_need_a_slug_and_the_candidates_are_listed(
    open_incident: Path,
) -> None:
    """An ambiguous choice is never guessed."""
    assert run("incident", "new", "Dashboard down", "--now", NOW, "--yes").exit_code == 0
    result = run("incident", "update", "--status", "identified", "--now", NOW, "--yes")
    assert result.exit_code == 2
    assert "2 open incidents" in result.output
    assert "2026-11-20-api-errors" in result.output and "2026-11-23-dashboard-down" in result.output


def test_a_resolved_incident_cannot_be_updated(open_incident: Path) -> None:
    """New impact after a resolution is a new incident (the validator would refuse the file)."""
    assert run("incident", "resolve", "--now", NOW, "--yes").exit_code == 0
    again = run("incident", "update", "api-errors", "--status", "identified", "--now", NOW, "--yes")
    assert again.exit_code == 2 and "was resolved" in again.output


def test_resolve_returns_components_to_operational(open_incident: Path) -> None:
    """The resolved update names no component; the build shows them operational again."""
    assert run("incident", "resolve", "--now", NOW, "--yes").exit_code == 0
    resolved = frontmatter(open_incident / "02-resolved.md")
    assert resolved["status"] == "resolved" and "components" not in resolved
    content, _ = load_and_validate(open_incident.parent.parent)
    assert content.incidents[0].updates[-1].status is IncidentStatus.RESOLVED


def test_a_write_that_makes_the_site_invalid_is_removed(open_incident: Path) -> None:
    """Resolving before the last update's time breaks the timeline: the file is taken back (exit 1)."""
    before = sorted(p.name for p in open_incident.iterdir())
    result = run("incident", "resolve", "--now", "2026-11-20T12:00:00Z", "--yes")
    assert result.exit_code == 1
    assert "comes after the incident was resolved" in result.output and "removed" in result.output
    assert sorted(p.name for p in open_incident.iterdir()) == before


def test_postmortem_refuses_an_unresolved_incident(open_incident: Path) -> None:
    """A review is for a finished incident."""
    result = run("incident", "postmortem", "api-errors", "--now", NOW, "--yes")
    assert result.exit_code == 2 and "not resolved yet" in result.output
    assert not (open_incident / "postmortem.md").exists()


def test_edit_opens_the_editor_on_a_draft(open_incident: Path, tmp_path: Path) -> None:
    """--edit, at a terminal, runs $EDITOR on the draft; what it saves is the message."""
    editor = tmp_path / "editor.sh"
    editor.write_text('#!/bin/sh\necho "Written in the editor." > "$1"\n')
    editor.chmod(0o755)
    env = {
        **os.environ,
        "NO_COLOR": "1",
        "TERM": "dumb",
        "PYTHONPATH": str(ROOT),
        "EDITOR": str(editor),
    }
    child = pexpect.spawn(
        sys.executable,
        [
            "-m",
            "statusgen",
            "incident",
            "update",
            "--status",
            "identified",
            "--edit",
            "--now",
            NOW,
            "--yes",
        ],
        cwd=str(tmp_path),
        env=env,
        encoding="utf-8",
        timeout=20,
    )
    child.expect(pexpect.EOF)
    child.close()
    assert child.exitstatus == 0, child.before
    assert (
        (open_incident / "02-identified.md").read_text().endswith("---\nWritten in the editor.\n")
    )


def test_edit_without_a_terminal_is_a_usage_error_naming_message(
    open_incident: Path, tmp_path: Path
) -> None:
    """In a script (no terminal), --edit says to use --message instead of starting an editor."""
    editor = tmp_path / "editor.sh"
    editor.write_text('#!/bin/sh\necho "Written in the editor." > "$1"\n')
    editor.chmod(0o755)
    for args in (
        ("incident", "update", "--status", "identified"),
        ("incident", "new", "Disk full"),
        ("incident", "resolve"),
    ):
        result = run(*args, "--edit", "--now", NOW, "--yes", env={"EDITOR": str(editor)})
        assert result.exit_code == 2, result.output
        assert (
            "--edit opens $EDITOR, which needs a terminal" in result.output
            and "--message" in result.output
        )
    assert sorted(p.name for p in open_incident.iterdir()) == ["01.md", "incident.md"]


def test_new_update_resolve_postmortem_with_commit_end_to_end(repo: Path) -> None:
    """Four commits with clear messages, each touching only its own files; the site builds."""
    (repo / "notes.txt").write_text("not mine")
    git(repo, "add", "notes.txt")  # staged by someone else: must not ride along
    steps = [
        (
            "incident",
            "new",
            "API errors",
            "--severity",
            "critical",
            "--component",
            "api=major_outage",
            "--now",
            "2026-11-23T13:00:00Z",
        ),
        (
            "incident",
            "update",
            "api-errors",
            "--status",
            "identified",
            "--component",
            "api=partial_outage",
            "--message",
            "Rolling back.",
            "--now",
            "2026-11-23T13:20:00Z",
        ),
        (
            "incident",
            "resolve",
            "api-errors",
            "--message",
            "Fixed.",
            "--now",
            "2026-11-23T13:50:00Z",
        ),
        ("incident", "postmortem", "api-errors", "--now", "2026-11-24T09:00:00Z"),
    ]
    for step in steps:
        result = run(*step, "--yes", "--commit")
        assert result.exit_code == 0, result.output
    log = git(repo, "log", "--format=%s", "-4").splitlines()
    slug = "2026-11-23-api-errors"
    assert log == [
        f"Incident {slug}: postmortem",
        f"Incident {slug}: resolved",
        f"Incident {slug}: identified",
        f"Incident {slug}: investigating",
    ]
    folder = f"content/incidents/{slug}"
    assert committed_files(repo, "HEAD~3") == [
        f"{folder}/01-investigating.md",
        f"{folder}/incident.md",
    ]
    assert committed_files(repo, "HEAD~2") == [f"{folder}/02-identified.md"]
    assert committed_files(repo, "HEAD~1") == [f"{folder}/03-resolved.md"]
    assert committed_files(repo, "HEAD") == [f"{folder}/postmortem.md"]
    assert "A  notes.txt" in git(repo, "status", "--porcelain")
    postmortem = (repo / folder / "postmortem.md").read_text()
    for heading in (
        "## Summary",
        "## Impact",
        "## Timeline",
        "## Root cause",
        "## Follow-up actions",
    ):
        assert heading in postmortem
    assert "**Duration:** 50 min, from 2026-11-23 14:00 to 2026-11-23 14:50 CET" in postmortem
    assert "**Public API**: major outage at worst" in postmortem and "`api`" not in postmortem
    assert "- **2026-11-23 14:20** — Identified: Rolling back." in postmortem
    page = (
        built_ok(repo, datetime(2026, 11, 24, 10, tzinfo=UTC)) / "incidents" / slug / "index.html"
    ).read_text()
    assert "Rolling back." in page and "Root cause" in page


def test_interactive_new_asks_for_what_is_missing(repo: Path) -> None:
    """Through a real terminal: title, severity, components, status, message, next update, confirm."""
    env = {**os.environ, "NO_COLOR": "1", "TERM": "dumb", "PYTHONPATH": str(ROOT)}
    child = pexpect.spawn(
        sys.executable,
        ["-m", "statusgen", "incident", "new", "--content", "content", "--now", NOW],
        cwd=str(repo),
        env=env,
        encoding="utf-8",
        timeout=20,
    )
    child.logfile_read = transcript = io.StringIO()
    try:
        child.expect("Title")
        child.sendline("Dashboard sign-in fails")
        child.expect(r"Severity.*\[major\]")
        child.sendline("")  # Enter keeps the default
        child.expect("Affected components")
        child.sendline("dashbord=major_outage")  # a typo is shown and asked again
        child.expect("did you mean 'dashboard'")
        child.expect("Affected components")
        child.sendline("dashboard=major_outage")
        child.expect(r"Status \[investigating\]")
        child.sendline("")
        child.expect("Message to customers")
        child.sendline("Nobody can sign in to the dashboard.")
        child.expect(r"Next update in .*\[30m\]")
        child.sendline("")
        child.expect(r"Write these files\?")
        child.sendline("")
        child.expect(pexpect.EOF)
    finally:
        child.close()
    assert child.exitstatus == 0, transcript.getvalue()
    assert not re.search(
        r"\x1b\[(?:\d+;)*[34]\d", transcript.getvalue()
    )  # NO_COLOR: no colour codes
    folder = repo / "content" / "incidents" / "2026-11-23-dashboard-sign-in-fails"
    update = frontmatter(folder / "01-investigating.md")
    assert update["components"] == {"dashboard": "major_outage"}
    assert update["next_update"] == datetime(2026, 11, 23, 14, 0, tzinfo=UTC)
    assert (
        (folder / "01-investigating.md")
        .read_text()
        .endswith("Nobody can sign in to the dashboard.\n")
    )


# ---- maintenance, list, status ----------------------------------------------------------------


def test_maintenance_new_and_update_with_commit(repo: Path) -> None:
    """A window in site time, then in_progress and completed updates, each its own commit."""
    result = run(
        "maintenance",
        "new",
        "Database upgrade",
        "--start",
        "2026-12-01T02:00",
        "--end",
        "2026-12-01T04:00",
        "--component",
        "api",
        "--impact",
        "degraded_performance",
        "--now",
        NOW,
        "--yes",
        "--commit",
    )
    assert result.exit_code == 0, result.output
    folder = repo / "content" / "maintenance" / "2026-12-01-database-upgrade"
    meta = frontmatter(folder / "maintenance.md")
    assert meta["scheduled_for"] == datetime(2026, 12, 1, 1, 0, tzinfo=UTC)
    assert meta["impact"] == "degraded_performance" and meta["components"] == ["api"]
    for status, when in (
        ("in_progress", "2026-12-01T01:00:00Z"),
        ("completed", "2026-12-01T02:30:00Z"),
    ):
        assert (
            run(
                "maintenance",
                "update",
                "database",
                "--status",
                status,
                "--now",
                when,
                "--yes",
                "--commit",
            ).exit_code
            == 0
        )
    assert git(repo, "log", "--format=%s", "-3").splitlines() == [
        "Maintenance 2026-12-01-database-upgrade: completed",
        "Maintenance 2026-12-01-database-upgrade: in_progress",
        "Maintenance 2026-12-01-database-upgrade: scheduled",
    ]
    assert committed_files(repo, "HEAD") == [
        "content/maintenance/2026-12-01-database-upgrade/02-completed.md"
    ]
    bad = run("maintenance", "update", "database", "--status", "resolved", "--now", NOW, "--yes")
    assert bad.exit_code == 2 and "'resolved' is an incident status, use 'completed'" in bad.output
    assert (
        built_ok(repo, datetime(2026, 12, 2, tzinfo=UTC))
        / "maintenance"
        / "2026-12-01-database-upgrade"
        / "index.html"
    ).is_file()


def test_maintenance_windows_must_end_after_they_start(repo: Path) -> None:
    """An end before the start is refused before anything is written."""
    result = run(
        "maintenance",
        "new",
        "Upgrade",
        "--start",
        "2026-12-01T04:00",
        "--end",
        "2026-12-01T02:00",
        "--component",
        "api",
        "--yes",
    )
    assert result.exit_code == 2 and "before it starts" in result.output
    assert not (repo / "content" / "maintenance").exists()


def test_list_shows_open_incidents_before_resolved_ones(open_incident: Path) -> None:
    """The open incident comes first even when a resolved one is newer."""
    assert (
        run("incident", "new", "Old news", "--now", "2026-11-22T10:00:00Z", "--yes").exit_code == 0
    )
    assert (
        run("incident", "resolve", "old-news", "--now", "2026-11-22T11:00:00Z", "--yes").exit_code
        == 0
    )
    result = CliRunner().invoke(main, ["incident", "list", "--now", NOW], terminal_width=200)
    assert result.exit_code == 0
    assert result.output.index("2026-11-20-api-errors") < result.output.index("2026-11-22-old-news")


def test_status_says_what_the_page_says(open_incident: Path) -> None:
    """Overall indicator, the component that is not operational, the open incident and its promise."""
    result = CliRunner().invoke(main, ["status", "--now", NOW], terminal_width=200)
    assert result.exit_code == 0, result.output
    assert result.output.startswith("Minor Service Outage (minor)")
    assert "Public API (api): Partial outage — 2026-11-20-api-errors" in result.output
    assert "2026-11-20-api-errors  investigating, major" in result.output
    assert "overdue" in result.output  # 30 min cadence, last update three days ago


def test_list_at_80_columns_keeps_slugs_whole_and_wraps_titles(open_incident: Path) -> None:
    """COLUMNS=80 and a 53-character slug: the slug is printed whole, no line is wider than 80."""
    title = "Elevated error rates on the public API for customers in the European region"
    assert run("incident", "new", title, "--now", NOW, "--yes").exit_code == 0
    slug = "2026-11-23-elevated-error-rates-on-the-public-api-for"
    narrow = run("incident", "list", "--now", NOW, env={"COLUMNS": "80"})
    assert narrow.exit_code == 0, narrow.output
    lines = narrow.output.splitlines()
    assert any(line.startswith(slug + " ") for line in lines) and "…" not in narrow.output
    assert all(len(line.rstrip()) <= 80 for line in lines), narrow.output
    assert " ".join(narrow.output.split()).count("customers in the European region") == 1
    wide = run("incident", "list", "--now", NOW, env={"COLUMNS": "200"})
    header = wide.output.splitlines()[0].split()
    assert header == ["slug", "status", "severity", "started", "last", "update", "title"]
    assert any(
        line.startswith(slug + " ") and line.rstrip().endswith(title)
        for line in wide.output.splitlines()
    )


def test_status_and_list_never_print_negative_ages(open_incident: Path) -> None:
    """An update dated after "now" is "in 30 min"; a passed promise is "overdue by …"."""
    assert (
        run(
            "incident",
            "update",
            "--status",
            "identified",
            "--next-update",
            "1h",
            "--now",
            "2026-11-23T14:00:00Z",
            "--yes",
        ).exit_code
        == 0
    )
    before = run("status", "--now", NOW)  # 13:30Z: the update is dated 30 min later
    assert before.exit_code == 0, before.output
    assert "last update 2026-11-23 15:00 CET (in 30 min)" in before.output
    assert "-" not in "".join(re.findall(r"\(([^)]*)\)", before.output))
    later = run("status", "--now", "2026-11-23T15:05:00Z")
    assert "next update was due 2026-11-23 16:00 CET: overdue by 5 min" in later.output
    listed = run("incident", "list", "--now", NOW, env={"COLUMNS": "200"})
    assert "in 30 min" in listed.output and "-30 min" not in listed.output


def test_next_update_is_written_the_same_with_and_without_prompts(
    open_incident: Path, repo: Path
) -> None:
    """--yes writes the cadence's promise, as Enter at the prompt does (see the interactive test):
    the page never promises an update the file does not hold."""
    assert (
        run(
            "incident",
            "update",
            "--status",
            "identified",
            "--message",
            "Found it.",
            "--now",
            NOW,
            "--yes",
        ).exit_code
        == 0
    )
    written = frontmatter(open_incident / "02-identified.md")
    assert written["next_update"] == datetime(
        2026, 11, 23, 14, 0, tzinfo=UTC
    )  # NOW + the 30m cadence
    assert run("incident", "new", "Dashboard slow", "--now", NOW, "--yes").exit_code == 0
    first = frontmatter(
        repo / "content" / "incidents" / "2026-11-23-dashboard-slow" / "01-investigating.md"
    )
    assert first["next_update"] == datetime(2026, 11, 23, 14, 0, tzinfo=UTC)
    resolved = run("incident", "resolve", "api-errors", "--now", NOW, "--yes")
    assert resolved.exit_code == 0 and "next_update" not in frontmatter(
        open_incident / "03-resolved.md"
    )
    page = (
        built_ok(repo, datetime(2026, 11, 23, 13, 40, tzinfo=UTC))
        / "incidents"
        / "2026-11-23-dashboard-slow"
        / "index.html"
    ).read_text()
    assert "Next update promised by" in page  # the promise shown is the one in the file


def test_a_blank_next_update_is_refused_at_the_prompt_when_the_site_has_a_cadence(
    open_incident: Path,
) -> None:
    """Through a real terminal: blank would leave the page's promise out of the file, so it asks again."""
    env = {**os.environ, "NO_COLOR": "1", "TERM": "dumb", "PYTHONPATH": str(ROOT)}
    child = pexpect.spawn(
        sys.executable,
        [
            "-m",
            "statusgen",
            "incident",
            "update",
            "--status",
            "identified",
            "--component",
            "api",
            "--message",
            "Found it.",
            "--now",
            NOW,
        ],
        cwd=str(open_incident.parents[2]),
        env=env,
        encoding="utf-8",
        timeout=20,
    )
    child.logfile_read = transcript = io.StringIO()
    try:
        child.expect(r"Next update in \(30m, 1h, or a time\) \[30m\]")
        child.sendline("  ")
        child.expect("promises an update every 30m")
        child.sendline("1h")
        child.expect(r"Write these files\?")
        child.sendline("")
        child.expect(pexpect.EOF)
    finally:
        child.close()
    assert child.exitstatus == 0, transcript.getvalue()
    assert frontmatter(open_incident / "02-identified.md")["next_update"] == datetime(
        2026, 11, 23, 14, 30, tzinfo=UTC
    )


def test_lint_takes_content_as_an_option_like_the_other_commands(
    open_incident: Path, repo: Path
) -> None:
    """`statusgen lint --content DIR` equals `statusgen lint DIR`; two different folders are refused."""
    (repo / "site").mkdir()
    (repo / "content").rename(repo / "site" / "content")
    by_option = run("lint", "--content", "site/content", "--now", NOW)
    by_argument = run("lint", "site/content", "--now", NOW)
    assert (
        by_option.exit_code == by_argument.exit_code == 0 and by_option.output == by_argument.output
    )
    assert "lint ok" in by_option.output
    both = run("lint", "site/content", "--content", "elsewhere", "--now", NOW)
    assert both.exit_code == 2 and "two content folders" in both.output


def test_counts_of_one_are_singular(scratch_site: ScratchSite, tmp_path: Path) -> None:
    """ "1 incident and 1 maintenance", not "1 incidents and 1 maintenances"."""
    content = scratch_site(
        {
            **OPEN_INCIDENT,
            "maintenance/2026-12-01-upgrade/maintenance.md": """\
            ---
            title: Upgrade
            scheduled_for: 2026-12-01T02:00:00+01:00
            scheduled_until: 2026-12-01T04:00:00+01:00
            components: [api]
            ---
            """,
        }
    )
    result = run("build", str(content), "--output", str(tmp_path / "out"), "--now", NOW)
    assert result.exit_code == 0, result.output
    assert "from 1 incident and 1 maintenance into" in result.output


# ---- output --------------------------------------------------------------------------------


def test_a_slow_build_shows_a_transient_status_on_a_terminal_only() -> None:
    """Quick work prints nothing extra; slow work on a terminal shows what it is doing."""
    terminal = io.StringIO()
    with DelayedStatus(Console(file=terminal, force_terminal=True), delay=0.05) as progress:
        progress("load")
        time.sleep(0.3)
    assert "Building" in terminal.getvalue()
    quick = io.StringIO()
    with DelayedStatus(Console(file=quick, force_terminal=True), delay=5):
        pass
    piped = io.StringIO()
    with DelayedStatus(Console(file=piped), delay=0.01):
        time.sleep(0.1)
    assert quick.getvalue() == "" and piped.getvalue() == ""


def test_no_color_is_honoured_on_a_terminal() -> None:
    """rich drops colours when NO_COLOR is set, even when writing to a terminal."""
    out = io.StringIO()
    Console(file=out, force_terminal=True, no_color=None, _environ={"NO_COLOR": "1"}).print(
        "[red]x[/]"
    )
    assert "\x1b[31m" not in out.getvalue()
