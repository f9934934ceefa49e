"""`--output` never destroys what statusgen did not write, and one build at a time publishes.

Contract, "Safety rules": an output overlapping the content, a theme or the cache, or a
non-empty folder without the marker of an earlier build, is refused with exit status 2 and
nothing touched (`--force` replaces such a folder); two builds into one folder never publish
a mixed or partial tree.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from conftest import (
    DEMO_NOW,
    EXAMPLE_CONTENT,
    MINIMAL_SITE,
    OPEN_INCIDENT,
    ScratchSite,
    checkout_environment,
)
from statusgen.build import BuildOptions, build
from statusgen.cli.main import main
from statusgen.output import atomic
from statusgen.output.atomic import DuplicatePath, OutputError, OutputLock, Staging, write_site
from statusgen.output.location import MARKER, MARKER_TEXT, OutputRefused
from statusgen.render.theme import default_theme_dir
from statusgen.serve.preview import Preview, PreviewOptions

NOW = "2026-11-23T13:30:00Z"
BAD_UPDATE = {"incidents/2026-11-20-api-errors/02.md": "---\nat: soon\nstatus: fixed\n---\nDone.\n"}


def tree(root: Path) -> dict[str, bytes | str]:
    """Every entry under `root` (dot-folders too): file bytes, link targets, folders."""
    found: dict[str, bytes | str] = {}
    for path in sorted(root.rglob("*")):
        key = path.relative_to(root).as_posix()
        if path.is_symlink():
            found[key] = f"-> {os.readlink(path)}"
        elif path.is_dir():
            found[key] = "<dir>"
        else:
            found[key] = path.read_bytes()
    return found


def inodes(root: Path) -> dict[str, tuple[int, int, bytes]]:
    return {
        p.relative_to(root).as_posix(): (p.stat().st_ino, p.stat().st_mtime_ns, p.read_bytes())
        for p in root.rglob("*")
        if p.is_file()
    }


def cli_build(content: Path, output: Path, *extra: str) -> Result:
    return CliRunner().invoke(
        main,
        ["build", str(content), "--output", str(output), "--now", NOW, "--no-cache", *extra],
        env={"NO_COLOR": "1"},
    )


def a_repository(
    scratch_site: ScratchSite, tmp_path: Path, content: dict[str, str] | None = None
) -> Path:
    """A content folder inside a checkout with a .git folder and a README, as users have."""
    root = scratch_site(OPEN_INCIDENT if content is None else content)
    (tmp_path / ".git" / "objects").mkdir(parents=True)
    (tmp_path / ".git" / "HEAD").write_text("ref: refs/heads/main\n")
    (tmp_path / "README.md").write_text("# Our status page\n")
    return root


# ---- 1. serve --output -------------------------------------------------------------------


@pytest.mark.parametrize("where", ["content", "inside content", "parent", "dot"])
def test_serve_output_at_the_content_its_parent_or_dot_is_refused_with_exit_2(
    scratch_site: ScratchSite, tmp_path: Path, where: str
) -> None:
    """`statusgen serve --output` with the content, a folder in it, its parent or `.` exits 2
    before serving, and the content and `.git` stay byte for byte."""
    content = a_repository(scratch_site, tmp_path)
    output = {
        "content": "content",
        "inside content": "content/incidents",
        "parent": str(tmp_path),
        "dot": ".",
    }[where]
    before = tree(tmp_path)
    finished = subprocess.run(
        [
            sys.executable,
            "-m",
            "statusgen",
            "serve",
            str(content),
            "--output",
            output,
            "--port",
            "0",
            "--now",
            NOW,
        ],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=60,
        env=checkout_environment(NO_COLOR="1"),
    )
    assert finished.returncode == 2, finished.stdout + finished.stderr
    assert "overlaps the content folder" in finished.stderr and "Traceback" not in finished.stderr
    assert tree(tmp_path) == before


def test_the_preview_refuses_its_output_before_building_or_serving(
    scratch_site: ScratchSite, tmp_path: Path
) -> None:
    """Preview.start raises OutputRefused for an output holding the content; nothing is served."""
    content = a_repository(scratch_site, tmp_path)
    before = tree(tmp_path)
    preview = Preview(PreviewOptions(content, tmp_path, port=0))
    try:
        with pytest.raises(OutputRefused):
            preview.start()
        assert preview.server is None
    finally:
        preview.stop()
    assert tree(tmp_path) == before


def test_serve_refuses_a_foreign_folder_and_force_replaces_it(
    scratch_site: ScratchSite, tmp_path: Path
) -> None:
    """The preview follows build's marker rule: a folder no build wrote needs --force."""
    content = scratch_site(OPEN_INCIDENT)
    foreign = tmp_path / "notes"
    foreign.mkdir()
    (foreign / "todo.txt").write_text("mine")
    with pytest.raises(OutputRefused, match="did not write"):
        Preview(PreviewOptions(content, foreign, port=0)).start()
    assert tree(foreign) == {"todo.txt": b"mine"}
    preview = Preview(PreviewOptions(content, foreign, port=0, force=True))
    try:
        assert preview.start().ok
    finally:
        preview.stop()
    assert (foreign / MARKER).read_bytes() == MARKER_TEXT and not (foreign / "todo.txt").exists()


# ---- 2. build --output: foreign folders and overlaps -------------------------------------


def test_building_into_a_non_empty_folder_no_build_wrote_exits_2_and_touches_nothing(
    scratch_site: ScratchSite, tmp_path: Path
) -> None:
    """A home or project folder given as --output is refused, naming it and the fix."""
    content = scratch_site(OPEN_INCIDENT)
    home = tmp_path / "home"
    (home / ".ssh").mkdir(parents=True)
    (home / ".ssh" / "id_ed25519").write_text("secret")
    (home / "notes.txt").write_text("keep me")
    before = tree(tmp_path)
    result = cli_build(content, home)
    assert result.exit_code == 2, result.output
    assert (
        str(home) in result.stderr
        and "--force" in result.stderr
        and "Traceback" not in result.output
    )
    assert tree(tmp_path) == before


def test_force_replaces_a_foreign_folder(scratch_site: ScratchSite, tmp_path: Path) -> None:
    """--force is the explicit way to replace a folder that statusgen did not write."""
    content = scratch_site(OPEN_INCIDENT)
    out = tmp_path / "site"
    out.mkdir()
    (out / "old.html").write_text("hand-made")
    result = cli_build(content, out, "--force")
    assert result.exit_code == 0, result.output
    assert not (out / "old.html").exists() and (out / "index.html").is_file()


def test_a_build_leaves_a_marker_and_the_next_build_replaces_the_folder(
    scratch_site: ScratchSite, tmp_path: Path
) -> None:
    """The marker at the root of every build lets the next one replace it, stray files and all;
    the sitemap does not list it."""
    content = scratch_site(OPEN_INCIDENT)
    out = tmp_path / "public"
    assert cli_build(content, out).exit_code == 0
    assert (out / MARKER).read_bytes() == MARKER_TEXT
    assert MARKER.encode() not in (out / "sitemap.xml").read_bytes()
    (out / "stray.txt").write_text("left by hand")
    result = cli_build(content, out)
    assert result.exit_code == 0, result.output
    assert not (out / "stray.txt").exists() and (out / MARKER).is_file()


def test_an_empty_or_absent_folder_is_built_into(scratch_site: ScratchSite, tmp_path: Path) -> None:
    """Nothing to lose: an empty folder and a new one need no --force."""
    content = scratch_site(OPEN_INCIDENT)
    (tmp_path / "empty").mkdir()
    assert cli_build(content, tmp_path / "empty").exit_code == 0
    assert cli_build(content, tmp_path / "new" / "site").exit_code == 0
    assert (tmp_path / "empty" / "index.html").is_file() and (
        tmp_path / "new" / "site" / "index.html"
    ).is_file()


@pytest.mark.parametrize("where", ["the theme", "inside the theme", "the theme's parent"])
def test_an_output_overlapping_the_theme_option_exits_2(
    scratch_site: ScratchSite, tmp_path: Path, where: str
) -> None:
    """--output may not be, hold or sit inside the --theme folder; checked before reading the
    content, so even an invalid site reports the refusal (exit 2, not 1)."""
    content = scratch_site({**OPEN_INCIDENT, **BAD_UPDATE})
    theme = tmp_path / "themes" / "mine"
    shutil.copytree(default_theme_dir(), theme)
    output = {
        "the theme": theme,
        "inside the theme": theme / "static",
        "the theme's parent": theme.parent,
    }[where]
    before = tree(tmp_path)
    result = cli_build(content, output, "--theme", str(theme), "--force")
    assert result.exit_code == 2, result.output
    assert "overlaps the theme folder" in result.stderr
    assert tree(tmp_path) == before


def test_an_output_at_the_theme_named_in_site_yml_exits_2(
    scratch_site: ScratchSite, tmp_path: Path
) -> None:
    """site.yml's theme (inside the content folder) is never an output, --force or not."""
    content = scratch_site({**OPEN_INCIDENT, "site.yml": MINIMAL_SITE + "theme: mytheme\n"})
    theme = content / "mytheme"
    shutil.copytree(default_theme_dir(), theme)
    before = tree(tmp_path)
    result = cli_build(content, theme, "--force")
    assert result.exit_code == 2, result.output
    assert "overlaps the content folder" in result.stderr
    assert tree(tmp_path) == before


def test_the_default_theme_folder_is_refused_as_output(scratch_site: ScratchSite) -> None:
    """`--output themes/default` would delete the theme every build uses."""
    content = scratch_site({**OPEN_INCIDENT, **BAD_UPDATE})  # fails safely if not refused
    with pytest.raises(OutputRefused, match="overlaps the theme folder"):
        build(BuildOptions(content, default_theme_dir(), DEMO_NOW, force=True))


@pytest.mark.parametrize("where", ["the cache", "around the cache"])
def test_an_output_overlapping_the_cache_folder_exits_2(
    scratch_site: ScratchSite, tmp_path: Path, where: str
) -> None:
    """The cache folder is neither an output nor inside one."""
    content = scratch_site(OPEN_INCIDENT)
    cache = tmp_path / "site" / ".cache"
    cache.mkdir(parents=True)
    (cache / "markdown.json").write_text("{}")
    output = cache if where == "the cache" else cache.parent
    before = tree(tmp_path)
    result = CliRunner().invoke(
        main,
        [
            "build",
            str(content),
            "--output",
            str(output),
            "--cache-dir",
            str(cache),
            "--now",
            NOW,
            "--force",
        ],
    )
    assert result.exit_code == 2, result.output
    assert "overlaps the cache folder" in result.stderr
    assert tree(tmp_path) == before


# ---- 3. one build at a time --------------------------------------------------------------


@contextlib.contextmanager
def lock_held_by_another_process(out: Path) -> Iterator[None]:
    """Another build process holding the output's lock (the lock belongs to a process)."""
    holder = subprocess.Popen(
        [
            sys.executable,
            "-c",
            (
                "import sys, time; from pathlib import Path; "
                "from statusgen.output.atomic import OutputLock; "
                "OutputLock(Path(sys.argv[1])); print('held', flush=True); time.sleep(60)"
            ),
            str(out),
        ],
        stdout=subprocess.PIPE,
        text=True,
        env=checkout_environment(),
    )
    try:
        assert holder.stdout is not None and holder.stdout.readline() == "held\n"
        yield
    finally:
        holder.kill()
        holder.wait()


def test_a_forked_worker_does_not_hold_the_lock_of_its_build(tmp_path: Path) -> None:
    """A page worker forked by a build never holds the output's lock: once the build is gone
    (finished, or killed while orphaned workers still run), the next build takes the lock."""
    out = tmp_path / "public"
    lock = OutputLock(out)
    worker = os.fork()
    if worker == 0:  # a worker that outlives its build's lock for a moment
        time.sleep(3)
        os._exit(0)
    try:
        os.close(lock._fd)  # the build is killed: the kernel closes its files, nothing more
        OutputLock(out, wait=0.5).release()  # OutputRefused if the worker held it
    finally:
        os.waitpid(worker, 0)


def test_a_build_gives_up_with_exit_2_while_another_holds_the_folder(
    scratch_site: ScratchSite, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """After waiting, the second build exits 2 saying another build holds the folder."""
    content = scratch_site(OPEN_INCIDENT)
    out = tmp_path / "public"
    assert cli_build(content, out).exit_code == 0
    before = inodes(out)
    monkeypatch.setattr(atomic, "LOCK_WAIT_SECONDS", 0.3)
    with lock_held_by_another_process(out):
        result = cli_build(content, out)
    assert result.exit_code == 2, result.output
    assert "another statusgen build" in result.stderr
    assert inodes(out) == before
    left = sorted(p.name for p in tmp_path.iterdir() if not p.name.endswith(atomic.LOCK_SUFFIX))
    assert left == ["content", "public"]  # the holder's lock file is the holder's


def test_a_second_build_process_waits_for_the_first_then_publishes_a_whole_site(
    scratch_site: ScratchSite, tmp_path: Path
) -> None:
    """A build started while another holds the folder changes nothing until it is released."""
    content = scratch_site(OPEN_INCIDENT)
    out = tmp_path / "public"
    assert cli_build(content, out).exit_code == 0
    before = tree(out)
    (content / "incidents/2026-11-20-api-errors/02.md").write_text(
        "---\nat: 2026-11-20T15:00:00+01:00\nstatus: identified\n---\nFound it.\n"
    )
    holder = OutputLock(out)
    try:
        waiting = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "statusgen",
                "build",
                str(content),
                "--output",
                str(out),
                "--now",
                NOW,
                "--no-cache",
                "-q",
            ],
            env=checkout_environment(NO_COLOR="1"),
        )
        with pytest.raises(subprocess.TimeoutExpired):
            waiting.wait(timeout=6)  # without the lock it would have finished by now
        assert tree(out) == before
        assert [p.name for p in tmp_path.iterdir() if atomic.TEMP_MARK + "new" in p.name] == []
    finally:
        holder.release()
    assert waiting.wait(timeout=60) == 0
    assert b"Found it." in (out / "incidents/2026-11-20-api-errors/index.html").read_bytes()


def test_two_concurrent_build_processes_both_succeed_and_publish_one_whole_site(
    tmp_path: Path,
) -> None:
    """Two real builds (forked workers too) into one folder: each publishes a complete site."""

    def start(now: str, output: Path) -> subprocess.Popen[bytes]:
        return subprocess.Popen(
            [
                sys.executable,
                "-m",
                "statusgen",
                "build",
                str(EXAMPLE_CONTENT),
                "--output",
                str(output),
                "--now",
                now,
                "-q",
                "-j",
                "2",
                "--no-cache",
            ],
            env=checkout_environment(NO_COLOR="1"),
        )

    references = {}
    for now in ("2026-11-23T13:30:00Z", "2026-11-23T15:30:00Z"):
        assert start(now, tmp_path / f"ref-{now[11:13]}").wait(timeout=120) == 0
        references[now] = tree(tmp_path / f"ref-{now[11:13]}")
    assert len(set(map(str, references.values()))) == 2
    out = tmp_path / "public"
    builds = [start(now, out) for now in references]
    assert [process.wait(timeout=120) for process in builds] == [0, 0]
    assert tree(out) in references.values()
    assert [p.name for p in tmp_path.iterdir() if atomic.TEMP_MARK in p.name] == []


def test_a_live_staging_folder_is_never_removed_by_another_build(tmp_path: Path) -> None:
    """A second build cannot clear the first one's work: it is refused while the first runs."""
    out = tmp_path / "public"
    first = Staging(out)
    first.add("index.html", b"first")
    with pytest.raises(OutputRefused, match="another statusgen build"):
        Staging(out, wait=0.1)
    assert (first.root / "index.html").read_bytes() == b"first"
    first.add("a/index.html", b"a")
    first.publish()
    assert tree(out) == {
        MARKER: MARKER_TEXT,
        "a": "<dir>",
        "a/index.html": b"a",
        "index.html": b"first",
    }


def test_a_build_whose_staging_folder_vanished_publishes_nothing(tmp_path: Path) -> None:
    """The staging root is never recreated, and is checked before the swap."""
    out = tmp_path / "public"
    write_site([("index.html", b"previous")], out)
    before = inodes(out)
    staging = Staging(out)
    staging.add("index.html", b"new")
    shutil.rmtree(staging.root)
    with pytest.raises(OutputError, match="removed or replaced by another process"):
        staging.add("incidents/x/index.html", b"half")
    staging.root.mkdir()  # even a folder of the same name is not ours
    with pytest.raises(OutputError, match="removed or replaced by another process"):
        staging.publish()
    assert inodes(out) == before
    shutil.rmtree(staging.root)
    write_site([("index.html", b"next")], out)  # the lock was released
    assert (out / "index.html").read_bytes() == b"next"


# ---- 4. the fallback swap and duplicate paths --------------------------------------------


def test_when_the_second_rename_fails_the_previous_site_is_put_back(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Without renameat2, a failure to move the new site in renames the old one back."""
    out = tmp_path / "public"
    write_site([("index.html", b"previous"), ("a/b.html", b"b")], out)
    before = inodes(out)
    monkeypatch.setattr(atomic, "_exchange", lambda a, b: False)  # the fallback path
    real_rename = os.rename

    def rename(source: str | Path, destination: str | Path) -> None:
        if Path(destination) == out and f"{atomic.TEMP_MARK}new-" in Path(source).name:
            raise OSError(5, "Input/output error")
        real_rename(source, destination)

    monkeypatch.setattr(atomic.os, "rename", rename)
    with pytest.raises(OutputError, match="Input/output error"):
        write_site([("index.html", b"new")], out)
    monkeypatch.undo()
    assert inodes(out) == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["public"]


def test_the_site_left_aside_by_a_build_killed_between_the_renames_is_restored(
    scratch_site: ScratchSite, tmp_path: Path
) -> None:
    """Killed after `output → .old` (no output folder), the next build renames the old site
    back first: an unchanged rebuild then keeps every file's inode and mtime."""
    content = scratch_site(OPEN_INCIDENT)
    out = tmp_path / "public"
    build(BuildOptions(content, out, DEMO_NOW))
    before = inodes(out)
    os.rename(out, tmp_path / f".public{atomic.TEMP_MARK}old-killed")
    (tmp_path / f".public{atomic.TEMP_MARK}new-killed" / "half").mkdir(parents=True)
    build(BuildOptions(content, out, DEMO_NOW))
    assert inodes(out) == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["content", "public"]


def test_a_failed_build_after_a_kill_between_the_renames_leaves_the_old_site_published(
    tmp_path: Path,
) -> None:
    """Recovery happens before anything else, so even a failing next build restores it."""
    out = tmp_path / "public"
    write_site([("index.html", b"previous")], out)
    before = inodes(out)
    os.rename(out, tmp_path / f".public{atomic.TEMP_MARK}old-killed")

    def files():  # type: ignore[no-untyped-def]
        yield "index.html", b"new"
        raise RuntimeError("renderer bug")

    with pytest.raises(RuntimeError):
        write_site(files(), out)
    assert inodes(out) == before


def test_a_path_written_twice_is_refused_before_the_second_write(tmp_path: Path) -> None:
    """The second write of one path raises DuplicatePath and nothing is published."""
    out = tmp_path / "public"
    write_site([("index.html", b"previous")], out)
    before = inodes(out)
    with pytest.raises(DuplicatePath, match=r"two outputs write feed\.xml"):
        write_site([("feed.xml", b"one"), ("feed.xml", b"two")], out)
    assert inodes(out) == before


def test_a_second_write_of_an_unchanged_file_never_reaches_the_published_site(
    tmp_path: Path,
) -> None:
    """An unchanged file is hard-linked from the live site; writing it again is refused
    instead of going through the link into the published file."""
    out = tmp_path / "public"
    write_site([("index.html", b"same")], out)
    before = inodes(out)
    staging = Staging(out)
    staging.add("index.html", b"same")
    assert (staging.root / "index.html").stat().st_ino == before["index.html"][0]  # linked
    with pytest.raises(DuplicatePath):
        staging.add("index.html", b"changed behind our back")
    staging.discard()
    assert inodes(out) == before


# ---- 5. a symlinked output folder --------------------------------------------------------


def test_a_symlinked_output_is_published_into_its_target_and_the_link_kept(
    scratch_site: ScratchSite, tmp_path: Path
) -> None:
    """`public -> www/status`: the target is replaced beside itself; no junk, link intact."""
    content = scratch_site(OPEN_INCIDENT)
    target = tmp_path / "www" / "status"
    target.mkdir(parents=True)
    link = tmp_path / "public"
    link.symlink_to(target, target_is_directory=True)
    for _ in range(2):
        result = cli_build(content, link)
        assert result.exit_code == 0, result.output
    assert link.is_symlink() and link.resolve() == target.resolve()
    assert (target / "index.html").is_file() and (target / MARKER).is_file()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["content", "public", "www"]
    assert sorted(p.name for p in (tmp_path / "www").iterdir()) == ["status"]


def test_a_symlink_to_a_foreign_folder_is_refused(
    scratch_site: ScratchSite, tmp_path: Path
) -> None:
    """The rules apply to the link's target: a folder no build wrote is refused (exit 2)."""
    content = scratch_site(OPEN_INCIDENT)
    target = tmp_path / "docs"
    target.mkdir()
    (target / "manual.md").write_text("keep")
    (tmp_path / "public").symlink_to(target, target_is_directory=True)
    before = tree(tmp_path)
    assert cli_build(content, tmp_path / "public").exit_code == 2
    assert tree(tmp_path) == before
