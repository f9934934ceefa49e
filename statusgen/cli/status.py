"""`statusgen status`: what the page says right now, in the terminal, without building it."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

import click
from rich.text import Text

from statusgen.cli.ages import age, due
from statusgen.cli.options import content_option, now_option, parse_now
from statusgen.cli.publish import load_site, stdout_console
from statusgen.cli.reporting import printable
from statusgen.derive.incidents import incident_facts
from statusgen.derive.maintenance import maintenance_facts
from statusgen.derive.status import Indicator, component_states, overall
from statusgen.model import ComponentStatus

INDICATOR_STYLE = {
    Indicator.NONE: "bold green",
    Indicator.MINOR: "bold yellow",
    Indicator.MAJOR: "bold red",
    Indicator.CRITICAL: "bold red",
    Indicator.MAINTENANCE: "bold blue",
}


@click.command("status")
@content_option
@now_option
def status_command(content_dir: Path, now_text: str | None) -> None:
    """Overall status, components not operational, open incidents, maintenance."""
    now = parse_now(now_text)
    content = load_site(content_dir)
    site = content.site
    zone = site.timezone
    order = {c.id: n for n, c in enumerate(site.components)}
    incidents = sorted(
        (incident_facts(i, site, now, order) for i in content.incidents),
        key=lambda f: f.started_at,
        reverse=True,
    )
    maintenances = sorted(
        (maintenance_facts(m, now) for m in content.maintenances),
        key=lambda f: f.maintenance.scheduled_for,
    )
    states = component_states(site.components, incidents, maintenances)
    rollup = overall([s.status for s in states])
    console = stdout_console()

    def local(moment: datetime) -> str:
        return f"{moment.astimezone(zone):%Y-%m-%d %H:%M %Z}"

    console.print(
        Text(rollup.description, style=INDICATOR_STYLE[rollup.indicator]),
        Text(f"({rollup.indicator.value})", style="dim"),
    )
    console.print(Text(f"{printable(site.name)}, as of {local(now)}", style="dim"))
    broken = [s for s in states if s.status is not ComponentStatus.OPERATIONAL]
    if broken:
        console.print(Text("\nComponents", style="bold"))
        for state in broken:
            why = ", ".join(state.incidents + state.maintenances)
            console.print(
                printable(
                    f"  {state.component.name} ({state.component.id}): {state.status.label}"
                    + (f" — {why}" if why else "")
                ),
                markup=False,
            )
    ongoing = [f for f in incidents if f.ongoing]
    console.print(Text("\nOpen incidents", style="bold"))
    if not ongoing:
        console.print("  none")
    for facts in ongoing:
        latest = facts.latest
        line = Text(f"  {facts.incident.slug}  ")
        line.append(f"{facts.phase.value}, {facts.incident.severity.value}", style="bold")
        line.append(f" — {printable(facts.incident.title)}")
        console.print(line)
        console.print(f"    last update {local(latest.at)} ({age(latest.at, now)})", markup=False)
        if facts.next_update_due is not None:
            promised = facts.next_update_due
            if promised < now:
                console.print(
                    Text(
                        f"    next update was due {local(promised)}: {due(promised, now)}",
                        style="bold red",
                    )
                )
            else:
                console.print(
                    f"    next update due {local(promised)} ({due(promised, now)})", markup=False
                )
    active = [m for m in maintenances if m.active]
    upcoming = [m for m in maintenances if m.upcoming]
    if active or upcoming:
        console.print(Text("\nMaintenance", style="bold"))
    for m in active + upcoming:
        window = f"{local(m.maintenance.scheduled_for)} – {local(m.maintenance.scheduled_until)}"
        console.print(
            f"  {m.status.value:<11} {m.maintenance.slug}  {window}  ({', '.join(m.maintenance.components)})",
            markup=False,
        )
