"""The expenses tab against a real demo clinic: a period's expenses with their cells, receipt
badge and totals added up to the cent, the category, text and period filters, deleting after
confirming (and not without), the list following changes made elsewhere, generating the
recurring expenses due, reception keeping the books, and a doctor (neither billing.manage nor
reports.finance) shown the services' refusal instead of a table, with nothing to click."""

from __future__ import annotations

import json
from datetime import date, timedelta
from decimal import Decimal

import pytest
from pytestqt.qtbot import QtBot
from sqlalchemy import select
from support.clinical_actors import actor
from ui.screens_helpers import make_ctx, settle

from clinic_desktop.actor import Actor
from clinic_desktop.errors import NotFound
from clinic_desktop.models.audit import AuditEntry
from clinic_desktop.models.expense import Expense
from clinic_desktop.services.expense_dto import ExpenseDTO, ExpenseForm, RecurringForm
from clinic_desktop.services.expense_receipts import attach_receipt
from clinic_desktop.services.expenses import create_expense, get_expense, list_expenses
from clinic_desktop.services.recurring_expenses import (
    create_recurring_expense,
    generate_recurring_expenses,
)
from clinic_desktop.services.users import set_grant
from clinic_desktop.ui.billing import expense_list
from clinic_desktop.ui.billing.expenses_tab import ExpensesTab
from clinic_desktop.ui.widgets import screen_kit
from clinic_desktop.ui.widgets.pill_delegate import PillDelegate

SYSTEM = Actor.system("tests")
PDF = b"%PDF-1.4\n1 0 obj <<>> endobj\n%%EOF\n"
# A quiet stretch of the past that no demo data reaches: the totals below are ours alone.
OLD = date(2019, 3, 1)


def _expense(demo, day: date, category: str, description: str, **amounts: str) -> ExpenseDTO:
    values = {key: Decimal(value) for key, value in amounts.items()}
    return create_expense(
        demo.db.uow(),
        actor=SYSTEM,
        form=ExpenseForm(
            expense_date=day,
            category=category,
            description=description,
            supplier_name="Empresa Eléctrica Quito" if category == "utilities" else "",
            document_number="001-001-000045678" if category == "utilities" else "",
            **values,  # type: ignore[arg-type]
        ),
    )


def _tab(demo, qtbot: QtBot, username: str = "duena") -> ExpensesTab:
    tab = ExpensesTab(make_ctx(demo, username))
    qtbot.addWidget(tab)
    return tab


def _titles(tab: ExpensesTab) -> list[str]:
    return [e.description for e in tab.model.rows()]


def _audit(demo, entity_id: object) -> list[tuple[str, str, dict[str, object]]]:
    with demo.db.uow().transaction(SYSTEM) as session:
        rows = session.execute(
            select(AuditEntry.action, AuditEntry.user_name, AuditEntry.changes)
            .where(AuditEntry.entity == "Expense", AuditEntry.entity_id == str(entity_id))
            .order_by(AuditEntry.seq)
        )
        return [(a, u, json.loads(c)) for a, u, c in rows]


def test_a_period_lists_its_expenses_with_receipts_and_exact_totals(demo, qtbot: QtBot) -> None:
    light = _expense(
        demo, OLD + timedelta(days=4), "utilities", "Luz de marzo", net="86.96", tax="13.04"
    )
    rent = _expense(demo, OLD, "rent", "Alquiler de marzo", total="850")
    _expense(demo, OLD + timedelta(days=9), "supplies", "Guantes", net="0.10", tax="0.01")
    _expense(demo, OLD + timedelta(days=40), "rent", "Alquiler de abril", total="850")
    attach_receipt(
        demo.db.uow(), actor=SYSTEM, expense_id=light.id, file_name="luz.pdf", content=PDF
    )
    tab = _tab(demo, qtbot)
    tab.set_custom_period(OLD, date(2019, 3, 31))
    assert tab.filter_bar.period_combo.currentData() == "custom"
    assert _titles(tab) == ["Guantes", "Luz de marzo", "Alquiler de marzo"]  # newest first
    row = _titles(tab).index("Luz de marzo")
    cells = [tab.model.index(row, column).data() for column in range(tab.model.columnCount())]
    assert cells == [
        "Mar 5, 2019",
        "Utilities",
        "Empresa Eléctrica Quito",
        "Luz de marzo",
        "001-001-000045678",
        "$86.96",
        "$13.04",
        "$100.00",
        "PDF",
    ]
    assert tab.model.index(_titles(tab).index("Alquiler de marzo"), 8).data() == "—"
    assert isinstance(tab.table.itemDelegateForColumn(expense_list.RECEIPT_COLUMN), PillDelegate)
    assert "luz.pdf" in tab.model.index(row, 3).data(0x03)  # the tooltip names the receipt
    # 86.96 + 850 + 0.10 net, 13.04 + 0.01 tax: exact cents, never float noise.
    assert tab.totals_label.text() == "Net $937.06   ·   Tax $13.05"
    assert tab.total_label.text() == "Total $950.11"
    assert tab.count_label.text() == "3 expenses from Mar 1, 2019 to Mar 31, 2019"
    assert not rent.receipts

    assert tab.filter_bar.set_category("rent")
    assert _titles(tab) == ["Alquiler de marzo"]
    assert tab.total_label.text() == "Total $850.00"
    tab.filter_bar.set_category(None)
    tab.filter_bar.search_edit.setText("GUANTES")
    tab.refresh()
    assert _titles(tab) == ["Guantes"]
    tab.filter_bar.search_edit.setText("nada parecido")
    tab.refresh()
    assert _titles(tab) == [] and tab.table.isHidden()
    assert tab.empty_label.text() == "No expenses match these filters in this period."
    assert tab.total_label.text() == "Total $0.00"


def test_named_periods_follow_the_clinic_calendar(demo, qtbot: QtBot) -> None:
    tab = _tab(demo, qtbot)
    today = tab.today
    first = today.replace(day=1)
    last_month = (first - timedelta(days=1)).replace(day=1)
    now = _expense(demo, today, "other", "Gasto de hoy", total="10")
    before = _expense(demo, last_month, "other", "Gasto del mes pasado", total="20")
    tab.set_period("this_month")
    assert tab.period()[0] == first and tab.period()[1].month == today.month
    ids = {e.id for e in tab.model.rows()}
    assert now.id in ids and before.id not in ids
    tab.set_period("last_month")
    assert tab.period()[0] == last_month and tab.period()[1] == first - timedelta(days=1)
    ids = {e.id for e in tab.model.rows()}
    assert before.id in ids and now.id not in ids
    tab.set_period("this_year")
    assert tab.period() == (date(today.year, 1, 1), date(today.year, 12, 31))
    assert now.id in {e.id for e in tab.model.rows()}
    # Editing a date makes the period a custom one.
    tab.filter_bar.from_edit.setDate(tab.filter_bar.from_edit.date().addDays(1))
    assert tab.filter_bar.period_combo.currentData() == "custom"


def test_delete_asks_first_and_moves_the_expense_to_the_trash(
    demo, qtbot: QtBot, monkeypatch
) -> None:
    doomed = _expense(demo, OLD, "marketing", "Folletos", total="45")
    tab = _tab(demo, qtbot)
    tab.set_custom_period(OLD, OLD)
    assert tab.select_expense(doomed.id)
    asked: list[str] = []
    monkeypatch.setattr(
        screen_kit, "confirm", lambda _p, _t, text, _ok: asked.append(text) or False
    )
    tab.delete_button.click()
    assert "Folletos" in asked[0] and "$45.00" in asked[0]
    assert get_expense(demo.db.uow(), actor=SYSTEM, expense_id=doomed.id).version == doomed.version
    assert [a for a, _u, _c in _audit(demo, doomed.id)] == ["create"]

    monkeypatch.setattr(screen_kit, "confirm", lambda *_a: True)
    tab.delete_button.click()
    settle()
    assert _titles(tab) == []
    assert "Moved to the trash" in tab.banner.text()
    with pytest.raises(NotFound):
        get_expense(demo.db.uow(), actor=SYSTEM, expense_id=doomed.id)
    with demo.db.uow().transaction(SYSTEM) as session:
        row = session.get(Expense, doomed.id)
        assert row is not None and row.deleted_at is not None  # soft: restorable from the trash
    assert [(a, u) for a, u, _c in _audit(demo, doomed.id)] == [
        ("create", "tests:root"),
        ("delete", "duena"),
    ]


def test_the_list_follows_changes_made_elsewhere(demo, qtbot: QtBot) -> None:
    tab = _tab(demo, qtbot)
    tab.set_custom_period(OLD, OLD)
    assert _titles(tab) == []
    made = _expense(demo, OLD, "Laboratorio dental", "Prótesis", total="210")
    settle()
    assert _titles(tab) == ["Prótesis"]
    # A category of the clinic's own is offered in the filter once it is in use.
    assert tab.filter_bar.category_combo.findData("Laboratorio dental") > 0
    assert tab.filter_bar.set_category("Laboratorio dental")
    assert [e.id for e in tab.model.rows()] == [made.id]


def test_generating_recurring_expenses_says_how_many(demo, qtbot: QtBot) -> None:
    # Whatever the demo data has pending is generated first: the counts below are ours.
    generate_recurring_expenses(demo.db.uow(), actor=SYSTEM)
    tab = _tab(demo, qtbot)
    start = (tab.today.replace(day=1) - timedelta(days=40)).replace(day=1)
    create_recurring_expense(
        demo.db.uow(),
        actor=SYSTEM,
        form=RecurringForm(
            category="rent", starts_on=start, description="Alquiler del local", total=Decimal(500)
        ),
    )
    tab.generate_button.click()
    settle()
    made = [
        e
        for e in list_expenses(demo.db.uow(), actor=SYSTEM, date_from=start, date_to=tab.today)
        if e.description == "Alquiler del local"
    ]
    assert len(made) == 3  # the first day of each of the three months so far
    assert tab.banner.text() == "3 expenses were generated from the recurring expenses."
    assert "Alquiler del local" in _titles(tab)  # this month's is listed at once
    tab.generate_button.click()
    assert tab.banner.text() == "Nothing was due: every recurring expense is up to date."


def test_reception_keeps_the_books(demo, qtbot: QtBot) -> None:
    expense = _expense(demo, OLD, "utilities", "Agua", total="34.50")
    tab = _tab(demo, qtbot, "recepcion")
    for button in (tab.new_button, tab.edit_button, tab.delete_button, tab.generate_button):
        assert not button.isHidden()
    tab.set_custom_period(OLD, OLD)
    tab.select_expense(expense.id)
    editor = tab.edit_selected()
    assert editor is not None
    editor.description_edit.setText("Agua potable de marzo")
    editor.save_button.click()
    settle()
    assert not editor.isVisible()
    saved = get_expense(demo.db.uow(), actor=SYSTEM, expense_id=expense.id)
    assert saved.description == "Agua potable de marzo" and saved.version == expense.version + 1
    assert _titles(tab) == ["Agua potable de marzo"]
    assert tab.selected_expense() is not None and tab.selected_expense().id == expense.id
    assert ("update", "recepcion") in [(a, u) for a, u, _c in _audit(demo, expense.id)]


def test_a_doctor_is_shown_the_refusal_instead_of_a_table(demo, qtbot: QtBot) -> None:
    _expense(demo, OLD, "rent", "Alquiler", total="850")
    tab = _tab(demo, qtbot, "medico")
    assert tab.denied
    assert tab.content.isHidden() and tab.model.rowCount() == 0
    text = tab.denied_banner.text_label.text()
    assert "does not allow" in text and "Financial reports" in text
    assert tab.denied_banner.title_label.text() == "You cannot see the clinic's expenses"
    for button in (tab.new_button, tab.edit_button, tab.delete_button, tab.recurring_button):
        assert button.isHidden()


def test_finance_readers_see_the_list_but_cannot_change_it(demo, qtbot: QtBot) -> None:
    owner = actor(demo, "duena")
    set_grant(demo.db.uow(), actor=owner, role="doctor", permission="reports.finance", granted=True)
    made = _expense(demo, OLD, "rent", "Alquiler", total="850")
    tab = _tab(demo, qtbot, "medico")
    tab.set_custom_period(OLD, OLD)
    assert not tab.denied and [e.id for e in tab.model.rows()] == [made.id]
    for button in (
        tab.new_button,
        tab.edit_button,
        tab.delete_button,
        tab.recurring_button,
        tab.generate_button,
    ):
        assert button.isHidden()
    assert not tab.receipts_button.isHidden()  # reading includes the receipts
    tab.select_expense(made.id)
    assert tab.edit_selected() is None
    tab.delete_selected()  # no confirmation is even asked: nothing happens
    assert get_expense(demo.db.uow(), actor=SYSTEM, expense_id=made.id).version == made.version
