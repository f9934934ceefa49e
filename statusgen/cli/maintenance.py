"""`statusgen maintenance new | update | reschedule | cancel`: announce a window, say how the
work goes, move it, or call it off.

A cancelled or rescheduled maintenance is data, not a deletion: an update with
`status: cancelled`, or one saying the window moved (and the window rewritten in
maintenance.md), so the page, the feeds and subscribers' calendars all learn of it.
"""

from __future__ import annotations

from datetime import datetime
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import click

from statusgen.cli.incident import ask, confirm_files, names_of, taken_slugs, update_names
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
from statusgen.cli.publish import commit_or_explain, load_site, write_and_check
from statusgen.cli.reporting import echo
from statusgen.content.writer import markdown_document, new_slug, next_update_name, replace_fields
from statusgen.model import ComponentStatus, Content, Maintenance, MaintenanceStatus, Site
from statusgen.validate.incidents import INCIDENT_TO_MAINTENANCE, MAINTENANCE_IMPACTS

UPDATE_MESSAGES = {
    MaintenanceStatus.SCHEDULED: "The maintenance is scheduled as announced.",
    MaintenanceStatus.IN_PROGRESS: "The maintenance has started.",
    MaintenanceStatus.VERIFYING: "The work is done. We are verifying that everything works as expected.",
    MaintenanceStatus.COMPLETED: "The maintenance is complete. Everything is operating normally.",
}
# What `maintenance update --status` accepts: cancelling has its own command.
UPDATE_STATUSES = [s.value for s in MaintenanceStatus if s is not MaintenanceStatus.CANCELLED]


@click.group("maintenance")
def maintenance_group() -> None:
    """Schedule maintenance windows and post updates on them."""


def _components(values: tuple[str, ...], site: Site) -> list[str]:
    ids = [c.id for c in site.components]
    result: list[str] = []
    for value in values:
        for part in (p.strip() for p in value.split(",") if p.strip()):
            component_id = vocabulary(part, ids, "component", "--component")
            if component_id not in result:
                result.append(component_id)
    return result


@maintenance_group.command("new")
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
) -> None:
    """Schedule a maintenance: maintenance/<date-title>/maintenance.md.

    The window dates the slug; "now" is written as `announced_at`, which dates the entry
    in feeds. A window entirely in the past is refused unless --yes (recording past work).
    """
    now = parse_now(now_text)
    content = load_site(content_dir)
    site = content.site
    zone = site.timezone
    interactive = is_interactive(yes)
    ids = _components(components, site)
    impacts = [i.value for i in MAINTENANCE_IMPACTS]
    chosen_impact = (
        ComponentStatus(vocabulary(impact, impacts, "impact", "--impact"))
        if impact
        else ComponentStatus.UNDER_MAINTENANCE
    )
    starts = parse_moment(start, zone, "--start") if start else None
    ends = parse_moment(end, zone, "--end") if end else None

    if not title:
        if not interactive:
            raise click.UsageError(
                'give the title, e.g. statusgen maintenance new "PostgreSQL 17 upgrade" --start … --end … --component …'
            )
        title = str(ask("Title", None, lambda a: a or _refuse("the title is required")))
    if starts is None:
        if not interactive:
            raise click.UsageError(
                "give --start, e.g. --start 2026-12-01T02:00 (site time) or with an offset"
            )
        starts = ask(
            f"Start (YYYY-MM-DDTHH:MM, {zone.key})", None, lambda a: parse_moment(a, zone, "start")
        )
    if ends is None:
        if not interactive:
            raise click.UsageError("give --end, e.g. --end 2026-12-01T04:00")
        ends = ask(
            f"End (YYYY-MM-DDTHH:MM, {zone.key})", None, lambda a: parse_moment(a, zone, "end")
        )
    assert starts is not None and ends is not None
    if ends <= starts:
        raise click.BadParameter(
            f"the window ends ({ends.isoformat()}) before it starts ({starts.isoformat()})",
            param_hint="--end",
        )
    _refuse_past_window(ends, now, yes, zone)
    if not ids:
        if not interactive:
            raise click.UsageError(
                "give at least one --component (" + ", ".join(c.id for c in site.components) + ")"
            )
        echo("Components: " + ", ".join(c.id for c in site.components))
        ids = ask(
            "Components affected (comma-separated)",
            None,
            lambda a: _components((a,), site) or _refuse("name at least one"),
        )
    draft = f"We will perform scheduled maintenance on {names_of(site, ids)}."
    body = (
        message
        if message is not None
        else (
            str(ask("Message to customers", draft, lambda a: a or draft)) if interactive else draft
        )
    )

    slug = new_slug(title, starts.astimezone(zone).date(), taken_slugs(content_dir), "maintenance")
    meta: dict[str, Any] = {
        "title": title,
        "scheduled_for": starts.astimezone(zone).replace(microsecond=0),
        "scheduled_until": ends.astimezone(zone).replace(microsecond=0),
        "components": ids,
    }
    if chosen_impact is not ComponentStatus.UNDER_MAINTENANCE:
        meta["impact"] = chosen_impact.value
    if now < ends:  # a past window recorded with --yes was announced who knows when
        meta["announced_at"] = site_time(now, zone)
    files = [(content_dir / "maintenance" / slug / "maintenance.md", markdown_document(meta, body))]
    if interactive:
        confirm_files(files, content_dir)
    written = write_and_check(content_dir, files)
    commit_or_explain(written, f"Maintenance {slug}: scheduled", commit)


def _refuse(message: str) -> Any:
    raise click.BadParameter(message)


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


@maintenance_group.command("update")
@click.argument("slug", required=False)
@click.option(
    "--status", metavar="STATUS", help="in_progress | verifying | completed (or scheduled)."
)
@click.option("-m", "--message", help="The message to customers (Markdown).")
@content_option
@now_option
@write_options
def update_command(
    slug: str | None,
    status: str | None,
    message: str | None,
    content_dir: Path,
    now_text: str | None,
    yes: bool,
    commit: bool,
) -> None:
    """Post an update on a maintenance (SLUG: slug, prefix or fragment)."""
    now = parse_now(now_text)
    content = load_site(content_dir)
    interactive = is_interactive(yes)
    statuses = UPDATE_STATUSES
    if status in INCIDENT_TO_MAINTENANCE:
        raise click.BadParameter(
            f"'{status}' is an incident status, use '{INCIDENT_TO_MAINTENANCE[status]}'",
            param_hint="--status",
        )
    if status == MaintenanceStatus.CANCELLED.value:
        raise click.BadParameter(
            "to call a maintenance off, use: statusgen maintenance cancel SLUG --message …",
            param_hint="--status",
        )
    chosen = (
        MaintenanceStatus(vocabulary(status, statuses, "maintenance status", "--status"))
        if status
        else None
    )
    maintenance = find_maintenance(content, slug)
    _refuse_ended(maintenance)
    if chosen is None:
        if not interactive:
            raise click.UsageError("give --status (in_progress, verifying or completed)")
        latest = (
            maintenance.updates[-1].status if maintenance.updates else MaintenanceStatus.SCHEDULED
        )
        suggestion = statuses[min(latest.rank + 1, len(statuses) - 1)]
        chosen = ask(
            "Status (in_progress, verifying, completed)",
            suggestion,
            lambda a: MaintenanceStatus(vocabulary(a, statuses, "maintenance status")),
        )
    assert chosen is not None
    draft = UPDATE_MESSAGES[chosen]
    body = (
        message
        if message is not None
        else (
            str(ask("Message to customers", draft, lambda a: a or draft)) if interactive else draft
        )
    )
    at = site_time(now, content.site.timezone)
    folder = content_dir / Path(maintenance.source.path).parent
    names = [n for n in update_names(folder) if n != "maintenance.md"]
    files = [
        (
            folder / next_update_name(names, chosen.value),
            markdown_document({"at": at, "status": chosen.value}, body),
        )
    ]
    if interactive:
        confirm_files(files, content_dir)
    written = write_and_check(content_dir, files)
    commit_or_explain(written, f"Maintenance {maintenance.slug}: {chosen.value}", commit)


def _refuse_ended(maintenance: Maintenance) -> None:
    ended = next((u for u in maintenance.updates if u.status.final), None)
    if ended is not None:
        raise click.UsageError(
            f"{maintenance.slug} was {ended.status.value} at {ended.at.isoformat(timespec='seconds')}; schedule a new maintenance instead"
        )


def _window(starts: datetime, ends: datetime, zone: ZoneInfo) -> str:
    """`2026-12-01 02:00–04:00 CET`, or both dates when the window spans midnight."""
    start, end = starts.astimezone(zone), ends.astimezone(zone)
    if start.date() == end.date() and start.tzname() == end.tzname():
        return f"{start:%Y-%m-%d %H:%M}–{end:%H:%M %Z}"
    return f"{start:%Y-%m-%d %H:%M %Z} – {end:%Y-%m-%d %H:%M %Z}"


def _post(
    content_dir: Path,
    maintenance: Maintenance,
    files: list[tuple[Path, str]],
    replaced: list[tuple[Path, str, str]],
    interactive: bool,
    commit: bool,
    what: str,
) -> None:
    if interactive:
        confirm_files(files + [(path, after) for path, _, after in replaced], content_dir)
    written = write_and_check(content_dir, files, replaced)
    commit_or_explain(written, f"Maintenance {maintenance.slug}: {what}", commit)


@maintenance_group.command("cancel")
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
) -> None:
    """Call off a maintenance that has not begun: it stays on the page, marked cancelled."""
    now = parse_now(now_text)
    content = load_site(content_dir)
    site = content.site
    interactive = is_interactive(yes)
    maintenance = find_maintenance(content, slug)
    _refuse_ended(maintenance)
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
    draft = (
        f"This maintenance ({_window(maintenance.scheduled_for, maintenance.scheduled_until, site.timezone)}) is cancelled. "
        f"{names_of(site, list(maintenance.components))} will not be affected."
    )
    body = (
        message
        if message is not None
        else (
            str(ask("Message to customers", draft, lambda a: a or draft)) if interactive else draft
        )
    )
    at = site_time(now, site.timezone)
    folder = content_dir / Path(maintenance.source.path).parent
    names = [n for n in update_names(folder) if n != "maintenance.md"]
    status = MaintenanceStatus.CANCELLED
    files = [
        (
            folder / next_update_name(names, status.value),
            markdown_document({"at": at, "status": status.value}, body),
        )
    ]
    _post(content_dir, maintenance, files, [], interactive, commit, "cancelled")


@maintenance_group.command("reschedule")
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
) -> None:
    """Move a maintenance's window: maintenance.md gets the new times, and an update says from when to when."""
    now = parse_now(now_text)
    content = load_site(content_dir)
    site = content.site
    zone = site.timezone
    interactive = is_interactive(yes)
    starts = parse_moment(start, zone, "--start") if start else None
    ends = parse_moment(end, zone, "--end") if end else None
    maintenance = find_maintenance(content, slug)
    _refuse_ended(maintenance)
    if starts is None:
        if not interactive:
            raise click.UsageError(
                "give --start, e.g. --start 2026-12-08T02:00 (site time) or with an offset"
            )
        current = f"{maintenance.scheduled_for.astimezone(zone):%Y-%m-%dT%H:%M}"
        starts = ask(
            f"New start (YYYY-MM-DDTHH:MM, {zone.key})",
            current,
            lambda a: parse_moment(a, zone, "start"),
        )
    if ends is None:
        if not interactive:
            raise click.UsageError("give --end, e.g. --end 2026-12-08T04:00")
        length = maintenance.scheduled_until - maintenance.scheduled_for
        suggestion = f"{(starts + length).astimezone(zone):%Y-%m-%dT%H:%M}"
        ends = ask(
            f"New end (YYYY-MM-DDTHH:MM, {zone.key})",
            suggestion,
            lambda a: parse_moment(a, zone, "end"),
        )
    assert starts is not None and ends is not None
    new_start = starts.astimezone(zone).replace(microsecond=0)
    new_end = ends.astimezone(zone).replace(microsecond=0)
    if new_end <= new_start:
        raise click.BadParameter(
            f"the window ends ({new_end.isoformat()}) before it starts ({new_start.isoformat()})",
            param_hint="--end",
        )
    if (new_start, new_end) == (maintenance.scheduled_for, maintenance.scheduled_until):
        raise click.UsageError(
            f"{maintenance.slug} is already scheduled for {_window(new_start, new_end, zone)}"
        )
    _refuse_past_window(new_end, now, yes, zone)

    at = site_time(now, zone)
    moved = f"Rescheduled from {_window(maintenance.scheduled_for, maintenance.scheduled_until, zone)} to {_window(new_start, new_end, zone)}."
    extra = (
        message
        if message is not None
        else (str(ask("Why it moved (blank for none)", "", lambda a: a)) if interactive else "")
    )
    body = moved + (f"\n\n{extra.strip()}" if extra.strip() else "")
    # The update keeps the phase the page shows: moving the end of running work must not
    # turn it back into "scheduled".
    posted = [u for u in maintenance.updates if u.at <= now]
    status = posted[-1].status if posted else MaintenanceStatus.SCHEDULED
    folder = content_dir / Path(maintenance.source.path).parent
    main = content_dir / maintenance.source.path
    before = main.read_text(encoding="utf-8")
    try:
        after = replace_fields(before, {"scheduled_for": new_start, "scheduled_until": new_end})
    except ValueError as problem:
        raise click.UsageError(
            f"{maintenance.source.path}: {problem}; change the window there by hand"
        ) from None
    names = [n for n in update_names(folder) if n != "maintenance.md"]
    files = [
        (
            folder / next_update_name(names, "rescheduled"),
            markdown_document({"at": at, "status": status.value}, body),
        )
    ]
    _post(
        content_dir, maintenance, files, [(main, before, after)], interactive, commit, "rescheduled"
    )
