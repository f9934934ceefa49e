"""Watch folders with watchdog and call back once a burst of changes has settled.

A watch follows the folder, not its path: after `mv content old && cp -r old content` it
would report edits made in `old` and none made in the new `content`. So the folder above each
watched one is watched too, and a watched folder that appears there again is watched anew.
"""

from __future__ import annotations

import os
import threading
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path

from watchdog.events import FileSystemEvent, FileSystemEventHandler
from watchdog.observers import Observer
from watchdog.observers.api import BaseObserver, ObservedWatch

DEBOUNCE_SECONDS = 0.05  # editors finish a save (write, rename) within a few milliseconds
# Reading a file is not a change: the build itself opens every file (inotify reports it).
CHANGE_EVENTS = frozenset({"created", "modified", "deleted", "moved", "closed"})
# Editors' swap, backup and test files.
IGNORED_SUFFIXES = (".swp", ".swx", ".swo", ".tmp", "~")


def is_relevant(path: str) -> bool:
    name = Path(path).name
    return (
        bool(name)
        and not name.startswith((".", "#"))
        and not name.endswith(IGNORED_SUFFIXES)
        and name != "4913"
    )


class Debouncer:
    """Call `action` once, `delay` seconds after the last of a burst of triggers, with the
    paths the burst touched (so a rebuild re-reads only those).

    Calls never overlap: a trigger during a running action schedules one more run after it.
    """

    def __init__(
        self, action: Callable[[frozenset[str]], None], delay: float = DEBOUNCE_SECONDS
    ) -> None:
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


def identity(folder: Path) -> tuple[int, int] | None:
    """Which folder is at this path now (device, inode), or None if there is none."""
    try:
        stat = os.stat(folder)
    except OSError:
        return None
    return (stat.st_dev, stat.st_ino)


@dataclass(frozen=True, slots=True)
class Armed:
    """The watch on one folder, and which folder it follows (None: gone, not watched)."""

    watch: ObservedWatch | None
    identity: tuple[int, int] | None


class _ParentHandler(FileSystemEventHandler):
    """Events in the folder above a watched one: a watched folder created, deleted or moved
    (its siblings, such as a preview's output folder, are none of our business)."""

    def __init__(self, watched: dict[Path, Armed], stale: set[Path], debouncer: Debouncer) -> None:
        self.watched = watched
        self.stale = stale
        self.debouncer = debouncer

    def on_any_event(self, event: FileSystemEvent) -> None:
        if event.event_type not in ("created", "deleted", "moved"):
            return
        named = (event.src_path, getattr(event, "dest_path", ""))
        paths = [Path(os.fsdecode(path)) for path in named if path]
        # A lookup and an add only, without the watcher's lock: this runs under the observer's
        # own lock, which watch() takes while holding the watcher's (the other order deadlocks).
        replaced = [path for path in paths if path in self.watched]
        if replaced:
            self.stale.update(replaced)
            self.debouncer.trigger()  # the settled burst watches the folder anew


class Watcher:
    """Recursive watches on several folders, feeding one debouncer; a folder that is replaced
    (moved away and copied back, deleted and recreated) is watched again and reported."""

    def __init__(
        self, on_change: Callable[[frozenset[str]], None], delay: float = DEBOUNCE_SECONDS
    ) -> None:
        self.on_change = on_change
        self.debouncer = Debouncer(self._settled, delay)
        self.observer: BaseObserver = Observer()
        self.watched: dict[Path, Armed] = {}
        self._parents: set[Path] = set()
        self._stale: set[Path] = set()  # created, deleted or moved, as the folder above says
        self._lock = threading.Lock()  # watch() and _settled() run on different threads

    def watch(self, folders: Iterable[Path]) -> None:
        """Add folders (may be called while running, e.g. when site.yml names a new theme)."""
        for given in folders:
            folder = given.resolve()
            with self._lock:
                inside = any(folder.is_relative_to(w) for w in self.watched)
                if folder in self.watched or not folder.is_dir() or inside:
                    continue
                self.watched[folder] = self._arm(folder)
                parent = folder.parent
                if parent != folder and parent not in self._parents:
                    handler = _ParentHandler(self.watched, self._stale, self.debouncer)
                    self.observer.schedule(handler, str(parent), recursive=False)
                    self._parents.add(parent)

    def _arm(self, folder: Path) -> Armed:
        now = identity(folder)
        if now is None:
            return Armed(None, None)
        watch = self.observer.schedule(_Handler(self.debouncer), str(folder), recursive=True)
        return Armed(watch, now)

    def rearm(self) -> frozenset[str]:
        """Watch anew every watched folder that was replaced or removed (watch nothing if none
        is there now); those folders, which changed as a whole.

        The events in the folder above say so; the inode check is a fallback only, as a folder
        made right after one was removed often gets the same inode number.
        """
        replaced = []
        with self._lock:
            stale = set()
            while self._stale:
                stale.add(self._stale.pop())  # pop: safe while the event thread adds
            for folder, armed in list(self.watched.items()):
                if folder not in stale and identity(folder) == armed.identity:
                    continue
                if armed.watch is not None:
                    self.observer.unschedule(armed.watch)
                self.watched[folder] = self._arm(folder)
                replaced.append(str(folder))
        return frozenset(replaced)

    def _settled(self, paths: frozenset[str]) -> None:
        # A stat per watched folder after each burst: also catches a replacement whose
        # event in the folder above was missed.
        self.on_change(paths | self.rearm())

    def start(self) -> None:
        self.observer.daemon = True
        self.observer.start()

    def stop(self) -> None:
        self.debouncer.cancel()
        if self.observer.is_alive():
            self.observer.stop()
            self.observer.join(timeout=5)
