"""Moving, resizing and editing appointments (conflicts refused with nothing changed, the move
history with from, to and who, stale versions refused, finished appointments fixed in place),
the status lifecycle through `change_status` with its timestamps, the waiting room with minutes
waited, and the no-show counts reception sees when searching a patient."""

from __future__ import annotations

import uuid

import pytest
from agenda_kit import SYSTEM, Agenda

from clinic_desktop.errors import (
    ConcurrentEditError,
    InvalidTransition,
    NeedsOverride,
    NotFound,
    ValidationError,
)
from clinic_desktop.services.agenda_dto import AppointmentDTO
from clinic_desktop.services.agenda_queries import (
    get_appointment,
    no_show_count,
    patient_appointments,
    waiting_room,
)
from clinic_desktop.services.appointments import (
    change_status,
    move_appointment,
    update_appointment,
)
from clinic_desktop.services.patients import search_patients

# The agenda fixtures (`agenda`, `agenda_demo`, `madrid`) live in agenda_kit.
pytest_plugins = ["agenda_kit"]


def move(agenda: Agenda, item: AppointmentDTO, offset: int, hour: int, minute: int = 0, **kw):
    kw.setdefault("now", agenda.now)
    return move_appointment(
        agenda.uow(),
        actor=agenda.actor(kw.pop("by", "recepcion")),
        appointment_id=item.id,
        start=agenda.at(offset, hour, minute),
        **kw,
    )


def status(agenda: Agenda, item: AppointmentDTO, value: str, at=None, by="recepcion"):
    return change_status(
        agenda.uow(),
        actor=agenda.actor(by),
        appointment_id=item.id,
        status=value,
        now=at or agenda.now,
    )


def reread(agenda: Agenda, item: AppointmentDTO):
    return get_appointment(agenda.uow(), actor=SYSTEM, appointment_id=item.id)


# --- moves ------------------------------------------------------------------------------------


def test_a_move_is_saved_and_kept_in_the_history(agenda: Agenda):
    item = agenda.book(0, 9, 0, room_id=agenda.seed.room_1)
    moved = move(agenda, item, 1, 11, 15)
    dto, history = reread(agenda, item)
    assert dto == moved
    assert (dto.start, dto.end) == (agenda.at(1, 11, 15), agenda.at(1, 11, 45))
    assert dto.room_id == agenda.seed.room_1  # kept
    assert dto.version == item.version + 1
    (entry,) = history
    assert (entry.from_start, entry.from_end) == (agenda.at(0, 9), agenda.at(0, 9, 30))
    assert (entry.to_start, entry.to_end) == (agenda.at(1, 11, 15), agenda.at(1, 11, 45))
    assert entry.from_practitioner == entry.to_practitioner == "Dr. Andrés Paredes"
    assert entry.by == "Carla Mendoza"  # recepcion's full name
    assert entry.at.tzinfo is not None


def test_moving_to_another_practitioner_and_room(agenda: Agenda):
    seed = agenda.seed
    item = agenda.book(0, 9, 0, room_id=seed.room_1)
    move(agenda, item, 0, 10, practitioner_id=seed.dentist, room_id=seed.room_2)
    second = reread(agenda, item)[0]
    move(agenda, second, 0, 10, room_id=None, expected_version=second.version)
    dto, history = reread(agenda, item)
    assert dto.practitioner_id == seed.dentist and dto.room_id is None
    assert [(h.from_practitioner, h.to_practitioner) for h in history] == [
        ("Dr. Andrés Paredes", "Dra. Valeria Cedeño"),
        ("Dra. Valeria Cedeño", "Dra. Valeria Cedeño"),
    ]


@pytest.mark.parametrize(
    ("hour", "minute", "extra"),
    [
        (10, 0, {}),  # onto the other appointment
        (9, 45, {}),  # half over it
        (9, 0, {"minutes": 90}),  # resized into it
    ],
)
def test_a_move_into_a_conflict_changes_nothing(agenda: Agenda, hour, minute, extra):
    item = agenda.book(0, 9, 0)
    agenda.book(0, 10, 0, patient=1)
    before = agenda.appointments()
    with pytest.raises(ValidationError) as caught:
        move(agenda, item, 0, hour, minute, override_reason="please", **extra)
    assert not isinstance(caught.value, NeedsOverride)
    assert "Overlap" in caught.value.message
    assert agenda.appointments() == before
    assert reread(agenda, item)[1] == []


def test_a_move_into_another_practitioners_booked_time_or_room(agenda: Agenda):
    seed = agenda.seed
    item = agenda.book(0, 9, 0, room_id=seed.room_1)
    agenda.book(0, 11, 0, practitioner=seed.dentist, patient=1)
    agenda.book(0, 12, 0, practitioner=seed.external, patient=2, room_id=seed.room_1)
    with pytest.raises(ValidationError, match="practitioner already has"):
        move(agenda, item, 0, 11, practitioner_id=seed.dentist)
    with pytest.raises(ValidationError, match="room is already booked"):
        move(agenda, item, 0, 12)
    move(agenda, item, 0, 12, room_id=seed.room_2)  # the same time in another room is free
    assert reread(agenda, item)[0].start == agenda.at(0, 12)


def test_a_move_into_an_inactive_or_unknown_room_is_refused(agenda: Agenda):
    from clinic_desktop.services.schedules import save_room

    item = agenda.book(0, 9, 0, room_id=agenda.seed.room_1)
    save_room(agenda.uow(), actor=SYSTEM, name="Sillón 2", active=False, room_id=agenda.seed.room_2)
    for room in (agenda.seed.room_2, uuid.uuid4()):
        with pytest.raises(ValidationError) as caught:
            move(agenda, item, 0, 10, room_id=room)
        assert caught.value.field == "room"
    dto, history = reread(agenda, item)
    assert (dto.start, dto.room_id, history) == (agenda.at(0, 9), agenda.seed.room_1, [])
    # A room that has since been closed does not stop the appointment from moving in time.
    save_room(
        agenda.uow(), actor=SYSTEM, name="Consultorio 1", active=False, room_id=agenda.seed.room_1
    )
    assert move(agenda, item, 0, 10).room_id == agenda.seed.room_1


def test_a_move_next_to_another_appointment_and_a_resize(agenda: Agenda):
    item = agenda.book(0, 9, 0)
    agenda.book(0, 10, 0, patient=1)
    move(agenda, item, 0, 9, 30)  # ends exactly when the other starts
    resized = move(agenda, reread(agenda, item)[0], 0, 9, 15, minutes=45)
    assert (resized.start, resized.end) == (agenda.at(0, 9, 15), agenda.at(0, 10))
    assert len(reread(agenda, item)[1]) == 2


def test_a_move_to_the_same_place_records_nothing(agenda: Agenda):
    item = agenda.book(0, 9, 0)
    same = move(agenda, item, 0, 9, 0)
    assert same.version == item.version
    assert reread(agenda, item)[1] == []


def test_a_move_outside_hours_needs_an_override(agenda: Agenda):
    item = agenda.book(0, 9, 0)
    with pytest.raises(NeedsOverride):
        move(agenda, item, 0, 13, 30)
    with pytest.raises(NeedsOverride):
        move(agenda, item, 0, 10, now=agenda.at(0, 10, 30))  # into the past
    assert reread(agenda, item)[0].start == agenda.at(0, 9)
    moved = move(agenda, item, 0, 13, 30, override_reason="Único hueco")
    assert moved.override_reason == "Único hueco"
    (entry,) = agenda.audit("appointment.override")
    assert entry.entity_id == str(item.id)


@pytest.mark.parametrize(
    "path", [["arrived"], ["arrived", "in_consultation"], ["arrived", "completed"], ["no_show"]]
)
def test_started_or_finished_appointments_cannot_move(agenda: Agenda, path):
    item = agenda.book(0, 9, 0)
    for value in path:
        status(agenda, item, value, at=agenda.at(0, 9, 5))
    current = reread(agenda, item)[0]
    with pytest.raises(InvalidTransition):
        move(agenda, current, 0, 11)
    assert reread(agenda, item)[0].start == agenda.at(0, 9)
    assert reread(agenda, item)[1] == []


def test_a_cancelled_appointment_cannot_move(agenda: Agenda):
    from clinic_desktop.services.appointments import cancel_appointment

    item = agenda.book(0, 9, 0)
    cancel_appointment(
        agenda.uow(),
        actor=agenda.actor("recepcion"),
        appointment_id=item.id,
        by="clinic",
        reason="x",
        now=agenda.now,
    )
    with pytest.raises(InvalidTransition):
        move(agenda, item, 0, 11)


def test_a_stale_version_is_refused_and_nothing_changes(agenda: Agenda):
    item = agenda.book(0, 9, 0)
    move(agenda, item, 0, 10, expected_version=item.version)  # another PC moved it
    with pytest.raises(ConcurrentEditError) as caught:
        move(agenda, item, 0, 11, expected_version=item.version)
    assert caught.value.changed_by == "Carla Mendoza"
    dto, history = reread(agenda, item)
    assert dto.start == agenda.at(0, 10)
    assert len(history) == 1


def test_unknown_appointment(agenda: Agenda):
    with pytest.raises(NotFound):
        move_appointment(
            agenda.uow(),
            actor=agenda.actor("recepcion"),
            appointment_id=uuid.uuid4(),
            start=agenda.at(0, 9),
            now=agenda.now,
        )


def test_update_changes_details_and_time_together(agenda: Agenda):
    seed = agenda.seed
    item = agenda.book(0, 9, 0, type_id=seed.consult)
    updated = update_appointment(
        agenda.uow(),
        actor=agenda.actor("recepcion"),
        appointment_id=item.id,
        expected_version=item.version,
        patient_id=seed.patients[1],
        practitioner_id=seed.doctor,
        start=agenda.at(0, 15),
        minutes=45,
        room_id=seed.room_2,
        type_id=seed.cleaning,
        mode="in_person",
        reason="Limpieza",
        notes="",
        now=agenda.now,
    )
    assert (updated.patient_id, updated.type_name, updated.room_name, updated.minutes) == (
        seed.patients[1],
        "Limpieza dental",
        "Sillón 2",
        45,
    )
    assert updated.reason == "Limpieza"
    assert len(reread(agenda, item)[1]) == 1
    with pytest.raises(ConcurrentEditError):
        update_appointment(
            agenda.uow(),
            actor=agenda.actor("recepcion"),
            appointment_id=item.id,
            expected_version=item.version,
            patient_id=seed.patients[2],
            practitioner_id=seed.doctor,
            start=agenda.at(0, 9),
            minutes=30,
            room_id=None,
            type_id=None,
            mode="in_person",
            reason="",
            notes="",
            now=agenda.now,
        )
    assert reread(agenda, item)[0] == updated


def test_the_patient_cannot_change_once_they_arrived(agenda: Agenda):
    seed = agenda.seed
    item = agenda.book(0, 9, 0)
    arrived = status(agenda, item, "arrived", at=agenda.at(0, 8, 55))
    with pytest.raises(InvalidTransition):
        update_appointment(
            agenda.uow(),
            actor=agenda.actor("recepcion"),
            appointment_id=item.id,
            expected_version=arrived.version,
            patient_id=seed.patients[1],
            practitioner_id=seed.doctor,
            start=item.start,
            minutes=30,
            room_id=None,
            type_id=None,
            mode="in_person",
            reason="",
            notes="",
            now=agenda.now,
        )
    # Details can still be completed while the patient waits.
    noted = update_appointment(
        agenda.uow(),
        actor=agenda.actor("recepcion"),
        appointment_id=item.id,
        expected_version=arrived.version,
        patient_id=seed.patients[0],
        practitioner_id=seed.doctor,
        start=item.start,
        minutes=30,
        room_id=None,
        type_id=None,
        mode="in_person",
        reason="Control",
        notes="Silla de ruedas",
        now=agenda.at(0, 9),
    )
    assert (noted.patient_id, noted.notes, noted.status) == (
        seed.patients[0],
        "Silla de ruedas",
        "arrived",
    )


def test_update_into_a_conflict_changes_no_detail_either(agenda: Agenda):
    seed = agenda.seed
    item = agenda.book(0, 9, 0)
    agenda.book(0, 10, 0, patient=1)
    with pytest.raises(ValidationError):
        update_appointment(
            agenda.uow(),
            actor=agenda.actor("recepcion"),
            appointment_id=item.id,
            expected_version=item.version,
            patient_id=seed.patients[0],
            practitioner_id=seed.doctor,
            start=agenda.at(0, 10),
            minutes=30,
            room_id=None,
            type_id=None,
            mode="in_person",
            reason="Changed",
            notes="Changed",
            now=agenda.now,
        )
    assert reread(agenda, item)[0] == item


# --- status -----------------------------------------------------------------------------------


def test_the_whole_lifecycle_with_its_times(agenda: Agenda):
    item = agenda.book(0, 9, 0)
    assert status(agenda, item, "confirmed", at=agenda.now).status == "confirmed"
    arrived = status(agenda, item, "arrived", at=agenda.at(0, 8, 50))
    assert arrived.arrived_at == agenda.at(0, 8, 50)
    assert status(agenda, item, "in_consultation", at=agenda.at(0, 9, 5)).status == (
        "in_consultation"
    )
    done = status(agenda, item, "completed", at=agenda.at(0, 9, 40))
    assert done.status == "completed"
    assert done.arrived_at == agenda.at(0, 8, 50)
    assert reread(agenda, item)[0] == done


@pytest.mark.parametrize(
    ("path", "refused"),
    [
        ([], "in_consultation"),
        ([], "completed"),
        ([], "scheduled"),
        (["arrived", "completed"], "arrived"),
        (["arrived", "in_consultation"], "arrived"),
        (["no_show"], "completed"),
        (["no_show"], "confirmed"),
    ],
)
def test_refused_transitions_name_both_statuses(agenda: Agenda, path, refused):
    item = agenda.book(0, 9, 0)
    for value in path:
        status(agenda, item, value, at=agenda.at(0, 9))
    before = reread(agenda, item)[0]
    with pytest.raises(InvalidTransition) as caught:
        status(agenda, item, refused, at=agenda.at(0, 9, 10))
    assert "cannot change to" in caught.value.message
    assert reread(agenda, item)[0] == before


def test_cancelling_or_an_unknown_status_is_not_a_status_change(agenda: Agenda):
    item = agenda.book(0, 9, 0)
    with pytest.raises(InvalidTransition):
        status(agenda, item, "cancelled")
    with pytest.raises(ValidationError) as caught:
        status(agenda, item, "vanished")
    assert caught.value.field == "status"
    assert reread(agenda, item)[0].status == "scheduled"


def test_undoing_an_arrival_takes_the_patient_out_of_the_waiting_room(agenda: Agenda):
    item = agenda.book(0, 9, 0)
    status(agenda, item, "arrived", at=agenda.at(0, 8, 55))
    undone = status(agenda, item, "confirmed", at=agenda.at(0, 8, 56))
    assert undone.arrived_at is None
    assert waiting_room(agenda.uow(), actor=SYSTEM, now=agenda.at(0, 9)) == []


def test_waiting_room_lists_todays_arrivals_longest_waiting_first(agenda: Agenda):
    seed = agenda.seed
    early = agenda.book(0, 9, 0)
    later = agenda.book(0, 9, 30, practitioner=seed.dentist, patient=1)
    inside = agenda.book(0, 10, 0, patient=2)
    agenda.book(0, 11, 0, patient=3)  # not arrived
    tomorrow = agenda.book(1, 9, 0, patient=4)
    status(agenda, later, "arrived", at=agenda.at(0, 9, 20))
    status(agenda, early, "arrived", at=agenda.at(0, 8, 45))
    status(agenda, inside, "arrived", at=agenda.at(0, 9, 0))
    status(agenda, inside, "in_consultation", at=agenda.at(0, 9, 50))
    status(agenda, tomorrow, "arrived", at=agenda.at(0, 9, 0))  # early for tomorrow's
    now = agenda.at(0, 10, 0)
    room = waiting_room(agenda.uow(), actor=agenda.actor("medico"), now=now)
    assert [e.appointment.id for e in room] == [early.id, later.id]
    assert [e.waited_minutes for e in room] == [75, 40]
    assert [e.arrived_at for e in room] == [agenda.at(0, 8, 45), agenda.at(0, 9, 20)]
    mine = waiting_room(
        agenda.uow(), actor=agenda.actor("odontologa"), practitioner_ids=[seed.dentist], now=now
    )
    assert [e.appointment.id for e in mine] == [later.id]
    assert waiting_room(agenda.uow(), actor=SYSTEM, now=agenda.at(2, 10)) == []


def test_no_shows_and_late_cancellations_are_counted_for_reception(agenda: Agenda):
    from clinic_desktop.services.appointments import cancel_appointment

    patient = agenda.seed.patients[5]
    hit_before = search_patients(agenda.uow(), actor=agenda.actor("recepcion"), text="")
    assert hit_before == []
    first = agenda.book(0, 9, 0, patient=5)
    second = agenda.book(1, 9, 0, patient=5)
    third = agenda.book(2, 9, 0, patient=5)
    agenda.book(3, 9, 0, patient=5)  # still scheduled
    status(agenda, first, "no_show", at=agenda.at(0, 9, 30))
    status(agenda, second, "no_show", at=agenda.at(1, 9, 30))
    cancel_appointment(
        agenda.uow(),
        actor=agenda.actor("recepcion"),
        appointment_id=third.id,
        by="patient",
        reason="Olvidó",
        now=agenda.at(2, 8),
    )
    assert no_show_count(agenda.uow(), actor=SYSTEM, patient_id=patient) == 2
    listed = patient_appointments(agenda.uow(), actor=SYSTEM, patient_id=patient)
    assert [a.status for a in listed] == ["scheduled", "cancelled", "no_show", "no_show"]
    name = next(a.patient_name for a in listed)
    hits = search_patients(agenda.uow(), actor=agenda.actor("recepcion"), text=name)
    (hit,) = [h for h in hits if h.id == patient]
    assert (hit.no_shows, hit.late_cancellations) == (2, 1)
    others = [h for h in search_patients(agenda.uow(), actor=SYSTEM, text="a") if h.id != patient]
    assert others and all(h.no_shows == 0 for h in others)


def test_a_no_show_who_arrives_late_enters_the_waiting_room(agenda: Agenda):
    item = agenda.book(0, 9, 0)
    status(agenda, item, "no_show", at=agenda.at(0, 9, 20))
    status(agenda, item, "arrived", at=agenda.at(0, 9, 25))
    (entry,) = waiting_room(agenda.uow(), actor=SYSTEM, now=agenda.at(0, 9, 40))
    assert entry.waited_minutes == 15
    assert no_show_count(agenda.uow(), actor=SYSTEM, patient_id=agenda.seed.patients[0]) == 0
