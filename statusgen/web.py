"""HTTP for the commands that talk to other hosts (notify's receivers and the previous site,
import's live page): one connection pool, timeouts, retries that respect the receiver.

urllib3 does the retrying (its `Retry` backs off exponentially, honours `Retry-After` on 429
and 503 up to a cap, and retries connection failures and read timeouts); this module only
chooses the policy and turns what went wrong into a sentence that never shows the URL, whose
path is the secret of a Slack, Teams or Discord webhook.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import timedelta
from urllib.parse import urlsplit

import urllib3
from urllib3 import BaseHTTPResponse
from urllib3.exceptions import (
    ConnectTimeoutError,
    HTTPError,
    MaxRetryError,
    NewConnectionError,
    ProtocolError,
    ReadTimeoutError,
    SSLError,
)
from urllib3.util import Retry, Timeout

from statusgen import __version__

# Worth another attempt: rate limited, or the receiver is having a bad moment.
RETRY_STATUSES = frozenset({408, 425, 429, 500, 502, 503, 504})
BACKOFF_FACTOR = 0.5  # 0 s, then 1 s, 2 s, 4 s … between attempts
BACKOFF_MAX = 30.0
RETRY_AFTER_MAX = 60  # a receiver asking for longer is answered by the next deploy
USER_AGENT = f"statusgen/{__version__}"


class RequestFailed(Exception):
    """Why a request got no usable answer, fit to print: the host, never the URL."""


@dataclass(frozen=True, slots=True)
class Policy:
    timeout: timedelta
    retries: int

    @classmethod
    def reading(cls) -> Policy:
        """For reading another site (the previous deploy's events, a page's API): a CDN may
        stumble once, not for long."""
        return cls(timedelta(seconds=15), 2)

    def retry(self) -> Retry:
        return Retry(
            total=self.retries,
            connect=self.retries,
            read=self.retries,
            status=self.retries,
            other=0,
            redirect=False,  # a webhook that redirects a POST is misconfigured: say so
            allowed_methods=None,  # POST too: receivers deduplicate by the event id
            status_forcelist=RETRY_STATUSES,
            backoff_factor=BACKOFF_FACTOR,
            backoff_max=BACKOFF_MAX,
            respect_retry_after_header=True,
            retry_after_max=RETRY_AFTER_MAX,
            raise_on_status=False,
            raise_on_redirect=False,
        )

    def timeouts(self) -> Timeout:
        seconds = self.timeout.total_seconds()
        return Timeout(connect=seconds, read=seconds)


def new_pool() -> urllib3.PoolManager:
    """One pool per `notify` run, shared by the channels' threads (urllib3 pools are)."""
    return urllib3.PoolManager(num_pools=8, maxsize=4, block=False)


def host_of(url: str) -> str:
    """What may be shown of a URL: its host (a webhook's path and query are its secret)."""
    try:
        return urlsplit(url).hostname or "?"
    except ValueError:
        return "?"


def request(
    pool: urllib3.PoolManager,
    method: str,
    url: str,
    policy: Policy,
    headers: Mapping[str, str],
    body: bytes | None = None,
) -> BaseHTTPResponse:
    """The answer after the policy's retries; RequestFailed when none came."""
    host = host_of(url)
    if urlsplit(url).scheme not in ("http", "https"):
        raise RequestFailed("the URL is not an http(s) address")
    try:
        return pool.request(
            method,
            url,
            body=body,
            headers={"User-Agent": USER_AGENT, **headers},
            retries=policy.retry(),
            timeout=policy.timeouts(),
        )
    except MaxRetryError as gave_up:
        raise RequestFailed(
            f"{host}: {_reason(gave_up.reason)} after {policy.retries + 1} attempts"
        ) from None
    except (HTTPError, ValueError) as error:
        raise RequestFailed(f"{host}: {_reason(error)}") from None


def post(
    pool: urllib3.PoolManager,
    url: str,
    body: bytes,
    headers: Mapping[str, str],
    policy: Policy,
) -> int:
    """POST `body`; the final status when it is 2xx, else RequestFailed."""
    response = request(pool, "POST", url, policy, headers, body)
    status = response.status
    if 200 <= status < 300:
        return status
    attempts = len(response.retries.history) + 1 if response.retries else 1
    raise RequestFailed(
        f"{host_of(url)} answered {status} {response.reason or ''}".rstrip()
        + (f" ({attempts} attempts)" if attempts > 1 else "")
    )


def get(pool: urllib3.PoolManager, url: str, policy: Policy) -> tuple[int, bytes]:
    """GET `url` (never from a cache on the way); RequestFailed when no answer comes."""
    response = request(pool, "GET", url, policy, {"Cache-Control": "no-cache"})
    return response.status, response.data


def _reason(error: BaseException | None) -> str:
    """A sentence for what urllib3 raised; its own messages hold the URL."""
    if isinstance(error, ReadTimeoutError):
        return "no answer in time"
    if isinstance(error, ConnectTimeoutError):
        return "could not connect in time"
    if isinstance(error, NewConnectionError):
        return "could not connect"
    if isinstance(error, SSLError):
        return "TLS failed (certificate or protocol)"
    if isinstance(error, ProtocolError):
        return "the connection broke"
    if isinstance(error, MaxRetryError) or error is None:
        return "too many retries"
    if "redirect" in type(error).__name__.lower():
        return "redirected elsewhere (a webhook URL must be the final address)"
    return type(error).__name__
