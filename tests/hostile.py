"""A content folder written to break feeds, calendars and badges: markup, CDATA ends,
ampersands, emoji, right-to-left text, control characters and a 5,000-character title.

Titles and component names carry control characters through YAML escapes ("\\x1b"), as a
pasted terminal line would; Markdown bodies carry them raw.
"""

from __future__ import annotations

from datetime import UTC, datetime

# Build "now": both incidents are posted, the maintenance is upcoming.
HOSTILE_NOW = datetime(2026, 11, 23, 13, 30, tzinfo=UTC)
CONTROL = "".join(chr(c) for c in range(0x09)) + "\x0b\x1b"
NASTY = "<script>alert(1)</script> ]]> & 🚀 مرحبا שלום"
LONG_TITLE = "Outage " + "x" * (5000 - len("Outage "))

HOSTILE_SITE = '''\
name: "Acme <script>alert('site')</script> & ]]> \\x1b 🚀"
url: https://status.example.com
timezone: Europe/Paris
description: "Status <script>alert('d')</script> ]]> & \\x07"
components:
  - id: api
    name: "API <script>alert('c')</script> ]]> & \\x00\\x01\\x02\\x03\\x04\\x05\\x06\\x07\\x08\\x0b\\x1b 🚀 واجهة"
  - id: dashboard
    name: "Dashboard ]]> &amp; \\uFFFE"
'''

HOSTILE_CONTENT: dict[str, str | bytes] = {
    "site.yml": HOSTILE_SITE,
    "incidents/2026-11-20-hostile/incident.md": '''\
        ---
        title: "Hostile <script>alert(1)</script> ]]> & \\x00\\x01\\x02\\x03\\x04\\x05\\x06\\x07\\x08\\x0b\\x1b 🔥 مرحبا שלום"
        severity: major
        components: [api, dashboard]
        customer_actions:
          - "Rotate <script>alert('a')</script> ]]> & \\x1b tokens"
        ---
        Summary <script>alert('s')</script> ]]> &
        ''',
    "incidents/2026-11-20-hostile/01.md": "---\nat: 2026-11-20T14:02:00+01:00\nstatus: investigating\n"
    "components:\n  api: major_outage\n---\n"
    f"First {NASTY} {CONTROL} \ufffe\n\n<script>alert('body')</script>\n\n<img src=x onerror=alert(1)>\n",
    "incidents/2026-11-20-hostile/02.md": "---\nat: 2026-11-20T15:10:00+01:00\nstatus: resolved\n---\n"
    f"Fixed ]]> ]]]]><![CDATA[> {CONTROL} 🚀\n",
    "incidents/2026-11-20-hostile/postmortem.md": "---\npublished: 2026-11-21T10:00:00+01:00\n---\n"
    f"Review {NASTY} {CONTROL}\n",
    "incidents/2026-11-21-long/incident.md": f"---\ntitle: {LONG_TITLE}\nseverity: minor\n---\n",
    "incidents/2026-11-21-long/01.md": "---\nat: 2026-11-21T09:00:00+01:00\nstatus: investigating\n"
    "components:\n  dashboard: degraded_performance\n---\nSlow.\n",
    "maintenance/2026-11-30-hostile/maintenance.md": "---\n"
    'title: "Window <script>alert(\'m\')</script> ]]> & \\x1b\\x00 🛠 نافذة"\n'
    "scheduled_for: 2026-11-30T02:00:00+01:00\nscheduled_until: 2026-11-30T03:00:00+01:00\n"
    f"components: [api]\n---\nBody {NASTY} {CONTROL}; a,b\\c\n",
    "maintenance/2026-11-30-hostile/01.md": "---\nat: 2026-11-22T10:00:00+01:00\nstatus: scheduled\n---\n"
    f"Update {NASTY} {CONTROL}; a,b\\c\n",
}
