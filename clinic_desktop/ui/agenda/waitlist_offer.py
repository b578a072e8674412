"""Filling a freed slot from the waitlist: after a cancellation, the patients waiting for a slot
like this one (their practitioner or any, their weekdays and hours, a duration that fits) are
listed oldest first, and one click gives the slot to the selected patient: their current
appointment moves forward, or a new one is booked, and they leave the waitlist."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from datetime import datetime
from zoneinfo import ZoneInfo

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QHeaderView,
    QLabel,
    QVBoxLayout,
    QWidget,
)

from clinic_desktop.i18n import _
from clinic_desktop.services.agenda_dto import AppointmentDTO, WaitlistDTO
from clinic_desktop.services.waitlist import book_from_waitlist
from clinic_desktop.ui.agenda.dialog_kit import (
    clock_text,
    day_text,
    local,
    short_day_text,
    since_text,
    weekdays_text,
    zone_of,
)
from clinic_desktop.ui.context import UiContext
from clinic_desktop.ui.style import bold, set_role
from clinic_desktop.ui.widgets.screen_kit import Column, ListTableModel, MessageBanner, list_table


def wanted_times(entry: WaitlistDTO) -> str:
    return f"{entry.earliest:%H:%M}–{entry.latest:%H:%M}"


def waiting_since(entry: WaitlistDTO, zone: ZoneInfo) -> str:
    return since_text(local(entry.created_at, zone).date())


def waitlist_note(entry: WaitlistDTO, ctx: UiContext) -> str:
    """What else reception should know: the appointment they hold now, and their note."""
    zone = zone_of(ctx)
    parts = []
    if entry.current_appointment_start is not None:
        held = local(entry.current_appointment_start, zone)
        parts.append(
            _("Has an appointment on {day} at {time}").format(
                day=short_day_text(held.date()), time=f"{held:%H:%M}"
            )
        )
    if entry.note:
        parts.append(entry.note)
    return " · ".join(parts)


class WaitlistOfferDialog(QDialog):
    booked = Signal(object)  # AppointmentDTO

    def __init__(
        self,
        ctx: UiContext,
        matches: Sequence[WaitlistDTO],
        practitioner_id: uuid.UUID,
        start: datetime,
        parent: QWidget | None = None,
        *,
        practitioner_name: str = "",
        minutes: int | None = None,
    ) -> None:
        super().__init__(parent)
        self._ctx = ctx
        self._practitioner_id = practitioner_id
        self._start = start
        zone = zone_of(ctx)
        self.setObjectName("WaitlistOfferDialog")
        self.setWindowTitle(_("Offer the slot to the waitlist"))
        self.setMinimumWidth(760)

        moment = local(start, zone)
        when = _("{day} at {time}").format(
            day=day_text(moment.date()), time=clock_text(start, zone)
        )
        if minutes:
            when = _("{when} ({minutes} min)").format(when=when, minutes=minutes)
        if practitioner_name:
            when = _("{when} with {practitioner}").format(when=when, practitioner=practitioner_name)
        title = QLabel(_("A slot is free: {when}").format(when=when), self)
        title.setObjectName("OfferSlotLabel")
        title.setWordWrap(True)
        bold(title, 12)
        intro = QLabel(
            _(
                "These patients on the waitlist want a slot like this one (oldest first). "
                "Call them and book the one who takes it."
            ),
            self,
        )
        intro.setWordWrap(True)
        set_role(intro, "hint")
        self.banner = MessageBanner("OfferMessage", self)

        self.model: ListTableModel[WaitlistDTO] = ListTableModel(
            [
                Column(_("Patient"), lambda e: e.patient_name),
                Column(_("Phone"), lambda e: e.patient_phone or "—"),
                Column(_("Days"), lambda e: weekdays_text(e.weekdays)),
                Column(_("Times"), wanted_times),
                Column(
                    _("Waiting since"), lambda e: short_day_text(local(e.created_at, zone).date())
                ),
                Column(_("Note"), lambda e: waitlist_note(e, ctx)),
            ],
            self,
        )
        self.model.set_rows(matches)
        self.table = list_table(self.model, "OfferTable", self)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setStretchLastSection(True)
        self.table.doubleClicked.connect(lambda _index: self._on_book_clicked())
        if matches:
            self.table.selectRow(0)

        self.buttons = QDialogButtonBox(self)
        self.book_button = self.buttons.addButton(
            _("Book selected into this slot"), QDialogButtonBox.ButtonRole.AcceptRole
        )
        self.book_button.setObjectName("BookFromWaitlistButton")
        set_role(self.book_button, "primary")
        self.book_button.setDefault(True)
        later = self.buttons.addButton(_("Not now"), QDialogButtonBox.ButtonRole.RejectRole)
        later.setObjectName("OfferLaterButton")
        self.book_button.clicked.connect(self._on_book_clicked)
        later.clicked.connect(self.reject)

        layout = QVBoxLayout(self)
        layout.setSpacing(10)
        layout.addWidget(title)
        layout.addWidget(intro)
        layout.addWidget(self.banner)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.buttons)
        self.resize(820, 200 + 34 * min(len(matches), 8))

    def entries(self) -> list[WaitlistDTO]:
        return self.model.rows()

    def selected_entry(self) -> WaitlistDTO | None:
        rows = self.table.selectionModel().selectedRows()
        return self.model.row_at(rows[0].row()) if rows else None

    def book(self, entry_id: uuid.UUID) -> None:
        """Gives the slot to that waitlist entry; closes on success, shows why otherwise."""
        self.banner.clear_message()
        ctx = self._ctx
        self.book_button.setEnabled(False)
        ctx.runner.run(
            lambda: book_from_waitlist(
                ctx.uow(),
                actor=ctx.actor,
                entry_id=entry_id,
                practitioner_id=self._practitioner_id,
                start=self._start,
            ),
            on_done=self._on_booked,
            on_error=self._on_book_error,
            parent=self,
        )

    def _on_book_clicked(self) -> None:
        entry = self.selected_entry()
        if entry is None:
            self.banner.show_message(_("Select a patient first."), "warn")
            return
        self.book(entry.id)

    def _on_booked(self, appointment: AppointmentDTO) -> None:
        self.book_button.setEnabled(True)
        self.booked.emit(appointment)
        self.accept()

    def _on_book_error(self, message: str) -> None:
        self.book_button.setEnabled(True)
        self.banner.show_message(message, "error")
