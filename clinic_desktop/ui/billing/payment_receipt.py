"""Printing a payment's or refund's receipt through the print preview, and, right after one is
recorded, saying what was recorded (the change to give back, the credit left) and offering to
print it. The prompts go through screen_kit and print_preview so tests replace them."""

from __future__ import annotations

import uuid

from PySide6.QtWidgets import QWidget

from clinic_desktop.i18n import _
from clinic_desktop.services.payment_dto import PaymentDTO
from clinic_desktop.services.payment_print import print_payment_receipt
from clinic_desktop.ui.billing.money_widgets import ZERO, money_text
from clinic_desktop.ui.context import UiContext
from clinic_desktop.ui.widgets import print_preview, screen_kit


def print_receipt(ctx: UiContext, parent: QWidget, payment_id: uuid.UUID) -> None:
    """The receipt of a payment or refund in the print preview."""
    ctx.runner.run(
        lambda: print_payment_receipt(ctx.uow(), actor=ctx.actor, payment_id=payment_id),
        on_done=lambda pdf: print_preview.show_pdf_preview(parent, pdf, _("Payment receipt")),
        on_error=lambda text: screen_kit.inform(parent, _("Could not print"), text),
        busy_text=_("Preparing the receipt…"),
        parent=parent,
    )


def offer_receipt(ctx: UiContext, parent: QWidget, payment: PaymentDTO) -> None:
    """Says what was recorded and prints the receipt if the user wants it."""
    if payment.is_refund:
        title = _("Refund recorded")
        text = _("{amount} paid back by {method} (receipt {number}).")
    else:
        title = _("Payment recorded")
        text = _("{amount} received by {method} (receipt {number}).")
    text = text.format(
        amount=money_text(payment.amount, payment.currency),
        method=payment.method_label,
        number=payment.receipt_number,
    )
    if payment.change > ZERO:
        text += "\n" + _("Change to give back: {change}.").format(
            change=money_text(payment.change, payment.currency)
        )
    if payment.patient_credit > ZERO:
        text += "\n" + _("Credit left on the account: {credit}.").format(
            credit=money_text(payment.patient_credit, payment.currency)
        )
    question = text + "\n\n" + _("Print the receipt?")
    if screen_kit.confirm(parent, title, question, _("Print receipt")):
        print_receipt(ctx, parent, payment.id)
