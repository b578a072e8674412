"""The list of a chart's notes on the left of the notes tab: one card-like row per note with
its date, a status badge (Draft, Signed, Amended), the chief complaint (or the first line of
the assessment) and who wrote it, for which appointment, with how many addenda. The model
serves the rows it is asked to paint, so hundreds of notes cost nothing until scrolled to."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from typing import Any

from PySide6.QtCore import QAbstractListModel, QModelIndex, QPersistentModelIndex, QRect, QSize, Qt
from PySide6.QtGui import QColor, QFont, QFontMetrics, QPainter, QPen
from PySide6.QtWidgets import QStyle, QStyledItemDelegate, QStyleOptionViewItem

from clinic_desktop.i18n import _, ngettext
from clinic_desktop.services.encounter_dto import EncounterRowDTO
from clinic_desktop.ui.chart.note_format import BADGE_COLOURS, badge_text, day_text, time_text
from clinic_desktop.ui.style import ACCENT, ACCENT_TINT, BORDER, INK, MUTED

Index = QModelIndex | QPersistentModelIndex
ROW_ROLE = Qt.ItemDataRole.UserRole + 1


class NoteListModel(QAbstractListModel):
    def __init__(self, zone: str, parent: Any = None) -> None:
        super().__init__(parent)
        self._zone = zone
        self._rows: list[EncounterRowDTO] = []

    def set_rows(self, rows: Sequence[EncounterRowDTO]) -> None:
        self.beginResetModel()
        self._rows = list(rows)
        self.endResetModel()

    def rows(self) -> list[EncounterRowDTO]:
        return list(self._rows)

    def row_at(self, row: int) -> EncounterRowDTO | None:
        return self._rows[row] if 0 <= row < len(self._rows) else None

    def row_of(self, encounter_id: uuid.UUID) -> int:
        for n, item in enumerate(self._rows):
            if item.id == encounter_id:
                return n
        return -1

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._rows)

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        item = self.row_at(index.row())
        if item is None:
            return None
        if role == ROW_ROLE:
            return item
        if role == Qt.ItemDataRole.DisplayRole:
            return " · ".join(
                part
                for part in (
                    day_text(item.occurred_at, self._zone),
                    badge_text(item.badge),
                    summary(item),
                    item.author_name,
                )
                if part
            )
        if role == Qt.ItemDataRole.ToolTipRole:
            return summary(item)
        return None

    @property
    def zone(self) -> str:
        return self._zone


def summary(row: EncounterRowDTO) -> str:
    return row.chief_complaint or row.assessment_line


def details(row: EncounterRowDTO) -> str:
    parts = [row.author_name]
    if row.appointment_type or row.practitioner_name:
        parts.append(row.appointment_type or _("Appointment"))
    if row.amends_id is not None:
        parts.append(_("correction"))
    if row.addenda_count:
        parts.append(
            ngettext("{count} addendum", "{count} addenda", row.addenda_count).format(
                count=row.addenda_count
            )
        )
    return " · ".join(p for p in parts if p)


class NoteRowDelegate(QStyledItemDelegate):
    """Paints a row as a small card: date and time with the badge, the complaint, then who."""

    PAD = 12

    def sizeHint(self, option: QStyleOptionViewItem, index: Index) -> QSize:
        metrics = QFontMetrics(option.font)
        return QSize(260, metrics.height() * 3 + self.PAD * 2 + 8)

    def paint(self, painter: QPainter, option: QStyleOptionViewItem, index: Index) -> None:
        row = index.data(ROW_ROLE)
        model = index.model()
        if not isinstance(row, EncounterRowDTO) or not isinstance(model, NoteListModel):
            super().paint(painter, option, index)
            return
        painter.save()
        rect = option.rect
        selected = bool(option.state & QStyle.StateFlag.State_Selected)
        painter.fillRect(rect, QColor(ACCENT_TINT if selected else "#FFFFFF"))
        if selected:
            painter.fillRect(QRect(rect.left(), rect.top(), 4, rect.height()), QColor(ACCENT))
        painter.setPen(QPen(QColor(BORDER)))
        painter.drawLine(rect.bottomLeft(), rect.bottomRight())

        base: QFont = option.font
        metrics = QFontMetrics(base)
        line = metrics.height()
        left = rect.left() + self.PAD + 4
        width = rect.width() - self.PAD * 2 - 4
        top = rect.top() + self.PAD

        # Line 1: the date and time, the badge on the right.
        bold = QFont(base)
        bold.setBold(True)
        painter.setFont(bold)
        painter.setPen(QColor(INK))
        when = f"{day_text(row.occurred_at, model.zone)}  {time_text(row.occurred_at, model.zone)}"
        painter.drawText(QRect(left, top, width, line), Qt.AlignmentFlag.AlignVCenter, when)
        badge = badge_text(row.badge)
        small = QFont(base)
        small.setPointSizeF(base.pointSizeF() * 0.86)
        small.setBold(True)
        small_metrics = QFontMetrics(small)
        badge_width = small_metrics.horizontalAdvance(badge) + 16
        badge_rect = QRect(left + width - badge_width, top + 1, badge_width, line - 2)
        ink, paper = BADGE_COLOURS.get(row.badge, ("#344054", "#E4E7EC"))
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        painter.setPen(Qt.PenStyle.NoPen)
        painter.setBrush(QColor(paper))
        painter.drawRoundedRect(badge_rect, 8, 8)
        painter.setPen(QColor(ink))
        painter.setFont(small)
        painter.drawText(badge_rect, Qt.AlignmentFlag.AlignCenter, badge)

        # Line 2: the complaint (or the assessment), elided.
        top += line + 4
        text = summary(row)
        painter.setFont(base)
        if text:
            painter.setPen(QColor(INK))
        else:
            painter.setPen(QColor(MUTED))
            text = _("No chief complaint yet")
        painter.drawText(
            QRect(left, top, width, line),
            Qt.AlignmentFlag.AlignVCenter,
            metrics.elidedText(text, Qt.TextElideMode.ElideRight, width),
        )

        # Line 3: who wrote it, for which appointment, the addenda.
        top += line + 2
        painter.setPen(QColor(MUTED))
        painter.drawText(
            QRect(left, top, width, line),
            Qt.AlignmentFlag.AlignVCenter,
            metrics.elidedText(details(row), Qt.TextElideMode.ElideRight, width),
        )
        painter.restore()
