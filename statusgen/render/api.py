"""The Statuspage public API v2 (`/api/v2/*.json`) as static files.

Same paths, keys, key order, JSON types, nullability and enum values as a page hosted by
statuspage.io (see docs/api.md), so that existing clients, exporters and dashboards read a
statusgen site by changing only the base URL. The /api/v2/ files hold only keys Statuspage
itself sends, because strict clients reject unknown ones; what statusgen knows beyond them
goes to /api/statusgen/, keyed by the same ids.

Everything here but `render_api` is a pure function from Facts to plain dicts.

Identifiers. Clients treat every id as an opaque string, so statusgen uses the ids it already
publishes elsewhere instead of inventing new ones:

* a component's id is its `id` in site.yml (`db-postgresql`): the same id names its page
  (/components/<id>/), its badge and its entry in /api/uptime.json, so a dashboard can join
  them; it is stable across renames of the display name, which a hash of the name would not be;
* a group has no id in site.yml, so it gets `group-` + its name made into a slug
  (`Support & network` → `group-support-network`), with a short hash appended in the unlikely
  case that this clashes with a component id or another group;
* an incident's or a maintenance's id is its slug, which is also its URL;
* an update has no public name, so its id is a 12-character base-36 hash of its parent's slug
  and its file name, the format statuspage.io uses;
* the page id is a 12-character base-36 hash of the site URL, as the spec requires.
"""

from __future__ import annotations

import hashlib
from bisect import bisect_left
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, time
from functools import cache
from importlib import resources
from typing import Any
from zoneinfo import ZoneInfo

from statusgen.derive import Facts
from statusgen.derive.incidents import IncidentFacts
from statusgen.derive.maintenance import MaintenanceFacts
from statusgen.derive.transitions import Transition, by_component
from statusgen.derive.uptime import Interval, change_intervals, maintenance_intervals, merge
from statusgen.model import ComponentStatus, MaintenanceStatus, Site
from statusgen.render.files import FileSink
from statusgen.render.jsontext import json_text
from statusgen.text import slugify

# statuspage.io caps incidents.json and scheduled-maintenances.json at the 50 most recent.
LIST_LIMIT = 50
# Hand-written JSON Schemas (draft 2020-12), published under /api/schema/.
SCHEMA_FILES = (
    "statuspage-v2.json",
    "summary.json",
    "status.json",
    "components.json",
    "incidents.json",
    "incident.json",
    "scheduled-maintenances.json",
    "statusgen-incidents.json",
)
# Each API file and the schema it follows.
API_FILES = {
    "api/v2/summary.json": "summary.json",
    "api/v2/status.json": "status.json",
    "api/v2/components.json": "components.json",
    "api/v2/incidents.json": "incidents.json",
    "api/v2/incidents/unresolved.json": "incidents.json",
    "api/v2/scheduled-maintenances.json": "scheduled-maintenances.json",
    "api/v2/scheduled-maintenances/upcoming.json": "scheduled-maintenances.json",
    "api/v2/scheduled-maintenances/active.json": "scheduled-maintenances.json",
}
# statusgen's own fields, keyed by the ids of /api/v2/, and the schema each file follows.
EXTENSION_FILES = {
    "api/statusgen/incidents.json": "statusgen-incidents.json",
}
# Zone abbreviations for which Statuspage (Rails' xmlschema) writes `Z` instead of `+00:00`.
UTC_NAMES = frozenset({"UTC", "UCT"})
# The end of an interval that has not ended: later than any moment an update can have.
NEVER = datetime.max.replace(tzinfo=UTC)

_BASE36 = "0123456789abcdefghijklmnopqrstuvwxyz"

Json = dict[str, Any]


def base36_id(text: str) -> str:
    """A 12-character lowercase base-36 id, the shape of statuspage.io's ids, from any text."""
    number = int.from_bytes(hashlib.sha256(text.encode()).digest()[:8], "big") % 36**12
    digits = []
    for _ in range(12):
        number, digit = divmod(number, 36)
        digits.append(_BASE36[digit])
    return "".join(reversed(digits))


def page_id(site_url: str) -> str:
    return base36_id(site_url)


def api_time(moment: datetime, zone: ZoneInfo) -> str:
    """'2026-11-23T14:15:00.000+01:00': milliseconds and the site's offset, as Statuspage writes;
    '2022-11-25T14:39:09.548Z' on a UTC site, as GitHub's (Etc/UTC) responses read.

    Statuspage renders times in the page's zone and writes `Z` when that zone is UTC itself;
    a zone that is merely at offset zero (London in winter) keeps `+00:00`, as Rails does.
    """
    local = moment.astimezone(zone)
    text = local.isoformat(timespec="milliseconds")
    return text[:-6] + "Z" if local.tzname() in UTC_NAMES else text


# ---- what is known about each component, computed once per build ------------------------


@dataclass(frozen=True, slots=True)
class Node:
    """One entry of the flat `components` list: a component or a group pseudo-component."""

    id: str
    name: str
    qualified_name: str  # "Group - Component" in affected_components
    status: ComponentStatus
    created_at: datetime
    updated_at: datetime
    position: int  # 1-based within its parent
    description: str | None
    start_date: date | None
    group_id: str | None
    children: tuple[str, ...] | None  # None for a leaf; the key is absent on leaves


def group_ids(site: Site) -> dict[str, str]:
    """Group name → id: `group-<slug>`, never equal to a component id or another group's id."""
    taken = {component.id for component in site.components}
    ids: dict[str, str] = {}
    for component in site.components:
        name = component.group
        if name is None or name in ids:
            continue
        candidate = f"group-{slugify(name)}".rstrip("-")
        if candidate in taken:
            candidate = f"{candidate}-{base36_id('group:' + name)[:6]}"
        taken.add(candidate)
        ids[name] = candidate
    return ids


def api_maintenance_status(status: MaintenanceStatus) -> str:
    """The status Statuspage would show: API v2 has no "cancelled" maintenance, and a
    maintenance called off there ends as `completed` (the update's text says why)."""
    return (
        MaintenanceStatus.COMPLETED.value if status is MaintenanceStatus.CANCELLED else status.value
    )


def _content_times(facts: Facts) -> list[datetime]:
    zone = facts.content.site.timezone
    times = [
        datetime.combine(c.since, time(), zone) for c in facts.content.site.components if c.since
    ]
    times += [i.started_at for i in facts.incidents] + [i.created_at for i in facts.incidents]
    times += [m.announced_at for m in facts.maintenances]
    return times


def component_nodes(facts: Facts) -> list[Node]:
    """Every component and group, in the order the spec observes: by position, groups and
    leaves interleaved; equal positions keep page order (a group before its children)."""
    site = facts.content.site
    zone = site.timezone
    # A component without `since` existed at least as early as anything the content records.
    epoch = min(_content_times(facts), default=facts.now)
    groups = group_ids(site)
    states = {state.component.id: state for state in facts.components}
    statuses = {group.name: group.status for group in facts.groups}
    leaves: dict[str, Node] = {}
    members: dict[str, list[Node]] = {}
    for place in facts.tree:
        c = place.component
        created = datetime.combine(c.since, time(), zone) if c.since else epoch
        changed = states[c.id].changed_at
        leaves[c.id] = Node(
            id=c.id,
            name=c.name,
            qualified_name=f"{place.group} - {c.name}" if place.group else c.name,
            status=states[c.id].status,
            created_at=created,
            updated_at=created if changed is None else max(created, changed),
            position=place.position,
            description=c.description,
            start_date=c.since,
            group_id=groups[place.group] if place.group else None,
            children=None,
        )
        if place.group is not None:
            members.setdefault(place.group, []).append(leaves[c.id])
    ordered: list[Node] = []  # page order: a group, then its members
    for place in facts.tree:
        if place.group is None:
            ordered.append(leaves[place.component.id])
        elif place.position == 1 and place.group_position is not None:
            found = members[place.group]
            ordered.append(
                Node(
                    id=groups[place.group],
                    name=place.group,
                    qualified_name=place.group,
                    status=statuses[place.group],
                    created_at=min(m.created_at for m in found),
                    updated_at=max(m.updated_at for m in found),
                    position=place.group_position,
                    description=None,
                    start_date=None,
                    group_id=None,
                    children=tuple(m.id for m in found),
                )
            )
            ordered.extend(found)
    # sorted() is stable: equal positions keep page order.
    return sorted(ordered, key=lambda node: node.position)


# ---- each component's status across the site, over time ------------------------------------


@dataclass(frozen=True, slots=True)
class StatusHistory:
    """Each component's status as the page showed it over time: at every instant the worst
    that any open incident or running maintenance had set.

    `old_status` in affected_components reads it: on Statuspage a component has one status,
    and an update records what that status was before it, whichever incident or maintenance
    had set it, not only what the same incident had said.
    """

    # Per component: merged (worst wins), in time order, operational time left out.
    spans: Mapping[str, tuple[Interval, ...]]

    def before(self, component_id: str, moment: datetime) -> ComponentStatus:
        """The status just before `moment`: what an update made at `moment` changed from."""
        spans = self.spans.get(component_id, ())
        index = bisect_left(spans, moment, key=lambda span: span.start) - 1
        if index >= 0 and spans[index].end >= moment:
            return spans[index].status
        return ComponentStatus.OPERATIONAL


def incident_spans(incident: IncidentFacts) -> dict[str, list[Interval]]:
    """What one incident set each component to, from each update to the next change or the
    resolution. Not reaching back to `started_at`, unlike uptime: before the first update
    the page showed nothing of the incident, so that update still changed from what it showed."""
    end = incident.resolved_at or NEVER
    found: dict[str, list[Interval]] = {}
    for component_id, changes in by_component(incident.transitions).items():
        for index, change in enumerate(changes):
            following = changes[index + 1].at if index + 1 < len(changes) else end
            stop = min(following, end)
            if stop > change.at and change.new is not ComponentStatus.OPERATIONAL:
                found.setdefault(component_id, []).append(Interval(change.at, stop, change.new))
    return found


def status_history(facts: Facts) -> StatusHistory:
    """Every incident's, maintenance window's and direct change's statuses, merged per
    component (worst wins)."""
    collected: dict[str, list[Interval]] = {}
    sources = [incident_spans(incident) for incident in facts.incidents]
    sources += [maintenance_intervals(window, facts.now) for window in facts.maintenances]
    sources += [
        {cid: change_intervals(made, NEVER)} for cid, made in facts.component_changes.items()
    ]
    for spans in sources:
        for component_id, intervals in spans.items():
            collected.setdefault(component_id, []).extend(intervals)
    return StatusHistory({cid: tuple(merge(found)) for cid, found in collected.items()})


# ---- the objects ---------------------------------------------------------------------------


def page_object(facts: Facts) -> Json:
    site = facts.content.site
    return {
        "id": page_id(site.url),
        "name": site.name,
        "url": site.url,
        "time_zone": site.timezone.key,
        "updated_at": api_time(page_updated_at(facts), site.timezone),
    }


def page_updated_at(facts: Facts) -> datetime:
    """The latest change anywhere: an incident update or post-mortem, a maintenance update or
    window opening or closing, a component added (`since`). The build time only when the
    content has none of these, so that rebuilding unchanged content changes nothing."""
    zone = facts.content.site.timezone
    times = [i.updated_at for i in facts.incidents]
    times += [m.changed_at for m in facts.maintenances if m.changed_at is not None]
    times += [
        datetime.combine(c.since, time(), zone) for c in facts.content.site.components if c.since
    ]
    return max(times, default=facts.now)


def status_object(facts: Facts) -> Json:
    return {"indicator": facts.overall.indicator.value, "description": facts.overall.description}


def component_object(node: Node, facts: Facts) -> Json:
    zone = facts.content.site.timezone
    document: Json = {
        "id": node.id,
        "name": node.name,
        "status": node.status.value,
        "created_at": api_time(node.created_at, zone),
        "updated_at": api_time(node.updated_at, zone),
        "position": node.position,
        "description": node.description,
        # statusgen draws uptime bars for every component; statuspage.io calls that showcase.
        "showcase": node.children is None,
        "start_date": node.start_date.isoformat() if node.start_date else None,
        "group_id": node.group_id,
        "page_id": page_id(facts.content.site.url),
        "group": node.children is not None,
        "only_show_if_degraded": False,
    }
    if node.children is not None:
        document["components"] = list(node.children)
    return document


def _affected(
    changes: Sequence[Transition], nodes: dict[str, Node], history: StatusHistory
) -> list[Json] | None:
    """`old_status` is the component's status on the page just before the update (see
    StatusHistory); `new_status` is what the update set."""
    if not changes:
        return None
    return [
        {
            "code": t.component_id,
            "name": nodes[t.component_id].qualified_name,
            "old_status": history.before(t.component_id, t.at).value,
            "new_status": t.new.value,
        }
        for t in changes
    ]


def _update_object(
    update_id: str,
    parent_id: str,
    status: str,
    body: str,
    at: datetime,
    affected: list[Json] | None,
    zone: ZoneInfo,
) -> Json:
    moment = api_time(at, zone)
    return {
        "id": update_id,
        "status": status,
        "body": body.strip(),
        "incident_id": parent_id,
        "created_at": moment,
        "updated_at": moment,
        "display_at": moment,
        "affected_components": affected,
        # Published to the page, feeds and calendar: the subscribers' channels of a static site.
        "deliver_notifications": True,
        "custom_tweet": None,
        "tweet_id": None,
    }


def _components_of(ids: Iterable[str], nodes: dict[str, Node], facts: Facts) -> list[Json]:
    """An incident's components by position, as Statuspage lists them. Positions count within
    each group, so components of different groups tie; the one captured tie (Instructure's
    incident of 2021-12-07) lists the component lower on the page first, and so does this."""
    order = {c.id: index for index, c in enumerate(facts.content.site.components)}
    return [
        component_object(nodes[cid], facts)
        for cid in sorted(set(ids), key=lambda cid: (nodes[cid].position, -order[cid]))
    ]


def incident_extension(incident: IncidentFacts) -> Json:
    """statusgen's fields of an incident that Statuspage has no key for."""
    return {
        "kind": incident.incident.kind.value,
        "customer_actions": list(incident.incident.customer_actions),
    }


def incident_object(
    incident: IncidentFacts,
    nodes: dict[str, Node],
    facts: Facts,
    history: StatusHistory | None = None,
) -> Json:
    """One incident as Statuspage sends it. `history` is computed from `facts` when not given
    (a notification tells one event); a build passes one for all."""
    history = status_history(facts) if history is None else history
    site = facts.content.site
    zone = site.timezone
    slug = incident.incident.slug
    updates = [
        _update_object(
            base36_id(f"incident:{slug}/{update.id}"),
            slug,
            update.status.value,
            update.body,
            update.at,
            _affected(changes, nodes, history),
            zone,
        )
        for update, changes in zip(
            incident.incident.updates, incident.update_transitions, strict=True
        )
    ]
    return {
        "id": slug,
        "name": incident.incident.title,
        "status": incident.phase.value,
        "created_at": api_time(incident.created_at, zone),
        "updated_at": api_time(incident.updated_at, zone),
        "monitoring_at": api_time(incident.monitoring_at, zone) if incident.monitoring_at else None,
        "resolved_at": api_time(incident.resolved_at, zone) if incident.resolved_at else None,
        "impact": incident.incident.severity.value,
        "shortlink": f"{site.url}/incidents/{slug}/",
        "started_at": api_time(incident.started_at, zone),
        "page_id": page_id(site.url),
        "incident_updates": updates[::-1],
        "components": _components_of(incident.component_ids, nodes, facts),
    }


def maintenance_object(
    m: MaintenanceFacts,
    nodes: dict[str, Node],
    facts: Facts,
    history: StatusHistory | None = None,
) -> Json:
    """Statuspage's maintenance: the incident shape plus the window, impact `maintenance`.

    maintenance.md's text is the first update (status `scheduled`), as on statuspage.io, where
    a maintenance's description is the message it was announced with.
    """
    history = status_history(facts) if history is None else history
    site = facts.content.site
    zone = site.timezone
    slug = m.maintenance.slug
    created = m.announced_at
    updates = [
        _update_object(
            base36_id(f"maintenance:{slug}/"),
            slug,
            MaintenanceStatus.SCHEDULED.value,
            m.maintenance.body,
            created,
            None,
            zone,
        )
    ]
    updates += [
        _update_object(
            base36_id(f"maintenance:{slug}/{u.id}"),
            slug,
            api_maintenance_status(u.status),
            u.body,
            u.at,
            _affected(changes, nodes, history),
            zone,
        )
        for u, changes in zip(m.posted, m.update_transitions, strict=True)
    ]
    return {
        "id": slug,
        "name": m.maintenance.title,
        "status": api_maintenance_status(m.status),
        "created_at": api_time(created, zone),
        "updated_at": api_time(m.updated_at, zone),
        "monitoring_at": None,
        "resolved_at": api_time(m.ended_at, zone) if m.ended_at else None,
        "impact": "maintenance",
        "shortlink": f"{site.url}/maintenance/{slug}/",
        # statuspage.io sets started_at when the record is created, not when work begins.
        "started_at": api_time(created, zone),
        "page_id": page_id(site.url),
        "incident_updates": updates[::-1],
        "components": _components_of(m.maintenance.components, nodes, facts),
        "scheduled_for": api_time(m.maintenance.scheduled_for, zone),
        "scheduled_until": api_time(m.maintenance.scheduled_until, zone),
    }


# ---- the documents -------------------------------------------------------------------------


def api_documents(facts: Facts) -> dict[str, Json]:
    """Every API file as a dict, keyed by its path under the site root: /api/v2/ with
    Statuspage's keys only, then statusgen's extensions of the same objects."""
    node_list = component_nodes(facts)
    nodes = {node.id: node for node in node_list}
    history = status_history(facts)
    page = page_object(facts)
    status = status_object(facts)
    components = [component_object(node, facts) for node in node_list]

    # Objects only for what some file lists (the newest LIST_LIMIT, and whatever is open),
    # each built once: years of history cost no more than the last few weeks. Per-build
    # memos: functools.cache on local functions, so each cache dies with this call.
    @cache
    def incident(index: int) -> Json:
        return incident_object(facts.incidents[index], nodes, facts, history)

    @cache
    def maintenance(index: int) -> Json:
        return maintenance_object(facts.maintenances[index], nodes, facts, history)

    newest_incidents = [
        incident(n) for n in range(min(LIST_LIMIT, len(facts.incidents)))
    ]  # newest first
    newest_maintenances = [
        maintenance(n) for n in range(min(LIST_LIMIT, len(facts.maintenances)))
    ]  # newest window first
    open_incidents = [n for n, i in enumerate(facts.incidents) if i.ongoing]
    unresolved = [incident(n) for n in open_incidents]
    # Every incident some /api/v2/ file lists, newest first: the ones a client can join.
    listed = sorted(set(range(min(LIST_LIMIT, len(facts.incidents)))) | set(open_incidents))
    upcoming = [maintenance(n) for n, m in enumerate(facts.maintenances) if m.upcoming]
    active = [maintenance(n) for n, m in enumerate(facts.maintenances) if m.active]
    current = [maintenance(n) for n, m in enumerate(facts.maintenances) if m.upcoming or m.active]
    return {
        "api/v2/summary.json": {
            "page": page,
            "components": components,
            "incidents": unresolved,
            "scheduled_maintenances": current,
            "status": status,
        },
        "api/v2/status.json": {"page": page, "status": status},
        "api/v2/components.json": {"page": page, "components": components},
        "api/v2/incidents.json": {"page": page, "incidents": newest_incidents},
        "api/v2/incidents/unresolved.json": {"page": page, "incidents": unresolved},
        "api/v2/scheduled-maintenances.json": {
            "page": page,
            "scheduled_maintenances": newest_maintenances,
        },
        "api/v2/scheduled-maintenances/upcoming.json": {
            "page": page,
            "scheduled_maintenances": upcoming,
        },
        "api/v2/scheduled-maintenances/active.json": {
            "page": page,
            "scheduled_maintenances": active,
        },
        "api/statusgen/incidents.json": {
            "incidents": {
                facts.incidents[n].incident.slug: incident_extension(facts.incidents[n])
                for n in listed
            },
        },
    }


def api_json(document: Json) -> str:
    """A document as the API serves it (statusgen.render.jsontext)."""
    return json_text(document)


def schema_bytes(name: str) -> bytes:
    return resources.files("statusgen.render").joinpath("api_schemas", name).read_bytes()


def render_api(facts: Facts, files: FileSink) -> None:
    """Write /api/v2/*.json, statusgen's extensions under /api/statusgen/, and the JSON
    Schemas of both under /api/schema/."""
    for path, document in api_documents(facts).items():
        files.add(path, api_json(document))
    for name in SCHEMA_FILES:
        files.add(f"api/schema/{name}", schema_bytes(name))
