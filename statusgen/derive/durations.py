"""The one way statusgen words a length of time, for pages, post-mortems, lint and the terminal.

It lives below `render` and `cli` so that every layer that writes a duration uses it: a
review that says "0 min" where the incident page says "< 1 min" reads like two clocks.
"""

from __future__ import annotations

from datetime import timedelta

UNDER_A_MINUTE = "< 1 min"


def duration_text(span: timedelta) -> str:
    """'2 h 05 min', '45 min', '3 d 4 h'; under a minute (or negative) is '< 1 min'.

    Truncated to the minute, never rounded up: an outage of 59 s is not "1 min".
    """
    minutes = int(span.total_seconds()) // 60
    if minutes < 1:
        return UNDER_A_MINUTE
    days, rest = divmod(minutes, 1440)
    hours, mins = divmod(rest, 60)
    if days:
        return f"{days} d {hours} h" if hours else f"{days} d"
    if hours:
        return f"{hours} h {mins:02d} min" if mins else f"{hours} h"
    return f"{mins} min"
