"""Starting a blank invoice from the invoices list: whose account it goes on — a patient found
by name, ID number, phone or chart number (the buyer is then filled from their record), or
nobody, for a payer who is not a patient (a company paying a check-up, a one-off sale).
Payments are taken on a patient's account, so an invoice without one can only be printed."""

from __future__ import annotations

import uuid

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QCheckBox, QDialog, QDialogButtonBox, QLabel, QVBoxLayout, QWidget

from clinic_desktop.i18n import _
from clinic_desktop.ui.agenda.patient_picker import PatientPicker
from clinic_desktop.ui.context import UiContext
from clinic_desktop.ui.style import bold, set_role
from clinic_desktop.ui.widgets.forms import FieldError


class NewInvoiceDialog(QDialog):
    """`chosen` carries the patient's id, or None for an invoice on nobody's account."""

    chosen = Signal(object)

    def __init__(self, ctx: UiContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("NewInvoiceDialog")
        self.setWindowTitle(_("New invoice"))
        heading = QLabel(_("New invoice"), self)
        bold(heading, 13)
        hint = QLabel(_("Choose the patient whose account it goes on."), self)
        set_role(hint, "hint")
        self.picker = PatientPicker(ctx, self)
        self.no_patient_check = QCheckBox(
            _("Without a patient (a payer who is not a patient)"), self
        )
        self.no_patient_check.setObjectName("NewInvoiceNoPatientCheck")
        self.no_patient_check.toggled.connect(lambda on: self.picker.setEnabled(not on))
        self.error = FieldError("NewInvoiceDialogError", self)
        buttons = QDialogButtonBox(self)
        self.start_button = buttons.addButton(
            _("Write invoice"), QDialogButtonBox.ButtonRole.AcceptRole
        )
        self.start_button.setObjectName("NewInvoiceStartButton")
        set_role(self.start_button, "primary")
        cancel = buttons.addButton(_("Cancel"), QDialogButtonBox.ButtonRole.RejectRole)
        for button in (self.start_button, cancel):
            button.setAutoDefault(False)
        self.start_button.clicked.connect(self.start)
        cancel.clicked.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.setSpacing(10)
        layout.addWidget(heading)
        layout.addWidget(hint)
        layout.addWidget(self.picker)
        layout.addWidget(self.no_patient_check)
        layout.addWidget(self.error)
        layout.addStretch(1)
        layout.addWidget(buttons)
        self.resize(560, 360)

    def start(self) -> bool:
        patient_id: uuid.UUID | None = None
        if not self.no_patient_check.isChecked():
            patient_id = self.picker.patient_id()
            if patient_id is None:
                self.error.show_error(_("Patient: choose one, or tick “Without a patient”."))
                return False
        self.chosen.emit(patient_id)
        self.accept()
        return True
