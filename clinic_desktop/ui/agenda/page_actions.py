"""The menus and dialogs the agenda page opens: the status menu of an appointment (where
"Start consultation" opens its note for doctors, as the waiting room does) and the menu of
free time, the appointment editor (new, prefilled from where the user clicked, or an
existing one), cancelling, the slot finder, an appointment's move history, printing the day
and exporting .ics. Each dialog opens non-modally and is kept in an attribute, so a second
click and the tests reach the one that is open."""

from __future__ import annotations

import uuid
from datetime import date, datetime
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QPoint
from PySide6.QtWidgets import QMenu, QWidget

from clinic_desktop.services import agenda_queries
from clinic_desktop.services.agenda_dto import AppointmentDTO, MoveDTO
from clinic_desktop.ui.agenda import page_views
from clinic_desktop.ui.agenda.consultation import IN_CONSULTATION, opens_note, start_consultation
from clinic_desktop.ui.agenda.grid_data import column_target, to_local, to_utc
from clinic_desktop.ui.agenda.page_history import MoveHistoryDialog
from clinic_desktop.ui.agenda.status_menu import AppointmentActions, appointment_menu, empty_menu
from clinic_desktop.ui.billing import invoice_actions
from clinic_desktop.ui.inventory.appointment_work_dialog import open_appointment_work

if TYPE_CHECKING:
    from clinic_desktop.ui.agenda.page import AgendaPage


class AgendaActions:
    def __init__(self, page: AgendaPage) -> None:
        self._page = page
        self._ctx = page.ctx
        # What is open right now (None until first opened).
        self.appointment_dialog: Any = None
        self.cancel_dialog: Any = None
        self.slot_finder: Any = None
        self.history_dialog: MoveHistoryDialog | None = None
        self.menu: QMenu | None = None

    @property
    def can_book(self) -> bool:
        return self._ctx.can("agenda.book")

    # -- menus ----------------------------------------------------------------------------------

    def build_appointment_menu(self, appointment: AppointmentDTO) -> QMenu:
        page = self._page
        actions = AppointmentActions(
            change_status=self.change_status,
            cancel=self.cancel_appointment,
            edit=self.edit_appointment,
            history=self.show_history,
            print_day=lambda a: self.print_day(
                a.practitioner_id, to_local(a.start, page.zone).date()
            ),
            work=self.open_work if self._sees_work() else None,
            invoice=self.open_invoice if self._ctx.can("billing.manage") else None,
        )
        self.menu = appointment_menu(page, appointment, actions, can_book=self.can_book)
        return self.menu

    def _sees_work(self) -> bool:
        # The services let anyone who sees the agenda or the chart read an appointment's work.
        return self._ctx.can("agenda.view") or self._ctx.can("clinical.read")

    def open_work(self, appointment: AppointmentDTO) -> None:
        open_appointment_work(self._ctx, appointment.id, self._page)

    def open_invoice(self, appointment: AppointmentDTO) -> None:
        """The appointment's invoice (issued, or the draft being written) or a new draft."""
        invoice_actions.invoice_appointment(
            self._ctx, self._page, appointment.id, on_error=self._page.show_error
        )

    def change_status(self, appointment: AppointmentDTO, status: str) -> None:
        """The menu's status entries. "Start consultation" by someone who writes notes also
        opens the appointment's note, as in the waiting room; every other change (and anyone
        else's start) only moves the status."""
        page = self._page
        if status != IN_CONSULTATION or not opens_note(self._ctx):
            page.changes.change_status(appointment, status)
            return

        def failed(message: str) -> None:
            page.show_error(message)
            page.reload()

        start_consultation(
            self._ctx,
            appointment.id,
            on_done=lambda _started: page.reload(),
            on_error=failed,
            parent=page,
        )

    def popup_appointment_menu(self, appointment: AppointmentDTO, pos: QPoint) -> None:
        self.build_appointment_menu(appointment).popup(pos)

    def build_empty_menu(self, column: str, moment: datetime) -> QMenu:
        """The menu of free time at `moment` (naive local) in grid column `column`."""
        page = self._page
        target = column_target(
            page.layout_kind(), column, appointment=None, practitioner_id=page.practitioner_id
        )
        self.menu = empty_menu(
            page,
            can_book=self.can_book,
            new_here=lambda: self.new_appointment(
                practitioner_id=target.practitioner_id, start=to_utc(moment, page.zone)
            ),
            print_day=lambda: self.print_day(target.practitioner_id, moment.date()),
            time_text=f"{moment:%H:%M}",
        )
        return self.menu

    # -- the appointment editor -----------------------------------------------------------------

    def new_appointment(
        self,
        *,
        practitioner_id: uuid.UUID | None = None,
        start: datetime | None = None,
        minutes: int | None = None,
    ) -> Any:
        """Opens the editor for a new appointment (`start` aware UTC); None without
        agenda.book. Without a practitioner or start it proposes the shown ones."""
        if not self.can_book:
            return None
        page = self._page
        if practitioner_id is None:
            practitioner_id = page.practitioner_id
        if start is None:
            start = page_views.suggested_start(page, practitioner_id)
        dialog = page_views.appointment_dialog(
            self._ctx, page, practitioner_id=practitioner_id, start=start, minutes=minutes
        )
        return self._open_editor(dialog)

    def edit_appointment(self, appointment: AppointmentDTO) -> Any:
        dialog = page_views.appointment_dialog(self._ctx, self._page, appointment=appointment)
        return self._open_editor(dialog)

    def _open_editor(self, dialog: Any) -> Any:
        dialog.saved.connect(self._on_editor_saved)
        self.appointment_dialog = dialog
        dialog.open()
        return dialog

    def _on_editor_saved(self, _appointment: object) -> None:
        self._page.banner.clear_message()
        self._page.reload()

    # -- other dialogs --------------------------------------------------------------------------

    def cancel_appointment(self, appointment: AppointmentDTO) -> Any:
        dialog = page_views.cancel_dialog(self._ctx, self._page, appointment)
        dialog.cancelled.connect(self._on_cancelled)
        self.cancel_dialog = dialog
        dialog.open()
        return dialog

    def _on_cancelled(self, _result: object) -> None:
        self._page.reload()

    def find_slot(self) -> Any:
        dialog = page_views.slot_finder(self._ctx, self._page, self._page.practitioner_id)
        self.slot_finder = dialog
        dialog.open()
        return dialog

    def show_history(self, appointment: AppointmentDTO) -> None:
        ctx = self._ctx
        ctx.runner.run(
            lambda: agenda_queries.get_appointment(
                ctx.uow(), actor=ctx.actor, appointment_id=appointment.id
            ),
            on_done=self._on_history_loaded,
            on_error=self._page.show_error,
        )

    def _on_history_loaded(self, result: tuple[AppointmentDTO, list[MoveDTO]]) -> None:
        appointment, moves = result
        self.history_dialog = MoveHistoryDialog(appointment, moves, self._page.zone, self._page)
        self.history_dialog.open()

    # -- files ----------------------------------------------------------------------------------

    def print_day(self, practitioner_id: uuid.UUID | None = None, day: date | None = None) -> None:
        """Prints one practitioner's day: the one given, the one filtered or shown, or asks."""
        page = self._page
        shown = page.shown_practitioners()
        preferred = practitioner_id or page.practitioner_id
        if preferred is not None:
            shown = [p for p in page.practitioners if p.id == preferred] or shown
        page.files.print_day(shown, day or page.day, preferred)

    def export_ics(self) -> QWidget:
        page = self._page
        first, last = page_views.export_range(page.view, page.day)
        selected = page.practitioner_id or page.default_practitioner()
        return page.files.export_ics(page.practitioners, selected, first, last)
