"""/api/events.json: every notifiable event, oldest first, each with an id that never changes
once published (what a notifier compares between the deployed site and a new build)."""

from __future__ import annotations

import json
from datetime import datetime, timedelta
from pathlib import Path

from conftest import DEMO_NOW, EXAMPLE_CONTENT
from statusgen.build import BuildOptions, build

TYPES = {
    "incident.created",
    "incident.updated",
    "incident.resolved",
    "incident.postmortem",
    "maintenance.scheduled",
    "maintenance.started",
    "maintenance.updated",
    "maintenance.completed",
    "maintenance.cancelled",
}
POSTGRES = "2026-11-26-postgresql-17-upgrade"


def events_at(tmp_path: Path, later: timedelta = timedelta()) -> list[dict[str, str]]:
    out = tmp_path / f"public-{int(later.total_seconds())}"
    build(BuildOptions(EXAMPLE_CONTENT, out, DEMO_NOW + later))
    events: list[dict[str, str]] = json.loads((out / "api" / "events.json").read_text())["events"]
    return events


def test_every_event_has_the_contracts_shape_oldest_first(tmp_path: Path) -> None:
    """id, type, at and the incident's or maintenance's slug; ids unique; sorted by time."""
    events = events_at(tmp_path)
    assert events and len({e["id"] for e in events}) == len(events)
    for event in events:
        assert event["type"] in TYPES
        subject = event["type"].split(".")[0]
        assert set(event) == {"id", "type", "at", subject}
    moments = [datetime.fromisoformat(e["at"]) for e in events]
    assert moments == sorted(moments)


def test_the_example_tells_what_happened_to_each_incident_and_window(tmp_path: Path) -> None:
    """Created, each update, resolved, the post-mortem; a window announced, started and
    completed by its updates; upcoming windows only announced; nothing after now."""
    events = {e["id"]: e["type"] for e in events_at(tmp_path)}
    power = "incident/2026-10-19-power-loss-in-zone-par1"
    assert events[f"{power}/created"] == "incident.created"
    assert events[f"{power}/postmortem"] == "incident.postmortem"
    assert "incident.resolved" in {t for i, t in events.items() if i.startswith(power)}
    mysql = "maintenance/2026-11-10-mysql-8-4-minor-upgrade"
    assert [t for i, t in events.items() if i.startswith(mysql)] == [
        "maintenance.scheduled",
        "maintenance.started",
        "maintenance.completed",
    ]
    assert [t for i, t in events.items() if POSTGRES in i] == ["maintenance.scheduled"]


def test_published_events_never_change_and_the_clock_adds_new_ones(tmp_path: Path) -> None:
    """Five days later every event published before is there unchanged, and the PostgreSQL
    window, opened and closed by the clock, adds its start and end."""
    before = events_at(tmp_path)
    after = events_at(tmp_path, timedelta(days=5))
    by_id = {e["id"]: e for e in after}
    assert all(by_id[e["id"]] == e for e in before)
    added = [e for e in after if e["id"] not in {b["id"] for b in before}]
    assert {(e["id"], e["type"]) for e in added if POSTGRES in e["id"]} == {
        (f"maintenance/{POSTGRES}/started", "maintenance.started"),
        (f"maintenance/{POSTGRES}/completed", "maintenance.completed"),
    }
