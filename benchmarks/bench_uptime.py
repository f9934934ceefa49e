"""Uptime for 50 components and 10,000 incidents over 3 years: median time of the computation.

    .venv/bin/python benchmarks/bench_uptime.py [--runs 5]

Target (issue "uptime"): under 1 s on the 2-core CI machine class. Prints the median, min
and max of the runs and the ratio to the target. Not part of the test suite.
"""

from __future__ import annotations

import argparse
import random
import statistics
import time
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

from statusgen.derive import derive
from statusgen.derive.uptime import site_uptime
from statusgen.errors import Source
from statusgen.model import (
    Component,
    ComponentStatus,
    Content,
    Incident,
    IncidentKind,
    IncidentStatus,
    IncidentUpdate,
    Severity,
    Site,
)

TARGET_SECONDS = 1.0
NOW = datetime(2026, 11, 23, 13, 30, tzinfo=UTC)


def synthetic_content(components: int, incidents: int, years: int, seed: int = 7) -> Content:
    rng = random.Random(seed)
    comps = tuple(
        Component(
            f"c{i}",
            f"Component {i}",
            None,
            f"G{i % 5}",
            99.9,
            None,
            None,
            None,
            Source("site.yml", i + 1),
        )
        for i in range(components)
    )
    site = Site(
        "Bench",
        "https://status.example.com",
        ZoneInfo("Europe/Paris"),
        "en",
        None,
        None,
        comps,
        None,
        None,
        (),
        Source("site.yml"),
    )
    span = years * 365 * 86400
    statuses = [
        ComponentStatus.DEGRADED_PERFORMANCE,
        ComponentStatus.PARTIAL_OUTAGE,
        ComponentStatus.MAJOR_OUTAGE,
    ]
    result = []
    for n in range(incidents):
        start = NOW - timedelta(seconds=rng.randrange(3600, span))
        touched = rng.sample(range(components), rng.randint(1, 3))
        updates = []
        at = start
        count = rng.randint(2, 5)
        for u in range(count):
            last = u == count - 1
            status = (
                IncidentStatus.RESOLVED
                if last
                else [
                    IncidentStatus.INVESTIGATING,
                    IncidentStatus.IDENTIFIED,
                    IncidentStatus.MONITORING,
                ][min(u, 2)]
            )
            changes = () if last else tuple((f"c{c}", rng.choice(statuses)) for c in touched)
            updates.append(
                IncidentUpdate(f"{u:02d}", at, status, changes, None, "Update.", Source("x"))
            )
            at += timedelta(minutes=rng.randint(5, 240))
        result.append(
            Incident(
                f"i{n}",
                f"Incident {n}",
                Severity.MINOR,
                IncidentKind.INCIDENT,
                (),
                None,
                (),
                None,
                "",
                tuple(updates),
                None,
                Source("x"),
            )
        )
    return Content(site, tuple(result), ())


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    content = synthetic_content(50, 10_000, 3)
    site = content.site
    facts = derive(content, NOW)
    uptime_timings, derive_timings = [], []
    for _ in range(args.runs):
        started = time.perf_counter()
        uptime = site_uptime(
            site.components, facts.incidents, facts.maintenances, site.timezone, NOW, site.uptime
        )
        uptime_timings.append(time.perf_counter() - started)
        started = time.perf_counter()
        _ = derive(content, NOW).uptime  # uptime is computed on first use
        derive_timings.append(time.perf_counter() - started)
    assert len(uptime) == 50
    print(f"50 components x 10,000 incidents x 3 years ({args.runs} runs)")
    for name, timings in (
        ("uptime (site_uptime)", uptime_timings),
        ("all derived facts (derive)", derive_timings),
    ):
        median = statistics.median(timings)
        verdict = "OK" if median <= TARGET_SECONDS else "OVER TARGET"
        print(
            f"  {name:<28} median {median:.3f} s  min {min(timings):.3f}  max {max(timings):.3f}  median/target {median / TARGET_SECONDS:.2f} {verdict}"
        )


if __name__ == "__main__":
    main()
