"""Payments at the desk on a real SQLCipher demo clinic: partial then full payment of an
invoice, one payment spread over several invoices oldest first, chosen allocations, an
overpayment that asks and then stays as credit, cash change, the refusals (each changing
nothing), the audit trail and events, listing, and the Spanish of every message."""

from __future__ import annotations

import uuid

import pytest
from support.payment_data import (
    CASH,
    D,
    audit_of,
    draft_invoice,
    invoice_state,
    issue_credit_note,
    issue_invoice,
    new_patient,
    pay,
    refused,
)
from support.payment_data import actor as actor_for

from clinic_desktop import i18n
from clinic_desktop.errors import (
    InvalidTransition,
    NeedsConfirmation,
    NotFound,
    PermissionDenied,
    ValidationError,
)
from clinic_desktop.events import BillingChanged
from clinic_desktop.models.billing import InvoiceStatus, PaymentMethod
from clinic_desktop.services.accounts import patient_account
from clinic_desktop.services.payment_dto import method_label
from clinic_desktop.services.payments import get_payment, list_payments

pytest_plugins = ["support.payment_fixtures"]


def test_a_partial_payment_leaves_the_invoice_partly_paid_and_the_rest_pays_it(demo, desk):
    patient = new_patient(demo)
    invoice = issue_invoice(demo, patient, [D("40.00"), D("25.50")], tax_code="EC_IVA_15")
    total = invoice_state(demo, invoice).balance
    assert total == D("75.33")  # 65.50 + 15 % (9.825 -> 9.83)
    events: list[BillingChanged] = []
    demo.db.bus.subscribe(BillingChanged, events.append)

    first = pay(demo, desk, patient, D("30.00"), reference="VOUCHER 118")
    assert first.payer_name == "Rosa Elena Quishpe" and first.reference == "VOUCHER 118"
    assert [(a.invoice_id, a.amount) for a in first.allocations] == [(invoice, D("30.00"))]
    assert first.unallocated == 0 and first.received_by_id == desk.user_id
    assert first.workstation == desk.workstation and first.cash_close_id is None
    state = invoice_state(demo, invoice)
    assert state.status == InvoiceStatus.PARTLY_PAID and state.balance == D("45.33")

    second = pay(demo, desk, patient, D("45.33"), method=PaymentMethod.TRANSFER)
    state = invoice_state(demo, invoice)
    assert state.status == InvoiceStatus.PAID and state.paid == total and state.balance == 0
    assert second.method_label == "Transfer"

    account = patient_account(demo.db.uow(), actor=desk, patient_id=patient)
    assert [p.id for p in account.payments] == [first.id, second.id]
    assert account.balance_due == 0 and account.received == total and account.net_balance == 0
    assert [e.what for e in events] == ["payments", "invoices", "payments", "invoices"]
    assert events[0].ids == (str(first.id),) and events[0].patient_ids == (str(patient),)
    assert events[1].ids == (str(invoice),)
    # Audited automatically: the payment, its allocation, the invoice's new paid total.
    assert audit_of(demo, "Payment", first.id)[0].action == "create"
    assert audit_of(demo, "PaymentAllocation", first.allocations[0].id)[0].user_name == "recepcion"
    updates = [e for e in audit_of(demo, "Invoice", invoice) if e.action == "update"]
    assert len(updates) == 2 and '"paid_total"' in updates[-1].changes


def test_one_payment_settles_the_oldest_invoices_first(demo, desk):
    patient = new_patient(demo)
    recent = issue_invoice(demo, patient, [D("30.00")], days_ago=2)
    oldest = issue_invoice(demo, patient, [D("50.00")], days_ago=45)
    middle = issue_invoice(demo, patient, [D("20.00")], days_ago=10)

    payment = pay(demo, desk, patient, D("60.00"), method=CASH)
    assert [(a.invoice_id, a.amount) for a in payment.allocations] == [
        (oldest, D("50.00")),
        (middle, D("10.00")),
    ]
    assert invoice_state(demo, oldest).status == InvoiceStatus.PAID
    assert invoice_state(demo, middle).status == InvoiceStatus.PARTLY_PAID
    assert invoice_state(demo, recent).status == InvoiceStatus.ISSUED
    account = patient_account(demo.db.uow(), actor=desk, patient_id=patient)
    assert account.balance_due == D("40.00") and account.credit_on_account == 0


def test_chosen_allocations_are_checked_against_each_balance(demo, desk):
    patient = new_patient(demo)
    older = issue_invoice(demo, patient, [D("50.00")], days_ago=30)
    newer = issue_invoice(demo, patient, [D("20.00")], days_ago=3)

    error = refused(
        demo,
        ValidationError,
        lambda: pay(demo, desk, patient, D("25.00"), allocations=[(newer, D("25.00"))]),
    )
    assert "more than the $20.00 still owed" in error.message and error.field == "allocations"
    error = refused(
        demo,
        ValidationError,
        lambda: pay(
            demo, desk, patient, D("30.00"), allocations=[(newer, D("20.00")), (older, D("20"))]
        ),
    )
    assert "add up to $40.00, more than the $30.00 paid" in error.message

    payment = pay(demo, desk, patient, D("20.00"), allocations=[(newer, D("20.00"))])
    assert [a.invoice_id for a in payment.allocations] == [newer]
    assert invoice_state(demo, newer).status == InvoiceStatus.PAID
    assert invoice_state(demo, older).status == InvoiceStatus.ISSUED


def test_paying_more_than_owed_asks_and_then_keeps_the_rest_as_credit(demo, desk):
    patient = new_patient(demo)
    invoice = issue_invoice(demo, patient, [D("50.00")])

    asked = refused(demo, NeedsConfirmation, lambda: pay(demo, desk, patient, D("80.00")))
    assert "$30.00 of the $80.00 paid" in asked.message and "as credit" in asked.message
    assert "corrected with a refund" in asked.question

    payment = pay(demo, desk, patient, D("80.00"), confirmed=True)
    assert payment.allocated == D("50.00") and payment.unallocated == D("30.00")
    assert payment.patient_credit == D("30.00")
    assert invoice_state(demo, invoice).status == InvoiceStatus.PAID
    account = patient_account(demo.db.uow(), actor=desk, patient_id=patient)
    assert account.credit_on_account == D("30.00") and account.net_balance == D("-30.00")
    # With nothing owed at all the whole amount is an advance, asked the same way.
    refused(demo, NeedsConfirmation, lambda: pay(demo, desk, patient, D("10.00")))


def test_credit_without_a_patient_is_refused(demo, desk):
    invoice = issue_invoice(demo, None, [D("50.00")], buyer_name="Seguros Andinos S.A.")
    error = refused(
        demo,
        ValidationError,
        lambda: pay(
            demo, desk, None, D("60.00"), payer_name="Seguros", allocations=[(invoice, D(50))]
        ),
    )
    assert error.field == "patient"
    error = refused(
        demo, ValidationError, lambda: pay(demo, desk, None, D("50.00"), allocations=None)
    )
    assert error.field == "allocations"
    done = pay(demo, desk, None, D("50.00"), payer_name="Seguros", allocations=[(invoice, D(50))])
    assert done.patient_id is None and invoice_state(demo, invoice).status == InvoiceStatus.PAID


def test_cash_gives_change_and_tendered_less_than_the_amount_is_refused(demo, desk):
    patient = new_patient(demo)
    issue_invoice(demo, patient, [D("65.50")])
    error = refused(
        demo,
        ValidationError,
        lambda: pay(demo, desk, patient, D("65.50"), method=CASH, tendered=D(60)),
    )
    assert error.field == "tendered" and "$60.00 is less than the $65.50" in error.message
    error = refused(
        demo, ValidationError, lambda: pay(demo, desk, patient, D("65.50"), tendered=D(100))
    )
    assert error.field == "tendered"  # a card payment is not tendered

    payment = pay(demo, desk, patient, D("65.50"), method=CASH, tendered=D("100.00"))
    assert payment.tendered == D("100.00") and payment.change == D("34.50")
    assert payment.signed_amount == D("65.50")
    again = get_payment(demo.db.uow(), actor=desk, payment_id=payment.id)
    assert again.change == D("34.50") and again.allocations == payment.allocations


@pytest.mark.parametrize(
    ("amount", "field"), [(D(0), "amount"), (D(-5), "amount"), (D("1.234"), "amount")]
)
def test_amounts_must_be_positive_cents(demo, desk, amount, field):
    patient = new_patient(demo)
    issue_invoice(demo, patient, [D("10.00")])
    assert refused(demo, ValidationError, lambda: pay(demo, desk, patient, amount)).field == field


def test_drafts_credit_notes_paid_and_foreign_invoices_take_no_money(demo, desk):
    patient = new_patient(demo)
    other = new_patient(demo, "Luis", "Andrade")
    draft = draft_invoice(demo, patient, D("10.00"))
    paid = issue_invoice(demo, patient, [D("10.00")])
    pay(demo, desk, patient, D("10.00"))
    note = issue_credit_note(demo, paid)
    foreign = issue_invoice(demo, other, [D("10.00")])
    for invoice, error, text in [
        (draft, InvalidTransition, "draft"),
        (note, InvalidTransition, "credit note"),
        (paid, InvalidTransition, "nothing left to pay"),
        (foreign, ValidationError, "another patient"),
    ]:
        caught = refused(
            demo, error, lambda i=invoice: pay(demo, desk, patient, D(5), allocations=[(i, D(5))])
        )
        assert text in caught.message
    missing = refused(
        demo,
        NotFound,
        lambda: pay(demo, desk, patient, D(5), allocations=[(uuid.uuid4(), D(5))]),
    )
    assert "invoice" in missing.message


def test_a_role_without_billing_manage_cannot_take_or_read_payments(demo):
    doctor = actor_for(demo, "medico")
    patient = new_patient(demo)
    issue_invoice(demo, patient, [D("10.00")])
    refused(demo, PermissionDenied, lambda: pay(demo, doctor, patient, D("10.00")))
    with pytest.raises(PermissionDenied):
        patient_account(demo.db.uow(), actor=doctor, patient_id=patient)


def test_payments_are_listed_by_day_and_method(demo, desk):
    patient = new_patient(demo)
    issue_invoice(demo, patient, [D("90.00")])
    cash = pay(demo, desk, patient, D("30.00"), method=CASH)
    card = pay(demo, desk, patient, D("30.00"), method=PaymentMethod.CREDIT_CARD)
    day = cash.day
    listed = list_payments(demo.db.uow(), actor=desk, date_from=day, date_to=day, method=CASH)
    assert [p.id for p in listed] == [cash.id]
    both = list_payments(demo.db.uow(), actor=desk, date_from=day, date_to=day)
    assert [p.id for p in both] == [cash.id, card.id]
    assert [p.method_label for p in both] == ["Cash", "Credit card"]
    assert (
        list_payments(
            demo.db.uow(),
            actor=desk,
            date_from=day.replace(year=2000),
            date_to=day.replace(year=2000),
        )
        == []
    )


def test_method_labels_are_spanish_in_the_spanish_ui():
    # Every string's translation is checked by tests/test_translations.py; these five are
    # what reception reads on every payment.
    i18n.set_language("es")
    assert [method_label(m) for m in PaymentMethod] == [
        "Efectivo",
        "Tarjeta de débito",
        "Tarjeta de crédito",
        "Transferencia",
        "Otro",
    ]


def test_unknown_method_is_refused(demo, desk):
    patient = new_patient(demo)
    error = refused(demo, ValidationError, lambda: pay(demo, desk, patient, D(5), method="bitcoin"))
    assert error.field == "method"
