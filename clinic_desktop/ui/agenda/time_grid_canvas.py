"""The scrolled body of the agenda's time grid: one widget that lays out and paints every
column, closure and appointment itself (a child widget per appointment would make a busy week
slow to build) and turns mouse gestures into requests: click or drag on free time to create,
drag a block to move it, drag its bottom edge to resize, double-click to open, right-click for
a menu. It never changes an appointment; the page decides and calls set_data again."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import datetime, timedelta

from PySide6.QtCore import QEvent, QPoint, QPointF, QRectF, Qt, Signal
from PySide6.QtGui import (
    QContextMenuEvent,
    QHelpEvent,
    QKeyEvent,
    QMouseEvent,
    QPainter,
    QPaintEvent,
    QResizeEvent,
)
from PySide6.QtWidgets import QApplication, QToolTip, QWidget

from clinic_desktop.ui.agenda import time_grid_paint as paint
from clinic_desktop.ui.agenda.grid_model import (
    GridBlock,
    GridColumn,
    GridGeometry,
    GridShade,
)
from clinic_desktop.ui.agenda.time_grid_blocks import PreparedBlock, paint_block, prepare_block
from clinic_desktop.ui.agenda.time_grid_body import paint_background, paint_now_line
from clinic_desktop.ui.agenda.time_grid_drag import (
    ConflictMemo,
    Ghost,
    Placed,
    Press,
    make_ghost,
)
from clinic_desktop.ui.agenda.time_grid_layout import GridLayout

RESIZE_ZONE = 5  # px at a block's bottom edge that resize instead of move


class GridCanvas(QWidget):
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
        self.setObjectName("TimeGridCanvas")
        self.setMouseTracking(True)
        self.setFocusPolicy(Qt.FocusPolicy.ClickFocus)
        self.setAttribute(Qt.WidgetAttribute.WA_OpaquePaintEvent)
        self.grid = GridLayout()
        self.now: datetime | None = None
        self.default_minutes = 30
        self.conflicts = ConflictMemo()
        self.autoscroll: Callable[[QPoint], None] | None = None
        self.fonts = paint.GridFonts(self.font())
        self._prepared_cache: dict[
            tuple[GridBlock, float, float, float, float, float], PreparedBlock
        ] = {}
        self._selected: str | None = None
        self._press: Press | None = None
        self._ghost: Ghost | None = None
        self.setFixedHeight(self.geometry_.height + 1)

    # -- data ---------------------------------------------------------------------------------

    @property
    def columns(self) -> list[GridColumn]:
        return self.grid.columns

    @property
    def edges(self) -> list[int]:
        return self.grid.edges

    @property
    def geometry_(self) -> GridGeometry:
        return self.grid.geometry

    def set_geometry(self, geometry: GridGeometry) -> None:
        self.grid.set_geometry(geometry)
        self.setFixedHeight(geometry.height + 1)
        self.update()

    def set_data(
        self,
        columns: Sequence[GridColumn],
        blocks: Sequence[GridBlock],
        shades: Sequence[GridShade],
    ) -> None:
        old_columns = self.grid.columns
        self.conflicts.forget()
        self.grid.set_data(columns, blocks, shades)
        self._keep_drag(old_columns)
        if self._selected is not None and self._selected not in self.grid.by_key:
            self.set_selected(None)
        self.update()

    def _keep_drag(self, old_columns: Sequence[GridColumn]) -> None:
        # A refresh (another PC booked something) must not drop the user's drag unless what
        # is dragged, or the column a new one is drawn in, is gone.
        press = self._press
        if press is None:
            return
        column_key = old_columns[press.column].key if press.column < len(old_columns) else ""
        if column_key not in self.grid.column_index or (
            press.key is not None and press.key not in self.grid.by_key
        ):
            self._cancel_drag()
            return
        press.column = self.grid.column_index[column_key]
        self._ghost = None  # recomputed, with a fresh conflict answer, on the next move

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.FontChange:
            self.fonts = paint.GridFonts(self.font())
            self._prepared_cache.clear()
            self.update()
        super().changeEvent(event)

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        self.grid.relayout(self.width())
        self.update()

    # -- selection ------------------------------------------------------------------------------

    def selected(self) -> str | None:
        return self._selected

    def set_selected(self, key: str | None) -> None:
        if key is not None and key not in self.grid.by_key:
            key = None
        if key != self._selected:
            self._selected = key
            self.update()
            self.selection_changed.emit(key)

    def _in_resize_zone(self, placed: Placed, pos: QPointF) -> bool:
        rect = placed.rect
        return (
            rect is not None
            and placed.block.resizable
            and rect.height() >= 2 * RESIZE_ZONE
            and pos.y() >= rect.bottom() - RESIZE_ZONE
        )

    # -- mouse ----------------------------------------------------------------------------------

    def mousePressEvent(self, event: QMouseEvent) -> None:
        pos = event.position()
        placed = self.grid.block_at(pos)
        column = self.grid.column_index_at(pos.x())
        if event.button() == Qt.MouseButton.RightButton:
            self._cancel_drag()
            global_pos = event.globalPosition().toPoint()
            if placed is not None:
                self.set_selected(placed.block.key)
                self.block_context_requested.emit(placed.block.key, global_pos)
            elif column is not None:
                self.set_selected(None)
                moment = self.geometry_.moment_at(self.columns[column].day, pos.y(), "floor")
                self.empty_context_requested.emit(self.columns[column].key, moment, global_pos)
            event.accept()
            return
        if event.button() != Qt.MouseButton.LeftButton:
            super().mousePressEvent(event)
            return
        point = pos.toPoint()
        if placed is not None:
            block = placed.block
            self.set_selected(block.key)
            if self._in_resize_zone(placed, pos):
                mode = "resize"
            else:
                mode = "move" if block.movable else "select"
            self._press = Press(mode, point, placed.column, key=block.key)
        elif column is not None:
            self.set_selected(None)
            anchor = self.geometry_.moment_at(self.columns[column].day, pos.y(), "floor")
            self._press = Press("create", point, column, anchor=anchor)
        event.accept()

    def mouseMoveEvent(self, event: QMouseEvent) -> None:
        # The press is remembered here rather than read from event.buttons(), so a drag also
        # works from synthetic events (automation, tests) that do not carry the held button.
        pos = event.position()
        press = self._press
        if press is None or press.mode == "select":
            self._update_cursor(pos)
            return
        if not press.dragging:
            distance = (pos.toPoint() - press.pos).manhattanLength()
            if distance < QApplication.startDragDistance():
                return
            press.dragging = True
        old = self._ghost
        self._ghost = make_ghost(
            press,
            pos,
            self.grid.by_key.get(press.key or ""),
            columns=self.columns,
            edges=self.edges,
            geometry=self.geometry_,
            target_column=self.grid.column_index_at(pos.x(), clamp=True) or 0,
            conflicts=self.conflicts,
        )
        if press.mode == "move":
            self.setCursor(Qt.CursorShape.ClosedHandCursor)
        # Only the ghost's old and new places (and, as the drag starts, the lifted original)
        # are repainted: a full repaint per mouse move would make dragging lag in a busy week.
        dirty = [self._ghost.rect] + ([old.rect] if old else [])
        lifted = self.grid.by_key.get(press.key or "")
        if old is None and lifted is not None and lifted.rect is not None:
            dirty.append(lifted.rect)
        for rect in dirty:
            self.update(rect.toAlignedRect().adjusted(-4, -4, 4, 4))
        if self.autoscroll is not None:
            self.autoscroll(pos.toPoint())

    def mouseReleaseEvent(self, event: QMouseEvent) -> None:
        press, ghost = self._press, self._ghost
        if event.button() != Qt.MouseButton.LeftButton or press is None:
            super().mouseReleaseEvent(event)
            return
        self._press, self._ghost = None, None
        self.update()
        self._update_cursor(event.position())
        if press.dragging and ghost is not None:
            self._finish_drag(press, ghost)
        elif not press.dragging and press.mode == "create" and press.anchor is not None:
            end = press.anchor + timedelta(minutes=self.default_minutes)
            self.create_requested.emit(self.columns[press.column].key, press.anchor, end)
        event.accept()

    def _finish_drag(self, press: Press, ghost: Ghost) -> None:
        if ghost.error:
            self.drop_refused.emit(ghost.error)
            return
        column_key = self.columns[ghost.column].key
        if press.mode == "create":
            self.create_requested.emit(column_key, ghost.start, ghost.end)
            return
        placed = self.grid.by_key.get(press.key or "")
        if placed is None:
            return
        block = placed.block
        if press.mode == "move" and (column_key, ghost.start) != (block.column, block.start):
            self.move_requested.emit(block.key, column_key, ghost.start, ghost.end)
        elif press.mode == "resize" and ghost.end != block.end:
            self.resize_requested.emit(block.key, ghost.end)

    def mouseDoubleClickEvent(self, event: QMouseEvent) -> None:
        # Not passed on: QWidget would turn the double-click into a second press.
        placed = self.grid.block_at(event.position())
        if event.button() == Qt.MouseButton.LeftButton and placed is not None:
            self._cancel_drag()
            self.block_activated.emit(placed.block.key)
        event.accept()

    def contextMenuEvent(self, event: QContextMenuEvent) -> None:
        # A right press was already handled in mousePressEvent; the menu key is the page's.
        event.accept()

    def keyPressEvent(self, event: QKeyEvent) -> None:
        if event.key() == Qt.Key.Key_Escape and self._press is not None:
            self._cancel_drag()
            event.accept()
            return
        event.ignore()  # every other key belongs to the page

    def leaveEvent(self, event: QEvent) -> None:
        if self._press is None:
            self.unsetCursor()
        super().leaveEvent(event)

    def event(self, event: QEvent) -> bool:
        if event.type() == QEvent.Type.ToolTip and isinstance(event, QHelpEvent):
            text = self._tooltip_at(QPointF(event.pos()))
            if text:
                QToolTip.showText(event.globalPos(), text, self)
            else:
                QToolTip.hideText()
                event.ignore()
            return True
        return super().event(event)

    def _tooltip_at(self, pos: QPointF) -> str:
        if self._press is not None:
            return ""
        placed = self.grid.block_at(pos)
        if placed is None:
            return self.grid.overflow.tooltip_at(pos, self.edges, self.geometry_)
        block = placed.block
        if block.tooltip:
            return block.tooltip
        lines = [block.title, paint.time_range(block.start, block.end)]
        lines += [text for text in (block.detail, block.status_label) if text]
        return "\n".join(lines)

    def _cancel_drag(self) -> None:
        if self._press is not None or self._ghost is not None:
            self._press, self._ghost = None, None
            self.unsetCursor()
            self.update()

    def _update_cursor(self, pos: QPointF) -> None:
        placed = self.grid.block_at(pos)
        if placed is not None and self._in_resize_zone(placed, pos):
            shape = Qt.CursorShape.SizeVerCursor
        elif placed is not None and placed.block.movable:
            shape = Qt.CursorShape.OpenHandCursor
        else:
            shape = Qt.CursorShape.ArrowCursor
        if self.cursor().shape() != shape:
            self.setCursor(shape)

    # -- painting -------------------------------------------------------------------------------

    def paintEvent(self, event: QPaintEvent) -> None:
        painter = QPainter(self)
        area = QRectF(event.rect())
        painter.fillRect(area, paint.CLOSED_WORK)
        paint_background(
            painter, area, self.columns, self.grid.shades, self.edges, self.geometry_, self.fonts
        )
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        painter.setRenderHint(QPainter.RenderHint.TextAntialiasing)
        ratio = self.devicePixelRatioF()
        lifted_key = self._press.key if self._ghost is not None and self._press else None
        for placed in self.grid.placed:
            rect = placed.rect
            if rect is None or not rect.intersects(area):
                continue
            key = placed.block.key
            paint_block(
                painter,
                self._prepared(placed, rect, ratio),
                selected=key == self._selected,
                lifted=key == lifted_key,
            )
        self.grid.overflow.paint(painter, self.edges, self.geometry_, self.fonts)
        if self._ghost is not None:
            ghost = self._ghost
            paint.paint_ghost(
                painter, ghost.rect, ghost.colour, ghost.caption, ghost.error, self.fonts
            )
        paint_now_line(painter, self.now, self.columns, self.edges, self.geometry_)
        painter.end()

    def _prepared(self, placed: Placed, rect: QRectF, ratio: float) -> PreparedBlock:
        # Keyed by the block's content and place, so a refresh that hands back equal blocks
        # (the usual case after another PC's change) reuses the elided text and colours.
        key = (placed.block, rect.x(), rect.y(), rect.width(), rect.height(), ratio)
        prepared = self._prepared_cache.get(key)
        if prepared is None:
            if len(self._prepared_cache) > 4 * max(len(self.grid.placed), 256):
                self._prepared_cache.clear()
            prepared = prepare_block(placed.block, rect, self.fonts, ratio)
            self._prepared_cache[key] = prepared
        return prepared
