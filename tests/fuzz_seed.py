"""The valid site both fuzzers start from: tests/test_fuzz.py (hypothesis, with the suite) and
fuzz/atheris_loader.py (the long coverage-guided run). One seed, so that both explore from the
same content, with at least one of each field the format has: a mutation can only break what
the seed holds."""

from __future__ import annotations

from datetime import UTC, datetime

# The fuzzers' clock: the incident is resolved, the maintenance is still to come.
NOW = datetime(2026, 11, 23, 13, 30, tzinfo=UTC)
INCIDENT = "incidents/2026-11-20-api-errors"
MAINTENANCE = "maintenance/2026-11-30-db-upgrade"

# {path relative to the content folder: text}; every file is valid, and together they build.
BASE_SITE: dict[str, str] = {
    "site.yml": """\
name: Acme Cloud
url: https://status.example.com
timezone: Europe/Paris
language: en
description: Status of Acme Cloud.
components:
  - id: api
    name: Public API
    description: REST API
    group: Platform
    sla: 99.95
    redundancy: 2
    recovery:
      failover: automatic
      rto: 1m
      rpo: 0s
    since: 2025-01-01
  - id: db
    name: Database
    group: Data
support:
  hours: [Mon-Fri 09:00-18:00]
  contacts:
    email: support@example.com
  escalation: Call the on-call engineer.
security:
  contact: mailto:security@example.com
  policy: https://example.com/security
update_cadence:
  major: 30m
  critical: 15m
uptime:
  weights:
    partial_outage: 0.5
  exclude_maintenance: true
severity_levels:
  critical:
    name: P1
    meaning: Everything is down.
recovery:
  backups: [daily]
  disaster_recovery: Restore in the other zone.
  last_tested: 2026-01-01
""",
    f"{INCIDENT}/incident.md": """\
---
title: Elevated error rates on the API
severity: major
kind: incident
components: [api]
detected_by: monitoring
customer_actions:
  - Retry failed requests.
started_at: 2026-11-20T13:55:00+01:00
---
Some API requests failed.
""",
    f"{INCIDENT}/01.md": """\
---
at: 2026-11-20T14:02:00+01:00
status: investigating
components:
  api: partial_outage
next_update: 2026-11-20T14:30:00+01:00
---
We are investigating errors on the API.
""",
    f"{INCIDENT}/02.md": """\
---
at: 2026-11-20 15:10
status: resolved
components:
  api: operational
---
Error rates are back to normal.
""",
    f"{INCIDENT}/postmortem.md": """\
---
published: 2026-11-21T10:00:00+01:00
follow_up:
  - action: Add a connection limit
    owner: Platform team
    status: open
    due: 2026-12-15
  - Review the alert thresholds
---
## What happened

The database ran out of *connections*. See [the docs](https://example.com/docs).
""",
    f"{MAINTENANCE}/maintenance.md": """\
---
title: Database upgrade
scheduled_for: 2026-11-30T02:00:00+01:00
scheduled_until: 2026-11-30T04:00:00+01:00
components: [db]
impact: degraded_performance
announced_at: 2026-11-22T10:00:00+01:00
---
We upgrade the database.
""",
    f"{MAINTENANCE}/01.md": """\
---
at: 2026-11-22T10:00:00+01:00
status: scheduled
---
Scheduled.
""",
}
