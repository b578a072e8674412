"""Current medications and the problem list on a real demo clinic: medications stopped (never
before they started, never in the future) or marked in error instead of deleted, active ones
first; problems with their ICD-10 code checked and normalised, resolved and reopened, with
optimistic concurrency and "entered in error" as a final state."""

from __future__ import annotations

import uuid
from datetime import date, timedelta

import pytest
from support.clinical_actors import TODAY, actor, new_patient, summary

from clinic_desktop.actor import Actor
from clinic_desktop.errors import ConcurrentEditError, InvalidTransition, NotFound, ValidationError
from clinic_desktop.services.clinical_dto import MedicationForm, ProblemForm, normalise_icd10
from clinic_desktop.services.clinical_lists import (
    add_medication,
    add_problem,
    mark_medication_entered_in_error,
    set_problem_status,
    stop_medication,
    update_medication,
    update_problem,
)


@pytest.fixture
def patient_id(demo) -> uuid.UUID:
    return new_patient(demo)


@pytest.fixture
def doctor(demo) -> Actor:
    return actor(demo, "medico")


# -- medications ---------------------------------------------------------------------------


def test_medications_are_stopped_not_deleted(demo, patient_id, doctor):
    uow = demo.db.uow
    start = date(2025, 6, 1)
    med = add_medication(
        uow(),
        actor=doctor,
        patient_id=patient_id,
        form=MedicationForm("Enalapril", "10 mg", "Oral", "cada 12 horas", start),
        today=TODAY,
    )
    other = add_medication(
        uow(), actor=doctor, patient_id=patient_id, form=MedicationForm("Aspirina")
    )
    with pytest.raises(ValidationError) as caught:
        stop_medication(uow(), actor=doctor, medication_id=med.id, stopped_on=date(2025, 5, 1))
    assert caught.value.field == "stopped_on"
    with pytest.raises(ValidationError) as caught:
        stop_medication(
            uow(),
            actor=doctor,
            medication_id=med.id,
            stopped_on=TODAY + timedelta(days=1),
            today=TODAY,
        )
    assert caught.value.field == "stopped_on"
    stopped = stop_medication(
        uow(), actor=doctor, medication_id=med.id, stopped_on=date(2026, 1, 15), today=TODAY
    )
    assert stopped.status == "stopped" and stopped.stopped_on == date(2026, 1, 15)
    with pytest.raises(InvalidTransition):
        stop_medication(uow(), actor=doctor, medication_id=med.id)
    # A start after the stop cannot be typed in later either.
    with pytest.raises(ValidationError) as caught:
        update_medication(
            uow(),
            actor=doctor,
            medication_id=med.id,
            expected_version=stopped.version,
            form=MedicationForm("Enalapril", started_on=date(2026, 2, 1)),
            today=TODAY,
        )
    assert caught.value.field == "started_on"
    mark_medication_entered_in_error(uow(), actor=doctor, medication_id=other.id)
    listed = summary(demo, patient_id, doctor).medications
    assert [(m.name, m.status) for m in listed] == [
        ("Enalapril", "stopped"),
        ("Aspirina", "entered_in_error"),
    ]


def test_active_medications_come_first(demo, patient_id, doctor):
    uow = demo.db.uow
    old = add_medication(
        uow(), actor=doctor, patient_id=patient_id, form=MedicationForm("Amoxicilina")
    )
    stop_medication(uow(), actor=doctor, medication_id=old.id)
    add_medication(uow(), actor=doctor, patient_id=patient_id, form=MedicationForm("Metformina"))
    names = [m.name for m in summary(demo, patient_id, doctor).medications]
    assert names == ["Metformina", "Amoxicilina"]


def test_a_medication_needs_a_name_and_a_start_not_in_the_future(demo, patient_id, doctor):
    uow = demo.db.uow
    for form, field in [
        (MedicationForm(""), "name"),
        (MedicationForm("Losartán", started_on=TODAY + timedelta(days=3)), "started_on"),
        (MedicationForm("Losartán", dose="d" * 121), "dose"),
    ]:
        with pytest.raises(ValidationError) as caught:
            add_medication(uow(), actor=doctor, patient_id=patient_id, form=form, today=TODAY)
        assert caught.value.field == field
    assert summary(demo, patient_id, doctor).medications == ()


# -- problems ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("typed", "stored"),
    [
        ("J45.9", "J45.9"),
        ("j459", "J45.9"),
        ("E11", "E11"),
        (" k02.1 ", "K02.1"),
        ("s72001a", "S72.001A"),
        ("", ""),
    ],
)
def test_icd10_codes_are_normalised(typed, stored):
    assert normalise_icd10(typed) == stored


@pytest.mark.parametrize("typed", ["45.9", "JJ5", "J4", "J45.12345", "J45-9", "Asma"])
def test_malformed_icd10_codes_are_refused_and_nothing_saved(demo, patient_id, doctor, typed):
    with pytest.raises(ValidationError) as caught:
        add_problem(
            demo.db.uow(), actor=doctor, patient_id=patient_id, form=ProblemForm("Asma", typed)
        )
    assert caught.value.field == "icd10" and "ICD-10" in caught.value.message
    assert summary(demo, patient_id, doctor).problems == ()


def test_problems_are_resolved_and_reopened(demo, patient_id, doctor):
    uow = demo.db.uow
    asthma = add_problem(
        uow(),
        actor=doctor,
        patient_id=patient_id,
        form=ProblemForm("Asma bronquial", "j459", date(2020, 1, 1)),
        today=TODAY,
    )
    assert asthma.icd10 == "J45.9"
    with pytest.raises(ValidationError) as caught:
        set_problem_status(
            uow(),
            actor=doctor,
            problem_id=asthma.id,
            status="resolved",
            resolved_on=date(2019, 1, 1),
        )
    assert caught.value.field == "resolved_on"
    resolved = set_problem_status(
        uow(),
        actor=doctor,
        problem_id=asthma.id,
        status="resolved",
        resolved_on=TODAY,
        today=TODAY,
    )
    assert resolved.status == "resolved" and resolved.resolved_on == TODAY
    add_problem(uow(), actor=doctor, patient_id=patient_id, form=ProblemForm("Hipertensión", "I10"))
    assert [p.description for p in summary(demo, patient_id, doctor).problems] == [
        "Hipertensión",
        "Asma bronquial",
    ]
    reopened = set_problem_status(uow(), actor=doctor, problem_id=asthma.id, status="active")
    assert reopened.status == "active" and reopened.resolved_on is None
    with pytest.raises(ConcurrentEditError):
        update_problem(
            uow(),
            actor=doctor,
            problem_id=asthma.id,
            expected_version=asthma.version,
            form=ProblemForm("Asma"),
        )
    gone = set_problem_status(uow(), actor=doctor, problem_id=asthma.id, status="entered_in_error")
    with pytest.raises(InvalidTransition):
        set_problem_status(uow(), actor=doctor, problem_id=asthma.id, status="active")
    assert gone.status == "entered_in_error"


def test_a_resolved_problem_cannot_get_an_onset_after_its_resolution(demo, patient_id, doctor):
    uow = demo.db.uow
    form = ProblemForm("Gastritis", onset_on=date(2020, 1, 1))
    problem = add_problem(uow(), actor=doctor, patient_id=patient_id, form=form, today=TODAY)
    resolved = set_problem_status(
        uow(),
        actor=doctor,
        problem_id=problem.id,
        status="resolved",
        resolved_on=date(2021, 1, 1),
        today=TODAY,
    )
    with pytest.raises(ValidationError) as caught:
        update_problem(
            uow(),
            actor=doctor,
            problem_id=problem.id,
            expected_version=resolved.version,
            form=ProblemForm("Gastritis", onset_on=date(2022, 1, 1)),
            today=TODAY,
        )
    assert caught.value.field == "onset_on" and "resolved" in caught.value.message
    assert summary(demo, patient_id, doctor).problems[0].onset_on == date(2020, 1, 1)


def test_an_entry_of_an_unknown_id_is_not_found(demo, doctor):
    with pytest.raises(NotFound):
        set_problem_status(demo.db.uow(), actor=doctor, problem_id=uuid.uuid4(), status="resolved")
    with pytest.raises(NotFound):
        summary(demo, uuid.uuid4(), doctor)
