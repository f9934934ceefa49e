"""YAML that remembers where each value came from.

PyYAML forgets line numbers once it builds Python objects; the 3 a.m. reader needs them.
Mappings are built as `LineMap` (a dict that knows the line of each key), timestamps stay
strings (we parse times ourselves, with the site's timezone), duplicate keys and aliases are
refused instead of silently winning or expanding.

Plain values are typed by the YAML 1.2 core schema, not PyYAML's YAML 1.1 rules: `21:56` is
the text "21:56" (1.1 reads the number 1316), `010` is ten (1.1: octal 8), `yes`, `no`, `on`
and `off` are text (1.1: booleans); only `true` and `false` are booleans. No control
character survives into a value, however it was written (raw, or as an escape like "\\0").
"""

from __future__ import annotations

import math
import re
from typing import Any

import yaml

from statusgen.text import without_controls

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

    def __init__(
        self, message: str, line: int | None, hint: str | None = None, first_line: int | None = None
    ) -> None:
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


class _Loader(_BaseLoader):
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
        if isinstance(key_node, yaml.ScalarNode):  # a key is its text as written: `010:`, `on:`
            key = without_controls(str(key_node.value))
        else:
            key = str(loader.construct_object(key_node, deep=True))
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
    # An escape such as "\0" or "\e" makes a control character the raw text could not hold.
    return without_controls(str(loader.construct_scalar(node)))


def _construct_int(loader: _Loader, node: yaml.ScalarNode) -> int:
    """A YAML 1.2 core integer: decimal (a leading zero changes nothing), 0o octal, 0x hex."""
    value = str(loader.construct_scalar(node))
    digits = value.lstrip("+-")
    sign = -1 if value.startswith("-") else 1
    if digits.startswith("0o"):
        return sign * int(digits, 0)
    if digits.startswith("0x"):
        return sign * int(digits, 0)
    return sign * int(digits, 10)


def _construct_float(loader: _Loader, node: yaml.ScalarNode) -> float:
    value = str(loader.construct_scalar(node))
    special = {".inf": math.inf, "+.inf": math.inf, "-.inf": -math.inf, ".nan": math.nan}
    lowered = value.lower()
    return special[lowered] if lowered in special else float(value)


def _construct_bool(loader: _Loader, node: yaml.ScalarNode) -> bool:
    value = str(loader.construct_scalar(node)).lower()
    if value not in ("true", "false"):
        raise ValueError(value)  # reported as an invalid bool value, at this line
    return value == "true"


# The YAML 1.2 core schema's plain scalars (https://yaml.org/spec/1.2.2/#1032-tag-resolution);
# anything else is text. Integers are tried before floats: both patterns match "10".
_CORE_RESOLVERS = (
    ("tag:yaml.org,2002:null", r"~|null|Null|NULL|", "~nN"),
    ("tag:yaml.org,2002:bool", r"true|True|TRUE|false|False|FALSE", "tTfF"),
    ("tag:yaml.org,2002:int", r"[-+]?[0-9]+|0o[0-7]+|0x[0-9a-fA-F]+", "-+0123456789"),
    (
        "tag:yaml.org,2002:float",
        r"[-+]?(?:\.[0-9]+|[0-9]+(?:\.[0-9]*)?)(?:[eE][-+]?[0-9]+)?|[-+]?\.(?:inf|Inf|INF)|\.(?:nan|NaN|NAN)",
        "-+0123456789.",
    ),
)
_Loader.yaml_implicit_resolvers = {}  # PyYAML's own are YAML 1.1's: replaced, not extended
for _tag, _pattern, _first in _CORE_RESOLVERS:
    _starts = [*_first, ""] if _tag.endswith("null") else list(_first)  # "": an empty value
    _Loader.add_implicit_resolver(_tag, re.compile(f"^(?:{_pattern})$"), _starts)

_Loader.add_constructor("tag:yaml.org,2002:map", _construct_map)
_Loader.add_constructor("tag:yaml.org,2002:str", _construct_str)
_Loader.add_constructor("tag:yaml.org,2002:int", _construct_int)
_Loader.add_constructor("tag:yaml.org,2002:float", _construct_float)
_Loader.add_constructor("tag:yaml.org,2002:bool", _construct_bool)
# Times and dates stay text: `at: 2026-11-20 14:02` must be read in the site timezone. (The
# core schema has no timestamps; this is for one tagged `!!timestamp`.)
_Loader.add_constructor("tag:yaml.org,2002:timestamp", _construct_str)


# Far deeper than any real frontmatter, and well inside what the parser and Python's stack take.
MAX_NESTING = 50


def _nesting_problem(text: str) -> YamlProblem | None:
    """The first list or mapping opened more than MAX_NESTING levels deep, if there is one.

    PyYAML fails on deep nesting in ways that depend on how it was built: a RecursionError
    from the constructor, or libyaml's own message at its own limit. Counting the events of
    the pure-Python parser, which has no limit and no recursion, gives one error of ours, with
    the line, whichever way it failed. Only called once parsing has failed: it is slow.
    """
    depth = 0
    try:
        for event in yaml.parse(text, Loader=yaml.SafeLoader):
            if isinstance(event, yaml.SequenceStartEvent | yaml.MappingStartEvent):
                depth += 1
                if depth > MAX_NESTING:
                    return YamlProblem(
                        f"YAML nested more than {MAX_NESTING} levels deep",
                        event.start_mark.line + 1 if event.start_mark else None,
                        "frontmatter needs only a few levels of nesting: "
                        "write the value as plain text or as a short list",
                    )
            elif isinstance(event, yaml.SequenceEndEvent | yaml.MappingEndEvent):
                depth -= 1
    except yaml.YAMLError:
        return None
    return None


_NOT_LINE_BREAKS = str.maketrans({"\x85": " ", "\u2028": " ", "\u2029": " "})


def parse_yaml(text: str) -> Any:
    """Parse one YAML document; raise YamlProblem with a line number on any mistake."""
    # YAML 1.1 (and so PyYAML) counts U+0085, U+2028 and U+2029 as line breaks; editors and
    # grep do not, so every later line number would be off by one per character. A line
    # break inside a plain or quoted value folds to a space anyway.
    text = text.translate(_NOT_LINE_BREAKS)
    try:
        loader = _CheckedLoader if "&" in text else _Loader
        return yaml.load(text, Loader=loader)
    except YamlProblem:
        raise
    except RecursionError:
        raise _nesting_problem(text) or YamlProblem(
            f"YAML nested more than {MAX_NESTING} levels deep",
            None,
            "frontmatter needs only a few levels of nesting: "
            "write the value as plain text or as a short list",
        ) from None
    except yaml.MarkedYAMLError as error:
        deep = _nesting_problem(text)
        if deep is not None:
            raise deep from None
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
