"""The latest build outcome, shared between the rebuild thread and the SSE clients."""

from __future__ import annotations

import threading
from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class Event:
    generation: int  # increases by one per published event
    name: str  # "reload" or "error"
    data: str

    def encode(self) -> bytes:
        """One server-sent event; every line of the data becomes its own `data:` line."""
        lines = [f"event: {self.name}", f"id: {self.generation}"]
        lines += [f"data: {line}" for line in (self.data.splitlines() or [""])]
        return ("\n".join(lines) + "\n\n").encode("utf-8")


class EventHub:
    """Publish an event; wake every client waiting for one newer than it has seen.

    Only the latest event is kept: a page needs the current state (reload, or the errors
    to show), not the history of saves it slept through.
    """

    def __init__(self) -> None:
        self._condition = threading.Condition()
        self._latest: Event | None = None
        self._closed = False

    @property
    def latest(self) -> Event | None:
        with self._condition:
            return self._latest

    @property
    def closed(self) -> bool:
        with self._condition:
            return self._closed

    def publish(self, name: str, data: str = "") -> Event:
        with self._condition:
            generation = self._latest.generation + 1 if self._latest else 1
            self._latest = Event(generation, name, data)
            self._condition.notify_all()
            return self._latest

    def wait(self, after: int, timeout: float) -> Event | None:
        """The latest event if newer than generation `after`, waiting up to `timeout` seconds."""
        with self._condition:
            self._condition.wait_for(
                lambda: (
                    self._closed or (self._latest is not None and self._latest.generation > after)
                ),
                timeout,
            )
            if self._latest is not None and self._latest.generation > after:
                return self._latest
            return None

    def close(self) -> None:
        """Release every waiting client (the server is stopping)."""
        with self._condition:
            self._closed = True
            self._condition.notify_all()
