"""Content input: every mistake is one clear error, and nothing changes meaning on the way in.

Covers what reading the content must guarantee (see docs/content-format.md): odd values never
raise a traceback, YAML is read with YAML 1.2 core rules, control characters never reach the
output however they were written, local times are never guessed, dates far in the future stop
the build, and each mistake is reported once, at the right line.
"""

from __future__ import annotations

import os
from datetime import UTC, datetime
from pathlib import Path

import pytest

from conftest import MINIMAL_SITE, OPEN_INCIDENT, ScratchSite
from statusgen.build import BuildOptions, build, load_and_validate
from statusgen.cli.lint import check
from statusgen.content.loader import load_content
from statusgen.errors import ContentError, ContentInvalid, Level

INCIDENT = "incidents/2026-11-20-api-errors"
INCIDENT_MD = f"{INCIDENT}/incident.md"
UPDATE_01 = f"{INCIDENT}/01.md"
UPDATE_02 = f"{INCIDENT}/02.md"
NOW = datetime(2026, 11, 23, 13, 30, tzinfo=UTC)


def errors_of(root: Path) -> list[ContentError]:
    """The errors of the ContentInvalid that loading and validating `root` must raise."""
    with pytest.raises(ContentInvalid) as caught:
        load_and_validate(root)
    return caught.value.errors


def only_error(root: Path) -> ContentError:
    errors = errors_of(root)
    assert len(errors) == 1, "\n".join(e.format() for e in errors)
    return errors[0]


def site_with(old: str, new: str) -> str:
    assert old in MINIMAL_SITE
    return MINIMAL_SITE.replace(old, new, 1)


def update(at: str, extra: str = "", body: str = "We found the cause.") -> str:
    return f"---\nat: {at}\nstatus: identified\n{extra}---\n{body}\n"


# --- item 9: values that used to raise a traceback ----------------------------------------------


def test_a_bare_region_as_timezone_is_one_error_naming_cities(scratch_site: ScratchSite) -> None:
    """`timezone: Europe` (a folder of the zone database) is an error suggesting Europe/ cities."""
    root = scratch_site({"site.yml": site_with("timezone: Europe/Paris", "timezone: Europe")})
    error = only_error(root)
    assert (error.source.path, error.source.line, error.field) == ("site.yml", 3, "timezone")
    assert "'Europe' is a region, not a time zone" in error.message
    assert (
        error.hint is not None and "Europe/Amsterdam" in error.hint and "Europe/Paris" in error.hint
    )


def test_a_300_character_timezone_is_one_error(scratch_site: ScratchSite) -> None:
    """A name too long for a file name is an unknown timezone, shown shortened."""
    root = scratch_site({"site.yml": site_with("timezone: Europe/Paris", "timezone: " + "A" * 300)})
    error = only_error(root)
    assert (error.source.line, error.field) == (3, "timezone")
    assert "unknown timezone" in error.message and len(error.message) < 80


@pytest.mark.parametrize("name", ["localtime", "Factory", "posixrules", "posix/Europe/Paris"])
def test_zone_files_that_are_not_a_place_are_refused(scratch_site: ScratchSite, name: str) -> None:
    """The machine's own zone or a placeholder would make the site depend on where it is built."""
    root = scratch_site({"site.yml": site_with("timezone: Europe/Paris", f"timezone: {name}")})
    error = only_error(root)
    assert error.field == "timezone" and error.hint is not None and "Europe/Paris" in error.hint


def test_an_unclosed_ipv6_bracket_in_the_url_is_one_error(scratch_site: ScratchSite) -> None:
    """`url: https://[status.example` is reported at its line instead of crashing a renderer."""
    root = scratch_site(
        {"site.yml": site_with("url: https://status.example.com", "url: https://[status.example")}
    )
    error = only_error(root)
    assert (error.source.path, error.source.line, error.field) == ("site.yml", 2, "url")
    assert "is not a URL" in error.message and error.hint is not None


def test_a_symlink_loop_in_incidents_is_one_error(scratch_site: ScratchSite) -> None:
    """A link that leads back to itself is named, with a fix, instead of an OSError."""
    root = scratch_site(OPEN_INCIDENT)
    os.symlink("loop", root / "incidents" / "loop")
    error = only_error(root)
    assert error.source.path == "incidents/loop" and "symbolic link loop" in error.message
    assert error.hint is not None and "remove the link" in error.hint


def test_an_incidents_folder_that_links_to_itself_is_an_error(scratch_site: ScratchSite) -> None:
    """`incidents` as a looping link would otherwise silently publish no incident at all."""
    root = scratch_site({})
    os.symlink("incidents", root / "incidents")
    error = only_error(root)
    assert error.source.path == "incidents" and "symbolic link loop" in error.message


# --- item 10: control characters written as YAML escapes ---------------------------------------


ESCAPED_TITLE = '---\ntitle: "API\\0 errors\\e[31m\\x0c\\uFFFE\\x7f\\r"\nseverity: major\n---\n'


def test_control_characters_written_as_escapes_are_dropped_from_values(
    scratch_site: ScratchSite,
) -> None:
    """`"\\0"`, `"\\e"`, `"\\x0c"`, `"\\uFFFE"` in a quoted value leave no control character."""
    root = scratch_site({**OPEN_INCIDENT, INCIDENT_MD: ESCAPED_TITLE})
    content, _ = load_and_validate(root)
    assert content.incidents[0].title == "API errors[31m"


def test_no_control_character_written_as_an_escape_reaches_any_output(
    scratch_site: ScratchSite, tmp_path: Path
) -> None:
    """No page, feed, calendar or API file holds a NUL, ESC, form feed or U+FFFE."""
    root = scratch_site({**OPEN_INCIDENT, INCIDENT_MD: ESCAPED_TITLE})
    out = tmp_path / "public"
    build(BuildOptions(root, out, NOW))
    written = [path for path in out.rglob("*") if path.is_file()]
    assert any(b"API errors" in path.read_bytes() for path in written)
    for path in written:
        data = path.read_bytes()
        for forbidden in (b"\x00", b"\x1b", b"\x0c", b"\x7f", "\ufffe".encode()):
            assert forbidden not in data, f"{path.relative_to(out)} holds {forbidden!r}"


# --- item 11: YAML 1.2 core rules ----------------------------------------------------------------


@pytest.mark.parametrize("written", ["12:30", "yes", "off", "No"])
def test_plain_values_that_yaml_1_1_turns_into_numbers_or_booleans_stay_text(
    scratch_site: ScratchSite, written: str
) -> None:
    """`title: 12:30` is the text "12:30" (YAML 1.1: 750); `yes` and `off` are text too."""
    root = scratch_site(
        {**OPEN_INCIDENT, INCIDENT_MD: f"---\ntitle: {written}\nseverity: major\n---\n"}
    )
    content, _ = load_and_validate(root)
    assert content.incidents[0].title == written


def test_a_sexagesimal_looking_time_is_reported_as_written(scratch_site: ScratchSite) -> None:
    """`at: 21:56` is refused as '21:56', not as the number 1316."""
    root = scratch_site({**OPEN_INCIDENT, UPDATE_02: update("21:56")})
    error = only_error(root)
    assert (error.source.path, error.source.line, error.field) == (UPDATE_02, 2, "at")
    assert "'21:56' is not a time" in error.message


@pytest.mark.parametrize("written", ["010", "1.10", "2026"])
def test_a_number_where_text_is_expected_is_an_error_not_a_conversion(
    scratch_site: ScratchSite, written: str
) -> None:
    """`- id: 010` is neither 8 (YAML 1.1) nor silently "10": it must be quoted."""
    site = site_with("  - id: dashboard", f"  - id: {written}")
    root = scratch_site({"site.yml": site})
    error = only_error(root)
    assert (error.source.line, error.field) == (8, "components[2].id")
    assert "expected text, got the number" in error.message
    assert error.hint is not None and "quotes" in error.hint


def test_a_quoted_number_is_text_as_written(scratch_site: ScratchSite) -> None:
    """`- id: "010"` keeps its leading zero."""
    site = site_with("  - id: dashboard", '  - id: "010"')
    root = scratch_site({"site.yml": site})
    content, _ = load_and_validate(root)
    assert [c.id for c in content.site.components] == ["api", "010"]


def test_yes_is_not_a_boolean_but_true_is(scratch_site: ScratchSite) -> None:
    """Only `true` and `false` are booleans; `yes` is refused with the fix."""
    refused = scratch_site({"site.yml": MINIMAL_SITE + "uptime:\n  exclude_maintenance: yes\n"})
    error = only_error(refused)
    assert error.field == "uptime.exclude_maintenance" and error.hint == "write true or false"
    accepted = scratch_site({"site.yml": MINIMAL_SITE + "uptime:\n  exclude_maintenance: false\n"})
    content, _ = load_and_validate(accepted)
    assert content.site.uptime.exclude_maintenance is False


def test_an_iso_time_without_quotes_is_still_read(scratch_site: ScratchSite) -> None:
    """Dates and times stay text for the validator, read in the site timezone."""
    root = scratch_site({**OPEN_INCIDENT, UPDATE_02: update("2026-11-20 15:00")})
    content, _ = load_and_validate(root)
    assert content.incidents[0].updates[-1].at.isoformat() == "2026-11-20T15:00:00+01:00"


# --- item 12: local times are never guessed ------------------------------------------------------


def test_a_repeated_local_time_is_refused_with_both_offsets(scratch_site: ScratchSite) -> None:
    """02:30 on 25 Oct 2026 happens twice in Paris; both readings are offered."""
    root = scratch_site({**OPEN_INCIDENT, UPDATE_02: update("2026-10-25T02:30")})
    error = only_error(root)
    assert (error.source.path, error.source.line, error.field) == (UPDATE_02, 2, "at")
    assert "happens twice in Europe/Paris" in error.message
    assert error.hint is not None
    assert "2026-10-25T02:30:00+02:00" in error.hint and "2026-10-25T02:30:00+01:00" in error.hint


def test_a_skipped_local_time_is_refused_with_both_offsets(scratch_site: ScratchSite) -> None:
    """02:30 on 29 Mar 2026 does not exist in Paris; the fix names both offsets."""
    root = scratch_site({**OPEN_INCIDENT, UPDATE_02: update("2026-03-29T02:30")})
    error = only_error(root)
    assert "does not exist in Europe/Paris" in error.message
    assert error.hint is not None
    assert "2026-03-29T02:30:00+01:00" in error.hint and "2026-03-29T02:30:00+02:00" in error.hint


@pytest.mark.parametrize("offset", ["+15:00", "-14:30", "+23:59"])
def test_offsets_beyond_14_hours_are_refused(scratch_site: ScratchSite, offset: str) -> None:
    """No place is more than 14 hours from UTC: such an offset is a typo."""
    root = scratch_site({**OPEN_INCIDENT, UPDATE_02: update(f"2026-11-20T15:00:00{offset}")})
    error = only_error(root)
    assert error.field == "at" and "14 hours" in error.message


# --- item 13: dates after "now" ------------------------------------------------------------------


def test_an_update_a_year_ahead_stops_the_build(scratch_site: ScratchSite, tmp_path: Path) -> None:
    """A `2062` typo is an error for build, not a warning: nothing is written."""
    root = scratch_site({**OPEN_INCIDENT, UPDATE_02: update("2062-11-20T15:00:00+01:00")})
    with pytest.raises(ContentInvalid) as caught:
        build(BuildOptions(root, tmp_path / "public", NOW))
    (error,) = caught.value.errors
    assert (error.source.path, error.field, error.level) == (UPDATE_02, "at", Level.ERROR)
    assert "by more than 24 hours" in error.message
    assert not (tmp_path / "public").exists()


def test_an_incident_starting_a_year_ahead_stops_the_build(
    scratch_site: ScratchSite, tmp_path: Path
) -> None:
    """`started_at` far ahead is the same typo as an update's `at`."""
    main = "---\ntitle: API errors\nseverity: major\nstarted_at: 2027-11-20T13:00:00+01:00\n---\n"
    root = scratch_site(
        {**OPEN_INCIDENT, INCIDENT_MD: main, UPDATE_01: update("2027-11-20T14:02:00+01:00")}
    )
    with pytest.raises(ContentInvalid) as caught:
        build(BuildOptions(root, tmp_path / "public", NOW))
    assert sorted((e.source.path, e.field) for e in caught.value.errors) == [
        (UPDATE_01, "at"),
        (INCIDENT_MD, "started_at"),
    ]


def test_an_update_a_few_hours_ahead_is_only_a_warning(
    scratch_site: ScratchSite, tmp_path: Path
) -> None:
    """Within 24 hours (a wrong offset, a clock ahead) the build still publishes."""
    root = scratch_site({**OPEN_INCIDENT, UPDATE_02: update("2026-11-23T20:00:00+01:00")})
    result = build(BuildOptions(root, tmp_path / "public", NOW))
    assert [(w.source.path, w.level) for w in result.warnings] == [(UPDATE_02, Level.WARNING)]


def test_an_update_dated_before_the_file_before_it_is_a_lint_warning(
    scratch_site: ScratchSite,
) -> None:
    """02.md dated before 01.md is shown first; lint says so."""
    root = scratch_site({**OPEN_INCIDENT, UPDATE_02: update("2026-11-20T13:00:00+01:00")})
    found = [p for p in check(root, "2026-11-23T13:30:00Z", None) if p.source.path == UPDATE_02]
    assert [(p.field, p.level) for p in found] == [("at", Level.WARNING)]
    assert "before the file before it (01.md" in found[0].message


# --- item 15: the site url is parsed -------------------------------------------------------------


@pytest.mark.parametrize(
    "url",
    [
        "https://status.example.com/?a=1#frag",
        "https://status.example.com/#top",
        'https://status.example.com/"onmouseover="x',
        "https://status.example.com/<b>",
        "https:///path",
        "https://status.example.com:99999",
    ],
)
def test_a_site_url_with_query_fragment_quotes_or_no_host_is_refused(
    scratch_site: ScratchSite, url: str
) -> None:
    """What would end up inside every canonical and feed link is refused at its line."""
    root = scratch_site({"site.yml": site_with("url: https://status.example.com", f"url: '{url}'")})
    error = only_error(root)
    assert (error.source.line, error.field) == (2, "url") and error.hint is not None


def test_a_site_url_with_a_path_is_accepted(scratch_site: ScratchSite) -> None:
    """A status page under a path of a host is fine."""
    root = scratch_site(
        {
            "site.yml": site_with(
                "url: https://status.example.com", "url: https://example.com/status/"
            )
        }
    )
    content, _ = load_and_validate(root)
    assert content.site.url == "https://example.com/status"


# --- item 17: reported once, fully ---------------------------------------------------------------


def test_an_unreadable_incident_md_does_not_hide_its_updates_errors(
    scratch_site: ScratchSite,
) -> None:
    """Both the broken incident.md and the update's mistake are reported in one run."""
    broken = "---\ntitle: [API errors\nseverity: major\n---\n"
    root = scratch_site(
        {
            **OPEN_INCIDENT,
            INCIDENT_MD: broken,
            UPDATE_02: update("2026-11-20T15:00:00+01:00").replace("identified", "identifed"),
        }
    )
    errors = errors_of(root)
    assert sorted((e.source.path, e.field) for e in errors) == [
        (UPDATE_02, "status"),
        (INCIDENT_MD, None),
    ]


def test_a_broken_site_yml_adds_no_errors_to_untouched_incidents(scratch_site: ScratchSite) -> None:
    """Times without offset are not blamed for site.yml's YAML mistake."""
    root = scratch_site(
        {
            "site.yml": MINIMAL_SITE + "oops: [\n",
            **OPEN_INCIDENT,
            UPDATE_02: update("2026-11-20T15:00"),
        }
    )
    assert [e.source.path for e in errors_of(root)] == ["site.yml"]


def test_line_numbers_stay_right_after_a_line_separator_character(
    scratch_site: ScratchSite,
) -> None:
    """U+2028 is not a line end: errors below it keep the line editors show."""
    text = "---\n# note\u2028more\nat: 2026-11-20T15:00:00+01:00\nstatus: identified\ncomponents:\n  api: partial_outag\n---\n"
    root = scratch_site({**OPEN_INCIDENT, UPDATE_02: text})
    errors = errors_of(root)
    assert sorted((e.source.line, e.field) for e in errors) == [(6, "components.api"), (8, None)]


def test_ignored_odd_entries_named_like_updates_are_warnings(scratch_site: ScratchSite) -> None:
    """A FIFO, a dangling link and a folder named `*.md` are each named, not silently skipped."""
    root = scratch_site(OPEN_INCIDENT)
    folder = root / INCIDENT
    os.mkfifo(folder / "02.md")
    os.symlink("nowhere.md", folder / "03.md")
    (folder / "04.md").mkdir()
    raw = load_content(root)
    found = sorted((e.source.path, e.level, e.message) for e in raw.errors)
    assert found == [
        (
            f"{INCIDENT}/02.md",
            Level.WARNING,
            "ignored: not a regular file (a pipe, socket or device)",
        ),
        (f"{INCIDENT}/03.md", Level.WARNING, "ignored: symbolic link to nothing"),
        (f"{INCIDENT}/04.md", Level.WARNING, "ignored: a folder named like a Markdown file"),
    ]
    load_and_validate(root)  # warnings only: the site still builds


def test_a_dangling_link_in_incidents_is_a_warning(scratch_site: ScratchSite) -> None:
    """A link to a removed incident folder is named."""
    root = scratch_site(OPEN_INCIDENT)
    os.symlink("gone", root / "incidents" / "2026-11-01-gone")
    _, warnings = load_and_validate(root)
    assert [(w.source.path, w.level) for w in warnings] == [
        ("incidents/2026-11-01-gone", Level.WARNING)
    ]


def test_maintenance_md_in_an_incident_folder_says_wrong_folder(scratch_site: ScratchSite) -> None:
    """One error naming the wrong folder, not a list of an update's unknown fields."""
    maintenance = "---\ntitle: Upgrade\nscheduled_for: 2026-12-01T02:00:00+01:00\nscheduled_until: 2026-12-01T04:00:00+01:00\ncomponents: [api]\n---\n"
    root = scratch_site({"incidents/2026-12-01-upgrade/maintenance.md": maintenance})
    error = only_error(root)
    assert error.source.path == "incidents/2026-12-01-upgrade/maintenance.md"
    assert "wrong folder" in error.message
    assert error.hint is not None and "maintenance/2026-12-01-upgrade/" in error.hint
