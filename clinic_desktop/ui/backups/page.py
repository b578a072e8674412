"""The backups screen (backup.run): when the last verified backup was made (with a warning
when it is over 48 hours old), "Back up now", the list of backups on this PC, copying one to
another folder (a USB stick kept off-site), and, for backup.restore, restoring one."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QItemSelection
from PySide6.QtWidgets import (
    QAbstractItemView,
    QFrame,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from clinic_desktop.i18n import N_, _
from clinic_desktop.services.backups import (
    RestoreResult,
    backup_status,
    copy_backup,
    list_backups,
    make_backup,
)
from clinic_desktop.services.dto import BackupDTO, BackupStatus
from clinic_desktop.ui.backups.restore import RestoreBackupDialog
from clinic_desktop.ui.context import UiContext
from clinic_desktop.ui.style import set_role
from clinic_desktop.ui.widgets import screen_kit
from clinic_desktop.ui.widgets.screen_kit import (
    Column,
    ListTableModel,
    MessageBanner,
    format_size,
    format_when,
)

KIND_LABELS = {
    "manual": N_("Manual"),
    "scheduled": N_("Daily"),
    "pre-migration": N_("Before an upgrade"),
}


def kind_label(kind: str) -> str:
    return _(KIND_LABELS[kind]) if kind in KIND_LABELS else kind


class BackupsPage(QWidget):
    def __init__(self, ctx: UiContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._ctx = ctx
        self._zone = ctx.clinic.timezone  # times are shown in the clinic's zone
        self.setObjectName("BackupsPage")
        self.setWindowTitle(self.title())
        self.restore_dialog: RestoreBackupDialog | None = None

        card = QFrame(self)
        card.setObjectName("BackupStatusCard")
        set_role(card, "card")
        self.status_label = QLabel(card)
        self.status_label.setObjectName("BackupsStatusLabel")
        set_role(self.status_label, "subtitle")
        self.status_hint = QLabel(card)
        self.status_hint.setObjectName("BackupsStatusHint")
        self.status_hint.setWordWrap(True)
        set_role(self.status_hint, "hint")
        self.backup_button = QPushButton(_("Back up now"), card)
        self.backup_button.setObjectName("BackupNowButton")
        set_role(self.backup_button, "primary")
        self.backup_button.clicked.connect(self._on_backup_clicked)
        texts = QVBoxLayout()
        texts.addWidget(self.status_label)
        texts.addWidget(self.status_hint)
        card_layout = QHBoxLayout(card)
        card_layout.setContentsMargins(16, 12, 16, 12)
        card_layout.addLayout(texts, 1)
        card_layout.addWidget(self.backup_button)

        self.banner = MessageBanner("BackupsMessage", self)
        self.copy_button = QPushButton(_("Copy to…"), self)
        self.copy_button.setObjectName("CopyBackupButton")
        self.copy_button.setToolTip(_("Copy the selected backup to a USB stick or another folder."))
        self.copy_button.clicked.connect(self._on_copy_clicked)
        self.restore_button = QPushButton(_("Restore…"), self)
        self.restore_button.setObjectName("RestoreBackupButton")
        self.restore_button.clicked.connect(self._on_restore_clicked)
        self.restore_button.setVisible(ctx.can("backup.restore"))
        list_title = QLabel(_("Backups on this PC"), self)
        set_role(list_title, "subtitle")
        actions = QHBoxLayout()
        actions.addWidget(list_title, 1)
        actions.addWidget(self.copy_button)
        actions.addWidget(self.restore_button)

        self.model: ListTableModel[BackupDTO] = ListTableModel(
            [
                Column(_("Date"), lambda b: format_when(b.created_at, self._zone)),
                Column(_("Kind"), lambda b: kind_label(b.kind)),
                Column(_("Size"), lambda b: format_size(b.size_bytes), align_right=True),
                Column(_("File"), lambda b: b.path),
            ],
            self,
        )
        self.table = QTableView(self)
        self.table.setObjectName("BackupsTable")
        self.table.setModel(self.model)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setAlternatingRowColors(True)
        self.table.setWordWrap(False)
        self.table.verticalHeader().hide()
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        self.table.horizontalHeader().setStretchLastSection(True)
        self.table.selectionModel().selectionChanged.connect(self._on_selection_changed)

        layout = QVBoxLayout(self)
        layout.addWidget(card)
        layout.addWidget(self.banner)
        layout.addLayout(actions)
        layout.addWidget(self.table, 1)

        ctx.bridge.backup_completed.connect(self._on_bridge_backup_completed)
        self._update_buttons()

    def title(self) -> str:
        return _("Backups")

    # -- data ------------------------------------------------------------------------------

    def refresh(self) -> None:
        ctx = self._ctx
        ctx.runner.run(
            lambda: (
                backup_status(ctx.uow(), actor=ctx.actor),
                list_backups(ctx.uow(), actor=ctx.actor),
            ),
            on_done=self._on_list_done,
            on_error=self._show_error,
            parent=self,
        )

    def _on_list_done(self, result: tuple[BackupStatus, list[BackupDTO]]) -> None:
        status, backups = result
        self.model.set_rows(backups)
        self.table.resizeColumnsToContents()
        self._show_status(status)
        self._update_buttons()

    def _show_status(self, status: BackupStatus) -> None:
        if status.last_verified_at is None:
            self.status_label.setText(_("No verified backup yet"))
            self.status_hint.setText(
                _("Make one now: a backup is the only way back after a broken disk or a theft.")
            )
        else:
            self.status_label.setText(
                _("Last verified backup: {time}").format(
                    time=format_when(status.last_verified_at, self._zone)
                )
            )
            self.status_hint.setText(
                _("Over 48 hours ago. Make a backup now and keep a copy outside the clinic.")
                if status.is_overdue
                else _("Backups are encrypted: only this clinic's key or recovery key opens them.")
            )
        set_role(self.status_hint, "field-warning" if status.is_overdue else "hint")

    def _show_error(self, message: str) -> None:
        self.banner.show_message(message, "error")

    def _on_bridge_backup_completed(self, _event: object) -> None:
        self.refresh()

    def selected_backup(self) -> BackupDTO | None:
        rows = self.table.selectionModel().selectedRows()
        return self.model.row_at(rows[0].row()) if rows else None

    def _on_selection_changed(self, _selected: QItemSelection, _deselected: QItemSelection) -> None:
        self._update_buttons()

    def _update_buttons(self) -> None:
        self.copy_button.setEnabled(self.selected_backup() is not None)

    # -- actions ---------------------------------------------------------------------------

    def _on_backup_clicked(self) -> None:
        ctx = self._ctx
        self.banner.clear_message()
        self.backup_button.setEnabled(False)
        ctx.runner.run(
            lambda: make_backup(ctx.db, actor=ctx.actor),
            on_done=self._on_backup_done,
            on_error=self._on_backup_error,
            busy_text=_("Making a verified backup…"),
            parent=self,
        )

    def _on_backup_done(self, backup: BackupDTO) -> None:
        self.backup_button.setEnabled(True)
        self.refresh()
        self.banner.show_message(_("Backup saved to {path}").format(path=backup.path), "ok")

    def _on_backup_error(self, message: str) -> None:
        self.backup_button.setEnabled(True)
        self._show_error(message)

    def _on_copy_clicked(self) -> None:
        backup = self.selected_backup()
        if backup is None:
            return
        folder = screen_kit.choose_folder(self, _("Copy the backup to…"), str(Path.home()))
        if not folder:
            return
        self.banner.clear_message()
        self._ctx.runner.run(
            lambda: copy_backup(Path(backup.path), Path(folder)),
            on_done=self._on_copy_done,
            on_error=self._show_error,
            busy_text=_("Copying the backup…"),
            parent=self,
        )

    def _on_copy_done(self, target: Path) -> None:
        self.banner.show_message(_("Backup copied to {path}").format(path=target), "ok")

    def _on_restore_clicked(self) -> None:
        self.open_restore_dialog()

    def open_restore_dialog(self) -> RestoreBackupDialog:
        """Opens the dialog window-modally without blocking (tests drive it directly)."""
        dialog = RestoreBackupDialog(self._ctx, self.model.rows(), self._zone, kind_label, self)
        selected = self.selected_backup()
        if selected is not None:
            dialog.backup_combo.setCurrentIndex(max(dialog.backup_combo.findData(selected.path), 0))
        dialog.restored.connect(self._on_dialog_restored)
        self.restore_dialog = dialog
        dialog.open()
        return dialog

    def _on_dialog_restored(self, result: RestoreResult) -> None:
        screen_kit.inform(
            self,
            _("Backup restored"),
            _(
                "The clinic's data is now as it was on {time}. The previous data was set "
                "aside in {path}. Please sign in again."
            ).format(time=format_when(result.backup_created_at, self._zone), path=result.set_aside),
        )
        # The engine was closed by the restore: from here on only the app may touch the data.
        if self._ctx.reopen is not None:
            self._ctx.reopen()
