"""The background of the agenda's time grid body: working hours, closures (hatched, with
their reason on a pill), hour and half-hour lines, column separators, and the red line that
marks the current time. Painted per exposed area, so scrolling repaints only the new strip."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from PySide6.QtCore import QPointF, QRectF, Qt
from PySide6.QtGui import QBrush, QPainter, QPen, QPixmap

from clinic_desktop.ui.agenda.grid_model import GridColumn, GridGeometry, GridShade
from clinic_desktop.ui.agenda.time_grid_paint import (
    CLOSED_HATCH,
    CLOSED_TEXT,
    CLOSED_TINT,
    HALF_HOUR_LINE,
    HOUR_LINE,
    NOW_RED,
    OPEN_WORK,
    OPEN_WORK_ALT,
    SEPARATOR,
    WHITE,
    GridFonts,
)


def paint_background(
    painter: QPainter,
    area: QRectF,
    columns: Sequence[GridColumn],
    shades: Sequence[Sequence[GridShade]],
    edges: Sequence[int],
    geometry: GridGeometry,
    fonts: GridFonts,
) -> None:
    """Everything behind the appointments within `area`: grey outside working hours, white
    inside them, hatched closures with their reason, hour and half-hour lines, and column
    separators. Expects antialiasing off (crisp one-pixel lines) and leaves it off."""
    closed: list[tuple[QRectF, str]] = []
    for index, column in enumerate(columns):
        left, right = edges[index], edges[index + 1]
        if right < area.left() or left > area.right():
            continue
        for shade in shades[index]:
            top = max(geometry.y_for(column.day, shade.start), 0.0)
            bottom = min(geometry.y_for(column.day, shade.end), float(geometry.height))
            if bottom <= top:
                continue
            rect = QRectF(left, top, right - left, bottom - top)
            if shade.kind == "closed":
                closed.append((rect, shade.label))
            elif shade.kind == "open":
                painter.fillRect(rect, OPEN_WORK_ALT if index % 2 else OPEN_WORK)
    for closed_rect, _label in closed:  # after all fills: an open range must not cover it
        painter.fillRect(closed_rect, hatch_brush())
    dotted = dotted_pen()
    for hour in range(geometry.last_hour - geometry.first_hour):
        y = hour * geometry.hour_height
        if area.top() - 1 <= y <= area.bottom() + 1:
            painter.fillRect(QRectF(area.left(), y, area.width(), 1), HOUR_LINE)
        half = y + geometry.hour_height / 2
        if area.top() - 1 <= half <= area.bottom() + 1:
            painter.setPen(dotted)
            painter.drawLine(QPointF(area.left(), half), QPointF(area.right(), half))
    painter.fillRect(QRectF(area.left(), geometry.height, area.width(), 1), HOUR_LINE)
    for x in edges[1:]:
        if area.left() - 1 <= x <= area.right() + 1:
            painter.fillRect(QRectF(x, area.top(), 1, area.height()), SEPARATOR)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    for closed_rect, label in closed:
        paint_closed_label(painter, closed_rect, label, fonts)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing, False)


def paint_now_line(
    painter: QPainter,
    now: datetime | None,
    columns: Sequence[GridColumn],
    edges: Sequence[int],
    geometry: GridGeometry,
) -> None:
    """The red current-time line across the columns showing today."""
    if now is None:
        return
    today = now.date()
    for index, column in enumerate(columns):
        if column.day != today:
            continue
        y = geometry.y_for(column.day, now)
        if not 0 <= y <= geometry.height:
            return
        left, right = edges[index], edges[index + 1]
        painter.fillRect(QRectF(left, y - 1, right - left, 2), NOW_RED)
        # One dot where a run of today's columns starts, as a line's head, not one per column.
        if index == 0 or columns[index - 1].day != today:
            painter.setPen(Qt.PenStyle.NoPen)
            painter.setBrush(NOW_RED)
            painter.drawEllipse(QPointF(left + 5, y), 5, 5)


_hatch_cache: dict[str, QPixmap] = {}


def dotted_pen() -> QPen:
    pen = QPen(HALF_HOUR_LINE, 1)
    pen.setStyle(Qt.PenStyle.DotLine)
    return pen


def hatch_brush() -> QBrush:
    """A texture of sparse diagonal lines; Qt's own BDiagPattern is too dense to read as
    'closed' and too busy behind a label."""
    pixmap = _hatch_cache.get("closed")
    if pixmap is None:
        pixmap = QPixmap(12, 12)
        pixmap.fill(CLOSED_TINT)
        painter = QPainter(pixmap)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        painter.setPen(QPen(CLOSED_HATCH, 1.2))
        painter.drawLine(QPointF(-1, 13), QPointF(13, -1))
        painter.drawLine(QPointF(-1, 1), QPointF(1, -1))
        painter.drawLine(QPointF(11, 13), QPointF(13, 11))
        painter.end()
        _hatch_cache["closed"] = pixmap
    return QBrush(pixmap)


def paint_closed_label(painter: QPainter, rect: QRectF, label: str, fonts: GridFonts) -> None:
    """The closure's reason on a white pill at the top of its column, so a hatched day says why."""
    if not label or rect.width() < 30:
        return
    metrics = fonts.small_metrics
    text = metrics.elidedText(label, Qt.TextElideMode.ElideRight, int(rect.width() - 20))
    pill = QRectF(rect.left() + 6, rect.top() + 6, metrics.horizontalAdvance(text) + 12, 20)
    painter.setPen(QPen(CLOSED_HATCH, 1))
    painter.setBrush(WHITE)
    painter.drawRoundedRect(pill, 10, 10)
    painter.setFont(fonts.small)
    painter.setPen(CLOSED_TEXT)
    painter.drawText(pill, Qt.AlignmentFlag.AlignCenter, text)
