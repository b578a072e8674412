"""Finding free slots: for a duration, one practitioner or any, from a date, in the morning,
the afternoon or a chosen window, the first openings over the next eight weeks. 'Book this
slot' opens the appointment dialog filled in with it; once booked, the list is searched again,
so what it shows is always free."""

from __future__ import annotations

import uuid
from datetime import date, time

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QGridLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from clinic_desktop.errors import UserFacingError
from clinic_desktop.i18n import _, ngettext
from clinic_desktop.services.agenda_dto import FreeSlot
from clinic_desktop.services.agenda_queries import find_free_slots
from clinic_desktop.ui.agenda.appointment_dialog import AppointmentDialog
from clinic_desktop.ui.agenda.dialog_kit import (
    Choices,
    SlotTimeEdit,
    clock_text,
    combo_id,
    date_box,
    day_text,
    fill_combo,
    from_qdate,
    load_choices,
    local,
    select_data,
    to_qdate,
    zone_of,
)
from clinic_desktop.ui.context import UiContext
from clinic_desktop.ui.style import set_role
from clinic_desktop.ui.widgets.forms import FieldError, FormErrors
from clinic_desktop.ui.widgets.screen_kit import Column, ListTableModel, MessageBanner, list_table

WEEKS = 8
NOON = time(13, 0)


class SlotFinderDialog(QDialog):
    slot_chosen = Signal(object)  # FreeSlot
    booked = Signal(object)  # what the appointment dialog saved from a chosen slot

    def __init__(
        self,
        ctx: UiContext,
        parent: QWidget | None = None,
        *,
        minutes: int | None = None,
        patient_id: uuid.UUID | None = None,
        patient_name: str = "",
        practitioner_id: uuid.UUID | None = None,
    ) -> None:
        super().__init__(parent)
        self._ctx = ctx
        self._zone = zone_of(ctx)
        self._patient = (patient_id, patient_name)
        self._practitioner_id = practitioner_id
        self.booking_dialog: AppointmentDialog | None = None
        self.setObjectName("SlotFinderDialog")
        self.setWindowTitle(_("Find a free slot"))
        self.setMinimumWidth(620)

        self.banner = MessageBanner("SlotFinderMessage", self)
        self.duration_spin = QSpinBox(self)
        self.duration_spin.setObjectName("SlotDurationSpin")
        self.duration_spin.setRange(5, 12 * 60)
        self.duration_spin.setSingleStep(5)
        self.duration_spin.setSuffix(_(" min"))
        self.duration_spin.setValue(minutes or 30)
        self.practitioner_combo = QComboBox(self)
        self.practitioner_combo.setObjectName("SlotPractitionerCombo")
        self.practitioner_combo.addItem(_("Any practitioner"), None)
        self.from_edit = date_box("SlotFromDateEdit", self)
        self.from_edit.setDate(to_qdate(date.today()))
        self.from_edit.setMinimumDate(to_qdate(date.today()))
        self.time_combo = QComboBox(self)
        self.time_combo.setObjectName("SlotTimeOfDayCombo")
        self.time_combo.addItem(_("Any time"), "any")
        self.time_combo.addItem(_("Morning (before 13:00)"), "morning")
        self.time_combo.addItem(_("Afternoon (from 13:00)"), "afternoon")
        self.time_combo.addItem(_("Between…"), "custom")
        self.earliest_edit = SlotTimeEdit("SlotEarliestEdit", self)
        self.earliest_edit.set_value(time(9, 0))
        self.latest_edit = SlotTimeEdit("SlotLatestEdit", self)
        self.latest_edit.set_value(time(12, 0))
        self.custom_row = QWidget(self)
        custom = QHBoxLayout(self.custom_row)
        custom.setContentsMargins(0, 0, 0, 0)
        custom.addWidget(self.earliest_edit)
        custom.addWidget(QLabel(_("and"), self.custom_row))
        custom.addWidget(self.latest_edit)
        custom.addStretch(1)
        self.custom_row.hide()
        self.count_spin = QSpinBox(self)
        self.count_spin.setObjectName("SlotCountSpin")
        self.count_spin.setRange(1, 100)
        self.count_spin.setValue(10)
        self.search_button = QPushButton(_("Search"), self)
        self.search_button.setObjectName("SlotSearchButton")
        set_role(self.search_button, "primary")
        self.search_button.clicked.connect(self.search)

        self.general_error = FieldError("SlotFinderError", self)
        self.errors = FormErrors(self.general_error)
        duration_error = FieldError("SlotDurationError", self)
        times_error = FieldError("SlotTimesError", self)
        self.errors.add("duration", duration_error, self.duration_spin)
        self.errors.add("latest", times_error, self.latest_edit)

        grid = QGridLayout()
        grid.setHorizontalSpacing(10)
        grid.addWidget(QLabel(_("Duration"), self), 0, 0)
        grid.addWidget(self.duration_spin, 0, 1)
        grid.addWidget(QLabel(_("Practitioner"), self), 0, 2)
        grid.addWidget(self.practitioner_combo, 0, 3)
        grid.addWidget(duration_error, 1, 1)
        grid.addWidget(QLabel(_("From"), self), 2, 0)
        grid.addWidget(self.from_edit, 2, 1)
        grid.addWidget(QLabel(_("Time of day"), self), 2, 2)
        grid.addWidget(self.time_combo, 2, 3)
        grid.addWidget(self.custom_row, 3, 3)
        grid.addWidget(times_error, 4, 3)
        grid.addWidget(QLabel(_("Show"), self), 5, 0)
        count_row = QHBoxLayout()
        count_row.addWidget(self.count_spin)
        count_row.addWidget(QLabel(_("first openings in the next 8 weeks"), self))
        count_row.addStretch(1)
        count_row.addWidget(self.search_button)
        grid.addLayout(count_row, 5, 1, 1, 3)
        grid.setColumnStretch(3, 1)

        self.model: ListTableModel[FreeSlot] = ListTableModel(
            [
                Column(_("Day"), lambda s: day_text(local(s.start, self._zone).date())),
                Column(
                    _("Time"),
                    lambda s: f"{clock_text(s.start, self._zone)}–{clock_text(s.end, self._zone)}",
                ),
                Column(_("Practitioner"), lambda s: s.practitioner_name),
            ],
            self,
        )
        self.table = list_table(self.model, "SlotResultsTable", self)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setStretchLastSection(True)
        self.table.doubleClicked.connect(lambda _index: self._on_book_clicked())
        self.summary_label = QLabel(self)
        self.summary_label.setObjectName("SlotSummaryLabel")
        set_role(self.summary_label, "hint")

        self.buttons = QDialogButtonBox(self)
        self.book_button = self.buttons.addButton(
            _("Book this slot…"), QDialogButtonBox.ButtonRole.ActionRole
        )
        self.book_button.setObjectName("BookSlotButton")
        self.book_button.setEnabled(False)
        close = self.buttons.addButton(_("Close"), QDialogButtonBox.ButtonRole.RejectRole)
        close.setObjectName("CloseSlotFinderButton")
        self.book_button.clicked.connect(self._on_book_clicked)
        close.clicked.connect(self.reject)

        layout = QVBoxLayout(self)
        layout.setSpacing(10)
        layout.addWidget(self.banner)
        layout.addLayout(grid)
        layout.addWidget(self.general_error)
        layout.addWidget(self.summary_label)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.buttons)
        self.resize(680, 560)

        self.time_combo.currentIndexChanged.connect(self._on_time_changed)
        self.table.selectionModel().selectionChanged.connect(self._on_selection_changed)
        ctx.runner.run(
            lambda: load_choices(ctx),
            on_done=self._on_choices_loaded,
            on_error=lambda message: self.banner.show_message(message, "error"),
            parent=self,
        )

    def _on_choices_loaded(self, choices: Choices) -> None:
        fill_combo(
            self.practitioner_combo,
            [(p.display_name, p.id) for p in choices.practitioners],
            keep=self._practitioner_id,
            empty=_("Any practitioner"),
        )
        self.earliest_edit.step = self.latest_edit.step = choices.slot_minutes

    # -- public ----------------------------------------------------------------------------

    def set_practitioner(self, practitioner_id: uuid.UUID | None) -> None:
        if practitioner_id is None:
            self.practitioner_combo.setCurrentIndex(0)
        else:
            select_data(self.practitioner_combo, practitioner_id)

    def window_times(self) -> tuple[time | None, time | None]:
        choice = self.time_combo.currentData()
        if choice == "morning":
            return None, NOON
        if choice == "afternoon":
            return NOON, None
        if choice == "custom":
            return self.earliest_edit.value(), self.latest_edit.value()
        return None, None

    def search(self) -> None:
        self.errors.clear()
        self.banner.clear_message()
        ctx = self._ctx
        minutes = self.duration_spin.value()
        practitioner_id = combo_id(self.practitioner_combo)
        from_day = from_qdate(self.from_edit.date())
        earliest, latest = self.window_times()
        limit = self.count_spin.value()
        ctx.runner.run(
            lambda: find_free_slots(
                ctx.uow(),
                actor=ctx.actor,
                minutes=minutes,
                practitioner_id=practitioner_id,
                from_day=from_day,
                weeks=WEEKS,
                earliest=earliest,
                latest=latest,
                limit=limit,
            ),
            on_done=self._show_results,
            on_error=lambda message: self.banner.show_message(message, "error"),
            on_user_error=self._on_user_error,
            busy_text=_("Looking for free slots…"),
            parent=self,
        )

    def results(self) -> list[FreeSlot]:
        return self.model.rows()

    def book(self, slot: FreeSlot) -> AppointmentDialog:
        """Opens the appointment dialog filled in with the slot (and the patient, if known)."""
        self.slot_chosen.emit(slot)
        patient_id, patient_name = self._patient
        dialog = AppointmentDialog(
            self._ctx,
            practitioner_id=slot.practitioner_id,
            start=slot.start,
            minutes=self.duration_spin.value(),
            patient_id=patient_id,
            patient_name=patient_name,
            parent=self,
        )
        dialog.saved.connect(self._on_booking_saved)
        self.booking_dialog = dialog
        dialog.open()
        return dialog

    # -- internals -------------------------------------------------------------------------

    def _show_results(self, slots: list[FreeSlot]) -> None:
        self.model.set_rows(slots)
        if slots:
            self.table.selectRow(0)
            first = local(slots[0].start, self._zone)
            self.summary_label.setText(
                ngettext(
                    "{count} free slot, the first on {day}.",
                    "{count} free slots, the first on {day}.",
                    len(slots),
                ).format(count=len(slots), day=day_text(first.date()))
            )
        else:
            self.summary_label.setText(_("No free slot in the next 8 weeks with these conditions."))
        self._on_selection_changed()

    def _on_user_error(self, error: UserFacingError) -> None:
        if self.errors.knows(error.field):
            self.errors.show(error.message, error.field)
        else:
            self.banner.show_message(error.message, "error")

    def _on_time_changed(self, _index: int) -> None:
        self.custom_row.setVisible(self.time_combo.currentData() == "custom")

    def _on_selection_changed(self, *_args: object) -> None:
        self.book_button.setEnabled(self._selected() is not None)

    def _selected(self) -> FreeSlot | None:
        rows = self.table.selectionModel().selectedRows()
        return self.model.row_at(rows[0].row()) if rows else None

    def _on_book_clicked(self) -> None:
        slot = self._selected()
        if slot is not None:
            self.book(slot)

    def _on_booking_saved(self, appointment: object) -> None:
        self.booked.emit(appointment)
        self.search()
