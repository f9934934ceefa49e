"""Statuspage API v2 JSON → ImportedSite.

Any mix of the API's documents is accepted: summary.json, components.json, incidents.json,
incidents/<id>.json (`{page, incident}`), scheduled-maintenances.json, from files, folders
of them, or read from a live page's `/api/v2/`. What real exports hold is kept as it is:

- `at` is `display_at` (what readers saw), to the millisecond; updates are ordered by it.
- Bodies are kept as the service stored them (plain text, HTML, CRLF).
- An incident whose `scheduled_for` is set is a maintenance window.
- A `postmortem` update becomes post-mortem.md, published at its `display_at`.
- An update's `affected_components` become its component statuses; an entry with no `code`
  ("No components were affected by this update.") sets nothing.
- A component named by history but absent from the current component list (deleted, or
  renamed under a new id) is kept as `retired`: valid in old updates, off the page.
- A component that is a group (`group: true`) becomes the group name of its children.

The same incident read twice (a list and its own file) is taken once, the newest version
(`updated_at`) winning.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator
from datetime import datetime
from pathlib import Path
from typing import Any

from statusgen.importers import (
    ImportedComponent,
    ImportedIncident,
    ImportedMaintenance,
    ImportedSite,
    ImportedUpdate,
    ImportFailed,
)
from statusgen.text import slugify

Json = dict[str, Any]

INCIDENT_STATUSES = {"investigating", "identified", "monitoring", "resolved"}
MAINTENANCE_STATUSES = {"scheduled", "in_progress", "verifying", "completed"}
IMPACTS = {"none", "minor", "major", "critical"}
COMPONENT_STATUSES = {
    "operational",
    "degraded_performance",
    "partial_outage",
    "major_outage",
    "under_maintenance",
}
API_DOCUMENTS = ("summary.json", "incidents.json", "scheduled-maintenances.json")


def moment(value: Any, where: str) -> datetime:
    try:
        parsed = datetime.fromisoformat(str(value))
    except ValueError:
        raise ImportFailed(f"{where}: '{value}' is not a time") from None
    if parsed.utcoffset() is None:
        raise ImportFailed(f"{where}: '{value}' has no offset")
    return parsed


def read_documents(sources: Iterable[str]) -> list[tuple[str, Json]]:
    """Every JSON document named: a file, each *.json under a folder (sorted), or a page's
    root URL (its summary, incidents and scheduled maintenances)."""
    found: list[tuple[str, Json]] = []
    for source in sources:
        if source.startswith(("http://", "https://")):
            found += list(_fetched(source))
            continue
        path = Path(source)
        if path.is_dir():
            files = sorted(p for p in path.rglob("*.json") if p.is_file())
            if not files:
                raise ImportFailed(f"{source}: no .json file in this folder")
        elif path.is_file():
            files = [path]
        else:
            raise ImportFailed(f"{source}: no such file or folder")
        for file in files:
            found.append((str(file), _parse(file.read_bytes(), str(file))))
    return found


def _parse(data: bytes, where: str) -> Json:
    try:
        document = json.loads(data)
    except (UnicodeDecodeError, json.JSONDecodeError) as error:
        raise ImportFailed(f"{where}: not JSON ({error})") from None
    if not isinstance(document, dict):
        raise ImportFailed(f"{where}: not a Statuspage API document (no object at the top)")
    return document


def _fetched(root: str) -> Iterator[tuple[str, Json]]:
    from statusgen.importers.fetch import fetch

    for name in API_DOCUMENTS:
        url = f"{root.rstrip('/')}/api/v2/{name}"
        yield url, _parse(fetch(url), url)


def _incident_dicts(where: str, document: Json) -> Iterator[Json]:
    if isinstance(document.get("incident"), dict):
        yield document["incident"]
    for key in ("incidents", "scheduled_maintenances"):
        items = document.get(key)
        if isinstance(items, list):
            yield from (item for item in items if isinstance(item, dict))
    if not _has_incidents(document) and "components" not in document and "page" not in document:
        raise ImportFailed(f"{where}: not a Statuspage API v2 document")


def _components_of(documents: list[tuple[str, Json]]) -> dict[str, Json]:
    """The component list by id: from summary/components documents and the incidents' own
    lists (the newest version of each wins)."""
    listed: dict[str, tuple[str, Json]] = {}
    for _, document in documents:
        for item in document.get("components") or []:
            if isinstance(item, dict) and "id" in item:
                stamp = str(item.get("updated_at") or "")
                if item["id"] not in listed or stamp >= listed[item["id"]][0]:
                    listed[item["id"]] = (stamp, item)
        for incident in _incident_dicts("", document) if _has_incidents(document) else ():
            for item in incident.get("components") or []:
                if isinstance(item, dict) and "id" in item:
                    stamp = str(item.get("updated_at") or "")
                    if item["id"] not in listed or stamp > listed[item["id"]][0]:
                        listed[item["id"]] = (stamp, item)
    return {cid: item for cid, (_, item) in listed.items()}


def _has_incidents(document: Json) -> bool:
    return any(k in document for k in ("incident", "incidents", "scheduled_maintenances"))


def _unique_id(name: str, taken: set[str], fallback: str) -> str:
    base = slugify(name) or fallback
    unique, number = base, 2
    while unique in taken:
        unique, number = f"{base}-{number}", number + 1
    taken.add(unique)
    return unique


def _components(
    listed: dict[str, Json], named: dict[str, str]
) -> tuple[tuple[ImportedComponent, ...], dict[str, str]]:
    """Components in page order (position, then name as Statuspage sorts equal positions),
    groups as names, and retired ones for ids only history names. Returns them and the map
    from Statuspage id to statusgen id."""
    groups = {cid: str(c.get("name", "")) for cid, c in listed.items() if c.get("group")}
    group_position = {cid: c.get("position") or 0 for cid, c in listed.items() if c.get("group")}

    def order(item: Json) -> tuple[int, int, str]:
        parent = item.get("group_id")
        outer = (
            group_position.get(parent, item.get("position") or 0)
            if parent
            else item.get("position") or 0
        )
        inner = (item.get("position") or 0) if parent else 0
        return (int(outer), int(inner), str(item.get("name", "")))

    # A group's name is an id too (its URL, its API id): no component may take it.
    taken: set[str] = {slugify(name) for name in groups.values()}
    ids: dict[str, str] = {}
    found: list[ImportedComponent] = []
    for item in sorted((c for c in listed.values() if not c.get("group")), key=order):
        cid = str(item["id"])
        ours = _unique_id(str(item.get("name") or cid), taken, "component")
        ids[cid] = ours
        description = item.get("description")
        found.append(
            ImportedComponent(
                ours,
                str(item.get("name") or cid),
                cid,
                str(description).strip() or None if description else None,
                groups.get(item.get("group_id") or ""),
            )
        )
    # Named by history only: retired when the export lists the page's components (it was
    # deleted or renamed since); current when it lists none (an old export of incidents only).
    for cid, name in sorted(named.items(), key=lambda pair: pair[1]):
        if cid not in ids and cid not in groups:
            ours = _unique_id(name or cid, taken, "component")
            ids[cid] = ours
            found.append(ImportedComponent(ours, name or cid, cid, retired=bool(listed)))
    return tuple(found), ids


def _named_components(incidents: Iterable[Json]) -> dict[str, str]:
    """Every component id history names (with the latest name it had there)."""
    named: dict[str, str] = {}
    for incident in incidents:
        for item in incident.get("components") or []:
            if isinstance(item, dict) and item.get("id"):
                named[str(item["id"])] = str(item.get("name") or item["id"])
        for update in incident.get("incident_updates") or []:
            for affected in update.get("affected_components") or []:
                if isinstance(affected, dict) and affected.get("code"):
                    named.setdefault(str(affected["code"]), str(affected.get("name") or ""))
    return named


def _update(raw: Json, ids: dict[str, str], where: str) -> ImportedUpdate:
    at = moment(raw.get("display_at") or raw.get("created_at"), f"{where}: update {raw.get('id')}")
    components = []
    for affected in raw.get("affected_components") or []:
        code, status = affected.get("code"), affected.get("new_status")
        if code and status in COMPONENT_STATUSES and str(code) in ids:
            components.append((ids[str(code)], str(status)))
    return ImportedUpdate(
        str(raw.get("id") or at.isoformat()),
        at,
        str(raw.get("status") or ""),
        str(raw.get("body") or ""),
        tuple(dict(components).items()),
    )


def _incident(raw: Json, ids: dict[str, str], where: str) -> ImportedIncident:
    source_id = str(raw["id"])
    place = f"{where}: incident {source_id}"
    updates = sorted(
        (_update(u, ids, place) for u in raw.get("incident_updates") or []),
        key=lambda u: (u.at, u.source_id),
    )
    postmortems = [u for u in updates if u.status == "postmortem"]
    updates = [u for u in updates if u.status in INCIDENT_STATUSES]
    if not updates:
        raise ImportFailed(f"{place}: no update with a status statusgen knows")
    named = [str(c["id"]) for c in raw.get("components") or [] if isinstance(c, dict)]
    if not named:  # older exports: the components its updates named
        named = [cid for u in raw.get("incident_updates") or [] for cid in _codes(u)]
    components = tuple(dict.fromkeys(ids[c] for c in named if c in ids))
    impact = str(raw.get("impact") or "none")
    started = raw.get("started_at")
    return ImportedIncident(
        source_id,
        str(raw.get("name") or source_id),
        impact if impact in IMPACTS else "none",
        moment(raw.get("created_at") or updates[0].at.isoformat(), place),
        tuple(updates),
        components,
        moment(started, place) if started else None,
        postmortems[-1] if postmortems else None,
        (f"/incidents/{source_id}",),
    )


def _codes(update: Json) -> list[str]:
    return [
        str(a["code"])
        for a in update.get("affected_components") or []
        if isinstance(a, dict) and a.get("code")
    ]


def _maintenance(raw: Json, ids: dict[str, str], where: str) -> ImportedMaintenance:
    source_id = str(raw["id"])
    place = f"{where}: scheduled maintenance {source_id}"
    updates = tuple(
        sorted(
            (
                u
                for u in (_update(x, ids, place) for x in raw.get("incident_updates") or [])
                if u.status in MAINTENANCE_STATUSES
            ),
            key=lambda u: (u.at, u.source_id),
        )
    )
    named = [str(c["id"]) for c in raw.get("components") or [] if isinstance(c, dict)]
    if not named:
        named = [cid for u in raw.get("incident_updates") or [] for cid in _codes(u)]
    components = tuple(dict.fromkeys(ids[c] for c in named if c in ids))
    return ImportedMaintenance(
        source_id,
        str(raw.get("name") or source_id),
        moment(raw.get("created_at") or raw["scheduled_for"], place),
        moment(raw["scheduled_for"], place),
        moment(raw.get("scheduled_until") or raw["scheduled_for"], place),
        # The updates keep component statuses out: a window's impact is the contract's field.
        tuple(ImportedUpdate(u.source_id, u.at, u.status, u.body) for u in updates),
        components,
        old_paths=(f"/incidents/{source_id}",),
    )


def statuspage_site(documents: list[tuple[str, Json]]) -> ImportedSite:
    """The history the documents hold, as one site (the page of the first document that
    names one)."""
    page = next((d["page"] for _, d in documents if isinstance(d.get("page"), dict)), None)
    if page is None:
        raise ImportFailed("no document holds a 'page' (name, url, time_zone): add summary.json")
    newest: dict[str, tuple[str, Json, str]] = {}
    for where, document in documents:
        for raw in _incident_dicts(where, document):
            if "id" not in raw:
                raise ImportFailed(f"{where}: an incident without an id")
            stamp = str(raw.get("updated_at") or "")
            if raw["id"] not in newest or stamp > newest[raw["id"]][0]:
                newest[raw["id"]] = (stamp, raw, where)
    raws = [(raw, where) for _, raw, where in newest.values()]
    listed = _components_of(documents)
    components, ids = _components(listed, _named_components(raw for raw, _ in raws))
    incidents = [_incident(raw, ids, where) for raw, where in raws if not raw.get("scheduled_for")]
    maintenances = [
        _maintenance(raw, ids, where) for raw, where in raws if raw.get("scheduled_for")
    ]
    return ImportedSite(
        "statuspage",
        str(page.get("name") or "Status"),
        str(page.get("url") or "https://status.example.com").rstrip("/"),
        str(page.get("time_zone") or "Etc/UTC"),
        components,
        tuple(sorted(incidents, key=lambda i: (i.created_at, i.source_id))),
        tuple(sorted(maintenances, key=lambda m: (m.scheduled_for, m.source_id))),
    )
