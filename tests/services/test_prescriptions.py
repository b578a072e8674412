"""Prescriptions on a real demo clinic: issued by a doctor with every line checked (messages
name the line and the field, and nothing is stored), listed newest first with what a printed
prescription needs, voided with a reason and kept visible, never edited, refused to roles
without clinical.sign (and, for reading, without clinical.read), and every read audited."""

from __future__ import annotations

import uuid
from datetime import date, timedelta

import pytest
from support import clinical_actors
from support.clinical_actors import SYSTEM, actor, new_note, read_entries

from clinic_desktop.actor import Actor
from clinic_desktop.errors import InvalidTransition, NotFound, PermissionDenied, ValidationError
from clinic_desktop.services.prescriptions import (
    PrescriptionLineForm,
    get_prescription,
    issue_prescription,
    list_prescriptions,
    void_prescription,
)

AMOXI = PrescriptionLineForm(
    medication="Amoxicilina 500 mg cápsulas",
    dose="1 cápsula",
    route="Oral",
    frequency="cada 8 horas",
    duration="7 días",
    instructions="Tomar con alimentos",
)
PARACETAMOL = PrescriptionLineForm(
    medication="Paracetamol 1 g",
    dose="1 tableta",
    frequency="cada 8 horas si hay dolor",
    duration="3 días",
)


def new_patient(demo, first: str = "Martín", last: str = "Guerrero Loor") -> uuid.UUID:
    # Only the first one carries a cédula: the same number twice is refused.
    cedula = {"id_type": "cedula", "id_number": "1710034065"} if first == "Martín" else {}
    return clinical_actors.new_patient(
        demo, first, last, sex="", birth_date=date(1990, 8, 14), **cedula
    )


@pytest.fixture
def patient_id(demo) -> uuid.UUID:
    return new_patient(demo)


@pytest.fixture
def doctor(demo) -> Actor:
    return actor(demo, "medico")


def issue(demo, who: Actor, patient_id: uuid.UUID, lines=(AMOXI,), **kw):
    return issue_prescription(
        demo.db.uow(), actor=who, patient_id=patient_id, lines=list(lines), **kw
    )


def listed(demo, patient_id):
    return list_prescriptions(demo.db.uow(), actor=SYSTEM, patient_id=patient_id)


def test_a_doctor_issues_a_prescription_with_everything_a_printout_needs(demo, patient_id, doctor):
    rx = issue(demo, doctor, patient_id, (AMOXI, PARACETAMOL), notes="Control en una semana.")
    assert rx.status == "issued" and not rx.is_void
    assert rx.patient_name == "Martín Guerrero Loor" and rx.patient_id_number == "1710034065"
    assert rx.patient_birth_date == date(1990, 8, 14) and rx.chart_number == 21
    assert rx.prescriber_name == "Dr. Andrés Paredes" and rx.notes == "Control en una semana."
    assert [(line.position, line.medication) for line in rx.lines] == [
        (1, "Amoxicilina 500 mg cápsulas"),
        (2, "Paracetamol 1 g"),
    ]
    assert rx.lines[0].instructions == "Tomar con alimentos" and rx.lines[1].route == ""
    assert rx.medications_summary == (
        "Amoxicilina 500 mg cápsulas 1 cápsula · Paracetamol 1 g 1 tableta"
    )
    again = get_prescription(demo.db.uow(), actor=doctor, prescription_id=rx.id)
    assert again == rx
    entry = read_entries(demo)[-1]
    assert entry == {
        "patient_id": str(patient_id),
        "what": "prescription",
        "entity": "Prescription",
        "entity_id": str(rx.id),
        "user": "medico",
    }


def test_prescriptions_are_listed_newest_first_and_the_list_is_audited(demo, patient_id, doctor):
    older = issue(demo, doctor, patient_id, issued_on=date.today() - timedelta(days=30))
    newer = issue(demo, doctor, patient_id, (PARACETAMOL,))
    other = new_patient(demo, "Ana", "Zambrano")
    issue(demo, doctor, other)
    rows = list_prescriptions(demo.db.uow(), actor=doctor, patient_id=patient_id)
    assert [r.id for r in rows] == [newer.id, older.id]
    entry = read_entries(demo)[-1]
    assert (entry["what"], entry["patient_id"], entry["user"]) == (
        "prescriptions",
        str(patient_id),
        "medico",
    )


@pytest.mark.parametrize(
    ("lines", "field", "message"),
    [
        ([], "lines", "at least one line"),
        ([PrescriptionLineForm("")], "lines", "at least one line"),
        (
            [AMOXI, PrescriptionLineForm("Ibuprofeno 400 mg", frequency="c/8h", duration="5 d")],
            "lines.2.dose",
            "Line 2 — Dose: it is required.",
        ),
        (
            [PrescriptionLineForm("Loratadina", "1 tab", "", "diaria", "")],
            "lines.1.duration",
            "Line 1 — Duration: it is required.",
        ),
        (
            [PrescriptionLineForm(""), PrescriptionLineForm("x" * 201, "1", "", "1", "1")],
            "lines.2.medication",
            "Line 2 — Medication: at most 200 characters.",
        ),
        (
            [PrescriptionLineForm("", dose="1 tableta")],
            "lines.1.medication",
            "Line 1 — Medication: it is required.",
        ),
    ],
)
def test_each_line_is_checked_and_a_refusal_stores_nothing(
    demo, patient_id, doctor, lines, field, message
):
    with pytest.raises(ValidationError) as caught:
        issue(demo, doctor, patient_id, lines)
    assert caught.value.field == field and message in caught.value.message
    assert listed(demo, patient_id) == []


def test_a_date_in_the_future_or_another_patients_note_is_refused(demo, patient_id, doctor):
    with pytest.raises(ValidationError) as caught:
        issue(demo, doctor, patient_id, issued_on=date.today() + timedelta(days=2))
    assert caught.value.field == "issued_on"
    other = new_patient(demo, "Ana", "Zambrano")
    note_id = new_note(demo, other)
    with pytest.raises(ValidationError) as caught:
        issue(demo, doctor, patient_id, encounter_id=note_id)
    assert caught.value.field == "encounter_id"
    assert listed(demo, patient_id) == []
    linked = issue(demo, doctor, other, encounter_id=note_id)
    assert linked.encounter_id == note_id


def test_a_voided_prescription_stays_visible_with_who_why_and_when(demo, patient_id, doctor):
    rx = issue(demo, doctor, patient_id)
    with pytest.raises(ValidationError) as caught:
        void_prescription(demo.db.uow(), actor=doctor, prescription_id=rx.id, reason="  ")
    assert caught.value.field == "reason"
    assert listed(demo, patient_id)[0].status == "issued"
    colleague = actor(demo, "odontologa")
    voided = void_prescription(
        demo.db.uow(), actor=colleague, prescription_id=rx.id, reason="Dosis equivocada"
    )
    assert voided.is_void and voided.void_reason == "Dosis equivocada"
    assert voided.voided_by == "Dra. Valeria Cedeño" and voided.voided_at is not None
    assert voided.lines == rx.lines and voided.prescriber_name == "Dr. Andrés Paredes"
    with pytest.raises(InvalidTransition):
        void_prescription(demo.db.uow(), actor=doctor, prescription_id=rx.id, reason="Otra vez")
    [kept] = listed(demo, patient_id)
    assert kept.status == "void" and kept.void_reason == "Dosis equivocada"


def test_roles_without_clinical_sign_cannot_prescribe_or_void(demo, patient_id, doctor):
    rx = issue(demo, doctor, patient_id)
    assistant, reception = actor(demo, "asistente"), actor(demo, "recepcion")
    for who in (assistant, reception):
        with pytest.raises(PermissionDenied):
            issue(demo, who, patient_id)
        with pytest.raises(PermissionDenied):
            void_prescription(demo.db.uow(), actor=who, prescription_id=rx.id, reason="No")
    # The assistant may read them; reception may not even read.
    assert [
        r.id for r in list_prescriptions(demo.db.uow(), actor=assistant, patient_id=patient_id)
    ] == [rx.id]
    before = len(read_entries(demo))
    with pytest.raises(PermissionDenied):
        list_prescriptions(demo.db.uow(), actor=reception, patient_id=patient_id)
    with pytest.raises(PermissionDenied):
        get_prescription(demo.db.uow(), actor=reception, prescription_id=rx.id)
    assert len(read_entries(demo)) == before
    [kept] = listed(demo, patient_id)
    assert kept.status == "issued" and kept.version == rx.version


def test_the_owner_prescribes_and_a_system_actor_needs_a_prescriber(demo, patient_id):
    owner = actor(demo, "duena")
    assert issue(demo, owner, patient_id).prescriber_name == "Dra. Lucía Andrade"
    with pytest.raises(PermissionDenied):
        issue(demo, SYSTEM, patient_id)
    assert len(listed(demo, patient_id)) == 1


def test_a_print_is_audited_as_such_and_unknown_ids_are_not_found(demo, patient_id, doctor):
    rx = issue(demo, doctor, patient_id)
    get_prescription(
        demo.db.uow(), actor=doctor, prescription_id=rx.id, purpose="prescription print"
    )
    assert read_entries(demo)[-1]["what"] == "prescription print"
    with pytest.raises(NotFound):
        get_prescription(demo.db.uow(), actor=doctor, prescription_id=uuid.uuid4())
    with pytest.raises(NotFound):
        issue(demo, doctor, uuid.uuid4())
