"""The chart's figures on the 100,000-patient demo clinic: one patient is given 500 signed
notes (SOAP text and vitals, through the services, as the doctor) and 200 documents, another
200 notes for the history PDF. `chart_open_ms` is what a doctor waits for when opening that
chart and looking at everything in it: `ChartView` (header, photo, allergy banner, summary tab),
then the notes tab (500 notes listed, the newest opened) and the documents tab (200 listed),
painted with `grab()`, offscreen, with the tests' same-thread runner; median of 10, against
the raw SQL of the two lists (notes with their authors, documents' metadata). The history
PDF is `clinical_print.history_pdf` for the 200-note patient, whose page count is printed too
(the goal speaks of 50 pages)."""

from __future__ import annotations

import io
import os
import statistics
import time
from collections.abc import Iterator
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

from bench_kit import Figure

NOTES, DOCUMENTS, PDF_NOTES, RUNS = 500, 200, 200, 10

_RAW_NOTES = """
SELECT e.id, e.occurred_at, e.status, e.chief_complaint, e.assessment, e.signed_at,
       e.amends_id, e.appointment_id, u.full_name
  FROM encounters e JOIN users u ON u.id = e.author_id
 WHERE e.patient_id = ? AND e.deleted_at IS NULL ORDER BY e.occurred_at DESC
"""
_RAW_DOCUMENTS = """
SELECT id, category, document_date, description, file_name, mime_type, size_bytes, created_by
  FROM patient_documents WHERE patient_id = ? AND deleted_at IS NULL
 ORDER BY document_date DESC
"""


class _Clinic:
    """What the tests' `make_ctx` reads from a created clinic."""

    def __init__(self, db: Any) -> None:
        self.db = db


def _pdf(number: int) -> bytes:
    from reportlab.pdfgen import canvas

    out = io.BytesIO()
    page = canvas.Canvas(out)
    page.drawString(72, 720, f"Resultado de laboratorio n.º {number}")
    page.save()
    return out.getvalue()


def _fill(db: Any, doctor: Any, patient_id: Any, notes: int, documents: int) -> None:
    from clinic_desktop.services.documents import attach_document
    from clinic_desktop.services.encounters import (
        EncounterForm,
        save_encounter,
        sign_encounter,
        start_encounter,
    )

    first = datetime(2016, 1, 4, 14, tzinfo=UTC)
    for n in range(notes):
        note = start_encounter(
            db.uow(), actor=doctor, patient_id=patient_id, now=first + timedelta(days=7 * n)
        )
        note = save_encounter(
            db.uow(),
            actor=doctor,
            encounter_id=note.id,
            expected_version=note.version,
            form=EncounterForm(
                chief_complaint=f"Control de hipertensión arterial n.º {n + 1}",
                subjective="Refiere cefalea ocasional y buena adherencia al tratamiento con "
                "losartán 50 mg al día. Niega dolor torácico, disnea o edemas.",
                objective="Paciente consciente, orientada, hidratada. Ruidos cardiacos rítmicos, "
                "sin soplos. Murmullo vesicular conservado. Sin edemas en miembros inferiores.",
                assessment="Hipertensión esencial (I10) controlada.",
                plan="Mantener losartán 50 mg/día. Dieta hiposódica y caminata 30 minutos. "
                "Control en tres meses con perfil lipídico.",
                systolic_bp="128",
                diastolic_bp="82",
                heart_rate="72",
                temperature_c="36,6",
                weight_kg="68,5",
                height_cm="162",
            ),
        )
        sign_encounter(db.uow(), actor=doctor, encounter_id=note.id, expected_version=note.version)
    today = date(2026, 1, 1)
    for n in range(documents):
        attach_document(
            db.uow(),
            actor=doctor,
            patient_id=patient_id,
            file_name=f"laboratorio-{n + 1}.pdf",
            data=_pdf(n),
            category="lab",
            document_date=today - timedelta(days=n),
            description=f"Resultados de laboratorio {n + 1}",
        )


def chart_figures(clinic: Path) -> Iterator[Figure]:
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from PySide6.QtWidgets import QApplication
    from sqlalchemy import select
    from ui.screens_helpers import make_ctx, settle

    from clinic_desktop.config import AppPaths
    from clinic_desktop.models.patient import Patient
    from clinic_desktop.services.clinical_print import history_pdf
    from clinic_desktop.services.startup import open_clinic, unlock
    from clinic_desktop.ui.chart.page import ChartView

    app = QApplication.instance() or QApplication([])
    db = open_clinic(AppPaths(clinic), unlock(AppPaths(clinic)))
    try:
        ctx = make_ctx(_Clinic(db), "medico")  # type: ignore[arg-type]
        with db.uow().transaction(ctx.actor) as session:
            big, pdf_patient = list(
                session.scalars(select(Patient.id).order_by(Patient.chart_number.desc()).limit(2))
            )
        start = time.perf_counter()
        _fill(db, ctx.actor, big, NOTES, DOCUMENTS)
        _fill(db, ctx.actor, pdf_patient, PDF_NOTES, 0)
        yield "chart_bench_fill_s", time.perf_counter() - start, "s"

        def open_chart() -> float:
            began = time.perf_counter()
            chart = ChartView(ctx, big)
            chart.resize(1440, 900)
            chart.show()
            notes = chart.tab("NotesTab")
            settle()
            newest = notes.rows()[0]  # type: ignore[union-attr]
            notes.open_encounter(newest.id)  # type: ignore[union-attr]
            chart.tab("DocumentsTab")
            settle()
            chart.grab()
            elapsed = (time.perf_counter() - began) * 1000
            chart.close()
            chart.deleteLater()
            app.processEvents()
            return elapsed

        raw = db.engine.raw_connection()
        try:

            def floor() -> float:
                began = time.perf_counter()
                cursor = raw.cursor()
                cursor.execute(_RAW_NOTES, (big.hex,)).fetchall()
                cursor.execute(_RAW_DOCUMENTS, (big.hex,)).fetchall()
                return (time.perf_counter() - began) * 1000

            open_chart(), floor()
            opened = statistics.median(open_chart() for _ in range(RUNS))
            raw_ms = statistics.median(floor() for _ in range(RUNS))
        finally:
            raw.close()
        yield "chart_open_ms", opened, "ms"
        yield "chart_open_floor_ms", raw_ms, "ms"
        yield "chart_open_ratio", opened / raw_ms, "x"

        history_pdf(db.uow(), actor=ctx.actor, patient_id=pdf_patient)  # fonts, imports
        times, pdf = [], b""
        for _ in range(3):
            began = time.perf_counter()
            pdf = history_pdf(db.uow(), actor=ctx.actor, patient_id=pdf_patient)
            times.append(time.perf_counter() - began)
        yield "history_pdf_50p_s", statistics.median(times), "s"
        try:
            from pypdf import PdfReader
        except ImportError:
            return
        yield "history_pdf_pages", float(len(PdfReader(io.BytesIO(pdf)).pages)), "pages"
    finally:
        db.close()
