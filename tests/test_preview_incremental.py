"""The preview's incremental rebuild shows exactly what a full build would, and re-reads only
the folders a change touched."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from netlify_headers import headers_for

from conftest import DEMO_NOW, EXAMPLE_CONTENT
from statusgen.build import load, render
from statusgen.render.files import SiteFiles
from statusgen.render.markdown import MarkdownRenderer
from statusgen.render.site import compiled_templates
from statusgen.serve.preview import Preview, PreviewOptions
from statusgen.serve.server import content_type_of

INCIDENT = "incidents/2026-11-23-elevated-api-error-rates-in-par1"


@pytest.fixture
def content(tmp_path: Path) -> Path:
    return Path(shutil.copytree(EXAMPLE_CONTENT, tmp_path / "content"))


def full_build(content: Path) -> dict[str, bytes]:
    site = load(content, DEMO_NOW)
    files = SiteFiles()
    render(site, files, MarkdownRenderer(), compiled_templates(site.theme))
    return dict(files)


def preview_files(preview: Preview, paths: list[str]) -> dict[str, bytes]:
    assert preview.site is not None
    return {path: preview.site.get(path) or b"" for path in paths}


def assert_same_as_full_build(preview: Preview, content: Path) -> None:
    expected = full_build(content)
    assert preview_files(preview, sorted(expected)) == expected
    assert set(preview.site.pages) <= set(expected)  # type: ignore[union-attr]


def test_a_new_update_file_rebuilds_to_exactly_the_full_build(content: Path) -> None:
    preview = Preview(PreviewOptions(content, None, clock=lambda: DEMO_NOW))
    assert preview.build_once().ok
    before = dict(preview._memo.folders)
    new = content / INCIDENT / "09-monitoring.md"
    new.write_text(
        "---\nat: 2026-11-23T14:20:00+01:00\nstatus: monitoring\n---\nA fix is rolling out.\n"
    )
    assert preview.build_once(frozenset({str(new)})).ok
    assert_same_as_full_build(preview, content)
    changed = {rel for rel in before if preview._memo.folders[rel][0] is not before[rel][0]}
    assert changed == {INCIDENT}, "only the touched folder is read again"


def test_removed_and_added_folders_and_site_yml_edits_are_picked_up(content: Path) -> None:
    preview = Preview(PreviewOptions(content, None, clock=lambda: DEMO_NOW))
    assert preview.build_once().ok
    gone = min((content / "incidents").iterdir())
    shutil.rmtree(gone)
    added = content / "incidents" / "2026-11-22-copied"
    shutil.copytree(content / INCIDENT, added)
    site_yml = content / "site.yml"
    site_yml.write_text(site_yml.read_text().replace("name: ", "name: Renamed ", 1))
    assert preview.build_once(frozenset({str(gone), str(added), str(site_yml)})).ok
    assert_same_as_full_build(preview, content)


def test_a_replaced_content_folder_is_read_again_in_full(content: Path) -> None:
    """The watcher reports the content folder itself when it was replaced: nothing loaded
    from the folder that was there before is kept."""
    preview = Preview(PreviewOptions(content, None, clock=lambda: DEMO_NOW))
    assert preview.build_once().ok
    old = content.rename(content.with_name("old"))
    shutil.copytree(old, content)
    incident = content / INCIDENT / "incident.md"
    incident.write_text(incident.read_text().replace("title: ", "title: Copied ", 1))
    assert preview.build_once(frozenset({str(content)})).ok
    assert_same_as_full_build(preview, content)


def test_an_invalid_save_keeps_the_last_good_site_and_the_fix_rebuilds(content: Path) -> None:
    preview = Preview(PreviewOptions(content, None, clock=lambda: DEMO_NOW))
    assert preview.build_once().ok
    good = preview.site
    update = min((content / INCIDENT).glob("0*.md"))
    text = update.read_text()
    update.write_text(text.replace("status: ", "status: nonsense-", 1))
    outcome = preview.build_once(frozenset({str(update)}))
    assert not outcome.ok and "nonsense" in outcome.error_text()
    assert preview.site is good
    update.write_text(text)
    assert preview.build_once(frozenset({str(update)})).ok
    assert_same_as_full_build(preview, content)


def test_a_page_and_its_assets_are_served_without_rendering_feeds_and_the_api(
    content: Path,
) -> None:
    """After a reload the browser asks for the page, the stylesheet and the script: none of
    them waits for the feeds, calendars and API, which are rendered when first asked for."""
    preview = Preview(PreviewOptions(content, None, clock=lambda: DEMO_NOW))
    assert preview.build_once().ok
    site = preview.site
    assert site is not None
    page = site.get(f"{INCIDENT}/index.html")
    assert page is not None and b"<html" in page
    assert all(site.get(path) for path in site.assets)
    assert len(site._others) == 0, "nothing but the page and its assets was rendered"
    assert site.get("rss.xml") is not None and len(site._others) > 0


@pytest.mark.parametrize(
    "path",
    [
        "rss.xml",
        "atom.xml",
        "components/api/rss.xml",
        "components/api/atom.xml",
        "maintenance.ics",
        "badges/status.json",
        "badges/status.svg",
    ],
)
def test_the_preview_sends_the_content_types_netlify_is_told_to_send(path: str) -> None:
    """Feed readers and API clients pointed at the preview see what production serves."""

    def media_type(value: str) -> str:
        return value.split(";")[0].strip()

    assert media_type(content_type_of(path)) == media_type(headers_for("/" + path)["Content-Type"])
