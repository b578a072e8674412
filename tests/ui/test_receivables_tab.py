"""The receivables tab: what each debtor owes aged into 0–30, 31–60, 61–90 and over 90 days,
largest first, with the totals row; an earlier "as of" date that leaves out later invoices and
ages the rest as of then; the selected debtor's invoices; double-clicking a patient opens their
account while a buyer without one is told why not; payments arriving through the bridge; and
the refusal shown to someone without billing or finance rights."""

from __future__ import annotations

from datetime import timedelta

import pytest
from PySide6.QtCore import Qt
from support.payment_data import D, actor, clinic_today, issue_invoice, new_patient, pay
from ui.screens_helpers import make_ctx, settle

from clinic_desktop.ui.agenda.dialog_kit import to_qdate
from clinic_desktop.ui.billing import account_dialog as account_module
from clinic_desktop.ui.billing.account_dialog import PatientAccountDialog
from clinic_desktop.ui.billing.receivables_tab import ReceivablesTab, TotalsRow


@pytest.fixture
def debts(demo):
    """Andrade owes 100 (100 days) and 20 (10 days); Bravo 50 (45 days) less 10 paid; an
    insurer without a patient record 90 (70 days); Cobo paid everything."""
    desk = actor(demo, "recepcion")
    andrade = new_patient(demo, "Luis", "Andrade")
    bravo = new_patient(demo, "Ana", "Bravo")
    cobo = new_patient(demo, "Eva", "Cobo")
    issue_invoice(demo, andrade, [D("100.00")], days_ago=100, buyer_name="Luis Andrade")
    issue_invoice(demo, andrade, [D("20.00")], days_ago=10, buyer_name="Luis Andrade")
    issue_invoice(demo, bravo, [D("50.00")], days_ago=45, buyer_name="Ana Bravo")
    pay(demo, desk, bravo, D("10.00"))
    paid = issue_invoice(demo, cobo, [D("35.00")], days_ago=20, buyer_name="Eva Cobo")
    pay(demo, desk, cobo, D("35.00"), allocations=[(paid, D("35.00"))])
    issue_invoice(
        demo,
        None,
        [D("90.00")],
        days_ago=70,
        buyer_name="Seguros Andinos S.A.",
        buyer_tax_id="1790012345001",
    )
    return andrade, bravo, cobo


def _table(tab: ReceivablesTab) -> list[list[str]]:
    model = tab.model
    return [
        [model.index(r, c).data() for c in range(model.columnCount())]
        for r in range(model.rowCount())
    ]


def test_buckets_per_debtor_with_totals(demo, debts, qtbot):
    tab = ReceivablesTab(make_ctx(demo, "recepcion"))
    qtbot.addWidget(tab)
    rows = _table(tab)
    assert [row[:7] for row in rows] == [
        ["Luis Andrade", "2", "$20.00", "—", "—", "$100.00", "$120.00"],
        ["Seguros Andinos S.A.", "1", "—", "—", "$90.00", "—", "$90.00"],
        ["Ana Bravo", "1", "—", "$40.00", "—", "—", "$40.00"],
        ["Total", "4", "$20.00", "$40.00", "$90.00", "$100.00", "$250.00"],
    ]
    header = [tab.model.headerData(c, Qt.Orientation.Horizontal) for c in range(2, 6)]
    assert header == ["0–30 days", "31–60 days", "61–90 days", "Over 90 days"]
    assert tab.summary_label.text() == "$250.00 owed · 4 invoices owed · 3 debtors"
    assert isinstance(tab.rows()[-1], TotalsRow)

    tab.table.selectRow(0)
    assert tab.invoices_title.text() == "Invoices owed by Luis Andrade"
    assert [i.age_days for i in tab.invoices_model.rows()] == [100, 10]
    assert tab.account_button.isEnabled()
    tab.table.selectRow(3)
    assert len(tab.invoices_model.rows()) == 4 and not tab.account_button.isEnabled()


def test_an_earlier_date_ages_as_of_then(demo, debts, qtbot):
    tab = ReceivablesTab(make_ctx(demo, "duena"))
    qtbot.addWidget(tab)
    tab.on_box.setDate(to_qdate(clinic_today(demo) - timedelta(days=30)))
    rows = _table(tab)
    # Andrade's 10-day invoice did not exist yet; every other one is 30 days younger.
    assert [row[:7] for row in rows] == [
        ["Luis Andrade", "1", "—", "—", "$100.00", "—", "$100.00"],
        ["Seguros Andinos S.A.", "1", "—", "$90.00", "—", "—", "$90.00"],
        ["Ana Bravo", "1", "$40.00", "—", "—", "—", "$40.00"],
        ["Total", "3", "$40.00", "$90.00", "$100.00", "—", "$230.00"],
    ]


def test_double_click_opens_the_patients_account_and_follows_payments(
    demo, debts, monkeypatch, qtbot
):
    monkeypatch.setattr(account_module, "open_dialog", lambda dialog: dialog.show())
    andrade, _bravo, _cobo = debts
    tab = ReceivablesTab(make_ctx(demo, "recepcion"))
    qtbot.addWidget(tab)
    tab.table.selectRow(0)
    tab.table.doubleClicked.emit(tab.model.index(0, 0))
    dialog = tab.account_dialog
    assert isinstance(dialog, PatientAccountDialog) and dialog.patient_id == andrade
    assert dialog.figures["balance_due"].value() == "$120.00"

    tab.table.selectRow(1)  # the insurer: no patient, no account
    tab.open_selected_account()
    assert tab.account_dialog is dialog
    assert "is not a patient" in tab.banner.text()

    pay(demo, actor(demo, "recepcion"), andrade, D("100.00"))
    settle()
    assert _table(tab)[0][:7] == ["Seguros Andinos S.A.", "1", "—", "—", "$90.00", "—", "$90.00"]
    andrade_row = next(r for r in _table(tab) if r[0] == "Luis Andrade")
    assert andrade_row[2:7] == ["$20.00", "—", "—", "—", "$20.00"]
    assert dialog.figures["balance_due"].value() == "$20.00"


def test_nobody_owing_and_no_right_to_read(demo, qtbot):
    tab = ReceivablesTab(make_ctx(demo, "recepcion"))
    qtbot.addWidget(tab)
    assert tab.model.rowCount() == 0
    assert tab.summary_label.text().startswith("Nobody owes the clinic anything")
    denied = ReceivablesTab(make_ctx(demo, "asistente"))
    qtbot.addWidget(denied)
    assert denied.banner.kind == "error" and denied.data is None
