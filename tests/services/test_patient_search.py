"""The patient search index behind search-as-you-type: every typed word must start some term
of the patient (folded name words in any order, ID number, phone, chart number), the index
follows every edit, archive and deletion, and a search reads only what it shows."""

from __future__ import annotations

from datetime import date

from clinic_desktop.actor import Actor
from clinic_desktop.models.patient import Patient
from clinic_desktop.services.patient_admin import (
    PatientForm,
    create_patient,
    set_archived,
    update_patient,
)
from clinic_desktop.services.patients import search_patients
from clinic_desktop.services.startup import CreatedClinic

SYSTEM = Actor.system("tests")
TODAY = date(2026, 11, 23)
FORM = PatientForm(
    first_names="José Ángel",
    last_names="Núñez O'Brien",
    id_type="passport",
    id_number="AB-123456",
    phone="02 234-5678",
    mobile_phone="+593 99 765 4321",
)


def found(demo: CreatedClinic, text: str, *, archived: bool = False) -> list[int]:
    hits = search_patients(demo.db.uow(), actor=SYSTEM, text=text, archived=archived)
    return [h.chart_number for h in hits]


def test_each_word_is_a_prefix_of_a_name_word_number_or_phone(demo: CreatedClinic) -> None:
    made = create_patient(demo.db.uow(), actor=SYSTEM, form=FORM, today=TODAY)
    for text in (
        "jose nunez",
        "NÚÑEZ josé",
        "obrien",
        "ang nu",
        "ab123",
        "AB-123456",
        "022345678",
        "234 5678",
        "+593 99 765",
        "7654321",
        str(made.chart_number),
    ):
        assert made.chart_number in found(demo, text), text
    for text in ("jose perez", "nunez x", "345678", "gel"):
        assert made.chart_number not in found(demo, text), text


def test_the_index_follows_renames_archiving_and_deletion(demo: CreatedClinic) -> None:
    uow = demo.db.uow
    made = create_patient(uow(), actor=SYSTEM, form=FORM, today=TODAY)
    renamed = update_patient(
        uow(),
        actor=SYSTEM,
        patient_id=made.id,
        expected_version=made.version,
        form=PatientForm(first_names="Ángela", last_names="Vera"),
        today=TODAY,
    )
    assert found(demo, "jose nunez") == []
    assert found(demo, "angela vera") == [made.chart_number]
    assert found(demo, "234 5678") == []  # the phone was removed with the edit
    set_archived(uow(), actor=SYSTEM, patient_id=made.id, archived=True)
    assert found(demo, "angela vera") == []
    assert found(demo, "angela vera", archived=True) == [made.chart_number]
    set_archived(uow(), actor=SYSTEM, patient_id=made.id, archived=False)
    assert found(demo, "angela vera") == [renamed.chart_number]
    with demo.db.uow().transaction(SYSTEM) as session:
        patient = session.get(Patient, made.id)
        assert patient is not None
        patient.soft_delete(by=None)
    assert found(demo, "angela vera") == []
    assert found(demo, "angela vera", archived=True) == []


def test_results_are_ordered_by_the_matched_word_then_name_and_limited(
    demo: CreatedClinic,
) -> None:
    for first, last in (("Anabel", "Álvarez"), ("Ana", "Zapata"), ("Ana", "Bravo")):
        create_patient(
            demo.db.uow(),
            actor=SYSTEM,
            form=PatientForm(first_names=first, last_names=f"{last} Qz"),
            today=TODAY,
        )
    # "ana" drives the scan: the exact word "ana" sorts before "anabel", then by surname;
    # by surname alone Anabel Álvarez would come first.
    hits = search_patients(demo.db.uow(), actor=SYSTEM, text="qz ana")
    assert [h.full_name for h in hits] == ["Ana Bravo Qz", "Ana Zapata Qz", "Anabel Álvarez Qz"]
    assert len(search_patients(demo.db.uow(), actor=SYSTEM, text="qz", limit=2)) == 2


def test_a_patient_matching_a_word_twice_is_listed_once(demo: CreatedClinic) -> None:
    made = create_patient(
        demo.db.uow(),
        actor=SYSTEM,
        form=PatientForm(first_names="Mari Marisa", last_names="Qz Qzal"),
        today=TODAY,
    )
    assert found(demo, "mari qz") == [made.chart_number]
