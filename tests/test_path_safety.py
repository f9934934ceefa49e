"""Nothing in the content can make the build write outside the output folder or publish a file
from outside the content folder: ids and slugs are validated, output paths are checked, and
symbolic links that lead out of the content folder are refused."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from conftest import DEMO_NOW, MINIMAL_SITE, OPEN_INCIDENT, ScratchSite
from statusgen.build import BuildOptions, build, load_and_validate
from statusgen.content.loader import Document, Folder, RawContent
from statusgen.content.yamlsource import LineMap
from statusgen.errors import ContentInvalid
from statusgen.render.files import SiteFiles
from statusgen.validate import fields as f
from statusgen.validate import validate
from statusgen.validate.site import component_slug

ESCAPES = [
    "../x",
    "..",
    ".",
    "a/b",
    "/etc/passwd",
    "x/../../y",
    "..\\x",
    "C:\\x",
    "%2e%2e",
    "~root",
    "a\x00b",
    "",
    " ",
    "a b",
    "A",
]
INCIDENT = "incidents/2026-11-20-api-errors"
SECRET = "secret: do not publish\n"


def errors_of(root: Path) -> list[str]:
    with pytest.raises(ContentInvalid) as caught:
        load_and_validate(root)
    return [e.format() for e in caught.value.errors]


# ---- ids and slugs ---------------------------------------------------------------------------


@pytest.mark.parametrize("value", ESCAPES)
def test_a_slug_or_component_id_that_is_a_path_is_refused(value: str) -> None:
    """`../x`, `a/b`, absolute paths, `.` and `..` are not ids: only [a-z0-9-] can become a URL segment."""
    with pytest.raises(f.Invalid):
        f.slug(value)
    with pytest.raises(f.Invalid):
        component_slug(value)


@pytest.mark.parametrize("component_id", ["../x", "a/b", "/etc/passwd", ".", ".."])
def test_site_yml_with_a_path_as_component_id_is_refused(
    scratch_site: ScratchSite, component_id: str
) -> None:
    """A component id becomes /components/<id>/ and /badges/<id>.svg: a path is refused with its line."""
    site = MINIMAL_SITE.replace("- id: dashboard", f'- id: "{component_id}"')
    (message,) = errors_of(scratch_site({"site.yml": site}))
    assert (
        message.startswith("site.yml:8: error: components[2].id:")
        and "is not a valid id" in message
    )


def _document(path: str, meta: dict[str, str], body: str = "x") -> Document:
    mapping = LineMap(meta)
    mapping.line, mapping.key_lines = 2, {key: 2 + n for n, key in enumerate(meta)}
    return Document(path, mapping, body, len(meta) + 3)


@pytest.mark.parametrize("slug", ["../x", "a/b", "/abs", ".", "..", "x/../../y"])
def test_an_incident_or_maintenance_slug_that_is_a_path_is_refused(slug: str) -> None:
    """File systems cannot name a folder so, but the validator does not rely on it: such a slug is an error."""
    raw_site = _document("site.yml", {"name": "A", "url": "https://s.example", "timezone": "UTC"})
    raw_site.meta["components"] = [LineMap({"id": "api", "name": "API"})]
    raw_site.meta["components"][0].line, raw_site.meta["components"][0].key_lines = (
        5,
        {"id": 5, "name": 6},
    )
    main = _document(f"incidents/{slug}/incident.md", {"title": "t", "severity": "minor"})
    update = _document(
        f"incidents/{slug}/01.md", {"at": "2026-11-20T14:02:00Z", "status": "investigating"}
    )
    maintenance = _document(
        f"maintenance/{slug}/maintenance.md",
        {
            "title": "t",
            "scheduled_for": "2026-11-30T02:00:00Z",
            "scheduled_until": "2026-11-30T03:00:00Z",
        },
    )
    maintenance.meta["components"] = ["api"]
    raw = RawContent(
        raw_site,
        (Folder(slug, f"incidents/{slug}", main, (update,), None, 1),),
        (Folder(slug, f"maintenance/{slug}", maintenance, (), None, 0),),
        (),
    )
    content, errors = validate(raw)
    assert content is None
    refused = {e.source.path for e in errors if "is not a valid slug" in e.message}
    assert refused == {f"incidents/{slug}", f"maintenance/{slug}"}


@pytest.mark.parametrize("path", ["../index.html", "a/../../b.html", "..", "a/..", "x/../y"])
def test_site_files_refuse_a_path_that_climbs_out_of_the_site(path: str) -> None:
    """SiteFiles is the last gate before writing: a renderer bug cannot write above the output folder."""
    files = SiteFiles()
    with pytest.raises(ValueError, match="escapes the site"):
        files.add(path, b"x")
    assert len(files) == 0


def test_site_files_keep_an_absolute_path_inside_the_site() -> None:
    """A leading slash means the site's root, never the file system's."""
    files = SiteFiles()
    files.add("/etc/passwd", b"x")
    assert [path for path, _ in files] == ["etc/passwd"]


# ---- symbolic links --------------------------------------------------------------------------


@pytest.fixture
def outside(tmp_path: Path) -> Path:
    """A folder beside the content holding what must never be published."""
    folder = tmp_path / "outside"
    folder.mkdir()
    (folder / "01.md").write_text(
        f"---\nat: 2026-11-20T15:00:00+01:00\nstatus: identified\n---\n{SECRET}"
    )
    (folder / "incident.md").write_text("---\ntitle: Secret\nseverity: minor\n---\n")
    (folder / "site.yml").write_text(MINIMAL_SITE)
    return folder


def test_a_symlinked_update_pointing_outside_the_content_is_refused(
    scratch_site: ScratchSite, outside: Path, tmp_path: Path
) -> None:
    """An update that is a link to a file outside the content folder is an error naming the link."""
    content = scratch_site(OPEN_INCIDENT)
    (content / INCIDENT / "02.md").symlink_to(outside / "01.md")
    (message,) = errors_of(content)
    assert message.startswith(
        f"{INCIDENT}/02.md: error: symbolic link points outside the content folder"
    )
    with pytest.raises(ContentInvalid):
        build(BuildOptions(content, tmp_path / "public", DEMO_NOW))
    assert not (tmp_path / "public").exists()


def test_a_symlinked_incident_folder_pointing_outside_the_content_is_refused(
    scratch_site: ScratchSite, outside: Path
) -> None:
    """A folder linked in from elsewhere would publish every file in it: the link itself is refused."""
    content = scratch_site(OPEN_INCIDENT)
    (content / "incidents" / "2026-11-21-linked").symlink_to(outside, target_is_directory=True)
    (content / "maintenance").mkdir()
    (content / "maintenance" / "2026-11-30-linked").symlink_to(outside, target_is_directory=True)
    messages = errors_of(content)
    assert messages == [
        (
            "incidents/2026-11-21-linked: error: symbolic link points outside the content folder\n"
            "    fix: copy the folder into the content folder instead of linking to it"
        ),
        (
            "maintenance/2026-11-30-linked: error: symbolic link points outside the content folder\n"
            "    fix: copy the folder into the content folder instead of linking to it"
        ),
    ]


def test_a_symlinked_incidents_folder_pointing_outside_the_content_is_refused(
    scratch_site: ScratchSite, tmp_path: Path, outside: Path
) -> None:
    """Linking the whole incidents/ folder in from elsewhere publishes nothing from there either;
    the error names the link itself."""
    content = scratch_site({})
    elsewhere = tmp_path / "elsewhere"
    (elsewhere / "2026-11-21-linked").mkdir(parents=True)
    for name in ("incident.md", "01.md"):
        (elsewhere / "2026-11-21-linked" / name).write_bytes((outside / name).read_bytes())
    (content / "incidents").symlink_to(elsewhere, target_is_directory=True)
    (message,) = errors_of(content)
    assert message.startswith("incidents: error: symbolic link points outside the content folder")


def test_a_symlinked_site_yml_pointing_outside_the_content_is_refused(
    scratch_site: ScratchSite, outside: Path
) -> None:
    """site.yml linked from elsewhere is refused like any other content file."""
    content = scratch_site({**OPEN_INCIDENT, "site.yml": None})  # type: ignore[dict-item]
    (content / "site.yml").symlink_to(outside / "site.yml")
    messages = errors_of(content)
    assert messages[0].startswith(
        "site.yml: error: symbolic link points outside the content folder"
    )


def test_symlinks_that_stay_inside_the_content_folder_are_followed(
    scratch_site: ScratchSite,
) -> None:
    """Linking one content file to another (a shared text, a renamed file) is fine."""
    content = scratch_site(
        {
            **OPEN_INCIDENT,
            "shared/resolved.md": "---\nat: 2026-11-20T16:00:00+01:00\nstatus: resolved\n---\nFixed.\n",
        }
    )
    (content / INCIDENT / "02.md").symlink_to(
        os.path.relpath(content / "shared" / "resolved.md", content / INCIDENT)
    )
    site, _ = load_and_validate(content)
    assert [u.id for u in site.incidents[0].updates] == ["01", "02"]
