"""The agenda's rules as they meet the database: the clinic's zone and country, public holidays
(from the `holidays` package, in the UI language), closures, each practitioner's open time per
date, and the check every booking, move, resize and series goes through. Overlaps (same
practitioner or same room, touching edges allowed) are never allowed; booking outside working
hours, on a closure or holiday, or in the past is allowed only as an explicit override."""

from __future__ import annotations

import uuid
from collections import defaultdict
from collections.abc import Iterable, Sequence
from datetime import date, datetime, time, timedelta
from functools import lru_cache
from zoneinfo import ZoneInfo

import holidays as holidays_lib
from sqlalchemy import Select, or_, select
from sqlalchemy.orm import Session

from clinic_desktop.i18n import _, current_language
from clinic_desktop.models.appointment import ACTIVE_STATUSES, Appointment, overlapping
from clinic_desktop.models.clinic import Clinic
from clinic_desktop.models.schedule import (
    ClinicClosure,
    ExceptionKind,
    Practitioner,
    ScheduleException,
    WorkingHours,
)
from clinic_desktop.models.scheduling import DayPlan, Span, local_moment, open_spans, within
from clinic_desktop.services.agenda_dto import DaySchedule, SlotProblem

_ACTIVE = tuple(s.value for s in ACTIVE_STATUSES)


def _clinic_place(session: Session) -> tuple[str, str]:
    """(time zone, country), read once per transaction: the rules ask for them many times."""
    cached = session.info.get("clinic_place")
    if cached is None:
        row = session.execute(select(Clinic.timezone, Clinic.country).limit(1)).first()
        cached = (row[0], row[1]) if row else ("UTC", "EC")
        session.info["clinic_place"] = cached
    return cached


def clinic_zone(session: Session) -> ZoneInfo:
    return ZoneInfo(_clinic_place(session)[0])


def clinic_country(session: Session) -> str:
    return _clinic_place(session)[1]


@lru_cache(maxsize=64)
def _holidays_of(country: str, year: int, language: str) -> dict[date, str]:
    lang = "en_US" if language == "en" else language
    try:
        found = holidays_lib.country_holidays(country, years=year, language=lang)
    except NotImplementedError:  # an unsupported country: no holidays rather than a crash
        return {}
    return dict(found.items())


def holidays_between(country: str, first: date, last: date) -> dict[date, str]:
    names: dict[date, str] = {}
    for year in range(first.year, last.year + 1):
        for day, name in _holidays_of(country, year, current_language()).items():
            if first <= day <= last:
                names[day] = name
    return names


def closed_days(session: Session, first: date, last: date) -> dict[date, str]:
    """Dates the whole clinic is shut, with the label the calendar shows."""
    labels = {
        day: _("Holiday: {name}").format(name=name)
        for day, name in holidays_between(clinic_country(session), first, last).items()
    }
    closures = session.scalars(
        select(ClinicClosure).where(
            ClinicClosure.deleted_at.is_(None),
            ClinicClosure.first_day <= last,
            ClinicClosure.last_day >= first,
        )
    )
    for closure in closures:
        day = max(closure.first_day, first)
        while day <= min(closure.last_day, last):
            labels[day] = _("Clinic closed: {reason}").format(reason=closure.reason)
            day += timedelta(days=1)
    return labels


def day_plans(
    session: Session, practitioner_ids: Sequence[uuid.UUID], first: date, last: date
) -> dict[tuple[uuid.UUID, date], DayPlan]:
    """The wall-clock plan of every practitioner on every date in [first, last]."""
    weekly: dict[uuid.UUID, dict[int, list[tuple[time, time]]]] = defaultdict(
        lambda: defaultdict(list)
    )
    # Plain columns, not entities: this runs on every view and booking, and building ORM
    # objects was most of its cost.
    hours = select(
        WorkingHours.practitioner_id,
        WorkingHours.weekday,
        WorkingHours.start_time,
        WorkingHours.end_time,
    ).where(WorkingHours.deleted_at.is_(None), WorkingHours.practitioner_id.in_(practitioner_ids))
    for pid, weekday, start, end in session.execute(hours):
        weekly[pid][weekday].append((start, end))
    extra: dict[tuple[uuid.UUID, date], list[tuple[time, time]]] = defaultdict(list)
    off: dict[tuple[uuid.UUID, date], list[tuple[time | None, time | None]]] = defaultdict(list)
    exceptions = select(
        ScheduleException.practitioner_id,
        ScheduleException.day,
        ScheduleException.kind,
        ScheduleException.start_time,
        ScheduleException.end_time,
    ).where(
        ScheduleException.deleted_at.is_(None),
        ScheduleException.practitioner_id.in_(practitioner_ids),
        ScheduleException.day >= first,
        ScheduleException.day <= last,
    )
    for pid, day, kind, start_time, end_time in session.execute(exceptions):
        key = (pid, day)
        if kind == ExceptionKind.EXTRA.value and start_time and end_time:
            extra[key].append((start_time, end_time))
        elif kind == ExceptionKind.OFF.value:
            off[key].append((start_time, end_time))
    plans: dict[tuple[uuid.UUID, date], DayPlan] = {}
    for pid in practitioner_ids:
        day = first
        while day <= last:
            key = (pid, day)
            plans[key] = DayPlan(
                regular=tuple(sorted(weekly[pid][day.weekday()])),
                extra=tuple(extra.get(key, ())),
                off=tuple(off.get(key, ())),
            )
            day += timedelta(days=1)
    return plans


def day_schedules(
    session: Session, practitioner_ids: Sequence[uuid.UUID], first: date, last: date
) -> tuple[list[DaySchedule], dict[date, str]]:
    zone = clinic_zone(session)
    closed = closed_days(session, first, last)
    schedules = [
        DaySchedule(
            practitioner_id=pid,
            day=day,
            open=tuple((s.start, s.end) for s in open_spans(day, plan, zone, closed=day in closed)),
            closed_label=closed.get(day, ""),
        )
        for (pid, day), plan in day_plans(session, practitioner_ids, first, last).items()
    ]
    return schedules, closed


def busy_query(
    practitioner_ids: Iterable[uuid.UUID],
    room_ids: Iterable[uuid.UUID],
    start: datetime,
    end: datetime,
    exclude: Iterable[uuid.UUID] = (),
) -> Select[Appointment]:
    """Active appointments of these practitioners or rooms that overlap [start, end)."""
    owners = [Appointment.practitioner_id.in_(list(practitioner_ids))]
    rooms = [r for r in room_ids if r is not None]
    if rooms:
        owners.append(Appointment.room_id.in_(rooms))
    query = select(Appointment).where(
        Appointment.deleted_at.is_(None),
        Appointment.status.in_(_ACTIVE),
        overlapping(start, end),
        or_(*owners),
    )
    excluded = list(exclude)
    if excluded:
        query = query.where(Appointment.id.not_in(excluded))
    return query


def check_slot(
    session: Session,
    *,
    practitioner_id: uuid.UUID,
    room_id: uuid.UUID | None,
    start: datetime,
    end: datetime,
    now: datetime,
    exclude: Iterable[uuid.UUID] = (),
) -> list[SlotProblem]:
    """Every reason [start, end) does not work for this practitioner and room."""
    problems: list[SlotProblem] = []
    zone = clinic_zone(session)
    for other in session.scalars(
        busy_query([practitioner_id], [room_id] if room_id else [], start, end, exclude).limit(5)
    ):
        when = other.start_at.astimezone(zone).strftime("%H:%M")
        until = other.end_at.astimezone(zone).strftime("%H:%M")
        if other.practitioner_id == practitioner_id:
            problems.append(
                SlotProblem(
                    "overlap_practitioner",
                    _("Overlap: the practitioner already has an appointment {start}–{end}.").format(
                        start=when, end=until
                    ),
                    True,
                )
            )
        else:
            problems.append(
                SlotProblem(
                    "overlap_room",
                    _("Overlap: the room is already booked {start}–{end}.").format(
                        start=when, end=until
                    ),
                    True,
                )
            )
    problems.extend(_calendar_problems(session, practitioner_id, start, end, now, zone))
    return problems


def _calendar_problems(
    session: Session,
    practitioner_id: uuid.UUID,
    start: datetime,
    end: datetime,
    now: datetime,
    zone: ZoneInfo,
) -> list[SlotProblem]:
    problems: list[SlotProblem] = []
    first = start.astimezone(zone).date()
    last = (end - timedelta(microseconds=1)).astimezone(zone).date()
    closed = closed_days(session, first, last)
    for day, label in sorted(closed.items()):
        code = "holiday" if day in holidays_between(clinic_country(session), day, day) else "closed"
        problems.append(SlotProblem(code, label + ".", False))
    if not closed:
        plans = day_plans(session, [practitioner_id], first, last)
        spans = [
            span
            for (_pid, day), plan in plans.items()
            for span in open_spans(day, plan, zone, closed=False)
        ]
        if not within(Span(start, end), spans):
            problems.append(
                SlotProblem(
                    "outside_hours",
                    _("Working hours: the practitioner does not work at that time."),
                    False,
                )
            )
    if start < now:
        problems.append(
            SlotProblem(
                "past", _("Start: the time is in the past (a back-entry needs an override)."), False
            )
        )
    return problems


def practitioner_names(session: Session) -> dict[uuid.UUID, str]:
    return {a: b for a, b in session.execute(select(Practitioner.id, Practitioner.display_name))}


def local_day_span(day: date, zone: ZoneInfo) -> tuple[datetime, datetime]:
    return local_moment(day, time(0), zone), local_moment(day + timedelta(days=1), time(0), zone)
