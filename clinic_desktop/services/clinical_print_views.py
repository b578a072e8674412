"""Reads a patient's clinical record straight from the models and turns it into the input
dataclasses of the clinical PDFs (reports/*_pdf.py): the letterhead, the patient's
identification, notes with their addenda and amendment links, prescriptions, documents,
consents and the standing record. Shared by the print services and the right-of-access export
(whose FHIR bundle reads the same live rows through `live_rows` and the patient_* queries);
each function reads in bulk (one query per kind of record, never one per note), so a chart of
hundreds of notes costs a handful of queries. Times become clinic-local here; the reports
format them in the UI language."""

from __future__ import annotations

import uuid
from collections import defaultdict
from collections.abc import Iterable, Sequence
from datetime import date, datetime
from decimal import Decimal
from typing import TypeVar
from zoneinfo import ZoneInfo

from sqlalchemy import Select, select
from sqlalchemy.orm import Session

from clinic_desktop.actor import Actor
from clinic_desktop.i18n import N_, _
from clinic_desktop.models.clinic import Clinic
from clinic_desktop.models.clinical import Allergy, MedicalHistoryEntry, Medication, Problem
from clinic_desktop.models.document import PatientDocument
from clinic_desktop.models.encounter import VITALS, Encounter, EncounterAddendum
from clinic_desktop.models.patient import Patient, PatientConsent
from clinic_desktop.models.prescription import Prescription, PrescriptionItem
from clinic_desktop.models.schedule import Practitioner
from clinic_desktop.models.user import User
from clinic_desktop.reports.clinical_letterhead import (
    Letterhead,
    PatientIdentity,
    age_on,
    fmt_date,
)
from clinic_desktop.reports.encounter_pdf import AddendumLine, NoteView, VitalLine
from clinic_desktop.reports.prescription_pdf import PrescriptionLine, PrescriptionView
from clinic_desktop.services.clinical_common import user_names
from clinic_desktop.services.labels import id_type_label

TAX_ID_LABELS = {"EC": "RUC", "ES": "NIF"}
VITAL_LABELS: dict[str, str] = {
    "heart_rate": N_("Heart rate"),
    "respiratory_rate": N_("Respiratory rate"),
    "temperature_c": N_("Temperature"),
    "spo2": N_("SpO2"),
    "weight_kg": N_("Weight"),
    "height_cm": N_("Height"),
}


def local(moment: datetime, zone: ZoneInfo) -> datetime:
    return moment.astimezone(zone)


def clinic_letterhead(session: Session) -> Letterhead:
    clinic = session.scalar(select(Clinic).where(Clinic.deleted_at.is_(None)).limit(1))
    if clinic is None:
        return Letterhead(clinic_name="", address="", tax_id="", tax_id_label="")
    return Letterhead(
        clinic_name=clinic.name,
        address=clinic.address,
        tax_id=clinic.tax_id,
        tax_id_label=TAX_ID_LABELS.get(clinic.country, ""),
        logo=clinic.logo,
    )


def patient_identity(patient: Patient) -> PatientIdentity:
    return PatientIdentity(
        full_name=patient.full_name,
        chart_number=patient.chart_number,
        id_label=id_type_label(patient.id_type),
        id_number=patient.id_number,
        birth_date=patient.birth_date,
    )


def actor_display_name(session: Session, actor: Actor) -> str:
    """The signed-in user's full name; a system actor (the CLI) by its own name."""
    if actor.user_id is not None:
        user = session.get(User, actor.user_id)
        if user is not None:
            return user.full_name
    return actor.name


def vital_lines(encounter: Encounter) -> tuple[VitalLine, ...]:
    lines: list[VitalLine] = []
    systolic, diastolic = encounter.systolic_bp, encounter.diastolic_bp
    if systolic is not None and diastolic is not None:
        lines.append(VitalLine(_("Blood pressure"), (systolic, diastolic), "mmHg"))
    elif systolic is not None:
        lines.append(VitalLine(_("Systolic pressure"), (systolic,), "mmHg"))
    elif diastolic is not None:
        lines.append(VitalLine(_("Diastolic pressure"), (diastolic,), "mmHg"))
    for key, label in VITAL_LABELS.items():
        value: Decimal | None = getattr(encounter, key)
        if value is not None:
            spec = VITALS[key]
            lines.append(VitalLine(_(label), (value,), spec.unit, spec.decimals))
    return tuple(lines)


_Row = TypeVar(
    "_Row",
    MedicalHistoryEntry,
    Allergy,
    Medication,
    Problem,
    PatientDocument,
    Encounter,
    Prescription,
)


def live_rows(model: type[_Row], patient_id: uuid.UUID) -> Select[_Row]:
    """The patient's records of `model` not in the trash, to be ordered by the caller."""
    return select(model).where(model.patient_id == patient_id, model.deleted_at.is_(None))


def patient_encounters(session: Session, patient_id: uuid.UUID) -> list[Encounter]:
    """Every live note of the patient, oldest first."""
    query = live_rows(Encounter, patient_id).order_by(Encounter.occurred_at, Encounter.created_at)
    return list(session.scalars(query))


def patient_prescriptions(session: Session, patient_id: uuid.UUID) -> list[Prescription]:
    query = live_rows(Prescription, patient_id).order_by(
        Prescription.issued_on, Prescription.created_at
    )
    return list(session.scalars(query))


def patient_documents(session: Session, patient_id: uuid.UUID) -> list[PatientDocument]:
    """The attached documents' details (not their bytes), by document date."""
    query = live_rows(PatientDocument, patient_id).order_by(
        PatientDocument.document_date, PatientDocument.created_at
    )
    return list(session.scalars(query))


def note_addenda(
    session: Session, encounter_ids: Sequence[uuid.UUID]
) -> dict[uuid.UUID, list[EncounterAddendum]]:
    """The live addenda of each note, oldest first."""
    addenda: dict[uuid.UUID, list[EncounterAddendum]] = defaultdict(list)
    for chunk in _chunks(encounter_ids):
        rows = session.scalars(
            select(EncounterAddendum)
            .where(
                EncounterAddendum.encounter_id.in_(chunk), EncounterAddendum.deleted_at.is_(None)
            )
            .order_by(EncounterAddendum.created_at)
        )
        for addendum in rows:
            addenda[addendum.encounter_id].append(addendum)
    return addenda


def note_views(
    session: Session,
    encounters: Sequence[Encounter],
    zone: ZoneInfo,
    *,
    siblings: Sequence[Encounter] | None = None,
) -> list[NoteView]:
    """Views of `encounters` in the same order. `siblings` are the notes among which
    amendments are looked up (the patient's others; defaults to `encounters` itself)."""
    pool = list(siblings if siblings is not None else encounters)
    by_id = {e.id: e for e in pool}
    for e in encounters:
        by_id.setdefault(e.id, e)
    missing = {e.amends_id for e in encounters if e.amends_id and e.amends_id not in by_id}
    if missing:
        for row in session.scalars(select(Encounter).where(Encounter.id.in_(missing))):
            by_id[row.id] = row
    # The signed version that replaced each note (a draft amendment replaces nothing yet).
    superseded: dict[uuid.UUID, Encounter] = {}
    for e in pool:
        if e.amends_id and e.is_signed and e.deleted_at is None:
            superseded[e.amends_id] = e
    addenda = note_addenda(session, [e.id for e in encounters])
    names = user_names(
        session,
        [
            *(e.author_id for e in encounters),
            *(e.signed_by for e in encounters),
            *(a.created_by for rows in addenda.values() for a in rows),
        ],
    )
    views: list[NoteView] = []
    for e in encounters:
        original = by_id.get(e.amends_id) if e.amends_id else None
        newer = superseded.get(e.id)
        author = names.get(e.author_id, "—")
        views.append(
            NoteView(
                occurred_at=local(e.occurred_at, zone),
                author=author,
                signed=e.is_signed,
                signed_by=names.get(e.signed_by, author) if e.signed_by else author,
                signed_at=local(e.signed_at, zone) if e.signed_at else None,
                chief_complaint=e.chief_complaint,
                subjective=e.subjective,
                objective=e.objective,
                assessment=e.assessment,
                plan=e.plan,
                vitals=vital_lines(e),
                addenda=tuple(
                    AddendumLine(
                        text=a.text,
                        author=names.get(a.created_by, "—") if a.created_by else "—",
                        written_at=local(a.created_at, zone),
                    )
                    for a in addenda.get(e.id, [])
                ),
                amends_note_of=local(original.occurred_at, zone) if original else None,
                amendment_reason=e.amendment_reason if e.amends_id else "",
                superseded_by=local(newer.signed_at or newer.created_at, zone) if newer else None,
            )
        )
    return views


def _chunks(ids: Sequence[uuid.UUID], size: int = 500) -> Iterable[Sequence[uuid.UUID]]:
    # SQLite caps the number of bound parameters; long charts are read in slices.
    for start in range(0, len(ids), size):
        yield ids[start : start + size]


def prescription_views(
    session: Session, prescriptions: Sequence[Prescription], zone: ZoneInfo
) -> list[PrescriptionView]:
    ids = [p.id for p in prescriptions]
    items: dict[uuid.UUID, list[PrescriptionItem]] = defaultdict(list)
    for chunk in _chunks(ids):
        rows = session.scalars(
            select(PrescriptionItem)
            .where(
                PrescriptionItem.prescription_id.in_(chunk),
                PrescriptionItem.deleted_at.is_(None),
            )
            .order_by(PrescriptionItem.position, PrescriptionItem.created_at)
        )
        for item in rows:
            items[item.prescription_id].append(item)
    prescribers = {p.prescriber_id for p in prescriptions}
    names = user_names(session, [*prescribers, *(p.voided_by for p in prescriptions)])
    specialties = _specialties(session, prescribers)
    return [
        PrescriptionView(
            issued_on=p.issued_on,
            prescriber=names.get(p.prescriber_id, "—"),
            prescriber_detail=specialties.get(p.prescriber_id, ""),
            lines=tuple(
                PrescriptionLine(
                    medication=i.medication,
                    dose=i.dose,
                    route=i.route,
                    frequency=i.frequency,
                    duration=i.duration,
                    instructions=i.instructions,
                )
                for i in items.get(p.id, [])
            ),
            notes=p.notes,
            void=p.status == "void",
            voided_at=local(p.voided_at, zone) if p.voided_at else None,
            voided_by=names.get(p.voided_by, "") if p.voided_by else "",
            void_reason=p.void_reason,
        )
        for p in prescriptions
    ]


def _specialties(session: Session, user_ids: set[uuid.UUID]) -> dict[uuid.UUID, str]:
    if not user_ids:
        return {}
    rows = session.execute(
        select(Practitioner.user_id, Practitioner.specialty).where(
            Practitioner.user_id.in_(user_ids), Practitioner.deleted_at.is_(None)
        )
    )
    return {row[0]: row[1] for row in rows if row[0] is not None and row[1]}


def current_consents(session: Session, patient_id: uuid.UUID) -> list[PatientConsent]:
    """The latest answer of each kind, in the order the kinds were first asked."""
    rows = session.scalars(
        select(PatientConsent)
        .where(PatientConsent.patient_id == patient_id, PatientConsent.deleted_at.is_(None))
        .order_by(PatientConsent.created_at)
    )
    latest: dict[str, PatientConsent] = {}
    for row in rows:
        latest[row.kind] = row
    return list(latest.values())


def age_text(birth: date | None, today: date) -> str:
    if birth is None:
        return "—"
    years = age_on(birth, today)
    return _("{date} ({years} y)").format(date=fmt_date(birth), years=years)
