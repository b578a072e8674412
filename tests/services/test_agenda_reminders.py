"""Which reminders are due: appointments starting within agenda.reminder_hours (24 by default)
after now, still scheduled or confirmed, whose patient consented and chose a channel with a
contact for it, and not reminded yet; marking one sent takes it off the list."""

from __future__ import annotations

import uuid

import pytest
from agenda_kit import SYSTEM, Agenda

from clinic_desktop.errors import NotFound, PermissionDenied
from clinic_desktop.models.patient import Patient
from clinic_desktop.services.appointments import cancel_appointment, change_status
from clinic_desktop.services.reminders import mark_reminder_sent, reminders_due
from clinic_desktop.services.settings import update_settings

# The agenda fixtures (`agenda`, `agenda_demo`, `madrid`) live in agenda_kit.
pytest_plugins = ["agenda_kit"]


def contact(
    agenda: Agenda,
    patient: int,
    *,
    channel: str = "sms",
    consent: bool = True,
    phone: str | None = "0991234567",
    email: str | None = None,
) -> None:
    """Sets a patient's reminder preferences (the patient-records screen will own this)."""
    with agenda.uow().transaction(SYSTEM) as session:
        row = session.get(Patient, agenda.seed.patients[patient])
        assert row is not None
        row.reminder_channel, row.reminder_consent = channel, consent
        row.phone, row.email = phone, email


def due(agenda: Agenda, now=None) -> list[uuid.UUID]:
    return [
        r.appointment_id
        for r in reminders_due(
            agenda.uow(), actor=agenda.actor("recepcion"), now=now or agenda.at(-1, 10)
        )
    ]


def test_due_within_the_window_for_consenting_patients(agenda: Agenda):
    seed = agenda.seed
    for patient in range(5):
        contact(agenda, patient)
    contact(agenda, 6, consent=False)
    contact(agenda, 7, channel="none")
    contact(agenda, 8, channel="email", email=None)
    contact(agenda, 9, channel="whatsapp", phone=None)
    now = agenda.at(-1, 10)  # Sunday 10:00: the window runs to Monday 10:00
    inside = agenda.book(0, 9, 0, patient=0)
    edge = agenda.book(0, 9, 30, patient=1)  # starts 23.5 h later
    agenda.book(0, 10, 30, patient=2)  # 24.5 h later: outside
    cancelled = agenda.book(0, 9, 0, patient=3, practitioner=seed.dentist)
    cancel_appointment(
        agenda.uow(),
        actor=SYSTEM,
        appointment_id=cancelled.id,
        by="patient",
        reason="x",
        now=agenda.now,
    )
    confirmed = agenda.book(0, 9, 0, patient=4, practitioner=seed.external)
    change_status(
        agenda.uow(), actor=SYSTEM, appointment_id=confirmed.id, status="confirmed", now=agenda.now
    )
    agenda.book(0, 9, 30, patient=6, practitioner=seed.dentist)  # no consent
    agenda.book(0, 9, 30, patient=7, practitioner=seed.external)  # no channel
    agenda.book(0, 9, 0, patient=8, practitioner=seed.dentist, minutes=15)  # no e-mail
    agenda.book(0, 9, 15, patient=9, practitioner=seed.dentist, minutes=15)  # no phone
    found = due(agenda, now)
    assert set(found[:2]) == {inside.id, confirmed.id}
    assert found[2:] == [edge.id]


def test_the_details_pick_the_contact_of_the_channel(agenda: Agenda):
    contact(agenda, 0, channel="email", email="ana@example.ec", phone="0991111111")
    contact(agenda, 1, channel="whatsapp", phone="+593 99 222 2222", email="x@example.ec")
    first = agenda.book(0, 9, 0, patient=0)
    second = agenda.book(0, 9, 30, patient=1)
    found = reminders_due(agenda.uow(), actor=SYSTEM, now=agenda.at(-1, 10))
    assert [(r.appointment_id, r.channel, r.contact) for r in found] == [
        (first.id, "email", "ana@example.ec"),
        (second.id, "whatsapp", "+593 99 222 2222"),
    ]
    assert found[0].start == agenda.at(0, 9)
    assert found[0].practitioner_name == "Dr. Andrés Paredes"
    assert found[0].patient_name == first.patient_name


def test_a_reminder_is_listed_until_it_is_sent(agenda: Agenda):
    contact(agenda, 0)
    item = agenda.book(0, 9, 0)
    assert due(agenda) == [item.id]
    mark_reminder_sent(
        agenda.uow(), actor=agenda.actor("asistente"), appointment_id=item.id, at=agenda.at(-1, 10)
    )
    assert due(agenda) == []
    with pytest.raises(NotFound):
        mark_reminder_sent(agenda.uow(), actor=SYSTEM, appointment_id=uuid.uuid4(), at=agenda.now)


def test_started_or_past_appointments_are_not_reminded(agenda: Agenda):
    contact(agenda, 0)
    contact(agenda, 1)
    arrived = agenda.book(0, 9, 0, patient=0)
    change_status(
        agenda.uow(), actor=SYSTEM, appointment_id=arrived.id, status="arrived", now=agenda.now
    )
    agenda.book(0, 8, 0, patient=1, override_reason="Temprano")
    assert due(agenda, now=agenda.at(0, 8, 0)) == []  # starts exactly now: too late to remind


def test_the_window_comes_from_the_setting(agenda: Agenda):
    contact(agenda, 0)
    item = agenda.book(1, 9, 0)  # Tuesday 09:00: 47 h after Sunday 10:00
    assert due(agenda) == []
    update_settings(agenda.uow(), actor=SYSTEM, changes={"agenda.reminder_hours": 48})
    assert due(agenda) == [item.id]
    update_settings(agenda.uow(), actor=SYSTEM, changes={"agenda.reminder_hours": 46})
    assert due(agenda) == []


def test_reminders_need_agenda_view(agenda: Agenda):
    with pytest.raises(PermissionDenied):
        reminders_due(agenda.uow(), actor=agenda.actor("soporte"), now=agenda.now)
