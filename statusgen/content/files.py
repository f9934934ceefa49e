"""Files that site.yml names (the branding's logo, favicon and stylesheet), read at load.

The content folder is not trusted, so a named file is read only when it is a regular file
that lies inside the content folder: the same rule the theme's files follow. An absolute
path, a `..` that leads out, a link out of the folder, a folder, a FIFO or a device is
refused with a reason, never read.
"""

from __future__ import annotations

import os
import stat
from pathlib import Path, PurePosixPath

# A logo or a stylesheet; anything larger is a mistake (a photo) and would slow every page.
MAX_NAMED_FILE_BYTES = 1024 * 1024
INSIDE_HINT = "name a file inside the content folder, relative to it (e.g. branding/logo.svg)"


class RefusedFile(Exception):
    """Why a named file cannot be used, and what to do instead."""

    def __init__(self, message: str, hint: str = INSIDE_HINT) -> None:
        super().__init__(message)
        self.message = message
        self.hint = hint


def read_confined(root: Path, name: str) -> bytes:
    """The bytes of the regular file `name` (relative, '/'-separated) inside `root`."""
    if "\\" in name or PurePosixPath(name).is_absolute() or Path(name).is_absolute():
        raise RefusedFile(f"'{name}' is not a relative path")
    top = Path(os.path.realpath(root))
    path = root / name
    target = Path(os.path.realpath(path))  # follows links, never raises on a loop
    if not target.is_relative_to(top) or target == top:
        raise RefusedFile(f"'{name}' leads outside the content folder")
    try:
        info = target.stat()
    except FileNotFoundError:
        raise RefusedFile(f"file '{name}' does not exist", "check the path") from None
    except OSError as error:
        raise RefusedFile(
            f"file '{name}' cannot be read: {error.strerror}", "check its permissions"
        ) from None
    if not stat.S_ISREG(info.st_mode):
        raise RefusedFile(f"'{name}' is not a regular file", "name a file, not a folder")
    if info.st_size > MAX_NAMED_FILE_BYTES:
        raise RefusedFile(
            f"file '{name}' is larger than {MAX_NAMED_FILE_BYTES // 1024} KiB",
            "use a smaller file (an SVG, or a compressed image)",
        )
    try:
        return target.read_bytes()
    except OSError as error:
        raise RefusedFile(
            f"file '{name}' cannot be read: {error.strerror}", "check its permissions"
        ) from None
