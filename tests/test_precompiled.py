"""The default theme's templates are compiled when the package is built, never stale, and a
build that uses them writes exactly what a build that compiles them writes."""

from __future__ import annotations

import filecmp
import shutil
import subprocess
import sys
import traceback
from pathlib import Path

import pytest
from jinja2 import DictLoader

from conftest import DEMO_NOW, EXAMPLE_CONTENT, ROOT
from statusgen.render.html import ThemeSandbox, make_environment
from statusgen.render.language import SHIPPED, language
from statusgen.render.precompiled import (
    PACKAGE,
    precompiled_code,
    template_key,
    write_precompiled,
)
from statusgen.render.theme import default_theme_dir

# `statusgen` with its precompiled templates made unimportable: Python refuses to import a
# module whose sys.modules entry is None, so every template is compiled from its source.
WITHOUT_PRECOMPILED = (
    f"import sys; sys.modules[{PACKAGE!r}] = None; "
    "from statusgen.cli.main import main; sys.argv[0] = 'statusgen'; main()"
)


def test_the_install_compiled_every_default_template_in_every_shipped_language() -> None:
    """`pip install` (editable or not) runs hatch_build.py; a template missing here would be
    compiled on every cold build. Fails after a theme edit until the package is reinstalled."""
    missing = []
    for tag in SHIPPED:
        environment = make_environment(default_theme_dir(), lang=language(tag))
        loader = environment.loader
        assert loader is not None
        for name in loader.list_templates():
            source, filename, _ = loader.get_source(environment, name)
            if precompiled_code(template_key(environment, name, source), filename) is None:
                missing.append(f"{tag}:{name}")
    assert not missing, f"not precompiled (reinstall: pip install -e .): {missing}"


def build(command: list[str], content: Path, output: Path) -> None:
    run = subprocess.run(
        [
            *command,
            "build",
            str(content),
            "--output",
            str(output),
            "--now",
            DEMO_NOW.isoformat(),
            "--no-cache",
            "--quiet",
        ],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert run.returncode == 0, run.stderr


def same_tree(left: Path, right: Path) -> list[str]:
    """Paths whose bytes differ, or that only one side has."""
    names = {p.relative_to(left) for p in left.rglob("*") if p.is_file()}
    names |= {p.relative_to(right) for p in right.rglob("*") if p.is_file()}
    return sorted(
        str(name)
        for name in names
        if not (left / name).is_file()
        or not (right / name).is_file()
        or not filecmp.cmp(left / name, right / name, shallow=False)
    )


@pytest.mark.parametrize("languages", ["en", "[fr, ar]"])
def test_a_build_writes_the_same_bytes_with_and_without_precompiled_templates(
    tmp_path: Path, languages: str
) -> None:
    content = tmp_path / "content"
    shutil.copytree(EXAMPLE_CONTENT, content)
    site = content / "site.yml"
    site.write_text(site.read_text().replace("language: en", f"languages: {languages}"))
    with_them, without = tmp_path / "with", tmp_path / "without"
    build([sys.executable, "-m", "statusgen"], content, with_them)
    build([sys.executable, "-c", WITHOUT_PRECOMPILED], content, without)
    assert (with_them / "index.html").is_file()
    assert same_tree(with_them, without) == []


def environment_of(templates: dict[str, str]) -> ThemeSandbox:
    environment = ThemeSandbox(loader=DictLoader(templates), trim_blocks=True)
    environment.statusgen_fingerprint = "xx-test"  # type: ignore[attr-defined]
    return environment


def test_code_is_found_only_for_the_very_source_it_was_compiled_from(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.syspath_prepend(str(tmp_path))
    package = "precompiled_for_test_a"
    compiled = environment_of({"page.html": "<p>{{ title }}</p>\n"})
    assert write_precompiled(tmp_path / package, [compiled]) == 1
    same = template_key(compiled, "page.html", "<p>{{ title }}</p>\n")
    assert precompiled_code(same, "page.html", package) is not None
    edited = template_key(compiled, "page.html", "<p>{{ title }}!</p>\n")
    renamed = template_key(compiled, "other.html", "<p>{{ title }}</p>\n")
    other_language = environment_of({})
    other_language.statusgen_fingerprint = "yy-test"  # type: ignore[attr-defined]
    other_setting = environment_of({})
    other_setting.lstrip_blocks = True
    unseen = [
        edited,
        renamed,
        template_key(other_language, "page.html", "<p>{{ title }}</p>\n"),
        template_key(other_setting, "page.html", "<p>{{ title }}</p>\n"),
    ]
    assert len({same, *unseen}) == 5
    assert [precompiled_code(key, "page.html", package) for key in unseen] == [None] * 4


def test_a_runtime_error_in_precompiled_code_names_the_template_and_its_line(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.syspath_prepend(str(tmp_path))
    package = "precompiled_for_test_b"
    source = "<h1>{{ title }}</h1>\n{% if title %}\n<p>{{ 1 // zero }}</p>\n{% endif %}\n"
    environment = environment_of({"broken.html": source})
    write_precompiled(tmp_path / package, [environment])
    where = str(tmp_path / "theme" / "templates" / "broken.html")
    code = precompiled_code(template_key(environment, "broken.html", source), where, package)
    assert code is not None
    template = environment.template_class.from_code(environment, code, {}, None)
    assert template.filename == where
    with pytest.raises(ZeroDivisionError) as raised:
        template.render(title="Outage", zero=0)
    last = traceback.extract_tb(raised.value.__traceback__)[-1]
    assert (last.filename, last.lineno) == (where, 3)
    assert template.render(title="", zero=0) == "<h1></h1>\n"


def test_write_replaces_the_folder_so_no_older_module_stays(tmp_path: Path) -> None:
    target = tmp_path / "precompiled_for_test_c"
    write_precompiled(target, [environment_of({"a.html": "a", "b.html": "b"})])
    assert len(list(target.glob("t_*.py"))) == 2
    write_precompiled(target, [environment_of({"a.html": "a, edited"})])
    assert len(list(target.glob("t_*.py"))) == 1
