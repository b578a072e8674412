"""The patient's timeline: appointments, notes (with their correction state), prescriptions and
documents in one list, newest first; clinical content, so clinical.read only, and audited."""

from __future__ import annotations

from datetime import datetime, timedelta

import pytest
from reportlab.pdfgen import canvas
from sqlalchemy import select
from support.agenda_data import SYSTEM, next_monday, seed_agenda

from clinic_desktop.actor import Actor
from clinic_desktop.errors import PermissionDenied
from clinic_desktop.models.audit import AuditEntry
from clinic_desktop.services.appointments import book_appointment
from clinic_desktop.services.auth import sign_in
from clinic_desktop.services.demo import DEMO_PASSWORD
from clinic_desktop.services.documents import attach_document
from clinic_desktop.services.encounters import (
    EncounterForm,
    amend_encounter,
    save_encounter,
    sign_encounter,
    start_encounter,
)
from clinic_desktop.services.prescriptions import PrescriptionLineForm, issue_prescription
from clinic_desktop.services.timeline import TimelineKind, patient_timeline


def actor(demo, username: str) -> Actor:
    user = sign_in(demo.db.uow(), username=username, password=DEMO_PASSWORD)
    return Actor.for_user(user.id, user.username)


def _pdf() -> bytes:
    import io

    out = io.BytesIO()
    page = canvas.Canvas(out)
    page.drawString(72, 720, "Hemograma")
    page.save()
    return out.getvalue()


def test_the_timeline_joins_every_kind_newest_first(demo) -> None:
    seed = seed_agenda(demo.db)
    doctor = actor(demo, "medico")
    patient = seed.patients[4]
    monday = next_monday() - timedelta(days=14)
    booked = book_appointment(
        demo.db.uow(),
        actor=SYSTEM,
        patient_id=patient,
        practitioner_id=seed.doctor,
        start=seed.at(monday, 9),
        minutes=30,
        type_id=seed.consult,
        override_reason="past",
    )
    note = start_encounter(
        demo.db.uow(), actor=doctor, patient_id=patient, appointment_id=booked.id
    )
    note = save_encounter(
        demo.db.uow(),
        actor=doctor,
        encounter_id=note.id,
        expected_version=note.version,
        form=EncounterForm(chief_complaint="Tos seca", assessment="Bronquitis aguda"),
    )
    note = sign_encounter(
        demo.db.uow(), actor=doctor, encounter_id=note.id, expected_version=note.version
    )
    amended = amend_encounter(demo.db.uow(), actor=doctor, encounter_id=note.id, reason="Dosis")
    sign_encounter(
        demo.db.uow(), actor=doctor, encounter_id=amended.id, expected_version=amended.version
    )
    today = datetime.now(seed.zone).date()
    issue_prescription(
        demo.db.uow(),
        actor=doctor,
        patient_id=patient,
        lines=[
            PrescriptionLineForm("Amoxicilina 500 mg", "1 cápsula", "oral", "cada 8 h", "7 días")
        ],
        issued_on=today,
    )
    attach_document(
        demo.db.uow(),
        actor=doctor,
        patient_id=patient,
        file_name="hemograma.pdf",
        data=_pdf(),
        category="lab",
        document_date=today - timedelta(days=1),
        description="Hemograma completo",
    )

    items = patient_timeline(demo.db.uow(), actor=doctor, patient_id=patient)
    kinds = [(i.kind, i.status) for i in items]
    assert kinds[:2] == [(TimelineKind.PRESCRIPTION, "issued"), (TimelineKind.DOCUMENT, "")]
    assert (TimelineKind.NOTE, "superseded") in kinds  # the original, kept and marked
    assert kinds.count((TimelineKind.NOTE, "signed")) == 1  # the amended version
    appointment = next(i for i in items if i.kind is TimelineKind.APPOINTMENT)
    assert appointment.record_id == booked.id and appointment.detail == "Dr. Andrés Paredes"
    assert [i.at for i in items] == sorted((i.at for i in items), reverse=True)
    assert items[0].title == "Amoxicilina 500 mg" and items[0].detail
    assert items[1].title == "Hemograma completo"
    with demo.db.uow().transaction(SYSTEM) as session:
        reads = session.scalars(
            select(AuditEntry).where(
                AuditEntry.action == "read", AuditEntry.entity_id == str(patient)
            )
        ).all()
    assert any('"what": "timeline"' in r.changes for r in reads)


def test_reception_cannot_read_the_timeline(demo) -> None:
    seed = seed_agenda(demo.db)
    with pytest.raises(PermissionDenied):
        patient_timeline(demo.db.uow(), actor=actor(demo, "recepcion"), patient_id=seed.patients[0])
