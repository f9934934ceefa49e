"""A theme in the content folder is untrusted: it runs in Jinja's sandbox, reads nothing outside
its folder, publishes only regular files, and a broken template is an error with file and line."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner, Result
from jinja2 import bccache

from conftest import DEMO_NOW, MINIMAL_SITE, OPEN_INCIDENT, ROOT, ScratchSite
from statusgen.cli.main import main
from statusgen.output.cache import signing_key
from statusgen.render.html import make_environment
from statusgen.render.theme import default_theme_dir
from statusgen.serve.preview import Preview, PreviewOptions

NOW = ["--now", "2026-11-23T13:30:00Z"]
SECRET = "TOP-SECRET-do-not-publish"


def site_with_theme(scratch_site: ScratchSite, full: bool = True) -> tuple[Path, Path]:
    """A content folder whose site.yml names `mytheme`, a copy of the default theme when `full`."""
    content = scratch_site({**OPEN_INCIDENT, "site.yml": MINIMAL_SITE + "theme: mytheme\n"})
    theme = content / "mytheme"
    if full:
        shutil.copytree(ROOT / "themes" / "default", theme)
    else:
        theme.mkdir()
    return content, theme


def build(content: Path, out: Path, *extra: str) -> Result:
    return CliRunner().invoke(
        main, ["build", str(content), "--output", str(out), "--no-cache", *NOW, *extra]
    )


def published(out: Path) -> bytes:
    """Every byte of every file under `out`, to look for what must not be there."""
    return (
        b"".join(path.read_bytes() for path in sorted(out.rglob("*")) if path.is_file())
        if out.exists()
        else b""
    )


ESCAPES = {
    "cycler globals": "{{ cycler.__init__.__globals__.os.system('touch %s') }}",
    "joiner globals": "{{ joiner.__init__.__globals__.os.popen('touch %s').read() }}",
    "str mro": "{{ ''.__class__.__mro__[1].__subclasses__() }}{{ '%s' }}",
    "lipsum globals": "{{ lipsum.__globals__['os'].system('touch %s') }}",
    "a view's class": "{{ site.__class__.__init__.__globals__['os'].system('touch %s') }}",
    "a bound method": "{{ asset.__self__.__init__.__globals__['os'].system('touch %s') }}",
}


@pytest.mark.parametrize("escape", list(ESCAPES.values()), ids=list(ESCAPES))
def test_a_template_cannot_reach_python_and_the_build_names_its_line(
    scratch_site: ScratchSite, tmp_path: Path, escape: str
) -> None:
    """Classic sandbox escapes are refused before they run, with the template's file and line."""
    content, theme = site_with_theme(scratch_site)
    marker = tmp_path / "pwned"
    (theme / "templates" / "404.html").write_text(
        "{% extends 'base.html' %}\n{% block main %}\n" + escape % marker + "\n{% endblock %}\n"
    )
    result = build(content, tmp_path / "out")
    assert result.exit_code == 1, result.output
    assert "mytheme/templates/404.html:3: error: template: SecurityError" in result.output
    assert "sandbox" in result.output and "Traceback" not in result.output
    assert not marker.exists()
    assert not (tmp_path / "out").exists()


def test_lint_refuses_a_hostile_template_without_running_it(
    scratch_site: ScratchSite, tmp_path: Path
) -> None:
    """`statusgen lint` (and the pre-commit hook that runs it) renders in the sandbox too."""
    content, theme = site_with_theme(scratch_site)
    marker = tmp_path / "pwned"
    (theme / "templates" / "index.html").write_text(
        f"{{{{ cycler.__init__.__globals__.os.system('touch {marker}') }}}}\n"
    )
    result = CliRunner().invoke(main, ["lint", str(content), *NOW])
    assert result.exit_code == 1
    assert "mytheme/templates/index.html:1: error: template: SecurityError" in result.output
    assert not marker.exists()


@pytest.mark.parametrize("where", ["absolute", "parent"])
def test_a_theme_outside_the_content_folder_is_refused_on_its_line(
    scratch_site: ScratchSite, tmp_path: Path, where: str
) -> None:
    """site.yml is content: `theme:` may not name a folder outside the content folder."""
    elsewhere = tmp_path / "elsewhere"
    shutil.copytree(ROOT / "themes" / "default", elsewhere)
    theme = str(elsewhere) if where == "absolute" else "../elsewhere"
    content = scratch_site({**OPEN_INCIDENT, "site.yml": MINIMAL_SITE + f"theme: {theme}\n"})
    result = build(content, tmp_path / "out")
    assert result.exit_code == 1
    assert (
        f"site.yml:11: error: theme: theme folder '{theme}' is outside the content folder"
        in result.output
    )
    assert "fix: " in result.output


def test_a_theme_folder_linked_out_of_the_content_folder_is_refused(
    scratch_site: ScratchSite, tmp_path: Path
) -> None:
    """A link named like a folder of the content is followed before it is trusted."""
    content = scratch_site({**OPEN_INCIDENT, "site.yml": MINIMAL_SITE + "theme: mytheme\n"})
    shutil.copytree(ROOT / "themes" / "default", tmp_path / "elsewhere")
    (content / "mytheme").symlink_to(tmp_path / "elsewhere")
    result = build(content, tmp_path / "out")
    assert result.exit_code == 1
    assert "theme folder 'mytheme' is outside the content folder" in result.output


def test_compiled_templates_are_cached_apart_from_unsandboxed_ones(
    scratch_site: ScratchSite, tmp_path: Path
) -> None:
    """A cache written by an unsandboxed build (same template source) is never loaded. (A
    theme's own templates are cached; the default theme's come compiled with the package.)"""
    content, _ = site_with_theme(scratch_site)
    cache = tmp_path / "cache"
    result = CliRunner().invoke(
        main,
        ["build", str(content), "--output", str(tmp_path / "out"), "--cache-dir", str(cache), *NOW],
    )
    assert result.exit_code == 0, result.output
    names = [path.name for path in (cache / "templates").iterdir()]
    assert names and all(name.startswith("__statusgen_sandboxed_") for name in names)


@pytest.mark.parametrize("option", [False, True], ids=["site.yml", "--theme"])
def test_a_static_link_out_of_the_theme_is_refused_and_never_published(
    scratch_site: ScratchSite, tmp_path: Path, option: bool
) -> None:
    """A link to a secret outside the theme (say /proc/self/environ) is named and not published,
    whether the theme comes from site.yml or from --theme."""
    content, theme = site_with_theme(scratch_site)
    if option:
        theme = shutil.move(theme, tmp_path / "operator-theme")
    (tmp_path / "secret.txt").write_text(SECRET)
    (Path(theme) / "static" / "leak.txt").symlink_to(tmp_path / "secret.txt")
    result = build(content, tmp_path / "out", *(["--theme", str(theme)] if option else []))
    assert result.exit_code == 1
    assert (
        "static/leak.txt: error: theme: theme file is a symbolic link out of the theme folder"
        in result.output
    )
    assert SECRET.encode() not in published(tmp_path / "out")


def test_a_template_linked_out_of_the_theme_is_refused(
    scratch_site: ScratchSite, tmp_path: Path
) -> None:
    """A template is read only from inside its theme folder, never through a link out of it."""
    content, theme = site_with_theme(scratch_site)
    (tmp_path / "evil.html").write_text(
        "{% extends 'base.html' %}{% block main %}" + SECRET + "{% endblock %}"
    )
    (theme / "templates" / "404.html").unlink()
    (theme / "templates" / "404.html").symlink_to(tmp_path / "evil.html")
    result = build(content, tmp_path / "out")
    assert result.exit_code == 1
    assert (
        "templates/404.html: error: theme: theme file is a symbolic link out of the theme folder"
        in result.output
    )
    assert SECRET.encode() not in published(tmp_path / "out")


def test_a_fifo_a_folder_link_and_a_link_loop_in_static_are_each_named(
    scratch_site: ScratchSite, tmp_path: Path
) -> None:
    """Only regular files are published: a FIFO (which would block the build), a link to a
    folder and a loop of links are refused, all in one report."""
    content, theme = site_with_theme(scratch_site, full=False)
    (theme / "static").mkdir()
    os.mkfifo(theme / "static" / "pipe.css")
    (theme / "static" / "etc").symlink_to("/etc")
    (theme / "static" / "loop-a.css").symlink_to("loop-b.css")
    (theme / "static" / "loop-b.css").symlink_to("loop-a.css")
    result = build(content, tmp_path / "out")
    assert result.exit_code == 1
    assert "static/pipe.css: error: theme: theme file is not a regular file" in result.output
    assert "static/etc: error: theme: theme folder is a symbolic link" in result.output
    assert (
        "static/loop-a.css: error: theme: theme file is a symbolic link to nothing (or a loop"
        in result.output
    )
    assert "Traceback" not in result.output
    assert not (tmp_path / "out").exists()


def test_a_link_to_a_file_inside_the_theme_is_published(
    scratch_site: ScratchSite, tmp_path: Path
) -> None:
    """Links that stay inside the theme folder are harmless: the file they name is published."""
    content, theme = site_with_theme(scratch_site, full=False)
    (theme / "static").mkdir()
    (theme / "static" / "print.css").write_text("@media print { body { color: black } }")
    (theme / "static" / "alias.css").symlink_to("print.css")
    result = build(content, tmp_path / "out")
    assert result.exit_code == 0, result.output
    [alias] = (tmp_path / "out" / "assets").glob("alias.*.css")
    assert alias.read_text() == "@media print { body { color: black } }"


def test_a_template_that_is_not_utf8_names_its_file_and_line(
    scratch_site: ScratchSite, tmp_path: Path
) -> None:
    """A template saved in Latin-1 is one error with its file, the line of the bad byte and the fix."""
    content, theme = site_with_theme(scratch_site, full=False)
    (theme / "templates").mkdir()
    (theme / "templates" / "404.html").write_bytes(
        b"{% extends 'base.html' %}\n{% block main %}\nCaf\xe9\n{% endblock %}\n"
    )
    result = build(content, tmp_path / "out")
    assert result.exit_code == 1
    assert "mytheme/templates/404.html:3: error: theme: template is not UTF-8 text" in result.output
    assert "fix: save the template as UTF-8" in result.output
    assert "Traceback" not in result.output


def test_a_template_that_divides_by_zero_names_its_file_and_line(
    scratch_site: ScratchSite, tmp_path: Path
) -> None:
    """Any exception a template raises is a template error with its place, not a traceback."""
    content, theme = site_with_theme(scratch_site, full=False)
    (theme / "templates").mkdir()
    (theme / "templates" / "404.html").write_text(
        "{% extends 'base.html' %}\n{% block main %}\n{{ 1 / 0 }}\n{% endblock %}\n"
    )
    result = build(content, tmp_path / "out")
    assert result.exit_code == 1
    assert (
        "mytheme/templates/404.html:3: error: template: ZeroDivisionError: division by zero"
        in result.output
    )
    assert "Traceback" not in result.output


def test_a_missing_static_file_is_a_template_error(
    scratch_site: ScratchSite, tmp_path: Path
) -> None:
    """asset() of a file no theme has names the template line, not a KeyError traceback."""
    content, theme = site_with_theme(scratch_site, full=False)
    (theme / "templates").mkdir()
    (theme / "templates" / "404.html").write_text(
        "{% extends 'base.html' %}\n{% block main %}\n{{ asset('nope.css') }}\n{% endblock %}\n"
    )
    result = build(content, tmp_path / "out")
    assert result.exit_code == 1
    assert (
        "404.html:3: error: template: TemplateRuntimeError: no static file 'nope.css'"
        in result.output
    )


def test_a_template_that_extends_itself_is_an_error_not_a_crash(
    scratch_site: ScratchSite, tmp_path: Path
) -> None:
    """`{% extends "base.html" %}` in the theme's own base.html loops; it is reported, not a traceback."""
    content, theme = site_with_theme(scratch_site, full=False)
    (theme / "templates").mkdir()
    (theme / "templates" / "base.html").write_text("{% extends 'base.html' %}\n")
    result = build(content, tmp_path / "out")
    assert result.exit_code == 1
    assert "base.html:1: error: template: RecursionError" in result.output
    assert "Traceback" not in result.output


def test_the_preview_reports_a_broken_template_and_keeps_the_last_good_build(
    scratch_site: ScratchSite,
) -> None:
    """serve shows the template error with its file and line, and keeps serving the last good site."""
    content, theme = site_with_theme(scratch_site, full=False)
    preview = Preview(PreviewOptions(content, None, clock=lambda: DEMO_NOW))
    assert preview.build_once().ok
    good = preview.site
    (theme / "templates").mkdir()
    (theme / "templates" / "404.html").write_text(
        "{% extends 'base.html' %}\n{% block main %}\n{{ 1 / 0 }}\n{% endblock %}\n"
    )
    outcome = preview.build_once()
    assert not outcome.ok and outcome.crash is None
    assert (
        "404.html:3: error: template: ZeroDivisionError: division by zero" in outcome.error_text()
    )
    assert preview.site is good


def test_a_compiled_template_planted_in_the_cache_is_never_run(
    scratch_site: ScratchSite, tmp_path: Path
) -> None:
    """Bytecode that a repository or a shared CI cache carries in the cache folder, unsigned by
    this user's key, is compiled again from source rather than loaded (loading it would run it)."""
    content = scratch_site(OPEN_INCIDENT)
    cache = tmp_path / "cache"
    args = [
        "build",
        str(content),
        "--output",
        str(tmp_path / "out"),
        "--cache-dir",
        str(cache),
        *NOW,
    ]
    assert CliRunner().invoke(main, args).exit_code == 0
    planted = tmp_path / "planted"
    payload = compile(f"open({str(planted)!r}, 'w').close()", "<planted>", "exec")
    env = make_environment(default_theme_dir())
    reference = bccache.FileSystemBytecodeCache(
        str(cache / "templates"), "__statusgen_sandboxed_%s.cache"
    )
    for name in env.list_templates():
        # What Jinja's own cache would load for this template: its checksum, then code.
        source, filename, _ = env.loader.get_source(env, name)
        bucket = bccache.Bucket(
            env, reference.get_cache_key(name, filename), reference.get_source_checksum(source)
        )
        bucket.code = payload
        reference.dump_bytecode(bucket)
    result = CliRunner().invoke(
        main,
        [
            "build",
            str(content),
            "--output",
            str(tmp_path / "out2"),
            "--cache-dir",
            str(cache),
            *NOW,
        ],
    )
    assert not planted.exists()
    assert result.exit_code == 0, result.output
    assert (tmp_path / "out2" / "index.html").read_bytes() == (
        tmp_path / "out" / "index.html"
    ).read_bytes()


def test_signed_compiled_templates_are_reused(scratch_site: ScratchSite, tmp_path: Path) -> None:
    """A second build loads the first build's signed templates instead of compiling them."""
    content = scratch_site(OPEN_INCIDENT)
    cache = tmp_path / "cache"
    args = [
        "build",
        str(content),
        "--output",
        str(tmp_path / "out"),
        "--cache-dir",
        str(cache),
        *NOW,
    ]
    assert CliRunner().invoke(main, args).exit_code == 0
    before = {path.name: path.stat().st_mtime_ns for path in (cache / "templates").iterdir()}
    env = make_environment(default_theme_dir(), cache / "templates", signing_key())
    assert env.bytecode_cache is not None
    loaded = 0
    for name in env.list_templates():
        source, filename, _ = env.loader.get_source(env, name)
        bucket = env.bytecode_cache.get_bucket(env, name, filename, source)
        loaded += bucket.code is not None
    assert loaded == len(before)


def test_a_five_line_theme_changes_the_footer_of_every_page(
    scratch_site: ScratchSite, tmp_path: Path
) -> None:
    """The default base.html has the contract's blocks; a theme that overrides only `footer`
    keeps everything else of the default theme, on every page."""
    content, theme = site_with_theme(scratch_site, full=False)
    (theme / "templates").mkdir()
    (theme / "templates" / "base.html").write_text(
        '{% extends "default/base.html" %}\n'
        "{% block footer %}\n"
        '<footer class="wrap footer"><p>Acme Cloud · <a href="https://example.com/terms">Terms</a></p></footer>\n'
        "{% endblock %}\n"
    )
    result = build(content, tmp_path / "out")
    assert result.exit_code == 0, result.output
    pages = sorted((tmp_path / "out").rglob("*.html"))
    assert len(pages) > 3
    for page in pages:
        html = page.read_text()
        assert '<a href="https://example.com/terms">Terms</a>' in html, page
        assert "Page generated" not in html, page  # the default footer is gone
        assert '<header class="masthead">' in html, page  # the rest is the default theme's


def test_the_default_base_template_has_the_contract_blocks() -> None:
    """head, header, banner, main, footer and scripts can each be overridden by a theme."""
    env = make_environment(default_theme_dir())
    blocks = set(env.get_template("base.html").blocks)
    assert {"head", "header", "banner", "main", "footer", "scripts"} <= blocks


def test_a_theme_can_replace_the_banner_of_the_front_page(
    scratch_site: ScratchSite, tmp_path: Path
) -> None:
    """The overall-status banner is the `banner` block: a theme's index.html can restyle it alone."""
    content, theme = site_with_theme(scratch_site, full=False)
    (theme / "templates").mkdir()
    (theme / "templates" / "index.html").write_text(
        '{% extends "default/index.html" %}\n'
        '{% block banner %}<p class="my-banner">{{ overall.description }}</p>{% endblock %}\n'
    )
    result = build(content, tmp_path / "out")
    assert result.exit_code == 0, result.output
    html = (tmp_path / "out" / "index.html").read_text()
    assert '<p class="my-banner">Minor Service Outage</p>' in html
    assert 'class="banner ' not in html
    assert "Active incidents" in html  # the rest of the page is the default's
