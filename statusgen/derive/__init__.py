"""DERIVE: pure facts from the model and an explicit "now" (never the clock)."""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from functools import cache

from statusgen.derive.clock import PageClock, SiteClock, change_subject, past_moments
from statusgen.derive.incidents import IncidentFacts, incident_facts
from statusgen.derive.maintenance import MaintenanceFacts, maintenance_facts
from statusgen.derive.status import ComponentState, Overall, component_states, overall
from statusgen.derive.tree import ComponentGroup, ComponentNode, component_tree, page_groups
from statusgen.derive.uptime import ComponentUptime, site_uptime
from statusgen.model import Component, ComponentChange, ComponentStatus, Content, worst


@dataclass(frozen=True, slots=True)
class Facts:
    """Everything the renderers need, computed once per build (uptime on first use)."""

    content: Content
    now: datetime
    incidents: tuple[IncidentFacts, ...]  # newest first (by start)
    maintenances: tuple[MaintenanceFacts, ...]  # newest window first
    components: tuple[ComponentState, ...]  # site order
    tree: tuple[ComponentNode, ...]  # site order: each component's group and positions
    groups: tuple[ComponentGroup, ...]  # as the home page lists them
    overall: Overall
    incidents_by_component: dict[str, tuple[IncidentFacts, ...]]
    maintenances_by_component: dict[str, tuple[MaintenanceFacts, ...]]
    # Statuses set directly on components up to now, by component, in time order.
    component_changes: Mapping[str, tuple[ComponentChange, ...]]
    # Uptime sweeps years of history per component, and the preview shows an incident page
    # without needing it: computed on first use, then kept (functools.cache on a closure).
    compute_uptime: Callable[[], tuple[ComponentUptime, ...]] = field(repr=False, compare=False)

    @property
    def uptime(self) -> tuple[ComponentUptime, ...]:
        """Uptime of every component, in site order."""
        return self.compute_uptime()

    def uptime_of(self, component_id: str) -> ComponentUptime:
        return next(u for u in self.uptime if u.component.id == component_id)

    @property
    def worst_status(self) -> ComponentStatus:
        """The worst status of any component now: the colour of the site's badge."""
        return worst([s.status for s in self.components if not s.component.retired])

    @property
    def ongoing(self) -> tuple[IncidentFacts, ...]:
        return tuple(i for i in self.incidents if i.ongoing)

    def incident(self, slug: str) -> IncidentFacts:
        return next(i for i in self.incidents if i.incident.slug == slug)

    def state(self, component_id: str) -> ComponentState:
        return next(s for s in self.components if s.component.id == component_id)


def uptime_as_of_own_changes(
    content: Content,
    incidents: Sequence[IncidentFacts],
    maintenances: Sequence[MaintenanceFacts],
    incidents_by_component: Mapping[str, Sequence[IncidentFacts]],
    maintenances_by_component: Mapping[str, Sequence[MaintenanceFacts]],
    now: datetime,
    changes: Mapping[str, tuple[ComponentChange, ...]],
) -> tuple[ComponentUptime, ...]:
    """Each component's uptime counted up to the last change of its own: the last local
    midnight, or a later moment of one of its incidents or maintenance windows.

    Counted up to `now` instead, every component's figures would move whenever anything
    happened anywhere on the site, and every component page would be rewritten with it.
    Components sharing that moment (usually all: the last midnight) are computed together.
    """
    site = content.site
    moments = SiteClock.of(past_moments(content, now), ())
    groups: dict[datetime, list[Component]] = {}
    for component in site.components:
        subjects = {f.incident.slug for f in incidents_by_component[component.id]}
        subjects |= {m.maintenance.slug for m in maintenances_by_component[component.id]}
        subjects.add(change_subject(component.id))
        own, _ = moments.page_times(PageClock(frozenset(subjects), midnights=True))
        assert own is not None  # the last midnight is always a moment
        groups.setdefault(own, []).append(component)
    found: dict[str, ComponentUptime] = {}
    for moment, members in groups.items():
        ids = {c.id for c in members}
        touching = [f for f in incidents if ids.intersection(f.component_ids)]
        windows = [m for m in maintenances if ids.intersection(m.maintenance.components)]
        for uptime in site_uptime(
            members, touching, windows, site.timezone, moment, site.uptime, changes
        ):
            found[uptime.component.id] = uptime
    return tuple(found[c.id] for c in site.components)


def posted_changes(content: Content, now: datetime) -> dict[str, tuple[ComponentChange, ...]]:
    """The statuses set directly on components up to `now`, by component, in time order."""
    found: dict[str, list[ComponentChange]] = {}
    for change in content.component_changes:
        if change.at <= now:
            found.setdefault(change.component_id, []).append(change)
    return {cid: tuple(sorted(made, key=lambda c: c.at)) for cid, made in found.items()}


def derive(content: Content, now: datetime) -> Facts:
    if now.utcoffset() is None:
        raise ValueError("now must be timezone-aware")
    site = content.site
    order = {component.id: index for index, component in enumerate(site.components)}
    incidents = sorted(
        (incident_facts(i, site, now, order) for i in content.incidents),
        key=lambda f: (f.started_at, f.incident.slug),
        reverse=True,
    )
    maintenances = sorted(
        (maintenance_facts(m, now) for m in content.maintenances),
        key=lambda f: (f.maintenance.scheduled_for, f.maintenance.slug),
        reverse=True,
    )
    changes = posted_changes(content, now)
    states = component_states(site.components, incidents, maintenances, changes)
    by_component: dict[str, list[IncidentFacts]] = {c.id: [] for c in site.components}
    for facts in incidents:
        for component_id in facts.component_ids:
            by_component[component_id].append(facts)
    maint_by_component: dict[str, list[MaintenanceFacts]] = {c.id: [] for c in site.components}
    for m in maintenances:
        for component_id in m.maintenance.components:
            maint_by_component[component_id].append(m)
    incidents_index = {k: tuple(v) for k, v in by_component.items()}
    maintenances_index = {k: tuple(v) for k, v in maint_by_component.items()}
    return Facts(
        content=content,
        now=now,
        incidents=tuple(incidents),
        maintenances=tuple(maintenances),
        components=states,
        tree=component_tree(site.components),
        groups=page_groups(current := [s for s in states if not s.component.retired]),
        overall=overall([s.status for s in current]),
        incidents_by_component=incidents_index,
        maintenances_by_component=maintenances_index,
        component_changes=changes,
        compute_uptime=cache(
            lambda: uptime_as_of_own_changes(
                content, incidents, maintenances, incidents_index, maintenances_index, now, changes
            )
        ),
    )
