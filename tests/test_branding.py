"""site.yml's `branding:` dresses the default theme: logo, favicon and stylesheet published by
content hash, a brand colour with a text colour that passes WCAG AA, header and footer links;
its files are read only from inside the content folder, and a site without it is unchanged."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from click.testing import CliRunner, Result
from hypothesis import given
from hypothesis import strategies as st

from conftest import MINIMAL_SITE, ScratchSite
from statusgen.build import load_and_validate
from statusgen.cli.main import main
from statusgen.errors import ContentInvalid
from statusgen.render.brand import AA_CONTRAST, contrast, on_color

NOW = ["--now", "2026-11-23T13:30:00Z"]
LOGO = b'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 10 10"><rect width="10" height="10"/></svg>'
SHEET = b".masthead { letter-spacing: .01em; }\n"
BRANDED = (
    MINIMAL_SITE
    + """\
branding:
  logo: branding/logo.svg
  favicon: branding/logo.svg
  color: "#0B5"
  stylesheet: branding/site.css
  links:
    - {label: "Main <site> & co", url: "https://example.com/?a=1&b=2"}
  footer_links:
    - {label: Terms, url: https://example.com/terms}
"""
)


def build(content: Path, out: Path) -> Result:
    return CliRunner().invoke(
        main, ["build", str(content), "--output", str(out), "--no-cache", *NOW]
    )


def branded(scratch_site: ScratchSite, site_yml: str = BRANDED) -> Path:
    return scratch_site(
        {"site.yml": site_yml, "branding/logo.svg": LOGO, "branding/site.css": SHEET}
    )


def errors_of(content: Path) -> list[tuple[str, str | None, str]]:
    """(where, field, message) of every error the content holds."""
    with pytest.raises(ContentInvalid) as raised:
        load_and_validate(content)
    return [(str(e.source), e.field, e.message) for e in raised.value.errors]


def test_branding_files_are_published_by_content_hash_and_referenced(
    scratch_site: ScratchSite, tmp_path: Path
) -> None:
    """The logo (also the favicon, published once), the stylesheet and the generated brand
    stylesheet are published under assets/brand/ with a content hash, and every page uses them."""
    out = tmp_path / "public"
    result = build(branded(scratch_site), out)
    assert result.exit_code == 0, result.output
    published = sorted(p.relative_to(out).as_posix() for p in (out / "assets/brand").iterdir())
    assert len(published) == 3
    logo, brand_css, sheet = (
        next(
            p for p in published if re.fullmatch(rf"assets/brand/{stem}\.[0-9a-f]{{10}}\.{ext}", p)
        )
        for stem, ext in (("logo", "svg"), ("brand", "css"), ("site", "css"))
    )
    assert (out / logo).read_bytes() == LOGO
    assert (out / sheet).read_bytes() == SHEET
    page = (out / "index.html").read_text()
    assert f'<img class="brand-logo" src="/{logo}" alt="Acme Cloud">' in page
    assert f'<link rel="icon" href="/{logo}">' in page
    theme_css = page.index('href="/assets/style.')
    assert theme_css < page.index(f'href="/{brand_css}"') < page.index(f'href="/{sheet}"')
    css = (out / brand_css).read_text()
    assert "--brand: #00bb55;" in css and "--on-brand: #000000;" in css


def test_links_are_rendered_in_header_and_footer_and_escaped(
    scratch_site: ScratchSite, tmp_path: Path
) -> None:
    """Header and footer links are lists of links whose labels and URLs are escaped."""
    out = tmp_path / "public"
    assert build(branded(scratch_site), out).exit_code == 0
    page = (out / "index.html").read_text()
    assert (
        '<li><a href="https://example.com/?a=1&amp;b=2">Main &lt;site&gt; &amp; co</a></li>' in page
    )
    assert "<site>" not in page
    footer = page[page.index("<footer") :]
    assert '<li><a href="https://example.com/terms">Terms</a></li>' in footer


def test_a_site_without_branding_publishes_no_brand_file(
    scratch_site: ScratchSite, tmp_path: Path
) -> None:
    """No `branding:`: no brand file, no brand markup, the theme's favicon."""
    out = tmp_path / "public"
    assert build(scratch_site({}), out).exit_code == 0
    page = (out / "index.html").read_text()
    assert not (out / "assets/brand").exists()
    assert "brand-logo" not in page and "brand-links" not in page
    assert re.search(r'<link rel="icon" href="/assets/favicon\.[0-9a-f]{10}\.svg"', page)


def test_every_branding_mistake_is_reported_with_line_field_and_reason(
    scratch_site: ScratchSite, tmp_path: Path
) -> None:
    """A bad colour, a path out of the content, a missing file, a folder, a bad URL and an
    empty label are all reported at once, each on its line of site.yml."""
    outside = tmp_path / "secret.css"
    outside.write_text("body{}")
    site_yml = (
        MINIMAL_SITE
        + f"""\
branding:
  logo: {outside}
  favicon: ../secret.css
  color: "#12345"
  stylesheet: branding/link.css
  links:
    - {{label: "", url: https://example.com}}
  footer_links:
    - {{label: Terms, url: "javascript:alert(1)"}}
"""
    )
    content = scratch_site({"site.yml": site_yml})
    (content / "branding").mkdir()
    (content / "branding/link.css").symlink_to(outside)
    found = errors_of(content)
    by_field = {field: (where, message) for where, field, message in found}
    assert by_field["branding.logo"] == ("site.yml:12", f"'{outside}' is not a relative path")
    assert by_field["branding.favicon"] == (
        "site.yml:13",
        "'../secret.css' leads outside the content folder",
    )
    assert by_field["branding.color"][0] == "site.yml:14"
    assert "is not a colour" in by_field["branding.color"][1]
    assert by_field["branding.stylesheet"] == (
        "site.yml:15",
        "'branding/link.css' leads outside the content folder",
    )
    assert by_field["branding.links[1].label"][0] == "site.yml:17"
    assert by_field["branding.footer_links[1].url"][0] == "site.yml:19"
    assert len(found) == 6


@pytest.mark.parametrize(
    ("name", "message"),
    [
        ("branding/none.svg", "file 'branding/none.svg' does not exist"),
        ("branding", "'branding' is not a regular file"),
    ],
)
def test_a_branding_file_must_be_an_existing_regular_file(
    scratch_site: ScratchSite, name: str, message: str
) -> None:
    """A logo that is missing, or a folder, is an error naming the field."""
    content = scratch_site(
        {"site.yml": MINIMAL_SITE + f"branding:\n  logo: {name}\n", "branding/x.css": "a{}"}
    )
    assert errors_of(content) == [("site.yml:12", "branding.logo", message)]


@given(st.from_regex(r"#[0-9a-f]{6}", fullmatch=True))
def test_the_text_colour_on_any_brand_colour_passes_wcag_aa(color: str) -> None:
    """Black or white, whichever is chosen, reaches 4.5:1 on every brand colour."""
    assert contrast(on_color(color), color) >= AA_CONTRAST


def test_text_on_light_brand_colours_is_black_and_on_dark_ones_white() -> None:
    """The three colours the browser tests check get the text colour one would pick by eye."""
    assert on_color("#f5d90a") == "#000000"
    assert on_color("#0b1f3a") == "#ffffff"
    assert on_color("#0b5cad") == "#ffffff"
