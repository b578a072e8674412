"""Recurring bookings: every N days, or every N weeks on chosen weekdays, until a date or for
a number of occurrences. The conflicts of every occurrence are shown before anything is saved;
saving books the free ones (skipping the rest only when asked). Afterwards an occurrence is an
ordinary appointment: edit or cancel it alone, or this one and the following ones."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from datetime import date, datetime, time

from sqlalchemy import select
from sqlalchemy.orm import Session

from clinic_desktop.actor import Actor
from clinic_desktop.db.uow import UnitOfWork
from clinic_desktop.errors import NeedsOverride, ValidationError
from clinic_desktop.events import AppointmentsChanged
from clinic_desktop.i18n import _, ngettext
from clinic_desktop.models.appointment import (
    MOVABLE_STATUSES,
    Appointment,
    AppointmentSeries,
    RepeatUnit,
    format_weekdays,
)
from clinic_desktop.models.base import utcnow
from clinic_desktop.models.permissions import Permission
from clinic_desktop.models.scheduling import local_moment, series_dates
from clinic_desktop.services.access import require
from clinic_desktop.services.agenda_dto import (
    AppointmentDTO,
    OccurrencePreview,
    SeriesResult,
)
from clinic_desktop.services.agenda_rules import check_slot, clinic_zone
from clinic_desktop.services.appointment_rows import get_live, load_dtos
from clinic_desktop.services.appointments import (
    _Where,
    accept_problems,
    add_appointment,
    cancel_one,
    clean_times,
    relocate,
)


def _dates(
    first_day: date,
    unit: str,
    interval: int,
    weekdays: Sequence[int],
    until: date | None,
    count: int | None,
) -> list[date]:
    if unit not in {u.value for u in RepeatUnit}:
        raise ValidationError(_("Repeat: choose days or weeks."), field="unit")
    if interval < 1:
        raise ValidationError(_("Repeat every: at least 1."), field="interval")
    if until is None and count is None:
        raise ValidationError(
            _("Repeat: give an end date or a number of occurrences."), field="until"
        )
    if count is not None and count < 1:
        raise ValidationError(_("Occurrences: at least 1."), field="count")
    if until is not None and until < first_day:
        raise ValidationError(_("Until: it must not be before the first date."), field="until")
    dates = series_dates(
        first_day,
        unit=unit,
        interval=interval,
        weekdays=frozenset(weekdays),
        until=until,
        count=count,
    )
    if not dates:
        raise ValidationError(
            _("Repeat: the series has no occurrences with these days and dates."), field="weekdays"
        )
    return dates


def _previews(
    session: Session,
    *,
    practitioner_id: uuid.UUID,
    room_id: uuid.UUID | None,
    dates: list[date],
    at: time,
    minutes: int,
    now: datetime,
) -> list[OccurrencePreview]:
    zone = clinic_zone(session)
    previews: list[OccurrencePreview] = []
    for day in dates:
        start, end = clean_times(local_moment(day, at, zone), minutes)
        problems = check_slot(
            session, practitioner_id=practitioner_id, room_id=room_id, start=start, end=end, now=now
        )
        previews.append(OccurrencePreview(start, end, tuple(problems)))
    return previews


def preview_series(
    uow: UnitOfWork,
    *,
    actor: Actor,
    practitioner_id: uuid.UUID,
    first_day: date,
    at: time,
    minutes: int,
    unit: str,
    interval: int,
    weekdays: Sequence[int] = (),
    until: date | None = None,
    count: int | None = None,
    room_id: uuid.UUID | None = None,
    now: datetime | None = None,
) -> list[OccurrencePreview]:
    """Every occurrence with the reasons it would not work, before anything is saved."""
    dates = _dates(first_day, unit, interval, weekdays, until, count)
    with uow.transaction(actor) as session:
        require(session, actor, Permission.AGENDA_BOOK)
        return _previews(
            session,
            practitioner_id=practitioner_id,
            room_id=room_id,
            dates=dates,
            at=at,
            minutes=minutes,
            now=now or utcnow(),
        )


def book_series(
    uow: UnitOfWork,
    *,
    actor: Actor,
    patient_id: uuid.UUID,
    practitioner_id: uuid.UUID,
    first_day: date,
    at: time,
    minutes: int,
    unit: str,
    interval: int,
    weekdays: Sequence[int] = (),
    until: date | None = None,
    count: int | None = None,
    room_id: uuid.UUID | None = None,
    type_id: uuid.UUID | None = None,
    mode: str | None = None,
    reason: str = "",
    notes: str = "",
    skip_conflicts: bool = False,
    override_reason: str | None = None,
    now: datetime | None = None,
) -> SeriesResult:
    """Books every occurrence in one transaction. Occurrences with a problem refuse the whole
    series unless `skip_conflicts` (then they are left out) or, for overridable problems, an
    override reason is given."""
    dates = _dates(first_day, unit, interval, weekdays, until, count)
    moment = now or utcnow()
    with uow.transaction(actor) as session:
        require(session, actor, Permission.AGENDA_BOOK)
        previews = _previews(
            session,
            practitioner_id=practitioner_id,
            room_id=room_id,
            dates=dates,
            at=at,
            minutes=minutes,
            now=moment,
        )
        skipped: list[OccurrencePreview] = []
        to_book: list[OccurrencePreview] = []
        for preview in previews:
            blocking = any(p.blocking for p in preview.problems)
            overridable = preview.problems and not blocking and override_reason is not None
            if preview.problems and not overridable:
                if not skip_conflicts:
                    raise ValidationError(
                        ngettext(
                            "Series: {count} occurrence has a conflict; "
                            "skip it or choose another time.",
                            "Series: {count} occurrences have conflicts; "
                            "skip them or choose another time.",
                            sum(1 for p in previews if p.problems),
                        ).format(count=sum(1 for p in previews if p.problems)),
                        field="series",
                    )
                skipped.append(preview)
            else:
                to_book.append(preview)
        if not to_book:
            raise ValidationError(
                _("Series: no occurrence is free, so nothing was booked."), field="series"
            )
        if override_reason is not None and any(p.problems for p in to_book):
            accept_problems(
                session, actor, [p for o in to_book for p in o.problems], override_reason
            )
        series = AppointmentSeries(
            patient_id=patient_id,
            practitioner_id=practitioner_id,
            interval=interval,
            unit=unit,
            weekdays=format_weekdays(tuple(weekdays)),
            first_day=first_day,
            until=until,
            count=count,
            start_time=at,
            duration_minutes=minutes,
        )
        session.add(series)
        session.flush()
        ids: list[uuid.UUID] = []
        for preview in to_book:
            appointment = add_appointment(
                session,
                actor=actor,
                patient_id=patient_id,
                practitioner_id=practitioner_id,
                start=preview.start,
                minutes=minutes,
                room_id=room_id,
                type_id=type_id,
                mode=mode,
                reason=reason,
                notes=notes,
                override_reason=override_reason if preview.problems else None,
                series_id=series.id,
                now=moment,
            )
            ids.append(appointment.id)
        booked = tuple(load_dtos(session, ids))
        uow.publish_after_commit(AppointmentsChanged(ids=tuple(str(i) for i in ids)))
    return SeriesResult(series_id=series.id, booked=booked, skipped=tuple(skipped))


def _this_and_following(session: Session, appointment: Appointment) -> list[Appointment]:
    if appointment.series_id is None:
        return [appointment]
    return list(
        session.scalars(
            select(Appointment)
            .where(
                Appointment.series_id == appointment.series_id,
                Appointment.deleted_at.is_(None),
                Appointment.start_at >= appointment.start_at,
            )
            .order_by(Appointment.start_at)
        )
    )


def cancel_following(
    uow: UnitOfWork,
    *,
    actor: Actor,
    appointment_id: uuid.UUID,
    by: str,
    reason: str,
    now: datetime | None = None,
) -> list[AppointmentDTO]:
    """Cancels this occurrence and every later one still open; past or finished ones stay."""
    moment = now or utcnow()
    with uow.transaction(actor) as session:
        require(session, actor, Permission.AGENDA_BOOK)
        appointment = get_live(session, appointment_id)
        changed: list[uuid.UUID] = []
        for item in _this_and_following(session, appointment):
            if item.status_enum in MOVABLE_STATUSES:
                cancel_one(session, item, by=by, reason=reason, now=moment)
                changed.append(item.id)
        session.flush()
        result = load_dtos(session, changed)
        uow.publish_after_commit(AppointmentsChanged(ids=tuple(str(i) for i in changed)))
    return result


def shift_following(
    uow: UnitOfWork,
    *,
    actor: Actor,
    appointment_id: uuid.UUID,
    new_start: datetime,
    minutes: int,
    practitioner_id: uuid.UUID | None = None,
    override_reason: str | None = None,
    now: datetime | None = None,
) -> list[AppointmentDTO]:
    """Applies one occurrence's new time of day, length and practitioner to it and every later
    open occurrence. Any conflict refuses the whole change, naming the first date."""
    moment = now or utcnow()
    with uow.transaction(actor) as session:
        require(session, actor, Permission.AGENDA_BOOK)
        zone = clinic_zone(session)
        appointment = get_live(session, appointment_id)
        # The change is the shift in wall-clock time, so a series keeps "every Tuesday 10:00"
        # across a daylight-saving change instead of drifting by an hour.
        old_local = appointment.start_at.astimezone(zone)
        new_local = new_start.astimezone(zone)
        day_shift = new_local.date() - old_local.date()
        changed: list[uuid.UUID] = []
        items = [
            item
            for item in _this_and_following(session, appointment)
            if item.status_enum in MOVABLE_STATUSES
        ]
        # The occurrences move together: one's new time may be where a later one still is.
        moving = [item.id for item in items]
        for item in items:
            day = item.start_at.astimezone(zone).date() + day_shift
            start, end = clean_times(local_moment(day, new_local.time(), zone), minutes)
            target = _Where(practitioner_id or item.practitioner_id, item.room_id, start, end)
            try:
                relocate(session, actor, item, target, override_reason, moment, exclude=moving)
            except NeedsOverride as exc:
                raise NeedsOverride(
                    _("Occurrence of {date}: {problem}").format(
                        date=day.strftime("%d/%m/%Y"), problem=exc.message
                    ),
                    problems=exc.problems,
                ) from None
            except ValidationError as exc:
                raise ValidationError(
                    _("Occurrence of {date}: {problem}").format(
                        date=day.strftime("%d/%m/%Y"), problem=exc.message
                    ),
                    field="start",
                ) from None
            changed.append(item.id)
        session.flush()
        result = load_dtos(session, changed)
        uow.publish_after_commit(AppointmentsChanged(ids=tuple(str(i) for i in changed)))
    return result


__all__ = [
    "book_series",
    "cancel_following",
    "preview_series",
    "shift_following",
]
