"""What the README promises about the example site holds."""

from __future__ import annotations

from datetime import UTC, datetime

from conftest import EXAMPLE_CONTENT
from statusgen.build import load_and_validate
from statusgen.derive import derive
from statusgen.derive.lint import lint
from statusgen.model import MaintenanceStatus


def test_the_example_built_later_keeps_its_incident_open_and_lint_says_so() -> None:
    """Without --now, nothing resolves by itself: the incident stays open and lint names each loose end."""
    content, _ = load_and_validate(EXAMPLE_CONTENT)
    later = datetime(2027, 6, 1, tzinfo=UTC)
    facts = derive(content, later)
    (ongoing,) = facts.ongoing
    assert ongoing.incident.slug == "2026-11-23-elevated-api-error-rates-in-par1"
    assert facts.overall.description == "Minor Service Outage"
    assert {m.status for m in facts.maintenances} == {MaintenanceStatus.COMPLETED}
    messages = [finding.message for finding in lint(content, later)]
    assert any("next update was promised" in m for m in messages)
    assert any("incident has been open for" in m for m in messages)
    assert any("no update says it was completed" in m for m in messages)
