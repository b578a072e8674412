"""The details of a document: its category, the date on the document itself (when the lab
took the sample, not when it was scanned) and a short description. In attach mode it collects
them for the files about to be attached (the documents tab attaches them and reports per file);
in edit mode it saves them with the version they were loaded at, and a refused save keeps what
was typed with the message under the field at fault."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from zoneinfo import ZoneInfo

from PySide6.QtCore import QDate, Signal
from PySide6.QtWidgets import (
    QComboBox,
    QDateEdit,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QVBoxLayout,
    QWidget,
)

from clinic_desktop.errors import UserFacingError
from clinic_desktop.i18n import _, ngettext
from clinic_desktop.services.documents import (
    CATEGORY_LABELS,
    DESCRIPTION_LIMIT,
    DocumentDTO,
    category_label,
    update_document_details,
)
from clinic_desktop.ui.context import UiContext
from clinic_desktop.ui.style import bold, set_role
from clinic_desktop.ui.widgets.forms import FieldError, FormErrors


@dataclass(frozen=True)
class DocumentDetails:
    category: str
    document_date: date
    description: str


def clinic_today(ctx: UiContext) -> date:
    return datetime.now(ZoneInfo(ctx.clinic.timezone)).date()


class DocumentDialog(QDialog):
    """`DocumentDialog(ctx, file_names=[...])` to attach, `DocumentDialog(ctx, document=dto)`
    to edit; `saved` carries the stored document after an edit."""

    saved = Signal(object)

    def __init__(
        self,
        ctx: UiContext,
        *,
        file_names: list[str] | None = None,
        document: DocumentDTO | None = None,
        category: str = "other",
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self._ctx = ctx
        self._document = document
        self.setObjectName("DocumentDialog")
        editing = document is not None
        self.setWindowTitle(_("Document details") if editing else _("Attach documents"))

        self.files_label = QLabel(self)
        self.files_label.setObjectName("DocumentFilesLabel")
        self.files_label.setWordWrap(True)
        bold(self.files_label)
        names = [document.file_name] if document else list(file_names or [])
        if len(names) > 1:
            self.files_label.setText(
                ngettext("{count} file: {names}", "{count} files: {names}", len(names)).format(
                    count=len(names), names=", ".join(names)
                )
            )
        else:
            self.files_label.setText(names[0] if names else "")
        hint = QLabel(
            _("The details apply to every file; each becomes its own document.")
            if len(names) > 1
            else _("The file is stored encrypted inside the clinic's database."),
            self,
        )
        hint.setWordWrap(True)
        set_role(hint, "hint")

        self.category_combo = QComboBox(self)
        self.category_combo.setObjectName("DocumentCategoryCombo")
        for code in CATEGORY_LABELS:
            self.category_combo.addItem(category_label(code), code)
        self.date_edit = QDateEdit(self)
        self.date_edit.setObjectName("DocumentDateEdit")
        self.date_edit.setCalendarPopup(True)
        self.date_edit.setDisplayFormat("dd/MM/yyyy")
        self.date_edit.setFixedWidth(150)
        today = clinic_today(ctx)
        self.date_edit.setMaximumDate(QDate(today.year, today.month, today.day))
        self.description_edit = QLineEdit(self)
        self.description_edit.setObjectName("DocumentDescriptionEdit")
        self.description_edit.setMaxLength(DESCRIPTION_LIMIT)
        self.description_edit.setPlaceholderText(_("For example: complete blood count"))

        general = FieldError("DocumentGeneralError", self)
        self.errors = FormErrors(general)
        form = QFormLayout()
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.ExpandingFieldsGrow)
        for field, label, widget in (
            ("category", _("Category"), self.category_combo),
            ("document_date", _("Date of the document"), self.date_edit),
            ("description", _("Description"), self.description_edit),
        ):
            error = FieldError(f"DocumentError_{field}", self)
            self.errors.add(field, error, widget)
            cell = QVBoxLayout()
            cell.setSpacing(2)
            cell.addWidget(widget)
            cell.addWidget(error)
            form.addRow(label, cell)

        buttons = QDialogButtonBox(self)
        self.ok_button = buttons.addButton(
            _("Save") if editing else _("Attach"), QDialogButtonBox.ButtonRole.AcceptRole
        )
        self.ok_button.setObjectName("DocumentOkButton")
        set_role(self.ok_button, "primary")
        self.ok_button.setDefault(True)
        cancel = buttons.addButton(_("Cancel"), QDialogButtonBox.ButtonRole.RejectRole)
        cancel.setObjectName("DocumentCancelButton")
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)

        layout = QVBoxLayout(self)
        layout.setSpacing(10)
        layout.addWidget(self.files_label)
        layout.addWidget(hint)
        layout.addLayout(form)
        layout.addWidget(general)
        layout.addWidget(buttons)

        self._select(document.category if document else category)
        self.set_date(document.document_date if document else today)
        self.description_edit.setText(document.description if document else "")
        self.setMinimumWidth(540)
        self.resize(560, self.sizeHint().height())

    def _select(self, code: str) -> None:
        index = self.category_combo.findData(code)
        self.category_combo.setCurrentIndex(max(index, 0))

    def set_date(self, value: date) -> None:
        self.date_edit.setDate(QDate(value.year, value.month, value.day))

    def details(self) -> DocumentDetails:
        value = self.date_edit.date()
        return DocumentDetails(
            category=str(self.category_combo.currentData()),
            document_date=date(value.year(), value.month(), value.day()),
            description=self.description_edit.text(),
        )

    def accept(self) -> None:
        document = self._document
        if document is None:
            super().accept()
            return
        self.errors.clear()
        details, ctx = self.details(), self._ctx
        ctx.runner.run(
            lambda: update_document_details(
                ctx.uow(),
                actor=ctx.actor,
                document_id=document.id,
                expected_version=document.version,
                category=details.category,
                document_date=details.document_date,
                description=details.description,
            ),
            on_done=self._on_saved,
            on_user_error=self._on_user_error,
            on_error=lambda text: self.errors.show(text),
            parent=self,
        )

    def _on_user_error(self, exc: UserFacingError) -> None:
        self.errors.show(exc.message, exc.field if self.errors.knows(exc.field) else None)

    def _on_saved(self, document: DocumentDTO) -> None:
        self._document = document
        self.saved.emit(document)
        super().accept()
