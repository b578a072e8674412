"""What the invoice services take and give back: the draft form the editor fills (buyer, the
discount on the total, notes and its lines), the frozen DTOs of an invoice or credit note
(its lines, the tax breakdown by rate, the legal notes, the credit notes against it), the
summary rows of the invoices list with their keyset cursor, and the translated labels of the
stored codes (status, kind, buyer identity type). Money is Decimal in the invoice's currency;
dates are the clinic's calendar days; datetimes are aware UTC. No database imports: the UI,
the payments, reports and PDF code read these types. The labels of the codes live in
invoice_labels and are re-exported here."""

from __future__ import annotations

import uuid
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal
from typing import TYPE_CHECKING

from clinic_desktop.services.invoice_labels import (
    BUYER_ID_TYPE_LABELS,
    BUYER_ID_TYPES,
    STATUS_LABELS,
    BuyerIdType,
    Kind,
    Source,
    Status,
    buyer_id_type_label,
    kind_label,
    status_label,
    tax_label_for,
)

if TYPE_CHECKING:
    from clinic_desktop.fiscal.invoice_math import RateTotal

ZERO = Decimal("0.00")


# -- what the editor sends -----------------------------------------------------------------


@dataclass(frozen=True)
class LineForm:
    """One line as typed. `source` is treatment, product or free; a product line needs
    `product_id`, a treatment line `treatment_id` (an appointment's treatment also carries
    `appointment_treatment_id`). An empty `description` or `tax_code` is filled from the
    catalogue item (or the country's default: services exempt or 0 %, goods the general
    rate). `discount` is money off this line. Quantity takes up to 3 decimals, the unit price
    up to 4, the discount 2. A line with no description, no catalogue item and no price is
    a blank row and is skipped."""

    source: str
    description: str
    quantity: Decimal = Decimal(1)
    unit_price: Decimal = ZERO
    discount: Decimal = ZERO
    tax_code: str = ""
    product_id: uuid.UUID | None = None
    treatment_id: uuid.UUID | None = None
    appointment_treatment_id: uuid.UUID | None = None

    @property
    def is_blank(self) -> bool:
        return (
            not self.description.strip()
            and self.product_id is None
            and self.treatment_id is None
            and self.appointment_treatment_id is None
            and not self.unit_price
        )


@dataclass(frozen=True)
class InvoiceDraftForm:
    """Everything a draft holds; saving replaces the draft's buyer, discount, notes and lines
    with these (build it from the loaded draft with `from_dto` and change what the user
    changed). `kind` None keeps the draft's kind; INVOICE <-> SIMPLIFIED may switch in
    Spain. `patient_id` is whose account it is (None: nobody's); the buyer may be someone
    else. `discount_percent` (0-100, two places) is the discount on the total."""

    buyer_name: str = ""
    buyer_id_type: str = ""
    buyer_tax_id: str = ""
    buyer_address: str = ""
    buyer_email: str = ""
    discount_percent: Decimal = ZERO
    notes: str = ""
    lines: tuple[LineForm, ...] = ()
    kind: str | None = None
    patient_id: uuid.UUID | None = None
    practitioner_id: uuid.UUID | None = None

    @classmethod
    def from_dto(cls, dto: InvoiceDTO) -> InvoiceDraftForm:
        return cls(
            buyer_name=dto.buyer_name,
            buyer_id_type=dto.buyer_id_type,
            buyer_tax_id=dto.buyer_tax_id,
            buyer_address=dto.buyer_address,
            buyer_email=dto.buyer_email,
            discount_percent=dto.discount_percent,
            notes=dto.notes,
            lines=tuple(
                LineForm(
                    source=line.source,
                    description=line.description,
                    quantity=line.quantity,
                    unit_price=line.unit_price,
                    discount=line.discount,
                    tax_code=line.tax_code,
                    product_id=line.product_id,
                    treatment_id=line.treatment_id,
                    appointment_treatment_id=line.appointment_treatment_id,
                )
                for line in dto.lines
            ),
            kind=dto.kind,
            patient_id=dto.patient_id,
            practitioner_id=dto.practitioner_id,
        )


# -- what the services give back -----------------------------------------------------------


@dataclass(frozen=True)
class InvoiceLineDTO:
    """One printed line. net = quantity x unit_price - discount (cents, half up);
    global_discount is its share of the discount on the total; base = net - global_discount
    is what its tax rate applies to (the tax itself is computed per rate, see TaxRowDTO).
    On an issued invoice `credited_quantity` is what credit notes have already returned and
    `creditable_quantity` what may still be credited; on a credit note's line
    `corrects_line_id` is the original invoice's line."""

    id: uuid.UUID
    position: int
    source: str
    description: str
    quantity: Decimal
    unit_price: Decimal
    discount: Decimal
    net: Decimal
    global_discount: Decimal
    base: Decimal
    tax_code: str
    tax_label: str  # "IVA 15 %", "Exempt, medical care (art. 20.Uno.3º LIVA)"
    tax_percent: Decimal  # 15.00
    tax_official: str  # the SRI's codigoPorcentaje / the AEAT's exemption cause
    exempt: bool
    product_id: uuid.UUID | None
    treatment_id: uuid.UUID | None
    appointment_treatment_id: uuid.UUID | None
    corrects_line_id: uuid.UUID | None
    credited_quantity: Decimal
    creditable_quantity: Decimal


@dataclass(frozen=True)
class TaxRowDTO:
    """One row of the breakdown by rate: the sum of the bases at that rate and its tax,
    rounded once per rate (fiscal.invoice_math). Exempt and not-subject rows show apart
    even at 0 %."""

    tax_code: str
    label: str
    percent: Decimal
    official: str
    exempt: bool
    base: Decimal
    tax: Decimal


def tax_rows(
    rates: Iterable[RateTotal], officials: Mapping[tuple[str, Decimal], str], country: str
) -> tuple[TaxRowDTO, ...]:
    """The breakdown by rate as shown and printed, from invoice_math's rate totals.
    `officials` maps (tax code, percent) to the rate's official code (the SRI's, Verifactu's)
    for the lines that carried one."""
    return tuple(
        TaxRowDTO(
            tax_code=rate.tax_code,
            label=tax_label_for(rate.tax_code, rate.tax_percent, rate.exempt, country),
            percent=rate.tax_percent,
            official=officials.get((rate.tax_code, rate.tax_percent), ""),
            exempt=rate.exempt,
            base=rate.base,
            tax=rate.tax,
        )
        for rate in rates
    )


@dataclass(frozen=True)
class CreditNoteRefDTO:
    """A credit note issued against an invoice."""

    id: uuid.UUID
    number_text: str
    issue_date: date
    total: Decimal
    reason: str


@dataclass(frozen=True)
class InvoiceDTO:
    """An invoice, simplified invoice or credit note with everything the editor, the PDF, the
    payment dialog and the reports need. Amounts are those stored on it (frozen at issue);
    `taxes` is recomputed from the stored lines with fiscal.invoice_math and `totals_match`
    says it gives back exactly the stored subtotal, discount, tax and total (False would
    mean a corrupted record). balance = total - paid_total - credited_total (negative: paid
    more than owed after a credit, a refund is due). For a credit note `corrects_*` name the
    original and `credit_notes` is empty; for an invoice `credit_notes` lists those issued
    against it. `warnings` is only set by issue_invoice and issue_credit_note (stock that
    went below zero where the clinic allows it)."""

    id: uuid.UUID
    version: int
    kind: str
    kind_label: str
    status: str
    status_label: str
    country: str
    currency: str
    number: int | None
    number_text: str  # "" for a draft
    issue_date: date | None
    issued_at: datetime | None
    issued_by_name: str
    patient_id: uuid.UUID | None
    patient_name: str
    appointment_id: uuid.UUID | None
    practitioner_id: uuid.UUID | None
    practitioner_name: str
    buyer_name: str
    buyer_id_type: str
    buyer_id_type_label: str
    buyer_tax_id: str
    buyer_address: str
    buyer_email: str
    discount_percent: Decimal
    subtotal: Decimal
    discount_total: Decimal
    tax_total: Decimal
    total: Decimal
    paid_total: Decimal
    credited_total: Decimal
    balance: Decimal
    lines: tuple[InvoiceLineDTO, ...]
    taxes: tuple[TaxRowDTO, ...]
    legal_notes: tuple[str, ...]  # translated, printed under the totals
    notes: str
    corrects_id: uuid.UUID | None
    corrects_number: str
    corrects_issue_date: date | None
    correction_reason: str
    rectification_code: str  # Spain: R1 or R5 on a corrective invoice
    credit_notes: tuple[CreditNoteRefDTO, ...]
    created_at: datetime
    updated_at: datetime
    totals_match: bool
    warnings: tuple[str, ...] = ()

    @property
    def is_draft(self) -> bool:
        return self.status == Status.DRAFT

    @property
    def is_credit_note(self) -> bool:
        return self.kind == Kind.CREDIT_NOTE

    @property
    def can_credit(self) -> bool:
        """An issued invoice with something left to credit."""
        return (
            not self.is_draft
            and not self.is_credit_note
            and any(line.creditable_quantity > 0 for line in self.lines)
        )


@dataclass(frozen=True)
class InvoiceCursor:
    """Where a page of the invoices list ended: pass the last row's `cursor` as `after`."""

    day: date
    at: datetime
    id: uuid.UUID


@dataclass(frozen=True)
class InvoiceSummaryDTO:
    """One row of the invoices list (drafts first, then newest issue date first)."""

    id: uuid.UUID
    kind: str
    kind_label: str
    status: str
    status_label: str
    number_text: str  # "" for a draft
    issue_date: date | None
    created_at: datetime
    buyer_name: str
    buyer_tax_id: str
    patient_id: uuid.UUID | None
    patient_name: str
    appointment_id: uuid.UUID | None
    total: Decimal
    paid_total: Decimal
    credited_total: Decimal
    balance: Decimal
    currency: str
    corrects_id: uuid.UUID | None
    cursor: InvoiceCursor = field(repr=False, compare=False)

    @property
    def is_draft(self) -> bool:
        return self.status == Status.DRAFT


@dataclass(frozen=True)
class InvoiceSeriesDTO:
    """A numbering series in use (the list's series filter, settings)."""

    prefix: str  # "001-002" (Ecuador), "F002" (Spain)
    kind: str
    kind_label: str
    emission_point: str
    workstation: str
    last_number: int


__all__ = [
    "BUYER_ID_TYPES",
    "BUYER_ID_TYPE_LABELS",
    "STATUS_LABELS",
    "BuyerIdType",
    "CreditNoteRefDTO",
    "InvoiceCursor",
    "InvoiceDTO",
    "InvoiceDraftForm",
    "InvoiceLineDTO",
    "InvoiceSeriesDTO",
    "InvoiceSummaryDTO",
    "Kind",
    "LineForm",
    "Source",
    "Status",
    "TaxRowDTO",
    "buyer_id_type_label",
    "kind_label",
    "status_label",
    "tax_label_for",
]
