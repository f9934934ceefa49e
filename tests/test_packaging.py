"""A plain `pip install .` (a wheel, not the source tree) gives a working statusgen."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from conftest import EXAMPLE_CONTENT, ROOT
from statusgen.render.language import SHIPPED


def test_the_wheel_ships_the_default_theme_and_builds_the_example_site(tmp_path: Path) -> None:
    """Templates and assets travel inside the wheel; nothing is read from the checkout."""
    wheels = tmp_path / "wheels"
    subprocess.run(
        [
            sys.executable,
            "-m",
            "pip",
            "wheel",
            "--quiet",
            "--no-deps",
            "--wheel-dir",
            str(wheels),
            str(ROOT),
        ],
        check=True,
        timeout=300,
    )
    (wheel,) = wheels.glob("statusgen-*.whl")
    target = tmp_path / "installed"
    subprocess.run(
        [
            sys.executable,
            "-m",
            "pip",
            "install",
            "--quiet",
            "--no-deps",
            "--target",
            str(target),
            str(wheel),
        ],
        check=True,
        timeout=300,
    )
    assert (target / "statusgen" / "themes" / "default" / "templates" / "index.html").is_file()
    # `statusgen init` and `statusgen serve` read these at run time.
    assert (target / "statusgen" / "starter" / "netlify.toml").is_file()
    assert (target / "statusgen" / "serve" / "reload.js").is_file()
    # `statusgen init` copies the Netlify plugin that runs `statusgen notify`.
    plugin = Path("netlify", "plugins", "statusgen-notify")
    for name in ("manifest.yml", "index.js"):
        shipped = target / "statusgen" / "starter" / plugin / name
        assert shipped.read_bytes() == (ROOT / plugin / name).read_bytes()
    # The compiled interface catalogues: a French page needs no source checkout.
    for tag in ("fr", "de", "es", "nl", "ja", "ar"):
        assert (target / "statusgen" / "locale" / tag / "LC_MESSAGES" / "statusgen.mo").is_file()
    # The default theme's templates, compiled by the package build for every language.
    templates = list((ROOT / "themes" / "default" / "templates").rglob("*.*"))
    precompiled = list((target / "statusgen" / "_precompiled").glob("t_*.py"))
    assert len(precompiled) == len(templates) * len(SHIPPED)
    env = {**os.environ, "PYTHONPATH": str(target)}
    where = subprocess.run(
        [sys.executable, "-c", "import statusgen; print(statusgen.__file__)"],
        env=env,
        cwd=tmp_path,
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    assert where.startswith(str(target)), where
    out = tmp_path / "public"
    run = subprocess.run(
        [
            sys.executable,
            "-m",
            "statusgen",
            "build",
            str(EXAMPLE_CONTENT),
            "--output",
            str(out),
            "--now",
            "2026-11-23T13:30:00Z",
        ],
        env=env,
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert run.returncode == 0, run.stderr
    assert (out / "index.html").read_text().count("Nimbus Cloud") >= 1
    assert list((out / "assets").glob("style.*.css"))
