"""Facts about one incident at "now": phase, start, end, duration, affected components."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime, timedelta

from statusgen.derive.transitions import (
    PerUpdate,
    Transition,
    by_component,
    flatten,
    incident_transitions,
)
from statusgen.model import ComponentStatus, Incident, IncidentStatus, IncidentUpdate, Site, worst


@dataclass(frozen=True, slots=True)
class ComponentImpact:
    """How badly one component was hit over the incident, and its status now."""

    component_id: str
    worst: ComponentStatus
    current: ComponentStatus  # operational once the incident is resolved


@dataclass(frozen=True, slots=True)
class IncidentFacts:
    incident: Incident
    phase: IncidentStatus  # the Statuspage incident status, `postmortem` included
    started_at: datetime  # when impact began: started_at, else the first update
    created_at: datetime  # first update: when customers were told
    identified_at: datetime | None
    monitoring_at: datetime | None
    resolved_at: datetime | None
    updated_at: datetime
    duration: timedelta  # to resolution, or to now while ongoing
    impacts: tuple[ComponentImpact, ...]  # in site order
    next_update_due: datetime | None  # promised time of the next update while ongoing
    update_transitions: PerUpdate  # what each update did, aligned with incident.updates

    @property
    def ongoing(self) -> bool:
        return self.resolved_at is None

    @property
    def latest(self) -> IncidentUpdate:
        return self.incident.updates[-1]

    @property
    def component_ids(self) -> tuple[str, ...]:
        return tuple(impact.component_id for impact in self.impacts)

    @property
    def time_to_identify(self) -> timedelta | None:
        return None if self.identified_at is None else self.identified_at - self.started_at

    @property
    def time_to_resolve(self) -> timedelta | None:
        return None if self.resolved_at is None else self.resolved_at - self.started_at

    @property
    def transitions(self) -> tuple[Transition, ...]:
        """Every status transition of the incident, in time order."""
        return flatten(self.update_transitions)


def _first_at(updates: tuple[IncidentUpdate, ...], status: IncidentStatus) -> datetime | None:
    return next((u.at for u in updates if u.status is status), None)


def impact_start(incident: Incident) -> datetime:
    """When impact began: `started_at`, else the first update (customers were told at once).
    An update back-dated before `started_at` (real histories hold them) moves it earlier."""
    first = incident.updates[0].at
    return first if incident.started_at is None else min(incident.started_at, first)


def resolved_at(incident: Incident) -> datetime | None:
    """When the incident ended: its first `resolved` update (the contract's rule), or None."""
    return _first_at(incident.updates, IncidentStatus.RESOLVED)


def is_open(incident: Incident) -> bool:
    """Ongoing until an update says resolved; what every page, feed, the API and the CLI ask."""
    return resolved_at(incident) is None


def stated_statuses(incident: Incident) -> dict[str, ComponentStatus]:
    """Each component's status as the incident's updates last stated it (resolution aside):
    what a new update starts from."""
    stated: dict[str, ComponentStatus] = {}
    for update in incident.updates:
        stated.update(dict(update.components))
    return stated


def next_update_due(incident: Incident, site: Site) -> datetime | None:
    """When an open incident's next update is promised: its latest update's `next_update`,
    else the site's cadence for its severity after that update; None once resolved."""
    if resolved_at(incident) is not None:
        return None
    return promised_after(incident.updates[-1], incident, site)


def promised_after(update: IncidentUpdate, incident: Incident, site: Site) -> datetime | None:
    """The next update `update` promised: its `next_update`, else the site's cadence for the
    incident's severity after it (what a notification of that update tells)."""
    cadence = site.cadence_for(incident.severity)
    return update.next_update or (update.at + cadence if cadence else None)


def incident_facts(
    incident: Incident, site: Site, now: datetime, order: Mapping[str, int]
) -> IncidentFacts:
    """`order` is each component's position in site.yml, to list impacts in page order."""
    updates = incident.updates
    end_at = resolved_at(incident)
    began = impact_start(incident)
    phase = updates[-1].status
    if phase is IncidentStatus.RESOLVED and incident.postmortem is not None:
        phase = IncidentStatus.POSTMORTEM
    per_update = incident_transitions(incident)
    history = by_component(flatten(per_update), incident.components)
    impacts = []
    for component_id in sorted(history, key=lambda cid: order.get(cid, len(order))):
        changes = history[component_id]
        current = changes[-1].new if changes and end_at is None else ComponentStatus.OPERATIONAL
        impacts.append(ComponentImpact(component_id, worst([t.new for t in changes]), current))
    end = end_at or max(now, updates[-1].at)
    next_due = next_update_due(incident, site)
    updated = max(
        [updates[-1].at] + ([incident.postmortem.published] if incident.postmortem else [])
    )
    return IncidentFacts(
        incident=incident,
        phase=phase,
        started_at=began,
        created_at=updates[0].at,
        identified_at=_first_at(updates, IncidentStatus.IDENTIFIED),
        monitoring_at=_first_at(updates, IncidentStatus.MONITORING),
        resolved_at=end_at,
        updated_at=updated,
        duration=end - began,
        impacts=tuple(impacts),
        next_update_due=next_due,
        update_transitions=per_update,
    )
