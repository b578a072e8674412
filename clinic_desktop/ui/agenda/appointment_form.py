"""The fields of the appointment dialog, laid out and read back: patient, practitioner, room,
type, date, start, duration, mode, reason and non-clinical notes, each with the error label a
service's `field` lands on. Choosing a type fills its usual duration and mode. Times are typed
on the clinic's wall clock and read back as aware UTC. The dialog (appointment_dialog.py) owns
loading, saving and the series and override parts."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QButtonGroup,
    QComboBox,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QLayout,
    QLineEdit,
    QPlainTextEdit,
    QRadioButton,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from clinic_desktop.i18n import _
from clinic_desktop.services.agenda_dto import AppointmentTypeDTO
from clinic_desktop.services.agenda_labels import mode_label
from clinic_desktop.ui.agenda.dialog_kit import (
    Choices,
    SlotTimeEdit,
    combo_id,
    date_box,
    fill_combo,
    from_qdate,
    local,
    select_data,
    to_qdate,
    to_qtime,
    utc_moment,
)
from clinic_desktop.ui.agenda.patient_picker import PatientPicker
from clinic_desktop.ui.context import UiContext
from clinic_desktop.ui.style import set_role
from clinic_desktop.ui.widgets.forms import FieldError, FormErrors

DEFAULT_MINUTES = 30


@dataclass(frozen=True)
class FormValues:
    patient_id: uuid.UUID | None
    practitioner_id: uuid.UUID | None
    room_id: uuid.UUID | None
    type_id: uuid.UUID | None
    mode: str
    start: datetime  # aware UTC
    minutes: int
    reason: str
    notes: str


def _stack(field: QWidget | QLayout, error: FieldError) -> QVBoxLayout:
    box = QVBoxLayout()
    box.setSpacing(2)
    box.setContentsMargins(0, 0, 0, 0)
    if isinstance(field, QLayout):
        box.addLayout(field)
    else:
        box.addWidget(field)
    box.addWidget(error)
    return box


class AppointmentForm(QWidget):
    """The booking fields; `when_changed` fires when the time or the place changes (which
    makes an earlier override or series preview stale)."""

    when_changed = Signal()

    def __init__(self, ctx: UiContext, zone: ZoneInfo, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._zone = zone
        self._types: dict[str, AppointmentTypeDTO] = {}
        self.setObjectName("AppointmentForm")
        self.general_error = FieldError("AppointmentFormError", self)
        self.errors = FormErrors(self.general_error)

        def error(field: str, widget: QWidget | None, *aliases: str) -> FieldError:
            label = FieldError(f"{field.capitalize()}Error", self)
            label.setMinimumWidth(0)
            for name in (field, *aliases):
                self.errors.add(name, label, widget)
            return label

        self.patient_picker = PatientPicker(ctx, self)
        self.patient_error = error("patient", self.patient_picker.search_edit)
        self.practitioner_combo = QComboBox(self)
        self.practitioner_combo.setObjectName("PractitionerCombo")
        self.practitioner_error = error("practitioner", self.practitioner_combo)
        self.room_combo = QComboBox(self)
        self.room_combo.setObjectName("RoomCombo")
        self.room_error = error("room", self.room_combo)
        self.type_combo = QComboBox(self)
        self.type_combo.setObjectName("TypeCombo")
        self.type_error = error("type", self.type_combo)
        self.date_edit = date_box("DateEdit", self)
        self.time_edit = SlotTimeEdit("StartTimeEdit", self)
        self.duration_spin = QSpinBox(self)
        self.duration_spin.setObjectName("DurationSpin")
        self.duration_spin.setRange(5, 12 * 60)
        self.duration_spin.setSingleStep(5)
        self.duration_spin.setSuffix(_(" min"))
        self.duration_spin.setValue(DEFAULT_MINUTES)
        self.end_label = QLabel(self)
        self.end_label.setObjectName("EndLabel")
        set_role(self.end_label, "hint")
        self.time_error = error("start", self.time_edit, "end")
        self.duration_error = error("duration", self.duration_spin)
        self.mode_group = QButtonGroup(self)
        self.mode_buttons: dict[str, QRadioButton] = {}
        mode_row = QHBoxLayout()
        mode_row.setContentsMargins(0, 0, 0, 0)
        for code in ("in_person", "telemedicine"):
            button = QRadioButton(mode_label(code), self)
            button.setObjectName(f"Mode_{code}")
            self.mode_group.addButton(button)
            self.mode_buttons[code] = button
            mode_row.addWidget(button)
        mode_row.addStretch(1)
        self.mode_buttons["in_person"].setChecked(True)
        self.mode_error = error("mode", None)
        self.reason_edit = QLineEdit(self)
        self.reason_edit.setObjectName("ReasonEdit")
        self.reason_edit.setMaxLength(300)
        self.reason_edit.setPlaceholderText(_("What the patient comes for, in a few words"))
        self.reason_error = error("reason", self.reason_edit)
        self.notes_edit = QPlainTextEdit(self)
        self.notes_edit.setObjectName("NotesEdit")
        self.notes_edit.setPlaceholderText(
            _("Non-clinical notes: bring previous tests, needs a wheelchair…")
        )
        self.notes_edit.setTabChangesFocus(True)
        self.notes_edit.setFixedHeight(56)
        self.notes_error = error("notes", self.notes_edit)

        when = QHBoxLayout()
        when.setContentsMargins(0, 0, 0, 0)
        when.addWidget(self.date_edit)
        when.addSpacing(6)
        when.addWidget(QLabel(_("at"), self))
        when.addWidget(self.time_edit)
        when.addSpacing(6)
        when.addWidget(QLabel(_("for"), self))
        when.addWidget(self.duration_spin)
        when.addSpacing(6)
        when.addWidget(self.end_label, 1)
        when_errors = QVBoxLayout()
        when_errors.setSpacing(2)
        when_errors.addLayout(when)
        when_errors.addWidget(self.time_error)
        when_errors.addWidget(self.duration_error)

        # Two columns where the fields are short (practitioner and room, type and mode), so
        # the dialog still fits a laptop screen with the repeat section open.
        grid = QGridLayout(self)
        grid.setContentsMargins(0, 0, 0, 0)
        grid.setHorizontalSpacing(10)
        grid.setVerticalSpacing(8)
        cells: list[tuple[int, int, str, QVBoxLayout, QWidget, int]] = [
            (0, 0, _("Patient"), _stack(self.patient_picker, self.patient_error),
             self.patient_picker.search_edit, 3),
            (1, 0, _("Practitioner"), _stack(self.practitioner_combo, self.practitioner_error),
             self.practitioner_combo, 1),
            (1, 2, _("Room"), _stack(self.room_combo, self.room_error), self.room_combo, 1),
            (2, 0, _("Type"), _stack(self.type_combo, self.type_error), self.type_combo, 1),
            (2, 2, _("Mode"), _stack(mode_row, self.mode_error), self.type_combo, 1),
            (3, 0, _("When"), when_errors, self.time_edit, 3),
            (4, 0, _("Reason"), _stack(self.reason_edit, self.reason_error),
             self.reason_edit, 3),
            (5, 0, _("Notes"), _stack(self.notes_edit, self.notes_error), self.reason_edit, 3),
        ]  # fmt: skip
        for row, column, text, cell, anchor, span in cells:
            label = QLabel(text, self)
            # As tall as the field's first line, so the text sits level with it.
            label.setFixedHeight(max(anchor.sizeHint().height(), 30))
            label.setAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter)
            grid.addWidget(label, row, column, Qt.AlignmentFlag.AlignTop)
            grid.addLayout(cell, row, column + 1, 1, span)
        grid.addWidget(self.general_error, 6, 1, 1, 3)
        grid.setColumnStretch(1, 3)
        grid.setColumnStretch(3, 2)

        self.type_combo.activated.connect(self._on_type_activated)
        for signal in (
            self.date_edit.dateChanged,
            self.time_edit.timeChanged,
            self.duration_spin.valueChanged,
            self.practitioner_combo.currentIndexChanged,
            self.room_combo.currentIndexChanged,
        ):
            signal.connect(self._on_when_changed)
        self._update_end()

    # -- filling ---------------------------------------------------------------------------

    def set_choices(self, choices: Choices) -> None:
        self.time_edit.step = choices.slot_minutes
        self._types = {str(t.id): t for t in choices.types}
        fill_combo(
            self.practitioner_combo,
            [(p.display_name, p.id) for p in choices.practitioners],
            keep=self.practitioner_combo.currentData(),
        )
        fill_combo(
            self.room_combo,
            [(r.name, r.id) for r in choices.rooms],
            keep=self.room_combo.currentData(),
            empty=_("No room"),
        )
        fill_combo(
            self.type_combo,
            [
                (_("{name} ({minutes} min)").format(name=t.name, minutes=t.duration_minutes), t.id)
                for t in choices.types
            ],
            keep=self.type_combo.currentData(),
            empty=_("No type"),
        )

    def offer_missing(self, combo: QComboBox, item_id: uuid.UUID | None, text: str | None) -> None:
        """Keeps an inactive practitioner, room or type of an old appointment selectable."""
        if item_id is not None and not select_data(combo, item_id):
            combo.addItem(text or "—", str(item_id))
            select_data(combo, item_id)

    def set_when(self, start: datetime, minutes: int) -> None:
        moment = local(start, self._zone)
        self.date_edit.setDate(to_qdate(moment.date()))
        self.time_edit.setTime(to_qtime(moment.time()))
        self.duration_spin.setValue(max(self.duration_spin.minimum(), minutes))

    def set_mode(self, mode: str) -> None:
        button = self.mode_buttons.get(mode)
        if button is not None:
            button.setChecked(True)

    def apply_type(self, type_id: uuid.UUID | None) -> None:
        """Chooses a type and takes its usual duration and mode, as when picked by hand."""
        select_data(self.type_combo, type_id)
        self._on_type_activated(self.type_combo.currentIndex())

    def lock_time(self, reason: str) -> None:
        """An appointment under way or finished keeps its time, place and patient."""
        for widget in (
            self.date_edit,
            self.time_edit,
            self.duration_spin,
            self.practitioner_combo,
            self.room_combo,
        ):
            widget.setEnabled(False)
            widget.setToolTip(reason)
        self.patient_picker.set_read_only(True)

    # -- reading ---------------------------------------------------------------------------

    def start(self) -> datetime:
        day = from_qdate(self.date_edit.date())
        return utc_moment(day, self.time_edit.value(), self._zone)

    def mode(self) -> str:
        for code, button in self.mode_buttons.items():
            if button.isChecked():
                return code
        return "in_person"

    def values(self) -> FormValues:
        return FormValues(
            patient_id=self.patient_picker.patient_id(),
            practitioner_id=combo_id(self.practitioner_combo),
            room_id=combo_id(self.room_combo),
            type_id=combo_id(self.type_combo),
            mode=self.mode(),
            start=self.start(),
            minutes=self.duration_spin.value(),
            reason=self.reason_edit.text(),
            notes=self.notes_edit.toPlainText(),
        )

    # -- internals -------------------------------------------------------------------------

    def _on_type_activated(self, _index: int) -> None:
        kind = self._types.get(self.type_combo.currentData() or "")
        if kind is not None:
            self.duration_spin.setValue(kind.duration_minutes)
            self.set_mode(kind.mode)

    def _on_when_changed(self, *_args: object) -> None:
        self._update_end()
        self.when_changed.emit()

    def _update_end(self) -> None:
        end = local(self.start(), self._zone) + timedelta(minutes=self.duration_spin.value())
        self.end_label.setText(_("ends {time}").format(time=f"{end:%H:%M}"))
