"""The payment dialog driven like the desk: the patient's open invoices prefilled oldest first
(the invoice it was opened for first), a partial payment that leaves the account owing the
rest, cash change worked out as it is typed, a payment above the debt that asks and then stays
as credit (and saves nothing when declined), refusals shown under their field with nothing
saved, and the receipt offered and printed afterwards."""

from __future__ import annotations

from decimal import Decimal

import pytest
from PySide6.QtWidgets import QDialog
from support.billing_pdf_data import plain_text_of
from support.payment_data import (
    audit_of,
    invoice_state,
    issue_invoice,
    new_patient,
    snapshot,
)

from clinic_desktop.services.accounts import patient_account
from clinic_desktop.services.payments import list_payments
from clinic_desktop.ui.billing.payment_dialog import PaymentDialog
from clinic_desktop.ui.widgets.forms import FieldError

D = Decimal


pytest_plugins = ["support.billing_ui_fixtures"]


@pytest.fixture
def owing(demo):
    """A patient with two issued invoices: $50 forty days old and $30 five days old."""
    patient = new_patient(demo)
    old = issue_invoice(demo, patient, [D("50.00")], days_ago=40)
    new = issue_invoice(demo, patient, [D("30.00")], days_ago=5)
    return patient, old, new


def _error(dialog: QDialog, field: str) -> str:
    label = dialog.findChild(FieldError, f"{dialog.objectName()}Error_{field}")
    assert label is not None
    return "" if label.isHidden() else label.text()


def _shares(dialog: PaymentDialog) -> list[Decimal]:
    return [box.decimal() for box in dialog.allocation_boxes]


def _select_method(dialog: PaymentDialog, method: str) -> None:
    dialog.method_combo.setCurrentIndex(dialog.method_combo.findData(method))


def test_prefills_the_debt_oldest_first_and_respreads_a_smaller_amount(ctx, owing, qtbot):
    patient, old, new = owing
    dialog = PaymentDialog(ctx, patient_id=patient)
    qtbot.addWidget(dialog)
    assert [inv.id for inv in dialog.invoices] == [old, new]
    assert dialog.amount_spin.decimal() == D("80.00")
    assert _shares(dialog) == [D("50.00"), D("30.00")]
    assert dialog.payer_edit.text() == "Rosa Elena Quishpe"
    dialog.amount_spin.set_decimal(D("60.00"))
    assert _shares(dialog) == [D("50.00"), D("10.00")]
    assert "$60.00" in dialog.split_label.text()

    # Opened for the newer invoice: its debt is the amount, and it is paid first.
    for_one = PaymentDialog(ctx, patient_id=patient, invoice_ids=[new])
    qtbot.addWidget(for_one)
    assert for_one.amount_spin.decimal() == D("30.00")
    assert _shares(for_one) == [D("0.00"), D("30.00")]
    for_one.amount_spin.set_decimal(D("45.00"))
    assert _shares(for_one) == [D("15.00"), D("30.00")]


def test_partial_payment_updates_the_account_and_offers_the_receipt(
    demo, ctx, owing, prompts, qtbot
):
    patient, old, new = owing
    dialog = PaymentDialog(ctx, patient_id=patient)
    qtbot.addWidget(dialog)
    _select_method(dialog, "debit_card")
    dialog.reference_edit.setText("VOU-1234")
    dialog.amount_spin.set_decimal(D("60.00"))
    # The user moves the money to the newer invoice by hand.
    dialog.allocation_boxes[0].set_decimal(D("30.00"))
    dialog.allocation_boxes[1].set_decimal(D("30.00"))
    assert dialog.hand_edited and dialog.spread_button.isVisibleTo(dialog)
    dialog.save_button.click()

    assert dialog.result() == QDialog.DialogCode.Accepted
    payment = dialog.payment
    assert payment is not None and payment.amount == D("60.00")
    assert payment.reference == "VOU-1234" and payment.method == "debit_card"
    assert invoice_state(demo, old).balance == D("20.00")
    assert invoice_state(demo, old).status == "partly_paid"
    assert invoice_state(demo, new).status == "paid"
    account = patient_account(demo.db.uow(), actor=ctx.actor, patient_id=patient)
    assert (account.balance_due, account.credit_on_account) == (D("20.00"), D("0.00"))
    assert [p.id for p in account.payments] == [payment.id]
    assert audit_of(demo, "Payment", payment.id)[0].user_name == "recepcion"
    # Recorded, then the receipt was offered (declined here: nothing printed).
    [(title, text, ok_text)] = prompts["questions"]
    assert title == "Payment recorded" and payment.receipt_number in text
    assert ok_text == "Print receipt" and prompts["printed"] == []


def test_cash_change_is_worked_out_as_typed(demo, ctx, owing, prompts, qtbot):
    patient, _old, _new = owing
    dialog = PaymentDialog(ctx, patient_id=patient)
    qtbot.addWidget(dialog)
    _select_method(dialog, "cash")
    assert dialog.tendered_spin.isVisibleTo(dialog)
    assert not dialog.reference_edit.isVisibleTo(dialog)
    dialog.tendered_spin.set_decimal(D("100.00"))
    assert dialog.change_label.text() == "Change: $20.00"
    dialog.tendered_spin.set_decimal(D("70.00"))
    assert dialog.change_label.text() == "$10.00 short"
    dialog.amount_spin.set_decimal(D("65.00"))
    assert dialog.change_label.text() == "Change: $5.00"
    dialog.tendered_spin.set_decimal(D("100.00"))
    assert dialog.change_label.text() == "Change: $35.00"
    _select_method(dialog, "transfer")
    assert not dialog.tendered_spin.isVisibleTo(dialog)
    assert dialog.change_label.text() == ""
    _select_method(dialog, "cash")
    dialog.save_button.click()

    payment = dialog.payment
    assert payment is not None
    assert (payment.amount, payment.tendered, payment.change) == (
        D("65.00"),
        D("100.00"),
        D("35.00"),
    )
    [(_title, text, _ok)] = prompts["questions"]
    assert "Change to give back: $35.00." in text


def test_overpayment_asks_then_leaves_credit_and_prints_the_receipt(
    demo, ctx, owing, prompts, qtbot
):
    patient, old, new = owing
    dialog = PaymentDialog(ctx, patient_id=patient)
    qtbot.addWidget(dialog)
    _select_method(dialog, "credit_card")
    dialog.amount_spin.set_decimal(D("100.00"))
    assert "Left on the account as credit: $20.00" in dialog.split_label.text()

    # Declining the question saves nothing.
    before = snapshot(demo)
    dialog.save_button.click()
    assert snapshot(demo) == before
    assert dialog.isVisible() or dialog.result() != QDialog.DialogCode.Accepted
    assert "$20.00" in prompts["questions"][0][1] and "credit" in prompts["questions"][0][1]
    assert prompts["questions"][0][2] == "Keep as credit"
    assert dialog.save_button.isEnabled()

    # Agreeing records it, then the receipt is printed through the preview.
    prompts["questions"].clear()
    prompts["answers"] = [True, True]
    dialog.save_button.click()
    assert dialog.result() == QDialog.DialogCode.Accepted
    assert [q[2] for q in prompts["questions"]] == ["Keep as credit", "Print receipt"]
    account = patient_account(demo.db.uow(), actor=ctx.actor, patient_id=patient)
    assert (account.balance_due, account.credit_on_account) == (D("0.00"), D("20.00"))
    assert invoice_state(demo, old).status == invoice_state(demo, new).status == "paid"
    [(pdf, title)] = prompts["printed"]
    assert title == "Payment receipt"
    text = plain_text_of(pdf)
    assert dialog.payment is not None and dialog.payment.receipt_number in text
    assert "$20.00" in text  # the credit left


def test_refusals_show_under_their_field_and_save_nothing(demo, ctx, owing, prompts, qtbot):
    patient, _old, _new = owing
    dialog = PaymentDialog(ctx, patient_id=patient)
    qtbot.addWidget(dialog)
    before = snapshot(demo)

    _select_method(dialog, "cash")
    dialog.tendered_spin.set_decimal(D("50.00"))
    dialog.save_button.click()
    assert "less than" in _error(dialog, "tendered")
    assert snapshot(demo) == before

    # The invoices' shares add up to more than is paid.
    dialog.tendered_spin.set_decimal(D("0.00"))
    dialog.amount_spin.set_decimal(D("40.00"))
    assert _shares(dialog) == [D("40.00"), D("0.00")]
    dialog.allocation_boxes[0].set_decimal(D("50.00"))
    dialog.allocation_boxes[1].set_decimal(D("30.00"))
    assert "more than the $40.00 paid" in dialog.split_label.text()
    dialog.save_button.click()
    assert _error(dialog, "tendered") == ""
    assert "more than the $40.00 paid" in _error(dialog, "allocations")

    dialog.amount_spin.set_decimal(D("0.00"))
    dialog.save_button.click()
    assert "more than zero" in _error(dialog, "amount")

    assert snapshot(demo) == before
    assert dialog.result() != QDialog.DialogCode.Accepted
    assert prompts["questions"] == []
    today = dialog.today
    assert list_payments(demo.db.uow(), actor=ctx.actor, date_from=today, date_to=today) == []


def test_a_patient_owing_nothing_pays_into_credit(demo, ctx, prompts, qtbot):
    patient = new_patient(demo, "Luis", "Andrade")
    dialog = PaymentDialog(ctx, patient_id=patient)
    qtbot.addWidget(dialog)
    assert dialog.invoices == [] and not dialog.none_label.isHidden()
    assert dialog.amount_spin.decimal() == D("0.00")
    dialog.amount_spin.set_decimal(D("25.00"))
    prompts["answers"] = [True]
    dialog.save_button.click()
    account = patient_account(demo.db.uow(), actor=ctx.actor, patient_id=patient)
    assert account.credit_on_account == D("25.00")


def test_money_box_speaks_the_ui_language(qtbot):
    from clinic_desktop.i18n import set_language
    from clinic_desktop.ui.billing.money_widgets import MoneySpinBox

    set_language("es")  # the autouse fixture puts English back
    box = MoneySpinBox("TestMoney", "EUR")
    qtbot.addWidget(box)
    assert (box.prefix(), box.suffix()) == ("", "\xa0€")
    box.set_decimal(D("12345.5"))
    assert box.text() == "12.345,50\xa0€"
    box.lineEdit().selectAll()
    qtbot.keyClicks(box, "12.5")  # the keypad's "." is the decimal comma here
    box.interpretText()
    assert box.decimal() == D("12.50")
    dollars = MoneySpinBox("TestDollars", "USD")
    qtbot.addWidget(dollars)
    assert (dollars.prefix(), dollars.suffix()) == ("$", "")
