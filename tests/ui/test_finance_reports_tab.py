"""The finance reports tab on a real demo clinic with the half year of support/finance_data:
each of the seven reports runs from its parameters and shows the figures the services compute
(reconciling with each other on screen), with its basis under the table; the basis and the
grouping change the figures; the inputs follow the chosen report and the named periods set
the dates; a bad choice is shown under its field and nothing runs; the shown report saves as
the accountant's CSV (Spanish Excel conventions when the UI is Spanish) and prints as a PDF
through the preview, both driven without modal dialogs; a doctor without reports.finance is
told why, cannot run them, and the service refuses if pressed anyway; running writes nothing
to the audit trail; and a billing change marks a shown report as out of date."""

from __future__ import annotations

import io
from datetime import date, timedelta
from pathlib import Path

import pytest
from pypdf import PdfReader
from pytestqt.qtbot import QtBot
from sqlalchemy import func, select
from support.finance_data import END, START, FinanceData, seed_finance
from ui.screens_helpers import make_ctx, settle

from clinic_desktop import i18n
from clinic_desktop.actor import Actor
from clinic_desktop.events import BillingChanged
from clinic_desktop.models.audit import AuditEntry
from clinic_desktop.services.startup import CreatedClinic
from clinic_desktop.ui.billing import finance_reports_tab
from clinic_desktop.ui.billing.finance_reports_params import SPECS
from clinic_desktop.ui.billing.finance_reports_tab import FinanceReportsTab, file_stem
from clinic_desktop.ui.widgets.report_params import qdate

KEYS = [spec.key for spec in SPECS]


@pytest.fixture
def data(demo: CreatedClinic) -> FinanceData:
    return seed_finance(demo.db)


def _tab(demo: CreatedClinic, qtbot: QtBot, username: str = "duena") -> FinanceReportsTab:
    tab = FinanceReportsTab(make_ctx(demo, username))
    qtbot.addWidget(tab)
    settle()
    return tab


def _run(tab: FinanceReportsTab, key: str, *, half_year: bool = True) -> None:
    tab.select_report(key)
    if half_year:
        tab.params.set_dates(START, END)
    tab.params.run_button.click()
    settle()


def _cells(tab: FinanceReportsTab) -> list[list[str]]:
    model = tab.model
    return [
        [model.text(row, column) for column in range(model.columnCount())]
        for row in range(model.rowCount())
    ]


def _column(tab: FinanceReportsTab, key: str) -> int:
    report = tab.shown_report()
    assert report is not None
    return next(i for i, c in enumerate(report.columns) if c.key == key)


def _total(tab: FinanceReportsTab, key: str) -> str:
    return _cells(tab)[-1][_column(tab, key)]


def _audit_count(demo: CreatedClinic) -> int:
    with demo.db.uow().transaction(Actor.system("tests")) as session:
        return session.scalar(select(func.count()).select_from(AuditEntry)) or 0


def test_every_report_runs_reconciles_and_states_its_basis(demo, data, qtbot):
    tab = _tab(demo, qtbot)
    assert tab.current_key() == "income_expenses"
    assert tab.period_label.text() == "Choose the options and press Run."
    assert tab.basis_label.isHidden()
    assert not tab.csv_button.isEnabled() and not tab.print_button.isEnabled()
    audited = _audit_count(demo)
    shown: dict[str, list[list[str]]] = {}
    for key in KEYS:
        _run(tab, key)
        report = tab.shown_report()
        assert report is not None and report.key == key and tab.reports[key] is report
        assert tab.model.rowCount() == len(report.rows) + len(report.totals) > 1
        assert tab.basis_label.text().startswith("How these figures are computed: Basis:")
        assert not tab.basis_label.isHidden()
        assert tab.csv_button.isEnabled() and tab.print_button.isEnabled()
        shown[key] = _cells(tab)
        if key == "receivables":
            assert "Balances as of" in tab.period_label.text()
        else:
            assert tab.period_label.text().startswith("Jan 1, 2024 – Jun 30, 2024")

    # Each report as the services compute it, and the same income wherever it appears.
    tab.select_report("income_expenses")
    months = {row[0]: row[1:] for row in _cells(tab)}
    assert months["Jan 2024"] == ["$34.53", "$0.00", "$34.53", "$500.00", "-$465.47"]
    assert _total(tab, "income") == "$438.83"
    tab.select_report("income_by_practitioner")
    people = {row[0]: row[_column(tab, "income")] for row in _cells(tab)}
    assert people["Dra. Inés Ordóñez"] == "$271.17" and people["Dr. Mateo Benítez"] == "$161.66"
    assert _total(tab, "income") == "$438.83"
    tab.select_report("income_by_treatment")
    assert _total(tab, "income") == "$438.83"
    tab.select_report("tax_summary")
    assert _total(tab, "base") == "$438.83" and _total(tab, "tax_amount") == "$38.09"
    tab.select_report("income_by_method")
    methods = {row[0]: row[_column(tab, "net")] for row in _cells(tab)}
    assert methods["Cash"] == "$44.56" and _total(tab, "net") == "$223.80"
    assert tab.basis_label.text().startswith(
        "How these figures are computed: Basis: payments received."
    )
    tab.select_report("receivables")
    buyers = [row[_column(tab, "buyer")] for row in _cells(tab)[:-1]]
    assert buyers == [f"Comprador {n}" for n in ("I6", "I4", "I8", "I9", "I7")]
    assert _total(tab, "balance") == "$296.05"
    tab.select_report("cash_closes")
    assert [row[-1] for row in shown["cash_closes"][:-1]] == ["", "Faltan 5 centavos"]
    assert tab.basis_label.text().startswith("How these figures are computed: Basis: cash closes.")
    # Reports only read.
    assert _audit_count(demo) == audited


def test_switching_basis_and_grouping_changes_the_figures(demo, data, qtbot):
    tab = _tab(demo, qtbot)
    params = tab.params
    _run(tab, "income_expenses")
    headers = [c.header for c in tab.shown_report().columns]
    assert headers[1:3] == ["Invoiced", "Credit notes"] and _total(tab, "income") == "$438.83"
    assert "Basis: issued invoices" in tab.period_label.text()

    params.choose(params.basis_combo, "payments")
    params.run_button.click()
    settle()
    headers = [c.header for c in tab.shown_report().columns]
    assert headers[1:3] == ["Collected", "Refunds"]
    assert _total(tab, "income") == "$223.80" and _total(tab, "expenses") == "$679.30"
    assert "Basis: payments received" in tab.period_label.text()
    assert tab.basis_label.text().startswith(
        "How these figures are computed: Basis: payments received."
    )

    params.choose(params.basis_combo, "invoices")
    params.choose(params.grouping_combo, "day")
    params.run_button.click()
    settle()
    assert tab.shown_report().columns[0].header == "Day"
    assert tab.model.rowCount() == 182 + 1  # every day of the leap half year, then the total
    assert _total(tab, "income") == "$438.83"
    params.choose(params.grouping_combo, "year")
    params.run_button.click()
    settle()
    assert [row[0] for row in _cells(tab)] == ["2024", "Total"]


def test_inputs_follow_the_report_and_named_periods_set_the_dates(demo, data, qtbot):
    tab = _tab(demo, qtbot)
    params = tab.params

    def visible() -> dict[str, bool]:
        return {name: not w.isHidden() for name, w in params._fields.items()}

    everything = {"period": True, "from": True, "to": True, "grouping": True, "basis": True}
    assert visible() == everything and params.now_note.isHidden()
    tab.select_report("tax_summary")
    assert visible() == {**everything, "grouping": False, "basis": False}
    tab.select_report("receivables")
    assert not any(visible().values()) and not params.now_note.isHidden()
    assert tab.model.report is None  # not run yet; each report keeps its own result

    today = params.today
    # The period starts as the clinic's current year.
    assert params.period_combo.currentData() == "this_year"
    assert params.from_edit.date() == qdate(date(today.year, 1, 1))
    assert params.to_edit.date() == qdate(date(today.year, 12, 31))
    params.set_period("last_year")
    assert params.period() == (date(today.year - 1, 1, 1), date(today.year - 1, 12, 31))
    params.set_period("this_month")
    assert params.period()[0] == today.replace(day=1) and params.period()[1].month == today.month
    params.set_period("last_month")
    last = today.replace(day=1) - timedelta(days=1)
    assert params.period() == (last.replace(day=1), last)
    # Editing a date makes the period a custom one; the dates stay as typed.
    params.from_edit.setDate(qdate(date(2024, 2, 3)))
    assert params.period_combo.currentData() == "custom"
    assert params.period() == (date(2024, 2, 3), last)


def test_a_bad_choice_is_shown_under_its_field_and_nothing_runs(demo, data, qtbot):
    tab = _tab(demo, qtbot)
    params = tab.params
    params.choose(params.grouping_combo, "day")
    params.set_dates(date(2020, 1, 1), END)
    params.run_button.click()
    settle()
    assert params.field_error.isVisibleTo(tab)
    assert params.field_error.text().startswith("Group by: a period of more than 731 days")
    assert params.grouping_combo.property("invalid") == "true"
    assert tab.reports == {} and tab.model.report is None
    params.choose(params.grouping_combo, "month")
    assert not params.field_error.isVisibleTo(tab)

    params.set_dates(END, START)
    params.run_button.click()
    settle()
    assert "To: the end of the period" in params.field_error.text()
    assert params.to_edit.property("invalid") == "true"
    assert tab.reports == {}


def test_saves_the_accountants_csv_in_spanish_and_prints(demo, data, qtbot, tmp_path, monkeypatch):
    i18n.set_language("es")  # the conftest switches back to English afterwards
    tab = _tab(demo, qtbot)
    _run(tab, "income_expenses")
    target = tmp_path / "ingresos.csv"
    asked: list[str] = []

    def prompt(_parent, _title, suggested):
        asked.append(suggested)
        return str(target)

    monkeypatch.setattr(finance_reports_tab, "save_csv_prompt", prompt)
    tab.csv_button.click()
    settle()
    title = "Ingresos, gastos y beneficio"
    assert Path(asked[0]).name == file_stem(title, date.today()) + ".csv"
    assert tab.saved_path == target and tab.banner.kind == "ok"
    raw = target.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")  # the BOM Excel needs to read UTF-8
    lines = raw.decode("utf-8-sig").splitlines()
    assert lines[0] == "Mes;Facturado;Notas de crédito;Ingresos;Gastos;Beneficio"
    assert "ene 2024;34,53;0,00;34,53;500,00;-465,47" in lines
    assert lines[-1] == "Total;538,80;-99,97;438,83;656,78;-217,95"

    shown: list[tuple[bytes, str]] = []
    monkeypatch.setattr(
        finance_reports_tab, "show_pdf_preview", lambda _p, pdf, name: shown.append((pdf, name))
    )
    tab.print_button.click()
    settle()
    [(pdf, name)] = shown
    assert name == title and tab.last_pdf == pdf
    text = " ".join(
        " ".join((page.extract_text() or "").split()) for page in PdfReader(io.BytesIO(pdf)).pages
    )
    assert title in text and "Criterio: facturas emitidas." in text and "$438,83" in text


def test_a_doctor_is_told_why_and_the_service_refuses(demo, data, qtbot):
    tab = _tab(demo, qtbot, "medico")
    assert not tab.params.run_button.isEnabled()
    assert tab.banner.kind == "warn"
    assert "does not allow the financial reports" in tab.banner.text()
    assert "Financial reports" in tab.banner.text()
    audited = _audit_count(demo)
    # Even if the button were pressed, the service refuses and says so; nothing is shown.
    tab.params.run_button.setEnabled(True)
    _run(tab, "income_expenses")
    assert tab.banner.kind == "error"
    assert "Your role does not allow this action (needs: Financial reports)" in tab.banner.text()
    assert tab.model.report is None and tab.reports == {}
    assert not tab.csv_button.isEnabled()
    assert _audit_count(demo) == audited


def test_a_billing_change_marks_the_shown_report_out_of_date(demo, data, qtbot):
    tab = _tab(demo, qtbot)
    demo.db.bus.publish(BillingChanged(what="payments"))
    settle()
    assert not tab.banner.isVisibleTo(tab)  # nothing shown, nothing out of date
    _run(tab, "income_by_method")
    assert not tab.banner.isVisibleTo(tab)
    demo.db.bus.publish(BillingChanged(what="payments"))
    settle()
    assert tab.banner.kind == "warn" and "run it again" in tab.banner.text()
