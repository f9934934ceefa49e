"""WRITE: the whole site appears at once, or not at all, and only where statusgen may write.

The new site is written into a hidden sibling directory and swapped in with one rename
(an atomic exchange where the kernel offers it). A failure or a kill at any moment leaves
the previous site byte for byte as it was. One build at a time: a lock file beside the
output is held from before the leftovers of killed builds are cleared until after the swap,
so a second build waits (or gives up, saying so) instead of deleting the first one's work.
"""

from __future__ import annotations

import contextlib
import fcntl
import os
import shutil
import stat
import sys
import tempfile
import time
import weakref
from collections.abc import Iterable
from pathlib import Path

from statusgen.output.location import MARKER, MARKER_TEXT, OutputRefused, publish_target
from statusgen.text import safe_path

TEMP_MARK = ".statusgen-"
LOCK_SUFFIX = ".statusgen-lock"
# How long a build waits for another build of the same output before giving up (exit 2).
LOCK_WAIT_SECONDS = 60.0
_RENAME_EXCHANGE = 2  # linux/fs.h


class OutputError(Exception):
    """The output folder cannot be written (permissions, disk full, a file in the way)."""


class DuplicatePath(OutputError):
    """Two outputs claimed one path: a bug in a renderer, caught before the second write."""


def _exchange(a: Path, b: Path) -> bool:
    """Atomically swap two directories (Linux renameat2); False when unsupported."""
    if not sys.platform.startswith("linux"):
        return False
    import ctypes  # only here: importing it costs as much as the rest of this module
    import ctypes.util

    try:
        libc = ctypes.CDLL(ctypes.util.find_library("c") or "libc.so.6", use_errno=True)
        renameat2 = libc.renameat2
    except (OSError, AttributeError):
        return False
    at_fdcwd = -100
    result = renameat2(at_fdcwd, os.fsencode(a), at_fdcwd, os.fsencode(b), _RENAME_EXCHANGE)
    return bool(result == 0)


def lock_path(output: Path) -> Path:
    """The lock file of an output folder: beside it, so it survives the swap."""
    return output.parent / f".{output.name}{LOCK_SUFFIX}"


class OutputLock:
    """An exclusive lock on the lock file of an output folder, held by one build process.

    The kernel releases it when its holder dies, so holding it proves that every other
    build of this folder has finished or was killed. The file is removed on release; a
    waiter that then locks the removed file notices (another inode is at the path) and
    tries again, so two builds never both believe they hold the folder.
    """

    def __init__(self, output: Path, wait: float | None = None) -> None:
        self.path = lock_path(output)
        self._pid = os.getpid()
        deadline = time.monotonic() + (LOCK_WAIT_SECONDS if wait is None else wait)
        while True:
            fd = os.open(self.path, os.O_RDWR | os.O_CREAT | os.O_CLOEXEC, 0o644)
            try:
                while not _try_lock(fd):
                    if time.monotonic() >= deadline:
                        raise OutputRefused(
                            output,
                            f"another statusgen build or preview is writing it (lock: {self.path})",
                            "wait for that build to finish, then build again",
                        )
                    time.sleep(0.05)
                if _same_file(fd, self.path):
                    self._fd = fd
                    _closed_in_forked_children(self)
                    return
            except BaseException:
                os.close(fd)
                raise
            os.close(fd)  # locked a file its holder had just removed: lock the new one

    def release(self) -> None:
        """Remove the lock file and unlock (only in the process that took the lock)."""
        if self._fd < 0 or os.getpid() != self._pid:
            return  # released, or a forked worker (which closed its copy at the fork)
        try:
            self.path.unlink(missing_ok=True)
        finally:
            os.close(self._fd)
            self._fd = -1


def _try_lock(fd: int) -> bool:
    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        return False
    return True


def _closed_in_forked_children(lock: OutputLock) -> None:
    """A forked page worker closes its copy of the lock's file at once: the lock stays the
    build's alone, so a build killed while its orphaned workers finish their task never
    keeps the next build waiting. (A weak reference: the hook outlives the lock.)"""
    held = weakref.ref(lock)

    def close_copy() -> None:
        lock = held()
        if lock is not None and lock._fd >= 0:
            os.close(lock._fd)
            lock._fd = -1

    os.register_at_fork(after_in_child=close_copy)


def _same_file(fd: int, path: Path) -> bool:
    try:
        named = path.stat()
    except FileNotFoundError:
        return False
    held = os.fstat(fd)
    return (held.st_dev, held.st_ino) == (named.st_dev, named.st_ino)


def recover_leftovers(output: Path) -> None:
    """Put back a site left aside by a build killed mid-swap, then remove the rest of the
    temporary folders of killed builds. Call it only while holding the output's lock."""
    parent = output.parent
    if not parent.is_dir():
        return
    prefix = f".{output.name}{TEMP_MARK}"
    leftovers = [
        path
        for path in parent.iterdir()
        if path.name.startswith(prefix) and path.is_dir() and not path.is_symlink()
    ]
    if not output.exists() and not output.is_symlink():
        # Killed between "output → old" and "new → output": the old site is the published one.
        aside = sorted(
            (path for path in leftovers if path.name.startswith(f"{prefix}old-")),
            key=lambda path: path.stat().st_mtime_ns,
        )
        if aside:
            os.rename(aside[-1], output)
            leftovers.remove(aside[-1])
    for path in leftovers:
        shutil.rmtree(path, ignore_errors=True)


class Staging:
    """The new site, written file by file into a hidden sibling of the output folder.

    Forked workers inherit it and write their files in parallel (a page is never held in
    memory longer than it takes to render it); `publish` swaps the finished tree in, and
    `discard` removes it after a failure so the published site stays as it was. The output's
    lock is held from creation until `publish` or `discard`.

    A symlinked output folder is published into its target (the link is kept). Every file is
    created new (O_EXCL): a path written twice is refused before the second write, and a
    file hard-linked from the published site (unchanged bytes) is never written through.
    """

    def __init__(self, output: Path, wait: float | None = None) -> None:
        output = publish_target(output)
        if output.exists() and not output.is_dir():
            raise OutputError(f"{output} exists and is not a directory")
        failure = f"cannot create the output beside {output}"
        try:
            output.parent.mkdir(parents=True, exist_ok=True)
            self._lock = OutputLock(output, wait)
        except OSError as error:
            raise OutputError(f"{failure}: {error.strerror}") from error
        root: Path | None = None
        try:
            recover_leftovers(output)  # under the lock: their builds are dead
            prefix = f".{output.name}{TEMP_MARK}new-"
            root = Path(tempfile.mkdtemp(prefix=prefix, dir=output.parent))
            if not _keep_unchanged(output / MARKER, root / MARKER, MARKER_TEXT):
                _write_new(root / MARKER, MARKER_TEXT)
            made = os.stat(root)
        except BaseException as error:
            if root is not None:
                shutil.rmtree(root, ignore_errors=True)
            self._lock.release()
            if isinstance(error, OSError):
                raise OutputError(f"{failure}: {error.strerror}") from error
            raise
        self.root = root
        self.output = output
        self._identity = (made.st_dev, made.st_ino)
        self._pid = os.getpid()
        self._folders: set[Path] = {root}  # made by this process

    def add(self, path: str, data: bytes | str) -> None:
        """Write one file as a new file (or hard-link the published one when its bytes are
        unchanged); DuplicatePath when this build already wrote `path`."""
        rel = safe_path(path)
        payload = data.encode() if isinstance(data, str) else data
        target = self.root / rel
        try:
            self._make_folders(target.parent)
            if not _keep_unchanged(self.output / rel, target, payload):
                _write_new(target, payload)
        except FileExistsError:
            raise DuplicatePath(f"two outputs write {rel} (a bug: nothing was published)") from None
        except OSError as error:
            raise OutputError(self._write_failure(error)) from error

    def _make_folders(self, folder: Path) -> None:
        """Create the folders below the staging root; never the root itself: if another
        process removed it, writing fails rather than publishing a partial tree."""
        if folder in self._folders:
            return
        self._make_folders(folder.parent)
        with contextlib.suppress(FileExistsError):  # another worker may race us
            os.mkdir(folder)
        self._folders.add(folder)

    def _write_failure(self, error: OSError | None = None) -> str:
        if error is None or not self._still_ours():
            return (
                f"cannot write the site to {self.output}: its staging folder {self.root} "
                "was removed or replaced by another process"
            )
        return f"cannot write the site to {self.output}: {error.strerror or error}"

    def _still_ours(self) -> bool:
        """The staging root is the folder this build created, with its marker."""
        try:
            root = os.stat(self.root)
        except OSError:
            return False
        return (root.st_dev, root.st_ino) == self._identity and (self.root / MARKER).is_file()

    def publish(self) -> None:
        """Swap the finished tree in, then release the lock."""
        try:
            if not self._still_ours():
                raise OutputError(self._write_failure())
            self.root.chmod(0o755)
            _swap_in(self.root, self.output)
        except OSError as error:
            self.discard()
            reason = error.strerror or error
            raise OutputError(f"cannot write the site to {self.output}: {reason}") from error
        except BaseException:
            self.discard()
            raise
        self._lock.release()

    def discard(self) -> None:
        """Remove the unfinished tree (if it is still ours) and release the lock."""
        if os.getpid() != self._pid:
            return  # a forked worker: the process that created the staging cleans up
        if self._still_ours():
            shutil.rmtree(self.root, ignore_errors=True)
        self._lock.release()


def write_site(files: Iterable[tuple[str, bytes]], output: Path) -> None:
    """Write every file under a fresh directory, then swap it in for `output`."""
    staging = Staging(output)
    try:
        for rel, data in files:
            staging.add(rel, data)
    except BaseException:
        staging.discard()
        raise
    staging.publish()


def _write_new(target: Path, data: bytes) -> None:
    """Create `target` and write `data`; FileExistsError if anything is already there."""
    fd = os.open(target, os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_CLOEXEC, 0o666)
    with os.fdopen(fd, "wb") as handle:
        handle.write(data)


def _keep_unchanged(previous: Path, target: Path, data: bytes) -> bool:
    """Hard-link the published file when its bytes are unchanged: it keeps its mtime and
    inode, so deploy tools that compare files upload only what really changed.

    Only a regular file with identical bytes is linked; FileExistsError (the path was
    already written by this build) is left to the caller."""
    try:
        info = previous.lstat()
        if not stat.S_ISREG(info.st_mode) or info.st_size != len(data):
            return False
        if previous.read_bytes() != data:
            return False
    except OSError:
        return False
    try:
        os.link(previous, target, follow_symlinks=False)
    except FileExistsError:
        raise
    except OSError:
        return False  # no hard links on this file system: write a copy
    return True


def _swap_in(staging: Path, output: Path) -> None:
    if not output.exists():
        os.rename(staging, output)
        return
    if _exchange(staging, output):
        shutil.rmtree(staging, ignore_errors=True)  # now holds the previous site
        return
    # Fallback: two renames. A failure of the second puts the old site back; a kill between
    # them leaves it in the .old folder, which the next build renames back before anything.
    old = Path(tempfile.mkdtemp(prefix=f".{output.name}{TEMP_MARK}old-", dir=output.parent))
    os.rmdir(old)
    os.rename(output, old)
    try:
        os.rename(staging, output)
    except BaseException:
        os.rename(old, output)
        raise
    shutil.rmtree(old, ignore_errors=True)
