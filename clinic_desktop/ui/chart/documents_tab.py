"""The chart's documents tab: the patient's documents, newest first (date, category, description,
file, size, who added it), filtered by category; attaching files (the file chooser or dropping
files on the tab), editing their details, viewing one inside the app, exporting a copy on
purpose and moving one to the trash with a reason. Roles without clinical.write see the list
and may view and export, with the writing buttons hidden. The list reloads when this patient's
documents change anywhere (another screen, another PC)."""

from __future__ import annotations

import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from PySide6.QtCore import QItemSelection, QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtGui import QDragEnterEvent, QDropEvent
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from clinic_desktop.errors import UserFacingError
from clinic_desktop.events import ClinicalChanged, RecordRestored
from clinic_desktop.i18n import _, ngettext
from clinic_desktop.services.documents import (
    CATEGORY_LABELS,
    DocumentDTO,
    attach_document,
    category_label,
    document_size_limit,
    list_documents,
    remove_document,
)
from clinic_desktop.ui.chart import document_kit
from clinic_desktop.ui.chart.document_dialog import DocumentDetails, DocumentDialog
from clinic_desktop.ui.chart.document_viewer import (
    DocumentViewerDialog,
    document_date_text,
    export_chosen,
    export_to_file,
)
from clinic_desktop.ui.context import UiContext
from clinic_desktop.ui.style import set_role
from clinic_desktop.ui.widgets.screen_kit import (
    Column,
    ListTableModel,
    MessageBanner,
    format_size,
    format_when,
    list_table,
)
from clinic_desktop.ui.widgets.stored_files import show_tracked


@dataclass
class AttachOutcome:
    """What became of a batch of files: the documents made, and one line per refusal."""

    attached: list[DocumentDTO] = field(default_factory=list)
    refused: list[str] = field(default_factory=list)


class _DocumentsModel(ListTableModel[DocumentDTO]):
    CATEGORY_COLUMN = 1

    def data(self, index: QModelIndex | QPersistentModelIndex, role: int = 0) -> object:
        if role == Qt.ItemDataRole.UserRole and index.column() == self.CATEGORY_COLUMN:
            row = self.row_at(index.row())
            return row.category if row else None
        return super().data(index, role)


class DocumentsTab(QWidget):
    def __init__(
        self, ctx: UiContext, patient_id: uuid.UUID, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self._ctx = ctx
        self.patient_id = patient_id
        self.setObjectName("DocumentsTab")
        self.writable = ctx.can("clinical.write")
        self.documents: list[DocumentDTO] = []
        self.viewers: list[DocumentViewerDialog] = []
        self._last_category = "other"
        self._select_after_refresh: uuid.UUID | None = None
        self.setAcceptDrops(self.writable)

        self.banner = MessageBanner("DocumentsMessage", self)
        self.category_combo = QComboBox(self)
        self.category_combo.setObjectName("DocumentsCategoryFilter")
        self.category_combo.addItem(_("All categories"), "")
        for code in CATEGORY_LABELS:
            self.category_combo.addItem(category_label(code), code)
        self.category_combo.currentIndexChanged.connect(lambda _i: self._show_rows())
        self.count_label = QLabel(self)
        self.count_label.setObjectName("DocumentsCountLabel")
        set_role(self.count_label, "hint")
        self.attach_button = self._button("AttachDocumentButton", _("Attach…"), self.choose)
        set_role(self.attach_button, "primary")
        self.details_button = self._button("DocumentDetailsButton", _("Details…"), self.edit)
        self.view_button = self._button("ViewDocumentButton", _("View"), self.view_selected)
        self.export_button = self._button(
            "ExportDocumentsButton", _("Export…"), self.export_selected
        )
        self.remove_button = self._button(
            "RemoveDocumentButton", _("Remove…"), self.remove_selected
        )
        for button in (self.attach_button, self.details_button, self.remove_button):
            button.setVisible(self.writable)

        columns: list[Column[DocumentDTO]] = [
            Column(_("Date"), document_date_text),
            Column(_("Category"), lambda d: category_label(d.category)),
            Column(_("Description"), lambda d: d.description or "—"),
            Column(_("File"), lambda d: d.file_name),
            Column(_("Size"), lambda d: format_size(d.size_bytes), align_right=True),
            Column(
                _("Added by"),
                lambda d: d.added_by or "—",
                tooltip=lambda d: format_when(d.added_at, ctx.clinic.timezone),
            ),
        ]
        self.model = _DocumentsModel(columns, self)
        self.table = list_table(self.model, "DocumentsTable", self)
        self.table.setItemDelegateForColumn(
            _DocumentsModel.CATEGORY_COLUMN, document_kit.CategoryBadgeDelegate(self.table)
        )
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(2, QHeaderView.ResizeMode.Stretch)
        header.setMinimumSectionSize(90)
        self.table.verticalHeader().setDefaultSectionSize(34)
        self.table.doubleClicked.connect(lambda _index: self.view_selected())
        self.table.selectionModel().selectionChanged.connect(self._on_selection_changed)

        self.empty_label = QLabel(self)
        self.empty_label.setObjectName("DocumentsEmptyLabel")
        self.empty_label.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.empty_label.setWordWrap(True)
        set_role(self.empty_label, "hint")
        self.stack = QStackedWidget(self)
        self.stack.addWidget(self.table)
        self.stack.addWidget(self.empty_label)

        top = QHBoxLayout()
        top.addWidget(QLabel(_("Show"), self))
        top.addWidget(self.category_combo)
        top.addWidget(self.count_label)
        top.addStretch(1)
        for button in (
            self.view_button,
            self.export_button,
            self.details_button,
            self.remove_button,
            self.attach_button,
        ):
            top.addWidget(button)
        layout = QVBoxLayout(self)
        layout.addWidget(self.banner)
        layout.addLayout(top)
        layout.addWidget(self.stack, 1)
        self.drop_hint = QLabel(_("Tip: drop PDF or picture files here to attach them."), self)
        set_role(self.drop_hint, "hint")
        layout.addWidget(self.drop_hint)

        ctx.bridge.clinical_changed.connect(self._on_clinical_changed)
        ctx.bridge.record_restored.connect(self._on_record_restored)
        self._show_rows()

    def _button(self, name: str, text: str, slot: Callable[[], object]) -> QPushButton:
        button = QPushButton(text, self)
        button.setObjectName(name)
        button.clicked.connect(lambda: slot())
        return button

    # -- list ----------------------------------------------------------------------------

    def refresh(self) -> None:
        ctx, patient_id = self._ctx, self.patient_id
        ctx.runner.run(
            lambda: list_documents(ctx.uow(), actor=ctx.actor, patient_id=patient_id),
            on_done=self._on_loaded,
            on_error=lambda text: self.banner.show_message(text, "error"),
            parent=self,
        )

    def _on_loaded(self, documents: list[DocumentDTO]) -> None:
        self.documents = list(documents)
        self._show_rows()
        wanted, self._select_after_refresh = self._select_after_refresh, None
        if wanted is not None:
            self._reveal(wanted)

    def rows(self) -> list[DocumentDTO]:
        return self.model.rows()

    def _show_rows(self) -> None:
        selected = self.selected()
        code = self.category_combo.currentData()
        rows = [d for d in self.documents if not code or d.category == code]
        self.model.set_rows(rows)
        total = len(self.documents)
        if code:
            self.count_label.setText(_("{shown} of {total}").format(shown=len(rows), total=total))
        else:
            self.count_label.setText(
                ngettext("{count} document", "{count} documents", total).format(count=total)
            )
        # The empty list says it already; the tip is for a list that has rows.
        self.drop_hint.setVisible(self.writable and bool(rows))
        if rows:
            self.stack.setCurrentWidget(self.table)
        else:
            self.empty_label.setText(self._empty_text(bool(code)))
            self.stack.setCurrentWidget(self.empty_label)
        if selected is not None:
            self._select_in_view(selected.id)
        self._update_buttons()

    def _empty_text(self, filtered: bool) -> str:
        if filtered:
            return _("No documents of this category.")
        if self.writable:
            return _(
                "No documents yet.\nAttach lab results, imaging, referrals or scans with "
                "“Attach…”, or drop the files here."
            )
        return _("No documents yet.")

    def select(self, document_id: uuid.UUID) -> bool:
        """Selects the document (showing every category if the filter hid it); one not
        loaded yet is selected when the list arrives, e.g. when opened from the timeline."""
        if self._reveal(document_id):
            return True
        self._select_after_refresh = document_id
        return False

    def _reveal(self, document_id: uuid.UUID) -> bool:
        if any(d.id == document_id for d in self.documents) and not any(
            d.id == document_id for d in self.model.rows()
        ):
            self.category_combo.setCurrentIndex(0)
        return self._select_in_view(document_id)

    def _select_in_view(self, document_id: uuid.UUID) -> bool:
        for row, document in enumerate(self.model.rows()):
            if document.id == document_id:
                self.table.selectRow(row)
                self.table.scrollTo(self.model.index(row, 0))
                return True
        return False

    def selected(self) -> DocumentDTO | None:
        indexes = self.table.selectionModel().selectedRows() if self.table.model() else []
        return self.model.row_at(indexes[0].row()) if indexes else None

    def _on_selection_changed(self, _new: QItemSelection, _old: QItemSelection) -> None:
        self._update_buttons()

    def _update_buttons(self) -> None:
        chosen = self.selected() is not None
        for button in (
            self.details_button,
            self.view_button,
            self.export_button,
            self.remove_button,
        ):
            button.setEnabled(chosen)

    def _on_clinical_changed(self, event: ClinicalChanged) -> None:
        if event.patient_id == str(self.patient_id) and event.what == "documents":
            self.refresh()

    def _on_record_restored(self, event: RecordRestored) -> None:
        if event.entity == "PatientDocument":
            self.refresh()

    # -- attach ------------------------------------------------------------------------------

    def choose(self) -> None:
        paths = document_kit.choose_files(self)
        if paths:
            self.attach_files(paths)

    def dragEnterEvent(self, event: QDragEnterEvent) -> None:
        if self.writable and any(u.isLocalFile() for u in event.mimeData().urls()):
            event.acceptProposedAction()

    def dropEvent(self, event: QDropEvent) -> None:
        paths = [u.toLocalFile() for u in event.mimeData().urls() if u.isLocalFile()]
        if paths:
            event.acceptProposedAction()
            self.attach_files(paths)

    def ask_details(self, paths: list[str]) -> DocumentDetails | None:
        dialog = DocumentDialog(
            self._ctx,
            file_names=[Path(p).name for p in paths],
            category=self._last_category,
            parent=self,
        )
        return dialog.details() if dialog.exec() == QDialog.DialogCode.Accepted else None

    def attach_files(self, paths: list[str], details: DocumentDetails | None = None) -> None:
        """Attaches each file with the same details (asked for when not given) and reports
        which were attached and why any was refused."""
        if not self.writable or not paths:
            return
        details = details or self.ask_details(paths)
        if details is None:
            return
        self._last_category = details.category
        ctx, patient_id = self._ctx, self.patient_id

        def run() -> AttachOutcome:
            outcome = AttachOutcome()
            limit = document_size_limit(ctx.uow(), actor=ctx.actor)
            for path in paths:
                name = Path(path).name
                try:
                    data = document_kit.read_file(Path(path), limit)
                    outcome.attached.append(
                        attach_document(
                            ctx.uow(),
                            actor=ctx.actor,
                            patient_id=patient_id,
                            file_name=name,
                            data=data,
                            category=details.category,
                            document_date=details.document_date,
                            description=details.description,
                        )
                    )
                except UserFacingError as exc:
                    outcome.refused.append(_("{name}: {error}").format(name=name, error=exc))
            return outcome

        self.banner.clear_message()
        ctx.runner.run(
            run,
            on_done=self._on_attached,
            on_error=lambda text: self.banner.show_message(text, "error"),
            busy_text=_("Attaching…"),
            parent=self,
        )

    def _on_attached(self, outcome: AttachOutcome) -> None:
        lines: list[str] = []
        if outcome.attached:
            count = len(outcome.attached)
            lines.append(
                ngettext("{count} document attached.", "{count} documents attached.", count).format(
                    count=count
                )
            )
        lines.extend(outcome.refused)
        kind = "error" if outcome.refused and not outcome.attached else "ok"
        kind = "warn" if outcome.refused and outcome.attached else kind
        self.banner.show_message("\n".join(lines), kind)
        if outcome.attached:
            self._select_after_refresh = outcome.attached[-1].id

    # -- the selected document --------------------------------------------------------------

    def view_selected(self) -> DocumentViewerDialog | None:
        document = self.selected()
        return self.view(document.id) if document else None

    def view(self, document_id: uuid.UUID) -> DocumentViewerDialog:
        viewer = DocumentViewerDialog(self._ctx, document_id, self)
        show_tracked(viewer, self.viewers)
        return viewer

    def edit(self) -> None:
        document = self.selected()
        if document is None or not self.writable:
            return
        dialog = DocumentDialog(self._ctx, document=document, parent=self)
        dialog.saved.connect(
            lambda _d: self.banner.show_message(_("The details were saved."), "ok")
        )
        dialog.exec()

    def export_selected(self) -> None:
        document = self.selected()
        if document is not None:
            export_chosen(self._ctx, document, parent=self, banner=self.banner)

    def export_to(self, document_id: uuid.UUID, path: str) -> None:
        export_to_file(self._ctx, document_id, path, parent=self, banner=self.banner)

    def remove_selected(self) -> None:
        document = self.selected()
        if document is None or not self.writable:
            return
        reason = document_kit.ask_reason(self, document)
        if reason is None:
            return
        ctx = self._ctx
        ctx.runner.run(
            lambda: remove_document(
                ctx.uow(), actor=ctx.actor, document_id=document.id, reason=reason
            ),
            on_done=lambda _r: self.banner.show_message(
                _("“{title}” was moved to the trash.").format(title=document.title), "ok"
            ),
            on_error=lambda text: self.banner.show_message(text, "error"),
            parent=self,
        )
