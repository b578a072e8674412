"""The fields of one purchase order in the order editor: supplier, expected delivery, notes,
the product search that adds a line, the lines and their total. It fills itself from an order
and the choices loaded for it, reads back what the draft services take, and marks the field a
refusal names; the editor around it keeps the heading, the buttons and the service calls."""

from __future__ import annotations

import uuid
from datetime import date, timedelta
from decimal import Decimal
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QComboBox,
    QHBoxLayout,
    QLabel,
    QPlainTextEdit,
    QVBoxLayout,
    QWidget,
)

from clinic_desktop.formatting import money
from clinic_desktop.i18n import N_, _
from clinic_desktop.services.inventory_dto import ProductDTO, SupplierDTO
from clinic_desktop.services.purchasing_dto import PurchaseOrderDTO
from clinic_desktop.ui.inventory.order_lines import OrderLinesTable, ProductPicker
from clinic_desktop.ui.inventory.order_widgets import (
    OptionalDateEdit,
    index_of_data,
    select_data,
)
from clinic_desktop.ui.style import bold
from clinic_desktop.ui.widgets.screen_kit import mark_invalid

NOTES_HINT = N_("Delivery instructions, agreed prices… (optional)")


class OrderForm(QWidget):
    def __init__(self, currency: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("OrderForm")
        self.currency = currency  # the order's own once it has one
        self._products: list[ProductDTO] = []
        self.supplier_combo = QComboBox(self)
        self.supplier_combo.setObjectName("OrderSupplierCombo")
        self.supplier_combo.setMinimumWidth(320)
        self.expected_edit = OptionalDateEdit(
            "OrderExpectedEdit", self, label=_("Delivery expected on")
        )
        self.notes_edit = QPlainTextEdit(self)
        self.notes_edit.setObjectName("OrderNotesEdit")
        self.notes_edit.setPlaceholderText(_(NOTES_HINT))
        self.notes_edit.setFixedHeight(56)
        self.picker = ProductPicker(self)
        self.lines_table = OrderLinesTable(currency, self)
        self.lines_table.changed.connect(self.show_total)
        self.total_label = QLabel(self)
        self.total_label.setObjectName("OrderTotalLabel")
        self.total_label.setAlignment(Qt.AlignmentFlag.AlignRight)
        bold(self.total_label, 12)

        top = QHBoxLayout()
        top.addWidget(QLabel(_("Supplier"), self))
        top.addWidget(self.supplier_combo)
        top.addSpacing(24)
        top.addWidget(self.expected_edit)
        top.addStretch(1)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addLayout(top)
        layout.addWidget(self.notes_edit)
        layout.addWidget(self.picker)
        layout.addWidget(self.lines_table, 1)
        layout.addWidget(self.total_label)
        # Where a refusal naming each field is marked.
        self.fields: dict[str, QWidget] = {
            "supplier": self.supplier_combo,
            "expected_on": self.expected_edit.date_edit,
            "notes": self.notes_edit,
            "lines": self.lines_table,
        }

    def set_choices(
        self,
        suppliers: list[SupplierDTO],
        products: list[ProductDTO],
        order: PurchaseOrderDTO | None,
    ) -> None:
        self._products = products
        current = order.supplier_id if order else None
        self.supplier_combo.clear()
        if order is None:
            self.supplier_combo.addItem(_("Choose a supplier…"), None)
        for supplier in suppliers:
            # An inactive supplier stays listed only on the order that already has it.
            if supplier.active or supplier.id == current:
                self.supplier_combo.addItem(supplier.name, supplier.id)
        self.supplier_combo.setCurrentIndex(max(index_of_data(self.supplier_combo, current), 0))
        self.picker.set_products(products)
        if order is not None:
            self.lines_table.set_lines(order.lines, self._stock())

    def _stock(self) -> dict[uuid.UUID, Decimal]:
        return {p.id: p.usable for p in self._products}

    def show_order(self, order: PurchaseOrderDTO | None, *, editable: bool) -> None:
        if order is not None:
            self.currency = order.currency
            select_data(self.supplier_combo, order.supplier_id)
            self.notes_edit.setPlainText(order.notes)
            self.lines_table.set_lines(order.lines, self._stock())
        default_day = date.today() + timedelta(days=7)
        self.expected_edit.set_value(order.expected_on if order else None, default_day)
        for widget in (self.supplier_combo, self.expected_edit, self.notes_edit):
            widget.setEnabled(editable)
        self.notes_edit.setReadOnly(not editable)
        self.picker.setVisible(editable)
        self.notes_edit.setVisible(editable or bool(order and order.notes))
        self.notes_edit.setPlaceholderText(_(NOTES_HINT) if editable else "")
        self.lines_table.set_editable(editable)
        self.show_total()

    def show_total(self) -> None:
        self.total_label.setText(
            _("Total: {amount}").format(amount=money(self.lines_table.total(), self.currency))
        )

    def values(self) -> dict[str, Any]:
        """What create_order and update_draft take, read here on the GUI thread."""
        return {
            "supplier_id": self.supplier_combo.currentData(),
            "lines": self.lines_table.lines_input(),
            "expected_on": self.expected_edit.value(),
            "notes": self.notes_edit.toPlainText(),
        }

    def clear_marks(self) -> None:
        for widget in self.fields.values():
            mark_invalid(widget, False)

    def mark(self, field: str | None) -> None:
        widget = self.fields.get(field or "")
        if widget is not None:
            mark_invalid(widget, True)
