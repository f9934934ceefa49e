"""Worst-case Markdown: the slowest message each pathological shape allows, rendered.

    .venv/bin/python benchmarks/bench_markdown_limits.py [--runs 3]

Python-Markdown is quadratic (or worse) on some shapes of text. The content checks
(`statusgen.validate.fields.markdown_text`) bound each shape: one message has at most
131,072 characters and 3,000 lines, 200 '[' and '<', 2,000 '*', '_', '`' and '\\', and 32
levels of nesting; one block (lines without a blank line between them, outside fenced code)
at most 8,000 characters; '[' and '<' cost at most 300,000 (each: its count in a block ×
the block's length, summed), and tags at most 2,000,000 characters of scanning for their '>'.
For each shape this script repeats it as often as those bounds allow (the largest message
that is still accepted), fills its block and then the message with padding, renders it like
a build does (Markdown, then nh3) and prints the median and the slowest of --runs runs,
against the target: no accepted message takes more than a second. "×blocks" shapes put the
shape in every block of a message filled with blocks at the size limit. A shape whose largest
accepted message is refused or crashes is a failure too. Not part of the test suite: the
machine it runs on is noisy.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from statusgen.render.markdown import _engine, render_html
from statusgen.validate.fields import MAX_BLOCK_CHARACTERS, MAX_MESSAGE_CHARACTERS, markdown_text

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
    "unclosed fences ~~~a": "~~~a\n",
    "comments <!--": "<!-- ",
    'quoted tags <a x="': '<a x="',
    "end tags </a ": "</a ",
    "one word": "a",
}

# What fills the rest of the message: nothing, words, or the cheapest costly character.
PADDINGS = {"none": "", "words": "b ", "&": "&"}


def nested(depth: int) -> str:
    return "\n".join("    " * level + "- a" for level in range(depth))


def mixed(repeats: int) -> str:
    """Every inline shape at once, each within its own bound."""
    return "*a _a `a \\* [a](b) <b>a</b> &amp; - a\n" * repeats


def accepted_up_to(accepts: Callable[[int], bool], high: int) -> int:
    """The largest n in 0..high with accepts(n) (binary search; accepts(0) is assumed)."""
    low = 0
    while low < high:
        middle = (low + high + 1) // 2
        if accepts(middle):
            low = middle
        else:
            high = middle - 1
    return low


def filled(text: str, padding: str) -> str:
    """`text` with its last block filled up to the block limit with `padding`, then blocks of
    `padding` up to the size limit, as far as the content checks accept: the cost of most
    shapes grows with the length of the block around them, some with the whole text's."""
    if not padding:
        return text
    last = len(text) - (text.rfind("\n\n") + 2 if "\n\n" in text else 0)
    room = max(0, min(MAX_BLOCK_CHARACTERS - last, MAX_MESSAGE_CHARACTERS - len(text)))
    text += padding * accepted_up_to(
        lambda k: markdown_text(text + padding * k) is None, room // len(padding)
    )
    while len(text) + 2 + len(padding) <= MAX_MESSAGE_CHARACTERS:
        room = min(MAX_BLOCK_CHARACTERS, MAX_MESSAGE_CHARACTERS - len(text) - 2) // len(padding)
        prefix = text + "\n\n"
        k = accepted_up_to(
            lambda k, prefix=prefix: markdown_text(prefix + padding * k) is None, room
        )
        if k == 0:
            break
        text += "\n\n" + padding * k
    return text


def largest(make: Callable[[int], str], padding: str) -> str:
    """The largest `make(n)` that the content checks accept, then `filled` with `padding`."""
    text = filled(
        make(accepted_up_to(lambda n: markdown_text(make(n)) is None, MAX_MESSAGE_CHARACTERS)),
        padding,
    )
    assert markdown_text(text) is None, text[:80]
    return text


def in_every_block(unit: str, padding: str) -> Callable[[int], str]:
    """n × `unit` in each block, each block filled to the block limit, blocks up to the size limit."""

    def make(n: int) -> str:
        head = unit * n
        block = head + (padding or "a") * max(
            0, (MAX_BLOCK_CHARACTERS - len(head)) // len(padding or "a")
        )
        return "\n\n".join([block] * max(1, MAX_MESSAGE_CHARACTERS // (len(block) + 2)))

    return make


def measure(text: str, runs: int) -> tuple[float, float]:
    """The median and the slowest of `runs` renderings, in seconds."""
    engine = _engine()
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        render_html(engine, text)
        times.append(time.perf_counter() - start)
    return statistics.median(times), max(times)


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--only", help="Shapes whose name contains this.")
    arguments = parser.parse_args()
    runs = arguments.runs
    cases: dict[str, Callable[[int], str]] = {
        name: (lambda n, unit=unit: unit * n) for name, unit in SHAPES.items()
    }
    cases["nested list (indentation)"] = nested
    cases["nested list (one line)"] = lambda n: "- " * n + "a"
    cases["nested quotes"] = lambda n: "> " * n + "a"
    cases["every inline shape"] = mixed
    cases_with_padding = [
        (name, label, make, padding)
        for name, make in cases.items()
        for label, padding in PADDINGS.items()
    ]
    for name in (
        "brackets [",
        "html <a ",
        'quoted tags <a x="',
        "emphasis *a",
        "backticks `a",
        "backslashes",
        "lines of -",
        "rules ***",
    ):
        for label, padding in PADDINGS.items():
            if padding:
                cases_with_padding.append(
                    (f"{name} ×blocks", label, in_every_block(SHAPES[name], padding), "")
                )
    failures = 0
    print(
        f"{'shape':<28} {'padding':<8} {'characters':>10} {'median':>8} {'slowest':>8}  (target: < {TARGET_SECONDS:.1f} s)"
    )
    for name, label, make, padding in cases_with_padding:
        if arguments.only and arguments.only not in name:
            continue
        text = largest(make, padding)
        try:
            median, slowest = measure(text, runs)
        except RecursionError:
            print(f"{name:<28} {label:<8} {len(text):>10,} {'crash':>8}  FAIL")
            failures += 1
            continue
        verdict = "ok" if slowest < TARGET_SECONDS else "FAIL"
        failures += verdict != "ok"
        print(
            f"{name:<28} {label:<8} {len(text):>10,} {median:>8.3f} {slowest:>8.3f}  {verdict}",
            flush=True,
        )
    sys.exit(1 if failures else 0)


if __name__ == "__main__":
    main()
