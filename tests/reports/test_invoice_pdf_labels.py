"""The printed invoice's long tax-rate labels and its practitioner, checked by the PDF's
extracted text and where each piece of text sits on the page: a long label in the tax
breakdown ("Exento, asistencia sanitaria (art. 20.Uno.3º LIVA)") wraps inside its column,
whole, instead of running under the figures beside it; the practitioner is printed in the
header block of every page when the invoice names one, and nowhere when it does not."""

from __future__ import annotations

import io
from dataclasses import dataclass
from decimal import Decimal

import pytest
from pypdf import PdfReader
from reportlab.pdfbase import pdfmetrics
from support.billing_pdf_data import ec_invoice, es_invoice, use_language

from clinic_desktop.reports.billing_docs import TaxBreakdownRow
from clinic_desktop.reports.invoice_pdf import render_invoice
from clinic_desktop.reports.pdf_style import PAGE_SIZE, SANS, register_fonts

LONG_ES = "Exento, asistencia sanitaria (art. 20.Uno.3º LIVA)"
LONG_EC = "IVA 15 % (no objeto de impuesto)"


@dataclass(frozen=True)
class Run:
    """One piece of text as drawn: its left edge, baseline and size, in points."""

    text: str
    x: float
    y: float
    size: float

    @property
    def right(self) -> float:
        return self.x + pdfmetrics.stringWidth(self.text, SANS, self.size)


def runs_of(pdf: bytes) -> list[list[Run]]:
    register_fonts()
    pages: list[list[Run]] = []
    for page in PdfReader(io.BytesIO(pdf)).pages:
        found: list[Run] = []

        def visit(text, cm, tm, _font, size, found=found) -> None:
            if text.strip():
                x = tm[4] * cm[0] + tm[5] * cm[2] + cm[4]
                y = tm[4] * cm[1] + tm[5] * cm[3] + cm[5]
                found.append(Run(text.strip(), x, y, size * cm[3]))

        page.extract_text(visitor_text=visit)
        pages.append(found)
    return pages


def one(runs: list[Run], text: str) -> Run:
    [run] = [r for r in runs if r.text == text]
    return run


def breakdown_label(runs: list[Run], heading: str, figure: str) -> tuple[list[Run], Run]:
    """The lines of the first breakdown row's label, and the row's base figure: the runs at
    the left edge of the breakdown between its header row and the next row."""
    # The lines table's header may have a column of the same name: the breakdown's is lower.
    head = min((r for r in runs if r.text == heading), key=lambda r: r.y)
    base = next(r for r in runs if r.text == figure and r.y < head.y and r.x < PAGE_SIZE[0] / 2)
    column = sorted(
        (r for r in runs if abs(r.x - head.x) < 0.5 and r.y <= base.y + 0.5), key=lambda r: -r.y
    )
    # A wrapped label's lines are one leading apart; the next row starts further down.
    label = column[:1]
    for run in column[1:]:
        if label[-1].y - run.y > 12:
            break
        label.append(run)
    return label, base


@pytest.mark.parametrize("language", ["es", "en"])
def test_a_long_spanish_rate_label_wraps_whole_inside_its_column(monkeypatch, language):
    use_language(monkeypatch, language)
    doc = es_invoice(
        taxes=(
            TaxBreakdownRow(LONG_ES, Decimal("1300.00"), Decimal("0.00")),
            TaxBreakdownRow("IVA 21 %", Decimal("10.00"), Decimal("2.10")),
        )
    )
    [page] = runs_of(render_invoice(doc))
    heading = "Impuesto" if language == "es" else "Tax rate"
    figure = "1.300,00 €" if language == "es" else "€1,300.00"
    label, base = breakdown_label(page, heading, figure)
    # Several lines, which read together give the whole label.
    assert len(label) >= 2
    assert " ".join(r.text for r in label) == LONG_ES
    # Every line ends before the base figure beside it, and the next row starts under the
    # wrapped label rather than over it.
    assert all(r.right < base.x for r in label)
    next_row = one(page, "IVA 21 %")
    assert next_row.y < label[-1].y - 5
    # The whole breakdown, header to last row, stays clear of the totals on its right.
    subtotal = one(page, "Subtotal")
    breakdown = [r for r in page if next_row.y - 1 < r.y < base.y + 20 and r.x < subtotal.x]
    assert len(breakdown) >= 9
    assert all(r.right < subtotal.x for r in breakdown)


def test_a_long_ecuadorian_label_wraps_and_a_short_one_stays_on_one_line(monkeypatch):
    use_language(monkeypatch, "es")
    doc = ec_invoice(
        taxes=(
            TaxBreakdownRow(LONG_EC, Decimal("140.00"), Decimal("0.00")),
            TaxBreakdownRow("IVA 15 %", Decimal("183.75"), Decimal("27.56")),
        )
    )
    [page] = runs_of(render_invoice(doc))
    label, base = breakdown_label(page, "Impuesto", "$140,00")
    assert " ".join(r.text for r in label) == LONG_EC
    assert all(r.right < base.x for r in label)
    # "IVA 15 %" in the breakdown (the lines table has its own, further right): one line.
    short = [r for r in page if r.text == "IVA 15 %" and abs(r.x - label[0].x) < 0.5]
    assert len(short) == 1
    assert all(r.right <= PAGE_SIZE[0] for r in page)


@pytest.mark.parametrize(
    ("language", "caption"), [("en", "Practitioner: Dr. Andrés Paredes"), ("es", None)]
)
def test_the_practitioner_is_printed_in_the_header_of_every_page(monkeypatch, language, caption):
    use_language(monkeypatch, language)
    many = tuple(ec_invoice().lines[i % 4] for i in range(45))
    pages = runs_of(render_invoice(ec_invoice(lines=many, practitioner="Dr. Andrés Paredes")))
    assert len(pages) >= 2
    customer = one(pages[0], "CUSTOMER" if language == "en" else "CLIENTE")
    for page in pages:
        [run] = [r for r in page if r.text.endswith("Dr. Andrés Paredes")]
        if caption is not None:
            assert run.text == caption
        # Small, at the top right with the issue date, above where the content starts.
        assert run.size < 9 and run.x > PAGE_SIZE[0] / 2 and run.y > customer.y
        assert run.right <= PAGE_SIZE[0] - 18 * 72 / 25.4 + 0.5


@pytest.mark.parametrize("language", ["es", "en"])
def test_no_practitioner_line_when_the_invoice_names_none(monkeypatch, language):
    use_language(monkeypatch, language)
    text = " ".join(r.text for r in runs_of(render_invoice(ec_invoice()))[0])
    assert "Practitioner" not in text and "Profesional" not in text
    named = " ".join(r.text for r in runs_of(render_invoice(ec_invoice(practitioner="X Y")))[0])
    assert "X Y" in named
