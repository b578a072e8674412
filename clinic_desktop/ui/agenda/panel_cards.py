"""The card list the agenda's side panels (waiting room, waitlist) show: a narrow column of
rows, each a bold title with a coloured badge on the right (minutes waited, or a duration) and
one or two muted lines under it, with the practitioner's colour as a strip on the left. A table
of six columns does not fit in a 360-pixel panel; cards do. When empty, a centred sentence says
so instead of a blank box."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any, Generic, TypeVar

from PySide6.QtCore import (
    QAbstractListModel,
    QModelIndex,
    QPersistentModelIndex,
    QRect,
    QSize,
    Qt,
)
from PySide6.QtGui import QColor, QFont, QFontMetrics, QPainter, QPen
from PySide6.QtWidgets import (
    QAbstractItemView,
    QLabel,
    QListView,
    QStackedLayout,
    QStyle,
    QStyledItemDelegate,
    QStyleOptionViewItem,
    QWidget,
)

from clinic_desktop.ui.style import ACCENT_TINT, BORDER, DANGER, INK, MUTED, WARNING, set_role

T = TypeVar("T")
Index = QModelIndex | QPersistentModelIndex
CARD_ROLE = int(Qt.ItemDataRole.UserRole) + 1
PAD = 10
BADGE_COLOURS = {
    "ok": ("#E6F4F1", "#115E59"),
    "warn": ("#FFF1D6", WARNING),
    "danger": ("#FDE2DF", DANGER),
    "muted": ("#EEF1F3", MUTED),
}


@dataclass(frozen=True)
class CardRow:
    title: str
    lines: tuple[str, ...] = ()
    badge: str = ""
    badge_kind: str = "muted"  # ok | warn | danger | muted
    colour: str = ""  # the strip on the left; none when empty
    tooltip: str = ""


class CardListModel(QAbstractListModel, Generic[T]):
    """Rows of DTOs, shown through `card(row)`; `rows()` gives the DTOs back."""

    def __init__(self, card: Callable[[T], CardRow], parent: Any = None) -> None:
        super().__init__(parent)
        self._card = card
        self._rows: list[T] = []

    def set_rows(self, rows: Sequence[T]) -> None:
        self.beginResetModel()
        self._rows = list(rows)
        self.endResetModel()

    def rows(self) -> list[T]:
        return list(self._rows)

    def row_at(self, row: int) -> T | None:
        return self._rows[row] if 0 <= row < len(self._rows) else None

    def card_at(self, row: int) -> CardRow | None:
        item = self.row_at(row)
        return self._card(item) if item is not None else None

    def refresh_cards(self) -> None:
        """Repaints every card (their text depends on the clock, not only on the data)."""
        if self._rows:
            self.dataChanged.emit(self.index(0), self.index(len(self._rows) - 1))

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._rows)

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        card = self.card_at(index.row())
        if card is None:
            return None
        if role == Qt.ItemDataRole.DisplayRole:
            return card.title
        if role == Qt.ItemDataRole.ToolTipRole:
            return card.tooltip or "\n".join((card.title, *card.lines))
        if role == CARD_ROLE:
            return card
        return None


class CardDelegate(QStyledItemDelegate):
    def _fonts(self, option: QStyleOptionViewItem) -> tuple[QFont, QFont]:
        title = QFont(option.font)
        title.setBold(True)
        return title, QFont(option.font)

    def sizeHint(self, option: QStyleOptionViewItem, index: Index) -> QSize:
        card = index.data(CARD_ROLE)
        title_font, body_font = self._fonts(option)
        lines = len(card.lines) if isinstance(card, CardRow) else 0
        height = (
            2 * PAD
            + QFontMetrics(title_font).height()
            + lines * (QFontMetrics(body_font).height() + 2)
        )
        return QSize(200, height)

    def paint(self, painter: QPainter, option: QStyleOptionViewItem, index: Index) -> None:
        card = index.data(CARD_ROLE)
        if not isinstance(card, CardRow):
            return
        rect: QRect = option.rect
        state = option.state
        painter.save()
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        if state & QStyle.StateFlag.State_Selected:
            painter.fillRect(rect, QColor(ACCENT_TINT))
        elif state & QStyle.StateFlag.State_MouseOver:
            painter.fillRect(rect, QColor("#F3F6F7"))
        painter.setPen(QPen(QColor(BORDER)))
        painter.drawLine(rect.left(), rect.bottom(), rect.right(), rect.bottom())
        if card.colour:
            painter.fillRect(
                QRect(rect.left(), rect.top() + 6, 4, rect.height() - 12), QColor(card.colour)
            )
        title_font, body_font = self._fonts(option)
        title_metrics, body_metrics = QFontMetrics(title_font), QFontMetrics(body_font)
        left = rect.left() + PAD + 4
        right = rect.right() - PAD
        top = rect.top() + PAD
        if card.badge:
            painter.setFont(title_font)
            width = title_metrics.horizontalAdvance(card.badge) + 14
            height = title_metrics.height() + 2
            badge = QRect(right - width, top - 1, width, height)
            background, ink = BADGE_COLOURS.get(card.badge_kind, BADGE_COLOURS["muted"])
            painter.setPen(Qt.PenStyle.NoPen)
            painter.setBrush(QColor(background))
            painter.drawRoundedRect(badge, height / 2, height / 2)
            painter.setPen(QColor(ink))
            painter.drawText(badge, Qt.AlignmentFlag.AlignCenter, card.badge)
            right = badge.left() - 8
        painter.setFont(title_font)
        painter.setPen(QColor(INK))
        title_rect = QRect(left, top, right - left, title_metrics.height())
        painter.drawText(
            title_rect,
            Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter,
            title_metrics.elidedText(card.title, Qt.TextElideMode.ElideRight, title_rect.width()),
        )
        painter.setFont(body_font)
        painter.setPen(QColor(MUTED))
        y = top + title_metrics.height() + 2
        width = rect.right() - PAD - left
        for line in card.lines:
            painter.drawText(
                QRect(left, y, width, body_metrics.height()),
                Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter,
                body_metrics.elidedText(line, Qt.TextElideMode.ElideRight, width),
            )
            y += body_metrics.height() + 2
        painter.restore()


class CardList(QWidget, Generic[T]):
    """The list of cards, or the empty-state sentence when there is nothing to show."""

    def __init__(
        self,
        name: str,
        card: Callable[[T], CardRow],
        empty_text: str,
        parent: QWidget | None,
        *,
        key: Callable[[T], object],
    ) -> None:
        super().__init__(parent)
        self._key = key
        self.model: CardListModel[T] = CardListModel(card, self)
        self.view = QListView(self)
        self.view.setObjectName(name)
        self.view.setModel(self.model)
        self.view.setItemDelegate(CardDelegate(self.view))
        self.view.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.view.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.view.setMouseTracking(True)
        self.view.setUniformItemSizes(False)
        self.view.setVerticalScrollMode(QAbstractItemView.ScrollMode.ScrollPerPixel)
        self.view.setStyleSheet(
            f"QListView {{ background: white; border: 1px solid {BORDER}; border-radius: 6px; }}"
        )
        self.empty_label = QLabel(empty_text, self)
        self.empty_label.setObjectName(f"{name}Empty")
        self.empty_label.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.empty_label.setWordWrap(True)
        set_role(self.empty_label, "hint")
        self.empty_label.setStyleSheet(
            f"background: white; border: 1px dashed {BORDER}; border-radius: 6px; padding: 24px;"
        )
        self._stack = QStackedLayout(self)
        self._stack.setContentsMargins(0, 0, 0, 0)
        self._stack.addWidget(self.view)
        self._stack.addWidget(self.empty_label)
        self._stack.setCurrentWidget(self.empty_label)

    def set_rows(self, rows: Sequence[T]) -> None:
        keep = self.current()
        self.model.set_rows(rows)
        self._stack.setCurrentWidget(self.view if rows else self.empty_label)
        # A refresh keeps the selection on the same record, wherever it moved in the list.
        if keep is not None:
            kept = self._key(keep)
            for i, row in enumerate(rows):
                if self._key(row) == kept:
                    self.select_row(i)

    def rows(self) -> list[T]:
        return self.model.rows()

    def is_empty(self) -> bool:
        return self._stack.currentWidget() is self.empty_label

    def select_row(self, row: int) -> None:
        self.view.setCurrentIndex(self.model.index(row))

    def current(self) -> T | None:
        index = self.view.currentIndex()
        if not index.isValid() or not self.view.selectionModel().isSelected(index):
            return None
        return self.model.row_at(index.row())
