"""Markdown → sanitised HTML. Authors are trusted colleagues, but a status page is public:
whatever the Markdown contains, only harmless tags and http(s)/mailto links reach visitors.

Rendering Markdown is the most expensive step of a build (Python-Markdown needs about half a
millisecond per message), so each distinct text is rendered once per build, texts can be
rendered on several cores up front (`prerender`), and results can be kept between builds in
a cache keyed by a hash of the text and of everything that shapes the output (`RENDERER_KEY`).
"""

from __future__ import annotations

import hashlib
import html as html_lib
from collections.abc import Iterable, Mapping

import markdown as markdown_lib
import nh3
from markupsafe import Markup

import statusgen
from statusgen.workers import Pending, fork_map_async

ALLOWED_TAGS = {
    "p", "br", "hr", "a", "strong", "em", "b", "i", "code", "pre", "blockquote",
    "ul", "ol", "li", "h2", "h3", "h4", "h5", "h6", "table", "thead", "tbody", "tr",
    "th", "td", "del", "sup", "sub", "abbr", "dl", "dt", "dd", "kbd",
}
ALLOWED_ATTRIBUTES = {"a": {"href", "title"}, "abbr": {"title"}, "th": {"align"}, "td": {"align"}}
URL_SCHEMES = {"http", "https", "mailto"}
LINK_REL = "noopener noreferrer nofollow"
# Tables, fenced code and lists that behave as people expect; the rest of "extra" (footnotes,
# attribute lists, Markdown inside HTML) costs a third more time and has no use in an update.
EXTENSIONS = ("tables", "fenced_code", "sane_lists")

# Everything that changes the HTML for a given text: a cached entry is valid only under it.
RENDERER_KEY = "|".join(
    [
        statusgen.__version__,
        markdown_lib.__version__,
        getattr(nh3, "__version__", "nh3"),
        ",".join(EXTENSIONS),
        ",".join(sorted(ALLOWED_TAGS)),
        repr(sorted((tag, sorted(attrs)) for tag, attrs in ALLOWED_ATTRIBUTES.items())),
        ",".join(sorted(URL_SCHEMES)),
        LINK_REL,
    ]
)
# Below this many texts, starting worker processes costs more than it saves.
PARALLEL_THRESHOLD = 400


def text_key(text: str) -> str:
    return hashlib.sha256(f"{RENDERER_KEY}\0{text}".encode()).hexdigest()


def _engine() -> markdown_lib.Markdown:
    return markdown_lib.Markdown(extensions=list(EXTENSIONS), output_format="html")


def render_html(engine: markdown_lib.Markdown, text: str) -> str:
    html = engine.reset().convert(text)
    return str(
        nh3.clean(
            html,
            tags=ALLOWED_TAGS,
            attributes=ALLOWED_ATTRIBUTES,
            url_schemes=URL_SCHEMES,
            link_rel=LINK_REL,
        )
    )


def _render_chunk(texts: list[str]) -> list[str]:
    """Worker side of `prerender`: one engine per chunk."""
    engine = _engine()
    return [render_html(engine, text) for text in texts]


class MarkdownRenderer:
    """Renders each distinct text once; `known` holds results of earlier builds (by text_key)."""

    def __init__(self, known: Mapping[str, str] | None = None) -> None:
        self._engine = _engine()
        self._known = dict(known or {})
        self._cache: dict[str, Markup] = {}
        self._keys: dict[str, str] = {}  # text → text_key: a build asks for each key several times

    def _key(self, text: str) -> str:
        key = self._keys.get(text)
        if key is None:
            key = self._keys[text] = text_key(text)
        return key

    def __call__(self, text: str) -> Markup:
        cached = self._cache.get(text)
        if cached is None:
            key = self._key(text)
            html = self._known.get(key)
            if html is None:
                html = self._known[key] = render_html(self._engine, text)
            cached = self._cache[text] = Markup(html)
        return cached

    def inline(self, text: str) -> Markup:
        """One line of Markdown without its paragraph, for list items and titles."""
        html = str(self(text))
        if html.startswith("<p>") and html.endswith("</p>") and html.count("<p>") == 1:
            html = html[3:-4]
        return Markup(html)

    def prerender(self, texts: Iterable[str], workers: int) -> int:
        """Render every text not known yet, on up to `workers` processes; returns how many."""
        return self.prerender_async(texts, workers).get()

    def prerender_async(self, texts: Iterable[str], workers: int) -> Pending[int]:
        """Start rendering the texts not known yet on worker processes and return at once;
        `get()` waits for them, records them and returns how many there were."""
        missing = sorted({t for t in texts if t not in self._cache and self._key(t) not in self._known})
        if workers <= 1 or len(missing) < PARALLEL_THRESHOLD:
            return Pending(lambda: len([self(text) for text in missing]))
        size = -(-len(missing) // (workers * 4))
        chunks = [missing[i : i + size] for i in range(0, len(missing), size)]
        pending = fork_map_async(_render_chunk, chunks, workers)

        def record() -> int:
            for chunk, htmls in zip(chunks, pending.get(), strict=True):
                for text, html in zip(chunk, htmls, strict=True):
                    self._known[self._key(text)] = html
                    self._cache[text] = Markup(html)
            return len(missing)

        return Pending(record, pending.cancel)

    def results(self, texts: Iterable[str]) -> dict[str, str]:
        """The rendered HTML of `texts` by key, for the cache of the next build."""
        return {key: self._known[key] for key in map(self._key, texts) if key in self._known}


def plain_text(html: str) -> str:
    """Text content of sanitised HTML (for feeds' summaries and meta descriptions)."""
    return html_lib.unescape(nh3.clean(html, tags=set())).strip()
