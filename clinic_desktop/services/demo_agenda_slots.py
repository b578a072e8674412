"""Where the demo agenda's appointments go: each practitioner's open time on each date is
walked from start to end, booking a type drawn from their mix or leaving a short gap, with a
fill rate that follows how busy that date should be (busiest around today). The fill rates
are scaled so the expected total matches the number asked for; the walk aims a little high
and the surplus is dropped at random, so the count is exact whenever the calendar has room.
Slots are kept as compact integer columns (date ordinal, minutes of the local day), so a
million of them cost a few tens of megabytes."""

from __future__ import annotations

import math
import random
from array import array
from bisect import bisect
from collections import Counter
from collections.abc import Iterator
from datetime import date, timedelta

from clinic_desktop.services.demo_agenda_series import SeriesPlan
from clinic_desktop.services.demo_agenda_setup import (
    TYPES,
    Calendar,
    PractitionerPlan,
    subtract_minutes,
)

# The share of a working day that is booked at most: real days keep a few gaps.
_MAX_FILL = 0.95
# Free time left when a slot is not booked, in minutes (and how often each length occurs).
_GAPS = (10, 10, 10, 15, 15, 15, 20, 20, 30)
_GAP_MEAN = sum(_GAPS) / len(_GAPS)


def _weight(delta: int) -> float:
    """How busy a day is compared with the others, by its distance from today: a steady past
    that gets busier towards today, and a future that is full for a week or two and then
    holds only the odd control booked months ahead."""
    if delta < 0:
        weight = 0.12 + 0.88 * math.exp(delta / 21)
    else:
        weight = 0.03 + 0.97 * math.exp(-delta / 12)
    return weight * 1.6 if abs(delta) <= 1 else weight


def _expected(minutes: int, fill: float, mean: float) -> float:
    """Appointments the walk in `_fill_day` makes on average in `minutes` of open time."""
    return minutes * fill / (fill * mean + (1 - fill) * _GAP_MEAN)


def _fill_scale(cells: Counter[tuple[float, int, float]], target: float) -> float:
    """The factor on the day weights that makes the expected total `target` (bisection; the
    fill of a day is capped, so the total flattens when the calendar is nearly full)."""

    def total(scale: float) -> float:
        return sum(
            n * _expected(m, min(_MAX_FILL, scale * w), mean) for (w, m, mean), n in cells.items()
        )

    low, high = 0.0, 1.0
    while total(high) < target and high < 1e6:
        high *= 2
    for _unused in range(40):
        mid = (low + high) / 2
        low, high = (mid, high) if total(mid) < target else (low, mid)
    return high


class Slots:
    """The generated appointments as compact columns, so a million fit in little memory."""

    def __init__(self) -> None:
        self.practitioner = array("l")
        self.day = array("l")
        self.start = array("l")
        self.end = array("l")
        self.kind = array("l")

    def __len__(self) -> int:
        return len(self.day)

    def rows(self) -> Iterator[tuple[int, int, int, int, int]]:
        """(practitioner, date ordinal, start, end, type) in generation order (by date)."""
        return zip(self.practitioner, self.day, self.start, self.end, self.kind, strict=True)


def generate_slots(
    plans: list[PractitionerPlan],
    calendar: Calendar,
    first: date,
    last: date,
    today: date,
    series: list[SeriesPlan],
    target: int,
    rng: random.Random,
) -> Slots:
    reserved: dict[tuple[int, int], list[tuple[int, int]]] = {}
    for s in series:
        for day in s.occurrences:
            reserved.setdefault((s.practitioner, day.toordinal()), []).append(
                (s.start, s.start + s.minutes)
            )
    target -= sum(len(s.occurrences) for s in series)
    means = [sum(TYPES[k].minutes * w for k, w in p.mix) / sum(w for _k, w in p.mix) for p in plans]
    days: list[tuple[date, float]] = []
    cells: Counter[tuple[float, int, float]] = Counter()
    day = first
    while day <= last:
        weight = round(_weight((day - today).days), 3)
        days.append((day, weight))
        for index in range(len(plans)):
            minutes = sum(b - a for a, b in calendar.open(index, day))
            if minutes:
                cells[(weight, minutes, means[index])] += 1
        day += timedelta(days=1)
    # Aim a little high and trim at random afterwards: spans' ends waste a few minutes. The
    # expectation is only an estimate, so a walk that falls short is redone aiming higher.
    aim = target * 1.04
    slots = Slots()
    for _attempt in range(4):
        scale = _fill_scale(cells, aim) if target > 0 else 0.0
        slots = _walk(plans, calendar, days, reserved, scale, rng)
        if len(slots) >= target or not slots:
            break
        aim *= 1.02 * target / len(slots)
    return _trim(slots, max(0, target), rng)


def _walk(
    plans: list[PractitionerPlan],
    calendar: Calendar,
    days: list[tuple[date, float]],
    reserved: dict[tuple[int, int], list[tuple[int, int]]],
    scale: float,
    rng: random.Random,
) -> Slots:
    slots = Slots()
    for day, weight in days:
        fill = min(_MAX_FILL, scale * weight)
        if fill <= 0:
            continue
        ordinal = day.toordinal()
        for index, plan in enumerate(plans):
            spans = calendar.open(index, day)
            taken = reserved.get((index, ordinal))
            if taken:
                spans = subtract_minutes(list(spans), taken)
            if spans:
                _fill_day(slots, index, ordinal, spans, fill, plan.mix, rng)
    return slots


def _fill_day(
    slots: Slots,
    practitioner: int,
    ordinal: int,
    spans: list[tuple[int, int]],
    fill: float,
    mix: tuple[tuple[int, int], ...],
    rng: random.Random,
) -> None:
    """Walks the open time: book a type drawn from the practitioner's mix, or leave a gap."""
    kinds = [k for k, _w in mix]
    cumulative: list[int] = []
    running = 0
    for _k, weight in mix:
        running += weight
        cumulative.append(running)
    shortest = min(kinds, key=lambda k: TYPES[k].minutes)
    random_ = rng.random
    for a, b in spans:
        cursor = a
        while cursor < b:
            if random_() < fill:
                kind = kinds[bisect(cumulative, random_() * running)]
                minutes = TYPES[kind].minutes
                if cursor + minutes > b:
                    kind, minutes = shortest, TYPES[shortest].minutes
                    if cursor + minutes > b:
                        break
                slots.practitioner.append(practitioner)
                slots.day.append(ordinal)
                slots.start.append(cursor)
                slots.end.append(cursor + minutes)
                slots.kind.append(kind)
                cursor += minutes
            else:
                cursor += _GAPS[int(random_() * len(_GAPS))]


def _trim(slots: Slots, target: int, rng: random.Random) -> Slots:
    extra = len(slots) - target
    if extra <= 0:
        return slots
    dropped = set(rng.sample(range(len(slots)), extra))
    kept = Slots()
    for column in ("practitioner", "day", "start", "end", "kind"):
        values = getattr(slots, column)
        getattr(kept, column).extend(v for i, v in enumerate(values) if i not in dropped)
    return kept
