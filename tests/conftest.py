"""Fixtures that build on each other: scratch content folder → loaded site → built output."""

from __future__ import annotations

import os
import shutil
import textwrap
from collections.abc import Callable, Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
EXAMPLE_CONTENT = ROOT / "content"
# The example site's pinned "now" (README's build command uses the same).
DEMO_NOW = datetime(2026, 11, 23, 13, 30, tzinfo=UTC)

MINIMAL_SITE = """\
name: Acme Cloud
url: https://status.example.com
timezone: Europe/Paris
components:
  - id: api
    name: Public API
    group: Platform
  - id: dashboard
    name: Dashboard
    group: Platform
"""

OPEN_INCIDENT = {
    "incidents/2026-11-20-api-errors/incident.md": """\
        ---
        title: Elevated error rates on the API
        severity: major
        ---
        """,
    "incidents/2026-11-20-api-errors/01.md": """\
        ---
        at: 2026-11-20T14:02:00+01:00
        status: investigating
        components:
          api: partial_outage
        ---
        We are investigating errors on the API.
        """,
}

ScratchSite = Callable[[dict[str, str | bytes]], Path]


@pytest.fixture(autouse=True, scope="session")
def user_cache_home(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    """The user's cache folder (where the template-signing key lives) is a temporary one, for
    this process and the commands it starts: tests never write into the real home."""
    home = tmp_path_factory.mktemp("user-cache")
    previous = os.environ.get("XDG_CACHE_HOME")
    os.environ["XDG_CACHE_HOME"] = str(home)
    yield home
    if previous is None:
        del os.environ["XDG_CACHE_HOME"]
    else:
        os.environ["XDG_CACHE_HOME"] = previous


@pytest.fixture(autouse=True)
def working_folder(
    tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch
) -> Path:
    """Each test runs in an empty folder of its own, next to (not inside) its tmp_path: what a
    command writes relative to the working folder (`statusgen build`'s default
    `.statusgen-cache`) never lands in the checkout, nor among the files a test counts."""
    folder = tmp_path_factory.mktemp("cwd")
    monkeypatch.chdir(folder)
    return folder


def example_speaking(folder: Path, languages: str) -> Path:
    """A copy of the example content in `folder`/content whose site.yml has `languages`
    ('language: fr', 'languages: [en, fr]') in place of its `language: en`."""
    content = folder / "content"
    shutil.copytree(EXAMPLE_CONTENT, content)
    site = content / "site.yml"
    site.write_text(site.read_text().replace("language: en\n", f"{languages}\n", 1))
    return content


def checkout_environment(**extra: str) -> dict[str, str]:
    """This process's environment for a `python -m statusgen` subprocess, with the checkout
    first on PYTHONPATH: the child runs the code under test, whichever statusgen is installed."""
    paths = [str(ROOT), *filter(None, [os.environ.get("PYTHONPATH")])]
    return {**os.environ, "PYTHONPATH": os.pathsep.join(paths), **extra}


@pytest.fixture
def scratch_site(tmp_path: Path) -> ScratchSite:
    """Write a content folder from {relative path: text}; text is dedented.

    site.yml defaults to MINIMAL_SITE unless the dict gives one (or None to omit it).
    """

    def make(files: dict[str, str | bytes]) -> Path:
        root = tmp_path / "content"
        root.mkdir(exist_ok=True)
        all_files: dict[str, str | bytes | None] = {"site.yml": MINIMAL_SITE}
        all_files.update(files)
        for rel, text in all_files.items():
            if text is None:
                continue
            path = root / rel
            path.parent.mkdir(parents=True, exist_ok=True)
            if isinstance(text, bytes):
                path.write_bytes(text)
            else:
                path.write_text(textwrap.dedent(text), encoding="utf-8")
        return root

    return make


# ---- a real browser ---------------------------------------------------------------------

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",  # tests run as root in CI
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    # This machine has no network but loopback: background services would only fail.
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


@pytest.fixture(scope="session")
def chromium():  # type: ignore[no-untyped-def]
    """Debian's Chromium driven by Playwright (installed by scripts/install-test-tools)."""
    from playwright.sync_api import sync_playwright

    if not CHROMIUM.is_file():
        pytest.fail("Chromium is missing: run bash scripts/install-test-tools")
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        try:
            yield browser
        finally:
            browser.close()
