"""`statusgen incident new | update | resolve | postmortem | list`: the on-call engineer's commands.

Each command reads its options, fills in a draft (asking for what is missing at a terminal,
see prompts.py), turns it into files (drafts.py) and publishes them (publish.py: confirm,
write, re-check, commit). Values are checked against the site before anything is written.
"""

from __future__ import annotations

import difflib
import textwrap
from collections.abc import Callable, Sequence
from datetime import datetime
from pathlib import Path

import click
from rich.console import Console
from rich.table import Table
from rich.text import Text

from statusgen.cli.ages import age
from statusgen.cli.drafts import (
    IncidentDraft,
    PostmortemDraft,
    Translations,
    UpdateDraft,
    default_message,
    incident_slug,
    incident_update_files,
    new_incident_files,
    postmortem_body,
    postmortem_files,
    translation_files,
)
from statusgen.cli.options import (
    content_option,
    is_interactive,
    now_option,
    parse_later,
    parse_now,
    site_time,
    vocabulary,
    write_options,
)
from statusgen.cli.prompts import (
    Required,
    edited,
    given_or_asked,
    message_text,
    next_update,
    required,
)
from statusgen.cli.prompts import ask as ask  # the prompt every command uses, by its old address
from statusgen.cli.publish import (
    INCIDENT_FILES,
    display_path,
    load_site,
    publish_new_files,
    stdout_console,
    taken_slugs,
    update_names,
)
from statusgen.cli.reporting import echo, error_console, printable
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
from statusgen.derive.incidents import incident_facts, is_open, stated_statuses
from statusgen.model import (
    UPDATE_STATUSES,
    ComponentStatus,
    Content,
    Incident,
    IncidentKind,
    IncidentStatus,
    Severity,
    Site,
)

COMPONENT_STATUSES = [s.value for s in ComponentStatus]
DEFAULT_COMPONENT_STATUS = ComponentStatus.PARTIAL_OUTAGE
NEXT_PHASE = {
    IncidentStatus.INVESTIGATING: IncidentStatus.IDENTIFIED,
    IncidentStatus.IDENTIFIED: IncidentStatus.MONITORING,
    IncidentStatus.MONITORING: IncidentStatus.RESOLVED,
}

# ---- reading what the engineer typed ---------------------------------------------------------


def parse_component(
    text: str, site: Site, option: str = "--component"
) -> tuple[str, ComponentStatus]:
    """`api=partial_outage` (or `api`, meaning a partial outage), checked against site.yml."""
    component_id, _, status = text.strip().partition("=")
    component_id = vocabulary(
        component_id.strip(), [c.id for c in site.components], "component", option
    )
    status = status.strip() or DEFAULT_COMPONENT_STATUS.value
    return component_id, ComponentStatus(
        vocabulary(status, COMPONENT_STATUSES, "component status", option)
    )


def parse_components(
    texts: Sequence[str], site: Site, option: str = "--component"
) -> dict[str, ComponentStatus]:
    result: dict[str, ComponentStatus] = {}
    for text in texts:
        for part in (p for p in text.split(",") if p.strip()):
            component_id, status = parse_component(part, site, option)
            result[component_id] = status
    return result


def parse_status(value: str, option: str = "--status") -> IncidentStatus:
    return IncidentStatus(
        vocabulary(value, [s.value for s in UPDATE_STATUSES], "incident status", option)
    )


def parse_severity(value: str) -> Severity:
    return Severity(vocabulary(value, [s.value for s in Severity], "severity", "--severity"))


def parse_kind(value: str) -> IncidentKind:
    return IncidentKind(vocabulary(value, [k.value for k in IncidentKind], "kind", "--kind"))


def _new_status(status: IncidentStatus) -> IncidentStatus:
    if status is IncidentStatus.RESOLVED:
        raise click.BadParameter("a new incident cannot start resolved")
    return status


# ---- finding the incident ----------------------------------------------------------------------


def _listing(incidents: Sequence[Incident]) -> str:
    return "\n".join(
        f"  {i.slug}  ({'open' if is_open(i) else 'resolved'}) {i.title}" for i in incidents
    )


def find_incident(
    content: Content, query: str | None, prefer: Callable[[Incident], bool], wanted: str
) -> Incident:
    """By exact slug, unique prefix or unique fragment; omitted: the only incident `prefer` picks.

    When a fragment matches several, the ones `prefer` picks (open ones for an update) win,
    since "api" usually means today's API incident, not last month's.
    """
    incidents = sorted(content.incidents, key=lambda i: i.updates[0].at, reverse=True)
    if not query:
        candidates = [i for i in incidents if prefer(i)]
        if len(candidates) == 1:
            return candidates[0]
        if not candidates:
            raise click.UsageError(
                f"no {wanted} incident; give its slug (statusgen incident list shows them)"
            )
        raise click.UsageError(
            f"{len(candidates)} {wanted} incidents; say which:\n{_listing(candidates)}"
        )
    for found in (
        [i for i in incidents if i.slug == query],
        [i for i in incidents if i.slug.startswith(query)],
        [i for i in incidents if query in i.slug],
    ):
        matches = ([i for i in found if prefer(i)] or found) if len(found) > 1 else found
        if len(matches) == 1:
            return matches[0]
        if matches:
            raise click.UsageError(
                f"'{query}' matches {len(matches)} incidents; say which:\n{_listing(matches)}"
            )
    close = difflib.get_close_matches(query, [i.slug for i in incidents], n=3, cutoff=0.4)
    hint = (
        ("; did you mean " + " or ".join(close) + "?")
        if close
        else "; statusgen incident list shows them"
    )
    raise click.UsageError(f"no incident matches '{query}'{hint}")


def incident_folder(content_dir: Path, incident: Incident) -> Path:
    return content_dir / Path(incident.source.path).parent


# ---- the commands ------------------------------------------------------------------------------


@click.group("incident")
def incident_group() -> None:
    """Open, update, resolve and review incidents."""


@incident_group.command("new", cls=TranslatingCommand, translated=("title", "message"))
@click.argument("title", required=False)
@click.option(
    "--severity", metavar="LEVEL", help="none | minor | major | critical (default: major)."
)
@click.option(
    "--component",
    "components",
    multiple=True,
    metavar="ID=STATUS",
    help="An affected component and its status, e.g. api=partial_outage; repeat for several.",
)
@click.option(
    "--status", metavar="STATUS", help="investigating (default) | identified | monitoring."
)
@click.option("--kind", metavar="KIND", help="incident (default) | security.")
@click.option("-m", "--message", help="The first message to customers (Markdown).")
@click.option("--edit", is_flag=True, help="Write the message in $EDITOR.")
@click.option(
    "--next-update", metavar="30m|ISO8601", help="When customers can expect the next update."
)
@content_option
@now_option
@write_options
def new_command(
    title: str | None,
    severity: str | None,
    components: tuple[str, ...],
    status: str | None,
    kind: str | None,
    message: str | None,
    edit: bool,
    next_update: str | None,
    content_dir: Path,
    now_text: str | None,
    yes: bool,
    commit: bool,
    translations: RawTranslations,
) -> None:
    """Open an incident: incidents/<date-title>/incident.md and its first update.

    On a site of several languages, --title-LANG and --message-LANG write the title's and the
    message's translations beside them (incident.LANG.md, 01-STATUS.LANG.md).
    """
    now = parse_now(now_text)
    content = load_site(content_dir)
    site = content.site
    interactive = is_interactive(yes)
    at = site_time(now, site.timezone)
    # Check every option before asking anything: a typo fails at once.
    translated = checked_translations(translations, site)
    chosen_severity = parse_severity(severity) if severity else None
    chosen_status = parse_status(status) if status else None
    chosen_kind = parse_kind(kind) if kind else IncidentKind.INCIDENT
    affected = parse_components(components, site)
    promised = parse_later(next_update, at, site.timezone, "--next-update") if next_update else None
    if chosen_status is IncidentStatus.RESOLVED:
        raise click.BadParameter("a new incident cannot start resolved", param_hint="--status")
    draft = _ask_new_incident(
        site,
        at,
        interactive,
        title or None,
        chosen_severity,
        chosen_kind,
        chosen_status,
        affected,
        message,
        edit,
        promised,
    )
    slug = incident_slug(draft, taken_slugs(content_dir))
    files = new_incident_files(draft, content_dir / "incidents" / slug)
    (main, _), (first, _) = files
    files += translation_files(main, first, translated)
    what = f"Incident {slug}: {draft.first.status.value}"
    publish_new_files(content_dir, files, what, confirm=interactive, commit=commit)


def _ask_new_incident(
    site: Site,
    at: datetime,
    interactive: bool,
    title: str | None,
    severity: Severity | None,
    kind: IncidentKind,
    status: IncidentStatus | None,
    affected: dict[str, ComponentStatus],
    message: str | None,
    edit: bool,
    promised: datetime | None,
) -> IncidentDraft:
    """The new incident from the options given, asking at a terminal for the rest."""
    title = given_or_asked(
        title,
        interactive,
        "Title (what customers see)",
        required("the title"),
        unattended=Required(
            'give the title, e.g. statusgen incident new "Elevated error rates on the API"'
        ),
    )
    severity = given_or_asked(
        severity,
        interactive,
        "Severity (none, minor, major, critical)",
        parse_severity,
        default=Severity.MAJOR.value,
        unattended=Severity.MAJOR,
    )
    affected = given_or_asked(
        affected or None,
        interactive,
        "Affected components (id=status, comma-separated; blank for none)",
        lambda answer: parse_components([answer], site, "components"),
        default="",
        unattended=affected,
        context=[
            "Components: " + ", ".join(c.id for c in site.components),
            "Statuses: " + ", ".join(COMPONENT_STATUSES),
        ],
    )
    status = given_or_asked(
        status,
        interactive,
        "Status",
        lambda answer: _new_status(parse_status(answer, "status")),
        default=IncidentStatus.INVESTIGATING.value,
        unattended=IncidentStatus.INVESTIGATING,
    )
    body = message_text(message, edit, default_message(status, site, list(affected)), interactive)
    promised = next_update(promised, site, severity, at, interactive)
    first = UpdateDraft(at, status, tuple(affected.items()), body, promised)
    return IncidentDraft(title, severity, kind, first)


def _open_incident(content: Content, slug: str | None) -> Incident:
    incident = find_incident(content, slug, is_open, "open")
    if not is_open(incident):
        resolved = next(u.at for u in incident.updates if u.status is IncidentStatus.RESOLVED)
        raise click.UsageError(
            f"{incident.slug} was resolved at {resolved.isoformat(timespec='seconds')}; "
            "open a new incident for new impact (statusgen incident new)"
        )
    return incident


def _publish_update(
    content_dir: Path,
    site: Site,
    incident: Incident,
    draft: UpdateDraft,
    translations: Translations,
    *,
    interactive: bool,
    commit: bool,
) -> None:
    """Write one more update in the incident's folder, and its translations beside it (a
    clock behind the latest is warned of)."""
    latest = incident.updates[-1]
    if draft.at < latest.at:
        error_console().print(
            Text.assemble(
                ("warning", "bold yellow"),
                f": the latest update is dated {latest.at.isoformat(timespec='seconds')}, after now "
                f"({draft.at.isoformat(timespec='seconds')}); check the clock and offsets.",
            )
        )
    folder = incident_folder(content_dir, incident)
    existing = update_names(folder, INCIDENT_FILES, site.languages)
    files = incident_update_files(draft, folder, existing)
    files += translation_files(None, files[0][0], translations)
    publish_new_files(
        content_dir,
        files,
        f"Incident {incident.slug}: {draft.status.value}",
        confirm=interactive,
        commit=commit,
    )


@incident_group.command("update", cls=TranslatingCommand)
@click.argument("slug", required=False)
@click.option(
    "--status", metavar="STATUS", help="investigating | identified | monitoring | resolved."
)
@click.option(
    "--component",
    "components",
    multiple=True,
    metavar="ID=STATUS",
    help="A component's status from now on; repeat for several.",
)
@click.option("-m", "--message", help="The message to customers (Markdown).")
@click.option("--edit", is_flag=True, help="Write the message in $EDITOR.")
@click.option(
    "--next-update", metavar="30m|ISO8601", help="When customers can expect the next update."
)
@lang_options(
    "incident",
    "the newest update without a LANG text, incident.md",
    "With --lang: the update to translate (file name without .md, or its number).",
)
@content_option
@now_option
@write_options
def update_command(
    slug: str | None,
    status: str | None,
    components: tuple[str, ...],
    message: str | None,
    edit: bool,
    next_update: str | None,
    lang: str | None,
    title: str | None,
    update_id: str | None,
    content_dir: Path,
    now_text: str | None,
    yes: bool,
    commit: bool,
    translations: RawTranslations,
) -> None:
    """Post an update on an open incident (SLUG: slug, prefix or fragment; optional if only one is open).

    With --lang LANG it posts nothing new: it writes the LANG text of an update already
    posted (-m) and of the incident's title (--title), on an open or a resolved incident.
    """
    conflicts = (
        ("--status", status),
        ("--component", components),
        ("--edit", edit),
        ("--next-update", next_update),
        ("--message-LANG", translations),
    )
    translate = language_text(lang, title, message, update_id, conflicts)
    if translate is not None:
        _translate_incident(content_dir, slug, translate, is_interactive(yes), commit)
        return
    now = parse_now(now_text)
    content = load_site(content_dir)
    site = content.site
    interactive = is_interactive(yes)
    translated = checked_translations(translations, site)
    chosen = parse_status(status) if status else None
    affected = parse_components(components, site)
    incident = _open_incident(content, slug)
    at = site_time(now, site.timezone)
    promised = parse_later(next_update, at, site.timezone, "--next-update") if next_update else None
    draft = _ask_update(site, incident, at, interactive, chosen, affected, message, edit, promised)
    _publish_update(
        content_dir, site, incident, draft, translated, interactive=interactive, commit=commit
    )


def _translate_incident(
    content_dir: Path, slug: str | None, given: LanguageText, interactive: bool, commit: bool
) -> None:
    """Write an incident's title and one of its updates in another of the site's languages."""
    content = load_site(content_dir)
    language, text = given.checked(content.site, "an update's", "the incident's")
    incident = find_incident(content, slug, is_open, "open")
    main = content_dir / incident.source.path
    if text.title is not None:
        refuse_existing(main, language)
    updates = [(u.id, content_dir / u.source.path) for u in incident.updates]
    update = (
        message_to_translate(updates, language, given.update_id, incident.slug)
        if text.message is not None
        else None
    )
    files = translation_files(main, update, {language: text})
    what = f"Incident {incident.slug}: {language} text"
    publish_new_files(content_dir, files, what, confirm=interactive, commit=commit)


def _ask_update(
    site: Site,
    incident: Incident,
    at: datetime,
    interactive: bool,
    status: IncidentStatus | None,
    affected: dict[str, ComponentStatus],
    message: str | None,
    edit: bool,
    promised: datetime | None,
) -> UpdateDraft:
    """The update from the options given, asking at a terminal for the rest."""
    latest = incident.updates[-1]
    if interactive:
        echo(
            f"{incident.slug}: {incident.title} — {latest.status.value}, "
            f"last update {latest.at.isoformat(timespec='minutes')}"
        )
    status = given_or_asked(
        status,
        interactive,
        "Status (investigating, identified, monitoring, resolved)",
        parse_status,
        default=NEXT_PHASE.get(latest.status, latest.status).value,
        unattended=Required("give --status (investigating, identified, monitoring or resolved)"),
    )
    stated = stated_statuses(incident)
    if status is not IncidentStatus.RESOLVED:
        affected = given_or_asked(
            affected or None,
            interactive,
            "Change components (id=status, comma-separated; blank keeps them)",
            lambda answer: parse_components([answer], site, "components"),
            default="",
            unattended=affected,
            context=["Now: " + ", ".join(f"{c}={s.value}" for c, s in stated.items())]
            if stated
            else [],
        )
    if status is IncidentStatus.RESOLVED and promised is not None:
        raise click.BadParameter(
            "a resolved incident promises no next update", param_hint="--next-update"
        )
    draft = default_message(status, site, list(stated or incident.components))
    body = message_text(message, edit, draft, interactive)
    if status is not IncidentStatus.RESOLVED:
        promised = next_update(promised, site, incident.severity, at, interactive)
    return UpdateDraft(at, status, tuple(affected.items()), body, promised)


@incident_group.command("resolve", cls=TranslatingCommand)
@click.argument("slug", required=False)
@click.option("-m", "--message", help="The closing message to customers (Markdown).")
@click.option("--edit", is_flag=True, help="Write the message in $EDITOR.")
@content_option
@now_option
@write_options
def resolve_command(
    slug: str | None,
    message: str | None,
    edit: bool,
    content_dir: Path,
    now_text: str | None,
    yes: bool,
    commit: bool,
    translations: RawTranslations,
) -> None:
    """Resolve an open incident; its components return to operational.

    On a site of several languages, --message-LANG writes the message's translation beside it.
    """
    now = parse_now(now_text)
    content = load_site(content_dir)
    site = content.site
    interactive = is_interactive(yes)
    translated = checked_translations(translations, site)
    incident = _open_incident(content, slug)
    draft = default_message(IncidentStatus.RESOLVED, site, [])
    body = message_text(message, edit, draft, interactive)
    at = site_time(now, site.timezone)
    resolved = UpdateDraft(at, IncidentStatus.RESOLVED, (), body, None)
    _publish_update(
        content_dir, site, incident, resolved, translated, interactive=interactive, commit=commit
    )


# ---- post-mortem -------------------------------------------------------------------------------


@incident_group.command("postmortem")
@click.argument("slug")
@click.option("--edit", is_flag=True, help="Edit the post-mortem in $EDITOR before it is written.")
@content_option
@now_option
@write_options
def postmortem_command(
    slug: str, edit: bool, content_dir: Path, now_text: str | None, yes: bool, commit: bool
) -> None:
    """Write postmortem.md for a resolved incident, with its impact and timeline filled in."""
    now = parse_now(now_text)
    content = load_site(content_dir)
    site = content.site
    incident = find_incident(
        content, slug, lambda i: not is_open(i) and i.postmortem is None, "resolved"
    )
    if is_open(incident):
        raise click.UsageError(
            f"{incident.slug} is not resolved yet; "
            f"resolve it first (statusgen incident resolve {incident.slug})"
        )
    if incident.postmortem is not None:
        raise click.UsageError(
            f"{incident.slug} already has a post-mortem: {incident.postmortem.source.path}"
        )
    order = {c.id: n for n, c in enumerate(site.components)}
    body = postmortem_body(incident_facts(incident, site, now, order), site)
    if edit:
        body = edited(body, "the post-mortem")
    draft = PostmortemDraft(site_time(now, site.timezone), body)
    files = postmortem_files(draft, incident_folder(content_dir, incident))
    todo = None if edit else f"Fill in the TODOs in {display_path(files[0][0])} before publishing."
    message = f"Incident {incident.slug}: postmortem"
    publish_new_files(content_dir, files, message, confirm=False, commit=commit, note=todo)


# ---- list --------------------------------------------------------------------------------------


@incident_group.command("list")
@click.option(
    "-n", "--limit", default=10, show_default=True, help="How many resolved incidents to show."
)
@content_option
@now_option
def list_command(limit: int, content_dir: Path, now_text: str | None) -> None:
    """Open incidents first, then the most recent resolved ones."""
    now = parse_now(now_text)
    content = load_site(content_dir)
    site = content.site
    order = {c.id: n for n, c in enumerate(site.components)}
    facts = sorted(
        (incident_facts(i, site, now, order) for i in content.incidents),
        key=lambda f: f.started_at,
        reverse=True,
    )
    ongoing = [f for f in facts if f.ongoing]
    resolved = [f for f in facts if not f.ongoing][:limit]
    console = stdout_console()
    if not facts:
        console.print("No incidents yet.")
        return
    rows = [
        {
            "slug": printable(f.incident.slug),
            "status": f.phase.value,
            "severity": f.incident.severity.value,
            "started": f"{f.started_at.astimezone(site.timezone):%Y-%m-%d %H:%M}",
            "last update": age(f.latest.at, now),
            "title": printable(f.incident.title),
        }
        for f in ongoing + resolved
    ]
    columns = list_columns(rows, console.width)
    if "title" not in columns:
        _print_stacked(console, rows, len(ongoing), console.width)
        return
    table = Table(box=None, pad_edge=False, header_style="bold")
    for column in columns:
        if column == "title":
            table.add_column(column, overflow="fold", ratio=1)
        else:  # a slug is typed back into commands: never cut, never wrapped
            table.add_column(
                column, no_wrap=True, min_width=max(len(column), *(len(r[column]) for r in rows))
            )
    for index, row in enumerate(rows):
        if index == len(ongoing) and ongoing:
            table.add_section()
        # Text, not str: a title holding `[/]` or `[bold]` is shown as written, not as markup.
        table.add_row(
            *(Text(row[c]) for c in columns), style="bold red" if index < len(ongoing) else None
        )
    console.print(table)
    if not ongoing:
        console.print("No open incident.")


def _print_stacked(
    console: Console, rows: Sequence[dict[str, str]], ongoing: int, width: int
) -> None:
    """Too narrow for a table with a readable title: the slug and what fits beside it on one
    line, the title wrapped below it."""
    for index, row in enumerate(rows):
        if index == ongoing and ongoing:
            console.print()
        style = "bold red" if index < ongoing else None
        line = row["slug"]
        for column in ("status", "severity", "last update"):
            if len(line) + 2 + len(row[column]) > width and column != "status":
                break
            line += "  " + row[column]
        console.print(Text(line, style=style or ""), overflow="ignore", crop=False)
        for part in textwrap.wrap(row["title"], max(width - 4, 20)):
            console.print(Text("    " + part), overflow="ignore", crop=False)
    if not ongoing:
        console.print("No open incident.")


LIST_COLUMNS = ("slug", "status", "severity", "started", "last update", "title")
# Least useful first: the title says more than the start time, the status most of all.
DROPPABLE = ("started", "severity", "last update")
TITLE_MIN_WIDTH = 20


def list_columns(rows: Sequence[dict[str, str]], width: int) -> list[str]:
    """The columns that fit `width` with every cell whole (the title wraps), dropping the
    least useful first; the slug and the status are always kept."""
    columns = list(LIST_COLUMNS)

    def needed(names: list[str]) -> int:
        fixed = [max(len(n), *(len(r[n]) for r in rows)) for n in names if n != "title"]
        return sum(fixed) + TITLE_MIN_WIDTH + 2 * (len(names) - 1)

    for column in DROPPABLE:
        if needed(columns) <= width:
            break
        columns.remove(column)
    if needed(columns) > width:
        columns.remove("title")  # printed on lines of its own instead
    return columns
