"""Income broken down on the issued-invoices basis: by practitioner (the invoice's
practitioner; a credit note counts for the practitioner of the invoice it corrects) and by
treatment (each line's base, net of tax and of every discount; a credit note's line counts
for the treatment of the line it returns; products sold and typed lines one row each). Both
add up to the income report's total on the same basis, to the cent. Shared pieces in
finance_reports_common; the dashboard reuses income_by_treatment."""

from __future__ import annotations

import uuid
from datetime import date
from decimal import Decimal

from sqlalchemy import case, func, select
from sqlalchemy.orm import Session, aliased

from clinic_desktop.actor import Actor
from clinic_desktop.db.uow import UnitOfWork
from clinic_desktop.i18n import _, ngettext
from clinic_desktop.models.billing import Invoice, InvoiceKind
from clinic_desktop.models.schedule import Practitioner
from clinic_desktop.models.treatment import Treatment
from clinic_desktop.models.types import MONEY
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
from clinic_desktop.services.treatment_months import FREE, PRODUCTS, income_by_treatment

# -- income by practitioner -----------------------------------------------------------------


def report_income_by_practitioner(
    uow: UnitOfWork, *, actor: Actor, date_from: date, date_to: date
) -> TabularReport:
    """Each practitioner's income from the invoices credited to them (Invoice.practitioner_id);
    invoices without one (a product sold at the desk) are a row of their own."""
    check_period(date_from, date_to)
    with finance_reading(uow, actor) as (session, frame):
        is_credit = Invoice.kind == InvoiceKind.CREDIT_NOTE.value
        amount = raw(Invoice.total) - raw(Invoice.tax_total)
        # A credit note belongs to whoever the invoice it corrects was for. Looked up only
        # for credit notes (CASE is lazy): a join would probe for every invoice.
        corrected = aliased(Invoice, name="corrected")
        practitioner = case(
            (
                Invoice.corrects_id.is_not(None),
                func.coalesce(
                    select(corrected.practitioner_id)
                    .where(corrected.id == Invoice.corrects_id)
                    .scalar_subquery(),
                    Invoice.practitioner_id,
                ),
            ),
            else_=Invoice.practitioner_id,
        )
        found = session.execute(
            select(
                practitioner,
                *split_sums(is_credit, 1),
                *split_sums(is_credit, amount),
            )
            .where(*issued_invoices(frame), *in_period(Invoice.issue_date, date_from, date_to))
            .group_by(practitioner)
        ).all()
        names = _practitioner_names(session, {row[0] for row in found if row[0] is not None})
    figures = [
        (
            names.get(pid, "") if pid is not None else _("No practitioner"),
            pid is None,
            int(invoices),
            int(credits),
            MONEY.from_raw(invoiced),
            -MONEY.from_raw(credited),
        )
        for pid, invoices, credits, invoiced, credited in found
    ]
    total = sum((f[4] + f[5] for f in figures), ZERO)
    figures.sort(key=lambda f: (f[1], -(f[4] + f[5]), f[0].lower()))
    rows = [
        ReportRow(
            (
                name,
                invoices,
                credits,
                invoiced,
                credited,
                invoiced + credited,
                fraction(invoiced + credited, total),
            )
        )
        for name, _none, invoices, credits, invoiced, credited in figures
    ]
    totals: tuple[Cell, ...] = (
        _("Total"),
        sum(f[2] for f in figures),
        sum(f[3] for f in figures),
        sum((f[4] for f in figures), ZERO),
        sum((f[5] for f in figures), ZERO),
        total,
        Decimal(1) if total else None,
    )
    return finance_report(
        frame,
        FinanceReportKey.BY_PRACTITIONER,
        title=_("Income by practitioner"),
        period=period_text(date_from, date_to),
        basis=invoices_basis()
        + " "
        + _(
            "Each invoice counts for the practitioner it was issued for; a credit note "
            "subtracts from the practitioner of the invoice it corrects. Share = the row's "
            "income ÷ the total income."
        ),
        columns=[
            ReportColumn("practitioner", _("Practitioner"), weight=2.2),
            ReportColumn("invoices", _("Invoices"), CellKind.COUNT, weight=0.8),
            ReportColumn("credit_notes", _("Credit notes"), CellKind.COUNT, weight=0.8),
            ReportColumn("invoiced", _("Invoiced"), CellKind.MONEY),
            ReportColumn("credited", _("Credited"), CellKind.MONEY),
            ReportColumn("income", _("Income"), CellKind.MONEY),
            ReportColumn("share", _("Share"), CellKind.PERCENT, weight=0.8),
        ],
        rows=rows,
        totals=[ReportRow(totals, RowRole.TOTAL)],
        empty_text=_("No invoices were issued in this period."),
    )


def _practitioner_names(session: Session, ids: set[uuid.UUID]) -> dict[uuid.UUID, str]:
    if not ids:
        return {}
    rows = session.execute(
        select(Practitioner.id, Practitioner.display_name).where(Practitioner.id.in_(ids))
    )
    return {pid: name for pid, name in rows}


# -- income by treatment --------------------------------------------------------------------


def report_income_by_treatment(
    uow: UnitOfWork, *, actor: Actor, date_from: date, date_to: date
) -> TabularReport:
    """Income per treatment of the catalogue; products sold and typed lines are one row
    each (their quantities are of different things, so they are not added up)."""
    check_period(date_from, date_to)
    with finance_reading(uow, actor) as (session, frame):
        found = income_by_treatment(session, frame, date_from, date_to)
        ids = [key for key in found if isinstance(key, uuid.UUID)]
        catalogue = {
            tid: (code, name)
            for tid, code, name in session.execute(
                select(Treatment.id, Treatment.code, Treatment.name).where(Treatment.id.in_(ids))
            )
        }
    total = sum((income for _qty, income in found.values()), ZERO)
    treated: list[tuple[str, str, Decimal | None, Decimal]] = []
    for key, (qty, income) in found.items():
        if isinstance(key, uuid.UUID):
            code, name = catalogue.get(key, ("", _("Deleted treatment")))
            treated.append((code, name, qty, income))
    treated.sort(key=lambda t: (-t[3], t[1].lower()))
    for key, label in ((PRODUCTS, _("Products sold")), (FREE, _("Other lines (typed)"))):
        if key in found:
            treated.append(("", label, None, found[key][1]))
    rows = [
        ReportRow((code, name, qty, income, fraction(income, total)))
        for code, name, qty, income in treated
    ]
    count = sum(1 for key in found if isinstance(key, uuid.UUID))
    label = ngettext("{count} treatment", "{count} treatments", count).format(count=count)
    return finance_report(
        frame,
        FinanceReportKey.BY_TREATMENT,
        title=_("Income by treatment"),
        period=period_text(date_from, date_to),
        basis=invoices_basis()
        + " "
        + _(
            "Each invoice line counts for its treatment with its base: quantity × price − "
            "the line's discount − its share of the discount on the total, without tax, so the "
            "lines of an invoice add up to its income. Products sold and lines typed by hand "
            "are one row each. Quantities of credit notes subtract."
        ),
        columns=[
            ReportColumn("code", _("Code"), weight=0.8),
            ReportColumn("treatment", _("Treatment"), weight=2.6),
            ReportColumn("quantity", _("Quantity"), CellKind.QUANTITY, weight=0.8),
            ReportColumn("income", _("Income"), CellKind.MONEY),
            ReportColumn("share", _("Share"), CellKind.PERCENT, weight=0.8),
        ],
        rows=rows,
        totals=[ReportRow((label, "", None, total, Decimal(1) if total else None), RowRole.TOTAL)],
        empty_text=_("No invoices were issued in this period."),
    )
