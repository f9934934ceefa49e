"""Reading a live page's API for `statusgen import statuspage https://…`."""

from __future__ import annotations

import urllib3
from urllib3.exceptions import HTTPError
from urllib3.util import Retry, Timeout

from statusgen import __version__
from statusgen.importers import ImportFailed


def fetch(url: str) -> bytes:
    """The body of a GET, retried on 429/5xx and lost connections; ImportFailed otherwise."""
    retry = Retry(total=3, backoff_factor=0.5, status_forcelist={429, 500, 502, 503, 504})
    try:
        response = urllib3.request(
            "GET",
            url,
            headers={"User-Agent": f"statusgen/{__version__} (+import)"},
            retries=retry,
            timeout=Timeout(connect=10, read=30),
        )
    except HTTPError as error:
        raise ImportFailed(f"{url}: could not be read ({type(error).__name__})") from None
    if response.status != 200:
        raise ImportFailed(f"{url} answered {response.status}")
    return response.data
