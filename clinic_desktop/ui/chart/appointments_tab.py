"""The chart's appointments tab: the patient's appointments, newest first, with practitioner,
type, status and any cancellation reason. It needs only agenda.view, so reception sees it in
a chart that shows them no clinical content."""

from __future__ import annotations

import uuid
from zoneinfo import ZoneInfo

from PySide6.QtWidgets import QHeaderView, QLabel, QVBoxLayout, QWidget

from clinic_desktop.i18n import _
from clinic_desktop.services.agenda_dto import AppointmentDTO
from clinic_desktop.services.agenda_labels import status_label
from clinic_desktop.services.agenda_queries import patient_appointments
from clinic_desktop.ui.context import UiContext
from clinic_desktop.ui.widgets.screen_kit import Column, ListTableModel, MessageBanner, list_table


class AppointmentsTab(QWidget):
    def __init__(
        self, ctx: UiContext, patient_id: uuid.UUID, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.setObjectName("ChartAppointmentsTab")
        self._ctx = ctx
        self.patient_id = patient_id
        zone = ZoneInfo(ctx.clinic.timezone)
        self.banner = MessageBanner("ChartAppointmentsMessage", self)
        self.count_label = QLabel(self)
        self.model: ListTableModel[AppointmentDTO] = ListTableModel(
            [
                Column(_("Date"), lambda a: a.start.astimezone(zone).strftime("%d/%m/%Y %H:%M")),
                Column(_("Practitioner"), lambda a: a.practitioner_name),
                Column(_("Type"), lambda a: a.type_name or a.reason or "—"),
                Column(_("Status"), lambda a: status_label(a.status)),
                Column(_("Notes"), lambda a: a.cancel_reason or ""),
            ],
            self,
        )
        self.table = list_table(self.model, "ChartAppointmentsTable", self)
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        self.table.horizontalHeader().setStretchLastSection(True)
        layout = QVBoxLayout(self)
        layout.addWidget(self.count_label)
        layout.addWidget(self.banner)
        layout.addWidget(self.table, 1)
        ctx.bridge.appointments_changed.connect(lambda _e: self.refresh())
        self.refresh()

    def refresh(self) -> None:
        ctx = self._ctx
        ctx.runner.run(
            lambda: patient_appointments(ctx.uow(), actor=ctx.actor, patient_id=self.patient_id),
            on_done=self._on_loaded,
            on_error=lambda message: self.banner.show_message(message, "error"),
            parent=self,
        )

    def _on_loaded(self, rows: list[AppointmentDTO]) -> None:
        self.model.set_rows(rows)
        self.table.resizeColumnsToContents()
        self.count_label.setText(_("{count} appointments").format(count=len(rows)))

    def rows(self) -> list[AppointmentDTO]:
        return self.model.rows()
