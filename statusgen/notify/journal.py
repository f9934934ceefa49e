"""What each channel has received, kept between runs so that nothing is sent twice.

Delivery is at least once by nature (a message can arrive and the process die before it
learns so); the journal makes the window one message wide. Before sending, the plan is
written down as owed; after each delivery, the event moves to delivered; the file is
replaced atomically each time. A rerun after a kill, or the next deploy after a channel
failed, sends what is still owed and nothing delivered. Receivers deduplicate the rest by
the event id (docs/notifications.md).
"""

from __future__ import annotations

import json
import os
import threading
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

VERSION = 1


@dataclass
class Journal:
    """Mutable, shared by the channels' threads: every change takes the lock and is saved."""

    path: Path | None  # None: kept in memory only (--no-journal, --dry-run)
    delivered: dict[str, set[str]] = field(default_factory=dict)
    owed: dict[str, list[str]] = field(default_factory=dict)
    _lock: threading.Lock = field(default_factory=threading.Lock, repr=False)

    @classmethod
    def load(cls, path: Path | None) -> tuple[Journal, str | None]:
        """The journal at `path` (empty when there is none); a warning when it was unreadable
        (then everything planned is sent, and receivers deduplicate)."""
        journal = cls(path)
        if path is None or not path.exists():
            return journal, None
        try:
            document: Any = json.loads(path.read_text(encoding="utf-8"))
            for name, record in document["channels"].items():
                journal.delivered[name] = set(record.get("delivered", []))
                journal.owed[name] = list(record.get("owed", []))
        except (OSError, ValueError, KeyError, TypeError, AttributeError) as error:
            return cls(
                path
            ), f"the delivery journal {path} is unreadable ({error}); starting afresh"
        return journal, None

    def was_delivered(self, channel: str, event_id: str) -> bool:
        return event_id in self.delivered.get(channel, set())

    def owes(self, channel: str) -> list[str]:
        return list(self.owed.get(channel, []))

    def plan(self, channel: str, event_ids: Iterable[str]) -> None:
        with self._lock:
            self.owed[channel] = list(dict.fromkeys(event_ids))
            self._save()

    def record(self, channel: str, event_id: str) -> None:
        with self._lock:
            self.delivered.setdefault(channel, set()).add(event_id)
            self.owed[channel] = [i for i in self.owed.get(channel, []) if i != event_id]
            self._save()

    def keep_only(self, event_ids: set[str], channels: set[str]) -> None:
        """Forget events the site no longer has and channels site.yml no longer lists."""
        with self._lock:
            self.delivered = {
                c: ids & event_ids for c, ids in self.delivered.items() if c in channels
            }
            self.owed = {
                c: [i for i in ids if i in event_ids]
                for c, ids in self.owed.items()
                if c in channels
            }

    def _save(self) -> None:
        if self.path is None:
            return
        document = {
            "version": VERSION,
            "channels": {
                name: {
                    "delivered": sorted(self.delivered.get(name, set())),
                    "owed": self.owed.get(name, []),
                }
                for name in sorted(set(self.delivered) | set(self.owed))
            },
        }
        self.path.parent.mkdir(parents=True, exist_ok=True)
        temporary = self.path.with_name(f".{self.path.name}.{os.getpid()}.tmp")
        temporary.write_text(json.dumps(document, indent=1) + "\n", encoding="utf-8")
        os.replace(temporary, self.path)
