"""The build, top to bottom: load → validate → derive → render → write.

Each stage is a call with explicit inputs; nothing is shared but the values passed along.
"""

from __future__ import annotations

import time
import traceback
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

from jinja2 import TemplateError

from statusgen.content.loader import load_content
from statusgen.derive import Facts, derive
from statusgen.errors import ContentError, ContentInvalid, Level, Source
from statusgen.model import Content
from statusgen.output import cache
from statusgen.output.atomic import write_site
from statusgen.render.api import render_api
from statusgen.render.badges import render_badges
from statusgen.render.feeds import render_feeds
from statusgen.render.files import SiteFiles
from statusgen.render.html import HtmlRenderer, make_environment
from statusgen.render.ical import render_calendars
from statusgen.render.markdown import RENDERER_KEY, MarkdownRenderer
from statusgen.render.seo import robots, sitemap
from statusgen.render.security_txt import security_txt
from statusgen.render.theme import default_theme_dir, theme_assets
from statusgen.render.uptime import uptime_json
from statusgen.render.views import ViewBuilder
from statusgen.validate import future_updates, validate


UPTIME_SCHEMA = Path(__file__).parent / "render" / "api_schemas" / "uptime.json"


@dataclass(frozen=True, slots=True)
class BuildOptions:
    content_dir: Path
    output_dir: Path
    now: datetime
    theme_dir: Path | None = None  # overrides site.yml's `theme:`
    cache_dir: Path | None = None  # results of earlier builds; None: no cache
    workers: int = 1  # processes for Markdown and pages; output is identical for any value


@dataclass(frozen=True, slots=True)
class BuildResult:
    files: int
    pages: int
    incidents: int
    maintenances: int
    warnings: tuple[ContentError, ...]
    seconds: float
    timings: tuple[tuple[str, float], ...] = field(default=())


def load_and_validate(content_dir: Path, workers: int = 1) -> tuple[Content, list[ContentError]]:
    """Content or ContentInvalid with every error; warnings are returned alongside."""
    raw = load_content(content_dir, workers)
    content, errors = validate(raw)
    if content is None:
        raise ContentInvalid([e for e in errors if e.level is Level.ERROR] or errors)
    return content, errors


def resolve_theme(content_dir: Path, content: Content, override: Path | None) -> Path:
    if override is not None:
        theme = override
        source = Source("--theme")
    elif content.site.theme:
        theme = content_dir / content.site.theme
        source = Source("site.yml", content.site.source.line)
    else:
        return default_theme_dir()
    if not (theme / "templates").is_dir():
        raise ContentInvalid(
            [ContentError(source, "theme", f"theme folder '{theme}' has no templates/ folder", "point it at a theme folder like themes/default")]
        )
    return theme


def markdown_texts(content: Content) -> list[str]:
    """Every Markdown text the outputs render, so they can be rendered up front."""
    texts: list[str] = []
    for incident in content.incidents:
        texts.append(incident.summary)
        texts.extend(incident.customer_actions)
        texts.extend(update.body for update in incident.updates)
        if incident.postmortem is not None:
            texts.append(incident.postmortem.body)
    for maintenance in content.maintenances:
        texts.append(maintenance.body)
        texts.extend(update.body for update in maintenance.updates)
    recovery = content.site.recovery
    if recovery is not None and recovery.disaster_recovery:
        texts.append(recovery.disaster_recovery)
    return texts


def render_site(facts: Facts, theme_dir: Path, cache_dir: Path | None = None, workers: int = 1) -> SiteFiles:
    files = SiteFiles()
    assets = theme_assets(theme_dir)
    for asset in assets:
        files.add(asset.path, asset.data)
    markdown = MarkdownRenderer(cache.load_markdown(cache_dir, RENDERER_KEY))  # pages and feeds share it
    texts = markdown_texts(facts.content)
    markdown.prerender(texts, workers)
    bytecode = cache.templates_dir(cache_dir)
    views = ViewBuilder(facts, markdown)  # pages and feeds share the views
    HtmlRenderer(facts, lambda: make_environment(theme_dir, bytecode), assets, views).render(files, workers)
    render_feeds(facts, views, files)
    render_calendars(facts, markdown, files)
    render_badges(facts, files)
    site_url = facts.content.site.url
    pages = [path for path, _ in files if path.endswith(".html")]
    files.add("api/uptime.json", uptime_json(facts))
    files.add("api/schema/uptime.json", UPTIME_SCHEMA.read_bytes())
    render_api(facts, files)
    files.add("sitemap.xml", sitemap(site_url, pages))
    files.add("robots.txt", robots(site_url))
    if (security := security_txt(facts.content.site, facts.now)) is not None:
        files.add(".well-known/security.txt", security)
    cache.save_markdown(cache_dir, RENDERER_KEY, markdown.results(texts))
    return files


def template_error(error: TemplateError, theme: Path) -> ContentError:
    """A broken custom template is the theme author's mistake: name the file and line.

    Syntax errors carry their place; runtime errors (an undefined variable) do not, but
    Jinja rewrites tracebacks so that template frames name the template file and line.
    """
    name: str | None = getattr(error, "filename", None)
    line: int | None = getattr(error, "lineno", None)
    if name is None:
        templates = str(theme.resolve())
        frames = [f for f in traceback.extract_tb(error.__traceback__) if str(Path(f.filename).resolve()).startswith(templates)]
        if frames:
            name, line = frames[-1].filename, frames[-1].lineno
    return ContentError(
        Source(name or str(theme), line),
        "template",
        f"{type(error).__name__}: {error.message or error}",
        "fix the template; every variable a template uses must exist (StrictUndefined)",
    )


def check_output_location(content_dir: Path, output_dir: Path) -> None:
    content, output = content_dir.resolve(), output_dir.resolve()
    if output == content or content.is_relative_to(output) or output.is_relative_to(content):
        raise ContentInvalid(
            [ContentError(Source(str(output_dir)), "--output", "the output folder overlaps the content folder", "build into a separate folder such as public/")]
        )


def build(options: BuildOptions, progress: Callable[[str], None] = lambda _: None) -> BuildResult:
    """Build the site; raises ContentInvalid (nothing written) or OutputError."""
    started = time.perf_counter()
    timings: list[tuple[str, float]] = []

    def step(name: str, mark: float) -> float:
        now = time.perf_counter()
        timings.append((name, now - mark))
        progress(name)
        return now

    check_output_location(options.content_dir, options.output_dir)
    content, warnings = load_and_validate(options.content_dir, options.workers)
    warnings += future_updates(content, options.now)
    mark = step("load", started)
    theme = resolve_theme(options.content_dir, content, options.theme_dir)
    facts = derive(content, options.now)
    mark = step("derive", mark)
    try:
        files = render_site(facts, theme, options.cache_dir, options.workers)
    except TemplateError as error:
        raise ContentInvalid([template_error(error, theme)]) from error
    mark = step("render", mark)
    write_site(files, options.output_dir)
    step("write", mark)
    return BuildResult(
        files=len(files),
        pages=sum(1 for path, _ in files if path.endswith(".html")),
        incidents=len(content.incidents),
        maintenances=len(content.maintenances),
        warnings=tuple(warnings),
        seconds=time.perf_counter() - started,
        timings=tuple(timings),
    )
