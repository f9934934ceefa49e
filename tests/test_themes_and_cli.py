"""Themes are swappable; the command line prints one summary line and honours its options."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

from click.testing import CliRunner

from conftest import MINIMAL_SITE, OPEN_INCIDENT, ROOT, ScratchSite
from statusgen.cli.main import main

NOW = ["--now", "2026-11-23T13:30:00Z"]


def copy_default_theme(dest: Path) -> Path:
    shutil.copytree(ROOT / "themes" / "default", dest)
    return dest


def test_a_theme_named_in_site_yml_replaces_the_default(
    scratch_site: ScratchSite, tmp_path: Path
) -> None:
    """`theme:` in site.yml is a folder relative to the content folder."""
    content = scratch_site({**OPEN_INCIDENT, "site.yml": MINIMAL_SITE + "theme: mytheme\n"})
    theme = copy_default_theme(content / "mytheme")
    (theme / "templates" / "404.html").write_text(
        "{% extends 'base.html' %}{% block main %}<h1>Lost in space</h1>{% endblock %}"
    )
    result = CliRunner().invoke(
        main, ["build", str(content), "--output", str(tmp_path / "out"), *NOW]
    )
    assert result.exit_code == 0, result.output
    assert "Lost in space" in (tmp_path / "out" / "404.html").read_text()


def test_the_theme_option_overrides_site_yml(scratch_site: ScratchSite, tmp_path: Path) -> None:
    """--theme DIR wins, so a theme can be tried without editing the site."""
    content = scratch_site({**OPEN_INCIDENT, "site.yml": MINIMAL_SITE + "theme: missing\n"})
    theme = copy_default_theme(tmp_path / "other")
    (theme / "static" / "extra.txt").write_text("hello")
    result = CliRunner().invoke(
        main,
        ["build", str(content), "--output", str(tmp_path / "out"), "--theme", str(theme), *NOW],
    )
    assert result.exit_code == 0, result.output
    assert list((tmp_path / "out" / "assets").glob("extra.*.txt"))


def test_a_missing_theme_is_a_content_error(scratch_site: ScratchSite, tmp_path: Path) -> None:
    """A theme folder that does not exist is named, on its line of site.yml, with the fix."""
    content = scratch_site({**OPEN_INCIDENT, "site.yml": MINIMAL_SITE + "theme: nowhere\n"})
    result = CliRunner().invoke(
        main, ["build", str(content), "--output", str(tmp_path / "out"), *NOW]
    )
    assert result.exit_code == 1
    assert "site.yml:11: error: theme: theme folder 'nowhere' does not exist" in result.output


def test_a_broken_template_names_the_template_and_line(
    scratch_site: ScratchSite, tmp_path: Path
) -> None:
    """A typo in a custom template is an error with its file and line, not a traceback."""
    content = scratch_site(OPEN_INCIDENT)
    theme = copy_default_theme(tmp_path / "broken")
    (theme / "templates" / "404.html").write_text(
        "{% extends 'base.html' %}\n{% block main %}\n{{ no_such_variable }}\n{% endblock %}\n"
    )
    result = CliRunner().invoke(
        main,
        ["build", str(content), "--output", str(tmp_path / "out"), "--theme", str(theme), *NOW],
    )
    assert result.exit_code == 1
    assert "404.html:3: error: template: UndefinedError" in result.output
    assert "Traceback" not in result.output
    assert not (tmp_path / "out").exists()


def test_build_prints_one_summary_line(scratch_site: ScratchSite, tmp_path: Path) -> None:
    """What was built, from what, where, and how long it took."""
    content = scratch_site(OPEN_INCIDENT)
    result = CliRunner().invoke(
        main, ["build", str(content), "--output", str(tmp_path / "out"), *NOW]
    )
    assert result.exit_code == 0
    lines = result.output.strip().splitlines()
    assert len(lines) == 1
    assert lines[0].startswith("Built ") and "from 1 incident and 0 maintenances" in lines[0]


def test_quiet_prints_nothing_on_success_and_verbose_prints_stages(
    scratch_site: ScratchSite, tmp_path: Path
) -> None:
    """--quiet for scripts, --verbose for looking at where time goes."""
    content = scratch_site(OPEN_INCIDENT)
    quiet = CliRunner().invoke(
        main, ["build", str(content), "--output", str(tmp_path / "a"), "--quiet", *NOW]
    )
    assert quiet.exit_code == 0 and quiet.output == ""
    verbose = CliRunner().invoke(
        main, ["build", str(content), "--output", str(tmp_path / "b"), "--verbose", *NOW]
    )
    assert all(stage in verbose.output for stage in ("load", "derive", "render", "write"))


def test_source_date_epoch_fixes_now(scratch_site: ScratchSite, tmp_path: Path) -> None:
    """SOURCE_DATE_EPOCH gives the same output as the equivalent --now."""
    content = scratch_site(OPEN_INCIDENT)
    runner = CliRunner()
    runner.invoke(
        main,
        [
            "build",
            str(content),
            "--output",
            str(tmp_path / "a"),
            "--now",
            "2026-11-23T13:30:00+00:00",
        ],
    )
    runner.invoke(
        main,
        ["build", str(content), "--output", str(tmp_path / "b")],
        env={"SOURCE_DATE_EPOCH": "1795440600"},
    )
    assert (tmp_path / "a" / "index.html").read_bytes() == (
        tmp_path / "b" / "index.html"
    ).read_bytes()


def test_python_dash_m_runs_the_same_command(scratch_site: ScratchSite, tmp_path: Path) -> None:
    """`python -m statusgen` is the command for environments without the script on PATH."""
    content = scratch_site(OPEN_INCIDENT)
    run = subprocess.run(
        [
            sys.executable,
            "-m",
            "statusgen",
            "build",
            str(content),
            "--output",
            str(tmp_path / "out"),
            *NOW,
        ],
        capture_output=True,
        text=True,
        cwd=tmp_path,
        # Nothing of this environment but a plain PATH, the checkout's code and the tests'
        # user cache folder.
        env={
            "NO_COLOR": "1",
            "PATH": "/usr/bin:/bin",
            "PYTHONPATH": str(ROOT),
            "XDG_CACHE_HOME": os.environ["XDG_CACHE_HOME"],
        },
    )
    assert run.returncode == 0, run.stderr
    assert "\x1b[" not in run.stdout + run.stderr


def test_an_unknown_option_is_a_usage_error(tmp_path: Path) -> None:
    """Wrong usage exits 2, as the contract says."""
    assert CliRunner().invoke(main, ["build", "--frobnicate"]).exit_code == 2


def test_a_theme_with_only_a_base_template_restyles_every_default_page(
    scratch_site: ScratchSite, tmp_path: Path
) -> None:
    """A partial theme holds what it changes: its base.html frames the default theme's pages,
    and the default's static files are published for it."""
    content = scratch_site({**OPEN_INCIDENT, "site.yml": MINIMAL_SITE + "theme: mytheme\n"})
    (content / "mytheme" / "templates").mkdir(parents=True)
    (content / "mytheme" / "templates" / "base.html").write_text(
        '<!DOCTYPE html><html><head><link rel="stylesheet" href="{{ asset(\'style.css\') }}"></head>\n'
        '<body class="my-brand">{% block main %}{% endblock %}</body></html>\n'
    )
    result = CliRunner().invoke(
        main, ["build", str(content), "--output", str(tmp_path / "out"), *NOW]
    )
    assert result.exit_code == 0, result.output
    home = (tmp_path / "out" / "index.html").read_text()
    assert 'class="my-brand"' in home and "Elevated error rates on the API" in home
    [style] = (tmp_path / "out" / "assets").glob("style.*.css")
    assert style.read_bytes() == (ROOT / "themes" / "default" / "static" / "style.css").read_bytes()


def test_a_theme_template_extends_the_default_one_of_the_same_name(
    scratch_site: ScratchSite, tmp_path: Path
) -> None:
    """`default/<name>` is the default theme's own template, so base.html and 404.html can
    extend the ones they replace without extending themselves."""
    content = scratch_site({**OPEN_INCIDENT, "site.yml": MINIMAL_SITE + "theme: mytheme\n"})
    templates = content / "mytheme" / "templates"
    templates.mkdir(parents=True)
    (templates / "base.html").write_text('{% extends "default/base.html" %}\n')
    (templates / "404.html").write_text(
        '{% extends "default/404.html" %}\n{% block main %}<p>Lost in space</p>{{ super() }}{% endblock %}\n'
    )
    result = CliRunner().invoke(
        main, ["build", str(content), "--output", str(tmp_path / "out"), *NOW]
    )
    assert result.exit_code == 0, result.output
    page = (tmp_path / "out" / "404.html").read_text()
    assert (
        "<p>Lost in space</p>" in page and "Page not found" in page and 'class="masthead"' in page
    )


def test_a_theme_with_only_static_files_keeps_the_default_templates(
    scratch_site: ScratchSite, tmp_path: Path
) -> None:
    """A theme's static file replaces the default's of the same name; the others stay."""
    content = scratch_site({**OPEN_INCIDENT, "site.yml": MINIMAL_SITE + "theme: mytheme\n"})
    (content / "mytheme" / "static").mkdir(parents=True)
    (content / "mytheme" / "static" / "style.css").write_text("body { color: rebeccapurple }\n")
    result = CliRunner().invoke(
        main, ["build", str(content), "--output", str(tmp_path / "out"), *NOW]
    )
    assert result.exit_code == 0, result.output
    [style] = (tmp_path / "out" / "assets").glob("style.*.css")
    assert style.read_text() == "body { color: rebeccapurple }\n"
    assert list((tmp_path / "out" / "assets").glob("favicon.*.svg"))
    assert (
        f'href="/{style.relative_to(tmp_path / "out").as_posix()}"'
        in (tmp_path / "out" / "index.html").read_text()
    )
