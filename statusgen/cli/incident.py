"""`statusgen incident new | update | resolve | postmortem | list`: the on-call engineer's commands.

Each command asks for what is missing when a person sits at a terminal, takes flags in
scripts, and asks nothing with --yes. Values are checked against the site before anything
is written; see publish.py for how files are written, checked and committed.
"""

from __future__ import annotations

import difflib
import re
import sys
import textwrap
from collections.abc import Callable, Sequence
from datetime import datetime
from pathlib import Path
from typing import Any

import click
from rich.console import Console
from rich.table import Table
from rich.text import Text

from statusgen.cli.ages import age
from statusgen.cli.options import (
    content_option,
    is_interactive,
    now_option,
    parse_later,
    parse_now,
    short_duration,
    site_time,
    vocabulary,
    write_options,
)
from statusgen.cli.publish import (
    commit_or_explain,
    display_path,
    load_site,
    stdout_console,
    write_and_check,
)
from statusgen.cli.reporting import echo, error_console, printable, printable_errors
from statusgen.content.writer import markdown_document, new_slug, next_update_name
from statusgen.derive.durations import duration_text
from statusgen.derive.incidents import IncidentFacts, incident_facts
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
MAIN_FILES = ("incident.md", "postmortem.md")


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


def ask(text: str, default: str | None, check: Callable[[str], Any]) -> Any:
    """A prompt that repeats until `check` accepts the answer (its error is shown).

    The question, its default and the error, which quotes the answer, are shown printable:
    a default drafted from site.yml or an answer pasted with an escape sequence is shown,
    never obeyed. (Defaults come from loaded content, which holds no control character,
    so the printable default is the default itself.)"""

    def value_proc(answer: str) -> Any:
        with printable_errors():  # click.prompt prints the error itself
            return check(answer.strip())

    shown = None if default is None else printable(default)
    return click.prompt(
        printable(text),
        default=shown,
        value_proc=value_proc,
        show_default=default is not None and default != "",
    )


def names_of(site: Site, ids: Sequence[str]) -> str:
    names = [site.component(i).name for i in ids]
    if len(names) < 2:
        return "".join(names)
    return ", ".join(names[:-1]) + " and " + names[-1]


def default_message(status: IncidentStatus, site: Site, components: Sequence[str]) -> str:
    """A plain first draft for each phase, so that --yes always has something true to say."""
    affected = names_of(site, components)
    if status is IncidentStatus.INVESTIGATING:
        return (
            f"We are investigating problems with {affected}."
            if affected
            else "We are investigating reports of a problem."
        )
    if status is IncidentStatus.IDENTIFIED:
        return "We have identified the cause and are working on a fix."
    if status is IncidentStatus.MONITORING:
        return "A fix has been applied. We are monitoring the results."
    return "This incident has been resolved. Everything is operating normally."


def require_terminal_for_edit() -> None:
    """$EDITOR needs a person at a terminal; without one it would hang or fail obscurely."""
    if not (sys.stdin.isatty() and sys.stdout.isatty()):
        raise click.UsageError(
            "--edit opens $EDITOR, which needs a terminal; in a script, give the text with --message"
        )


def message_text(message: str | None, edit: bool, draft: str, interactive: bool) -> str:
    """--message, else the draft in $EDITOR with --edit, else a prompt, else the draft."""
    if message is not None and edit:
        raise click.UsageError("give either --message or --edit, not both")
    if edit:
        require_terminal_for_edit()
    if message is not None:
        if not message.strip():
            raise click.BadParameter("the message is empty", param_hint="--message")
        return message.strip()
    if edit:
        edited = click.edit(draft + "\n", extension=".md", require_save=False)
        if edited is None or not edited.strip():
            raise click.UsageError("the message is empty; nothing was written")
        return edited.strip()
    if interactive:
        return str(ask("Message to customers", draft, lambda answer: answer or draft))
    return draft


# ---- finding the incident ----------------------------------------------------------------------


def is_open(incident: Incident) -> bool:
    return all(u.status is not IncidentStatus.RESOLVED for u in incident.updates)


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


def update_names(folder: Path) -> list[str]:
    return sorted(
        p.name for p in folder.iterdir() if p.suffix == ".md" and p.name not in MAIN_FILES
    )


def taken_slugs(content_dir: Path) -> set[str]:
    """Folder names in use, valid or not: a slug must not collide with either kind."""
    return {
        p.name
        for kind in ("incidents", "maintenance")
        if (content_dir / kind).is_dir()
        for p in (content_dir / kind).iterdir()
    }


def update_meta(
    at: datetime,
    status: IncidentStatus,
    components: dict[str, ComponentStatus],
    next_update: datetime | None,
) -> dict[str, Any]:
    meta: dict[str, Any] = {"at": at, "status": status.value}
    if components:
        meta["components"] = {cid: s.value for cid, s in components.items()}
    if next_update is not None:
        meta["next_update"] = next_update
    return meta


def confirm_files(files: Sequence[tuple[Path, str]], content_dir: Path) -> None:
    """Show what will be written and ask once; Enter means yes."""
    for path, text in files:
        stdout_console().print(Text(printable(f"\n{path.relative_to(content_dir)}"), style="bold"))
        echo(text.rstrip())
    echo()
    if not click.confirm("Write these files?", default=True):
        raise click.Abort()


def next_update_default(site: Site, severity: Severity) -> str:
    cadence = site.cadence_for(severity)
    if cadence is None:
        return ""
    return short_duration(cadence).replace(" ", "").replace("min", "m")


def cadence_promise(site: Site, severity: Severity, at: datetime) -> datetime | None:
    """The next update the site's `update_cadence` promises, as the file will hold it.

    The page shows this promise whether or not an update names one, so the CLI writes it
    down: with or without prompts, the file holds what the page says.
    """
    cadence = site.cadence_for(severity)
    return (at + cadence).astimezone(site.timezone).replace(microsecond=0) if cadence else None


def ask_next_update(site: Site, severity: Severity, at: datetime) -> datetime | None:
    default = next_update_default(site, severity)

    def check(answer: str) -> datetime | None:
        if answer:
            return parse_later(answer, at, site.timezone, "next update")
        if default:  # the page would show the cadence's promise anyway
            raise click.BadParameter(
                f"this site promises an update every {default} (update_cadence); give a time"
            )
        return None

    hint = "30m, 1h, or a time" if default else "30m, 1h, or a time; blank for none"
    result: datetime | None = ask(f"Next update in ({hint})", default, check)
    return result


# ---- the commands ------------------------------------------------------------------------------


@click.group("incident")
def incident_group() -> None:
    """Open, update, resolve and review incidents."""


@incident_group.command("new")
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
) -> None:
    """Open an incident: incidents/<date-title>/incident.md and its first update."""
    now = parse_now(now_text)
    content = load_site(content_dir)
    site = content.site
    interactive = is_interactive(yes)
    # Check every flag before asking anything: a typo fails at once.
    chosen_severity = parse_severity(severity) if severity else None
    chosen_status = parse_status(status) if status else None
    chosen_kind = (
        IncidentKind(vocabulary(kind, [k.value for k in IncidentKind], "kind", "--kind"))
        if kind
        else IncidentKind.INCIDENT
    )
    affected = parse_components(components, site)
    at = site_time(now, site.timezone)
    promised = parse_later(next_update, at, site.timezone, "--next-update") if next_update else None
    if chosen_status is IncidentStatus.RESOLVED:
        raise click.BadParameter("a new incident cannot start resolved", param_hint="--status")

    if not title:
        if not interactive:
            raise click.UsageError(
                'give the title, e.g. statusgen incident new "Elevated error rates on the API"'
            )
        title = str(
            ask(
                "Title (what customers see)",
                None,
                lambda answer: answer or _refuse("the title is required"),
            )
        )
    if chosen_severity is None:
        chosen_severity = (
            ask("Severity (none, minor, major, critical)", "major", parse_severity)
            if interactive
            else Severity.MAJOR
        )
    if not affected and interactive:
        echo("Components: " + ", ".join(c.id for c in site.components))
        echo("Statuses: " + ", ".join(COMPONENT_STATUSES))
        affected = ask(
            "Affected components (id=status, comma-separated; blank for none)",
            "",
            lambda a: parse_components([a], site, "components"),
        )
    if chosen_status is None:
        chosen_status = (
            ask(
                "Status",
                IncidentStatus.INVESTIGATING.value,
                lambda a: _new_status(parse_status(a, "status")),
            )
            if interactive
            else IncidentStatus.INVESTIGATING
        )
    body = message_text(
        message, edit, default_message(chosen_status, site, list(affected)), interactive
    )
    if promised is None:
        promised = (
            ask_next_update(site, chosen_severity, at)
            if interactive
            else cadence_promise(site, chosen_severity, at)
        )

    slug = new_slug(title, at.date(), taken_slugs(content_dir))
    folder = content_dir / "incidents" / slug
    meta: dict[str, Any] = {"title": title, "severity": chosen_severity.value}
    if chosen_kind is not IncidentKind.INCIDENT:
        meta["kind"] = chosen_kind.value
    if affected:
        meta["components"] = list(affected)
    files = [
        (folder / "incident.md", markdown_document(meta, "")),
        (
            folder / next_update_name([], chosen_status.value),
            markdown_document(update_meta(at, chosen_status, affected, promised), body),
        ),
    ]
    if interactive:
        confirm_files(files, content_dir)
    written = write_and_check(content_dir, files)
    commit_or_explain(written, f"Incident {slug}: {chosen_status.value}", commit)


def _refuse(message: str) -> Any:
    raise click.BadParameter(message)


def _new_status(status: IncidentStatus) -> IncidentStatus:
    if status is IncidentStatus.RESOLVED:
        raise click.BadParameter("a new incident cannot start resolved")
    return status


def _post_update(
    content_dir: Path,
    content: Content,
    incident: Incident,
    now: datetime,
    status: IncidentStatus,
    affected: dict[str, ComponentStatus],
    body: str,
    promised: datetime | None,
    interactive: bool,
    commit: bool,
) -> None:
    site = content.site
    at = site_time(now, site.timezone)
    latest = incident.updates[-1]
    if at < latest.at:
        error_console().print(
            Text.assemble(
                ("warning", "bold yellow"),
                f": the latest update is dated {latest.at.isoformat(timespec='seconds')}, after now "
                f"({at.isoformat(timespec='seconds')}); check the clock and offsets.",
            )
        )
    folder = incident_folder(content_dir, incident)
    name = next_update_name(update_names(folder), status.value)
    files = [(folder / name, markdown_document(update_meta(at, status, affected, promised), body))]
    if interactive:
        confirm_files(files, content_dir)
    written = write_and_check(content_dir, files)
    commit_or_explain(written, f"Incident {incident.slug}: {status.value}", commit)


def _open_incident(content: Content, slug: str | None) -> Incident:
    incident = find_incident(content, slug, is_open, "open")
    if not is_open(incident):
        resolved = next(u.at for u in incident.updates if u.status is IncidentStatus.RESOLVED)
        raise click.UsageError(
            f"{incident.slug} was resolved at {resolved.isoformat(timespec='seconds')}; "
            "open a new incident for new impact (statusgen incident new)"
        )
    return incident


def _current_statuses(incident: Incident) -> dict[str, ComponentStatus]:
    current: dict[str, ComponentStatus] = {}
    for update in incident.updates:
        current.update(dict(update.components))
    return current


@incident_group.command("update")
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
    content_dir: Path,
    now_text: str | None,
    yes: bool,
    commit: bool,
) -> None:
    """Post an update on an open incident (SLUG: slug, prefix or fragment; optional if only one is open)."""
    now = parse_now(now_text)
    content = load_site(content_dir)
    site = content.site
    interactive = is_interactive(yes)
    chosen = parse_status(status) if status else None
    affected = parse_components(components, site)
    incident = _open_incident(content, slug)
    at = site_time(now, site.timezone)
    promised = parse_later(next_update, at, site.timezone, "--next-update") if next_update else None
    latest = incident.updates[-1]
    if interactive:
        echo(
            f"{incident.slug}: {incident.title} — {latest.status.value}, last update {latest.at.isoformat(timespec='minutes')}"
        )
    if chosen is None:
        if not interactive:
            raise click.UsageError(
                "give --status (investigating, identified, monitoring or resolved)"
            )
        suggestion = NEXT_PHASE.get(latest.status, latest.status)
        chosen = ask(
            "Status (investigating, identified, monitoring, resolved)",
            suggestion.value,
            parse_status,
        )
    if not affected and interactive and chosen is not IncidentStatus.RESOLVED:
        current = _current_statuses(incident)
        if current:
            echo("Now: " + ", ".join(f"{cid}={s.value}" for cid, s in current.items()))
        affected = ask(
            "Change components (id=status, comma-separated; blank keeps them)",
            "",
            lambda a: parse_components([a], site, "components"),
        )
    if chosen is IncidentStatus.RESOLVED and promised is not None:
        raise click.BadParameter(
            "a resolved incident promises no next update", param_hint="--next-update"
        )
    body = message_text(
        message,
        edit,
        default_message(chosen, site, list(_current_statuses(incident) or incident.components)),
        interactive,
    )
    if promised is None and chosen is not IncidentStatus.RESOLVED:
        promised = (
            ask_next_update(site, incident.severity, at)
            if interactive
            else cadence_promise(site, incident.severity, at)
        )
    _post_update(
        content_dir, content, incident, now, chosen, affected, body, promised, interactive, commit
    )


@incident_group.command("resolve")
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
) -> None:
    """Resolve an open incident; its components return to operational."""
    now = parse_now(now_text)
    content = load_site(content_dir)
    interactive = is_interactive(yes)
    incident = _open_incident(content, slug)
    body = message_text(
        message, edit, default_message(IncidentStatus.RESOLVED, content.site, []), interactive
    )
    _post_update(
        content_dir,
        content,
        incident,
        now,
        IncidentStatus.RESOLVED,
        {},
        body,
        None,
        interactive,
        commit,
    )


# ---- post-mortem -------------------------------------------------------------------------------


def _first_line(markdown: str) -> str:
    text = " ".join(markdown.split())
    text = re.sub(r"[*_`]", "", text)
    return text if len(text) <= 160 else text[:157].rsplit(" ", 1)[0] + " …"


def postmortem_body(facts: IncidentFacts, site: Site) -> str:
    """Summary, Impact (duration and components from the updates), Timeline, Root cause, Follow-up.

    The timeline starts from the updates for the author to complete (what happened before the
    first update, what customers never saw); the incident page shows it instead of its own.
    """
    zone = site.timezone
    incident = facts.incident
    start = facts.started_at.astimezone(zone)
    end = (facts.resolved_at or facts.updated_at).astimezone(zone)
    # Customers know components by name: ids are for URLs and the API, never for the review.
    impacts = [
        f"- **{site.component(i.component_id).name}**: {i.worst.label.lower()} at worst"
        for i in facts.impacts
    ]
    timeline = [
        f"- **{u.at.astimezone(zone):%Y-%m-%d %H:%M}** — {u.status.value.capitalize()}: {_first_line(u.body)}"
        for u in incident.updates
    ]
    abbreviation = start.tzname() or zone.key
    offset = start.strftime("%z")
    lines = [
        "## Summary",
        "",
        f"TODO: what happened, in two or three sentences, for customers. ({incident.title})",
        "",
        "## Impact",
        "",
        f"- **Duration:** {duration_text(facts.duration)}, from {start:%Y-%m-%d %H:%M} to {end:%Y-%m-%d %H:%M} {abbreviation}.",
        *(impacts or ["- No component was marked as affected."]),
        "",
        "## Timeline",
        "",
        f"All times {abbreviation} (UTC{offset[:3]}:{offset[3:]}).",
        "",
        *timeline,
        "",
        "## Root cause",
        "",
        "TODO: why it happened, and why it was not caught earlier.",
        "",
        "## Follow-up actions",
        "",
        "- [planned] TODO: what we change so that it does not happen again — owner",
    ]
    return "\n".join(lines)


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
            f"{incident.slug} is not resolved yet; resolve it first (statusgen incident resolve {incident.slug})"
        )
    if incident.postmortem is not None:
        raise click.UsageError(
            f"{incident.slug} already has a post-mortem: {incident.postmortem.source.path}"
        )
    order = {c.id: n for n, c in enumerate(site.components)}
    facts = incident_facts(incident, site, now, order)
    body = postmortem_body(facts, site)
    if edit:
        require_terminal_for_edit()
        edited = click.edit(body + "\n", extension=".md", require_save=False)
        if edited is None or not edited.strip():
            raise click.UsageError("the post-mortem is empty; nothing was written")
        body = edited
    published = site_time(now, site.timezone)
    path = incident_folder(content_dir, incident) / "postmortem.md"
    written = write_and_check(
        content_dir, [(path, markdown_document({"published": published}, body))]
    )
    if not edit:
        echo(f"Fill in the TODOs in {display_path(path)} before publishing.")
    commit_or_explain(written, f"Incident {incident.slug}: postmortem", commit)


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
