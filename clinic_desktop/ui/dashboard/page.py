"""The owner's dashboard: a row of figure cards (income, expenses and profit of the months
shown, the no-show rate, what patients owe, stock alerts), then four charts (income against
expenses per month, appointments with the no-show rate, the top treatments by income and by
margin) and the sentence saying how the figures are computed. The owner picks 6, 12 or 24
months. Everything comes from one `dashboard` service call run off the GUI thread; the page
reloads when billing, appointments or stock change (at once if shown, otherwise the next time
it is shown). Without reports.finance the page says so and asks the service nothing."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from PySide6.QtCore import QTimer
from PySide6.QtGui import QShowEvent
from PySide6.QtWidgets import (
    QComboBox,
    QFrame,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from clinic_desktop.formatting import money, percent
from clinic_desktop.i18n import _, ngettext
from clinic_desktop.services.access import permission_label
from clinic_desktop.services.dashboard import DashboardDTO, dashboard
from clinic_desktop.services.report_table import long_date
from clinic_desktop.ui.context import UiContext
from clinic_desktop.ui.dashboard.charts import (
    AppointmentsChart,
    IncomeExpensesChart,
    TopTreatmentsChart,
)
from clinic_desktop.ui.style import DANGER, INK, MUTED, WARNING, bold, set_role
from clinic_desktop.ui.widgets.screen_kit import MessageBanner

FINANCE = "reports.finance"
MONTH_CHOICES = (6, 12, 24)


class FigureCard(QFrame):
    """A title, a big figure and a line under it."""

    def __init__(self, name: str, title: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName(name)
        set_role(self, "card")
        layout = QVBoxLayout(self)
        layout.setContentsMargins(16, 12, 16, 14)
        layout.setSpacing(2)
        self.title_label = QLabel(title, self)
        self.title_label.setStyleSheet(f"background: transparent; color: {MUTED};")
        self.value_label = QLabel("—", self)
        self.value_label.setObjectName(f"{name}Value")
        self.value_label.setStyleSheet(f"background: transparent; color: {INK};")
        bold(self.value_label, 17)
        self.note_label = QLabel("", self)
        self.note_label.setObjectName(f"{name}Note")
        self.note_label.setWordWrap(True)
        self.note_label.setStyleSheet(f"background: transparent; color: {MUTED};")
        layout.addWidget(self.title_label)
        layout.addWidget(self.value_label)
        layout.addWidget(self.note_label)
        layout.addStretch(1)

    def set_figure(self, value: str, note: str = "", colour: str = INK) -> None:
        self.value_label.setText(value)
        self.value_label.setStyleSheet(f"background: transparent; color: {colour};")
        self.note_label.setText(note)


class DashboardPage(QWidget):
    def __init__(
        self, ctx: UiContext, parent: QWidget | None = None, *, today: date | None = None
    ) -> None:
        super().__init__(parent)
        self.setObjectName("DashboardPage")
        self._ctx = ctx
        self._today = today  # tests pin the day; the service uses the clinic's today otherwise
        self._stale = True
        self._loading = False
        self.data: DashboardDTO | None = None
        self.allowed = ctx.can(FINANCE)

        outer = QVBoxLayout(self)
        outer.setContentsMargins(24, 20, 24, 16)
        outer.setSpacing(12)
        outer.addLayout(self._header())
        self.banner = MessageBanner("DashboardBanner", self)
        outer.addWidget(self.banner)

        self.body = QWidget(self)
        self.body.setObjectName("DashboardBody")
        body = QVBoxLayout(self.body)
        body.setContentsMargins(0, 0, 0, 0)
        body.setSpacing(12)
        body.addLayout(self._cards())
        body.addLayout(self._charts(), 1)
        self.basis_label = QLabel("", self.body)
        self.basis_label.setObjectName("DashboardBasis")
        self.basis_label.setWordWrap(True)
        set_role(self.basis_label, "hint")
        body.addWidget(self.basis_label)
        outer.addWidget(self.body, 1)

        if not self.allowed:
            self.body.hide()
            self.months_box.setEnabled(False)
            self.refresh_button.setEnabled(False)
            self.banner.show_message(
                _("Your role does not allow the dashboard (needs: {permission}).").format(
                    permission=permission_label(FINANCE)
                ),
                "warn",
            )
        for signal in (
            ctx.bridge.billing_changed,
            ctx.bridge.appointments_changed,
            ctx.bridge.inventory_changed,
        ):
            signal.connect(self._on_bridge_data_changed)

    # -- layout ------------------------------------------------------------------------------

    def _header(self) -> QHBoxLayout:
        row = QHBoxLayout()
        titles = QVBoxLayout()
        titles.setSpacing(0)
        title = QLabel(_("Dashboard"), self)
        set_role(title, "title")
        self.period_label = QLabel("", self)
        self.period_label.setObjectName("DashboardPeriod")
        set_role(self.period_label, "hint")
        titles.addWidget(title)
        titles.addWidget(self.period_label)
        row.addLayout(titles)
        row.addStretch(1)
        row.addWidget(QLabel(_("Show"), self))
        self.months_box = QComboBox(self)
        self.months_box.setObjectName("DashboardMonths")
        for count in MONTH_CHOICES:
            self.months_box.addItem(
                ngettext("last {count} month", "last {count} months", count).format(count=count),
                count,
            )
        self.months_box.setCurrentIndex(MONTH_CHOICES.index(12))
        self.months_box.currentIndexChanged.connect(self._on_months_box_current_index_changed)
        row.addWidget(self.months_box)
        self.refresh_button = QPushButton(_("Refresh"), self)
        self.refresh_button.setObjectName("DashboardRefresh")
        self.refresh_button.clicked.connect(self.refresh)
        row.addWidget(self.refresh_button)
        return row

    def _cards(self) -> QHBoxLayout:
        row = QHBoxLayout()
        row.setSpacing(12)
        self.income_card = FigureCard("DashboardIncomeCard", _("Income"), self.body)
        self.expenses_card = FigureCard("DashboardExpensesCard", _("Expenses"), self.body)
        self.profit_card = FigureCard("DashboardProfitCard", _("Profit"), self.body)
        self.no_show_card = FigureCard("DashboardNoShowCard", _("No-show rate"), self.body)
        self.receivables_card = FigureCard("DashboardReceivablesCard", _("Receivables"), self.body)
        self.stock_card = FigureCard("DashboardStockCard", _("Stock alerts"), self.body)
        for card in (
            self.income_card,
            self.expenses_card,
            self.profit_card,
            self.no_show_card,
            self.receivables_card,
            self.stock_card,
        ):
            row.addWidget(card, 1)
        return row

    def _charts(self) -> QGridLayout:
        grid = QGridLayout()
        grid.setSpacing(12)
        self.income_chart = IncomeExpensesChart(self.body)
        self.appointments_chart = AppointmentsChart(self.body)
        self.top_income_chart = TopTreatmentsChart("income", self.body)
        self.top_margin_chart = TopTreatmentsChart("margin", self.body)
        grid.addWidget(self.income_chart, 0, 0)
        grid.addWidget(self.appointments_chart, 0, 1)
        grid.addWidget(self.top_income_chart, 1, 0)
        grid.addWidget(self.top_margin_chart, 1, 1)
        return grid

    # -- data --------------------------------------------------------------------------------

    @property
    def months(self) -> int:
        return int(self.months_box.currentData())

    def set_months(self, count: int) -> None:
        self.months_box.setCurrentIndex(MONTH_CHOICES.index(count))

    def refresh(self) -> None:
        if not self.allowed or self._loading:
            return
        ctx, months, today = self._ctx, self.months, self._today
        self._loading = True
        self._stale = False
        ctx.runner.run(
            lambda: dashboard(ctx.uow(), actor=ctx.actor, months=months, today=today),
            on_done=self._show,
            on_error=self._fail,
            busy_text=_("Adding up the figures…"),
            parent=self,
        )

    def _fail(self, message: str) -> None:
        self._loading = False
        self.banner.show_message(message, "error")

    def _show(self, board: DashboardDTO) -> None:
        self._loading = False
        self.data = board
        self.banner.clear_message()
        cash = board.currency
        self.period_label.setText(
            _("{start} – {end}, in {currency}").format(
                start=long_date(board.date_from), end=long_date(board.date_to), currency=cash
            )
        )
        self.income_card.set_figure(money(board.income, cash), _("Issued invoices, net of tax"))
        self.expenses_card.set_figure(money(board.expenses, cash), _("Net of tax"))
        self.profit_card.set_figure(
            money(board.profit, cash),
            _("Income − expenses"),
            DANGER if board.profit < 0 else INK,
        )
        rate = board.no_show_rate
        self.no_show_card.set_figure(
            percent(rate) if rate is not None else "—",
            ngettext(
                "{missed} of {count} appointment", "{missed} of {count} appointments",
                board.appointments,
            ).format(missed=board.no_shows, count=board.appointments),
            WARNING if rate is not None and rate >= Decimal("0.1") else INK,
        )  # fmt: skip
        self.receivables_card.set_figure(
            money(board.receivables, cash),
            ngettext("{count} invoice owed", "{count} invoices owed", board.receivables_count)
            .format(count=board.receivables_count),
        )  # fmt: skip
        self.stock_card.set_figure(
            str(board.stock_alerts),
            _("{low} low or out · {lots} lots expiring").format(
                low=board.stock_low, lots=board.stock_expiring
            ),
            WARNING if board.stock_alerts else INK,
        )
        self.income_chart.show_data(board)
        self.appointments_chart.show_data(board)
        self.top_income_chart.show_data(board)
        self.top_margin_chart.show_data(board)
        self.basis_label.setText(board.basis)

    # -- events ------------------------------------------------------------------------------

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        if self._stale:
            QTimer.singleShot(0, self.refresh)

    def _on_months_box_current_index_changed(self, _index: int) -> None:
        self.refresh()

    def _on_bridge_data_changed(self, _event: object) -> None:
        self._stale = True
        if self.isVisible():
            QTimer.singleShot(0, self._refresh_if_stale)

    def _refresh_if_stale(self) -> None:
        if self._stale:
            self.refresh()
