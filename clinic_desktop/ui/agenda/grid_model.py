"""What the agenda's time grid draws and the arithmetic behind it, kept free of Qt and of the
database so the agenda page can build it from service DTOs and tests can check it directly:
the plain frozen column/appointment/shade records (naive *local* datetimes; the page converts
from UTC to the clinic's zone first), the mapping between a time of day and a y coordinate,
snapping to the slot step, and the side-by-side lanes for appointments that overlap."""

from __future__ import annotations

import math
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import Literal

SnapMode = Literal["floor", "round", "ceil"]

STATUSES = (
    "scheduled",
    "confirmed",
    "arrived",
    "in_consultation",
    "completed",
    "cancelled",
    "no_show",
)


@dataclass(frozen=True)
class GridColumn:
    key: str  # practitioner id, room id, or an ISO date in week view
    title: str  # e.g. "Dra. Paula Vera" or "Lun 23"
    day: date  # the calendar date this column shows
    subtitle: str = ""  # e.g. specialty
    colour: str | None = None  # hex, a small stripe in the header


@dataclass(frozen=True)
class GridBlock:
    """One appointment."""

    key: str  # appointment id
    column: str  # GridColumn.key
    start: datetime
    end: datetime
    title: str  # patient name
    detail: str = ""  # type · reason
    colour: str = "#0F766E"  # by appointment type
    status: str = "scheduled"  # one of STATUSES
    status_label: str = ""  # translated status text
    movable: bool = True
    resizable: bool = True
    tooltip: str = ""


@dataclass(frozen=True)
class GridShade:
    """A time range painted behind appointments: "open" is working hours (white), "closed" a
    closure or holiday (hatched, its label drawn at the top of the column)."""

    column: str
    start: datetime
    end: datetime
    kind: str
    label: str = ""


def day_start(day: date) -> datetime:
    return datetime.combine(day, time())


def minutes_into_day(day: date, moment: datetime) -> float:
    """Minutes from `day`'s midnight; negative or past 1440 when `moment` is another day, which
    is what lets a block that crosses midnight be clipped instead of wrapped."""
    return (moment - day_start(day)).total_seconds() / 60


def snap_minutes(minutes: float, slot_minutes: int, mode: SnapMode = "round") -> int:
    steps = minutes / slot_minutes
    # A tiny tolerance so 9:59:59.999 from float y arithmetic still floors to 10:00's slot.
    if mode == "floor":
        whole = math.floor(steps + 1e-6)
    elif mode == "ceil":
        whole = math.ceil(steps - 1e-6)
    else:
        whole = math.floor(steps + 0.5)
    return int(whole * slot_minutes)


def snap_moment(moment: datetime, slot_minutes: int, mode: SnapMode = "round") -> datetime:
    """`moment` on the slot grid of its own day (slots count from midnight, so 15-minute slots
    fall on :00, :15, :30 and :45 whatever hours the grid shows)."""
    minutes = minutes_into_day(moment.date(), moment)
    return day_start(moment.date()) + timedelta(minutes=snap_minutes(minutes, slot_minutes, mode))


@dataclass(frozen=True)
class GridGeometry:
    """The vertical scale: which hours are shown, how tall an hour is and the snap step.
    y is measured in pixels from the top of `first_hour`."""

    first_hour: int = 7
    last_hour: int = 21
    slot_minutes: int = 15
    hour_height: int = 64

    def __post_init__(self) -> None:
        if not 0 <= self.first_hour < self.last_hour <= 24:
            raise ValueError(f"bad hour range {self.first_hour}..{self.last_hour}")
        # Slots count from midnight, so any length works; 5..60 dividing the hour is usual.
        if not 0 < self.slot_minutes <= 240:
            raise ValueError(f"slot_minutes must be 1..240, not {self.slot_minutes}")
        if self.hour_height < 8:
            raise ValueError("hour_height is too small to draw")

    @property
    def height(self) -> int:
        return (self.last_hour - self.first_hour) * self.hour_height

    @property
    def slot_height(self) -> float:
        return self.hour_height * self.slot_minutes / 60

    def minutes_to_y(self, minutes: float) -> float:
        return (minutes - self.first_hour * 60) * self.hour_height / 60

    def y_to_minutes(self, y: float) -> float:
        return self.first_hour * 60 + y * 60 / self.hour_height

    def y_for(self, day: date, moment: datetime) -> float:
        """Where `moment` falls in a column showing `day` (may lie outside 0..height)."""
        return self.minutes_to_y(minutes_into_day(day, moment))

    def y_for_time(self, clock: time) -> float:
        return self.minutes_to_y(clock.hour * 60 + clock.minute + clock.second / 60)

    def moment_at(self, day: date, y: float, mode: SnapMode | None = None) -> datetime:
        """The time at `y` in a column showing `day`, snapped to a slot unless `mode` is None."""
        minutes = self.y_to_minutes(y)
        if mode is not None:
            return day_start(day) + timedelta(
                minutes=snap_minutes(minutes, self.slot_minutes, mode)
            )
        return day_start(day) + timedelta(minutes=minutes)

    def snap(self, moment: datetime, mode: SnapMode = "round") -> datetime:
        return snap_moment(moment, self.slot_minutes, mode)

    def visible_bounds(self, day: date) -> tuple[datetime, datetime]:
        return (
            day_start(day) + timedelta(hours=self.first_hour),
            day_start(day) + timedelta(hours=self.last_hour),
        )

    def clamp_range(self, day: date, start: datetime, end: datetime) -> tuple[datetime, datetime]:
        """Shifts [start, end) so it stays within the shown hours of `day`, keeping its length
        (a drag past the bottom edge should stop there, not leave the visible grid)."""
        low, high = self.visible_bounds(day)
        length = end - start
        if end > high:
            start, end = high - length, high
        if start < low:
            start, end = low, low + length
        return start, end


def assign_lanes(items: Iterable[tuple[str, datetime, datetime]]) -> dict[str, tuple[int, int]]:
    """Side-by-side placement for overlapping intervals of one column: key -> (lane, lanes).
    Intervals that overlap each other, directly or through a chain, form a cluster sharing one
    lane count, so widths line up; a block that touches another end-to-start is no overlap."""
    ordered = sorted(items, key=lambda item: (item[1], item[1] - item[2], item[0]))
    result: dict[str, tuple[int, int]] = {}
    cluster: list[tuple[str, int]] = []
    lane_ends: list[datetime] = []
    cluster_end: datetime | None = None

    def close_cluster() -> None:
        for key, lane in cluster:
            result[key] = (lane, len(lane_ends))

    for key, start, end in ordered:
        end = max(end, start)
        if cluster_end is not None and start >= cluster_end:
            close_cluster()
            cluster, lane_ends, cluster_end = [], [], None
        for lane, lane_end in enumerate(lane_ends):
            if lane_end <= start:
                lane_ends[lane] = end
                break
        else:
            lane = len(lane_ends)
            lane_ends.append(end)
        cluster.append((key, lane))
        cluster_end = end if cluster_end is None else max(cluster_end, end)
    close_cluster()
    return result
