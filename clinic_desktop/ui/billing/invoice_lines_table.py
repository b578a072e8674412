"""The lines of an invoice in the editor. A draft's lines are edited in place — description,
quantity, unit price, money off the line and tax code, with the line's amount worked out as
it is typed and a button to remove it — and remember where they came from (an appointment's
treatment, a catalogue treatment, a product sold, a free line), which the service needs. An
issued invoice's lines are shown as plain text with what credit notes already took back. A
refusal naming a line ("lines.2.quantity") marks that box and says why under the table."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from clinic_desktop.formatting import quantity as quantity_text
from clinic_desktop.i18n import N_, _
from clinic_desktop.services.invoice_dto import InvoiceLineDTO, LineForm, Source
from clinic_desktop.services.treatment_dto import TaxChoice
from clinic_desktop.ui.billing.money_widgets import money_text
from clinic_desktop.ui.inventory.order_widgets import DecimalSpin
from clinic_desktop.ui.style import MUTED
from clinic_desktop.ui.widgets.forms import FieldError, mark_invalid

ZERO = Decimal("0.00")
ROW_HEIGHT = 40
COLUMNS = 7
DESCRIPTION, QUANTITY, PRICE, DISCOUNT, TAX, AMOUNT, REMOVE = range(COLUMNS)
SOURCE_HINTS = {
    Source.TREATMENT.value: N_("Treatment"),
    Source.PRODUCT.value: N_("Product sold: leaves stock when the invoice is issued"),
    Source.FREE.value: N_("Free line"),
}


@dataclass
class LineRow:
    """The widgets of one editable line and the catalogue item behind it."""

    source: str
    product_id: uuid.UUID | None
    treatment_id: uuid.UUID | None
    appointment_treatment_id: uuid.UUID | None
    description: QLineEdit
    quantity: DecimalSpin
    unit_price: DecimalSpin
    discount: DecimalSpin
    tax: QComboBox
    amount: QLabel
    remove: QPushButton

    def form(self) -> LineForm:
        return LineForm(
            source=self.source,
            description=self.description.text().strip(),
            quantity=self.quantity.decimal(),
            unit_price=self.unit_price.decimal(),
            discount=self.discount.decimal(),
            tax_code=str(self.tax.currentData() or ""),
            product_id=self.product_id,
            treatment_id=self.treatment_id,
            appointment_treatment_id=self.appointment_treatment_id,
        )

    def widget_for(self, attribute: str) -> QWidget:
        return {
            "quantity": self.quantity,
            "unit_price": self.unit_price,
            "discount": self.discount,
            "tax_code": self.tax,
        }.get(attribute, self.description)


class InvoiceLinesTable(QWidget):
    """`changed` whenever a line is added, removed or edited."""

    changed = Signal()

    def __init__(
        self, currency: str, tax_choices: Sequence[TaxChoice], parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.setObjectName("InvoiceLinesBox")
        self.currency = currency
        self.tax_choices = list(tax_choices)
        self.rows: list[LineRow] = []
        self.read_only = False
        self._marked: list[QWidget] = []
        self.table = QTableWidget(0, COLUMNS, self)
        self.table.setObjectName("InvoiceLinesTable")
        self.table.setHorizontalHeaderLabels(
            [
                _("Description"),
                _("Quantity"),
                _("Unit price"),
                _("Discount"),
                _("Tax"),
                _("Amount"),
                "",
            ]
        )
        self.table.verticalHeader().setDefaultSectionSize(ROW_HEIGHT)
        self.table.verticalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Fixed)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.NoSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.Fixed)
        header.setSectionResizeMode(DESCRIPTION, QHeaderView.ResizeMode.Stretch)
        for column, width in (
            (QUANTITY, 90),
            (PRICE, 110),
            (DISCOUNT, 100),
            (TAX, 250),
            (AMOUNT, 110),
            (REMOVE, 44),
        ):
            self.table.setColumnWidth(column, width)
        for column in (QUANTITY, PRICE, DISCOUNT, AMOUNT):
            item = self.table.horizontalHeaderItem(column)
            if item is not None:
                item.setTextAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        self.empty_label = QLabel(
            _("No lines yet: add a treatment, a product or a free line below."), self
        )
        self.empty_label.setObjectName("InvoiceLinesEmptyLabel")
        self.empty_label.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.empty_label.setStyleSheet(f"color: {MUTED}; padding: 14px;")
        self.error_label = FieldError("InvoiceEditorError_lines", self)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(4)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.empty_label)
        layout.addWidget(self.error_label)
        self._update_empty()

    # -- editable lines ----------------------------------------------------------------------

    def set_lines(self, lines: Sequence[LineForm]) -> None:
        self.read_only = False
        self.table.setColumnHidden(REMOVE, False)
        self.table.setColumnWidth(QUANTITY, 90)
        self.table.clearContents()
        self.table.setRowCount(0)
        self.rows = []
        for line in lines:
            self._append(line)
        self._update_empty()

    def add_line(self, line: LineForm) -> LineRow:
        """Appends a line and puts the cursor where it is usually changed next."""
        row = self._append(line)
        self._update_empty()
        focus = row.description if line.source == Source.FREE else row.quantity
        focus.setFocus()
        self.table.scrollToBottom()
        self.changed.emit()
        return row

    def remove_line(self, index: int) -> None:
        if not 0 <= index < len(self.rows):
            return
        self.rows.pop(index)
        self.table.removeRow(index)
        self._update_empty()
        self.changed.emit()

    def forms(self) -> tuple[LineForm, ...]:
        return tuple(row.form() for row in self.rows)

    def set_nets(self, nets: Sequence[Decimal | None]) -> None:
        for row, net in zip(self.rows, nets, strict=False):
            row.amount.setText(money_text(net, self.currency) if net is not None else "—")

    def _append(self, line: LineForm) -> LineRow:
        index = len(self.rows)
        self.table.insertRow(index)
        name = f"InvoiceLine{index + 1}"
        description = QLineEdit(line.description, self.table)
        description.setObjectName(f"{name}Description")
        description.setPlaceholderText(_("What is charged"))
        hint = SOURCE_HINTS.get(line.source)
        description.setToolTip(_(hint) if hint else "")
        description.setStyleSheet("QLineEdit { border-radius: 0; }")
        qty = DecimalSpin(f"{name}Quantity", self.table, places=3, maximum=99_999)
        qty.set_decimal(line.quantity)
        price = DecimalSpin(f"{name}Price", self.table, places=4, min_places=2, maximum=9_999_999)
        price.set_decimal(line.unit_price)
        discount = DecimalSpin(
            f"{name}Discount", self.table, places=2, min_places=2, maximum=9_999_999
        )
        discount.set_decimal(line.discount)
        for box in (qty, price, discount):
            box.setButtonSymbols(DecimalSpin.ButtonSymbols.NoButtons)
        tax = QComboBox(self.table)
        tax.setObjectName(f"{name}Tax")
        for choice in self.tax_choices:
            tax.addItem(choice.label, choice.code)
        if line.tax_code and tax.findData(line.tax_code) < 0:
            tax.addItem(line.tax_code, line.tax_code)  # a code this clinic no longer offers
        tax.setCurrentIndex(max(tax.findData(line.tax_code), 0))
        tax.setToolTip(tax.currentText())
        tax.currentTextChanged.connect(tax.setToolTip)
        amount = QLabel("—", self.table)
        amount.setObjectName(f"{name}Amount")
        amount.setAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        amount.setContentsMargins(0, 0, 8, 0)
        remove = QPushButton("✕", self.table)
        remove.setObjectName(f"{name}RemoveButton")
        remove.setToolTip(_("Remove this line"))
        remove.setAutoDefault(False)
        remove.setStyleSheet("QPushButton { padding: 2px 6px; border: none; }")
        row = LineRow(
            source=line.source or Source.FREE.value,
            product_id=line.product_id,
            treatment_id=line.treatment_id,
            appointment_treatment_id=line.appointment_treatment_id,
            description=description,
            quantity=qty,
            unit_price=price,
            discount=discount,
            tax=tax,
            amount=amount,
            remove=remove,
        )
        self.rows.append(row)
        for column, widget in (
            (DESCRIPTION, description),
            (QUANTITY, qty),
            (PRICE, price),
            (DISCOUNT, discount),
            (TAX, tax),
            (AMOUNT, amount),
            (REMOVE, remove),
        ):
            self.table.setCellWidget(index, column, widget)
        description.textEdited.connect(lambda _t: self.changed.emit())
        for box in (qty, price, discount):
            box.valueChanged.connect(lambda _v: self.changed.emit())
        tax.currentIndexChanged.connect(lambda _i: self.changed.emit())
        remove.clicked.connect(lambda _c=False, r=row: self.remove_line(self.rows.index(r)))
        return row

    def _update_empty(self) -> None:
        """Room for a few lines while editing; exactly the lines when read-only, so the
        payments below get the space."""
        rows = self.table.rowCount()
        self.empty_label.setVisible(rows == 0 and not self.read_only)
        header = self.table.horizontalHeader().sizeHint().height() or 30
        if self.read_only:
            height = header + max(rows, 1) * ROW_HEIGHT + 4
            self.table.setMinimumHeight(min(height, header + 6 * ROW_HEIGHT + 4))
            self.table.setMaximumHeight(height)
        else:
            self.table.setMinimumHeight(header + min(max(rows, 2), 6) * ROW_HEIGHT + 4)
            self.table.setMaximumHeight(16777215)

    # -- issued lines -------------------------------------------------------------------------

    def show_issued(self, lines: Sequence[InvoiceLineDTO]) -> None:
        """The lines as printed, read-only; what credit notes took back is in the tooltip and
        after the quantity."""
        self.read_only = True
        self.rows = []
        self.table.clearContents()
        self.table.setRowCount(len(lines))
        self.table.setColumnHidden(REMOVE, True)
        credited = any(line.credited_quantity > 0 for line in lines)
        self.table.setColumnWidth(QUANTITY, 170 if credited else 90)
        for index, line in enumerate(lines):
            qty = quantity_text(line.quantity)
            tooltip = line.description
            if line.credited_quantity > 0:
                done = quantity_text(line.credited_quantity)
                qty = _("{quantity} ({credited} credited)").format(quantity=qty, credited=done)
                tooltip += "\n" + _("Credited: {quantity}").format(quantity=done)
            texts = [
                line.description,
                qty,
                money_text(line.unit_price, self.currency),
                money_text(line.discount, self.currency) if line.discount else "—",
                line.tax_label,
                money_text(line.net, self.currency),
            ]
            for column, text in enumerate(texts):
                item = QTableWidgetItem(text)
                item.setToolTip(tooltip if column == DESCRIPTION else text)
                if column in (QUANTITY, PRICE, DISCOUNT, AMOUNT):
                    item.setTextAlignment(
                        Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter
                    )
                self.table.setItem(index, column, item)
        self._update_empty()

    # -- errors --------------------------------------------------------------------------------

    def show_error(self, field: str | None, message: str) -> None:
        """Marks the box a "lines.N.attribute" field names and shows the message below."""
        self.error_label.show_error(message)
        parts = (field or "").split(".")
        if len(parts) == 3 and parts[1].isdigit():
            number = int(parts[1])
            if 1 <= number <= len(self.rows):
                widget = self.rows[number - 1].widget_for(parts[2])
                mark_invalid(widget, True)
                self._marked.append(widget)
                widget.setFocus()

    def clear_errors(self) -> None:
        self.error_label.clear_message()
        for widget in self._marked:
            mark_invalid(widget, False)
        self._marked = []

    def marked(self) -> list[QWidget]:
        return list(self._marked)
