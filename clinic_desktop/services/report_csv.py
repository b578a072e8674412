"""Any TabularReport as a CSV file that a spreadsheet opens correctly on the first try: UTF-8
with a byte-order mark (without it Excel reads "Ñ" as two odd letters), and in Spanish the
";" separator and the decimal comma that Excel expects on Spanish-language systems ("," and
"." in English). Numbers are written bare, without currency signs or thousands separators, so
they stay numbers in the spreadsheet; percentages as 12,5 under a header ending in "%"; dates
as ISO (2026-11-24), which every spreadsheet recognises; times in the clinic's zone.

The file is the report's table: the header row, every item and detail row (group rows are
left out, since they only repeat the sum of the detail rows below them and would count twice
in a spreadsheet sum), an empty line, then the totals rows. Text that a spreadsheet would run
as a formula (starting with =, +, - or @) is written with a leading apostrophe."""

from __future__ import annotations

import csv
import io
from datetime import UTC, date, datetime
from decimal import Decimal
from zoneinfo import ZoneInfo

from clinic_desktop.i18n import current_language
from clinic_desktop.services.report_table import Cell, CellKind, ReportRow, RowRole, TabularReport

BOM = "\ufeff"
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def csv_dialect(language: str) -> tuple[str, str]:
    """(field separator, decimal mark) for `language`."""
    return (";", ",") if language == "es" else (",", ".")


def to_csv(report: TabularReport, *, language: str | None = None) -> bytes:
    """The CSV bytes of `report`, in the conventions of `language` (the UI's by default)."""
    separator, decimal_mark = csv_dialect(language or current_language())
    buffer = io.StringIO(newline="")
    writer = csv.writer(buffer, delimiter=separator, lineterminator="\r\n")
    writer.writerow([_header(column.header, column.kind) for column in report.columns])
    zone = ZoneInfo(report.zone)
    for row in report.rows:
        if row.role != RowRole.GROUP:
            writer.writerow(_cells(report, row, decimal_mark, zone))
    if report.totals:
        writer.writerow([])
        for row in report.totals:
            writer.writerow(_cells(report, row, decimal_mark, zone))
    return (BOM + buffer.getvalue()).encode("utf-8")


def _header(text: str, kind: CellKind) -> str:
    if kind == CellKind.PERCENT and "%" not in text:
        return f"{text} (%)"
    return text


def _cells(report: TabularReport, row: ReportRow, decimal_mark: str, zone: ZoneInfo) -> list[str]:
    return [
        csv_value(value, column.kind, decimal_mark=decimal_mark, zone=zone)
        for value, column in zip(row.cells, report.columns, strict=True)
    ]


def csv_value(value: Cell, kind: CellKind, *, decimal_mark: str, zone: ZoneInfo) -> str:
    if value is None:
        return ""
    if isinstance(value, str):
        return "'" + value if value.startswith(FORMULA_STARTS) else value
    if isinstance(value, datetime):
        moment = value if value.tzinfo else value.replace(tzinfo=UTC)
        return moment.astimezone(zone).strftime("%Y-%m-%d %H:%M")
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, int):
        return str(value)
    if kind == CellKind.MONEY:
        text = f"{value.quantize(Decimal('0.01')):f}"
    elif kind == CellKind.PERCENT:
        text = _trimmed(value * 100, places=2, keep=0)
    elif kind == CellKind.UNIT_COST:
        text = _trimmed(value, places=4, keep=2)
    else:
        text = _trimmed(value, places=3, keep=0)
    return text.replace(".", decimal_mark)


def _trimmed(value: Decimal, *, places: int, keep: int) -> str:
    """`value` with at most `places` decimals, trailing zeros dropped down to `keep`."""
    text = f"{value.quantize(Decimal(1).scaleb(-places)):f}"
    whole, _dot, decimals = text.partition(".")
    decimals = decimals.rstrip("0")
    decimals = decimals + "0" * (keep - len(decimals)) if len(decimals) < keep else decimals
    text = f"{whole}.{decimals}" if decimals else whole
    return "0" if text == "-0" else text
