"""The practitioners tab: everyone who sees patients in the agenda, with their colour,
specialty and the account they sign in with (or none, for an external practitioner), and
under the editor the weekly hours of the one selected. The details and the hours are saved
separately: the details with the version that was loaded, the hours as a whole week."""

from __future__ import annotations

import uuid
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtGui import QStandardItemModel
from PySide6.QtWidgets import QCheckBox, QComboBox, QHBoxLayout, QLineEdit, QSpinBox, QWidget

from clinic_desktop.errors import UserFacingError
from clinic_desktop.i18n import _
from clinic_desktop.services.agenda_dto import HoursInterval, PractitionerDTO
from clinic_desktop.services.schedules import (
    get_working_hours,
    list_practitioner_accounts,
    list_practitioners,
    save_practitioner,
    set_working_hours,
)
from clinic_desktop.ui.context import UiContext
from clinic_desktop.ui.schedules.common import (
    PRESET_COLOURS,
    ColourField,
    SwatchListModel,
    combo_index,
)
from clinic_desktop.ui.schedules.hours_editor import WeeklyHoursEditor
from clinic_desktop.ui.schedules.list_editor import ListEditorTab
from clinic_desktop.ui.widgets.screen_kit import Column

Account = tuple[uuid.UUID, str, str]  # id, user name, full name


class PractitionersTab(ListEditorTab[PractitionerDTO]):
    def __init__(self, ctx: UiContext, parent: QWidget | None = None) -> None:
        self._accounts: list[Account] = []
        self._hours_of: uuid.UUID | None = None  # whose week the hours editor shows
        model: SwatchListModel[PractitionerDTO] = SwatchListModel(
            [
                Column(_("Name"), lambda p: p.display_name),
                Column(_("Specialty"), lambda p: p.specialty or "—"),
                Column(_("Account"), self._account_text),
                Column(_("Status"), lambda p: _("Active") if p.active else _("Inactive")),
            ],
            colour=lambda p: p.colour,
            active=lambda p: p.active,
        )
        super().__init__(
            ctx, name="Practitioner", model=model, new_text=_("New practitioner"), parent=parent
        )
        self.list_title.setText(_("Practitioners"))

        self.name_edit = QLineEdit(self)
        self.name_edit.setObjectName("PractitionerNameEdit")
        self.name_edit.setPlaceholderText(_("For example: Dra. Valeria Cedeño"))
        self.specialty_edit = QLineEdit(self)
        self.specialty_edit.setObjectName("PractitionerSpecialtyEdit")
        self.specialty_edit.setPlaceholderText(_("For example: Dentistry"))
        self.colour_field = ColourField("PractitionerColour", self)
        self.account_combo = QComboBox(self)
        self.account_combo.setObjectName("PractitionerAccountCombo")
        self.account_combo.setToolTip(
            _("The account this practitioner signs in with: their own day opens first.")
        )
        self.account_combo.currentIndexChanged.connect(self._on_account_combo_changed)
        self.active_check = QCheckBox(_("Takes appointments"), self)
        self.active_check.setObjectName("PractitionerActiveCheck")
        self.sort_spin = QSpinBox(self)
        self.sort_spin.setObjectName("PractitionerSortSpin")
        self.sort_spin.setRange(0, 999)
        self.sort_spin.setFixedWidth(110)
        self.sort_spin.setToolTip(_("Lower numbers come first in the agenda's columns."))

        self.add_field(_("Name"), "display_name", self.name_edit)
        self.add_field(_("Specialty"), None, self.specialty_edit)
        self.add_field(_("Colour"), "colour", self.colour_field, self.colour_field.edit)
        self.add_field(_("Account"), "user_id", self.account_combo)
        order_row = QWidget(self)
        order_layout = QHBoxLayout(order_row)
        order_layout.setContentsMargins(0, 0, 0, 0)
        order_layout.setSpacing(24)
        order_layout.addWidget(self.sort_spin)
        order_layout.addWidget(self.active_check)
        order_layout.addStretch(1)
        self.add_field(_("Order"), "sort_order", order_row, self.sort_spin)

        self.hours_editor = WeeklyHoursEditor(self)
        self.hours_editor.save_requested.connect(self._on_hours_save_requested)
        self.editor_column.addWidget(self.hours_editor)
        self.editor_column.addStretch(1)

    # -- ListEditorTab ---------------------------------------------------------------------

    def load_rows(self) -> list[PractitionerDTO]:
        ctx = self._ctx
        return list_practitioners(ctx.uow(), actor=ctx.actor, include_inactive=True)

    def load_extra(self) -> list[Account]:
        ctx = self._ctx
        return list_practitioner_accounts(ctx.uow(), actor=ctx.actor)

    def after_rows_loaded(self, extra: list[Account]) -> None:
        self._accounts = list(extra)
        self._fill_accounts()

    def title_for(self, item: PractitionerDTO | None) -> str:
        return _("New practitioner") if item is None else item.display_name

    def name_of(self, item: PractitionerDTO) -> str:
        return item.display_name

    def fill(self, item: PractitionerDTO | None) -> None:
        self._fill_accounts(item)
        if item is None:
            self.name_edit.clear()
            self.specialty_edit.clear()
            self.colour_field.set_value(self._unused_colour())
            self.active_check.setChecked(True)
            self.sort_spin.setValue(self._next_order())
            self.account_combo.setCurrentIndex(0)
            return
        self.name_edit.setText(item.display_name)
        self.specialty_edit.setText(item.specialty)
        self.colour_field.set_value(item.colour)
        self.active_check.setChecked(item.active)
        self.sort_spin.setValue(item.sort_order)
        self.account_combo.setCurrentIndex(max(0, combo_index(self.account_combo, item.user_id)))

    def values(self) -> dict[str, Any]:
        return {
            "display_name": self.name_edit.text(),
            "specialty": self.specialty_edit.text(),
            "colour": self.colour_field.value(),
            "user_id": self.account_combo.currentData(),
            "active": self.active_check.isChecked(),
            "sort_order": self.sort_spin.value(),
        }

    def save_values(self, values: dict[str, Any], item: PractitionerDTO | None) -> PractitionerDTO:
        ctx = self._ctx
        if item is None:
            return save_practitioner(ctx.uow(), actor=ctx.actor, **values)
        return save_practitioner(
            ctx.uow(), actor=ctx.actor, practitioner_id=item.id,
            expected_version=item.version, **values,
        )  # fmt: skip

    def after_load(self) -> None:
        item = self.current
        if item is None:
            self._hours_of = None
            self.hours_editor.title_label.setText(_("Weekly hours"))
            self.hours_editor.set_available(
                False, _("Save the new practitioner first, then set their weekly hours here.")
            )
            return
        self.hours_editor.title_label.setText(
            _("Weekly hours of {name}").format(name=item.display_name)
        )
        if item.id == self._hours_of and self.hours_editor.is_dirty():
            return  # the details were saved: keep the week being edited below them
        self.hours_editor.set_available(True)
        ctx, practitioner_id = self._ctx, item.id
        ctx.runner.run(
            lambda: get_working_hours(ctx.uow(), actor=ctx.actor, practitioner_id=practitioner_id),
            on_done=lambda hours: self._on_hours_loaded(practitioner_id, hours),
            on_error=self.show_error,
            parent=self,
        )

    def extra_dirty(self) -> bool:
        return self.hours_editor.is_dirty()

    # -- accounts --------------------------------------------------------------------------

    def _account_text(self, item: PractitionerDTO) -> str:
        if item.user_id is None:
            return _("External")
        return item.username or "—"

    def _fill_accounts(self, item: PractitionerDTO | None = None) -> None:
        """The combo lists every doctor's or owner's account; those already linked to another
        practitioner are shown but cannot be chosen (the service refuses them too)."""
        editing = item if item is not None else self.current
        chosen = self.account_combo.currentData()
        linked = {
            p.user_id: p.display_name
            for p in self.model.rows()
            if p.user_id is not None and (editing is None or p.id != editing.id)
        }
        self.account_combo.blockSignals(True)
        self.account_combo.clear()
        self.account_combo.addItem(_("No account (external)"), None)
        combo_model = self.account_combo.model()
        for uid, username, full_name in self._accounts:
            text = f"{full_name} ({username})"
            if uid in linked:
                text = _("{account} — linked to {name}").format(account=text, name=linked[uid])
            self.account_combo.addItem(text, uid)
            if uid in linked and isinstance(combo_model, QStandardItemModel):
                entry = combo_model.item(self.account_combo.count() - 1)
                entry.setFlags(entry.flags() & ~Qt.ItemFlag.ItemIsEnabled)
        self.account_combo.setCurrentIndex(max(0, combo_index(self.account_combo, chosen)))
        self.account_combo.blockSignals(False)

    def select_account(self, username: str) -> bool:
        for uid, name, _full in self._accounts:
            if name == username:
                index = combo_index(self.account_combo, uid)
                self.account_combo.setCurrentIndex(index)
                return index >= 0
        return False

    def _on_account_combo_changed(self, _index: int) -> None:
        # Linking an account to a blank new practitioner: start from the account's name.
        uid = self.account_combo.currentData()
        if uid is not None and not self.name_edit.text().strip():
            full = next((name for u, _user, name in self._accounts if u == uid), "")
            self.name_edit.setText(full)

    def _unused_colour(self) -> str:
        used = {p.colour.upper() for p in self.model.rows()}
        return next((c for c in PRESET_COLOURS if c not in used), PRESET_COLOURS[0])

    def _next_order(self) -> int:
        return max((p.sort_order for p in self.model.rows()), default=0) + 1

    # -- hours -----------------------------------------------------------------------------

    def _on_hours_loaded(self, practitioner_id: uuid.UUID, hours: list[HoursInterval]) -> None:
        if self.current is not None and self.current.id == practitioner_id:
            self._hours_of = practitioner_id
            self.hours_editor.set_hours(hours)

    def _on_hours_save_requested(self) -> None:
        self.save_hours()

    def save_hours(self) -> None:
        item = self.current
        self.banner.clear_message()
        if item is None or not self.hours_editor.validate():
            return
        ctx, hours = self._ctx, self.hours_editor.hours()
        self.hours_editor.save_button.setEnabled(False)
        ctx.runner.run(
            lambda: set_working_hours(
                ctx.uow(), actor=ctx.actor, practitioner_id=item.id, hours=hours
            ),
            on_done=lambda saved: self._on_hours_saved(item, saved),
            on_error=self._on_hours_failed,
            on_user_error=self._on_hours_refused,
            parent=self,
        )

    def _on_hours_saved(self, item: PractitionerDTO, hours: list[HoursInterval]) -> None:
        self.hours_editor.save_button.setEnabled(True)
        self.hours_editor.set_hours(hours)
        self.banner.show_message(
            _("Saved the weekly hours of {name}.").format(name=item.display_name), "ok"
        )

    def _on_hours_failed(self, message: str) -> None:
        self.hours_editor.save_button.setEnabled(True)
        self.show_error(message)

    def _on_hours_refused(self, error: UserFacingError) -> None:
        self.hours_editor.save_button.setEnabled(True)
        if error.field == "hours":
            self.hours_editor.show_error(error.message)
        else:
            self.banner.show_message(error.message, "error")
