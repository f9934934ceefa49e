"""Rendering prepared pages with Jinja2, on one core or several.

A page job is a template name, an output path and a ready context. On several cores the
jobs are handed to forked workers (they inherit the jobs and the theme; nothing is pickled
but page indexes and HTML), each with its own Jinja environment. Output is identical either
way: jobs keep their order, and a job's HTML depends only on its context.
"""

from __future__ import annotations

import multiprocessing
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from jinja2 import Environment

# Below this many pages the workers' start-up and template compilation cost more than they save.
PARALLEL_THRESHOLD = 150


@dataclass(frozen=True, slots=True)
class PageJob:
    template: str
    out: str  # output path in the site
    context: dict[str, Any]


def render_job(env: Environment, job: PageJob) -> str:
    return env.get_template(job.template).render(job.context)


# One worker process's jobs and environment, set once at fork by `_start_worker`. This is
# the only module state in the package, and it lives only inside worker processes.
_worker: tuple[Sequence[PageJob], Environment] | None = None


def _start_worker(jobs: Sequence[PageJob], make_env: Callable[[], Environment]) -> None:
    global _worker
    _worker = (jobs, make_env())


def _render_indexes(indexes: list[int]) -> list[str]:
    assert _worker is not None, "worker not started"
    jobs, env = _worker
    return [render_job(env, jobs[i]) for i in indexes]


def render_jobs(jobs: Sequence[PageJob], make_env: Callable[[], Environment], workers: int) -> list[str]:
    """The HTML of every job, in job order."""
    if workers <= 1 or len(jobs) < PARALLEL_THRESHOLD:
        env = make_env()
        return [render_job(env, job) for job in jobs]
    # Interleaved chunks spread big pages (home, history) and small ones evenly.
    chunks = [list(range(start, len(jobs), workers * 4)) for start in range(workers * 4)]
    context = multiprocessing.get_context("fork")
    with context.Pool(workers, initializer=_start_worker, initargs=(jobs, make_env)) as pool:
        results = pool.map(_render_indexes, chunks)
    html: list[str] = [""] * len(jobs)
    for chunk, rendered in zip(chunks, results, strict=True):
        for index, page in zip(chunk, rendered, strict=True):
            html[index] = page
    return html
