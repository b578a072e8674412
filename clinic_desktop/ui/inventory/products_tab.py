"""The products and stock tab: every product with its stock and a coloured badge (in stock,
low, expiring, expired, out), searched by code, name, barcode or location and filtered by
category and stock condition; the alert counts above the table filter with one click. People
with inventory.manage also get the buttons to add products, receive and adjust stock, import a
CSV and keep the suppliers. Double-clicking a product opens its detail (lots and history). The
tab reloads whenever inventory changes, here or on another PC."""

from __future__ import annotations

from PySide6.QtCore import QItemSelection, QModelIndex, Qt
from PySide6.QtWidgets import (
    QComboBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QSizePolicy,
    QVBoxLayout,
    QWidget,
)

from clinic_desktop.i18n import _, ngettext
from clinic_desktop.services.inventory_dto import ProductDTO, StockBadge
from clinic_desktop.services.products import list_products
from clinic_desktop.ui.context import UiContext
from clinic_desktop.ui.inventory.filter_bar import FilterBar
from clinic_desktop.ui.inventory.products_kit import (
    BADGE_COLOURS,
    BadgeDelegate,
    RowTableModel,
    badge_text,
    day_text,
    stock_text,
)
from clinic_desktop.ui.style import MUTED, set_role
from clinic_desktop.ui.widgets.screen_kit import (
    Column,
    MessageBanner,
    list_table,
    select_entry,
    selected_entry,
)

MANAGE = "inventory.manage"
SEARCH_DELAY_MS = 150  # filtering in memory: only a short pause to let typing settle


class ProductsTab(QWidget):
    def __init__(self, ctx: UiContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._ctx = ctx
        self.setObjectName("ProductsTab")
        self.can_manage = ctx.can(MANAGE)
        # The dialog open right now, for tests and a second click.
        self.dialog: QWidget | None = None
        self._select_after: object = None  # a product just saved, selected once listed
        self._all: list[ProductDTO] = []

        self.filters = FilterBar(
            self,
            prefix="Product",
            search_hint=_("Search by code, name, barcode or location"),
            inactive_text=_("Show inactive"),
            category_width=180,
            delay_ms=SEARCH_DELAY_MS,
        )
        self.search_edit = self.filters.search_edit
        self.category_combo = self.filters.category_combo
        self.inactive_check = self.filters.inactive_check
        self.badge_combo = QComboBox(self)
        self.badge_combo.setObjectName("ProductBadgeCombo")
        self.badge_combo.setMinimumWidth(160)
        self.badge_combo.addItem(_("Any stock"), None)
        for badge in (StockBadge.LOW, StockBadge.EXPIRING, StockBadge.EXPIRED, StockBadge.OUT):
            self.badge_combo.addItem(badge_text(badge), badge.value)
        self.badge_combo.addItem(badge_text(StockBadge.OK), StockBadge.OK.value)
        self.filters.add_filter(self.badge_combo)

        self.new_button = self._button("NewProductButton", _("New product…"))
        self.receive_button = self._button("ReceiveStockButton", _("Receive stock…"))
        self.adjust_button = self._button("AdjustStockButton", _("Adjust stock…"))
        self.import_button = self._button("ImportProductsButton", _("Import CSV…"))
        self.suppliers_button = self._button("SuppliersButton", _("Suppliers…"))
        self.new_button.clicked.connect(self._on_new_clicked)
        self.receive_button.clicked.connect(self._on_receive_clicked)
        self.adjust_button.clicked.connect(self._on_adjust_clicked)
        self.import_button.clicked.connect(self._on_import_clicked)
        self.suppliers_button.clicked.connect(self._on_suppliers_clicked)
        set_role(self.new_button, "primary")

        self.alert_buttons: dict[str, QPushButton] = {}
        alerts = QHBoxLayout()
        alerts.setSpacing(8)
        for badge in (StockBadge.LOW, StockBadge.EXPIRING, StockBadge.EXPIRED, StockBadge.OUT):
            button = QPushButton(self)
            button.setObjectName(f"ProductAlert_{badge.value}")
            button.setCursor(Qt.CursorShape.PointingHandCursor)
            button.setToolTip(_("Show only these products"))
            fg, bg = BADGE_COLOURS[badge.value]
            button.setStyleSheet(
                f"QPushButton {{ color: {fg}; background: {bg}; border: none;"
                " border-radius: 12px; padding: 4px 12px; font-weight: 600; min-height: 0; }"
            )
            button.clicked.connect(lambda _c=False, b=badge: self.show_badge(b))
            # A chip shows its whole text or nothing: never squeezed by the buttons beside it.
            button.setSizePolicy(QSizePolicy.Policy.Fixed, QSizePolicy.Policy.Fixed)
            button.hide()
            alerts.addWidget(button)
            self.alert_buttons[badge.value] = button
        alerts.addStretch(1)

        actions = QHBoxLayout()
        actions.addStretch(1)
        for button in (
            self.new_button,
            self.receive_button,
            self.adjust_button,
            self.import_button,
            self.suppliers_button,
        ):
            actions.addWidget(button)
            button.setVisible(self.can_manage)

        self.banner = MessageBanner("ProductsMessage", self)
        self.model = RowTableModel(
            [
                Column(_("Code"), lambda p: p.code),
                Column(_("Name"), lambda p: p.name),
                Column(_("Category"), lambda p: p.category or "—"),
                Column(_("Stock"), stock_text, align_right=True),
                Column(_("Status"), lambda p: badge_text(p.badge), self._badge_tooltip),
                Column(_("Next expiry"), lambda p: day_text(p.next_expiry)),
                Column(_("Location"), lambda p: p.location or "—"),
            ],
            foreground=lambda p: None if p.active else MUTED,
            parent=self,
        )
        self.table = list_table(self.model, "ProductsTable", self)
        self.badge_delegate = BadgeDelegate(lambda p: p.badge.value, self.table)
        self.table.setItemDelegateForColumn(4, self.badge_delegate)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        header.setStretchLastSection(True)
        self.table.doubleClicked.connect(self._on_table_double_clicked)
        self.table.selectionModel().selectionChanged.connect(self._on_selection_changed)
        self.count_label = QLabel(self)
        self.count_label.setObjectName("ProductsCountLabel")
        set_role(self.count_label, "hint")

        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 8, 0, 0)
        layout.addWidget(self.filters)
        layout.addLayout(actions)
        layout.addLayout(alerts)
        layout.addWidget(self.banner)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.count_label)

        self.filters.changed.connect(self.apply_filters)
        ctx.bridge.inventory_changed.connect(self._on_bridge_inventory_changed)
        self._update_buttons()
        self.refresh()

    def _button(self, name: str, text: str) -> QPushButton:
        button = QPushButton(text, self)
        button.setObjectName(name)
        button.setAutoDefault(False)
        return button

    def _badge_tooltip(self, product: ProductDTO) -> str:
        reasons = []
        if product.has_expired:
            reasons.append(_("A lot has expired: write it off."))
        if product.is_out:
            reasons.append(_("No stock that can be used."))
        elif product.is_low:
            reasons.append(_("At or below the reorder level."))
        if product.has_expiring:
            reasons.append(_("A lot expires soon."))
        return "\n".join(reasons) or badge_text(product.badge)

    # -- data ------------------------------------------------------------------------------

    def refresh(self) -> None:
        """Reloads every product (a few thousand are one quick query); the filters then work
        on the loaded list, so typing and picking filters never wait for the database."""
        ctx = self._ctx
        self.filters.cancel_pending()
        ctx.runner.run(
            lambda: list_products(ctx.uow(), actor=ctx.actor, include_inactive=True),
            on_done=self._on_loaded,
            on_error=self._show_error,
            parent=self,
        )

    def _on_loaded(self, products: list[ProductDTO]) -> None:
        self._all = products
        active = [p for p in products if p.active]
        self.filters.set_categories(
            sorted({p.category for p in products if p.category}, key=str.lower)
        )
        self._show_counts(active)
        self.apply_filters()

    def apply_filters(self) -> None:
        selected = self.selected_product()
        text = self.filters.text()
        category = self.filters.category()
        badge = self.badge_combo.currentData()
        inactive = self.filters.show_inactive()
        shown = [
            p
            for p in self._all
            if (inactive or p.active)
            and (not category or p.category == category)
            and (not badge or p.matches(StockBadge(badge)))
            and p.matches_text(text)
        ]
        first_fill = not self.model.rows()
        self.model.set_rows(shown)
        if first_fill and shown:
            self.table.resizeColumnsToContents()
            self.table.setColumnWidth(
                4, max(self.table.columnWidth(4), self.badge_delegate.width_hint())
            )
            self.table.setColumnWidth(1, min(max(self.table.columnWidth(1), 260), 420))
        self.count_label.setText(
            ngettext("{count} product", "{count} products", len(shown)).format(count=len(shown))
        )
        wanted = self._select_after or (selected.id if selected is not None else None)
        self._select_after = None
        if wanted is not None:
            self.select_product(wanted)
        self._update_buttons()

    def _show_counts(self, active: list[ProductDTO]) -> None:
        """The alert chips: how many active products meet each condition (the same ones the
        stock filter uses, so a chip's number is the length of the list it shows)."""
        for key, button in self.alert_buttons.items():
            count = sum(1 for p in active if p.matches(StockBadge(key)))
            button.setText(_count_text(StockBadge(key), count))
            button.setVisible(count > 0)

    def _show_error(self, message: str) -> None:
        self.banner.show_message(message, "error")

    def _on_bridge_inventory_changed(self, _event: object) -> None:
        self.refresh()

    def show_badge(self, badge: StockBadge | str) -> None:
        index = self.badge_combo.findData(StockBadge(badge).value)
        self.badge_combo.setCurrentIndex(max(index, 0))

    # -- selection -------------------------------------------------------------------------

    def selected_product(self) -> ProductDTO | None:
        return selected_entry(self.table, self.model)

    def select_product(self, product_id: object) -> bool:
        return select_entry(self.table, self.model, product_id)

    def _on_selection_changed(self, _selected: QItemSelection, _deselected: QItemSelection) -> None:
        self._update_buttons()

    def _update_buttons(self) -> None:
        product = self.selected_product()
        usable = product is not None and product.active
        self.receive_button.setEnabled(usable)
        self.adjust_button.setEnabled(usable)

    # -- actions ---------------------------------------------------------------------------

    def _show(self, dialog: QWidget) -> QWidget:
        self.banner.clear_message()
        self.dialog = dialog
        dialog.open()  # type: ignore[attr-defined]
        return dialog

    def open_detail(self, product: ProductDTO) -> QWidget:
        from clinic_desktop.ui.inventory.product_detail import ProductDetailDialog

        return self._show(ProductDetailDialog(self._ctx, product, self))

    def open_editor(self, product: ProductDTO | None = None) -> QWidget:
        from clinic_desktop.ui.inventory.product_editor import ProductEditorDialog

        dialog = ProductEditorDialog(self._ctx, product, self)
        dialog.saved.connect(self._on_product_saved)
        return self._show(dialog)

    def open_receive(self, product: ProductDTO) -> QWidget:
        from clinic_desktop.ui.inventory.receive_dialog import ReceiveStockDialog

        dialog = ReceiveStockDialog(self._ctx, product, self)
        dialog.stock_changed.connect(self._on_stock_saved)
        return self._show(dialog)

    def open_adjust(self, product: ProductDTO) -> QWidget:
        from clinic_desktop.ui.inventory.adjust_dialog import StockAdjustDialog

        dialog = StockAdjustDialog(self._ctx, product, parent=self)
        dialog.stock_changed.connect(self._on_stock_saved)
        return self._show(dialog)

    def open_import(self) -> QWidget:
        from clinic_desktop.ui.inventory.import_dialog import ImportProductsDialog

        dialog = ImportProductsDialog(self._ctx, self)
        dialog.imported.connect(self._on_imported)
        return self._show(dialog)

    def open_suppliers(self) -> QWidget:
        from clinic_desktop.ui.inventory.suppliers_dialog import SuppliersDialog

        return self._show(SuppliersDialog(self._ctx, self))

    def _on_new_clicked(self) -> None:
        self.open_editor(None)

    def _on_receive_clicked(self) -> None:
        product = self.selected_product()
        if product is not None:
            self.open_receive(product)

    def _on_adjust_clicked(self) -> None:
        product = self.selected_product()
        if product is not None:
            self.open_adjust(product)

    def _on_import_clicked(self) -> None:
        self.open_import()

    def _on_suppliers_clicked(self) -> None:
        self.open_suppliers()

    def _on_table_double_clicked(self, index: QModelIndex) -> None:
        product = self.model.row_at(index.row())
        if product is not None:
            self.open_detail(product)

    def _on_product_saved(self, product: ProductDTO) -> None:
        self.banner.show_message(_("Saved {name}.").format(name=product.name), "ok")
        self._select_after = product.id
        self.refresh()

    def _on_stock_saved(self, message: str) -> None:
        self.banner.show_message(message, "ok")

    def _on_imported(self, message: str) -> None:
        self.banner.show_message(message, "ok")
        self.refresh()


def _count_text(badge: StockBadge, count: int) -> str:
    if badge is StockBadge.LOW:
        text = ngettext("{count} low", "{count} low", count)
    elif badge is StockBadge.EXPIRING:
        text = ngettext("{count} expiring", "{count} expiring", count)
    elif badge is StockBadge.EXPIRED:
        text = ngettext("{count} with expired lots", "{count} with expired lots", count)
    else:
        text = ngettext("{count} out of stock", "{count} out of stock", count)
    return text.format(count=count)
