"""The arithmetic of a drag on the agenda's time grid, apart from the widget: where a moved,
resized or new appointment would land (snapped to the slot step, kept within the shown hours,
a moved one keeping its length), the rectangle its ghost is drawn in, and a memo of the page's
conflict answer so the checker is asked once per distinct position rather than per pixel."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta

from PySide6.QtCore import QPoint, QPointF, QRectF

from clinic_desktop.ui import style
from clinic_desktop.ui.agenda.grid_model import (
    GridBlock,
    GridColumn,
    GridGeometry,
    day_start,
    minutes_into_day,
    snap_minutes,
)
from clinic_desktop.ui.agenda.time_grid_paint import time_range

ConflictChecker = Callable[[str | None, str, datetime, datetime], str | None]

RIGHT_GAP = 10  # px kept free at a column's right so a full column still takes clicks
MIN_BLOCK_HEIGHT = 15


@dataclass
class Placed:
    """A block with where it is drawn."""

    block: GridBlock
    column: int
    lane: int = 0
    lanes: int = 1
    top: float = 0.0  # y of start and end, unclipped
    bottom: float = 0.0
    rect: QRectF | None = None  # None when wholly outside the shown hours


@dataclass
class Press:
    mode: str  # "move" | "resize" | "create" | "select" (a block that may not be dragged)
    pos: QPoint
    column: int
    key: str | None = None
    anchor: datetime | None = None  # create: the slot pressed on
    dragging: bool = False


@dataclass
class Ghost:
    column: int
    start: datetime
    end: datetime
    rect: QRectF
    colour: str
    caption: str
    error: str | None


class ConflictMemo:
    def __init__(self) -> None:
        self.checker: ConflictChecker | None = None
        self._last: tuple[tuple[str | None, str, datetime, datetime], str | None] | None = None

    def check(self, key: str | None, column: str, start: datetime, end: datetime) -> str | None:
        if self.checker is None:
            return None
        query = (key, column, start, end)
        if self._last is not None and self._last[0] == query:
            return self._last[1]
        error = self.checker(key, column, start, end) or None  # "" means no conflict too
        self._last = (query, error)
        return error

    def forget(self) -> None:
        self._last = None  # the data changed, so may the answer


def make_ghost(
    press: Press,
    pos: QPointF,
    placed: Placed | None,
    *,
    columns: Sequence[GridColumn],
    edges: Sequence[int],
    geometry: GridGeometry,
    target_column: int,
    conflicts: ConflictMemo,
) -> Ghost:
    """Where the gesture in progress would put its appointment; `target_column` is the column
    under the pointer (only a move may change column)."""
    slot = timedelta(minutes=geometry.slot_minutes)
    if press.mode == "create" or placed is None:
        column = press.column
        day = columns[column].day
        here = geometry.moment_at(day, pos.y(), "floor")
        anchor = press.anchor or here
        start, end = min(anchor, here), max(anchor, here) + slot
        low, high = geometry.visible_bounds(day)
        start, end = max(start, low), min(end, high)
        key, colour, title = None, style.ACCENT, ""
    else:
        block = placed.block
        key, colour, title = block.key, block.colour, block.title
        if press.mode == "resize":
            column, day = placed.column, columns[placed.column].day
            end = geometry.moment_at(day, pos.y(), "round")
            end = min(max(end, block.start + slot), geometry.visible_bounds(day)[1])
            start = block.start
        else:
            # The time of day moves with the pointer; the day is the target column's, so a
            # block dragged across a week view lands on that day at the matching time.
            column = target_column
            day = columns[column].day
            moved = geometry.y_to_minutes(pos.y()) - geometry.y_to_minutes(press.pos.y())
            minutes = minutes_into_day(columns[placed.column].day, block.start) + moved
            start = day_start(day) + timedelta(minutes=snap_minutes(minutes, geometry.slot_minutes))
            start, end = geometry.clamp_range(day, start, start + (block.end - block.start))
    caption = time_range(start, end) + (f" · {title}" if title else "")
    error = conflicts.check(key, columns[column].key, start, end)
    rect = ghost_rect(column, start, end, placed if press.mode == "resize" else None,
                      columns=columns, edges=edges, geometry=geometry)  # fmt: skip
    return Ghost(column, start, end, rect, colour, caption, error)


def ghost_rect(
    column: int,
    start: datetime,
    end: datetime,
    resized: Placed | None,
    *,
    columns: Sequence[GridColumn],
    edges: Sequence[int],
    geometry: GridGeometry,
) -> QRectF:
    """A resized block keeps its lane; anything else is drawn across the whole column."""
    day = columns[column].day
    top = max(geometry.y_for(day, start), 0.0)
    bottom = max(geometry.y_for(day, end), top + MIN_BLOCK_HEIGHT)
    if resized is not None and resized.rect is not None:
        return QRectF(resized.rect.left(), top + 1, resized.rect.width(), bottom - top - 2)
    left, right = edges[column], edges[column + 1]
    return QRectF(left + 2, top + 1, right - left - 2 - RIGHT_GAP, bottom - top - 2)
