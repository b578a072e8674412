"""Every agenda service against every role: a call succeeds exactly when the role's default
grants hold the capability the service requires (agenda.view, agenda.book, schedule.manage,
patients.read/write), and a refused call changes nothing, not even the audit trail. IT support
holds none of the agenda's capabilities; the assistant books but does not manage schedules."""

from __future__ import annotations

from collections.abc import Callable
from datetime import time
from typing import Any

import pytest
from agenda_kit import SYSTEM, Agenda
from sqlalchemy import func, select

from clinic_desktop.actor import Actor
from clinic_desktop.errors import PermissionDenied
from clinic_desktop.models.appointment import (
    Appointment,
    AppointmentMove,
    AppointmentSeries,
    WaitlistEntry,
)
from clinic_desktop.models.audit import AuditEntry
from clinic_desktop.models.patient import Patient
from clinic_desktop.models.permissions import DEFAULT_GRANTS, Permission, Role
from clinic_desktop.models.schedule import (
    AppointmentType,
    ClinicClosure,
    Practitioner,
    Room,
    ScheduleException,
    WorkingHours,
)
from clinic_desktop.services import (
    agenda_export,
    agenda_queries,
    appointments,
    patients,
    reminders,
    schedules,
    series,
    users,
    waitlist,
)
from clinic_desktop.services.agenda_dto import HoursInterval
from clinic_desktop.services.demo_accounts import DEMO_ACCOUNTS

P = Permission
Bound = Callable[[Actor], Any]
# (agenda, index) -> the call with an actor; the preparation runs as the system beforehand.
Prepare = Callable[[Agenda, int], Bound]

ROLE_USER = {Role(a.role): a.username for a in DEMO_ACCOUNTS}

# The agenda fixtures (`agenda`, `agenda_demo`, `madrid`) live in agenda_kit.
pytest_plugins = ["agenda_kit"]


def _day(i: int) -> int:
    """With `_hour`, a distinct working time per service in the first three weeks, so the
    calls of one test never collide."""
    working_day = i % 15
    return working_day // 5 * 7 + working_day % 5


def _hour(i: int) -> int:
    return (9, 10, 11)[i // 15]


def _booked(a: Agenda, i: int):
    return a.book(_day(i), _hour(i), 0, patient=i % len(a.seed.patients), by="duena")


def _series(a: Agenda, i: int, hour: int):
    return series.book_series(
        a.uow(),
        actor=SYSTEM,
        patient_id=a.seed.patients[1],
        practitioner_id=a.seed.external,
        first_day=a.day(_day(i)),
        at=time(hour),
        minutes=30,
        unit="week",
        interval=1,
        count=2,
        now=a.now,
    )


def _waiting(a: Agenda, i: int):
    return waitlist.add_to_waitlist(
        a.uow(),
        actor=SYSTEM,
        patient_id=a.seed.patients[2],
        duration_minutes=30,
        weekdays=[0, 1, 2, 3, 4],
        earliest=time(8),
        latest=time(20),
    )


def _view(fn: Callable[..., Any], **kw: Any) -> Prepare:
    return lambda a, i: lambda actor: fn(a.uow(), actor=actor, **kw)


def _ids(a: Agenda) -> dict[str, Any]:
    return {"practitioner_id": a.seed.doctor}


SERVICES: dict[str, tuple[Permission, Prepare]] = {
    # --- agenda.view
    "agenda_range": (
        P.AGENDA_VIEW,
        lambda a, i: (
            lambda actor: agenda_queries.agenda_range(
                a.uow(), actor=actor, first_day=a.day(0), last_day=a.day(6)
            )
        ),
    ),
    "month_counts": (
        P.AGENDA_VIEW,
        lambda a, i: (
            lambda actor: agenda_queries.month_counts(
                a.uow(), actor=actor, first_day=a.day(0), last_day=a.day(34)
            )
        ),
    ),
    "waiting_room": (
        P.AGENDA_VIEW,
        lambda a, i: lambda actor: agenda_queries.waiting_room(a.uow(), actor=actor, now=a.now),
    ),
    "get_appointment": (
        P.AGENDA_VIEW,
        lambda a, i: (
            lambda item: (
                lambda actor: agenda_queries.get_appointment(
                    a.uow(), actor=actor, appointment_id=item.id
                )
            )
        )(_booked(a, i)),
    ),
    "patient_appointments": (
        P.AGENDA_VIEW,
        lambda a, i: (
            lambda actor: agenda_queries.patient_appointments(
                a.uow(), actor=actor, patient_id=a.seed.patients[0]
            )
        ),
    ),
    "no_show_count": (
        P.AGENDA_VIEW,
        lambda a, i: (
            lambda actor: agenda_queries.no_show_count(
                a.uow(), actor=actor, patient_id=a.seed.patients[0]
            )
        ),
    ),
    "find_free_slots": (
        P.AGENDA_VIEW,
        lambda a, i: (
            lambda actor: agenda_queries.find_free_slots(
                a.uow(), actor=actor, minutes=30, now=a.now
            )
        ),
    ),
    "list_practitioners": (P.AGENDA_VIEW, _view(schedules.list_practitioners)),
    "list_rooms": (P.AGENDA_VIEW, _view(schedules.list_rooms)),
    "list_appointment_types": (P.AGENDA_VIEW, _view(schedules.list_appointment_types)),
    "get_working_hours": (
        P.AGENDA_VIEW,
        lambda a, i: (
            lambda actor: schedules.get_working_hours(
                a.uow(), actor=actor, practitioner_id=a.seed.doctor
            )
        ),
    ),
    "list_exceptions": (P.AGENDA_VIEW, _view(schedules.list_exceptions)),
    "list_closures": (P.AGENDA_VIEW, _view(schedules.list_closures)),
    "list_waitlist": (P.AGENDA_VIEW, _view(waitlist.list_waitlist)),
    "reminders_due": (
        P.AGENDA_VIEW,
        lambda a, i: lambda actor: reminders.reminders_due(a.uow(), actor=actor, now=a.now),
    ),
    "find_practitioner": (
        P.AGENDA_VIEW,
        lambda a, i: (
            lambda actor: agenda_export.find_practitioner(a.uow(), actor=actor, username="medico")
        ),
    ),
    "practitioner_ics": (
        P.AGENDA_VIEW,
        lambda a, i: (
            lambda actor: agenda_export.practitioner_ics(
                a.uow(),
                actor=actor,
                practitioner_id=a.seed.doctor,
                first_day=a.day(0),
                last_day=a.day(6),
            )
        ),
    ),
    "practitioner_day_pdf": (
        P.AGENDA_VIEW,
        lambda a, i: (
            lambda actor: agenda_export.practitioner_day_pdf(
                a.uow(), actor=actor, practitioner_id=a.seed.doctor, day=a.day(0)
            )
        ),
    ),
    # --- agenda.book
    "book_appointment": (
        P.AGENDA_BOOK,
        lambda a, i: (
            lambda actor: appointments.book_appointment(
                a.uow(),
                actor=actor,
                patient_id=a.seed.patients[3],
                practitioner_id=a.seed.doctor,
                start=a.at(_day(i), _hour(i)),
                minutes=30,
                now=a.now,
            )
        ),
    ),
    "move_appointment": (
        P.AGENDA_BOOK,
        lambda a, i: (
            lambda item: (
                lambda actor: appointments.move_appointment(
                    a.uow(), actor=actor, appointment_id=item.id, start=a.at(_day(i), 18), now=a.now
                )
            )
        )(_booked(a, i)),
    ),
    "update_appointment": (
        P.AGENDA_BOOK,
        lambda a, i: (
            lambda item: (
                lambda actor: appointments.update_appointment(
                    a.uow(),
                    actor=actor,
                    appointment_id=item.id,
                    expected_version=item.version,
                    patient_id=item.patient_id,
                    practitioner_id=item.practitioner_id,
                    start=item.start,
                    minutes=45,
                    room_id=None,
                    type_id=None,
                    mode="in_person",
                    reason="Control",
                    notes="",
                    now=a.now,
                )
            )
        )(_booked(a, i)),
    ),
    "change_status": (
        P.AGENDA_BOOK,
        lambda a, i: (
            lambda item: (
                lambda actor: appointments.change_status(
                    a.uow(), actor=actor, appointment_id=item.id, status="confirmed", now=a.now
                )
            )
        )(_booked(a, i)),
    ),
    "cancel_appointment": (
        P.AGENDA_BOOK,
        lambda a, i: (
            lambda item: (
                lambda actor: appointments.cancel_appointment(
                    a.uow(),
                    actor=actor,
                    appointment_id=item.id,
                    by="patient",
                    reason="x",
                    now=a.now,
                )
            )
        )(_booked(a, i)),
    ),
    "preview_series": (
        P.AGENDA_BOOK,
        lambda a, i: (
            lambda actor: series.preview_series(
                a.uow(),
                actor=actor,
                practitioner_id=a.seed.doctor,
                first_day=a.day(_day(i)),
                at=time(12),
                minutes=30,
                unit="week",
                interval=1,
                count=2,
                now=a.now,
            )
        ),
    ),
    "book_series": (
        P.AGENDA_BOOK,
        lambda a, i: (
            lambda actor: series.book_series(
                a.uow(),
                actor=actor,
                patient_id=a.seed.patients[4],
                practitioner_id=a.seed.doctor,
                first_day=a.day(_day(i)),
                at=time(12),
                minutes=30,
                unit="week",
                interval=1,
                count=2,
                now=a.now,
            )
        ),
    ),
    "cancel_following": (
        P.AGENDA_BOOK,
        lambda a, i: (
            lambda made: (
                lambda actor: series.cancel_following(
                    a.uow(),
                    actor=actor,
                    appointment_id=made.booked[0].id,
                    by="clinic",
                    reason="x",
                    now=a.now,
                )
            )
        )(_series(a, i, 15)),
    ),
    "shift_following": (
        P.AGENDA_BOOK,
        lambda a, i: (
            lambda made: (
                lambda actor: series.shift_following(
                    a.uow(),
                    actor=actor,
                    appointment_id=made.booked[0].id,
                    new_start=a.at(_day(i), 17),
                    minutes=30,
                    now=a.now,
                )
            )
        )(_series(a, i, 16)),
    ),
    "add_to_waitlist": (
        P.AGENDA_BOOK,
        lambda a, i: (
            lambda actor: waitlist.add_to_waitlist(
                a.uow(),
                actor=actor,
                patient_id=a.seed.patients[5],
                duration_minutes=30,
                weekdays=[0],
                earliest=time(8),
                latest=time(12),
            )
        ),
    ),
    "withdraw_from_waitlist": (
        P.AGENDA_BOOK,
        lambda a, i: (
            lambda entry: (
                lambda actor: waitlist.withdraw_from_waitlist(
                    a.uow(), actor=actor, entry_id=entry.id
                )
            )
        )(_waiting(a, i)),
    ),
    "book_from_waitlist": (
        P.AGENDA_BOOK,
        lambda a, i: (
            lambda entry: (
                lambda actor: waitlist.book_from_waitlist(
                    a.uow(),
                    actor=actor,
                    entry_id=entry.id,
                    practitioner_id=a.seed.dentist,
                    start=a.at(_day(i), _hour(i)),
                    now=a.now,
                )
            )
        )(_waiting(a, i)),
    ),
    "mark_reminder_sent": (
        P.AGENDA_BOOK,
        lambda a, i: (
            lambda item: (
                lambda actor: reminders.mark_reminder_sent(
                    a.uow(), actor=actor, appointment_id=item.id, at=a.now
                )
            )
        )(_booked(a, i)),
    ),
    # --- schedule.manage
    "save_practitioner": (
        P.SCHEDULE_MANAGE,
        lambda a, i: (
            lambda actor: schedules.save_practitioner(
                a.uow(), actor=actor, display_name=f"Dra. Nueva {i}"
            )
        ),
    ),
    "list_practitioner_accounts": (P.SCHEDULE_MANAGE, _view(schedules.list_practitioner_accounts)),
    "set_working_hours": (
        P.SCHEDULE_MANAGE,
        lambda a, i: (
            lambda actor: schedules.set_working_hours(
                a.uow(),
                actor=actor,
                practitioner_id=a.seed.external,
                hours=[HoursInterval(d, time(8), time(20)) for d in range(6)],
            )
        ),
    ),
    "add_exception": (
        P.SCHEDULE_MANAGE,
        lambda a, i: (
            lambda actor: schedules.add_exception(
                a.uow(), actor=actor, practitioner_id=a.seed.dentist, day=a.day(40), kind="off"
            )
        ),
    ),
    "remove_exception": (
        P.SCHEDULE_MANAGE,
        lambda a, i: (
            lambda row: (
                lambda actor: schedules.remove_exception(a.uow(), actor=actor, exception_id=row.id)
            )
        )(
            schedules.add_exception(
                a.uow(), actor=SYSTEM, practitioner_id=a.seed.dentist, day=a.day(41), kind="off"
            )
        ),
    ),
    "add_closure": (
        P.SCHEDULE_MANAGE,
        lambda a, i: (
            lambda actor: schedules.add_closure(
                a.uow(), actor=actor, first_day=a.day(50), last_day=a.day(50), reason="Inventario"
            )
        ),
    ),
    "remove_closure": (
        P.SCHEDULE_MANAGE,
        lambda a, i: (
            lambda row: (
                lambda actor: schedules.remove_closure(a.uow(), actor=actor, closure_id=row.id)
            )
        )(
            schedules.add_closure(
                a.uow(), actor=SYSTEM, first_day=a.day(51), last_day=a.day(51), reason="Fumigación"
            )
        ),
    ),
    "save_room": (
        P.SCHEDULE_MANAGE,
        lambda a, i: lambda actor: schedules.save_room(a.uow(), actor=actor, name=f"Sala {i}"),
    ),
    "save_appointment_type": (
        P.SCHEDULE_MANAGE,
        lambda a, i: (
            lambda actor: schedules.save_appointment_type(
                a.uow(), actor=actor, name=f"Tipo {i}", duration_minutes=30, colour="#123456"
            )
        ),
    ),
    # --- patients
    "search_patients": (
        P.PATIENTS_READ,
        lambda a, i: lambda actor: patients.search_patients(a.uow(), actor=actor, text="a"),
    ),
    "quick_create_patient": (
        P.PATIENTS_WRITE,
        lambda a, i: (
            lambda actor: patients.quick_create_patient(
                a.uow(),
                actor=actor,
                first_names="Nuevo",
                last_names=f"Paciente {i}",
                phone="0991234567",
            )
        ),
    ),
}

_TABLES = (
    Appointment,
    AppointmentMove,
    AppointmentSeries,
    WaitlistEntry,
    Practitioner,
    WorkingHours,
    ScheduleException,
    ClinicClosure,
    Room,
    AppointmentType,
    Patient,
)


def snapshot(a: Agenda) -> dict[str, Any]:
    """Every agenda row's id and version, and the length of the audit trail."""
    with a.uow().transaction(SYSTEM) as session:
        state: dict[str, Any] = {
            model.__tablename__: sorted(
                (str(i), v, d is not None)
                for i, v, d in session.execute(select(model.id, model.version, model.deleted_at))
            )
            for model in _TABLES
        }
        state["audit"] = session.scalar(select(func.count()).select_from(AuditEntry))
    return state


def test_the_matrix_covers_the_agenda_capabilities():
    assert len(SERVICES) <= 45  # `_day` and `_hour` give 45 distinct times
    assert {perm for perm, _ in SERVICES.values()} == {
        P.AGENDA_VIEW,
        P.AGENDA_BOOK,
        P.SCHEDULE_MANAGE,
        P.PATIENTS_READ,
        P.PATIENTS_WRITE,
    }
    assert not {P.AGENDA_VIEW, P.AGENDA_BOOK, P.SCHEDULE_MANAGE} & DEFAULT_GRANTS[Role.IT_ADMIN]
    assert P.SCHEDULE_MANAGE not in DEFAULT_GRANTS[Role.ASSISTANT]
    assert P.AGENDA_BOOK in DEFAULT_GRANTS[Role.ASSISTANT]


@pytest.mark.parametrize("role", list(Role))
def test_every_agenda_service_against_the_role(agenda: Agenda, role: Role):
    actor = agenda.actor(ROLE_USER[role])
    wrong: list[str] = []
    for index, (name, (permission, prepare)) in enumerate(SERVICES.items()):
        call = prepare(agenda, index)
        expected = permission in DEFAULT_GRANTS[role]
        before = None if expected else snapshot(agenda)
        try:
            call(actor)
            allowed = True
        except PermissionDenied as exc:
            allowed = False
            assert exc.message, name
        if allowed != expected:
            wrong.append(f"{name}: {'allowed' if allowed else 'denied'} for {role.value}")
        elif not allowed and snapshot(agenda) != before:
            wrong.append(f"{name}: denied for {role.value} but changed something")
    assert wrong == []


def test_only_schedule_managers_may_override(agenda: Agenda):
    for username in ("duena", "medico", "recepcion"):
        made = agenda.book(0, 19, 0, by=username, override_reason="Fuera de horario")
        assert made.override_reason == "Fuera de horario"
        appointments.cancel_appointment(
            agenda.uow(),
            actor=SYSTEM,
            appointment_id=made.id,
            by="clinic",
            reason="x",
            now=agenda.now,
        )
    before = snapshot(agenda)
    with pytest.raises(PermissionDenied):
        agenda.book(0, 19, 0, by="asistente", override_reason="Fuera de horario")
    assert snapshot(agenda) == before


@pytest.mark.parametrize(
    "revoked", [P.AGENDA_VIEW, P.AGENDA_BOOK, P.SCHEDULE_MANAGE, P.PATIENTS_READ, P.PATIENTS_WRITE]
)
def test_each_service_needs_exactly_its_capability(agenda: Agenda, revoked: Permission):
    """Reception holds every capability here; taking one away must refuse exactly the services
    that need it (the default grants alone cannot tell agenda.view from agenda.book apart)."""
    users.set_grant(
        agenda.uow(), actor=SYSTEM, role="reception", permission=revoked.value, granted=False
    )
    actor = agenda.actor("recepcion")
    wrong: list[str] = []
    for index, (name, (permission, prepare)) in enumerate(SERVICES.items()):
        call = prepare(agenda, index)
        try:
            call(actor)
            allowed = True
        except PermissionDenied:
            allowed = False
        if allowed != (permission is not revoked):
            wrong.append(f"{name}: {'allowed' if allowed else 'denied'} without {revoked}")
    assert wrong == []
