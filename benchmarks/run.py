"""Build speed at scale: cold builds, no-change rebuilds, one-update rebuilds, peak memory.

    .venv/bin/python benchmarks/run.py [--sizes 100 1000 10000] [--runs 5] [--jobs N]

For each size N a deterministic synthetic site (benchmarks/sitegen.py) is built by the real
command in a subprocess. Each measure is the median of --runs runs, with min and max:
- cold: a fresh output folder and no cache (`--no-cache`);
- warm full: a fresh output folder with the cache of an earlier build kept, as on a CI or
  Netlify build that keeps `.statusgen-cache` between deploys;
- unchanged: a rebuild with nothing changed, cache warm (also checks no file was rewritten);
- one update: a rebuild after one new update file, cache warm;
- deploy: a fresh output folder with the cache of the previous build restored and one more
  update than it had, as a Netlify deploy that keeps `.statusgen-cache`;
- peak RSS: the largest resident set of the build process over the cold runs.
Before the sizes, the start-up of the commands the on-call engineer runs at every step
(`statusgen --help` and `statusgen incident list` on the example site) and a cold build of
the example site.
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
    "example_cold": 0.25,
    "cold_100": 0.30,  # 0.66 × the 0.46 s cState/Hugo took for the same 100 incidents
    "warm_full_100": 0.15,
    "cold_1000": 2.0,
    "deploy_1000": 1.0,
    "cold_10000": 15.0,
    "growth": 11.0,
    "rss_10000_mb": 250.0,
    "help": 0.15,
    "incident_list": 0.15,
}
EXAMPLE = Path(__file__).resolve().parent.parent / "content"
STARTUP = {
    "help": ["--help"],
    "incident_list": ["incident", "list", "--content", str(EXAMPLE)],
}
# Measured as users run it: an installed package has its modules byte-compiled (pip does it),
# so the children may write and read bytecode whatever this shell's environment says; an
# editable install with PYTHONDONTWRITEBYTECODE set would compile every module on every run.
CHILD_ENV = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}


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
                env=CHILD_ENV,
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
    with tempfile.TemporaryFile() as stderr:  # warnings of the synthetic sites: shown on failure
        process = subprocess.Popen(command, env=CHILD_ENV, stderr=stderr)
        _, status, usage = os.wait4(process.pid, 0)
        elapsed = time.perf_counter() - started
        process.returncode = os.waitstatus_to_exitcode(status)
        if process.returncode != 0:
            stderr.seek(0)
            sys.stderr.write(stderr.read().decode(errors="replace"))
            raise SystemExit(f"build failed ({process.returncode}): {' '.join(command)}")
    return elapsed, usage.ru_maxrss / 1024


def file_states(root: Path) -> dict[str, tuple[int, int]]:
    return {
        p.relative_to(root).as_posix(): (p.stat().st_ino, p.stat().st_mtime_ns)
        for p in root.rglob("*")
        if p.is_file()
    }


def write_results(path: Path, figures: dict[str, object]) -> None:
    """`figures` as JSON in `path`, after the machine they were measured on."""
    machine = {
        "cpus": os.cpu_count(),
        "platform": platform.platform(),
        "python": platform.python_version(),
    }
    path.write_text(json.dumps({"machine": machine, **figures}, indent=2) + "\n")


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
    one_update, deploy = [], []
    incident = max((content / "incidents").iterdir())
    for run in range(runs):
        update = incident / f"99-bench-{run}.md"
        update.write_text(
            f"---\nat: {NOW.isoformat()}\nstatus: identified\n---\nBenchmark update {run}.\n"
        )
        one_update.append(run_build(content, out, ["--cache-dir", str(cache), *jobs])[0])
        # A deploy: a fresh output folder (Netlify builds in a new container) with the
        # cache of the previous deploy restored, one more update than that deploy had.
        deployed = work / f"deploy-{size}"
        shutil.rmtree(deployed, ignore_errors=True)
        shutil.copytree(cache, deployed / "cache")
        update.write_text(update.read_text() + "More.\n")
        command = ["--cache-dir", str(deployed / "cache"), *jobs]
        deploy.append(run_build(content, deployed / "public", command)[0])
        update.unlink()
    return {
        "incidents": size,
        "files": len(file_states(out)),
        "cold_seconds": summary(cold),
        "warm_full_seconds": summary(warm),
        "unchanged_seconds": summary(unchanged),
        "one_update_seconds": summary(one_update),
        "deploy_seconds": summary(deploy),
        "peak_rss_mb": summary(rss),
        "files_rewritten_by_unchanged_rebuild": rewritten,
    }


def example_cold(runs: int, work: Path) -> dict[str, float]:
    """The example site (content/), cold: a fresh output folder and no cache."""
    seconds = []
    for run in range(runs):
        seconds.append(run_build(EXAMPLE, work / f"example-{run}", ["--no-cache"])[0])
    return summary(seconds)


def verdict(ok: bool) -> str:
    return "OK" if ok else "MISSED"


def target_line(label: str, value: float, target: float, unit: str = "s") -> str:
    return (
        f"  {label:<36} {value:8.3f} {unit:<2} ≤ {target:g} {unit:<2} ratio {value / target:5.2f}"
        f"  {verdict(value <= target)}"
    )


def median(result: dict[str, object], key: str) -> float:
    figures = result[key]
    assert isinstance(figures, dict)
    value: float = figures["median"]
    return value


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
    results = []
    with tempfile.TemporaryDirectory(prefix="statusgen-bench-") as work:
        example = example_cold(args.runs, Path(work))
        for size in args.sizes:
            print(f"measuring {size} incidents …", flush=True)
            results.append(measure(size, args.runs, jobs, Path(work)))
    print(
        f"\n{'incidents':>9} {'files':>6} {'cold s (min–max)':>22} {'warm full s':>12} "
        f"{'unchanged s':>12} {'one update s':>13} {'deploy s':>9} {'peak RSS MB':>12} "
        f"{'rewritten':>9}"
    )
    for r in results:
        c = r["cold_seconds"]
        assert isinstance(c, dict)
        print(
            f"{r['incidents']:>9} {r['files']:>6} {c['median']:>8.2f} ({c['min']:.2f}–{c['max']:.2f})"
            f" {median(r, 'warm_full_seconds'):>12.2f} {median(r, 'unchanged_seconds'):>12.2f}"
            f" {median(r, 'one_update_seconds'):>13.2f} {median(r, 'deploy_seconds'):>9.2f}"
            f" {median(r, 'peak_rss_mb'):>12.0f} {r['files_rewritten_by_unchanged_rebuild']:>9}"
        )
    by_size = {r["incidents"]: r for r in results}
    print("\ntargets (2-core machine class, medians):")
    print(target_line("statusgen --help", started["help"]["median"], TARGETS["help"]))
    print(
        target_line(
            "statusgen incident list (example)",
            started["incident_list"]["median"],
            TARGETS["incident_list"],
        )
    )
    print(target_line("example site, cold build", example["median"], TARGETS["example_cold"]))
    checks = [
        (100, "cold_seconds", "100 incidents, cold build", "cold_100", "s"),
        (100, "warm_full_seconds", "100 incidents, cache kept", "warm_full_100", "s"),
        (1000, "cold_seconds", "1,000 incidents, cold build", "cold_1000", "s"),
        (1000, "deploy_seconds", "1,000 incidents, deploy build", "deploy_1000", "s"),
        (10000, "cold_seconds", "10,000 incidents, cold build", "cold_10000", "s"),
        (10000, "peak_rss_mb", "10,000 incidents, peak RSS", "rss_10000_mb", "MB"),
    ]
    for size, key, label, target, unit in checks:
        if size in by_size:
            print(target_line(label, median(by_size[size], key), TARGETS[target], unit))
    if 1000 in by_size and 10000 in by_size:
        time_growth = median(by_size[10000], "cold_seconds") / median(by_size[1000], "cold_seconds")
        rss_growth = median(by_size[10000], "peak_rss_mb") / median(by_size[1000], "peak_rss_mb")
        print(
            f"  growth 1k → 10k: time ×{time_growth:.1f}, memory ×{rss_growth:.1f}"
            f"  (≤ ×{TARGETS['growth']:.0f})"
            f"  {verdict(time_growth <= TARGETS['growth'] and rss_growth <= TARGETS['growth'])}"
        )
    for r in results:
        print(
            f"  unchanged rebuild rewrites no file, {r['incidents']} incidents: "
            f"{verdict(r['files_rewritten_by_unchanged_rebuild'] == 0)}"
        )
    write_results(
        RESULTS,
        {
            "targets": TARGETS,
            "startup_seconds": started,
            "example_cold_seconds": example,
            "results": results,
        },
    )
    print(f"\nwritten: {RESULTS}")


if __name__ == "__main__":
    main()
