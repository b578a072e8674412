"""What the agenda screens read: a range of days with its appointments (by local day, so an
evening appointment after 19:00 in Quito, already the next day in UTC, stays on its day),
working time and closures; per-day, per-status counts for the month view; and the labels and
status menus shared by the screens."""

from __future__ import annotations

import pytest
from agenda_kit import SYSTEM, Agenda

from clinic_desktop.errors import ValidationError
from clinic_desktop.services.agenda_labels import (
    can_cancel,
    mode_label,
    next_statuses,
    status_label,
    weekday_label,
)
from clinic_desktop.services.agenda_queries import agenda_range, month_counts
from clinic_desktop.services.appointments import cancel_appointment, change_status
from clinic_desktop.services.schedules import add_closure

# The agenda fixtures (`agenda`, `agenda_demo`, `madrid`) live in agenda_kit.
pytest_plugins = ["agenda_kit"]


def test_a_range_holds_its_local_days_appointments_and_working_time(agenda: Agenda):
    seed = agenda.seed
    monday = agenda.book(0, 9, 0)
    evening = agenda.book(0, 19, 30, patient=1, override_reason="Tarde")  # 00:30 UTC Tuesday
    agenda.book(1, 9, 0, patient=2)
    dentist = agenda.book(0, 9, 0, patient=3, practitioner=seed.dentist)
    cancelled = agenda.book(0, 10, 0, patient=4)
    cancel_appointment(
        agenda.uow(),
        actor=SYSTEM,
        appointment_id=cancelled.id,
        by="clinic",
        reason="x",
        now=agenda.now,
    )
    shown = agenda_range(
        agenda.uow(),
        actor=agenda.actor("medico"),
        first_day=agenda.day(0),
        last_day=agenda.day(0),
        practitioner_ids=[seed.doctor],
    )
    assert [a.id for a in shown.appointments] == [monday.id, evening.id]
    everyone = agenda_range(
        agenda.uow(),
        actor=SYSTEM,
        first_day=agenda.day(0),
        last_day=agenda.day(0),
        include_cancelled=True,
    )
    assert {a.id for a in everyone.appointments} == {
        monday.id,
        evening.id,
        dentist.id,
        cancelled.id,
    }
    assert [p.display_name for p in everyone.practitioners] == [
        "Dr. Andrés Paredes",
        "Dra. Valeria Cedeño",
        "Dr. Tomás Ruiz",
    ]
    assert [r.name for r in everyone.rooms] == ["Consultorio 1", "Sillón 2"]
    doctor_day = next(s for s in everyone.schedules if s.practitioner_id == seed.doctor)
    assert doctor_day.open == (
        (agenda.at(0, 9), agenda.at(0, 13)),
        (agenda.at(0, 15), agenda.at(0, 19)),
    )
    assert doctor_day.closed_label == ""


def test_a_range_is_limited_and_ordered(agenda: Agenda):
    with pytest.raises(ValidationError):
        agenda_range(agenda.uow(), actor=SYSTEM, first_day=agenda.day(1), last_day=agenda.day(0))
    with pytest.raises(ValidationError):
        agenda_range(agenda.uow(), actor=SYSTEM, first_day=agenda.day(0), last_day=agenda.day(63))
    week = agenda_range(agenda.uow(), actor=SYSTEM, first_day=agenda.day(0), last_day=agenda.day(6))
    assert len(week.schedules) == 7 * 3


def test_month_counts_per_local_day_and_status(agenda: Agenda):
    add_closure(
        agenda.uow(),
        actor=SYSTEM,
        first_day=agenda.day(2),
        last_day=agenda.day(2),
        reason="Inventario",
    )
    agenda.book(0, 9, 0)
    agenda.book(0, 19, 30, patient=1, override_reason="Tarde")  # Monday, though Tuesday in UTC
    missed = agenda.book(0, 10, 0, patient=2)
    change_status(
        agenda.uow(),
        actor=SYSTEM,
        appointment_id=missed.id,
        status="no_show",
        now=agenda.at(0, 10, 30),
    )
    cancelled = agenda.book(1, 9, 0, patient=3)
    cancel_appointment(
        agenda.uow(),
        actor=SYSTEM,
        appointment_id=cancelled.id,
        by="patient",
        reason="x",
        now=agenda.now,
    )
    days = month_counts(
        agenda.uow(),
        actor=agenda.actor("asistente"),
        first_day=agenda.day(0),
        last_day=agenda.day(6),
    )
    assert [d.day for d in days] == [agenda.day(n) for n in range(7)]
    assert days[0].by_status == {"scheduled": 2, "no_show": 1}
    assert days[0].count == 2
    assert days[1].by_status == {"cancelled": 1} and days[1].count == 0
    assert days[2].closed_label == "Clinic closed: Inventario"
    assert all(d.by_status == {} for d in days[2:])
    only_dentist = month_counts(
        agenda.uow(),
        actor=SYSTEM,
        first_day=agenda.day(0),
        last_day=agenda.day(6),
        practitioner_ids=[agenda.seed.dentist],
    )
    assert all(d.by_status == {} for d in only_dentist)


@pytest.mark.parametrize(
    ("code", "menu", "cancellable"),
    [
        ("scheduled", ("confirmed", "arrived", "no_show"), True),
        ("confirmed", ("scheduled", "arrived", "no_show"), True),
        ("arrived", ("confirmed", "in_consultation", "completed"), False),
        ("in_consultation", ("completed",), False),
        ("completed", (), False),
        ("cancelled", (), False),
        ("no_show", ("arrived",), False),
    ],
)
def test_status_menus_follow_the_lifecycle(code, menu, cancellable):
    assert next_statuses(code) == menu
    assert can_cancel(code) is cancellable
    assert status_label(code) and status_label(code) != code


def test_labels():
    assert status_label("no_show") == "No-show"
    assert status_label("unknown") == "unknown"
    assert mode_label("telemedicine") == "Telemedicine"
    assert [weekday_label(d) for d in (0, 6)] == ["Monday", "Sunday"]
