"""`statusgen import cstate SITE_DIR`: a cState (Hugo) site read into an ImportedSite.

The fixture, tests/fixtures/cstate-site/, is hand-written after cState's exampleSite (its
README says which issue covers what).
"""

from __future__ import annotations

import shutil
from datetime import UTC, datetime, timedelta, timezone
from pathlib import Path

import pytest
from click.testing import CliRunner

from conftest import ROOT
from statusgen.cli.main import main
from statusgen.importers import ImportedIncident, ImportedSite, ImportFailed
from statusgen.importers.cstate import RESOLVED_BODY, cstate_site, split_updates

SITE = ROOT / "tests" / "fixtures" / "cstate-site"


def utc(text: str) -> datetime:
    return datetime.fromisoformat(text).replace(tzinfo=UTC)


@pytest.fixture(scope="module")
def site() -> ImportedSite:
    return cstate_site(SITE)


def incident(site: ImportedSite, stem: str) -> ImportedIncident:
    return next(i for i in site.incidents if i.source_id == stem)


def test_the_site_keeps_its_title_address_and_description_in_utc(site: ImportedSite) -> None:
    assert (site.source, site.name, site.url) == (
        "cstate",
        "Example Status",
        "https://status.example.com",
    )
    assert site.timezone == "UTC"  # the config has no timeZone: Hugo reads UTC
    assert site.description == "We continuously monitor the status of our services."


def test_systems_become_components_in_category_order_with_groups(site: ImportedSite) -> None:
    """Core first (as the page shows it), then the untitled category, whose systems have no
    group; a displayName is the name, the system's name its source id."""
    assert [(c.id, c.name, c.group, c.retired) for c in site.components] == [
        ("api", "API", "Core", False),
        ("dashboard", "Customer dashboard", "Core", False),
        ("database", "Database", "Core", False),
        ("website", "Website", None, False),
        ("email", "Email", None, False),
        ("single-sign-on", "Single sign-on", None, True),  # only named by an issue
    ]
    assert site.components[0].description == "The public REST API."
    assert site.components[1].source_id == "Dashboard"


def test_prose_updates_newest_first_become_timed_updates_oldest_first(site: ImportedSite) -> None:
    outage = incident(site, "2024-03-04-api-outage")
    assert (outage.title, outage.severity, outage.components) == (
        "API unavailable",
        "critical",
        ("api", "website"),
    )
    assert [(u.at, u.status) for u in outage.updates] == [
        (utc("2024-03-04 09:12"), "investigating"),
        (utc("2024-03-04 09:40"), "identified"),
        (utc("2024-03-04 10:05"), "monitoring"),
        (utc("2024-03-04 10:45"), "resolved"),
    ]
    assert [u.body for u in outage.updates] == [
        "We are looking into failed API requests.",
        "A configuration change overloaded the load balancers.\n\nWe are rolling it back.",
        "A fix is deployed and we are watching error rates.",
        "Error rates are back to normal. We will publish a review.",
    ]
    assert outage.updates[0].source_id == "00-20240304T091200Z"
    assert outage.old_paths == ("/issues/2024-03-04-api-outage/",)


def test_down_sets_major_outage_until_the_resolving_update(site: ImportedSite) -> None:
    outage = incident(site, "2024-03-04-api-outage")
    assert {u.components for u in outage.updates[:-1]} == {
        (("api", "major_outage"), ("website", "major_outage"))
    }
    assert outage.updates[-1].components == (("api", "operational"), ("website", "operational"))


def test_an_issue_resolved_by_its_frontmatter_gets_a_resolving_update(site: ImportedSite) -> None:
    slow = incident(site, "2024-03-10-slow-dashboard")
    assert slow.severity == "major"
    assert [(u.status, u.at) for u in slow.updates] == [
        ("investigating", utc("2024-03-10 14:00")),
        ("monitoring", utc("2024-03-10 15:10")),
        ("resolved", utc("2024-03-10 16:30")),  # resolvedWhen
    ]
    assert slow.updates[-1].body == RESOLVED_BODY
    assert slow.updates[1].components == (("dashboard", "partial_outage"),)


def test_an_ongoing_issue_is_not_resolved_and_an_unknown_word_is_identified(
    site: ImportedSite,
) -> None:
    delays = incident(site, "2024-04-01-email-delays")
    assert delays.severity == "minor"
    assert [(u.status, u.body) for u in delays.updates] == [
        ("investigating", "Some notification e-mails arrive late."),
        ("identified", "Our e-mail provider is working on it."),  # *Escalated*
    ]
    assert delays.updates[-1].components == (("email", "degraded_performance"),)


def test_an_informational_post_with_a_window_is_a_maintenance(site: ImportedSite) -> None:
    (upgrade,) = site.maintenances
    assert upgrade.source_id == "2024-05-20-database-upgrade"
    assert (upgrade.scheduled_for, upgrade.scheduled_until) == (
        utc("2024-05-20 22:00"),
        utc("2024-05-21 00:00"),
    )
    assert upgrade.components == ("database",)
    assert upgrade.body.startswith("We will upgrade the database cluster")
    assert [(u.status, u.at, u.body) for u in upgrade.updates] == [
        ("in_progress", utc("2024-05-20 22:01"), "The upgrade has begun.")
    ]
    assert "2024-05-20-database-upgrade" not in {i.source_id for i in site.incidents}


def test_an_informational_post_without_a_window_is_a_closed_notice(site: ImportedSite) -> None:
    notice = incident(site, "2024-07-01-new-status-page")
    assert (notice.severity, notice.components) == ("none", ())
    assert [(u.status, u.at, u.body, u.components) for u in notice.updates] == [
        (
            "resolved",
            utc("2024-07-01 12:00"),
            "This page now shows the status of each of our services.",
            (),
        )
    ]


def test_untimed_updates_a_slug_an_offset_and_an_unknown_system(site: ImportedSite) -> None:
    login = incident(site, "2024-06-02-login-errors")
    assert login.old_paths == ("/issues/login-trouble/",)
    assert login.created_at == datetime(2024, 6, 2, 7, 50, tzinfo=timezone(timedelta(hours=2)))
    assert login.components == ("website", "single-sign-on")
    assert [(u.status, u.at.astimezone(UTC)) for u in login.updates] == [
        ("investigating", utc("2024-06-02 05:50")),  # untimed, the oldest: the issue's date
        ("identified", utc("2024-06-02 05:50")),  # untimed: the time of the one before
        ("resolved", utc("2024-06-02 07:20")),  # resolvedWhen
    ]
    # The text above the updates is the incident's summary, shown above the timeline.
    assert login.summary == "Some customers could not log in for half an hour."
    assert login.updates[1].body == "This incident has been resolved."


def test_the_section_index_is_not_an_issue(site: ImportedSite) -> None:
    assert len(site.incidents) + len(site.maintenances) == 6


def test_a_body_written_oldest_first_is_read_in_time_order() -> None:
    """As cState's exampleSite 2024-07-23-excitement.md: `---` between, tracked times rising."""
    body = (
        '*Investigating* - Looking. {{< track "2024-02-24 10:35:00" >}}\n\n---\n\n'
        "*Fixed* - Done. {{< track '2024-02-24 10:50:00' >}}\n"
    )
    top, pieces = split_updates(body, UTC, Path("x.md"))
    assert top == ""
    assert [(p.word, p.at, p.body) for p in pieces] == [
        ("Investigating", utc("2024-02-24 10:35"), "Looking."),
        ("Fixed", utc("2024-02-24 10:50"), "Done."),
    ]


def test_a_tracked_paragraph_without_marker_is_an_update() -> None:
    body = '*Alert raised.* {{< track "2024-12-27T09:44:00.481Z" >}}\n'
    top, pieces = split_updates(body, UTC, Path("x.md"))
    assert top == ""
    assert [(p.word, p.body) for p in pieces] == [(None, "*Alert raised.*")]
    assert pieces[0].at == datetime(2024, 12, 27, 9, 44, 0, 481000, tzinfo=UTC)


def copy_site(tmp_path: Path) -> Path:
    target = tmp_path / "cstate"
    shutil.copytree(SITE, target)
    return target


def test_the_configs_time_zone_reads_times_without_offset(tmp_path: Path) -> None:
    target = copy_site(tmp_path)
    config = target / "config.yml"
    config.write_text(config.read_text() + "timeZone: Europe/Paris\n")
    imported = cstate_site(target)
    assert imported.timezone == "Europe/Paris"
    outage = incident(imported, "2024-03-04-api-outage")
    assert outage.updates[0].at.astimezone(UTC) == utc("2024-03-04 08:12")


def test_a_hugo_toml_config_is_read(tmp_path: Path) -> None:
    target = copy_site(tmp_path)
    (target / "config.yml").unlink()
    (target / "hugo.toml").write_text(
        'title = "Toml Status"\nbaseURL = "https://t.example.com"\n'
        '[[params.systems]]\nname = "API"\ncategory = "Core"\n'
        '[[params.categories]]\nname = "Core"\n'
    )
    imported = cstate_site(target)
    assert imported.name == "Toml Status"
    assert [(c.id, c.group, c.retired) for c in imported.components][:1] == [("api", "Core", False)]


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (lambda site: (site / "config.yml").unlink(), "no Hugo configuration"),
        (
            lambda site: (site / "config.yml").write_text("title: [unclosed\n"),
            "config.yml, line 1: invalid YAML",
        ),
        (
            lambda site: (site / "config.yml").write_text("title: X\ntimeZone: Mars/Olympus\n"),
            "timeZone 'Mars/Olympus' is not a known time zone",
        ),
        (
            lambda site: (site / "content/issues/bad.md").write_text(
                "---\ntitle: Bad\ndate: yesterday\n---\n"
            ),
            "bad.md: date 'yesterday' is not a date and time",
        ),
        (
            lambda site: (site / "content/issues/bad.md").write_text("no front matter\n"),
            "bad.md: no front matter",
        ),
        (
            lambda site: (site / "content/issues/bad.md").write_bytes(b"---\ntitle: \xff\n---\n"),
            "bad.md: not UTF-8 text",
        ),
    ],
)
def test_an_unreadable_site_fails_with_the_file_named(
    tmp_path: Path, change: object, message: str
) -> None:
    target = copy_site(tmp_path)
    assert callable(change)
    change(target)
    with pytest.raises(ImportFailed, match=message.replace("[", r"\[")):
        cstate_site(target)


def test_the_imported_site_builds(tmp_path: Path) -> None:
    """End to end: `statusgen import cstate` into a new folder, then `statusgen build` it."""
    content = tmp_path / "content"
    runner = CliRunner()
    imported = runner.invoke(main, ["import", "cstate", str(SITE), "--into", str(content)])
    assert imported.exit_code == 0, imported.output
    assert (content / "maintenance" / "2024-05-20-database-upgrade" / "maintenance.md").is_file()
    assert "/issues/login-trouble/" in (content / "_redirects").read_text()
    built = runner.invoke(
        main,
        ["build", str(content), "--output", str(tmp_path / "public"), "--now", "2024-08-01T00:00Z"],
    )
    assert built.exit_code == 0, built.output
    page = tmp_path / "public" / "incidents" / "2024-06-02-login-errors" / "index.html"
    assert "Login errors" in page.read_text()
