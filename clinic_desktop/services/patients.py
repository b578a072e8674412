"""Finding a patient while booking (by name, ID number, phone or chart number, with their
no-show and late-cancellation counts so reception sees them before booking) and quick-creating
one with just name, ID and phone. The patient-records feature builds the full record on this."""

from __future__ import annotations

import uuid

from sqlalchemy import case, exists, func, select
from sqlalchemy.orm import Session, aliased

from clinic_desktop.actor import Actor
from clinic_desktop.db.uow import UnitOfWork
from clinic_desktop.errors import NotFound, ValidationError
from clinic_desktop.events import PatientsChanged
from clinic_desktop.fiscal.tax_ids import validate_tax_id
from clinic_desktop.i18n import _
from clinic_desktop.models.appointment import Appointment, AppointmentStatus
from clinic_desktop.models.patient import Patient
from clinic_desktop.models.patient_search import (
    ARCHIVED,
    LISTED,
    PatientSearchTerm,
    normalize_term,
)
from clinic_desktop.models.permissions import Permission
from clinic_desktop.services.access import require
from clinic_desktop.services.agenda_dto import PatientHit
from clinic_desktop.services.agenda_rules import clinic_country

_PHONE_CHARS = set("0123456789+ -()")


def _upper_bound(prefix: str) -> str:
    """The first string after every string that starts with `prefix`."""
    return prefix[:-1] + chr(ord(prefix[-1]) + 1)


def _matching_ids(
    session: Session, words: list[str], *, archived: bool, limit: int
) -> list[uuid.UUID]:
    """Ids of patients with a term starting with each word, in index order: the longest word
    (usually the most selective) drives the scan over the (term, sort_name) index, the others
    are probed per candidate, and the scan stops after `limit` distinct patients."""
    driver, others = words[0], words[1:]
    term = aliased(PatientSearchTerm)
    query = select(term.patient_id).where(
        term.state == (ARCHIVED if archived else LISTED),
        term.term >= driver,
        term.term < _upper_bound(driver),
    )
    for word in others:
        other = aliased(PatientSearchTerm)
        query = query.where(
            exists().where(
                other.patient_id == term.patient_id,
                other.term >= word,
                other.term < _upper_bound(word),
            )
        )
    query = query.order_by(term.term, term.sort_name)
    # A patient can match the driver twice ("mari" finds both María and Mariana): read a
    # little more than asked and keep the first occurrence of each.
    found: list[uuid.UUID] = []
    batch = limit * 2
    offset = 0
    while len(found) < limit:
        ids = list(session.scalars(query.limit(batch).offset(offset)))
        for pid in ids:
            if pid not in found:
                found.append(pid)
        if len(ids) < batch:
            break
        offset += batch
    return found[:limit]


def search_patients(
    uow: UnitOfWork, *, actor: Actor, text: str, limit: int = 20, archived: bool = False
) -> list[PatientHit]:
    """Patients with a term starting with every typed word (folded name words in any order,
    ID number, phone, chart number: "jose garc" finds José García, "0991" his phone); the
    archived ones only when `archived`. Ordered by the matched term, then by name."""
    typed = [w for w in (normalize_term(t) for t in text.split()) if w]
    if len(typed) > 1 and all(w.isdigit() for w in typed):
        typed = ["".join(typed)]  # a phone or ID number typed in groups: "099 123 4567"
    words = sorted(set(typed), key=len, reverse=True)
    if not words:
        return []
    with uow.transaction(actor) as session:
        require(session, actor, Permission.PATIENTS_READ)
        ids = _matching_ids(session, words, archived=archived, limit=limit)
        by_id = {p.id: p for p in session.scalars(select(Patient).where(Patient.id.in_(ids)))}
        patients = [by_id[pid] for pid in ids if pid in by_id]
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
