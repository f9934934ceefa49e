"""Worst-case Markdown: the slowest message each pathological shape allows, rendered.

    .venv/bin/python benchmarks/bench_markdown_limits.py [--runs 3]

Python-Markdown is quadratic (or worse) on some shapes of text. The content checks
(`statusgen.validate.fields.markdown_text`) bound each shape: one message has at most
131,072 characters and 3,000 lines, 200 '[' and '<', 2,000 '*', '_', '`' and '\\', and 32
levels of nesting. For each shape this script repeats it as often as those bounds allow
(the largest message that is still accepted), renders it like a build does (Markdown, then
nh3) and prints the slowest of --runs runs, against the target: no accepted message takes
more than a second. A shape whose largest accepted message is refused or crashes is a
failure too. Not part of the test suite: the machine it runs on is noisy.
"""

from __future__ import annotations

import argparse
import sys
import time
from collections.abc import Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from statusgen.render.markdown import _engine, render_html  # noqa: E402
from statusgen.validate.fields import MAX_MESSAGE_CHARACTERS, markdown_text  # noqa: E402

TARGET_SECONDS = 1.0

# Units repeated to fill a message; each was slow (seconds to minutes at 400 KB) before the bounds.
SHAPES: dict[str, str] = {
    "emphasis *a": "*a",
    "underscores _a": "_a",
    "backticks": "`",
    "backticks `a": "`a",
    "backslashes": "\\",
    "escaped stars \\*": "\\*",
    "brackets [": "[",
    "links ![a](b)": "![a](b) ",
    "html <a ": "<a ",
    "ampersands &": "&",
    "lines of -": "-\n",
    "lines of =": "=\n",
    "headings #": "#\n",
    "rules ***": "***\n",
    "table rows |": "|\n",
    "list items - a": "- a\n",
    "ordered items 1. a": "1. a\n",
    "quotes >": ">",
    "hard breaks": "a  \n",
    "fences ~~~": "~~~\na\n~~~\n",
    "one word": "a",
}

# What fills the rest of the message: nothing, words, or the cheapest costly character.
PADDINGS = {"none": "", "words": "b ", "&": "&"}


def nested(depth: int) -> str:
    return "\n".join("    " * level + "- a" for level in range(depth))


def mixed(repeats: int) -> str:
    """Every inline shape at once, each within its own bound."""
    return "*a _a `a \\* [a](b) <b>a</b> &amp; - a\n" * repeats


def largest(make: Callable[[int], str], padding: str) -> str:
    """The largest `make(n)` that the content checks accept (binary search on n), filled up
    to the size limit with `padding` on its last line: the cost of most shapes grows with
    the length of the paragraph or block around them too."""
    low, high = 0, MAX_MESSAGE_CHARACTERS
    while low < high:
        middle = (low + high + 1) // 2
        if markdown_text(make(middle)) is None:
            low = middle
        else:
            high = middle - 1
    text = make(low)
    if padding:
        text += padding * ((MAX_MESSAGE_CHARACTERS - len(text)) // len(padding))
    assert markdown_text(text) is None, text[:80]
    return text


def measure(text: str, runs: int) -> float:
    engine = _engine()
    worst = 0.0
    for _ in range(runs):
        start = time.perf_counter()
        render_html(engine, text)
        worst = max(worst, time.perf_counter() - start)
    return worst


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--only", help="Shapes whose name contains this.")
    arguments = parser.parse_args()
    runs = arguments.runs
    cases: dict[str, Callable[[int], str]] = {name: (lambda n, unit=unit: unit * n) for name, unit in SHAPES.items()}
    cases["nested list (indentation)"] = nested
    cases["nested list (one line)"] = lambda n: "- " * n + "a"
    cases["nested quotes"] = lambda n: "> " * n + "a"
    cases["every inline shape"] = mixed
    failures = 0
    print(f"{'shape':<28} {'padding':<8} {'characters':>10} {'seconds':>8}  (target: < {TARGET_SECONDS:.1f} s)")
    for name, make in cases.items():
        if arguments.only and arguments.only not in name:
            continue
        for label, padding in PADDINGS.items():
            text = largest(make, padding)
            try:
                seconds = measure(text, runs)
            except RecursionError:
                print(f"{name:<28} {label:<8} {len(text):>10,} {'crash':>8}  FAIL")
                failures += 1
                continue
            verdict = "ok" if seconds < TARGET_SECONDS else "FAIL"
            failures += verdict != "ok"
            print(f"{name:<28} {label:<8} {len(text):>10,} {seconds:>8.3f}  {verdict}", flush=True)
    sys.exit(1 if failures else 0)


if __name__ == "__main__":
    main()
