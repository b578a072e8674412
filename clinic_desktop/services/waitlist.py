"""The waitlist: patients who want an earlier slot, with the practitioner, weekdays and times
that suit them. When a slot frees up (a cancellation) the matching entries are offered, and
booking one moves the patient's existing appointment forward (keeping its history) or books a
new one, and closes the entry."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from datetime import datetime, time, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from clinic_desktop.actor import Actor
from clinic_desktop.db.uow import UnitOfWork
from clinic_desktop.errors import NotFound, ValidationError
from clinic_desktop.events import AppointmentsChanged, WaitlistChanged
from clinic_desktop.i18n import _
from clinic_desktop.models.appointment import (
    MOVABLE_STATUSES,
    Appointment,
    WaitlistEntry,
    WaitlistStatus,
    format_weekdays,
    parse_weekdays,
)
from clinic_desktop.models.base import utcnow
from clinic_desktop.models.patient import Patient
from clinic_desktop.models.permissions import Permission
from clinic_desktop.models.schedule import AppointmentType, Practitioner
from clinic_desktop.services.access import require
from clinic_desktop.services.agenda_dto import AppointmentDTO, WaitlistDTO
from clinic_desktop.services.agenda_rules import clinic_zone
from clinic_desktop.services.appointment_rows import load_dto
from clinic_desktop.services.appointments import (
    _live,
    _Where,
    add_appointment,
    clean_times,
    relocate,
)


def _dtos(session: Session, entries: Sequence[WaitlistEntry]) -> list[WaitlistDTO]:
    if not entries:
        return []
    patients = {
        p.id: p
        for p in session.scalars(
            select(Patient).where(Patient.id.in_([e.patient_id for e in entries]))
        )
    }
    names = {a: b for a, b in session.execute(select(Practitioner.id, Practitioner.display_name))}
    types = {a: b for a, b in session.execute(select(AppointmentType.id, AppointmentType.name))}
    current_ids = [e.current_appointment_id for e in entries if e.current_appointment_id]
    starts = dict(
        session.execute(
            select(Appointment.id, Appointment.start_at).where(Appointment.id.in_(current_ids))
        ).all()
    )
    return [
        WaitlistDTO(
            id=e.id,
            patient_id=e.patient_id,
            patient_name=patients[e.patient_id].full_name,
            patient_phone=patients[e.patient_id].phone,
            practitioner_id=e.practitioner_id,
            practitioner_name=names.get(e.practitioner_id) if e.practitioner_id else None,
            type_id=e.type_id,
            type_name=types.get(e.type_id) if e.type_id else None,
            duration_minutes=e.duration_minutes,
            weekdays=tuple(sorted(parse_weekdays(e.weekdays))),
            earliest=e.earliest_time,
            latest=e.latest_time,
            note=e.note,
            status=e.status,
            current_appointment_start=starts.get(e.current_appointment_id)
            if e.current_appointment_id
            else None,
            created_at=e.created_at,
            version=e.version,
        )
        for e in entries
    ]


def add_to_waitlist(
    uow: UnitOfWork,
    *,
    actor: Actor,
    patient_id: uuid.UUID,
    duration_minutes: int,
    weekdays: Sequence[int],
    earliest: time,
    latest: time,
    practitioner_id: uuid.UUID | None = None,
    type_id: uuid.UUID | None = None,
    current_appointment_id: uuid.UUID | None = None,
    note: str = "",
) -> WaitlistDTO:
    if duration_minutes <= 0:
        raise ValidationError(
            _("Duration: it must be more than zero minutes."), field="duration_minutes"
        )
    days = {d for d in weekdays if 0 <= d <= 6}
    if not days:
        raise ValidationError(_("Days: choose at least one weekday."), field="weekdays")
    if latest <= earliest:
        raise ValidationError(_("Time of day: 'until' must be after 'from'."), field="latest")
    with uow.transaction(actor) as session:
        require(session, actor, Permission.AGENDA_BOOK)
        patient = session.get(Patient, patient_id)
        if patient is None or patient.is_deleted:
            raise ValidationError(_("Patient: choose an existing patient."), field="patient")
        if practitioner_id is not None:
            _live(
                session,
                Practitioner,
                practitioner_id,
                "practitioner",
                _("Practitioner: choose an active practitioner."),
            )
        if type_id is not None:
            _live(
                session,
                AppointmentType,
                type_id,
                "type",
                _("Type: choose an active appointment type."),
            )
        # Booking the entry moves this appointment: it must be the patient's own.
        held = session.get(Appointment, current_appointment_id) if current_appointment_id else None
        if current_appointment_id is not None and (
            held is None or held.is_deleted or held.patient_id != patient_id
        ):
            raise ValidationError(
                _("Current appointment: choose one of this patient's appointments."),
                field="current_appointment",
            )
        entry = WaitlistEntry(
            patient_id=patient_id,
            practitioner_id=practitioner_id,
            type_id=type_id,
            duration_minutes=duration_minutes,
            weekdays=format_weekdays(days),
            earliest_time=earliest,
            latest_time=latest,
            current_appointment_id=current_appointment_id,
            note=" ".join(note.split())[:300],
            status=WaitlistStatus.WAITING.value,
        )
        session.add(entry)
        session.flush()
        uow.publish_after_commit(WaitlistChanged(entry_id=str(entry.id)))
        return _dtos(session, [entry])[0]


def list_waitlist(
    uow: UnitOfWork, *, actor: Actor, include_closed: bool = False
) -> list[WaitlistDTO]:
    with uow.transaction(actor) as session:
        require(session, actor, Permission.AGENDA_VIEW)
        query = select(WaitlistEntry).where(WaitlistEntry.deleted_at.is_(None))
        if not include_closed:
            query = query.where(WaitlistEntry.status == WaitlistStatus.WAITING.value)
        return _dtos(session, list(session.scalars(query.order_by(WaitlistEntry.created_at))))


def withdraw_from_waitlist(uow: UnitOfWork, *, actor: Actor, entry_id: uuid.UUID) -> None:
    with uow.transaction(actor) as session:
        require(session, actor, Permission.AGENDA_BOOK)
        entry = _waiting(session, entry_id)
        entry.status = WaitlistStatus.WITHDRAWN.value
        uow.publish_after_commit(WaitlistChanged(entry_id=str(entry_id)))


def close_waitlist_entry(
    uow: UnitOfWork, *, actor: Actor, entry_id: uuid.UUID, appointment_id: uuid.UUID
) -> None:
    """Marks an entry booked when its patient got a slot some other way (booked by hand)."""
    with uow.transaction(actor) as session:
        require(session, actor, Permission.AGENDA_BOOK)
        entry = _waiting(session, entry_id)
        appointment = session.get(Appointment, appointment_id)
        if appointment is None or appointment.patient_id != entry.patient_id:
            raise ValidationError(
                _("Appointment: it must be one of this patient's appointments."),
                field="appointment",
            )
        entry.status = WaitlistStatus.BOOKED.value
        entry.booked_appointment_id = appointment_id
        uow.publish_after_commit(WaitlistChanged(entry_id=str(entry_id)))


def _waiting(session: Session, entry_id: uuid.UUID) -> WaitlistEntry:
    entry = session.get(WaitlistEntry, entry_id)
    if entry is None or entry.is_deleted or entry.status != WaitlistStatus.WAITING.value:
        raise NotFound(_("The waitlist entry is no longer waiting."))
    return entry


def matching_entries(
    session: Session,
    *,
    practitioner_id: uuid.UUID,
    start: datetime,
    end: datetime,
    exclude_patient: uuid.UUID | None = None,
) -> list[WaitlistDTO]:
    """Waiting entries that fit [start, end) with this practitioner: their practitioner (or
    any), weekday and time window, and a duration no longer than the slot; oldest first."""
    zone = clinic_zone(session)
    local_start = start.astimezone(zone)
    slot_minutes = int((end - start).total_seconds() // 60)
    fits: list[WaitlistEntry] = []
    for entry in session.scalars(
        select(WaitlistEntry)
        .where(
            WaitlistEntry.deleted_at.is_(None),
            WaitlistEntry.status == WaitlistStatus.WAITING.value,
        )
        .order_by(WaitlistEntry.created_at)
    ):
        if entry.practitioner_id not in (None, practitioner_id):
            continue
        if entry.patient_id == exclude_patient or entry.duration_minutes > slot_minutes:
            continue
        if local_start.weekday() not in parse_weekdays(entry.weekdays):
            continue
        # They would take the slot's start with their own duration, within their window.
        their_end = (local_start + timedelta(minutes=entry.duration_minutes)).time()
        if local_start.time() < entry.earliest_time or their_end > entry.latest_time:
            continue
        # They want an earlier slot: one no earlier than the appointment they hold is no offer.
        held = (
            session.get(Appointment, entry.current_appointment_id)
            if entry.current_appointment_id
            else None
        )
        if (
            held is not None
            and not held.is_deleted
            and held.status_enum in MOVABLE_STATUSES
            and held.start_at <= start
        ):
            continue
        fits.append(entry)
    return _dtos(session, fits)


def book_from_waitlist(
    uow: UnitOfWork,
    *,
    actor: Actor,
    entry_id: uuid.UUID,
    practitioner_id: uuid.UUID,
    start: datetime,
    now: datetime | None = None,
) -> AppointmentDTO:
    """Gives the slot to the waitlist entry: moves their current appointment forward when they
    have one still movable, otherwise books a new appointment; the entry is closed."""
    moment = now or utcnow()
    with uow.transaction(actor) as session:
        require(session, actor, Permission.AGENDA_BOOK)
        entry = _waiting(session, entry_id)
        current = (
            session.get(Appointment, entry.current_appointment_id)
            if entry.current_appointment_id
            else None
        )
        if (
            current is not None
            and not current.is_deleted
            and current.status_enum in MOVABLE_STATUSES
        ):
            relocate(
                session,
                actor,
                current,
                _Where(
                    practitioner_id, current.room_id, *clean_times(start, entry.duration_minutes)
                ),
                None,
                moment,
            )
            appointment = current
        else:
            appointment = add_appointment(
                session,
                actor=actor,
                patient_id=entry.patient_id,
                practitioner_id=practitioner_id,
                start=start,
                minutes=entry.duration_minutes,
                room_id=None,
                type_id=entry.type_id,
                mode=None,
                reason=entry.note,
                notes="",
                override_reason=None,
                series_id=None,
                now=moment,
            )
        entry.status = WaitlistStatus.BOOKED.value
        entry.booked_appointment_id = appointment.id
        session.flush()
        dto = load_dto(session, appointment.id)
        uow.publish_after_commit(AppointmentsChanged(ids=(str(dto.id),)))
        uow.publish_after_commit(WaitlistChanged(entry_id=str(entry_id)))
    return dto
