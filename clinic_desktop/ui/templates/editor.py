"""The template editor on the right of the templates screen: name, clinic-wide or personal,
the five texts a new note is pre-filled with, a hint explaining `[[question]]` prompts with an
example, and the live list of the prompts found so far. Save sends the version it loaded; a
refused save keeps what was typed and shows the message under the field at fault. A template
the user may not change (another doctor's, or clinic-wide without clinical.sign) is shown
read-only."""

from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QFrame,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from clinic_desktop.errors import UserFacingError
from clinic_desktop.i18n import _
from clinic_desktop.services.encounter_dto import SOAP_FIELDS
from clinic_desktop.services.note_templates import (
    NAME_LIMIT,
    TemplateDTO,
    TemplateForm,
    find_prompts,
    save_template,
    set_template_active,
)
from clinic_desktop.ui.chart.note_text import SoapFields, show_refusal
from clinic_desktop.ui.context import UiContext
from clinic_desktop.ui.style import ACCENT_DARK, bold, set_role
from clinic_desktop.ui.widgets.forms import FieldError, FormErrors
from clinic_desktop.ui.widgets.screen_kit import MessageBanner

# (fewest, most) lines each text box shows before it scrolls.
_LINES = {"subjective": (4, 14), "objective": (3, 12), "assessment": (2, 8), "plan": (3, 12)}


class TemplateEditor(QWidget):
    """Edits one template (or a new one); `saved` carries the stored template."""

    saved = Signal(object)

    def __init__(self, ctx: UiContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("TemplateEditor")
        self._ctx = ctx
        self.template: TemplateDTO | None = None

        self.heading = QLabel(self)
        self.heading.setObjectName("TemplateEditorHeading")
        set_role(self.heading, "subtitle")
        self.owner_label = QLabel(self)
        self.owner_label.setObjectName("TemplateOwnerLabel")
        set_role(self.owner_label, "hint")
        self.banner = MessageBanner("TemplateEditorMessage", self)
        general = FieldError("TemplateGeneralError", self)
        self.errors = FormErrors(general)

        self.name_edit = QLineEdit(self)
        self.name_edit.setObjectName("TemplateNameEdit")
        self.name_edit.setMaxLength(NAME_LIMIT)
        self.name_edit.setPlaceholderText(_("For example: Hypertension follow-up"))
        name_error = FieldError("TemplateError_name", self)
        self.errors.add("name", name_error, self.name_edit)
        self.clinic_wide_check = QCheckBox(_("Clinic-wide (offered to every doctor)"), self)
        self.clinic_wide_check.setObjectName("TemplateClinicWideCheck")
        self.clinic_wide_check.setToolTip(
            _("Only those who may sign notes keep the clinic-wide templates.")
        )

        hint = QLabel(
            _(
                "Write the text a new note starts with. To have a question asked when the "
                "template is applied, write it between double brackets: “Pain for [[How many "
                "days?]] days” asks “How many days?” and puts the answer in its place."
            ),
            self,
        )
        hint.setObjectName("TemplatePromptHint")
        hint.setWordWrap(True)
        hint.setStyleSheet("background: transparent;")
        hint_box = QFrame(self)
        set_role(hint_box, "banner-info")
        hint_layout = QVBoxLayout(hint_box)
        hint_layout.setContentsMargins(12, 8, 12, 8)
        hint_layout.addWidget(hint)

        self.soap = SoapFields(
            self, prefix="Template", lines=_LINES, errors=self.errors, changed=self._update_prompts
        )
        self.texts = self.soap.edits
        fields = QVBoxLayout()
        fields.setSpacing(4)
        for key in SOAP_FIELDS:
            fields.addLayout(self.soap.cells[key])

        prompts_title = QLabel(_("Questions this template asks"), self)
        prompts_title.setStyleSheet(f"color: {ACCENT_DARK};")
        bold(prompts_title)
        self.prompts_list = QListWidget(self)
        self.prompts_list.setObjectName("TemplatePromptsList")
        self.prompts_list.setMaximumHeight(110)
        self.prompts_empty = QLabel(_("None yet."), self)
        self.prompts_empty.setObjectName("TemplatePromptsEmpty")
        set_role(self.prompts_empty, "hint")

        self.active_button = QPushButton(_("Deactivate"), self)
        self.active_button.setObjectName("TemplateActiveButton")
        self.active_button.clicked.connect(self.toggle_active)
        self.save_button = QPushButton(_("Save"), self)
        self.save_button.setObjectName("SaveTemplateButton")
        set_role(self.save_button, "primary")
        self.save_button.clicked.connect(self.save)
        buttons = QHBoxLayout()
        buttons.addWidget(self.active_button)
        buttons.addStretch(1)
        buttons.addWidget(self.save_button)

        name_label = QLabel(_("Name"), self)
        bold(name_label)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(4, 4, 12, 4)
        layout.setSpacing(6)
        layout.addWidget(self.heading)
        layout.addWidget(self.owner_label)
        layout.addWidget(self.banner)
        layout.addWidget(name_label)
        layout.addWidget(self.name_edit)
        layout.addWidget(name_error)
        layout.addWidget(self.clinic_wide_check)
        layout.addSpacing(4)
        layout.addWidget(hint_box)
        layout.addLayout(fields)
        layout.addWidget(prompts_title)
        layout.addWidget(self.prompts_list)
        layout.addWidget(self.prompts_empty)
        layout.addWidget(general)
        layout.addLayout(buttons)
        layout.addStretch(1)
        self.load(None)

    # -- loading ---------------------------------------------------------------------------

    def text(self, key: str) -> str:
        return self.soap.text(key)

    def set_text(self, key: str, value: str) -> None:
        self.soap.set_text(key, value)

    def load(self, template: TemplateDTO | None) -> None:
        """Shows a template, or an empty form for a new one."""
        self.template = template
        self.errors.clear()
        self.banner.clear_message()
        t = template
        self.heading.setText(_("New template") if t is None else t.name)
        if t is None:
            self.owner_label.setText(_("Personal unless marked clinic-wide."))
        elif t.clinic_wide:
            self.owner_label.setText(_("Clinic-wide template"))
        else:
            self.owner_label.setText(_("Personal template of {name}").format(name=t.owner_name))
        self.name_edit.setText(t.name if t else "")
        self.clinic_wide_check.setChecked(t.clinic_wide if t else False)
        for key in SOAP_FIELDS:
            self.set_text(key, t.text(key) if t else "")
        editable = t is None or t.editable
        self.name_edit.setReadOnly(not editable)
        self.soap.set_read_only(not editable)
        self.clinic_wide_check.setEnabled(editable and self._ctx.can("clinical.sign"))
        self.save_button.setVisible(editable)
        self.active_button.setVisible(t is not None and editable)
        self.active_button.setText(
            _("Activate") if t is not None and not t.active else _("Deactivate")
        )
        self._update_prompts()

    def prompts(self) -> list[str]:
        return [self.prompts_list.item(n).text() for n in range(self.prompts_list.count())]

    def _update_prompts(self) -> None:
        found = find_prompts(*self.soap.texts().values())
        if found != self.prompts():
            self.prompts_list.clear()
            self.prompts_list.addItems(found)
        self.prompts_list.setVisible(bool(found))
        self.prompts_empty.setVisible(not found)

    def form(self) -> TemplateForm:
        return TemplateForm(
            name=self.name_edit.text(),
            clinic_wide=self.clinic_wide_check.isChecked(),
            **self.soap.texts(),
        )

    # -- saving ----------------------------------------------------------------------------

    def save(self) -> None:
        self.errors.clear()
        self.banner.clear_message()
        ctx, form, template = self._ctx, self.form(), self.template
        ctx.runner.run(
            lambda: save_template(
                ctx.uow(),
                actor=ctx.actor,
                template_id=template.id if template else None,
                expected_version=template.version if template else None,
                form=form,
            ),
            on_done=self._on_saved,
            on_user_error=self._on_user_error,
            on_error=lambda text: self.banner.show_message(text, "error"),
            parent=self,
        )

    def _on_saved(self, template: TemplateDTO) -> None:
        self.load(template)
        self.banner.show_message(_("Template saved."), "ok")
        self.saved.emit(template)

    def _on_user_error(self, exc: UserFacingError) -> None:
        show_refusal(
            exc,
            self.errors,
            self.banner,
            _("Choose the template again to see the latest version."),
        )

    def toggle_active(self) -> None:
        template = self.template
        if template is None:
            return
        ctx = self._ctx
        ctx.runner.run(
            lambda: set_template_active(
                ctx.uow(), actor=ctx.actor, template_id=template.id, active=not template.active
            ),
            on_done=self._on_active_changed,
            on_error=lambda text: self.banner.show_message(text, "error"),
            parent=self,
        )

    def _on_active_changed(self, template: TemplateDTO) -> None:
        self.load(template)
        self.banner.show_message(
            _("The template is offered for new notes again.")
            if template.active
            else _("The template is no longer offered for new notes; notes made with it stay."),
            "ok",
        )
        self.saved.emit(template)
