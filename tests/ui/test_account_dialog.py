"""The patient account dialog: invoices and credit notes with their status pills and the figures
that reconcile them; taking a payment for the selected invoice, applying credit on account,
refunding what a credit note left paid (a reason is required), printing a receipt, all seen
refreshed through the event bridge; hidden actions without billing.manage; and the patients
screen's "Account…" button, shown only to those who may read accounts."""

from __future__ import annotations

from decimal import Decimal

import pytest
from PySide6.QtCore import Qt
from support.billing_pdf_data import plain_text_of
from support.payment_data import (
    actor,
    audit_of,
    invoice_state,
    issue_credit_note,
    issue_invoice,
    new_patient,
    pay,
    snapshot,
)
from ui.screens_helpers import make_ctx, settle

from clinic_desktop.ui.billing import account_dialog as account_module
from clinic_desktop.ui.billing.account_dialog import INVOICE_STATUS_COLUMN, PatientAccountDialog
from clinic_desktop.ui.billing.money_widgets import CREDIT_NOTE_COLOURS, status_pill
from clinic_desktop.ui.chart import clinical_dialog_kit
from clinic_desktop.ui.patients.page import PatientsPage
from clinic_desktop.ui.widgets import print_preview, screen_kit
from clinic_desktop.ui.widgets.forms import FieldError
from clinic_desktop.ui.widgets.pill_delegate import PillDelegate

D = Decimal


pytest_plugins = ["support.billing_ui_fixtures"]


@pytest.fixture
def quiet(monkeypatch):
    """Dialogs open without blocking, questions are declined, printing is recorded."""
    printed: list[tuple[bytes, str]] = []
    monkeypatch.setattr(clinical_dialog_kit, "open_dialog", lambda dialog: dialog.show())
    monkeypatch.setattr(account_module, "open_dialog", lambda dialog: dialog.show())
    monkeypatch.setattr(screen_kit, "confirm", lambda *_a: False)
    monkeypatch.setattr(
        print_preview, "show_pdf_preview", lambda _p, pdf, title: printed.append((pdf, title))
    )
    return printed


@pytest.fixture
def account(demo):
    """A patient who owes $50 (40 days) and $30 (5 days), and paid a $20 invoice that a
    credit note then cancelled: $20 to refund."""
    patient = new_patient(demo)
    old = issue_invoice(demo, patient, [D("50.00")], days_ago=40)
    new = issue_invoice(demo, patient, [D("30.00")], days_ago=5)
    paid = issue_invoice(demo, patient, [D("20.00")], days_ago=60)
    pay(demo, actor(demo, "recepcion"), patient, D("20.00"), allocations=[(paid, D("20.00"))])
    note = issue_credit_note(demo, paid)
    return patient, old, new, paid, note


def _statuses(dialog: PatientAccountDialog) -> list[str]:
    model = dialog.invoices_model
    return [
        model.index(i, INVOICE_STATUS_COLUMN).data(Qt.ItemDataRole.DisplayRole)
        for i in range(model.rowCount())
    ]


def _select_invoice(dialog: PatientAccountDialog, invoice_id) -> None:
    row = next(i for i, inv in enumerate(dialog.invoices_model.rows()) if inv.id == invoice_id)
    dialog.invoices_table.selectRow(row)


def test_shows_invoices_with_status_and_figures_that_reconcile(ctx, account, quiet, qtbot):
    patient, old, new, paid, note = account
    dialog = PatientAccountDialog(ctx, patient_id=patient)
    qtbot.addWidget(dialog)
    assert dialog.heading.text() == "Account of Rosa Elena Quishpe"
    rows = dialog.invoices_model.rows()
    assert [r.id for r in rows] == [paid, old, new, note]
    # Paid, then cancelled by the credit note (its money is owed back); the note in blue.
    assert _statuses(dialog) == ["Paid", "Issued", "Issued", "Issued"]
    pills = dialog.invoices_table.itemDelegateForColumn(INVOICE_STATUS_COLUMN)
    assert isinstance(pills, PillDelegate)
    assert status_pill(rows[3].status, rows[3].kind).fill == CREDIT_NOTE_COLOURS[1]
    assert rows[3].corrects_id == paid
    assert dialog.invoices_model.index(3, 1).data() == f"Credit note of {rows[0].number}"
    figures = {key: figure.value() for key, figure in dialog.figures.items()}
    assert figures == {
        "invoiced": "$100.00",
        "credited": "$20.00",
        "received": "$20.00",
        "refunded": "$0.00",
        "balance_due": "$80.00",
        "credit_on_account": "$0.00",
        "to_refund": "$20.00",
    }
    assert dialog.net_figure.value() == "$60.00"
    assert dialog.net_note.text() == "the patient owes the clinic"
    assert dialog.pay_button.isEnabled() and dialog.refund_button.isEnabled()
    assert not dialog.credit_button.isEnabled()  # no credit on account
    assert not dialog.receipt_button.isEnabled()  # no payment chosen


def test_payment_for_the_selected_invoice_refreshes_the_account(demo, ctx, account, quiet, qtbot):
    patient, old, new, _paid, _note = account
    dialog = PatientAccountDialog(ctx, patient_id=patient)
    qtbot.addWidget(dialog)
    _select_invoice(dialog, new)
    dialog.take_payment()
    payment_dialog = dialog.payment_dialog
    assert payment_dialog is not None and payment_dialog.isVisible()
    assert payment_dialog.amount_spin.decimal() == D("30.00")
    payment_dialog.method_combo.setCurrentIndex(payment_dialog.method_combo.findData("cash"))
    payment_dialog.save_button.click()
    settle()
    assert invoice_state(demo, new).status == "paid"
    assert invoice_state(demo, old).status == "issued"
    assert dialog.figures["balance_due"].value() == "$50.00"
    assert _statuses(dialog)[2] == "Paid"
    assert len(dialog.payments_model.rows()) == 2
    assert dialog.payments_model.rows()[0].id == payment_dialog.payment.id  # newest first


def test_apply_credit_on_account_to_an_invoice(demo, ctx, account, quiet, qtbot):
    patient, old, _new, _paid, _note = account
    pay(demo, actor(demo, "recepcion"), patient, D("35.00"), allocations=[], confirmed=True)
    dialog = PatientAccountDialog(ctx, patient_id=patient)
    qtbot.addWidget(dialog)
    assert dialog.figures["credit_on_account"].value() == "$35.00"
    assert dialog.credit_button.isEnabled()
    _select_invoice(dialog, old)
    dialog.apply_credit()
    credit = dialog.credit_dialog
    assert credit is not None and credit.invoice().id == old
    assert credit.amount_spin.decimal() == D("35.00")  # all the credit; the invoice owes 50
    credit.save_button.click()
    settle()
    assert invoice_state(demo, old).balance == D("15.00")
    assert dialog.figures["credit_on_account"].value() == "$0.00"
    assert not dialog.credit_button.isEnabled()


def test_refund_needs_a_reason_and_pays_back_the_credit_note(demo, ctx, account, quiet, qtbot):
    patient, _old, _new, paid, note = account
    dialog = PatientAccountDialog(ctx, patient_id=patient)
    qtbot.addWidget(dialog)
    dialog.refund()
    refund = dialog.refund_dialog
    assert refund is not None
    assert refund.source() == note and refund.amount_spin.decimal() == D("20.00")
    before = snapshot(demo)
    refund.save_button.click()
    reason = refund.findChild(FieldError, "RefundDialogError_reason")
    assert reason is not None and "say why" in reason.text() and not reason.isHidden()
    assert snapshot(demo) == before

    refund.reason_edit.setText("Tratamiento no realizado")
    refund.save_button.click()
    settle()
    assert refund.refund is not None and refund.refund.is_refund
    assert audit_of(demo, "Payment", refund.refund.id)[0].action == "create"
    assert invoice_state(demo, note).paid == D("20.00")
    assert dialog.figures["refunded"].value() == "$20.00"
    assert dialog.figures["to_refund"].value() == "$0.00"
    assert dialog.net_figure.value() == "$80.00"
    assert not dialog.refund_button.isEnabled()
    assert invoice_state(demo, paid).balance == D("0.00")


def test_print_receipt_of_the_selected_payment(ctx, account, quiet, qtbot):
    patient = account[0]
    dialog = PatientAccountDialog(ctx, patient_id=patient)
    qtbot.addWidget(dialog)
    dialog.payments_table.selectRow(0)
    assert dialog.receipt_button.isEnabled()
    dialog.receipt_button.click()
    [(pdf, title)] = quiet
    assert title == "Payment receipt"
    text = plain_text_of(pdf)
    assert dialog.payments_model.rows()[0].receipt_number in text


def test_without_billing_manage_the_account_is_refused_and_actions_hidden(
    demo, account, quiet, qtbot
):
    dialog = PatientAccountDialog(make_ctx(demo, "medico"), patient_id=account[0])
    qtbot.addWidget(dialog)
    assert not dialog.banner.isHidden() and dialog.banner.kind == "error"
    assert dialog.invoices_model.rows() == []
    assert not any(
        b.isVisibleTo(dialog)
        for b in (dialog.pay_button, dialog.credit_button, dialog.refund_button)
    )
    # The owner reads and manages it.
    owner = PatientAccountDialog(make_ctx(demo, "duena"), patient_id=account[0])
    qtbot.addWidget(owner)
    assert owner.pay_button.isVisibleTo(owner) and len(owner.invoices_model.rows()) == 4


def test_patients_screen_opens_the_account_for_those_allowed(demo, account, quiet, qtbot):
    page = PatientsPage(make_ctx(demo, "recepcion"))
    qtbot.addWidget(page)
    page.refresh()
    assert page.account_button.isVisibleTo(page) and not page.account_button.isEnabled()
    assert page.select_patient(account[0])
    assert page.account_button.isEnabled()
    page.account_button.click()
    opened = page.account_dialog
    assert isinstance(opened, PatientAccountDialog) and opened.patient_id == account[0]

    doctor = PatientsPage(make_ctx(demo, "medico"))
    qtbot.addWidget(doctor)
    assert not doctor.account_button.isVisibleTo(doctor)
