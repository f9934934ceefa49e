"""Themes: a folder with templates/ and static/. The default one ships inside the package."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from pathlib import Path

import statusgen

TEMPLATES = "templates"
STATIC = "static"


def default_theme_dir() -> Path:
    """Installed wheels carry the theme inside the package; a source checkout has it at the top."""
    package = Path(statusgen.__file__).parent
    for candidate in (package / "themes" / "default", package.parent / "themes" / "default"):
        if (candidate / TEMPLATES).is_dir():
            return candidate
    raise FileNotFoundError("the default theme is missing from this installation of statusgen")


@dataclass(frozen=True, slots=True)
class Asset:
    name: str  # as templates ask for it: 'style.css'
    path: str  # where it is published, with a content hash: 'assets/style.3f2a1b9c.css'
    data: bytes


def theme_assets(theme_dir: Path) -> tuple[Asset, ...]:
    """Static files renamed by content hash, so they can be cached for a year."""
    static = theme_dir / STATIC
    if not static.is_dir():
        return ()
    assets = []
    for path in sorted(p for p in static.rglob("*") if p.is_file()):
        data = path.read_bytes()
        rel = path.relative_to(static).as_posix()
        digest = hashlib.sha256(data).hexdigest()[:10]
        stem, _, ext = rel.rpartition(".")
        hashed = f"assets/{stem}.{digest}.{ext}" if stem else f"assets/{rel}.{digest}"
        assets.append(Asset(rel, hashed, data))
    return tuple(assets)
