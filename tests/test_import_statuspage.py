"""`statusgen import statuspage`: real Statuspage histories become content that builds, with
every update's body, time and status as the source had them, and a second import changes
nothing. The data is real (tests/fixtures/README.md): 123 GitHub incidents of 2022, a 2019
export of another page, and summaries with groups and a scheduled maintenance."""

from __future__ import annotations

import json
import os
import shutil
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner, Result

from statusgen.build import load_and_validate
from statusgen.cli.main import main
from statusgen.model import Content
from statusgen.text import normalise_newlines

FIXTURES = Path(__file__).parent / "fixtures"
GITHUB = FIXTURES / "statuspage-history" / "githubstatus-2022"
MYEMMA = FIXTURES / "statuspage-history" / "myemma-incidents-2019.json"
SUMMARIES = sorted((FIXTURES / "statuspage").glob("*.json"))


def imported(into: Path, *sources: Path | str) -> Result:
    return CliRunner().invoke(
        main, ["import", "statuspage", *map(str, sources), "--into", str(into)]
    )


def source_incidents(*sources: Path) -> dict[str, dict[str, Any]]:
    """Every incident (not maintenance) of the sources, by id."""
    found: dict[str, dict[str, Any]] = {}
    for source in sources:
        files = sorted(source.glob("*.json")) if source.is_dir() else [source]
        for file in files:
            document = json.loads(file.read_text())
            items = [document["incident"]] if "incident" in document else []
            items += document.get("incidents", [])
            for item in items:
                if not item.get("scheduled_for"):
                    found[item["id"]] = item
    return found


def manifest_folders(content: Path) -> dict[str, str]:
    manifest = json.loads((content / ".statusgen-import.json").read_text())
    subjects = manifest["sources"]["statuspage"]["subjects"]
    return {key.split(":", 1)[1]: entry["folder"] for key, entry in subjects.items()}


def assert_faithful(content: Content, root: Path, sources: dict[str, dict[str, Any]]) -> None:
    """Every source update is in the content with its time, status and body."""
    folders = manifest_folders(root)
    incidents = {i.slug: i for i in content.incidents}
    for source_id, source in sources.items():
        incident = incidents[folders[source_id]]
        assert incident.title == source["name"]
        expected = sorted(
            (u for u in source["incident_updates"] if u["status"] != "postmortem"),
            key=lambda u: (datetime.fromisoformat(u["display_at"]), u["id"]),
        )
        assert [u.status.value for u in incident.updates] == [u["status"] for u in expected]
        assert [u.at for u in incident.updates] == [
            datetime.fromisoformat(u["display_at"]) for u in expected
        ]
        assert [u.body for u in incident.updates] == [
            normalise_newlines(u["body"]).strip("\n") for u in expected
        ]


@pytest.fixture(scope="module")
def github(tmp_path_factory: pytest.TempPathFactory) -> Path:
    into = tmp_path_factory.mktemp("github") / "content"
    result = imported(into, GITHUB)
    assert result.exit_code == 0, result.output
    return into


def test_all_github_incidents_of_2022_import_and_validate_without_a_warning(github: Path) -> None:
    content, warnings = load_and_validate(github)
    assert warnings == []
    assert len(content.incidents) == 123
    assert sum(len(i.updates) for i in content.incidents) == 521
    assert_faithful(content, github, source_incidents(GITHUB))


def test_they_build_with_no_error(github: Path, tmp_path: Path) -> None:
    result = CliRunner().invoke(
        main,
        ["build", str(github), "--output", str(tmp_path / "out"), "--now", "2023-01-01T00:00:00Z"],
    )
    assert result.exit_code == 0, result.output
    assert "123 incidents" in result.output
    redirects = (tmp_path / "out" / "_redirects").read_text()
    assert "/incidents/01g5rt6z89q2  " in redirects


def test_a_second_import_changes_no_file(github: Path, tmp_path: Path) -> None:
    copy = tmp_path / "content"
    shutil.copytree(github, copy)
    before = {p: (p.read_bytes(), p.stat().st_mtime_ns) for p in copy.rglob("*") if p.is_file()}
    result = imported(copy, GITHUB)
    assert result.exit_code == 0, result.output
    assert "0 files written, 0 rewritten" in result.output
    after = {p: (p.read_bytes(), p.stat().st_mtime_ns) for p in copy.rglob("*") if p.is_file()}
    assert after == before


def test_a_newer_export_adds_only_what_is_new_and_keeps_slugs(tmp_path: Path) -> None:
    older = tmp_path / "older"
    older.mkdir()
    files = sorted(GITHUB.glob("*.json"))
    for file in files[:100]:
        shutil.copy(file, older)
    into = tmp_path / "content"
    assert imported(into, older).exit_code == 0
    folders = manifest_folders(into)
    before = {p: p.read_bytes() for p in (into / "incidents").rglob("*.md")}
    result = imported(into, GITHUB)
    assert result.exit_code == 0, result.output
    # Only the list of old addresses grows; every incident file already there is untouched.
    assert "1 rewritten" in result.output
    assert {p: p.read_bytes() for p in before} == before
    assert {k: v for k, v in manifest_folders(into).items() if k in folders} == folders
    content, _ = load_and_validate(into)
    assert len(content.incidents) == 123


def test_a_hand_edited_file_is_reported_and_never_overwritten(github: Path, tmp_path: Path) -> None:
    copy = tmp_path / "content"
    shutil.copytree(github, copy)
    folder = manifest_folders(copy)["01g5rt6z89q2"]
    edited = copy / "incidents" / folder / "incident.md"
    edited.write_text(edited.read_text().replace("severity: minor", "severity: major"))
    mine = edited.read_bytes()
    result = imported(copy, GITHUB)
    assert result.exit_code == 1
    assert f"incidents/{folder}/incident.md: edited since the last import: left as it is" in (
        result.output
    )
    assert edited.read_bytes() == mine


def test_an_older_export_without_component_lists_imports_and_builds(tmp_path: Path) -> None:
    into = tmp_path / "content"
    result = imported(into, MYEMMA)
    assert result.exit_code == 0, result.output
    content, warnings = load_and_validate(into)
    assert warnings == []
    assert content.site.timezone.key == "America/Chicago"
    assert len(content.incidents) == 22
    assert sum(len(i.updates) for i in content.incidents) == 105
    assert not any(c.retired for c in content.site.components)  # nothing says they are gone
    assert_faithful(content, into, source_incidents(MYEMMA))


@pytest.mark.parametrize("summary", SUMMARIES, ids=lambda p: p.stem)
def test_every_captured_summary_imports_and_builds(summary: Path, tmp_path: Path) -> None:
    into = tmp_path / "content"
    result = imported(into, summary)
    assert result.exit_code == 0, result.output
    document = json.loads(summary.read_text())
    content, _ = load_and_validate(into)
    listed = [c for c in document["components"] if not c.get("group")]
    assert [c.name for c in content.site.components] == [
        c["name"] for c in sorted_like_statuspage(document["components"])
    ]
    assert len(content.site.components) == len(listed)
    built = CliRunner().invoke(
        main,
        ["build", str(into), "--output", str(tmp_path / "out"), "--now", "2026-12-01T00:00:00Z"],
    )
    assert built.exit_code == 0, built.output


def sorted_like_statuspage(components: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Page order: groups and top-level components by position, a group's members by theirs."""
    groups = {c["id"]: c for c in components if c.get("group")}
    return sorted(
        (c for c in components if not c.get("group")),
        key=lambda c: (
            groups[c["group_id"]]["position"] if c.get("group_id") in groups else c["position"],
            c["position"] if c.get("group_id") in groups else 0,
            c["name"],
        ),
    )


def test_groups_become_group_names_and_never_clash_with_a_component(tmp_path: Path) -> None:
    """Instructure's group "Canvas" holds a component "Canvas": the group keeps the id
    "canvas" (its URL and API id), the component takes the next free one."""
    summary = FIXTURES / "statuspage" / "instructure-summary-groups-unresolved-incident.json"
    into = tmp_path / "content"
    assert imported(into, summary).exit_code == 0
    content, _ = load_and_validate(into)
    groups = {c.group for c in content.site.components}
    assert groups == {"Canvas", "Portfolium", "MasteryConnect"}
    canvas = [c for c in content.site.components if c.name == "Canvas"]
    assert [(c.id, c.group) for c in canvas] == [("canvas-2", "Canvas")]


def test_components_history_names_but_the_page_no_longer_lists_are_retired(tmp_path: Path) -> None:
    """The summary lists today's components; an incident of 2022 names one since deleted."""
    source = tmp_path / "source"
    source.mkdir()
    incident = json.loads((GITHUB / "01g5rt6z89q2.json").read_text())
    update = incident["incident"]["incident_updates"][-1]
    update["affected_components"].append(
        {
            "code": "gone00000000",
            "name": "Legacy API",
            "old_status": "operational",
            "new_status": "major_outage",
        }
    )
    (source / "incident.json").write_text(json.dumps(incident))
    shutil.copy(FIXTURES / "statuspage" / "githubstatus-components-partial-outage.json", source)
    into = tmp_path / "content"
    result = imported(into, source)
    assert result.exit_code == 0, result.output
    content, _ = load_and_validate(into)
    legacy = content.site.component("legacy-api")
    assert legacy.retired
    built = tmp_path / "out"
    assert (
        CliRunner()
        .invoke(main, ["build", str(into), "--output", str(built), "--now", "2023-01-01T00:00:00Z"])
        .exit_code
        == 0
    )
    assert "Legacy API" not in (built / "index.html").read_text()


def test_an_unreadable_source_is_a_clear_error(tmp_path: Path) -> None:
    bad = tmp_path / "bad.json"
    bad.write_text("{not json")
    result = imported(tmp_path / "content", bad)
    assert result.exit_code == 1
    assert "bad.json: not JSON" in result.output
    assert "Traceback" not in result.output
    missing = imported(tmp_path / "content", tmp_path / "nowhere")
    assert missing.exit_code == 1 and "no such file or folder" in missing.output


def test_a_live_page_is_read_through_its_api(tmp_path: Path) -> None:
    from served import serve

    site = tmp_path / "site"
    (site / "api" / "v2").mkdir(parents=True)
    summary = FIXTURES / "statuspage" / "illposed-summary-scheduled-maintenance.json"
    document = json.loads(summary.read_text())
    for name in ("summary.json", "incidents.json", "scheduled-maintenances.json"):
        shutil.copy(summary, site / "api" / "v2" / name)
    with serve(site) as live:
        result = imported(tmp_path / "content", live.url("/"))
    assert result.exit_code == 0, result.output
    content, _ = load_and_validate(tmp_path / "content")
    assert [m.title for m in content.maintenances] == [
        document["scheduled_maintenances"][0]["name"]
    ]
    assert os.path.exists(tmp_path / "content" / "_redirects")
    assert datetime(2021, 11, 1, 8, 30, tzinfo=UTC) == content.maintenances[0].scheduled_for
