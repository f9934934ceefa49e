"""The build, top to bottom: load → validate → derive → render → write.

Each stage is a call with explicit inputs; nothing is shared but the values passed along.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

from statusgen.content.loader import RawContent, document_bodies, load_content
from statusgen.derive import derive
from statusgen.errors import ContentError, ContentInvalid, Level, Source
from statusgen.model import Content
from statusgen.output.atomic import Staging
from statusgen.output import cache
from statusgen.render.markdown import RENDERER_KEY, MarkdownRenderer
from statusgen.render.site import compiled_templates, markdown_texts, render_site
from statusgen.render.theme import default_theme_dir
from statusgen.validate import future_updates, validate


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
    return checked(load_content(content_dir, workers))


def checked(raw: RawContent) -> tuple[Content, list[ContentError]]:
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
    raw = load_content(options.content_dir, options.workers)
    mark = step("load", started)
    # The Markdown of every file is rendered on the workers while this process validates
    # and derives: the two longest steps of a cold build overlap.
    markdown = MarkdownRenderer(cache.load_markdown(options.cache_dir, RENDERER_KEY))
    rendering = markdown.prerender_async(document_bodies(raw), options.workers)
    try:
        content, warnings = checked(raw)
        warnings += future_updates(content, options.now)
        theme = resolve_theme(options.content_dir, content, options.theme_dir)
        facts = derive(content, options.now)
        facts.uptime  # noqa: B018 - computed once here, before the page workers fork
        templates = compiled_templates(theme, cache.templates_dir(options.cache_dir))
    except BaseException:
        rendering.cancel()
        raise
    mark = step("derive", mark)  # validation and derived facts
    rendering.get()
    texts = markdown_texts(content)
    markdown.prerender(texts, options.workers)  # the few texts that are not a file's body
    mark = step("markdown", mark)
    staging = Staging(options.output_dir)
    try:
        paths = render_site(facts, theme, staging, markdown, templates, options.workers)
    except BaseException:
        staging.discard()
        raise
    cache.save_markdown(options.cache_dir, RENDERER_KEY, markdown.results(texts))
    mark = step("render", mark)
    staging.publish()
    step("write", mark)
    return BuildResult(
        files=len(paths),
        pages=sum(1 for path in paths if path.endswith(".html")),
        incidents=len(content.incidents),
        maintenances=len(content.maintenances),
        warnings=tuple(warnings),
        seconds=time.perf_counter() - started,
        timings=tuple(timings),
    )
