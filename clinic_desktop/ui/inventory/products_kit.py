"""Pieces the products tab and its dialogs share: the stock badge's colours and its pill
painted in a table cell, quantities with their unit, money in the clinic's currency, dates in
the UI language, a table model that colours rows, and the "asks" pattern: a service refuses
with NeedsConfirmation, the user is asked its question (through screen_kit.confirm, which
tests replace) and, if they agree, the same call runs again with its `confirmed...` flag."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import date
from decimal import Decimal
from typing import Any

from babel.dates import format_date
from PySide6.QtCore import QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtGui import QBrush, QColor
from PySide6.QtWidgets import QLabel, QWidget

from clinic_desktop.errors import NeedsConfirmation, ValidationError
from clinic_desktop.formatting import money, quantity
from clinic_desktop.i18n import _, current_language
from clinic_desktop.services.inventory_dto import BADGE_LABELS, ProductDTO
from clinic_desktop.ui.widgets import screen_kit
from clinic_desktop.ui.widgets.pill_delegate import Pill, PillDelegate, row_pill
from clinic_desktop.ui.widgets.screen_kit import Column, ListTableModel

Index = QModelIndex | QPersistentModelIndex

# Badge: (text colour, background). Green, amber, orange, red, grey, as the issue asks.
BADGE_COLOURS: dict[str, tuple[str, str]] = {
    "ok": ("#05603A", "#D1FADF"),
    "low": ("#7A2E0E", "#FEDF89"),
    "expiring": ("#FFFFFF", "#E8590C"),
    "expired": ("#FFFFFF", "#B42318"),
    "out": ("#344054", "#D0D5DD"),
}


def badge_text(badge: str) -> str:
    label = BADGE_LABELS.get(badge)
    return _(label) if label else badge


def qty(value: Decimal, unit: str = "") -> str:
    """'12,5 ml' in the UI language; no unit when none is given."""
    text = quantity(value)
    return f"{text} {unit}" if unit else text


def signed_qty(value: Decimal, unit: str = "") -> str:
    sign = "+" if value > 0 else ("−" if value < 0 else "")
    return sign + qty(abs(value), unit)


def money_text(value: Decimal, currency: str) -> str:
    return money(value, currency)


def day_text(day: date | None, empty: str = "—") -> str:
    if day is None:
        return empty
    return str(format_date(day, "medium", locale=current_language()))


def stock_text(product: ProductDTO) -> str:
    return qty(product.on_hand, product.unit)


def product_title(product: ProductDTO) -> str:
    return f"{product.name} · {product.code}"


def decimal_text(value: Decimal) -> str:
    """A number for an input box: decimal comma in Spanish, no grouping, no trailing zeros."""
    plain = format(value.normalize(), "f")
    return plain.replace(".", ",") if current_language() == "es" else plain


def number_hint(places: int) -> str:
    """A placeholder such as "0,00" (Spanish) or "0.00" (English)."""
    mark = "," if current_language() == "es" else "."
    return "0" + (mark + "0" * places if places else "")


class RowTableModel(ListTableModel[Any]):
    """Rows over DTOs with an optional text colour and tinted background per row (red for an
    invalid import line, grey for an inactive product) and the DTO under UserRole for the
    delegates."""

    def __init__(
        self,
        columns: Sequence[Column[Any]],
        *,
        foreground: Callable[[Any], str | None] = lambda _row: None,
        background: Callable[[Any], str | None] = lambda _row: None,
        parent: Any = None,
    ) -> None:
        super().__init__(columns, parent)
        self._foreground = foreground
        self._background = background

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        item = self.row_at(index.row())
        if item is None:
            return None
        if role == Qt.ItemDataRole.UserRole:
            return item
        if role == Qt.ItemDataRole.ForegroundRole:
            colour = self._foreground(item)
            return QBrush(QColor(colour)) if colour else None
        if role == Qt.ItemDataRole.BackgroundRole:
            colour = self._background(item)
            return QBrush(QColor(colour)) if colour else None
        return super().data(index, role)


def badge_pill(badge: str) -> Pill:
    fg, bg = BADGE_COLOURS.get(badge, BADGE_COLOURS["out"])
    return Pill(badge_text(badge), fg, bg)


class BadgeDelegate(PillDelegate):
    """Paints a product's stock badge as a coloured pill."""

    def __init__(self, badge_of: Callable[[Any], str | None], parent: Any = None) -> None:
        def pill_of(item: Any) -> Pill | None:
            badge = badge_of(item)
            return badge_pill(badge) if badge is not None else None

        super().__init__(row_pill(pill_of), parent)

    def width_hint(self) -> int:
        return self.column_width((badge_text(b) for b in BADGE_COLOURS), margin=24)


def badge_label(badge: str, parent: QWidget, name: str) -> QLabel:
    """The badge as a standalone pill (the detail dialog's heading)."""
    label = QLabel(badge_text(badge), parent)
    label.setObjectName(name)
    set_badge(label, badge)
    return label


def set_badge(label: QLabel, badge: str) -> None:
    pill = badge_pill(badge)
    fg, bg = pill.ink, pill.fill
    label.setText(pill.text)
    label.setProperty("badge", badge)
    label.setStyleSheet(
        f"QLabel {{ color: {fg}; background: {bg}; border-radius: 10px; padding: 2px 10px;"
        " font-weight: 600; }"
    )


def ask_to_confirm(parent: QWidget, error: NeedsConfirmation, ok_text: str) -> bool:
    """The question of a service that needs confirming; True when the user agrees."""
    return screen_kit.confirm(
        parent, _("Please confirm"), f"{error.message}\n\n{error.question}", ok_text
    )


def refusal(message: str, field: str) -> Callable[[], object]:
    """A call that fails at once with a field error, so a check the dialog makes itself shows
    exactly like the service's own refusals."""

    def refuse() -> object:
        raise ValidationError(message, field=field)

    return refuse
