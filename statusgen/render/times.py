"""How times and durations read on the page: site timezone, with abbreviation and offset."""

from __future__ import annotations

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo


def offset_text(moment: datetime) -> str:
    """'UTC+01:00' from an aware datetime."""
    offset = moment.utcoffset() or timedelta()
    sign = "-" if offset < timedelta() else "+"
    minutes = abs(int(offset.total_seconds())) // 60
    return f"UTC{sign}{minutes // 60:02d}:{minutes % 60:02d}"


def local(moment: datetime, zone: ZoneInfo) -> datetime:
    return moment.astimezone(zone)


# English month abbreviations, as strftime's %b gives them in the C locale, without its cost
# (a page shows dozens of times).
MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")


def format_time(moment: datetime, zone: ZoneInfo, with_date: bool = True) -> str:
    """'23 Nov 2026, 14:15 CET' — the abbreviation tells a reader which clock it is."""
    there = moment.astimezone(zone)
    clock = f"{there.hour:02d}:{there.minute:02d} {there.tzname()}"
    return f"{there.day} {MONTHS[there.month - 1]} {there.year}, {clock}" if with_date else clock


def format_date(moment: datetime, zone: ZoneInfo) -> str:
    there = moment.astimezone(zone)
    return f"{there.day} {MONTHS[there.month - 1]} {there.year}"


def iso(moment: datetime) -> str:
    return moment.isoformat(timespec="seconds")


def format_duration(span: timedelta) -> str:
    """'2 h 05 min', '45 min', '3 d 4 h' — short and unambiguous; under a minute is '< 1 min'."""
    minutes = int(span.total_seconds()) // 60
    if minutes < 1:
        return "< 1 min"
    days, rest = divmod(minutes, 1440)
    hours, mins = divmod(rest, 60)
    if days:
        return f"{days} d {hours} h" if hours else f"{days} d"
    if hours:
        return f"{hours} h {mins:02d} min" if mins else f"{hours} h"
    return f"{mins} min"


def format_short_duration(span: timedelta) -> str:
    """Recovery objectives: '0 s', '30 s', '1 min', '4 h', '1 d'."""
    seconds = int(span.total_seconds())
    for size, unit in ((86400, "d"), (3600, "h"), (60, "min")):
        if seconds and seconds % size == 0:
            return f"{seconds // size} {unit}"
    if seconds >= 60:
        return format_duration(span)
    return f"{seconds} s"
