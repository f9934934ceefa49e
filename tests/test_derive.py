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
from statusgen.derive.transitions import Transition
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


# ---- status transitions --------------------------------------------------------------------

WORSENS = {
    "incidents/2026-11-20-api-errors/02.md": """\
        ---
        at: 2026-11-20T14:30:00+01:00
        status: identified
        components:
          api: major_outage
          dashboard: degraded_performance
        ---
        Worse.
        """,
}


def test_each_update_of_an_incident_is_a_transition_from_the_status_it_had_set(
    scratch_site: ScratchSite,
) -> None:
    """`old` is what the incident had set before (operational at first); `new` what the update says."""
    facts = facts_for(scratch_site, {**OPEN_INCIDENT, **WORSENS})
    incident = facts.incident("2026-11-20-api-errors")
    first, second = (datetime(2026, 11, 20, h, m, tzinfo=UTC) for h, m in ((13, 2), (13, 30)))
    assert incident.update_transitions == (
        (Transition(first, "api", ComponentStatus.OPERATIONAL, ComponentStatus.PARTIAL_OUTAGE),),
        (
            Transition(second, "api", ComponentStatus.PARTIAL_OUTAGE, ComponentStatus.MAJOR_OUTAGE),
            Transition(
                second,
                "dashboard",
                ComponentStatus.OPERATIONAL,
                ComponentStatus.DEGRADED_PERFORMANCE,
            ),
        ),
    )


def test_the_resolved_update_returns_every_component_left_in_trouble_to_operational(
    scratch_site: ScratchSite,
) -> None:
    """A `resolved` update that names no component still ends the statuses the incident set."""
    resolve = {"incidents/2026-11-20-api-errors/03.md": next(iter(RESOLVE.values()))}
    facts = facts_for(scratch_site, {**OPEN_INCIDENT, **WORSENS, **resolve})
    resolved = datetime(2026, 11, 20, 14, 0, tzinfo=UTC)
    assert facts.incident("2026-11-20-api-errors").update_transitions[-1] == (
        Transition(resolved, "api", ComponentStatus.MAJOR_OUTAGE, ComponentStatus.OPERATIONAL),
        Transition(
            resolved, "dashboard", ComponentStatus.DEGRADED_PERFORMANCE, ComponentStatus.OPERATIONAL
        ),
    )


def test_maintenance_work_moves_its_components_into_its_impact_and_back(
    scratch_site: ScratchSite,
) -> None:
    """in_progress sets the impact, completed sets operational; updates not yet dated are unseen."""
    updates = {
        "maintenance/2026-12-01-db-upgrade/01.md": "---\nat: 2026-12-01T02:00:00+01:00\nstatus: in_progress\n---\nStarted.\n",
        "maintenance/2026-12-01-db-upgrade/02.md": "---\nat: 2026-12-01T02:30:00+01:00\nstatus: verifying\n---\nChecking.\n",
        "maintenance/2026-12-01-db-upgrade/03.md": "---\nat: 2026-12-01T03:00:00+01:00\nstatus: completed\n---\nDone.\n",
    }
    now = datetime(2026, 12, 1, 1, 45, tzinfo=UTC)  # 02:45 in Paris: the third is not posted
    m = facts_for(scratch_site, {**MAINTENANCE, **updates}, now).maintenances[0]
    started = datetime(2026, 12, 1, 1, 0, tzinfo=UTC)
    assert [u.id for u in m.posted] == ["01", "02"]
    assert m.update_transitions == (
        (
            Transition(
                started, "api", ComponentStatus.OPERATIONAL, ComponentStatus.UNDER_MAINTENANCE
            ),
        ),
        (),
    )
    later = facts_for(scratch_site, {**MAINTENANCE, **updates}, now + timedelta(hours=1))
    assert later.maintenances[0].update_transitions[-1] == (
        Transition(
            started + timedelta(hours=1),
            "api",
            ComponentStatus.UNDER_MAINTENANCE,
            ComponentStatus.OPERATIONAL,
        ),
    )


# ---- when a maintenance was announced ------------------------------------------------------


def test_maintenance_recorded_after_its_window_opened_is_announced_at_its_window_start(
    scratch_site: ScratchSite,
) -> None:
    """Without `announced_at`, work is known no later than it begins, whatever its first update."""
    late = {
        "maintenance/2026-12-01-db-upgrade/01.md": "---\nat: 2026-12-01T03:00:00+01:00\nstatus: completed\n---\nDone.\n",
    }
    m = facts_for(scratch_site, {**MAINTENANCE, **late}).maintenances[0]
    assert m.announced_at == datetime(2026, 12, 1, 1, 0, tzinfo=UTC)


def test_an_update_dated_after_now_does_not_announce_a_maintenance(
    scratch_site: ScratchSite,
) -> None:
    """A maintenance is announced by its first posted update, never by one not yet dated."""
    early = {
        "maintenance/2026-12-01-db-upgrade/01.md": "---\nat: 2026-11-25T10:00:00+01:00\nstatus: scheduled\n---\nHeads up.\n",
    }
    before, after = datetime(2026, 11, 24, tzinfo=UTC), datetime(2026, 11, 26, tzinfo=UTC)
    assert facts_for(scratch_site, {**MAINTENANCE, **early}, after).maintenances[
        0
    ].announced_at == datetime(2026, 11, 25, 9, 0, tzinfo=UTC)
    assert facts_for(scratch_site, {**MAINTENANCE, **early}, before).maintenances[
        0
    ].announced_at == datetime(2026, 12, 1, 1, 0, tzinfo=UTC)


def test_a_maintenance_is_never_updated_before_it_was_announced(
    scratch_site: ScratchSite,
) -> None:
    """Announced after its window opened, its last change is the announcement, not the clock."""
    announced = MAINTENANCE["maintenance/2026-12-01-db-upgrade/maintenance.md"].replace(
        "components: [api]", "components: [api]\n        announced_at: 2026-12-01T02:30:00+01:00"
    )
    files = {"maintenance/2026-12-01-db-upgrade/maintenance.md": announced}
    m = facts_for(scratch_site, files, datetime(2026, 12, 1, 2, 0, tzinfo=UTC)).maintenances[0]
    assert m.started_at == datetime(2026, 12, 1, 1, 0, tzinfo=UTC)
    assert m.updated_at == m.announced_at == datetime(2026, 12, 1, 1, 30, tzinfo=UTC)


# ---- the component tree --------------------------------------------------------------------

TREE_SITE = """\
name: Acme Cloud
url: https://status.example.com
timezone: Europe/Paris
components:
  - id: website
    name: Website
  - id: api
    name: Public API
    group: Platform
  - id: cdn
    name: CDN
  - id: dashboard
    name: Dashboard
    group: Platform
"""


def test_groups_and_ungrouped_components_share_the_top_level_in_site_order(
    scratch_site: ScratchSite,
) -> None:
    """A group takes the place of its first member; members are numbered within their group."""
    facts = facts_for(scratch_site, {"site.yml": TREE_SITE})
    assert [(n.component.id, n.group, n.position, n.group_position) for n in facts.tree] == [
        ("website", None, 1, None),
        ("api", "Platform", 1, 2),
        ("cdn", None, 3, None),
        ("dashboard", "Platform", 2, 2),
    ]


def test_the_home_page_groups_list_each_group_once_with_its_worst_status(
    scratch_site: ScratchSite,
) -> None:
    """Groups in order of first appearance; the ungrouped components form one unnamed group."""
    facts = facts_for(scratch_site, {"site.yml": TREE_SITE, **OPEN_INCIDENT})
    assert [(g.name, g.status, [s.component.id for s in g.members]) for g in facts.groups] == [
        (None, ComponentStatus.OPERATIONAL, ["website", "cdn"]),
        ("Platform", ComponentStatus.PARTIAL_OUTAGE, ["api", "dashboard"]),
    ]
