"""Getting a practitioner's agenda out of the app: the printable day (PDF) and an iCalendar
file (RFC 5545) for a date range, used by the agenda screen and `clinic-desktop agenda export`.
Exports are audited: they carry patient names off the encrypted database."""

from __future__ import annotations

import uuid
from datetime import date, datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from clinic_desktop.actor import Actor
from clinic_desktop.db.audit_log import append_audit
from clinic_desktop.db.uow import UnitOfWork
from clinic_desktop.errors import NotFound, ValidationError
from clinic_desktop.i18n import _
from clinic_desktop.models.appointment import Appointment, overlapping
from clinic_desktop.models.base import utcnow
from clinic_desktop.models.clinic import Clinic
from clinic_desktop.models.permissions import Permission
from clinic_desktop.models.schedule import Practitioner
from clinic_desktop.models.user import User
from clinic_desktop.reports.agenda_day import (
    DayAppointmentLine,
    PractitionerDay,
    render_practitioner_day,
)
from clinic_desktop.reports.agenda_ics import IcsCalendar, IcsEvent, render_ics
from clinic_desktop.services.access import require
from clinic_desktop.services.agenda_labels import mode_label, status_label
from clinic_desktop.services.agenda_rules import clinic_zone, day_schedules, local_day_span
from clinic_desktop.services.appointment_rows import dto_select, row_to_dto

MAX_EXPORT_DAYS = 3660


def find_practitioner(uow: UnitOfWork, *, actor: Actor, username: str) -> uuid.UUID:
    """The practitioner linked to an account, or with exactly this display name."""
    with uow.transaction(actor) as session:
        require(session, actor, Permission.AGENDA_VIEW)
        found = session.scalar(
            select(Practitioner.id)
            .outerjoin(User, User.id == Practitioner.user_id)
            .where(
                Practitioner.deleted_at.is_(None),
                (User.username == username.strip().lower())
                | (Practitioner.display_name == username.strip()),
            )
        )
        if found is None:
            raise NotFound(
                _("Practitioner: no practitioner with the user name {name}.").format(name=username)
            )
        return found


def _practitioner(session: Session, practitioner_id: uuid.UUID) -> Practitioner:
    row = session.get(Practitioner, practitioner_id)
    if row is None or row.is_deleted:
        raise NotFound(_("The practitioner no longer exists."))
    return row


def practitioner_day_pdf(
    uow: UnitOfWork, *, actor: Actor, practitioner_id: uuid.UUID, day: date
) -> bytes:
    with uow.transaction(actor) as session:
        require(session, actor, Permission.AGENDA_VIEW)
        practitioner = _practitioner(session, practitioner_id)
        clinic = session.scalars(select(Clinic)).one()
        zone = clinic_zone(session)
        start, end = local_day_span(day, zone)
        rows = [
            row_to_dto(r)
            for r in session.execute(
                dto_select()
                .where(
                    Appointment.practitioner_id == practitioner_id,
                    overlapping(start, end),
                    Appointment.status.not_in(["cancelled"]),
                )
                .order_by(Appointment.start_at)
            )
        ]
        schedules, closed = day_schedules(session, [practitioner_id], day, day)
        printer = session.get(User, actor.user_id) if actor.user_id else None
        append_audit(
            session,
            actor=actor,
            action="agenda.day_printed",
            entity="Practitioner",
            entity_id=str(practitioner_id),
            changes={"day": day.isoformat(), "appointments": len(rows)},
        )
        hours = ", ".join(
            f"{a.astimezone(zone):%H:%M}–{b.astimezone(zone):%H:%M}"
            for s in schedules
            for a, b in s.open
        )
        document = PractitionerDay(
            clinic_name=clinic.name,
            clinic_address=clinic.address,
            practitioner_name=practitioner.display_name,
            specialty=practitioner.specialty,
            day=day,
            working_hours=hours,
            closed_label=closed.get(day, ""),
            appointments=tuple(
                DayAppointmentLine(
                    start=a.start.astimezone(zone),
                    end=a.end.astimezone(zone),
                    patient_name=a.patient_name,
                    patient_phone=a.patient_phone,
                    chart_number=a.chart_number,
                    type_name=a.type_name,
                    room_name=a.room_name,
                    reason=a.reason,
                    status_label=status_label(a.status),
                    mode_label=mode_label(a.mode),
                    notes=a.notes,
                )
                for a in rows
            ),
            printed_at=utcnow().astimezone(zone),
            printed_by=printer.full_name if printer else actor.name,
        )
    return render_practitioner_day(document)


def practitioner_ics(
    uow: UnitOfWork,
    *,
    actor: Actor,
    practitioner_id: uuid.UUID,
    first_day: date,
    last_day: date,
) -> bytes:
    if last_day < first_day:
        raise ValidationError(_("To: it must not be before the 'from' date."), field="to")
    if (last_day - first_day).days > MAX_EXPORT_DAYS:
        raise ValidationError(_("Dates: export at most ten years at once."), field="to")
    with uow.transaction(actor) as session:
        require(session, actor, Permission.AGENDA_VIEW)
        practitioner = _practitioner(session, practitioner_id)
        clinic = session.scalars(select(Clinic)).one()
        zone = clinic_zone(session)
        start, _unused = local_day_span(first_day, zone)
        _unused, end = local_day_span(last_day, zone)
        query = (
            dto_select()
            .add_columns(Appointment.updated_at)
            .where(
                Appointment.practitioner_id == practitioner_id,
                overlapping(start, end),
            )
            .order_by(Appointment.start_at)
        )
        events: list[IcsEvent] = []
        for row in session.execute(query):
            updated: datetime = row[-1]
            a = row_to_dto(row[:-1])
            summary = f"{a.patient_name} — {a.type_name}" if a.type_name else a.patient_name
            details = [status_label(a.status), mode_label(a.mode)]
            if a.reason:
                details.append(a.reason)
            if a.patient_phone:
                details.append(_("Phone: {phone}").format(phone=a.patient_phone))
            events.append(
                IcsEvent(
                    uid=str(a.id),
                    start=a.start,
                    end=a.end,
                    summary=summary,
                    description="\n".join(details),
                    location=", ".join(x for x in (a.room_name, clinic.name) if x),
                    status=a.status,
                    updated=updated,
                    sequence=a.version,
                )
            )
        append_audit(
            session,
            actor=actor,
            action="agenda.exported",
            entity="Practitioner",
            entity_id=str(practitioner_id),
            changes={
                "from": first_day.isoformat(),
                "to": last_day.isoformat(),
                "appointments": len(events),
            },
        )
        calendar = IcsCalendar(
            name=_("Agenda — {name}").format(name=practitioner.display_name),
            timezone=clinic.timezone,
            events=tuple(events),
        )
    return render_ics(calendar)
