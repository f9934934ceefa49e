"""Moments relative to "now", as the on-call commands print them: never a negative duration.

A moment in the past is "… ago", one in the future "in …"; a promise that has passed is
"overdue by …". `short_duration` gives the magnitude; the words carry the direction.
"""

from __future__ import annotations

from datetime import datetime

from statusgen.cli.options import short_duration


def age(moment: datetime, now: datetime) -> str:
    """`5 min ago` for a past moment, `in 5 min` for a future one (a clock or offset mistake)."""
    if moment > now:
        return f"in {short_duration(moment - now)}"
    return f"{short_duration(now - moment)} ago"


def due(moment: datetime, now: datetime) -> str:
    """`in 5 min` while a promise holds, `overdue by 5 min` once it has passed."""
    if moment < now:
        return f"overdue by {short_duration(now - moment)}"
    return f"in {short_duration(moment - now)}"
