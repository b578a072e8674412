"""The inventory area's page: a heading and one tab per part (products and stock,
treatments, purchase orders, forecast, reports), each built the first time it is shown, so
opening the area costs only the products list. Everyone sees stock levels; the tabs hide their
editing controls from people without inventory.manage."""

from __future__ import annotations

from PySide6.QtWidgets import QWidget

from clinic_desktop.i18n import N_
from clinic_desktop.ui.context import UiContext
from clinic_desktop.ui.widgets.lazy_tabs import LazyTab, LazyTabsPage


def _tabs() -> list[LazyTab]:
    # Imported here so each tab module loads only with the area (and tests can build one alone).
    from clinic_desktop.ui.inventory.forecast_tab import ForecastTab
    from clinic_desktop.ui.inventory.orders_tab import OrdersTab
    from clinic_desktop.ui.inventory.products_tab import ProductsTab
    from clinic_desktop.ui.inventory.reports_tab import InventoryReportsTab
    from clinic_desktop.ui.inventory.treatments_tab import TreatmentsTab

    return [
        LazyTab("products", N_("Products and stock"), ProductsTab),
        LazyTab("treatments", N_("Treatments"), TreatmentsTab),
        LazyTab("orders", N_("Purchase orders"), OrdersTab),
        LazyTab("forecast", N_("Forecast"), ForecastTab),
        LazyTab("reports", N_("Reports"), InventoryReportsTab),
    ]


class InventoryPage(LazyTabsPage):
    def __init__(self, ctx: UiContext, parent: QWidget | None = None) -> None:
        super().__init__(ctx, name="Inventory", title=N_("Inventory"), tabs=_tabs(), parent=parent)
