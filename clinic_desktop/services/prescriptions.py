"""Prescriptions written at the clinic: issuing one (one or more lines, each with medication,
dose, frequency and duration, and optionally route and instructions) by a doctor who may sign,
voiding one with a reason (an issued prescription is never edited, and a voided one stays in
the record), and reading them back with everything a printed prescription needs except the
clinic's letterhead. Every read is audited as an opening of clinical content."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from clinic_desktop.actor import Actor
from clinic_desktop.db.uow import UnitOfWork
from clinic_desktop.errors import InvalidTransition, PermissionDenied, ValidationError
from clinic_desktop.i18n import _
from clinic_desktop.models.base import utcnow
from clinic_desktop.models.encounter import Encounter
from clinic_desktop.models.patient import Patient
from clinic_desktop.models.permissions import Permission
from clinic_desktop.models.prescription import Prescription, PrescriptionItem, PrescriptionStatus
from clinic_desktop.models.schedule import Practitioner
from clinic_desktop.services.access import require
from clinic_desktop.services.clinical_common import (
    announce,
    audit_clinical_read,
    load_patient,
    load_record,
    name_of,
    user_names,
)
from clinic_desktop.services.clinical_dto import clean_text, past_date
from clinic_desktop.services.clinical_history import clinic_today

__all__ = ["PrescriptionStatus"]

# (field, column limit, required) of a prescription line, in the order shown.
LINE_FIELDS: tuple[tuple[str, int, bool], ...] = (
    ("medication", 200, True),
    ("dose", 120, True),
    ("route", 40, False),
    ("frequency", 120, True),
    ("duration", 120, True),
    ("instructions", 500, False),
)


def line_label(field: str) -> str:
    """The translated name of a line's field (the dialog's column headers use it too)."""
    labels = {
        "medication": _("Medication"),
        "dose": _("Dose"),
        "route": _("Route"),
        "frequency": _("Frequency"),
        "duration": _("Duration"),
        "instructions": _("Instructions"),
    }
    return labels[field]


@dataclass(frozen=True)
class PrescriptionLineForm:
    medication: str
    dose: str = ""
    route: str = ""
    frequency: str = ""
    duration: str = ""
    instructions: str = ""

    @property
    def is_blank(self) -> bool:
        return not any(getattr(self, field).strip() for field, _limit, _req in LINE_FIELDS)


@dataclass(frozen=True)
class PrescriptionLineDTO:
    position: int
    medication: str
    dose: str
    route: str
    frequency: str
    duration: str
    instructions: str


@dataclass(frozen=True)
class PrescriptionDTO:
    """A prescription as printed and as listed in the chart."""

    id: uuid.UUID
    patient_id: uuid.UUID
    patient_name: str
    chart_number: int
    patient_id_type: str
    patient_id_number: str | None
    patient_birth_date: date | None
    prescriber_id: uuid.UUID
    prescriber_name: str
    prescriber_specialty: str
    encounter_id: uuid.UUID | None
    issued_on: date
    lines: tuple[PrescriptionLineDTO, ...]
    notes: str
    status: str
    void_reason: str
    voided_by: str
    voided_at: datetime | None
    created_at: datetime
    version: int

    @property
    def is_void(self) -> bool:
        return self.status == PrescriptionStatus.VOID

    @property
    def medications_summary(self) -> str:
        return " · ".join(
            " ".join(part for part in (line.medication, line.dose) if part) for line in self.lines
        )


def _clean_lines(lines: Sequence[PrescriptionLineForm]) -> list[dict[str, str]]:
    """Each non-blank line checked field by field; messages name the line as the doctor
    numbered it on screen, so blank rows left in the table keep the numbering."""
    cleaned: list[dict[str, str]] = []
    for number, line in enumerate(lines, start=1):
        if line.is_blank:
            continue
        values: dict[str, str] = {}
        for field, limit, required in LINE_FIELDS:
            label = _("Line {number} — {field}").format(number=number, field=line_label(field))
            values[field] = clean_text(
                getattr(line, field),
                field=f"lines.{number}.{field}",
                label=label,
                limit=limit,
                required=required,
            )
        cleaned.append(values)
    if not cleaned:
        raise ValidationError(
            _(
                "Medications: add at least one line with its medication, dose, frequency and "
                "duration."
            ),
            field="lines",
        )
    return cleaned


def _dto(
    rx: Prescription,
    items: Sequence[PrescriptionItem],
    patient: Patient,
    names: dict[uuid.UUID, str],
    specialties: dict[uuid.UUID, str],
) -> PrescriptionDTO:
    return PrescriptionDTO(
        id=rx.id,
        patient_id=rx.patient_id,
        patient_name=patient.full_name,
        chart_number=patient.chart_number,
        patient_id_type=patient.id_type,
        patient_id_number=patient.id_number,
        patient_birth_date=patient.birth_date,
        prescriber_id=rx.prescriber_id,
        prescriber_name=names.get(rx.prescriber_id, ""),
        prescriber_specialty=specialties.get(rx.prescriber_id, ""),
        encounter_id=rx.encounter_id,
        issued_on=rx.issued_on,
        lines=tuple(
            PrescriptionLineDTO(
                position=i.position,
                medication=i.medication,
                dose=i.dose,
                route=i.route,
                frequency=i.frequency,
                duration=i.duration,
                instructions=i.instructions,
            )
            for i in sorted(items, key=lambda item: item.position)
        ),
        notes=rx.notes,
        status=rx.status,
        void_reason=rx.void_reason,
        voided_by=name_of(names, rx.voided_by),
        voided_at=rx.voided_at,
        created_at=rx.created_at,
        version=rx.version,
    )


def _dtos(
    session: Session, patient: Patient, prescriptions: Sequence[Prescription]
) -> list[PrescriptionDTO]:
    """The DTOs of several prescriptions of one patient in three more queries."""
    ids = [rx.id for rx in prescriptions]
    items: dict[uuid.UUID, list[PrescriptionItem]] = {i: [] for i in ids}
    if ids:
        for item in session.scalars(
            select(PrescriptionItem).where(
                PrescriptionItem.prescription_id.in_(ids), PrescriptionItem.deleted_at.is_(None)
            )
        ):
            items[item.prescription_id].append(item)
    people = {rx.prescriber_id for rx in prescriptions} | {rx.voided_by for rx in prescriptions}
    names = user_names(session, people)
    prescribers = {rx.prescriber_id for rx in prescriptions}
    specialties: dict[uuid.UUID, str] = {}
    if prescribers:
        rows = session.execute(
            select(Practitioner.user_id, Practitioner.specialty).where(
                Practitioner.user_id.in_(prescribers)
            )
        )
        specialties = {row[0]: row[1] for row in rows if row[0] is not None}
    return [_dto(rx, items[rx.id], patient, names, specialties) for rx in prescriptions]


def _load(session: Session, prescription_id: uuid.UUID) -> tuple[Prescription, Patient]:
    rx = load_record(
        session, Prescription, prescription_id, missing=_("This prescription no longer exists.")
    )
    return rx, load_patient(session, rx.patient_id)


def _saved(
    uow: UnitOfWork, session: Session, patient: Patient, rx: Prescription
) -> PrescriptionDTO:
    session.flush()
    announce(uow, patient.id, "prescriptions")
    return _dtos(session, patient, [rx])[0]


def issue_prescription(
    uow: UnitOfWork,
    *,
    actor: Actor,
    patient_id: uuid.UUID,
    lines: Sequence[PrescriptionLineForm],
    notes: str = "",
    encounter_id: uuid.UUID | None = None,
    issued_on: date | None = None,
    prescriber_id: uuid.UUID | None = None,
) -> PrescriptionDTO:
    """Issues a prescription signed by the actor (`prescriber_id` is only for system actors,
    such as the demo data generator, which have no account of their own)."""
    with uow.transaction(actor) as session:
        require(session, actor, Permission.CLINICAL_SIGN)
        patient = load_patient(session, patient_id, writing=True)
        prescriber = actor.user_id if not actor.is_system else prescriber_id
        if prescriber is None:
            raise PermissionDenied(_("Only a signed-in doctor can issue a prescription."))
        cleaned = _clean_lines(lines)
        text = clean_text(notes, field="notes", label=_("Notes"), limit=1000)
        today = clinic_today(session)
        day = issued_on or today
        past_date(day, field="issued_on", label=_("Date"), today=today)
        if encounter_id is not None:
            encounter = session.get(Encounter, encounter_id)
            if encounter is None or encounter.is_deleted or encounter.patient_id != patient_id:
                raise ValidationError(
                    _("Note: the clinical note is not one of this patient's."),
                    field="encounter_id",
                )
        rx = Prescription(
            patient_id=patient_id,
            encounter_id=encounter_id,
            prescriber_id=prescriber,
            issued_on=day,
            notes=text,
            status=PrescriptionStatus.ISSUED.value,
        )
        session.add(rx)
        session.flush()
        items = [
            PrescriptionItem(prescription_id=rx.id, position=position, **values)
            for position, values in enumerate(cleaned, start=1)
        ]
        session.add_all(items)
        return _saved(uow, session, patient, rx)


def void_prescription(
    uow: UnitOfWork, *, actor: Actor, prescription_id: uuid.UUID, reason: str
) -> PrescriptionDTO:
    """Voids a prescription with a reason; it stays in the record, marked void."""
    with uow.transaction(actor) as session:
        require(session, actor, Permission.CLINICAL_SIGN)
        rx, patient = _load(session, prescription_id)
        if rx.status == PrescriptionStatus.VOID:
            raise InvalidTransition(_("This prescription is already void."))
        why = clean_text(reason, field="reason", label=_("Reason"), limit=300, required=True)
        rx.status = PrescriptionStatus.VOID.value
        rx.void_reason = why
        rx.voided_at = utcnow()
        rx.voided_by = actor.user_id
        return _saved(uow, session, patient, rx)


def list_prescriptions(
    uow: UnitOfWork, *, actor: Actor, patient_id: uuid.UUID
) -> list[PrescriptionDTO]:
    """The patient's prescriptions, newest first, void ones included."""
    with uow.transaction(actor) as session:
        require(session, actor, Permission.CLINICAL_READ)
        patient = load_patient(session, patient_id)
        rows = list(
            session.scalars(
                select(Prescription)
                .where(Prescription.patient_id == patient_id, Prescription.deleted_at.is_(None))
                .order_by(Prescription.issued_on.desc(), Prescription.created_at.desc())
            )
        )
        audit_clinical_read(session, actor, patient_id=patient_id, what="prescriptions")
        return _dtos(session, patient, rows)


def get_prescription(
    uow: UnitOfWork, *, actor: Actor, prescription_id: uuid.UUID, purpose: str = "prescription"
) -> PrescriptionDTO:
    """One prescription; `purpose` names the opening in the audit trail ("prescription",
    "prescription print")."""
    with uow.transaction(actor) as session:
        require(session, actor, Permission.CLINICAL_READ)
        rx, patient = _load(session, prescription_id)
        audit_clinical_read(
            session,
            actor,
            patient_id=rx.patient_id,
            what=purpose,
            entity="Prescription",
            entity_id=rx.id,
        )
        return _dtos(session, patient, [rx])[0]
