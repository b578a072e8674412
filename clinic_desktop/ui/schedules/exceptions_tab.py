"""The time-off and extra-hours tab: dates on which one practitioner's week does not apply.
Time off covers the whole day unless hours are given; extra hours always need them. A range
of days (a holiday week, a congress) is added as one entry per day, so a single day can later
be given back. Below the form, the upcoming entries, filterable by practitioner, with remove
(entries go to the trash, they are not erased)."""

from __future__ import annotations

import uuid
from datetime import date, time, timedelta
from typing import Any

from PySide6.QtCore import QDate, Qt
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from clinic_desktop.errors import UserFacingError, ValidationError
from clinic_desktop.i18n import _, ngettext
from clinic_desktop.services.agenda_dto import PractitionerDTO, ScheduleExceptionDTO
from clinic_desktop.services.agenda_labels import EXCEPTION_KIND_LABELS
from clinic_desktop.services.schedules import (
    add_exception,
    list_exceptions,
    list_practitioners,
    remove_exception,
)
from clinic_desktop.ui.context import UiContext
from clinic_desktop.ui.schedules.common import (
    QuarterTimeEdit,
    SwatchListModel,
    card,
    combo_index,
    date_edit,
    field_error,
    fit_columns,
    form_label,
    format_day,
    format_span,
    hint,
    make_table,
    show_user_error,
    subtitle,
    swatch_icon,
    to_date,
    with_error,
)
from clinic_desktop.ui.style import set_role
from clinic_desktop.ui.widgets import screen_kit
from clinic_desktop.ui.widgets.forms import FormErrors
from clinic_desktop.ui.widgets.screen_kit import Column, MessageBanner

MAX_RANGE_DAYS = 366  # a range longer than a year is surely a typo in the year


class ExceptionsTab(QWidget):
    def __init__(self, ctx: UiContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._ctx = ctx
        self.setObjectName("ExceptionsTab")
        self._practitioners: dict[uuid.UUID, PractitionerDTO] = {}
        self._entries: list[ScheduleExceptionDTO] = []
        self.banner = MessageBanner("ExceptionsMessage", self)

        form_card, form_layout = card("ExceptionForm", self)
        self.practitioner_combo = QComboBox(form_card)
        self.practitioner_combo.setObjectName("ExceptionPractitionerCombo")
        self.practitioner_combo.setMinimumWidth(240)
        self.first_day_edit = date_edit("ExceptionFirstDayEdit", form_card)
        self.first_day_edit.dateChanged.connect(self._on_first_day_changed)
        self.last_day_edit = date_edit("ExceptionLastDayEdit", form_card)
        self.last_day_edit.setToolTip(_("For several days in a row; one entry is added per day."))
        self.kind_combo = QComboBox(form_card)
        self.kind_combo.setObjectName("ExceptionKindCombo")
        for code, label in EXCEPTION_KIND_LABELS.items():
            self.kind_combo.addItem(_(label), code)
        self.kind_combo.currentIndexChanged.connect(self._on_kind_changed)
        self.part_check = QCheckBox(_("Only part of the day"), form_card)
        self.part_check.setObjectName("ExceptionPartCheck")
        self.part_check.toggled.connect(self._update_hours)
        self.start_edit = QuarterTimeEdit(time(9), form_card)
        self.start_edit.setObjectName("ExceptionStartEdit")
        self.end_edit = QuarterTimeEdit(time(13), form_card)
        self.end_edit.setObjectName("ExceptionEndEdit")
        self.note_edit = QLineEdit(form_card)
        self.note_edit.setObjectName("ExceptionNoteEdit")
        self.note_edit.setMaxLength(200)
        self.note_edit.setPlaceholderText(_("Optional, for example: congress in Quito"))
        self.add_button = QPushButton(_("Add"), form_card)
        self.add_button.setObjectName("AddExceptionButton")
        set_role(self.add_button, "primary")
        self.add_button.clicked.connect(self._on_add_button_clicked)

        general = field_error("ExceptionError", form_card)
        self.errors = FormErrors(general)
        form = QFormLayout()
        form.setLabelAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignTop)
        form.setVerticalSpacing(10)
        form.setHorizontalSpacing(16)
        form.addRow(
            form_label(_("Practitioner"), form_card),
            self._cell("practitioner_id", self.practitioner_combo),
        )
        days = QHBoxLayout()
        days.addWidget(self.first_day_edit)
        days.addWidget(QLabel(_("to"), form_card))
        days.addWidget(self.last_day_edit)
        days.addStretch(1)
        days_box = QWidget(form_card)
        days_box.setLayout(days)
        days.setContentsMargins(0, 0, 0, 0)
        form.addRow(
            form_label(_("Days"), form_card), self._cell("day", days_box, self.last_day_edit)
        )
        form.addRow(form_label(_("Kind"), form_card), self._cell("kind", self.kind_combo))
        hours = QHBoxLayout()
        hours.setContentsMargins(0, 0, 0, 0)
        hours.setSpacing(8)
        hours.addWidget(self.part_check)
        hours.addWidget(self.start_edit)
        self.dash_label = QLabel("–", form_card)
        hours.addWidget(self.dash_label)
        hours.addWidget(self.end_edit)
        hours.addStretch(1)
        hours_box = QWidget(form_card)
        hours_box.setLayout(hours)
        hours_error = field_error("ExceptionError_hours", form_card)
        self.errors.add("start", hours_error, self.start_edit)
        self.errors.add("end", hours_error, self.end_edit)
        form.addRow(
            form_label(_("Hours"), form_card), with_error(hours_box, hours_error, form_card)
        )
        form.addRow(form_label(_("Note"), form_card), self.note_edit)
        form_layout.addWidget(subtitle(_("Add time off or extra hours"), form_card))
        form_layout.addWidget(
            hint(
                _(
                    "Time off closes the practitioner's agenda for the whole day, or only for "
                    "the hours given. Extra hours open it outside the usual week."
                ),
                form_card,
            )
        )
        form_layout.addLayout(form)
        form_layout.addWidget(general)
        add_row = QHBoxLayout()
        add_row.addStretch(1)
        add_row.addWidget(self.add_button)
        form_layout.addLayout(add_row)
        form_column = QVBoxLayout()
        form_column.addWidget(form_card)
        form_column.addStretch(1)

        self.filter_combo = QComboBox(self)
        self.filter_combo.setObjectName("ExceptionFilterCombo")
        self.filter_combo.setMinimumWidth(220)
        self.filter_combo.currentIndexChanged.connect(self._on_filter_changed)
        self.remove_button = QPushButton(_("Remove…"), self)
        self.remove_button.setObjectName("RemoveExceptionButton")
        self.remove_button.clicked.connect(self._on_remove_button_clicked)
        self.model: SwatchListModel[ScheduleExceptionDTO] = SwatchListModel(
            [
                Column(_("Date"), lambda e: format_day(e.day)),
                Column(_("Practitioner"), self._practitioner_name),
                Column(_("Kind"), lambda e: _(EXCEPTION_KIND_LABELS.get(e.kind, e.kind))),
                Column(_("Hours"), lambda e: format_span(e.start, e.end)),
                Column(_("Note"), lambda e: e.note),
            ],
            colour=self._practitioner_colour,
            swatch_column=1,
            parent=self,
        )
        self.table = make_table("ExceptionsTable", self.model, self, multi=True)
        self.table.selectionModel().selectionChanged.connect(self._update_buttons)
        self.empty_label = hint(_("No time off or extra hours from today on."), self)
        self.empty_label.setObjectName("ExceptionsEmpty")
        list_header = QHBoxLayout()
        list_header.addWidget(subtitle(_("Upcoming"), self))
        list_header.addStretch(1)
        list_header.addWidget(self.filter_combo)
        list_header.addWidget(self.remove_button)
        list_column = QVBoxLayout()
        list_column.addLayout(list_header)
        list_column.addWidget(self.table, 1)
        list_column.addWidget(self.empty_label)

        columns = QHBoxLayout()
        columns.setSpacing(18)
        columns.addLayout(form_column, 4)
        columns.addLayout(list_column, 6)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(16, 14, 16, 14)
        layout.addWidget(self.banner)
        layout.addLayout(columns, 1)
        self._update_hours()
        self._update_buttons()

    def _cell(self, field: str, widget: QWidget, target: QWidget | None = None) -> QWidget:
        error = field_error(f"ExceptionError_{field}", self)
        self.errors.add(field, error, target or widget)
        return with_error(widget, error, self)

    # -- data ------------------------------------------------------------------------------

    def refresh(self) -> None:
        ctx = self._ctx
        today = date.today()

        def load() -> tuple[list[PractitionerDTO], list[ScheduleExceptionDTO]]:
            practitioners = list_practitioners(ctx.uow(), actor=ctx.actor, include_inactive=True)
            return practitioners, list_exceptions(ctx.uow(), actor=ctx.actor, from_day=today)

        ctx.runner.run(load, on_done=self._on_loaded, on_error=self._show_error, parent=self)

    def _on_loaded(self, loaded: tuple[list[PractitionerDTO], list[ScheduleExceptionDTO]]) -> None:
        practitioners, entries = loaded
        self._practitioners = {p.id: p for p in practitioners}
        self._fill_combo(self.practitioner_combo, practitioners, everyone=None)
        self._fill_combo(self.filter_combo, practitioners, everyone=_("All practitioners"))
        self._entries = entries
        self._show_entries()

    def _fill_combo(
        self, combo: QComboBox, practitioners: list[PractitionerDTO], everyone: str | None
    ) -> None:
        chosen = combo.currentData()
        combo.blockSignals(True)
        combo.clear()
        if everyone is not None:
            combo.addItem(everyone, None)
        for p in practitioners:
            if p.active or everyone is not None:
                combo.addItem(swatch_icon(p.colour), p.display_name, p.id)
        combo.setCurrentIndex(max(0, combo_index(combo, chosen)))
        combo.blockSignals(False)

    def _show_entries(self) -> None:
        wanted = self.filter_combo.currentData()
        rows = [e for e in self._entries if wanted in (None, e.practitioner_id)]
        self.model.set_rows(rows)
        fit_columns(self.table)
        self.empty_label.setVisible(not rows)
        self._update_buttons()

    def _practitioner_name(self, entry: ScheduleExceptionDTO) -> str:
        found = self._practitioners.get(entry.practitioner_id)
        return found.display_name if found else "—"

    def _practitioner_colour(self, entry: ScheduleExceptionDTO) -> str:
        found = self._practitioners.get(entry.practitioner_id)
        return found.colour if found else ""

    def _show_error(self, message: str) -> None:
        self.banner.show_message(message, "error")

    # -- form ------------------------------------------------------------------------------

    def select_practitioner(self, practitioner_id: uuid.UUID) -> bool:
        index = combo_index(self.practitioner_combo, practitioner_id)
        self.practitioner_combo.setCurrentIndex(index)
        return index >= 0

    def set_days(self, first: date, last: date | None = None) -> None:
        self.first_day_edit.setDate(QDate(first.year, first.month, first.day))
        last = last or first
        self.last_day_edit.setDate(QDate(last.year, last.month, last.day))

    def _on_first_day_changed(self, value: QDate) -> None:
        # A one-day entry is the common case: the last day follows the first unless later.
        if self.last_day_edit.date() < value or self.last_day_edit.date() == value.addDays(-1):
            self.last_day_edit.setDate(value)

    def _on_kind_changed(self, _index: int) -> None:
        self._update_hours()

    def _update_hours(self) -> None:
        # Time off is a whole day unless asked otherwise; extra hours always have times.
        # The times are hidden rather than greyed: the style sheet keeps disabled text dark.
        extra = self.kind_combo.currentData() == "extra"
        self.part_check.setVisible(not extra)
        timed = extra or self.part_check.isChecked()
        self.start_edit.setVisible(timed)
        self.dash_label.setVisible(timed)
        self.end_edit.setVisible(timed)

    def form_values(self) -> dict[str, Any]:
        timed = self.kind_combo.currentData() == "extra" or self.part_check.isChecked()
        return {
            "practitioner_id": self.practitioner_combo.currentData(),
            "first_day": to_date(self.first_day_edit.date()),
            "last_day": to_date(self.last_day_edit.date()),
            "kind": self.kind_combo.currentData(),
            "start": self.start_edit.value() if timed else None,
            "end": self.end_edit.value() if timed else None,
            "note": self.note_edit.text(),
        }

    def _on_add_button_clicked(self) -> None:
        self.add()

    def add(self) -> None:
        ctx = self._ctx
        self.banner.clear_message()
        self.errors.clear()
        values = self.form_values()
        practitioner_id = values.pop("practitioner_id")
        first, last = values.pop("first_day"), values.pop("last_day")

        def save() -> list[ScheduleExceptionDTO]:
            if practitioner_id is None:
                raise ValidationError(
                    _("Practitioner: choose who is away or works extra."), field="practitioner_id"
                )
            if last < first:
                raise ValidationError(
                    _("Days: the last day must not be before the first."), field="day"
                )
            if (last - first).days >= MAX_RANGE_DAYS:
                raise ValidationError(_("Days: at most one year at a time."), field="day")
            days = [first + timedelta(days=n) for n in range((last - first).days + 1)]
            return [
                add_exception(
                    ctx.uow(), actor=ctx.actor, practitioner_id=practitioner_id, day=day, **values
                )
                for day in days
            ]

        ctx.runner.run(
            save,
            on_done=self._on_added,
            on_error=self._show_error,
            on_user_error=self._on_add_refused,
            parent=self,
        )

    def _on_added(self, added: list[ScheduleExceptionDTO]) -> None:
        self.note_edit.clear()
        self.banner.show_message(
            ngettext("Added {count} day.", "Added {count} days.", len(added)).format(
                count=len(added)
            ),
            "ok",
        )
        self.refresh()

    def _on_add_refused(self, error: UserFacingError) -> None:
        show_user_error(error, self.errors, self.banner)

    # -- list ------------------------------------------------------------------------------

    def _on_filter_changed(self, _index: int) -> None:
        self._show_entries()

    def selected_entries(self) -> list[ScheduleExceptionDTO]:
        rows = sorted(index.row() for index in self.table.selectionModel().selectedRows())
        return [e for e in (self.model.row_at(r) for r in rows) if e is not None]

    def _update_buttons(self, *_args: object) -> None:
        self.remove_button.setEnabled(bool(self.selected_entries()))

    def _on_remove_button_clicked(self) -> None:
        self.remove_selected()

    def remove_selected(self) -> None:
        entries = self.selected_entries()
        if not entries:
            return
        first = entries[0]
        text = (
            _("Remove {kind} of {name} on {day}? It goes to the trash.").format(
                kind=_(EXCEPTION_KIND_LABELS.get(first.kind, first.kind)).lower(),
                name=self._practitioner_name(first),
                day=format_day(first.day),
            )
            if len(entries) == 1
            else ngettext(
                "Remove {count} entry? It goes to the trash.",
                "Remove {count} entries? They go to the trash.",
                len(entries),
            ).format(count=len(entries))
        )
        if not screen_kit.confirm(self, _("Remove"), text, _("Remove")):
            return
        ctx = self._ctx
        ids = [e.id for e in entries]

        def remove() -> int:
            for entry_id in ids:
                remove_exception(ctx.uow(), actor=ctx.actor, exception_id=entry_id)
            return len(ids)

        ctx.runner.run(remove, on_done=self._on_removed, on_error=self._show_error, parent=self)

    def _on_removed(self, count: int) -> None:
        self.banner.show_message(
            ngettext(
                "Removed {count} entry; it is in the trash.",
                "Removed {count} entries; they are in the trash.",
                count,
            ).format(count=count),
            "ok",
        )
        self.refresh()
