"""The channels: each turns a message into what one kind of receiver accepts.

Chat tools and webhooks differ only in the body they are posted (`payload` of slack, teams,
discord and webhook); they share `HttpChannel`, which adds the event id header, the
signature, the timeouts and retries. E-mail is its own channel (email.py).
"""

from __future__ import annotations

import json
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any, Protocol

import urllib3
from jinja2 import Environment

from statusgen.model import ChannelType, NotifyChannel
from statusgen.notify.channels import discord, slack, teams, webhook
from statusgen.notify.channels.email import EmailChannel
from statusgen.notify.delivery import DeliveryFailed, environment_value
from statusgen.notify.message import Message
from statusgen.web import Policy, RequestFailed, post

EVENT_HEADER = "X-Statusgen-Event"
BODIES: dict[ChannelType, Callable[[Message], dict[str, Any]]] = {
    ChannelType.SLACK: slack.payload,
    ChannelType.TEAMS: teams.payload,
    ChannelType.DISCORD: discord.payload,
    ChannelType.WEBHOOK: webhook.payload,
}


class Channel(Protocol):
    """Anything that can tell one channel's readers about a message."""

    @property
    def config(self) -> NotifyChannel: ...

    def preview(self, message: Message) -> str:
        """What would be sent, for --dry-run: no secret in it."""
        ...

    def send(self, message: Message) -> None:
        """Deliver, retrying what may succeed later; DeliveryFailed when it did not."""
        ...


def policy(config: NotifyChannel) -> Policy:
    return Policy(config.timeout, config.retries)


@dataclass(frozen=True, slots=True)
class HttpChannel:
    config: NotifyChannel
    env: Mapping[str, str]
    pool: urllib3.PoolManager

    def body(self, message: Message) -> bytes:
        document = BODIES[self.config.type](message)
        return json.dumps(document, ensure_ascii=False, separators=(",", ":")).encode("utf-8")

    def headers(self, message: Message, body: bytes, secret: str | None) -> dict[str, str]:
        headers = {
            "Content-Type": "application/json; charset=utf-8",
            EVENT_HEADER: message.event.id,
        }
        if secret is not None:
            headers[webhook.SIGNATURE_HEADER] = webhook.signature(body, secret)
        return headers

    def preview(self, message: Message) -> str:
        document = BODIES[self.config.type](message)
        lines = [f"POST ${self.config.url_env}", f"{EVENT_HEADER}: {message.event.id}"]
        if self.config.secret_env:
            lines.append(
                f"{webhook.SIGNATURE_HEADER}: sha256=<HMAC with ${self.config.secret_env}>"
            )
        return "\n".join([*lines, "", json.dumps(document, ensure_ascii=False, indent=2)])

    def send(self, message: Message) -> None:
        url = environment_value(self.env, self.config.url_env, "webhook URL")
        secret = (
            environment_value(self.env, self.config.secret_env, "signing secret")
            if self.config.secret_env
            else None
        )
        body = self.body(message)
        try:
            post(self.pool, url, body, self.headers(message, body, secret), policy(self.config))
        except RequestFailed as failed:
            raise DeliveryFailed(str(failed)) from None


def channels_for(
    configs: Sequence[NotifyChannel],
    env: Mapping[str, str],
    pool: urllib3.PoolManager,
    templates: Environment,
) -> list[Channel]:
    """A channel per entry of `notify:`; secrets are read from `env` only when sending."""
    return [
        EmailChannel(config, env, templates)
        if config.type is ChannelType.EMAIL
        else HttpChannel(config, env, pool)
        for config in configs
    ]
