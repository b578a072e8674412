"""Where everything on the agenda's time grid body goes: the columns' x edges (equal widths
filling the canvas), each appointment's rectangle (its times on the vertical scale, side by
side with the appointments it overlaps), the shades per column and the count of appointments
outside the shown hours. Recomputed when the data, the hours or the width change; the canvas
paints from it and hit-tests the mouse against it."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime, timedelta

from PySide6.QtCore import QPoint, QPointF, QRect, QRectF

from clinic_desktop.ui.agenda.grid_model import (
    GridBlock,
    GridColumn,
    GridGeometry,
    GridShade,
    assign_lanes,
)
from clinic_desktop.ui.agenda.time_grid_drag import MIN_BLOCK_HEIGHT, RIGHT_GAP, Placed
from clinic_desktop.ui.agenda.time_grid_overflow import OverflowMarks


class GridLayout:
    def __init__(self) -> None:
        self.geometry = GridGeometry()
        self.columns: list[GridColumn] = []
        self.edges: list[int] = [0]
        self.placed: list[Placed] = []  # in paint order; the last one is on top
        self.by_key: dict[str, Placed] = {}
        self.column_index: dict[str, int] = {}
        self.shades: list[list[GridShade]] = []
        self.overflow = OverflowMarks()
        self._width = 0

    def set_geometry(self, geometry: GridGeometry) -> None:
        self.geometry = geometry
        self._place_vertically()
        self.relayout(self._width)

    def set_data(
        self,
        columns: Sequence[GridColumn],
        blocks: Sequence[GridBlock],
        shades: Sequence[GridShade],
    ) -> None:
        """Blocks and shades of columns not given are dropped."""
        self.columns = list(columns)
        self.column_index = {column.key: i for i, column in enumerate(self.columns)}
        self.placed = [
            Placed(block, self.column_index[block.column])
            for block in blocks
            if block.column in self.column_index
        ]
        self.by_key = {placed.block.key: placed for placed in self.placed}
        self.shades = [[] for _ in self.columns]
        for shade in shades:
            index = self.column_index.get(shade.column)
            if index is not None:
                self.shades[index].append(shade)
        self._place_vertically()
        self.relayout(self._width)

    def _place_vertically(self) -> None:
        """Vertical placement and lanes, which depend on times and hours but not on width."""
        geometry = self.geometry
        # Short blocks are drawn taller than their time, so lanes use the drawn length.
        shortest = timedelta(minutes=MIN_BLOCK_HEIGHT * 60 / geometry.hour_height)
        per_column: list[list[tuple[str, datetime, datetime]]] = [[] for _ in self.columns]
        days = [column.day for column in self.columns]
        for placed in self.placed:
            block = placed.block
            day = days[placed.column]
            placed.top = geometry.y_for(day, block.start)
            placed.bottom = geometry.y_for(day, block.end)
            per_column[placed.column].append(
                (block.key, block.start, max(block.end, block.start + shortest))
            )
        for items in per_column:
            for key, (lane, lanes) in assign_lanes(items).items():
                self.by_key[key].lane, self.by_key[key].lanes = lane, lanes

    def relayout(self, width: int) -> None:
        self._width = width
        count = max(1, len(self.columns))
        self.edges = [round(i * width / count) for i in range(count + 1)]
        edges = self.edges
        height = float(self.geometry.height)
        self.overflow.clear(len(self.columns))
        for placed in self.placed:
            top, bottom = placed.top, placed.bottom
            if bottom <= 0 or top >= height:
                placed.rect = None
                self.overflow.count(placed.column, above=bottom <= 0)
                continue
            top, bottom = max(top, 0.0), min(bottom, height)
            if bottom - top < MIN_BLOCK_HEIGHT:
                bottom = top + MIN_BLOCK_HEIGHT
                if bottom > height:
                    top, bottom = height - MIN_BLOCK_HEIGHT, height
            left = edges[placed.column]
            lane_width = (edges[placed.column + 1] - left - 2 - RIGHT_GAP) / placed.lanes
            # Whole pixels keep the cards' edges crisp.
            x = round(left + 2 + placed.lane * lane_width)
            right = round(left + 2 + (placed.lane + 1) * lane_width) - 1
            placed.rect = QRectF(x, round(top) + 1, right - x, round(bottom) - round(top) - 2)

    # -- queries --------------------------------------------------------------------------------

    def column_index_at(self, x: float, *, clamp: bool = False) -> int | None:
        if not self.columns:
            return None
        if clamp:
            x = min(max(x, 0.0), self.edges[-1] - 1)
        for index in range(len(self.columns)):
            if self.edges[index] <= x < self.edges[index + 1]:
                return index
        return None

    def block_at(self, pos: QPointF) -> Placed | None:
        for placed in reversed(self.placed):
            if placed.rect is not None and placed.rect.contains(pos):
                return placed
        return None

    def block_rect(self, key: str) -> QRect:
        placed = self.by_key.get(key)
        return placed.rect.toRect() if placed and placed.rect else QRect()

    def point_for(self, column_key: str, moment: datetime) -> QPoint:
        index = self.column_index[column_key]
        x = (self.edges[index] + self.edges[index + 1]) / 2
        return QPoint(round(x), round(self.geometry.y_for(self.columns[index].day, moment)))

    def closed_label(self, index: int) -> str:
        """The first closure label of a column, for the header (the body may be scrolled)."""
        for shade in self.shades[index] if 0 <= index < len(self.shades) else []:
            if shade.kind == "closed" and shade.label:
                return shade.label
        return ""
