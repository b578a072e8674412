"""The purchase orders tab: every order with its number, supplier, status badge, dates, total
and how much has arrived, filtered by status, supplier and text; New order, Suggest orders,
Open (a double-click opens too) and Close short, which finishes a partly received order whose
rest the supplier will never send (asking why, then confirming). Editing controls are hidden
from people without inventory.manage; everyone may open and print an order. Refreshes itself
when orders, stock, products or suppliers change anywhere."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from PySide6.QtCore import QItemSelection, Qt
from PySide6.QtWidgets import (
    QComboBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QVBoxLayout,
    QWidget,
)

from clinic_desktop.errors import ConcurrentEditError, UserFacingError
from clinic_desktop.formatting import money, percent
from clinic_desktop.i18n import _, ngettext
from clinic_desktop.services.inventory_dto import SupplierDTO
from clinic_desktop.services.purchasing import list_orders
from clinic_desktop.services.purchasing_dto import STATUS_LABELS, PurchaseOrderDTO
from clinic_desktop.services.suppliers import list_suppliers
from clinic_desktop.ui.chart.clinical_dialog_kit import small_button
from clinic_desktop.ui.context import UiContext
from clinic_desktop.ui.inventory import order_widgets
from clinic_desktop.ui.inventory.order_editor import OrderEditorDialog
from clinic_desktop.ui.inventory.order_widgets import (
    STATUS_ROLE,
    StatusBadgeDelegate,
    day_text,
    index_of_data,
)
from clinic_desktop.ui.inventory.suggestions_dialog import SuggestionsDialog
from clinic_desktop.ui.style import set_role
from clinic_desktop.ui.widgets.screen_kit import (
    Column,
    Index,
    ListTableModel,
    MessageBanner,
    list_table,
    select_entry,
    selected_entry,
)

SUPPLIER_COLUMN = 1
STATUS_COLUMN = 2
MANAGE = "inventory.manage"


class _OrdersModel(ListTableModel[PurchaseOrderDTO]):
    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if role == STATUS_ROLE:
            order = self.row_at(index.row())
            return order.status if order else None
        return super().data(index, role)


def received_text(order: PurchaseOrderDTO) -> str:
    if order.status in ("draft", "cancelled"):
        return "—"
    # Whole percents: "44 %" reads at a glance, "44,4 %" only looks precise.
    return percent(order.received_fraction.quantize(Decimal("0.01")))


class OrdersTab(QWidget):
    def __init__(self, ctx: UiContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._ctx = ctx
        self.setObjectName("OrdersTab")
        self._can_manage = ctx.can(MANAGE)
        # Kept so tests (and a second click) reach the dialog that is open right now.
        self.editor: OrderEditorDialog | None = None
        self.suggestions: SuggestionsDialog | None = None

        self.search_edit = QLineEdit(self)
        self.search_edit.setObjectName("OrdersSearchEdit")
        self.search_edit.setPlaceholderText(_("Search by number, supplier or product"))
        self.search_edit.setClearButtonEnabled(True)
        self.search_edit.textChanged.connect(self._on_filters_changed)
        self.status_combo = QComboBox(self)
        self.status_combo.setObjectName("OrdersStatusCombo")
        self.status_combo.addItem(_("Open orders"), "open")
        self.status_combo.addItem(_("All orders"), None)
        for code, label in STATUS_LABELS.items():
            self.status_combo.addItem(_(label), code)
        self.status_combo.currentIndexChanged.connect(self._on_filters_changed)
        self.supplier_combo = QComboBox(self)
        self.supplier_combo.setObjectName("OrdersSupplierCombo")
        self.supplier_combo.setMinimumWidth(220)
        self.supplier_combo.addItem(_("All suppliers"), None)
        self.supplier_combo.currentIndexChanged.connect(self._on_filters_changed)

        self.new_button = small_button(_("New order…"), "NewOrderButton", self, primary=True)
        self.new_button.clicked.connect(self._on_new_clicked)
        self.suggest_button = small_button(_("Suggest orders…"), "SuggestOrdersButton", self)
        self.suggest_button.clicked.connect(self._on_suggest_clicked)
        self.open_button = small_button(_("Open…"), "OpenOrderButton", self)
        self.open_button.clicked.connect(self._on_open_clicked)
        self.close_short_button = order_widgets.close_short_button(self)
        self.close_short_button.clicked.connect(self._on_close_short_clicked)
        self.new_button.setVisible(self._can_manage)
        self.suggest_button.setVisible(self._can_manage)
        self.close_short_button.setVisible(self._can_manage)

        self.banner = MessageBanner("OrdersMessage", self)
        self.model = _OrdersModel(
            [
                Column(_("Number"), lambda o: o.number_text),
                Column(_("Supplier"), lambda o: o.supplier_name),
                Column(_("Status"), lambda o: o.status_label),
                Column(_("Ordered"), lambda o: day_text(o.ordered_on)),
                Column(_("Expected"), lambda o: day_text(o.expected_on)),
                Column(_("Products"), lambda o: str(len(o.lines)), align_right=True),
                Column(_("Total"), lambda o: money(o.total, o.currency), align_right=True),
                Column(_("Received so far"), received_text, align_right=True),
            ],
            self,
        )
        self.table = list_table(self.model, "OrdersTable", self)
        self.table.setItemDelegateForColumn(STATUS_COLUMN, StatusBadgeDelegate(self.table))
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        header.setSectionResizeMode(SUPPLIER_COLUMN, QHeaderView.ResizeMode.Stretch)
        self.table.verticalHeader().setDefaultSectionSize(34)
        self.table.doubleClicked.connect(self._on_table_double_clicked)
        self.table.selectionModel().selectionChanged.connect(self._on_selection_changed)
        self.count_label = QLabel(self)
        self.count_label.setObjectName("OrdersCountLabel")
        set_role(self.count_label, "hint")
        self.empty_label = QLabel(self)
        self.empty_label.setObjectName("OrdersEmptyLabel")
        self.empty_label.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.empty_label.setWordWrap(True)
        set_role(self.empty_label, "hint")
        self.empty_label.hide()

        filters = QHBoxLayout()
        filters.addWidget(self.search_edit, 1)
        filters.addWidget(self.status_combo)
        filters.addWidget(self.supplier_combo)
        filters.addSpacing(12)
        filters.addWidget(self.open_button)
        filters.addWidget(self.close_short_button)
        filters.addWidget(self.suggest_button)
        filters.addWidget(self.new_button)
        layout = QVBoxLayout(self)
        layout.addLayout(filters)
        layout.addWidget(self.banner)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.empty_label)
        layout.addWidget(self.count_label)

        ctx.bridge.inventory_changed.connect(self._on_bridge_inventory_changed)
        self._update_buttons()
        self._load_suppliers()
        self.refresh()

    # -- data ------------------------------------------------------------------------------

    def refresh(self) -> None:
        ctx = self._ctx
        status = self.status_combo.currentData()
        supplier_id = self.supplier_combo.currentData()
        text = self.search_edit.text()
        ctx.runner.run(
            lambda: list_orders(
                ctx.uow(), actor=ctx.actor, status=status, supplier_id=supplier_id, text=text
            ),
            on_done=self._on_list_done,
            on_error=self._show_error,
            parent=self,
        )

    def _load_suppliers(self) -> None:
        ctx = self._ctx
        ctx.runner.run(
            lambda: list_suppliers(ctx.uow(), actor=ctx.actor, include_inactive=True),
            on_done=self._on_suppliers_done,
            on_error=self._show_error,
            parent=self,
        )

    def _on_suppliers_done(self, suppliers: list[SupplierDTO]) -> None:
        chosen = self.supplier_combo.currentData()
        self.supplier_combo.blockSignals(True)
        self.supplier_combo.clear()
        self.supplier_combo.addItem(_("All suppliers"), None)
        for supplier in suppliers:
            self.supplier_combo.addItem(supplier.name, supplier.id)
        index = index_of_data(self.supplier_combo, chosen)
        self.supplier_combo.setCurrentIndex(max(index, 0))
        self.supplier_combo.blockSignals(False)

    def _on_list_done(self, orders: list[PurchaseOrderDTO]) -> None:
        selected = self.selected_order()
        self.model.set_rows(orders)
        self.table.resizeColumnsToContents()
        for column in range(self.model.columnCount()):
            if column != SUPPLIER_COLUMN:  # breathing room; the supplier takes the rest
                self.table.setColumnWidth(column, self.table.columnWidth(column) + 20)
        if selected is not None:
            select_entry(self.table, self.model, selected.id)
        self.count_label.setText(
            ngettext("{count} order", "{count} orders", len(orders)).format(count=len(orders))
        )
        empty = not orders
        self.empty_label.setVisible(empty)
        if empty:
            self.empty_label.setText(
                _("No purchase orders match these filters.")
                if self.search_edit.text() or self.supplier_combo.currentData()
                else _("No purchase orders here yet. Use “Suggest orders…” to see what to buy.")
            )
        self._update_buttons()

    def _show_error(self, message: str) -> None:
        self.banner.show_message(message, "error")

    def _on_filters_changed(self, *_args: object) -> None:
        self.refresh()

    def _on_bridge_inventory_changed(self, event: Any) -> None:
        what = getattr(event, "what", "")
        if what == "suppliers":
            self._load_suppliers()
        if what in ("orders", "stock", "products", "suppliers"):
            self.refresh()

    # -- selection -------------------------------------------------------------------------

    def selected_order(self) -> PurchaseOrderDTO | None:
        return selected_entry(self.table, self.model)

    def select_order(self, number: int) -> bool:
        """Selects the listed order with that number; False when the filters hide it."""
        found = next((o for o in self.model.rows() if o.number == number), None)
        return found is not None and select_entry(self.table, self.model, found.id)

    def _on_selection_changed(self, _selected: QItemSelection, _deselected: QItemSelection) -> None:
        self._update_buttons()

    def _update_buttons(self) -> None:
        order = self.selected_order()
        self.open_button.setEnabled(order is not None)
        self.close_short_button.setEnabled(order is not None and order.can_close_short)

    # -- actions ---------------------------------------------------------------------------

    def open_editor(self, order: PurchaseOrderDTO | None) -> OrderEditorDialog:
        """Opens the order (a new draft when None) window-modally without blocking."""
        self.banner.clear_message()
        dialog = OrderEditorDialog(self._ctx, order, self)
        dialog.saved.connect(self._on_editor_saved)
        self.editor = dialog
        dialog.open()
        return dialog

    def open_suggestions(self) -> SuggestionsDialog:
        self.banner.clear_message()
        dialog = SuggestionsDialog(self._ctx, self)
        dialog.created.connect(self._on_suggestions_created)
        self.suggestions = dialog
        dialog.open()
        return dialog

    def _on_new_clicked(self) -> None:
        self.open_editor(None)

    def _on_suggest_clicked(self) -> None:
        self.open_suggestions()

    def _on_open_clicked(self) -> None:
        order = self.selected_order()
        if order is not None:
            self.open_editor(order)

    def _on_table_double_clicked(self, _index: object) -> None:
        self._on_open_clicked()

    def _on_close_short_clicked(self) -> None:
        self.close_short()

    def close_short(self) -> None:
        """Closes the selected partly received order short, asking why and then confirming."""
        order = self.selected_order()
        if order is None or not order.can_close_short:
            return
        self.banner.clear_message()
        order_widgets.close_short(
            self,
            self._ctx,
            order,
            on_done=self._on_closed_short,
            on_error=self._show_error,
            on_user_error=self._show_user_error,
        )

    def _on_closed_short(self, order: PurchaseOrderDTO) -> None:
        self.banner.show_message(
            _(
                "Order {number} closed short: the rest is no longer expected. The “{status}” "
                "filter lists it."
            ).format(number=order.number_text, status=order.status_label),
            "ok",
        )
        self.refresh()
        select_entry(self.table, self.model, order.id)

    def _show_user_error(self, error: UserFacingError) -> None:
        kind = "warn" if isinstance(error, ConcurrentEditError) else "error"
        self.banner.show_message(error.message, kind)

    def _on_editor_saved(self, order: PurchaseOrderDTO) -> None:
        self.refresh()
        select_entry(self.table, self.model, order.id)

    def _on_suggestions_created(self, orders: list[PurchaseOrderDTO]) -> None:
        numbers = ", ".join(o.number_text for o in orders)
        self.banner.show_message(
            ngettext(
                "Draft {numbers} created: open it to check and place it.",
                "Drafts {numbers} created: open each to check and place it.",
                len(orders),
            ).format(numbers=numbers),
            "ok",
        )
        self.status_combo.setCurrentIndex(max(self.status_combo.findData("open"), 0))
        self.refresh()
