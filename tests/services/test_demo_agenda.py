"""The demo clinic's generated agenda: practitioners linked to the demo doctors with hours,
rooms and types; appointments in the past and future with a realistic mix of statuses; no
overlaps for a practitioner or a room, nothing outside hours, on a holiday or the closure
(checked in SQL over all rows and through the booking rules on a sample); a waiting room;
series and waitlist; the same data for the same seed; and the bulk API the benchmarks use."""

from __future__ import annotations

import random
import uuid
from collections import Counter
from datetime import date, datetime, time, timedelta
from pathlib import Path
from typing import Any

from sqlalchemy import select, text
from sqlalchemy.orm import Session
from support.agenda_demo import ZONE, demo_day, demo_now
from support.constants import FAST_KDF
from support.file_keyring import FileKeyring

from clinic_desktop.actor import Actor
from clinic_desktop.config import AppPaths
from clinic_desktop.models.appointment import Appointment, AppointmentSeries
from clinic_desktop.models.patient import Patient
from clinic_desktop.models.schedule import AppointmentType, Practitioner, Room
from clinic_desktop.services.agenda_queries import agenda_range, waiting_room
from clinic_desktop.services.agenda_rules import check_slot, holidays_between
from clinic_desktop.services.audit import verify_audit_chain
from clinic_desktop.services.demo import create_demo_clinic
from clinic_desktop.services.demo_agenda import add_demo_agenda, demo_agenda_size
from clinic_desktop.services.schedules import (
    get_working_hours,
    list_appointment_types,
    list_closures,
    list_exceptions,
    list_practitioners,
    list_rooms,
)
from clinic_desktop.services.startup import CreatedClinic
from clinic_desktop.services.waitlist import list_waitlist

SYSTEM = Actor.system("tests")
ACTIVE = ("scheduled", "confirmed", "arrived", "in_consultation", "completed")


def _overlaps(session: Session, owner: str) -> int:
    """Pairs of active appointments of one practitioner (or room) whose times intersect."""
    return int(
        session.execute(
            text(
                f"""
                SELECT count(*) FROM appointments a JOIN appointments b
                  ON a.{owner} = b.{owner} AND a.id < b.id
                 AND a.start_at < b.end_at AND b.start_at < a.end_at
                WHERE a.status IN {ACTIVE} AND b.status IN {ACTIVE}
                  AND a.deleted_at IS NULL AND b.deleted_at IS NULL
                """
            )
        ).scalar_one()
    )


def test_practitioners_are_the_demo_doctors_with_hours_rooms_and_types(
    demo_agenda: CreatedClinic,
) -> None:
    uow = demo_agenda.db.uow
    practitioners = list_practitioners(uow(), actor=SYSTEM)
    by_user = {p.username: p for p in practitioners if p.username}
    assert by_user["medico"].display_name == "Dr. Andrés Paredes"
    assert by_user["odontologa"].display_name == "Dra. Valeria Cedeño"
    assert len(practitioners) == 4
    assert len({p.colour for p in practitioners}) == 4 and all(p.specialty for p in practitioners)

    monday = [
        h
        for h in get_working_hours(uow(), actor=SYSTEM, practitioner_id=by_user["medico"].id)
        if h.weekday == 0
    ]
    assert [(h.start, h.end) for h in monday] == [(time(8), time(13)), (time(14), time(18))]
    dentist = get_working_hours(uow(), actor=SYSTEM, practitioner_id=by_user["odontologa"].id)
    assert [(h.start, h.end) for h in dentist if h.weekday == 5] == [(time(8), time(12))]

    rooms = [r.name for r in list_rooms(uow(), actor=SYSTEM)]
    assert rooms == ["Consultorio 1", "Consultorio 2", "Sillón dental 1", "Sala de videoconsulta"]
    types = {t.name: t for t in list_appointment_types(uow(), actor=SYSTEM)}
    assert types["Consulta general"].duration_minutes == 30
    assert types["Endodoncia"].duration_minutes == 90
    assert types["Videoconsulta"].mode == "telemedicine"
    assert types["Limpieza dental"].mode == "in_person"

    exceptions = list_exceptions(uow(), actor=SYSTEM)
    assert {e.note for e in exceptions} >= {"Vacaciones", "Sábado extra"}
    assert any(e.kind == "extra" and e.day.weekday() == 5 for e in exceptions)
    closures = list_closures(uow(), actor=SYSTEM)
    assert len(closures) == 1 and closures[0].first_day > demo_day()


def test_past_and_future_have_a_realistic_mix_of_statuses(demo_agenda: CreatedClinic) -> None:
    now = demo_now(demo_day()).replace(tzinfo=None).isoformat(" ") + ".000000"
    by_status = "SELECT status, count(*) FROM appointments WHERE {where} GROUP BY status"
    with demo_agenda.db.uow().transaction(SYSTEM) as session:
        past = Counter(
            dict(
                session.execute(text(by_status.format(where="end_at <= :now")), {"now": now}).all()
            )
        )
        future = Counter(
            dict(
                session.execute(text(by_status.format(where="start_at > :now")), {"now": now}).all()
            )
        )
        cancelled = session.execute(
            select(
                Appointment.cancelled_by,
                Appointment.cancel_reason,
                Appointment.late_cancellation,
                Appointment.cancelled_at,
                Appointment.start_at,
            ).where(Appointment.status == "cancelled")
        ).all()
    assert past["completed"] > 0.6 * sum(past.values())
    assert past["no_show"] > 0 and past["cancelled"] > 0
    assert not past["scheduled"] and not past["confirmed"]
    assert future["scheduled"] > 0 and future["confirmed"] > 0
    assert set(future) <= {"scheduled", "confirmed", "arrived", "in_consultation", "cancelled"}
    assert {c.cancelled_by for c in cancelled} == {"patient", "clinic"}
    assert all(c.cancel_reason for c in cancelled)
    late = [c for c in cancelled if c.late_cancellation]
    assert late and all(
        c.cancelled_by == "patient" and c.start_at - c.cancelled_at < timedelta(hours=24)
        for c in late
    )


def test_no_overlaps_and_every_appointment_is_inside_working_hours(
    demo_agenda: CreatedClinic,
) -> None:
    with demo_agenda.db.uow().transaction(SYSTEM) as session:
        assert session.scalar(select(text("count(*)")).select_from(Appointment)) > 300
        assert _overlaps(session, "practitioner_id") == 0
        assert _overlaps(session, "room_id") == 0
        rows = session.execute(
            select(
                Appointment.id,
                Appointment.practitioner_id,
                Appointment.room_id,
                Appointment.start_at,
                Appointment.end_at,
            ).where(Appointment.status.in_(ACTIVE))
        ).all()
        closures = session.execute(text("SELECT first_day FROM clinic_closures")).scalars().all()
        days = {r.start_at.astimezone(ZONE).date() for r in rows}
        holidays = holidays_between("EC", min(days), max(days))
        assert holidays, "the two years hold Ecuador's public holidays"
        assert not days & set(holidays)
        assert not {d.isoformat() for d in days} & {str(c) for c in closures}
        # The booking rules themselves find nothing wrong with a sample of them (and do see
        # the appointment itself when it is not excluded, so the check is live).
        sample = random.Random(3).sample(rows, 60)
        itself = check_slot(
            session,
            practitioner_id=sample[0].practitioner_id,
            room_id=None,
            start=sample[0].start_at,
            end=sample[0].end_at,
            now=sample[0].start_at,
        )
        assert [p.code for p in itself] == ["overlap_practitioner"]
        for row in sample:
            problems = check_slot(
                session,
                practitioner_id=row.practitioner_id,
                room_id=row.room_id,
                start=row.start_at,
                end=row.end_at,
                now=row.start_at - timedelta(minutes=1),
                exclude=[row.id],
            )
            assert problems == [], (row, problems)


def test_today_has_a_waiting_room_and_a_consultation(demo_agenda: CreatedClinic) -> None:
    day, now = demo_day(), demo_now(demo_day())
    uow = demo_agenda.db.uow
    waiting = waiting_room(uow(), actor=SYSTEM, now=now)
    assert waiting
    assert all(e.arrived_at <= now and e.appointment.status == "arrived" for e in waiting)
    today = agenda_range(uow(), actor=SYSTEM, first_day=day, last_day=day)
    statuses = Counter(a.status for a in today.appointments)
    assert statuses["in_consultation"] >= 1
    assert statuses["completed"] + statuses["in_consultation"] + statuses["arrived"] >= 2


def test_series_and_waitlist(demo_agenda: CreatedClinic) -> None:
    with demo_agenda.db.uow().transaction(SYSTEM) as session:
        series = session.scalars(select(AppointmentSeries)).all()
        assert len(series) >= 2
        for rule in series:
            occurrences = session.scalars(
                select(Appointment).where(Appointment.series_id == rule.id)
            ).all()
            assert occurrences
            for occurrence in occurrences:
                local = occurrence.start_at.astimezone(ZONE)
                assert local.time() == rule.start_time
                assert occurrence.practitioner_id == rule.practitioner_id
                assert occurrence.patient_id == rule.patient_id
                assert local.date() >= rule.first_day
    waitlist = list_waitlist(demo_agenda.db.uow(), actor=SYSTEM)
    assert len(waitlist) >= 2


def test_the_audit_trail_stays_intact(demo_agenda: CreatedClinic) -> None:
    result = verify_audit_chain(demo_agenda.db.uow(), actor=SYSTEM)
    assert result.ok


def _snapshot(created: CreatedClinic) -> list[tuple[Any, ...]]:
    with created.db.uow().transaction(SYSTEM) as session:
        return [
            tuple(row)
            for row in session.execute(
                select(
                    Practitioner.display_name,
                    Patient.chart_number,
                    Room.name,
                    AppointmentType.name,
                    Appointment.start_at,
                    Appointment.end_at,
                    Appointment.status,
                    Appointment.reason,
                    Appointment.cancel_reason,
                    Appointment.arrived_at,
                )
                .join(Practitioner, Practitioner.id == Appointment.practitioner_id)
                .join(Patient, Patient.id == Appointment.patient_id)
                .outerjoin(Room, Room.id == Appointment.room_id)
                .join(AppointmentType, AppointmentType.id == Appointment.type_id)
                .order_by(Appointment.start_at, Practitioner.display_name)
            )
        ]


def test_same_seed_same_agenda_other_seed_another(
    demo_agenda: CreatedClinic, tmp_path: Path
) -> None:
    def another(seed: int) -> list[tuple[Any, ...]]:
        created = create_demo_clinic(
            AppPaths(tmp_path / f"seed{seed}"),
            patients=40,
            seed=seed,
            language="en",
            kdf=FAST_KDF,
            keyring_backend=FileKeyring(),
            today=demo_day(),
            now=demo_now(demo_day()),
        )
        try:
            return _snapshot(created)
        finally:
            created.db.close()

    first = _snapshot(demo_agenda)
    assert another(7) == first
    assert another(8) != first


def test_the_size_follows_the_patients() -> None:
    assert demo_agenda_size(20) == (4, 200)
    assert demo_agenda_size(200) == (4, 2000)
    assert demo_agenda_size(100_000) == (20, 100_000)
    assert demo_agenda_size(0) == (4, 0)


def test_bulk_agenda_for_benchmarks_is_exact_and_consistent(demo: CreatedClinic) -> None:
    # The `demo` fixture has patients but no agenda: the benchmark's starting point.
    today = date(2026, 3, 4)
    now = datetime(2026, 3, 4, 15, 30, tzinfo=ZONE)
    with demo.db.uow().transaction(SYSTEM) as session:
        stats = add_demo_agenda(
            session,
            actor=SYSTEM,
            practitioners=7,
            appointments=4000,
            years=3,
            seed=11,
            today=today,
            now=now,
        )
    assert stats.practitioners == 7 and stats.appointments == 4000
    assert stats.first_day == date(2024, 3, 4) and stats.last_day == date(2027, 3, 4)
    with demo.db.uow().transaction(SYSTEM) as session:
        assert session.scalar(text("SELECT count(*) FROM appointments")) == 4000
        assert session.scalar(text("SELECT count(DISTINCT practitioner_id) FROM appointments")) == 7
        assert _overlaps(session, "practitioner_id") == 0
        assert _overlaps(session, "room_id") == 0
        starts = session.scalars(select(Appointment.start_at)).all()
        assert min(starts).date() >= stats.first_day and max(starts).date() <= stats.last_day
        # Stored as UTC, read back aware; the wall clock in Guayaquil is on a 5-minute grid.
        assert all(
            s.utcoffset() == timedelta(0) and s.astimezone(ZONE).minute % 5 == 0 for s in starts
        )
        ids = session.scalars(select(Appointment.id)).all()
        assert all(isinstance(i, uuid.UUID) and i.version == 7 for i in ids[:50])
