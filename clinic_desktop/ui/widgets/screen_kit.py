"""Pieces the administration screens (users, audit, trash, backups, settings) share: a table
model over a list of DTOs, clinic-time formatting, an inline message banner, field error
marking, and the few blocking prompts (questions, file choosers), kept as module functions so
tests replace them with monkeypatch instead of clicking through modal dialogs."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any, ClassVar, Generic, TypeVar
from zoneinfo import ZoneInfo

from babel import Locale
from babel.dates import format_skeleton, format_time
from babel.numbers import format_decimal
from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtWidgets import QAbstractItemView, QFileDialog, QTableView, QWidget

from clinic_desktop.i18n import current_language
from clinic_desktop.ui.widgets import forms, messages
from clinic_desktop.ui.widgets.banner import Banner

T = TypeVar("T")
Index = QModelIndex | QPersistentModelIndex


@dataclass(frozen=True)
class Column(Generic[T]):
    header: str
    text: Callable[[T], str]
    tooltip: Callable[[T], str] | None = None
    align_right: bool = False


class ListTableModel(QAbstractTableModel, Generic[T]):
    """Read-only rows over a list of DTOs; the view asks only for the rows it paints, so
    thousands of audit entries cost nothing until scrolled to."""

    def __init__(self, columns: Sequence[Column[T]], parent: Any = None) -> None:
        super().__init__(parent)
        self._columns = list(columns)
        self._rows: list[T] = []

    def set_rows(self, rows: Sequence[T]) -> None:
        self.beginResetModel()
        self._rows = list(rows)
        self.endResetModel()

    def rows(self) -> list[T]:
        return list(self._rows)

    def row_at(self, row: int) -> T | None:
        return self._rows[row] if 0 <= row < len(self._rows) else None

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._columns)

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        item = self.row_at(index.row())
        if item is None or not 0 <= index.column() < len(self._columns):
            return None
        column = self._columns[index.column()]
        if role == Qt.ItemDataRole.DisplayRole:
            return column.text(item)
        if role == Qt.ItemDataRole.ToolTipRole:
            return column.tooltip(item) if column.tooltip else column.text(item)
        if role == Qt.ItemDataRole.TextAlignmentRole and column.align_right:
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        return None

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if (
            role == Qt.ItemDataRole.DisplayRole
            and orientation == Qt.Orientation.Horizontal
            and 0 <= section < len(self._columns)
        ):
            return self._columns[section].header
        return None


def format_when(moment: datetime | None, zone: str) -> str:
    """A stored UTC time as the clinic sees it, in the UI language's own order."""
    if moment is None:
        return "—"
    if moment.tzinfo is None:  # SQLite hands back naive values; they are stored in UTC
        moment = moment.replace(tzinfo=UTC)
    local = moment.astimezone(ZoneInfo(zone))
    language = current_language()
    day = format_skeleton("yMMMd", local, locale=language)
    clock = format_time(local, "short", locale=language)
    return str(Locale.parse(language).datetime_formats["medium"]).format(clock, day)


def format_size(size: int) -> str:
    value = float(size)
    for unit in ("B", "KB", "MB", "GB"):
        if value < 1024 or unit == "GB":
            pattern = "0" if unit == "B" else "0.0"
            return f"{format_decimal(value, format=pattern, locale=current_language())} {unit}"
        value /= 1024
    return str(size)


class MessageBanner(Banner):
    """An inline, non-blocking message above a table or form (errors stay until cleared)."""

    _KINDS: ClassVar[dict[str, str]] = {
        "error": "danger",
        "warn": "warning",
        "ok": "info",
        "info": "info",
    }

    def __init__(self, object_name: str, parent: QWidget | None = None) -> None:
        super().__init__(object_name, parent=parent)
        self.text_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.kind = ""
        self.hide()

    def show_message(self, text: str, kind: str = "info") -> None:
        self.kind = kind
        self.set_message(kind=self._KINDS[kind], title="", text=text)
        self.show()

    def clear_message(self) -> None:
        self.kind = ""
        self.set_message(kind="info", title="", text="")
        self.hide()

    def text(self) -> str:
        return self.text_label.text()


FIT_ROWS = 60


def selected_entry(table: QTableView, model: ListTableModel[T]) -> T | None:
    """The entry of the table's selected row (the tables select whole single rows)."""
    rows = table.selectionModel().selectedRows()
    return model.row_at(rows[0].row()) if rows else None


def select_entry(table: QTableView, model: ListTableModel[T], entry_id: Any) -> bool:
    """Selects the row of the entry with that id; False when it is not listed."""
    for row, entry in enumerate(model.rows()):
        if getattr(entry, "id", None) == entry_id:
            table.selectRow(row)
            return True
    return False


def list_table(model: QAbstractTableModel, object_name: str, parent: QWidget) -> QTableView:
    """A read-only table of whole-row, single selection with alternating rows: how every list
    screen shows its records."""
    table = QTableView(parent)
    table.setObjectName(object_name)
    table.setModel(model)
    table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
    table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    table.setAlternatingRowColors(True)
    table.verticalHeader().hide()
    # Fitting columns to their contents reads every row by default (all 500 notes of a
    # chart); a few screenfuls tell the widths as well and keep opening a list quick.
    table.horizontalHeader().setResizeContentsPrecision(FIT_ROWS)
    return table


def mark_invalid(widget: QWidget, invalid: bool) -> None:
    """Marks the input and, when it is wrong, puts the cursor there."""
    forms.mark_invalid(widget, invalid)
    if invalid:
        widget.setFocus()


def confirm(parent: QWidget, title: str, text: str, ok_text: str) -> bool:
    return messages.ask(parent, text, title=title, confirm=ok_text)


def inform(parent: QWidget, title: str, text: str) -> None:
    messages.show_info(parent, text, title=title)


def choose_folder(parent: QWidget, title: str, start: str) -> str:
    """The chosen folder, or "" if the user cancelled."""
    return QFileDialog.getExistingDirectory(parent, title, start)


def choose_file(parent: QWidget, title: str, start: str, pattern: str) -> str:
    path, _selected = QFileDialog.getOpenFileName(parent, title, start, pattern)
    return path
