"""Frozen data the agenda services return: practitioners, rooms, appointment types, schedules,
appointments, free slots, series previews, waitlist entries and reminders. Datetimes are aware
and in UTC; the UI shows them in the clinic's zone (`ClinicDTO.timezone`)."""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field
from datetime import date, datetime, time


@dataclass(frozen=True)
class PractitionerDTO:
    id: uuid.UUID
    user_id: uuid.UUID | None
    username: str | None
    display_name: str
    specialty: str
    colour: str
    active: bool
    sort_order: int
    version: int


@dataclass(frozen=True)
class HoursInterval:
    weekday: int  # 0 = Monday
    start: time
    end: time


@dataclass(frozen=True)
class ScheduleExceptionDTO:
    id: uuid.UUID
    practitioner_id: uuid.UUID
    day: date
    kind: str  # off | extra
    start: time | None
    end: time | None
    note: str


@dataclass(frozen=True)
class ClosureDTO:
    id: uuid.UUID
    first_day: date
    last_day: date
    reason: str


@dataclass(frozen=True)
class RoomDTO:
    id: uuid.UUID
    name: str
    active: bool
    sort_order: int
    version: int


@dataclass(frozen=True)
class AppointmentTypeDTO:
    id: uuid.UUID
    name: str
    duration_minutes: int
    colour: str
    mode: str
    active: bool
    version: int


@dataclass(frozen=True)
class AppointmentDTO:
    id: uuid.UUID
    patient_id: uuid.UUID
    patient_name: str
    patient_phone: str | None
    chart_number: int | None
    practitioner_id: uuid.UUID
    practitioner_name: str
    room_id: uuid.UUID | None
    room_name: str | None
    type_id: uuid.UUID | None
    type_name: str | None
    colour: str
    start: datetime
    end: datetime
    mode: str
    reason: str
    notes: str
    status: str
    arrived_at: datetime | None
    cancelled_by: str | None
    cancel_reason: str | None
    late_cancellation: bool
    override_reason: str | None
    series_id: uuid.UUID | None
    version: int

    @property
    def minutes(self) -> int:
        return int((self.end - self.start).total_seconds() // 60)


@dataclass(frozen=True)
class DaySchedule:
    """One practitioner's working time on one date, and why it is closed if it is."""

    practitioner_id: uuid.UUID
    day: date
    open: tuple[tuple[datetime, datetime], ...]
    closed_label: str = ""


@dataclass(frozen=True)
class AgendaRange:
    """Everything a day or week view paints, fetched in one transaction."""

    first_day: date
    last_day: date
    practitioners: tuple[PractitionerDTO, ...]
    rooms: tuple[RoomDTO, ...]
    appointments: tuple[AppointmentDTO, ...]
    schedules: tuple[DaySchedule, ...]
    closed_days: dict[date, str] = field(default_factory=dict)


@dataclass(frozen=True)
class MonthDayCount:
    day: date
    by_status: dict[str, int]
    closed_label: str = ""

    @property
    def count(self) -> int:
        return sum(n for s, n in self.by_status.items() if s not in ("cancelled", "no_show"))


@dataclass(frozen=True)
class SlotProblem:
    """Why a time does not work. `blocking` problems (overlaps) can never be overridden; the
    others (outside hours, closure, holiday, past) can, with schedule.manage and a reason."""

    code: str  # overlap_practitioner | overlap_room | outside_hours | closed | holiday | past
    message: str
    blocking: bool


@dataclass(frozen=True)
class FreeSlot:
    practitioner_id: uuid.UUID
    practitioner_name: str
    start: datetime
    end: datetime


@dataclass(frozen=True)
class MoveDTO:
    at: datetime
    by: str
    from_start: datetime
    to_start: datetime
    from_practitioner: str
    to_practitioner: str
    from_end: datetime
    to_end: datetime


@dataclass(frozen=True)
class OccurrencePreview:
    start: datetime
    end: datetime
    problems: tuple[SlotProblem, ...]

    @property
    def blocked(self) -> bool:
        return bool(self.problems)


@dataclass(frozen=True)
class SeriesResult:
    series_id: uuid.UUID
    booked: tuple[AppointmentDTO, ...]
    skipped: tuple[OccurrencePreview, ...]


@dataclass(frozen=True)
class CancelResult:
    appointment: AppointmentDTO
    waitlist_matches: tuple[WaitlistDTO, ...]


@dataclass(frozen=True)
class WaitlistDTO:
    id: uuid.UUID
    patient_id: uuid.UUID
    patient_name: str
    patient_phone: str | None
    practitioner_id: uuid.UUID | None
    practitioner_name: str | None
    type_id: uuid.UUID | None
    type_name: str | None
    duration_minutes: int
    weekdays: tuple[int, ...]
    earliest: time
    latest: time
    note: str
    status: str
    current_appointment_start: datetime | None
    created_at: datetime
    version: int


@dataclass(frozen=True)
class WaitingRoomEntry:
    appointment: AppointmentDTO
    arrived_at: datetime
    waited_minutes: int


@dataclass(frozen=True)
class ReminderDue:
    appointment_id: uuid.UUID
    patient_name: str
    channel: str
    contact: str
    start: datetime
    practitioner_name: str


@dataclass(frozen=True)
class PatientHit:
    id: uuid.UUID
    chart_number: int
    full_name: str
    id_number: str | None
    phone: str | None
    no_shows: int
    late_cancellations: int
    birth_date: date | None = None
