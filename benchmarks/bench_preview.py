"""Preview latency: from saving one content file to the `reload` event reaching a page.

    .venv/bin/python benchmarks/bench_preview.py [--runs 10] [--content content]

Starts `statusgen serve` (a subprocess, any free port) on a copy of the example site,
listens on /__statusgen__/events like an open page does, then appends a line to one
update file `--runs` times and times each save → `reload` round trip (debounce, full
rebuild, event). Prints every run and the median. Not part of the test suite.
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
EDITED = "incidents/2026-11-23-elevated-api-error-rates-in-par1/02-identified.md"


def listen(url: str, events: queue.Queue[tuple[str, float]]) -> None:
    with urllib.request.urlopen(url, timeout=300) as response:
        for raw in response:
            line = raw.decode().strip()
            if line.startswith("event: "):
                events.put((line[7:], time.perf_counter()))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=10)
    parser.add_argument("--content", type=Path, default=ROOT / "content")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as temp:
        content = Path(temp) / "content"
        shutil.copytree(args.content, content)
        env = {**os.environ, "NO_COLOR": "1", "PYTHONUNBUFFERED": "1", "PYTHONPATH": str(ROOT)}
        server = subprocess.Popen(
            [sys.executable, "-m", "statusgen", "serve", str(content), "--port", "0", "--now", "2026-11-23T13:30:00Z", "--quiet"],
            stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, env=env,
        )
        try:
            assert server.stdout is not None
            url = None
            for line in server.stdout:
                if match := re.search(r"http://127\.0\.0\.1:\d+/", line):
                    url = match.group(0)
                    break
            assert url, "the preview did not start"
            threading.Thread(target=lambda: [None for _ in server.stdout or []], daemon=True).start()
            events: queue.Queue[tuple[str, float]] = queue.Queue()
            threading.Thread(target=listen, args=(url + "__statusgen__/events", events), daemon=True).start()
            time.sleep(0.5)  # the event stream is open
            path = content / EDITED
            latencies = []
            for run in range(1, args.runs + 1):
                saved = time.perf_counter()
                with path.open("a", encoding="utf-8") as handle:
                    handle.write(f"\nEdit {run}.\n")
                name, arrived = events.get(timeout=30)
                assert name == "reload", name
                latencies.append(arrived - saved)
                print(f"run {run:2d}: {latencies[-1] * 1000:7.1f} ms")
                time.sleep(0.3)  # let the page "reload" before the next save
            print(f"median of {len(latencies)}: {statistics.median(latencies) * 1000:.1f} ms "
                  f"(min {min(latencies) * 1000:.1f}, max {max(latencies) * 1000:.1f}); debounce included")
        finally:
            server.send_signal(signal.SIGINT)
            server.wait(timeout=10)


if __name__ == "__main__":
    main()
