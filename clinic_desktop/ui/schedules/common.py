"""Small pieces the schedule tabs share: colour swatches for tables and combos, a table model
that paints a swatch and greys out inactive rows, a time box that steps in quarters of an hour,
a colour field (preset palette, hex text and the system colour dialog), date and time texts in
the UI language, and the routing of a service's refusal to the field it names or the tab's
banner. The colour dialog is a module function so tests replace it with monkeypatch."""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from datetime import date, time
from functools import lru_cache
from typing import Any, TypeVar

from babel.dates import format_skeleton
from PySide6.QtCore import (
    QDate,
    QModelIndex,
    QPersistentModelIndex,
    QRectF,
    QSize,
    Qt,
    QTime,
    Signal,
)
from PySide6.QtGui import QColor, QIcon, QPainter, QPen, QPixmap
from PySide6.QtWidgets import (
    QAbstractItemView,
    QAbstractSpinBox,
    QColorDialog,
    QComboBox,
    QDateEdit,
    QFrame,
    QGridLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QTableView,
    QTimeEdit,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from clinic_desktop.errors import ConcurrentEditError, UserFacingError
from clinic_desktop.i18n import _, current_language
from clinic_desktop.ui import style
from clinic_desktop.ui.widgets.forms import FieldError, FormErrors
from clinic_desktop.ui.widgets.screen_kit import Column, ListTableModel, MessageBanner

T = TypeVar("T")
Index = QModelIndex | QPersistentModelIndex

# Twelve calm, distinct hues that keep white text readable on an appointment block.
PRESET_COLOURS: tuple[str, ...] = (
    "#0F766E",
    "#0891B2",
    "#2563EB",
    "#4F46E5",
    "#7C3AED",
    "#C026D3",
    "#DB2777",
    "#DC2626",
    "#EA580C",
    "#D97706",
    "#65A30D",
    "#475569",
)
_HEX = re.compile(r"^#[0-9A-Fa-f]{6}$")
_INACTIVE = QColor("#8A96A0")


def is_colour(text: str) -> bool:
    return bool(_HEX.match(text))


@lru_cache(maxsize=128)
def swatch_icon(colour: str, size: int = 14) -> QIcon:
    """A round dot of `colour` (grey when the text is not a colour) for tables and combos."""
    pixmap = QPixmap(size * 2, size * 2)  # drawn at 2x so it stays round on HiDPI screens
    pixmap.setDevicePixelRatio(2.0)
    pixmap.fill(Qt.GlobalColor.transparent)
    painter = QPainter(pixmap)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    # A white ring keeps the dot visible on a selected row tinted in a similar colour.
    painter.setPen(QPen(QColor("#FFFFFF"), 1.5))
    painter.setBrush(QColor(colour if is_colour(colour) else "#CBD2D9"))
    painter.drawEllipse(QRectF(1, 1, size - 2, size - 2))
    painter.end()
    return QIcon(pixmap)


def format_day(day: date) -> str:
    """ "Mon, Jan 5, 2026" / "lun, 5 ene 2026": the weekday helps staff spot a wrong date."""
    return str(format_skeleton("yMMMEd", day, locale=current_language()))


def format_span(start: time | None, end: time | None) -> str:
    if start is None or end is None:
        return _("Whole day")
    return f"{start:%H:%M}–{end:%H:%M}"


def to_qtime(value: time) -> QTime:
    return QTime(value.hour, value.minute)


def from_qtime(value: QTime) -> time:
    return time(value.hour(), value.minute())


def date_edit(name: str, parent: QWidget) -> QDateEdit:
    edit = QDateEdit(parent)
    edit.setObjectName(name)
    edit.setCalendarPopup(True)
    edit.setDisplayFormat("dd/MM/yyyy")
    edit.setFixedWidth(150)
    edit.setDate(QDate.currentDate())
    return edit


def combo_index(combo: QComboBox, value: object) -> int:
    """The row holding `value` as its data, or -1: QComboBox.findData cannot compare Python
    objects such as UUIDs."""
    return next((i for i in range(combo.count()) if combo.itemData(i) == value), -1)


def form_label(text: str, parent: QWidget) -> QLabel:
    """A form label as tall as a one-line input, so it lines up with the input's text even
    though the row is aligned to the top (to leave room for an error underneath)."""
    label = QLabel(text, parent)
    label.setFixedHeight(34)
    label.setAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter)
    return label


def to_date(value: QDate) -> date:
    return date(value.year(), value.month(), value.day())


class SwatchListModel(ListTableModel[T]):
    """ListTableModel whose first (or chosen) column shows the row's colour as a dot, and
    whose inactive rows are drawn grey (they stay listed so they can be switched back on)."""

    def __init__(
        self,
        columns: Sequence[Column[T]],
        *,
        colour: Callable[[T], str] | None = None,
        active: Callable[[T], bool] | None = None,
        swatch_column: int = 0,
        parent: Any = None,
    ) -> None:
        super().__init__(columns, parent)
        self._colour = colour
        self._active = active
        self._swatch_column = swatch_column

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        item = self.row_at(index.row())
        if item is not None:
            if (
                role == Qt.ItemDataRole.DecorationRole
                and index.column() == self._swatch_column
                and self._colour
            ):
                return swatch_icon(self._colour(item))
            if role == Qt.ItemDataRole.ForegroundRole and self._active and not self._active(item):
                return _INACTIVE
        return super().data(index, role)


def make_table(name: str, model: Any, parent: QWidget, *, multi: bool = False) -> QTableView:
    table = QTableView(parent)
    table.setObjectName(name)
    table.setModel(model)
    table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    table.setSelectionMode(
        QAbstractItemView.SelectionMode.ExtendedSelection
        if multi
        else QAbstractItemView.SelectionMode.SingleSelection
    )
    table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    table.setAlternatingRowColors(True)
    table.setShowGrid(False)
    table.setWordWrap(False)
    table.setIconSize(QSize(14, 14))
    table.verticalHeader().hide()
    table.verticalHeader().setDefaultSectionSize(34)
    header = table.horizontalHeader()
    header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
    header.setStretchLastSection(True)
    header.setDefaultAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter)
    return table


def fit_columns(table: QTableView, minimum: int = 70) -> None:
    """Columns as wide as their contents (with air), the last one taking the rest."""
    table.resizeColumnsToContents()
    model = table.model()
    for column in range(model.columnCount() - 1):
        table.setColumnWidth(column, max(minimum, table.columnWidth(column) + 16))


def subtitle(text: str, parent: QWidget) -> QLabel:
    label = QLabel(text, parent)
    style.set_role(label, "subtitle")
    return label


def hint(text: str, parent: QWidget) -> QLabel:
    label = QLabel(text, parent)
    label.setWordWrap(True)
    style.set_role(label, "hint")
    return label


def card(name: str, parent: QWidget) -> tuple[QFrame, QVBoxLayout]:
    frame = QFrame(parent)
    frame.setObjectName(name)
    style.set_role(frame, "card")
    layout = QVBoxLayout(frame)
    layout.setContentsMargins(16, 14, 16, 14)
    layout.setSpacing(10)
    return frame, layout


def field_error(name: str, parent: QWidget) -> FieldError:
    error = FieldError(name, parent)
    # Wrapped text under a form field mis-measures its height and overlaps the next row.
    error.setWordWrap(False)
    error.setMinimumWidth(0)
    return error


def with_error(widget: QWidget, error: FieldError, parent: QWidget) -> QWidget:
    """The input with its error label underneath, as one form cell."""
    cell = QWidget(parent)
    column = QVBoxLayout(cell)
    column.setContentsMargins(0, 0, 0, 0)
    column.setSpacing(3)
    column.addWidget(widget)
    column.addWidget(error)
    return cell


def show_user_error(error: UserFacingError, errors: FormErrors, banner: MessageBanner) -> None:
    """Under the field the service named, or in the banner; a concurrent edit is nobody's
    typing at fault, so it is a warning and the input is kept."""
    if errors.knows(error.field):
        errors.show(error.message, error.field)
        return
    kind = "warn" if isinstance(error, ConcurrentEditError) else "error"
    banner.show_message(error.message, kind)


class QuarterTimeEdit(QTimeEdit):
    """A 24-hour HH:mm box whose arrows move the minutes by quarters of an hour: schedules
    are set in quarters, and stepping minute by minute to 15:30 is tedious."""

    STEP_MINUTES = 15

    def __init__(self, value: time | None = None, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setDisplayFormat("HH:mm")
        self.setButtonSymbols(QAbstractSpinBox.ButtonSymbols.UpDownArrows)
        self.setFixedWidth(76)
        if value is not None:
            self.setTime(to_qtime(value))

    def stepBy(self, steps: int) -> None:
        if self.currentSection() != QTimeEdit.Section.MinuteSection:
            super().stepBy(steps)
            return
        current = self.time()
        minutes = current.hour() * 60 + current.minute()
        snapped = (minutes // self.STEP_MINUTES) * self.STEP_MINUTES
        if steps < 0 and snapped != minutes:
            steps += 1  # stepping down from 09:10 lands on 09:00, not 08:45
        target = max(0, min(23 * 60 + 59, snapped + steps * self.STEP_MINUTES))
        self.setTime(QTime(target // 60, target % 60))

    def value(self) -> time:
        return from_qtime(self.time())


def choose_colour(parent: QWidget, initial: str) -> str:
    """The colour picked in the system dialog as #RRGGBB, or "" if cancelled."""
    colour = QColorDialog.getColor(QColor(initial), parent, _("Choose a colour"))
    return colour.name().upper() if colour.isValid() else ""


class ColourField(QWidget):
    """A colour as #RRGGBB: a row of preset dots, the hex text (editable, checked by the
    service) and a button that opens the system colour dialog for anything else."""

    changed = Signal(str)

    def __init__(self, name: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName(name)
        self.swatch = QLabel(self)
        self.swatch.setObjectName(f"{name}Swatch")
        self.swatch.setFixedSize(30, 30)
        self.edit = QLineEdit(self)
        self.edit.setObjectName(f"{name}Edit")
        self.edit.setMaxLength(7)
        self.edit.setPlaceholderText("#RRGGBB")
        self.edit.setFixedWidth(110)
        self.edit.setFont(style.mono_font(10))
        self.more_button = QPushButton(_("Other colour…"), self)
        self.more_button.setObjectName(f"{name}MoreButton")
        self.more_button.clicked.connect(self._on_more_button_clicked)
        self.edit.textChanged.connect(self._on_edit_text_changed)

        self.preset_buttons: list[QToolButton] = []
        presets = QGridLayout()
        presets.setContentsMargins(0, 0, 0, 0)
        presets.setHorizontalSpacing(6)
        presets.setVerticalSpacing(6)
        for index, colour in enumerate(PRESET_COLOURS):
            button = QToolButton(self)
            button.setObjectName(f"{name}Preset{index}")
            button.setFixedSize(24, 24)
            button.setToolTip(colour)
            button.setCursor(Qt.CursorShape.PointingHandCursor)
            button.setProperty("colour", colour)
            button.clicked.connect(lambda _c=False, value=colour: self.set_value(value))
            self.preset_buttons.append(button)
            presets.addWidget(button, 0, index)
        top = QHBoxLayout()
        top.setContentsMargins(0, 0, 0, 0)
        top.addWidget(self.swatch)
        top.addWidget(self.edit)
        top.addWidget(self.more_button)
        top.addStretch(1)
        preset_row = QHBoxLayout()
        preset_row.setContentsMargins(0, 0, 0, 0)
        preset_row.addLayout(presets)
        preset_row.addStretch(1)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(8)
        layout.addLayout(top)
        layout.addLayout(preset_row)
        self._paint()

    def value(self) -> str:
        return self.edit.text().strip()

    def set_value(self, colour: str) -> None:
        self.edit.setText(colour.upper())

    def _on_edit_text_changed(self, text: str) -> None:
        self._paint()
        self.changed.emit(text)

    def _on_more_button_clicked(self) -> None:
        current = self.value() if is_colour(self.value()) else PRESET_COLOURS[0]
        chosen = choose_colour(self, current)
        if chosen:
            self.set_value(chosen)

    def _paint(self) -> None:
        current = self.value().upper()
        valid = is_colour(current)
        fill = current if valid else style.SURFACE
        self.swatch.setStyleSheet(
            f"background: {fill}; border: 1px solid {style.BORDER}; border-radius: 15px;"
        )
        self.swatch.setToolTip(current if valid else _("Not a colour yet"))
        for button in self.preset_buttons:
            colour = str(button.property("colour"))
            ring = style.INK if colour == current else "transparent"
            button.setStyleSheet(
                f"QToolButton {{ background: {colour}; border: 2px solid {ring};"
                f" border-radius: 12px; }}"
                f"QToolButton:hover {{ border: 2px solid {style.MUTED}; }}"
            )
