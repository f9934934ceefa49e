"""Photograph the example site in light mode, dark mode and on a phone (run by scripts/screenshots).

The site is built at the README's pinned "now" and the browser's clock is frozen at the same
moment in Europe/Paris, so the pictures show what the README describes (an ongoing incident,
its next update still promised) whatever the day they are taken.
"""

from __future__ import annotations

import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests"))

from served import serve  # noqa: E402

from conftest import CHROMIUM, CHROMIUM_ARGS, DEMO_NOW, EXAMPLE_CONTENT  # noqa: E402

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


def main(out: Path) -> None:
    from playwright.sync_api import sync_playwright

    if not CHROMIUM.is_file():
        sys.exit("Chromium is missing: run bash scripts/install-test-tools")
    out.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as tmp:
        public = Path(tmp) / "public"
        now = DEMO_NOW.isoformat().replace("+00:00", "Z")
        subprocess.run(
            [
                sys.executable,
                "-m",
                "statusgen",
                "build",
                str(EXAMPLE_CONTENT),
                "--output",
                str(public),
                "--now",
                now,
                "--quiet",
            ],
            check=True,
        )
        with serve(public) as site, sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
            for mode, (options, height) in MODES.items():
                context = browser.new_context(timezone_id="Europe/Paris", **options)
                context.clock.set_fixed_time(DEMO_NOW)
                page = context.new_page()
                for name, path in PAGES.items():
                    page.goto(site.url(path))
                    width = options["viewport"]["width"]  # type: ignore[index]
                    full = page.evaluate("document.documentElement.scrollHeight")
                    target = out / f"{name}-{mode}.png"
                    page.screenshot(
                        path=str(target),
                        full_page=True,
                        clip={"x": 0, "y": 0, "width": width, "height": min(full, height)},
                    )
                    print(
                        f"{target.relative_to(ROOT) if target.is_relative_to(ROOT) else target}  {target.stat().st_size // 1024} KB"
                    )
                context.close()
            browser.close()


if __name__ == "__main__":
    main(Path(sys.argv[1]).resolve() if len(sys.argv) > 1 else ROOT / "docs" / "screenshots")
