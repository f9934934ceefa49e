"""What every channel shares: how a failure is told, and where secrets come from."""

from __future__ import annotations

from collections.abc import Mapping


class DeliveryFailed(Exception):
    """Why a message did not get through, fit to print: it never holds a secret (a webhook
    URL's path, a password), only the host, the variable's name and what went wrong."""


def environment_value(env: Mapping[str, str], name: str | None, what: str) -> str:
    """A secret from the environment (never from site.yml, which is published), or
    DeliveryFailed naming the variable."""
    value = env.get(name or "", "").strip()
    if not name or not value:
        raise DeliveryFailed(
            f"environment variable {name} is not set (it holds the {what}); set it in the "
            "CI's or Netlify's environment"
        )
    return value
