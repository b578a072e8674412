"""The composition of a treatment ("materiales del tratamiento"): a product picker that
filters as you type, the lines with each quantity in the product's unit, the unit and line
costs at the products' current cost, and the totals (cost, and the margin at the price being
edited). A product deactivated since it was put in the composition is shown in red with the
reason, and the service refuses to save it: the user removes or replaces it."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QBrush, QColor
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDoubleSpinBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from clinic_desktop.i18n import _
from clinic_desktop.services.treatments import ProductChoiceDTO, RecipeItemDTO, RecipeLine
from clinic_desktop.ui.chart.clinical_dialog_kit import small_button
from clinic_desktop.ui.inventory.treatment_kit import (
    SearchCombo,
    decimal_spin,
    money,
    percent_text,
    product_label,
    spin_decimal,
)
from clinic_desktop.ui.inventory.treatment_kit import unit_cost as unit_cost_text
from clinic_desktop.ui.style import DANGER, bold, set_role
from clinic_desktop.ui.widgets.forms import FieldError

CENT = Decimal("0.01")
PRODUCT, QUANTITY, UNIT_COST, LINE_COST = range(4)


@dataclass
class _Line:
    product: ProductChoiceDTO
    spin: QDoubleSpinBox


class RecipeEditor(QWidget):
    """Edits a list of (product, quantity); `lines()` gives what the service takes."""

    changed = Signal()

    def __init__(self, currency: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("RecipeEditor")
        self._currency = currency
        self._price = Decimal(0)
        self._products: dict[uuid.UUID, ProductChoiceDTO] = {}
        self._lines: list[_Line] = []
        self._read_only = False

        title = QLabel(_("Materials (composition)"), self)
        bold(title)
        hint = QLabel(_("The products one performance of the treatment uses."), self)
        set_role(hint, "hint")
        self.picker = SearchCombo(
            "RecipeProductPicker", _("Search a product by code or name"), self
        )
        self.quantity_spin = decimal_spin("RecipeQuantitySpin", self, decimals=3)
        self.quantity_spin.setValue(1)
        self.picker.currentIndexChanged.connect(self._on_picker_changed)
        self.add_button = small_button(_("Add"), "AddRecipeLineButton", self)
        self.add_button.clicked.connect(self._on_add_clicked)
        self.remove_button = small_button(_("Remove line"), "RemoveRecipeLineButton", self)
        self.remove_button.clicked.connect(self.remove_current_line)
        picker_row = QHBoxLayout()
        picker_row.addWidget(self.picker, 1)
        picker_row.addWidget(self.quantity_spin)
        picker_row.addWidget(self.add_button)
        picker_row.addWidget(self.remove_button)

        self.table = QTableWidget(0, 4, self)
        self.table.setObjectName("RecipeTable")
        self.table.setHorizontalHeaderLabels(
            [_("Product"), _("Quantity"), _("Unit cost"), _("Line cost")]
        )
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.verticalHeader().hide()
        self.table.verticalHeader().setDefaultSectionSize(36)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(PRODUCT, QHeaderView.ResizeMode.Stretch)
        for column, width in ((QUANTITY, 150), (UNIT_COST, 120), (LINE_COST, 130)):
            header.setSectionResizeMode(column, QHeaderView.ResizeMode.Fixed)
            self.table.setColumnWidth(column, width)
        self.table.setMinimumHeight(170)
        self.error = FieldError("RecipeError", self)
        self.totals_label = QLabel(self)
        self.totals_label.setObjectName("RecipeTotalsLabel")
        self.totals_label.setAlignment(Qt.AlignmentFlag.AlignRight)
        bold(self.totals_label)

        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(6)
        layout.addWidget(title)
        layout.addWidget(hint)
        layout.addLayout(picker_row)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.error)
        layout.addWidget(self.totals_label)
        self._update_totals()

    # -- data ------------------------------------------------------------------------------

    def set_products(self, products: Sequence[ProductChoiceDTO]) -> None:
        """Every product (deactivated ones too, to name them on old lines); the picker offers
        only active ones."""
        self._products = {p.id: p for p in products}
        self.picker.set_choices(
            [(p.id, product_label(p.code, p.name, p.unit)) for p in products if p.active]
        )

    def set_recipe(self, items: Sequence[RecipeItemDTO]) -> None:
        self.table.setRowCount(0)
        self._lines.clear()
        for item in items:
            product = self._products.get(item.product_id) or ProductChoiceDTO(
                item.product_id,
                item.product_code,
                item.product_name,
                item.unit,
                item.unit_cost,
                item.product_active,
            )
            self.add_line(product, item.quantity, emit=False)
        self._update_totals()

    def set_price(self, price: Decimal) -> None:
        self._price = price
        self._update_totals()

    def set_read_only(self, read_only: bool) -> None:
        self._read_only = read_only
        for widget in (self.picker, self.quantity_spin, self.add_button, self.remove_button):
            widget.setVisible(not read_only)
        for line in self._lines:
            line.spin.setReadOnly(read_only)

    def lines(self) -> list[RecipeLine]:
        return [RecipeLine(line.product.id, spin_decimal(line.spin)) for line in self._lines]

    def cost(self) -> Decimal:
        total = sum(
            (spin_decimal(line.spin) * line.product.cost for line in self._lines), Decimal(0)
        )
        return total.quantize(CENT, ROUND_HALF_UP)

    # -- lines -----------------------------------------------------------------------------

    def add_line(self, product: ProductChoiceDTO, quantity: Decimal, *, emit: bool = True) -> int:
        """Adds a line, or adds the quantity to the product's line if it has one."""
        for row, line in enumerate(self._lines):
            if line.product.id == product.id:
                line.spin.setValue(float(spin_decimal(line.spin) + quantity))
                self.table.selectRow(row)
                return row
        row = self.table.rowCount()
        self.table.insertRow(row)
        name = QTableWidgetItem(product_label(product.code, product.name, product.unit))
        if not product.active:
            name.setForeground(QBrush(QColor(DANGER)))
            name.setText(
                _("{product} — deactivated: remove or replace it").format(product=name.text())
            )
        self.table.setItem(row, PRODUCT, name)
        spin = decimal_spin(
            f"RecipeLineQuantity_{row}", self.table, decimals=3, suffix=f" {product.unit}"
        )
        spin.setFrame(False)
        spin.setValue(float(quantity))
        spin.setReadOnly(self._read_only)
        spin.valueChanged.connect(self._on_line_quantity_changed)
        self.table.setCellWidget(row, QUANTITY, spin)
        for column in (UNIT_COST, LINE_COST):
            cell = QTableWidgetItem()
            cell.setTextAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
            self.table.setItem(row, column, cell)
        self._lines.append(_Line(product, spin))
        self._update_row(row)
        if emit:
            self._update_totals()
            self.changed.emit()
        return row

    def add_product(self, product_id: uuid.UUID, quantity: Decimal) -> int:
        return self.add_line(self._products[product_id], quantity)

    def remove_current_line(self) -> None:
        rows = self.table.selectionModel().selectedRows()
        if not rows:
            return
        row = rows[0].row()
        self.table.removeRow(row)
        del self._lines[row]
        self._update_totals()
        self.changed.emit()

    def _update_row(self, row: int) -> None:
        line = self._lines[row]
        unit_cost = self.table.item(row, UNIT_COST)
        line_cost = self.table.item(row, LINE_COST)
        assert unit_cost is not None and line_cost is not None
        unit_cost.setText(unit_cost_text(line.product.cost, self._currency))
        line_cost.setText(money(spin_decimal(line.spin) * line.product.cost, self._currency))

    def _update_totals(self) -> None:
        cost = self.cost()
        margin = self._price - cost
        text = _("Cost {cost} · Margin {margin}").format(
            cost=money(cost, self._currency), margin=money(margin, self._currency)
        )
        if self._price > 0:
            text += f" ({percent_text(margin / self._price)})"
        self.totals_label.setText(text)
        self.totals_label.setStyleSheet(f"color: {DANGER};" if margin < 0 else "")

    def _on_line_quantity_changed(self, _value: float) -> None:
        for row in range(len(self._lines)):
            self._update_row(row)
        self._update_totals()
        self.changed.emit()

    def _on_picker_changed(self, _index: int) -> None:
        product = self._products.get(self.picker.current_id() or uuid.UUID(int=0))
        self.quantity_spin.setSuffix(f" {product.unit}" if product else "")

    def _on_add_clicked(self) -> None:
        self.error.clear_message()
        product_id = self.picker.current_id() or self.picker.only_match()
        if product_id is None:
            self.error.show_error(_("Product: choose one from the list first."))
            return
        quantity = spin_decimal(self.quantity_spin)
        if quantity <= 0:
            self.error.show_error(_("Quantity: it must be more than zero."))
            return
        self.add_product(product_id, quantity)
        self.picker.clear_choice()
        self.quantity_spin.setValue(1)
