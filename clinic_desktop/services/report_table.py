"""The shape every tabular report shares (the inventory reports now, the billing ones of issue
6 later): a title, the period or date it covers, the filters applied, a "basis" text saying how
each figure is computed, typed columns, rows and totals rows. Cells keep their real values
(Decimal money and quantities, fractions for percentages, aware UTC datetimes), so the screen,
the PDF and the CSV each format them their own way from one report: `display_text` for people
(the UI language, the clinic's currency and zone) and `report_pdf` for paper. Rows have a role:
a group row carries the subtotal of the detail rows under it, so the CSV leaves group rows out
and a sum in a spreadsheet counts everything once."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime
from decimal import ROUND_HALF_UP, Decimal
from enum import StrEnum
from zoneinfo import ZoneInfo

from babel.dates import format_date, format_skeleton, format_time

from clinic_desktop.actor import Actor
from clinic_desktop.db.uow import UnitOfWork
from clinic_desktop.formatting import money, percent, quantity
from clinic_desktop.i18n import _, current_language
from clinic_desktop.reports.clinical_letterhead import Letterhead
from clinic_desktop.reports.inventory_report_pdf import (
    LineStyle,
    TableColumn,
    TableLine,
    TableReportDocument,
    render_table_report,
)
from clinic_desktop.services.clinical_print_views import actor_display_name, clinic_letterhead

CENT = Decimal("0.01")
# As many as a unit cost is stored with (models.types.UNIT_COST).
UNIT_COST_DIGITS = 4
NO_VALUE = "—"


class CellKind(StrEnum):
    TEXT = "text"
    QUANTITY = "quantity"  # a stock quantity in the product's unit (up to 3 places)
    MONEY = "money"  # the clinic's currency, 2 places
    UNIT_COST = "unit_cost"  # the clinic's currency, up to 4 places (a glove costs $0.085)
    PERCENT = "percent"  # a fraction: 0.125 is 12.5 %
    COUNT = "count"  # a whole number of things
    DATE = "date"
    DATETIME = "datetime"  # aware UTC; shown in the clinic's zone

    @property
    def numeric(self) -> bool:
        return self not in {CellKind.TEXT, CellKind.DATE, CellKind.DATETIME}


class RowRole(StrEnum):
    ITEM = "item"  # a plain row
    GROUP = "group"  # a group heading with the subtotals of the detail rows below it
    DETAIL = "detail"  # one part of the group above
    TOTAL = "total"  # a totals row


Cell = str | Decimal | int | date | datetime | None


@dataclass(frozen=True)
class ReportColumn:
    key: str
    header: str  # translated
    kind: CellKind = CellKind.TEXT
    # Relative width on paper: a product name needs more room than a quantity.
    weight: float = 1.0


@dataclass(frozen=True)
class ReportRow:
    cells: tuple[Cell, ...]
    role: RowRole = RowRole.ITEM


@dataclass(frozen=True)
class TabularReport:
    key: str  # which report: "valuation", "movements", ...
    title: str
    period: str  # "1 Nov 2026 – 30 Nov 2026", "At the end of 24 Nov 2026"
    filters: tuple[str, ...]  # "Category: Anaesthesia", one line each
    basis: str  # how the figures are computed, for the user to check them
    columns: tuple[ReportColumn, ...]
    rows: tuple[ReportRow, ...]
    totals: tuple[ReportRow, ...]
    currency: str  # ISO code of the clinic's money
    zone: str  # the clinic's time zone, for DATETIME cells
    generated_at: datetime  # aware UTC
    # The column whose text a detail row repeats from its group: shown only on the group row
    # (screen, PDF), always written in the CSV so each line stands on its own there.
    group_column: int | None = None
    empty_text: str = ""  # what to say when there are no rows

    def index(self, key: str) -> int:
        for position, column in enumerate(self.columns):
            if column.key == key:
                return position
        raise KeyError(key)

    def value(self, row: ReportRow, key: str) -> Cell:
        return row.cells[self.index(key)]

    def column_values(self, key: str, role: RowRole | None = None) -> list[Cell]:
        at = self.index(key)
        return [r.cells[at] for r in self.rows if role is None or r.role == role]

    @property
    def wide(self) -> bool:
        """Printed in landscape: more columns than a portrait page holds legibly."""
        return len(self.columns) > 7


def to_cents(value: Decimal) -> Decimal:
    """Money shown to people: half a cent rounds up, as on an invoice."""
    return value.quantize(CENT, rounding=ROUND_HALF_UP)


def fraction(part: Decimal, whole: Decimal) -> Decimal | None:
    """part / whole to 4 places (12.34 %), or None when there is no whole to compare with."""
    if whole == 0:
        return None
    return (part / whole).quantize(Decimal("0.0001"), rounding=ROUND_HALF_UP)


def display_text(report: TabularReport, row: ReportRow, column: int) -> str:
    """A cell as people read it: the UI language's numbers, the clinic's money and zone. A
    detail row leaves its group's name to the group row above it."""
    if row.role == RowRole.DETAIL and column == report.group_column:
        return ""
    kind = report.columns[column].kind
    value = row.cells[column]
    if value is None or value == "":
        # A dash says "no figure" (a percentage of nothing); group and totals rows simply
        # leave out the columns they do not add up.
        plain = kind == CellKind.TEXT or row.role in (RowRole.GROUP, RowRole.TOTAL)
        return "" if plain else NO_VALUE
    return format_value(value, kind, currency=report.currency, zone=report.zone)


def format_value(value: Cell, kind: CellKind, *, currency: str, zone: str) -> str:
    if value is None:
        return NO_VALUE
    if isinstance(value, str):
        return value
    if kind == CellKind.MONEY and isinstance(value, Decimal):
        return money(value, currency)
    if kind == CellKind.UNIT_COST and isinstance(value, Decimal):
        return unit_money(value, currency)
    if kind == CellKind.QUANTITY and isinstance(value, Decimal):
        return quantity(value)
    if kind == CellKind.PERCENT and isinstance(value, Decimal):
        return percent(value)
    if isinstance(value, datetime):
        return local_datetime(value, zone)
    if isinstance(value, date):
        return long_date(value)
    if isinstance(value, int | Decimal):
        return quantity(Decimal(value))
    return str(value)


def unit_money(amount: Decimal, currency: str) -> str:
    """A unit cost keeps the places that matter ($0.085 a glove) where `money` rounds to
    cents; with two places or fewer it reads exactly as `money`."""
    return money(amount, currency, places=UNIT_COST_DIGITS)


def long_date(day: date) -> str:
    """ "5 mar 2026" / "Mar 5, 2026": unambiguous in both languages."""
    return str(format_date(day, "medium", locale=current_language())).replace("\u202f", " ")


def local_datetime(moment: datetime, zone: str) -> str:
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    local = moment.astimezone(ZoneInfo(zone))
    language = current_language()
    day = format_skeleton("yMMMd", local, locale=language)
    clock = format_time(local, "HH:mm", locale=language)
    return f"{day} {clock}".replace("\u202f", " ")


def period_text(date_from: date, date_to: date) -> str:
    return _("{start} – {end}").format(start=long_date(date_from), end=long_date(date_to))


# -- paper --------------------------------------------------------------------------------


def report_pdf(uow: UnitOfWork, *, actor: Actor, report: TabularReport) -> bytes:
    """`report` on the clinic's letterhead, with its basis and totals and "Page X of Y". The
    report was already produced under its own permission; this only reads the letterhead."""
    with uow.transaction(actor) as session:
        letterhead = clinic_letterhead(session)
        printed_by = actor_display_name(session, actor)
    return render_table_report(pdf_document(report, letterhead=letterhead, printed_by=printed_by))


def pdf_document(
    report: TabularReport, *, letterhead: Letterhead, printed_by: str
) -> TableReportDocument:
    """The PDF's input: every cell already written as on screen."""
    styles = {
        RowRole.ITEM: LineStyle.ITEM,
        RowRole.GROUP: LineStyle.GROUP,
        RowRole.DETAIL: LineStyle.DETAIL,
        RowRole.TOTAL: LineStyle.TOTAL,
    }

    def line(row: ReportRow) -> TableLine:
        cells = tuple(display_text(report, row, i) for i in range(len(report.columns)))
        return TableLine(cells=cells, style=styles[row.role])

    generated = report.generated_at.astimezone(ZoneInfo(report.zone))
    return TableReportDocument(
        letterhead=letterhead,
        title=report.title,
        period=report.period,
        filters=report.filters,
        basis=report.basis,
        columns=tuple(
            TableColumn(header=c.header, align_right=c.kind.numeric, weight=c.weight)
            for c in report.columns
        ),
        lines=tuple(line(r) for r in report.rows),
        totals=tuple(line(r) for r in report.totals),
        printed=_("Printed on {date}").format(date=local_datetime(generated, report.zone)),
        printed_by=_("by {name}").format(name=printed_by),
        empty_text=report.empty_text or _("Nothing to report for these choices."),
        landscape=report.wide,
    )
