"""`statusgen lint`: build errors without writing, plus one warning per broken promise."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
import yaml
from click.testing import CliRunner, Result

from conftest import EXAMPLE_CONTENT, MINIMAL_SITE, OPEN_INCIDENT, ROOT, ScratchSite
from statusgen.cli.main import main

NOW = "2026-11-20T14:10:00+01:00"  # eight minutes after OPEN_INCIDENT's first update
CADENCE = MINIMAL_SITE + "update_cadence:\n  major: 30m\n"
# Both components used, so that only the rule under test speaks.
BOTH_USED = {
    **OPEN_INCIDENT,
    "incidents/2026-11-20-api-errors/incident.md": """\
    ---
    title: Elevated error rates on the API
    severity: major
    components: [api, dashboard]
    ---
    """,
}


def lint(content: Path, *args: str, now: str = NOW) -> Result:
    return CliRunner().invoke(main, ["lint", str(content), "--now", now, *args])


def warnings(result: Result) -> list[str]:
    return [line for line in result.output.splitlines() if ": warning:" in line]


def test_clean_content_passes_and_writes_nothing(scratch_site: ScratchSite, tmp_path: Path) -> None:
    """No problem, exit 0, no output folder anywhere."""
    content = scratch_site(BOTH_USED)
    result = lint(content)
    assert result.exit_code == 0, result.output
    assert warnings(result) == [] and "lint ok: 0 errors, 0 warnings" in result.output
    assert sorted(p.name for p in tmp_path.iterdir()) == ["content"]


def test_the_example_site_is_clean_at_its_pinned_time() -> None:
    """The demo content keeps its promises at the moment it was written for."""
    result = lint(EXAMPLE_CONTENT, now="2026-11-23T13:30:00Z")
    assert result.exit_code == 0 and warnings(result) == [], result.output


def test_build_errors_fail_lint(scratch_site: ScratchSite) -> None:
    """Every build error is a lint error (exit 1), with file, line, field and fix."""
    content = scratch_site(
        {
            **BOTH_USED,
            "incidents/2026-11-20-api-errors/02.md": "---\nat: 2026-11-20T14:05:00+01:00\nstatus: fixed\n---\nx\n",
        }
    )
    result = lint(content)
    assert result.exit_code == 1
    assert (
        "incidents/2026-11-20-api-errors/02.md:3: error: status: unknown value 'fixed'"
        in result.output
    )


def test_a_broken_template_fails_lint(scratch_site: ScratchSite, tmp_path: Path) -> None:
    """lint renders every page in memory, so a theme mistake is caught before a push."""
    theme = tmp_path / "theme"
    shutil.copytree(ROOT / "themes" / "default", theme)
    (theme / "templates" / "404.html").write_text(
        "{% extends 'base.html' %}{% block main %}{{ nope }}{% endblock %}"
    )
    result = lint(scratch_site(BOTH_USED), "--theme", str(theme))
    assert result.exit_code == 1 and "UndefinedError" in result.output


def test_an_update_dated_after_now_is_an_error_for_lint(scratch_site: ScratchSite) -> None:
    """A warning for build, an error for lint: a wrong offset is caught before publishing."""
    result = lint(
        scratch_site(BOTH_USED), now="2026-11-20T13:00:00Z"
    )  # 14:00 in Paris, before 14:02
    assert result.exit_code == 1
    assert (
        "01.md:2: error: at: update is dated 2026-11-20T14:02:00+01:00, after now" in result.output
    )


def test_an_update_past_its_own_next_update_is_overdue(scratch_site: ScratchSite) -> None:
    """next_update is a promise to customers; lint points at it once it has passed."""
    update = "---\nat: 2026-11-20T14:02:00+01:00\nnext_update: 2026-11-20T14:30:00+01:00\nstatus: investigating\n---\nLooking.\n"
    content = scratch_site({**BOTH_USED, "incidents/2026-11-20-api-errors/01.md": update})
    assert warnings(lint(content, now="2026-11-20T14:25:00+01:00")) == []
    late = warnings(lint(content, now="2026-11-20T14:45:00+01:00"))
    assert late == [
        "incidents/2026-11-20-api-errors/01.md:3: warning: next_update: next update was promised for 2026-11-20T14:30+01:00, 15 min ago"
    ]


def test_an_update_older_than_the_cadence_is_overdue(scratch_site: ScratchSite) -> None:
    """update_cadence in site.yml: a major incident promises an update every 30 minutes."""
    content = scratch_site({**BOTH_USED, "site.yml": CADENCE})
    assert warnings(lint(content, now="2026-11-20T14:30:00+01:00")) == []
    (late,) = warnings(lint(content, now="2026-11-20T14:40:00+01:00"))
    assert (
        "last update 38 min ago; update_cadence promises one every 30 min for major incidents"
        in late
    )


def test_an_incident_open_for_more_than_a_week_is_reported(scratch_site: ScratchSite) -> None:
    """Usually an incident somebody forgot to resolve."""
    content = scratch_site(BOTH_USED)
    assert warnings(lint(content, now="2026-11-27T14:00:00+01:00")) == []
    (old,) = warnings(lint(content, now="2026-11-27T14:03:00+01:00"))
    assert old.startswith(
        "incidents/2026-11-20-api-errors/incident.md:1: warning: incident has been open for 7 d"
    )


MAINTENANCE = {
    "maintenance/2026-11-21-db-upgrade/maintenance.md": """\
        ---
        title: Database upgrade
        scheduled_for: 2026-11-21T02:00:00+01:00
        scheduled_until: 2026-11-21T04:00:00+01:00
        components: [api]
        ---
        Upgrade.
        """,
}


def test_a_past_window_without_a_completed_update_is_reported(scratch_site: ScratchSite) -> None:
    """The page says completed by the clock alone; someone should confirm it."""
    content = scratch_site({**BOTH_USED, **MAINTENANCE})
    assert warnings(lint(content, now="2026-11-21T03:00:00+01:00")) == []
    (late,) = warnings(lint(content, now="2026-11-21T05:00:00+01:00"))
    assert (
        "maintenance/2026-11-21-db-upgrade/maintenance.md:1: warning: scheduled_until: the window ended"
        in late
    )
    done = {
        "maintenance/2026-11-21-db-upgrade/01.md": "---\nat: 2026-11-21T03:50:00+01:00\nstatus: completed\n---\nDone.\n"
    }
    assert (
        warnings(
            lint(
                scratch_site({**BOTH_USED, **MAINTENANCE, **done}), now="2026-11-21T05:00:00+01:00"
            )
        )
        == []
    )


def test_a_component_never_used_is_reported(scratch_site: ScratchSite) -> None:
    """OPEN_INCIDENT touches api only: dashboard is named at its line in site.yml."""
    (unused,) = warnings(lint(scratch_site(OPEN_INCIDENT)))
    assert unused.startswith("site.yml:8: warning: components: component 'dashboard' is not used")


CRITICAL = {
    "incidents/2026-11-10-outage/incident.md": "---\ntitle: Outage\nseverity: critical\ncomponents: [api, dashboard]\n---\n",
    "incidents/2026-11-10-outage/01.md": "---\nat: 2026-11-10T10:00:00+01:00\nstatus: investigating\n---\nDown.\n",
    "incidents/2026-11-10-outage/02.md": "---\nat: 2026-11-10T11:00:00+01:00\nstatus: resolved\n---\nUp.\n",
}


def test_a_critical_incident_without_postmortem_after_five_days_is_reported(
    scratch_site: ScratchSite,
) -> None:
    """Critical incidents owe customers a review; five days is the grace period."""
    content = scratch_site(CRITICAL)
    assert warnings(lint(content, now="2026-11-15T10:00:00+01:00")) == []
    (missing,) = warnings(lint(content, now="2026-11-15T12:00:00+01:00"))
    assert (
        "incidents/2026-11-10-outage/incident.md:1: warning: severity: critical incident resolved 5 d 1 h ago has no post-mortem"
        in missing
    )
    review = {
        "incidents/2026-11-10-outage/postmortem.md": "---\npublished: 2026-11-12T10:00:00+01:00\n---\nReview.\n"
    }
    assert (
        warnings(lint(scratch_site({**CRITICAL, **review}), now="2026-11-20T12:00:00+01:00")) == []
    )


def errors(result: Result) -> list[str]:
    return [line for line in result.output.splitlines() if ": error:" in line]


def test_a_postmortem_skeleton_left_as_written_fails_lint_at_each_todo(
    scratch_site: ScratchSite,
) -> None:
    """Every TODO the skeleton writes is an error at its own line; lint exits 1 without --strict."""
    content = scratch_site(CRITICAL)
    written = CliRunner().invoke(
        main,
        [
            "incident",
            "postmortem",
            "outage",
            "--content",
            str(content),
            "--now",
            "2026-11-11T09:00:00Z",
            "--yes",
        ],
    )
    assert written.exit_code == 0, written.output
    path = "incidents/2026-11-10-outage/postmortem.md"
    lines = (content / path).read_text().splitlines()
    todo_lines = [number for number, line in enumerate(lines, 1) if "TODO" in line]
    assert len(todo_lines) == 3  # summary, root cause, follow-up
    result = lint(content, now="2026-11-11T10:00:00+01:00")
    assert result.exit_code == 1
    found = errors(result)
    assert [line.split(":")[1] for line in found] == [str(n) for n in todo_lines]
    assert all(
        line.startswith(f"{path}:")
        and ": error: the post-mortem is still a draft: '" in line
        and "TODO" in line
        for line in found
    )
    assert "nothing marked TODO may be published" in result.output


def test_a_todo_in_a_follow_up_action_fails_lint_at_its_line(scratch_site: ScratchSite) -> None:
    """Follow-up actions in the frontmatter are published too: a TODO there is a draft as well."""
    review = "---\npublished: 2026-11-12T10:00:00+01:00\nfollow_up:\n  - action: Add alerts\n    owner: TODO\n---\nReview.\n"
    result = lint(
        scratch_site({**CRITICAL, "incidents/2026-11-10-outage/postmortem.md": review}),
        now="2026-11-12T12:00:00+01:00",
    )
    assert result.exit_code == 1
    assert errors(result) == [
        "incidents/2026-11-10-outage/postmortem.md:5: error: follow_up: the post-mortem is still a draft: 'TODO'"
    ]


def test_a_finished_postmortem_passes_lint_and_todo_inside_a_word_is_no_marker(
    scratch_site: ScratchSite,
) -> None:
    """Only TODO as a word of its own marks a draft; a review that mentions 'TODOS' or 'todo' is fine."""
    review = "---\npublished: 2026-11-12T10:00:00+01:00\n---\nThe TODOS service and our todo list were not affected.\n"
    result = lint(
        scratch_site({**CRITICAL, "incidents/2026-11-10-outage/postmortem.md": review}),
        now="2026-11-12T12:00:00+01:00",
    )
    assert result.exit_code == 0 and errors(result) == [], result.output


def test_build_still_publishes_a_draft_postmortem(
    scratch_site: ScratchSite, tmp_path: Path
) -> None:
    """Lint is the gate: a build in the middle of the next incident must not fail over another's draft."""
    review = (
        "---\npublished: 2026-11-12T10:00:00+01:00\n---\n## Root cause\n\nTODO: why it happened.\n"
    )
    content = scratch_site({**CRITICAL, "incidents/2026-11-10-outage/postmortem.md": review})
    out = tmp_path / "public"
    result = CliRunner().invoke(
        main, ["build", str(content), "--output", str(out), "--now", "2026-11-12T12:00:00+01:00"]
    )
    assert result.exit_code == 0, result.output
    assert (out / "incidents/2026-11-10-outage/index.html").is_file()


def test_links_to_missing_internal_pages_are_reported_at_their_line(
    scratch_site: ScratchSite,
) -> None:
    """/incidents/, /components/ and /maintenance/ links must point at pages that exist."""
    body = (
        "---\nat: 2026-11-20T14:05:00+01:00\nstatus: identified\n---\n"
        "See [the API](/components/api/) and [last week](/incidents/2026-11-13-api-erors/).\n"
        "Also [the window](/maintenance/nope/) and [docs](/docs/) and [ext](https://example.com/incidents/x/).\n"
        "[ref]: /components/apii/\n"
    )
    content = scratch_site({**BOTH_USED, "incidents/2026-11-20-api-errors/02.md": body})
    found = warnings(lint(content))
    assert found == [
        "incidents/2026-11-20-api-errors/02.md:5: warning: link: link to /incidents/2026-11-13-api-erors/: there is no incident '2026-11-13-api-erors'",
        "incidents/2026-11-20-api-errors/02.md:6: warning: link: link to /maintenance/nope/: there is no maintenance 'nope'",
        "incidents/2026-11-20-api-errors/02.md:7: warning: link: link to /components/apii/: there is no component 'apii'",
    ]
    assert "did you mean /components/api/?" in lint(content).output


def test_strict_makes_warnings_fail(scratch_site: ScratchSite) -> None:
    """For CI and pre-commit: --strict turns any warning into exit 1."""
    content = scratch_site(OPEN_INCIDENT)  # dashboard unused: one warning
    assert lint(content).exit_code == 0
    strict = lint(content, "--strict")
    assert (
        strict.exit_code == 1
        and "lint failed: 0 errors, 1 warning (--strict: warnings fail)" in strict.output
    )


def test_github_format_prints_workflow_annotations(
    scratch_site: ScratchSite, monkeypatch: pytest.MonkeyPatch
) -> None:
    """`::error file=…,line=…,title=…::message` with GitHub's escapes, the path from the working folder."""
    content = scratch_site(
        {
            **BOTH_USED,
            "incidents/2026-11-20-api-errors/02.md": "---\nat: 2026-11-20T14:05:00+01:00\nstatus: fixed\n---\nx\n",
        }
    )
    monkeypatch.chdir(content.parent)
    result = CliRunner().invoke(main, ["lint", "content", "--now", NOW, "--format", "github"])
    assert result.exit_code == 1
    assert result.stdout.splitlines() == [
        (
            "::error file=content/incidents/2026-11-20-api-errors/02.md,line=3,title=statusgen%3A status::"
            "unknown value 'fixed'%0Afix: known: investigating, identified, monitoring, resolved"
        )
    ]


def test_github_format_warnings_are_annotations_too(scratch_site: ScratchSite) -> None:
    """A warning becomes `::warning …`; a message with a comma or colon stays one annotation."""
    result = lint(scratch_site(OPEN_INCIDENT), "--format", "github")
    (annotation,) = result.stdout.splitlines()
    assert annotation.startswith("::warning file=")
    assert (
        ",line=8,title=statusgen%3A components::component 'dashboard' is not used by any incident or maintenance%0Afix: "
        in annotation
    )


def test_the_pre_commit_hook_runs_statusgen_lint() -> None:
    """.pre-commit-hooks.yaml declares the statusgen-lint hook for other repositories."""
    (hook,) = yaml.safe_load((ROOT / ".pre-commit-hooks.yaml").read_text())
    assert hook["id"] == "statusgen-lint"
    assert (
        hook["entry"] == "statusgen lint"
        and hook["language"] == "python"
        and hook["pass_filenames"] is False
    )
