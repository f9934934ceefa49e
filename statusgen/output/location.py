"""Where a site may be published: the checks `build` and `serve --output` share.

Publishing replaces the output folder whole, so the folder named by `--output` is deleted
in the swap. It must therefore be a folder statusgen owns: absent, empty, or written by an
earlier build (which leaves `MARKER` at its root), and it must not hold, or sit inside, the
content, the theme or the cache. Anything else is refused before a single file is touched.
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

MARKER = ".statusgen-output"
MARKER_TEXT = b"Written by statusgen; the next build replaces this whole folder.\n"


class OutputRefused(Exception):
    """`--output` names a folder that must not be replaced: a usage error (exit 2)."""

    def __init__(self, output: Path, reason: str, hint: str) -> None:
        super().__init__(f"refusing to replace {output}: {reason}")
        self.output = output
        self.reason = reason
        self.hint = hint

    def __reduce__(self) -> tuple[type[OutputRefused], tuple[Path, str, str]]:
        return (OutputRefused, (self.output, self.reason, self.hint))


def publish_target(output: Path) -> Path:
    """The folder a build really replaces: the output with every symlink resolved.

    `public -> /var/www/status` publishes into /var/www/status and keeps the link; swapping
    the link itself would turn it into a plain folder and leave the old target behind.
    """
    return output.resolve()


def check_output(
    output: Path,
    *,
    content_dir: Path,
    theme_dirs: Iterable[Path] = (),
    cache_dir: Path | None = None,
    force: bool = False,
) -> None:
    """Raise OutputRefused when publishing to `output` could destroy something not ours."""
    target = publish_target(output)
    guarded = [("content", content_dir), *(("theme", theme) for theme in theme_dirs)]
    if cache_dir is not None:
        guarded.append(("cache", cache_dir))
    for kind, folder in guarded:
        other = folder.resolve()
        if target == other or target.is_relative_to(other) or other.is_relative_to(target):
            raise OutputRefused(
                output,
                f"it overlaps the {kind} folder {folder}",
                "build into a separate folder such as public/",
            )
    if not force and target.is_dir() and not (target / MARKER).is_file() and _has_entries(target):
        raise OutputRefused(
            output,
            f"it is a non-empty folder that statusgen did not write (no {MARKER} file in it)",
            "build into an empty or new folder such as public/, or use --force to replace it",
        )


def _has_entries(folder: Path) -> bool:
    try:
        return next(folder.iterdir(), None) is not None
    except OSError:
        return True  # unreadable: certainly not ours to delete
