"""The agenda's time grid driven with the mouse as a user would: dragging a block to another
time and column, a drop the conflict checker refuses, resizing by the bottom edge, creating by
click and by drag, opening and context menus, blocks that may not move; plus its geometry
(time <-> y, snapping, lanes for overlaps) and a few painted pixels that must be there."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from typing import Any

import pytest
from PySide6.QtCore import QEvent, QPoint, QPointF, Qt
from PySide6.QtGui import QColor, QKeyEvent, QMouseEvent
from PySide6.QtWidgets import QApplication, QWidget
from pytestqt.qtbot import QtBot

from clinic_desktop.ui.agenda.grid_model import (
    GridBlock,
    GridColumn,
    GridGeometry,
    GridShade,
    assign_lanes,
    snap_minutes,
    snap_moment,
)
from clinic_desktop.ui.agenda.time_grid import TimeGridView
from clinic_desktop.ui.agenda.time_grid_paint import CLOSED_WORK, NOW_RED, OPEN_WORK

DAY = date(2026, 2, 16)


def at(hour: int, minute: int = 0, day: date = DAY) -> datetime:
    return datetime.combine(day, time(hour, minute))


COLUMNS = [
    GridColumn("p1", "Dra. Paula Vera", DAY, "Odontología", "#0F766E"),
    GridColumn("p2", "Dr. Marco Salas", DAY, "Ortodoncia", "#2563EB"),
    GridColumn("p3", "Dra. Lucía Andrade", DAY),
]
BLOCKS = [
    GridBlock("a", "p1", at(9), at(9, 30), "Ana Torres", "Consulta", status_label="Agendada"),
    GridBlock("b", "p2", at(10), at(10, 45), "Luis Benítez", colour="#A7F3D0"),
    GridBlock("fixed", "p1", at(11), at(12), "Rosa Chávez", movable=False, resizable=False),
]
SHADES = [GridShade(column.key, at(8), at(13), "open") for column in COLUMNS]


class Recorder:
    """Every signal the grid emits, in order, as (name, args)."""

    NAMES = (
        "create_requested",
        "move_requested",
        "resize_requested",
        "block_activated",
        "block_context_requested",
        "empty_context_requested",
        "drop_refused",
        "selection_changed",
    )

    def __init__(self, grid: TimeGridView) -> None:
        self.calls: list[tuple[str, tuple[Any, ...]]] = []
        for name in self.NAMES:
            getattr(grid, name).connect(lambda *args, n=name: self.calls.append((n, args)))

    def of(self, name: str) -> list[tuple[Any, ...]]:
        return [args for called, args in self.calls if called == name]

    def requests(self) -> list[str]:
        """What was asked of the page, selection changes left out."""
        return [name for name, _args in self.calls if name != "selection_changed"]


@pytest.fixture
def grid(qtbot: QtBot) -> TimeGridView:
    view = TimeGridView()
    qtbot.addWidget(view)
    view.resize(1000, 700)
    view.set_range(7, 21, 15)
    view.set_data(COLUMNS, BLOCKS, SHADES)
    view.show()
    qtbot.waitExposed(view)
    return view


@pytest.fixture
def recorder(grid: TimeGridView) -> Recorder:
    return Recorder(grid)


def send(canvas: QWidget, kind: QEvent.Type, pos: QPoint, buttons: Qt.MouseButton) -> None:
    """A mouse event with the held buttons set, which QTest's mouseMove does not do."""
    button = Qt.MouseButton.NoButton if kind == QEvent.Type.MouseMove else Qt.MouseButton.LeftButton
    event = QMouseEvent(
        kind,
        QPointF(pos),
        QPointF(canvas.mapToGlobal(pos)),
        button,
        buttons,
        Qt.KeyboardModifier.NoModifier,
    )
    QApplication.sendEvent(canvas, event)


def drag(grid: TimeGridView, start: QPoint, end: QPoint, *, release: bool = True) -> None:
    canvas = grid.canvas()
    held = Qt.MouseButton.LeftButton
    send(canvas, QEvent.Type.MouseButtonPress, start, held)
    middle = (start + end) / 2
    send(canvas, QEvent.Type.MouseMove, QPoint(round(middle.x()), round(middle.y())), held)
    send(canvas, QEvent.Type.MouseMove, end, held)
    if release:
        send(canvas, QEvent.Type.MouseButtonRelease, end, Qt.MouseButton.NoButton)


def moved_point(
    grid: TimeGridView, grab: QPoint, column: str, old: datetime, new: datetime
) -> QPoint:
    """Where to release a block grabbed at `grab` so its start goes from `old` to `new` in
    `column` (the grab keeps its offset inside the block)."""
    dy = grid.point_for("p1", new).y() - grid.point_for("p1", old).y()
    return QPoint(grid.point_for(column, new).x(), grab.y() + dy)


# -- moving ------------------------------------------------------------------------------------


def test_dragging_a_block_to_another_column_and_time_asks_to_move_it(
    grid: TimeGridView, recorder: Recorder
) -> None:
    grab = grid.block_rect("a").center()
    # 6 px past 10:30 is less than half a 16 px slot, so the start snaps back to 10:30.
    target = moved_point(grid, grab, "p3", at(9), at(10, 30)) + QPoint(0, 6)
    drag(grid, grab, target)
    assert recorder.of("move_requested") == [("a", "p3", at(10, 30), at(11))]
    assert recorder.requests() == ["move_requested"]


def test_a_move_snaps_to_the_nearest_slot_and_keeps_the_length(
    grid: TimeGridView, recorder: Recorder
) -> None:
    grab = grid.block_rect("b").center()
    # 10 px past 12:00 is more than half a slot: 12:15.
    target = moved_point(grid, grab, "p2", at(10), at(12)) + QPoint(0, 10)
    drag(grid, grab, target)
    assert recorder.of("move_requested") == [("b", "p2", at(12, 15), at(13))]


def test_a_block_moved_across_a_week_view_lands_on_the_target_day(qtbot: QtBot) -> None:
    days = [DAY + timedelta(days=n) for n in range(3)]
    view = TimeGridView()
    qtbot.addWidget(view)
    view.resize(900, 600)
    columns = [GridColumn(day.isoformat(), day.strftime("%a %d"), day) for day in days]
    view.set_data(columns, [GridBlock("w", days[0].isoformat(), at(9), at(10), "Ana")], [])
    view.show()
    qtbot.waitExposed(view)
    recorder = Recorder(view)
    grab = view.block_rect("w").center()
    target = QPoint(view.point_for(days[2].isoformat(), at(9, day=days[2])).x(), grab.y() + 32)
    drag(view, grab, target)
    late = days[2]
    assert recorder.of("move_requested") == [
        ("w", late.isoformat(), at(9, 30, day=late), at(10, 30, day=late))
    ]


def test_dropping_on_a_conflict_is_refused_with_the_checkers_message(
    grid: TimeGridView, recorder: Recorder
) -> None:
    asked: list[tuple[str | None, str, datetime, datetime]] = []

    def checker(key: str | None, column: str, start: datetime, end: datetime) -> str | None:
        asked.append((key, column, start, end))
        return (
            "Overlaps Luis Benítez 10:00–10:45" if column == "p2" and start < at(10, 45) else None
        )

    grid.set_conflict_checker(checker)
    grab = grid.block_rect("a").center()
    target = moved_point(grid, grab, "p2", at(9), at(10, 15))
    drag(grid, grab, target, release=False)
    assert ("a", "p2", at(10, 15), at(10, 45)) in asked
    # While the pointer is there the ghost is painted red, not in the block's colour.
    ghost_pixel = (
        grid.canvas().grab().toImage().pixelColor(grid.point_for("p2", at(10, 40)) + QPoint(60, 0))
    )
    assert ghost_pixel.red() > 200 and ghost_pixel.green() < 235 and ghost_pixel.blue() < 235
    send(grid.canvas(), QEvent.Type.MouseButtonRelease, target, Qt.MouseButton.NoButton)
    assert recorder.of("drop_refused") == [("Overlaps Luis Benítez 10:00–10:45",)]
    assert recorder.requests() == ["drop_refused"]


def test_the_same_drag_without_a_conflict_is_accepted(
    grid: TimeGridView, recorder: Recorder
) -> None:
    grid.set_conflict_checker(lambda key, column, start, end: None)
    grab = grid.block_rect("a").center()
    drag(grid, grab, moved_point(grid, grab, "p2", at(9), at(10, 15)))
    assert recorder.requests() == ["move_requested"]


def test_an_immovable_block_is_selected_but_not_dragged(
    grid: TimeGridView, recorder: Recorder
) -> None:
    rect = grid.block_rect("fixed")
    drag(grid, rect.center(), rect.center() + QPoint(0, 80))
    drag(
        grid,
        QPoint(rect.center().x(), rect.bottom() - 1),
        QPoint(rect.center().x(), rect.bottom() + 80),
    )
    assert recorder.requests() == []
    assert grid.selected_block() == "fixed"


def test_escape_cancels_a_drag(grid: TimeGridView, recorder: Recorder) -> None:
    grab = grid.block_rect("a").center()
    target = grab + QPoint(0, 64)
    drag(grid, grab, target, release=False)
    grid.canvas().setFocus()
    escape = QKeyEvent(QEvent.Type.KeyPress, Qt.Key.Key_Escape, Qt.KeyboardModifier.NoModifier)
    QApplication.sendEvent(grid.canvas(), escape)
    send(grid.canvas(), QEvent.Type.MouseButtonRelease, target, Qt.MouseButton.NoButton)
    assert recorder.requests() == []


def test_a_refresh_during_a_drag_keeps_it_unless_the_block_is_gone(
    grid: TimeGridView, recorder: Recorder
) -> None:
    grab = grid.block_rect("a").center()
    target = moved_point(grid, grab, "p1", at(9), at(10))
    drag(grid, grab, target, release=False)
    grid.set_data(COLUMNS, BLOCKS, SHADES)  # another PC changed something else
    send(grid.canvas(), QEvent.Type.MouseMove, target, Qt.MouseButton.LeftButton)
    send(grid.canvas(), QEvent.Type.MouseButtonRelease, target, Qt.MouseButton.NoButton)
    assert recorder.of("move_requested") == [("a", "p1", at(10), at(10, 30))]

    drag(grid, grid.block_rect("b").center(), grid.block_rect("b").center() + QPoint(0, 64),
         release=False)  # fmt: skip
    grid.set_data(COLUMNS, [block for block in BLOCKS if block.key != "b"], SHADES)
    send(grid.canvas(), QEvent.Type.MouseMove, QPoint(10, 10), Qt.MouseButton.LeftButton)
    send(grid.canvas(), QEvent.Type.MouseButtonRelease, QPoint(10, 10), Qt.MouseButton.NoButton)
    assert recorder.requests() == ["move_requested"]


# -- resizing ------------------------------------------------------------------------------------


def test_dragging_the_bottom_edge_asks_to_resize(grid: TimeGridView, recorder: Recorder) -> None:
    rect = grid.block_rect("a")
    edge = QPoint(rect.center().x(), rect.bottom() - 1)
    send(grid.canvas(), QEvent.Type.MouseMove, edge, Qt.MouseButton.NoButton)
    assert grid.canvas().cursor().shape() == Qt.CursorShape.SizeVerCursor
    drag(grid, edge, QPoint(edge.x(), grid.point_for("p1", at(10, 15)).y() + 3))
    assert recorder.of("resize_requested") == [("a", at(10, 15))]
    assert recorder.requests() == ["resize_requested"]


def test_a_resize_keeps_at_least_one_slot(grid: TimeGridView, recorder: Recorder) -> None:
    rect = grid.block_rect("a")
    edge = QPoint(rect.center().x(), rect.bottom() - 1)
    drag(grid, edge, QPoint(edge.x(), grid.point_for("p1", at(8)).y()))
    assert recorder.of("resize_requested") == [("a", at(9, 15))]


def test_the_body_of_a_block_moves_rather_than_resizes(grid: TimeGridView) -> None:
    rect = grid.block_rect("a")
    send(grid.canvas(), QEvent.Type.MouseMove, rect.center(), Qt.MouseButton.NoButton)
    assert grid.canvas().cursor().shape() == Qt.CursorShape.OpenHandCursor


# -- creating ------------------------------------------------------------------------------------


def test_a_click_on_free_time_asks_for_one_default_appointment(
    grid: TimeGridView, recorder: Recorder, qtbot: QtBot
) -> None:
    point = grid.point_for("p3", at(9, 7))
    qtbot.mouseClick(grid.canvas(), Qt.MouseButton.LeftButton, pos=point)
    grid.set_default_minutes(45)
    qtbot.mouseClick(grid.canvas(), Qt.MouseButton.LeftButton, pos=grid.point_for("p2", at(14, 50)))
    assert recorder.of("create_requested") == [
        ("p3", at(9), at(9, 30)),
        ("p2", at(14, 45), at(15, 30)),
    ]


def test_a_drag_on_free_time_asks_for_the_dragged_range(
    grid: TimeGridView, recorder: Recorder
) -> None:
    drag(grid, grid.point_for("p3", at(13, 5)), grid.point_for("p3", at(14, 20)))
    # Upwards gives the same range: both ends are snapped to the slots they touch.
    drag(grid, grid.point_for("p3", at(16, 50)), grid.point_for("p3", at(15, 35)))
    assert recorder.of("create_requested") == [
        ("p3", at(13), at(14, 30)),
        ("p3", at(15, 30), at(17)),
    ]


def test_a_new_appointment_on_a_conflict_is_refused(grid: TimeGridView, recorder: Recorder) -> None:
    grid.set_conflict_checker(lambda key, column, start, end: "Closed" if key is None else None)
    drag(grid, grid.point_for("p3", at(13)), grid.point_for("p3", at(14)))
    assert recorder.requests() == ["drop_refused"]


# -- opening, menus and selection -------------------------------------------------------------


def test_double_click_opens_the_block(grid: TimeGridView, recorder: Recorder, qtbot: QtBot) -> None:
    qtbot.mouseDClick(grid.canvas(), Qt.MouseButton.LeftButton, pos=grid.block_rect("b").center())
    assert recorder.of("block_activated") == [("b",)]
    assert recorder.requests() == ["block_activated"]


def test_right_click_asks_for_a_block_menu_or_a_free_time_menu(
    grid: TimeGridView, recorder: Recorder, qtbot: QtBot
) -> None:
    canvas = grid.canvas()
    qtbot.mouseClick(canvas, Qt.MouseButton.RightButton, pos=grid.block_rect("a").center())
    empty = grid.point_for("p3", at(15, 20))
    qtbot.mouseClick(canvas, Qt.MouseButton.RightButton, pos=empty)
    ((key, where),) = recorder.of("block_context_requested")
    assert key == "a" and where == canvas.mapToGlobal(grid.block_rect("a").center())
    assert recorder.of("empty_context_requested") == [("p3", at(15, 15), canvas.mapToGlobal(empty))]
    assert recorder.requests() == ["block_context_requested", "empty_context_requested"]


def test_clicking_selects_and_free_time_clears_the_selection(
    grid: TimeGridView, recorder: Recorder, qtbot: QtBot
) -> None:
    qtbot.mouseClick(grid.canvas(), Qt.MouseButton.LeftButton, pos=grid.block_rect("b").center())
    assert grid.selected_block() == "b"
    qtbot.mouseClick(grid.canvas(), Qt.MouseButton.LeftButton, pos=grid.point_for("p3", at(12)))
    assert grid.selected_block() is None
    assert recorder.of("selection_changed") == [("b",), (None,)]


def test_a_selection_survives_a_refresh_only_while_its_block_exists(
    grid: TimeGridView, recorder: Recorder
) -> None:
    grid.set_selected_block("b")
    grid.set_data(COLUMNS, BLOCKS, SHADES)
    assert grid.selected_block() == "b"
    grid.set_data(COLUMNS, [block for block in BLOCKS if block.key != "b"], SHADES)
    assert grid.selected_block() is None
    assert recorder.of("selection_changed") == [("b",), (None,)]


# -- layout and painting --------------------------------------------------------------------------


def test_points_columns_and_block_rects_agree(grid: TimeGridView) -> None:
    rect = grid.block_rect("a")
    assert abs(rect.top() - grid.point_for("p1", at(9)).y()) <= 2
    assert abs(rect.bottom() - grid.point_for("p1", at(9, 30)).y()) <= 2
    assert grid.column_at(rect.center().x()) == "p1"
    assert grid.column_at(grid.point_for("p3", at(9)).x()) == "p3"
    assert grid.column_at(-5) is None
    assert grid.block_rect("missing").isEmpty()
    assert grid.point_for("p1", at(8)).y() - grid.point_for("p1", at(7)).y() == 64


def test_columns_fill_a_wide_window_and_keep_a_minimum_width(qtbot: QtBot) -> None:
    view = TimeGridView()
    qtbot.addWidget(view)
    view.resize(1200, 600)
    view.set_data(COLUMNS, [], [])
    view.show()
    qtbot.waitExposed(view)
    wide = view.point_for("p2", at(9)).x() - view.point_for("p1", at(9)).x()
    assert wide > 300
    many = [GridColumn(f"c{n}", f"C{n}", DAY) for n in range(20)]
    view.set_data(many, [], [])
    QApplication.processEvents()
    assert view.point_for("c1", at(9)).x() - view.point_for("c0", at(9)).x() >= 140
    assert view.horizontal_bar().maximum() > 0


def test_overlapping_blocks_are_laid_side_by_side(grid: TimeGridView) -> None:
    extra = GridBlock("late-entry", "p1", at(9, 15), at(9, 45), "Back-entry")
    grid.set_data(COLUMNS, [*BLOCKS, extra], SHADES)
    first, second = grid.block_rect("a"), grid.block_rect("late-entry")
    assert first.right() < second.left()
    assert grid.column_at(first.left()) == grid.column_at(second.right()) == "p1"


def test_scroll_to_time_puts_that_hour_at_the_top(qtbot: QtBot) -> None:
    view = TimeGridView()
    qtbot.addWidget(view)
    view.resize(800, 300)
    view.set_data(COLUMNS, [], [])
    view.scroll_to_time(time(13))  # before it is shown, as the page does when opening
    view.show()
    qtbot.waitExposed(view)
    qtbot.waitUntil(lambda: view.vertical_bar().value() > 0)
    assert abs(view.vertical_bar().value() - 6 * 64) <= 8


def test_paints_working_hours_closures_and_the_current_time(grid: TimeGridView) -> None:
    closed = GridShade("p3", at(0), at(23, 59), "closed", "Holiday: Carnaval")
    shades = [shade for shade in SHADES if shade.column != "p3"] + [closed]
    grid.set_data(COLUMNS, BLOCKS, shades)
    grid.set_now(at(12, 30))
    image = grid.canvas().grab().toImage()

    def colour(column: str, moment: datetime, dx: int = 0) -> QColor:
        return image.pixelColor(grid.point_for(column, moment) + QPoint(dx, 0))

    assert colour("p1", at(12, 10)) == QColor(OPEN_WORK)
    assert colour("p2", at(7, 40)) == CLOSED_WORK  # before opening hours
    assert colour("p2", at(12, 30)) == NOW_RED
    hatch = colour("p3", at(10, 10))
    assert hatch not in (QColor(OPEN_WORK), CLOSED_WORK)
    assert hatch.red() > hatch.blue()  # the closure's warm tint


def test_every_status_paints_without_error(grid: TimeGridView) -> None:
    statuses = ["scheduled", "confirmed", "arrived", "in_consultation", "completed",
                "cancelled", "no_show", "unknown"]  # fmt: skip
    blocks = [
        GridBlock(
            f"s{n}",
            "p1",
            at(8 + n),
            at(8 + n, 50),
            f"Patient {n}",
            "Type · reason",
            status=status,
            status_label=status.title(),
        )
        for n, status in enumerate(statuses)
    ]
    grid.set_data(COLUMNS, blocks, SHADES)
    grid.set_selected_block("s2")
    image = grid.grab().toImage()
    assert not image.isNull()
    faded = image.pixelColor(
        grid.canvas().mapTo(grid, grid.block_rect("s4").center() + QPoint(40, 8))
    )
    solid = image.pixelColor(
        grid.canvas().mapTo(grid, grid.block_rect("s0").center() + QPoint(40, 8))
    )
    assert faded.lightness() > solid.lightness()  # a completed visit is drawn faded


# -- geometry helpers ------------------------------------------------------------------------------


def test_time_to_y_and_back() -> None:
    geometry = GridGeometry(first_hour=7, last_hour=21, slot_minutes=15, hour_height=64)
    for moment in (at(7), at(9, 15), at(12, 40), at(20, 59)):
        y = geometry.y_for(DAY, moment)
        assert geometry.moment_at(DAY, y) == moment
    assert geometry.y_for(DAY, at(8, 30)) == 96
    assert geometry.moment_at(DAY, 96 + 7, "floor") == at(8, 30)
    assert geometry.moment_at(DAY, 96 + 9, "round") == at(8, 45)
    assert geometry.moment_at(DAY, 96 + 1, "ceil") == at(8, 45)
    assert geometry.height == 14 * 64
    # A moment on the next day lies below the column, not wrapped to its top.
    assert geometry.y_for(DAY, at(1, day=DAY + timedelta(days=1))) > geometry.height


def test_snapping() -> None:
    assert snap_minutes(67, 15) == 60
    assert snap_minutes(68, 15) == 75
    assert snap_minutes(74, 15, "floor") == 60
    assert snap_minutes(61, 15, "ceil") == 75
    assert snap_minutes(59.9999999, 15, "floor") == 60  # float noise from pixels
    assert snap_moment(at(10, 7), 15) == at(10)
    assert snap_moment(at(10, 8), 15) == at(10, 15)
    assert snap_moment(at(10, 50), 30, "floor") == at(10, 30)


def test_clamp_keeps_the_length_within_the_shown_hours() -> None:
    geometry = GridGeometry(8, 18)
    assert geometry.clamp_range(DAY, at(17, 30), at(18, 30)) == (at(17), at(18))
    assert geometry.clamp_range(DAY, at(7), at(7, 45)) == (at(8), at(8, 45))
    assert geometry.clamp_range(DAY, at(9), at(10)) == (at(9), at(10))


def test_bad_ranges_are_rejected() -> None:
    with pytest.raises(ValueError):
        GridGeometry(9, 9)
    with pytest.raises(ValueError):
        GridGeometry(7, 25)
    with pytest.raises(ValueError):
        GridGeometry(slot_minutes=0)
    # Slots that do not divide the hour still count from midnight: 9:45, 10:30, ...
    assert GridGeometry(slot_minutes=45).snap(at(10, 20)) == at(10, 30)
    assert GridGeometry(slot_minutes=45).snap(at(10, 20), "floor") == at(9, 45)


def test_lanes_for_overlaps() -> None:
    lanes = assign_lanes(
        [
            ("a", at(9), at(10)),
            ("b", at(9, 30), at(10, 30)),
            ("c", at(10), at(11)),  # overlaps b only, so it can take a's lane
            ("d", at(11), at(11, 30)),  # touches c end-to-start: no overlap, own cluster
        ]
    )
    assert lanes == {"a": (0, 2), "b": (1, 2), "c": (0, 2), "d": (0, 1)}
