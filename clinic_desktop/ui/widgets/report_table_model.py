"""The table model every reports screen shows a TabularReport with (inventory reports,
finance reports): group rows tinted and bold, detail rows indented under them, totals rows at
the end, numbers right aligned, every cell formatted by services.report_table in the UI
language and the clinic's currency and zone. Read-only; tests read the cells as shown through
`text(row, column)`."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtGui import QBrush, QColor, QFont

from clinic_desktop.services.report_table import (
    ReportRow,
    RowRole,
    TabularReport,
    display_text,
)
from clinic_desktop.ui.style import ACCENT_TINT

Index = QModelIndex | QPersistentModelIndex
TOTAL_TINT = "#EEF1F3"
DETAIL_INDENT = "    "


class ReportTableModel(QAbstractTableModel):
    """A TabularReport's rows followed by its totals, read-only."""

    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self.report: TabularReport | None = None
        self._rows: list[ReportRow] = []
        self._bold = QFont()
        self._bold.setBold(True)

    def set_report(self, report: TabularReport | None) -> None:
        self.beginResetModel()
        self.report = report
        self._rows = [] if report is None else [*report.rows, *report.totals]
        self.endResetModel()

    def row_at(self, row: int) -> ReportRow | None:
        return self._rows[row] if 0 <= row < len(self._rows) else None

    def text(self, row: int, column: int) -> str:
        """The cell as shown (tests read the table through this)."""
        found = self.row_at(row)
        if found is None or self.report is None:
            return ""
        text = display_text(self.report, found, column)
        if found.role == RowRole.DETAIL and text and column == self._indented_column(found):
            return DETAIL_INDENT + text
        return text

    def label_span(self, row: int) -> int:
        """Columns a group's or total's label spans: itself and the empty cells after it,
        so a long label does not widen the first column of every row."""
        found = self.row_at(row)
        if found is None or found.role not in (RowRole.GROUP, RowRole.TOTAL):
            return 1
        count = self.columnCount()
        if not self.text(row, 0):
            return 1
        span = 1
        while span < count and not self.text(row, span):
            span += 1
        return span

    def _indented_column(self, row: ReportRow) -> int:
        # A detail row starts one step in from its group, at its first filled cell.
        assert self.report is not None
        for column in range(len(self.report.columns)):
            if column != self.report.group_column and display_text(self.report, row, column):
                return column
        return 0

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        if parent.isValid() or self.report is None:
            return 0
        return len(self.report.columns)

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        row = self.row_at(index.row())
        if row is None or self.report is None:
            return None
        column = self.report.columns[index.column()]
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.ToolTipRole):
            return self.text(index.row(), index.column())
        if role == Qt.ItemDataRole.TextAlignmentRole:
            horizontal = (
                Qt.AlignmentFlag.AlignRight if column.kind.numeric else Qt.AlignmentFlag.AlignLeft
            )
            return int(horizontal | Qt.AlignmentFlag.AlignVCenter)
        if role == Qt.ItemDataRole.FontRole and row.role in (RowRole.GROUP, RowRole.TOTAL):
            return self._bold
        if role == Qt.ItemDataRole.BackgroundRole:
            if row.role == RowRole.GROUP:
                return QBrush(QColor(ACCENT_TINT))
            if row.role == RowRole.TOTAL:
                return QBrush(QColor(TOTAL_TINT))
        return None

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if self.report is None or orientation != Qt.Orientation.Horizontal:
            return None
        if not 0 <= section < len(self.report.columns):
            return None
        column = self.report.columns[section]
        if role == Qt.ItemDataRole.DisplayRole:
            return column.header
        if role == Qt.ItemDataRole.TextAlignmentRole:
            horizontal = (
                Qt.AlignmentFlag.AlignRight if column.kind.numeric else Qt.AlignmentFlag.AlignLeft
            )
            return int(horizontal | Qt.AlignmentFlag.AlignVCenter)
        return None
