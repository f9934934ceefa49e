"""The floor under a small site's build: what the libraries a build must use cost to load.

    .venv/bin/python benchmarks/bench_floor.py [--runs 7]

A cold build of any site imports its libraries (click, Jinja2, Python-Markdown and its
extensions, PyYAML, Babel with one locale's data, feedgen with lxml, icalendar, nh3) before
it reads a single file. Each run starts a fresh interpreter that imports exactly those, and
nothing of statusgen, and prints how long that took; beside it, an empty interpreter's start
and statusgen's own import of the build pipeline. No statusgen build of any site can be
faster than the first figure plus the second: that is the floor quoted for the small-site
targets in docs/performance.md. Medians of --runs, children allowed to write bytecode (see
benchmarks/run.py).
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import time

from run import CHILD_ENV

LIBRARIES = """
import time
started = time.perf_counter()
import click, jinja2, markupsafe, nh3, yaml
import markdown
import markdown.extensions.fenced_code, markdown.extensions.nl2br
import markdown.extensions.sane_lists, markdown.extensions.tables
import pymdownx.magiclink
from babel import Locale
import babel.dates, babel.lists, babel.numbers, babel.support, babel.units
Locale.parse("en").datetime_skeletons
import feedgen.feed, icalendar
print(time.perf_counter() - started)
"""
PIPELINE = """
import time
started = time.perf_counter()
import statusgen.build, statusgen.cli.main, statusgen.render.feeds, statusgen.render.ical
print(time.perf_counter() - started)
"""


def child_seconds(code: str) -> float:
    run = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, env=CHILD_ENV, check=True
    )
    return float(run.stdout.strip())


def start_seconds() -> float:
    started = time.perf_counter()
    subprocess.run([sys.executable, "-c", "pass"], env=CHILD_ENV, check=True)
    return time.perf_counter() - started


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--runs", type=int, default=7)
    runs = parser.parse_args().runs
    child_seconds(PIPELINE)  # bytecode written once, as an installed package has it
    measures: dict[str, list[float]] = {"start": [], "libraries": [], "pipeline": []}
    for _ in range(runs):
        measures["start"].append(start_seconds())
        measures["libraries"].append(child_seconds(LIBRARIES))
        measures["pipeline"].append(child_seconds(PIPELINE))
    labels = {
        "start": "an empty interpreter, start to exit",
        "libraries": "the libraries a build imports",
        "pipeline": "statusgen's pipeline, libraries included",
    }
    for key, label in labels.items():
        values = measures[key]
        print(
            f"{label:<45} {statistics.median(values):.3f} s "
            f"({min(values):.3f}–{max(values):.3f}, median of {runs})"
        )


if __name__ == "__main__":
    main()
