"""Setting up the calendar: weekly hours (an overlap or an end before the start is refused,
naming the day), date exceptions, clinic closures, rooms, appointment types (colour, duration,
mode) and practitioners (one account per practitioner), the accounts that may be linked, and
their effect on the agenda's working time."""

from __future__ import annotations

import uuid
from datetime import time

import pytest
from agenda_kit import SYSTEM, Agenda

from clinic_desktop.errors import ConcurrentEditError, NotFound, PermissionDenied, ValidationError
from clinic_desktop.services.agenda_dto import HoursInterval
from clinic_desktop.services.agenda_queries import agenda_range
from clinic_desktop.services.schedules import (
    add_closure,
    add_exception,
    get_working_hours,
    list_appointment_types,
    list_closures,
    list_exceptions,
    list_practitioner_accounts,
    list_practitioners,
    list_rooms,
    remove_closure,
    remove_exception,
    save_appointment_type,
    save_practitioner,
    save_room,
    set_working_hours,
)
from clinic_desktop.services.users import set_user_disabled

H = HoursInterval

# The agenda fixtures (`agenda`, `agenda_demo`, `madrid`) live in agenda_kit.
pytest_plugins = ["agenda_kit"]


def hours(agenda: Agenda, intervals, by="recepcion"):
    return set_working_hours(
        agenda.uow(), actor=agenda.actor(by), practitioner_id=agenda.seed.external, hours=intervals
    )


# --- weekly hours -----------------------------------------------------------------------------


def test_a_new_week_replaces_the_old_one(agenda: Agenda):
    week = [H(1, time(15), time(19)), H(1, time(8), time(12)), H(5, time(9), time(13))]
    saved = hours(agenda, week)
    assert saved == [H(1, time(8), time(12)), H(1, time(15), time(19)), H(5, time(9), time(13))]
    assert (
        get_working_hours(agenda.uow(), actor=SYSTEM, practitioner_id=agenda.seed.external) == saved
    )
    schedules = agenda_range(
        agenda.uow(),
        actor=SYSTEM,
        first_day=agenda.day(0),
        last_day=agenda.day(6),
        practitioner_ids=[agenda.seed.external],
    ).schedules
    open_days = {s.day.weekday(): len(s.open) for s in schedules if s.open}
    assert open_days == {1: 2, 5: 1}


@pytest.mark.parametrize(
    ("week", "text"),
    [
        (
            [H(2, time(9), time(13)), H(2, time(12), time(16))],
            "Hours on Wednesday: two intervals overlap.",
        ),
        (
            [H(0, time(9), time(13)), H(4, time(13), time(9))],
            "Hours on Friday: the end must be after",
        ),
        ([H(6, time(9), time(9))], "Hours on Sunday: the end must be after"),
        ([H(7, time(9), time(10))], "Weekday: unknown day."),
    ],
)
def test_bad_hours_name_the_day_and_change_nothing(agenda: Agenda, week, text):
    before = get_working_hours(agenda.uow(), actor=SYSTEM, practitioner_id=agenda.seed.external)
    with pytest.raises(ValidationError) as caught:
        hours(agenda, week)
    assert text in caught.value.message
    assert caught.value.field == "hours"
    after = get_working_hours(agenda.uow(), actor=SYSTEM, practitioner_id=agenda.seed.external)
    assert after == before


def test_touching_intervals_are_fine(agenda: Agenda):
    saved = hours(agenda, [H(0, time(9), time(13)), H(0, time(13), time(17))])
    assert len(saved) == 2
    agenda.book(0, 12, 30, minutes=60, practitioner=agenda.seed.external)


def test_hours_need_schedule_manage_and_a_real_practitioner(agenda: Agenda):
    with pytest.raises(PermissionDenied):
        hours(agenda, [H(0, time(9), time(10))], by="asistente")
    with pytest.raises(NotFound):
        set_working_hours(
            agenda.uow(),
            actor=SYSTEM,
            practitioner_id=uuid.uuid4(),
            hours=[H(0, time(9), time(10))],
        )
    assert (
        len(get_working_hours(agenda.uow(), actor=SYSTEM, practitioner_id=agenda.seed.external))
        == 10
    )


# --- exceptions and closures ------------------------------------------------------------------


@pytest.mark.parametrize(
    ("kw", "field"),
    [
        ({"kind": "holiday"}, "kind"),
        ({"kind": "off", "start": time(9)}, "end"),
        ({"kind": "off", "end": time(9)}, "end"),
        ({"kind": "extra"}, "start"),
        ({"kind": "extra", "start": time(12), "end": time(10)}, "end"),
        ({"kind": "off", "start": time(12), "end": time(12)}, "end"),
    ],
)
def test_bad_exceptions_are_refused(agenda: Agenda, kw, field):
    with pytest.raises(ValidationError) as caught:
        add_exception(
            agenda.uow(), actor=SYSTEM, practitioner_id=agenda.seed.doctor, day=agenda.day(0), **kw
        )
    assert caught.value.field == field
    assert list_exceptions(agenda.uow(), actor=SYSTEM) == []


def test_exceptions_are_listed_and_removed(agenda: Agenda):
    seed = agenda.seed
    off = add_exception(
        agenda.uow(),
        actor=agenda.actor("recepcion"),
        practitioner_id=seed.doctor,
        day=agenda.day(1),
        kind="off",
        note="  Congreso  médico ",
    )
    extra = add_exception(
        agenda.uow(),
        actor=SYSTEM,
        practitioner_id=seed.dentist,
        day=agenda.day(5),
        kind="extra",
        start=time(9),
        end=time(12),
    )
    assert off.note == "Congreso médico"
    assert list_exceptions(agenda.uow(), actor=SYSTEM) == [off, extra]
    assert list_exceptions(agenda.uow(), actor=SYSTEM, practitioner_id=seed.dentist) == [extra]
    assert list_exceptions(agenda.uow(), actor=SYSTEM, from_day=agenda.day(2)) == [extra]
    remove_exception(agenda.uow(), actor=SYSTEM, exception_id=off.id)
    assert list_exceptions(agenda.uow(), actor=SYSTEM) == [extra]
    agenda.book(1, 10, 0)  # the day off is gone
    with pytest.raises(NotFound):
        remove_exception(agenda.uow(), actor=SYSTEM, exception_id=off.id)
    with pytest.raises(PermissionDenied):
        add_exception(
            agenda.uow(),
            actor=agenda.actor("asistente"),
            practitioner_id=seed.doctor,
            day=agenda.day(2),
            kind="off",
        )


def test_closures_are_validated_listed_shown_and_removed(agenda: Agenda):
    with pytest.raises(ValidationError) as caught:
        add_closure(
            agenda.uow(),
            actor=SYSTEM,
            first_day=agenda.day(2),
            last_day=agenda.day(1),
            reason="x",
        )
    assert caught.value.field == "last_day"
    with pytest.raises(ValidationError) as caught:
        add_closure(
            agenda.uow(),
            actor=SYSTEM,
            first_day=agenda.day(1),
            last_day=agenda.day(2),
            reason="   ",
        )
    assert caught.value.field == "reason"
    assert list_closures(agenda.uow(), actor=SYSTEM) == []
    closure = add_closure(
        agenda.uow(),
        actor=agenda.actor("recepcion"),
        first_day=agenda.day(1),
        last_day=agenda.day(2),
        reason="Fiestas  de Quito",
    )
    assert list_closures(agenda.uow(), actor=SYSTEM) == [closure]
    shown = agenda_range(
        agenda.uow(), actor=SYSTEM, first_day=agenda.day(0), last_day=agenda.day(3)
    )
    assert shown.closed_days == {
        agenda.day(1): "Clinic closed: Fiestas de Quito",
        agenda.day(2): "Clinic closed: Fiestas de Quito",
    }
    assert all(not s.open for s in shown.schedules if s.day in shown.closed_days)
    assert all(s.open for s in shown.schedules if s.day not in shown.closed_days)
    remove_closure(agenda.uow(), actor=SYSTEM, closure_id=closure.id)
    assert list_closures(agenda.uow(), actor=SYSTEM) == []
    agenda.book(2, 10, 0)


# --- rooms and types --------------------------------------------------------------------------


def test_rooms_are_saved_renamed_and_deactivated(agenda: Agenda):
    with pytest.raises(ValidationError) as caught:
        save_room(agenda.uow(), actor=SYSTEM, name="  ")
    assert caught.value.field == "name"
    with pytest.raises(ValidationError):
        save_room(agenda.uow(), actor=SYSTEM, name="x" * 81)
    room = save_room(agenda.uow(), actor=agenda.actor("recepcion"), name=" Sala   3 ", sort_order=3)
    assert room.name == "Sala 3"
    renamed = save_room(
        agenda.uow(),
        actor=SYSTEM,
        name="Sala 3B",
        sort_order=3,
        room_id=room.id,
        expected_version=room.version,
    )
    with pytest.raises(ConcurrentEditError):
        save_room(
            agenda.uow(),
            actor=SYSTEM,
            name="Sala X",
            room_id=room.id,
            expected_version=room.version,
        )
    save_room(
        agenda.uow(),
        actor=SYSTEM,
        name="Sala 3B",
        active=False,
        room_id=room.id,
        expected_version=renamed.version,
    )
    assert [r.name for r in list_rooms(agenda.uow(), actor=SYSTEM)] == ["Consultorio 1", "Sillón 2"]
    every = list_rooms(agenda.uow(), actor=SYSTEM, include_inactive=True)
    assert ("Sala 3B", False) in [(r.name, r.active) for r in every]
    with pytest.raises(PermissionDenied):
        save_room(agenda.uow(), actor=agenda.actor("asistente"), name="Sala 4")


@pytest.mark.parametrize(
    ("kw", "field"),
    [
        ({"colour": "red"}, "colour"),
        ({"colour": "#12345"}, "colour"),
        ({"colour": "#GGGGGG"}, "colour"),
        ({"colour": "#1234567"}, "colour"),
        ({"duration_minutes": 4}, "duration_minutes"),
        ({"duration_minutes": 721}, "duration_minutes"),
        ({"mode": "video"}, "mode"),
        ({"name": " "}, "name"),
    ],
)
def test_bad_appointment_types_are_refused(agenda: Agenda, kw, field):
    values = {"name": "Control", "duration_minutes": 20, "colour": "#0f766e"} | kw
    with pytest.raises(ValidationError) as caught:
        save_appointment_type(agenda.uow(), actor=SYSTEM, **values)
    assert caught.value.field == field
    assert len(list_appointment_types(agenda.uow(), actor=SYSTEM, include_inactive=True)) == 3


def test_appointment_types_are_saved_and_edited(agenda: Agenda):
    made = save_appointment_type(
        agenda.uow(),
        actor=SYSTEM,
        name="Control",
        duration_minutes=20,
        colour="#0f766e",
        mode="telemedicine",
    )
    assert (made.colour, made.mode, made.duration_minutes) == ("#0F766E", "telemedicine", 20)
    edited = save_appointment_type(
        agenda.uow(),
        actor=SYSTEM,
        name="Control breve",
        duration_minutes=15,
        colour="#0F766E",
        active=False,
        type_id=made.id,
        expected_version=made.version,
    )
    names = [t.name for t in list_appointment_types(agenda.uow(), actor=SYSTEM)]
    assert names == ["Consulta", "Limpieza dental", "Videoconsulta"]
    every = list_appointment_types(agenda.uow(), actor=SYSTEM, include_inactive=True)
    assert edited in every and edited.mode == "in_person"


# --- practitioners ----------------------------------------------------------------------------


def test_practitioners_are_listed_in_order(agenda: Agenda):
    listed = list_practitioners(agenda.uow(), actor=agenda.actor("asistente"))
    assert [(p.display_name, p.username) for p in listed] == [
        ("Dr. Andrés Paredes", "medico"),
        ("Dra. Valeria Cedeño", "odontologa"),
        ("Dr. Tomás Ruiz", None),
    ]


def test_one_account_per_practitioner(agenda: Agenda):
    accounts = {u: i for i, u, _n in list_practitioner_accounts(agenda.uow(), actor=SYSTEM)}
    with pytest.raises(ValidationError) as caught:
        save_practitioner(
            agenda.uow(), actor=SYSTEM, display_name="Otro", user_id=accounts["medico"]
        )
    assert caught.value.field == "user_id"
    with pytest.raises(ValidationError) as caught:
        save_practitioner(agenda.uow(), actor=SYSTEM, display_name="Otro", user_id=uuid.uuid4())
    assert caught.value.field == "user_id"
    # Re-saving the practitioner who holds the account keeps it.
    current = list_practitioners(agenda.uow(), actor=SYSTEM)[0]
    kept = save_practitioner(
        agenda.uow(),
        actor=SYSTEM,
        display_name="Dr. Andrés Paredes M.",
        colour="#2563eb",
        user_id=accounts["medico"],
        practitioner_id=current.id,
        expected_version=current.version,
    )
    assert (kept.username, kept.colour) == ("medico", "#2563EB")
    with pytest.raises(ValidationError) as caught:
        save_practitioner(agenda.uow(), actor=SYSTEM, display_name=" ")
    assert caught.value.field == "display_name"
    with pytest.raises(ValidationError) as caught:
        save_practitioner(agenda.uow(), actor=SYSTEM, display_name="Dr. X", colour="blue")
    assert caught.value.field == "colour"
    assert len(list_practitioners(agenda.uow(), actor=SYSTEM, include_inactive=True)) == 3


def test_an_inactive_practitioner_leaves_the_agenda_and_cannot_be_booked(agenda: Agenda):
    external = next(
        p for p in list_practitioners(agenda.uow(), actor=SYSTEM) if p.id == agenda.seed.external
    )
    save_practitioner(
        agenda.uow(),
        actor=SYSTEM,
        display_name=external.display_name,
        active=False,
        practitioner_id=external.id,
    )
    assert agenda.seed.external not in [
        p.id for p in list_practitioners(agenda.uow(), actor=SYSTEM)
    ]
    with pytest.raises(ValidationError) as caught:
        agenda.book(0, 9, 0, practitioner=agenda.seed.external)
    assert caught.value.field == "practitioner"


def test_the_accounts_that_may_be_linked_are_doctors_and_owners(agenda: Agenda):
    listed = list_practitioner_accounts(agenda.uow(), actor=agenda.actor("recepcion"))
    assert sorted(u for _i, u, _n in listed) == ["duena", "medico", "odontologa"]
    names = [n for _i, _u, n in listed]
    assert names == sorted(names)
    set_user_disabled(
        agenda.uow(), actor=SYSTEM, user_id=agenda.actor("odontologa").user_id, disabled=True
    )
    listed = list_practitioner_accounts(agenda.uow(), actor=SYSTEM)
    assert sorted(u for _i, u, _n in listed) == ["duena", "medico"]
    with pytest.raises(PermissionDenied):
        list_practitioner_accounts(agenda.uow(), actor=agenda.actor("asistente"))
