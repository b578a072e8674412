"""The agenda's side panels against a real demo clinic with a seeded agenda: the waiting room
(arrived patients with the minutes waited, recounted by its timer, coloured by how long, and
'Start consultation'), the waitlist panel (add, remove after confirming, find a slot, refresh on
changes made elsewhere) and the override prompt the page uses. Effects are read back through
the services."""

from __future__ import annotations

from datetime import UTC, datetime, time, timedelta

import pytest
from pytestqt.qtbot import QtBot
from support.agenda_data import SYSTEM, AgendaSeed, seed_agenda
from ui.screens_helpers import make_ctx, settle

from clinic_desktop.services import agenda_queries, appointments, waitlist
from clinic_desktop.services.agenda_dto import AppointmentDTO
from clinic_desktop.services.patients import search_patients
from clinic_desktop.services.startup import CreatedClinic
from clinic_desktop.ui.agenda.override_prompt import OverrideReasonDialog
from clinic_desktop.ui.agenda.waiting_room import TICK_MS, WaitingRoomPanel
from clinic_desktop.ui.agenda.waitlist_panel import WaitlistPanel
from clinic_desktop.ui.widgets import screen_kit
from clinic_desktop.ui.widgets.forms import FieldError


@pytest.fixture
def seed(demo: CreatedClinic) -> AgendaSeed:
    return seed_agenda(demo.db)


# -- the waiting room -------------------------------------------------------------------------


def arrive(
    demo: CreatedClinic, seed: AgendaSeed, now: datetime, *, patient: int, practitioner: object
) -> AppointmentDTO:
    """An appointment today (back-entered if need be) whose patient arrived 20 minutes ago."""
    today = now.astimezone(seed.zone).date()
    start = max(
        seed.at(today, 0, 0), (now - timedelta(minutes=10)).replace(second=0, microsecond=0)
    )
    booked = appointments.book_appointment(
        demo.db.uow(),
        actor=SYSTEM,
        patient_id=seed.patients[patient],
        practitioner_id=practitioner,  # type: ignore[arg-type]
        start=start,
        minutes=30,
        override_reason="Registro de prueba",
    )
    return appointments.change_status(
        demo.db.uow(),
        actor=SYSTEM,
        appointment_id=booked.id,
        status="arrived",
        now=now - timedelta(minutes=20),
    )


def test_the_waiting_room_shows_minutes_waited_and_starts_the_consultation(
    demo: CreatedClinic, qtbot: QtBot, seed: AgendaSeed
) -> None:
    now = datetime.now(UTC).replace(microsecond=0)
    arrived = arrive(demo, seed, now, patient=2, practitioner=seed.doctor)
    panel = WaitingRoomPanel(make_ctx(demo, "recepcion"))
    qtbot.addWidget(panel)
    panel.clock = lambda: now
    panel.refresh()

    [entry] = panel.entries()
    assert entry.appointment.id == arrived.id
    card = panel.model.card_at(0)
    assert card is not None
    assert card.title == arrived.patient_name and card.badge == "20 min"
    assert card.badge_kind == "warn"  # amber after 15 minutes
    assert "1 patient waiting" in panel.summary_label.text()
    assert panel.timer.isActive() and panel.timer.interval() == TICK_MS == 30_000

    panel.clock = lambda: now + timedelta(minutes=15)
    panel.tick()
    card = panel.model.card_at(0)
    assert card is not None and card.badge == "35 min" and card.badge_kind == "danger"

    assert panel.start_button.isEnabled()  # the longest waiting is selected
    panel.start_button.click()

    reread, _moves = agenda_queries.get_appointment(
        demo.db.uow(), actor=SYSTEM, appointment_id=arrived.id
    )
    assert reread.status == "in_consultation"
    assert panel.entries() == [] and panel.cards.is_empty()
    assert panel.cards.empty_label.text() == "Nobody is waiting"


def test_the_waiting_room_filters_by_practitioner_and_follows_changes(
    demo: CreatedClinic, qtbot: QtBot, seed: AgendaSeed
) -> None:
    now = datetime.now(UTC).replace(microsecond=0)
    panel = WaitingRoomPanel(make_ctx(demo, "medico"))
    qtbot.addWidget(panel)
    panel.clock = lambda: now
    panel.set_practitioners([seed.doctor])
    assert panel.cards.is_empty()

    theirs = arrive(demo, seed, now, patient=3, practitioner=seed.dentist)
    mine = arrive(demo, seed, now, patient=4, practitioner=seed.doctor)
    settle()  # the bridge's appointments_changed refreshes the panel

    assert [e.appointment.id for e in panel.entries()] == [mine.id]
    panel.set_practitioners(None)
    assert {e.appointment.id for e in panel.entries()} == {mine.id, theirs.id}


# -- the waitlist ---------------------------------------------------------------------------------


def test_the_waitlist_panel_adds_and_removes(
    demo: CreatedClinic, qtbot: QtBot, seed: AgendaSeed, monkeypatch: pytest.MonkeyPatch
) -> None:
    panel = WaitlistPanel(make_ctx(demo, "recepcion"))
    qtbot.addWidget(panel)
    panel.refresh()
    assert panel.cards.is_empty()
    assert not panel.remove_button.isEnabled()

    dialog = panel.open_add()
    qtbot.addWidget(dialog)
    patient = search_patients(demo.db.uow(), actor=SYSTEM, text="a")[0]
    dialog.patient_picker.search(patient.full_name.split()[0])
    dialog.patient_picker.choose(
        next(h for h in dialog.patient_picker.hits() if h.id == patient.id)
    )
    dialog.practitioner_combo.setCurrentIndex(dialog.practitioner_combo.findData(str(seed.dentist)))
    dialog.weekday_checks.set_days([])
    dialog.save()  # no weekday: refused under the days
    error = dialog.findChild(FieldError, "Waitlist_weekdays_Error")
    assert error is not None and not error.isHidden()
    assert waitlist.list_waitlist(demo.db.uow(), actor=SYSTEM) == []

    dialog.weekday_checks.set_days([1, 3])
    dialog.earliest_edit.set_value(time(9, 0))
    dialog.latest_edit.set_value(time(12, 0))
    dialog.note_edit.setText("Puede venir con una hora de aviso")
    dialog.save()
    settle()

    [stored] = waitlist.list_waitlist(demo.db.uow(), actor=SYSTEM)
    assert (stored.patient_id, stored.practitioner_id) == (patient.id, seed.dentist)
    assert stored.weekdays == (1, 3) and (stored.earliest, stored.latest) == (time(9), time(12))
    assert [e.id for e in panel.entries()] == [stored.id]
    card = panel.model.card_at(0)
    assert card is not None and card.title == patient.full_name
    assert "Dra. Valeria Cedeño" in card.lines[0]
    assert "Tue, Thu, 09:00–12:00" in card.lines[1]

    assert panel.select(stored.id) and panel.remove_button.isEnabled()
    monkeypatch.setattr(screen_kit, "confirm", lambda *a: False)
    panel.remove_selected()
    assert len(waitlist.list_waitlist(demo.db.uow(), actor=SYSTEM)) == 1
    monkeypatch.setattr(screen_kit, "confirm", lambda *a: True)
    panel.remove_selected()
    assert waitlist.list_waitlist(demo.db.uow(), actor=SYSTEM) == []
    assert panel.cards.is_empty()


def test_find_a_slot_for_a_waitlist_entry_is_prefilled(
    demo: CreatedClinic, qtbot: QtBot, seed: AgendaSeed
) -> None:
    entry = waitlist.add_to_waitlist(
        demo.db.uow(),
        actor=SYSTEM,
        patient_id=seed.patients[6],
        duration_minutes=45,
        weekdays=[0, 2],
        earliest=time(8),
        latest=time(18),
        practitioner_id=seed.external,
    )
    panel = WaitlistPanel(make_ctx(demo, "recepcion"))
    qtbot.addWidget(panel)
    panel.refresh()
    assert panel.select(entry.id)
    finder = panel.find_slot()
    assert finder is not None
    qtbot.addWidget(finder)
    assert finder.duration_spin.value() == 45
    finder.search()
    assert finder.results() and {s.practitioner_id for s in finder.results()} == {seed.external}


def test_a_change_made_elsewhere_refreshes_the_waitlist(
    demo: CreatedClinic, qtbot: QtBot, seed: AgendaSeed
) -> None:
    panel = WaitlistPanel(make_ctx(demo, "recepcion"))
    qtbot.addWidget(panel)
    panel.refresh()
    entry = waitlist.add_to_waitlist(
        demo.db.uow(),
        actor=SYSTEM,
        patient_id=seed.patients[8],
        duration_minutes=30,
        weekdays=[4],
        earliest=time(8),
        latest=time(12),
    )
    settle()
    assert [e.id for e in panel.entries()] == [entry.id]
    card = panel.model.card_at(0)
    assert card is not None and card.lines[0] == "Any practitioner"


# -- the override prompt ---------------------------------------------------------------------


def test_the_override_prompt_needs_a_reason(qtbot: QtBot) -> None:
    dialog = OverrideReasonDialog(("Working hours: the practitioner does not work then.",))
    qtbot.addWidget(dialog)
    assert "Working hours" in dialog.area.problems_label.text()
    assert not dialog.ok_button.isEnabled()
    dialog.area.reason_edit.setText("   ")
    assert not dialog.ok_button.isEnabled()
    dialog.area.reason_edit.setText("  Urgencia  ")
    assert dialog.ok_button.isEnabled() and dialog.reason() == "Urgencia"
