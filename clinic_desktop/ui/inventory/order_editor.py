"""One purchase order, opened from the orders tab. A draft is edited here: supplier, expected
delivery, notes and the lines (a product search adds one; quantities in the supplier's
purchase unit show what they mean in units of use); Save draft keeps it, Place order sends it
(saving first). A placed order is read-only and offers Receive… and, while nothing arrived,
Cancel order…; a partly received one offers Close short… (the orders tab's flow: why, then
confirm), and once closed no longer shows a delivery date, since nothing more will come. Any
order can be printed through the print preview. People without inventory.manage see the
order and may print it, nothing else. A refused save keeps all input and marks the field at
fault. Once goods have arrived, whoever may read expenses sees the order's expense ("Expense
recorded on …"), and whoever may record them gets Record expense… while there is none (the
receive dialog offers it too)."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QDialog, QHBoxLayout, QLabel, QPushButton, QVBoxLayout, QWidget

from clinic_desktop.errors import ConcurrentEditError, UserFacingError
from clinic_desktop.i18n import _
from clinic_desktop.services.expense_dto import ExpenseDTO
from clinic_desktop.services.inventory_dto import ProductDTO, SupplierDTO
from clinic_desktop.services.products import list_products
from clinic_desktop.services.purchasing import create_order, place_order, update_draft
from clinic_desktop.services.purchasing_close import cancel_order
from clinic_desktop.services.purchasing_dto import PurchaseOrderDTO
from clinic_desktop.services.purchasing_print import purchase_order_pdf
from clinic_desktop.services.suppliers import list_suppliers
from clinic_desktop.ui.context import UiContext
from clinic_desktop.ui.inventory import order_expense, order_widgets
from clinic_desktop.ui.inventory.order_form import OrderForm
from clinic_desktop.ui.inventory.order_receive_dialog import OrderReceiveDialog
from clinic_desktop.ui.inventory.order_widgets import STATUS_COLOURS, day_text
from clinic_desktop.ui.style import set_role
from clinic_desktop.ui.widgets import screen_kit
from clinic_desktop.ui.widgets.print_preview import show_pdf_preview
from clinic_desktop.ui.widgets.screen_kit import MessageBanner

MANAGE = "inventory.manage"


class OrderEditorDialog(QDialog):
    saved = Signal(object)  # PurchaseOrderDTO after any change: save, place, cancel, receipt

    def __init__(
        self, ctx: UiContext, order: PurchaseOrderDTO | None, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self._ctx = ctx
        self.order = order
        self._can_manage = ctx.can(MANAGE)
        self.receive_dialog: OrderReceiveDialog | None = None
        # The order's expense once looked up (None: there is none, or not looked up).
        self.expense: ExpenseDTO | None = None
        self.setObjectName("OrderEditorDialog")
        self.setMinimumSize(980, 620)

        self.title_label = QLabel(self)
        set_role(self.title_label, "subtitle")
        self.status_label = QLabel(self)
        self.status_label.setObjectName("OrderStatusLabel")
        self.dates_label = order_widgets.hint_label("", self, "OrderDatesLabel")
        self.dates_label.setWordWrap(False)
        self.expense_label = order_widgets.hint_label("", self, "OrderExpenseLabel")
        self.expense_label.setWordWrap(False)
        self.expense_label.hide()
        self.banner = MessageBanner("OrderEditorMessage", self)

        self.form = OrderForm(ctx.clinic.currency, self)
        # The form's parts, where the orders tab and tests reach them.
        self.supplier_combo = self.form.supplier_combo
        self.picker = self.form.picker
        self.lines_table = self.form.lines_table
        self.total_label = self.form.total_label
        self.picker.picked.connect(self._on_picker_picked)
        self.picker.problem.connect(lambda text: self.banner.show_message(text, "warn"))

        self.print_button = self._button("PrintOrderButton", _("Print…"), self._on_print_clicked)
        self.cancel_button = self._button(
            "CancelOrderButton", _("Cancel order…"), self._on_cancel_clicked
        )
        self.close_short_button = order_widgets.close_short_button(self)
        self.close_short_button.clicked.connect(lambda _checked=False: self.close_short())
        self.receive_button = self._button(
            "ReceiveOrderButton", _("Receive…"), self._on_receive_clicked
        )
        self.expense_button = self._button(
            "RecordExpenseButton", _("Record expense…"), self.record_expense
        )
        self.expense_button.setToolTip(
            _("Record what arrived, at the order's prices, as a supplies expense")
        )
        self.expense_button.hide()
        self.save_button = self._button("SaveOrderButton", _("Save draft"), self.save_draft)
        self.place_button = self._button("PlaceOrderButton", _("Place order…"), self.place)
        set_role(self.place_button, "primary")
        close = self._button("CloseOrderButton", _("Close"), self.reject)

        heading = QHBoxLayout()
        heading.addWidget(self.title_label)
        heading.addWidget(self.status_label)
        heading.addStretch(1)
        heading.addWidget(self.dates_label)
        heading.addWidget(self.expense_label)
        buttons = QHBoxLayout()
        for button in (
            self.print_button,
            self.cancel_button,
            self.close_short_button,
            self.receive_button,
            self.expense_button,
        ):
            buttons.addWidget(button)
        buttons.addStretch(1)
        for button in (self.save_button, self.place_button, close):
            buttons.addWidget(button)
        layout = QVBoxLayout(self)
        layout.addLayout(heading)
        layout.addWidget(self.banner)
        layout.addWidget(self.form, 1)
        layout.addLayout(buttons)
        self._load_choices()
        self._show_order(order)

    def _button(self, name: str, text: str, slot: Callable[[], None]) -> QPushButton:
        button = QPushButton(text, self)
        button.setObjectName(name)
        button.setAutoDefault(False)
        button.clicked.connect(lambda _checked=False: slot())
        return button

    # -- loading ---------------------------------------------------------------------------

    def _load_choices(self) -> None:
        ctx = self._ctx

        def load() -> tuple[list[SupplierDTO], list[ProductDTO]]:
            suppliers = list_suppliers(ctx.uow(), actor=ctx.actor, include_inactive=True)
            return suppliers, list_products(ctx.uow(), actor=ctx.actor)

        ctx.runner.run(load, on_done=self._on_choices_done, on_error=self._show_error, parent=self)

    def _on_choices_done(self, result: tuple[list[SupplierDTO], list[ProductDTO]]) -> None:
        suppliers, products = result
        self.form.set_choices(suppliers, products, self.order)

    def _show_order(self, order: PurchaseOrderDTO | None) -> None:
        self.order = order
        editable = self._can_manage and (order is None or order.is_draft)
        self.setWindowTitle(
            _("New purchase order")
            if order is None
            else _("Purchase order {number}").format(number=order.number_text)
        )
        self.title_label.setText(self.windowTitle())
        self.status_label.setVisible(order is not None)
        if order is not None:
            ink, tint = STATUS_COLOURS.get(order.status, ("#1F2933", "#EEF1F3"))
            self.status_label.setText(order.status_label)
            self.status_label.setStyleSheet(
                f"background: {tint}; color: {ink}; font-weight: 600; border-radius: 10px;"
                " padding: 3px 12px;"
            )
            parts = [_("Ordered on {date}").format(date=day_text(order.ordered_on))]
            if order.ordered_on is None:
                parts = [_("Not placed yet")]
            self.dates_label.setText(" · ".join(parts))
        self.form.show_order(order, editable=editable)
        # A closed order will receive nothing more: a delivery date would only mislead.
        self.form.expected_edit.setVisible(order is None or order.status != "closed")
        self.save_button.setVisible(editable)
        self.place_button.setVisible(editable)
        self.print_button.setVisible(order is not None)
        self.receive_button.setVisible(self._can_manage and order is not None and order.can_receive)
        self.cancel_button.setVisible(self._can_manage and order is not None and order.can_cancel)
        self.close_short_button.setVisible(
            self._can_manage and order is not None and order.can_close_short
        )
        self._look_up_expense()

    # -- the expense -----------------------------------------------------------------------

    def _look_up_expense(self) -> None:
        order = self.order
        if order is None or not order_expense.has_arrivals(order):
            self._show_expense(None, known=False)
            return
        if not order_expense.can_see(self._ctx):
            return
        order_expense.look_up(
            self._ctx,
            order,
            parent=self,
            on_done=lambda expense: self._show_expense(expense, known=True),
            on_error=self._show_error,
        )

    def _show_expense(self, expense: ExpenseDTO | None, *, known: bool) -> None:
        """Shows the recorded expense, or offers to record one when it is known there is
        none and the user may."""
        self.expense = expense
        currency = self.order.currency if self.order is not None else ""
        self.expense_label.setVisible(expense is not None)
        if expense is not None:
            self.expense_label.setText("· " + order_expense.recorded_text(expense, currency))
        self.expense_button.setVisible(
            known and expense is None and order_expense.can_record(self._ctx)
        )

    def record_expense(self) -> None:
        """Makes the expense of what has arrived on the order, after the user confirms."""
        order = self.order
        if order is None or self.expense is not None or not order_expense.can_record(self._ctx):
            return
        if not order_expense.confirm_record(self, order):
            return
        self._clear_marks()
        order_expense.record(
            self._ctx,
            order,
            parent=self,
            on_done=self._on_expense_recorded,
            on_error=self._show_error,
            on_user_error=self._on_expense_refused,
        )

    def _on_expense_recorded(self, expense: ExpenseDTO) -> None:
        self._show_expense(expense, known=True)
        currency = self.order.currency if self.order is not None else ""
        self.banner.show_message(order_expense.recorded_message(expense, currency), "ok")

    def _on_expense_refused(self, error: UserFacingError) -> None:
        self.banner.show_message(error.message, "error")
        self._look_up_expense()  # it may have been recorded meanwhile, elsewhere

    # -- lines -----------------------------------------------------------------------------

    def add_product(self, text: str) -> bool:
        """Adds the product named by `text` (name or code), as the search box does."""
        return self.picker.pick(text)

    def _on_picker_picked(self, product: ProductDTO) -> None:
        self.banner.clear_message()
        self.lines_table.add_product(product)

    # -- saving and placing ----------------------------------------------------------------

    def _clear_marks(self) -> None:
        self.banner.clear_message()
        self.form.clear_marks()

    def _save_call(self) -> Callable[[], PurchaseOrderDTO]:
        ctx, order = self._ctx, self.order
        values = self.form.values()
        if order is None:
            return lambda: create_order(ctx.uow(), actor=ctx.actor, **values)
        return lambda: update_draft(
            ctx.uow(), actor=ctx.actor, order_id=order.id, expected_version=order.version,
            **values,
        )  # fmt: skip

    def save_draft(self) -> None:
        self._clear_marks()
        self._ctx.runner.run(
            self._save_call(),
            on_done=self._on_saved_and_close,
            on_error=self._show_error,
            on_user_error=self._show_user_error,
            parent=self,
        )

    def _on_saved_and_close(self, order: PurchaseOrderDTO) -> None:
        self._show_order(order)
        self.saved.emit(order)
        self.accept()

    def place(self) -> None:
        """Saves the draft as shown and places it, after the user confirms."""
        supplier = self.supplier_combo.currentText() if self.supplier_combo.currentData() else ""
        if not screen_kit.confirm(
            self,
            _("Place order"),
            _(
                "Send this order to {supplier}? Once placed it cannot be changed; it can be "
                "cancelled while nothing of it has arrived."
            ).format(supplier=supplier or _("the supplier")),
            _("Place order"),
        ):
            return
        self._clear_marks()
        # Saved first, placed second: if placing is refused the draft keeps what was typed.
        self._ctx.runner.run(
            self._save_call(),
            on_done=self._on_saved_then_place,
            on_error=self._show_error,
            on_user_error=self._show_user_error,
            parent=self,
        )

    def _on_saved_then_place(self, draft: PurchaseOrderDTO) -> None:
        self._show_order(draft)
        self.saved.emit(draft)
        ctx = self._ctx
        ctx.runner.run(
            lambda: place_order(
                ctx.uow(), actor=ctx.actor, order_id=draft.id, expected_version=draft.version
            ),
            on_done=self._on_placed,
            on_error=self._show_error,
            on_user_error=self._show_user_error,
            parent=self,
        )

    def _on_placed(self, order: PurchaseOrderDTO) -> None:
        self._show_order(order)
        self.saved.emit(order)
        self.banner.show_message(
            _("Order {number} placed. Print it to send it to the supplier.").format(
                number=order.number_text
            ),
            "ok",
        )

    def _show_error(self, message: str) -> None:
        self.banner.show_message(message, "error")

    def _show_user_error(self, error: UserFacingError) -> None:
        kind = "warn" if isinstance(error, ConcurrentEditError) else "error"
        self.banner.show_message(error.message, kind)
        self.form.mark(error.field)

    # -- placed orders ---------------------------------------------------------------------

    def _on_cancel_clicked(self) -> None:
        order = self.order
        if order is None:
            return
        reason = order_widgets.ask_reason(
            self,
            _("Cancel order {number}").format(number=order.number_text),
            _("Why is the order cancelled? (kept on the order)"),
        )
        if reason is None:
            return
        ctx = self._ctx
        ctx.runner.run(
            lambda: cancel_order(ctx.uow(), actor=ctx.actor, order_id=order.id, reason=reason),
            on_done=self._on_cancelled,
            on_error=self._show_error,
            parent=self,
        )

    def _on_cancelled(self, order: PurchaseOrderDTO) -> None:
        self._show_order(order)
        self.saved.emit(order)
        self.banner.show_message(
            _("Order {number} is cancelled.").format(number=order.number_text), "ok"
        )

    def close_short(self) -> None:
        """Closes this partly received order short, asking why and then confirming."""
        order = self.order
        if order is None or not order.can_close_short:
            return
        self._clear_marks()
        order_widgets.close_short(
            self,
            self._ctx,
            order,
            on_done=self._on_closed_short,
            on_error=self._show_error,
            on_user_error=self._show_user_error,
        )

    def _on_closed_short(self, order: PurchaseOrderDTO) -> None:
        self._show_order(order)
        self.saved.emit(order)
        self.banner.show_message(
            _("Order {number} closed short: the rest is no longer expected.").format(
                number=order.number_text
            ),
            "ok",
        )

    def open_receive(self) -> OrderReceiveDialog | None:
        """Opens the receipt of this order window-modally without blocking."""
        if self.order is None:
            return None
        dialog = OrderReceiveDialog(self._ctx, self.order, self)
        dialog.received.connect(self._on_received)
        self.receive_dialog = dialog
        dialog.open()
        return dialog

    def _on_receive_clicked(self) -> None:
        self.open_receive()

    def _on_received(self, order: PurchaseOrderDTO) -> None:
        self._show_order(order)
        self.saved.emit(order)
        text = _("Goods received into stock. Order {number}: {status}.").format(
            number=order.number_text, status=order.status_label.lower()
        )
        dialog = self.receive_dialog
        if dialog is not None and dialog.result_expense is not None:
            self._show_expense(dialog.result_expense, known=True)
            text += " " + order_expense.recorded_message(dialog.result_expense, order.currency)
        elif dialog is not None and dialog.expense_error:
            self.banner.show_message(
                text
                + " "
                + _("The expense was not recorded: {reason}").format(reason=dialog.expense_error),
                "warn",
            )
            return
        self.banner.show_message(text, "ok")

    def _on_print_clicked(self) -> None:
        order = self.order
        if order is None:
            return
        ctx = self._ctx
        ctx.runner.run(
            lambda: purchase_order_pdf(ctx.uow(), actor=ctx.actor, order_id=order.id),
            on_done=lambda pdf: show_pdf_preview(self, pdf, order.number_text),
            on_error=self._show_error,
            busy_text=_("Preparing the order…"),
            parent=self,
        )
