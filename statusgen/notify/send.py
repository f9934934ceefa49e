"""Which channel gets which event, and the delivery itself.

Each channel gets, oldest first, the events the new build has and the previous deploy lacked,
plus what an earlier run still owes it, minus what it already received (the journal), minus
what its filters leave out. Channels are served side by side, one thread each: a receiver
that never answers costs its own channel its timeouts, not the others their messages. Within
a channel, order matters (created before resolved), so a failure stops that channel; what is
left stays owed for the next run.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass

from statusgen.derive.events import Event
from statusgen.model import NotifyChannel
from statusgen.notify.channels import Channel
from statusgen.notify.delivery import DeliveryFailed
from statusgen.notify.journal import Journal
from statusgen.notify.message import Message


def matches(config: NotifyChannel, message: Message) -> bool:
    """The channel's filters: a component named (when it names some) and, for incidents, a
    severity named (when it names some); maintenance passes the severity filter."""
    if config.components and not set(config.components) & set(message.component_ids):
        return False
    return not (
        config.severities
        and message.severity is not None
        and message.severity not in config.severities
    )


def new_events(events: Sequence[Event], previous: frozenset[str]) -> list[Event]:
    """The events of the new build that the previous deploy did not have, oldest first."""
    return [event for event in events if event.id not in previous]


def planned(
    config: NotifyChannel,
    events: Sequence[Event],
    previous: frozenset[str],
    journal: Journal,
) -> list[str]:
    """The ids this channel is to receive, oldest first (before filters)."""
    owed = set(journal.owes(config.name))
    return [
        event.id
        for event in events
        if (event.id not in previous or event.id in owed)
        and not journal.was_delivered(config.name, event.id)
    ]


def plans(
    channels: Sequence[NotifyChannel],
    events: Sequence[Event],
    previous: frozenset[str],
    journal: Journal,
    told: Callable[[list[Event]], list[Message]],
) -> dict[str, list[Message]]:
    """Each channel's messages, oldest first; `told` makes the messages, each event once."""
    ids = {c.name: planned(c, events, previous, journal) for c in channels}
    wanted = set().union(*ids.values())
    made = {m.event.id: m for m in told([e for e in events if e.id in wanted])}
    return {c.name: [made[i] for i in ids[c.name] if matches(c, made[i])] for c in channels}


@dataclass(frozen=True, slots=True)
class Outcome:
    channel: str
    sent: tuple[str, ...]  # event ids, in order
    failure: str | None = None  # why the channel stopped
    left: int = 0  # events still owed to it after the failure

    @property
    def ok(self) -> bool:
        return self.failure is None


Progress = Callable[[str, Message], None]


def deliver(
    channels: Sequence[Channel],
    plan: dict[str, list[Message]],
    journal: Journal,
    on_sent: Progress = lambda _channel, _message: None,
) -> list[Outcome]:
    """Send every channel its messages, side by side; an outcome per channel, in order."""

    def serve(channel: Channel) -> Outcome:
        name = channel.config.name
        messages = plan.get(name, [])
        sent: list[str] = []
        for index, message in enumerate(messages):
            try:
                channel.send(message)
            except DeliveryFailed as failed:
                return Outcome(name, tuple(sent), str(failed), len(messages) - index)
            journal.record(name, message.event.id)
            sent.append(message.event.id)
            on_sent(name, message)
        return Outcome(name, tuple(sent))

    busy = [c for c in channels if plan.get(c.config.name)]
    if not busy:
        return []
    with ThreadPoolExecutor(max_workers=len(busy), thread_name_prefix="notify") as pool:
        return list(pool.map(serve, busy))
