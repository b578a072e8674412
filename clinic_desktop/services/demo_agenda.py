"""The demo clinic's agenda: practitioners linked to the demo doctors plus external ones, weekly
hours with breaks, time off, an extra Saturday, a closure, rooms, appointment types, years of
appointments (busiest around today), a few recurring series and a waitlist. Everything is
generated in plain Python and written in batches of bulk inserts, with one audit entry for the
whole lot, so a million appointments take about a minute (benchmarks/README.md). The same
seed, day and "now" give the same agenda (ids and creation stamps aside); no two active
appointments of a practitioner or a room overlap, and none falls outside working hours, on a
public holiday or on the closure."""

from __future__ import annotations

import heapq
import random
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from typing import Any, cast
from zoneinfo import ZoneInfo

from sqlalchemy import Table, insert, select
from sqlalchemy.orm import Session

from clinic_desktop.actor import Actor
from clinic_desktop.db.audit_log import append_audit
from clinic_desktop.models.appointment import Appointment, AppointmentSeries, WaitlistEntry
from clinic_desktop.models.base import new_id, utcnow
from clinic_desktop.models.patient import Patient
from clinic_desktop.models.schedule import (
    AppointmentType,
    ClinicClosure,
    Practitioner,
    Room,
    ScheduleException,
    WorkingHours,
)
from clinic_desktop.models.scheduling import local_moment
from clinic_desktop.models.user import User
from clinic_desktop.services.agenda_rules import clinic_country, clinic_zone, holidays_between
from clinic_desktop.services.demo_agenda_rows import (
    RowContext,
    appointment_row,
    ensure_waiting,
    utc_midnights,
)
from clinic_desktop.services.demo_agenda_series import (
    SeriesPlan,
    plan_series,
    series_rows,
    waitlist_rows,
)
from clinic_desktop.services.demo_agenda_setup import (
    BASE_ROOMS,
    CLOSURE_REASON,
    TYPES,
    VIDEO,
    VIDEO_ROOM,
    Calendar,
    ExceptionPlan,
    PractitionerPlan,
    as_time,
    closure_day,
    exception_plans,
    practitioner_plans,
)
from clinic_desktop.services.demo_agenda_slots import Slots, generate_slots
from clinic_desktop.services.demo_bulk import BulkWriter, loading_cache
from clinic_desktop.services.settings import read_settings

BATCH = 5000


@dataclass(frozen=True)
class AgendaDemoStats:
    """What `add_demo_agenda` made, and the day range and instant it was made around."""

    practitioners: int
    rooms: int
    appointment_types: int
    appointments: int
    series: int
    waitlist: int
    exceptions: int
    first_day: date
    last_day: date
    now: datetime


def demo_agenda_size(patients: int) -> tuple[int, int]:
    """(practitioners, appointments) for a demo of `patients` patients: four practitioners and
    ten appointments per patient for a small clinic, growing to 20 practitioners, and never
    more than the practitioners can see in two years."""
    practitioners = max(4, min(20, patients // 5000))
    return practitioners, min(patients * 10, practitioners * 5000)


def demo_moment(today: date, zone: ZoneInfo, now: datetime | None = None) -> datetime:
    """The instant the demo's statuses are relative to: the real time when the demo is made
    for today, kept within office hours (so a demo made at night still has patients
    waiting), or 10:30 on another day."""
    moment = now or utcnow()
    if moment.astimezone(zone).date() != today:
        return local_moment(today, time(10, 30), zone)
    return min(
        max(moment, local_moment(today, time(8, 45), zone)), local_moment(today, time(17, 15), zone)
    )


def add_demo_agenda(
    session: Session,
    *,
    actor: Actor,
    practitioners: int,
    appointments: int,
    years: float,
    seed: int,
    today: date,
    now: datetime | None = None,
) -> AgendaDemoStats:
    """Adds the calendar and `appointments` appointments (fewer only if they do not fit) over
    `years` years around `today`: one year ahead at most, the rest behind."""
    rng = random.Random(seed)
    zone = clinic_zone(session)
    moment = now if now is not None else demo_moment(today, zone)
    ahead = min(1.0, years / 2)
    first = today - timedelta(days=round((years - ahead) * 365.25))
    last = today + timedelta(days=round(ahead * 365.25))
    holidays = set(holidays_between(clinic_country(session), first, last))
    rooms = list(BASE_ROOMS)
    plans = practitioner_plans(max(1, practitioners), rooms)
    exceptions = exception_plans(plans, first, last, today, rng)
    closure = closure_day(today, holidays)
    calendar = Calendar(plans, exceptions, holidays | {closure})
    stamp = utcnow()
    room_ids = [new_id() for _ in rooms]
    type_ids = [new_id() for _ in TYPES]
    _write_setup(session, plans, rooms, room_ids, type_ids, exceptions, closure, stamp)
    patient_ids = list(
        session.scalars(
            select(Patient.id).where(Patient.deleted_at.is_(None)).order_by(Patient.chart_number)
        )
    )
    ctx = RowContext(
        moment=moment.astimezone(UTC).replace(tzinfo=None),
        today=today.toordinal(),
        late_window=timedelta(hours=int(read_settings(session)["agenda.late_cancel_hours"])),
        practitioner_ids=[p.id for p in plans],
        room_ids=room_ids,
        type_ids=type_ids,
        patient_ids=patient_ids,
        rng=rng,
    )
    made = series_made = waiting = 0
    if patient_ids and appointments > 0:
        series = plan_series(plans, calendar, first, last, today, appointments, patient_ids, rng)
        _insert(session, AppointmentSeries, series_rows(series, ctx.practitioner_ids, stamp))
        slots = generate_slots(plans, calendar, first, last, today, series, appointments, rng)
        with loading_cache(session):
            made, upcoming = _write_appointments(
                session, ctx, slots, series, zone, first, last, [p.room for p in plans]
            )
        series_made = len(series)
        entries = waitlist_rows(plans, ctx, upcoming, max(3, min(300, len(patient_ids) // 25)))
        _insert(session, WaitlistEntry, entries)
        waiting = len(entries)
    stats = AgendaDemoStats(
        practitioners=len(plans),
        rooms=len(rooms),
        appointment_types=len(TYPES),
        appointments=made,
        series=series_made,
        waitlist=waiting,
        exceptions=len(exceptions),
        first_day=first,
        last_day=last,
        now=moment,
    )
    # Generated in bulk: one entry for the whole agenda rather than one per row.
    append_audit(
        session,
        actor=actor,
        action="demo.agenda_generated",
        entity="Appointment",
        changes={
            "seed": seed,
            "practitioners": stats.practitioners,
            "appointments": stats.appointments,
            "series": stats.series,
            "waitlist": stats.waitlist,
            "from": first.isoformat(),
            "to": last.isoformat(),
        },
    )
    return stats


def _insert(session: Session, model: type[Any], rows: list[dict[str, Any]]) -> None:
    # render_nulls keeps every row the same shape, so the rows go out in large batches.
    for start in range(0, len(rows), BATCH):
        session.execute(
            insert(model).execution_options(render_nulls=True), rows[start : start + BATCH]
        )


def _base(id_: uuid.UUID, stamp: datetime) -> dict[str, Any]:
    return {"id": id_, "created_at": stamp, "updated_at": stamp, "version": 1}


def _write_setup(
    session: Session,
    plans: list[PractitionerPlan],
    rooms: list[str],
    room_ids: list[uuid.UUID],
    type_ids: list[uuid.UUID],
    exceptions: list[ExceptionPlan],
    closure: date,
    stamp: datetime,
) -> None:
    users = {name: id_ for name, id_ in session.execute(select(User.username, User.id))}
    taken = set(
        session.scalars(select(Practitioner.user_id).where(Practitioner.user_id.is_not(None)))
    )
    for plan in plans:
        user_id = users.get(plan.username) if plan.username else None
        # An account already linked (the demo run twice on one clinic) stays with its owner.
        plan.user_id = user_id if user_id not in taken else None
    _insert(
        session,
        Practitioner,
        [
            {
                **_base(p.id, stamp),
                "user_id": p.user_id,
                "display_name": p.name,
                "specialty": p.specialty,
                "colour": p.colour,
                "active": True,
                "sort_order": p.sort_order,
            }
            for p in plans
        ],
    )
    _insert(
        session,
        WorkingHours,
        [
            {
                **_base(new_id(), stamp),
                "practitioner_id": p.id,
                "weekday": weekday,
                "start_time": as_time(a),
                "end_time": as_time(b),
            }
            for p in plans
            for weekday, spans in sorted(p.weekly.items())
            for a, b in spans
        ],
    )
    _insert(
        session,
        ScheduleException,
        [
            {
                **_base(new_id(), stamp),
                "practitioner_id": plans[e.practitioner].id,
                "day": e.day,
                "kind": str(e.kind),
                "start_time": as_time(e.span[0]) if e.span else None,
                "end_time": as_time(e.span[1]) if e.span else None,
                "note": e.note,
            }
            for e in exceptions
        ],
    )
    _insert(
        session,
        ClinicClosure,
        [
            {
                **_base(new_id(), stamp),
                "first_day": closure,
                "last_day": closure,
                "reason": CLOSURE_REASON,
            }
        ],
    )
    _insert(
        session,
        Room,
        [
            {**_base(room_ids[i], stamp), "name": name, "active": True, "sort_order": i + 1}
            for i, name in enumerate(rooms)
        ],
    )
    _insert(
        session,
        AppointmentType,
        [
            {
                **_base(type_ids[i], stamp),
                "name": t.name,
                "duration_minutes": t.minutes,
                "colour": t.colour,
                "mode": t.mode,
                "active": True,
            }
            for i, t in enumerate(TYPES)
        ],
    )


def _write_appointments(
    session: Session,
    ctx: RowContext,
    slots: Slots,
    series: list[SeriesPlan],
    zone: ZoneInfo,
    first: date,
    last: date,
    home_rooms: list[int],
) -> tuple[int, list[dict[str, Any]]]:
    """Inserts series occurrences and generated slots, day by day; returns how many and a
    sample of future bookings the waitlist can point at."""
    bases = utc_midnights(first, last, zone)
    minute = [timedelta(minutes=m) for m in range(24 * 60 + 1)]
    video_busy: dict[int, list[tuple[int, int]]] = {}
    batch: list[dict[str, Any]] = []
    today_rows: list[dict[str, Any]] = []
    upcoming: list[dict[str, Any]] = []
    made = 0
    writer: BulkWriter | None = None

    def flush(rows: list[dict[str, Any]]) -> None:
        nonlocal writer, made
        if rows:
            writer = writer or BulkWriter(session, cast(Table, Appointment.__table__), rows[0])
            writer.write(rows)
            made += len(rows)

    def room_for(practitioner: int, ordinal: int, start: int, end: int, kind: int) -> int:
        if kind != VIDEO:
            return home_rooms[practitioner]
        busy = video_busy.setdefault(ordinal, [])
        if any(a < end and start < b for a, b in busy):
            return -1  # the video room is taken: the call is made from anywhere
        busy.append((start, end))
        return VIDEO_ROOM

    occurrences = sorted(
        (d.toordinal(), s.practitioner, s.start, s.start + s.minutes, s.kind, s.id, s.patient_id)
        for s in series
        for d in s.occurrences
    )
    generated = (
        (day, practitioner, start, end, kind, None, None)
        for practitioner, day, start, end, kind in slots.rows()
    )
    # Both streams are in date order, so merging them keeps the rows going out day by day.
    entries: Iterator[tuple[int, int, int, int, int, uuid.UUID | None, uuid.UUID | None]]
    entries = heapq.merge(occurrences, generated, key=lambda e: (e[0], e[1], e[2]))
    for ordinal, practitioner, start, end, kind, series_id, patient_id in entries:
        base = bases[ordinal]
        row = appointment_row(
            ctx,
            practitioner=practitioner,
            day=ordinal,
            start=base + minute[start],
            end=base + minute[end],
            kind=kind,
            room=room_for(practitioner, ordinal, start, end, kind),
            series_id=series_id,
            patient_id=patient_id,
        )
        if ordinal == ctx.today:
            today_rows.append(row)  # held back: the waiting room is settled once the day is known
            continue
        if ordinal > ctx.today and len(upcoming) < 2000 and row["status"] != "cancelled":
            upcoming.append(row)
        batch.append(row)
        if len(batch) >= BATCH:
            flush(batch)
            batch = []
    ensure_waiting(today_rows, ctx)
    flush(batch + today_rows)
    return made, upcoming
