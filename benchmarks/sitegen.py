"""Deterministic synthetic status sites for benchmarks: N incidents over 3 years.

    python benchmarks/sitegen.py OUT_DIR --incidents 1000 [--seed 1]

Each incident has 2–5 updates that set component statuses; a few incidents are still open,
and a handful of maintenance windows are past, running and upcoming at NOW.
"""

from __future__ import annotations

import argparse
import random
import shutil
from datetime import UTC, datetime, timedelta
from pathlib import Path

NOW = datetime(2026, 11, 23, 13, 30, tzinfo=UTC)
WORDS = [
    "api",
    "database",
    "latency",
    "errors",
    "deploy",
    "queue",
    "storage",
    "network",
    "dns",
    "cache",
    "login",
    "billing",
    "edge",
    "region",
    "cluster",
]
STATUSES = ["degraded_performance", "partial_outage", "major_outage"]


def _components(rng: random.Random) -> list[str]:
    count = rng.randint(8, 50)
    return [f"svc-{n}" for n in range(count)]


def _site_yml(components: list[str]) -> str:
    lines = [
        "name: Bench Cloud",
        "url: https://status.bench.example",
        "timezone: Europe/Paris",
        "update_cadence: {critical: 15m, major: 30m, minor: 2h}",
        "components:",
    ]
    for n, component in enumerate(components):
        lines += [
            f"  - id: {component}",
            f"    name: Service {n}",
            f"    group: Group {n % 6}",
            "    sla: 99.9",
        ]
    return "\n".join(lines) + "\n"


def _iso(moment: datetime) -> str:
    return moment.isoformat(timespec="seconds")


def generate(out: Path, incidents: int, seed: int = 1) -> Path:
    """Write a content folder under `out`; returns it."""
    rng = random.Random(seed)
    content = out / "content"
    shutil.rmtree(content, ignore_errors=True)
    content.mkdir(parents=True)
    components = _components(rng)
    (content / "site.yml").write_text(_site_yml(components))
    span = 3 * 365 * 86400
    open_count = min(3, max(1, incidents // 300))
    for n in range(incidents):
        ongoing = n < open_count
        start = NOW - timedelta(
            seconds=rng.randint(600, 7200) if ongoing else rng.randint(86400, span)
        )
        title = " ".join(rng.choice(WORDS) for _ in range(4)).capitalize()
        slug = f"{start:%Y-%m-%d}-{n:05d}-{'-'.join(title.lower().split())}"
        folder = content / "incidents" / slug
        folder.mkdir(parents=True)
        touched = rng.sample(components, rng.randint(1, 3))
        severity = rng.choice(["minor", "minor", "major", "critical"])
        (folder / "incident.md").write_text(
            f"---\ntitle: {title}\nseverity: {severity}\ndetected_by: monitoring\n---\nSummary of incident {n}.\n"
        )
        steps = ["investigating", "identified", "monitoring", "resolved"]
        count = rng.randint(2, 5)
        at = start
        for u in range(count):
            last = u == count - 1
            status = "resolved" if last and not ongoing else steps[min(u, 2)]
            body = f"Update {u} on incident {n}: we are looking at **{rng.choice(WORDS)}** in `{rng.choice(touched)}`.\n\n- detail one\n- detail two\n"
            lines = ["---", f"at: {_iso(at)}", f"status: {status}"]
            if status != "resolved":
                lines.append("components:")
                lines += [f"  {c}: {rng.choice(STATUSES)}" for c in touched]
            lines.append("---")
            (folder / f"{u + 1:02d}-{status}.md").write_text("\n".join(lines) + "\n" + body)
            if ongoing and at + timedelta(minutes=5) > NOW:
                break
            at = (
                min(at + timedelta(minutes=rng.randint(5, 120)), NOW - timedelta(minutes=1))
                if ongoing
                else at + timedelta(minutes=rng.randint(5, 120))
            )
    for m, offset in enumerate((-40, -3, 0, 5, 20)):
        start = (NOW + timedelta(days=offset)).replace(minute=0, second=0) - timedelta(
            hours=1 if offset == 0 else 0
        )
        folder = content / "maintenance" / f"{start:%Y-%m-%d}-maintenance-{m}"
        folder.mkdir(parents=True)
        (folder / "maintenance.md").write_text(
            f"---\ntitle: Maintenance {m}\nscheduled_for: {_iso(start)}\nscheduled_until: {_iso(start + timedelta(hours=2))}\ncomponents: [{rng.choice(components)}]\n---\nPlanned work {m}.\n"
        )
    return content


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("out", type=Path)
    parser.add_argument("--incidents", type=int, default=1000)
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()
    print(generate(args.out, args.incidents, args.seed))


if __name__ == "__main__":
    main()
