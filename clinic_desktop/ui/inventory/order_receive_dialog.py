"""Receiving a placed order, all of it or part: one row per order line with what is still
outstanding pre-filled (in the supplier's purchase unit, with what it means in units of use),
the lot number, the expiry date and the unit cost paid. "Another lot" splits a line that came
in two lots. When the service asks (more than outstanding, an expiry date already past) the
questions are shown and, if the user agrees, the receipt is sent again as confirmed. Someone
who may record expenses also gets "Record the expense of this order", ticked while the
quantities complete an order that has no expense yet (until the user sets it): once the goods
are in, the expense is made from the order; if that is refused the goods stay received and
`expense_error` says why, for the order editor to show."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QDialog,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from clinic_desktop.errors import NeedsConfirmation, UserFacingError
from clinic_desktop.formatting import quantity
from clinic_desktop.i18n import _
from clinic_desktop.services.expense_dto import ExpenseDTO
from clinic_desktop.services.purchasing_dto import (
    OrderLineDTO,
    PurchaseOrderDTO,
    ReceiptDTO,
    ReceiptLine,
)
from clinic_desktop.services.purchasing_receive import receive
from clinic_desktop.ui.context import UiContext
from clinic_desktop.ui.inventory import order_expense
from clinic_desktop.ui.inventory.order_widgets import DecimalSpin, OptionalDateEdit, hint_label
from clinic_desktop.ui.style import set_role
from clinic_desktop.ui.widgets import screen_kit
from clinic_desktop.ui.widgets.screen_kit import MessageBanner

PRODUCT, ORDERED, NOW, MEANS, LOT, EXPIRY, COST, SPLIT = range(8)
# A new lot's expiry is usually a year or more away; the box starts there, unticked.
DEFAULT_EXPIRY_DAYS = 365


@dataclass
class ReceiptRow:
    line: OrderLineDTO
    quantity_spin: DecimalSpin
    lot_edit: QLineEdit
    expiry_edit: OptionalDateEdit
    cost_spin: DecimalSpin
    means_label: QLabel

    def receipt_line(self) -> ReceiptLine:
        return ReceiptLine(
            line_id=self.line.id,
            quantity=self.quantity_spin.decimal(),
            lot_number=self.lot_edit.text(),
            expiry_date=self.expiry_edit.value(),
            unit_cost=self.cost_spin.decimal(),
        )


class OrderReceiveDialog(QDialog):
    received = Signal(object)  # PurchaseOrderDTO after the receipt

    def __init__(
        self, ctx: UiContext, order: PurchaseOrderDTO, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self._ctx = ctx
        self.order = order
        self.result_receipt: ReceiptDTO | None = None
        # After a receipt with the box ticked: the expense made, or why it was not.
        self.result_expense: ExpenseDTO | None = None
        self.expense_error = ""
        self.existing_expense: ExpenseDTO | None = None
        self._expense_set_by_user = False
        self.rows: list[ReceiptRow] = []
        self.setObjectName("OrderReceiveDialog")
        self.setWindowTitle(_("Receive order {number}").format(number=order.number_text))
        self.setMinimumSize(1080, 460)

        title = QLabel(
            _("Receive {number} from {supplier}").format(
                number=order.number_text, supplier=order.supplier_name
            ),
            self,
        )
        set_role(title, "subtitle")
        intro = hint_label(
            _(
                "Enter what arrived. Each line goes into a new lot with its number and expiry "
                "date; use “Another lot” when one product came in two lots. Lines left at 0 "
                "stay outstanding."
            ),
            self,
        )
        self.banner = MessageBanner("ReceiveMessage", self)
        self.table = QTableWidget(0, 8, self)
        self.table.setObjectName("ReceiveLinesTable")
        self.table.setHorizontalHeaderLabels(
            [
                _("Product"),
                _("Received / ordered"),
                _("Arriving now"),
                _("In units of use"),
                _("Lot"),
                _("Expiry"),
                _("Unit cost"),
                "",
            ]
        )
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.NoSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.verticalHeader().hide()
        self.table.verticalHeader().setDefaultSectionSize(42)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(PRODUCT, QHeaderView.ResizeMode.Stretch)
        # Lines already complete are left out; more of one arriving is rare, and the service
        # would ask about it anyway.
        for line in order.lines:
            if line.outstanding > 0:
                self._add_row(line, line.outstanding)

        self.all_button = QPushButton(_("Everything outstanding"), self)
        self.all_button.setObjectName("ReceiveAllButton")
        self.all_button.clicked.connect(self.fill_outstanding)
        self.clear_button = QPushButton(_("Clear quantities"), self)
        self.clear_button.setObjectName("ReceiveClearButton")
        self.clear_button.clicked.connect(self._on_clear_clicked)
        self.receive_button = QPushButton(_("Receive into stock"), self)
        self.receive_button.setObjectName("ReceiveButton")
        set_role(self.receive_button, "primary")
        self.receive_button.setDefault(True)
        self.receive_button.clicked.connect(self._on_receive_clicked)
        self.expense_check = QCheckBox(_("Record the expense of this order"), self)
        self.expense_check.setObjectName("ReceiveExpenseCheck")
        self.expense_check.setToolTip(
            _(
                "What arrives, at the order's prices, filed under supplies from {supplier} and "
                "dated today. There is one expense per order: tick it when the whole order is "
                "in."
            ).format(supplier=order.supplier_name)
        )
        self.expense_check.clicked.connect(self._on_expense_check_clicked)
        self.expense_check.hide()  # until we know the order has no expense yet
        self.expense_label = hint_label("", self, "ReceiveExpenseLabel")
        self.expense_label.hide()
        cancel = QPushButton(_("Cancel"), self)
        cancel.setObjectName("ReceiveCancelButton")
        cancel.clicked.connect(self.reject)
        buttons = QHBoxLayout()
        buttons.addWidget(self.all_button)
        buttons.addWidget(self.clear_button)
        buttons.addStretch(1)
        buttons.addWidget(self.receive_button)
        buttons.addWidget(cancel)
        layout = QVBoxLayout(self)
        layout.addWidget(title)
        layout.addWidget(intro)
        layout.addWidget(self.banner)
        layout.addWidget(self.table, 1)
        expense_row = QHBoxLayout()
        expense_row.addWidget(self.expense_check)
        expense_row.addWidget(self.expense_label, 1)
        layout.addLayout(expense_row)
        layout.addLayout(buttons)
        if order_expense.can_record(ctx):
            order_expense.look_up(
                ctx,
                order,
                parent=self,
                on_done=self._on_expense_looked_up,
                on_error=lambda _text: None,  # the offer just stays away; receiving still works
            )

    def _add_row(self, line: OrderLineDTO, amount: Decimal, after: int | None = None) -> ReceiptRow:
        index = self.table.rowCount() if after is None else after + 1
        self.table.insertRow(index)
        name = QTableWidgetItem(line.product_name)
        name.setToolTip(f"{line.product_code} · {line.product_name}")
        self.table.setItem(index, PRODUCT, name)
        ordered = QTableWidgetItem(
            f"{quantity(line.received_quantity)} / {quantity(line.quantity)} "
            f"{line.purchase_unit_name}"
        )
        ordered.setTextAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        self.table.setItem(index, ORDERED, ordered)
        serial = len(self.rows)
        spin = DecimalSpin(f"ReceiveQuantitySpin_{serial}", self.table, places=3)
        spin.setSuffix(f" {line.purchase_unit_name}")
        spin.setMinimumWidth(130)
        spin.set_decimal(amount)
        lot = QLineEdit(self.table)
        lot.setObjectName(f"ReceiveLotEdit_{serial}")
        lot.setPlaceholderText(_("Lot number"))
        lot.setMaxLength(60)
        lot.setMinimumWidth(110)
        expiry = OptionalDateEdit(f"ReceiveExpiry_{serial}", self.table, label=_("Expires"))
        expiry.set_value(None, date.today() + timedelta(days=DEFAULT_EXPIRY_DAYS))
        cost = DecimalSpin(f"ReceiveCostSpin_{serial}", self.table, places=4, min_places=2)
        cost.setMinimumWidth(96)
        cost.set_decimal(line.unit_cost)
        means = QLabel(self.table)
        means.setContentsMargins(6, 0, 6, 0)
        means.setMinimumWidth(120)
        means.setAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        row = ReceiptRow(line, spin, lot, expiry, cost, means)
        self.rows.insert(index, row)
        split = QPushButton(_("Another lot"), self.table)
        split.setObjectName(f"ReceiveSplitButton_{serial}")
        split.setAutoDefault(False)
        split.clicked.connect(lambda: self.split_row(self.rows.index(row)))
        for column, widget in (
            (NOW, spin), (MEANS, means), (LOT, lot), (EXPIRY, expiry), (COST, cost),
            (SPLIT, split),
        ):  # fmt: skip
            self.table.setCellWidget(index, column, widget)
        spin.valueChanged.connect(lambda _v: self._on_quantity_changed(row))
        self._refresh_means(row)
        return row

    def _on_quantity_changed(self, row: ReceiptRow) -> None:
        self._refresh_means(row)
        self._refresh_expense_default()

    def _refresh_means(self, row: ReceiptRow) -> None:
        units = row.quantity_spin.decimal() * row.line.units_per_purchase
        row.means_label.setText(f"= {quantity(units)} {row.line.unit}")

    def split_row(self, index: int) -> ReceiptRow:
        """A second lot for the line of row `index`, starting at 0 just below it."""
        source = self.rows[index]
        row = self._add_row(source.line, Decimal(0), after=index)
        row.cost_spin.set_decimal(source.cost_spin.decimal())
        row.lot_edit.setFocus()
        return row

    def fill_outstanding(self) -> None:
        """Each line's outstanding quantity on its first row, the extra lots at 0."""
        seen: set[object] = set()
        for row in self.rows:
            first = row.line.id not in seen
            seen.add(row.line.id)
            row.quantity_spin.set_decimal(row.line.outstanding if first else Decimal(0))

    def _on_clear_clicked(self) -> None:
        for row in self.rows:
            row.quantity_spin.set_decimal(Decimal(0))

    def receipt_lines(self) -> list[ReceiptLine]:
        return [row.receipt_line() for row in self.rows]

    # -- the expense -----------------------------------------------------------------------

    def completes_order(self) -> bool:
        """The quantities entered bring in everything still outstanding."""
        arriving: dict[object, Decimal] = {}
        for row in self.rows:
            arriving[row.line.id] = arriving.get(row.line.id, Decimal(0)) + (
                row.quantity_spin.decimal()
            )
        return bool(self.rows) and all(
            arriving.get(line.id, Decimal(0)) >= line.outstanding
            for line in self.order.lines
            if line.outstanding > 0
        )

    def _on_expense_looked_up(self, expense: ExpenseDTO | None) -> None:
        self.existing_expense = expense
        self.expense_check.setVisible(expense is None)
        self.expense_label.show()
        if expense is None:
            self.expense_label.setText(
                _("(what arrives, at the order's prices, under supplies, dated today)")
            )
        else:
            self.expense_label.setText(
                order_expense.recorded_text(expense, self.order.currency)
                + " · "
                + _("edit it under Billing → Expenses if the amount changes.")
            )
        self._refresh_expense_default()

    def _on_expense_check_clicked(self, _checked: bool) -> None:
        self._expense_set_by_user = True

    def _refresh_expense_default(self) -> None:
        # A partial delivery leaves the box unticked: the expense would then need editing
        # when the rest arrives. The user's own choice is never overridden.
        if not self._expense_set_by_user:
            self.expense_check.setChecked(self.existing_expense is None and self.completes_order())

    def records_expense(self) -> bool:
        return not self.expense_check.isHidden() and self.expense_check.isChecked()

    # -- sending ---------------------------------------------------------------------------

    def _on_receive_clicked(self) -> None:
        self.submit()

    def submit(self, confirmed: bool = False) -> None:
        ctx, order, lines = self._ctx, self.order, self.receipt_lines()
        self.banner.clear_message()
        self.receive_button.setEnabled(False)
        ctx.runner.run(
            lambda: receive(
                ctx.uow(), actor=ctx.actor, order_id=order.id, lines=lines, confirmed=confirmed
            ),
            on_done=self._on_receive_done,
            on_error=self._on_receive_error,
            on_user_error=self._on_user_error,
            busy_text=_("Receiving the goods…"),
            parent=self,
        )

    def _on_receive_done(self, receipt: ReceiptDTO) -> None:
        self.result_receipt = receipt
        if not self.records_expense():
            self._finish()
            return
        # The goods are in whatever happens next: a refused expense is reported, not retried
        # here (sending the receipt again would receive the goods twice).
        order_expense.record(
            self._ctx,
            receipt.order,
            parent=self,
            on_done=self._on_expense_done,
            on_error=self._on_expense_error,
        )

    def _on_expense_done(self, expense: ExpenseDTO) -> None:
        self.result_expense = expense
        self._finish()

    def _on_expense_error(self, message: str) -> None:
        self.expense_error = message
        self._finish()

    def _finish(self) -> None:
        self.receive_button.setEnabled(True)
        if self.result_receipt is not None:
            self.received.emit(self.result_receipt.order)
        self.accept()

    def _on_receive_error(self, message: str) -> None:
        self.receive_button.setEnabled(True)
        self.banner.show_message(message, "error")

    def _on_user_error(self, error: UserFacingError) -> None:
        self.receive_button.setEnabled(True)
        if isinstance(error, NeedsConfirmation):
            if screen_kit.confirm(
                self,
                _("Check the receipt"),
                f"{error.message}\n\n{error.question}",
                _("Receive anyway"),
            ):
                self.submit(confirmed=True)
                return
            self.banner.show_message(error.message, "warn")
            return
        self.banner.show_message(error.message, "error")
