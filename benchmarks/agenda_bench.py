"""The agenda's figures on a clinic of 20 practitioners and 1,000,000 appointments over ten
years (agenda_bench_data.py): the day view of all 20 columns and one practitioner's week
(service call + `grid_data` + `TimeGridView.set_data` + `grab()` at 1440x900, offscreen),
free slots over 8 weeks, and booking an appointment. Each is a median of repeated runs, next
to the raw SQL it needs (the floor) run through a keyed SQLCipher connection from the same
engine in the same run: the DTO query of the day or week, the busy intervals of 8 weeks, and
one INSERT with its COMMIT. The app acts as the demo receptionist, so permission checks run."""

from __future__ import annotations

import os
import random
import statistics
import tempfile
import time
import uuid
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from agenda_bench_data import SEED, AgendaClinic, agenda_clinic
from bench_kit import Figure, Workspace, demo_actor, median_ms

RUNS = 15
BOOKINGS = 200
_ACTIVE = "('scheduled', 'confirmed', 'arrived', 'in_consultation', 'completed')"
_RAW_AGENDA = f"""
SELECT a.id, a.patient_id, p.first_names, p.last_names, p.phone, p.chart_number,
       a.practitioner_id, pr.display_name, pr.colour, a.room_id, r.name, a.type_id, t.name,
       t.colour, a.start_at, a.end_at, a.mode, a.reason, a.notes, a.status, a.arrived_at,
       a.cancelled_by, a.cancel_reason, a.late_cancellation, a.override_reason, a.series_id,
       a.version
  FROM appointments a
  JOIN patients p ON p.id = a.patient_id
  JOIN practitioners pr ON pr.id = a.practitioner_id
  LEFT JOIN rooms r ON r.id = a.room_id
  LEFT JOIN appointment_types t ON t.id = a.type_id
 WHERE a.deleted_at IS NULL AND a.practitioner_id IN ({{marks}})
   AND a.start_at >= ? AND a.start_at < ? AND a.status IN {_ACTIVE}
 ORDER BY a.start_at
"""
_RAW_BUSY = f"""
SELECT practitioner_id, start_at, end_at FROM appointments
 WHERE deleted_at IS NULL AND practitioner_id = ? AND start_at >= ? AND start_at < ?
   AND status IN {_ACTIVE}
"""


@dataclass
class _Bench:
    db: Any  # clinic_desktop.db.uow.Database
    actor: Any  # clinic_desktop.actor.Actor
    zone: ZoneInfo
    clinic: AgendaClinic
    practitioners: list[uuid.UUID]
    doctor: uuid.UUID  # Dr. Andrés Paredes, the "medico" account
    raw: Any  # a pooled DB-API connection of the same engine

    def bounds(self, first: date, last: date) -> list[str]:
        from clinic_desktop.services.agenda_rules import local_day_span

        start, _unused = local_day_span(first, self.zone)
        _unused, end = local_day_span(last, self.zone)
        return [_text(start), _text(end)]


def _text(moment: datetime) -> str:
    return moment.astimezone(UTC).replace(tzinfo=None).isoformat(" ", "microseconds")


def _per_day_ms(days: Sequence[date], action: Callable[[date], object]) -> float:
    """Median over `days` (a different day each time, as a person paging through would),
    after one warm-up on the first."""
    action(days[0])
    times = []
    for day in days[1:]:
        start = time.perf_counter()
        action(day)
        times.append((time.perf_counter() - start) * 1000)
    return statistics.median(times)


def agenda_figures(ws: Workspace) -> Iterator[Figure]:
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    clinic = agenda_clinic(ws.root)
    if clinic.generate_s is not None:
        yield "agenda_1m_generate_s", clinic.generate_s, "s"

    from clinic_desktop.actor import Actor
    from clinic_desktop.config import AppPaths
    from clinic_desktop.services.agenda_rules import clinic_zone
    from clinic_desktop.services.schedules import list_practitioners
    from clinic_desktop.services.startup import open_clinic, unlock

    paths = AppPaths(clinic.data_dir)
    db = open_clinic(paths, unlock(paths))
    try:
        with db.uow().transaction(Actor.system("benchmark")) as session:
            zone = clinic_zone(session)
        actor = demo_actor(db, "recepcion")
        practitioners = list_practitioners(db.uow(), actor=actor)
        raw = db.engine.raw_connection()
        try:
            bench = _Bench(
                db=db,
                actor=actor,
                zone=zone,
                clinic=clinic,
                practitioners=[p.id for p in practitioners],
                doctor=next(p.id for p in practitioners if p.username == "medico"),
                raw=raw,
            )
            yield from _views(bench)
            yield from _free_slots(bench)
            yield from _booking(bench)
        finally:
            raw.close()
    finally:
        db.close()


def _working_days(today: date, count: int) -> list[date]:
    """Weekdays from a week before `today` on: the busiest part of the generated agenda."""
    days, day = [], today - timedelta(days=7)
    while len(days) < count:
        if day.weekday() < 5:
            days.append(day)
        day += timedelta(days=1)
    return days


def _week(day: date) -> tuple[date, date]:
    monday = day - timedelta(days=day.weekday())
    return monday, monday + timedelta(days=6)


def _views(bench: _Bench) -> Iterator[Figure]:
    """The day of 20 columns and one practitioner's week: service, grid data and paint."""
    from clinic_desktop.services.agenda_queries import agenda_range

    try:
        from PySide6.QtWidgets import QApplication

        from clinic_desktop.ui.agenda.grid_data import day_grid, week_grid
        from clinic_desktop.ui.agenda.time_grid import TimeGridView
    except ImportError:  # the grid is not there: measure the service part only
        view = None
    else:
        app = QApplication.instance() or QApplication([])
        view = TimeGridView()
        view.resize(1440, 900)
        view.set_range(7, 21, 15)
        view.show()
        app.processEvents()

    def paint(grid: tuple[Any, Any, Any]) -> None:
        if view is not None:
            view.set_data(*grid)
            app.processEvents()  # the layout the new columns ask for
            view.grab()

    def day_service(day: date) -> Any:
        return agenda_range(bench.db.uow(), actor=bench.actor, first_day=day, last_day=day)

    def week_service(day: date) -> Any:
        first, last = _week(day)
        return agenda_range(
            bench.db.uow(),
            actor=bench.actor,
            first_day=first,
            last_day=last,
            practitioner_ids=[bench.doctor],
        )

    def day_view(day: date) -> None:
        rng = day_service(day)
        if view is not None:
            paint(day_grid(rng, bench.zone))

    def week_view(day: date) -> None:
        rng = week_service(day)
        if view is not None:
            paint(week_grid(rng, bench.zone, bench.doctor))

    def raw_range(first: date, last: date, who: list[uuid.UUID]) -> None:
        cursor = bench.raw.cursor()
        sql = _RAW_AGENDA.format(marks=", ".join("?" * len(who)))
        cursor.execute(sql, [p.hex for p in who] + bench.bounds(first, last))
        cursor.fetchall()

    days = _working_days(bench.clinic.today, RUNS + 1)
    day_ms = _per_day_ms(days, day_view)
    if view is not None:
        view.grab().save(str(Path(tempfile.gettempdir()) / "agenda_bench_day.png"))
    day_floor = _per_day_ms(days, lambda day: raw_range(day, day, bench.practitioners))
    day_service_ms = _per_day_ms(days, day_service)
    week_ms = _per_day_ms(days, week_view)
    if view is not None:
        view.grab().save(str(Path(tempfile.gettempdir()) / "agenda_bench_week.png"))
    week_floor = _per_day_ms(days, lambda day: raw_range(*_week(day), [bench.doctor]))
    week_service_ms = _per_day_ms(days, week_service)
    suffix = "" if view is not None else "_service_only"
    yield f"agenda_day_view_ms{suffix}", day_ms, "ms"
    yield "agenda_day_view_ratio", day_ms / day_floor, "x"
    yield "agenda_day_floor_ms", day_floor, "ms"
    yield "agenda_day_service_ms", day_service_ms, "ms"
    yield f"agenda_week_view_ms{suffix}", week_ms, "ms"
    yield "agenda_week_view_ratio", week_ms / week_floor, "x"
    yield "agenda_week_floor_ms", week_floor, "ms"
    yield "agenda_week_service_ms", week_service_ms, "ms"
    if view is not None:
        view.close()


def _free_slots(bench: _Bench) -> Iterator[Figure]:
    """30 minutes with the general practitioner over 8 weeks: the first 10 (the finder stops
    once it has them) and every opening (it must go through all 8 weeks); and every opening
    of any of the 20 practitioners."""
    from clinic_desktop.services.agenda_queries import find_free_slots

    now = bench.clinic.now
    first = now.astimezone(bench.zone).date()

    def floor() -> None:
        cursor = bench.raw.cursor()
        bounds = bench.bounds(first, first + timedelta(weeks=8))
        cursor.execute(_RAW_BUSY, [bench.doctor.hex, *bounds])
        cursor.fetchall()

    def slots(limit: int, who: uuid.UUID | None) -> list[Any]:
        return find_free_slots(
            bench.db.uow(),
            actor=bench.actor,
            minutes=30,
            practitioner_id=who,
            weeks=8,
            limit=limit,
            now=now,
        )

    floor_ms = median_ms(floor, RUNS, warm_up=True)
    first_ten = median_ms(lambda: slots(10, bench.doctor), RUNS, warm_up=True)
    every = median_ms(lambda: slots(100_000, bench.doctor), RUNS, warm_up=True)
    found = slots(100_000, bench.doctor)
    anyone = median_ms(lambda: slots(100_000, None), 5, warm_up=True)
    yield "free_slots_8w_ms", first_ten, "ms"
    yield "free_slots_8w_ratio", first_ten / floor_ms, "x"
    yield "free_slots_8w_floor_ms", floor_ms, "ms"
    yield "free_slots_8w_full_scan_ms", every, "ms"
    yield "free_slots_8w_full_scan_ratio", every / floor_ms, "x"
    yield "free_slots_8w_full_scan_slots", float(len(found)), "slots"
    yield "free_slots_8w_any_practitioner_full_scan_ms", anyone, "ms"


def _booking(bench: _Bench) -> Iterator[Figure]:
    """book_appointment (permission, checks, conflict and calendar rules, insert, audit entry,
    commit) into free slots two weeks and more ahead, against a raw INSERT of one appointment
    row and its COMMIT."""
    from sqlalchemy import select

    from clinic_desktop.models.patient import Patient
    from clinic_desktop.models.schedule import AppointmentType
    from clinic_desktop.services.agenda_queries import find_free_slots
    from clinic_desktop.services.appointments import book_appointment

    with bench.db.uow().transaction(bench.actor) as session:
        patients = list(session.scalars(select(Patient.id).limit(2000)))
        consult = session.scalar(
            select(AppointmentType.id).where(AppointmentType.name == "Consulta general")
        )
    now = bench.clinic.now
    offered = find_free_slots(
        bench.db.uow(),
        actor=bench.actor,
        minutes=30,
        weeks=8,
        limit=5000,
        now=now + timedelta(days=14),
    )
    kept: list[Any] = []
    taken: dict[uuid.UUID, list[Any]] = {}
    for slot in offered:  # openings overlap each other (15-minute steps): keep disjoint ones
        mine = taken.setdefault(slot.practitioner_id, [])
        if all(slot.end <= s.start or s.end <= slot.start for s in mine):
            mine.append(slot)
            kept.append(slot)
    rng = random.Random(SEED)
    rng.shuffle(kept)
    times = []
    for index, slot in enumerate(kept[: BOOKINGS + 10]):
        start = time.perf_counter()
        book_appointment(
            bench.db.uow(),
            actor=bench.actor,
            patient_id=rng.choice(patients),
            practitioner_id=slot.practitioner_id,
            start=slot.start,
            minutes=30,
            type_id=consult,
            reason="Control",
            now=now,
        )
        if index >= 10:  # the first few warm the statement caches
            times.append((time.perf_counter() - start) * 1000)

    cursor = bench.raw.execute("SELECT * FROM appointments LIMIT 1")
    row = list(cursor.fetchone())
    names = [d[0] for d in cursor.description]
    insert = "INSERT INTO appointments ({names}) VALUES ({marks})".format(
        names=", ".join(names), marks=", ".join("?" * len(names))
    )

    def floor() -> None:
        row[names.index("id")] = uuid.uuid4().hex
        bench.raw.execute("BEGIN IMMEDIATE")
        bench.raw.execute(insert, row)
        bench.raw.execute("COMMIT")

    floor_ms = median_ms(floor, 50, warm_up=True)
    booked = statistics.median(times)
    yield "appointment_create_ms", booked, "ms"
    yield "appointment_create_ratio", booked / floor_ms, "x"
    yield "appointment_create_floor_ms", floor_ms, "ms"
    yield "appointment_create_count", float(len(times)), "bookings"
