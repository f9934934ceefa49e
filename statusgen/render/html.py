"""HTML pages of the status site, rendered with the theme's Jinja2 templates."""

from __future__ import annotations

import json
import re
from collections.abc import Callable, MutableMapping
from dataclasses import dataclass, fields, is_dataclass
from datetime import date, datetime, timedelta
from functools import cache, cached_property
from pathlib import Path
from typing import Any

from jinja2 import (
    BaseLoader,
    Environment,
    StrictUndefined,
    Template,
    TemplateError,
    TemplateNotFound,
    TemplateRuntimeError,
    select_autoescape,
)
from jinja2.ext import Extension
from jinja2.loaders import split_template_path
from jinja2.sandbox import ImmutableSandboxedEnvironment
from markupsafe import Markup

from statusgen.derive import Facts
from statusgen.derive.clock import PageClock, SiteClock, change_subject
from statusgen.derive.incidents import IncidentFacts
from statusgen.derive.lifecycle import LifecycleSummary, summarise
from statusgen.derive.maintenance import MaintenanceFacts
from statusgen.derive.status import ComponentState
from statusgen.model import Component, ComponentStatus
from statusgen.render.brand import brand_view
from statusgen.render.language import SOURCE_LANGUAGE, Language, language
from statusgen.render.precompiled import precompiled_code, template_key
from statusgen.render.subscribe import feed_links, subscription
from statusgen.render.template_cache import SignedBytecodeCache
from statusgen.render.theme import (
    TEMPLATES,
    Asset,
    ThemeFileError,
    confined_file,
    default_theme_dir,
    is_default,
    theme_files,
    unreadable,
)
from statusgen.render.times import offset_text, zone_names
from statusgen.render.views import (
    IncidentView,
    MaintenanceView,
    ViewBuilder,
    contact_view,
    link_phone_numbers,
    support_windows,
)

MONTHS_PER_HISTORY_PAGE = 3
# Pages by what they show of the clock (see derive.clock.PageClock): the front page shows
# every change and the days; support, reliability and 404 show nothing the clock changes.
EVERYTHING = PageClock(None, midnights=True)
STILL = PageClock(frozenset(), midnights=False)
RECENT_DAYS = 7


@dataclass(frozen=True, slots=True)
class DayView:
    iso: str
    label: str
    incidents: tuple[IncidentView, ...]
    maintenances: tuple[MaintenanceView, ...]


@dataclass(frozen=True, slots=True)
class MonthView:
    key: str  # YYYY-MM
    label: str  # November 2026
    incidents: tuple[IncidentView, ...]
    maintenances: tuple[MaintenanceView, ...]
    summary: str | None  # "3 incidents · median time to resolve 1 h 05 min"


def lifecycle_text(summary: LifecycleSummary, lang: Language) -> str | None:
    """'3 incidents · median time to identify 12 min · median time to resolve 1 hr, 5 min'."""
    if not summary.count:
        return None
    parts = [
        lang.ngettext("%(count)s incident", "%(count)s incidents", summary.count)
        % {"count": lang.number(summary.count)}
    ]
    if summary.median_time_to_identify is not None:
        parts.append(
            lang.gettext("median time to identify %(duration)s")
            % {"duration": lang.duration(summary.median_time_to_identify)}
        )
    if summary.median_time_to_resolve is not None:
        parts.append(
            lang.gettext("median time to resolve %(duration)s")
            % {"duration": lang.duration(summary.median_time_to_resolve)}
        )
    return " · ".join(parts)


@dataclass(frozen=True, slots=True)
class PageLink:
    number: int
    url: str


@dataclass(frozen=True, slots=True)
class OverallView:
    indicator: str  # none, minor, major, critical, maintenance: the banner's CSS class
    description: str  # "All Systems Operational" in the page's language


@dataclass(frozen=True, slots=True)
class LanguageLink:
    """One language of a multi-language site: where its pages live."""

    tag: str  # 'fr'
    name: str  # the language's own name for itself: 'français'
    prefix: str  # '' for the first language, '/fr' for the others


@dataclass(frozen=True, slots=True)
class PageAlternate:
    """The same page in one of the site's languages (hreflang links, the language switch)."""

    tag: str
    name: str
    url: str  # site-relative
    current: bool


DEFAULT_PREFIX = "default/"  # `{% extends "default/base.html" %}`: the default theme's own


class ThemeLoader(BaseLoader):
    """The theme's templates over the default theme's, and `default/<name>` for the default's
    own, so that a theme holds only the templates it changes and can extend the one it replaces.

    Every file is looked up inside its theme folder (see theme.confined_file): a link out of
    it, a link to a folder or a file that is not regular is a ThemeFileError, never a fallback
    to the default theme and never read.
    """

    def __init__(self, theme_dir: Path) -> None:
        self.default = default_theme_dir().resolve()
        self.custom = None if is_default(theme_dir) else theme_dir.resolve()

    def get_source(
        self, environment: Environment, template: str
    ) -> tuple[str, str, Callable[[], bool]]:
        parts = tuple(split_template_path(template))
        roots = [self.custom, self.default] if self.custom is not None else [self.default]
        if template.startswith(DEFAULT_PREFIX) and len(parts) > 1:
            roots, parts = [self.default], parts[1:]
        for root in roots:
            if root is not None and (path := confined_file(root, (TEMPLATES, *parts))) is not None:
                return _read_template(path), str(path), _unchanged_since(path)
        raise TemplateNotFound(
            template, f"no template '{template}' in the theme or the default theme"
        )

    def load(
        self,
        environment: Environment,
        name: str,
        globals: MutableMapping[str, Any] | None = None,
    ) -> Template:
        """The template, compiled: a default theme's template from the code compiled when the
        package was built, when there is code for exactly this source, language and setting
        (statusgen.render.precompiled); any other through Jinja (and its bytecode cache)."""
        source, filename, uptodate = self.get_source(environment, name)
        if Path(filename).is_relative_to(self.default):
            key = template_key(environment, name, source)
            if (code := precompiled_code(key, filename)) is not None:
                return environment.template_class.from_code(
                    environment, code, globals or {}, uptodate
                )
        return super().load(environment, name, globals)

    def list_templates(self) -> list[str]:
        """Every template a build compiles up front: the default's, the theme's, and the
        default's own version of each one the theme replaces (what it likely extends)."""
        names = set(theme_files(self.default, TEMPLATES)[0])
        if self.custom is not None:
            own = theme_files(self.custom, TEMPLATES)[0]
            names |= set(own) | {DEFAULT_PREFIX + name for name in own if name in names}
        return sorted(names)


def _read_template(path: Path) -> str:
    """The template's text; a file that is not UTF-8 is named with the line of its first bad byte."""
    try:
        data = path.read_bytes()
    except OSError as error:
        raise unreadable(path, error) from None
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as error:
        line = data[: error.start].count(b"\n") + 1
        message = f"template is not UTF-8 text (byte 0x{data[error.start]:02x})"
        raise ThemeFileError(path, message, "save the template as UTF-8", line) from None


def _unchanged_since(path: Path) -> Callable[[], bool]:
    try:
        mtime = path.stat().st_mtime
    except OSError:
        mtime = None

    def uptodate() -> bool:
        try:
            return path.stat().st_mtime == mtime
        except OSError:
            return False

    return uptodate


class TemplateFailed(TemplateRuntimeError):
    """Any other exception raised while a template renders (`{{ 1 / 0 }}`, a template that
    extends itself): the template's mistake, reported with its file and line like the rest.
    The original exception, with the template's frames, is its __cause__."""


@cache
def _data_fields(cls: type) -> frozenset[str]:
    """The fields of statusgen's own frozen dataclasses (the views): plain data by design."""
    if not cls.__module__.startswith("statusgen.") or not is_dataclass(cls):
        return frozenset()
    if not cls.__dataclass_params__.frozen:  # type: ignore[attr-defined]
        return frozenset()
    return frozenset(f.name for f in fields(cls) if not f.name.startswith("_"))


class ThemeSandbox(ImmutableSandboxedEnvironment):
    """Jinja's immutable sandbox, with one shortcut: reading a field of one of statusgen's own
    frozen dataclasses skips the per-access checks (which about double the time pages take);
    whatever a template does with the value it read is checked as usual."""

    def getattr(self, obj: Any, attribute: str) -> Any:
        cls: type = type(obj)
        if attribute in _data_fields(cls):
            return getattr(obj, attribute)
        return super().getattr(obj, attribute)


class TranslatedConstants(Extension):
    """Translates `_("a constant")` when the template is compiled, not each time it is shown.

    Most of a page's words are constants; a call per word per page costs more than all the
    rest of the page's text. A call whose message has no values is replaced by the
    translation as a string, so the compiled template is the language's own (its bytecode
    is cached per language and catalogue, see make_environment). Messages with values
    (`_("since %(time)s", time=…)`) stay calls.
    """

    def preprocess(self, source: str, name: str | None, filename: str | None = None) -> str:
        gettext: Callable[[str], str] = self.environment.statusgen_gettext  # type: ignore[attr-defined]

        def constant(call: re.Match[str]) -> str:
            message = call.group(2).encode("ascii", "backslashreplace").decode("unicode-escape")
            try:
                text = gettext(message) % {}  # what the call would print: '%%' is '%'
            except (KeyError, TypeError, ValueError):
                return call.group(0)  # a placeholder without a value: leave it to the call
            return json.dumps(text, ensure_ascii=False)

        def in_tag(tag: re.Match[str]) -> str:
            return _CONSTANT_CALL.sub(constant, tag.group(0))

        return _TAG.sub(in_tag, source)


# Expressions and statements (where `_()` is a call), and a call with one string literal.
_TAG = re.compile(r"\{\{.*?\}\}|\{%.*?%\}", re.DOTALL)
_CONSTANT_CALL = re.compile(r"""(?<![\w.])(_|gettext)\(\s*"((?:[^"\\]|\\.)*)"\s*\)""")


def _fast_gettext(lang: Language) -> tuple[Callable[..., Markup], Callable[..., Markup]]:
    """`_()`/`gettext()` and `ngettext()` for templates, as Jinja's new-style gettext means
    them (the translation is markup; values are escaped into it) without its two extra
    context calls per use."""

    def gettext(message: str, **values: Any) -> Markup:
        return Markup(lang.gettext(message)) % values

    def ngettext(singular: str, plural: str, count: int, **values: Any) -> Markup:
        values.setdefault("num", count)
        return Markup(lang.ngettext(singular, plural, count)) % values

    return gettext, ngettext


def make_environment(
    theme_dir: Path,
    bytecode_dir: Path | None = None,
    key: bytes | None = None,
    lang: Language | None = None,
) -> Environment:
    """The theme's templates in Jinja's sandbox, speaking `lang` (English when None); compiled
    templates are kept in `bytecode_dir`, signed with `key`, when both are given.

    Templates translate with `{% trans %}` and `_()` (Jinja's i18n extension, new style: the
    translation is escaped and filled with `%(name)s` values); the catalogue is the language's.

    The sandbox refuses what a template could use to reach Python (`__class__`, `__globals__`,
    …) and, immutable, any change to the values it is given, which pages share.
    Sandboxed code differs from unsandboxed code, so its compiled templates are cached under
    their own names.
    """
    speaking = lang or language(SOURCE_LANGUAGE)
    fingerprint = speaking.fingerprint
    env = ThemeSandbox(
        loader=ThemeLoader(theme_dir),
        bytecode_cache=SignedBytecodeCache(bytecode_dir, key, fingerprint)
        if bytecode_dir and key
        else None,
        # Plain-text templates (the e-mail's text part) are not HTML: nothing to escape there.
        autoescape=select_autoescape(
            disabled_extensions=("txt",), default=True, default_for_string=True
        ),
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
        auto_reload=False,  # one environment per build: no need to stat templates per page
        extensions=["jinja2.ext.i18n", TranslatedConstants],
    )
    # Whitespace inside {% trans %} blocks is collapsed: catalogues hold one-line messages.
    env.policies["ext.i18n.trimmed"] = True
    env.statusgen_gettext = speaking.gettext  # type: ignore[attr-defined]
    env.statusgen_fingerprint = fingerprint  # type: ignore[attr-defined]
    env.install_gettext_callables(  # type: ignore[attr-defined]
        speaking.gettext, speaking.ngettext, newstyle=True
    )
    gettext, ngettext = _fast_gettext(speaking)
    env.globals.update(_=gettext, gettext=gettext, ngettext=ngettext)
    return env


def _local_date(moment: datetime, facts: Facts) -> date:
    return moment.astimezone(facts.content.site.timezone).date()


def _months_between(first: date, last: date) -> list[tuple[int, int]]:
    months = []
    year, month = last.year, last.month
    while (year, month) >= (first.year, first.month):
        months.append((year, month))
        year, month = (year, month - 1) if month > 1 else (year - 1, 12)
    return months


@dataclass(frozen=True, slots=True)
class Page:
    """One HTML page: where it goes, its template, and how to make its context.

    The context is made only when the page is rendered (on whichever worker renders it,
    or on request in the preview), so listing the pages costs next to nothing.
    """

    out: str  # output path in the site, e.g. incidents/<slug>/index.html
    template: str
    context: Callable[[], dict[str, Any]]


def _has_recovery_facts(component: Component) -> bool:
    """Whether the reliability page has a row to show for the component (see ComponentView)."""
    recovery = component.recovery
    return component.redundancy is not None or (
        recovery is not None
        and (bool(recovery.failover) or recovery.rto is not None or recovery.rpo is not None)
    )


def out_path(url: str) -> str:
    out = url.lstrip("/")
    return out + "index.html" if out.endswith("/") or not out else out


class HtmlRenderer:
    """Lists the site's pages and renders any one of them with the theme's templates."""

    def __init__(
        self,
        facts: Facts,
        assets: tuple[Asset, ...],
        views: ViewBuilder,
        alternates: tuple[LanguageLink, ...] = (),
        clock: SiteClock | None = None,
    ) -> None:
        self.facts = facts
        # The site's clock moments up to the build and after it: each page shows "as of" the
        # last moment of what it shows, and carries the next one (see derive.clock).
        self._clock_index = clock or SiteClock({}, {})
        self.views = views
        self.lang = views.lang
        self.alternates = alternates  # every language of the site, this one included
        self.site = facts.content.site
        self._assets = {a.name: "/" + a.path for a in assets}
        self._branding = brand_view(self.site.branding, assets)

    def asset(self, name: str) -> str:
        try:
            return self._assets[name]
        except KeyError:
            raise TemplateRuntimeError(
                f"no static file '{name}' in the theme or the default theme"
            ) from None

    def render(self, env: Environment, page: Page) -> str:
        """The page's HTML; whatever goes wrong inside its template is a TemplateError."""
        template = env.get_template(page.template)
        context = page.context()
        try:
            return template.render(context)
        except TemplateError:
            raise
        except Exception as error:
            raise TemplateFailed(f"{type(error).__name__}: {error}") from error

    def _clock(self, clock: PageClock) -> dict[str, Any]:
        as_of, following = self._clock_index.page_times(clock)
        return {
            # When what the page shows last changed (never the build's clock), or None.
            "generated": self.views.time(as_of) if as_of else None,
            # The next moment the page changes by itself, for the visitor's clock, or None.
            "next_change": self.views.time(following) if following else None,
        }

    def _common(
        self, path: str, title: str | None, description: str, clock: PageClock = STILL
    ) -> dict[str, Any]:
        """`path` is the page's path in the site's first language ('/history/'): the page's
        own URL and its alternates in the other languages are made from it. `clock`: which
        of the site's clock moments the page shows."""
        return {
            **self._site_wide,
            **self._clock(clock),
            "page_path": path,
            "canonical": self.site.url + self.views.url(path),
            "alternates": tuple(
                PageAlternate(a.tag, a.name, a.prefix + path, a.tag == self.lang.tag)
                for a in self.alternates
            ),
            "title": f"{title} · {self.site.name}" if title else self.site.name,
            "description": description,
        }

    @cached_property
    def _site_wide(self) -> dict[str, Any]:
        """What every page's context shares, made once."""
        now_local = self.facts.now.astimezone(self.site.timezone)
        return {
            "site": self.site,
            "lang": self.lang.tag,
            "direction": self.lang.direction,
            "url": self.views.url,
            "asset": self.asset,
            "timezone": self.site.timezone.key,
            "timezone_abbr": now_local.tzname(),
            "timezone_offset": offset_text(now_local),
            "timezone_names": zone_names(self.site.timezone, self.facts.now),
            "overall": OverallView(
                self.facts.overall.indicator.value,
                self.views.overall_text(self.facts.overall.description),
            ),
            "overall_icon": self.facts.worst_status.value,
            "has_support": self.site.support is not None,
            "has_reliability": self.site.recovery is not None
            or any(c.redundancy or c.recovery for c in self.site.components),
            # <link rel="alternate">; component pages add theirs
            "feeds": feed_links(self.site.name, self.lang, self.views.prefix),
            "subscribe": subscription(self.site.name, self.lang, self.views.prefix),
            "branding": self._branding,
            # How much a partial outage counts as downtime, for the uptime note: "30%".
            "partial_weight": self.lang.percent(
                f"{100 * dict(self.site.uptime.weights)[ComponentStatus.PARTIAL_OUTAGE]:g}"
            ),
        }

    def _page(
        self,
        template: str,
        path: str,
        title: str | None,
        description: str,
        context: Callable[[], dict[str, Any]],
        clock: PageClock = STILL,
    ) -> Page:
        return Page(
            out_path(self.views.url(path)),
            template,
            lambda: {**self._common(path, title, description, clock), **context()},
        )

    def pages(self) -> list[Page]:
        """Every page of the site, home first."""
        facts = self.facts
        pages = [self.home()]
        for f in facts.incidents:
            pages.append(self.incident(f))
        for m in facts.maintenances:
            pages.append(self.maintenance(m))
        pages.extend(self.component(state) for state in facts.components)
        pages.extend(self.history())
        if self.site.support is not None:
            pages.append(self.support())
        if self.site.recovery is not None or any(
            _has_recovery_facts(c) for c in self.site.components
        ):
            pages.append(self.reliability())
        pages.append(
            self._page(
                "404.html",
                "/404.html",
                self.lang.gettext("Page not found"),
                self.lang.gettext("This page does not exist."),
                dict,
            )
        )
        return pages

    def incident(self, f: IncidentFacts) -> Page:
        url = self.views.url(f"/incidents/{f.incident.slug}/")
        return Page(out_path(url), "incident.html", lambda: self._incident_context(f))

    def _incident_context(self, f: IncidentFacts) -> dict[str, Any]:
        view = self.views.incident(f)
        description = self.lang.gettext("%(phase)s: %(title)s") % {
            "phase": view.phase.label,
            "title": view.title,
        }
        return {
            **self._common(
                f"/incidents/{f.incident.slug}/",
                view.title,
                description,
                PageClock(frozenset({f.incident.slug}), midnights=False),
            ),
            "incident": view,
        }

    def maintenance(self, m: MaintenanceFacts) -> Page:
        url = self.views.url(f"/maintenance/{m.maintenance.slug}/")
        return Page(out_path(url), "maintenance.html", lambda: self._maintenance_context(m))

    def _maintenance_context(self, m: MaintenanceFacts) -> dict[str, Any]:
        view = self.views.maintenance(m)
        description = self.lang.gettext("Maintenance (%(phase)s): %(title)s") % {
            "phase": view.status.label,
            "title": view.title,
        }
        path = f"/maintenance/{m.maintenance.slug}/"
        clock = PageClock(frozenset({m.maintenance.slug}), midnights=False)
        return {**self._common(path, view.title, description, clock), "maintenance": view}

    def home(self) -> Page:
        return self._page(
            "index.html",
            "/",
            None,
            f"{self.site.name}: {self.views.overall_text(self.facts.overall.description)}.",
            self._home_context,
            EVERYTHING,
        )

    def _home_context(self) -> dict[str, Any]:
        facts, views = self.facts, self.views
        today = _local_date(facts.now, facts)
        days = []
        for offset in range(RECENT_DAYS):
            day = today - timedelta(days=offset)
            incidents = tuple(
                views.incident(f)
                for f in facts.incidents
                if _local_date(f.started_at, facts) == day
            )
            maintenances = tuple(
                views.maintenance(m)
                for m in facts.maintenances
                if not m.upcoming and _local_date(m.maintenance.scheduled_for, facts) == day
            )
            label = self.lang.date_text(day)
            days.append(DayView(day.isoformat(), label, incidents, maintenances))
        upcoming = sorted(
            (m for m in facts.maintenances if m.upcoming), key=lambda m: m.maintenance.scheduled_for
        )
        return {
            "groups": views.groups(),
            "active_incidents": tuple(views.incident(f) for f in facts.ongoing),
            "active_maintenances": tuple(
                views.maintenance(m) for m in facts.maintenances if m.active
            ),
            "upcoming_maintenances": tuple(views.maintenance(m) for m in upcoming),
            "days": tuple(days),
        }

    def support(self) -> Page:
        support = self.site.support
        assert support is not None
        return self._page(
            "support.html",
            "/support/",
            self.lang.gettext("Support"),
            self.lang.gettext("How to reach %(site)s support, when, and how to escalate.")
            % {"site": self.site.name},
            lambda: {
                "windows": support_windows(support, self.lang),
                "contacts": tuple(contact_view(name, value) for name, value in support.contacts),
                "escalation": link_phone_numbers(support.escalation)
                if support.escalation
                else None,
            },
        )

    def reliability(self) -> Page:
        """Redundancy, failover and recovery objectives of every component, and the DR plan."""
        recovery = self.site.recovery

        def context() -> dict[str, Any]:
            return {
                "components": tuple(
                    self.views.component(state)
                    for state in self.facts.components
                    if not state.component.retired
                ),
                "backups": recovery.backups if recovery else (),
                "disaster_recovery": self.views.markdown(recovery.disaster_recovery)
                if recovery and recovery.disaster_recovery
                else None,
                "last_tested": self.lang.date_text(recovery.last_tested)
                if recovery and recovery.last_tested
                else None,
            }

        return self._page(
            "reliability.html",
            "/reliability/",
            self.lang.gettext("Reliability"),
            self.lang.gettext(
                "How %(site)s is built to survive failures, and how fast it recovers."
            )
            % {"site": self.site.name},
            context,
        )

    def component(self, state: ComponentState) -> Page:
        url = self.views.url(f"/components/{state.component.id}/")
        return Page(out_path(url), "component.html", lambda: self._component_context(state))

    def _component_context(self, state: ComponentState) -> dict[str, Any]:
        facts, views = self.facts, self.views
        component_id = state.component.id
        incidents: tuple[IncidentFacts, ...] = facts.incidents_by_component[component_id]
        maintenances = facts.maintenances_by_component[component_id]
        view = views.component(state)
        subjects = {f.incident.slug for f in incidents} | {m.maintenance.slug for m in maintenances}
        subjects.add(change_subject(component_id))
        return {
            **self._common(
                f"/components/{component_id}/",
                view.name,
                self.lang.gettext("Status and history of %(component)s: %(status)s.")
                % {"component": view.name, "status": view.status.label},
                PageClock(frozenset(subjects), midnights=True),  # its uptime bars roll over
            ),
            "component": view,
            "feeds": feed_links(self.site.name, self.lang, self.views.prefix, (view.id, view.name)),
            "subscribe": subscription(
                self.site.name, self.lang, self.views.prefix, (view.id, view.name)
            ),
            "active_incidents": tuple(views.incident(f) for f in incidents if f.ongoing),
            "incidents": tuple(views.incident(f) for f in incidents),
            "maintenances": tuple(views.maintenance(m) for m in maintenances),
        }

    def history(self) -> list[Page]:
        """Past incidents by month, newest first, a few months per page; empty months say so."""
        facts = self.facts
        incidents_by_month: dict[tuple[int, int], list[IncidentFacts]] = {}
        for f in facts.incidents:
            d = _local_date(f.started_at, facts)
            incidents_by_month.setdefault((d.year, d.month), []).append(f)
        maintenances_by_month: dict[tuple[int, int], list[MaintenanceFacts]] = {}
        for m in facts.maintenances:
            if m.upcoming:
                continue
            d = _local_date(m.maintenance.scheduled_for, facts)
            maintenances_by_month.setdefault((d.year, d.month), []).append(m)
        today = _local_date(facts.now, facts)
        starts = [_local_date(f.started_at, facts) for f in facts.incidents]
        starts += [
            _local_date(m.maintenance.scheduled_for, facts)
            for m in facts.maintenances
            if not m.upcoming
        ]
        first = min([*starts, today])
        months = _months_between(first, max(today, *starts) if starts else today)
        chunks = [
            months[i : i + MONTHS_PER_HISTORY_PAGE]
            for i in range(0, len(months), MONTHS_PER_HISTORY_PAGE)
        ]
        paths = ["/history/" if n == 1 else f"/history/{n}/" for n in range(1, len(chunks) + 1)]
        links = tuple(PageLink(n, self.views.url(path)) for n, path in enumerate(paths, start=1))

        def month_view(y: int, m: int) -> MonthView:
            incidents = incidents_by_month.get((y, m), [])
            return MonthView(
                f"{y:04d}-{m:02d}",
                self.lang.month_text(y, m),
                tuple(self.views.incident(f) for f in incidents),
                tuple(self.views.maintenance(x) for x in maintenances_by_month.get((y, m), ())),
                lifecycle_text(summarise(incidents), self.lang),
            )

        def page(number: int, chunk: list[tuple[int, int]]) -> Page:
            return self._page(
                "history.html",
                paths[number - 1],
                self.lang.gettext("Incident history")
                if number == 1
                else self.lang.gettext("Incident history, page %(number)s")
                % {"number": self.lang.number(number)},
                self.lang.gettext("Incidents and maintenance on %(site)s, by month.")
                % {"site": self.site.name},
                lambda: {
                    "months": tuple(month_view(y, m) for y, m in chunk),
                    "page_number": number,
                    "page_links": links,
                    "newer": links[number - 2] if number > 1 else None,
                    "older": links[number] if number < len(links) else None,
                },
                PageClock(subjects(chunk), midnights=False),
            )

        def subjects(chunk: list[tuple[int, int]]) -> frozenset[str]:
            """The incidents and maintenance a history page lists."""
            return frozenset(
                [f.incident.slug for month in chunk for f in incidents_by_month.get(month, [])]
                + [
                    m.maintenance.slug
                    for month in chunk
                    for m in maintenances_by_month.get(month, [])
                ]
            )

        return [page(number, chunk) for number, chunk in enumerate(chunks, start=1)]
