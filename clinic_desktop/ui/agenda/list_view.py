"""The agenda's list view: the appointments of the shown range as a table (day, time, patient,
practitioner, type, room, status), in time order, with a search box that filters on any
column. Double-click or Enter opens an appointment; right-click asks for the status menu, the
same one the time grid offers."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any
from zoneinfo import ZoneInfo

from babel.dates import format_date
from PySide6.QtCore import QModelIndex, QPoint, QSortFilterProxyModel, Qt, Signal
from PySide6.QtGui import QColor, QKeyEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from clinic_desktop.i18n import _, current_language, ngettext
from clinic_desktop.services.agenda_dto import AppointmentDTO
from clinic_desktop.services.agenda_labels import mode_label, status_label
from clinic_desktop.ui import style
from clinic_desktop.ui.agenda.grid_data import clock, to_local
from clinic_desktop.ui.agenda.month_view import STATUS_COLOURS
from clinic_desktop.ui.style import set_role
from clinic_desktop.ui.widgets.screen_kit import Column, Index, ListTableModel

# Day, time, patient (stretches), practitioner, type, room, status.
COLUMN_WIDTHS = (92, 96, 0, 170, 130, 120, 110)
PATIENT_COLUMN = 2
PRACTITIONER_COLUMN = 3
STATUS_COLUMN = 6
# Lost appointments read as such at a glance; the status word keeps its month-view colour.
_LOST = frozenset({"cancelled", "no_show"})
_FADED = QColor("#8A96A0")


class _AppointmentModel(ListTableModel[AppointmentDTO]):
    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if role == Qt.ItemDataRole.ForegroundRole:
            item = self.row_at(index.row())
            if item is None:
                return None
            if index.column() == STATUS_COLUMN and item.status in STATUS_COLOURS:
                # The month's pale grey for "scheduled" is a bar colour, too faint for text.
                colour = style.MUTED if item.status == "scheduled" else STATUS_COLOURS[item.status]
                return QColor(colour)
            if item.status in _LOST:
                return _FADED
            return None
        return super().data(index, role)


class _Table(QTableView):
    """Enter opens the current row, like a double-click."""

    activated_row = Signal(QModelIndex)

    def keyPressEvent(self, event: QKeyEvent) -> None:
        if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter) and self.currentIndex().isValid():
            self.activated_row.emit(self.currentIndex())
            return
        super().keyPressEvent(event)


class AgendaListView(QWidget):
    appointment_activated = Signal(object)  # AppointmentDTO
    appointment_context_requested = Signal(object, QPoint)  # AppointmentDTO, global position

    def __init__(self, zone: ZoneInfo, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("AgendaListView")
        self._zone = zone
        self.search_edit = QLineEdit(self)
        self.search_edit.setObjectName("AgendaListSearchEdit")
        self.search_edit.setPlaceholderText(_("Filter by patient, practitioner, type, room…"))
        self.search_edit.setClearButtonEnabled(True)
        self.count_label = QLabel(self)
        self.count_label.setObjectName("AgendaListCountLabel")
        set_role(self.count_label, "hint")
        self.model = _AppointmentModel(
            [
                Column(_("Day"), self._day_text),
                Column(_("Time"), self._time_text),
                Column(_("Patient"), lambda a: a.patient_name, tooltip=self._patient_tip),
                Column(_("Practitioner"), lambda a: a.practitioner_name),
                Column(_("Type"), self._type_text),
                Column(_("Room"), lambda a: a.room_name or ""),
                Column(_("Status"), lambda a: status_label(a.status), tooltip=self._status_tip),
            ],
            self,
        )
        self.proxy = QSortFilterProxyModel(self)
        self.proxy.setSourceModel(self.model)
        self.proxy.setFilterCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
        self.proxy.setFilterKeyColumn(-1)
        self.search_edit.textChanged.connect(self._on_search_changed)
        self.table = _Table(self)
        self.table.setObjectName("AgendaListTable")
        self.table.setModel(self.proxy)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setAlternatingRowColors(True)
        self.table.setWordWrap(False)
        self.table.verticalHeader().hide()
        self.table.verticalHeader().setDefaultSectionSize(30)
        self.table.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        header.setSectionResizeMode(PATIENT_COLUMN, QHeaderView.ResizeMode.Stretch)
        header.setMinimumSectionSize(60)
        header.setDefaultAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter)
        self.table.doubleClicked.connect(self._on_table_activated)
        self.table.activated_row.connect(self._on_table_activated)
        self.table.customContextMenuRequested.connect(self._on_table_context_menu)

        top = QHBoxLayout()
        top.addWidget(self.search_edit, 1)
        top.addWidget(self.count_label)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addLayout(top)
        layout.addWidget(self.table, 1)

    def set_appointments(
        self, appointments: Sequence[AppointmentDTO], *, show_practitioner: bool = True
    ) -> None:
        """`show_practitioner` False hides that column (the list is one person's)."""
        self.model.set_rows(sorted(appointments, key=lambda a: (a.start, a.practitioner_name)))
        self.table.setColumnHidden(PRACTITIONER_COLUMN, not show_practitioner)
        for column, width in enumerate(COLUMN_WIDTHS):
            if column != PATIENT_COLUMN:
                self.table.setColumnWidth(column, width)
        self._update_count()

    def appointment_at(self, row: int) -> AppointmentDTO | None:
        """The appointment shown in view row `row` (after filtering)."""
        source = self.proxy.mapToSource(self.proxy.index(row, 0))
        return self.model.row_at(source.row()) if source.isValid() else None

    def shown_count(self) -> int:
        return self.proxy.rowCount()

    def _day_text(self, appointment: AppointmentDTO) -> str:
        local = to_local(appointment.start, self._zone)
        return str(format_date(local.date(), "EEE d MMM", locale=current_language()))

    def _time_text(self, appointment: AppointmentDTO) -> str:
        start, end = to_local(appointment.start, self._zone), to_local(appointment.end, self._zone)
        return f"{clock(start)}–{clock(end)}"

    def _type_text(self, appointment: AppointmentDTO) -> str:
        kind = appointment.type_name or ""
        if appointment.mode == "telemedicine" and not kind:
            return mode_label(appointment.mode)
        return kind

    def _patient_tip(self, appointment: AppointmentDTO) -> str:
        lines = [appointment.patient_name]
        if appointment.patient_phone:
            lines.append(_("Phone: {phone}").format(phone=appointment.patient_phone))
        if appointment.reason:
            lines.append(appointment.reason)
        return "\n".join(lines)

    def _status_tip(self, appointment: AppointmentDTO) -> str:
        parts = [status_label(appointment.status)]
        if appointment.cancel_reason:
            parts.append(appointment.cancel_reason)
        return " · ".join(parts)

    def _update_count(self) -> None:
        shown, total = self.proxy.rowCount(), self.model.rowCount()
        if shown == total:
            text = ngettext("{count} appointment", "{count} appointments", total)
            self.count_label.setText(text.format(count=total))
        else:
            text = ngettext(
                "{shown} of {count} appointment", "{shown} of {count} appointments", total
            )
            self.count_label.setText(text.format(shown=shown, count=total))

    def _on_search_changed(self, text: str) -> None:
        self.proxy.setFilterFixedString(text)
        self._update_count()

    def _on_table_activated(self, index: QModelIndex) -> None:
        appointment = self.appointment_at(index.row())
        if appointment is not None:
            self.appointment_activated.emit(appointment)

    def _on_table_context_menu(self, pos: QPoint) -> None:
        index = self.table.indexAt(pos)
        appointment = self.appointment_at(index.row()) if index.isValid() else None
        if appointment is not None:
            self.table.selectRow(index.row())
            self.appointment_context_requested.emit(
                appointment, self.table.viewport().mapToGlobal(pos)
            )
