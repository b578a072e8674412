"""Receiving a delivery outside any purchase order: how much (in units of use or in the
product's purchase unit, converted as typed), the lot number, the expiry (or none), the unit
cost and the supplier. An expiry already past asks before saving (the service refuses with
NeedsConfirmation; agreeing saves again with the confirmation)."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, timedelta
from decimal import Decimal, InvalidOperation

from PySide6.QtCore import QDate, QLocale
from PySide6.QtGui import QMouseEvent
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDateEdit,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QWidget,
)

from clinic_desktop.errors import NeedsConfirmation, UserFacingError
from clinic_desktop.i18n import _, current_language
from clinic_desktop.services.inventory_dto import ProductDTO, StockChangeDTO, SupplierDTO
from clinic_desktop.services.stock import receive_stock
from clinic_desktop.services.suppliers import list_suppliers
from clinic_desktop.ui.agenda.dialog_kit import (
    combo_id,
    fill_combo,
    from_qdate,
    to_qdate,
)
from clinic_desktop.ui.context import UiContext
from clinic_desktop.ui.inventory.products_kit import ask_to_confirm, decimal_text, qty, refusal
from clinic_desktop.ui.inventory.stock_dialog_kit import StockDialog, inline_row, quantity_edit
from clinic_desktop.ui.style import set_role


def parse_typed(text: str) -> Decimal | None:
    """What the user typed as a number, for live hints only (the service does the checking)."""
    cleaned = text.strip().replace(" ", "")
    if "," in cleaned and "." in cleaned:
        cleaned = cleaned.replace(".", "").replace(",", ".")
    try:
        return Decimal(cleaned.replace(",", "."))
    except InvalidOperation:
        return None


class _BlankableDateEdit(QDateEdit):
    """Shows "—" until a date is picked; opening the calendar on a blank box starts it at
    `start` rather than at the far-past sentinel that means "blank"."""

    def __init__(self, parent: QWidget, blank: QDate, start: QDate) -> None:
        super().__init__(parent)
        self.blank = blank
        self.start = start

    def mousePressEvent(self, event: QMouseEvent) -> None:
        if self.date() == self.blank:
            self.setDate(self.start)
        super().mousePressEvent(event)


class ExpiryField(QWidget):
    """A date box that starts empty ("—") next to a "No expiry date" check box: the user
    must either pick a date or say there is none."""

    def __init__(self, name: str, today: date, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName(name)
        self._blank = to_qdate(today - timedelta(days=365 * 20))
        self.date_edit = _BlankableDateEdit(self, self._blank, to_qdate(today))
        self.date_edit.setObjectName(f"{name}Date")
        # As dialog_kit.date_box: the UI language's month names, not the system's.
        self.date_edit.setLocale(QLocale(current_language()))
        self.date_edit.setCalendarPopup(True)
        self.date_edit.setDisplayFormat("dd/MM/yyyy")
        self.date_edit.setMinimumDate(self._blank)
        self.date_edit.setSpecialValueText("—")
        self.date_edit.setDate(self._blank)
        self.date_edit.setFixedWidth(150)
        self.none_check = QCheckBox(_("No expiry date"), self)
        self.none_check.setObjectName(f"{name}None")
        self.none_check.toggled.connect(lambda on: self.date_edit.setEnabled(not on))
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.date_edit)
        layout.addWidget(self.none_check)
        layout.addStretch(1)

    def set_value(self, value: date | None) -> None:
        self.none_check.setChecked(value is None)
        self.date_edit.setDate(to_qdate(value) if value else self._blank)

    def is_blank(self) -> bool:
        return not self.none_check.isChecked() and self.date_edit.date() == self._blank

    def value(self) -> date | None:
        if self.none_check.isChecked() or self.date_edit.date() == self._blank:
            return None
        return from_qdate(self.date_edit.date())

    def set_date(self, value: QDate) -> None:
        self.none_check.setChecked(False)
        self.date_edit.setDate(value)


class ReceiveStockDialog(StockDialog):
    def __init__(self, ctx: UiContext, product: ProductDTO, parent: QWidget | None = None) -> None:
        super().__init__(
            ctx,
            product,
            name="ReceiveStockDialog",
            title=_("Receive stock"),
            save_text=_("Receive"),
            parent=parent,
            width=560,
        )
        self.confirmed_past_expiry = False
        self.quantity_edit = quantity_edit("ReceiveQuantityEdit", self)
        self.unit_combo = QComboBox(self)
        self.unit_combo.setObjectName("ReceiveUnitCombo")
        self.unit_combo.addItem(product.unit, False)
        if product.purchase_unit and product.units_per_purchase != 1:
            self.unit_combo.addItem(
                _("{unit} ({count} {use_unit})").format(
                    unit=product.purchase_unit,
                    count=qty(product.units_per_purchase),
                    use_unit=product.unit,
                ),
                True,
            )
        self.conversion_label = QLabel(self)
        self.conversion_label.setObjectName("ReceiveConversionLabel")
        set_role(self.conversion_label, "hint")
        amount_box = inline_row(self, self.quantity_edit, self.unit_combo, self.conversion_label)
        self.lot_edit = QLineEdit(self)
        self.lot_edit.setObjectName("ReceiveLotEdit")
        self.lot_edit.setPlaceholderText(_("As printed on the box"))
        self.lot_edit.setMaximumWidth(240)
        self.expiry = ExpiryField("ReceiveExpiry", self.today, self)
        self.cost_edit = quantity_edit("ReceiveCostEdit", self)
        self.cost_label = QLabel(self)
        set_role(self.cost_label, "hint")
        cost_box = inline_row(self, self.cost_edit, self.cost_label)
        self.supplier_combo = QComboBox(self)
        self.supplier_combo.setObjectName("ReceiveSupplierCombo")
        self.supplier_combo.setMinimumWidth(260)

        self.add_row(_("Quantity"), "quantity", amount_box, self.quantity_edit)
        self.add_row(_("Lot"), "lot_number", self.lot_edit)
        self.add_row(_("Expiry"), "expiry_date", self.expiry, self.expiry.date_edit)
        self.add_row(_("Unit cost"), "unit_cost", cost_box, self.cost_edit)
        self.add_row(_("Supplier"), "supplier_id", self.supplier_combo)

        self.quantity_edit.textChanged.connect(lambda _t: self._update_hints())
        self.unit_combo.currentIndexChanged.connect(self._on_unit_changed)
        self._on_unit_changed(0)
        self.finish_layout()
        self.load(lambda: list_suppliers(ctx.uow(), actor=ctx.actor), self._on_suppliers_loaded)

    def _in_boxes(self) -> bool:
        return bool(self.unit_combo.currentData())

    def _on_unit_changed(self, _index: int) -> None:
        product = self._product
        cost = product.cost * (product.units_per_purchase if self._in_boxes() else 1)
        self.cost_edit.setText(decimal_text(cost.quantize(Decimal("0.0001"))))
        unit = product.purchase_unit if self._in_boxes() else product.unit
        self.cost_label.setText(_("per {unit}").format(unit=unit))
        self._update_hints()

    def _update_hints(self) -> None:
        typed = parse_typed(self.quantity_edit.text())
        if self._in_boxes() and typed is not None and typed > 0:
            units = typed * self._product.units_per_purchase
            self.conversion_label.setText(f"= {qty(units, self._product.unit)}")
        else:
            self.conversion_label.setText("")

    def _on_suppliers_loaded(self, suppliers: list[SupplierDTO]) -> None:
        fill_combo(
            self.supplier_combo,
            [(s.name, s.id) for s in suppliers],
            keep=self._product.preferred_supplier_id,
            empty=_("Not recorded"),
        )

    def service_call(self) -> Callable[[], object]:
        if self.expiry.is_blank():
            return refusal(_("Expiry: choose the date or tick “No expiry date”."), "expiry_date")
        ctx, product = self._ctx, self._product
        values = {
            "quantity": self.quantity_edit.text(),
            "lot_number": self.lot_edit.text(),
            "expiry_date": self.expiry.value(),
            "unit_cost": self.cost_edit.text(),
            "supplier_id": combo_id(self.supplier_combo),
            "in_purchase_units": self._in_boxes(),
            "confirmed_past_expiry": self.confirmed_past_expiry,
        }
        return lambda: receive_stock(
            ctx.uow(),
            actor=ctx.actor,
            product_id=product.id,
            **values,  # type: ignore[arg-type]
        )

    def _on_user_error(self, error: UserFacingError) -> None:
        if isinstance(error, NeedsConfirmation) and ask_to_confirm(
            self, error, _("Receive anyway")
        ):
            self.confirmed_past_expiry = True
            self.save()
            return
        super()._on_user_error(error)

    def saved_message(self, change: StockChangeDTO) -> str:
        product = self._product
        return _("Received into {product}: now {stock} in stock.").format(
            product=product.name, stock=qty(change.on_hand, product.unit)
        )
