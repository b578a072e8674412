"""One way to paint a table cell as a coloured pill (a product's stock badge, an allergy's
severity, a purchase order's status): the row's own background first (selection, alternate
colour), then a rounded label in the row's text and colours. What each row shows comes from a
callable given the cell's index, so a screen decides where the code lives (a model role, the
DTO under UserRole) and which colours it maps to; this module only draws."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

from PySide6.QtCore import QModelIndex, QPersistentModelIndex, QRectF, QSize, Qt
from PySide6.QtGui import QColor, QFont, QFontMetrics, QPainter
from PySide6.QtWidgets import (
    QApplication,
    QStyle,
    QStyledItemDelegate,
    QStyleOptionViewItem,
)

Index = QModelIndex | QPersistentModelIndex


@dataclass(frozen=True)
class Pill:
    """What one cell's pill shows: its text, text colour (`ink`) and background (`fill`);
    `faded` draws it translucent, for a past entry whose badge must not shout."""

    text: str
    ink: str
    fill: str
    faded: bool = False


PillOf = Callable[[Index], Pill | None]


def row_pill(pill_of_item: Callable[[Any], Pill | None]) -> PillOf:
    """A PillOf for models that keep each row's DTO under UserRole: `pill_of_item` gets the
    DTO. A row without one shows as a plain cell."""

    def pill_of(index: Index) -> Pill | None:
        item = index.data(Qt.ItemDataRole.UserRole)
        return pill_of_item(item) if item is not None else None

    return pill_of


class PillDelegate(QStyledItemDelegate):
    """Paints each cell as the pill `pill_of(index)` gives, or as a plain cell when it gives
    None. `font_scale` shrinks the bold pill text (1.0 keeps the table's size); `padding` is
    the width and height the pill adds around its text; with `fit_cell` the size hint makes
    room for the whole pill, so resizing columns to contents never clips it."""

    LEFT = 6  # gap between the cell's left edge and the pill

    def __init__(
        self,
        pill_of: PillOf,
        parent: Any = None,
        *,
        font_scale: float = 0.9,
        padding: tuple[int, int] = (16, 4),
        fit_cell: bool = False,
    ) -> None:
        super().__init__(parent)
        self._pill_of = pill_of
        self._font_scale = font_scale
        self._pad_x, self._pad_y = padding
        self._fit_cell = fit_cell

    def pill_font(self, base: QFont) -> QFont:
        font = QFont(base)
        font.setBold(True)
        if self._font_scale != 1.0:
            font.setPointSizeF(max(7.0, font.pointSizeF() * self._font_scale))
        return font

    def column_width(self, texts: Iterable[str], margin: int = 20) -> int:
        """A column width that shows the widest of `texts` as a whole pill, plus `margin`."""
        metrics = QFontMetrics(self.pill_font(QFont()))
        widest = max((metrics.horizontalAdvance(text) for text in texts), default=0)
        return widest + self._pad_x + margin

    def paint(self, painter: QPainter, option: QStyleOptionViewItem, index: Index) -> None:
        pill = self._pill_of(index)
        if pill is None:
            super().paint(painter, option, index)
            return
        opt = QStyleOptionViewItem(option)
        self.initStyleOption(opt, index)
        opt.text = ""
        widget = option.widget
        style = widget.style() if widget is not None else QApplication.style()
        style.drawControl(QStyle.ControlElement.CE_ItemViewItem, opt, painter, widget)
        painter.save()
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        if pill.faded:
            painter.setOpacity(0.45)
        # The cell's font, not the row's: a struck-through row keeps a readable badge.
        painter.setFont(self.pill_font(option.font))
        metrics = painter.fontMetrics()
        width = metrics.horizontalAdvance(pill.text) + self._pad_x
        height = metrics.height() + self._pad_y
        cell = option.rect
        rect = QRectF(
            cell.x() + self.LEFT,
            cell.y() + (cell.height() - height) / 2,
            min(width, cell.width() - 2 * self.LEFT),
            height,
        )
        painter.setPen(Qt.PenStyle.NoPen)
        painter.setBrush(QColor(pill.fill))
        painter.drawRoundedRect(rect, height / 2, height / 2)
        painter.setPen(QColor(pill.ink))
        painter.drawText(rect, Qt.AlignmentFlag.AlignCenter, pill.text)
        painter.restore()

    def sizeHint(self, option: QStyleOptionViewItem, index: Index) -> QSize:
        size = super().sizeHint(option, index)
        pill = self._pill_of(index) if self._fit_cell else None
        if pill is None:
            return size
        text_width = QFontMetrics(self.pill_font(option.font)).horizontalAdvance(pill.text)
        width = text_width + self._pad_x + 2 * self.LEFT + 4
        height = option.fontMetrics.height() + self._pad_y + 6
        return QSize(max(size.width(), width), max(size.height(), height))
