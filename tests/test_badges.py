"""Status badges: accessible SVG that any XML parser reads, colours readable against their
text, and shields.io endpoint JSON of the documented shape."""

from __future__ import annotations

import json
import xml.etree.ElementTree as ET
from pathlib import Path

import jsonschema
import pytest
from hostile import HOSTILE_CONTENT, HOSTILE_NOW
from lxml import etree
from netlify_headers import headers_for

from conftest import DEMO_NOW, EXAMPLE_CONTENT, ScratchSite
from statusgen.build import BuildOptions, build, load_and_validate
from statusgen.derive import Facts, derive
from statusgen.model import ComponentStatus
from statusgen.render.badges import (
    LABEL_COLOUR,
    STATUS_COLOURS,
    TEXT_COLOUR,
    Badge,
    badge_svg,
    text_width,
)

SVG = "{http://www.w3.org/2000/svg}"

# shields.io's endpoint badge, as documented at https://shields.io/badges/endpoint-badge:
# schemaVersion (always 1), label and message required; the rest optional.
SHIELDS_ENDPOINT_SCHEMA = {
    "type": "object",
    "required": ["schemaVersion", "label", "message"],
    "additionalProperties": False,
    "properties": {
        "schemaVersion": {"const": 1},
        "label": {"type": "string"},
        "message": {"type": "string", "minLength": 1},
        "color": {"type": "string"},
        "labelColor": {"type": "string"},
        "isError": {"type": "boolean"},
        "namedLogo": {"type": "string"},
        "logoSvg": {"type": "string"},
        "logoColor": {"type": "string"},
        "logoWidth": {"type": "integer"},
        "style": {"type": "string"},
        "cacheSeconds": {"type": "integer", "minimum": 0},
    },
}


@pytest.fixture(scope="module")
def example_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("badges") / "public"
    build(BuildOptions(EXAMPLE_CONTENT, out, DEMO_NOW))
    return out


@pytest.fixture(scope="module")
def facts() -> Facts:
    content, _ = load_and_validate(EXAMPLE_CONTENT)
    return derive(content, DEMO_NOW)


def svg(path: Path) -> ET.Element:
    return ET.fromstring(path.read_bytes())


def contrast(foreground: str, background: str) -> float:
    """WCAG 2 contrast ratio of two #rrggbb colours."""

    def luminance(colour: str) -> float:
        channels = [int(colour.lstrip("#")[i : i + 2], 16) / 255 for i in (0, 2, 4)]
        r, g, b = [c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
        return 0.2126 * r + 0.7152 * g + 0.0722 * b

    light, dark = sorted((luminance(foreground), luminance(background)), reverse=True)
    return (light + 0.05) / (dark + 0.05)


def test_there_is_a_badge_for_the_site_and_for_every_component(
    example_site: Path, facts: Facts
) -> None:
    """/badges/status.svg|json and /badges/<id>.svg|json."""
    names = ["status"] + [c.id for c in facts.content.site.components]
    built = sorted(p.name for p in (example_site / "badges").iterdir())
    assert built == sorted(f"{n}.{ext}" for n in names for ext in ("svg", "json"))


def test_badges_are_accessible_images(example_site: Path) -> None:
    """role="img", an aria-label and a <title> that say the status; the drawn text is hidden from screen readers."""
    for path in (example_site / "badges").glob("*.svg"):
        root = svg(path)
        assert root.tag == f"{SVG}svg"
        assert root.get("role") == "img"
        assert root.findtext(f"{SVG}title") == root.get("aria-label")
        assert ": " in root.get("aria-label", "")
        texts = [g for g in root.iter(f"{SVG}g") if g.find(f"{SVG}text") is not None]
        assert [g.get("aria-hidden") for g in texts] == ["true"]


def test_component_badge_shows_its_name_and_current_status(
    example_site: Path, facts: Facts
) -> None:
    """The label is the component's name, the message its status, on that status's colour."""
    for state in facts.components:
        root = svg(example_site / "badges" / f"{state.component.id}.svg")
        texts = [t.text for t in root.iter(f"{SVG}text")]
        assert texts == [state.component.name, state.status.label]
        fills = [r.get("fill") for r in root.iter(f"{SVG}rect")][1:]
        assert fills == [LABEL_COLOUR, STATUS_COLOURS[state.status]]
        assert root.get("aria-label") == f"{state.component.name} status: {state.status.label}"
    api = svg(example_site / "badges" / "api.svg")
    assert [t.text for t in api.iter(f"{SVG}text")] == [
        "Public API",
        "Partial outage",
    ]  # the ongoing incident


def test_site_badge_shows_the_page_wide_status(example_site: Path, facts: Facts) -> None:
    """/badges/status.svg says what the banner of the home page says."""
    root = svg(example_site / "badges" / "status.svg")
    assert [t.text for t in root.iter(f"{SVG}text")] == ["status", facts.overall.description]
    assert root.get("aria-label") == f"Nimbus Cloud: {facts.overall.description}"
    assert facts.overall.description == "Minor Service Outage"


def test_badge_colours_keep_text_readable() -> None:
    """White text reaches WCAG AA (4.5:1) on the label grey and on every status colour."""
    assert set(STATUS_COLOURS) == set(ComponentStatus)
    for colour in [LABEL_COLOUR, *STATUS_COLOURS.values()]:
        assert contrast(TEXT_COLOUR, colour) >= 4.5, colour


def test_badge_width_follows_its_text(example_site: Path) -> None:
    """Each half is as wide as its text plus padding; the whole is the sum of the halves."""
    root = svg(example_site / "badges" / "apps.svg")
    label, message = [int(r.get("width", "0")) for r in root.iter(f"{SVG}rect")][1:]
    assert int(root.get("width", "0")) == label + message
    assert label > message  # "Apps & containers" is longer than "Operational"
    assert text_width("mmmm") > text_width("iiii") > 0
    assert text_width("障害") == 24  # wide characters count double


def test_long_names_are_shortened_on_the_image_but_not_in_the_accessible_name() -> None:
    """A 5,000-character name makes a readable badge, and screen readers still get it whole."""
    name = "Service " + "x" * 4992
    root = ET.fromstring(
        badge_svg(Badge("x", name, "Operational", "#1a7f37", f"{name} status: Operational"))
    )
    label = next(t.text for t in root.iter(f"{SVG}text"))
    assert label is not None and len(label) == 40 and label.endswith("…")
    assert int(root.get("width", "0")) < 400
    assert root.get("aria-label") == f"{name} status: Operational"


def test_shields_endpoint_json_follows_the_documented_schema(
    example_site: Path, facts: Facts
) -> None:
    """schemaVersion 1, label, message and color, cached 300 s: img.shields.io/endpoint renders it."""
    for path in (example_site / "badges").glob("*.json"):
        document = json.loads(path.read_text())
        jsonschema.validate(document, SHIELDS_ENDPOINT_SCHEMA)
        assert document["cacheSeconds"] == 300
    api = json.loads((example_site / "badges" / "api.json").read_text())
    assert (api["label"], api["message"], api["color"]) == (
        "Public API",
        "Partial outage",
        "bc4c00",
    )
    site = json.loads((example_site / "badges" / "status.json").read_text())
    assert (site["label"], site["message"]) == ("status", facts.overall.description)


def test_hostile_names_keep_badges_valid_and_script_free(
    scratch_site: ScratchSite, tmp_path: Path
) -> None:
    """Markup, `]]>`, `&`, emoji, right-to-left text and control characters in a component's name."""
    out = tmp_path / "public"
    build(BuildOptions(scratch_site(HOSTILE_CONTENT), out, HOSTILE_NOW))
    for path in (out / "badges").glob("*.svg"):
        data = path.read_bytes()
        etree.fromstring(data, etree.XMLParser(recover=False))
        assert b"<script" not in data.lower()
        root = svg(path)
        assert root.get("role") == "img" and root.findtext(f"{SVG}title")
    api = svg(out / "badges" / "api.svg")
    assert (
        api.get("aria-label")
        == "API <script>alert('c')</script> ]]> &  🚀 واجهة status: Operational"
    )
    for path in (out / "badges").glob("*.json"):
        document = json.loads(path.read_text(encoding="utf-8"))
        jsonschema.validate(document, SHIELDS_ENDPOINT_SCHEMA)
        assert not any(ord(c) < 32 for c in document["label"] + document["message"])


def test_netlify_lets_any_site_embed_badges(example_site: Path) -> None:
    """CORS for shields.io and dashboards, the right content types, and a one-minute cache."""
    svg_headers, json_headers = headers_for("/badges/api.svg"), headers_for("/badges/status.json")
    assert (
        svg_headers["Access-Control-Allow-Origin"]
        == json_headers["Access-Control-Allow-Origin"]
        == "*"
    )
    assert svg_headers["Content-Type"] == "image/svg+xml"
    assert json_headers["Content-Type"] == "application/json"
    assert svg_headers["Cache-Control"] == json_headers["Cache-Control"] == "public, max-age=60"
    assert "Access-Control-Allow-Origin" not in headers_for("/index.html")


def test_the_endpoint_example_in_the_docs_is_the_built_file(example_site: Path) -> None:
    """docs/outputs.md shows /badges/api.json as the example site builds it (indented
    there for reading: the file is compact), every key in its order."""
    docs = (Path(__file__).resolve().parent.parent / "docs" / "outputs.md").read_text()
    example = docs.split("```json\n", 1)[1].split("```", 1)[0]
    jsonschema.validate(json.loads(example), SHIELDS_ENDPOINT_SCHEMA)
    built = (example_site / "badges" / "api.json").read_text()
    assert list(json.loads(example).items()) == list(json.loads(built).items())
