"""Patient accounts and receivables aging on a real SQLCipher demo clinic: invoices of various
ages fall into 0-30, 31-60, 61-90 and over 90 days by issue date, per patient or buyer, with
totals equal to the open balances; paid, credited, draft and future invoices stay out; the
account lists what was invoiced, paid, credited and refunded; who may read them."""

from __future__ import annotations

from datetime import timedelta

import pytest
from support.payment_data import (
    D,
    clinic_today,
    draft_invoice,
    issue_credit_note,
    issue_invoice,
    new_patient,
)
from support.payment_data import actor as actor_for

from clinic_desktop.errors import NotFound, PermissionDenied
from clinic_desktop.models.billing import PaymentMethod
from clinic_desktop.services.accounts import aging_bucket, patient_account, receivables
from clinic_desktop.services.payments import record_payment


def pay(demo, who, patient_id, amount):
    return record_payment(
        demo.db.uow(),
        actor=who,
        patient_id=patient_id,
        payer_name="",
        method=PaymentMethod.CASH,
        amount=amount,
    )


@pytest.mark.parametrize(
    ("age", "bucket"),
    [(0, 0), (30, 0), (31, 1), (60, 1), (61, 2), (90, 2), (91, 3), (400, 3)],
)
def test_bucket_edges(age, bucket):
    assert aging_bucket(age) == bucket


def test_receivables_age_open_balances_by_issue_date_per_debtor(demo):
    desk = actor_for(demo, "recepcion")
    today = clinic_today(demo)
    rosa = new_patient(demo)
    luis = new_patient(demo, "Luis Alberto", "Andrade")
    # Rosa: invoices at the buckets' edges; the payment settles the oldest first.
    for days, price in [(0, "10.00"), (30, "20.00"), (31, "40.00"), (75, "80.00"), (91, "5.00")]:
        issue_invoice(demo, rosa, [D(price)], days_ago=days)
    pay(demo, desk, rosa, D("7.00"))  # 5.00 pays the 91-day one, 2.00 goes on the 75-day one
    issue_invoice(demo, rosa, [D("1000.00")], issue_date=today + timedelta(days=5))  # not yet
    # Luis: a 61-day invoice; a paid one, a credited one and a draft stay out; then 120 days.
    issue_invoice(demo, luis, [D("33.33")], days_ago=61)
    paid = issue_invoice(demo, luis, [D("12.00")], days_ago=100)
    pay(demo, desk, luis, D("12.00"))  # the oldest: the 100-day one
    issue_credit_note(demo, issue_invoice(demo, luis, [D("9.00")], days_ago=200))
    draft_invoice(demo, luis, D("99.00"))
    issue_invoice(demo, luis, [D("7.77")], days_ago=120)
    # An insurer billed without a patient.
    issue_invoice(
        demo,
        None,
        [D("150.00")],
        days_ago=45,
        buyer_name="Seguros Andinos S.A.",
        buyer_tax_id="1790011223001",
    )

    report = receivables(demo.db.uow(), actor=desk, on=today)
    by_debtor = {row.debtor: row for row in report.rows}
    assert list(by_debtor) == [
        "Seguros Andinos S.A.",  # largest total first
        "Rosa Elena Quishpe",
        "Luis Alberto Andrade",
    ]
    rosa_row = by_debtor["Rosa Elena Quishpe"]
    assert rosa_row.buckets == (D("30.00"), D("40.00"), D("78.00"), D("0.00"))
    assert rosa_row.total == D("148.00") and rosa_row.patient_id == rosa
    assert [(i.age_days, i.bucket) for i in rosa_row.invoices] == [
        (75, 2),
        (31, 1),
        (30, 0),
        (0, 0),
    ]
    assert by_debtor["Luis Alberto Andrade"].buckets == (D(0), D(0), D("33.33"), D("7.77"))
    insurer = by_debtor["Seguros Andinos S.A."]
    assert insurer.patient_id is None and insurer.buckets == (D(0), D("150.00"), D(0), D(0))
    assert paid not in {i.invoice_id for row in report.rows for i in row.invoices}
    assert report.totals == (D("30.00"), D("190.00"), D("111.33"), D("7.77"))
    assert report.total == sum(row.total for row in report.rows) == D("339.10")
    assert report.invoice_count == 7
    assert report.bucket_labels == ("0–30 days", "31–60 days", "61–90 days", "Over 90 days")

    # A month ago: the invoices issued since are out and the others were younger.
    earlier = receivables(demo.db.uow(), actor=desk, on=today - timedelta(days=31))
    assert earlier.totals == (D("223.33"), D("78.00"), D("7.77"), D("0.00"))
    assert earlier.total == D("309.10") and earlier.invoice_count == 5


def test_the_owner_reads_receivables_and_a_doctor_may_not(demo):
    on = clinic_today(demo)
    issue_invoice(demo, new_patient(demo), [D("10.00")])
    assert receivables(demo.db.uow(), actor=actor_for(demo, "duena"), on=on).total == D("10.00")
    with pytest.raises(PermissionDenied):
        receivables(demo.db.uow(), actor=actor_for(demo, "medico"), on=on)


def test_the_patient_account_lists_invoices_credit_notes_and_payments(demo):
    desk = actor_for(demo, "recepcion")
    patient = new_patient(demo)
    first = issue_invoice(demo, patient, [D("60.00")], days_ago=3)
    second = issue_invoice(demo, patient, [D("20.00")], days_ago=1)
    payment = pay(demo, desk, patient, D("70.00"))
    note = issue_credit_note(demo, second, D("5.00"))
    draft_invoice(demo, patient, D("44.00"))
    account = patient_account(demo.db.uow(), actor=desk, patient_id=patient)
    assert account.patient_name == "Rosa Elena Quishpe" and account.currency == "USD"
    rows = {r.id: r for r in account.invoices}
    assert set(rows) == {first, second, note}  # the draft is not on the account
    assert (rows[first].paid, rows[first].balance, rows[first].status) == (D(60), D(0), "paid")
    assert (rows[second].paid, rows[second].credited, rows[second].balance) == (
        D(10),
        D(5),
        D(5),
    )
    assert rows[note].corrects_number == rows[second].number and rows[note].kind == "credit_note"
    assert rows[note].refundable == 0  # the invoice still owes more than it was paid
    assert [p.id for p in account.payments] == [payment.id]
    assert (account.invoiced, account.credited, account.received) == (D(80), D(5), D(70))
    assert account.balance_due == D("5.00") and account.net_balance == D("5.00")


def test_an_unknown_patient_has_no_account(demo):
    import uuid

    with pytest.raises(NotFound):
        patient_account(demo.db.uow(), actor=actor_for(demo, "recepcion"), patient_id=uuid.uuid4())
