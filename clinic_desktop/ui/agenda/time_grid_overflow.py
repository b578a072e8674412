"""Marks for appointments that fall wholly outside the hours the agenda shows (an early
back-entry, a late emergency): a small "▲ 2" / "▼ 1" pill at the top or bottom of the column,
so nothing booked is silently invisible just because the visible range is narrower."""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtCore import QPointF, QRectF, Qt
from PySide6.QtGui import QColor, QPainter, QPen

from clinic_desktop.i18n import ngettext
from clinic_desktop.ui.agenda import time_grid_paint as paint
from clinic_desktop.ui.agenda.grid_model import GridGeometry

PILL_HEIGHT = 18.0


class OverflowMarks:
    def __init__(self) -> None:
        self.above: list[int] = []
        self.below: list[int] = []

    def clear(self, columns: int) -> None:
        self.above = [0] * columns
        self.below = [0] * columns

    def count(self, column: int, *, above: bool) -> None:
        (self.above if above else self.below)[column] += 1

    def _pills(
        self, edges: Sequence[float], geometry: GridGeometry
    ) -> list[tuple[QRectF, int, bool]]:
        pills: list[tuple[QRectF, int, bool]] = []
        for index, (above, below) in enumerate(zip(self.above, self.below, strict=True)):
            right = edges[index + 1]
            if above:
                pills.append((QRectF(right - 46, 3, 40, PILL_HEIGHT), above, True))
            if below:
                top = geometry.height - PILL_HEIGHT - 3
                pills.append((QRectF(right - 46, top, 40, PILL_HEIGHT), below, False))
        return pills

    def paint(
        self,
        painter: QPainter,
        edges: Sequence[float],
        geometry: GridGeometry,
        fonts: paint.GridFonts,
    ) -> None:
        if not any(self.above) and not any(self.below):
            return
        painter.setFont(fonts.chip)
        for rect, number, above in self._pills(edges, geometry):
            painter.setPen(QPen(QColor(paint.SEPARATOR), 1))
            painter.setBrush(paint.WHITE)
            painter.drawRoundedRect(rect, PILL_HEIGHT / 2, PILL_HEIGHT / 2)
            painter.setPen(paint.MUTED)
            arrow = "▲" if above else "▼"
            painter.drawText(rect, Qt.AlignmentFlag.AlignCenter, f"{arrow} {number}")

    def tooltip_at(self, pos: QPointF, edges: Sequence[float], geometry: GridGeometry) -> str:
        for rect, number, above in self._pills(edges, geometry):
            if not rect.contains(pos):
                continue
            if above:
                text = ngettext(
                    "{count} appointment before {hour}:00",
                    "{count} appointments before {hour}:00",
                    number,
                )
                return text.format(count=number, hour=f"{geometry.first_hour:02d}")
            text = ngettext(
                "{count} appointment after {hour}:00",
                "{count} appointments after {hour}:00",
                number,
            )
            return text.format(count=number, hour=f"{geometry.last_hour:02d}")
        return ""
