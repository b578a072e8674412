"""A patient with a complete clinical record, written straight into the demo clinic's models
(the tests of printing and exporting must not depend on the clinical services' own tests):
history sections, allergies (one entered in error), medications, problems with ICD-10 codes,
a signed note with vitals and an addendum, its amended version, a draft, prescriptions (one
voided), an attached PDF and image, consents and an appointment. Returns the ids to look up."""

from __future__ import annotations

import hashlib
import uuid
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal

from sqlalchemy import select

from clinic_desktop.actor import Actor
from clinic_desktop.models.appointment import Appointment
from clinic_desktop.models.clinical import Allergy, MedicalHistoryEntry, Medication, Problem
from clinic_desktop.models.document import DocumentContent, PatientDocument
from clinic_desktop.models.encounter import Encounter, EncounterAddendum
from clinic_desktop.models.patient import Patient, PatientConsent
from clinic_desktop.models.prescription import Prescription, PrescriptionItem
from clinic_desktop.models.schedule import Practitioner
from clinic_desktop.models.user import User
from clinic_desktop.services.patient_admin import PatientForm, create_patient

SYSTEM = Actor.system("tests")
PDF_BYTES = b"%PDF-1.4\n% a lab report\n%%EOF\n"
PNG_BYTES = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64
JOSE = PatientForm(
    first_names="José",
    last_names="Pérez Núñez",
    id_type="cedula",
    id_number="1710034065",
    birth_date=date(1980, 5, 17),
    sex="M",
    phone="0991234567",
    email="jose@correo.ec",
    address="Calle Olmedo 123, Quito",
    emergency_contact="María Núñez",
    emergency_phone="0987654321",
)


@dataclass(frozen=True)
class Record:
    patient_id: uuid.UUID
    chart_number: int
    signed_id: uuid.UUID  # signed with vitals and an addendum; superseded by `amended_id`
    amended_id: uuid.UUID
    draft_id: uuid.UUID
    prescription_id: uuid.UUID
    void_prescription_id: uuid.UUID
    document_ids: tuple[uuid.UUID, ...]


def user_id(db, username: str) -> uuid.UUID:  # type: ignore[no-untyped-def]
    with db.uow().transaction(SYSTEM) as session:
        return session.scalar(select(User.id).where(User.username == username))


def seed_record(db, *, form: PatientForm = JOSE, today: date = date(2026, 3, 5)) -> Record:  # type: ignore[no-untyped-def]
    patient = create_patient(db.uow(), actor=SYSTEM, form=form, today=today)
    doctor = user_id(db, "medico")
    other = user_id(db, "odontologa")
    first = datetime(2026, 2, 10, 14, 30, tzinfo=UTC)
    with db.uow().transaction(SYSTEM) as session:
        pid = patient.id
        session.add_all(
            [
                MedicalHistoryEntry(
                    patient_id=pid, section="personal", text="Hipertensión arterial desde 2015."
                ),
                MedicalHistoryEntry(patient_id=pid, section="family", text="Padre con diabetes."),
                Allergy(
                    patient_id=pid,
                    substance="Penicilina",
                    reaction="Urticaria generalizada",
                    severity="severe",
                    noted_on=date(2019, 4, 2),
                ),
                Allergy(
                    patient_id=pid,
                    substance="Látex",
                    reaction="Prurito",
                    severity="mild",
                    status="entered_in_error",
                ),
                Medication(
                    patient_id=pid,
                    name="Enalapril",
                    dose="10 mg",
                    route="Oral",
                    frequency="cada 12 horas",
                    started_on=date(2015, 6, 1),
                ),
                Medication(patient_id=pid, name="Omeprazol", dose="20 mg", status="stopped"),
                Problem(
                    patient_id=pid,
                    description="Hipertensión arterial esencial",
                    icd10="I10",
                    onset_on=date(2015, 6, 1),
                ),
                Problem(
                    patient_id=pid,
                    description="Amigdalitis aguda",
                    icd10="J03.9",
                    status="resolved",
                    onset_on=date(2026, 2, 10),
                    resolved_on=date(2026, 2, 20),
                ),
                PatientConsent(patient_id=pid, kind="data_processing", granted=True),
            ]
        )
        practitioner = session.scalar(select(Practitioner).where(Practitioner.user_id == doctor))
        if practitioner is None:  # the demo without its agenda has no practitioners
            practitioner = Practitioner(user_id=doctor, display_name="Dr. Andrés Paredes")
            session.add(practitioner)
            session.flush()
        appointment = Appointment(
            patient_id=pid,
            practitioner_id=practitioner.id,
            start_at=first,
            end_at=first + timedelta(minutes=30),
            reason="Dolor de garganta",
            status="completed",
        )
        session.add(appointment)
        session.flush()
        signed = Encounter(
            patient_id=pid,
            appointment_id=appointment.id,
            author_id=doctor,
            occurred_at=first,
            status="signed",
            signed_at=first + timedelta(minutes=40),
            signed_by=doctor,
            chief_complaint="Dolor de garganta y fiebre",
            subjective="Odinofagia de 3 días.",
            objective="Faringe eritematosa; exploración cardiopulmonar normal.",
            assessment="Amigdalitis aguda",
            plan="Amoxicilina 500 mg cada 8 horas por 7 días.",
            systolic_bp=Decimal("120"),
            diastolic_bp=Decimal("80"),
            heart_rate=Decimal("88"),
            respiratory_rate=Decimal("16"),
            temperature_c=Decimal("38.5"),
            spo2=Decimal("97"),
            weight_kg=Decimal("70.5"),
            height_cm=Decimal("172"),
        )
        session.add(signed)
        session.flush()
        session.add(
            EncounterAddendum(
                encounter_id=signed.id,
                text="Cultivo positivo para estreptococo.",
                created_by=other,
            )
        )
        amended = Encounter(
            patient_id=pid,
            author_id=doctor,
            occurred_at=first,
            status="signed",
            signed_at=first + timedelta(days=1),
            signed_by=doctor,
            amends_id=signed.id,
            amendment_reason="Dosis corregida",
            chief_complaint="Dolor de garganta y fiebre",
            assessment="Amigdalitis aguda estreptocócica",
            plan="Amoxicilina 875 mg cada 12 horas por 10 días.",
        )
        draft = Encounter(
            patient_id=pid,
            author_id=other,
            occurred_at=first + timedelta(days=14),
            chief_complaint="Control",
            subjective="Asintomático.",
            heart_rate=Decimal("72"),
        )
        session.add_all([amended, draft])
        session.flush()
        rx = Prescription(
            patient_id=pid,
            encounter_id=amended.id,
            prescriber_id=doctor,
            issued_on=date(2026, 2, 11),
            notes="Reposo relativo.",
        )
        void = Prescription(
            patient_id=pid,
            encounter_id=signed.id,
            prescriber_id=doctor,
            issued_on=date(2026, 2, 10),
            status="void",
            voided_at=first + timedelta(days=1),
            voided_by=doctor,
            void_reason="Dosis equivocada",
        )
        session.add_all([rx, void])
        session.flush()
        session.add_all(
            [
                PrescriptionItem(
                    prescription_id=rx.id,
                    position=0,
                    medication="Amoxicilina 875 mg",
                    dose="1 tableta",
                    route="Oral",
                    frequency="cada 12 horas",
                    duration="10 días",
                    instructions="Tomar después de las comidas.",
                ),
                PrescriptionItem(
                    prescription_id=rx.id,
                    position=1,
                    medication="Paracetamol 500 mg",
                    dose="1 tableta",
                    route="Oral",
                    frequency="cada 6 horas si hay fiebre",
                    duration="3 días",
                ),
                PrescriptionItem(
                    prescription_id=void.id,
                    position=0,
                    medication="Amoxicilina 500 mg",
                    dose="1 cápsula",
                    route="Oral",
                    frequency="cada 8 horas",
                    duration="7 días",
                ),
            ]
        )
        documents = []
        for name, mime, data, day in (
            ("cultivo faríngeo.pdf", "application/pdf", PDF_BYTES, date(2026, 2, 12)),
            ("foto/garganta.png", "image/png", PNG_BYTES, date(2026, 2, 10)),
        ):
            document = PatientDocument(
                patient_id=pid,
                category="lab" if mime == "application/pdf" else "imaging",
                document_date=day,
                description="Resultado de laboratorio",
                file_name=name,
                mime_type=mime,
                size_bytes=len(data),
                sha256=hashlib.sha256(data).hexdigest(),
            )
            session.add(document)
            session.flush()
            session.add(DocumentContent(document_id=document.id, data=data))
            documents.append(document.id)
        return Record(
            patient_id=pid,
            chart_number=patient.chart_number,
            signed_id=signed.id,
            amended_id=amended.id,
            draft_id=draft.id,
            prescription_id=rx.id,
            void_prescription_id=void.id,
            document_ids=tuple(documents),
        )


def patient_of(db, patient_id: uuid.UUID) -> Patient:  # type: ignore[no-untyped-def]
    with db.uow().transaction(SYSTEM) as session:
        patient = session.get(Patient, patient_id)
        assert patient is not None
        session.expunge(patient)
        return patient
