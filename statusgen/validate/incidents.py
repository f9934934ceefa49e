"""Incident and maintenance folders → Incident and Maintenance, with their timeline rules."""

from __future__ import annotations

import difflib
import re
from collections.abc import Collection, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

from statusgen.content.loader import Document, Folder
from statusgen.content.yamlsource import LineMap
from statusgen.errors import ContentError, Source
from statusgen.model import (
    UPDATE_STATUSES,
    ActionStatus,
    ComponentStatus,
    DetectedBy,
    FollowUpAction,
    Incident,
    IncidentKind,
    IncidentStatus,
    IncidentUpdate,
    Maintenance,
    MaintenanceStatus,
    MaintenanceUpdate,
    Postmortem,
    Severity,
    Translation,
)
from statusgen.text import slugify
from statusgen.validate import fields as f
from statusgen.validate.fields import MISSING, FieldReader, Invalid, is_ok

# What an engineer who typed an incident status into a maintenance update meant.
INCIDENT_TO_MAINTENANCE = {
    "investigating": "in_progress",
    "identified": "in_progress",
    "monitoring": "verifying",
    "resolved": "completed",
    "postmortem": "completed",
}
MAINTENANCE_IMPACTS = (
    ComponentStatus.UNDER_MAINTENANCE,
    ComponentStatus.DEGRADED_PERFORMANCE,
    ComponentStatus.PARTIAL_OUTAGE,
    ComponentStatus.MAJOR_OUTAGE,
)


def markdown_lines(value: Any) -> tuple[str, ...]:
    """A list of one-line Markdown texts (customer actions)."""
    lines = f.text_list(value)
    for line in lines:
        problem = f.markdown_text(line)
        if problem is not None:
            raise problem
    return lines


def _fmt(moment: datetime) -> str:
    return moment.isoformat(timespec="seconds")


class _Context:
    """What every incident and maintenance check needs from the site."""

    def __init__(
        self, components: Collection[str] | None, zone: ZoneInfo | None, errors: list[ContentError]
    ) -> None:
        # None when site.yml could not be read: then component ids cannot be checked, and
        # reporting every one of them as unknown would bury the real error.
        self.components = components
        self.zone = zone
        self.errors = errors
        self.severity_names: dict[str, Severity] = {}  # the team's names (P1…), lowercase
        # site.yml's languages, the original's first; None when they could not be read.
        self.languages: tuple[str, ...] | None = None

    def with_errors(self, errors: list[ContentError]) -> _Context:
        """The same context, collecting errors into `errors` (one folder's, for a memo)."""
        ctx = _Context(self.components, self.zone, errors)
        ctx.severity_names = self.severity_names
        ctx.languages = self.languages
        return ctx

    def severity(self, value: Any) -> Severity:
        """A Statuspage impact value, or the site's own name for one (`P1`)."""
        raw = f.text(value)
        if raw in [s.value for s in Severity]:
            return Severity(raw)
        if raw.lower() in self.severity_names:
            return self.severity_names[raw.lower()]
        known = [s.value for s in Severity] + sorted(
            {n for n in self.severity_names if n not in [s.value for s in Severity]}
        )
        raise Invalid(f"unknown severity '{raw}'", f.did_you_mean(raw, known))

    def component(self, value: Any) -> str:
        component_id = f.text(value)
        if self.components is not None and component_id not in self.components:
            raise Invalid(
                f"unknown component '{component_id}'", f.did_you_mean(component_id, self.components)
            )
        return component_id

    def component_list(self, value: Any) -> tuple[str, ...]:
        return tuple(self.component(item) for item in f.text_list(value))

    def error(
        self,
        document: Document | Folder,
        line: int | None,
        field: str | None,
        message: str,
        hint: str | None = None,
    ) -> None:
        self.errors.append(ContentError(Source(document.path, line), field, message, hint))


def _check_body(document: Document, ctx: _Context) -> None:
    problem = f.markdown_text(document.body)
    if problem is not None:
        ctx.error(
            document, document.body_line + problem.line - 1, None, problem.message, problem.hint
        )


def _check_slug(folder: Folder, ctx: _Context) -> bool:
    if f.SLUG_PATTERN.fullmatch(folder.slug):
        return True
    ctx.error(
        folder,
        None,
        None,
        f"folder name '{folder.slug}' is not a valid slug: it becomes the URL",
        f"rename it to '{slugify(folder.slug)}' (lowercase letters, digits, hyphens)",
    )
    return False


# What a translation may say in its own language besides its body, by original file; every
# other field is the original's (a copy of it is allowed, a different value is not).
TRANSLATED_FIELDS = {"incident.md": ("title", "customer_actions"), "maintenance.md": ("title",)}
# The final `.<tag>` of `NAME.<tag>.md` names a language when the site lists it, or when it
# looks like a language code whether listed or not: 2 or 3 letters, optionally a script and
# a region (fr, pt-BR, es-419, zh-Hant, sr-Latn-RS), so that a misspelt or unlisted language
# is an error, never an update. Update names hold dots too: `02-v1.2.md`, `03-deploy.v2.md`
# and `04-rollback.done.md` stay updates.
_LANGUAGE_CODE = re.compile(r"[A-Za-z]{2,3}(?:-[A-Za-z]{4})?(?:-(?:[A-Za-z]{2}|[0-9]{3}))?")


def translation_name(name: str, languages: Collection[str] | None) -> tuple[str, str] | None:
    """(the original's file name, the language as written) when `name` is a translation's,
    `NAME.<lang>.md`; None for any other file."""
    base, dot, tag = name.removesuffix(".md").rpartition(".")
    if not dot or not base:
        return None
    listed = any(tag.casefold() == language.casefold() for language in languages or ())
    return (f"{base}.md", tag) if listed or _LANGUAGE_CODE.fullmatch(tag) else None


@dataclass(frozen=True, slots=True)
class _Sorted:
    """A folder's update documents told apart from its translations."""

    updates: tuple[Document, ...]
    translations: dict[str, list[tuple[str, Document]]]  # original's name → (language, file)
    update_files: int  # update files found, readable or not, translations left out

    def of(self, document: Document) -> list[tuple[str, Document]]:
        return self.translations.get(_name(document), [])


def _name(document: Document) -> str:
    return document.path.rsplit("/", 1)[-1]


def _language_of(document: Document, tag: str, original: str, ctx: _Context) -> str | None:
    """The site's spelling of a translation's language; None (with an error) when the site
    does not list it, or lists it first (the original is in that language)."""
    if ctx.languages is None:
        return tag  # site.yml's languages are wrong: that error says it all
    listed = next((lang for lang in ctx.languages if lang.casefold() == tag.casefold()), None)
    if listed is None:
        ctx.error(
            document,
            None,
            None,
            f"'{tag}' is not one of the site's languages ({', '.join(ctx.languages)})",
            f"add {tag} to languages in site.yml, or rename the file "
            f"(a name ending in '.{tag}.md' is a translation of {original})",
        )
        return None
    if listed == ctx.languages[0]:
        ctx.error(
            document,
            None,
            None,
            f"'{tag}' is the site's first language, the language of {original} itself",
            f"put this text in {original}, or remove the file",
        )
        return None
    return listed


def _sort_out(folder: Folder, ctx: _Context) -> _Sorted:
    """Tell translations (`01.fr.md`, `incident.fr.md`) from updates; a translation of a
    language the site lacks, or of a file that does not exist, is an error."""
    names = set(folder.names) | {_name(d) for d in folder.updates}
    named = {name: translation_name(name, ctx.languages) for name in names}
    updates: list[Document] = []
    translations: dict[str, list[tuple[str, Document]]] = {}
    for document in folder.updates:
        found = named[_name(document)]
        if found is None:
            updates.append(document)
            continue
        original, tag = found
        language = _language_of(document, tag, original, ctx)
        if original not in names:
            ctx.error(
                document,
                None,
                None,
                f"translation of {original}, which does not exist",
                f"add {folder.path}/{original}, or rename this file after the file it translates",
            )
        elif (parent := named[original]) is not None:
            ctx.error(
                document,
                None,
                None,
                f"translation of {original}, which is itself a translation",
                f"name it after the original file: {parent[0].removesuffix('.md')}.{tag}.md",
            )
        elif language is not None:
            same = [d for lang, d in translations.get(original, []) if lang == language]
            if same:
                ctx.error(
                    document,
                    None,
                    None,
                    f"second {language} translation of {original} (the first is {same[0].path})",
                    "keep one of the two files",
                )
            else:
                translations.setdefault(original, []).append((language, document))
    update_files = folder.update_files - sum(found is not None for found in named.values())
    return _Sorted(tuple(updates), translations, update_files)


def _shown(value: Any) -> str:
    text = repr(value) if isinstance(value, str) else str(value)
    return text if len(text) <= 60 else text[:59] + "…"


def _translations(
    original: Document,
    found: Sequence[tuple[str, Document]],
    ctx: _Context,
    fields: Sequence[str] = (),
) -> tuple[Translation, ...]:
    """The translations of `original`, in the order of the site's languages. A translation
    carries its body and the `fields` given; any other field must be the original's or absent,
    since a page in every language shows the same times, statuses and components."""
    result = []
    for language, document in found:
        _check_body(document, ctx)
        reader = FieldReader(document.meta, document.path, ctx.errors)
        title = reader.optional("title", f.text, None) if "title" in fields else None
        actions = (
            reader.optional("customer_actions", markdown_lines, None)
            if "customer_actions" in fields
            else None
        )
        for key, value in document.meta.items():
            if key in reader.seen or value is None:
                continue
            there = original.meta.get(key)
            if there is None:
                close = difflib.get_close_matches(key, fields, n=1)
                reader.error(
                    key,
                    f"'{key}' is not in {original.path}: a translation holds only its text"
                    + (f" ({', '.join(fields)} and the body)" if fields else " (the body)"),
                    f"rename it to '{close[0]}', or remove the field from the translation"
                    if close
                    else "remove the field from the translation",
                )
            elif value != there:
                reader.error(
                    key,
                    f"{key} differs from {original.path} ({_shown(there)} there, "
                    f"{_shown(value)} here)",
                    f"remove the field from the translation: {key} is the original's in every "
                    "language (change it there)",
                )
        if original.body.strip() and not document.body.strip():
            ctx.error(
                document,
                document.body_line,
                None,
                f"translation has no text (the original {_name(original)} has)",
                f"write the {language} text below the '---', or remove the file",
            )
        source = Source(document.path, document.meta.line)
        result.append(Translation(language, document.body, title, actions, source))
    order = ctx.languages or ()
    return tuple(
        sorted(result, key=lambda t: order.index(t.language) if t.language in order else 0)
    )


def _status_map(ctx: _Context, reader: FieldReader) -> tuple[tuple[str, ComponentStatus], ...]:
    raw = reader.mapping.get("components")
    reader.seen.add("components")
    if raw is None:
        return ()
    if not isinstance(raw, LineMap):
        reader.error(
            "components",
            "expected 'component: status' lines",
            "indent lines like 'api: partial_outage' under 'components:'",
        )
        return ()
    result = []
    statuses = [s.value for s in ComponentStatus]
    for component_id, status in raw.items():
        line = raw.line_of(component_id)
        field = f"components.{component_id}"
        if ctx.components is not None and component_id not in ctx.components:
            ctx.errors.append(
                ContentError(
                    Source(reader.path, line),
                    field,
                    f"unknown component '{component_id}'",
                    f.did_you_mean(component_id, ctx.components),
                )
            )
            continue
        if status is None:
            ctx.errors.append(
                ContentError(
                    Source(reader.path, line),
                    field,
                    f"no status given for '{component_id}'",
                    "write one of: " + ", ".join(statuses),
                )
            )
            continue
        try:
            result.append((component_id, ComponentStatus(str(status))))
        except ValueError:
            ctx.errors.append(
                ContentError(
                    Source(reader.path, line),
                    field,
                    f"unknown component status '{status}'",
                    f.did_you_mean(str(status), statuses),
                )
            )
    return tuple(result)


def _update(
    document: Document, ctx: _Context, translations: tuple[Translation, ...] = ()
) -> IncidentUpdate | None:
    _check_body(document, ctx)
    reader = FieldReader(document.meta, document.path, ctx.errors)
    at = reader.required("at", f.moment(ctx.zone), "2026-11-20T14:02:00+01:00")
    status = reader.required(
        "status", f.one_of(IncidentStatus, UPDATE_STATUSES, ""), "investigating"
    )
    components = _status_map(ctx, reader)
    next_update = reader.optional("next_update", f.moment(ctx.zone), None)
    reader.reject_unknown()
    if not document.body.strip():
        ctx.error(
            document,
            document.body_line,
            None,
            "update has no message",
            "write what customers see and what you are doing, below the '---'",
        )
    if not is_ok(at, status):
        return None
    if next_update is not None and next_update <= at:
        reader.error(
            "next_update",
            f"next_update {_fmt(next_update)} is not after the update's time {_fmt(at)}",
            "promise a time later than 'at'",
        )
        next_update = None
    stem = document.path.rsplit("/", 1)[-1].removesuffix(".md")
    return IncidentUpdate(
        stem,
        at,
        status,
        components,
        next_update,
        document.body,
        Source(document.path, document.meta.line),
        translations,
    )


def _at(update: IncidentUpdate | MaintenanceUpdate, meta: dict[str, LineMap], key: str) -> Source:
    """Where a field of an update was written, for errors about that field."""
    return Source(update.source.path, meta[update.source.path].line_of(key))


def _check_timeline(
    updates: list[IncidentUpdate],
    meta: dict[str, LineMap],
    started_at: datetime | None,
    ctx: _Context,
) -> None:
    resolved = [u for u in updates if u.status is IncidentStatus.RESOLVED]
    for extra in resolved[1:]:
        ctx.errors.append(
            ContentError(
                _at(extra, meta, "status"),
                "status",
                f"second resolved update (the incident was already resolved by {resolved[0].source.path})",
                "use status: monitoring for the earlier one, or delete one of them",
            )
        )
    if resolved:
        end = resolved[0]
        for update in updates:
            after_end = update.at == end.at and updates.index(update) > updates.index(end)
            if update.at > end.at or (after_end and update.status is not IncidentStatus.RESOLVED):
                ctx.errors.append(
                    ContentError(
                        _at(update, meta, "at"),
                        "at",
                        f"update at {_fmt(update.at)} comes after the incident was resolved at {_fmt(end.at)}",
                        "check the time and offset, or open a new incident for new impact",
                    )
                )


def _follow_up(reader: FieldReader) -> tuple[FollowUpAction, ...]:
    raw: Sequence[Any] = reader.optional(
        "follow_up", lambda v: v if isinstance(v, list) else f.text_list(v), []
    )
    actions = []
    for index, item in enumerate(raw):
        if isinstance(item, str):
            actions.append(FollowUpAction(item.strip(), None, ActionStatus.OPEN, None))
            continue
        if not isinstance(item, LineMap):
            reader.error(
                "follow_up",
                f"action {index + 1} is not text or fields",
                "write '- action: …' with 'owner:' and 'status:' under it",
            )
            continue
        item_reader = FieldReader(item, reader.path, reader.errors, f"follow_up[{index + 1}].")
        action = item_reader.required("action", f.text, "Add a second power feed")
        owner = item_reader.optional("owner", f.text, None)
        status = item_reader.optional("status", f.enum(ActionStatus), ActionStatus.OPEN)
        due = item_reader.optional("due", f.day, None)
        item_reader.reject_unknown()
        if is_ok(action):
            actions.append(FollowUpAction(action, owner, status, due))
    return tuple(actions)


def _postmortem(
    document: Document,
    resolved_at: datetime | None,
    ctx: _Context,
    translations: tuple[Translation, ...] = (),
) -> Postmortem | None:
    _check_body(document, ctx)
    reader = FieldReader(document.meta, document.path, ctx.errors)
    published = reader.required("published", f.moment(ctx.zone), "2026-11-22T10:00:00+01:00")
    follow_up = _follow_up(reader)
    reader.reject_unknown()
    if not document.body.strip():
        ctx.error(
            document,
            document.body_line,
            None,
            "post-mortem has no text",
            "write the summary, impact, root cause and follow-up actions",
        )
    if not is_ok(published):
        return None
    if resolved_at is None:
        ctx.error(
            document,
            document.meta.line_of("published"),
            "published",
            "post-mortem on an incident that is not resolved",
            "resolve the incident first (an update with status: resolved)",
        )
        return None
    if published < resolved_at:
        ctx.error(
            document,
            document.meta.line_of("published"),
            "published",
            f"published {_fmt(published)} before the incident was resolved at {_fmt(resolved_at)}",
            "check the time and offset",
        )
    return Postmortem(
        published, document.body, Source(document.path, document.meta.line), follow_up, translations
    )


def validate_incident(folder: Folder, ctx: _Context) -> Incident | None:
    slug_ok = _check_slug(folder, ctx)
    found = _sort_out(folder, ctx)
    if folder.main is None:
        for document in found.updates:  # an unreadable incident.md hides no update's mistakes
            _update(document, ctx)
        return None
    main = folder.main
    _check_body(main, ctx)
    translations = _translations(main, found.of(main), ctx, TRANSLATED_FIELDS["incident.md"])
    reader = FieldReader(main.meta, main.path, ctx.errors)
    title = reader.required("title", f.text, "Elevated error rates on the API")
    severity = reader.required("severity", ctx.severity, "major")
    kind = reader.optional("kind", f.enum(IncidentKind), IncidentKind.INCIDENT)
    components = reader.optional("components", ctx.component_list, ())
    detected_by = reader.optional("detected_by", f.enum(DetectedBy), None)
    actions = reader.optional("customer_actions", markdown_lines, ())
    started_at = reader.optional("started_at", f.moment(ctx.zone), None)
    reader.reject_unknown()
    updates = [
        u
        for u in (_update(d, ctx, _translations(d, found.of(d), ctx)) for d in found.updates)
        if u is not None
    ]
    if not found.update_files:
        ctx.error(
            folder,
            None,
            None,
            "incident has no update",
            f"add {folder.path}/01-investigating.md with 'at:', 'status:' and a message",
        )
    updates.sort(key=lambda u: (u.at, u.id))
    meta = {d.path: d.meta for d in found.updates}
    _check_timeline(updates, meta, started_at, ctx)
    resolved_at = next((u.at for u in updates if u.status is IncidentStatus.RESOLVED), None)
    postmortem = None
    if folder.postmortem is not None:
        postmortem_translations = _translations(folder.postmortem, found.of(folder.postmortem), ctx)
        postmortem = _postmortem(folder.postmortem, resolved_at, ctx, postmortem_translations)
    if (
        not (slug_ok and is_ok(title, severity))
        or not updates
        or len(updates) != found.update_files
    ):
        return None
    return Incident(
        slug=folder.slug,
        title=title,
        severity=severity,
        kind=kind,
        components=components,
        detected_by=detected_by,
        customer_actions=actions,
        started_at=started_at,
        summary=main.body,
        updates=tuple(updates),
        postmortem=postmortem,
        source=Source(main.path, 1),
        translations=translations,
    )


def _maintenance_update(
    document: Document, ctx: _Context, translations: tuple[Translation, ...] = ()
) -> MaintenanceUpdate | None:
    _check_body(document, ctx)
    reader = FieldReader(document.meta, document.path, ctx.errors)
    at = reader.required("at", f.moment(ctx.zone), "2026-12-01T02:00:00+01:00")

    def status(value: Any) -> MaintenanceStatus:
        raw = f.text(value)
        try:
            return MaintenanceStatus(raw)
        except ValueError:
            known = [s.value for s in MaintenanceStatus]
            if raw in INCIDENT_TO_MAINTENANCE:
                raise Invalid(
                    f"'{raw}' is an incident status, not a maintenance status",
                    f"use '{INCIDENT_TO_MAINTENANCE[raw]}' (maintenance statuses: {', '.join(known)})",
                ) from None
            raise Invalid(
                f"unknown maintenance status '{raw}'", f.did_you_mean(raw, known)
            ) from None

    state = reader.required("status", status, "in_progress")
    reader.reject_unknown()
    if not document.body.strip():
        ctx.error(
            document,
            document.body_line,
            None,
            "update has no message",
            "write what is happening for customers, below the '---'",
        )
    if not is_ok(at, state):
        return None
    stem = document.path.rsplit("/", 1)[-1].removesuffix(".md")
    return MaintenanceUpdate(
        stem, at, state, document.body, Source(document.path, document.meta.line), translations
    )


def validate_maintenance(folder: Folder, ctx: _Context) -> Maintenance | None:
    slug_ok = _check_slug(folder, ctx)
    found = _sort_out(folder, ctx)
    if folder.main is None:
        for document in found.updates:  # an unreadable maintenance.md hides no update's mistakes
            _maintenance_update(document, ctx)
        return None
    main = folder.main
    _check_body(main, ctx)
    translations = _translations(main, found.of(main), ctx, TRANSLATED_FIELDS["maintenance.md"])
    reader = FieldReader(main.meta, main.path, ctx.errors)
    title = reader.required("title", f.text, "PostgreSQL 16 upgrade")
    start = reader.required("scheduled_for", f.moment(ctx.zone), "2026-12-01T02:00:00+01:00")
    end = reader.required("scheduled_until", f.moment(ctx.zone), "2026-12-01T04:00:00+01:00")
    # `components: []` is a notice that touches no component (Statuspage has them); leaving
    # the field out is still an error: a forgotten list would silently make a notice.
    components = reader.required(
        "components", ctx.component_list, "[db-postgresql] (or [] for a notice that affects none)"
    )
    impact = reader.optional(
        "impact",
        f.one_of(ComponentStatus, MAINTENANCE_IMPACTS, ""),
        ComponentStatus.UNDER_MAINTENANCE,
    )
    announced_at = reader.optional("announced_at", f.moment(ctx.zone), None)
    reader.reject_unknown()
    if is_ok(start, end) and end <= start:
        reader.error(
            "scheduled_until",
            f"scheduled_until {_fmt(end)} is not after scheduled_for {_fmt(start)}",
            "check the dates and offsets; the window must end after it starts",
        )
        end = MISSING
    updates = [
        u
        for u in (
            _maintenance_update(d, ctx, _translations(d, found.of(d), ctx)) for d in found.updates
        )
        if u is not None
    ]
    updates.sort(key=lambda u: (u.at, u.id))
    meta = {d.path: d.meta for d in found.updates}
    completed = next((u for u in updates if u.status.final), None)
    started = next(
        (
            u
            for u in updates
            if u.status in (MaintenanceStatus.IN_PROGRESS, MaintenanceStatus.VERIFYING)
        ),
        None,
    )
    for update in updates:
        if completed is not None and update.at > completed.at:
            ctx.errors.append(
                ContentError(
                    _at(update, meta, "at"),
                    "at",
                    f"update at {_fmt(update.at)} comes after the maintenance was {completed.status.value} at {_fmt(completed.at)}",
                    "check the time, or schedule a new maintenance",
                )
            )
        if (
            update.status is MaintenanceStatus.CANCELLED
            and started is not None
            and started.at <= update.at
        ):
            ctx.errors.append(
                ContentError(
                    _at(update, meta, "status"),
                    "status",
                    f"the maintenance cannot be cancelled: its work began at {_fmt(started.at)}",
                    "post 'completed' and say in the message what was done and what was called off",
                )
            )
    if not (slug_ok and is_ok(title, start, end, components)) or len(updates) != found.update_files:
        return None
    return Maintenance(
        folder.slug,
        title,
        start,
        end,
        components,
        impact,
        main.body,
        tuple(updates),
        Source(main.path, 1),
        announced_at,
        translations,
    )
