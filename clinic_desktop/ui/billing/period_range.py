"""The period the billing lists and reports are filtered by: named periods around the clinic's
today (this month, last month, this year, last year) turned into their first and last days,
and the row widget the invoices and expenses filter bars share — a period combo followed by
its two dates, where editing a date makes the period "custom" and an "any" period (when
offered) hides the dates and filters nothing."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, timedelta

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QComboBox, QHBoxLayout, QLabel, QWidget

from clinic_desktop.ui import style
from clinic_desktop.ui.agenda.dialog_kit import date_box, from_qdate, to_qdate
from clinic_desktop.ui.widgets.report_params import month_of

ANY, CUSTOM = "any", "custom"


def period_bounds(key: str, today: date) -> tuple[date, date] | None:
    """The first and last day of a named period around `today`; None for "custom"/"any"."""
    if key == "this_month":
        return month_of(today)
    if key == "last_month":
        return month_of(today.replace(day=1) - timedelta(days=1))
    if key == "this_year":
        return date(today.year, 1, 1), date(today.year, 12, 31)
    if key == "last_year":
        return date(today.year - 1, 1, 1), date(today.year - 1, 12, 31)
    return None


class PeriodRange(QWidget):
    """ "{prefix}PeriodCombo", "{prefix}FromEdit" and "{prefix}ToEdit" in one row; `changed`
    when the period or a date changes. `periods` are (key, label) pairs, "custom" among
    them; the dates start at `today` until a named period sets them."""

    changed = Signal()

    def __init__(
        self,
        prefix: str,
        periods: Sequence[tuple[str, str]],
        today: date,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.today = today
        self.combo = QComboBox(self)
        self.combo.setObjectName(f"{prefix}PeriodCombo")
        for key, text in periods:
            self.combo.addItem(text, key)
        self.from_edit = date_box(f"{prefix}FromEdit", self, weekday=False)
        self.to_edit = date_box(f"{prefix}ToEdit", self, weekday=False)
        for box in (self.from_edit, self.to_edit):
            box.setFixedWidth(130)
            box.setDate(to_qdate(today))
            box.dateChanged.connect(self._on_dates_edited)
        self.dash = QLabel("–", self)
        style.set_role(self.dash, "hint")
        row = QHBoxLayout(self)
        row.setContentsMargins(0, 0, 0, 0)
        for widget in (self.combo, self.from_edit, self.dash, self.to_edit):
            row.addWidget(widget)
        self._apply(self.key())
        self.combo.currentIndexChanged.connect(lambda _i: self._on_period_changed())

    def key(self) -> str:
        return str(self.combo.currentData())

    def period(self) -> tuple[date, date] | None:
        """The first and last day shown; None for "any"."""
        if self.key() == ANY:
            return None
        return from_qdate(self.from_edit.date()), from_qdate(self.to_edit.date())

    def set_period(self, key: str) -> None:
        """Shows a named period; `changed` follows even when it was already chosen."""
        index = max(self.combo.findData(key), 0)
        if index == self.combo.currentIndex():
            self._on_period_changed()
        else:
            self.combo.setCurrentIndex(index)

    def set_dates(self, date_from: date, date_to: date) -> None:
        """Any two dates: the period becomes "custom"."""
        self._select_quietly(CUSTOM)
        self._set_dates(date_from, date_to)
        self._apply(CUSTOM)
        self.changed.emit()

    def _apply(self, key: str) -> None:
        bounds = period_bounds(key, self.today)
        if bounds is not None:
            self._set_dates(*bounds)
        for widget in (self.from_edit, self.dash, self.to_edit):
            widget.setVisible(key != ANY)

    def _set_dates(self, date_from: date, date_to: date) -> None:
        for box, day in ((self.from_edit, date_from), (self.to_edit, date_to)):
            box.blockSignals(True)
            box.setDate(to_qdate(day))
            box.blockSignals(False)

    def _select_quietly(self, key: str) -> None:
        self.combo.blockSignals(True)
        self.combo.setCurrentIndex(self.combo.findData(key))
        self.combo.blockSignals(False)

    def _on_period_changed(self) -> None:
        self._apply(self.key())
        self.changed.emit()

    def _on_dates_edited(self, *_args: object) -> None:
        self._select_quietly(CUSTOM)
        self.changed.emit()
