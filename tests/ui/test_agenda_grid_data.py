"""The agenda page's pure data layer: turning service DTOs (aware UTC) into the time grid's
columns, blocks and shades in local time, the live conflict check and the column-to-target
mapping. Built from hand-made DTOs, so each rule is checked on its own."""

from __future__ import annotations

import uuid
from dataclasses import replace
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest

from clinic_desktop.services.agenda_dto import (
    AgendaRange,
    AppointmentDTO,
    DaySchedule,
    PractitionerDTO,
    RoomDTO,
)
from clinic_desktop.ui.agenda.grid_data import (
    NO_ROOM,
    ConflictFinder,
    column_target,
    day_grid,
    to_local,
    to_utc,
    week_grid,
    week_title,
)

QUITO = ZoneInfo("America/Guayaquil")
DAY = date(2026, 3, 2)  # a Monday
DOCTOR = PractitionerDTO(
    uuid.uuid4(), None, None, "Dr. Andrés Paredes", "Medicina general", "#2563EB", True, 1, 1
)
DENTIST = PractitionerDTO(
    uuid.uuid4(), None, None, "Dra. Valeria Cedeño", "Odontología", "#DB2777", True, 2, 1
)
ROOM_1 = RoomDTO(uuid.uuid4(), "Consultorio 1", True, 1, 1)
ROOM_2 = RoomDTO(uuid.uuid4(), "Sillón 2", True, 2, 1)


def at(day: date, hour: int, minute: int = 0, zone: ZoneInfo = QUITO) -> datetime:
    return datetime.combine(day, time(hour, minute), tzinfo=zone).astimezone(UTC)


def appointment(
    practitioner: PractitionerDTO,
    start: datetime,
    minutes: int = 30,
    *,
    room: RoomDTO | None = None,
    status: str = "scheduled",
    patient: str = "Ana Zambrano",
) -> AppointmentDTO:
    return AppointmentDTO(
        id=uuid.uuid4(),
        patient_id=uuid.uuid4(),
        patient_name=patient,
        patient_phone="0991234567",
        chart_number=7,
        practitioner_id=practitioner.id,
        practitioner_name=practitioner.display_name,
        room_id=room.id if room else None,
        room_name=room.name if room else None,
        type_id=None,
        type_name="Consulta",
        colour="#0F766E",
        start=start,
        end=start + timedelta(minutes=minutes),
        mode="in_person",
        reason="Control",
        notes="Trae exámenes",
        status=status,
        arrived_at=None,
        cancelled_by=None,
        cancel_reason=None,
        late_cancellation=False,
        override_reason=None,
        series_id=None,
        version=1,
    )


def agenda(
    items: list[AppointmentDTO],
    *,
    first: date = DAY,
    last: date = DAY,
    closed: dict[date, str] | None = None,
) -> AgendaRange:
    schedules = []
    day = first
    while day <= last:
        for practitioner in (DOCTOR, DENTIST):
            spans = (
                ()
                if day in (closed or {}) or day.weekday() > 4
                else (
                    (at(day, 9), at(day, 13)),
                    (at(day, 15), at(day, 19)),
                )
            )
            schedules.append(DaySchedule(practitioner.id, day, spans, (closed or {}).get(day, "")))
        day += timedelta(days=1)
    return AgendaRange(
        first_day=first,
        last_day=last,
        practitioners=(DOCTOR, DENTIST),
        rooms=(ROOM_1, ROOM_2),
        appointments=tuple(items),
        schedules=tuple(schedules),
        closed_days=dict(closed or {}),
    )


def test_day_grid_has_a_column_per_practitioner_with_local_blocks() -> None:
    first = appointment(DOCTOR, at(DAY, 9), room=ROOM_1)
    second = appointment(DENTIST, at(DAY, 10, 15), 45, status="arrived")
    columns, blocks, shades = day_grid(agenda([first, second]), QUITO)

    assert [(c.key, c.title, c.subtitle, c.colour) for c in columns] == [
        (str(DOCTOR.id), "Dr. Andrés Paredes", "Medicina general", "#2563EB"),
        (str(DENTIST.id), "Dra. Valeria Cedeño", "Odontología", "#DB2777"),
    ]
    by_key = {b.key: b for b in blocks}
    block = by_key[str(first.id)]
    assert (block.column, block.start, block.end) == (
        str(DOCTOR.id),
        datetime(2026, 3, 2, 9),
        datetime(2026, 3, 2, 9, 30),
    )
    assert block.title == "Ana Zambrano"
    assert block.detail == "Consulta · Control"
    assert block.status_label == "Scheduled"
    assert block.movable and block.resizable
    for text in ("09:00–09:30", "0991234567", "Consultorio 1", "In person", "Trae exámenes"):
        assert text in block.tooltip
    arrived = by_key[str(second.id)]
    assert arrived.status == "arrived" and not arrived.movable and not arrived.resizable
    doctor_open = [(s.start, s.end) for s in shades if s.column == str(DOCTOR.id)]
    assert doctor_open == [
        (datetime(2026, 3, 2, 9), datetime(2026, 3, 2, 13)),
        (datetime(2026, 3, 2, 15), datetime(2026, 3, 2, 19)),
    ]


def test_day_grid_filters_practitioners() -> None:
    items = [appointment(DOCTOR, at(DAY, 9)), appointment(DENTIST, at(DAY, 9))]
    columns, blocks, shades = day_grid(agenda(items), QUITO, practitioner_ids=[DENTIST.id])
    assert [c.key for c in columns] == [str(DENTIST.id)]
    assert [b.key for b in blocks] == [str(items[1].id)]
    assert {s.column for s in shades} == {str(DENTIST.id)}


def test_closed_days_are_shaded_with_their_label() -> None:
    rng = agenda([], closed={DAY: "Holiday: Carnaval"})
    columns, _blocks, shades = day_grid(rng, QUITO)
    closed = [s for s in shades if s.kind == "closed"]
    assert {s.column for s in closed} == {c.key for c in columns}
    assert all(s.label == "Holiday: Carnaval" for s in closed)
    assert closed[0].start == datetime(2026, 3, 2) and closed[0].end == datetime(2026, 3, 3)
    assert not [s for s in shades if s.kind == "open"]


def test_room_columns_and_the_no_room_column() -> None:
    in_room = appointment(DOCTOR, at(DAY, 9), room=ROOM_2)
    roomless = appointment(DENTIST, at(DAY, 9))
    columns, blocks, shades = day_grid(agenda([in_room, roomless]), QUITO, by="room")
    assert [c.key for c in columns] == [str(ROOM_1.id), str(ROOM_2.id), NO_ROOM]
    assert columns[-1].title == "No room"
    where = {b.key: b for b in blocks}
    assert where[str(in_room.id)].column == str(ROOM_2.id)
    assert where[str(roomless.id)].column == NO_ROOM
    assert where[str(roomless.id)].detail.startswith("Dra. Valeria Cedeño")
    # Rooms are open while anybody works: both practitioners' hours, merged.
    assert [(s.start.hour, s.end.hour) for s in shades if s.column == str(ROOM_1.id)] == [
        (9, 13),
        (15, 19),
    ]


def test_room_columns_without_roomless_appointments_have_no_no_room_column() -> None:
    columns, _blocks, _shades = day_grid(
        agenda([appointment(DOCTOR, at(DAY, 9), room=ROOM_1)]), QUITO, by="room"
    )
    assert NO_ROOM not in [c.key for c in columns]


def test_week_grid_has_seven_days_of_one_practitioner() -> None:
    sunday = DAY + timedelta(days=6)
    items = [
        appointment(DOCTOR, at(DAY, 9)),
        appointment(DOCTOR, at(DAY + timedelta(days=2), 15)),
        appointment(DENTIST, at(DAY, 11)),
    ]
    rng = agenda(items, first=DAY, last=sunday)
    columns, blocks, shades = week_grid(rng, QUITO, DOCTOR.id)
    assert [c.day for c in columns] == [DAY + timedelta(days=i) for i in range(7)]
    assert [c.title for c in columns][:3] == ["Mon 2", "Tue 3", "Wed 4"]
    assert sorted(b.column for b in blocks) == [DAY.isoformat(), "2026-03-04"]
    assert {s.column for s in shades if s.kind == "open"} == {
        (DAY + timedelta(days=i)).isoformat() for i in range(5)
    }


def test_week_titles_follow_the_ui_language() -> None:
    from clinic_desktop.i18n import set_language

    set_language("es")
    try:
        assert week_title(DAY) == "lun 2"
    finally:
        set_language("en")


def test_local_time_follows_daylight_saving() -> None:
    madrid = ZoneInfo("Europe/Madrid")
    # 29 March 2026: clocks go from 02:00 to 03:00 in Madrid.
    before = datetime(2026, 3, 28, 9, tzinfo=madrid).astimezone(UTC)
    after = datetime(2026, 3, 30, 9, tzinfo=madrid).astimezone(UTC)
    assert before.hour == 8 and after.hour == 7
    assert to_local(before, madrid) == datetime(2026, 3, 28, 9)
    assert to_local(after, madrid) == datetime(2026, 3, 30, 9)
    assert to_utc(datetime(2026, 3, 30, 9), madrid) == after


def test_conflicts_by_practitioner_and_room_touching_edges_allowed() -> None:
    nine = appointment(DOCTOR, at(DAY, 9), room=ROOM_1, patient="Ana Zambrano")
    ten = appointment(DOCTOR, at(DAY, 10), room=ROOM_1, patient="Luis Benítez")
    cancelled = appointment(DENTIST, at(DAY, 11), room=ROOM_2, status="cancelled")
    finder = ConflictFinder(agenda([nine, ten, cancelled]), QUITO)

    def check(key: str | None, who: PractitionerDTO | None, room: RoomDTO | None,
              hour: int, minute: int, minutes: int = 30) -> str | None:  # fmt: skip
        start = datetime(2026, 3, 2, hour, minute)
        return finder.conflict(
            key=key,
            practitioner_id=who.id if who else None,
            room_id=room.id if room else None,
            start=start,
            end=start + timedelta(minutes=minutes),
        )

    message = check(str(ten.id), DOCTOR, None, 9, 15)
    assert message is not None and "Ana Zambrano" in message and "09:00" in message
    assert check(str(ten.id), DOCTOR, None, 9, 30) is None  # touches 9:30 and 10:00
    assert check(str(ten.id), DOCTOR, None, 10, 15) is None  # its own old place
    room_clash = check(None, DENTIST, ROOM_1, 9, 0)
    assert room_clash is not None and "Consultorio 1" in room_clash
    assert check(None, DENTIST, ROOM_2, 11, 0) is None  # a cancelled one frees its slot
    assert finder.appointment(str(nine.id)) == nine


@pytest.mark.parametrize(
    ("layout", "column", "expected"),
    [
        ("practitioner", str(DENTIST.id), (DENTIST.id, ROOM_1.id, False)),
        ("room", str(ROOM_2.id), (DOCTOR.id, ROOM_2.id, True)),
        ("room", NO_ROOM, (DOCTOR.id, None, True)),
        ("room", str(ROOM_1.id), (DOCTOR.id, ROOM_1.id, False)),
        ("week", "2026-03-04", (DOCTOR.id, ROOM_1.id, False)),
    ],
)
def test_column_targets(layout: str, column: str, expected: tuple[object, ...]) -> None:
    moved = appointment(DOCTOR, at(DAY, 9), room=ROOM_1)
    target = column_target(layout, column, appointment=moved, practitioner_id=DOCTOR.id)
    assert (target.practitioner_id, target.room_id, target.room_changed) == expected


def test_a_new_appointment_in_a_room_column_takes_the_filtered_practitioner() -> None:
    target = column_target("room", str(ROOM_2.id), appointment=None, practitioner_id=DENTIST.id)
    assert (target.practitioner_id, target.room_id) == (DENTIST.id, ROOM_2.id)
    anyone = column_target("room", str(ROOM_2.id), appointment=None, practitioner_id=None)
    assert anyone.practitioner_id is None


def test_blocks_crossing_into_the_day_are_kept() -> None:
    late = replace(appointment(DOCTOR, at(DAY, 23, 30), 60), status="confirmed")
    _columns, blocks, _shades = day_grid(agenda([late]), QUITO)
    assert [b.end for b in blocks] == [datetime(2026, 3, 3, 0, 30)]
