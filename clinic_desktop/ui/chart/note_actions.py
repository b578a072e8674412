"""The two small prompts that correct a signed note: the addendum text, and the reason for an
amended version (with a word on what amending does). Each dialog can be driven without
exec() (construct, fill, accept); the module functions `ask_addendum` and
`ask_amend_reason` run them modally and are what tests replace with monkeypatch."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from clinic_desktop.i18n import _
from clinic_desktop.services.encounter_dto import ADDENDUM_LIMIT, REASON_LIMIT
from clinic_desktop.ui.style import set_role


def _buttons(dialog: QDialog, ok_text: str, ok_name: str) -> tuple[QDialogButtonBox, QPushButton]:
    box = QDialogButtonBox(dialog)
    ok = box.addButton(ok_text, QDialogButtonBox.ButtonRole.AcceptRole)
    ok.setObjectName(ok_name)
    set_role(ok, "primary")
    ok.setEnabled(False)
    cancel = box.addButton(_("Cancel"), QDialogButtonBox.ButtonRole.RejectRole)
    cancel.setObjectName(f"{ok_name}Cancel")
    ok.clicked.connect(dialog.accept)
    cancel.clicked.connect(dialog.reject)
    return box, ok


def _hint(text: str, parent: QWidget) -> QLabel:
    label = QLabel(text, parent)
    label.setWordWrap(True)
    set_role(label, "hint")
    return label


class AddendumDialog(QDialog):
    def __init__(self, note_title: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("AddendumDialog")
        self.setWindowTitle(_("Add addendum"))
        self.setMinimumWidth(520)
        self.text_edit = QPlainTextEdit(self)
        self.text_edit.setObjectName("AddendumTextEdit")
        self.text_edit.setPlaceholderText(
            _("For example: culture result received; the diagnosis is confirmed.")
        )
        self.text_edit.setMinimumHeight(140)
        buttons, self.ok_button = _buttons(self, _("Add addendum"), "AddendumOkButton")
        self.text_edit.textChanged.connect(self._on_text_changed)
        layout = QVBoxLayout(self)
        layout.addWidget(
            _hint(
                _(
                    "The addendum is added below the signed note of {title}, with your name and "
                    "today's date. The note itself does not change."
                ).format(title=note_title),
                self,
            )
        )
        layout.addWidget(self.text_edit, 1)
        layout.addWidget(buttons)

    def _on_text_changed(self) -> None:
        text = self.text()
        self.ok_button.setEnabled(bool(text) and len(text) <= ADDENDUM_LIMIT)

    def text(self) -> str:
        return self.text_edit.toPlainText().strip()


class AmendDialog(QDialog):
    def __init__(self, note_title: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("AmendDialog")
        self.setWindowTitle(_("Amend note"))
        self.setMinimumWidth(520)
        self.reason_edit = QLineEdit(self)
        self.reason_edit.setObjectName("AmendReasonEdit")
        self.reason_edit.setMaxLength(REASON_LIMIT)
        self.reason_edit.setPlaceholderText(_("For example: wrong dose written in the plan"))
        buttons, self.ok_button = _buttons(self, _("Create corrected version"), "AmendOkButton")
        self.reason_edit.textChanged.connect(
            lambda _text: self.ok_button.setEnabled(bool(self.reason()))
        )
        reason_label = QLabel(_("Reason for the correction"), self)
        layout = QVBoxLayout(self)
        layout.setSpacing(8)
        layout.addWidget(
            _hint(
                _(
                    "A corrected version of the note of {title} starts as a draft copying it. "
                    "Once you sign it, the original is marked as amended; it stays in the "
                    "record, readable, with who signed it and when."
                ).format(title=note_title),
                self,
            )
        )
        layout.addWidget(reason_label)
        layout.addWidget(self.reason_edit)
        layout.addWidget(buttons)

    def reason(self) -> str:
        return " ".join(self.reason_edit.text().split())


def _run(dialog: QDialog, value: Callable[[], str]) -> str | None:
    """Runs a prompt modally: what it gathered, or None if cancelled."""
    try:
        accepted = dialog.exec() == QDialog.DialogCode.Accepted
        text = value()
    finally:
        dialog.deleteLater()
    return text if accepted and text else None


def ask_addendum(parent: QWidget | None, note_title: str) -> str | None:
    """The addendum's text, or None if the user cancelled."""
    dialog = AddendumDialog(note_title, parent)
    return _run(dialog, dialog.text)


def ask_amend_reason(parent: QWidget | None, note_title: str) -> str | None:
    """Why the note is corrected, or None if the user cancelled."""
    dialog = AmendDialog(note_title, parent)
    return _run(dialog, dialog.reason)
