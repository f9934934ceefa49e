"""What the previously deployed site already told: the ids of its `/api/events.json`.

The previous site is a folder (a copy saved before the deploy replaced it, as the Netlify
plugin does) or the live site's root URL, read before the new deploy replaces it. No events
file means a first deploy (or a site built before statusgen published one): nothing is sent,
rather than the whole history. Anything else that stops the file being read is an error: it
is not safe to guess what readers already know.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from statusgen.web import Policy, RequestFailed, get, new_pool

EVENTS_PATH = "api/events.json"


class Unreadable(Exception):
    """The previous site could not be read: its message says where and why."""


@dataclass(frozen=True, slots=True)
class Previous:
    where: str  # the file or URL read, for messages
    ids: frozenset[str] | None  # None: no events file there (a first deploy)


def is_url(site: str) -> bool:
    return site.startswith(("http://", "https://"))


def previous_events(site: str, policy: Policy) -> Previous:
    if is_url(site):
        url = site.rstrip("/") + "/" + EVENTS_PATH
        try:
            status, data = get(new_pool(), url, policy)
        except RequestFailed as failed:
            raise Unreadable(f"{url}: {failed}") from None
        if status in (404, 410):
            return Previous(url, None)
        if status != 200:
            raise Unreadable(f"{url} answered {status}")
        return Previous(url, _ids(data, url))
    folder = Path(site)
    if not folder.is_dir():
        raise Unreadable(f"{site}: no such folder")
    path = folder / EVENTS_PATH
    if not path.is_file():
        return Previous(str(path), None)
    try:
        data = path.read_bytes()
    except OSError as error:
        raise Unreadable(f"{path}: {error.strerror or error}") from None
    return Previous(str(path), _ids(data, str(path)))


def _ids(data: bytes, where: str) -> frozenset[str]:
    try:
        document: Any = json.loads(data)
    except (UnicodeDecodeError, json.JSONDecodeError) as error:
        raise Unreadable(f"{where} is not JSON ({error})") from None
    events = document.get("events") if isinstance(document, dict) else None
    if not isinstance(events, list) or not all(
        isinstance(e, dict) and isinstance(e.get("id"), str) for e in events
    ):
        raise Unreadable(f'{where} is not an events file: no "events" list of objects with an "id"')
    return frozenset(e["id"] for e in events)
