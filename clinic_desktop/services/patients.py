"""Finding a patient while booking (by name, ID number, phone or chart number, with their
no-show and late-cancellation counts so reception sees them before booking) and quick-creating
one with just name, ID and phone. The patient-records feature builds the full record on this."""

from __future__ import annotations

import uuid

from sqlalchemy import ColumnElement, case, func, or_, select

from clinic_desktop.actor import Actor
from clinic_desktop.db.uow import UnitOfWork
from clinic_desktop.errors import NotFound, ValidationError
from clinic_desktop.events import PatientsChanged
from clinic_desktop.fiscal.tax_ids import validate_tax_id
from clinic_desktop.i18n import _
from clinic_desktop.models.appointment import Appointment, AppointmentStatus
from clinic_desktop.models.patient import Patient, fold
from clinic_desktop.models.permissions import Permission
from clinic_desktop.services.access import require
from clinic_desktop.services.agenda_dto import PatientHit
from clinic_desktop.services.agenda_rules import clinic_country

_PHONE_CHARS = set("0123456789+ -()")


def _escape(text: str) -> str:
    return text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


def search_patients(
    uow: UnitOfWork, *, actor: Actor, text: str, limit: int = 20, archived: bool = False
) -> list[PatientHit]:
    """Patients matching every word (name folded, any order; ID number; phone; chart
    number); the archived ones only when `archived`."""
    words = text.split()
    if not words:
        return []
    with uow.transaction(actor) as session:
        require(session, actor, Permission.PATIENTS_READ)
        query = select(Patient).where(
            Patient.deleted_at.is_(None),
            Patient.archived_at.is_not(None) if archived else Patient.archived_at.is_(None),
        )
        for word in words:
            # Names are matched folded (no accents, any case) in any word order; a typed % or
            # _ is a character to find, not a wildcard.
            folded = _escape(fold(word))
            raw = _escape(word)
            conditions: list[ColumnElement[bool]] = [
                Patient.search_name.like(f"%{folded}%", escape="\\"),
                Patient.id_number.like(f"{raw}%", escape="\\"),
                Patient.phone.like(f"%{raw}%", escape="\\"),
            ]
            if word.isdigit():
                conditions.append(Patient.chart_number == int(word))
            query = query.where(or_(*conditions))
        patients = list(
            session.scalars(query.order_by(Patient.last_names, Patient.first_names).limit(limit))
        )
        ids = [p.id for p in patients]
        counts = {
            pid: (int(ns or 0), int(late or 0))
            for pid, ns, late in session.execute(
                select(
                    Appointment.patient_id,
                    func.sum(
                        case((Appointment.status == AppointmentStatus.NO_SHOW.value, 1), else_=0)
                    ),
                    func.sum(case((Appointment.late_cancellation.is_(True), 1), else_=0)),
                )
                .where(Appointment.patient_id.in_(ids), Appointment.deleted_at.is_(None))
                .group_by(Appointment.patient_id)
            )
        }
        return [
            PatientHit(
                id=p.id,
                chart_number=p.chart_number,
                full_name=p.full_name,
                id_number=p.id_number,
                phone=p.phone,
                no_shows=counts.get(p.id, (0, 0))[0],
                late_cancellations=counts.get(p.id, (0, 0))[1],
                birth_date=p.birth_date,
            )
            for p in patients
        ]


def get_patient_hit(uow: UnitOfWork, *, actor: Actor, patient_id: uuid.UUID) -> PatientHit:
    """One patient as the booking search shows them (with no-show counts)."""
    with uow.transaction(actor) as session:
        require(session, actor, Permission.PATIENTS_READ)
        patient = session.get(Patient, patient_id)
        if patient is None or patient.is_deleted:
            raise NotFound(_("The patient no longer exists."))
        no_shows, late = session.execute(
            select(
                func.count().filter(Appointment.status == AppointmentStatus.NO_SHOW.value),
                func.count().filter(Appointment.late_cancellation.is_(True)),
            ).where(Appointment.patient_id == patient_id, Appointment.deleted_at.is_(None))
        ).one()
        return PatientHit(
            patient.id,
            patient.chart_number,
            patient.full_name,
            patient.id_number,
            patient.phone,
            int(no_shows),
            int(late),
        )


def quick_create_patient(
    uow: UnitOfWork,
    *,
    actor: Actor,
    first_names: str,
    last_names: str,
    phone: str,
    id_number: str = "",
) -> PatientHit:
    """A patient with the minimum reception needs to book; the record is completed later."""
    first = " ".join(first_names.split())
    last = " ".join(last_names.split())
    if not first:
        raise ValidationError(_("First names: they are required."), field="first_names")
    if not last:
        raise ValidationError(_("Last names: they are required."), field="last_names")
    phone = phone.strip()
    digits = sum(c.isdigit() for c in phone)
    if not phone or digits < 6 or not set(phone) <= _PHONE_CHARS:
        raise ValidationError(
            _("Phone: at least 6 digits; only digits, spaces, +, - and brackets."), field="phone"
        )
    with uow.transaction(actor) as session:
        require(session, actor, Permission.PATIENTS_WRITE)
        number: str | None = None
        id_type = "none"
        if id_number.strip():
            check = validate_tax_id(
                clinic_country(session), id_number, field="id_number", label=_("ID number")
            )
            number, id_type = check.normalized, check.kind
            existing = session.scalar(
                select(Patient.chart_number).where(
                    Patient.id_number == number, Patient.deleted_at.is_(None)
                )
            )
            if existing is not None:
                raise ValidationError(
                    _("ID number: patient {chart} already has this number.").format(chart=existing),
                    field="id_number",
                )
        chart = (session.scalar(select(func.max(Patient.chart_number))) or 0) + 1
        patient = Patient(
            chart_number=chart,
            id_type=id_type,
            id_number=number,
            phone=phone,
        )
        patient.set_names(first, last)
        session.add(patient)
        session.flush()
        uow.publish_after_commit(PatientsChanged(patient_id=str(patient.id)))
        return PatientHit(patient.id, chart, patient.full_name, number, phone, 0, 0)
