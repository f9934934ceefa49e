"""Component status transitions: what each incident or maintenance update did to each component.

The one place that reads the content format's status rules (an update sets the components it
names; a `resolved` update returns the others it left in trouble to operational; maintenance
work moves its components into its impact and back), so that uptime, the API and the pages
cannot disagree on a component's history.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime

from statusgen.model import (
    ComponentStatus,
    Incident,
    IncidentStatus,
    Maintenance,
    MaintenanceStatus,
    MaintenanceUpdate,
)


@dataclass(frozen=True, slots=True)
class Transition:
    """One component's status set by one update; `old` is what the same incident or maintenance
    had set before (operational at first), so `old == new` when an update restates it."""

    at: datetime
    component_id: str
    old: ComponentStatus
    new: ComponentStatus


PerUpdate = tuple[tuple[Transition, ...], ...]


def incident_transitions(incident: Incident) -> PerUpdate:
    """For each update, in time order, the transitions it made.

    An update sets the components it names; a `resolved` update also returns every component
    the incident had left in another state to operational, as the content format says.
    """
    current: dict[str, ComponentStatus] = {}
    result = []
    for update in incident.updates:
        stated = dict(update.components)
        made = [
            Transition(update.at, cid, current.get(cid, ComponentStatus.OPERATIONAL), new)
            for cid, new in update.components
        ]
        if update.status is IncidentStatus.RESOLVED:
            made += [
                Transition(update.at, cid, old, ComponentStatus.OPERATIONAL)
                for cid, old in current.items()
                if cid not in stated and old is not ComponentStatus.OPERATIONAL
            ]
        for transition in made:
            current[transition.component_id] = transition.new
        result.append(tuple(made))
    return tuple(result)


def maintenance_transitions(
    maintenance: Maintenance, posted: Sequence[MaintenanceUpdate]
) -> PerUpdate:
    """For each posted update: work starting puts the components in the maintenance's impact,
    completion returns them to operational; other updates change nothing."""
    targets = {
        MaintenanceStatus.IN_PROGRESS: maintenance.impact,
        MaintenanceStatus.COMPLETED: ComponentStatus.OPERATIONAL,
    }
    current = {cid: ComponentStatus.OPERATIONAL for cid in maintenance.components}
    result = []
    for update in posted:
        target = targets.get(update.status)
        made = (
            ()
            if target is None
            else tuple(
                Transition(update.at, cid, old, target)
                for cid, old in current.items()
                if old is not target
            )
        )
        for transition in made:
            current[transition.component_id] = transition.new
        result.append(made)
    return tuple(result)


def by_component(
    transitions: Iterable[Transition], declared: Iterable[str] = ()
) -> dict[str, list[Transition]]:
    """Each component's transitions in time order; `declared` components come first, even
    without any."""
    found: dict[str, list[Transition]] = {cid: [] for cid in declared}
    for transition in transitions:
        found.setdefault(transition.component_id, []).append(transition)
    return found


def flatten(per_update: PerUpdate) -> tuple[Transition, ...]:
    """All transitions in time order (updates are in time order already)."""
    return tuple(t for made in per_update for t in made)
