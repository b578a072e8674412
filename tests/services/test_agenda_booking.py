"""Booking appointments through `book_appointment`: overlaps per practitioner and per room are
refused while touching edges and other practitioners are fine; bad times and unknown records
name their field; outside hours, breaks, closures, holidays, time off and the past need an
override that only schedule.manage may give (with a reason, audited); extra hours open a
Saturday. Every refusal leaves the agenda as it was."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime, time, timedelta

import pytest
from agenda_kit import SYSTEM, Agenda, next_weekday_holiday

from clinic_desktop.errors import NeedsOverride, PermissionDenied, ValidationError
from clinic_desktop.services.appointments import (
    book_appointment,
    clean_times,
    minutes_between,
)
from clinic_desktop.services.schedules import (
    add_closure,
    add_exception,
    save_appointment_type,
    save_room,
)

# The agenda fixtures (`agenda`, `agenda_demo`, `madrid`) live in agenda_kit.
pytest_plugins = ["agenda_kit"]


def test_a_booking_is_saved_with_its_details(agenda: Agenda):
    seed = agenda.seed
    made = agenda.book(
        0,
        9,
        0,
        minutes=20,
        room_id=seed.room_1,
        type_id=seed.video,
        reason="  Control  ",
        notes="Trae exámenes",
    )
    (stored,) = agenda.appointments()
    assert stored == made
    assert stored.start == agenda.at(0, 9) and stored.end == agenda.at(0, 9, 20)
    assert stored.start.tzinfo is not None and stored.start.utcoffset() == timedelta(0)
    assert stored.status == "scheduled"
    assert stored.mode == "telemedicine"  # from the type
    assert (stored.reason, stored.notes) == ("Control", "Trae exámenes")
    assert (stored.room_name, stored.type_name) == ("Consultorio 1", "Videoconsulta")
    assert stored.practitioner_name == "Dr. Andrés Paredes"
    assert stored.override_reason is None


@pytest.mark.parametrize(
    ("hour", "minute", "minutes"),
    [(9, 0, 30), (9, 15, 30), (8, 45, 30), (9, 10, 10), (8, 30, 120), (9, 29, 5)],
)
def test_an_overlap_for_the_practitioner_is_refused(agenda: Agenda, hour, minute, minutes):
    agenda.book(0, 9, 0, minutes=30)
    before = agenda.appointments()
    with pytest.raises(ValidationError) as caught:
        agenda.book(0, hour, minute, minutes=minutes, patient=1, override_reason="urgent")
    assert not isinstance(caught.value, NeedsOverride)  # never overridable
    assert caught.value.field == "start"
    assert "Overlap" in caught.value.message and "09:00–09:30" in caught.value.message
    assert agenda.appointments() == before


def test_touching_edges_do_not_clash(agenda: Agenda):
    agenda.book(0, 10, 0)
    agenda.book(0, 9, 30, patient=1)  # ends when the first starts
    agenda.book(0, 10, 30, patient=2)  # starts when the first ends
    assert [agenda.local(a.start) for a in agenda.appointments()] == [
        "Mon 09:30",
        "Mon 10:00",
        "Mon 10:30",
    ]


def test_another_practitioner_at_the_same_time_is_fine(agenda: Agenda):
    agenda.book(0, 9, 0, practitioner=agenda.seed.doctor)
    agenda.book(0, 9, 0, practitioner=agenda.seed.dentist, patient=1)
    assert len(agenda.appointments()) == 2


def test_a_room_cannot_hold_two_appointments_at_once(agenda: Agenda):
    seed = agenda.seed
    agenda.book(0, 9, 0, room_id=seed.room_1)
    with pytest.raises(ValidationError, match="room is already booked 09:00–09:30"):
        agenda.book(0, 9, 15, practitioner=seed.dentist, patient=1, room_id=seed.room_1)
    assert len(agenda.appointments()) == 1
    agenda.book(0, 9, 15, practitioner=seed.dentist, patient=1, room_id=seed.room_2)
    agenda.book(0, 9, 30, practitioner=seed.external, patient=2, room_id=seed.room_1)
    agenda.book(0, 9, 0, practitioner=seed.external, patient=3, minutes=30, room_id=None)
    assert len(agenda.appointments()) == 4


def test_cancelled_and_no_show_appointments_free_their_slot(agenda: Agenda):
    from clinic_desktop.services.appointments import cancel_appointment, change_status

    first = agenda.book(0, 9, 0)
    second = agenda.book(0, 10, 0)
    cancel_appointment(
        agenda.uow(),
        actor=agenda.actor("recepcion"),
        appointment_id=first.id,
        by="patient",
        reason="Viaje",
        now=agenda.now,
    )
    change_status(
        agenda.uow(),
        actor=agenda.actor("recepcion"),
        appointment_id=second.id,
        status="no_show",
        now=agenda.at(0, 10, 20),
    )
    agenda.book(0, 9, 0, patient=1)
    agenda.book(0, 10, 0, patient=2)
    assert len(agenda.appointments()) == 4
    active = agenda.appointments(include_cancelled=False)  # neither cancelled nor no-show
    assert sorted(a.patient_id for a in active) == sorted(agenda.seed.patients[1:3])


@pytest.mark.parametrize("minutes", [0, -15, 12 * 60 + 1])
def test_zero_negative_or_overlong_durations_are_refused(agenda: Agenda, minutes):
    with pytest.raises(ValidationError) as caught:
        agenda.book(0, 9, 0, minutes=minutes)
    assert caught.value.field == "duration"
    assert "Duration" in caught.value.message
    assert agenda.appointments() == []


def test_end_at_or_before_start_is_refused():
    start = datetime(2026, 3, 2, 14, 0, tzinfo=UTC)
    for end in (start, start - timedelta(minutes=30)):
        with pytest.raises(ValidationError) as caught:
            minutes_between(start, end)
        assert caught.value.field == "end"
    assert minutes_between(start, start + timedelta(minutes=45)) == 45


def test_clean_times_drops_seconds_and_refuses_naive_times():
    start = datetime(2026, 3, 2, 14, 0, 42, 5, tzinfo=UTC)
    assert clean_times(start, 30) == (
        datetime(2026, 3, 2, 14, 0, tzinfo=UTC),
        datetime(2026, 3, 2, 14, 30, tzinfo=UTC),
    )
    with pytest.raises(ValueError):
        clean_times(datetime(2026, 3, 2, 9, 0), 30)


def test_unknown_or_inactive_records_name_their_field(agenda: Agenda):
    seed = agenda.seed
    with pytest.raises(ValidationError) as caught:
        book_appointment(
            agenda.uow(),
            actor=agenda.actor("recepcion"),
            patient_id=uuid.uuid4(),
            practitioner_id=seed.doctor,
            start=agenda.at(0, 9),
            minutes=30,
            now=agenda.now,
        )
    assert caught.value.field == "patient"
    with pytest.raises(ValidationError) as caught:
        agenda.book(0, 9, 0, practitioner=uuid.uuid4())
    assert caught.value.field == "practitioner"
    save_room(agenda.uow(), actor=SYSTEM, name="Consultorio 1", active=False, room_id=seed.room_1)
    with pytest.raises(ValidationError) as caught:
        agenda.book(0, 9, 0, room_id=seed.room_1)
    assert caught.value.field == "room"
    with pytest.raises(ValidationError) as caught:
        agenda.book(0, 9, 0, type_id=uuid.uuid4())
    assert caught.value.field == "type"
    with pytest.raises(ValidationError) as caught:
        agenda.book(0, 9, 0, mode="phone")
    assert caught.value.field == "mode"
    assert agenda.appointments() == []


def test_reason_and_notes_have_limits(agenda: Agenda):
    with pytest.raises(ValidationError) as caught:
        agenda.book(0, 9, 0, reason="x" * 301)
    assert caught.value.field == "reason"
    with pytest.raises(ValidationError) as caught:
        agenda.book(0, 9, 0, notes="x" * 2001)
    assert caught.value.field == "notes"
    assert agenda.appointments() == []


# --- rules that need an override --------------------------------------------------------------


def _closure_on_tuesday(agenda: Agenda) -> None:
    add_closure(
        agenda.uow(),
        actor=SYSTEM,
        first_day=agenda.day(1),
        last_day=agenda.day(1),
        reason="Inventario",
    )


def _whole_day_off(agenda: Agenda) -> None:
    add_exception(
        agenda.uow(),
        actor=SYSTEM,
        practitioner_id=agenda.seed.doctor,
        day=agenda.day(1),
        kind="off",
        note="Congreso",
    )


def _part_day_off(agenda: Agenda) -> None:
    add_exception(
        agenda.uow(),
        actor=SYSTEM,
        practitioner_id=agenda.seed.doctor,
        day=agenda.day(1),
        kind="off",
        start=time(10),
        end=time(12),
    )


CASES = {
    "before hours": (None, 0, 8, 30, 30, "Working hours"),
    "after hours": (None, 0, 19, 0, 30, "Working hours"),
    "in the lunch break": (None, 0, 13, 30, 30, "Working hours"),
    "across the lunch break": (None, 0, 12, 45, 30, "Working hours"),
    "running past the end": (None, 0, 18, 45, 30, "Working hours"),
    "on a saturday": (None, 5, 10, 0, 30, "Working hours"),
    "on a closure": (_closure_on_tuesday, 1, 10, 0, 30, "Clinic closed: Inventario"),
    "on a whole day off": (_whole_day_off, 1, 10, 0, 30, "Working hours"),
    "in part-day time off": (_part_day_off, 1, 11, 0, 30, "Working hours"),
}


@pytest.mark.parametrize("case", list(CASES))
def test_rules_that_need_an_override_save_nothing(agenda: Agenda, case):
    prepare, offset, hour, minute, minutes, text = CASES[case]
    if prepare:
        prepare(agenda)
    with pytest.raises(NeedsOverride) as caught:
        agenda.book(offset, hour, minute, minutes=minutes)
    assert caught.value.field == "start"
    assert any(text in problem for problem in caught.value.problems), caught.value.problems
    assert text in caught.value.message
    assert agenda.appointments() == []


def test_part_day_time_off_leaves_the_rest_of_the_day_open(agenda: Agenda):
    _part_day_off(agenda)
    agenda.book(1, 9, 0, minutes=60)  # 09:00–10:00 touches the time off
    agenda.book(1, 12, 0, minutes=60)
    assert len(agenda.appointments()) == 2


def test_a_public_holiday_needs_an_override(agenda: Agenda):
    holiday = next_weekday_holiday()
    start = agenda.seed.at(holiday, 10)
    actor = agenda.actor("recepcion")
    with pytest.raises(NeedsOverride) as caught:
        book_appointment(
            agenda.uow(),
            actor=actor,
            patient_id=agenda.seed.patients[0],
            practitioner_id=agenda.seed.doctor,
            start=start,
            minutes=30,
            now=start - timedelta(days=3),
        )
    assert [p for p in caught.value.problems if p.startswith("Holiday: ")], caught.value.problems
    made = book_appointment(
        agenda.uow(),
        actor=actor,
        patient_id=agenda.seed.patients[0],
        practitioner_id=agenda.seed.doctor,
        start=start,
        minutes=30,
        now=start - timedelta(days=3),
        override_reason="Urgencia",
    )
    (entry,) = agenda.audit("appointment.override")
    assert entry.entity_id == str(made.id)
    assert "holiday" in entry.changes


def test_booking_in_the_past_needs_an_override(agenda: Agenda):
    with pytest.raises(NeedsOverride) as caught:
        agenda.book(0, 9, 0, now=agenda.at(0, 9, 1))
    assert any("past" in p for p in caught.value.problems)
    assert agenda.appointments() == []
    # A back-entry of something that already happened, by someone who manages schedules.
    made = agenda.book(0, 9, 0, now=agenda.at(0, 12), override_reason="Registro tardío")
    assert made.override_reason == "Registro tardío"


def test_the_current_minute_is_not_the_past(agenda: Agenda):
    made = agenda.book(0, 9, 0, now=agenda.at(0, 9, 0))
    assert made.override_reason is None


def test_reception_overrides_with_a_reason_and_it_is_audited(agenda: Agenda):
    made = agenda.book(0, 19, 0, override_reason="  Paciente  viaja mañana ")
    (stored,) = agenda.appointments()
    assert stored.id == made.id
    assert stored.override_reason == "Paciente viaja mañana"
    (entry,) = agenda.audit("appointment.override")
    assert entry.entity == "Appointment" and entry.entity_id == str(made.id)
    assert entry.user_name == "recepcion"
    assert "outside_hours" in entry.changes and "Paciente viaja mañana" in entry.changes


def test_several_broken_rules_are_all_named(agenda: Agenda):
    _closure_on_tuesday(agenda)
    with pytest.raises(NeedsOverride) as caught:
        agenda.book(1, 10, 0, now=agenda.at(1, 12))
    assert len(caught.value.problems) == 2
    assert any("Clinic closed" in p for p in caught.value.problems)
    assert any("past" in p for p in caught.value.problems)


def test_a_blank_override_reason_is_refused(agenda: Agenda):
    with pytest.raises(ValidationError) as caught:
        agenda.book(0, 19, 0, override_reason="   ")
    assert caught.value.field == "override_reason"
    assert agenda.appointments() == []
    assert agenda.audit("appointment.override") == []


def test_the_assistant_may_book_but_not_override(agenda: Agenda):
    agenda.book(0, 9, 0, by="asistente")
    with pytest.raises(PermissionDenied):
        agenda.book(0, 19, 0, by="asistente", override_reason="Please")
    assert len(agenda.appointments()) == 1
    assert agenda.audit("appointment.override") == []


def test_an_override_reason_is_not_stored_when_no_rule_was_broken(agenda: Agenda):
    made = agenda.book(0, 9, 0, override_reason="just in case")
    assert made.override_reason is None
    assert agenda.audit("appointment.override") == []


def test_extra_hours_open_a_saturday(agenda: Agenda):
    add_exception(
        agenda.uow(),
        actor=SYSTEM,
        practitioner_id=agenda.seed.doctor,
        day=agenda.day(5),
        kind="extra",
        start=time(8),
        end=time(12),
        note="Campaña",
    )
    made = agenda.book(5, 8, 0, minutes=60)
    assert made.override_reason is None
    with pytest.raises(NeedsOverride):
        agenda.book(5, 11, 45, minutes=30, patient=1)  # runs past the extra hours
    with pytest.raises(NeedsOverride):
        agenda.book(5, 9, 0, practitioner=agenda.seed.dentist, patient=2)  # not hers
    assert len(agenda.appointments()) == 1


def test_extra_hours_extend_a_weekday_evening(agenda: Agenda):
    add_exception(
        agenda.uow(),
        actor=SYSTEM,
        practitioner_id=agenda.seed.doctor,
        day=agenda.day(2),
        kind="extra",
        start=time(19),
        end=time(21),
    )
    agenda.book(2, 18, 30, minutes=60)  # straddles the regular end and the extra hours
    assert len(agenda.appointments()) == 1


def test_the_type_sets_the_mode_unless_given(agenda: Agenda):
    seed = agenda.seed
    assert agenda.book(0, 9, 0, type_id=seed.consult).mode == "in_person"
    assert agenda.book(0, 10, 0, type_id=seed.video, mode="in_person").mode == "in_person"
    assert agenda.book(0, 11, 0).mode == "in_person"
    inactive = save_appointment_type(
        agenda.uow(),
        actor=SYSTEM,
        name="Antigua",
        duration_minutes=30,
        colour="#111111",
        active=False,
    )
    with pytest.raises(ValidationError) as caught:
        agenda.book(0, 12, 0, type_id=inactive.id)
    assert caught.value.field == "type"
