"""Suggested purchase orders, grouped by supplier: each product low on stock or needed by the
booked treatments, with its usable stock, reorder level, booked need, what is already on
order, and the suggested quantity in whole purchase units (which the user may change). Ticked
lines become one draft per supplier; the products without a supplier go to the supplier
chosen below the list. Nothing is created until "Create drafts"."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from decimal import Decimal

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from clinic_desktop.errors import UserFacingError
from clinic_desktop.formatting import money, quantity
from clinic_desktop.i18n import _, ngettext
from clinic_desktop.services.inventory_dto import SupplierDTO
from clinic_desktop.services.purchasing_dto import (
    NewOrderInput,
    OrderLineInput,
    PurchaseOrderDTO,
    SuggestedLine,
    SuggestionsDTO,
)
from clinic_desktop.services.purchasing_suggestions import (
    create_orders_from_suggestions,
    suggest_orders,
)
from clinic_desktop.services.suppliers import list_suppliers
from clinic_desktop.ui.context import UiContext
from clinic_desktop.ui.inventory.order_widgets import DecimalSpin, hint_label
from clinic_desktop.ui.style import set_role
from clinic_desktop.ui.widgets.screen_kit import MessageBanner

NAME, USABLE, REORDER, NEED, ON_ORDER, ORDER, COST, TOTAL, WHY = range(9)
CENT = Decimal("0.01")
RIGHT = Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter


@dataclass
class _Pick:
    line: SuggestedLine
    item: QTreeWidgetItem
    spin: DecimalSpin


@dataclass
class _Group:
    supplier_id: uuid.UUID | None
    name: str
    item: QTreeWidgetItem
    picks: list[_Pick]


class SuggestionsDialog(QDialog):
    created = Signal(object)  # list[PurchaseOrderDTO]

    def __init__(self, ctx: UiContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._ctx = ctx
        self.groups: list[_Group] = []
        self.suggestions: SuggestionsDTO | None = None
        self.setObjectName("SuggestionsDialog")
        self.setWindowTitle(_("Suggested orders"))
        self.setMinimumSize(1240, 560)
        title = QLabel(_("Suggested orders"), self)
        set_role(title, "subtitle")
        self.basis_label = hint_label("", self, "SuggestionsBasisLabel")
        self.banner = MessageBanner("SuggestionsMessage", self)
        self.tree = QTreeWidget(self)
        self.tree.setObjectName("SuggestionsTree")
        self.tree.setColumnCount(9)
        self.tree.setHeaderLabels(
            [
                _("Supplier / product"),
                _("Usable stock"),
                _("Reorder level"),
                _("Booked need"),
                _("On order"),
                _("To order"),
                _("Unit cost"),
                _("Total"),
                _("Why"),
            ]
        )
        self.tree.setAlternatingRowColors(True)
        self.tree.setUniformRowHeights(False)
        header = self.tree.header()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(NAME, QHeaderView.ResizeMode.Stretch)
        header.setStretchLastSection(False)
        self.tree.itemChanged.connect(self._on_tree_item_changed)
        self.empty_label = hint_label("", self, "SuggestionsEmptyLabel")
        self.empty_label.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.empty_label.hide()

        self.no_supplier_row = QWidget(self)
        row = QHBoxLayout(self.no_supplier_row)
        row.setContentsMargins(0, 0, 0, 0)
        row.addWidget(QLabel(_("Order the products without a supplier from"), self))
        self.supplier_combo = QComboBox(self)
        self.supplier_combo.setObjectName("SuggestionsSupplierCombo")
        self.supplier_combo.setMinimumWidth(260)
        row.addWidget(self.supplier_combo)
        row.addStretch(1)
        self.no_supplier_row.hide()

        self.summary_label = QLabel(self)
        self.summary_label.setObjectName("SuggestionsSummaryLabel")
        self.create_button = QPushButton(_("Create drafts"), self)
        self.create_button.setObjectName("CreateDraftsButton")
        set_role(self.create_button, "primary")
        self.create_button.clicked.connect(self.create_drafts)
        cancel = QPushButton(_("Close"), self)
        cancel.setObjectName("SuggestionsCloseButton")
        cancel.clicked.connect(self.reject)
        buttons = QHBoxLayout()
        buttons.addWidget(self.summary_label)
        buttons.addStretch(1)
        buttons.addWidget(self.create_button)
        buttons.addWidget(cancel)
        layout = QVBoxLayout(self)
        layout.addWidget(title)
        layout.addWidget(self.basis_label)
        layout.addWidget(self.banner)
        layout.addWidget(self.tree, 1)
        layout.addWidget(self.empty_label)
        layout.addWidget(self.no_supplier_row)
        layout.addLayout(buttons)
        self.refresh()

    # -- loading ---------------------------------------------------------------------------

    def refresh(self) -> None:
        ctx = self._ctx

        def load() -> tuple[SuggestionsDTO, list[SupplierDTO]]:
            return (
                suggest_orders(ctx.uow(), actor=ctx.actor),
                list_suppliers(ctx.uow(), actor=ctx.actor),
            )

        ctx.runner.run(
            load,
            on_done=self._on_loaded,
            on_error=lambda message: self.banner.show_message(message, "error"),
            busy_text=_("Working out what to order…"),
            parent=self,
        )

    def _on_loaded(self, result: tuple[SuggestionsDTO, list[SupplierDTO]]) -> None:
        suggestions, suppliers = result
        self.suggestions = suggestions
        basis = _(
            "Products at or below their reorder level, or that the treatments booked in the "
            "next {days} days will use up, less what is already on order."
        ).format(days=suggestions.forecast_days)
        self.basis_label.setText(basis)
        self.supplier_combo.clear()
        self.supplier_combo.addItem(_("Choose a supplier…"), None)
        for supplier in suppliers:
            self.supplier_combo.addItem(supplier.name, supplier.id)
        self.tree.blockSignals(True)
        self.tree.clear()
        self.groups = [self._add_group(g.supplier_id, g.supplier_name, g.lines)
                       for g in suggestions.groups]  # fmt: skip
        self.tree.expandAll()
        self.tree.blockSignals(False)
        empty = not self.groups
        self.tree.setVisible(not empty)
        self.empty_label.setVisible(empty)
        self.empty_label.setText(
            _(
                "Nothing to order now: every product is above its reorder level and covers "
                "the booked treatments (or is already on order)."
            )
        )
        self.no_supplier_row.setVisible(any(g.supplier_id is None for g in self.groups))
        self._update_totals()

    def _add_group(
        self, supplier_id: uuid.UUID | None, name: str, lines: tuple[SuggestedLine, ...]
    ) -> _Group:
        item = QTreeWidgetItem(self.tree, [name])
        item.setFirstColumnSpanned(True)  # the supplier's name whole, its subtotal after it
        item.setFlags(
            item.flags() | Qt.ItemFlag.ItemIsUserCheckable | Qt.ItemFlag.ItemIsAutoTristate
        )
        font = item.font(NAME)
        font.setBold(True)
        item.setFont(NAME, font)
        group = _Group(supplier_id, name, item, [])
        currency = self._currency()
        for line in lines:
            child = QTreeWidgetItem(item)
            child.setFlags(child.flags() | Qt.ItemFlag.ItemIsUserCheckable)
            child.setCheckState(NAME, Qt.CheckState.Checked)
            child.setText(NAME, line.product_name)
            child.setToolTip(NAME, f"{line.product_code} · {line.product_name}")
            facts = {
                USABLE: line.usable,
                REORDER: line.reorder_level,
                NEED: line.forecast_need,
                ON_ORDER: line.on_order,
            }
            for column, value in facts.items():
                child.setText(column, f"{quantity(value)} {line.unit}" if value else "—")
                child.setTextAlignment(column, RIGHT)
            child.setText(COST, money(line.unit_cost, currency))
            child.setTextAlignment(COST, RIGHT)
            child.setTextAlignment(TOTAL, RIGHT)
            child.setText(WHY, line.reason)
            child.setToolTip(WHY, line.reason)
            serial = sum(len(g.picks) for g in self.groups) + len(group.picks)
            spin = DecimalSpin(f"SuggestedQuantitySpin_{serial}", self.tree, places=3)
            spin.setSuffix(f" {line.purchase_unit_name}")
            spin.setMinimumWidth(120)
            spin.set_decimal(line.quantity)
            pick = _Pick(line, child, spin)
            spin.valueChanged.connect(lambda _v: self._update_totals())
            self.tree.setItemWidget(child, ORDER, spin)
            group.picks.append(pick)
        return group

    def _currency(self) -> str:
        return self.suggestions.currency if self.suggestions else self._ctx.clinic.currency

    def _on_tree_item_changed(self, _item: QTreeWidgetItem, _column: int) -> None:
        self._update_totals()

    def _update_totals(self) -> None:
        currency = self._currency()
        grand = Decimal(0)
        chosen = 0
        self.tree.blockSignals(True)
        for group in self.groups:
            subtotal = Decimal(0)
            for pick in group.picks:
                total = (pick.spin.decimal() * pick.line.unit_cost).quantize(CENT)
                pick.item.setText(TOTAL, money(total, currency))
                if pick.item.checkState(NAME) == Qt.CheckState.Checked:
                    subtotal += total
                    chosen += 1
            group.item.setText(NAME, f"{group.name}  ·  {money(subtotal, currency)}")
            grand += subtotal
        self.tree.blockSignals(False)
        self.summary_label.setText(
            ngettext(
                "{count} product ticked · {amount}", "{count} products ticked · {amount}", chosen
            ).format(count=chosen, amount=money(grand, currency))
        )
        self.create_button.setEnabled(chosen > 0)

    # -- creating --------------------------------------------------------------------------

    def chosen_orders(self) -> list[NewOrderInput]:
        orders: list[NewOrderInput] = []
        for group in self.groups:
            lines = tuple(
                OrderLineInput(p.line.product_id, p.spin.decimal(), p.line.unit_cost)
                for p in group.picks
                if p.item.checkState(NAME) == Qt.CheckState.Checked
            )
            if lines:
                supplier = group.supplier_id or self.supplier_combo.currentData()
                orders.append(NewOrderInput(supplier_id=supplier, lines=lines))
        return orders

    def create_drafts(self) -> None:
        ctx, orders = self._ctx, self.chosen_orders()
        self.banner.clear_message()
        ctx.runner.run(
            lambda: create_orders_from_suggestions(ctx.uow(), actor=ctx.actor, orders=orders),
            on_done=self._on_created,
            on_error=lambda message: self.banner.show_message(message, "error"),
            on_user_error=self._on_user_error,
            parent=self,
        )

    def _on_created(self, orders: list[PurchaseOrderDTO]) -> None:
        self.created.emit(orders)
        self.accept()

    def _on_user_error(self, error: UserFacingError) -> None:
        self.banner.show_message(error.message, "error")
        if error.field == "supplier":
            self.supplier_combo.setFocus()
