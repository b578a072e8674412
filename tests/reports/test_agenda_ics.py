"""The agenda's iCalendar export parses back with the icalendar library into the same events:
UIDs, UTC start and end, summaries with their accents, RFC 5545 statuses, sequence and stamps;
the file is valid (required properties, no floating times, CRLF lines folded at 75 octets), a
day without appointments is still a valid calendar, and data a client would misread is
refused."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from icalendar import Calendar, Event

from clinic_desktop.reports.agenda_ics import IcsCalendar, IcsEvent, ics_status, render_ics

QUITO = ZoneInfo("America/Guayaquil")
MADRID = ZoneInfo("Europe/Madrid")
UPDATED = datetime(2026, 2, 10, 8, 0, tzinfo=UTC)

EVENTS = (
    IcsEvent(
        uid="01950c1e-7a2b-7c3d-8e4f-000000000001",
        start=datetime(2026, 2, 16, 9, 0, tzinfo=QUITO),  # 14:00 UTC
        end=datetime(2026, 2, 16, 9, 30, tzinfo=QUITO),
        summary="Paula Vera — Control",
        description="Motivo: dolor en molar; revisión, radiografía\nTrae exámenes previos",
        location="Consultorio 2 · Clínica Santa Ana",
        status="scheduled",
        updated=UPDATED,
        sequence=0,
    ),
    IcsEvent(
        uid="01950c1e-7a2b-7c3d-8e4f-000000000002",
        start=datetime(2026, 2, 16, 10, 0, tzinfo=MADRID),  # another zone: 09:00 UTC
        end=datetime(2026, 2, 16, 10, 45, tzinfo=MADRID),
        summary="José Ñúñez Ibáñez — Primera consulta",
        description="",
        location="",
        status="completed",
        updated=datetime(2026, 2, 16, 11, 0, tzinfo=MADRID),
        sequence=4,
        url="https://clinica.example/agenda/2",
    ),
    IcsEvent(
        uid="01950c1e-7a2b-7c3d-8e4f-000000000003",
        start=datetime(2026, 2, 17, 15, 0, tzinfo=UTC),
        end=datetime(2026, 2, 17, 15, 20, tzinfo=UTC),
        summary="Lucía Gómez — Limpieza",
        description="Cancelada por la paciente",
        location="Sala de procedimientos",
        status="cancelled",
        updated=UPDATED,
        sequence=2,
    ),
    IcsEvent(
        uid="01950c1e-7a2b-7c3d-8e4f-000000000004",
        start=datetime(2026, 2, 18, 16, 0, tzinfo=UTC),
        end=datetime(2026, 2, 18, 16, 30, tzinfo=UTC),
        summary="Andrés Peña — Control",
        description="",
        location="",
        status="no_show",
        updated=UPDATED,
        sequence=1,
    ),
)
CALENDAR = IcsCalendar(name="Agenda — Dra. Paula Vera", timezone="America/Guayaquil", events=EVENTS)


def parse(data: bytes) -> tuple[Calendar, dict[str, Event]]:
    calendar = Calendar.from_ical(data)
    events = {str(event["UID"]): event for event in calendar.walk("VEVENT")}
    return calendar, events


def test_calendar_properties() -> None:
    calendar, _events = parse(render_ics(CALENDAR))
    assert str(calendar["PRODID"]) == "-//clinic-desktop//Agenda//ES"
    assert str(calendar["VERSION"]) == "2.0"
    assert str(calendar["CALSCALE"]) == "GREGORIAN"
    assert str(calendar["METHOD"]) == "PUBLISH"
    assert str(calendar["X-WR-CALNAME"]) == "Agenda — Dra. Paula Vera"
    assert str(calendar["X-WR-TIMEZONE"]) == "America/Guayaquil"


def test_every_event_parses_back() -> None:
    _calendar, events = parse(render_ics(CALENDAR))
    assert set(events) == {f"{event.uid}@clinic-desktop" for event in EVENTS}
    expected_status = {
        "scheduled": "TENTATIVE",
        "completed": "CONFIRMED",
        "cancelled": "CANCELLED",
        "no_show": "CANCELLED",
    }
    for source in EVENTS:
        event = events[f"{source.uid}@clinic-desktop"]
        start, end = event["DTSTART"].dt, event["DTEND"].dt
        assert start == source.start and end == source.end
        assert start.utcoffset() == timedelta(0) and end.utcoffset() == timedelta(0)
        assert str(event["SUMMARY"]) == source.summary
        assert str(event["STATUS"]) == expected_status[source.status]
        assert int(event["SEQUENCE"]) == source.sequence
        assert event["DTSTAMP"].dt == source.updated
        assert event["LAST-MODIFIED"].dt == source.updated
        assert str(event.get("DESCRIPTION", "")) == source.description
        assert str(event.get("LOCATION", "")) == source.location
        assert (str(event["URL"]) if "URL" in event else None) == source.url


def test_times_are_written_in_utc() -> None:
    data = render_ics(CALENDAR)
    assert b"DTSTART:20260216T140000Z" in data  # 09:00 in Quito
    assert b"DTEND:20260216T143000Z" in data
    assert b"DTSTART:20260216T090000Z" in data  # 10:00 in Madrid, winter time
    assert b"DTSTAMP:20260216T100000Z" in data
    assert b"TZID=" not in data  # no event leans on a time-zone definition


def test_accents_survive_as_utf8() -> None:
    data = render_ics(CALENDAR)
    assert "José Ñúñez Ibáñez — Primera consulta".encode() in data.replace(b"\r\n ", b"")
    _calendar, events = parse(data)
    descriptions = [str(event.get("DESCRIPTION", "")) for event in events.values()]
    assert "Motivo: dolor en molar; revisión, radiografía\nTrae exámenes previos" in descriptions


def test_the_file_is_valid_rfc_5545() -> None:
    data = render_ics(CALENDAR)
    lines = data.split(b"\r\n")
    assert data.endswith(b"\r\n") and lines[-1] == b""
    assert all(b"\n" not in line and b"\r" not in line for line in lines)
    assert all(len(line) <= 75 for line in lines)  # folded by octets
    for line in lines:
        line.decode("utf-8")  # folding never splits a multi-byte character
    calendar, events = parse(data)
    calendar.validate()
    assert len(events) == len(EVENTS)
    for event in events.values():
        for name in ("UID", "DTSTAMP", "DTSTART", "DTEND", "SUMMARY", "STATUS", "SEQUENCE"):
            assert name in event, name
        for name in ("DTSTART", "DTEND", "DTSTAMP", "LAST-MODIFIED"):
            moment = event[name].dt
            assert isinstance(moment, datetime) and moment.tzinfo is not None, name
        assert event["DTEND"].dt > event["DTSTART"].dt


def test_a_long_description_is_folded_and_unfolds_intact() -> None:
    description = "Evolución: " + "sensibilidad térmica en pieza 46, " * 12
    event = replace(EVENTS[0], description=description)
    data = render_ics(replace(CALENDAR, events=(event,)))
    assert b"\r\n " in data
    _calendar, events = parse(data)
    assert str(next(iter(events.values()))["DESCRIPTION"]) == description


def test_an_empty_agenda_is_still_a_valid_calendar() -> None:
    data = render_ics(replace(CALENDAR, events=()))
    calendar, events = parse(data)
    assert events == {}
    calendar.validate()
    assert str(calendar["X-WR-CALNAME"]) == "Agenda — Dra. Paula Vera"


@pytest.mark.parametrize(
    ("status", "expected"),
    [
        ("scheduled", "TENTATIVE"),
        ("confirmed", "CONFIRMED"),
        ("arrived", "CONFIRMED"),
        ("in_consultation", "CONFIRMED"),
        ("completed", "CONFIRMED"),
        ("cancelled", "CANCELLED"),
        ("no_show", "CANCELLED"),
    ],
)
def test_status_mapping(status: str, expected: str) -> None:
    assert ics_status(status) == expected
    _calendar, events = parse(
        render_ics(replace(CALENDAR, events=(replace(EVENTS[0], status=status),)))
    )
    assert str(next(iter(events.values()))["STATUS"]) == expected


@pytest.mark.parametrize(
    "bad",
    [
        replace(EVENTS[0], start=datetime(2026, 2, 16, 9, 0)),  # naive
        replace(EVENTS[0], updated=datetime(2026, 2, 10, 8, 0)),  # naive
        replace(EVENTS[0], end=EVENTS[0].start),
        replace(EVENTS[0], status="lost"),
        replace(EVENTS[0], sequence=-1),
    ],
    ids=["naive-start", "naive-updated", "empty", "unknown-status", "negative-sequence"],
)
def test_data_a_client_would_misread_is_refused(bad: IcsEvent) -> None:
    with pytest.raises(ValueError):
        render_ics(replace(CALENDAR, events=(bad,)))


def test_an_unknown_time_zone_is_refused() -> None:
    with pytest.raises(ValueError):
        render_ics(replace(CALENDAR, timezone="America/Atlantis"))
