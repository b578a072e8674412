"""The recovery key, shown once right after a clinic is created: large, in a monospace font,
with a plain explanation of what it is for, a button to save or print the recovery sheet as a
PDF, and a required "I have stored it" checkbox, because a lost recovery key plus a lost
keychain means the clinic's data can never be opened again."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QDialog,
    QFileDialog,
    QFrame,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from clinic_desktop.i18n import _
from clinic_desktop.services import clinic_info
from clinic_desktop.ui.ops import Runner
from clinic_desktop.ui.style import mono_font, set_role
from clinic_desktop.ui.widgets.banner import Banner
from clinic_desktop.ui.widgets.forms import FieldError


class RecoveryKeyPanel(QWidget):
    confirmed_changed = Signal(bool)

    def __init__(
        self,
        *,
        db: Any,
        runner: Runner,
        recovery_key: str,
        warnings: tuple[str, ...] = (),
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setObjectName("RecoveryKeyPanel")
        self._db = db
        self._runner = runner
        self.recovery_key = recovery_key
        self.saved_to: Path | None = None

        intro = QLabel(
            _(
                "The clinic data is encrypted. This computer keeps the key in its system "
                "keychain, so day to day you will not need anything else. The recovery key "
                "below opens the data when that is not possible: if this computer is replaced "
                "or repaired, or to restore a backup on another computer."
            )
        )
        intro.setWordWrap(True)
        key_box = QFrame()
        key_box.setObjectName("RecoveryKeyBox")
        set_role(key_box, "banner-info")
        self.key_label = QLabel(recovery_key)
        self.key_label.setObjectName("RecoveryKeyLabel")
        self.key_label.setFont(mono_font(17))
        self.key_label.setStyleSheet("background: transparent; font-weight: 600;")
        self.key_label.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.key_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.key_label.setWordWrap(True)
        box_layout = QVBoxLayout(key_box)
        box_layout.setContentsMargins(16, 18, 16, 18)
        box_layout.addWidget(self.key_label)
        advice = QLabel(
            _(
                "Print the recovery sheet or save it to a USB stick, and keep it away from this "
                "computer, for example in a safe. Whoever has this key and a copy of the data "
                "can read it. This key is shown only now."
            )
        )
        advice.setWordWrap(True)
        self.save_button = QPushButton(_("Save / print recovery sheet (PDF)…"))
        self.save_button.setObjectName("SaveRecoverySheetButton")
        self.save_button.clicked.connect(self.save_sheet)
        self.saved_label = FieldError("RecoverySheetSavedLabel")
        row = QHBoxLayout()
        row.addWidget(self.save_button)
        row.addWidget(self.saved_label, 1)
        self.confirm_check = QCheckBox(_("I have stored the recovery key in a safe place"))
        self.confirm_check.setObjectName("RecoveryStoredCheck")
        set_role(self.confirm_check, "confirm")
        self.confirm_check.toggled.connect(self.confirmed_changed)

        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(12)
        layout.addWidget(intro)
        layout.addWidget(key_box)
        layout.addWidget(advice)
        layout.addLayout(row)
        for number, warning in enumerate(warnings):
            layout.addWidget(
                Banner(
                    f"TaxIdWarning{number}",
                    kind="warning",
                    title=_("Please check the tax ID"),
                    text=warning,
                )
            )
        layout.addStretch(1)
        layout.addWidget(self.confirm_check)

    @property
    def confirmed(self) -> bool:
        return self.confirm_check.isChecked()

    def save_sheet(self) -> None:
        chosen, _filter = QFileDialog.getSaveFileName(
            self,
            _("Save recovery sheet"),
            str(Path.home() / _("recovery-sheet.pdf")),
            _("PDF documents (*.pdf)"),
        )
        if not chosen:
            return
        target = Path(chosen)
        if target.suffix.lower() != ".pdf":
            target = target.with_suffix(".pdf")
        db, key = self._db, self.recovery_key
        self._runner.run(
            lambda: clinic_info.recovery_sheet_pdf(db.uow(), recovery_key=key),
            on_done=lambda pdf: self._write(target, pdf),
            on_error=self.saved_label.show_error,
            busy_text=_("Preparing the recovery sheet…"),
            parent=self,
        )

    def _write(self, target: Path, pdf: bytes) -> None:
        try:
            target.write_bytes(pdf)
        except OSError as exc:
            self.saved_label.show_error(
                _("The sheet could not be saved in {path}: {reason}").format(
                    path=target, reason=exc.strerror or exc
                )
            )
            return
        self.saved_to = target
        self.saved_label.show_note(
            _("Saved in {path}. Print it, then keep the printout safe.").format(path=target)
        )


class NewRecoveryKeyDialog(QDialog):
    """The same panel outside the wizard (after creating the demo clinic)."""

    def __init__(
        self,
        *,
        db: Any,
        runner: Runner,
        recovery_key: str,
        title: str,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setObjectName("NewRecoveryKeyDialog")
        self.setWindowTitle(title)
        self.setWindowFlag(Qt.WindowType.WindowContextHelpButtonHint, False)
        heading = QLabel(_("Your recovery key"))
        set_role(heading, "title")
        self.panel = RecoveryKeyPanel(db=db, runner=runner, recovery_key=recovery_key)
        self.continue_button = QPushButton(_("Continue"))
        self.continue_button.setObjectName("ContinueButton")
        set_role(self.continue_button, "primary")
        self.continue_button.setEnabled(False)
        self.continue_button.clicked.connect(self.accept)
        self.panel.confirmed_changed.connect(self.continue_button.setEnabled)
        buttons = QHBoxLayout()
        buttons.addStretch(1)
        buttons.addWidget(self.continue_button)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(28, 22, 28, 22)
        layout.setSpacing(14)
        layout.addWidget(heading)
        layout.addWidget(self.panel, 1)
        layout.addLayout(buttons)
        self.setMinimumSize(680, 520)

    def reject(self) -> None:
        # The key is shown only once: leaving needs the explicit confirmation.
        if self.panel.confirmed:
            super().reject()
