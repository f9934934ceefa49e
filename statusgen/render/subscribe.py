"""Where the feeds and calendars live, and the links pages show to subscribe to them.

One place for these URLs, so the renderers that write the files and the pages that link to
them can never disagree.
"""

from __future__ import annotations

from dataclasses import dataclass

from statusgen.render.language import Language

RSS_TYPE = "application/rss+xml"
ATOM_TYPE = "application/atom+xml"
CALENDAR_TYPE = "text/calendar"


def _base(component_id: str | None) -> str:
    return f"/components/{component_id}/" if component_id else "/"


def rss_path(component_id: str | None = None) -> str:
    """`/rss.xml`, or `/components/<id>/rss.xml` for one component."""
    return _base(component_id) + "rss.xml"


def atom_path(component_id: str | None = None) -> str:
    return _base(component_id) + "atom.xml"


def calendar_path(component_id: str | None = None) -> str:
    return _base(component_id) + "maintenance.ics"


@dataclass(frozen=True, slots=True)
class FeedLink:
    """One subscription link: `title` names the whole feed (for <link title>), `label` is
    the short text of a visible link."""

    title: str
    label: str
    type: str
    url: str  # site-relative


@dataclass(frozen=True, slots=True)
class Subscription:
    """The footer's subscribe line: a heading and its RSS, Atom and calendar links."""

    text: str
    links: tuple[FeedLink, ...]


def feed_links(
    site_name: str, lang: Language, prefix: str = "", component: tuple[str, str] | None = None
) -> tuple[FeedLink, ...]:
    """RSS and Atom of the whole site, then those of `component` (id, name) when given:
    what <link rel="alternate"> announces to feed readers. `prefix` is the language's ('/fr')."""
    links = [
        FeedLink(f"{site_name} (RSS)", "RSS", RSS_TYPE, prefix + rss_path()),
        FeedLink(f"{site_name} (Atom)", "Atom", ATOM_TYPE, prefix + atom_path()),
    ]
    if component is not None:
        component_id, name = component
        whole = f"{name} · {site_name}"
        links += [
            FeedLink(f"{whole} (RSS)", "RSS", RSS_TYPE, prefix + rss_path(component_id)),
            FeedLink(f"{whole} (Atom)", "Atom", ATOM_TYPE, prefix + atom_path(component_id)),
        ]
    return tuple(links)


def subscription(
    site_name: str, lang: Language, prefix: str = "", component: tuple[str, str] | None = None
) -> Subscription:
    """Links to the site's feeds and calendar, or to one component's (id, name)."""
    component_id, name = component or (None, site_name)
    return Subscription(
        lang.gettext("Subscribe to %(name)s:") % {"name": name},
        (
            FeedLink(f"{name} (RSS)", "RSS", RSS_TYPE, prefix + rss_path(component_id)),
            FeedLink(f"{name} (Atom)", "Atom", ATOM_TYPE, prefix + atom_path(component_id)),
            FeedLink(
                lang.gettext("%(name)s maintenance calendar") % {"name": name},
                lang.gettext("maintenance calendar (iCalendar)"),
                CALENDAR_TYPE,
                prefix + calendar_path(component_id),
            ),
        ),
    )
