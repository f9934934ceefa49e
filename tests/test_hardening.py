"""Bad content never breaks the site: limits, YAML bombs, pathological Markdown, kills mid-build."""

from __future__ import annotations

import random
import signal
import subprocess
import sys
import time
from datetime import datetime, timedelta
from pathlib import Path

import pytest

from conftest import (
    DEMO_NOW,
    EXAMPLE_CONTENT,
    MINIMAL_SITE,
    OPEN_INCIDENT,
    ScratchSite,
    checkout_environment,
)
from statusgen.build import BuildOptions, build, load_and_validate
from statusgen.errors import ContentInvalid
from statusgen.output.atomic import TEMP_MARK

INCIDENT = "incidents/2026-11-20-api-errors"


def errors_of(root: Path) -> list[str]:
    with pytest.raises(ContentInvalid) as caught:
        load_and_validate(root)
    return [e.format() for e in caught.value.errors]


def test_a_20_mb_markdown_file_is_refused_with_its_size(scratch_site: ScratchSite) -> None:
    """A pasted log is refused before it is read into memory or rendered."""
    huge = "---\nat: 2026-11-20T15:00:00+01:00\nstatus: identified\n---\n" + "log line\n" * (
        20 * 1024 * 1024 // 9
    )
    root = scratch_site({**OPEN_INCIDENT, f"{INCIDENT}/02.md": huge})
    (message,) = errors_of(root)
    assert message.startswith(
        f"{INCIDENT}/02.md: error: file is 20.0 MB; a content file may be at most 512 KB"
    )


@pytest.mark.parametrize("payload", ["[" * 5000, "<a " * 5000, "![" * 3000, "*[a]: b\n" * 3000])
def test_pathological_markdown_is_refused_before_rendering(
    scratch_site: ScratchSite, payload: str
) -> None:
    """Runs of '[' or '<' make Python-Markdown quadratic; such messages are refused quickly."""
    update = "---\nat: 2026-11-20T15:00:00+01:00\nstatus: identified\n---\n" + payload
    root = scratch_site({**OPEN_INCIDENT, f"{INCIDENT}/02.md": update})
    (message,) = errors_of(root)
    assert "at most 200 are allowed" in message and f"{INCIDENT}/02.md:5" in message


def test_a_yaml_alias_bomb_is_refused(scratch_site: ScratchSite) -> None:
    """The 'billion laughs' shape never expands: aliases are refused outright."""
    bomb = "---\na: &a [x, x, x, x, x, x, x, x, x]\nb: &b [*a, *a, *a, *a, *a, *a, *a, *a, *a]\nc: &c [*b, *b, *b, *b, *b, *b, *b, *b, *b]\n---\nx\n"
    root = scratch_site({**OPEN_INCIDENT, f"{INCIDENT}/02.md": bomb})
    (message,) = errors_of(root)
    assert "anchors and aliases" in message


def run_build(content: Path, out: Path, timeout: float = 180) -> subprocess.CompletedProcess[str]:
    """A real build in a subprocess, with a generous hang guard (not a performance check)."""
    return subprocess.run(
        [
            sys.executable,
            "-m",
            "statusgen",
            "build",
            str(content),
            "--output",
            str(out),
            "--now",
            "2026-11-23T13:30:00Z",
            "--quiet",
        ],
        capture_output=True,
        text=True,
        timeout=timeout,
        env=checkout_environment(),
    )


def test_an_incident_with_5000_updates_builds(scratch_site: ScratchSite, tmp_path: Path) -> None:
    """A very long incident is slow to read but builds, in bounded time."""
    files = dict(OPEN_INCIDENT)
    first = datetime.fromisoformat("2026-11-20T14:02:00+01:00")
    for n in range(2, 5001):
        # One a minute: the last is a few hours after "now", a warning (a day later: an error).
        at = (first + timedelta(minutes=n)).isoformat()
        files[f"{INCIDENT}/{n:05d}.md"] = (
            f"---\nat: {at}\nstatus: identified\n---\nStill working ({n}).\n"
        )
    content = scratch_site(files)
    run = run_build(content, tmp_path / "out")
    assert run.returncode == 0, run.stderr
    assert (tmp_path / "out" / INCIDENT / "index.html").read_text().count('class="update"') == 5000


def test_a_site_with_1000_components_builds(scratch_site: ScratchSite, tmp_path: Path) -> None:
    """Every component gets its page and its bar, in bounded time."""
    site = MINIMAL_SITE + "".join(
        f"  - id: c{n}\n    name: Component {n}\n    group: G{n % 20}\n" for n in range(1000)
    )
    content = scratch_site({**OPEN_INCIDENT, "site.yml": site})
    run = run_build(content, tmp_path / "out")
    assert run.returncode == 0, run.stderr
    assert len(list((tmp_path / "out" / "components").iterdir())) == 1002


def test_deeply_nested_markdown_builds(scratch_site: ScratchSite, tmp_path: Path) -> None:
    """5,000 nested quotes and 300-level lists render without recursion errors."""
    deep = (
        "---\nat: 2026-11-20T15:00:00+01:00\nstatus: identified\n---\n"
        + ">" * 5000
        + " deep\n\n"
        + "".join("  " * i + "- x\n\n" for i in range(300))
    )
    content = scratch_site({**OPEN_INCIDENT, f"{INCIDENT}/02.md": deep})
    build(BuildOptions(content, tmp_path / "out", DEMO_NOW))
    assert "deep" in (tmp_path / "out" / INCIDENT / "index.html").read_text()


def snapshot(root: Path) -> dict[str, bytes]:
    return {
        p.relative_to(root).as_posix(): p.read_bytes()
        for p in sorted(root.rglob("*"))
        if p.is_file()
    }


def test_a_build_killed_at_random_moments_never_damages_the_site(tmp_path: Path) -> None:
    """20 SIGKILLs at random points: the site is always one complete build, never a mix."""
    out = tmp_path / "public"
    nows = ["2026-11-23T13:30:00Z", "2026-11-23T15:30:00Z"]
    references = []
    for now in nows:
        build(
            BuildOptions(
                EXAMPLE_CONTENT, tmp_path / f"ref-{now[11:13]}", DEMO_NOW.fromisoformat(now)
            )
        )
        references.append(snapshot(tmp_path / f"ref-{now[11:13]}"))
    assert references[0] != references[1]
    build(BuildOptions(EXAMPLE_CONTENT, out, DEMO_NOW))
    rng = random.Random(20261123)
    started = time.perf_counter()
    one_build = None
    kills = 0
    for attempt in range(40):
        now = nows[attempt % 2]
        process = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "statusgen",
                "build",
                str(EXAMPLE_CONTENT),
                "--output",
                str(out),
                "--now",
                now,
                "--quiet",
            ],
            env=checkout_environment(NO_COLOR="1"),
        )
        if one_build is None:
            process.wait(timeout=120)
            one_build = time.perf_counter() - started
            continue
        time.sleep(rng.uniform(0.05, one_build * 1.1))
        if process.poll() is None:
            process.send_signal(signal.SIGKILL)
            kills += 1
        process.wait(timeout=120)
        assert snapshot(out) in references, f"site damaged after a kill in attempt {attempt}"
        if kills >= 20:
            break
    assert kills >= 20, f"only {kills} builds were killed while running"
    build(BuildOptions(EXAMPLE_CONTENT, out, DEMO_NOW))
    assert snapshot(out) == references[0]
    assert sorted(p.name for p in tmp_path.iterdir() if TEMP_MARK in p.name) == []


def test_control_characters_are_dropped_when_content_is_read(
    scratch_site: ScratchSite, tmp_path: Path
) -> None:
    """A pasted escape sequence or NUL never reaches a page, a feed or the API."""
    update = "---\nat: 2026-11-20T15:00:00+01:00\nstatus: identified\n---\nColour \x1b[31mred\x1b[0m and a NUL \x00 here.\n"
    content = scratch_site({**OPEN_INCIDENT, f"{INCIDENT}/02.md": update})
    build(BuildOptions(content, tmp_path / "out", DEMO_NOW))
    for path in (tmp_path / "out").rglob("*"):
        if path.is_file() and path.suffix in (".html", ".xml", ".json", ".ics"):
            data = path.read_text()
            assert "\x1b" not in data and "\x00" not in data, path
    assert (
        "Colour [31mred[0m and a NUL  here."
        in (tmp_path / "out" / INCIDENT / "index.html").read_text()
    )
