"""Small pieces the agenda's dialogs and side panels share: clinic-time conversions and
formatting (the services speak aware UTC, people read the clinic's wall clock), a time box that
steps by the agenda's slot, a row of weekday check boxes, and the one call that loads the
practitioners, rooms and appointment types a booking form offers."""

from __future__ import annotations

import uuid
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, time
from typing import Any
from zoneinfo import ZoneInfo

from babel.dates import format_date
from PySide6.QtCore import QDate, QLocale, QTime
from PySide6.QtWidgets import (
    QAbstractSpinBox,
    QCheckBox,
    QComboBox,
    QDateEdit,
    QFrame,
    QHBoxLayout,
    QLayout,
    QPushButton,
    QTimeEdit,
    QVBoxLayout,
    QWidget,
)

from clinic_desktop.errors import UserFacingError
from clinic_desktop.i18n import _, current_language
from clinic_desktop.services.agenda_dto import AppointmentTypeDTO, PractitionerDTO, RoomDTO
from clinic_desktop.services.agenda_labels import weekday_label
from clinic_desktop.services.schedules import (
    list_appointment_types,
    list_practitioners,
    list_rooms,
)
from clinic_desktop.services.settings import get_settings
from clinic_desktop.ui.context import UiContext
from clinic_desktop.ui.widgets.forms import FormErrors
from clinic_desktop.ui.widgets.screen_kit import MessageBanner


def zone_of(ctx: UiContext) -> ZoneInfo:
    return ZoneInfo(ctx.clinic.timezone)


def local(moment: datetime, zone: ZoneInfo) -> datetime:
    """An aware instant on the clinic's wall clock (SQLite may hand back naive UTC)."""
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    return moment.astimezone(zone)


def utc_moment(day: date, at: time, zone: ZoneInfo) -> datetime:
    """The aware UTC instant at which the clinic's clock shows `at` on `day`."""
    return datetime.combine(day, at, tzinfo=zone).astimezone(UTC)


def clock_text(moment: datetime, zone: ZoneInfo) -> str:
    return f"{local(moment, zone):%H:%M}"


def day_text(day: date, *, weekday: bool = True) -> str:
    """'Mon, 12 May 2025' in the UI language (the weekday helps more than the year)."""
    pattern = "EEE d MMM y" if weekday else "d MMM y"
    return str(format_date(day, pattern, locale=current_language()))


def short_day_text(day: date) -> str:
    return str(format_date(day, "EEE d MMM", locale=current_language()))


def since_text(day: date) -> str:
    """'20 Nov': how long someone has waited needs no weekday."""
    return str(format_date(day, "d MMM", locale=current_language()))


def weekdays_text(days: Iterable[int]) -> str:
    """'Mon, Wed, Fri'; three or more days in a row as a range ('Mon–Thu'); or 'Every day'."""
    chosen = sorted(set(days))
    if chosen == list(range(7)):
        return _("Every day")
    runs: list[list[int]] = []
    for day in chosen:
        if runs and day == runs[-1][-1] + 1:
            runs[-1].append(day)
        else:
            runs.append([day])
    parts: list[str] = []
    for run in runs:
        if len(run) >= 3:
            parts.append(f"{weekday_short(run[0])}–{weekday_short(run[-1])}")
        else:
            parts.extend(weekday_short(d) for d in run)
    return ", ".join(parts)


def weekday_short(weekday: int) -> str:
    """Three letters of the translated weekday name (the panels are narrow)."""
    return weekday_label(weekday)[:3]


def to_qdate(day: date) -> QDate:
    return QDate(day.year, day.month, day.day)


def from_qdate(value: QDate) -> date:
    return date(value.year(), value.month(), value.day())


def to_qtime(value: time) -> QTime:
    return QTime(value.hour, value.minute)


def from_qtime(value: QTime) -> time:
    return time(value.hour(), value.minute())


def date_box(name: str, parent: QWidget | None, *, weekday: bool = True) -> QDateEdit:
    """A date box with its calendar, speaking the UI language (Qt would use the system's
    locale for the weekday and the calendar's month names)."""
    box = QDateEdit(parent)
    box.setObjectName(name)
    box.setLocale(QLocale(current_language()))
    box.setCalendarPopup(True)
    box.setDisplayFormat("ddd dd/MM/yyyy" if weekday else "dd/MM/yyyy")
    return box


class SlotTimeEdit(QTimeEdit):
    """A 24-hour HH:mm box whose arrows move the minutes by the agenda's slot (15 minutes
    unless the clinic set another step): appointments start on slots, and stepping minute by
    minute to 10:45 is tedious."""

    def __init__(self, name: str, parent: QWidget | None = None, *, step: int = 15) -> None:
        super().__init__(parent)
        self.setObjectName(name)
        self.step = step
        self.setDisplayFormat("HH:mm")
        self.setButtonSymbols(QAbstractSpinBox.ButtonSymbols.UpDownArrows)
        self.setMinimumWidth(88)

    def stepBy(self, steps: int) -> None:
        if self.currentSection() != QTimeEdit.Section.MinuteSection:
            super().stepBy(steps)
            return
        current = self.time()
        minutes = current.hour() * 60 + current.minute()
        snapped = (minutes // self.step) * self.step
        if steps < 0 and snapped != minutes:
            steps += 1  # stepping down from 09:10 lands on 09:00, not 08:45
        target = max(0, min(23 * 60 + 59, snapped + steps * self.step))
        self.setTime(QTime(target // 60, target % 60))

    def value(self) -> time:
        return from_qtime(self.time())

    def set_value(self, value: time) -> None:
        self.setTime(to_qtime(value))


class WeekdayChecks(QFrame):
    """Seven check boxes, Monday first; a frame so an invalid mark can draw its border."""

    def __init__(self, name: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName(name)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(4, 2, 4, 2)
        layout.setSpacing(8)
        self.checks: list[QCheckBox] = []
        for day in range(7):
            check = QCheckBox(weekday_short(day), self)
            check.setObjectName(f"{name}_{day}")
            check.setToolTip(weekday_label(day))
            layout.addWidget(check)
            self.checks.append(check)
        layout.addStretch(1)

    def days(self) -> tuple[int, ...]:
        return tuple(d for d, check in enumerate(self.checks) if check.isChecked())

    def set_days(self, days: Iterable[int]) -> None:
        chosen = set(days)
        for day, check in enumerate(self.checks):
            check.setChecked(day in chosen)


@dataclass(frozen=True)
class Choices:
    """What a booking form offers, loaded in one trip to the database worker."""

    practitioners: tuple[PractitionerDTO, ...]
    rooms: tuple[RoomDTO, ...]
    types: tuple[AppointmentTypeDTO, ...]
    settings: dict[str, Any]

    @property
    def slot_minutes(self) -> int:
        return int(self.settings.get("agenda.slot_minutes", 15))

    @property
    def late_cancel_hours(self) -> int:
        return int(self.settings.get("agenda.late_cancel_hours", 24))


def load_choices(ctx: UiContext) -> Choices:
    """Runs on the worker: the active practitioners, rooms and types, and the agenda settings."""
    uow = ctx.uow
    actor = ctx.actor
    return Choices(
        practitioners=tuple(p for p in list_practitioners(uow(), actor=actor) if p.active),
        rooms=tuple(list_rooms(uow(), actor=actor)),
        types=tuple(list_appointment_types(uow(), actor=actor)),
        settings=get_settings(uow(), actor=actor),
    )


def _key(data: Any) -> Any:
    # Combos compare Python objects by identity, so ids are stored as text.
    return str(data) if isinstance(data, uuid.UUID) else data


def fill_combo(
    combo: QComboBox, items: Sequence[tuple[str, Any]], *, keep: Any = None, empty: str = ""
) -> None:
    """Replaces a combo's items (text, data), an optional first 'none' item with data None,
    and re-selects `keep` when it is still offered."""
    combo.blockSignals(True)
    combo.clear()
    if empty:
        combo.addItem(empty, None)
    for text, data in items:
        combo.addItem(text, _key(data))
    index = combo.findData(_key(keep)) if keep is not None else -1
    combo.setCurrentIndex(index if index >= 0 else 0)
    combo.blockSignals(False)


def select_data(combo: QComboBox, data: Any) -> bool:
    index = combo.findData(_key(data))
    if index >= 0:
        combo.setCurrentIndex(index)
    return index >= 0


def combo_id(combo: QComboBox) -> uuid.UUID | None:
    """The id stored with the current item, or None for a 'none'/'any' item."""
    data = combo.currentData()
    return uuid.UUID(data) if isinstance(data, str) and data else None


def with_errors(field: QWidget | QLayout, *below: QWidget) -> QWidget:
    """A form field with its (usually hidden) error labels under it, as one form row: a
    separate row per error would leave gaps in the form while they are hidden."""
    box = QWidget()
    layout = QVBoxLayout(box)
    layout.setContentsMargins(0, 0, 0, 0)
    layout.setSpacing(2)
    if isinstance(field, QLayout):
        layout.addLayout(field)
    else:
        layout.addWidget(field)
    for widget in below:
        # The form's width decides where the message wraps (the dialogs are fitted to it).
        widget.setMinimumWidth(0)
        layout.addWidget(widget)
    return box


class SaveFailures:
    """What the agenda's small form dialogs do when saving fails: re-enable the save button,
    put a user error under the field it names (or in the banner), and any other failure in
    the banner. Mixed in before QDialog; the dialog provides the three attributes."""

    save_button: QPushButton
    banner: MessageBanner
    errors: FormErrors

    def _on_save_error(self, message: str) -> None:
        self.save_button.setEnabled(True)
        self.banner.show_message(message, "error")

    def _on_user_error(self, error: UserFacingError) -> None:
        self.save_button.setEnabled(True)
        if self.errors.knows(error.field):
            self.errors.show(error.message, error.field)
        else:
            self.banner.show_message(error.message, "error")
