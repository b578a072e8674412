"""The restore dialog (backup.restore): pick one of the listed backups or a .cdbackup file,
read what will happen (the current data is set aside, not deleted, and everyone signs in
again), optionally give the recovery key for a backup made on another PC, and confirm with a
check box before the button is enabled. The restore itself runs through the runner."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QButtonGroup,
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QRadioButton,
    QVBoxLayout,
    QWidget,
)

from clinic_desktop.errors import UserFacingError
from clinic_desktop.i18n import _
from clinic_desktop.services.backups import restore_backup
from clinic_desktop.services.dto import BackupDTO
from clinic_desktop.ui.context import UiContext
from clinic_desktop.ui.style import mono_font, set_role
from clinic_desktop.ui.widgets import screen_kit
from clinic_desktop.ui.widgets.screen_kit import (
    MessageBanner,
    format_size,
    format_when,
    mark_invalid,
)

BACKUP_PATTERN = "*.cdbackup"


class RestoreBackupDialog(QDialog):
    restored = Signal(object)  # services.backups.RestoreResult

    def __init__(
        self,
        ctx: UiContext,
        backups: list[BackupDTO],
        zone: str,
        kind_label: Any,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self._ctx = ctx
        self.setObjectName("RestoreBackupDialog")
        self.setWindowTitle(_("Restore a backup"))
        self.setMinimumWidth(620)

        warning = MessageBanner("RestoreWarning", self)
        warning.show_message(
            _(
                "Restoring replaces the clinic's current data with the data in the backup. "
                "The current data is not deleted: it is set aside in {folder}. After the "
                "restore everyone must sign in again, on this PC and the others."
            ).format(folder=ctx.paths.replaced_dir),
            "warn",
        )
        self.banner = MessageBanner("RestoreMessage", self)

        self.listed_radio = QRadioButton(_("A backup from the list"), self)
        self.listed_radio.setObjectName("RestoreListedRadio")
        self.file_radio = QRadioButton(_("A backup file"), self)
        self.file_radio.setObjectName("RestoreFileRadio")
        group = QButtonGroup(self)
        group.addButton(self.listed_radio)
        group.addButton(self.file_radio)
        self.backup_combo = QComboBox(self)
        self.backup_combo.setObjectName("RestoreBackupCombo")
        for backup in backups:
            self.backup_combo.addItem(
                f"{format_when(backup.created_at, zone)} · {kind_label(backup.kind)} · "
                f"{format_size(backup.size_bytes)}",
                backup.path,
            )
            self.backup_combo.setItemData(
                self.backup_combo.count() - 1, backup.path, Qt.ItemDataRole.ToolTipRole
            )
        self.file_edit = QLineEdit(self)
        self.file_edit.setObjectName("RestoreFileEdit")
        self.file_edit.setPlaceholderText(_("Choose a .cdbackup file"))
        browse = QPushButton(_("Browse…"), self)
        browse.setObjectName("RestoreBrowseButton")
        browse.clicked.connect(self._on_browse_clicked)
        file_row = QHBoxLayout()
        file_row.addWidget(self.file_edit, 1)
        file_row.addWidget(browse)

        self.key_edit = QLineEdit(self)
        self.key_edit.setObjectName("RecoveryKeyEdit")
        self.key_edit.setFont(mono_font(11))
        self.key_edit.setPlaceholderText(_("Leave empty for a backup made on this PC"))
        key_title = QLabel(_("Recovery key (optional)"), self)
        key_title.setStyleSheet("font-weight:600;")
        key_hint = QLabel(
            _(
                "A backup made on another PC needs the recovery key printed when the clinic "
                "was set up."
            ),
            self,
        )
        key_hint.setWordWrap(True)
        set_role(key_hint, "hint")

        grid = QGridLayout()
        grid.addWidget(self.listed_radio, 0, 0)
        grid.addWidget(self.backup_combo, 0, 1)
        grid.addWidget(self.file_radio, 1, 0)
        grid.addLayout(file_row, 1, 1)
        grid.setColumnStretch(1, 1)

        self.confirm_check = QCheckBox(
            _("I understand that the current data will be replaced by this backup."), self
        )
        self.confirm_check.setObjectName("RestoreConfirmCheck")
        set_role(self.confirm_check, "confirm")
        buttons = QDialogButtonBox(self)
        self.restore_button = buttons.addButton(
            _("Restore"), QDialogButtonBox.ButtonRole.AcceptRole
        )
        self.restore_button.setObjectName("RestoreButton")
        self.restore_button.setEnabled(False)
        cancel = buttons.addButton(_("Cancel"), QDialogButtonBox.ButtonRole.RejectRole)
        set_role(self.restore_button, "primary")
        # No default button: a stray Enter must never start a restore.
        for button in (self.restore_button, cancel):
            button.setAutoDefault(False)
        self.restore_button.clicked.connect(self._on_restore_button_clicked)
        cancel.clicked.connect(self.reject)
        self.confirm_check.toggled.connect(self.restore_button.setEnabled)

        layout = QVBoxLayout(self)
        layout.addWidget(warning)
        layout.addWidget(self.banner)
        layout.addLayout(grid)
        key_box = QVBoxLayout()
        key_box.setSpacing(4)
        key_box.addWidget(key_title)
        key_box.addWidget(key_hint)
        key_box.addWidget(self.key_edit)
        layout.addSpacing(8)
        layout.addLayout(key_box)
        layout.addSpacing(8)
        layout.addWidget(self.confirm_check)
        layout.addWidget(buttons)

        self.file_edit.textEdited.connect(self._on_file_edit_edited)
        if backups:
            self.listed_radio.setChecked(True)
        else:
            self.listed_radio.setEnabled(False)
            self.backup_combo.setEnabled(False)
            self.file_radio.setChecked(True)

    def chosen_file(self) -> Path | None:
        if self.listed_radio.isChecked():
            path = self.backup_combo.currentData()
            return Path(path) if path else None
        text = self.file_edit.text().strip()
        return Path(text).expanduser() if text else None

    def _on_browse_clicked(self) -> None:
        path = screen_kit.choose_file(
            self,
            _("Choose a backup"),
            str(self._ctx.paths.backups_dir),
            _("Clinic backups ({pattern})").format(pattern=BACKUP_PATTERN),
        )
        if path:
            self.file_edit.setText(path)
            self.file_radio.setChecked(True)

    def _on_file_edit_edited(self, _text: str) -> None:
        self.file_radio.setChecked(True)

    def _on_restore_button_clicked(self) -> None:
        self._restore()

    def _restore(self) -> None:
        ctx = self._ctx
        self.banner.clear_message()
        mark_invalid(self.file_edit, False)
        mark_invalid(self.key_edit, False)
        backup_file = self.chosen_file()
        if backup_file is None:
            self.banner.show_message(_("Backup file: choose a backup to restore."), "error")
            mark_invalid(self.file_edit, True)
            return
        key = self.key_edit.text().strip() or None
        self.restore_button.setEnabled(False)
        ctx.runner.run(
            lambda: restore_backup(
                ctx.db, actor=ctx.actor, backup_file=backup_file, recovery_key=key
            ),
            on_done=self._on_restore_done,
            on_error=self._on_restore_error,
            on_user_error=self._on_restore_user_error,
            busy_text=_("Restoring the backup… This can take a minute."),
            parent=self,
        )

    def _on_restore_user_error(self, error: UserFacingError) -> None:
        self._on_restore_error(error.message)
        field = {"file": self.file_edit, "recovery_key": self.key_edit}.get(error.field or "")
        if field is not None:
            mark_invalid(field, True)

    def _on_restore_done(self, result: Any) -> None:
        self.accept()
        self.restored.emit(result)

    def _on_restore_error(self, message: str) -> None:
        self.restore_button.setEnabled(self.confirm_check.isChecked())
        self.banner.show_message(message, "error")
