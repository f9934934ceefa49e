"""Real Statuspage clients read the example site's API as they read statuspage.io.

The built site is served on 127.0.0.1 by http.server in a thread. Two clients are pointed at it:
PyPI's statuspage-prometheus-exporter (run once, the way its docs describe for cron jobs) and
npm's statuspage.io (tests/clients/statuspage_client.mjs). Neither may reach the internet: the
only URL they are given is the local one, proxies are switched off and Slack is not configured.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from served import ServedSite, serve

from conftest import DEMO_NOW, EXAMPLE_CONTENT, ROOT
from statusgen.build import BuildOptions, build

NODE_CLIENT = ROOT / "tests" / "clients" / "statuspage_client.mjs"
NPM_CLIENT = ROOT / "tools" / "node_modules" / "statuspage.io" / "dist" / "index.js"
OPEN_INCIDENT = "2026-11-23-elevated-api-error-rates-in-par1"
UPCOMING = {
    "2026-11-26-postgresql-17-upgrade": "PostgreSQL",
    "2026-12-03-cdn-edge-certificate-rotation": "CDN edge",
}


def read_json(site: ServedSite, path: str) -> Any:
    return json.loads((site.root / path.lstrip("/")).read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def served_site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[ServedSite]:
    out = tmp_path_factory.mktemp("clients") / "public"
    build(BuildOptions(EXAMPLE_CONTENT, out, DEMO_NOW))
    with serve(out) as site:
        yield site


def local_only_environment(**extra: str) -> dict[str, str]:
    """The test's environment without proxies or a Slack webhook: clients talk to 127.0.0.1 only."""
    dropped = {"http_proxy", "https_proxy", "all_proxy", "slack_webhook_url"}
    env = {k: v for k, v in os.environ.items() if k.lower() not in dropped}
    return {**env, "NO_PROXY": "127.0.0.1,localhost", "no_proxy": "127.0.0.1,localhost", **extra}


def metric_samples(text: str) -> dict[str, list[tuple[dict[str, str], float]]]:
    from prometheus_client.parser import text_string_to_metric_families

    samples: dict[str, list[tuple[dict[str, str], float]]] = {}
    for family in text_string_to_metric_families(text):
        for sample in family.samples:
            samples.setdefault(sample.name, []).append((sample.labels, sample.value))
    return samples


def test_prometheus_exporter_reports_our_components_incident_and_maintenance(
    served_site: ServedSite, tmp_path: Path
) -> None:
    """statuspage-prometheus-exporter turns summary.json into the metrics a statuspage.io page gives."""
    try:  # a test dependency: missing, it must fail the test, not skip it
        import statuspage_prometheus_exporter  # noqa: F401
    except ImportError:
        pytest.fail("statuspage-prometheus-exporter missing: pip install -e '.[test]'")
    summary_url = f"{served_site.base_url}/api/v2/summary.json"
    (tmp_path / "services.json").write_text(
        json.dumps({"nimbus": {"url": summary_url, "name": "Nimbus"}})
    )
    metrics = tmp_path / "metrics.prom"
    before = len(served_site.requests)
    # RUN_MODE=once: one pass, metrics written to a textfile (its documented cron mode); it keeps
    # its cache under ./cache, hence the temporary working directory.
    run = subprocess.run(
        [
            sys.executable,
            "-c",
            "from statuspage_prometheus_exporter.status_monitoring import main; main()",
        ],
        cwd=tmp_path,
        env=local_only_environment(
            RUN_MODE="once",
            SERVICES_JSON_PATH=str(tmp_path / "services.json"),
            METRICS_TEXTFILE_PATH=str(metrics),
        ),
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert run.returncode == 0, run.stderr[-3000:]
    assert served_site.requests[before:] == [("/api/v2/summary.json", 200)]
    samples = metric_samples(metrics.read_text())

    assert samples["statuspage_probe_check"] == [({"service_name": "Nimbus"}, 1.0)]
    # An incident is open, so the service is not operational.
    assert samples["statuspage_service_status"] == [({"service_name": "Nimbus"}, 0.0)]

    summary = read_json(served_site, "/api/v2/summary.json")
    expected = {
        c["name"]: (1.0 if c["status"] == "operational" else 0.0) for c in summary["components"]
    }
    components = {
        labels["component_name"]: value for labels, value in samples["statuspage_component_status"]
    }
    assert components == expected
    assert (
        components["Public API"] == 0.0
        and components["Platform"] == 0.0
        and components["Databases"] == 1.0
    )
    assert len(components) == 14

    (incident,) = [labels for labels, value in samples["statuspage_incident_info"] if value == 1.0]
    assert incident == {
        "service_name": "Nimbus",
        "incident_id": OPEN_INCIDENT,
        "incident_name": "Elevated API error rates in par1",
        "impact": "major",
        "shortlink": f"https://status.nimbus.example/incidents/{OPEN_INCIDENT}/",
        "started_at": "2026-11-23T13:52:00+01:00",  # the exporter drops the milliseconds
        "affected_components": "Public API",
    }

    maintenances = {
        labels["maintenance_id"]: labels
        for labels, value in samples["statuspage_maintenance_info"]
        if value == 1.0
    }
    assert {mid: labels["affected_components"] for mid, labels in maintenances.items()} == UPCOMING
    postgres = maintenances["2026-11-26-postgresql-17-upgrade"]
    assert postgres["maintenance_name"] == "PostgreSQL 17 upgrade"
    assert (postgres["scheduled_start"], postgres["scheduled_end"]) == (
        "2026-11-26T02:00:00+01:00",
        "2026-11-26T04:00:00+01:00",
    )


def test_npm_statuspage_io_client_reads_every_endpoint_it_wraps(served_site: ServedSite) -> None:
    """statuspage.io (npm) with setApiUrl gets our files back, parsed, from every method it has."""
    if shutil.which("node") is None or not NPM_CLIENT.is_file():
        pytest.fail("node or the statuspage.io client missing: run bash scripts/install-test-tools")
    before = len(served_site.requests)
    run = subprocess.run(
        ["node", str(NODE_CLIENT), served_site.base_url],
        env=local_only_environment(),
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert run.returncode == 0, run.stderr[-3000:]
    results = json.loads(run.stdout)
    errors = {name: result["error"] for name, result in results.items() if "error" in result}
    assert errors == {}
    requested = served_site.requests[before:]
    assert all(status == 200 for _, status in requested), requested
    # The script calls the methods one after the other, so requests come in the same order.
    # statuspage.io 3.3.8 fetches upcoming.json for all three maintenance methods (a bug in its
    # Endpoints); what matters here is that each answer is our file, parsed intact.
    assert len(requested) == len(results)
    for (name, result), (path, _) in zip(results.items(), requested, strict=True):
        assert result == read_json(served_site, path), name

    assert [path for path, _ in requested[:5]] == [
        "/api/v2/status.json",
        "/api/v2/summary.json",
        "/api/v2/components.json",
        "/api/v2/incidents.json",
        "/api/v2/incidents/unresolved.json",
    ]
    assert results["getStatus"]["status"] == {
        "indicator": "minor",
        "description": "Minor Service Outage",
    }
    assert [i["id"] for i in results["incidents.getUnresolved"]["incidents"]] == [OPEN_INCIDENT]
    assert len(results["incidents.getAll"]["incidents"]) == 15
    api = next(c for c in results["getComponents"]["components"] if c["id"] == "api")
    assert api["status"] == "partial_outage"
    upcoming = results["scheduledMaintenances.getUpcoming"]["scheduled_maintenances"]
    assert {m["id"] for m in upcoming} == set(UPCOMING)
    assert results["getSummary"]["page"]["url"] == "https://status.nimbus.example"
