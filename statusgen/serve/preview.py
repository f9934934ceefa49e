"""The preview loop: build, serve, watch, rebuild, tell the pages. Survives any bad save."""

from __future__ import annotations

import threading
import time
import traceback
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

from statusgen.build import BuildResult, LoadedSite, LoadMemo, load, render
from statusgen.errors import ContentError, ContentInvalid
from statusgen.output.atomic import OutputError, Staging
from statusgen.output.location import OutputRefused, check_output
from statusgen.render.markdown import MarkdownRenderer
from statusgen.render.site import Templates, compiled_templates
from statusgen.render.theme import default_theme_dir
from statusgen.serve.events import EventHub
from statusgen.serve.server import PreviewServer, make_server
from statusgen.serve.site import PreviewSite
from statusgen.serve.watcher import DEBOUNCE_SECONDS, Watcher
from statusgen.workers import SERIAL, Runner, available_cores


@dataclass(frozen=True, slots=True)
class PreviewOptions:
    content_dir: Path
    output_dir: Path | None  # None: the preview lives in memory only
    host: str = "127.0.0.1"
    port: int = 8000
    theme_dir: Path | None = None
    clock: Callable[[], datetime] = field(
        default=lambda: datetime.now(UTC)
    )  # "now" at each rebuild
    verbose: bool = False
    debounce: float = DEBOUNCE_SECONDS
    force: bool = False  # replace an output folder that holds files no statusgen build wrote


@dataclass(frozen=True, slots=True)
class Outcome:
    """One rebuild: the result, or the errors (content mistakes, or a bug's traceback)."""

    result: BuildResult | None
    errors: tuple[ContentError, ...] = ()
    crash: str | None = None
    seconds: float = 0.0

    @property
    def ok(self) -> bool:
        return self.result is not None

    def error_text(self) -> str:
        if self.crash:
            return self.crash
        return "\n".join(error.format() for error in self.errors)


class Preview:
    """Owns the server, the watcher, the event hub and the last good build (`site`, in
    memory); `report` is told about every build.

    Rebuilds are incremental: folders a change did not touch are neither read nor validated
    again, Markdown is rendered once per distinct text for the whole session, and pages are
    rendered when a browser asks for them. With `output_dir`, every good build is also
    written there in full, after the open pages were told to reload.
    """

    def __init__(
        self, options: PreviewOptions, report: Callable[[Outcome], None] = lambda _: None
    ) -> None:
        self.options = options
        self.report = report
        self.hub = EventHub()
        self.site: PreviewSite | None = None
        self._memo = LoadMemo()  # folders read and validated, kept between rebuilds
        self._loaded: LoadedSite | None = None  # the last good build
        self._markdown = MarkdownRenderer()
        self._theme: Path | None = None
        # Compiled templates, kept until a file of the theme changes.
        self._templates: tuple[tuple[Path, tuple[str, ...]], Templates] | None = None
        self.watcher = Watcher(self.rebuild, options.debounce)
        self.server: PreviewServer | None = None
        self._thread: threading.Thread | None = None

    @property
    def url(self) -> str:
        assert self.server is not None
        host, port = self.server.server_address[:2]
        return f"http://{host if isinstance(host, str) else host.decode()}:{port}/"

    def theme_folders(self) -> list[Path]:
        """What a change should rebuild for, besides the content: the theme in use."""
        folders = [default_theme_dir()]
        if self._theme is not None:
            folders.append(self._theme)
        return folders

    def _forget(self, changed: frozenset[str]) -> None:
        """Drop the loaded folders that the changed paths are in (or all, for unknown paths)."""
        root = self.options.content_dir.resolve()
        themes = [folder.resolve() for folder in self.theme_folders()]
        for changed_path in changed:
            path = Path(changed_path).resolve()
            if any(path.is_relative_to(theme) for theme in themes):
                self._templates = None
            try:
                parts = path.relative_to(root).parts
            except ValueError:
                continue  # the theme: no content to read again
            if len(parts) >= 2 and parts[0] in ("incidents", "maintenance"):
                self._memo.folders.pop(f"{parts[0]}/{parts[1]}", None)
            elif not parts or parts[0] in ("incidents", "maintenance"):
                self._memo.folders.clear()  # the content folder, or a folder of folders, was replaced

    def build_once(self, changed: frozenset[str] | None = None) -> Outcome:
        """Build after `changed` paths changed (None: read everything again)."""
        options = self.options
        started = time.perf_counter()
        if changed is None:
            self._memo.folders.clear()
            self._templates = None
        else:
            self._forget(changed)
        try:
            first = not self._memo.folders
            # Forking is safe only before the server and watcher threads run: the first build.
            runner = Runner(available_cores()) if first and self.server is None else SERIAL
            loaded = load(
                options.content_dir,
                options.clock(),
                theme=options.theme_dir,
                runner=runner,
                memo=self._memo,
            )
            theme, facts, content = loaded.theme, loaded.facts, loaded.content
            warnings = loaded.warnings
            self._theme = theme if theme != default_theme_dir() else None
            self._loaded = loaded
            languages = content.site.languages
            if self._templates is None or self._templates[0] != (theme, languages):
                templates = compiled_templates(theme, languages=languages)
                site = PreviewSite(facts, theme, self._markdown, templates, loaded.built_at)
                site.check_templates()  # once per theme change: content alone rarely breaks one
                self._templates = ((theme, languages), templates)
            else:
                site = PreviewSite(
                    facts, theme, self._markdown, self._templates[1], loaded.built_at
                )
        except ContentInvalid as invalid:
            return Outcome(None, tuple(invalid.errors))
        except Exception:
            return Outcome(
                None, crash="internal error (please report it):\n" + traceback.format_exc()
            )
        self.site = site
        seconds = time.perf_counter() - started
        result = BuildResult(
            len(site.pages),
            len(site.pages),
            len(content.incidents),
            len(content.maintenances),
            warnings,
            seconds,
        )
        return Outcome(result, seconds=seconds)

    def check_output(self) -> None:
        """Raise OutputRefused when `output_dir` may not be replaced: the same rules as
        `build` (content, themes, a folder no statusgen build wrote unless `force`)."""
        options = self.options
        if options.output_dir is None:
            return
        themes = [*self.theme_folders(), *([options.theme_dir] if options.theme_dir else [])]
        check_output(
            options.output_dir,
            content_dir=options.content_dir,
            theme_dirs=themes,
            force=options.force,
        )

    def write_output(self) -> str | None:
        """Write the last good build in full to `output_dir`; an error message, or None."""
        loaded, templates = self._loaded, self._templates
        if self.options.output_dir is None or loaded is None or templates is None:
            return None
        try:
            self.check_output()  # site.yml may have named another theme since the last build
            staging = Staging(self.options.output_dir)
            try:
                render(loaded, staging, self._markdown, templates[1])
            except BaseException:
                staging.discard()
                raise
            staging.publish()
        except (OutputError, OutputRefused, ContentInvalid) as error:
            return f"cannot write the preview to {self.options.output_dir}: {error}"
        return None

    def rebuild(self, changed: frozenset[str] | None = None) -> None:
        """Called by the watcher after a burst of saves has settled."""
        outcome = self.build_once(changed)
        if outcome.ok:
            self.hub.publish("reload")
            problem = self.write_output()
            if problem is not None:
                outcome = Outcome(None, crash=problem)
        else:
            self.hub.publish("error", outcome.error_text())
        self.watcher.watch(self.theme_folders())
        self.report(outcome)

    def start(self) -> Outcome:
        """First build, bind the server (port 0: any free port), start watching and serving.

        Raises OutputRefused, before anything is written or served, for an `output_dir`
        that must not be replaced."""
        self.check_output()
        outcome = self.build_once()
        if outcome.ok:
            self.check_output()  # now with the theme site.yml names
            problem = self.write_output()
            if problem is not None:
                outcome = Outcome(None, crash=problem)
        else:
            self.hub.publish("error", outcome.error_text())
        self.server = make_server(
            lambda: self.site, self.options.host, self.options.port, self.hub, self.options.verbose
        )
        self.watcher.watch([self.options.content_dir, *self.theme_folders()])
        self.watcher.start()
        self._thread = threading.Thread(
            target=self.server.serve_forever, name="statusgen-preview", daemon=True
        )
        self._thread.start()
        return outcome

    def stop(self) -> None:
        """Stop watching, release the event streams, close the socket."""
        self.watcher.stop()
        self.hub.close()
        if self.server is not None:
            self.server.shutdown()
            self.server.server_close()
        if self._thread is not None:
            self._thread.join(timeout=5)
