"""Printing the clinical record through the services: the full history, one note and one
prescription come out of the demo clinic's encrypted database as PDFs whose text holds what
the chart holds (accents intact, vitals with units, ICD-10 codes, signed / draft / amended /
superseded marks, the voided prescription crossed out) on letterhead pages that name the
patient and number every page; each print needs clinical.read, writes a "read" audit entry
saying what was printed, and a refusal prints and records nothing."""

from __future__ import annotations

import io
import json
import re

import pytest
from pypdf import PdfReader
from sqlalchemy import func, select
from support.clinical_print_data import SYSTEM, seed_record

from clinic_desktop.actor import Actor
from clinic_desktop.errors import NotFound, PermissionDenied
from clinic_desktop.models.audit import AuditEntry
from clinic_desktop.services.auth import sign_in
from clinic_desktop.services.clinic_info import set_clinic_logo
from clinic_desktop.services.clinical_print import encounter_pdf, history_pdf, prescription_pdf
from clinic_desktop.services.demo import DEMO_PASSWORD


def actor(demo, username: str) -> Actor:
    user = sign_in(demo.db.uow(), username=username, password=DEMO_PASSWORD)
    return Actor.for_user(user.id, user.username)


def pages_of(pdf: bytes) -> list[str]:
    reader = PdfReader(io.BytesIO(pdf))
    return [re.sub(r"\s+", " ", page.extract_text()) for page in reader.pages]


def reads(demo) -> list[dict[str, str]]:
    with demo.db.uow().transaction(SYSTEM) as session:
        rows = session.scalars(
            select(AuditEntry).where(AuditEntry.action == "read").order_by(AuditEntry.seq)
        )
        return [
            {"entity": r.entity, "entity_id": r.entity_id, "user": r.user_name}
            | json.loads(r.changes)
            for r in rows
        ]


def audit_count(demo) -> int:
    with demo.db.uow().transaction(SYSTEM) as session:
        return session.scalar(select(func.count()).select_from(AuditEntry)) or 0


def test_the_full_history_prints_everything_the_chart_holds(demo):
    record = seed_record(demo.db)
    doctor = actor(demo, "medico")
    pdf = history_pdf(demo.db.uow(), actor=doctor, patient_id=record.patient_id)
    pages = pages_of(pdf)
    text = " ".join(pages)
    for phrase in (
        "Clínica",  # the demo clinic's letterhead
        "Clinical history",
        "José Pérez Núñez",
        "Hipertensión arterial desde 2015.",
        "Penicilina",
        "Urticaria generalizada",
        "Severe",
        "Entered in error",
        "Enalapril",
        "I10",
        "J03.9",
        "Dolor de garganta y fiebre",
        "exploración cardiopulmonar normal",
        "Blood pressure 120/80 mmHg",
        "Temperature 38.5 °C",
        "Weight 70.5 kg",
        "Signed by Dr. Andrés Paredes on",
        "Addendum by Dra. Valeria Cedeño on",
        "Cultivo positivo para estreptococo.",
        "Amended version of the note of",
        "reason: Dosis corregida",
        "Superseded by the version of",
        "DRAFT — not signed",
        "Amoxicilina 875 mg — 1 tableta — Oral — cada 12 horas — 10 días",
        "Tomar después de las comidas.",
        "VOID — voided on",
        "Dosis equivocada",
        "cultivo faríngeo.pdf",
        "Data processing",
    ):
        assert phrase in text, phrase
    # Every page says whose record it is, is numbered, and carries the notice.
    for number, page in enumerate(pages, start=1):
        assert "Patient: José Pérez Núñez · Chart" in page
        assert "Cédula 1710034065" in page
        assert f"Page {number} of {len(pages)}" in page
        assert "Confidential: contains health data protected by law" in page
    # The notes are in time order: the draft of two weeks later comes last.
    assert text.index("Amended version") < text.index("DRAFT — not signed")
    # Reading a history is recorded, with what and whose.
    entry = reads(demo)[-1]
    assert entry["what"] == "print history"
    assert entry["patient_id"] == str(record.patient_id)
    assert entry["user"] == "medico"


def test_the_history_prints_in_spanish_with_spanish_dates_and_decimals(demo):
    record = seed_record(demo.db)
    pdf = history_pdf(
        demo.db.uow(), actor=actor(demo, "medico"), patient_id=record.patient_id, language="es"
    )
    text = " ".join(pages_of(pdf))
    assert "Historia clínica" in text
    assert "38,5 °C" in text and "70,5 kg" in text
    assert "10 feb 2026" in text
    assert "Página 1 de" in text
    assert "Confidencial" in text
    assert "BORRADOR" in text


def test_one_note_prints_with_its_signature_vitals_and_linked_appointment(demo):
    record = seed_record(demo.db)
    doctor = actor(demo, "medico")
    pages = pages_of(encounter_pdf(demo.db.uow(), actor=doctor, encounter_id=record.signed_id))
    text = " ".join(pages)
    for phrase in (
        "Clinical note",
        "José Pérez Núñez",
        "Chief complaint: Dolor de garganta y fiebre",
        "Heart rate 88 /min",
        "SpO2 97 %",
        "Signed by Dr. Andrés Paredes on",
        "Superseded by the version of",
        "Cultivo positivo",
        "Prescription of",
        "VOID",
        "Page 1 of 1",
    ):
        assert phrase in text, phrase
    assert "DRAFT" not in text
    draft = " ".join(
        pages_of(encounter_pdf(demo.db.uow(), actor=doctor, encounter_id=record.draft_id))
    )
    assert "DRAFT — not signed" in draft
    assert "Dra. Valeria Cedeño" in draft
    amended = " ".join(
        pages_of(encounter_pdf(demo.db.uow(), actor=doctor, encounter_id=record.amended_id))
    )
    assert "Amended version of the note of" in amended and "Dosis corregida" in amended
    entries = [e for e in reads(demo) if e["what"] == "print note"]
    assert [e["entity_id"] for e in entries] == [
        str(record.signed_id),
        str(record.draft_id),
        str(record.amended_id),
    ]
    assert {e["entity"] for e in entries} == {"Encounter"}


def test_a_prescription_prints_its_lines_and_a_void_one_is_marked(demo):
    record = seed_record(demo.db)
    assistant = actor(demo, "asistente")  # clinical.read is enough to print
    text = " ".join(
        pages_of(
            prescription_pdf(demo.db.uow(), actor=assistant, prescription_id=record.prescription_id)
        )
    )
    for phrase in (
        "Prescription",
        "Prescribed by Dr. Andrés Paredes on Feb 11, 2026",
        "1. Amoxicilina 875 mg — 1 tableta — Oral — cada 12 horas — 10 días",
        "Tomar después de las comidas.",
        "2. Paracetamol 500 mg",
        "Reposo relativo.",
        "Signature",
        "José Pérez Núñez",
        "Page 1 of 1",
    ):
        assert phrase in text, phrase
    assert "VOID" not in text
    void = " ".join(
        pages_of(
            prescription_pdf(
                demo.db.uow(), actor=assistant, prescription_id=record.void_prescription_id
            )
        )
    )
    assert "VOID — voided on" in void and "Reason: Dosis equivocada" in void
    assert [e["what"] for e in reads(demo)[-2:]] == ["print prescription"] * 2
    assert reads(demo)[-1]["entity_id"] == str(record.void_prescription_id)


def test_the_letterhead_prints_the_clinic_logo_on_every_page(demo):
    from PIL import Image

    record = seed_record(demo.db)
    buffer = io.BytesIO()
    Image.new("RGB", (120, 60), (31, 95, 139)).save(buffer, "PNG")
    set_clinic_logo(demo.db.uow(), actor=actor(demo, "duena"), data=buffer.getvalue())
    pdf = history_pdf(demo.db.uow(), actor=actor(demo, "medico"), patient_id=record.patient_id)
    reader = PdfReader(io.BytesIO(pdf))
    assert len(reader.pages) > 1
    for page in reader.pages:
        assert [image.image.size for image in page.images] == [(120, 60)]


@pytest.mark.parametrize("username", ["recepcion", "soporte"])
def test_roles_without_clinical_read_print_nothing_and_leave_no_trace(demo, username):
    record = seed_record(demo.db)
    who = actor(demo, username)
    before = audit_count(demo)
    calls = (
        lambda: history_pdf(demo.db.uow(), actor=who, patient_id=record.patient_id),
        lambda: encounter_pdf(demo.db.uow(), actor=who, encounter_id=record.signed_id),
        lambda: prescription_pdf(demo.db.uow(), actor=who, prescription_id=record.prescription_id),
    )
    for call in calls:
        with pytest.raises(PermissionDenied, match="Read clinical records"):
            call()
    assert audit_count(demo) == before


def test_unknown_records_are_named_not_found(demo):
    import uuid

    doctor = actor(demo, "medico")
    with pytest.raises(NotFound, match="patient"):
        history_pdf(demo.db.uow(), actor=doctor, patient_id=uuid.uuid4())
    with pytest.raises(NotFound, match="clinical note"):
        encounter_pdf(demo.db.uow(), actor=doctor, encounter_id=uuid.uuid4())
    with pytest.raises(NotFound, match="prescription"):
        prescription_pdf(demo.db.uow(), actor=doctor, prescription_id=uuid.uuid4())
