"""RSS 2.0 and Atom 1.0 feeds of incidents and maintenance: the whole site, and each component.

One entry per incident and per maintenance, identified by its page's absolute URL: a reader
shows the incident once and marks it updated as its timeline grows, instead of one entry per
update. Entries are ordered by their last update, newest first, and each feed keeps the
FEED_LIMIT most recently updated ones (the pages keep the full history).

Reproducible: feedgen stamps the clock into the feed (`updated`, `lastBuildDate`) and each
entry (`updated`) unless told otherwise, and names its own version as generator; all of them
are set here from the facts. Every text goes through `xml_safe`, so a stray control
character in a message can never make a feed unreadable.
"""

from __future__ import annotations

import heapq
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from functools import cache, partial

from feedgen.entry import FeedEntry
from feedgen.feed import FeedGenerator
from jinja2 import Environment
from markupsafe import Markup

from statusgen.derive import Facts
from statusgen.derive.incidents import IncidentFacts
from statusgen.derive.maintenance import MaintenanceFacts
from statusgen.model import Site
from statusgen.render.files import FileSink
from statusgen.render.language import Language
from statusgen.render.subscribe import atom_path, rss_path
from statusgen.render.views import IncidentView, MaintenanceView, ViewBuilder
from statusgen.text import xml_safe

FEED_LIMIT = 50  # entries per feed, the most recently updated
GENERATOR = "statusgen"
# A feed without entries has never changed: a fixed date keeps its bytes stable build to build.
EMPTY_FEED_UPDATED = datetime(1970, 1, 1, tzinfo=UTC)


@dataclass(frozen=True, slots=True)
class FeedItem:
    """One feed entry, independent of the feed format."""

    id: str  # the absolute URL of the incident or maintenance page
    title: str  # "[Resolved] Elevated error rates"
    updated: datetime
    published: datetime
    content: str  # sanitised HTML: the whole timeline
    categories: tuple[str, ...]  # affected components' names, then "Severity: <name>"


@dataclass(frozen=True, slots=True)
class FeedMeta:
    title: str
    description: str
    page_url: str  # absolute: the HTML page the feed mirrors
    rss_url: str  # absolute
    atom_url: str  # absolute
    language: str
    author: str


def incident_html(view: IncidentView, env: Environment) -> Markup:
    """The incident as a feed reader shows it: the theme's feeds/incident.html."""
    return Markup(env.get_template("feeds/incident.html").render(incident=view))


def maintenance_html(view: MaintenanceView, env: Environment) -> Markup:
    """The window, its impact and its updates: the theme's feeds/maintenance.html."""
    return Markup(env.get_template("feeds/maintenance.html").render(maintenance=view))


def incident_item(
    facts: IncidentFacts, view: IncidentView, site_url: str, env: Environment, lang: Language
) -> FeedItem:
    categories = [c.name for c in view.components]
    categories.append(lang.gettext("Severity: %(level)s") % {"level": view.severity.label})
    if view.security:
        categories.append(lang.gettext("Security"))
    return FeedItem(
        id=site_url + view.url,
        title=f"[{view.phase.label}] {view.title}",
        updated=facts.updated_at,
        published=facts.started_at,
        content=str(incident_html(view, env)),
        categories=tuple(categories),
    )


def maintenance_item(
    facts: MaintenanceFacts,
    view: MaintenanceView,
    site_url: str,
    env: Environment,
    lang: Language,
) -> FeedItem:
    """Updated at its last change: a cancellation or a new window moves the entry up; published
    when it was announced: work announced today for next week is news today."""
    return FeedItem(
        id=site_url + view.url,
        title=f"[{view.status.label}] {view.title}",
        updated=facts.updated_at,
        published=facts.announced_at,
        content=str(maintenance_html(view, env)),
        categories=(*tuple(c.name for c in view.components), lang.gettext("Maintenance")),
    )


def newest(items: Iterable[FeedItem], limit: int = FEED_LIMIT) -> tuple[FeedItem, ...]:
    """The `limit` most recently updated items, newest first; ties broken by id, for stable output."""
    return tuple(sorted(items, key=lambda i: (i.updated, i.published, i.id), reverse=True)[:limit])


def _generator(
    meta: FeedMeta, items: Sequence[FeedItem], entry: Callable[[FeedItem], FeedEntry]
) -> FeedGenerator:
    """One feed; its entries come from `entry`, which the caller memoises per build, so an
    item shown by several feeds (the site's and its components') is built once."""
    feed = FeedGenerator()
    feed.id(xml_safe(meta.atom_url))
    feed.title(xml_safe(meta.title))
    feed.description(xml_safe(meta.description))  # RSS <description>, Atom <subtitle>
    feed.language(xml_safe(meta.language))
    feed.author({"name": xml_safe(meta.author)})
    feed.generator(GENERATOR)
    # Sets Atom <updated> and RSS <lastBuildDate>; feedgen's default is the clock.
    feed.updated(items[0].updated.astimezone(UTC) if items else EMPTY_FEED_UPDATED)
    for item in items:
        feed.add_entry(entry(item), order="append")  # feedgen prepends by default
    return feed


def _entry(item: FeedItem) -> FeedEntry:
    entry = FeedEntry()
    entry.id(xml_safe(item.id))
    entry.guid(xml_safe(item.id), permalink=True)
    entry.link(href=xml_safe(item.id), rel="alternate")
    entry.title(xml_safe(item.title))
    entry.updated(item.updated.astimezone(UTC))
    entry.published(item.published.astimezone(UTC))
    entry.content(xml_safe(item.content), type="html")
    for category in item.categories:
        entry.category(term=xml_safe(category))
    return entry


def _with_links(feed: FeedGenerator, meta: FeedMeta, self_url: str) -> FeedGenerator:
    feed.link(href=self_url, rel="self", replace=True)
    feed.link(href=meta.page_url, rel="alternate")  # last: feedgen makes it RSS's <link>
    return feed


def rss_and_atom(
    meta: FeedMeta, items: Sequence[FeedItem], entry: Callable[[FeedItem], FeedEntry]
) -> tuple[bytes, bytes]:
    """Both formats from one generator: the entries are built once."""
    feed = _generator(meta, items, entry)
    rss_bytes = bytes(_with_links(feed, meta, meta.rss_url).rss_str(pretty=True))
    atom_bytes = bytes(_with_links(feed, meta, meta.atom_url).atom_str(pretty=True))
    return rss_bytes, atom_bytes


def _meta(site: Site, views: ViewBuilder, component: tuple[str, str] | None) -> FeedMeta:
    lang = views.lang
    if component is None:
        component_id, title = None, site.name
        description = site.description or lang.gettext("Incidents and maintenance on %(site)s.") % {
            "site": site.name
        }
        page = "/"
    else:
        component_id, name = component
        title = f"{name} · {site.name}"
        description = lang.gettext(
            "Incidents and maintenance affecting %(component)s on %(site)s."
        ) % {
            "component": name,
            "site": site.name,
        }
        page = f"/components/{component_id}/"
    return FeedMeta(
        title=title,
        description=description,
        page_url=site.url + views.url(page),
        rss_url=site.url + views.url(rss_path(component_id)),
        atom_url=site.url + views.url(atom_path(component_id)),
        language=lang.tag,
        author=site.name,
    )


def render_feeds(facts: Facts, views: ViewBuilder, env: Environment, files: FileSink) -> None:
    """/rss.xml, /atom.xml and, per component, /components/<id>/rss.xml and atom.xml, in the
    language of `views` and `env` (paths relative to that language's root).

    Entries are built only for what some feed shows (the newest FEED_LIMIT of each), so
    years of history cost no more than the last few weeks.
    """
    site = facts.content.site
    incidents = {f.incident.slug: f for f in facts.incidents}
    maintenances = {m.maintenance.slug: m for m in facts.maintenances}

    # Per-build memos: an item shows in the site's feed and in each affected component's, so
    # items and entries are memoised (functools.cache, keyed by value) on local functions,
    # whose caches die with this call.
    @cache
    def incident(slug: str) -> FeedItem:
        f = incidents[slug]
        return incident_item(f, views.incident(f), site.url, env, views.lang)

    @cache
    def maintenance(slug: str) -> FeedItem:
        m = maintenances[slug]
        return maintenance_item(m, views.maintenance(m), site.url, env, views.lang)

    entry = cache(_entry)

    def write(
        component: tuple[str, str] | None,
        incidents: Sequence[IncidentFacts],
        maintenances: Sequence[MaintenanceFacts],
    ) -> None:
        # The same order as `newest`, computed from the facts before any entry is built.
        Candidate = tuple[tuple[datetime, datetime, str], Callable[[], FeedItem]]
        candidates: list[Candidate] = [
            (
                (
                    f.updated_at,
                    f.started_at,
                    site.url + views.url(f"/incidents/{f.incident.slug}/"),
                ),
                partial(incident, f.incident.slug),
            )
            for f in incidents
        ]
        candidates += [
            (
                (
                    m.updated_at,
                    m.announced_at,
                    site.url + views.url(f"/maintenance/{m.maintenance.slug}/"),
                ),
                partial(maintenance, m.maintenance.slug),
            )
            for m in maintenances
        ]
        chosen = heapq.nlargest(FEED_LIMIT, candidates, key=lambda pair: pair[0])
        items = newest(make() for _, make in chosen)
        meta = _meta(site, views, component)
        component_id = component[0] if component else None
        rss_bytes, atom_bytes = rss_and_atom(meta, items, entry)
        files.add(rss_path(component_id), rss_bytes)
        files.add(atom_path(component_id), atom_bytes)

    write(None, facts.incidents, facts.maintenances)
    for component in site.components:
        write(
            (component.id, component.name),
            facts.incidents_by_component[component.id],
            facts.maintenances_by_component[component.id],
        )
