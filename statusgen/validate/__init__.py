"""VALIDATE: raw documents → the domain model, or every ContentError at once."""

from __future__ import annotations

from collections.abc import Callable, Hashable
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

from statusgen.content.loader import Folder, RawContent, load_content
from statusgen.errors import ContentError, ContentInvalid, Level, Source
from statusgen.model import DEFAULT_SEVERITY_LEVELS, Content, Incident, Maintenance
from statusgen.validate.components import component_changes
from statusgen.validate.incidents import _Context, validate_incident, validate_maintenance
from statusgen.validate.redirects import redirects
from statusgen.validate.site import validate_site


@dataclass(frozen=True, slots=True)
class _Checked:
    folder: Folder  # the very object validated: reused only for that object
    key: Hashable  # what the site said (components, timezone, severity names)
    result: Incident | Maintenance | None
    errors: tuple[ContentError, ...]


class ValidationMemo:
    """Results of validating each folder, kept by the preview between rebuilds.

    A folder's result depends only on the folder and on what the site says about
    components, timezone, severity names and languages (which files are translations); the
    loader hands back the very same Folder object for a folder no change touched, so an entry
    is reused when both are unchanged.
    Entries are keyed by the folder's path in the content (stable, unlike an object's id,
    which Python may give a new object once the old one is gone) and matched by identity.
    """

    def __init__(self) -> None:
        self.entries: dict[str, _Checked] = {}


def validate(
    raw: RawContent, memo: ValidationMemo | None = None
) -> tuple[Content | None, list[ContentError]]:
    """Validate everything; the Content is None when any error (not warning) was found."""
    errors: list[ContentError] = list(raw.errors)
    site_result = None if raw.site is None else validate_site(raw.site, errors, raw.root)
    components = (
        [c.id for c in site_result.components] if site_result and site_result.components else None
    )
    ctx = _Context(components, site_result.timezone if site_result else None, errors)
    ctx.languages = site_result.languages if site_result else None
    if site_result is not None:
        defaults = {level.name for level in DEFAULT_SEVERITY_LEVELS}
        ctx.severity_names = {
            level.name.lower(): level.severity
            for level in site_result.severity_levels
            if level.name not in defaults
        }
    key = (
        tuple(components) if components is not None else None,
        ctx.zone.key if ctx.zone else None,
        tuple(sorted((name, severity.value) for name, severity in ctx.severity_names.items())),
        ctx.languages,  # which files are translations, and into which language
    )
    entries = memo.entries if memo is not None else {}
    kept: dict[str, _Checked] = {}

    def checked(folder: Folder, check: Callable[[Folder, _Context], Any]) -> Any:
        entry = entries.get(folder.path)
        if entry is None or entry.folder is not folder or entry.key != key:
            found: list[ContentError] = []
            result = check(folder, ctx.with_errors(found))
            entry = _Checked(folder, key, result, tuple(found))
        kept[folder.path] = entry
        errors.extend(entry.errors)
        return entry.result

    incidents: list[Incident | None] = [
        checked(folder, validate_incident) for folder in raw.incidents
    ]
    maintenances: list[Maintenance | None] = [
        checked(folder, validate_maintenance) for folder in raw.maintenances
    ]
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
    rules = redirects(raw.redirects, errors)
    changes = component_changes(raw.component_changes, components, ctx.zone, errors)
    if (
        any(error.level is Level.ERROR for error in errors)
        or site_result is None
        or site_result.site is None
    ):
        return None, errors
    content = Content(
        site_result.site,
        tuple(i for i in incidents if i is not None),
        tuple(m for m in maintenances if m is not None),
        rules,
        changes,
    )
    return content, errors


# Beyond this, a date after "now" is a typo (a wrong year such as 2062 for 2026, a wrong
# offset or day), not an author's clock running a little ahead of the build machine's.
FUTURE_TOLERANCE = timedelta(hours=24)


def future_updates(content: Content, now: datetime) -> list[ContentError]:
    """Incidents, updates and status changes dated after "now": within 24 hours a warning for build (a wrong
    offset, a clock ahead: failing the build mid-incident would be worse), beyond it an error
    (it would publish as today's news, or as "ongoing" for years). Lint makes both errors."""
    dated: list[tuple[datetime | None, Source, str, str]] = []
    for incident in content.incidents:
        dated.append((incident.started_at, incident.source, "started_at", "incident starts"))
        dated += [(u.at, u.source, "at", "update is dated") for u in incident.updates]
    dated += [(c.at, c.source, "at", "status change is dated") for c in content.component_changes]
    found = []
    for moment, source, field, what in dated:
        if moment is None or moment <= now:
            continue
        far = moment - now > FUTURE_TOLERANCE
        found.append(
            ContentError(
                source,
                field,
                f"{what} {moment.isoformat(timespec='seconds')}, after now "
                f"({now.isoformat(timespec='seconds')}){' by more than 24 hours' if far else ''}",
                "check the offset (+01:00 vs +02:00), the date and the year",
                Level.ERROR if far else Level.WARNING,
            )
        )
    return found


def dates_checked(content: Content, now: datetime) -> list[ContentError]:
    """The warnings of `future_updates`; raises ContentInvalid when a date is an error."""
    found = future_updates(content, now)
    errors = [problem for problem in found if problem.level is Level.ERROR]
    if errors:
        raise ContentInvalid(errors)
    return found


def load_and_validate(content_dir: Path) -> tuple[Content, list[ContentError]]:
    """Content or ContentInvalid with every error; warnings are returned alongside."""
    return checked(load_content(content_dir))


def checked(
    raw: RawContent, memo: ValidationMemo | None = None
) -> tuple[Content, list[ContentError]]:
    content, errors = validate(raw, memo)
    if content is None:
        raise ContentInvalid([e for e in errors if e.level is Level.ERROR] or errors)
    return content, errors
