"""Time arithmetic: offsets, the site timezone, DST, durations."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given
from hypothesis import strategies as st

from statusgen.render.times import format_duration, format_short_duration, format_time, offset_text
from statusgen.validate.fields import Invalid, duration, moment

PARIS = ZoneInfo("Europe/Paris")
ZONES = st.sampled_from(
    [
        "Europe/Paris",
        "America/New_York",
        "Australia/Lord_Howe",
        "Asia/Kolkata",
        "UTC",
        "Pacific/Chatham",
    ]
)


@given(st.datetimes(min_value=datetime(2000, 1, 1), max_value=datetime(2099, 12, 31)), ZONES)
def test_a_time_without_offset_is_read_in_the_site_timezone_or_refused(
    naive: datetime, zone_name: str
) -> None:
    """Wall-clock times map to the instant the site's clock showed; skipped times are refused."""
    zone = ZoneInfo(zone_name)
    naive = naive.replace(microsecond=0)
    try:
        parsed = moment(zone)(naive.isoformat())
    except Invalid as problem:
        assert "does not exist" in problem.message
        # It really is in a gap: converting through UTC changes the wall-clock time.
        assert (
            naive.replace(tzinfo=zone).astimezone(UTC).astimezone(zone).replace(tzinfo=None)
            != naive
        )
        return
    assert parsed.astimezone(zone).replace(tzinfo=None) == naive


@given(
    st.datetimes(
        min_value=datetime(2000, 1, 1), max_value=datetime(2099, 12, 31), timezones=st.just(UTC)
    ),
    st.integers(-14 * 60, 14 * 60),
)
def test_a_time_with_an_offset_keeps_its_instant(instant: datetime, offset_minutes: int) -> None:
    """An explicit offset wins over the site timezone."""
    from datetime import timezone

    written = instant.replace(microsecond=0).astimezone(timezone(timedelta(minutes=offset_minutes)))
    assert moment(PARIS)(written.isoformat()) == written


def test_the_hour_skipped_by_dst_is_refused_with_a_fix() -> None:
    """02:30 on the last Sunday of March does not exist in Paris."""
    with pytest.raises(Invalid) as caught:
        moment(PARIS)("2026-03-29T02:30:00")
    assert "does not exist in Europe/Paris" in caught.value.message


def test_an_ambiguous_autumn_time_is_refused_with_both_offsets() -> None:
    """02:30 on the last Sunday of October happens twice; without offset it is refused, not guessed."""
    with pytest.raises(Invalid) as caught:
        moment(PARIS)("2026-10-25T02:30:00")
    assert "happens twice in Europe/Paris" in caught.value.message
    assert caught.value.hint is not None
    assert "2026-10-25T02:30:00+02:00" in caught.value.hint
    assert "2026-10-25T02:30:00+01:00" in caught.value.hint


def test_the_hour_before_the_autumn_change_is_still_read_in_summer_time() -> None:
    """01:30 on the day clocks go back happens once, on summer time."""
    assert offset_text(moment(PARIS)("2026-10-25T01:30:00")) == "UTC+02:00"


def test_times_print_with_the_zone_abbreviation() -> None:
    """Readers see which clock a time is on."""
    assert format_time(datetime(2026, 7, 1, 12, 5, tzinfo=UTC), PARIS) == "1 Jul 2026, 14:05 CEST"
    assert format_time(datetime(2026, 12, 1, 12, 5, tzinfo=UTC), PARIS) == "1 Dec 2026, 13:05 CET"


@pytest.mark.parametrize(
    ("text", "seconds"),
    [("30s", 30), ("15m", 900), ("4h", 14400), ("1d", 86400), ("1h30m", 5400), ("2w", 1209600)],
)
def test_durations_accept_the_documented_units(text: str, seconds: int) -> None:
    """RTO, RPO and cadences are written as 30s, 15m, 4h, 1d."""
    assert duration(text) == timedelta(seconds=seconds)


@pytest.mark.parametrize("text", ["5 minutes", "m", "15", "1.5h", "-3m", ""])
def test_durations_refuse_anything_else(text: str) -> None:
    """Ambiguous durations are refused rather than guessed."""
    with pytest.raises(Invalid):
        duration(text)


@given(st.integers(min_value=0, max_value=10**7))
def test_a_formatted_duration_never_overstates_the_time(seconds: int) -> None:
    """Durations are truncated to the minute, never rounded up."""
    text = format_duration(timedelta(seconds=seconds))
    if seconds < 60:
        assert text == "< 1 min"
        return
    total = 0
    parts = text.split()
    for number, unit in zip(parts[::2], parts[1::2], strict=True):
        total += int(number) * {"d": 86400, "h": 3600, "min": 60}[unit]
    granularity = 3600 if "d" in parts else 60  # days drop the minutes, shorter spans keep them
    assert total <= seconds < total + granularity


def test_recovery_objectives_read_in_their_natural_unit() -> None:
    """0 s, 30 s, 1 min, 4 h, 1 d."""
    assert [format_short_duration(timedelta(seconds=s)) for s in (0, 30, 60, 14400, 86400)] == [
        "0 s",
        "30 s",
        "1 min",
        "4 h",
        "1 d",
    ]


@given(
    st.datetimes(
        min_value=datetime(1970, 1, 1), max_value=datetime(2200, 12, 31), timezones=st.just(UTC)
    )
)
def test_format_time_reads_like_strftime_in_the_c_locale(moment: datetime) -> None:
    """Written by hand for speed, the text is exactly what strftime's %b, %Y, %H:%M give."""
    there = moment.astimezone(PARIS)
    assert (
        format_time(moment, PARIS) == f"{there.day} {there:%b %Y}, {there:%H:%M} {there.tzname()}"
    )
    assert format_time(moment, PARIS, with_date=False) == f"{there:%H:%M} {there.tzname()}"
