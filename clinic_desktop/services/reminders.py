"""Which appointment reminders are due: appointments starting within the configured window
(agenda.reminder_hours, 24 by default), still scheduled or confirmed, whose patient chose a
channel and consented, and not yet reminded. Sending them belongs to a later feature; this is
the list it will work from, and `mark_reminder_sent` records that one went out."""

from __future__ import annotations

import uuid
from datetime import datetime, timedelta

from sqlalchemy import select

from clinic_desktop.actor import Actor
from clinic_desktop.db.uow import UnitOfWork
from clinic_desktop.errors import NotFound
from clinic_desktop.i18n import _
from clinic_desktop.models.appointment import Appointment, AppointmentStatus
from clinic_desktop.models.patient import Patient
from clinic_desktop.models.permissions import Permission
from clinic_desktop.models.schedule import Practitioner
from clinic_desktop.services.access import require
from clinic_desktop.services.agenda_dto import ReminderDue
from clinic_desktop.services.settings import read_settings


def reminders_due(uow: UnitOfWork, *, actor: Actor, now: datetime) -> list[ReminderDue]:
    with uow.transaction(actor) as session:
        require(session, actor, Permission.AGENDA_VIEW)
        hours = int(read_settings(session)["agenda.reminder_hours"])
        rows = session.execute(
            select(Appointment, Patient, Practitioner.display_name)
            .join(Patient, Patient.id == Appointment.patient_id)
            .join(Practitioner, Practitioner.id == Appointment.practitioner_id)
            .where(
                Appointment.deleted_at.is_(None),
                Appointment.status.in_(
                    [AppointmentStatus.SCHEDULED.value, AppointmentStatus.CONFIRMED.value]
                ),
                Appointment.start_at > now,
                Appointment.start_at <= now + timedelta(hours=hours),
                Appointment.reminder_sent_at.is_(None),
                Patient.deleted_at.is_(None),
                Patient.reminder_consent.is_(True),
                Patient.reminder_channel != "none",
            )
            .order_by(Appointment.start_at)
        )
        due: list[ReminderDue] = []
        for appointment, patient, practitioner in rows:
            contact = patient.email if patient.reminder_channel == "email" else patient.phone
            if not contact:
                continue
            due.append(
                ReminderDue(
                    appointment_id=appointment.id,
                    patient_name=patient.full_name,
                    channel=patient.reminder_channel,
                    contact=contact,
                    start=appointment.start_at,
                    practitioner_name=practitioner,
                )
            )
        return due


def mark_reminder_sent(
    uow: UnitOfWork, *, actor: Actor, appointment_id: uuid.UUID, at: datetime
) -> None:
    with uow.transaction(actor) as session:
        require(session, actor, Permission.AGENDA_BOOK)
        appointment = session.get(Appointment, appointment_id)
        if appointment is None or appointment.is_deleted:
            raise NotFound(_("The appointment no longer exists."))
        appointment.reminder_sent_at = at
