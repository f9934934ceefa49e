"""site.yml's `notify:`: channels named by type, secrets only as environment variable names,
filters that name real components and severities; every mistake reported at once."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

import pytest

from conftest import MINIMAL_SITE, ScratchSite
from statusgen.build import load_and_validate
from statusgen.errors import ContentInvalid
from statusgen.model import ChannelType, Severity


def errors_of(content: Path) -> list[tuple[str, str | None, str, str | None]]:
    with pytest.raises(ContentInvalid) as raised:
        load_and_validate(content)
    return [(str(e.source), e.field, e.message, e.hint) for e in raised.value.errors]


def test_channels_are_read_with_their_defaults(scratch_site: ScratchSite) -> None:
    content = scratch_site(
        {
            "site.yml": MINIMAL_SITE
            + """\
notify:
  - type: slack
    url_env: SLACK_WEBHOOK_URL
  - type: webhook
    name: pager
    url_env: HOOK_URL
    secret_env: HOOK_SECRET
    components: [api]
    severities: [major, critical]
    timeout: 5s
    retries: 1
  - type: email
    to: [ops@example.com]
    from: status@example.com
    smtp_env: STATUSGEN_SMTP_URL
"""
        }
    )
    site, _ = load_and_validate(content)
    slack, hook, mail = site.site.notify
    assert (slack.type, slack.name, slack.url_env) == (
        ChannelType.SLACK,
        "slack:SLACK_WEBHOOK_URL",
        "SLACK_WEBHOOK_URL",
    )
    assert (slack.timeout, slack.retries, slack.components) == (timedelta(seconds=10), 3, ())
    assert hook.name == "pager" and hook.secret_env == "HOOK_SECRET"
    assert hook.severities == (Severity.MAJOR, Severity.CRITICAL)
    assert (hook.timeout, hook.retries, hook.components) == (timedelta(seconds=5), 1, ("api",))
    assert (mail.name, mail.to, mail.sender) == (
        "email:ops@example.com",
        ("ops@example.com",),
        "status@example.com",
    )


def test_every_notify_mistake_is_reported_at_once(scratch_site: ScratchSite) -> None:
    content = scratch_site(
        {
            "site.yml": MINIMAL_SITE
            + """\
notify:
  - type: slak
    url_env: SLACK_WEBHOOK_URL
  - type: slack
    url_env: https://hooks.slack.com/services/T000/B000/XXXX
  - type: teams
    url_env: TEAMS_URL
    to: [ops@example.com]
  - type: email
    to: [not-an-address]
    smtp_env: SMTP_URL
  - type: discord
    url_env: DISCORD_URL
    components: [apii]
    severities: [huge]
  - type: discord
    url_env: DISCORD_URL
"""
        }
    )
    found = errors_of(content)
    fields = [field for _, field, _, _ in found]
    assert fields == [
        "notify[1].type",
        "notify[2].url_env",
        "notify[3].to",
        "notify[4].from",  # missing: reported at the channel's first line
        "notify[4].to",
        "notify[5].components",
        "notify[5].severities",
        "notify[6]",
    ]
    by_field = {field: (where, message, hint) for where, field, message, hint in found}
    assert by_field["notify[1].type"][0] == "site.yml:12"
    assert "did you mean 'slack'" in str(by_field["notify[1].type"][2])
    where, message, hint = by_field["notify[2].url_env"]
    assert where == "site.yml:15"
    assert "names the environment variable" in message
    assert hint is not None and "revoke" in hint
    assert "only email channels read it" in str(by_field["notify[3].to"][2])
    assert "did you mean 'api'" in str(by_field["notify[5].components"][2])
    assert "a second channel named 'discord:DISCORD_URL'" in by_field["notify[6]"][1]


def test_a_secret_written_into_site_yml_never_reaches_the_error_text(
    scratch_site: ScratchSite,
) -> None:
    """The error says where the secret is, not what it is: CI logs are often public."""
    secret = "https://hooks.slack.com/services/T000/B000/VERYSECRET"
    content = scratch_site(
        {"site.yml": MINIMAL_SITE + f"notify:\n  - type: slack\n    url_env: {secret}\n"}
    )
    for _, _, message, hint in errors_of(content):
        assert "VERYSECRET" not in message + str(hint)
