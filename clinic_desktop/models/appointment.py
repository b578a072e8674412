"""Appointments and what hangs off them: the status lifecycle (scheduled → confirmed → arrived →
in consultation → completed, or cancelled / no-show), the history of moves, recurring series
and the waitlist. The lifecycle rules live here on the entity and never touch a session, so
services, tests and the UI's menus all ask the same `Appointment.can_become`."""

from __future__ import annotations

import uuid
from datetime import date, datetime, time, timedelta
from enum import StrEnum

from sqlalchemy import (
    Boolean,
    ColumnElement,
    Date,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
    Time,
    Uuid,
    and_,
)
from sqlalchemy.orm import Mapped, mapped_column

from clinic_desktop.errors import InvalidTransition, ValidationError
from clinic_desktop.models.base import Entity, UTCDateTime


class AppointmentStatus(StrEnum):
    SCHEDULED = "scheduled"
    CONFIRMED = "confirmed"
    ARRIVED = "arrived"
    IN_CONSULTATION = "in_consultation"
    COMPLETED = "completed"
    CANCELLED = "cancelled"
    NO_SHOW = "no_show"


class CancelledBy(StrEnum):
    PATIENT = "patient"
    CLINIC = "clinic"


S = AppointmentStatus

# The statuses that hold their slot: anything else frees it for someone else.
ACTIVE_STATUSES: frozenset[AppointmentStatus] = frozenset(
    {S.SCHEDULED, S.CONFIRMED, S.ARRIVED, S.IN_CONSULTATION, S.COMPLETED}
)
# Only appointments that have not started can be moved or resized.
MOVABLE_STATUSES: frozenset[AppointmentStatus] = frozenset({S.SCHEDULED, S.CONFIRMED})

# No appointment lasts longer. Besides catching typos, it bounds overlap queries from below:
# anything overlapping [start, end) starts after start - MAX_DURATION, so the
# (practitioner, start) index is read as a range instead of from the first appointment ever.
MAX_DURATION = timedelta(hours=12)


def overlapping(start: datetime, end: datetime) -> ColumnElement[bool]:
    """Appointments overlapping [start, end), written so SQLite uses the start_at indexes."""
    return and_(
        Appointment.start_at > start - MAX_DURATION,
        Appointment.start_at < end,
        Appointment.end_at > start,
    )


TRANSITIONS: dict[AppointmentStatus, frozenset[AppointmentStatus]] = {
    S.SCHEDULED: frozenset({S.CONFIRMED, S.ARRIVED, S.CANCELLED, S.NO_SHOW}),
    # Un-confirming happens when a patient says "maybe": back to scheduled.
    S.CONFIRMED: frozenset({S.SCHEDULED, S.ARRIVED, S.CANCELLED, S.NO_SHOW}),
    # An arrival marked on the wrong patient is undone back to confirmed.
    S.ARRIVED: frozenset({S.CONFIRMED, S.IN_CONSULTATION, S.COMPLETED}),
    S.IN_CONSULTATION: frozenset({S.COMPLETED}),
    S.COMPLETED: frozenset(),
    S.CANCELLED: frozenset(),
    # A patient marked absent who turns up late is still seen.
    S.NO_SHOW: frozenset({S.ARRIVED}),
}


class Appointment(Entity):
    __tablename__ = "appointments"
    __label__ = "Appointment"
    __table_args__ = (
        Index("ix_appointments_practitioner_start", "practitioner_id", "start_at"),
        Index("ix_appointments_room_start", "room_id", "start_at"),
        Index("ix_appointments_start", "start_at"),
    )

    patient_id: Mapped[uuid.UUID] = mapped_column(Uuid, ForeignKey("patients.id"), index=True)
    practitioner_id: Mapped[uuid.UUID] = mapped_column(Uuid, ForeignKey("practitioners.id"))
    room_id: Mapped[uuid.UUID | None] = mapped_column(Uuid, ForeignKey("rooms.id"))
    type_id: Mapped[uuid.UUID | None] = mapped_column(Uuid, ForeignKey("appointment_types.id"))
    series_id: Mapped[uuid.UUID | None] = mapped_column(
        Uuid, ForeignKey("appointment_series.id"), index=True
    )
    start_at: Mapped[datetime] = mapped_column(UTCDateTime)
    end_at: Mapped[datetime] = mapped_column(UTCDateTime)
    mode: Mapped[str] = mapped_column(String(16), default="in_person")
    reason: Mapped[str] = mapped_column(String(300), default="")
    # Non-clinical notes only ("bring X-rays", "wheelchair"); clinical notes live in the record.
    notes: Mapped[str] = mapped_column(Text, default="")
    status: Mapped[str] = mapped_column(String(16), default=S.SCHEDULED.value)
    confirmed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    arrived_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    started_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    completed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    cancelled_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    cancelled_by: Mapped[str | None] = mapped_column(String(8))
    cancel_reason: Mapped[str | None] = mapped_column(String(300))
    late_cancellation: Mapped[bool] = mapped_column(Boolean, default=False)
    # Why a booking outside working hours, on a closure or in the past was let through.
    override_reason: Mapped[str | None] = mapped_column(String(300))
    reminder_sent_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    @property
    def status_enum(self) -> AppointmentStatus:
        return AppointmentStatus(self.status)

    @property
    def duration(self) -> timedelta:
        return self.end_at - self.start_at

    def can_become(self, status: AppointmentStatus) -> bool:
        return status in TRANSITIONS[self.status_enum]

    def change_status(self, status: AppointmentStatus, *, at: datetime) -> None:
        """Moves along the lifecycle; cancelling goes through `cancel` (it needs a reason)."""
        if status is S.CANCELLED:
            raise InvalidTransition("cancel() records who cancelled and why")
        self._check(status)
        if status is S.CONFIRMED:
            self.confirmed_at = at
        elif status is S.ARRIVED:
            self.arrived_at = at
        elif status is S.IN_CONSULTATION:
            self.started_at = at
            self.arrived_at = self.arrived_at or at
        elif status is S.COMPLETED:
            self.completed_at = at
        elif status is S.SCHEDULED:
            self.confirmed_at = None
        if self.status_enum is S.ARRIVED and status is S.CONFIRMED:
            self.arrived_at = None
        self.status = status.value

    def cancel(self, *, by: CancelledBy, reason: str, at: datetime, late_window: timedelta) -> None:
        self._check(S.CANCELLED)
        reason = " ".join(reason.split())
        if not reason:
            raise ValidationError("reason required", field="cancel_reason")
        self.status = S.CANCELLED.value
        self.cancelled_at = at
        self.cancelled_by = by.value
        self.cancel_reason = reason
        # Only a patient's own short-notice cancellation counts against them.
        self.late_cancellation = by is CancelledBy.PATIENT and self.start_at - at < late_window

    def _check(self, status: AppointmentStatus) -> None:
        if not self.can_become(status):
            raise InvalidTransition(f"{self.status} -> {status.value}")


class AppointmentMove(Entity):
    """One reschedule: where the appointment was and where it went (who and when are the
    entity's own created_by / created_at)."""

    __tablename__ = "appointment_moves"
    __label__ = "Appointment move"

    appointment_id: Mapped[uuid.UUID] = mapped_column(
        Uuid, ForeignKey("appointments.id"), index=True
    )
    from_start: Mapped[datetime] = mapped_column(UTCDateTime)
    from_end: Mapped[datetime] = mapped_column(UTCDateTime)
    from_practitioner_id: Mapped[uuid.UUID] = mapped_column(Uuid)
    from_room_id: Mapped[uuid.UUID | None] = mapped_column(Uuid)
    to_start: Mapped[datetime] = mapped_column(UTCDateTime)
    to_end: Mapped[datetime] = mapped_column(UTCDateTime)
    to_practitioner_id: Mapped[uuid.UUID] = mapped_column(Uuid)
    to_room_id: Mapped[uuid.UUID | None] = mapped_column(Uuid)


class RepeatUnit(StrEnum):
    DAY = "day"
    WEEK = "week"


class AppointmentSeries(Entity):
    """The rule a recurring booking was made from; occurrences are ordinary appointments
    pointing here, so one can be edited or cancelled alone."""

    __tablename__ = "appointment_series"
    __label__ = "Appointment series"

    patient_id: Mapped[uuid.UUID] = mapped_column(Uuid, ForeignKey("patients.id"), index=True)
    practitioner_id: Mapped[uuid.UUID] = mapped_column(Uuid, ForeignKey("practitioners.id"))
    interval: Mapped[int] = mapped_column(Integer, default=1)
    unit: Mapped[str] = mapped_column(String(8), default=RepeatUnit.WEEK.value)
    weekdays: Mapped[str] = mapped_column(String(20), default="")  # "0,2,4"; weekly only
    first_day: Mapped[date] = mapped_column(Date)
    until: Mapped[date | None] = mapped_column(Date)
    count: Mapped[int | None] = mapped_column(Integer)
    start_time: Mapped[time] = mapped_column(Time)
    duration_minutes: Mapped[int] = mapped_column(Integer)


class WaitlistStatus(StrEnum):
    WAITING = "waiting"
    BOOKED = "booked"
    WITHDRAWN = "withdrawn"


class WaitlistEntry(Entity):
    """A patient who wants an earlier slot, and when they could come."""

    __tablename__ = "waitlist_entries"
    __label__ = "Waitlist entry"

    patient_id: Mapped[uuid.UUID] = mapped_column(Uuid, ForeignKey("patients.id"), index=True)
    practitioner_id: Mapped[uuid.UUID | None] = mapped_column(Uuid, ForeignKey("practitioners.id"))
    type_id: Mapped[uuid.UUID | None] = mapped_column(Uuid, ForeignKey("appointment_types.id"))
    duration_minutes: Mapped[int] = mapped_column(Integer, default=30)
    weekdays: Mapped[str] = mapped_column(String(20), default="0,1,2,3,4,5")
    earliest_time: Mapped[time] = mapped_column(Time, default=time(7, 0))
    latest_time: Mapped[time] = mapped_column(Time, default=time(21, 0))
    # The appointment they already hold and would like to bring forward, if any.
    current_appointment_id: Mapped[uuid.UUID | None] = mapped_column(
        Uuid, ForeignKey("appointments.id")
    )
    note: Mapped[str] = mapped_column(String(300), default="")
    status: Mapped[str] = mapped_column(String(12), default=WaitlistStatus.WAITING.value)
    booked_appointment_id: Mapped[uuid.UUID | None] = mapped_column(Uuid)


def parse_weekdays(text: str) -> frozenset[int]:
    return frozenset(int(part) for part in text.split(",") if part.strip())


def format_weekdays(days: frozenset[int] | set[int] | tuple[int, ...]) -> str:
    return ",".join(str(d) for d in sorted(set(days)))
