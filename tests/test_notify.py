"""`statusgen notify`: every event of a deploy reaches every matching channel once.

Real receivers on 127.0.0.1 (tests/receivers.py): HTTP servers that answer, fail then
recover, or never answer, and an SMTP server. The command runs as a subprocess, as CI and
the Netlify plugin run it, against sites built by the real build.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import signal
import subprocess
import sys
import textwrap
from collections import Counter
from collections.abc import Iterator
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from receivers import (
    Mailbox,
    Receiver,
    fails_first,
    never_answers,
    smtp_server,
    wait_for,
    webhook_receiver,
)

from conftest import EXAMPLE_CONTENT, MINIMAL_SITE, checkout_environment

# aiosmtpd warns that it accepts a login without TLS: on loopback, that is the point.
pytestmark = pytest.mark.filterwarnings("ignore:Requiring AUTH while not requiring TLS")

SECRET = "hook-signing-key"
SMTP_PASSWORD = "mail-pa55word"

NOTIFY = """\
notify:
  - type: slack
    url_env: SLACK_URL
  - type: teams
    url_env: TEAMS_URL
  - type: discord
    url_env: DISCORD_URL
  - type: webhook
    url_env: HOOK_URL
    secret_env: HOOK_SECRET
  - type: webhook
    name: api-majors
    url_env: FILTERED_URL
    components: [api]
    severities: [major, critical]
  - type: webhook
    name: dashboard-only
    url_env: DASHBOARD_URL
    components: [dashboard]
  - type: webhook
    name: flaky
    url_env: FLAKY_URL
    retries: 3
  - type: email
    to: [ops@example.com, cto@example.com]
    from: status@example.com
    smtp_env: SMTP_URL
"""

INCIDENT = """\
---
title: Elevated error rates on the API
severity: major
components: [api]
---
"""


def update(at: str, status: str, text: str, api: str | None = None) -> str:
    components = f"components:\n  api: {api}\n" if api else ""
    return f"---\nat: {at}\nstatus: {status}\n{components}---\n{text}\n"


def statusgen(*args: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "statusgen", *args],
        capture_output=True,
        text=True,
        env=checkout_environment(**(env or {})),
        timeout=120,
    )


@dataclass
class Deploys:
    """A site that deploys again and again: content, each build's output, the journal."""

    content: Path
    root: Path
    env: dict[str, str]
    count: int = 0

    def build(self, now: str) -> Path:
        out = self.root / f"deploy-{self.count}"
        self.count += 1
        result = statusgen("build", str(self.content), "--output", str(out), "--now", now, "-q")
        assert result.returncode == 0, result.stderr
        return out

    def notify(
        self, previous: Path | str, now: str, *extra: str
    ) -> subprocess.CompletedProcess[str]:
        journal = str(self.root / "journal.json")
        return statusgen(
            "notify",
            str(self.content),
            "--previous",
            str(previous),
            "--now",
            now,
            "--journal",
            journal,
            *extra,
            env=self.env,
        )

    def write(self, relative: str, text: str) -> None:
        path = self.content / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")


@dataclass
class Receivers:
    slack: Receiver
    teams: Receiver
    discord: Receiver
    hook: Receiver
    filtered: Receiver
    dashboard: Receiver
    flaky: Receiver
    mail: Mailbox


@contextmanager
def started_receivers() -> Iterator[Receivers]:
    with ExitStack() as stack:
        hooks = [stack.enter_context(webhook_receiver()) for _ in range(6)]
        flaky = stack.enter_context(webhook_receiver(fails_first(2, status=429, retry_after="1")))
        mail = stack.enter_context(smtp_server("status", SMTP_PASSWORD))
        yield Receivers(*hooks, flaky, mail)


@pytest.fixture
def receivers() -> Iterator[Receivers]:
    with started_receivers() as started:
        yield started


@pytest.fixture
def deploys(tmp_path: Path, receivers: Receivers) -> Deploys:
    return site_with_channels(tmp_path, receivers)


def site_with_channels(tmp_path: Path, receivers: Receivers) -> Deploys:
    content = tmp_path / "content"
    content.mkdir()
    (content / "site.yml").write_text(MINIMAL_SITE + NOTIFY, encoding="utf-8")
    r = receivers
    env = {
        "SLACK_URL": r.slack.url,
        "TEAMS_URL": r.teams.url,
        "DISCORD_URL": r.discord.url,
        "HOOK_URL": r.hook.url,
        "HOOK_SECRET": SECRET,
        "FILTERED_URL": r.filtered.url,
        "DASHBOARD_URL": r.dashboard.url,
        "FLAKY_URL": r.flaky.url,
        "SMTP_URL": f"smtp://status:{SMTP_PASSWORD}@127.0.0.1:{r.mail.port}",
    }
    return Deploys(content, tmp_path, env)


SLUG = "2026-11-20-api-errors"


def open_incident(deploys: Deploys) -> None:
    """A major incident on the API, its first update posted at 13:02 UTC."""
    deploys.write(f"incidents/{SLUG}/incident.md", INCIDENT)
    deploys.write(
        f"incidents/{SLUG}/01.md",
        update("2026-11-20T14:02:00+01:00", "investigating", "Looking.", "partial_outage"),
    )


CREATED = f"incident/{SLUG}/created"
UPDATED = f"incident/{SLUG}/02"
RESOLVED = f"incident/{SLUG}/03"


def three_deploys(deploys: Deploys) -> list[subprocess.CompletedProcess[str]]:
    """A first deploy, then: a new incident, an update, the resolution; each notified."""
    results = []
    previous = deploys.build("2026-11-20T12:00:00Z")
    steps = [
        (
            "2026-11-20T13:10:00Z",
            "01.md",
            update(
                "2026-11-20T14:02:00+01:00",
                "investigating",
                "We are investigating errors on the API.",
                "partial_outage",
            ),
        ),
        (
            "2026-11-20T13:40:00Z",
            "02.md",
            update("2026-11-20T14:35:00+01:00", "identified", "A bad release; rolling back."),
        ),
        (
            "2026-11-20T14:10:00Z",
            "03.md",
            update("2026-11-20T15:05:00+01:00", "resolved", "Error rates are back to normal."),
        ),
    ]
    deploys.write(f"incidents/{SLUG}/incident.md", INCIDENT)
    for now, name, text in steps:
        deploys.write(f"incidents/{SLUG}/{name}", text)
        new = deploys.build(now)
        results.append(deploys.notify(previous, now))
        previous = new
    return results


@dataclass
class History:
    results: list[subprocess.CompletedProcess[str]]
    receivers: Receivers


@pytest.fixture(scope="module")
def history(tmp_path_factory: pytest.TempPathFactory) -> Iterator[History]:
    """Three deploys notified once, for the tests that read what each receiver got."""
    with started_receivers() as started:
        deploys = site_with_channels(tmp_path_factory.mktemp("deploys"), started)
        yield History(three_deploys(deploys), started)


def test_three_deploys_tell_every_matching_channel_each_event_once(history: History) -> None:
    receivers = history.receivers
    for result in history.results:
        assert result.returncode == 0, result.stdout + result.stderr
    expected = [CREATED, UPDATED, RESOLVED]
    for name in ("slack", "teams", "discord", "hook", "filtered", "flaky"):
        assert getattr(receivers, name).events == expected, name
    assert receivers.dashboard.events == []  # its filter names a component the incident spares
    assert receivers.mail.events == expected
    # The flaky receiver answered 429 twice first; each event still arrived once.
    assert len(receivers.flaky.attempts) == 5
    assert Counter(r.event for r in receivers.flaky.received) == Counter(expected)


def test_the_webhook_is_signed_and_shaped_like_statuspage(history: History) -> None:
    receivers = history.receivers
    for request in receivers.hook.received:
        expected = "sha256=" + hmac.new(SECRET.encode(), request.body, hashlib.sha256).hexdigest()
        assert request.headers["X-Statusgen-Signature"] == expected
        body = request.json
        assert body["meta"]["event_id"] == request.event
        assert body["incident"]["shortlink"].endswith(f"/incidents/{SLUG}/")
        assert body["page"]["url"] == "https://status.example.com"
    assert [r.json["meta"]["event_type"] for r in receivers.hook.received] == [
        "incident.created",
        "incident.updated",
        "incident.resolved",
    ]
    # The check docs/notifications.md gives receivers accepts these and refuses a changed body.
    doc = (Path(__file__).parent.parent / "docs" / "notifications.md").read_text()
    snippet = doc.split("```python\n", 1)[1].split("```", 1)[0]
    namespace: dict[str, Any] = {}
    exec(snippet, namespace)
    is_from_statusgen = namespace["is_from_statusgen"]
    request = receivers.hook.received[0]
    signature = request.headers["X-Statusgen-Signature"]
    assert is_from_statusgen(request.body, signature, SECRET)
    assert not is_from_statusgen(request.body + b" ", signature, SECRET)
    # No secret configured, no signature.
    assert all("X-Statusgen-Signature" not in r.headers for r in receivers.filtered.received)


def test_the_chat_tools_get_their_own_formats(history: History) -> None:
    receivers = history.receivers
    slack = receivers.slack.received[0].json
    assert "Elevated error rates on the API" in slack["text"]
    assert slack["blocks"] and len(slack["blocks"]) <= 50
    card = receivers.teams.received[0].json["attachments"][0]
    assert card["contentType"] == "application/vnd.microsoft.card.adaptive"
    assert card["content"]["type"] == "AdaptiveCard"
    embed = receivers.discord.received[-1].json["embeds"][0]
    assert embed["color"] == 0x2FCC66  # resolved: operational green
    assert receivers.discord.received[-1].json["allowed_mentions"] == {"parse": []}


def test_the_email_is_multipart_threaded_and_deduplicable(history: History) -> None:
    receivers = history.receivers
    mail = receivers.mail
    assert mail.logins == ["status", "status", "status"]
    assert mail.envelopes[0] == ("status@example.com", ["ops@example.com", "cto@example.com"])
    first, second, _ = mail.messages
    assert first["Subject"] == "[Acme Cloud] New incident: Elevated error rates on the API"
    assert first["Message-ID"] == f"<{CREATED}@status.example.com>"
    assert second["In-Reply-To"] == first["Message-ID"]
    assert second["References"] == first["Message-ID"]
    assert first["List-Id"] == "Acme Cloud <status.example.com>"
    assert first["Auto-Submitted"] == "auto-generated"
    text = first.get_body(("plain",)).get_content()
    html = first.get_body(("html",)).get_content()
    assert "We are investigating errors on the API." in text
    assert "<p>We are investigating errors on the API.</p>" in html
    assert f"https://status.example.com/incidents/{SLUG}/#update-01" in text


def test_a_rerun_sends_nothing_with_the_journal_and_the_same_ids_without(
    deploys: Deploys, receivers: Receivers
) -> None:
    before = deploys.build("2026-11-20T12:00:00Z")
    open_incident(deploys)
    assert deploys.notify(before, "2026-11-20T13:10:00Z").returncode == 0
    again = deploys.notify(before, "2026-11-20T13:10:00Z")
    assert again.returncode == 0
    assert "0 messages" in again.stdout
    assert receivers.slack.events == [CREATED]
    dry = deploys.notify(before, "2026-11-20T13:10:00Z", "--dry-run")
    assert "0 messages" in dry.stdout  # the dry run reads the journal as a real run would
    without = deploys.notify(before, "2026-11-20T13:10:00Z", "--no-journal")
    assert without.returncode == 0
    assert receivers.slack.events == [CREATED, CREATED]  # same id: receivers deduplicate


def test_a_channel_that_never_answers_fails_alone_and_is_named(
    deploys: Deploys, receivers: Receivers, tmp_path: Path
) -> None:
    with webhook_receiver(never_answers) as silent:
        site = deploys.content / "site.yml"
        site.write_text(
            site.read_text()
            + "  - type: webhook\n    name: silent\n    url_env: SILENT_URL\n"
            + "    timeout: 1s\n    retries: 1\n",
            encoding="utf-8",
        )
        deploys.env["SILENT_URL"] = silent.url
        before = deploys.build("2026-11-20T12:00:00Z")
        open_incident(deploys)
        result = deploys.notify(before, "2026-11-20T13:10:00Z")
        assert len(silent.attempts) == 2  # the first attempt and one retry
    assert result.returncode == 1
    assert "notify failed: silent" in result.stderr
    assert "no answer in time" in result.stdout + result.stderr
    assert receivers.slack.events == [CREATED]  # the others were not held up
    assert receivers.mail.events == [CREATED]
    assert "s3cr3t-path-token" not in result.stdout + result.stderr  # the URL's secret path


def test_a_killed_run_is_finished_by_the_rerun_without_resending(
    tmp_path: Path,
) -> None:
    blocked: list[int] = []

    def hold_the_second(n: int) -> tuple[int, dict[str, str]] | None:
        if n == 2 and not blocked:
            blocked.append(n)
            return None  # in flight when the process is killed
        return 200, {}

    with webhook_receiver(hold_the_second) as hook:
        content = tmp_path / "content"
        content.mkdir()
        (content / "site.yml").write_text(
            MINIMAL_SITE + "notify:\n  - type: webhook\n    url_env: HOOK_URL\n    timeout: 30s\n"
        )
        deploys = Deploys(content, tmp_path, {"HOOK_URL": hook.url})
        before = deploys.build("2026-11-20T12:00:00Z")
        deploys.write(f"incidents/{SLUG}/incident.md", INCIDENT)
        deploys.write(
            f"incidents/{SLUG}/01.md",
            update("2026-11-20T14:02:00+01:00", "investigating", "One.", "partial_outage"),
        )
        deploys.write(
            f"incidents/{SLUG}/02.md", update("2026-11-20T14:35:00+01:00", "identified", "Two.")
        )
        deploys.write(
            f"incidents/{SLUG}/03.md", update("2026-11-20T15:05:00+01:00", "resolved", "Three.")
        )
        now = "2026-11-20T14:10:00Z"
        command = [
            sys.executable,
            "-m",
            "statusgen",
            "notify",
            str(content),
            "--previous",
            str(before),
            "--now",
            now,
            "--journal",
            str(tmp_path / "journal.json"),
        ]
        process = subprocess.Popen(
            command,
            env=checkout_environment(**deploys.env),
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
        )
        wait_for(lambda: len(hook.attempts) == 2, 60)
        process.send_signal(signal.SIGKILL)
        process.wait(10)
        hook.release.set()
        journal = json.loads((tmp_path / "journal.json").read_text())
        assert journal["channels"]["webhook:HOOK_URL"]["delivered"] == [CREATED]
        rerun = deploys.notify(before, now)
        assert rerun.returncode == 0, rerun.stderr
    # The first event is never sent again; the one in flight when killed is sent once more
    # (it may or may not have arrived: receivers deduplicate by id), then the rest.
    assert [r.event for r in hook.attempts] == [CREATED, UPDATED, UPDATED, RESOLVED]


def test_a_first_deploy_sends_nothing_and_says_so(deploys: Deploys, receivers: Receivers) -> None:
    empty = deploys.root / "empty"
    empty.mkdir()
    open_incident(deploys)
    result = deploys.notify(empty, "2026-11-20T13:10:00Z")
    assert result.returncode == 0
    assert "a first deploy. Nothing sent" in result.stdout
    assert receivers.slack.attempts == [] and receivers.mail.messages == []


def test_an_unreadable_previous_site_sends_nothing_and_fails(
    deploys: Deploys, receivers: Receivers
) -> None:
    open_incident(deploys)
    with webhook_receiver() as not_a_site:  # answers GET with 501: no such method
        result = deploys.notify(not_a_site.url.rsplit("/hook", 1)[0], "2026-11-20T13:10:00Z")
    assert result.returncode == 1
    assert "previous site is unreadable" in result.stderr
    missing = deploys.notify(deploys.root / "no-such-folder", "2026-11-20T13:10:00Z")
    assert missing.returncode == 1
    assert receivers.slack.attempts == [] and receivers.mail.messages == []


def test_the_previous_site_can_be_the_live_url(deploys: Deploys, receivers: Receivers) -> None:
    from served import serve

    before = deploys.build("2026-11-20T12:00:00Z")
    open_incident(deploys)
    with serve(before) as live:
        result = deploys.notify(live.url("/"), "2026-11-20T13:10:00Z")
    assert result.returncode == 0, result.stderr
    assert receivers.hook.events == [CREATED]


def test_a_missing_secret_fails_that_channel_by_name(
    deploys: Deploys, receivers: Receivers
) -> None:
    del deploys.env["HOOK_SECRET"]
    before = deploys.build("2026-11-20T12:00:00Z")
    open_incident(deploys)
    result = deploys.notify(before, "2026-11-20T13:10:00Z")
    assert result.returncode == 1
    assert "notify failed: webhook:HOOK_URL" in result.stderr
    assert "HOOK_SECRET is not set" in result.stdout + result.stderr
    assert receivers.hook.attempts == []  # never sent unsigned
    assert receivers.slack.events == [CREATED]


def test_dry_run_on_the_example_prints_what_adding_an_update_would_send(tmp_path: Path) -> None:
    import shutil

    content = tmp_path / "content"
    shutil.copytree(EXAMPLE_CONTENT, content)
    now = "2026-11-23T13:30:00Z"
    live = tmp_path / "live"
    assert (
        statusgen("build", str(content), "--output", str(live), "--now", now, "-q").returncode == 0
    )
    folder = content / "incidents" / "2026-11-23-elevated-api-error-rates-in-par1"
    (folder / "03-monitoring.md").write_text(
        textwrap.dedent(
            """\
            ---
            at: 2026-11-23T14:25:00+01:00
            status: monitoring
            ---
            The rollback is complete in par1; error rates are back to normal. We are watching.
            """
        )
    )
    result = statusgen(
        "notify",
        str(content),
        "--previous",
        str(live),
        "--now",
        "2026-11-23T13:30:00Z",
        "--dry-run",
    )
    assert result.returncode == 0, result.stderr
    event = "incident/2026-11-23-elevated-api-error-rates-in-par1/03-monitoring"
    assert f"=== slack:SLACK_WEBHOOK_URL · {event} ===" in result.stdout
    assert f"=== email:ops@nimbus.example · {event} ===" in result.stdout
    assert f"=== webhook:STATUS_HOOK_URL · {event} ===" in result.stdout
    assert "The rollback is complete in par1" in result.stdout
    assert (
        "Subject: [Nimbus Cloud] Incident updated: Elevated API error rates in par1"
        in result.stdout
    )
    assert not (
        Path(".statusgen-cache") / "notify-journal.json"
    ).exists()  # a dry run writes nothing


def test_messages_speak_the_sites_language(tmp_path: Path) -> None:
    """A French site tells its readers in French: words, dates and the e-mail's parts."""
    from conftest import DEMO_NOW, example_speaking
    from statusgen.build import load
    from statusgen.derive.events import site_events
    from statusgen.notify.channels.email import render_parts
    from statusgen.notify.message import messages
    from statusgen.render.html import make_environment
    from statusgen.render.language import language

    site = load(example_speaking(tmp_path, "language: fr"), DEMO_NOW)
    facts = site.facts
    events = site_events(facts.incidents, facts.maintenances, facts.now)
    fr = language("fr")
    told = {m.event.type: m for m in messages(facts, events, fr)}
    created = told["incident.created"]
    assert created.headline == "Nouvel incident"
    assert created.words.view == "Voir sur la page d’état"
    assert told["maintenance.scheduled"].headline == "Maintenance planifiée"
    assert "nov." in created.at_text  # CLDR's French month
    text, html = render_parts(make_environment(site.theme, lang=fr), created)
    assert "Statut" in text and "Composants concernés" in text
    assert html.startswith("<!DOCTYPE html>") and '<html lang="fr" dir="ltr">' in html
