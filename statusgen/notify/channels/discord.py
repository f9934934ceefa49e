"""A message as a Discord webhook's JSON body: one embed, coloured by the status.

Discord renders Markdown in an embed's description and field values, which is what an
update's body is written in, so it goes in as written. Mentions are what Markdown cannot
make safe: `allowed_mentions` with nothing to parse keeps an `@everyone` or `<@&role>` in a
body from pinging anyone. Discord refuses an embed over its limits (title 256 characters,
description 4,096, 25 fields of 256 + 1,024, footer 2,048, 6,000 in all): what is too long
is cut, the body first, since the page always has all of it.
"""

from __future__ import annotations

from datetime import UTC
from typing import Any

from statusgen.notify.channels.limits import cut
from statusgen.notify.message import Message

MAX_TITLE = 256
MAX_DESCRIPTION = 4096
MAX_FIELDS = 25
MAX_FIELD_NAME = 256
MAX_FIELD_VALUE = 1024
MAX_FOOTER = 2048
MAX_TOTAL = 6000  # title, description, field names and values, footer text together


def payload(message: Message) -> dict[str, Any]:
    """The body to POST to the webhook (`content` empty: the embed says it all)."""
    title = cut(f"{message.headline}: {message.title}", MAX_TITLE)
    footer = cut(message.words.footer, MAX_FOOTER)
    fields = _shrunk(_fields(message), MAX_TOTAL - len(title) - len(footer))
    embed: dict[str, Any] = {
        "title": title,
        "url": message.url,
        "color": int(message.color.removeprefix("#"), 16),
        "fields": fields,
        "timestamp": message.at.astimezone(UTC).isoformat(),
        "footer": {"text": footer},
    }
    room = MAX_TOTAL - total(embed)
    if message.body.strip() and room > 0:
        rest = f"\n\n[{message.words.view}]({message.url})"
        embed["description"] = cut(message.body.strip(), min(MAX_DESCRIPTION, room), rest)
    return {"content": "", "embeds": [embed], "allowed_mentions": {"parse": []}}


def total(embed: dict[str, Any]) -> int:
    """The characters Discord counts against an embed's 6,000."""
    return (
        len(embed.get("title", ""))
        + len(embed.get("description", ""))
        + sum(len(f["name"]) + len(f["value"]) for f in embed.get("fields", ()))
        + len(embed.get("footer", {}).get("text", ""))
        + len(embed.get("author", {}).get("name", ""))
    )


def _field(name: str, value: str, inline: bool = False) -> dict[str, Any]:
    return {
        "name": cut(name, MAX_FIELD_NAME),
        "value": cut(value, MAX_FIELD_VALUE),
        "inline": inline,
    }


def _fields(message: Message) -> list[dict[str, Any]]:
    """Status (with when the next update is due), severity, components, what to do, window.
    Discord refuses a field without a value, so a fact with nothing to say has no field."""
    words = message.words
    status = "\n".join(filter(None, [message.status_label, message.next_update_text]))
    fields = [_field(words.status, status, inline=True)]
    if message.severity_label:
        fields.append(_field(words.severity, message.severity_label, inline=True))
    if message.components:
        lines = [f"{c.name} — {c.label}" if c.label else c.name for c in message.components]
        fields.append(_field(words.affected, "\n".join(lines)))
    if message.actions:
        fields.append(_field(words.actions, "\n".join(f"- {a}" for a in message.actions)))
    if message.window_text:
        fields.append(_field(words.window, message.window_text))
    return [f for f in fields if f["value"].strip()][:MAX_FIELDS]


def _shrunk(fields: list[dict[str, Any]], room: int) -> list[dict[str, Any]]:
    """`fields`, their longest values cut until all of them fit in `room` characters: only a
    site with hundreds of long component names and a long list of actions gets there."""
    fields = [dict(f) for f in fields]
    while (over := sum(len(f["name"]) + len(f["value"]) for f in fields) - room) > 0:
        longest = max(fields, key=lambda f: len(f["value"]))
        if len(longest["value"]) <= len("…"):
            break
        longest["value"] = cut(longest["value"], max(len(longest["value"]) - over, 1))
    return fields
