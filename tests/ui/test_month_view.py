"""The agenda's month view lays months out in Monday-first weeks (a leap February, a month that
starts on a Sunday, a four-week February), says per day what it paints (number, appointment
count, closure), paints today, closures and the status bar where the cells are, and turns a
click, a double click or Enter into `day_activated` with the right date."""

from __future__ import annotations

import gettext
import subprocess
import sys
from collections.abc import Iterator
from datetime import date

import pytest
from PySide6.QtCore import QPoint, QRect, Qt
from PySide6.QtGui import QColor, QImage
from pytestqt.qtbot import QtBot

from clinic_desktop import i18n
from clinic_desktop.ui import style
from clinic_desktop.ui.agenda.month_view import (
    STATUS_COLOURS,
    MonthDay,
    MonthView,
    month_grid,
)

SPANISH_MO = i18n.TRANSLATIONS_DIR / "es" / "LC_MESSAGES" / f"{i18n.DOMAIN}.mo"
TODAY = date(2024, 2, 14)
DAYS = (
    MonthDay(date(2024, 2, 12), 12, {"completed": 9, "no_show": 1, "cancelled": 2}),
    MonthDay(date(2024, 2, 14), 1, {"confirmed": 1}),
    MonthDay(date(2024, 2, 19), 3, {"completed": 3}),
    MonthDay(date(2024, 2, 13), 0, {}, closed_label="Holiday: Carnaval"),
    MonthDay(date(2024, 3, 2), 4, {"scheduled": 4}),  # a faded day of the next month
)


@pytest.fixture
def view(qtbot: QtBot) -> Iterator[MonthView]:
    widget = MonthView()
    qtbot.addWidget(widget)
    widget.resize(840, 600)
    widget.set_month(2024, 2, DAYS, TODAY)
    widget.show()
    qtbot.waitExposed(widget)
    yield widget


def columns_and_rows(widget: MonthView, days: list[date]) -> list[tuple[int, int]]:
    """Each day's (column, row), from the cells' geometry alone."""
    lefts = sorted({widget.cell_rect(day).left() for day in days})
    tops = sorted({widget.cell_rect(day).top() for day in days})
    return [
        (lefts.index(widget.cell_rect(day).left()), tops.index(widget.cell_rect(day).top()))
        for day in days
    ]


def test_object_name(view: MonthView) -> None:
    assert view.objectName() == "MonthView"


def test_leap_year_february(view: MonthView) -> None:
    grid = month_grid(2024, 2)
    assert grid[0] == date(2024, 1, 29) and grid[-1] == date(2024, 3, 3)
    assert len(grid) == 35
    shown = columns_and_rows(view, grid)
    assert shown == [(index % 7, index // 7) for index in range(35)]
    # 1 and 29 February 2024 are Thursdays: same column, first and last week.
    place = dict(zip(grid, shown, strict=True))
    assert place[date(2024, 2, 1)] == (3, 0)
    assert place[date(2024, 2, 29)] == (3, 4)
    assert view.cell_rect(date(2024, 1, 28)).isNull()
    assert view.cell_rect(date(2024, 3, 4)).isNull()
    # The five weeks share the height below the weekday header and fill the widget.
    assert view.cell_rect(date(2024, 3, 3)).bottom() == view.height() - 1
    assert view.cell_rect(date(2024, 3, 3)).right() == view.width() - 1


def test_a_month_that_starts_on_sunday_takes_six_weeks(view: MonthView) -> None:
    view.set_month(2024, 9, (), TODAY)  # 1 September 2024 is a Sunday
    grid = month_grid(2024, 9)
    assert grid[0] == date(2024, 8, 26) and grid[-1] == date(2024, 10, 6)
    assert len(grid) == 42
    place = dict(zip(grid, columns_and_rows(view, grid), strict=True))
    assert place[date(2024, 9, 1)] == (6, 0)
    assert place[date(2024, 9, 2)] == (0, 1)
    assert place[date(2024, 9, 30)] == (0, 5)
    assert view.cell_rect(date(2024, 9, 1)).right() == view.width() - 1
    assert view.cell_rect(date(2024, 9, 30)).left() == 0


def test_a_february_from_monday_to_sunday_takes_four_weeks(view: MonthView) -> None:
    view.set_month(2021, 2, (), TODAY)
    grid = month_grid(2021, 2)
    assert grid[0] == date(2021, 2, 1) and grid[-1] == date(2021, 2, 28)
    assert {row for _column, row in columns_and_rows(view, grid)} == {0, 1, 2, 3}
    assert view.cell_rect(date(2021, 1, 31)).isNull()


def test_cells_say_their_number_count_and_closure(view: MonthView) -> None:
    assert view.cell_text(date(2024, 2, 12)) == "12\n12 appointments"
    assert view.cell_text(date(2024, 2, 14)) == "14\n1 appointment"
    assert view.cell_text(date(2024, 2, 13)) == "13\nHoliday: Carnaval"
    assert view.cell_text(date(2024, 2, 20)) == "20"  # nothing booked: no "0 appointments"
    assert view.cell_text(date(2024, 3, 2)) == "2\n4 appointments"
    assert view.cell_text(date(2024, 2, 1)) == "Feb 1"  # the 1st names its month
    assert view.cell_text(date(2024, 3, 1)) == "Mar 1"


def test_tooltip_breaks_the_count_down_by_status(view: MonthView) -> None:
    text = view.tooltip_text(date(2024, 2, 12))
    assert text.splitlines() == [
        "Monday, February 12, 2024",
        "12 appointments",
        "  Completed: 9",
        "  No-show: 1",
        "  Cancelled: 2",
    ]


def test_dates_and_weekday_names_follow_the_language(view: MonthView) -> None:
    i18n.set_language("es")
    view.set_month(2024, 2, DAYS, TODAY)
    assert view.cell_text(date(2024, 2, 1)) == "1 feb"
    assert view.tooltip_text(date(2024, 2, 12)).startswith("lunes, 12 de febrero de 2024")
    assert view.weekday_names() == [
        "Lunes", "Martes", "Miércoles", "Jueves", "Viernes", "Sábado", "Domingo",
    ]  # fmt: skip
    view.resize(300, 300)
    assert view.weekday_names()[0] in ("Lun", "L")


def _catalog_translates(message: str) -> bool:
    if not SPANISH_MO.exists():
        return False
    with SPANISH_MO.open("rb") as fh:
        return gettext.GNUTranslations(fh).gettext(message) != message


@pytest.mark.skipif(
    not _catalog_translates("{count} appointment"),
    reason="Spanish catalog not compiled or the agenda strings not merged into it yet",
)
def test_spanish_counts(view: MonthView) -> None:
    i18n.set_language("es")
    view.set_month(2024, 2, DAYS, TODAY)
    assert view.cell_text(date(2024, 2, 12)) == "12\n12 citas"
    assert view.cell_text(date(2024, 2, 14)) == "14\n1 cita"


def test_weekdays_start_on_monday(view: MonthView) -> None:
    assert view.weekday_names() == [
        "Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday",
    ]  # fmt: skip


def test_click_emits_the_day(view: MonthView, qtbot: QtBot) -> None:
    for day in (date(2024, 2, 29), date(2024, 1, 29), date(2024, 3, 3)):
        with qtbot.waitSignal(view.day_activated, timeout=1000) as blocker:
            qtbot.mouseClick(view, Qt.MouseButton.LeftButton, pos=view.cell_rect(day).center())
        assert blocker.args == [day]
    corner = view.cell_rect(date(2024, 2, 7)).topLeft() + QPoint(1, 1)
    with qtbot.waitSignal(view.day_activated, timeout=1000) as blocker:
        qtbot.mouseClick(view, Qt.MouseButton.LeftButton, pos=corner)
    assert blocker.args == [date(2024, 2, 7)]


def test_clicks_outside_the_days_emit_nothing(view: MonthView, qtbot: QtBot) -> None:
    header = QPoint(view.width() // 2, view.cell_rect(date(2024, 1, 29)).top() // 2)
    assert view.day_at(header) is None
    with qtbot.assertNotEmitted(view.day_activated):
        qtbot.mouseClick(view, Qt.MouseButton.LeftButton, pos=header)
        qtbot.mouseClick(
            view, Qt.MouseButton.RightButton, pos=view.cell_rect(date(2024, 2, 8)).center()
        )


def test_double_click_activates_the_day_once(view: MonthView, qtbot: QtBot) -> None:
    seen: list[date] = []
    view.day_activated.connect(seen.append)
    left = Qt.MouseButton.LeftButton
    # As a window system delivers it: press, release, double click, release.
    where = view.cell_rect(date(2024, 2, 21)).center()
    qtbot.mousePress(view, left, pos=where)
    qtbot.mouseRelease(view, left, pos=where)
    qtbot.mouseDClick(view, left, pos=where)
    assert seen == [date(2024, 2, 21)]
    # A bare double-click event (as QTest sends it) activates too.
    qtbot.mouseDClick(view, left, pos=view.cell_rect(date(2024, 2, 22)).center())
    assert seen == [date(2024, 2, 21), date(2024, 2, 22)]


def test_keyboard_moves_the_cursor_and_enter_activates(view: MonthView, qtbot: QtBot) -> None:
    assert view.current_day() == TODAY  # today is in the month shown
    view.setFocus()
    qtbot.keyClick(view, Qt.Key.Key_Right)
    qtbot.keyClick(view, Qt.Key.Key_Down)
    assert view.current_day() == date(2024, 2, 22)
    with qtbot.waitSignal(view.day_activated, timeout=1000) as blocker:
        qtbot.keyClick(view, Qt.Key.Key_Return)
    assert blocker.args == [date(2024, 2, 22)]
    for _ in range(10):
        qtbot.keyClick(view, Qt.Key.Key_Down)
    assert view.current_day() == date(2024, 2, 29)  # stops at the last week shown


def test_refreshing_the_same_month_keeps_the_cursor(view: MonthView, qtbot: QtBot) -> None:
    qtbot.mouseClick(view, Qt.MouseButton.LeftButton, pos=view.cell_rect(date(2024, 2, 5)).center())
    assert view.current_day() == date(2024, 2, 5)
    view.set_month(2024, 2, (), TODAY)
    assert view.current_day() == date(2024, 2, 5)
    view.set_month(2024, 4, (), TODAY)
    assert view.current_day() == date(2024, 4, 1)  # today is not in April


def colour_share(image: QImage, rect: QRect, colour: str, step: int = 2) -> float:
    """The share of the pixels of `rect` (every `step`th) painted exactly `colour`."""
    target = QColor(colour).rgb()
    hits = total = 0
    for y in range(rect.top(), rect.bottom() + 1, step):
        for x in range(rect.left(), rect.right() + 1, step):
            total += 1
            hits += image.pixel(x, y) == target
    return hits / total


def test_painting_marks_today_closures_and_statuses(view: MonthView) -> None:
    image = view.grab().toImage()
    assert image.width() == view.width()  # no high-DPI scaling under offscreen
    today = view.cell_rect(TODAY)
    closed = view.cell_rect(date(2024, 2, 13))
    plain = view.cell_rect(date(2024, 2, 20))
    done = view.cell_rect(date(2024, 2, 19))
    accent = style.ACCENT
    assert colour_share(image, today, accent) > 0.01  # the disc behind the number
    assert colour_share(image, plain, accent) == 0
    assert colour_share(image, closed, "#FBEEEC") > 0.5  # closure tint
    assert colour_share(image, plain, "#FBEEEC") == 0
    completed = STATUS_COLOURS["completed"]
    assert colour_share(image, done, completed) > 0.005  # the status bar
    assert colour_share(image, plain, completed) == 0
    # Days of other months are faded: their background is not the plain surface, and
    # their text (number, count) has no pixel at full ink.
    faded = view.cell_rect(date(2024, 3, 2))
    assert colour_share(image, faded, style.SURFACE) == 0
    assert colour_share(image, plain, style.SURFACE) > 0.5
    assert colour_share(image, faded, style.INK, step=1) == 0
    assert colour_share(image, view.cell_rect(date(2024, 2, 12)), style.INK, step=1) > 0


def test_the_view_imports_no_data_layer() -> None:
    code = (
        "import sys, clinic_desktop.ui.agenda.month_view; "
        "print(sorted(m for m in sys.modules if m.startswith(('sqlalchemy', "
        "'clinic_desktop.db', 'clinic_desktop.models'))))"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True, timeout=60
    )
    assert result.stdout.strip() == "[]"
