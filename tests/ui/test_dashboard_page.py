"""The owner's dashboard page on a demo clinic with the half year of support/finance_data:
shown, it loads the figures the dashboard service computes into its cards and draws them in
its charts (bars per month, the no-show line, the treatment rankings); the months chosen
change the period; a billing change reloads it; a role without financial reports is told why
and the service is never asked; a month with nothing to draw says so."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from pytestqt.qtbot import QtBot
from support.finance_data import END, seed_finance
from ui.screens_helpers import make_ctx, settle

from clinic_desktop.events import BillingChanged
from clinic_desktop.services.startup import CreatedClinic
from clinic_desktop.ui.dashboard import page as page_module
from clinic_desktop.ui.dashboard.page import DashboardPage

D = Decimal


def _page(
    demo: CreatedClinic, qtbot: QtBot, username: str = "duena", **kw: object
) -> DashboardPage:
    page = DashboardPage(make_ctx(demo, username), **kw)  # type: ignore[arg-type]
    qtbot.addWidget(page)
    page.resize(1440, 900)
    page.show()
    qtbot.waitUntil(lambda: page.data is not None or not page.allowed, timeout=3000)
    settle()
    return page


def _values(bar_set: object) -> list[float]:
    return [bar_set.at(i) for i in range(bar_set.count())]  # type: ignore[attr-defined]


def test_cards_and_charts_show_the_services_figures(demo, qtbot):
    seed_finance(demo.db, appointments=True)
    page = _page(demo, qtbot, today=END)
    page.set_months(6)
    settle()
    board = page.data
    assert board is not None and (board.date_from, board.date_to) == (date(2024, 1, 1), END)
    assert page.income_card.value_label.text() == "$438.83"
    assert page.expenses_card.value_label.text() == "$656.78"
    assert page.profit_card.value_label.text() == "-$217.95"
    assert page.no_show_card.value_label.text() == "28.6 %"
    assert page.no_show_card.note_label.text() == "2 of 8 appointments"
    assert page.receivables_card.value_label.text() == "$296.05"
    assert page.receivables_card.note_label.text() == "5 invoices owed"
    assert page.stock_card.value_label.text() == str(board.stock_alerts)
    assert "Jan 1, 2024" in page.period_label.text()
    assert page.basis_label.text().startswith("Basis: issued invoices.")

    chart = page.income_chart
    assert _values(chart.income_set) == [34.53, 49.97, 53.32, 145.0, 22.66, 133.35]
    assert _values(chart.expenses_set) == [500.0, 123.45, 0.0, 0.0, 0.0, 33.33]
    assert _values(page.appointments_chart.appointments_set) == [4, 2, 2, 0, 0, 0]
    line = page.appointments_chart.no_show_line
    assert [(p.x(), p.y()) for p in line.points()] == [(0, 25.0), (1, 0.0), (2, 100.0)]
    top = page.top_income_chart
    assert top.names == ["Blanqueamiento", "Limpieza dental", "Endodoncia unirradicular"]
    assert _values(top.bar_set) == [19.99, 164.15, 244.99]  # drawn bottom-up
    assert top.labels[0] == "Blanqueamiento  ·  $244.99"
    assert page.top_margin_chart.labels[1] == "Limpieza dental  ·  $151.29"
    assert not chart.empty_text and not top.empty_text


def test_months_choice_and_billing_changes_reload(demo, qtbot, monkeypatch):
    seed_finance(demo.db)
    page = _page(demo, qtbot, today=END)
    assert len(page.data.months) == 12
    page.set_months(6)
    settle()
    assert len(page.data.months) == 6
    calls: list[int] = []
    real = page_module.dashboard
    monkeypatch.setattr(page_module, "dashboard", lambda *a, **k: calls.append(1) or real(*a, **k))
    demo.db.bus.publish(BillingChanged(what="invoices"))
    settle()
    qtbot.waitUntil(lambda: calls == [1], timeout=2000)
    assert len(page.data.months) == 6  # reloaded with the months chosen


def test_a_role_without_financial_reports_is_told_why(demo, qtbot, monkeypatch):
    called: list[object] = []
    monkeypatch.setattr(page_module, "dashboard", lambda *a, **k: called.append(a))
    page = _page(demo, qtbot, username="recepcion")
    assert not page.allowed and called == []
    assert page.body.isHidden()
    assert "Financial reports" in page.banner.text()
    page.refresh_button.click()
    assert called == []


def test_months_with_nothing_say_so(demo, qtbot):
    page = _page(demo, qtbot, today=date(2019, 6, 30))
    assert page.income_card.value_label.text() == "$0.00"
    assert page.income_chart.empty_text == "No invoices or expenses in these months."
    assert page.top_income_chart.empty_text == "No treatments were invoiced in these months."
    assert page.no_show_card.value_label.text() == "—"
