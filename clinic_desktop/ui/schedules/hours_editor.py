"""The weekly hours grid of one practitioner: a row per weekday holding any number of from–to
intervals (the gaps between them are the breaks), buttons to add and remove intervals, and
"Copy Monday to weekdays" for the common Monday-to-Friday week. It checks the week as it is
edited (an interval that ends before it starts, two that overlap) and names the day at fault
under the grid; the service checks again on save, and its message lands in the same place.
It only edits values: the practitioners tab loads and saves them."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import time
from itertools import pairwise

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QFrame,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from clinic_desktop.i18n import _
from clinic_desktop.services.agenda_dto import HoursInterval
from clinic_desktop.services.agenda_labels import weekday_label
from clinic_desktop.ui import style
from clinic_desktop.ui.schedules.common import QuarterTimeEdit, field_error, hint, subtitle
from clinic_desktop.ui.widgets import screen_kit
from clinic_desktop.ui.widgets.forms import mark_invalid

WORKDAYS = range(5)  # Monday to Friday, the days "Copy Monday" fills
_LAST_MINUTE = 23 * 60 + 59


def _minutes(value: time) -> int:
    return value.hour * 60 + value.minute


def _time(minutes: int) -> time:
    minutes = max(0, min(_LAST_MINUTE, minutes))
    return time(minutes // 60, minutes % 60)


def span_text(start: time, end: time) -> str:
    return f"{start:%H:%M}–{end:%H:%M}"


def duration_text(minutes: int) -> str:
    hours, rest = divmod(minutes, 60)
    if hours == 0:
        return _("{minutes} min").format(minutes=rest)
    if rest == 0:
        return _("{hours} h").format(hours=hours)
    return _("{hours} h {minutes} min").format(hours=hours, minutes=rest)


class IntervalRow(QWidget):
    """One from–to interval with its remove button."""

    changed = Signal()
    remove_requested = Signal(object)  # IntervalRow

    def __init__(self, start: time, end: time, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.start_edit = QuarterTimeEdit(start, self)
        self.start_edit.setToolTip(_("From"))
        self.end_edit = QuarterTimeEdit(end, self)
        self.end_edit.setToolTip(_("To"))
        dash = QLabel("–", self)
        self.remove_button = QToolButton(self)
        self.remove_button.setText("✕")
        self.remove_button.setToolTip(_("Remove this interval"))
        self.remove_button.setAutoRaise(True)
        self.remove_button.setCursor(Qt.CursorShape.PointingHandCursor)
        self.remove_button.clicked.connect(lambda: self.remove_requested.emit(self))
        self.start_edit.timeChanged.connect(self.changed)
        self.end_edit.timeChanged.connect(self.changed)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 6, 0)
        layout.setSpacing(2)
        layout.addWidget(self.start_edit)
        layout.addWidget(dash)
        layout.addWidget(self.end_edit)
        layout.addWidget(self.remove_button)

    def span(self) -> tuple[time, time]:
        return self.start_edit.value(), self.end_edit.value()

    def mark(self, start: bool, end: bool) -> None:
        mark_invalid(self.start_edit, start)
        mark_invalid(self.end_edit, end)


class DayRow(QFrame):
    """A weekday: its name, its intervals, an add button and the day's total."""

    changed = Signal()

    def __init__(self, weekday: int, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.weekday = weekday
        self.setObjectName(f"HoursDay{weekday}")
        # Only this frame gets the rule: a bare "QFrame {...}" would reach the child labels.
        self.setStyleSheet(f"QFrame#HoursDay{weekday} {{ border-bottom: 1px solid #EEF1F3; }}")
        self.intervals: list[IntervalRow] = []
        self.name_label = QLabel(weekday_label(weekday), self)
        style.bold(self.name_label)
        # The day's total sits under its name: a column of its own would not fit a laptop.
        self.total_label = QLabel("", self)
        self.total_label.setObjectName(f"HoursTotal{weekday}")
        self.total_label.setStyleSheet(f"color: {style.MUTED}; font-size: 9pt;")
        name_box = QVBoxLayout()
        name_box.setContentsMargins(0, 0, 0, 0)
        name_box.setSpacing(0)
        name_box.addWidget(self.name_label)
        name_box.addWidget(self.total_label)
        name_cell = QWidget(self)
        name_cell.setLayout(name_box)
        name_cell.setFixedWidth(92)
        self.off_label = hint(_("Not working"), self)
        self.off_label.setWordWrap(False)
        self.add_button = QPushButton(_("+ Add"), self)
        self.add_button.setObjectName(f"AddInterval{weekday}")
        self.add_button.setToolTip(_("Add an interval to {day}").format(day=weekday_label(weekday)))
        style.set_role(self.add_button, "link")
        self.add_button.setCursor(Qt.CursorShape.PointingHandCursor)
        self.add_button.clicked.connect(self._on_add_button_clicked)
        self._intervals_box = QHBoxLayout()
        self._intervals_box.setContentsMargins(0, 0, 0, 0)
        self._intervals_box.setSpacing(0)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(4, 3, 0, 3)
        layout.setSpacing(4)
        layout.addWidget(name_cell)
        layout.addLayout(self._intervals_box)
        layout.addWidget(self.off_label)
        layout.addWidget(self.add_button)
        layout.addStretch(1)
        self.setMinimumHeight(42)
        self._update()

    def add_interval(self, start: time | None = None, end: time | None = None) -> IntervalRow:
        """Adds an interval; without times, the morning, or the afternoon after the last one
        with an hour's break, which is what most clinics type next."""
        if start is None or end is None:
            if self.intervals:
                begin = _minutes(self.intervals[-1].span()[1]) + 60
                start, end = _time(begin), _time(begin + 4 * 60)
            else:
                start, end = time(9), time(13)
        row = IntervalRow(start, end, self)
        row.changed.connect(self._on_interval_changed)
        row.remove_requested.connect(self.remove_interval)
        self.intervals.append(row)
        self._intervals_box.addWidget(row)
        self._renumber()
        self._update()
        self.changed.emit()
        return row

    def remove_interval(self, row: IntervalRow) -> None:
        if row not in self.intervals:
            return
        self.intervals.remove(row)
        self._intervals_box.removeWidget(row)
        row.hide()
        row.deleteLater()
        self._renumber()
        self._update()
        self.changed.emit()

    def set_spans(self, spans: Sequence[tuple[time, time]]) -> None:
        for row in list(self.intervals):
            self.intervals.remove(row)
            self._intervals_box.removeWidget(row)
            row.hide()
            row.deleteLater()
        for start, end in spans:
            row = IntervalRow(start, end, self)
            row.changed.connect(self._on_interval_changed)
            row.remove_requested.connect(self.remove_interval)
            self.intervals.append(row)
            self._intervals_box.addWidget(row)
        self._renumber()
        self._update()

    def spans(self) -> list[tuple[time, time]]:
        return [row.span() for row in self.intervals]

    def _renumber(self) -> None:
        for index, row in enumerate(self.intervals):
            row.setObjectName(f"Interval{self.weekday}_{index}")
            row.start_edit.setObjectName(f"HoursStart{self.weekday}_{index}")
            row.end_edit.setObjectName(f"HoursEnd{self.weekday}_{index}")
            row.remove_button.setObjectName(f"RemoveInterval{self.weekday}_{index}")

    def _on_add_button_clicked(self) -> None:
        row = self.add_interval()
        row.start_edit.setFocus()

    def _on_interval_changed(self) -> None:
        self._update()
        self.changed.emit()

    def _update(self) -> None:
        self.off_label.setVisible(not self.intervals)
        minutes = sum(max(0, _minutes(end) - _minutes(start)) for start, end in self.spans())
        self.total_label.setText(duration_text(minutes) if minutes else "")
        self.total_label.setVisible(bool(minutes))
        colour = style.INK if self.intervals else style.MUTED
        self.name_label.setStyleSheet(f"color: {colour};")


class WeeklyHoursEditor(QFrame):
    """Edits a week of HoursInterval; `save_requested` asks the owner to store `hours()`."""

    changed = Signal()
    save_requested = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("WeeklyHoursEditor")
        style.set_role(self, "card")
        self._loaded: list[HoursInterval] = []
        self.title_label = subtitle(_("Weekly hours"), self)
        self.title_label.setObjectName("HoursTitle")
        self.intro_label = hint(
            _("Add one interval per stretch of work; the gaps between them are the breaks."),
            self,
        )
        self.copy_button = QPushButton(_("Copy Monday to weekdays"), self)
        self.copy_button.setObjectName("CopyMondayButton")
        self.copy_button.setToolTip(_("Gives Tuesday to Friday the same intervals as Monday."))
        self.copy_button.clicked.connect(self._on_copy_button_clicked)
        self.days = [DayRow(weekday, self) for weekday in range(7)]
        for day in self.days:
            day.changed.connect(self._on_day_changed)
        self.error = field_error("HoursError", self)
        self.status_label = hint("", self)
        self.status_label.setObjectName("HoursStatus")
        self.status_label.setWordWrap(False)
        self.undo_button = QPushButton(_("Undo changes"), self)
        self.undo_button.setObjectName("UndoHoursButton")
        self.undo_button.clicked.connect(self._on_undo_button_clicked)
        self.save_button = QPushButton(_("Save hours"), self)
        self.save_button.setObjectName("SaveHoursButton")
        style.set_role(self.save_button, "primary")
        self.save_button.clicked.connect(self.save_requested)

        header = QHBoxLayout()
        header.addWidget(self.intro_label, 1)
        header.addWidget(self.copy_button, 0, Qt.AlignmentFlag.AlignBottom)
        grid = QVBoxLayout()
        grid.setSpacing(0)
        for day in self.days:
            grid.addWidget(day)
        buttons = QHBoxLayout()
        buttons.addWidget(self.status_label)
        buttons.addStretch(1)
        buttons.addWidget(self.undo_button)
        buttons.addWidget(self.save_button)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(14, 14, 14, 14)
        layout.setSpacing(8)
        layout.addWidget(self.title_label)
        layout.addLayout(header)
        layout.addLayout(grid)
        layout.addWidget(self.error)
        layout.addLayout(buttons)
        self._update_state()

    # -- values ----------------------------------------------------------------------------

    def set_hours(self, hours: Sequence[HoursInterval]) -> None:
        """Shows a stored week and takes it as the unchanged state."""
        self._loaded = sorted(hours, key=lambda h: (h.weekday, h.start))
        for day in self.days:
            day.set_spans([(h.start, h.end) for h in self._loaded if h.weekday == day.weekday])
        self.clear_error()
        self._update_state()

    def hours(self) -> list[HoursInterval]:
        return sorted(
            (
                HoursInterval(day.weekday, start, end)
                for day in self.days
                for start, end in day.spans()
            ),
            key=lambda h: (h.weekday, h.start),
        )

    def is_dirty(self) -> bool:
        return self.isEnabled() and self.hours() != self._loaded

    def set_available(self, available: bool, message: str = "") -> None:
        """Greys the grid out (with `message` in its title area) when there is no
        practitioner to edit, such as while a new one has not been saved yet."""
        self.setEnabled(available)
        self.intro_label.setText(
            message
            or _("Add one interval per stretch of work; the gaps between them are the breaks.")
        )
        if not available:
            self.set_hours([])

    def copy_monday_to_weekdays(self) -> None:
        monday = self.days[0].spans()
        for weekday in WORKDAYS:
            if weekday:
                self.days[weekday].set_spans(monday)
        self._on_day_changed()

    # -- checking --------------------------------------------------------------------------

    def problem(self) -> tuple[str, list[tuple[IntervalRow, bool, bool]]] | None:
        """The first mistake in the week as a message naming the day, and the intervals to
        mark (row, start wrong, end wrong); None when the week can be saved."""
        for day in self.days:
            name = weekday_label(day.weekday)
            for row in day.intervals:
                start, end = row.span()
                if end <= start:
                    return (
                        _("Hours on {day}: {interval} ends before it starts.").format(
                            day=name, interval=span_text(start, end)
                        ),
                        [(row, False, True)],
                    )
            ordered = sorted(day.intervals, key=lambda r: r.span()[0])
            for earlier, later in pairwise(ordered):
                if later.span()[0] < earlier.span()[1]:
                    return (
                        _("Hours on {day}: {first} overlaps {second}.").format(
                            day=name,
                            first=span_text(*earlier.span()),
                            second=span_text(*later.span()),
                        ),
                        [(earlier, False, True), (later, True, False)],
                    )
        return None

    def validate(self) -> bool:
        """Shows the first mistake (or clears the last one); True when there is none."""
        self._unmark()
        found = self.problem()
        if found is None:
            self.error.clear_message()
            return True
        message, marks = found
        self.error.show_error(message)
        for row, start, end in marks:
            row.mark(start, end)
        return False

    def show_error(self, message: str) -> None:
        """A refusal from the service, shown where the grid's own checks appear."""
        self.error.show_error(message)

    def clear_error(self) -> None:
        self._unmark()
        self.error.clear_message()

    def _unmark(self) -> None:
        for day in self.days:
            for row in day.intervals:
                row.mark(False, False)

    # -- reactions -------------------------------------------------------------------------

    def _on_day_changed(self) -> None:
        self.validate()
        self._update_state()
        self.changed.emit()

    def _on_copy_button_clicked(self) -> None:
        monday = self.days[0].spans()
        overwritten = [
            weekday_label(w)
            for w in WORKDAYS
            if w and self.days[w].intervals and self.days[w].spans() != monday
        ]
        if overwritten and not screen_kit.confirm(
            self,
            _("Copy Monday to weekdays"),
            _("The hours of {days} will be replaced with Monday's.").format(
                days=", ".join(overwritten)
            ),
            _("Replace"),
        ):
            return
        self.copy_monday_to_weekdays()

    def _on_undo_button_clicked(self) -> None:
        self.set_hours(self._loaded)

    def _update_state(self) -> None:
        dirty = self.hours() != self._loaded
        self.copy_button.setEnabled(bool(self.days[0].intervals))
        self.undo_button.setEnabled(dirty)
        total = sum(_minutes(h.end) - _minutes(h.start) for h in self.hours() if h.end > h.start)
        if dirty:
            self.status_label.setText(_("Unsaved changes"))
            self.status_label.setStyleSheet(f"color: {style.WARNING}; font-weight: 600;")
        else:
            self.status_label.setText(
                _("{total} a week").format(total=duration_text(total)) if total else ""
            )
            self.status_label.setStyleSheet("")
