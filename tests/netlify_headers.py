"""The headers Netlify sends for a path, read from netlify.toml with Netlify's matching rules:
`:name` matches one path segment, `*` alone matches the rest, `*` inside a segment matches
any text; when several rules match, a later rule's value for a header wins."""

from __future__ import annotations

import re
import tomllib

from conftest import ROOT


def _pattern(rule: str) -> re.Pattern[str]:
    parts = []
    for part in (p for p in rule.split("/") if p):
        if part.startswith(":"):
            parts.append("([^/]+)")
        elif part == "*":
            parts.append("?(.*)")
        else:
            parts.append(".*".join(re.escape(piece) for piece in part.split("*")))
    return re.compile("^/" + "/".join(parts) + "/?$", re.IGNORECASE)


def headers_for(path: str) -> dict[str, str]:
    config = tomllib.loads((ROOT / "netlify.toml").read_text())
    headers: dict[str, str] = {}
    for rule in config.get("headers", []):
        if _pattern(rule["for"]).match(path):
            headers.update(rule["values"])
    return headers
