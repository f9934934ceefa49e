"""Preview latency: from one new update file to the rebuilt page in the browser's hands.

    .venv/bin/python benchmarks/bench_preview.py [--runs 10] [--incidents 1000]

Starts `statusgen serve` (a subprocess, any free port) on a synthetic site of --incidents
incidents (benchmarks/sitegen.py; 0: a copy of the example site), listens on
/__statusgen__/events like an open page does, then `--runs` times writes one new update
file into an incident and times: save → `reload` event (debounce, rebuild, event) → the
incident page fetched and showing the new update. Prints every run and the median, against
the target (300 ms at 1,000 incidents). Not part of the test suite.
"""

from __future__ import annotations

import argparse
import os
import queue
import re
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "benchmarks"))
from sitegen import NOW, generate  # noqa: E402

EXAMPLE_INCIDENT = "incidents/2026-11-23-elevated-api-error-rates-in-par1"
TARGET_MS = 300.0


def listen(url: str, events: queue.Queue[tuple[str, float]]) -> None:
    with urllib.request.urlopen(url, timeout=300) as response:
        for raw in response:
            line = raw.decode().strip()
            if line.startswith("event: "):
                events.put((line[7:], time.perf_counter()))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=10)
    parser.add_argument(
        "--incidents",
        type=int,
        default=1000,
        help="size of the synthetic site (0: the example site)",
    )
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as temp:
        if args.incidents:
            content = generate(Path(temp) / "site", args.incidents)
            incident = max((content / "incidents").iterdir())
        else:
            content = Path(temp) / "content"
            shutil.copytree(ROOT / "content", content)
            incident = content / EXAMPLE_INCIDENT
        env = {**os.environ, "NO_COLOR": "1", "PYTHONUNBUFFERED": "1", "PYTHONPATH": str(ROOT)}
        server = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "statusgen",
                "serve",
                str(content),
                "--port",
                "0",
                "--now",
                NOW.isoformat(),
                "--quiet",
            ],
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
            env=env,
        )
        try:
            assert server.stdout is not None
            url = None
            for line in server.stdout:
                if match := re.search(r"http://127\.0\.0\.1:\d+/", line):
                    url = match.group(0)
                    break
            assert url, "the preview did not start"
            threading.Thread(
                target=lambda: [None for _ in server.stdout or []], daemon=True
            ).start()
            events: queue.Queue[tuple[str, float]] = queue.Queue()
            threading.Thread(
                target=listen, args=(url + "__statusgen__/events", events), daemon=True
            ).start()
            time.sleep(0.5)  # the event stream is open
            page_url = f"{url}incidents/{incident.name}/"
            latencies = []
            for run in range(1, args.runs + 1):
                marker = f"Bench update {run} {time.time_ns()}"
                saved = time.perf_counter()
                (incident / f"90-bench-{run}.md").write_text(
                    f"---\nat: {NOW.isoformat()}\nstatus: identified\n---\n{marker}.\n",
                    encoding="utf-8",
                )
                name, _ = events.get(timeout=60)
                assert name == "reload", name
                with urllib.request.urlopen(page_url, timeout=60) as response:
                    page = response.read().decode()
                done = time.perf_counter()
                assert marker in page, "the page does not show the new update"
                latencies.append(done - saved)
                print(f"run {run:2d}: {latencies[-1] * 1000:7.1f} ms")
                time.sleep(0.3)
            median = statistics.median(latencies) * 1000
            print(
                f"median of {len(latencies)}: {median:.1f} ms (min {min(latencies) * 1000:.1f}, max {max(latencies) * 1000:.1f}); "
                f"debounce included; target {TARGET_MS:.0f} ms at 1,000 incidents: ratio {median / TARGET_MS:.2f}"
            )
        finally:
            server.send_signal(signal.SIGINT)
            server.wait(timeout=10)


if __name__ == "__main__":
    main()
