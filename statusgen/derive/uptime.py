"""Availability of each component, day by day in the site's timezone, from incidents and maintenance.

The arithmetic, in three pure steps:
1. intervals: each incident update sets a component's status until the next change, the
   resolution, or "now"; each maintenance window sets its impact while it runs;
2. merge: at every instant the worst status over all intervals wins, so overlapping
   incidents never count twice;
3. days: each calendar day in the site timezone (23, 24 or 25 hours long) gets its counted
   time and its weighted downtime; periods add days up, so splitting never changes a sum.

Availability = 1 − weighted downtime / counted time, with the weights of the site's
UptimePolicy (major 1.0, partial 0.3, degraded 0 by default) and time under maintenance left
out of both when the policy says so. Days before a component's `since` have no data.
"""

from __future__ import annotations

from bisect import bisect_left
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from statusgen.derive.incidents import IncidentFacts
from statusgen.derive.maintenance import MaintenanceFacts
from statusgen.derive.transitions import by_component
from statusgen.model import Component, ComponentChange, ComponentStatus, UptimePolicy

WINDOW_DAYS = 90  # the bars and the JSON `days`
YEAR_DAYS = 365
MONTHS_SHOWN = 12


@dataclass(frozen=True, slots=True)
class Interval:
    start: datetime
    end: datetime
    status: ComponentStatus


@dataclass(frozen=True, slots=True)
class DayUptime:
    day: date
    counted_seconds: float  # time that counts (day length, less maintenance if excluded)
    downtime_seconds: float  # weighted
    worst: ComponentStatus | None  # None: no data (before `since`, or wholly in the future)
    incidents: tuple[str, ...]  # slugs of incidents touching the component that day
    maintenances: tuple[str, ...] = ()  # slugs of maintenance windows running that day
    maintenance_seconds: float = 0.0  # left out of counted time by the policy

    @property
    def has_data(self) -> bool:
        return self.worst is not None

    @property
    def uptime(self) -> float | None:
        return percent(self.counted_seconds, self.downtime_seconds) if self.has_data else None


@dataclass(frozen=True, slots=True)
class PeriodUptime:
    label: str  # "2026-11" for months, "30d" for rolling windows
    first: date
    last: date
    counted_seconds: float
    downtime_seconds: float
    has_data: bool

    @property
    def uptime(self) -> float | None:
        return percent(self.counted_seconds, self.downtime_seconds) if self.has_data else None


@dataclass(frozen=True, slots=True)
class ErrorBudget:
    """This month's allowance under the SLA: how much weighted downtime is left."""

    month: str
    sla: float
    allowed_seconds: float
    used_seconds: float

    @property
    def left_seconds(self) -> float:
        return self.allowed_seconds - self.used_seconds

    @property
    def exhausted(self) -> bool:
        return self.used_seconds > self.allowed_seconds


@dataclass(frozen=True, slots=True)
class ComponentUptime:
    component: Component
    days: tuple[DayUptime, ...]  # oldest first, up to "now"'s date
    last_30: PeriodUptime
    last_90: PeriodUptime
    last_365: PeriodUptime
    months: tuple[PeriodUptime, ...]  # newest first, the current month included
    budget: ErrorBudget | None

    def window(self, count: int = WINDOW_DAYS) -> tuple[DayUptime, ...]:
        return self.days[-count:]

    def sla_met(self, month: PeriodUptime) -> bool | None:
        sla = self.component.sla
        uptime = month.uptime
        return None if sla is None or uptime is None else uptime >= sla


def percent(counted: float, downtime: float) -> float:
    """Availability in percent, clamped to [0, 100].

    A period spent wholly under (excluded) maintenance counted no time and lost none: 100 %.
    """
    if counted <= 0:
        return 100.0
    return max(0.0, min(100.0, 100.0 * (1.0 - downtime / counted)))


def display_percent(value: float | None) -> str:
    """Two decimals, truncated: any downtime at all never shows as 100.00."""
    if value is None:
        return "no data"
    hundredths = int(round(value * 100, 6))  # round away float noise, then truncate
    return f"{hundredths // 100}.{hundredths % 100:02d}"


def json_percent(value: float | None) -> float | None:
    """Four decimals, truncated like the display so JSON and page never disagree on 100."""
    if value is None:
        return None
    return int(round(value * 10_000, 6)) / 10_000


# ---- 1. intervals -------------------------------------------------------------------------


def incident_intervals(facts: IncidentFacts, now: datetime) -> dict[str, list[Interval]]:
    """Each component's statuses over the incident, clipped to now.

    A status holds from its update until the next change or the resolution. When the
    incident declares an earlier `started_at`, the first statuses reach back to it: impact
    began before customers were told.
    """
    end = min(facts.resolved_at or now, now)
    result: dict[str, list[Interval]] = {}
    first_at = facts.incident.updates[0].at
    for component_id, changes in by_component(facts.transitions).items():
        for index, change in enumerate(changes):
            start = facts.started_at if change.at == first_at and index == 0 else change.at
            stop = changes[index + 1].at if index + 1 < len(changes) else end
            stop = min(stop, end)
            if stop > start and change.new is not ComponentStatus.OPERATIONAL:
                result.setdefault(component_id, []).append(Interval(start, stop, change.new))
    return result


def maintenance_intervals(facts: MaintenanceFacts, now: datetime) -> dict[str, list[Interval]]:
    """The window as it ran: from work start to completion (or the clock), clipped to now."""
    if facts.started_at is None:
        return {}
    maintenance = facts.maintenance
    end = min(facts.completed_at or maintenance.scheduled_until, now)
    if end <= facts.started_at:
        return {}
    interval = Interval(facts.started_at, end, maintenance.impact)
    return {component_id: [interval] for component_id in maintenance.components}


def change_intervals(changes: Sequence[ComponentChange], now: datetime) -> list[Interval]:
    """A component's directly set statuses (time order), each until the next, clipped to now."""
    found = []
    for index, change in enumerate(changes):
        stop = min(changes[index + 1].at if index + 1 < len(changes) else now, now)
        if stop > change.at and change.status is not ComponentStatus.OPERATIONAL:
            found.append(Interval(change.at, stop, change.status))
    return found


# ---- 2. merge -----------------------------------------------------------------------------


def merge(intervals: Iterable[Interval]) -> list[Interval]:
    """Non-overlapping intervals where, at every instant, the worst covering status wins."""
    events: list[tuple[datetime, int, int]] = []  # (time, +1 start / -1 end, rank)
    ranks = {status.rank: status for status in ComponentStatus}
    for interval in intervals:
        if interval.end > interval.start:
            events.append((interval.start, 1, interval.status.rank))
            events.append((interval.end, -1, interval.status.rank))
    events.sort()
    active = [0] * (max(ranks) + 1)
    top_down = range(len(active) - 1, 0, -1)
    merged: list[Interval] = []
    index = 0
    previous: datetime | None = None
    while index < len(events):
        moment = events[index][0]
        if previous is not None:
            worst_rank = next((r for r in top_down if active[r]), 0)
            if worst_rank and moment > previous:
                status = ranks[worst_rank]
                if merged and merged[-1].status is status and merged[-1].end == previous:
                    merged[-1] = Interval(merged[-1].start, moment, status)
                else:
                    merged.append(Interval(previous, moment, status))
        while index < len(events) and events[index][0] == moment:
            active[events[index][2]] += events[index][1]
            index += 1
        previous = moment
    return merged


# ---- 3. days ------------------------------------------------------------------------------


def day_bounds(day: date, zone: ZoneInfo) -> tuple[datetime, datetime]:
    """Local midnight to local midnight, in UTC: 23, 24 or 25 hours around DST changes."""
    start = datetime.combine(day, time(0), tzinfo=zone).astimezone(UTC)
    end = datetime.combine(day + timedelta(days=1), time(0), tzinfo=zone).astimezone(UTC)
    return start, end


def _overlap(a_start: datetime, a_end: datetime, b_start: datetime, b_end: datetime) -> float:
    return max(0.0, (min(a_end, b_end) - max(a_start, b_start)).total_seconds())


CalendarDay = tuple[date, datetime, datetime]  # local day, its start and end in UTC (end ≤ now)


def calendar(first: date, last: date, zone: ZoneInfo, now: datetime) -> tuple[CalendarDay, ...]:
    """The local days from `first` to `last`, computed once per build for every component."""
    days = []
    day = first
    while day <= last:
        start, end = day_bounds(day, zone)
        days.append((day, start, min(end, now)))
        day += timedelta(days=1)
    return tuple(days)


def spans_per_day(
    spans: Sequence[tuple[datetime, datetime, str]], days: Sequence[CalendarDay]
) -> list[tuple[str, ...]]:
    """For each day, the slugs of the spans overlapping it: one sweep, not a scan per day.
    Most days of a year touch no span, or the same ones as the day before: their tuple is
    the previous day's, made again only when a span starts or ends."""
    ordered = sorted(spans)
    result: list[tuple[str, ...]] = []
    active: list[tuple[datetime, datetime, str]] = []
    slugs: tuple[str, ...] = ()
    index = 0
    for _, start, end in days:
        changed = False
        while index < len(ordered) and ordered[index][0] < end:
            active.append(ordered[index])
            index += 1
            changed = True
        if active:
            still = [span for span in active if span[1] > start]
            if len(still) != len(active):
                active, changed = still, True
        if changed:
            slugs = tuple([span[2] for span in active])
        result.append(slugs)
    return result


def daily(
    merged: Sequence[Interval],
    spans: Sequence[tuple[datetime, datetime, str]],
    maintenance_spans: Sequence[tuple[datetime, datetime, str]],
    days_in: Sequence[CalendarDay],
    since: date | None,
    policy: UptimePolicy,
) -> tuple[DayUptime, ...]:
    """One DayUptime per calendar day; today counts only up to now.

    `spans` and `maintenance_spans` are (start, end, slug) of the incidents and maintenance
    windows touching the component, for the "that day" links.
    """
    touching_by_day = spans_per_day(spans, days_in)
    maintained_by_day = spans_per_day(maintenance_spans, days_in)
    days = []
    cursor = 0  # merged intervals are sorted and disjoint: walk them once
    for position, (day, start, end) in enumerate(days_in):
        if since is not None and day < since:
            days.append(DayUptime(day, 0.0, 0.0, None, ()))
            continue
        if end <= start:  # counted up to its first instant (a midnight): nothing happened yet
            days.append(
                DayUptime(
                    day,
                    0.0,
                    0.0,
                    ComponentStatus.OPERATIONAL,
                    touching_by_day[position],
                    maintained_by_day[position],
                )
            )
            continue
        while cursor < len(merged) and merged[cursor].end <= start:
            cursor += 1
        length = (end - start).total_seconds()
        counted = length
        downtime = 0.0
        worst = ComponentStatus.OPERATIONAL
        probe = cursor
        while probe < len(merged) and merged[probe].start < end:
            interval = merged[probe]
            seconds = _overlap(interval.start, interval.end, start, end)
            if seconds > 0:
                if interval.status.rank > worst.rank:
                    worst = interval.status
                if (
                    interval.status is ComponentStatus.UNDER_MAINTENANCE
                    and policy.exclude_maintenance
                ):
                    counted -= seconds
                else:
                    downtime += seconds * policy.weight(interval.status)
            probe += 1
        days.append(
            DayUptime(
                day,
                counted,
                downtime,
                worst,
                touching_by_day[position],
                maintained_by_day[position],
                length - counted,
            )
        )
    return tuple(days)


def period(label: str, days: Iterable[DayUptime]) -> PeriodUptime:
    chosen = list(days)
    return PeriodUptime(
        label,
        chosen[0].day if chosen else date.min,
        chosen[-1].day if chosen else date.min,
        sum(d.counted_seconds for d in chosen),
        sum(d.downtime_seconds for d in chosen),
        any(d.has_data for d in chosen),
    )


def _month_start(day: date, back: int) -> date:
    index = day.year * 12 + day.month - 1 - back
    return date(index // 12, index % 12 + 1, 1)


def _month_length(first: date, zone: ZoneInfo) -> float:
    following = _month_start(first, -1)
    return (day_bounds(following, zone)[0] - day_bounds(first, zone)[0]).total_seconds()


def error_budget(
    sla: float, month: PeriodUptime, month_days: Sequence[DayUptime], zone: ZoneInfo
) -> ErrorBudget:
    """Allowed downtime over the whole month (less days without data and maintenance so far)."""
    first = _month_start(month_days[0].day, 0)
    base = _month_length(first, zone)
    for day in month_days:
        if not day.has_data:  # before the component existed
            start, end = day_bounds(day.day, zone)
            base -= (end - start).total_seconds()
        base -= day.maintenance_seconds
    return ErrorBudget(month.label, sla, max(0.0, (1 - sla / 100) * base), month.downtime_seconds)


def component_uptime(
    component: Component,
    intervals: Sequence[Interval],
    spans: Sequence[tuple[datetime, datetime, str]],
    maintenance_spans: Sequence[tuple[datetime, datetime, str]],
    days_in: Sequence[CalendarDay],
    zone: ZoneInfo,
    policy: UptimePolicy,
) -> ComponentUptime:
    merged = merge(intervals)
    days = daily(merged, spans, maintenance_spans, days_in, component.since, policy)
    today = days[-1].day
    dates = [d.day for d in days]  # in order, one per day: a month is a slice
    months = []
    for back in range(MONTHS_SHOWN):
        month_first = _month_start(today, back)
        month_next = _month_start(today, back - 1)
        chosen = days[bisect_left(dates, month_first) : bisect_left(dates, month_next)]
        months.append(period(f"{month_first:%Y-%m}", chosen))
    budget = None
    if component.sla is not None:
        this_month = days[bisect_left(dates, _month_start(today, 0)) :]
        budget = error_budget(component.sla, months[0], this_month, zone)
    return ComponentUptime(
        component=component,
        days=days,
        last_30=period("30d", days[-30:]),
        last_90=period("90d", days[-WINDOW_DAYS:]),
        last_365=period("365d", days[-YEAR_DAYS:]),
        months=tuple(months),
        budget=budget,
    )


def site_uptime(
    components: Sequence[Component],
    incidents: Sequence[IncidentFacts],
    maintenances: Sequence[MaintenanceFacts],
    zone: ZoneInfo,
    now: datetime,
    policy: UptimePolicy,
    changes: Mapping[str, Sequence[ComponentChange]] | None = None,
) -> tuple[ComponentUptime, ...]:
    """Every component's uptime; each incident's intervals are computed once. `changes`:
    statuses set directly on components, by component, in time order."""
    intervals: dict[str, list[Interval]] = {c.id: [] for c in components}
    spans: dict[str, list[tuple[datetime, datetime, str]]] = {c.id: [] for c in components}
    maintenance_spans: dict[str, list[tuple[datetime, datetime, str]]] = {
        c.id: [] for c in components
    }
    for facts in incidents:
        if facts.started_at > now:
            continue
        span = (facts.started_at, min(facts.resolved_at or now, now), facts.incident.slug)
        # `components` may be some of the site's (see derive.uptime_as_of_own_changes).
        for component_id in facts.component_ids:
            if component_id in spans:
                spans[component_id].append(span)
        for component_id, found in incident_intervals(facts, now).items():
            if component_id in intervals:
                intervals[component_id].extend(found)
    for m in maintenances:
        for component_id, found in maintenance_intervals(m, now).items():
            if component_id in intervals:
                intervals[component_id].extend(found)
                maintenance_spans[component_id].extend(
                    (i.start, i.end, m.maintenance.slug) for i in found
                )
    for component_id, made in (changes or {}).items():
        if component_id in intervals:
            intervals[component_id].extend(change_intervals([c for c in made if c.at <= now], now))
    today = now.astimezone(zone).date()
    first = min(today - timedelta(days=YEAR_DAYS - 1), _month_start(today, MONTHS_SHOWN - 1))
    days_in = calendar(first, today, zone, now)
    return tuple(
        component_uptime(
            c, intervals[c.id], spans[c.id], maintenance_spans[c.id], days_in, zone, policy
        )
        for c in components
    )
