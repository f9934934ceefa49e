"""The example site, built as a user builds it: golden files, validity, weight, reproducibility.

Refresh the golden files after an intended change with:
    STATUSGEN_UPDATE_GOLDEN=1 bash scripts/test tests/test_example_site.py
and review the diff of tests/golden/ like any other change.
"""

from __future__ import annotations

import contextlib
import difflib
import json
import os
import shutil
import subprocess
from pathlib import Path

import html5lib
import pytest

from conftest import DEMO_NOW, EXAMPLE_CONTENT, ROOT
from statusgen.build import BuildOptions, build

GOLDEN = ROOT / "tests" / "golden" / "example"
VNU_JAR = ROOT / "tools" / "node_modules" / "vnu-jar" / "build" / "dist" / "vnu.jar"


def tree(root: Path) -> dict[str, bytes]:
    return {
        p.relative_to(root).as_posix(): p.read_bytes()
        for p in sorted(root.rglob("*"))
        if p.is_file()
    }


@pytest.fixture(scope="module")
def example_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("example") / "public"
    result = build(BuildOptions(EXAMPLE_CONTENT, out, DEMO_NOW))
    assert not [w for w in result.warnings], result.warnings
    return out


def readable(name: str, data: bytes) -> list[str]:
    """A file's lines for a diff; JSON (written compact) indented, so that a change shows
    as the lines that changed."""
    text = data.decode(errors="replace")
    if name.endswith(".json"):
        # Not JSON: shown as it is (the difference may be what broke it).
        with contextlib.suppress(ValueError):
            text = json.dumps(json.loads(text), indent=2, ensure_ascii=False)
    return text.splitlines()


def test_example_site_matches_golden_files(example_site: Path) -> None:
    """Every output file of the example site equals its reviewed golden copy."""
    built = tree(example_site)
    if os.environ.get("STATUSGEN_UPDATE_GOLDEN"):
        shutil.rmtree(GOLDEN, ignore_errors=True)
        shutil.copytree(example_site, GOLDEN)
    golden = tree(GOLDEN)
    assert sorted(built) == sorted(golden), (
        "files added or removed; refresh the golden files if intended"
    )
    for name, data in built.items():
        if data != golden[name]:
            diff = difflib.unified_diff(
                readable(name, golden[name]),
                readable(name, data),
                f"golden/{name}",
                f"built/{name}",
                lineterm="",
                n=2,
            )
            pytest.fail(f"{name} differs from its golden file:\n" + "\n".join(list(diff)[:60]))


def test_the_parallel_path_builds_the_same_bytes(example_site: Path, tmp_path: Path) -> None:
    """Forked workers (forced, though the example is small) write the golden site byte for
    byte: the golden files hold for both of the build's paths."""
    parallel = tmp_path / "parallel"
    build(BuildOptions(EXAMPLE_CONTENT, parallel, DEMO_NOW, workers=2, always_fork=True))
    assert tree(parallel) == tree(example_site)


def test_two_builds_with_the_same_now_are_byte_identical(
    example_site: Path, tmp_path: Path
) -> None:
    """--now makes the build reproducible: same content, same now, same bytes."""
    again = tmp_path / "again"
    build(BuildOptions(EXAMPLE_CONTENT, again, DEMO_NOW))
    assert tree(again) == tree(example_site)


def test_every_page_of_the_example_site_passes_the_nu_html_checker(example_site: Path) -> None:
    """The W3C Nu HTML Checker reports no error and no warning on any page."""
    if not VNU_JAR.is_file():
        pytest.fail("Nu HTML Checker missing: run bash scripts/install-test-tools")
    pages = sorted(str(p) for p in example_site.rglob("*.html"))
    assert len(pages) >= 30
    run = subprocess.run(
        ["java", "-jar", str(VNU_JAR), "--format", "json", "--stdout", *pages],
        capture_output=True,
        text=True,
        timeout=300,
    )
    messages = json.loads(run.stdout)["messages"]
    assert messages == [], json.dumps(messages, indent=1)[:4000]


def test_the_stylesheet_passes_the_nu_css_checker(example_site: Path) -> None:
    """The Nu checker's CSS mode (the W3C CSS validator inside it) finds nothing in the built CSS."""
    if not VNU_JAR.is_file():
        pytest.fail("Nu HTML Checker missing: run bash scripts/install-test-tools")
    stylesheets = sorted(str(p) for p in (example_site / "assets").glob("*.css"))
    assert stylesheets
    run = subprocess.run(
        ["java", "-jar", str(VNU_JAR), "--css", "--format", "json", "--stdout", *stylesheets],
        capture_output=True,
        text=True,
        timeout=300,
    )
    messages = json.loads(run.stdout)["messages"]
    assert messages == [], json.dumps(messages, indent=1)[:4000]


def test_home_page_with_its_css_weighs_under_60_kb(example_site: Path) -> None:
    """A status page must load on a bad connection on the worst day."""
    home = example_site / "index.html"
    css = next((example_site / "assets").glob("style.*.css"))
    js = next((example_site / "assets").glob("status.*.js"))
    total = home.stat().st_size + css.stat().st_size + js.stat().st_size
    assert total < 60_000, f"{total} bytes"


def test_no_page_loads_anything_from_another_host(example_site: Path) -> None:
    """No external fonts, scripts, styles or images: the page must stand alone."""
    for page in example_site.rglob("*.html"):
        document = html5lib.parse(page.read_bytes(), namespaceHTMLElements=False)
        for element in document.iter():
            for attribute in ("src", "href"):
                value = element.get(attribute, "")
                is_reference = element.tag == "link" and element.get("rel") in (
                    "canonical",
                    "alternate",
                )
                if (
                    element.tag in ("script", "link", "img", "iframe", "source")
                    and value
                    and not is_reference
                ):
                    assert value.startswith("/"), f"{page}: <{element.tag} {attribute}={value}>"


def test_every_page_reads_correctly_without_javascript(example_site: Path) -> None:
    """Times are printed in the site timezone with its abbreviation; the script only enhances."""
    document = html5lib.parse(
        (example_site / "index.html").read_bytes(), namespaceHTMLElements=False
    )
    times = [t for t in document.iter("time") if "data-local" in t.attrib]
    assert times
    assert all(t.text and (t.text.endswith(" CET") or t.text.endswith(" CEST")) for t in times)
    scripts = list(document.iter("script"))
    assert all(s.get("src") and "defer" in s.attrib for s in scripts)


def test_sitemap_lists_every_page_but_the_404(example_site: Path) -> None:
    """Search engines find every incident, component and history page."""
    sitemap = (example_site / "sitemap.xml").read_text()
    pages = [p for p in example_site.rglob("index.html")]
    assert sitemap.count("<loc>") == len(pages)
    assert "https://status.nimbus.example/incidents/2026-10-19-power-loss-in-zone-par1/" in sitemap
    assert "404" not in sitemap


def test_the_demo_looks_alive_at_its_pinned_now(example_site: Path) -> None:
    """At the README's pinned --now there is an ongoing incident and upcoming maintenance."""
    home = (example_site / "index.html").read_text()
    assert "Active incidents" in home
    assert "Elevated API error rates in par1" in home
    assert "Scheduled maintenance" in home and "PostgreSQL 17 upgrade" in home
    assert "Minor Service Outage" in home
