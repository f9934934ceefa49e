"""Current status of every component and the page-wide indicator, as Statuspage rolls it up."""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum

from statusgen.derive.incidents import IncidentFacts
from statusgen.derive.maintenance import MaintenanceFacts
from statusgen.model import Component, ComponentChange, ComponentStatus, worst


class Indicator(StrEnum):
    NONE = "none"
    MINOR = "minor"
    MAJOR = "major"
    CRITICAL = "critical"
    MAINTENANCE = "maintenance"


INDICATOR_DESCRIPTIONS = {
    Indicator.NONE: "All Systems Operational",
    Indicator.MAINTENANCE: "Service Under Maintenance",
    Indicator.CRITICAL: "Major System Outage",
}


@dataclass(frozen=True, slots=True)
class ComponentState:
    component: Component
    status: ComponentStatus
    incidents: tuple[str, ...]  # slugs of ongoing incidents touching it
    maintenances: tuple[str, ...]  # slugs of active maintenance touching it
    changed_at: datetime | None = None  # the last incident transition or maintenance work on it


@dataclass(frozen=True, slots=True)
class Overall:
    indicator: Indicator
    description: str


def component_states(
    components: Iterable[Component],
    incidents: Iterable[IncidentFacts],
    maintenances: Iterable[MaintenanceFacts],
    changes: Mapping[str, Sequence[ComponentChange]] | None = None,
) -> tuple[ComponentState, ...]:
    """A component's status is the worst over all ongoing incidents, active maintenance and
    the last status set on it directly (`changes`: posted ones, by component, in time order)."""
    statuses: dict[str, list[ComponentStatus]] = {}
    touched_by: dict[str, list[str]] = {}
    maintained_by: dict[str, list[str]] = {}
    changed: dict[str, list[datetime]] = {}
    for component_id, made in (changes or {}).items():
        if made:
            statuses.setdefault(component_id, []).append(made[-1].status)
            changed.setdefault(component_id, []).append(made[-1].at)
    for facts in incidents:
        for transition in facts.transitions:
            changed.setdefault(transition.component_id, []).append(transition.at)
        if not facts.ongoing:
            continue
        for impact in facts.impacts:
            statuses.setdefault(impact.component_id, []).append(impact.current)
            touched_by.setdefault(impact.component_id, []).append(facts.incident.slug)
    for m in maintenances:
        for component_id in m.maintenance.components:
            changed.setdefault(component_id, []).extend(
                t for t in (m.started_at, m.completed_at) if t is not None
            )
        if not m.active:
            continue
        for component_id in m.maintenance.components:
            statuses.setdefault(component_id, []).append(m.maintenance.impact)
            maintained_by.setdefault(component_id, []).append(m.maintenance.slug)
    return tuple(
        ComponentState(
            c,
            worst(statuses.get(c.id, [])),
            tuple(touched_by.get(c.id, [])),
            tuple(maintained_by.get(c.id, [])),
            max(changed.get(c.id, []), default=None),
        )
        for c in components
    )


def overall(statuses: list[ComponentStatus]) -> Overall:
    """The rollup rule that matches every captured Statuspage response.

    A single partial outage is still `minor` (GitHub's capture); `major` needs a major
    outage; `critical` only when every component is down.
    """
    if statuses and all(s is ComponentStatus.MAJOR_OUTAGE for s in statuses):
        return Overall(Indicator.CRITICAL, INDICATOR_DESCRIPTIONS[Indicator.CRITICAL])
    if ComponentStatus.MAJOR_OUTAGE in statuses:
        return Overall(Indicator.MAJOR, "Partial System Outage")
    if ComponentStatus.PARTIAL_OUTAGE in statuses:
        return Overall(Indicator.MINOR, "Minor Service Outage")
    if ComponentStatus.DEGRADED_PERFORMANCE in statuses:
        return Overall(Indicator.MINOR, "Partially Degraded Service")
    if ComponentStatus.UNDER_MAINTENANCE in statuses:
        return Overall(Indicator.MAINTENANCE, INDICATOR_DESCRIPTIONS[Indicator.MAINTENANCE])
    return Overall(Indicator.NONE, INDICATOR_DESCRIPTIONS[Indicator.NONE])


def group_status(states: Iterable[ComponentState]) -> ComponentStatus:
    """A group shows the worst of its children, as Statuspage groups do."""
    return worst([state.status for state in states])
