"""Changing stock by hand, in four ways picked at the top: a count (the lot now holds what was
counted), an addition or removal, a write-off (expired, broken) and a return to the supplier.
A lot picker lists the lots holding stock with their expiry; the reason is mandatory and the
service refuses an empty one under the field. Nothing here can take a lot below zero."""

from __future__ import annotations

import uuid
from collections.abc import Callable
from typing import Any

from PySide6.QtWidgets import (
    QButtonGroup,
    QCheckBox,
    QComboBox,
    QFormLayout,
    QLabel,
    QRadioButton,
    QWidget,
)

from clinic_desktop.i18n import N_, _
from clinic_desktop.services.inventory_dto import (
    LotDTO,
    ProductDetailDTO,
    ProductDTO,
    StockChangeDTO,
)
from clinic_desktop.services.products import get_product_detail
from clinic_desktop.services.stock import adjust_stock, return_to_supplier, write_off
from clinic_desktop.ui.agenda.dialog_kit import combo_id, fill_combo, select_data
from clinic_desktop.ui.context import UiContext
from clinic_desktop.ui.inventory.products_kit import day_text, qty, refusal
from clinic_desktop.ui.inventory.stock_dialog_kit import StockDialog, inline_row, quantity_edit
from clinic_desktop.ui.style import set_role

# mode: (button text, quantity label, reasons offered)
MODES: dict[str, tuple[str, str, tuple[str, ...]]] = {
    "count": (
        N_("Stock count"),
        N_("Counted quantity"),
        (N_("Physical count"), N_("Monthly stock-take")),
    ),
    "change": (
        N_("Add or remove"),
        N_("Change (+ or −)"),
        (N_("Found on the shelf"), N_("Used without a record"), N_("Broken or damaged")),
    ),
    "write_off": (
        N_("Write off"),
        N_("Quantity to write off"),
        (N_("Expired"), N_("Broken or damaged"), N_("Contaminated"), N_("Cold chain broken")),
    ),
    "return": (
        N_("Return to supplier"),
        N_("Quantity to return"),
        (N_("Damaged on arrival"), N_("Wrong product"), N_("Recalled by the supplier")),
    ),
}


def lot_text(lot: LotDTO, unit: str) -> str:
    number = lot.lot_number or _("no number")
    expiry = day_text(lot.expiry_date, _("no expiry"))
    state = _(" · EXPIRED") if lot.expired else ""
    return _("Lot {number} · expires {expiry} · {stock}{state}").format(
        number=number, expiry=expiry, stock=qty(lot.on_hand, unit), state=state
    )


class StockAdjustDialog(StockDialog):
    def __init__(
        self,
        ctx: UiContext,
        product: ProductDTO,
        *,
        mode: str = "count",
        lot_id: uuid.UUID | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(
            ctx,
            product,
            name="StockAdjustDialog",
            title=_("Adjust stock"),
            save_text=_("Save"),
            parent=parent,
            width=720,
        )
        self._lots: tuple[LotDTO, ...] = ()
        self._wanted_lot = lot_id
        self.mode_group = QButtonGroup(self)
        self.mode_buttons: dict[str, QRadioButton] = {}
        for key, (text, _label, _reasons) in MODES.items():
            button = QRadioButton(_(text), self)
            button.setObjectName(f"AdjustMode_{key}")
            self.mode_group.addButton(button)
            self.mode_buttons[key] = button
        modes_box = inline_row(self, *self.mode_buttons.values())
        self.lot_combo = QComboBox(self)
        self.lot_combo.setObjectName("AdjustLotCombo")
        self.lot_combo.setMinimumWidth(380)
        self.quantity_edit = quantity_edit("AdjustQuantityEdit", self)
        self.unit_label = QLabel(product.unit, self)
        self.all_check = QCheckBox(_("All of the lot"), self)
        self.all_check.setObjectName("AdjustAllCheck")
        self.all_check.toggled.connect(lambda on: self.quantity_edit.setEnabled(not on))
        self.lot_stock_label = QLabel(self)
        self.lot_stock_label.setObjectName("AdjustLotStockLabel")
        set_role(self.lot_stock_label, "hint")
        amount_box = inline_row(
            self, self.quantity_edit, self.unit_label, self.all_check, 12, self.lot_stock_label
        )
        self.reason_combo = QComboBox(self)
        self.reason_combo.setObjectName("AdjustReasonCombo")
        self.reason_combo.setEditable(True)
        self.reason_combo.setInsertPolicy(QComboBox.InsertPolicy.NoInsert)
        self.reason_combo.setMinimumWidth(380)
        self.reason_edit = self.reason_combo.lineEdit()
        assert self.reason_edit is not None
        self.reason_edit.setPlaceholderText(_("Why does the stock change?"))

        self.add_row(_("What"), "mode", modes_box)
        self.add_row(_("Lot"), "lot", self.lot_combo)
        self.add_row(_("Quantity"), "quantity", amount_box, self.quantity_edit)
        label_item = self.form.itemAt(self.form.rowCount() - 1, QFormLayout.ItemRole.LabelRole)
        label = label_item.widget() if label_item is not None else None
        assert isinstance(label, QLabel)
        self.quantity_row_label = label  # its text follows the mode
        self.add_row(_("Reason"), "reason", self.reason_combo, self.reason_edit)

        self.mode_group.buttonToggled.connect(self._on_mode_toggled)
        self.lot_combo.currentIndexChanged.connect(lambda _i: self._update_lot_stock())
        self.set_mode(mode)
        self.finish_layout()
        self.load(
            lambda: get_product_detail(
                ctx.uow(), actor=ctx.actor, product_id=product.id, movements_limit=1
            ),
            self._on_detail_loaded,
        )

    # -- state -----------------------------------------------------------------------------

    def mode(self) -> str:
        return next((k for k, b in self.mode_buttons.items() if b.isChecked()), "count")

    def set_mode(self, mode: str) -> None:
        self.mode_buttons[mode].setChecked(True)
        self._apply_mode()

    def _on_mode_toggled(self, _button: Any, checked: bool) -> None:
        if checked:
            self._apply_mode()

    def _apply_mode(self) -> None:
        mode = self.mode()
        _text, label, reasons = MODES[mode]
        self.quantity_row_label.setText(_(label))
        self.all_check.setVisible(mode == "write_off")
        if mode != "write_off":
            self.all_check.setChecked(False)
        typed = self.reason_combo.currentText()
        self.reason_combo.clear()
        self.reason_combo.addItems([_(r) for r in reasons])
        self.reason_combo.setEditText(typed)
        self._fill_lots()

    def _on_detail_loaded(self, detail: ProductDetailDTO) -> None:
        self._lots = tuple(lot for lot in detail.lots if lot.on_hand != 0)
        self._fill_lots()
        if self._wanted_lot is not None:
            select_data(self.lot_combo, self._wanted_lot)
            self._wanted_lot = None

    def _fill_lots(self) -> None:
        unit = self._product.unit
        items = [(lot_text(lot, unit), lot.id) for lot in self._lots]
        # Counts and changes may name no lot (the service then uses the only lot, FEFO or a
        # new lot); write-offs and returns always leave one particular lot.
        empty = ""
        if self.mode() in ("count", "change"):
            empty = _("No particular lot") if self._lots else _("No lot yet (a new one is made)")
        fill_combo(self.lot_combo, items, keep=combo_id(self.lot_combo), empty=empty)
        self._update_lot_stock()

    def _update_lot_stock(self) -> None:
        lot_id = combo_id(self.lot_combo)
        lot = next((lot for lot in self._lots if lot.id == lot_id), None)
        if lot is not None:
            text = _("In this lot: {stock}").format(stock=qty(lot.on_hand, self._product.unit))
        else:
            text = _("In stock: {stock}").format(
                stock=qty(self._product.on_hand, self._product.unit)
            )
        self.lot_stock_label.setText(text)

    # -- saving ----------------------------------------------------------------------------

    def service_call(self) -> Callable[[], object]:
        ctx, product = self._ctx, self._product
        mode = self.mode()
        lot_id = combo_id(self.lot_combo)
        amount = self.quantity_edit.text()
        reason = self.reason_combo.currentText()
        everything = self.all_check.isChecked()
        uow, actor = ctx.uow, ctx.actor
        if mode == "count":
            return lambda: adjust_stock(
                uow(),
                actor=actor,
                product_id=product.id,
                lot_id=lot_id,
                counted_quantity=amount,
                reason=reason,
            )
        if mode == "change":
            signed = amount.strip().replace("−", "-")
            return lambda: adjust_stock(
                uow(), actor=actor, product_id=product.id, lot_id=lot_id, delta=signed,
                reason=reason,
            )  # fmt: skip
        if lot_id is None:
            return refusal(_("Lot: choose the lot the stock leaves from."), "lot")
        if mode == "write_off":
            return lambda: write_off(
                uow(), actor=actor, lot_id=lot_id, reason=reason,
                quantity=None if everything else amount,
            )  # fmt: skip
        return lambda: return_to_supplier(
            uow(), actor=actor, lot_id=lot_id, quantity=amount, reason=reason
        )

    def saved_message(self, change: StockChangeDTO) -> str:
        product = self._product
        return _("Stock of {product} changed: now {stock}.").format(
            product=product.name, stock=qty(change.on_hand, product.unit)
        )
