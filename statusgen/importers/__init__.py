"""IMPORT: another status page's history, as statusgen content.

Each source (statuspage.py: Statuspage API v2 JSON; cstate.py: a cState Hugo site) reads its
data into one `ImportedSite`, which says what the content should hold, in the source's own
words and times; writer.py turns it into site.yml, incident and maintenance folders, one file
per update, and `_redirects` for the old addresses. Keeping the two halves apart means every
source gets the same care with files: idempotent, never overwriting a hand edit, readable
slugs, and a record of what came from where (`.statusgen-import.json`).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime


@dataclass(frozen=True, slots=True)
class ImportedComponent:
    id: str  # statusgen's id: [a-z0-9-]+, unique
    name: str
    source_id: str  # the source's own id (Statuspage's component id, cState's system name)
    description: str | None = None
    group: str | None = None  # the group's name
    retired: bool = False  # named by old updates only: kept off the page, valid in history


@dataclass(frozen=True, slots=True)
class ImportedUpdate:
    source_id: str  # stable within its incident: matches an update on a later import
    at: datetime  # when readers saw it (Statuspage's display_at)
    status: str  # statusgen's update status: investigating … resolved; scheduled … completed
    body: str  # as the source holds it
    components: tuple[tuple[str, str], ...] = ()  # (component id, status) the update set


@dataclass(frozen=True, slots=True)
class ImportedIncident:
    source_id: str
    title: str
    severity: str  # none | minor | major | critical
    created_at: datetime  # first shown: names the folder's day
    updates: tuple[ImportedUpdate, ...]  # in time order
    components: tuple[str, ...] = ()  # the incident's components, in site order
    started_at: datetime | None = None
    postmortem: ImportedUpdate | None = None  # Statuspage's `postmortem` update
    old_paths: tuple[str, ...] = ()  # where the old site showed it: redirected to the new page
    summary: str = ""  # incident.md's body: shown above the timeline


@dataclass(frozen=True, slots=True)
class ImportedMaintenance:
    source_id: str
    title: str
    created_at: datetime  # announced
    scheduled_for: datetime
    scheduled_until: datetime
    updates: tuple[ImportedUpdate, ...]
    components: tuple[str, ...] = ()  # none: a notice only
    impact: str = "under_maintenance"
    body: str = ""
    old_paths: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class ImportedSite:
    source: str  # "statuspage" | "cstate": the manifest's section
    name: str
    url: str
    timezone: str
    components: tuple[ImportedComponent, ...]
    incidents: tuple[ImportedIncident, ...]
    maintenances: tuple[ImportedMaintenance, ...] = ()
    description: str | None = None


class ImportFailed(Exception):
    """A source that cannot be read or understood: the message names it and why."""
