"""Reading appointments as DTOs in one query: appointments joined with their patient,
practitioner, room and type, so a day of 20 columns or a month is a single round trip."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from typing import Any

from sqlalchemy import Select, select
from sqlalchemy.orm import Session

from clinic_desktop.errors import NotFound
from clinic_desktop.i18n import _
from clinic_desktop.models.appointment import Appointment
from clinic_desktop.models.patient import Patient
from clinic_desktop.models.schedule import AppointmentType, Practitioner, Room
from clinic_desktop.services.agenda_dto import AppointmentDTO

_COLUMNS = (
    Appointment.id,
    Appointment.patient_id,
    Patient.first_names,
    Patient.last_names,
    Patient.phone,
    Patient.chart_number,
    Appointment.practitioner_id,
    Practitioner.display_name,
    Practitioner.colour,
    Appointment.room_id,
    Room.name,
    Appointment.type_id,
    AppointmentType.name,
    AppointmentType.colour,
    Appointment.start_at,
    Appointment.end_at,
    Appointment.mode,
    Appointment.reason,
    Appointment.notes,
    Appointment.status,
    Appointment.arrived_at,
    Appointment.cancelled_by,
    Appointment.cancel_reason,
    Appointment.late_cancellation,
    Appointment.override_reason,
    Appointment.series_id,
    Appointment.version,
)


def dto_select() -> Select[*tuple[Any, ...]]:
    return (
        select(*_COLUMNS)
        .join(Patient, Patient.id == Appointment.patient_id)
        .join(Practitioner, Practitioner.id == Appointment.practitioner_id)
        .outerjoin(Room, Room.id == Appointment.room_id)
        .outerjoin(AppointmentType, AppointmentType.id == Appointment.type_id)
        .where(Appointment.deleted_at.is_(None))
    )


def row_to_dto(row: Sequence[Any]) -> AppointmentDTO:
    (
        id_,
        patient_id,
        first,
        last,
        phone,
        chart,
        practitioner_id,
        practitioner_name,
        practitioner_colour,
        room_id,
        room_name,
        type_id,
        type_name,
        type_colour,
        start,
        end,
        mode,
        reason,
        notes,
        status,
        arrived_at,
        cancelled_by,
        cancel_reason,
        late,
        override,
        series_id,
        version,
    ) = row
    return AppointmentDTO(
        id=id_,
        patient_id=patient_id,
        patient_name=f"{first} {last}".strip(),
        patient_phone=phone,
        chart_number=chart,
        practitioner_id=practitioner_id,
        practitioner_name=practitioner_name,
        room_id=room_id,
        room_name=room_name,
        type_id=type_id,
        type_name=type_name,
        colour=type_colour or practitioner_colour,
        start=start,
        end=end,
        mode=mode,
        reason=reason,
        notes=notes,
        status=status,
        arrived_at=arrived_at,
        cancelled_by=cancelled_by,
        cancel_reason=cancel_reason,
        late_cancellation=bool(late),
        override_reason=override,
        series_id=series_id,
        version=version,
    )


def load_dtos(session: Session, ids: Sequence[uuid.UUID]) -> list[AppointmentDTO]:
    if not ids:
        return []
    rows = session.execute(dto_select().where(Appointment.id.in_(list(ids)))).all()
    by_id = {row[0]: row_to_dto(row) for row in rows}
    return [by_id[i] for i in ids if i in by_id]


def load_dto(session: Session, appointment_id: uuid.UUID) -> AppointmentDTO:
    found = load_dtos(session, [appointment_id])
    if not found:
        raise NotFound(_("The appointment no longer exists."))
    return found[0]


def get_live(session: Session, appointment_id: uuid.UUID) -> Appointment:
    appointment = session.get(Appointment, appointment_id)
    if appointment is None or appointment.is_deleted:
        raise NotFound(_("The appointment no longer exists."))
    return appointment
