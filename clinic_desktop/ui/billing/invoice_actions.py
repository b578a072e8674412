"""What the invoices list, the invoice editor, the agenda and the chart do with an invoice
outside the editor itself: name it ("Factura 001-001-000000012", "Borrador de factura"),
print it through the print preview, take a payment against it, credit it, and open the
editor on it — or, from an appointment, on the invoice already written for it (issued, else
the draft being written) or a new draft with its treatments. Every dialog opens window-modal
without blocking and is returned, so callers (and tests) keep hold of it."""

from __future__ import annotations

import uuid
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from PySide6.QtWidgets import QWidget

from clinic_desktop.i18n import _
from clinic_desktop.services.invoice_dto import InvoiceDTO, InvoiceSummaryDTO, Kind, Status
from clinic_desktop.services.invoice_print import print_invoice
from clinic_desktop.services.invoices import invoice_for_appointment
from clinic_desktop.ui.context import UiContext
from clinic_desktop.ui.widgets import print_preview, screen_kit

if TYPE_CHECKING:
    from clinic_desktop.ui.billing.credit_note_dialog import CreditNoteDialog
    from clinic_desktop.ui.billing.invoice_editor import InvoiceEditorDialog

MANAGE = "billing.manage"
OPEN_STATUSES = (Status.ISSUED.value, Status.PARTLY_PAID.value)


def document_title(invoice: InvoiceDTO | InvoiceSummaryDTO) -> str:
    """ "Factura 001-001-000000012"; a draft is "Borrador de factura"."""
    if invoice.is_draft:
        return _("Draft {document}").format(document=invoice.kind_label.lower())
    return _("{document} {number}").format(document=invoice.kind_label, number=invoice.number_text)


def can_take_payment(invoice: InvoiceDTO | InvoiceSummaryDTO) -> bool:
    """An issued invoice (not a credit note) of a patient with something still owed."""
    return (
        invoice.kind != Kind.CREDIT_NOTE
        and invoice.status in OPEN_STATUSES
        and invoice.balance > 0
        and invoice.patient_id is not None
    )


def print_invoice_preview(
    ctx: UiContext,
    parent: QWidget,
    invoice: InvoiceDTO | InvoiceSummaryDTO,
    on_error: Callable[[str], None] | None = None,
) -> None:
    """The invoice's PDF in the print preview (a draft crossed "DRAFT")."""
    invoice_id, title = invoice.id, document_title(invoice)
    ctx.runner.run(
        lambda: print_invoice(ctx.uow(), actor=ctx.actor, invoice_id=invoice_id),
        on_done=lambda pdf: print_preview.show_pdf_preview(parent, pdf, title),
        on_error=on_error or (lambda text: screen_kit.inform(parent, _("Could not print"), text)),
        busy_text=_("Preparing the invoice…"),
        parent=parent,
    )


def open_editor(
    ctx: UiContext,
    parent: QWidget | None,
    *,
    invoice_id: uuid.UUID | None = None,
    patient_id: uuid.UUID | None = None,
    appointment_id: uuid.UUID | None = None,
) -> InvoiceEditorDialog:
    from clinic_desktop.ui.billing.invoice_editor import InvoiceEditorDialog

    dialog = InvoiceEditorDialog(
        ctx,
        invoice_id=invoice_id,
        patient_id=patient_id,
        appointment_id=appointment_id,
        parent=parent,
    )
    dialog.open()
    return dialog


def open_credit_note(
    ctx: UiContext, parent: QWidget | None, invoice: InvoiceDTO
) -> CreditNoteDialog:
    from clinic_desktop.ui.billing.credit_note_dialog import CreditNoteDialog

    dialog = CreditNoteDialog(ctx, invoice=invoice, parent=parent)
    dialog.open()
    return dialog


def open_payment(
    ctx: UiContext, parent: QWidget | None, invoice: InvoiceDTO | InvoiceSummaryDTO
) -> Any:
    """The payment dialog for the invoice's patient with this invoice first; None when the
    invoice has no patient (payments are taken on a patient's account)."""
    if invoice.patient_id is None:
        return None
    from clinic_desktop.ui.billing.payment_dialog import PaymentDialog

    dialog = PaymentDialog(
        ctx, patient_id=invoice.patient_id, invoice_ids=[invoice.id], parent=parent
    )
    dialog.open()
    return dialog


def invoice_appointment(
    ctx: UiContext,
    parent: QWidget,
    appointment_id: uuid.UUID,
    *,
    on_open: Callable[[InvoiceEditorDialog], None] | None = None,
    on_error: Callable[[str], None] | None = None,
) -> None:
    """The agenda's "Invoice…": the invoice standing for the appointment (issued, else the
    draft being written) opens; one wholly credited or none at all starts a new draft with
    the appointment's treatments."""

    def opened(found: InvoiceSummaryDTO | None) -> None:
        if found is not None and found.status != Status.CREDITED:
            dialog = open_editor(ctx, parent, invoice_id=found.id)
        else:
            dialog = open_editor(ctx, parent, appointment_id=appointment_id)
        if on_open is not None:
            on_open(dialog)

    ctx.runner.run(
        lambda: invoice_for_appointment(ctx.uow(), actor=ctx.actor, appointment_id=appointment_id),
        on_done=opened,
        on_error=on_error or (lambda text: screen_kit.inform(parent, _("Invoice"), text)),
        parent=parent,
    )
