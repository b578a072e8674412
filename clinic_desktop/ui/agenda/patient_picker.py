"""Choosing the patient of a booking or a waitlist entry: search as you type (name, ID number,
phone or chart number), with each patient's no-shows and late cancellations in view, because
reception should see them before giving away a slot; and 'New patient…' for someone who is not
in the system yet (name, ID and phone are enough to book; the record is completed later)."""

from __future__ import annotations

import uuid

from PySide6.QtCore import QEvent, QObject, Qt, QTimer, Signal
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import (
    QFrame,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from clinic_desktop.i18n import _, ngettext
from clinic_desktop.services.agenda_dto import PatientHit
from clinic_desktop.services.patients import get_patient_hit, search_patients
from clinic_desktop.ui.agenda.quick_patient_dialog import QuickPatientDialog
from clinic_desktop.ui.context import UiContext
from clinic_desktop.ui.style import bold, set_role

SEARCH_DELAY_MS = 250


def patient_details(hit: PatientHit) -> str:
    parts = [_("Chart {number}").format(number=hit.chart_number)]
    if hit.id_number:
        parts.append(_("ID {number}").format(number=hit.id_number))
    if hit.phone:
        parts.append(hit.phone)
    return " · ".join(parts)


def attendance_warning(hit: PatientHit) -> str:
    """'2 no-shows · 1 late cancellation', or '' for a patient who always came."""
    parts = []
    if hit.no_shows:
        parts.append(
            ngettext("{count} no-show", "{count} no-shows", hit.no_shows).format(count=hit.no_shows)
        )
    if hit.late_cancellations:
        parts.append(
            ngettext(
                "{count} late cancellation", "{count} late cancellations", hit.late_cancellations
            ).format(count=hit.late_cancellations)
        )
    return " · ".join(parts)


class PatientPicker(QWidget):
    """A search box with a result list; once a patient is chosen, a card with their details
    and a 'Change' link replaces the box."""

    patient_changed = Signal(object)  # PatientHit | None
    layout_changed = Signal()  # the result list or the card appeared or went

    def __init__(self, ctx: UiContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._ctx = ctx
        self._patient: PatientHit | None = None
        self._search_serial = 0
        self._read_only = False
        self.quick_dialog: QuickPatientDialog | None = None
        self.setObjectName("PatientPicker")

        self.search_edit = QLineEdit(self)
        self.search_edit.setObjectName("PatientSearchEdit")
        self.search_edit.setPlaceholderText(_("Search by name, ID number, phone or chart number"))
        self.search_edit.setClearButtonEnabled(True)
        self.search_edit.installEventFilter(self)
        self.new_button = QPushButton(_("New patient…"), self)
        self.new_button.setObjectName("NewPatientButton")
        self.new_button.clicked.connect(self.open_quick_create)
        if not ctx.can("patients.write"):
            self.new_button.setEnabled(False)
            self.new_button.setToolTip(_("Creating patients needs the patients.write permission."))
        self.results = QListWidget(self)
        self.results.setObjectName("PatientResults")
        self.results.setMaximumHeight(150)
        self.results.setAlternatingRowColors(True)
        self.results.itemActivated.connect(self._on_results_item_activated)
        self.results.itemClicked.connect(self._on_results_item_activated)
        self.results.hide()
        self.empty_label = QLabel(self)
        self.empty_label.setObjectName("PatientNoResults")
        set_role(self.empty_label, "hint")
        self.empty_label.hide()

        self.card = QFrame(self)
        self.card.setObjectName("PatientCard")
        set_role(self.card, "card")
        self.name_label = QLabel(self.card)
        self.name_label.setObjectName("PatientNameLabel")
        bold(self.name_label)
        self.details_label = QLabel(self.card)
        self.details_label.setObjectName("PatientDetailsLabel")
        set_role(self.details_label, "hint")
        self.warning_label = QLabel(self.card)
        self.warning_label.setObjectName("PatientWarningLabel")
        set_role(self.warning_label, "field-error")
        self.change_button = QPushButton(_("Change"), self.card)
        self.change_button.setObjectName("ChangePatientButton")
        set_role(self.change_button, "link")
        self.change_button.clicked.connect(self._on_change_clicked)
        card_text = QVBoxLayout()
        card_text.setSpacing(2)
        card_text.addWidget(self.name_label)
        card_text.addWidget(self.details_label)
        card_text.addWidget(self.warning_label)
        card_layout = QHBoxLayout(self.card)
        card_layout.setContentsMargins(10, 6, 6, 6)
        card_layout.addLayout(card_text, 1)
        card_layout.addWidget(self.change_button, 0, Qt.AlignmentFlag.AlignTop)
        self.card.hide()

        row = QHBoxLayout()
        row.setContentsMargins(0, 0, 0, 0)
        row.addWidget(self.search_edit, 1)
        row.addWidget(self.new_button)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(4)
        layout.addLayout(row)
        layout.addWidget(self.results)
        layout.addWidget(self.empty_label)
        layout.addWidget(self.card)

        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(SEARCH_DELAY_MS)
        self._timer.timeout.connect(self._on_timer_timeout)
        self.search_edit.textEdited.connect(self._on_search_edited)

    # -- public ----------------------------------------------------------------------------

    def patient(self) -> PatientHit | None:
        return self._patient

    def patient_id(self) -> uuid.UUID | None:
        return self._patient.id if self._patient else None

    def search(self, text: str) -> None:
        """Looks `text` up now (typing waits a moment first, so each key is not a query)."""
        self._timer.stop()
        if self.search_edit.text() != text:
            self.search_edit.setText(text)
        self._search_serial += 1
        serial = self._search_serial
        if not text.strip():
            self._show_hits([], serial, text)
            return
        ctx = self._ctx
        ctx.runner.run(
            lambda: search_patients(ctx.uow(), actor=ctx.actor, text=text, limit=12),
            on_done=lambda hits: self._show_hits(hits, serial, text),
            on_error=self._show_search_error,
            parent=self,
        )

    def hits(self) -> list[PatientHit]:
        return [
            self.results.item(i).data(Qt.ItemDataRole.UserRole) for i in range(self.results.count())
        ]

    def choose(self, hit: PatientHit | None) -> None:
        self._patient = hit
        self.results.hide()
        self.empty_label.hide()
        if hit is None:
            self.card.hide()
            self.search_edit.show()
            self.new_button.setVisible(not self._read_only)
            self.search_edit.setFocus()
        else:
            self.name_label.setText(hit.full_name)
            self.details_label.setText(patient_details(hit))
            warning = attendance_warning(hit)
            self.warning_label.setText(f"⚠ {warning}" if warning else "")
            self.warning_label.setVisible(bool(warning))
            self.search_edit.hide()
            self.new_button.hide()
            self.card.show()
        self.patient_changed.emit(hit)
        self.layout_changed.emit()

    def select_id(
        self, patient_id: uuid.UUID, name: str = "", chart_number: int | None = None
    ) -> None:
        """Shows a patient known only by id (an appointment being edited, a waitlist entry),
        then their full hit with the no-show counts once it is read."""
        ctx = self._ctx
        placeholder = PatientHit(patient_id, chart_number or 0, name or "—", None, None, 0, 0)

        def find() -> PatientHit:
            return get_patient_hit(ctx.uow(), actor=ctx.actor, patient_id=patient_id)

        self.choose(placeholder)
        ctx.runner.run(find, on_done=self._on_found, on_error=lambda _m: None, parent=self)

    def set_read_only(self, read_only: bool) -> None:
        """The patient of an appointment that has started cannot change any more."""
        self._read_only = read_only
        self.change_button.setVisible(not read_only)
        if self._patient is None:
            self.new_button.setVisible(not read_only)

    def open_quick_create(self) -> QuickPatientDialog:
        dialog = QuickPatientDialog(self._ctx, self.search_edit.text(), self.window())
        dialog.created.connect(self.choose)
        self.quick_dialog = dialog
        dialog.open()
        return dialog

    # -- internals -------------------------------------------------------------------------

    def _on_found(self, hit: PatientHit) -> None:
        if self._patient is not None and self._patient.id == hit.id:
            self.choose(hit)

    def _show_hits(self, hits: list[PatientHit], serial: int, text: str) -> None:
        if serial != self._search_serial:
            return  # an older search answered after a newer one
        self.results.clear()
        for hit in hits:
            warning = attendance_warning(hit)
            lines = f"{hit.full_name}\n{patient_details(hit)}"
            if warning:
                lines += f"  ·  ⚠ {warning}"
            item = QListWidgetItem(lines)
            item.setData(Qt.ItemDataRole.UserRole, hit)
            item.setToolTip(lines)
            self.results.addItem(item)
        self.results.setVisible(bool(hits))
        if hits:
            self.results.setCurrentRow(0)
        no_match = bool(text.strip()) and not hits
        self.empty_label.setText(
            _("No patient matches “{text}”. Use “New patient…” to add them.").format(text=text)
            if no_match
            else ""
        )
        self.empty_label.setVisible(no_match)
        self.layout_changed.emit()

    def _show_search_error(self, message: str) -> None:
        self.empty_label.setText(message)
        self.empty_label.show()

    def _on_search_edited(self, _text: str) -> None:
        self._timer.start()

    def _on_timer_timeout(self) -> None:
        self.search(self.search_edit.text())

    def _on_results_item_activated(self, item: QListWidgetItem) -> None:
        self.choose(item.data(Qt.ItemDataRole.UserRole))

    def _on_change_clicked(self) -> None:
        self.choose(None)
        self.search_edit.selectAll()

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        # Arrow keys walk the results and Enter takes one without leaving the search box.
        if (
            watched is self.search_edit
            and isinstance(event, QKeyEvent)
            and event.type() == QEvent.Type.KeyPress
            and self.results.isVisible()
        ):
            key = event.key()
            row = self.results.currentRow()
            if key in (Qt.Key.Key_Down, Qt.Key.Key_Up):
                step = 1 if key == Qt.Key.Key_Down else -1
                self.results.setCurrentRow(max(0, min(self.results.count() - 1, row + step)))
                return True
            if key in (Qt.Key.Key_Return, Qt.Key.Key_Enter) and row >= 0:
                self._on_results_item_activated(self.results.item(row))
                return True
        return super().eventFilter(watched, event)
