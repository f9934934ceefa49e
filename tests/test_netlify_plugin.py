"""The Netlify build plugin (netlify/plugins/statusgen-notify) run by Node as Netlify runs it.

tests/netlify_plugin_driver.js calls one hook with a stand-in for Netlify's `utils`: its cache
is a folder, its `run` starts real processes. The live site is a real build served on
127.0.0.1; `statusgen` is a small script that records its arguments, except in the last test,
which runs the real `statusgen notify`.
"""

from __future__ import annotations

import json
import os
import shutil
import socket
import subprocess
import sys
import textwrap
import tomllib
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import pytest
import yaml
from served import ServedSite, running, serve

from conftest import DEMO_NOW, MINIMAL_SITE, OPEN_INCIDENT, ROOT, checkout_environment
from statusgen.build import BuildOptions, build

PLUGIN = ROOT / "netlify" / "plugins" / "statusgen-notify"
DRIVER = ROOT / "tests" / "netlify_plugin_driver.js"
NOW = DEMO_NOW.isoformat().replace("+00:00", "Z")
INPUTS = {"content": "content", "now": NOW}
PREVIOUS_EVENTS = Path(".statusgen-previous", "api", "events.json")
UNREADABLE = Path(".statusgen-previous", "UNREADABLE")
# Stands in for the statusgen command: records its arguments, writes a journal into the cache
# folder as `statusgen notify` does, and exits with $FAKE_EXIT.
FAKE_STATUSGEN = """\
#!/bin/sh
printf '%s\\n' "$@" > statusgen-args.txt
mkdir -p .statusgen-cache
echo '{"slack": ["ev-1"]}' > .statusgen-cache/notify-journal.json
exit "${FAKE_EXIT:-0}"
"""


@pytest.fixture(scope="module")
def live_build(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    """A small site with an open incident, built once: (its content folder, its public folder)."""
    root = tmp_path_factory.mktemp("live")
    content = root / "content"
    for relative, text in {"site.yml": MINIMAL_SITE, **OPEN_INCIDENT}.items():
        path = content / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(textwrap.dedent(text), encoding="utf-8")
    build(BuildOptions(content, root / "public", DEMO_NOW))
    return content, root / "public"


@pytest.fixture
def live_site(live_build: tuple[Path, Path]) -> Iterator[ServedSite]:
    with serve(live_build[1]) as site:
        yield site


@pytest.fixture
def fake_bin(tmp_path: Path) -> Path:
    folder = tmp_path / "bin"
    folder.mkdir()
    script = folder / "statusgen"
    script.write_text(FAKE_STATUSGEN)
    script.chmod(0o755)
    return folder


@pytest.fixture
def site_folder(tmp_path: Path) -> Path:
    """The repository as Netlify checks it out: the working folder of every hook."""
    folder = tmp_path / "repo"
    folder.mkdir()
    return folder


def run_hook(
    hook: str,
    folder: Path,
    cache: Path,
    inputs: dict[str, str] = INPUTS,
    path: Path | None = None,
    **env: str,
) -> dict[str, Any]:
    """Run `hook` in `folder` with Netlify's environment variables `env`; the driver's result."""
    if shutil.which("node") is None:
        pytest.fail("node is missing: Node 20 is needed (scripts/install-test-tools)")
    dropped = {"http_proxy", "https_proxy", "all_proxy", "context", "url"}
    base = {k: v for k, v in checkout_environment().items() if k.lower() not in dropped}
    if path is not None:
        base["PATH"] = os.pathsep.join([str(path), base.get("PATH", "")])
    run = subprocess.run(
        ["node", str(DRIVER), str(PLUGIN), hook, json.dumps(inputs), str(cache)],
        cwd=folder,
        env={**base, **env},
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert run.returncode == 0, run.stderr
    result: dict[str, Any] = json.loads(run.stdout)
    assert result["error"] is None, result["error"]
    result["stderr"] = run.stderr
    return result


class AlwaysFailing(BaseHTTPRequestHandler):
    """A live site that is down: every request gets a 500."""

    def do_GET(self) -> None:
        self.send_response(500)
        self.send_header("Content-Length", "0")
        self.end_headers()

    def log_message(self, format: str, *args: Any) -> None:
        pass


def closed_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def test_a_production_build_keeps_the_live_events_byte_for_byte(
    live_site: ServedSite, site_folder: Path, tmp_path: Path
) -> None:
    """onPreBuild saves what the live site says before the new build replaces anything."""
    result = run_hook(
        "onPreBuild", site_folder, tmp_path / "cache", CONTEXT="production", URL=live_site.base_url
    )
    live = (live_site.root / "api" / "events.json").read_bytes()
    assert json.loads(live)["events"], "the served site should have events to keep"
    assert (site_folder / PREVIOUS_EVENTS).read_bytes() == live
    assert not (site_folder / UNREADABLE).exists()
    assert ("/api/events.json", 200) in live_site.requests
    assert result["failPlugin"] is None


def test_a_first_deploy_leaves_the_previous_folder_without_events(
    site_folder: Path, tmp_path: Path
) -> None:
    """No live site yet (404): the folder has no events file, so `statusgen notify` sends nothing."""
    empty = tmp_path / "nothing-live"
    empty.mkdir()
    with serve(empty) as nothing:
        run_hook(
            "onPreBuild",
            site_folder,
            tmp_path / "cache",
            CONTEXT="production",
            URL=nothing.base_url,
        )
        assert nothing.requests == [("/api/events.json", 404)]
    assert (site_folder / ".statusgen-previous").is_dir()
    assert not (site_folder / PREVIOUS_EVENTS).exists()
    assert not (site_folder / UNREADABLE).exists()


@pytest.mark.parametrize(
    ("body", "reason"),
    [("{not json", "is not JSON"), ('{"incidents": []}', 'has no "events" list')],
)
def test_a_live_events_file_that_is_not_an_events_list_is_unreadable(
    body: str, reason: str, site_folder: Path, tmp_path: Path
) -> None:
    """Garbage is not taken for an empty list, which would resend every event ever published."""
    served = tmp_path / "garbled"
    (served / "api").mkdir(parents=True)
    (served / "api" / "events.json").write_text(body)
    with serve(served) as garbled:
        result = run_hook(
            "onPreBuild",
            site_folder,
            tmp_path / "cache",
            CONTEXT="production",
            URL=garbled.base_url,
        )
    assert reason in (site_folder / UNREADABLE).read_text()
    assert not (site_folder / PREVIOUS_EVENTS).exists()
    assert result["failPlugin"] is None


def test_a_live_site_nobody_answers_for_is_unreadable(site_folder: Path, tmp_path: Path) -> None:
    """A network error never fails the build: the status page deploys regardless."""
    url = f"http://127.0.0.1:{closed_port()}"
    result = run_hook("onPreBuild", site_folder, tmp_path / "cache", CONTEXT="production", URL=url)
    assert "could not be fetched" in (site_folder / UNREADABLE).read_text()
    assert result["failPlugin"] is None


def test_a_live_site_answering_500_deploys_then_fails_the_plugin_and_sends_nothing(
    site_folder: Path, tmp_path: Path, fake_bin: Path
) -> None:
    """onPreBuild notes the 500 and lets the build go on; once live, onSuccess runs nothing and
    fails the plugin (not the deploy) with the reason and what to do."""
    server = ThreadingHTTPServer(("127.0.0.1", 0), AlwaysFailing)
    url = f"http://127.0.0.1:{server.server_address[1]}"
    cache = tmp_path / "cache"
    with running(server):
        before = run_hook("onPreBuild", site_folder, cache, CONTEXT="production", URL=url)
    assert before["failPlugin"] is None
    assert "HTTP 500" in (site_folder / UNREADABLE).read_text()
    after = run_hook("onSuccess", site_folder, cache, path=fake_bin, CONTEXT="production", URL=url)
    assert after["runs"] == [] and not (site_folder / "statusgen-args.txt").exists()
    message = after["failPlugin"]
    assert message.startswith("No notification was sent") and "HTTP 500" in message
    assert "The new deploy is live" in message and "statusgen notify content --previous" in message


@pytest.mark.parametrize("context", ["deploy-preview", "branch-deploy"])
def test_other_deploys_fetch_nothing_and_tell_nobody(
    context: str, live_site: ServedSite, site_folder: Path, tmp_path: Path, fake_bin: Path
) -> None:
    """A preview is not what subscribers see: no fetch, no `statusgen notify`."""
    cache = tmp_path / "cache"
    url = live_site.base_url
    before = run_hook("onPreBuild", site_folder, cache, CONTEXT=context, URL=url)
    after = run_hook("onSuccess", site_folder, cache, path=fake_bin, CONTEXT=context, URL=url)
    assert live_site.requests == []
    assert not (site_folder / ".statusgen-previous").exists()
    assert after["runs"] == [] and before["failPlugin"] is None and after["failPlugin"] is None
    assert after["statuses"] == [
        {"title": "No notification", "summary": f"A {context} deploy tells nobody."}
    ]


@pytest.mark.parametrize(
    ("inputs", "pinned"), [(INPUTS, ["--now", NOW]), ({"content": "content"}, [])]
)
def test_notify_runs_once_live_with_the_inputs_and_its_journal_is_kept(
    inputs: dict[str, str], pinned: list[str], site_folder: Path, tmp_path: Path, fake_bin: Path
) -> None:
    """`statusgen notify CONTENT --previous .statusgen-previous [--now NOW]`, then the cache
    folder (with the journal it wrote) goes into Netlify's cache."""
    cache = tmp_path / "cache"
    result = run_hook(
        "onSuccess", site_folder, cache, inputs, path=fake_bin, CONTEXT="production", URL="x"
    )
    args = (site_folder / "statusgen-args.txt").read_text().splitlines()
    assert args == ["notify", "content", "--previous", ".statusgen-previous", *pinned]
    assert result["failPlugin"] is None and result["saved"] == [".statusgen-cache"]
    assert json.loads((cache / ".statusgen-cache" / "notify-journal.json").read_text())


def test_a_failed_notify_fails_the_plugin_after_saving_the_journal(
    site_folder: Path, tmp_path: Path, fake_bin: Path
) -> None:
    """A channel that failed: the plugin fails naming it, and what did go out is remembered."""
    cache = tmp_path / "cache"
    result = run_hook(
        "onSuccess", site_folder, cache, path=fake_bin, CONTEXT="production", URL="x", FAKE_EXIT="1"
    )
    assert result["runs"][0]["exitCode"] == 1
    assert result["failPlugin"].startswith("statusgen notify exited with status 1")
    assert "failed channels" in result["failPlugin"]
    assert (cache / ".statusgen-cache" / "notify-journal.json").is_file()


def test_the_cache_folder_round_trips_between_builds(
    site_folder: Path, tmp_path: Path, fake_bin: Path
) -> None:
    """What one deploy saves (build cache and journal), the next build finds as it was."""
    cache = tmp_path / "cache"
    (site_folder / ".statusgen-cache" / "build").mkdir(parents=True)
    (site_folder / ".statusgen-cache" / "build" / "pages.bin").write_bytes(bytes(range(256)))
    run_hook("onSuccess", site_folder, cache, path=fake_bin, CONTEXT="production", URL="x")
    next_build = tmp_path / "next"
    next_build.mkdir()
    result = run_hook("onPreBuild", next_build, cache, CONTEXT="deploy-preview", URL="x")
    assert result["restored"] == [".statusgen-cache"]

    def tree(root: Path) -> dict[str, bytes]:
        return {str(p.relative_to(root)): p.read_bytes() for p in root.rglob("*") if p.is_file()}

    saved = tree(site_folder / ".statusgen-cache")
    assert set(saved) == {"build/pages.bin", "notify-journal.json"}
    assert tree(next_build / ".statusgen-cache") == saved


def test_the_real_notify_sends_nothing_when_the_live_site_has_every_event(
    live_build: tuple[Path, Path], live_site: ServedSite, site_folder: Path, tmp_path: Path
) -> None:
    """The real `statusgen notify`: the live site already shows every event of this build and
    the site has no `notify:` channel, so it exits 0 and the plugin does not fail."""
    shutil.copytree(live_build[0], site_folder / "content")
    cache = tmp_path / "cache"
    url = live_site.base_url
    venv_bin = Path(sys.executable).parent
    run_hook("onPreBuild", site_folder, cache, CONTEXT="production", URL=url)
    assert (site_folder / PREVIOUS_EVENTS).is_file()
    result = run_hook("onSuccess", site_folder, cache, path=venv_bin, CONTEXT="production", URL=url)
    assert result["runs"][0]["command"] == "statusgen"
    assert result["runs"][0]["exitCode"] == 0, result["stderr"]
    assert result["failPlugin"] is None, result["stderr"]


def test_the_manifest_declares_what_netlify_toml_gives() -> None:
    """Netlify refuses an input the manifest does not declare; `content` defaults to content."""
    manifest = yaml.safe_load((PLUGIN / "manifest.yml").read_text())
    assert manifest["name"] == "statusgen-notify"
    declared = {entry["name"]: entry for entry in manifest["inputs"]}
    assert declared["content"]["default"] == "content" and "default" not in declared["now"]
    (plugin,) = tomllib.loads((ROOT / "netlify.toml").read_text())["plugins"]
    assert plugin["package"] == "./netlify/plugins/statusgen-notify"
    assert plugin["inputs"] == {"content": "content", "now": NOW}
