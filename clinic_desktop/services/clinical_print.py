"""Printing the clinical record: the full history of a patient, one consultation note, or one
prescription, as PDF bytes that the UI shows in a print dialog with preview (or the export
writes to disk). Each needs clinical.read and writes an audit "read" entry saying what was
printed, because a printed page is clinical content leaving the screen. Dates are in the
clinic's time zone and the UI language. The record is read from the models here, with one
query per kind of record, so a 500-note history costs a handful of queries."""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import replace
from datetime import datetime
from typing import TypeVar
from zoneinfo import ZoneInfo

from sqlalchemy import select
from sqlalchemy.orm import Session

from clinic_desktop.actor import Actor
from clinic_desktop.db.uow import UnitOfWork
from clinic_desktop.errors import NotFound
from clinic_desktop.i18n import _, current_language, set_language
from clinic_desktop.models.appointment import Appointment
from clinic_desktop.models.clinical import (
    Allergy,
    AllergyStatus,
    MedicalHistoryEntry,
    Medication,
    Problem,
)
from clinic_desktop.models.encounter import Encounter
from clinic_desktop.models.patient import Patient
from clinic_desktop.models.permissions import Permission
from clinic_desktop.models.prescription import Prescription
from clinic_desktop.models.schedule import AppointmentType, Practitioner
from clinic_desktop.reports.clinical_letterhead import fmt_datetime
from clinic_desktop.reports.encounter_pdf import (
    EncounterDocument,
    NoteView,
    RxSummary,
    render_encounter,
)
from clinic_desktop.reports.history_pdf import (
    AllergyLine,
    AppointmentLine,
    ConsentLine,
    DocumentLine,
    Fact,
    HistoryDocument,
    HistoryText,
    MedicationLine,
    ProblemLine,
    render_history,
)
from clinic_desktop.reports.prescription_pdf import PrescriptionDocument, render_prescription
from clinic_desktop.services.access import require
from clinic_desktop.services.agenda_labels import status_label
from clinic_desktop.services.agenda_rules import clinic_zone
from clinic_desktop.services.clinical_common import audit_clinical_read, load_patient, user_names
from clinic_desktop.services.clinical_dto import (
    ALLERGY_STATUS_LABELS,
    MEDICATION_STATUS_LABELS,
    PROBLEM_STATUS_LABELS,
    SECTION_LABELS,
    SEVERITY_LABELS,
)
from clinic_desktop.services.clinical_print_views import (
    actor_display_name,
    age_text,
    clinic_letterhead,
    current_consents,
    live_rows,
    local,
    note_views,
    patient_documents,
    patient_encounters,
    patient_identity,
    patient_prescriptions,
    prescription_views,
)
from clinic_desktop.services.documents import category_label
from clinic_desktop.services.labels import consent_label, id_type_label, sex_label


def _label(labels: dict[str, str], code: str) -> str:
    return _(labels[code]) if code in labels else code


@contextmanager
def _language(language: str | None) -> Iterator[None]:
    """Prints in `language` (e.g. the patient's) and then returns to the UI's own. The
    language is process-wide, so the screens print in their own (language=None) and only
    callers with no screen to repaint meanwhile (the CLI, scripts) pass another."""
    previous = current_language()
    if language and language != previous:
        set_language(language)
    try:
        yield
    finally:
        if current_language() != previous:
            set_language(previous)


def history_pdf(
    uow: UnitOfWork, *, actor: Actor, patient_id: uuid.UUID, language: str | None = None
) -> bytes:
    """The patient's full clinical history."""
    with uow.transaction(actor) as session:
        require(session, actor, Permission.CLINICAL_READ)
        patient = load_patient(session, patient_id)
        audit_clinical_read(session, actor, patient_id=patient.id, what="print history")
        with _language(language):
            return render_history(history_document(session, patient, actor=actor))


_Printed = TypeVar("_Printed", Encounter, Prescription)


def _load_printed(
    session: Session,
    actor: Actor,
    model: type[_Printed],
    entity_id: uuid.UUID,
    *,
    what: str,
    missing: str,
) -> tuple[_Printed, Patient]:
    """The record to print and its patient, after the permission check, with the audit entry
    that says what was printed."""
    require(session, actor, Permission.CLINICAL_READ)
    row = session.get(model, entity_id)
    if row is None or row.is_deleted:
        raise NotFound(missing)
    patient = load_patient(session, row.patient_id)
    audit_clinical_read(
        session,
        actor,
        patient_id=patient.id,
        what=what,
        entity=model.__name__,
        entity_id=row.id,
    )
    return row, patient


def encounter_pdf(uow: UnitOfWork, *, actor: Actor, encounter_id: uuid.UUID) -> bytes:
    """One consultation note; a draft prints with a DRAFT mark."""
    with uow.transaction(actor) as session:
        encounter, patient = _load_printed(
            session,
            actor,
            Encounter,
            encounter_id,
            what="print note",
            missing=_("The clinical note no longer exists."),
        )
        zone = clinic_zone(session)
        others = patient_encounters(session, patient.id)
        note = note_views(session, [encounter], zone, siblings=others)[0]
        if encounter.appointment_id is not None:
            note = _with_appointment(session, note, encounter.appointment_id, zone)
        linked = [
            p for p in patient_prescriptions(session, patient.id) if p.encounter_id == encounter.id
        ]
        prescriptions = tuple(
            RxSummary(
                issued_on=view.issued_on,
                lines=tuple(line.summary() for line in view.lines),
                void=view.void,
            )
            for view in prescription_views(session, linked, zone)
        )
        return render_encounter(
            EncounterDocument(
                letterhead=clinic_letterhead(session),
                patient=patient_identity(patient),
                note=note,
                generated_at=datetime.now(zone),
                generated_by=actor_display_name(session, actor),
                prescriptions=prescriptions,
            )
        )


def _with_appointment(
    session: Session, note: NoteView, appointment_id: uuid.UUID, zone: ZoneInfo
) -> NoteView:
    appointment = session.get(Appointment, appointment_id)
    if appointment is None:
        return note
    text = _("Appointment of {date}").format(date=fmt_datetime(local(appointment.start_at, zone)))
    if appointment.reason:
        text += f" — {appointment.reason}"
    return replace(note, appointment=text)


def prescription_pdf(uow: UnitOfWork, *, actor: Actor, prescription_id: uuid.UUID) -> bytes:
    """One prescription to hand to the patient; a voided one prints crossed out as VOID."""
    with uow.transaction(actor) as session:
        prescription, patient = _load_printed(
            session,
            actor,
            Prescription,
            prescription_id,
            what="print prescription",
            missing=_("The prescription no longer exists."),
        )
        zone = clinic_zone(session)
        return render_prescription(
            PrescriptionDocument(
                letterhead=clinic_letterhead(session),
                patient=patient_identity(patient),
                prescription=prescription_views(session, [prescription], zone)[0],
                generated_at=datetime.now(zone),
                generated_by=actor_display_name(session, actor),
            )
        )


# -- the history's content -------------------------------------------------------------------


def history_document(
    session: Session,
    patient: Patient,
    *,
    actor: Actor,
    with_appointments: bool = False,
    title: str = "",
) -> HistoryDocument:
    """Everything the printed history shows, read in bulk. The caller checked permissions
    and wrote the audit entry."""
    zone = clinic_zone(session)
    now = datetime.now(zone)
    encounters = patient_encounters(session, patient.id)
    return HistoryDocument(
        letterhead=clinic_letterhead(session),
        patient=patient_identity(patient),
        generated_at=now,
        generated_by=actor_display_name(session, actor),
        demographics=_demographics(patient, now),
        consents=_consents(session, patient, zone),
        history=_history(session, patient.id),
        allergies=_allergies(session, patient.id),
        medications=_medications(session, patient.id),
        problems=_problems(session, patient.id),
        notes=tuple(note_views(session, encounters, zone)),
        prescriptions=tuple(
            prescription_views(session, patient_prescriptions(session, patient.id), zone)
        ),
        documents=_documents(session, patient.id),
        appointments=_appointments(session, patient.id, zone) if with_appointments else None,
        title=title,
    )


def _demographics(patient: Patient, now: datetime) -> tuple[Fact, ...]:
    emergency = " · ".join(
        part for part in (patient.emergency_contact, patient.emergency_phone) if part
    )
    candidates = (
        (_("Name"), patient.full_name),
        (_("Chart"), str(patient.chart_number)),
        (id_type_label(patient.id_type), patient.id_number or ""),
        (_("Birth date"), age_text(patient.birth_date, now.date()) if patient.birth_date else ""),
        (_("Sex"), sex_label(patient.sex) if patient.sex else ""),
        (_("Phone"), patient.phone or ""),
        (_("Mobile phone"), patient.mobile_phone or ""),
        (_("E-mail"), patient.email or ""),
        (_("Address"), patient.address or ""),
        (_("Emergency contact"), emergency),
        (_("Payer or insurer"), patient.payer or ""),
        (_("Referred by"), patient.referral_source or ""),
    )
    return tuple(Fact(label, value) for label, value in candidates if value)


def _consents(session: Session, patient: Patient, zone: ZoneInfo) -> tuple[ConsentLine, ...]:
    rows = current_consents(session, patient.id)
    names = user_names(session, [r.created_by for r in rows])
    return tuple(
        ConsentLine(
            kind=consent_label(r.kind),
            granted=r.granted,
            recorded_at=local(r.created_at, zone),
            recorded_by=names.get(r.created_by, "—") if r.created_by else "—",
        )
        for r in rows
    )


def _history(session: Session, patient_id: uuid.UUID) -> tuple[HistoryText, ...]:
    texts = {e.section: e.text for e in session.scalars(live_rows(MedicalHistoryEntry, patient_id))}
    return tuple(
        HistoryText(_(label), texts[code])
        for code, label in SECTION_LABELS.items()
        if code in texts
    )


def _allergies(session: Session, patient_id: uuid.UUID) -> tuple[AllergyLine, ...]:
    rows = session.scalars(live_rows(Allergy, patient_id).order_by(Allergy.created_at))
    return tuple(
        AllergyLine(
            substance=a.substance,
            reaction=a.reaction,
            severity=_label(SEVERITY_LABELS, a.severity),
            status=_label(ALLERGY_STATUS_LABELS, a.status),
            noted_on=a.noted_on,
            note=a.note,
            current=a.status == AllergyStatus.ACTIVE.value,
        )
        for a in rows
    )


def _medications(session: Session, patient_id: uuid.UUID) -> tuple[MedicationLine, ...]:
    rows = session.scalars(live_rows(Medication, patient_id).order_by(Medication.created_at))
    return tuple(
        MedicationLine(
            name=m.name,
            dose=m.dose,
            route=m.route,
            frequency=m.frequency,
            status=_label(MEDICATION_STATUS_LABELS, m.status),
            started_on=m.started_on,
            stopped_on=m.stopped_on,
            note=m.note,
        )
        for m in sorted(rows, key=lambda m: m.status != "active")
    )


def _problems(session: Session, patient_id: uuid.UUID) -> tuple[ProblemLine, ...]:
    rows = session.scalars(live_rows(Problem, patient_id).order_by(Problem.created_at))
    return tuple(
        ProblemLine(
            description=p.description,
            icd10=p.icd10,
            status=_label(PROBLEM_STATUS_LABELS, p.status),
            onset_on=p.onset_on,
            resolved_on=p.resolved_on,
            note=p.note,
        )
        for p in sorted(rows, key=lambda p: p.status != "active")
    )


def _documents(session: Session, patient_id: uuid.UUID) -> tuple[DocumentLine, ...]:
    return tuple(
        DocumentLine(
            document_date=d.document_date,
            category=category_label(d.category),
            file_name=d.file_name,
            description=d.description,
            size_bytes=d.size_bytes,
        )
        for d in patient_documents(session, patient_id)
    )


def _appointments(
    session: Session, patient_id: uuid.UUID, zone: ZoneInfo
) -> tuple[AppointmentLine, ...]:
    rows = session.execute(
        select(Appointment, Practitioner.display_name, AppointmentType.name)
        .join(Practitioner, Practitioner.id == Appointment.practitioner_id)
        .outerjoin(AppointmentType, AppointmentType.id == Appointment.type_id)
        .where(Appointment.patient_id == patient_id, Appointment.deleted_at.is_(None))
        .order_by(Appointment.start_at)
    )
    return tuple(
        AppointmentLine(
            start=local(a.start_at, zone),
            practitioner=practitioner,
            type_name=type_name or "",
            reason=a.reason,
            status=status_label(a.status),
        )
        for a, practitioner, type_name in rows
    )
