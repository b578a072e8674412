"""Small pieces the purchase-order screens share: the coloured status badge painted in the
orders list, decimal spin boxes that show "2" rather than "2,000" (and speak the UI
language's decimal mark), an optional date box (expiry, expected delivery), day texts, the
prompt for a cancellation reason, kept as a module function so tests replace it with
monkeypatch instead of answering a modal dialog, and the "Close short…" button and flow (ask
why, confirm what will never come, close) that the orders tab and the order editor share."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from decimal import Decimal

from babel.dates import format_date
from PySide6.QtCore import QDate, QLocale, QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDateEdit,
    QDoubleSpinBox,
    QHBoxLayout,
    QInputDialog,
    QLabel,
    QPushButton,
    QWidget,
)

from clinic_desktop.errors import UserFacingError
from clinic_desktop.formatting import quantity
from clinic_desktop.i18n import _, current_language
from clinic_desktop.services.purchasing_close import close_order
from clinic_desktop.services.purchasing_dto import PurchaseOrderDTO
from clinic_desktop.ui import style
from clinic_desktop.ui.chart.clinical_dialog_kit import small_button
from clinic_desktop.ui.context import UiContext
from clinic_desktop.ui.widgets import screen_kit
from clinic_desktop.ui.widgets.pill_delegate import Pill, PillDelegate

STATUS_ROLE = Qt.ItemDataRole.UserRole + 1
# (text, tint) per order status: grey while written, teal when sent, amber while goods are
# still due, green once complete, red-grey when cancelled.
STATUS_COLOURS: dict[str, tuple[str, str]] = {
    "draft": (style.MUTED, "#EEF1F3"),
    "ordered": (style.ACCENT_DARK, style.ACCENT_TINT),
    "partial": (style.WARNING, style.WARNING_TINT),
    "received": ("#067647", "#ECFDF3"),
    "closed": ("#3E4784", "#EEF0F8"),  # finished short: settled, not complete, not an alarm
    "cancelled": (style.DANGER, style.DANGER_TINT),
}


def day_text(day: date | None) -> str:
    """ "5 mar 2026": unambiguous in both languages, unlike 05/03."""
    if day is None:
        return "—"
    return str(format_date(day, "medium", locale=current_language()))


def to_qdate(day: date) -> QDate:
    return QDate(day.year, day.month, day.day)


def from_qdate(value: QDate) -> date:
    return date(value.year(), value.month(), value.day())


def status_pill(index: QModelIndex | QPersistentModelIndex) -> Pill:
    """The status cell's pill: its text, coloured by the STATUS_ROLE code."""
    ink, tint = STATUS_COLOURS.get(str(index.data(STATUS_ROLE)), (style.INK, "#EEF1F3"))
    return Pill(str(index.data(Qt.ItemDataRole.DisplayRole) or ""), ink, tint)


class StatusBadgeDelegate(PillDelegate):
    """Paints the status cell as a rounded badge coloured by the STATUS_ROLE code, in the
    table's full-size bold font, with room for the whole badge when columns fit contents."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(status_pill, parent, font_scale=1.0, padding=(20, 6), fit_cell=True)


class DecimalSpin(QDoubleSpinBox):
    """A decimal box that keeps up to `places` decimals but shows only those in use ("2",
    "2,5", "0,085"), at least `min_places` (money keeps its cents), in the UI language."""

    def __init__(
        self,
        name: str,
        parent: QWidget | None = None,
        *,
        places: int = 3,
        min_places: int = 0,
        maximum: float = 1_000_000,
    ) -> None:
        super().__init__(parent)
        self.min_places = min_places  # before anything makes Qt ask for the text
        self.setObjectName(name)
        self.setLocale(QLocale(current_language()))
        self.setDecimals(places)
        self.setRange(0, maximum)
        self.setGroupSeparatorShown(False)
        self.setAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)

    def textFromValue(self, value: float) -> str:
        exact = Decimal(str(round(value, self.decimals()))).normalize()
        exponent = exact.as_tuple().exponent
        shown = max(self.min_places, -exponent if isinstance(exponent, int) else 0)
        return (
            self.locale()
            .toString(value, "f", min(shown, self.decimals()))
            .replace(self.locale().groupSeparator(), "")
        )

    def decimal(self) -> Decimal:
        """The value as an exact Decimal with this box's places."""
        return Decimal(f"{self.value():.{self.decimals()}f}")

    def set_decimal(self, value: Decimal) -> None:
        self.setValue(float(value))


class OptionalDateEdit(QWidget):
    """ "[x] Expires [date]": a date that may be left out (gauze does not expire; a supplier
    may not say when it delivers)."""

    def __init__(self, name: str, parent: QWidget | None = None, *, label: str = "") -> None:
        super().__init__(parent)
        self.setObjectName(name)
        self.check = QCheckBox(label, self)
        self.check.setObjectName(f"{name}Check")
        self.date_edit = QDateEdit(self)
        self.date_edit.setObjectName(f"{name}Date")
        self.date_edit.setLocale(QLocale(current_language()))
        self.date_edit.setCalendarPopup(True)
        self.date_edit.setDisplayFormat("dd/MM/yyyy")
        self.date_edit.setMinimumWidth(120)
        self.date_edit.setEnabled(False)
        self.check.toggled.connect(self.date_edit.setEnabled)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(4, 0, 4, 0)
        layout.setSpacing(4)
        layout.addWidget(self.check)
        layout.addWidget(self.date_edit, 1)

    def value(self) -> date | None:
        return from_qdate(self.date_edit.date()) if self.check.isChecked() else None

    def set_value(self, day: date | None, default: date) -> None:
        self.check.setChecked(day is not None)
        self.date_edit.setDate(to_qdate(day or default))


def ask_reason(parent: QWidget, title: str, text: str) -> str | None:
    """The reason typed, or None if the user cancelled (tests monkeypatch this)."""
    reason, accepted = QInputDialog.getText(parent, title, text)
    return reason if accepted else None


def close_short_button(parent: QWidget) -> QPushButton:
    """ "Close short…", as the orders tab and the order editor both offer it."""
    button = small_button(_("Close short…"), "CloseShortOrderButton", parent)
    button.setToolTip(_("The supplier will not send the rest of this partly received order."))
    return button


def close_short_question(order: PurchaseOrderDTO) -> str:
    """What closing `order` short gives up, line by line, for the confirmation."""
    missing = [
        f"• {quantity(line.outstanding)} {line.purchase_unit_name} · {line.product_name}"
        for line in order.lines
        if line.outstanding > 0
    ]
    return _(
        "The supplier will not send the rest of order {number}:\n{lines}\n\nWhat arrived stays "
        "in stock. Nothing more can be received on this order and the suggestions stop "
        "counting it as on order. This cannot be undone."
    ).format(number=order.number_text, lines="\n".join(missing))


def close_short(
    parent: QWidget,
    ctx: UiContext,
    order: PurchaseOrderDTO,
    *,
    on_done: Callable[[PurchaseOrderDTO], None],
    on_error: Callable[[str], None],
    on_user_error: Callable[[UserFacingError], None],
) -> bool:
    """Closes a partly received `order` short: asks why, confirms what will never come, then
    runs the service through the runner, guarded by the version the user saw. False when the
    user cancelled the prompt or declined the question (nothing was sent)."""
    title = _("Close order {number} short").format(number=order.number_text)
    reason = ask_reason(parent, title, _("Why will the rest never arrive? (kept on the order)"))
    if reason is None:
        return False
    # A blank reason goes straight to the service, whose refusal says what is missing;
    # asking to confirm something that will be refused would only get in the way.
    if reason.strip() and not screen_kit.confirm(
        parent, title, close_short_question(order), _("Close short")
    ):
        return False
    ctx.runner.run(
        lambda: close_order(
            ctx.uow(),
            actor=ctx.actor,
            order_id=order.id,
            reason=reason,
            expected_version=order.version,
        ),
        on_done=on_done,
        on_error=on_error,
        on_user_error=on_user_error,
        parent=parent,
    )
    return True


def hint_label(text: str, parent: QWidget, name: str = "") -> QLabel:
    label = QLabel(text, parent)
    if name:
        label.setObjectName(name)
    label.setWordWrap(True)
    style.set_role(label, "hint")
    return label


def index_of_data(combo: QComboBox, value: object) -> int:
    """The index of the item whose data equals `value`, or -1. QComboBox.findData compares
    Python objects by identity, so a UUID read again from the database is never found."""
    return next((i for i in range(combo.count()) if combo.itemData(i) == value), -1)


def select_data(combo: QComboBox, value: object) -> bool:
    index = index_of_data(combo, value)
    if index >= 0:
        combo.setCurrentIndex(index)
    return index >= 0
