"""Applying a template that asks questions: one line per `[[question]]` prompt, answered before
the new note is created; a prompt left empty stays in the note as [[question]] for the doctor
to complete (signing refuses a note that still has one). The dialog can be driven without
exec() (construct, fill `edits`, accept); `ask_prompt_answers` runs it modally and is what
tests replace with monkeypatch."""

from __future__ import annotations

from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QLabel,
    QLineEdit,
    QVBoxLayout,
    QWidget,
)

from clinic_desktop.i18n import _
from clinic_desktop.services.note_templates import TemplateDTO
from clinic_desktop.ui.style import bold, set_role
from clinic_desktop.ui.widgets.messages import fit_width


class TemplatePromptDialog(QDialog):
    def __init__(self, template: TemplateDTO, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("TemplatePromptDialog")
        self.setWindowTitle(_("Template: {name}").format(name=template.name))
        self.template = template
        title = QLabel(template.name, self)
        title.setObjectName("TemplatePromptTitle")
        set_role(title, "subtitle")
        hint = QLabel(
            _(
                "Answer the template's questions; the answers go into the new note. A question "
                "left empty stays marked in the note as [[…]] to complete before signing."
            ),
            self,
        )
        hint.setWordWrap(True)
        set_role(hint, "hint")
        # Questions above their answers: they are often long, and read best as a list.
        form = QVBoxLayout()
        form.setSpacing(3)
        self.edits: dict[str, QLineEdit] = {}
        for n, prompt in enumerate(template.prompts):
            edit = QLineEdit(self)
            edit.setObjectName(f"TemplatePromptEdit_{n}")
            label = QLabel(prompt, self)
            label.setWordWrap(True)
            label.setBuddy(edit)
            bold(label)
            if n:
                form.addSpacing(8)
            form.addWidget(label)
            form.addWidget(edit)
            self.edits[prompt] = edit
        buttons = QDialogButtonBox(self)
        self.ok_button = buttons.addButton(
            _("Apply template"), QDialogButtonBox.ButtonRole.AcceptRole
        )
        self.ok_button.setObjectName("TemplatePromptOkButton")
        self.ok_button.setDefault(True)
        set_role(self.ok_button, "primary")
        cancel = buttons.addButton(_("Cancel"), QDialogButtonBox.ButtonRole.RejectRole)
        cancel.setObjectName("TemplatePromptCancelButton")
        self.ok_button.clicked.connect(self.accept)
        cancel.clicked.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(20, 18, 20, 16)
        layout.setSpacing(12)
        layout.addWidget(title)
        layout.addWidget(hint)
        layout.addLayout(form)
        layout.addStretch(1)
        layout.addWidget(buttons)
        fit_width(self, 560)

    def answers(self) -> dict[str, str]:
        """The typed answers; empty ones are left out, so their prompts stay in the note."""
        return {
            prompt: edit.text().strip()
            for prompt, edit in self.edits.items()
            if edit.text().strip()
        }


def ask_prompt_answers(parent: QWidget | None, template: TemplateDTO) -> dict[str, str] | None:
    """The answers to the template's prompts, or None if the user cancelled."""
    dialog = TemplatePromptDialog(template, parent)
    try:
        accepted = dialog.exec() == QDialog.DialogCode.Accepted
        answers = dialog.answers()
    finally:
        dialog.deleteLater()
    return answers if accepted else None
