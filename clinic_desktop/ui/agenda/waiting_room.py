"""The waiting-room panel: the patients who arrived today and have not gone in yet, longest
waiting first, each with the minutes waited (recounted every 30 seconds; amber after 15
minutes, red after 30), their appointment time and practitioner. 'Start consultation' moves
the selected one on. Doctors see their own patients; reception sees everyone's."""

from __future__ import annotations

import uuid
from collections.abc import Callable, Sequence
from datetime import UTC, datetime

from PySide6.QtCore import QTimer
from PySide6.QtGui import QShowEvent
from PySide6.QtWidgets import QHBoxLayout, QLabel, QPushButton, QVBoxLayout, QWidget

from clinic_desktop.i18n import _, ngettext
from clinic_desktop.services.agenda_dto import WaitingRoomEntry
from clinic_desktop.services.agenda_queries import waiting_room
from clinic_desktop.ui.agenda.allergy_alerts import AlertCardDelegate, AlertCardRow, AllergyAlerts
from clinic_desktop.ui.agenda.consultation import StartedConsultation, start_consultation
from clinic_desktop.ui.agenda.dialog_kit import clock_text, zone_of
from clinic_desktop.ui.agenda.panel_cards import CardList
from clinic_desktop.ui.context import UiContext
from clinic_desktop.ui.style import set_role
from clinic_desktop.ui.widgets.screen_kit import MessageBanner

TICK_MS = 30_000
AMBER_AFTER = 15
RED_AFTER = 30


def wait_kind(minutes: int) -> str:
    if minutes > RED_AFTER:
        return "danger"
    if minutes > AMBER_AFTER:
        return "warn"
    return "ok"


class WaitingRoomPanel(QWidget):
    def __init__(self, ctx: UiContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._ctx = ctx
        self._zone = zone_of(ctx)
        self._practitioners: list[uuid.UUID] | None = None
        self._loaded = False
        self._serial = 0
        # Replaced in tests to count the minutes against a fixed clock.
        self.clock: Callable[[], datetime] = lambda: datetime.now(UTC)
        self.setObjectName("WaitingRoomPanel")

        self.summary_label = QLabel(self)
        self.summary_label.setObjectName("WaitingRoomSummary")
        set_role(self.summary_label, "hint")
        self.banner = MessageBanner("WaitingRoomMessage", self)
        self.cards: CardList[WaitingRoomEntry] = CardList(
            "WaitingRoomList",
            self._card,
            _("Nobody is waiting"),
            self,
            key=lambda e: e.appointment.id,
        )
        self.model = self.cards.model
        self.cards.view.setItemDelegate(AlertCardDelegate(self.cards.view))
        # Allergies only for those who may read clinical content; asked once per patient.
        self.alerts = AllergyAlerts(ctx, self)
        self.alerts.changed.connect(self._on_alerts_changed)
        self.start_button = QPushButton(_("Start consultation"), self)
        self.start_button.setObjectName("StartConsultationButton")
        set_role(self.start_button, "primary")
        self.start_button.setEnabled(False)
        self.start_button.setVisible(ctx.can("agenda.book"))
        self.start_button.clicked.connect(self._on_start_clicked)
        buttons = QHBoxLayout()
        buttons.addStretch(1)
        buttons.addWidget(self.start_button)

        layout = QVBoxLayout(self)
        layout.setContentsMargins(8, 8, 8, 8)
        layout.setSpacing(8)
        layout.addWidget(self.summary_label)
        layout.addWidget(self.banner)
        layout.addWidget(self.cards, 1)
        layout.addLayout(buttons)

        self.timer = QTimer(self)
        self.timer.setInterval(TICK_MS)
        self.timer.timeout.connect(self.tick)
        self.timer.start()
        self.cards.view.selectionModel().selectionChanged.connect(self._update_buttons)
        self.cards.view.doubleClicked.connect(lambda _index: self._on_start_clicked())
        ctx.bridge.appointments_changed.connect(self._on_bridge_changed)

    # -- public ----------------------------------------------------------------------------

    def set_practitioners(self, ids: Sequence[uuid.UUID] | None) -> None:
        """Only these practitioners' patients (None: everyone's)."""
        self._practitioners = list(ids) if ids is not None else None
        self.refresh()

    def refresh(self) -> None:
        ctx, ids, now = self._ctx, self._practitioners, self.clock()
        self._serial += 1
        serial = self._serial
        ctx.runner.run(
            lambda: waiting_room(ctx.uow(), actor=ctx.actor, practitioner_ids=ids, now=now),
            on_done=lambda entries: self._on_loaded(serial, entries),
            on_error=self._show_error,
        )

    def entries(self) -> list[WaitingRoomEntry]:
        return self.model.rows()

    def minutes_waited(self, entry: WaitingRoomEntry) -> int:
        """Counted from the arrival against the panel's clock, so it grows between reloads."""
        arrived = entry.arrived_at
        if arrived.tzinfo is None:
            arrived = arrived.replace(tzinfo=UTC)
        return max(0, int((self.clock() - arrived).total_seconds() // 60))

    def tick(self) -> None:
        """Recounts the minutes waited (every 30 s) without asking the database."""
        self.model.refresh_cards()
        self._update_summary()

    def select(self, appointment_id: uuid.UUID) -> bool:
        for row, entry in enumerate(self.model.rows()):
            if entry.appointment.id == appointment_id:
                self.cards.select_row(row)
                return True
        return False

    def start_consultation(self, appointment_id: uuid.UUID) -> None:
        """Moves the patient in; a doctor lands in the appointment's note, ready to write."""
        self.banner.clear_message()
        start_consultation(
            self._ctx,
            appointment_id,
            on_done=self._on_consultation_started,
            on_error=self._show_error,
            parent=self,
        )

    def _on_consultation_started(self, _started: StartedConsultation) -> None:
        self.refresh()

    # -- internals -------------------------------------------------------------------------

    def _card(self, entry: WaitingRoomEntry) -> AlertCardRow:
        appointment = entry.appointment
        minutes = self.minutes_waited(entry)
        place = appointment.practitioner_name
        if appointment.room_name:
            place = f"{place} · {appointment.room_name}"
        lines = (
            _("Arrived {arrived} · appointment at {time}").format(
                arrived=clock_text(entry.arrived_at, self._zone),
                time=clock_text(appointment.start, self._zone),
            ),
            place,
        )
        alert = self.alerts.compact(appointment.patient_id)
        # The card shows the substances; the tooltip adds reactions and severity.
        full = self.alerts.full_text(appointment.patient_id)
        return AlertCardRow(
            title=appointment.patient_name,
            lines=lines,
            badge=_("{minutes} min").format(minutes=minutes),
            badge_kind=wait_kind(minutes),
            colour=appointment.colour,
            tooltip="\n".join(t for t in (appointment.patient_name, *lines, full) if t),
            alert=alert.text,
            alert_kind=alert.kind,
        )

    def _on_loaded(self, serial: int, entries: list[WaitingRoomEntry]) -> None:
        if serial != self._serial:
            return
        self._loaded = True
        self.banner.clear_message()
        self.cards.set_rows(entries)
        if entries and self.cards.current() is None:
            self.cards.select_row(0)  # the longest waiting goes in next
        self._update_summary()
        self._update_buttons()
        self.alerts.want(e.appointment.patient_id for e in entries)

    def _on_alerts_changed(self) -> None:
        # A reset, not a repaint: a card with an allergy line is taller.
        self.cards.set_rows(self.model.rows())

    def _update_summary(self) -> None:
        entries = self.model.rows()
        if not entries:
            self.summary_label.setText(_("Patients who arrived today appear here."))
            return
        longest = max(self.minutes_waited(e) for e in entries)
        self.summary_label.setText(
            ngettext(
                "{count} patient waiting · longest {minutes} min",
                "{count} patients waiting · longest {minutes} min",
                len(entries),
            ).format(count=len(entries), minutes=longest)
        )

    def _update_buttons(self, *_args: object) -> None:
        self.start_button.setEnabled(self.cards.current() is not None)

    def _on_start_clicked(self) -> None:
        entry = self.cards.current()
        if entry is not None and self._ctx.can("agenda.book"):
            self.start_consultation(entry.appointment.id)

    def _on_bridge_changed(self, _event: object) -> None:
        self.refresh()

    def _show_error(self, message: str) -> None:
        self.banner.show_message(message, "error")

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        if not self._loaded:
            self.refresh()
