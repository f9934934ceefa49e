"""A window whose work was said to be under way ends by the clock at `scheduled_until`, as
Statuspage completes it, unless a later update says otherwise; the build says so while it
is news."""

from __future__ import annotations

from datetime import UTC, datetime

from conftest import ScratchSite
from statusgen.build import load
from statusgen.derive.clock import clock_events
from statusgen.derive.events import site_events
from statusgen.model import ComponentStatus, MaintenanceStatus

WINDOW = """\
    ---
    title: Database upgrade
    scheduled_for: 2026-12-01T02:00:00+01:00
    scheduled_until: 2026-12-01T04:00:00+01:00
    components: [api]
    ---
    The API is read-only during the upgrade.
    """
STARTED = """\
    ---
    at: 2026-12-01T02:05:00+01:00
    status: in_progress
    ---
    The upgrade has started.
    """
OVERRUN = """\
    ---
    at: 2026-12-01T04:10:00+01:00
    status: in_progress
    ---
    The upgrade takes longer than planned; the API stays read-only.
    """
SLUG = "2026-12-01-db"


def at(text: str) -> datetime:
    return datetime.fromisoformat(text).astimezone(UTC)


def test_work_under_way_is_completed_by_the_clock_at_the_end(scratch_site: ScratchSite) -> None:
    content = scratch_site(
        {f"maintenance/{SLUG}/maintenance.md": WINDOW, f"maintenance/{SLUG}/01.md": STARTED}
    )
    during = load(content, at("2026-12-01T03:00:00+01:00"))
    assert during.facts.maintenances[0].status is MaintenanceStatus.IN_PROGRESS
    assert during.facts.state("api").status is ComponentStatus.UNDER_MAINTENANCE
    ends = [
        e
        for e in clock_events(during.content, during.facts.now, at("2026-12-02T00:00:00Z"))
        if e.ref == SLUG
    ]
    assert [(e.reason, e.at) for e in ends] == [
        ("maintenance-end", at("2026-12-01T04:00:00+01:00"))
    ]

    after = load(content, at("2026-12-01T05:00:00+01:00"))
    window = after.facts.maintenances[0]
    assert window.status is MaintenanceStatus.COMPLETED
    assert window.completed_at == at("2026-12-01T04:00:00+01:00")
    assert after.facts.state("api").status is ComponentStatus.OPERATIONAL
    events = site_events(after.facts.incidents, after.facts.maintenances, after.facts.now)
    assert [(e.id, e.type) for e in events][-3:] == [
        (f"maintenance/{SLUG}/started", "maintenance.started"),  # the clock, at 02:00
        (f"maintenance/{SLUG}/01", "maintenance.updated"),
        (f"maintenance/{SLUG}/completed", "maintenance.completed"),
    ]
    # The build says so while it is news: a week, not for ever (lint names every one).
    assert [w.field for w in after.warnings] == ["scheduled_until"]
    assert load(content, at("2026-12-09T05:00:00+01:00")).warnings == ()


def test_an_update_after_the_end_saying_it_is_still_under_way_keeps_it_open(
    scratch_site: ScratchSite,
) -> None:
    content = scratch_site(
        {
            f"maintenance/{SLUG}/maintenance.md": WINDOW,
            f"maintenance/{SLUG}/01.md": STARTED,
            f"maintenance/{SLUG}/02.md": OVERRUN,
        }
    )
    later = load(content, at("2026-12-01T06:00:00+01:00"))
    assert later.facts.maintenances[0].status is MaintenanceStatus.IN_PROGRESS
    assert later.facts.state("api").status is ComponentStatus.UNDER_MAINTENANCE
