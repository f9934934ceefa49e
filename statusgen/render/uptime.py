"""Uptime for people (bars, monthly table, error budget) and machines (/api/uptime.json).

The 90-day bar is drawn as runs of identical days: a run of quiet days is one element
whose CSS paints one bar per day, while every day with an incident, a maintenance or no
data is its own element. Each run carries its tooltip text (dates, uptime, the incidents
of the day, linked), which is also what a screen reader reads; no JavaScript is needed.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from markupsafe import Markup

from statusgen.derive import Facts
from statusgen.derive.uptime import (
    ComponentUptime,
    DayUptime,
    PeriodUptime,
    display_percent,
    json_percent,
)
from statusgen.model import ComponentStatus
from statusgen.render.jsontext import json_text
from statusgen.render.language import N_, Language


@dataclass(frozen=True, slots=True)
class Link:
    title: str
    lang_attr: Markup  # ' lang="en"' for an untranslated title (see ViewBuilder.incident_title)
    url: str


@dataclass(frozen=True, slots=True)
class BarSegment:
    days: int
    css: str  # worst status of the day(s), or "nodata"
    label: str  # "3 Sep 2026" or "26 Aug – 2 Sep 2026"
    summary: str  # "99.62 % uptime · Partial outage" / "100.00 % uptime, no incidents"
    links: tuple[Link, ...]


@dataclass(frozen=True, slots=True)
class MonthRow:
    label: str  # "November 2026"
    uptime: str
    downtime: str
    sla_met: bool | None


@dataclass(frozen=True, slots=True)
class BudgetView:
    sla: str
    month: str
    allowed: str
    used: str
    left: str
    used_percent: int  # share of the budget used, capped at 100, for the meter
    used_text: str  # the same as the language writes a percentage
    exhausted: bool


@dataclass(frozen=True, slots=True)
class UptimeView:
    component_id: str
    last_90: str
    last_30: str
    last_365: str
    segments: tuple[BarSegment, ...]
    first_day: str
    months: tuple[MonthRow, ...]
    budget: BudgetView | None
    has_sla: bool
    period: str = "over 90 days"  # what the bar's figure covers: "since 2 Dec 2026" when shorter


# A day's worst status in the bar's tooltip (the same words as the status pills).
_WORST_LABELS = {
    ComponentStatus.OPERATIONAL: N_("Operational"),
    ComponentStatus.UNDER_MAINTENANCE: N_("Under maintenance"),
    ComponentStatus.DEGRADED_PERFORMANCE: N_("Degraded performance"),
    ComponentStatus.PARTIAL_OUTAGE: N_("Partial outage"),
    ComponentStatus.MAJOR_OUTAGE: N_("Major outage"),
}


def _quiet(day: DayUptime) -> bool:
    """A day that needs no tooltip of its own: full uptime, nothing happened."""
    return (
        day.has_data
        and not day.incidents
        and not day.maintenances
        and day.downtime_seconds == 0
        and day.worst is ComponentStatus.OPERATIONAL
    )


def _run_key(day: DayUptime) -> str | None:
    if not day.has_data:
        return "nodata"
    return "operational" if _quiet(day) else None


def bar_segments(
    days: Sequence[DayUptime],
    lang: Language,
    incident_link: Callable[[str], Link],
    maintenance_link: Callable[[str], Link],
) -> tuple[BarSegment, ...]:
    segments: list[BarSegment] = []
    index = 0
    while index < len(days):
        day = days[index]
        key = _run_key(day)
        end = index + 1
        if key is not None:
            while end < len(days) and _run_key(days[end]) == key:
                end += 1
        run = days[index:end]
        label = lang.day_range_text(run[0].day, run[-1].day)
        if key == "nodata":
            summary = lang.gettext("no data: not tracked yet")
            segments.append(BarSegment(len(run), "nodata", label, summary, ()))
        elif key == "operational":
            summary = lang.gettext("%(uptime)s uptime, no incidents") % {
                "uptime": lang.percent(display_percent(100.0))
            }
            segments.append(BarSegment(len(run), "operational", label, summary, ()))
        else:
            worst = day.worst or ComponentStatus.OPERATIONAL
            summary = lang.gettext("%(uptime)s uptime · %(status)s") % {
                "uptime": lang.percent(display_percent(day.uptime)),
                "status": lang.gettext(_WORST_LABELS[worst]),
            }
            links = tuple(incident_link(s) for s in day.incidents) + tuple(
                maintenance_link(s) for s in day.maintenances
            )
            segments.append(BarSegment(1, worst.value, label, summary, links))
        index = end
    return tuple(segments)


def _percent_or_dash(value: float | None, lang: Language) -> str:
    """'99.96%' in the language's way, or 'no data' before the component was tracked."""
    return lang.gettext("no data") if value is None else lang.percent(display_percent(value))


def _duration_text(seconds: float, lang: Language) -> str:
    if seconds <= 0:
        return lang.gettext("none")
    return lang.seconds_text(seconds)


def _month_label(period: PeriodUptime, lang: Language) -> str:
    year, month = (int(part) for part in period.label.split("-"))
    return lang.month_text(year, month)


def _period(window: Sequence[DayUptime], lang: Language) -> str:
    """The days the bar's figure is over: never 90 when the component was tracked for fewer."""
    tracked = [day.day for day in window if day.has_data]
    if not tracked:
        return ""
    if len(tracked) == len(window):
        return lang.ngettext("over %(days)s day", "over %(days)s days", len(window)) % {
            "days": lang.number(len(window))
        }
    return lang.gettext("since %(day)s") % {"day": lang.date_text(tracked[0])}


def uptime_view(
    uptime: ComponentUptime,
    lang: Language,
    incident_link: Callable[[str], Link],
    maintenance_link: Callable[[str], Link],
) -> UptimeView:
    window = uptime.window()
    budget = None
    if uptime.budget is not None:
        b = uptime.budget
        used_share = (
            100
            if b.allowed_seconds <= 0
            else min(100, int(100 * b.used_seconds / b.allowed_seconds))
        )
        budget = BudgetView(
            sla=lang.percent(f"{b.sla:g}"),
            month=_month_label(uptime.months[0], lang),
            allowed=_duration_text(b.allowed_seconds, lang),
            used=_duration_text(b.used_seconds, lang),
            left=_duration_text(b.left_seconds, lang)
            if not b.exhausted
            else lang.gettext("exceeded by %(duration)s")
            % {"duration": _duration_text(-b.left_seconds, lang)},
            used_percent=used_share,
            used_text=lang.percent(str(used_share)),
            exhausted=b.exhausted,
        )
    months = tuple(
        MonthRow(
            _month_label(m, lang),
            lang.percent(display_percent(m.uptime)),
            _duration_text(m.downtime_seconds, lang),
            uptime.sla_met(m),
        )
        for m in uptime.months
        if m.uptime is not None
    )
    return UptimeView(
        component_id=uptime.component.id,
        last_90=_percent_or_dash(uptime.last_90.uptime, lang),
        last_30=_percent_or_dash(uptime.last_30.uptime, lang),
        last_365=_percent_or_dash(uptime.last_365.uptime, lang),
        segments=bar_segments(window, lang, incident_link, maintenance_link),
        first_day=lang.date_text(window[0].day),
        months=months,
        budget=budget,
        has_sla=uptime.component.sla is not None,
        period=_period(window, lang),
    )


# ---- /api/uptime.json ----------------------------------------------------------------------


def uptime_document(facts: Facts) -> dict[str, Any]:
    """The contract's shape; percentages truncated to 4 decimals, None where no data."""
    components = []
    for uptime in facts.uptime:
        components.append(
            {
                "id": uptime.component.id,
                "name": uptime.component.name,
                "sla": uptime.component.sla,
                "uptime_30d": json_percent(uptime.last_30.uptime),
                "uptime_90d": json_percent(uptime.last_90.uptime),
                "uptime_365d": json_percent(uptime.last_365.uptime),
                "days": [
                    {
                        "date": day.day.isoformat(),
                        "uptime": json_percent(day.uptime),
                        "downtime_seconds": round(day.downtime_seconds, 3),
                        "worst_status": day.worst.value if day.worst else None,
                        "incidents": list(day.incidents),
                    }
                    for day in uptime.window()
                ],
            }
        )
    return {
        "generated_at": facts.now.astimezone(facts.content.site.timezone).isoformat(
            timespec="milliseconds"
        ),
        "time_zone": facts.content.site.timezone.key,
        "weights": {status.value: weight for status, weight in facts.content.site.uptime.weights},
        "maintenance_excluded": facts.content.site.uptime.exclude_maintenance,
        "components": components,
    }


def uptime_json(facts: Facts) -> str:
    return json_text(uptime_document(facts))
