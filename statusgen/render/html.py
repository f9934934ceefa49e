"""HTML pages of the status site, rendered with the theme's Jinja2 templates."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Any

from jinja2 import Environment, FileSystemBytecodeCache, FileSystemLoader, StrictUndefined, select_autoescape

from statusgen.derive import Facts
from statusgen.derive.incidents import IncidentFacts
from statusgen.derive.lifecycle import LifecycleSummary, summarise
from statusgen.model import worst
from statusgen.render.files import SiteFiles
from statusgen.render.pages import PageJob, render_jobs
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


class HtmlRenderer:
    def __init__(self, facts: Facts, make_env: Callable[[], Environment], assets: tuple[Asset, ...], views: ViewBuilder) -> None:
        self.facts = facts
        self.make_env = make_env
        self.views = views
        self.site = facts.content.site
        self._assets = {a.name: "/" + a.path for a in assets}
        self._incident_views = {f.incident.slug: self.views.incident(f) for f in facts.incidents}
        self._maintenance_views = {m.maintenance.slug: self.views.maintenance(m) for m in facts.maintenances}

    def asset(self, name: str) -> str:
        return self._assets[name]

    def _common(self, path: str, title: str | None, description: str) -> dict[str, Any]:
        now_local = self.facts.now.astimezone(self.site.timezone)
        return {
            "site": self.site,
            "asset": self.asset,
            "page_path": path,
            "canonical": self.site.url + path,
            "title": f"{title} · {self.site.name}" if title else f"{self.site.name} status",
            "description": description,
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

    def _render(self, files: SiteFiles, template: str, path: str, title: str | None, description: str, **context: Any) -> None:
        """Queue a page; `render` renders the queue, on several cores when it pays."""
        out = path.lstrip("/")
        out = out + "index.html" if out.endswith("/") or not out else out
        self._jobs.append(PageJob(template, out, {**self._common(path, title, description), **context}))

    def render(self, files: SiteFiles, workers: int = 1) -> None:
        self._jobs: list[PageJob] = []
        self.queue(files)
        for job, html in zip(self._jobs, render_jobs(self._jobs, self.make_env, workers), strict=True):
            files.add(job.out, html)

    def queue(self, files: SiteFiles) -> None:
        self.home(files)
        for view in self._incident_views.values():
            self._render(files, "incident.html", view.url, view.title, f"{view.phase.label}: {view.title}", incident=view)
        for view in self._maintenance_views.values():
            self._render(files, "maintenance.html", view.url, view.title, f"Maintenance {view.status.label.lower()}: {view.title}", maintenance=view)
        self.components(files)
        self.history(files)
        self.support(files)
        self.reliability(files)
        self._render(files, "404.html", "/404.html", "Page not found", "This page does not exist.")

    def home(self, files: SiteFiles) -> None:
        facts = self.facts
        today = _local_date(facts.now, facts)
        days = []
        for offset in range(RECENT_DAYS):
            day = today - timedelta(days=offset)
            incidents = tuple(self._incident_views[f.incident.slug] for f in facts.incidents if _local_date(f.started_at, facts) == day)
            maintenances = tuple(
                self._maintenance_views[m.maintenance.slug]
                for m in facts.maintenances
                if not m.upcoming and _local_date(m.maintenance.scheduled_for, facts) == day
            )
            label = format_date(datetime(day.year, day.month, day.day, 12, tzinfo=self.site.timezone), self.site.timezone)
            days.append(DayView(day.isoformat(), label, incidents, maintenances))
        upcoming = sorted((m for m in facts.maintenances if m.upcoming), key=lambda m: m.maintenance.scheduled_for)
        self._render(
            files,
            "index.html",
            "/",
            None,
            f"{self.site.name}: {facts.overall.description}.",
            groups=self.views.groups(),
            active_incidents=tuple(self._incident_views[f.incident.slug] for f in facts.ongoing),
            active_maintenances=tuple(self._maintenance_views[m.maintenance.slug] for m in facts.maintenances if m.active),
            upcoming_maintenances=tuple(self._maintenance_views[m.maintenance.slug] for m in upcoming),
            days=tuple(days),
        )

    def support(self, files: SiteFiles) -> None:
        support = self.site.support
        if support is None:
            return
        self._render(
            files,
            "support.html",
            "/support/",
            "Support",
            f"How to reach {self.site.name} support, when, and how to escalate.",
            windows=support_windows(support),
            contacts=tuple(contact_view(name, value) for name, value in support.contacts),
            escalation=support.escalation,
        )

    def reliability(self, files: SiteFiles) -> None:
        """Redundancy, failover and recovery objectives of every component, and the DR plan."""
        recovery = self.site.recovery
        components = tuple(self.views.component(state) for state in self.facts.components)
        if recovery is None and not any(c.redundancy or c.failover or c.rto or c.rpo for c in components):
            return
        self._render(
            files,
            "reliability.html",
            "/reliability/",
            "Reliability",
            f"How {self.site.name} is built to survive failures, and how fast it recovers.",
            components=components,
            backups=recovery.backups if recovery else (),
            disaster_recovery=self.views.markdown(recovery.disaster_recovery) if recovery and recovery.disaster_recovery else None,
            last_tested=format_date(datetime.combine(recovery.last_tested, datetime.min.time(), self.site.timezone), self.site.timezone) if recovery and recovery.last_tested else None,
        )

    def components(self, files: SiteFiles) -> None:
        for state in self.facts.components:
            component_id = state.component.id
            incidents: tuple[IncidentFacts, ...] = self.facts.incidents_by_component[component_id]
            view = self.views.component(state)
            self._render(
                files,
                "component.html",
                view.url,
                view.name,
                f"Status and history of {view.name}: {view.status.label.lower()}.",
                component=view,
                feeds=feed_links(self.site.name, (view.id, view.name)),
                subscribe=subscription(self.site.name, (view.id, view.name)),
                active_incidents=tuple(self._incident_views[f.incident.slug] for f in incidents if f.ongoing),
                incidents=tuple(self._incident_views[f.incident.slug] for f in incidents),
                maintenances=tuple(self._maintenance_views[m.maintenance.slug] for m in self.facts.maintenances_by_component[component_id]),
            )

    def history(self, files: SiteFiles) -> None:
        """Past incidents by month, newest first, a few months per page; empty months say so."""
        facts = self.facts
        by_month: dict[tuple[int, int], list[IncidentView]] = {}
        facts_by_month: dict[tuple[int, int], list[IncidentFacts]] = {}
        for f in facts.incidents:
            d = _local_date(f.started_at, facts)
            by_month.setdefault((d.year, d.month), []).append(self._incident_views[f.incident.slug])
            facts_by_month.setdefault((d.year, d.month), []).append(f)
        maint_by_month: dict[tuple[int, int], list[MaintenanceView]] = {}
        for m in facts.maintenances:
            if m.upcoming:
                continue
            d = _local_date(m.maintenance.scheduled_for, facts)
            maint_by_month.setdefault((d.year, d.month), []).append(self._maintenance_views[m.maintenance.slug])
        today = _local_date(facts.now, facts)
        starts = [_local_date(f.started_at, facts) for f in facts.incidents]
        starts += [_local_date(m.maintenance.scheduled_for, facts) for m in facts.maintenances if not m.upcoming]
        first = min(starts + [today])
        months = [
            MonthView(
                f"{y:04d}-{m:02d}",
                date(y, m, 1).strftime("%B %Y"),
                tuple(by_month.get((y, m), ())),
                tuple(maint_by_month.get((y, m), ())),
                lifecycle_text(summarise(facts_by_month.get((y, m), []))),
            )
            for y, m in _months_between(first, max(today, *starts) if starts else today)
        ]
        pages = [months[i : i + MONTHS_PER_HISTORY_PAGE] for i in range(0, len(months), MONTHS_PER_HISTORY_PAGE)]
        links = [PageLink(n, "/history/" if n == 1 else f"/history/{n}/") for n in range(1, len(pages) + 1)]
        for number, page_months in enumerate(pages, start=1):
            self._render(
                files,
                "history.html",
                links[number - 1].url,
                "Incident history" if number == 1 else f"Incident history, page {number}",
                f"Incidents and maintenance on {self.site.name}, by month.",
                months=tuple(page_months),
                page_number=number,
                page_links=tuple(links),
                newer=links[number - 2] if number > 1 else None,
                older=links[number] if number < len(links) else None,
            )
