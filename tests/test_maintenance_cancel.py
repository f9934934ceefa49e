"""Announcing, rescheduling and cancelling maintenance through the real CLI, read back by the
consumers that matter: icalendar (calendar apps), feedparser (feed readers), the API JSON."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from pathlib import Path

import feedparser
import icalendar
import pytest
import yaml
from click.testing import CliRunner, Result

from conftest import MINIMAL_SITE, ScratchSite
from statusgen.build import BuildOptions, build, load_and_validate
from statusgen.cli.main import main
from statusgen.cli.publish import write_and_check
from statusgen.derive import derive
from statusgen.errors import ContentInvalid

NEW = "2026-11-23T13:30:00Z"  # 14:30 in Paris, a week before the window
SLUG = "2026-12-01-database-upgrade"
UID = f"{SLUG}@status.example.com"


def run(*args: str) -> Result:
    return CliRunner().invoke(main, list(args))


@pytest.fixture
def site(scratch_site: ScratchSite, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A scratch site with one maintenance announced at NEW for 1 December, 02:00–04:00."""
    content = scratch_site({"site.yml": MINIMAL_SITE})
    monkeypatch.chdir(content.parent)
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
        "--now",
        NEW,
        "--yes",
    )
    assert result.exit_code == 0, result.output
    return content / "maintenance" / SLUG


def frontmatter(path: Path) -> dict[str, object]:
    return yaml.safe_load(path.read_text(encoding="utf-8").split("---\n")[1])  # type: ignore[no-any-return]


def built(folder: Path, now: str) -> Path:
    out = folder.parents[2] / "public"
    build(BuildOptions(folder.parents[1], out, datetime.fromisoformat(now)))
    return out


def vevent(out: Path) -> icalendar.Event:
    calendar = icalendar.Calendar.from_ical((out / "maintenance.ics").read_bytes())
    (event,) = [e for e in calendar.walk("VEVENT") if str(e["uid"]) == UID]
    return event


def maintenance_json(out: Path) -> dict[str, object]:
    document = json.loads(
        (out / "api" / "v2" / "scheduled-maintenances.json").read_text(encoding="utf-8")
    )
    (found,) = [m for m in document["scheduled_maintenances"] if m["id"] == SLUG]
    return found  # type: ignore[no-any-return]


# ---- announcing ----------------------------------------------------------------------------


def test_new_writes_when_the_maintenance_was_announced(site: Path) -> None:
    """`announced_at` is "now", in site time; the window stays as given."""
    meta = frontmatter(site / "maintenance.md")
    assert meta["announced_at"] == datetime(2026, 11, 23, 13, 30, tzinfo=UTC)
    assert "announced_at: 2026-11-23T14:30:00+01:00" in (site / "maintenance.md").read_text()


def test_feed_entries_are_dated_at_the_announcement_not_at_the_window(site: Path) -> None:
    """RSS and Atom date next week's work today, when it was announced."""
    out = built(site, "2026-11-24T09:00:00+00:00")
    for name in ("rss.xml", "atom.xml"):
        (entry,) = feedparser.parse((out / name).read_bytes()).entries
        assert entry.published_parsed[:5] == (2026, 11, 23, 13, 30), name


def test_a_window_entirely_in_the_past_is_refused_unless_yes(
    scratch_site: ScratchSite, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A past window is usually a typo in the date; --yes records past work (not announced now)."""
    content = scratch_site({"site.yml": MINIMAL_SITE})
    monkeypatch.chdir(content.parent)
    args = (
        "maintenance",
        "new",
        "Old work",
        "--start",
        "2026-11-01T02:00",
        "--end",
        "2026-11-01T04:00",
        "--component",
        "api",
        "--now",
        NEW,
    )
    refused = run(*args)
    assert refused.exit_code == 2 and "before now" in refused.output and "--yes" in refused.output
    assert not (content / "maintenance").exists()
    accepted = run(*args, "--yes")
    assert accepted.exit_code == 0, accepted.output
    assert "announced_at" not in frontmatter(
        content / "maintenance" / "2026-11-01-old-work" / "maintenance.md"
    )


# ---- cancelling ----------------------------------------------------------------------------


def test_cancel_writes_a_cancelled_update(site: Path) -> None:
    """`maintenance cancel` adds an update with status cancelled and the message; nothing else changes."""
    before = (site / "maintenance.md").read_bytes()
    result = run(
        "maintenance",
        "cancel",
        "database",
        "--message",
        "Postponed: the vendor withdrew the release.",
        "--now",
        "2026-11-25T10:00:00Z",
        "--yes",
    )
    assert result.exit_code == 0, result.output
    assert (site / "maintenance.md").read_bytes() == before
    update = site / "01-cancelled.md"
    assert frontmatter(update) == {
        "at": datetime(2026, 11, 25, 10, tzinfo=UTC),
        "status": "cancelled",
    }
    assert update.read_text().endswith("---\nPostponed: the vendor withdrew the release.\n")


def test_a_cancelled_maintenance_stays_on_its_page_and_in_history_as_cancelled(site: Path) -> None:
    """After its window, the page says Cancelled (never Completed or In progress), the component
    was never under maintenance, and the day's uptime counts no maintenance."""
    assert (
        run("maintenance", "cancel", "database", "--now", "2026-11-25T10:00:00Z", "--yes").exit_code
        == 0
    )
    out = built(site, "2026-12-01T02:30:00+00:00")  # inside the window it would have had
    page = (out / "maintenance" / SLUG / "index.html").read_text()
    assert '<span class="phase phase-cancelled">Cancelled</span>' in page
    assert "this window did not take place" in page
    assert "phase-in_progress" not in page and "phase-completed" not in page
    assert "Database upgrade" in (out / "history" / "index.html").read_text()
    assert "Maintenance in progress" not in (out / "index.html").read_text()
    components = json.loads((out / "api" / "v2" / "components.json").read_text())["components"]
    assert {c["id"]: c["status"] for c in components}["api"] == "operational"
    content, _ = load_and_validate(site.parents[1])
    uptime = derive(content, datetime(2026, 12, 1, 4, 30, tzinfo=UTC)).uptime_of("api")
    assert uptime.days[-1].maintenances == () and uptime.days[-1].maintenance_seconds == 0.0


def test_the_calendar_event_is_cancelled_with_a_raised_sequence(site: Path) -> None:
    """icalendar reads STATUS:CANCELLED, a SEQUENCE above the announced event's, the same UID."""
    announced = vevent(built(site, "2026-11-24T09:00:00+00:00"))
    assert str(announced["status"]) == "CONFIRMED"
    assert (
        run("maintenance", "cancel", "database", "--now", "2026-11-25T10:00:00Z", "--yes").exit_code
        == 0
    )
    out = built(site, "2026-11-26T09:00:00+00:00")
    cancelled = vevent(out)
    assert str(cancelled["status"]) == "CANCELLED"
    assert int(cancelled["sequence"]) > int(announced["sequence"])
    assert cancelled.decoded("dtstamp") == datetime(2026, 11, 25, 10, tzinfo=UTC)
    again = built(site, "2026-11-27T09:00:00+00:00")
    assert (again / "maintenance.ics").read_bytes() == (out / "maintenance.ics").read_bytes()


def test_the_feed_entry_is_updated_at_the_cancellation(site: Path) -> None:
    """feedparser sees the same entry (same id), titled Cancelled, updated when it was called off."""
    assert (
        run("maintenance", "cancel", "database", "--now", "2026-11-25T10:00:00Z", "--yes").exit_code
        == 0
    )
    out = built(site, "2026-11-26T09:00:00+00:00")
    (entry,) = feedparser.parse((out / "atom.xml").read_bytes()).entries
    assert entry.id == f"https://status.example.com/maintenance/{SLUG}/"
    assert entry.title == "[Cancelled] Database upgrade"
    assert entry.updated_parsed[:5] == (2026, 11, 25, 10, 0)
    assert entry.published_parsed[:5] == (2026, 11, 23, 13, 30)


def test_the_api_shows_completed_as_statuspage_would(site: Path) -> None:
    """API v2 has no cancelled maintenance: `completed`, resolved at the cancellation, not upcoming."""
    assert (
        run(
            "maintenance",
            "cancel",
            "database",
            "--message",
            "Called off.",
            "--now",
            "2026-11-25T10:00:00Z",
            "--yes",
        ).exit_code
        == 0
    )
    out = built(site, "2026-11-26T09:00:00+00:00")
    found = maintenance_json(out)
    assert found["status"] == "completed"
    assert found["resolved_at"] == "2026-11-25T11:00:00.000+01:00"
    assert [u["status"] for u in found["incident_updates"]] == ["completed", "scheduled"]  # type: ignore[attr-defined]
    assert found["incident_updates"][0]["body"] == "Called off."  # type: ignore[index]
    upcoming = json.loads(
        (out / "api" / "v2" / "scheduled-maintenances" / "upcoming.json").read_text()
    )
    assert upcoming["scheduled_maintenances"] == []


def test_nothing_can_be_posted_after_a_cancellation(site: Path) -> None:
    """A cancelled maintenance takes no update, no second cancel and no new window."""
    assert (
        run("maintenance", "cancel", "database", "--now", "2026-11-25T10:00:00Z", "--yes").exit_code
        == 0
    )
    for args in (
        ("update", "database", "--status", "in_progress"),
        ("cancel", "database"),
        ("reschedule", "database", "--start", "2026-12-08T02:00", "--end", "2026-12-08T04:00"),
    ):
        result = run("maintenance", *args, "--now", "2026-11-26T10:00:00Z", "--yes")
        assert result.exit_code == 2 and "was cancelled at" in result.output, result.output


def test_work_that_began_cannot_be_cancelled(site: Path) -> None:
    """Once in progress, the end is `completed` (saying what was done), never cancelled."""
    assert (
        run(
            "maintenance",
            "update",
            "database",
            "--status",
            "in_progress",
            "--now",
            "2026-12-01T01:00:00Z",
            "--yes",
        ).exit_code
        == 0
    )
    result = run("maintenance", "cancel", "database", "--now", "2026-12-01T01:10:00Z", "--yes")
    assert (
        result.exit_code == 2
        and "cannot be cancelled" in result.output
        and "--status completed" in result.output
    )
    assert sorted(p.name for p in site.iterdir()) == ["01-in-progress.md", "maintenance.md"]


def test_update_status_cancelled_points_to_the_cancel_command(site: Path) -> None:
    """`update --status cancelled` is refused with the command that does it."""
    result = run(
        "maintenance",
        "update",
        "database",
        "--status",
        "cancelled",
        "--now",
        "2026-11-25T10:00:00Z",
        "--yes",
    )
    assert result.exit_code == 2 and "statusgen maintenance cancel" in result.output


# ---- rescheduling --------------------------------------------------------------------------


def test_reschedule_rewrites_only_the_window_and_says_from_when_to_when(site: Path) -> None:
    """maintenance.md keeps every other byte (comments too); an update says from → to."""
    main_md = site / "maintenance.md"
    original = main_md.read_text().replace(
        "components: [api]", "components: [api]   # the primary only"
    )
    main_md.write_text(original)
    result = run(
        "maintenance",
        "reschedule",
        "database",
        "--start",
        "2026-12-08T02:00",
        "--end",
        "2026-12-08T05:00",
        "--message",
        "A release freeze.",
        "--now",
        "2026-11-24T10:00:00Z",
        "--yes",
    )
    assert result.exit_code == 0, result.output
    expected = original.replace(
        "scheduled_for: 2026-12-01T02:00:00+01:00", "scheduled_for: 2026-12-08T02:00:00+01:00"
    ).replace(
        "scheduled_until: 2026-12-01T04:00:00+01:00", "scheduled_until: 2026-12-08T05:00:00+01:00"
    )
    assert main_md.read_text() == expected != original
    update = site / "01-rescheduled.md"
    assert frontmatter(update)["status"] == "scheduled"
    assert (
        "Rescheduled from 2026-12-01 02:00–04:00 CET to 2026-12-08 02:00–05:00 CET."
        in update.read_text()
    )
    assert update.read_text().endswith("A release freeze.\n")


def test_a_rescheduled_event_moves_with_a_raised_sequence(site: Path) -> None:
    """Same UID, new DTSTART/DTEND, higher SEQUENCE; the feed entry is updated at the reschedule."""
    before = vevent(built(site, "2026-11-24T09:00:00+00:00"))
    assert (
        run(
            "maintenance",
            "reschedule",
            "database",
            "--start",
            "2026-12-08T02:00",
            "--end",
            "2026-12-08T05:00",
            "--now",
            "2026-11-24T10:00:00Z",
            "--yes",
        ).exit_code
        == 0
    )
    out = built(site, "2026-11-25T09:00:00+00:00")
    after = vevent(out)
    assert after.decoded("dtstart") == datetime(2026, 12, 8, 1, tzinfo=UTC)
    assert after.decoded("dtend") == datetime(2026, 12, 8, 4, tzinfo=UTC)
    assert int(after["sequence"]) > int(before["sequence"]) and str(after["status"]) == "CONFIRMED"
    (entry,) = feedparser.parse((out / "atom.xml").read_bytes()).entries
    assert entry.updated_parsed[:5] == (2026, 11, 24, 10, 0)
    assert maintenance_json(out)["scheduled_for"] == "2026-12-08T02:00:00.000+01:00"


def test_reschedule_refuses_a_past_window_and_an_unchanged_one(site: Path) -> None:
    """Nothing is written for a window already over (without --yes) or the same window."""
    before = (site / "maintenance.md").read_bytes()
    past = run(
        "maintenance",
        "reschedule",
        "database",
        "--start",
        "2026-11-01T02:00",
        "--end",
        "2026-11-01T04:00",
        "--now",
        NEW,
    )
    assert past.exit_code == 2 and "before now" in past.output
    same = run(
        "maintenance",
        "reschedule",
        "database",
        "--start",
        "2026-12-01T02:00",
        "--end",
        "2026-12-01T04:00",
        "--now",
        NEW,
        "--yes",
    )
    assert same.exit_code == 2 and "already scheduled" in same.output
    assert (site / "maintenance.md").read_bytes() == before and sorted(
        p.name for p in site.iterdir()
    ) == ["maintenance.md"]


def test_a_changed_file_that_makes_the_site_invalid_is_put_back_byte_for_byte(site: Path) -> None:
    """The writer re-validates after changing maintenance.md and restores it on failure."""
    main_md = site / "maintenance.md"
    before = main_md.read_text()
    broken = before.replace(
        "scheduled_until: 2026-12-01T04:00:00+01:00", "scheduled_until: 2026-11-01T04:00:00+01:00"
    )
    with pytest.raises(SystemExit) as exit_info:
        write_and_check(
            site.parents[1],
            [
                (
                    site / "01-rescheduled.md",
                    "---\nat: 2026-11-24T10:00:00+01:00\nstatus: scheduled\n---\nMoved.\n",
                )
            ],
            [(main_md, before, broken)],
        )
    assert exit_info.value.code == 1
    assert main_md.read_text() == before and sorted(p.name for p in site.iterdir()) == [
        "maintenance.md"
    ]


def test_a_window_not_written_on_one_line_is_left_to_a_person(site: Path) -> None:
    """YAML the command did not write (a value on its own line) is not guessed at: usage error."""
    main_md = site / "maintenance.md"
    main_md.write_text(main_md.read_text().replace("scheduled_for: 2026", "scheduled_for:\n  2026"))
    before = main_md.read_bytes()
    result = run(
        "maintenance",
        "reschedule",
        "database",
        "--start",
        "2026-12-08T02:00",
        "--end",
        "2026-12-08T04:00",
        "--now",
        NEW,
        "--yes",
    )
    assert (
        result.exit_code == 2
        and "not written on one line" in result.output
        and "by hand" in result.output
    )
    assert main_md.read_bytes() == before


# ---- hand-written content --------------------------------------------------------------------


def _errors(
    scratch_site: ScratchSite, updates: dict[str, str]
) -> list[tuple[str, int | None, str | None, str]]:
    window = """\
        ---
        title: Upgrade
        scheduled_for: 2026-12-01T02:00:00+01:00
        scheduled_until: 2026-12-01T04:00:00+01:00
        components: [api]
        ---
        """
    files = {"maintenance/2026-12-01-upgrade/maintenance.md": window}
    files.update({f"maintenance/2026-12-01-upgrade/{name}": text for name, text in updates.items()})
    with pytest.raises(ContentInvalid) as invalid:
        load_and_validate(scratch_site(files))
    return [(e.source.path, e.source.line, e.field, e.message) for e in invalid.value.errors]


def test_an_update_after_a_cancellation_is_an_error_naming_its_at(
    scratch_site: ScratchSite,
) -> None:
    """As after `completed`: the file, the line of `at`, and when it was cancelled."""
    errors = _errors(
        scratch_site,
        {
            "01.md": "---\nat: 2026-11-25T10:00:00+01:00\nstatus: cancelled\n---\nCalled off.\n",
            "02.md": "---\nat: 2026-12-01T02:00:00+01:00\nstatus: in_progress\n---\nStarted anyway.\n",
        },
    )
    assert (
        "maintenance/2026-12-01-upgrade/02.md",
        2,
        "at",
        "update at 2026-12-01T02:00:00+01:00 comes after the maintenance was cancelled at 2026-11-25T10:00:00+01:00",
    ) in errors


def test_cancelling_work_that_began_is_an_error_naming_its_status(
    scratch_site: ScratchSite,
) -> None:
    """A cancelled update after an in_progress one points at its `status` line."""
    errors = _errors(
        scratch_site,
        {
            "01.md": "---\nat: 2026-12-01T02:00:00+01:00\nstatus: in_progress\n---\nStarted.\n",
            "02.md": "---\nat: 2026-12-01T02:30:00+01:00\nstatus: cancelled\n---\nRolled back.\n",
        },
    )
    assert errors == [
        (
            "maintenance/2026-12-01-upgrade/02.md",
            3,
            "status",
            "the maintenance cannot be cancelled: its work began at 2026-12-01T02:00:00+01:00",
        )
    ]
