"""What the on-call commands write, as values: a draft in, the new files' paths and text out.

A draft holds answers already parsed and checked (title, severity, components, times, the
message); turning it into files is pure (no prompt, no clock, no disk), so the exact text a
command writes is tested without a terminal. Asking for the answers is prompts.py's job,
writing the files publish.py's.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from statusgen.content.writer import (
    markdown_document,
    new_slug,
    next_update_name,
    replace_fields,
    translation_name,
)
from statusgen.derive.durations import duration_text
from statusgen.derive.incidents import IncidentFacts
from statusgen.model import (
    ComponentStatus,
    IncidentKind,
    IncidentStatus,
    MaintenanceStatus,
    Severity,
    Site,
)

NewFiles = list[tuple[Path, str]]
ComponentChanges = tuple[tuple[str, ComponentStatus], ...]  # in the order they were given


@dataclass(frozen=True, slots=True)
class UpdateDraft:
    """One update on an incident: `NN-status.md` in its folder."""

    at: datetime  # in the site timezone, to the second
    status: IncidentStatus
    components: ComponentChanges
    message: str
    next_update: datetime | None


@dataclass(frozen=True, slots=True)
class IncidentDraft:
    """A new incident: its incident.md and its first update."""

    title: str
    severity: Severity
    kind: IncidentKind
    first: UpdateDraft


@dataclass(frozen=True, slots=True)
class PostmortemDraft:
    """A post-mortem: postmortem.md beside the incident's updates."""

    published: datetime
    body: str


@dataclass(frozen=True, slots=True)
class MaintenanceDraft:
    """A new maintenance window: maintenance/<date-title>/maintenance.md."""

    title: str
    starts: datetime  # in the site timezone, to the second
    ends: datetime
    components: tuple[str, ...]
    impact: ComponentStatus
    message: str
    announced_at: datetime | None  # None for past work recorded afterwards


@dataclass(frozen=True, slots=True)
class MaintenanceUpdateDraft:
    """One update on a maintenance; `label` names the file when it is not the status
    (a rescheduled window keeps the phase the page shows, the file says `rescheduled`)."""

    at: datetime
    status: MaintenanceStatus
    message: str
    label: str = ""


@dataclass(frozen=True, slots=True)
class Translation:
    """One language's text for what a command writes: the title (of incident.md or
    maintenance.md) and the message (of the update, or maintenance.md's announcement)."""

    title: str | None = None
    message: str | None = None


Translations = Mapping[str, Translation]  # by language tag, in the order given


# ---- incidents ---------------------------------------------------------------------------------


def incident_slug(draft: IncidentDraft, taken: Iterable[str]) -> str:
    """The folder name: the day it was opened and the title's words, unique among `taken`."""
    return new_slug(draft.title, draft.first.at.date(), taken)


def new_incident_files(draft: IncidentDraft, folder: Path) -> NewFiles:
    """incident.md (title, severity, kind, components) and the first update, in `folder`."""
    meta: dict[str, Any] = {"title": draft.title, "severity": draft.severity.value}
    if draft.kind is not IncidentKind.INCIDENT:
        meta["kind"] = draft.kind.value
    if draft.first.components:
        meta["components"] = [component_id for component_id, _ in draft.first.components]
    return [
        (folder / "incident.md", markdown_document(meta, "")),
        *incident_update_files(draft.first, folder, []),
    ]


def incident_update_files(draft: UpdateDraft, folder: Path, existing: Iterable[str]) -> NewFiles:
    """The update's file, numbered after the `existing` update files' names."""
    meta: dict[str, Any] = {"at": draft.at, "status": draft.status.value}
    if draft.components:
        meta["components"] = {cid: status.value for cid, status in draft.components}
    if draft.next_update is not None:
        meta["next_update"] = draft.next_update
    name = next_update_name(existing, draft.status.value)
    return [(folder / name, markdown_document(meta, draft.message))]


def postmortem_files(draft: PostmortemDraft, folder: Path) -> NewFiles:
    return [
        (folder / "postmortem.md", markdown_document({"published": draft.published}, draft.body))
    ]


def names_of(site: Site, ids: Sequence[str]) -> str:
    """Component names as customers read them: `API`, `API and Web`, `API, Web and Email`."""
    names = [site.component(i).name for i in ids]
    if len(names) < 2:
        return "".join(names)
    return ", ".join(names[:-1]) + " and " + names[-1]


def default_message(status: IncidentStatus, site: Site, components: Sequence[str]) -> str:
    """A plain first draft for each phase, so that --yes always has something true to say."""
    affected = names_of(site, components)
    if status is IncidentStatus.INVESTIGATING:
        return (
            f"We are investigating problems with {affected}."
            if affected
            else "We are investigating reports of a problem."
        )
    if status is IncidentStatus.IDENTIFIED:
        return "We have identified the cause and are working on a fix."
    if status is IncidentStatus.MONITORING:
        return "A fix has been applied. We are monitoring the results."
    return "This incident has been resolved. Everything is operating normally."


def cadence_promise(site: Site, severity: Severity, at: datetime) -> datetime | None:
    """The next update the site's `update_cadence` promises, as the file will hold it.

    The page shows this promise whether or not an update names one, so the CLI writes it
    down: with or without prompts, the file holds what the page says.
    """
    cadence = site.cadence_for(severity)
    return (at + cadence).astimezone(site.timezone).replace(microsecond=0) if cadence else None


def first_line(markdown: str) -> str:
    """An update's text on one line, without emphasis marks, cut near 160 characters: a
    post-mortem timeline entry for its author to rewrite.

    Not the pages' `first_sentence` (render.views): a draft keeps the whole message, which
    the author shortens; a page shows customers only its first sentence.
    """
    text = " ".join(markdown.split())
    text = re.sub(r"[*_`]", "", text)
    return text if len(text) <= 160 else text[:157].rsplit(" ", 1)[0] + " …"


def postmortem_body(facts: IncidentFacts, site: Site) -> str:
    """Summary, Impact (duration and components from the updates), Timeline, Root cause, Follow-up.

    The timeline starts from the updates for the author to complete (what happened before the
    first update, what customers never saw); the incident page shows it instead of its own.
    """
    zone = site.timezone
    incident = facts.incident
    start = facts.started_at.astimezone(zone)
    end = (facts.resolved_at or facts.updated_at).astimezone(zone)
    # Customers know components by name: ids are for URLs and the API, never for the review.
    impacts = [
        f"- **{site.component(i.component_id).name}**: {i.worst.label.lower()} at worst"
        for i in facts.impacts
    ]
    timeline = [
        f"- **{u.at.astimezone(zone):%Y-%m-%d %H:%M}** — "
        f"{u.status.value.capitalize()}: {first_line(u.body)}"
        for u in incident.updates
    ]
    abbreviation = start.tzname() or zone.key
    offset = start.strftime("%z")
    duration = (
        f"- **Duration:** {duration_text(facts.duration)}, "
        f"from {start:%Y-%m-%d %H:%M} to {end:%Y-%m-%d %H:%M} {abbreviation}."
    )
    lines = [
        "## Summary",
        "",
        f"TODO: what happened, in two or three sentences, for customers. ({incident.title})",
        "",
        "## Impact",
        "",
        duration,
        *(impacts or ["- No component was marked as affected."]),
        "",
        "## Timeline",
        "",
        f"All times {abbreviation} (UTC{offset[:3]}:{offset[3:]}).",
        "",
        *timeline,
        "",
        "## Root cause",
        "",
        "TODO: why it happened, and why it was not caught earlier.",
        "",
        "## Follow-up actions",
        "",
        "- [planned] TODO: what we change so that it does not happen again — owner",
    ]
    return "\n".join(lines)


# ---- maintenance -------------------------------------------------------------------------------

MAINTENANCE_MESSAGES = {
    MaintenanceStatus.SCHEDULED: "The maintenance is scheduled as announced.",
    MaintenanceStatus.IN_PROGRESS: "The maintenance has started.",
    MaintenanceStatus.VERIFYING: (
        "The work is done. We are verifying that everything works as expected."
    ),
    MaintenanceStatus.COMPLETED: "The maintenance is complete. Everything is operating normally.",
}


def maintenance_slug(draft: MaintenanceDraft, taken: Iterable[str]) -> str:
    """The folder name: the window's first day (not the day it was announced) and the title."""
    return new_slug(draft.title, draft.starts.date(), taken, "maintenance")


def new_maintenance_files(draft: MaintenanceDraft, folder: Path) -> NewFiles:
    meta: dict[str, Any] = {
        "title": draft.title,
        "scheduled_for": draft.starts,
        "scheduled_until": draft.ends,
        "components": list(draft.components),
    }
    if draft.impact is not ComponentStatus.UNDER_MAINTENANCE:
        meta["impact"] = draft.impact.value
    if draft.announced_at is not None:
        meta["announced_at"] = draft.announced_at
    return [(folder / "maintenance.md", markdown_document(meta, draft.message))]


def maintenance_update_files(
    draft: MaintenanceUpdateDraft, folder: Path, existing: Iterable[str]
) -> NewFiles:
    """The update's file, numbered after the `existing` update files' names."""
    name = next_update_name(existing, draft.label or draft.status.value)
    meta = {"at": draft.at, "status": draft.status.value}
    return [(folder / name, markdown_document(meta, draft.message))]


def scheduled_message(site: Site, components: Sequence[str]) -> str:
    return f"We will perform scheduled maintenance on {names_of(site, components)}."


def window_text(starts: datetime, ends: datetime, zone: ZoneInfo) -> str:
    """`2026-12-01 02:00–04:00 CET`, or both dates when the window spans midnight."""
    start, end = starts.astimezone(zone), ends.astimezone(zone)
    if start.date() == end.date() and start.tzname() == end.tzname():
        return f"{start:%Y-%m-%d %H:%M}–{end:%H:%M %Z}"
    return f"{start:%Y-%m-%d %H:%M %Z} – {end:%Y-%m-%d %H:%M %Z}"


def cancelled_message(
    site: Site, window: tuple[datetime, datetime], components: Sequence[str]
) -> str:
    return (
        f"This maintenance ({window_text(*window, site.timezone)}) is cancelled. "
        f"{names_of(site, components)} will not be affected."
    )


def rescheduled_message(
    before: tuple[datetime, datetime], after: tuple[datetime, datetime], zone: ZoneInfo, why: str
) -> str:
    """The old and new windows first (what every reader needs), then the reason if any."""
    moved = f"Rescheduled from {window_text(*before, zone)} to {window_text(*after, zone)}."
    return moved + (f"\n\n{why.strip()}" if why.strip() else "")


def rescheduled_text(text: str, starts: datetime, ends: datetime) -> str:
    """maintenance.md with the new window, everything else as written (ValueError if the
    fields cannot be found as plain `key: value` lines)."""
    return replace_fields(text, {"scheduled_for": starts, "scheduled_until": ends})


# ---- translations ------------------------------------------------------------------------------


def translation_files(
    title_of: Path | None, message_of: Path | None, translations: Translations
) -> NewFiles:
    """Each language's `NAME.<lang>.md` siblings: the title beside `title_of`, the message
    beside `message_of` (one file when both are the same, as maintenance.md's are).

    A translation holds only what is translated (`title`, the body); every other field is
    absent, so it can never disagree with the original.
    """
    files: NewFiles = []
    for language, text in translations.items():
        texts: dict[Path, tuple[dict[str, Any], str]] = {}  # original → (frontmatter, body)
        if text.title is not None and title_of is not None:
            texts[title_of] = ({"title": text.title}, "")
        if text.message is not None and message_of is not None:
            texts[message_of] = (texts.get(message_of, ({}, ""))[0], text.message)
        files.extend(
            (original.with_name(translation_name(original.name, language)), markdown_document(*t))
            for original, t in texts.items()
        )
    return files
