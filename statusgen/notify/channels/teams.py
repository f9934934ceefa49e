"""A message as the JSON body of a Teams Workflows webhook: one Adaptive Card.

The "Post to a channel when a webhook request is received" workflow expects a `message`
activity whose attachment is the card. TextBlocks render a small Markdown subset (bold,
italic, lists, links), which is what an update's body is written in, so the body goes in as
written; Adaptive Cards have no markup that notifies anyone. Teams refuses a message over
28 KB: a body that would make the card larger is cut, ending with a link to the page.
"""

from __future__ import annotations

import json
from typing import Any

from statusgen.model import ComponentStatus
from statusgen.notify.channels.limits import fit
from statusgen.notify.message import CANCELLED_COLOR, COLORS, Message

MAX_BYTES = 28_000  # Teams' 28 KB, counted in thousands to stay clear of its rounding
CARD_VERSION = "1.4"  # what Teams renders on every client, mobile included
# Adaptive Cards colour text by meaning, not by value: each status colour gets the nearest.
HEADLINE_COLORS = {
    COLORS[ComponentStatus.OPERATIONAL]: "Good",
    COLORS[ComponentStatus.UNDER_MAINTENANCE]: "Accent",
    COLORS[ComponentStatus.DEGRADED_PERFORMANCE]: "Warning",
    COLORS[ComponentStatus.PARTIAL_OUTAGE]: "Warning",
    COLORS[ComponentStatus.MAJOR_OUTAGE]: "Attention",
    CANCELLED_COLOR: "Default",
}


def payload(message: Message) -> dict[str, Any]:
    """The body to POST to the workflow's URL, within Teams' size limit."""
    rest = f"\n\n[{message.words.view}]({message.url})"
    body = fit(
        message.body.strip(),
        lambda text: size(_payload(message, text)) <= MAX_BYTES,
        rest,
    )
    return _payload(message, body)


def size(body: dict[str, Any]) -> int:
    """The bytes of `body` as JSON with every non-ASCII character escaped: the largest form
    it can be sent in, so a card that fits here fits however it is encoded."""
    return len(json.dumps(body).encode())


def _payload(message: Message, body: str) -> dict[str, Any]:
    card: dict[str, Any] = {
        "type": "AdaptiveCard",
        "$schema": "http://adaptivecards.io/schemas/adaptive-card.json",
        "version": CARD_VERSION,
        "lang": message.language,
        "body": _elements(message, body),
        "actions": [{"type": "Action.OpenUrl", "title": message.words.view, "url": message.url}],
    }
    if message.direction == "rtl":
        card["rtl"] = True
    return {
        "type": "message",
        "attachments": [
            {
                "contentType": "application/vnd.microsoft.card.adaptive",
                "contentUrl": None,
                "content": card,
            }
        ],
    }


def _text(text: str, **style: Any) -> dict[str, Any]:
    return {"type": "TextBlock", "text": text, "wrap": True, **style}


def _facts(pairs: list[tuple[str, str]]) -> dict[str, Any]:
    return {"type": "FactSet", "facts": [{"title": t, "value": v} for t, v in pairs]}


def _elements(message: Message, body: str) -> list[dict[str, Any]]:
    """Headline, title and time; the facts; the body; what to do; what comes next."""
    words = message.words
    color = HEADLINE_COLORS.get(message.color, "Default")
    elements = [
        _text(message.headline, size="Large", weight="Bolder", color=color),
        _text(message.title, size="Medium", weight="Bolder", spacing="Small"),
        _text(message.at_text, isSubtle=True, spacing="None"),
    ]
    facts = [(words.status, message.status_label)]
    if message.severity_label:
        facts.append((words.severity, message.severity_label))
    elements.append(_facts(facts))
    if message.components:
        elements += [
            _text(words.affected, weight="Bolder"),
            _facts([(c.name, c.label) for c in message.components]),
        ]
    if body:
        elements.append(_text(body, separator=True))
    if message.actions:
        elements += [
            _text(words.actions, weight="Bolder"),
            _text("\n".join(f"- {action}" for action in message.actions)),
        ]
    if message.window_text:
        elements.append(_text(f"{words.window}: {message.window_text}", isSubtle=True))
    if message.next_update_text:
        elements.append(_text(message.next_update_text, isSubtle=True))
    return elements
