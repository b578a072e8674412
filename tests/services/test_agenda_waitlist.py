"""Cancelling (who and why are required, a patient's short-notice cancellation is late per the
agenda.late_cancel_hours setting, the freed slot can be booked again) and the waitlist: the
entries a freed slot is offered to (practitioner or any, weekday, time window, duration), and
booking one, which moves the patient's current appointment forward or books a new one and
closes the entry."""

from __future__ import annotations

import uuid
from datetime import time, timedelta

import pytest
from agenda_kit import SYSTEM, Agenda

from clinic_desktop.errors import InvalidTransition, NotFound, ValidationError
from clinic_desktop.services.agenda_dto import AppointmentDTO, CancelResult
from clinic_desktop.services.agenda_queries import get_appointment
from clinic_desktop.services.appointments import cancel_appointment, change_status
from clinic_desktop.services.settings import update_settings
from clinic_desktop.services.waitlist import (
    add_to_waitlist,
    book_from_waitlist,
    list_waitlist,
    withdraw_from_waitlist,
)

MON, TUE, WED = 0, 1, 2

# The agenda fixtures (`agenda`, `agenda_demo`, `madrid`) live in agenda_kit.
pytest_plugins = ["agenda_kit"]


def cancel(
    agenda: Agenda, item: AppointmentDTO, *, by="patient", reason="Viaje", now=None
) -> CancelResult:
    return cancel_appointment(
        agenda.uow(),
        actor=agenda.actor("recepcion"),
        appointment_id=item.id,
        by=by,
        reason=reason,
        now=now or agenda.now,
    )


def wait(agenda: Agenda, patient: int, **kw):
    kw.setdefault("duration_minutes", 30)
    kw.setdefault("weekdays", [MON, TUE, WED])
    kw.setdefault("earliest", time(8))
    kw.setdefault("latest", time(13))
    return add_to_waitlist(
        agenda.uow(),
        actor=agenda.actor("recepcion"),
        patient_id=agenda.seed.patients[patient],
        **kw,
    )


# --- cancelling -------------------------------------------------------------------------------


def test_cancel_records_who_and_why_and_frees_the_slot(agenda: Agenda):
    item = agenda.book(0, 10, 0)
    result = cancel(agenda, item, by="clinic", reason="  Doctor en congreso ")
    stored = get_appointment(agenda.uow(), actor=SYSTEM, appointment_id=item.id)[0]
    assert stored == result.appointment
    assert (stored.status, stored.cancelled_by, stored.cancel_reason) == (
        "cancelled",
        "clinic",
        "Doctor en congreso",
    )
    assert stored.late_cancellation is False
    again = agenda.book(0, 10, 0, patient=1)
    assert [a.id for a in agenda.appointments(include_cancelled=False)] == [again.id]


@pytest.mark.parametrize(
    ("by", "reason", "field"),
    [
        ("patient", "", "cancel_reason"),
        ("patient", "   ", "cancel_reason"),
        ("nobody", "Viaje", "cancelled_by"),
    ],
)
def test_cancel_needs_who_and_why(agenda: Agenda, by, reason, field):
    item = agenda.book(0, 10, 0)
    with pytest.raises(ValidationError) as caught:
        cancel(agenda, item, by=by, reason=reason)
    assert caught.value.field == field
    assert agenda.appointments() == [item]


@pytest.mark.parametrize(
    ("by", "hours_before", "late"),
    [("patient", 2, True), ("patient", 23, True), ("patient", 25, False), ("clinic", 2, False)],
)
def test_late_cancellation_uses_the_default_window(agenda: Agenda, by, hours_before, late):
    item = agenda.book(0, 10, 0)
    now = agenda.at(0, 10) - timedelta(hours=hours_before)
    assert cancel(agenda, item, by=by, now=now).appointment.late_cancellation is late


def test_the_late_window_comes_from_the_setting(agenda: Agenda):
    update_settings(agenda.uow(), actor=SYSTEM, changes={"agenda.late_cancel_hours": 72})
    first = agenda.book(0, 10, 0)
    # Friday noon is 70 hours before Monday 10:00.
    assert cancel(agenda, first, now=agenda.now).appointment.late_cancellation is True
    update_settings(agenda.uow(), actor=SYSTEM, changes={"agenda.late_cancel_hours": 0})
    second = agenda.book(0, 11, 0)
    assert cancel(agenda, second, now=agenda.at(0, 10, 59)).appointment.late_cancellation is False


@pytest.mark.parametrize("path", [["arrived"], ["arrived", "completed"], ["no_show"]])
def test_started_finished_or_missed_appointments_cannot_be_cancelled(agenda: Agenda, path):
    item = agenda.book(0, 10, 0)
    for value in path:
        change_status(
            agenda.uow(), actor=SYSTEM, appointment_id=item.id, status=value, now=agenda.at(0, 10)
        )
    with pytest.raises(InvalidTransition):
        cancel(agenda, item)
    assert get_appointment(agenda.uow(), actor=SYSTEM, appointment_id=item.id)[0].status == path[-1]


def test_cancelling_twice_is_refused(agenda: Agenda):
    item = agenda.book(0, 10, 0)
    cancel(agenda, item, reason="first")
    with pytest.raises(InvalidTransition):
        cancel(agenda, item, reason="second")
    stored = get_appointment(agenda.uow(), actor=SYSTEM, appointment_id=item.id)[0]
    assert stored.cancel_reason == "first"


# --- waitlist offers --------------------------------------------------------------------------


def test_cancel_offers_exactly_the_matching_entries_oldest_first(agenda: Agenda):
    seed = agenda.seed
    freed = agenda.book(MON, 10, 0, minutes=30)  # patient 0, the doctor, Monday 10:00–10:30
    any_doctor = wait(agenda, 1)
    same_doctor = wait(agenda, 2, practitioner_id=seed.doctor, latest=time(10, 30))
    wait(agenda, 3, practitioner_id=seed.dentist)  # another practitioner
    wait(agenda, 4, weekdays=[TUE, WED])  # not Mondays
    wait(agenda, 5, earliest=time(10, 15))  # the slot starts too early for them
    wait(agenda, 6, latest=time(10, 20))  # 30 minutes from 10:00 would end after 10:20
    wait(agenda, 7, duration_minutes=45)  # needs more than the slot
    wait(agenda, 0)  # the patient who cancelled
    withdrawn = wait(agenda, 8)
    withdraw_from_waitlist(agenda.uow(), actor=agenda.actor("recepcion"), entry_id=withdrawn.id)
    shorter = wait(agenda, 9, duration_minutes=20, earliest=time(10), latest=time(10, 20))
    result = cancel(agenda, freed)
    assert [m.id for m in result.waitlist_matches] == [any_doctor.id, same_doctor.id, shorter.id]
    assert result.waitlist_matches[1].practitioner_name == "Dr. Andrés Paredes"
    assert result.waitlist_matches[0].practitioner_id is None


def test_an_entry_already_holding_an_earlier_appointment_is_not_offered(agenda: Agenda):
    earlier = agenda.book(MON, 9, 0, patient=1)
    later = agenda.book(WED + 7, 9, 0, patient=2)
    wait(agenda, 1, current_appointment_id=earlier.id)
    wants_earlier = wait(agenda, 2, current_appointment_id=later.id)
    freed = agenda.book(TUE, 10, 0)
    result = cancel(agenda, freed)
    assert [m.id for m in result.waitlist_matches] == [wants_earlier.id]


def test_waitlist_entries_are_validated(agenda: Agenda):
    with pytest.raises(ValidationError) as caught:
        wait(agenda, 1, duration_minutes=0)
    assert caught.value.field == "duration_minutes"
    with pytest.raises(ValidationError) as caught:
        wait(agenda, 1, weekdays=[7, -1])
    assert caught.value.field == "weekdays"
    with pytest.raises(ValidationError) as caught:
        wait(agenda, 1, earliest=time(12), latest=time(12))
    assert caught.value.field == "latest"
    with pytest.raises(ValidationError) as caught:
        add_to_waitlist(
            agenda.uow(),
            actor=SYSTEM,
            patient_id=uuid.uuid4(),
            duration_minutes=30,
            weekdays=[0],
            earliest=time(8),
            latest=time(9),
        )
    assert caught.value.field == "patient"
    assert list_waitlist(agenda.uow(), actor=SYSTEM, include_closed=True) == []


def test_list_and_withdraw(agenda: Agenda):
    first = wait(agenda, 1, note="  Prefiere   mañanas ")
    second = wait(agenda, 2)
    assert first.note == "Prefiere mañanas"
    assert first.weekdays == (MON, TUE, WED)
    assert [e.id for e in list_waitlist(agenda.uow(), actor=SYSTEM)] == [first.id, second.id]
    withdraw_from_waitlist(agenda.uow(), actor=agenda.actor("recepcion"), entry_id=first.id)
    assert [e.id for e in list_waitlist(agenda.uow(), actor=SYSTEM)] == [second.id]
    closed = list_waitlist(agenda.uow(), actor=SYSTEM, include_closed=True)
    assert {e.id: e.status for e in closed} == {first.id: "withdrawn", second.id: "waiting"}
    with pytest.raises(NotFound):
        withdraw_from_waitlist(agenda.uow(), actor=agenda.actor("recepcion"), entry_id=first.id)


# --- booking from the waitlist ----------------------------------------------------------------


def test_booking_an_entry_with_an_appointment_moves_it_forward(agenda: Agenda):
    seed = agenda.seed
    current = agenda.book(WED + 7, 15, 0, patient=1, room_id=seed.room_1)
    entry = wait(agenda, 1, current_appointment_id=current.id, duration_minutes=30)
    assert entry.current_appointment_start == current.start
    freed = agenda.book(MON, 10, 0)
    (offer,) = cancel(agenda, freed).waitlist_matches
    booked = book_from_waitlist(
        agenda.uow(),
        actor=agenda.actor("recepcion"),
        entry_id=offer.id,
        practitioner_id=seed.doctor,
        start=freed.start,
        now=agenda.now,
    )
    assert booked.id == current.id  # the same appointment, moved
    assert (booked.start, booked.end) == (agenda.at(MON, 10), agenda.at(MON, 10, 30))
    dto, history = get_appointment(agenda.uow(), actor=SYSTEM, appointment_id=current.id)
    assert dto.start == agenda.at(MON, 10)
    (move,) = history
    assert (move.from_start, move.to_start) == (agenda.at(WED + 7, 15), agenda.at(MON, 10))
    active = agenda.appointments(include_cancelled=False)
    assert [a.id for a in active] == [current.id]  # nothing left at the old time
    closed = list_waitlist(agenda.uow(), actor=SYSTEM, include_closed=True)
    assert [(e.id, e.status) for e in closed] == [(entry.id, "booked")]
    assert list_waitlist(agenda.uow(), actor=SYSTEM) == []


def test_booking_an_entry_without_an_appointment_books_a_new_one(agenda: Agenda):
    seed = agenda.seed
    entry = wait(agenda, 2, duration_minutes=45, type_id=seed.cleaning, note="Urgente")
    freed = agenda.book(MON, 10, 0, minutes=60)
    cancel(agenda, freed)
    booked = book_from_waitlist(
        agenda.uow(),
        actor=agenda.actor("recepcion"),
        entry_id=entry.id,
        practitioner_id=seed.doctor,
        start=freed.start,
        now=agenda.now,
    )
    assert booked.patient_id == seed.patients[2]
    assert (booked.minutes, booked.type_name, booked.reason) == (45, "Limpieza dental", "Urgente")
    assert [a.id for a in agenda.appointments(include_cancelled=False)] == [booked.id]
    with pytest.raises(NotFound):  # the entry is closed: it cannot be booked twice
        book_from_waitlist(
            agenda.uow(),
            actor=agenda.actor("recepcion"),
            entry_id=entry.id,
            practitioner_id=seed.doctor,
            start=agenda.at(TUE, 10),
            now=agenda.now,
        )


def test_a_current_appointment_that_already_started_is_not_moved(agenda: Agenda):
    seed = agenda.seed
    current = agenda.book(MON, 9, 0, patient=3)
    change_status(
        agenda.uow(),
        actor=SYSTEM,
        appointment_id=current.id,
        status="no_show",
        now=agenda.at(MON, 9, 30),
    )
    entry = wait(agenda, 3, current_appointment_id=current.id)
    booked = book_from_waitlist(
        agenda.uow(),
        actor=agenda.actor("recepcion"),
        entry_id=entry.id,
        practitioner_id=seed.doctor,
        start=agenda.at(TUE, 10),
        now=agenda.now,
    )
    assert booked.id != current.id
    stored = get_appointment(agenda.uow(), actor=SYSTEM, appointment_id=current.id)[0]
    assert (stored.status, stored.start) == ("no_show", agenda.at(MON, 9))


def test_booking_into_a_taken_slot_leaves_the_entry_waiting(agenda: Agenda):
    seed = agenda.seed
    current = agenda.book(WED, 9, 0, patient=1)
    entry = wait(agenda, 1, current_appointment_id=current.id)
    agenda.book(MON, 10, 0, patient=4)
    with pytest.raises(ValidationError):
        book_from_waitlist(
            agenda.uow(),
            actor=agenda.actor("recepcion"),
            entry_id=entry.id,
            practitioner_id=seed.doctor,
            start=agenda.at(MON, 10),
            now=agenda.now,
        )
    assert [e.status for e in list_waitlist(agenda.uow(), actor=SYSTEM)] == ["waiting"]
    stored, history = get_appointment(agenda.uow(), actor=SYSTEM, appointment_id=current.id)
    assert stored.start == agenda.at(WED, 9) and history == []


def test_an_entry_must_name_real_records_and_the_patients_own_appointment(agenda: Agenda):
    theirs = agenda.book(WED + 7, 9, 0, patient=1)
    someone_elses = agenda.book(WED + 7, 10, 0, patient=2)
    with pytest.raises(ValidationError) as caught:
        wait(agenda, 1, current_appointment_id=someone_elses.id)
    assert caught.value.field == "current_appointment"
    with pytest.raises(ValidationError) as caught:
        wait(agenda, 1, current_appointment_id=uuid.uuid4())
    assert caught.value.field == "current_appointment"
    with pytest.raises(ValidationError) as caught:
        wait(agenda, 1, practitioner_id=uuid.uuid4())
    assert caught.value.field == "practitioner"
    with pytest.raises(ValidationError) as caught:
        wait(agenda, 1, type_id=uuid.uuid4())
    assert caught.value.field == "type"
    assert list_waitlist(agenda.uow(), actor=SYSTEM, include_closed=True) == []
    entry = wait(agenda, 1, current_appointment_id=theirs.id, practitioner_id=agenda.seed.doctor)
    assert entry.current_appointment_start == theirs.start


def test_a_slot_that_already_started_is_offered_to_nobody(agenda: Agenda):
    wait(agenda, 1, weekdays=[MON], earliest=time(8), latest=time(13))
    missed = agenda.book(MON, 10, 0)
    # The patient phones at 10:10 to say they will not come: the slot is gone for everyone.
    result = cancel(agenda, missed, now=agenda.at(MON, 10, 10))
    assert result.appointment.status == "cancelled"
    assert result.waitlist_matches == ()
    upcoming = agenda.book(MON, 11, 0)
    assert len(cancel(agenda, upcoming, now=agenda.at(MON, 10, 10)).waitlist_matches) == 1
