"""The demo clinic's patient records (`services.demo_clinical`): signed notes on completed visits
written by the practitioner's own account and never on future, cancelled or external
practitioners' visits; drafts for today's consultations; addenda and amended versions that keep
their original; allergies, medications and problems with ICD-10 codes; templates with prompts;
prescriptions that respect allergies, one voided; documents whose bytes match their hash and
open; consents that agree with the patients' reminder flag; the same records for the same seed;
one audit entry per generated batch; and the caps that keep large demos fast."""

from __future__ import annotations

import hashlib
import io
import json
import re
import uuid
from collections import Counter
from pathlib import Path
from typing import Any

import pytest
import sqlalchemy as sa
from argon2 import PasswordHasher
from pypdf import PdfReader
from sqlalchemy.orm import Session
from support.agenda_demo import demo_day, demo_now
from support.constants import FAST_KDF
from support.file_keyring import FileKeyring

from clinic_desktop.actor import Actor
from clinic_desktop.config import AppPaths
from clinic_desktop.models.appointment import Appointment, AppointmentStatus
from clinic_desktop.models.audit import AuditEntry
from clinic_desktop.models.clinical import Allergy, MedicalHistoryEntry, Medication, Problem
from clinic_desktop.models.document import DocumentContent, PatientDocument
from clinic_desktop.models.encounter import (
    Encounter,
    EncounterAddendum,
    NoteTemplate,
    template_prompts,
)
from clinic_desktop.models.patient import Patient, PatientConsent
from clinic_desktop.models.prescription import Prescription, PrescriptionItem
from clinic_desktop.models.schedule import Practitioner
from clinic_desktop.models.user import User
from clinic_desktop.services import passwords
from clinic_desktop.services.audit import verify_audit_chain
from clinic_desktop.services.demo import create_demo_clinic
from clinic_desktop.services.demo_clinical import add_demo_clinical
from clinic_desktop.services.patient_admin import get_patient, list_consents
from clinic_desktop.services.startup import CreatedClinic

SYSTEM = Actor.system("tests")
ICD10 = re.compile(r"^[A-Z]\d{2}(\.[A-Z0-9]{1,4})?$")
S = AppointmentStatus
CHANNEL_KIND = {
    "email": "reminders_email",
    "sms": "reminders_sms",
    "whatsapp": "reminders_whatsapp",
}


def _session(created: CreatedClinic) -> Any:
    return created.db.uow().transaction(SYSTEM)


def _notes_with_visits(session: Session) -> list[Any]:
    return list(
        session.execute(
            sa.select(Encounter, Appointment, Practitioner)
            .join(Appointment, Appointment.id == Encounter.appointment_id)
            .join(Practitioner, Practitioner.id == Appointment.practitioner_id)
        )
    )


def test_completed_visits_have_signed_notes_by_the_practitioners_account(
    demo_agenda: CreatedClinic,
) -> None:
    now = demo_now(demo_day())
    with _session(demo_agenda) as session:
        rows = _notes_with_visits(session)
        signed = [(e, a, p) for e, a, p in rows if e.status == "signed" and e.amends_id is None]
        assert len(signed) > 100
        for note, visit, practitioner in rows:
            assert practitioner.user_id is not None and note.author_id == practitioner.user_id
            assert note.created_by == note.author_id and note.patient_id == visit.patient_id
            assert note.occurred_at == visit.start_at
            # Never on a future, cancelled, no-show or still-booked visit.
            assert visit.status in (S.COMPLETED.value, S.IN_CONSULTATION.value)
            # Begun by now: booked earlier, or the next patient gone in early.
            assert visit.start_at <= now or (
                visit.status == S.IN_CONSULTATION.value and visit.started_at <= now
            )
        for note, visit, _practitioner in signed:
            assert visit.status == S.COMPLETED.value and note.signed_by == note.author_id
            assert visit.completed_at is not None
            assert visit.completed_at <= note.signed_at <= now
            assert note.chief_complaint and note.assessment and note.plan
        # Every completed visit to a practitioner with an account has exactly one first note,
        # and external practitioners' visits none.
        completed = dict(
            session.execute(
                sa.select(Appointment.id, Practitioner.user_id)
                .join(Practitioner, Practitioner.id == Appointment.practitioner_id)
                .where(Appointment.status == S.COMPLETED.value)
            ).all()
        )
        firsts = Counter(e.appointment_id for e, _a, _p in rows if e.amends_id is None)
        linked = {a for a, user in completed.items() if user is not None}
        assert set(firsts) >= linked and max(firsts.values()) == 1
        assert not {a for a, user in completed.items() if user is None} & set(firsts)
        users = dict(session.execute(sa.select(User.username, User.id)).all())
        authors = {e.author_id for e, _a, _p in rows}
        assert authors == {users["medico"], users["odontologa"]}


def test_vitals_are_plausible_and_dental_notes_read_as_dental(demo_agenda: CreatedClinic) -> None:
    with _session(demo_agenda) as session:
        rows = _notes_with_visits(session)
        dental = [e for e, _a, p in rows if p.specialty == "Odontología"]
        medical = [e for e, _a, p in rows if p.specialty == "Medicina general"]
        assert dental and medical
        assert any("pieza" in e.plan.lower() or "pieza" in e.assessment for e in dental)
        assert all(e.temperature_c is None and e.weight_kg is None for e in dental)
        measured = [e for e in medical if e.temperature_c is not None]
        assert len(measured) > len(medical) / 2
        for note in measured:
            assert 35 <= note.temperature_c <= 40
            assert 85 <= note.spo2 <= 100
            assert note.weight_kg is not None and 2 <= note.weight_kg <= 250
            assert note.height_cm is not None and 45 <= note.height_cm <= 220
            if note.systolic_bp is not None:
                assert note.diastolic_bp is not None and note.diastolic_bp < note.systolic_bp
        # Several dozen different notes, not one text copied over and over.
        assert len({e.subjective for e in medical}) > len(medical) * 0.8
        assert len({e.chief_complaint for e in medical}) >= 15


def test_drafts_are_todays_consultations(demo_agenda: CreatedClinic) -> None:
    with _session(demo_agenda) as session:
        rows = _notes_with_visits(session)
        drafts = [(e, a) for e, a, _p in rows if e.status == "draft"]
        assert drafts
        assert all(e.signed_at is None and e.signed_by is None for e, _a in drafts)
        ongoing = [a for _e, a, _p in rows if a.status == S.IN_CONSULTATION.value]
        in_consultation = session.scalars(
            sa.select(Appointment.id)
            .join(Practitioner, Practitioner.id == Appointment.practitioner_id)
            .where(Appointment.status == S.IN_CONSULTATION.value, Practitioner.user_id.is_not(None))
        ).all()
        assert {a.id for a in ongoing} == set(in_consultation)
        for note, visit in drafts:
            if visit.status == S.IN_CONSULTATION.value:
                assert note.chief_complaint and not note.plan  # being written now


def test_addenda_and_amended_versions_keep_the_original(demo_agenda: CreatedClinic) -> None:
    with _session(demo_agenda) as session:
        amended = session.scalars(
            sa.select(Encounter).where(Encounter.amends_id.is_not(None))
        ).all()
        assert len(amended) == 2
        for version in amended:
            original = session.get(Encounter, version.amends_id)
            assert original is not None and original.status == version.status == "signed"
            assert version.amendment_reason and version.signed_at > original.signed_at
            assert version.appointment_id == original.appointment_id
            changed = {
                key
                for key in ("plan", "weight_kg", "assessment", "subjective", "objective")
                if getattr(version, key) != getattr(original, key)
            }
            assert len(changed) == 1
        addenda = session.execute(
            sa.select(EncounterAddendum, Encounter).join(
                Encounter, Encounter.id == EncounterAddendum.encounter_id
            )
        ).all()
        assert addenda
        for addendum, note in addenda:
            assert note.status == "signed" and addendum.created_by == note.author_id
            assert addendum.created_at > note.signed_at and addendum.text


def test_history_allergies_medications_and_problems(demo_agenda: CreatedClinic) -> None:
    with _session(demo_agenda) as session:
        patients = session.scalars(sa.select(Patient)).all()
        history = session.scalars(sa.select(MedicalHistoryEntry)).all()
        with_history = {h.patient_id for h in history}
        assert len(with_history) >= len(patients) * 0.8
        sections = Counter(h.section for h in history)
        assert set(sections) == {"personal", "family", "surgical", "habits", "gyneco_obstetric"}
        by_id = {p.id: p for p in patients}
        for entry in history:
            if entry.section == "gyneco_obstetric":
                assert by_id[entry.patient_id].sex == "F"
        allergies = session.scalars(sa.select(Allergy)).all()
        allergic = {a.patient_id for a in allergies}
        assert 0.1 * len(patients) <= len(allergic) <= 0.5 * len(patients)
        assert {"active", "entered_in_error"} <= {a.status for a in allergies}
        assert all(a.note for a in allergies if a.status != "active")
        medications = session.scalars(sa.select(Medication)).all()
        active = Counter(m.patient_id for m in medications if m.status == "active")
        assert medications and max(active.values()) <= 3
        problems = session.scalars(sa.select(Problem)).all()
        assert problems and all(ICD10.match(p.icd10) for p in problems)
        assert {"active", "resolved"} <= {p.status for p in problems}
        assert all(p.resolved_on for p in problems if p.status == "resolved")
        codes = {p.icd10 for p in problems}
        assert {"I10", "K02.1"} & codes and len(codes) >= 10


def test_templates_have_prompts(demo_agenda: CreatedClinic) -> None:
    with _session(demo_agenda) as session:
        users = dict(session.execute(sa.select(User.id, User.username)).all())
        templates = session.scalars(sa.select(NoteTemplate)).all()
        clinic_wide = [t for t in templates if t.owner_id is None]
        personal = Counter(users[t.owner_id] for t in templates if t.owner_id is not None)
        assert len(clinic_wide) >= 7 and personal["medico"] >= 1
        for template in templates:
            fields = [template.chief_complaint, template.subjective, template.plan]
            assert template.active and template_prompts([*fields, template.objective])


def test_prescriptions_follow_the_notes_and_the_allergies(demo_agenda: CreatedClinic) -> None:
    with _session(demo_agenda) as session:
        rows = session.execute(
            sa.select(Prescription, Encounter).join(
                Encounter, Encounter.id == Prescription.encounter_id
            )
        ).all()
        assert len(rows) > 20
        for prescription, note in rows:
            assert note.status == "signed" and prescription.prescriber_id == note.author_id
            assert prescription.patient_id == note.patient_id
        void = [p for p, _n in rows if p.status == "void"]
        assert len(void) == 1 and void[0].void_reason and void[0].voided_by
        reissued = [p for p, _n in rows if p.encounter_id == void[0].encounter_id]
        assert {p.status for p in reissued} == {"void", "issued"}
        items = Counter(session.scalars(sa.select(PrescriptionItem.prescription_id)).all())
        assert set(items) == {p.id for p, _n in rows} and max(items.values()) <= 3
        penicillin = set(
            session.scalars(
                sa.select(Allergy.patient_id).where(
                    Allergy.substance.like("Penicilina%"), Allergy.status == "active"
                )
            )
        )
        given = session.execute(
            sa.select(Prescription.patient_id, PrescriptionItem.medication).join(
                Prescription, Prescription.id == PrescriptionItem.prescription_id
            )
        ).all()
        assert not [m for p, m in given if p in penicillin and m.startswith("Amoxicilina")]


def test_documents_match_their_hash_and_open(demo_agenda: CreatedClinic) -> None:
    with _session(demo_agenda) as session:
        rows = session.execute(
            sa.select(PatientDocument, DocumentContent, Patient)
            .join(DocumentContent, DocumentContent.document_id == PatientDocument.id)
            .join(Patient, Patient.id == PatientDocument.patient_id)
        ).all()
        assert rows
        kinds = Counter(d.mime_type for d, _c, _p in rows)
        assert kinds["application/pdf"] and kinds["image/png"]
        for document, content, patient in rows:
            assert hashlib.sha256(content.data).hexdigest() == document.sha256
            assert len(content.data) == document.size_bytes
            assert document.encounter_id is not None and document.description
            if document.mime_type == "application/pdf":
                text = PdfReader(io.BytesIO(content.data)).pages[0].extract_text()
                assert "LABORATORIO CLÍNICO" in text and patient.first_names in text
                assert "Glucosa basal" in text
            else:
                assert content.data.startswith(b"\x89PNG\r\n\x1a\n")
        total = session.scalar(sa.select(sa.func.count()).select_from(Patient))
        assert len({p.id for _d, _c, p in rows}) <= max(1, round(0.1 * total))


def test_consents_and_demographics(demo_agenda: CreatedClinic) -> None:
    with _session(demo_agenda) as session:
        patients = session.scalars(sa.select(Patient).order_by(Patient.chart_number)).all()
        consents = session.scalars(
            sa.select(PatientConsent).order_by(PatientConsent.created_at)
        ).all()
        clerk = session.scalar(sa.select(User.id).where(User.username == "recepcion"))
    latest: dict[tuple[Any, str], bool] = {}
    for consent in consents:
        latest[consent.patient_id, consent.kind] = consent.granted
        assert consent.created_by == clerk
    granted = sum(1 for p in patients if latest.get((p.id, "data_processing")))
    assert granted >= 0.8 * len(patients)
    assert {p.reminder_channel for p in patients} >= {"whatsapp", "none"}
    assert sum(p.reminder_consent for p in patients) >= 5
    for patient in patients:
        kind = CHANNEL_KIND.get(patient.reminder_channel)
        assert patient.reminder_consent == (
            latest.get((patient.id, kind), False) if kind else False
        )
        if patient.reminder_channel == "email":
            assert patient.email
    assert all(p.payer for p in patients)
    assert sum(1 for p in patients if p.emergency_contact and p.emergency_phone) > len(patients) / 2
    assert any(p.mobile_phone for p in patients) and any(p.referral_source for p in patients)
    # Read back through the services the patients screen uses.
    some = next(p for p in patients if p.reminder_consent)
    dto = get_patient(demo_agenda.db.uow(), actor=SYSTEM, patient_id=some.id)
    assert dto.reminder_consent and dto.payer == some.payer
    history = list_consents(demo_agenda.db.uow(), actor=SYSTEM, patient_id=some.id)
    assert any(c.kind == CHANNEL_KIND[some.reminder_channel] and c.granted for c in history)
    assert history[0].recorded_by == "Carla Mendoza"


def test_sex_follows_the_first_name_and_gyneco_history_only_for_women(
    demo_agenda: CreatedClinic,
) -> None:
    with _session(demo_agenda) as session:
        patients = session.scalars(sa.select(Patient)).all()
        gyneco = set(
            session.scalars(
                sa.select(MedicalHistoryEntry.patient_id).where(
                    MedicalHistoryEntry.section == "gyneco_obstetric"
                )
            )
        )
    women = {"María", "Ana", "Carmen", "Rosa", "Lucía", "Sofía", "Elena", "Paula", "Gabriela"}
    women |= {"Daniela", "Valentina", "Camila", "Isabel", "Inés", "Verónica"}
    for patient in patients:
        expected = "F" if patient.first_names.split()[0] in women else "M"
        assert patient.sex == expected, patient.full_name
    assert gyneco and all(p.sex == "F" for p in patients if p.id in gyneco)


def test_one_audit_entry_per_batch_without_clinical_text(demo_agenda: CreatedClinic) -> None:
    with _session(demo_agenda) as session:
        entries = session.scalars(
            sa.select(AuditEntry).where(AuditEntry.action.like("demo.%"))
        ).all()
        counts = Counter(e.action for e in entries)
        for action in (
            "demo.consents_generated",
            "demo.medical_history_generated",
            "demo.allergies_generated",
            "demo.medications_generated",
            "demo.problems_generated",
            "demo.note_templates_generated",
            "demo.encounters_generated",
            "demo.prescriptions_generated",
            "demo.documents_generated",
        ):
            assert counts[action] == 1, action
        notes = json.loads(
            next(e for e in entries if e.action == "demo.encounters_generated").changes
        )
        signed = session.scalar(
            sa.select(sa.func.count()).select_from(Encounter).where(Encounter.status == "signed")
        )
        assert notes["signed"] == signed and notes["seed"] == 7
        # Bulk rows are not audited one by one, and no clinical text reaches the trail.
        per_row = session.scalar(
            sa.select(sa.func.count())
            .select_from(AuditEntry)
            .where(
                AuditEntry.entity.in_(["Encounter", "Allergy", "MedicalHistoryEntry"]),
                AuditEntry.action.not_like("demo.%"),
            )
        )
        assert per_row == 0
        trail = " ".join(e.changes for e in session.scalars(sa.select(AuditEntry)))
        assert "Hipertensión" not in trail and "Penicilina" not in trail
    assert verify_audit_chain(demo_agenda.db.uow(), actor=SYSTEM).ok


def _snapshot(created: CreatedClinic) -> dict[str, list[tuple[Any, ...]]]:
    chart = Patient.chart_number
    with _session(created) as session:

        def rows(*columns: Any, model: Any) -> list[tuple[Any, ...]]:
            query = sa.select(chart, *columns).join(Patient, Patient.id == model.patient_id)
            return sorted(tuple(r) for r in session.execute(query))

        return {
            "patients": sorted(
                tuple(r)
                for r in session.execute(
                    sa.select(
                        chart,
                        Patient.payer,
                        Patient.emergency_contact,
                        Patient.reminder_channel,
                        Patient.reminder_consent,
                    )
                )
            ),
            "history": rows(
                MedicalHistoryEntry.section, MedicalHistoryEntry.text, model=MedicalHistoryEntry
            ),
            "allergies": rows(Allergy.substance, Allergy.severity, Allergy.status, model=Allergy),
            "problems": rows(Problem.icd10, Problem.status, Problem.onset_on, model=Problem),
            "notes": rows(
                Encounter.occurred_at,
                Encounter.status,
                Encounter.subjective,
                Encounter.plan,
                Encounter.systolic_bp,
                Encounter.weight_kg,
                model=Encounter,
            ),
            "documents": rows(
                PatientDocument.file_name, PatientDocument.sha256, model=PatientDocument
            ),
        }


def _clinic(tmp_path: Path, name: str, seed: int, **options: Any) -> CreatedClinic:
    day = demo_day()
    return create_demo_clinic(
        AppPaths(tmp_path / name),
        patients=options.pop("patients", 40),
        seed=seed,
        language="en",
        kdf=FAST_KDF,
        keyring_backend=FileKeyring(),
        today=day,
        now=demo_now(day),
        **options,
    )


@pytest.fixture
def cheap_passwords(monkeypatch: pytest.MonkeyPatch) -> None:
    """The extra clinics never sign in: cheap hashes for their six sample accounts."""
    monkeypatch.setattr(
        passwords, "_hasher", PasswordHasher(time_cost=1, memory_cost=64, parallelism=1)
    )


@pytest.mark.usefixtures("cheap_passwords")
def test_same_seed_same_records_other_seed_others(
    demo_agenda: CreatedClinic, tmp_path: Path
) -> None:
    first = _snapshot(demo_agenda)
    assert all(first.values())
    for seed, same in ((7, True), (8, False)):
        created = _clinic(tmp_path, f"seed{seed}", seed)
        try:
            again = _snapshot(created)
        finally:
            created.db.close()
        for key, value in first.items():
            assert (again[key] == value) is same, key


@pytest.mark.usefixtures("cheap_passwords")
def test_without_agenda_only_the_standing_record(demo: CreatedClinic, tmp_path: Path) -> None:
    with _session(demo) as session:
        count = lambda model: session.scalar(sa.select(sa.func.count()).select_from(model))  # noqa: E731
        assert count(MedicalHistoryEntry) and count(Allergy) and count(PatientConsent)
        assert count(NoteTemplate) >= 7
        assert count(Encounter) == count(Prescription) == count(PatientDocument) == 0
    bare = _clinic(tmp_path, "bare", 3, patients=20, clinical=False)
    try:
        with _session(bare) as session:
            for model in (MedicalHistoryEntry, PatientConsent, Encounter, NoteTemplate):
                assert session.scalar(sa.select(sa.func.count()).select_from(model)) == 0
            payers = session.scalars(sa.select(Patient.payer)).all()
            assert payers and not any(payers)
    finally:
        bare.db.close()


@pytest.mark.usefixtures("cheap_passwords")
def test_large_demos_cap_notes_and_documents(tmp_path: Path) -> None:
    created = _clinic(tmp_path, "capped", 5, clinical=False)
    try:
        with _session(created) as session:
            stats = add_demo_clinical(
                session,
                actor=SYSTEM,
                seed=5,
                now=demo_now(demo_day()),
                max_encounters=60,
                max_document_patients=2,
            )
        assert stats.signed_notes + stats.draft_notes - stats.amended_notes == 60
        with _session(created) as session:
            firsts = session.scalar(
                sa.select(sa.func.count())
                .select_from(Encounter)
                .where(Encounter.amends_id.is_(None))
            )
            owners = set(session.scalars(sa.select(PatientDocument.patient_id)))
            latest = session.scalar(sa.select(sa.func.max(Encounter.occurred_at)))
            newest_visit = session.scalar(
                sa.select(sa.func.max(Appointment.start_at)).where(
                    Appointment.status.in_([S.COMPLETED.value, S.IN_CONSULTATION.value])
                )
            )
        assert firsts == 60 and 1 <= len(owners) <= 2
        assert latest == newest_visit  # the most recent visits are the ones kept
    finally:
        created.db.close()


def test_uuid_columns_read_back(demo_agenda: CreatedClinic) -> None:
    """Bulk-written rows load through the ORM like any other (ids, dates, booleans)."""
    with _session(demo_agenda) as session:
        note = session.scalars(sa.select(Encounter).limit(1)).one()
        assert isinstance(note.id, uuid.UUID) and note.occurred_at.tzinfo is not None
        template = session.scalars(sa.select(NoteTemplate).limit(1)).one()
        assert template.active is True
