"""The agenda's time grid: columns (practitioners, rooms or the days of a week) side by side,
hours down the left, appointments as blocks, and mouse gestures that ask the page to create,
move, resize or open appointments. It is a pure view: the page gives it plain GridColumn,
GridBlock and GridShade records in local time, listens to its signals, calls the services and
then hands it fresh data; the grid itself never changes an appointment or touches storage.

The column header and the hour gutter are separate strips kept in step with the scrolled body,
so names stay visible while scrolling down and hours while scrolling across."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime, time

from PySide6.QtCore import QPoint, QRect, QRectF, Qt, Signal
from PySide6.QtGui import QPainter, QPaintEvent, QPalette, QWheelEvent
from PySide6.QtWidgets import (
    QApplication,
    QFrame,
    QGridLayout,
    QScrollArea,
    QScrollBar,
    QWidget,
)

from clinic_desktop.i18n import _
from clinic_desktop.ui.agenda import time_grid_paint as paint
from clinic_desktop.ui.agenda.grid_model import GridBlock, GridColumn, GridGeometry, GridShade
from clinic_desktop.ui.agenda.time_grid_canvas import GridCanvas
from clinic_desktop.ui.agenda.time_grid_drag import ConflictChecker

MIN_COLUMN_WIDTH = 140
HOUR_HEIGHT = 64
HEADER_HEIGHT = 62
GUTTER_WIDTH = 60


class TimeGridView(QWidget):
    """See the module docstring. Signals carry naive local datetimes:

    - create_requested(column_key, start, end): a click on free time (one slot of the default
      length) or a drag over free time (the dragged range, snapped).
    - move_requested(block_key, column_key, start, end): a block dropped elsewhere, possibly in
      another column; the length is kept and the start snapped to the slot step.
    - resize_requested(block_key, new_end): a block's bottom edge dragged (at least one slot).
    - block_activated(block_key): double-click on a block.
    - block_context_requested(block_key, global_pos) / empty_context_requested(column_key,
      moment, global_pos): right-click on a block / on free time.
    - drop_refused(message): a drag released where the conflict checker objected.
    - selection_changed(block_key or None).
    """

    create_requested = Signal(str, object, object)
    move_requested = Signal(str, str, object, object)
    resize_requested = Signal(str, object)
    block_activated = Signal(str)
    block_context_requested = Signal(str, QPoint)
    empty_context_requested = Signal(str, object, QPoint)
    drop_refused = Signal(str)
    selection_changed = Signal(object)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("TimeGridView")
        self._canvas = GridCanvas()
        self._canvas.setAccessibleName(_("Appointment grid"))
        self._canvas.set_geometry(GridGeometry(hour_height=HOUR_HEIGHT))
        self._scroll = QScrollArea()
        self._scroll.setObjectName("TimeGridScroll")
        self._scroll.setFrameShape(QFrame.Shape.NoFrame)
        self._scroll.setWidgetResizable(True)
        self._scroll.setAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignTop)
        self._scroll.setWidget(self._canvas)
        viewport = self._scroll.viewport()
        palette = viewport.palette()
        palette.setColor(QPalette.ColorRole.Window, paint.CLOSED_WORK)
        viewport.setPalette(palette)
        viewport.setAutoFillBackground(True)
        self._header = _GridHeader(self)
        self._gutter = _TimeGutter(self)
        corner = _Corner()
        layout = QGridLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(0)
        layout.addWidget(corner, 0, 0)
        layout.addWidget(self._header, 0, 1)
        layout.addWidget(self._gutter, 1, 0)
        layout.addWidget(self._scroll, 1, 1)
        self._pending_time: time | None = None
        hbar, vbar = self.horizontal_bar(), self.vertical_bar()
        hbar.valueChanged.connect(self._header.update)
        vbar.valueChanged.connect(self._gutter.update)
        vbar.rangeChanged.connect(self._apply_pending_scroll)
        vbar.actionTriggered.connect(self._forget_pending_scroll)
        self._canvas.autoscroll = self._autoscroll
        canvas = self._canvas
        canvas.create_requested.connect(self.create_requested)
        canvas.move_requested.connect(self.move_requested)
        canvas.resize_requested.connect(self.resize_requested)
        canvas.block_activated.connect(self.block_activated)
        canvas.block_context_requested.connect(self.block_context_requested)
        canvas.empty_context_requested.connect(self.empty_context_requested)
        canvas.drop_refused.connect(self.drop_refused)
        canvas.selection_changed.connect(self.selection_changed)
        self._update_minimum_width()

    # -- configuration and data ---------------------------------------------------------------

    def set_range(self, first_hour: int, last_hour: int, slot_minutes: int = 15) -> None:
        """Shows hours first_hour..last_hour (0..24) and snaps gestures to slot_minutes."""
        self._canvas.set_geometry(
            GridGeometry(first_hour, last_hour, slot_minutes, hour_height=HOUR_HEIGHT)
        )
        self._gutter.update()

    def set_default_minutes(self, minutes: int) -> None:
        """The length a single click on free time proposes (30 unless set)."""
        if minutes <= 0:
            raise ValueError("default length must be positive")
        self._canvas.default_minutes = minutes

    def set_data(
        self,
        columns: Sequence[GridColumn],
        blocks: Sequence[GridBlock],
        shades: Sequence[GridShade],
    ) -> None:
        """Replaces everything shown; blocks and shades of unknown columns are ignored. The
        selection survives if its block is still there."""
        self._canvas.set_data(columns, blocks, shades)
        self._update_minimum_width()
        self._header.update()

    def set_now(self, moment: datetime | None) -> None:
        """Draws the current-time line in the column(s) showing moment's day (None: no line)."""
        self._canvas.now = moment
        self._canvas.update()
        self._header.update()
        self._gutter.update()

    def set_conflict_checker(self, checker: ConflictChecker | None) -> None:
        """checker(block_key or None, column_key, start, end) -> error text or None, asked while
        dragging; a drop where it answers text emits drop_refused(text) instead of a request."""
        self._canvas.conflicts.checker = checker
        self._canvas.conflicts.forget()

    def scroll_to_time(self, moment: time) -> None:
        """Scrolls so `moment` is at the top of the visible hours (also before first show)."""
        self._pending_time = moment
        self._apply_pending_scroll()

    # -- selection ----------------------------------------------------------------------------

    def selected_block(self) -> str | None:
        return self._canvas.selected()

    def set_selected_block(self, key: str | None) -> None:
        """Selects a block by key (None or an unknown key clears); emits selection_changed."""
        self._canvas.set_selected(key)

    # -- automation helpers (tests, screenshots) ------------------------------------------------

    def canvas(self) -> QWidget:
        """The widget that receives the mouse; block_rect and point_for are in its coordinates."""
        return self._canvas

    def block_rect(self, key: str) -> QRect:
        """Where block `key` is drawn, or an empty QRect if it is not shown."""
        return self._canvas.grid.block_rect(key)

    def point_for(self, column_key: str, moment: datetime) -> QPoint:
        """The horizontal centre of a column at `moment`'s height (KeyError: unknown column)."""
        return self._canvas.grid.point_for(column_key, moment)

    def column_at(self, x: int) -> str | None:
        """The key of the column under canvas x, or None outside every column."""
        index = self._canvas.grid.column_index_at(x)
        return None if index is None else self._canvas.columns[index].key

    def horizontal_bar(self) -> QScrollBar:
        """The body's horizontal scroll bar (the header follows it)."""
        return self._scroll.horizontalScrollBar()

    def vertical_bar(self) -> QScrollBar:
        """The body's vertical scroll bar (the hour gutter follows it)."""
        return self._scroll.verticalScrollBar()

    # -- internals ----------------------------------------------------------------------------

    def _update_minimum_width(self) -> None:
        self._canvas.setMinimumWidth(max(1, len(self._canvas.columns)) * MIN_COLUMN_WIDTH)

    def _autoscroll(self, pos: QPoint) -> None:
        self._scroll.ensureVisible(pos.x(), pos.y(), 24, 24)

    def _apply_pending_scroll(self) -> None:
        if self._pending_time is None:
            return
        bar = self.vertical_bar()
        target = max(0, int(self._canvas.geometry_.y_for_time(self._pending_time)) - 4)
        bar.setValue(target)
        # Before the first layout the range is still 0; keep trying until the value sticks.
        if bar.value() == target or (self.isVisible() and bar.maximum() > 0):
            self._pending_time = None

    def _forget_pending_scroll(self, _action: int) -> None:
        self._pending_time = None  # the user scrolled: their position wins


class _GridHeader(QWidget):
    """The column titles, painted with the body's column edges and horizontal offset."""

    def __init__(self, view: TimeGridView) -> None:
        super().__init__(view)
        self.setObjectName("TimeGridHeader")
        self._view = view
        self.setFixedHeight(HEADER_HEIGHT)
        self.setAttribute(Qt.WidgetAttribute.WA_OpaquePaintEvent)

    def paintEvent(self, event: QPaintEvent) -> None:
        canvas = self._view._canvas
        painter = QPainter(self)
        painter.fillRect(self.rect(), paint.WHITE)
        painter.setRenderHint(QPainter.RenderHint.TextAntialiasing)
        offset = -self._view.horizontal_bar().value()
        now = canvas.now
        # Marking today only means something when the columns show different days (a week).
        several_days = len({column.day for column in canvas.columns}) > 1
        for index, column in enumerate(canvas.columns):
            left, right = canvas.edges[index] + offset, canvas.edges[index + 1] + offset
            if right < 0 or left > self.width():
                continue
            paint.paint_header_column(
                painter,
                QRectF(left, 0, right - left, self.height() - 1),
                column,
                canvas.fonts,
                closed_label=canvas.grid.closed_label(index),
                today=several_days and now is not None and column.day == now.date(),
            )
            if index:
                painter.fillRect(QRectF(left, 8, 1, self.height() - 8), paint.SEPARATOR)
        painter.fillRect(QRectF(0, self.height() - 1, self.width(), 1), paint.BORDER)
        painter.end()

    def wheelEvent(self, event: QWheelEvent) -> None:
        QApplication.sendEvent(self._view.horizontal_bar(), event)


class _TimeGutter(QWidget):
    """The hour labels down the left, painted with the body's vertical offset."""

    def __init__(self, view: TimeGridView) -> None:
        super().__init__(view)
        self.setObjectName("TimeGridGutter")
        self._view = view
        self.setFixedWidth(GUTTER_WIDTH)
        self.setAttribute(Qt.WidgetAttribute.WA_OpaquePaintEvent)

    def paintEvent(self, event: QPaintEvent) -> None:
        canvas = self._view._canvas
        geometry = canvas.geometry_
        painter = QPainter(self)
        painter.fillRect(self.rect(), paint.WHITE)
        painter.setRenderHint(QPainter.RenderHint.TextAntialiasing)
        offset = -self._view.vertical_bar().value()
        fonts = canvas.fonts
        metrics = fonts.small_metrics
        painter.setFont(fonts.small)
        painter.setPen(paint.MUTED)
        for hour in range(geometry.first_hour, geometry.last_hour + 1):
            y = (hour - geometry.first_hour) * geometry.hour_height + offset
            if y < -metrics.height() or y > self.height() + metrics.height():
                continue
            # Labels sit centred on their line, except the first, which would be cut in half.
            top = max(y - metrics.height() / 2, y if hour == geometry.first_hour else -99)
            painter.drawText(
                QRectF(0, top, self.width() - 10, metrics.height()),
                Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter,
                f"{hour:02d}:00",
            )
            painter.fillRect(QRectF(self.width() - 6, y, 6, 1), paint.HOUR_LINE)
        self._paint_now(painter, offset)
        painter.fillRect(QRectF(self.width() - 1, 0, 1, self.height()), paint.BORDER)
        painter.end()

    def _paint_now(self, painter: QPainter, offset: int) -> None:
        canvas = self._view._canvas
        now = canvas.now
        if now is None or not any(column.day == now.date() for column in canvas.columns):
            return
        y = canvas.geometry_.y_for(now.date(), now)
        if not 0 <= y <= canvas.geometry_.height:
            return
        y += offset
        fonts = canvas.fonts
        height = fonts.chip_metrics.height() + 4
        pill = QRectF(4, y - height / 2, self.width() - 10, height)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        painter.setPen(Qt.PenStyle.NoPen)
        painter.setBrush(paint.NOW_RED)
        painter.drawRoundedRect(pill, height / 2, height / 2)
        painter.setFont(fonts.chip)
        painter.setPen(paint.WHITE)
        painter.drawText(pill, Qt.AlignmentFlag.AlignCenter, paint.clock(now))

    def wheelEvent(self, event: QWheelEvent) -> None:
        QApplication.sendEvent(self._view.vertical_bar(), event)


class _Corner(QWidget):
    def __init__(self) -> None:
        super().__init__()
        self.setFixedSize(GUTTER_WIDTH, HEADER_HEIGHT)

    def paintEvent(self, event: QPaintEvent) -> None:
        painter = QPainter(self)
        painter.fillRect(self.rect(), paint.WHITE)
        painter.fillRect(QRectF(0, self.height() - 1, self.width(), 1), paint.BORDER)
        painter.fillRect(QRectF(self.width() - 1, 0, 1, self.height()), paint.BORDER)
        painter.end()
