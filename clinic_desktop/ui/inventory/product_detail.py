"""One product in full: its fields and stock badge, the lots holding stock (expiry, received,
on hand, cost, supplier; expired ones in red, expiring ones in orange) and the movement
history newest first, a page at a time. People with inventory.manage edit the product,
receive, adjust or write off a lot, and deactivate it from here. The window follows changes
made anywhere (InventoryChanged)."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFrame,
    QGridLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QSplitter,
    QVBoxLayout,
    QWidget,
)

from clinic_desktop.errors import NeedsConfirmation, UserFacingError
from clinic_desktop.formatting import money
from clinic_desktop.i18n import _
from clinic_desktop.services.inventory_dto import (
    LotDTO,
    MovementDTO,
    ProductDetailDTO,
    ProductDTO,
)
from clinic_desktop.services.products import get_product_detail, set_product_active
from clinic_desktop.ui.context import UiContext
from clinic_desktop.ui.inventory.products_kit import (
    RowTableModel,
    ask_to_confirm,
    badge_label,
    day_text,
    qty,
    set_badge,
    signed_qty,
)
from clinic_desktop.ui.style import DANGER, MUTED, WARNING, bold, set_role
from clinic_desktop.ui.widgets.screen_kit import Column, MessageBanner, format_when, list_table

PAGE = 50


def _lot_state(lot: LotDTO) -> str:
    if lot.on_hand == 0:
        return _("Used up")
    if lot.expired:
        return _("Expired")
    if lot.expiring:
        return _("Expires soon")
    return ""


class ProductDetailDialog(QDialog):
    def __init__(self, ctx: UiContext, product: ProductDTO, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._ctx = ctx
        self.product = product
        self.detail: ProductDetailDTO | None = None
        self.child: QDialog | None = None  # the dialog opened from here, for tests
        self._movements: list[MovementDTO] = []
        self._currency = ctx.clinic.currency
        self.setObjectName("ProductDetailDialog")
        self.setWindowTitle(product.name)
        self.resize(1040, 720)

        self.title_label = QLabel(product.name, self)
        self.title_label.setObjectName("ProductDetailTitle")
        bold(self.title_label, 15)
        self.badge = badge_label(product.badge.value, self, "ProductDetailBadge")
        self.code_label = QLabel(self)
        self.code_label.setObjectName("ProductDetailCode")
        set_role(self.code_label, "hint")
        heading = QHBoxLayout()
        heading.setSpacing(12)
        heading.addWidget(self.title_label)
        heading.addWidget(self.badge, 0, Qt.AlignmentFlag.AlignVCenter)
        heading.addStretch(1)
        self.banner = MessageBanner("ProductDetailMessage", self)

        self.facts = QFrame(self)
        self.facts.setObjectName("ProductDetailFacts")
        set_role(self.facts, "card")
        self.facts_grid = QGridLayout(self.facts)
        self.facts_grid.setContentsMargins(14, 10, 14, 10)
        self.facts_grid.setHorizontalSpacing(18)
        self.facts_grid.setVerticalSpacing(6)
        self.fact_values: dict[str, QLabel] = {}

        self.lots_model = RowTableModel(
            [
                Column(_("Lot"), lambda lot: lot.lot_number or "—"),
                Column(_("Expiry"), lambda lot: day_text(lot.expiry_date, _("None"))),
                Column(_("Received on"), lambda lot: day_text(lot.received_on)),
                Column(_("In stock"), lambda lot: qty(lot.on_hand), align_right=True),
                Column(
                    _("Unit cost"),
                    lambda lot: money(lot.unit_cost, self._currency),
                    align_right=True,
                ),
                Column(_("Supplier"), lambda lot: lot.supplier_name or "—"),
                Column(_("State"), _lot_state),
            ],
            foreground=self._lot_colour,
            parent=self,
        )
        self.lots_table = list_table(self.lots_model, "ProductLotsTable", self)
        self.lots_table.horizontalHeader().setStretchLastSection(True)
        self.lots_table.selectionModel().selectionChanged.connect(lambda *_a: self._update())
        self.movements_model = RowTableModel(
            [
                Column(_("Date"), lambda m: format_when(m.occurred_at, ctx.clinic.timezone)),
                Column(_("Movement"), self._kind_text),
                Column(_("Quantity"), lambda m: signed_qty(m.quantity), align_right=True),
                Column(_("Lot"), lambda m: m.lot_number or "—"),
                Column(_("Reason"), lambda m: m.reason or "—"),
                Column(_("By"), lambda m: m.user_name or _("System")),
                Column(_("Source"), lambda m: m.source_label),
            ],
            foreground=lambda m: MUTED if m.reversed else None,
            parent=self,
        )
        self.movements_table = list_table(self.movements_model, "ProductMovementsTable", self)
        header = self.movements_table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        header.setStretchLastSection(True)
        self.more_button = QPushButton(_("Show older movements"), self)
        self.more_button.setObjectName("ProductMovementsMoreButton")
        self.more_button.clicked.connect(self.load_more)
        self.movements_label = QLabel(self)
        set_role(self.movements_label, "hint")

        lots_box = self._section(_("Lots"), self.lots_table)
        moves_box = self._section(_("Movements, newest first"), self.movements_table)
        more = QHBoxLayout()
        more.addWidget(self.movements_label)
        more.addStretch(1)
        more.addWidget(self.more_button)
        moves_layout = moves_box.layout()
        assert isinstance(moves_layout, QVBoxLayout)
        moves_layout.addLayout(more)
        splitter = QSplitter(Qt.Orientation.Vertical, self)
        splitter.addWidget(lots_box)
        splitter.addWidget(moves_box)
        splitter.setSizes([220, 340])

        manage = ctx.can("inventory.manage")
        self.edit_button = self._button("ProductEditButton", _("Edit…"), manage)
        self.receive_button = self._button("ProductReceiveButton", _("Receive stock…"), manage)
        self.adjust_button = self._button("ProductAdjustButton", _("Adjust stock…"), manage)
        self.write_off_button = self._button("ProductWriteOffButton", _("Write off lot…"), manage)
        self.active_button = self._button("ProductActiveButton", _("Deactivate"), manage)
        self.edit_button.clicked.connect(self.open_editor)
        self.receive_button.clicked.connect(self.open_receive)
        self.adjust_button.clicked.connect(lambda: self.open_adjust("count"))
        self.write_off_button.clicked.connect(lambda: self.open_adjust("write_off"))
        self.active_button.clicked.connect(self._on_active_clicked)
        buttons = QDialogButtonBox(self)
        close = buttons.addButton(_("Close"), QDialogButtonBox.ButtonRole.RejectRole)
        close.setObjectName("ProductDetailCloseButton")
        close.clicked.connect(self.reject)
        actions = QHBoxLayout()
        for button in (
            self.edit_button,
            self.receive_button,
            self.adjust_button,
            self.write_off_button,
            self.active_button,
        ):
            actions.addWidget(button)
        actions.addStretch(1)
        actions.addWidget(buttons)

        layout = QVBoxLayout(self)
        layout.addLayout(heading)
        layout.addWidget(self.code_label)
        layout.addWidget(self.banner)
        layout.addWidget(self.facts)
        layout.addWidget(splitter, 1)
        layout.addLayout(actions)
        self._show_product(product)
        ctx.bridge.inventory_changed.connect(self._on_bridge_inventory_changed)
        self.refresh()

    def _button(self, name: str, text: str, visible: bool) -> QPushButton:
        button = QPushButton(text, self)
        button.setObjectName(name)
        button.setAutoDefault(False)
        button.setVisible(visible)
        return button

    def _section(self, title: str, table: QWidget) -> QWidget:
        box = QWidget(self)
        layout = QVBoxLayout(box)
        layout.setContentsMargins(0, 6, 0, 0)
        label = QLabel(title, box)
        bold(label, 11)
        layout.addWidget(label)
        layout.addWidget(table, 1)
        return box

    def _kind_text(self, movement: MovementDTO) -> str:
        if movement.reversed:
            return _("{kind} (undone)").format(kind=movement.kind_label)
        return movement.kind_label

    @staticmethod
    def _lot_colour(lot: LotDTO) -> str | None:
        if lot.on_hand == 0:
            return MUTED
        if lot.expired:
            return DANGER
        return WARNING if lot.expiring else None

    # -- data ------------------------------------------------------------------------------

    def refresh(self) -> None:
        ctx, product_id = self._ctx, self.product.id
        ctx.runner.run(
            lambda: get_product_detail(
                ctx.uow(), actor=ctx.actor, product_id=product_id, movements_limit=PAGE
            ),
            on_done=self._on_loaded,
            on_error=lambda message: self.banner.show_message(message, "error"),
            parent=self,
        )

    def load_more(self) -> None:
        ctx, product_id, offset = self._ctx, self.product.id, len(self._movements)
        ctx.runner.run(
            lambda: get_product_detail(
                ctx.uow(),
                actor=ctx.actor,
                product_id=product_id,
                movements_limit=PAGE,
                movements_offset=offset,
            ),
            on_done=self._on_more_loaded,
            on_error=lambda message: self.banner.show_message(message, "error"),
            parent=self,
        )

    def _on_loaded(self, detail: ProductDetailDTO) -> None:
        self.detail = detail
        self._show_product(detail.product)
        self.lots_model.set_rows(detail.lots)
        self.lots_table.resizeColumnsToContents()
        self._movements = list(detail.movements)
        self.movements_model.set_rows(self._movements)
        self.movements_table.resizeColumnsToContents()
        self._update()

    def _on_more_loaded(self, detail: ProductDetailDTO) -> None:
        self.detail = detail
        self._movements.extend(detail.movements)
        self.movements_model.set_rows(self._movements)
        self._update()

    def _on_bridge_inventory_changed(self, event: object) -> None:
        ids = getattr(event, "ids", ())
        if not ids or str(self.product.id) in ids:
            self.refresh()

    def _show_product(self, product: ProductDTO) -> None:
        self.product = product
        self.title_label.setText(product.name)
        self.setWindowTitle(product.name)
        set_badge(self.badge, product.badge.value)
        status = "" if product.active else " · " + _("Inactive")
        self.code_label.setText(_("Code {code}").format(code=product.code) + status)
        purchase = product.unit
        if product.purchase_unit:
            purchase = _("{purchase} ({count} {unit})").format(
                purchase=product.purchase_unit,
                count=qty(product.units_per_purchase),
                unit=product.unit,
            )
        stock = qty(product.on_hand, product.unit)
        if product.expired_quantity:
            stock += " · " + _("{usable} usable").format(usable=qty(product.usable))
        facts = [
            ("stock", _("In stock"), stock),
            ("reorder", _("Reorder level"), qty(product.reorder_level, product.unit)),
            ("category", _("Category"), product.category or "—"),
            ("purchase", _("Bought as"), purchase),
            (
                "cost",
                _("Cost"),
                _("{cost} per {unit}").format(
                    cost=money(product.cost, self._currency), unit=product.unit
                ),
            ),
            ("price", _("Sale price"), money(product.sale_price, self._currency)),
            ("tax", _("Tax"), product.tax_label or product.tax_code or "—"),
            ("supplier", _("Preferred supplier"), product.preferred_supplier_name or "—"),
            ("location", _("Location"), product.location or "—"),
            ("barcode", _("Barcode"), product.barcode or "—"),
        ]
        for index, (key, label, value) in enumerate(facts):
            if key not in self.fact_values:
                caption = QLabel(label, self.facts)
                set_role(caption, "hint")
                shown = QLabel(self.facts)
                shown.setObjectName(f"ProductFact_{key}")
                shown.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
                row, column = divmod(index, 3)
                self.facts_grid.addWidget(caption, row * 2, column)
                self.facts_grid.addWidget(shown, row * 2 + 1, column)
                self.fact_values[key] = shown
            self.fact_values[key].setText(value)
        self.active_button.setText(_("Deactivate") if product.active else _("Reactivate"))

    def _update(self) -> None:
        detail = self.detail
        total = detail.movements_total if detail else 0
        self.more_button.setVisible(len(self._movements) < total)
        self.movements_label.setText(
            _("{shown} of {total} movements").format(shown=len(self._movements), total=total)
        )
        active = self.product.active
        self.receive_button.setEnabled(active)
        self.adjust_button.setEnabled(active)
        lot = self.selected_lot()
        self.write_off_button.setEnabled(active and lot is not None and lot.on_hand > 0)

    def selected_lot(self) -> LotDTO | None:
        rows = self.lots_table.selectionModel().selectedRows()
        return self.lots_model.row_at(rows[0].row()) if rows else None

    # -- actions ---------------------------------------------------------------------------

    def _open(self, dialog: QDialog) -> QDialog:
        self.banner.clear_message()
        self.child = dialog
        changed = getattr(dialog, "stock_changed", None)
        if changed is not None:
            changed.connect(lambda message: self.banner.show_message(message, "ok"))
        dialog.open()
        return dialog

    def open_editor(self) -> QDialog:
        from clinic_desktop.ui.inventory.product_editor import ProductEditorDialog

        return self._open(ProductEditorDialog(self._ctx, self.product, self))

    def open_receive(self) -> QDialog:
        from clinic_desktop.ui.inventory.receive_dialog import ReceiveStockDialog

        return self._open(ReceiveStockDialog(self._ctx, self.product, self))

    def open_adjust(self, mode: str = "count") -> QDialog:
        from clinic_desktop.ui.inventory.adjust_dialog import StockAdjustDialog

        lot = self.selected_lot()
        return self._open(
            StockAdjustDialog(
                self._ctx,
                self.product,
                mode=mode,
                lot_id=lot.id if lot is not None else None,
                parent=self,
            )
        )

    def _on_active_clicked(self) -> None:
        self.set_active(not self.product.active)

    def set_active(self, active: bool, confirmed: bool = False) -> None:
        ctx, product_id = self._ctx, self.product.id
        ctx.runner.run(
            lambda: set_product_active(
                ctx.uow(),
                actor=ctx.actor,
                product_id=product_id,
                active=active,
                confirmed=confirmed,
            ),
            on_done=self._show_product,
            on_user_error=lambda error: self._on_active_refused(error, active),
            on_error=lambda message: self.banner.show_message(message, "error"),
            parent=self,
        )

    def _on_active_refused(self, error: UserFacingError, active: bool) -> None:
        if isinstance(error, NeedsConfirmation):
            if ask_to_confirm(self, error, _("Deactivate")):
                self.set_active(active, confirmed=True)
            return
        self.banner.show_message(error.message, "error")
