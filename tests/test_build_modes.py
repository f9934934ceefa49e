"""Caches and parallel rendering are invisible in the output: byte-identical trees."""

from __future__ import annotations

import multiprocessing
from dataclasses import replace
from pathlib import Path

import pytest
from test_themes_and_cli import copy_default_theme

from conftest import DEMO_NOW, EXAMPLE_CONTENT, OPEN_INCIDENT, ScratchSite
from statusgen.build import BuildOptions, build
from statusgen.errors import ContentInvalid
from statusgen.output import cache
from statusgen.render import markdown


def tree(root: Path) -> dict[str, bytes]:
    return {
        p.relative_to(root).as_posix(): p.read_bytes()
        for p in sorted(root.rglob("*"))
        if p.is_file()
    }


def test_cache_and_parallel_modes_give_identical_sites(tmp_path: Path) -> None:
    """Serial without cache, parallel with a cold cache, and parallel with a warm cache agree.

    `always_fork` takes the parallel paths although the example is too small to pay for them."""
    base = BuildOptions(EXAMPLE_CONTENT, tmp_path / "serial", DEMO_NOW)
    build(base)
    forked = replace(base, cache_dir=tmp_path / "cache", workers=2, always_fork=True)
    build(replace(forked, output_dir=tmp_path / "cold"))
    assert (tmp_path / "cache" / cache.MARKDOWN_FILE).is_file()
    build(replace(forked, output_dir=tmp_path / "warm"))
    serial = tree(tmp_path / "serial")
    assert tree(tmp_path / "cold") == serial
    assert tree(tmp_path / "warm") == serial


def test_a_cache_from_another_renderer_is_ignored(tmp_path: Path) -> None:
    """Entries are trusted only under the exact renderer key they were made with."""
    cache.save_markdown(tmp_path, "old-renderer", {"k": "<p>stale</p>"})
    assert cache.load_markdown(tmp_path, "new-renderer") == {}
    assert cache.load_markdown(tmp_path, "old-renderer") == {"k": "<p>stale</p>"}


def test_a_corrupt_cache_is_ignored(tmp_path: Path) -> None:
    """A half-written or edited cache file only costs time."""
    (tmp_path / cache.MARKDOWN_FILE).write_text("{not json")
    assert cache.load_markdown(tmp_path, markdown.RENDERER_KEY) == {}


def test_errors_found_by_parallel_loading_are_all_reported(scratch_site: ScratchSite) -> None:
    """Folders parsed in worker processes report their mistakes like serial loading does, and
    the Markdown workers started beside validation are stopped."""
    files = dict(OPEN_INCIDENT)
    for n in range(6):
        files[f"incidents/2026-11-2{n}-broken-{n}/incident.md"] = "---\ntitle: [unclosed\n---\n"
    root = scratch_site(files)
    with pytest.raises(ContentInvalid) as serial:
        build(BuildOptions(root, root.parent / "a", DEMO_NOW))
    with pytest.raises(ContentInvalid) as parallel:
        build(BuildOptions(root, root.parent / "b", DEMO_NOW, workers=2, always_fork=True))
    assert [e.format() for e in parallel.value.errors] == [e.format() for e in serial.value.errors]
    assert len(serial.value.errors) >= 6
    assert multiprocessing.active_children() == []


def test_a_template_error_on_a_worker_names_the_template_and_line(tmp_path: Path) -> None:
    """Pages rendered on worker processes report a broken template as a serial build does,
    and leave nothing behind."""
    theme = copy_default_theme(tmp_path / "broken")
    (theme / "templates" / "incident.html").write_text(
        "{% extends 'base.html' %}\n{% block main %}\n{{ incident.no_such_field }}\n{% endblock %}\n"
    )
    base = BuildOptions(EXAMPLE_CONTENT, tmp_path / "serial", DEMO_NOW, theme_dir=theme)
    with pytest.raises(ContentInvalid) as serial:
        build(base)
    with pytest.raises(ContentInvalid) as parallel:
        build(replace(base, output_dir=tmp_path / "parallel", workers=2, always_fork=True))
    assert [e.format() for e in parallel.value.errors] == [e.format() for e in serial.value.errors]
    assert serial.value.errors[0].source.line == 3 and serial.value.errors[0].source.path.endswith(
        "incident.html"
    )
    assert sorted(p.name for p in tmp_path.iterdir()) == ["broken"]
