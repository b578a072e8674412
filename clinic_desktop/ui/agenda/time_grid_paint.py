"""How the agenda's time grid looks: its colours, fonts and status styles, and the QPainter
routines for closures, the drag ghost and the column header (appointment blocks are in
time_grid_blocks). Kept apart from the widgets so the look can be tuned without touching mouse
handling; every routine paints from plain values it is given."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from functools import lru_cache

from PySide6.QtCore import QPointF, QRectF, Qt
from PySide6.QtGui import (
    QColor,
    QFont,
    QFontMetrics,
    QFontMetricsF,
    QPainter,
    QPen,
    QPixmap,
)

from clinic_desktop.ui import style
from clinic_desktop.ui.agenda.grid_model import GridColumn

CLOSED_WORK = QColor("#EEF1F4")  # outside working hours
OPEN_WORK = QColor(style.SURFACE)
OPEN_WORK_ALT = QColor("#FBFCFD")  # every other column, so wide week views keep their columns
CLOSED_TINT = QColor("#FBEEEC")
CLOSED_HATCH = QColor("#EFC9C4")
CLOSED_TEXT = QColor("#9B2C23")
HOUR_LINE = QColor("#DCE1E6")
HALF_HOUR_LINE = QColor("#E6E9ED")
SEPARATOR = QColor("#E1E5EA")
BORDER = QColor(style.BORDER)
NOW_RED = QColor("#E5484D")
GHOST_ERROR = QColor(style.DANGER)
GHOST_ERROR_TINT = QColor("#FDE2DF")
SELECTION = QColor(style.INK)
MUTED = QColor(style.MUTED)
INK = QColor(style.INK)
WHITE = QColor("#FFFFFF")

RADIUS = 5.0
STRIPE = 4.0


@dataclass(frozen=True)
class StatusLook:
    """How a status changes a block, chosen so the reception desk can tell at a glance who is
    waiting (arrived: bold amber outline), who is inside (violet outline) and who is done
    (faded, with a check mark)."""

    colour: str
    faded: bool = False
    outline: bool = False
    check: bool = False
    strike: bool = False
    dashed: bool = False


STATUS_LOOKS: dict[str, StatusLook] = {
    "scheduled": StatusLook("#64748B"),
    "confirmed": StatusLook("#2563EB"),
    "arrived": StatusLook("#D97706", outline=True),
    "in_consultation": StatusLook("#7C3AED", outline=True),
    "completed": StatusLook("#15803D", faded=True, check=True),
    "cancelled": StatusLook("#B42318", faded=True, strike=True, dashed=True),
    "no_show": StatusLook("#B42318", faded=True, dashed=True),
}


def status_look(status: str) -> StatusLook:
    return STATUS_LOOKS.get(status, STATUS_LOOKS["scheduled"])


def mix(a: QColor, b: QColor, amount: float) -> QColor:
    """`a` moved `amount` (0..1) of the way towards `b`."""
    return QColor.fromRgbF(
        a.redF() + (b.redF() - a.redF()) * amount,
        a.greenF() + (b.greenF() - a.greenF()) * amount,
        a.blueF() + (b.blueF() - a.blueF()) * amount,
    )


def is_light(colour: QColor) -> bool:
    """WCAG relative luminance: above ~0.4 dark text reads better than white."""

    def channel(value: float) -> float:
        return value / 12.92 if value <= 0.03928 else ((value + 0.055) / 1.055) ** 2.4

    luminance = (
        0.2126 * channel(colour.redF())
        + 0.7152 * channel(colour.greenF())
        + 0.0722 * channel(colour.blueF())
    )
    return luminance > 0.4


@lru_cache(maxsize=256)
def block_colours(colour: str, faded: bool) -> tuple[QColor, QColor, QColor]:
    """(fill, stripe, text) for an appointment colour; cached as every block asks per paint."""
    base = safe_colour(colour)
    fill = mix(base, WHITE, 0.62) if faded else base
    ink = mix(INK, WHITE, 0.15) if faded else (INK if is_light(fill) else WHITE)
    return fill, base.darker(135), ink


def safe_colour(value: str | None, fallback: str = style.ACCENT) -> QColor:
    colour = QColor(value or fallback)
    return colour if colour.isValid() else QColor(fallback)


def clock(moment: datetime) -> str:
    return f"{moment.hour:02d}:{moment.minute:02d}"  # strftime costs more than the paint


def time_range(start: datetime, end: datetime) -> str:
    return f"{clock(start)} – {clock(end)}"


class TextMeasure:
    """Widths and eliding for one font from cached per-character advances: Qt's own eliding
    was the costliest step of laying out a block. Kerning is ignored, which errs by a pixel
    or two, well inside the blocks' margins."""

    def __init__(self, font: QFont) -> None:
        self.metrics = QFontMetricsF(font)
        self.height = self.metrics.height()
        self.ascent = self.metrics.ascent()
        self._advances: dict[str, float] = {}

    def _advance(self, char: str) -> float:
        advance = self._advances.get(char)
        if advance is None:
            advance = self._advances[char] = self.metrics.horizontalAdvance(char)
        return advance

    def width(self, text: str) -> float:
        advance = self._advance
        return sum(advance(char) for char in text)

    def elide(self, text: str, width: float) -> str:
        """`text` cut with "…" to fit `width`, in one pass over cached character advances."""
        advance = self._advance
        limit = width - 2 - advance("…")
        total, cut = 0.0, -1
        for index, char in enumerate(text):
            total += advance(char)
            if cut < 0 and total > limit:
                cut = index
            if total > width - 2:
                return text[:cut].rstrip() + "…" if cut > 0 else ""
        return text


class GridFonts:
    """The few fonts the grid uses, derived from the widget font so the app-wide size applies."""

    def __init__(self, base: QFont) -> None:
        size = base.pointSizeF() if base.pointSizeF() > 0 else 10.0
        self.title = QFont(base)
        self.title.setPointSizeF(size * 0.9)
        self.title.setBold(True)
        self.title_struck = QFont(self.title)
        self.title_struck.setStrikeOut(True)
        self.detail = QFont(base)
        self.detail.setPointSizeF(size * 0.8)
        self.chip = QFont(base)
        self.chip.setPointSizeF(size * 0.75)
        self.chip.setBold(True)
        self.header = QFont(base)
        self.header.setBold(True)
        self.small = QFont(base)
        self.small.setPointSizeF(size * 0.85)
        self.title_metrics = QFontMetrics(self.title)
        self.detail_metrics = QFontMetrics(self.detail)
        self.chip_metrics = QFontMetrics(self.chip)
        self.header_metrics = QFontMetrics(self.header)
        self.small_metrics = QFontMetrics(self.small)
        self.title_measure = TextMeasure(self.title)
        self.detail_measure = TextMeasure(self.detail)
        self.chip_measure = TextMeasure(self.chip)
        self._chips: dict[tuple[str, str, float], QPixmap] = {}

    def chip_pixmap(self, label: str, colour: QColor, ratio: float) -> QPixmap:
        """A status chip (white pill, coloured dot, label; only the dot when `label` is "")
        drawn once per status and screen scale, as a blit costs a fraction of drawing it."""
        key = (label, colour.name(), ratio)
        pixmap = self._chips.get(key)
        if pixmap is not None:
            return pixmap
        height = self.chip_metrics.height() + 2
        width = self.chip_metrics.horizontalAdvance(label) + 18 if label else height
        pixmap = QPixmap(round(width * ratio), round(height * ratio))
        pixmap.setDevicePixelRatio(ratio)
        pixmap.fill(Qt.GlobalColor.transparent)
        painter = QPainter(pixmap)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        painter.setPen(Qt.PenStyle.NoPen)
        painter.setBrush(QColor(255, 255, 255, 235))
        painter.drawRoundedRect(QRectF(0, 0, width, height), height / 2, height / 2)
        painter.setBrush(colour)
        dot_x = 7 if label else width / 2
        painter.drawEllipse(QPointF(dot_x, height / 2), 3, 3)
        if label:
            painter.setFont(self.chip)
            painter.setPen(colour.darker(125))
            painter.drawText(
                QRectF(12, 0, width - 14, height),
                Qt.AlignmentFlag.AlignVCenter | Qt.AlignmentFlag.AlignLeft,
                label,
            )
        painter.end()
        self._chips[key] = pixmap
        return pixmap


def paint_ghost(
    painter: QPainter,
    rect: QRectF,
    colour: str,
    caption: str,
    error: str | None,
    fonts: GridFonts,
) -> None:
    """Where a dragged or new appointment would land: its colour with the new times, or red
    with the reason it cannot go there."""
    base = safe_colour(colour)
    painter.save()
    if error:
        fill, border, ink = GHOST_ERROR_TINT, GHOST_ERROR, GHOST_ERROR
    else:
        fill = QColor(base)
        fill.setAlpha(215)
        border = base.darker(140)
        ink = INK if is_light(base) else WHITE
    pen = QPen(border, 2)
    pen.setStyle(Qt.PenStyle.DashLine if error else Qt.PenStyle.SolidLine)
    painter.setPen(pen)
    painter.setBrush(fill)
    painter.drawRoundedRect(rect, RADIUS, RADIUS)
    painter.setPen(ink)
    painter.setFont(fonts.title)
    inner = rect.adjusted(7, 2, -5, -2)
    metrics = fonts.title_metrics
    painter.drawText(
        QPointF(inner.left(), inner.top() + metrics.ascent()),
        metrics.elidedText(caption, Qt.TextElideMode.ElideRight, int(inner.width())),
    )
    if error:
        painter.setFont(fonts.detail)
        top = inner.adjusted(0, metrics.height() + 1, 0, 0)
        if top.height() >= fonts.detail_metrics.height():
            painter.drawText(top, int(Qt.TextFlag.TextWordWrap), error)
    painter.restore()


def paint_header_column(
    painter: QPainter,
    rect: QRectF,
    column: GridColumn,
    fonts: GridFonts,
    *,
    closed_label: str = "",
    today: bool = False,
) -> None:
    """One column title: the practitioner's colour as a stripe on top, name, and specialty or
    the closure's reason underneath."""
    if column.colour:
        painter.fillRect(
            QRectF(rect.left() + 1, rect.top(), rect.width() - 1, 4), safe_colour(column.colour)
        )
    width = int(rect.width() - 12)
    title_top = rect.top() + 10
    painter.setFont(fonts.header)
    painter.setPen(QColor(style.ACCENT_DARK) if today else INK)
    metrics = fonts.header_metrics
    title = metrics.elidedText(column.title, Qt.TextElideMode.ElideRight, width)
    painter.drawText(
        QRectF(rect.left() + 6, title_top, width, metrics.height()),
        Qt.AlignmentFlag.AlignCenter,
        title,
    )
    if today:
        underline = metrics.horizontalAdvance(title)
        centre = rect.center().x()
        painter.fillRect(
            QRectF(centre - underline / 2, title_top + metrics.height() + 1, underline, 2),
            QColor(style.ACCENT),
        )
    lines = [(column.subtitle, MUTED), (closed_label, CLOSED_TEXT)]
    y = title_top + metrics.height() + 4
    painter.setFont(fonts.small)
    small = fonts.small_metrics
    for text, colour in lines:
        if not text or y + small.height() > rect.bottom():
            continue
        painter.setPen(colour)
        painter.drawText(
            QRectF(rect.left() + 6, y, width, small.height()),
            Qt.AlignmentFlag.AlignCenter,
            small.elidedText(text, Qt.TextElideMode.ElideRight, width),
        )
        y += small.height()
