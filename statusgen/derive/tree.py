"""The component tree: which group each component sits in, and where, as pages and the API show it."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from statusgen.derive.status import ComponentState, group_status
from statusgen.model import Component, ComponentStatus


@dataclass(frozen=True, slots=True)
class ComponentNode:
    """A component's place: its group and its 1-based positions."""

    component: Component
    group: str | None
    position: int  # among its siblings: its group's members, else the top level
    group_position: int | None  # its group's place at the top level; None outside any group


@dataclass(frozen=True, slots=True)
class ComponentGroup:
    """A group as the home page lists it; `name` is None for the components outside any."""

    name: str | None
    status: ComponentStatus  # the worst of its members', as Statuspage groups show
    members: tuple[ComponentState, ...]  # in site order


def component_tree(components: Sequence[Component]) -> tuple[ComponentNode, ...]:
    """Every component in site order, placed as Statuspage places them.

    Groups and ungrouped components share the top level, numbered in site order, a group
    taking the place of its first member; members are numbered within their group.
    """
    top = 0
    group_places: dict[str, int] = {}
    member_counts: dict[str, int] = {}
    nodes = []
    for component in components:
        group = component.group
        if group is None:
            top += 1
            nodes.append(ComponentNode(component, None, top, None))
            continue
        if group not in group_places:
            top += 1
            group_places[group] = top
        member_counts[group] = member_counts.get(group, 0) + 1
        nodes.append(ComponentNode(component, group, member_counts[group], group_places[group]))
    return tuple(nodes)


def page_groups(states: Sequence[ComponentState]) -> tuple[ComponentGroup, ...]:
    """Groups in the order their first component appears in site.yml, each with its members;
    the components outside any group form one unnamed group, where the first of them appears."""
    members: dict[str | None, list[ComponentState]] = {}
    for state in states:
        members.setdefault(state.component.group, []).append(state)
    return tuple(
        ComponentGroup(name, group_status(found), tuple(found)) for name, found in members.items()
    )
