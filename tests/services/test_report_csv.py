"""A report as CSV, read back with the csv module in both languages: the byte-order mark, ";"
and the decimal comma in Spanish, "," and "." in English, bare numbers a spreadsheet keeps
as numbers, percentages under a "%" header, ISO dates, times in the clinic's zone, group rows
left out (they would count twice in a sum), totals after an empty line, accents intact, and
text that a spreadsheet would run as a formula defused."""

from __future__ import annotations

import csv
import io
from datetime import UTC, date, datetime
from decimal import Decimal

import pytest

from clinic_desktop.i18n import set_language
from clinic_desktop.services.report_csv import to_csv
from clinic_desktop.services.report_table import (
    CellKind,
    ReportColumn,
    ReportRow,
    RowRole,
    TabularReport,
)

D = Decimal


def _report() -> TabularReport:
    columns = (
        ReportColumn("group", "Tratamiento"),
        ReportColumn("product", "Producto"),
        ReportColumn("when", "Fecha", CellKind.DATETIME),
        ReportColumn("day", "Día", CellKind.DATE),
        ReportColumn("uses", "Usos", CellKind.COUNT),
        ReportColumn("qty", "Cantidad", CellKind.QUANTITY),
        ReportColumn("unit_cost", "Coste unitario", CellKind.UNIT_COST),
        ReportColumn("cost", "Coste", CellKind.MONEY),
        ReportColumn("share", "Peso", CellKind.PERCENT),
    )
    # 15:30 UTC is 10:30 in Guayaquil.
    moment = datetime(2026, 3, 5, 15, 30, tzinfo=UTC)
    rows = (
        ReportRow(
            ("Extracción", "", None, None, None, None, None, D("1234.56"), D("0.9")),
            RowRole.GROUP,
        ),
        ReportRow(
            ("Extracción", "Lidocaína; 2 %", moment, date(2026, 3, 5), 2, D("1.500"),
             D("0.0850"), D("1234.50"), D("0.125")),
            RowRole.DETAIL,
        ),
        ReportRow(
            ("Extracción", "=HYPERLINK(\"x\")", moment, date(2026, 3, 6), 1, D("-2.000"),
             D("1.2500"), D("-0.06"), None),
            RowRole.DETAIL,
        ),
    )  # fmt: skip
    totals = (
        ReportRow(("Total", "", None, None, 3, None, None, D("1234.44"), D(1)), RowRole.TOTAL),
    )
    return TabularReport(
        key="test",
        title="Consumo",
        period="marzo",
        filters=(),
        basis="",
        columns=columns,
        rows=rows,
        totals=totals,
        currency="USD",
        zone="America/Guayaquil",
        generated_at=moment,
        group_column=0,
    )


def _read(data: bytes, separator: str) -> list[list[str]]:
    assert data.startswith(b"\xef\xbb\xbf")  # the BOM that makes Excel read UTF-8
    text = data[3:].decode("utf-8")
    return list(csv.reader(io.StringIO(text, newline=""), delimiter=separator))


def test_spanish_uses_semicolons_and_decimal_commas():
    set_language("es")
    lines = _read(to_csv(_report()), ";")
    assert lines[0] == [
        "Tratamiento", "Producto", "Fecha", "Día", "Usos", "Cantidad", "Coste unitario",
        "Coste", "Peso (%)",
    ]  # fmt: skip
    # The group row is left out: the two detail rows follow the header directly.
    assert lines[1] == [
        "Extracción", "Lidocaína; 2 %", "2026-03-05 10:30", "2026-03-05", "2", "1,5",
        "0,085", "1234,50", "12,5",
    ]  # fmt: skip
    assert lines[2][1] == '\'=HYPERLINK("x")'
    assert lines[2][5:9] == ["-2", "1,25", "-0,06", ""]
    assert lines[3] == []
    assert lines[4] == ["Total", "", "", "", "3", "", "", "1234,44", "100"]
    assert len(lines) == 5


def test_english_uses_commas_and_decimal_points():
    lines = _read(to_csv(_report(), language="en"), ",")
    assert lines[1][5:9] == ["1.5", "0.085", "1234.50", "12.5"]
    assert lines[1][1] == "Lidocaína; 2 %"
    assert lines[4][7] == "1234.44"
    # No thousands separators: a spreadsheet must see one number, not two fields.
    assert all("1,234" not in cell for line in lines for cell in line)


@pytest.mark.parametrize("language, separator", [("es", ";"), ("en", ",")])
def test_numbers_read_back_exactly(language, separator):
    lines = _read(to_csv(_report(), language=language), separator)
    point = "," if language == "es" else "."
    costs = [D(line[7].replace(point, ".")) for line in lines[1:3]]
    assert costs == [D("1234.50"), D("-0.06")]
    assert D(lines[4][7].replace(point, ".")) == sum(costs)
