"""Markdown → sanitised HTML. Authors are trusted colleagues, but a status page is public:
whatever the Markdown contains, only harmless tags and http(s)/mailto links reach visitors."""

from __future__ import annotations

import hashlib
import html as html_lib

import markdown as markdown_lib
import nh3
from markupsafe import Markup

ALLOWED_TAGS = {
    "p", "br", "hr", "a", "strong", "em", "b", "i", "code", "pre", "blockquote",
    "ul", "ol", "li", "h2", "h3", "h4", "h5", "h6", "table", "thead", "tbody", "tr",
    "th", "td", "del", "sup", "sub", "abbr", "dl", "dt", "dd", "kbd",
}
ALLOWED_ATTRIBUTES = {"a": {"href", "title"}, "abbr": {"title"}, "th": {"align"}, "td": {"align"}}
URL_SCHEMES = {"http", "https", "mailto"}
EXTENSIONS = ("extra", "sane_lists")


class MarkdownRenderer:
    """Renders each distinct text once per build; keyed by a hash of the text."""

    def __init__(self) -> None:
        self._engine = markdown_lib.Markdown(extensions=list(EXTENSIONS), output_format="html")
        self._cache: dict[str, Markup] = {}

    def __call__(self, text: str) -> Markup:
        key = hashlib.sha256(text.encode()).hexdigest()
        cached = self._cache.get(key)
        if cached is None:
            html = self._engine.reset().convert(text)
            clean = nh3.clean(
                html,
                tags=ALLOWED_TAGS,
                attributes=ALLOWED_ATTRIBUTES,
                url_schemes=URL_SCHEMES,
                link_rel="noopener noreferrer nofollow",
            )
            cached = self._cache[key] = Markup(clean)
        return cached

    def inline(self, text: str) -> Markup:
        """One line of Markdown without its paragraph, for list items and titles."""
        html = str(self(text))
        if html.startswith("<p>") and html.endswith("</p>") and html.count("<p>") == 1:
            html = html[3:-4]
        return Markup(html)


def plain_text(html: str) -> str:
    """Text content of sanitised HTML (for feeds' summaries and meta descriptions)."""
    return html_lib.unescape(nh3.clean(html, tags=set())).strip()
