"""The site's branding on the theme: its files published by content hash, and the brand
colour with a text colour that passes WCAG AA on it.

The Content-Security-Policy allows no inline style (`style-src 'self'`), so the colour goes
into a small generated stylesheet, loaded after the theme's and before the owner's own.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from pathlib import PurePosixPath

from statusgen.model import BrandFile, Branding, BrandLink
from statusgen.render.theme import Asset, hashed_path

# WCAG 2.x level AA for normal text.
AA_CONTRAST = 4.5
BLACK, WHITE = "#000000", "#ffffff"


def _channel(value: int) -> float:
    c = value / 255
    return c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4


def luminance(color: str) -> float:
    """WCAG relative luminance of '#rrggbb': 0 for black, 1 for white."""
    r, g, b = (int(color[i : i + 2], 16) for i in (1, 3, 5))
    return 0.2126 * _channel(r) + 0.7152 * _channel(g) + 0.0722 * _channel(b)


def contrast(first: str, second: str) -> float:
    """WCAG contrast ratio of two '#rrggbb' colours, from 1 (same) to 21 (black on white)."""
    light, dark = sorted((luminance(first), luminance(second)), reverse=True)
    return (light + 0.05) / (dark + 0.05)


@cache
def on_color(background: str) -> str:
    """Black or white, whichever contrasts more with `background`. One of the two always
    reaches 4.5:1 (the worst case, a background of luminance ≈ 0.18, gives 4.58:1)."""
    return BLACK if contrast(BLACK, background) >= contrast(WHITE, background) else WHITE


@dataclass(frozen=True, slots=True)
class BrandView:
    """What the templates use: published URLs, and the links as they were written."""

    logo: str | None
    favicon: str | None
    css: str  # the generated stylesheet: colour and the layout of logo and links
    stylesheet: str | None
    links: tuple[BrandLink, ...]
    footer_links: tuple[BrandLink, ...]


# Layout of what the branding adds; the colour rules come first when there is a colour.
_LAYOUT = """.brand-logo { display: block; height: 2.25rem; width: auto; max-width: 14rem; }
.brand-links ul, .footer-links ul { list-style: none; display: flex; flex-wrap: wrap; gap: .35rem 1.25rem; margin: 0; padding: 0; }
.brand-links a { color: inherit; font-weight: 500; }
"""
_COLOURED = """:root {{ --brand: {brand}; --on-brand: {on_brand}; }}
.masthead {{ background: var(--brand); border-bottom-color: var(--brand); color: var(--on-brand); }}
.masthead .brand, .masthead nav a, .masthead nav a[aria-current="page"], .masthead nav a:hover {{ color: var(--on-brand); }}
.masthead a:focus-visible {{ outline-color: var(--on-brand); }}
"""


def brand_css(branding: Branding) -> str:
    """The generated stylesheet: the brand colour as custom properties used by the masthead."""
    if branding.color is None:
        return _LAYOUT
    return _COLOURED.format(brand=branding.color, on_brand=on_color(branding.color)) + _LAYOUT


def _asset(kind: str, brand_file: BrandFile) -> Asset:
    """Published under assets/brand/ by its own name and content hash."""
    return Asset(
        kind,
        hashed_path(f"brand/{PurePosixPath(brand_file.name).name}", brand_file.data),
        brand_file.data,
    )


def brand_assets(branding: Branding | None) -> tuple[Asset, ...]:
    """The branding's files and the generated stylesheet; one file each (a logo that is also
    the favicon is published once). Named 'brand:…' so no theme file can shadow them."""
    if branding is None:
        return ()
    css = brand_css(branding).encode()
    found = [Asset("brand:css", hashed_path("brand/brand.css", css), css)]
    for kind, brand_file in (
        ("brand:logo", branding.logo),
        ("brand:favicon", branding.favicon),
        ("brand:stylesheet", branding.stylesheet),
    ):
        if brand_file is not None:
            found.append(_asset(kind, brand_file))
    return tuple(found)


def brand_view(branding: Branding | None, assets: tuple[Asset, ...]) -> BrandView | None:
    """The branding as the templates see it; None without `branding:` (pages unchanged)."""
    if branding is None:
        return None
    urls = {asset.name: "/" + asset.path for asset in assets}
    return BrandView(
        logo=urls.get("brand:logo"),
        favicon=urls.get("brand:favicon"),
        css=urls["brand:css"],
        stylesheet=urls.get("brand:stylesheet"),
        links=branding.links,
        footer_links=branding.footer_links,
    )
