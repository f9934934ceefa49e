"""Spreading a build's work over the machine's cores with forked processes.

A build is CPU-bound Python: threads would share one interpreter lock, so the work goes to
worker processes. They are forked, so they inherit everything the parent has prepared (the
facts, the rendered Markdown, the theme) and only task numbers go to them; results come back
pickled, in task order. Results never depend on which worker ran a task, so the output is the
same for any number of workers.
"""

from __future__ import annotations

import multiprocessing
import os
from collections.abc import Callable, Sequence
from typing import Any, TypeVar

T = TypeVar("T")
R = TypeVar("R")

# One worker's function and tasks, inherited at fork by `_start`. The only module state in
# the package, and it is set only inside worker processes.
_worker: tuple[Callable[[Any], Any], Sequence[Any]] | None = None


def available_cores() -> int:
    """Cores this process may run on (a container may allow fewer than the machine has)."""
    if hasattr(os, "sched_getaffinity"):
        return len(os.sched_getaffinity(0))
    return os.cpu_count() or 1


def _start(function: Callable[[Any], Any], tasks: Sequence[Any]) -> None:
    global _worker
    _worker = (function, tasks)


def _run(index: int) -> Any:
    assert _worker is not None, "worker not started"
    function, tasks = _worker
    return function(tasks[index])


def fork_map(function: Callable[[T], R], tasks: Sequence[T], workers: int) -> list[R]:
    """`[function(task) for task in tasks]`, on up to `workers` forked processes.

    Tasks are handed out one at a time, so a few long tasks and many short ones balance; put
    the longest first. With one worker or one task, everything runs in this process.
    """
    if workers <= 1 or len(tasks) <= 1:
        return [function(task) for task in tasks]
    context = multiprocessing.get_context("fork")
    with context.Pool(min(workers, len(tasks)), initializer=_start, initargs=(function, tasks)) as pool:
        return pool.map(_run, range(len(tasks)), chunksize=1)
