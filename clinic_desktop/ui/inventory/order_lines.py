"""The lines of a purchase order in the order editor: one row per product with its usable
stock, the quantity in the supplier's purchase unit (and, beside it, what that means in units
of use: 3 boxes of 100 are 300 gloves), the unit cost per purchase unit, the line total and,
once placed, what has arrived. Editable only while the order is a draft."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from PySide6.QtCore import QStringListModel, Qt, QTimer, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QAbstractSpinBox,
    QCompleter,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QStyle,
    QTableWidget,
    QTableWidgetItem,
    QToolButton,
    QWidget,
)

from clinic_desktop.formatting import money, quantity
from clinic_desktop.i18n import _
from clinic_desktop.services.inventory_dto import ProductDTO
from clinic_desktop.services.purchasing_dto import OrderLineDTO, OrderLineInput
from clinic_desktop.ui.inventory.order_widgets import DecimalSpin

CENT = Decimal("0.01")
PRODUCT, STOCK, QUANTITY, UNITS, COST, TOTAL, RECEIVED, REMOVE = range(8)


@dataclass
class LineRow:
    """One row: the product's facts and the row's input boxes."""

    product_id: uuid.UUID
    line_id: uuid.UUID | None
    code: str
    name: str
    unit: str
    purchase_unit: str
    per: Decimal
    usable: Decimal | None
    received: Decimal
    quantity_spin: DecimalSpin
    cost_spin: DecimalSpin
    units_label: QLabel
    total_label: QLabel

    @property
    def purchase_unit_name(self) -> str:
        return self.purchase_unit or self.unit

    def line_total(self) -> Decimal:
        return (self.quantity_spin.decimal() * self.cost_spin.decimal()).quantize(
            CENT, rounding=ROUND_HALF_UP
        )


class OrderLinesTable(QTableWidget):
    changed = Signal()

    def __init__(self, currency: str, parent: QWidget | None = None) -> None:
        super().__init__(0, 8, parent)
        self.setObjectName("OrderLinesTable")
        self._currency = currency
        self._editable = True
        self.rows: list[LineRow] = []
        self.setHorizontalHeaderLabels(
            [
                _("Product"),
                _("Usable stock"),
                _("Quantity"),
                _("In units of use"),
                _("Unit cost"),
                _("Total"),
                _("Received so far"),
                "",
            ]
        )
        self.setSelectionMode(QAbstractItemView.SelectionMode.NoSelection)
        self.setFocusPolicy(Qt.FocusPolicy.NoFocus)  # the boxes in it take the focus
        self.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.setAlternatingRowColors(True)
        self.verticalHeader().hide()
        self.verticalHeader().setDefaultSectionSize(40)
        header = self.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(PRODUCT, QHeaderView.ResizeMode.Stretch)
        header.setMinimumSectionSize(40)

    def set_editable(self, editable: bool) -> None:
        """A placed order shows what arrived instead of remove buttons, and its figures as
        plain text rather than boxes that look editable."""
        self._editable = editable
        self.setColumnHidden(REMOVE, not editable)
        self.setColumnHidden(RECEIVED, editable)
        symbols = (
            QAbstractSpinBox.ButtonSymbols.UpDownArrows
            if editable
            else QAbstractSpinBox.ButtonSymbols.NoButtons
        )
        for row in self.rows:
            for spin in (row.quantity_spin, row.cost_spin):
                spin.setReadOnly(not editable)
                spin.setFrame(editable)
                spin.setButtonSymbols(symbols)
                spin.setFocusPolicy(
                    Qt.FocusPolicy.StrongFocus if editable else Qt.FocusPolicy.NoFocus
                )

    def set_lines(self, lines: tuple[OrderLineDTO, ...], stock: dict[uuid.UUID, Decimal]) -> None:
        self.setRowCount(0)
        self.rows = []
        for line in lines:
            self._add_row(
                product_id=line.product_id,
                line_id=line.id,
                code=line.product_code,
                name=line.product_name,
                unit=line.unit,
                purchase_unit=line.purchase_unit,
                per=line.units_per_purchase,
                usable=stock.get(line.product_id),
                received=line.received_quantity,
                amount=line.quantity,
                cost=line.unit_cost,
            )
        self.set_editable(self._editable)
        self.changed.emit()

    def add_product(self, product: ProductDTO) -> bool:
        """Adds a line for `product` (one purchase unit at its current cost), or focuses the
        line it already has; returns whether a new line was added."""
        for index, row in enumerate(self.rows):
            if row.product_id == product.id:
                self.setCurrentCell(index, QUANTITY)
                row.quantity_spin.setFocus()
                return False
        self._add_row(
            product_id=product.id,
            line_id=None,
            code=product.code,
            name=product.name,
            unit=product.unit,
            purchase_unit=product.purchase_unit,
            per=product.units_per_purchase,
            usable=product.usable,
            received=Decimal(0),
            amount=Decimal(1),
            cost=(product.cost * product.units_per_purchase).quantize(Decimal("0.0001")),
        )
        self.set_editable(self._editable)
        self.rows[-1].quantity_spin.setFocus()
        self.rows[-1].quantity_spin.selectAll()
        self.changed.emit()
        return True

    def _add_row(
        self,
        *,
        product_id: uuid.UUID,
        line_id: uuid.UUID | None,
        code: str,
        name: str,
        unit: str,
        purchase_unit: str,
        per: Decimal,
        usable: Decimal | None,
        received: Decimal,
        amount: Decimal,
        cost: Decimal,
    ) -> None:
        index = self.rowCount()
        self.insertRow(index)
        item = QTableWidgetItem(name)
        item.setToolTip(f"{code} · {name}")
        self.setItem(index, PRODUCT, item)
        stock = QTableWidgetItem("—" if usable is None else f"{quantity(usable)} {unit}")
        stock.setTextAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        self.setItem(index, STOCK, stock)
        quantity_spin = DecimalSpin(f"LineQuantitySpin_{index}", self, places=3)
        quantity_spin.setSuffix(f" {purchase_unit or unit}")
        quantity_spin.setMinimumWidth(130)
        quantity_spin.set_decimal(amount)
        cost_spin = DecimalSpin(f"LineCostSpin_{index}", self, places=4, min_places=2)
        cost_spin.setMinimumWidth(100)
        cost_spin.set_decimal(cost)
        units_label = QLabel(self)
        units_label.setObjectName(f"LineUnitsLabel_{index}")
        units_label.setAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        total_label = QLabel(self)
        total_label.setAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        for label in (units_label, total_label):
            label.setContentsMargins(6, 0, 6, 0)
        units_label.setMinimumWidth(120)
        row = LineRow(
            product_id, line_id, code, name, unit, purchase_unit, per, usable, received,
            quantity_spin, cost_spin, units_label, total_label,
        )  # fmt: skip
        self.rows.append(row)
        self.setCellWidget(index, QUANTITY, quantity_spin)
        self.setCellWidget(index, UNITS, units_label)
        self.setCellWidget(index, COST, cost_spin)
        self.setCellWidget(index, TOTAL, total_label)
        got = QTableWidgetItem(f"{quantity(received)} / {quantity(amount)}")
        got.setTextAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        self.setItem(index, RECEIVED, got)
        remove = QToolButton(self)
        remove.setObjectName(f"RemoveLineButton_{index}")
        remove.setIcon(self.style().standardIcon(QStyle.StandardPixmap.SP_DialogDiscardButton))
        remove.setToolTip(_("Remove this line"))
        remove.setAutoRaise(True)
        remove.clicked.connect(lambda: self.remove_row(self.rows.index(row)))
        self.setCellWidget(index, REMOVE, remove)
        quantity_spin.valueChanged.connect(lambda _v: self._refresh_row(row))
        cost_spin.valueChanged.connect(lambda _v: self._refresh_row(row))
        self._refresh_row(row)

    def remove_row(self, index: int) -> None:
        if 0 <= index < len(self.rows):
            self.rows.pop(index)
            self.removeRow(index)
            self.changed.emit()

    def _refresh_row(self, row: LineRow) -> None:
        units = row.quantity_spin.decimal() * row.per
        row.units_label.setText(f"= {quantity(units)} {row.unit}")
        row.total_label.setText(money(row.line_total(), self._currency))
        self.changed.emit()

    def total(self) -> Decimal:
        return sum((row.line_total() for row in self.rows), Decimal(0))

    def lines_input(self) -> list[OrderLineInput]:
        return [
            OrderLineInput(
                product_id=row.product_id,
                quantity=row.quantity_spin.decimal(),
                unit_cost=row.cost_spin.decimal(),
                line_id=row.line_id,
            )
            for row in self.rows
        ]


class ProductPicker(QWidget):
    """ "Add a product": a search box completing on name and code, and an Add button.
    Emits `picked` with the product when the text names exactly one, `problem` otherwise."""

    picked = Signal(object)  # ProductDTO
    problem = Signal(str)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("OrderProductPicker")
        self.products: list[ProductDTO] = []
        self.edit = QLineEdit(self)
        self.edit.setObjectName("OrderProductSearchEdit")
        self.edit.setPlaceholderText(_("Add a product: type its name or code"))
        self._model = QStringListModel(self)
        completer = QCompleter(self._model, self)
        completer.setCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
        completer.setFilterMode(Qt.MatchFlag.MatchContains)
        completer.activated.connect(self.pick)
        self.edit.setCompleter(completer)
        self.edit.returnPressed.connect(self._on_add)
        self.add_button = QPushButton(_("Add"), self)
        self.add_button.setObjectName("AddOrderLineButton")
        self.add_button.setAutoDefault(False)
        self.add_button.clicked.connect(self._on_add)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.edit, 1)
        layout.addWidget(self.add_button)

    def set_products(self, products: list[ProductDTO]) -> None:
        self.products = products
        self._model.setStringList([choice_text(p) for p in products])

    def _on_add(self) -> None:
        self.pick(self.edit.text())

    def pick(self, text: str) -> bool:
        """Adds the product whose name or code matches `text` exactly, or as the only match."""
        needle = text.strip().casefold()
        if not needle:
            return False
        exact = [
            p
            for p in self.products
            if needle in (choice_text(p).casefold(), p.code.casefold(), p.name.casefold())
        ]
        found = exact or [p for p in self.products if needle in choice_text(p).casefold()]
        if len(found) != 1:
            self.problem.emit(
                _("No product matches “{text}”.").format(text=text.strip())
                if not found
                else _("Several products match “{text}”: choose one from the list.").format(
                    text=text.strip()
                )
            )
            return False
        self.picked.emit(found[0])
        # Cleared after the completer has finished with the text it just put in the box.
        QTimer.singleShot(0, self.edit.clear)
        return True


def choice_text(product: ProductDTO) -> str:
    return f"{product.name} · {product.code}"
