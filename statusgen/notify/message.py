"""One event, told: what every channel needs to say it, in the site's language.

A message is built from the facts of the new build and one event of `/api/events.json`. It
describes the event as it happened (the update's own status, components and text), not the
incident's state now: when one deploy brings both "created" and "resolved", the first message
still says what the first update said. Channels only lay it out (Block Kit, Adaptive Card,
embed, e-mail); every word they show is here, translated once.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from statusgen.derive import Facts
from statusgen.derive.events import Event
from statusgen.derive.incidents import IncidentFacts, promised_after
from statusgen.derive.maintenance import MaintenanceFacts
from statusgen.model import (
    ComponentStatus,
    IncidentStatus,
    MaintenanceStatus,
    Severity,
    Site,
    worst,
)
from statusgen.render.api import component_nodes, incident_object, maintenance_object, page_object
from statusgen.render.language import N_, Language
from statusgen.render.markdown import MarkdownRenderer
from statusgen.render.views import MAINTENANCE_LABELS, PHASE_LABELS, STATUS_LABELS

HEADLINES = {
    "incident.created": N_("New incident"),
    "incident.updated": N_("Incident updated"),
    "incident.resolved": N_("Incident resolved"),
    "incident.postmortem": N_("Post-incident review published"),
    "maintenance.scheduled": N_("Maintenance scheduled"),
    "maintenance.started": N_("Maintenance started"),
    "maintenance.updated": N_("Maintenance updated"),
    "maintenance.completed": N_("Maintenance completed"),
    "maintenance.cancelled": N_("Maintenance cancelled"),
}
# Statuspage's colours for a component status, which chat tools show as a bar beside the text.
COLORS = {
    ComponentStatus.OPERATIONAL: "#2fcc66",
    ComponentStatus.UNDER_MAINTENANCE: "#3498db",
    ComponentStatus.DEGRADED_PERFORMANCE: "#f1c40f",
    ComponentStatus.PARTIAL_OUTAGE: "#e67e22",
    ComponentStatus.MAJOR_OUTAGE: "#e74c3c",
}
CANCELLED_COLOR = "#95a5a6"
# An incident that names no component is coloured by its severity.
SEVERITY_IMPACT = {
    Severity.NONE: ComponentStatus.OPERATIONAL,
    Severity.MINOR: ComponentStatus.DEGRADED_PERFORMANCE,
    Severity.MAJOR: ComponentStatus.PARTIAL_OUTAGE,
    Severity.CRITICAL: ComponentStatus.MAJOR_OUTAGE,
}
MAINTENANCE_PHASE = {
    "maintenance.scheduled": MaintenanceStatus.SCHEDULED,
    "maintenance.started": MaintenanceStatus.IN_PROGRESS,
    "maintenance.completed": MaintenanceStatus.COMPLETED,
    "maintenance.cancelled": MaintenanceStatus.CANCELLED,
}


@dataclass(frozen=True, slots=True)
class Words:
    """The interface words channels lay out around the content, in the message's language."""

    status: str
    severity: str
    affected: str
    actions: str
    window: str
    view: str
    footer: str


@dataclass(frozen=True, slots=True)
class ComponentLine:
    id: str
    name: str
    status: ComponentStatus | None  # None: named, with no status to tell (a future window)
    label: str  # the status in words, empty when None


@dataclass(frozen=True, slots=True)
class Message:
    event: Event
    site_name: str
    site_url: str
    language: str  # BCP 47 tag of the words and dates
    direction: str  # "ltr" or "rtl"
    headline: str  # what happened: "Incident resolved"
    title: str  # the incident's or maintenance's title, as written
    url: str  # its page, at the update the event comes from
    status: str  # Statuspage wire value after the event: investigating, in_progress, …
    status_label: str
    severity: Severity | None  # incidents only
    severity_label: str | None
    color: str  # '#rrggbb'
    components: tuple[ComponentLine, ...]  # as the event left them, in site order
    component_ids: tuple[str, ...]  # every component the incident or window touches (filters)
    body: str  # the update's Markdown as written (empty when the clock made the event)
    body_html: str  # the same, rendered and sanitised
    actions: tuple[str, ...]  # what customers must do (security incidents)
    at: datetime
    at_text: str
    window_text: str | None  # maintenance: from … to …
    next_update_text: str | None  # an open incident's promise, as of this update
    words: Words
    # The Statuspage-style objects the webhook channel posts, as /api/v2/ has them now.
    page: dict[str, Any] = field(repr=False)
    api_key: str = "incident"  # "incident" or "scheduled_maintenance"
    api_object: dict[str, Any] = field(default_factory=dict, repr=False)

    @property
    def subject(self) -> str:
        """A one-line summary: e-mail subject, notification preview, chat fallback text."""
        return f"[{self.site_name}] {self.headline}: {self.title}"


def words(lang: Language, site: Site) -> Words:
    _ = lang.gettext
    return Words(
        status=_("Status"),
        severity=_("Severity"),
        affected=_("Affected components"),
        actions=_("What you need to do"),
        window=_("Window"),
        view=_("View on the status page"),
        footer=_("Sent by the status page of %(name)s: %(url)s")
        % {"name": site.name, "url": site.url},
    )


def messages(facts: Facts, events: Iterable[Event], lang: Language) -> list[Message]:
    """A message per event, in the given order."""
    site = facts.content.site
    node_list = component_nodes(facts)
    nodes = {node.id: node for node in node_list}
    page = page_object(facts) | {
        "status_indicator": facts.overall.indicator.value,
        "status_description": facts.overall.description,
    }
    markdown = MarkdownRenderer()
    told = words(lang, site)
    incidents = {f.incident.slug: f for f in facts.incidents}
    maintenances = {m.maintenance.slug: m for m in facts.maintenances}
    found = []
    for event in events:
        common: dict[str, Any] = {
            "event": event,
            "site_name": site.name,
            "site_url": site.url,
            "language": lang.tag,
            "direction": lang.direction,
            "headline": lang.gettext(HEADLINES[event.type]),
            "at": event.at,
            "at_text": lang.time_text(event.at, site.timezone),
            "words": told,
            "page": page,
        }
        if event.subject == "incident":
            incident = incidents[event.slug]
            found.append(
                _incident_message(incident, event, lang, site, markdown, common)
                | {"api_object": incident_object(incident, nodes, facts)}
            )
        else:
            window = maintenances[event.slug]
            found.append(
                _maintenance_message(window, event, lang, site, markdown, common)
                | {
                    "api_key": "scheduled_maintenance",
                    "api_object": maintenance_object(window, nodes, facts),
                }
            )
    return [Message(**fields) for fields in found]


def _component_lines(
    site: Site, states: dict[str, ComponentStatus | None], lang: Language
) -> tuple[ComponentLine, ...]:
    """The named components in site order, each with its status in words."""
    return tuple(
        ComponentLine(
            c.id,
            c.name,
            states[c.id],
            lang.gettext(STATUS_LABELS[s]) if (s := states[c.id]) else "",
        )
        for c in site.components
        if c.id in states
    )


def _incident_message(
    facts: IncidentFacts,
    event: Event,
    lang: Language,
    site: Site,
    markdown: MarkdownRenderer,
    common: dict[str, Any],
) -> dict[str, Any]:
    incident = facts.incident
    index = next(
        (n for n, u in enumerate(incident.updates) if u.id == event.update),
        len(incident.updates) - 1,
    )
    update = incident.updates[index]
    states: dict[str, ComponentStatus | None] = dict.fromkeys(
        incident.components, ComponentStatus.OPERATIONAL
    )
    for made in facts.update_transitions[: index + 1]:
        states |= {t.component_id: t.new for t in made}
    postmortem = event.type == "incident.postmortem" and incident.postmortem is not None
    status = IncidentStatus.POSTMORTEM if postmortem else update.status
    if status in (IncidentStatus.RESOLVED, IncidentStatus.POSTMORTEM):
        impact = ComponentStatus.OPERATIONAL
    else:
        shown = [s for s in states.values() if s is not None]
        impact = worst(shown) if any(s.rank for s in shown) else SEVERITY_IMPACT[incident.severity]
    body = incident.postmortem.body if postmortem and incident.postmortem else update.body
    anchor = "#postmortem" if postmortem else f"#update-{update.id}"
    due = (
        None
        if status in (IncidentStatus.RESOLVED, IncidentStatus.POSTMORTEM)
        else promised_after(update, incident, site)
    )
    level = site.level(incident.severity)
    touched = set(incident.components) | {cid for u in incident.updates for cid, _ in u.components}
    return common | {
        "title": incident.title,
        "url": f"{site.url}/incidents/{incident.slug}/{anchor}",
        "status": status.value,
        "status_label": lang.gettext(PHASE_LABELS[status]),
        "severity": incident.severity,
        "severity_label": lang.gettext(level.name),
        "color": COLORS[impact],
        "components": _component_lines(site, states, lang),
        "component_ids": tuple(c.id for c in site.components if c.id in touched),
        "body": body,
        "body_html": (str(markdown(body) if postmortem else markdown.update(body)))
        if body.strip()
        else "",
        "actions": incident.customer_actions,
        "window_text": None,
        "next_update_text": lang.gettext("Next update by %(time)s")
        % {"time": lang.time_text(due, site.timezone)}
        if due is not None
        else None,
    }


def _maintenance_message(
    facts: MaintenanceFacts,
    event: Event,
    lang: Language,
    site: Site,
    markdown: MarkdownRenderer,
    common: dict[str, Any],
) -> dict[str, Any]:
    window = facts.maintenance
    update = next((u for u in window.updates if u.id == event.update), None)
    phase = update.status if update is not None else MAINTENANCE_PHASE.get(event.type)
    phase = phase or facts.status
    during = phase in (MaintenanceStatus.IN_PROGRESS, MaintenanceStatus.VERIFYING)
    state = window.impact if during else None
    if phase is MaintenanceStatus.COMPLETED:
        state = ComponentStatus.OPERATIONAL
    states: dict[str, ComponentStatus | None] = dict.fromkeys(window.components, state)
    if phase is MaintenanceStatus.CANCELLED:
        color = CANCELLED_COLOR
    else:
        color = COLORS[
            ComponentStatus.UNDER_MAINTENANCE if state is not ComponentStatus.OPERATIONAL else state
        ]
    body = (
        update.body
        if update is not None
        else (window.body if event.type == "maintenance.scheduled" else "")
    )
    zone = site.timezone
    span = lang.duration(window.scheduled_until - window.scheduled_for)
    window_text = lang.gettext("From %(start)s to %(end)s (%(duration)s).") % {
        "start": lang.time_text(window.scheduled_for, zone),
        "end": lang.time_text(window.scheduled_until, zone),
        "duration": span,
    }
    anchor = f"#update-{update.id}" if update is not None else ""
    return common | {
        "title": window.title,
        "url": f"{site.url}/maintenance/{window.slug}/{anchor}",
        "status": phase.value,
        "status_label": lang.gettext(MAINTENANCE_LABELS[phase]),
        "severity": None,
        "severity_label": None,
        "color": color,
        "components": _component_lines(site, states, lang),
        "component_ids": tuple(c.id for c in site.components if c.id in states),
        "body": body,
        "body_html": (str(markdown.update(body) if update is not None else markdown(body)))
        if body.strip()
        else "",
        "actions": (),
        "window_text": window_text,
        "next_update_text": None,
    }
