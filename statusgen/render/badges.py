"""Status badges: flat SVG images for READMEs and dashboards, and shields.io endpoint JSON.

`/badges/status.svg` shows the page-wide status, `/badges/<id>.svg` one component's; the
`.json` twins follow shields.io's endpoint schema (https://shields.io/badges/endpoint-badge),
so `https://img.shields.io/endpoint?url=<site>/badges/api.json` renders the same badge in
any shields style. The SVG is built with ElementTree, which escapes every text and attribute;
`xml_safe` removes what no escaping can carry. Colours are the theme's status colours, each
at least 4.5:1 against the white text (WCAG AA for small text).
"""

from __future__ import annotations

import unicodedata
import xml.etree.ElementTree as ET
from dataclasses import dataclass

from statusgen.derive import Facts
from statusgen.model import ComponentStatus
from statusgen.render.files import FileSink
from statusgen.render.jsontext import json_text
from statusgen.render.views import ViewBuilder
from statusgen.text import xml_safe

STATUS_COLOURS = {
    ComponentStatus.OPERATIONAL: "#1a7f37",
    ComponentStatus.UNDER_MAINTENANCE: "#0969da",
    ComponentStatus.DEGRADED_PERFORMANCE: "#9a6700",
    ComponentStatus.PARTIAL_OUTAGE: "#bc4c00",
    ComponentStatus.MAJOR_OUTAGE: "#cf222e",
}
LABEL_COLOUR = "#555555"
TEXT_COLOUR = "#ffffff"
CACHE_SECONDS = 300  # shields.io's cache for the endpoint; our own files are served max-age=60
MAX_TEXT = 40  # characters shown on the image; the accessible name keeps the full text
HEIGHT = 20
PADDING = 6  # each side of a text
FONT = "Verdana,Geneva,DejaVu Sans,sans-serif"
SVG_NS = "http://www.w3.org/2000/svg"

# Rough advance widths at 11px Verdana: good enough to size a badge without a font file.
_NARROW = set("fijlrtI.,:;'!|()[] ")
_WIDE = set("mwMW@%")


@dataclass(frozen=True, slots=True)
class Badge:
    name: str  # the output file's name without extension: "status" or a component id
    label: str
    message: str
    colour: str  # "#rrggbb"
    accessible: str  # what a screen reader says: "Public API status: Operational"


def char_width(char: str) -> float:
    if unicodedata.east_asian_width(char) in ("W", "F"):  # CJK and most emoji
        return 12.0
    if unicodedata.combining(char) or unicodedata.category(char) in ("Mn", "Me", "Cf"):
        return 0.0
    if char in _NARROW:
        return 4.0
    if char in _WIDE:
        return 10.0
    if char.isupper() or char.isdigit():
        return 7.5
    return 6.5


def text_width(text: str) -> int:
    return round(sum(char_width(c) for c in text))


def shorten(text: str, limit: int = MAX_TEXT) -> str:
    """One line of at most `limit` characters, with an ellipsis when cut."""
    line = " ".join(text.split())
    return line if len(line) <= limit else line[: limit - 1].rstrip() + "…"


def badge_svg(badge: Badge) -> bytes:
    """A flat badge: the label on grey, the message on the status colour."""
    label, message = shorten(xml_safe(badge.label)), shorten(xml_safe(badge.message))
    accessible = xml_safe(badge.accessible)
    left = text_width(label) + 2 * PADDING
    right = text_width(message) + 2 * PADDING
    width = left + right
    svg = ET.Element(
        "svg",
        {
            "xmlns": SVG_NS,
            "width": str(width),
            "height": str(HEIGHT),
            "viewBox": f"0 0 {width} {HEIGHT}",
            "role": "img",
            "aria-label": accessible,
        },
    )
    ET.SubElement(svg, "title").text = accessible
    clip = ET.SubElement(svg, "clipPath", {"id": "r"})
    ET.SubElement(
        clip, "rect", {"width": str(width), "height": str(HEIGHT), "rx": "3", "fill": "#fff"}
    )
    shapes = ET.SubElement(svg, "g", {"clip-path": "url(#r)"})
    ET.SubElement(shapes, "rect", {"width": str(left), "height": str(HEIGHT), "fill": LABEL_COLOUR})
    ET.SubElement(
        shapes,
        "rect",
        {"x": str(left), "width": str(right), "height": str(HEIGHT), "fill": badge.colour},
    )
    texts = ET.SubElement(
        svg,
        "g",
        {
            "aria-hidden": "true",
            "fill": TEXT_COLOUR,
            "text-anchor": "middle",
            "font-family": FONT,
            "font-size": "11",
        },
    )
    ET.SubElement(texts, "text", {"x": f"{left / 2:g}", "y": "14"}).text = label
    ET.SubElement(texts, "text", {"x": f"{left + right / 2:g}", "y": "14"}).text = message
    return ET.tostring(svg, encoding="unicode").encode() + b"\n"


def shields_json(badge: Badge) -> bytes:
    """shields.io's endpoint schema: schemaVersion 1, label, message, color (+ cacheSeconds)."""
    document = {
        "schemaVersion": 1,
        "label": xml_safe(badge.label),
        "message": xml_safe(badge.message),
        "color": badge.colour.lstrip("#"),
        "labelColor": LABEL_COLOUR.lstrip("#"),
        "cacheSeconds": CACHE_SECONDS,
    }
    return json_text(document).encode()


def render_badges(facts: Facts, views: ViewBuilder, files: FileSink) -> None:
    """/badges/status.svg|json for the whole site, /badges/<id>.svg|json per component, with
    their words in the language of `views`."""
    site = facts.content.site
    lang = views.lang
    overall = views.overall_text(facts.overall.description)
    badges = [
        Badge(
            "status",
            lang.gettext("status"),
            overall,
            STATUS_COLOURS[facts.worst_status],
            f"{site.name}: {overall}",
        )
    ]
    for state in facts.components:
        name = state.component.name
        label = views.status(state.status).label
        badges.append(
            Badge(
                state.component.id,
                name,
                label,
                STATUS_COLOURS[state.status],
                lang.gettext("%(component)s status: %(status)s")
                % {"component": name, "status": label},
            )
        )
    # A component with the id "status" would claim the site's badge: SiteFiles refuses it.
    for badge in badges:
        files.add(f"badges/{badge.name}.svg", badge_svg(badge))
        files.add(f"badges/{badge.name}.json", shields_json(badge))
