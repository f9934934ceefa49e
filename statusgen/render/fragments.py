"""The small fragments every page repeats, written by the theme's partials, each once.

A status pill, a phase, a severity tag, a time: a page of the example site shows dozens of
them, a history page hundreds. They are templates (`templates/partials/*.html`) so that a
theme can change them like any other markup; each distinct value is rendered once per build
and language and kept, so that pages print ready HTML instead of calling a macro per use
(a Jinja macro call costs about ten times the print of a value).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from jinja2 import Environment, Template
from markupsafe import Markup, escape

from statusgen.render.theme import TEMPLATES, default_theme_dir

PARTIALS = ("time", "icon", "status", "phase", "severity")
# Stand-ins for a time's iso, text and title: letters only, so escaping leaves them as they are.
_MARKERS = ("statusgenTimeIsoMarker", "statusgenTimeTextMarker", "statusgenTimeTitleMarker")
_MARKER = re.compile("|".join(_MARKERS))


@dataclass(frozen=True, slots=True)
class _Time:
    iso: str
    text: str
    title: str


@dataclass(frozen=True, slots=True)
class _Status:
    key: str
    label: str
    icon_html: Markup


@dataclass(frozen=True, slots=True)
class _Severity:
    key: str
    label: str
    meaning: str


class Fragments:
    """Renders the theme's partials on demand, each distinct value once (one per language:
    the environment carries the language's catalogue)."""

    def __init__(self, env: Environment) -> None:
        self._templates: dict[str, Template] = {
            name: env.get_template(f"partials/{name}.html") for name in PARTIALS
        }
        self._memo: dict[tuple[str, Any], Markup] = {}
        self._time_skeleton = self._skeleton("time")

    def _skeleton(self, partial: str) -> str | None:
        """The default theme's own time partial, rendered once with markers for its values.

        A page shows a time per update, so times are the one fragment with thousands of
        distinct values. The default partial prints each value once, escaped, and nothing
        else depends on them: putting a value's escaped text in place of its marker gives
        what rendering would, twenty times faster. A theme's own partial may do anything
        with the values, so it is rendered for each one.
        """
        template = self._templates[partial]
        default = default_theme_dir() / TEMPLATES / "partials" / f"{partial}.html"
        if template.filename is None or Path(template.filename).resolve() != default.resolve():
            return None
        return template.render(t=_Time(*_MARKERS))

    def _render(self, partial: str, value: Any, **context: Any) -> Markup:
        html = self._memo.get((partial, value))
        if html is None:
            html = Markup(self._templates[partial].render(context))
            self._memo[(partial, value)] = html
        return html

    def time(self, iso: str, text: str, title: str) -> Markup:
        if self._time_skeleton is None:
            return self._render("time", (iso, text, title), t=_Time(iso, text, title))
        values = dict(zip(_MARKERS, (iso, text, title), strict=True))
        # One pass: a value is never searched for markers once it is in place.
        return Markup(_MARKER.sub(lambda found: escape(values[found.group()]), self._time_skeleton))

    def icon(self, key: str) -> Markup:
        return self._render("icon", key, key=key)

    def status(self, key: str, label: str) -> Markup:
        return self._render("status", (key, label), s=_Status(key, label, self.icon(key)))

    def phase(self, key: str, label: str) -> Markup:
        return self._render("phase", (key, label), s=_Status(key, label, self.icon(key)))

    def severity(self, key: str, label: str, meaning: str) -> Markup:
        return self._render("severity", (key, label, meaning), s=_Severity(key, label, meaning))
