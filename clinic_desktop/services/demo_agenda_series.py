"""The demo agenda's recurring series and waitlist. Series are planned before the other
appointments so their occurrences claim their slots first (a weekly control, an orthodontic
review every four weeks, a fortnightly check); occurrences that would fall on a holiday, the
closure, time off or outside hours are skipped, as `book_series` would report them. Waitlist
entries ask for a practitioner, days and times, and some point at the later appointment the
patient already holds."""

from __future__ import annotations

import random
import uuid
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from typing import Any

from clinic_desktop.models.appointment import RepeatUnit, WaitlistStatus, format_weekdays
from clinic_desktop.models.base import new_id
from clinic_desktop.models.scheduling import series_dates
from clinic_desktop.services.demo_agenda_rows import RowContext
from clinic_desktop.services.demo_agenda_setup import (
    CONTROL,
    ORTHODONTICS,
    TYPES,
    Calendar,
    PractitionerPlan,
    as_time,
)

_WAITLIST_NOTES = (
    "Prefiere mañanas",
    "Puede venir con una hora de aviso",
    "Quiere adelantar su control",
    "Solo después del trabajo",
    "",
    "",
)
_WINDOWS = ((7 * 60, 21 * 60), (8 * 60, 12 * 60), (14 * 60, 19 * 60), (7 * 60, 10 * 60))


@dataclass
class SeriesPlan:
    id: uuid.UUID
    practitioner: int
    patient_id: uuid.UUID
    kind: int
    unit: str
    interval: int
    weekdays: frozenset[int]
    first_day: date
    until: date | None
    count: int | None
    start: int  # minutes after local midnight
    minutes: int
    occurrences: list[date] = field(default_factory=list)


def plan_series(
    plans: list[PractitionerPlan],
    calendar: Calendar,
    first: date,
    last: date,
    today: date,
    appointments: int,
    patient_ids: list[uuid.UUID],
    rng: random.Random,
) -> list[SeriesPlan]:
    wanted = min(max(2, appointments // 400), 3 * len(plans))
    taken: dict[tuple[int, date], list[tuple[int, int]]] = {}
    found: list[SeriesPlan] = []
    for number in range(wanted):
        index = number % len(plans)
        plan = plans[index]
        workdays = sorted(d for d in plan.weekly if d < 5)
        if not workdays:
            continue
        kind = ORTHODONTICS if plan.dental else CONTROL
        minutes = TYPES[kind].minutes
        weekdays = frozenset(
            rng.sample(workdays, 2 if len(workdays) > 2 and rng.random() < 0.3 else 1)
        )
        # A time inside the morning hours of every chosen weekday.
        opens = max(plan.weekly[d][0][0] for d in weekdays)
        latest = min(plan.weekly[d][0][1] for d in weekdays) - minutes
        if latest < opens:
            continue
        start = opens + 30 * rng.randint(0, (latest - opens) // 30)
        unit, interval = rng.choice(
            ((RepeatUnit.WEEK, 1), (RepeatUnit.WEEK, 2), (RepeatUnit.WEEK, 4), (RepeatUnit.DAY, 14))
        )
        if unit is RepeatUnit.DAY:
            weekdays = frozenset({min(weekdays)})
        begin = today + timedelta(days=rng.randint(-70, 10))
        begin += timedelta(days=(min(weekdays) - begin.weekday()) % 7)
        until = begin + timedelta(days=180) if rng.random() < 0.5 else None
        count = None if until else rng.randint(6, 12)
        series = SeriesPlan(
            id=new_id(),
            practitioner=index,
            patient_id=rng.choice(patient_ids),
            kind=kind,
            unit=unit.value,
            interval=interval,
            weekdays=weekdays if unit is RepeatUnit.WEEK else frozenset(),
            first_day=begin,
            until=until,
            count=count,
            start=start,
            minutes=minutes,
        )
        for day in series_dates(
            begin, unit=unit.value, interval=interval, weekdays=weekdays, until=until, count=count
        ):
            slot = (start, start + minutes)
            busy = taken.setdefault((index, day), [])
            if (
                first <= day <= last
                and any(a <= slot[0] and slot[1] <= b for a, b in calendar.open(index, day))
                and not any(a < slot[1] and slot[0] < b for a, b in busy)
            ):
                busy.append(slot)
                series.occurrences.append(day)
        if series.occurrences:
            found.append(series)
    return found


def series_rows(
    series: list[SeriesPlan], practitioner_ids: list[uuid.UUID], stamp: datetime
) -> list[dict[str, Any]]:
    return [
        {
            "id": s.id,
            "created_at": stamp,
            "updated_at": stamp,
            "version": 1,
            "patient_id": s.patient_id,
            "practitioner_id": practitioner_ids[s.practitioner],
            "interval": s.interval,
            "unit": s.unit,
            "weekdays": format_weekdays(s.weekdays),
            "first_day": s.first_day,
            "until": s.until,
            "count": s.count,
            "start_time": as_time(s.start),
            "duration_minutes": s.minutes,
        }
        for s in series
    ]


def waitlist_rows(
    plans: list[PractitionerPlan],
    ctx: RowContext,
    upcoming: list[dict[str, Any]],
    count: int,
) -> list[dict[str, Any]]:
    """`count` entries; half of them hold a later appointment they would like to bring forward."""
    rng = ctx.rng
    by_id = {p: i for i, p in enumerate(ctx.practitioner_ids)}
    rows: list[dict[str, Any]] = []
    for _number in range(count):
        held = rng.choice(upcoming) if upcoming and rng.random() < 0.5 else None
        if held is not None:
            index: int | None = by_id[held["practitioner_id"]]
            patient_id, type_id = held["patient_id"], held["type_id"]
            minutes = int((held["end_at"] - held["start_at"]).total_seconds() // 60)
        else:
            index = rng.randrange(len(plans)) if rng.random() < 0.75 else None
            patient_id = rng.choice(ctx.patient_ids)
            kind = rng.choice(plans[index].mix)[0] if index is not None else 0
            type_id, minutes = ctx.type_ids[kind], TYPES[kind].minutes
        days = sorted(plans[index].weekly) if index is not None else [0, 1, 2, 3, 4]
        chosen = rng.sample(days, rng.randint(min(2, len(days)), len(days)))
        earliest, latest = rng.choice(_WINDOWS)
        created = (
            ctx.moment - timedelta(days=rng.randint(0, 20), minutes=rng.randint(0, 600))
        ).replace(tzinfo=UTC)  # these rows go through the model's UTC columns
        withdrawn = rng.random() < 0.1
        rows.append(
            {
                "id": new_id(),
                "created_at": created,
                "updated_at": created,
                "version": 1,
                "patient_id": patient_id,
                "practitioner_id": ctx.practitioner_ids[index] if index is not None else None,
                "type_id": type_id,
                "duration_minutes": minutes,
                "weekdays": format_weekdays(tuple(chosen)),
                "earliest_time": time(earliest // 60, earliest % 60),
                "latest_time": time(latest // 60, latest % 60),
                "current_appointment_id": held["id"] if held is not None else None,
                "note": rng.choice(_WAITLIST_NOTES),
                "status": (WaitlistStatus.WITHDRAWN if withdrawn else WaitlistStatus.WAITING).value,
                "booked_appointment_id": None,
            }
        )
    return rows
