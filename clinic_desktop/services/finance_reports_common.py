"""What the financial reports share: who may run them (reports.finance), the two bases a money
figure can be computed on and the sentence each report prints to say which, the SQL pieces
that read invoices, payments and expenses (issued documents only, credit notes subtracting,
sums over the stored integer cents so ten years add up exactly and fast), the transaction a
report reads in, the day / month / year buckets of a period, the labels of payment methods,
and the assembly of a TabularReport with its currency note (report_common.build_report; shown
on screen, printed with report_table.report_pdf, saved with report_csv.to_csv).

Two bases, because the two questions have different answers and money reports that mix them
are the ones nobody can reconcile: "issued invoices" counts what was invoiced, by issue date,
net of tax, credit notes subtracting; "payments received" counts the money that came in, by
payment day, tax included, refunds subtracting."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from datetime import date, timedelta
from decimal import Decimal
from enum import StrEnum
from typing import Any

from babel.dates import format_skeleton
from sqlalchemy import ColumnElement, String, case, func, type_coerce
from sqlalchemy.orm import QueryableAttribute, Session

from clinic_desktop.actor import Actor
from clinic_desktop.db.uow import UnitOfWork
from clinic_desktop.errors import ValidationError
from clinic_desktop.i18n import N_, _, current_language
from clinic_desktop.models.billing import Invoice, InvoiceKind, InvoiceStatus, PaymentMethod
from clinic_desktop.models.permissions import Permission
from clinic_desktop.services.access import require
from clinic_desktop.services.report_common import Frame, build_report, frame_of
from clinic_desktop.services.report_table import (
    Cell,
    ReportColumn,
    ReportRow,
    TabularReport,
)

ZERO = Decimal("0.00")
# A day-by-day report longer than this is a spreadsheet nobody reads: months are offered.
MAX_DAYS = 731


class Basis(StrEnum):
    INVOICES = "invoices"  # issued invoices, by issue date, net of tax
    PAYMENTS = "payments"  # payments received, by payment day, as paid


class Granularity(StrEnum):
    DAY = "day"
    MONTH = "month"
    YEAR = "year"


class FinanceReportKey(StrEnum):
    INCOME_EXPENSES = "income_expenses"
    BY_PRACTITIONER = "income_by_practitioner"
    BY_TREATMENT = "income_by_treatment"
    BY_METHOD = "income_by_method"
    TAX_SUMMARY = "tax_summary"
    RECEIVABLES = "receivables"
    CASH_CLOSES = "cash_closes"


METHOD_LABELS: dict[str, str] = {
    PaymentMethod.CASH: N_("Cash"),
    PaymentMethod.DEBIT_CARD: N_("Debit card"),
    PaymentMethod.CREDIT_CARD: N_("Credit card"),
    PaymentMethod.TRANSFER: N_("Transfer"),
    PaymentMethod.OTHER: N_("Other"),
}


def method_label(method: str) -> str:
    return _(METHOD_LABELS[method]) if method in METHOD_LABELS else method


def require_finance(session: Session, actor: Actor) -> None:
    require(session, actor, Permission.REPORTS_FINANCE)


@contextmanager
def finance_reading(uow: UnitOfWork, actor: Actor) -> Iterator[tuple[Session, Frame]]:
    """The transaction a financial report reads in: reports.finance checked first, then the
    clinic's zone, money and today read once for the whole report."""
    with uow.transaction(actor) as session:
        require_finance(session, actor)
        yield session, frame_of(session)


# -- the bases in words ---------------------------------------------------------------------


def invoices_basis() -> str:
    return _(
        "Basis: issued invoices. Income = the invoices issued in the period, by issue date, "
        "net of tax (total − tax, after discounts), less the credit notes issued in the "
        "period; drafts do not count, and whether an invoice has been paid does not matter."
    )


def payments_basis() -> str:
    return _(
        "Basis: payments received. Income = the money received in the period, by payment "
        "day, as paid (tax included), less the refunds paid back; which invoices a payment "
        "settles does not matter, and money left on account counts when it is received."
    )


def basis_name(basis: Basis) -> str:
    return _("issued invoices") if basis == Basis.INVOICES else _("payments received")


def basis_text(basis: Basis) -> str:
    return invoices_basis() if basis == Basis.INVOICES else payments_basis()


def currency_note(frame: Frame) -> str:
    return _("Amounts in {currency}, the clinic's currency.").format(currency=frame.currency)


# -- SQL pieces -----------------------------------------------------------------------------


def issued_invoices(frame: Frame) -> list[ColumnElement[bool]]:
    """Invoices and credit notes that count: issued (any status but draft), not deleted, in
    the clinic's currency (a clinic keeps one; amounts of two currencies are never added)."""
    return [
        Invoice.status != InvoiceStatus.DRAFT.value,
        Invoice.issue_date.is_not(None),
        Invoice.deleted_at.is_(None),
        Invoice.currency == frame.currency,
    ]


def in_period(
    column: QueryableAttribute[Any], date_from: date, date_to: date
) -> list[ColumnElement[bool]]:
    return [column >= date_from, column <= date_to]


def sign() -> ColumnElement[int]:
    """+1 for an invoice, −1 for a credit note: credit notes are stored with positive amounts."""
    return case((Invoice.kind == InvoiceKind.CREDIT_NOTE.value, -1), else_=1)


def split_sums(
    is_back: ColumnElement[bool], value: ColumnElement[int] | int
) -> tuple[ColumnElement[int], ColumnElement[int]]:
    """SUM(value) over the rows that are not `is_back` and over those that are, in one pass:
    invoices beside credit notes, payments beside refunds (value 1 counts them)."""
    return (
        func.sum(case((is_back, 0), else_=value)),
        func.sum(case((is_back, value), else_=0)),
    )


def bucket(column: QueryableAttribute[Any], granularity: Granularity) -> ColumnElement[str]:
    """The day, month or year of a Date column as stored text ("2026-03-05", "2026-03",
    "2026"): grouping on a prefix of the ISO date keeps the date's index useful."""
    length = {Granularity.DAY: 10, Granularity.MONTH: 7, Granularity.YEAR: 4}[granularity]
    return func.substr(type_coerce(column, String), 1, length)


def bucket_keys(date_from: date, date_to: date, granularity: Granularity) -> list[str]:
    """Every bucket the period touches, in order, as `bucket` writes them."""
    keys: list[str] = []
    if granularity == Granularity.DAY:
        day = date_from
        while day <= date_to:
            keys.append(day.isoformat())
            day += timedelta(days=1)
    elif granularity == Granularity.MONTH:
        year, month = date_from.year, date_from.month
        while (year, month) <= (date_to.year, date_to.month):
            keys.append(f"{year:04d}-{month:02d}")
            year, month = (year + 1, 1) if month == 12 else (year, month + 1)
    else:
        keys = [f"{year:04d}" for year in range(date_from.year, date_to.year + 1)]
    return keys


def bucket_cell(key: str, granularity: Granularity) -> Cell:
    """What a bucket's first cell holds: a date for a day, "Mar 2026" for a month."""
    if granularity == Granularity.DAY:
        return date.fromisoformat(key)
    if granularity == Granularity.MONTH:
        return month_label(date.fromisoformat(key + "-01"))
    return key


def month_label(first: date) -> str:
    """ "Mar 2026" / "mar 2026"."""
    text = str(format_skeleton("yMMM", first, locale=current_language()))
    return text.replace("\u202f", " ").replace(".", "")


def check_granularity(granularity: str, date_from: date, date_to: date) -> Granularity:
    try:
        chosen = Granularity(granularity)
    except ValueError:
        raise ValidationError(
            _("Group by: choose day, month or year."), field="granularity"
        ) from None
    if chosen == Granularity.DAY and (date_to - date_from).days >= MAX_DAYS:
        raise ValidationError(
            _(
                "Group by: a period of more than {days} days cannot be shown day by day. "
                "Choose months or a shorter period."
            ).format(days=MAX_DAYS),
            field="granularity",
        )
    return chosen


def check_basis(basis: str) -> Basis:
    try:
        return Basis(basis)
    except ValueError:
        raise ValidationError(
            _("Basis: choose issued invoices or payments received."), field="basis"
        ) from None


# -- the report -----------------------------------------------------------------------------


def finance_report(
    frame: Frame,
    key: FinanceReportKey,
    *,
    title: str,
    period: str,
    basis: str,
    columns: Sequence[ReportColumn],
    rows: Sequence[ReportRow],
    totals: Sequence[ReportRow],
    filters: Sequence[str] = (),
    group_column: int | None = None,
    empty_text: str = "",
) -> TabularReport:
    """A financial report: report_common.build_report, its basis followed by the currency
    note (every figure is in the clinic's one currency)."""
    return build_report(
        frame,
        key,
        title=title,
        period=period,
        basis=f"{basis} {currency_note(frame)}",
        columns=columns,
        rows=rows,
        totals=totals,
        filters=filters,
        group_column=group_column,
        empty_text=empty_text,
    )
