"""Lifecycle figures over a set of incidents: how many, how fast identified and resolved."""

from __future__ import annotations

import statistics
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import timedelta

from statusgen.derive.incidents import IncidentFacts


@dataclass(frozen=True, slots=True)
class LifecycleSummary:
    count: int
    resolved: int
    median_time_to_identify: timedelta | None
    median_time_to_resolve: timedelta | None


def _median(spans: list[timedelta]) -> timedelta | None:
    if not spans:
        return None
    return timedelta(seconds=statistics.median(span.total_seconds() for span in spans))


def summarise(incidents: Sequence[IncidentFacts]) -> LifecycleSummary:
    """Medians over the incidents that reached each step (ongoing ones are not yet resolved)."""
    identify = [f.time_to_identify for f in incidents if f.time_to_identify is not None]
    resolve = [f.time_to_resolve for f in incidents if f.time_to_resolve is not None]
    return LifecycleSummary(len(incidents), len(resolve), _median(identify), _median(resolve))
