"""The pipeline's layers depend in one direction only (see docs/architecture.md)."""

from __future__ import annotations

import ast
from pathlib import Path

PACKAGE = Path(__file__).resolve().parent.parent / "statusgen"

# layer → statusgen subpackages it may import (besides itself and statusgen.errors)
ALLOWED = {
    "model": set(),
    "content": set(),
    "validate": {"model", "content"},
    "derive": {"model"},
    "render": {"model", "derive"},
    "output": set(),
    "serve": {"model", "content", "validate", "derive", "render", "output", "build"},
    # Beside serve, never importing it: tells what a build published (the build's own facts).
    "notify": {"model", "derive", "render", "build"},
    # Beside them too: another page's history → content files, then a check like a build's.
    "importers": {"model", "content"},
    "cli": {
        "model",
        "content",
        "validate",
        "derive",
        "render",
        "output",
        "build",
        "serve",
        "notify",
        "importers",
    },
}


def imports_of(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(), str(path))
    names: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and node.module:
            names.add(node.module)
        elif isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
    return {n.split(".")[1] for n in names if n.startswith("statusgen.") and n.count(".") >= 1}


def test_each_layer_imports_only_the_layers_below_it() -> None:
    """model imports nothing of ours; render never imports cli; derive never touches files."""
    violations = []
    for layer, allowed in ALLOWED.items():
        for path in (PACKAGE / layer).rglob("*.py"):
            for imported in (
                imports_of(path) - allowed - {layer, "errors", "text", "workers", "web"}
            ):
                violations.append(f"{path.relative_to(PACKAGE)} imports statusgen.{imported}")
    assert violations == []


def test_derive_and_render_never_read_the_clock() -> None:
    """ "now" is an argument, which is what makes builds reproducible."""
    for layer in ("derive", "render", "validate", "model"):
        for path in (PACKAGE / layer).rglob("*.py"):
            source = path.read_text()
            assert "datetime.now(" not in source and "time.time(" not in source, path
