"""Builds the invoice DTOs from the stored rows: the whole document (lines with what is still
creditable, the tax breakdown recomputed with fiscal.invoice_math and checked against the
stored totals, the translated legal notes of its rates, the invoice a credit note corrects
and the credit notes against an invoice) and the list's summary rows."""

from __future__ import annotations

import uuid
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from clinic_desktop.fiscal.tax_rates import rate_history
from clinic_desktop.i18n import _
from clinic_desktop.models.billing import Invoice, InvoiceKind, InvoiceLine
from clinic_desktop.models.patient import Patient
from clinic_desktop.models.schedule import Practitioner
from clinic_desktop.models.types import QUANTITY
from clinic_desktop.services.clinical_common import user_names
from clinic_desktop.services.invoice_common import live_lines, printed_number
from clinic_desktop.services.invoice_dto import (
    CreditNoteRefDTO,
    InvoiceDTO,
    InvoiceLineDTO,
    buyer_id_type_label,
    kind_label,
    status_label,
    tax_label_for,
    tax_rows,
)
from clinic_desktop.services.invoice_lines import is_exempt, matches, recompute
from clinic_desktop.services.stock_ledger import raw

ZERO = Decimal(0)


@dataclass(frozen=True)
class Credited:
    quantity: Decimal
    discount: Decimal  # the line discount already given back with it


def credited_by_line(session: Session, line_ids: Iterable[uuid.UUID]) -> dict[uuid.UUID, Credited]:
    """What live credit notes have credited of each original line."""
    ids = list(line_ids)
    if not ids:
        return {}
    rows = session.execute(
        select(
            InvoiceLine.corrects_line_id,
            func.sum(raw(InvoiceLine.quantity)),
            func.sum(raw(InvoiceLine.discount)),
        )
        .join(Invoice, Invoice.id == InvoiceLine.invoice_id)
        .where(
            InvoiceLine.corrects_line_id.in_(ids),
            InvoiceLine.deleted_at.is_(None),
            Invoice.deleted_at.is_(None),
            Invoice.kind == InvoiceKind.CREDIT_NOTE.value,
        )
        .group_by(InvoiceLine.corrects_line_id)
    )
    return {
        line_id: Credited(QUANTITY.from_raw(q), Decimal(int(d or 0)).scaleb(-2))
        for line_id, q, d in rows
        if line_id is not None
    }


def legal_notes(codes: Iterable[str]) -> tuple[str, ...]:
    """The translated notes the lines' rates require (each once, in line order)."""
    notes: list[str] = []
    for code in codes:
        for rate in rate_history(code):
            if rate.legal_note and _(rate.legal_note) not in notes:
                notes.append(_(rate.legal_note))
    return tuple(notes)


def _line_dto(
    row: InvoiceLine, country: str, credited: Credited | None, creditable: bool
) -> InvoiceLineDTO:
    exempt = is_exempt(row.tax_code)
    done = credited.quantity if credited else ZERO
    return InvoiceLineDTO(
        id=row.id,
        position=row.position,
        source=row.source,
        description=row.description,
        quantity=row.quantity,
        unit_price=row.unit_price,
        discount=row.discount,
        net=row.net,
        global_discount=row.global_discount,
        base=row.net - row.global_discount,
        tax_code=row.tax_code,
        tax_label=tax_label_for(row.tax_code, row.tax_percent, exempt, country),
        tax_percent=row.tax_percent,
        tax_official=row.tax_official,
        exempt=exempt,
        product_id=row.product_id,
        treatment_id=row.treatment_id,
        appointment_treatment_id=row.appointment_treatment_id,
        corrects_line_id=row.corrects_line_id,
        credited_quantity=done,
        creditable_quantity=max(ZERO, row.quantity - done) if creditable else ZERO,
    )


def credit_notes_of(session: Session, invoice_id: uuid.UUID) -> tuple[CreditNoteRefDTO, ...]:
    notes = session.scalars(
        select(Invoice)
        .where(
            Invoice.corrects_id == invoice_id,
            Invoice.kind == InvoiceKind.CREDIT_NOTE.value,
            Invoice.deleted_at.is_(None),
        )
        .order_by(Invoice.issue_date, Invoice.number, Invoice.id)
    )
    return tuple(
        CreditNoteRefDTO(
            n.id,
            printed_number(n.number_text),
            n.issue_date or date.min,
            n.total,
            n.correction_reason,
        )
        for n in notes
    )


def invoice_dto(
    session: Session, invoice: Invoice, *, warnings: tuple[str, ...] = ()
) -> InvoiceDTO:
    rows = live_lines(session, [invoice.id])
    totals = recompute(invoice, rows)
    creditable = not invoice.is_draft and invoice.kind != InvoiceKind.CREDIT_NOTE.value
    credited = credited_by_line(session, [r.id for r in rows]) if creditable else {}
    lines = tuple(_line_dto(row, invoice.country, credited.get(row.id), creditable) for row in rows)
    officials = {(r.tax_code, r.tax_percent): r.tax_official for r in rows}
    taxes = tax_rows(totals.rates, officials, invoice.country)
    patient = session.get(Patient, invoice.patient_id) if invoice.patient_id else None
    practitioner = (
        session.get(Practitioner, invoice.practitioner_id) if invoice.practitioner_id else None
    )
    original = session.get(Invoice, invoice.corrects_id) if invoice.corrects_id else None
    issuer = user_names(session, [invoice.issued_by]).get(invoice.issued_by or uuid.UUID(int=0))
    return InvoiceDTO(
        id=invoice.id,
        version=invoice.version,
        kind=invoice.kind,
        kind_label=kind_label(invoice.kind, invoice.country),
        status=invoice.status,
        status_label=status_label(invoice.status),
        country=invoice.country,
        currency=invoice.currency,
        number=invoice.number,
        number_text=printed_number(invoice.number_text),
        issue_date=invoice.issue_date,
        issued_at=invoice.issued_at,
        issued_by_name=issuer or "",
        patient_id=invoice.patient_id,
        patient_name=patient.full_name if patient else "",
        appointment_id=invoice.appointment_id,
        practitioner_id=invoice.practitioner_id,
        practitioner_name=practitioner.display_name if practitioner else "",
        buyer_name=invoice.buyer_name,
        buyer_id_type=invoice.buyer_id_type,
        buyer_id_type_label=buyer_id_type_label(invoice.buyer_id_type),
        buyer_tax_id=invoice.buyer_tax_id,
        buyer_address=invoice.buyer_address,
        buyer_email=invoice.buyer_email,
        discount_percent=invoice.discount_percent,
        subtotal=invoice.subtotal,
        discount_total=invoice.discount_total,
        tax_total=invoice.tax_total,
        total=invoice.total,
        paid_total=invoice.paid_total,
        credited_total=invoice.credited_total,
        balance=invoice.balance,
        lines=lines,
        taxes=taxes,
        legal_notes=legal_notes(r.tax_code for r in rows),
        notes=invoice.notes,
        corrects_id=invoice.corrects_id,
        corrects_number=printed_number(original.number_text) if original else "",
        corrects_issue_date=original.issue_date if original else None,
        correction_reason=invoice.correction_reason,
        rectification_code=invoice.rectification_code,
        credit_notes=credit_notes_of(session, invoice.id) if creditable else (),
        created_at=invoice.created_at,
        updated_at=invoice.updated_at,
        totals_match=matches(invoice, rows, totals),
        warnings=warnings,
    )
