"""Printing an invoice, simplified invoice or credit note: fills the report's InvoiceDoc
(reports.billing_docs) from the invoice's DTO — the clinic's letterhead and logo, the buyer
with the translated name of their identity document, the practitioner who attended, the lines
with their rate, the tax breakdown by rate (each rate by its full name, legal reference
included) and the legal notes the rates require (such as Spain's art. 20 exemption),
the payment status with what was paid and what is still owed, the invoice a credit note
corrects and why, the credit notes issued against an invoice — and renders it. A draft prints
with the clinic's today as its date, no number and "DRAFT" across every page, so a preview is
never mistaken for the real document. Every figure is the one stored on the invoice (computed
by fiscal.invoice_math when it was saved or issued); nothing is recomputed here."""

from __future__ import annotations

import uuid
from datetime import date

from clinic_desktop.actor import Actor
from clinic_desktop.db.uow import UnitOfWork
from clinic_desktop.formatting import money
from clinic_desktop.i18n import _
from clinic_desktop.reports.billing_docs import (
    CorrectedInvoice,
    Country,
    InvoiceBuyer,
    InvoiceDoc,
    InvoiceDocLine,
    TaxBreakdownRow,
)
from clinic_desktop.reports.billing_docs import InvoiceKind as DocKind
from clinic_desktop.reports.clinical_letterhead import Letterhead, fmt_date
from clinic_desktop.reports.invoice_pdf import render_invoice
from clinic_desktop.services.clinical_history import clinic_today
from clinic_desktop.services.clinical_print_views import clinic_letterhead
from clinic_desktop.services.invoice_common import load_invoice, require_read
from clinic_desktop.services.invoice_dto import (
    BuyerIdType,
    InvoiceDTO,
    InvoiceLineDTO,
    Kind,
    Status,
    status_label,
)
from clinic_desktop.services.invoice_views import invoice_dto

# The SRI's codigoPorcentaje of "no objeto de IVA": its lines say so rather than "exempt".
EC_NOT_SUBJECT = "6"
_KINDS: dict[Kind, DocKind] = {
    Kind.INVOICE: "invoice",
    Kind.SIMPLIFIED: "simplified",
    Kind.CREDIT_NOTE: "credit_note",
}


def line_tax_label(line: InvoiceLineDTO, country: str) -> str:
    """The short rate a line shows in its narrow column ("IVA 15 %", "Exempt"); the breakdown
    under the lines names each rate in full ("Exempt, medical care (art. 20.Uno.3º LIVA)"),
    its label wrapping in its column."""
    if not line.exempt:
        return line.tax_label
    if country == "EC" and line.tax_official == EC_NOT_SUBJECT:
        return _("Not subject")
    return _("Exempt")


def payment_status(invoice: InvoiceDTO) -> str:
    """What the payment box says; "" prints none (a draft, a credit note)."""
    if invoice.is_draft or invoice.is_credit_note:
        return ""
    if invoice.status == Status.ISSUED:
        return _("Unpaid")
    return status_label(invoice.status)


def _buyer(invoice: InvoiceDTO) -> InvoiceBuyer | None:
    if invoice.kind == Kind.SIMPLIFIED and not (invoice.buyer_name or invoice.buyer_tax_id):
        return None
    id_label = invoice.buyer_id_type_label if invoice.buyer_id_type else ""
    if invoice.buyer_id_type == BuyerIdType.NONE:
        id_label = ""
    name = invoice.buyer_name or (_("Buyer not entered yet") if invoice.is_draft else "—")
    return InvoiceBuyer(
        name=name,
        id_label=id_label,
        tax_id=invoice.buyer_tax_id,
        address=invoice.buyer_address,
        email=invoice.buyer_email,
    )


def _notes(invoice: InvoiceDTO) -> str:
    """The invoice's own notes, then the credit notes issued against it: the printed copy of
    a corrected invoice says where the difference went."""
    parts = [invoice.notes.strip()] if invoice.notes.strip() else []
    for note in invoice.credit_notes:
        parts.append(
            _("Corrected by {document} {number} of {date}: {amount} ({reason}).").format(
                document=_("credit note") if invoice.country == "EC" else _("corrective invoice"),
                number=note.number_text,
                date=fmt_date(note.issue_date),
                amount=money(note.total, invoice.currency),
                reason=note.reason,
            )
        )
    return "\n".join(parts)


def _legal_notes(invoice: InvoiceDTO) -> tuple[str, ...]:
    notes = list(invoice.legal_notes)
    if invoice.is_credit_note and invoice.rectification_code:
        notes.append(
            _("Corrective invoice, type {code} (art. 80 of Law 37/1992 on VAT).").format(
                code=invoice.rectification_code
            )
        )
    return tuple(notes)


def invoice_doc(invoice: InvoiceDTO, *, letterhead: Letterhead, today: date) -> InvoiceDoc:
    """The printed document of `invoice`; a draft is dated `today` (the clinic's)."""
    corrects = None
    if invoice.is_credit_note and invoice.corrects_number:
        corrects = CorrectedInvoice(
            number=invoice.corrects_number,
            issued_on=invoice.corrects_issue_date or today,
            reason=invoice.correction_reason,
        )
    country: Country = "ES" if invoice.country == "ES" else "EC"
    kind: DocKind = _KINDS[Kind(invoice.kind)]
    return InvoiceDoc(
        letterhead=letterhead,
        kind=kind,
        country=country,
        number=invoice.number_text,
        issued_on=invoice.issue_date or today,
        currency=invoice.currency,
        buyer=_buyer(invoice),
        lines=tuple(
            InvoiceDocLine(
                description=line.description,
                quantity=line.quantity,
                unit_price=line.unit_price,
                discount=line.discount,
                net=line.net,
                tax_label=line_tax_label(line, invoice.country),
            )
            for line in invoice.lines
        ),
        subtotal=invoice.subtotal,
        discount=invoice.discount_total,
        taxes=tuple(TaxBreakdownRow(row.label, row.base, row.tax) for row in invoice.taxes),
        total=invoice.total,
        legal_notes=_legal_notes(invoice),
        payment_status=payment_status(invoice),
        paid=invoice.paid_total,
        balance=invoice.balance,
        corrects=corrects,
        draft=invoice.is_draft,
        notes=_notes(invoice),
        practitioner=invoice.practitioner_name,
    )


def print_invoice(uow: UnitOfWork, *, actor: Actor, invoice_id: uuid.UUID) -> bytes:
    """The PDF of an invoice, simplified invoice or credit note (billing.manage or
    reports.finance); a draft comes out crossed "DRAFT"."""
    with uow.transaction(actor) as session:
        require_read(session, actor)
        invoice = invoice_dto(session, load_invoice(session, invoice_id))
        doc = invoice_doc(
            invoice, letterhead=clinic_letterhead(session), today=clinic_today(session)
        )
    return render_invoice(doc)
