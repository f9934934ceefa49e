"""RENDER, all outputs: pages, feeds, calendars, badges, the API, sitemap; on every core.

The work is cut into tasks (a share of the pages, the feeds, the API, …). Each task renders
its files and hands them straight to the output (the staging folder, or memory for `lint`),
so no page is kept once it is written. On several cores the tasks run on forked workers that
inherit the facts and the rendered Markdown; each worker builds the views it needs. Output is
byte for byte the same for any number of workers, with or without the cache.
"""

from __future__ import annotations

import itertools
import traceback
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path

from jinja2 import Environment, TemplateError, TemplateNotFound
from jinja2.exceptions import SecurityError

from statusgen.derive import Facts
from statusgen.derive.clock import SiteClock, clock_events, past_moments
from statusgen.derive.events import site_events
from statusgen.derive.incidents import IncidentFacts
from statusgen.derive.maintenance import MaintenanceFacts
from statusgen.errors import ContentError, ContentInvalid, Source
from statusgen.model import Content, Translation
from statusgen.render.api import render_api
from statusgen.render.badges import render_badges
from statusgen.render.brand import brand_assets
from statusgen.render.files import DuplicateOutput, FileSink
from statusgen.render.fragments import Fragments
from statusgen.render.html import (
    DEFAULT_PREFIX,
    HtmlRenderer,
    LanguageLink,
    Page,
    TemplateFailed,
    make_environment,
)
from statusgen.render.jsontext import json_text
from statusgen.render.language import SOURCE_LANGUAGE, Language, language, language_name
from statusgen.render.markdown import MarkdownRenderer, update_text
from statusgen.render.security_txt import security_txt
from statusgen.render.seo import robots, sitemap
from statusgen.render.theme import ThemeFileError, default_theme_dir, theme_assets, theme_problems
from statusgen.render.uptime import uptime_json
from statusgen.render.views import ViewBuilder
from statusgen.text import safe_path
from statusgen.workers import SERIAL, Runner, sampled_map_async

UPTIME_SCHEMA = Path(__file__).parent / "api_schemas" / "uptime.json"
# How far ahead pages look for their next clock event: an upcoming maintenance's page waits
# for its window, which may be months away.
LOOKAHEAD = timedelta(days=400)


class _Recorded:
    """Passes files on to the output and remembers their paths (for the sitemap and checks)."""

    def __init__(self, output: FileSink) -> None:
        self.output = output
        self.paths: list[str] = []

    def add(self, path: str, data: bytes | str) -> None:
        self.output.add(path, data)
        self.paths.append(safe_path(path))


def translated_texts(translations: tuple[Translation, ...]) -> list[str]:
    """The Markdown of translations: bodies, and customer actions where translated."""
    texts = [t.body for t in translations]
    for t in translations:
        texts.extend(t.customer_actions or ())
    return texts


def markdown_texts(content: Content) -> list[str]:
    """Every Markdown text the outputs render, so they can be rendered up front."""
    texts: list[str] = []
    for incident in content.incidents:
        texts.append(incident.summary)
        texts.extend(incident.customer_actions)
        texts.extend(update_text(update.body) for update in incident.updates)
        texts.extend(translated_texts(incident.translations))
        for update in incident.updates:
            texts.extend(update_text(t.body) for t in update.translations)
        if incident.postmortem is not None:
            texts.append(incident.postmortem.body)
            texts.extend(translated_texts(incident.postmortem.translations))
    for maintenance in content.maintenances:
        texts.append(maintenance.body)
        texts.extend(update_text(update.body) for update in maintenance.updates)
        texts.extend(translated_texts(maintenance.translations))
        for m_update in maintenance.updates:
            texts.extend(update_text(t.body) for t in m_update.translations)
    recovery = content.site.recovery
    if recovery is not None and recovery.disaster_recovery:
        texts.append(recovery.disaster_recovery)
    return texts


def template_error(error: TemplateError, theme: Path) -> ContentError:
    """A broken custom template is the theme author's mistake: name the file and line.

    Syntax errors carry their place; runtime errors (an undefined variable, an access the
    sandbox refuses, a division by zero) do not, but Jinja rewrites tracebacks so that template
    frames name the template file and line: the innermost frame in a theme folder is the place.
    """
    if isinstance(error, ThemeFileError):
        return error.error()
    name: str | None = getattr(error, "filename", None)
    line: int | None = getattr(error, "lineno", None)
    if name is None:
        roots = (theme.resolve(), default_theme_dir().resolve())
        traces = [error.__traceback__, error.__cause__.__traceback__ if error.__cause__ else None]
        frames = [
            frame
            for tb in traces
            for frame in traceback.extract_tb(tb)
            if any(Path(frame.filename).resolve().is_relative_to(root) for root in roots)
        ]
        if frames:
            name, line = frames[-1].filename, frames[-1].lineno
    kind = "" if isinstance(error, TemplateFailed) else f"{type(error).__name__}: "
    message = f"{kind}{error.message or error}"
    return ContentError(
        Source(name or str(theme), line), "template", message, _template_hint(error)
    )


def _template_hint(error: TemplateError) -> str:
    if isinstance(error, SecurityError):
        return (
            "templates run in a sandbox: use the values pages are given, "
            "not Python internals (names starting with '_')"
        )
    if isinstance(error, TemplateFailed):
        return "fix the expression on that line of the template"
    if isinstance(error, TemplateNotFound):
        return (
            "add the template to the theme's templates/ folder, or use one of the default "
            f"theme's (extend them as '{DEFAULT_PREFIX}<name>')"
        )
    return "fix the template; every variable a template uses must exist (StrictUndefined)"


@dataclass(frozen=True, slots=True)
class Task:
    kind: str  # "pages", "feeds", "api", "other"
    pages: tuple[int, ...] = ()  # indexes into SiteRenderer.pages
    edition: int = 0  # which language: index into SiteRenderer.editions


class _Prefixed:
    """A language's files under its folder ('fr/rss.xml'): feeds, calendars and badges are
    written with the paths of the site's root."""

    def __init__(self, output: FileSink, prefix: str) -> None:
        self.output = output
        self.prefix = prefix

    def add(self, path: str, data: bytes | str) -> None:
        self.output.add(self.prefix + path, data)


@dataclass(frozen=True, slots=True)
class Edition:
    """The site in one of its languages: its views, pages and templates."""

    lang: Language
    folder: str  # '' for the first language, 'fr/' for the others
    views: ViewBuilder
    html: HtmlRenderer
    env: Environment


Templates = dict[str, Environment]  # the theme compiled per language tag, the site's first first


class SiteRenderer:
    """Everything a task needs, prepared once in the parent and inherited by the workers."""

    def __init__(
        self,
        facts: Facts,
        theme_dir: Path,
        markdown: MarkdownRenderer,
        templates: Templates,
        output: FileSink,
        built_at: datetime | None = None,
    ) -> None:
        self.facts = facts
        # The build's own clock (facts.now is when the facts last changed), and the next
        # moment the site changes by itself: pages carry it so that a visitor's browser can
        # tell when a page is older than it should be.
        self.built_at = built_at or facts.now
        upcoming = clock_events(facts.content, self.built_at, self.built_at + LOOKAHEAD)
        clock = SiteClock.of(past_moments(facts.content, self.built_at), upcoming)
        self.next_change = upcoming[0].at if upcoming else None
        self.theme_dir = theme_dir
        self.markdown = markdown
        self.assets = theme_assets(theme_dir) + brand_assets(facts.content.site.branding)
        tags = list(templates)
        alternates = tuple(
            LanguageLink(tag, language_name(tag), "" if index == 0 else f"/{tag}")
            for index, tag in enumerate(tags)
        )
        self.editions: list[Edition] = []
        self.pages: list[Page] = []
        self._edition_of_page: list[int] = []
        for index, tag in enumerate(tags):
            env = templates[tag]
            lang = language(tag)
            # Views are memoised per process: feeds reuse the pages' views.
            views = ViewBuilder(facts, markdown, lang, Fragments(env), alternates[index].prefix)
            html = HtmlRenderer(
                facts, self.assets, views, alternates if len(tags) > 1 else (), clock
            )
            self.editions.append(Edition(lang, "" if index == 0 else f"{tag}/", views, html, env))
            pages = html.pages()
            self.pages.extend(pages)
            self._edition_of_page.extend([index] * len(pages))
        self.output = output

    @property
    def env(self) -> Environment:
        """The first language's templates."""
        return self.editions[0].env

    def render_page(self, index: int) -> str:
        edition = self.editions[self._edition_of_page[index]]
        return edition.html.render(edition.env, self.pages[index])

    def tasks(self) -> tuple[list[Task], list[Task]]:
        """The pages, one task each, and the few long tasks (feeds, API, calendars and badges
        per language). Pages are many and alike, so a sample of them measures the rest; the
        long ones are not alike and would spoil the measure."""
        languages = range(len(self.editions))
        pages = [Task("pages", (index,)) for index in range(len(self.pages))]
        long = [
            *(Task("feeds", edition=n) for n in languages),
            Task("api"),
            *(Task("other", edition=n) for n in languages),
        ]
        return pages, long

    def run(self, task: Task) -> list[str]:
        """Render one task's files into the output; returns their paths."""
        out = _Recorded(self.output)
        edition = self.editions[task.edition]
        files = _Prefixed(out, edition.folder)
        try:
            if task.kind == "pages":
                for index in task.pages:
                    out.add(self.pages[index].out, self.render_page(index))
            elif task.kind == "feeds":
                # Imported when the task runs, not with this module: feedgen (with lxml) and
                # icalendar take a tenth of a second to import, paid while forked workers (if
                # any) already render the pages.
                from statusgen.render.feeds import render_feeds

                render_feeds(self.facts, edition.views, edition.env, files)
            elif task.kind == "api":
                # The API speaks Statuspage's machine vocabulary: one, at the root.
                render_api(self.facts, out)
                out.add("api/uptime.json", uptime_json(self.facts))
                out.add("api/schema/uptime.json", UPTIME_SCHEMA.read_bytes())
            else:
                from statusgen.render.ical import render_calendars

                render_calendars(self.facts, edition.views, files)
                render_badges(self.facts, edition.views, files)
        except TemplateError as error:
            # Raised here, where the traceback still names the template's line.
            raise ContentInvalid([template_error(error, self.theme_dir)]) from None
        return out.paths

    def site_files(self, output: FileSink) -> None:
        """The theme's assets, the sitemap (every page), robots.txt and security.txt."""
        # One file per path: a logo that is also the favicon is the same file.
        for path, data in {asset.path: asset.data for asset in self.assets}.items():
            output.add(path, data)
        site = self.facts.content.site
        output.add("sitemap.xml", sitemap(site.url, sorted(page.out for page in self.pages)))
        # The content's own rules first (old addresses: Netlify applies the first match), then
        # a missing page under /fr/ answered with the French "page not found".
        rules = [f"{r.old}  {r.new}  {r.status}" for r in self.facts.content.redirects]
        rules += [f"/{e.folder}*  /{e.folder}404.html  404" for e in self.editions[1:]]
        if rules:
            output.add("_redirects", "\n".join(rules) + "\n")
        output.add("robots.txt", robots(site.url))
        output.add(
            "api/statusgen/build.json", build_json(self.built_at, self.facts.now, self.next_change)
        )
        facts = self.facts
        output.add("api/events.json", events_json(facts.incidents, facts.maintenances, facts.now))
        if (security := security_txt(site, self.facts.now)) is not None:
            output.add(".well-known/security.txt", security)


def events_json(
    incidents: tuple[IncidentFacts, ...], maintenances: tuple[MaintenanceFacts, ...], now: datetime
) -> str:
    """/api/events.json: every notifiable event, oldest first, each with its lasting id."""
    events = [
        {
            "id": event.id,
            "type": event.type,
            "at": event.at.isoformat(timespec="seconds"),
            event.subject: event.slug,
        }
        for event in site_events(incidents, maintenances, now)
    ]
    return json_text({"events": events})


def build_json(built_at: datetime, as_of: datetime, next_change: datetime | None) -> str:
    """The one file that changes with every build: when it ran, when the facts it shows last
    changed, and when the site next changes by itself (a scheduler's cue to rebuild)."""
    document = {
        "built_at": built_at.isoformat(timespec="seconds"),
        "as_of": as_of.isoformat(timespec="seconds"),
        "next_change": next_change.isoformat(timespec="seconds") if next_change else None,
    }
    return json_text(document)


def compiled_templates(
    theme_dir: Path,
    bytecode_dir: Path | None = None,
    key: bytes | None = None,
    languages: Sequence[str] = (SOURCE_LANGUAGE,),
) -> Templates:
    """The theme's templates, every one compiled now, once per language: workers forked later
    inherit them instead of each compiling its own. Raises ContentInvalid for a syntax error,
    and for every file of the theme that is refused (a link out of it, a FIFO …), all at once."""
    if problems := theme_problems(theme_dir):
        raise ContentInvalid(problems)
    templates: Templates = {}
    for tag in languages:
        env = make_environment(theme_dir, bytecode_dir, key, language(tag))
        try:
            for name in env.list_templates():
                env.get_template(name)
        except TemplateError as error:
            raise ContentInvalid([template_error(error, theme_dir)]) from None
        templates[tag] = env
    return templates


def render_site(
    facts: Facts,
    theme_dir: Path,
    output: FileSink,
    markdown: MarkdownRenderer,
    templates: Templates,
    runner: Runner = SERIAL,
    *,
    built_at: datetime | None = None,
) -> list[str]:
    """Render every output file of the site into `output`; returns their paths, sorted.

    `markdown` must know every text of `markdown_texts` (see build.render); `templates` are
    the theme's, compiled per language (see `compiled_templates`). With a runner of several workers,
    `output` must be one that forked workers write to for all (the staging folder), not memory.
    Raises ContentInvalid for a broken template (file and line named).
    """
    site = SiteRenderer(facts, theme_dir, markdown, templates, output, built_at)
    pages, long = site.tasks()
    # A sample of the pages is rendered here and decides whether workers take the rest; if
    # they do, the long tasks go to them first and the pages fill in around them.
    tasks = [*long, *pages]
    rendering = sampled_map_async(site.run, tasks, runner, unlike=len(long))
    try:
        written = [path for paths in rendering.get() for path in paths]
    except BaseException:
        rendering.cancel()
        raise
    top = _Recorded(output)
    site.site_files(top)
    paths = sorted(written + top.paths)
    for previous, path in itertools.pairwise(paths):
        if previous == path:
            raise DuplicateOutput(f"two outputs write {path}")
    return paths
