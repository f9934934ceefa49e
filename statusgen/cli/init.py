"""`statusgen init DIR`: a new status site that builds, deploys and explains itself.

Layout: DIR/content/ (site.yml, one resolved example incident), DIR/netlify.toml,
DIR/requirements.txt, DIR/README.md (for the ops team) and DIR/.gitignore. Build it with
`statusgen build` from DIR, or `statusgen build DIR/content` from anywhere.
"""

from __future__ import annotations

import os
from datetime import datetime, time, timedelta
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import click

from statusgen import __version__
from statusgen.cli.options import now_option, parse_now
from statusgen.content.writer import create_files, dump_yaml, markdown_document, new_slug
from statusgen.validate.fields import Invalid
from statusgen.validate.fields import url as parse_url
from statusgen.validate.site import timezone as parse_timezone

STARTER_COMPONENTS: list[dict[str, Any]] = [
    {"id": "website", "name": "Website", "description": "Our public website"},
    {"id": "api", "name": "API", "description": "The public REST API", "group": "Platform"},
    {"id": "dashboard", "name": "Dashboard", "description": "The web console where customers manage their account", "group": "Platform"},
    {"id": "notifications", "name": "Email notifications", "description": "Emails we send: sign-up, alerts, invoices", "group": "Platform"},
]

BUILD_COMMAND = "pip install -r requirements.txt && statusgen build content --output public"


def project_netlify_toml() -> str:
    """The project's own netlify.toml: shipped in the wheel, or beside the package in a checkout."""
    package = Path(__file__).resolve().parent.parent
    for candidate in (package / "starter" / "netlify.toml", package.parent / "netlify.toml"):
        if candidate.is_file():
            return candidate.read_text(encoding="utf-8")
    raise FileNotFoundError("netlify.toml is missing from this installation of statusgen")


def starter_netlify_toml(project: str) -> str:
    """Same headers and redirects as the project's, a build command without --now.

    Derived rather than copied, so the two never drift: only the [build] command changes
    (the demo's pinned time and its comment go; statusgen comes from requirements.txt).
    """
    lines = []
    for line in project.splitlines():
        stripped = line.strip()
        if stripped.startswith("#") and "--now" in stripped:
            continue
        if stripped.startswith("command =") and "statusgen build" in stripped:
            indent = line[: len(line) - len(line.lstrip())]
            line = f'{indent}command = "{BUILD_COMMAND}"'
        lines.append(line)
    return "\n".join(lines) + "\n"


GITIGNORE = """\
# The built site: Netlify (or CI) builds it from content/ on every push.
public/
.venv/
__pycache__/
"""

README = """\
# {name}

The public status page at {url}, built by [statusgen](https://pypi.org/project/statusgen/) from
the Markdown files in `content/`. Every push to the main branch rebuilds and publishes it
(Netlify reads `netlify.toml`). The page stays up when everything else is down: it is static
files only.

Install once: `python3 -m venv .venv && .venv/bin/pip install -r requirements.txt`, then put
`.venv/bin` on your PATH (or prefix the commands below with `.venv/bin/`). Run the commands from
this folder: they read `./content`.

## During an incident

Open it (asks for what you leave out; `--yes` asks nothing):

```sh
statusgen incident new "Elevated error rates on the API" --severity major --component api=partial_outage
```

Update it as you learn more (the slug may be shortened to any unique part, or left out when
only one incident is open):

```sh
statusgen incident update --status identified --message "A bad deploy; we are rolling it back." --next-update 30m
statusgen incident update --status monitoring --component api=degraded_performance
statusgen incident resolve --message "Error rates are back to normal."
```

Each command writes one new file, checks the whole site, and prints the `git` commands that
publish it; add `--commit` to commit the files it wrote, then `git push`. Statuses:
`investigating`, `identified`, `monitoring`, `resolved`. Component statuses: `operational`,
`degraded_performance`, `partial_outage`, `major_outage`, `under_maintenance`.

After a major or critical incident, write the post-incident review (impact and timeline are
filled in from the updates; complete the TODOs):

```sh
statusgen incident postmortem 2026-11-23-elevated --edit
```

## Maintenance

```sh
statusgen maintenance new "Database upgrade" --start 2026-12-01T02:00 --end 2026-12-01T04:00 --component api
statusgen maintenance update database-upgrade --status in_progress
statusgen maintenance update database-upgrade --status completed
```

## Checking and previewing

- `statusgen status`: what the page says right now.
- `statusgen incident list`: open incidents first, then recent ones.
- `statusgen lint`: every build error, plus broken promises (an update overdue, a maintenance
  never completed, a critical incident without post-mortem, a broken link). `--strict` fails
  on warnings too.
- `statusgen serve`: a preview at http://127.0.0.1:8000/ that reloads on every save and shows
  build errors over the page.
- `statusgen build`: build into `public/`, as Netlify does.

## Files

```
content/site.yml                       # name, URL, timezone ({timezone}), components
content/incidents/<slug>/incident.md   # one folder per incident
content/incidents/<slug>/NN-status.md  # one file per update
content/maintenance/<slug>/            # scheduled maintenance
```

The example incident in `content/incidents/` shows the format: delete it when you publish
your first real one.
"""


def machine_timezone() -> str:
    """The machine's IANA zone: $TZ, /etc/timezone, the /etc/localtime link, else UTC."""
    candidates = [os.environ.get("TZ", "").lstrip(":")]
    try:
        candidates.append(Path("/etc/timezone").read_text(encoding="utf-8").strip())
    except OSError:
        pass
    localtime = Path("/etc/localtime")
    if localtime.is_symlink():
        target = str(localtime.resolve())
        if "zoneinfo/" in target:
            candidates.append(target.split("zoneinfo/", 1)[1])
    for name in candidates:
        if not name or name.startswith("/"):
            continue
        try:
            ZoneInfo(name)
        except (ZoneInfoNotFoundError, ValueError):
            continue
        return name
    return "UTC"


def site_yml(name: str, site_url: str, zone: str) -> str:
    """site.yml with a comment before each section; values emitted by the YAML dumper."""
    sections: list[tuple[str, dict[str, Any]]] = [
        ("The site: its name, public URL and timezone (times written without an offset are read in it).",
         {"name": name, "url": site_url, "timezone": zone, "language": "en"}),
        (("Components, in the order shown. The id is in URLs and the API: keep it stable.\n"
          "Optional per component: sla (percent per month), redundancy, recovery (failover, rto, rpo)."),
         {"components": STARTER_COMPONENTS}),
        ("How often customers are promised an update while an incident is open (statusgen lint checks it).",
         {"update_cadence": {"critical": "15m", "major": "30m", "minor": "2h"}}),
    ]
    parts = []
    for comment, data in sections:
        lines = "\n".join(f"# {line}" for line in comment.splitlines())
        parts.append(f"{lines}\n{dump_yaml(data)}")
    return "\n".join(parts)


def example_incident(now: datetime, zone: ZoneInfo) -> tuple[str, list[tuple[str, str]]]:
    """A small resolved incident two days ago, so the first build shows a filled page."""
    day = (now.astimezone(zone) - timedelta(days=2)).date()

    def at(hour: int, minute: int) -> datetime:
        return datetime.combine(day, time(hour, minute), tzinfo=zone)

    title = "Slow responses from the API"
    slug = new_slug(title, day, ())
    files = [
        ("incident.md", markdown_document({"title": title, "severity": "minor", "components": ["api"]}, "")),
        (
            "01-investigating.md",
            markdown_document(
                {"at": at(10, 5), "status": "investigating", "components": {"api": "degraded_performance"}, "next_update": at(10, 35)},
                "Some API requests take several seconds. We are investigating.",
            ),
        ),
        (
            "02-identified.md",
            markdown_document({"at": at(10, 20), "status": "identified"}, "A database index was missing after this morning's release. We are adding it back."),
        ),
        ("03-resolved.md", markdown_document({"at": at(10, 48), "status": "resolved"}, "Response times are back to normal.")),
    ]
    return slug, files


@click.command("init")
@click.argument("directory", type=click.Path(path_type=Path, file_okay=False))
@click.option("--name", default="Example Status", show_default=True, help="The site's name, shown on every page.")
@click.option("--url", "site_url", default="https://status.example.com", show_default=True, help="The public URL of the status page.")
@click.option("--timezone", "zone_name", help="IANA timezone, e.g. Europe/Paris (default: the machine's, else UTC).")
@now_option
def init_command(directory: Path, name: str, site_url: str, zone_name: str | None, now_text: str | None) -> None:
    """Create a new status site in DIRECTORY (which must be empty or not exist)."""
    now = parse_now(now_text)
    if directory.exists() and any(directory.iterdir()):
        raise click.UsageError(f"{directory} is not empty; statusgen init only creates new sites")
    try:
        zone = parse_timezone(zone_name or machine_timezone())
        parse_url(site_url)
    except Invalid as problem:
        option = "--timezone" if zone_name and "timezone" in problem.message else "--url"
        raise click.BadParameter(f"{problem.message} ({problem.hint})", param_hint=option) from None
    slug, incident_files = example_incident(now, zone)
    content = directory / "content"
    files = [
        (content / "site.yml", site_yml(name, site_url, zone.key)),
        *((content / "incidents" / slug / file, text) for file, text in incident_files),
        (directory / "netlify.toml", starter_netlify_toml(project_netlify_toml())),
        (directory / "requirements.txt", f"# The status page generator; Netlify installs it before each build.\nstatusgen>={__version__}\n"),
        (directory / "README.md", README.format(name=name, url=site_url, timezone=zone.key)),
        (directory / ".gitignore", GITIGNORE),
    ]
    create_files(files)
    click.echo(f"Created {directory} ({zone.key}). Next:")
    click.echo(f"  cd {directory}")
    click.echo("  statusgen serve          # preview at http://127.0.0.1:8000/")
    click.echo("  git init && git add . && git commit -m 'Add the status site'")
