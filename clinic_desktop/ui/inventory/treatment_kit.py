"""Pieces the treatment catalogue, the forecast and the appointment work dialog share: money
and quantities as people read them, decimal spin boxes that hand back exact Decimals, pickers
for products and treatments that filter as you type (code or name, any part, accents
ignored), and a list table model that colours whole rows (a treatment losing money, a product
running out)."""

from __future__ import annotations

import unicodedata
import uuid
from collections.abc import Callable, Sequence
from decimal import ROUND_HALF_UP, Decimal
from typing import Any, Generic, TypeVar

from PySide6.QtCore import QLocale, QModelIndex, QPersistentModelIndex, QSortFilterProxyModel, Qt
from PySide6.QtGui import QBrush, QColor, QStandardItem, QStandardItemModel
from PySide6.QtWidgets import QComboBox, QCompleter, QDoubleSpinBox, QWidget

from clinic_desktop import formatting
from clinic_desktop.i18n import _, current_language
from clinic_desktop.ui.widgets.screen_kit import Column, ListTableModel

T = TypeVar("T")
Index = QModelIndex | QPersistentModelIndex

OK_GREEN = "#067647"
ROW_DANGER = "#FEE4E2"
ROW_WARNING = "#FEF0C7"
ROW_MUTED = "#5B6770"


def money(amount: Decimal, currency: str) -> str:
    return formatting.money(amount, currency)


def unit_cost(amount: Decimal, currency: str) -> str:
    """A cost per unit of use keeps up to 4 decimals: a glove costs $0.085, not $0.09."""
    return formatting.money(amount, currency, places=4)


def qty(value: Decimal, unit: str = "") -> str:
    """'2,5 ml' — quantities drop trailing zeros; the unit follows when given."""
    text = formatting.quantity(value)
    return f"{text} {unit}" if unit else text


def percent_text(fraction: Decimal) -> str:
    return formatting.percent(fraction)


def fold(text: str) -> str:
    """Lower case without accents, so "anestesia" finds "Anéstesia"."""
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    return "".join(c for c in decomposed if not unicodedata.combining(c))


class DecimalSpin(QDoubleSpinBox):
    """A spin box that shows "2" or "1,5" rather than "2.000": three decimals are allowed
    but nobody reads thousandths of a glove (and "1.000" reads as a thousand in Spanish)."""

    def textFromValue(self, value: float) -> str:
        text = self.locale().toString(value, "f", self.decimals())
        point = self.locale().decimalPoint()
        if point in text:
            text = text.rstrip("0").rstrip(point)
        return text


def decimal_spin(
    name: str,
    parent: QWidget,
    *,
    decimals: int,
    maximum: float = 99_999.0,
    suffix: str = "",
    minimum: float = 0.0,
) -> QDoubleSpinBox:
    box = DecimalSpin(parent) if decimals == 3 else QDoubleSpinBox(parent)
    box.setObjectName(name)
    # Decimal comma in Spanish, as the money and quantities around it are written.
    box.setLocale(QLocale(current_language()))
    box.setDecimals(decimals)
    box.setRange(minimum, maximum)
    box.setSuffix(suffix)
    box.setAlignment(Qt.AlignmentFlag.AlignRight)
    box.setMinimumWidth(110)
    return box


def spin_decimal(box: QDoubleSpinBox) -> Decimal:
    """The box's value as the exact Decimal it shows (a float would bring binary noise)."""
    quantum = Decimal(1).scaleb(-box.decimals())
    return Decimal(str(box.value())).quantize(quantum, ROUND_HALF_UP)


class RowColourModel(ListTableModel[T], Generic[T]):
    """A list model whose rows take a background and text colour from the item."""

    def __init__(
        self,
        columns: Sequence[Column[T]],
        *,
        background: Callable[[T], str | None] = lambda _item: None,
        foreground: Callable[[T, int], str | None] = lambda _item, _column: None,
        parent: Any = None,
    ) -> None:
        super().__init__(columns, parent)
        self._background = background
        self._foreground = foreground

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        item = self.row_at(index.row())
        if item is None:
            return None
        if role == Qt.ItemDataRole.BackgroundRole:
            colour = self._background(item)
            return QBrush(QColor(colour)) if colour else None
        if role == Qt.ItemDataRole.ForegroundRole:
            colour = self._foreground(item, index.column())
            return QBrush(QColor(colour)) if colour else None
        if role == Qt.ItemDataRole.UserRole:
            return item
        return super().data(index, role)


class SearchCombo(QComboBox):
    """An editable combo over (id, label) choices: typing filters the list by any part of the
    label, ignoring case and accents; `current_id()` is the chosen one or None."""

    def __init__(self, name: str, placeholder: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName(name)
        self.setEditable(True)
        self.setInsertPolicy(QComboBox.InsertPolicy.NoInsert)
        self.setMinimumWidth(280)
        self._items = QStandardItemModel(self)
        self.setModel(self._items)
        line = self.lineEdit()
        assert line is not None  # an editable combo always has one
        line.setPlaceholderText(placeholder)
        line.setClearButtonEnabled(True)
        self._filter = QSortFilterProxyModel(self)
        self._filter.setSourceModel(self._items)
        self._filter.setFilterRole(Qt.ItemDataRole.UserRole + 1)
        completer = QCompleter(self._filter, self)
        completer.setCompletionMode(QCompleter.CompletionMode.UnfilteredPopupCompletion)
        completer.setCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
        self.setCompleter(completer)
        line.textEdited.connect(self._on_text_edited)
        completer.activated.connect(self._on_completer_activated)

    def set_choices(self, choices: Sequence[tuple[uuid.UUID, str]]) -> None:
        chosen = self.current_id()
        self._items.clear()
        for key, label in choices:
            item = QStandardItem(label)
            item.setData(key, Qt.ItemDataRole.UserRole)
            item.setData(fold(label), Qt.ItemDataRole.UserRole + 1)
            self._items.appendRow(item)
        self.setCurrentIndex(-1)
        if chosen is not None:
            self.select(chosen)

    def select(self, key: uuid.UUID) -> bool:
        for row in range(self._items.rowCount()):
            if self._items.item(row).data(Qt.ItemDataRole.UserRole) == key:
                self.setCurrentIndex(row)
                return True
        return False

    def current_id(self) -> uuid.UUID | None:
        if self.currentIndex() < 0:
            return None
        item = self._items.item(self.currentIndex())
        # A typed text that no longer matches the chosen label means nothing is chosen.
        if item is None or item.text() != self.currentText():
            return None
        value = item.data(Qt.ItemDataRole.UserRole)
        return value if isinstance(value, uuid.UUID) else None

    def only_match(self) -> uuid.UUID | None:
        """The one choice the typed text matches, if exactly one does."""
        if not self.currentText().strip() or self._filter.rowCount() != 1:
            return None
        value = self._filter.index(0, 0).data(Qt.ItemDataRole.UserRole)
        return value if isinstance(value, uuid.UUID) else None

    def clear_choice(self) -> None:
        self.setCurrentIndex(-1)
        self.clearEditText()

    def _on_text_edited(self, text: str) -> None:
        self._filter.setFilterFixedString(fold(text))

    def _on_completer_activated(self, text: str) -> None:
        index = self.findText(text)  # labels are unique: they start with the code
        if index >= 0:
            self.setCurrentIndex(index)


def product_label(code: str, name: str, unit: str) -> str:
    return _("{code} · {name} ({unit})").format(code=code, name=name, unit=unit)


def treatment_label(code: str, name: str) -> str:
    return _("{code} · {name}").format(code=code, name=name)
