"""The printed receipt and cash-close sheet filled from the payment services, checked by the
PDFs' extracted text: the receipt names the amount, method, change, invoices settled and the
credit left; a refund's receipt is titled as one; the close sheet has the expected and counted
amounts, the difference, the comment and every payment; the preview is the same sheet marked
as a draft before anything is saved."""

from __future__ import annotations

import io
import re

from pypdf import PdfReader
from support.payment_data import D, issue_invoice, new_patient, pay, refund, snapshot
from support.payment_data import actor as actor_for

from clinic_desktop.models.billing import PaymentMethod as M
from clinic_desktop.services.cash_close import close_cash_day
from clinic_desktop.services.payment_print import (
    preview_cash_close,
    print_cash_close,
    print_payment_receipt,
)


def text_of(pdf: bytes) -> str:
    return " ".join(
        re.sub(r"\s+", " ", page.extract_text()) for page in PdfReader(io.BytesIO(pdf)).pages
    )


def test_receipts_and_the_cash_close_sheet_print_the_recorded_figures(demo):
    desk = actor_for(demo, "recepcion", workstation="RECEPCION-PC")
    patient = new_patient(demo)
    invoice_number = "001-001-000000001"
    issue_invoice(demo, patient, [D("65.50")], days_ago=2)
    cash = pay(demo, desk, patient, D("80.00"), method=M.CASH, tendered=D(100), confirmed=True)
    back = refund(demo, desk, patient, D("4.50"), reason="Anticipo devuelto")

    receipt = text_of(print_payment_receipt(demo.db.uow(), actor=desk, payment_id=cash.id))
    for expected in (cash.receipt_number, "$80.00", "Cash", "$100.00", "$20.00", "$14.50"):
        assert expected in receipt, expected
    assert invoice_number in receipt and "$65.50" in receipt
    refund_text = text_of(print_payment_receipt(demo.db.uow(), actor=desk, payment_id=back.id))
    assert "refund" in refund_text.lower() and "Anticipo devuelto" in refund_text

    counted = {M.CASH: D("70.00")}
    before = snapshot(demo)
    draft = text_of(preview_cash_close(demo.db.uow(), actor=desk, counted=counted, comment="Falta"))
    assert snapshot(demo) == before  # a preview saves nothing
    assert "DRAFT" in draft and "$75.50" in draft and "-$5.50" in draft

    done = close_cash_day(
        demo.db.uow(), actor=desk, day=cash.day, counted=counted, comment="Faltan 5,50"
    )
    sheet = text_of(print_cash_close(demo.db.uow(), actor=desk, cash_close_id=done.id))
    for expected in ("RECEPCION-PC", "$75.50", "$70.00", "-$5.50", "Faltan 5,50"):
        assert expected in sheet, expected
    assert cash.receipt_number in sheet and back.receipt_number in sheet
    assert "DRAFT" not in sheet
