"""The treatment catalogue tab on a real demo clinic: a new treatment with its composition
picked by typing, costs and margins in the table, a refused code or a deactivated product shown
under its field with nothing changed, deactivating with a confirmation, filters, and a role
without inventory.manage reading only."""

from __future__ import annotations

from decimal import Decimal

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QPushButton
from pytestqt.qtbot import QtBot
from support.treatment_data import SYSTEM, make_product, make_treatment
from ui.screens_helpers import make_ctx, settle

from clinic_desktop.models.inventory import Product
from clinic_desktop.services.treatments import get_treatment, list_treatments
from clinic_desktop.ui.inventory import treatments_tab as module
from clinic_desktop.ui.inventory.treatments_tab import TreatmentsTab
from clinic_desktop.ui.widgets import screen_kit


@pytest.fixture
def catalogue(demo):
    gloves = make_product(demo.db, "GUA", "Guantes de nitrilo", cost="0.0850")
    resin = make_product(demo.db, "RES", "Resina compuesta A2", unit="g", cost="1.2000")
    filling = make_treatment(
        demo.db, "OBT", "Obturación simple", [(gloves, "2"), (resin, "1")], price="40.00"
    )
    make_treatment(demo.db, "BLA", "Blanqueamiento", price="0.00", category="Estética")
    return demo, gloves, resin, filling


def _tab(demo, qtbot: QtBot, username: str, monkeypatch) -> TreatmentsTab:
    monkeypatch.setattr(module, "open_dialog", lambda dialog: dialog.show())
    tab = TreatmentsTab(make_ctx(demo, username))
    qtbot.addWidget(tab)
    return tab


def _cells(tab: TreatmentsTab, code: str) -> list[str]:
    row = next(n for n, t in enumerate(tab.model.rows()) if t.code == code)
    return [
        tab.model.index(row, column).data(Qt.ItemDataRole.DisplayRole)
        for column in range(tab.model.columnCount())
    ]


def test_new_treatment_with_materials_picked_by_typing(catalogue, qtbot, monkeypatch) -> None:
    demo, gloves, resin, _filling = catalogue
    tab = _tab(demo, qtbot, "asistente", monkeypatch)
    assert _cells(tab, "OBT")[4:7] == ["$40.00", "$1.37", "$38.63 (96.6 %)"]
    tab.new_button.click()
    editor = tab.editor
    assert editor is not None and editor.save_button.isVisible()
    editor.code_edit.setText("EXO-1")
    editor.name_edit.setText("Exodoncia simple")
    editor.category_combo.setEditText("Cirugía")
    editor.duration_spin.setValue(40)
    editor.set_price(Decimal("35.50"))
    qtbot.keyClicks(editor.recipe.picker.lineEdit(), "guantes")
    editor.recipe.quantity_spin.setValue(4)
    editor.recipe.add_button.click()
    editor.recipe.add_product(resin, Decimal("0.25"))
    assert editor.recipe.totals_label.text() == "Cost $0.64 · Margin $34.86 (98.2 %)"
    editor.save_button.click()
    settle()
    assert not editor.isVisible()
    saved = next(t for t in list_treatments(demo.db.uow(), actor=SYSTEM) if t.code == "EXO-1")
    assert (saved.name, saved.category, saved.duration_minutes, saved.price) == (
        "Exodoncia simple",
        "Cirugía",
        40,
        Decimal("35.50"),
    )
    assert {(i.product_id, i.quantity) for i in saved.recipe} == {
        (gloves, Decimal("4.000")),
        (resin, Decimal("0.250")),
    }
    assert _cells(tab, "EXO-1")[5] == "$0.64"
    assert tab.banner.text() == "Saved Exodoncia simple."


def test_a_taken_code_and_a_deactivated_product_are_shown_and_change_nothing(
    catalogue, qtbot, monkeypatch
) -> None:
    demo, _gloves, resin, filling = catalogue
    tab = _tab(demo, qtbot, "odontologa", monkeypatch)
    assert tab.select_treatment("OBT")
    tab.edit_button.click()
    editor = tab.editor
    editor.code_edit.setText("bla")
    editor.save_button.click()
    assert editor.isVisible()
    assert editor.code_edit.property("invalid") == "true"
    code_error = editor.findChild(type(editor.general_error), "TreatmentEditorDialogError_code")
    assert code_error.text() == "Code: another treatment already uses “bla”."
    assert get_treatment(demo.db.uow(), actor=SYSTEM, treatment_id=filling).code == "OBT"
    with demo.db.uow().transaction(SYSTEM) as session:
        product = session.get(Product, resin)
        product.active = False
    before = get_treatment(demo.db.uow(), actor=SYSTEM, treatment_id=filling)
    editor.close()
    tab.refresh()
    assert _cells(tab, "OBT")[5].startswith("⚠")
    tab.select_treatment("OBT")
    tab.edit_button.click()
    editor = tab.editor
    assert "deactivated: remove or replace it" in editor.recipe.table.item(1, 0).text()
    editor.name_edit.setText("Obturación cambiada")
    editor.save_button.click()
    error = editor.findChild(type(editor.general_error), "TreatmentRecipeError")
    assert error.text() == "Recipe: Resina compuesta A2 is deactivated."
    assert get_treatment(demo.db.uow(), actor=SYSTEM, treatment_id=filling) == before
    editor.recipe.table.selectRow(1)
    editor.recipe.remove_button.click()
    editor.save_button.click()
    settle()
    after = get_treatment(demo.db.uow(), actor=SYSTEM, treatment_id=filling)
    assert after.name == "Obturación cambiada" and len(after.recipe) == 1


def test_deactivating_asks_and_filters_find_it_again(catalogue, qtbot, monkeypatch) -> None:
    demo, *_ = catalogue
    tab = _tab(demo, qtbot, "duena", monkeypatch)
    asked: list[str] = []
    monkeypatch.setattr(
        screen_kit, "confirm", lambda _parent, title, _text, _ok: asked.append(title) or False
    )
    tab.select_treatment("BLA")
    tab.active_button.click()
    assert asked == ["Deactivate treatment"] and len(tab.model.rows()) == 2
    monkeypatch.setattr(screen_kit, "confirm", lambda *_args: True)
    tab.active_button.click()
    settle()
    assert [t.code for t in tab.model.rows()] == ["OBT"]
    tab.inactive_check.setChecked(True)
    assert _cells(tab, "BLA")[8] == "Inactive"
    tab.select_treatment("BLA")
    assert tab.active_button.text() == "Reactivate"
    tab.search_edit.setText("obturacion")
    tab.refresh()
    assert [t.code for t in tab.model.rows()] == ["OBT"]
    tab.search_edit.clear()
    tab.category_combo.setCurrentIndex(tab.category_combo.findData("Estética"))
    assert [t.code for t in tab.model.rows()] == ["BLA"]
    assert tab.count_label.text() == "1 treatment"


def test_reception_reads_the_catalogue_without_editing(catalogue, qtbot, monkeypatch) -> None:
    demo, *_ = catalogue
    tab = _tab(demo, qtbot, "recepcion", monkeypatch)
    tab.show()
    assert not tab.new_button.isVisible() and not tab.active_button.isVisible()
    assert tab.edit_button.text() == "Open…"
    tab.select_treatment("OBT")
    tab.edit_button.click()
    editor = tab.editor
    assert editor.read_only and not editor.save_button.isVisible()
    assert editor.code_edit.isReadOnly() and not editor.recipe.add_button.isVisible()
    assert editor.recipe.table.rowCount() == 2
    assert editor.findChild(QPushButton, "TreatmentEditorDialogCancelButton").text() == "Close"
