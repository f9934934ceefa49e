"""Spreading a build's work over the machine's cores with forked processes.

A build is CPU-bound Python: threads would share one interpreter lock, so the work goes to
worker processes. They are forked, so they inherit everything the parent has prepared (the
facts, the rendered Markdown, the theme) and only task numbers go to them; results come back
pickled, in task order. Results never depend on which worker ran a task, so the output is the
same for any number of workers.
"""

from __future__ import annotations

import gc
import multiprocessing
import os
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any, Generic, TypeVar

T = TypeVar("T")
R = TypeVar("R")
V = TypeVar("V")

# One worker's function and tasks, inherited at fork by `_start`. The only module state in
# the package, and it is set only inside worker processes.
_worker: tuple[Callable[[Any], Any], Sequence[Any]] | None = None


@dataclass(frozen=True, slots=True)
class Runner:
    """How the stages spread their work: on up to `workers` forked processes, once a stage
    has enough of it that forking pays (each stage knows its own amount and break-even).

    The caller chooses: a build runs on every core, lint and the preview in this process
    (`SERIAL`). `always_fork` takes the parallel path whatever the amount, so that tests
    compare both paths on a small site.
    """

    workers: int = 1
    always_fork: bool = False

    def workers_for(self, amount: int, worth_forking_from: int) -> int:
        """How many processes a stage with `amount` tasks uses (1: this process alone)."""
        if self.workers <= 1 or (amount < worth_forking_from and not self.always_fork):
            return 1
        return self.workers


SERIAL = Runner()


def available_cores() -> int:
    """Cores this process may run on (a container may allow fewer than the machine has)."""
    if hasattr(os, "sched_getaffinity"):
        return len(os.sched_getaffinity(0))
    return os.cpu_count() or 1


def _start(function: Callable[[Any], Any], tasks: Sequence[Any]) -> None:
    global _worker  # noqa: PLW0603 - the forked worker's task, set once before the fork
    _worker = (function, tasks)


def _run(index: int) -> Any:
    assert _worker is not None, "worker not started"
    function, tasks = _worker
    return function(tasks[index])


def _forked_pool(function: Callable[[Any], Any], tasks: Sequence[Any], workers: int) -> Any:
    """A pool of forked workers that share this process's objects without copying them.

    The objects that exist at the fork are frozen out of the garbage collector first: a
    collection in a worker would otherwise write to every object's header and make the
    kernel copy the whole inherited heap, page by page, into each worker.
    """
    gc.freeze()
    try:
        context = multiprocessing.get_context("fork")
        return context.Pool(
            min(workers, len(tasks)), initializer=_start, initargs=(function, tasks)
        )
    finally:
        gc.unfreeze()  # in this process only; the workers keep them frozen


def fork_map(function: Callable[[T], R], tasks: Sequence[T], workers: int) -> list[R]:
    """`[function(task) for task in tasks]`, on up to `workers` forked processes.

    Tasks are handed out one at a time, so a few long tasks and many short ones balance; put
    the longest first. With one worker or one task, everything runs in this process.
    """
    if workers <= 1 or len(tasks) <= 1:
        return [function(task) for task in tasks]
    with _forked_pool(function, tasks, workers) as pool:
        results: list[R] = pool.map(_run, range(len(tasks)), chunksize=1)
        return results


class Pending(Generic[V]):
    """A result being computed on workers: `get` waits for it; `cancel` stops the workers."""

    def __init__(self, get: Callable[[], V], cancel: Callable[[], None] = lambda: None) -> None:
        self._get = get
        self._cancel = cancel

    def get(self) -> V:
        return self._get()

    def cancel(self) -> None:
        self._cancel()


def fork_map_async(
    function: Callable[[T], R], tasks: Sequence[T], workers: int
) -> Pending[list[R]]:
    """Like `fork_map`, but returns at once: this process can do other work (validating,
    deriving) while the workers run. With one worker, the tasks run when `get` is called."""
    if workers <= 1 or len(tasks) <= 1:
        return Pending(lambda: [function(task) for task in tasks])
    pool = _forked_pool(function, tasks, workers)
    result = pool.map_async(_run, range(len(tasks)), chunksize=1)

    def get() -> list[R]:
        try:
            results: list[R] = result.get()
            return results
        finally:
            pool.close()
            pool.join()

    def cancel() -> None:
        pool.terminate()
        pool.join()

    return Pending(get, cancel)
