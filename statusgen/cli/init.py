"""`statusgen init DIR`: a new status site that builds, deploys and explains itself.

Layout: DIR/content/site.yml, DIR/netlify.toml, DIR/requirements.txt, DIR/README.md (for the
ops team), DIR/.gitignore, the rebuild workflow and the Netlify build plugin that runs
`statusgen notify` after each production deploy. Build it with `statusgen build` from DIR, or
`statusgen build DIR/content` from anywhere.

The new site has no incident: whatever it would show first is published on the first push, so
an invented incident would be news to customers. Its components are tracked from the day of
init (`since`), so the uptime bars show no data before it rather than days of 100 % nobody
measured. What it writes for people to read names only files the site has; it passes
`lint --strict`.
"""

from __future__ import annotations

import contextlib
import os
import re
import textwrap
from datetime import date
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import click

from statusgen import __version__
from statusgen.cli.options import now_option, parse_now
from statusgen.cli.reporting import echo
from statusgen.content.writer import create_files, dump_yaml
from statusgen.validate.fields import Invalid
from statusgen.validate.fields import url as parse_url
from statusgen.validate.site import timezone as parse_timezone

STARTER_COMPONENTS: list[dict[str, Any]] = [
    {"id": "website", "name": "Website", "description": "Our public website"},
    {"id": "api", "name": "API", "description": "The public REST API", "group": "Platform"},
    {
        "id": "dashboard",
        "name": "Dashboard",
        "description": "The web console where customers manage their account",
        "group": "Platform",
    },
    {
        "id": "notifications",
        "name": "Email notifications",
        "description": "Emails we send: sign-up, alerts, invoices",
        "group": "Platform",
    },
]

BUILD_COMMAND = "pip install -r requirements.txt && statusgen build content --output public"


def project_file(relative: Path) -> str:
    """A file of the project's own repository that a new site gets: shipped in the wheel under
    statusgen/starter/, or beside the package in a checkout."""
    package = Path(__file__).resolve().parent.parent
    for candidate in (package / "starter" / relative, package.parent / relative):
        if candidate.is_file():
            return candidate.read_text(encoding="utf-8")
    raise FileNotFoundError(f"{relative} is missing from this installation of statusgen")


def project_netlify_toml() -> str:
    """The project's own netlify.toml: shipped in the wheel, or beside the package in a checkout."""
    return project_file(Path("netlify.toml"))


# The Netlify build plugin netlify.toml names: copied as it is, so a new site notifies its
# subscribers the way the project's own demo does.
NOTIFY_PLUGIN = Path("netlify", "plugins", "statusgen-notify")
NOTIFY_PLUGIN_FILES = ("manifest.yml", "index.js")


def notify_plugin_files() -> list[tuple[Path, str]]:
    """The plugin's files, each with its path relative to the site's folder."""
    return [
        (NOTIFY_PLUGIN / name, project_file(NOTIFY_PLUGIN / name)) for name in NOTIFY_PLUGIN_FILES
    ]


# A file of statusgen's own repository named in a comment ("docs/security.md explains..."):
# the new site has no such file, so the sentence naming it is left out of the copy.
PROJECT_FILE = re.compile(r"\b[\w-]+/[\w./-]*\.(?:md|py|toml|txt|ya?ml|json)\b")
SENTENCE_END = re.compile(r"(?<=\.)\s+")


def _without_project_files(comment: list[str], width: int = 100) -> list[str]:
    """A block of `#` lines, minus the sentences that name one of the project's own files."""
    indent = comment[0][: len(comment[0]) - len(comment[0].lstrip())]
    text = " ".join(line.strip().removeprefix("#").strip() for line in comment)
    sentences = SENTENCE_END.split(text)
    kept = [sentence for sentence in sentences if not PROJECT_FILE.search(sentence)]
    if len(kept) == len(sentences):
        return comment
    prefix = f"{indent}# "
    return textwrap.wrap(
        " ".join(kept),
        width,
        initial_indent=prefix,
        subsequent_indent=prefix,
        break_long_words=False,
        break_on_hyphens=False,
    )


def starter_netlify_toml(project: str) -> str:
    """Same headers and redirects as the project's, a build command without --now.

    Derived rather than copied, so the two never drift: only the [build] command changes
    (the demo's pinned time and its comment go; statusgen comes from requirements.txt), the
    notify plugin loses the demo's pinned `now` input (a real site notifies as of the deploy),
    and comments stop pointing at files of statusgen's repository that the new site lacks.
    """
    lines: list[str] = []
    comment: list[str] = []
    for line in [*project.splitlines(), ""]:
        stripped = line.strip()
        if stripped.startswith("#"):
            if "--now" not in stripped:
                comment.append(line)
            continue
        if comment:
            lines += _without_project_files(comment)
            comment = []
        if stripped.startswith("now ="):
            continue
        if stripped.startswith("command =") and "statusgen build" in stripped:
            indent = line[: len(line) - len(line.lstrip())]
            lines.append(f'{indent}command = "{BUILD_COMMAND}"')
        else:
            lines.append(line)
    return "\n".join(lines).rstrip("\n") + "\n"


def install_command(build_command: str) -> str:
    """The part of a netlify.toml build command that installs statusgen (before the first &&):
    the scheduled rebuild installs it the same way, so both run the same version."""
    return build_command.split("&&", 1)[0].strip()


# The scheduled rebuild: a build shows the facts as of the last moment they changed, so one is
# due whenever a clock event (statusgen schedule) has passed since the build that is live.
# The decision is a plain shell step that a test runs for real against local servers.
REBUILD_WORKFLOW = """\
# Rebuilds the status site when the clock changes what it says and nobody pushed: a maintenance
# window opening or closing, a promised update falling due, a local midnight (the uptime bars
# gain a day). Pages show the facts as of their build, so a build is due once such a moment has
# passed. Every 5 minutes this asks the live site when it was built
# (/api/statusgen/build.json) and `statusgen schedule` whether anything changed since; only then
# it calls the Netlify build hook. A site without that file (built before statusgen wrote it)
# is rebuilt.
#
# Needs the repository secret NETLIFY_BUILD_HOOK: in Netlify, Site configuration > Build &
# deploy > Continuous deployment > Build hooks > Add build hook; then in GitHub, Settings >
# Secrets and variables > Actions > New repository secret. The live site is site.yml's url,
# unless the repository variable STATUS_SITE_URL names another.
name: Rebuild the status site when the clock changes it

on:
  schedule:
    - cron: "*/5 * * * *"
  workflow_dispatch:

permissions:
  contents: read

concurrency:
  group: status-rebuild
  cancel-in-progress: false

jobs:
  rebuild:
    # A repository variable STATUS_REBUILD=off pauses it (a demo whose build pins --now).
    if: vars.STATUS_REBUILD != 'off'
    runs-on: ubuntu-latest
    timeout-minutes: 10
    steps:
      - uses: actions/checkout@v4
      - uses: actions/setup-python@v5
        with:
          python-version: "3.11"
      - name: Install statusgen
        run: {install}
      - name: Rebuild if the site changed by itself since the live build
        shell: bash
        env:
          NETLIFY_BUILD_HOOK: ${{{{ secrets.NETLIFY_BUILD_HOOK }}}}
          STATUS_SITE_URL: ${{{{ vars.STATUS_SITE_URL }}}}
          CONTENT: {content}
        run: |
          if [ -z "${{NETLIFY_BUILD_HOOK:-}}" ]; then
            echo "::error::The repository secret NETLIFY_BUILD_HOOK is missing. Create a build hook in Netlify (Site configuration > Build & deploy > Continuous deployment > Build hooks) and add its URL as that secret (Settings > Secrets and variables > Actions)." >&2
            exit 1
          fi
          site_url="${{STATUS_SITE_URL:-}}"
          if [ -z "$site_url" ]; then
            site_url=$(python -c 'import sys, yaml; print(yaml.safe_load(open(sys.argv[1], encoding="utf-8"))["url"])' "$CONTENT/site.yml")
          fi
          live="${{site_url%/}}/api/statusgen/build.json"
          now=$(date -u +%Y-%m-%dT%H:%M:%SZ)
          reason=""
          if ! build_json=$(curl -fsSL --max-time 30 "$live"); then
            reason="$live cannot be read (a site built before statusgen wrote it?)"
          elif ! built_at=$(printf '%s' "$build_json" | python -c 'import json, sys; print(json.load(sys.stdin)["built_at"])' 2>/dev/null); then
            reason="$live has no built_at"
          else
            changes=$(statusgen schedule "$CONTENT" --now "$built_at" --until "$now")
            if [ -z "$changes" ]; then
              echo "Nothing changed by itself between the live build ($built_at) and $now."
              exit 0
            fi
            reason="the site changed by itself since the live build ($built_at):"$'\\n'"$changes"
          fi
          echo "Rebuilding: $reason"
          curl -fsS --max-time 30 -X POST -d '{{}}' "$NETLIFY_BUILD_HOOK"
"""

# Where the rebuild workflow lives, in a new site as in statusgen's own repository.
REBUILD_WORKFLOW_PATH = Path(".github", "workflows", "status-rebuild.yml")


def rebuild_workflow(install: str, content: str = "content") -> str:
    """The GitHub Actions workflow that rebuilds the site when a clock event has passed since
    the live build: `install` installs statusgen (as netlify.toml does), `content` is the
    content folder."""
    return REBUILD_WORKFLOW.format(install=install, content=content)


GITIGNORE = """\
# The built site: Netlify (or CI) builds it from content/ on every push.
public/
# What statusgen keeps between builds to build faster; it rebuilds it when missing.
.statusgen-cache/
# The live site's events, fetched by the notify plugin before each production deploy.
.statusgen-previous/
.venv/
__pycache__/
"""


def requirements_txt(version: str) -> str:
    """The exact statusgen that created the site: a later one may build it differently."""
    return (
        "# The status page generator, the version that created this site; Netlify installs it\n"
        "# before each build. README.md says what to write here if this version is not on PyPI.\n"
        f"statusgen=={version}\n"
    )


README = """\
# {name}

The public status page at {url}, built by statusgen {version}
from the files in `content/`. Every push to the main branch rebuilds and publishes it (Netlify
reads `netlify.toml`). The page stays up when everything else is down: it is static files only.

## Installing statusgen

You need Python 3.11 or later. Once, in this folder:

```sh
python3 -m venv .venv && .venv/bin/pip install -r requirements.txt
```

then put `.venv/bin` on your PATH (or prefix the commands below with `.venv/bin/`). Run the
commands from this folder: they read `./content`.

`requirements.txt` pins `statusgen=={version}`, the version that created this site, for you and
for Netlify alike. That line installs from PyPI. If that version is not published there (yet),
replace the line with where your copy of statusgen comes from, keeping the same version, and
commit it:

- a Git repository of statusgen: `statusgen @ git+https://<host>/<owner>/statusgen@<tag or commit>`;
- a wheel built from its source (`pip wheel --no-deps <statusgen source folder>`) and committed
  into this repository: the wheel's path relative to this folder, like
  `./<folder>/statusgen-{version}-py3-none-any.whl`.

Check with `statusgen --version`.

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

## Between builds

A page says what was true when it was built. When a maintenance window opens or closes, a
promised update falls due, or a day ends (the uptime bars gain a day), the site needs a build
although nobody pushed: `statusgen schedule` lists those moments. The workflow
`.github/workflows/status-rebuild.yml` checks every 5 minutes whether one has passed since the
build that is live and, if so, starts a build through a Netlify build hook. Create the hook in
Netlify (Site configuration > Build & deploy > Continuous deployment > Build hooks) and save its
URL as the GitHub repository secret `NETLIFY_BUILD_HOOK`; until then the workflow fails and
says so.

## Notifications

Once a production deploy is live, the Netlify build plugin in
`netlify/plugins/statusgen-notify/` runs `statusgen notify`: it tells the channels listed under
`notify:` in `content/site.yml` (Slack, Microsoft Teams, Discord, webhooks, e-mail) what the
deploy published: a new incident or update, a maintenance announced, started or completed,
each only once. Without a `notify:` section it sends nothing; deploy previews and branch
deploys never do.

## Files

```
content/site.yml                       # name, URL, timezone ({timezone}), components
content/incidents/<slug>/incident.md   # written by `statusgen incident new`
content/incidents/<slug>/NN-status.md  # one file per update
content/maintenance/<slug>/            # written by `statusgen maintenance new`
```

The site starts with no incident: the first one is the first you open. An update file is
Markdown after a few `key: value` lines, like this one:

```markdown
---
at: 2026-11-23T14:15:00+01:00
status: identified
components:
  api: partial_outage
next_update: 2026-11-23T14:45:00+01:00
---
A bad deploy; we are rolling it back.
```

Uptime is counted from the `since:` date of each component in `content/site.yml` (the day this
site was created): earlier days show no data.
"""


def machine_timezone() -> str:
    """The machine's IANA zone: $TZ, /etc/timezone, the /etc/localtime link, else UTC."""
    candidates = [os.environ.get("TZ", "").lstrip(":")]
    with contextlib.suppress(OSError):
        candidates.append(Path("/etc/timezone").read_text(encoding="utf-8").strip())
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


def site_yml(name: str, site_url: str, zone: str, since: date) -> str:
    """site.yml with a comment before each section; values emitted by the YAML dumper."""
    components = [{**component, "since": since} for component in STARTER_COMPONENTS]
    sections: list[tuple[str, dict[str, Any]]] = [
        (
            (
                "The site: its name, shown as it is on every page, public URL and timezone (times\n"
                "written without an offset are read in it)."
            ),
            {"name": name, "url": site_url, "timezone": zone, "language": "en"},
        ),
        (
            (
                "Components, in the order shown. The id is in URLs and the API: keep it stable.\n"
                "since: the day uptime is counted from (earlier days show no data, not 100 %).\n"
                "Optional per component: sla (percent per month), redundancy, recovery (failover, rto, rpo)."
            ),
            {"components": components},
        ),
        (
            "How often customers are promised an update while an incident is open (statusgen lint checks it).",
            {"update_cadence": {"critical": "15m", "major": "30m", "minor": "2h"}},
        ),
    ]
    parts = []
    for comment, data in sections:
        lines = "\n".join(f"# {line}" for line in comment.splitlines())
        parts.append(f"{lines}\n{dump_yaml(data)}")
    return "\n".join(parts)


@click.command("init")
@click.argument("directory", type=click.Path(path_type=Path, file_okay=False))
@click.option(
    "--name",
    default="Example Status",
    show_default=True,
    help="The site's name, shown on every page.",
)
@click.option(
    "--url",
    "site_url",
    default="https://status.example.com",
    show_default=True,
    help="The public URL of the status page.",
)
@click.option(
    "--timezone",
    "zone_name",
    help="IANA timezone, e.g. Europe/Paris (default: the machine's, else UTC).",
)
@now_option
def init_command(
    directory: Path, name: str, site_url: str, zone_name: str | None, now_text: str | None
) -> None:
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
    content = directory / "content"
    files = [
        (content / "site.yml", site_yml(name, site_url, zone.key, now.astimezone(zone).date())),
        (directory / "netlify.toml", starter_netlify_toml(project_netlify_toml())),
        (directory / "requirements.txt", requirements_txt(__version__)),
        (
            directory / "README.md",
            README.format(name=name, url=site_url, timezone=zone.key, version=__version__),
        ),
        (directory / ".gitignore", GITIGNORE),
        (directory / REBUILD_WORKFLOW_PATH, rebuild_workflow(install_command(BUILD_COMMAND))),
        *[(directory / relative, text) for relative, text in notify_plugin_files()],
    ]
    create_files(files)
    echo(f"Created {directory} ({zone.key}). Next:")
    echo(f"  cd {directory}")
    echo("  statusgen serve          # preview at http://127.0.0.1:8000/")
    echo("  git init && git add . && git commit -m 'Add the status site'")
