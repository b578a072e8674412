"""The cash tab of the billing area: the signed-in user's cash at this PC for a day (today unless
another is chosen): what each payment method should hold after the day's payments and refunds,
the amounts counted with their differences, the comment any difference needs, and the day's
payments. "Preview sheet" shows the close sheet as it would print (marked as a draft); "Close
day…" asks, records the close (the day is then locked: no more payments enter it) and shows
the sheet to print. The closes of the last weeks are listed under it, each reprintable. Needs
billing.manage (the service decides and its refusal is shown). Follows payments made anywhere
through the event bridge."""

from __future__ import annotations

from datetime import date, timedelta
from zoneinfo import ZoneInfo

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QFrame,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QScrollArea,
    QSplitter,
    QVBoxLayout,
    QWidget,
)

from clinic_desktop.errors import UserFacingError
from clinic_desktop.events import BillingChanged
from clinic_desktop.i18n import _
from clinic_desktop.services.cash_close import cash_day_summary, close_cash_day, list_cash_closes
from clinic_desktop.services.cash_close_dto import CashCloseDTO, CashDaySummaryDTO
from clinic_desktop.services.payment_dto import PaymentDTO
from clinic_desktop.services.payment_print import preview_cash_close, print_cash_close
from clinic_desktop.ui.agenda.dialog_kit import clock_text, date_box, from_qdate, to_qdate
from clinic_desktop.ui.billing.cash_count import CashCountPanel
from clinic_desktop.ui.billing.money_widgets import coalescing_timer, money_text
from clinic_desktop.ui.chart.clinical_dialog_kit import Card, clinic_today, date_text, small_button
from clinic_desktop.ui.context import UiContext
from clinic_desktop.ui.inventory.products_kit import RowTableModel, set_badge
from clinic_desktop.ui.style import DANGER, set_role
from clinic_desktop.ui.widgets import print_preview, screen_kit
from clinic_desktop.ui.widgets.screen_kit import (
    Column,
    MessageBanner,
    format_when,
    list_table,
    selected_entry,
)

PAST_DAYS = 60


class CashTab(QWidget):
    def __init__(self, ctx: UiContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._ctx = ctx
        self.setObjectName("CashTab")
        self.currency = ctx.clinic.currency
        self.zone = ZoneInfo(ctx.clinic.timezone)
        self.summary: CashDaySummaryDTO | None = None
        self.closes: list[CashCloseDTO] = []

        self.day_box = date_box("CashDayBox", self)
        today = clinic_today(ctx)
        self.day_box.setMaximumDate(to_qdate(today))
        self.day_box.setDate(to_qdate(today))
        self.day_box.setFixedWidth(180)
        self.day_box.dateChanged.connect(lambda _d: self.refresh())
        self.who_label = QLabel(self)
        self.who_label.setObjectName("CashWhoLabel")
        set_role(self.who_label, "hint")
        self.state_label = QLabel(self)
        self.state_label.setObjectName("CashStateLabel")
        self.banner = MessageBanner("CashMessage", self)

        self.count = CashCountPanel(self.currency, self)
        self.preview_button = small_button(_("Preview sheet"), "CashPreviewButton", self)
        self.close_button = small_button(_("Close day…"), "CashCloseButton", self, primary=True)
        self.print_button = small_button(_("Print sheet"), "CashPrintButton", self)
        self.preview_button.clicked.connect(self.preview_sheet)
        self.close_button.clicked.connect(self.close_day)
        self.print_button.clicked.connect(self._on_print_day_clicked)
        count_card = Card("CashCountCard", _("Cash count"), self)
        count_card.body.addWidget(self.count)
        count_card.body.addStretch(1)
        actions = QHBoxLayout()
        actions.addStretch(1)
        for button in (self.preview_button, self.print_button, self.close_button):
            actions.addWidget(button)
        count_card.body.addLayout(actions)

        self.payments_model = RowTableModel(
            [
                Column(_("Time"), lambda p: clock_text(p.paid_at, self.zone), self._details),
                Column(_("Payer"), lambda p: p.payer_name, self._details),
                Column(_("Method"), self._method_text, self._details),
                Column(
                    _("Amount"),
                    lambda p: self._money(p.signed_amount),
                    self._details,
                    align_right=True,
                ),
            ],
            foreground=lambda p: DANGER if p.is_refund else None,
            parent=self,
        )
        self.payments_table = list_table(self.payments_model, "CashPaymentsTable", self)
        self.payments_card = Card("CashPaymentsCard", _("Payments of the day"), self)
        self.payments_card.body.addWidget(self.payments_table, 1)

        self.closes_model = RowTableModel(
            [
                Column(_("Day"), lambda c: date_text(c.day)),
                Column(_("PC"), lambda c: c.workstation),
                Column(_("User"), lambda c: c.user_name),
                Column(
                    _("Expected amount"), lambda c: self._money(c.expected_total), align_right=True
                ),
                Column(
                    _("Counted amount"), lambda c: self._money(c.counted_total), align_right=True
                ),
                Column(
                    _("Difference"), lambda c: self._money(c.difference_total), align_right=True
                ),
                Column(_("Closed"), lambda c: format_when(c.closed_at, ctx.clinic.timezone)),
                Column(_("Comment"), lambda c: c.comment or "—"),
            ],
            foreground=lambda c: DANGER if c.difference_total < 0 else None,
            parent=self,
        )
        self.reprint_button = small_button(_("Reprint sheet"), "CashReprintButton", self)
        self.reprint_button.clicked.connect(self.reprint_selected)
        self.reprint_button.setEnabled(False)
        self.closes_table = list_table(self.closes_model, "CashClosesTable", self)
        self.closes_table.doubleClicked.connect(lambda _i: self.reprint_selected())
        self.closes_table.selectionModel().selectionChanged.connect(
            lambda *_a: self.reprint_button.setEnabled(self.selected_close() is not None)
        )
        closes_card = Card(
            "CashClosesCard",
            _("Closed days (last {days} days)").format(days=PAST_DAYS),
            self,
        )
        closes_card.add_header_widget(self.reprint_button)
        closes_card.body.addWidget(self.closes_table, 1)
        for table in (self.payments_table, self.closes_table):
            table.verticalHeader().setDefaultSectionSize(30)
            header = table.horizontalHeader()
            header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
            header.setStretchLastSection(True)
        # The payer takes the room left; the receipt and what it settled are in the tooltip.
        self.payments_table.horizontalHeader().setSectionResizeMode(
            1, QHeaderView.ResizeMode.Stretch
        )
        self.payments_table.horizontalHeader().setStretchLastSection(False)

        top = QHBoxLayout()
        top.addWidget(QLabel(_("Day"), self))
        top.addWidget(self.day_box)
        top.addSpacing(12)
        top.addWidget(self.state_label)
        top.addSpacing(12)
        top.addWidget(self.who_label, 1)
        upper = QWidget(self)
        upper_row = QHBoxLayout(upper)
        upper_row.setContentsMargins(0, 0, 0, 0)
        upper_row.addWidget(count_card, 0)
        upper_row.addWidget(self.payments_card, 1)
        # On a short screen (1366 × 768) the count scrolls rather than squeezing its boxes
        # into one another; the closed days below get what the count leaves.
        scroll = QScrollArea(self)
        scroll.setObjectName("CashCountScroll")
        scroll.setWidget(upper)
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QFrame.Shape.NoFrame)
        splitter = QSplitter(Qt.Orientation.Vertical, self)
        splitter.addWidget(scroll)
        splitter.addWidget(closes_card)
        splitter.setStretchFactor(0, 4)
        splitter.setStretchFactor(1, 1)
        splitter.setChildrenCollapsible(False)
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(self.banner)
        layout.addWidget(splitter, 1)

        self.count.changed.connect(self.count.clear_comment_error)
        self._reload = coalescing_timer(self, self.refresh)
        ctx.bridge.billing_changed.connect(self._on_bridge_billing_changed)
        self._show_buttons()
        self.refresh()

    # -- texts -------------------------------------------------------------------------------

    def _money(self, amount: object) -> str:
        return money_text(amount, self.currency)  # type: ignore[arg-type]

    @staticmethod
    def _method_text(p: PaymentDTO) -> str:
        if p.is_refund:
            return _("Refund · {method}").format(method=p.method_label)
        return p.method_label

    @classmethod
    def _details(cls, p: PaymentDTO) -> str:
        return _("Receipt {number} · {payer} · applied to: {applied}").format(
            number=p.receipt_number, payer=p.payer_name, applied=cls._applied_text(p)
        )

    @staticmethod
    def _applied_text(p: PaymentDTO) -> str:
        numbers = ", ".join(a.invoice_number for a in p.allocations)
        if p.unallocated > 0:
            extra = _("paid back from credit") if p.is_refund else _("credit on account")
            numbers = f"{numbers} + {extra}" if numbers else extra
        return numbers or "—"

    # -- data --------------------------------------------------------------------------------

    def day(self) -> date:
        return from_qdate(self.day_box.date())

    def refresh(self) -> None:
        ctx, day = self._ctx, self.day()
        ctx.runner.run(
            lambda: cash_day_summary(ctx.uow(), actor=ctx.actor, day=day),
            on_done=self._show_summary,
            on_error=self._show_error,
            parent=self,
        )
        to = clinic_today(ctx)
        ctx.runner.run(
            lambda: list_cash_closes(
                ctx.uow(), actor=ctx.actor, date_from=to - timedelta(days=PAST_DAYS), date_to=to
            ),
            on_done=self._show_closes,
            on_error=self._show_error,
            parent=self,
        )

    def _show_error(self, message: str) -> None:
        self.banner.show_message(message, "error")

    def _show_summary(self, summary: CashDaySummaryDTO) -> None:
        if self.banner.kind == "error":
            self.banner.clear_message()
        self.summary = summary
        self.currency = summary.currency
        self.count.show_summary(summary)
        self.who_label.setText(
            _("Cash of {user} at {workstation}").format(
                user=summary.user_name, workstation=summary.workstation
            )
        )
        closed = summary.closed
        if closed is None:
            set_badge(self.state_label, "ok")
            self.state_label.setText(_("Day open"))
        else:
            set_badge(self.state_label, "out")
            self.state_label.setText(
                _("Closed {when}").format(
                    when=format_when(closed.closed_at, self._ctx.clinic.timezone)
                )
            )
        self.payments_model.set_rows(summary.payments[::-1])  # newest first
        count = len(summary.payments)
        self.payments_card.title_label.setText(
            _("Payments of {day} ({count})").format(day=date_text(summary.day), count=count)
        )
        self._show_buttons()

    def _show_closes(self, closes: list[CashCloseDTO]) -> None:
        self.closes = closes[::-1]  # newest first
        self.closes_model.set_rows(self.closes)
        self.reprint_button.setEnabled(self.selected_close() is not None)

    def _show_buttons(self) -> None:
        summary = self.summary
        is_open = summary is not None and summary.closed is None
        self.close_button.setVisible(summary is None or is_open)
        self.close_button.setEnabled(is_open)
        self.preview_button.setVisible(summary is None or is_open)
        self.preview_button.setEnabled(is_open)
        self.print_button.setVisible(summary is not None and not is_open)

    def _on_bridge_billing_changed(self, event: object) -> None:
        if isinstance(event, BillingChanged) and event.what in ("expenses", "invoices"):
            return
        self._reload.start()

    # -- actions -----------------------------------------------------------------------------

    def preview_sheet(self) -> None:
        ctx, day = self._ctx, self.day()
        counted, comment = self.count.counted(), self.count.comment()
        ctx.runner.run(
            lambda: preview_cash_close(
                ctx.uow(), actor=ctx.actor, counted=counted, comment=comment, day=day
            ),
            on_done=lambda pdf: print_preview.show_pdf_preview(
                self, pdf, _("Cash close {day} (draft)").format(day=date_text(day))
            ),
            on_error=self._show_error,
            busy_text=_("Preparing the sheet…"),
            parent=self,
        )

    def close_day(self) -> None:
        """Asks, closes the day with the counts as typed, then shows the sheet to print."""
        summary = self.summary
        if summary is None or summary.closed is not None:
            return
        self.count.clear_comment_error()
        off = any(d != 0 for d in self.count.differences().values())
        if off and not self.count.comment().strip():
            self.count.show_comment_error(
                _("Comment: explain the difference of {amount}.").format(
                    amount=self.count.difference_text()
                )
            )
            return
        total = sum(self.count.counted().values(), 0)
        question = _(
            "Close the cash of {day} with {counted} counted? The day is then locked: no more "
            "payments or refunds can be recorded in it."
        ).format(day=date_text(summary.day), counted=self._money(total))
        if not screen_kit.confirm(self, _("Close the day"), question, _("Close day")):
            return
        ctx, day = self._ctx, summary.day
        counted, comment = self.count.counted(), self.count.comment()
        ctx.runner.run(
            lambda: close_cash_day(
                ctx.uow(), actor=ctx.actor, day=day, counted=counted, comment=comment
            ),
            on_done=self._on_closed,
            on_error=self._show_error,
            on_user_error=self._on_close_refused,
            parent=self,
        )

    def _on_close_refused(self, error: UserFacingError) -> None:
        if error.field == "comment":
            self.count.show_comment_error(error.message)
        else:
            self.banner.show_message(error.message, "error")

    def _on_closed(self, close: CashCloseDTO) -> None:
        difference = self._money(close.difference_total)
        self.banner.show_message(
            _("The cash of {day} is closed: {counted} counted, difference {difference}.").format(
                day=date_text(close.day),
                counted=self._money(close.counted_total),
                difference=difference,
            ),
            "ok",
        )
        self.refresh()
        self.print_close(close)

    def print_close(self, close: CashCloseDTO) -> None:
        ctx, close_id = self._ctx, close.id
        title = _("Cash close {day}").format(day=date_text(close.day))
        ctx.runner.run(
            lambda: print_cash_close(ctx.uow(), actor=ctx.actor, cash_close_id=close_id),
            on_done=lambda pdf: print_preview.show_pdf_preview(self, pdf, title),
            on_error=self._show_error,
            busy_text=_("Preparing the sheet…"),
            parent=self,
        )

    def _on_print_day_clicked(self) -> None:
        if self.summary is not None and self.summary.closed is not None:
            self.print_close(self.summary.closed)

    def selected_close(self) -> CashCloseDTO | None:
        return selected_entry(self.closes_table, self.closes_model)

    def reprint_selected(self) -> None:
        close = self.selected_close()
        if close is not None:
            self.print_close(close)
