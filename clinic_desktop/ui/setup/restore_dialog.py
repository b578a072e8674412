"""Taking over a clinic on a new computer: choose the backup file (.cdbackup) and type the
recovery key from the clinic's recovery sheet. services.startup.restore_on_new_pc verifies the
backup before installing it and refuses if a clinic already exists here."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QDialog,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from clinic_desktop.config import AppPaths
from clinic_desktop.errors import UserFacingError, WrongKey
from clinic_desktop.i18n import _
from clinic_desktop.services import startup
from clinic_desktop.ui.ops import Runner
from clinic_desktop.ui.style import mono_font, set_role
from clinic_desktop.ui.widgets.forms import FieldError, FormErrors
from clinic_desktop.ui.widgets.messages import fit_width


class RestoreOnNewPcDialog(QDialog):
    restored = Signal(object)  # the opened clinic database (opaque to the UI)

    def __init__(
        self,
        *,
        paths: AppPaths,
        runner: Runner,
        keyring_backend: startup.KeyringChoice = True,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setObjectName("RestoreOnNewPcDialog")
        self.setWindowTitle(_("Restore a backup onto this computer"))
        self.setWindowFlag(Qt.WindowType.WindowContextHelpButtonHint, False)
        self._paths = paths
        self._runner = runner
        self._keyring_backend = keyring_backend

        intro = QLabel(
            _(
                "Choose a backup file of your clinic (it ends in .cdbackup) and type the "
                "recovery key printed on the clinic's recovery sheet. The backup is checked "
                "before anything is installed."
            )
        )
        intro.setWordWrap(True)
        self.file_edit = QLineEdit()
        self.file_edit.setObjectName("BackupFileEdit")
        browse = QPushButton(_("Choose…"))
        browse.setObjectName("BrowseBackupButton")
        browse.clicked.connect(self._on_browse_clicked)
        file_row = QHBoxLayout()
        file_row.addWidget(self.file_edit, 1)
        file_row.addWidget(browse)
        self.key_edit = QLineEdit()
        self.key_edit.setObjectName("RecoveryKeyEdit")
        self.key_edit.setFont(mono_font(12))
        self.key_edit.setPlaceholderText("ABCD-EFGH-…")

        general = FieldError("RestoreError")
        self.errors = FormErrors(general)
        file_error = FieldError("BackupFileError")
        key_error = FieldError("RecoveryKeyError")
        self.errors.add("file", file_error, self.file_edit)
        self.errors.add("recovery_key", key_error, self.key_edit)
        form = QFormLayout()
        form.setVerticalSpacing(6)
        form.addRow(_("Backup file"), file_row)
        form.addRow("", file_error)
        form.addRow(_("Recovery key"), self.key_edit)
        form.addRow("", key_error)

        self.restore_button = QPushButton(_("Restore"))
        self.restore_button.setObjectName("RestoreButton")
        set_role(self.restore_button, "primary")
        self.restore_button.clicked.connect(self.submit)
        cancel = QPushButton(_("Cancel"))
        cancel.clicked.connect(self.reject)
        buttons = QHBoxLayout()
        buttons.addStretch(1)
        buttons.addWidget(cancel)
        buttons.addWidget(self.restore_button)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(24, 20, 24, 20)
        layout.setSpacing(12)
        layout.addWidget(intro)
        layout.addLayout(form)
        layout.addWidget(general)
        layout.addLayout(buttons)
        fit_width(self, 640)

    def _on_browse_clicked(self) -> None:
        chosen, _filter = QFileDialog.getOpenFileName(
            self, _("Choose a backup"), str(Path.home()), _("Clinic backups (*.cdbackup)")
        )
        if chosen:
            self.file_edit.setText(chosen)

    def submit(self) -> None:
        self.errors.clear()
        file_text = self.file_edit.text().strip()
        key = self.key_edit.text().strip().upper()
        if not file_text:
            self.errors.show(_("Backup file: choose the file to restore."), "file")
            return
        backup = Path(file_text)
        if not backup.is_file():
            self.errors.show(_("Backup file: {path} does not exist.").format(path=backup), "file")
            return
        if not key:
            self.errors.show(_("Recovery key: it is required."), "recovery_key")
            return
        paths, backend = self._paths, self._keyring_backend
        self.restore_button.setEnabled(False)
        self._runner.run(
            lambda: startup.restore_on_new_pc(
                paths, backup, recovery_key=key, keyring_backend=backend
            ),
            on_done=self._on_done,
            on_error=self._on_error,
            on_user_error=self._on_user_error,
            busy_text=_("Checking and restoring the backup…"),
            parent=self,
        )

    def _on_done(self, result: object) -> None:
        self.restore_button.setEnabled(True)
        self.restored.emit(result)
        self.accept()

    def _on_user_error(self, error: UserFacingError) -> None:
        self.restore_button.setEnabled(True)
        # A wrong key is the commonest mistake; say it beside the key.
        field = "recovery_key" if isinstance(error, WrongKey) else error.field
        self.errors.show(error.message, field)

    def _on_error(self, message: str) -> None:
        self.restore_button.setEnabled(True)
        self.errors.show(message)
