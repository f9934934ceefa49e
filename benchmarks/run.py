"""Build speed at scale: cold builds, no-change rebuilds, one-update rebuilds, peak memory.

    .venv/bin/python benchmarks/run.py [--sizes 100 1000 10000] [--runs 5] [--jobs N]

For each size N a deterministic synthetic site (benchmarks/sitegen.py) is built by the real
command in a subprocess. Each measure is the median of --runs runs, with min and max:
- cold: a fresh output folder and no cache (`--no-cache`);
- warm full: a fresh output folder with the cache of an earlier build kept, as on a CI or
  Netlify build that keeps `.statusgen-cache` between deploys;
- unchanged: a rebuild with nothing changed, cache warm (also checks no file was rewritten);
- one update: a rebuild after one new update file, cache warm;
- peak RSS: the largest resident set of the build process over the cold runs.
Before the sizes, the start-up of the commands the on-call engineer runs at every step:
`statusgen --help` and `statusgen incident list` on the example site.
It prints a table with each target and writes benchmarks/results.json. Not part of the
test suite: the machine it runs on is noisy, so read medians and ratios.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from sitegen import NOW, generate

RESULTS = Path(__file__).resolve().parent / "results.json"
TARGETS = {
    "cold_1000": 2.0,
    "cold_10000": 15.0,
    "growth": 11.0,
    "rss_10000_mb": 400.0,
    "help": 0.15,
    "incident_list": 0.15,
}
EXAMPLE = Path(__file__).resolve().parent.parent / "content"
STARTUP = {
    "help": ["--help"],
    "incident_list": ["incident", "list", "--content", str(EXAMPLE)],
}


def startup(runs: int) -> dict[str, dict[str, float]]:
    """Median, min and max seconds of each on-call command, from process start to exit."""
    found: dict[str, dict[str, float]] = {}
    for name, args in STARTUP.items():
        seconds = []
        for _ in range(runs):
            started = time.perf_counter()
            subprocess.run(
                [sys.executable, "-m", "statusgen", *args],
                stdout=subprocess.DEVNULL,
                stderr=subprocess.DEVNULL,
                check=True,
            )
            seconds.append(time.perf_counter() - started)
        found[name] = {
            "median": statistics.median(seconds),
            "min": min(seconds),
            "max": max(seconds),
        }
    return found


def run_build(content: Path, out: Path, extra: list[str]) -> tuple[float, float]:
    """Seconds and peak RSS (MB) of one `statusgen build` in a child process."""
    command = [
        sys.executable,
        "-m",
        "statusgen",
        "build",
        str(content),
        "--output",
        str(out),
        "--now",
        NOW.isoformat(),
        "--quiet",
        *extra,
    ]
    started = time.perf_counter()
    process = subprocess.Popen(command)
    _, status, usage = os.wait4(process.pid, 0)
    elapsed = time.perf_counter() - started
    process.returncode = os.waitstatus_to_exitcode(status)
    if process.returncode != 0:
        raise SystemExit(f"build failed ({process.returncode}): {' '.join(command)}")
    return elapsed, usage.ru_maxrss / 1024


def file_states(root: Path) -> dict[str, tuple[int, int]]:
    return {
        p.relative_to(root).as_posix(): (p.stat().st_ino, p.stat().st_mtime_ns)
        for p in root.rglob("*")
        if p.is_file()
    }


def summary(values: list[float]) -> dict[str, float]:
    return {"median": statistics.median(values), "min": min(values), "max": max(values)}


def measure(size: int, runs: int, jobs: list[str], work: Path) -> dict[str, object]:
    content = generate(work / f"site-{size}", size)
    cache = work / f"cache-{size}"
    out = work / f"public-{size}"
    cold, rss = [], []
    for _ in range(runs):
        shutil.rmtree(out, ignore_errors=True)
        seconds, peak = run_build(content, out, ["--no-cache", *jobs])
        cold.append(seconds)
        rss.append(peak)
    run_build(content, out, ["--cache-dir", str(cache), *jobs])  # warm the cache
    warm = []
    for _ in range(runs):
        shutil.rmtree(out, ignore_errors=True)
        warm.append(run_build(content, out, ["--cache-dir", str(cache), *jobs])[0])
    unchanged, rewritten = [], 0
    for _ in range(runs):
        before = file_states(out)
        unchanged.append(run_build(content, out, ["--cache-dir", str(cache), *jobs])[0])
        after = file_states(out)
        rewritten = max(
            rewritten, sum(1 for path, state in after.items() if before.get(path) != state)
        )
    one_update = []
    incident = max((content / "incidents").iterdir())
    for run in range(runs):
        update = incident / f"99-bench-{run}.md"
        update.write_text(
            f"---\nat: {NOW.isoformat()}\nstatus: identified\n---\nBenchmark update {run}.\n"
        )
        one_update.append(run_build(content, out, ["--cache-dir", str(cache), *jobs])[0])
        update.unlink()
    return {
        "incidents": size,
        "files": len(file_states(out)),
        "cold_seconds": summary(cold),
        "warm_full_seconds": summary(warm),
        "unchanged_seconds": summary(unchanged),
        "one_update_seconds": summary(one_update),
        "peak_rss_mb": summary(rss),
        "files_rewritten_by_unchanged_rebuild": rewritten,
    }


def verdict(ok: bool) -> str:
    return "OK" if ok else "MISSED"


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--sizes", type=int, nargs="+", default=[100, 1000, 10000])
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--jobs", type=int, default=None, help="passed to statusgen build --jobs")
    args = parser.parse_args()
    jobs = ["--jobs", str(args.jobs)] if args.jobs else []
    started = startup(args.runs)
    print("start-up (median of runs):")
    for name, figures in started.items():
        target = TARGETS[name]
        print(
            f"  {name:<14} {figures['median']:.3f} s  ≤ {target} s  ratio "
            f"{figures['median'] / target:.2f}  {verdict(figures['median'] <= target)}"
        )
    results = []
    with tempfile.TemporaryDirectory(prefix="statusgen-bench-") as work:
        for size in args.sizes:
            print(f"measuring {size} incidents …", flush=True)
            results.append(measure(size, args.runs, jobs, Path(work)))
    print(
        f"\n{'incidents':>9} {'files':>6} {'cold s (min–max)':>22} {'warm full s':>12} {'unchanged s':>12} {'one update s':>13} {'peak RSS MB':>12} {'rewritten':>9}"
    )
    for r in results:
        c, w, u, o, m = (
            r["cold_seconds"],
            r["warm_full_seconds"],
            r["unchanged_seconds"],
            r["one_update_seconds"],
            r["peak_rss_mb"],
        )  # type: ignore[index]
        print(
            f"{r['incidents']:>9} {r['files']:>6} {c['median']:>8.2f} ({c['min']:.2f}–{c['max']:.2f}) "  # type: ignore[index]
            f"{w['median']:>12.2f} {u['median']:>12.2f} {o['median']:>13.2f} {m['median']:>12.0f} {r['files_rewritten_by_unchanged_rebuild']:>9}"  # type: ignore[index]
        )
    by_size = {r["incidents"]: r for r in results}
    print("\ntargets (2-core machine class):")
    if 1000 in by_size:
        value = by_size[1000]["cold_seconds"]["median"]  # type: ignore[index]
        print(
            f"  cold build, 1,000 incidents   {value:6.2f} s  ≤ {TARGETS['cold_1000']} s   ratio {value / TARGETS['cold_1000']:.2f}  {verdict(value <= TARGETS['cold_1000'])}"
        )
    if 10000 in by_size:
        value = by_size[10000]["cold_seconds"]["median"]  # type: ignore[index]
        print(
            f"  cold build, 10,000 incidents  {value:6.2f} s  ≤ {TARGETS['cold_10000']} s  ratio {value / TARGETS['cold_10000']:.2f}  {verdict(value <= TARGETS['cold_10000'])}"
        )
        rss = by_size[10000]["peak_rss_mb"]["median"]  # type: ignore[index]
        print(
            f"  peak RSS, 10,000 incidents    {rss:6.0f} MB ≤ {TARGETS['rss_10000_mb']:.0f} MB ratio {rss / TARGETS['rss_10000_mb']:.2f}  {verdict(rss <= TARGETS['rss_10000_mb'])}"
        )
    if 1000 in by_size and 10000 in by_size:
        time_growth = (
            by_size[10000]["cold_seconds"]["median"] / by_size[1000]["cold_seconds"]["median"]
        )  # type: ignore[index]
        rss_growth = (
            by_size[10000]["peak_rss_mb"]["median"] / by_size[1000]["peak_rss_mb"]["median"]
        )  # type: ignore[index]
        print(
            f"  growth 1k → 10k: time ×{time_growth:.1f}, memory ×{rss_growth:.1f}  (≤ ×{TARGETS['growth']:.0f})  {verdict(time_growth <= TARGETS['growth'] and rss_growth <= TARGETS['growth'])}"
        )
    for r in results:
        print(
            f"  unchanged rebuild rewrites no file, {r['incidents']} incidents: {verdict(r['files_rewritten_by_unchanged_rebuild'] == 0)}"
        )
    RESULTS.write_text(
        json.dumps(
            {
                "machine": {
                    "cpus": os.cpu_count(),
                    "platform": platform.platform(),
                    "python": platform.python_version(),
                },
                "targets": TARGETS,
                "startup_seconds": started,
                "results": results,
            },
            indent=2,
        )
        + "\n"
    )
    print(f"\nwritten: {RESULTS}")


if __name__ == "__main__":
    main()
