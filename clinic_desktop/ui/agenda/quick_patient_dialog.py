"""Creating a patient while booking, with the minimum reception needs: first and last names,
ID number (checked by the clinic's country rules) and phone. The patient-records feature
completes the record later; the new patient is chosen in the picker at once."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QVBoxLayout,
    QWidget,
)

from clinic_desktop.i18n import _
from clinic_desktop.services.agenda_dto import PatientHit
from clinic_desktop.services.patients import quick_create_patient
from clinic_desktop.ui.agenda.dialog_kit import SaveFailures, with_errors
from clinic_desktop.ui.context import UiContext
from clinic_desktop.ui.style import set_role
from clinic_desktop.ui.widgets.forms import FieldError, FormErrors
from clinic_desktop.ui.widgets.messages import fit_width
from clinic_desktop.ui.widgets.screen_kit import MessageBanner


class QuickPatientDialog(SaveFailures, QDialog):
    """Creates a patient with the minimum reception needs: names, ID number and phone."""

    created = Signal(object)  # PatientHit

    def __init__(self, ctx: UiContext, text: str = "", parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._ctx = ctx
        self.setObjectName("QuickPatientDialog")
        self.setWindowTitle(_("New patient"))
        intro = QLabel(
            _("Enough to book the appointment; the rest of the record can be completed later."),
            self,
        )
        intro.setWordWrap(True)
        set_role(intro, "hint")
        self.banner = MessageBanner("QuickPatientMessage", self)
        self.first_names_edit = QLineEdit(self)
        self.first_names_edit.setObjectName("FirstNamesEdit")
        self.last_names_edit = QLineEdit(self)
        self.last_names_edit.setObjectName("LastNamesEdit")
        self.id_number_edit = QLineEdit(self)
        self.id_number_edit.setObjectName("IdNumberEdit")
        self.id_number_edit.setPlaceholderText(_("Optional"))
        self.phone_edit = QLineEdit(self)
        self.phone_edit.setObjectName("PhoneEdit")
        self.phone_edit.setPlaceholderText(_("For example: 099 123 4567"))
        words = text.split()
        if len(words) == 2 and not any(c.isdigit() for c in text):
            self.first_names_edit.setText(words[0].capitalize())
            self.last_names_edit.setText(words[1].capitalize())

        self.errors = FormErrors(FieldError("QuickPatientError", self))
        form = QFormLayout()
        for field, label, edit in (
            ("first_names", _("First names"), self.first_names_edit),
            ("last_names", _("Last names"), self.last_names_edit),
            ("id_number", _("ID number"), self.id_number_edit),
            ("phone", _("Phone"), self.phone_edit),
        ):
            error = FieldError(f"QuickPatient_{field}_Error", self)
            self.errors.add(field, error, edit)
            form.addRow(label, with_errors(edit, error))

        self.buttons = QDialogButtonBox(self)
        self.save_button = self.buttons.addButton(
            _("Create patient"), QDialogButtonBox.ButtonRole.AcceptRole
        )
        self.save_button.setObjectName("CreatePatientButton")
        self.save_button.setDefault(True)
        set_role(self.save_button, "primary")
        cancel = self.buttons.addButton(_("Cancel"), QDialogButtonBox.ButtonRole.RejectRole)
        self.save_button.clicked.connect(self.save)
        cancel.clicked.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addWidget(self.banner)
        layout.addLayout(form)
        layout.addWidget(self.buttons)
        self.resize(0, 0)  # fit_width only grows a window; start from its minimum
        fit_width(self, 480)  # so an error appearing under a field gets its room

    def save(self) -> None:
        self.errors.clear()
        self.banner.clear_message()
        ctx = self._ctx
        values: dict[str, Any] = {
            "first_names": self.first_names_edit.text(),
            "last_names": self.last_names_edit.text(),
            "id_number": self.id_number_edit.text(),
            "phone": self.phone_edit.text(),
        }
        self.save_button.setEnabled(False)
        ctx.runner.run(
            lambda: quick_create_patient(ctx.uow(), actor=ctx.actor, **values),
            on_done=self._on_save_done,
            on_error=self._on_save_error,
            on_user_error=self._on_user_error,
            parent=self,
        )

    def _on_save_done(self, hit: PatientHit) -> None:
        self.save_button.setEnabled(True)
        self.created.emit(hit)
        self.accept()
