"""The build, top to bottom: load → validate → derive → render → write.

Each stage is a call with explicit inputs; nothing is shared but the values passed along.
"""

from __future__ import annotations

import os
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

from statusgen.content.loader import RawContent, document_bodies, load_content
from statusgen.derive import derive
from statusgen.errors import ContentError, ContentInvalid, Level, Source
from statusgen.model import Content
from statusgen.output import cache
from statusgen.output.atomic import Staging
from statusgen.output.location import check_output
from statusgen.render.markdown import RENDERER_KEY, MarkdownRenderer
from statusgen.render.site import compiled_templates, markdown_texts, render_site
from statusgen.render.theme import default_theme_dir
from statusgen.validate import dates_checked, validate


@dataclass(frozen=True, slots=True)
class BuildOptions:
    content_dir: Path
    output_dir: Path
    now: datetime
    theme_dir: Path | None = None  # overrides site.yml's `theme:`
    cache_dir: Path | None = None  # results of earlier builds; None: no cache
    workers: int = 1  # processes for Markdown and pages; output is identical for any value
    force: bool = False  # replace a non-empty output folder that no statusgen build wrote


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
    """The theme folder in use: `--theme` (the operator's own choice, which may be anywhere),
    else site.yml's `theme:`, else the default theme.

    site.yml is content, and content is not trusted: its `theme:` must be a relative path that
    stays inside the content folder (links followed). A theme holds only what it changes, so
    any folder will do; what is in it is checked as it is read (statusgen.render.theme).
    """
    if override is not None:
        theme, source, shown = override, Source("--theme"), str(override)
    elif content.site.theme:
        site_yml = content.site.source.path
        source = Source(site_yml, _field_line(content_dir / site_yml, "theme"))
        theme, shown = content_dir / content.site.theme, content.site.theme
        inside = Path(os.path.realpath(theme)).is_relative_to(
            content_dir.resolve()
        )  # loops: no error
        if Path(content.site.theme).is_absolute() or not inside:
            raise ContentInvalid(
                [
                    ContentError(
                        source,
                        "theme",
                        f"theme folder '{shown}' is outside the content folder",
                        "put the theme in a folder inside the content folder and name it relative to it "
                        "(theme: mytheme), or pass --theme DIR on the command line",
                    )
                ]
            )
    else:
        return default_theme_dir()
    if not theme.is_dir():
        raise ContentInvalid(
            [
                ContentError(
                    source,
                    "theme",
                    f"theme folder '{shown}' does not exist",
                    "point it at a folder holding templates/ and/or static/, like themes/default",
                )
            ]
        )
    return theme


def _field_line(path: Path, key: str) -> int | None:
    """The line of a top-level `key:` in a YAML file, to point at it."""
    try:
        lines = path.read_text(encoding="utf-8").splitlines()
    except (OSError, UnicodeDecodeError):
        return None
    return next(
        (number for number, line in enumerate(lines, 1) if line.startswith(f"{key}:")), None
    )


def check_output_location(options: BuildOptions, theme: Path | None = None) -> None:
    """Refuse (OutputRefused, exit 2) an output whose swap could destroy what is not ours:
    one overlapping the content, a theme (the default one too) or the cache, or a non-empty
    folder no earlier build wrote unless `force`. `theme` is site.yml's, once it is known."""
    themes = [default_theme_dir(), *(t for t in (options.theme_dir, theme) if t is not None)]
    check_output(
        options.output_dir,
        content_dir=options.content_dir,
        theme_dirs=themes,
        cache_dir=options.cache_dir,
        force=options.force,
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

    check_output_location(options)
    raw = load_content(options.content_dir, options.workers)
    mark = step("load", started)
    # The Markdown of every file is rendered on the workers while this process validates
    # and derives: the two longest steps of a cold build overlap.
    markdown = MarkdownRenderer(cache.load_markdown(options.cache_dir, RENDERER_KEY))
    rendering = markdown.prerender_async(document_bodies(raw), options.workers)
    try:
        content, warnings = checked(raw)
        warnings += dates_checked(content, options.now)  # a date a day or more ahead: an error
        theme = resolve_theme(options.content_dir, content, options.theme_dir)
        check_output_location(options, theme)
        facts = derive(content, options.now)
        facts.uptime  # noqa: B018 - computed once here, before the page workers fork
        templates = compiled_templates(
            theme, cache.templates_dir(options.cache_dir), cache.signing_key()
        )
    except BaseException:
        rendering.cancel()
        raise
    mark = step("derive", mark)  # validation and derived facts
    rendering.get()
    texts = markdown_texts(content)
    markdown.prerender(texts, options.workers)  # the few texts that are not a file's body
    mark = step("markdown", mark)
    staging = Staging(options.output_dir)  # holds the output's lock until published
    try:
        paths = render_site(facts, theme, staging, markdown, templates, options.workers)
        cache.save_markdown(options.cache_dir, RENDERER_KEY, markdown.results(texts))
    except BaseException:
        staging.discard()
        raise
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
