"""Finding and quick-creating patients while booking: search by name, ID number, phone or chart
number (every word must match), and the minimum a new patient needs (names, a phone, a valid
and unused ID number for the clinic's country), with nothing saved on a refusal."""

from __future__ import annotations

import pytest
from agenda_kit import SYSTEM, Agenda

from clinic_desktop.errors import PermissionDenied, ValidationError
from clinic_desktop.services.patients import quick_create_patient, search_patients

# The agenda fixtures (`agenda`, `agenda_demo`, `madrid`) live in agenda_kit.
pytest_plugins = ["agenda_kit"]


def create(agenda: Agenda, **kw):
    kw.setdefault("first_names", "María José")
    kw.setdefault("last_names", "Núñez Ortega")
    kw.setdefault("phone", "099 123 4567")
    return quick_create_patient(agenda.uow(), actor=agenda.actor("recepcion"), **kw)


def search(agenda: Agenda, text: str):
    return search_patients(agenda.uow(), actor=agenda.actor("asistente"), text=text)


def test_quick_create_then_find_by_each_detail(agenda: Agenda):
    made = create(agenda, first_names="  María   José ", id_number="1710034065")
    assert made.full_name == "María José Núñez Ortega"
    assert made.chart_number == 21  # after the demo's 20
    assert (made.id_number, made.no_shows) == ("1710034065", 0)
    for text in (
        "maría núñez",
        "Ortega",
        "171003",
        "123 4567",
        "NÚÑEZ",
        "MARÍA NÚÑEZ",
        "JOSÉ ortega",
    ):
        assert [h.id for h in search(agenda, text)] == [made.id], text
    assert made.id in [h.id for h in search(agenda, "21")]  # chart number (phones may match)
    assert search(agenda, "María Zzz") == []
    assert search(agenda, "   ") == []


@pytest.mark.parametrize(
    ("kw", "field"),
    [
        ({"first_names": " "}, "first_names"),
        ({"last_names": ""}, "last_names"),
        ({"phone": ""}, "phone"),
        ({"phone": "12345"}, "phone"),
        ({"phone": "099-123-4567 ext"}, "phone"),
        ({"id_number": "1710034066"}, "id_number"),  # wrong check digit
    ],
)
def test_bad_quick_creates_save_nothing(agenda: Agenda, kw, field):
    with pytest.raises(ValidationError) as caught:
        create(agenda, **kw)
    assert caught.value.field == field
    assert search(agenda, "Núñez") == []


def test_an_id_number_already_in_use_is_refused(agenda: Agenda):
    first = create(agenda, id_number="1710034065")
    with pytest.raises(ValidationError) as caught:
        create(agenda, first_names="Otra", id_number="1710034065")
    assert caught.value.field == "id_number"
    assert str(first.chart_number) in caught.value.message
    assert [h.id for h in search(agenda, "Núñez")] == [first.id]


def test_quick_create_needs_patients_write(agenda: Agenda):
    with pytest.raises(PermissionDenied):
        quick_create_patient(
            agenda.uow(),
            actor=agenda.actor("asistente"),
            first_names="A",
            last_names="B",
            phone="0991234567",
        )
    with pytest.raises(PermissionDenied):
        search_patients(agenda.uow(), actor=agenda.actor("soporte"), text="a")
    assert search_patients(agenda.uow(), actor=SYSTEM, text="B") != []  # the demo's patients
