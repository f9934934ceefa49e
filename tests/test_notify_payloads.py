"""What Slack, Teams and Discord are posted for each event: the JSON body their webhooks
document, within their limits, and inert whatever the authors wrote.

Messages come from the example site at its pinned "now"; the hostile one is an example
message with a 20,000-character body, 40 components and markup aimed at each tool.
"""

from __future__ import annotations

import json
import re
from dataclasses import replace
from datetime import UTC, datetime
from typing import Any

import jsonschema
import pytest
from hypothesis import given
from hypothesis import strategies as st

from conftest import DEMO_NOW, EXAMPLE_CONTENT
from statusgen.build import load
from statusgen.derive.events import site_events
from statusgen.model import ComponentStatus
from statusgen.notify.channels import discord, slack, teams
from statusgen.notify.channels.limits import ELLIPSIS, cut, fit
from statusgen.notify.message import CANCELLED_COLOR, COLORS, ComponentLine, Message, messages
from statusgen.render.language import language

INERT = "<!channel> & <https://x|y>"
MENTIONS = "@everyone @here <@&123456789> <@987654321>"


def example_messages(tag: str) -> list[Message]:
    facts = load(EXAMPLE_CONTENT, DEMO_NOW).facts
    events = site_events(facts.incidents, facts.maintenances, facts.now)
    return messages(facts, events, language(tag))


@pytest.fixture(scope="module")
def english() -> list[Message]:
    return example_messages("en")


@pytest.fixture(scope="module")
def arabic() -> list[Message]:
    return example_messages("ar")


def first(found: list[Message], event_type: str, **having: Any) -> Message:
    return next(
        m
        for m in found
        if m.event.type == event_type and all(getattr(m, k) == v for k, v in having.items())
    )


@pytest.fixture(scope="module")
def incident(english: list[Message]) -> Message:
    """An open incident's update: severity, customer actions, a next update due."""
    return next(m for m in english if m.actions and m.next_update_text and m.body)


@pytest.fixture(scope="module")
def maintenance(english: list[Message]) -> Message:
    """A scheduled window: no severity, components without a status yet, a window."""
    return first(english, "maintenance.scheduled")


def long_body() -> str:
    words = " ".join(f"word{n % 97}" for n in range(4000))
    return f"{INERT} {MENTIONS}\n\n{words}"[:20_000]


@pytest.fixture(scope="module")
def hostile(incident: Message) -> Message:
    outage = ComponentStatus.MAJOR_OUTAGE
    components = tuple(
        ComponentLine(f"c{n}", f"Component {n} <!here> & | > {'x' * 60}", outage, "Major outage")
        for n in range(40)
    )
    return replace(
        incident,
        title=f"Outage {INERT} " + "long title " * 40,
        body=long_body(),
        components=components,
        component_ids=tuple(c.id for c in components),
        actions=tuple(f"Rotate key {n} & <!channel> " + "now " * 100 for n in range(30)),
    )


def all_messages(english: list[Message], hostile: Message) -> list[Message]:
    return [*english, hostile]


def test_the_hostile_message_is_hostile(hostile: Message) -> None:
    assert len(hostile.body) == 20_000
    assert len(hostile.components) == 40
    assert INERT in hostile.body


# ---- the shared cut --------------------------------------------------------------------


def test_a_text_that_fits_is_left_as_written() -> None:
    assert cut("All systems go", 14) == "All systems go"


def test_a_long_text_is_cut_after_its_last_whole_word() -> None:
    assert cut("The database is recovering slowly", 20) == "The database is…"


def test_the_tail_says_where_the_rest_is_within_the_limit() -> None:
    shortened = cut("one two three four five six", 20, " (more)")
    assert shortened == "one two… (more)"
    assert len(shortened) <= 20


def test_a_single_long_word_is_cut_where_the_room_ends() -> None:
    assert cut("https://example.com/" + "a" * 50, 10) == "https://e…"


def test_a_limit_counted_after_escaping_is_met_without_breaking_an_entity() -> None:
    shortened = fit("& " * 100, lambda text: len(slack.escape(text)) <= 50)
    assert len(slack.escape(shortened)) <= 50
    assert shortened.endswith(ELLIPSIS)


@given(st.text(), st.integers(min_value=1, max_value=300), st.sampled_from(["", " → page"]))
def test_a_cut_is_never_longer_than_its_limit_and_starts_as_the_text(
    text: str, limit: int, tail: str
) -> None:
    shortened = cut(text, limit, tail)
    assert len(shortened) <= limit
    if shortened != text:
        kept = shortened.removesuffix(tail).removesuffix(ELLIPSIS)
        assert text.startswith(kept)


# ---- Slack ------------------------------------------------------------------------------

SLACK_BLOCKS = {"header", "section", "context", "actions"}


def slack_blocks(body: dict[str, Any]) -> list[dict[str, Any]]:
    """Every block Slack counts against its 50: the message's and its attachments'."""
    return [*body["blocks"], *(b for a in body.get("attachments", ()) for b in a["blocks"])]


def slack_texts(body: dict[str, Any]) -> list[dict[str, Any]]:
    """Every text object of the message, wherever it sits."""
    found = []
    for block in slack_blocks(body):
        found += [block["text"]] if "text" in block else []
        found += block.get("fields", [])
        found += [e for e in block.get("elements", ()) if e["type"] in ("mrkdwn", "plain_text")]
        found += [e["text"] for e in block.get("elements", ()) if e["type"] == "button"]
    return found


def slack_problems(body: dict[str, Any]) -> list[str]:
    """What Block Kit's reference forbids, as a list of complaints (empty: Slack accepts it)."""
    problems = []
    blocks = slack_blocks(body)
    if len(blocks) > 50:
        problems.append(f"{len(blocks)} blocks")
    for block in blocks:
        kind = block["type"]
        if kind not in SLACK_BLOCKS:
            problems.append(f"unknown block {kind}")
        if kind == "header" and (
            block["text"]["type"] != "plain_text" or len(block["text"]["text"]) > 150
        ):
            problems.append("header")
        if kind == "section":
            if "text" not in block and "fields" not in block:
                problems.append("empty section")
            if len(block.get("text", {}).get("text", "")) > 3000:
                problems.append("section text over 3000")
            fields = block.get("fields", [])
            if len(fields) > 10 or any(len(f["text"]) > 2000 for f in fields):
                problems.append("fields")
        if kind == "context" and not 1 <= len(block["elements"]) <= 10:
            problems.append("context elements")
        if kind == "actions":
            for button in block["elements"]:
                if len(button["text"]["text"]) > 75 or len(button["url"]) > 3000:
                    problems.append("button")
    for text in slack_texts(body):
        if text["type"] not in ("plain_text", "mrkdwn") or not text["text"]:
            problems.append(f"text object {text}")
    return problems


def mrkdwn(body: dict[str, Any]) -> list[str]:
    return [t["text"] for t in slack_texts(body) if t["type"] == "mrkdwn"]


def test_slack_gets_fallback_text_blocks_and_a_status_colour_bar(incident: Message) -> None:
    body = slack.payload(incident)
    assert body["text"] == incident.subject
    assert body["unfurl_links"] is False
    assert not body.get("link_names")  # a bare @channel stays text
    assert [b["type"] for b in body["blocks"]][:3] == ["header", "section", "section"]
    assert body["blocks"][0]["text"] == {"type": "plain_text", "text": incident.headline}
    assert body["attachments"] == [
        {
            "color": incident.color,
            "blocks": [
                {
                    "type": "context",
                    "elements": [{"type": "mrkdwn", "text": f"*Status:* {incident.status_label}"}],
                }
            ],
        }
    ]


def test_slack_links_the_title_to_the_update_and_offers_a_button(incident: Message) -> None:
    body = slack.payload(incident)
    assert body["blocks"][1]["text"]["text"] == f"*<{incident.url}|{incident.title}>*"
    (button,) = next(b for b in body["blocks"] if b["type"] == "actions")["elements"]
    assert button["text"]["text"] == "View on the status page"
    assert button["url"] == incident.url
    assert body["blocks"][-1]["elements"][0]["text"] == incident.words.footer


def test_slack_shows_status_severity_time_components_actions_and_next_update(
    incident: Message,
) -> None:
    body = slack.payload(incident)
    fields = [f["text"] for f in body["blocks"][2]["fields"]]
    assert fields == [
        f"*Status*\n{incident.status_label}",
        f"*Severity*\n{incident.severity_label}",
        incident.at_text,
    ]
    texts = mrkdwn(body)
    assert any(
        t.startswith("*Affected components*\n• ") and incident.components[0].name in t
        for t in texts
    )
    assert any(t.startswith("*What you need to do*\n• ") for t in texts)
    assert incident.next_update_text in texts


def test_slack_shows_a_maintenance_window_and_no_severity(maintenance: Message) -> None:
    body = slack.payload(maintenance)
    assert len(body["blocks"][2]["fields"]) == 2
    assert f"*Window:* {maintenance.window_text}" in mrkdwn(body)
    assert body["attachments"][0]["color"] == "#3498db"


def test_slack_gets_the_body_as_plain_text_as_written(incident: Message) -> None:
    body = slack.payload(incident)
    assert {"type": "plain_text", "text": incident.body} in slack_texts(body)


def test_every_example_message_is_a_valid_slack_message(
    english: list[Message], hostile: Message
) -> None:
    for message in all_messages(english, hostile):
        assert slack_problems(slack.payload(message)) == [], message.event.id


def test_slack_cuts_a_long_body_at_a_word_and_says_the_rest_is_on_the_page(
    hostile: Message,
) -> None:
    body = slack.payload(hostile)
    (shown,) = [t["text"] for t in slack_texts(body) if t["text"].startswith(INERT)]
    rest = f"…\n\nView on the status page: {hostile.url}"
    assert len(shown) <= 3000
    assert shown.endswith(rest)
    kept = shown.removesuffix(rest)
    assert hostile.body.startswith(kept)
    assert hostile.body[len(kept)] == " "  # the cut falls between two words


def test_slack_lists_40_components_in_one_section(hostile: Message) -> None:
    body = slack.payload(hostile)
    assert len(slack_blocks(body)) <= 11
    (listed,) = [t for t in mrkdwn(body) if t.startswith("*Affected components*")]
    assert len(listed) <= 3000
    assert listed.endswith(ELLIPSIS)


def test_what_authors_write_never_becomes_slack_markup(hostile: Message) -> None:
    body = slack.payload(hostile)
    plain = [t["text"] for t in slack_texts(body) if t["type"] == "plain_text"]
    assert any(text.startswith(INERT) for text in plain)  # the body: shown, never parsed
    for text in mrkdwn(body):
        assert "<!" not in text
        assert "<https://x|y>" not in text
        assert not re.search(r"&(?!amp;|lt;|gt;)", text), text  # no entity cut in two
    title = body["blocks"][1]["text"]["text"]
    assert title.startswith(f"*<{hostile.url}|Outage &lt;!channel&gt; &amp; &lt;https://x∣y&gt;")
    assert title.count("|") == 1  # the link's own separator, nothing from the title


# ---- Teams -------------------------------------------------------------------------------

_ENUM = {
    "color": ["Default", "Dark", "Light", "Accent", "Good", "Warning", "Attention"],
    "size": ["Default", "Small", "Medium", "Large", "ExtraLarge"],
    "weight": ["Default", "Lighter", "Bolder"],
    "spacing": ["Default", "None", "Small", "Medium", "Large", "ExtraLarge", "Padding"],
}
# The part of Adaptive Cards 1.4 (adaptivecards.io/explorer) these cards use, and the
# envelope of the Teams Workflows "post to a channel when a webhook request is received".
TEAMS_SCHEMA = {
    "type": "object",
    "required": ["type", "attachments"],
    "additionalProperties": False,
    "properties": {
        "type": {"const": "message"},
        "attachments": {
            "type": "array",
            "minItems": 1,
            "maxItems": 1,
            "items": {
                "type": "object",
                "additionalProperties": False,
                "required": ["contentType", "contentUrl", "content"],
                "properties": {
                    "contentType": {"const": "application/vnd.microsoft.card.adaptive"},
                    "contentUrl": {"type": "null"},
                    "content": {"$ref": "#/$defs/card"},
                },
            },
        },
    },
    "$defs": {
        "card": {
            "type": "object",
            "additionalProperties": False,
            "required": ["type", "version", "$schema", "body", "actions", "lang"],
            "properties": {
                "type": {"const": "AdaptiveCard"},
                "$schema": {"const": "http://adaptivecards.io/schemas/adaptive-card.json"},
                "version": {"const": "1.4"},
                "lang": {"type": "string", "minLength": 2},
                "rtl": {"type": "boolean"},
                "body": {
                    "type": "array",
                    "items": {
                        "oneOf": [{"$ref": "#/$defs/TextBlock"}, {"$ref": "#/$defs/FactSet"}]
                    },
                },
                "actions": {
                    "type": "array",
                    "items": {
                        "type": "object",
                        "additionalProperties": False,
                        "required": ["type", "title", "url"],
                        "properties": {
                            "type": {"const": "Action.OpenUrl"},
                            "title": {"type": "string", "minLength": 1},
                            "url": {"type": "string", "pattern": "^https?://"},
                        },
                    },
                },
            },
        },
        "TextBlock": {
            "type": "object",
            "additionalProperties": False,
            "required": ["type", "text"],
            "properties": {
                "type": {"const": "TextBlock"},
                "text": {"type": "string", "minLength": 1},
                "wrap": {"type": "boolean"},
                "isSubtle": {"type": "boolean"},
                "separator": {"type": "boolean"},
                **{name: {"enum": values} for name, values in _ENUM.items()},
            },
        },
        "FactSet": {
            "type": "object",
            "additionalProperties": False,
            "required": ["type", "facts"],
            "properties": {
                "type": {"const": "FactSet"},
                "facts": {
                    "type": "array",
                    "minItems": 1,
                    "items": {
                        "type": "object",
                        "additionalProperties": False,
                        "required": ["title", "value"],
                        "properties": {"title": {"type": "string"}, "value": {"type": "string"}},
                    },
                },
            },
        },
    },
}


def card(body: dict[str, Any]) -> dict[str, Any]:
    content: dict[str, Any] = body["attachments"][0]["content"]
    return content


def texts(body: dict[str, Any]) -> list[str]:
    return [e["text"] for e in card(body)["body"] if e["type"] == "TextBlock"]


def facts(body: dict[str, Any]) -> list[tuple[str, str]]:
    return [
        (f["title"], f["value"])
        for e in card(body)["body"]
        if e["type"] == "FactSet"
        for f in e["facts"]
    ]


def test_every_example_message_is_a_valid_teams_card(
    english: list[Message], arabic: list[Message], hostile: Message
) -> None:
    for message in [*all_messages(english, hostile), *arabic]:
        body = teams.payload(message)
        jsonschema.validate(body, TEAMS_SCHEMA)
        assert all(e["wrap"] for e in card(body)["body"] if e["type"] == "TextBlock")
        assert len(json.dumps(body).encode()) <= 28_000, message.event.id


def test_teams_card_says_what_happened_with_its_facts(incident: Message) -> None:
    body = teams.payload(incident)
    headline = card(body)["body"][0]
    assert headline["text"] == incident.headline
    assert (headline["size"], headline["weight"]) == ("Large", "Bolder")
    assert texts(body)[1:3] == [incident.title, incident.at_text]
    assert facts(body)[:2] == [
        ("Status", incident.status_label),
        ("Severity", incident.severity_label),
    ]
    assert [(c.name, c.label) for c in incident.components] == facts(body)[2:]
    assert incident.body.strip() in texts(body)  # as written: a Markdown subset renders
    assert "\n".join(f"- {a}" for a in incident.actions) in texts(body)
    assert incident.next_update_text in texts(body)
    assert card(body)["actions"] == [
        {"type": "Action.OpenUrl", "title": "View on the status page", "url": incident.url}
    ]
    assert card(body)["lang"] == "en"
    assert "rtl" not in card(body)


def test_teams_card_shows_a_maintenance_window(maintenance: Message) -> None:
    body = teams.payload(maintenance)
    assert [title for title, _ in facts(body)][:2] == ["Status", maintenance.components[0].name]
    assert f"Window: {maintenance.window_text}" in texts(body)


@pytest.mark.parametrize(
    ("color", "expected"),
    [
        (COLORS[ComponentStatus.MAJOR_OUTAGE], "Attention"),
        (COLORS[ComponentStatus.PARTIAL_OUTAGE], "Warning"),
        (COLORS[ComponentStatus.DEGRADED_PERFORMANCE], "Warning"),
        (COLORS[ComponentStatus.OPERATIONAL], "Good"),
        (COLORS[ComponentStatus.UNDER_MAINTENANCE], "Accent"),
        (CANCELLED_COLOR, "Default"),
    ],
)
def test_teams_headline_takes_the_colour_of_the_status(
    incident: Message, color: str, expected: str
) -> None:
    assert card(teams.payload(replace(incident, color=color)))["body"][0]["color"] == expected


def test_teams_card_reads_right_to_left_in_arabic(arabic: list[Message]) -> None:
    message = arabic[-1]
    assert message.direction == "rtl"
    content = card(teams.payload(message))
    assert content["rtl"] is True
    assert content["lang"] == "ar"
    assert ("الحالة", message.status_label) in facts(teams.payload(message))


def test_teams_cuts_a_long_body_to_stay_under_28_kb(hostile: Message) -> None:
    body = teams.payload(hostile)
    assert len(json.dumps(body).encode()) <= 28_000
    (shown,) = [t for t in texts(body) if t.startswith(INERT)]
    rest = f"…\n\n[View on the status page]({hostile.url})"
    assert shown.endswith(rest)
    kept = shown.removesuffix(rest)
    assert hostile.body.startswith(kept)
    assert hostile.body[len(kept)] == " "
    assert len(kept) > 5000  # cut to the room left, not to some small fixed length


def test_a_body_that_fits_in_teams_is_sent_whole(hostile: Message) -> None:
    body = teams.payload(replace(hostile, body=INERT))
    assert INERT in texts(body)


# ---- Discord -----------------------------------------------------------------------------

EMBED_KEYS = {"title", "url", "description", "color", "fields", "timestamp", "footer"}


def embed_total(embed: dict[str, Any]) -> int:
    return (
        len(embed["title"])
        + len(embed.get("description", ""))
        + sum(len(f["name"]) + len(f["value"]) for f in embed["fields"])
        + len(embed["footer"]["text"])
    )


def discord_problems(body: dict[str, Any]) -> list[str]:
    """What Discord's embed limits forbid (empty: Discord accepts it)."""
    (embed,) = body["embeds"]
    problems = []
    if set(embed) - EMBED_KEYS:
        problems.append(f"unknown keys {set(embed) - EMBED_KEYS}")
    if not 0 < len(embed["title"]) <= 256:
        problems.append("title")
    if len(embed.get("description", "")) > 4096:
        problems.append("description")
    if len(embed["fields"]) > 25:
        problems.append("fields")
    for field in embed["fields"]:
        if not 0 < len(field["name"]) <= 256 or not 0 < len(field["value"].strip()) <= 1024:
            problems.append(f"field {field['name'][:20]}")
    if len(embed["footer"]["text"]) > 2048:
        problems.append("footer")
    if embed_total(embed) > 6000:
        problems.append(f"{embed_total(embed)} characters in all")
    return problems


def test_discord_gets_one_embed_that_pings_no_one(incident: Message) -> None:
    body = discord.payload(incident)
    assert body["content"] == ""
    assert body["allowed_mentions"] == {"parse": []}
    (embed,) = body["embeds"]
    assert embed["title"] == f"{incident.headline}: {incident.title}"
    assert embed["url"] == incident.url
    assert embed["description"] == incident.body.strip()
    assert embed["footer"] == {"text": incident.words.footer}


def test_discord_embed_is_coloured_and_dated_in_utc(incident: Message) -> None:
    (embed,) = discord.payload(incident)["embeds"]
    assert embed["color"] == int(incident.color[1:], 16)
    when = datetime.fromisoformat(embed["timestamp"])
    assert when.utcoffset() is not None
    assert when.utcoffset().total_seconds() == 0  # type: ignore[union-attr]
    assert when == incident.at.astimezone(UTC)


def test_discord_fields_carry_status_severity_components_and_actions(incident: Message) -> None:
    (embed,) = discord.payload(incident)["embeds"]
    fields = {f["name"]: f["value"] for f in embed["fields"]}
    assert fields["Status"] == f"{incident.status_label}\n{incident.next_update_text}"
    assert fields["Severity"] == incident.severity_label
    assert incident.components[0].name in fields["Affected components"]
    assert fields["What you need to do"].startswith("- ")


def test_discord_shows_a_maintenance_window(maintenance: Message) -> None:
    (embed,) = discord.payload(maintenance)["embeds"]
    fields = {f["name"]: f["value"] for f in embed["fields"]}
    assert fields["Window"] == maintenance.window_text
    assert "Severity" not in fields
    assert embed["color"] == 0x3498DB


def test_every_example_message_is_a_valid_discord_embed(
    english: list[Message], arabic: list[Message], hostile: Message
) -> None:
    for message in [*all_messages(english, hostile), *arabic]:
        assert discord_problems(discord.payload(message)) == [], message.event.id


def test_discord_gives_a_long_body_the_room_left_and_points_to_the_page(
    hostile: Message,
) -> None:
    (embed,) = discord.payload(hostile)["embeds"]
    rest = f"…\n\n[View on the status page]({hostile.url})"
    assert embed["description"].endswith(rest)
    kept = embed["description"].removesuffix(rest)
    assert hostile.body.startswith(kept)
    assert hostile.body[len(kept)] == " "
    assert embed_total(embed) > 5900  # all the room there is, not less


def test_discord_fields_are_cut_when_they_alone_would_fill_the_embed(hostile: Message) -> None:
    long_words = replace(
        hostile.words, **{k: k * 300 for k in ("status", "severity", "affected", "actions")}
    )
    wide = replace(
        hostile,
        status_label="s " * 1000,
        severity_label="v " * 1000,
        actions=tuple("x" * 2000 for _ in range(5)),
        window_text="y " * 1000,
        words=replace(long_words, window="window" * 50, footer="f " * 1000),
    )
    body = discord.payload(wide)
    assert discord_problems(body) == []
    assert body["allowed_mentions"] == {"parse": []}


def test_a_body_full_of_mentions_is_posted_but_pings_no_one(incident: Message) -> None:
    body = discord.payload(replace(incident, body=f"{MENTIONS} {INERT}"))
    assert body["embeds"][0]["description"] == f"{MENTIONS} {INERT}"
    assert body["allowed_mentions"] == {"parse": []}  # no users, roles or everyone


# ---- all three ---------------------------------------------------------------------------


@pytest.mark.parametrize("channel", [slack, teams, discord])
def test_a_payload_is_plain_json(channel: Any, english: list[Message], hostile: Message) -> None:
    for message in all_messages(english, hostile):
        body = channel.payload(message)
        assert json.loads(json.dumps(body)) == body
