"""RSS and Atom feeds, read back by feedparser (what feed readers use) and checked by lxml:
one entry per incident and maintenance, stable ids, phases in titles, the whole timeline,
reproducible bytes, and valid XML whatever people type during an outage."""

from __future__ import annotations

import re
from datetime import UTC, datetime
from email.utils import parsedate_to_datetime
from pathlib import Path

import feedparser
import pytest
from hostile import HOSTILE_CONTENT, HOSTILE_NOW, LONG_TITLE
from hypothesis import given
from hypothesis import strategies as st
from lxml import etree
from netlify_headers import headers_for

from conftest import DEMO_NOW, EXAMPLE_CONTENT, ScratchSite
from statusgen.build import BuildOptions, build, load_and_validate
from statusgen.derive import Facts, derive
from statusgen.render.feeds import FEED_LIMIT, FeedItem, newest, render_feeds
from statusgen.render.files import SiteFiles
from statusgen.render.fragments import Fragments
from statusgen.render.language import language
from statusgen.render.markdown import MarkdownRenderer
from statusgen.render.site import compiled_templates
from statusgen.render.theme import default_theme_dir
from statusgen.render.views import ViewBuilder
from statusgen.text import xml_safe

SITE = "https://status.nimbus.example"
ATOM = "{http://www.w3.org/2005/Atom}"
POWER_LOSS = f"{SITE}/incidents/2026-10-19-power-loss-in-zone-par1/"
FEEDS = ("rss.xml", "atom.xml")


@pytest.fixture(scope="module")
def example_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("feeds") / "public"
    build(BuildOptions(EXAMPLE_CONTENT, out, DEMO_NOW))
    return out


@pytest.fixture(scope="module")
def facts() -> Facts:
    content, _ = load_and_validate(EXAMPLE_CONTENT)
    return derive(content, DEMO_NOW)


def parse(path: Path) -> feedparser.FeedParserDict:
    parsed = feedparser.parse(path.read_bytes())
    assert not parsed.bozo, f"{path}: {parsed.get('bozo_exception')}"
    return parsed


def entry(parsed: feedparser.FeedParserDict, entry_id: str) -> feedparser.FeedParserDict:
    return next(e for e in parsed.entries if e.id == entry_id)


def expected_ids(facts: Facts, component_id: str | None = None) -> set[str]:
    incidents = facts.incidents_by_component[component_id] if component_id else facts.incidents
    maintenances = (
        facts.maintenances_by_component[component_id] if component_id else facts.maintenances
    )
    return {f"{SITE}/incidents/{f.incident.slug}/" for f in incidents} | {
        f"{SITE}/maintenance/{m.maintenance.slug}/" for m in maintenances
    }


# ---- what feed readers see ----------------------------------------------------------------


def test_site_feeds_are_rss_2_and_atom_1_that_feedparser_reads_without_error(
    example_site: Path,
) -> None:
    """/rss.xml is RSS 2.0 and /atom.xml Atom 1.0, both well-formed to feedparser."""
    assert parse(example_site / "rss.xml").version == "rss20"
    assert parse(example_site / "atom.xml").version == "atom10"


@pytest.mark.parametrize("name", FEEDS)
def test_site_feed_has_one_entry_per_incident_and_per_maintenance_identified_by_its_url(
    example_site: Path, facts: Facts, name: str
) -> None:
    """Entry ids are the absolute page URLs: a reader shows each incident once, however often it is updated."""
    parsed = parse(example_site / name)
    ids = [e.id for e in parsed.entries]
    assert len(ids) == len(facts.incidents) + len(facts.maintenances)
    assert set(ids) == expected_ids(facts)
    assert all(e.link == e.id for e in parsed.entries)


def test_titles_carry_the_phase_in_brackets(example_site: Path) -> None:
    """ "[Post-mortem] …", "[Identified] …", "[Scheduled] …", "[Completed] …" tell the state at a glance."""
    titles = {e.title for e in parse(example_site / "atom.xml").entries}
    assert "[Post-mortem] Power loss in zone par1" in titles
    assert "[Identified] Elevated API error rates in par1" in titles
    assert "[Scheduled] PostgreSQL 17 upgrade" in titles
    assert "[Completed] MySQL 8.4 minor upgrade" in titles
    assert all(re.match(r"\[[A-Z][a-z -]+\] ", title) for title in titles)


def test_entry_updated_is_its_latest_update_and_published_its_start(example_site: Path) -> None:
    """A post-mortem counts as an update; the start is when impact began, not the first message."""
    power_loss = entry(parse(example_site / "atom.xml"), POWER_LOSS)
    assert power_loss.updated == "2026-10-21T16:00:00+00:00"  # postmortem published 18:00 CEST
    assert power_loss.published == "2026-10-19T06:31:00+00:00"  # started_at 08:31 CEST
    mysql = entry(
        parse(example_site / "atom.xml"), f"{SITE}/maintenance/2026-11-10-mysql-8-4-minor-upgrade/"
    )
    assert mysql.updated == "2026-11-10T02:05:00+00:00"  # its `completed` update
    rss_power_loss = entry(parse(example_site / "rss.xml"), POWER_LOSS)
    assert rss_power_loss.published_parsed[:6] == (2026, 10, 19, 6, 31, 0)


def test_entries_are_ordered_by_last_update_newest_first(example_site: Path) -> None:
    """A post-mortem published today lifts an old incident to the top, where readers look."""
    updated = [e.updated_parsed for e in parse(example_site / "atom.xml").entries]
    assert updated == sorted(updated, reverse=True)
    rss_ids = [e.id for e in parse(example_site / "rss.xml").entries]
    assert rss_ids == [e.id for e in parse(example_site / "atom.xml").entries]


def test_feed_updated_is_the_newest_entrys_updated(example_site: Path) -> None:
    """Atom <updated> and RSS <lastBuildDate> come from the content, never from the clock."""
    atom = parse(example_site / "atom.xml")
    assert atom.feed.updated == max(e.updated for e in atom.entries)
    last_build = etree.parse(str(example_site / "rss.xml")).findtext("channel/lastBuildDate")
    assert parsedate_to_datetime(last_build) == datetime.fromisoformat(atom.entries[0].updated)


def test_categories_name_the_affected_components_and_the_severity(
    example_site: Path, facts: Facts
) -> None:
    """Readers can filter on a component or on severity."""
    critical = facts.content.site.level(
        facts.incident("2026-10-19-power-loss-in-zone-par1").incident.severity
    ).name
    for name in FEEDS:
        terms = [t.term for t in entry(parse(example_site / name), POWER_LOSS).tags]
        assert terms == ["Apps & containers", "Deployments", "MySQL", f"Severity: {critical}"]
    maintenance = entry(
        parse(example_site / "atom.xml"), f"{SITE}/maintenance/2026-11-26-postgresql-17-upgrade/"
    )
    assert [t.term for t in maintenance.tags] == ["PostgreSQL", "Maintenance"]


def test_content_is_the_whole_timeline_newest_first_in_the_site_timezone(
    example_site: Path,
) -> None:
    """Each update with its status and local time, what customers must do, and the post-mortem."""
    html = entry(parse(example_site / "atom.xml"), POWER_LOSS).content[0].value
    headings = re.findall(r"<h3>(.*?)</h3>", html)
    assert headings == [
        "What you need to do",
        "Post-mortem · 21 Oct 2026, 18:00 CEST",
        "Resolved · 19 Oct 2026, 09:39 CEST",
        "Identified · 19 Oct 2026, 09:24 CEST",
        "Identified · 19 Oct 2026, 09:09 CEST",
        "Identified · 19 Oct 2026, 08:54 CEST",
        "Investigating · 19 Oct 2026, 08:39 CEST",
    ]
    assert "<li>If one of your MySQL databases in par1 is still unreachable" in html
    rss_html = entry(parse(example_site / "rss.xml"), POWER_LOSS).summary
    assert re.findall(r"<h3>(.*?)</h3>", rss_html) == headings


def test_maintenance_content_gives_the_window_the_plan_and_the_updates(example_site: Path) -> None:
    """A maintenance entry says when, what is affected, what will happen, then its updates."""
    html = (
        entry(
            parse(example_site / "atom.xml"),
            f"{SITE}/maintenance/2026-11-10-mysql-8-4-minor-upgrade/",
        )
        .content[0]
        .value
    )
    assert "10 Nov 2026, 02:00 CET to 10 Nov 2026, 03:30 CET" in html
    assert "Affected: MySQL (Under maintenance)" in html
    assert "from 8.4.6 to 8.4.7" in html
    assert re.findall(r"<h3>(\w[\w ]*) ·", html) == ["Completed", "In progress"]


@pytest.mark.parametrize("component_id", ["api", "db-mysql", "db-postgresql", "support"])
def test_component_feeds_list_only_what_touched_the_component(
    example_site: Path, facts: Facts, component_id: str
) -> None:
    """/components/<id>/rss.xml and atom.xml hold that component's incidents and maintenance."""
    for name in FEEDS:
        parsed = parse(example_site / "components" / component_id / name)
        assert {e.id for e in parsed.entries} == expected_ids(facts, component_id)
        component = facts.content.site.component(component_id)
        assert parsed.feed.title == f"{component.name} · {facts.content.site.name}"


def test_feeds_keep_the_fifty_most_recently_updated_entries() -> None:
    """A long history does not make the feed grow without bound."""
    base = datetime(2026, 1, 1, tzinfo=UTC)
    items = [
        FeedItem(
            f"https://s.example/incidents/{n}/",
            f"[Resolved] {n}",
            base.replace(day=1 + n % 28, hour=n % 24),
            base,
            "<p>x</p>",
            (),
        )
        for n in range(120)
    ]
    kept = newest(items)
    assert len(kept) == FEED_LIMIT == 50
    assert min(i.updated for i in kept) >= max(i.updated for i in items if i not in kept)


# ---- structure, checked by a second parser ------------------------------------------------


def test_rss_has_the_channel_and_item_elements_rss_2_requires(example_site: Path) -> None:
    """lxml sees <rss version="2.0"><channel> with title, link, description and permalink guids."""
    root = etree.parse(str(example_site / "rss.xml")).getroot()
    assert root.tag == "rss" and root.get("version") == "2.0"
    channel = root.find("channel")
    assert channel is not None
    assert channel.findtext("title") == "Nimbus Cloud"
    assert channel.findtext("link") == f"{SITE}/"
    assert channel.findtext("description")
    assert channel.find(f"{ATOM}link[@rel='self']").get("href") == f"{SITE}/rss.xml"
    assert channel.findtext("generator") == "statusgen"
    for item in channel.findall("item"):
        guid = item.find("guid")
        assert (
            guid is not None
            and guid.get("isPermaLink") == "true"
            and guid.text == item.findtext("link")
        )
        assert item.findtext("title") and item.findtext("description") and item.findtext("pubDate")


def test_atom_has_the_elements_rfc_4287_requires(example_site: Path) -> None:
    """lxml sees a feed and entries each with id, title, updated, an author and HTML content."""
    root = etree.parse(str(example_site / "atom.xml")).getroot()
    assert root.tag == f"{ATOM}feed"
    assert root.findtext(f"{ATOM}id") == f"{SITE}/atom.xml"
    assert root.find(f"{ATOM}link[@rel='self']").get("href") == f"{SITE}/atom.xml"
    assert root.find(f"{ATOM}link[@rel='alternate']").get("href") == f"{SITE}/"
    assert root.findtext(f"{ATOM}author/{ATOM}name") == "Nimbus Cloud"
    entries = root.findall(f"{ATOM}entry")
    assert entries
    for element in entries:
        for child in ("id", "title", "updated", "published"):
            assert element.findtext(f"{ATOM}{child}"), child
        assert element.find(f"{ATOM}content").get("type") == "html"


def test_every_feed_time_comes_from_the_content(example_site: Path, facts: Facts) -> None:
    """feedgen stamps the clock wherever a time is left unset; none is, so builds are byte-reproducible."""
    content_times = {DEMO_NOW}
    for f in facts.incidents:
        content_times |= {f.started_at, f.updated_at}
    for m in facts.maintenances:
        content_times |= {m.updated_at, m.maintenance.scheduled_for}
    root = etree.parse(str(example_site / "atom.xml")).getroot()
    stamps = [e.text for e in root.iter(f"{ATOM}updated", f"{ATOM}published")]
    assert stamps and all(datetime.fromisoformat(s) in content_times for s in stamps)
    first, second = SiteFiles(), SiteFiles()
    env = compiled_templates(default_theme_dir())["en"]
    for output in (first, second):
        views = ViewBuilder(facts, MarkdownRenderer(), language("en"), Fragments(env))
        render_feeds(facts, views, env, output)
    assert list(first) == list(second)


def test_a_component_without_incidents_has_a_valid_empty_feed(
    scratch_site: ScratchSite, tmp_path: Path
) -> None:
    """Nothing happened yet: the feed is still valid, and its date does not move from build to build."""
    out = tmp_path / "public"
    build(BuildOptions(scratch_site({}), out, DEMO_NOW))
    atom = parse(out / "components" / "api" / "atom.xml")
    assert atom.entries == [] and atom.feed.updated == "1970-01-01T00:00:00+00:00"
    assert parse(out / "components" / "api" / "rss.xml").entries == []


def test_netlify_serves_feeds_as_feeds_with_a_short_cache(example_site: Path) -> None:
    """Content types with charset, and a one-minute cache so readers see an incident quickly."""
    for path in ("/rss.xml", "/components/api/rss.xml"):
        assert headers_for(path)["Content-Type"] == "application/rss+xml; charset=utf-8"
    for path in ("/atom.xml", "/components/api/atom.xml"):
        assert headers_for(path)["Content-Type"] == "application/atom+xml; charset=utf-8"
    for path in ("/rss.xml", "/atom.xml", "/components/db-mysql/atom.xml"):
        assert headers_for(path)["Cache-Control"] == "public, max-age=60"
    assert "Content-Type" not in headers_for("/components/api/")


def test_pages_announce_their_feeds_to_readers(example_site: Path) -> None:
    """<link rel="alternate"> on every page, the component's own feeds on its page, and a subscribe line."""
    home = (example_site / "index.html").read_text()
    assert (
        '<link rel="alternate" type="application/rss+xml" title="Nimbus Cloud (RSS)" href="/rss.xml">'
        in home
    )
    assert (
        '<link rel="alternate" type="application/atom+xml" title="Nimbus Cloud (Atom)" href="/atom.xml">'
        in home
    )
    assert "Subscribe to Nimbus Cloud:" in home and 'href="/maintenance.ics"' in home
    component = (example_site / "components" / "api" / "index.html").read_text()
    assert (
        'type="application/rss+xml" title="Public API · Nimbus Cloud (RSS)" href="/components/api/rss.xml"'
        in component
    )
    assert (
        'href="/components/api/atom.xml"' in component
        and 'href="/components/api/maintenance.ics"' in component
    )
    assert 'href="/rss.xml"' in component


# ---- hostile text -------------------------------------------------------------------------

XML_CHAR = re.compile("^[\t\n\r\u0020-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]*$")


# Any code point, surrogates included, with the troublesome ones drawn often.
ANY_TEXT = st.text(
    st.one_of(
        st.characters(exclude_categories=()),
        st.sampled_from(
            [
                "\x00",
                "\x08",
                "\x0b",
                "\x0c",
                "\x1b",
                "\x7f",
                "\x85",
                "\ud800",
                "\udfff",
                "\ufffe",
                "\uffff",
                "\r",
                "<",
                "&",
                "]",
                ">",
                "🚀",
                "ש",
            ]
        ),
    )
)


@given(ANY_TEXT)
def test_xml_safe_leaves_only_characters_xml_1_0_allows(text: str) -> None:
    """Control characters, lone surrogates, U+FFFE and U+FFFF go; the result survives lxml both ways."""
    safe = xml_safe(text)
    assert XML_CHAR.match(safe)
    assert not re.search("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ud800-\udfff\ufffe\uffff]", safe)
    assert xml_safe(safe) == safe
    element = etree.Element("t")
    element.text = safe  # lxml refuses any string XML cannot carry
    assert (etree.fromstring(etree.tostring(element)).text or "") == safe


@given(st.text(st.characters(exclude_categories=("Cc", "Cs"), exclude_characters="\ufffe\uffff")))
def test_xml_safe_keeps_ordinary_text_unchanged(text: str) -> None:
    """Emoji, right-to-left scripts, markup characters and whitespace are kept as they are."""
    assert xml_safe(text + "\t\n\r") == text + "\t\n\r"


@pytest.fixture
def hostile_site(scratch_site: ScratchSite, tmp_path: Path) -> Path:
    out = tmp_path / "public"
    build(BuildOptions(scratch_site(HOSTILE_CONTENT), out, HOSTILE_NOW))
    return out


HOSTILE_FEEDS = (
    "rss.xml",
    "atom.xml",
    "components/api/rss.xml",
    "components/api/atom.xml",
    "components/dashboard/atom.xml",
)


@pytest.mark.parametrize("name", HOSTILE_FEEDS)
def test_hostile_text_keeps_feeds_valid_for_feedparser_and_lxml(
    hostile_site: Path, name: str
) -> None:
    """Markup, `]]>`, `&`, emoji, right-to-left text and control characters in titles, names and
    messages: every feed still parses, strictly."""
    parsed = parse(hostile_site / name)
    assert parsed.entries
    etree.fromstring((hostile_site / name).read_bytes(), etree.XMLParser(recover=False))


@pytest.mark.parametrize("name", HOSTILE_FEEDS)
def test_no_script_reaches_a_feed(hostile_site: Path, name: str) -> None:
    """Titles and names are escaped text; Markdown is sanitised before it becomes entry content."""
    data = (hostile_site / name).read_bytes()
    assert b"<script" not in data.lower()
    for item in parse(hostile_site / name).entries:
        html = item.content[0].value if "content" in item else item.summary
        assert "<script" not in html.lower() and "onerror" not in html.lower()


def test_hostile_titles_keep_their_text_without_control_characters(hostile_site: Path) -> None:
    """What can be shown is shown: emoji and right-to-left text survive, control characters do not."""
    atom = parse(hostile_site / "atom.xml")
    titles = [e.title for e in atom.entries]
    hostile = next(t for t in titles if "Hostile" in t)
    assert hostile == "[Post-mortem] Hostile <script>alert(1)</script> ]]> &  🔥 مرحبا שלום"
    assert f"[Investigating] {LONG_TITLE}" in titles and len(LONG_TITLE) == 5000
    raw = (hostile_site / "atom.xml").read_text(encoding="utf-8")
    assert not re.search("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe]", raw)
    categories = [
        t.term for t in entry(atom, "https://status.example.com/incidents/2026-11-20-hostile/").tags
    ]
    assert categories[0] == "API <script>alert('c')</script> ]]> &  🚀 واجهة"
