"""A small window with an appointment's move history: each time it was moved or resized, from
where to where (time and practitioner), who did it and when, in the clinic's time zone."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from zoneinfo import ZoneInfo

from babel.dates import format_date
from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QDialogButtonBox,
    QHeaderView,
    QLabel,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from clinic_desktop.i18n import _, current_language
from clinic_desktop.services.agenda_dto import AppointmentDTO, MoveDTO
from clinic_desktop.ui.agenda.grid_data import clock, to_local
from clinic_desktop.ui.style import bold, set_role
from clinic_desktop.ui.widgets.screen_kit import Column, ListTableModel, format_when


class MoveHistoryDialog(QDialog):
    def __init__(
        self,
        appointment: AppointmentDTO,
        moves: Sequence[MoveDTO],
        zone: ZoneInfo,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setObjectName("MoveHistoryDialog")
        self.setWindowTitle(_("Appointment history"))
        self._zone = zone
        heading = QLabel(
            _("{patient} with {practitioner}").format(
                patient=appointment.patient_name, practitioner=appointment.practitioner_name
            )
        )
        bold(heading, 12)
        now_label = QLabel(
            _("Now: {when}").format(when=self._span(appointment.start, appointment.end))
        )
        set_role(now_label, "hint")
        self.model: ListTableModel[MoveDTO] = ListTableModel(
            [
                Column(
                    _("From"), lambda m: self._place(m.from_start, m.from_end, m.from_practitioner)
                ),
                Column(_("To"), lambda m: self._place(m.to_start, m.to_end, m.to_practitioner)),
                Column(_("By"), lambda m: m.by),
                Column(_("When"), lambda m: format_when(m.at, str(zone))),
            ],
            self,
        )
        self.model.set_rows(list(moves))
        table = QTableView(self)
        table.setObjectName("MoveHistoryTable")
        table.setModel(self.model)
        table.setSelectionMode(QAbstractItemView.SelectionMode.NoSelection)
        table.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        table.verticalHeader().hide()
        table.setAlternatingRowColors(True)
        table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        table.horizontalHeader().setStretchLastSection(True)
        self.empty_label = QLabel(_("This appointment has never been moved."))
        self.empty_label.setObjectName("MoveHistoryEmptyLabel")
        set_role(self.empty_label, "hint")
        self.empty_label.setVisible(not moves)
        table.setVisible(bool(moves))
        buttons = QDialogButtonBox(self)
        close = buttons.addButton(_("Close"), QDialogButtonBox.ButtonRole.RejectRole)
        close.setObjectName("MoveHistoryCloseButton")
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(20, 18, 20, 16)
        layout.setSpacing(8)
        layout.addWidget(heading)
        layout.addWidget(now_label)
        layout.addWidget(table, 1)
        layout.addWidget(self.empty_label)
        layout.addWidget(buttons)
        self.resize(880, 320 if moves else 180)

    def _span(self, start: datetime, end: datetime) -> str:
        first, last = to_local(start, self._zone), to_local(end, self._zone)
        day = format_date(first.date(), "EEE d MMM", locale=current_language())
        return f"{day} {clock(first)}–{clock(last)}"

    def _place(self, start: datetime, end: datetime, practitioner: str) -> str:
        return _("{when} · {practitioner}").format(
            when=self._span(start, end), practitioner=practitioner
        )
