"""The pure scheduling arithmetic of `models.scheduling`: half-open spans that do not clash when
they only touch, merging and subtracting busy time, a booking inside the open time (straddling
two adjoining intervals but never a break), a day's open spans with extra hours and time off,
slot starts on the local step grid, the dates of recurring series, and daylight-saving days in
Europe/Madrid (23 and 25 hours long) against Ecuador, which has none."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from itertools import pairwise
from zoneinfo import ZoneInfo

import pytest

from clinic_desktop.models.scheduling import (
    MAX_OCCURRENCES,
    DayPlan,
    Span,
    day_bounds,
    local_moment,
    merge,
    open_spans,
    series_dates,
    slot_starts,
    subtract,
    within,
)

QUITO = ZoneInfo("America/Guayaquil")
MADRID = ZoneInfo("Europe/Madrid")
DAY = date(2026, 2, 16)  # a Monday
# 2026's daylight-saving changes in the EU: last Sunday of March and of October.
SPRING = date(2026, 3, 29)
AUTUMN = date(2026, 10, 25)


def at(hour: int, minute: int = 0, *, day: date = DAY, zone: ZoneInfo = QUITO) -> datetime:
    return datetime.combine(day, time(hour, minute), tzinfo=zone).astimezone(UTC)


def span(a: tuple[int, int], b: tuple[int, int], *, day: date = DAY) -> Span:
    return Span(at(*a, day=day), at(*b, day=day))


def local_times(spans: list[Span], zone: ZoneInfo = QUITO) -> list[tuple[str, str]]:
    return [(f"{s.start.astimezone(zone):%H:%M}", f"{s.end.astimezone(zone):%H:%M}") for s in spans]


# --- Span -------------------------------------------------------------------------------------


def test_touching_spans_do_not_overlap_either_way():
    first, second = span((9, 0), (9, 30)), span((9, 30), (10, 0))
    assert not first.overlaps(second)
    assert not second.overlaps(first)


@pytest.mark.parametrize(
    ("other", "clash"),
    [
        (((9, 29), (10, 0)), True),  # one minute into the first
        (((8, 30), (9, 1)), True),  # one minute into it from before
        (((9, 10), (9, 20)), True),  # inside
        (((8, 0), (11, 0)), True),  # around
        (((9, 0), (9, 30)), True),  # the same time
        (((8, 0), (9, 0)), False),  # ends where it starts
        (((10, 0), (10, 30)), False),  # well after
    ],
)
def test_overlap_cases(other, clash):
    base = span((9, 0), (9, 30))
    assert base.overlaps(span(*other)) is clash
    assert span(*other).overlaps(base) is clash


def test_contains_includes_the_edges_and_minutes_counts():
    outer = span((9, 0), (13, 0))
    assert outer.contains(span((9, 0), (13, 0)))
    assert outer.contains(span((12, 30), (13, 0)))
    assert not outer.contains(span((12, 30), (13, 1)))
    assert not outer.contains(span((8, 59), (9, 30)))
    assert outer.minutes == 240


def test_merge_joins_overlapping_and_touching_spans_and_sorts():
    merged = merge([span((15, 0), (19, 0)), span((9, 0), (11, 0)), span((11, 0), (13, 0))])
    assert local_times(merged) == [("09:00", "13:00"), ("15:00", "19:00")]
    assert local_times(merge([span((9, 0), (12, 0)), span((10, 0), (11, 0))])) == [
        ("09:00", "12:00")
    ]
    assert merge([]) == []


def test_subtract_cuts_busy_time_out():
    free = subtract(
        [span((9, 0), (13, 0)), span((15, 0), (19, 0))],
        [span((10, 0), (10, 30)), span((12, 30), (15, 30)), span((18, 0), (20, 0))],
    )
    assert local_times(free) == [
        ("09:00", "10:00"),
        ("10:30", "12:30"),
        ("15:30", "18:00"),
    ]


def test_subtract_with_touching_or_covering_busy_time():
    open_ = [span((9, 0), (10, 0))]
    # Busy time that only touches the open span takes nothing from it.
    assert local_times(subtract(open_, [span((8, 0), (9, 0)), span((10, 0), (11, 0))])) == [
        ("09:00", "10:00")
    ]
    assert subtract(open_, [span((8, 0), (11, 0))]) == []
    assert subtract(open_, [span((9, 0), (10, 0))]) == []
    assert local_times(subtract(open_, [])) == [("09:00", "10:00")]


def test_within_allows_straddling_adjoining_intervals_but_not_a_break():
    adjoining = [span((9, 0), (13, 0)), span((13, 0), (17, 0))]
    assert within(span((12, 30), (13, 30)), adjoining)
    with_break = [span((9, 0), (13, 0)), span((15, 0), (19, 0))]
    assert not within(span((12, 30), (15, 30)), with_break)
    assert not within(span((12, 45), (13, 15)), with_break)
    assert within(span((15, 0), (19, 0)), with_break)
    assert not within(span((18, 45), (19, 15)), with_break)
    assert not within(span((9, 0), (9, 30)), [])


# --- open_spans -------------------------------------------------------------------------------

REGULAR = ((time(9), time(13)), (time(15), time(19)))


def test_open_spans_of_a_plain_day():
    spans = open_spans(DAY, DayPlan(regular=REGULAR), QUITO, closed=False)
    assert local_times(spans) == [("09:00", "13:00"), ("15:00", "19:00")]
    assert spans[0].start == datetime(2026, 2, 16, 14, 0, tzinfo=UTC)  # Quito is UTC-5


def test_extra_hours_add_to_and_merge_with_the_regular_ones():
    plan = DayPlan(regular=REGULAR, extra=((time(13), time(14)), (time(19), time(21))))
    spans = open_spans(DAY, plan, QUITO, closed=False)
    assert local_times(spans) == [("09:00", "14:00"), ("15:00", "21:00")]
    saturday = DayPlan(regular=(), extra=((time(8), time(12)),))
    assert local_times(open_spans(DAY, saturday, QUITO, closed=False)) == [("08:00", "12:00")]


def test_part_day_off_is_cut_out_and_whole_day_off_or_closure_leaves_nothing():
    part = DayPlan(regular=REGULAR, off=((time(10), time(11, 30)),))
    assert local_times(open_spans(DAY, part, QUITO, closed=False)) == [
        ("09:00", "10:00"),
        ("11:30", "13:00"),
        ("15:00", "19:00"),
    ]
    whole = DayPlan(regular=REGULAR, extra=((time(19), time(21)),), off=((None, None),))
    assert open_spans(DAY, whole, QUITO, closed=False) == []
    assert open_spans(DAY, DayPlan(regular=REGULAR), QUITO, closed=True) == []
    assert open_spans(DAY, DayPlan(regular=()), QUITO, closed=False) == []


def test_an_interval_that_ends_before_it_starts_is_ignored():
    plan = DayPlan(regular=((time(13), time(9)), (time(15), time(19))))
    assert local_times(open_spans(DAY, plan, QUITO, closed=False)) == [("15:00", "19:00")]


# --- slot_starts ------------------------------------------------------------------------------


def test_slot_starts_align_to_the_local_step_grid():
    free = [span((9, 7), (10, 0))]
    slots = slot_starts(
        free, duration=timedelta(minutes=30), step=timedelta(minutes=15), zone=QUITO
    )
    assert local_times(slots) == [("09:15", "09:45"), ("09:30", "10:00")]


def test_slot_starts_respect_time_of_day_and_not_before():
    free = [span((9, 0), (13, 0)), span((15, 0), (19, 0))]
    slots = slot_starts(
        free,
        duration=timedelta(minutes=60),
        step=timedelta(minutes=30),
        zone=QUITO,
        earliest=time(12),
        latest=time(16),
        not_before=at(15, 10),
    )
    # 12:00 starts before not_before; 15:00 too; 15:30 and later up to (not incl.) 16:00.
    assert local_times(slots) == [("15:30", "16:30")]


def test_slot_starts_need_the_whole_duration_inside_the_span():
    slots = slot_starts(
        [span((18, 0), (19, 0))],
        duration=timedelta(minutes=45),
        step=timedelta(minutes=15),
        zone=QUITO,
    )
    assert local_times(slots) == [("18:00", "18:45"), ("18:15", "19:00")]
    assert (
        slot_starts(
            [span((18, 0), (18, 30))],
            duration=timedelta(minutes=45),
            step=timedelta(minutes=15),
            zone=QUITO,
        )
        == []
    )


def test_slot_grid_follows_the_local_hour_in_a_zone_with_a_quarter_hour_offset():
    kathmandu = ZoneInfo("Asia/Kathmandu")  # UTC+05:45
    start = datetime(2026, 2, 16, 9, 5, tzinfo=kathmandu).astimezone(UTC)
    slots = slot_starts(
        [Span(start, start + timedelta(hours=1))],
        duration=timedelta(minutes=30),
        step=timedelta(minutes=30),
        zone=kathmandu,
    )
    assert [f"{s.start.astimezone(kathmandu):%H:%M}" for s in slots] == ["09:30"]


# --- series_dates -----------------------------------------------------------------------------

MON = date(2026, 2, 16)


def test_every_n_days_by_count_and_until():
    assert series_dates(MON, unit="day", interval=3, weekdays=frozenset(), until=None, count=4) == [
        MON + timedelta(days=n) for n in (0, 3, 6, 9)
    ]
    # The until date is included when it falls on an occurrence.
    assert series_dates(
        MON, unit="day", interval=2, weekdays=frozenset(), until=MON + timedelta(days=6), count=None
    ) == [MON + timedelta(days=n) for n in (0, 2, 4, 6)]


def test_every_n_weeks_on_chosen_weekdays_skips_days_before_the_first():
    wednesday = MON + timedelta(days=2)
    dates = series_dates(
        wednesday, unit="week", interval=2, weekdays=frozenset({0, 2}), until=None, count=5
    )
    assert dates == [
        date(2026, 2, 18),  # the first Monday (16th) is before the first day
        date(2026, 3, 2),
        date(2026, 3, 4),
        date(2026, 3, 16),
        date(2026, 3, 18),
    ]


def test_weekly_without_weekdays_uses_the_first_days_weekday():
    dates = series_dates(
        MON + timedelta(days=1), unit="week", interval=1, weekdays=frozenset(), until=None, count=3
    )
    assert dates == [date(2026, 2, 17), date(2026, 2, 24), date(2026, 3, 3)]
    assert {d.weekday() for d in dates} == {1}


def test_until_and_count_together_stop_at_whichever_comes_first():
    until = MON + timedelta(weeks=2)
    by_until = series_dates(
        MON, unit="week", interval=1, weekdays=frozenset({0}), until=until, count=10
    )
    assert by_until == [MON, MON + timedelta(weeks=1), MON + timedelta(weeks=2)]
    by_count = series_dates(
        MON,
        unit="week",
        interval=1,
        weekdays=frozenset({0}),
        until=MON + timedelta(weeks=20),
        count=2,
    )
    assert by_count == [MON, MON + timedelta(weeks=1)]


@pytest.mark.parametrize(
    "kwargs",
    [
        # Weekly on Mondays from a Tuesday until the Sunday: no Monday in between.
        {
            "unit": "week",
            "interval": 1,
            "weekdays": frozenset({0}),
            "until": MON + timedelta(days=6),
            "count": None,
        },
        {"unit": "day", "interval": 1, "weekdays": frozenset(), "until": MON, "count": None},
        {"unit": "day", "interval": 1, "weekdays": frozenset(), "until": None, "count": 0},
        {"unit": "day", "interval": 0, "weekdays": frozenset(), "until": None, "count": 5},
        {"unit": "week", "interval": 1, "weekdays": frozenset(), "until": None, "count": None},
    ],
)
def test_no_occurrences_gives_an_empty_list(kwargs):
    assert series_dates(MON + timedelta(days=1), **kwargs) == []


def test_series_are_capped():
    daily = series_dates(
        MON,
        unit="day",
        interval=1,
        weekdays=frozenset(),
        until=MON + timedelta(days=5000),
        count=None,
    )
    assert len(daily) == MAX_OCCURRENCES
    weekly = series_dates(
        MON, unit="week", interval=1, weekdays=frozenset(range(7)), until=None, count=10_000
    )
    assert len(weekly) == MAX_OCCURRENCES
    assert weekly == [MON + timedelta(days=n) for n in range(MAX_OCCURRENCES)]


# --- daylight saving --------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("day", "utc_hour"),
    [
        (SPRING - timedelta(days=1), 8),  # Saturday before: CET, UTC+1
        (SPRING, 7),  # the change happened at 02:00: CEST, UTC+2
        (AUTUMN - timedelta(days=1), 7),  # Saturday before: still CEST
        (AUTUMN, 8),  # back to CET at 03:00
    ],
)
def test_a_morning_on_a_change_day_is_four_hours_at_the_right_utc_instants(day, utc_hour):
    spans = open_spans(day, DayPlan(regular=((time(9), time(13)),)), MADRID, closed=False)
    assert len(spans) == 1
    assert spans[0].start == datetime.combine(day, time(utc_hour), tzinfo=UTC)
    assert spans[0].end == datetime.combine(day, time(utc_hour + 4), tzinfo=UTC)
    assert spans[0].minutes == 240


def test_a_night_span_across_the_change_lasts_what_the_wall_clock_says():
    night = DayPlan(regular=((time(1), time(4)),))
    # 01:00–04:00 local on the spring day skips 02:00–03:00: two real hours.
    assert open_spans(SPRING, night, MADRID, closed=False)[0].minutes == 120
    # In autumn 02:00–03:00 happens twice: four real hours.
    assert open_spans(AUTUMN, night, MADRID, closed=False)[0].minutes == 240


def test_day_bounds_are_23_and_25_hours_on_the_change_days():
    assert day_bounds(SPRING, MADRID).minutes == 23 * 60
    assert day_bounds(AUTUMN, MADRID).minutes == 25 * 60
    assert day_bounds(SPRING + timedelta(days=1), MADRID).minutes == 24 * 60
    spring = day_bounds(SPRING, MADRID)
    assert spring.start == datetime(2026, 3, 28, 23, 0, tzinfo=UTC)
    assert spring.end == datetime(2026, 3, 29, 22, 0, tzinfo=UTC)


def test_ecuador_has_no_daylight_saving():
    for day in (SPRING, AUTUMN, date(2026, 11, 1), date(2026, 4, 5)):
        assert day_bounds(day, QUITO).minutes == 24 * 60
        assert local_moment(day, time(9), QUITO) == datetime.combine(day, time(14), tzinfo=UTC)


@pytest.mark.parametrize(
    ("first", "utc_hours"),
    [
        (date(2026, 3, 17), [9, 9, 8, 8]),  # Tuesdays across the spring change
        (date(2026, 10, 13), [8, 8, 9, 9]),  # Tuesdays across the autumn change
    ],
)
def test_a_weekly_series_keeps_its_wall_clock_time_across_the_change(first, utc_hours):
    dates = series_dates(first, unit="week", interval=1, weekdays=frozenset(), until=None, count=4)
    moments = [local_moment(d, time(10), MADRID) for d in dates]
    assert [m.astimezone(MADRID).strftime("%a %H:%M") for m in moments] == ["Tue 10:00"] * 4
    assert [m.hour for m in moments] == utc_hours
    # Seven calendar days apart: 7 × 24 h, except the week across the change (one hour less
    # in spring, one more in autumn).
    gaps = {(b - a) for a, b in pairwise(moments)}
    assert timedelta(days=7) in gaps and len(gaps) == 2


def test_slots_on_the_spring_change_day_stay_on_the_local_grid():
    spans = open_spans(SPRING, DayPlan(regular=((time(9), time(11)),)), MADRID, closed=False)
    slots = slot_starts(
        spans, duration=timedelta(minutes=60), step=timedelta(minutes=30), zone=MADRID
    )
    assert local_times(slots, MADRID) == [
        ("09:00", "10:00"),
        ("09:30", "10:30"),
        ("10:00", "11:00"),
    ]
