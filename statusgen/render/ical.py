"""iCalendar (RFC 5545) feeds of maintenance windows: the whole site, and each component.

A calendar application that subscribes to /maintenance.ics shows every window in its user's
own timezone (times are written in UTC) and moves an event when the window moves: the UID
stays `<slug>@<site host>` and SEQUENCE is the number of updates on the maintenance, so each
update (a reschedule, a cancellation) raises it and a rebuild gives the same bytes.
DTSTAMP is the maintenance's last change, never the clock, so builds stay reproducible.

A cancelled maintenance stays in the calendar with STATUS:CANCELLED (RFC 5545 3.8.1.11):
an event that merely disappeared would stay in subscribers' calendars as it was.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from datetime import UTC, timedelta
from html.parser import HTMLParser
from urllib.parse import urlsplit

from icalendar import Calendar, Event, vDuration, vText

from statusgen.derive import Facts
from statusgen.derive.maintenance import MaintenanceFacts
from statusgen.model import Site
from statusgen.render.files import FileSink
from statusgen.render.markdown import MarkdownRenderer
from statusgen.render.subscribe import calendar_path
from statusgen.render.views import ViewBuilder
from statusgen.text import xml_safe

PRODID = "-//statusgen//status site maintenance//EN"
REFRESH = timedelta(hours=1)  # a hint to calendar apps; Netlify serves the file with max-age=60


def text(value: str) -> vText:
    """A TEXT value: control characters stripped, newlines normalised.

    icalendar escapes `,` `;` `\\` and newlines only in values it knows to be TEXT; wrapping
    every value in vText covers the X- properties too, where a raw newline would start a
    forged content line.
    """
    return vText(xml_safe(value).replace("\r\n", "\n").replace("\r", "\n"))


_BLOCKS = {
    "p",
    "ul",
    "ol",
    "li",
    "pre",
    "blockquote",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "table",
    "tr",
    "dl",
    "dt",
    "dd",
    "hr",
}


class _PlainText(HTMLParser):
    """Sanitised HTML to the text a calendar shows: a blank line between blocks, "- " before
    list items (one per line), a link's address after its text, source line wrapping undone."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.blocks: list[tuple[str, bool]] = []  # (text, is a list item)
        self.current: list[str] = []
        self.pre = 0
        self.href: list[str | None] = []

    def _flush(self) -> None:
        block = "".join(self.current)
        if not self.pre:
            block = re.sub(r"[ \t\r\n]+", " ", block)
        if block.strip():
            text = block.strip("\n") if self.pre else block.strip()
            self.blocks.append((text, text.startswith("- ")))
        self.current = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in _BLOCKS:
            self._flush()
        if tag == "li":
            self.current.append("- ")
        elif tag == "pre":
            self.pre += 1
        elif tag == "br":
            self.current.append("\n" if self.pre else " ")
        elif tag == "a":
            self.href.append(dict(attrs).get("href"))

    def handle_endtag(self, tag: str) -> None:
        if tag == "a" and self.href:
            href = self.href.pop()
            if href and not href.startswith("mailto:"):
                self.current.append(f" ({href})")
        if tag in _BLOCKS:
            self._flush()
        if tag == "pre":
            self.pre = max(0, self.pre - 1)

    def handle_data(self, data: str) -> None:
        self.current.append(data)

    def text(self) -> str:
        self._flush()
        out = ""
        for index, (block, item) in enumerate(self.blocks):
            if index:
                out += "\n" if item and self.blocks[index - 1][1] else "\n\n"
            out += block
        return out


def markdown_text(body: str, markdown: MarkdownRenderer) -> str:
    """Markdown as a calendar shows it: the rendered text, without tags or entities."""
    parser = _PlainText()
    parser.feed(str(markdown(body)))
    parser.close()
    return parser.text()


def event(facts: MaintenanceFacts, site: Site, views: ViewBuilder) -> Event:
    m = facts.maintenance
    names = {c.id: c.name for c in site.components}
    url = site.url + views.url(f"/maintenance/{m.slug}/")
    affected = views.lang.gettext("Affected: %(components)s") % {
        "components": ", ".join(names[cid] for cid in m.components)
    }
    description = "\n\n".join(
        part
        for part in (
            markdown_text(m.body, views.markdown),
            f"{affected} ({views.status(m.impact).label})",
            url,
        )
        if part
    )
    vevent = Event()
    vevent.add("uid", text(f"{m.slug}@{urlsplit(site.url).hostname}"))
    vevent.add("dtstamp", facts.updated_at.astimezone(UTC))
    vevent.add("last-modified", facts.updated_at.astimezone(UTC))
    vevent.add("sequence", len(m.updates))
    vevent.add("status", "CANCELLED" if facts.cancelled else "CONFIRMED")
    vevent.add("dtstart", m.scheduled_for.astimezone(UTC))
    vevent.add("dtend", m.scheduled_until.astimezone(UTC))
    vevent.add("summary", text(m.title))
    vevent.add("description", text(description))
    vevent.add("url", url)
    vevent.add("transp", "TRANSPARENT")  # a provider's window does not make subscribers busy
    return vevent


def calendar(
    name: str, maintenances: Iterable[MaintenanceFacts], site: Site, views: ViewBuilder
) -> bytes:
    """One VCALENDAR with a VEVENT per maintenance, in window order."""
    cal = Calendar()
    cal.add("prodid", PRODID)
    cal.add("version", "2.0")
    cal.add("calscale", "GREGORIAN")
    cal.add("method", "PUBLISH")
    cal.add("x-wr-calname", text(name))
    cal.add("name", text(name))  # RFC 7986's standard name for X-WR-CALNAME
    cal.add("refresh-interval", REFRESH, parameters={"VALUE": "DURATION"})
    cal.add("x-published-ttl", vDuration(REFRESH))  # Outlook's name for it
    for facts in sorted(
        maintenances, key=lambda f: (f.maintenance.scheduled_for, f.maintenance.slug)
    ):
        cal.add_component(event(facts, site, views))
    return bytes(cal.to_ical())


def render_calendars(facts: Facts, views: ViewBuilder, files: FileSink) -> None:
    """/maintenance.ics and /components/<id>/maintenance.ics, in the language of `views`."""
    site = facts.content.site
    lang = views.lang
    name = lang.gettext("Maintenance · %(site)s") % {"site": site.name}
    files.add(calendar_path(), calendar(name, facts.maintenances, site, views))
    for component in site.components:
        name = lang.gettext("%(component)s maintenance · %(site)s") % {
            "component": component.name,
            "site": site.name,
        }
        files.add(
            calendar_path(component.id),
            calendar(name, facts.maintenances_by_component[component.id], site, views),
        )
