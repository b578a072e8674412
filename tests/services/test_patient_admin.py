"""Patient demographics: create with validated identity numbers (a duplicate number refused, a
similar name with the same birth date confirmed first), edits with optimistic concurrency,
archive instead of delete, consents with their history, and accent- and order-blind search."""

from __future__ import annotations

from datetime import date

import pytest

from clinic_desktop.actor import Actor
from clinic_desktop.errors import ConcurrentEditError, PermissionDenied, ValidationError
from clinic_desktop.services.auth import sign_in
from clinic_desktop.services.demo import DEMO_PASSWORD
from clinic_desktop.services.patient_admin import (
    PatientForm,
    PossibleDuplicate,
    create_patient,
    get_patient,
    list_consents,
    list_patients,
    record_consent,
    set_archived,
    update_patient,
)
from clinic_desktop.services.patients import search_patients

SYSTEM = Actor.system("tests")
TODAY = date(2026, 11, 23)
JOSE = PatientForm(
    first_names="José Luis",
    last_names="García Núñez",
    id_type="cedula",
    id_number="1710034065",
    birth_date=date(1980, 5, 17),
    phone="0991234567",
    email="jose@correo.ec",
)


def actor(demo, username: str) -> Actor:
    user = sign_in(demo.db.uow(), username=username, password=DEMO_PASSWORD)
    return Actor.for_user(user.id, user.username)


def make(demo, form: PatientForm = JOSE, **kw):
    return create_patient(demo.db.uow(), actor=SYSTEM, form=form, today=TODAY, **kw)


def test_a_new_patient_gets_the_next_chart_number_and_is_found_without_accents(demo):
    created = make(demo)
    assert created.id_number == "1710034065" and created.chart_number == 21
    for text in ("jose garcia", "GARCIA jose", "nunez", "1710034", "0991234567", "21"):
        found = search_patients(demo.db.uow(), actor=SYSTEM, text=text)
        assert created.id in [h.id for h in found], text


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"id_number": "1710034066"}, "id_number"),
        ({"birth_date": date(2027, 1, 1)}, "birth_date"),
        ({"first_names": "  "}, "first_names"),
        ({"email": "jose-at-correo"}, "email"),
        ({"phone": "12ab"}, "phone"),
        ({"reminder_channel": "email", "email": ""}, "reminder_channel"),
        ({"id_type": "passport", "id_number": ""}, "id_number"),
    ],
)
def test_bad_input_names_the_field_and_saves_nothing(demo, change, field):
    form = PatientForm(**{**JOSE.__dict__, **change})
    with pytest.raises(ValidationError) as caught:
        make(demo, form)
    assert caught.value.field == field
    assert list_patients(demo.db.uow(), actor=SYSTEM)[1] == 20


def test_the_same_id_number_is_refused(demo):
    first = make(demo)
    other = PatientForm(**{**JOSE.__dict__, "first_names": "Pedro", "birth_date": None})
    with pytest.raises(ValidationError, match=str(first.chart_number)) as caught:
        make(demo, other)
    assert caught.value.field == "id_number"


def test_a_similar_name_with_the_same_birth_date_needs_confirmation(demo):
    make(demo)
    twin = PatientForm(
        first_names="José",
        last_names="Garcia Nunez",
        birth_date=JOSE.birth_date,
        id_type="none",
    )
    with pytest.raises(PossibleDuplicate):
        make(demo, twin)
    assert list_patients(demo.db.uow(), actor=SYSTEM)[1] == 21
    second = make(demo, twin, confirm_duplicate=True)
    assert second.chart_number == 22


def test_edits_keep_the_version_and_refuse_a_stale_one(demo):
    created = make(demo)
    form = PatientForm(**{**JOSE.__dict__, "payer": "Seguros Equinoccial"})
    edited = update_patient(
        demo.db.uow(),
        actor=SYSTEM,
        patient_id=created.id,
        expected_version=created.version,
        form=form,
        today=TODAY,
    )
    assert edited.payer == "Seguros Equinoccial" and edited.version == created.version + 1
    with pytest.raises(ConcurrentEditError):
        update_patient(
            demo.db.uow(),
            actor=SYSTEM,
            patient_id=created.id,
            expected_version=created.version,
            form=JOSE,
            today=TODAY,
        )


def test_archived_patients_leave_searches_and_come_back(demo):
    created = make(demo)
    set_archived(demo.db.uow(), actor=SYSTEM, patient_id=created.id, archived=True)
    assert search_patients(demo.db.uow(), actor=SYSTEM, text="jose garcia") == []
    archived, total = list_patients(demo.db.uow(), actor=SYSTEM, archived=True)
    assert [p.id for p in archived] == [created.id] and total == 1
    set_archived(demo.db.uow(), actor=SYSTEM, patient_id=created.id, archived=False)
    assert get_patient(demo.db.uow(), actor=SYSTEM, patient_id=created.id).archived_at is None


def test_consents_keep_their_history_and_drive_reminders(demo):
    created = make(demo, PatientForm(**{**JOSE.__dict__, "reminder_channel": "sms"}))
    assert created.reminder_consent is False
    reception = actor(demo, "recepcion")
    record_consent(
        demo.db.uow(), actor=reception, patient_id=created.id, kind="reminders_sms", granted=True
    )
    assert get_patient(demo.db.uow(), actor=SYSTEM, patient_id=created.id).reminder_consent
    history = record_consent(
        demo.db.uow(), actor=reception, patient_id=created.id, kind="reminders_sms", granted=False
    )
    assert [c.granted for c in history] == [False, True]
    assert {c.recorded_by for c in history} == {"Carla Mendoza"}
    assert not get_patient(demo.db.uow(), actor=SYSTEM, patient_id=created.id).reminder_consent
    assert len(list_consents(demo.db.uow(), actor=SYSTEM, patient_id=created.id)) == 2


def test_only_roles_that_edit_patients_may_write(demo):
    with pytest.raises(PermissionDenied):
        create_patient(demo.db.uow(), actor=actor(demo, "asistente"), form=JOSE, today=TODAY)
    with pytest.raises(PermissionDenied):
        list_patients(demo.db.uow(), actor=actor(demo, "soporte"))


def test_archived_patients_are_searched_on_request(demo):
    created = make(demo)
    set_archived(demo.db.uow(), actor=SYSTEM, patient_id=created.id, archived=True)
    found = search_patients(demo.db.uow(), actor=SYSTEM, text="jose garcia", archived=True)
    assert [h.id for h in found] == [created.id]
    assert found[0].birth_date == JOSE.birth_date
