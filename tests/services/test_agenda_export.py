"""Getting a practitioner's agenda out: the iCalendar export parsed back with `icalendar` (one
event per appointment of theirs in the local date range, stable UIDs, UTC times, RFC 5545
statuses, accents intact), the printed day read back with `pypdf` (patients, times, hours and
closures; cancelled ones left out), both audited; and finding a practitioner by user name."""

from __future__ import annotations

import io
import re
import uuid
from datetime import UTC, timedelta

import pytest
from agenda_kit import SYSTEM, Agenda
from icalendar import Calendar
from pypdf import PdfReader

from clinic_desktop.errors import NotFound, PermissionDenied, ValidationError
from clinic_desktop.services.agenda_export import (
    find_practitioner,
    practitioner_day_pdf,
    practitioner_ics,
)
from clinic_desktop.services.appointments import cancel_appointment, change_status
from clinic_desktop.services.patients import quick_create_patient
from clinic_desktop.services.schedules import add_closure

# The agenda fixtures (`agenda`, `agenda_demo`, `madrid`) live in agenda_kit.
pytest_plugins = ["agenda_kit"]


def jose(agenda: Agenda) -> uuid.UUID:
    return quick_create_patient(
        agenda.uow(),
        actor=SYSTEM,
        first_names="José",
        last_names="Ñúñez Ibáñez",
        phone="0998765432",
    ).id


def book_doctor_days(agenda: Agenda):
    seed = agenda.seed
    patient = jose(agenda)
    from clinic_desktop.services.appointments import book_appointment

    confirmed = book_appointment(
        agenda.uow(),
        actor=SYSTEM,
        patient_id=patient,
        practitioner_id=seed.doctor,
        start=agenda.at(0, 9),
        minutes=30,
        room_id=seed.room_1,
        type_id=seed.consult,
        reason="Dolor de cabeza",
        now=agenda.now,
    )
    change_status(
        agenda.uow(), actor=SYSTEM, appointment_id=confirmed.id, status="confirmed", now=agenda.now
    )
    cancelled = agenda.book(0, 10, 0, patient=1)
    cancel_appointment(
        agenda.uow(),
        actor=SYSTEM,
        appointment_id=cancelled.id,
        by="patient",
        reason="Viaje",
        now=agenda.now,
    )
    video = agenda.book(1, 15, 0, patient=2, minutes=20, type_id=seed.video)
    # 19:30 in Quito is 00:30 UTC the next day: still Tuesday's agenda.
    evening = agenda.book(1, 19, 30, patient=3, override_reason="Única hora posible")
    agenda.book(2, 9, 0, patient=4)  # Wednesday: outside the range
    agenda.book(0, 9, 0, patient=5, practitioner=seed.dentist)  # someone else's
    return confirmed, cancelled, video, evening


def test_the_ics_file_parses_back_into_the_same_appointments(agenda: Agenda):
    confirmed, cancelled, video, evening = book_doctor_days(agenda)
    data = practitioner_ics(
        agenda.uow(),
        actor=agenda.actor("medico"),
        practitioner_id=agenda.seed.doctor,
        first_day=agenda.day(0),
        last_day=agenda.day(1),
    )
    calendar = Calendar.from_ical(data)
    assert str(calendar["X-WR-CALNAME"]) == "Agenda — Dr. Andrés Paredes"
    assert str(calendar["X-WR-TIMEZONE"]) == "America/Guayaquil"
    events = {str(e["UID"]): e for e in calendar.walk("VEVENT")}
    stored = {a.id: a for a in agenda.appointments(0, 1)}
    expected = {
        confirmed.id: "CONFIRMED",
        cancelled.id: "CANCELLED",
        video.id: "TENTATIVE",
        evening.id: "TENTATIVE",
    }
    assert set(events) == {f"{i}@clinic-desktop" for i in expected}
    for appointment_id, status in expected.items():
        event = events[f"{appointment_id}@clinic-desktop"]
        start, end = event.decoded("DTSTART"), event.decoded("DTEND")
        assert start.utcoffset() == timedelta(0) and end.utcoffset() == timedelta(0)
        assert (start, end) == (stored[appointment_id].start, stored[appointment_id].end)
        assert str(event["STATUS"]) == status
        assert int(event["SEQUENCE"]) == stored[appointment_id].version
    first = events[f"{confirmed.id}@clinic-desktop"]
    assert str(first["SUMMARY"]) == "José Ñúñez Ibáñez — Consulta"
    assert str(first["LOCATION"]) == "Consultorio 1, Clínica Demo San Rafael"
    assert "Dolor de cabeza" in str(first["DESCRIPTION"])
    assert "Confirmed" in str(first["DESCRIPTION"])
    late = events[f"{evening.id}@clinic-desktop"].decoded("DTSTART")
    assert (late.astimezone(UTC).date(), late.hour) == (agenda.day(2), 0)
    (entry,) = agenda.audit("agenda.exported")
    assert entry.entity_id == str(agenda.seed.doctor)
    assert '"appointments": 4' in entry.changes


def test_an_empty_range_is_a_valid_calendar(agenda: Agenda):
    data = practitioner_ics(
        agenda.uow(),
        actor=SYSTEM,
        practitioner_id=agenda.seed.external,
        first_day=agenda.day(0),
        last_day=agenda.day(6),
    )
    calendar = Calendar.from_ical(data)
    assert calendar.walk("VEVENT") == []
    assert data.startswith(b"BEGIN:VCALENDAR\r\n")


def test_bad_export_requests(agenda: Agenda):
    with pytest.raises(ValidationError) as caught:
        practitioner_ics(
            agenda.uow(),
            actor=SYSTEM,
            practitioner_id=agenda.seed.doctor,
            first_day=agenda.day(1),
            last_day=agenda.day(0),
        )
    assert caught.value.field == "to"
    with pytest.raises(NotFound):
        practitioner_ics(
            agenda.uow(),
            actor=SYSTEM,
            practitioner_id=uuid.uuid4(),
            first_day=agenda.day(0),
            last_day=agenda.day(0),
        )
    with pytest.raises(PermissionDenied):
        practitioner_ics(
            agenda.uow(),
            actor=agenda.actor("soporte"),
            practitioner_id=agenda.seed.doctor,
            first_day=agenda.day(0),
            last_day=agenda.day(0),
        )
    assert agenda.audit("agenda.exported") == []


def pdf_text(data: bytes) -> str:
    reader = PdfReader(io.BytesIO(data))
    return re.sub(r"\s+", " ", " ".join(page.extract_text() for page in reader.pages))


def test_the_printed_day_lists_the_patients_and_times(agenda: Agenda):
    _confirmed, cancelled, video, _evening = book_doctor_days(agenda)
    text = pdf_text(
        practitioner_day_pdf(
            agenda.uow(),
            actor=agenda.actor("recepcion"),
            practitioner_id=agenda.seed.doctor,
            day=agenda.day(0),
        )
    )
    assert "Dr. Andrés Paredes" in text
    assert "José Ñúñez Ibáñez" in text
    assert "09:00" in text and "09:30" in text
    assert "Dolor de cabeza" in text and "Consultorio 1" in text
    assert "09:00–13:00" in text and "15:00–19:00" in text
    assert cancelled.patient_name not in text  # cancelled appointments are not printed
    assert video.patient_name not in text  # Tuesday's
    (entry,) = agenda.audit("agenda.day_printed")
    assert entry.user_name == "recepcion"
    assert '"appointments": 1' in entry.changes


def test_the_printed_day_shows_a_closure(agenda: Agenda):
    add_closure(
        agenda.uow(),
        actor=SYSTEM,
        first_day=agenda.day(1),
        last_day=agenda.day(1),
        reason="Inventario",
    )
    evening = agenda.book(1, 19, 30, patient=3, override_reason="Urgencia")
    text = pdf_text(
        practitioner_day_pdf(
            agenda.uow(), actor=SYSTEM, practitioner_id=agenda.seed.doctor, day=agenda.day(1)
        )
    )
    assert "Clinic closed: Inventario" in text
    assert evening.patient_name in text and "19:30" in text


def test_find_practitioner_by_user_name_or_display_name(agenda: Agenda):
    seed = agenda.seed
    uow = agenda.uow
    assert find_practitioner(uow(), actor=SYSTEM, username="medico") == seed.doctor
    assert find_practitioner(uow(), actor=SYSTEM, username=" ODONTOLOGA ") == seed.dentist
    assert find_practitioner(uow(), actor=SYSTEM, username="Dr. Tomás Ruiz") == seed.external
    with pytest.raises(NotFound):
        find_practitioner(uow(), actor=SYSTEM, username="recepcion")
    with pytest.raises(PermissionDenied):
        find_practitioner(uow(), actor=agenda.actor("soporte"), username="medico")
