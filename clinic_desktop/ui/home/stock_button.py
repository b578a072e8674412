"""The top bar's stock alert button: "⚠ 5 stock alerts" while any product is low, out of
stock, expiring or expired, hidden otherwise; a click opens the inventory. The tooltip lists
the alerts as the home page's stock card does. Reloads when stock changes."""

from __future__ import annotations

from PySide6.QtWidgets import QToolButton, QWidget

from clinic_desktop.i18n import ngettext
from clinic_desktop.services.inventory_dto import StockAlertsDTO
from clinic_desktop.services.stock_alerts import stock_alerts
from clinic_desktop.ui.context import UiContext
from clinic_desktop.ui.home.stock_card import alert_lines
from clinic_desktop.ui.style import set_role


class StockAlertsButton(QToolButton):
    def __init__(self, ctx: UiContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._ctx = ctx
        self.setObjectName("StockAlertsButton")
        set_role(self, "topbar")
        self.hide()
        ctx.bridge.inventory_changed.connect(self._on_bridge_inventory_changed)

    def refresh(self) -> None:
        ctx = self._ctx
        # A failure here only hides the button: the inventory screen shows the real error.
        ctx.runner.run(
            lambda: stock_alerts(ctx.uow(), actor=ctx.actor),
            on_done=self._show,
            on_error=lambda _message: self.hide(),
        )

    def _show(self, alerts: StockAlertsDTO) -> None:
        count = alerts.total
        self.setVisible(count > 0)
        self.setText(
            "⚠ "
            + ngettext("{count} stock alert", "{count} stock alerts", count).format(count=count)
        )
        self.setToolTip("\n".join(text for text, _colour in alert_lines(alerts)))

    def _on_bridge_inventory_changed(self, _event: object) -> None:
        self.refresh()
