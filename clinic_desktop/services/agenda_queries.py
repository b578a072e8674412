"""What the agenda screens read: everything a day or week view paints in one call (columns,
appointments, working time, closures), the per-status counts of a month, the list view, the
waiting room, one appointment with its move history, and the free-slot finder."""

from __future__ import annotations

import uuid
from collections import defaultdict
from collections.abc import Sequence
from datetime import date, datetime, time, timedelta

from sqlalchemy import func, select

from clinic_desktop.actor import Actor
from clinic_desktop.db.uow import UnitOfWork
from clinic_desktop.errors import ValidationError
from clinic_desktop.i18n import _
from clinic_desktop.models.appointment import (
    ACTIVE_STATUSES,
    Appointment,
    AppointmentMove,
    AppointmentStatus,
    overlapping,
)
from clinic_desktop.models.base import utcnow
from clinic_desktop.models.permissions import Permission
from clinic_desktop.models.scheduling import Span, open_spans, slot_starts, subtract
from clinic_desktop.models.user import User
from clinic_desktop.services.access import require
from clinic_desktop.services.agenda_dto import (
    AgendaRange,
    AppointmentDTO,
    FreeSlot,
    MonthDayCount,
    MoveDTO,
    WaitingRoomEntry,
)
from clinic_desktop.services.agenda_rules import (
    busy_query,
    clinic_zone,
    closed_days,
    day_plans,
    day_schedules,
    local_day_span,
    practitioner_names,
)
from clinic_desktop.services.appointment_rows import dto_select, load_dto, row_to_dto
from clinic_desktop.services.schedules import practitioner_dtos, room_dtos
from clinic_desktop.services.settings import read_settings

MAX_RANGE_DAYS = 62


def agenda_range(
    uow: UnitOfWork,
    *,
    actor: Actor,
    first_day: date,
    last_day: date,
    practitioner_ids: Sequence[uuid.UUID] | None = None,
    include_cancelled: bool = False,
) -> AgendaRange:
    """The appointments and working time of [first_day, last_day] for the chosen practitioners
    (all active ones when None)."""
    if last_day < first_day:
        raise ValidationError(_("Dates: the last day is before the first."), field="last_day")
    if (last_day - first_day).days > MAX_RANGE_DAYS:
        raise ValidationError(_("Dates: show at most two months at once."), field="last_day")
    with uow.transaction(actor) as session:
        require(session, actor, Permission.AGENDA_VIEW)
        zone = clinic_zone(session)
        practitioners = tuple(practitioner_dtos(session))
        chosen = (
            [p.id for p in practitioners]
            if practitioner_ids is None
            else [p for p in practitioner_ids]
        )
        start, _unused = local_day_span(first_day, zone)
        _unused, end = local_day_span(last_day, zone)
        query = (
            dto_select()
            .where(
                Appointment.practitioner_id.in_(chosen),
                overlapping(start, end),
            )
            .order_by(Appointment.start_at)
        )
        if not include_cancelled:
            query = query.where(Appointment.status.in_([s.value for s in ACTIVE_STATUSES]))
        appointments = tuple(row_to_dto(r) for r in session.execute(query))
        schedules, closed = day_schedules(session, chosen, first_day, last_day)
        return AgendaRange(
            first_day=first_day,
            last_day=last_day,
            practitioners=practitioners,
            rooms=tuple(room_dtos(session)),
            appointments=appointments,
            schedules=tuple(schedules),
            closed_days=closed,
        )


def month_counts(
    uow: UnitOfWork,
    *,
    actor: Actor,
    first_day: date,
    last_day: date,
    practitioner_ids: Sequence[uuid.UUID] | None = None,
) -> list[MonthDayCount]:
    """Per-day, per-status counts over a month grid (up to six weeks)."""
    if last_day < first_day:
        raise ValidationError(_("Dates: the last day is before the first."), field="last_day")
    if (last_day - first_day).days > MAX_RANGE_DAYS:
        raise ValidationError(_("Dates: show at most two months at once."), field="last_day")
    with uow.transaction(actor) as session:
        require(session, actor, Permission.AGENDA_VIEW)
        zone = clinic_zone(session)
        start, _unused = local_day_span(first_day, zone)
        _unused, end = local_day_span(last_day, zone)
        query = select(Appointment.start_at, Appointment.status).where(
            Appointment.deleted_at.is_(None),
            Appointment.start_at >= start,
            Appointment.start_at < end,
        )
        if practitioner_ids is not None:
            query = query.where(Appointment.practitioner_id.in_(list(practitioner_ids)))
        counts: dict[date, dict[str, int]] = defaultdict(lambda: defaultdict(int))
        for moment, status in session.execute(query):
            counts[moment.astimezone(zone).date()][status] += 1
        closed = closed_days(session, first_day, last_day)
    days: list[MonthDayCount] = []
    day = first_day
    while day <= last_day:
        days.append(MonthDayCount(day, dict(counts.get(day, {})), closed.get(day, "")))
        day += timedelta(days=1)
    return days


def waiting_room(
    uow: UnitOfWork,
    *,
    actor: Actor,
    practitioner_ids: Sequence[uuid.UUID] | None = None,
    now: datetime | None = None,
) -> list[WaitingRoomEntry]:
    """Patients who arrived today and have not gone in yet, longest waiting first."""
    moment = now or utcnow()
    with uow.transaction(actor) as session:
        require(session, actor, Permission.AGENDA_VIEW)
        zone = clinic_zone(session)
        start, end = local_day_span(moment.astimezone(zone).date(), zone)
        query = dto_select().where(
            Appointment.status == AppointmentStatus.ARRIVED.value,
            overlapping(start, end),
        )
        if practitioner_ids is not None:
            query = query.where(Appointment.practitioner_id.in_(list(practitioner_ids)))
        rows = [row_to_dto(r) for r in session.execute(query)]
    entries = [
        WaitingRoomEntry(
            appointment=a,
            arrived_at=a.arrived_at or a.start,
            waited_minutes=max(0, int((moment - (a.arrived_at or a.start)).total_seconds() // 60)),
        )
        for a in rows
    ]
    return sorted(entries, key=lambda e: e.arrived_at)


def get_appointment(
    uow: UnitOfWork, *, actor: Actor, appointment_id: uuid.UUID
) -> tuple[AppointmentDTO, list[MoveDTO]]:
    with uow.transaction(actor) as session:
        require(session, actor, Permission.AGENDA_VIEW)
        dto = load_dto(session, appointment_id)
        names = practitioner_names(session)
        users = {a: b for a, b in session.execute(select(User.id, User.full_name))}
        moves = [
            MoveDTO(
                at=m.created_at,
                by=users.get(m.created_by, _("system")) if m.created_by else _("system"),
                from_start=m.from_start,
                from_end=m.from_end,
                to_start=m.to_start,
                to_end=m.to_end,
                from_practitioner=names.get(m.from_practitioner_id, ""),
                to_practitioner=names.get(m.to_practitioner_id, ""),
            )
            for m in session.scalars(
                select(AppointmentMove)
                .where(AppointmentMove.appointment_id == appointment_id)
                .order_by(AppointmentMove.created_at)
            )
        ]
    return dto, moves


def patient_appointments(
    uow: UnitOfWork, *, actor: Actor, patient_id: uuid.UUID, limit: int = 200
) -> list[AppointmentDTO]:
    with uow.transaction(actor) as session:
        require(session, actor, Permission.AGENDA_VIEW)
        rows = session.execute(
            dto_select()
            .where(Appointment.patient_id == patient_id)
            .order_by(Appointment.start_at.desc())
            .limit(limit)
        )
        return [row_to_dto(r) for r in rows]


def no_show_count(uow: UnitOfWork, *, actor: Actor, patient_id: uuid.UUID) -> int:
    with uow.transaction(actor) as session:
        require(session, actor, Permission.AGENDA_VIEW)
        return int(
            session.scalar(
                select(func.count()).where(
                    Appointment.patient_id == patient_id,
                    Appointment.deleted_at.is_(None),
                    Appointment.status == AppointmentStatus.NO_SHOW.value,
                )
            )
            or 0
        )


def find_free_slots(
    uow: UnitOfWork,
    *,
    actor: Actor,
    minutes: int,
    practitioner_id: uuid.UUID | None = None,
    from_day: date | None = None,
    weeks: int = 8,
    earliest: time | None = None,
    latest: time | None = None,
    limit: int = 10,
    now: datetime | None = None,
) -> list[FreeSlot]:
    """The first `limit` openings of `minutes` over the coming `weeks`, for one practitioner or
    any, whose local start lies in [earliest, latest), never in the past."""
    if minutes <= 0:
        raise ValidationError(_("Duration: it must be more than zero minutes."), field="duration")
    if earliest is not None and latest is not None and latest <= earliest:
        raise ValidationError(_("Time of day: 'until' must be after 'from'."), field="latest")
    moment = now or utcnow()
    with uow.transaction(actor) as session:
        require(session, actor, Permission.AGENDA_VIEW)
        zone = clinic_zone(session)
        first = max(from_day or moment.astimezone(zone).date(), moment.astimezone(zone).date())
        last = first + timedelta(weeks=weeks) - timedelta(days=1)
        step = timedelta(minutes=int(read_settings(session)["agenda.slot_minutes"]))
        practitioners = [p for p in practitioner_dtos(session) if p.active]
        if practitioner_id is not None:
            practitioners = [p for p in practitioners if p.id == practitioner_id]
        ids = [p.id for p in practitioners]
        names = {p.id: p.display_name for p in practitioners}
        range_start, _unused = local_day_span(first, zone)
        _unused, range_end = local_day_span(last, zone)
        busy: dict[tuple[uuid.UUID, date], list[Span]] = defaultdict(list)
        for appt in session.execute(
            busy_query(ids, [], range_start, range_end).with_only_columns(
                Appointment.practitioner_id, Appointment.start_at, Appointment.end_at
            )
        ):
            pid, start, end = appt
            busy[(pid, start.astimezone(zone).date())].append(Span(start, end))
        closed = closed_days(session, first, last)
        plans = day_plans(session, ids, first, last)
    found: list[FreeSlot] = []
    day = first
    while day <= last and len(found) < limit:
        todays: list[FreeSlot] = []
        for pid in ids:
            spans = open_spans(day, plans[(pid, day)], zone, closed=day in closed)
            if not spans:
                continue
            free = subtract(spans, busy.get((pid, day), []))
            for slot in slot_starts(
                free,
                duration=timedelta(minutes=minutes),
                step=step,
                zone=zone,
                earliest=earliest,
                latest=latest,
                not_before=moment,
            ):
                todays.append(FreeSlot(pid, names[pid], slot.start, slot.end))
        todays.sort(key=lambda s: (s.start, s.practitioner_name))
        found.extend(todays[: limit - len(found)])
        day += timedelta(days=1)
    return found
