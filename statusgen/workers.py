"""Spreading a build's work over the machine's cores with forked processes.

A build is CPU-bound Python: threads would share one interpreter lock, so the work goes to
worker processes. They are forked, so they inherit everything the parent has prepared (the
facts, the rendered Markdown, the theme) and only task numbers go to them; results come back
pickled, in task order. Results never depend on which worker ran a task, so the output is the
same for any number of workers.

Whether forking pays is measured, not guessed from a count: a stage runs a sample of its tasks
here first (`sampled_map`), and forks for the rest only when the time they would take here is
clearly more than starting the workers costs. A site of short updates and one of long
postmortems differ in seconds per task, not in how the decision is made.
"""

from __future__ import annotations

import gc
import math
import os
import time
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from typing import Any, Generic, TypeVar

T = TypeVar("T")
R = TypeVar("R")
V = TypeVar("V")

# Seconds to start a pool of two forked workers from a parent holding a 1,000-incident site,
# hand them trivial tasks, take their results back and close the pool: medians of 0.013 to
# 0.016 s on the 2-core machine class of docs/performance.md (benchmarks/bench_workers.py).
FORK_COST = 0.015
# Forking must save this many times its cost: the workers also pay for what the figure leaves
# out (pages of the inherited heap copied on write, each worker filling its own memos).
FORK_MARGIN = 2.0
# How long a stage measures its tasks here before deciding: long enough for a mean over
# several tasks, short enough that the workers start almost at once.
SAMPLE_SECONDS = 0.015
# Tasks go to the workers in batches of about this many seconds each: one message per batch
# rather than per task, and batches small enough that the workers finish together. Each
# result message is unpickled by a thread of this process, which takes the interpreter lock
# from whatever this process does meanwhile (validation, beside the Markdown workers): 10 ms
# batches made a cold 1,000-incident build about 5 % slower than 100 ms ones (medians of 4,
# interleaved; load 0.81-0.94 s against 0.66-0.88 s, validation 1.48-1.73 s against 1.43-1.58 s).
BATCH_SECONDS = 0.1
# At least this many batches per worker, so that one worker's slow batch does not hold up
# the others.
BATCHES_PER_WORKER = 4

# One worker's function and tasks, inherited at fork by `_start`. The only module state in
# the package, and it is set only inside worker processes.
_worker: tuple[Callable[[Any], Any], Sequence[Any]] | None = None


def worth_forking(seconds: float, workers: int, fork_cost: float) -> bool:
    """Whether `workers` processes finish `seconds` of work here clearly sooner than this
    process alone: they save `seconds × (1 − 1/workers)` and cost `fork_cost` to start."""
    return workers > 1 and seconds * (1 - 1 / workers) > FORK_MARGIN * fork_cost


@dataclass(frozen=True, slots=True)
class Runner:
    """How the stages spread their work: on up to `workers` forked processes, once a stage
    has measured enough work left that forking pays (`workers_for`).

    The caller chooses: a build runs on every core, lint and the preview in this process
    (`SERIAL`). `always_fork` takes the parallel path whatever the amount, so that tests
    compare both paths on a small site.
    """

    workers: int = 1
    always_fork: bool = False

    def workers_for(self, seconds: float) -> int:
        """How many processes finish work that would take `seconds` in this process alone
        (1: this process alone)."""
        if self.workers <= 1:
            return 1
        if self.always_fork or worth_forking(seconds, self.workers, FORK_COST):
            return self.workers
        return 1


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
        # Imported here: the on-call commands load content through this module and never
        # fork; multiprocessing's import is about 12 ms of their start.
        import multiprocessing

        context = multiprocessing.get_context("fork")
        return context.Pool(workers, initializer=_start, initargs=(function, tasks))
    finally:
        gc.unfreeze()  # in this process only; the workers keep them frozen


class Pending(Generic[V]):
    """A result being computed on workers: `get` waits for it; `cancel` stops the workers."""

    def __init__(self, get: Callable[[], V], cancel: Callable[[], None] = lambda: None) -> None:
        self._get = get
        self._cancel = cancel

    def get(self) -> V:
        return self._get()

    def cancel(self) -> None:
        self._cancel()


def _forked(
    function: Callable[[T], R],
    tasks: Sequence[T],
    indexes: Sequence[int],
    workers: int,
    batch: int,
    alone: int = 0,
) -> Pending[list[R]]:
    """`function` of the tasks at `indexes`, in that order, on forked workers started now.

    The first `alone` of them are handed out first and one by one (long tasks, each on the
    next free worker), the others in batches of `batch`."""
    pool = _forked_pool(function, tasks, min(workers, len(indexes)))
    singles = [pool.apply_async(_run, (index,)) for index in indexes[:alone]]
    batched = pool.map_async(_run, indexes[alone:], chunksize=batch)

    def get() -> list[R]:
        try:
            results: list[R] = [single.get() for single in singles]
            results += batched.get()
            return results
        finally:
            pool.close()
            pool.join()

    def cancel() -> None:
        pool.terminate()
        pool.join()

    return Pending(get, cancel)


def fork_map(function: Callable[[T], R], tasks: Sequence[T], workers: int) -> list[R]:
    """`[function(task) for task in tasks]`, on up to `workers` forked processes.

    Tasks are handed out one at a time, so a few long tasks and many short ones balance; put
    the longest first. With one worker or one task, everything runs in this process.
    """
    return fork_map_async(function, tasks, workers).get()


def fork_map_async(
    function: Callable[[T], R], tasks: Sequence[T], workers: int
) -> Pending[list[R]]:
    """Like `fork_map`, but returns at once: this process can do other work (validating,
    deriving) while the workers run. With one worker, the tasks run when `get` is called."""
    if workers <= 1 or len(tasks) <= 1:
        return Pending(lambda: [function(task) for task in tasks])
    return _forked(function, tasks, range(len(tasks)), workers, 1)


def spread(count: int) -> Iterator[int]:
    """Every index below `count` once, in an order that samples the whole range early: steps
    of about 0.618 × count, so that a few tasks taken first are not all from one end (pages
    are listed home first and history last, which cost more than an incident's page)."""
    step = max(1, round(count * 0.618))
    while math.gcd(step, count) > 1:
        step += 1
    return ((k * step) % count for k in range(count))


@dataclass(frozen=True, slots=True)
class Sample(Generic[R]):
    """What a stage learnt by running some of its tasks here: their results by index, and
    the seconds the timed ones took.

    The first task is run but not timed: it pays once for what every later task in this
    process reuses (lazy imports, memoised views, warm caches), and workers forked afterwards
    inherit all of it. Timed, it would make a small site look like a big one.
    """

    results: dict[int, R]
    seconds: float  # spent on the timed tasks
    timed: int

    @property
    def seconds_per_task(self) -> float | None:
        return self.seconds / self.timed if self.timed else None

    def seconds_for(self, tasks: int) -> float:
        """Seconds `tasks` more tasks would take here, at the timed tasks' mean."""
        return (self.seconds_per_task or 0.0) * tasks


def take_sample(
    function: Callable[[T], R], tasks: Sequence[T], budget: float, first: int = 0
) -> Sample[R]:
    """Run tasks from `first` on here, spread over them: one to warm up, then more until
    `budget` seconds are spent on them or none are left. The clock counts the tasks only."""
    results: dict[int, R] = {}
    spent = 0.0
    timed = 0
    for index in (first + k for k in spread(len(tasks) - first)):
        if spent >= budget:
            break
        started = time.perf_counter()
        results[index] = function(tasks[index])
        if len(results) > 1:
            spent += time.perf_counter() - started
            timed += 1
    return Sample(results, spent, timed)


def batch_size(tasks: int, workers: int, seconds_per_task: float | None) -> int:
    """Tasks per message to a worker: about BATCH_SECONDS of work, and at least
    BATCHES_PER_WORKER batches per worker (the only rule when nothing was measured)."""
    most = max(1, math.ceil(tasks / (workers * BATCHES_PER_WORKER)))
    if not seconds_per_task:
        return most
    return max(1, min(most, math.floor(BATCH_SECONDS / seconds_per_task)))


def sampled_map_async(
    function: Callable[[T], R],
    tasks: Sequence[T],
    runner: Runner,
    budget: float | None = None,
    unlike: int = 0,
) -> Pending[list[R]]:
    """`[function(task) for task in tasks]`, on forked workers only when measuring says so.

    With several workers, a sample of the tasks runs here first (`take_sample`); if the rest
    would take long enough here that `runner.workers_for` gives several processes, workers
    start on it at once and this returns while they run. Otherwise the rest runs here when
    `get` is called, as every task does with one worker. `always_fork` skips the sample and
    forks for all. Each task runs exactly once, and the results are in task order whatever
    ran where. `budget`: seconds of sample (SAMPLE_SECONDS).

    The first `unlike` tasks are long and unlike the rest (a site's feeds beside its pages):
    they are never sampled, since they would spoil the measure of the many alike ones, and
    go to the workers first, so that the short ones balance the load around them.
    """
    if runner.workers <= 1 or not tasks:
        return Pending(lambda: [function(task) for task in tasks])
    budget = SAMPLE_SECONDS if budget is None else budget
    sample: Sample[R] = Sample({}, 0.0, 0)  # `always_fork`: no sample, every task forked
    if not runner.always_fork and unlike < len(tasks):
        sample = take_sample(function, tasks, budget, unlike)
    rest = [index for index in range(len(tasks)) if index not in sample.results]
    workers = runner.workers_for(sample.seconds_for(len(rest)))
    if not rest or workers <= 1:
        done = sample.results
        return Pending(
            lambda: [done[i] if i in done else function(tasks[i]) for i in range(len(tasks))]
        )
    batch = batch_size(len(rest), workers, sample.seconds_per_task)
    forked = _forked(function, tasks, rest, workers, batch, alone=unlike)

    def get() -> list[R]:
        results = dict(sample.results)
        results.update(zip(rest, forked.get(), strict=True))
        return [results[index] for index in range(len(tasks))]

    return Pending(get, forked.cancel)


def sampled_map(
    function: Callable[[T], R],
    tasks: Sequence[T],
    runner: Runner,
    budget: float | None = None,
    unlike: int = 0,
) -> list[R]:
    """`sampled_map_async`, waited for."""
    return sampled_map_async(function, tasks, runner, budget, unlike).get()
