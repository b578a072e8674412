"""The credit-note dialog against a real demo clinic: crediting part of one line returns those
products to stock, takes the note's total off the invoice and offers to print it (a PDF naming
the note and the invoice it corrects); what remains is all a second note may credit; the
reason is required and its refusal issues nothing; crediting the whole of an invoice with
payments asks first, and answering no changes nothing."""

from __future__ import annotations

from decimal import Decimal

from pytestqt.qtbot import QtBot
from support.billing_pdf_data import text_of
from support.billing_ui_fixtures import Answers
from support.invoice_data import (
    buyer,
    issued_invoice,
    line,
    product_line,
    stock_of,
    stocked_product,
)
from support.payment_data import new_patient, pay
from ui.screens_helpers import make_ctx

from clinic_desktop.services.invoices import get_invoice, list_invoices
from clinic_desktop.ui.billing.credit_note_dialog import CreditNoteDialog
from clinic_desktop.ui.widgets import screen_kit

D = Decimal


pytest_plugins = ["support.billing_ui_fixtures"]


def _issued(demo, ctx, lines, **fields):
    """Issued at this PC, as the dialog's credit notes will be (one emission point each)."""
    return issued_invoice(demo, ctx.actor, lines, **fields)


def _dialog(qtbot: QtBot, ctx, invoice) -> CreditNoteDialog:
    dialog = CreditNoteDialog(ctx, invoice=invoice)
    qtbot.addWidget(dialog)
    dialog.show()
    return dialog


def _notes(ctx) -> list[object]:
    return list_invoices(ctx.uow(), actor=ctx.actor, kind="credit_note")


def test_part_of_a_line_is_credited_back_to_stock_and_printed(
    demo, qtbot: QtBot, answers: Answers, printed: list[bytes]
) -> None:
    ctx = make_ctx(demo, "recepcion")
    brush = stocked_product(demo, "T-CEP", "Cepillo dental suave", "10", price="4.00")
    invoice = _issued(demo, ctx, [line("Consulta", "30"), product_line(brush, "3", "4.00")])
    assert stock_of(demo, brush) == D(7)
    dialog = _dialog(qtbot, ctx, invoice)
    assert dialog.whole_radio.isChecked() and not dialog.table.isEnabled()
    assert dialog.stock_check.isVisible()  # a product was sold
    assert [spin.maximum() for spin in dialog.spins] == [1.0, 3.0]
    dialog.reason_edit.setText("El paciente devolvió dos cepillos")
    dialog.set_quantity(invoice.lines[0].id, D(0))
    dialog.set_quantity(invoice.lines[1].id, D(2))
    dialog.stock_check.setChecked(True)
    # 2 x 4.00 + IVA 15 % = 9.20, worked out before issuing.
    assert dialog.total_label.text() == "Total of the credit note: $9.20"
    dialog.save()
    note = dialog.note
    assert note is not None and note.total == D("9.20") and note.corrects_id == invoice.id
    assert [(li.description, li.quantity) for li in note.lines] == [("Cepillo dental suave", D(2))]
    assert stock_of(demo, brush) == D(9)
    original = get_invoice(ctx.uow(), actor=ctx.actor, invoice_id=invoice.id)
    assert original.credited_total == D("9.20") and original.balance == invoice.total - D("9.20")
    assert "cannot be undone" in answers[0] and "Print it?" in answers[-1]
    [pdf] = printed
    text = text_of(pdf)
    assert note.number_text in text and invoice.number_text in text
    assert "El paciente devolvió dos cepillos" in text

    again = _dialog(qtbot, ctx, original)  # only what remains can be credited
    assert [(spin.maximum(), spin.decimal()) for spin in again.spins] == [(1.0, D(1)), (1.0, D(1))]


def test_the_reason_is_required_and_nothing_is_issued_without_it(
    demo, qtbot: QtBot, answers: Answers
) -> None:
    ctx = make_ctx(demo, "recepcion")
    invoice = _issued(demo, ctx, [line("Consulta", "30")])
    dialog = _dialog(qtbot, ctx, invoice)
    dialog.save()
    error = dialog.findChild(type(dialog.general_error), "CreditNoteDialogError_reason")
    assert error is not None and not error.isHidden() and "Reason" in error.text()
    assert dialog.note is None and _notes(ctx) == []
    assert get_invoice(ctx.uow(), actor=ctx.actor, invoice_id=invoice.id).credited_total == 0

    answers.no = True  # the reason is there, but the user thinks better of it
    dialog.reason_edit.setText("Duplicada")
    dialog.save()
    assert dialog.note is None and _notes(ctx) == []


def test_crediting_a_paid_invoice_asks_first(
    demo, qtbot: QtBot, answers: Answers, printed: list[bytes]
) -> None:
    ctx = make_ctx(demo, "recepcion")
    patient = new_patient(demo)
    invoice = _issued(demo, ctx, [line("Consulta", "30")], patient_id=patient, **buyer())
    pay(demo, ctx.actor, patient, D("30"))
    invoice = get_invoice(ctx.uow(), actor=ctx.actor, invoice_id=invoice.id)
    dialog = _dialog(qtbot, ctx, invoice)
    dialog.reason_edit.setText("Anulada")

    def refuse_the_refund(_parent, title, text, _ok):  # yes to issuing, no to the refund
        answers.append(f"{title}: {text}")
        return "refund" not in text

    answers_confirm = screen_kit.confirm
    screen_kit.confirm = refuse_the_refund  # type: ignore[assignment]
    try:
        dialog.save()
    finally:
        screen_kit.confirm = answers_confirm  # type: ignore[assignment]
    assert any("this credit of $30.00 leaves $30.00 to refund" in asked for asked in answers)
    assert dialog.note is None and _notes(ctx) == []

    dialog.save()  # this time agreeing to everything, printing included
    assert dialog.note is not None and dialog.note.total == D("30.00")
    assert len(printed) == 1
    original = get_invoice(ctx.uow(), actor=ctx.actor, invoice_id=invoice.id)
    assert original.credited_total == D("30.00") and original.balance == D("-30.00")
