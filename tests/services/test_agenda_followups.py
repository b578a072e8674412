"""Follow-ups found while the screens were built: a patient fetched by id with their counts, a
waitlist entry closed as booked by an appointment made by hand, "this and the following" with
an override, no-shows only once the appointment has started, and search text taken literally."""

from __future__ import annotations

from datetime import time

import pytest
from agenda_kit import SYSTEM, Agenda

from clinic_desktop.errors import InvalidTransition, NeedsOverride, ValidationError
from clinic_desktop.services.agenda_queries import get_appointment
from clinic_desktop.services.appointments import change_status
from clinic_desktop.services.patients import get_patient_hit, search_patients
from clinic_desktop.services.series import book_series, shift_following
from clinic_desktop.services.waitlist import add_to_waitlist, close_waitlist_entry, list_waitlist

pytest_plugins = ["agenda_kit"]


def test_a_patient_by_id_carries_their_no_shows(agenda: Agenda):
    item = agenda.book(0, 9, patient=2)
    change_status(
        agenda.uow(),
        actor=agenda.actor("recepcion"),
        appointment_id=item.id,
        status="no_show",
        now=agenda.at(0, 9, 40),
    )
    hit = get_patient_hit(agenda.uow(), actor=SYSTEM, patient_id=agenda.seed.patients[2])
    assert hit.id == agenda.seed.patients[2] and hit.no_shows == 1
    assert hit.full_name == item.patient_name


def test_no_show_is_refused_before_the_appointment_starts(agenda: Agenda):
    item = agenda.book(0, 10)
    with pytest.raises(InvalidTransition):
        change_status(
            agenda.uow(),
            actor=agenda.actor("recepcion"),
            appointment_id=item.id,
            status="no_show",
            now=agenda.at(0, 9, 59),
        )
    dto, _moves = get_appointment(agenda.uow(), actor=SYSTEM, appointment_id=item.id)
    assert dto.status == "scheduled"


def test_an_entry_closes_as_booked_only_with_its_own_patients_appointment(agenda: Agenda):
    entry = add_to_waitlist(
        agenda.uow(),
        actor=agenda.actor("recepcion"),
        patient_id=agenda.seed.patients[4],
        duration_minutes=30,
        weekdays=[0, 1, 2, 3, 4],
        earliest=time(8),
        latest=time(18),
    )
    someone_else = agenda.book(0, 11, patient=5)
    with pytest.raises(ValidationError):
        close_waitlist_entry(
            agenda.uow(), actor=SYSTEM, entry_id=entry.id, appointment_id=someone_else.id
        )
    theirs = agenda.book(0, 12, patient=4)
    close_waitlist_entry(agenda.uow(), actor=SYSTEM, entry_id=entry.id, appointment_id=theirs.id)
    closed = {e.id: e for e in list_waitlist(agenda.uow(), actor=SYSTEM, include_closed=True)}
    assert closed[entry.id].status == "booked"


def test_this_and_following_can_be_overridden_by_someone_who_manages_schedules(agenda: Agenda):
    result = book_series(
        agenda.uow(),
        actor=agenda.actor("recepcion"),
        patient_id=agenda.seed.patients[1],
        practitioner_id=agenda.seed.doctor,
        first_day=agenda.day(0),
        at=time(11),
        minutes=30,
        unit="week",
        interval=1,
        count=3,
        now=agenda.now,
    )
    second = result.booked[1]
    late = agenda.at(7, 19, 30)  # after hours
    with pytest.raises(NeedsOverride):
        shift_following(
            agenda.uow(),
            actor=agenda.actor("recepcion"),
            appointment_id=second.id,
            new_start=late,
            minutes=30,
            now=agenda.now,
        )
    moved = shift_following(
        agenda.uow(),
        actor=agenda.actor("recepcion"),
        appointment_id=second.id,
        new_start=late,
        minutes=30,
        override_reason="Only evening works for the patient",
        now=agenda.now,
    )
    assert [a.start for a in moved] == [late, agenda.at(14, 19, 30)]
    assert all(a.override_reason for a in moved)


def test_search_takes_wildcards_literally(agenda: Agenda):
    assert search_patients(agenda.uow(), actor=SYSTEM, text="%") == []
    assert search_patients(agenda.uow(), actor=SYSTEM, text="_") == []
