"""View models: what templates show, prepared in Python (formatted, sorted, linked).

Templates stay free of business logic; every value here is ready to print.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from functools import cache
from zoneinfo import ZoneInfo

from markupsafe import Markup, escape

from statusgen.derive import Facts
from statusgen.derive.incidents import IncidentFacts
from statusgen.derive.maintenance import MaintenanceFacts
from statusgen.derive.status import ComponentState
from statusgen.model import (
    ActionStatus,
    ComponentStatus,
    IncidentKind,
    IncidentStatus,
    MaintenanceStatus,
    Severity,
    SeverityLevel,
    Support,
)
from statusgen.render.markdown import MarkdownRenderer, plain_text
from statusgen.render.numbers import percent
from statusgen.render.times import (
    format_duration,
    format_short_duration,
    format_time,
    iso,
    offset_text,
)
from statusgen.render.uptime import Link, UptimeView, uptime_view

PHASE_LABELS = {
    IncidentStatus.INVESTIGATING: "Investigating",
    IncidentStatus.IDENTIFIED: "Identified",
    IncidentStatus.MONITORING: "Monitoring",
    IncidentStatus.RESOLVED: "Resolved",
    IncidentStatus.POSTMORTEM: "Post-mortem",
}
MAINTENANCE_LABELS = {
    MaintenanceStatus.SCHEDULED: "Scheduled",
    MaintenanceStatus.IN_PROGRESS: "In progress",
    MaintenanceStatus.VERIFYING: "Verifying",
    MaintenanceStatus.COMPLETED: "Completed",
    MaintenanceStatus.CANCELLED: "Cancelled",
}
ACTION_LABELS = {
    ActionStatus.OPEN: "Open",
    ActionStatus.IN_PROGRESS: "In progress",
    ActionStatus.DONE: "Done",
}


def first_sentence(text: str, limit: int = 160) -> str:
    """The gist of an update for a review's timeline: its first sentence, shortened."""
    text = " ".join(text.split())
    for end in (". ", "! ", "? "):
        if end in text:
            text = text[: text.index(end) + 1]
            break
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


_HEADING = re.compile(r"<h([1-6])\b[^>]*>(.*?)</h\1>", re.DOTALL)
_TIMELINE_WORD = re.compile(r"\btimeline\b", re.IGNORECASE)


def has_timeline(html: Markup) -> bool:
    """Whether rendered Markdown has a heading that names a timeline ("Timeline", "Detailed timeline")."""
    return any(_TIMELINE_WORD.search(plain_text(text)) for _, text in _HEADING.findall(str(html)))


DETECTED_BY_LABELS = {
    "monitoring": "our monitoring",
    "customer": "a customer report",
    "staff": "our staff",
    "third-party": "a third party",
}


# The small fragments every page repeats dozens of times (times, statuses, phases) are
# written here rather than by template macros: a macro call costs Jinja ten times more.
# The theme's macros (macros.html) return these, so a theme can still use them by name.


@dataclass(frozen=True, slots=True)
class TimeView:
    iso: str
    text: str  # in the site timezone, with its abbreviation
    title: str  # the same with the UTC offset, for the tooltip

    @property
    def html(self) -> Markup:
        """A <time> that the page's script rewrites into the reader's clock."""
        return Markup(
            f'<time datetime="{escape(self.iso)}" title="{escape(self.title)}" data-local>{escape(self.text)}</time>'
        )


@dataclass(frozen=True, slots=True)
class StatusView:
    key: str  # CSS class and icon name: the wire value
    label: str

    @property
    def icon_html(self) -> Markup:
        return Markup(
            f'<svg class="icon" aria-hidden="true" focusable="false"><use href="#icon-{escape(self.key)}"></use></svg>'
        )

    @property
    def badge_html(self) -> Markup:
        """A component's status: icon and words, never colour alone."""
        return Markup(
            f'<span class="status status-{escape(self.key)}">{self.icon_html}<span class="status-label">{escape(self.label)}</span></span>'
        )

    @property
    def phase_html(self) -> Markup:
        """An incident's or maintenance's phase."""
        return Markup(f'<span class="phase phase-{escape(self.key)}">{escape(self.label)}</span>')


@dataclass(frozen=True, slots=True)
class ComponentRef:
    id: str
    name: str
    url: str
    status: StatusView  # worst during the incident, or current status, as context says


@dataclass(frozen=True, slots=True)
class UpdateView:
    id: str
    status: StatusView
    at: TimeView
    message: Markup
    components: tuple[ComponentRef, ...]
    next_update: TimeView | None


@dataclass(frozen=True, slots=True)
class SeverityView:
    key: str  # the Statuspage impact: none, minor, major, critical
    label: str  # the team's name: "P1" or "Critical"
    meaning: str

    @property
    def html(self) -> Markup:
        return Markup(
            f'<span class="severity severity-{escape(self.key)}" title="{escape(self.meaning)}">'
            f'<span class="visually-hidden">Severity: </span>{escape(self.label)}</span>'
        )


# The few status, phase and severity values each have one view, made once per process and
# shared by every page: pure functions of the value, memoised with functools.cache.


@cache
def status_view(status: ComponentStatus) -> StatusView:
    """A component's status (also a maintenance's impact and a group's status)."""
    return StatusView(status.value, status.label)


@cache
def phase_view(phase: IncidentStatus) -> StatusView:
    """An incident's phase, or the phase an update announced."""
    return StatusView(phase.value, PHASE_LABELS[phase])


@cache
def maintenance_phase_view(status: MaintenanceStatus) -> StatusView:
    """A maintenance's phase, or the phase an update announced."""
    return StatusView(status.value, MAINTENANCE_LABELS[status])


@cache
def action_status_view(status: ActionStatus) -> StatusView:
    """A follow-up action's progress."""
    return StatusView(status.value, ACTION_LABELS[status])


@cache
def severity_view(level: SeverityLevel) -> SeverityView:
    """A severity under the site's name for it: the level (hashable) is the whole key."""
    return SeverityView(level.severity.value, level.name, level.meaning)


@dataclass(frozen=True, slots=True)
class ActionView:
    action: str
    owner: str | None
    status: StatusView
    due: str | None


@dataclass(frozen=True, slots=True)
class TimelineEntry:
    at: TimeView
    status: StatusView
    text: str  # the first sentence of the update, as plain text


@dataclass(frozen=True, slots=True)
class IncidentView:
    """An incident as pages and feeds show it: plain values, all made when the view is.

    Markdown is rendered up front (`MarkdownRenderer.prerender`), so the parts that take
    Markdown are lookups here; each view is built once per process (`ViewBuilder.incident`).
    """

    slug: str
    url: str
    title: str
    severity: SeverityView
    security: bool
    phase: StatusView
    ongoing: bool
    started: TimeView
    resolved: TimeView | None
    duration: str
    components: tuple[ComponentRef, ...]
    postmortem_published: TimeView | None
    next_update_due: TimeView | None
    detected_by: str | None
    time_to_identify: str | None
    time_to_resolve: str | None
    customer_actions: tuple[Markup, ...]  # inline Markdown: links and code read as such
    summary: Markup
    updates: tuple[UpdateView, ...]  # newest first
    latest: UpdateView
    postmortem: Markup | None
    follow_up: tuple[ActionView, ...]
    review_timeline: tuple[TimelineEntry, ...]  # oldest first, for the post-incident review


@dataclass(frozen=True, slots=True)
class MaintenanceView:
    slug: str
    url: str
    title: str
    status: StatusView
    starts: TimeView
    ends: TimeView
    duration: str
    components: tuple[ComponentRef, ...]
    impact: StatusView
    body: Markup
    updates: tuple[UpdateView, ...]  # newest first
    cancelled: TimeView | None = None  # when it was called off: the window did not take place


@dataclass(frozen=True, slots=True)
class ComponentView:
    id: str
    name: str
    url: str
    description: str | None
    group: str | None
    status: StatusView
    sla: str | None
    redundancy: str | None
    failover: str | None
    rto: str | None
    rpo: str | None
    since: str | None
    uptime: UptimeView


@dataclass(frozen=True, slots=True)
class GroupView:
    name: str | None  # None for components outside any group
    status: StatusView
    components: tuple[ComponentView, ...]


class ViewBuilder:
    """Turns derived facts into view models; one per build (holds the Markdown cache)."""

    def __init__(self, facts: Facts, markdown: MarkdownRenderer) -> None:
        self.facts = facts
        self.site = facts.content.site
        self.zone: ZoneInfo = self.site.timezone
        self.markdown = markdown
        self._names = {c.id: c.name for c in self.site.components}
        self._incident_titles = {f.incident.slug: f.incident.title for f in facts.incidents}
        # Pages and feeds ask for the same views: build each once.
        self._incidents: dict[str, IncidentView] = {}
        self._maintenances: dict[str, MaintenanceView] = {}
        self._components: dict[str, ComponentView] = {}
        self._maintenance_titles = {
            m.maintenance.slug: m.maintenance.title for m in facts.maintenances
        }

    def time(self, moment: datetime) -> TimeView:
        there = moment.astimezone(self.zone)
        text = format_time(there, self.zone)
        return TimeView(iso(there), text, f"{text} ({offset_text(there)}, {self.zone.key})")

    def ref(self, component_id: str, status: ComponentStatus) -> ComponentRef:
        return ComponentRef(
            component_id,
            self._names[component_id],
            f"/components/{component_id}/",
            status_view(status),
        )

    def update(
        self,
        update_id: str,
        status: StatusView,
        at: datetime,
        body: str,
        components: Sequence[tuple[str, ComponentStatus]] = (),
        next_update: datetime | None = None,
    ) -> UpdateView:
        return UpdateView(
            update_id,
            status,
            self.time(at),
            self.markdown(body),
            tuple(self.ref(cid, s) for cid, s in components),
            self.time(next_update) if next_update else None,
        )

    def incident(self, facts: IncidentFacts) -> IncidentView:
        view = self._incidents.get(facts.incident.slug)
        if view is None:
            view = self._incidents[facts.incident.slug] = self._incident(facts)
        return view

    def maintenance(self, facts: MaintenanceFacts) -> MaintenanceView:
        view = self._maintenances.get(facts.maintenance.slug)
        if view is None:
            view = self._maintenances[facts.maintenance.slug] = self._maintenance(facts)
        return view

    def component(self, state: ComponentState) -> ComponentView:
        view = self._components.get(state.component.id)
        if view is None:
            view = self._components[state.component.id] = self._component(state)
        return view

    def _incident(self, facts: IncidentFacts) -> IncidentView:
        incident = facts.incident
        postmortem = incident.postmortem
        postmortem_html = self.markdown(postmortem.body) if postmortem else None
        updates = tuple(
            self.update(
                u.id,
                phase_view(u.status),
                u.at,
                u.body,
                u.components,
                u.next_update,
            )
            for u in reversed(incident.updates)
        )
        return IncidentView(
            slug=incident.slug,
            url=f"/incidents/{incident.slug}/",
            title=incident.title,
            severity=self.severity(incident.severity),
            security=incident.kind is IncidentKind.SECURITY,
            phase=phase_view(facts.phase),
            ongoing=facts.ongoing,
            started=self.time(facts.started_at),
            resolved=self.time(facts.resolved_at) if facts.resolved_at else None,
            duration=format_duration(facts.duration),
            components=tuple(
                self.ref(i.component_id, i.current if facts.ongoing else i.worst)
                for i in facts.impacts
            ),
            postmortem_published=self.time(postmortem.published) if postmortem else None,
            next_update_due=self.time(facts.next_update_due) if facts.next_update_due else None,
            detected_by=DETECTED_BY_LABELS[incident.detected_by.value]
            if incident.detected_by
            else None,
            time_to_identify=format_duration(facts.time_to_identify)
            if facts.time_to_identify is not None
            else None,
            time_to_resolve=format_duration(facts.time_to_resolve)
            if facts.time_to_resolve is not None
            else None,
            customer_actions=tuple(self.markdown.inline(a) for a in incident.customer_actions),
            summary=self.markdown(incident.summary),
            updates=updates,
            latest=updates[0],
            postmortem=postmortem_html,
            follow_up=tuple(
                ActionView(
                    a.action,
                    a.owner,
                    action_status_view(a.status),
                    a.due.isoformat() if a.due else None,
                )
                for a in (postmortem.follow_up if postmortem else ())
            ),
            review_timeline=self._review_timeline(facts, postmortem_html),
        )

    def _review_timeline(
        self, facts: IncidentFacts, postmortem: Markup | None
    ) -> tuple[TimelineEntry, ...]:
        """The updates as the review's timeline, unless the post-mortem has a timeline of its own.

        A reader wants one timeline: the author's (which `statusgen incident postmortem` starts
        from the updates) knows what customers never saw, so it replaces the generated one.
        """
        if postmortem is None or has_timeline(postmortem):
            return ()
        return tuple(
            TimelineEntry(
                self.time(u.at),
                phase_view(u.status),
                first_sentence(plain_text(self.markdown(u.body))),
            )
            for u in facts.incident.updates
        )

    def severity(self, severity: Severity) -> SeverityView:
        return severity_view(self.site.level(severity))

    def _maintenance(self, facts: MaintenanceFacts) -> MaintenanceView:
        m = facts.maintenance
        return MaintenanceView(
            slug=m.slug,
            url=f"/maintenance/{m.slug}/",
            title=m.title,
            status=maintenance_phase_view(facts.status),
            starts=self.time(m.scheduled_for),
            ends=self.time(m.scheduled_until),
            duration=format_duration(m.scheduled_until - m.scheduled_for),
            components=tuple(self.ref(cid, m.impact) for cid in m.components),
            impact=status_view(m.impact),
            body=self.markdown(m.body),
            updates=tuple(
                self.update(u.id, maintenance_phase_view(u.status), u.at, u.body)
                for u in reversed(m.updates)
            ),
            cancelled=self.time(facts.cancelled_at) if facts.cancelled_at else None,
        )

    def _component(self, state: ComponentState) -> ComponentView:
        c = state.component
        recovery = c.recovery
        redundancy = None
        if c.redundancy is not None:
            redundancy = (
                "Single instance: a restart or host failure interrupts service"
                if c.redundancy == 1
                else f"{c.redundancy} instances on distinct hosts: the others keep serving if one fails"
            )
        return ComponentView(
            id=c.id,
            name=c.name,
            url=f"/components/{c.id}/",
            description=c.description,
            group=c.group,
            status=status_view(state.status),
            sla=percent(f"{c.sla:g}") if c.sla is not None else None,
            redundancy=redundancy,
            failover=recovery.failover.value.capitalize()
            if recovery and recovery.failover
            else None,
            rto=format_short_duration(recovery.rto)
            if recovery and recovery.rto is not None
            else None,
            rpo=format_short_duration(recovery.rpo)
            if recovery and recovery.rpo is not None
            else None,
            since=c.since.isoformat() if c.since else None,
            uptime=uptime_view(
                self.facts.uptime_of(c.id),
                lambda slug: Link(self._incident_titles[slug], f"/incidents/{slug}/"),
                lambda slug: Link(self._maintenance_titles[slug], f"/maintenance/{slug}/"),
            ),
        )

    def groups(self) -> tuple[GroupView, ...]:
        """Groups in the order their first component appears in site.yml."""
        return tuple(
            GroupView(
                group.name,
                status_view(group.status),
                tuple(self.component(s) for s in group.members),
            )
            for group in self.facts.groups
        )


# ---- support and reliability pages ------------------------------------------------------

WEEKDAY_NAMES = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")


@dataclass(frozen=True, slots=True)
class SupportWindowView:
    days: str  # "Mon–Fri"
    hours: str  # "09:00–18:00"
    weekdays: str  # "0 1 2 3 4" for the script (0 = Monday)
    opens: int  # minutes after local midnight, site time
    closes: int


@dataclass(frozen=True, slots=True)
class ContactView:
    name: str
    value: str
    href: str | None
    phone: bool = False  # the theme keeps a number on one line (class "tel")


def _days_text(weekdays: tuple[int, ...]) -> str:
    """Consecutive days as ranges: (0,1,2,3,4,6) → 'Mon–Fri, Sun'."""
    runs: list[list[int]] = []
    for day in weekdays:
        if runs and runs[-1][-1] == day - 1:
            runs[-1].append(day)
        else:
            runs.append([day])
    return ", ".join(
        WEEKDAY_NAMES[r[0]] if len(r) == 1 else f"{WEEKDAY_NAMES[r[0]]}–{WEEKDAY_NAMES[r[-1]]}"
        for r in runs
    )


def _clock(minutes: int) -> str:
    return f"{minutes // 60:02d}:{minutes % 60:02d}"


def support_windows(site_support: Support) -> tuple[SupportWindowView, ...]:
    return tuple(
        SupportWindowView(
            _days_text(w.weekdays),
            f"{_clock(w.opens)}–{_clock(w.closes)}",
            " ".join(map(str, w.weekdays)),
            w.opens,
            w.closes,
        )
        for w in site_support.hours
    )


# A phone number in running text: "+", a country code, then groups of digits joined by one
# space, dot or hyphen, perhaps with the "(0)" of a national trunk prefix. Only numbers written
# in international form are recognised in text: "0800 …" next to a date could be anything.
_PHONE_IN_TEXT = re.compile(r"(?<![\w+])\+\d{1,3}(?:[ .\-]?(?:\(0\)|\d+))+(?![\w+])")
# A contact value that is only a number may be national: digits, those separators, brackets.
_PHONE_VALUE = re.compile(r"\+?[\d .\-()]+")
# E.164 allows 15 digits; fewer than 6 is a code or a year, not a number to call.
_PHONE_DIGITS = range(6, 16)


def tel_href(number: str) -> str | None:
    """'tel:+33100000000' for '+33 (0)1 00 00 00 00' (RFC 3966 without visual separators)."""
    if number.startswith("+"):
        number = number.replace("(0)", "")
    digits = "".join(ch for ch in number if ch.isdigit())
    if len(digits) not in _PHONE_DIGITS:
        return None
    return "tel:" + ("+" if number.startswith("+") else "") + digits


def link_phone_numbers(text: str) -> Markup:
    """Escaped text in which each international phone number is a `tel:` link of class "tel"."""
    parts: list[str] = []
    position = 0
    for found in _PHONE_IN_TEXT.finditer(text):
        href = tel_href(found.group())
        if href is None:
            continue
        parts.append(escape(text[position : found.start()]))
        parts.append(f'<a class="tel" href="{escape(href)}">{escape(found.group())}</a>')
        position = found.end()
    parts.append(escape(text[position:]))
    return Markup("".join(parts))


def contact_view(name: str, value: str) -> ContactView:
    """Turn a contact into a link when its kind is clear: an address, a URL or a number."""
    label = name.replace("_", " ").capitalize()
    if value.startswith("tel:"):
        return ContactView(label, value.removeprefix("tel:"), value, phone=True)
    if value.startswith(("https://", "http://", "mailto:")):
        return ContactView(label, value.removeprefix("mailto:"), value)
    if "@" in value and " " not in value:
        return ContactView(label, value, f"mailto:{value}")
    href = tel_href(value) if _PHONE_VALUE.fullmatch(value) else None
    if href is not None:
        return ContactView(label, value, href, phone=True)
    return ContactView(label, value, None)
