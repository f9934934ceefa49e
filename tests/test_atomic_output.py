"""A failed or interrupted build never changes the published site."""

from __future__ import annotations

from pathlib import Path

import pytest

from conftest import DEMO_NOW, OPEN_INCIDENT, ScratchSite
from statusgen.build import BuildOptions, build
from statusgen.errors import ContentInvalid
from statusgen.output import atomic
from statusgen.output.atomic import OutputError, write_site
from statusgen.output.location import MARKER, MARKER_TEXT, OutputRefused


def snapshot(root: Path) -> dict[str, tuple[bytes, int]]:
    return {
        p.relative_to(root).as_posix(): (p.read_bytes(), p.stat().st_mtime_ns)
        for p in root.rglob("*")
        if p.is_file()
    }


def test_a_build_replaces_the_whole_previous_site(tmp_path: Path) -> None:
    """Files of the previous build that the new one does not produce disappear."""
    out = tmp_path / "public"
    write_site([("index.html", b"old"), ("gone.html", b"x")], out)
    write_site([("index.html", b"new")], out)
    assert {p.name: p.read_bytes() for p in out.iterdir()} == {
        "index.html": b"new",
        MARKER: MARKER_TEXT,
    }


def test_an_exception_half_way_through_writing_leaves_the_previous_site_intact(
    tmp_path: Path,
) -> None:
    """A crash while writing file 3 of 5 leaves the old site, and no temporary folder behind."""
    out = tmp_path / "public"
    write_site([("index.html", b"previous"), ("a/index.html", b"a")], out)
    before = snapshot(out)

    def files():  # type: ignore[no-untyped-def]
        yield "index.html", b"new"
        yield "b/index.html", b"b"
        raise RuntimeError("renderer bug")

    with pytest.raises(RuntimeError):
        write_site(files(), out)
    assert snapshot(out) == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["public"]


def test_a_disk_error_is_reported_cleanly_and_changes_nothing(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """An OSError while writing becomes an OutputError naming the folder; the old site stays."""
    out = tmp_path / "public"
    write_site([("index.html", b"previous")], out)
    before = snapshot(out)
    real_write = atomic._write_new

    def full_disk(target: Path, data: bytes) -> None:
        if target.name == "two.html":
            raise OSError(28, "No space left on device")
        real_write(target, data)

    monkeypatch.setattr(atomic, "_write_new", full_disk)
    with pytest.raises(OutputError, match="No space left on device"):
        write_site([("one.html", b"1"), ("two.html", b"2")], out)
    monkeypatch.undo()
    assert snapshot(out) == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["public"]


def test_leftovers_of_a_killed_build_are_removed_by_the_next_build(tmp_path: Path) -> None:
    """A build killed before cleaning up leaves a hidden folder; the next build removes it."""
    out = tmp_path / "public"
    stray = tmp_path / f".public{atomic.TEMP_MARK}new-abc123"
    (stray / "half").mkdir(parents=True)
    write_site([("index.html", b"x")], out)
    assert not stray.exists()


def test_the_swap_works_without_the_atomic_exchange_too(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """On kernels without renameat2 the two-rename fallback still replaces the site."""
    monkeypatch.setattr(atomic, "_exchange", lambda a, b: False)
    out = tmp_path / "public"
    write_site([("index.html", b"old")], out)
    write_site([("index.html", b"new")], out)
    assert (out / "index.html").read_bytes() == b"new"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["public"]


def test_invalid_content_leaves_the_previous_build_untouched(
    scratch_site: ScratchSite, tmp_path: Path
) -> None:
    """Content errors stop the build before anything is written, mtimes included."""
    content = scratch_site(OPEN_INCIDENT)
    out = tmp_path / "public"
    build(BuildOptions(content, out, DEMO_NOW))
    before = snapshot(out)
    (content / "incidents/2026-11-20-api-errors/02.md").write_text(
        "---\nat: soon\nstatus: fixed\n---\nDone.\n"
    )
    with pytest.raises(ContentInvalid):
        build(BuildOptions(content, out, DEMO_NOW))
    assert snapshot(out) == before


def test_an_output_folder_inside_the_content_is_refused(scratch_site: ScratchSite) -> None:
    """Building into the content folder would publish (or later delete) the sources."""
    content = scratch_site(OPEN_INCIDENT)
    with pytest.raises(OutputRefused) as caught:
        build(BuildOptions(content, content / "public", DEMO_NOW))
    assert "overlaps the content folder" in caught.value.reason


def test_an_output_path_that_is_a_file_is_a_clean_error(
    scratch_site: ScratchSite, tmp_path: Path
) -> None:
    """A file where the output folder should be is reported, not overwritten."""
    content = scratch_site(OPEN_INCIDENT)
    target = tmp_path / "public"
    target.write_text("not a folder")
    with pytest.raises(OutputError, match="not a directory"):
        build(BuildOptions(content, target, DEMO_NOW))
    assert target.read_text() == "not a folder"


def test_a_rebuild_that_changes_nothing_rewrites_no_file(
    scratch_site: ScratchSite, tmp_path: Path
) -> None:
    """Unchanged files keep their bytes, inode and mtime, so deploys upload only changes."""
    content = scratch_site(OPEN_INCIDENT)
    out = tmp_path / "public"
    build(BuildOptions(content, out, DEMO_NOW))
    before = {
        p: (p.stat().st_ino, p.stat().st_mtime_ns, p.read_bytes())
        for p in out.rglob("*")
        if p.is_file()
    }
    build(BuildOptions(content, out, DEMO_NOW))
    after = {
        p: (p.stat().st_ino, p.stat().st_mtime_ns, p.read_bytes())
        for p in out.rglob("*")
        if p.is_file()
    }
    assert after == before


def test_a_changed_file_is_rewritten_and_the_rest_kept(
    scratch_site: ScratchSite, tmp_path: Path
) -> None:
    """One new update changes its incident page; an untouched page keeps its inode."""
    content = scratch_site(OPEN_INCIDENT)
    out = tmp_path / "public"
    build(BuildOptions(content, out, DEMO_NOW))
    robots = (out / "robots.txt").stat().st_ino
    page = out / "incidents/2026-11-20-api-errors/index.html"
    old = page.read_bytes()
    (content / "incidents/2026-11-20-api-errors/02.md").write_text(
        "---\nat: 2026-11-20T15:00:00+01:00\nstatus: identified\n---\nFound it.\n"
    )
    build(BuildOptions(content, out, DEMO_NOW))
    assert page.read_bytes() != old and b"Found it." in page.read_bytes()
    assert (out / "robots.txt").stat().st_ino == robots


@pytest.mark.parametrize("where", ["file", "staging folder", "swap"])
def test_a_permission_error_is_one_clean_line_naming_the_folder_and_exit_1(
    scratch_site: ScratchSite, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, where: str
) -> None:
    """No write access (simulated: tests run as root) while writing a file, creating the folder
    beside the output or swapping it in: `statusgen build` prints one line naming the folder,
    no traceback, exits 1, and the previous site stays."""
    from click.testing import CliRunner

    from statusgen.cli.main import main

    content = scratch_site(OPEN_INCIDENT)
    out = tmp_path / "public"
    write_site([("index.html", b"previous")], out)
    before = snapshot(out)
    denied = PermissionError(13, "Permission denied")
    if where == "file":
        real_write = atomic._write_new

        def write_new(target: Path, data: bytes) -> None:
            if target.name == "index.html":
                raise denied
            real_write(target, data)

        monkeypatch.setattr(atomic, "_write_new", write_new)
    elif where == "staging folder":
        monkeypatch.setattr(atomic.tempfile, "mkdtemp", lambda **_: (_ for _ in ()).throw(denied))
    else:
        monkeypatch.setattr(atomic.os, "rename", lambda *_: (_ for _ in ()).throw(denied))
        monkeypatch.setattr(atomic, "_exchange", lambda a, b: False)
    result = CliRunner().invoke(
        main,
        ["build", str(content), "--output", str(out), "--now", "2026-11-23T13:30:00Z"],
        env={"NO_COLOR": "1"},
    )
    monkeypatch.undo()
    assert result.exit_code == 1
    assert result.exception is None or isinstance(result.exception, SystemExit)
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    assert (
        lines[0].startswith("error: cannot ")
        and str(out) in lines[0]
        and lines[0].endswith("Permission denied")
    )
    assert "Traceback" not in result.output + result.stderr
    assert snapshot(out) == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["content", "public"]
