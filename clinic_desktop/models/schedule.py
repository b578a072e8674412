"""Who works when and where: practitioners (doctors with a login, or external ones without),
their weekly working hours with breaks, per-date exceptions (time off, extra hours), clinic
closures, rooms or chairs, and the appointment types reception books. These rows only describe
the calendar; `models.scheduling` turns them into open intervals."""

from __future__ import annotations

import uuid
from datetime import date, time
from enum import StrEnum

from sqlalchemy import Boolean, Date, ForeignKey, Integer, String, Time, Uuid
from sqlalchemy.orm import Mapped, mapped_column

from clinic_desktop.models.base import Entity


class AppointmentMode(StrEnum):
    IN_PERSON = "in_person"
    TELEMEDICINE = "telemedicine"


class ExceptionKind(StrEnum):
    # A whole day (no times) or a part of it off: vacation, a congress, a sick day.
    OFF = "off"
    # Hours worked beyond the weekly pattern: a Saturday morning, a late evening.
    EXTRA = "extra"


class Practitioner(Entity):
    __tablename__ = "practitioners"
    __label__ = "Practitioner"

    # A doctor who signs in is linked to their account; an external one has no user.
    user_id: Mapped[uuid.UUID | None] = mapped_column(
        Uuid, ForeignKey("users.id"), unique=True, index=True
    )
    display_name: Mapped[str] = mapped_column(String(200))
    specialty: Mapped[str] = mapped_column(String(120), default="")
    colour: Mapped[str] = mapped_column(String(7), default="#0F766E")
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    sort_order: Mapped[int] = mapped_column(Integer, default=0)


class WorkingHours(Entity):
    """One interval of a weekday; a break is the gap between two intervals of the same day."""

    __tablename__ = "working_hours"
    __label__ = "Working hours"

    practitioner_id: Mapped[uuid.UUID] = mapped_column(
        Uuid, ForeignKey("practitioners.id"), index=True
    )
    weekday: Mapped[int] = mapped_column(Integer)  # 0 = Monday, as date.weekday()
    start_time: Mapped[time] = mapped_column(Time)
    end_time: Mapped[time] = mapped_column(Time)


class ScheduleException(Entity):
    __tablename__ = "schedule_exceptions"
    __label__ = "Schedule exception"

    practitioner_id: Mapped[uuid.UUID] = mapped_column(
        Uuid, ForeignKey("practitioners.id"), index=True
    )
    day: Mapped[date] = mapped_column(Date, index=True)
    kind: Mapped[str] = mapped_column(String(8))
    # Both empty on an OFF exception means the whole day.
    start_time: Mapped[time | None] = mapped_column(Time)
    end_time: Mapped[time | None] = mapped_column(Time)
    note: Mapped[str] = mapped_column(String(200), default="")


class ClinicClosure(Entity):
    """Days the whole clinic is shut (inventory day, local festivity) beyond public holidays."""

    __tablename__ = "clinic_closures"
    __label__ = "Clinic closure"

    first_day: Mapped[date] = mapped_column(Date, index=True)
    last_day: Mapped[date] = mapped_column(Date)
    reason: Mapped[str] = mapped_column(String(200))


class Room(Entity):
    __tablename__ = "rooms"
    __label__ = "Room"

    name: Mapped[str] = mapped_column(String(80))
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    sort_order: Mapped[int] = mapped_column(Integer, default=0)


class AppointmentType(Entity):
    __tablename__ = "appointment_types"
    __label__ = "Appointment type"

    name: Mapped[str] = mapped_column(String(80))
    duration_minutes: Mapped[int] = mapped_column(Integer, default=30)
    colour: Mapped[str] = mapped_column(String(7), default="#2563EB")
    mode: Mapped[str] = mapped_column(String(16), default=AppointmentMode.IN_PERSON.value)
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    # The treatment usually done in this kind of visit: booking one plans it, and the stock
    # forecast counts its recipe for appointments with no treatments of their own.
    treatment_id: Mapped[uuid.UUID | None] = mapped_column(Uuid, ForeignKey("treatments.id"))
