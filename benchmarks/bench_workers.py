"""Where forking starts to pay: serial, parallel and automatic builds by site size, and the
cost of starting the workers (FORK_COST in statusgen/workers.py).

    .venv/bin/python benchmarks/bench_workers.py [--sizes 10 30 100 300 1000] [--runs 5]

For each size N a synthetic site (benchmarks/sitegen.py) is built cold (`--no-cache`) by the
real command in a subprocess, three ways:
- serial: `--jobs 1`, this process alone;
- parallel: `--jobs 2` with every stage forked whatever its size (the build's `always_fork`,
  which tests use; the command has no option for it, so the child sets it before running the
  command);
- auto: no `--jobs`, what a user gets: one process per core, each stage forking only when
  its measured sample says the rest pays for it (on a 2-core machine, the same as `--jobs 2`).
The three are interleaved run by run, so a busy moment of the machine falls on all of them
alike; each figure is the median of --runs. "ratio" is parallel over serial: below 1, forking
wins, so the crossover is where it falls under 1. "auto/best" is auto over the faster of the
other two: near 1 when the decision is right.

FORK_COST is the median time to start a pool of two forked workers from a process holding a
1,000-incident site's facts, map trivial tasks on it and close it. Not part of the test
suite: the machine is noisy and shared, so read medians.
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from sitegen import NOW, generate

# The build command, run as `python -m statusgen` does, with every stage made to fork.
FORCED = """
import sys
from statusgen import build
from statusgen.workers import Runner
build.BuildOptions.runner = property(lambda options: Runner(options.workers, always_fork=True))
from statusgen.cli.main import main
main()
"""
MODES = {
    "serial": ["-m", "statusgen", "build", "--jobs", "1"],
    "parallel": ["-c", FORCED, "build", "--jobs", "2"],
    "auto": ["-m", "statusgen", "build"],
}


def build_seconds(content: Path, out: Path, mode: list[str]) -> float:
    """Wall-clock seconds of one cold `statusgen build` in a child process."""
    command = [
        sys.executable,
        *mode,
        str(content),
        "--output",
        str(out),
        "--now",
        NOW.isoformat(),
        "--no-cache",
        "--quiet",
    ]
    started = time.perf_counter()
    done = subprocess.run(
        command, check=False, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True
    )
    seconds = time.perf_counter() - started
    if done.returncode != 0:
        raise SystemExit(f"build failed ({done.returncode}): {done.stderr}")
    return seconds


def crossover(size: int, runs: int, work: Path) -> dict[str, float]:
    """Median seconds of each mode for a site of `size` incidents."""
    content = generate(work / f"site-{size}", size)
    seconds: dict[str, list[float]] = {mode: [] for mode in MODES}
    for run in range(runs):
        for mode, command in MODES.items():
            out = work / f"public-{size}-{mode}-{run}"
            seconds[mode].append(build_seconds(content, out, command))
    return {mode: statistics.median(values) for mode, values in seconds.items()}


def _trivial(number: int) -> list[str]:
    return [f"page-{number}.html"]


def fork_cost(runs: int, work: Path) -> float:
    """Median seconds to start two workers from a parent holding a 1,000-incident site, map
    trivial tasks (a list of one path back, as a page task returns) and close the pool."""
    from statusgen.build import load
    from statusgen.workers import fork_map

    site = load(generate(work / "site-fork-cost", 1000), NOW)
    _ = site.facts.uptime  # as a build holds it when it forks for the pages
    seconds = []
    for _ in range(max(runs, 15)):
        started = time.perf_counter()
        fork_map(_trivial, list(range(16)), 2)
        seconds.append(time.perf_counter() - started)
    return statistics.median(seconds)


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--sizes", type=int, nargs="+", default=[10, 30, 100, 300, 1000])
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="statusgen-bench-workers-") as folder:
        work = Path(folder)
        print(
            f"{'incidents':>9} {'serial s':>9} {'parallel s':>10} {'auto s':>7} "
            f"{'ratio':>6} {'auto/best':>9}"
        )
        for size in args.sizes:
            found = crossover(size, args.runs, work)
            ratio = found["parallel"] / found["serial"]
            best = min(found["serial"], found["parallel"])
            print(
                f"{size:>9} {found['serial']:>9.2f} {found['parallel']:>10.2f} "
                f"{found['auto']:>7.2f} {ratio:>6.2f} {found['auto'] / best:>9.2f}",
                flush=True,
            )
        cost = fork_cost(args.runs, work)
    print(f"\nFORK_COST (pool of 2: start, map trivial tasks, close): {cost * 1000:.1f} ms")


if __name__ == "__main__":
    main()
