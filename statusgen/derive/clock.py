"""The moments at which the site changes by itself, and the moment its facts last changed.

A static page is a snapshot; the clock keeps moving while nobody pushes. Between two clock
events (a maintenance window opening or closing, a promised update falling due, a local
midnight rolling the uptime bars over) and without a change of content, everything a page
says is the same: so a build derives its facts at `settled_at(content, now)`, the latest
such moment, not at `now`. Two builds a minute apart then write the same bytes, and
`statusgen schedule` (the `clock_events` after now) tells a scheduler when to build again.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass
from datetime import datetime, time, timedelta

from statusgen.derive.incidents import next_update_due
from statusgen.derive.maintenance import auto_completes, maintenance_facts
from statusgen.model import Content, MaintenanceStatus

MAINTENANCE_START = "maintenance-start"
MAINTENANCE_END = "maintenance-end"
UPDATE_DUE = "update-due"
MIDNIGHT = "midnight"


@dataclass(frozen=True, slots=True, order=True)
class ClockEvent:
    """A moment at which the built site would change by itself (the contract's schedule line)."""

    at: datetime
    reason: str  # maintenance-start | maintenance-end | update-due | midnight (| posted)
    ref: str | None  # the maintenance's or incident's slug; None for a midnight


def _window_events(content: Content, now: datetime) -> Iterator[ClockEvent]:
    """Start and end of every maintenance window whose status the clock still decides.

    As derive.maintenance has it, the latest update posted by `now` wins over the clock
    unless it only announced the work (`scheduled`), or said the work is under way before
    the window's end (then the end still completes it, as Statuspage does); after a
    completed or cancelled update, the window's times change nothing on the pages."""
    for maintenance in content.maintenances:
        facts = maintenance_facts(maintenance, now)
        latest = facts.posted[-1].status if facts.posted else MaintenanceStatus.SCHEDULED
        if facts.cancelled:
            continue
        if auto_completes(maintenance, facts.posted):  # under way: the clock ends it
            yield ClockEvent(maintenance.scheduled_until, MAINTENANCE_END, maintenance.slug)
            continue
        if latest is not MaintenanceStatus.SCHEDULED:
            continue
        yield ClockEvent(maintenance.scheduled_for, MAINTENANCE_START, maintenance.slug)
        yield ClockEvent(maintenance.scheduled_until, MAINTENANCE_END, maintenance.slug)


def _midnights(content: Content, after: datetime, until: datetime) -> Iterator[ClockEvent]:
    """Local midnights in the site's zone in (after, until]: the uptime bars gain a day."""
    zone = content.site.timezone
    day = after.astimezone(zone).date()
    while True:
        day += timedelta(days=1)
        midnight = datetime.combine(day, time(0), zone)
        if midnight > until:
            return
        if midnight > after:
            yield ClockEvent(midnight, MIDNIGHT, None)


def clock_events(content: Content, after: datetime, until: datetime) -> tuple[ClockEvent, ...]:
    """Every moment in (after, until] at which the site would change without a push, sorted."""
    events = list(_window_events(content, after))
    for incident in content.incidents:
        due = next_update_due(incident, content.site)
        if due is not None:
            events.append(ClockEvent(due, UPDATE_DUE, incident.slug))
    events = [e for e in events if after < e.at <= until]
    events.extend(_midnights(content, after, until))
    return tuple(sorted(events, key=lambda e: (e.at, e.reason, e.ref or "")))


def settled_at(content: Content, now: datetime) -> datetime:
    """The latest moment up to `now` at which what the site says changed: a time written in
    the content, a maintenance window opening or closing, a promise falling due, or the
    last local midnight. Facts derived at this moment are the facts at any moment from it
    to the next clock event, so pages built in between are byte for byte the same."""
    return max(e.at for e in past_moments(content, now)).astimezone(now.tzinfo)


def change_subject(component_id: str) -> str:
    """The clock's subject for statuses set directly on a component (never a slug: slugs
    have no colon)."""
    return f"component:{component_id}"


POSTED = "posted"  # a time written in the content (an update, a post-mortem, an announcement)


def past_moments(content: Content, now: datetime) -> tuple[ClockEvent, ...]:
    """Every moment up to `now` at which something a page shows changed, with its subject:
    times written in the content, window openings and closings, promises falling due, and
    the last local midnight (the newest; earlier midnights changed nothing shown now)."""
    moments: list[ClockEvent] = []
    for incident in content.incidents:
        times = [u.at for u in incident.updates]
        if incident.postmortem is not None:
            times.append(incident.postmortem.published)
        moments += [ClockEvent(t, POSTED, incident.slug) for t in times if t <= now]
        due = next_update_due(incident, content.site)
        if due is not None and due <= now:
            moments.append(ClockEvent(due, UPDATE_DUE, incident.slug))
    for maintenance in content.maintenances:
        times = [u.at for u in maintenance.updates]
        if maintenance.announced_at is not None:
            times.append(maintenance.announced_at)
        moments += [ClockEvent(t, POSTED, maintenance.slug) for t in times if t <= now]
    moments += [
        ClockEvent(c.at, POSTED, change_subject(c.component_id))
        for c in content.component_changes
        if c.at <= now
    ]
    moments += [e for e in _window_events(content, now) if e.at <= now]
    zone = content.site.timezone
    midnight = datetime.combine(now.astimezone(zone).date(), time(0), zone)
    moments.append(ClockEvent(midnight, MIDNIGHT, None))
    return tuple(sorted(moments, key=lambda e: (e.at, e.reason, e.ref or "")))


@dataclass(frozen=True, slots=True)
class PageClock:
    """What a page shows of the clock: the moments of these subjects (incident and
    maintenance slugs; None for every subject, as the front page) and, when it has uptime
    bars or a list of recent days, midnights."""

    subjects: frozenset[str] | None
    midnights: bool


@dataclass(frozen=True, slots=True)
class SiteClock:
    """The site's clock moments indexed by subject, made once per build: each page asks for
    the last and next moment of what it shows (a thousand pages, thousands of moments)."""

    last: Mapping[str | None, datetime]  # subject (None: midnight) -> latest moment up to now
    following: Mapping[str | None, datetime]  # subject -> next moment after now

    @classmethod
    def of(cls, past: Iterable[ClockEvent], upcoming: Iterable[ClockEvent]) -> SiteClock:
        last: dict[str | None, datetime] = {}
        for event in past:
            last[event.ref] = max(event.at, last.get(event.ref, event.at))
        following: dict[str | None, datetime] = {}
        for event in upcoming:
            following[event.ref] = min(event.at, following.get(event.ref, event.at))
        return cls(last, following)

    def page_times(self, clock: PageClock) -> tuple[datetime | None, datetime | None]:
        """When what the page shows last changed ("as of"), and when it next changes by itself
        (None: not by the clock). A page's bytes depend on these, never on the build's clock,
        so a clock event elsewhere on the site leaves the page as it is."""
        if clock.subjects is None:
            keys: Iterable[str | None] = (
                self.last.keys() | self.following.keys()
                if clock.midnights
                else [k for k in self.last.keys() | self.following.keys() if k is not None]
            )
        else:
            keys = [*clock.subjects, *([None] if clock.midnights else [])]
        lasts = [self.last[k] for k in keys if k in self.last]
        nexts = [self.following[k] for k in keys if k in self.following]
        return max(lasts, default=None), min(nexts, default=None)
