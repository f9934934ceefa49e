"""How times and durations read on the page: site timezone, with abbreviation and offset."""

from __future__ import annotations

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from statusgen.derive.durations import duration_text


def offset_text(moment: datetime) -> str:
    """'UTC+01:00' from an aware datetime."""
    offset = moment.utcoffset() or timedelta()
    sign = "-" if offset < timedelta() else "+"
    minutes = abs(int(offset.total_seconds())) // 60
    return f"UTC{sign}{minutes // 60:02d}:{minutes % 60:02d}"


def zone_names(zone: ZoneInfo, moment: datetime) -> str:
    """'60=CET 120=CEST': the zone's abbreviations in the year of `moment`, by UTC offset in minutes.

    The page's script names a time in the site's zone as the build does ("CET"), where the
    browser's Intl would say "GMT+1". The first of each month catches every DST period.
    """
    year = moment.astimezone(zone).year
    names: dict[int, str] = {}
    for month in range(1, 13):
        there = datetime(year, month, 1, 12, tzinfo=zone)
        offset = there.utcoffset() or timedelta()
        names.setdefault(int(offset.total_seconds()) // 60, there.tzname() or offset_text(there))
    return " ".join(f"{minutes}={name}" for minutes, name in sorted(names.items()))


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
    """'2 h 05 min', '45 min', '3 d 4 h'; under a minute '< 1 min' (see derive.durations)."""
    return duration_text(span)


def format_short_duration(span: timedelta) -> str:
    """Recovery objectives: '0 s', '30 s', '1 min', '4 h', '1 d'."""
    seconds = int(span.total_seconds())
    for size, unit in ((86400, "d"), (3600, "h"), (60, "min")):
        if seconds and seconds % size == 0:
            return f"{seconds // size} {unit}"
    if seconds >= 60:
        return format_duration(span)
    return f"{seconds} s"
