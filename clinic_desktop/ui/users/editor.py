"""The dialog that creates or edits one account, and the one that shows a temporary password
once. Saving runs through the runner; a refused save (bad field, or someone else saved first)
keeps the dialog open with everything the owner typed, and marks the field at fault."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QFrame,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from clinic_desktop.errors import ConcurrentEditError, UserFacingError
from clinic_desktop.i18n import LANGUAGES, _
from clinic_desktop.services.access import ROLE_LABELS, role_label
from clinic_desktop.services.dto import UserDTO
from clinic_desktop.services.passwords import temporary_password
from clinic_desktop.services.users import create_user, update_user
from clinic_desktop.ui.context import UiContext
from clinic_desktop.ui.style import mono_font, set_role
from clinic_desktop.ui.widgets.screen_kit import MessageBanner, mark_invalid


class UserEditorDialog(QDialog):
    """New account when `user` is None, otherwise an edit of that account's loaded version."""

    saved = Signal(object)  # UserDTO
    created = Signal(object, str)  # UserDTO, temporary password

    def __init__(
        self, ctx: UiContext, user: UserDTO | None = None, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self._ctx = ctx
        self._user = user
        self.setObjectName("UserEditorDialog")
        self.setWindowTitle(_("New user") if user is None else _("Edit user"))
        self.setMinimumWidth(480)

        self.banner = MessageBanner("UserEditorMessage", self)
        self.full_name_edit = QLineEdit(self)
        self.full_name_edit.setObjectName("FullNameEdit")
        self.full_name_edit.setPlaceholderText(_("For example: Carla Mendoza"))
        self.username_edit = QLineEdit(self)
        self.username_edit.setObjectName("UsernameEdit")
        self.username_edit.setPlaceholderText(_("For example: carla"))
        self.email_edit = QLineEdit(self)
        self.email_edit.setObjectName("EmailEdit")
        self.email_edit.setPlaceholderText(_("Optional"))
        self.language_combo = QComboBox(self)
        self.language_combo.setObjectName("LanguageCombo")
        self.language_combo.setMinimumWidth(200)
        self.language_combo.addItem(_("Clinic default"), None)
        for code, name in LANGUAGES.items():
            self.language_combo.addItem(name, code)

        roles_box = QFrame(self)  # a frame, so an invalid mark can draw its border
        roles_box.setObjectName("RolesBox")
        roles_layout = QVBoxLayout(roles_box)
        roles_layout.setContentsMargins(6, 3, 6, 3)  # room for the red border when invalid
        roles_layout.setSpacing(2)
        self.role_checks: dict[str, QCheckBox] = {}
        for role in ROLE_LABELS:
            check = QCheckBox(role_label(role), roles_box)
            check.setObjectName(f"RoleCheck_{role}")
            # Giving or taking the owner role is itself an owner's decision (grants.manage).
            if role == "owner" and not ctx.can("grants.manage"):
                check.setEnabled(False)
                check.setToolTip(_("Only an owner can give or remove the owner role."))
            roles_layout.addWidget(check)
            self.role_checks[str(role)] = check

        form = QFormLayout()
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.ExpandingFieldsGrow)
        form.setLabelAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter)
        form.addRow(_("Full name"), self.full_name_edit)
        form.addRow(_("User name"), self.username_edit)
        form.addRow(_("E-mail"), self.email_edit)
        form.addRow(_("Roles"), roles_box)
        form.addRow(_("Language"), self.language_combo)

        self.password_edit = QLineEdit(self)
        self.password_edit.setObjectName("TemporaryPasswordEdit")
        if user is None:
            # Prefilled with a generated one: the owner can read it out or type their own.
            self.password_edit.setText(temporary_password())
            regenerate = QPushButton(_("Generate another"), self)
            regenerate.setObjectName("GeneratePasswordButton")
            regenerate.clicked.connect(self._on_regenerate_clicked)
            row = QHBoxLayout()
            row.addWidget(self.password_edit, 1)
            row.addWidget(regenerate)
            form.addRow(_("Temporary password"), row)
            hint = QLabel(
                _("The user must change it the first time they sign in."),
                self,
            )
            hint.setWordWrap(True)
            set_role(hint, "hint")
            form.addRow("", hint)
        else:
            self.password_edit.hide()
            self._load(user)

        self.buttons = QDialogButtonBox(self)
        self.save_button = self.buttons.addButton(
            _("Create user") if user is None else _("Save changes"),
            QDialogButtonBox.ButtonRole.AcceptRole,
        )
        self.save_button.setObjectName("SaveUserButton")
        self.save_button.setDefault(True)
        set_role(self.save_button, "primary")  # sized bold from the start, not when shown
        cancel = self.buttons.addButton(_("Cancel"), QDialogButtonBox.ButtonRole.RejectRole)
        cancel.setObjectName("CancelUserButton")
        self.save_button.clicked.connect(self._on_save_button_clicked)
        cancel.clicked.connect(self.reject)

        layout = QVBoxLayout(self)
        layout.addWidget(self.banner)
        layout.addLayout(form)
        layout.addWidget(self.buttons)

        self._fields: dict[str, QWidget] = {
            "full_name": self.full_name_edit,
            "username": self.username_edit,
            "email": self.email_edit,
            "roles": roles_box,
            "language": self.language_combo,
            "password": self.password_edit,
        }

    def _load(self, user: UserDTO) -> None:
        self.full_name_edit.setText(user.full_name)
        self.username_edit.setText(user.username)
        self.username_edit.setReadOnly(True)
        self.username_edit.setToolTip(_("A user name cannot be changed once created."))
        self.email_edit.setText(user.email or "")
        for role, check in self.role_checks.items():
            check.setChecked(role in user.roles)
        index = self.language_combo.findData(user.language)
        self.language_combo.setCurrentIndex(max(index, 0))

    def chosen_roles(self) -> list[str]:
        return [role for role, check in self.role_checks.items() if check.isChecked()]

    def _on_regenerate_clicked(self) -> None:
        self.password_edit.setText(temporary_password())

    def _on_save_button_clicked(self) -> None:
        self._save()

    def _save(self) -> None:
        ctx, user = self._ctx, self._user
        for widget in self._fields.values():
            mark_invalid(widget, False)
        self.banner.clear_message()
        values: dict[str, Any] = {
            "full_name": self.full_name_edit.text(),
            "email": self.email_edit.text(),
            "roles": self.chosen_roles(),
            "language": self.language_combo.currentData(),
        }
        if user is None:
            password = self.password_edit.text().strip()
            values.update(username=self.username_edit.text(), password=password)

        def save() -> UserDTO:
            if user is None:
                return create_user(ctx.uow(), actor=ctx.actor, **values)
            return update_user(
                ctx.uow(), actor=ctx.actor, user_id=user.id, expected_version=user.version,
                **values,
            )  # fmt: skip

        self.save_button.setEnabled(False)
        ctx.runner.run(
            save,
            on_done=self._on_save_done,
            on_error=self._on_save_error,
            on_user_error=self._show_error,
            parent=self,
        )

    def _on_save_done(self, result: Any) -> None:
        self.save_button.setEnabled(True)
        self.saved.emit(result)
        if self._user is None:
            self.created.emit(result, self.password_edit.text().strip())
        self.accept()

    def _on_save_error(self, message: str) -> None:
        self.save_button.setEnabled(True)
        self.banner.show_message(message, "error")

    def _show_error(self, error: UserFacingError) -> None:
        self.save_button.setEnabled(True)
        # A concurrent edit is not the owner's typing at fault: keep the input, say who saved.
        kind = "warn" if isinstance(error, ConcurrentEditError) else "error"
        self.banner.show_message(error.message, kind)
        widget = self._fields.get(error.field or "")
        if widget is not None:
            mark_invalid(widget, True)


class TemporaryPasswordDialog(QDialog):
    """Shows a temporary password once, with a copy button; it is never shown again."""

    def __init__(self, full_name: str, password: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("TemporaryPasswordDialog")
        self.setWindowTitle(_("Temporary password"))
        self.setMinimumWidth(440)
        intro = QLabel(
            _(
                "Give this temporary password to {name}. It is shown only now: write it down "
                "or copy it before closing this window."
            ).format(name=full_name),
            self,
        )
        intro.setWordWrap(True)
        self.password_field = QLineEdit(password, self)
        self.password_field.setObjectName("TemporaryPasswordField")
        self.password_field.setReadOnly(True)
        self.password_field.setFont(mono_font(15))
        self.copy_button = QPushButton(_("Copy"), self)
        self.copy_button.setObjectName("CopyPasswordButton")
        self.copy_button.clicked.connect(self._on_copy_button_clicked)
        row = QHBoxLayout()
        row.addWidget(self.password_field, 1)
        row.addWidget(self.copy_button)
        note = QLabel(
            _("At the first sign-in they will be asked to choose their own password."), self
        )
        note.setWordWrap(True)
        set_role(note, "hint")
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, self)
        close = buttons.button(QDialogButtonBox.StandardButton.Close)
        close.setText(_("Close"))
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addLayout(row)
        layout.addWidget(note)
        layout.addWidget(buttons)

    def _on_copy_button_clicked(self) -> None:
        QGuiApplication.clipboard().setText(self.password_field.text())
        self.copy_button.setText(_("Copied"))
