"""Turns what the agenda services return (an `AgendaRange` of aware UTC appointments and working
time) into the plain records the time grid paints: one column per practitioner or per room for
a day, or seven day columns for one practitioner's week, with blocks and shades in the clinic's
local wall-clock time. It also answers the grid's live conflict question while a block is being
dragged, from the appointments already loaded. Pure functions without widgets, so the page,
the tests and the benchmarks call the same code."""

from __future__ import annotations

import uuid
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

from babel.dates import format_date

from clinic_desktop.i18n import _, current_language
from clinic_desktop.services.agenda_dto import AgendaRange, AppointmentDTO, DaySchedule
from clinic_desktop.services.agenda_labels import mode_label, status_label
from clinic_desktop.ui.agenda.grid_model import GridBlock, GridColumn, GridShade

# Only appointments nobody has acted on yet may change time (the services refuse the rest).
MOVABLE = frozenset({"scheduled", "confirmed"})
# Statuses that hold a slot; a cancelled or missed appointment frees it.
HOLDING = frozenset({"scheduled", "confirmed", "arrived", "in_consultation", "completed"})
NO_ROOM = "no-room"

Grid = tuple[list[GridColumn], list[GridBlock], list[GridShade]]


def to_local(moment: datetime, zone: ZoneInfo) -> datetime:
    """An aware instant as naive wall-clock time in `zone` (what the grid works in)."""
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    return moment.astimezone(zone).replace(tzinfo=None)


def to_utc(local: datetime, zone: ZoneInfo) -> datetime:
    """Naive wall-clock time in `zone` as an aware UTC instant (what the services take)."""
    return local.replace(tzinfo=zone).astimezone(UTC)


def clock(moment: datetime) -> str:
    return f"{moment.hour:02d}:{moment.minute:02d}"


def week_days(day: date) -> list[date]:
    """Monday to Sunday of the week holding `day`."""
    monday = day - timedelta(days=day.weekday())
    return [monday + timedelta(days=offset) for offset in range(7)]


def block_detail(appointment: AppointmentDTO) -> str:
    return " · ".join(text for text in (appointment.type_name, appointment.reason) if text)


class BlockMaker:
    """Makes the blocks of one grid. The translated templates and labels are looked up once
    per grid, not per block: a busy day of 20 columns has hundreds of blocks, and gettext per
    block was most of the cost of building it."""

    def __init__(self, zone: ZoneInfo, *, with_practitioner: bool = False) -> None:
        self.zone = zone
        self._with_practitioner = with_practitioner  # room columns say whose it is
        self._times = _("{start}–{end} · {status}")
        self._phone = _("Phone: {phone}")
        self._place = _("{room} · {mode}")
        self._notes = _("Notes: {notes}")
        self._no_room = _("No room")
        self._statuses: dict[str, str] = {}
        self._modes: dict[str, str] = {}

    def status(self, code: str) -> str:
        label = self._statuses.get(code)
        if label is None:
            label = self._statuses[code] = status_label(code)
        return label

    def mode(self, code: str) -> str:
        label = self._modes.get(code)
        if label is None:
            label = self._modes[code] = mode_label(code)
        return label

    def tooltip(
        self, appointment: AppointmentDTO, start: datetime, end: datetime, detail: str
    ) -> str:
        times = self._times.format(
            start=clock(start), end=clock(end), status=self.status(appointment.status)
        )
        lines = [appointment.patient_name, times]
        if detail:
            lines.append(detail)
        lines.append(appointment.practitioner_name)
        if appointment.patient_phone:
            lines.append(self._phone.format(phone=appointment.patient_phone))
        room = appointment.room_name or self._no_room
        lines.append(self._place.format(room=room, mode=self.mode(appointment.mode)))
        if appointment.notes:
            lines.append(self._notes.format(notes=appointment.notes))
        return "\n".join(lines)

    def block(self, appointment: AppointmentDTO, column: str) -> GridBlock:
        what = block_detail(appointment)
        detail = what
        if self._with_practitioner:
            detail = " · ".join(t for t in (appointment.practitioner_name, what) if t)
        start, end = to_local(appointment.start, self.zone), to_local(appointment.end, self.zone)
        movable = appointment.status in MOVABLE
        return GridBlock(
            key=str(appointment.id),
            column=column,
            start=start,
            end=end,
            title=appointment.patient_name,
            detail=detail,
            colour=appointment.colour,
            status=appointment.status,
            status_label=self.status(appointment.status),
            movable=movable,
            resizable=movable,
            tooltip=self.tooltip(appointment, start, end, what),
        )


def _day_bounds(day: date) -> tuple[datetime, datetime]:
    start = datetime(day.year, day.month, day.day)
    return start, start + timedelta(days=1)


def _open_shades(column: str, schedule: DaySchedule, zone: ZoneInfo) -> list[GridShade]:
    return [
        GridShade(column, to_local(start, zone), to_local(end, zone), "open")
        for start, end in schedule.open
    ]


def _closed_shade(column: str, day: date, label: str) -> GridShade:
    start, end = _day_bounds(day)
    return GridShade(column, start, end, "closed", label)


def _merged(spans: Iterable[tuple[datetime, datetime]]) -> list[tuple[datetime, datetime]]:
    merged: list[tuple[datetime, datetime]] = []
    for start, end in sorted(spans):
        if merged and start <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(end, merged[-1][1]))
        else:
            merged.append((start, end))
    return merged


def _chosen(rng: AgendaRange, practitioner_ids: Sequence[uuid.UUID] | None) -> list[uuid.UUID]:
    known = [p.id for p in rng.practitioners]
    if practitioner_ids is None:
        return known
    wanted = set(practitioner_ids)
    return [pid for pid in known if pid in wanted]


def day_grid(
    rng: AgendaRange,
    zone: ZoneInfo,
    *,
    by: str = "practitioner",
    practitioner_ids: Sequence[uuid.UUID] | None = None,
) -> Grid:
    """The first day of `rng`: a column per practitioner (in their sort order) or, with
    by="room", per room plus "No room" for appointments without one."""
    day = rng.first_day
    chosen = _chosen(rng, practitioner_ids)
    wanted = set(chosen)
    closed = rng.closed_days.get(day, "")
    schedules = [s for s in rng.schedules if s.day == day and s.practitioner_id in wanted]
    first, last = (to_utc(moment, zone) for moment in _day_bounds(day))
    todays = [
        a
        for a in rng.appointments
        if a.practitioner_id in wanted and a.start < last and a.end > first
    ]
    columns: list[GridColumn] = []
    blocks: list[GridBlock] = []
    shades: list[GridShade] = []
    if by == "room":
        for room in rng.rooms:
            columns.append(GridColumn(str(room.id), room.name, day))
        if any(a.room_id is None for a in todays) or not rng.rooms:
            columns.append(GridColumn(NO_ROOM, _("No room"), day))
        room_keys = {room.id: str(room.id) for room in rng.rooms}
        maker = BlockMaker(zone, with_practitioner=True)
        for a in todays:
            room_key = room_keys.get(a.room_id, NO_ROOM) if a.room_id else NO_ROOM
            blocks.append(maker.block(a, room_key))
        # A room is open while anyone chosen works; rooms have no hours of their own.
        spans = _merged(
            (to_local(s, zone), to_local(e, zone)) for sched in schedules for s, e in sched.open
        )
        for column in columns:
            shades.extend(GridShade(column.key, s, e, "open") for s, e in spans)
            if closed:
                shades.append(_closed_shade(column.key, day, closed))
        return columns, blocks, shades
    by_practitioner = {p.id: p for p in rng.practitioners}
    for pid in chosen:
        practitioner = by_practitioner[pid]
        columns.append(
            GridColumn(
                str(pid),
                practitioner.display_name,
                day,
                subtitle=practitioner.specialty,
                colour=practitioner.colour,
            )
        )
    keys = {pid: str(pid) for pid in chosen}
    maker = BlockMaker(zone)
    blocks.extend(maker.block(a, keys[a.practitioner_id]) for a in todays)
    for schedule in schedules:
        shades.extend(_open_shades(keys[schedule.practitioner_id], schedule, zone))
    if closed:
        shades.extend(_closed_shade(keys[pid], day, closed) for pid in chosen)
    return columns, blocks, shades


def week_title(day: date) -> str:
    """A week column's title: short weekday and day number in the UI language ("lun 12")."""
    return str(format_date(day, "EEE d", locale=current_language()))


def week_grid(rng: AgendaRange, zone: ZoneInfo, practitioner_id: uuid.UUID) -> Grid:
    """One practitioner over the days of `rng` (a week): one column per date, keyed by its ISO
    form."""
    days: list[date] = []
    day = rng.first_day
    while day <= rng.last_day:
        days.append(day)
        day += timedelta(days=1)
    keys = {d: d.isoformat() for d in days}
    columns = [
        GridColumn(keys[d], week_title(d), d, subtitle=rng.closed_days.get(d, "")) for d in days
    ]
    blocks: list[GridBlock] = []
    maker = BlockMaker(zone)
    for a in rng.appointments:
        if a.practitioner_id != practitioner_id:
            continue
        key = keys.get(to_local(a.start, zone).date())
        if key is not None:
            blocks.append(maker.block(a, key))
    shades: list[GridShade] = []
    for schedule in rng.schedules:
        if schedule.practitioner_id == practitioner_id and schedule.day in keys:
            shades.extend(_open_shades(keys[schedule.day], schedule, zone))
    for d in days:
        label = rng.closed_days.get(d, "")
        if label:
            shades.append(_closed_shade(keys[d], d, label))
    return columns, blocks, shades


def appointments_by_id(rng: AgendaRange) -> dict[str, AppointmentDTO]:
    return {str(a.id): a for a in rng.appointments}


class ConflictFinder:
    """Answers "would this time clash?" from the loaded appointments, the way the services'
    rule does (same practitioner or same room; touching edges are fine), so a drag turns red
    before the drop. The service still decides on the drop; this only spares a round trip."""

    def __init__(self, rng: AgendaRange, zone: ZoneInfo) -> None:
        self._zone = zone
        self._by_id = appointments_by_id(rng)
        self._by_practitioner: dict[uuid.UUID, list[AppointmentDTO]] = defaultdict(list)
        self._by_room: dict[uuid.UUID, list[AppointmentDTO]] = defaultdict(list)
        for a in rng.appointments:
            if a.status not in HOLDING:
                continue
            self._by_practitioner[a.practitioner_id].append(a)
            if a.room_id is not None:
                self._by_room[a.room_id].append(a)

    def appointment(self, key: str | None) -> AppointmentDTO | None:
        return self._by_id.get(key or "")

    def conflict(
        self,
        *,
        key: str | None,
        practitioner_id: uuid.UUID | None,
        room_id: uuid.UUID | None,
        start: datetime,
        end: datetime,
    ) -> str | None:
        """`start`/`end` are naive local; returns a translated message or None."""
        begin, finish = to_utc(start, self._zone), to_utc(end, self._zone)
        if practitioner_id is not None:
            for other in self._by_practitioner.get(practitioner_id, ()):
                if str(other.id) != key and other.start < finish and begin < other.end:
                    return _("{name} already has {patient} from {start} to {end}.").format(
                        name=other.practitioner_name,
                        patient=other.patient_name,
                        start=clock(to_local(other.start, self._zone)),
                        end=clock(to_local(other.end, self._zone)),
                    )
        if room_id is not None:
            for other in self._by_room.get(room_id, ()):
                if str(other.id) != key and other.start < finish and begin < other.end:
                    return _("{room} is taken by {patient} from {start} to {end}.").format(
                        room=other.room_name or "",
                        patient=other.patient_name,
                        start=clock(to_local(other.start, self._zone)),
                        end=clock(to_local(other.end, self._zone)),
                    )
        return None


@dataclass(frozen=True)
class Target:
    """Where a grid column puts an appointment: its practitioner and room. `room_changed` is
    False when the column says nothing about rooms (a move then keeps the room it had)."""

    practitioner_id: uuid.UUID | None
    room_id: uuid.UUID | None
    room_changed: bool = False


def column_target(
    layout: str,
    column_key: str,
    *,
    appointment: AppointmentDTO | None,
    practitioner_id: uuid.UUID | None,
) -> Target:
    """`layout` is "practitioner" or "room" (day view) or "week"; `practitioner_id` is the
    week's practitioner, or the day filter when columns are rooms."""
    keep_room = appointment.room_id if appointment is not None else None
    if layout == "practitioner":
        return Target(uuid.UUID(column_key), keep_room)
    owner = appointment.practitioner_id if appointment is not None else practitioner_id
    if layout == "room":
        room = None if column_key == NO_ROOM else uuid.UUID(column_key)
        return Target(owner, room, room_changed=room != keep_room)
    return Target(practitioner_id or owner, keep_room)
