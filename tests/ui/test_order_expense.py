"""The expense of a received purchase order, offered by the receive dialog and the order
editor against a real demo clinic: received whole with the box ticked (its default) makes
exactly one supplies expense from the order's supplier at the order's prices; unticked, none,
and the editor then offers Record expense… (declined: nothing; accepted: one, and the offer
gives way to "Expense recorded on …"); a second expense is never offered and the service
refuses it; a partial delivery leaves the box unticked unless the user ticks it; a refused
expense leaves the goods received and says why; and someone without billing.manage never
sees the offer."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

import pytest
from pytestqt.qtbot import QtBot
from sqlalchemy import select
from support.clinical_actors import actor
from support.purchasing_data import SYSTEM, clinic_today, make_shop, placed_order
from ui.screens_helpers import make_ctx, settle

from clinic_desktop.errors import InvalidTransition
from clinic_desktop.models.audit import AuditEntry
from clinic_desktop.services.expense_dto import ExpenseDTO
from clinic_desktop.services.expenses import expense_from_purchase_order, list_expenses
from clinic_desktop.services.purchasing import get_order
from clinic_desktop.ui.inventory.order_editor import OrderEditorDialog
from clinic_desktop.ui.inventory.order_receive_dialog import OrderReceiveDialog
from clinic_desktop.ui.widgets import screen_kit


@pytest.fixture
def shop(demo):
    return make_shop(demo.db)


@pytest.fixture
def order(demo, shop):
    # 3 boxes × 8.50 + 2 syringes × 25.00 = 75.50
    return placed_order(demo.db, shop, [(shop.gloves, "3", "8.50"), (shop.resin, "2", "25")])


def _expenses_of(demo, order_id) -> list[ExpenseDTO]:
    """The order's live expenses, read back through the expenses list."""
    today = clinic_today()
    found = list_expenses(
        demo.db.uow(), actor=SYSTEM, date_from=today - timedelta(days=60), date_to=today
    )
    return [e for e in found if e.purchase_order_id == order_id]


def _audit(demo, expense_id) -> list[tuple[str, str]]:
    with demo.db.uow().transaction(SYSTEM) as session:
        rows = session.execute(
            select(AuditEntry.action, AuditEntry.user_name)
            .where(AuditEntry.entity == "Expense", AuditEntry.entity_id == str(expense_id))
            .order_by(AuditEntry.seq)
        )
        return [(a, u) for a, u in rows]


def _editor(demo, order, qtbot: QtBot, username: str = "duena") -> OrderEditorDialog:
    editor = OrderEditorDialog(make_ctx(demo, username), order)
    qtbot.addWidget(editor)
    settle()
    return editor


def _receive_all(editor: OrderEditorDialog, *, tick: bool | None = None) -> OrderReceiveDialog:
    dialog = editor.open_receive()
    assert dialog is not None
    settle()
    if tick is not None and dialog.expense_check.isChecked() != tick:
        dialog.expense_check.click()  # as the user does
    dialog.receive_button.click()
    settle()
    return dialog


def test_receiving_with_the_box_ticked_records_one_expense(demo, shop, order, qtbot: QtBot) -> None:
    editor = _editor(demo, order, qtbot)
    assert editor.expense_button.isHidden()  # nothing arrived yet: nothing to pay
    dialog = editor.open_receive()
    assert dialog is not None
    settle()
    # Everything outstanding is pre-filled, the order has no expense: ticked by default.
    assert not dialog.expense_check.isHidden() and dialog.expense_check.isChecked()
    dialog.receive_button.click()
    settle()
    assert get_order(demo.db.uow(), actor=SYSTEM, order_id=order.id).status == "received"
    [expense] = _expenses_of(demo, order.id)
    assert (expense.net, expense.tax, expense.total) == (Decimal("75.50"), 0, Decimal("75.50"))
    assert expense.supplier_id == shop.supplier and expense.category == "supplies"
    assert expense.expense_date == clinic_today()
    assert _audit(demo, expense.id) == [("create", "duena")]
    assert dialog.result_expense is not None and dialog.result_expense.id == expense.id
    # The editor says so, and offers no second one.
    assert "Goods received into stock" in editor.banner.text()
    assert "Expense of $75.50 recorded" in editor.banner.text()
    assert editor.expense_button.isHidden()
    assert not editor.expense_label.isHidden()
    assert "Expense recorded on" in editor.expense_label.text()
    assert "$75.50" in editor.expense_label.text()
    # Reopened later, the order shows its expense too.
    again = _editor(demo, get_order(demo.db.uow(), actor=SYSTEM, order_id=order.id), qtbot)
    assert again.expense_button.isHidden() and "$75.50" in again.expense_label.text()
    again.record_expense()  # not offered; called anyway, it does nothing
    assert len(_expenses_of(demo, order.id)) == 1


def test_unticked_records_none_and_the_editor_offers_it_once(
    demo, shop, order, qtbot: QtBot, monkeypatch
) -> None:
    editor = _editor(demo, order, qtbot)
    dialog = _receive_all(editor, tick=False)
    assert dialog.result_expense is None and not dialog.expense_error
    assert get_order(demo.db.uow(), actor=SYSTEM, order_id=order.id).status == "received"
    assert _expenses_of(demo, order.id) == []
    assert not editor.expense_button.isHidden() and editor.expense_label.isHidden()

    monkeypatch.setattr(screen_kit, "confirm", lambda *_a: False)
    editor.expense_button.click()
    settle()
    assert _expenses_of(demo, order.id) == []
    monkeypatch.setattr(screen_kit, "confirm", lambda *_a: True)
    editor.expense_button.click()
    settle()
    [expense] = _expenses_of(demo, order.id)
    assert expense.total == Decimal("75.50") and expense.supplier_id == shop.supplier
    assert "Expense of $75.50 recorded" in editor.banner.text()
    assert editor.expense_button.isHidden() and "$75.50" in editor.expense_label.text()
    editor.record_expense()  # a second time: nothing
    settle()
    assert len(_expenses_of(demo, order.id)) == 1
    # A screen that had not heard of it yet is refused by the service, and catches up.
    stale = _editor(demo, get_order(demo.db.uow(), actor=SYSTEM, order_id=order.id), qtbot)
    stale._show_expense(None, known=True)
    assert not stale.expense_button.isHidden()
    stale.expense_button.click()
    settle()
    assert "already has its expense" in stale.banner.text()
    assert stale.expense_button.isHidden() and "$75.50" in stale.expense_label.text()
    assert len(_expenses_of(demo, order.id)) == 1
    with pytest.raises(InvalidTransition):
        expense_from_purchase_order(demo.db.uow(), actor=actor(demo, "duena"), order_id=order.id)
    assert len(_expenses_of(demo, order.id)) == 1


def test_a_partial_delivery_leaves_the_box_unticked_unless_the_user_ticks_it(
    demo, shop, order, qtbot: QtBot
) -> None:
    editor = _editor(demo, order, qtbot)
    dialog = editor.open_receive()
    assert dialog is not None
    settle()
    _gloves, resin = dialog.rows
    resin.quantity_spin.set_decimal(Decimal(0))
    assert not dialog.expense_check.isChecked()  # the rest is still to come
    resin.quantity_spin.set_decimal(Decimal(2))
    assert dialog.expense_check.isChecked()
    dialog.expense_check.click()  # the user's choice stands from now on
    resin.quantity_spin.set_decimal(Decimal(1))
    resin.quantity_spin.set_decimal(Decimal(2))
    assert not dialog.expense_check.isChecked()
    dialog.expense_check.click()
    resin.quantity_spin.set_decimal(Decimal(0))
    assert dialog.expense_check.isChecked()
    dialog.receive_button.click()
    settle()
    partial = get_order(demo.db.uow(), actor=SYSTEM, order_id=order.id)
    assert partial.status == "partial"
    [expense] = _expenses_of(demo, order.id)
    assert expense.total == Decimal("25.50")  # the gloves only
    # The rest arrives: the order has its expense, so the box is not offered again.
    editor = _editor(demo, partial, qtbot)
    second = editor.open_receive()
    assert second is not None
    settle()
    assert second.expense_check.isHidden() and not second.expense_check.isChecked()
    assert "Expense recorded on" in second.expense_label.text()
    second.receive_button.click()
    settle()
    assert get_order(demo.db.uow(), actor=SYSTEM, order_id=order.id).status == "received"
    assert [e.total for e in _expenses_of(demo, order.id)] == [Decimal("25.50")]


def test_a_refused_expense_leaves_the_goods_received_and_says_why(demo, shop, qtbot: QtBot) -> None:
    free = placed_order(demo.db, shop, [(shop.gloves, "2", "0")])  # samples: no cost
    editor = _editor(demo, free, qtbot)
    dialog = _receive_all(editor, tick=True)
    assert get_order(demo.db.uow(), actor=SYSTEM, order_id=free.id).status == "received"
    assert "no cost on the order" in dialog.expense_error
    assert "Goods received into stock" in editor.banner.text()
    assert "The expense was not recorded" in editor.banner.text()
    assert editor.banner.kind == "warn"
    assert _expenses_of(demo, free.id) == []


@pytest.mark.parametrize("username", ["asistente", "medico"])
def test_without_billing_manage_the_offer_is_not_shown(
    demo, shop, order, qtbot: QtBot, username: str
) -> None:
    editor = _editor(demo, order, qtbot, username)
    dialog = _receive_all(editor)
    assert dialog.expense_check.isHidden() and dialog.expense_label.isHidden()
    assert get_order(demo.db.uow(), actor=SYSTEM, order_id=order.id).status == "received"
    assert _expenses_of(demo, order.id) == []
    assert editor.expense_button.isHidden() and editor.expense_label.isHidden()
    editor.record_expense()  # not offered; called anyway, it does nothing
    settle()
    assert _expenses_of(demo, order.id) == []
