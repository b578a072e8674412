"""The agenda's dialogs against a real demo clinic with a small seeded agenda: booking through
the appointment dialog, refusals shown under the field at fault (nothing saved), the override
area for whoever manages schedules and the plain refusal for an assistant, quick-creating a
patient, series with their per-occurrence preview, editing 'this and the following ones',
cancelling with the waitlist offer, and the free-slot finder. Every effect is read back
through the services."""

from __future__ import annotations

import uuid
from datetime import date, time, timedelta

import pytest
from PySide6.QtWidgets import QDialog
from pytestqt.qtbot import QtBot
from support.agenda_data import SYSTEM, AgendaSeed, next_monday, seed_agenda
from ui.screens_helpers import make_ctx, settle

from clinic_desktop.services import agenda_queries, appointments, series, waitlist
from clinic_desktop.services.agenda_dto import AppointmentDTO, PatientHit, SeriesResult
from clinic_desktop.services.patient_admin import list_patients
from clinic_desktop.services.patients import get_patient_hit
from clinic_desktop.services.startup import CreatedClinic
from clinic_desktop.ui.agenda import cancel_dialog
from clinic_desktop.ui.agenda.appointment_dialog import AppointmentDialog
from clinic_desktop.ui.agenda.cancel_dialog import CancelDialog
from clinic_desktop.ui.agenda.slot_finder import SlotFinderDialog
from clinic_desktop.ui.context import UiContext
from clinic_desktop.ui.widgets.forms import FieldError


@pytest.fixture
def seed(demo: CreatedClinic) -> AgendaSeed:
    return seed_agenda(demo.db)


@pytest.fixture
def day() -> date:
    monday: date = next_monday()
    return monday


def hits(demo: CreatedClinic) -> list[PatientHit]:
    """Every demo patient as the booking search shows them, in list order."""
    patients, _total = list_patients(demo.db.uow(), actor=SYSTEM, limit=50)
    return [get_patient_hit(demo.db.uow(), actor=SYSTEM, patient_id=p.id) for p in patients]


def day_appointments(
    demo: CreatedClinic, first: date, last: date | None = None
) -> list[AppointmentDTO]:
    rng = agenda_queries.agenda_range(
        demo.db.uow(), actor=SYSTEM, first_day=first, last_day=last or first
    )
    return list(rng.appointments)


def open_dialog(qtbot: QtBot, ctx: UiContext, **options: object) -> AppointmentDialog:
    dialog = AppointmentDialog(ctx, **options)  # type: ignore[arg-type]
    qtbot.addWidget(dialog)
    return dialog


def pick(dialog: AppointmentDialog, hit: PatientHit) -> None:
    """Types part of the name into the search box and takes the matching result."""
    picker = dialog.form.patient_picker
    picker.search(hit.full_name.split()[0])
    chosen = next(h for h in picker.hits() if h.id == hit.id)
    picker.choose(chosen)


def book(
    demo: CreatedClinic, seed: AgendaSeed, day: date, hour: int, minute: int = 0, patient: int = 0
) -> AppointmentDTO:
    return appointments.book_appointment(
        demo.db.uow(),
        actor=SYSTEM,
        patient_id=seed.patients[patient],
        practitioner_id=seed.doctor,
        start=seed.at(day, hour, minute),
        minutes=30,
    )


# -- booking ----------------------------------------------------------------------------------


def test_booking_through_the_dialog_saves_every_field(
    demo: CreatedClinic, qtbot: QtBot, seed: AgendaSeed, day: date
) -> None:
    ctx = make_ctx(demo, "recepcion")
    dialog = open_dialog(qtbot, ctx, practitioner_id=seed.doctor, start=seed.at(day, 10))
    patient = hits(demo)[0]
    pick(dialog, patient)
    assert dialog.form.patient_picker.name_label.text() == patient.full_name
    form = dialog.form
    form.apply_type(seed.cleaning)
    assert form.duration_spin.value() == 45  # the type's usual duration
    form.room_combo.setCurrentIndex(form.room_combo.findData(str(seed.room_2)))
    form.reason_edit.setText("Limpieza semestral")
    form.notes_edit.setPlainText("Trae radiografías")
    saved: list[object] = []
    dialog.saved.connect(saved.append)

    dialog.save()

    assert dialog.result() == QDialog.DialogCode.Accepted
    [appointment] = day_appointments(demo, day)
    assert saved == [appointment]
    assert appointment.patient_id == patient.id
    assert appointment.practitioner_id == seed.doctor
    assert appointment.start == seed.at(day, 10)
    assert appointment.minutes == 45
    assert (appointment.type_id, appointment.room_id) == (seed.cleaning, seed.room_2)
    assert (appointment.reason, appointment.notes) == ("Limpieza semestral", "Trae radiografías")


def test_a_patient_with_no_shows_shows_the_warning(
    demo: CreatedClinic, qtbot: QtBot, seed: AgendaSeed, day: date
) -> None:
    patient = hits(demo)[1]
    for week in (1, 2):
        missed = appointments.book_appointment(
            demo.db.uow(),
            actor=SYSTEM,
            patient_id=patient.id,
            practitioner_id=seed.doctor,
            start=seed.at(day - timedelta(weeks=week), 10),
            minutes=30,
            override_reason="Registro atrasado",
        )
        appointments.change_status(
            demo.db.uow(), actor=SYSTEM, appointment_id=missed.id, status="no_show"
        )
    dialog = open_dialog(qtbot, make_ctx(demo, "recepcion"), start=seed.at(day, 10))
    pick(dialog, patient)
    warning = dialog.form.patient_picker.warning_label
    assert not warning.isHidden()
    assert "2 no-shows" in warning.text()


def test_an_overlap_is_shown_under_the_time_and_nothing_is_saved(
    demo: CreatedClinic, qtbot: QtBot, seed: AgendaSeed, day: date
) -> None:
    existing = book(demo, seed, day, 10)
    dialog = open_dialog(
        qtbot, make_ctx(demo, "recepcion"), practitioner_id=seed.doctor, start=seed.at(day, 10, 15)
    )
    pick(dialog, hits(demo)[2])
    saved: list[object] = []
    dialog.saved.connect(saved.append)

    dialog.save()

    assert not saved and dialog.result() != QDialog.DialogCode.Accepted
    error = dialog.form.time_error
    assert not error.isHidden() and "overlap" in error.text().lower()
    assert dialog.form.time_edit.property("invalid") == "true"
    assert [a.id for a in day_appointments(demo, day)] == [existing.id]


def test_outside_hours_reception_books_with_a_reason(
    demo: CreatedClinic, qtbot: QtBot, seed: AgendaSeed, day: date
) -> None:
    dialog = open_dialog(
        qtbot, make_ctx(demo, "recepcion"), practitioner_id=seed.doctor, start=seed.at(day, 20)
    )
    pick(dialog, hits(demo)[0])

    dialog.save()

    override = dialog.override
    assert override.active and override.problems
    assert "hours" in override.problems_label.text().lower()
    assert dialog.save_button.text() == "Book anyway"
    assert day_appointments(demo, day) == []

    dialog.save()  # no reason yet: refused in place
    assert not override.reason_error.isHidden()
    assert day_appointments(demo, day) == []

    override.reason_edit.setText("El doctor se queda hasta tarde")
    dialog.save()

    assert dialog.result() == QDialog.DialogCode.Accepted
    [appointment] = day_appointments(demo, day)
    assert appointment.override_reason == "El doctor se queda hasta tarde"
    assert appointment.start == seed.at(day, 20)


def test_changing_the_time_withdraws_the_override(
    demo: CreatedClinic, qtbot: QtBot, seed: AgendaSeed, day: date
) -> None:
    dialog = open_dialog(
        qtbot, make_ctx(demo, "recepcion"), practitioner_id=seed.doctor, start=seed.at(day, 20)
    )
    pick(dialog, hits(demo)[0])
    dialog.save()
    assert dialog.override.active
    dialog.form.time_edit.set_value(time(11, 0))
    assert not dialog.override.active
    dialog.save()
    [appointment] = day_appointments(demo, day)
    assert appointment.start == seed.at(day, 11) and appointment.override_reason is None


def test_outside_hours_an_assistant_is_told_and_nothing_is_saved(
    demo: CreatedClinic, qtbot: QtBot, seed: AgendaSeed, day: date
) -> None:
    dialog = open_dialog(
        qtbot, make_ctx(demo, "asistente"), practitioner_id=seed.doctor, start=seed.at(day, 20)
    )
    pick(dialog, hits(demo)[0])

    dialog.save()

    assert not dialog.override.active
    assert dialog.banner.kind == "error"
    assert "manages schedules" in dialog.banner.text()
    assert dialog.result() != QDialog.DialogCode.Accepted
    assert day_appointments(demo, day) == []


def test_quick_create_a_patient_then_book(
    demo: CreatedClinic, qtbot: QtBot, seed: AgendaSeed, day: date
) -> None:
    dialog = open_dialog(
        qtbot, make_ctx(demo, "recepcion"), practitioner_id=seed.doctor, start=seed.at(day, 9)
    )
    picker = dialog.form.patient_picker
    picker.search("Lucía Zambrano")
    assert picker.hits() == [] and not picker.empty_label.isHidden()
    quick = picker.open_quick_create()
    assert quick.first_names_edit.text() == "Lucía"  # taken from what was typed
    assert quick.last_names_edit.text() == "Zambrano"
    quick.phone_edit.setText("12")
    quick.save()
    phone_error = quick.findChild(FieldError, "QuickPatient_phone_Error")
    assert phone_error is not None and "Phone" in phone_error.text()
    assert picker.patient() is None

    quick.phone_edit.setText("099 555 1234")
    quick.save()

    created = picker.patient()
    assert created is not None and created.full_name == "Lucía Zambrano"
    dialog.save()
    [appointment] = day_appointments(demo, day)
    assert appointment.patient_id == created.id
    assert appointment.patient_name == "Lucía Zambrano"
    assert appointment.patient_phone == "099 555 1234"


def test_editing_uses_the_loaded_version(
    demo: CreatedClinic, qtbot: QtBot, seed: AgendaSeed, day: date
) -> None:
    appointment = book(demo, seed, day, 10)
    dialog = open_dialog(qtbot, make_ctx(demo, "recepcion"), appointment=appointment)
    assert dialog.form.reason_edit.text() == ""
    assert dialog.form.patient_picker.patient_id() == appointment.patient_id
    dialog.form.reason_edit.setText("Dolor de cabeza")
    dialog.form.time_edit.set_value(time(11, 30))
    dialog.save()
    [changed] = day_appointments(demo, day)
    assert changed.reason == "Dolor de cabeza" and changed.start == seed.at(day, 11, 30)

    stale = open_dialog(qtbot, make_ctx(demo, "recepcion"), appointment=appointment)
    stale.form.reason_edit.setText("Otra cosa")
    stale.save()
    assert stale.banner.kind == "warn"
    [unchanged] = day_appointments(demo, day)
    assert unchanged.reason == "Dolor de cabeza"


def test_an_arrived_appointment_keeps_its_time(
    demo: CreatedClinic, qtbot: QtBot, seed: AgendaSeed, day: date
) -> None:
    appointment = book(demo, seed, day, 10)
    arrived = appointments.change_status(
        demo.db.uow(), actor=SYSTEM, appointment_id=appointment.id, status="arrived"
    )
    dialog = open_dialog(qtbot, make_ctx(demo, "recepcion"), appointment=arrived)
    form = dialog.form
    assert not form.time_edit.isEnabled() and not form.date_edit.isEnabled()
    assert not form.duration_spin.isEnabled() and not form.practitioner_combo.isEnabled()
    assert "Arrived" in dialog.status_label.text()
    form.notes_edit.setPlainText("Viene acompañado")
    dialog.save()
    [saved] = day_appointments(demo, day)
    assert saved.notes == "Viene acompañado" and saved.status == "arrived"


# -- series -----------------------------------------------------------------------------------


def test_series_preview_lists_the_conflict_and_skipping_books_the_rest(
    demo: CreatedClinic, qtbot: QtBot, seed: AgendaSeed, day: date
) -> None:
    blocker = book(demo, seed, day + timedelta(weeks=2), 10, 15, patient=5)
    dialog = open_dialog(
        qtbot, make_ctx(demo, "recepcion"), practitioner_id=seed.doctor, start=seed.at(day, 10)
    )
    patient = hits(demo)[0]
    pick(dialog, patient)
    repeat = dialog.repeat
    assert not repeat.is_on() and repeat.body.isHidden()  # collapsed by default
    repeat.set_open(True)
    repeat.count_spin.setValue(4)
    assert repeat.weekday_checks.days() == (day.weekday(),)

    dialog.check_dates()

    rows = repeat.preview_rows()
    assert len(rows) == 4
    assert [r[2] for r in rows[:2] + rows[3:]] == ["Free", "Free", "Free"]
    assert "overlap" in rows[2][2].lower()
    assert "1 with a problem" in repeat.summary_label.text()

    dialog.save()  # without skipping: refused, nothing booked
    assert not repeat.error_label.isHidden()
    assert [a.id for a in day_appointments(demo, day, day + timedelta(weeks=4))] == [blocker.id]

    repeat.skip_check.setChecked(True)
    results: list[object] = []
    dialog.saved.connect(results.append)
    dialog.save()

    [result] = results
    assert isinstance(result, SeriesResult)
    assert len(result.booked) == 3 and len(result.skipped) == 1
    mine = [
        a
        for a in day_appointments(demo, day, day + timedelta(weeks=4))
        if a.patient_id == patient.id
    ]
    assert sorted(a.start for a in mine) == [
        seed.at(day + timedelta(weeks=w), 10) for w in (0, 1, 3)
    ]
    assert {a.series_id for a in mine} == {result.series_id}


def book_weekly(demo: CreatedClinic, seed: AgendaSeed, day: date) -> list[AppointmentDTO]:
    result = series.book_series(
        demo.db.uow(),
        actor=SYSTEM,
        patient_id=seed.patients[3],
        practitioner_id=seed.doctor,
        first_day=day,
        at=time(10, 0),
        minutes=30,
        unit="week",
        interval=1,
        count=4,
    )
    return sorted(result.booked, key=lambda a: a.start)


def starts(demo: CreatedClinic, ids: list[uuid.UUID], day: date) -> list[object]:
    found = {a.id: a for a in day_appointments(demo, day, day + timedelta(weeks=4))}
    return [found[i].start for i in ids]


def test_editing_this_and_the_following_ones_shifts_the_later_occurrences(
    demo: CreatedClinic, qtbot: QtBot, seed: AgendaSeed, day: date
) -> None:
    booked = book_weekly(demo, seed, day)
    dialog = open_dialog(qtbot, make_ctx(demo, "recepcion"), appointment=booked[1])
    assert not dialog.scope_box.isHidden() and dialog.repeat.isHidden()
    dialog.form.time_edit.set_value(time(11, 0))
    dialog.form.reason_edit.setText("Control de serie")
    dialog.following_radio.setChecked(True)
    results: list[object] = []
    dialog.saved.connect(results.append)

    dialog.save()

    assert isinstance(results[0], list) and len(results[0]) == 3
    assert starts(demo, [a.id for a in booked], day) == [
        seed.at(day, 10),
        seed.at(day + timedelta(weeks=1), 11),
        seed.at(day + timedelta(weeks=2), 11),
        seed.at(day + timedelta(weeks=3), 11),
    ]
    edited = next(
        a for a in day_appointments(demo, day, day + timedelta(weeks=4)) if a.id == booked[1].id
    )
    assert edited.reason == "Control de serie"


def test_editing_only_this_occurrence_leaves_the_others(
    demo: CreatedClinic, qtbot: QtBot, seed: AgendaSeed, day: date
) -> None:
    booked = book_weekly(demo, seed, day)
    dialog = open_dialog(qtbot, make_ctx(demo, "recepcion"), appointment=booked[1])
    dialog.form.time_edit.set_value(time(11, 0))
    assert dialog.only_this_radio.isChecked()  # the default
    dialog.save()
    assert starts(demo, [a.id for a in booked], day) == [
        seed.at(day, 10),
        seed.at(day + timedelta(weeks=1), 11),
        seed.at(day + timedelta(weeks=2), 10),
        seed.at(day + timedelta(weeks=3), 10),
    ]


# -- cancelling and the waitlist offer -----------------------------------------------------------


def test_cancelling_offers_the_waitlist_and_booking_fills_the_slot(
    demo: CreatedClinic,
    qtbot: QtBot,
    seed: AgendaSeed,
    day: date,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    appointment = book(demo, seed, day, 10)
    waiting_patient = seed.patients[7]
    entry = waitlist.add_to_waitlist(
        demo.db.uow(),
        actor=SYSTEM,
        patient_id=waiting_patient,
        duration_minutes=30,
        weekdays=[day.weekday()],
        earliest=time(8, 0),
        latest=time(12, 0),
        practitioner_id=seed.doctor,
    )
    offered: list[QDialog] = []
    monkeypatch.setattr(cancel_dialog, "open_offer", offered.append)
    dialog = CancelDialog(make_ctx(demo, "recepcion"), appointment)
    qtbot.addWidget(dialog)

    dialog.confirm()  # no reason: refused under the field
    reason_error = dialog.findChild(FieldError, "CancelReasonError")
    assert reason_error is not None and not reason_error.isHidden()
    assert day_appointments(demo, day)[0].status == "scheduled"

    dialog.reason_edit.setText("Viaje de trabajo")
    dialog.confirm()

    cancelled = agenda_queries.get_appointment(
        demo.db.uow(), actor=SYSTEM, appointment_id=appointment.id
    )[0]
    assert (cancelled.status, cancelled.cancelled_by) == ("cancelled", "patient")
    offer = dialog.offer_dialog
    assert offer is not None and offered == [offer]
    assert offer.objectName() == "WaitlistOfferDialog"
    assert [e.id for e in offer.entries()] == [entry.id]
    assert offer.model.data(offer.model.index(0, 0)) == entry.patient_name
    qtbot.addWidget(offer)

    offer.book(entry.id)

    [filled] = day_appointments(demo, day)
    assert filled.patient_id == waiting_patient and filled.start == seed.at(day, 10)
    assert waitlist.list_waitlist(demo.db.uow(), actor=SYSTEM) == []


def test_the_late_cancellation_hint(
    demo: CreatedClinic, qtbot: QtBot, seed: AgendaSeed, day: date
) -> None:
    appointment = book(demo, seed, day, 10)
    dialog = CancelDialog(make_ctx(demo, "recepcion"), appointment)
    qtbot.addWidget(dialog)
    assert dialog.late_label.isHidden()  # next Monday is more than 24 h away
    dialog.clock = lambda: appointment.start - timedelta(hours=3)
    dialog.by_clinic_radio.setChecked(True)
    assert dialog.late_label.isHidden()  # the clinic's own cancellation never counts
    dialog.by_patient_radio.setChecked(True)
    assert not dialog.late_label.isHidden() and "24 hours" in dialog.late_label.text()


def test_cancelling_this_and_the_following_occurrences(
    demo: CreatedClinic, qtbot: QtBot, seed: AgendaSeed, day: date
) -> None:
    booked = book_weekly(demo, seed, day)
    dialog = CancelDialog(make_ctx(demo, "recepcion"), booked[2])
    qtbot.addWidget(dialog)
    dialog.by_clinic_radio.setChecked(True)
    dialog.following_radio.setChecked(True)
    dialog.reason_edit.setText("El doctor estará de vacaciones")
    dialog.confirm()
    left = day_appointments(demo, day, day + timedelta(weeks=4))
    assert sorted(a.id for a in left) == sorted(a.id for a in booked[:2])


# -- the free-slot finder ------------------------------------------------------------------------


def test_the_slot_finder_returns_free_slots_and_a_booked_one_disappears(
    demo: CreatedClinic, qtbot: QtBot, seed: AgendaSeed, day: date
) -> None:
    book(demo, seed, day, 9)
    finder = SlotFinderDialog(make_ctx(demo, "recepcion"), minutes=30)
    qtbot.addWidget(finder)
    finder.set_practitioner(seed.doctor)
    finder.from_edit.setDate(finder.from_edit.date().addDays((day - date.today()).days))

    finder.search()

    slots = finder.results()
    assert len(slots) == 10
    assert {s.practitioner_id for s in slots} == {seed.doctor}
    assert seed.at(day, 9) not in [s.start for s in slots]  # taken
    first = slots[0]
    assert first.start == seed.at(day, 9, 30)
    chosen: list[object] = []
    finder.slot_chosen.connect(chosen.append)

    booking = finder.book(first)
    qtbot.addWidget(booking)
    assert chosen == [first]
    assert booking.form.start() == first.start and booking.form.duration_spin.value() == 30
    pick(booking, hits(demo)[4])
    booking.save()

    assert first.start in [a.start for a in day_appointments(demo, day)]
    assert first.start not in [s.start for s in finder.results()]  # searched again


def test_the_slot_finder_keeps_to_the_afternoon(
    demo: CreatedClinic, qtbot: QtBot, seed: AgendaSeed, day: date
) -> None:
    finder = SlotFinderDialog(make_ctx(demo, "recepcion"), minutes=45)
    qtbot.addWidget(finder)
    finder.from_edit.setDate(finder.from_edit.date().addDays((day - date.today()).days))
    finder.time_combo.setCurrentIndex(finder.time_combo.findData("afternoon"))
    finder.count_spin.setValue(5)
    finder.search()
    slots = finder.results()
    assert len(slots) == 5
    assert all(s.start.astimezone(seed.zone).hour >= 13 for s in slots)
    assert {s.practitioner_id for s in slots} <= {seed.doctor, seed.dentist, seed.external}
    settle()
