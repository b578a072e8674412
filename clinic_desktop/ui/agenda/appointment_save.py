"""What the appointment dialog's save runs on the database worker: book one appointment, book a
series, save an edit, or move this occurrence and the following ones of a series (and then this
one's other details). Kept apart from the dialog so the widgets and the service calls can each
be read on their own."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any
from zoneinfo import ZoneInfo

from clinic_desktop.services import appointments, series
from clinic_desktop.services.agenda_dto import AppointmentDTO
from clinic_desktop.ui.agenda.appointment_form import FormValues
from clinic_desktop.ui.agenda.dialog_kit import local
from clinic_desktop.ui.agenda.repeat_section import RepeatValues
from clinic_desktop.ui.context import UiContext


def _details(values: FormValues) -> dict[str, Any]:
    return {
        "room_id": values.room_id,
        "type_id": values.type_id,
        "mode": values.mode,
        "reason": values.reason,
        "notes": values.notes,
    }


def moved(current: AppointmentDTO, values: FormValues) -> bool:
    """Whether the edit changes the time, the length or the practitioner."""
    return (
        values.start != current.start
        or values.minutes != current.minutes
        or values.practitioner_id != current.practitioner_id
    )


def save_call(
    ctx: UiContext,
    *,
    current: AppointmentDTO | None,
    values: FormValues,
    zone: ZoneInfo,
    repeat: RepeatValues | None,
    skip_conflicts: bool,
    following: bool,
    override_reason: str | None,
) -> Callable[[], object]:
    """The service call for what the dialog shows (`repeat` only for a new series;
    `following` for 'this and the following ones' of a series)."""
    patient_id, practitioner_id = values.patient_id, values.practitioner_id
    assert patient_id is not None and practitioner_id is not None
    details = _details(values)
    if current is None and repeat is not None:
        local_start = local(values.start, zone)
        return lambda: series.book_series(
            ctx.uow(), actor=ctx.actor, patient_id=patient_id, practitioner_id=practitioner_id,
            first_day=local_start.date(), at=local_start.time(), minutes=values.minutes,
            unit=repeat.unit, interval=repeat.interval, weekdays=repeat.weekdays,
            until=repeat.until, count=repeat.count, skip_conflicts=skip_conflicts,
            override_reason=override_reason, **details,
        )  # fmt: skip
    if current is None:
        return lambda: appointments.book_appointment(
            ctx.uow(), actor=ctx.actor, patient_id=patient_id, practitioner_id=practitioner_id,
            start=values.start, minutes=values.minutes, override_reason=override_reason,
            **details,
        )  # fmt: skip
    if following and current.series_id is not None and moved(current, values):
        return lambda: shift_following(ctx, current, values, override_reason)
    return lambda: appointments.update_appointment(
        ctx.uow(), actor=ctx.actor, appointment_id=current.id,
        expected_version=current.version, patient_id=patient_id,
        practitioner_id=practitioner_id, start=values.start, minutes=values.minutes,
        override_reason=override_reason, **details,
    )  # fmt: skip


def shift_following(
    ctx: UiContext, current: AppointmentDTO, values: FormValues, override_reason: str | None = None
) -> list[AppointmentDTO]:
    """The new time for this and the later occurrences, then this one's other details (type,
    reason, notes...) on the version the shift left: two transactions, as the services are."""
    assert values.patient_id is not None
    details = _details(values)
    shifted = series.shift_following(
        ctx.uow(),
        actor=ctx.actor,
        appointment_id=current.id,
        new_start=values.start,
        minutes=values.minutes,
        practitioner_id=values.practitioner_id,
        override_reason=override_reason,
    )
    mine = next((a for a in shifted if a.id == current.id), None)
    if mine is None:
        return shifted
    same = (
        mine.room_id == values.room_id
        and mine.type_id == values.type_id
        and mine.mode == values.mode
        and mine.reason == values.reason.strip()
        and mine.notes == values.notes.strip()
        and mine.patient_id == values.patient_id
    )
    if same:
        return shifted
    updated = appointments.update_appointment(
        ctx.uow(), actor=ctx.actor, appointment_id=mine.id, expected_version=mine.version,
        patient_id=values.patient_id, practitioner_id=mine.practitioner_id, start=mine.start,
        minutes=mine.minutes, **details,
    )  # fmt: skip
    return [updated if a.id == updated.id else a for a in shifted]
