"""The Statuspage API v2 files: the real service's shape, checked against its captured responses.

The captures live in tests/fixtures/statuspage/ (its README names their source); the spec is the
public API v2 that every Statuspage-hosted page documents at its own `/api` page. Where the two disagree the test says which won.
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
    EXTENSION_KEY,
    SCHEMA_FILES,
    api_documents,
    api_json,
    api_time,
    page_id,
    schema_bytes,
)

FIXTURES = Path(__file__).resolve().parent / "fixtures" / "statuspage"
CAPTURES = {
    "githubstatus-components-partial-outage.json": "components.json",
    "githubstatus-summary-unresolved-incident.json": "summary.json",
    "illposed-summary-scheduled-maintenance.json": "summary.json",
    "instructure-summary-groups-unresolved-incident.json": "summary.json",
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


def registry() -> Registry:
    return Registry().with_resources(
        (f"/api/schema/{name}", Resource.from_contents(json.loads(schema_bytes(name))))
        for name in SCHEMA_FILES
    )


def validator(schema_name: str) -> Draft202012Validator:
    return Draft202012Validator(json.loads(schema_bytes(schema_name)), registry=registry())


def captures() -> dict[str, Any]:
    return {name: json.loads((FIXTURES / name).read_text(encoding="utf-8")) for name in CAPTURES}


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
    for document in documents:
        found["page"].append(document["page"])
        if "status" in document:
            found["status"].append(document["status"])
        for component in document.get("components", []):
            found["group" if component["group"] else "component"].append(component)
        for key, kind in (("incidents", "incident"), ("scheduled_maintenances", "maintenance")):
            for item in document.get(key, []):
                found[kind].append(item)
                found["component"].extend(item["components"])
                for update in item["incident_updates"]:
                    found[f"{kind}_update"].append(update)
                    found["affected_component"].extend(update["affected_components"] or [])
    return found


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
    """Each /api/v2 file follows the hand-written schema it is published with."""
    errors = [
        f"{list(e.absolute_path)}: {e.message}"
        for e in validator(API_FILES[path]).iter_errors(example_api[path])
    ]
    assert errors == []


def test_schemas_are_valid_draft_2020_12_and_published_under_api_schema(example_site: Path) -> None:
    """/api/schema/ serves exactly the package's schemas, each a valid 2020-12 schema."""
    for name in SCHEMA_FILES:
        schema = json.loads(schema_bytes(name))
        Draft202012Validator.check_schema(schema)
        assert schema["$id"] == f"/api/schema/{name}"
        assert (example_site / "api" / "schema" / name).read_bytes() == schema_bytes(name)


def test_schemas_reject_what_statuspage_clients_would_choke_on(example_api: dict[str, Any]) -> None:
    """Seconds without milliseconds, unknown keys, a leaf listing children and a wrong enum fail."""
    check = validator("summary.json")
    summary = json.loads(json.dumps(example_api["api/v2/summary.json"]))
    summary["page"]["updated_at"] = "2026-11-23T14:15:00+01:00"
    summary["page"]["extra"] = 1
    leaf = next(c for c in summary["components"] if not c["group"])
    leaf["components"] = ["x"]
    summary["incidents"][0]["incident_updates"][0]["status"] = "scheduled"
    messages = " | ".join(e.message for e in check.iter_errors(summary))
    assert "does not match" in messages
    assert "'extra' was unexpected" in messages
    assert "should not be valid" in messages
    assert "'scheduled' is not one of" in messages


@pytest.mark.parametrize("capture", sorted(CAPTURES))
def test_real_captured_responses_validate_against_our_schemas(capture: str) -> None:
    """The schemas are not stricter than statuspage.io: its real responses pass them."""
    document = captures()[capture]
    errors = [
        f"{list(e.absolute_path)}: {e.message}"
        for e in validator(CAPTURES[capture]).iter_errors(document)
    ]
    assert errors == []


# ---- (b) key for key against the real service -----------------------------------------------


@pytest.mark.parametrize("kind", KINDS)
def test_objects_have_the_real_services_keys_in_its_order(
    example_api: dict[str, Any], kind: str
) -> None:
    """Same keys, same order as every captured object of the same kind; incidents add only x_statusgen, last.

    The captures and the spec's tables list the same keys; the postmortem_* and scheduled_remind_*
    fields of some doc copies appear in no capture, so statusgen leaves them out.
    """
    real = {tuple(obj) for obj in objects_by_kind(list(captures().values()))[kind]}
    assert len(real) == 1, f"captures disagree on {kind} keys: {real}"
    (expected,) = real
    ours = objects_by_kind(list(example_api.values()))[kind]
    assert ours, f"the example site has no {kind}"
    for obj in ours:
        keys = tuple(obj)
        if kind == "incident":
            assert keys[-1] == EXTENSION_KEY
            keys = keys[:-1]
        assert keys == expected


@pytest.mark.parametrize("kind", KINDS)
def test_values_have_the_real_services_json_types(example_api: dict[str, Any], kind: str) -> None:
    """Every value has a JSON type the real service uses for that key; null only where the spec allows."""
    real: dict[str, set[str]] = defaultdict(set)
    for obj in objects_by_kind(list(captures().values()))[kind]:
        for key, value in obj.items():
            real[key].add(json_type(value))
    for obj in objects_by_kind(list(example_api.values()))[kind]:
        for key, value in obj.items():
            if key == EXTENSION_KEY:
                continue
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


def test_x_statusgen_carries_the_kind_and_customer_actions_of_incidents(
    example_api: dict[str, Any],
) -> None:
    """statusgen's own fields sit in one namespaced object that Statuspage clients ignore."""
    incidents = {i["id"]: i for i in example_api["api/v2/incidents.json"]["incidents"]}
    tokens = incidents["2026-10-06-api-tokens-exposed-in-build-logs"][EXTENSION_KEY]
    assert tokens["kind"] == "security" and len(tokens["customer_actions"]) == 3
    assert incidents["2026-11-17-delayed-live-logs-for-apps"][EXTENSION_KEY] == {
        "kind": "incident",
        "customer_actions": [],
    }
    for maintenance in example_api["api/v2/scheduled-maintenances.json"]["scheduled_maintenances"]:
        assert EXTENSION_KEY not in maintenance


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


def test_json_is_indented_utf8_in_the_real_key_order_with_a_final_newline(
    example_site: Path,
) -> None:
    """Readable diffs of golden files; non-ASCII text kept as is; keys never re-sorted."""
    text = (example_site / "api/v2/summary.json").read_text(encoding="utf-8")
    assert text.endswith("}\n") and text.startswith('{\n  "page": {\n    "id": ')
    assert api_json({"name": "Café – été"}) == '{\n  "name": "Café – été"\n}\n'
    assert list(json.loads(text)) == [
        "page",
        "components",
        "incidents",
        "scheduled_maintenances",
        "status",
    ]
