"""Receiving an order through its dialog against a real demo clinic: outstanding quantities
pre-filled (with what they mean in units of use), lot numbers and expiry dates typed into new
lots, part now and the rest later, one line split into two lots, and the service's questions
(more than outstanding, an expiry already past) shown to the user: declined, nothing changes;
accepted, the receipt goes through."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

import pytest
from PySide6.QtCore import QDate
from PySide6.QtWidgets import QDialog
from pytestqt.qtbot import QtBot
from support.purchasing_data import (
    SYSTEM,
    clinic_today,
    lots_of,
    make_shop,
    placed_order,
    stock_of,
)
from ui.screens_helpers import make_ctx, settle

from clinic_desktop.services.purchasing import get_order
from clinic_desktop.ui.inventory.order_editor import OrderEditorDialog
from clinic_desktop.ui.inventory.order_receive_dialog import OrderReceiveDialog
from clinic_desktop.ui.widgets import screen_kit


@pytest.fixture
def shop(demo):
    return make_shop(demo.db)


@pytest.fixture
def order(demo, shop):
    return placed_order(demo.db, shop, [(shop.gloves, "3", "8.50"), (shop.resin, "2", "25")])


def _dialog(demo, order, qtbot: QtBot) -> OrderReceiveDialog:
    dialog = OrderReceiveDialog(make_ctx(demo, "asistente"), order)
    qtbot.addWidget(dialog)
    return dialog


def _set_expiry(row, day: date) -> None:
    row.expiry_edit.check.setChecked(True)
    row.expiry_edit.date_edit.setDate(QDate(day.year, day.month, day.day))


def test_everything_outstanding_goes_into_lots(demo, shop, order, qtbot: QtBot) -> None:
    editor = OrderEditorDialog(make_ctx(demo, "asistente"), order)
    qtbot.addWidget(editor)
    dialog = editor.open_receive()
    assert dialog is not None
    gloves, resin = dialog.rows
    assert (gloves.quantity_spin.decimal(), gloves.means_label.text()) == (
        Decimal(3),
        "= 300 unidad",
    )
    assert (resin.quantity_spin.decimal(), resin.means_label.text()) == (Decimal(2), "= 8 g")
    gloves.lot_edit.setText("G-2291")
    expiry = clinic_today() + timedelta(days=500)
    _set_expiry(gloves, expiry)
    gloves.cost_spin.set_decimal(Decimal("9.00"))
    dialog.receive_button.click()
    settle()
    assert dialog.result() == QDialog.DialogCode.Accepted
    assert stock_of(demo.db, shop.gloves) == Decimal(300)
    assert stock_of(demo.db, shop.resin) == Decimal(8)
    assert lots_of(demo.db, shop.gloves) == [("G-2291", expiry, Decimal("0.0900"), Decimal(300))]
    assert lots_of(demo.db, shop.resin) == [("", None, Decimal("6.2500"), Decimal(8))]
    assert get_order(demo.db.uow(), actor=SYSTEM, order_id=order.id).status == "received"
    # The editor shows the order as it now is.
    assert editor.status_label.text() == "Received"
    assert editor.receive_button.isHidden() and editor.cancel_button.isHidden()
    assert "Goods received into stock" in editor.banner.text()


def test_part_now_the_rest_later_in_two_lots(demo, shop, order, qtbot: QtBot) -> None:
    dialog = _dialog(demo, order, qtbot)
    dialog.rows[0].quantity_spin.set_decimal(Decimal(1))
    dialog.rows[1].quantity_spin.set_decimal(Decimal(0))
    dialog.submit()
    settle()
    partial = get_order(demo.db.uow(), actor=SYSTEM, order_id=order.id)
    assert partial.status == "partial"
    assert [line.received_quantity for line in partial.lines] == [Decimal(1), Decimal(0)]
    assert stock_of(demo.db, shop.gloves) == Decimal(100)
    assert stock_of(demo.db, shop.resin) == Decimal(0)

    later = _dialog(demo, partial, qtbot)
    first = later.rows[0]
    assert first.quantity_spin.decimal() == Decimal(2)  # what is still outstanding
    second = later.split_row(0)
    assert later.rows[1] is second and second.quantity_spin.decimal() == Decimal(0)
    assert second.cost_spin.decimal() == first.cost_spin.decimal()
    first.quantity_spin.set_decimal(Decimal("1.5"))
    first.lot_edit.setText("A")
    second.quantity_spin.set_decimal(Decimal("0.5"))
    second.lot_edit.setText("B")
    later.submit()
    settle()
    assert later.result() == QDialog.DialogCode.Accepted
    assert [(lot[0], lot[3]) for lot in lots_of(demo.db, shop.gloves)] == [
        ("", Decimal(100)),
        ("A", Decimal(150)),
        ("B", Decimal(50)),
    ]
    assert get_order(demo.db.uow(), actor=SYSTEM, order_id=order.id).status == "received"


def test_questions_are_asked_and_a_no_changes_nothing(
    demo, shop, order, qtbot: QtBot, monkeypatch
) -> None:
    dialog = _dialog(demo, order, qtbot)
    asked: list[str] = []
    answer = {"value": False}

    def confirm(_parent: object, _title: str, text: str, _ok: str) -> bool:
        asked.append(text)
        return answer["value"]

    monkeypatch.setattr(screen_kit, "confirm", confirm)
    gloves = dialog.rows[0]
    gloves.quantity_spin.set_decimal(Decimal(5))
    _set_expiry(gloves, clinic_today() - timedelta(days=3))
    dialog.rows[1].quantity_spin.set_decimal(Decimal(0))
    dialog.receive_button.click()
    settle()
    [question] = asked
    assert "5 caja x100 received but only 3 outstanding" in question
    assert "already past" in question and "Receive the goods anyway?" in question
    assert dialog.result() != QDialog.DialogCode.Accepted
    assert dialog.banner.kind == "warn"
    assert stock_of(demo.db, shop.gloves) == Decimal(0)
    assert get_order(demo.db.uow(), actor=SYSTEM, order_id=order.id).status == "ordered"

    answer["value"] = True
    dialog.receive_button.click()
    settle()
    assert len(asked) == 2 and dialog.result() == QDialog.DialogCode.Accepted
    assert stock_of(demo.db, shop.gloves) == Decimal(500)
    received = get_order(demo.db.uow(), actor=SYSTEM, order_id=order.id)
    assert (received.status, received.lines[0].received_quantity) == ("partial", Decimal(5))


def test_nothing_entered_is_refused_in_the_banner(demo, shop, order, qtbot: QtBot) -> None:
    dialog = _dialog(demo, order, qtbot)
    dialog.clear_button.click()
    dialog.receive_button.click()
    settle()
    assert "enter what arrived for at least one line" in dialog.banner.text()
    assert dialog.receive_button.isEnabled()
    dialog.all_button.click()
    assert [row.quantity_spin.decimal() for row in dialog.rows] == [Decimal(3), Decimal(2)]
    assert stock_of(demo.db, shop.gloves) == Decimal(0)
