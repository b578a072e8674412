"""The billing area's page (billing.manage): invoices and credit notes, patient balances and
receivables, the day's cash close, expenses, and the finance reports for whoever also holds
reports.finance. Each tab is built the first time it is shown."""

from __future__ import annotations

from PySide6.QtWidgets import QWidget

from clinic_desktop.i18n import N_
from clinic_desktop.ui.context import UiContext
from clinic_desktop.ui.widgets.lazy_tabs import LazyTab, LazyTabsPage


def _tabs() -> list[LazyTab]:
    # Imported here so each tab module loads only with the area (and tests can build one alone).
    from clinic_desktop.ui.billing.cash_tab import CashTab
    from clinic_desktop.ui.billing.expenses_tab import ExpensesTab
    from clinic_desktop.ui.billing.finance_reports_tab import FinanceReportsTab
    from clinic_desktop.ui.billing.invoices_tab import InvoicesTab
    from clinic_desktop.ui.billing.receivables_tab import ReceivablesTab

    return [
        LazyTab("invoices", N_("Invoices"), InvoicesTab),
        LazyTab("receivables", N_("Receivables"), ReceivablesTab),
        LazyTab("cash", N_("Cash close"), CashTab),
        LazyTab("expenses", N_("Expenses"), ExpensesTab),
        LazyTab("reports", N_("Reports"), FinanceReportsTab, "reports.finance"),
    ]


class BillingPage(LazyTabsPage):
    def __init__(self, ctx: UiContext, parent: QWidget | None = None) -> None:
        super().__init__(ctx, name="Billing", title=N_("Billing"), tabs=_tabs(), parent=parent)
