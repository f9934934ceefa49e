"""View models: what templates show, prepared in Python (formatted, sorted, linked).

Templates stay free of business logic; every value here is ready to print.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from markupsafe import Markup, escape

from statusgen.derive import Facts
from statusgen.derive.incidents import IncidentFacts
from statusgen.derive.maintenance import MaintenanceFacts
from statusgen.derive.status import ComponentState
from statusgen.model import (
    DEFAULT_SEVERITY_LEVELS,
    ActionStatus,
    ComponentStatus,
    Failover,
    Incident,
    IncidentKind,
    IncidentStatus,
    Maintenance,
    MaintenanceStatus,
    Severity,
    SeverityLevel,
    Support,
    Translation,
)
from statusgen.render.fragments import Fragments
from statusgen.render.language import N_, Language, language
from statusgen.render.markdown import MarkdownRenderer, plain_text
from statusgen.render.times import iso, offset_text
from statusgen.render.uptime import Link, UptimeView, uptime_view

STATUS_LABELS = {
    ComponentStatus.OPERATIONAL: N_("Operational"),
    ComponentStatus.UNDER_MAINTENANCE: N_("Under maintenance"),
    ComponentStatus.DEGRADED_PERFORMANCE: N_("Degraded performance"),
    ComponentStatus.PARTIAL_OUTAGE: N_("Partial outage"),
    ComponentStatus.MAJOR_OUTAGE: N_("Major outage"),
}
PHASE_LABELS = {
    IncidentStatus.INVESTIGATING: N_("Investigating"),
    IncidentStatus.IDENTIFIED: N_("Identified"),
    IncidentStatus.MONITORING: N_("Monitoring"),
    IncidentStatus.RESOLVED: N_("Resolved"),
    IncidentStatus.POSTMORTEM: N_("Post-mortem"),
}
MAINTENANCE_LABELS = {
    MaintenanceStatus.SCHEDULED: N_("Scheduled"),
    MaintenanceStatus.IN_PROGRESS: N_("In progress"),
    MaintenanceStatus.VERIFYING: N_("Verifying"),
    MaintenanceStatus.COMPLETED: N_("Completed"),
    MaintenanceStatus.CANCELLED: N_("Cancelled"),
}
ACTION_LABELS = {
    ActionStatus.OPEN: N_("Open"),
    ActionStatus.IN_PROGRESS: N_("In progress"),
    ActionStatus.DONE: N_("Done"),
}
# The page's headline: Statuspage's wording of the rollup (the API keeps it in English).
OVERALL_LABELS = {
    "All Systems Operational": N_("All Systems Operational"),
    "Service Under Maintenance": N_("Service Under Maintenance"),
    "Major System Outage": N_("Major System Outage"),
    "Partial System Outage": N_("Partial System Outage"),
    "Minor Service Outage": N_("Minor Service Outage"),
    "Partially Degraded Service": N_("Partially Degraded Service"),
}
DETECTED_BY_LABELS = {
    "monitoring": N_("our monitoring"),
    "customer": N_("a customer report"),
    "staff": N_("our staff"),
    "third-party": N_("a third party"),
}
# The default severity levels' words (site.yml's own `severity_levels` are the team's text).
DEFAULT_SEVERITY_WORDS = (
    N_("No impact"),
    N_("Informational: no customer-visible impact."),
    N_("Minor"),
    N_("Degraded service or a small share of customers affected."),
    N_("Major"),
    N_("A service is disrupted for many customers."),
    N_("Critical"),
    N_("A core service is unavailable; updates every 15 minutes."),
)
FAILOVER_LABELS = {
    Failover.AUTOMATIC: N_("Automatic"),
    Failover.MANUAL: N_("Manual"),
    Failover.NONE: N_("None"),
}


def first_sentence(text: str, limit: int = 160) -> str:
    """The gist of an update for a review's timeline: its first sentence, shortened."""
    text = " ".join(text.split())
    for end in (". ", "! ", "? ", "。", "؟ "):
        if end in text:
            text = text[: text.index(end) + len(end.rstrip())]
            break
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


_HEADING = re.compile(r"<h([1-6])\b[^>]*>(.*?)</h\1>", re.DOTALL)
_TIMELINE_WORD = re.compile(r"\btimeline\b", re.IGNORECASE)


def has_timeline(html: Markup) -> bool:
    """Whether rendered Markdown has a heading that names a timeline ("Timeline", "Detailed timeline")."""
    return any(_TIMELINE_WORD.search(plain_text(text)) for _, text in _HEADING.findall(str(html)))


# The small fragments every page repeats dozens of times (times, statuses, phases, severity)
# are the theme's partials (templates/partials/), rendered once per distinct value by
# `Fragments` and kept in these views as ready HTML: a template prints `status.badge_html`
# without a call per use.


@dataclass(frozen=True, slots=True)
class TimeView:
    iso: str
    text: str  # in the site timezone, with its abbreviation
    title: str  # the same with the UTC offset, for the tooltip
    html: Markup  # partials/time.html: a <time> the page's script rewrites into the reader's clock


@dataclass(frozen=True, slots=True)
class StatusView:
    key: str  # CSS class and icon name: the wire value
    label: str
    icon_html: Markup  # partials/icon.html
    badge_html: Markup  # partials/status.html: a component's status, icon and words
    phase_html: Markup  # partials/phase.html: an incident's or maintenance's phase


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
    lang_attr: Markup  # ' lang="en"' when the message is the untranslated original


@dataclass(frozen=True, slots=True)
class SeverityView:
    key: str  # the Statuspage impact: none, minor, major, critical
    label: str  # the team's name: "P1" or "Critical"
    meaning: str
    html: Markup  # partials/severity.html


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
    lang_attr: Markup


@dataclass(frozen=True, slots=True)
class IncidentView:
    """An incident as pages and feeds show it: plain values, all made when the view is.

    Markdown is rendered up front (`MarkdownRenderer.prerender`), so the parts that take
    Markdown are lookups here; each view is built once per process (`ViewBuilder.incident`).
    """

    slug: str
    url: str
    title: str
    title_lang: Markup  # ' lang="en"' on a page in another language without a translation
    text_lang: Markup  # the same for the summary and the customer actions
    severity: SeverityView
    security: bool
    phase: StatusView
    ongoing: bool
    started: TimeView
    resolved: TimeView | None
    duration: str
    components: tuple[ComponentRef, ...]
    affected_text: str  # "API (major outage) and Website (partial outage)", for the review
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
    postmortem_lang: Markup
    follow_up: tuple[ActionView, ...]
    review_timeline: tuple[TimelineEntry, ...]  # oldest first, for the post-incident review


@dataclass(frozen=True, slots=True)
class MaintenanceView:
    slug: str
    url: str
    title: str
    title_lang: Markup
    text_lang: Markup
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
    """Turns derived facts into view models in one language; one per build and language.

    Views are built once (pages and feeds ask for the same ones), and so is each fragment's
    HTML: a status, a phase, a severity, a time (see `Fragments`).
    """

    def __init__(
        self,
        facts: Facts,
        markdown: MarkdownRenderer,
        lang: Language,
        fragments: Fragments,
        prefix: str = "",
    ) -> None:
        self.facts = facts
        self.site = facts.content.site
        self.zone: ZoneInfo = self.site.timezone
        self.markdown = markdown
        self.lang = lang
        self.fragments = fragments
        self.prefix = prefix  # "" for the site's first language, "/fr" for the others
        self._names = {c.id: c.name for c in self.site.components}
        self._incident_titles = {f.incident.slug: f.incident for f in facts.incidents}
        self._incidents: dict[str, IncidentView] = {}
        self._maintenances: dict[str, MaintenanceView] = {}
        self._components: dict[str, ComponentView] = {}
        self._times: dict[datetime, TimeView] = {}
        self._statuses: dict[tuple[str, str], StatusView] = {}
        self._severities: dict[SeverityLevel, SeverityView] = {}
        self._maintenance_titles = {m.maintenance.slug: m.maintenance for m in facts.maintenances}

    def url(self, path: str) -> str:
        """A site path in this language: '/incidents/x/' → '/fr/incidents/x/'."""
        return self.prefix + path

    def time(self, moment: datetime) -> TimeView:
        """A moment as pages show it; made once per moment (an update's time shows on its
        incident's page, in feeds and as pages' "as of" time). Equal instants are equal
        keys whatever their offset, and show alike: both are shown in the site's zone."""
        view = self._times.get(moment)
        if view is None:
            there = moment.astimezone(self.zone)
            text = self.lang.time_text(there, self.zone)
            title = f"{text} ({offset_text(there)}, {self.zone.key})"
            stamp = iso(there)
            view = TimeView(stamp, text, title, self.fragments.time(stamp, text, title))
            self._times[moment] = view
        return view

    def _status(self, kind: str, key: str, label: str) -> StatusView:
        view = self._statuses.get((kind, key))
        if view is None:
            words = self.lang.gettext(label)
            view = self._statuses[(kind, key)] = StatusView(
                key,
                words,
                self.fragments.icon(key),
                self.fragments.status(key, words),
                self.fragments.phase(key, words),
            )
        return view

    def status(self, status: ComponentStatus) -> StatusView:
        """A component's status (also a maintenance's impact and a group's status)."""
        return self._status("status", status.value, STATUS_LABELS[status])

    def phase(self, phase: IncidentStatus) -> StatusView:
        """An incident's phase, or the phase an update announced."""
        return self._status("phase", phase.value, PHASE_LABELS[phase])

    def maintenance_phase(self, status: MaintenanceStatus) -> StatusView:
        """A maintenance's phase, or the phase an update announced."""
        return self._status("maintenance", status.value, MAINTENANCE_LABELS[status])

    def action_status(self, status: ActionStatus) -> StatusView:
        """A follow-up action's progress."""
        return self._status("action", status.value, ACTION_LABELS[status])

    def overall_text(self, description: str) -> str:
        """The rollup's headline ("All Systems Operational") in this language."""
        return self.lang.gettext(OVERALL_LABELS.get(description, description))

    def ref(self, component_id: str, status: ComponentStatus) -> ComponentRef:
        return ComponentRef(
            component_id,
            self._names[component_id],
            self.url(f"/components/{component_id}/"),
            self.status(status),
        )

    def update(
        self,
        update_id: str,
        status: StatusView,
        at: datetime,
        body: str,
        components: Sequence[tuple[str, ComponentStatus]] = (),
        next_update: datetime | None = None,
        translations: tuple[Translation, ...] = (),
    ) -> UpdateView:
        text = self._translation(translations)
        return UpdateView(
            update_id,
            status,
            self.time(at),
            self.markdown.update(text.body if text else body),
            tuple(self.ref(cid, s) for cid, s in components),
            self.time(next_update) if next_update else None,
            self._mark(text is not None),
        )

    def _translation(self, translations: tuple[Translation, ...]) -> Translation | None:
        """The text in this page's language, if it is not the original's and one was written."""
        if self.lang.tag == self.site.language:
            return None
        wanted = self.lang.tag.casefold()
        return next((t for t in translations if t.language.casefold() == wanted), None)

    def _mark(self, translated_here: bool) -> Markup:
        """' lang="en"' for text shown in the original language on another language's page:
        a screen reader then reads it with the right voice, and a reader knows why. When the
        two languages are written in opposite directions (English on an Arabic page), the
        text keeps its own (' dir="ltr"'), so its punctuation stays where its author put it."""
        if translated_here or self.lang.tag == self.site.language:
            return Markup("")
        original = language(self.site.language).direction
        if original != self.lang.direction:
            return Markup(' lang="{}" dir="{}"').format(self.site.language, original)
        return Markup(' lang="{}"').format(self.site.language)

    def incident_title(self, incident: Incident) -> tuple[str, Markup]:
        """The incident's title in this language, and the lang attribute it needs."""
        text = self._translation(incident.translations)
        if text is not None and text.title:
            return text.title, Markup("")
        return incident.title, self._mark(False)

    def maintenance_title(self, maintenance: Maintenance) -> tuple[str, Markup]:
        text = self._translation(maintenance.translations)
        if text is not None and text.title:
            return text.title, Markup("")
        return maintenance.title, self._mark(False)

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
        text = self._translation(incident.translations)
        title, title_lang = self.incident_title(incident)
        postmortem_text = self._translation(postmortem.translations) if postmortem else None
        postmortem_html = (
            self.markdown(postmortem_text.body if postmortem_text else postmortem.body)
            if postmortem
            else None
        )
        components = tuple(
            self.ref(i.component_id, i.current if facts.ongoing else i.worst) for i in facts.impacts
        )
        updates = tuple(
            self.update(
                u.id,
                self.phase(u.status),
                u.at,
                u.body,
                u.components,
                u.next_update,
                u.translations,
            )
            for u in reversed(incident.updates)
        )
        return IncidentView(
            slug=incident.slug,
            url=self.url(f"/incidents/{incident.slug}/"),
            title=title,
            title_lang=title_lang,
            text_lang=self._mark(text is not None),
            severity=self.severity(incident.severity),
            security=incident.kind is IncidentKind.SECURITY,
            phase=self.phase(facts.phase),
            ongoing=facts.ongoing,
            started=self.time(facts.started_at),
            resolved=self.time(facts.resolved_at) if facts.resolved_at else None,
            duration=self.lang.duration(self._duration(facts)),
            components=tuple(
                self.ref(i.component_id, i.current if facts.ongoing else i.worst)
                for i in facts.impacts
            ),
            affected_text=self.lang.list_text([f"{c.name} ({c.status.label})" for c in components]),
            postmortem_published=self.time(postmortem.published) if postmortem else None,
            next_update_due=self.time(facts.next_update_due) if facts.next_update_due else None,
            detected_by=self.lang.gettext(DETECTED_BY_LABELS[incident.detected_by.value])
            if incident.detected_by
            else None,
            time_to_identify=self.lang.duration(facts.time_to_identify)
            if facts.time_to_identify is not None
            else None,
            time_to_resolve=self.lang.duration(facts.time_to_resolve)
            if facts.time_to_resolve is not None
            else None,
            customer_actions=tuple(
                self.markdown.inline(a)
                for a in (
                    text.customer_actions
                    if text and text.customer_actions is not None
                    else incident.customer_actions
                )
            ),
            summary=self.markdown(text.body if text else incident.summary),
            updates=updates,
            latest=updates[0],
            postmortem=postmortem_html,
            postmortem_lang=self._mark(postmortem_text is not None),
            follow_up=tuple(
                ActionView(
                    a.action,
                    a.owner,
                    self.action_status(a.status),
                    a.due.isoformat() if a.due else None,
                )
                for a in (postmortem.follow_up if postmortem else ())
            ),
            review_timeline=self._review_timeline(facts, postmortem_html),
        )

    def _duration(self, facts: IncidentFacts) -> timedelta:
        """To resolution; while ongoing, to the incident's own last moment (its latest update,
        or its promise once due), so that its pages change with it and with nothing else."""
        if not facts.ongoing:
            return facts.duration
        own = facts.incident.updates[-1].at
        due = facts.next_update_due
        if due is not None and own < due <= self.facts.now:
            own = due
        return own - facts.started_at

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
                self.phase(u.status),
                first_sentence(plain_text(self.markdown.update(text.body if text else u.body))),
                self._mark(text is not None),
            )
            for u in facts.incident.updates
            for text in (self._translation(u.translations),)
        )

    def severity(self, severity: Severity) -> SeverityView:
        """A severity under the site's name for it ("P1" or "Critical"), made once per level."""
        level = self.site.level(severity)
        view = self._severities.get(level)
        if view is None:
            name, meaning = level.name, level.meaning
            if level in DEFAULT_SEVERITY_LEVELS:  # statusgen's words, not the team's
                name, meaning = self.lang.gettext(name), self.lang.gettext(meaning)
            view = self._severities[level] = SeverityView(
                level.severity.value,
                name,
                meaning,
                self.fragments.severity(level.severity.value, name, meaning),
            )
        return view

    def _maintenance(self, facts: MaintenanceFacts) -> MaintenanceView:
        m = facts.maintenance
        text = self._translation(m.translations)
        title, title_lang = self.maintenance_title(m)
        return MaintenanceView(
            slug=m.slug,
            url=self.url(f"/maintenance/{m.slug}/"),
            title=title,
            title_lang=title_lang,
            text_lang=self._mark(text is not None),
            status=self.maintenance_phase(facts.status),
            starts=self.time(m.scheduled_for),
            ends=self.time(m.scheduled_until),
            duration=self.lang.duration(m.scheduled_until - m.scheduled_for),
            components=tuple(self.ref(cid, m.impact) for cid in m.components),
            impact=self.status(m.impact),
            body=self.markdown(text.body if text else m.body),
            updates=tuple(
                self.update(
                    u.id,
                    self.maintenance_phase(u.status),
                    u.at,
                    u.body,
                    translations=u.translations,
                )
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
                self.lang.gettext("Single instance: a restart or host failure interrupts service")
                if c.redundancy == 1
                else self.lang.ngettext(
                    "%(count)s instance on distinct hosts: the others keep serving if one fails",
                    "%(count)s instances on distinct hosts: the others keep serving if one fails",
                    c.redundancy,
                )
                % {"count": self.lang.number(c.redundancy)}
            )
        return ComponentView(
            id=c.id,
            name=c.name,
            url=self.url(f"/components/{c.id}/"),
            description=c.description,
            group=c.group,
            status=self.status(state.status),
            sla=self.lang.percent(f"{c.sla:g}") if c.sla is not None else None,
            redundancy=redundancy,
            failover=self.lang.gettext(FAILOVER_LABELS[recovery.failover])
            if recovery and recovery.failover
            else None,
            rto=self.lang.short_duration(recovery.rto)
            if recovery and recovery.rto is not None
            else None,
            rpo=self.lang.short_duration(recovery.rpo)
            if recovery and recovery.rpo is not None
            else None,
            since=c.since.isoformat() if c.since else None,
            uptime=uptime_view(
                self.facts.uptime_of(c.id),
                self.lang,
                lambda slug: Link(
                    *self.incident_title(self._incident_titles[slug]),
                    self.url(f"/incidents/{slug}/"),
                ),
                lambda slug: Link(
                    *self.maintenance_title(self._maintenance_titles[slug]),
                    self.url(f"/maintenance/{slug}/"),
                ),
            ),
        )

    def groups(self) -> tuple[GroupView, ...]:
        """Groups in the order their first component appears in site.yml."""
        return tuple(
            GroupView(
                group.name,
                self.status(group.status),
                tuple(self.component(s) for s in group.members),
            )
            for group in self.facts.groups
        )


# ---- support and reliability pages ------------------------------------------------------


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


def _days_text(weekdays: tuple[int, ...], names: tuple[str, ...]) -> str:
    """Consecutive days as ranges: (0,1,2,3,4,6) → 'Mon–Fri, Sun' (names: CLDR's, Monday first)."""
    runs: list[list[int]] = []
    for day in weekdays:
        if runs and runs[-1][-1] == day - 1:
            runs[-1].append(day)
        else:
            runs.append([day])
    return ", ".join(names[r[0]] if len(r) == 1 else f"{names[r[0]]}–{names[r[-1]]}" for r in runs)


def _clock(minutes: int) -> str:
    return f"{minutes // 60:02d}:{minutes % 60:02d}"


def support_windows(site_support: Support, lang: Language) -> tuple[SupportWindowView, ...]:
    names = lang.weekday_names()
    return tuple(
        SupportWindowView(
            _days_text(w.weekdays, names),
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
