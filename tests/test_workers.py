"""Serial or parallel is decided from measured seconds, and never shows in the results."""

from __future__ import annotations

import multiprocessing
import os
import time
from pathlib import Path

import pytest
from test_build_modes import tree

from conftest import DEMO_NOW, EXAMPLE_CONTENT
from statusgen import workers
from statusgen.build import BuildOptions, build
from statusgen.workers import (
    BATCH_SECONDS,
    FORK_COST,
    FORK_MARGIN,
    Runner,
    batch_size,
    sampled_map,
    sampled_map_async,
    spread,
    take_sample,
)

# Seconds of work that two workers finish exactly as soon as this process alone, start-up
# included: below it a stage stays here, above it forks.
BREAK_EVEN_FOR_TWO = FORK_MARGIN * FORK_COST / (1 - 1 / 2)


class Ledger:
    """Which process ran which task: one line per run, appended to a file that the forked
    workers share with this process (a mock would not see what happens in a worker)."""

    def __init__(self, path: Path, seconds_per_task: float = 0.0) -> None:
        self.path = path
        self.seconds_per_task = seconds_per_task
        path.touch()

    def task(self, number: int) -> str:
        if self.seconds_per_task:
            time.sleep(self.seconds_per_task)
        with self.path.open("a") as file:
            file.write(f"{number} {os.getpid()}\n")
        return f"result {number}"

    def runs(self) -> list[tuple[int, int]]:
        lines = self.path.read_text().split()
        return [(int(n), int(pid)) for n, pid in zip(lines[::2], lines[1::2], strict=True)]

    def tasks_run(self) -> list[int]:
        return sorted(number for number, _ in self.runs())

    def processes(self) -> set[int]:
        return {pid for _, pid in self.runs()}


# The decision, a pure function of measured seconds


def test_work_below_break_even_stays_in_this_process() -> None:
    assert Runner(workers=2).workers_for(BREAK_EVEN_FOR_TWO * 0.9) == 1
    assert Runner(workers=2).workers_for(0.0) == 1


def test_work_above_break_even_goes_to_every_worker() -> None:
    assert Runner(workers=2).workers_for(BREAK_EVEN_FOR_TWO * 1.1) == 2
    assert Runner(workers=8).workers_for(60.0) == 8


def test_more_workers_pay_off_sooner() -> None:
    """Eight workers save 7/8 of the time, two save half: the same work can pay for eight."""
    seconds = BREAK_EVEN_FOR_TWO * 0.8
    assert Runner(workers=2).workers_for(seconds) == 1
    assert Runner(workers=8).workers_for(seconds) == 8


def test_always_fork_forks_whatever_the_work() -> None:
    assert Runner(workers=2, always_fork=True).workers_for(0.0) == 2


def test_one_worker_never_forks() -> None:
    assert Runner(workers=1).workers_for(3600.0) == 1
    assert Runner(workers=1, always_fork=True).workers_for(3600.0) == 1


def test_batches_hold_about_ten_milliseconds_and_every_worker_gets_several() -> None:
    assert batch_size(10_000, 2, seconds_per_task=0.001) == round(BATCH_SECONDS / 0.001)
    assert batch_size(40, 2, seconds_per_task=0.0001) == 5  # 4 batches per worker at least
    assert batch_size(100, 2, seconds_per_task=0.5) == 1
    assert batch_size(80, 2, seconds_per_task=None) == 10  # nothing measured (always_fork)


# The sample


@pytest.mark.parametrize("count", [*range(12), 100, 1036])
def test_the_sample_order_visits_every_task_once(count: int) -> None:
    assert sorted(spread(count)) == list(range(count))


def test_the_first_tasks_sampled_come_from_across_the_list() -> None:
    """Pages are listed home first and history last: a sample from one end would mislead."""
    first = list(spread(1000))[:5]
    assert sorted(index // 200 for index in first) == [0, 1, 2, 3, 4]  # one from each fifth


def test_the_sample_stops_when_its_budget_is_spent(tmp_path: Path) -> None:
    ledger = Ledger(tmp_path / "ledger", seconds_per_task=0.005)
    sample = take_sample(ledger.task, range(50), budget=0.012)
    assert 1 <= sample.timed <= 3  # each task takes 5 ms or more
    assert len(sample.results) == sample.timed + 1  # the first one warms up, untimed
    assert sample.seconds >= 0.012
    assert sorted(sample.results) == ledger.tasks_run()
    assert sample.results == {n: f"result {n}" for n in sample.results}


def test_a_sample_estimates_the_rest_at_its_mean_per_task(tmp_path: Path) -> None:
    ledger = Ledger(tmp_path / "ledger", seconds_per_task=0.004)
    sample = take_sample(ledger.task, range(100), budget=0.02)
    mean = sample.seconds / sample.timed
    assert mean >= 0.004
    assert sample.seconds_for(90) == pytest.approx(90 * mean)


def test_the_first_task_warms_up_and_is_not_taken_for_the_rate(tmp_path: Path) -> None:
    """The first page rendered in a process fills its memos; the workers would inherit them."""
    ledger = Ledger(tmp_path / "ledger")
    warm: list[bool] = []

    def slow_once(number: int) -> str:
        if not warm:
            time.sleep(0.05)
            warm.append(True)
        return ledger.task(number)

    sample = take_sample(slow_once, range(1000), budget=0.005)
    assert sample.seconds_per_task is not None and sample.seconds_per_task < 0.01
    assert Runner(workers=2).workers_for(sample.seconds_for(10)) == 1


# The adaptive map


def test_small_work_runs_entirely_in_this_process(tmp_path: Path) -> None:
    """A hundred tasks of nothing: the sample does them all and nothing forks."""
    ledger = Ledger(tmp_path / "ledger")
    results = sampled_map(ledger.task, range(100), Runner(workers=2))
    assert results == [f"result {n}" for n in range(100)]
    assert ledger.tasks_run() == list(range(100))
    assert ledger.processes() == {os.getpid()}
    assert multiprocessing.active_children() == []


def test_work_below_break_even_is_left_to_get(tmp_path: Path) -> None:
    """The sample runs at once; the rest, too little to fork for, waits for `get`."""
    ledger = Ledger(tmp_path / "ledger", seconds_per_task=0.001)
    pending = sampled_map_async(ledger.task, range(8), Runner(workers=2), budget=0.002)
    sampled = len(ledger.tasks_run())
    assert 0 < sampled < 8
    assert multiprocessing.active_children() == []
    assert pending.get() == [f"result {n}" for n in range(8)]
    assert ledger.tasks_run() == list(range(8))
    assert ledger.processes() == {os.getpid()}


def test_long_work_is_sampled_here_and_finished_by_workers(tmp_path: Path) -> None:
    """Sixty tasks of 5 ms: the sample's estimate of the rest is well past break-even."""
    ledger = Ledger(tmp_path / "ledger", seconds_per_task=0.005)
    results = sampled_map(ledger.task, range(60), Runner(workers=2))
    assert results == [f"result {n}" for n in range(60)]
    assert ledger.tasks_run() == list(range(60))  # each exactly once
    here = [number for number, pid in ledger.runs() if pid == os.getpid()]
    assert 0 < len(here) < 60
    assert len(ledger.processes()) > 1
    assert multiprocessing.active_children() == []


@pytest.mark.parametrize(
    ("runner", "budget"),
    [
        (Runner(workers=1), None),  # no sample: all here, at `get`
        (Runner(workers=2), 10.0),  # the sample does everything
        (Runner(workers=2), 0.004),  # a few here, the rest on workers
        (Runner(workers=3, always_fork=True), None),  # no sample: all on workers
    ],
)
def test_results_are_in_task_order_and_each_task_runs_once_whatever_the_split(
    tmp_path: Path, runner: Runner, budget: float | None
) -> None:
    ledger = Ledger(tmp_path / "ledger", seconds_per_task=0.003)
    results = sampled_map(ledger.task, range(40), runner, budget)
    assert results == [f"result {n}" for n in range(40)]
    assert ledger.tasks_run() == list(range(40))


def test_long_unlike_tasks_are_not_sampled_and_go_first_to_the_workers(tmp_path: Path) -> None:
    """Two long tasks ahead of sixty short ones (a site's feeds ahead of its pages): the
    sample measures the short ones only, and each long task starts on a worker before any
    short one does, each on its own, so the short ones balance around them."""
    ledger = Ledger(tmp_path / "ledger", seconds_per_task=0.005)
    results = sampled_map(ledger.task, range(62), Runner(workers=2), unlike=2)
    assert results == [f"result {n}" for n in range(62)]
    assert ledger.tasks_run() == list(range(62))
    runs = ledger.runs()
    on_workers = [(number, pid) for number, pid in runs if pid != os.getpid()]
    assert {number for number, _ in on_workers} >= {0, 1}  # never in the sample
    assert [number for number, _ in on_workers[:2]] in ([0, 1], [1, 0])
    assert dict(on_workers)[0] != dict(on_workers)[1]  # one long task per worker
    assert multiprocessing.active_children() == []


def test_only_unlike_tasks_run_here_when_there_is_nothing_to_sample(tmp_path: Path) -> None:
    ledger = Ledger(tmp_path / "ledger")
    assert sampled_map(ledger.task, range(3), Runner(workers=2), unlike=3) == [
        f"result {n}" for n in range(3)
    ]
    assert ledger.processes() == {os.getpid()}


def test_empty_results_are_not_run_again(tmp_path: Path) -> None:
    """A task whose result is falsy (an empty list of paths) counts as done."""
    ledger = Ledger(tmp_path / "ledger")

    def nothing(number: int) -> list[str]:
        ledger.task(number)
        return []

    assert sampled_map(nothing, range(5), Runner(workers=2)) == [[]] * 5
    assert ledger.tasks_run() == list(range(5))


def test_cancel_stops_the_workers(tmp_path: Path) -> None:
    ledger = Ledger(tmp_path / "ledger", seconds_per_task=0.05)
    pending = sampled_map_async(ledger.task, range(40), Runner(workers=2, always_fork=True))
    pending.cancel()
    assert multiprocessing.active_children() == []


@pytest.mark.slow
def test_a_build_whose_stages_sample_then_fork_writes_the_same_site(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Forking made free and the sample one task long: every stage runs part of its work
    here and the rest on workers, and the site is byte for byte the serial one."""
    build(BuildOptions(EXAMPLE_CONTENT, tmp_path / "serial", DEMO_NOW))
    monkeypatch.setattr(workers, "FORK_COST", 0.0)
    monkeypatch.setattr(workers, "SAMPLE_SECONDS", 1e-9)
    forked: list[int] = []  # tasks handed to workers, per fork
    start_workers = workers._forked

    def counted(*args, **kwargs):  # type: ignore[no-untyped-def]
        forked.append(len(args[2]))
        return start_workers(*args, **kwargs)

    monkeypatch.setattr(workers, "_forked", counted)
    build(BuildOptions(EXAMPLE_CONTENT, tmp_path / "mixed", DEMO_NOW, workers=2))
    assert len(forked) >= 3  # folders, Markdown, pages
    assert tree(tmp_path / "mixed") == tree(tmp_path / "serial")
    assert multiprocessing.active_children() == []
