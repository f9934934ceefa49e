"""`statusgen maintenance new | update | reschedule | cancel`: announce a window, say how the
work goes, move it, or call it off.

A cancelled or rescheduled maintenance is data, not a deletion: an update with
`status: cancelled`, or one saying the window moved (and the window rewritten in
maintenance.md), so the page, the feeds and subscribers' calendars all learn of it.
Like the incident commands, each reads its options, fills in a draft (prompts.py), turns it
into files (drafts.py) and publishes them (publish.py).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import click

from statusgen.cli.drafts import (
    MAINTENANCE_MESSAGES,
    MaintenanceDraft,
    MaintenanceUpdateDraft,
    Translations,
    cancelled_message,
    maintenance_slug,
    maintenance_update_files,
    new_maintenance_files,
    rescheduled_message,
    rescheduled_text,
    scheduled_message,
    translation_files,
    window_text,
)
from statusgen.cli.options import (
    content_option,
    is_interactive,
    now_option,
    parse_moment,
    parse_now,
    site_time,
    vocabulary,
    write_options,
)
from statusgen.cli.prompts import Required, given_or_asked, plain_message, refuse, required
from statusgen.cli.publish import (
    MAINTENANCE_FILES,
    load_site,
    publish_new_files,
    taken_slugs,
    update_names,
)
from statusgen.cli.translations import (
    LanguageText,
    RawTranslations,
    TranslatingCommand,
    checked_translations,
    lang_options,
    language_text,
    message_to_translate,
    refuse_existing,
)
from statusgen.model import ComponentStatus, Content, Maintenance, MaintenanceStatus, Site
from statusgen.validate.incidents import INCIDENT_TO_MAINTENANCE, MAINTENANCE_IMPACTS

# What `maintenance update --status` accepts: cancelling has its own command.
UPDATE_STATUSES = [s.value for s in MaintenanceStatus if s is not MaintenanceStatus.CANCELLED]


@click.group("maintenance")
def maintenance_group() -> None:
    """Schedule maintenance windows and post updates on them."""


def _components(values: Sequence[str], site: Site) -> list[str]:
    ids = [c.id for c in site.components]
    result: list[str] = []
    for value in values:
        for part in (p.strip() for p in value.split(",") if p.strip()):
            component_id = vocabulary(part, ids, "component", "--component")
            if component_id not in result:
                result.append(component_id)
    return result


def _moment(zone: ZoneInfo, what: str) -> Callable[[str], datetime]:
    """A check for a time typed at a prompt: ISO 8601, in the site timezone without an offset."""
    return lambda answer: parse_moment(answer, zone, what)


@maintenance_group.command("new", cls=TranslatingCommand, translated=("title", "message"))
@click.argument("title", required=False)
@click.option(
    "--start", metavar="ISO8601", help="Window start; without an offset, in the site timezone."
)
@click.option("--end", metavar="ISO8601", help="Window end, after the start.")
@click.option(
    "--component",
    "components",
    multiple=True,
    metavar="ID",
    help="A component affected; repeat for several.",
)
@click.option(
    "--impact",
    metavar="STATUS",
    help="Component status during the window: under_maintenance (default), degraded_performance, partial_outage, major_outage.",
)
@click.option(
    "-m", "--message", help="What will happen and what customers should expect (Markdown)."
)
@content_option
@now_option
@write_options
def new_command(
    title: str | None,
    start: str | None,
    end: str | None,
    components: tuple[str, ...],
    impact: str | None,
    message: str | None,
    content_dir: Path,
    now_text: str | None,
    yes: bool,
    commit: bool,
    translations: RawTranslations,
) -> None:
    """Schedule a maintenance: maintenance/<date-title>/maintenance.md.

    The window dates the slug; "now" is written as `announced_at`, which dates the entry
    in feeds. A window entirely in the past is refused unless --yes (recording past work).
    On a site of several languages, --title-LANG and --message-LANG write maintenance.LANG.md.
    """
    now = parse_now(now_text)
    content = load_site(content_dir)
    site = content.site
    zone = site.timezone
    translated = checked_translations(translations, site)
    ids = _components(components, site)
    impacts = [i.value for i in MAINTENANCE_IMPACTS]
    chosen_impact = (
        ComponentStatus(vocabulary(impact, impacts, "impact", "--impact"))
        if impact
        else ComponentStatus.UNDER_MAINTENANCE
    )
    starts = parse_moment(start, zone, "--start") if start else None
    ends = parse_moment(end, zone, "--end") if end else None
    draft = _ask_new_maintenance(
        site, now, yes, title or None, starts, ends, ids, chosen_impact, message
    )
    slug = maintenance_slug(draft, taken_slugs(content_dir))
    files = new_maintenance_files(draft, content_dir / "maintenance" / slug)
    main = files[0][0]
    files += translation_files(main, main, translated)
    what = f"Maintenance {slug}: scheduled"
    publish_new_files(content_dir, files, what, confirm=is_interactive(yes), commit=commit)


def _ask_new_maintenance(
    site: Site,
    now: datetime,
    yes: bool,
    title: str | None,
    starts: datetime | None,
    ends: datetime | None,
    ids: list[str],
    impact: ComponentStatus,
    message: str | None,
) -> MaintenanceDraft:
    """The new window from the options given, asking at a terminal for the rest."""
    zone = site.timezone
    interactive = is_interactive(yes)
    title = given_or_asked(
        title,
        interactive,
        "Title",
        required("the title"),
        unattended=Required(
            'give the title, e.g. statusgen maintenance new "PostgreSQL 17 upgrade" --start … --end … --component …'
        ),
    )
    starts = given_or_asked(
        starts,
        interactive,
        f"Start (YYYY-MM-DDTHH:MM, {zone.key})",
        _moment(zone, "start"),
        unattended=Required(
            "give --start, e.g. --start 2026-12-01T02:00 (site time) or with an offset"
        ),
    )
    ends = given_or_asked(
        ends,
        interactive,
        f"End (YYYY-MM-DDTHH:MM, {zone.key})",
        _moment(zone, "end"),
        unattended=Required("give --end, e.g. --end 2026-12-01T04:00"),
    )
    _refuse_empty_window(starts, ends)
    _refuse_past_window(ends, now, yes, zone)
    listed = ", ".join(c.id for c in site.components)
    ids = given_or_asked(
        ids or None,
        interactive,
        "Components affected (comma-separated)",
        lambda answer: _components((answer,), site) or refuse("name at least one"),
        unattended=Required(f"give at least one --component ({listed})"),
        context=[f"Components: {listed}"],
    )
    body = plain_message(message, scheduled_message(site, ids), interactive)
    return MaintenanceDraft(
        title,
        site_time(starts, zone),
        site_time(ends, zone),
        tuple(ids),
        impact,
        body,
        # A past window recorded with --yes was announced who knows when.
        site_time(now, zone) if now < ends else None,
    )


def _refuse_empty_window(starts: datetime, ends: datetime) -> None:
    if ends <= starts:
        raise click.BadParameter(
            f"the window ends ({ends.isoformat()}) before it starts ({starts.isoformat()})",
            param_hint="--end",
        )


def _refuse_past_window(ends: datetime, now: datetime, yes: bool, zone: ZoneInfo) -> None:
    """A window that ended before now is usually a typo in the date; --yes records it anyway."""
    if ends <= now and not yes:
        raise click.BadParameter(
            f"the window ended at {ends.astimezone(zone):%Y-%m-%d %H:%M %Z}, before now; "
            "check the date, or give --yes to record past work",
            param_hint="--end",
        )


def _listing(items: list[Maintenance]) -> str:
    return "\n".join(f"  {m.slug}  {m.title}" for m in items)


def _ended(maintenance: Maintenance) -> bool:
    return any(u.status.final for u in maintenance.updates)


def find_maintenance(content: Content, query: str | None) -> Maintenance:
    """By exact slug, unique prefix or fragment; omitted: the only one neither completed nor cancelled."""
    items = sorted(content.maintenances, key=lambda m: m.scheduled_for, reverse=True)
    unfinished = [m for m in items if not _ended(m)]
    if not query:
        if len(unfinished) == 1:
            return unfinished[0]
        if not unfinished:
            raise click.UsageError("no maintenance to update")
        raise click.UsageError(
            f"{len(unfinished)} maintenances are not completed; say which:\n{_listing(unfinished)}"
        )
    for found in (
        [m for m in items if m.slug == query],
        [m for m in items if m.slug.startswith(query)],
        [m for m in items if query in m.slug],
    ):
        matches = ([m for m in found if m in unfinished] or found) if len(found) > 1 else found
        if len(matches) == 1:
            return matches[0]
        if matches:
            raise click.UsageError(
                f"'{query}' matches {len(matches)} maintenances; say which:\n{_listing(matches)}"
            )
    raise click.UsageError(f"no maintenance matches '{query}'; known:\n{_listing(items[:10])}")


def _refuse_ended(maintenance: Maintenance) -> None:
    ended = next((u for u in maintenance.updates if u.status.final), None)
    if ended is not None:
        raise click.UsageError(
            f"{maintenance.slug} was {ended.status.value} at {ended.at.isoformat(timespec='seconds')}; schedule a new maintenance instead"
        )


def _publish_update(
    content_dir: Path,
    maintenance: Maintenance,
    draft: MaintenanceUpdateDraft,
    *,
    confirm: bool,
    commit: bool,
    what: str,
    languages: Sequence[str],
    translations: Translations,
    replaced: Sequence[tuple[Path, str, str]] = (),
) -> None:
    """Write one more update in the maintenance's folder, its translations beside it (and
    `replaced`, if any)."""
    folder = content_dir / Path(maintenance.source.path).parent
    existing = update_names(folder, MAINTENANCE_FILES, languages)
    files = maintenance_update_files(draft, folder, existing)
    files += translation_files(None, files[0][0], translations)
    publish_new_files(
        content_dir,
        files,
        f"Maintenance {maintenance.slug}: {what}",
        confirm=confirm,
        commit=commit,
        replaced=replaced,
    )


def _update_status(value: str) -> MaintenanceStatus:
    """--status of `maintenance update`: an incident status or `cancelled` says what to use."""
    if value in INCIDENT_TO_MAINTENANCE:
        raise click.BadParameter(
            f"'{value}' is an incident status, use '{INCIDENT_TO_MAINTENANCE[value]}'",
            param_hint="--status",
        )
    if value == MaintenanceStatus.CANCELLED.value:
        raise click.BadParameter(
            "to call a maintenance off, use: statusgen maintenance cancel SLUG --message …",
            param_hint="--status",
        )
    return MaintenanceStatus(vocabulary(value, UPDATE_STATUSES, "maintenance status", "--status"))


@maintenance_group.command("update", cls=TranslatingCommand)
@click.argument("slug", required=False)
@click.option(
    "--status", metavar="STATUS", help="in_progress | verifying | completed (or scheduled)."
)
@click.option("-m", "--message", help="The message to customers (Markdown).")
@lang_options(
    "maintenance",
    "the newest message without a LANG text, maintenance.md",
    "With --lang: the message to translate (an update's file name without .md, or its "
    "number; 'maintenance' for the announcement).",
)
@content_option
@now_option
@write_options
def update_command(
    slug: str | None,
    status: str | None,
    message: str | None,
    lang: str | None,
    title: str | None,
    update_id: str | None,
    content_dir: Path,
    now_text: str | None,
    yes: bool,
    commit: bool,
    translations: RawTranslations,
) -> None:
    """Post an update on a maintenance (SLUG: slug, prefix or fragment).

    With --lang LANG it posts nothing new: it writes the LANG text of a message already
    posted (-m: the newest without one, or --update ID) and of the title (--title).
    """
    conflicts = (("--status", status), ("--message-LANG", translations))
    translate = language_text(lang, title, message, update_id, conflicts)
    if translate is not None:
        _translate_maintenance(content_dir, slug, translate, is_interactive(yes), commit)
        return
    now = parse_now(now_text)
    content = load_site(content_dir)
    interactive = is_interactive(yes)
    translated = checked_translations(translations, content.site)
    chosen = _update_status(status) if status else None
    maintenance = find_maintenance(content, slug)
    _refuse_ended(maintenance)
    latest = maintenance.updates[-1].status if maintenance.updates else MaintenanceStatus.SCHEDULED
    chosen = given_or_asked(
        chosen,
        interactive,
        "Status (in_progress, verifying, completed)",
        lambda a: MaintenanceStatus(vocabulary(a, UPDATE_STATUSES, "maintenance status")),
        default=UPDATE_STATUSES[min(latest.rank + 1, len(UPDATE_STATUSES) - 1)],
        unattended=Required("give --status (in_progress, verifying or completed)"),
    )
    body = plain_message(message, MAINTENANCE_MESSAGES[chosen], interactive)
    draft = MaintenanceUpdateDraft(site_time(now, content.site.timezone), chosen, body)
    _publish_update(
        content_dir,
        maintenance,
        draft,
        confirm=interactive,
        commit=commit,
        what=chosen.value,
        languages=content.site.languages,
        translations=translated,
    )


def _translate_maintenance(
    content_dir: Path, slug: str | None, given: LanguageText, interactive: bool, commit: bool
) -> None:
    """Write a maintenance's title and one of its messages (the announcement in
    maintenance.md, or an update) in another of the site's languages."""
    content = load_site(content_dir)
    language, text = given.checked(content.site, "a message's", "the maintenance's")
    maintenance = find_maintenance(content, slug)
    main = content_dir / maintenance.source.path
    messages = [
        (Path(maintenance.source.path).stem, main),
        *((u.id, content_dir / u.source.path) for u in maintenance.updates),
    ]
    target = (
        message_to_translate(messages, language, given.update_id, maintenance.slug)
        if text.message is not None
        else None
    )
    if text.title is not None:
        refuse_existing(main, language)
    files = translation_files(main, target, {language: text})
    what = f"Maintenance {maintenance.slug}: {language} text"
    publish_new_files(content_dir, files, what, confirm=interactive, commit=commit)


@maintenance_group.command("cancel", cls=TranslatingCommand)
@click.argument("slug", required=False)
@click.option("-m", "--message", help="Why it is called off, and what happens instead (Markdown).")
@content_option
@now_option
@write_options
def cancel_command(
    slug: str | None,
    message: str | None,
    content_dir: Path,
    now_text: str | None,
    yes: bool,
    commit: bool,
    translations: RawTranslations,
) -> None:
    """Call off a maintenance that has not begun: it stays on the page, marked cancelled.

    On a site of several languages, --message-LANG writes the message's translation beside it.
    """
    now = parse_now(now_text)
    content = load_site(content_dir)
    site = content.site
    interactive = is_interactive(yes)
    translated = checked_translations(translations, site)
    maintenance = find_maintenance(content, slug)
    _refuse_ended(maintenance)
    _refuse_begun(maintenance)
    window = (maintenance.scheduled_for, maintenance.scheduled_until)
    draft = cancelled_message(site, window, maintenance.components)
    body = plain_message(message, draft, interactive)
    at = site_time(now, site.timezone)
    cancelled = MaintenanceUpdateDraft(at, MaintenanceStatus.CANCELLED, body)
    _publish_update(
        content_dir,
        maintenance,
        cancelled,
        confirm=interactive,
        commit=commit,
        what="cancelled",
        languages=site.languages,
        translations=translated,
    )


def _refuse_begun(maintenance: Maintenance) -> None:
    """Work that began cannot be called off: it is completed, saying what was done."""
    begun = next(
        (
            u
            for u in maintenance.updates
            if u.status in (MaintenanceStatus.IN_PROGRESS, MaintenanceStatus.VERIFYING)
        ),
        None,
    )
    if begun is not None:
        raise click.UsageError(
            f"{maintenance.slug}: the work began at {begun.at.isoformat(timespec='seconds')}, so it cannot be cancelled; "
            f"post --status completed saying what was done (statusgen maintenance update {maintenance.slug} --status completed)"
        )


@maintenance_group.command("reschedule", cls=TranslatingCommand)
@click.argument("slug", required=False)
@click.option(
    "--start", metavar="ISO8601", help="The new start; without an offset, in the site timezone."
)
@click.option("--end", metavar="ISO8601", help="The new end, after the start.")
@click.option(
    "-m",
    "--message",
    help="Why it moved (Markdown); the old and new windows are written before it.",
)
@content_option
@now_option
@write_options
def reschedule_command(
    slug: str | None,
    start: str | None,
    end: str | None,
    message: str | None,
    content_dir: Path,
    now_text: str | None,
    yes: bool,
    commit: bool,
    translations: RawTranslations,
) -> None:
    """Move a maintenance's window: maintenance.md gets the new times, and an update says from when to when.

    On a site of several languages, --message-LANG is the whole update in LANG, written
    beside it as given (say the new window in it: nothing is added).
    """
    now = parse_now(now_text)
    content = load_site(content_dir)
    zone = content.site.timezone
    interactive = is_interactive(yes)
    translated = checked_translations(translations, content.site)
    starts = parse_moment(start, zone, "--start") if start else None
    ends = parse_moment(end, zone, "--end") if end else None
    maintenance = find_maintenance(content, slug)
    _refuse_ended(maintenance)
    new_start, new_end = _ask_new_window(maintenance, starts, ends, now, yes, zone)
    why = plain_message(message, "", interactive, "Why it moved (blank for none)")
    old_window = (maintenance.scheduled_for, maintenance.scheduled_until)
    body = rescheduled_message(old_window, (new_start, new_end), zone, why)
    # The update keeps the phase the page shows: moving the end of running work must not
    # turn it back into "scheduled".
    posted = [u for u in maintenance.updates if u.at <= now]
    status = posted[-1].status if posted else MaintenanceStatus.SCHEDULED
    rewritten = _rewritten_window(content_dir, maintenance, new_start, new_end)
    draft = MaintenanceUpdateDraft(site_time(now, zone), status, body, label="rescheduled")
    _publish_update(
        content_dir,
        maintenance,
        draft,
        confirm=interactive,
        commit=commit,
        what="rescheduled",
        languages=content.site.languages,
        translations=translated,
        replaced=[rewritten],
    )


def _rewritten_window(
    content_dir: Path, maintenance: Maintenance, starts: datetime, ends: datetime
) -> tuple[Path, str, str]:
    """maintenance.md, its text as read and with the new window (for `write_and_check`); a
    window not written as plain `key: value` lines is left to a person."""
    main = content_dir / maintenance.source.path
    before = main.read_text(encoding="utf-8")
    try:
        return main, before, rescheduled_text(before, starts, ends)
    except ValueError as problem:
        raise click.UsageError(
            f"{maintenance.source.path}: {problem}; change the window there by hand"
        ) from None


def _ask_new_window(
    maintenance: Maintenance,
    starts: datetime | None,
    ends: datetime | None,
    now: datetime,
    yes: bool,
    zone: ZoneInfo,
) -> tuple[datetime, datetime]:
    """The new window from the options, asking at a terminal (the current start, and the
    same length, as defaults); refused if empty, unchanged or (without --yes) past."""
    interactive = is_interactive(yes)
    starts = given_or_asked(
        starts,
        interactive,
        f"New start (YYYY-MM-DDTHH:MM, {zone.key})",
        _moment(zone, "start"),
        default=f"{maintenance.scheduled_for.astimezone(zone):%Y-%m-%dT%H:%M}",
        unattended=Required(
            "give --start, e.g. --start 2026-12-08T02:00 (site time) or with an offset"
        ),
    )
    length = maintenance.scheduled_until - maintenance.scheduled_for
    ends = given_or_asked(
        ends,
        interactive,
        f"New end (YYYY-MM-DDTHH:MM, {zone.key})",
        _moment(zone, "end"),
        default=f"{(starts + length).astimezone(zone):%Y-%m-%dT%H:%M}",
        unattended=Required("give --end, e.g. --end 2026-12-08T04:00"),
    )
    new_start, new_end = site_time(starts, zone), site_time(ends, zone)
    _refuse_empty_window(new_start, new_end)
    if (new_start, new_end) == (maintenance.scheduled_for, maintenance.scheduled_until):
        raise click.UsageError(
            f"{maintenance.slug} is already scheduled for {window_text(new_start, new_end, zone)}"
        )
    _refuse_past_window(new_end, now, yes, zone)
    return new_start, new_end
