"""Writing a prescription: the patient's allergy alert on top (prescribing is when it matters
most), the date, a table of lines the doctor adds and removes (medication, dose, route from
the common ones or typed, frequency, duration, instructions) and notes. A refused line is
named in the message ("Line 2 — Dose: it is required.") and its cell is selected and marked.
Also the dialog that voids a prescription, which asks why."""

from __future__ import annotations

import uuid
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QItemSelectionModel, QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtGui import QBrush, QColor
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QStyledItemDelegate,
    QStyleOptionViewItem,
    QTableWidget,
    QTableWidgetItem,
    QWidget,
)

from clinic_desktop.errors import UserFacingError
from clinic_desktop.i18n import _
from clinic_desktop.services.patient_admin import get_patient
from clinic_desktop.services.prescriptions import (
    LINE_FIELDS,
    PrescriptionDTO,
    PrescriptionLineForm,
    issue_prescription,
    line_label,
    void_prescription,
)
from clinic_desktop.ui.agenda.dialog_kit import from_qdate
from clinic_desktop.ui.chart.allergy_banner import AllergyBanner
from clinic_desktop.ui.chart.clinical_dialog_kit import (
    FormDialog,
    date_text,
    past_date_box,
    small_button,
)
from clinic_desktop.ui.chart.clinical_dialogs import route_combo
from clinic_desktop.ui.context import UiContext
from clinic_desktop.ui.style import bold
from clinic_desktop.ui.widgets.forms import FieldError

INVALID_CELL = "#FBD5D0"
FIELDS = [field for field, _limit, _required in LINE_FIELDS]
_LIMITS = {field: limit for field, limit, _required in LINE_FIELDS}
_WIDTHS = {"dose": 110, "route": 120, "frequency": 140, "duration": 100}


class LineEditDelegate(QStyledItemDelegate):
    """Cell editors: a line edit with the column's length limit, and for the route an
    editable combo offering the common routes."""

    def createEditor(
        self,
        parent: QWidget,
        option: QStyleOptionViewItem,
        index: QModelIndex | QPersistentModelIndex,
    ) -> QWidget:
        field = FIELDS[index.column()]
        if field == "route":
            combo = route_combo("PrescriptionRouteEditor", parent)
            combo.setFrame(False)
            # Every keystroke reaches the table, so "Issue" never misses an open editor.
            combo.currentTextChanged.connect(lambda _text: self.commitData.emit(combo))
            return combo
        edit = QLineEdit(parent)
        edit.setObjectName(f"PrescriptionCellEditor_{field}")
        edit.setMaxLength(_LIMITS[field])
        edit.setFrame(False)
        edit.setStyleSheet("border: none; padding: 0 4px; min-height: 0;")
        edit.textEdited.connect(lambda _text: self.commitData.emit(edit))
        return edit

    def setEditorData(self, editor: QWidget, index: QModelIndex | QPersistentModelIndex) -> None:
        text = str(index.data(Qt.ItemDataRole.EditRole) or "")
        if isinstance(editor, QComboBox):
            editor.setCurrentText(text)
        elif isinstance(editor, QLineEdit):
            editor.setText(text)

    def setModelData(
        self, editor: QWidget, model: Any, index: QModelIndex | QPersistentModelIndex
    ) -> None:
        if isinstance(editor, QComboBox):
            text = editor.currentText()
        elif isinstance(editor, QLineEdit):
            text = editor.text()
        else:
            return
        model.setData(index, text.strip(), Qt.ItemDataRole.EditRole)


class PrescriptionDialog(FormDialog):
    """Issues a prescription for `patient_id` (tied to the note `encounter_id` when written
    during a consultation); `saved` carries the PrescriptionDTO."""

    def __init__(
        self,
        ctx: UiContext,
        patient_id: uuid.UUID,
        encounter_id: uuid.UUID | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(
            ctx,
            name="PrescriptionDialog",
            title=_("New prescription"),
            save_text=_("Issue prescription"),
            parent=parent,
            subtitle=" ",
            width=1000,
        )
        self.patient_id = patient_id
        self.encounter_id = encounter_id
        self.allergy_banner = AllergyBanner(ctx, self, show_empty=True)
        self.main.insertWidget(2, self.allergy_banner)
        self.date_edit = past_date_box("PrescriptionDateEdit", self, self.today)
        self.add_row(_("Date"), "issued_on", self.date_edit)

        self.table = QTableWidget(0, len(FIELDS), self)
        self.table.setObjectName("PrescriptionLinesTable")
        self.table.setHorizontalHeaderLabels([line_label(f) for f in FIELDS])
        self.table.setItemDelegate(LineEditDelegate(self.table))
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectItems)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(
            QAbstractItemView.EditTrigger.DoubleClicked
            | QAbstractItemView.EditTrigger.EditKeyPressed
            | QAbstractItemView.EditTrigger.AnyKeyPressed
            | QAbstractItemView.EditTrigger.SelectedClicked
        )
        self.table.verticalHeader().setDefaultSectionSize(34)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        header.setSectionResizeMode(len(FIELDS) - 1, QHeaderView.ResizeMode.Stretch)
        for column, field in enumerate(FIELDS):
            if field in _WIDTHS:
                self.table.setColumnWidth(column, _WIDTHS[field])
        self.table.setMinimumHeight(190)
        self.table.itemChanged.connect(self._on_item_changed)
        self.lines_error = FieldError("PrescriptionLinesError", self)
        self.errors.add("lines", self.lines_error, None)
        self.add_line_button = small_button(_("Add line"), "AddPrescriptionLineButton", self)
        self.add_line_button.clicked.connect(lambda: self.add_line(edit=True))
        self.remove_line_button = small_button(
            _("Remove line"), "RemovePrescriptionLineButton", self
        )
        self.remove_line_button.clicked.connect(self.remove_current_line)
        hint = QLabel(_("Required: medication, dose, frequency and duration."), self)
        hint.setProperty("role", "hint")
        line_buttons = QHBoxLayout()
        line_buttons.addWidget(self.add_line_button)
        line_buttons.addWidget(self.remove_line_button)
        line_buttons.addSpacing(12)
        line_buttons.addWidget(hint)
        line_buttons.addStretch(1)
        title = QLabel(_("Medications"), self)
        bold(title)
        self.notes_edit = QPlainTextEdit(self)
        self.notes_edit.setObjectName("PrescriptionNotesEdit")
        self.notes_edit.setPlaceholderText(_("Notes for the patient or the pharmacy (optional)"))
        self.notes_edit.setFixedHeight(72)
        notes_error = FieldError("PrescriptionNotesError", self)
        self.errors.add("notes", notes_error, self.notes_edit)
        notes_title = QLabel(_("Notes"), self)
        bold(notes_title)
        self.extra.addWidget(title)
        self.extra.addWidget(self.table)
        self.extra.addLayout(line_buttons)
        parts: tuple[QWidget, ...] = (self.lines_error, notes_title, self.notes_edit, notes_error)
        for widget in parts:
            self.extra.addWidget(widget)
        self.add_line()
        self.finish_layout()
        self.resize(1000, 640)
        self.allergy_banner.show_for(patient_id)
        ctx.runner.run(
            lambda: get_patient(ctx.uow(), actor=ctx.actor, patient_id=patient_id),
            on_done=lambda p: self.subtitle.setText(
                _("{name} · chart {chart}").format(name=p.full_name, chart=p.chart_number)
            ),
            on_error=lambda _text: None,
            parent=self,
        )

    # -- lines -----------------------------------------------------------------------------

    def add_line(self, edit: bool = False) -> int:
        row = self.table.rowCount()
        self.table.blockSignals(True)
        self.table.insertRow(row)
        for column in range(len(FIELDS)):
            self.table.setItem(row, column, QTableWidgetItem(""))
        self.table.blockSignals(False)
        self.table.setCurrentCell(row, 0)
        first = self.table.item(row, 0)
        if edit and first is not None:
            self.table.editItem(first)
        return row

    def remove_current_line(self) -> None:
        row = self.table.currentRow()
        if row < 0:
            return
        self.table.removeRow(row)
        if self.table.rowCount() == 0:
            self.add_line()

    def set_line(self, row: int, **values: str) -> None:
        """Fills a line (tests and the note editor's "prescribe" use it)."""
        while self.table.rowCount() <= row:
            self.add_line()
        for field, text in values.items():
            item = self.table.item(row, FIELDS.index(field))
            assert item is not None
            item.setText(text)

    def lines(self) -> list[PrescriptionLineForm]:
        lines = []
        for row in range(self.table.rowCount()):
            values = {}
            for column, field in enumerate(FIELDS):
                item = self.table.item(row, column)
                values[field] = item.text() if item is not None else ""
            lines.append(PrescriptionLineForm(**values))
        return lines

    def _on_item_changed(self, item: QTableWidgetItem) -> None:
        item.setBackground(QBrush())

    def _mark_cell(self, row: int, column: int) -> None:
        """Tints the cell at fault and puts the cursor there without selecting it (the
        selection colour would hide the tint): typing starts editing it."""
        self.table.blockSignals(True)
        item = self.table.item(row, column)
        if item is not None:
            item.setBackground(QBrush(QColor(INVALID_CELL)))
        self.table.blockSignals(False)
        self.table.clearSelection()
        self.table.setCurrentCell(row, column, QItemSelectionModel.SelectionFlag.NoUpdate)
        self.table.setFocus()

    # -- saving ----------------------------------------------------------------------------

    def save(self) -> None:
        for row in range(self.table.rowCount()):
            for column in range(len(FIELDS)):
                item = self.table.item(row, column)
                if item is not None:
                    item.setBackground(QBrush())
        super().save()

    def service_call(self) -> Callable[[], object]:
        ctx, patient_id, encounter_id = self._ctx, self.patient_id, self.encounter_id
        lines, notes = self.lines(), self.notes_edit.toPlainText()
        day = from_qdate(self.date_edit.date())
        return lambda: issue_prescription(
            ctx.uow(),
            actor=ctx.actor,
            patient_id=patient_id,
            lines=lines,
            notes=notes,
            encounter_id=encounter_id,
            issued_on=day,
        )

    def _on_user_error(self, error: UserFacingError) -> None:
        field = error.field or ""
        parts = field.split(".")
        if len(parts) == 3 and parts[0] == "lines" and parts[2] in FIELDS:
            self.save_button.setEnabled(True)
            self.lines_error.show_error(error.message)
            self._mark_cell(int(parts[1]) - 1, FIELDS.index(parts[2]))
            return
        super()._on_user_error(error)


class VoidPrescriptionDialog(FormDialog):
    """Voids one prescription; the reason is required and stays in the record."""

    def __init__(
        self, ctx: UiContext, prescription: PrescriptionDTO, parent: QWidget | None = None
    ) -> None:
        super().__init__(
            ctx,
            name="VoidPrescriptionDialog",
            title=_("Void prescription"),
            save_text=_("Void prescription"),
            parent=parent,
            subtitle=_(
                "The prescription of {date} ({medications}) stays in the record, marked void."
            ).format(
                date=date_text(prescription.issued_on),
                medications=prescription.medications_summary,
            ),
        )
        self.prescription = prescription
        self.reason_edit = QLineEdit(self)
        self.reason_edit.setObjectName("VoidReasonEdit")
        self.reason_edit.setMaxLength(300)
        self.reason_edit.setPlaceholderText(_("e.g. wrong dose; replaced by a new prescription"))
        self.add_row(_("Reason"), "reason", self.reason_edit)
        self.finish_layout()

    def service_call(self) -> Callable[[], object]:
        ctx, prescription_id, reason = self._ctx, self.prescription.id, self.reason_edit.text()
        return lambda: void_prescription(
            ctx.uow(), actor=ctx.actor, prescription_id=prescription_id, reason=reason
        )
