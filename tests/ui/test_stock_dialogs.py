"""The stock dialogs driven like a user: receiving (the expiry must be given or declined, a
past one asks, purchase units convert), adjusting with a mandatory reason, writing off a whole
lot, the CSV import's preview (invalid lines in red, Import enabled only when all are valid)
and the suppliers window."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import timedelta
from decimal import Decimal

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialog
from support.products_kit import SYSTEM, count_rows, make_product, stocked_clinic
from ui.screens_helpers import make_ctx, settle

from clinic_desktop.models.stock import StockMovement
from clinic_desktop.services.products import get_product, get_product_detail, list_products
from clinic_desktop.services.products_query import stock_context
from clinic_desktop.services.startup import CreatedClinic
from clinic_desktop.services.stock import receive_stock
from clinic_desktop.services.suppliers import list_suppliers
from clinic_desktop.ui.agenda.dialog_kit import to_qdate
from clinic_desktop.ui.inventory.adjust_dialog import StockAdjustDialog
from clinic_desktop.ui.inventory.import_dialog import ImportProductsDialog
from clinic_desktop.ui.inventory.receive_dialog import ReceiveStockDialog
from clinic_desktop.ui.inventory.suppliers_dialog import SuppliersDialog
from clinic_desktop.ui.style import DANGER
from clinic_desktop.ui.widgets import screen_kit


@pytest.fixture
def demo(paths, keyring_backend) -> Iterator[CreatedClinic]:
    created = stocked_clinic(paths, keyring_backend)
    yield created
    created.db.close()


@pytest.fixture
def ctx(demo: CreatedClinic):
    return make_ctx(demo, "asistente")


def _error(dialog: QDialog, field: str) -> str:
    from clinic_desktop.ui.widgets.forms import FieldError

    label = dialog.findChild(FieldError, f"{dialog.objectName()}Error_{field}")
    assert label is not None
    return "" if label.isHidden() else label.text()


def _today(demo):
    with demo.db.uow().transaction(SYSTEM) as session:
        return stock_context(session).today


def test_receiving_needs_an_expiry_or_none_and_converts_purchase_units(demo, ctx, qtbot):
    product = make_product(
        demo, "T-BOX", purchase_unit="Caja x100", units_per_purchase=Decimal(100)
    )
    dialog = ReceiveStockDialog(ctx, product)
    qtbot.addWidget(dialog)
    dialog.quantity_edit.setText("3")
    dialog.unit_combo.setCurrentIndex(1)  # boxes
    assert dialog.conversion_label.text() == "= 300 unidad"
    dialog.cost_edit.setText("8.50")
    dialog.save_button.click()
    assert "choose the date" in _error(dialog, "expiry_date")
    assert get_product(demo.db.uow(), actor=SYSTEM, product_id=product.id).on_hand == 0
    dialog.expiry.none_check.setChecked(True)
    messages: list[str] = []
    dialog.stock_changed.connect(messages.append)
    dialog.save_button.click()
    assert dialog.result() == QDialog.DialogCode.Accepted
    stocked = get_product(demo.db.uow(), actor=SYSTEM, product_id=product.id)
    assert (stocked.on_hand, stocked.cost) == (Decimal(300), Decimal("0.085"))
    assert messages == ["Received into Guantes de prueba: now 300 unidad in stock."]


def test_a_past_expiry_asks_and_saves_only_when_agreed(demo, ctx, qtbot, monkeypatch):
    product = make_product(demo, "T-PAST")
    answers = iter([False, True])
    monkeypatch.setattr(screen_kit, "confirm", lambda *_a: next(answers))
    dialog = ReceiveStockDialog(ctx, product)
    qtbot.addWidget(dialog)
    dialog.quantity_edit.setText("4")
    dialog.expiry.set_date(to_qdate(_today(demo) - timedelta(days=2)))
    before = count_rows(demo, StockMovement)
    dialog.save_button.click()  # declined
    assert "already past" in _error(dialog, "expiry_date")
    assert count_rows(demo, StockMovement) == before
    assert get_product(demo.db.uow(), actor=SYSTEM, product_id=product.id).on_hand == 0
    dialog.save_button.click()  # agreed
    assert dialog.result() == QDialog.DialogCode.Accepted
    [lot] = get_product_detail(demo.db.uow(), actor=SYSTEM, product_id=product.id).lots
    assert lot.expired and lot.on_hand == Decimal(4)


def test_an_adjustment_needs_a_reason_then_sets_the_count(demo, ctx, qtbot):
    product = make_product(demo, "T-CNT")
    receive_stock(demo.db.uow(), actor=SYSTEM, product_id=product.id, quantity=Decimal(10))
    product = get_product(demo.db.uow(), actor=SYSTEM, product_id=product.id)
    dialog = StockAdjustDialog(ctx, product)
    qtbot.addWidget(dialog)
    assert dialog.lot_combo.count() == 2  # "no particular lot" and the one lot
    dialog.lot_combo.setCurrentIndex(1)
    assert dialog.lot_stock_label.text() == "In this lot: 10 unidad"
    dialog.quantity_edit.setText("7")
    before = count_rows(demo, StockMovement)
    dialog.save_button.click()
    assert _error(dialog, "reason") == "Reason: write why the stock changes."
    assert count_rows(demo, StockMovement) == before
    dialog.reason_combo.setEditText("Recuento mensual")
    dialog.save_button.click()
    assert dialog.result() == QDialog.DialogCode.Accepted
    assert get_product(demo.db.uow(), actor=SYSTEM, product_id=product.id).on_hand == 7


def test_writing_off_a_whole_expired_lot(demo, ctx, qtbot):
    [par] = list_products(demo.db.uow(), actor=SYSTEM, text="PAR-500")
    detail = get_product_detail(demo.db.uow(), actor=SYSTEM, product_id=par.id)
    expired = next(lot for lot in detail.lots if lot.expired and lot.on_hand > 0)
    dialog = StockAdjustDialog(ctx, par, mode="write_off", lot_id=expired.id)
    qtbot.addWidget(dialog)
    assert dialog.mode() == "write_off" and not dialog.all_check.isHidden()
    assert "EXPIRED" in dialog.lot_combo.currentText()
    dialog.all_check.setChecked(True)
    dialog.reason_combo.setCurrentIndex(0)  # "Expired"
    dialog.save_button.click()
    assert dialog.result() == QDialog.DialogCode.Accepted
    after = get_product(demo.db.uow(), actor=SYSTEM, product_id=par.id)
    assert after.on_hand == par.on_hand - expired.on_hand and not after.has_expired
    latest = get_product_detail(demo.db.uow(), actor=SYSTEM, product_id=par.id).movements[0]
    assert (latest.kind, latest.reason) == ("write_off", "Expired")


BAD = b"code;name;quantity;expiry\nIMP-1;Uno;5;2030-01-01\n;Sin codigo;1;\nIMP-3;Tres;x;\n"
GOOD = b"code;name;quantity;expiry;supplier\nIMP-1;Uno;5;2030-01-01;Nuevo proveedor\n"


def test_the_import_preview_marks_bad_lines_and_imports_only_a_clean_file(demo, ctx, qtbot):
    dialog = ImportProductsDialog(ctx)
    qtbot.addWidget(dialog)
    assert not dialog.import_button.isEnabled()
    dialog.load_bytes(BAD, "bad.csv")
    assert not dialog.import_button.isEnabled()
    rows = dialog.model.rows()
    assert [(r.line, r.ok) for r in rows] == [(2, True), (3, False), (4, False)]
    colour = dialog.model.index(1, 0).data(Qt.ItemDataRole.ForegroundRole).color().name()
    assert colour.lower() == DANGER.lower()
    assert dialog.model.index(1, 6).data() == "Code: it is required."
    assert dialog.summary_label.text().startswith("2 lines have problems")
    dialog.apply()  # refused without a clean preview
    assert not list_products(demo.db.uow(), actor=SYSTEM, text="IMP-1")
    dialog.load_bytes(GOOD, "good.csv")
    assert dialog.import_button.isEnabled()
    assert "New suppliers: Nuevo proveedor." in dialog.summary_label.text()
    messages: list[str] = []
    dialog.imported.connect(messages.append)
    dialog.import_button.click()
    assert dialog.result() == QDialog.DialogCode.Accepted
    [imported] = list_products(demo.db.uow(), actor=SYSTEM, text="IMP-1")
    assert imported.on_hand == Decimal(5)
    assert messages == ["Imported 1 product, 1 lot of opening stock, 1 new supplier."]


def test_suppliers_window_creates_with_a_warning_and_deactivates(demo, ctx, qtbot):
    dialog = SuppliersDialog(ctx)
    qtbot.addWidget(dialog)
    before = len(dialog.model.rows())
    editor = dialog.open_editor(None)
    editor.edits["name"].setText("Importadora Sur")
    editor.edits["tax_id"].setText("1710034066001")  # a bad check digit: refused
    editor.save_button.click()
    assert "Tax ID" in _error(editor, "tax_id")
    editor.edits["tax_id"].setText("1790000000001")  # a company RUC failing its check: warned
    editor.save_button.click()
    assert editor.result() == QDialog.DialogCode.Accepted
    settle()
    assert len(dialog.model.rows()) == before + 1
    assert dialog.banner.kind == "warn" and "Tax ID" in dialog.banner.text()
    assert dialog.selected_supplier() is not None
    assert dialog.selected_supplier().name == "Importadora Sur"
    dialog.active_button.click()
    settle()
    names = [s.name for s in list_suppliers(demo.db.uow(), actor=SYSTEM)]
    assert "Importadora Sur" not in names
    assert "Importadora Sur" not in [s.name for s in dialog.model.rows()]
