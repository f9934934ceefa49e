"""Themes: a folder with templates/ and static/. The default one ships inside the package.

A theme is code the site owner trusts, but it may sit in the content folder, which is not
trusted: so a theme only ever reads what lies inside its own folder. A theme file is a
regular file, or a link to a regular file, that resolves inside the theme folder; a link to
a folder, a link out of the theme, a FIFO or a device is refused with its path named, never
read and never published.

A theme holds only what it changes: a template or static file it lacks comes from the
default theme (see `theme_assets` and statusgen.render.html.ThemeLoader).
"""

from __future__ import annotations

import hashlib
import os
import stat
from dataclasses import dataclass
from pathlib import Path

from jinja2 import TemplateError

import statusgen
from statusgen.errors import ContentError, ContentInvalid, Source

TEMPLATES = "templates"
STATIC = "static"
UNSAFE_HINT = (
    "replace it with a regular file inside the theme folder (links may only point inside it)"
)
LINKED_FOLDER = "theme folder is a symbolic link (not allowed in a theme)"


def default_theme_dir() -> Path:
    """Installed wheels carry the theme inside the package; a source checkout has it at the top."""
    package = Path(statusgen.__file__).parent
    for candidate in (package / "themes" / "default", package.parent / "themes" / "default"):
        if (candidate / TEMPLATES).is_dir():
            return candidate
    raise FileNotFoundError("the default theme is missing from this installation of statusgen")


def is_default(theme_dir: Path) -> bool:
    return theme_dir.resolve() == default_theme_dir().resolve()


class ThemeFileError(TemplateError):
    """A theme file that cannot be used as it is: outside the theme, not a regular file, not
    UTF-8. A TemplateError, so that it travels the paths every broken template takes."""

    def __init__(
        self, path: Path, message: str, hint: str = UNSAFE_HINT, line: int | None = None
    ) -> None:
        super().__init__(message)
        self.filename = str(path)
        self.lineno = line
        self.hint = hint

    def error(self) -> ContentError:
        return ContentError(
            Source(self.filename, self.lineno), "theme", str(self.message), self.hint
        )


def unreadable(path: Path, error: OSError) -> ThemeFileError:
    return ThemeFileError(
        path, f"theme file cannot be read: {error.strerror}", "check its permissions"
    )


def confined_file(root: Path, parts: tuple[str, ...]) -> Path | None:
    """The regular file at `root/parts…`, None when nothing is there.

    `root` is a resolved theme folder. Raises ThemeFileError for anything else that is there:
    a link to a folder (links are followed only to regular files), a link leading out of
    `root`, a link to nothing, or a file that is not regular (a FIFO would block the build).
    """
    path = root
    for index, part in enumerate(parts):
        path = path / part
        try:
            info = path.lstat()
        except FileNotFoundError:
            return None
        except OSError as error:
            raise unreadable(path, error) from None
        last = index == len(parts) - 1
        if not last:
            if stat.S_ISLNK(info.st_mode):
                raise ThemeFileError(path, LINKED_FOLDER)
            if not stat.S_ISDIR(info.st_mode):
                return None
            continue
        return _regular(root, path, info)
    return None


def _regular(root: Path, path: Path, info: os.stat_result) -> Path:
    """`path` itself when it is a regular file, or a link to one inside `root`."""
    if stat.S_ISLNK(info.st_mode):
        target = Path(os.path.realpath(path))  # unlike Path.resolve, never raises on a loop
        if not target.is_relative_to(root):
            raise ThemeFileError(
                path, f"theme file is a symbolic link out of the theme folder (to {target})"
            )
        try:
            info = target.stat()
        except OSError:
            raise ThemeFileError(
                path, "theme file is a symbolic link to nothing (or a loop of links)"
            ) from None
    if stat.S_ISDIR(info.st_mode):
        raise ThemeFileError(
            path, "theme file is a symbolic link to a folder (not allowed in a theme)"
        )
    if not stat.S_ISREG(info.st_mode):
        raise ThemeFileError(path, "theme file is not a regular file (a FIFO, socket or device)")
    return path


def theme_files(theme_dir: Path, folder: str) -> tuple[dict[str, Path], list[ThemeFileError]]:
    """Every usable file under `theme_dir/folder` by its '/'-separated name, and every refused
    one. Walks without following links; a missing folder is an empty one (a partial theme)."""
    root = theme_dir.resolve()
    top = root / folder
    files: dict[str, Path] = {}
    refused: list[ThemeFileError] = []
    try:
        if confined_folder(top) is None:
            return files, refused
    except ThemeFileError as error:
        return files, [error]
    for here, dirs, names in os.walk(top, followlinks=False):
        base = Path(here)
        for name in sorted(dirs):
            if (base / name).is_symlink():
                refused.append(ThemeFileError(base / name, LINKED_FOLDER))
                dirs.remove(name)
        dirs.sort()
        for name in names:
            path = base / name
            try:
                files[path.relative_to(top).as_posix()] = _regular(root, path, path.lstat())
            except ThemeFileError as error:
                refused.append(error)
            except OSError as error:
                refused.append(unreadable(path, error))
    return dict(sorted(files.items())), refused


def confined_folder(path: Path) -> Path | None:
    """`path` when it is a real folder (not a link), None when absent; else ThemeFileError."""
    try:
        info = path.lstat()
    except FileNotFoundError:
        return None
    if stat.S_ISLNK(info.st_mode):
        raise ThemeFileError(path, LINKED_FOLDER)
    if not stat.S_ISDIR(info.st_mode):
        raise ThemeFileError(
            path,
            "expected a folder in the theme, found a file",
            "remove the file or make it a folder",
        )
    return path


def theme_problems(theme_dir: Path) -> list[ContentError]:
    """Every refused file of the theme's templates/ and static/, for one report."""
    return [
        refused.error()
        for folder in (TEMPLATES, STATIC)
        for refused in theme_files(theme_dir, folder)[1]
    ]


@dataclass(frozen=True, slots=True)
class Asset:
    name: str  # as templates ask for it: 'style.css'
    path: str  # where it is published, with a content hash: 'assets/style.3f2a1b9c.css'
    data: bytes


def theme_assets(theme_dir: Path) -> tuple[Asset, ...]:
    """Static files renamed by content hash, so they can be cached for a year: the theme's
    over the default theme's. Raises ContentInvalid naming every refused file."""
    files, refused = theme_files(default_theme_dir(), STATIC)
    if not is_default(theme_dir):
        own, refused = theme_files(theme_dir, STATIC)
        files = dict(sorted({**files, **own}.items()))
    if refused:
        raise ContentInvalid([error.error() for error in refused])
    assets = []
    for rel, path in files.items():
        try:
            data = path.read_bytes()
        except OSError as error:
            raise ContentInvalid([unreadable(path, error).error()]) from None
        assets.append(Asset(rel, hashed_path(rel, data), data))
    return tuple(assets)


def hashed_path(rel: str, data: bytes) -> str:
    """Where a static file is published: its name with a content hash, so that it can be
    cached for a year ('style.css' → 'assets/style.3f2a1b9c0d.css')."""
    digest = hashlib.sha256(data).hexdigest()[:10]
    stem, _, ext = rel.rpartition(".")
    return f"assets/{stem}.{digest}.{ext}" if stem else f"assets/{rel}.{digest}"
