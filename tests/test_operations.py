"""The operations model on the page: severity names, promises, security, support, recovery, reviews."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

import html5lib
import pytest

from conftest import DEMO_NOW, EXAMPLE_CONTENT, MINIMAL_SITE, OPEN_INCIDENT, ScratchSite
from statusgen.build import BuildOptions, build, load_and_validate
from statusgen.derive import derive
from statusgen.derive.lifecycle import summarise
from statusgen.errors import ContentInvalid
from statusgen.model import ActionStatus, Severity
from statusgen.render.language import language
from statusgen.render.views import _days_text, contact_view


@pytest.fixture(scope="module")
def example(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("ops") / "public"
    build(BuildOptions(EXAMPLE_CONTENT, out, DEMO_NOW))
    return out


def text_of(page: Path) -> str:
    document = html5lib.parse(page.read_bytes(), namespaceHTMLElements=False)
    return " ".join(" ".join(document.find("body").itertext()).split())  # type: ignore[union-attr]


def test_incidents_may_use_the_teams_severity_names(scratch_site: ScratchSite) -> None:
    """With `severity_levels`, `severity: P1` means critical, and P1 is what the page shows."""
    site = MINIMAL_SITE + "severity_levels:\n  critical: {name: P1, meaning: Everything is down.}\n"
    incident = dict(OPEN_INCIDENT)
    incident["incidents/2026-11-20-api-errors/incident.md"] = (
        "---\ntitle: Down\nseverity: P1\n---\n"
    )
    content, _ = load_and_validate(scratch_site({**incident, "site.yml": site}))
    assert content.incidents[0].severity is Severity.CRITICAL
    assert content.site.level(Severity.CRITICAL).name == "P1"


def test_an_unknown_severity_name_lists_the_teams_names(scratch_site: ScratchSite) -> None:
    """A typo in P-names gets the same did-you-mean help as the standard values."""
    site = MINIMAL_SITE + "severity_levels:\n  critical: {name: P1}\n  major: {name: P2}\n"
    incident = dict(OPEN_INCIDENT)
    incident["incidents/2026-11-20-api-errors/incident.md"] = (
        "---\ntitle: Down\nseverity: P7\n---\n"
    )
    with pytest.raises(ContentInvalid) as caught:
        load_and_validate(scratch_site({**incident, "site.yml": site}))
    assert caught.value.errors[0].hint == "known: none, minor, major, critical, p1, p2"


def test_severity_is_shown_with_its_meaning(example: Path) -> None:
    """The incident page names the team's severity and says what it means."""
    page = text_of(example / "incidents/2026-10-19-power-loss-in-zone-par1/index.html")
    assert (
        "Severity P1 A core service is down for many customers. Updates every 15 minutes." in page
    )


def test_an_ongoing_incident_promises_its_next_update_with_a_machine_readable_time(
    example: Path,
) -> None:
    """The promise carries its time so the page can say, without a rebuild, when it is late."""
    home = (example / "index.html").read_text()
    assert '<p class="next-update" data-due="2026-11-23T14:45:00+01:00">Next update by' in home


def test_security_incidents_put_customer_actions_first_and_say_how_to_report(example: Path) -> None:
    """Actions come before everything else; the security contact is one click away."""
    page = text_of(example / "incidents/2026-10-06-api-tokens-exposed-in-build-logs/index.html")
    assert page.index("What you need to do") < page.index("Started")
    assert "Found a security problem? Report it to security@nimbus.example" in page


def test_support_page_lists_hours_contacts_and_escalation(example: Path) -> None:
    """Hours in the site's zone (the no-script fallback), contacts as links, the escalation path."""
    html = (example / "support/index.html").read_text()
    page = text_of(example / "support/index.html")
    assert "In Europe/Paris time (CET, UTC+01:00)" in page
    assert 'data-weekdays="0 1 2 3 4" data-opens="540" data-closes="1080"' in html
    assert '<a href="mailto:support@nimbus.example">support@nimbus.example</a>' in html
    assert "24/7 emergency line" in page


def test_reliability_page_lists_objectives_and_the_recovery_plan(example: Path) -> None:
    """RTO, RPO, redundancy and failover for every component, then backups and the DR plan."""
    page = text_of(example / "reliability/index.html")
    assert "Recovery objectives by component" in page
    assert "Last rehearsed on 15 Sept 2026." in page  # CLDR's international English
    assert "stored in a second datacenter (par2)" in page


def test_post_incident_review_has_generated_impact_timeline_and_actions(example: Path) -> None:
    """The review's impact and timeline come from the updates; actions have owners and status."""
    page = text_of(example / "incidents/2026-10-19-power-loss-in-zone-par1/index.html")
    assert (
        "At a glance From 19 Oct 2026, 08:31 CEST to 19 Oct 2026, 09:39 CEST (1 hr 8 mins)" in page
    )
    assert "Timeline of our updates" not in page  # the review has a timeline of its own
    assert (
        "Add a second power feed, with its own transfer switch, to rack rows C and D Infrastructure team In progress 2027-01-31"
        in page
    )


def test_history_marks_reviews_and_summarises_each_month(example: Path) -> None:
    """Each month says how many incidents and how fast they were resolved."""
    page = text_of(example / "history/index.html")
    assert "Post-mortem published" in page
    assert "median time to resolve" in page


def test_follow_up_actions_are_validated(scratch_site: ScratchSite) -> None:
    """An unknown action status is refused with the valid ones."""
    resolved = {
        "incidents/2026-11-20-api-errors/02.md": "---\nat: 2026-11-20T15:00:00+01:00\nstatus: resolved\n---\nFixed.\n"
    }
    review = {
        "incidents/2026-11-20-api-errors/postmortem.md": "---\npublished: 2026-11-21T10:00:00+01:00\nfollow_up:\n  - action: Fix it\n    status: finished\n---\nText.\n"
    }
    with pytest.raises(ContentInvalid) as caught:
        load_and_validate(scratch_site({**OPEN_INCIDENT, **resolved, **review}))
    error = caught.value.errors[0]
    assert (error.source.line, error.field) == (5, "follow_up[1].status")
    assert "open, in_progress, done" in (error.hint or "")


def test_lifecycle_medians_skip_steps_not_reached(scratch_site: ScratchSite) -> None:
    """An ongoing incident counts, but has no time to resolve yet."""
    content, _ = load_and_validate(scratch_site(OPEN_INCIDENT))
    summary = summarise(derive(content, DEMO_NOW).incidents)
    assert (summary.count, summary.resolved, summary.median_time_to_resolve) == (1, 0, None)


def test_example_month_summary_matches_its_incidents() -> None:
    """October: time to resolve is measured from started_at when the incident gives one."""
    content, _ = load_and_validate(EXAMPLE_CONTENT)
    facts = derive(content, DEMO_NOW)
    power = facts.incident("2026-10-19-power-loss-in-zone-par1")
    assert power.resolved_at - power.started_at == timedelta(minutes=68)
    assert power.started_at == datetime(2026, 10, 19, 6, 31, tzinfo=UTC)
    assert power.incident.postmortem is not None
    assert [a.status for a in power.incident.postmortem.follow_up][:3] == [
        ActionStatus.DONE,
        ActionStatus.DONE,
        ActionStatus.IN_PROGRESS,
    ]


def test_weekday_ranges_and_contacts_read_naturally() -> None:
    """Mon–Fri, Sun; e-mail addresses and phone numbers become links."""
    assert _days_text((0, 1, 2, 3, 4, 6), language("en").weekday_names()) == "Mon–Fri, Sun"
    assert _days_text((0, 1, 2, 3, 4), language("fr").weekday_names()) == "lun.–ven."
    assert contact_view("email", "help@example.com").href == "mailto:help@example.com"
    assert contact_view("phone", "+33 1 00 00 00 00").href == "tel:+33100000000"
    assert contact_view("note", "ask your account manager").href is None
