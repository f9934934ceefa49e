"""Watch folders with watchdog and call back once a burst of changes has settled."""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterable
from pathlib import Path

from watchdog.events import FileSystemEvent, FileSystemEventHandler
from watchdog.observers import Observer
from watchdog.observers.api import BaseObserver

DEBOUNCE_SECONDS = 0.05  # editors finish a save (write, rename) within a few milliseconds
# Reading a file is not a change: the build itself opens every file (inotify reports it).
CHANGE_EVENTS = frozenset({"created", "modified", "deleted", "moved", "closed"})
# Editors' swap, backup and test files.
IGNORED_SUFFIXES = (".swp", ".swx", ".swo", ".tmp", "~")


def is_relevant(path: str) -> bool:
    name = Path(path).name
    return bool(name) and not name.startswith((".", "#")) and not name.endswith(IGNORED_SUFFIXES) and name != "4913"


class Debouncer:
    """Call `action` once, `delay` seconds after the last of a burst of triggers, with the
    paths the burst touched (so a rebuild re-reads only those).

    Calls never overlap: a trigger during a running action schedules one more run after it.
    """

    def __init__(self, action: Callable[[frozenset[str]], None], delay: float = DEBOUNCE_SECONDS) -> None:
        self.action = action
        self.delay = delay
        self._lock = threading.Lock()
        self._running = threading.Lock()
        self._timer: threading.Timer | None = None
        self._paths: set[str] = set()

    def trigger(self, paths: Iterable[str] = ()) -> None:
        with self._lock:
            self._paths.update(paths)
            if self._timer is not None:
                self._timer.cancel()
            self._timer = threading.Timer(self.delay, self._run)
            self._timer.daemon = True
            self._timer.start()

    def _run(self) -> None:
        with self._running:
            with self._lock:
                paths, self._paths = frozenset(self._paths), set()
            self.action(paths)

    def cancel(self) -> None:
        with self._lock:
            if self._timer is not None:
                self._timer.cancel()
                self._timer = None


class _Handler(FileSystemEventHandler):
    def __init__(self, debouncer: Debouncer) -> None:
        self.debouncer = debouncer

    def on_any_event(self, event: FileSystemEvent) -> None:
        if event.event_type not in CHANGE_EVENTS:
            return
        paths = [event.src_path, getattr(event, "dest_path", "")]
        if event.is_directory and event.event_type == "modified":
            return  # a file inside changed: that file's own event follows
        relevant = [str(p) for p in paths if p and is_relevant(str(p))]
        if relevant:
            self.debouncer.trigger(relevant)


class Watcher:
    """Recursive watches on several folders, feeding one debouncer."""

    def __init__(self, on_change: Callable[[frozenset[str]], None], delay: float = DEBOUNCE_SECONDS) -> None:
        self.debouncer = Debouncer(on_change, delay)
        self.observer: BaseObserver = Observer()
        self.watched: set[Path] = set()

    def watch(self, folders: Iterable[Path]) -> None:
        """Add folders (may be called while running, e.g. when site.yml names a new theme)."""
        for folder in folders:
            folder = folder.resolve()
            if folder in self.watched or not folder.is_dir() or any(folder.is_relative_to(w) for w in self.watched):
                continue
            self.observer.schedule(_Handler(self.debouncer), str(folder), recursive=True)
            self.watched.add(folder)

    def start(self) -> None:
        self.observer.daemon = True
        self.observer.start()

    def stop(self) -> None:
        self.debouncer.cancel()
        if self.observer.is_alive():
            self.observer.stop()
            self.observer.join(timeout=5)
