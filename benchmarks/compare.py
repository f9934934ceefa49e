"""Two versions of statusgen timed side by side: did a change make the commands faster?

    .venv/bin/python benchmarks/compare.py --before REV [--after DIR_OR_REV] [--runs 7]
        [--measures help incident_list example_cold cold_100 warm_100 cold_1000 deploy_1000]

Figures that benchmarks/run.py took an hour apart on this shared machine differ by more than
most changes gain, so a before and an after measured separately say little. Here both versions
run in one session, interleaved run by run and taking turns to go first, so a busy moment of
the machine weighs on both alike: read the ratio after/before (below 1, after is faster), which
holds when the seconds themselves drift.

--before is a git revision, checked out in a temporary worktree that is removed at the end,
also on failure or Ctrl-C. --after is a folder (default: this working tree, as installed in the
venv) or a revision, checked out the same way. Each version runs as `python -m statusgen` of
this venv with its checkout on PYTHONPATH, from a folder of its own, so that no cache, output
or stray file of one is seen by the other. Both are measured as users run an installed
package: a checkout whose package build precompiles the default theme (hatch_build.py) gets
those modules written as that build would, children may write bytecode (see run.py's
CHILD_ENV), and each version runs every measure once, untimed, before the timed runs.

The measures are run.py's, on the same inputs for both versions (sites generated once and only
read): help and incident_list (the on-call commands, on the working tree's example site);
example_cold (a cold build of that example); cold_100 and cold_1000 (synthetic sites of
benchmarks/sitegen.py, fresh output, `--no-cache`); warm_100 (fresh output, the cache of an
earlier build by the same version kept); deploy_1000 (run.py's deploy: fresh output, the
cache of the previous build restored, its last update grown since). Each figure is the median
of --runs runs of the whole child process. It prints a table and writes
benchmarks/compare-results.json. Not part of the test suite.
"""

from __future__ import annotations

import argparse
import contextlib
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from run import CHILD_ENV, EXAMPLE, STARTUP, summary, write_results
from sitegen import NOW, generate

REPOSITORY = Path(__file__).resolve().parent.parent
RESULTS = Path(__file__).resolve().parent / "compare-results.json"
MEASURES = [
    "help",
    "incident_list",
    "example_cold",
    "cold_100",
    "warm_100",
    "cold_1000",
    "deploy_1000",
]
# What the package build (hatch_build.py) does: the default theme's templates, compiled into
# the folder given, then byte-compiled as pip does for a wheel's modules.
PRECOMPILE = """
import compileall, sys
from pathlib import Path
from statusgen.render.precompiled import write_default_theme
target = Path(sys.argv[1])
write_default_theme(target)
compileall.compile_dir(target, quiet=1)
"""
PRECOMPILED = Path("statusgen") / "_precompiled"


@dataclass(frozen=True)
class Version:
    """One side of the comparison: the checkout it runs, and a folder of its own for its
    working directory, outputs and caches."""

    side: str
    checkout: Path
    revision: str
    folder: Path

    @property
    def cwd(self) -> Path:
        return self.folder / "cwd"


def no_priming(version: Version) -> None:
    """Nothing kept between runs."""


@dataclass(frozen=True)
class Measure:
    """One command timed for each version. `prime` readies, once before any run, what the
    measure keeps between runs (a cache); `prepare` readies one run, untimed, and returns the
    command's arguments."""

    prepare: Callable[[Version], list[str]]
    prime: Callable[[Version], None] = field(default=no_priming)


def git(*args: str) -> str:
    process = subprocess.run(
        ["git", "-C", str(REPOSITORY), *args], capture_output=True, text=True, check=False
    )
    if process.returncode != 0:
        problem = process.stderr.strip() or f"exit status {process.returncode}"
        raise SystemExit(f"git {' '.join(args)} failed: {problem}")
    return process.stdout.strip()


@contextlib.contextmanager
def worktree(revision: str, folder: Path) -> Iterator[Path]:
    """`revision` checked out in `folder` for as long as the block runs."""
    git("worktree", "add", "--detach", "--quiet", str(folder), revision)
    try:
        yield folder
    finally:
        # A second Ctrl-C must not leave the worktree registered in the repository.
        interrupt = signal.signal(signal.SIGINT, signal.SIG_IGN)
        try:
            subprocess.run(
                ["git", "-C", str(REPOSITORY), "worktree", "remove", "--force", str(folder)],
                check=False,
            )
        finally:
            signal.signal(signal.SIGINT, interrupt)


def child_env(checkout: Path) -> dict[str, str]:
    return {**CHILD_ENV, "PYTHONPATH": str(checkout)}


def builds_precompiled_theme(checkout: Path) -> bool:
    """Whether this version's package build writes the default theme's compiled templates
    (older versions compile them on every build, with nothing to write)."""
    module = checkout / "statusgen" / "render" / "precompiled.py"
    return (
        (checkout / "hatch_build.py").is_file()
        and module.is_file()
        and "def write_default_theme(" in module.read_text(encoding="utf-8")
    )


def precompile(checkout: Path, target: Path) -> None:
    subprocess.run(
        [sys.executable, "-c", PRECOMPILE, str(target)],
        cwd=checkout,
        env=child_env(checkout),
        check=True,
    )


def stale_precompiled(checkout: Path, scratch: Path) -> bool:
    """Whether a folder's compiled templates differ from what its package build would write
    now (its theme or Jinja changed since it was installed): its builds would compile them."""
    precompile(checkout, scratch)
    fresh = {path.name for path in scratch.glob("*.py")}
    return fresh != {path.name for path in (checkout / PRECOMPILED).glob("*.py")}


def check_out(side: str, target: str, work: Path, stack: contextlib.ExitStack) -> Version:
    """The version to measure for `target`: a folder as it is, or a revision checked out (and
    built as its package would be) for as long as `stack` lasts."""
    folder = work / side
    folder.mkdir()
    if Path(target).is_dir():
        checkout = Path(target).resolve()
        head = subprocess.run(
            ["git", "-C", str(checkout), "rev-parse", "HEAD"],
            capture_output=True,
            text=True,
            check=False,
        ).stdout.strip()
        revision = f"{head or 'unknown'} (working tree {checkout})"
        if builds_precompiled_theme(checkout) and stale_precompiled(checkout, folder / "fresh"):
            print(
                f"warning: {checkout / PRECOMPILED} does not match its theme; reinstall the "
                "package (pip install -e .) to measure what users get",
                file=sys.stderr,
            )
    else:
        revision = git("rev-parse", "--verify", f"{target}^{{commit}}")
        checkout = stack.enter_context(worktree(revision, folder / "checkout"))
        if builds_precompiled_theme(checkout):
            precompile(checkout, checkout / PRECOMPILED)
    version = Version(side, checkout, revision, folder)
    version.cwd.mkdir()
    return version


def seconds(version: Version, args: list[str]) -> float:
    """Wall-clock seconds of one `python -m statusgen ARGS` of `version`, start to exit."""
    command = [sys.executable, "-m", "statusgen", *args]
    with tempfile.TemporaryFile() as stderr:  # warnings of the synthetic sites: shown on failure
        started = time.perf_counter()
        process = subprocess.run(
            command,
            cwd=version.cwd,
            env=child_env(version.checkout),
            stdout=subprocess.DEVNULL,
            stderr=stderr,
            check=False,
        )
        elapsed = time.perf_counter() - started
        if process.returncode != 0:
            stderr.seek(0)
            sys.stderr.write(stderr.read().decode(errors="replace"))
            raise SystemExit(
                f"{version.side} ({version.revision}) failed ({process.returncode}): "
                f"{' '.join(command)}"
            )
    return elapsed


def build_args(content: Path, out: Path, extra: list[str]) -> list[str]:
    """run.py's build command line."""
    return [
        "build",
        str(content),
        "--output",
        str(out),
        "--now",
        NOW.isoformat(),
        "--quiet",
        *extra,
    ]


def fresh(folder: Path) -> Path:
    """`folder`, gone: a build into it starts from nothing, as on a new container."""
    shutil.rmtree(folder, ignore_errors=True)
    return folder


def settle(path: Path, text: str) -> None:
    """`path` holding `text`, rewritten only when it differs, so that a content folder both
    versions read changes only where a measure means it to."""
    if not path.exists() or path.read_text(encoding="utf-8") != text:
        path.write_text(text, encoding="utf-8")


def startup(args: list[str]) -> Measure:
    return Measure(prepare=lambda version: args)


def cold(content: Path, name: str) -> Measure:
    def prepare(version: Version) -> list[str]:
        return build_args(content, fresh(version.folder / name), ["--no-cache"])

    return Measure(prepare=prepare)


def warm(content: Path, name: str) -> Measure:
    """A fresh output folder with the cache of an earlier build of the same version, as on a
    CI build that keeps `.statusgen-cache`."""

    def cache(version: Version) -> list[str]:
        return ["--cache-dir", str(version.folder / f"{name}-cache")]

    def prime(version: Version) -> None:
        seconds(version, build_args(content, fresh(version.folder / name), cache(version)))

    def prepare(version: Version) -> list[str]:
        return build_args(content, fresh(version.folder / name), cache(version))

    return Measure(prepare=prepare, prime=prime)


def deploy(content: Path, name: str) -> Measure:
    """run.py's deploy: a fresh output folder (Netlify builds in a new container) with the
    cache of the previous deploy restored, whose last update has grown since."""
    update = max((content / "incidents").iterdir()) / "99-bench.md"
    previous = f"---\nat: {NOW.isoformat()}\nstatus: identified\n---\nBenchmark update.\n"

    def previous_cache(version: Version) -> Path:
        return version.folder / f"{name}-previous-cache"

    def prime(version: Version) -> None:
        settle(update, previous)
        out = fresh(version.folder / f"{name}-previous")
        seconds(version, build_args(content, out, ["--cache-dir", str(previous_cache(version))]))

    def prepare(version: Version) -> list[str]:
        settle(update, previous + "More.\n")
        deployed = fresh(version.folder / name)
        shutil.copytree(previous_cache(version), deployed / "cache")
        return build_args(content, deployed / "public", ["--cache-dir", str(deployed / "cache")])

    return Measure(prepare=prepare, prime=prime)


def measures(names: list[str], work: Path) -> dict[str, Measure]:
    """The measures asked for, with the sites they read generated once for both versions."""
    sites: dict[str, Path] = {}

    def site(key: str, size: int) -> Path:
        if key not in sites:
            sites[key] = generate(work / key, size)
        return sites[key]

    makers: dict[str, Callable[[], Measure]] = {
        "help": lambda: startup(STARTUP["help"]),
        "incident_list": lambda: startup(STARTUP["incident_list"]),
        "example_cold": lambda: cold(EXAMPLE, "example_cold"),
        "cold_100": lambda: cold(site("site-100", 100), "cold_100"),
        "warm_100": lambda: warm(site("site-100", 100), "warm_100"),
        "cold_1000": lambda: cold(site("site-1000", 1000), "cold_1000"),
        # A site of its own: its update changes between the previous build and the deploy.
        "deploy_1000": lambda: deploy(site("site-1000-deploy", 1000), "deploy_1000"),
    }
    return {name: makers[name]() for name in names}


def compare(
    chosen: dict[str, Measure], versions: tuple[Version, Version], runs: int
) -> dict[str, dict[str, list[float]]]:
    """Seconds of every run, by measure and side. Both versions run each measure back to back,
    and take turns to go first, so neither always meets a machine the other warmed up."""
    for version in versions:
        for measure in chosen.values():
            measure.prime(version)
    for measure in chosen.values():  # warm-up, untimed: bytecode, the OS's file cache
        for version in versions:
            seconds(version, measure.prepare(version))
    found: dict[str, dict[str, list[float]]] = {
        name: {version.side: [] for version in versions} for name in chosen
    }
    for run in range(runs):
        print(f"run {run + 1}/{runs} …", flush=True)
        order = versions if run % 2 == 0 else versions[::-1]
        for name, measure in chosen.items():
            for version in order:
                found[name][version.side].append(seconds(version, measure.prepare(version)))
    return found


def span(figures: dict[str, float]) -> str:
    return f"{figures['median']:.3f} ({figures['min']:.3f}–{figures['max']:.3f})"


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--before", required=True, help="a git revision of this repository")
    parser.add_argument(
        "--after",
        default=str(REPOSITORY),
        help="a folder or a git revision (default: this working tree)",
    )
    parser.add_argument("--runs", type=int, default=7)
    parser.add_argument("--measures", nargs="+", choices=MEASURES, default=MEASURES)
    args = parser.parse_args()
    names = list(dict.fromkeys(args.measures))
    try:
        with contextlib.ExitStack() as stack:
            work = Path(stack.enter_context(tempfile.TemporaryDirectory(prefix="statusgen-cmp-")))
            before = check_out("before", args.before, work, stack)
            after = check_out("after", args.after, work, stack)
            print(f"before: {before.revision}\nafter:  {after.revision}", flush=True)
            found = compare(measures(names, work), (before, after), args.runs)
    except KeyboardInterrupt:
        raise SystemExit(130) from None
    results = {}
    print(
        f"\n{'measure':<14} {'before s (min–max)':>24} {'after s (min–max)':>24} {'after/before':>13}"
    )
    for name in names:
        figures = {side: summary(values) for side, values in found[name].items()}
        ratio = figures["after"]["median"] / figures["before"]["median"]
        results[name] = {**figures, "ratio": ratio, "seconds": found[name]}
        print(
            f"{name:<14} {span(figures['before']):>24} {span(figures['after']):>24} {ratio:>13.2f}"
        )
    write_results(
        RESULTS,
        {
            "before": before.revision,
            "after": after.revision,
            "runs": args.runs,
            "measures": results,
        },
    )
    print(f"\nwritten: {RESULTS}")


if __name__ == "__main__":
    main()
