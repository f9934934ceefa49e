"""site.yml's `notify:` → NotifyChannel: where `statusgen notify` tells people.

site.yml is published with the content (it is in the repository, often a public one), so a
channel names the environment variables that hold its URL, key or SMTP password, never the
values: a URL written where a variable's name belongs is an error that says so.
"""

from __future__ import annotations

import re
from dataclasses import replace
from datetime import timedelta
from typing import Any

from statusgen.content.yamlsource import LineMap
from statusgen.errors import ContentError, Source
from statusgen.model import ChannelType, Component, NotifyChannel, Severity
from statusgen.validate import fields as f
from statusgen.validate.fields import MISSING, FieldReader, Invalid, is_ok

_ENV_NAME = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")
_ADDRESS = re.compile(r"[^@\s<>,;\"]+@[^@\s<>,;\"]+\.[^@\s<>,;\"]+")
HTTP_CHANNELS = (ChannelType.SLACK, ChannelType.TEAMS, ChannelType.DISCORD, ChannelType.WEBHOOK)
# The fields each type reads besides type, name, the filters, timeout and retries.
_OWN_FIELDS = {
    ChannelType.SLACK: ("url_env",),
    ChannelType.TEAMS: ("url_env",),
    ChannelType.DISCORD: ("url_env",),
    ChannelType.WEBHOOK: ("url_env", "secret_env"),
    ChannelType.EMAIL: ("to", "from", "smtp_env"),
}
_EXAMPLE = "write '- type: slack' and 'url_env: SLACK_WEBHOOK_URL' under 'notify:'"


def env_name(value: Any) -> str:
    """The name of an environment variable; a URL or secret written here is refused, since
    site.yml is published."""
    raw = f.text(value)
    if _ENV_NAME.fullmatch(raw):
        return raw
    if "://" in raw or "@" in raw or len(raw) > 40:
        raise Invalid(
            "this looks like a URL or a secret: site.yml is published with the site, so it "
            "names the environment variable that holds it, never the value",
            "set the value in your CI's or Netlify's environment variables (e.g. "
            "SLACK_WEBHOOK_URL) and write that variable's name here; "
            "then revoke the secret that was written here",
        )
    raise Invalid(
        f"'{raw}' is not the name of an environment variable",
        "use letters, digits and underscores, e.g. SLACK_WEBHOOK_URL",
    )


def address(value: Any) -> str:
    raw = f.text(value)
    if not _ADDRESS.fullmatch(raw):
        raise Invalid(f"'{raw}' is not an e-mail address", "write it like ops@example.com")
    return raw


def addresses(value: Any) -> tuple[str, ...]:
    found = tuple(address(item) for item in f.text_list(value))
    if not found:
        raise Invalid("no address given", "write '- ops@example.com' under 'to:'")
    return found


def _positive_seconds(value: Any) -> timedelta:
    span = f.duration(value)
    if span <= timedelta(0) or span > timedelta(minutes=5):
        raise Invalid("a timeout is more than 0 and at most 5 minutes", "write e.g. 'timeout: 10s'")
    return span


def _retries(value: Any) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or not 0 <= value <= 10:
        raise Invalid("retries is a whole number from 0 to 10", "write e.g. 'retries: 3'")
    return value


def _filter(
    reader: FieldReader, components: tuple[Component, ...]
) -> tuple[tuple[str, ...], tuple[Severity, ...]]:
    known = [c.id for c in components]

    def component(value: Any) -> str:
        name = f.text(value)
        if known and name not in known:
            raise Invalid(f"unknown component '{name}'", f.did_you_mean(name, known))
        return name

    severity = f.enum(Severity)

    names = reader.optional("components", lambda v: tuple(component(x) for x in f.text_list(v)), ())
    levels = reader.optional("severities", lambda v: tuple(severity(x) for x in f.text_list(v)), ())
    return names, levels


def _channel(
    item: Any, index: int, site: FieldReader, components: tuple[Component, ...]
) -> NotifyChannel | None:
    if not isinstance(item, LineMap):
        site.error("notify", f"channel {index + 1} is not a mapping", _EXAMPLE)
        return None
    reader = FieldReader(item, site.path, site.errors, f"notify[{index + 1}].")
    kind = reader.required("type", f.enum(ChannelType), "slack")
    name = reader.optional("name", f.text, None)
    chosen, levels = _filter(reader, components)
    timeout = reader.optional("timeout", _positive_seconds, timedelta(seconds=10))
    retries = reader.optional("retries", _retries, 3)
    if kind is MISSING:
        reader.reject_unknown(
            {"url_env", "secret_env", "to", "from", "smtp_env"}
        )  # the type's error says it all
        return None
    base = NotifyChannel(
        kind,
        name or kind.value,
        Source(site.path, item.line),
        components=chosen,
        severities=levels,
        timeout=timeout,
        retries=retries,
    )
    if kind is ChannelType.EMAIL:
        to = reader.required("to", addresses, "[ops@example.com]")
        sender = reader.required("from", address, "status@example.com")
        smtp_env = reader.required("smtp_env", env_name, "STATUSGEN_SMTP_URL")
        _reject_others(reader, kind)
        if not is_ok(to, sender, smtp_env):
            return None
        named = name or f"email:{','.join(to)}"
        return replace(base, name=named, to=to, sender=sender, smtp_env=smtp_env)
    url_env = reader.required("url_env", env_name, f"{kind.value.upper()}_WEBHOOK_URL")
    secret_env = (
        reader.optional("secret_env", env_name, None) if kind is ChannelType.WEBHOOK else None
    )
    _reject_others(reader, kind)
    if not is_ok(url_env):
        return None
    named = name or f"{kind.value}:{url_env}"
    return replace(base, name=named, url_env=url_env, secret_env=secret_env)


def _reject_others(reader: FieldReader, kind: ChannelType) -> None:
    """A field of another type ('to:' on a slack channel) says which type reads it."""
    for key in reader.mapping:
        if key in reader.seen:
            continue
        owners = [t.value for t, own in _OWN_FIELDS.items() if key in own]
        if owners:
            reader.seen.add(key)
            reader.error(
                key,
                f"'{key}' is not read by a {kind.value} channel",
                f"only {' and '.join(owners)} channels read it: remove it, or change 'type:'",
            )
    reader.reject_unknown()


def notify_channels(
    reader: FieldReader, components: tuple[Component, ...]
) -> tuple[NotifyChannel, ...]:
    """Every channel of `notify:`, each name once (the journal and the exit status use it)."""
    raw = reader.optional("notify", lambda v: v, None)
    if raw is None:
        return ()
    if not isinstance(raw, list):
        reader.error("notify", "expected a list of channels", _EXAMPLE)
        return ()
    channels: list[NotifyChannel] = []
    for index, item in enumerate(raw):
        channel = _channel(item, index, reader, components)
        if channel is None:
            continue
        twin = next((c for c in channels if c.name == channel.name), None)
        if twin is not None:
            reader.errors.append(
                ContentError(
                    channel.source,
                    f"notify[{index + 1}]",
                    f"a second channel named '{channel.name}' (first on line {twin.source.line})",
                    "give one of them its own 'name:' (reports and the delivery journal use it)",
                )
            )
            continue
        channels.append(channel)
    return tuple(channels)
