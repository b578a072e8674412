"""The purchase orders tab and the order editor against a real demo clinic: the list with its
filters and badges, a new draft written through the editor (product search, quantities in
purchase units shown in units of use, totals), placing it, a refused save marking the field,
cancelling with a reason, printing through the preview, a reader's read-only view, the
suggested orders becoming drafts, and the list following changes made elsewhere."""

from __future__ import annotations

import io
from decimal import Decimal

import pytest
from pypdf import PdfReader
from pytestqt.qtbot import QtBot
from support.clinical_actors import actor
from support.purchasing_data import SYSTEM, make_shop, order_count, placed_order, put_stock
from ui.screens_helpers import make_ctx, settle

from clinic_desktop.services.purchasing import cancel_order, create_order, get_order, list_orders
from clinic_desktop.services.purchasing_dto import OrderLineInput
from clinic_desktop.ui.inventory import order_editor, order_widgets
from clinic_desktop.ui.inventory.orders_tab import OrdersTab
from clinic_desktop.ui.widgets import screen_kit


@pytest.fixture
def shop(demo):
    return make_shop(demo.db)


def _tab(demo, qtbot: QtBot, username: str = "asistente") -> OrdersTab:
    tab = OrdersTab(make_ctx(demo, username))
    qtbot.addWidget(tab)
    return tab


def _numbers(tab: OrdersTab) -> list[str]:
    return [o.number_text for o in tab.model.rows()]


def _choose(combo, data) -> None:
    assert order_widgets.select_data(combo, data)
    settle()


def test_lists_open_orders_with_badges_and_filters(demo, shop, qtbot: QtBot) -> None:
    placed = placed_order(demo.db, shop, [(shop.gloves, "3", "8.50")])
    draft = create_order(demo.db.uow(), actor=SYSTEM, supplier_id=shop.other)
    gone = create_order(demo.db.uow(), actor=SYSTEM, supplier_id=shop.other)
    cancel_order(demo.db.uow(), actor=SYSTEM, order_id=gone.id, reason="Duplicada")
    tab = _tab(demo, qtbot)
    shown = _numbers(tab)
    assert placed.number_text in shown and draft.number_text in shown
    assert gone.number_text not in shown  # "Open orders" is the default filter
    row = shown.index(placed.number_text)
    cells = [tab.model.index(row, column).data() for column in range(8)]
    assert cells[:3] == [placed.number_text, "Proveedora Test S.A.", "Ordered"]
    assert cells[6:] == ["$25.50", "0 %"]
    assert tab.model.index(row, 2).data(order_widgets.STATUS_ROLE) == "ordered"

    _choose(tab.status_combo, "cancelled")
    assert _numbers(tab) == [gone.number_text]
    _choose(tab.status_combo, None)
    _choose(tab.supplier_combo, shop.other)
    assert _numbers(tab) == [gone.number_text, draft.number_text]
    tab.search_edit.setText("guantes de prueba")
    settle()
    assert _numbers(tab) == []
    assert not tab.empty_label.isHidden()
    _choose(tab.supplier_combo, None)
    assert _numbers(tab) == [placed.number_text]
    assert tab.count_label.text() == "1 order"


def test_a_new_draft_is_written_saved_and_placed(demo, shop, qtbot: QtBot, monkeypatch) -> None:
    tab = _tab(demo, qtbot)
    editor = tab.open_editor(None)
    _choose(editor.supplier_combo, shop.supplier)
    assert editor.add_product("T-GUA")
    assert not editor.add_product("no existe")
    assert "No product matches" in editor.banner.text()
    [row] = editor.lines_table.rows
    row.quantity_spin.set_decimal(Decimal(3))
    assert row.units_label.text() == "= 300 unidad"
    assert row.cost_spin.decimal() == Decimal("8.5000")  # $0.085 a glove, per box of 100
    assert editor.total_label.text() == "Total: $25.50"
    editor.save_button.click()
    settle()
    assert not editor.isVisible()
    [draft] = [
        o for o in list_orders(demo.db.uow(), actor=SYSTEM) if o.supplier_id == shop.supplier
    ]
    assert draft.status == "draft" and draft.number_text in _numbers(tab)
    assert [(line.product_code, line.quantity, line.unit_cost) for line in draft.lines] == [
        ("T-GUA", Decimal(3), Decimal("8.5"))
    ]

    asked: list[str] = []
    monkeypatch.setattr(screen_kit, "confirm", lambda _p, _t, text, _ok: asked.append(text) or True)
    editor = tab.open_editor(draft)
    editor.lines_table.rows[0].quantity_spin.set_decimal(Decimal(4))
    editor.place_button.click()
    settle()
    assert "Proveedora Test S.A." in asked[0]
    placed = get_order(demo.db.uow(), actor=SYSTEM, order_id=draft.id)
    assert (placed.status, placed.lines[0].quantity) == ("ordered", Decimal(4))
    assert "placed" in editor.banner.text()
    # Placed: read-only, now offering receipt and cancellation instead of editing.
    assert editor.save_button.isHidden() and editor.place_button.isHidden()
    assert editor.picker.isHidden()
    assert not editor.receive_button.isHidden() and not editor.cancel_button.isHidden()
    assert editor.lines_table.rows[0].quantity_spin.isReadOnly()


def test_a_refused_save_marks_the_field_and_creates_nothing(demo, shop, qtbot: QtBot) -> None:
    tab = _tab(demo, qtbot)
    before = order_count(demo.db)
    editor = tab.open_editor(None)
    editor.add_product("T-GUA")
    editor.save_button.click()
    settle()
    assert editor.isVisible()
    assert "Supplier: choose the supplier" in editor.banner.text()
    assert editor.supplier_combo.property("invalid") == "true"
    _choose(editor.supplier_combo, shop.supplier)
    editor.lines_table.rows[0].quantity_spin.set_decimal(Decimal(0))
    editor.save_button.click()
    settle()
    assert "quantity: it must be more than zero" in editor.banner.text()
    assert editor.lines_table.property("invalid") == "true"
    assert order_count(demo.db) == before


def test_cancelling_asks_for_a_reason(demo, shop, qtbot: QtBot, monkeypatch) -> None:
    order = placed_order(demo.db, shop, [(shop.gloves, "2", "8.50")])
    tab = _tab(demo, qtbot)
    editor = tab.open_editor(order)
    monkeypatch.setattr(order_widgets, "ask_reason", lambda *_a: None)
    editor.cancel_button.click()
    settle()
    assert get_order(demo.db.uow(), actor=SYSTEM, order_id=order.id).status == "ordered"
    monkeypatch.setattr(order_widgets, "ask_reason", lambda *_a: "El proveedor no tiene stock")
    editor.cancel_button.click()
    settle()
    cancelled = get_order(demo.db.uow(), actor=SYSTEM, order_id=order.id)
    assert cancelled.status == "cancelled"
    assert cancelled.notes.endswith("El proveedor no tiene stock")
    assert editor.status_label.text() == "Cancelled"
    assert editor.cancel_button.isHidden() and editor.receive_button.isHidden()


def test_a_reader_sees_and_prints_but_cannot_edit(demo, shop, qtbot: QtBot, monkeypatch) -> None:
    draft = create_order(
        demo.db.uow(),
        actor=SYSTEM,
        supplier_id=shop.supplier,
        lines=[OrderLineInput(shop.gloves, Decimal(2), Decimal("8.50"))],
    )
    tab = _tab(demo, qtbot, "recepcion")
    assert tab.new_button.isHidden() and tab.suggest_button.isHidden()
    tab.select_order(draft.number)
    tab.open_button.click()
    editor = tab.editor
    assert editor is not None
    assert editor.save_button.isHidden() and editor.place_button.isHidden()
    assert editor.cancel_button.isHidden() and editor.picker.isHidden()
    assert not editor.supplier_combo.isEnabled()
    printed: list[tuple[bytes, str]] = []
    monkeypatch.setattr(
        order_editor, "show_pdf_preview", lambda _p, pdf, title: printed.append((pdf, title))
    )
    editor.print_button.click()
    settle()
    [(pdf, title)] = printed
    assert title == draft.number_text
    text = " ".join(p.extract_text() for p in PdfReader(io.BytesIO(pdf)).pages)
    assert draft.number_text in text and "Guantes de prueba" in text and "DRAFT" in text


def test_suggestions_become_drafts(demo, shop, qtbot: QtBot) -> None:
    put_stock(demo.db, shop.gloves, "80")
    tab = _tab(demo, qtbot)
    before = {o.id for o in list_orders(demo.db.uow(), actor=SYSTEM)}
    dialog = tab.open_suggestions()
    ours = {"T-GUA", "T-GAS"}
    from PySide6.QtCore import Qt

    for group in dialog.groups:
        for pick in group.picks:
            if pick.line.product_code not in ours:  # the demo's own low products stay out
                pick.item.setCheckState(0, Qt.CheckState.Unchecked)
    settle()
    assert dialog.summary_label.text() == "2 products ticked · $17.50"
    assert not dialog.no_supplier_row.isHidden()
    dialog.create_button.click()
    settle()
    assert "choose who supplies" in dialog.banner.text()
    assert {o.id for o in list_orders(demo.db.uow(), actor=SYSTEM)} == before
    _choose(dialog.supplier_combo, shop.other)
    dialog.create_button.click()
    settle()
    created = [o for o in list_orders(demo.db.uow(), actor=SYSTEM) if o.id not in before]
    assert sorted(
        (o.supplier_name, o.lines[0].product_code, o.lines[0].quantity) for o in created
    ) == [
        ("Otra Casa Dental", "T-GAS", Decimal(10)),
        ("Proveedora Test S.A.", "T-GUA", Decimal(2)),
    ]
    assert "created" in tab.banner.text()
    assert all(o.number_text in _numbers(tab) for o in created)


def test_the_list_follows_changes_made_elsewhere(demo, shop, qtbot: QtBot) -> None:
    tab = _tab(demo, qtbot)
    order = create_order(
        demo.db.uow(), actor=actor(demo, "medico"), supplier_id=shop.supplier, notes="Otro PC"
    )
    settle()
    assert order.number_text in _numbers(tab)
