"""Shown at start-up when the system keychain cannot give the database key (no keychain on
this computer, a different keychain, or the entry is gone). It says what happened in plain
words and asks for the recovery key from the printed sheet. It never offers to delete or reset
anything: the data is intact, only the key is needed. After a successful unlock the service
saves the key in this computer's keychain again, so the next start needs no recovery key."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QShowEvent
from PySide6.QtWidgets import (
    QDialog,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from clinic_desktop.config import AppPaths
from clinic_desktop.i18n import _
from clinic_desktop.services import startup
from clinic_desktop.ui.ops import Runner
from clinic_desktop.ui.style import mono_font, set_role
from clinic_desktop.ui.widgets.banner import Banner
from clinic_desktop.ui.widgets.forms import FieldError, mark_invalid
from clinic_desktop.ui.widgets.messages import fit_width


class RecoveryKeyDialog(QDialog):
    unlocked = Signal(bytes)  # the data key

    def __init__(
        self,
        *,
        paths: AppPaths,
        runner: Runner,
        reason: str,
        keyring_backend: startup.KeyringChoice = True,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setObjectName("RecoveryKeyDialog")
        self.setWindowTitle(_("Recovery key needed"))
        self.setWindowFlag(Qt.WindowType.WindowContextHelpButtonHint, False)
        self._paths = paths
        self._runner = runner
        self._keyring_backend = keyring_backend

        title = QLabel(_("The clinic data is safe, but this computer needs the recovery key"))
        title.setWordWrap(True)
        set_role(title, "subtitle")
        self.reason_banner = Banner(
            "RecoveryReasonBanner",
            kind="warning",
            title=_("What happened"),
            text=reason,
        )
        explanation = QLabel(
            _(
                "The clinic data is encrypted. Normally this computer keeps the key in its "
                "system keychain, but right now it cannot provide it. Type the recovery key "
                "printed on the recovery sheet made when the clinic was set up. Nothing is "
                "lost and nothing will be deleted."
            )
        )
        explanation.setWordWrap(True)
        self.key_edit = QLineEdit()
        self.key_edit.setObjectName("RecoveryKeyEdit")
        self.key_edit.setFont(mono_font(13))
        self.key_edit.setPlaceholderText("ABCD-EFGH-…")
        self.key_edit.returnPressed.connect(self.submit)
        self.error_label = FieldError("RecoveryKeyError")
        help_label = QLabel(
            _(
                "If you cannot find the sheet, ask the clinic owner: they stored it in a safe "
                "place. Close the application and start it again when you have it."
            )
        )
        help_label.setWordWrap(True)
        set_role(help_label, "hint")

        self.unlock_button = QPushButton(_("Open the clinic data"))
        self.unlock_button.setObjectName("UnlockButton")
        set_role(self.unlock_button, "primary")
        self.unlock_button.clicked.connect(self.submit)
        close = QPushButton(_("Close the application"))
        close.setObjectName("CloseButton")
        close.clicked.connect(self.reject)
        buttons = QHBoxLayout()
        buttons.addStretch(1)
        buttons.addWidget(close)
        buttons.addWidget(self.unlock_button)

        layout = QVBoxLayout(self)
        layout.setContentsMargins(24, 20, 24, 20)
        layout.setSpacing(12)
        layout.addWidget(title)
        layout.addWidget(self.reason_banner)
        layout.addWidget(explanation)
        layout.addWidget(QLabel(_("Recovery key")))
        layout.addWidget(self.key_edit)
        layout.addWidget(self.error_label)
        layout.addWidget(help_label)
        layout.addLayout(buttons)

    def showEvent(self, event: QShowEvent) -> None:
        # Measured once polished (style sheet fonts and paddings), so wrapped text fits.
        fit_width(self, 620)
        super().showEvent(event)

    def submit(self) -> None:
        key = self.key_edit.text().strip().upper()
        self.error_label.clear_message()
        mark_invalid(self.key_edit, False)
        if not key:
            self._on_error(_("Recovery key: it is required."))
            return
        self.unlock_button.setEnabled(False)
        paths, backend = self._paths, self._keyring_backend
        self._runner.run(
            lambda: startup.unlock(paths, recovery_key=key, keyring_backend=backend),
            on_done=self._on_done,
            on_error=self._on_error,
            busy_text=_("Checking the recovery key…"),
            parent=self,
        )

    def _on_done(self, result: object) -> None:
        self.unlock_button.setEnabled(True)
        assert isinstance(result, bytes)
        self.unlocked.emit(result)
        self.accept()

    def _on_error(self, message: str) -> None:
        self.unlock_button.setEnabled(True)
        self.error_label.show_error(message)
        mark_invalid(self.key_edit, True)
        self.key_edit.setFocus()
