"""Package build step: the default theme's templates, compiled for every shipped language.

Runs when a wheel (or an editable install) is built: it writes `statusgen/_precompiled/`
(git-ignored, shipped as a build artifact), so that builds load the default theme's
compiled templates instead of compiling them (see statusgen.render.precompiled). A package
built without them works the same, only its cold builds are slower.
"""

from __future__ import annotations

import compileall
import sys
from pathlib import Path
from typing import Any

from hatchling.builders.hooks.plugin.interface import BuildHookInterface


class PrecompiledTemplates(BuildHookInterface):
    PLUGIN_NAME = "custom"

    def initialize(self, version: str, build_data: dict[str, Any]) -> None:
        root = Path(self.root)
        sys.path.insert(0, str(root))
        try:
            from statusgen.render.precompiled import write_default_theme

            target = root / "statusgen" / "_precompiled"
            written = write_default_theme(target)
        finally:
            sys.path.remove(str(root))
        # An editable install imports them from here: byte-compile them now, as pip does for
        # a wheel's modules, even where the environment tells Python not to write bytecode.
        compileall.compile_dir(target, quiet=1)
        self.app.display_info(f"statusgen: {written} templates precompiled")
