"""The pipeline, top to bottom: load → validate → derive → render → write.

`load` (files → model → facts) and `render` (facts → files) are the two halves every command
uses: `build` writes what they make into the staging folder, the preview keeps it in memory
(its incremental rebuilds are `load` with a memo), and `lint` renders into memory to check the
templates. Each stage is a call with explicit inputs; nothing is shared but the values passed
along, and the caller picks where the work runs (a Runner).
"""

from __future__ import annotations

import os
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from pathlib import Path

from statusgen.content.loader import (
    NOTHING_PARSED,
    LoadedFolder,
    RawContent,
    document_bodies,
    load_content,
    parses_to_keep,
)
from statusgen.content.parsed import parser_key
from statusgen.derive import Facts, derive
from statusgen.derive.clock import settled_at
from statusgen.derive.lint import unfinished_maintenance
from statusgen.errors import ContentError, ContentInvalid, Level, Source
from statusgen.model import Content
from statusgen.output import cache
from statusgen.output.atomic import Staging
from statusgen.output.location import check_output
from statusgen.render.files import FileSink
from statusgen.render.language import SHIPPED, is_shipped
from statusgen.render.markdown import RENDERER_KEY, MarkdownRenderer, update_text
from statusgen.render.site import Templates, compiled_templates, markdown_texts, render_site
from statusgen.render.theme import default_theme_dir
from statusgen.validate import ValidationMemo, checked, dates_checked
from statusgen.validate import load_and_validate as load_and_validate  # load, without facts
from statusgen.workers import SERIAL, Pending, Runner

RECENTLY_ENDED = timedelta(days=7)


@dataclass(frozen=True, slots=True)
class BuildOptions:
    content_dir: Path
    output_dir: Path
    now: datetime
    theme_dir: Path | None = None  # overrides site.yml's `theme:`
    cache_dir: Path | None = None  # results of earlier builds; None: no cache
    workers: int = 1  # processes for Markdown and pages; output is identical for any value
    force: bool = False  # replace a non-empty output folder that no statusgen build wrote
    always_fork: bool = False  # the parallel path even for a small site (tests compare both)

    @property
    def runner(self) -> Runner:
        return Runner(self.workers, self.always_fork)


@dataclass(frozen=True, slots=True)
class BuildResult:
    files: int
    pages: int
    incidents: int
    maintenances: int
    warnings: tuple[ContentError, ...]
    seconds: float
    timings: tuple[tuple[str, float], ...] = field(default=())


@dataclass(frozen=True, slots=True)
class LoadedSite:
    """The content of a site and its facts at "now", ready to render: what `load` makes."""

    content: Content
    facts: Facts  # derived when the facts last changed (`facts.now`), see derive.clock
    theme: Path  # the theme folder in use
    warnings: tuple[ContentError, ...]
    built_at: datetime | None = None  # the clock of the build itself ("now")


@dataclass
class LoadMemo:
    """What the preview keeps between rebuilds so that `load` reads and validates only the
    folders a change touched (it drops the touched ones from `folders`)."""

    folders: dict[str, LoadedFolder] = field(default_factory=dict)
    validation: ValidationMemo = field(default_factory=ValidationMemo)


def load(
    content_dir: Path,
    now: datetime,
    *,
    theme: Path | None = None,
    runner: Runner = SERIAL,
    memo: LoadMemo | None = None,
    on_read: Callable[[RawContent], None] = lambda _: None,
    future_dates: bool = True,
    parsed_before: Mapping[str, str] = NOTHING_PARSED,
) -> LoadedSite:
    """Read, validate and derive the site at `now`; ContentInvalid with every error.

    `theme` overrides site.yml's; `on_read` is called as soon as the files are read, before
    validation (a build starts rendering Markdown there, on other cores). `future_dates`
    False leaves dates after "now" to the caller (lint makes every one an error).
    `parsed_before`: content files an earlier build parsed, by digest (the build's cache).
    """
    raw = load_content(content_dir, runner, memo.folders if memo else None, parsed_before)
    on_read(raw)
    content, problems = checked(raw, memo.validation if memo else None)
    if future_dates:
        problems += dates_checked(content, now)  # a date a day or more ahead: an error
    theme_dir = resolve_theme(content_dir, content, theme)
    problems += untranslated_languages(content, content_dir)
    # A window that just ended without a `completed` update is completed by the clock; the
    # build says so while it is news (lint names every one).
    problems += unfinished_maintenance(content, now, RECENTLY_ENDED)
    # Facts at the moment they last changed, not at `now`: a build a minute later, with
    # no clock event in between, writes the same pages (see derive.clock).
    facts = derive(content, settled_at(content, now))
    return LoadedSite(content, facts, theme_dir, tuple(problems), now)


def untranslated_languages(content: Content, content_dir: Path) -> list[ContentError]:
    """A warning per site language without an interface catalogue: its pages get that
    language's dates and numbers (CLDR knows every language) but English words."""
    site = content.site
    missing = [tag for tag in site.languages if not is_shipped(tag)]
    if not missing:
        return []
    field = "languages" if len(site.languages) > 1 else "language"
    source = Source(site.source.path, _field_line(content_dir / site.source.path, field))
    return [
        ContentError(
            source,
            field,
            f"statusgen's interface is not translated into '{tag}': its pages show English "
            "words with that language's dates and numbers",
            f"use one of {', '.join(SHIPPED)}, or contribute a catalogue for '{tag}' "
            '(docs/themes.md, "Languages")',
            Level.WARNING,
        )
        for tag in missing
    ]


def render(
    site: LoadedSite,
    output: FileSink,
    markdown: MarkdownRenderer,
    templates: Templates,
    runner: Runner = SERIAL,
) -> list[str]:
    """Render every file of the site into `output`; returns their paths, sorted.
    ContentInvalid for a broken template. With several workers, `output` must be one that
    forked workers write to for all (the staging folder)."""
    markdown.prerender(markdown_texts(site.content), runner)
    return render_site(
        site.facts, site.theme, output, markdown, templates, runner, built_at=site.built_at
    )


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
    runner = options.runner
    # The Markdown of every file is rendered on the workers while this process validates
    # and derives: the two longest steps of a cold build overlap.
    markdown = MarkdownRenderer(cache.load_markdown(options.cache_dir, RENDERER_KEY))
    parsed_before = cache.load_documents(options.cache_dir, parser_key())
    rendering: list[Pending[int]] = []
    read_at: list[float] = []

    def start_markdown(raw: RawContent) -> None:
        read_at.append(step("load", started))
        documents, updates = document_bodies(raw)
        texts = [*documents, *map(update_text, updates)]
        rendering.append(markdown.prerender_async(texts, runner))
        if options.cache_dir is not None:
            # A parse depends only on the file's bytes: kept now, while the workers render
            # the Markdown, whatever happens later; the earlier build's parses are let go
            # before the page workers fork (at 10,000 incidents, about 20 MB in each).
            kept = parses_to_keep(raw, parsed_before)
            cache.save_documents(options.cache_dir, parser_key(), kept)
            parsed_before.clear()

    try:
        site = load(
            options.content_dir,
            options.now,
            theme=options.theme_dir,
            runner=runner,
            on_read=start_markdown,
            parsed_before=parsed_before,
        )
        check_output_location(options, site.theme)
        _ = site.facts.uptime  # computed once here, not again on every page worker
        templates = compiled_templates(
            site.theme,
            cache.templates_dir(options.cache_dir),
            cache.signing_key(),
            site.content.site.languages,
        )
    except BaseException:
        for pending in rendering:
            pending.cancel()
        raise
    mark = step("derive", read_at[0])  # validation and derived facts
    for pending in rendering:
        pending.get()
    mark = step("markdown", mark)
    staging = Staging(options.output_dir)  # holds the output's lock until published
    try:
        paths = render(site, staging, markdown, templates, runner)
        texts = markdown_texts(site.content)
        cache.save_markdown(options.cache_dir, RENDERER_KEY, markdown.results(texts))
    except BaseException:
        staging.discard()
        raise
    mark = step("render", mark)
    staging.publish()
    step("write", mark)
    content = site.content
    warnings = site.warnings
    return BuildResult(
        files=len(paths),
        pages=sum(1 for path in paths if path.endswith(".html")),
        incidents=len(content.incidents),
        maintenances=len(content.maintenances),
        warnings=warnings,
        seconds=time.perf_counter() - started,
        timings=tuple(timings),
    )
