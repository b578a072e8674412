"""The chart's timeline tab: the patient's appointments, notes, prescriptions, documents and
(for billing staff) invoices in one list, newest first, with a filter by kind; double-clicking
an item asks the chart to open it (`open_requested` with the kind and the record id)."""

from __future__ import annotations

import uuid
from zoneinfo import ZoneInfo

from PySide6.QtCore import QModelIndex, Signal
from PySide6.QtWidgets import QComboBox, QHBoxLayout, QHeaderView, QLabel, QVBoxLayout, QWidget

from clinic_desktop.i18n import N_, _
from clinic_desktop.services.agenda_labels import status_label
from clinic_desktop.services.invoice_labels import status_label as invoice_status_label
from clinic_desktop.services.timeline import TimelineItem, TimelineKind, patient_timeline
from clinic_desktop.ui.context import UiContext
from clinic_desktop.ui.widgets.screen_kit import Column, ListTableModel, MessageBanner, list_table

KIND_LABELS = {
    TimelineKind.APPOINTMENT: N_("Appointment"),
    TimelineKind.NOTE: N_("Clinical note"),
    TimelineKind.PRESCRIPTION: N_("Prescription"),
    TimelineKind.DOCUMENT: N_("Document"),
    # Only people who may read billing get these (the service decides).
    TimelineKind.INVOICE: N_("Invoice"),
    TimelineKind.CREDIT_NOTE: N_("Credit note"),
}
_RECORD_STATUS = {
    "draft": N_("Draft"),
    "signed": N_("Signed"),
    "superseded": N_("Corrected"),
    "issued": N_("Issued"),
    "void": N_("Void"),
}


def _status(item: TimelineItem) -> str:
    if item.kind is TimelineKind.APPOINTMENT:
        return status_label(item.status)
    if item.kind in (TimelineKind.INVOICE, TimelineKind.CREDIT_NOTE):
        return invoice_status_label(item.status)
    label = _RECORD_STATUS.get(item.status)
    return _(label) if label else ""


class TimelineTab(QWidget):
    open_requested = Signal(object, object)  # TimelineKind, record id

    def __init__(
        self, ctx: UiContext, patient_id: uuid.UUID, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.setObjectName("TimelineTab")
        self._ctx = ctx
        self.patient_id = patient_id
        self._zone = ZoneInfo(ctx.clinic.timezone)
        self._items: list[TimelineItem] = []
        self.banner = MessageBanner("TimelineMessage", self)
        self.kind_combo = QComboBox(self)
        self.kind_combo.setObjectName("TimelineKindCombo")
        self.kind_combo.addItem(_("Everything"), None)
        for kind, label in KIND_LABELS.items():
            self.kind_combo.addItem(_(label), kind)
        self.kind_combo.currentIndexChanged.connect(lambda _i: self._show())
        self.count_label = QLabel(self)
        self.count_label.setObjectName("TimelineCountLabel")
        self.model: ListTableModel[TimelineItem] = ListTableModel(
            [
                Column(_("Date"), self._when),
                Column(_("Kind"), lambda i: _(KIND_LABELS[i.kind])),
                Column(_("What"), lambda i: i.title or "—"),
                Column(_("Who"), self._who),
                Column(_("Status"), _status),
            ],
            self,
        )
        self.table = list_table(self.model, "TimelineTable", self)
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        self.table.horizontalHeader().setStretchLastSection(True)
        self.table.doubleClicked.connect(self._on_table_double_clicked)
        top = QHBoxLayout()
        top.addWidget(QLabel(_("Show:"), self))
        top.addWidget(self.kind_combo)
        top.addStretch(1)
        top.addWidget(self.count_label)
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(self.banner)
        layout.addWidget(self.table, 1)
        ctx.bridge.clinical_changed.connect(self._on_bridge_changed)
        ctx.bridge.appointments_changed.connect(lambda _e: self.refresh())
        self.refresh()

    def _when(self, item: TimelineItem) -> str:
        if item.is_dated:
            return item.at.date().strftime("%d/%m/%Y")
        return item.at.astimezone(self._zone).strftime("%d/%m/%Y %H:%M")

    def _who(self, item: TimelineItem) -> str:
        if item.kind is TimelineKind.DOCUMENT:
            return ""  # the category is shown in the documents tab
        return item.detail or "—"

    def refresh(self) -> None:
        ctx = self._ctx
        ctx.runner.run(
            lambda: patient_timeline(ctx.uow(), actor=ctx.actor, patient_id=self.patient_id),
            on_done=self._on_loaded,
            on_error=lambda message: self.banner.show_message(message, "error"),
            parent=self,
        )

    def _on_loaded(self, items: list[TimelineItem]) -> None:
        self._items = items
        self._show()

    def _show(self) -> None:
        kind = self.kind_combo.currentData()
        rows = [i for i in self._items if kind is None or i.kind == kind]
        self.model.set_rows(rows)
        self.table.resizeColumnsToContents()
        self.count_label.setText(_("{count} entries").format(count=len(rows)))

    def items(self) -> list[TimelineItem]:
        return self.model.rows()

    def _on_table_double_clicked(self, index: QModelIndex) -> None:
        item = self.model.row_at(index.row())
        if item is not None:
            self.open_requested.emit(item.kind, item.record_id)

    def _on_bridge_changed(self, event: object) -> None:
        if getattr(event, "patient_id", "") == str(self.patient_id):
            self.refresh()
