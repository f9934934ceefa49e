"""The example site as customers see it: headless Chromium on the built site, served on 127.0.0.1
with the headers netlify.toml sends (its Content-Security-Policy included).

Every page type is loaded in a real browser (Debian's Chromium driven by Playwright, see the
`chromium` fixture in conftest.py): no console message, no failed request, nothing fetched from
another host, no axe-core violation of WCAG 2.1 A/AA in light and dark mode, no horizontal
scrolling on a 360 px phone. Then the small script's promises: times rewritten into the visitor's
zone, support hours and overdue updates computed from the browser's clock, tooltips on hover and
keyboard focus. Every context runs at the example's pinned "now" in Europe/Paris unless a test
says otherwise, so what the script computes does not depend on the day the suite runs.
"""

from __future__ import annotations

import re
import subprocess
import sys
from collections.abc import Callable, Iterator
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import html5lib
import pytest
from netlify_headers import headers_for
from playwright.sync_api import (
    Browser,
    BrowserContext,
    ConsoleMessage,
    Page,
    Request,
    Response,
    Route,
)
from served import ServedSite, serve

from conftest import DEMO_NOW, EXAMPLE_CONTENT, MINIMAL_SITE, ROOT, example_speaking
from statusgen.render.language import language

DEMO_NOW_ARG = "2026-11-23T13:30:00Z"  # README's build command
AXE = ROOT / "tools" / "node_modules" / "axe-core" / "axe.min.js"
AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
SITE_ZONE = "Europe/Paris"
PHONE = {"width": 360, "height": 740}

ONGOING = "/incidents/2026-11-23-elevated-api-error-rates-in-par1/"
POWER_LOSS = "/incidents/2026-10-19-power-loss-in-zone-par1/"
SECURITY = "/incidents/2026-10-06-api-tokens-exposed-in-build-logs/"
NOT_FOUND = "/no-such-page/"

# One page of every type the theme renders, by what makes it different.
PAGES = {
    "home": "/",
    "incident-ongoing": ONGOING,
    "incident-postmortem": POWER_LOSS,
    "incident-security": SECURITY,
    "component": "/components/db-mysql/",
    "maintenance-upcoming": "/maintenance/2026-11-26-postgresql-17-upgrade/",
    "maintenance-completed": "/maintenance/2026-11-10-mysql-8-4-minor-upgrade/",
    "history": "/history/",
    "history-page-2": "/history/2/",
    "support": "/support/",
    "reliability": "/reliability/",
    "not-found": NOT_FOUND,
}
# What each page must show, so that the list above keeps covering what its names promise.
PAGE_MARKERS = {
    "home": ".banner h2",
    "incident-ongoing": ".next-update[data-due]",
    "incident-postmortem": "#postmortem .follow-up",
    "incident-security": ".incident-page.security .actions",
    "component": ".component-page .bar",
    "maintenance-upcoming": ".maintenance-page .phase-scheduled",
    "maintenance-completed": ".maintenance-page .phase-completed",
    "history": ".pager a[rel=next]",
    "history-page-2": ".pager a[rel=prev]",
    "support": "[data-open-state]",
    "reliability": "table.objectives",
    "not-found": "main h1",
}


# ---- the site, served -------------------------------------------------------------------


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[ServedSite]:
    """The example site built once, as the README builds it, served with netlify.toml's headers."""
    assert DEMO_NOW.isoformat().replace("+00:00", "Z") == DEMO_NOW_ARG
    out = tmp_path_factory.mktemp("browser") / "public"
    with built_and_served(EXAMPLE_CONTENT, out) as served:
        yield served


@dataclass
class Visit:
    """A page and everything that went wrong while it loaded and was used."""

    page: Page
    url: str
    expected_status: int
    problems: list[str] = field(default_factory=list)
    status: int | None = None

    def assert_clean(self) -> None:
        assert self.status == self.expected_status, f"{self.url}: HTTP {self.status}"
        assert self.problems == [], f"{self.url}:\n" + "\n".join(self.problems)


class Tab:
    """One page in its own browser context, which may reach nothing but the local site.

    Each visit starts a fresh record of what went wrong: console errors and warnings, script
    errors, failed requests, HTTP errors, and any request to another host (aborted).
    """

    def __init__(self, context: BrowserContext, site: ServedSite) -> None:
        self.context = context
        self.site = site
        self.page = context.new_page()
        self.current = Visit(self.page, "", 200)
        context.route("**/*", self._guard)
        self.page.on("console", self._on_console)
        self.page.on(
            "pageerror", lambda error: self.current.problems.append(f"script error: {error}")
        )
        self.page.on("response", self._on_response)
        self.page.on("requestfailed", self._on_failed)

    def visit(self, path: str, *, idle: bool = False) -> Visit:
        url = self.site.url(path)
        self.current = Visit(self.page, url, 404 if path == NOT_FOUND else 200)
        response = self.page.goto(url, wait_until="networkidle" if idle else "load")
        self.current.status = response.status if response else None
        return self.current

    def _guard(self, route: Route) -> None:
        if route.request.url.startswith(self.site.base_url + "/"):
            route.continue_()
        else:
            self.current.problems.append(f"request to another host: {route.request.url}")
            route.abort()

    def _on_console(self, message: ConsoleMessage) -> None:
        if message.type not in ("error", "warning"):
            return
        where = message.location.get("url")
        # The deliberate 404 page is itself a "failed" resource to Chromium's console.
        if (
            self.current.expected_status == 404
            and where == self.current.url
            and "404" in message.text
        ):
            return
        self.current.problems.append(f"console {message.type}: {message.text} ({where})")

    def _on_response(self, response: Response) -> None:
        expected = (
            response.url == self.current.url and response.status == self.current.expected_status
        )
        if response.status >= 400 and not expected:
            self.current.problems.append(f"HTTP {response.status}: {response.url}")

    def _on_failed(self, request: Request) -> None:
        self.current.problems.append(f"request failed: {request.url} ({request.failure})")


def new_tab(
    chromium: Browser,
    site: ServedSite,
    *,
    now: datetime | str | None = DEMO_NOW,
    axe: bool = False,
    **options: Any,
) -> Tab:
    """A tab in Europe/Paris with its clock frozen at `now` (None: the real clock), unless told otherwise."""
    options.setdefault("timezone_id", SITE_ZONE)
    context = chromium.new_context(**options)
    if now is not None:
        context.clock.set_fixed_time(now)
    if axe:
        if not AXE.is_file():
            pytest.fail("axe-core is missing: run bash scripts/install-test-tools")
        context.add_init_script(path=str(AXE))
    return Tab(context, site)


OpenTab = Callable[..., Tab]


@pytest.fixture
def open_tab(chromium: Browser, site: ServedSite) -> Iterator[OpenTab]:
    """Fresh tabs for one test, for anything that clicks, hovers, types or sets its own clock."""
    tabs: list[Tab] = []

    def make(**options: Any) -> Tab:
        tabs.append(new_tab(chromium, site, **options))
        return tabs[-1]

    yield make
    for tab in tabs:
        tab.context.close()


@pytest.fixture(scope="module")
def shared_tab(chromium: Browser, site: ServedSite) -> Iterator[OpenTab]:
    """One tab per set of options for the whole module: the page-by-page checks only load and read."""
    tabs: dict[str, Tab] = {}

    def get(**options: Any) -> Tab:
        key = repr(sorted(options.items()))
        if key not in tabs:
            tabs[key] = new_tab(chromium, site, **options)
        return tabs[key]

    yield get
    for tab in tabs.values():
        tab.context.close()


def axe_problems(page: Page, include: str | None = None) -> list[str]:
    """axe-core's WCAG 2.1 A/AA violations, and what it could not decide (e.g. contrast on images)."""
    assert page.evaluate("typeof axe !== 'undefined'"), "open the tab with axe=True"
    results = page.evaluate(
        """([tags, include]) => axe.run(include ? {include: [include]} : document,
               {runOnly: {type: "tag", values: tags}, resultTypes: ["violations", "incomplete"]})
           .then(r => [...r.violations.map(v => ["violation", v]), ...r.incomplete.map(v => ["undecided", v])]
           .flatMap(([kind, v]) => v.nodes.map(n => `${kind} ${v.id}: ${n.target.join(" ")}: ${n.failureSummary || v.help}`)))""",
        [AXE_TAGS, include],
    )
    return list(results)


def overflow(page: Page) -> tuple[int, int]:
    return page.evaluate(
        "[document.documentElement.scrollWidth, document.documentElement.clientWidth]"
    )


def built_times(site: ServedSite, path: str) -> list[str]:
    document = html5lib.parse(
        (site.root / path.lstrip("/") / "index.html").read_bytes(), namespaceHTMLElements=False
    )
    return ["".join(t.itertext()) for t in document.iter("time") if "data-local" in t.attrib]


# ---- every page type --------------------------------------------------------------------


@pytest.mark.parametrize("name", PAGES)
def test_page_loads_without_errors_or_requests_to_other_hosts(
    shared_tab: OpenTab, name: str
) -> None:
    """No console error or warning, no script error, no failed request, only the 404 page is a 404."""
    result = shared_tab().visit(PAGES[name], idle=True)
    assert result.page.locator(PAGE_MARKERS[name]).count() >= 1, (
        f"{name} no longer shows {PAGE_MARKERS[name]}"
    )
    result.assert_clean()


@pytest.mark.parametrize("scheme", ["light", "dark"])
@pytest.mark.parametrize("name", PAGES)
def test_page_has_no_accessibility_violations(shared_tab: OpenTab, name: str, scheme: str) -> None:
    """axe-core finds no WCAG 2.1 A/AA violation (contrast included) in light and dark mode."""
    result = shared_tab(color_scheme=scheme, axe=True).visit(PAGES[name])
    assert axe_problems(result.page) == []
    result.assert_clean()


@pytest.mark.parametrize("scheme", ["light", "dark"])
@pytest.mark.parametrize("name", PAGES)
def test_page_fits_a_phone_screen(shared_tab: OpenTab, name: str, scheme: str) -> None:
    """On a 360 px wide phone the page never scrolls sideways; wide tables scroll in their own box."""
    result = shared_tab(viewport=PHONE, color_scheme=scheme, is_mobile=True, has_touch=True).visit(
        PAGES[name]
    )
    scroll_width, client_width = overflow(result.page)
    assert client_width == PHONE["width"]
    assert scroll_width <= client_width
    result.assert_clean()


# The pages whose tables hold follow-up actions, SLA targets and RTO/RPO (and support hours).
TABLE_PAGES = ["incident-postmortem", "component", "reliability", "support"]


@pytest.mark.parametrize("name", TABLE_PAGES)
def test_phone_tables_hide_no_column(shared_tab: OpenTab, name: str) -> None:
    """At 360 px every table is whole on screen: a wide one stacks, one block per row, each value labelled."""
    result = shared_tab(viewport=PHONE, color_scheme="light", is_mobile=True, has_touch=True).visit(
        PAGES[name]
    )
    page = result.page
    assert page.locator("main table").count() >= 1
    cut = page.evaluate(
        """() => [...document.querySelectorAll("main table")].flatMap(table => {
            const box = table.closest(".table-scroll") || table.parentElement;
            const edge = box.getBoundingClientRect().right + 0.5;
            const outside = [...table.querySelectorAll("th, td")].filter(c => c.getBoundingClientRect().right > edge);
            return box.scrollWidth > box.clientWidth || outside.length
                ? [`${table.className}: ${box.scrollWidth} px wide in ${box.clientWidth} px, ${outside.length} cells cut`] : [];
        })"""
    )
    assert cut == []
    for cell in page.locator("table.stack td[data-label]").all()[:6]:
        label = cell.evaluate("c => getComputedStyle(c, '::before').content")
        assert label == f'"{cell.get_attribute("data-label")}: "', label
    result.assert_clean()


def test_phone_numbers_are_tel_links_that_never_wrap(open_tab: OpenTab) -> None:
    """The escalation line's number can be tapped to call and stays whole on one line of a 360 px phone."""
    result = open_tab(viewport=PHONE, is_mobile=True, has_touch=True).visit("/support/")
    link = result.page.locator("a[href^='tel:']")
    assert link.count() == 1
    assert (link.inner_text(), link.get_attribute("href")) == (
        "+33 1 00 00 00 00",
        "tel:+33100000000",
    )
    assert link.evaluate("a => [getComputedStyle(a).whiteSpace, a.getClientRects().length]") == [
        "nowrap",
        1,
    ]
    result.assert_clean()


@pytest.mark.parametrize("name", PAGES)
def test_page_reads_correctly_without_javascript(shared_tab: OpenTab, name: str) -> None:
    """With scripts off every time is printed in the site's zone (CET or CEST) and nothing is
    missing."""
    result = shared_tab(now=None, java_script_enabled=False, timezone_id="Asia/Tokyo").visit(
        PAGES[name]
    )
    page = result.page
    times = page.locator("time[data-local]").all_inner_texts()
    # A page says "as of" when what it shows can change with the clock; support,
    # reliability and 404 show nothing that does.
    if name not in ("support", "reliability", "not-found"):
        assert times, "the page says as of when its facts last changed"
    assert all(t.endswith((" CET", " CEST")) for t in times), times
    assert page.locator(PAGE_MARKERS[name]).count() >= 1
    if name == "home":
        assert page.locator(".banner h2").inner_text() == "Minor Service Outage"
        assert page.locator(".components .component-name").count() == 11
        assert (
            page.locator(".next-update[data-due]").inner_text()
            == "Next update by 23 Nov 2026, 14:45 CET"
        )
    if name == "support":
        assert page.locator("[data-open-state]").is_hidden()
        assert page.locator("table.hours tr").count() == 2
    result.assert_clean()


def test_home_page_downloads_under_60_kb(open_tab: OpenTab) -> None:
    """Everything the home page fetches (page, CSS, script, icon) weighs under 60 KB."""
    tab = open_tab()
    responses: list[Response] = []
    # A lambda, not responses.append: Playwright tags its handlers with an attribute, which a
    # built-in method cannot take.
    tab.page.on("response", lambda response: responses.append(response))  # noqa: PLW0108
    tab.visit("/", idle=True).assert_clean()
    sizes = {response.url: len(response.body()) for response in responses}
    assert any(url.endswith(".css") for url in sizes) and any(url.endswith(".js") for url in sizes)
    assert sum(sizes.values()) < 60_000, sizes


# ---- the visitor's time zone ------------------------------------------------------------


@pytest.mark.parametrize(
    ("zone", "abbreviation", "clock"),
    [
        # The banner's "as of" 14:15 CET (the open incident's latest update) is 08:15 in New
        # York and 22:15 in Tokyo, named as Chromium's Intl names them.
        ("America/New_York", "EST", "08:15"),
        ("Asia/Tokyo", "GMT+9", "22:15"),
    ],
)
def test_times_are_rewritten_into_the_visitors_zone(
    open_tab: OpenTab, zone: str, abbreviation: str, clock: str
) -> None:
    """The script prints every time in the visitor's zone and says so in the footer."""
    result = open_tab(timezone_id=zone).visit("/")
    page = result.page
    first = page.locator("time[data-local]").first
    assert first.get_attribute("datetime") == "2026-11-23T14:15:00+01:00"
    text = first.inner_text()
    assert text == f"23 Nov 2026, {clock} {abbreviation}", text  # the built pages' order
    assert all(
        not t.endswith((" CET", " CEST"))
        for t in page.locator("time[data-local]").all_inner_texts()
    )
    assert (
        page.locator("[data-tz-note]").inner_text()
        == f"Times are shown in your time zone ({zone})."
    )
    result.assert_clean()


def test_times_stay_as_built_in_the_sites_own_zone(open_tab: OpenTab, site: ServedSite) -> None:
    """A visitor in Europe/Paris reads the times exactly as the build printed them."""
    tab = open_tab(timezone_id=SITE_ZONE)
    for path in ("/", ONGOING):
        result = tab.visit(path)
        assert result.page.locator("time[data-local]").all_inner_texts() == built_times(site, path)
        assert (
            result.page.locator("[data-tz-note]").inner_text()
            == "Times are shown in Europe/Paris (CET, UTC+01:00)."
        )
        result.assert_clean()


# ---- what the script computes from the browser's clock ----------------------------------


@pytest.mark.parametrize(
    ("zone", "now", "expected", "state"),
    [
        # Monday 23 November 2026, 14:30 in Paris: open Mon–Fri 09:00–18:00.
        # In the site's own zone the script names it as the page does: CET, not Intl's GMT+1.
        (SITE_ZONE, "2026-11-23T13:30:00Z", "Open now, until 18:00 CET your time.", "is-open"),
        # Sunday 22 November, 12:00 in Paris: closed until Monday morning.
        (
            SITE_ZONE,
            "2026-11-22T11:00:00Z",
            "Closed now, opens Monday 09:00 CET your time.",
            "is-closed",
        ),
        # Monday 22 June, 12:00 in Paris: summer time is CEST.
        (SITE_ZONE, "2026-06-22T10:00:00Z", "Open now, until 18:00 CEST your time.", "is-open"),
        # The same Monday seen from New York: hours are the site's, the clock is the visitor's.
        (
            "America/New_York",
            "2026-11-23T13:30:00Z",
            "Open now, until 12:00 EST your time.",
            "is-open",
        ),
        # Saturday 28 November, 15:00 in Paris: Saturday hours ended at 14:00.
        (
            SITE_ZONE,
            "2026-11-28T14:00:00Z",
            "Closed now, opens Monday 09:00 CET your time.",
            "is-closed",
        ),
    ],
)
def test_support_page_says_whether_support_is_open_now(
    open_tab: OpenTab, zone: str, now: str, expected: str, state: str
) -> None:
    """The open/closed line is computed in the browser from its clock and the site's hours."""
    result = open_tab(now=now, timezone_id=zone).visit("/support/")
    line = result.page.locator("[data-open-state]")
    assert line.is_visible()
    assert line.inner_text() == expected
    assert line.get_attribute("class") == f"open-state {state}"
    result.assert_clean()


@pytest.mark.parametrize("path", [ONGOING, "/"])
def test_next_update_promise_turns_overdue_after_its_time(open_tab: OpenTab, path: str) -> None:
    """Before 14:45 CET the promise stands; after it, the page admits the update is late."""
    promise = open_tab(now="2026-11-23T13:44:00Z").visit(path)
    assert (
        promise.page.locator("[data-due]").inner_text() == "Next update by 23 Nov 2026, 14:45 CET"
    )
    assert "overdue" not in (promise.page.locator("[data-due]").get_attribute("class") or "")
    promise.assert_clean()

    late = open_tab(now="2026-11-23T14:00:00Z", axe=True).visit(path)
    line = late.page.locator("[data-due]")
    assert line.inner_text() == (
        "The next update was due at 14:45 CET, 15 min ago. It is late: this page may not show the latest news; we have not forgotten."
    )
    assert "overdue" in (line.get_attribute("class") or "").split()
    assert axe_problems(late.page, "[data-due]") == []
    late.assert_clean()


def test_long_overdue_promise_counts_hours(open_tab: OpenTab) -> None:
    """Hours late reads as hours and minutes, not hundreds of minutes."""
    result = open_tab(now="2026-11-23T17:30:00Z").visit(ONGOING)
    assert ", 3 hr 45 min ago." in result.page.locator("[data-due]").inner_text()
    result.assert_clean()


# ---- uptime-bar tooltips and keyboard use -----------------------------------------------


def tip_width(page: Page, selector: str) -> float:
    box = page.locator(selector).bounding_box()
    return box["width"] if box else 0.0


@pytest.mark.parametrize(
    "viewport", [{"width": 1280, "height": 900}, PHONE], ids=["desktop", "phone"]
)
def test_uptime_tooltip_opens_on_hover_and_its_link_can_be_clicked(
    open_tab: OpenTab, site: ServedSite, viewport: dict[str, int]
) -> None:
    """Hovering a day shows its tooltip; the pointer can travel up into it and follow its link."""
    result = open_tab(viewport=viewport, axe=True).visit("/")
    page = result.page
    segment = page.locator(".seg:has(.tip a)").first
    segment.scroll_into_view_if_needed()
    tip = segment.locator(".tip")
    link = tip.locator("a").first
    href = link.get_attribute("href")
    assert href and href.startswith("/incidents/")
    assert tip.bounding_box()["width"] <= 1  # type: ignore[index]

    segment.hover()
    box = tip.bounding_box()
    assert box and box["width"] > 1 and box["height"] > 1
    assert box["x"] >= 0 and box["x"] + box["width"] <= viewport["width"], (
        "the tooltip stays on screen"
    )
    assert overflow(page)[0] <= viewport["width"]
    assert axe_problems(page, ".seg:hover .tip") == []

    # As a hand moves: straight up out of the bar into the tooltip, then across to the link.
    seg_box = segment.bounding_box()
    assert seg_box
    page.mouse.move(seg_box["x"] + seg_box["width"] / 2, box["y"] + box["height"] - 3, steps=8)
    link_box = link.bounding_box()
    assert link_box and link_box["width"] > 1
    page.mouse.move(
        link_box["x"] + link_box["width"] / 2, link_box["y"] + link_box["height"] / 2, steps=8
    )
    with page.expect_navigation():
        page.mouse.click(
            link_box["x"] + link_box["width"] / 2, link_box["y"] + link_box["height"] / 2
        )
    assert page.url == site.url(href)
    result.assert_clean()


@pytest.mark.parametrize("width", [1280, 800, 360])
def test_every_uptime_tooltip_stays_inside_the_window(open_tab: OpenTab, width: int) -> None:
    """Whichever day is hovered, its tooltip is whole on screen and the page does not scroll sideways."""
    result = open_tab(viewport={"width": width, "height": 800}).visit("/")
    page = result.page
    segments = page.locator(".seg")
    assert segments.count() > 20
    outside = []
    for index in range(segments.count()):
        segment = segments.nth(index)
        segment.hover()
        box = segment.locator(".tip").bounding_box()
        assert box and box["width"] > 1
        scroll_width, client_width = overflow(page)
        if box["x"] < 0 or box["x"] + box["width"] > client_width or scroll_width > client_width:
            outside.append(
                f"segment {index}: tooltip from {box['x']:.0f} to {box['x'] + box['width']:.0f} px"
            )
    assert outside == [], f"window {width} px wide"
    result.assert_clean()


def test_uptime_tooltip_opens_on_keyboard_focus_and_closes_with_escape(
    open_tab: OpenTab, site: ServedSite
) -> None:
    """Tabbing onto a day's incident link opens its tooltip; Escape hides it; Enter follows the link."""
    result = open_tab().visit("/")
    page = result.page
    for _ in range(60):
        page.keyboard.press("Tab")
        if page.evaluate("!!document.activeElement.closest('.tip')"):
            break
    else:
        pytest.fail("no tooltip link reached with Tab")
    href = page.evaluate("document.activeElement.getAttribute('href')")
    tip = page.locator(".seg:focus-within .tip")
    box = tip.bounding_box()
    assert box and box["width"] > 1 and box["height"] > 1
    assert page.evaluate("getComputedStyle(document.activeElement).outlineStyle") != "none"

    page.keyboard.press("Escape")
    assert tip.bounding_box()["width"] <= 1  # type: ignore[index]
    page.keyboard.press("Shift+Tab")
    page.keyboard.press("Tab")
    assert tip.bounding_box()["width"] > 1  # type: ignore[index]

    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert page.url == site.url(href)
    result.assert_clean()


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_every_focusable_element_of_the_home_page_shows_a_focus_ring(
    open_tab: OpenTab, scheme: str
) -> None:
    """Tabbing through the whole home page, each focused element has a visible outline or shadow."""
    result = open_tab(color_scheme=scheme).visit("/")
    page = result.page
    seen: list[str] = []
    missing: list[str] = []
    for _ in range(300):
        page.keyboard.press("Tab")
        focused = page.evaluate(
            """() => {
                const e = document.activeElement;
                if (!e || e === document.body) return null;
                const s = getComputedStyle(e), box = e.getBoundingClientRect();
                return {
                    id: e.outerHTML.slice(0, 80),
                    ring: (s.outlineStyle !== "none" && parseFloat(s.outlineWidth) >= 2) || s.boxShadow !== "none",
                    shown: box.width > 1 && box.height > 1 && box.bottom > 0 && box.top < innerHeight,
                };
            }"""
        )
        if focused is None or (seen and focused["id"] == seen[0]):
            break
        seen.append(focused["id"])
        if not (focused["ring"] and focused["shown"]):
            missing.append(focused["id"])
    assert len(seen) >= 40, "the home page has links to every component and incident"
    assert missing == []
    result.assert_clean()


# ---- branding ---------------------------------------------------------------------------

BRAND_LOGO = (
    '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 40 10"><rect width="40" height="10"/>'
    "</svg>"
)


@contextmanager
def built_and_served(content: Path, out: Path) -> Iterator[ServedSite]:
    """`content` built into `out` by the command, as the README builds it, and served."""
    command = [sys.executable, "-m", "statusgen", "build", str(content)]
    command += ["--output", str(out), "--now", DEMO_NOW_ARG, "--quiet"]
    run = subprocess.run(command, capture_output=True, text=True, timeout=120)
    assert run.returncode == 0, run.stdout + run.stderr
    with serve(out, headers_for) as served:
        yield served


@pytest.fixture(scope="module")
def branded_sites(
    tmp_path_factory: pytest.TempPathFactory,
) -> Iterator[Callable[[str], ServedSite]]:
    """A small branded site per brand colour, built once and served with netlify.toml's headers."""
    served: dict[str, ServedSite] = {}
    stack = ExitStack()

    def get(color: str) -> ServedSite:
        if color not in served:
            root = tmp_path_factory.mktemp("branded")
            content = root / "content"
            (content / "branding").mkdir(parents=True)
            (content / "branding" / "logo.svg").write_text(BRAND_LOGO)
            (content / "site.yml").write_text(
                MINIMAL_SITE
                + f'branding:\n  logo: branding/logo.svg\n  color: "{color}"\n'
                + "  links:\n    - {label: Main site, url: https://example.com}\n"
                + "  footer_links:\n    - {label: Terms, url: https://example.com/terms}\n"
            )
            served[color] = stack.enter_context(built_and_served(content, root / "public"))
        return served[color]

    with stack:
        yield get


@pytest.mark.parametrize("scheme", ["light", "dark"])
@pytest.mark.parametrize("color", ["#f5d90a", "#0b1f3a", "#0b5cad"])
def test_branded_masthead_passes_axe_for_light_dark_and_mid_tone_brand_colours(
    chromium: Browser, branded_sites: Callable[[str], ServedSite], color: str, scheme: str
) -> None:
    """A light, a dark and a mid-tone brand colour each get a text colour axe finds no fault
    with, the brand stylesheet loads under the Content-Security-Policy, and the logo shows."""
    tab = new_tab(chromium, branded_sites(color), color_scheme=scheme, axe=True)
    try:
        result = tab.visit("/")
        page = result.page
        assert page.evaluate(
            "getComputedStyle(document.querySelector('.masthead')).backgroundColor"
        ) == "rgb({}, {}, {})".format(*(int(color[i : i + 2], 16) for i in (1, 3, 5)))
        assert page.evaluate("document.querySelector('.brand-logo').naturalWidth") > 0
        assert axe_problems(page) == []
        result.assert_clean()
    finally:
        tab.context.close()


# ---- right-to-left languages ------------------------------------------------------------


def visit_right_to_left(tab: Tab, path: str) -> Visit:
    """`path` laid out as an Arabic page is, with dir="rtl" on its <html>."""
    result = tab.visit(path)
    result.page.evaluate("document.documentElement.dir = 'rtl'")
    return result


def box_of(page: Page, selector: str) -> dict[str, float]:
    """The first match's box on screen, with its right edge."""
    box = page.locator(selector).first.bounding_box()
    assert box, f"{selector} is not shown"
    return {**box, "right": box["x"] + box["width"]}


def computed(page: Page, selector: str, *properties: str) -> list[str]:
    return page.locator(selector).first.evaluate(
        "(e, names) => names.map(n => getComputedStyle(e).getPropertyValue(n))", list(properties)
    )


@pytest.mark.parametrize(
    "viewport", [{"width": 1280, "height": 900}, PHONE], ids=["desktop", "phone"]
)
def test_right_to_left_home_page_mirrors(open_tab: OpenTab, viewport: dict[str, int]) -> None:
    """Right to left, the brand sits at the right edge, a row's status left of its name, the uptime
    bar and its legend run from the oldest day on the right to today on the left, the incident
    card's accent is on the right, and the page does not scroll sideways."""
    result = visit_right_to_left(open_tab(viewport=viewport), "/")
    page = result.page
    brand, masthead = box_of(page, ".brand"), box_of(page, ".masthead-inner")
    (padding,) = computed(page, ".masthead-inner", "padding-right")
    assert abs(brand["right"] - (masthead["right"] - float(padding.removesuffix("px")))) <= 1
    assert brand["x"] > viewport["width"] / 2

    row = ".components .component-row"
    assert box_of(page, f"{row} .status")["right"] <= box_of(page, f"{row} .component-name")["x"]
    oldest, today = box_of(page, ".bar .seg:first-child"), box_of(page, ".bar .seg:last-child")
    assert oldest["x"] > today["right"]
    legend = page.locator(".bar-legend").first
    first_date, last = legend.locator("> span").first, legend.locator("> span").last
    assert last.inner_text() == "Today"
    assert first_date.bounding_box()["x"] > last.bounding_box()["x"]  # type: ignore[index]

    card = ".active-incident.card"
    assert computed(page, card, "border-right-width", "border-left-width") == ["4px", "1px"]
    assert overflow(page)[0] <= viewport["width"]
    result.assert_clean()


def test_right_to_left_incident_page_mirrors(open_tab: OpenTab) -> None:
    """Right to left, an incident's timeline runs down its right side, with each update's dot on
    that line, the "what you need to do" accent is on the right, and table cells start at the
    right."""
    result = visit_right_to_left(open_tab(), POWER_LOSS)
    page = result.page
    timeline = box_of(page, ".timeline")
    assert computed(page, ".timeline", "border-right-width", "border-left-width") == ["2px", "0px"]
    dot = page.locator(".update").first.evaluate(
        "e => { const s = getComputedStyle(e, '::before'); return [s.right, s.marginRight]; }"
    )
    assert dot == ["-20px", "-5px"], "the dot sits on the line, 1.25rem right of the update"
    update = box_of(page, ".update")
    assert timeline["right"] - update["right"] > 10, "the updates sit inside the line"
    assert computed(page, ".actions", "border-right-width", "border-left-width") == ["4px", "1px"]

    cell = page.locator("table.follow-up td").first
    text = cell.evaluate(
        """c => { const r = document.createRange(); r.selectNodeContents(c);
                  const t = r.getBoundingClientRect(), b = c.getBoundingClientRect();
                  return [b.right - t.right, t.left - b.left]; }"""
    )
    assert text[0] < text[1], f"the cell's text hugs its right edge: {text}"
    assert overflow(page)[0] <= 1280
    result.assert_clean()


def test_right_to_left_uptime_tooltips_stay_inside_the_window(open_tab: OpenTab) -> None:
    """Right to left on an 800 px window, where some centred tooltips would cross the left edge,
    the script pins them to the window side and every one is whole on screen."""
    result = visit_right_to_left(open_tab(viewport={"width": 800, "height": 800}), "/")
    page = result.page
    segments = page.locator(".seg")
    outside = []
    for index in range(segments.count()):
        segment = segments.nth(index)
        segment.hover()
        box = segment.locator(".tip").bounding_box()
        assert box and box["width"] > 1
        scroll_width, client_width = overflow(page)
        if box["x"] < 0 or box["x"] + box["width"] > client_width or scroll_width > client_width:
            outside.append(
                f"segment {index}: tooltip from {box['x']:.0f} to {box['x'] + box['width']:.0f} px"
            )
    assert outside == []
    result.assert_clean()


def test_right_to_left_pager_arrows_point_back_and_forward(open_tab: OpenTab) -> None:
    """Right to left, "Newer" is at the right of the page numbers with its arrow pointing right,
    outwards, as "Older" points left; left to right the arrows are as before."""
    result = open_tab().visit("/history/2/")
    page = result.page
    arrow = "([s, p]) => getComputedStyle(document.querySelector(s), p).content"
    assert page.evaluate(arrow, [".pager [rel=prev]", "::before"]) == '"← "'
    page.evaluate("document.documentElement.dir = 'rtl'")
    newer, numbers = box_of(page, ".pager [rel=prev]"), box_of(page, ".pager ul")
    assert newer["x"] >= numbers["right"]
    assert page.evaluate(arrow, [".pager [rel=prev]", "::before"]) == '"→ "'

    older = open_tab().visit("/history/")
    older.page.evaluate("document.documentElement.dir = 'rtl'")
    assert box_of(older.page, ".pager [rel=next]")["right"] <= box_of(older.page, ".pager ul")["x"]
    assert older.page.evaluate(arrow, [".pager [rel=next]", "::after"]) == '" ←"'
    result.assert_clean()
    older.assert_clean()


# ---- the site in other languages -----------------------------------------------------------


@pytest.fixture(scope="module")
def language_sites(
    tmp_path_factory: pytest.TempPathFactory,
) -> Iterator[Callable[[str], ServedSite]]:
    """The example site built in one language (site.yml `language: <tag>`), served."""
    served: dict[str, ServedSite] = {}
    stack = ExitStack()

    def get(tag: str) -> ServedSite:
        if tag not in served:
            root = tmp_path_factory.mktemp(f"lang-{tag}")
            content = example_speaking(root, f"language: {tag}")
            served[tag] = stack.enter_context(built_and_served(content, root / "public"))
        return served[tag]

    with stack:
        yield get


@pytest.mark.parametrize("scheme", ["light", "dark"])
@pytest.mark.parametrize("path", ["/", ONGOING, POWER_LOSS], ids=["home", "ongoing", "review"])
@pytest.mark.parametrize("tag", ["fr", "ja", "ar"])
def test_translated_pages_pass_axe(
    chromium: Browser,
    language_sites: Callable[[str], ServedSite],
    tag: str,
    path: str,
    scheme: str,
) -> None:
    """French, Japanese and Arabic pages: no axe violation, nothing blocked, no script error."""
    tab = new_tab(chromium, language_sites(tag), color_scheme=scheme, axe=True)
    try:
        result = tab.visit(path)
        assert result.page.evaluate("document.documentElement.lang") == tag
        assert axe_problems(result.page) == []
        result.assert_clean()
    finally:
        tab.context.close()


@pytest.mark.parametrize(
    "viewport", [{"width": 1280, "height": 900}, PHONE], ids=["desktop", "phone"]
)
def test_an_arabic_site_is_laid_out_right_to_left(
    chromium: Browser, language_sites: Callable[[str], ServedSite], viewport: dict[str, int]
) -> None:
    """Built in Arabic (not forced in the browser), the page reads right to left: the brand
    at the right edge, the uptime bar's today on the left, and nothing scrolls sideways."""
    tab = new_tab(chromium, language_sites("ar"), viewport=viewport)
    try:
        page = tab.visit("/").page
        assert page.evaluate("getComputedStyle(document.body).direction") == "rtl"
        brand, masthead = box_of(page, ".brand"), box_of(page, ".masthead-inner")
        (padding,) = computed(page, ".masthead-inner", "padding-right")
        assert abs(brand["right"] - (masthead["right"] - float(padding.removesuffix("px")))) <= 1
        assert brand["x"] > viewport["width"] / 2
        oldest = box_of(page, ".bar .seg:first-child")
        newest = box_of(page, ".bar .seg:last-child")
        assert oldest["x"] > newest["x"]
        width, room = overflow(page)
        assert width <= room
    finally:
        tab.context.close()


def test_the_pages_script_speaks_the_pages_language(
    chromium: Browser, language_sites: Callable[[str], ServedSite]
) -> None:
    """In French, the visitor-time note, the overdue promise and the support line come from the
    French catalogue, and times are rewritten the French way."""
    french = language("fr")
    tab = new_tab(
        chromium, language_sites("fr"), now="2026-11-23T17:30:00Z", timezone_id="America/New_York"
    )
    try:
        page = tab.visit(ONGOING).page
        note = page.locator("[data-tz-note]").inner_text()
        assert note == french.gettext("Times are shown in your time zone (%(zone)s).") % {
            "zone": "America/New_York"
        }
        late = page.locator("[data-due]").inner_text()
        sentence = (
            "The next update was due at %(time)s, %(ago)s ago. It is late: this page may not "
            "show the latest news; we have not forgotten."
        )
        opening = french.gettext(sentence).split("%(")[0]
        assert opening and late.startswith(opening), late
        assert "nov." in page.locator("time[data-local]").first.inner_text()
        support = tab.visit("/support/").page.locator("[data-open-state]").inner_text()
        lines = [french.gettext("Open now."), french.gettext("Closed now.")]
        lines += [
            french.gettext(line).split("%(")[0]
            for line in (
                "Open now, until %(time)s your time.",
                "Closed now, opens %(time)s your time.",
            )
        ]
        assert any(support.startswith(line) for line in lines), support
    finally:
        tab.context.close()


# ---- between builds: the visitor's clock moves what the build's could not ---------------

POSTGRES_UPGRADE = "/maintenance/2026-11-26-postgresql-17-upgrade/"  # 02:00–04:00 CET, 26 Nov
# Every place that shows the upgrade's phase: the home page's card, its own page's header
# and the line on its component's page.
UPGRADE_PHASES = {
    "/": "#upcoming-heading ~ .maintenance-card:has(a[href='"
    + POSTGRES_UPGRADE
    + "']) .meta .phase",
    POSTGRES_UPGRADE: ".maintenance-page .page-head .meta .phase",
    "/components/db-postgresql/": f".incident-line:has(a[href='{POSTGRES_UPGRADE}']) .meta .phase",
}


def built_page(site: ServedSite, path: str) -> Any:
    return html5lib.parse(
        (site.root / path.lstrip("/") / "index.html").read_bytes(), namespaceHTMLElements=False
    )


def built_next_change(site: ServedSite, path: str = "/") -> datetime:
    """The moment the built page says it changes by itself: its body's data-next-change."""
    body = built_page(site, path).find("body")
    assert body is not None and body.get("data-next-change"), "the page names its next change"
    return datetime.fromisoformat(body.get("data-next-change", ""))


def built_stale_time(site: ServedSite, path: str) -> str:
    """The words the built stale notice gives for the moment the page should have changed."""
    found = [t for t in built_page(site, path).iter("time") if "data-stale-time" in t.attrib]
    assert len(found) == 1
    return "".join(found[0].itertext())


def phase_of(page: Page, selector: str) -> tuple[str, str]:
    """A phase label's words and its phase-<key> class."""
    label = page.locator(selector)
    assert label.count() == 1, selector
    classes = (label.get_attribute("class") or "").split()
    return label.inner_text(), next(c for c in classes if c.startswith("phase-"))


@pytest.mark.parametrize(
    ("now", "words", "key"),
    [
        ("2026-11-23T13:30:00Z", "Scheduled", "phase-scheduled"),  # the build's own clock
        ("2026-11-26T00:59:00Z", "Scheduled", "phase-scheduled"),  # a minute before the start
        ("2026-11-26T01:00:00Z", "In progress", "phase-in_progress"),  # 02:00 CET: the start
        ("2026-11-26T02:59:00Z", "In progress", "phase-in_progress"),
        ("2026-11-26T03:00:00Z", "Completed", "phase-completed"),  # 04:00 CET: the end
        ("2026-12-01T12:00:00Z", "Completed", "phase-completed"),
    ],
    ids=["built", "before", "start", "during", "end", "after"],
)
def test_maintenance_phase_follows_the_visitors_clock(
    open_tab: OpenTab, now: str, words: str, key: str
) -> None:
    """Built while the upgrade was upcoming, every page that shows its phase says "In
    progress" from its start and "Completed" from its end, by the browser's clock."""
    tab = open_tab(now=now)
    for path, selector in UPGRADE_PHASES.items():
        result = tab.visit(path, idle=True)  # the next visit must not cut the favicon short
        assert phase_of(result.page, selector) == (words, key), path
        result.assert_clean()


def test_a_phase_decided_by_the_build_does_not_move(open_tab: OpenTab) -> None:
    """A completed maintenance carries no window for the script: it stays as built."""
    result = open_tab(now="2026-11-30T12:00:00Z").visit(PAGES["maintenance-completed"])
    meta = result.page.locator(".maintenance-page .page-head .meta")
    assert meta.get_attribute("data-phase") is None
    assert phase_of(result.page, ".maintenance-page .page-head .meta .phase") == (
        "Completed",
        "phase-completed",
    )
    result.assert_clean()


def test_the_maintenance_phase_speaks_the_pages_language(
    chromium: Browser, language_sites: Callable[[str], ServedSite]
) -> None:
    """In French, the phase the script writes comes from the French catalogue."""
    french = language("fr")
    tab = new_tab(chromium, language_sites("fr"), now="2026-11-26T01:30:00Z")
    try:
        result = tab.visit(f"/{POSTGRES_UPGRADE.lstrip('/')}")
        label = ".maintenance-page .page-head .meta .phase"
        assert phase_of(result.page, label) == (french.gettext("In progress"), "phase-in_progress")
        assert french.gettext("In progress") != "In progress"
        result.assert_clean()
    finally:
        tab.context.close()


def test_stale_notice_stays_hidden_until_ten_minutes_past_the_next_change(
    open_tab: OpenTab, site: ServedSite
) -> None:
    """Up to ten minutes after the moment the page should have changed, no notice."""
    due = built_next_change(site)
    for now in (DEMO_NOW, due, due + timedelta(minutes=10)):
        result = open_tab(now=now).visit("/")
        assert result.page.locator("#stale-note").is_hidden(), now
        result.assert_clean()


# Pages that change by themselves within the build's look-ahead: the home page (a promised
# update falls due) and a component page (a local midnight rolls its uptime bar over).
STALE_PAGES = ["/", "/components/db-postgresql/"]


@pytest.mark.parametrize("scheme", ["light", "dark"])
@pytest.mark.parametrize("path", STALE_PAGES)
def test_stale_notice_shows_with_working_links_once_the_page_is_old(
    open_tab: OpenTab, site: ServedSite, path: str, scheme: str
) -> None:
    """More than ten minutes past its next change a page says it may be out of date, at the
    top of its main content, as a status message pointing to the feeds and the API; axe
    finds nothing wrong with it."""
    late = built_next_change(site, path) + timedelta(minutes=11)
    tab = open_tab(now=late, color_scheme=scheme, axe=True)
    result = tab.visit(path)
    page = result.page
    note = page.locator("main > #stale-note")
    assert note.is_visible()
    assert note.get_attribute("role") == "status"
    assert page.evaluate("document.querySelector('main').firstElementChild.id") == "stale-note"
    assert note.inner_text().startswith("This page may be out of date.")
    assert f"It was due to change at {built_stale_time(site, path)}." in note.inner_text()
    links = {a.inner_text(): a.get_attribute("href") or "" for a in note.locator("a").all()}
    assert links == {
        "RSS": "/rss.xml",
        "Atom": "/atom.xml",
        "JSON API": "/api/v2/summary.json",
    }
    for href in links.values():
        response = tab.context.request.get(site.url(href))
        assert response.status == 200, href
    assert axe_problems(page) == []
    result.assert_clean()


def test_stale_notice_gives_its_time_in_the_visitors_zone(
    open_tab: OpenTab, site: ServedSite
) -> None:
    """From New York, the moment the page should have changed reads in New York time."""
    due = built_next_change(site)
    result = open_tab(now=due + timedelta(hours=1), timezone_id="America/New_York").visit("/")
    there = due.astimezone(ZoneInfo("America/New_York"))
    expected = f"{there.day} {there:%b %Y, %H:%M} {there.tzname()}"
    assert f"It was due to change at {expected}." in result.page.locator("#stale-note").inner_text()
    result.assert_clean()


def test_an_open_page_moves_on_at_the_right_minute(open_tab: OpenTab, site: ServedSite) -> None:
    """Left open, a page re-checks every 30 seconds: the promise turns overdue, the stale
    notice appears, and the maintenance starts and ends without a reload."""
    tab = open_tab(now=None)
    tab.context.clock.install(time="2026-11-23T13:44:00Z")
    result = tab.visit("/")
    page = result.page
    # The promise is due at 14:45 CET and late from the first whole minute after it.
    page.clock.pause_at("2026-11-23T13:45:45Z")
    promise = page.locator("[data-due]")
    card = UPGRADE_PHASES["/"]
    assert "overdue" not in (promise.get_attribute("class") or "").split()
    page.clock.fast_forward("00:30")
    assert "overdue" in (promise.get_attribute("class") or "").split()
    due = built_next_change(site)
    page.clock.pause_at(due + timedelta(minutes=9, seconds=45))
    assert page.locator("#stale-note").is_hidden()
    page.clock.fast_forward("01:00")
    assert page.locator("#stale-note").is_visible()
    assert phase_of(page, card) == ("Scheduled", "phase-scheduled")
    page.clock.pause_at("2026-11-26T00:59:45Z")
    page.clock.fast_forward("00:30")
    assert phase_of(page, card) == ("In progress", "phase-in_progress")
    page.clock.fast_forward("02:00:00")
    assert phase_of(page, card) == ("Completed", "phase-completed")
    result.assert_clean()


def test_without_javascript_a_maintenance_shows_its_build_time_phase_and_when_that_was_true(
    open_tab: OpenTab,
) -> None:
    """With scripts off and a clock long past the window, the pages say what was true at
    the build, "As of" when, and show no stale notice."""
    tab = open_tab(now="2026-12-01T12:00:00Z", java_script_enabled=False)
    for path, selector in UPGRADE_PHASES.items():
        result = tab.visit(path, idle=True)
        page = result.page
        assert phase_of(page, selector) == ("Scheduled", "phase-scheduled"), path
        footer = page.locator("footer").inner_text()
        assert re.search(r"As of \d+ \w+ 2026, \d\d:\d\d CET\.", footer), footer
        assert page.locator("#stale-note").is_hidden()
        result.assert_clean()
