"""Maintenance calendars, read back by icalendar and by vobject (an independent parser): one
event per window, stable UIDs, a SEQUENCE that grows with updates, UTC times, valid whatever
the text."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import icalendar
import pytest
import vobject
from hostile import HOSTILE_CONTENT, HOSTILE_NOW
from netlify_headers import headers_for

from conftest import DEMO_NOW, EXAMPLE_CONTENT, ScratchSite
from statusgen.build import BuildOptions, build

HOST = "status.nimbus.example"
MYSQL = "2026-11-10-mysql-8-4-minor-upgrade"
POSTGRES = "2026-11-26-postgresql-17-upgrade"
CDN = "2026-12-03-cdn-edge-certificate-rotation"


@pytest.fixture(scope="module")
def example_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("ical") / "public"
    build(BuildOptions(EXAMPLE_CONTENT, out, DEMO_NOW))
    return out


def events(path: Path) -> dict[str, icalendar.Component]:
    calendar = icalendar.Calendar.from_ical(path.read_bytes())
    return {str(e["uid"]).split("@")[0]: e for e in calendar.walk("VEVENT")}


def utc(year: int, month: int, day: int, hour: int, minute: int) -> datetime:
    return datetime(year, month, day, hour, minute, tzinfo=UTC)


def test_site_calendar_has_one_event_per_maintenance_with_a_stable_uid(example_site: Path) -> None:
    """UID is <slug>@<site host>: calendar apps update the event instead of adding a copy."""
    calendar = icalendar.Calendar.from_ical((example_site / "maintenance.ics").read_bytes())
    uids = sorted(str(e["uid"]) for e in calendar.walk("VEVENT"))
    assert uids == sorted(f"{slug}@{HOST}" for slug in (MYSQL, POSTGRES, CDN))


def test_calendar_names_itself_and_its_producer(example_site: Path) -> None:
    """VERSION 2.0, a PRODID, and X-WR-CALNAME for the name calendar apps show."""
    calendar = icalendar.Calendar.from_ical((example_site / "maintenance.ics").read_bytes())
    assert str(calendar["version"]) == "2.0"
    assert "statusgen" in str(calendar["prodid"])
    assert str(calendar["x-wr-calname"]) == "Maintenance · Nimbus Cloud"


def test_events_give_the_window_in_utc_with_summary_and_url(example_site: Path) -> None:
    """DTSTART and DTEND are the scheduled window, in UTC, whatever the site timezone."""
    postgres = events(example_site / "maintenance.ics")[POSTGRES]
    assert postgres.decoded("dtstart") == utc(2026, 11, 26, 1, 0)
    assert postgres.decoded("dtend") == utc(2026, 11, 26, 3, 0)
    assert (
        postgres.decoded("dtstart").tzinfo is not None
        and postgres.decoded("dtstart").utcoffset().total_seconds() == 0
    )
    assert str(postgres["summary"]) == "PostgreSQL 17 upgrade"
    assert str(postgres["url"]) == f"https://{HOST}/maintenance/{POSTGRES}/"
    assert str(postgres["status"]) == "CONFIRMED"


def test_sequence_counts_updates_and_dtstamp_is_the_last_change(example_site: Path) -> None:
    """SEQUENCE grows with each update, DTSTAMP is the maintenance's last change, never the clock."""
    found = events(example_site / "maintenance.ics")
    assert [found[slug].decoded("sequence") for slug in (MYSQL, POSTGRES, CDN)] == [2, 1, 0]
    assert found[MYSQL].decoded("dtstamp") == utc(2026, 11, 10, 2, 5)  # the `completed` update
    assert found[POSTGRES].decoded("dtstamp") == utc(2026, 11, 19, 9, 0)  # the announcement update


def test_description_is_plain_text_of_the_plan_and_the_affected_components(
    example_site: Path,
) -> None:
    """No Markdown or HTML in a calendar: the text, a link's address, then what is affected."""
    description = str(events(example_site / "maintenance.ics")[POSTGRES]["description"])
    assert "read-only for up to 30 seconds" in description
    assert "**" not in description and "<p>" not in description and "<strong>" not in description
    assert "- Test your app against PostgreSQL 17" in description
    assert "(https://nimbus.example/docs/databases/postgresql/upgrade-17)" in description
    assert "Affected: PostgreSQL (Under maintenance)" in description


def test_component_calendars_hold_only_that_components_windows(example_site: Path) -> None:
    """/components/<id>/maintenance.ics; a component without maintenance gets a valid empty calendar."""
    assert set(events(example_site / "components" / "db-postgresql" / "maintenance.ics")) == {
        POSTGRES
    }
    assert set(events(example_site / "components" / "cdn" / "maintenance.ics")) == {CDN}
    empty = icalendar.Calendar.from_ical(
        (example_site / "components" / "api" / "maintenance.ics").read_bytes()
    )
    assert empty.walk("VEVENT") == []
    assert str(empty["x-wr-calname"]) == "Public API maintenance · Nimbus Cloud"


def test_vobject_reads_the_same_events(example_site: Path) -> None:
    """A second, independent parser agrees on UIDs, times, sequence and summary."""
    for path in [
        example_site / "maintenance.ics",
        *sorted((example_site / "components").glob("*/maintenance.ics")),
    ]:
        parsed = vobject.readOne(path.read_text(encoding="utf-8"))
        assert parsed.name == "VCALENDAR"
        expected = events(path)
        seen = {}
        for vevent in parsed.contents.get("vevent", []):
            slug = vevent.uid.value.split("@")[0]
            seen[slug] = vevent
            assert vevent.dtstart.value == expected[slug].decoded("dtstart")
            assert vevent.dtend.value == expected[slug].decoded("dtend")
            assert int(vevent.sequence.value) == expected[slug].decoded("sequence")
            assert vevent.summary.value == str(expected[slug]["summary"])
        assert set(seen) == set(expected)


def test_lines_are_crlf_and_folded_at_75_octets(example_site: Path) -> None:
    """RFC 5545 §3.1: strict clients (Outlook) reject longer lines."""
    data = (example_site / "maintenance.ics").read_bytes()
    assert data.endswith(b"\r\n") and b"\n" not in data.replace(b"\r\n", b"")
    assert all(len(line) <= 75 for line in data.split(b"\r\n"))


def test_posting_an_update_raises_sequence_and_keeps_the_uid(
    scratch_site: ScratchSite, tmp_path: Path
) -> None:
    """Subscribers' calendars replace the event when the maintenance is updated."""
    files: dict[str, str | bytes] = {
        "maintenance/2026-12-01-db/maintenance.md": """\
            ---
            title: Database upgrade
            scheduled_for: 2026-12-01T02:00:00+01:00
            scheduled_until: 2026-12-01T04:00:00+01:00
            components: [api]
            ---
            Upgrade.
            """
    }
    before = tmp_path / "before"
    build(BuildOptions(scratch_site(files), before, DEMO_NOW))
    files["maintenance/2026-12-01-db/01.md"] = """\
        ---
        at: 2026-11-23T10:00:00+01:00
        status: scheduled
        ---
        Confirmed: the window stays as planned.
        """
    after = tmp_path / "after"
    build(BuildOptions(scratch_site(files), after, DEMO_NOW))
    old, new = (
        events(before / "maintenance.ics")["2026-12-01-db"],
        events(after / "maintenance.ics")["2026-12-01-db"],
    )
    assert str(old["uid"]) == str(new["uid"]) == "2026-12-01-db@status.example.com"
    assert (old.decoded("sequence"), new.decoded("sequence")) == (0, 1)
    assert new.decoded("dtstamp") == utc(2026, 11, 23, 9, 0)


def test_hostile_text_keeps_calendars_valid(scratch_site: ScratchSite, tmp_path: Path) -> None:
    """Markup, `]]>`, `&`, emoji, right-to-left text and control characters: both parsers still read
    every calendar, and no control character or forged line gets through."""
    out = tmp_path / "public"
    build(BuildOptions(scratch_site(HOSTILE_CONTENT), out, HOSTILE_NOW))
    for path in (out / "maintenance.ics", out / "components" / "api" / "maintenance.ics"):
        found = events(path)
        assert list(found) == ["2026-11-30-hostile"]
        event = found["2026-11-30-hostile"]
        assert str(event["summary"]) == "Window <script>alert('m')</script> ]]> &  🛠 نافذة"
        assert event.decoded("sequence") == 1
        parsed = vobject.readOne(path.read_text(encoding="utf-8"))
        assert parsed.vevent.summary.value == str(event["summary"])
        assert parsed.vevent.description.value == str(event["description"])
        assert (
            "Body ]]> & 🚀 مرحبا שלום ; a,b\\c" in parsed.vevent.description.value
        )  # , ; \\ escaped and back
        text = path.read_text(encoding="utf-8")
        assert not any(ord(c) < 32 and c not in "\r\n" for c in text)
        assert text.count("BEGIN:VEVENT") == 1
    calendar = icalendar.Calendar.from_ical((out / "maintenance.ics").read_bytes())
    assert str(calendar["x-wr-calname"]).startswith("Maintenance · Acme <script>")


def test_netlify_serves_calendars_as_text_calendar_with_a_short_cache() -> None:
    """Calendar apps need text/calendar; a one-minute cache lets a moved window show quickly."""
    for path in ("/maintenance.ics", "/components/db-postgresql/maintenance.ics"):
        headers = headers_for(path)
        assert headers["Content-Type"] == "text/calendar; charset=utf-8"
        assert headers["Cache-Control"] == "public, max-age=60"
