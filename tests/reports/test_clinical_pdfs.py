"""The clinical PDFs built from their input dataclasses alone: every page of a long history
carries the letterhead, the patient's identification, "Page X of Y" and the confidentiality
notice; accents survive; a note prints its vitals with units, its SOAP sections, its signature
or a DRAFT mark, its addenda and its amendment marks; a prescription prints its lines and a
voided one the VOID mark; the logo is drawn when there is one and nothing breaks when there is
none (or it is not an image); numbers and dates follow the UI language."""

from __future__ import annotations

import io
import re
from collections.abc import Iterator
from dataclasses import replace
from datetime import date, datetime, timedelta
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
from PIL import Image
from pypdf import PdfReader

from clinic_desktop import i18n
from clinic_desktop.reports.clinical_letterhead import Letterhead, PatientIdentity
from clinic_desktop.reports.encounter_pdf import (
    AddendumLine,
    EncounterDocument,
    NoteView,
    RxSummary,
    VitalLine,
    render_encounter,
)
from clinic_desktop.reports.history_pdf import (
    AllergyLine,
    AppointmentLine,
    DocumentLine,
    Fact,
    HistoryDocument,
    HistoryText,
    ProblemLine,
    render_history,
)
from clinic_desktop.reports.prescription_pdf import (
    PrescriptionDocument,
    PrescriptionLine,
    PrescriptionView,
    render_prescription,
)

ZONE = ZoneInfo("America/Guayaquil")
NOW = datetime(2026, 3, 5, 10, 30, tzinfo=ZONE)


def png(width: int = 90, height: int = 60) -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (width, height), (31, 95, 139)).save(buffer, "PNG")
    return buffer.getvalue()


LETTERHEAD = Letterhead(
    clinic_name="Clínica Santa Ana",
    address="Av. Amazonas N34-120, Quito",
    tax_id="1710034065001",
    tax_id_label="RUC",
    logo=png(),
)
PATIENT = PatientIdentity(
    full_name="José Pérez Núñez",
    chart_number=21,
    id_label="Cédula",
    id_number="1710034065",
    birth_date=date(1980, 5, 17),
)
VITALS = (
    VitalLine("Blood pressure", (Decimal(120), Decimal(80)), "mmHg"),
    VitalLine("Temperature", (Decimal("36.5"),), "°C", 1),
    VitalLine("Weight", (Decimal("70.5"),), "kg", 1),
)


def note(day: int, **overrides: object) -> NoteView:
    occurred = NOW - timedelta(days=600 - day)
    values: dict[str, object] = {
        "occurred_at": occurred,
        "author": "Dr. Andrés Paredes",
        "signed": True,
        "signed_by": "Dr. Andrés Paredes",
        "signed_at": occurred + timedelta(minutes=30),
        "chief_complaint": f"Control número {day}",
        "subjective": "Refiere cefalea ocasional.",
        "objective": "Buen estado general; exploración física sin hallazgos.",
        "assessment": "Hipertensión arterial controlada.",
        "plan": "Continuar con enalapril.",
        "vitals": VITALS,
    }
    values.update(overrides)
    return NoteView(**values)  # type: ignore[arg-type]


def history(notes: tuple[NoteView, ...], **overrides: object) -> HistoryDocument:
    values: dict[str, object] = {
        "letterhead": LETTERHEAD,
        "patient": PATIENT,
        "generated_at": NOW,
        "generated_by": "Dra. Lucía Andrade",
        "demographics": (Fact("Name", "José Pérez Núñez"), Fact("Chart", "21")),
        "history": (HistoryText("Personal history", "Hipertensión desde 2015.\nAsma."),),
        "allergies": (AllergyLine("Penicilina", "Urticaria", "Severe", "Active", None),),
        "problems": (ProblemLine("Hipertensión arterial", "I10", "Active", None, None),),
        "notes": notes,
        "documents": (DocumentLine(date(2026, 2, 3), "Lab", "análisis.pdf", "Hemograma", 2048),),
    }
    values.update(overrides)
    return HistoryDocument(**values)  # type: ignore[arg-type]


@pytest.fixture
def language() -> Iterator[None]:
    previous = i18n.current_language()
    yield
    i18n.set_language(previous)


def pages_of(pdf: bytes) -> list[str]:
    return [re.sub(r"\s+", " ", p.extract_text()) for p in PdfReader(io.BytesIO(pdf)).pages]


def test_every_page_of_a_long_history_is_identified_numbered_and_confidential(language):
    i18n.set_language("en")
    notes = tuple(note(day) for day in range(120))
    pdf = render_history(history(notes))
    reader = PdfReader(io.BytesIO(pdf))
    pages = pages_of(pdf)
    assert len(pages) > 10
    assert reader.metadata is not None and reader.metadata.title == (
        "Clinical history — José Pérez Núñez"
    )
    for number, page in enumerate(pages, start=1):
        assert "Clínica Santa Ana" in page
        assert "RUC 1710034065001" in page
        assert "Patient: José Pérez Núñez · Chart 21 · Cédula 1710034065 · Born" in page
        assert f"Page {number} of {len(pages)}" in page
        assert "Confidential: contains health data protected by law" in page
        # The logo is drawn on every page (and stored once in the file).
        assert len(reader.pages[number - 1].images) == 1
    text = " ".join(pages)
    # Every note is there, in the order given.
    positions = [text.index(f"Control número {day} ") for day in range(120)]
    assert positions == sorted(positions)
    assert text.count("Signed by Dr. Andrés Paredes on") == 120
    assert "exploración física sin hallazgos" in text
    assert "Born May 17, 1980 (45 years)" in text


def test_a_long_patient_line_is_set_smaller_rather_than_cut(language):
    i18n.set_language("es")
    patient = replace(
        PATIENT,
        full_name="María de los Ángeles Fernández Villavicencio",
        id_label="Pasaporte",
        id_number="AB1234567890",
    )
    pdf = render_history(history((note(1),), patient=patient))
    for page in pages_of(pdf):
        assert "María de los Ángeles Fernández Villavicencio · Historia 21" in page
        assert "Nacimiento: 17 may 1980 (45 años)" in page


def test_a_note_prints_vitals_soap_signature_addenda_and_amendment_marks(language):
    i18n.set_language("en")
    original = note(
        1,
        superseded_by=NOW,
        addenda=(AddendumLine("Cultivo positivo.", "Dra. Valeria Cedeño", NOW),),
    )
    pages = pages_of(
        render_encounter(
            EncounterDocument(
                LETTERHEAD,
                PATIENT,
                original,
                NOW,
                "Ana Torres",
                (RxSummary(date(2026, 3, 5), ("Amoxicilina 500 mg — Oral",), void=True),),
            )
        )
    )
    text = " ".join(pages)
    for phrase in (
        "Clinical note",
        "Chief complaint: Control número 1",
        "Vital signs: Blood pressure 120/80 mmHg Temperature 36.5 °C Weight 70.5 kg",
        "Objective / physical examination: Buen estado general",
        "Assessment / diagnosis: Hipertensión arterial controlada.",
        "Plan: Continuar con enalapril.",
        "Signed by Dr. Andrés Paredes on",
        "Superseded by the version of Mar 5, 2026",
        "Addendum by Dra. Valeria Cedeño on Mar 5, 2026",
        "Cultivo positivo.",
        "Prescription of Mar 5, 2026 — VOID",
        "Printed on Mar 5, 2026",
        "Page 1 of 1",
    ):
        assert phrase in text, phrase
    assert "DRAFT" not in text
    amended = note(2, amends_note_of=NOW - timedelta(days=1), amendment_reason="Dosis corregida")
    text = " ".join(
        pages_of(render_encounter(EncounterDocument(LETTERHEAD, PATIENT, amended, NOW, "x")))
    )
    assert "Amended version of the note of Mar 4, 2026, 10:30 AM, reason: Dosis corregida" in text


def test_a_draft_note_is_marked_on_the_page_and_by_a_watermark(language):
    i18n.set_language("en")
    draft = note(3, signed=False, signed_by="", signed_at=None, plan="")
    text = " ".join(
        pages_of(render_encounter(EncounterDocument(LETTERHEAD, PATIENT, draft, NOW, "x")))
    )
    assert "DRAFT — not signed" in text
    assert "Signed by" not in text
    assert "Plan:" not in text  # an empty section is left out
    assert re.search(r"\bDRAFT\b(?! —)", text)  # the watermark, besides the mark


def test_a_prescription_and_a_voided_one(language):
    i18n.set_language("en")
    rx = PrescriptionView(
        issued_on=date(2026, 3, 5),
        prescriber="Dr. Andrés Paredes",
        prescriber_detail="Medicina familiar",
        lines=(
            PrescriptionLine(
                "Amoxicilina 500 mg", "1 cápsula", "Oral", "cada 8 horas", "7 días", "Con comida."
            ),
            PrescriptionLine("Paracetamol 500 mg", frequency="si hay fiebre"),
        ),
        notes="Reposo relativo.",
    )
    text = " ".join(
        pages_of(render_prescription(PrescriptionDocument(LETTERHEAD, PATIENT, rx, NOW, "x")))
    )
    for phrase in (
        "Prescription",
        "Prescribed by Dr. Andrés Paredes on Mar 5, 2026",
        "1. Amoxicilina 500 mg — 1 cápsula — Oral — cada 8 horas — 7 días",
        "Con comida.",
        "2. Paracetamol 500 mg — si hay fiebre",
        "Reposo relativo.",
        "Dr. Andrés Paredes — Medicina familiar",
        "Signature",
    ):
        assert phrase in text, phrase
    assert "VOID" not in text
    void = replace(
        rx, void=True, voided_at=NOW, voided_by="Dra. Lucía Andrade", void_reason="Error"
    )
    text = " ".join(
        pages_of(render_prescription(PrescriptionDocument(LETTERHEAD, PATIENT, void, NOW, "x")))
    )
    assert "VOID — voided on Mar 5, 2026, 10:30 AM by Dra. Lucía Andrade. Reason: Error" in text
    assert text.count("VOID") == 2  # the notice and the watermark


@pytest.mark.parametrize("logo", [None, b"", b"not an image"])
def test_without_a_usable_logo_the_letterhead_has_no_image(logo, language):
    i18n.set_language("en")
    pdf = render_history(history((note(1),), letterhead=replace(LETTERHEAD, logo=logo)))
    reader = PdfReader(io.BytesIO(pdf))
    assert all(len(page.images) == 0 for page in reader.pages)
    assert "Clínica Santa Ana" in pages_of(pdf)[0]


def test_spanish_numbers_and_dates_use_the_locale(language):
    # Babel formats by the language code alone, so this holds with or without the catalog.
    i18n.set_language("es")
    text = " ".join(pages_of(render_history(history((note(1),)))))
    assert "36,5 °C" in text and "70,5 kg" in text
    assert "17 may 1980" in text
    assert "2,0 KB" in text  # the document's size


def test_the_export_lists_appointments_and_empty_sections_say_so(language):
    i18n.set_language("en")
    doc = history(
        (),
        allergies=(),
        problems=(),
        history=(),
        documents=(),
        appointments=(
            AppointmentLine(NOW, "Dr. Andrés Paredes", "Control", "Revisión", "Completed"),
        ),
        title="Patient record",
    )
    text = " ".join(pages_of(render_history(doc)))
    for phrase in (
        "Patient record",
        "No known allergies recorded.",
        "No medical history recorded.",
        "No problems recorded.",
        "No clinical notes.",
        "No prescriptions issued.",
        "No documents attached.",
        "Appointments",
        "Revisión",
        "Completed",
    ):
        assert phrase in text, phrase
    assert "Appointments" not in " ".join(pages_of(render_history(history(()))))
