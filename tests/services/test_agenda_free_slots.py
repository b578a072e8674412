"""The free-slot finder: only openings that are really free (no appointment, inside working
hours and outside breaks, not on a closure, holiday or time off, not in the past), on the step
grid, for one practitioner or any, within a time-of-day preference, the first N in order; and
every slot it offers can then be booked without an override."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest
from agenda_kit import SYSTEM, Agenda, madrid_agenda, next_weekday_holiday

from clinic_desktop.errors import ValidationError
from clinic_desktop.services.agenda_queries import find_free_slots
from clinic_desktop.services.appointments import book_appointment, cancel_appointment
from clinic_desktop.services.schedules import add_closure, add_exception
from clinic_desktop.services.settings import update_settings

# The agenda fixtures (`agenda`, `agenda_demo`, `madrid`) live in agenda_kit.
pytest_plugins = ["agenda_kit"]


def find(agenda: Agenda, **kw):
    kw.setdefault("minutes", 30)
    kw.setdefault("practitioner_id", agenda.seed.doctor)
    kw.setdefault("from_day", agenda.day(0))
    kw.setdefault("now", agenda.now)
    kw.setdefault("limit", 5)
    return find_free_slots(agenda.uow(), actor=agenda.actor("recepcion"), **kw)


def starts(agenda: Agenda, slots) -> list[str]:
    return [agenda.local(s.start) for s in slots]


def test_an_empty_morning_on_the_step_grid(agenda: Agenda):
    slots = find(agenda)
    assert starts(agenda, slots) == [
        "Mon 09:00",
        "Mon 09:15",
        "Mon 09:30",
        "Mon 09:45",
        "Mon 10:00",
    ]
    assert all(s.end - s.start == timedelta(minutes=30) for s in slots)
    assert {s.practitioner_name for s in slots} == {"Dr. Andrés Paredes"}


def test_the_step_comes_from_the_setting(agenda: Agenda):
    update_settings(agenda.uow(), actor=SYSTEM, changes={"agenda.slot_minutes": 30})
    assert starts(agenda, find(agenda, limit=3)) == ["Mon 09:00", "Mon 09:30", "Mon 10:00"]


def test_booked_time_is_skipped_and_touching_edges_are_offered(agenda: Agenda):
    agenda.book(0, 9, 0, minutes=60)
    agenda.book(0, 10, 30, minutes=30, patient=1)
    # 10:00–10:30 fits exactly between the two; 10:15 would overlap the second.
    assert starts(agenda, find(agenda, limit=3)) == ["Mon 10:00", "Mon 11:00", "Mon 11:15"]


def test_cancelled_appointments_do_not_block(agenda: Agenda):
    item = agenda.book(0, 9, 0, minutes=60)
    cancel_appointment(
        agenda.uow(), actor=SYSTEM, appointment_id=item.id, by="clinic", reason="x", now=agenda.now
    )
    assert starts(agenda, find(agenda, limit=1)) == ["Mon 09:00"]


def test_the_past_is_never_offered(agenda: Agenda):
    slots = find(agenda, now=agenda.at(0, 10, 7), limit=2)
    assert starts(agenda, slots) == ["Mon 10:15", "Mon 10:30"]
    # Asking from an earlier day does not bring back the past.
    assert starts(agenda, find(agenda, from_day=agenda.day(-7), now=agenda.at(0, 18, 40))) == [
        "Tue 09:00",
        "Tue 09:15",
        "Tue 09:30",
        "Tue 09:45",
        "Tue 10:00",
    ]


def test_breaks_and_the_end_of_the_day(agenda: Agenda):
    slots = find(agenda, minutes=60, earliest=time(11, 30), latest=time(16), limit=20)
    # 12:00–13:00 is the last morning hour; 12:15 would run into the lunch break.
    assert starts(agenda, slots[:6]) == [
        "Mon 11:30",
        "Mon 11:45",
        "Mon 12:00",
        "Mon 15:00",
        "Mon 15:15",
        "Mon 15:30",
    ]
    evening = find(agenda, minutes=45, earliest=time(18), limit=3)
    assert starts(agenda, evening) == ["Mon 18:00", "Mon 18:15", "Tue 18:00"]


def test_time_of_day_preference(agenda: Agenda):
    slots = find(agenda, earliest=time(15), latest=time(16), limit=10)
    assert starts(agenda, slots) == [
        "Mon 15:00",
        "Mon 15:15",
        "Mon 15:30",
        "Mon 15:45",
        "Tue 15:00",
        "Tue 15:15",
        "Tue 15:30",
        "Tue 15:45",
        "Wed 15:00",
        "Wed 15:15",
    ]


def test_any_practitioner_is_ordered_by_time_then_name(agenda: Agenda):
    seed = agenda.seed
    agenda.book(0, 9, 0, practitioner=seed.doctor, minutes=30)
    slots = find(agenda, practitioner_id=None, limit=5)
    assert [(agenda.local(s.start), s.practitioner_name) for s in slots] == [
        ("Mon 09:00", "Dr. Tomás Ruiz"),
        ("Mon 09:00", "Dra. Valeria Cedeño"),
        ("Mon 09:15", "Dr. Tomás Ruiz"),
        ("Mon 09:15", "Dra. Valeria Cedeño"),
        ("Mon 09:30", "Dr. Andrés Paredes"),
    ]


def test_closures_and_time_off_are_skipped(agenda: Agenda):
    seed = agenda.seed
    add_closure(
        agenda.uow(),
        actor=SYSTEM,
        first_day=agenda.day(0),
        last_day=agenda.day(1),
        reason="Fumigación",
    )
    add_exception(
        agenda.uow(),
        actor=SYSTEM,
        practitioner_id=seed.doctor,
        day=agenda.day(2),
        kind="off",
    )
    add_exception(
        agenda.uow(),
        actor=SYSTEM,
        practitioner_id=seed.doctor,
        day=agenda.day(3),
        kind="off",
        start=time(9),
        end=time(12),
    )
    assert starts(agenda, find(agenda, limit=2)) == ["Thu 12:00", "Thu 12:15"]
    anyone = find(agenda, practitioner_id=None, limit=1)
    assert [(agenda.local(s.start), s.practitioner_id) for s in anyone] == [
        ("Wed 09:00", seed.external)
    ]


def test_extra_hours_are_offered(agenda: Agenda):
    add_exception(
        agenda.uow(),
        actor=SYSTEM,
        practitioner_id=agenda.seed.doctor,
        day=agenda.day(-2),
        kind="extra",
        start=time(10),
        end=time(11),
    )
    slots = find(agenda, from_day=agenda.day(-2), now=agenda.at(-3, 12), limit=4)
    assert starts(agenda, slots) == ["Sat 10:00", "Sat 10:15", "Sat 10:30", "Mon 09:00"]


def test_public_holidays_are_skipped(agenda: Agenda):
    holiday = next_weekday_holiday()
    slots = find_free_slots(
        agenda.uow(),
        actor=SYSTEM,
        minutes=30,
        practitioner_id=agenda.seed.doctor,
        from_day=holiday,
        now=agenda.seed.at(holiday - timedelta(days=1), 20),
        limit=1,
    )
    (slot,) = slots
    assert slot.start.astimezone(agenda.seed.zone).date() > holiday


def test_every_offered_slot_can_be_booked_without_an_override(agenda: Agenda):
    agenda.book(0, 9, 30, minutes=45)
    agenda.book(0, 11, 0, practitioner=agenda.seed.dentist, patient=1)
    slots = find(agenda, practitioner_id=None, minutes=40, limit=40)
    assert len(slots) == 40
    assert slots == sorted(slots, key=lambda s: (s.start, s.practitioner_name))
    # Book every slot that does not overlap one already taken from this list.
    taken: list = []
    for slot in slots:
        if any(
            t.practitioner_id == slot.practitioner_id and t.start < slot.end and slot.start < t.end
            for t in taken
        ):
            continue
        index = len(taken)
        taken.append(slot)
        made = book_appointment(
            agenda.uow(),
            actor=agenda.actor("asistente"),
            patient_id=agenda.seed.patients[index],
            practitioner_id=slot.practitioner_id,
            start=slot.start,
            minutes=40,
            now=agenda.now,
        )
        assert made.override_reason is None
    assert len(taken) >= 10


def test_the_search_stops_at_its_horizon(agenda: Agenda):
    for offset in range(5):
        add_exception(
            agenda.uow(),
            actor=SYSTEM,
            practitioner_id=agenda.seed.doctor,
            day=agenda.day(offset),
            kind="off",
        )
    assert find(agenda, weeks=1) == []
    assert starts(agenda, find(agenda, weeks=2, limit=1)) == ["Mon 09:00"]


@pytest.mark.parametrize(
    ("kw", "field"),
    [({"minutes": 0}, "duration"), ({"earliest": time(12), "latest": time(11)}, "latest")],
)
def test_bad_requests_name_their_field(agenda: Agenda, kw, field):
    with pytest.raises(ValidationError) as caught:
        find(agenda, **kw)
    assert caught.value.field == field


def test_slots_on_the_madrid_spring_change_day_follow_the_wall_clock(madrid):
    doctor, _patient = madrid_agenda(madrid)
    change_day = date(2026, 3, 29)  # clocks jump from 02:00 to 03:00
    add_exception(
        madrid.db.uow(),
        actor=SYSTEM,
        practitioner_id=doctor,
        day=change_day,
        kind="extra",
        start=time(9),
        end=time(11),
    )
    slots = find_free_slots(
        madrid.db.uow(),
        actor=SYSTEM,
        minutes=60,
        practitioner_id=doctor,
        from_day=change_day,
        now=datetime(2026, 3, 28, 12, tzinfo=UTC),
        limit=6,
    )
    zone = ZoneInfo("Europe/Madrid")
    assert [s.start.astimezone(zone).strftime("%d %H:%M") for s in slots] == [
        "29 09:00",
        "29 09:15",
        "29 09:30",
        "29 09:45",
        "29 10:00",
        "30 09:00",
    ]
    assert slots[0].start == datetime(2026, 3, 29, 7, tzinfo=UTC)  # CEST, UTC+2
    assert slots[-1].start == datetime(2026, 3, 30, 7, tzinfo=UTC)
    assert all(s.end - s.start == timedelta(hours=1) for s in slots)
