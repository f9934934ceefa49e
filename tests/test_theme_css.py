"""The default theme mirrors for right-to-left languages because its stylesheet names sides by
reading direction (inline start and end), never left or right.

A side that must stay physical is excused by a comment right after the declaration's semicolon,
`/* physical: why */`; the reason is required, and an excuse that excuses nothing is stale. The
browser tests check the result on screen; this one says which line to fix, without a browser.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

import pytest

from conftest import ROOT

STYLESHEET = ROOT / "themes" / "default" / "static" / "style.css"

COMMENT = re.compile(r"/\*.*?\*/", re.DOTALL)
EXCUSE = re.compile(r"/\*\s*physical:(?P<why>.*?)\*/", re.DOTALL)
STRING = re.compile(r"\"[^\"]*\"|'[^']*'")
RULE_BODY = re.compile(r"\{([^{}]*)\}")
SIDE_IN_NAME = re.compile(r"(^|-)(left|right)(-|$)")  # margin-left, border-top-left-radius
SIDE_IN_VALUE = re.compile(r"(?<![\w-])(left|right)(?![\w-])")  # float: left, to right
# Shorthands whose four values run top, right, bottom, left: asymmetric when right != left.
BOX_SHORTHANDS = {
    "margin",
    "padding",
    "inset",
    "border-width",
    "border-style",
    "border-color",
    "scroll-margin",
    "scroll-padding",
}


@dataclass(frozen=True, slots=True)
class Declaration:
    """One `name: value` of a rule, where it is, and the reason it may name a side, if given."""

    line: int
    name: str
    value: str
    excuse: str | None


def declarations(css: str) -> list[Declaration]:
    """Every declaration inside a rule's braces (at-rule preludes and selectors are not ones)."""
    blank = COMMENT.sub(lambda m: re.sub(r"[^\n]", " ", m.group()), css)
    excuses = {m.start(): m["why"].strip() for m in EXCUSE.finditer(css)}
    found: list[Declaration] = []
    for body in RULE_BODY.finditer(blank):
        at = body.start(1)
        for part in body[1].split(";"):
            end, start = at + len(part), at
            at = end + 1
            name, colon, value = part.partition(":")
            if not colon or not name.strip():
                continue
            excuse = None
            if blank[end : end + 1] == ";":
                next_text = len(css) - len(css[end + 1 :].lstrip())
                excuse = excuses.get(next_text)
            line = css.count("\n", 0, start + len(part) - len(part.lstrip())) + 1
            found.append(Declaration(line, name.strip().lower(), value.strip(), excuse))
    return found


def values(value: str) -> list[str]:
    """A value's space-separated parts, keeping `calc(a + b)` and `var(--x)` whole."""
    parts: list[str] = []
    depth, current = 0, ""
    for char in value.replace("!important", "").strip() + " ":
        depth += (char == "(") - (char == ")")
        if char.isspace() and depth == 0:
            if current:
                parts.append(current)
            current = ""
        else:
            current += char
    return parts


def corners(radius: str) -> tuple[str, str, str, str]:
    """The four corners a `border-radius` side gives: top-left, top-right, bottom-right,
    bottom-left."""
    v = values(radius)
    top_left = v[0]
    top_right = v[1] if len(v) > 1 else top_left  # a missing corner copies the one opposite
    bottom_right = v[2] if len(v) > 2 else top_left
    bottom_left = v[3] if len(v) > 3 else top_right
    return top_left, top_right, bottom_right, bottom_left


def mirrors_itself(radius: str) -> bool:
    """Whether `border-radius` rounds each top corner alike and each bottom corner alike."""
    for half in radius.split("/"):
        top_left, top_right, bottom_right, bottom_left = corners(half)
        if top_left != top_right or bottom_left != bottom_right:
            return False
    return True


def physical_side(declaration: Declaration) -> str | None:
    """Why a declaration looks different mirrored (None when it does not)."""
    name, value = declaration.name, STRING.sub('""', declaration.value).lower()
    if SIDE_IN_NAME.search(name) and not name.startswith("--"):
        return f"{name} names a side"
    if SIDE_IN_VALUE.search(value):
        return f"{name}: {declaration.value} names a side"
    if name in BOX_SHORTHANDS and len(v := values(value)) == 4 and v[1] != v[3]:
        return f"{name}: {declaration.value} gives right and left different values"
    if name == "border-radius" and not mirrors_itself(value):
        return f"border-radius: {declaration.value} rounds the left and right corners differently"
    return None


def problems(css: str, path: Path = STYLESHEET) -> list[str]:
    """Each unexcused physical side as `file:line: what`, and each excuse without a reason."""
    found: list[str] = []
    for d in declarations(css):
        why = physical_side(d)
        if why and d.excuse is None:
            found.append(
                f"{path.name}:{d.line}: {why}: name it by reading direction (margin-inline-start, "
                "inset-inline-end, text-align: start …) or excuse it with /* physical: why */"
            )
        elif d.excuse is not None and not d.excuse:
            found.append(f"{path.name}:{d.line}: {d.name}: the physical excuse gives no reason")
        elif d.excuse is not None and not why:
            found.append(f"{path.name}:{d.line}: {d.name}: stale excuse, nothing physical here")
    return found


# ---- the default theme ------------------------------------------------------------------


def test_default_stylesheet_names_sides_by_reading_direction() -> None:
    """No declaration of the default theme's style.css says left or right without a reason."""
    assert problems(STYLESHEET.read_text(encoding="utf-8")) == []


def test_default_stylesheet_excuses_few_physical_sides() -> None:
    """The excuses stay exceptions: the centred tooltip and the painted uptime days."""
    excused = [d for d in declarations(STYLESHEET.read_text(encoding="utf-8")) if d.excuse]
    assert [d.name for d in excused] == ["background", "left"]


# ---- the check itself -------------------------------------------------------------------


@pytest.mark.parametrize(
    "declaration",
    [
        "margin-left: 1rem",
        "padding-right: 0",
        "left: 0",
        "right: auto",
        "border-left: 4px solid red",
        "border-left-color: red",
        "border-top-left-radius: 3px",
        "text-align: left",
        "text-align: right !important",
        "float: right",
        "clear: left",
        "background: linear-gradient(to right, red, blue)",
        "background-position: right 1rem top",
        "padding: 0 0 0 1.25rem",
        "margin: .4rem 0 .4rem calc(1rem + 2px)",
        "border-radius: 4px 0 0 4px",
        "border-radius: 4px 0",
    ],
)
def test_check_finds_a_physical_side(declaration: str) -> None:
    """Each way of naming a side is reported, with the line to fix."""
    found = problems(f"a {{ color: red; }}\n.x {{ {declaration}; }}\n")
    assert len(found) == 1 and found[0].startswith("style.css:2: "), found


@pytest.mark.parametrize(
    "declaration",
    [
        "margin: 0 auto",
        "padding: .4rem 1rem .2rem",
        "padding: 1rem calc(1rem + 2px) 0 calc(1rem + 2px)",
        "border-radius: 8px 8px 0 0",
        "border-radius: 50%",
        "text-align: start",
        "inset-inline: 0 auto",
        "padding-inline-start: 1rem",
        "border-inline-start-color: red",
        'content: "left"',
        "--leftover: 1px",
        "transition: top .2s",
    ],
)
def test_check_accepts_logical_and_symmetric_declarations(declaration: str) -> None:
    """Logical properties and values that look the same mirrored are not reported."""
    assert (
        problems(f".x {{ {declaration}; }}\n@media (max-width: 30rem) {{ .y {{ {declaration} }} }}")
        == []
    )


def test_check_takes_an_excuse_with_a_reason_only() -> None:
    """A physical side excused with a reason passes; an empty or stale excuse is reported."""
    assert problems(".x { left: 50%; /* physical: centred */ top: 0; }") == []
    assert problems(".x { left: 50%;\n  /* physical: centred */\n  top: 0; }") == []
    assert problems(".x { left: 50%; /* physical: */ }") == [
        "style.css:1: left: the physical excuse gives no reason"
    ]
    assert problems(".x { top: 0; /* physical: why not */ }") == [
        "style.css:1: top: stale excuse, nothing physical here"
    ]
    # An excuse covers the declaration before it, not the next one.
    assert len(problems(".x { top: 0; /* physical: centred */ left: 50%; }")) == 2
