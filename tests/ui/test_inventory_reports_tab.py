"""The inventory reports tab on a real demo clinic with a small stock history: each report run
from its parameters shows the figures the services compute, with its basis under the table;
the inputs follow the chosen report; a bad period is shown under the field and nothing runs;
the shown report saves as a CSV that reads back and prints as a PDF through the preview
(both driven without modal dialogs); a role without cost rights is told why; and a change in
the stock marks a shown report as out of date."""

from __future__ import annotations

import csv
import io
from datetime import date
from pathlib import Path

import pytest
from pypdf import PdfReader
from pytestqt.qtbot import QtBot
from support.inventory_report_data import CATEGORY, ReportData, seed_report_data
from ui.screens_helpers import make_ctx, settle

from clinic_desktop.events import InventoryChanged
from clinic_desktop.services.startup import CreatedClinic
from clinic_desktop.ui.inventory import reports_tab
from clinic_desktop.ui.inventory.reports_tab import InventoryReportsTab, file_stem
from clinic_desktop.ui.inventory.reports_tab_params import qdate


@pytest.fixture
def data(demo_agenda: CreatedClinic) -> ReportData:
    return seed_report_data(demo_agenda.db)


def _tab(demo: CreatedClinic, qtbot: QtBot, username: str = "duena") -> InventoryReportsTab:
    tab = InventoryReportsTab(make_ctx(demo, username))
    qtbot.addWidget(tab)
    settle()
    return tab


def _cells(tab: InventoryReportsTab) -> list[list[str]]:
    model = tab.model
    return [
        [model.text(row, column) for column in range(model.columnCount())]
        for row in range(model.rowCount())
    ]


def _run(tab: InventoryReportsTab, key: str, data: ReportData, **dates: int) -> None:
    tab.select_report(key)
    params = tab.params
    params.choose(params.category_combo, CATEGORY)
    if "start" in dates:
        params.from_edit.setDate(qdate(data.day(dates["start"])))
        params.to_edit.setDate(qdate(data.day(dates["end"])))
    params.run_button.click()
    settle()


def test_valuation_runs_with_today_and_shows_how_it_is_computed(demo_agenda, data, qtbot):
    tab = _tab(demo_agenda, qtbot)
    assert tab.current_key() == "valuation"
    assert tab.period_label.text() == "Choose the options and press Run."
    assert not tab.csv_button.isEnabled() and not tab.print_button.isEnabled()
    # The period starts as the clinic's current month; the valuation as today.
    assert tab.params.as_of_edit.date() == qdate(data.today)
    assert tab.params.from_edit.date() == qdate(data.today.replace(day=1))
    _run(tab, "valuation", data)
    rows = _cells(tab)
    assert rows[0][:5] == ["RP-GAS", "Gasas estériles", CATEGORY, "unidad", "167"]
    assert rows[2][4:] == ["26.7", "$1.2687", "$33.88"]
    assert rows[-1][0] == "Total (3 products)" and rows[-1][-1] == "$43.12"
    # The totals label takes the empty cells after it instead of widening the code column.
    assert tab.table.columnSpan(3, 0) == 6
    assert tab.basis_label.text().startswith("How these figures are computed: On hand is")
    assert "Category: " + CATEGORY in tab.period_label.text()
    assert tab.csv_button.isEnabled() and tab.print_button.isEnabled()


def test_inputs_follow_the_report_and_each_keeps_its_result(demo_agenda, data, qtbot):
    tab = _tab(demo_agenda, qtbot)
    params = tab.params
    tab.select_report("consumption")
    visible = {n: not w.isHidden() for n, w in params._fields.items()}
    assert visible == {
        "as_of": False, "from": True, "to": True, "category": True, "product": False,
        "kind": False, "group": True,
    }  # fmt: skip
    params.choose(params.group_combo, "practitioner")
    _run(tab, "consumption", data, start=-30, end=-1)
    roles = [tab.model.row_at(row).role for row in range(tab.model.rowCount())]
    groups = [row[0] for row, role in zip(_cells(tab), roles, strict=True) if role == "group"]
    assert groups == [data.practitioner_y_name, data.practitioner_x_name]
    assert _cells(tab)[-1][0] == "Total consumed" and _cells(tab)[-1][5:] == ["$5.44", "100 %"]
    # A detail row leaves its practitioner to the group row and steps in under it.
    assert _cells(tab)[1][:2] == ["", "    RP-ANE"]

    tab.select_report("movements")
    assert not params._fields["product"].isHidden() and params._fields["group"].isHidden()
    assert tab.model.report is None  # movements not run yet
    tab.select_report("margins")
    assert not params.period_check.isHidden()
    params.period_check.setChecked(False)
    assert not params.from_edit.isEnabled()
    _run(tab, "margins", data)
    headers = [c.header for c in tab.model.report.columns]
    assert "Performed" not in headers and "Margin %" in headers
    # The catalogue offers the treatments' categories here.
    assert params.category_combo.findData(CATEGORY) >= 0
    tab.select_report("consumption")
    assert tab.model.report is not None and tab.model.report.key == "consumption"


def test_a_bad_period_is_shown_under_the_field_and_nothing_runs(demo_agenda, data, qtbot):
    tab = _tab(demo_agenda, qtbot)
    tab.select_report("variance")
    tab.params.from_edit.setDate(qdate(data.today))
    tab.params.to_edit.setDate(qdate(data.day(-3)))
    tab.params.run_button.click()
    settle()
    assert tab.params.field_error.isVisibleTo(tab)
    assert "To: the end of the period" in tab.params.field_error.text()
    assert tab.params.to_edit.property("invalid") == "true"
    assert "variance" not in tab.reports and tab.model.report is None
    # Changing the input clears the complaint.
    tab.params.to_edit.setDate(qdate(data.today))
    assert not tab.params.field_error.isVisibleTo(tab)


def test_saves_csv_and_prints_the_shown_report(demo_agenda, data, qtbot, tmp_path, monkeypatch):
    tab = _tab(demo_agenda, qtbot)
    _run(tab, "variance", data, start=-30, end=-1)
    target = tmp_path / "variance.csv"
    asked: list[str] = []

    def prompt(_parent, _title, suggested):
        asked.append(suggested)
        return str(target)

    monkeypatch.setattr(reports_tab, "save_csv_prompt", prompt)
    tab.csv_button.click()
    settle()
    assert Path(asked[0]).name == file_stem("Recipe vs actual", date.today()) + ".csv"
    assert tab.saved_path == target and "Saved as variance.csv." in tab.banner.text()
    text = target.read_bytes().decode("utf-8-sig")
    lines = list(csv.reader(io.StringIO(text, newline="")))
    assert lines[0][:3] == ["Treatment", "Code", "Product"]
    gloves = next(line for line in lines if line[:2] == ["Extracción simple", "RP-GUA"])
    assert gloves[4:] == ["2", "4", "5", "1", "25", "0.09"]
    assert lines[-1][0] == "Net cost of the difference" and lines[-1][-1] == "-0.20"

    shown: list[tuple[bytes, str]] = []
    monkeypatch.setattr(
        reports_tab, "show_pdf_preview", lambda _p, pdf, title: shown.append((pdf, title))
    )
    tab.print_button.click()
    settle()
    [(pdf, title)] = shown
    assert title == "Recipe vs actual"
    pages = [p.extract_text() or "" for p in PdfReader(io.BytesIO(pdf)).pages]
    whole = "\n".join(pages)
    assert "Recipe vs actual" in whole and "How these figures are computed" in whole
    assert "Net cost of the difference" in whole and "-$0.20" in whole
    assert all(f"Page {i} of {len(pages)}" in page for i, page in enumerate(pages, start=1))


def test_reception_is_told_why_and_cannot_run(demo_agenda, data, qtbot):
    tab = _tab(demo_agenda, qtbot, "recepcion")
    assert not tab.params.run_button.isEnabled()
    assert tab.banner.kind == "warn" and "purchase costs" in tab.banner.text()
    # Even if the button were pressed, the service refuses and says so.
    tab.params.run_button.setEnabled(True)
    tab.params.run_button.click()
    settle()
    assert tab.banner.kind == "error" and "costs" in tab.banner.text()
    assert tab.model.report is None


def test_a_stock_change_marks_the_shown_report_out_of_date(demo_agenda, data, qtbot):
    tab = _tab(demo_agenda, qtbot)
    _run(tab, "valuation", data)
    assert not tab.banner.isVisibleTo(tab)
    demo_agenda.db.bus.publish(InventoryChanged(what="stock", ids=()))
    settle()
    assert tab.banner.kind == "warn" and "run it again" in tab.banner.text()
