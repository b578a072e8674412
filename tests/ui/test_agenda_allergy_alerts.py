"""The patient's allergies on the agenda: the alert banner in the appointment dialog (an
existing appointment, a patient chosen for a new one, a change of patient) and the red line on
the waiting room's cards, each an audited read, asked for once per patient; reception sees
none of it and triggers no call that would be refused. Also the batch service behind the
waiting room."""

from __future__ import annotations

import uuid
from dataclasses import replace
from datetime import UTC, datetime
from typing import Any

import pytest
from pytestqt.qtbot import QtBot
from support.agenda_data import SYSTEM, AgendaSeed, next_monday, seed_agenda
from support.clinical_actors import actor, new_patient, read_entries, reads
from ui.screens_helpers import make_ctx, settle
from ui.test_agenda_panels import arrive

from clinic_desktop.errors import PermissionDenied
from clinic_desktop.models.patient import Patient
from clinic_desktop.services import appointments
from clinic_desktop.services.agenda_dto import AppointmentDTO
from clinic_desktop.services.clinical_dto import AllergyForm
from clinic_desktop.services.clinical_history import allergy_alerts_for
from clinic_desktop.services.clinical_lists import add_allergy
from clinic_desktop.services.startup import CreatedClinic
from clinic_desktop.ui.agenda import allergy_alerts as alerts_module
from clinic_desktop.ui.agenda.allergy_alerts import AlertCardRow
from clinic_desktop.ui.agenda.appointment_dialog import AppointmentDialog
from clinic_desktop.ui.agenda.waiting_room import WaitingRoomPanel
from clinic_desktop.ui.chart import allergy_banner as banner_module


@pytest.fixture
def seed(demo: CreatedClinic) -> AgendaSeed:
    return seed_agenda(demo.db)


@pytest.fixture
def allergic(demo: CreatedClinic) -> uuid.UUID:
    """A patient of the test's own with a life-threatening and a moderate allergy."""
    patient_id = new_patient(demo, "Rosa Elena", "Quishpe Tapia")
    add(demo, patient_id, "Penicilina", "anafilaxia", "life_threatening")
    add(demo, patient_id, "Látex", "urticaria", "moderate")
    return patient_id


@pytest.fixture
def other(demo: CreatedClinic) -> uuid.UUID:
    """A second patient of the test's own, with nothing recorded."""
    return new_patient(demo, "Joaquín Andrés", "Zambrano Vera")


def add(demo: CreatedClinic, patient_id: uuid.UUID, substance: str, reaction: str, severity: str):
    return add_allergy(
        demo.db.uow(),
        actor=actor(demo, "medico"),
        patient_id=patient_id,
        form=AllergyForm(substance, reaction, severity),
    )


def book(demo: CreatedClinic, seed: AgendaSeed, patient_id: uuid.UUID) -> AppointmentDTO:
    return appointments.book_appointment(
        demo.db.uow(),
        actor=SYSTEM,
        patient_id=patient_id,
        practitioner_id=seed.doctor,
        start=seed.at(next_monday(), 10),
        minutes=30,
        type_id=seed.consult,
    )


def arrive_patient(
    demo: CreatedClinic,
    seed: AgendaSeed,
    now: datetime,
    patient_id: uuid.UUID,
    practitioner: uuid.UUID | None = None,
) -> AppointmentDTO:
    """`arrive` books a demo patient by index; this one is the test's own (each arrival with
    its own practitioner, as they overlap in time)."""
    seeded = replace(seed, patients=(*seed.patients, patient_id))
    return arrive(
        demo, seeded, now, patient=len(seed.patients), practitioner=practitioner or seed.doctor
    )


def alert_reads(demo: CreatedClinic, patient_id: uuid.UUID, user: str | None = None) -> int:
    entries = reads(demo, patient_id, "allergy alert")
    return len([e for e in entries if user is None or e["user"] == user])


@pytest.fixture
def recorded_calls(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """Every allergy service call the agenda's widgets make, still calling through."""
    calls: list[str] = []

    def single(*args: Any, **kwargs: Any) -> Any:
        calls.append("allergy_alerts")
        return original_single(*args, **kwargs)

    def batch(*args: Any, **kwargs: Any) -> Any:
        calls.append("allergy_alerts_for")
        return original_batch(*args, **kwargs)

    original_single = banner_module.allergy_alerts
    original_batch = alerts_module.allergy_alerts_for
    monkeypatch.setattr(banner_module, "allergy_alerts", single)
    monkeypatch.setattr(alerts_module, "allergy_alerts_for", batch)
    return calls


# -- the appointment dialog -------------------------------------------------------------------


def test_the_dialog_shows_the_patients_allergies_and_follows_a_change_of_patient(
    demo: CreatedClinic,
    qtbot: QtBot,
    seed: AgendaSeed,
    allergic: uuid.UUID,
    other: uuid.UUID,
    recorded_calls: list[str],
) -> None:
    appointment = book(demo, seed, allergic)
    ctx = make_ctx(demo, "medico")
    dialog = AppointmentDialog(ctx, appointment=appointment)
    qtbot.addWidget(dialog)
    banner = dialog.allergy_banner

    assert banner.isVisibleTo(dialog) and banner.level == "danger"
    assert banner.text() == (
        "Allergies: Penicilina (anafilaxia, life-threatening) · Látex (urticaria)"
    )
    # The patient's details arriving after the placeholder do not load the alert again.
    assert recorded_calls == ["allergy_alerts"]
    assert alert_reads(demo, allergic, "medico") == 1

    picker = dialog.form.patient_picker
    picker.choose(None)  # "Change"
    assert not banner.isVisibleTo(dialog) and banner.text() == ""
    picker.search("Zambrano Vera")
    [hit] = [h for h in picker.hits() if h.id == other]
    picker.choose(hit)
    assert not banner.isVisibleTo(dialog)  # nothing recorded: no alert
    assert alert_reads(demo, other, "medico") == 1

    add(demo, other, "Ibuprofeno", "broncoespasmo", "severe")
    settle()  # the banner follows the chart's changes
    assert banner.isVisibleTo(dialog) and banner.text().startswith("Allergies: Ibuprofeno")
    assert "Penicilina" not in banner.text()
    assert alert_reads(demo, other, "medico") == 2
    assert alert_reads(demo, allergic, "medico") == 1


def test_a_new_appointment_shows_the_alert_once_a_patient_is_chosen(
    demo: CreatedClinic, qtbot: QtBot, seed: AgendaSeed, allergic: uuid.UUID
) -> None:
    ctx = make_ctx(demo, "odontologa")
    dialog = AppointmentDialog(ctx, practitioner_id=seed.dentist, start=seed.at(next_monday(), 9))
    qtbot.addWidget(dialog)
    assert not dialog.allergy_banner.isVisibleTo(dialog)
    assert alert_reads(demo, allergic) == 0

    picker = dialog.form.patient_picker
    picker.search("Quishpe")
    [hit] = [h for h in picker.hits() if h.id == allergic]
    picker.choose(hit)
    assert dialog.allergy_banner.isVisibleTo(dialog)
    assert "Penicilina" in dialog.allergy_banner.text()
    assert alert_reads(demo, allergic, "odontologa") == 1

    # Prefilled with the patient (a waitlist offer, the patient's chart): shown at once.
    prefilled = AppointmentDialog(
        ctx,
        practitioner_id=seed.dentist,
        start=seed.at(next_monday(), 9),
        patient_id=allergic,
        patient_name="Rosa Elena Quishpe Tapia",
    )
    qtbot.addWidget(prefilled)
    assert prefilled.allergy_banner.isVisibleTo(prefilled)
    assert alert_reads(demo, allergic, "odontologa") == 2


def test_reception_sees_no_alert_in_the_dialog_and_asks_for_none(
    demo: CreatedClinic,
    qtbot: QtBot,
    seed: AgendaSeed,
    allergic: uuid.UUID,
    recorded_calls: list[str],
) -> None:
    appointment = book(demo, seed, allergic)
    before = len(read_entries(demo))
    dialog = AppointmentDialog(make_ctx(demo, "recepcion"), appointment=appointment)
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitExposed(dialog)

    assert dialog.form.patient_picker.patient_id() == allergic  # the dialog did load
    assert not dialog.allergy_banner.isVisible() and dialog.allergy_banner.text() == ""
    assert recorded_calls == []
    assert alert_reads(demo, allergic) == 0 and len(read_entries(demo)) == before


# -- the waiting room -------------------------------------------------------------------------


def card_of(panel: WaitingRoomPanel, patient_id: uuid.UUID) -> AlertCardRow:
    [row] = [i for i, e in enumerate(panel.entries()) if e.appointment.patient_id == patient_id]
    card = panel.model.card_at(row)
    assert isinstance(card, AlertCardRow)
    return card


def test_the_waiting_room_cards_carry_the_allergies_asked_once_per_patient(
    demo: CreatedClinic,
    qtbot: QtBot,
    seed: AgendaSeed,
    allergic: uuid.UUID,
    other: uuid.UUID,
    recorded_calls: list[str],
) -> None:
    now = datetime.now(UTC).replace(microsecond=0)
    arrive_patient(demo, seed, now, allergic)
    arrive_patient(demo, seed, now, other, seed.dentist)
    panel = WaitingRoomPanel(make_ctx(demo, "medico"))
    qtbot.addWidget(panel)
    panel.clock = lambda: now
    panel.refresh()

    card = card_of(panel, allergic)
    assert card.alert == "⚠ Allergies: Penicilina, Látex" and card.alert_kind == "danger"
    assert "Penicilina (anafilaxia, life-threatening)" in card.tooltip
    assert card.tooltip.startswith("Rosa Elena")
    assert card_of(panel, other).alert == ""
    # The allergy line makes its card taller than the one without.
    rows = {e.appointment.patient_id: i for i, e in enumerate(panel.entries())}
    view = panel.cards.view
    assert view.sizeHintForRow(rows[allergic]) > view.sizeHintForRow(rows[other])
    # One call for the whole room, one audited read per patient shown.
    assert recorded_calls == ["allergy_alerts_for"]
    assert alert_reads(demo, allergic, "medico") == 1 and alert_reads(demo, other, "medico") == 1

    panel.refresh()  # known patients are not asked for again
    assert recorded_calls == ["allergy_alerts_for"]
    assert alert_reads(demo, allergic) == 1

    add(demo, other, "Metamizol", "rash", "mild")
    settle()  # their allergies changed: asked again, for them only
    assert card_of(panel, other).alert == "⚠ Allergies: Metamizol"
    assert card_of(panel, other).alert_kind == "warning"
    assert alert_reads(demo, other, "medico") == 2 and alert_reads(demo, allergic) == 1

    third = new_patient(demo, "Lucía", "Andrade Mora")
    arrive_patient(demo, seed, now, third, seed.external)
    settle()  # the arrival refreshes the panel; only the newcomer is asked for
    assert len(panel.entries()) == 3 and card_of(panel, third).alert == ""
    assert alert_reads(demo, third, "medico") == 1
    assert alert_reads(demo, allergic) == 1 and alert_reads(demo, other) == 2


def test_reception_waiting_room_shows_no_allergy_and_asks_for_none(
    demo: CreatedClinic,
    qtbot: QtBot,
    seed: AgendaSeed,
    allergic: uuid.UUID,
    recorded_calls: list[str],
) -> None:
    now = datetime.now(UTC).replace(microsecond=0)
    arrive_patient(demo, seed, now, allergic)
    panel = WaitingRoomPanel(make_ctx(demo, "recepcion"))
    qtbot.addWidget(panel)
    panel.clock = lambda: now
    panel.refresh()
    add(demo, allergic, "Yodo", "", "mild")
    settle()

    card = card_of(panel, allergic)
    assert card.title.startswith("Rosa Elena")  # the card is there...
    assert card.alert == "" and "Allerg" not in card.tooltip  # ...without the allergies
    assert "Penicilina" not in card.tooltip
    assert recorded_calls == []
    assert alert_reads(demo, allergic) == 0


# -- the batch service ------------------------------------------------------------------------


def test_the_batch_service_answers_every_live_patient_and_refuses_reception(
    demo: CreatedClinic, allergic: uuid.UUID, other: uuid.UUID
) -> None:
    gone = new_patient(demo, "Mario", "Borrado Paz")
    add(demo, gone, "Sulfas", "", "severe")
    with demo.db.uow().transaction(SYSTEM) as session:  # no service deletes a patient
        row = session.get(Patient, gone)
        assert row is not None
        row.soft_delete(by=None)
    with pytest.raises(PermissionDenied):
        allergy_alerts_for(
            demo.db.uow(), actor=actor(demo, "recepcion"), patient_ids=[allergic, other]
        )
    assert alert_reads(demo, allergic) == 0 and alert_reads(demo, other) == 0

    found = allergy_alerts_for(
        demo.db.uow(), actor=actor(demo, "asistente"), patient_ids=[allergic, other, gone]
    )
    assert set(found) == {allergic, other}
    assert [a.substance for a in found[allergic]] == ["Penicilina", "Látex"]  # worst first
    assert found[other] == ()
    assert alert_reads(demo, allergic, "asistente") == 1
    assert alert_reads(demo, other, "asistente") == 1
    assert alert_reads(demo, gone) == 0
    assert allergy_alerts_for(demo.db.uow(), actor=actor(demo, "medico"), patient_ids=[]) == {}
