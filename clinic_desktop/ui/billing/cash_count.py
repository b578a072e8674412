"""The counting part of the cash close: one line per payment method with what the day's payments
add up to (received, refunded, expected) next to a box for what was counted, the difference
worked out as it is typed (red short, green over), the totals, and the comment that becomes
required as soon as any count differs. A closed day shows the close as recorded, read-only."""

from __future__ import annotations

from decimal import Decimal

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QFrame,
    QGridLayout,
    QLabel,
    QPlainTextEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from clinic_desktop.i18n import _
from clinic_desktop.services.cash_close_dto import CashDaySummaryDTO
from clinic_desktop.services.payment_dto import METHODS, method_label
from clinic_desktop.ui.billing.money_widgets import ZERO, MoneySpinBox, money_text, tone_of
from clinic_desktop.ui.style import BORDER, MUTED, WARNING, bold, set_role
from clinic_desktop.ui.widgets.forms import FieldError

RIGHT = Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter


class CashCountPanel(QFrame):
    """`changed` fires whenever a count or the comment changes."""

    changed = Signal()

    def __init__(self, currency: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("CashCountPanel")
        self.currency = currency
        self.summary: CashDaySummaryDTO | None = None
        self.count_labels: dict[str, QLabel] = {}
        self.received_labels: dict[str, QLabel] = {}
        self.refunded_labels: dict[str, QLabel] = {}
        self.expected_labels: dict[str, QLabel] = {}
        self.counted_spins: dict[str, MoneySpinBox] = {}
        self.difference_labels: dict[str, QLabel] = {}
        self._loading = False

        grid = QGridLayout()
        grid.setHorizontalSpacing(14)
        grid.setVerticalSpacing(6)
        titles = (
            _("Method"),
            _("Payments"),
            _("Received amount"),
            _("Refunded"),
            _("Expected amount"),
            _("Counted amount"),
            _("Difference"),
        )
        for column, title in enumerate(titles):
            label = QLabel(title, self)
            set_role(label, "hint")
            # Long titles ("Importe esperado") take two lines rather than widening the card,
            # which leaves the day's payments beside it room for the payers' names.
            label.setWordWrap(True)
            label.setAlignment(
                (Qt.AlignmentFlag.AlignRight if column else Qt.AlignmentFlag.AlignLeft)
                | Qt.AlignmentFlag.AlignBottom
            )
            grid.addWidget(label, 0, column)
        for row, method in enumerate((m.value for m in METHODS), start=1):
            grid.addWidget(QLabel(method_label(method), self), row, 0)
            for column, store in enumerate(
                (self.count_labels, self.received_labels, self.refunded_labels), start=1
            ):
                store[method] = self._figure(f"Cash_{column}_{method}")
                if column == 1:  # a count of payments, not an amount
                    store[method].setMinimumWidth(40)
                grid.addWidget(store[method], row, column, RIGHT)
            self.expected_labels[method] = self._figure(f"CashExpected_{method}")
            bold(self.expected_labels[method])
            grid.addWidget(self.expected_labels[method], row, 4, RIGHT)
            spin = MoneySpinBox(f"CashCounted_{method}", currency, self)
            spin.valueChanged.connect(lambda _v: self._on_count_changed())
            self.counted_spins[method] = spin
            grid.addWidget(spin, row, 5)
            self.difference_labels[method] = self._figure(f"CashDifference_{method}")
            bold(self.difference_labels[method])
            grid.addWidget(self.difference_labels[method], row, 6, RIGHT)
        total_row = len(METHODS) + 1
        line = QFrame(self)
        line.setFrameShape(QFrame.Shape.HLine)
        line.setStyleSheet(f"color: {BORDER};")
        grid.addWidget(line, total_row, 0, 1, len(titles))
        total = QLabel(_("Total"), self)
        bold(total)
        grid.addWidget(total, total_row + 1, 0)
        self.expected_total = self._figure("CashExpectedTotal")
        self.counted_total = self._figure("CashCountedTotal")
        self.difference_total = self._figure("CashDifferenceTotal")
        for column, label in ((4, self.expected_total), (5, self.counted_total)):
            bold(label, 11)
            grid.addWidget(label, total_row + 1, column, RIGHT)
        bold(self.difference_total, 11)
        grid.addWidget(self.difference_total, total_row + 1, 6, RIGHT)

        self.cash_hint = QLabel(self)
        self.cash_hint.setObjectName("CashTenderedHint")
        set_role(self.cash_hint, "hint")
        self.fill_button = QPushButton(_("Counted as expected"), self)
        self.fill_button.setObjectName("CashFillExpectedButton")
        self.fill_button.setToolTip(
            _("Fills every count with the expected amount, to correct where it differs")
        )
        self.fill_button.setAutoDefault(False)
        set_role(self.fill_button, "link")
        self.fill_button.clicked.connect(self.fill_expected)
        comment_title = QLabel(_("Comment"), self)
        bold(comment_title)
        self.comment_edit = QPlainTextEdit(self)
        self.comment_edit.setObjectName("CashCommentEdit")
        self.comment_edit.setPlaceholderText(_("Why a count differs from what was expected"))
        self.comment_edit.setFixedHeight(64)
        self.comment_edit.textChanged.connect(self.changed.emit)
        self.comment_hint = QLabel(self)
        self.comment_hint.setObjectName("CashCommentHint")
        self.comment_hint.setWordWrap(True)
        self.comment_error = FieldError("CashTabError_comment", self)
        self.comment_error.setMinimumWidth(0)

        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(8)
        layout.addLayout(grid)
        layout.addWidget(self.cash_hint)
        layout.addWidget(self.fill_button, 0, Qt.AlignmentFlag.AlignLeft)
        layout.addSpacing(4)
        layout.addWidget(comment_title)
        layout.addWidget(self.comment_edit)
        layout.addWidget(self.comment_hint)
        layout.addWidget(self.comment_error)

    def _figure(self, name: str) -> QLabel:
        label = QLabel("—", self)
        label.setObjectName(name)
        label.setMinimumWidth(90)
        label.setAlignment(RIGHT)
        return label

    def _money(self, amount: Decimal) -> str:
        return money_text(amount, self.currency)

    # -- values ------------------------------------------------------------------------------

    def show_summary(self, summary: CashDaySummaryDTO) -> None:
        """Shows the day; a new day (or a closed one) resets the counts and the comment."""
        same_day = self.summary is not None and (
            (self.summary.day, self.summary.closed is None) == (summary.day, summary.closed is None)
        )
        self.summary = summary
        self.currency = summary.currency
        self._loading = True
        for row in summary.rows:
            # Refunds can take a method below zero for the day, and its count with it.
            self.counted_spins[row.method].setMinimum(-float(row.refunded))
            self.count_labels[row.method].setText(str(row.count) if row.count else "—")
            self.received_labels[row.method].setText(
                self._money(row.received) if row.received else "—"
            )
            self.refunded_labels[row.method].setText(
                self._money(-row.refunded) if row.refunded else "—"
            )
            self.expected_labels[row.method].setText(self._money(row.expected))
        closed = summary.closed
        if closed is not None:
            counted = {line.method: line.counted for line in closed.lines}
            for method, spin in self.counted_spins.items():
                spin.set_decimal(counted.get(method, ZERO))
            self.comment_edit.setPlainText(closed.comment)
        elif not same_day:
            for spin in self.counted_spins.values():
                spin.set_decimal(ZERO)
            self.comment_edit.setPlainText("")
        for spin in self.counted_spins.values():
            # A closed day's counts read as figures, not as boxes waiting for input.
            spin.setReadOnly(closed is not None)
            spin.setFrame(closed is None)
            spin.setFocusPolicy(
                Qt.FocusPolicy.NoFocus if closed is not None else Qt.FocusPolicy.StrongFocus
            )
        self.comment_edit.setReadOnly(closed is not None)
        self.comment_edit.setPlaceholderText(
            _("No comment")
            if closed is not None
            else _("Why a count differs from what was expected")
        )
        self.fill_button.setVisible(closed is None)
        if summary.cash_tendered:
            self.cash_hint.setText(
                _("Cash handed over by payers: {tendered}; change given back: {change}.").format(
                    tendered=self._money(summary.cash_tendered),
                    change=self._money(summary.cash_change),
                )
            )
        else:
            self.cash_hint.setText("")
        self.cash_hint.setVisible(bool(summary.cash_tendered))
        self._loading = False
        self._update()

    def counted(self) -> dict[str, Decimal]:
        return {method: spin.decimal() for method, spin in self.counted_spins.items()}

    def comment(self) -> str:
        return self.comment_edit.toPlainText()

    def differences(self) -> dict[str, Decimal]:
        """counted - expected of every method (0 for one with neither)."""
        if self.summary is None:
            return {}
        counted = self.counted()
        return {row.method: counted[row.method] - row.expected for row in self.summary.rows}

    def difference_text(self) -> str:
        """The differences as the service words them in its refusal."""
        off = {m: d for m, d in self.differences().items() if d != ZERO}
        if len(off) == 1:
            return self._money(next(iter(off.values())))
        return ", ".join(f"{method_label(m)} {self._money(d)}" for m, d in off.items())

    def show_comment_error(self, text: str) -> None:
        self.comment_hint.hide()
        self.comment_error.show_error(text)
        self.comment_edit.setFocus()

    def clear_comment_error(self) -> None:
        if not self.comment_error.isHidden():
            self.comment_error.clear_message()
            self._update()

    def fill_expected(self) -> None:
        if self.summary is None:
            return
        for row in self.summary.rows:
            self.counted_spins[row.method].set_decimal(row.expected)

    def _on_count_changed(self) -> None:
        if not self._loading:
            self._update()
            self.changed.emit()

    def _update(self) -> None:
        summary = self.summary
        if summary is None:
            return
        differences = self.differences()
        for method, difference in differences.items():
            label = self.difference_labels[method]
            label.setText(self._money(difference) if difference else "—")
            label.setStyleSheet(f"color: {tone_of(difference)};")
        counted = sum(self.counted().values(), ZERO)
        total = counted - summary.expected_total
        self.expected_total.setText(self._money(summary.expected_total))
        self.counted_total.setText(self._money(counted))
        self.difference_total.setText(self._money(total))
        self.difference_total.setStyleSheet(f"color: {tone_of(total)};")
        off = any(d != ZERO for d in differences.values())
        if summary.closed is not None:
            self.comment_hint.setText("")
        elif off:
            self.comment_hint.setText(
                _("A count differs from what was expected: say why in the comment.")
            )
        else:
            self.comment_hint.setText(_("Every count matches what was expected."))
        self.comment_hint.setStyleSheet(f"color: {WARNING if off else MUTED};")
        self.comment_hint.setVisible(summary.closed is None and self.comment_error.isHidden())
