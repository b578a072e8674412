"""The demo clinic's money (services.demo_billing), read back from the database and through the
billing services: invoice numbers correlative without gaps in each series, every completed
visit with treatments invoiced except the two most recent (left for reception), amounts that
are invoice_math's, payments that reconcile with what each invoice says was paid, cash closes
that expect exactly what their payments add up to, two credit notes and a refund, two years of
expenses, and the audit trail of all of it."""

from __future__ import annotations

import json
import uuid
from collections import defaultdict
from datetime import datetime, timedelta
from decimal import Decimal

import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import Session
from support.agenda_demo import demo_day, demo_now
from support.invoice_data import actor, at_pc

from clinic_desktop.actor import Actor
from clinic_desktop.config import workstation_name
from clinic_desktop.errors import InvalidTransition, NeedsConfirmation
from clinic_desktop.models.appointment import Appointment, AppointmentStatus
from clinic_desktop.models.audit import AuditEntry
from clinic_desktop.models.billing import (
    CashClose,
    CashCloseLine,
    Invoice,
    InvoiceKind,
    InvoiceLine,
    InvoiceSeries,
    Payment,
    PaymentAllocation,
)
from clinic_desktop.models.expense import Expense, ExpenseReceipt, RecurringExpense
from clinic_desktop.models.stock import StockBalance, StockMovement
from clinic_desktop.models.treatment import AppointmentTreatment, TreatmentStatus
from clinic_desktop.models.types import QUANTITY
from clinic_desktop.services.accounts import receivables
from clinic_desktop.services.audit import verify_audit_chain
from clinic_desktop.services.cash_close import cash_day_summary, close_cash_day
from clinic_desktop.services.demo_billing import UNBILLED
from clinic_desktop.services.expenses import expenses_total
from clinic_desktop.services.invoice_lines import matches, recompute
from clinic_desktop.services.invoices import create_draft, get_invoice
from clinic_desktop.services.startup import CreatedClinic
from clinic_desktop.services.stock_ledger import raw

ZERO = Decimal(0)


def _read(clinic: CreatedClinic) -> Session:
    return clinic.db.session_factory()


def _reception(clinic: CreatedClinic) -> Actor:
    """Reception at the PC the demo took the money at (this one)."""
    return at_pc(actor(clinic, "recepcion"), workstation_name())


def _signed(payment: Payment) -> Decimal:
    return -payment.amount if payment.is_refund else payment.amount


def test_invoice_numbers_are_correlative_without_gaps(demo_billed: CreatedClinic) -> None:
    with _read(demo_billed) as session:
        series = list(session.scalars(select(InvoiceSeries)))
        assert {s.kind for s in series} == {"invoice", "credit_note"}
        for one in series:
            documents = list(
                session.scalars(
                    select(Invoice).where(Invoice.series_id == one.id).order_by(Invoice.number)
                )
            )
            numbers = [d.number for d in documents]
            assert numbers == list(range(1, len(documents) + 1)), one.kind
            assert one.last_number == len(documents)
            assert documents[0].number_text == f"{one.prefix}-000000001"
            # Numbered in order of issue: the dates never go back as the numbers go up.
            issued = [(d.issue_date, d.issued_at) for d in documents]
            assert issued == sorted(issued), one.kind
        invoices = next(s for s in series if s.kind == "invoice")
        # The bulk history and the three issued through issue_invoice share the series.
        assert invoices.last_number > 50
        drafts = session.scalar(select(func.count()).where(Invoice.status == "draft"))
        assert drafts == 0


def _visits(session: Session) -> dict[uuid.UUID, tuple[datetime, list[AppointmentTreatment]]]:
    rows = session.execute(
        select(AppointmentTreatment, Appointment.end_at)
        .join(Appointment, Appointment.id == AppointmentTreatment.appointment_id)
        .where(
            Appointment.status == AppointmentStatus.COMPLETED.value,
            AppointmentTreatment.status == TreatmentStatus.DONE.value,
            AppointmentTreatment.deleted_at.is_(None),
        )
    )
    visits: dict[uuid.UUID, tuple[datetime, list[AppointmentTreatment]]] = {}
    for done, _end in rows:
        when = done.done_at
        assert when is not None
        at, items = visits.setdefault(done.appointment_id, (when, []))
        items.append(done)
        visits[done.appointment_id] = (max(at, when), items)
    return visits


def test_every_completed_visit_is_invoiced_but_the_two_latest(demo_billed: CreatedClinic) -> None:
    with _read(demo_billed) as session:
        visits = _visits(session)
        invoices = list(
            session.scalars(select(Invoice).where(Invoice.kind == InvoiceKind.INVOICE.value))
        )
        lines = defaultdict(list)
        for row in session.scalars(select(InvoiceLine)):
            lines[row.invoice_id].append(row)
    invoiced = {inv.appointment_id for inv in invoices}
    # In the demo's order: by when the visit ended, then by id.
    latest = sorted(visits, key=lambda a: (visits[a][0], a))[-UNBILLED:]
    assert set(visits) - invoiced == set(latest)
    assert invoiced <= set(visits)
    # Each invoice bills exactly its visit's treatments, at the price recorded there.
    done_by_id = {d.id: d for _at, items in visits.values() for d in items}
    for invoice in invoices:
        treatment_lines = [r for r in lines[invoice.id] if r.source == "treatment"]
        done = visits[invoice.appointment_id][1]
        assert {r.appointment_treatment_id for r in treatment_lines} == {d.id for d in done}
        for row in treatment_lines:
            assert row.appointment_treatment_id is not None
            assert row.unit_price == done_by_id[row.appointment_treatment_id].price
    # Reception can invoice a visit left unbilled; a billed one is asked about first.
    reception = _reception(demo_billed)
    draft = create_draft(demo_billed.db.uow(), actor=reception, appointment_id=latest[-1])
    assert draft.lines and draft.total > 0
    billed = next(iter(invoiced))
    with pytest.raises(NeedsConfirmation):
        create_draft(demo_billed.db.uow(), actor=reception, appointment_id=billed)


def test_amounts_are_invoice_math(demo_billed: CreatedClinic) -> None:
    with _read(demo_billed) as session:
        invoices = list(session.scalars(select(Invoice)))
        lines = defaultdict(list)
        for row in session.scalars(select(InvoiceLine).order_by(InvoiceLine.position)):
            lines[row.invoice_id].append(row)
        for invoice in invoices:
            rows = lines[invoice.id]
            assert rows, invoice.number_text
            assert matches(invoice, rows, recompute(invoice, rows)), invoice.number_text
            assert invoice.total > 0
            # The rate of the issue date (aesthetic treatments pay IVA 15 %, care 0 %).
            assert {r.tax_percent for r in rows} <= {Decimal(0), Decimal(15)}
    taxed = [i for i in invoices if i.tax_total > 0]
    assert taxed, "aesthetic treatments pay IVA"
    # A document read back through the service is whole and consistent.
    reader = _reception(demo_billed)
    dto = get_invoice(demo_billed.db.uow(), actor=reader, invoice_id=taxed[0].id)
    assert dto.total == taxed[0].total
    assert sum((t.base + t.tax for t in dto.taxes), ZERO) == dto.total


def test_payments_reconcile_with_what_invoices_say_was_paid(demo_billed: CreatedClinic) -> None:
    with _read(demo_billed) as session:
        invoices = {i.id: i for i in session.scalars(select(Invoice))}
        payments = {p.id: p for p in session.scalars(select(Payment))}
        allocations = list(session.scalars(select(PaymentAllocation)))
    paid: dict[uuid.UUID, Decimal] = defaultdict(lambda: ZERO)
    applied: dict[uuid.UUID, Decimal] = defaultdict(lambda: ZERO)
    for allocation in allocations:
        payment, amount = payments[allocation.payment_id], allocation.amount
        applied[payment.id] += amount
        document = invoices[allocation.invoice_id]
        if not payment.is_refund:
            paid[document.id] += amount
        elif document.corrects_id is not None:
            # Refunded on a credit note: counted there, and no longer paid on the invoice.
            paid[document.id] += amount
            paid[document.corrects_id] -= amount
        else:
            paid[document.id] -= amount
    for invoice in invoices.values():
        assert invoice.paid_total == paid[invoice.id], invoice.number_text
        status = invoice.status
        invoice.settle()
        assert invoice.status == status, invoice.number_text
    # Every payment is applied in full (the demo leaves no credit on account).
    for payment in payments.values():
        assert applied[payment.id] == payment.amount
        if payment.tendered is not None:
            assert payment.tendered - payment.change == payment.amount
    statuses = {i.status for i in invoices.values() if i.kind == "invoice"}
    assert {"paid", "partly_paid", "issued", "credited"} <= statuses
    assert {p.method for p in payments.values()} == {
        "cash", "debit_card", "credit_card", "transfer", "other"
    }  # fmt: skip
    assert any(p.change > 0 for p in payments.values())
    several = [pid for pid in payments if sum(1 for a in allocations if a.payment_id == pid) > 1]
    assert several, "a later payment settles several invoices"
    # The receivables report adds up to what the open invoices still owe.
    open_ = [i for i in invoices.values() if i.status in ("issued", "partly_paid")]
    owed = sum((i.balance for i in open_ if i.kind == "invoice"), ZERO)
    report = receivables(demo_billed.db.uow(), actor=_reception(demo_billed), on=demo_day())
    assert report.total == owed > 0


def test_cash_closes_expect_what_their_payments_add_up_to(demo_billed: CreatedClinic) -> None:
    today = demo_day()
    with _read(demo_billed) as session:
        closes = list(session.scalars(select(CashClose).order_by(CashClose.day)))
        lines = defaultdict(list)
        for line in session.scalars(select(CashCloseLine)):
            lines[line.cash_close_id].append(line)
        payments = list(session.scalars(select(Payment)))
    by_close: dict[uuid.UUID | None, list[Payment]] = defaultdict(list)
    for payment in payments:
        by_close[payment.cash_close_id].append(payment)
    assert closes
    for close in closes:
        mine = by_close[close.id]
        assert close.expected_total == sum((_signed(p) for p in mine), ZERO)
        assert close.day < today
        assert all(p.day == close.day for p in mine)
        per_method: dict[str, Decimal] = defaultdict(lambda: ZERO)
        for payment in mine:
            per_method[payment.method] += _signed(payment)
        for line in lines[close.id]:
            assert line.expected == per_method[line.method]
        assert close.counted_total == sum((line.counted for line in lines[close.id]), ZERO)
    off = [c for c in closes if c.counted_total != c.expected_total]
    assert len(off) == 1
    assert abs(off[0].counted_total - off[0].expected_total) == Decimal("0.50")
    assert off[0].comment and off[0].day == closes[-1].day
    # Every past day with money is closed; today's stays open.
    assert {p.day for p in by_close[None]} <= {today}
    assert {p.day for p in payments if p.day < today} == {c.day for c in closes}
    reception = _reception(demo_billed)
    summary = cash_day_summary(demo_billed.db.uow(), actor=reception, day=today)
    assert summary.closed is None
    # A closed day stays closed.
    with pytest.raises(InvalidTransition):
        close_cash_day(
            demo_billed.db.uow(),
            actor=reception,
            day=closes[0].day,
            counted={},
            now=demo_now(today),
        )


def test_credit_notes_correct_two_invoices_and_a_refund_goes_back(
    demo_billed: CreatedClinic,
) -> None:
    with _read(demo_billed) as session:
        notes = list(
            session.scalars(
                select(Invoice)
                .where(Invoice.kind == InvoiceKind.CREDIT_NOTE.value)
                .order_by(Invoice.number)
            )
        )
        assert len(notes) == 2
        wrong = session.get(Invoice, notes[0].corrects_id)
        assert wrong is not None and wrong.status == "credited"
        assert notes[0].total == wrong.total and wrong.paid_total == 0
        # Issued again the same day to the representative, for the same visit.
        again = session.scalars(
            select(Invoice).where(
                Invoice.appointment_id == wrong.appointment_id,
                Invoice.id != wrong.id,
                Invoice.kind == InvoiceKind.INVOICE.value,
            )
        ).one()
        assert again.issue_date == wrong.issue_date and (again.number or 0) > (wrong.number or 0)
        assert again.buyer_tax_id != wrong.buyer_tax_id and again.total == wrong.total
        assert wrong.number_text and wrong.number_text in again.notes
        # The treatment charged by mistake: one line credited and paid back in cash.
        mistake = session.get(Invoice, notes[1].corrects_id)
        assert mistake is not None and mistake.credited_total == notes[1].total
        refund = session.scalars(select(Payment).where(Payment.is_refund.is_(True))).one()
        assert refund.amount == notes[1].total and refund.method == "cash"
        assert notes[1].paid_total == notes[1].total
        assert mistake.balance == 0


def test_two_years_of_expenses(demo_billed: CreatedClinic) -> None:
    with _read(demo_billed) as session:
        expenses = list(session.scalars(select(Expense)))
        templates = list(session.scalars(select(RecurringExpense)))
        receipts = list(session.scalars(select(ExpenseReceipt)))
    months = {(e.expense_date.year, e.expense_date.month) for e in expenses}
    # Two years back from this month (which has none yet in its first days).
    assert 23 <= len(months) <= 24
    assert min(e.expense_date for e in expenses) <= demo_day() - timedelta(days=690)
    rents = {(e.expense_date.year, e.expense_date.month) for e in expenses if e.category == "rent"}
    this_month = (demo_day().year, demo_day().month)
    assert months - {this_month} <= rents
    generated = [e for e in expenses if e.recurring_id is not None]
    assert {e.category for e in generated} == {"rent", "salaries", "services"}
    assert len({t.id for t in templates}) == 4 and all(t.generated_through for t in templates)
    assert {"supplies", "utilities", "taxes_fees", "equipment"} <= {e.category for e in expenses}
    assert sum(1 for e in expenses if e.purchase_order_id is not None) == 1
    assert sorted(r.mime_type for r in receipts) == ["application/pdf", "image/png"]
    assert all(e.net + e.tax == e.total for e in expenses)
    # The expense service adds them up to the same total.
    first = min(e.expense_date for e in expenses)
    last = max(e.expense_date for e in expenses)
    owner = actor(demo_billed, "duena")
    totals = expenses_total(demo_billed.db.uow(), actor=owner, date_from=first, date_to=last)
    assert totals.total == sum((e.total for e in expenses), ZERO)
    assert totals.count == len(expenses)


def test_products_sold_left_stock_through_the_ledger(demo_billed: CreatedClinic) -> None:
    with _read(demo_billed) as session:
        sold = list(session.scalars(select(InvoiceLine).where(InvoiceLine.source == "product")))
        assert len(sold) == 2
        for line in sold:
            movement = session.scalars(
                select(StockMovement).where(StockMovement.source_id == line.id)
            ).one()
            assert movement.kind == "sale" and movement.quantity == -line.quantity
            ledger = session.scalar(
                select(func.sum(raw(StockMovement.quantity))).where(
                    StockMovement.lot_id == movement.lot_id
                )
            )
            balance = session.get(StockBalance, movement.lot_id)
            assert balance is not None
            assert balance.quantity == QUANTITY.from_raw(ledger)


def test_the_audit_trail_records_it_and_still_verifies(demo_billed: CreatedClinic) -> None:
    with _read(demo_billed) as session:
        demo_entries = select(AuditEntry).where(AuditEntry.action.like("demo.%"))
        entries: dict[str, AuditEntry] = {e.action: e for e in session.scalars(demo_entries)}
        bulk = entries["demo.invoices_generated"]
        issued = session.scalar(select(func.count()).where(Invoice.kind == "invoice"))
        created = session.scalars(
            select(AuditEntry.entity_id).where(
                AuditEntry.entity == "Invoice", AuditEntry.action == "create"
            )
        ).all()
        closes = session.scalar(select(func.count()).select_from(CashClose))
    # Bulk rows have one entry per kind; the invoices made through the services one each.
    assert json.loads(bulk.changes)["count"] + 3 == issued
    assert len(created) == 3 + 2  # three invoices and two credit notes
    for action in (
        "demo.invoice_lines_generated",
        "demo.payments_generated",
        "demo.payment_allocations_generated",
        "demo.cash_closes_generated",
    ):
        assert json.loads(entries[action].changes)["count"] > 0
    assert json.loads(entries["demo.cash_closes_generated"].changes)["count"] + 1 == closes
    soporte = actor(demo_billed, "soporte")
    assert verify_audit_chain(demo_billed.db.uow(), actor=soporte).ok


def test_billing_is_left_out_on_request(demo_stocked: CreatedClinic) -> None:
    with _read(demo_stocked) as session:
        for model in (Invoice, Payment, CashClose, Expense):
            assert session.scalar(select(func.count()).select_from(model)) == 0


def test_expenses_are_sized_to_the_demo_clinic_income(demo_billed: CreatedClinic) -> None:
    """Whatever the demo's size, its books show a clinic that pays its way: over the twelve
    months before this one, expenses (net of tax) take well under all of the income."""
    this_month = demo_day().replace(day=1)
    first = (this_month - timedelta(days=365)).replace(day=1)
    with _read(demo_billed) as session:
        issued = session.execute(
            select(Invoice.kind, Invoice.total, Invoice.tax_total).where(
                Invoice.status != "draft",
                Invoice.issue_date >= first,
                Invoice.issue_date < this_month,
            )
        ).all()
        spent = session.execute(
            select(Expense.net).where(
                Expense.expense_date >= first, Expense.expense_date < this_month
            )
        ).all()
    income = sum(
        ((-1 if kind == "credit_note" else 1) * (total - tax) for kind, total, tax in issued), ZERO
    )
    expenses = sum((net for (net,) in spent), ZERO)
    assert income > 0
    assert Decimal("0.5") * income < expenses < Decimal("0.9") * income
