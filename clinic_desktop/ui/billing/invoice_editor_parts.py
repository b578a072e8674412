"""Small pieces of the invoice editor: the status pill beside its title, the card of the
document's facts (number, dates, who issued it, the patient whose account it is, the
practitioner) and the card holding the discount on the total and the notes."""

from __future__ import annotations

from decimal import Decimal

from PySide6.QtCore import QLocale, Qt, Signal
from PySide6.QtWidgets import (
    QDoubleSpinBox,
    QFormLayout,
    QFrame,
    QLabel,
    QPlainTextEdit,
    QVBoxLayout,
    QWidget,
)

from clinic_desktop.i18n import _, current_language
from clinic_desktop.services.invoice_dto import InvoiceDTO
from clinic_desktop.ui.agenda.dialog_kit import with_errors
from clinic_desktop.ui.billing.money_widgets import status_pill
from clinic_desktop.ui.chart.clinical_dialog_kit import date_text
from clinic_desktop.ui.style import bold, set_role
from clinic_desktop.ui.widgets.forms import FieldError, FormErrors
from clinic_desktop.ui.widgets.screen_kit import format_when


def set_status_pill(label: QLabel, status: str, kind: str) -> None:
    pill = status_pill(status, kind)
    label.setText(pill.text)
    label.setProperty("status", status)
    label.setStyleSheet(
        f"QLabel {{ color: {pill.ink}; background: {pill.fill}; border-radius: 11px;"
        " padding: 3px 12px; font-weight: 600; }"
    )


class FactsCard(QFrame):
    """The document's facts as label: value rows."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("InvoiceFactsCard")
        set_role(self, "card")
        self.setMinimumWidth(320)
        title = QLabel(_("Document"), self)
        bold(title, 11)
        self.form = QFormLayout()
        self.form.setVerticalSpacing(6)
        self.form.setHorizontalSpacing(14)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(14, 10, 14, 10)
        layout.setSpacing(6)
        layout.addWidget(title)
        layout.addLayout(self.form)
        layout.addStretch(1)
        self.values: dict[str, QLabel] = {}

    def show_invoice(self, invoice: InvoiceDTO, zone: str) -> None:
        while self.form.rowCount():
            self.form.removeRow(0)
        self.values = {}
        rows: list[tuple[str, str, str]] = [
            ("number", _("Number"), invoice.number_text or _("Given when issued")),
        ]
        if invoice.is_draft:
            rows.append(("created", _("Started"), format_when(invoice.created_at, zone)))
        else:
            rows.append(("issue_date", _("Issue date"), date_text(invoice.issue_date)))
            issued = format_when(invoice.issued_at, zone)
            if invoice.issued_by_name:
                issued = _("{when} by {who}").format(when=issued, who=invoice.issued_by_name)
            rows.append(("issued", _("Issued"), issued))
        rows.append(("patient", _("Patient"), invoice.patient_name or _("None (another payer)")))
        if invoice.practitioner_name:
            rows.append(("practitioner", _("Practitioner"), invoice.practitioner_name))
        if invoice.is_credit_note and invoice.corrects_number:
            rows.append(("corrects", _("Corrects"), invoice.corrects_number))
        if invoice.rectification_code:
            rows.append(("rectification", _("Type"), invoice.rectification_code))
        for key, title, value in rows:
            label = QLabel(value, self)
            label.setObjectName(f"InvoiceFact_{key}")
            label.setWordWrap(True)
            label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
            heading = QLabel(title, self)
            set_role(heading, "hint")
            self.form.addRow(heading, label)
            self.values[key] = label


class NotesCard(QFrame):
    """The discount on the total (a percentage) and the notes printed on the invoice."""

    changed = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("InvoiceNotesCard")
        set_role(self, "card")
        self.discount_spin = QDoubleSpinBox(self)
        self.discount_spin.setObjectName("InvoiceDiscountPercentSpin")
        self.discount_spin.setLocale(QLocale(current_language()))
        self.discount_spin.setRange(0, 100)
        self.discount_spin.setDecimals(2)
        self.discount_spin.setSuffix(" %")
        self.discount_spin.setAlignment(Qt.AlignmentFlag.AlignRight)
        self.discount_spin.setFixedWidth(120)
        self.notes_edit = QPlainTextEdit(self)
        self.notes_edit.setObjectName("InvoiceNotesEdit")
        self.notes_edit.setPlaceholderText(_("Printed under the totals (optional)"))
        self.notes_edit.setFixedHeight(64)
        self.discount_error = FieldError("InvoiceEditorError_discount_percent", self)
        self.notes_error = FieldError("InvoiceEditorError_notes", self)
        form = QFormLayout(self)
        form.setContentsMargins(14, 10, 14, 10)
        form.setVerticalSpacing(6)
        form.addRow(
            _("Discount on the total"), with_errors(self.discount_spin, self.discount_error)
        )
        form.addRow(_("Notes"), with_errors(self.notes_edit, self.notes_error))
        self._filling = False
        self.discount_spin.valueChanged.connect(lambda _v: self._emit())
        self.notes_edit.textChanged.connect(self._emit)

    def _emit(self) -> None:
        if not self._filling:
            self.changed.emit()

    def set_values(self, percent: Decimal, notes: str) -> None:
        self._filling = True
        self.discount_spin.setValue(float(percent))
        self.notes_edit.setPlainText(notes)
        self._filling = False

    def percent(self) -> Decimal:
        return Decimal(f"{self.discount_spin.value():.2f}")

    def notes(self) -> str:
        return self.notes_edit.toPlainText()

    def set_read_only(self, read_only: bool) -> None:
        self.discount_spin.setEnabled(not read_only)
        self.notes_edit.setReadOnly(read_only)

    def register_errors(self, errors: FormErrors) -> None:
        errors.add("discount_percent", self.discount_error, self.discount_spin)
        errors.add("notes", self.notes_error, self.notes_edit)
