"""The user name + password form shared by the sign-in dialog and the lock screen. It calls
services.auth.sign_in through the runner, so wrong passwords, disabled accounts and lockouts
are decided (and audited) by the service and shown here in its own words."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QFormLayout, QLabel, QLineEdit, QPushButton, QVBoxLayout, QWidget

from clinic_desktop.i18n import _
from clinic_desktop.services.dto import SignedInUser
from clinic_desktop.ui.ops import Runner
from clinic_desktop.ui.style import set_role
from clinic_desktop.ui.widgets.forms import FieldError, mark_invalid


class SignInForm(QWidget):
    """With `fixed_username` the name is shown but not editable (unlocking an idle session)."""

    signed_in = Signal(object)  # SignedInUser

    def __init__(
        self,
        db: Any,
        runner: Runner,
        *,
        fixed_username: str | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setObjectName("SignInForm")
        self._db = db  # None while the clinic data is still opening (see set_database)
        self._runner = runner
        self._busy = False

        self.username_edit = QLineEdit()
        self.username_edit.setObjectName("UsernameEdit")
        self.username_edit.setMinimumWidth(260)
        if fixed_username:
            self.username_edit.setText(fixed_username)
            self.username_edit.setReadOnly(True)
            self.username_edit.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.password_edit = QLineEdit()
        self.password_edit.setObjectName("PasswordEdit")
        self.password_edit.setEchoMode(QLineEdit.EchoMode.Password)
        self.error_label = FieldError("SignInError")
        self.sign_in_button = QPushButton()
        self.sign_in_button.setObjectName("SignInButton")
        set_role(self.sign_in_button, "primary")
        self.sign_in_button.clicked.connect(self.submit)
        self.sign_in_button.setEnabled(db is not None)
        self.username_edit.returnPressed.connect(self.password_edit.setFocus)
        self.password_edit.returnPressed.connect(self.submit)

        self._username_label = QLabel()
        self._password_label = QLabel()
        form = QFormLayout()
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.ExpandingFieldsGrow)
        form.setVerticalSpacing(10)
        form.addRow(self._username_label, self.username_edit)
        form.addRow(self._password_label, self.password_edit)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(10)
        layout.addLayout(form)
        layout.addWidget(self.error_label)
        layout.addWidget(self.sign_in_button)
        self.retranslate()

    def set_database(self, db: Any) -> None:
        """The clinic data is open: signing in works from now on."""
        self._db = db
        self.sign_in_button.setEnabled(True)
        self.retranslate()

    def retranslate(self) -> None:
        self._username_label.setText(_("User name"))
        self._password_label.setText(_("Password"))
        self.sign_in_button.setText(
            _("Sign in") if self._db is not None else _("Opening the clinic data…")
        )

    def focus_first_empty(self) -> None:
        if self.username_edit.isReadOnly() or self.username_edit.text():
            self.password_edit.setFocus()
        else:
            self.username_edit.setFocus()

    def fill(self, username: str, password: str = "") -> None:
        self.username_edit.setText(username)
        self.password_edit.setText(password)
        self.password_edit.setFocus()

    def reset(self) -> None:
        self.password_edit.clear()
        self.error_label.clear_message()
        mark_invalid(self.password_edit, False)

    def submit(self) -> None:
        if self._busy:
            return
        username = self.username_edit.text().strip()
        password = self.password_edit.text()
        self.error_label.clear_message()
        mark_invalid(self.password_edit, False)
        if not username:
            self._on_failed(_("User name: it is required."))
            self.username_edit.setFocus()
            return
        if not password:
            self._on_failed(_("Password: it is required."))
            return
        if self._db is None:
            return  # the button says the data is still opening; Enter must not sign in yet
        # Imported here: the sign-in window is shown before the database layer loads.
        from clinic_desktop.services import auth

        self._busy = True
        self.sign_in_button.setEnabled(False)
        self._runner.run(
            lambda: auth.sign_in(self._db.uow(), username=username, password=password),
            on_done=self._on_signed_in,
            on_error=self._on_failed,
            parent=self.window(),
        )

    def _on_signed_in(self, user: SignedInUser) -> None:
        self._busy = False
        self.sign_in_button.setEnabled(True)
        self.password_edit.clear()
        self.signed_in.emit(user)

    def _on_failed(self, message: str) -> None:
        self._busy = False
        self.sign_in_button.setEnabled(True)
        self.error_label.show_error(message)
        self.password_edit.clear()
        mark_invalid(self.password_edit, True)
        self.password_edit.setFocus()
