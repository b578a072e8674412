"""What the payment services hand to the UI, the receipt PDF and the reports: a payment (or
refund) with the invoices it settled, the result of applying credit on account, and the
translated labels of the payment methods. Amounts are Decimals in the clinic's currency;
`paid_at` is aware UTC (the UI shows it in the clinic's zone), `day` is the clinic-zone day the
cash close groups by. See payments.py for the sign conventions."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal

from clinic_desktop.i18n import N_, _
from clinic_desktop.models.billing import PaymentMethod

ZERO = Decimal("0.00")

METHOD_LABELS: dict[PaymentMethod, str] = {
    PaymentMethod.CASH: N_("Cash"),
    PaymentMethod.DEBIT_CARD: N_("Debit card"),
    PaymentMethod.CREDIT_CARD: N_("Credit card"),
    PaymentMethod.TRANSFER: N_("Transfer"),
    PaymentMethod.OTHER: N_("Other method"),  # "Other" is "Otros" elsewhere
}

# Methods in the order every screen, close sheet and report lists them.
METHODS: tuple[PaymentMethod, ...] = tuple(PaymentMethod)


def method_label(method: str) -> str:
    """The translated name of a payment method ("Efectivo", "Tarjeta de débito")."""
    try:
        return _(METHOD_LABELS[PaymentMethod(method)])
    except ValueError:
        return method


def receipt_number(payment_id: uuid.UUID) -> str:
    """A short code printed on the receipt and the cash-close sheet. The tail of the UUIDv7
    is its random part (the head is the clock, shared by payments of the same minute)."""
    return payment_id.hex[-8:].upper()


@dataclass(frozen=True)
class AllocationDTO:
    """Part of a payment applied to one invoice (or, for a refund, paid back on it)."""

    id: uuid.UUID
    payment_id: uuid.UUID
    invoice_id: uuid.UUID
    invoice_number: str
    invoice_kind: str  # InvoiceKind value: a refund may be allocated to a credit note
    issue_date: date | None
    amount: Decimal  # always > 0; see payments.py for what it does to the invoice
    created_at: datetime  # later than the payment when credit on account was applied


@dataclass(frozen=True)
class PaymentDTO:
    id: uuid.UUID
    receipt_number: str
    patient_id: uuid.UUID | None
    patient_name: str
    payer_name: str
    method: str  # PaymentMethod value
    method_label: str
    amount: Decimal  # always > 0
    is_refund: bool
    signed_amount: Decimal  # + money received, - money paid back (as the till sees it)
    tendered: Decimal | None  # cash only: what the payer handed over
    change: Decimal  # cash only: given back (tendered - amount)
    reference: str  # card voucher, transfer id
    notes: str  # a refund's reason
    paid_at: datetime  # aware UTC
    day: date  # clinic-zone day
    workstation: str
    received_by_id: uuid.UUID | None
    received_by: str  # display name of the user who took it
    cash_close_id: uuid.UUID | None  # set once the day is closed
    allocations: tuple[AllocationDTO, ...]
    allocated: Decimal  # sum of the allocations
    unallocated: Decimal  # amount - allocated: credit on account (refund: credit paid back)
    currency: str
    # The patient's credit on account now (after this payment): the receipt's "credit left".
    # Filled by record_payment, record_refund and get_payment; ZERO in lists.
    patient_credit: Decimal = ZERO


@dataclass(frozen=True)
class CreditAppliedDTO:
    """Credit on account used to pay an invoice: no money moved, allocations were added to
    the payments that held the credit."""

    patient_id: uuid.UUID
    invoice_id: uuid.UUID
    invoice_number: str
    amount: Decimal
    allocations: tuple[AllocationDTO, ...]
    invoice_balance: Decimal  # what is still owed on the invoice afterwards
    invoice_status: str
    credit_left: Decimal  # the patient's credit on account afterwards
