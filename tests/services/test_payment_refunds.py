"""Credit on account and refunds on a real SQLCipher demo clinic: credit from an overpayment
pays a later invoice without new money, a credit note on a paid invoice is refunded (the note
shows as refunded, the invoice as credited), a credit note on an unpaid invoice has nothing to
refund, a partial credit note refunds only what was paid beyond the new total, credit is
refunded but never beyond what is there, and the patient's account reconciles throughout."""

from __future__ import annotations

from support.payment_data import (
    CARD,
    CASH,
    D,
    invoice_state,
    issue_credit_note,
    issue_invoice,
    new_patient,
    pay,
    refund,
    refused,
)

from clinic_desktop.errors import InvalidTransition, ValidationError
from clinic_desktop.models.billing import InvoiceStatus
from clinic_desktop.services.accounts import patient_account
from clinic_desktop.services.payments import apply_credit, get_payment

pytest_plugins = ["support.payment_fixtures"]


def test_credit_on_account_pays_a_later_invoice_without_new_money(demo, desk):
    patient = new_patient(demo)
    issue_invoice(demo, patient, [D("50.00")], days_ago=5)
    first = pay(demo, desk, patient, D("80.00"), confirmed=True)
    later = issue_invoice(demo, patient, [D("45.00")])

    refused(
        demo,
        ValidationError,
        lambda: apply_credit(
            demo.db.uow(), actor=desk, patient_id=patient, invoice_id=later, amount=D("31.00")
        ),
    )
    applied = apply_credit(
        demo.db.uow(), actor=desk, patient_id=patient, invoice_id=later, amount=D("30.00")
    )
    assert applied.credit_left == 0 and applied.invoice_balance == D("15.00")
    assert applied.invoice_status == InvoiceStatus.PARTLY_PAID
    assert [(a.payment_id, a.amount) for a in applied.allocations] == [(first.id, D("30.00"))]
    account = patient_account(demo.db.uow(), actor=desk, patient_id=patient)
    assert account.credit_on_account == 0 and account.balance_due == D("15.00")
    assert account.received == D("80.00")  # no new money came in
    reprint = get_payment(demo.db.uow(), actor=desk, payment_id=first.id)
    assert reprint.unallocated == 0
    # Its receipt still says what was left on the account when it was taken.
    assert reprint.patient_credit == first.patient_credit == D("30.00")


def test_refunding_a_credit_note_pays_back_what_the_invoice_was_paid(demo, desk):
    patient = new_patient(demo)
    invoice = issue_invoice(demo, patient, [D("100.00")])
    pay(demo, desk, patient, D("100.00"), method=CASH)
    note = issue_credit_note(demo, invoice)
    account = patient_account(demo.db.uow(), actor=desk, patient_id=patient)
    assert account.to_refund == D("100.00") and account.net_balance == D("-100.00")
    assert [r.refundable for r in account.invoices if r.id == note] == [D("100.00")]

    why = "Tratamiento no realizado"
    error = refused(
        demo,
        ValidationError,
        lambda: refund(demo, desk, patient, D("100.01"), invoice_id=note, reason=why),
    )
    assert "at most $100.00" in error.message
    refused(
        demo,
        ValidationError,
        lambda: refund(demo, desk, patient, D(10), invoice_id=note, reason="  "),
    )
    returned = refund(demo, desk, patient, D("100.00"), invoice_id=note, reason=why)
    assert returned.is_refund and returned.signed_amount == D("-100.00")
    assert [(a.invoice_id, a.amount) for a in returned.allocations] == [(note, D("100.00"))]
    note_state = invoice_state(demo, note)
    assert note_state.paid == D("100.00") and note_state.balance == 0
    assert note_state.status == InvoiceStatus.PAID  # fully refunded
    assert invoice_state(demo, invoice) == invoice_state(demo, invoice).__class__(
        InvoiceStatus.CREDITED, D(0), D("100.00"), D(0)
    )
    account = patient_account(demo.db.uow(), actor=desk, patient_id=patient)
    assert account.to_refund == 0 and account.net_balance == 0 and account.refunded == D(100)
    # Nothing more to refund on it.
    refused(
        demo,
        InvalidTransition,
        lambda: refund(demo, desk, patient, D(1), invoice_id=note, reason="Otra vez"),
    )


def test_a_credit_note_on_an_unpaid_invoice_has_nothing_to_refund(demo, desk):
    patient = new_patient(demo)
    invoice = issue_invoice(demo, patient, [D("40.00")])
    note = issue_credit_note(demo, invoice)
    assert invoice_state(demo, invoice).status == InvoiceStatus.CREDITED
    error = refused(
        demo,
        InvalidTransition,
        lambda: refund(demo, desk, patient, D(40), invoice_id=note, reason="Anulada"),
    )
    assert "nothing is left to refund" in error.message


def test_a_partial_credit_note_refunds_only_what_was_paid_beyond_the_new_total(demo, desk):
    patient = new_patient(demo)
    invoice = issue_invoice(demo, patient, [D("100.00")])
    pay(demo, desk, patient, D("60.00"))
    note = issue_credit_note(demo, invoice, D("50.00"))
    assert invoice_state(demo, invoice).balance == D("-10.00")
    why = "Descuento posterior"
    refused(
        demo,
        ValidationError,
        lambda: refund(demo, desk, patient, D(11), method=CARD, invoice_id=invoice, reason=why),
    )
    returned = refund(demo, desk, patient, D(10), method=CARD, invoice_id=invoice, reason=why)
    # Paid back through the credit note that made the balance negative.
    assert [(a.invoice_id, a.amount) for a in returned.allocations] == [(note, D("10.00"))]
    state = invoice_state(demo, invoice)
    assert state.status == InvoiceStatus.PAID and state.paid == D(50) and state.balance == 0


def test_credit_on_account_is_refunded_and_never_more(demo, desk):
    patient = new_patient(demo)
    advance = pay(demo, desk, patient, D("30.00"), method=CASH, confirmed=True)
    assert advance.unallocated == D("30.00")
    why = "Devolución de anticipo"
    error = refused(
        demo,
        ValidationError,
        lambda: refund(demo, desk, patient, D("30.01"), reason=why),
    )
    assert "$30.00 of credit" in error.message
    refund(demo, desk, patient, D("12.00"), reason=why)
    account = patient_account(demo.db.uow(), actor=desk, patient_id=patient)
    assert account.credit_on_account == D("18.00")
    # The refunded part of the oldest credit is no longer there to pay an invoice with.
    later = issue_invoice(demo, patient, [D("25.00")])
    refused(
        demo,
        ValidationError,
        lambda: apply_credit(
            demo.db.uow(), actor=desk, patient_id=patient, invoice_id=later, amount=D(19)
        ),
    )
    apply_credit(demo.db.uow(), actor=desk, patient_id=patient, invoice_id=later, amount=D(18))
    account = patient_account(demo.db.uow(), actor=desk, patient_id=patient)
    assert account.credit_on_account == 0 and account.balance_due == D("7.00")


def test_the_account_reconciles_after_payments_credit_notes_and_refunds(demo, desk):
    patient = new_patient(demo)
    a = issue_invoice(demo, patient, [D("120.00")], days_ago=20)
    b = issue_invoice(demo, patient, [D("35.00"), D("10.00")], tax_code="EC_IVA_15", days_ago=9)
    pay(demo, desk, patient, D("150.00"), method=CASH, tendered=D(200))
    note = issue_credit_note(demo, a, D("40.00"))
    refund(demo, desk, patient, D("15.00"), invoice_id=note, reason="Ajuste")
    pay(demo, desk, patient, D("25.00"), confirmed=True)  # 21.75 left on b, 3.25 credit
    issue_invoice(demo, patient, [D("8.00")])
    account = patient_account(demo.db.uow(), actor=desk, patient_id=patient)
    assert account.net_balance == (
        account.invoiced - account.credited - account.received + account.refunded
    )
    assert account.net_balance == (
        account.balance_due - account.credit_on_account - account.to_refund
    )
    assert sum((r.balance for r in account.invoices if r.kind == "invoice"), D(0)) == (
        account.net_balance + account.credit_on_account
    )
    assert invoice_state(demo, b).status == InvoiceStatus.PAID
    assert (account.balance_due, account.credit_on_account, account.to_refund) == (
        D("8.00"),
        D("3.25"),
        D("25.00"),
    )
