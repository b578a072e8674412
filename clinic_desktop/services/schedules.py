"""Setting up the calendar: practitioners (linked to a doctor's account or external), their
weekly hours with breaks, date exceptions, clinic closures, rooms and appointment types.
Reading needs agenda.view; every change needs schedule.manage, is audited and announced with
ScheduleChanged so open agendas repaint."""

from __future__ import annotations

import re
import uuid
from collections.abc import Sequence
from datetime import date, time
from typing import TypeVar

from sqlalchemy import select
from sqlalchemy.orm import Session

from clinic_desktop.actor import Actor
from clinic_desktop.db.uow import UnitOfWork
from clinic_desktop.errors import NotFound, ValidationError
from clinic_desktop.events import ScheduleChanged
from clinic_desktop.i18n import _
from clinic_desktop.models.permissions import Permission
from clinic_desktop.models.schedule import (
    AppointmentMode,
    AppointmentType,
    ClinicClosure,
    ExceptionKind,
    Practitioner,
    Room,
    ScheduleException,
    WorkingHours,
)
from clinic_desktop.models.user import User, UserRole
from clinic_desktop.services.access import require
from clinic_desktop.services.agenda_dto import (
    AppointmentTypeDTO,
    ClosureDTO,
    HoursInterval,
    PractitionerDTO,
    RoomDTO,
    ScheduleExceptionDTO,
)
from clinic_desktop.services.concurrency import check_version

_COLOUR = re.compile(r"^#[0-9A-Fa-f]{6}$")


def practitioner_dtos(session: Session, *, include_inactive: bool = False) -> list[PractitionerDTO]:
    query = (
        select(Practitioner, User.username)
        .outerjoin(User, User.id == Practitioner.user_id)
        .where(Practitioner.deleted_at.is_(None))
        .order_by(Practitioner.sort_order, Practitioner.display_name)
    )
    if not include_inactive:
        query = query.where(Practitioner.active.is_(True))
    return [
        PractitionerDTO(
            id=p.id,
            user_id=p.user_id,
            username=username,
            display_name=p.display_name,
            specialty=p.specialty,
            colour=p.colour,
            active=p.active,
            sort_order=p.sort_order,
            version=p.version,
        )
        for p, username in session.execute(query)
    ]


def room_dtos(session: Session, *, include_inactive: bool = False) -> list[RoomDTO]:
    query = select(Room).where(Room.deleted_at.is_(None)).order_by(Room.sort_order, Room.name)
    if not include_inactive:
        query = query.where(Room.active.is_(True))
    return [
        RoomDTO(r.id, r.name, r.active, r.sort_order, r.version) for r in session.scalars(query)
    ]


def _type_dto(t: AppointmentType) -> AppointmentTypeDTO:
    return AppointmentTypeDTO(
        t.id, t.name, t.duration_minutes, t.colour, t.mode, t.active, t.version
    )


_Saved = TypeVar("_Saved", Practitioner, Room, AppointmentType)


def _row_to_save(
    session: Session,
    model: type[_Saved],
    row_id: uuid.UUID | None,
    expected_version: int | None,
    gone: str,
) -> _Saved:
    """A new row (no id), or the live one being edited, refused if someone saved it since."""
    if row_id is None:
        row = model()
        session.add(row)
        return row
    found = session.get(model, row_id)
    if found is None or found.is_deleted:
        raise NotFound(gone)
    if expected_version is not None:
        check_version(session, found, expected_version)
    return found


def list_practitioners(
    uow: UnitOfWork, *, actor: Actor, include_inactive: bool = False
) -> list[PractitionerDTO]:
    with uow.transaction(actor) as session:
        require(session, actor, Permission.AGENDA_VIEW)
        return practitioner_dtos(session, include_inactive=include_inactive)


def list_rooms(uow: UnitOfWork, *, actor: Actor, include_inactive: bool = False) -> list[RoomDTO]:
    with uow.transaction(actor) as session:
        require(session, actor, Permission.AGENDA_VIEW)
        return room_dtos(session, include_inactive=include_inactive)


def list_appointment_types(
    uow: UnitOfWork, *, actor: Actor, include_inactive: bool = False
) -> list[AppointmentTypeDTO]:
    with uow.transaction(actor) as session:
        require(session, actor, Permission.AGENDA_VIEW)
        query = select(AppointmentType).where(AppointmentType.deleted_at.is_(None))
        if not include_inactive:
            query = query.where(AppointmentType.active.is_(True))
        return [_type_dto(t) for t in session.scalars(query.order_by(AppointmentType.name))]


def _name(value: str, *, field: str, label: str, limit: int = 80) -> str:
    text = " ".join(value.split())
    if not text:
        raise ValidationError(_("{field}: it is required.").format(field=label), field=field)
    if len(text) > limit:
        raise ValidationError(
            _("{field}: at most {count} characters.").format(field=label, count=limit),
            field=field,
        )
    return text


def _colour(value: str) -> str:
    if not _COLOUR.match(value):
        raise ValidationError(
            _("Colour: use the form #RRGGBB, for example #0F766E."), field="colour"
        )
    return value.upper()


def save_practitioner(
    uow: UnitOfWork,
    *,
    actor: Actor,
    display_name: str,
    specialty: str = "",
    colour: str = "#0F766E",
    user_id: uuid.UUID | None = None,
    active: bool = True,
    sort_order: int = 0,
    practitioner_id: uuid.UUID | None = None,
    expected_version: int | None = None,
) -> PractitionerDTO:
    """Adds a practitioner, or edits one when `practitioner_id` is given."""
    name = _name(display_name, field="display_name", label=_("Name"), limit=200)
    colour = _colour(colour)
    specialty = " ".join(specialty.split())[:120]
    with uow.transaction(actor) as session:
        require(session, actor, Permission.SCHEDULE_MANAGE)
        if user_id is not None:
            user = session.get(User, user_id)
            if user is None or user.is_deleted:
                raise ValidationError(_("Account: choose an existing user."), field="user_id")
            taken = session.scalar(
                select(Practitioner.id).where(
                    Practitioner.user_id == user_id, Practitioner.deleted_at.is_(None)
                )
            )
            if taken is not None and taken != practitioner_id:
                raise ValidationError(
                    _("Account: this user is already linked to another practitioner."),
                    field="user_id",
                )
        row = _row_to_save(
            session,
            Practitioner,
            practitioner_id,
            expected_version,
            _("The practitioner no longer exists."),
        )
        row.display_name = name
        row.specialty = specialty
        row.colour = _colour(colour)
        row.user_id = user_id
        row.active = active
        row.sort_order = sort_order
        session.flush()
        result = next(
            p for p in practitioner_dtos(session, include_inactive=True) if p.id == row.id
        )
        uow.publish_after_commit(ScheduleChanged(what="practitioners"))
    return result


def list_practitioner_accounts(
    uow: UnitOfWork, *, actor: Actor
) -> list[tuple[uuid.UUID, str, str]]:
    """(id, username, full name) of active accounts that may be linked to a practitioner:
    doctors and owners, the roles that see patients."""
    with uow.transaction(actor) as session:
        require(session, actor, Permission.SCHEDULE_MANAGE)
        rows = session.execute(
            select(User.id, User.username, User.full_name)
            .join(UserRole, UserRole.user_id == User.id)
            .where(
                User.deleted_at.is_(None),
                User.disabled.is_(False),
                UserRole.role.in_(["doctor", "owner"]),
            )
            .distinct()
            .order_by(User.full_name)
        )
        return [(uid, username, name) for uid, username, name in rows]


def get_working_hours(
    uow: UnitOfWork, *, actor: Actor, practitioner_id: uuid.UUID
) -> list[HoursInterval]:
    with uow.transaction(actor) as session:
        require(session, actor, Permission.AGENDA_VIEW)
        rows = session.scalars(
            select(WorkingHours)
            .where(
                WorkingHours.practitioner_id == practitioner_id,
                WorkingHours.deleted_at.is_(None),
            )
            .order_by(WorkingHours.weekday, WorkingHours.start_time)
        )
        return [HoursInterval(r.weekday, r.start_time, r.end_time) for r in rows]


def clean_week(hours: Sequence[HoursInterval]) -> list[HoursInterval]:
    """Each interval must end after it starts and not overlap another of the same day."""
    from clinic_desktop.services.agenda_labels import weekday_label

    ordered = sorted(hours, key=lambda h: (h.weekday, h.start))
    for index, interval in enumerate(ordered):
        if not 0 <= interval.weekday <= 6:
            raise ValidationError(_("Weekday: unknown day."), field="hours")
        day = weekday_label(interval.weekday)
        if interval.end <= interval.start:
            raise ValidationError(
                _("Hours on {day}: the end must be after the start.").format(day=day),
                field="hours",
            )
        previous = ordered[index - 1] if index else None
        if previous and previous.weekday == interval.weekday and interval.start < previous.end:
            raise ValidationError(
                _("Hours on {day}: two intervals overlap.").format(day=day), field="hours"
            )
    return ordered


def set_working_hours(
    uow: UnitOfWork,
    *,
    actor: Actor,
    practitioner_id: uuid.UUID,
    hours: Sequence[HoursInterval],
) -> list[HoursInterval]:
    """Replaces the practitioner's whole week; the old rows go to the trash, not away."""
    cleaned = clean_week(hours)
    with uow.transaction(actor) as session:
        require(session, actor, Permission.SCHEDULE_MANAGE)
        found = session.get(Practitioner, practitioner_id)
        if found is None or found.is_deleted:
            raise NotFound(_("The practitioner no longer exists."))
        current = list(
            session.scalars(
                select(WorkingHours).where(
                    WorkingHours.practitioner_id == practitioner_id,
                    WorkingHours.deleted_at.is_(None),
                )
            )
        )
        existing = {(r.weekday, r.start_time, r.end_time): r for r in current}
        wanted = {(h.weekday, h.start, h.end) for h in cleaned}
        for key, row in existing.items():
            if key not in wanted:
                row.soft_delete(by=actor.user_id)
        for weekday, start, end in sorted(wanted - existing.keys()):
            session.add(
                WorkingHours(
                    practitioner_id=practitioner_id, weekday=weekday, start_time=start, end_time=end
                )
            )
        uow.publish_after_commit(ScheduleChanged(what="hours"))
    return cleaned


def list_exceptions(
    uow: UnitOfWork,
    *,
    actor: Actor,
    practitioner_id: uuid.UUID | None = None,
    from_day: date | None = None,
) -> list[ScheduleExceptionDTO]:
    with uow.transaction(actor) as session:
        require(session, actor, Permission.AGENDA_VIEW)
        query = select(ScheduleException).where(ScheduleException.deleted_at.is_(None))
        if practitioner_id is not None:
            query = query.where(ScheduleException.practitioner_id == practitioner_id)
        if from_day is not None:
            query = query.where(ScheduleException.day >= from_day)
        return [
            ScheduleExceptionDTO(
                e.id, e.practitioner_id, e.day, e.kind, e.start_time, e.end_time, e.note
            )
            for e in session.scalars(query.order_by(ScheduleException.day))
        ]


def add_exception(
    uow: UnitOfWork,
    *,
    actor: Actor,
    practitioner_id: uuid.UUID,
    day: date,
    kind: str,
    start: time | None = None,
    end: time | None = None,
    note: str = "",
) -> ScheduleExceptionDTO:
    if kind not in {k.value for k in ExceptionKind}:
        raise ValidationError(_("Kind: choose time off or extra hours."), field="kind")
    if (start is None) != (end is None):
        raise ValidationError(_("Hours: give both a start and an end, or neither."), field="end")
    if kind == ExceptionKind.EXTRA.value and start is None:
        raise ValidationError(_("Hours: extra hours need a start and an end."), field="start")
    if start is not None and end is not None and end <= start:
        raise ValidationError(_("Hours: the end must be after the start."), field="end")
    with uow.transaction(actor) as session:
        require(session, actor, Permission.SCHEDULE_MANAGE)
        found = session.get(Practitioner, practitioner_id)
        if found is None or found.is_deleted:
            raise NotFound(_("The practitioner no longer exists."))
        row = ScheduleException(
            practitioner_id=practitioner_id,
            day=day,
            kind=kind,
            start_time=start,
            end_time=end,
            note=" ".join(note.split())[:200],
        )
        session.add(row)
        session.flush()
        uow.publish_after_commit(ScheduleChanged(what="exceptions"))
        return ScheduleExceptionDTO(row.id, practitioner_id, day, kind, start, end, row.note)


def remove_exception(uow: UnitOfWork, *, actor: Actor, exception_id: uuid.UUID) -> None:
    with uow.transaction(actor) as session:
        require(session, actor, Permission.SCHEDULE_MANAGE)
        row = session.get(ScheduleException, exception_id)
        if row is None or row.is_deleted:
            raise NotFound(_("The exception no longer exists."))
        row.soft_delete(by=actor.user_id)
        uow.publish_after_commit(ScheduleChanged(what="exceptions"))


def list_closures(uow: UnitOfWork, *, actor: Actor) -> list[ClosureDTO]:
    with uow.transaction(actor) as session:
        require(session, actor, Permission.AGENDA_VIEW)
        rows = session.scalars(
            select(ClinicClosure)
            .where(ClinicClosure.deleted_at.is_(None))
            .order_by(ClinicClosure.first_day)
        )
        return [ClosureDTO(c.id, c.first_day, c.last_day, c.reason) for c in rows]


def add_closure(
    uow: UnitOfWork, *, actor: Actor, first_day: date, last_day: date, reason: str
) -> ClosureDTO:
    if last_day < first_day:
        raise ValidationError(_("Last day: it must not be before the first day."), field="last_day")
    text = _name(reason, field="reason", label=_("Reason"), limit=200)
    with uow.transaction(actor) as session:
        require(session, actor, Permission.SCHEDULE_MANAGE)
        row = ClinicClosure(first_day=first_day, last_day=last_day, reason=text)
        session.add(row)
        session.flush()
        uow.publish_after_commit(ScheduleChanged(what="closures"))
        return ClosureDTO(row.id, first_day, last_day, text)


def remove_closure(uow: UnitOfWork, *, actor: Actor, closure_id: uuid.UUID) -> None:
    with uow.transaction(actor) as session:
        require(session, actor, Permission.SCHEDULE_MANAGE)
        row = session.get(ClinicClosure, closure_id)
        if row is None or row.is_deleted:
            raise NotFound(_("The closure no longer exists."))
        row.soft_delete(by=actor.user_id)
        uow.publish_after_commit(ScheduleChanged(what="closures"))


def save_room(
    uow: UnitOfWork,
    *,
    actor: Actor,
    name: str,
    active: bool = True,
    sort_order: int = 0,
    room_id: uuid.UUID | None = None,
    expected_version: int | None = None,
) -> RoomDTO:
    text = _name(name, field="name", label=_("Name"))
    with uow.transaction(actor) as session:
        require(session, actor, Permission.SCHEDULE_MANAGE)
        row = _row_to_save(
            session, Room, room_id, expected_version, _("The room no longer exists.")
        )
        row.name, row.active, row.sort_order = text, active, sort_order
        session.flush()
        uow.publish_after_commit(ScheduleChanged(what="rooms"))
        return RoomDTO(row.id, row.name, row.active, row.sort_order, row.version)


def save_appointment_type(
    uow: UnitOfWork,
    *,
    actor: Actor,
    name: str,
    duration_minutes: int,
    colour: str,
    mode: str = AppointmentMode.IN_PERSON.value,
    active: bool = True,
    type_id: uuid.UUID | None = None,
    expected_version: int | None = None,
) -> AppointmentTypeDTO:
    text = _name(name, field="name", label=_("Name"))
    colour = _colour(colour)
    if not 5 <= duration_minutes <= 720:
        raise ValidationError(
            _("Duration: between 5 minutes and 12 hours."), field="duration_minutes"
        )
    if mode not in {m.value for m in AppointmentMode}:
        raise ValidationError(_("Mode: choose in person or telemedicine."), field="mode")
    with uow.transaction(actor) as session:
        require(session, actor, Permission.SCHEDULE_MANAGE)
        row = _row_to_save(
            session,
            AppointmentType,
            type_id,
            expected_version,
            _("The appointment type no longer exists."),
        )
        row.name, row.duration_minutes, row.colour = text, duration_minutes, _colour(colour)
        row.mode, row.active = mode, active
        session.flush()
        uow.publish_after_commit(ScheduleChanged(what="types"))
        return _type_dto(row)
