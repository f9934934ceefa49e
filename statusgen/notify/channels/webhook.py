"""The generic webhook: a Statuspage-style body, signed so the receiver knows it is ours.

The body is what Statuspage's own webhooks send (`page`, then `incident` or
`scheduled_maintenance` as /api/v2/ publishes it), with `meta` naming the event, so a
receiver written for Statuspage reads it. With `secret_env` set, `X-Statusgen-Signature`
is `sha256=` and the hex HMAC-SHA256 of the exact bytes posted, keyed with that secret.
"""

from __future__ import annotations

import hashlib
import hmac
from typing import Any

from statusgen.notify.message import Message

SIGNATURE_HEADER = "X-Statusgen-Signature"


def payload(message: Message) -> dict[str, Any]:
    return {
        "meta": {
            "event_id": message.event.id,
            "event_type": message.event.type,
            "occurred_at": message.event.at.isoformat(timespec="seconds"),
        },
        "page": message.page,
        message.api_key: message.api_object,
    }


def signature(body: bytes, secret: str) -> str:
    """The header's value: receivers compute the same and compare in constant time."""
    return "sha256=" + hmac.new(secret.encode("utf-8"), body, hashlib.sha256).hexdigest()
