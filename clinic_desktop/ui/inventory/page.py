"""The inventory area's page: a heading and one tab per part (products and stock,
treatments, purchase orders, forecast, reports). A tab's widget is built the first time it is
shown, so opening the area costs only the products list. Everyone sees stock levels; the
tabs hide their editing controls from people without inventory.manage."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from PySide6.QtWidgets import QLabel, QTabWidget, QVBoxLayout, QWidget

from clinic_desktop.i18n import N_, _
from clinic_desktop.ui.context import UiContext
from clinic_desktop.ui.style import set_role


@dataclass(frozen=True)
class InventoryTab:
    key: str
    title: str  # N_() source text
    factory: Callable[[UiContext], QWidget]


def _tabs() -> list[InventoryTab]:
    # Imported here so each tab module loads only with the area (and tests can build one alone).
    from clinic_desktop.ui.inventory.forecast_tab import ForecastTab
    from clinic_desktop.ui.inventory.orders_tab import OrdersTab
    from clinic_desktop.ui.inventory.products_tab import ProductsTab
    from clinic_desktop.ui.inventory.reports_tab import InventoryReportsTab
    from clinic_desktop.ui.inventory.treatments_tab import TreatmentsTab

    return [
        InventoryTab("products", N_("Products and stock"), ProductsTab),
        InventoryTab("treatments", N_("Treatments"), TreatmentsTab),
        InventoryTab("orders", N_("Purchase orders"), OrdersTab),
        InventoryTab("forecast", N_("Forecast"), ForecastTab),
        InventoryTab("reports", N_("Reports"), InventoryReportsTab),
    ]


class InventoryPage(QWidget):
    def __init__(self, ctx: UiContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._ctx = ctx
        self.setObjectName("InventoryPage")
        self.setWindowTitle(self.title())
        heading = QLabel(self.title(), self)
        set_role(heading, "title")
        self.tabs = QTabWidget(self)
        self.tabs.setObjectName("InventoryTabs")
        self._specs = _tabs()
        self._built: dict[str, QWidget] = {}
        for spec in self._specs:
            holder = QWidget(self.tabs)
            holder.setObjectName(f"InventoryTabHolder_{spec.key}")
            QVBoxLayout(holder).setContentsMargins(0, 0, 0, 0)
            self.tabs.addTab(holder, _(spec.title))
        self.tabs.currentChanged.connect(self._on_tabs_current_changed)
        layout = QVBoxLayout(self)
        layout.addWidget(heading)
        layout.addWidget(self.tabs, 1)
        self._on_tabs_current_changed(0)

    def title(self) -> str:
        return _("Inventory")

    def tab(self, key: str) -> QWidget:
        """The tab's widget, built if needed, and shown (tests and other screens use it)."""
        index = next(i for i, spec in enumerate(self._specs) if spec.key == key)
        self.tabs.setCurrentIndex(index)
        self._on_tabs_current_changed(index)
        return self._built[key]

    def _on_tabs_current_changed(self, index: int) -> None:
        if index < 0:
            return
        spec = self._specs[index]
        if spec.key in self._built:
            return
        widget = spec.factory(self._ctx)
        holder = self.tabs.widget(index)
        layout = holder.layout() if holder is not None else None
        assert layout is not None
        layout.addWidget(widget)
        self._built[spec.key] = widget
