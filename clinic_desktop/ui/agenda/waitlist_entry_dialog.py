"""Putting a patient on the waitlist: who, with which practitioner (or any), what kind of
appointment and how long, on which weekdays and between which hours they could come at short
notice, and a note. A cancellation that fits is then offered to them."""

from __future__ import annotations

from datetime import time

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from clinic_desktop.i18n import _
from clinic_desktop.services.agenda_dto import AppointmentTypeDTO, WaitlistDTO
from clinic_desktop.services.waitlist import add_to_waitlist
from clinic_desktop.ui.agenda.dialog_kit import (
    Choices,
    SaveFailures,
    SlotTimeEdit,
    WeekdayChecks,
    combo_id,
    fill_combo,
    load_choices,
    with_errors,
)
from clinic_desktop.ui.agenda.patient_picker import PatientPicker
from clinic_desktop.ui.context import UiContext
from clinic_desktop.ui.style import set_role
from clinic_desktop.ui.widgets.forms import FieldError, FormErrors
from clinic_desktop.ui.widgets.messages import fit_width
from clinic_desktop.ui.widgets.screen_kit import MessageBanner


class WaitlistEntryDialog(SaveFailures, QDialog):
    saved = Signal(object)  # WaitlistDTO

    def __init__(self, ctx: UiContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._ctx = ctx
        self._types: dict[str, AppointmentTypeDTO] = {}
        self.setObjectName("WaitlistEntryDialog")
        self.setWindowTitle(_("Add to the waitlist"))

        intro = QLabel(
            _("When a slot that suits this patient is freed, the agenda offers it to them."), self
        )
        intro.setWordWrap(True)
        set_role(intro, "hint")
        self.banner = MessageBanner("WaitlistEntryMessage", self)
        self.patient_picker = PatientPicker(ctx, self)
        self.practitioner_combo = QComboBox(self)
        self.practitioner_combo.setObjectName("WaitlistPractitionerCombo")
        self.practitioner_combo.addItem(_("Any practitioner"), None)
        self.practitioner_combo.setMinimumWidth(280)
        self.type_combo = QComboBox(self)
        self.type_combo.setObjectName("WaitlistTypeCombo")
        self.type_combo.addItem(_("No type"), None)
        self.type_combo.setMinimumWidth(280)
        self.duration_spin = QSpinBox(self)
        self.duration_spin.setObjectName("WaitlistDurationSpin")
        self.duration_spin.setRange(5, 12 * 60)
        self.duration_spin.setSingleStep(5)
        self.duration_spin.setSuffix(_(" min"))
        self.duration_spin.setValue(30)
        self.weekday_checks = WeekdayChecks("WaitlistWeekdays", self)
        self.weekday_checks.set_days(range(5))
        self.earliest_edit = SlotTimeEdit("WaitlistEarliestEdit", self)
        self.earliest_edit.set_value(time(8, 0))
        self.latest_edit = SlotTimeEdit("WaitlistLatestEdit", self)
        self.latest_edit.set_value(time(19, 0))
        self.note_edit = QLineEdit(self)
        self.note_edit.setObjectName("WaitlistNoteEdit")
        self.note_edit.setMaxLength(300)
        self.note_edit.setPlaceholderText(_("For example: can come with an hour's notice"))

        self.general_error = FieldError("WaitlistEntryError", self)
        self.errors = FormErrors(self.general_error)
        hours = QHBoxLayout()
        hours.setSpacing(8)
        hours.addWidget(QLabel(_("from"), self))
        hours.addWidget(self.earliest_edit)
        hours.addSpacing(6)
        hours.addWidget(QLabel(_("until"), self))
        hours.addWidget(self.latest_edit)
        hours.addStretch(1)
        form = QFormLayout()
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.ExpandingFieldsGrow)
        form.setLabelAlignment(Qt.AlignmentFlag.AlignLeft)
        rows: list[tuple[str, str, QWidget | QHBoxLayout, QWidget | None]] = [
            ("patient", _("Patient"), self.patient_picker, self.patient_picker.search_edit),
            ("practitioner", _("Practitioner"), self.practitioner_combo, self.practitioner_combo),
            ("type", _("Type"), self.type_combo, self.type_combo),
            ("duration_minutes", _("Duration"), self.duration_spin, self.duration_spin),
            ("weekdays", _("Days"), self.weekday_checks, self.weekday_checks),
            ("latest", _("Hours"), hours, self.latest_edit),
            ("note", _("Note"), self.note_edit, self.note_edit),
        ]
        for field, label, widget, marked in rows:
            error = FieldError(f"Waitlist_{field}_Error", self)
            error.setMinimumWidth(0)
            self.errors.add(field, error, marked)
            form.addRow(label, with_errors(widget, error))

        self.buttons = QDialogButtonBox(self)
        self.save_button = self.buttons.addButton(
            _("Add to the waitlist"), QDialogButtonBox.ButtonRole.AcceptRole
        )
        self.save_button.setObjectName("SaveWaitlistEntryButton")
        self.save_button.setDefault(True)
        set_role(self.save_button, "primary")
        cancel = self.buttons.addButton(_("Cancel"), QDialogButtonBox.ButtonRole.RejectRole)
        self.save_button.clicked.connect(self.save)
        cancel.clicked.connect(self.reject)

        layout = QVBoxLayout(self)
        layout.setSpacing(8)
        layout.addWidget(intro)
        layout.addWidget(self.banner)
        layout.addLayout(form)
        layout.addWidget(self.general_error)
        layout.addWidget(self.buttons)
        self.resize(0, 0)  # fit_width only grows a window; start from its minimum
        fit_width(self, 580)  # messages appearing under the fields get their room

        self.type_combo.activated.connect(self._on_type_activated)
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
            keep=self.practitioner_combo.currentData(),
            empty=_("Any practitioner"),
        )
        self._types = {str(t.id): t for t in choices.types}
        fill_combo(
            self.type_combo,
            [(t.name, t.id) for t in choices.types],
            keep=self.type_combo.currentData(),
            empty=_("No type"),
        )
        self.earliest_edit.step = self.latest_edit.step = choices.slot_minutes

    def _on_type_activated(self, _index: int) -> None:
        kind = self._types.get(self.type_combo.currentData() or "")
        if kind is not None:
            self.duration_spin.setValue(kind.duration_minutes)

    def save(self) -> None:
        self.errors.clear()
        self.banner.clear_message()
        patient_id = self.patient_picker.patient_id()
        if patient_id is None:
            self.errors.show(_("Patient: choose an existing patient."), "patient")
            return
        ctx = self._ctx
        practitioner_id = combo_id(self.practitioner_combo)
        type_id = combo_id(self.type_combo)
        minutes = self.duration_spin.value()
        days = self.weekday_checks.days()
        earliest, latest = self.earliest_edit.value(), self.latest_edit.value()
        note = self.note_edit.text()
        self.save_button.setEnabled(False)
        ctx.runner.run(
            lambda: add_to_waitlist(
                ctx.uow(),
                actor=ctx.actor,
                patient_id=patient_id,
                duration_minutes=minutes,
                weekdays=days,
                earliest=earliest,
                latest=latest,
                practitioner_id=practitioner_id,
                type_id=type_id,
                note=note,
            ),
            on_done=self._on_saved,
            on_error=self._on_save_error,
            on_user_error=self._on_user_error,
            parent=self,
        )

    def _on_saved(self, entry: WaitlistDTO) -> None:
        self.save_button.setEnabled(True)
        self.saved.emit(entry)
        self.accept()
