"""The content folder's `_redirects` keeps old addresses alive: published first, checked
line by line, and limited to what an old address needs."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

from conftest import OPEN_INCIDENT, ScratchSite
from statusgen.build import load_and_validate
from statusgen.cli.main import main
from statusgen.errors import ContentInvalid


def test_rules_are_published_before_statusgens_own(
    scratch_site: ScratchSite, tmp_path: Path
) -> None:
    content = scratch_site(
        {
            **OPEN_INCIDENT,
            "site.yml": (
                "name: Acme\nurl: https://status.example.com\ntimezone: UTC\n"
                "languages: [en, fr]\ncomponents:\n  - {id: api, name: API}\n"
            ),
            "_redirects": (
                "# from the old page\n"
                "/incidents/abc123   /incidents/2026-11-20-api-errors/   301\n"
                "/history.atom  https://status.example.com/atom.xml\n"
                "/incidents/gone  /  410\n"
            ),
        }
    )
    out = tmp_path / "out"
    result = CliRunner().invoke(
        main, ["build", str(content), "--output", str(out), "--now", "2026-11-21T00:00:00Z"]
    )
    assert result.exit_code == 0, result.output
    assert (out / "_redirects").read_text().splitlines() == [
        "/incidents/abc123  /incidents/2026-11-20-api-errors/  301",
        "/history.atom  https://status.example.com/atom.xml  301",
        "/incidents/gone  /  410",
        "/fr/*  /fr/404.html  404",
    ]


@pytest.mark.parametrize(
    ("line", "message"),
    [
        ("/old", "expected 2 or 3 words, got 1"),
        ("old /new", "'old' is not a path on this site"),
        ("/old http://example.com/", "neither a path on this site nor an https:// address"),
        ("/old /new 200", "status '200' is not allowed here"),
        ("/old /new 301 extra", "expected 2 or 3 words, got 4"),
    ],
)
def test_every_bad_rule_names_its_line(scratch_site: ScratchSite, line: str, message: str) -> None:
    content = scratch_site({"_redirects": f"/fine /also-fine\n{line}\n"})
    with pytest.raises(ContentInvalid) as raised:
        load_and_validate(content)
    [error] = raised.value.errors
    assert (str(error.source), message in error.message) == ("_redirects:2", True)
