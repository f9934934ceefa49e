"""YAML that remembers where each value came from.

PyYAML forgets line numbers once it builds Python objects; the 3 a.m. reader needs them.
Mappings are built as `LineMap` (a dict that knows the line of each key), timestamps stay
strings (we parse times ourselves, with the site's timezone), duplicate keys and aliases are
refused instead of silently winning or expanding.
"""

from __future__ import annotations

from typing import Any

import yaml

try:  # the C parser is much faster; both are "safe" loaders (no arbitrary objects)
    from yaml import CSafeLoader as _BaseLoader
except ImportError:  # pragma: no cover - depends on how PyYAML was built
    from yaml import SafeLoader as _BaseLoader  # type: ignore[assignment]


class LineMap(dict[str, Any]):
    """A mapping from YAML with the 1-based line of the mapping and of each key."""

    line: int
    key_lines: dict[str, int]

    def line_of(self, key: str) -> int:
        return self.key_lines.get(key, self.line)


class YamlProblem(Exception):
    """A YAML document we refuse, with the 1-based line (relative to the YAML text)."""

    def __init__(self, message: str, line: int | None, hint: str | None = None, first_line: int | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.line = line
        self.hint = hint
        self.first_line = first_line  # an earlier line the problem relates to (duplicate keys)

    def shifted(self, offset: int) -> YamlProblem:
        """The same problem with file lines, when the YAML started `offset` lines into the file."""
        message = self.message
        if self.first_line is not None:
            message = f"{message} (first on line {self.first_line + offset})"
        return YamlProblem(message, self.line + offset if self.line else None, self.hint)


def _refuse_aliases(node: yaml.Node) -> None:
    """Aliases are shared nodes in the composed graph: find any node reached twice.

    Refusing them closes the "billion laughs" door and keeps frontmatter plain.
    """
    seen: set[int] = set()
    stack = [node]
    while stack:
        current = stack.pop()
        if id(current) in seen:
            raise YamlProblem(
                "YAML anchors and aliases (&name, *name) are not supported",
                current.start_mark.line + 1,
                "write the value out in full where it is used",
            )
        seen.add(id(current))
        if isinstance(current, yaml.MappingNode):
            for key, value in current.value:
                stack.extend((key, value))
        elif isinstance(current, yaml.SequenceNode):
            stack.extend(current.value)


class _Loader(_BaseLoader):  # type: ignore[misc,valid-type]
    """For texts without '&': no anchor, so no alias can resolve (PyYAML refuses it)."""

    def construct_object(self, node: yaml.Node, deep: bool = False) -> Any:
        # PyYAML's scalar constructors fail with plain Python errors on some values: an empty
        # `!!int` (IndexError), `!!bool maybe` (KeyError), an integer of more than 4,300
        # digits (ValueError). Each is a mistake in the file, at this node's line.
        try:
            return super().construct_object(node, deep)
        except (ValueError, LookupError, ArithmeticError):
            value = str(node.value) if isinstance(node, yaml.ScalarNode) else ""
            shown = value if len(value) <= 40 else value[:40] + "…"
            raise YamlProblem(
                f"invalid YAML {node.tag.rsplit(':', 1)[-1]} value '{shown}'",
                node.start_mark.line + 1,
                "quote the value to keep it as text; a number may have at most 4300 digits",
            ) from None


class _CheckedLoader(_Loader):
    """For texts with an '&': walk the composed graph for shared nodes first."""

    def construct_document(self, node: yaml.Node) -> Any:
        _refuse_aliases(node)
        return super().construct_document(node)


def _construct_map(loader: _Loader, node: yaml.MappingNode) -> Any:
    data = LineMap()
    data.line = node.start_mark.line + 1
    data.key_lines = {}
    yield data
    loader.flatten_mapping(node)
    for key_node, value_node in node.value:
        key = loader.construct_object(key_node, deep=True)
        if not isinstance(key, str):
            key = str(key)
        line = key_node.start_mark.line + 1
        if key in data.key_lines:
            raise YamlProblem(
                f"duplicate key '{key}'",
                line,
                "keep one of the two; YAML would otherwise silently use the last one",
                first_line=data.key_lines[key],
            )
        data.key_lines[key] = line
        data[key] = loader.construct_object(value_node, deep=True)


def _construct_str(loader: _Loader, node: yaml.ScalarNode) -> str:
    return str(loader.construct_scalar(node))


_Loader.add_constructor("tag:yaml.org,2002:map", _construct_map)
# Times and dates stay text: `at: 2026-11-20 14:02` must be read in the site timezone.
_Loader.add_constructor("tag:yaml.org,2002:timestamp", _construct_str)


def parse_yaml(text: str) -> Any:
    """Parse one YAML document; raise YamlProblem with a line number on any mistake."""
    try:
        loader = _CheckedLoader if "&" in text else _Loader
        return yaml.load(text, Loader=loader)  # noqa: S506 - both are SafeLoaders
    except YamlProblem:
        raise
    except RecursionError:
        raise YamlProblem("YAML nested too deeply", None, "frontmatter needs only a few levels of nesting") from None
    except yaml.MarkedYAMLError as error:
        # An unclosed bracket or quote is found where the parser gives up, often lines later;
        # the place it was opened is the useful one.
        opened = error.context and ("flow" in error.context or "quoted" in error.context)
        mark = (error.context_mark if opened else None) or error.problem_mark or error.context_mark
        line = mark.line + 1 if mark else None
        problem = error.problem or error.context or "invalid YAML"
        raise YamlProblem(
            f"invalid YAML: {problem}",
            line,
            "check indentation and quoting; a value containing ': ' or starting with "
            "'*', '&', '[' or '{' needs quotes",
        ) from None
    except yaml.YAMLError as error:
        raise YamlProblem(f"invalid YAML: {error}", None) from None
