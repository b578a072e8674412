"""Printing a PDF through the print dialog's painting: every page of the document reaches the
printer (checked by printing into a PDF file and reading it back: same page count, A4, and
each printed page looks like the original page), the preview dialog paints every page from
memory, and bytes that are not a PDF are refused before any dialog opens."""

from __future__ import annotations

import io
from datetime import date, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from PIL import Image, ImageChops, ImageStat
from pypdf import PdfReader
from PySide6.QtCore import QBuffer, QByteArray, QIODevice, QSize
from PySide6.QtPdf import QPdfDocument
from PySide6.QtPrintSupport import QPrintPreviewWidget
from pytestqt.qtbot import QtBot

from clinic_desktop.reports.clinical_letterhead import Letterhead, PatientIdentity
from clinic_desktop.reports.encounter_pdf import NoteView
from clinic_desktop.reports.history_pdf import HistoryDocument, render_history
from clinic_desktop.ui.widgets.print_preview import PdfPages, PdfPrintPreview, print_pdf_to_file

NOW = datetime(2026, 3, 5, 10, 30, tzinfo=ZoneInfo("Europe/Madrid"))


@pytest.fixture(scope="module")
def history_pdf() -> bytes:
    notes = tuple(
        NoteView(
            occurred_at=NOW - timedelta(days=day),
            author="Dra. Lucía Andrade",
            signed=True,
            signed_by="Dra. Lucía Andrade",
            signed_at=NOW,
            chief_complaint=f"Revisión {day}",
            objective="Exploración normal.",
            plan="Continuar.",
        )
        for day in range(40)
    )
    return render_history(
        HistoryDocument(
            letterhead=Letterhead(
                "Clínica Dental Muñoz", "Calle Mayor 1, Madrid", "B12345678", "NIF"
            ),
            patient=PatientIdentity("Inés Ibáñez", 7, "DNI", "12345678Z", date(1990, 1, 2)),
            generated_at=NOW,
            generated_by="Dra. Lucía Andrade",
            notes=notes,
        )
    )


def page_image(pdf: bytes, index: int) -> Image.Image:
    data = QByteArray(pdf)
    buffer = QBuffer(data)
    buffer.open(QIODevice.OpenModeFlag.ReadOnly)
    document = QPdfDocument()
    document.load(buffer)
    rendered = document.render(index, QSize(300, 424))
    out = QBuffer()
    out.open(QIODevice.OpenModeFlag.WriteOnly)
    rendered.save(out, "PNG")
    image = Image.open(io.BytesIO(bytes(out.data()))).convert("RGBA")
    # Transparent where nothing is drawn: compare both on white paper.
    paper = Image.new("RGBA", image.size, "white")
    paper.alpha_composite(image)
    return paper.convert("L")


def test_printing_sends_every_page_as_it_looks(qtbot: QtBot, history_pdf: bytes, tmp_path: Path):
    pages = len(PdfReader(io.BytesIO(history_pdf)).pages)
    assert pages > 2
    out = tmp_path / "printed.pdf"
    assert print_pdf_to_file(history_pdf, out) == pages
    printed = out.read_bytes()
    reader = PdfReader(io.BytesIO(printed))
    assert len(reader.pages) == pages
    for page in reader.pages:
        width, height = float(page.mediabox.width), float(page.mediabox.height)
        assert (round(width), round(height)) == (595, 842)  # A4 in points
    for index in (0, pages - 1):
        original, copy = page_image(history_pdf, index), page_image(printed, index)
        difference = ImageStat.Stat(ImageChops.difference(original, copy)).mean[0]
        assert difference < 4, (index, difference)
        # And the page is not blank: the letterhead and text are there.
        assert copy.getextrema()[0] < 100
    # A different page does differ, so the comparison above can fail.
    other = ImageStat.Stat(
        ImageChops.difference(page_image(history_pdf, 0), page_image(printed, 1))
    ).mean[0]
    assert other > 4


def test_the_preview_paints_every_page_from_memory(qtbot: QtBot, history_pdf: bytes):
    pages = len(PdfReader(io.BytesIO(history_pdf)).pages)
    dialog = PdfPrintPreview(history_pdf, "Historia clínica")
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitUntil(lambda: dialog.painted_pages == pages)
    preview = dialog.findChild(QPrintPreviewWidget)
    assert preview is not None
    qtbot.waitUntil(lambda: preview.pageCount() == pages)
    assert "Historia clínica" in dialog.windowTitle()
    assert dialog.printer_device.docName() == "Historia clínica"


def test_bytes_that_are_not_a_pdf_are_refused():
    with pytest.raises(ValueError):
        PdfPages(b"not a pdf")
