"""LINT: promises the content makes to customers and is about to break, at "now".

Each rule is a pure function of the validated content and an explicit "now" that returns
warnings as ContentError values, so `statusgen lint` prints them like build errors. One rule
returns errors: a post-mortem that is still a draft (see `unfinished_postmortems`). Rules
never read files; where a finding is better pointed at a line of a Markdown body (a link),
the caller may pass `locate(path, needle) -> line` to find it.
"""

from __future__ import annotations

import difflib
import itertools
import re
from collections.abc import Callable, Iterator
from datetime import datetime, timedelta

from statusgen.derive.durations import duration_text
from statusgen.derive.incidents import impact_start, is_open, resolved_at
from statusgen.errors import ContentError, Level, Source
from statusgen.model import (
    ComponentStatus,
    Content,
    Incident,
    IncidentStatus,
    MaintenanceStatus,
    Severity,
)

Locate = Callable[[str, str], int | None]
Rule = Callable[[Content, datetime], list[ContentError]]

LONG_OPEN = timedelta(days=7)
POSTMORTEM_DUE = timedelta(days=5)
# Inline links `[text](/path)` and reference definitions `[name]: /path`.
_INLINE_LINK = re.compile(r"\]\(\s*<?([^)\s>]+)")
_REFERENCE_LINK = re.compile(r"^\s{0,3}\[[^\]]+\]:\s*<?(\S+?)>?(?:\s|$)", re.MULTILINE)
_INTERNAL_PAGE = re.compile(r"^/(incidents|components|maintenance)/([^/?#]+)")
# What `statusgen incident postmortem` leaves for the author to replace, as a word of its own.
_DRAFT_MARKER = re.compile(r"\bTODO\b")
KIND_NAMES = {"incidents": "incident", "components": "component", "maintenance": "maintenance"}


def _no_locate(path: str, needle: str) -> int | None:
    return None


def _ago(delta: timedelta) -> str:
    """The site's one duration wording (45 min, 3 h 10 min, 9 d 2 h), so lint and pages agree."""
    return duration_text(delta)


def _when(moment: datetime, content: Content) -> str:
    return moment.astimezone(content.site.timezone).isoformat(timespec="minutes")


def _warning(source: Source, field: str | None, message: str, hint: str) -> ContentError:
    return ContentError(source, field, message, hint, Level.WARNING)


def _ongoing(content: Content) -> Iterator[Incident]:
    return (incident for incident in content.incidents if is_open(incident))


def overdue_updates(
    content: Content, now: datetime, locate: Locate = _no_locate
) -> list[ContentError]:
    """An ongoing incident past its own `next_update`, else past the site's update cadence."""
    found = []
    for incident in _ongoing(content):
        latest = incident.updates[-1]
        if latest.at > now:
            continue  # dated in the future: reported as an error of its own
        if latest.next_update is not None and now > latest.next_update:
            found.append(
                _warning(
                    Source(
                        latest.source.path,
                        locate(latest.source.path, "next_update:") or latest.source.line,
                    ),
                    "next_update",
                    f"next update was promised for {_when(latest.next_update, content)}, {_ago(now - latest.next_update)} ago",
                    f"post an update: statusgen incident update {incident.slug}",
                )
            )
            continue
        cadence = content.site.cadence_for(incident.severity)
        if cadence is not None and now - latest.at > cadence and latest.next_update is None:
            found.append(
                _warning(
                    Source(
                        latest.source.path, locate(latest.source.path, "at:") or latest.source.line
                    ),
                    "at",
                    f"last update {_ago(now - latest.at)} ago; update_cadence promises one every {_ago(cadence)} for {incident.severity.value} incidents",
                    f"post an update: statusgen incident update {incident.slug}",
                )
            )
    return found


def long_open_incidents(content: Content, now: datetime) -> list[ContentError]:
    """An incident open for more than seven days is usually one somebody forgot to resolve."""
    found = []
    for incident in _ongoing(content):
        started = impact_start(incident)
        if now - started > LONG_OPEN:
            found.append(
                _warning(
                    incident.source,
                    None,
                    f"incident has been open for {_ago(now - started)}",
                    f"resolve it if it is over: statusgen incident resolve {incident.slug}",
                )
            )
    return found


def unfinished_maintenance(
    content: Content, now: datetime, within: timedelta | None = None
) -> list[ContentError]:
    """A window that has passed with no `completed` update shows as completed by the clock
    only. `within`: only windows that ended that recently (a build's reminder; lint names
    them all)."""
    found = []
    for maintenance in content.maintenances:
        if now < maintenance.scheduled_until:
            continue
        if within is not None and now - maintenance.scheduled_until > within:
            continue
        posted = [u for u in maintenance.updates if u.at <= now]
        if any(
            u.status in (MaintenanceStatus.COMPLETED, MaintenanceStatus.CANCELLED) for u in posted
        ):
            continue
        found.append(
            _warning(
                maintenance.source,
                "scheduled_until",
                f"the window ended at {_when(maintenance.scheduled_until, content)} and no update says it was completed",
                f"confirm it: statusgen maintenance update {maintenance.slug} --status completed",
            )
        )
    return found


def unused_components(content: Content, now: datetime) -> list[ContentError]:
    """A component no incident or maintenance ever names: a typo'd id, or one to remove.

    Only once the site has an incident: until then every component is unused, and saying so
    would only make a new site fail `lint --strict`.
    """
    if not content.incidents:
        return []
    used: set[str] = set()
    for incident in content.incidents:
        used.update(incident.components)
        for update in incident.updates:
            used.update(component_id for component_id, _ in update.components)
    for maintenance in content.maintenances:
        used.update(maintenance.components)
    return [
        _warning(
            component.source,
            "components",
            f"component '{component.id}' is not used by any incident or maintenance",
            "fine for a new site; otherwise check for a typo in its id, or remove it",
        )
        for component in content.site.components
        if component.id not in used
    ]


def missing_postmortems(content: Content, now: datetime) -> list[ContentError]:
    """Critical incidents owe customers a post-incident review within five days."""
    found = []
    for incident in content.incidents:
        if incident.severity is not Severity.CRITICAL or incident.postmortem is not None:
            continue
        resolved = resolved_at(incident)
        if resolved is not None and now - resolved > POSTMORTEM_DUE:
            found.append(
                _warning(
                    incident.source,
                    "severity",
                    f"critical incident resolved {_ago(now - resolved)} ago has no post-mortem",
                    f"write one: statusgen incident postmortem {incident.slug}",
                )
            )
    return found


def _shorten(text: str, limit: int = 70) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def unfinished_postmortems(
    content: Content, now: datetime, locate: Locate = _no_locate
) -> list[ContentError]:
    """A post-mortem that still holds a TODO marker is a draft: an error, one per marker line.

    The skeleton that `statusgen incident postmortem` writes marks what the author must write
    with TODO; published as it is, customers would read "TODO" in the review. An error (not a
    warning) makes `lint` fail, so CI stops the draft. `build` still publishes it: a build that
    fails in the middle of the next incident, over another incident's draft, is worse.
    """
    found = []
    for incident in content.incidents:
        postmortem = incident.postmortem
        if postmortem is None:
            continue
        path = postmortem.source.path
        drafts: list[tuple[str | None, str]] = [
            (None, line) for line in postmortem.body.splitlines() if _DRAFT_MARKER.search(line)
        ]
        for action in postmortem.follow_up:
            drafts.extend(
                ("follow_up", text)
                for text in (action.action, action.owner or "")
                if _DRAFT_MARKER.search(text)
            )
        for field, text in drafts:
            found.append(
                ContentError(
                    Source(path, locate(path, text.strip()) or postmortem.source.line),
                    field,
                    f"the post-mortem is still a draft: '{_shorten(text.strip())}'",
                    "write this part for customers, or remove the line; nothing marked TODO may be published",
                    Level.ERROR,
                )
            )
    return found


def _links(body: str) -> list[str]:
    return _INLINE_LINK.findall(body) + _REFERENCE_LINK.findall(body)


def broken_internal_links(
    content: Content, now: datetime, locate: Locate = _no_locate
) -> list[ContentError]:
    """Links to /incidents/<slug>/, /components/<id>/ or /maintenance/<slug>/ that do not exist."""
    pages = {
        "incidents": {i.slug for i in content.incidents},
        "components": {c.id for c in content.site.components},
        "maintenance": {m.slug for m in content.maintenances},
    }
    site_url = content.site.url
    texts: list[tuple[Source, str]] = []
    for incident in content.incidents:
        texts.append((incident.source, incident.summary))
        texts.extend(
            (Source(incident.source.path, incident.source.line), action)
            for action in incident.customer_actions
        )
        texts.extend((update.source, update.body) for update in incident.updates)
        if incident.postmortem is not None:
            texts.append((incident.postmortem.source, incident.postmortem.body))
    for maintenance in content.maintenances:
        texts.append((maintenance.source, maintenance.body))
        texts.extend((update.source, update.body) for update in maintenance.updates)
    found = []
    for source, body in texts:
        for target in _links(body):
            path = target.removeprefix(site_url) if target.startswith(site_url + "/") else target
            match = _INTERNAL_PAGE.match(path)
            if not match or match[2] in pages[match[1]]:
                continue
            kind, name = match[1], match[2]
            line = locate(source.path, target) or source.line
            close = difflib.get_close_matches(name, sorted(pages[kind]), n=1, cutoff=0.6)
            hint = (
                f"did you mean /{kind}/{close[0]}/?"
                if close
                else f"check the {KIND_NAMES[kind]} id in the link"
            )
            found.append(
                _warning(
                    Source(source.path, line),
                    "link",
                    f"link to {target}: there is no {KIND_NAMES[kind]} '{name}'",
                    hint,
                )
            )
    return found


def updates_out_of_file_order(content: Content, now: datetime) -> list[ContentError]:
    """An update dated before the update file before it (01.md, 02.md, …): the timeline is
    sorted by time, so a typo in a date silently moves the update to the wrong place."""
    found = []
    for incident in content.incidents:
        in_files = sorted(incident.updates, key=lambda update: update.source.path)
        for previous, update in itertools.pairwise(in_files):
            if update.at < previous.at:
                found.append(
                    _warning(
                        update.source,
                        "at",
                        f"update is dated {_when(update.at, content)}, before the file before it "
                        f"({previous.source.path.rsplit('/', 1)[-1]}, {_when(previous.at, content)})",
                        "check the date and offset; the page shows updates in time order, not file order",
                    )
                )
    return found


def updates_before_the_start(content: Content, now: datetime) -> list[ContentError]:
    """An update dated before the incident's `started_at`: a back-dated update (Statuspage
    allows them, and the page shows the impact from the earlier time), or a wrong offset."""
    found = []
    for incident in content.incidents:
        if incident.started_at is None:
            continue
        found += [
            _warning(
                update.source,
                "at",
                f"update is dated {_when(update.at, content)}, before the incident's started_at "
                f"({_when(incident.started_at, content)}): impact is shown from the update",
                "check the offset of both times; started_at is when impact began",
            )
            for update in incident.updates
            if update.at < incident.started_at
        ]
    return found


def resolutions_leaving_impact(content: Content, now: datetime) -> list[ContentError]:
    """A resolved update that sets a component to anything but operational: the incident's
    impact ends with it all the same (real histories hold them), which may not be meant."""
    return [
        _warning(
            update.source,
            f"components.{component_id}",
            f"the resolved update sets '{component_id}' to {status.value}; the incident's "
            "impact on it ends at the resolution all the same",
            "set it to operational, or keep the incident open (status: monitoring) while "
            "impact remains",
        )
        for incident in content.incidents
        for update in incident.updates
        if update.status is IncidentStatus.RESOLVED
        for component_id, status in update.components
        if status is not ComponentStatus.OPERATIONAL
    ]


RULES: tuple[Rule, ...] = (
    long_open_incidents,
    unfinished_maintenance,
    unused_components,
    missing_postmortems,
    updates_out_of_file_order,
    updates_before_the_start,
    resolutions_leaving_impact,
)


def lint(content: Content, now: datetime, locate: Locate = _no_locate) -> list[ContentError]:
    """Every lint finding (warnings, and errors for draft post-mortems), in rule order; the caller sorts and prints them."""
    if now.utcoffset() is None:
        raise ValueError("now must be timezone-aware")
    found: list[ContentError] = overdue_updates(content, now, locate)
    for rule in RULES:
        found.extend(rule(content, now))
    found.extend(broken_internal_links(content, now, locate))
    found.extend(unfinished_postmortems(content, now, locate))
    return found
