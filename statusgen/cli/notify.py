"""`statusgen notify`: tell every channel what this deploy published that the last one had not.

Run once the new site is live (the Netlify plugin runs it in `onSuccess`), with the previous
deploy's events: a folder saved before the deploy, or the live root URL read before it is
replaced. Exit 0 when everything went out (or there was nothing to send), 1 when the content
is invalid, the previous site unreadable, or any channel failed (each is named).
"""

from __future__ import annotations

import os
from pathlib import Path

import click

from statusgen.cli.options import content_argument, content_folder, parse_now
from statusgen.cli.reporting import counted, echo, error_console, print_error, print_problems
from statusgen.errors import ContentInvalid, Level

DEFAULT_JOURNAL = Path(".statusgen-cache", "notify-journal.json")


@click.command("notify")
@content_argument
@click.option(
    "--previous",
    "previous_site",
    required=True,
    metavar="SITE",
    help="The previously deployed site: a folder, or its http(s):// root URL.",
)
@click.option(
    "--now",
    "now_text",
    metavar="ISO8601",
    help="The events as of this time (as the build used). Default: SOURCE_DATE_EPOCH, else the clock.",
)
@click.option("--dry-run", is_flag=True, help="Print every message instead of sending it.")
@click.option(
    "--journal",
    "journal_path",
    type=click.Path(path_type=Path, dir_okay=False),
    default=str(DEFAULT_JOURNAL),
    show_default=True,
    help="What each channel already received: a rerun sends only the rest.",
)
@click.option("--no-journal", is_flag=True, help="Keep no journal (receivers deduplicate by id).")
def notify_command(
    content: Path | None,
    content_option: Path | None,
    previous_site: str,
    now_text: str | None,
    dry_run: bool,
    journal_path: Path,
    no_journal: bool,
) -> None:
    """Send the events the new build has and the previous deploy lacks to site.yml's channels."""
    # The pipeline and the channels load only when the command runs (see cli.main).
    from statusgen.build import load
    from statusgen.derive.events import site_events
    from statusgen.notify.channels import Channel, channels_for
    from statusgen.notify.journal import Journal
    from statusgen.notify.message import messages
    from statusgen.notify.previous import Unreadable, previous_events
    from statusgen.notify.send import deliver, plans
    from statusgen.render.html import make_environment
    from statusgen.render.language import language
    from statusgen.web import Policy, new_pool

    folder = content_folder(content, content_option)
    now = parse_now(now_text)
    console = error_console()
    try:
        site = load(folder, now)
    except ContentInvalid as invalid:
        print_problems(console, invalid.errors)
        echo(f"notify failed: {counted(len(invalid.errors), 'error')}; nothing was sent", err=True)
        raise SystemExit(1) from None
    print_problems(console, [w for w in site.warnings if w.level is Level.WARNING])
    facts = site.facts
    events = site_events(facts.incidents, facts.maintenances, facts.now)
    try:
        previous = previous_events(previous_site, Policy.reading())
    except Unreadable as unreadable:
        print_error(console, f"the previous site is unreadable: {unreadable}")
        echo(
            "notify failed: nothing was sent (it is not safe to guess what readers know)", err=True
        )
        raise SystemExit(1) from None
    if previous.ids is None:
        echo(
            f"No events file at {previous.where}: a first deploy. Nothing sent; the next deploy "
            f"tells what changes after this one ({counted(len(events), 'event')} published)."
        )
        return
    config = site.content.site
    fresh = [e for e in events if e.id not in previous.ids]
    if not config.notify:
        echo(f"{counted(len(fresh), 'new event')}; no channel in site.yml's notify:, nothing sent.")
        return
    journal, warning = Journal.load(None if no_journal else journal_path)
    if warning:
        echo(f"warning: {warning}", err=True)
    if dry_run:
        journal.path = None  # read, to show what a real run would send; never written
    journal.keep_only({e.id for e in events}, {c.name for c in config.notify})
    lang = language(config.language)
    plan = plans(
        config.notify, events, previous.ids, journal, lambda found: messages(facts, found, lang)
    )
    templates = make_environment(site.theme, lang=lang)
    channels: list[Channel] = channels_for(config.notify, os.environ, new_pool(), templates)
    total = sum(len(found) for found in plan.values())
    echo(
        f"{counted(len(fresh), 'new event')} since {previous.where}; "
        f"{counted(total, 'message')} for {counted(sum(1 for p in plan.values() if p), 'channel')}."
    )
    if dry_run:
        for channel in channels:
            for message in plan[channel.config.name]:
                echo(f"\n=== {channel.config.name} · {message.event.id} ===")
                echo(channel.preview(message))
        return
    for name, found in plan.items():
        if found or journal.owes(name):
            journal.plan(name, [m.event.id for m in found])
    outcomes = deliver(
        channels, plan, journal, lambda name, m: echo(f"  sent {m.event.id} to {name}")
    )
    failed = [o for o in outcomes if not o.ok]
    for outcome in outcomes:
        if outcome.ok:
            echo(f"{outcome.channel}: {counted(len(outcome.sent), 'message')} sent")
        else:
            print_error(
                console,
                f"{outcome.channel}: {outcome.failure}; "
                f"{counted(outcome.left, 'message')} left for the next run",
            )
    if failed:
        names = ", ".join(o.channel for o in failed)
        echo(f"notify failed: {names}", err=True)
        raise SystemExit(1)
