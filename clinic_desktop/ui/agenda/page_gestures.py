"""What the agenda page does with the time grid's gestures: the live conflict check while a
block is dragged, and the requests the grid emits (create on free time, move, resize,
double-click, right-click), each turned into the practitioner and room its column stands for
(a practitioner, a room or a day of one practitioner's week) and handed to the appointment
changes or the dialogs."""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING

from PySide6.QtCore import QPoint

from clinic_desktop.services.agenda_dto import AppointmentDTO
from clinic_desktop.ui.agenda.grid_data import Target, column_target, to_local, to_utc
from clinic_desktop.ui.agenda.time_grid import TimeGridView

if TYPE_CHECKING:
    from clinic_desktop.ui.agenda.page import AgendaPage


class GridGestures:
    def __init__(self, page: AgendaPage, grid: TimeGridView) -> None:
        self._page = page
        grid.set_conflict_checker(self.check_conflict)
        grid.create_requested.connect(self.create)
        grid.move_requested.connect(self.move)
        grid.resize_requested.connect(self.resize)
        grid.block_activated.connect(self.activate)
        grid.block_context_requested.connect(self.block_menu)
        grid.empty_context_requested.connect(self.empty_menu)
        grid.drop_refused.connect(self.refused)

    def _target(self, column: str, appointment: AppointmentDTO | None) -> Target:
        page = self._page
        return column_target(
            page.layout_kind(),
            column,
            appointment=appointment,
            practitioner_id=page.practitioner_id,
        )

    def check_conflict(
        self, key: str | None, column: str, start: datetime, end: datetime
    ) -> str | None:
        """The grid's live check: a clash with a loaded appointment, as a message, or None."""
        finder = self._page.finder
        if finder is None:
            return None
        target = self._target(column, self._page.appointment(key))
        return finder.conflict(
            key=key,
            practitioner_id=target.practitioner_id,
            room_id=target.room_id,
            start=start,
            end=end,
        )

    def create(self, column: str, start: datetime, end: datetime) -> None:
        page = self._page
        target = self._target(column, None)
        page.dialogs.new_appointment(
            practitioner_id=target.practitioner_id,
            start=to_utc(start, page.zone),
            minutes=int((end - start).total_seconds() // 60),
        )

    def move(self, key: str, column: str, start: datetime, _end: object = None) -> None:
        """Moves appointment `key` to `start` (naive local) in grid column `column`."""
        page = self._page
        appointment = page.appointment(key)
        if appointment is None:
            return
        page.banner.clear_message()
        target = self._target(column, appointment)
        page.changes.move(
            appointment,
            start=to_utc(start, page.zone),
            practitioner_id=target.practitioner_id,
            room_id=target.room_id,
            change_room=target.room_changed,
        )

    def resize(self, key: str, new_end: datetime) -> None:
        page = self._page
        appointment = page.appointment(key)
        if appointment is None:
            return
        page.banner.clear_message()
        start = to_local(appointment.start, page.zone)
        minutes = int((new_end - start).total_seconds() // 60)
        page.changes.move(appointment, start=appointment.start, minutes=minutes)

    def activate(self, key: str) -> None:
        appointment = self._page.appointment(key)
        if appointment is not None:
            self._page.dialogs.edit_appointment(appointment)

    def block_menu(self, key: str, pos: QPoint) -> None:
        appointment = self._page.appointment(key)
        if appointment is not None:
            self._page.dialogs.popup_appointment_menu(appointment, pos)

    def empty_menu(self, column: str, moment: datetime, pos: QPoint) -> None:
        self._page.dialogs.build_empty_menu(column, moment).popup(pos)

    def refused(self, message: str) -> None:
        self._page.show_error(message, kind="warn")
