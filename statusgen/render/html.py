"""HTML pages of the status site, rendered with the theme's Jinja2 templates."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from functools import cached_property
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Any

from jinja2 import Environment, FileSystemBytecodeCache, FileSystemLoader, StrictUndefined, select_autoescape

from statusgen.derive import Facts
from statusgen.derive.incidents import IncidentFacts
from statusgen.derive.maintenance import MaintenanceFacts
from statusgen.derive.status import ComponentState
from statusgen.derive.lifecycle import LifecycleSummary, summarise
from statusgen.model import Component, worst
from statusgen.render.subscribe import feed_links, subscription
from statusgen.render.theme import TEMPLATES, Asset
from statusgen.render.times import format_date, format_duration, offset_text
from statusgen.render.views import IncidentView, MaintenanceView, ViewBuilder, contact_view, support_windows

MONTHS_PER_HISTORY_PAGE = 3
RECENT_DAYS = 7


@dataclass(frozen=True, slots=True)
class DayView:
    iso: str
    label: str
    incidents: tuple[IncidentView, ...]
    maintenances: tuple[MaintenanceView, ...]


@dataclass(frozen=True, slots=True)
class MonthView:
    key: str  # YYYY-MM
    label: str  # November 2026
    incidents: tuple[IncidentView, ...]
    maintenances: tuple[MaintenanceView, ...]
    summary: str | None  # "3 incidents · median time to resolve 1 h 05 min"


def lifecycle_text(summary: LifecycleSummary) -> str | None:
    if not summary.count:
        return None
    parts = [f"{summary.count} incident{'s' if summary.count != 1 else ''}"]
    if summary.median_time_to_identify is not None:
        parts.append(f"median time to identify {format_duration(summary.median_time_to_identify)}")
    if summary.median_time_to_resolve is not None:
        parts.append(f"median time to resolve {format_duration(summary.median_time_to_resolve)}")
    return " · ".join(parts)


@dataclass(frozen=True, slots=True)
class PageLink:
    number: int
    url: str


def make_environment(theme_dir: Path, bytecode_dir: Path | None = None) -> Environment:
    """The theme's templates; compiled templates are kept in `bytecode_dir` when given."""
    env = Environment(
        loader=FileSystemLoader(str(theme_dir / TEMPLATES)),
        bytecode_cache=FileSystemBytecodeCache(str(bytecode_dir)) if bytecode_dir else None,
        autoescape=select_autoescape(default=True, default_for_string=True),
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
        auto_reload=False,  # one environment per build: no need to stat templates per page
    )
    return env


def _local_date(moment: datetime, facts: Facts) -> date:
    return moment.astimezone(facts.content.site.timezone).date()


def _months_between(first: date, last: date) -> list[tuple[int, int]]:
    months = []
    year, month = last.year, last.month
    while (year, month) >= (first.year, first.month):
        months.append((year, month))
        year, month = (year, month - 1) if month > 1 else (year - 1, 12)
    return months


@dataclass(frozen=True, slots=True)
class Page:
    """One HTML page: where it goes, its template, and how to make its context.

    The context is made only when the page is rendered (on whichever worker renders it,
    or on request in the preview), so listing the pages costs next to nothing.
    """

    out: str  # output path in the site, e.g. incidents/<slug>/index.html
    template: str
    context: Callable[[], dict[str, Any]]


def _has_recovery_facts(component: Component) -> bool:
    """Whether the reliability page has a row to show for the component (see ComponentView)."""
    recovery = component.recovery
    return component.redundancy is not None or (recovery is not None and (bool(recovery.failover) or recovery.rto is not None or recovery.rpo is not None))


def out_path(url: str) -> str:
    out = url.lstrip("/")
    return out + "index.html" if out.endswith("/") or not out else out


class HtmlRenderer:
    """Lists the site's pages and renders any one of them with the theme's templates."""

    def __init__(self, facts: Facts, assets: tuple[Asset, ...], views: ViewBuilder) -> None:
        self.facts = facts
        self.views = views
        self.site = facts.content.site
        self._assets = {a.name: "/" + a.path for a in assets}

    def asset(self, name: str) -> str:
        return self._assets[name]

    def render(self, env: Environment, page: Page) -> str:
        return env.get_template(page.template).render(page.context())

    def _common(self, path: str, title: str | None, description: str) -> dict[str, Any]:
        return {
            **self._site_wide,
            "page_path": path,
            "canonical": self.site.url + path,
            "title": f"{title} · {self.site.name}" if title else f"{self.site.name} status",
            "description": description,
        }

    @cached_property
    def _site_wide(self) -> dict[str, Any]:
        """What every page's context shares, made once."""
        now_local = self.facts.now.astimezone(self.site.timezone)
        return {
            "site": self.site,
            "asset": self.asset,
            "timezone": self.site.timezone.key,
            "timezone_abbr": now_local.tzname(),
            "timezone_offset": offset_text(now_local),
            "generated": self.views.time(self.facts.now),
            "overall": self.facts.overall,
            "overall_icon": worst([state.status for state in self.facts.components]).value,
            "has_support": self.site.support is not None,
            "has_reliability": self.site.recovery is not None or any(c.redundancy or c.recovery for c in self.site.components),
            "feeds": feed_links(self.site.name),  # <link rel="alternate">; component pages add theirs
            "subscribe": subscription(self.site.name),
        }

    def _page(self, template: str, path: str, title: str | None, description: str, context: Callable[[], dict[str, Any]]) -> Page:
        return Page(out_path(path), template, lambda: {**self._common(path, title, description), **context()})

    def pages(self) -> list[Page]:
        """Every page of the site, home first."""
        facts = self.facts
        pages = [self.home()]
        for f in facts.incidents:
            pages.append(self.incident(f))
        for m in facts.maintenances:
            pages.append(self.maintenance(m))
        pages.extend(self.component(state) for state in facts.components)
        pages.extend(self.history())
        if self.site.support is not None:
            pages.append(self.support())
        if self.site.recovery is not None or any(_has_recovery_facts(c) for c in self.site.components):
            pages.append(self.reliability())
        pages.append(self._page("404.html", "/404.html", "Page not found", "This page does not exist.", dict))
        return pages

    def incident(self, f: IncidentFacts) -> Page:
        url = f"/incidents/{f.incident.slug}/"
        return Page(out_path(url), "incident.html", lambda: self._incident_context(f))

    def _incident_context(self, f: IncidentFacts) -> dict[str, Any]:
        view = self.views.incident(f)
        return {**self._common(view.url, view.title, f"{view.phase.label}: {view.title}"), "incident": view}

    def maintenance(self, m: MaintenanceFacts) -> Page:
        url = f"/maintenance/{m.maintenance.slug}/"
        return Page(out_path(url), "maintenance.html", lambda: self._maintenance_context(m))

    def _maintenance_context(self, m: MaintenanceFacts) -> dict[str, Any]:
        view = self.views.maintenance(m)
        description = f"Maintenance {view.status.label.lower()}: {view.title}"
        return {**self._common(view.url, view.title, description), "maintenance": view}

    def home(self) -> Page:
        return self._page("index.html", "/", None, f"{self.site.name}: {self.facts.overall.description}.", self._home_context)

    def _home_context(self) -> dict[str, Any]:
        facts, views = self.facts, self.views
        today = _local_date(facts.now, facts)
        days = []
        for offset in range(RECENT_DAYS):
            day = today - timedelta(days=offset)
            incidents = tuple(views.incident(f) for f in facts.incidents if _local_date(f.started_at, facts) == day)
            maintenances = tuple(
                views.maintenance(m) for m in facts.maintenances if not m.upcoming and _local_date(m.maintenance.scheduled_for, facts) == day
            )
            label = format_date(datetime(day.year, day.month, day.day, 12, tzinfo=self.site.timezone), self.site.timezone)
            days.append(DayView(day.isoformat(), label, incidents, maintenances))
        upcoming = sorted((m for m in facts.maintenances if m.upcoming), key=lambda m: m.maintenance.scheduled_for)
        return {
            "groups": views.groups(),
            "active_incidents": tuple(views.incident(f) for f in facts.ongoing),
            "active_maintenances": tuple(views.maintenance(m) for m in facts.maintenances if m.active),
            "upcoming_maintenances": tuple(views.maintenance(m) for m in upcoming),
            "days": tuple(days),
        }

    def support(self) -> Page:
        support = self.site.support
        assert support is not None
        return self._page(
            "support.html",
            "/support/",
            "Support",
            f"How to reach {self.site.name} support, when, and how to escalate.",
            lambda: {
                "windows": support_windows(support),
                "contacts": tuple(contact_view(name, value) for name, value in support.contacts),
                "escalation": support.escalation,
            },
        )

    def reliability(self) -> Page:
        """Redundancy, failover and recovery objectives of every component, and the DR plan."""
        recovery = self.site.recovery
        zone = self.site.timezone

        def context() -> dict[str, Any]:
            return {
                "components": tuple(self.views.component(state) for state in self.facts.components),
                "backups": recovery.backups if recovery else (),
                "disaster_recovery": self.views.markdown(recovery.disaster_recovery) if recovery and recovery.disaster_recovery else None,
                "last_tested": format_date(datetime.combine(recovery.last_tested, datetime.min.time(), zone), zone)
                if recovery and recovery.last_tested
                else None,
            }

        return self._page("reliability.html", "/reliability/", "Reliability", f"How {self.site.name} is built to survive failures, and how fast it recovers.", context)

    def component(self, state: ComponentState) -> Page:
        url = f"/components/{state.component.id}/"
        return Page(out_path(url), "component.html", lambda: self._component_context(state))

    def _component_context(self, state: ComponentState) -> dict[str, Any]:
        facts, views = self.facts, self.views
        component_id = state.component.id
        incidents: tuple[IncidentFacts, ...] = facts.incidents_by_component[component_id]
        view = views.component(state)
        return {
            **self._common(view.url, view.name, f"Status and history of {view.name}: {view.status.label.lower()}."),
            "component": view,
            "feeds": feed_links(self.site.name, (view.id, view.name)),
            "subscribe": subscription(self.site.name, (view.id, view.name)),
            "active_incidents": tuple(views.incident(f) for f in incidents if f.ongoing),
            "incidents": tuple(views.incident(f) for f in incidents),
            "maintenances": tuple(views.maintenance(m) for m in facts.maintenances_by_component[component_id]),
        }

    def history(self) -> list[Page]:
        """Past incidents by month, newest first, a few months per page; empty months say so."""
        facts = self.facts
        incidents_by_month: dict[tuple[int, int], list[IncidentFacts]] = {}
        for f in facts.incidents:
            d = _local_date(f.started_at, facts)
            incidents_by_month.setdefault((d.year, d.month), []).append(f)
        maintenances_by_month: dict[tuple[int, int], list[MaintenanceFacts]] = {}
        for m in facts.maintenances:
            if m.upcoming:
                continue
            d = _local_date(m.maintenance.scheduled_for, facts)
            maintenances_by_month.setdefault((d.year, d.month), []).append(m)
        today = _local_date(facts.now, facts)
        starts = [_local_date(f.started_at, facts) for f in facts.incidents]
        starts += [_local_date(m.maintenance.scheduled_for, facts) for m in facts.maintenances if not m.upcoming]
        first = min(starts + [today])
        months = _months_between(first, max(today, *starts) if starts else today)
        chunks = [months[i : i + MONTHS_PER_HISTORY_PAGE] for i in range(0, len(months), MONTHS_PER_HISTORY_PAGE)]
        links = tuple(PageLink(n, "/history/" if n == 1 else f"/history/{n}/") for n in range(1, len(chunks) + 1))

        def month_view(y: int, m: int) -> MonthView:
            incidents = incidents_by_month.get((y, m), [])
            return MonthView(
                f"{y:04d}-{m:02d}",
                date(y, m, 1).strftime("%B %Y"),
                tuple(self.views.incident(f) for f in incidents),
                tuple(self.views.maintenance(x) for x in maintenances_by_month.get((y, m), ())),
                lifecycle_text(summarise(incidents)),
            )

        def page(number: int, chunk: list[tuple[int, int]]) -> Page:
            return self._page(
                "history.html",
                links[number - 1].url,
                "Incident history" if number == 1 else f"Incident history, page {number}",
                f"Incidents and maintenance on {self.site.name}, by month.",
                lambda: {
                    "months": tuple(month_view(y, m) for y, m in chunk),
                    "page_number": number,
                    "page_links": links,
                    "newer": links[number - 2] if number > 1 else None,
                    "older": links[number] if number < len(links) else None,
                },
            )

        return [page(number, chunk) for number, chunk in enumerate(chunks, start=1)]
