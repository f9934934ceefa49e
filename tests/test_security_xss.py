"""Cross-site scripting: a site whose every text field and message is an XSS payload builds
into pages, feeds, badges and API files in which no payload can run.

Three views of the same hostile build (tests/hostile.py, XSS_CONTENT): html5lib's parse of
every page (what a browser's parser builds), the feeds, badges and JSON as their consumers read
them, and Chromium itself loading every page type with a canary that any executed payload sets.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from pathlib import Path
from xml.etree.ElementTree import Element

import feedparser
import html5lib
import pytest
from hostile import CANARY, TEMPLATE_INJECTION, XSS_CONTENT, XSS_NOW, XSS_PAYLOADS, XSS_TEXT
from lxml import etree
from served import serve

from conftest import ScratchSite
from statusgen.build import BuildOptions, build
from statusgen.errors import ContentInvalid

# The site's own script, content-hashed: the only <script> a page may have.
OWN_SCRIPT = re.compile(r"^/assets/status\.[0-9a-f]+\.js$")
URL_ATTRIBUTES = {
    "href",
    "src",
    "action",
    "formaction",
    "data",
    "poster",
    "background",
    "cite",
    "xlink:href",
    "srcset",
    "ping",
}
BAD_SCHEMES = ("javascript:", "data:", "vbscript:")
FORBIDDEN_ELEMENTS = {
    "iframe",
    "frame",
    "frameset",
    "object",
    "embed",
    "applet",
    "base",
    "form",
    "style",
    "foreignobject",
    "animate",
    "set",
}
SVG = "{http://www.w3.org/2000/svg}"
INCIDENT = "incidents/2026-11-20-xss"


@pytest.fixture(scope="module")
def xss_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("xss")
    content = root / "content"
    for rel, text in XSS_CONTENT.items():
        path = content / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8") if isinstance(text, str) else path.write_bytes(text)
    build(BuildOptions(content, root / "public", XSS_NOW))
    return root / "public"


def pages(site: Path) -> list[Path]:
    return sorted(site.rglob("*.html"))


def local_name(tag: str) -> str:
    return tag.rsplit("}", 1)[-1].lower()


def scheme_of(url: str) -> str:
    """The scheme a browser sees: it drops ASCII whitespace and control characters first."""
    return re.sub(r"[\x00-\x20]", "", url).lower()


def unsafe_markup(root: Element) -> Iterator[str]:
    """Every element or attribute of a parsed document through which script could run."""
    for element in root.iter():
        if not isinstance(element.tag, str):
            continue  # comments
        name = local_name(element.tag)
        if name in FORBIDDEN_ELEMENTS:
            yield f"<{name}> element"
        if name == "meta" and (element.get("http-equiv") or "").lower() == "refresh":
            yield "<meta http-equiv=refresh>"
        if name == "script":
            src = element.get("src") or ""
            if element.tag != "script" or not OWN_SCRIPT.match(src) or (element.text or "").strip():
                yield f"<script src={src!r}> {(element.text or '')[:40]!r}"
        for attribute, value in element.attrib.items():
            attr = local_name(attribute)
            if attr.startswith("on"):
                yield f"{attr}= on <{name}>"
            if attr == "style":
                yield f"style= on <{name}>"
            qualified = (
                "xlink:href" if attribute.endswith("}href") and "xlink" in attribute else attr
            )
            if qualified in URL_ATTRIBUTES and scheme_of(value).startswith(BAD_SCHEMES):
                yield f"{qualified}={value[:40]!r} on <{name}>"


def parse_html(data: bytes | str) -> Element:
    return html5lib.parse(data, namespaceHTMLElements=False)


def text_of(root: Element) -> str:
    return " ".join("".join(root.itertext()).split())


# ---- (a) pages, as an HTML parser reads them ---------------------------------------------


def test_the_hostile_site_has_every_page_type(xss_site: Path) -> None:
    """Home, history, incidents, maintenance, components, support, reliability and 404 are all built."""
    names = {p.relative_to(xss_site).as_posix() for p in pages(xss_site)}
    assert {
        "index.html",
        "404.html",
        "history/index.html",
        "support/index.html",
        "reliability/index.html",
        f"{INCIDENT}/index.html",
        "incidents/2026-11-23-xss-ongoing/index.html",
        "maintenance/2026-11-30-xss/index.html",
        "components/api/index.html",
        "components/db/index.html",
    } <= names


def test_no_page_has_a_script_handler_frame_or_dangerous_url(xss_site: Path) -> None:
    """html5lib finds no on* attribute, no foreign <script>, no javascript:/data:/vbscript: URL and
    no iframe, object, embed, base, form, style or SVG animation on any page."""
    problems = {}
    for page in pages(xss_site):
        found = list(unsafe_markup(parse_html(page.read_bytes())))
        if found:
            problems[page.relative_to(xss_site).as_posix()] = found
    assert problems == {}


def test_every_page_loads_exactly_the_sites_own_script(xss_site: Path) -> None:
    """One <script src=/assets/status.<hash>.js>, with no inline code, per page."""
    for page in pages(xss_site):
        scripts = [e for e in parse_html(page.read_bytes()).iter("script")]
        assert len(scripts) == 1 and OWN_SCRIPT.match(scripts[0].get("src", "")), page


def test_payloads_in_text_fields_are_shown_as_text(xss_site: Path) -> None:
    """Titles, names and descriptions are escaped, not dropped: readers see exactly what was written."""
    incident = parse_html((xss_site / INCIDENT / "index.html").read_bytes())
    assert f"Outage {XSS_TEXT}" in text_of(incident)
    title = incident.find(".//title")
    assert title is not None and XSS_PAYLOADS[2] in (title.text or "")
    support = text_of(parse_html((xss_site / "support" / "index.html").read_bytes()))
    assert "javascript:window.__xss=1" in support  # a contact that is no URL is plain text


def test_template_syntax_in_content_is_never_evaluated(xss_site: Path) -> None:
    """`{{7*7}}` in a title stays `{{7*7}}`: content is data, never a template."""
    home = text_of(parse_html((xss_site / "index.html").read_bytes()))
    assert f"{TEMPLATE_INJECTION} " in home
    assert "${7*7} {% raw %}#{7*7}" in home


def test_markdown_links_keep_only_http_https_and_mailto(xss_site: Path) -> None:
    """Markdown links, reference links, autolinks and images with script URLs lose the URL or the element."""
    root = parse_html((xss_site / INCIDENT / "index.html").read_bytes())
    links = {"".join(a.itertext()): a.get("href") for a in root.iter("a")}
    for text in ("md link", "md data", "md ref"):
        assert text in links and links[text] in (None, "https://example.com"), (
            text,
            links.get(text),
        )
    hrefs = [h for h in links.values() if h is not None]
    assert all(h.startswith(("/", "#", "https://", "mailto:")) for h in hrefs), hrefs
    assert not list(root.iter("img"))


def test_hostile_slugs_are_refused(scratch_site: ScratchSite) -> None:
    """A folder name is a URL: markup, quotes, spaces or dots in it are refused, never escaped into a page."""
    update = "---\nat: 2026-11-20T14:02:00+01:00\nstatus: investigating\n---\nx\n"
    names = [
        'x"><svg onload=alert(1)>',
        "<script>",
        "javascript:alert(1)",
        "a b",
        "x..y",
        "A-Upper",
        "x.y",
        "{{7*7}}",
    ]
    files: dict[str, str | bytes] = {}
    for name in names:
        files[f"incidents/{name}/incident.md"] = "---\ntitle: t\nseverity: minor\n---\n"
        files[f"incidents/{name}/01.md"] = update
        files[f"maintenance/m{name}/maintenance.md"] = (
            "---\ntitle: t\nscheduled_for: 2026-11-30T02:00:00+01:00\nscheduled_until: 2026-11-30T03:00:00+01:00\ncomponents: [api]\n---\n"
        )
    root = scratch_site(files)
    with pytest.raises(ContentInvalid) as caught:
        build(BuildOptions(root, root.parent / "public", XSS_NOW))
    refused = {e.source.path for e in caught.value.errors if "is not a valid slug" in e.message}
    assert refused == {f"incidents/{n}" for n in names} | {f"maintenance/m{n}" for n in names}
    assert not (root.parent / "public").exists()


# ---- (b) feeds, badges and the API, as their consumers read them ---------------------------


def feed_files(site: Path) -> list[Path]:
    return sorted([*site.rglob("rss.xml"), *site.rglob("atom.xml")])


def test_feed_entries_carry_no_script_once_a_reader_renders_them(xss_site: Path) -> None:
    """feedparser (with its own sanitiser off) reads each entry's HTML; html5lib finds nothing that can run."""
    for path in feed_files(xss_site):
        parsed = feedparser.parse(path.read_bytes(), sanitize_html=False)
        assert not parsed.bozo, f"{path}: {parsed.get('bozo_exception')}"
        assert parsed.entries or "components/" in path.as_posix()
        for entry in parsed.entries:
            html = entry.content[0].value if "content" in entry else entry.summary
            assert list(unsafe_markup(parse_html(html))) == [], (path, entry.id)
            assert "__xss" in entry.title  # titles are text: the payload is there, inert
        raw = path.read_bytes()
        etree.fromstring(raw, etree.XMLParser(recover=False, resolve_entities=False))
        assert b"<script" not in raw.lower()


def test_badges_are_svg_without_script_or_handlers(xss_site: Path) -> None:
    """Each badge parses as strict XML with no <script>, no foreignObject, no on* attribute and no script URL."""
    badges = sorted((xss_site / "badges").glob("*.svg"))
    assert len(badges) == 3  # status, api, db
    for path in badges:
        root = etree.fromstring(
            path.read_bytes(),
            etree.XMLParser(recover=False, resolve_entities=False, no_network=True),
        )
        assert root.tag == f"{SVG}svg"
        for element in root.iter():
            assert local_name(str(element.tag)) not in {
                "script",
                "foreignobject",
                "iframe",
                "animate",
                "set",
                "a",
            }, path
            for attribute, value in element.attrib.items():
                assert not local_name(attribute).startswith("on"), (path, attribute)
                assert not scheme_of(value).startswith(BAD_SCHEMES), (path, attribute)
    api_badge = (xss_site / "badges" / "api.svg").read_text()
    assert "&lt;script&gt;" in api_badge or "&lt;" in api_badge  # the name is escaped text


def strings_in(value: object) -> Iterator[str]:
    if isinstance(value, str):
        yield value
    elif isinstance(value, dict):
        for key, item in value.items():
            yield key
            yield from strings_in(item)
    elif isinstance(value, list):
        for item in value:
            yield from strings_in(item)


def test_api_files_hold_the_payloads_only_as_json_strings(xss_site: Path) -> None:
    """Every JSON file parses; the payloads are string values equal to what was written, never markup
    the API added; and the files are plain JSON (no JSONP callback), served as application/json."""
    json_files = sorted(xss_site.rglob("*.json"))
    seen_payload = False
    for path in json_files:
        raw = path.read_text(encoding="utf-8")
        assert raw.lstrip()[:1] in "{[", path  # not `callback({...})`
        document = json.loads(raw)
        strings = list(strings_in(document))
        seen_payload |= any(CANARY in s for s in strings)
        # Outside string values the file has only JSON's punctuation, numbers and literals.
        skeleton = re.sub(r'"(?:[^"\\]|\\.)*"', '""', raw)
        assert re.fullmatch(r'[\s{}\[\],:""0-9.eE+\-truefalsn]*', skeleton), path
    assert seen_payload
    summary = json.loads((xss_site / "api" / "v2" / "summary.json").read_text())
    names = {c["name"] for c in summary["components"]}
    assert f"API {XSS_TEXT}" in names
    assert summary["page"]["name"] == f"Acme {XSS_TEXT}"


# ---- (c) the real browser ------------------------------------------------------------------

BROWSER_PATHS = [
    "/",
    "/history/",
    "/support/",
    "/reliability/",
    f"/{INCIDENT}/",
    "/incidents/2026-11-23-xss-ongoing/",
    "/maintenance/2026-11-30-xss/",
    "/components/api/",
    "/components/db/",
    "/no-such-page/",
    "/badges/api.svg",
    "/badges/status.svg",
]


# What a visitor's pointer and keyboard would do to each element: any inline handler would fire.
POKE_EVERY_ELEMENT = """() => {
  for (const element of document.querySelectorAll("*")) {
    for (const type of ["mouseover", "mouseenter", "focus", "focusin", "animationstart", "toggle"]) {
      element.dispatchEvent(new Event(type, {bubbles: true}));
    }
  }
}"""


@pytest.mark.slow
def test_no_payload_runs_in_chromium_on_any_page_type(xss_site: Path, chromium) -> None:  # type: ignore[no-untyped-def]
    """Chromium loads every page type and the badges, and every element gets pointer and focus
    events: no dialog opens, the canary stays unset, and no script error is logged."""
    dialogs: list[str] = []
    errors: list[str] = []
    context = chromium.new_context()
    # Set before any page script runs: a payload that ran would change it.
    context.add_init_script("window.__xss = 0;")
    try:
        page = context.new_page()
        page.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))
        page.on("pageerror", lambda error: errors.append(f"pageerror: {error}"))
        page.on(
            "console",
            lambda message: (
                errors.append(f"{page.url}: {message.text}") if message.type == "error" else None
            ),
        )
        with serve(xss_site) as served:
            for path in BROWSER_PATHS:
                response = page.goto(served.url(path), wait_until="load")
                assert response is not None and response.status == (
                    404 if path == "/no-such-page/" else 200
                ), path
                page.evaluate(POKE_EVERY_ELEMENT)
                page.wait_for_timeout(100)
                assert page.evaluate("window.__xss") == 0, f"a payload ran on {path}"
        # A 404 for the unknown path is the only error the browser may log.
        assert [e for e in errors if "404" not in e] == []
        assert dialogs == []
    finally:
        context.close()
