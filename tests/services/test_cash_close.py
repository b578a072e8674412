"""The daily cash close on a real SQLCipher demo clinic: the expected amount per method equals
the sum of that user's payments of the day at that PC (refunds subtracting, cash net of change,
other users and PCs apart), the close records counted amounts and differences and locks the
payments; a second close, a payment or refund after the close, a difference without comment,
a negative count and a day to come are refused and change nothing; closes are listed and read
back whole for the printed sheet; every write is in the audit trail."""

from __future__ import annotations

from collections import defaultdict
from datetime import timedelta

import pytest
from support.payment_data import (
    D,
    at_noon,
    audit_of,
    clinic_today,
    issue_invoice,
    new_patient,
    refund,
    refused,
)
from support.payment_data import actor as actor_for

from clinic_desktop.errors import InvalidTransition, PermissionDenied, ValidationError
from clinic_desktop.events import BillingChanged
from clinic_desktop.models.billing import PaymentMethod
from clinic_desktop.services.cash_close import (
    cash_day_summary,
    close_cash_day,
    get_cash_close,
    list_cash_closes,
)
from clinic_desktop.services.payments import get_payment, record_payment

M = PaymentMethod


def pay(demo, who, patient_id, amount, method, **kw):
    return record_payment(
        demo.db.uow(),
        actor=who,
        patient_id=patient_id,
        payer_name="",
        method=method,
        amount=amount,
        confirmed=True,
        **kw,
    )


def close(demo, who, day, counted, comment="", **kw):
    return close_cash_day(demo.db.uow(), actor=who, day=day, counted=counted, comment=comment, **kw)


@pytest.fixture
def day_of_work(demo):
    """Reception's day at the desk PC, plus the owner's payment there and reception's own at
    another PC, which are not reception's cash at this PC."""
    desk = actor_for(demo, "recepcion", workstation="RECEPCION-PC")
    patient = new_patient(demo)
    issue_invoice(demo, patient, [D("400.00")], days_ago=3)
    payments = [
        pay(demo, desk, patient, D("65.50"), M.CASH, tendered=D("100.00")),
        pay(demo, desk, patient, D("40.00"), M.CASH),
        pay(demo, desk, patient, D("80.00"), M.DEBIT_CARD, reference="V-1182"),
        pay(demo, desk, patient, D("120.00"), M.CREDIT_CARD),
        pay(demo, desk, patient, D("25.25"), M.TRANSFER, reference="TRX 5531"),
        pay(demo, desk, patient, D("90.00"), M.CASH),  # 20.75 of it stays as credit
    ]
    payments.append(
        refund(demo, desk, patient, D("20.75"), method=M.CASH, reason="Devuelve el anticipo")
    )
    owner = actor_for(demo, "duena", workstation="RECEPCION-PC")
    elsewhere = actor_for(demo, "recepcion", workstation="CONSULTORIO-2")
    issue_invoice(demo, patient, [D("30.00")])
    pay(demo, owner, patient, D("10.00"), M.CASH)
    pay(demo, elsewhere, patient, D("10.00"), M.CASH)
    return desk, patient, payments


def test_expected_per_method_is_the_sum_of_the_days_payments(demo, day_of_work):
    desk, _patient, payments = day_of_work
    summary = cash_day_summary(demo.db.uow(), actor=desk)
    assert summary.day == clinic_today(demo) and summary.workstation == "RECEPCION-PC"
    assert summary.user_name and summary.closed is None
    assert [p.id for p in summary.payments] == [p.id for p in payments]
    # Reconciliation: each method's expected amount is the sum of its payments' signed amounts.
    sums: dict[str, D] = defaultdict(lambda: D("0.00"))
    for p in payments:
        sums[p.method] += p.signed_amount
    rows = {r.method: r for r in summary.rows}
    assert [r.method for r in summary.rows] == [m.value for m in M]
    assert {m: r.expected for m, r in rows.items()} == {m.value: sums[m.value] for m in M}
    assert rows["cash"].expected == D("174.75")  # 65.50 + 40 + 90 - 20.75 refunded
    assert (rows["cash"].received, rows["cash"].refunded, rows["cash"].count) == (
        D("195.50"),
        D("20.75"),
        4,
    )
    assert (summary.cash_tendered, summary.cash_change) == (D("230.00"), D("34.50"))
    assert summary.cash_tendered - summary.cash_change - rows["cash"].refunded == D("174.75")
    assert summary.expected_total == sum(p.signed_amount for p in payments) == D("400.00")
    # The owner sees reception's day; a doctor may not.
    owner = actor_for(demo, "duena", workstation="OWNER-PC")
    seen = cash_day_summary(
        demo.db.uow(), actor=owner, user_id=desk.user_id, workstation="RECEPCION-PC"
    )
    assert seen.expected_total == D("400.00")
    with pytest.raises(PermissionDenied):
        cash_day_summary(demo.db.uow(), actor=actor_for(demo, "medico"))


def test_closing_records_counts_and_differences_and_locks_the_day(demo, day_of_work):
    desk, patient, payments = day_of_work
    today = clinic_today(demo)
    events: list[BillingChanged] = []
    demo.db.bus.subscribe(BillingChanged, events.append)
    counted = {
        M.CASH: D("170.75"),
        M.DEBIT_CARD: D("80.00"),
        M.CREDIT_CARD: D("120.00"),
        M.TRANSFER: D("25.25"),
    }
    error = refused(demo, ValidationError, lambda: close(demo, desk, today, counted))
    assert error.field == "comment" and error.message == (
        "Comment: explain the difference of -$4.00."
    )
    done = close(demo, desk, today, counted, "Faltan 4 dólares: cambio mal dado")
    lines = {line.method: line for line in done.lines}
    assert list(lines) == ["cash", "debit_card", "credit_card", "transfer"]
    assert (lines["cash"].expected, lines["cash"].counted, lines["cash"].difference) == (
        D("174.75"),
        D("170.75"),
        D("-4.00"),
    )
    assert all(lines[m].difference == 0 for m in ("debit_card", "credit_card", "transfer"))
    assert (done.expected_total, done.counted_total, done.difference_total) == (
        D("400.00"),
        D("396.00"),
        D("-4.00"),
    )
    assert done.payment_count == 7 and [p.id for p in done.payments] == [p.id for p in payments]
    assert all(p.cash_close_id == done.id for p in done.payments)
    assert done.comment == "Faltan 4 dólares: cambio mal dado" and done.user_name
    assert events[-1].what == "cash" and events[-1].ids == (str(done.id),)
    assert get_payment(demo.db.uow(), actor=desk, payment_id=payments[0].id).cash_close_id == (
        done.id
    )
    # Audited: the close, its lines and each payment's lock.
    assert audit_of(demo, "CashClose", done.id)[0].action == "create"
    lock = audit_of(demo, "Payment", payments[0].id)[-1]
    assert lock.action == "update" and "cash_close_id" in lock.changes

    # Read back for the sheet and the reports; the day's summary shows it closed.
    sheet = get_cash_close(demo.db.uow(), actor=desk, cash_close_id=done.id)
    assert sheet == done
    listed = list_cash_closes(demo.db.uow(), actor=desk, date_from=today, date_to=today)
    assert [c.id for c in listed] == [done.id] and listed[0].payments == ()
    summary = cash_day_summary(demo.db.uow(), actor=desk)
    assert summary.closed is not None and summary.closed.id == done.id

    # Locked: a second close, a payment and a refund are refused and change nothing.
    again = refused(demo, InvalidTransition, lambda: close(demo, desk, today, counted, "otra"))
    assert "already closed at" in again.message and done.user_name in again.message
    after = refused(demo, InvalidTransition, lambda: pay(demo, desk, patient, D(5), M.CASH))
    assert "no more payments or refunds" in after.message
    refused(
        demo,
        InvalidTransition,
        lambda: refund(demo, desk, patient, D(1), method=M.CASH, reason="x"),
    )
    # The same user at another PC, and other users here, still work.
    other_pc = actor_for(demo, "recepcion", workstation="CONSULTORIO-2")
    assert pay(demo, other_pc, patient, D(5), M.CASH).workstation == "CONSULTORIO-2"


def test_counted_equal_to_expected_needs_no_comment(demo, day_of_work):
    desk, _patient, _payments = day_of_work
    summary = cash_day_summary(demo.db.uow(), actor=desk)
    counted = {M(r.method): r.expected for r in summary.rows}
    done = close(demo, desk, summary.day, counted)
    assert done.difference_total == 0 and done.comment == ""
    assert len(done.lines) == 4  # cash, the two cards, transfer; "other" had nothing


def test_a_method_left_out_counts_as_nothing_and_differences_are_listed(demo, day_of_work):
    desk, _patient, _payments = day_of_work
    today = clinic_today(demo)
    error = refused(demo, ValidationError, lambda: close(demo, desk, today, {M.CASH: D("174.75")}))
    assert "Debit card -$80.00" in error.message and "Transfer -$25.25" in error.message


@pytest.mark.parametrize(
    "counted",
    [
        {M.DEBIT_CARD: D("-1.00")},  # nothing was refunded by card
        {M.CASH: D("-20.76")},  # below what was refunded in cash (20.75)
        {M.CASH: D("1.001")},
        {"cheque": D("1.00")},
    ],
)
def test_bad_counts_are_refused(demo, day_of_work, counted):
    desk, _patient, _payments = day_of_work
    error = refused(
        demo, ValidationError, lambda: close(demo, desk, clinic_today(demo), counted, "x")
    )
    assert error.field == "counted"


def test_a_day_that_paid_out_more_than_it_took_closes_below_zero(demo):
    """Only a refund in cash at the desk today: the cash expected is negative, and counting
    that amount closes the day with no difference to explain."""
    desk = actor_for(demo, "recepcion", workstation="RECEPCION-PC")
    patient = new_patient(demo)
    issue_invoice(demo, patient, [D("30.00")], days_ago=3)
    elsewhere = actor_for(demo, "recepcion", workstation="CONSULTORIO-2")
    pay(demo, elsewhere, patient, D("50.00"), M.CASH)  # 20.00 stays as credit
    refund(demo, desk, patient, D("20.00"), method=M.CASH, reason="Devuelve el saldo")
    closed = close(demo, desk, clinic_today(demo), {M.CASH: D("-20.00")})
    [line] = [x for x in closed.lines if x.method == M.CASH.value]
    assert (line.expected, line.counted, line.difference) == (D("-20.00"), D("-20.00"), D(0))
    assert closed.comment == "" and closed.counted_total == D("-20.00")


def test_a_day_to_come_cannot_be_closed(demo):
    desk = actor_for(demo, "recepcion")
    tomorrow = clinic_today(demo) + timedelta(days=1)
    error = refused(demo, ValidationError, lambda: close(demo, desk, tomorrow, {}))
    assert error.field == "day"


def test_a_past_day_is_closed_with_its_own_payments(demo):
    desk = actor_for(demo, "recepcion", workstation="RECEPCION-PC")
    patient = new_patient(demo)
    issue_invoice(demo, patient, [D("100.00")], days_ago=5)
    yesterday = clinic_today(demo) - timedelta(days=1)
    old = pay(demo, desk, patient, D("30.00"), M.CASH, now=at_noon(demo, yesterday))
    new = pay(demo, desk, patient, D("20.00"), M.CASH)
    assert old.day == yesterday and new.day == clinic_today(demo)
    done = close(demo, desk, yesterday, {M.CASH: D("30.00")})
    assert [p.id for p in done.payments] == [old.id]
    # Yesterday is locked, today is not.
    refused(
        demo,
        InvalidTransition,
        lambda: pay(demo, desk, patient, D(1), M.CASH, now=at_noon(demo, yesterday)),
    )
    assert pay(demo, desk, patient, D(1), M.CASH).cash_close_id is None
    listed = list_cash_closes(
        demo.db.uow(),
        actor=actor_for(demo, "duena"),
        date_from=yesterday - timedelta(days=7),
        date_to=yesterday,
    )
    assert [c.id for c in listed] == [done.id]


def test_an_empty_day_closes_with_a_zero_cash_line(demo):
    desk = actor_for(demo, "recepcion")
    done = close(demo, desk, clinic_today(demo), {})
    assert [(line.method, line.expected, line.counted) for line in done.lines] == [
        ("cash", D(0), D(0))
    ]
    assert done.payment_count == 0
