"""A small, realistic agenda for tests, built through the real services: two doctors linked to
the demo accounts and one external practitioner, weekday hours with a lunch break, two rooms
and three appointment types. `next_monday()` gives a future working day so bookings made with
the real clock are never in the past."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy import select

from clinic_desktop.actor import Actor
from clinic_desktop.models.patient import Patient
from clinic_desktop.models.user import User
from clinic_desktop.services.agenda_dto import HoursInterval
from clinic_desktop.services.schedules import (
    save_appointment_type,
    save_practitioner,
    save_room,
    set_working_hours,
)

SYSTEM = Actor.system("tests")
WEEKDAY_HOURS = [
    HoursInterval(day, start, end)
    for day in range(5)
    for start, end in ((time(9), time(13)), (time(15), time(19)))
]


@dataclass(frozen=True)
class AgendaSeed:
    zone: ZoneInfo
    doctor: uuid.UUID  # Dr. Andrés Paredes (account "medico")
    dentist: uuid.UUID  # Dra. Valeria Cedeño (account "odontologa")
    external: uuid.UUID  # external practitioner, no account
    room_1: uuid.UUID
    room_2: uuid.UUID
    consult: uuid.UUID  # 30 min, in person
    cleaning: uuid.UUID  # 45 min, in person
    video: uuid.UUID  # 20 min, telemedicine
    patients: tuple[uuid.UUID, ...]

    def at(self, day: date, hour: int, minute: int = 0) -> datetime:
        """An aware UTC instant for a wall-clock time in the clinic's zone."""
        return datetime.combine(day, time(hour, minute), tzinfo=self.zone).astimezone(UTC)


def next_monday(today: date | None = None) -> date:
    today = today or date.today()
    return today + timedelta(days=7 - today.weekday())


def seed_agenda(db: object, *, zone: str = "America/Guayaquil") -> AgendaSeed:
    uow = db.uow  # type: ignore[attr-defined]
    with uow().transaction(SYSTEM) as session:
        users = {a: b for a, b in session.execute(select(User.username, User.id))}
        patients = tuple(session.scalars(select(Patient.id).order_by(Patient.chart_number)).all())
    doctor = save_practitioner(
        uow(),
        actor=SYSTEM,
        display_name="Dr. Andrés Paredes",
        specialty="Medicina general",
        colour="#2563EB",
        user_id=users.get("medico"),
        sort_order=1,
    )
    dentist = save_practitioner(
        uow(),
        actor=SYSTEM,
        display_name="Dra. Valeria Cedeño",
        specialty="Odontología",
        colour="#DB2777",
        user_id=users.get("odontologa"),
        sort_order=2,
    )
    external = save_practitioner(
        uow(),
        actor=SYSTEM,
        display_name="Dr. Tomás Ruiz",
        specialty="Cardiología",
        colour="#7C3AED",
        sort_order=3,
    )
    for practitioner in (doctor, dentist, external):
        set_working_hours(uow(), actor=SYSTEM, practitioner_id=practitioner.id, hours=WEEKDAY_HOURS)
    room_1 = save_room(uow(), actor=SYSTEM, name="Consultorio 1", sort_order=1)
    room_2 = save_room(uow(), actor=SYSTEM, name="Sillón 2", sort_order=2)
    consult = save_appointment_type(
        uow(), actor=SYSTEM, name="Consulta", duration_minutes=30, colour="#0F766E"
    )
    cleaning = save_appointment_type(
        uow(), actor=SYSTEM, name="Limpieza dental", duration_minutes=45, colour="#D97706"
    )
    video = save_appointment_type(
        uow(),
        actor=SYSTEM,
        name="Videoconsulta",
        duration_minutes=20,
        colour="#0891B2",
        mode="telemedicine",
    )
    return AgendaSeed(
        zone=ZoneInfo(zone),
        doctor=doctor.id,
        dentist=dentist.id,
        external=external.id,
        room_1=room_1.id,
        room_2=room_2.id,
        consult=consult.id,
        cleaning=cleaning.id,
        video=video.id,
        patients=patients,
    )
