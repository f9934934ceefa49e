"""VALIDATE: raw documents → the domain model, or every ContentError at once."""

from __future__ import annotations

from collections.abc import Callable, Hashable
from datetime import datetime
from typing import Any

from statusgen.content.loader import Folder, RawContent
from statusgen.errors import ContentError, Level, Source
from statusgen.model import DEFAULT_SEVERITY_LEVELS, Content, Incident, Maintenance
from statusgen.validate.incidents import _Context, validate_incident, validate_maintenance
from statusgen.validate.site import validate_site


class ValidationMemo:
    """Results of validating each folder, kept by the preview between rebuilds.

    A folder's result depends only on the folder and on what the site says about
    components, timezone and severity names; the loader hands back the very same Folder
    object for a folder no change touched, so an entry is reused when both are unchanged.
    """

    def __init__(self) -> None:
        self.entries: dict[int, tuple[Folder, Hashable, Incident | Maintenance | None, tuple[ContentError, ...]]] = {}


def validate(raw: RawContent, memo: ValidationMemo | None = None) -> tuple[Content | None, list[ContentError]]:
    """Validate everything; the Content is None when any error (not warning) was found."""
    errors: list[ContentError] = list(raw.errors)
    if raw.site is None:
        site_result = None
    else:
        site_result = validate_site(raw.site, errors)
    components = [c.id for c in site_result.components] if site_result and site_result.components else None
    ctx = _Context(components, site_result.timezone if site_result else None, errors)
    if site_result is not None:
        defaults = {level.name for level in DEFAULT_SEVERITY_LEVELS}
        ctx.severity_names = {
            level.name.lower(): level.severity for level in site_result.severity_levels if level.name not in defaults
        }
    key = (
        tuple(components) if components is not None else None,
        ctx.zone.key if ctx.zone else None,
        tuple(sorted((name, severity.value) for name, severity in ctx.severity_names.items())),
    )
    entries = memo.entries if memo is not None else {}
    kept: dict[int, tuple[Folder, Hashable, Incident | Maintenance | None, tuple[ContentError, ...]]] = {}

    def checked(folder: Folder, check: Callable[[Folder, _Context], Any]) -> Any:
        entry = entries.get(id(folder))
        if entry is None or entry[0] is not folder or entry[1] != key:
            found: list[ContentError] = []
            result = check(folder, ctx.with_errors(found))
            entry = (folder, key, result, tuple(found))
        kept[id(folder)] = entry
        errors.extend(entry[3])
        return entry[2]

    incidents: list[Incident | None] = [checked(folder, validate_incident) for folder in raw.incidents]
    maintenances: list[Maintenance | None] = [checked(folder, validate_maintenance) for folder in raw.maintenances]
    if memo is not None:
        memo.entries = kept
    incident_slugs = {folder.slug: folder for folder in raw.incidents}
    for folder in raw.maintenances:
        if folder.slug in incident_slugs:
            errors.append(
                ContentError(
                    Source(folder.path),
                    None,
                    f"slug '{folder.slug}' is used by an incident and a maintenance",
                    "rename one folder: the slug is the API id, and ids must be unique",
                )
            )
    if any(error.level is Level.ERROR for error in errors) or site_result is None or site_result.site is None:
        return None, errors
    content = Content(
        site_result.site,
        tuple(i for i in incidents if i is not None),
        tuple(m for m in maintenances if m is not None),
    )
    return content, errors


def future_updates(content: Content, now: datetime) -> list[ContentError]:
    """Updates dated after "now": a warning for build (it still publishes), an error for lint.

    A wrong offset is the usual cause; failing the build mid-incident would be worse.
    """
    found = []
    for incident in content.incidents:
        for update in incident.updates:
            if update.at > now:
                found.append(
                    ContentError(
                        update.source,
                        "at",
                        f"update is dated {update.at.isoformat(timespec='seconds')}, after now ({now.isoformat(timespec='seconds')})",
                        "check the offset (+01:00 vs +02:00) or the date",
                        Level.WARNING,
                    )
                )
    return found
