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

HOSTILE_SITE = """\
name: "Acme <script>alert('site')</script> & ]]> \\x1b 🚀"
url: https://status.example.com
timezone: Europe/Paris
description: "Status <script>alert('d')</script> ]]> & \\x07"
components:
  - id: api
    name: "API <script>alert('c')</script> ]]> & \\x00\\x01\\x02\\x03\\x04\\x05\\x06\\x07\\x08\\x0b\\x1b 🚀 واجهة"
  - id: dashboard
    name: "Dashboard ]]> &amp; \\uFFFE"
"""

HOSTILE_CONTENT: dict[str, str | bytes] = {
    "site.yml": HOSTILE_SITE,
    "incidents/2026-11-20-hostile/incident.md": """\
        ---
        title: "Hostile <script>alert(1)</script> ]]> & \\x00\\x01\\x02\\x03\\x04\\x05\\x06\\x07\\x08\\x0b\\x1b 🔥 مرحبا שלום"
        severity: major
        components: [api, dashboard]
        customer_actions:
          - "Rotate <script>alert('a')</script> ]]> & \\x1b tokens"
        ---
        Summary <script>alert('s')</script> ]]> &
        """,
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
    "title: \"Window <script>alert('m')</script> ]]> & \\x1b\\x00 🛠 نافذة\"\n"
    "scheduled_for: 2026-11-30T02:00:00+01:00\nscheduled_until: 2026-11-30T03:00:00+01:00\n"
    f"components: [api]\n---\nBody {NASTY} {CONTROL}; a,b\\c\n",
    "maintenance/2026-11-30-hostile/01.md": "---\nat: 2026-11-22T10:00:00+01:00\nstatus: scheduled\n---\n"
    f"Update {NASTY} {CONTROL}; a,b\\c\n",
}


# ---- cross-site scripting ---------------------------------------------------------------
# Every payload, if it ever ran, would set the canary `window.__xss` or open a dialog.

CANARY = "window.__xss=1"
XSS_PAYLOADS = (
    f"<script>{CANARY}</script>",
    f"<SCRIPT SRC=data:text/javascript,{CANARY}></SCRIPT>",
    f"</title><script>{CANARY}</script>",
    f"</textarea></style></noscript><script>{CANARY}</script>",
    f'"><img src=x onerror={CANARY}>',
    f"'><svg onload={CANARY}>",
    "<img src=x onerror=alert(1)>",
    f"<body onload={CANARY}>",
    f'<a href="javascript:{CANARY}">click</a>',
    f'<a href=" JaVaScRiPt:{CANARY}">spaced</a>',
    f'<a href="jav&#x09;ascript:{CANARY}">tab</a>',
    f'<a href="data:text/html,<script>{CANARY}</script>">data</a>',
    '<a href="vbscript:msgbox(1)">vb</a>',
    f'<iframe src="javascript:{CANARY}"></iframe>',
    f'<object data="data:text/html,<script>{CANARY}</script>"></object>',
    f'<embed src="data:image/svg+xml,<svg onload={CANARY}>">',
    f"<svg><script>{CANARY}</script></svg>",
    f'<svg><a xlink:href="javascript:{CANARY}"><text y="10">svg link</text></a></svg>',
    f"<svg><animate onbegin={CANARY} attributeName=x dur=1s>",
    f"<math><mtext><table><mglyph><style><img src=x onerror={CANARY}>",
    f'<math href="javascript:{CANARY}">math</math>',
    f'<div style="width: expression({CANARY})">css</div>',
    f'<div style="background:url(javascript:{CANARY})">css url</div>',
    f"<style>@import 'javascript:{CANARY}';</style>",
    f'<meta http-equiv="refresh" content="0;url=javascript:{CANARY}">',
    f'<base href="javascript:{CANARY}//">',
    f'<form action="javascript:{CANARY}"><button>go</button></form>',
    f"<details open ontoggle={CANARY}>",
    f"&lt;script&gt;{CANARY}&lt;/script&gt;",
    f"&#x3C;img src=x onerror={CANARY}&#x3E;",
    f"&#60;script&#62;{CANARY}&#60;/script&#62;",
    "{{7*7}} ${7*7} {% raw %}#{7*7}",
)
# Markdown's own ways to make links and attributes.
XSS_MARKDOWN = (
    f"[md link](javascript:{CANARY})",
    "[md data](data:text/html;base64,PHNjcmlwdD53aW5kb3cuX194c3M9MTwvc2NyaXB0Pg==)",
    f"[md ref][evil]\n\n[evil]: javascript:{CANARY}",
    f"<javascript:{CANARY}>",
    f"![md image](javascript:{CANARY})",
    f'[md title](https://example.com "\\" onmouseover={CANARY} x=\\"")',
    f'Heading with attributes {{: onclick="{CANARY}" }}\n---------',
    f"`<script>{CANARY}</script>` in code",
)
XSS_TEXT = " ".join(XSS_PAYLOADS)  # one line: for titles, names and descriptions
# For Markdown messages. An unclosed raw-HTML block (<math><mtext><table>…) swallows the rest
# of a message, so Markdown's own syntax comes first and that payload last.
_SWALLOWING = tuple(p for p in XSS_PAYLOADS if p.startswith("<math><mtext>"))
XSS_BODY = (
    "\n\n".join(XSS_MARKDOWN + tuple(p for p in XSS_PAYLOADS if p not in _SWALLOWING) + _SWALLOWING)
    + "\n"
)
TEMPLATE_INJECTION = "{{7*7}}"


def _q(text: str) -> str:
    """A YAML double-quoted string (JSON's escapes are YAML's)."""
    import json

    return json.dumps(text)


XSS_SITE = f"""\
name: {_q("Acme " + XSS_TEXT)}
url: https://status.example.com
timezone: Europe/Paris
description: {_q(XSS_TEXT)}
components:
  - id: api
    name: {_q("API " + XSS_TEXT)}
    description: {_q(XSS_TEXT)}
    group: {_q("Platform " + XSS_TEXT)}
    sla: 99.9
    redundancy: 2
    recovery:
      failover: automatic
      rto: 1m
      rpo: 0s
  - id: db
    name: {_q("DB " + XSS_PAYLOADS[4])}
    description: {_q(XSS_PAYLOADS[0])}
support:
  hours: [Mon-Fri 09:00-18:00]
  contacts:
    {_q(XSS_PAYLOADS[4])}: {_q("javascript:" + CANARY)}
    email: {_q('a@example.com"><script>' + CANARY + "</script>")}
    phone: {_q("+33 1 23 45 67 89")}
    chat: {_q("https://example.com/chat?<script>" + CANARY + "</script>")}
  escalation: {_q(XSS_TEXT)}
security:
  contact: {_q('mailto:security@example.com"><script>' + CANARY + "</script>")}
  policy: {_q('https://example.com/policy"><script>' + CANARY + "</script>")}
severity_levels:
  critical:
    name: {_q("P1 <script>" + CANARY + "</script>")}
    meaning: {_q(XSS_TEXT)}
recovery:
  backups: [{_q(XSS_TEXT)}]
  disaster_recovery: {_q(XSS_TEXT)}
"""


def _doc(meta: str, body: str) -> str:
    return f"---\n{meta}---\n{body}"


XSS_CONTENT: dict[str, str | bytes] = {
    "site.yml": XSS_SITE,
    # resolved, with a post-mortem
    "incidents/2026-11-20-xss/incident.md": _doc(
        f"title: {_q('Outage ' + XSS_TEXT)}\nseverity: critical\ncomponents: [api, db]\n"
        f"customer_actions:\n" + "".join(f"  - {_q(p)}\n" for p in XSS_PAYLOADS + XSS_MARKDOWN[:5]),
        XSS_BODY,
    ),
    "incidents/2026-11-20-xss/01.md": _doc(
        "at: 2026-11-20T14:02:00+01:00\nstatus: investigating\ncomponents:\n  api: major_outage\n"
        "next_update: 2026-11-20T14:30:00+01:00\n",
        XSS_BODY,
    ),
    "incidents/2026-11-20-xss/02.md": _doc(
        "at: 2026-11-20T15:10:00+01:00\nstatus: resolved\n", XSS_BODY
    ),
    "incidents/2026-11-20-xss/postmortem.md": _doc(
        "published: 2026-11-21T10:00:00+01:00\nfollow_up:\n"
        f"  - action: {_q(XSS_TEXT)}\n    owner: {_q(XSS_PAYLOADS[4])}\n  - {_q(XSS_PAYLOADS[0])}\n",
        XSS_BODY,
    ),
    # ongoing, so the home page shows it with its latest update
    "incidents/2026-11-23-xss-ongoing/incident.md": _doc(
        f"title: {_q(TEMPLATE_INJECTION + ' ' + XSS_TEXT)}\nseverity: major\n"
        f"customer_actions: [{_q(XSS_MARKDOWN[0])}]\n",
        XSS_BODY,
    ),
    "incidents/2026-11-23-xss-ongoing/01.md": _doc(
        "at: 2026-11-23T13:00:00+01:00\nstatus: identified\ncomponents:\n  db: partial_outage\n",
        XSS_BODY,
    ),
    # upcoming maintenance
    "maintenance/2026-11-30-xss/maintenance.md": _doc(
        f"title: {_q('Window ' + XSS_TEXT)}\nscheduled_for: 2026-11-30T02:00:00+01:00\n"
        "scheduled_until: 2026-11-30T03:00:00+01:00\ncomponents: [api]\n",
        XSS_BODY,
    ),
    "maintenance/2026-11-30-xss/01.md": _doc(
        "at: 2026-11-22T10:00:00+01:00\nstatus: scheduled\n", XSS_BODY
    ),
}
XSS_NOW = HOSTILE_NOW  # the second incident is ongoing, the maintenance upcoming
