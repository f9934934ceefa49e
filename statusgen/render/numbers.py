"""Numbers as pages print them."""

from __future__ import annotations

# A no-break space keeps "99.96 %" on one line: a phone must never show "99.96" and "%"
# on two (U+00A0 rather than the narrow U+202F, which some fonts still lack).
NBSP = "\u00a0"


def percent(number: str) -> str:
    """'99.96' → '99.96 %' with a no-break space, so the sign never wraps alone."""
    return f"{number}{NBSP}%"
