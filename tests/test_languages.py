"""A site speaks its customers' language: every word statusgen writes, in pages, feeds and
calendars; and a site may be built in several languages at once, with translated updates."""

from __future__ import annotations

import json
import re
import shutil
import subprocess
from collections.abc import Callable, Iterator
from datetime import timedelta
from pathlib import Path
from types import SimpleNamespace

import feedparser
import pytest
from babel import Locale
from babel.messages.pofile import read_po
from icalendar import Calendar
from lxml import etree, html

from conftest import DEMO_NOW, EXAMPLE_CONTENT, ROOT, example_speaking
from statusgen.build import BuildOptions, build
from statusgen.render.html import make_environment
from statusgen.render.language import CATALOGUES, DOMAIN, SHIPPED, SOURCE_LANGUAGE, language
from statusgen.render.theme import default_theme_dir

VNU_JAR = ROOT / "tools" / "node_modules" / "vnu-jar" / "build" / "dist" / "vnu.jar"
TRANSLATED = [tag for tag in SHIPPED if tag != SOURCE_LANGUAGE]
INCIDENT = "2026-11-23-elevated-api-error-rates-in-par1"
WORD = re.compile(r"[A-Za-z][a-z]{2,}")  # an English word as the interface writes one
# Words a page shows in every language: names of formats, time zones and abbreviations.
EVERY_LANGUAGE = {
    "RSS",
    "Atom",
    "iCalendar",
    "RTO",
    "RPO",
    "SLA",
    "CET",
    "CEST",
    "UTC",
    "Europe",
    "Paris",
}
# Feed elements that hold words (not addresses, ids or RFC 822 dates, English by definition).
FEED_TEXT = {"title", "description", "subtitle", "content", "summary", "category", "name"}
# Attributes whose values a reader hears or sees.
READ_ATTRIBUTES = ("title", "aria-label", "alt", "data-label")


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Callable[[str], Path]:
    """The example site built in one language (memoised per language)."""
    sites: dict[str, Path] = {}

    def get(tag: str) -> Path:
        if tag not in sites:
            folder = tmp_path_factory.mktemp(f"site-{tag}")
            out = folder / "public"
            build(BuildOptions(example_speaking(folder, f"language: {tag}"), out, DEMO_NOW))
            sites[tag] = out
        return sites[tag]

    return get


def page_texts(root: Path) -> Iterator[tuple[str, str]]:
    """(file, text) for what readers get: page text and read attributes, the script's words,
    feed and calendar text."""
    for path in sorted(root.rglob("*")):
        name = path.relative_to(root).as_posix()
        if path.suffix == ".html":
            tree = html.fromstring(path.read_bytes())
            for node in tree.iter():
                if node.tag == "style" or not isinstance(node.tag, str):
                    continue
                if node.tag == "script":
                    continue
                if node.get("id") == "page-text":  # the script's words
                    yield name, " ".join(v for k, v in node.attrib.items() if k.startswith("data-"))
                for attribute in READ_ATTRIBUTES:
                    if node.get(attribute):
                        yield name, node.get(attribute, "")
                if node.tag == "meta" and node.get("name") == "description":
                    yield name, node.get("content", "")
                if node.text:
                    yield name, node.text
                if node.tail:
                    yield name, node.tail
        elif path.suffix == ".xml" and path.name != "sitemap.xml":
            for node in etree.parse(str(path)).iter():
                tag = etree.QName(node).localname if isinstance(node.tag, str) else ""
                if tag in FEED_TEXT and node.text and node.text.strip():
                    yield name, html.fromstring(f"<div>{node.text}</div>").text_content()
                if tag == "category" and node.get("term"):
                    yield name, node.get("term", "")
        elif path.suffix == ".ics":
            calendar = Calendar.from_ical(path.read_bytes())
            yield name, str(calendar.get("X-WR-CALNAME", ""))
            for event in calendar.walk("VEVENT"):
                yield name, f"{event.get('SUMMARY', '')} {event.get('DESCRIPTION', '')}"
        elif name.startswith("badges/") and path.suffix == ".svg":
            for node in etree.parse(str(path)).iter():
                if isinstance(node.tag, str) and node.text:
                    yield name, node.text
        elif name.startswith("badges/") and path.suffix == ".json":
            badge = json.loads(path.read_bytes())
            yield name, f"{badge['label']} {badge['message']}"


def words_of(texts: Iterator[tuple[str, str]] | list[str]) -> set[str]:
    found: set[str] = set()
    for item in texts:
        text = item[1] if isinstance(item, tuple) else item
        found.update(
            WORD.findall(html.fromstring(f"<p>{text}</p>").text_content() if "&" in text else text)
        )
    return found


def content_words() -> set[str]:
    """Every word the example's authors wrote: their text is theirs to translate."""
    words = words_of(
        [p.read_text() for p in EXAMPLE_CONTENT.rglob("*") if p.suffix in (".md", ".yml", ".svg")]
    )
    return words | {word.capitalize() for word in words}  # a contact's key shows capitalised


def allowed_words(tag: str) -> set[str]:
    """Words a page in `tag` may share with the English interface: the catalogue's own
    translations (a word may be the same in both) and the locale's CLDR names."""
    with (CATALOGUES / tag / "LC_MESSAGES" / f"{DOMAIN}.po").open("rb") as file:
        catalogue = read_po(file)
    texts: list[str] = []
    for message in catalogue:
        texts.extend(message.string if isinstance(message.string, tuple) else [message.string])
    locale = language(tag).locale
    for context in ("format", "stand-alone"):
        for width in ("abbreviated", "wide"):
            texts.extend(str(v) for v in locale.months[context][width].values())
            texts.extend(str(v) for v in locale.days[context][width].values())
    lang = language(tag)
    texts += [lang.duration(timedelta(days=3, hours=4)), lang.duration(timedelta(minutes=125))]
    texts.append(lang.short_duration(timedelta(seconds=30)))
    return words_of(texts) | EVERY_LANGUAGE


def leaked_words(english: Path, translated: Path, tag: str) -> dict[str, list[str]]:
    """English interface words (in the English build, not written by the authors) that the
    build in `tag` still shows, with the files that show them."""
    interface = words_of(page_texts(english)) - content_words() - allowed_words(tag)
    leaks: dict[str, list[str]] = {}
    for name, text in page_texts(translated):
        for word in words_of([text]) & interface:
            leaks.setdefault(word, []).append(name)
    return {word: sorted(set(files))[:3] for word, files in sorted(leaks.items())}


# ---- one language ------------------------------------------------------------------------


@pytest.mark.parametrize("tag", TRANSLATED)
def test_no_english_interface_word_reaches_a_page_feed_or_calendar(
    built: Callable[[str], Path], tag: str
) -> None:
    """Built in `tag`, no page, feed, calendar or badge shows a word of the English interface."""
    assert leaked_words(built("en"), built(tag), tag) == {}


def test_an_unmarked_english_string_in_a_theme_is_caught(
    built: Callable[[str], Path], tmp_path: Path
) -> None:
    """The check above is real: a template sentence outside the catalogue is reported."""
    outputs = {}
    for tag in ("en", "fr"):
        content = example_speaking(tmp_path / tag, f"language: {tag}\ntheme: theme")
        partials = content / "theme" / "templates" / "partials"
        partials.mkdir(parents=True)
        (partials / "phase.html").write_text(
            '<span class="phase phase-{{ s.key }}">Currently {{ s.label }}</span>'
        )
        outputs[tag] = tmp_path / tag / "public"
        build(BuildOptions(content, outputs[tag], DEMO_NOW))
    assert "Currently" in leaked_words(outputs["en"], outputs["fr"], "fr")


def test_dates_numbers_and_durations_are_written_the_languages_way(
    built: Callable[[str], Path],
) -> None:
    """CLDR's conventions through Babel: month names, day order, decimal comma, units."""
    french = (built("fr") / "index.html").read_text()
    assert re.search(r"23 nov\. 2026, 1\d:\d\d CET", french)
    assert re.search(r"99,\d\d[\u00a0\u202f]%", french)  # a decimal comma, a no-break space
    japanese = (built("ja") / "index.html").read_text()
    assert "2026年11月23日" in japanese
    german = (built("de") / f"incidents/{INCIDENT}/index.html").read_text()
    assert re.search(r"\d+ Min\.", german)


def test_right_to_left_languages_say_so_on_every_page(built: Callable[[str], Path]) -> None:
    """An Arabic page is <html lang="ar" dir="rtl">; a French one left to right."""
    for tag, direction in (("ar", "rtl"), ("fr", "ltr")):
        for page in built(tag).rglob("*.html"):
            root = html.fromstring(page.read_bytes())
            assert (root.get("lang"), root.get("dir")) == (tag, direction), page


def test_the_pages_script_gets_its_words_in_the_pages_language(
    built: Callable[[str], Path],
) -> None:
    """The visitor-time and "open now" lines come from data the build translated."""
    page = html.fromstring((built("fr") / "support" / "index.html").read_bytes())
    words = page.get_element_by_id("page-text")
    assert words.get("data-open") == language("fr").gettext("Open now.") != "Open now."
    assert "%(time)s" in words.get("data-closed-until", "")


def test_the_api_keeps_statuspages_vocabulary_in_every_language(
    built: Callable[[str], Path],
) -> None:
    """Machines read the same JSON whatever the page's language."""
    english = (built("en") / "api" / "v2" / "summary.json").read_bytes()
    assert (built("ja") / "api" / "v2" / "summary.json").read_bytes() == english


@pytest.mark.parametrize("tag", ["fr", "ja", "ar"])
def test_pages_in_other_languages_are_valid_html(built: Callable[[str], Path], tag: str) -> None:
    """The Nu HTML Checker finds nothing in any page of the site built in `tag`."""
    if not VNU_JAR.is_file():
        pytest.fail("Nu HTML Checker missing: run bash scripts/install-test-tools")
    pages = sorted(str(p) for p in built(tag).rglob("*.html"))
    run = subprocess.run(
        # The example's text is English whatever the site declares: no language guessing.
        ["java", "-jar", str(VNU_JAR), "--no-langdetect", "--format", "json", "--stdout", *pages],
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert json.loads(run.stdout)["messages"] == []


# ---- two languages at once -------------------------------------------------------------


@pytest.fixture(scope="module")
def bilingual(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The example in English and French, with one incident's title, summary and first
    update translated."""
    folder = tmp_path_factory.mktemp("bilingual")
    content = example_speaking(folder, "languages: [en, fr]")
    incident = content / "incidents" / INCIDENT
    (incident / "incident.fr.md").write_text(
        "---\ntitle: Taux d'erreur élevé de l'API à par1\n---\nRésumé en français.\n"
    )
    first = min(p for p in incident.glob("0*.md") if p.name.count(".") == 1)
    first.with_suffix(".fr.md").write_text("---\n---\nNous enquêtons sur des **erreurs**.\n")
    out = folder / "public"
    build(BuildOptions(content, out, DEMO_NOW))
    return out


def test_each_language_has_every_page_under_its_own_folder(bilingual: Path) -> None:
    """The first language at the root, French under /fr/ with the same paths below it."""
    english = {p.relative_to(bilingual).as_posix() for p in bilingual.rglob("*.html")}
    english = {p for p in english if not p.startswith("fr/")}
    french = {
        p.relative_to(bilingual / "fr").as_posix() for p in (bilingual / "fr").rglob("*.html")
    }
    assert english == french and len(english) >= 30
    assert not (bilingual / "fr" / "api").exists()  # one API, in Statuspage's vocabulary


def test_pages_link_their_translations_both_ways(bilingual: Path) -> None:
    """hreflang alternates (and x-default) on both sides, and a language switch."""
    path = f"incidents/{INCIDENT}/index.html"
    for page, current in ((bilingual / path, "en"), (bilingual / "fr" / path, "fr")):
        root = html.fromstring(page.read_bytes())
        links = {
            link.get("hreflang"): link.get("href")
            for link in root.iter("link")
            if link.get("rel") == "alternate" and link.get("hreflang")
        }
        url = f"https://status.nimbus.example/incidents/{INCIDENT}/"
        assert links == {
            "en": url,
            "fr": url.replace(".example/", ".example/fr/"),
            "x-default": url,
        }
        switch = root.xpath("//nav[@class='languages']//a")
        assert [a.get("hreflang") for a in switch] == ["en", "fr"]
        assert [a.get("hreflang") for a in switch if a.get("aria-current")] == [current]


def test_a_translated_update_shows_in_its_language_and_the_rest_is_marked(bilingual: Path) -> None:
    """French pages show the French text where one was written; elsewhere the original,
    marked lang="en"; English pages never show the translation."""
    french = (bilingual / "fr" / "incidents" / INCIDENT / "index.html").read_text()
    assert "<h1>Taux d&#39;erreur élevé de l&#39;API à par1</h1>" in french
    assert "Nous enquêtons sur des <strong>erreurs</strong>." in french
    assert "Résumé en français." in french
    assert '<div class="message" lang="en">' in french  # the untranslated updates
    other = next((bilingual / "fr" / "incidents").glob("2026-10-19-*/index.html")).read_text()
    assert '<h1 lang="en">' in other
    english = (bilingual / "incidents" / INCIDENT / "index.html").read_text()
    assert "Nous enquêtons" not in english and "Taux d" not in english
    assert '<div class="message" lang=' not in english and "<h1 lang=" not in english


def test_feeds_and_calendars_are_made_per_language(bilingual: Path) -> None:
    """/fr/rss.xml is a French feed whose entries link to the French pages; /fr/maintenance.ics
    names the calendar in French."""
    feed = feedparser.parse((bilingual / "fr" / "rss.xml").read_bytes())
    assert not feed.bozo and feed.feed.language == "fr"
    assert all("/fr/" in entry.link for entry in feed.entries)
    assert any("Taux d'erreur" in entry.title for entry in feed.entries)
    english = feedparser.parse((bilingual / "rss.xml").read_bytes())
    assert english.feed.language == "en" and all("/fr/" not in e.link for e in english.entries)
    calendar = Calendar.from_ical((bilingual / "fr" / "maintenance.ics").read_bytes())
    name = language("fr").gettext("Maintenance · %(site)s") % {"site": "Nimbus Cloud"}
    assert str(calendar["X-WR-CALNAME"]) == name
    affected = language("fr").gettext("Affected: %(components)s").split("%")[0]
    assert affected != "Affected: "
    events = calendar.walk("VEVENT")
    assert events and all(affected in str(e["DESCRIPTION"]) for e in events)
    assert all("/fr/maintenance/" in str(e["URL"]) for e in events)


def test_a_missing_page_answers_in_its_languages_404(bilingual: Path) -> None:
    """Netlify's _redirects sends /fr/<anything missing> to the French "page not found"."""
    assert (bilingual / "_redirects").read_text() == "/fr/*  /fr/404.html  404\n"
    french = (bilingual / "fr" / "404.html").read_text()
    assert language("fr").gettext("Page not found") in french


def test_the_sitemap_lists_every_language(bilingual: Path) -> None:
    sitemap = (bilingual / "sitemap.xml").read_text()
    assert "https://status.nimbus.example/fr/history/" in sitemap
    assert "https://status.nimbus.example/history/" in sitemap


def test_language_names_are_the_languages_own() -> None:
    """The switch names each language as its speakers do."""
    assert Locale.parse("fr").get_language_name() == "français"


def test_constant_words_are_translated_when_compiled_and_cached_per_language(
    tmp_path: Path,
) -> None:
    """`_("Past incidents")` is translated as the template compiles (no call per page); the
    compiled templates of one language are never reused for another from the cache."""
    cache, key = tmp_path / "templates", b"k" * 32
    cache.mkdir()
    # A theme of one's own: the default theme's templates come compiled with the package
    # (keyed per language too, tests/test_precompiled.py), a theme's go to the cache.
    theme = Path(shutil.copytree(default_theme_dir(), tmp_path / "theme"))
    english = make_environment(theme, cache, key, language("en"))
    french = make_environment(theme, cache, key, language("fr"))
    source = '{{ _("Past incidents") }}|{{ _("Past incidents", unused=1) }}'
    assert english.from_string(source).render() == "Past incidents|Past incidents"
    words = language("fr").gettext("Past incidents")
    assert french.from_string(source).render() == f"{words}|{words}"
    compiled = french.compile(french.loader.get_source(french, "index.html")[0], raw=True)
    assert "Past incidents" not in compiled and words in compiled
    severity = SimpleNamespace(key="major", label="P2", meaning="")
    english.get_template("partials/severity.html").render(s=severity)  # cached in English first
    again = make_environment(theme, cache, key, language("fr"))  # from the cache
    html = again.get_template("partials/severity.html").render(s=severity)
    assert language("fr").gettext("Severity:") in html and "Severity:" not in html
    assert len(list(cache.iterdir())) >= 2  # one entry per language


def test_an_untranslated_original_keeps_its_direction_on_a_right_to_left_page(
    tmp_path: Path,
) -> None:
    """English text on an Arabic page (no Arabic translation written) is marked lang="en"
    dir="ltr": its full stops and brackets stay where its author put them."""
    content = example_speaking(tmp_path, "languages: [en, ar]")
    out = tmp_path / "public"
    build(BuildOptions(content, out, DEMO_NOW))
    arabic = (out / "ar" / "incidents" / INCIDENT / "index.html").read_text()
    assert '<h1 lang="en" dir="ltr">' in arabic
    assert '<div class="message" lang="en" dir="ltr">' in arabic
    english = (out / "incidents" / INCIDENT / "index.html").read_text()
    assert 'dir="ltr">' not in english.split("<body")[1]
