"""The demo clinic's patient records, so a newcomer opens charts that look lived in: payer,
emergency contact, reminder channel and consents; a medical history, allergies, medications
and an ICD-10 problem list; note templates with prompts; and, with the agenda, a signed SOAP
note with vital signs for each completed visit to a practitioner who has an account (external
practitioners keep their notes elsewhere), drafts for today's consultations, addenda, two
amended versions, prescriptions (one voided) and lab reports and radiographs for one patient in
ten. Rows go straight to the tables in bulk, with one audit entry per kind of record (counts
only); the same seed, day and "now" give the same texts. Large demos stay fast (under a fifth
more time at 100,000 patients, under a second at the default 200): notes for the most recent
`MAX_ENCOUNTERS` visits, documents for at most `MAX_DOCUMENT_PATIENTS` patients, history and
consents for at most `MAX_RECORD_PATIENTS` (those with notes first); every patient still gets
a payer, contacts and a referral source."""

from __future__ import annotations

import random
import uuid
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any, cast

from sqlalchemy import Table, or_, select
from sqlalchemy.orm import Session

from clinic_desktop.actor import Actor
from clinic_desktop.db.audit_log import append_audit
from clinic_desktop.models.appointment import Appointment, AppointmentStatus
from clinic_desktop.models.base import new_id, utcnow
from clinic_desktop.models.clinical import Allergy, MedicalHistoryEntry, Medication, Problem
from clinic_desktop.models.document import DocumentContent, PatientDocument
from clinic_desktop.models.encounter import Encounter, EncounterAddendum, NoteTemplate
from clinic_desktop.models.patient import PatientConsent
from clinic_desktop.models.prescription import Prescription, PrescriptionItem
from clinic_desktop.models.schedule import AppointmentMode, AppointmentType, Practitioner
from clinic_desktop.models.user import User
from clinic_desktop.services.agenda_rules import clinic_zone
from clinic_desktop.services.demo_bulk import BulkWriter, loading_cache
from clinic_desktop.services.demo_clinical_docs import DocumentRows, document_rows
from clinic_desktop.services.demo_clinical_notes import NoteRows, NoteWriter, Visit
from clinic_desktop.services.demo_clinical_people import patient_details
from clinic_desktop.services.demo_clinical_record import (
    PatientFacts,
    Profile,
    StandingWriter,
    age_on,
    build_profile,
)
from clinic_desktop.services.demo_clinical_templates import TEMPLATES

MAX_ENCOUNTERS = 20_000
MAX_DOCUMENT_PATIENTS = 300
MAX_RECORD_PATIENTS = 10_000
BATCH = 5000
_DENTAL_WORDS = ("odont", "ortodon", "dental")


@dataclass(frozen=True)
class ClinicalDemoStats:
    patients: int
    consents: int
    history_sections: int
    allergies: int
    medications: int
    problems: int
    templates: int
    signed_notes: int
    draft_notes: int
    amended_notes: int
    addenda: int
    prescriptions: int
    documents: int


def add_demo_clinical(
    session: Session,
    *,
    actor: Actor,
    seed: int,
    now: datetime | None = None,
    encounters: bool = True,
    max_encounters: int = MAX_ENCOUNTERS,
    max_document_patients: int = MAX_DOCUMENT_PATIENTS,
    max_record_patients: int = MAX_RECORD_PATIENTS,
) -> ClinicalDemoStats:
    """Adds the records of every patient in the clinic. `now` is the instant the agenda's
    statuses are relative to (`AgendaDemoStats.now`); `encounters` False (a demo without an
    agenda) leaves out what hangs on appointments: notes, prescriptions and documents."""
    zone = clinic_zone(session)
    moment = now or utcnow()
    today = moment.astimezone(zone).date()
    users = {
        name: (id_, full_name)
        for name, id_, full_name in session.execute(
            select(User.username, User.id, User.full_name).order_by(User.username)
        )
    }
    doctor = (users.get("medico") or users.get("duena") or (None, ""))[0]
    profiles = _profiles(session, today)
    visits = _visits(session, moment, max_encounters) if encounters else []
    by_id = {p.facts.id: p for p in profiles}
    first_author: dict[uuid.UUID, uuid.UUID] = {}
    for visit in visits:
        profile = by_id.get(visit.patient_id)
        if profile is None:
            continue
        if visit.dental:
            profile.dental_types.add(visit.type_name)
        else:
            profile.reasons.add(visit.reason)
        if profile.first_visit is None or visit.start_at < profile.first_visit:
            profile.first_visit = visit.start_at
            first_author[profile.facts.id] = visit.author_id

    charted = _charted(profiles, max_record_patients)
    standing = StandingWriter(random.Random(f"{seed}:record"), today)
    record_rng = random.Random(f"{seed}:profile")
    for profile in charted:
        allergies = build_profile(record_rng, profile)
        author = first_author.get(profile.facts.id) or doctor
        if author is not None:
            standing.add(profile, allergies, author, profile.first_visit or moment)
    consents = patient_details(
        session,
        random.Random(f"{seed}:people"),
        profiles,
        consenting={p.facts.id for p in charted},
        clerk=(users.get("recepcion") or (None, ""))[0],
        moment=moment,
    )
    notes = NoteWriter(random.Random(f"{seed}:notes"), moment, zone).add_all(visits, by_id)
    names = {id_: full for id_, full in users.values()}
    documents = document_rows(
        random.Random(f"{seed}:documents"),
        notes.signed_notes,
        by_id,
        names,
        share=0.1,
        limit=max_document_patients,
        moment=moment,
        zone=zone,
    )
    templates = _template_rows(users, moment)
    with loading_cache(session):
        _write(session, PatientConsent, consents)
        rows = standing.rows
        for model, batch in (
            (MedicalHistoryEntry, rows.history),
            (Allergy, rows.allergies),
            (Medication, rows.medications),
            (Problem, rows.problems),
            (NoteTemplate, templates),
            (Encounter, _originals_first(notes)),
            (EncounterAddendum, notes.addenda),
            (Prescription, notes.prescriptions),
            (PrescriptionItem, notes.items),
        ):
            _write(session, model, batch)
        _write_documents(session, documents)
    stats = ClinicalDemoStats(
        patients=len(profiles),
        consents=len(consents),
        history_sections=len(rows.history),
        allergies=len(rows.allergies),
        medications=len(rows.medications),
        problems=len(rows.problems),
        templates=len(templates),
        signed_notes=notes.signed + notes.amended,
        draft_notes=notes.drafts,
        amended_notes=notes.amended,
        addenda=len(notes.addenda),
        prescriptions=len(notes.prescriptions),
        documents=len(documents.documents),
    )
    _audit(session, actor, seed, stats)
    return stats


def _profiles(session: Session, today: date) -> list[Profile]:
    # Read raw: for 100,000 patients the ORM's per-value type processing costs seconds. The
    # stored formats are the models' own (UUIDs as 32 hex digits, dates as ISO text), which
    # `demo_bulk.BulkWriter` checks against the column types whenever it writes.
    rows = session.connection().exec_driver_sql(
        "SELECT id, chart_number, first_names, last_names, birth_date, sex, email, phone "
        "FROM patients WHERE deleted_at IS NULL"
    )
    profiles: list[Profile] = []
    for id_, chart, first, last, born, sex, email, phone in rows:
        birth = date.fromisoformat(born) if born else None
        facts = PatientFacts(
            uuid.UUID(hex=id_), chart, f"{first} {last}", last, birth, sex, email, phone
        )
        profiles.append(Profile(facts, age=age_on(birth, today)))
    # Sorted here rather than in SQL: walking the chart-number index costs more than the sort.
    profiles.sort(key=lambda p: p.facts.chart)
    return profiles


def _charted(profiles: list[Profile], limit: int) -> list[Profile]:
    """Whose standing record and consents are generated: everyone up to `limit` patients;
    beyond it, every patient with a note, then the first others by chart number."""
    if len(profiles) <= limit:
        return profiles
    seen = [p for p in profiles if p.first_visit is not None]
    room = max(0, limit - len(seen))
    others = [p for p in profiles if p.first_visit is None][:room]
    return sorted([*seen, *others], key=lambda p: p.facts.chart)


def _visits(session: Session, moment: datetime, limit: int) -> list[Visit]:
    """The most recent completed or ongoing visits of practitioners with an account."""
    query = (
        select(
            Appointment.id,
            Appointment.patient_id,
            Practitioner.user_id,
            Practitioner.specialty,
            AppointmentType.name,
            Appointment.reason,
            Appointment.mode,
            Appointment.status,
            Appointment.start_at,
            Appointment.started_at,
            Appointment.completed_at,
        )
        .join(Practitioner, Practitioner.id == Appointment.practitioner_id)
        .outerjoin(AppointmentType, AppointmentType.id == Appointment.type_id)
        .where(
            Appointment.deleted_at.is_(None),
            Practitioner.user_id.is_not(None),
            Appointment.status.in_(
                [AppointmentStatus.COMPLETED.value, AppointmentStatus.IN_CONSULTATION.value]
            ),
            # The patient the agenda demo sent in early (ensure_waiting) is in consultation
            # before the booked start: that visit has begun and gets its note too.
            or_(
                Appointment.start_at <= moment,
                Appointment.status == AppointmentStatus.IN_CONSULTATION.value,
            ),
        )
        .order_by(Appointment.start_at.desc(), Practitioner.sort_order)
        .limit(limit)
    )
    visits = [
        Visit(
            appointment_id=id_,
            patient_id=patient_id,
            author_id=cast(uuid.UUID, user_id),  # the query keeps linked practitioners only
            dental=any(word in (specialty or "").lower() for word in _DENTAL_WORDS),
            type_name=type_name or "",
            reason=reason or "",
            telemedicine=mode == AppointmentMode.TELEMEDICINE.value,
            status=status,
            start_at=start,
            started_at=started or start,
            completed_at=completed,
        )
        for (
            id_,
            patient_id,
            user_id,
            specialty,
            type_name,
            reason,
            mode,
            status,
            start,
            started,
            completed,
        ) in session.execute(query)
    ]
    visits.reverse()
    return visits


def _template_rows(
    users: dict[str, tuple[uuid.UUID, str]], moment: datetime
) -> list[dict[str, Any]]:
    owner = (users.get("duena") or users.get("medico") or (None, ""))[0]
    rows: list[dict[str, Any]] = []
    for index, spec in enumerate(TEMPLATES):
        author = owner if spec.owner is None else (users.get(spec.owner) or (None, ""))[0]
        if spec.owner is not None and author is None:
            continue  # that doctor's account is not in this clinic
        at = moment - timedelta(days=240 - 11 * index)
        rows.append(
            {
                "id": new_id(),
                "created_at": at,
                "updated_at": at,
                "created_by": author,
                "updated_by": author,
                "version": 1,
                "name": spec.name,
                "owner_id": None if spec.owner is None else author,
                "chief_complaint": spec.chief_complaint,
                "subjective": spec.subjective,
                "objective": spec.objective,
                "assessment": spec.assessment,
                "plan": spec.plan,
                "active": True,
            }
        )
    return rows


def _originals_first(notes: NoteRows) -> list[dict[str, Any]]:
    # An amended version references its original (foreign key), so originals go in first.
    return sorted(notes.encounters, key=lambda row: row["amends_id"] is not None)


def _write(session: Session, model: type[Any], rows: list[dict[str, Any]]) -> None:
    if not rows:
        return
    writer = BulkWriter(session, cast(Table, model.__table__), rows[0])
    for start in range(0, len(rows), BATCH):
        writer.write(rows[start : start + BATCH])


def _write_documents(session: Session, documents: DocumentRows) -> None:
    _write(session, PatientDocument, documents.documents)
    _write(session, DocumentContent, documents.contents)


def _audit(session: Session, actor: Actor, seed: int, stats: ClinicalDemoStats) -> None:
    """One entry per kind of record generated, with counts only (never clinical text)."""
    entries = (
        ("demo.patient_details_generated", "Patient", {"patients": stats.patients}),
        ("demo.consents_generated", "PatientConsent", {"count": stats.consents}),
        (
            "demo.medical_history_generated",
            "MedicalHistoryEntry",
            {"count": stats.history_sections},
        ),
        ("demo.allergies_generated", "Allergy", {"count": stats.allergies}),
        ("demo.medications_generated", "Medication", {"count": stats.medications}),
        ("demo.problems_generated", "Problem", {"count": stats.problems}),
        ("demo.note_templates_generated", "NoteTemplate", {"count": stats.templates}),
        (
            "demo.encounters_generated",
            "Encounter",
            {
                "signed": stats.signed_notes,
                "drafts": stats.draft_notes,
                "amended": stats.amended_notes,
                "addenda": stats.addenda,
            },
        ),
        ("demo.prescriptions_generated", "Prescription", {"count": stats.prescriptions}),
        ("demo.documents_generated", "PatientDocument", {"count": stats.documents}),
    )
    for action, entity, changes in entries:
        if any(changes.values()):
            append_audit(
                session,
                actor=actor,
                action=action,
                entity=entity,
                changes={**changes, "seed": seed},
            )
