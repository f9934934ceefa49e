"""View models are plain values: every part a field, no builder or facts held inside."""

from __future__ import annotations

import pickle
from dataclasses import fields, replace
from pathlib import Path

import pytest

from conftest import DEMO_NOW, EXAMPLE_CONTENT
from statusgen.build import load_and_validate
from statusgen.derive import Facts, derive
from statusgen.model import DEFAULT_SEVERITY_LEVELS, Severity
from statusgen.render.fragments import Fragments, _Time
from statusgen.render.html import _data_fields
from statusgen.render.language import language
from statusgen.render.markdown import MarkdownRenderer
from statusgen.render.site import compiled_templates
from statusgen.render.theme import default_theme_dir
from statusgen.render.views import IncidentView, ViewBuilder

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


def builder(facts: Facts, tag: str = "en") -> ViewBuilder:
    env = compiled_templates(default_theme_dir(), languages=(tag,))[tag]
    return ViewBuilder(facts, MarkdownRenderer(), language(tag), Fragments(env))


def test_incident_view_parts_are_fields_the_theme_sandbox_reads_directly() -> None:
    """Summary, updates and review are dataclass fields, so templates take the fast path."""
    assert {f.name for f in fields(IncidentView)} >= MARKDOWN_PARTS
    assert _data_fields(IncidentView) >= MARKDOWN_PARTS


def test_incident_view_holds_no_builder_or_facts(facts: Facts) -> None:
    """A view is made of view values only: nothing of the build that made it stays inside."""
    view = builder(facts).incident(facts.incidents[0])
    assert {"builder", "facts"}.isdisjoint(f.name for f in fields(IncidentView))
    assert not hasattr(view, "__dict__")  # slots: no cached state can be attached later


def test_incident_views_of_two_builds_are_equal_values(facts: Facts) -> None:
    """Two builders over the same facts make equal, hashable, picklable views."""
    first = [builder(facts).incident(f) for f in facts.incidents]
    second = [builder(facts).incident(f) for f in facts.incidents]
    assert first == second
    assert {hash(v) for v in first} == {hash(v) for v in second}
    assert pickle.loads(pickle.dumps(first)) == first


def test_status_phase_and_severity_views_are_made_once_per_value(facts: Facts) -> None:
    """Within a build, every incident shares one view per phase, severity and status."""
    views = builder(facts)
    incidents = [views.incident(f) for f in facts.incidents]
    by_phase: dict[str, object] = {}
    by_status: dict[str, object] = {}
    for view in incidents:
        assert by_phase.setdefault(view.phase.key, view.phase) is view.phase
        for ref in view.components:
            assert by_status.setdefault(ref.status.key, ref.status) is ref.status
    assert views.severity(Severity.MAJOR) is views.severity(Severity.MAJOR)


def test_each_fragment_is_rendered_once_per_value_by_the_themes_partial(facts: Facts) -> None:
    """The partial runs once for a value; asking again returns the kept HTML itself."""
    env = compiled_templates(default_theme_dir())["en"]
    fragments = Fragments(env)
    first = fragments.status("major_outage", "Major outage")
    assert fragments.status("major_outage", "Major outage") is first
    assert 'class="status status-major_outage"' in first and "Major outage" in first
    assert fragments.status("major_outage", "Panne majeure") is not first


def test_severity_view_follows_the_sites_own_name_for_the_level(facts: Facts) -> None:
    """A site that calls MAJOR "P2" shows "P2"; the default levels' words are translated."""
    example = builder(facts).severity(Severity.MAJOR)
    assert (example.key, example.label) == ("major", "P2")  # the example site's own name
    default_site = replace(facts.content.site, severity_levels=DEFAULT_SEVERITY_LEVELS)
    french = builder(replace(facts, content=replace(facts.content, site=default_site)), "fr")
    label = french.severity(Severity.MAJOR).label
    assert label == language("fr").gettext("Major") != "Major"


TIMES = [
    ("2026-11-23T14:30:00+01:00", "23 Nov 2026, 14:30 CET", "23 Nov 2026, 14:30 CET (UTC+01:00)"),
    ("2026-03-29T03:00:00+02:00", "<b>&amp;\"'", "statusgenTimeTextMarker"),  # hostile text
]


@pytest.mark.parametrize(("iso", "text", "title"), TIMES)
def test_the_default_time_partial_is_filled_in_as_rendering_would(
    iso: str, text: str, title: str
) -> None:
    """The default time partial is rendered once with markers and filled in per time: the
    result is byte for byte what rendering the partial gives, escaping included."""
    env = compiled_templates(default_theme_dir())["en"]
    rendered = env.get_template("partials/time.html").render(t=_Time(iso, text, title))
    assert Fragments(env).time(iso, text, title) == rendered
    assert "<b>" not in rendered


def test_a_themes_own_time_partial_is_rendered_for_each_time(tmp_path: Path) -> None:
    """A theme's time partial may transform its values: it is rendered, never filled in."""
    partials = tmp_path / "templates" / "partials"
    partials.mkdir(parents=True)
    (partials / "time.html").write_text('<time datetime="{{ t.iso }}">{{ t.text | upper }}</time>')
    env = compiled_templates(tmp_path)["en"]
    html = Fragments(env).time("2026-11-23T14:30:00+01:00", "23 Nov 2026, 14:30 CET", "x")
    assert html == '<time datetime="2026-11-23T14:30:00+01:00">23 NOV 2026, 14:30 CET</time>'
