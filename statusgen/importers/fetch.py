"""Reading a live page's API for `statusgen import statuspage https://…`."""

from __future__ import annotations

from statusgen.importers import ImportFailed
from statusgen.web import Policy, RequestFailed, get, new_pool


def fetch(url: str) -> bytes:
    """The body of a GET, with the shared retry policy; ImportFailed when it is not a 200."""
    try:
        status, data = get(new_pool(), url, Policy.reading())
    except RequestFailed as failed:
        raise ImportFailed(f"{url}: could not be read ({failed})") from None
    if status != 200:
        raise ImportFailed(f"{url} answered {status}")
    return data
