"""The standing clinical record on a real demo clinic: history sections with optimistic
concurrency, allergies (one active entry per substance, alerts most severe first, "entered
in error" instead of deletion), permissions per role, the audit entries of every read, and
redacted clinical text in the audit trail of the writes. Medications and problems are in
test_clinical_lists.py."""

from __future__ import annotations

import uuid
from datetime import timedelta

import pytest
from sqlalchemy import select
from support.clinical_actors import (
    SYSTEM,
    TODAY,
    actor,
    new_patient,
    reads,
    summary,
    write_history,
)

from clinic_desktop.actor import Actor
from clinic_desktop.errors import (
    ConcurrentEditError,
    InvalidTransition,
    PermissionDenied,
    ValidationError,
)
from clinic_desktop.events import ClinicalChanged
from clinic_desktop.models.audit import AuditEntry
from clinic_desktop.services.clinical_dto import (
    AllergyForm,
    HistorySection,
    MedicationForm,
    ProblemForm,
)
from clinic_desktop.services.clinical_history import allergy_alerts
from clinic_desktop.services.clinical_lists import (
    add_allergy,
    add_medication,
    add_problem,
    set_allergy_status,
    update_allergy,
)


@pytest.fixture
def patient_id(demo) -> uuid.UUID:
    return new_patient(demo)


@pytest.fixture
def doctor(demo) -> Actor:
    return actor(demo, "medico")


# -- history -------------------------------------------------------------------------------


def test_a_new_chart_is_empty_and_opening_it_is_audited(demo, patient_id, doctor):
    result = summary(demo, patient_id, doctor)
    assert [s.section for s in result.history] == [s.value for s in HistorySection]
    assert all(s.text == "" and s.version is None for s in result.history)
    assert result.allergies == result.medications == result.problems == ()
    entries = reads(demo, patient_id, "summary")
    assert len(entries) == 1 and entries[0]["user"] == "medico"


def test_history_sections_are_created_then_edited_with_their_version(demo, patient_id, doctor):
    first = write_history(demo, doctor, patient_id, "family", "Padre: diabetes tipo 2.  \n")
    assert first.version == 1 and first.text == "Padre: diabetes tipo 2."
    assert first.updated_by == "Dr. Andrés Paredes" and first.updated_at is not None
    second = write_history(
        demo, doctor, patient_id, "family", "Padre: diabetes tipo 2.\nMadre: HTA.", 1
    )
    assert second.version == 2
    # A stale editor (and one that thought the section was still empty) overwrite nothing.
    for stale in (1, None):
        with pytest.raises(ConcurrentEditError) as caught:
            write_history(demo, doctor, patient_id, "family", "Nada", stale)
        assert "Dr. Andrés Paredes" in caught.value.message
    stored = summary(demo, patient_id, doctor).section("family")
    assert stored.text == "Padre: diabetes tipo 2.\nMadre: HTA." and stored.version == 2


def test_a_history_text_over_the_limit_names_the_section_and_saves_nothing(
    demo, patient_id, doctor
):
    with pytest.raises(ValidationError) as caught:
        write_history(demo, doctor, patient_id, "surgical", "x" * 20001)
    assert caught.value.field == "text"
    assert "Surgical history" in caught.value.message and "20000" in caught.value.message
    assert summary(demo, patient_id, doctor).section("surgical").version is None


def test_an_unknown_section_is_refused(demo, patient_id, doctor):
    with pytest.raises(ValidationError) as caught:
        write_history(demo, doctor, patient_id, "dental", "x")
    assert caught.value.field == "section"


# -- permissions ---------------------------------------------------------------------------


def test_reception_sees_no_clinical_content_and_writes_none(demo, patient_id):
    reception = actor(demo, "recepcion")
    uow = demo.db.uow
    with pytest.raises(PermissionDenied):
        summary(demo, patient_id, reception)
    with pytest.raises(PermissionDenied):
        allergy_alerts(uow(), actor=reception, patient_id=patient_id)
    with pytest.raises(PermissionDenied):
        add_allergy(uow(), actor=reception, patient_id=patient_id, form=AllergyForm("Látex"))
    with pytest.raises(PermissionDenied):
        write_history(demo, reception, patient_id, "habits", "Fuma")
    # Refused reads leave no "read" entry: nothing was shown.
    assert (
        reads(demo, patient_id, "summary") == [] and reads(demo, patient_id, "allergy alert") == []
    )
    assert summary(demo, patient_id, SYSTEM).allergies == ()


def test_the_assistant_reads_but_cannot_write(demo, patient_id, doctor):
    add_allergy(demo.db.uow(), actor=doctor, patient_id=patient_id, form=AllergyForm("Látex"))
    assistant = actor(demo, "asistente")
    assert [a.substance for a in summary(demo, patient_id, assistant).allergies] == ["Látex"]
    uow = demo.db.uow
    refused = [
        lambda: add_allergy(
            uow(), actor=assistant, patient_id=patient_id, form=AllergyForm("Yodo")
        ),
        lambda: add_medication(
            uow(), actor=assistant, patient_id=patient_id, form=MedicationForm("Losartán")
        ),
        lambda: add_problem(uow(), actor=assistant, patient_id=patient_id, form=ProblemForm("HTA")),
        lambda: write_history(demo, assistant, patient_id, "habits", "Fuma"),
    ]
    for call in refused:
        with pytest.raises(PermissionDenied):
            call()
    after = summary(demo, patient_id, doctor)
    assert len(after.allergies) == 1 and after.medications == () and after.problems == ()
    assert after.section("habits").version is None


# -- allergies -----------------------------------------------------------------------------


def test_a_second_active_allergy_to_the_same_substance_is_refused(demo, patient_id, doctor):
    uow = demo.db.uow
    first = add_allergy(
        uow(),
        actor=doctor,
        patient_id=patient_id,
        form=AllergyForm("Penicilina", "Anafilaxia", "life_threatening", TODAY),
        today=TODAY,
    )
    with pytest.raises(ValidationError) as caught:
        add_allergy(uow(), actor=doctor, patient_id=patient_id, form=AllergyForm(" PENICILÍNA "))
    assert caught.value.field == "substance" and "Penicilina" in caught.value.message
    # Once inactive, a new active entry is fine; the old one cannot come back beside it.
    set_allergy_status(uow(), actor=doctor, allergy_id=first.id, status="inactive")
    add_allergy(uow(), actor=doctor, patient_id=patient_id, form=AllergyForm("penicilina"))
    with pytest.raises(ValidationError):
        set_allergy_status(uow(), actor=doctor, allergy_id=first.id, status="active")
    # Nor can another active allergy be renamed into it.
    latex = add_allergy(uow(), actor=doctor, patient_id=patient_id, form=AllergyForm("Látex"))
    with pytest.raises(ValidationError) as caught:
        update_allergy(
            uow(),
            actor=doctor,
            allergy_id=latex.id,
            expected_version=latex.version,
            form=AllergyForm("Penicilina "),
        )
    assert caught.value.field == "substance"
    listed = summary(demo, patient_id, doctor).allergies
    assert sorted((a.substance, a.status) for a in listed) == [
        ("Látex", "active"),
        ("Penicilina", "inactive"),
        ("penicilina", "active"),
    ]


def test_allergy_alerts_show_active_ones_most_severe_first_and_are_audited(
    demo, patient_id, doctor
):
    uow = demo.db.uow
    for substance, severity in [
        ("Látex", "mild"),
        ("Penicilina", "life_threatening"),
        ("Ibuprofeno", "severe"),
        ("Mariscos", "moderate"),
    ]:
        add_allergy(
            uow(), actor=doctor, patient_id=patient_id, form=AllergyForm(substance, "", severity)
        )
    wrong = add_allergy(uow(), actor=doctor, patient_id=patient_id, form=AllergyForm("Polen"))
    set_allergy_status(uow(), actor=doctor, allergy_id=wrong.id, status="entered_in_error")
    alerts = allergy_alerts(uow(), actor=doctor, patient_id=patient_id)
    assert [a.substance for a in alerts] == ["Penicilina", "Ibuprofeno", "Mariscos", "Látex"]
    assert len(reads(demo, patient_id, "allergy alert")) == 1
    # The summary keeps the wrong entry, last.
    listed = summary(demo, patient_id, doctor).allergies
    assert listed[-1].substance == "Polen" and listed[-1].status == "entered_in_error"


def test_an_allergy_entered_in_error_never_changes_again(demo, patient_id, doctor):
    uow = demo.db.uow
    wrong = add_allergy(uow(), actor=doctor, patient_id=patient_id, form=AllergyForm("Polen"))
    gone = set_allergy_status(uow(), actor=doctor, allergy_id=wrong.id, status="entered_in_error")
    with pytest.raises(InvalidTransition):
        set_allergy_status(uow(), actor=doctor, allergy_id=wrong.id, status="active")
    with pytest.raises(InvalidTransition):
        update_allergy(
            uow(),
            actor=doctor,
            allergy_id=wrong.id,
            expected_version=gone.version,
            form=AllergyForm("Polen de olivo"),
        )
    assert summary(demo, patient_id, doctor).allergies[0].substance == "Polen"


@pytest.mark.parametrize(
    ("form", "field"),
    [
        (AllergyForm("  "), "substance"),
        (AllergyForm("Látex", severity="deadly"), "severity"),
        (AllergyForm("Látex", noted_on=TODAY + timedelta(days=1)), "noted_on"),
        (AllergyForm("Látex", reaction="r" * 301), "reaction"),
    ],
)
def test_bad_allergy_input_names_the_field_and_saves_nothing(demo, patient_id, doctor, form, field):
    with pytest.raises(ValidationError) as caught:
        add_allergy(demo.db.uow(), actor=doctor, patient_id=patient_id, form=form, today=TODAY)
    assert caught.value.field == field
    assert summary(demo, patient_id, doctor).allergies == ()


def test_editing_an_allergy_needs_the_version_it_was_loaded_at(demo, patient_id, doctor):
    uow = demo.db.uow
    added = add_allergy(uow(), actor=doctor, patient_id=patient_id, form=AllergyForm("Látex"))
    edited = update_allergy(
        uow(),
        actor=doctor,
        allergy_id=added.id,
        expected_version=added.version,
        form=AllergyForm("Látex", "Urticaria", "moderate"),
    )
    assert edited.reaction == "Urticaria" and edited.version == added.version + 1
    with pytest.raises(ConcurrentEditError):
        update_allergy(
            uow(),
            actor=doctor,
            allergy_id=added.id,
            expected_version=added.version,
            form=AllergyForm("Látex", "Nada"),
        )
    assert summary(demo, patient_id, doctor).allergies[0].reaction == "Urticaria"


def test_clinical_text_is_redacted_in_the_audit_trail_and_changes_are_announced(
    demo, patient_id, doctor
):
    events: list[ClinicalChanged] = []
    demo.db.bus.subscribe(ClinicalChanged, events.append)
    add_allergy(
        demo.db.uow(),
        actor=doctor,
        patient_id=patient_id,
        form=AllergyForm("Sulfamidas", "Síndrome de Stevens-Johnson"),
    )
    assert [(e.patient_id, e.what) for e in events] == [(str(patient_id), "allergies")]
    with demo.db.uow().transaction(SYSTEM) as session:
        texts = [e.changes for e in session.scalars(select(AuditEntry))]
    assert not any("Sulfamidas" in t or "Stevens" in t for t in texts)
