"""The tabular report on paper, read back from its extracted text: the letterhead, title,
period, filters and basis, every row once, the totals at the end, "Page X of Y" on every page
of a long report (in Spanish too), the header row repeated on each page, landscape for wide
reports, and the service path that takes a report DTO to a PDF on the clinic's letterhead."""

from __future__ import annotations

import io
import re
from datetime import UTC, datetime
from decimal import Decimal

from pypdf import PdfReader

from clinic_desktop.actor import Actor
from clinic_desktop.i18n import set_language
from clinic_desktop.reports.clinical_letterhead import Letterhead
from clinic_desktop.reports.inventory_report_pdf import (
    LineStyle,
    TableColumn,
    TableLine,
    TableReportDocument,
    render_table_report,
)
from clinic_desktop.services.report_table import (
    CellKind,
    ReportColumn,
    ReportRow,
    RowRole,
    TabularReport,
    report_pdf,
)

HEAD = Letterhead(
    clinic_name="Clínica Santa Ana",
    address="Av. Amazonas 100, Quito",
    tax_id="1710034065001",
    tax_id_label="RUC",
)


TOTAL = ("Total (9 productos)", "", "", "", "$12.345,67")


def _document(lines: int, *, columns: int = 5, landscape: bool = False) -> TableReportDocument:
    headers = ["Código", "Producto", "Categoría", "Existencias", "Valor", "Extra 1", "Extra 2"]
    cols = tuple(
        TableColumn(headers[i] if i < len(headers) else f"Col {i}", align_right=i >= 3)
        for i in range(columns)
    )
    body = tuple(
        TableLine(
            tuple(
                [
                    f"P-{n:04d}",
                    f"Producto número {n} — jeringa estéril",
                    "Insumos",
                    str(n),
                    f"${n},00",
                ]
                + [f"x{n}"] * (columns - 5)
            ),
            LineStyle.DETAIL if n % 5 else LineStyle.GROUP,
        )
        for n in range(1, lines + 1)
    )
    return TableReportDocument(
        letterhead=HEAD,
        title="Valoración de existencias",
        period="Existencias al cierre del 24 nov 2026",
        filters=("Categoría: Insumos",),
        basis="Valor = cantidad en cada lote × coste unitario del lote, redondeado al céntimo.",
        columns=cols,
        lines=body,
        totals=(TableLine(TOTAL + ("",) * (columns - 5), LineStyle.TOTAL),),
        printed="Impreso el 24 nov 2026 10:30",
        printed_by="por Ana Torres",
        empty_text="No hay existencias.",
        landscape=landscape,
    )  # fmt: skip


def _pages(pdf: bytes) -> list[str]:
    return [page.extract_text() or "" for page in PdfReader(io.BytesIO(pdf)).pages]


def test_long_report_numbers_every_page_and_repeats_the_header():
    pages = _pages(render_table_report(_document(220)))
    assert len(pages) >= 3
    for number, text in enumerate(pages, start=1):
        assert f"Page {number} of {len(pages)}" in text
        assert "Clínica Santa Ana" in text and "RUC 1710034065001" in text
        assert "Existencias" in text and "Valor" in text  # the repeated header row
    first = pages[0]
    assert "Valoración de existencias" in first
    assert "Existencias al cierre del 24 nov 2026" in first
    assert "Categoría: Insumos" in first
    assert "How these figures are computed" in first
    assert "coste unitario del lote, redondeado al céntimo" in first
    whole = "\n".join(pages)
    assert all(f"P-{n:04d}" in whole for n in range(1, 221))
    assert whole.count("P-0220") == 1
    # The totals close the table, on the last page.
    assert "Total (9 productos)" in pages[-1] and "$12.345,67" in pages[-1]
    assert "Total (9 productos)" not in "\n".join(pages[:-1])


def test_page_numbers_in_spanish():
    set_language("es")
    pages = _pages(render_table_report(_document(120)))
    assert len(pages) >= 2
    for number, text in enumerate(pages, start=1):
        assert f"Página {number} de {len(pages)}" in text


def test_wide_reports_are_landscape_and_empty_ones_say_so():
    reader = PdfReader(io.BytesIO(render_table_report(_document(10, columns=7, landscape=True))))
    box = reader.pages[0].mediabox
    assert float(box.width) > float(box.height)
    portrait = PdfReader(io.BytesIO(render_table_report(_document(0))))
    box = portrait.pages[0].mediabox
    assert float(box.width) < float(box.height)
    text = portrait.pages[0].extract_text() or ""
    assert "No hay existencias." in text and "Page 1 of 1" in text


def test_service_prints_a_report_on_the_clinic_letterhead(demo):
    columns = tuple(
        ReportColumn(f"c{i}", f"Column {i}", CellKind.MONEY if i == 8 else CellKind.TEXT)
        for i in range(9)
    )
    rows = tuple(
        ReportRow(tuple([f"row {n}"] + [""] * 7 + [Decimal(n)]))
        for n in range(1, 40)
    )  # fmt: skip
    report = TabularReport(
        key="test",
        title="Stock movements",
        period="Mar 1, 2026 – Mar 31, 2026",
        filters=(),
        basis="Every movement of the period.",
        columns=columns,
        rows=rows,
        totals=(ReportRow(tuple(["Net change"] + [""] * 7 + [Decimal(780)]), RowRole.TOTAL),),
        currency="USD",
        zone="America/Guayaquil",
        generated_at=datetime(2026, 3, 31, 15, 0, tzinfo=UTC),
    )
    pdf = report_pdf(demo.db.uow(), actor=Actor.system("tests"), report=report)
    pages = _pages(pdf)
    reader = PdfReader(io.BytesIO(pdf))
    assert float(reader.pages[0].mediabox.width) > float(reader.pages[0].mediabox.height)
    whole = "\n".join(pages)
    assert "Every movement of the period." in whole
    assert "$780.00" in pages[-1] and "Net change" in pages[-1]
    # Printed in the clinic's zone: 15:00 UTC is 10:00 in Guayaquil.
    assert re.search(r"Printed on Mar 31, 2026 10:00", pages[0])
    assert "by tests" in pages[0]
    assert re.search(r"Page 1 of \d", pages[0])
