"""Pure scheduling arithmetic, free of sessions and Qt: the open intervals of a practitioner's
day (weekly hours, exceptions, closures), overlap tests where touching edges do not clash,
subtracting busy time to find openings, and the dates of a recurring series. Wall-clock times
are combined with the clinic's zone and compared as aware datetimes, so a daylight-saving
change (Europe/Madrid) shortens or lengthens the day exactly as the clock on the wall does."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

# A series longer than this is almost certainly a typo ("every day until 2036").
MAX_OCCURRENCES = 366


@dataclass(frozen=True)
class Span:
    """A half-open interval [start, end) of aware datetimes."""

    start: datetime
    end: datetime

    def overlaps(self, other: Span) -> bool:
        return self.start < other.end and other.start < self.end

    def contains(self, other: Span) -> bool:
        return self.start <= other.start and other.end <= self.end

    @property
    def minutes(self) -> int:
        return int((self.end - self.start).total_seconds() // 60)


@dataclass(frozen=True)
class DayPlan:
    """The wall-clock pattern of one practitioner for one date before closures."""

    regular: tuple[tuple[time, time], ...]
    extra: tuple[tuple[time, time], ...] = ()
    off: tuple[tuple[time | None, time | None], ...] = ()


def local_moment(day: date, at: time, zone: ZoneInfo) -> datetime:
    """The aware instant a wall clock in `zone` shows `at` on `day` (UTC)."""
    return datetime.combine(day, at, tzinfo=zone).astimezone(UTC)


def day_bounds(day: date, zone: ZoneInfo) -> Span:
    """Local midnight to the next local midnight, 23 or 25 hours on a DST change."""
    return Span(
        local_moment(day, time(0), zone), local_moment(day + timedelta(days=1), time(0), zone)
    )


def open_spans(day: date, plan: DayPlan, zone: ZoneInfo, *, closed: bool) -> list[Span]:
    """Working time on `day`: regular hours plus extra hours, minus time off; nothing when the
    clinic is closed or a whole-day OFF exception exists."""
    if closed:
        return []
    spans = [
        Span(local_moment(day, a, zone), local_moment(day, b, zone))
        for a, b in (*plan.regular, *plan.extra)
        if a < b
    ]
    removed: list[Span] = []
    for a, b in plan.off:
        if a is None or b is None:
            return []
        removed.append(Span(local_moment(day, a, zone), local_moment(day, b, zone)))
    return subtract(merge(spans), removed)


def merge(spans: Iterable[Span]) -> list[Span]:
    ordered = sorted(spans, key=lambda s: s.start)
    merged: list[Span] = []
    for span in ordered:
        if merged and span.start <= merged[-1].end:
            last = merged[-1]
            merged[-1] = Span(last.start, max(last.end, span.end))
        else:
            merged.append(span)
    return merged


def subtract(spans: Sequence[Span], busy: Iterable[Span]) -> list[Span]:
    """`spans` minus every busy span; both may be unsorted, the result is sorted."""
    free = merge(spans)
    for block in merge(busy):
        next_free: list[Span] = []
        for span in free:
            if not span.overlaps(block):
                next_free.append(span)
                continue
            if span.start < block.start:
                next_free.append(Span(span.start, block.start))
            if block.end < span.end:
                next_free.append(Span(block.end, span.end))
        free = next_free
    return free


def within(span: Span, spans: Sequence[Span]) -> bool:
    """True when `span` lies inside one open span (merged, so a booking may straddle two
    adjoining intervals but never a break)."""
    return any(open_.contains(span) for open_ in merge(spans))


def slot_starts(
    free: Sequence[Span],
    *,
    duration: timedelta,
    step: timedelta,
    zone: ZoneInfo,
    earliest: time | None = None,
    latest: time | None = None,
    not_before: datetime | None = None,
) -> list[Span]:
    """Openings of `duration` inside the free spans, starting on the step grid (aligned to
    the local hour), whose local start is in [earliest, latest) and not before `not_before`."""
    result: list[Span] = []
    step_min = max(1, int(step.total_seconds() // 60))
    for span in free:
        local = span.start.astimezone(zone)
        # Align the first start to the grid of the local hour: 09:07 -> 09:15 for 15 minutes.
        offset = (local.minute % step_min) * 60 + local.second
        start = (
            span.start if offset == 0 else span.start + timedelta(seconds=step_min * 60 - offset)
        )
        while start + duration <= span.end:
            wall = start.astimezone(zone).time()
            if (
                (earliest is None or wall >= earliest)
                and (latest is None or wall < latest)
                and (not_before is None or start >= not_before)
            ):
                result.append(Span(start, start + duration))
            start += step
    return result


def series_dates(
    first_day: date,
    *,
    unit: str,
    interval: int,
    weekdays: frozenset[int],
    until: date | None,
    count: int | None,
) -> list[date]:
    """The dates of a series: every `interval` days, or every `interval` weeks on `weekdays`
    (the first day's weekday when none are chosen), up to `until` or `count` occurrences."""
    if interval < 1 or (until is None and count is None):
        return []
    limit = min(count if count is not None else MAX_OCCURRENCES, MAX_OCCURRENCES)
    dates: list[date] = []
    if unit == "day":
        day = first_day
        while len(dates) < limit and (until is None or day <= until):
            dates.append(day)
            day += timedelta(days=interval)
        return dates
    days = weekdays or frozenset({first_day.weekday()})
    week_start = first_day - timedelta(days=first_day.weekday())
    while len(dates) < limit:
        for weekday in sorted(days):
            day = week_start + timedelta(days=weekday)
            if day < first_day:
                continue
            if (until is not None and day > until) or len(dates) >= limit:
                return dates
            dates.append(day)
        week_start += timedelta(weeks=interval)
        if until is None and count is None:
            break
    return dates
