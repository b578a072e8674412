"""The rooms tab: consultorios and dental chairs an appointment may take (a room is optional
per appointment, but two appointments never share one at the same time). Rooms are switched
off rather than deleted, so past appointments keep theirs."""

from __future__ import annotations

from typing import Any

from PySide6.QtWidgets import QCheckBox, QLineEdit, QSpinBox, QWidget

from clinic_desktop.i18n import _
from clinic_desktop.services.agenda_dto import RoomDTO
from clinic_desktop.services.schedules import list_rooms, save_room
from clinic_desktop.ui.context import UiContext
from clinic_desktop.ui.schedules.common import SwatchListModel, hint
from clinic_desktop.ui.schedules.list_editor import ListEditorTab
from clinic_desktop.ui.widgets.screen_kit import Column


class RoomsTab(ListEditorTab[RoomDTO]):
    def __init__(self, ctx: UiContext, parent: QWidget | None = None) -> None:
        model: SwatchListModel[RoomDTO] = SwatchListModel(
            [
                Column(_("Name"), lambda r: r.name),
                Column(_("Order"), lambda r: str(r.sort_order)),
                Column(_("Status"), lambda r: _("Active") if r.active else _("Inactive")),
            ],
            active=lambda r: r.active,
        )
        super().__init__(ctx, name="Room", model=model, new_text=_("New room"), parent=parent)
        self.list_title.setText(_("Rooms and chairs"))
        self.name_edit = QLineEdit(self)
        self.name_edit.setObjectName("RoomNameEdit")
        self.name_edit.setMaxLength(80)
        self.name_edit.setPlaceholderText(_("For example: Consultorio 1, Sillón 2"))
        self.active_check = QCheckBox(_("Can be booked"), self)
        self.active_check.setObjectName("RoomActiveCheck")
        self.sort_spin = QSpinBox(self)
        self.sort_spin.setObjectName("RoomSortSpin")
        self.sort_spin.setRange(0, 999)
        self.sort_spin.setFixedWidth(110)
        self.sort_spin.setToolTip(_("Lower numbers come first in lists and in the room view."))
        self.add_field(_("Name"), "name", self.name_edit)
        self.add_field(_("Order"), "sort_order", self.sort_spin)
        self.add_field("", None, self.active_check)
        self.editor_column.addWidget(
            hint(
                _(
                    "A room that is no longer used is switched off instead of deleted, so past "
                    "appointments keep it."
                ),
                self,
            )
        )
        self.editor_column.addStretch(1)

    def load_rows(self) -> list[RoomDTO]:
        ctx = self._ctx
        return list_rooms(ctx.uow(), actor=ctx.actor, include_inactive=True)

    def title_for(self, item: RoomDTO | None) -> str:
        return _("New room") if item is None else item.name

    def name_of(self, item: RoomDTO) -> str:
        return item.name

    def fill(self, item: RoomDTO | None) -> None:
        if item is None:
            self.name_edit.clear()
            self.active_check.setChecked(True)
            self.sort_spin.setValue(max((r.sort_order for r in self.model.rows()), default=0) + 1)
            return
        self.name_edit.setText(item.name)
        self.active_check.setChecked(item.active)
        self.sort_spin.setValue(item.sort_order)

    def values(self) -> dict[str, Any]:
        return {
            "name": self.name_edit.text(),
            "active": self.active_check.isChecked(),
            "sort_order": self.sort_spin.value(),
        }

    def save_values(self, values: dict[str, Any], item: RoomDTO | None) -> RoomDTO:
        ctx = self._ctx
        if item is None:
            return save_room(ctx.uow(), actor=ctx.actor, **values)
        return save_room(
            ctx.uow(), actor=ctx.actor, room_id=item.id, expected_version=item.version, **values
        )
