"""An ImportedSite → content files, again and again without harm.

Import is run more than once: a team exports again after a few more incidents, or imports
first and edits later. So:

- A file whose text would not change is not touched (a second import with the same sources
  changes no file, not even its time).
- A file statusgen wrote and nobody edited since (its SHA-256 is the one recorded in the
  manifest) is rewritten when the source says something new.
- A file somebody edited, or created by hand where the import wanted to write, is never
  overwritten: it is reported as a conflict, with the path.
- A file statusgen wrote and somebody deleted stays deleted (reported).

The manifest, `.statusgen-import.json` in the content folder (hidden: the build never reads
it), maps each source id to its folder and file names, so that a later import puts a new
update beside the old ones and keeps every slug, and records what was written.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from statusgen.content.writer import (
    MAX_SLUG_LENGTH,
    dump_yaml,
    markdown_document,
    new_slug,
    write_atomic,
)
from statusgen.importers import (
    ImportedIncident,
    ImportedMaintenance,
    ImportedSite,
    ImportedUpdate,
)
from statusgen.text import slugify

MANIFEST = ".statusgen-import.json"
REDIRECTS = "_redirects"
VERSION = 1


@dataclass
class ImportReport:
    written: list[str] = field(default_factory=list)  # created
    rewritten: list[str] = field(default_factory=list)  # ours, unedited, the source changed
    unchanged: int = 0
    conflicts: list[tuple[str, str]] = field(default_factory=list)  # (path, why)
    incidents: int = 0
    maintenances: int = 0
    updates: int = 0
    components: int = 0


@dataclass
class Manifest:
    """What earlier imports wrote: folders and file names by source id, and file hashes."""

    subjects: dict[str, dict[str, Any]] = field(default_factory=dict)  # "incident:<sid>" → entry
    hashes: dict[str, str] = field(default_factory=dict)  # relative path → sha256 of our text

    @classmethod
    def load(cls, root: Path, source: str) -> Manifest:
        path = root / MANIFEST
        if not path.is_file():
            return cls()
        document = json.loads(path.read_text(encoding="utf-8"))
        section = document.get("sources", {}).get(source, {})
        return cls(dict(section.get("subjects", {})), dict(document.get("files", {})))

    def save(self, root: Path, source: str) -> None:
        path = root / MANIFEST
        document: dict[str, Any] = (
            json.loads(path.read_text(encoding="utf-8")) if path.is_file() else {}
        )
        document["version"] = VERSION
        document.setdefault("sources", {})[source] = {
            "subjects": dict(sorted(self.subjects.items()))
        }
        document["files"] = dict(sorted(self.hashes.items()))
        text = json.dumps(document, indent=1, ensure_ascii=False) + "\n"
        if not path.is_file() or path.read_text(encoding="utf-8") != text:
            write_atomic(path, text)


def digest(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def _put(root: Path, relative: str, text: str, manifest: Manifest, report: ImportReport) -> None:
    """Write one file by the rules of the module docstring."""
    path = root / relative
    recorded = manifest.hashes.get(relative)
    if path.is_file():
        current = path.read_text(encoding="utf-8")
        if current == text:
            report.unchanged += 1
            manifest.hashes[relative] = digest(text)
            return
        if recorded != digest(current):
            why = "edited since the last import" if recorded else "not written by an import"
            report.conflicts.append((relative, f"{why}: left as it is"))
            return
        write_atomic(path, text)
        report.rewritten.append(relative)
    elif recorded is not None:
        report.conflicts.append((relative, "deleted since the last import: not recreated"))
        return
    else:
        path.parent.mkdir(parents=True, exist_ok=True)
        write_atomic(path, text)
        report.written.append(relative)
    manifest.hashes[relative] = digest(text)


def site_yml(site: ImportedSite) -> str:
    components = []
    for component in site.components:
        entry: dict[str, Any] = {"id": component.id, "name": component.name}
        if component.description:
            entry["description"] = component.description
        if component.group:
            entry["group"] = component.group
        if component.retired:
            entry["retired"] = True
        components.append(entry)
    document: dict[str, Any] = {
        "name": site.name,
        "url": site.url,
        "timezone": site.timezone,
        "language": "en",
    }
    if site.description:
        document["description"] = site.description
    document["components"] = components
    header = f"# Imported from {site.source} ({site.url}) by `statusgen import {site.source}`.\n"
    return header + dump_yaml(document)


def _local(moment: datetime, zone: ZoneInfo) -> datetime:
    return moment.astimezone(zone)


def update_document(update: ImportedUpdate, zone: ZoneInfo) -> str:
    meta: dict[str, Any] = {"at": _local(update.at, zone), "status": update.status}
    if update.components:
        meta["components"] = dict(update.components)
    return markdown_document(meta, update.body, precise=True)


def _names(entry: dict[str, Any], updates: Iterable[ImportedUpdate]) -> dict[str, str]:
    """Each update's file name: kept from earlier imports, new ones numbered after them."""
    known: dict[str, str] = dict(entry.get("updates", {}))
    taken = set(known.values())
    number = max((int(n.split("-", 1)[0]) for n in taken if n[:2].isdigit()), default=0)
    for update in updates:
        if update.source_id not in known:
            number += 1
            name = f"{number:02d}-{update.status.replace('_', '-')}.md"
            while name in taken:
                number += 1
                name = f"{number:02d}-{update.status.replace('_', '-')}.md"
            known[update.source_id] = name
            taken.add(name)
    return known


def _folder(
    kind: str,
    source_id: str,
    title: str,
    day: datetime,
    manifest: Manifest,
    clashes: set[str],
    taken: set[str],
) -> str:
    """The subject's slug: kept from an earlier import; else `YYYY-MM-DD-title`, ending in the
    source id when two subjects of the history would get the same one (so that neither's
    address depends on the order they are imported in)."""
    entry = manifest.subjects.get(f"{kind}:{source_id}")
    if entry:
        return str(entry["folder"])
    slug = new_slug(title, day.date(), (), fallback=kind)
    if slug in clashes:
        tail = slugify(source_id) or "x"
        slug = f"{slug[: MAX_SLUG_LENGTH - len(tail) - 1].rstrip('-')}-{tail}"
    unique, number = slug, 2
    while unique in taken:
        unique, number = f"{slug}-{number}", number + 1
    return unique


def _clashes(titles: Iterable[tuple[str, datetime]]) -> set[str]:
    seen: dict[str, int] = {}
    for title, day in titles:
        base = new_slug(title, day.date(), ())
        seen[base] = seen.get(base, 0) + 1
    return {slug for slug, count in seen.items() if count > 1}


def incident_files(
    incident: ImportedIncident, folder: str, names: dict[str, str], zone: ZoneInfo
) -> list[tuple[str, str]]:
    meta: dict[str, Any] = {"title": incident.title, "severity": incident.severity}
    if incident.components:
        meta["components"] = list(incident.components)
    if incident.started_at is not None:
        meta["started_at"] = _local(incident.started_at, zone)
    files = [
        (f"incidents/{folder}/incident.md", markdown_document(meta, incident.summary, precise=True))
    ]
    files += [
        (f"incidents/{folder}/{names[u.source_id]}", update_document(u, zone))
        for u in incident.updates
    ]
    if incident.postmortem is not None:
        published = {"published": _local(incident.postmortem.at, zone)}
        files.append(
            (
                f"incidents/{folder}/postmortem.md",
                markdown_document(published, incident.postmortem.body, precise=True),
            )
        )
    return files


def maintenance_files(
    maintenance: ImportedMaintenance, folder: str, names: dict[str, str], zone: ZoneInfo
) -> list[tuple[str, str]]:
    meta: dict[str, Any] = {
        "title": maintenance.title,
        "scheduled_for": _local(maintenance.scheduled_for, zone),
        "scheduled_until": _local(maintenance.scheduled_until, zone),
        "components": list(maintenance.components),
        "impact": maintenance.impact,
        "announced_at": _local(maintenance.created_at, zone),
    }
    files = [
        (
            f"maintenance/{folder}/maintenance.md",
            markdown_document(meta, maintenance.body, precise=True),
        )
    ]
    files += [
        (f"maintenance/{folder}/{names[u.source_id]}", update_document(u, zone))
        for u in maintenance.updates
    ]
    return files


def redirects(lines: Iterable[tuple[str, str]]) -> str:
    """Netlify's `_redirects`: each old address to its new page, permanently."""
    rules = sorted(set(lines))
    width = max((len(old) for old, _ in rules), default=0)
    body = "".join(f"{old.ljust(width)}  {new}  301\n" for old, new in rules)
    return "# The old status page's addresses (written by statusgen import).\n" + body


def write_site(site: ImportedSite, root: Path) -> ImportReport:
    """Write `site` into the content folder `root` (created if needed)."""
    root.mkdir(parents=True, exist_ok=True)
    manifest = Manifest.load(root, site.source)
    report = ImportReport(
        incidents=len(site.incidents),
        maintenances=len(site.maintenances),
        updates=sum(len(i.updates) for i in site.incidents)
        + sum(len(m.updates) for m in site.maintenances),
        components=len(site.components),
    )
    zone = ZoneInfo(site.timezone)
    _put(root, "site.yml", site_yml(site), manifest, report)
    taken = {str(e["folder"]) for e in manifest.subjects.values()}
    clashes = _clashes([(i.title, _local(i.created_at, zone)) for i in site.incidents])
    clashes |= _clashes([(m.title, _local(m.scheduled_for, zone)) for m in site.maintenances])
    subjects = [
        ("incident", "incidents", i, _local(i.created_at, zone), i.updates, i.old_paths)
        for i in site.incidents
    ] + [
        ("maintenance", "maintenance", m, _local(m.scheduled_for, zone), m.updates, m.old_paths)
        for m in site.maintenances
    ]
    moved: list[tuple[str, str]] = []
    for kind, section, subject, day, updates, old_paths in subjects:
        key = f"{kind}:{subject.source_id}"
        folder = _folder(kind, subject.source_id, subject.title, day, manifest, clashes, taken)
        taken.add(folder)
        names = _names(manifest.subjects.get(key, {}), updates)
        manifest.subjects[key] = {"folder": folder, "updates": names}
        files = (
            incident_files(subject, folder, names, zone)
            if isinstance(subject, ImportedIncident)
            else maintenance_files(subject, folder, names, zone)
        )
        for relative, text in files:
            _put(root, relative, text, manifest, report)
        moved += [(old, f"/{section}/{folder}/") for old in old_paths]
    if moved:
        _put(root, REDIRECTS, redirects(moved), manifest, report)
    manifest.save(root, site.source)
    return report
