"""The totals of an invoice in the editor: the breakdown by rate (each rate's taxable base and
its tax, exempt and not-subject rows apart), then subtotal, discount on the total, tax and the
total; on an issued invoice also what was paid, credited and is still owed. The figures come
from the services (fiscal.invoice_math): live while a draft is typed, as stored once issued."""

from __future__ import annotations

from collections.abc import Sequence
from decimal import Decimal

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QFrame, QGridLayout, QLabel, QVBoxLayout, QWidget

from clinic_desktop.i18n import _
from clinic_desktop.services.invoice_dto import TaxRowDTO
from clinic_desktop.ui.billing.money_widgets import money_text
from clinic_desktop.ui.style import ACCENT, BORDER, DANGER, MUTED, bold, set_role

RIGHT = Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter


class TotalsBox(QFrame):
    def __init__(self, currency: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("InvoiceTotalsBox")
        set_role(self, "card")
        self.currency = currency
        self.setMinimumWidth(380)
        self.rates = QGridLayout()
        self.rates.setHorizontalSpacing(14)
        self.rates.setVerticalSpacing(3)
        self.sums = QGridLayout()
        self.sums.setHorizontalSpacing(14)
        self.sums.setVerticalSpacing(4)
        self.subtotal_value = self._sum_row(0, _("Subtotal"), "InvoiceSubtotalValue")
        self.discount_value = self._sum_row(1, _("Discount on the total"), "InvoiceDiscountValue")
        self.tax_value = self._sum_row(2, _("Tax"), "InvoiceTaxValue")
        rule = QFrame(self)
        rule.setFrameShape(QFrame.Shape.HLine)
        rule.setStyleSheet(f"color: {BORDER};")
        self.sums.addWidget(rule, 3, 0, 1, 2)
        total_title = QLabel(_("Total"), self)
        bold(total_title, 13)
        self.total_value = QLabel("—", self)
        self.total_value.setObjectName("InvoiceTotalValue")
        self.total_value.setAlignment(RIGHT)
        self.total_value.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        bold(self.total_value, 15)
        self.total_value.setStyleSheet(f"color: {ACCENT};")
        self.sums.addWidget(total_title, 4, 0)
        self.sums.addWidget(self.total_value, 4, 1)
        self.paid_value = self._sum_row(5, _("Amount paid"), "InvoicePaidValue")
        self.credited_value = self._sum_row(6, _("Credited"), "InvoiceCreditedValue")
        self.balance_value = self._sum_row(7, _("Balance due"), "InvoiceBalanceValue")
        bold(self.balance_value)
        self.sums.setColumnStretch(0, 1)
        self.rates.setColumnStretch(0, 1)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(16, 12, 16, 12)
        layout.setSpacing(8)
        layout.addLayout(self.rates)
        layout.addLayout(self.sums)
        layout.addStretch(1)
        self._rate_widgets: list[QWidget] = []
        self.show_payments(None)

    def _sum_row(self, row: int, title: str, name: str) -> QLabel:
        label = QLabel(title, self)
        label.setObjectName(f"{name}Title")
        set_role(label, "hint")
        value = QLabel("—", self)
        value.setObjectName(name)
        value.setAlignment(RIGHT)
        value.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.sums.addWidget(label, row, 0)
        self.sums.addWidget(value, row, 1)
        return value

    def _money(self, amount: Decimal) -> str:
        return money_text(amount, self.currency)

    def show_totals(
        self,
        *,
        subtotal: Decimal,
        discount: Decimal,
        taxes: Sequence[TaxRowDTO],
        tax: Decimal,
        total: Decimal,
    ) -> None:
        for widget in self._rate_widgets:
            self.rates.removeWidget(widget)
            widget.hide()
            widget.deleteLater()
        self._rate_widgets = []
        if taxes:
            for column, text in enumerate((_("Rate"), _("Base"), _("Tax"))):
                head = QLabel(text, self)
                set_role(head, "hint")
                if column:
                    head.setAlignment(RIGHT)
                self._place(head, 0, column)
        for row, rate in enumerate(taxes, start=1):
            name = QLabel(rate.label, self)
            name.setObjectName(f"InvoiceRate{row}Label")
            name.setWordWrap(True)
            base = QLabel(self._money(rate.base), self)
            base.setObjectName(f"InvoiceRate{row}Base")
            amount = QLabel(self._money(rate.tax), self)
            amount.setObjectName(f"InvoiceRate{row}Tax")
            for column, widget in enumerate((name, base, amount)):
                if column:
                    widget.setAlignment(RIGHT)
                self._place(widget, row, column)
        self.subtotal_value.setText(self._money(subtotal))
        self.discount_value.setText(self._money(discount))
        for widget in (self.discount_value, self._title_of(self.discount_value)):
            widget.setVisible(bool(discount))
        self.tax_value.setText(self._money(tax))
        self.total_value.setText(self._money(total))

    def _place(self, widget: QLabel, row: int, column: int) -> None:
        self.rates.addWidget(widget, row, column)
        self._rate_widgets.append(widget)

    def _title_of(self, value: QLabel) -> QWidget:
        found = self.findChild(QLabel, f"{value.objectName()}Title")
        assert found is not None
        return found

    def show_payments(
        self, paid: Decimal | None, credited: Decimal = Decimal(0), balance: Decimal = Decimal(0)
    ) -> None:
        """Paid, credited and balance under the total (None hides them: a draft)."""
        shown = paid is not None
        for value in (self.paid_value, self.credited_value, self.balance_value):
            value.setVisible(shown)
            self._title_of(value).setVisible(shown)
        if paid is None:
            return
        self.paid_value.setText(self._money(paid))
        self.credited_value.setText(self._money(credited))
        for widget in (self.credited_value, self._title_of(self.credited_value)):
            widget.setVisible(bool(credited))
        self.balance_value.setText(self._money(balance))
        self.balance_value.setStyleSheet(f"color: {DANGER if balance > 0 else MUTED};")

    def total_text(self) -> str:
        return self.total_value.text()
