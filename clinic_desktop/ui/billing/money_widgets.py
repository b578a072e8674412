"""Small pieces the payment, account, receivables and cash screens share: a money spin box in
the clinic's currency (the symbol where the UI language puts it, the language's decimal mark,
the numeric keypad's "." accepted as the decimal comma in Spanish), money as text, the
coloured pills of invoice statuses, a titled figure for summaries, and a timer that folds the
bursts of billing events a single save publishes into one refresh."""

from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal

from PySide6.QtCore import QLocale, QObject, Qt, QTimer
from PySide6.QtGui import QFocusEvent, QKeyEvent
from PySide6.QtWidgets import QDoubleSpinBox, QFrame, QLabel, QVBoxLayout, QWidget

from clinic_desktop.formatting import money
from clinic_desktop.i18n import current_language
from clinic_desktop.services.invoice_labels import Kind, Status, status_label
from clinic_desktop.ui.style import DANGER, MUTED, bold, set_role
from clinic_desktop.ui.widgets.pill_delegate import Pill

ZERO = Decimal("0.00")
CENT = Decimal("0.01")
MAX_AMOUNT = 99_999_999.99
GOOD = "#067647"  # a positive difference or credit: green ink

# (ink, fill) of each invoice status pill.
STATUS_COLOURS: dict[str, tuple[str, str]] = {
    Status.DRAFT: ("#344054", "#E4E7EC"),
    Status.ISSUED: ("#7A2E0E", "#FEDF89"),
    Status.PARTLY_PAID: ("#93370D", "#FDDCAB"),
    Status.PAID: ("#05603A", "#D1FADF"),
    Status.CREDITED: ("#344054", "#D0D5DD"),
}
CREDIT_NOTE_COLOURS = ("#175CD3", "#D1E9FF")


def money_text(amount: Decimal, currency: str) -> str:
    return money(amount, currency)


def status_pill(status: str, kind: str = Kind.INVOICE) -> Pill:
    """An invoice's status as a pill (a credit note's in its own blue)."""
    if kind == Kind.CREDIT_NOTE:
        ink, fill = CREDIT_NOTE_COLOURS
        return Pill(status_label(status), ink, fill)
    ink, fill = STATUS_COLOURS.get(status, STATUS_COLOURS[Status.DRAFT])
    return Pill(status_label(status), ink, fill)


def tone_of(amount: Decimal) -> str:
    """The ink of a difference: red short, green over, muted when it is even."""
    if amount < 0:
        return DANGER
    if amount > 0:
        return GOOD
    return MUTED


def _affixes(currency: str) -> tuple[str, str]:
    """What comes before and after the digits when the UI language writes this currency."""
    text = money(ZERO, currency)
    digits = [i for i, ch in enumerate(text) if ch.isdigit()]
    if not digits:
        return "", ""
    return text[: digits[0]], text[digits[-1] + 1 :]


class MoneySpinBox(QDoubleSpinBox):
    """An amount in `currency` with cents. `decimal()` gives it as a Decimal rounded to cents
    (the box keeps a float, which two decimals of a few millions represent exactly enough)."""

    def __init__(
        self,
        name: str,
        currency: str,
        parent: QWidget | None = None,
        *,
        maximum: float = MAX_AMOUNT,
    ) -> None:
        super().__init__(parent)
        self.setObjectName(name)
        self.setLocale(QLocale(current_language()))
        self.setDecimals(2)
        self.setRange(0.0, maximum)
        self.setGroupSeparatorShown(True)
        self.setButtonSymbols(QDoubleSpinBox.ButtonSymbols.NoButtons)
        self.setAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        self.setAccelerated(True)
        prefix, suffix = _affixes(currency)
        self.setPrefix(prefix)
        self.setSuffix(suffix)
        self.setMinimumWidth(130)

    def decimal(self) -> Decimal:
        return Decimal(f"{self.value():.2f}")

    def set_decimal(self, amount: Decimal) -> None:
        self.setValue(float(amount.quantize(CENT)))

    def keyPressEvent(self, event: QKeyEvent) -> None:
        # The keypad's decimal key types "." whatever the language; in Spanish that would be
        # the grouping mark and the cents would be lost.
        mark = self.locale().decimalPoint()
        if event.text() == "." and mark != "." and self.lineEdit() is not None:
            self.lineEdit().insert(mark)
            return
        super().keyPressEvent(event)

    def focusInEvent(self, event: QFocusEvent) -> None:
        super().focusInEvent(event)
        # Typing over the amount is what the desk does nearly every time.
        QTimer.singleShot(0, self, self.selectAll)


class Figure(QFrame):
    """A small titled amount ("Balance due  $80,00") for the summaries above tables."""

    def __init__(self, name: str, title: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName(name)
        self.title_label = QLabel(title, self)
        self.title_label.setObjectName(f"{name}Title")
        set_role(self.title_label, "hint")
        self.value_label = QLabel("—", self)
        self.value_label.setObjectName(f"{name}Value")
        self.value_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        bold(self.value_label, 13)
        self._layout = QVBoxLayout(self)
        self._layout.setContentsMargins(0, 0, 18, 0)
        self._layout.setSpacing(0)
        self._layout.addWidget(self.title_label)
        self._layout.addWidget(self.value_label)

    def add_below(self, widget: QWidget) -> None:
        self._layout.addWidget(widget)

    def set_value(self, text: str, colour: str = "") -> None:
        self.value_label.setText(text)
        self.value_label.setStyleSheet(f"color: {colour};" if colour else "")

    def value(self) -> str:
        return self.value_label.text()


def coalescing_timer(parent: QObject, slot: Callable[[], None]) -> QTimer:
    """A zero-delay single-shot timer calling `slot`: start() it from every event of a burst
    (a payment publishes "payments" and "invoices") and the screen reloads once."""
    timer = QTimer(parent)
    timer.setSingleShot(True)
    timer.setInterval(0)
    timer.timeout.connect(slot)
    return timer
