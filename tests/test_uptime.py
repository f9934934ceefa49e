"""Uptime arithmetic: worked examples checked by hand, and properties that must always hold."""

from __future__ import annotations

import itertools
from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from conftest import DEMO_NOW, EXAMPLE_CONTENT, MINIMAL_SITE, ScratchSite
from statusgen.build import load_and_validate
from statusgen.derive import derive
from statusgen.derive.uptime import (
    Interval,
    calendar,
    component_uptime,
    daily,
    day_bounds,
    display_percent,
    json_percent,
    merge,
    period,
    spans_per_day,
)
from statusgen.errors import Source
from statusgen.model import Component, ComponentStatus, UptimePolicy

PARIS = ZoneInfo("Europe/Paris")
S = ComponentStatus
POLICY = UptimePolicy()


def utc(*args: int) -> datetime:
    return datetime(*args, tzinfo=UTC)  # type: ignore[misc]


def days_for(
    intervals: list[Interval],
    first: date,
    last: date,
    now: datetime,
    zone: ZoneInfo = PARIS,
    since: date | None = None,
):  # type: ignore[no-untyped-def]
    return daily(merge(intervals), [], [], calendar(first, last, zone, now), since, POLICY)


# ---- worked examples ---------------------------------------------------------------------


def test_one_hour_major_outage_on_a_normal_day() -> None:
    """60 min of major outage in a 24 h day: 1 − 3600/86400 = 95.8333 %."""
    (day,) = days_for(
        [Interval(utc(2026, 11, 10, 9), utc(2026, 11, 10, 10), S.MAJOR_OUTAGE)],
        date(2026, 11, 10),
        date(2026, 11, 10),
        DEMO_NOW,
    )
    assert day.downtime_seconds == 3600
    assert json_percent(day.uptime) == 95.8333
    assert display_percent(day.uptime) == "95.83"


def test_partial_outage_weighs_thirty_percent_and_degraded_nothing() -> None:
    """100 min partial = 30 min of downtime; degraded performance is not downtime."""
    (day,) = days_for(
        [
            Interval(utc(2026, 11, 10, 9), utc(2026, 11, 10, 10, 40), S.PARTIAL_OUTAGE),
            Interval(utc(2026, 11, 10, 12), utc(2026, 11, 10, 18), S.DEGRADED_PERFORMANCE),
        ],
        date(2026, 11, 10),
        date(2026, 11, 10),
        DEMO_NOW,
    )
    assert day.downtime_seconds == pytest.approx(1800)
    assert day.worst is S.PARTIAL_OUTAGE


def test_the_day_clocks_go_back_lasts_25_hours() -> None:
    """25 Oct 2026 in Paris has 90,000 s: one hour of outage is 96 % uptime, not 95.83 %."""
    start, end = day_bounds(date(2026, 10, 25), PARIS)
    assert (end - start).total_seconds() == 90_000
    (day,) = days_for(
        [Interval(utc(2026, 10, 25, 9), utc(2026, 10, 25, 10), S.MAJOR_OUTAGE)],
        date(2026, 10, 25),
        date(2026, 10, 25),
        DEMO_NOW,
    )
    assert json_percent(day.uptime) == 96.0


def test_the_day_clocks_go_forward_lasts_23_hours() -> None:
    """29 Mar 2026 in Paris has 82,800 s."""
    start, end = day_bounds(date(2026, 3, 29), PARIS)
    assert (end - start).total_seconds() == 82_800


def test_an_outage_across_midnight_is_split_between_the_two_days() -> None:
    """23:00–01:00 local: one hour on each side of midnight, two hours in all."""
    first, second = days_for(
        [
            Interval(
                datetime(2026, 11, 10, 23, tzinfo=PARIS),
                datetime(2026, 11, 11, 1, tzinfo=PARIS),
                S.MAJOR_OUTAGE,
            )
        ],
        date(2026, 11, 10),
        date(2026, 11, 11),
        DEMO_NOW,
    )
    assert (first.downtime_seconds, second.downtime_seconds) == (3600, 3600)


def test_maintenance_is_left_out_of_counted_time() -> None:
    """Two hours under maintenance: the day counts 22 h, with no downtime: 100 %."""
    (day,) = days_for(
        [Interval(utc(2026, 11, 10, 1), utc(2026, 11, 10, 3), S.UNDER_MAINTENANCE)],
        date(2026, 11, 10),
        date(2026, 11, 10),
        DEMO_NOW,
    )
    assert day.counted_seconds == 22 * 3600 and day.uptime == 100.0
    assert day.worst is S.UNDER_MAINTENANCE


def test_today_counts_only_up_to_now() -> None:
    """At 13:30 UTC (14:30 in Paris) today has counted 14.5 h so far."""
    (day,) = days_for([], date(2026, 11, 23), date(2026, 11, 23), DEMO_NOW)
    assert day.counted_seconds == 14.5 * 3600


def test_days_before_a_component_existed_have_no_data() -> None:
    """Before `since`, a day is 'no data', never 100 %."""
    before, after = days_for(
        [], date(2026, 8, 31), date(2026, 9, 1), DEMO_NOW, since=date(2026, 9, 1)
    )
    assert before.uptime is None and before.worst is None
    assert after.uptime == 100.0


def test_display_never_rounds_downtime_up_to_100() -> None:
    """One second of downtime in 90 days still shows 99.99, and 4 decimals in JSON."""
    value = 100 * (1 - 1 / (90 * 86400))
    assert display_percent(value) == "99.99"
    assert json_percent(value) == 99.9999
    assert display_percent(100.0) == "100.00"


def test_example_site_mysql_october_matches_the_hand_computation() -> None:
    """Power loss 19 Oct: MySQL down 08:31–09:39 CEST (68 min, from started_at) in a 745 h October."""
    content, _ = load_and_validate(EXAMPLE_CONTENT)
    facts = derive(content, DEMO_NOW)
    october = next(m for m in facts.uptime_of("db-mysql").months if m.label == "2026-10")
    assert october.counted_seconds == 745 * 3600
    assert october.downtime_seconds == 68 * 60
    assert json_percent(october.uptime) == 99.8478  # 1 − 4080/2,682,000 = 99.84787…, truncated
    assert facts.uptime_of("db-mysql").sla_met(october) is False  # target 99.95


def test_example_site_api_budget_for_november() -> None:
    """The ongoing API incident, counted to its latest update (13:15 UTC: the API's last
    change, see derive.clock): 23 min partial since 12:52 UTC = 414 s of weighted downtime."""
    content, _ = load_and_validate(EXAMPLE_CONTENT)
    facts = derive(content, DEMO_NOW)
    budget = facts.uptime_of("api").budget
    assert budget is not None
    assert budget.used_seconds == pytest.approx(23 * 60 * 0.3)
    assert budget.allowed_seconds == pytest.approx(30 * 86400 * (1 - 0.9995))


def test_since_in_site_yml_gives_no_data_days(scratch_site: ScratchSite) -> None:
    """A component tracked from 1 Nov has no data before, and no 365-day figure padding."""
    site = MINIMAL_SITE.replace(
        "    name: Dashboard\n", "    name: Dashboard\n    since: 2026-11-01\n"
    )
    content, _ = load_and_validate(scratch_site({"site.yml": site}))
    uptime = derive(content, DEMO_NOW).uptime_of("dashboard")
    assert [d.has_data for d in uptime.window()].count(True) == 23
    assert uptime.last_365.counted_seconds == uptime.last_30.counted_seconds


# ---- properties ----------------------------------------------------------------------------

BASE = datetime(2026, 3, 20, tzinfo=UTC)  # spans the March DST change in Paris
STATUSES = st.sampled_from(
    [S.DEGRADED_PERFORMANCE, S.PARTIAL_OUTAGE, S.MAJOR_OUTAGE, S.UNDER_MAINTENANCE]
)


@st.composite
def intervals(draw: st.DrawFn) -> Interval:
    start = draw(st.integers(0, 20 * 86400))
    length = draw(st.integers(1, 3 * 86400))
    return Interval(
        BASE + timedelta(seconds=start), BASE + timedelta(seconds=start + length), draw(STATUSES)
    )


ZONES = st.sampled_from([PARIS, ZoneInfo("America/New_York"), ZoneInfo("Australia/Lord_Howe"), UTC])
FIRST, LAST = date(2026, 3, 19), date(2026, 4, 14)
NOW = datetime(2026, 4, 16, tzinfo=UTC)


@settings(max_examples=150, deadline=None)
@given(st.lists(intervals(), max_size=12), ZONES)
def test_uptime_is_always_between_0_and_100(items: list[Interval], zone: ZoneInfo) -> None:
    """Whatever the incidents, every day's figure is a percentage."""
    for day in days_for(items, FIRST, LAST, NOW, zone):
        assert day.uptime is not None and 0.0 <= day.uptime <= 100.0


@settings(max_examples=150, deadline=None)
@given(st.lists(intervals(), max_size=10), intervals(), ZONES)
def test_adding_an_outage_never_raises_uptime(
    items: list[Interval], extra: Interval, zone: ZoneInfo
) -> None:
    """More trouble can only lower (or keep) each day's downtime-based figure."""
    extra = Interval(extra.start, extra.end, S.MAJOR_OUTAGE)
    before = days_for(items, FIRST, LAST, NOW, zone)
    after = days_for([*items, extra], FIRST, LAST, NOW, zone)
    for b, a in zip(before, after, strict=True):
        assert a.downtime_seconds >= b.downtime_seconds - 1e-6


@settings(max_examples=150, deadline=None)
@given(st.lists(intervals(), max_size=10), ZONES)
def test_splitting_into_days_and_recombining_keeps_the_downtime(
    items: list[Interval], zone: ZoneInfo
) -> None:
    """The sum of the days' downtime is the merged intervals' weighted length."""
    merged = merge(items)
    expected = sum((i.end - i.start).total_seconds() * POLICY.weight(i.status) for i in merged)
    days = days_for(items, date(2026, 3, 18), date(2026, 4, 15), NOW, zone)
    assert sum(d.downtime_seconds for d in days) == pytest.approx(expected)


@settings(max_examples=150, deadline=None)
@given(st.lists(intervals(), max_size=10))
def test_overlapping_incidents_never_count_twice(items: list[Interval]) -> None:
    """Merged intervals are disjoint and never longer than the union of the inputs."""
    merged = merge(items)
    for a, b in itertools.pairwise(merged):
        assert a.end <= b.start
    assert all(m.end > m.start for m in merged)
    major_only = [Interval(i.start, i.end, S.MAJOR_OUTAGE) for i in items]
    union = sum((m.end - m.start).total_seconds() for m in merge(major_only))
    assert sum((m.end - m.start).total_seconds() for m in merged) == pytest.approx(union)


@settings(max_examples=150, deadline=None)
@given(intervals(), ZONES)
def test_an_incident_across_midnight_or_dst_is_counted_once(item: Interval, zone: ZoneInfo) -> None:
    """However the days cut it, an outage's length is counted exactly once."""
    item = Interval(item.start, item.end, S.MAJOR_OUTAGE)
    days = days_for([item], date(2026, 3, 18), date(2026, 4, 15), NOW, zone)
    assert sum(d.downtime_seconds for d in days) == pytest.approx(
        (item.end - item.start).total_seconds()
    )


@settings(max_examples=100, deadline=None)
@given(st.lists(intervals(), max_size=10), st.integers(1, 10 * 86400), ZONES)
def test_a_later_now_never_lowers_past_days(
    items: list[Interval], later_by: int, zone: ZoneInfo
) -> None:
    """Rebuilding later with no new incidents leaves completed days' figures as they were."""
    now = BASE + timedelta(days=8)
    later = now + timedelta(seconds=later_by)
    clip = [Interval(i.start, min(i.end, now), i.status) for i in items if i.start < now]
    first, last = date(2026, 3, 18), now.astimezone(zone).date() - timedelta(days=1)
    before = days_for(clip, first, last, now, zone)
    after = days_for(clip, first, last, later, zone)
    for b, a in zip(before, after, strict=True):
        assert a.uptime == b.uptime


def test_uptime_json_of_the_example_site_validates_against_its_published_schema(tmp_path) -> None:  # type: ignore[no-untyped-def]
    """/api/uptime.json follows /api/schema/uptime.json, with 90 days ending on now's date,
    counted up to the moment the site's facts last changed."""
    import json

    import jsonschema

    from statusgen.build import BuildOptions, build

    out = tmp_path / "public"
    build(BuildOptions(EXAMPLE_CONTENT, out, DEMO_NOW))
    document = json.loads((out / "api" / "uptime.json").read_text())
    schema = json.loads((out / "api" / "schema" / "uptime.json").read_text())
    jsonschema.Draft202012Validator.check_schema(schema)
    jsonschema.validate(document, schema, cls=jsonschema.Draft202012Validator)
    api = next(c for c in document["components"] if c["id"] == "api")
    assert len(api["days"]) == 90
    assert api["days"][-1] == {
        "date": "2026-11-23",
        # As of the incident's latest update (14:15 CET), when the facts last changed, not the
        # build's clock: 414 s of 14.25 h counted: 1 − 414/51,300.
        "uptime": 99.1929,
        "downtime_seconds": 414.0,
        "worst_status": "partial_outage",
        "incidents": ["2026-11-23-elevated-api-error-rates-in-par1"],
    }
    mongodb = next(c for c in document["components"] if c["id"] == "db-mongodb")
    assert mongodb["days"][0]["uptime"] is None and mongodb["days"][0]["worst_status"] is None


@st.composite
def spans(draw: st.DrawFn) -> tuple[datetime, datetime, str]:
    item = draw(intervals())
    return item.start, item.end, draw(st.sampled_from("abcdef"))


@settings(max_examples=150, deadline=None)
@given(st.lists(spans(), max_size=12), ZONES)
def test_the_spans_of_each_day_are_those_that_overlap_it(
    items: list[tuple[datetime, datetime, str]], zone: ZoneInfo
) -> None:
    """The one-sweep answer equals asking every day of every span, in the spans' order."""
    days = calendar(FIRST, LAST, zone, NOW)
    expected = [
        tuple(slug for s_start, s_end, slug in sorted(items) if s_start < end and s_end > start)
        for _, start, end in days
    ]
    assert spans_per_day(items, days) == expected


@settings(max_examples=60, deadline=None)
@given(st.lists(intervals(), max_size=10), ZONES, st.integers(0, 60))
def test_each_month_and_window_sums_exactly_its_own_days(
    items: list[Interval], zone: ZoneInfo, now_offset: int
) -> None:
    """The months, the 30/90/365-day windows and the budget's month are the days whose date
    falls in them, whatever the zone and the day of the month "now" is."""
    now = datetime(2026, 4, 16, tzinfo=UTC) + timedelta(days=now_offset, hours=7)
    today = now.astimezone(zone).date()
    days_in = calendar(today - timedelta(days=400), today, zone, now)
    component = Component("api", "API", None, None, 99.9, None, None, None, Source("site.yml"))
    uptime = component_uptime(component, items, [], [], days_in, zone, POLICY)
    for month in uptime.months:
        first = date.fromisoformat(month.label + "-01")
        following = date(first.year + first.month // 12, first.month % 12 + 1, 1)
        chosen = [d for d in uptime.days if first <= d.day < following]
        assert month == period(month.label, chosen)
    assert uptime.last_30 == period("30d", uptime.days[-30:])
    assert uptime.budget is not None
    this_month = [d for d in uptime.days if d.day >= today.replace(day=1)]
    assert uptime.budget.used_seconds == pytest.approx(sum(d.downtime_seconds for d in this_month))
