"""Photograph the example site in light mode, dark mode and on a phone, in English and in
French, Japanese and Arabic (run by scripts/screenshots).

The site is built at the README's pinned "now" and the browser's clock is frozen at the same
moment in Europe/Paris, so the pictures show what the README describes (an ongoing incident,
its next update still promised) whatever the day they are taken.
"""

from __future__ import annotations

import subprocess
import sys
import tempfile
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests"))

from served import serve  # noqa: E402

from conftest import (  # noqa: E402
    CHROMIUM,
    CHROMIUM_ARGS,
    DEMO_NOW,
    EXAMPLE_CONTENT,
    example_speaking,
)

PAGES = {
    "home": "/",
    "incident": "/incidents/2026-10-19-power-loss-in-zone-par1/",
    "security": "/incidents/2026-10-06-api-tokens-exposed-in-build-logs/",
    "ongoing": "/incidents/2026-11-23-elevated-api-error-rates-in-par1/",
    "component": "/components/db-mysql/",
}
# name: (browser context options, height of the picture in CSS pixels)
MODES = {
    "light": ({"viewport": {"width": 1024, "height": 800}, "color_scheme": "light"}, 1900),
    "dark": ({"viewport": {"width": 1024, "height": 800}, "color_scheme": "dark"}, 1900),
    "phone": (
        {
            "viewport": {"width": 360, "height": 740},
            "device_scale_factor": 2,
            "is_mobile": True,
            "has_touch": True,
        },
        1300,
    ),
}


# The same site in other languages: French, Japanese and Arabic (right to left).
LANGUAGES = ("fr", "ja", "ar")
TRANSLATED_PAGES = ("home", "ongoing", "incident")


def build(content: Path, public: Path) -> None:
    now = DEMO_NOW.isoformat().replace("+00:00", "Z")
    command = [sys.executable, "-m", "statusgen", "build", str(content), "--output", str(public)]
    subprocess.run([*command, "--now", now, "--quiet"], check=True)


def photograph(browser: Any, public: Path, pages: dict[str, str], suffix: str, out: Path) -> None:
    with serve(public) as site:
        for mode, (options, height) in MODES.items():
            context = browser.new_context(timezone_id="Europe/Paris", **options)
            context.clock.set_fixed_time(DEMO_NOW)
            page = context.new_page()
            for name, path in pages.items():
                page.goto(site.url(path))
                width = options["viewport"]["width"]  # type: ignore[index]
                full = page.evaluate("document.documentElement.scrollHeight")
                target = out / f"{name}{suffix}-{mode}.png"
                page.screenshot(
                    path=str(target),
                    full_page=True,
                    clip={"x": 0, "y": 0, "width": width, "height": min(full, height)},
                )
                shown = target.relative_to(ROOT) if target.is_relative_to(ROOT) else target
                print(f"{shown}  {target.stat().st_size // 1024} KB")
            context.close()


def main(out: Path) -> None:
    from playwright.sync_api import sync_playwright

    if not CHROMIUM.is_file():
        sys.exit("Chromium is missing: run bash scripts/install-test-tools")
    out.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as tmp, sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        public = Path(tmp) / "public"
        build(EXAMPLE_CONTENT, public)
        photograph(browser, public, PAGES, "", out)
        for tag in LANGUAGES:
            public = Path(tmp) / f"public-{tag}"
            build(example_speaking(Path(tmp) / tag, f"language: {tag}"), public)
            pages = {name: PAGES[name] for name in TRANSLATED_PAGES}
            photograph(browser, public, pages, f"-{tag}", out)
        browser.close()


if __name__ == "__main__":
    main(Path(sys.argv[1]).resolve() if len(sys.argv) > 1 else ROOT / "docs" / "screenshots")
