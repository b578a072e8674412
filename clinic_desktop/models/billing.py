"""Invoices, credit notes, payments and cash closes. A draft invoice may change or be
deleted (soft); issuing assigns its number from the series of this PC's emission point and
freezes it: amounts, tax rates and buyer are copied onto the invoice and its lines so an issued
invoice never depends on today's catalogue, rates or patient record, and is never edited again.
A mistake is corrected by a credit note (its own kind and series) that points to the original.
Payments are money received (or refunded) by method; allocations say which invoices a payment
settles, and whatever is not allocated is the payer's credit on account. A cash close fixes one
user's day at one PC: expected and counted amounts per method, and locks those payments."""

from __future__ import annotations

import uuid
from datetime import date, datetime
from decimal import Decimal
from enum import StrEnum

from sqlalchemy import (
    Boolean,
    Date,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
    UniqueConstraint,
    Uuid,
)
from sqlalchemy.orm import Mapped, mapped_column

from clinic_desktop.models.base import Entity, UTCDateTime
from clinic_desktop.models.types import MONEY, QUANTITY, UNIT_COST, Scaled

# Tax rates in percent with two places (15.00, 21.00, 12.00).
PERCENT = Scaled(2)


class InvoiceKind(StrEnum):
    INVOICE = "invoice"  # Ecuador: factura (01); Spain: factura completa (F1)
    SIMPLIFIED = "simplified"  # Spain only: factura simplificada (F2), up to 400 € incl. VAT
    CREDIT_NOTE = "credit_note"  # Ecuador: nota de crédito (04); Spain: rectificativa (R1-R5)


class InvoiceStatus(StrEnum):
    DRAFT = "draft"
    ISSUED = "issued"  # nothing paid yet
    PARTLY_PAID = "partly_paid"
    PAID = "paid"
    # Credit notes cancel the whole total (nothing left to pay, nothing was paid for it).
    CREDITED = "credited"


class LineSource(StrEnum):
    TREATMENT = "treatment"  # an appointment's treatment (or a catalogue treatment)
    PRODUCT = "product"  # a product sold: it leaves stock through the ledger at issue
    FREE = "free"  # typed by the user


class PaymentMethod(StrEnum):
    CASH = "cash"
    DEBIT_CARD = "debit_card"
    CREDIT_CARD = "credit_card"
    TRANSFER = "transfer"
    OTHER = "other"


class EmissionPoint(Entity):
    """One PC's numbering point: Ecuador's "punto de emisión" (001, 002, ...), and the same
    code makes Spain's series per PC (F001, S001, R001). Offline PCs never share a series, so
    two PCs can never issue the same number."""

    __tablename__ = "emission_points"
    __label__ = "Emission point"

    code: Mapped[str] = mapped_column(String(3), unique=True)
    workstation: Mapped[str] = mapped_column(String(120), unique=True)
    label: Mapped[str] = mapped_column(String(120), default="")
    active: Mapped[bool] = mapped_column(Boolean, default=True)


class InvoiceSeries(Entity):
    """The counter of one kind of document at one emission point: the last number used.
    Incremented in the issuing transaction, so a failed issue leaves no gap."""

    __tablename__ = "invoice_series"
    __label__ = "Invoice series"
    __table_args__ = (UniqueConstraint("emission_point_id", "kind"),)

    emission_point_id: Mapped[uuid.UUID] = mapped_column(
        Uuid, ForeignKey("emission_points.id"), index=True
    )
    kind: Mapped[str] = mapped_column(String(16))
    # What precedes the number: "001-002" (Ecuador), "F002" (Spain).
    prefix: Mapped[str] = mapped_column(String(20))
    last_number: Mapped[int] = mapped_column(Integer, default=0)


class Invoice(Entity):
    __tablename__ = "invoices"
    __label__ = "Invoice"
    # Unique per series, not by printed text: in Ecuador a factura and a nota de crédito of
    # the same emission point both print 001-002-000000001 (the document type tells them apart).
    # What is still owed (receivables, the dashboard's card, the aging) is read from this
    # index alone: status first, so only issued and partly paid invoices are visited, and
    # the amounts in it, so none of their rows is read.
    __table_args__ = (
        UniqueConstraint("series_id", "number"),
        Index(
            "ix_invoices_open_amounts",
            "status",
            "kind",
            "currency",
            "deleted_at",
            "issue_date",
            "total",
            "paid_total",
            "credited_total",
        ),
    )

    kind: Mapped[str] = mapped_column(String(16), default=InvoiceKind.INVOICE.value)
    status: Mapped[str] = mapped_column(String(16), default=InvoiceStatus.DRAFT.value)
    country: Mapped[str] = mapped_column(String(2))
    currency: Mapped[str] = mapped_column(String(3))
    # Set at issue and never again.
    series_id: Mapped[uuid.UUID | None] = mapped_column(Uuid, ForeignKey("invoice_series.id"))
    number: Mapped[int | None] = mapped_column(Integer)
    number_text: Mapped[str | None] = mapped_column(String(40), index=True)
    issue_date: Mapped[date | None] = mapped_column(Date, index=True)
    issued_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    issued_by: Mapped[uuid.UUID | None] = mapped_column(Uuid)
    # Whose account the invoice belongs to (timeline, balance); the buyer may be someone else.
    patient_id: Mapped[uuid.UUID | None] = mapped_column(
        Uuid, ForeignKey("patients.id"), index=True
    )
    appointment_id: Mapped[uuid.UUID | None] = mapped_column(
        Uuid, ForeignKey("appointments.id"), index=True
    )
    # The practitioner credited with the income (from the appointment; reports by practitioner).
    practitioner_id: Mapped[uuid.UUID | None] = mapped_column(
        Uuid, ForeignKey("practitioners.id"), index=True
    )
    buyer_name: Mapped[str] = mapped_column(String(300), default="")
    # cedula, ruc, pasaporte, consumidor_final, exterior (EC); dni, nie, cif, nif, passport (ES)
    buyer_id_type: Mapped[str] = mapped_column(String(20), default="")
    buyer_tax_id: Mapped[str] = mapped_column(String(32), default="")
    buyer_address: Mapped[str] = mapped_column(String(400), default="")
    buyer_email: Mapped[str] = mapped_column(String(200), default="")
    # Discount on the total, in percent of the lines' net; allocated over the lines at issue.
    discount_percent: Mapped[Decimal] = mapped_column(PERCENT, default=Decimal(0))
    # Totals as printed (fiscal.invoice_math), kept current on drafts and frozen at issue.
    subtotal: Mapped[Decimal] = mapped_column(MONEY, default=Decimal(0))  # sum of line nets
    discount_total: Mapped[Decimal] = mapped_column(MONEY, default=Decimal(0))
    tax_total: Mapped[Decimal] = mapped_column(MONEY, default=Decimal(0))
    total: Mapped[Decimal] = mapped_column(MONEY, default=Decimal(0))
    # Payments allocated (refunds subtract) and credit notes issued against it: kept by the
    # payment and credit-note services in their own transaction; balance = total - both.
    paid_total: Mapped[Decimal] = mapped_column(MONEY, default=Decimal(0))
    credited_total: Mapped[Decimal] = mapped_column(MONEY, default=Decimal(0))
    # Credit notes: the invoice corrected, why, and Spain's rectification code (R1-R5).
    corrects_id: Mapped[uuid.UUID | None] = mapped_column(
        Uuid, ForeignKey("invoices.id"), index=True
    )
    correction_reason: Mapped[str] = mapped_column(String(500), default="")
    rectification_code: Mapped[str] = mapped_column(String(4), default="")
    notes: Mapped[str] = mapped_column(Text, default="")

    @property
    def is_draft(self) -> bool:
        return self.status == InvoiceStatus.DRAFT.value

    @property
    def balance(self) -> Decimal:
        """What is still owed on it (negative: paid more than owed, a credit to refund). For a
        credit note: what is still to be refunded."""
        return self.total - self.paid_total - self.credited_total

    def settle(self) -> None:
        """Sets the status from the totals after a payment, refund or credit note."""
        if self.is_draft:
            return
        owed = self.total - self.credited_total
        if self.credited_total > 0 and owed <= 0 and self.paid_total <= 0:
            self.status = InvoiceStatus.CREDITED.value
        elif self.paid_total > 0 and self.paid_total >= owed:
            self.status = InvoiceStatus.PAID.value
        elif self.paid_total > 0:
            self.status = InvoiceStatus.PARTLY_PAID.value
        else:
            self.status = InvoiceStatus.ISSUED.value


class InvoiceLine(Entity):
    __tablename__ = "invoice_lines"
    __label__ = "Invoice line"

    invoice_id: Mapped[uuid.UUID] = mapped_column(Uuid, ForeignKey("invoices.id"), index=True)
    position: Mapped[int] = mapped_column(Integer)
    source: Mapped[str] = mapped_column(String(12), default=LineSource.FREE.value)
    appointment_treatment_id: Mapped[uuid.UUID | None] = mapped_column(
        Uuid, ForeignKey("appointment_treatments.id"), index=True
    )
    treatment_id: Mapped[uuid.UUID | None] = mapped_column(
        Uuid, ForeignKey("treatments.id"), index=True
    )
    product_id: Mapped[uuid.UUID | None] = mapped_column(
        Uuid, ForeignKey("products.id"), index=True
    )
    # A credit note's line names the line of the original it returns.
    corrects_line_id: Mapped[uuid.UUID | None] = mapped_column(Uuid, ForeignKey("invoice_lines.id"))
    description: Mapped[str] = mapped_column(String(300))
    quantity: Mapped[Decimal] = mapped_column(QUANTITY, default=Decimal(1))
    unit_price: Mapped[Decimal] = mapped_column(UNIT_COST, default=Decimal(0))
    discount: Mapped[Decimal] = mapped_column(MONEY, default=Decimal(0))  # on this line
    net: Mapped[Decimal] = mapped_column(MONEY, default=Decimal(0))  # qty x price - discount
    # This line's share of the invoice's discount; base = net - global_discount.
    global_discount: Mapped[Decimal] = mapped_column(MONEY, default=Decimal(0))
    tax_code: Mapped[str] = mapped_column(String(24))
    # Copied from fiscal.tax_rates for the issue date (drafts: for today).
    tax_percent: Mapped[Decimal] = mapped_column(PERCENT, default=Decimal(0))
    tax_official: Mapped[str] = mapped_column(String(8), default="")


class Payment(Entity):
    """Money received (`is_refund` False) or paid back (True); `amount` is always positive."""

    __tablename__ = "payments"
    __label__ = "Payment"

    patient_id: Mapped[uuid.UUID | None] = mapped_column(
        Uuid, ForeignKey("patients.id"), index=True
    )
    payer_name: Mapped[str] = mapped_column(String(300), default="")
    method: Mapped[str] = mapped_column(String(16))
    amount: Mapped[Decimal] = mapped_column(MONEY)
    is_refund: Mapped[bool] = mapped_column(Boolean, default=False)
    # Cash only: what the patient handed over and the change given back.
    tendered: Mapped[Decimal | None] = mapped_column(MONEY)
    change: Mapped[Decimal] = mapped_column(MONEY, default=Decimal(0))
    reference: Mapped[str] = mapped_column(String(120), default="")  # card voucher, transfer id
    paid_at: Mapped[datetime] = mapped_column(UTCDateTime, index=True)
    # The clinic-zone day and the PC it was taken at: what the cash close groups by.
    day: Mapped[date] = mapped_column(Date, index=True)
    workstation: Mapped[str] = mapped_column(String(120))
    cash_close_id: Mapped[uuid.UUID | None] = mapped_column(
        Uuid, ForeignKey("cash_closes.id"), index=True
    )
    notes: Mapped[str] = mapped_column(String(500), default="")


class PaymentAllocation(Entity):
    __tablename__ = "payment_allocations"
    __label__ = "Payment allocation"

    payment_id: Mapped[uuid.UUID] = mapped_column(Uuid, ForeignKey("payments.id"), index=True)
    invoice_id: Mapped[uuid.UUID] = mapped_column(Uuid, ForeignKey("invoices.id"), index=True)
    amount: Mapped[Decimal] = mapped_column(MONEY)


class CashClose(Entity):
    __tablename__ = "cash_closes"
    __label__ = "Cash close"
    __table_args__ = (UniqueConstraint("day", "workstation", "user_id"),)

    day: Mapped[date] = mapped_column(Date, index=True)
    workstation: Mapped[str] = mapped_column(String(120))
    user_id: Mapped[uuid.UUID] = mapped_column(Uuid, ForeignKey("users.id"))
    closed_at: Mapped[datetime] = mapped_column(UTCDateTime)
    comment: Mapped[str] = mapped_column(String(1000), default="")
    expected_total: Mapped[Decimal] = mapped_column(MONEY, default=Decimal(0))
    counted_total: Mapped[Decimal] = mapped_column(MONEY, default=Decimal(0))


class CashCloseLine(Entity):
    __tablename__ = "cash_close_lines"
    __label__ = "Cash close line"

    cash_close_id: Mapped[uuid.UUID] = mapped_column(Uuid, ForeignKey("cash_closes.id"), index=True)
    method: Mapped[str] = mapped_column(String(16))
    expected: Mapped[Decimal] = mapped_column(MONEY, default=Decimal(0))
    counted: Mapped[Decimal] = mapped_column(MONEY, default=Decimal(0))

    @property
    def difference(self) -> Decimal:
        return self.counted - self.expected
