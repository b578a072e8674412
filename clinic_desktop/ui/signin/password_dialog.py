"""Changing one's own password: the current one, the new one twice, and the policy in one
line. After a temporary password set by the owner the change is forced: the dialog has no
cancel button and ignores Escape, so nobody reaches the clinic data with a password someone
else knows."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QCloseEvent, QKeyEvent
from PySide6.QtWidgets import (
    QDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from clinic_desktop.actor import Actor
from clinic_desktop.errors import UserFacingError
from clinic_desktop.i18n import _
from clinic_desktop.services import auth
from clinic_desktop.ui.ops import Runner
from clinic_desktop.ui.style import set_role
from clinic_desktop.ui.widgets.forms import FieldError, FormErrors
from clinic_desktop.ui.widgets.messages import fit_width


def password_policy_hint() -> str:
    return _("At least 10 characters, with letters and digits, and not containing the user name.")


class ChangePasswordDialog(QDialog):
    password_changed = Signal()

    def __init__(
        self,
        *,
        db: Any,
        runner: Runner,
        actor: Actor,
        forced: bool = False,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setObjectName("ChangePasswordDialog")
        self.setWindowTitle(_("Change password"))
        self.setWindowFlag(Qt.WindowType.WindowContextHelpButtonHint, False)
        self._db = db
        self._runner = runner
        self._actor = actor
        self._forced = forced

        intro = QLabel(
            _("You signed in with a temporary password. Choose your own password to continue.")
            if forced
            else _("Choose a new password for your account.")
        )
        intro.setObjectName("ChangePasswordIntro")
        intro.setWordWrap(True)
        self.current_edit = self._password_edit("CurrentPasswordEdit")
        self.new_edit = self._password_edit("NewPasswordEdit")
        self.repeat_edit = self._password_edit("RepeatPasswordEdit")
        hint = QLabel(password_policy_hint())
        set_role(hint, "hint")
        hint.setWordWrap(True)

        general = FieldError("ChangePasswordError")
        self.errors = FormErrors(general)
        current_error = FieldError("CurrentPasswordError")
        new_error = FieldError("NewPasswordError")
        repeat_error = FieldError("RepeatPasswordError")
        self.errors.add("current_password", current_error, self.current_edit)
        self.errors.add("new_password", new_error, self.new_edit)
        self.errors.add("repeat_password", repeat_error, self.repeat_edit)

        form = QFormLayout()
        form.setVerticalSpacing(6)
        form.addRow(_("Current password"), self.current_edit)
        form.addRow("", current_error)
        form.addRow(_("New password"), self.new_edit)
        form.addRow("", hint)
        form.addRow("", new_error)
        form.addRow(_("Repeat the new password"), self.repeat_edit)
        form.addRow("", repeat_error)

        self.save_button = QPushButton(_("Change password"))
        self.save_button.setObjectName("SavePasswordButton")
        set_role(self.save_button, "primary")
        self.save_button.clicked.connect(self.submit)
        buttons = QHBoxLayout()
        buttons.addStretch(1)
        self._leaving = False
        if forced:
            # The only way past a forced change without changing is out: back to sign-in.
            leave = QPushButton(_("Sign out"))
            leave.setObjectName("SignOutButton")
            leave.clicked.connect(self._on_sign_out_clicked)
            buttons.addWidget(leave)
        else:
            cancel = QPushButton(_("Cancel"))
            cancel.setObjectName("CancelButton")
            cancel.clicked.connect(self.reject)
            buttons.addWidget(cancel)
        buttons.addWidget(self.save_button)

        layout = QVBoxLayout(self)
        layout.setContentsMargins(24, 20, 24, 20)
        layout.setSpacing(12)
        layout.addWidget(intro)
        layout.addLayout(form)
        layout.addWidget(general)
        layout.addLayout(buttons)
        fit_width(self, 560)

    @staticmethod
    def _password_edit(name: str) -> QLineEdit:
        edit = QLineEdit()
        edit.setObjectName(name)
        edit.setEchoMode(QLineEdit.EchoMode.Password)
        return edit

    def submit(self) -> None:
        self.errors.clear()
        current = self.current_edit.text()
        new = self.new_edit.text()
        if new != self.repeat_edit.text():
            self.errors.show(
                _("Repeat the new password: the two passwords are different."), "repeat_password"
            )
            return
        self.save_button.setEnabled(False)
        self._runner.run(
            lambda: auth.change_own_password(
                self._db.uow(), actor=self._actor, current_password=current, new_password=new
            ),
            on_done=self._on_done,
            on_error=self._on_error,
            on_user_error=self._on_user_error,
            parent=self,
        )

    def _on_done(self, _result: object) -> None:
        self.save_button.setEnabled(True)
        self.password_changed.emit()
        self.accept()

    def _on_user_error(self, error: UserFacingError) -> None:
        self.save_button.setEnabled(True)
        self.errors.show(error.message, error.field)

    def _on_error(self, message: str) -> None:
        self.save_button.setEnabled(True)
        self.errors.show(message)

    def _on_sign_out_clicked(self) -> None:
        self._leaving = True
        super().reject()

    def reject(self) -> None:
        if not self._forced or self._leaving:
            super().reject()

    def keyPressEvent(self, event: QKeyEvent) -> None:
        if self._forced and event.key() == Qt.Key.Key_Escape:
            event.ignore()
            return
        super().keyPressEvent(event)

    def closeEvent(self, event: QCloseEvent) -> None:
        if self._forced and not self._leaving and self.result() != QDialog.DialogCode.Accepted:
            event.ignore()
            return
        super().closeEvent(event)
