"""The "Close short…" action of the orders tab and of the order editor against a real demo
clinic: offered only on a partly received order and only to people with inventory.manage,
asking why and then confirming with what will never come, a blank reason or a cancelled prompt
changing nothing, and the closed order listed under its own filter with its badge, read-only
in the editor, which no longer shows a delivery date for it."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

import pytest
from pytestqt.qtbot import QtBot
from support.purchasing_data import SYSTEM, clinic_today, make_shop, placed_order
from ui.screens_helpers import make_ctx, settle

from clinic_desktop.services.audit import AuditFilter, list_audit_entries
from clinic_desktop.services.purchasing import close_order, create_order, get_order, place_order
from clinic_desktop.services.purchasing_dto import OrderLineInput, ReceiptLine
from clinic_desktop.services.purchasing_receive import receive
from clinic_desktop.ui.inventory import order_widgets
from clinic_desktop.ui.inventory.order_editor import OrderEditorDialog
from clinic_desktop.ui.inventory.orders_tab import OrdersTab
from clinic_desktop.ui.widgets import screen_kit


@pytest.fixture
def shop(demo):
    return make_shop(demo.db)


def _partial(demo, shop, expected_in_days: int | None = None):
    if expected_in_days is None:
        order = placed_order(
            demo.db, shop, [(shop.gloves, "3", "8.50"), (shop.resin, "2", "25.00")]
        )
    else:
        draft = create_order(
            demo.db.uow(),
            actor=SYSTEM,
            supplier_id=shop.supplier,
            lines=[
                OrderLineInput(shop.gloves, Decimal(3), Decimal("8.50")),
                OrderLineInput(shop.resin, Decimal(2), Decimal(25)),
            ],
            expected_on=clinic_today() + timedelta(days=expected_in_days),
        )
        order = place_order(demo.db.uow(), actor=SYSTEM, order_id=draft.id)
    receive(
        demo.db.uow(),
        actor=SYSTEM,
        order_id=order.id,
        lines=[ReceiptLine(order.lines[0].id, Decimal(1), "G-1", clinic_today() + timedelta(400))],
    )
    return get_order(demo.db.uow(), actor=SYSTEM, order_id=order.id)


def _tab(demo, qtbot: QtBot, username: str = "asistente") -> OrdersTab:
    tab = OrdersTab(make_ctx(demo, username))
    qtbot.addWidget(tab)
    return tab


def test_close_short_asks_why_confirms_and_closes(demo, shop, qtbot: QtBot, monkeypatch) -> None:
    order = _partial(demo, shop)
    placed = placed_order(demo.db, shop, [(shop.gauze, "10", "0.05")])
    tab = _tab(demo, qtbot)
    assert not tab.close_short_button.isHidden()
    assert not tab.close_short_button.isEnabled()  # nothing selected
    assert tab.select_order(placed.number)
    assert not tab.close_short_button.isEnabled()  # nothing arrived: cancel it instead
    assert tab.select_order(order.number)
    assert tab.close_short_button.isEnabled()

    reasons: list[str | None] = [None]
    prompts: list[str] = []
    questions: list[str] = []
    answers = [False]

    def ask(_parent, title, _text):
        prompts.append(title)
        return reasons.pop(0)

    def confirm(_parent, _title, text, ok_text):
        questions.append(f"{ok_text}|{text}")
        return answers.pop(0)

    monkeypatch.setattr(order_widgets, "ask_reason", ask)
    monkeypatch.setattr(screen_kit, "confirm", confirm)

    def status() -> tuple[str, str]:
        now = get_order(demo.db.uow(), actor=SYSTEM, order_id=order.id)
        return now.status, now.notes

    before = status()
    tab.close_short_button.click()  # the prompt is cancelled
    settle()
    assert prompts == [f"Close order {order.number_text} short"] and questions == []
    assert status() == before

    reasons.append("   ")  # blank: refused by the service, with no question asked first
    tab.close_short_button.click()
    settle()
    assert questions == []
    assert "Reason: say why the rest of the order will not arrive." in tab.banner.text()
    assert status() == before

    reasons.append("El proveedor descontinuó la resina")  # then the question is declined
    tab.close_short_button.click()
    settle()
    [question] = questions
    assert question.startswith("Close short|")
    assert "• 2 caja x100 · Guantes de prueba" in question
    assert "• 2 jeringa 4 g · Resina de prueba" in question
    assert status() == before

    reasons.append("El proveedor descontinuó la resina")
    answers.append(True)
    tab.close_short_button.click()
    settle()
    closed = get_order(demo.db.uow(), actor=SYSTEM, order_id=order.id)
    assert closed.status == "closed"
    assert closed.notes.endswith(": El proveedor descontinuó la resina")
    assert f"Order {order.number_text} closed short" in tab.banner.text()
    # "Open orders" is the default filter: the closed order has left it.
    assert order.number_text not in [o.number_text for o in tab.model.rows()]

    assert order_widgets.select_data(tab.status_combo, "closed")
    settle()
    assert tab.status_combo.currentText() == "Closed short"
    assert [o.number_text for o in tab.model.rows()] == [order.number_text]
    assert tab.model.index(0, 2).data() == "Closed short"
    assert tab.model.index(0, 2).data(order_widgets.STATUS_ROLE) == "closed"
    assert tab.model.index(0, 7).data() == "20 %"  # 1 of 5 purchase units arrived
    assert order_widgets.STATUS_COLOURS["closed"] != order_widgets.STATUS_COLOURS["partial"]
    tab.select_order(order.number)
    assert not tab.close_short_button.isEnabled()
    editor = tab.open_editor(closed)
    assert editor.status_label.text() == "Closed short"
    assert editor.receive_button.isHidden() and editor.cancel_button.isHidden()
    assert editor.save_button.isHidden()


def test_readers_are_not_offered_close_short(demo, shop, qtbot: QtBot, monkeypatch) -> None:
    order = _partial(demo, shop)
    tab = _tab(demo, qtbot, "recepcion")
    assert tab.select_order(order.number)
    assert tab.close_short_button.isHidden()
    # Reached anyway (the UI only hides it), the service refuses and the banner says so.
    monkeypatch.setattr(order_widgets, "ask_reason", lambda *_a: "No vendrá")
    monkeypatch.setattr(screen_kit, "confirm", lambda *_a: True)
    tab.close_short()
    settle()
    assert "Your role does not allow this action" in tab.banner.text()
    assert get_order(demo.db.uow(), actor=SYSTEM, order_id=order.id).status == "partial"


def _editor(demo, order, qtbot: QtBot, username: str = "asistente") -> OrderEditorDialog:
    editor = OrderEditorDialog(make_ctx(demo, username), order)
    qtbot.addWidget(editor)
    return editor


def test_the_editor_closes_a_partly_received_order_short(
    demo, shop, qtbot: QtBot, monkeypatch
) -> None:
    order = _partial(demo, shop, expected_in_days=5)
    editor = _editor(demo, order, qtbot)
    saved: list[object] = []
    editor.saved.connect(saved.append)
    assert not editor.close_short_button.isHidden()
    assert editor.cancel_button.isHidden()  # part of it arrived: close it short instead
    assert not editor.form.expected_edit.isHidden()  # the rest is still expected

    asked: list[str] = []
    answers = [False, True]
    monkeypatch.setattr(
        order_widgets, "ask_reason", lambda _p, title, _t: asked.append(title) or "Descontinuado"
    )
    monkeypatch.setattr(screen_kit, "confirm", lambda _p, _t, text, _ok: answers.pop(0))
    editor.close_short_button.click()  # declined at the question: nothing happens
    settle()
    assert asked == [f"Close order {order.number_text} short"]
    assert get_order(demo.db.uow(), actor=SYSTEM, order_id=order.id).status == "partial"
    assert saved == [] and not editor.close_short_button.isHidden()

    editor.close_short_button.click()
    settle()
    closed = get_order(demo.db.uow(), actor=SYSTEM, order_id=order.id)
    assert closed.status == "closed" and closed.notes.endswith(": Descontinuado")
    assert saved == [closed]  # the orders tab refreshes from this
    assert editor.order == closed
    assert editor.status_label.text() == "Closed short"
    assert editor.banner.text() == (
        f"Order {order.number_text} closed short: the rest is no longer expected."
    )
    assert editor.close_short_button.isHidden() and editor.receive_button.isHidden()
    # Nothing more will come: no delivery date, though the order keeps the one it had.
    assert editor.form.expected_edit.isHidden()
    assert closed.expected_on == clinic_today() + timedelta(days=5)
    entries, _count = list_audit_entries(
        demo.db.uow(), actor=SYSTEM, flt=AuditFilter(action="order.closed_short")
    )
    assert [(e.entity_id, e.user_name) for e in entries] == [(str(order.id), "asistente")]


def test_the_editor_refuses_to_close_an_order_changed_meanwhile(
    demo, shop, qtbot: QtBot, monkeypatch
) -> None:
    order = _partial(demo, shop)
    editor = _editor(demo, order, qtbot)
    monkeypatch.setattr(order_widgets, "ask_reason", lambda *_a: "No vendrá")
    monkeypatch.setattr(screen_kit, "confirm", lambda *_a: True)
    # Someone else closes it (another PC) while this editor is open on the older copy.
    close_order(demo.db.uow(), actor=SYSTEM, order_id=order.id, reason="Ya no lo fabrican")
    changed = get_order(demo.db.uow(), actor=SYSTEM, order_id=order.id)
    editor.close_short()
    settle()
    assert "Nothing was overwritten" in editor.banner.text()
    assert get_order(demo.db.uow(), actor=SYSTEM, order_id=order.id) == changed


def test_readers_see_no_close_short_in_the_editor(demo, shop, qtbot: QtBot) -> None:
    order = _partial(demo, shop)
    editor = _editor(demo, order, qtbot, "recepcion")
    assert editor.close_short_button.isHidden()
    assert not editor.form.expected_edit.isHidden()
