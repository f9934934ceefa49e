"""/.well-known/security.txt (RFC 9116) from `security:` in site.yml."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from statusgen.model import Site

# RFC 9116 §2.5.5: Expires should be less than a year ahead; the file is refreshed with
# every build, so half a year keeps it fresh without risking a stale one.
VALIDITY = timedelta(days=180)


def security_txt(site: Site, now: datetime) -> str | None:
    security = site.security
    if security is None:
        return None
    expires = (now + VALIDITY).astimezone(UTC).replace(microsecond=0)
    lines = [
        f"Contact: {security.contact}",
        f"Expires: {expires.isoformat().replace('+00:00', 'Z')}",
    ]
    if security.policy:
        lines.append(f"Policy: {security.policy}")
    lines.append(f"Preferred-Languages: {site.language}")
    lines.append(f"Canonical: {site.url}/.well-known/security.txt")
    return "\n".join(lines) + "\n"
