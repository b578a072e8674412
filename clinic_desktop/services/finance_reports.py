"""The financial reports of income by period and by payment method: income, expenses and
profit per day, month or year on either basis (issued invoices or payments received), and the
money received per payment method (payments received). Income by practitioner and by
treatment live in finance_reports_breakdown; the tax summary, receivables and cash closes in
finance_reports_ledger; the shared pieces, and what each basis means, in
finance_reports_common. Each report is a few GROUP BY queries over the stored integer cents
(never rows loaded into Python), returned as a TabularReport that the screen shows and that
report_table.report_pdf prints and report_csv.to_csv writes for the accountant. The figures
reconcile: by practitioner, by treatment and the income report on the invoice basis give the
same total; by method and the income report on the payments basis give the same total."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from clinic_desktop.actor import Actor
from clinic_desktop.db.uow import UnitOfWork
from clinic_desktop.i18n import _
from clinic_desktop.models.billing import (
    Invoice,
    InvoiceKind,
    Payment,
    PaymentMethod,
)
from clinic_desktop.models.expense import Expense
from clinic_desktop.models.types import MONEY
from clinic_desktop.services.clinic_days import check_period
from clinic_desktop.services.finance_reports_common import (
    ZERO,
    Basis,
    FinanceReportKey,
    Granularity,
    basis_name,
    basis_text,
    bucket,
    bucket_cell,
    bucket_keys,
    check_basis,
    check_granularity,
    finance_reading,
    finance_report,
    in_period,
    issued_invoices,
    method_label,
    payments_basis,
    split_sums,
)
from clinic_desktop.services.report_common import Frame
from clinic_desktop.services.report_table import (
    Cell,
    CellKind,
    ReportColumn,
    ReportRow,
    RowRole,
    TabularReport,
    fraction,
    period_text,
)
from clinic_desktop.services.stock_ledger import raw

# -- income, expenses and profit --------------------------------------------------------------


def income_by_bucket(
    session: Session,
    frame: Frame,
    basis: Basis,
    granularity: Granularity,
    date_from: date,
    date_to: date,
) -> dict[str, tuple[Decimal, Decimal]]:
    """{bucket: (money in, money taken back)} on `basis`: invoiced and credited net of tax, or
    received and refunded; the second is negative, so income = the two added."""
    if basis == Basis.INVOICES:
        key = bucket(Invoice.issue_date, granularity)
        amount = raw(Invoice.total) - raw(Invoice.tax_total)
        is_back = Invoice.kind == InvoiceKind.CREDIT_NOTE.value
        query = (
            select(key, *split_sums(is_back, amount))
            .where(*issued_invoices(frame), *in_period(Invoice.issue_date, date_from, date_to))
            .group_by(key)
        )
    else:
        key = bucket(Payment.day, granularity)
        query = (
            select(key, *split_sums(Payment.is_refund.is_(True), raw(Payment.amount)))
            .where(Payment.deleted_at.is_(None), *in_period(Payment.day, date_from, date_to))
            .group_by(key)
        )
    return {
        name: (MONEY.from_raw(gross), -MONEY.from_raw(back))
        for name, gross, back in session.execute(query)
    }


def expenses_by_bucket(
    session: Session,
    basis: Basis,
    granularity: Granularity,
    date_from: date,
    date_to: date,
) -> dict[str, Decimal]:
    """{bucket: expenses}: net of tax beside income net of tax (invoice basis), with their
    tax beside the money received (payments basis)."""
    key = bucket(Expense.expense_date, granularity)
    amount = Expense.net if basis == Basis.INVOICES else Expense.total
    query = (
        select(key, func.sum(raw(amount)))
        .where(Expense.deleted_at.is_(None), *in_period(Expense.expense_date, date_from, date_to))
        .group_by(key)
    )
    return {name: MONEY.from_raw(total) for name, total in session.execute(query)}


def report_income_expenses(
    uow: UnitOfWork,
    *,
    actor: Actor,
    date_from: date,
    date_to: date,
    granularity: str = Granularity.MONTH,
    basis: str = Basis.INVOICES,
) -> TabularReport:
    """Income, expenses and profit of each day, month or year of the period (every one of
    them, empty ones included, so a chart of it has no holes)."""
    check_period(date_from, date_to)
    grain = check_granularity(granularity, date_from, date_to)
    chosen = check_basis(basis)
    with finance_reading(uow, actor) as (session, frame):
        income = income_by_bucket(session, frame, chosen, grain, date_from, date_to)
        expenses = expenses_by_bucket(session, chosen, grain, date_from, date_to)
    rows: list[ReportRow] = []
    sums = [ZERO, ZERO, ZERO]
    for key in bucket_keys(date_from, date_to, grain):
        gross, back = income.get(key, (ZERO, ZERO))
        spent = expenses.get(key, ZERO)
        net = gross + back
        rows.append(ReportRow((bucket_cell(key, grain), gross, back, net, spent, net - spent)))
        sums = [sums[0] + gross, sums[1] + back, sums[2] + spent]
    net_total = sums[0] + sums[1]
    totals = [
        ReportRow(
            (_("Total"), sums[0], sums[1], net_total, sums[2], net_total - sums[2]),
            RowRole.TOTAL,
        )
    ]
    first = {
        Granularity.DAY: ReportColumn("period", _("Day"), CellKind.DATE, weight=1.3),
        Granularity.MONTH: ReportColumn("period", _("Month"), weight=1.3),
        Granularity.YEAR: ReportColumn("period", _("Year"), weight=1.3),
    }[grain]
    if chosen == Basis.INVOICES:
        gross_header, back_header = _("Invoiced"), _("Credit notes")
        expenses_rule = _(
            "Expenses = the expenses dated in the period, net of tax (as income is). "
            "Credit notes are shown negative."
        )
    else:
        gross_header, back_header = _("Collected"), _("Refunds")
        expenses_rule = _(
            "Expenses = the expenses dated in the period with their tax (the money paid out, "
            "as income is the money received). Refunds are shown negative."
        )
    return finance_report(
        frame,
        FinanceReportKey.INCOME_EXPENSES,
        title=_("Income, expenses and profit"),
        period=period_text(date_from, date_to),
        basis=" ".join((basis_text(chosen), expenses_rule, _("Profit = income − expenses."))),
        columns=[
            first,
            ReportColumn("gross", gross_header, CellKind.MONEY),
            ReportColumn("back", back_header, CellKind.MONEY),
            ReportColumn("income", _("Income"), CellKind.MONEY),
            ReportColumn("expenses", _("Expenses"), CellKind.MONEY),
            ReportColumn("profit", _("Profit"), CellKind.MONEY),
        ],
        rows=rows,
        totals=totals,
        filters=[_("Basis: {basis}").format(basis=basis_name(chosen))],
        empty_text=_("Nothing to report in this period."),
    )


# -- income by payment method ---------------------------------------------------------------


def report_income_by_method(
    uow: UnitOfWork, *, actor: Actor, date_from: date, date_to: date
) -> TabularReport:
    """The money received per payment method in the period, refunds subtracting."""
    check_period(date_from, date_to)
    with finance_reading(uow, actor) as (session, frame):
        refund = Payment.is_refund.is_(True)
        found = {
            method: (int(count), int(refunds), MONEY.from_raw(got), -MONEY.from_raw(back))
            for method, count, refunds, got, back in session.execute(
                select(
                    Payment.method,
                    *split_sums(refund, 1),
                    *split_sums(refund, raw(Payment.amount)),
                )
                .where(Payment.deleted_at.is_(None), *in_period(Payment.day, date_from, date_to))
                .group_by(Payment.method)
            )
        }
    order = [m.value for m in PaymentMethod] + sorted(set(found) - {m.value for m in PaymentMethod})
    total = sum((f[2] + f[3] for f in found.values()), ZERO)
    rows = [
        ReportRow(
            (
                method_label(method),
                found[method][0],
                found[method][2],
                found[method][1],
                found[method][3],
                found[method][2] + found[method][3],
                fraction(found[method][2] + found[method][3], total),
            )
        )
        for method in order
        if method in found
    ]
    totals: tuple[Cell, ...] = (
        _("Total"),
        sum(f[0] for f in found.values()),
        sum((f[2] for f in found.values()), ZERO),
        sum(f[1] for f in found.values()),
        sum((f[3] for f in found.values()), ZERO),
        total,
        Decimal(1) if total else None,
    )
    return finance_report(
        frame,
        FinanceReportKey.BY_METHOD,
        title=_("Income by payment method"),
        period=period_text(date_from, date_to),
        basis=payments_basis()
        + " "
        + _("Net = received − refunded, per method; its total is the period's income.")
        + " "
        + _("Refunds are shown negative."),
        columns=[
            ReportColumn("method", _("Method"), weight=1.6),
            ReportColumn("payments", _("Payments"), CellKind.COUNT, weight=0.8),
            ReportColumn("received", _("Collected"), CellKind.MONEY),
            ReportColumn("refunds", _("Refunds"), CellKind.COUNT, weight=0.8),
            ReportColumn("refunded", _("Refunded"), CellKind.MONEY),
            ReportColumn("net", _("Net"), CellKind.MONEY),
            ReportColumn("share", _("Share"), CellKind.PERCENT, weight=0.8),
        ],
        rows=rows,
        totals=[ReportRow(totals, RowRole.TOTAL)],
        empty_text=_("No payments were received in this period."),
    )
