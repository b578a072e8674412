"""Booking and changing appointments: book, edit, move or resize (with the move kept in the
history), walk the status lifecycle, and cancel (with who cancelled, why, whether it was late,
and the waitlist entries that could take the freed slot). Every write checks the agenda rules
in `agenda_rules` inside the same transaction, so two PCs can never double-book a slot."""

from __future__ import annotations

import uuid
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import TypeVar

from sqlalchemy.orm import Session

from clinic_desktop.actor import Actor
from clinic_desktop.db.audit_log import append_audit
from clinic_desktop.db.uow import UnitOfWork
from clinic_desktop.errors import (
    InvalidTransition,
    NeedsOverride,
    NotFound,
    PermissionDenied,
    ValidationError,
)
from clinic_desktop.events import AppointmentsChanged
from clinic_desktop.i18n import _
from clinic_desktop.models.appointment import (
    MAX_DURATION,
    MOVABLE_STATUSES,
    Appointment,
    AppointmentMove,
    AppointmentStatus,
    CancelledBy,
)
from clinic_desktop.models.base import utcnow
from clinic_desktop.models.patient import Patient
from clinic_desktop.models.permissions import Permission
from clinic_desktop.models.schedule import AppointmentMode, AppointmentType, Practitioner, Room
from clinic_desktop.services.access import permissions_of, require
from clinic_desktop.services.agenda_dto import AppointmentDTO, CancelResult, SlotProblem
from clinic_desktop.services.agenda_labels import status_label
from clinic_desktop.services.agenda_rules import check_slot
from clinic_desktop.services.appointment_rows import get_live, load_dto
from clinic_desktop.services.concurrency import check_version
from clinic_desktop.services.settings import read_settings

MAX_MINUTES = int(MAX_DURATION.total_seconds() // 60)
_KEEP = object()  # "leave the room as it is" in a move


@dataclass(frozen=True)
class _Where:
    practitioner_id: uuid.UUID
    room_id: uuid.UUID | None
    start: datetime
    end: datetime


def clean_times(start: datetime, minutes: int) -> tuple[datetime, datetime]:
    if start.tzinfo is None:
        raise ValueError("appointment times must be aware")
    if minutes <= 0:
        raise ValidationError(
            _("Duration: it must be more than zero minutes (the end must be after the start)."),
            field="duration",
        )
    if minutes > MAX_MINUTES:
        raise ValidationError(_("Duration: at most 12 hours."), field="duration")
    start = start.replace(second=0, microsecond=0)
    return start, start + timedelta(minutes=minutes)


def minutes_between(start: datetime, end: datetime) -> int:
    """The duration for a start/end pair; an end at or before the start is refused."""
    if end <= start:
        raise ValidationError(_("End: it must be after the start."), field="end")
    return int((end - start).total_seconds() // 60)


def accept_problems(
    session: Session, actor: Actor, problems: list[SlotProblem], override_reason: str | None
) -> str | None:
    """Raises for an overlap; for an overridable problem, raises NeedsOverride unless the actor
    may override and gave a reason. Returns the cleaned reason when an override was used."""
    blocking = [p for p in problems if p.blocking]
    if blocking:
        raise ValidationError(blocking[0].message, field="start")
    soft = [p for p in problems if not p.blocking]
    if not soft:
        return None
    if override_reason is None:
        raise NeedsOverride(
            " ".join(p.message for p in soft), problems=tuple(p.message for p in soft)
        )
    if (
        not actor.is_system
        and actor.user_id is not None
        and Permission.SCHEDULE_MANAGE not in permissions_of(session, actor.user_id)
    ):
        raise PermissionDenied(_("Only someone who manages schedules can book outside the rules."))
    reason = " ".join(override_reason.split())
    if not reason:
        raise ValidationError(
            _("Override reason: say why the rule is overridden."), field="override_reason"
        )
    return reason


def _audit_override(
    session: Session,
    actor: Actor,
    appointment: Appointment,
    problems: list[SlotProblem],
    reason: str,
) -> None:
    append_audit(
        session,
        actor=actor,
        action="appointment.override",
        entity="Appointment",
        entity_id=str(appointment.id),
        changes={"rules": [p.code for p in problems if not p.blocking], "reason": reason},
    )


_Row = TypeVar("_Row", Patient, Practitioner, Room, AppointmentType)


def _live(
    session: Session, model: type[_Row], id_: uuid.UUID | None, field: str, message: str
) -> _Row:
    row = session.get(model, id_) if id_ is not None else None
    if row is None or row.is_deleted or getattr(row, "active", True) is False:
        raise NotFound(message) if field == "" else ValidationError(message, field=field)
    return row


def _clean_text(value: str, *, limit: int, field: str, label: str) -> str:
    text = value.strip()
    if len(text) > limit:
        raise ValidationError(
            _("{field}: at most {count} characters.").format(field=label, count=limit),
            field=field,
        )
    return text


def book_appointment(
    uow: UnitOfWork,
    *,
    actor: Actor,
    patient_id: uuid.UUID,
    practitioner_id: uuid.UUID,
    start: datetime,
    minutes: int,
    room_id: uuid.UUID | None = None,
    type_id: uuid.UUID | None = None,
    mode: str | None = None,
    reason: str = "",
    notes: str = "",
    override_reason: str | None = None,
    series_id: uuid.UUID | None = None,
    now: datetime | None = None,
) -> AppointmentDTO:
    with uow.transaction(actor) as session:
        require(session, actor, Permission.AGENDA_BOOK)
        appointment = add_appointment(
            session,
            actor=actor,
            patient_id=patient_id,
            practitioner_id=practitioner_id,
            start=start,
            minutes=minutes,
            room_id=room_id,
            type_id=type_id,
            mode=mode,
            reason=reason,
            notes=notes,
            override_reason=override_reason,
            series_id=series_id,
            now=now or utcnow(),
        )
        dto = load_dto(session, appointment.id)
        uow.publish_after_commit(AppointmentsChanged(ids=(str(dto.id),)))
    return dto


def add_appointment(
    session: Session,
    *,
    actor: Actor,
    patient_id: uuid.UUID,
    practitioner_id: uuid.UUID,
    start: datetime,
    minutes: int,
    room_id: uuid.UUID | None,
    type_id: uuid.UUID | None,
    mode: str | None,
    reason: str,
    notes: str,
    override_reason: str | None,
    series_id: uuid.UUID | None,
    now: datetime,
) -> Appointment:
    """Validates and adds one appointment to the session (used by single and series bookings)."""
    _live(session, Patient, patient_id, "patient", _("Patient: choose an existing patient."))
    _live(
        session,
        Practitioner,
        practitioner_id,
        "practitioner",
        _("Practitioner: choose an active practitioner."),
    )
    if room_id is not None:
        _live(session, Room, room_id, "room", _("Room: choose an active room."))
    kind = None
    if type_id is not None:
        kind = _live(
            session, AppointmentType, type_id, "type", _("Type: choose an active appointment type.")
        )
    mode = mode or (kind.mode if kind else AppointmentMode.IN_PERSON.value)
    if mode not in {m.value for m in AppointmentMode}:
        raise ValidationError(_("Mode: choose in person or telemedicine."), field="mode")
    start, end = clean_times(start, minutes)
    problems = check_slot(
        session, practitioner_id=practitioner_id, room_id=room_id, start=start, end=end, now=now
    )
    override = accept_problems(session, actor, problems, override_reason)
    appointment = Appointment(
        patient_id=patient_id,
        practitioner_id=practitioner_id,
        room_id=room_id,
        type_id=type_id,
        series_id=series_id,
        start_at=start,
        end_at=end,
        mode=mode,
        reason=_clean_text(reason, limit=300, field="reason", label=_("Reason")),
        notes=_clean_text(notes, limit=2000, field="notes", label=_("Notes")),
        status=AppointmentStatus.SCHEDULED.value,
        override_reason=override,
    )
    session.add(appointment)
    session.flush()
    if override:
        _audit_override(session, actor, appointment, problems, override)
    return appointment


def move_appointment(
    uow: UnitOfWork,
    *,
    actor: Actor,
    appointment_id: uuid.UUID,
    start: datetime,
    minutes: int | None = None,
    practitioner_id: uuid.UUID | None = None,
    room_id: uuid.UUID | object | None = _KEEP,
    override_reason: str | None = None,
    expected_version: int | None = None,
    now: datetime | None = None,
) -> AppointmentDTO:
    """Moves and/or resizes; the old place is kept in the appointment's move history."""
    with uow.transaction(actor) as session:
        require(session, actor, Permission.AGENDA_BOOK)
        appointment = get_live(session, appointment_id)
        if expected_version is not None:
            check_version(session, appointment, expected_version)
        length = minutes if minutes is not None else int(appointment.duration.total_seconds() // 60)
        new_start, new_end = clean_times(start, length)
        target = _Where(
            practitioner_id=practitioner_id or appointment.practitioner_id,
            room_id=appointment.room_id if room_id is _KEEP else room_id,  # type: ignore[arg-type]
            start=new_start,
            end=new_end,
        )
        relocate(session, actor, appointment, target, override_reason, now or utcnow())
        dto = load_dto(session, appointment.id)
        uow.publish_after_commit(AppointmentsChanged(ids=(str(dto.id),)))
    return dto


def relocate(
    session: Session,
    actor: Actor,
    appointment: Appointment,
    target: _Where,
    override_reason: str | None,
    now: datetime,
    *,
    exclude: Iterable[uuid.UUID] = (),
) -> None:
    """Moves `appointment` to `target` through the agenda rules, keeping the move in its history.
    `exclude`: other appointments moving in the same transaction (a series shifting together),
    whose old places must not count as conflicts."""
    before = _Where(
        appointment.practitioner_id, appointment.room_id, appointment.start_at, appointment.end_at
    )
    if before == target:
        return
    if appointment.status_enum not in MOVABLE_STATUSES:
        raise InvalidTransition(
            _("Time: an appointment that is “{status}” can no longer be moved.").format(
                status=status_label(appointment.status)
            )
        )
    if target.practitioner_id != before.practitioner_id:
        _live(
            session,
            Practitioner,
            target.practitioner_id,
            "practitioner",
            _("Practitioner: choose an active practitioner."),
        )
    if target.room_id is not None and target.room_id != before.room_id:
        _live(session, Room, target.room_id, "room", _("Room: choose an active room."))
    problems = check_slot(
        session,
        practitioner_id=target.practitioner_id,
        room_id=target.room_id,
        start=target.start,
        end=target.end,
        now=now,
        exclude=[appointment.id, *exclude],
    )
    override = accept_problems(session, actor, problems, override_reason)
    session.add(
        AppointmentMove(
            appointment_id=appointment.id,
            from_start=before.start,
            from_end=before.end,
            from_practitioner_id=before.practitioner_id,
            from_room_id=before.room_id,
            to_start=target.start,
            to_end=target.end,
            to_practitioner_id=target.practitioner_id,
            to_room_id=target.room_id,
        )
    )
    appointment.practitioner_id = target.practitioner_id
    appointment.room_id = target.room_id
    appointment.start_at = target.start
    appointment.end_at = target.end
    if override:
        appointment.override_reason = override
        _audit_override(session, actor, appointment, problems, override)


def update_appointment(
    uow: UnitOfWork,
    *,
    actor: Actor,
    appointment_id: uuid.UUID,
    expected_version: int,
    patient_id: uuid.UUID,
    practitioner_id: uuid.UUID,
    start: datetime,
    minutes: int,
    room_id: uuid.UUID | None,
    type_id: uuid.UUID | None,
    mode: str,
    reason: str,
    notes: str,
    override_reason: str | None = None,
    now: datetime | None = None,
) -> AppointmentDTO:
    """Saves the editor: details change freely; time, practitioner or room go through the same
    rules and history as a drag."""
    with uow.transaction(actor) as session:
        require(session, actor, Permission.AGENDA_BOOK)
        appointment = get_live(session, appointment_id)
        check_version(session, appointment, expected_version)
        if patient_id != appointment.patient_id:
            if appointment.status_enum not in MOVABLE_STATUSES:
                raise InvalidTransition(
                    _("Patient: it can only change before the patient arrives.")
                )
            _live(
                session, Patient, patient_id, "patient", _("Patient: choose an existing patient.")
            )
            appointment.patient_id = patient_id
        if room_id is not None and room_id != appointment.room_id:
            _live(session, Room, room_id, "room", _("Room: choose an active room."))
        if type_id is not None and type_id != appointment.type_id:
            _live(
                session,
                AppointmentType,
                type_id,
                "type",
                _("Type: choose an active appointment type."),
            )
        if mode not in {m.value for m in AppointmentMode}:
            raise ValidationError(_("Mode: choose in person or telemedicine."), field="mode")
        new_start, new_end = clean_times(start, minutes)
        relocate(
            session,
            actor,
            appointment,
            _Where(practitioner_id, room_id, new_start, new_end),
            override_reason,
            now or utcnow(),
        )
        appointment.type_id = type_id
        appointment.mode = mode
        appointment.reason = _clean_text(reason, limit=300, field="reason", label=_("Reason"))
        appointment.notes = _clean_text(notes, limit=2000, field="notes", label=_("Notes"))
        session.flush()
        dto = load_dto(session, appointment.id)
        uow.publish_after_commit(AppointmentsChanged(ids=(str(dto.id),)))
    return dto


def change_status(
    uow: UnitOfWork,
    *,
    actor: Actor,
    appointment_id: uuid.UUID,
    status: str,
    now: datetime | None = None,
) -> AppointmentDTO:
    with uow.transaction(actor) as session:
        require(session, actor, Permission.AGENDA_BOOK)
        appointment = get_live(session, appointment_id)
        try:
            target = AppointmentStatus(status)
        except ValueError:
            raise ValidationError(_("Status: unknown status."), field="status") from None
        if target is AppointmentStatus.CANCELLED or not appointment.can_become(target):
            raise InvalidTransition(transition_message(appointment.status, target.value))
        if target is AppointmentStatus.NO_SHOW and appointment.start_at > (now or utcnow()):
            raise InvalidTransition(
                _("No-show: the appointment has not started yet."), field="status"
            )
        appointment.change_status(target, at=now or utcnow())
        session.flush()
        dto = load_dto(session, appointment.id)
        uow.publish_after_commit(AppointmentsChanged(ids=(str(dto.id),)))
    return dto


def transition_message(current: str, target: str) -> str:
    return _("Status: an appointment that is “{current}” cannot change to “{target}”.").format(
        current=status_label(current), target=status_label(target)
    )


def cancel_appointment(
    uow: UnitOfWork,
    *,
    actor: Actor,
    appointment_id: uuid.UUID,
    by: str,
    reason: str,
    now: datetime | None = None,
) -> CancelResult:
    """Cancels and returns the waitlist entries that fit the freed slot, for reception to offer."""
    from clinic_desktop.services.waitlist import matching_entries

    with uow.transaction(actor) as session:
        require(session, actor, Permission.AGENDA_BOOK)
        appointment = get_live(session, appointment_id)
        moment = now or utcnow()
        cancel_one(session, appointment, by=by, reason=reason, now=moment)
        session.flush()
        dto = load_dto(session, appointment.id)
        # A slot that has already started cannot be given to anyone.
        matches = (
            matching_entries(
                session,
                practitioner_id=appointment.practitioner_id,
                start=appointment.start_at,
                end=appointment.end_at,
                exclude_patient=appointment.patient_id,
            )
            if appointment.start_at > moment
            else []
        )
        uow.publish_after_commit(AppointmentsChanged(ids=(str(dto.id),)))
    return CancelResult(appointment=dto, waitlist_matches=tuple(matches))


def cancel_one(
    session: Session, appointment: Appointment, *, by: str, reason: str, now: datetime
) -> None:
    try:
        party = CancelledBy(by)
    except ValueError:
        raise ValidationError(
            _("Cancelled by: choose the patient or the clinic."), field="cancelled_by"
        ) from None
    if not " ".join(reason.split()):
        raise ValidationError(_("Cancellation reason: it is required."), field="cancel_reason")
    if not appointment.can_become(AppointmentStatus.CANCELLED):
        raise InvalidTransition(
            transition_message(appointment.status, AppointmentStatus.CANCELLED.value)
        )
    hours = int(read_settings(session)["agenda.late_cancel_hours"])
    appointment.cancel(by=party, reason=reason[:300], at=now, late_window=timedelta(hours=hours))
