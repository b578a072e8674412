"""The waitlist panel: the patients waiting for an earlier slot, oldest first, each with their
phone, practitioner (or any), weekdays, hours and how long they have waited. 'Add…' puts a
patient on it, 'Remove' takes the selected one off (after asking), and 'Find a slot' opens the
slot finder with their duration and practitioner. Changes made anywhere refresh it."""

from __future__ import annotations

from datetime import UTC, datetime

from PySide6.QtGui import QShowEvent
from PySide6.QtWidgets import QHBoxLayout, QLabel, QPushButton, QVBoxLayout, QWidget

from clinic_desktop.i18n import _, ngettext
from clinic_desktop.services.agenda_dto import WaitlistDTO
from clinic_desktop.services.waitlist import (
    close_waitlist_entry,
    list_waitlist,
    withdraw_from_waitlist,
)
from clinic_desktop.ui.agenda.dialog_kit import local, since_text, weekdays_text, zone_of
from clinic_desktop.ui.agenda.panel_cards import CardList, CardRow
from clinic_desktop.ui.agenda.slot_finder import SlotFinderDialog
from clinic_desktop.ui.agenda.waitlist_entry_dialog import WaitlistEntryDialog
from clinic_desktop.ui.agenda.waitlist_offer import waitlist_note, wanted_times
from clinic_desktop.ui.context import UiContext
from clinic_desktop.ui.style import set_role
from clinic_desktop.ui.widgets import screen_kit
from clinic_desktop.ui.widgets.screen_kit import MessageBanner


class WaitlistPanel(QWidget):
    def __init__(self, ctx: UiContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._ctx = ctx
        self._zone = zone_of(ctx)
        self._loaded = False
        self.entry_dialog: WaitlistEntryDialog | None = None
        self.slot_finder: SlotFinderDialog | None = None
        self.setObjectName("WaitlistPanel")

        self.summary_label = QLabel(self)
        self.summary_label.setObjectName("WaitlistSummary")
        self.summary_label.setWordWrap(True)
        set_role(self.summary_label, "hint")
        self.banner = MessageBanner("WaitlistMessage", self)
        self.cards: CardList[WaitlistDTO] = CardList(
            "WaitlistList", self._card, _("Nobody is on the waitlist"), self, key=lambda e: e.id
        )
        self.model = self.cards.model
        self.add_button = QPushButton(_("Add…"), self)
        self.add_button.setObjectName("AddWaitlistButton")
        self.add_button.clicked.connect(self.open_add)
        self.remove_button = QPushButton(_("Remove"), self)
        self.remove_button.setObjectName("RemoveWaitlistButton")
        self.remove_button.clicked.connect(self._on_remove_clicked)
        self.find_button = QPushButton(_("Find a slot"), self)
        self.find_button.setObjectName("FindSlotForEntryButton")
        self.find_button.clicked.connect(self._on_find_clicked)
        can_book = ctx.can("agenda.book")
        for button in (self.add_button, self.remove_button):
            button.setVisible(can_book)
        buttons = QHBoxLayout()
        buttons.setSpacing(6)
        buttons.addWidget(self.add_button)
        buttons.addWidget(self.remove_button)
        buttons.addStretch(1)
        buttons.addWidget(self.find_button)

        layout = QVBoxLayout(self)
        layout.setContentsMargins(8, 8, 8, 8)
        layout.setSpacing(8)
        layout.addWidget(self.summary_label)
        layout.addWidget(self.banner)
        layout.addWidget(self.cards, 1)
        layout.addLayout(buttons)

        self.cards.view.selectionModel().selectionChanged.connect(self._update_buttons)
        self.cards.view.doubleClicked.connect(lambda _index: self._on_find_clicked())
        ctx.bridge.waitlist_changed.connect(self._on_bridge_changed)
        self._update_buttons()

    # -- public ----------------------------------------------------------------------------

    def refresh(self) -> None:
        ctx = self._ctx
        ctx.runner.run(
            lambda: list_waitlist(ctx.uow(), actor=ctx.actor),
            on_done=self._on_loaded,
            on_error=self._show_error,
        )

    def entries(self) -> list[WaitlistDTO]:
        return self.model.rows()

    def select(self, entry_id: object) -> bool:
        for row, entry in enumerate(self.model.rows()):
            if entry.id == entry_id:
                self.cards.select_row(row)
                return True
        return False

    def selected(self) -> WaitlistDTO | None:
        return self.cards.current()

    def open_add(self) -> WaitlistEntryDialog:
        dialog = WaitlistEntryDialog(self._ctx, self)
        dialog.saved.connect(lambda _entry: self.refresh())
        self.entry_dialog = dialog
        dialog.open()
        return dialog

    def remove_selected(self) -> None:
        """Takes the selected patient off the waitlist, once confirmed."""
        entry = self.selected()
        if entry is None:
            return
        if not screen_kit.confirm(
            self,
            _("Remove from the waitlist"),
            _("Take {patient} off the waitlist? They will not be offered freed slots.").format(
                patient=entry.patient_name
            ),
            _("Remove"),
        ):
            return
        ctx = self._ctx
        ctx.runner.run(
            lambda: withdraw_from_waitlist(ctx.uow(), actor=ctx.actor, entry_id=entry.id),
            on_done=lambda _result: self.refresh(),
            on_error=self._show_error,
        )

    def find_slot(self) -> SlotFinderDialog | None:
        """The slot finder for the selected entry: their duration and practitioner."""
        entry = self.selected()
        if entry is None:
            return None
        dialog = SlotFinderDialog(
            self._ctx,
            self,
            minutes=entry.duration_minutes,
            patient_id=entry.patient_id,
            patient_name=entry.patient_name,
            practitioner_id=entry.practitioner_id,
        )
        dialog.booked.connect(lambda appointment: self._offer_removal(entry, appointment))
        self.slot_finder = dialog
        dialog.open()
        return dialog

    # -- internals -------------------------------------------------------------------------

    def _offer_removal(self, entry: WaitlistDTO, appointment: object) -> None:
        """They were booked from the slot finder: they likely no longer need to wait, and the
        entry closes as booked with that appointment."""
        if not screen_kit.confirm(
            self,
            _("Remove from the waitlist"),
            _("{patient} now has an appointment. Take them off the waitlist?").format(
                patient=entry.patient_name
            ),
            _("Remove"),
        ):
            return
        ctx = self._ctx
        appointment_id = getattr(appointment, "id", None)

        def close() -> None:
            if appointment_id is None:
                withdraw_from_waitlist(ctx.uow(), actor=ctx.actor, entry_id=entry.id)
            else:
                close_waitlist_entry(
                    ctx.uow(), actor=ctx.actor, entry_id=entry.id, appointment_id=appointment_id
                )

        ctx.runner.run(close, on_done=lambda _result: self.refresh(), on_error=self._show_error)

    def _card(self, entry: WaitlistDTO) -> CardRow:
        who = entry.practitioner_name or _("Any practitioner")
        if entry.type_name:
            who = f"{who} · {entry.type_name}"
        since = local(entry.created_at, self._zone).date()
        lines = [
            who,
            _("{days}, {times} · since {day}").format(
                days=weekdays_text(entry.weekdays), times=wanted_times(entry), day=since_text(since)
            ),
        ]
        contact = " · ".join(t for t in (entry.patient_phone, waitlist_note(entry, self._ctx)) if t)
        if contact:
            lines.append(contact)
        return CardRow(
            title=entry.patient_name,
            lines=tuple(lines),
            badge=_("{minutes} min").format(minutes=entry.duration_minutes),
            badge_kind="muted",
            tooltip="\n".join((entry.patient_name, *lines)),
        )

    def _on_loaded(self, entries: list[WaitlistDTO]) -> None:
        self._loaded = True
        self.banner.clear_message()
        self.cards.set_rows(entries)
        if entries:
            oldest = min(e.created_at for e in entries)
            if oldest.tzinfo is None:
                oldest = oldest.replace(tzinfo=UTC)
            days = max(0, (datetime.now(UTC) - oldest).days)
            self.summary_label.setText(
                ngettext(
                    "{count} patient waiting for an earlier slot",
                    "{count} patients waiting for an earlier slot",
                    len(entries),
                ).format(count=len(entries))
                + " · "
                + ngettext("the oldest for {days} day", "the oldest for {days} days", days).format(
                    days=days
                )
            )
        else:
            self.summary_label.setText(
                _("Patients who want an earlier slot; cancellations are offered to them.")
            )
        self._update_buttons()

    def _update_buttons(self, *_args: object) -> None:
        chosen = self.selected() is not None
        self.remove_button.setEnabled(chosen)
        self.find_button.setEnabled(chosen)

    def _on_remove_clicked(self) -> None:
        self.remove_selected()

    def _on_find_clicked(self) -> None:
        self.find_slot()

    def _on_bridge_changed(self, _event: object) -> None:
        self.refresh()

    def _show_error(self, message: str) -> None:
        self.banner.show_message(message, "error")

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        if not self._loaded:
            self.refresh()
