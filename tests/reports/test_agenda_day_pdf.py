"""The printed day of a practitioner: its extracted text names the practitioner and the day in
words, lists every appointment in time order with accents intact, counts them, says so when
there are none, flows a long day onto more pages with the table header repeated, and ends with
who printed it when."""

from __future__ import annotations

import gettext
import io
import re
from collections.abc import Iterator
from dataclasses import replace
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from pypdf import PdfReader

from clinic_desktop import i18n
from clinic_desktop.reports.agenda_day import (
    DayAppointmentLine,
    PractitionerDay,
    render_practitioner_day,
)

SPANISH_MO = i18n.TRANSLATIONS_DIR / "es" / "LC_MESSAGES" / f"{i18n.DOMAIN}.mo"


def line(
    start: datetime, name: str, *, minutes: int = 30, **overrides: object
) -> DayAppointmentLine:
    values: dict[str, object] = {
        "start": start,
        "end": start + timedelta(minutes=minutes),
        "patient_name": name,
        "patient_phone": None,
        "chart_number": None,
        "type_name": None,
        "room_name": None,
        "reason": "Control",
        "status_label": "Confirmed",
        "mode_label": "In person",
    }
    values.update(overrides)
    return DayAppointmentLine(**values)  # type: ignore[arg-type]


APPOINTMENTS = (
    line(
        datetime(2026, 2, 16, 9, 0),
        "María José Núñez",
        patient_phone="099 123 4567",
        chart_number=1042,
        type_name="Primera consulta",
        room_name="Consultorio 2",
        reason="Dolor en molar inferior derecho",
        status_label="Confirmed",
        mode_label="In person",
        notes="Trae radiografías previas",
    ),
    line(
        datetime(2026, 2, 16, 9, 30),
        "Andrés Peña Ibáñez",
        minutes=45,
        type_name="Control",
        reason="Revisión de ortodoncia",
        status_label="Scheduled",
        mode_label="Telemedicine",
    ),
    line(datetime(2026, 2, 16, 15, 15), "Sofía Ordóñez", status_label="Cancelled"),
)
DAY = PractitionerDay(
    clinic_name="Clínica Dental Muñoz & Asociados",
    clinic_address="Av. Amazonas N24-03, Quito",
    practitioner_name="Dra. Paula Vera Ordóñez",
    specialty="Odontología general",
    day=date(2026, 2, 16),
    working_hours="09:00–13:00, 15:00–19:00",
    closed_label="",
    appointments=APPOINTMENTS,
    printed_at=datetime(2026, 2, 15, 18, 5),
    printed_by="Ana Torres",
)


@pytest.fixture
def language() -> Iterator[None]:
    previous = i18n.current_language()
    yield
    i18n.set_language(previous)


def extract(pdf: bytes) -> tuple[PdfReader, list[str]]:
    reader = PdfReader(io.BytesIO(pdf))
    # Cells wrap; compare on single spaces so assertions do not depend on line breaks.
    pages = [re.sub(r"\s+", " ", page.extract_text()) for page in reader.pages]
    return reader, pages


def test_english_day(language: None) -> None:
    i18n.set_language("en")
    pdf = render_practitioner_day(DAY)
    assert pdf.startswith(b"%PDF-")
    reader, pages = extract(pdf)
    assert len(pages) == 1
    text = pages[0]
    assert reader.metadata is not None
    assert reader.metadata.title == "Agenda of Dra. Paula Vera Ordóñez, 16/02/2026"
    for phrase in (
        "Clínica Dental Muñoz & Asociados",
        "Dra. Paula Vera Ordóñez",
        "Odontología general · Av. Amazonas N24-03, Quito",
        "Monday, February 16, 2026",
        "Working hours: 09:00–13:00, 15:00–19:00",
        "3 appointments",
        "TIME PATIENT TYPE / ROOM REASON STATUS",
        "María José Núñez",
        "Chart 1042 · 099 123 4567",
        "Primera consulta",
        "Consultorio 2",
        "Dolor en molar inferior derecho",
        "Trae radiografías previas",
        "Andrés Peña Ibáñez",
        "Revisión de ortodoncia",
        "Telemedicine",
        "Sofía Ordóñez",
        "Cancelled",
        "Printed by Ana Torres on 15/02/2026 18:05",
        "Generated on 15/02/2026 18:05",
        "Page 1 of 1",
    ):
        assert phrase in text, phrase
    # Start and end of each appointment, as 24-hour wall times.
    for time in ("09:00", "09:30", "10:15", "15:15", "15:45"):
        assert time in text, time
    assert "No appointments on this day." not in text


def test_appointments_are_listed_in_time_order(language: None) -> None:
    i18n.set_language("en")
    shuffled = replace(DAY, appointments=tuple(reversed(APPOINTMENTS)))
    _reader, pages = extract(render_practitioner_day(shuffled))
    positions = [pages[0].index(name) for name in ("María José", "Andrés Peña", "Sofía Ordóñez")]
    assert positions == sorted(positions)


def test_aware_times_print_their_own_wall_clock(language: None) -> None:
    i18n.set_language("en")
    quito = ZoneInfo("America/Guayaquil")
    aware = line(datetime(2026, 2, 16, 8, 40, tzinfo=quito), "Lucía Gómez", minutes=20)
    _reader, pages = extract(render_practitioner_day(replace(DAY, appointments=(aware,))))
    assert "08:40" in pages[0] and "09:00" in pages[0]
    assert "1 appointment" in pages[0] and "1 appointments" not in pages[0]


def test_empty_day(language: None) -> None:
    i18n.set_language("en")
    empty = replace(DAY, appointments=(), working_hours="")
    reader, pages = extract(render_practitioner_day(empty))
    assert len(reader.pages) == 1
    text = pages[0]
    assert "No appointments on this day." in text
    assert "0 appointments" in text
    assert "Working hours: no working hours set" in text
    assert "PATIENT" not in text  # no empty table under the message


def test_closed_day_says_why(language: None) -> None:
    i18n.set_language("en")
    closed = replace(DAY, appointments=(), closed_label="Holiday: Carnaval")
    _reader, pages = extract(render_practitioner_day(closed))
    assert "Holiday: Carnaval" in pages[0]


def test_a_long_day_flows_onto_more_pages_with_the_header_repeated(language: None) -> None:
    i18n.set_language("en")
    start = datetime(2026, 2, 16, 7, 0)
    many = tuple(
        line(
            start + timedelta(minutes=20 * index),
            f"Paciente Número {index:02d}",
            minutes=20,
            chart_number=2000 + index,
            reason="Control de tratamiento de conducto y revisión de la restauración",
        )
        for index in range(40)
    )
    _reader, pages = extract(render_practitioner_day(replace(DAY, appointments=many)))
    assert len(pages) >= 2
    text = " ".join(pages)
    for index in range(40):
        assert f"Paciente Número {index:02d}" in text, index
    assert "40 appointments" in pages[0]
    assert "Paciente Número 00" in pages[0]
    assert "Paciente Número 39" in pages[-1]
    for number, page in enumerate(pages, start=1):
        assert "TIME PATIENT TYPE / ROOM REASON STATUS" in page, number
        assert f"Page {number} of {len(pages)}" in page
    assert "Printed by Ana Torres" in pages[0]


def test_spanish_date_comes_from_the_locale(language: None) -> None:
    i18n.set_language("es")
    _reader, pages = extract(render_practitioner_day(DAY))
    assert "Lunes, 16 de febrero de 2026" in pages[0]


def _catalog_translates(message: str) -> bool:
    if not SPANISH_MO.exists():
        return False
    with SPANISH_MO.open("rb") as fh:
        return gettext.GNUTranslations(fh).gettext(message) != message


@pytest.mark.skipif(
    not _catalog_translates("Agenda of {name}, {date}"),
    reason="Spanish catalog not compiled or the agenda strings not merged into it yet",
)
def test_spanish_day(language: None) -> None:
    i18n.set_language("es")
    reader, pages = extract(render_practitioner_day(DAY))
    assert reader.metadata is not None
    assert reader.metadata.title == "Agenda de Dra. Paula Vera Ordóñez, 16/02/2026"
    text = pages[0]
    assert "3 citas" in text
    assert "Horario de atención: 09:00–13:00, 15:00–19:00" in text
    assert "Impreso por Ana Torres el 15/02/2026 18:05" in text
    assert "Historia 1042" in text
