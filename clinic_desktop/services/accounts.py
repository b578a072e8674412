"""A patient's account and the clinic's receivables. The account lists the patient's issued
invoices and credit notes with what was paid and credited on each, the payments and refunds,
the credit on account and the balance; its figures reconcile: net balance = invoiced -
credited - received + refunded (see payments.py for the sign conventions). Receivables age what
is still owed on issued invoices by issue date into 0-30, 31-60, 61-90 and over 90 days, per
patient (or, for an invoice without one, per buyer), with totals. Reading needs billing.manage
or reports.finance."""

from __future__ import annotations

import uuid
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from sqlalchemy import select

from clinic_desktop.actor import Actor
from clinic_desktop.db.uow import UnitOfWork
from clinic_desktop.i18n import N_, _
from clinic_desktop.models.billing import Invoice, InvoiceKind, InvoiceStatus
from clinic_desktop.models.permissions import Permission
from clinic_desktop.services.access import require_any
from clinic_desktop.services.payment_dto import ZERO, PaymentDTO
from clinic_desktop.services.payment_refunds import refundable_on_credit_note
from clinic_desktop.services.payment_rows import (
    REGULAR_KINDS,
    allocated_by_payment,
    currency_of,
    invoice_text,
    load_patient_row,
    patient_names,
    patient_payments,
    payment_dtos,
)

READERS = (Permission.BILLING_MANAGE, Permission.REPORTS_FINANCE)

AGING_LABELS: tuple[str, str, str, str] = (
    N_("0–30 days"),
    N_("31–60 days"),
    N_("61–90 days"),
    N_("Over 90 days"),
)
# Upper bound (days since issue, inclusive) of each bucket but the last.
AGING_LIMITS = (30, 60, 90)

Buckets = tuple[Decimal, Decimal, Decimal, Decimal]


def aging_labels() -> tuple[str, ...]:
    return tuple(_(label) for label in AGING_LABELS)


def aging_bucket(age_days: int) -> int:
    """0 for 0-30 days, 1 for 31-60, 2 for 61-90, 3 for over 90."""
    for index, limit in enumerate(AGING_LIMITS):
        if age_days <= limit:
            return index
    return len(AGING_LIMITS)


@dataclass(frozen=True)
class AccountInvoiceDTO:
    id: uuid.UUID
    kind: str  # InvoiceKind value
    number: str
    issue_date: date | None
    status: str  # InvoiceStatus value
    total: Decimal
    paid: Decimal  # paid_total (for a credit note: refunded on it)
    credited: Decimal  # credited_total
    balance: Decimal  # total - paid - credited (< 0: the clinic owes it back)
    corrects_id: uuid.UUID | None
    corrects_number: str  # a credit note: the invoice it corrects
    refundable: Decimal  # what record_refund accepts on it now (0 for most)


@dataclass(frozen=True)
class PatientAccountDTO:
    patient_id: uuid.UUID
    patient_name: str
    currency: str
    invoices: tuple[AccountInvoiceDTO, ...]  # invoices and credit notes, oldest first
    payments: tuple[PaymentDTO, ...]  # payments and refunds, oldest first
    invoiced: Decimal  # sum of the issued invoices' totals
    credited: Decimal  # sum of what credit notes took off them
    received: Decimal  # sum of payments received
    refunded: Decimal  # sum of refunds paid back
    balance_due: Decimal  # still owed on open invoices
    credit_on_account: Decimal  # money received not applied to any invoice
    to_refund: Decimal  # paid on invoices beyond what they owe after credit notes
    net_balance: Decimal  # balance_due - credit_on_account - to_refund (> 0: owes the clinic)


@dataclass(frozen=True)
class ReceivableInvoiceDTO:
    invoice_id: uuid.UUID
    number: str
    issue_date: date
    age_days: int
    bucket: int  # index into AGING_LABELS
    patient_id: uuid.UUID | None
    debtor: str
    total: Decimal
    balance: Decimal


@dataclass(frozen=True)
class ReceivableRowDTO:
    """One debtor: a patient, or a buyer named on invoices without a patient."""

    patient_id: uuid.UUID | None
    debtor: str
    buckets: Buckets
    total: Decimal
    invoices: tuple[ReceivableInvoiceDTO, ...]  # oldest first


@dataclass(frozen=True)
class ReceivablesDTO:
    on: date
    currency: str
    bucket_labels: tuple[str, ...]  # translated, in bucket order
    rows: tuple[ReceivableRowDTO, ...]  # largest total first
    totals: Buckets
    total: Decimal
    invoice_count: int


def _account_invoice(
    invoice: Invoice, refundable: Decimal, numbers: dict[uuid.UUID, str]
) -> AccountInvoiceDTO:
    return AccountInvoiceDTO(
        id=invoice.id,
        kind=invoice.kind,
        number=invoice_text(invoice),
        issue_date=invoice.issue_date,
        status=invoice.status,
        total=invoice.total,
        paid=invoice.paid_total,
        credited=invoice.credited_total,
        balance=invoice.balance,
        corrects_id=invoice.corrects_id,
        corrects_number=numbers.get(invoice.corrects_id, "") if invoice.corrects_id else "",
        refundable=refundable,
    )


def patient_account(uow: UnitOfWork, *, actor: Actor, patient_id: uuid.UUID) -> PatientAccountDTO:
    """The patient's issued invoices, credit notes, payments, refunds and balances."""
    with uow.transaction(actor) as session:
        require_any(session, actor, READERS)
        patient = load_patient_row(session, patient_id)
        invoices = list(
            session.scalars(
                select(Invoice)
                .where(
                    Invoice.patient_id == patient.id,
                    Invoice.deleted_at.is_(None),
                    Invoice.status != InvoiceStatus.DRAFT.value,
                )
                .order_by(Invoice.issue_date, Invoice.issued_at, Invoice.number_text)
            )
        )
        numbers = {inv.id: invoice_text(inv) for inv in invoices}
        rows: list[AccountInvoiceDTO] = []
        for inv in invoices:
            if inv.kind == InvoiceKind.CREDIT_NOTE.value:
                refundable = refundable_on_credit_note(session, inv)
            else:
                refundable = max(-inv.balance, ZERO)
            rows.append(_account_invoice(inv, refundable, numbers))
        regular = [inv for inv in invoices if inv.kind in REGULAR_KINDS]
        payments = patient_payments(session, patient.id)
        allocated = allocated_by_payment(session, [p.id for p in payments])
        received = sum((p.amount for p in payments if not p.is_refund), ZERO)
        refunded = sum((p.amount for p in payments if p.is_refund), ZERO)
        credit = sum(
            ((-1 if p.is_refund else 1) * (p.amount - allocated.get(p.id, ZERO)) for p in payments),
            ZERO,
        )
        balance_due = sum((max(inv.balance, ZERO) for inv in regular), ZERO)
        to_refund = sum((max(-inv.balance, ZERO) for inv in regular), ZERO)
        return PatientAccountDTO(
            patient_id=patient.id,
            patient_name=patient.full_name,
            currency=currency_of(session),
            invoices=tuple(rows),
            payments=tuple(payment_dtos(session, payments)),
            invoiced=sum((inv.total for inv in regular), ZERO),
            credited=sum((inv.credited_total for inv in regular), ZERO),
            received=received,
            refunded=refunded,
            balance_due=balance_due,
            credit_on_account=credit,
            to_refund=to_refund,
            net_balance=balance_due - credit - to_refund,
        )


def receivables(uow: UnitOfWork, *, actor: Actor, on: date) -> ReceivablesDTO:
    """What is owed on issued invoices dated on or before `on`, aged by issue date as of `on`.
    Balances are as they stand now (payments made after `on` are already deducted)."""
    with uow.transaction(actor) as session:
        require_any(session, actor, READERS)
        invoices = list(
            session.scalars(
                select(Invoice)
                .where(
                    Invoice.deleted_at.is_(None),
                    Invoice.kind.in_(REGULAR_KINDS),
                    Invoice.status.in_(
                        (InvoiceStatus.ISSUED.value, InvoiceStatus.PARTLY_PAID.value)
                    ),
                    Invoice.issue_date <= on,
                )
                .order_by(Invoice.issue_date, Invoice.number_text)
            )
        )
        invoices = [inv for inv in invoices if inv.balance > ZERO]
        names = patient_names(session, (inv.patient_id for inv in invoices))
        grouped: dict[tuple[str, str], list[ReceivableInvoiceDTO]] = defaultdict(list)
        for inv in invoices:
            assert inv.issue_date is not None  # issued invoices have one
            age = (on - inv.issue_date).days
            if inv.patient_id is not None:
                key = ("patient", str(inv.patient_id))
                debtor = names.get(inv.patient_id, inv.buyer_name)
            else:
                key = ("buyer", inv.buyer_tax_id or inv.buyer_name.casefold())
                debtor = inv.buyer_name
            grouped[key].append(
                ReceivableInvoiceDTO(
                    invoice_id=inv.id,
                    number=invoice_text(inv),
                    issue_date=inv.issue_date,
                    age_days=age,
                    bucket=aging_bucket(age),
                    patient_id=inv.patient_id,
                    debtor=debtor,
                    total=inv.total,
                    balance=inv.balance,
                )
            )
        rows = [_row(items) for items in grouped.values()]
        rows.sort(key=lambda r: (-r.total, r.debtor.casefold()))
        totals = _sum_buckets(r.buckets for r in rows)
        return ReceivablesDTO(
            on=on,
            currency=currency_of(session),
            bucket_labels=aging_labels(),
            rows=tuple(rows),
            totals=totals,
            total=sum(totals, ZERO),
            invoice_count=len(invoices),
        )


def _row(items: list[ReceivableInvoiceDTO]) -> ReceivableRowDTO:
    amounts = [ZERO, ZERO, ZERO, ZERO]
    for item in items:
        amounts[item.bucket] += item.balance
    buckets: Buckets = (amounts[0], amounts[1], amounts[2], amounts[3])
    return ReceivableRowDTO(
        patient_id=items[0].patient_id,
        debtor=items[0].debtor,
        buckets=buckets,
        total=sum(buckets, ZERO),
        invoices=tuple(items),
    )


def _sum_buckets(all_buckets: Iterable[Buckets]) -> Buckets:
    amounts = [ZERO, ZERO, ZERO, ZERO]
    for buckets in all_buckets:
        for index, amount in enumerate(buckets):
            amounts[index] += amount
    return (amounts[0], amounts[1], amounts[2], amounts[3])
