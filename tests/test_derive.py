"""Facts derived at "now": component status, the page indicator, phases, maintenance state."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from conftest import DEMO_NOW, MINIMAL_SITE, OPEN_INCIDENT, ScratchSite
from statusgen.build import load_and_validate
from statusgen.derive import derive
from statusgen.derive.maintenance import clock_status
from statusgen.derive.status import Indicator, overall
from statusgen.model import ComponentStatus, IncidentStatus, MaintenanceStatus

FIXTURES = Path(__file__).resolve().parent / "fixtures" / "statuspage"


def facts_for(scratch_site: ScratchSite, files: dict[str, str], now: datetime = DEMO_NOW):  # type: ignore[no-untyped-def]
    content, _ = load_and_validate(scratch_site(files))
    return derive(content, now)


RESOLVE = {
    "incidents/2026-11-20-api-errors/02.md": """\
        ---
        at: 2026-11-20T15:00:00+01:00
        status: resolved
        ---
        Fixed.
        """,
}


def test_an_ongoing_incident_sets_its_components_status(scratch_site: ScratchSite) -> None:
    """While an incident is open, its components show the status its latest update gave them."""
    facts = facts_for(scratch_site, OPEN_INCIDENT)
    assert facts.state("api").status is ComponentStatus.PARTIAL_OUTAGE
    assert facts.state("dashboard").status is ComponentStatus.OPERATIONAL
    assert facts.overall.indicator is Indicator.MINOR


def test_resolved_update_returns_components_to_operational(scratch_site: ScratchSite) -> None:
    """Resolving an incident ends its effect on every component it touched."""
    facts = facts_for(scratch_site, {**OPEN_INCIDENT, **RESOLVE})
    assert facts.state("api").status is ComponentStatus.OPERATIONAL
    incident = facts.incident("2026-11-20-api-errors")
    assert incident.phase is IncidentStatus.RESOLVED
    assert incident.duration == timedelta(minutes=58)
    assert incident.impacts[0].worst is ComponentStatus.PARTIAL_OUTAGE


def test_the_worst_status_over_overlapping_incidents_wins(scratch_site: ScratchSite) -> None:
    """Two open incidents on one component: the component shows the worse of the two."""
    second = {
        "incidents/2026-11-21-api-down/incident.md": "---\ntitle: API down\nseverity: critical\n---\n",
        "incidents/2026-11-21-api-down/01.md": "---\nat: 2026-11-21T10:00:00Z\nstatus: investigating\ncomponents:\n  api: major_outage\n---\nDown.\n",
    }
    facts = facts_for(scratch_site, {**OPEN_INCIDENT, **second})
    assert facts.state("api").status is ComponentStatus.MAJOR_OUTAGE
    assert facts.state("api").incidents == ("2026-11-21-api-down", "2026-11-20-api-errors")
    assert facts.overall.indicator is Indicator.MAJOR


def test_a_postmortem_moves_a_resolved_incident_to_the_postmortem_phase(
    scratch_site: ScratchSite,
) -> None:
    """Publishing a review is the last step of the incident lifecycle."""
    review = {
        "incidents/2026-11-20-api-errors/postmortem.md": "---\npublished: 2026-11-22T10:00:00+01:00\n---\n## Summary\nA bad deploy.\n"
    }
    facts = facts_for(scratch_site, {**OPEN_INCIDENT, **RESOLVE, **review})
    assert facts.incident("2026-11-20-api-errors").phase is IncidentStatus.POSTMORTEM


def test_next_update_falls_back_to_the_site_cadence(scratch_site: ScratchSite) -> None:
    """Without an explicit next_update, the promise is the last update plus the cadence."""
    files = {**OPEN_INCIDENT, "site.yml": MINIMAL_SITE + "update_cadence:\n  major: 30m\n"}
    facts = facts_for(scratch_site, files)
    assert facts.incident("2026-11-20-api-errors").next_update_due == datetime(
        2026, 11, 20, 13, 32, tzinfo=UTC
    )


MAINTENANCE = {
    "maintenance/2026-12-01-db-upgrade/maintenance.md": """\
        ---
        title: Database upgrade
        scheduled_for: 2026-12-01T02:00:00+01:00
        scheduled_until: 2026-12-01T04:00:00+01:00
        components: [api]
        ---
        We upgrade the database.
        """,
}


@pytest.mark.parametrize(
    ("now", "expected"),
    [
        (datetime(2026, 12, 1, 0, 59, tzinfo=UTC), MaintenanceStatus.SCHEDULED),
        (datetime(2026, 12, 1, 1, 0, tzinfo=UTC), MaintenanceStatus.IN_PROGRESS),
        (datetime(2026, 12, 1, 2, 59, tzinfo=UTC), MaintenanceStatus.IN_PROGRESS),
        (datetime(2026, 12, 1, 3, 0, tzinfo=UTC), MaintenanceStatus.COMPLETED),
    ],
)
def test_maintenance_without_updates_follows_the_clock(
    scratch_site: ScratchSite, now: datetime, expected: MaintenanceStatus
) -> None:
    """scheduled before the window, in progress inside it, completed after it."""
    facts = facts_for(scratch_site, MAINTENANCE, now)
    assert facts.maintenances[0].status is expected
    in_window = expected is MaintenanceStatus.IN_PROGRESS
    assert facts.state("api").status is (
        ComponentStatus.UNDER_MAINTENANCE if in_window else ComponentStatus.OPERATIONAL
    )
    assert facts.overall.indicator is (Indicator.MAINTENANCE if in_window else Indicator.NONE)


def test_an_explicit_completed_update_ends_maintenance_early(scratch_site: ScratchSite) -> None:
    """Engineers who finish early say so, and the page believes them over the clock."""
    done = {
        "maintenance/2026-12-01-db-upgrade/02.md": "---\nat: 2026-12-01T02:40:00+01:00\nstatus: completed\n---\nDone early.\n"
    }
    facts = facts_for(
        scratch_site, {**MAINTENANCE, **done}, datetime(2026, 12, 1, 2, 0, tzinfo=UTC)
    )
    assert facts.maintenances[0].status is MaintenanceStatus.COMPLETED
    assert facts.state("api").status is ComponentStatus.OPERATIONAL


def test_clock_status_is_monotonic_in_time(scratch_site: ScratchSite) -> None:
    """The clock only moves a maintenance forward: scheduled → in progress → completed."""
    content, _ = load_and_validate(scratch_site(MAINTENANCE))
    maintenance = content.maintenances[0]
    start = maintenance.scheduled_for - timedelta(hours=3)
    ranks = [clock_status(maintenance, start + timedelta(minutes=15 * i)).rank for i in range(40)]
    assert ranks == sorted(ranks) and ranks[0] == 0 and ranks[-1] == 3


@pytest.mark.parametrize(
    "fixture",
    [
        "githubstatus-summary-unresolved-incident.json",
        "instructure-summary-groups-unresolved-incident.json",
        "illposed-summary-scheduled-maintenance.json",
    ],
)
def test_indicator_rule_matches_real_statuspage_captures(fixture: str) -> None:
    """Our rollup of component statuses gives the indicator and text real pages served."""
    summary = json.loads((FIXTURES / fixture).read_text())
    statuses = [ComponentStatus(c["status"]) for c in summary["components"] if not c.get("group")]
    result = overall(statuses)
    assert result.indicator.value == summary["status"]["indicator"]
    assert result.description == summary["status"]["description"]


def test_indicator_rule_for_the_remaining_cases() -> None:
    """Major needs a major outage; critical needs everything down; maintenance alone is its own."""
    s = ComponentStatus
    assert overall([s.OPERATIONAL, s.MAJOR_OUTAGE]).indicator is Indicator.MAJOR
    assert overall([s.MAJOR_OUTAGE, s.MAJOR_OUTAGE]).indicator is Indicator.CRITICAL
    assert overall([s.UNDER_MAINTENANCE, s.OPERATIONAL]).indicator is Indicator.MAINTENANCE
    assert overall([s.UNDER_MAINTENANCE, s.DEGRADED_PERFORMANCE]).indicator is Indicator.MINOR
    assert overall([s.OPERATIONAL]).description == "All Systems Operational"
