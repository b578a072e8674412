"""The 'Repeat' part of a new appointment: every N days, or every N weeks on chosen weekdays,
until a date or for a number of occurrences. 'Check dates' lists every occurrence with what is
wrong with it (in red) before anything is saved, and 'Skip occurrences with conflicts' books
the free ones only. Collapsed by default: most appointments happen once."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from zoneinfo import ZoneInfo

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QBrush, QColor
from PySide6.QtWidgets import (
    QAbstractItemView,
    QButtonGroup,
    QCheckBox,
    QComboBox,
    QFrame,
    QGridLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QRadioButton,
    QSpinBox,
    QToolButton,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from clinic_desktop.i18n import _, ngettext
from clinic_desktop.services.agenda_dto import OccurrencePreview
from clinic_desktop.ui.agenda.dialog_kit import (
    WeekdayChecks,
    clock_text,
    date_box,
    day_text,
    from_qdate,
    local,
    to_qdate,
)
from clinic_desktop.ui.style import ACCENT, DANGER, set_role
from clinic_desktop.ui.widgets.forms import FieldError


@dataclass(frozen=True)
class RepeatValues:
    unit: str  # day | week
    interval: int
    weekdays: tuple[int, ...]
    until: date | None
    count: int | None


class RepeatSection(QWidget):
    """A toggle that opens the series settings; open means the booking is a series."""

    check_requested = Signal()
    changed = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("RepeatSection")
        self._first_day = date.today()
        self._weekdays_touched = False
        self.previews: list[OccurrencePreview] = []

        self.toggle = QToolButton(self)
        self.toggle.setObjectName("RepeatToggle")
        self.toggle.setText(_("Repeat this appointment"))
        self.toggle.setCheckable(True)
        self.toggle.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextBesideIcon)
        self.toggle.setArrowType(Qt.ArrowType.RightArrow)
        self.toggle.setStyleSheet(
            f"QToolButton {{ border: none; color: {ACCENT}; font-weight: 600; padding: 2px; }}"
        )
        self.toggle.toggled.connect(self._on_toggle_toggled)

        self.body = QFrame(self)
        self.body.setObjectName("RepeatBody")
        set_role(self.body, "card")
        self.interval_spin = QSpinBox(self.body)
        self.interval_spin.setObjectName("RepeatIntervalSpin")
        self.interval_spin.setRange(1, 52)
        self.unit_combo = QComboBox(self.body)
        self.unit_combo.setObjectName("RepeatUnitCombo")
        self.unit_combo.addItem(_("weeks"), "week")
        self.unit_combo.addItem(_("days"), "day")
        self.weekdays_label = QLabel(_("On"), self.body)
        self.weekday_checks = WeekdayChecks("RepeatWeekdays", self.body)
        self.until_radio = QRadioButton(_("Until"), self.body)
        self.until_radio.setObjectName("RepeatUntilRadio")
        self.until_edit = date_box("RepeatUntilEdit", self.body, weekday=False)
        self.count_radio = QRadioButton(_("For"), self.body)
        self.count_radio.setObjectName("RepeatCountRadio")
        self.count_spin = QSpinBox(self.body)
        self.count_spin.setObjectName("RepeatCountSpin")
        self.count_spin.setRange(1, 200)
        self.count_spin.setValue(6)
        self.count_spin.setSuffix(_(" occurrences"))
        self.end_group = QButtonGroup(self)
        self.end_group.addButton(self.until_radio)
        self.end_group.addButton(self.count_radio)
        self.count_radio.setChecked(True)
        self.check_button = QPushButton(_("Check dates"), self.body)
        self.check_button.setObjectName("CheckDatesButton")
        self.check_button.clicked.connect(self.check_requested)
        self.summary_label = QLabel(self.body)
        self.summary_label.setObjectName("RepeatSummary")
        self.preview_list = QTreeWidget(self.body)
        self.preview_list.setObjectName("RepeatPreviewList")
        self.preview_list.setHeaderLabels([_("Date"), _("Time"), _("Result")])
        self.preview_list.setRootIsDecorated(False)
        self.preview_list.setAlternatingRowColors(True)
        self.preview_list.setSelectionMode(QAbstractItemView.SelectionMode.NoSelection)
        header = self.preview_list.header()
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.ResizeToContents)
        header.setStretchLastSection(True)
        self.preview_list.hide()
        self.skip_check = QCheckBox(_("Skip occurrences with conflicts"), self.body)
        self.skip_check.setObjectName("SkipConflictsCheck")
        self.error_label = FieldError("RepeatError", self.body)

        grid = QGridLayout()
        grid.setHorizontalSpacing(8)
        grid.addWidget(QLabel(_("Every"), self.body), 0, 0)
        every = QHBoxLayout()
        every.addWidget(self.interval_spin)
        every.addWidget(self.unit_combo)
        every.addStretch(1)
        grid.addLayout(every, 0, 1)
        grid.addWidget(self.weekdays_label, 1, 0)
        grid.addWidget(self.weekday_checks, 1, 1)
        grid.addWidget(QLabel(_("Ends"), self.body), 2, 0)
        ends = QHBoxLayout()
        ends.addWidget(self.count_radio)
        ends.addWidget(self.count_spin)
        ends.addSpacing(16)
        ends.addWidget(self.until_radio)
        ends.addWidget(self.until_edit)
        ends.addStretch(1)
        grid.addLayout(ends, 2, 1)
        grid.setColumnStretch(1, 1)
        check_row = QHBoxLayout()
        check_row.addWidget(self.check_button)
        check_row.addWidget(self.summary_label, 1)
        body_layout = QVBoxLayout(self.body)
        body_layout.setContentsMargins(12, 10, 12, 10)
        body_layout.addLayout(grid)
        body_layout.addLayout(check_row)
        body_layout.addWidget(self.preview_list)
        body_layout.addWidget(self.skip_check)
        body_layout.addWidget(self.error_label)
        self.body.hide()

        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(4)
        layout.addWidget(self.toggle, 0, Qt.AlignmentFlag.AlignLeft)
        layout.addWidget(self.body)

        self.until_edit.setEnabled(False)
        self.until_radio.toggled.connect(self._on_end_toggled)
        self.unit_combo.currentIndexChanged.connect(self._on_unit_changed)
        for check in self.weekday_checks.checks:
            check.clicked.connect(self._on_weekday_clicked)
        for signal in (
            self.interval_spin.valueChanged,
            self.unit_combo.currentIndexChanged,
            self.until_edit.dateChanged,
            self.count_spin.valueChanged,
            self.until_radio.toggled,
        ):
            signal.connect(self._on_any_changed)
        self.set_first_day(self._first_day)

    # -- public ----------------------------------------------------------------------------

    def is_on(self) -> bool:
        return self.toggle.isChecked()

    def set_open(self, opened: bool) -> None:
        self.toggle.setChecked(opened)

    def set_first_day(self, day: date) -> None:
        """The series starts on the appointment's date: its weekday is the default one, and
        the default end is eight weeks later."""
        self._first_day = day
        if not self._weekdays_touched:
            self.weekday_checks.set_days([day.weekday()])
        self.until_edit.setMinimumDate(to_qdate(day))
        if not self.until_radio.isChecked():
            self.until_edit.setDate(to_qdate(day + timedelta(weeks=8)))
        self.clear_preview()

    def values(self) -> RepeatValues:
        unit = str(self.unit_combo.currentData())
        return RepeatValues(
            unit=unit,
            interval=self.interval_spin.value(),
            weekdays=self.weekday_checks.days() if unit == "week" else (),
            until=from_qdate(self.until_edit.date()) if self.until_radio.isChecked() else None,
            count=self.count_spin.value() if self.count_radio.isChecked() else None,
        )

    def skip_conflicts(self) -> bool:
        return self.skip_check.isChecked()

    def show_preview(self, previews: Sequence[OccurrencePreview], zone: ZoneInfo) -> None:
        self.previews = list(previews)
        self.error_label.clear_message()
        self.preview_list.clear()
        red = QBrush(QColor(DANGER))
        for preview in previews:
            start = local(preview.start, zone)
            problems = "; ".join(p.message for p in preview.problems)
            item = QTreeWidgetItem(
                [day_text(start.date()), clock_text(preview.start, zone), problems or _("Free")]
            )
            item.setToolTip(2, problems or _("Free"))
            if problems:
                for column in range(3):
                    item.setForeground(column, red)
            self.preview_list.addTopLevelItem(item)
        # Only as tall as its rows (up to seven); longer series scroll.
        rows = min(max(len(previews), 1), 7)
        row_height = self.preview_list.sizeHintForRow(0) if previews else 20
        header = self.preview_list.header().sizeHint().height()
        self.preview_list.setFixedHeight(header + rows * max(row_height, 18) + 6)
        self.preview_list.show()
        bad = sum(1 for p in previews if p.blocked)
        total = len(previews)
        text = ngettext("{count} occurrence", "{count} occurrences", total).format(count=total)
        if bad:
            text += " · " + ngettext("{count} with a problem", "{count} with problems", bad).format(
                count=bad
            )
            self.summary_label.setStyleSheet(f"color: {DANGER}; font-weight: 600;")
        else:
            text += " · " + _("all free")
            self.summary_label.setStyleSheet("")
        self.summary_label.setText(text)

    def preview_rows(self) -> list[tuple[str, str, str]]:
        """What the preview list shows (date, time, result), for tests and screenshots."""
        rows = []
        for i in range(self.preview_list.topLevelItemCount()):
            item = self.preview_list.topLevelItem(i)
            assert item is not None
            rows.append((item.text(0), item.text(1), item.text(2)))
        return rows

    def clear_preview(self) -> None:
        self.previews = []
        self.preview_list.clear()
        self.preview_list.hide()
        self.summary_label.clear()
        self.summary_label.setStyleSheet("")

    def show_error(self, message: str) -> None:
        self.set_open(True)
        self.error_label.show_error(message)

    def clear_error(self) -> None:
        self.error_label.clear_message()

    # -- internals -------------------------------------------------------------------------

    def _on_toggle_toggled(self, checked: bool) -> None:
        self.toggle.setArrowType(Qt.ArrowType.DownArrow if checked else Qt.ArrowType.RightArrow)
        self.body.setVisible(checked)
        self.changed.emit()

    def _on_unit_changed(self, _index: int) -> None:
        weekly = self.unit_combo.currentData() == "week"
        self.weekdays_label.setVisible(weekly)
        self.weekday_checks.setVisible(weekly)

    def _on_end_toggled(self, until: bool) -> None:
        self.until_edit.setEnabled(until)
        self.count_spin.setEnabled(not until)

    def _on_weekday_clicked(self, _checked: bool) -> None:
        self._weekdays_touched = True
        self._on_any_changed()

    def _on_any_changed(self, *_args: object) -> None:
        # A preview of other settings would mislead: it goes until checked again.
        self.clear_preview()
        self.changed.emit()
