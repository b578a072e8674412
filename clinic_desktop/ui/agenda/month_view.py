"""The agenda's month view: a grid of weeks (Monday first) where each day shows its number, how
many appointments it holds and a thin bar of their statuses, so reception sees at a glance which
days are full, which are done and which lost patients. Today is marked, days of the neighbouring
months are faded, and holidays and closures are tinted with their name. It is one widget
painted with QPainter (a month of 42 child widgets would be slow to refresh on every booking)
and knows only plain `MonthDay` values; clicking a day, or Enter on the keyboard cursor, emits
`day_activated` so the page can open that day."""

from __future__ import annotations

import calendar
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta

from babel import Locale
from babel.dates import format_date, format_skeleton
from PySide6.QtCore import QEvent, QPoint, QRect, QRectF, QSize, Qt, Signal
from PySide6.QtGui import (
    QColor,
    QFocusEvent,
    QFont,
    QFontMetrics,
    QHelpEvent,
    QKeyEvent,
    QMouseEvent,
    QPainter,
    QPainterPath,
    QPaintEvent,
    QPen,
)
from PySide6.QtWidgets import QToolTip, QWidget

from clinic_desktop.i18n import _, current_language, ngettext
from clinic_desktop.services.agenda_labels import status_label
from clinic_desktop.ui import style

# The same hues as the time grid's status marks, so a colour means the same in every view.
# The bar runs from done to pending to lost.
STATUS_ORDER = (
    "completed",
    "in_consultation",
    "arrived",
    "confirmed",
    "scheduled",
    "no_show",
    "cancelled",
)
STATUS_COLOURS: dict[str, str] = {
    "completed": "#15803D",
    "in_consultation": "#7C3AED",
    "arrived": "#D97706",
    "confirmed": "#2563EB",
    "scheduled": "#94A3B8",
    "no_show": "#E8847C",
    "cancelled": "#B42318",
}
_OTHER_STATUS = "#CBD2D9"

_SURFACE = QColor(style.SURFACE)
_HEADER = QColor(style.WINDOW)
_GRID = QColor("#E3E7EB")
_INK = QColor(style.INK)
_MUTED = QColor(style.MUTED)
_ACCENT = QColor(style.ACCENT)
_HOVER = QColor("#F2F8F7")
_OTHER_MONTH = QColor("#FAFBFC")
_CLOSED_TINT = QColor("#FBEEEC")  # as the time grid paints closures
_CLOSED_TEXT = QColor("#9B2C23")
_BAR_TRACK = QColor("#EEF1F3")

_PAD = 8
_BAR_HEIGHT = 5
_FADED_OPACITY = 0.45


@dataclass(frozen=True)
class MonthDay:
    day: date
    count: int
    by_status: dict[str, int] = field(default_factory=dict)  # status code -> count
    closed_label: str = ""  # "Holiday: Carnaval" / "Clinic closed: ..." or ""


def month_grid(year: int, month: int) -> list[date]:
    """The days shown for a month: whole weeks from the Monday on or before the 1st to the
    Sunday on or after the last day (4 to 6 weeks)."""
    first = date(year, month, 1)
    last = date(year, month, calendar.monthrange(year, month)[1])
    start = first - timedelta(days=first.weekday())
    end = last + timedelta(days=6 - last.weekday())
    return [start + timedelta(days=offset) for offset in range((end - start).days + 1)]


class MonthView(QWidget):
    """One month of the agenda; feed it with `set_month`."""

    day_activated = Signal(object)  # date

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("MonthView")
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        self.setMouseTracking(True)
        self.setAccessibleName(_("Month calendar"))
        self._year = 0
        self._month = 0
        self._grid: list[date] = []
        self._days: dict[date, MonthDay] = {}
        self._today = date.today()
        self._cursor = self._today
        self._hovered: date | None = None
        self._pressed: date | None = None  # the day the last single press activated
        self.set_month(self._today.year, self._today.month, (), self._today)

    # --- data -------------------------------------------------------------------------------

    def set_month(self, year: int, month: int, days: Sequence[MonthDay], today: date) -> None:
        """Shows `month` with the figures of `days` (days missing from it have none); `days`
        may also cover the faded days of the neighbouring months."""
        same_month = (year, month) == (self._year, self._month)
        self._year, self._month = year, month
        self._grid = month_grid(year, month)
        self._days = {item.day: item for item in days}
        self._today = today
        # A refresh of the same month (after a booking) keeps the keyboard cursor where it was.
        if not (same_month and self._cursor in self._grid):
            in_month = today.year == year and today.month == month
            self._cursor = today if in_month else date(year, month, 1)
        self._hovered = None
        self._update_accessible_description()
        self.update()

    def month(self) -> tuple[int, int]:
        return self._year, self._month

    def current_day(self) -> date:
        """The day under the keyboard cursor."""
        return self._cursor

    def cell_text(self, day: date) -> str:
        """What the cell of `day` says, one line per item as painted: the day number, the
        appointment count (when there are any) and the closure label (when closed)."""
        return "\n".join(line for line in self._cell_lines(day) if line)

    def tooltip_text(self, day: date) -> str:
        """The cell's text in full, with the day in words and the count per status."""
        item = self._days.get(day)
        lines = [format_date(day, format="full", locale=current_language())]
        _number, count, closed = self._cell_lines(day)
        lines += [text for text in (closed, count) if text]
        if item is not None:
            for code, number in _ordered_statuses(item.by_status):
                label = status_label(code)
                lines.append(f"  {label}: {number}")
        if not count and not closed:
            lines.append(_("No appointments"))
        return "\n".join(lines)

    def _cell_lines(self, day: date) -> tuple[str, str, str]:
        item = self._days.get(day)
        count = ""
        if item is not None and item.count > 0:
            count = ngettext("{count} appointment", "{count} appointments", item.count).format(
                count=item.count
            )
        # The 1st of each month names it, so the faded days of the neighbouring months and
        # the month boundary read without looking at the title.
        number = (
            format_skeleton("MMMd", day, locale=current_language()) if day.day == 1 else ""
        ) or str(day.day)
        return number, count, item.closed_label if item is not None else ""

    # --- geometry ---------------------------------------------------------------------------

    def sizeHint(self) -> QSize:
        return QSize(840, 620)

    def minimumSizeHint(self) -> QSize:
        return QSize(7 * 56, self._header_height() + 6 * 52)

    def _header_height(self) -> int:
        return QFontMetrics(self._header_font()).height() + 2 * _PAD

    def _weeks(self) -> int:
        return max(1, len(self._grid) // 7)

    def cell_rect(self, day: date) -> QRect:
        """The cell of `day` in widget coordinates; an empty QRect when it is not shown."""
        try:
            index = self._grid.index(day)
        except ValueError:
            return QRect()
        return self._rect_at(index // 7, index % 7)

    def day_at(self, point: QPoint) -> date | None:
        """The day whose cell holds `point`, or None (the weekday header, outside)."""
        for row in range(self._weeks()):
            for column in range(7):
                if self._rect_at(row, column).contains(point):
                    return self._grid[row * 7 + column]
        return None

    def _rect_at(self, row: int, column: int) -> QRect:
        # Edges are rounded from exact fractions, so the cells tile the widget with no gap
        # and differ by at most one pixel.
        top = self._header_height()
        width, height = self.width(), self.height() - top
        weeks = self._weeks()
        left, right = round(column * width / 7), round((column + 1) * width / 7)
        upper, lower = round(row * height / weeks), round((row + 1) * height / weeks)
        return QRect(left, top + upper, right - left, lower - upper)

    # --- painting ---------------------------------------------------------------------------

    def paintEvent(self, event: QPaintEvent) -> None:
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        painter.fillRect(self.rect(), _SURFACE)
        self._paint_header(painter)
        for index, day in enumerate(self._grid):
            rect = self._rect_at(index // 7, index % 7)
            if rect.intersects(event.rect()):
                self._paint_cell(painter, day, rect)
        self._paint_lines(painter)
        if self.hasFocus() and self._cursor in self._grid:
            painter.setPen(QPen(_ACCENT, 2))
            painter.setBrush(Qt.BrushStyle.NoBrush)
            painter.drawRect(QRectF(self.cell_rect(self._cursor)).adjusted(1.5, 1.5, -1.5, -1.5))
        painter.end()

    def _paint_header(self, painter: QPainter) -> None:
        height = self._header_height()
        painter.fillRect(QRect(0, 0, self.width(), height), _HEADER)
        font = self._header_font()
        painter.setFont(font)
        painter.setPen(_MUTED)
        names = self.weekday_names()
        for column, name in enumerate(names):
            cell = self._rect_at(0, column)
            painter.drawText(
                QRect(cell.left() + _PAD, 0, cell.width() - 2 * _PAD, height),
                Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter,
                name,
            )

    def weekday_names(self) -> list[str]:
        """The header, Monday to Sunday in the UI language: full names when every one fits
        its column at the current width, else the abbreviations."""
        metrics = QFontMetrics(self._header_font())
        days = Locale.parse(current_language()).days["format"]
        room = self.width() // 7 - 2 * _PAD
        for width in ("wide", "abbreviated", "narrow"):
            names = [_capitalised(days[width][weekday]) for weekday in range(7)]
            if max(metrics.horizontalAdvance(name) for name in names) <= room:
                return names
        return names

    def _paint_cell(self, painter: QPainter, day: date, rect: QRect) -> None:
        item = self._days.get(day)
        in_month = day.month == self._month
        closed = item is not None and bool(item.closed_label)
        background = _CLOSED_TINT if closed else (_SURFACE if in_month else _OTHER_MONTH)
        if day == self._hovered:
            background = _mix(background, _ACCENT, 0.05)
        painter.fillRect(rect, background)
        painter.save()
        painter.setClipRect(rect)
        if not in_month:
            painter.setOpacity(_FADED_OPACITY)
        number, count, closed_label = self._cell_lines(day)
        inner = rect.adjusted(_PAD, _PAD - 2, -_PAD, -_PAD)
        bottom = self._paint_number(painter, number, inner, today=day == self._today)
        body = QFont(self.font())
        body_metrics = QFontMetrics(body)
        small = QFont(self.font())
        small.setPointSizeF(self.font().pointSizeF() * 0.88)
        small_metrics = QFontMetrics(small)
        bar_top = inner.bottom() - _BAR_HEIGHT + 1
        if closed_label:
            painter.setFont(small)
            painter.setPen(_CLOSED_TEXT)
            text = small_metrics.elidedText(
                closed_label, Qt.TextElideMode.ElideRight, inner.width()
            )
            painter.drawText(inner.left(), bottom + 4 + small_metrics.ascent(), text)
            bottom += 4 + small_metrics.height()
        if count and bottom + 4 + body_metrics.height() <= bar_top:
            body.setWeight(QFont.Weight.DemiBold)
            painter.setFont(body)
            painter.setPen(_INK)
            if QFontMetrics(body).horizontalAdvance(count) > inner.width() and item is not None:
                # A narrow window gets the bare figure rather than a truncated word.
                count = str(item.count)
            painter.drawText(inner.left(), bottom + 4 + body_metrics.ascent(), count)
        if item is not None and sum(item.by_status.values()) > 0:
            self._paint_bar(
                painter, item, QRectF(inner.left(), bar_top, inner.width(), _BAR_HEIGHT)
            )
        painter.restore()

    def _paint_number(self, painter: QPainter, number: str, inner: QRect, *, today: bool) -> int:
        """Draws the day number at the top left and returns the y below it (the same for
        today's disc as for a plain number, so every cell's count lines up)."""
        font = QFont(self.font())
        font.setWeight(QFont.Weight.DemiBold)
        metrics = QFontMetrics(font)
        painter.setFont(font)
        diameter = metrics.height() + 6
        line = QRectF(inner.left(), inner.top(), inner.width(), diameter)
        if today:
            # Today as a filled accent disc, the convention of every calendar app.
            width = max(diameter, metrics.horizontalAdvance(number) + 10)
            disc = QRectF(inner.left() - 5, inner.top(), width, diameter)
            painter.setPen(Qt.PenStyle.NoPen)
            painter.setBrush(_ACCENT)
            painter.drawRoundedRect(disc, diameter / 2, diameter / 2)
            painter.setPen(QColor("#FFFFFF"))
            painter.drawText(disc, Qt.AlignmentFlag.AlignCenter, number)
        else:
            painter.setPen(_INK)
            painter.drawText(
                line, Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter, number
            )
        return inner.top() + diameter

    def _paint_bar(self, painter: QPainter, item: MonthDay, bar: QRectF) -> None:
        radius = bar.height() / 2
        track = QPainterPath()
        track.addRoundedRect(bar, radius, radius)
        painter.fillPath(track, _BAR_TRACK)
        parts = _ordered_statuses(item.by_status)
        total = sum(number for _code, number in parts)
        # Segments are plain rectangles clipped to the rounded track: only the ends are round.
        painter.save()
        painter.setClipPath(track, Qt.ClipOperation.IntersectClip)
        done = 0
        for code, number in parts:
            left = bar.left() + bar.width() * done / total
            done += number
            right = bar.left() + bar.width() * done / total
            colour = QColor(STATUS_COLOURS.get(code, _OTHER_STATUS))
            painter.fillRect(QRectF(left, bar.top(), right - left, bar.height()), colour)
        painter.restore()

    def _paint_lines(self, painter: QPainter) -> None:
        painter.setPen(QPen(_GRID, 1))
        top = self._header_height()
        for column in range(1, 7):
            x = self._rect_at(0, column).left()
            painter.drawLine(x, top, x, self.height())
        for row in range(self._weeks()):
            y = self._rect_at(row, 0).top()
            painter.drawLine(0, y, self.width(), y)

    def _header_font(self) -> QFont:
        font = QFont(self.font())
        font.setPointSizeF(self.font().pointSizeF() * 0.92)
        font.setWeight(QFont.Weight.DemiBold)
        return font

    # --- interaction ------------------------------------------------------------------------

    def mousePressEvent(self, event: QMouseEvent) -> None:
        day = self.day_at(event.position().toPoint())
        if event.button() != Qt.MouseButton.LeftButton or day is None:
            super().mousePressEvent(event)
            return
        self._move_cursor(day)
        self._pressed = day
        self.day_activated.emit(day)

    def mouseDoubleClickEvent(self, event: QMouseEvent) -> None:
        # Qt delivers a double click as press, release, double-click: the press already
        # activated the day, so a double click emits only if no press on that day came first
        # (Qt's default would treat it as a second press and emit twice).
        day = self.day_at(event.position().toPoint())
        if event.button() == Qt.MouseButton.LeftButton and day is not None:
            if day != self._pressed:
                self._move_cursor(day)
                self.day_activated.emit(day)
            self._pressed = None
            event.accept()
            return
        super().mouseDoubleClickEvent(event)

    def mouseMoveEvent(self, event: QMouseEvent) -> None:
        day = self.day_at(event.position().toPoint())
        if day != self._hovered:
            self._hovered = day
            self.update()
        super().mouseMoveEvent(event)

    def leaveEvent(self, event: QEvent) -> None:
        if self._hovered is not None:
            self._hovered = None
            self.update()
        super().leaveEvent(event)

    def keyPressEvent(self, event: QKeyEvent) -> None:
        steps = {
            Qt.Key.Key_Left: -1,
            Qt.Key.Key_Right: 1,
            Qt.Key.Key_Up: -7,
            Qt.Key.Key_Down: 7,
        }
        key = Qt.Key(event.key())
        if key in steps and self._grid:
            target = self._cursor + timedelta(days=steps[key])
            if self._grid[0] <= target <= self._grid[-1]:
                self._move_cursor(target)
            event.accept()
        elif key in (Qt.Key.Key_Return, Qt.Key.Key_Enter, Qt.Key.Key_Space):
            if self._cursor in self._grid:
                self.day_activated.emit(self._cursor)
            event.accept()
        else:
            super().keyPressEvent(event)

    def focusInEvent(self, event: QFocusEvent) -> None:
        self.update()
        super().focusInEvent(event)

    def focusOutEvent(self, event: QFocusEvent) -> None:
        self.update()
        super().focusOutEvent(event)

    def event(self, event: QEvent) -> bool:
        if event.type() == QEvent.Type.ToolTip and isinstance(event, QHelpEvent):
            day = self.day_at(event.pos())
            if day is None:
                QToolTip.hideText()
            else:
                QToolTip.showText(
                    event.globalPos(), self.tooltip_text(day), self, self.cell_rect(day)
                )
            return True
        return super().event(event)

    def _move_cursor(self, day: date) -> None:
        self._cursor = day
        self._update_accessible_description()
        self.update()

    def _update_accessible_description(self) -> None:
        # Screen readers get the day under the cursor, since the cells are not widgets.
        self.setAccessibleDescription(self.tooltip_text(self._cursor).replace("\n", ", "))


def _ordered_statuses(by_status: dict[str, int]) -> list[tuple[str, int]]:
    """Non-zero statuses in bar order, unknown codes last."""
    known = [(code, by_status.get(code, 0)) for code in STATUS_ORDER]
    unknown = sorted((code, n) for code, n in by_status.items() if code not in STATUS_COLOURS)
    return [(code, n) for code, n in known + unknown if n > 0]


def _capitalised(text: str) -> str:
    return text[:1].upper() + text[1:]


def _mix(a: QColor, b: QColor, amount: float) -> QColor:
    return QColor.fromRgbF(
        a.redF() + (b.redF() - a.redF()) * amount,
        a.greenF() + (b.greenF() - a.greenF()) * amount,
        a.blueF() + (b.blueF() - a.blueF()) * amount,
    )
