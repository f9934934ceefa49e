"""The Statuspage API v2 files: the real service's shape, checked against its captured responses.

The captures live in tests/fixtures/statuspage/ and tests/fixtures/statuspage-history/ (their
README names the sources); the spec is the public API v2 that every Statuspage-hosted page
documents at its own `/api` page. Where the two disagree the test says which won.

The published schemas are lenient to what statuspage.io has really sent (open objects, the older
shapes); statusgen's own output is held to a strict form of them (every key of today's
responses and no other), built here from the same files.
"""

from __future__ import annotations

import json
import re
from collections import defaultdict
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from jsonschema import Draft202012Validator
from referencing import Registry, Resource

from conftest import DEMO_NOW, EXAMPLE_CONTENT, MINIMAL_SITE, OPEN_INCIDENT, ScratchSite
from statusgen.build import BuildOptions, build, load_and_validate
from statusgen.derive import derive
from statusgen.render.api import (
    API_FILES,
    EXTENSION_FILES,
    SCHEMA_FILES,
    api_documents,
    api_json,
    api_time,
    page_id,
    schema_bytes,
)

FIXTURES = Path(__file__).resolve().parent / "fixtures" / "statuspage"
HISTORY = Path(__file__).resolve().parent / "fixtures" / "statuspage-history"
# Today's responses, each with the schema of its endpoint: the keys, key order and types to match.
CAPTURES = {
    "githubstatus-components-partial-outage.json": "components.json",
    "githubstatus-summary-unresolved-incident.json": "summary.json",
    "illposed-summary-scheduled-maintenance.json": "summary.json",
    "instructure-summary-groups-unresolved-incident.json": "summary.json",
}
# Every real response the tests hold, each with its schema: the above, GitHub's 123 incidents of
# 2022 one by one ({page, incident}), and Emma's incidents.json of 2019 (an older shape).
ALL_CAPTURES = {
    **{FIXTURES / name: schema for name, schema in CAPTURES.items()},
    **{path: "incident.json" for path in sorted((HISTORY / "githubstatus-2022").glob("*.json"))},
    HISTORY / "myemma-incidents-2019.json": "incidents.json",
}
PARIS = ZoneInfo("Europe/Paris")
TIMESTAMP = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}(Z|[+-]\d{2}:\d{2})$")
TIME_KEYS = {
    "created_at",
    "updated_at",
    "monitoring_at",
    "resolved_at",
    "started_at",
    "display_at",
    "scheduled_for",
    "scheduled_until",
}

# The spec's enums (statuses of components, incidents and maintenance; impacts; indicators).
COMPONENT_STATUSES = {
    "operational",
    "degraded_performance",
    "partial_outage",
    "major_outage",
    "under_maintenance",
}
INCIDENT_STATUSES = {"investigating", "identified", "monitoring", "resolved", "postmortem"}
MAINTENANCE_STATUSES = {"scheduled", "in_progress", "verifying", "completed"}
ENUMS = {
    ("status", "indicator"): {"none", "minor", "major", "critical", "maintenance"},
    ("component", "status"): COMPONENT_STATUSES,
    ("group", "status"): COMPONENT_STATUSES,
    ("incident", "status"): INCIDENT_STATUSES,
    ("incident", "impact"): {"none", "minor", "major", "critical"},
    ("incident_update", "status"): INCIDENT_STATUSES,
    ("maintenance", "status"): MAINTENANCE_STATUSES,
    ("maintenance", "impact"): {"maintenance"},
    ("maintenance_update", "status"): MAINTENANCE_STATUSES,
    ("affected_component", "old_status"): COMPONENT_STATUSES,
    ("affected_component", "new_status"): COMPONENT_STATUSES,
}
# Keys the spec makes nullable, and those the captures only ever show as null although the spec
# says they hold a string once set (an incident monitored or resolved, a tweet sent).
NULLABLE = {
    "description",
    "start_date",
    "group_id",
    "monitoring_at",
    "resolved_at",
    "affected_components",
    "custom_tweet",
    "tweet_id",
}
STRING_WHEN_SET = {"monitoring_at", "resolved_at", "custom_tweet", "tweet_id"}

# Every key Statuspage sends, per object, in its order: the keys of the captured responses
# (test_the_statuspage_keys_are_those_of_the_real_responses proves the list is theirs) and of
# the spec's tables. The postmortem_* and scheduled_remind_* fields that some copies of the docs
# list appear in no response, so they are not here. A /api/v2/ file holds these keys and no other.
_COMPONENT_KEYS = (
    "id",
    "name",
    "status",
    "created_at",
    "updated_at",
    "position",
    "description",
    "showcase",
    "start_date",
    "group_id",
    "page_id",
    "group",
    "only_show_if_degraded",
)
_INCIDENT_KEYS = (
    "id",
    "name",
    "status",
    "created_at",
    "updated_at",
    "monitoring_at",
    "resolved_at",
    "impact",
    "shortlink",
    "started_at",
    "page_id",
    "incident_updates",
    "components",
)
_UPDATE_KEYS = (
    "id",
    "status",
    "body",
    "incident_id",
    "created_at",
    "updated_at",
    "display_at",
    "affected_components",
    "deliver_notifications",
    "custom_tweet",
    "tweet_id",
)
STATUSPAGE_KEYS = {
    "document": ("page", "components", "incidents", "incident", "scheduled_maintenances", "status"),
    "page": ("id", "name", "url", "time_zone", "updated_at"),
    "status": ("indicator", "description"),
    "component": _COMPONENT_KEYS,
    "group": (*_COMPONENT_KEYS, "components"),
    "incident": _INCIDENT_KEYS,
    "incident_update": _UPDATE_KEYS,
    "maintenance": (*_INCIDENT_KEYS, "scheduled_for", "scheduled_until"),
    "maintenance_update": _UPDATE_KEYS,
    "affected_component": ("code", "name", "old_status", "new_status"),
}
# The shared definitions of statuspage-v2.json and the kind of object each describes.
DEFINITIONS = {
    "page": "page",
    "status": "status",
    "component": "component",
    "incident": "incident",
    "incident_update": "update",
    "maintenance": "maintenance",
    "affected_component": "affected_component",
}


# ---- fixtures and helpers -------------------------------------------------------------------


@pytest.fixture(scope="module")
def example_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("api") / "public"
    build(BuildOptions(EXAMPLE_CONTENT, out, DEMO_NOW))
    return out


@pytest.fixture(scope="module")
def example_api(example_site: Path) -> dict[str, Any]:
    return {
        path: json.loads((example_site / path).read_text(encoding="utf-8")) for path in API_FILES
    }


def published_schemas() -> dict[str, Any]:
    return {name: json.loads(schema_bytes(name)) for name in SCHEMA_FILES}


def strict_schemas() -> dict[str, Any]:
    """The published schemas as statusgen's output must meet them: every object holds every key
    of today's Statuspage responses and no other, every document only its endpoint's keys, and
    the fields the docs type as strings (tweet_id) are strings or null."""
    schemas = published_schemas()
    definitions = schemas["statuspage-v2.json"]["$defs"]
    for kind, name in DEFINITIONS.items():
        # A group is a component with one more key; the definition's if/then/else requires it.
        allowed = STATUSPAGE_KEYS["group" if kind == "component" else kind]
        definitions[name]["required"] = list(STATUSPAGE_KEYS[kind])
        definitions[name]["propertyNames"] = {"enum": list(allowed)}
    definitions["update"]["properties"]["tweet_id"] = {"type": ["string", "null"]}
    for name, schema in schemas.items():
        if name != "statuspage-v2.json" and "properties" in schema:
            schema["additionalProperties"] = False
    return schemas


def validator(schema_name: str, *, strict: bool = False) -> Draft202012Validator:
    """The published schema, or its strict form (what statusgen writes must pass both)."""
    schemas = strict_schemas() if strict else published_schemas()
    registry: Registry = Registry().with_resources(
        (f"/api/schema/{name}", Resource.from_contents(schema)) for name, schema in schemas.items()
    )
    return Draft202012Validator(schemas[schema_name], registry=registry)


def errors_of(check: Draft202012Validator, document: Any) -> list[str]:
    return [f"{list(e.absolute_path)}: {e.message}" for e in check.iter_errors(document)]


def captures() -> dict[str, Any]:
    return {name: json.loads((FIXTURES / name).read_text(encoding="utf-8")) for name in CAPTURES}


def all_captures() -> list[Any]:
    return [json.loads(path.read_text(encoding="utf-8")) for path in ALL_CAPTURES]


def api_for(
    scratch_site: ScratchSite, files: dict[str, str], now: datetime = DEMO_NOW
) -> dict[str, Any]:
    """The API documents of a scratch site, as plain JSON (what a client parses)."""
    content, _ = load_and_validate(scratch_site({**files}))
    return {
        path: json.loads(api_json(doc)) for path, doc in api_documents(derive(content, now)).items()
    }


def objects_by_kind(documents: list[Any]) -> dict[str, list[dict[str, Any]]]:
    """Every object in some responses, sorted by what it is: page, component, group, incident…"""
    found: dict[str, list[dict[str, Any]]] = defaultdict(list)

    def add_component(component: dict[str, Any]) -> None:
        found["group" if component["group"] else "component"].append(component)

    for document in documents:
        found["document"].append(document)
        found["page"].append(document["page"])
        if "status" in document:
            found["status"].append(document["status"])
        for component in document.get("components", []):
            add_component(component)
        lists = {
            "incident": document.get("incidents", [])
            + ([document["incident"]] if "incident" in document else []),
            "maintenance": document.get("scheduled_maintenances", []),
        }
        for kind, items in lists.items():
            for item in items:
                found[kind].append(item)
                for component in item.get("components", []):
                    add_component(component)
                for update in item["incident_updates"]:
                    found[f"{kind}_update"].append(update)
                    found["affected_component"].extend(update["affected_components"] or [])
    return found


def objects_in(value: Any) -> int:
    """How many JSON objects a document holds, at any depth."""
    if isinstance(value, dict):
        return 1 + sum(objects_in(v) for v in value.values())
    if isinstance(value, list):
        return sum(objects_in(v) for v in value)
    return 0


def json_type(value: Any) -> str:
    for python, name in (
        (bool, "boolean"),
        (int, "integer"),
        (float, "number"),
        (str, "string"),
        (list, "array"),
        (dict, "object"),
    ):
        if isinstance(value, python):
            return name
    assert value is None
    return "null"


def walk(value: Any, key: str = "") -> Iterator[tuple[str, Any]]:
    if isinstance(value, dict):
        for k, v in value.items():
            yield k, v
            yield from walk(v, k)
    elif isinstance(value, list):
        for item in value:
            yield from walk(item, key)


KINDS = [
    "page",
    "status",
    "component",
    "group",
    "incident",
    "incident_update",
    "maintenance",
    "maintenance_update",
    "affected_component",
]


# ---- (a) schemas ----------------------------------------------------------------------------


@pytest.mark.parametrize("path", sorted(API_FILES))
def test_every_api_file_of_the_example_site_validates_against_its_schema(
    example_api: dict[str, Any], path: str
) -> None:
    """Each /api/v2 file follows the schema it is published with, and its strict form."""
    assert errors_of(validator(API_FILES[path]), example_api[path]) == []
    assert errors_of(validator(API_FILES[path], strict=True), example_api[path]) == []


def test_schemas_are_valid_draft_2020_12_and_published_under_api_schema(example_site: Path) -> None:
    """/api/schema/ serves exactly the package's schemas, each a valid 2020-12 schema."""
    for name in SCHEMA_FILES:
        schema = json.loads(schema_bytes(name))
        Draft202012Validator.check_schema(schema)
        assert schema["$id"] == f"/api/schema/{name}"
        assert (example_site / "api" / "schema" / name).read_bytes() == schema_bytes(name)


def test_schemas_reject_what_statuspage_clients_would_choke_on(example_api: dict[str, Any]) -> None:
    """Seconds without milliseconds, a leaf listing children and a wrong enum fail the published
    schemas; an unknown or a missing key fails their strict form only, as real pages differ."""
    summary = json.loads(json.dumps(example_api["api/v2/summary.json"]))
    summary["page"]["updated_at"] = "2026-11-23T14:15:00+01:00"
    leaf = next(c for c in summary["components"] if not c["group"])
    leaf["components"] = ["x"]
    summary["incidents"][0]["incident_updates"][0]["status"] = "scheduled"
    messages = " | ".join(e.message for e in validator("summary.json").iter_errors(summary))
    assert "does not match" in messages
    assert "should not be valid" in messages
    assert "'scheduled' is not one of" in messages

    extended = json.loads(json.dumps(example_api["api/v2/summary.json"]))
    extended["page"]["extra"] = 1
    extended["incidents"][0]["x_statusgen"] = {}
    del extended["incidents"][0]["started_at"]
    assert errors_of(validator("summary.json"), extended) == []
    messages = " | ".join(
        e.message for e in validator("summary.json", strict=True).iter_errors(extended)
    )
    assert "'extra' is not one of" in messages
    assert "'x_statusgen' is not one of" in messages
    assert "'started_at' is a required property" in messages


@pytest.mark.parametrize(
    "capture", sorted(ALL_CAPTURES), ids=lambda path: f"{path.parent.name}/{path.name}"
)
def test_real_captured_responses_validate_against_our_schemas(capture: Path) -> None:
    """The published schemas are not stricter than statuspage.io: every real response passes,
    the 2019 shape too (no components or started_at on incidents, an affected component that
    is only a name), and GitHub's integer tweet_id."""
    document = json.loads(capture.read_text(encoding="utf-8"))
    assert errors_of(validator(ALL_CAPTURES[capture]), document) == []


def test_the_captures_cover_the_older_shapes_the_schemas_accept() -> None:
    """The leniency above is tested against real data, not assumed: the captures hold each case."""
    found = objects_by_kind(all_captures())
    assert any("components" not in i and "started_at" not in i for i in found["incident"])
    assert {"name": "No components were affected by this update."} in found["affected_component"]
    assert any(isinstance(u["tweet_id"], int) for u in found["incident_update"])


def test_the_statuspage_keys_are_those_of_the_real_responses() -> None:
    """The allowed keys written out above are exactly the keys the captures use, kind by kind,
    and today's captures use them in the order written."""
    found = objects_by_kind(all_captures())
    for kind, keys in STATUSPAGE_KEYS.items():
        seen = {key for obj in found[kind] for key in obj}
        assert seen == set(keys), kind
    for kind, objects in objects_by_kind(list(captures().values())).items():
        if kind != "document":
            assert {tuple(obj) for obj in objects} == {STATUSPAGE_KEYS[kind]}, kind


@pytest.mark.parametrize("path", sorted(API_FILES))
def test_api_v2_files_hold_only_keys_statuspage_sends(
    example_api: dict[str, Any], path: str
) -> None:
    """Strict clients reject unknown keys: every object of every /api/v2/ file, at any depth,
    holds only keys Statuspage sends for that kind of object."""
    document = example_api[path]
    found = objects_by_kind([document])
    assert sum(len(objects) for objects in found.values()) == objects_in(document), (
        "an object of a kind this test does not know"
    )
    for kind, objects in found.items():
        for obj in objects:
            unknown = set(obj) - set(STATUSPAGE_KEYS[kind])
            assert not unknown, f"{path}: {kind} has {sorted(unknown)}"


# ---- (b) key for key against the real service -----------------------------------------------


@pytest.mark.parametrize("kind", KINDS)
def test_objects_have_the_real_services_keys_in_its_order(
    example_api: dict[str, Any], kind: str
) -> None:
    """Same keys, same order as every captured object of the same kind.

    The captures and the spec's tables list the same keys; the postmortem_* and scheduled_remind_*
    fields of some doc copies appear in no capture, so statusgen leaves them out.
    """
    real = {tuple(obj) for obj in objects_by_kind(list(captures().values()))[kind]}
    assert len(real) == 1, f"captures disagree on {kind} keys: {real}"
    (expected,) = real
    ours = objects_by_kind(list(example_api.values()))[kind]
    assert ours, f"the example site has no {kind}"
    for obj in ours:
        assert tuple(obj) == expected


@pytest.mark.parametrize("kind", KINDS)
def test_values_have_the_real_services_json_types(example_api: dict[str, Any], kind: str) -> None:
    """Every value has a JSON type the real service uses for that key; null only where the spec allows."""
    real: dict[str, set[str]] = defaultdict(set)
    for obj in objects_by_kind(list(captures().values()))[kind]:
        for key, value in obj.items():
            real[key].add(json_type(value))
    for obj in objects_by_kind(list(example_api.values()))[kind]:
        for key, value in obj.items():
            allowed = (
                real[key]
                | ({"null"} if key in NULLABLE else set())
                | ({"string"} if key in STRING_WHEN_SET else set())
            )
            assert json_type(value) in allowed, (
                f"{kind}.{key} = {value!r}; the real service uses {real[key]}"
            )
            if value is None:
                assert key in NULLABLE, f"{kind}.{key} is null"


@pytest.mark.parametrize(("kind", "key"), sorted(ENUMS))
def test_enum_values_are_the_real_services(
    example_api: dict[str, Any], kind: str, key: str
) -> None:
    """Statuses, impacts and indicators come from the spec's vocabularies, as the captures' do."""
    for documents in (list(captures().values()), list(example_api.values())):
        values = {obj[key] for obj in objects_by_kind(documents)[kind]}
        assert values <= ENUMS[(kind, key)], values


def test_top_level_keys_match_the_captured_endpoints(example_api: dict[str, Any]) -> None:
    """summary.json and components.json have the captured responses' top-level keys, in order."""
    real = captures()
    for name, capture in real.items():
        ours = example_api[f"api/v2/{CAPTURES[name]}"]
        assert list(ours) == list(capture)
    assert list(example_api["api/v2/status.json"]) == ["page", "status"]
    assert list(example_api["api/v2/incidents.json"]) == ["page", "incidents"]
    for path in (
        "scheduled-maintenances.json",
        "scheduled-maintenances/upcoming.json",
        "scheduled-maintenances/active.json",
    ):
        assert list(example_api[f"api/v2/{path}"]) == ["page", "scheduled_maintenances"]


def test_the_page_object_is_the_same_in_every_file(example_api: dict[str, Any]) -> None:
    """Every response opens with one page: 12-character base-36 id, name, URL, IANA zone, last change."""
    pages = {json.dumps(doc["page"]) for doc in example_api.values()}
    assert len(pages) == 1
    page = example_api["api/v2/status.json"]["page"]
    assert page == {
        "id": page_id("https://status.nimbus.example"),
        "name": "Nimbus Cloud",
        "url": "https://status.nimbus.example",
        "time_zone": "Europe/Paris",
        "updated_at": "2026-11-23T14:15:00.000+01:00",  # the open incident's latest update
    }
    assert re.fullmatch(r"[a-z0-9]{12}", page["id"])


# ---- (c) where clients break ----------------------------------------------------------------


def test_a_group_is_a_pseudo_component_listing_its_children(example_api: dict[str, Any]) -> None:
    """A site.yml group becomes group: true with its children's ids; children point back with group_id."""
    components = {c["id"]: c for c in example_api["api/v2/components.json"]["components"]}
    platform = components["group-platform"]
    assert (
        platform["group"] is True
        and platform["group_id"] is None
        and platform["name"] == "Platform"
    )
    assert platform["components"] == ["apps", "api", "dashboard", "deployments"]
    assert [components[cid]["position"] for cid in platform["components"]] == [1, 2, 3, 4]
    for cid in platform["components"]:
        assert components[cid]["group_id"] == "group-platform" and components[cid]["group"] is False
        assert "components" not in components[cid]
    # The open incident puts the Public API in partial outage: its group shows the worst child.
    assert components["api"]["status"] == "partial_outage"
    assert platform["status"] == "partial_outage"
    assert components["group-databases"]["status"] == "operational"


def test_components_are_sorted_by_position_groups_and_leaves_interleaved(
    example_api: dict[str, Any],
) -> None:
    """Positions are 1-based within the parent; the flat list sorts by position, page order breaking ties."""
    ids = [c["id"] for c in example_api["api/v2/components.json"]["components"]]
    assert ids == [
        "group-platform",
        "apps",
        "db-postgresql",
        "support",
        "api",
        "group-databases",
        "db-mysql",
        "dns",
        "dashboard",
        "db-redis",
        "group-support-network",
        "cdn",
        "deployments",
        "db-mongodb",
    ]
    top = [c for c in example_api["api/v2/components.json"]["components"] if c["group_id"] is None]
    assert [c["position"] for c in top] == [1, 2, 3]


def test_component_ids_are_site_yml_ids_and_group_ids_never_clash(
    scratch_site: ScratchSite,
) -> None:
    """A group whose slug is taken by a component id gets a suffix, so ids stay unique."""
    site = MINIMAL_SITE + "  - id: group-platform\n    name: Odd name\n"
    components = api_for(scratch_site, {"site.yml": site})["api/v2/components.json"]["components"]
    ids = [c["id"] for c in components]
    assert len(set(ids)) == len(ids)
    group = next(c for c in components if c["group"])
    assert re.fullmatch(r"group-platform-[a-z0-9]{6}", group["id"])
    assert {"api", "dashboard", "group-platform"} <= set(ids)


def test_affected_components_is_null_when_an_update_changes_no_component(
    example_api: dict[str, Any],
) -> None:
    """The 'identified' update names no component: null, never an empty list."""
    (incident,) = example_api["api/v2/incidents/unresolved.json"]["incidents"]
    identified, investigating = incident["incident_updates"]
    assert identified["status"] == "identified" and identified["affected_components"] is None
    assert investigating["affected_components"] == [
        {
            "code": "api",
            "name": "Platform - Public API",
            "old_status": "operational",
            "new_status": "partial_outage",
        }
    ]


def test_affected_components_name_is_plain_for_a_component_outside_any_group(
    scratch_site: ScratchSite,
) -> None:
    """'Group - Component' only for grouped components, as statuspage.io writes it."""
    site = MINIMAL_SITE + "  - id: billing\n    name: Billing\n"
    incident = {
        "incidents/2026-11-21-billing/incident.md": "---\ntitle: Billing slow\nseverity: minor\n---\n",
        "incidents/2026-11-21-billing/01.md": "---\nat: 2026-11-21T10:00:00Z\nstatus: investigating\ncomponents:\n  billing: degraded_performance\n  api: degraded_performance\n---\nSlow.\n",
    }
    api = api_for(scratch_site, {"site.yml": site, **incident})
    (update,) = api["api/v2/incidents.json"]["incidents"][0]["incident_updates"]
    assert [a["name"] for a in update["affected_components"]] == [
        "Billing",
        "Platform - Public API",
    ]


def test_a_resolving_update_lists_the_components_it_returns_to_operational(
    scratch_site: ScratchSite,
) -> None:
    """'resolved' without components still changes them: old = the incident's last status, new = operational."""
    resolve = {
        "incidents/2026-11-20-api-errors/02.md": "---\nat: 2026-11-20T15:00:00+01:00\nstatus: resolved\n---\nFixed.\n"
    }
    api = api_for(scratch_site, {**OPEN_INCIDENT, **resolve})
    (incident,) = api["api/v2/incidents.json"]["incidents"]
    resolved, _ = incident["incident_updates"]
    assert resolved["affected_components"] == [
        {
            "code": "api",
            "name": "Platform - Public API",
            "old_status": "partial_outage",
            "new_status": "operational",
        }
    ]
    assert incident["status"] == "resolved"
    assert incident["resolved_at"] == "2026-11-20T15:00:00.000+01:00"
    assert api["api/v2/incidents/unresolved.json"]["incidents"] == []
    assert api["api/v2/summary.json"]["incidents"] == []


def _incident_setting(statuses: dict[str, str]) -> dict[str, str]:
    lines = "".join(f"  {cid}: {status}\n" for cid, status in statuses.items())
    return {
        "incidents/2026-11-22-x/incident.md": "---\ntitle: X\nseverity: major\n---\n",
        "incidents/2026-11-22-x/01.md": f"---\nat: 2026-11-22T10:00:00Z\nstatus: investigating\ncomponents:\n{lines}---\nX.\n",
    }


IN_PROGRESS_MAINTENANCE = {
    "maintenance/2026-11-23-db/maintenance.md": """\
        ---
        title: Database upgrade
        scheduled_for: 2026-11-23T14:00:00+01:00
        scheduled_until: 2026-11-23T16:00:00+01:00
        components: [dashboard]
        ---
        Upgrading.
        """,
}


@pytest.mark.parametrize(
    ("files", "indicator", "description"),
    [
        ({}, "none", "All Systems Operational"),
        (_incident_setting({"api": "degraded_performance"}), "minor", "Partially Degraded Service"),
        (_incident_setting({"api": "partial_outage"}), "minor", "Minor Service Outage"),
        (_incident_setting({"api": "major_outage"}), "major", "Partial System Outage"),
        (
            _incident_setting({"api": "major_outage", "dashboard": "major_outage"}),
            "critical",
            "Major System Outage",
        ),
        (IN_PROGRESS_MAINTENANCE, "maintenance", "Service Under Maintenance"),
    ],
)
def test_the_status_indicator_follows_component_states(
    scratch_site: ScratchSite, files: dict[str, str], indicator: str, description: str
) -> None:
    """The rollup follows the captures: a lone partial outage is minor, not the incident's impact."""
    api = api_for(scratch_site, files)
    assert api["api/v2/status.json"]["status"] == {
        "indicator": indicator,
        "description": description,
    }
    assert api["api/v2/summary.json"]["status"] == api["api/v2/status.json"]["status"]


def test_every_timestamp_has_milliseconds_and_the_site_offset_of_its_moment(
    example_api: dict[str, Any],
) -> None:
    """Paris times read +02:00 in summer and +01:00 in winter; start_date alone is a bare date."""
    offsets = set()
    for document in example_api.values():
        for key, value in walk(document):
            if key in TIME_KEYS and value is not None:
                assert TIMESTAMP.match(value), f"{key}: {value}"
                moment = datetime.fromisoformat(value)
                assert moment.utcoffset() == moment.astimezone(PARIS).utcoffset(), f"{key}: {value}"
                offsets.add(value[-6:])
            if key == "start_date" and value is not None:
                assert re.fullmatch(r"\d{4}-\d{2}-\d{2}", value)
    assert offsets == {"+01:00", "+02:00"}
    assert (
        api_time(datetime(2026, 7, 1, 10, 0, 0, 123456, tzinfo=UTC), PARIS)
        == "2026-07-01T12:00:00.123+02:00"
    )


def test_a_utc_site_writes_z_as_statuspage_does_and_a_zone_at_offset_zero_keeps_it(
    scratch_site: ScratchSite,
) -> None:
    """GitHub's page (Etc/UTC) writes 2022-11-25T14:39:09.548Z; a page in another zone writes
    its offset, +00:00 too when the zone is only at offset zero (London in winter)."""
    github = captures()["githubstatus-summary-unresolved-incident.json"]
    assert github["page"]["time_zone"] == "Etc/UTC" and github["page"]["updated_at"].endswith("Z")
    utc_site = MINIMAL_SITE.replace("Europe/Paris", "Etc/UTC")
    api = api_for(scratch_site, {"site.yml": utc_site, **OPEN_INCIDENT})
    times = [
        value
        for document in api.values()
        for key, value in walk(document)
        if key in TIME_KEYS and value is not None
    ]
    assert times and all(TIMESTAMP.match(t) and t.endswith("Z") for t in times), times
    (incident,) = api["api/v2/incidents.json"]["incidents"]
    assert incident["created_at"] == "2026-11-20T13:02:00.000Z"
    winter = datetime(2026, 1, 5, 9, 30, 0, 250000, tzinfo=UTC)
    assert api_time(winter, ZoneInfo("UTC")) == "2026-01-05T09:30:00.250Z"
    assert api_time(winter, ZoneInfo("Europe/London")) == "2026-01-05T09:30:00.250+00:00"
    assert api_time(winter + timedelta(days=180), ZoneInfo("Europe/London")).endswith("+01:00")


def test_old_status_is_the_components_status_on_the_page_before_the_update(
    scratch_site: ScratchSite,
) -> None:
    """As on Statuspage, old_status is what the component showed, whichever incident or
    maintenance had set it: not only what the same incident had said before."""
    first = {
        "incidents/2026-11-21-outage/incident.md": "---\ntitle: Outage\nseverity: critical\n---\n",
        "incidents/2026-11-21-outage/01.md": "---\nat: 2026-11-21T10:00:00Z\nstatus: investigating\ncomponents:\n  api: major_outage\n---\nDown.\n",
        "incidents/2026-11-21-outage/02.md": "---\nat: 2026-11-21T11:30:00Z\nstatus: resolved\n---\nBack.\n",
    }
    second = {
        "incidents/2026-11-21-slow/incident.md": "---\ntitle: Slow\nseverity: minor\n---\n",
        "incidents/2026-11-21-slow/01.md": "---\nat: 2026-11-21T11:00:00Z\nstatus: investigating\ncomponents:\n  api: degraded_performance\n---\nSlow.\n",
        "incidents/2026-11-21-slow/02.md": "---\nat: 2026-11-21T12:00:00Z\nstatus: resolved\n---\nFast.\n",
    }
    during_maintenance = {
        "incidents/2026-11-23-dashboard/incident.md": "---\ntitle: Dashboard down\nseverity: major\n---\n",
        "incidents/2026-11-23-dashboard/01.md": "---\nat: 2026-11-23T14:10:00+01:00\nstatus: investigating\ncomponents:\n  dashboard: major_outage\n---\nDown.\n",
    }
    api = api_for(
        scratch_site, {**first, **second, **during_maintenance, **IN_PROGRESS_MAINTENANCE}
    )
    incidents = {i["id"]: i for i in api["api/v2/incidents.json"]["incidents"]}

    def changes(slug: str) -> list[tuple[str, str, str]]:
        updates = incidents[slug]["incident_updates"][::-1]  # oldest first
        return [
            (a["code"], a["old_status"], a["new_status"])
            for u in updates
            for a in u["affected_components"] or []
        ]

    assert changes("2026-11-21-outage") == [
        ("api", "operational", "major_outage"),
        ("api", "major_outage", "operational"),  # the slow incident's degradation is milder
    ]
    assert changes("2026-11-21-slow") == [
        ("api", "major_outage", "degraded_performance"),  # the outage was still open
        ("api", "degraded_performance", "operational"),
    ]
    # The dashboard was under maintenance (14:00-16:00) when this incident began.
    assert changes("2026-11-23-dashboard") == [("dashboard", "under_maintenance", "major_outage")]


def test_an_incidents_components_are_in_position_order_ties_lower_on_the_page_first(
    scratch_site: ScratchSite,
) -> None:
    """Positions count within each group; Instructure's captured incident lists the tied
    components of different groups from the last group up, and so does statusgen."""
    instructure = captures()["instructure-summary-groups-unresolved-incident.json"]
    groups = {c["id"]: c["position"] for c in instructure["components"] if c["group"]}
    (incident,) = instructure["incidents"]
    assert [(c["position"], groups[c["group_id"]]) for c in incident["components"]] == [
        (1, 3),
        (1, 2),
        (1, 1),
        (2, 3),
        (2, 2),
        (3, 3),
        (3, 2),
        (4, 3),
    ]
    site = MINIMAL_SITE + (
        "  - id: pg\n    name: PostgreSQL\n    group: Databases\n"
        "  - id: mysql\n    name: MySQL\n    group: Databases\n"
        "  - id: dns\n    name: DNS\n"
    )
    named = "".join(
        f"  {cid}: degraded_performance\n" for cid in ("dns", "mysql", "api", "pg", "dashboard")
    )
    files = {
        "site.yml": site,
        "incidents/2026-11-22-x/incident.md": "---\ntitle: X\nseverity: minor\n---\n",
        "incidents/2026-11-22-x/01.md": f"---\nat: 2026-11-22T10:00:00Z\nstatus: investigating\ncomponents:\n{named}---\nX.\n",
    }
    (incident,) = api_for(scratch_site, files)["api/v2/incidents.json"]["incidents"]
    assert [(c["id"], c["position"]) for c in incident["components"]] == [
        ("pg", 1),
        ("api", 1),
        ("mysql", 2),
        ("dashboard", 2),
        ("dns", 3),
    ]


def test_incidents_and_maintenances_lists_keep_the_50_most_recent(
    scratch_site: ScratchSite,
) -> None:
    """60 incidents and 55 maintenances: the two lists give the 50 newest, newest first."""
    start = datetime(2026, 9, 1, 8, 0, tzinfo=UTC)
    files: dict[str, str] = {}
    for n in range(60):
        at = start + timedelta(days=n)
        slug = f"{at:%Y-%m-%d}-incident-{n:02d}"
        files[f"incidents/{slug}/incident.md"] = f"---\ntitle: Incident {n}\nseverity: minor\n---\n"
        files[f"incidents/{slug}/01.md"] = (
            f"---\nat: {at.isoformat()}\nstatus: investigating\ncomponents:\n  api: degraded_performance\n---\nSlow.\n"
        )
        files[f"incidents/{slug}/02.md"] = (
            f"---\nat: {(at + timedelta(minutes=30)).isoformat()}\nstatus: resolved\n---\nFixed.\n"
        )
    for n in range(55):
        at = start + timedelta(days=n, hours=12)
        slug = f"{at:%Y-%m-%d}-maintenance-{n:02d}"
        files[f"maintenance/{slug}/maintenance.md"] = (
            f"---\ntitle: Maintenance {n}\nscheduled_for: {at.isoformat()}\n"
            f"scheduled_until: {(at + timedelta(hours=1)).isoformat()}\ncomponents: [dashboard]\n---\nWork.\n"
        )
    api = api_for(scratch_site, files, now=start + timedelta(days=70))
    incidents = api["api/v2/incidents.json"]["incidents"]
    assert [i["name"] for i in incidents] == [f"Incident {n}" for n in range(59, 9, -1)]
    maintenances = api["api/v2/scheduled-maintenances.json"]["scheduled_maintenances"]
    assert [m["name"] for m in maintenances] == [f"Maintenance {n}" for n in range(54, 4, -1)]
    assert all(m["status"] == "completed" for m in maintenances)


def test_incidents_and_their_updates_are_listed_newest_first(example_api: dict[str, Any]) -> None:
    """Clients show the first incident and the first update as the latest."""
    incidents = example_api["api/v2/incidents.json"]["incidents"]
    starts = [datetime.fromisoformat(i["started_at"]) for i in incidents]
    assert starts == sorted(starts, reverse=True) and len(incidents) == 15
    for item in (
        incidents + example_api["api/v2/scheduled-maintenances.json"]["scheduled_maintenances"]
    ):
        shown = [datetime.fromisoformat(u["display_at"]) for u in item["incident_updates"]]
        assert shown == sorted(shown, reverse=True), item["id"]


def test_summary_has_only_unresolved_incidents_and_upcoming_or_active_maintenance(
    example_api: dict[str, Any],
) -> None:
    """The completed MySQL upgrade and resolved incidents stay out of summary.json."""
    summary = example_api["api/v2/summary.json"]
    assert [i["id"] for i in summary["incidents"]] == [
        "2026-11-23-elevated-api-error-rates-in-par1"
    ]
    assert summary["incidents"] == example_api["api/v2/incidents/unresolved.json"]["incidents"]
    upcoming = ["2026-12-03-cdn-edge-certificate-rotation", "2026-11-26-postgresql-17-upgrade"]
    assert [m["id"] for m in summary["scheduled_maintenances"]] == upcoming
    assert [
        m["id"]
        for m in example_api["api/v2/scheduled-maintenances/upcoming.json"][
            "scheduled_maintenances"
        ]
    ] == upcoming
    assert example_api["api/v2/scheduled-maintenances/active.json"]["scheduled_maintenances"] == []
    everything = example_api["api/v2/scheduled-maintenances.json"]["scheduled_maintenances"]
    assert [m["status"] for m in everything] == ["scheduled", "scheduled", "completed"]


def test_a_maintenance_in_its_window_is_active_and_puts_its_components_under_maintenance(
    scratch_site: ScratchSite,
) -> None:
    """Clock-driven in_progress: in active.json and summary.json, not upcoming.json; the component shows it."""
    update = {
        "maintenance/2026-11-23-db/01.md": "---\nat: 2026-11-23T14:01:00+01:00\nstatus: in_progress\n---\nStarted.\n",
    }
    api = api_for(scratch_site, {**IN_PROGRESS_MAINTENANCE, **update})
    (active,) = api["api/v2/scheduled-maintenances/active.json"]["scheduled_maintenances"]
    assert active["status"] == "in_progress" and active["impact"] == "maintenance"
    assert active["scheduled_for"] == "2026-11-23T14:00:00.000+01:00"
    assert active["scheduled_until"] == "2026-11-23T16:00:00.000+01:00"
    assert api["api/v2/summary.json"]["scheduled_maintenances"] == [active]
    assert api["api/v2/scheduled-maintenances/upcoming.json"]["scheduled_maintenances"] == []
    started, announced = active["incident_updates"]
    assert (announced["status"], announced["body"], announced["affected_components"]) == (
        "scheduled",
        "Upgrading.",
        None,
    )
    assert started["affected_components"] == [
        {
            "code": "dashboard",
            "name": "Platform - Dashboard",
            "old_status": "operational",
            "new_status": "under_maintenance",
        }
    ]
    assert [c["status"] for c in active["components"]] == ["under_maintenance"]


def test_a_postmortem_sets_the_incident_status_to_postmortem(example_api: dict[str, Any]) -> None:
    """Publishing postmortem.md turns 'resolved' into 'postmortem', as statuspage.io does."""
    incidents = {i["id"]: i for i in example_api["api/v2/incidents.json"]["incidents"]}
    power = incidents["2026-10-19-power-loss-in-zone-par1"]
    assert power["status"] == "postmortem" and power["resolved_at"] is not None
    assert power["incident_updates"][0]["status"] == "resolved"
    assert incidents["2026-11-17-delayed-live-logs-for-apps"]["status"] == "resolved"


def test_shortlinks_are_the_full_urls_of_pages_the_site_has(
    example_api: dict[str, Any], example_site: Path
) -> None:
    """Each shortlink is https://<site>/incidents/<slug>/ (or /maintenance/), and that page exists."""
    url = "https://status.nimbus.example"
    for item in example_api["api/v2/incidents.json"]["incidents"]:
        assert item["shortlink"] == f"{url}/incidents/{item['id']}/"
        assert (example_site / "incidents" / item["id"] / "index.html").is_file()
    for item in example_api["api/v2/scheduled-maintenances.json"]["scheduled_maintenances"]:
        assert item["shortlink"] == f"{url}/maintenance/{item['id']}/"
        assert (example_site / "maintenance" / item["id"] / "index.html").is_file()


# ---- (d) statusgen's own fields, beside /api/v2/ --------------------------------------------


@pytest.fixture(scope="module")
def extensions(example_site: Path) -> dict[str, Any]:
    return {
        path: json.loads((example_site / path).read_text(encoding="utf-8"))
        for path in EXTENSION_FILES
    }


@pytest.mark.parametrize("path", sorted(EXTENSION_FILES))
def test_statusgen_files_validate_against_their_published_schema(
    extensions: dict[str, Any], path: str
) -> None:
    """/api/statusgen/ files are statusgen's own: their published schemas are strict already."""
    assert errors_of(validator(EXTENSION_FILES[path]), extensions[path]) == []
    schema = published_schemas()[EXTENSION_FILES[path]]
    assert schema["additionalProperties"] is False and path.startswith("api/statusgen/")


def test_statusgen_incidents_carry_the_kind_and_customer_actions_of_each_incident(
    extensions: dict[str, Any],
) -> None:
    """What /api/v2/ may not hold (a security incident, what customers must do) is kept here."""
    incidents = extensions["api/statusgen/incidents.json"]["incidents"]
    tokens = incidents["2026-10-06-api-tokens-exposed-in-build-logs"]
    assert tokens["kind"] == "security" and len(tokens["customer_actions"]) == 3
    assert tokens["customer_actions"][0].startswith("Rotate every API token")
    assert incidents["2026-11-17-delayed-live-logs-for-apps"] == {
        "kind": "incident",
        "customer_actions": [],
    }


def test_statusgen_incidents_join_the_api_v2_incidents_by_id(
    example_api: dict[str, Any], extensions: dict[str, Any]
) -> None:
    """Keyed by the ids of /api/v2/, in the same order: a client joins the two files by id."""
    listed = [
        i["id"]
        for path in ("api/v2/incidents.json", "api/v2/incidents/unresolved.json")
        for i in example_api[path]["incidents"]
    ]
    ours = list(extensions["api/statusgen/incidents.json"]["incidents"])
    assert (
        ours
        == list(dict.fromkeys(listed))
        == [i["id"] for i in example_api["api/v2/incidents.json"]["incidents"]]
    )


def test_statusgen_incidents_follow_the_50_incident_limit_and_keep_open_ones(
    scratch_site: ScratchSite,
) -> None:
    """With 55 incidents, the oldest of them still open: the 50 newest, then the open one."""
    start = datetime(2026, 9, 1, 8, 0, tzinfo=UTC)
    files: dict[str, str] = {}
    for n in range(55):
        at = start + timedelta(days=n)
        slug = f"{at:%Y-%m-%d}-incident-{n:02d}"
        files[f"incidents/{slug}/incident.md"] = f"---\ntitle: Incident {n}\nseverity: minor\n---\n"
        files[f"incidents/{slug}/01.md"] = (
            f"---\nat: {at.isoformat()}\nstatus: investigating\ncomponents:\n  api: degraded_performance\n---\nSlow.\n"
        )
        if n:
            files[f"incidents/{slug}/02.md"] = (
                f"---\nat: {(at + timedelta(minutes=30)).isoformat()}\nstatus: resolved\n---\nFixed.\n"
            )
    api = api_for(scratch_site, files, now=start + timedelta(days=60))
    ours = list(api["api/statusgen/incidents.json"]["incidents"])
    assert len(ours) == 51 and ours[-1] == "2026-09-01-incident-00"
    assert ours[:50] == [i["id"] for i in api["api/v2/incidents.json"]["incidents"]]
    assert ours[-1] == api["api/v2/incidents/unresolved.json"]["incidents"][0]["id"]


def test_the_build_writes_statusgen_files_and_their_schemas(example_site: Path) -> None:
    """Each /api/statusgen/ extension file is written with its schema under /api/schema/."""
    for path, schema in EXTENSION_FILES.items():
        assert (example_site / path).is_file()
        assert (example_site / "api" / "schema" / schema).read_bytes() == schema_bytes(schema)


def test_page_updated_at_is_the_latest_change_not_the_build_time(scratch_site: ScratchSite) -> None:
    """An hour later with nothing new, the page has not changed; with no content at all, it is now."""
    content, _ = load_and_validate(EXAMPLE_CONTENT)
    for now in (DEMO_NOW, DEMO_NOW + timedelta(hours=1)):
        page = api_documents(derive(content, now))["api/v2/status.json"]["page"]
        assert page["updated_at"] == "2026-11-23T14:15:00.000+01:00"
    empty = api_for(scratch_site, {})
    assert empty["api/v2/status.json"]["page"]["updated_at"] == "2026-11-23T14:30:00.000+01:00"


def test_page_id_is_derived_from_the_site_url(scratch_site: ScratchSite) -> None:
    """Same URL, same 12-character base-36 id on every build; another URL, another id."""
    first = api_for(scratch_site, {})["api/v2/status.json"]["page"]["id"]
    other = api_for(
        scratch_site, {"site.yml": MINIMAL_SITE.replace("status.example.com", "status.example.org")}
    )
    assert (
        first
        == page_id("https://status.example.com")
        == api_for(scratch_site, {})["api/v2/status.json"]["page"]["id"]
    )
    assert other["api/v2/status.json"]["page"]["id"] != first
    assert re.fullmatch(r"[a-z0-9]{12}", first)


def test_json_is_compact_utf8_in_the_real_key_order_with_a_final_newline(
    example_site: Path,
) -> None:
    """Compact as Statuspage serves it (and as the fast encoder writes it); non-ASCII text
    kept as is; keys never re-sorted."""
    text = (example_site / "api/v2/summary.json").read_text(encoding="utf-8")
    assert text.endswith("}\n") and text.startswith('{"page":{"id":')
    assert text.count("\n") == 1
    assert api_json({"name": "Café – été", "n": [1, 2]}) == '{"name":"Café – été","n":[1,2]}\n'
    assert list(json.loads(text)) == [
        "page",
        "components",
        "incidents",
        "scheduled_maintenances",
        "status",
    ]
