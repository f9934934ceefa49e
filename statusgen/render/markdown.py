"""Markdown → sanitised HTML. Authors are trusted colleagues, but a status page is public:
whatever the Markdown contains, only harmless tags and http(s)/mailto links reach visitors.

Rendering Markdown is the most expensive step of a build (Python-Markdown needs about half a
millisecond per message), so each distinct text is rendered once per build, texts can be
rendered on several cores up front (`prerender`), and results can be kept between builds in
a cache keyed by a hash of the text and of everything that shapes the output (`RENDERER_KEY`).

The cache is a file in the working folder, so it is not trusted: whatever it holds goes
through the same sanitiser as freshly rendered HTML before it reaches a page (`sanitise` is
idempotent on its own output, so a valid cache changes nothing).
"""

from __future__ import annotations

import hashlib
import html as html_lib
import importlib
import importlib.util
import re
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING

import nh3
from markupsafe import Markup

import statusgen
from statusgen.workers import SERIAL, Pending, Runner, sampled_map_async

if TYPE_CHECKING:  # imported when a text must be rendered: a warm build needs none of it
    import markdown as markdown_lib

ALLOWED_TAGS = {
    "p",
    "br",
    "hr",
    "a",
    "strong",
    "em",
    "b",
    "i",
    "code",
    "pre",
    "blockquote",
    "ul",
    "ol",
    "li",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "table",
    "thead",
    "tbody",
    "tr",
    "th",
    "td",
    "del",
    "sup",
    "sub",
    "abbr",
    "dl",
    "dt",
    "dd",
    "kbd",
}
ALLOWED_ATTRIBUTES = {"a": {"href", "title"}, "abbr": {"title"}, "th": {"align"}, "td": {"align"}}
URL_SCHEMES = {"http", "https", "mailto"}
LINK_REL = "noopener noreferrer nofollow"
# Tables, fenced code and lists that behave as people expect, and bare URLs as links (status
# updates paste them: Statuspage links them); the rest of "extra" (footnotes, attribute lists,
# Markdown inside HTML) costs a third more time and has no use in an update.
# Named by module, and handed to Python-Markdown as objects (`_engine`): given a name, it
# first scans every installed package's entry points, about 50 ms at each start.
EXTENSIONS = (
    "markdown.extensions.tables",
    "markdown.extensions.fenced_code",
    "markdown.extensions.sane_lists",
    "pymdownx.magiclink",
)
# Updates keep their line breaks as written, as Statuspage and chat tools show them (an update
# is a message, often pasted); documents (post-mortems, descriptions) are Markdown as usual,
# where a single newline is a space, so that authors may wrap their lines.
UPDATE_EXTENSIONS = (*EXTENSIONS, "markdown.extensions.nl2br")
EXTENSION_CONFIGS = {
    "pymdownx.magiclink": {"repo_url_shortener": False, "social_url_shortener": False},
}
# Marks a text as an update's message (`update_text`), so that one renderer, its cache and
# its workers handle both kinds: a NUL never reaches a text from content (the loader refuses
# control characters), and the mark is part of the cache key.
UPDATE_MARK = "\x00update\x00"


def _nh3_version() -> str:
    """nh3's version, from the module when it says it (recent releases): reading package
    metadata costs about 30 ms of imports at every start."""
    version = getattr(nh3, "__version__", None)
    if isinstance(version, str):
        return version
    from importlib import metadata

    return metadata.version("nh3")


def _library_fingerprint(package: str) -> str:
    """A hash of an installed library's version file (`<package>/__meta__.py`, as
    Python-Markdown and its pymdown extensions keep it), found without importing the library:
    a build whose every text is in the cache then never imports Python-Markdown and its
    extensions, about 90 ms. Package metadata is the fallback for another layout."""
    spec = importlib.util.find_spec(package)
    for folder in (spec.submodule_search_locations or []) if spec else []:
        meta = Path(folder) / "__meta__.py"
        if meta.is_file():
            return hashlib.sha256(meta.read_bytes()).hexdigest()
    from importlib import metadata

    return metadata.version(package)


# Everything that changes the HTML for a given text: a cached entry is valid only under it.
# The renderer's own source is part of it, so an edited renderer never reuses old output
# even when the package version stays the same (a development checkout).
RENDERER_KEY = "|".join(
    [
        statusgen.__version__,
        hashlib.sha256(Path(__file__).read_bytes()).hexdigest(),
        _library_fingerprint("markdown"),
        _library_fingerprint("pymdownx"),
        _nh3_version(),
        ",".join(UPDATE_EXTENSIONS),
        repr(sorted((name, sorted(config.items())) for name, config in EXTENSION_CONFIGS.items())),
        ",".join(sorted(ALLOWED_TAGS)),
        repr(sorted((tag, sorted(attrs)) for tag, attrs in ALLOWED_ATTRIBUTES.items())),
        ",".join(sorted(URL_SCHEMES)),
        LINK_REL,
    ]
)


def text_key(text: str) -> str:
    return hashlib.sha256(f"{RENDERER_KEY}\0{text}".encode()).hexdigest()


def update_text(body: str) -> str:
    """What to render for an update's message: `body` with its line breaks kept."""
    return UPDATE_MARK + body


@dataclass
class _Engines:
    document: markdown_lib.Markdown
    update: markdown_lib.Markdown

    def render(self, text: str) -> str:
        if text.startswith(UPDATE_MARK):
            return render_html(self.update, text.removeprefix(UPDATE_MARK))
        return render_html(self.document, text)


def _engine(extensions: tuple[str, ...] = EXTENSIONS) -> markdown_lib.Markdown:
    import markdown as markdown_lib

    made = [
        importlib.import_module(name).makeExtension(**EXTENSION_CONFIGS.get(name, {}))
        for name in extensions
    ]
    return markdown_lib.Markdown(extensions=made, output_format="html")


def _make_engines() -> _Engines:
    return _Engines(_engine(), _engine(UPDATE_EXTENSIONS))


def sanitise(html: str) -> str:
    """Only the allowed tags, attributes and URL schemes; links get `rel` (LINK_REL)."""
    return str(
        nh3.clean(
            html,
            tags=ALLOWED_TAGS,
            attributes=ALLOWED_ATTRIBUTES,
            url_schemes=URL_SCHEMES,
            link_rel=LINK_REL,
        )
    )


# Python-Markdown recurses a few frames per level of list or quote: about 250 levels exhaust
# the stack. No update needs more than a handful; deeper text is shown as written instead.
MAX_NESTING = 32
# The list and quote markers opening a line, and the indentation around them (4 columns a level).
_NESTING_PREFIX = re.compile(
    r"^(?:[ \t]*(?:>|[-*+](?=[ \t])|\d{1,9}[.)](?=[ \t])))+[ \t]*", re.MULTILINE
)
_NESTING_MARKER = re.compile(r">|[-*+]|\d{1,9}[.)]")


def nesting_depth(text: str) -> int:
    """An upper bound of the list and quote nesting in `text`: the markers opening a line
    plus one level per 4 columns of indentation, which is how Python-Markdown nests lists."""
    deepest = 0
    for match in _NESTING_PREFIX.finditer(text):
        prefix = match.group().expandtabs(4)
        deepest = max(deepest, len(_NESTING_MARKER.findall(prefix)) + prefix.count(" ") // 4)
    return deepest


def as_plain_text(text: str) -> str:
    """`text` shown as it was written, escaped, one paragraph with its line breaks."""
    return "<p>" + html_lib.escape(text, quote=False).strip().replace("\n", "<br>\n") + "</p>"


def render_html(engine: markdown_lib.Markdown, text: str) -> str:
    """Sanitised HTML of one Markdown text.

    A text nested deeper than MAX_NESTING is shown as plain text, escaped, rather than
    crashing the build; RecursionError is caught too, for a form `nesting_depth` misses."""
    if nesting_depth(text) > MAX_NESTING:
        return sanitise(as_plain_text(text))
    try:
        html = engine.reset().convert(text)
    except RecursionError:
        html = as_plain_text(text)
    return sanitise(html)


class MarkdownRenderer:
    """Renders each distinct text once; `known` holds results of earlier builds (by text_key)."""

    def __init__(self, known: Mapping[str, str] | None = None) -> None:
        self._made: _Engines | None = None  # see `_engines`
        self._stored = dict(known or {})  # from the cache file: sanitised again when used
        self._known: dict[str, str] = {}  # rendered or re-sanitised by this process
        self._cache: dict[str, Markup] = {}
        # A build asks for each text's key several times: hashed once per renderer.
        self._key: Callable[[str], str] = cache(text_key)

    def _engines(self) -> _Engines:
        """Python-Markdown's engines, made (and the library imported) when a text is not
        in the cache: a deploy build that changed nothing renders no Markdown at all."""
        if self._made is None:
            self._made = _make_engines()
        return self._made

    def __call__(self, text: str) -> Markup:
        cached = self._cache.get(text)
        if cached is None:
            key = self._key(text)
            html = self._known.get(key)
            if html is None:
                stored = self._stored.pop(key, None)
                html = self._engines().render(text) if stored is None else sanitise(stored)
                self._known[key] = html
            cached = self._cache[text] = Markup(html)
        return cached

    def update(self, body: str) -> Markup:
        """An update's message: its line breaks kept (`update_text`)."""
        return self(update_text(body))

    def inline(self, text: str) -> Markup:
        """One line of Markdown without its paragraph, for list items and titles."""
        html = str(self(text))
        if html.startswith("<p>") and html.endswith("</p>") and html.count("<p>") == 1:
            html = html[3:-4]
        return Markup(html)

    def prerender(self, texts: Iterable[str], runner: Runner = SERIAL) -> int:
        """Render every text not known yet, on the runner's processes; returns how many."""
        return self.prerender_async(texts, runner).get()

    def prerender_async(self, texts: Iterable[str], runner: Runner = SERIAL) -> Pending[int]:
        """Start rendering the texts not known yet and return once a sample is rendered:
        the rest go to worker processes when there is enough of them, measured by the sample.
        `get()` waits for them, records them and returns how many there were."""
        missing = sorted(
            {
                t
                for t in texts
                if t not in self._cache
                and self._key(t) not in self._known
                and self._key(t) not in self._stored
            }
        )
        # A sample is rendered here now; the rest on workers (forked with this renderer's
        # engines) if the sample says it pays, else here when `get()` is called.
        render = self._engines().render if missing else str
        pending = sampled_map_async(render, missing, runner)

        def record() -> int:
            for text, html in zip(missing, pending.get(), strict=True):
                self._known[self._key(text)] = html
                self._cache[text] = Markup(html)
            return len(missing)

        return Pending(record, pending.cancel)

    def results(self, texts: Iterable[str]) -> dict[str, str]:
        """The rendered HTML of `texts` by key, for the cache of the next build."""
        results: dict[str, str] = {}
        for key in map(self._key, texts):
            if key in self._known:
                results[key] = self._known[key]
            elif key in self._stored:  # kept from the last build but not shown by this one
                results[key] = self._known[key] = sanitise(self._stored.pop(key))
        return results


def plain_text(html: str) -> str:
    """Text content of sanitised HTML (for feeds' summaries and meta descriptions)."""
    return html_lib.unescape(nh3.clean(html, tags=set())).strip()
