"""The catalogue of content mistakes, as executable specifications.

Each test writes a scratch content folder with exactly one mistake, runs the real loader and
validator (`load_and_validate`) and checks what the person on call reads at 3 a.m.: the file
(relative to the content folder), the line of the offending key, the field, what is wrong and
how to fix it. The last tests do the same through the `statusgen build` command line.

Line numbers are those of the files as written: `scratch_site` dedents each text, so the first
line of a dedented text is line 1. Where a test passes `on=`, the helper also checks that the
reported line of the file on disk really holds that text.
"""

from __future__ import annotations

import re
from datetime import UTC, datetime
from pathlib import Path

import pytest
from click.testing import CliRunner

from conftest import MINIMAL_SITE, OPEN_INCIDENT, ScratchSite
from statusgen.build import load_and_validate
from statusgen.cli.main import main
from statusgen.derive.lint import resolutions_leaving_impact, updates_before_the_start
from statusgen.errors import ContentError, ContentInvalid, Level
from statusgen.model import Content

SLUG = "2026-11-20-api-errors"
INCIDENT = f"incidents/{SLUG}"
INCIDENT_MD = f"{INCIDENT}/incident.md"
UPDATE_01 = f"{INCIDENT}/01.md"
UPDATE_02 = f"{INCIDENT}/02.md"
UPDATE_03 = f"{INCIDENT}/03.md"
POSTMORTEM = f"{INCIDENT}/postmortem.md"

MAINTENANCE = "maintenance/2026-12-01-db-upgrade"
MAINTENANCE_MD = f"{MAINTENANCE}/maintenance.md"
MAINTENANCE_01 = f"{MAINTENANCE}/01.md"

VALID_MAINTENANCE = """\
    ---
    title: Database upgrade
    scheduled_for: 2026-12-01T02:00:00+01:00
    scheduled_until: 2026-12-01T04:00:00+01:00
    components: [api]
    ---
    The API is read-only during the upgrade.
    """

RESOLVED_AT_15 = """\
    ---
    at: 2026-11-20T15:00:00+01:00
    status: resolved
    ---
    Error rates are back to normal.
    """

NOW = "2026-11-23T13:30:00Z"


# --- helpers --------------------------------------------------------------------------------------


def site_with(old: str, new: str) -> str:
    """MINIMAL_SITE with one piece of text replaced (which must be there)."""
    assert old in MINIMAL_SITE
    return MINIMAL_SITE.replace(old, new, 1)


def site_plus(extra: str) -> str:
    """MINIMAL_SITE (10 lines) followed by more fields, starting on line 11."""
    return MINIMAL_SITE + extra


def reported(root: Path) -> list[ContentError]:
    """Run the real loader and validator; return the errors of the ContentInvalid it must raise."""
    with pytest.raises(ContentInvalid) as caught:
        load_and_validate(root)
    return caught.value.errors


def listing(errors: list[ContentError]) -> str:
    return "\n".join(error.format() for error in errors)


def expect_error(
    root: Path,
    path: str,
    line: int | None,
    field: str | None,
    message: str,
    hint: str,
    *,
    on: str | None = None,
    count: int = 1,
) -> ContentError:
    """Assert that `count` errors are reported, one of them exactly at path:line for field."""
    errors = reported(root)
    assert len(errors) == count, f"expected {count} error(s), got:\n{listing(errors)}"
    matches = [e for e in errors if (e.source.path, e.source.line, e.field) == (path, line, field)]
    assert len(matches) == 1, (
        f"no single error at {path}:{line} field {field!r} in:\n{listing(errors)}"
    )
    error = matches[0]
    assert error.level is Level.ERROR
    assert message in error.message, listing(errors)
    assert error.hint is not None and hint in error.hint, listing(errors)
    if on is not None:
        assert line is not None
        written = (root / path).read_bytes().splitlines()
        assert on.encode() in written[line - 1], f"line {line} of {path} is {written[line - 1]!r}"
    return error


# --- files that cannot be read --------------------------------------------------------------------


def test_invalid_yaml_in_site_yml_names_its_line(scratch_site: ScratchSite) -> None:
    """A YAML syntax error in site.yml is reported at its line, with a hint about quoting."""
    root = scratch_site({"site.yml": site_with("name: Acme Cloud", "name: Acme: Cloud")})
    expect_error(root, "site.yml", 1, None, "invalid YAML", "needs quotes", on="name: Acme: Cloud")


def test_invalid_yaml_in_an_update_names_its_file_line(scratch_site: ScratchSite) -> None:
    """A YAML syntax error in an update is reported at its line in the file, not in the YAML."""
    root = scratch_site(
        {
            **OPEN_INCIDENT,
            UPDATE_02: """\
                ---
                at: 2026-11-20T14:30:00+01:00
                status: identified: yes
                ---
                We found the cause.
                """,
        }
    )
    expect_error(
        root, UPDATE_02, 3, None, "invalid YAML", "needs quotes", on="status: identified: yes"
    )


def test_missing_site_yml_says_what_it_must_contain(scratch_site: ScratchSite) -> None:
    """A content folder without site.yml is reported, with the fields a new one needs."""
    root = scratch_site({"site.yml": None})  # type: ignore[dict-item]
    expect_error(
        root, "site.yml", None, None, "site.yml not found", "name, url, timezone and components"
    )


def test_empty_site_yml_is_reported_as_empty(scratch_site: ScratchSite) -> None:
    """An empty site.yml is reported as empty on line 1, pointing at the content format."""
    root = scratch_site({"site.yml": ""})
    expect_error(root, "site.yml", 1, None, "file is empty", "content-format")


def test_update_without_frontmatter_says_it_must_start_with_a_fence(
    scratch_site: ScratchSite,
) -> None:
    """An update that does not start with '---' is reported on line 1 as missing its frontmatter."""
    root = scratch_site(
        {**OPEN_INCIDENT, UPDATE_02: "at: 2026-11-20T14:30:00+01:00\nWe found the cause.\n"}
    )
    expect_error(root, UPDATE_02, 1, None, "missing frontmatter", "add '---'")


def test_unclosed_frontmatter_asks_for_the_closing_fence(scratch_site: ScratchSite) -> None:
    """Frontmatter opened with '---' but never closed is reported, asking for the closing line."""
    root = scratch_site(
        {
            **OPEN_INCIDENT,
            UPDATE_02: """\
                ---
                at: 2026-11-20T14:30:00+01:00
                status: identified
                We found the cause.
                """,
        }
    )
    expect_error(
        root,
        UPDATE_02,
        1,
        None,
        "frontmatter is not closed",
        "add a '---' line after the last field",
    )


def test_empty_update_file_is_reported_as_empty(scratch_site: ScratchSite) -> None:
    """An empty update file is reported as empty, explaining what it must start with."""
    root = scratch_site({**OPEN_INCIDENT, UPDATE_02: ""})
    expect_error(root, UPDATE_02, 1, None, "file is empty", "frontmatter between '---' lines")


def test_non_utf8_file_names_the_line_of_the_bad_byte(scratch_site: ScratchSite) -> None:
    """A file that is not UTF-8 is reported at the line of its first bad byte, asking for UTF-8."""
    root = scratch_site(
        {**OPEN_INCIDENT, INCIDENT_MD: b"---\ntitle: caf\xe9\nseverity: major\n---\n"}
    )
    error = expect_error(
        root, INCIDENT_MD, 2, None, "not UTF-8", "save the file as UTF-8", on="title: caf"
    )
    assert "0xe9" in error.message


def test_duplicate_yaml_key_names_both_lines(scratch_site: ScratchSite) -> None:
    """A key written twice is refused at the second one, naming the line of the first."""
    root = scratch_site(
        {"site.yml": site_with("timezone: Europe/Paris\n", "timezone: Europe/Paris\nname: Acme\n")}
    )
    expect_error(
        root,
        "site.yml",
        4,
        None,
        "duplicate key 'name' (first on line 1)",
        "keep one of the two",
        on="name: Acme",
    )


def test_yaml_alias_is_refused_at_its_anchor(scratch_site: ScratchSite) -> None:
    """YAML anchors and aliases are refused, asking for the value to be written out in full."""
    root = scratch_site(
        {
            **OPEN_INCIDENT,
            UPDATE_02: """\
                ---
                at: &when 2026-11-20T14:30:00+01:00
                status: identified
                next_update: *when
                ---
                We found the cause.
                """,
        }
    )
    expect_error(
        root, UPDATE_02, 2, None, "anchors and aliases", "write the value out in full", on="&when"
    )


# --- fields of incidents and updates --------------------------------------------------------------


def test_unknown_field_suggests_the_known_one(scratch_site: ScratchSite) -> None:
    """A misspelt field is reported as unknown with a did-you-mean, and the real one as missing."""
    root = scratch_site(
        {
            **OPEN_INCIDENT,
            INCIDENT_MD: """\
                ---
                titel: Elevated error rates on the API
                severity: major
                ---
                """,
        }
    )
    expect_error(
        root,
        INCIDENT_MD,
        2,
        "titel",
        "unknown field 'titel'",
        "did you mean 'title'?",
        on="titel:",
        count=2,
    )
    missing = [e for e in reported(root) if e.field == "title"]
    assert [(e.source.path, e.message) for e in missing] == [
        (INCIDENT_MD, "required field is missing")
    ]


def test_unknown_severity_suggests_the_closest(scratch_site: ScratchSite) -> None:
    """An unknown severity lists the known ones and suggests the closest."""
    root = scratch_site(
        {
            **OPEN_INCIDENT,
            INCIDENT_MD: """\
                ---
                title: Elevated error rates on the API
                severity: majr
                ---
                """,
        }
    )
    error = expect_error(
        root,
        INCIDENT_MD,
        3,
        "severity",
        "unknown severity 'majr'",
        "did you mean 'major'?",
        on="severity:",
    )
    assert "none, minor, major, critical" in (error.hint or "")


def test_unknown_update_status_suggests_the_closest(scratch_site: ScratchSite) -> None:
    """An unknown incident update status suggests the closest of the four update statuses."""
    root = scratch_site(
        {
            **OPEN_INCIDENT,
            UPDATE_01: """\
                ---
                at: 2026-11-20T14:02:00+01:00
                status: investigatin
                ---
                We are investigating errors on the API.
                """,
        }
    )
    expect_error(
        root,
        UPDATE_01,
        3,
        "status",
        "unknown value 'investigatin'",
        "did you mean 'investigating'?",
        on="status:",
    )


def test_unknown_component_suggests_the_closest_id(scratch_site: ScratchSite) -> None:
    """An unknown component in an incident's components suggests the closest component id."""
    root = scratch_site(
        {
            **OPEN_INCIDENT,
            INCIDENT_MD: """\
                ---
                title: Elevated error rates on the API
                severity: major
                components: [apii]
                ---
                """,
        }
    )
    error = expect_error(
        root,
        INCIDENT_MD,
        4,
        "components",
        "unknown component 'apii'",
        "did you mean 'api'?",
        on="components:",
    )
    assert "known: api, dashboard" in (error.hint or "")


def test_unknown_component_in_an_update_suggests_the_closest_id(scratch_site: ScratchSite) -> None:
    """An unknown component in an update's status map is reported at its line, with a suggestion."""
    root = scratch_site(
        {
            **OPEN_INCIDENT,
            UPDATE_01: """\
                ---
                at: 2026-11-20T14:02:00+01:00
                status: investigating
                components:
                  dashbord: partial_outage
                ---
                We are investigating errors on the dashboard.
                """,
        }
    )
    expect_error(
        root,
        UPDATE_01,
        5,
        "components.dashbord",
        "unknown component 'dashbord'",
        "did you mean 'dashboard'?",
        on="dashbord:",
    )


def test_unknown_component_status_suggests_the_closest(scratch_site: ScratchSite) -> None:
    """An unknown component status is reported at the component's line with a did-you-mean."""
    root = scratch_site(
        {
            **OPEN_INCIDENT,
            UPDATE_01: """\
                ---
                at: 2026-11-20T14:02:00+01:00
                status: investigating
                components:
                  api: partial_outag
                ---
                We are investigating errors on the API.
                """,
        }
    )
    expect_error(
        root,
        UPDATE_01,
        5,
        "components.api",
        "unknown component status 'partial_outag'",
        "did you mean 'partial_outage'?",
        on="api: partial_outag",
    )


def test_time_without_offset_is_not_blamed_for_an_invalid_site_timezone(
    scratch_site: ScratchSite,
) -> None:
    """A time without offset cannot be read when the site timezone is invalid: only the timezone is reported."""
    root = scratch_site(
        {
            "site.yml": site_with("timezone: Europe/Paris", "timezone: Europe/Pariss"),
            **OPEN_INCIDENT,
            UPDATE_01: """\
                ---
                at: 2026-11-20T14:02:00
                status: investigating
                ---
                We are investigating errors on the API.
                """,
        }
    )
    expect_error(
        root,
        "site.yml",
        3,
        "timezone",
        "unknown timezone",
        "did you mean 'Europe/Paris'?",
        on="timezone:",
    )


def test_unknown_timezone_suggests_the_closest_iana_name(scratch_site: ScratchSite) -> None:
    """An unknown timezone asks for an IANA name and suggests the closest one."""
    root = scratch_site(
        {"site.yml": site_with("timezone: Europe/Paris", "timezone: Europe/Pariss")}
    )
    expect_error(
        root,
        "site.yml",
        3,
        "timezone",
        "unknown timezone 'Europe/Pariss'",
        "did you mean 'Europe/Paris'?",
        on="timezone:",
    )


def test_unparseable_time_shows_the_expected_format(scratch_site: ScratchSite) -> None:
    """A time that is not ISO 8601 is reported with an example of the expected format."""
    root = scratch_site(
        {
            **OPEN_INCIDENT,
            UPDATE_01: """\
                ---
                at: 20/11/2026 14:02
                status: investigating
                ---
                We are investigating errors on the API.
                """,
        }
    )
    expect_error(root, UPDATE_01, 2, "at", "'20/11/2026 14:02' is not a time", "ISO 8601", on="at:")


def test_time_in_the_daylight_saving_gap_is_refused(scratch_site: ScratchSite) -> None:
    """A local time skipped by the spring DST change does not exist and is refused."""
    root = scratch_site(
        {
            **OPEN_INCIDENT,
            UPDATE_01: """\
                ---
                at: 2026-03-29T02:30:00
                status: investigating
                ---
                We are investigating errors on the API.
                """,
        }
    )
    expect_error(
        root,
        UPDATE_01,
        2,
        "at",
        "does not exist in Europe/Paris",
        "add the offset explicitly",
        on="at: 2026-03-29",
    )


def test_update_before_started_at_builds_and_lint_warns(scratch_site: ScratchSite) -> None:
    """A back-dated update (real Statuspage histories hold them) is accepted, the impact shown
    from it; lint still names it, since a wrong offset looks the same."""
    root = scratch_site(
        {
            INCIDENT_MD: """\
                ---
                title: Elevated error rates on the API
                severity: major
                started_at: 2026-11-20T14:00:00+01:00
                ---
                """,
            UPDATE_01: """\
                ---
                at: 2026-11-20T13:50:00+01:00
                status: investigating
                ---
                We are investigating errors on the API.
                """,
        }
    )
    content, warnings = load_and_validate(root)
    assert warnings == []
    found = lint_findings(content)
    assert [(str(f.source), f.field) for f in found] == [(f"{UPDATE_01}:2", "at")]
    assert "before the incident's started_at" in found[0].message


def test_update_after_the_resolved_update_is_reported(scratch_site: ScratchSite) -> None:
    """An update dated after the resolved update is reported, suggesting a new incident."""
    root = scratch_site(
        {
            **OPEN_INCIDENT,
            UPDATE_02: RESOLVED_AT_15,
            UPDATE_03: """\
                ---
                at: 2026-11-20T15:10:00+01:00
                status: monitoring
                ---
                We keep watching.
                """,
        }
    )
    expect_error(
        root,
        UPDATE_03,
        2,
        "at",
        "comes after the incident was resolved",
        "open a new incident",
        on="at:",
    )


def test_resolved_update_leaving_a_component_impacted_builds_and_lint_warns(
    scratch_site: ScratchSite,
) -> None:
    """Statuspage lets a resolving update leave a component degraded; the incident's impact
    ends at the resolution all the same, and lint asks whether that was meant."""
    root = scratch_site(
        {
            **OPEN_INCIDENT,
            UPDATE_02: """\
                ---
                at: 2026-11-20T15:00:00+01:00
                status: resolved
                components:
                  api: degraded_performance
                ---
                Error rates are back to normal.
                """,
        }
    )
    content, warnings = load_and_validate(root)
    assert warnings == []
    found = lint_findings(content)
    assert [(str(f.source), f.field) for f in found] == [(f"{UPDATE_02}:2", "components.api")]
    assert "sets 'api' to degraded_performance" in found[0].message


def lint_findings(content: Content) -> list[ContentError]:
    """Lint's findings about the updates' times and statuses (the rules these tests are about)."""
    now = datetime(2026, 11, 23, 13, 30, tzinfo=UTC)
    return [*updates_before_the_start(content, now), *resolutions_leaving_impact(content, now)]


def test_next_update_must_be_after_the_update(scratch_site: ScratchSite) -> None:
    """A next_update promise earlier than the update itself is reported."""
    root = scratch_site(
        {
            **OPEN_INCIDENT,
            UPDATE_01: """\
                ---
                at: 2026-11-20T14:02:00+01:00
                status: investigating
                next_update: 2026-11-20T13:30:00+01:00
                ---
                We are investigating errors on the API.
                """,
        }
    )
    expect_error(
        root,
        UPDATE_01,
        4,
        "next_update",
        "is not after the update's time",
        "later than 'at'",
        on="next_update:",
    )


def test_update_without_message_is_reported_where_the_message_belongs(
    scratch_site: ScratchSite,
) -> None:
    """An update with no Markdown message is reported on the line after its frontmatter."""
    root = scratch_site(
        {
            **OPEN_INCIDENT,
            UPDATE_01: """\
                ---
                at: 2026-11-20T14:02:00+01:00
                status: investigating
                ---
                """,
        }
    )
    # The file has 4 lines; line 5 is where the message should start.
    expect_error(root, UPDATE_01, 5, None, "update has no message", "below the '---'")


def test_postmortem_without_published_is_reported(scratch_site: ScratchSite) -> None:
    """A post-mortem without its required published time is reported with an example."""
    root = scratch_site(
        {
            **OPEN_INCIDENT,
            UPDATE_02: RESOLVED_AT_15,
            POSTMORTEM: """\
                ---
                ---
                A configuration change exhausted the connection pool.
                """,
        }
    )
    expect_error(root, POSTMORTEM, 2, "published", "required field is missing", "add 'published: ")


def test_postmortem_on_an_unresolved_incident_is_reported(scratch_site: ScratchSite) -> None:
    """A post-mortem on an incident with no resolved update is reported at its published time."""
    root = scratch_site(
        {
            **OPEN_INCIDENT,
            POSTMORTEM: """\
                ---
                published: 2026-11-22T10:00:00+01:00
                ---
                A configuration change exhausted the connection pool.
                """,
        }
    )
    expect_error(
        root,
        POSTMORTEM,
        2,
        "published",
        "incident that is not resolved",
        "resolve the incident first",
        on="published:",
    )


def test_postmortem_published_before_resolution_is_reported(scratch_site: ScratchSite) -> None:
    """A post-mortem published before the incident was resolved is reported at published."""
    root = scratch_site(
        {
            **OPEN_INCIDENT,
            UPDATE_02: RESOLVED_AT_15,
            POSTMORTEM: """\
                ---
                published: 2026-11-20T14:30:00+01:00
                ---
                A configuration change exhausted the connection pool.
                """,
        }
    )
    expect_error(
        root,
        POSTMORTEM,
        2,
        "published",
        "before the incident was resolved",
        "check the time and offset",
        on="published:",
    )


# --- folders --------------------------------------------------------------------------------------


def test_incident_folder_without_incident_md_is_reported(scratch_site: ScratchSite) -> None:
    """An incident folder without incident.md is reported on the folder, naming the file to add."""
    root = scratch_site({UPDATE_01: OPEN_INCIDENT[UPDATE_01]})
    expect_error(root, INCIDENT, None, None, "folder has no incident.md", f"add {INCIDENT_MD}")


def test_incident_without_update_files_is_reported(scratch_site: ScratchSite) -> None:
    """An incident folder with no update file is reported, naming a first update to add."""
    root = scratch_site({INCIDENT_MD: OPEN_INCIDENT[INCIDENT_MD]})
    expect_error(
        root, INCIDENT, None, None, "incident has no update", f"add {INCIDENT}/01-investigating.md"
    )


def test_markdown_file_directly_in_incidents_needs_its_own_folder(
    scratch_site: ScratchSite,
) -> None:
    """A .md file directly in incidents/ is reported, with the folder it should move to."""
    root = scratch_site({f"incidents/{SLUG}.md": OPEN_INCIDENT[INCIDENT_MD]})
    expect_error(
        root,
        f"incidents/{SLUG}.md",
        None,
        None,
        "file directly in incidents/",
        f"move it to {INCIDENT_MD}",
    )


def test_invalid_folder_slug_suggests_a_valid_one(scratch_site: ScratchSite) -> None:
    """An incident folder name that is not a valid slug is reported with a valid name to use."""
    root = scratch_site(
        {
            "incidents/API_Errors/incident.md": OPEN_INCIDENT[INCIDENT_MD],
            "incidents/API_Errors/01.md": OPEN_INCIDENT[UPDATE_01],
        }
    )
    expect_error(
        root,
        "incidents/API_Errors",
        None,
        None,
        "'API_Errors' is not a valid slug",
        "rename it to 'api-errors'",
    )


def test_same_slug_for_an_incident_and_a_maintenance_is_reported(scratch_site: ScratchSite) -> None:
    """An incident and a maintenance may not share a slug, since it is their API id."""
    root = scratch_site({**OPEN_INCIDENT, f"maintenance/{SLUG}/maintenance.md": VALID_MAINTENANCE})
    expect_error(
        root,
        f"maintenance/{SLUG}",
        None,
        None,
        f"slug '{SLUG}' is used by an incident and a maintenance",
        "rename one folder",
    )


# --- site.yml fields ------------------------------------------------------------------------------


def test_duplicate_component_id_names_the_first_one(scratch_site: ScratchSite) -> None:
    """A component id used twice is reported at the second one, naming the line of the first."""
    root = scratch_site({"site.yml": site_plus("  - id: api\n    name: Another API\n")})
    expect_error(
        root,
        "site.yml",
        11,
        "components[3].id",
        "duplicate component id 'api' (first on line 5)",
        "give each component its own",
        on="- id: api",
    )


def test_invalid_component_id_suggests_a_valid_one(scratch_site: ScratchSite) -> None:
    """A component id with capitals or underscores is refused with a valid id to use."""
    root = scratch_site({"site.yml": site_with("  - id: dashboard", "  - id: Dash_Board")})
    expect_error(
        root,
        "site.yml",
        8,
        "components[2].id",
        "'Dash_Board' is not a valid id",
        "'dash-board'",
        on="id: Dash_Board",
    )


def test_sla_out_of_range_gives_the_allowed_range(scratch_site: ScratchSite) -> None:
    """An SLA above 100 percent is refused with the allowed range."""
    root = scratch_site(
        {"site.yml": site_with("    name: Public API\n", "    name: Public API\n    sla: 199.9\n")}
    )
    expect_error(
        root,
        "site.yml",
        7,
        "components[1].sla",
        "199.9 is out of range",
        "between 0.0 and 100.0",
        on="sla: 199.9",
    )


def test_bad_recovery_duration_shows_the_duration_format(scratch_site: ScratchSite) -> None:
    """A recovery time that is not a duration is refused with examples of durations."""
    root = scratch_site(
        {
            "site.yml": site_with(
                "    name: Public API\n",
                "    name: Public API\n    recovery:\n      failover: automatic\n      rto: 5min\n",
            )
        }
    )
    expect_error(
        root,
        "site.yml",
        9,
        "components[1].recovery.rto",
        "'5min' is not a duration",
        "30s, 15m, 4h, 1d",
        on="rto: 5min",
    )


def test_unknown_failover_mode_suggests_the_closest(scratch_site: ScratchSite) -> None:
    """An unknown failover mode lists the three modes and suggests the closest."""
    root = scratch_site(
        {
            "site.yml": site_with(
                "    name: Public API\n",
                "    name: Public API\n    recovery:\n      failover: automatc\n",
            )
        }
    )
    expect_error(
        root,
        "site.yml",
        8,
        "components[1].recovery.failover",
        "unknown value 'automatc'",
        "did you mean 'automatic'?",
        on="failover: automatc",
    )


def test_unknown_severity_in_update_cadence_suggests_the_closest(scratch_site: ScratchSite) -> None:
    """An update_cadence key that is not a severity is reported at its line with a did-you-mean."""
    root = scratch_site({"site.yml": site_plus("update_cadence:\n  major: 30m\n  critcal: 15m\n")})
    expect_error(
        root,
        "site.yml",
        13,
        "update_cadence.critcal",
        "unknown severity 'critcal'",
        "did you mean 'critical'?",
        on="critcal:",
    )


def test_bad_support_hours_show_the_expected_form(scratch_site: ScratchSite) -> None:
    """Support hours that are not 'Days HH:MM-HH:MM' are refused with an example."""
    root = scratch_site({"site.yml": site_plus('support:\n  hours: ["Mon-Fri 9am-5pm"]\n')})
    expect_error(
        root,
        "site.yml",
        12,
        "support.hours",
        "'Mon-Fri 9am-5pm' is not a support window",
        "Mon-Fri 09:00-18:00",
        on="hours:",
    )


def test_security_contact_must_be_a_uri(scratch_site: ScratchSite) -> None:
    """A security contact without mailto:, https: or tel: is refused with an example."""
    root = scratch_site({"site.yml": site_plus("security:\n  contact: security@example.com\n")})
    expect_error(
        root,
        "site.yml",
        12,
        "security.contact",
        "'security@example.com' is not a contact URI",
        "mailto:security@example.com",
        on="contact:",
    )


def test_site_url_must_be_absolute(scratch_site: ScratchSite) -> None:
    """A site url without scheme is refused, since feeds and the API need an absolute URL."""
    root = scratch_site(
        {"site.yml": site_with("url: https://status.example.com", "url: status.example.com")}
    )
    expect_error(
        root,
        "site.yml",
        2,
        "url",
        "is not an absolute http(s) URL",
        "https://status.example.com",
        on="url:",
    )


# --- maintenance ----------------------------------------------------------------------------------


def test_maintenance_ending_before_it_starts_is_reported(scratch_site: ScratchSite) -> None:
    """A maintenance window that ends before it starts is reported at scheduled_until."""
    root = scratch_site({MAINTENANCE_MD: VALID_MAINTENANCE.replace("T04:00:00", "T01:00:00")})
    expect_error(
        root,
        MAINTENANCE_MD,
        4,
        "scheduled_until",
        "is not after scheduled_for",
        "must end after it starts",
        on="scheduled_until:",
    )


def test_maintenance_with_unknown_component_suggests_the_closest_id(
    scratch_site: ScratchSite,
) -> None:
    """An unknown component in a maintenance is reported with a did-you-mean."""
    root = scratch_site({MAINTENANCE_MD: VALID_MAINTENANCE.replace("[api]", "[apii]")})
    expect_error(
        root,
        MAINTENANCE_MD,
        5,
        "components",
        "unknown component 'apii'",
        "did you mean 'api'?",
        on="components:",
    )


def test_maintenance_update_with_an_incident_status_says_so(scratch_site: ScratchSite) -> None:
    """An incident status in a maintenance update is named as such, with the status meant."""
    root = scratch_site(
        {
            MAINTENANCE_MD: VALID_MAINTENANCE,
            MAINTENANCE_01: """\
                ---
                at: 2026-12-01T03:30:00+01:00
                status: resolved
                ---
                The upgrade is done.
                """,
        }
    )
    expect_error(
        root,
        MAINTENANCE_01,
        3,
        "status",
        "'resolved' is an incident status, not a maintenance status",
        "use 'completed' (maintenance statuses: scheduled, in_progress, verifying, completed, cancelled)",
        on="status: resolved",
    )


def test_maintenance_without_a_components_field_is_reported(scratch_site: ScratchSite) -> None:
    """A maintenance must say what it affects: leaving `components` out is an error, while
    `components: []` is a notice that affects none (real Statuspage histories hold them)."""
    without = VALID_MAINTENANCE.replace("    components: [api]\n", "")
    root = scratch_site({MAINTENANCE_MD: without})
    expect_error(
        root,
        MAINTENANCE_MD,
        2,
        "components",
        "required field is missing",
        "or [] for a notice that affects none",
    )


def test_a_maintenance_notice_names_no_component(scratch_site: ScratchSite) -> None:
    root = scratch_site({MAINTENANCE_MD: VALID_MAINTENANCE.replace("[api]", "[]")})
    content, _ = load_and_validate(root)
    assert content.maintenances[0].components == ()


def test_maintenance_update_after_completion_is_reported(scratch_site: ScratchSite) -> None:
    """A maintenance update dated after the completed update is reported at its time."""
    root = scratch_site(
        {
            MAINTENANCE_MD: VALID_MAINTENANCE,
            MAINTENANCE_01: """\
                ---
                at: 2026-12-01T03:30:00+01:00
                status: completed
                ---
                The upgrade is done.
                """,
            f"{MAINTENANCE}/02.md": """\
                ---
                at: 2026-12-01T03:45:00+01:00
                status: verifying
                ---
                Checking replication.
                """,
        }
    )
    expect_error(
        root,
        f"{MAINTENANCE}/02.md",
        2,
        "at",
        "comes after the maintenance was completed",
        "schedule a new maintenance",
        on="at:",
    )


def test_maintenance_impact_must_be_a_maintenance_status(scratch_site: ScratchSite) -> None:
    """A maintenance impact of 'operational' is refused, listing the allowed impacts."""
    root = scratch_site(
        {
            MAINTENANCE_MD: VALID_MAINTENANCE.replace(
                "    components: [api]\n", "    components: [api]\n    impact: operational\n"
            )
        }
    )
    expect_error(
        root,
        MAINTENANCE_MD,
        6,
        "impact",
        "unknown value 'operational'",
        "under_maintenance",
        on="impact:",
    )


# --- all at once ----------------------------------------------------------------------------------


def test_seven_mistakes_in_seven_files_are_all_reported_sorted(scratch_site: ScratchSite) -> None:
    """Seven mistakes in seven files are all reported in one run, sorted by path then line."""
    root = scratch_site(
        {
            "site.yml": site_with("url: https://status.example.com", "url: status.example.com"),
            INCIDENT_MD: """\
                ---
                title: Elevated error rates on the API
                severity: majr
                ---
                """,
            UPDATE_01: """\
                ---
                at: 2026-11-20T14:02:00+01:00
                status: investigating
                components:
                  api: partial_outag
                ---
                We are investigating errors on the API.
                """,
            UPDATE_02: "We found the cause.\n",
            "incidents/2026-11-21-dashboard-slow/incident.md": """\
                ---
                title: Slow dashboard
                severity: minor
                ---
                """,
            "incidents/2026-11-21-dashboard-slow/01.md": """\
                ---
                at: 2026-11-21T09:00:00+01:00
                status: investigating
                next_update: 2026-11-21T08:30:00+01:00
                ---
                The dashboard is slow.
                """,
            MAINTENANCE_MD: VALID_MAINTENANCE.replace("T04:00:00", "T01:00:00"),
            MAINTENANCE_01: """\
                ---
                at: 2026-12-01T02:00:00+01:00
                status: resolved
                ---
                Started.
                """,
        }
    )
    errors = reported(root)
    assert [(e.source.path, e.source.line, e.field) for e in errors] == [
        (UPDATE_01, 5, "components.api"),
        (UPDATE_02, 1, None),
        (INCIDENT_MD, 3, "severity"),
        ("incidents/2026-11-21-dashboard-slow/01.md", 4, "next_update"),
        (MAINTENANCE_01, 3, "status"),
        (MAINTENANCE_MD, 4, "scheduled_until"),
        ("site.yml", 2, "url"),
    ], listing(errors)
    assert len({e.source.path for e in errors}) == 7
    assert errors == sorted(errors, key=lambda e: (e.source.path, e.source.line or 0))
    assert all(e.hint for e in errors), listing(errors)


def test_mistakes_in_one_file_are_reported_in_line_order(scratch_site: ScratchSite) -> None:
    """Several mistakes in one file are all reported, in the order of their lines."""
    root = scratch_site(
        {
            **OPEN_INCIDENT,
            INCIDENT_MD: """\
                ---
                title: Elevated error rates on the API
                severity: majr
                kind: securty
                detected_by: monitorng
                ---
                """,
        }
    )
    errors = reported(root)
    assert [(e.source.path, e.source.line, e.field) for e in errors] == [
        (INCIDENT_MD, 3, "severity"),
        (INCIDENT_MD, 4, "kind"),
        (INCIDENT_MD, 5, "detected_by"),
    ], listing(errors)


# --- the command line -----------------------------------------------------------------------------

# No colour codes in captured output, whatever the environment of the test run.
RUNNER_ENV = {"NO_COLOR": "1", "FORCE_COLOR": None, "TTY_COMPATIBLE": None}
ERROR_LINE = re.compile(
    r"^(?P<path>[^\s:]+):(?P<line>\d+): error: (?P<field>[\w.\[\]-]+): (?P<message>.+)$",
    re.MULTILINE,
)


def build_cli(content: Path, output: Path, now: str = NOW) -> tuple[int, str]:
    result = CliRunner(env=RUNNER_ENV).invoke(
        main, ["build", str(content), "--output", str(output), "--now", now]
    )
    return result.exit_code, result.output


def tree(root: Path) -> dict[str, bytes | None]:
    """Every file (bytes) and folder (None) under root."""
    return {
        path.relative_to(root).as_posix(): (path.read_bytes() if path.is_file() else None)
        for path in sorted(root.rglob("*"))
    }


def test_cli_valid_site_builds_with_exit_code_0(scratch_site: ScratchSite, tmp_path: Path) -> None:
    """A valid site builds with exit status 0 and writes the home page."""
    content = scratch_site(OPEN_INCIDENT)
    code, output = build_cli(content, tmp_path / "public")
    assert code == 0, output
    assert (tmp_path / "public" / "index.html").is_file()
    assert "error" not in output


def test_cli_invalid_content_lists_errors_with_fixes_and_exits_1(
    scratch_site: ScratchSite, tmp_path: Path
) -> None:
    """Invalid content exits 1, printing 'path:line: error: field: message' and 'fix:' lines."""
    content = scratch_site(
        {
            **OPEN_INCIDENT,
            INCIDENT_MD: """\
                ---
                title: Elevated error rates on the API
                severity: majr
                ---
                """,
            UPDATE_02: """\
                ---
                at: 2026-11-20T14:30:00+01:00
                status: identified
                components:
                  apii: partial_outage
                ---
                We found the cause.
                """,
        }
    )
    code, output = build_cli(content, tmp_path / "public")
    assert code == 1, output
    assert "Traceback" not in output
    found = [(m["path"], int(m["line"]), m["field"]) for m in ERROR_LINE.finditer(output)]
    assert found == [(UPDATE_02, 5, "components.apii"), (INCIDENT_MD, 3, "severity")], output
    assert f"{INCIDENT_MD}:3: error: severity: unknown severity 'majr'" in output.splitlines()
    fixes = [line for line in output.splitlines() if line.strip().startswith("fix:")]
    assert len(fixes) == 2 and "did you mean 'major'?" in fixes[1], output
    assert "2 errors" in output
    assert not (tmp_path / "public").exists()


def test_cli_failed_build_leaves_the_previous_output_untouched(
    scratch_site: ScratchSite, tmp_path: Path
) -> None:
    """A failed build leaves the previous output byte for byte unchanged, with nothing new."""
    content = scratch_site(OPEN_INCIDENT)
    public = tmp_path / "public"
    code, output = build_cli(content, public)
    assert code == 0, output
    before = tree(public)
    siblings = sorted(p.name for p in tmp_path.iterdir())
    assert "index.html" in before

    scratch_site(
        {UPDATE_02: "---\nat: 2026-11-20T14:30:00+01:00\nstatus: identifed\n---\nFound it.\n"}
    )
    code, output = build_cli(content, public)

    assert code == 1, output
    assert "unchanged" in output
    assert tree(public) == before
    assert sorted(p.name for p in tmp_path.iterdir()) == siblings


@pytest.mark.parametrize(
    "now", ["yesterday", "2026-11-23T13:30:00"], ids=["not-iso-8601", "without-offset"]
)
def test_cli_bad_now_is_a_usage_error_with_exit_code_2(
    scratch_site: ScratchSite, tmp_path: Path, now: str
) -> None:
    """A --now that is not ISO 8601 with an offset is wrong usage: exit 2, nothing written."""
    content = scratch_site(OPEN_INCIDENT)
    code, output = build_cli(content, tmp_path / "public", now=now)
    assert code == 2, output
    assert "--now" in output
    assert "Traceback" not in output
    assert not (tmp_path / "public").exists()


def test_cli_update_after_now_is_a_warning_and_still_builds(
    scratch_site: ScratchSite, tmp_path: Path
) -> None:
    """An update dated after --now still builds (exit 0) and prints a warning naming its file."""
    content = scratch_site(
        {
            **OPEN_INCIDENT,
            UPDATE_02: """\
                ---
                at: 2026-11-23T15:00:00+01:00
                status: monitoring
                ---
                We keep watching.
                """,
        }
    )
    code, output = build_cli(content, tmp_path / "public")
    assert code == 0, output
    assert (
        f"{UPDATE_02}:2: warning: at: update is dated 2026-11-23T15:00:00+01:00, after now"
        in output
    )
    assert "fix: check the offset" in output
    assert (tmp_path / "public" / "index.html").is_file()


# ---- regressions: places and messages the first version got wrong -------------------------


def test_duplicate_key_in_frontmatter_names_both_file_lines(scratch_site: ScratchSite) -> None:
    """The 'first on line' of a duplicate key counts file lines, not YAML lines."""
    root = scratch_site(
        {
            **OPEN_INCIDENT,
            f"{INCIDENT}/02.md": "---\nat: 2026-11-20T15:00:00+01:00\nstatus: identified\nstatus: monitoring\n---\nFixing.\n",
        }
    )
    expect_error(
        root,
        f"{INCIDENT}/02.md",
        4,
        None,
        "duplicate key 'status' (first on line 3)",
        "keep one of the two",
    )


def test_second_resolved_update_points_at_its_status_line(scratch_site: ScratchSite) -> None:
    """Two resolved updates: the second one's `status:` line is named."""
    resolved = "---\nat: 2026-11-20T15:00:00+01:00\nstatus: resolved\n---\nFixed.\n"
    root = scratch_site(
        {**OPEN_INCIDENT, f"{INCIDENT}/02.md": resolved, f"{INCIDENT}/03.md": resolved}
    )
    expect_error(
        root,
        f"{INCIDENT}/03.md",
        3,
        "status",
        "second resolved update",
        "use status: monitoring",
        on="status: resolved",
    )


def test_update_after_resolution_points_at_its_at_line(scratch_site: ScratchSite) -> None:
    """The `at:` line is named even when it is not the first field."""
    root = scratch_site(
        {
            **OPEN_INCIDENT,
            f"{INCIDENT}/02.md": "---\nat: 2026-11-20T15:00:00+01:00\nstatus: resolved\n---\nFixed.\n",
            f"{INCIDENT}/03.md": "---\nstatus: monitoring\nat: 2026-11-20T15:10:00+01:00\n---\nWatching.\n",
        }
    )
    expect_error(
        root,
        f"{INCIDENT}/03.md",
        3,
        "at",
        "comes after the incident was resolved",
        "open a new incident",
        on="at:",
    )


def test_group_colliding_with_a_component_id_points_at_the_group_line(
    scratch_site: ScratchSite,
) -> None:
    """A group named like a component would share its URL and API id."""
    site = MINIMAL_SITE.replace(
        "    group: Platform\n  - id: dashboard", "    group: Dashboard\n  - id: dashboard", 1
    )
    root = scratch_site({"site.yml": site})
    expect_error(
        root,
        "site.yml",
        7,
        "components[1].group",
        "same id as component 'dashboard'",
        "rename the group",
        on="group: Dashboard",
    )


def test_unclosed_bracket_is_reported_where_it_opens(scratch_site: ScratchSite) -> None:
    """The parser notices an unclosed [ lines later; the error names the line that opened it."""
    site = MINIMAL_SITE.replace("timezone: Europe/Paris", "timezone: [Europe/Paris")
    root = scratch_site({"site.yml": site})
    errors = reported(root)
    assert errors[0].source.line == 3 and "invalid YAML" in errors[0].message


@pytest.mark.parametrize("duration_text", ["1000000000d", "99999999999999999999m"])
def test_absurd_durations_are_refused_not_crashed_on(
    scratch_site: ScratchSite, duration_text: str
) -> None:
    """A huge number in a duration is a clear error, not an OverflowError."""
    root = scratch_site({"site.yml": MINIMAL_SITE + f"update_cadence:\n  major: {duration_text}\n"})
    expect_error(
        root,
        "site.yml",
        12,
        "update_cadence.major",
        "longer than a year",
        "shorter duration",
        on="major:",
    )


@pytest.mark.parametrize("depth", [200, 5000])
def test_deeply_nested_frontmatter_is_refused(scratch_site: ScratchSite, depth: int) -> None:
    """Pathological nesting is our error, at its file and line, whatever the YAML parser says."""
    nested = "[" * depth + "]" * depth
    root = scratch_site(
        {**OPEN_INCIDENT, f"{INCIDENT}/02.md": f"---\nat: x\nx: {nested}\n---\nx\n"}
    )
    expect_error(
        root,
        f"{INCIDENT}/02.md",
        3,
        None,
        "YAML nested more than 50 levels deep",
        "only a few levels",
        on="x: [[",
    )


@pytest.mark.parametrize("year", ["0001", "9999"])
def test_times_outside_the_supported_years_are_refused(
    scratch_site: ScratchSite, year: str
) -> None:
    """Year typos would make history pages run for ages; they are refused."""
    update = f"---\nat: {year}-01-01T00:30:00+00:00\nstatus: investigating\n---\nHello.\n"
    root = scratch_site({**OPEN_INCIDENT, f"{INCIDENT}/01.md": update})
    expect_error(root, f"{INCIDENT}/01.md", 2, "at", "is outside 1990–2199", "check the year")


def test_an_unreadable_only_update_is_not_also_called_missing(scratch_site: ScratchSite) -> None:
    """A broken update file is one error, not also 'incident has no update'."""
    root = scratch_site({**OPEN_INCIDENT, f"{INCIDENT}/01.md": "no frontmatter here\n"})
    errors = reported(root)
    assert [e.message for e in errors] == [
        "missing frontmatter: the file must start with a '---' line"
    ]


def test_a_missing_site_yml_does_not_flag_every_component(scratch_site: ScratchSite) -> None:
    """Without site.yml, component ids cannot be checked; only the real error is reported."""
    root = scratch_site({**OPEN_INCIDENT, "site.yml": None})  # type: ignore[dict-item]
    assert [e.message for e in reported(root)] == ["site.yml not found"]


def test_a_component_without_a_status_says_so(scratch_site: ScratchSite) -> None:
    """`api:` with nothing after it asks for a status, listing them."""
    update = "---\nat: 2026-11-20T14:02:00+01:00\nstatus: investigating\ncomponents:\n  api:\n---\nHello.\n"
    root = scratch_site({**OPEN_INCIDENT, f"{INCIDENT}/01.md": update})
    expect_error(
        root,
        f"{INCIDENT}/01.md",
        5,
        "components.api",
        "no status given for 'api'",
        "partial_outage",
    )


def test_a_maintenance_update_needs_a_message(scratch_site: ScratchSite) -> None:
    """Like incident updates, maintenance updates tell customers something."""
    root = scratch_site(
        {
            MAINTENANCE_MD: VALID_MAINTENANCE,
            MAINTENANCE_01: "---\nat: 2026-12-01T02:00:00+01:00\nstatus: in_progress\n---\n",
        }
    )
    expect_error(root, MAINTENANCE_01, 5, None, "update has no message", "below the '---'")


def test_a_component_cannot_take_a_reserved_id(scratch_site: ScratchSite) -> None:
    """`status` names the whole page's badge, so no component may use it."""
    site = MINIMAL_SITE.replace("  - id: dashboard", "  - id: status")
    root = scratch_site({"site.yml": site})
    expect_error(
        root,
        "site.yml",
        8,
        "components[2].id",
        "'status' is reserved",
        "use another id",
        on="id: status",
    )
