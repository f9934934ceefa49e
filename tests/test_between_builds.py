"""True between builds: a page changes only when what it says changes, not with the clock.

A build derives its facts when they last changed (statusgen.derive.clock.settled_at), so two
builds with no content change and no clock event between them write the same pages (same
bytes, same inode and mtime: a deploy uploads nothing); only /api/statusgen/build.json says
when each build ran.
"""

from __future__ import annotations

import json
import shutil
from datetime import UTC, datetime, timedelta
from pathlib import Path

from conftest import DEMO_NOW, EXAMPLE_CONTENT
from statusgen.build import BuildOptions, build, load_and_validate
from statusgen.derive import derive
from statusgen.derive.clock import clock_events, settled_at

BUILD_JSON = "api/statusgen/build.json"
MAINTENANCE = "2026-11-26-postgresql-17-upgrade"
WINDOW_OPENS = datetime(2026, 11, 26, 1, 0, tzinfo=UTC)  # 02:00 CET


def snapshot(root: Path) -> dict[str, tuple[int, int, bytes]]:
    return {
        p.relative_to(root).as_posix(): (p.stat().st_ino, p.stat().st_mtime_ns, p.read_bytes())
        for p in sorted(root.rglob("*"))
        if p.is_file()
    }


def rebuilt(out: Path, first: datetime, second: datetime) -> set[str]:
    """The files the second of two builds into one folder rewrote."""
    build(BuildOptions(EXAMPLE_CONTENT, out, first))
    before = snapshot(out)
    build(BuildOptions(EXAMPLE_CONTENT, out, second))
    after = snapshot(out)
    assert set(before) == set(after)
    return {name for name in after if after[name] != before[name]}


def test_two_builds_two_minutes_apart_rewrite_only_the_build_time(tmp_path: Path) -> None:
    """Nothing happens between 14:30 and 14:32: no page changes, bytes nor mtime."""
    assert rebuilt(tmp_path / "public", DEMO_NOW, DEMO_NOW + timedelta(minutes=2)) == {BUILD_JSON}
    document = json.loads((tmp_path / "public" / BUILD_JSON).read_text())
    assert document["built_at"] == "2026-11-23T13:32:00+00:00"
    assert document["as_of"] == "2026-11-23T13:15:00+00:00"  # the open incident's last update
    assert document["next_change"] == "2026-11-23T14:45:00+01:00"  # its promised next update


def test_pages_say_as_of_when_their_facts_last_changed(tmp_path: Path) -> None:
    """Without JavaScript a reader sees when what the page says was true."""
    out = tmp_path / "public"
    build(BuildOptions(EXAMPLE_CONTENT, out, DEMO_NOW))
    home = (out / "index.html").read_text()
    assert 'As of <time datetime="2026-11-23T14:15:00+01:00"' in home
    assert 'data-next-change="2026-11-23T14:45:00+01:00"' in home
    assert 'datetime="2026-11-23T14:30:00+01:00"' not in home  # the build's clock, nowhere


def test_a_maintenance_start_rewrites_exactly_the_pages_that_show_it(tmp_path: Path) -> None:
    """Across 02:00 on the 26th, the window opens: the pages naming the maintenance or its
    component change, and no other page does."""
    changed = rebuilt(
        tmp_path / "public",
        WINDOW_OPENS - timedelta(minutes=2),
        WINDOW_OPENS + timedelta(minutes=2),
    )
    pages = {name for name in changed if name.endswith(".html")}
    out = tmp_path / "public"
    showing = {
        p.relative_to(out).as_posix()
        for p in out.rglob("*.html")
        if MAINTENANCE in p.read_text() or p.parent.name == "db-postgresql"
    }
    assert "index.html" in pages and f"maintenance/{MAINTENANCE}/index.html" in pages
    assert pages == showing, (pages - showing, showing - pages)
    assert "components/db-postgresql/index.html" in pages


def test_between_two_clock_events_the_facts_are_settled_at_the_first() -> None:
    """settled_at is never after now, and no clock event falls between it and now."""
    content, _ = load_and_validate(EXAMPLE_CONTENT)
    for minutes in range(0, 60 * 24 * 4, 37):
        now = DEMO_NOW + timedelta(minutes=minutes)
        settled = settled_at(content, now)
        assert settled <= now
        assert clock_events(content, settled, now) == ()


def test_components_counted_to_different_moments_share_an_incident(tmp_path: Path) -> None:
    """The API is counted to its open incident's last update, Apps to the last midnight; an
    older incident that touched both still counts for each (each component's uptime is
    computed up to its own last change, in groups)."""
    content_dir = tmp_path / "content"
    shutil.copytree(EXAMPLE_CONTENT, content_dir)
    incident = content_dir / "incidents" / "2026-11-17-delayed-live-logs-for-apps" / "incident.md"
    incident.write_text(
        incident.read_text().replace("components: [apps]", "components: [apps, api]")
    )
    content, _ = load_and_validate(content_dir)
    facts = derive(content, DEMO_NOW)
    api, apps = facts.uptime_of("api"), facts.uptime_of("apps")
    assert api.days[-1].incidents == ("2026-11-23-elevated-api-error-rates-in-par1",)
    day = next(d for d in apps.days if d.day.isoformat() == "2026-11-17")
    assert "2026-11-17-delayed-live-logs-for-apps" in day.incidents
    assert (
        "2026-11-17-delayed-live-logs-for-apps"
        in next(d for d in api.days if d.day.isoformat() == "2026-11-17").incidents
    )
