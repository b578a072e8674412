"""The financial reports for the accountant and the front desk that are not about income by
period: the tax summary by rate (the figures of a VAT return), receivables with their aging,
and the list of cash closes. Shared pieces in finance_reports_common; each report is a
TabularReport for the screen, report_table.report_pdf and report_csv.to_csv.

The tax summary recomputes nothing it could get wrong: invoice_math taxes each invoice per
rate (the rate's base, times the percent, rounded half up to the cent once), so the summary
adds up each invoice's bases per rate in SQL, taxes them per invoice the same way, and sums
those: its total is the sum of the invoices' tax to the cent."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from sqlalchemy import ColumnElement, case, func, select
from sqlalchemy.orm import Session

from clinic_desktop.actor import Actor
from clinic_desktop.db.uow import UnitOfWork
from clinic_desktop.fiscal.tax_codes import find_tax_code
from clinic_desktop.fiscal.tax_rates import rate_history
from clinic_desktop.formatting import percent
from clinic_desktop.i18n import _, ngettext
from clinic_desktop.models.billing import (
    CashClose,
    Invoice,
    InvoiceKind,
    InvoiceLine,
    InvoiceStatus,
)
from clinic_desktop.models.types import MONEY
from clinic_desktop.models.user import User
from clinic_desktop.services.clinic_days import check_period
from clinic_desktop.services.finance_reports_common import (
    ZERO,
    FinanceReportKey,
    finance_reading,
    finance_report,
    in_period,
    invoices_basis,
    issued_invoices,
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
    long_date,
    period_text,
)
from clinic_desktop.services.stock_ledger import raw

HUNDRED = Decimal(100)
# Aging buckets by days since issue: (label, last day included; None = no limit).
AGING: tuple[tuple[str, int | None], ...] = (
    ("0–30", 30),
    ("31–60", 60),
    ("61–90", 90),
    ("> 90", None),
)


# -- tax summary ----------------------------------------------------------------------------


@dataclass(frozen=True)
class RateFigures:
    """One tax code at one percent over the period: invoices and credit notes apart (credit
    note amounts positive here; the report shows them negative)."""

    tax_code: str
    percent: Decimal  # 15.00
    invoices: int
    invoice_base: Decimal
    invoice_tax: Decimal
    credit_notes: int
    credit_base: Decimal
    credit_tax: Decimal

    @property
    def base(self) -> Decimal:
        return self.invoice_base - self.credit_base

    @property
    def tax(self) -> Decimal:
        return self.invoice_tax - self.credit_tax


def tax_by_rate(
    session: Session, frame: Frame, date_from: date, date_to: date
) -> list[RateFigures]:
    base = func.sum(raw(InvoiceLine.net) - raw(InvoiceLine.global_discount))
    per_invoice = (
        select(
            Invoice.id.label("invoice_id"),
            Invoice.kind.label("kind"),
            InvoiceLine.tax_code.label("tax_code"),
            raw(InvoiceLine.tax_percent).label("pct"),
            base.label("base"),
        )
        .join(Invoice, Invoice.id == InvoiceLine.invoice_id)
        .where(
            InvoiceLine.deleted_at.is_(None),
            *issued_invoices(frame),
            *in_period(Invoice.issue_date, date_from, date_to),
        )
        .group_by(Invoice.id, Invoice.kind, InvoiceLine.tax_code, raw(InvoiceLine.tax_percent))
        .subquery()
    )
    cents, pct = per_invoice.c.base, per_invoice.c.pct
    # base (cents) × percent (hundredths) / 10,000, rounded half away from zero as
    # invoice_math's ROUND_HALF_UP does; integer division truncates toward zero in SQLite.
    tax = case(
        (cents >= 0, (cents * pct + 5000) // 10000),
        else_=-((-cents * pct + 5000) // 10000),
    )
    is_credit = per_invoice.c.kind == InvoiceKind.CREDIT_NOTE.value
    query = (
        select(
            per_invoice.c.tax_code,
            pct,
            func.count(func.distinct(case((is_credit, None), else_=per_invoice.c.invoice_id))),
            func.count(func.distinct(case((is_credit, per_invoice.c.invoice_id), else_=None))),
            *split_sums(is_credit, cents),
            *split_sums(is_credit, tax),
        )
        .group_by(per_invoice.c.tax_code, pct)
        .order_by(pct, per_invoice.c.tax_code)
    )
    return [
        RateFigures(
            tax_code=code,
            percent=Decimal(int(pct_raw)).scaleb(-2),
            invoices=int(invoices),
            invoice_base=MONEY.from_raw(inv_base),
            invoice_tax=MONEY.from_raw(inv_tax),
            credit_notes=int(credits),
            credit_base=MONEY.from_raw(cn_base),
            credit_tax=MONEY.from_raw(cn_tax),
        )
        for code, pct_raw, invoices, credits, inv_base, cn_base, inv_tax, cn_tax in session.execute(
            query
        )
    ]


def tax_label(code: str, rate: Decimal) -> str:
    """ "IVA 15 %" for a taxed rate (the percent the lines carried, which for one code may
    differ across a law change); the code's own name for exempt and not-subject ones."""
    if any(r.exempt for r in rate_history(code)):
        known = find_tax_code(code[:2], code)
        if known is not None:
            return _(known.label)
    return _("IVA {rate}").format(rate=percent(rate / HUNDRED))


def report_tax_summary(
    uow: UnitOfWork, *, actor: Actor, date_from: date, date_to: date
) -> TabularReport:
    """Base and tax per tax code and percent of the documents issued in the period; each rate
    a group with its invoices and its credit notes (negative) below it."""
    check_period(date_from, date_to)
    with finance_reading(uow, actor) as (session, frame):
        rates = tax_by_rate(session, frame, date_from, date_to)
    rows: list[ReportRow] = []
    for figures in rates:
        label = tax_label(figures.tax_code, figures.percent)
        share = figures.percent / HUNDRED
        rows.append(
            ReportRow(
                (label, share, "", figures.base, figures.tax, figures.base + figures.tax),
                RowRole.GROUP,
            )
        )
        if figures.invoices:
            text = ngettext("{count} invoice", "{count} invoices", figures.invoices).format(
                count=figures.invoices
            )
            rows.append(
                ReportRow(
                    (
                        label,
                        share,
                        text,
                        figures.invoice_base,
                        figures.invoice_tax,
                        figures.invoice_base + figures.invoice_tax,
                    ),
                    RowRole.DETAIL,
                )
            )
        if figures.credit_notes:
            text = ngettext(
                "{count} credit note", "{count} credit notes", figures.credit_notes
            ).format(count=figures.credit_notes)
            rows.append(
                ReportRow(
                    (
                        label,
                        share,
                        text,
                        -figures.credit_base,
                        -figures.credit_tax,
                        -(figures.credit_base + figures.credit_tax),
                    ),
                    RowRole.DETAIL,
                )
            )
    base = sum((f.base for f in rates), ZERO)
    tax = sum((f.tax for f in rates), ZERO)
    return finance_report(
        frame,
        FinanceReportKey.TAX_SUMMARY,
        title=_("Tax summary by rate"),
        period=period_text(date_from, date_to),
        basis=invoices_basis()
        + " "
        + _(
            "Base = the lines' amounts after all discounts, without tax, per tax code and "
            "percent (a code whose rate changed by law appears once per percent). Tax is "
            "computed per invoice and rate, on that rate's base, rounded half up to the "
            "cent, exactly as printed on each invoice; the total is the sum of the invoices' "
            "tax. Credit notes are shown negative."
        ),
        columns=[
            ReportColumn("tax", _("Tax"), weight=2.4),
            ReportColumn("rate", _("Rate"), CellKind.PERCENT, weight=0.7),
            ReportColumn("documents", _("Documents"), weight=1.2),
            ReportColumn("base", _("Base"), CellKind.MONEY),
            ReportColumn("tax_amount", _("Tax amount"), CellKind.MONEY),
            ReportColumn("total", _("Total"), CellKind.MONEY),
        ],
        rows=rows,
        totals=[ReportRow((_("Total"), None, "", base, tax, base + tax), RowRole.TOTAL)],
        group_column=0,
        empty_text=_("No invoices were issued in this period."),
    )


# -- receivables ----------------------------------------------------------------------------


def open_balance() -> ColumnElement[int]:
    """An invoice's balance in cents: total − paid − credited."""
    return raw(Invoice.total) - raw(Invoice.paid_total) - raw(Invoice.credited_total)


def receivable_invoices(frame: Frame) -> list[ColumnElement[bool]]:
    """Issued invoices (not credit notes) with something still owed. Only an invoice issued
    or partly paid can owe anything (Invoice.settle sets paid and credited when nothing is
    left), and that status is indexed, so the balance is computed for those alone rather than
    for ten years of paid invoices."""
    return [
        Invoice.status.in_((InvoiceStatus.ISSUED.value, InvoiceStatus.PARTLY_PAID.value)),
        *issued_invoices(frame),
        Invoice.kind != InvoiceKind.CREDIT_NOTE.value,
        open_balance() > 0,
    ]


def receivables_total(session: Session, frame: Frame) -> tuple[int, Decimal]:
    """How many invoices are owed and how much, in one aggregate."""
    count, owed = session.execute(
        select(func.count(), func.sum(open_balance())).where(*receivable_invoices(frame))
    ).one()
    return int(count or 0), MONEY.from_raw(owed)


def aging_bucket(days: int) -> int:
    for index, (_label, last) in enumerate(AGING):
        if last is None or days <= last:
            return index
    return len(AGING) - 1


def report_receivables(
    uow: UnitOfWork, *, actor: Actor, today: date | None = None
) -> TabularReport:
    """Every invoice still owed, oldest first, its balance in the column of its age (days
    since issue: 0–30, 31–60, 61–90, over 90). Balances are as they stand now; `today` is the
    day ages are counted to (the clinic's today unless given)."""
    with finance_reading(uow, actor) as (session, frame):
        day = today or frame.today
        found = session.execute(
            select(
                Invoice.number_text,
                Invoice.issue_date,
                Invoice.buyer_name,
                Invoice.total,
                Invoice.paid_total,
                Invoice.credited_total,
            )
            .where(*receivable_invoices(frame))
            .order_by(Invoice.issue_date, Invoice.number_text)
        ).all()
    rows: list[ReportRow] = []
    sums = [ZERO] * (2 + len(AGING))
    for number, issued, buyer, total, paid, credited in found:
        assert issued is not None
        balance = total - paid - credited
        days = max((day - issued).days, 0)
        ages: list[Decimal | None] = [None] * len(AGING)
        at = aging_bucket(days)
        ages[at] = balance
        rows.append(ReportRow((number or "", issued, buyer, days, total, balance, *ages)))
        sums[0] += total
        sums[1] += balance
        sums[2 + at] += balance
    label = ngettext("{count} invoice", "{count} invoices", len(rows)).format(count=len(rows))
    totals: tuple[Cell, ...] = (label, None, "", None, *sums)
    return finance_report(
        frame,
        FinanceReportKey.RECEIVABLES,
        title=_("Receivables"),
        period=_("Balances as of {date}").format(date=long_date(day)),
        basis=_(
            "Basis: issued invoices. Balance = the invoice's total (tax included) − the "
            "payments allocated to it (refunds subtract) − the credit notes issued against "
            "it; only invoices with a balance above zero are listed. Age = days from the "
            "issue date to {date}; each balance sits in the column of its age."
        ).format(date=long_date(day)),
        columns=[
            ReportColumn("number", _("Number"), weight=1.5),
            ReportColumn("issue_date", _("Issue date"), CellKind.DATE, weight=1.0),
            ReportColumn("buyer", _("Buyer"), weight=2.0),
            ReportColumn("days", _("Days"), CellKind.COUNT, weight=0.6),
            ReportColumn("total", _("Total"), CellKind.MONEY),
            ReportColumn("balance", _("Balance"), CellKind.MONEY),
            *(
                ReportColumn(f"age_{i}", _("{days} days").format(days=label), CellKind.MONEY)
                for i, (label, _last) in enumerate(AGING)
            ),
        ],
        rows=rows,
        totals=[ReportRow(totals, RowRole.TOTAL)],
        empty_text=_("Nothing is owed: every issued invoice is settled."),
    )


# -- cash closes ----------------------------------------------------------------------------


def report_cash_closes(
    uow: UnitOfWork, *, actor: Actor, date_from: date, date_to: date
) -> TabularReport:
    """The cash closes of the period: expected, counted and the difference, per close."""
    check_period(date_from, date_to)
    with finance_reading(uow, actor) as (session, frame):
        found = session.execute(
            select(
                CashClose.day,
                CashClose.workstation,
                User.full_name,
                CashClose.expected_total,
                CashClose.counted_total,
                CashClose.comment,
            )
            .outerjoin(User, User.id == CashClose.user_id)
            .where(CashClose.deleted_at.is_(None), *in_period(CashClose.day, date_from, date_to))
            .order_by(CashClose.day, CashClose.workstation, User.full_name)
        ).all()
    rows = [
        ReportRow((day, station, name or "", expected, counted, counted - expected, comment))
        for day, station, name, expected, counted, comment in found
    ]
    expected_sum = sum((r[3] for r in found), ZERO)
    counted_sum = sum((r[4] for r in found), ZERO)
    label = ngettext("{count} close", "{count} closes", len(rows)).format(count=len(rows))
    return finance_report(
        frame,
        FinanceReportKey.CASH_CLOSES,
        title=_("Cash closes"),
        period=period_text(date_from, date_to),
        basis=_(
            "Basis: cash closes. Each close is one user's day at one computer: expected = the "
            "payments recorded there that day, less refunds, by method; counted = what was "
            "counted when closing; difference = counted − expected (negative: money missing)."
        ),
        columns=[
            ReportColumn("day", _("Day"), CellKind.DATE, weight=1.0),
            ReportColumn("workstation", _("Computer"), weight=1.3),
            ReportColumn("user", _("User"), weight=1.5),
            ReportColumn("expected", _("Expected amount"), CellKind.MONEY),
            ReportColumn("counted", _("Counted amount"), CellKind.MONEY),
            ReportColumn("difference", _("Difference"), CellKind.MONEY),
            ReportColumn("comment", _("Comment"), weight=2.2),
        ],
        rows=rows,
        totals=[
            ReportRow(
                (label, None, "", expected_sum, counted_sum, counted_sum - expected_sum, ""),
                RowRole.TOTAL,
            )
        ],
        empty_text=_("No cash closes in this period."),
    )
