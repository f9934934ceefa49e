"""WRITE: the whole site appears at once, or not at all.

The new site is written into a hidden sibling directory and swapped in with one rename
(an atomic exchange where the kernel offers it). A failure or a kill at any moment leaves
the previous site byte for byte as it was; leftovers of a killed build are removed by the
next one.
"""

from __future__ import annotations

import ctypes
import ctypes.util
import os
import shutil
import sys
import tempfile
from collections.abc import Iterable
from pathlib import Path

TEMP_MARK = ".statusgen-"
_RENAME_EXCHANGE = 2  # linux/fs.h


class OutputError(Exception):
    """The output folder cannot be written (permissions, disk full, a file in the way)."""


def _exchange(a: Path, b: Path) -> bool:
    """Atomically swap two directories (Linux renameat2); False when unsupported."""
    if not sys.platform.startswith("linux"):
        return False
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


def write_site(files: Iterable[tuple[str, bytes]], output: Path) -> None:
    """Write every file under a fresh directory, then swap it in for `output`."""
    output = output.absolute()
    if output.exists() and not output.is_dir():
        raise OutputError(f"{output} exists and is not a directory")
    try:
        output.parent.mkdir(parents=True, exist_ok=True)
        remove_leftovers(output)
        staging = Path(tempfile.mkdtemp(prefix=f".{output.name}{TEMP_MARK}new-", dir=output.parent))
    except OSError as error:
        raise OutputError(f"cannot create the output beside {output}: {error.strerror}") from error
    try:
        made: set[Path] = {staging}
        for rel, data in files:
            target = staging / rel
            if target.parent not in made:
                target.parent.mkdir(parents=True, exist_ok=True)
                made.add(target.parent)
            if not _keep_unchanged(output / rel, target, data):
                target.write_bytes(data)
        staging.chmod(0o755)
        _swap_in(staging, output)
    except OSError as error:
        shutil.rmtree(staging, ignore_errors=True)
        raise OutputError(f"cannot write the site to {output}: {error.strerror or error}") from error
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise


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
