"""The owner's dashboard on the half year of support/finance_data with its appointments: the
months' income and expenses are the income report's, to the cent; appointments fall in their
month on the clinic's calendar and the no-show rate sets no-shows against patients seen;
treatments rank by income and by margin over the months shown only; stock alerts and
receivables are the figures their own services and reports give. Also who may see it."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
from support.clinical_actors import actor as actor_of
from support.finance_data import END, START, seed_finance

from clinic_desktop.errors import PermissionDenied, ValidationError
from clinic_desktop.services.dashboard import dashboard
from clinic_desktop.services.finance_reports import report_income_expenses
from clinic_desktop.services.finance_reports_ledger import report_receivables
from clinic_desktop.services.stock_alerts import stock_alerts

D = Decimal


def test_months_match_the_income_report(demo):
    seed_finance(demo.db, appointments=True)
    owner = actor_of(demo, "duena")
    uow = demo.db.uow
    board = dashboard(uow(), actor=owner, months=6, today=END)
    report = report_income_expenses(uow(), actor=owner, date_from=START, date_to=END)
    assert (board.date_from, board.date_to) == (START, END)
    assert [m.label for m in board.months] == [
        "Jan 2024", "Feb 2024", "Mar 2024", "Apr 2024", "May 2024", "Jun 2024",
    ]  # fmt: skip
    assert [(m.income, m.expenses, m.profit) for m in board.months] == [
        (report.value(r, "income"), report.value(r, "expenses"), report.value(r, "profit"))
        for r in report.rows
    ]
    assert (board.income, board.expenses, board.profit) == (
        D("438.83"), D("656.78"), D("-217.95"),
    )  # fmt: skip
    assert board.currency == "USD"
    assert board.basis.startswith("Basis: issued invoices.")


def test_appointments_and_no_show_rate(demo):
    seed_finance(demo.db, appointments=True)
    board = dashboard(demo.db.uow(), actor=actor_of(demo, "duena"), months=6, today=END)
    figures = [(m.appointments, m.attended, m.no_shows, m.no_show_rate) for m in board.months]
    # January: three seen (one at 23:30 local on the 31st, February in UTC) and a no-show;
    # the cancelled one is not an appointment. March: a no-show and one never marked.
    assert figures == [
        (4, 3, 1, D("0.25")),
        (2, 2, 0, D(0)),
        (2, 0, 1, D(1)),
        (0, 0, 0, None),
        (0, 0, 0, None),
        (0, 0, 0, None),
    ]
    assert (board.appointments, board.no_shows) == (8, 2)
    assert board.no_show_rate == D("0.2857")  # 2 ÷ (5 seen + 2)


def test_top_treatments_by_income_and_margin(demo):
    seed_finance(demo.db)
    owner = actor_of(demo, "duena")
    board = dashboard(demo.db.uow(), actor=owner, months=6, today=END)
    assert [(t.code, t.income) for t in board.top_by_income] == [
        ("FN-BLA", D("244.99")),
        ("FN-LIM", D("164.15")),
        ("FN-END", D("19.99")),
    ]
    cleaning = next(t for t in board.top_by_margin if t.code == "FN-LIM")
    # 5 cleanings × 3 brushes × 0.8571 = 12.8565 → 12.86.
    assert (cleaning.quantity, cleaning.recipe_cost, cleaning.margin) == (
        D(5), D("12.86"), D("151.29"),
    )  # fmt: skip
    assert [t.code for t in board.top_by_margin] == ["FN-BLA", "FN-LIM", "FN-END"]
    # Only the months shown count: by March the whitening had not been done yet.
    early = dashboard(demo.db.uow(), actor=owner, months=3, today=date(2024, 3, 31), top=1)
    assert [(t.code, t.income) for t in early.top_by_income] == [("FN-LIM", D("64.16"))]


def test_stock_alerts_and_receivables_are_their_services_figures(demo):
    seed_finance(demo.db)
    owner = actor_of(demo, "duena")
    uow = demo.db.uow
    board = dashboard(uow(), actor=owner)
    alerts = stock_alerts(uow(), actor=owner)
    assert board.stock_alerts == alerts.total >= 1  # the brushes are out of stock
    assert board.stock_low == len(alerts.low) + len(alerts.out)
    owed = report_receivables(uow(), actor=owner)
    assert (board.receivables, board.receivables_count) == (D("296.05"), 5)
    assert board.receivables == owed.value(owed.totals[0], "balance")
    assert len(board.months) == 12 and board.months[-1].month.month == board.today.month


def test_dashboard_needs_finance_reports(demo):
    with pytest.raises(PermissionDenied):
        dashboard(demo.db.uow(), actor=actor_of(demo, "recepcion"))
    with pytest.raises(ValidationError) as bad:
        dashboard(demo.db.uow(), actor=actor_of(demo, "duena"), months=0)
    assert bad.value.field == "months"
