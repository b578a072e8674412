"""Turning the demo agenda's generated slots into appointment rows with a believable history:
past ones mostly completed, some cancelled (by the patient or the clinic, with a reason, a few
at short notice) and some no-shows; today's around the demo's "now" (finished, in
consultation, patients waiting, still to come); future ones scheduled or confirmed. Rows are
plain dicts of one shape for `demo_bulk.BulkWriter`. Times here are naive datetimes in UTC:
over a million rows, arithmetic and formatting without a zone object cost a third as much,
and the writer stores them exactly as the models' UTC columns do."""

from __future__ import annotations

import random
import uuid
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from clinic_desktop.models.appointment import AppointmentStatus, CancelledBy
from clinic_desktop.models.base import new_id
from clinic_desktop.services.demo_agenda_setup import NOTES, TYPES

S = AppointmentStatus
# Plain strings: an enum's .value costs a property lookup per use, a million times over.
_SCHEDULED, _CONFIRMED, _ARRIVED = S.SCHEDULED.value, S.CONFIRMED.value, S.ARRIVED.value
_IN_CONSULTATION, _COMPLETED = S.IN_CONSULTATION.value, S.COMPLETED.value
_CANCELLED, _NO_SHOW = S.CANCELLED.value, S.NO_SHOW.value
_MIN = [timedelta(minutes=m) for m in range(7 * 24 * 60 + 1)]
_DAY = timedelta(days=1)
_LEAD_DAYS = (0, 1, 1, 2, 3, 5, 7, 7, 10, 14, 21, 30, 45)
_PATIENT_REASONS = (
    "Viaje imprevisto",
    "Motivos de trabajo",
    "Se siente mejor",
    "Problemas de transporte",
    "Enfermedad de un familiar",
    "Olvidó otra cita el mismo día",
)
_CLINIC_REASONS = (
    "Emergencia del profesional",
    "Reprogramación de la agenda",
    "Falla del equipo",
    "Capacitación del personal",
)


def utc_midnights(first: date, last: date, zone: ZoneInfo) -> dict[int, datetime]:
    """For each date (by ordinal), the (naive) UTC instant its local wall clock reads 00:00 as seen
    from midday: adding minutes to it gives the right instant for any working hour, also on a
    daylight-saving day (the change happens at night)."""
    bases: dict[int, datetime] = {}
    day = first
    while day <= last:
        offset = datetime.combine(day, time(12), tzinfo=zone).utcoffset() or timedelta(0)
        bases[day.toordinal()] = datetime.combine(day, time(0)) - offset
        day += timedelta(days=1)
    return bases


@dataclass
class RowContext:
    """What every row needs besides its own slot."""

    moment: datetime  # the demo's "now", naive UTC
    today: int  # the ordinal of the demo's local date
    late_window: timedelta
    practitioner_ids: list[uuid.UUID]
    room_ids: list[uuid.UUID]
    type_ids: list[uuid.UUID]
    patient_ids: list[uuid.UUID]
    rng: random.Random


def _minutes(rng: random.Random, low: int, high: int) -> timedelta:
    # rng.random() rather than randint: same determinism, a fraction of the cost per call.
    return _MIN[low + int(rng.random() * (high - low + 1))]


def _pick(rng: random.Random, options: tuple[Any, ...] | list[Any]) -> Any:
    return options[int(rng.random() * len(options))]


def appointment_row(
    ctx: RowContext,
    *,
    practitioner: int,
    day: int,
    start: datetime,
    end: datetime,
    kind: int,
    room: int,
    series_id: uuid.UUID | None,
    patient_id: uuid.UUID | None = None,
) -> dict[str, Any]:
    rng, moment = ctx.rng, ctx.moment
    spec = TYPES[kind]
    lead = _DAY * _pick(rng, _LEAD_DAYS) + _minutes(rng, 60, 540)
    created = min(start - lead, moment - _minutes(rng, 5, 600))
    row: dict[str, Any] = {
        "id": new_id(),
        "created_at": created,
        "updated_at": created,
        "version": 1,
        "patient_id": patient_id or _pick(rng, ctx.patient_ids),
        "practitioner_id": ctx.practitioner_ids[practitioner],
        "room_id": ctx.room_ids[room] if room >= 0 else None,
        "type_id": ctx.type_ids[kind],
        "series_id": series_id,
        "start_at": start,
        "end_at": end,
        "mode": spec.mode,
        "reason": _pick(rng, spec.reasons),
        "notes": _pick(rng, NOTES) if rng.random() < 0.07 else "",
        "status": _SCHEDULED,
        "confirmed_at": None,
        "arrived_at": None,
        "started_at": None,
        "completed_at": None,
        "cancelled_at": None,
        "cancelled_by": None,
        "cancel_reason": None,
        "late_cancellation": False,
        "override_reason": None,
        "reminder_sent_at": None,
    }
    if end <= moment:
        _past(ctx, row)
    elif start <= moment:
        _in_consultation(ctx, row)
    elif day == ctx.today and start - moment <= _MIN[75] and rng.random() < 0.7:
        _confirm(ctx, row)
        _arrive(ctx, row, moment - _minutes(rng, 1, 25))
    else:
        _future(ctx, row)
    return row


def _stamp(row: dict[str, Any], column: str, at: datetime) -> None:
    row[column] = at
    if at > row["updated_at"]:
        row["updated_at"] = at


def _confirm(ctx: RowContext, row: dict[str, Any]) -> None:
    at = row["start_at"] - _minutes(ctx.rng, 18 * 60, 30 * 60)
    at = min(max(at, row["created_at"] + _MIN[1]), ctx.moment)
    row["status"] = _CONFIRMED
    _stamp(row, "confirmed_at", at)


def _arrive(ctx: RowContext, row: dict[str, Any], at: datetime) -> None:
    row["status"] = _ARRIVED
    _stamp(row, "arrived_at", min(at, ctx.moment))


def _past(ctx: RowContext, row: dict[str, Any]) -> None:
    rng = ctx.rng
    draw = rng.random()
    if draw < 0.12:
        _cancel(ctx, row)
        return
    if rng.random() < 0.6:
        _confirm(ctx, row)
    if draw < 0.18:
        row["status"] = _NO_SHOW
        _stamp(row, "updated_at", row["end_at"] + _minutes(rng, 0, 30))
        return
    start = row["start_at"]
    _stamp(row, "arrived_at", start - _minutes(rng, 0, 25) + _minutes(rng, 0, 5))
    began = max(start + _minutes(rng, 0, 12), row["arrived_at"] + _MIN[1])
    _stamp(row, "started_at", began)
    done = max(row["end_at"] + _minutes(rng, 0, 10), began + _MIN[5])
    # A consultation that ran until a moment ago today is not completed in the future.
    _stamp(row, "completed_at", max(min(done, ctx.moment), began + _MIN[1]))
    row["status"] = _COMPLETED


def _in_consultation(ctx: RowContext, row: dict[str, Any]) -> None:
    rng, start = ctx.rng, row["start_at"]
    _confirm(ctx, row)
    _stamp(row, "arrived_at", min(start - _minutes(rng, 3, 15), ctx.moment))
    _stamp(row, "started_at", min(start + _minutes(rng, 0, 8), ctx.moment))
    row["status"] = _IN_CONSULTATION


def _future(ctx: RowContext, row: dict[str, Any]) -> None:
    rng = ctx.rng
    if rng.random() < 0.05:
        _cancel(ctx, row)
        return
    soon = row["start_at"] - ctx.moment < timedelta(days=2)
    if rng.random() < (0.65 if soon else 0.12):
        _confirm(ctx, row)


def _cancel(ctx: RowContext, row: dict[str, Any]) -> None:
    rng, start = ctx.rng, row["start_at"]
    by = CancelledBy.PATIENT if rng.random() < 0.75 else CancelledBy.CLINIC
    if by is CancelledBy.PATIENT and rng.random() < 0.3:
        at = start - _minutes(rng, 60, 20 * 60)  # short notice: it counts as late
    else:
        at = start - _DAY - _minutes(rng, 2 * 60, 6 * 24 * 60)
    at = min(max(at, row["created_at"] + _MIN[1]), ctx.moment)
    row["status"] = _CANCELLED
    row["cancelled_by"] = by.value
    row["cancel_reason"] = rng.choice(
        _PATIENT_REASONS if by is CancelledBy.PATIENT else _CLINIC_REASONS
    )
    # The same rule as Appointment.cancel: only a patient's own short notice is late.
    row["late_cancellation"] = by is CancelledBy.PATIENT and start - at < ctx.late_window
    _stamp(row, "cancelled_at", at)


def ensure_waiting(rows: list[dict[str, Any]], ctx: RowContext) -> None:
    """Today's rows: if no one is in consultation, the next patient has just gone in early,
    and if no one is waiting, the next two have come early; so on a working day the demo
    always shows a consultation and a waiting room (when there is anyone left to come)."""
    upcoming = sorted(
        (
            r
            for r in rows
            if r["start_at"] > ctx.moment and r["status"] in (_SCHEDULED, _CONFIRMED, _ARRIVED)
        ),
        key=lambda r: r["start_at"],
    )
    if upcoming and not any(r["status"] == _IN_CONSULTATION for r in rows):
        row = upcoming.pop(0)
        if row["confirmed_at"] is None:
            _confirm(ctx, row)
        _stamp(row, "arrived_at", min(row["arrived_at"] or ctx.moment, ctx.moment - _MIN[9]))
        _stamp(row, "started_at", ctx.moment)
        row["status"] = _IN_CONSULTATION
    if any(r["status"] == _ARRIVED for r in rows):
        return
    for row in upcoming[:2]:
        if row["confirmed_at"] is None:
            _confirm(ctx, row)
        _arrive(ctx, row, ctx.moment - _minutes(ctx.rng, 2, 20))
