"""View models are plain values: every part a field, no builder or facts held inside."""

from __future__ import annotations

import pickle
from dataclasses import fields

import pytest

from conftest import DEMO_NOW, EXAMPLE_CONTENT
from statusgen.build import load_and_validate
from statusgen.derive import Facts, derive
from statusgen.model import Severity, SeverityLevel
from statusgen.render.html import _data_fields
from statusgen.render.markdown import MarkdownRenderer
from statusgen.render.views import IncidentView, ViewBuilder, severity_view

MARKDOWN_PARTS = {
    "customer_actions",
    "summary",
    "updates",
    "latest",
    "postmortem",
    "follow_up",
    "review_timeline",
}


@pytest.fixture(scope="module")
def facts() -> Facts:
    content, _ = load_and_validate(EXAMPLE_CONTENT)
    return derive(content, DEMO_NOW)


def test_incident_view_parts_are_fields_the_theme_sandbox_reads_directly() -> None:
    """Summary, updates and review are dataclass fields, so templates take the fast path."""
    assert {f.name for f in fields(IncidentView)} >= MARKDOWN_PARTS
    assert _data_fields(IncidentView) >= MARKDOWN_PARTS


def test_incident_view_holds_no_builder_or_facts(facts: Facts) -> None:
    """A view is made of view values only: nothing of the build that made it stays inside."""
    view = ViewBuilder(facts, MarkdownRenderer()).incident(facts.incidents[0])
    assert {"builder", "facts"}.isdisjoint(f.name for f in fields(IncidentView))
    assert not hasattr(view, "__dict__")  # slots: no cached state can be attached later


def test_incident_views_of_two_builds_are_equal_values(facts: Facts) -> None:
    """Two builders over the same facts make equal, hashable, picklable views."""
    first = [ViewBuilder(facts, MarkdownRenderer()).incident(f) for f in facts.incidents]
    second = [ViewBuilder(facts, MarkdownRenderer()).incident(f) for f in facts.incidents]
    assert first == second
    assert {hash(v) for v in first} == {hash(v) for v in second}
    assert pickle.loads(pickle.dumps(first)) == first


def test_status_phase_and_severity_views_are_made_once_per_value(facts: Facts) -> None:
    """Two builds share one view per phase, severity and component status, not a copy each."""
    first = [ViewBuilder(facts, MarkdownRenderer()).incident(f) for f in facts.incidents]
    second = [ViewBuilder(facts, MarkdownRenderer()).incident(f) for f in facts.incidents]
    for a, b in zip(first, second, strict=True):
        assert a.phase is b.phase
        assert a.severity is b.severity
        assert all(x.status is y.status for x, y in zip(a.updates, b.updates, strict=True))
        assert all(x.status is y.status for x, y in zip(a.components, b.components, strict=True))


def test_severity_view_follows_the_sites_own_name_for_the_level() -> None:
    """The memo is keyed by the whole level, so a site that calls MAJOR "P1" shows "P1"."""
    default = severity_view(SeverityLevel(Severity.MAJOR, "Major", "Most customers affected."))
    renamed = severity_view(SeverityLevel(Severity.MAJOR, "P1", "Most customers affected."))
    assert (default.key, default.label) == ("major", "Major")
    assert (renamed.key, renamed.label) == ("major", "P1")
