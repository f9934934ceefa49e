"""The notifiable events of the site: what subscribers are told, each with an id for ever.

`statusgen notify` sends the events that a new build has and the deployed site's
`/api/events.json` lacks, so an event's id must never change once published: it is made of
the incident's or maintenance's slug and the file name of the update it comes from (both
stable by the content format), or of a fixed word for what the clock did.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime, timedelta

from statusgen.derive.incidents import IncidentFacts
from statusgen.derive.maintenance import MaintenanceFacts, auto_completes
from statusgen.model import IncidentStatus, MaintenanceStatus

INCIDENT_TYPES = {
    IncidentStatus.RESOLVED: "incident.resolved",
}
MAINTENANCE_TYPES = {
    MaintenanceStatus.COMPLETED: "maintenance.completed",
    MaintenanceStatus.CANCELLED: "maintenance.cancelled",
}


@dataclass(frozen=True, slots=True)
class Event:
    """One thing subscribers are told: `subject` is "incident" or "maintenance"."""

    at: datetime
    id: str
    type: str
    subject: str
    slug: str
    update: str | None = None  # the id of the update it comes from, if one


def incident_events(facts: IncidentFacts, now: datetime) -> Iterator[Event]:
    """Created (its first update), updated or resolved (each later update), post-mortem."""
    incident = facts.incident
    posted = [u for u in incident.updates if u.at <= now]
    for index, update in enumerate(posted):
        kind = (
            "incident.created"
            if index == 0
            else INCIDENT_TYPES.get(update.status, "incident.updated")
        )
        name = "created" if index == 0 else update.id
        yield Event(
            update.at,
            f"incident/{incident.slug}/{name}",
            kind,
            "incident",
            incident.slug,
            update.id,
        )
    postmortem = incident.postmortem
    if posted and postmortem is not None and postmortem.published <= now:
        yield Event(
            postmortem.published,
            f"incident/{incident.slug}/postmortem",
            "incident.postmortem",
            "incident",
            incident.slug,
        )


def maintenance_events(facts: MaintenanceFacts, now: datetime) -> Iterator[Event]:
    """Scheduled (announced), started and completed (by an update, or by the clock while no
    update decides the phase), updated, cancelled. Once the clock started or completed the
    work, an update saying so later is an update, not a second start or end."""
    maintenance, slug = facts.maintenance, facts.maintenance.slug

    def event(at: datetime, name: str, kind: str, update: str | None = None) -> Event:
        return Event(at, f"maintenance/{slug}/{name}", kind, "maintenance", slug, update)

    if facts.announced_at <= now:
        yield event(facts.announced_at, "scheduled", "maintenance.scheduled")
    phase = MaintenanceStatus.SCHEDULED  # what the readers were last told

    def by_clock(until: datetime) -> Iterator[Event]:
        nonlocal phase
        if phase is MaintenanceStatus.SCHEDULED and maintenance.scheduled_for < until:
            phase = MaintenanceStatus.IN_PROGRESS
            yield event(maintenance.scheduled_for, "started", "maintenance.started")
        if (
            phase in (MaintenanceStatus.IN_PROGRESS, MaintenanceStatus.VERIFYING)
            and clock_runs
            and maintenance.scheduled_until < until
        ):
            phase = MaintenanceStatus.COMPLETED
            yield event(maintenance.scheduled_until, "completed", "maintenance.completed")

    clock_runs = True  # until an update takes the phase from the clock
    for update in facts.posted:
        if update.status is not MaintenanceStatus.CANCELLED:
            yield from by_clock(update.at)
        if update.status is MaintenanceStatus.SCHEDULED and update.at == facts.announced_at:
            continue  # the announcement itself: "scheduled" above
        if update.status is MaintenanceStatus.SCHEDULED:
            kind = "maintenance.updated"
        elif (
            update.status is MaintenanceStatus.IN_PROGRESS and phase is MaintenanceStatus.SCHEDULED
        ):
            kind = "maintenance.started"
        elif update.status in MAINTENANCE_TYPES and phase is not update.status:
            kind = MAINTENANCE_TYPES[update.status]
        else:
            kind = "maintenance.updated"
        if update.status is not MaintenanceStatus.SCHEDULED:
            # Work said to be under way before the window's end is ended by the clock at the
            # end (derive.maintenance.auto_completes); any other update decides for good.
            phase = update.status
            clock_runs = auto_completes(maintenance, (update,))
        yield event(update.at, update.id, kind, update.id)
    if not facts.cancelled:
        yield from by_clock(now + timedelta(microseconds=1))


def site_events(
    incidents: tuple[IncidentFacts, ...], maintenances: tuple[MaintenanceFacts, ...], now: datetime
) -> tuple[Event, ...]:
    """Every event up to `now`, oldest first; at one moment, a subject's events in the order
    they happened (announced before started), then by id, so the order never varies."""
    found = [(e, n) for f in incidents for n, e in enumerate(incident_events(f, now))]
    found += [(e, n) for m in maintenances for n, e in enumerate(maintenance_events(m, now))]
    return tuple(e for e, _ in sorted(found, key=lambda pair: (pair[0].at, pair[1], pair[0].id)))
