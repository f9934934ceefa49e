"""A component's status set directly (`components/<id>/<name>.md`), outside any incident, as
Statuspage lets an operator do: it counts in the component's status, the page's and uptime."""

from __future__ import annotations

import shutil
from datetime import UTC, date, datetime

import pytest

from conftest import OPEN_INCIDENT, ScratchSite
from statusgen.build import load
from statusgen.errors import ContentInvalid
from statusgen.model import ComponentStatus

DOWN = "---\nat: 2026-11-21T10:00:00+01:00\nstatus: major_outage\n---\nPower work at the office.\n"
BACK = "---\nat: 2026-11-21T16:00:00+01:00\nstatus: operational\n---\n"


def at(text: str) -> datetime:
    return datetime.fromisoformat(text).astimezone(UTC)


def test_a_direct_change_sets_the_status_until_the_next(scratch_site: ScratchSite) -> None:
    content = scratch_site(
        {"components/dashboard/01-down.md": DOWN, "components/dashboard/02-back.md": BACK}
    )
    before = load(content, at("2026-11-21T09:00:00+01:00")).facts
    assert before.state("dashboard").status is ComponentStatus.OPERATIONAL
    during = load(content, at("2026-11-21T12:00:00+01:00")).facts
    assert during.state("dashboard").status is ComponentStatus.MAJOR_OUTAGE
    assert during.overall.indicator.value == "major"
    assert during.state("dashboard").changed_at == at("2026-11-21T10:00:00+01:00")
    after = load(content, at("2026-11-22T12:00:00+01:00")).facts
    assert after.state("dashboard").status is ComponentStatus.OPERATIONAL
    day = next(d for d in after.uptime_of("dashboard").days if d.day == date(2026, 11, 21))
    assert day.worst is ComponentStatus.MAJOR_OUTAGE
    assert day.downtime_seconds == pytest.approx(6 * 3600)  # 10:00 to 16:00, full weight
    untouched = next(d for d in after.uptime_of("api").days if d.day == date(2026, 11, 21))
    assert untouched.downtime_seconds == 0


def test_the_worst_of_an_incident_and_a_direct_change_wins(scratch_site: ScratchSite) -> None:
    content = scratch_site(
        {
            **OPEN_INCIDENT,  # api: partial_outage from 2026-11-20 14:02
            "components/api/degraded.md": DOWN.replace("major_outage", "degraded_performance"),
        }
    )
    facts = load(content, at("2026-11-21T12:00:00+01:00")).facts
    assert facts.state("api").status is ComponentStatus.PARTIAL_OUTAGE


def test_every_mistake_in_a_change_is_reported(scratch_site: ScratchSite) -> None:
    content = scratch_site(
        {
            "components/dashbord/01.md": DOWN,
            "components/api/01.md": "---\nat: 2026-11-21T10:00:00+01:00\nstatus: broken\nwhy: x\n---\n",
        }
    )
    with pytest.raises(ContentInvalid) as raised:
        load(content, at("2026-11-22T12:00:00+01:00"))
    found = sorted((str(e.source), e.field, e.message, e.hint) for e in raised.value.errors)
    assert [(where, field) for where, field, _, _ in found] == [
        ("components/api/01.md:3", "status"),
        ("components/api/01.md:4", "why"),
        ("components/dashbord/01.md", None),
    ]
    assert "did you mean 'dashboard'" in str(found[2][3])
    shutil.rmtree(content / "components")  # the scratch site's folder is reused below
    with pytest.raises(ContentInvalid) as future:
        load(
            scratch_site({"components/api/01.md": DOWN.replace("2026-11-21", "2026-12-21")}),
            at("2026-11-22T12:00:00+01:00"),
        )
    assert "status change is dated" in future.value.errors[0].message


def test_the_api_says_what_a_direct_change_left_before_an_update(
    scratch_site: ScratchSite,
) -> None:
    """`old_status` is the page-wide status before the update, direct changes included."""
    from statusgen.render.api import api_documents

    content = scratch_site(
        {
            "components/dashboard/01.md": DOWN.replace("major_outage", "degraded_performance"),
            "incidents/2026-11-21-dash/incident.md": "---\ntitle: Dashboard down\nseverity: major\n---\n",
            "incidents/2026-11-21-dash/01.md": (
                "---\nat: 2026-11-21T12:00:00+01:00\nstatus: investigating\n"
                "components:\n  dashboard: partial_outage\n---\nLooking.\n"
            ),
        }
    )
    facts = load(content, at("2026-11-21T13:00:00+01:00")).facts
    incident = api_documents(facts)["api/v2/incidents.json"]["incidents"][0]
    [affected] = incident["incident_updates"][0]["affected_components"]
    assert (affected["old_status"], affected["new_status"]) == (
        "degraded_performance",
        "partial_outage",
    )
