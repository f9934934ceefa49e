"""What the on-call commands write, as pure functions: a draft in, the exact files out."""

from __future__ import annotations

import textwrap
from dataclasses import replace
from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from conftest import MINIMAL_SITE, ScratchSite
from statusgen.build import load_and_validate
from statusgen.cli.drafts import (
    IncidentDraft,
    MaintenanceDraft,
    MaintenanceUpdateDraft,
    PostmortemDraft,
    UpdateDraft,
    cadence_promise,
    cancelled_message,
    default_message,
    first_line,
    incident_slug,
    incident_update_files,
    maintenance_slug,
    maintenance_update_files,
    new_incident_files,
    new_maintenance_files,
    postmortem_files,
    rescheduled_message,
    rescheduled_text,
)
from statusgen.model import (
    ComponentStatus,
    IncidentKind,
    IncidentStatus,
    MaintenanceStatus,
    Severity,
    Site,
)

PARIS = ZoneInfo("Europe/Paris")
AT = datetime(2026, 11, 23, 14, 30, tzinfo=PARIS)
FOLDER = Path("content/incidents/2026-11-23-api-errors")


@pytest.fixture
def site(scratch_site: ScratchSite) -> Site:
    """The minimal site (API and Dashboard, Europe/Paris) with a 30-minute cadence for majors."""
    content, _ = load_and_validate(
        scratch_site({"site.yml": MINIMAL_SITE + "update_cadence:\n  major: 30m\n"})
    )
    return content.site


def text(indented: str) -> str:
    return textwrap.dedent(indented)


FIRST = UpdateDraft(
    at=AT,
    status=IncidentStatus.INVESTIGATING,
    components=(
        ("api", ComponentStatus.MAJOR_OUTAGE),
        ("dashboard", ComponentStatus.DEGRADED_PERFORMANCE),
    ),
    message="We are investigating errors on the API.",
    next_update=datetime(2026, 11, 23, 15, 0, tzinfo=PARIS),
)


def test_new_incident_is_its_incident_md_and_a_first_update() -> None:
    """incident.md names the title, severity and components; 01 holds the first update."""
    draft = IncidentDraft("Elevated error rates", Severity.MAJOR, IncidentKind.INCIDENT, FIRST)
    assert new_incident_files(draft, FOLDER) == [
        (
            FOLDER / "incident.md",
            "---\ntitle: Elevated error rates\nseverity: major\ncomponents: [api, dashboard]\n---\n",
        ),
        (
            FOLDER / "01-investigating.md",
            text(
                """\
                ---
                at: 2026-11-23T14:30:00+01:00
                status: investigating
                components:
                  api: major_outage
                  dashboard: degraded_performance
                next_update: 2026-11-23T15:00:00+01:00
                ---
                We are investigating errors on the API.
                """
            ),
        ),
    ]


def test_security_incident_without_components_says_its_kind_and_no_components() -> None:
    """`kind` is written only when it is not the default; no components, no components field."""
    draft = IncidentDraft(
        "Leaked token",
        Severity.CRITICAL,
        IncidentKind.SECURITY,
        replace(FIRST, components=(), next_update=None),
    )
    files = dict(new_incident_files(draft, FOLDER))
    assert files[FOLDER / "incident.md"] == (
        "---\ntitle: Leaked token\nseverity: critical\nkind: security\n---\n"
    )
    assert files[FOLDER / "01-investigating.md"] == (
        "---\nat: 2026-11-23T14:30:00+01:00\nstatus: investigating\n---\n"
        "We are investigating errors on the API.\n"
    )


def test_incident_slug_is_the_day_and_title_made_unique() -> None:
    """A slug already taken (by an incident or a maintenance) gets -2."""
    draft = IncidentDraft("API errors", Severity.MAJOR, IncidentKind.INCIDENT, FIRST)
    assert incident_slug(draft, set()) == "2026-11-23-api-errors"
    assert incident_slug(draft, {"2026-11-23-api-errors"}) == "2026-11-23-api-errors-2"


def test_update_is_numbered_after_the_existing_updates() -> None:
    """The file name continues the folder's numbering and names the status."""
    draft = replace(FIRST, status=IncidentStatus.RESOLVED, components=(), next_update=None)
    [(path, text)] = incident_update_files(draft, FOLDER, ["01-investigating.md", "02.md"])
    assert path == FOLDER / "03-resolved.md"
    assert text.startswith("---\nat: 2026-11-23T14:30:00+01:00\nstatus: resolved\n---\n")


def test_postmortem_is_published_at_and_the_body() -> None:
    """postmortem.md holds `published` and the (edited) body, nothing else."""
    draft = PostmortemDraft(AT, "## Summary\n\nA bad deploy.\n")
    assert postmortem_files(draft, FOLDER) == [
        (
            FOLDER / "postmortem.md",
            "---\npublished: 2026-11-23T14:30:00+01:00\n---\n## Summary\n\nA bad deploy.\n",
        )
    ]


def test_default_messages_name_the_affected_components(site: Site) -> None:
    """The --yes draft names components as customers know them, joined with "and"."""
    assert default_message(IncidentStatus.INVESTIGATING, site, ["api", "dashboard"]) == (
        "We are investigating problems with Public API and Dashboard."
    )
    assert default_message(IncidentStatus.INVESTIGATING, site, []) == (
        "We are investigating reports of a problem."
    )


def test_cadence_promise_is_the_next_update_the_page_would_show(site: Site) -> None:
    """A major incident on a 30-minute cadence promises an update 30 minutes on, in site time."""
    assert cadence_promise(site, Severity.MAJOR, AT) == datetime(2026, 11, 23, 15, 0, tzinfo=PARIS)
    assert cadence_promise(site, Severity.MINOR, AT) is None


def test_first_line_flattens_an_update_and_drops_emphasis_marks() -> None:
    """A timeline entry is one line without Markdown emphasis, cut at a word near 160."""
    assert first_line("We **rolled back**\nthe `deploy`.") == "We rolled back the deploy."
    long = "word " * 50
    cut = first_line(long)
    assert cut.endswith(" …") and len(cut) <= 160 and "wor …" not in cut


def test_new_maintenance_is_one_maintenance_md(tmp_path: Path) -> None:
    """The window, components, a non-default impact and `announced_at`, then the message."""
    draft = MaintenanceDraft(
        "Database upgrade",
        datetime(2026, 12, 1, 2, 0, tzinfo=PARIS),
        datetime(2026, 12, 1, 4, 0, tzinfo=PARIS),
        ("api",),
        ComponentStatus.PARTIAL_OUTAGE,
        "We will upgrade the database.",
        AT,
    )
    folder = tmp_path / maintenance_slug(draft, set())
    assert folder.name == "2026-12-01-database-upgrade"
    assert new_maintenance_files(draft, folder) == [
        (
            folder / "maintenance.md",
            text(
                """\
                ---
                title: Database upgrade
                scheduled_for: 2026-12-01T02:00:00+01:00
                scheduled_until: 2026-12-01T04:00:00+01:00
                components: [api]
                impact: partial_outage
                announced_at: 2026-11-23T14:30:00+01:00
                ---
                We will upgrade the database.
                """
            ),
        )
    ]


def test_rescheduled_update_keeps_its_status_and_is_named_rescheduled() -> None:
    """The file says `rescheduled`; its status stays the phase the page shows."""
    draft = MaintenanceUpdateDraft(AT, MaintenanceStatus.IN_PROGRESS, "Moved.", label="rescheduled")
    [(path, text)] = maintenance_update_files(draft, FOLDER, ["01-in-progress.md"])
    assert path == FOLDER / "02-rescheduled.md"
    assert text == "---\nat: 2026-11-23T14:30:00+01:00\nstatus: in_progress\n---\nMoved.\n"


def test_rescheduled_message_gives_both_windows_then_the_reason() -> None:
    """Same-day windows are written once with their times; the reason follows a blank line."""
    before = (datetime(2026, 12, 1, 2, 0, tzinfo=PARIS), datetime(2026, 12, 1, 4, 0, tzinfo=PARIS))
    after = (datetime(2026, 12, 8, 2, 0, tzinfo=PARIS), datetime(2026, 12, 8, 4, 0, tzinfo=PARIS))
    assert rescheduled_message(before, after, PARIS, "  A holiday. ") == (
        "Rescheduled from 2026-12-01 02:00–04:00 CET to 2026-12-08 02:00–04:00 CET.\n\nA holiday."
    )
    assert rescheduled_message(before, after, PARIS, "").endswith("CET.")


def test_rescheduled_text_changes_only_the_window() -> None:
    """maintenance.md keeps everything else as written: comments, order, the body."""
    text = (
        "---\ntitle: Upgrade  # keep\nscheduled_for: 2026-12-01T02:00:00+01:00\n"
        "scheduled_until: 2026-12-01T04:00:00+01:00\n---\nBody.\n"
    )
    after = rescheduled_text(
        text, datetime(2026, 12, 8, 2, 0, tzinfo=PARIS), datetime(2026, 12, 8, 5, 0, tzinfo=PARIS)
    )
    assert after == text.replace("12-01T02", "12-08T02").replace("12-01T04", "12-08T05")


def test_cancelled_message_names_the_window_and_the_components(site: Site) -> None:
    """The --yes text of a cancellation says which window and that nothing is affected."""
    window = (datetime(2026, 12, 1, 2, 0, tzinfo=PARIS), datetime(2026, 12, 1, 4, 0, tzinfo=PARIS))
    assert cancelled_message(site, window, ["api"]) == (
        "This maintenance (2026-12-01 02:00–04:00 CET) is cancelled. "
        "Public API will not be affected."
    )
