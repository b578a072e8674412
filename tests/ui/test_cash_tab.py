"""The cash tab driven like reception at the end of the day: the expected amount per method
from the day's payments (cash net of change, refunds subtracted), counts typed with their
differences shown live, a difference that needs a comment before anything is asked or saved,
the close recorded after confirming and its sheet printed, the closed day shown locked, a
second close refused with nothing changed, the draft preview and the reprint of a past close
(checked by the PDFs' text), and new payments appearing through the event bridge."""

from __future__ import annotations

from datetime import timedelta

import pytest
from support.billing_pdf_data import plain_text_of
from support.payment_data import (
    D,
    actor,
    at_noon,
    audit_of,
    clinic_today,
    issue_invoice,
    new_patient,
    pay,
    refund,
    snapshot,
)
from ui.screens_helpers import make_ctx, settle

from clinic_desktop.services.cash_close import close_cash_day, list_cash_closes
from clinic_desktop.ui.billing.cash_tab import CashTab
from clinic_desktop.ui.style import DANGER

pytest_plugins = ["support.billing_ui_fixtures"]


@pytest.fixture
def desk(demo):
    """Reception's day: cash 30 (50 handed over), cash 25 of which 5 stays as credit and is
    refunded in cash, a debit card payment of 20."""
    who = actor(demo, "recepcion")
    patient = new_patient(demo)
    issue_invoice(demo, patient, [D("70.00")], days_ago=4)
    pay(demo, who, patient, D("30.00"), method="cash", tendered=D("50.00"))
    pay(demo, who, patient, D("20.00"), reference="V-77")
    pay(demo, who, patient, D("25.00"), method="cash", confirmed=True)
    refund(demo, who, patient, D("5.00"))
    return who, patient


def test_expected_per_method_and_live_differences(ctx, desk, prompts, qtbot):
    tab = CashTab(ctx)
    qtbot.addWidget(tab)
    count = tab.count
    assert count.expected_labels["cash"].text() == "$50.00"  # 30 + 25 - 5 refunded
    assert count.received_labels["cash"].text() == "$55.00"
    assert count.refunded_labels["cash"].text() == "-$5.00"
    assert count.count_labels["cash"].text() == "3"
    assert count.expected_labels["debit_card"].text() == "$20.00"
    assert count.expected_total.text() == "$70.00"
    assert count.cash_hint.text() == (
        "Cash handed over by payers: $75.00; change given back: $20.00."
    )
    assert len(tab.payments_model.rows()) == 4
    assert tab.state_label.text() == "Day open"
    assert "Carla Mendoza" in tab.who_label.text() or tab.who_label.text().startswith("Cash of")

    count.counted_spins["cash"].set_decimal(D("45.00"))
    count.counted_spins["debit_card"].set_decimal(D("20.00"))
    assert count.difference_labels["cash"].text() == "-$5.00"
    assert DANGER in count.difference_labels["cash"].styleSheet()
    assert count.difference_labels["debit_card"].text() == "—"
    assert count.difference_total.text() == "-$5.00"
    assert "say why" in count.comment_hint.text()
    count.fill_expected()
    assert count.counted() == {
        "cash": D("50.00"),
        "debit_card": D("20.00"),
        "credit_card": D("0.00"),
        "transfer": D("0.00"),
        "other": D("0.00"),
    }
    assert count.difference_total.text() == "$0.00"
    assert count.comment_hint.text() == "Every count matches what was expected."


def test_a_difference_needs_a_comment_then_the_close_is_recorded_and_printed(
    demo, ctx, desk, prompts, qtbot
):
    tab = CashTab(ctx)
    qtbot.addWidget(tab)
    tab.count.counted_spins["cash"].set_decimal(D("48.00"))
    tab.count.counted_spins["debit_card"].set_decimal(D("20.00"))
    before = snapshot(demo)
    tab.close_button.click()
    assert not tab.count.comment_error.isHidden()
    assert tab.count.comment_error.text() == "Comment: explain the difference of -$2.00."
    assert prompts["questions"] == [] and snapshot(demo) == before

    tab.count.comment_edit.setPlainText("Faltan monedas de un cambio")
    assert tab.count.comment_error.isHidden()
    tab.close_button.click()  # declined: nothing closed
    assert len(prompts["questions"]) == 1 and snapshot(demo) == before
    assert "$68.00" in prompts["questions"][0][1]

    prompts["answers"] = [True]
    tab.close_button.click()
    today = clinic_today(demo)
    [close] = list_cash_closes(demo.db.uow(), actor=ctx.actor, date_from=today, date_to=today)
    assert (close.expected_total, close.counted_total) == (D("70.00"), D("68.00"))
    assert close.comment == "Faltan monedas de un cambio" and close.payment_count == 4
    assert audit_of(demo, "CashClose", close.id)[0].user_name == "recepcion"
    [(pdf, title)] = prompts["printed"]
    assert title.startswith("Cash close")
    text = plain_text_of(pdf)
    assert "Faltan monedas de un cambio" in text and "68.00" in text

    settle()
    assert tab.state_label.text().startswith("Closed ")
    assert not tab.close_button.isVisibleTo(tab) and tab.print_button.isVisibleTo(tab)
    assert tab.count.counted_spins["cash"].isReadOnly()
    assert tab.count.counted_spins["cash"].decimal() == D("48.00")
    assert [c.id for c in tab.closes] == [close.id]
    assert "closed" in tab.banner.text()


def test_a_second_close_is_refused_and_changes_nothing(demo, ctx, desk, prompts, qtbot):
    who, _patient = desk
    tab = CashTab(ctx)
    qtbot.addWidget(tab)
    tab.count.fill_expected()
    # Meanwhile the same day is closed (another window of the same user at this PC).
    close_cash_day(
        demo.db.uow(),
        actor=who,
        day=clinic_today(demo),
        counted={"cash": D("50.00"), "debit_card": D("20.00")},
    )
    before = snapshot(demo)
    prompts["answers"] = [True]
    tab.close_day()
    assert snapshot(demo) == before
    assert "already closed" in tab.banner.text() and tab.banner.kind == "error"
    assert prompts["printed"] == []
    settle()  # the bridge brings the close in: the day shows locked
    assert not tab.close_button.isVisibleTo(tab)


def test_preview_sheet_and_reprint_of_a_past_close(demo, ctx, desk, prompts, qtbot):
    who, patient = desk
    yesterday = clinic_today(demo) - timedelta(days=1)
    moment = at_noon(demo, yesterday)
    pay(demo, who, patient, D("12.00"), method="transfer", confirmed=True, now=moment)
    past = close_cash_day(demo.db.uow(), actor=who, day=yesterday, counted={"transfer": D("12.00")})
    tab = CashTab(ctx)
    qtbot.addWidget(tab)
    tab.count.counted_spins["cash"].set_decimal(D("50.00"))
    tab.count.comment_edit.setPlainText("Borrador de prueba")
    before = snapshot(demo)
    tab.preview_button.click()
    [(pdf, title)] = prompts["printed"]
    assert title.endswith("(draft)")
    assert "Borrador de prueba" in plain_text_of(pdf)
    assert snapshot(demo) == before  # previewing writes nothing
    closes = list_cash_closes(
        demo.db.uow(), actor=ctx.actor, date_from=yesterday, date_to=clinic_today(demo)
    )
    assert [c.id for c in closes] == [past.id]

    assert [c.id for c in tab.closes] == [past.id]
    assert not tab.reprint_button.isEnabled()
    tab.closes_table.selectRow(0)
    assert tab.reprint_button.isEnabled()
    tab.reprint_button.click()
    pdf, title = prompts["printed"][1]
    assert "12.00" in plain_text_of(pdf) and title.startswith("Cash close")

    # Yesterday chosen: shown closed, with its own payments.
    tab.day_box.setDate(tab.day_box.date().addDays(-1))
    assert tab.summary is not None and tab.summary.closed is not None
    assert len(tab.payments_model.rows()) == 1
    assert tab.print_button.isVisibleTo(tab) and not tab.preview_button.isVisibleTo(tab)


def test_new_payments_arrive_through_the_bridge(demo, ctx, prompts, qtbot):
    tab = CashTab(ctx)
    qtbot.addWidget(tab)
    assert tab.payments_model.rows() == []
    assert tab.count.expected_total.text() == "$0.00"
    patient = new_patient(demo)
    issue_invoice(demo, patient, [D("40.00")])
    pay(demo, actor(demo, "recepcion"), patient, D("40.00"), method="cash")
    settle()
    assert len(tab.payments_model.rows()) == 1
    assert tab.count.expected_labels["cash"].text() == "$40.00"


def test_without_billing_manage_the_refusal_is_shown(demo, prompts, qtbot):
    tab = CashTab(make_ctx(demo, "medico"))
    qtbot.addWidget(tab)
    assert tab.banner.kind == "error" and tab.summary is None
    assert not tab.close_button.isEnabled()


def test_a_day_with_only_a_cash_refund_counts_below_zero(demo, ctx, prompts, qtbot):
    """Refunds took more cash out than came in: the expected cash is negative, the count can
    follow it (down to what was refunded, no further) and the day closes with no comment."""
    who = actor(demo, "recepcion")
    patient = new_patient(demo)
    issue_invoice(demo, patient, [D("30.00")], days_ago=3)
    pay(demo, actor(demo, "duena"), patient, D("40.00"), method="cash", confirmed=True)
    refund(demo, who, patient, D("10.00"))
    tab = CashTab(ctx)
    qtbot.addWidget(tab)
    count = tab.count
    assert count.expected_labels["cash"].text() == "-$10.00"
    count.counted_spins["cash"].set_decimal(D("-25.00"))
    assert count.counted_spins["cash"].decimal() == D("-10.00")  # no lower than the refunds
    count.fill_expected()
    assert count.counted()["cash"] == D("-10.00")
    assert count.difference_total.text() == "$0.00"
    prompts["answers"] = [True]
    tab.close_button.click()
    today = clinic_today(demo)
    [close] = list_cash_closes(demo.db.uow(), actor=ctx.actor, date_from=today, date_to=today)
    assert (close.expected_total, close.counted_total, close.comment) == (
        D("-10.00"),
        D("-10.00"),
        "",
    )
