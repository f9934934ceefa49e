"""WRITE: the whole site appears at once, or not at all.

The new site is written into a hidden sibling directory and swapped in with one rename
(an atomic exchange where the kernel offers it). A failure or a kill at any moment leaves
the previous site byte for byte as it was; leftovers of a killed build are removed by the
next one.
"""

from __future__ import annotations

import os
import shutil
import sys
import tempfile
from collections.abc import Iterable
from pathlib import Path

from statusgen.text import safe_path

TEMP_MARK = ".statusgen-"
_RENAME_EXCHANGE = 2  # linux/fs.h


class OutputError(Exception):
    """The output folder cannot be written (permissions, disk full, a file in the way)."""


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


def remove_leftovers(output: Path) -> None:
    """Remove temporary directories of builds that were killed before they could clean up."""
    parent = output.parent
    if not parent.is_dir():
        return
    prefix = f".{output.name}{TEMP_MARK}"
    for path in parent.iterdir():
        if path.name.startswith(prefix) and path.is_dir() and not path.is_symlink():
            shutil.rmtree(path, ignore_errors=True)


class Staging:
    """The new site, written file by file into a hidden sibling of the output folder.

    Forked workers inherit it and write their files in parallel (a page is never held in
    memory longer than it takes to render it); `publish` swaps the finished tree in, and
    `discard` removes it after a failure so the published site stays as it was.
    """

    shared_by_workers = True

    def __init__(self, output: Path) -> None:
        output = output.absolute()
        if output.exists() and not output.is_dir():
            raise OutputError(f"{output} exists and is not a directory")
        try:
            output.parent.mkdir(parents=True, exist_ok=True)
            remove_leftovers(output)
            self.root = Path(tempfile.mkdtemp(prefix=f".{output.name}{TEMP_MARK}new-", dir=output.parent))
        except OSError as error:
            raise OutputError(f"cannot create the output beside {output}: {error.strerror}") from error
        self.output = output
        self._folders: set[Path] = {self.root}  # made by this process

    def add(self, path: str, data: bytes | str) -> None:
        """Write one file (or hard-link the published one when its bytes are unchanged)."""
        rel = safe_path(path)
        payload = data.encode() if isinstance(data, str) else data
        target = self.root / rel
        try:
            if target.parent not in self._folders:
                target.parent.mkdir(parents=True, exist_ok=True)  # another worker may race us
                self._folders.add(target.parent)
            if not _keep_unchanged(self.output / rel, target, payload):
                target.write_bytes(payload)
        except OSError as error:
            raise OutputError(f"cannot write the site to {self.output}: {error.strerror or error}") from error

    def publish(self) -> None:
        try:
            self.root.chmod(0o755)
            _swap_in(self.root, self.output)
        except OSError as error:
            self.discard()
            raise OutputError(f"cannot write the site to {self.output}: {error.strerror or error}") from error

    def discard(self) -> None:
        shutil.rmtree(self.root, ignore_errors=True)


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


def _keep_unchanged(previous: Path, target: Path, data: bytes) -> bool:
    """Hard-link the published file when its bytes are unchanged: it keeps its mtime and
    inode, so deploy tools that compare files upload only what really changed."""
    try:
        if previous.stat().st_size != len(data) or previous.read_bytes() != data:
            return False
        os.link(previous, target)
    except OSError:
        return False
    return True


def _swap_in(staging: Path, output: Path) -> None:
    if not output.exists():
        os.rename(staging, output)
        return
    if _exchange(staging, output):
        shutil.rmtree(staging, ignore_errors=True)  # now holds the previous site
        return
    # Fallback: two renames; a kill between them leaves the old site in the .old folder.
    old = Path(tempfile.mkdtemp(prefix=f".{output.name}{TEMP_MARK}old-", dir=output.parent))
    os.rmdir(old)
    os.rename(output, old)
    os.rename(staging, output)
    shutil.rmtree(old, ignore_errors=True)
