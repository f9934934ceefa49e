"""The preview loop: build, serve, watch, rebuild, tell the pages. Survives any bad save."""

from __future__ import annotations


import tempfile
import threading
import traceback
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

from statusgen.build import BuildOptions, BuildResult, build, load_and_validate
from statusgen.errors import ContentError, ContentInvalid
from statusgen.output.atomic import OutputError
from statusgen.render.theme import default_theme_dir
from statusgen.serve.events import EventHub
from statusgen.serve.server import PreviewServer, make_server
from statusgen.serve.watcher import DEBOUNCE_SECONDS, Watcher
from statusgen.workers import available_cores


@dataclass(frozen=True, slots=True)
class PreviewOptions:
    content_dir: Path
    output_dir: Path | None  # None: a temporary folder, removed on exit
    host: str = "127.0.0.1"
    port: int = 8000
    theme_dir: Path | None = None
    clock: Callable[[], datetime] = field(default=lambda: datetime.now(UTC))  # "now" at each rebuild
    verbose: bool = False
    debounce: float = DEBOUNCE_SECONDS


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
    """Owns the server, the watcher and the event hub; `report` is told about every build."""

    def __init__(self, options: PreviewOptions, report: Callable[[Outcome], None] = lambda _: None) -> None:
        self.options = options
        self.report = report
        self.hub = EventHub()
        self._temp: tempfile.TemporaryDirectory[str] | None = None
        if options.output_dir is None:
            self._temp = tempfile.TemporaryDirectory(prefix="statusgen-preview-")
            self.output_dir = Path(self._temp.name) / "site"
        else:
            self.output_dir = options.output_dir
        # Rebuilds reuse the rendered Markdown and compiled templates of the previous one.
        self._cache = tempfile.TemporaryDirectory(prefix="statusgen-preview-cache-")
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
        if self.options.theme_dir is not None:
            folders.append(self.options.theme_dir)
        else:
            try:
                content, _ = load_and_validate(self.options.content_dir)
            except ContentInvalid:
                return folders
            if content.site.theme:
                folders.append(self.options.content_dir / content.site.theme)
        return folders

    def build_once(self) -> Outcome:
        options = self.options
        try:
            result = build(
                BuildOptions(
                    options.content_dir,
                    self.output_dir,
                    options.clock(),
                    options.theme_dir,
                    cache_dir=Path(self._cache.name),
                    workers=available_cores(),
                )
            )
        except ContentInvalid as invalid:
            return Outcome(None, tuple(invalid.errors))
        except OutputError as error:
            return Outcome(None, crash=f"cannot write the preview: {error}")
        except Exception:  # noqa: BLE001 - a bug must not stop the preview; it is shown in full
            return Outcome(None, crash="internal error (please report it):\n" + traceback.format_exc())
        return Outcome(result, seconds=result.seconds)

    def rebuild(self) -> None:
        """Called by the watcher after a burst of saves has settled."""
        outcome = self.build_once()
        if outcome.ok:
            self.hub.publish("reload")
        else:
            self.hub.publish("error", outcome.error_text())
        self.watcher.watch(self.theme_folders())
        self.report(outcome)

    def start(self) -> Outcome:
        """First build, bind the server (port 0: any free port), start watching and serving."""
        outcome = self.build_once()
        if not outcome.ok:
            self.hub.publish("error", outcome.error_text())
        self.server = make_server(self.output_dir, self.options.host, self.options.port, self.hub, self.options.verbose)
        self.watcher.watch([self.options.content_dir, *self.theme_folders()])
        self.watcher.start()
        self._thread = threading.Thread(target=self.server.serve_forever, name="statusgen-preview", daemon=True)
        self._thread.start()
        return outcome

    def stop(self) -> None:
        """Stop watching, release the event streams, close the socket, remove the temp folder."""
        self.watcher.stop()
        self.hub.close()
        if self.server is not None:
            self.server.shutdown()
            self.server.server_close()
        if self._thread is not None:
            self._thread.join(timeout=5)
        if self._temp is not None:
            self._temp.cleanup()
        self._cache.cleanup()
