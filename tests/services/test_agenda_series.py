"""Recurring series: the preview names each occurrence's conflicts and saves nothing; booking
refuses a series with conflicts unless they are skipped (or, for overridable rules, overridden
by someone allowed to); a series without occurrences is refused; cancelling or shifting "this
and the following" leaves the earlier ones alone, keeps wall-clock time and refuses the whole
shift if one occurrence conflicts; and a Madrid clinic's weekly series keeps 10:00 local across
the daylight-saving changes."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest
from agenda_kit import SYSTEM, Agenda, madrid_agenda

from clinic_desktop.errors import PermissionDenied, ValidationError
from clinic_desktop.services.agenda_queries import agenda_range, get_appointment
from clinic_desktop.services.schedules import add_closure
from clinic_desktop.services.series import (
    book_series,
    cancel_following,
    preview_series,
    shift_following,
)

MADRID = ZoneInfo("Europe/Madrid")

# The agenda fixtures (`agenda`, `agenda_demo`, `madrid`) live in agenda_kit.
pytest_plugins = ["agenda_kit"]


def series(agenda: Agenda, **kw):
    kw.setdefault("patient_id", agenda.seed.patients[0])
    kw.setdefault("practitioner_id", agenda.seed.doctor)
    kw.setdefault("first_day", agenda.day(0))
    kw.setdefault("at", time(10))
    kw.setdefault("minutes", 30)
    kw.setdefault("unit", "week")
    kw.setdefault("interval", 1)
    kw.setdefault("now", agenda.now)
    return book_series(agenda.uow(), actor=agenda.actor(kw.pop("by", "recepcion")), **kw)


def preview(agenda: Agenda, **kw):
    kw.setdefault("practitioner_id", agenda.seed.doctor)
    kw.setdefault("first_day", agenda.day(0))
    kw.setdefault("at", time(10))
    kw.setdefault("minutes", 30)
    kw.setdefault("unit", "week")
    kw.setdefault("interval", 1)
    kw.setdefault("now", agenda.now)
    return preview_series(agenda.uow(), actor=agenda.actor("recepcion"), **kw)


def codes(occurrence) -> list[str]:
    return [p.code for p in occurrence.problems]


def test_preview_reports_conflicts_per_occurrence_and_saves_nothing(agenda: Agenda):
    agenda.book(2, 10, 15, patient=1)  # Wednesday, over the second occurrence
    add_closure(
        agenda.uow(),
        actor=SYSTEM,
        first_day=agenda.day(7),
        last_day=agenda.day(7),
        reason="Inventario",
    )
    before = agenda.appointments()
    shown = preview(agenda, weekdays=[0, 2], count=4)
    assert [o.start for o in shown] == [
        agenda.at(0, 10),
        agenda.at(2, 10),
        agenda.at(7, 10),
        agenda.at(9, 10),
    ]
    assert [codes(o) for o in shown] == [[], ["overlap_practitioner"], ["closed"], []]
    assert [o.blocked for o in shown] == [False, True, True, False]
    assert agenda.appointments() == before


def test_a_series_with_conflicts_is_refused_unless_they_are_skipped(agenda: Agenda):
    other = agenda.book(2, 10, 0, patient=1)
    with pytest.raises(ValidationError) as caught:
        series(agenda, weekdays=[0, 2], count=4)
    assert caught.value.field == "series"
    assert "1 occurrence has a conflict" in caught.value.message
    assert agenda.appointments() == [other]
    result = series(agenda, weekdays=[0, 2], count=4, skip_conflicts=True)
    assert [b.start for b in result.booked] == [
        agenda.at(0, 10),
        agenda.at(7, 10),
        agenda.at(9, 10),
    ]
    assert [s.start for s in result.skipped] == [agenda.at(2, 10)]
    assert {b.series_id for b in result.booked} == {result.series_id}
    stored = [a for a in agenda.appointments() if a.series_id == result.series_id]
    assert stored == list(result.booked)


def test_an_override_books_the_closed_occurrence_but_never_an_overlap(agenda: Agenda):
    agenda.book(2, 10, 0, patient=1)
    add_closure(
        agenda.uow(),
        actor=SYSTEM,
        first_day=agenda.day(7),
        last_day=agenda.day(7),
        reason="Inventario",
    )
    result = series(
        agenda, weekdays=[0, 2], count=4, skip_conflicts=True, override_reason="Tratamiento"
    )
    assert [b.start for b in result.booked] == [
        agenda.at(0, 10),
        agenda.at(7, 10),
        agenda.at(9, 10),
    ]
    assert [b.override_reason for b in result.booked] == [None, "Tratamiento", None]
    assert [codes(s) for s in result.skipped] == [["overlap_practitioner"]]
    (entry,) = agenda.audit("appointment.override")
    assert entry.entity_id == str(result.booked[1].id)


def test_the_assistant_cannot_override_a_series(agenda: Agenda):
    add_closure(
        agenda.uow(),
        actor=SYSTEM,
        first_day=agenda.day(7),
        last_day=agenda.day(7),
        reason="Inventario",
    )
    with pytest.raises(PermissionDenied):
        series(agenda, count=3, override_reason="Tratamiento", by="asistente")
    assert agenda.appointments() == []
    with pytest.raises(ValidationError):
        series(agenda, count=3, by="asistente")
    result = series(agenda, count=3, by="asistente", skip_conflicts=True)
    assert len(result.booked) == 2


def test_a_series_where_every_occurrence_conflicts_books_nothing(agenda: Agenda):
    with pytest.raises(ValidationError) as caught:
        series(agenda, at=time(20), count=2, skip_conflicts=True)
    assert caught.value.field == "series"
    assert agenda.appointments() == []


@pytest.mark.parametrize(
    ("kw", "field"),
    [
        ({"weekdays": [0], "first_day_offset": 1, "until_offset": 5}, "weekdays"),
        ({"until_offset": -1}, "until"),
        ({}, "until"),  # neither an end date nor a count
        ({"count": 0}, "count"),
        ({"count": 3, "interval": 0}, "interval"),
        ({"count": 3, "unit": "month"}, "unit"),
        ({"count": 3, "minutes": 0}, "duration"),
    ],
)
def test_series_without_occurrences_or_with_bad_rules_are_refused(agenda: Agenda, kw, field):
    kw = dict(kw)
    first = agenda.day(kw.pop("first_day_offset", 0))
    if "until_offset" in kw:
        kw["until"] = first + timedelta(days=kw.pop("until_offset"))
    with pytest.raises(ValidationError) as caught:
        series(agenda, first_day=first, **kw)
    assert caught.value.field == field
    assert agenda.appointments() == []


def test_every_two_days_until_a_date(agenda: Agenda):
    result = series(agenda, unit="day", interval=2, until=agenda.day(4))
    assert [agenda.local(b.start) for b in result.booked] == ["Mon 10:00", "Wed 10:00", "Fri 10:00"]


def _five_mondays(agenda: Agenda):
    return series(agenda, count=5).booked


def test_cancel_following_cancels_this_and_later_open_ones(agenda: Agenda):
    booked = _five_mondays(agenda)
    changed = cancel_following(
        agenda.uow(),
        actor=agenda.actor("recepcion"),
        appointment_id=booked[2].id,
        by="clinic",
        reason="Fin del tratamiento",
        now=agenda.now,
    )
    assert [c.id for c in changed] == [b.id for b in booked[2:]]
    by_id = {a.id: a for a in agenda.appointments(0, 35)}
    assert [by_id[b.id].status for b in booked] == ["scheduled"] * 2 + ["cancelled"] * 3
    assert {by_id[b.id].cancel_reason for b in booked[2:]} == {"Fin del tratamiento"}


def test_cancel_following_leaves_finished_occurrences(agenda: Agenda):
    from clinic_desktop.services.appointments import change_status

    booked = _five_mondays(agenda)
    for value in ("arrived", "completed"):
        change_status(
            agenda.uow(),
            actor=SYSTEM,
            appointment_id=booked[0].id,
            status=value,
            now=agenda.at(0, 10),
        )
    changed = cancel_following(
        agenda.uow(),
        actor=agenda.actor("recepcion"),
        appointment_id=booked[0].id,
        by="patient",
        reason="Se muda",
        now=agenda.at(0, 11),
    )
    assert [c.id for c in changed] == [b.id for b in booked[1:]]
    by_id = {a.id: a for a in agenda.appointments(0, 35)}
    assert by_id[booked[0].id].status == "completed"


def test_cancel_following_needs_a_reason_and_then_cancels_nothing(agenda: Agenda):
    booked = _five_mondays(agenda)
    with pytest.raises(ValidationError):
        cancel_following(
            agenda.uow(),
            actor=agenda.actor("recepcion"),
            appointment_id=booked[1].id,
            by="patient",
            reason=" ",
            now=agenda.now,
        )
    assert {a.status for a in agenda.appointments(0, 35)} == {"scheduled"}


def test_following_of_a_single_appointment_is_just_itself(agenda: Agenda):
    alone = agenda.book(0, 10, 0)
    other = agenda.book(7, 10, 0)
    moved = shift_following(
        agenda.uow(),
        actor=agenda.actor("recepcion"),
        appointment_id=alone.id,
        new_start=agenda.at(0, 11),
        minutes=30,
        now=agenda.now,
    )
    assert [m.id for m in moved] == [alone.id]
    cancelled = cancel_following(
        agenda.uow(),
        actor=agenda.actor("recepcion"),
        appointment_id=alone.id,
        by="patient",
        reason="x",
        now=agenda.now,
    )
    assert [c.id for c in cancelled] == [alone.id]
    by_id = {a.id: a for a in agenda.appointments()}
    assert (by_id[other.id].status, by_id[other.id].start) == ("scheduled", agenda.at(7, 10))


def test_shift_following_moves_this_and_later_ones_to_the_new_time(agenda: Agenda):
    booked = _five_mondays(agenda)
    changed = shift_following(
        agenda.uow(),
        actor=agenda.actor("recepcion"),
        appointment_id=booked[1].id,
        new_start=agenda.at(8, 11, 30),
        minutes=45,
        now=agenda.now,
    )
    assert [c.id for c in changed] == [b.id for b in booked[1:]]
    by_id = {a.id: a for a in agenda.appointments(0, 35)}
    assert by_id[booked[0].id].start == agenda.at(0, 10)  # earlier one untouched
    assert [by_id[b.id].start for b in booked[1:]] == [
        agenda.at(8, 11, 30),
        agenda.at(15, 11, 30),
        agenda.at(22, 11, 30),
        agenda.at(29, 11, 30),
    ]
    assert {by_id[b.id].minutes for b in booked[1:]} == {45}
    history = get_appointment(agenda.uow(), actor=SYSTEM, appointment_id=booked[3].id)[1]
    assert [(h.from_start, h.to_start) for h in history] == [
        (agenda.at(21, 10), agenda.at(22, 11, 30))
    ]


def test_shift_following_by_a_week_does_not_clash_with_its_own_occurrences(agenda: Agenda):
    booked = series(agenda, count=4).booked
    shift_following(
        agenda.uow(),
        actor=agenda.actor("recepcion"),
        appointment_id=booked[1].id,
        new_start=agenda.at(14, 10),
        minutes=30,
        now=agenda.now,
    )
    by_id = {a.id: a for a in agenda.appointments(0, 34)}
    assert [by_id[b.id].start for b in booked] == [
        agenda.at(0, 10),
        agenda.at(14, 10),
        agenda.at(21, 10),
        agenda.at(28, 10),
    ]


def test_shift_following_back_by_a_week(agenda: Agenda):
    booked = _five_mondays(agenda)
    shift_following(
        agenda.uow(),
        actor=agenda.actor("recepcion"),
        appointment_id=booked[1].id,
        new_start=agenda.at(1, 10),
        minutes=30,
        now=agenda.now,
    )
    by_id = {a.id: a for a in agenda.appointments(0, 40)}
    assert [agenda.local(by_id[b.id].start) for b in booked] == ["Mon 10:00"] + ["Tue 10:00"] * 4
    assert [by_id[b.id].start for b in booked[1:]] == [
        agenda.at(1, 10),
        agenda.at(8, 10),
        agenda.at(15, 10),
        agenda.at(22, 10),
    ]


def test_shift_following_refuses_everything_if_one_occurrence_conflicts(agenda: Agenda):
    booked = _five_mondays(agenda)
    blocker = agenda.book(21, 11, 45, patient=1)  # over the fourth occurrence's new time
    before = agenda.appointments(0, 35)
    with pytest.raises(ValidationError) as caught:
        shift_following(
            agenda.uow(),
            actor=agenda.actor("recepcion"),
            appointment_id=booked[1].id,
            new_start=agenda.at(7, 11, 30),
            minutes=30,
            now=agenda.now,
        )
    assert agenda.day(21).strftime("%d/%m/%Y") in caught.value.message
    assert "Overlap" in caught.value.message
    assert agenda.appointments(0, 35) == before
    assert blocker in before
    for item in booked:
        assert get_appointment(agenda.uow(), actor=SYSTEM, appointment_id=item.id)[1] == []


def test_shift_following_outside_hours_is_refused_whole(agenda: Agenda):
    booked = _five_mondays(agenda)
    before = agenda.appointments(0, 35)
    with pytest.raises(ValidationError):
        shift_following(
            agenda.uow(),
            actor=agenda.actor("recepcion"),
            appointment_id=booked[0].id,
            new_start=agenda.at(0, 13, 30),
            minutes=30,
            now=agenda.now,
        )
    assert agenda.appointments(0, 35) == before


# --- a Madrid clinic across daylight saving -----------------------------------------------------


@pytest.mark.parametrize(
    ("first", "utc_hours"),
    [
        (date(2026, 10, 20), [8, 9, 9]),  # CEST then CET after 25 October
        (date(2027, 3, 23), [9, 8, 8]),  # CET then CEST after 28 March
    ],
)
def test_a_weekly_series_keeps_10_local_across_the_change(madrid, first, utc_hours):
    doctor, patient = madrid_agenda(madrid)
    result = book_series(
        madrid.db.uow(),
        actor=SYSTEM,
        patient_id=patient,
        practitioner_id=doctor,
        first_day=first,
        at=time(10),
        minutes=30,
        unit="week",
        interval=1,
        count=3,
        now=datetime.combine(first - timedelta(days=10), time(12), tzinfo=UTC),
    )
    assert [b.start.astimezone(MADRID).strftime("%a %H:%M") for b in result.booked] == [
        "Tue 10:00"
    ] * 3
    assert [b.start.hour for b in result.booked] == utc_hours
    assert {b.minutes for b in result.booked} == {30}
    stored = agenda_range(
        madrid.db.uow(), actor=SYSTEM, first_day=first, last_day=first + timedelta(days=14)
    ).appointments
    assert [a.start for a in stored] == [b.start for b in result.booked]


def test_shifting_a_madrid_series_keeps_wall_clock_time_across_the_change(madrid):
    doctor, patient = madrid_agenda(madrid)
    first = date(2026, 10, 20)
    now = datetime(2026, 10, 1, 10, tzinfo=UTC)
    result = book_series(
        madrid.db.uow(),
        actor=SYSTEM,
        patient_id=patient,
        practitioner_id=doctor,
        first_day=first,
        at=time(10),
        minutes=30,
        unit="week",
        interval=1,
        count=3,
        now=now,
    )
    new_start = datetime.combine(first, time(11, 30), tzinfo=MADRID)
    changed = shift_following(
        madrid.db.uow(),
        actor=SYSTEM,
        appointment_id=result.booked[0].id,
        new_start=new_start,
        minutes=30,
        now=now,
    )
    assert [c.start.astimezone(MADRID).strftime("%d %H:%M") for c in changed] == [
        "20 11:30",
        "27 11:30",
        "03 11:30",
    ]
    assert [c.start.hour for c in changed] == [9, 10, 10]  # UTC
    # Every Tuesday 11:30 is inside the 09:00–13:00 hours: no override was needed.
    assert all(c.override_reason is None for c in changed)


def test_preview_in_madrid_checks_hours_in_local_time(madrid):
    doctor, _patient = madrid_agenda(madrid)
    shown = preview_series(
        madrid.db.uow(),
        actor=SYSTEM,
        practitioner_id=doctor,
        first_day=date(2026, 10, 20),
        at=time(12, 30),
        minutes=30,
        unit="week",
        interval=1,
        count=3,
        now=datetime(2026, 10, 1, tzinfo=UTC),
    )
    # 12:30–13:00 local every week: inside the morning hours before and after the change.
    assert [o.problems for o in shown] == [(), (), ()]
    late = preview_series(
        madrid.db.uow(),
        actor=SYSTEM,
        practitioner_id=doctor,
        first_day=date(2026, 10, 20),
        at=time(12, 45),
        minutes=30,
        unit="week",
        interval=1,
        count=3,
        now=datetime(2026, 10, 1, tzinfo=UTC),
    )
    assert [codes(o) for o in late] == [["outside_hours"]] * 3
