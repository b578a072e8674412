"""The appointment types tab: what can be booked (a consultation, a cleaning, a video call),
each with the duration it fills by default, the colour its blocks take in the calendar and
whether it happens in person or by telemedicine. Types are switched off, not deleted."""

from __future__ import annotations

from typing import Any

from PySide6.QtWidgets import QCheckBox, QComboBox, QLineEdit, QSpinBox, QWidget

from clinic_desktop.i18n import _
from clinic_desktop.services.agenda_dto import AppointmentTypeDTO
from clinic_desktop.services.agenda_labels import MODE_LABELS, mode_label
from clinic_desktop.services.schedules import list_appointment_types, save_appointment_type
from clinic_desktop.ui.context import UiContext
from clinic_desktop.ui.schedules.common import PRESET_COLOURS, ColourField, SwatchListModel
from clinic_desktop.ui.schedules.hours_editor import duration_text
from clinic_desktop.ui.schedules.list_editor import ListEditorTab
from clinic_desktop.ui.widgets.screen_kit import Column


class TypesTab(ListEditorTab[AppointmentTypeDTO]):
    def __init__(self, ctx: UiContext, parent: QWidget | None = None) -> None:
        model: SwatchListModel[AppointmentTypeDTO] = SwatchListModel(
            [
                Column(_("Name"), lambda t: t.name),
                Column(_("Duration"), lambda t: duration_text(t.duration_minutes)),
                Column(_("Mode"), lambda t: mode_label(t.mode)),
                Column(_("Status"), lambda t: _("Active") if t.active else _("Inactive")),
            ],
            colour=lambda t: t.colour,
            active=lambda t: t.active,
        )
        super().__init__(
            ctx, name="Type", model=model, new_text=_("New appointment type"), parent=parent
        )
        self.list_title.setText(_("Appointment types"))
        self.name_edit = QLineEdit(self)
        self.name_edit.setObjectName("TypeNameEdit")
        self.name_edit.setMaxLength(80)
        self.name_edit.setPlaceholderText(_("For example: First consultation"))
        self.duration_spin = QSpinBox(self)
        self.duration_spin.setObjectName("TypeDurationSpin")
        # Wider than the service's limits, so an out-of-range value gets its clear message.
        self.duration_spin.setRange(0, 999)
        self.duration_spin.setSingleStep(5)
        self.duration_spin.setSuffix(" " + _("min"))
        self.duration_spin.setFixedWidth(120)
        self.colour_field = ColourField("TypeColour", self)
        self.mode_combo = QComboBox(self)
        self.mode_combo.setObjectName("TypeModeCombo")
        self.mode_combo.setMinimumWidth(200)
        for code, label in MODE_LABELS.items():
            self.mode_combo.addItem(_(label), code)
        self.active_check = QCheckBox(_("Can be booked"), self)
        self.active_check.setObjectName("TypeActiveCheck")
        self.add_field(_("Name"), "name", self.name_edit)
        self.add_field(_("Duration"), "duration_minutes", self.duration_spin)
        self.add_field(_("Colour"), "colour", self.colour_field, self.colour_field.edit)
        self.add_field(_("Mode"), "mode", self.mode_combo)
        self.add_field("", None, self.active_check)
        self.editor_column.addStretch(1)

    def load_rows(self) -> list[AppointmentTypeDTO]:
        ctx = self._ctx
        return list_appointment_types(ctx.uow(), actor=ctx.actor, include_inactive=True)

    def title_for(self, item: AppointmentTypeDTO | None) -> str:
        return _("New appointment type") if item is None else item.name

    def name_of(self, item: AppointmentTypeDTO) -> str:
        return item.name

    def fill(self, item: AppointmentTypeDTO | None) -> None:
        if item is None:
            used = {t.colour.upper() for t in self.model.rows()}
            self.name_edit.clear()
            self.duration_spin.setValue(30)
            self.colour_field.set_value(
                next((c for c in PRESET_COLOURS if c not in used), PRESET_COLOURS[0])
            )
            self.mode_combo.setCurrentIndex(0)
            self.active_check.setChecked(True)
            return
        self.name_edit.setText(item.name)
        self.duration_spin.setValue(item.duration_minutes)
        self.colour_field.set_value(item.colour)
        self.mode_combo.setCurrentIndex(max(0, self.mode_combo.findData(item.mode)))
        self.active_check.setChecked(item.active)

    def values(self) -> dict[str, Any]:
        return {
            "name": self.name_edit.text(),
            "duration_minutes": self.duration_spin.value(),
            "colour": self.colour_field.value(),
            "mode": self.mode_combo.currentData(),
            "active": self.active_check.isChecked(),
        }

    def save_values(
        self, values: dict[str, Any], item: AppointmentTypeDTO | None
    ) -> AppointmentTypeDTO:
        ctx = self._ctx
        if item is None:
            return save_appointment_type(ctx.uow(), actor=ctx.actor, **values)
        return save_appointment_type(
            ctx.uow(), actor=ctx.actor, type_id=item.id, expected_version=item.version, **values
        )
