"""The home page's stock card: how many products are below their reorder level or out of
stock and how many lots are expiring or expired, with the first few names of each, and a
button that opens the inventory. It names products only, never patients, so every role may
see it. Reloads when stock changes anywhere (this PC or, later, another one)."""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QFrame, QHBoxLayout, QLabel, QPushButton, QVBoxLayout, QWidget

from clinic_desktop.i18n import _, ngettext
from clinic_desktop.services.inventory_dto import StockAlertsDTO
from clinic_desktop.services.stock_alerts import stock_alerts
from clinic_desktop.ui.context import UiContext
from clinic_desktop.ui.style import DANGER, INK, WARNING, bold, set_role

SHOWN_NAMES = 3


def _names(names: Sequence[str]) -> str:
    shown = ", ".join(names[:SHOWN_NAMES])
    more = len(names) - SHOWN_NAMES
    return shown + (_(" and {count} more").format(count=more) if more > 0 else "")


def alert_lines(alerts: StockAlertsDTO) -> list[tuple[str, str]]:
    """(text, colour) per kind of alert present, most urgent first."""
    lines: list[tuple[str, str]] = []
    if alerts.expired:
        count = len(alerts.expired)
        head = ngettext(
            "{count} expired lot still in stock", "{count} expired lots still in stock", count
        )
        names = [a.product_name for a in alerts.expired]
        lines.append((f"{head.format(count=count)}: {_names(names)}", DANGER))
    if alerts.out:
        count = len(alerts.out)
        head = ngettext("{count} product out of stock", "{count} products out of stock", count)
        lines.append(
            (f"{head.format(count=count)}: {_names([p.name for p in alerts.out])}", DANGER)
        )
    if alerts.low:
        count = len(alerts.low)
        head = ngettext(
            "{count} product below its reorder level",
            "{count} products below their reorder level",
            count,
        )
        lines.append(
            (f"{head.format(count=count)}: {_names([p.name for p in alerts.low])}", WARNING)
        )
    if alerts.expiring:
        count = len(alerts.expiring)
        head = ngettext(
            "{count} lot expiring within {days} days",
            "{count} lots expiring within {days} days",
            count,
        )
        names = [a.product_name for a in alerts.expiring]
        lines.append(
            (f"{head.format(count=count, days=alerts.warning_days)}: {_names(names)}", WARNING)
        )
    return lines


class StockAlertsCard(QFrame):
    open_requested = Signal()

    def __init__(self, ctx: UiContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._ctx = ctx
        self.setObjectName("StockAlertsCard")
        set_role(self, "card")
        layout = QVBoxLayout(self)
        layout.setContentsMargins(20, 16, 20, 18)
        layout.setSpacing(6)
        heading = QLabel(_("Stock"), self)
        heading.setStyleSheet("background: transparent;")
        bold(heading, 13)
        top = QHBoxLayout()
        top.addWidget(heading)
        top.addStretch(1)
        self.open_button = QPushButton(_("Open inventory"), self)
        self.open_button.setObjectName("OpenInventoryButton")
        self.open_button.clicked.connect(self.open_requested.emit)
        top.addWidget(self.open_button)
        layout.addLayout(top)
        self._lines = QVBoxLayout()
        self._lines.setSpacing(4)
        layout.addLayout(self._lines)
        self.labels: list[QLabel] = []
        ctx.bridge.inventory_changed.connect(self._on_bridge_inventory_changed)

    def refresh(self) -> None:
        ctx = self._ctx
        ctx.runner.run(
            lambda: stock_alerts(ctx.uow(), actor=ctx.actor),
            on_done=self._show,
            on_error=lambda message: self._set_lines([(message, DANGER)]),
        )

    def _show(self, alerts: StockAlertsDTO) -> None:
        lines = alert_lines(alerts)
        self._set_lines(
            lines or [(_("Every product is above its reorder level and in date."), INK)]
        )

    def _set_lines(self, lines: list[tuple[str, str]]) -> None:
        for label in self.labels:
            # Out of the layout now, not at the next turn of the event loop: two quick reloads
            # must not show both sets of lines.
            self._lines.removeWidget(label)
            label.hide()
            label.deleteLater()
        self.labels = []
        for text, colour in lines:
            label = QLabel(text, self)
            label.setObjectName("StockAlertLine")
            label.setWordWrap(True)
            label.setStyleSheet(f"background: transparent; color: {colour};")
            self._lines.addWidget(label)
            self.labels.append(label)

    def _on_bridge_inventory_changed(self, _event: object) -> None:
        self.refresh()
