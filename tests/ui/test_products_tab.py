"""The products tab against the demo clinic's inventory: badges and alert counts, search and
filters, the editing buttons only for inventory.manage, a product created through the editor
(and a refused one), the detail with lots and movements, and refreshing when stock changes
elsewhere."""

from __future__ import annotations

from collections.abc import Iterator
from decimal import Decimal

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialog
from pytestqt.qtbot import QtBot
from support.products_kit import SYSTEM, stocked_clinic
from ui.screens_helpers import make_ctx, settle

from clinic_desktop.services.inventory_dto import StockBadge
from clinic_desktop.services.products import get_product, list_products
from clinic_desktop.services.startup import CreatedClinic
from clinic_desktop.services.stock import receive_stock
from clinic_desktop.ui.inventory.product_detail import ProductDetailDialog
from clinic_desktop.ui.inventory.product_editor import ProductEditorDialog
from clinic_desktop.ui.inventory.products_tab import ProductsTab
from clinic_desktop.ui.widgets import screen_kit


@pytest.fixture
def demo(paths, keyring_backend) -> Iterator[CreatedClinic]:
    """Here `demo` is the demo clinic with its inventory (the shared fixture has none)."""
    created = stocked_clinic(paths, keyring_backend)
    yield created
    created.db.close()


MANAGE_BUTTONS = (
    "new_button",
    "receive_button",
    "adjust_button",
    "import_button",
    "suppliers_button",
)


def make_tab(demo: CreatedClinic, qtbot: QtBot, username: str = "duena") -> ProductsTab:
    tab = ProductsTab(make_ctx(demo, username))
    qtbot.addWidget(tab)
    return tab


def codes(tab: ProductsTab) -> list[str]:
    return [p.code for p in tab.model.rows()]


def test_lists_every_active_product_with_its_badge_and_alert_counts(demo, qtbot) -> None:
    tab = make_tab(demo, qtbot)
    expected = list_products(demo.db.uow(), actor=SYSTEM)
    assert codes(tab) == [p.code for p in expected] and len(expected) > 10
    row = codes(tab).index("ARC-NIT")  # the demo's product left out of stock
    assert tab.model.index(row, 4).data() == "Out of stock"
    assert tab.model.index(row, 3).data() == "0 unidad"
    assert tab.count_label.text() == f"{len(expected)} products"
    low = tab.alert_buttons["low"]
    assert not low.isHidden()
    wanted = [p for p in expected if p.matches(StockBadge.LOW)]
    assert low.text() == f"{len(wanted)} low"
    low.click()
    assert tab.badge_combo.currentData() == "low"
    assert sorted(codes(tab)) == sorted(p.code for p in wanted)


def test_search_and_category_filters(demo, qtbot) -> None:
    tab = make_tab(demo, qtbot)
    tab.search_edit.setText("guantes")
    tab.refresh()
    assert codes(tab) and all("GUA" in code for code in codes(tab))
    tab.search_edit.setText("ACIDO grab")  # accents and case as people type
    tab.apply_filters()
    assert codes(tab) == ["ACI-GRA"]
    tab.search_edit.clear()
    index = tab.category_combo.findData("Anestésicos")
    assert index > 0
    tab.category_combo.setCurrentIndex(index)
    assert sorted(codes(tab)) == ["ANE-ART", "ANE-LID"]


def test_editing_buttons_only_for_inventory_managers(demo, qtbot) -> None:
    reception = make_tab(demo, qtbot, "recepcion")
    assert reception.model.rows()  # everyone sees stock levels
    assert all(getattr(reception, name).isHidden() for name in MANAGE_BUTTONS)
    assistant = make_tab(demo, qtbot, "asistente")
    assert not any(getattr(assistant, name).isHidden() for name in MANAGE_BUTTONS)
    assert not assistant.receive_button.isEnabled()  # nothing selected yet
    assistant.table.selectRow(0)
    assert assistant.receive_button.isEnabled()


def test_a_new_product_through_the_editor_is_listed_and_selected(demo, qtbot) -> None:
    tab = make_tab(demo, qtbot)
    dialog = tab.open_editor(None)
    assert isinstance(dialog, ProductEditorDialog)
    dialog.code_edit.setText("NEW-FLU")
    dialog.name_edit.setText("Flúor gel 1,23 %")
    dialog.unit_combo.setEditText("ml")
    dialog.cost_edit.setText("0,125")
    dialog.reorder_edit.setText("250")
    dialog.category_combo.setEditText("Prevención")
    dialog.save_button.click()
    settle()
    assert dialog.result() == QDialog.DialogCode.Accepted
    [created] = list_products(demo.db.uow(), actor=SYSTEM, text="NEW-FLU")
    assert (created.unit, created.cost, created.reorder_level) == (
        "ml",
        Decimal("0.125"),
        Decimal(250),
    )
    assert tab.selected_product() is not None and tab.selected_product().code == "NEW-FLU"
    assert "Saved Flúor gel" in tab.banner.text()


def test_a_refused_product_shows_the_error_under_the_field_and_saves_nothing(demo, qtbot) -> None:
    tab = make_tab(demo, qtbot)
    dialog = tab.open_editor(None)
    assert isinstance(dialog, ProductEditorDialog)
    dialog.code_edit.setText("BAD-1")
    dialog.name_edit.setText("Con demasiados decimales")
    dialog.cost_edit.setText("1,23456")
    dialog.save_button.click()
    settle()
    assert dialog.result() != QDialog.DialogCode.Accepted
    error = dialog.findChild(type(dialog.general_error), "ProductEditorDialogError_cost")
    assert error is not None and not error.isHidden()
    assert error.text() == "Cost: at most 4 decimals."
    assert dialog.cost_edit.property("invalid") == "true"
    assert not list_products(demo.db.uow(), actor=SYSTEM, text="BAD-1")


def test_double_click_opens_the_detail_with_lots_and_movements(demo, qtbot) -> None:
    tab = make_tab(demo, qtbot)
    row = codes(tab).index("PAR-500")  # the demo's product with an expired lot
    tab.table.doubleClicked.emit(tab.model.index(row, 1))
    dialog = tab.dialog
    assert isinstance(dialog, ProductDetailDialog)
    assert dialog.badge.property("badge") == "expired"
    lots = dialog.lots_model.rows()
    assert lots and lots[0].expired
    assert dialog.lots_model.index(0, 6).data() == "Expired"
    assert dialog.movements_model.rows()
    assert dialog.fact_values["stock"].text().endswith("usable")


def test_deactivating_a_stocked_product_asks_first(demo, qtbot, monkeypatch) -> None:
    tab = make_tab(demo, qtbot)
    product = next(p for p in tab.model.rows() if p.code == "GUA-NIT-M")
    dialog = tab.open_detail(product)
    assert isinstance(dialog, ProductDetailDialog)
    asked: list[str] = []
    answers = iter([False, True])

    def answer(_parent, _title, text, _ok):
        asked.append(text)
        return next(answers)

    monkeypatch.setattr(screen_kit, "confirm", answer)
    dialog.active_button.click()
    assert get_product(demo.db.uow(), actor=SYSTEM, product_id=product.id).active
    dialog.active_button.click()
    assert not get_product(demo.db.uow(), actor=SYSTEM, product_id=product.id).active
    assert len(asked) == 2 and "still has" in asked[0]
    assert dialog.active_button.text() == "Reactivate"
    settle()
    assert "GUA-NIT-M" not in codes(tab)


def test_the_tab_follows_stock_changed_elsewhere(demo, qtbot) -> None:
    tab = make_tab(demo, qtbot)
    product = next(p for p in tab.model.rows() if p.code == "ARC-NIT")
    receive_stock(demo.db.uow(), actor=SYSTEM, product_id=product.id, quantity=Decimal(12))
    settle()
    row = codes(tab).index("ARC-NIT")
    assert tab.model.index(row, 3).data() == "12 unidad"
    assert tab.model.index(row, 4).data(Qt.ItemDataRole.DisplayRole) != "Out of stock"


@pytest.mark.parametrize("username", ["medico", "asistente"])
def test_clinical_staff_with_inventory_manage_see_the_buttons(demo, qtbot, username) -> None:
    tab = make_tab(demo, qtbot, username)
    assert not tab.new_button.isHidden()
