"""The note templates screen (clinical.write): the templates the user sees (clinic-wide ones
and their own; the clinic's owner sees everyone's) with whose they are and whether they are
still offered, a switch to show deactivated ones, and the template editor on the right for
the one selected or a new one. Refreshes itself whenever any template changes."""

from __future__ import annotations

import uuid
from typing import Any

from PySide6.QtCore import QItemSelection, Qt
from PySide6.QtWidgets import (
    QCheckBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QScrollArea,
    QSplitter,
    QVBoxLayout,
    QWidget,
)

from clinic_desktop.i18n import _, ngettext
from clinic_desktop.services.note_templates import TemplateDTO, list_templates
from clinic_desktop.ui.context import UiContext
from clinic_desktop.ui.style import set_role
from clinic_desktop.ui.templates.editor import TemplateEditor
from clinic_desktop.ui.widgets.screen_kit import Column, ListTableModel, MessageBanner, list_table


class TemplatesPage(QWidget):
    def __init__(self, ctx: UiContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._ctx = ctx
        self.setObjectName("TemplatesPage")
        self.setWindowTitle(self.title())

        heading = QLabel(self.title(), self)
        set_role(heading, "title")
        intro = QLabel(
            _("Text that pre-fills a new clinical note, with questions asked when it is applied."),
            self,
        )
        intro.setWordWrap(True)
        set_role(intro, "hint")
        self.banner = MessageBanner("TemplatesMessage", self)
        self.new_button = QPushButton(_("New template"), self)
        self.new_button.setObjectName("NewTemplateButton")
        self.new_button.clicked.connect(self.new_template)
        set_role(self.new_button, "primary")
        self.inactive_check = QCheckBox(_("Show deactivated"), self)
        self.inactive_check.setObjectName("ShowInactiveTemplatesCheck")
        self.inactive_check.toggled.connect(lambda _on: self.refresh())
        self.count_label = QLabel(self)
        self.count_label.setObjectName("TemplatesCountLabel")
        set_role(self.count_label, "hint")

        self.model: ListTableModel[TemplateDTO] = ListTableModel(
            [
                Column(_("Name"), lambda t: t.name),
                Column(_("Scope"), self._owner_text),
                Column(_("Questions"), lambda t: str(len(t.prompts)), align_right=True),
                Column(_("Status"), lambda t: _("In use") if t.active else _("Deactivated")),
            ],
            self,
        )
        self.table = list_table(self.model, "TemplatesTable", self)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        for column in (1, 2, 3):
            header.setSectionResizeMode(column, QHeaderView.ResizeMode.ResizeToContents)
        self.table.selectionModel().selectionChanged.connect(self._on_selection_changed)

        top = QHBoxLayout()
        top.addWidget(self.new_button)
        top.addStretch(1)
        top.addWidget(self.inactive_check)
        left = QWidget(self)
        left_layout = QVBoxLayout(left)
        left_layout.setContentsMargins(0, 0, 0, 0)
        left_layout.addLayout(top)
        left_layout.addWidget(self.table, 1)
        left_layout.addWidget(self.count_label)

        self.editor = TemplateEditor(ctx, self)
        self.editor.saved.connect(self._on_editor_saved)
        scroll = QScrollArea(self)
        scroll.setObjectName("TemplateEditorScroll")
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QScrollArea.Shape.NoFrame)
        scroll.setWidget(self.editor)

        splitter = QSplitter(Qt.Orientation.Horizontal, self)
        splitter.addWidget(left)
        splitter.addWidget(scroll)
        splitter.setStretchFactor(0, 2)
        splitter.setStretchFactor(1, 3)
        splitter.setSizes([520, 760])
        layout = QVBoxLayout(self)
        layout.addWidget(heading)
        layout.addWidget(intro)
        layout.addWidget(self.banner)
        layout.addWidget(splitter, 1)

        ctx.bridge.clinical_changed.connect(self._on_bridge_clinical_changed)

    def title(self) -> str:
        return _("Note templates")

    def _owner_text(self, template: TemplateDTO) -> str:
        if template.clinic_wide:
            return _("Whole clinic")
        if template.owner_id == self._ctx.user.id:
            return _("Mine")
        return template.owner_name

    # -- data ------------------------------------------------------------------------------

    def refresh(self) -> None:
        ctx, inactive = self._ctx, self.inactive_check.isChecked()
        ctx.runner.run(
            lambda: list_templates(ctx.uow(), actor=ctx.actor, include_inactive=inactive),
            on_done=self._on_rows,
            on_error=lambda text: self.banner.show_message(text, "error"),
            parent=self,
        )

    def _on_rows(self, rows: list[TemplateDTO]) -> None:
        self.model.set_rows(rows)
        self.count_label.setText(
            ngettext("{count} template", "{count} templates", len(rows)).format(count=len(rows))
        )
        current = self.editor.template
        if current is not None:
            self.select_template(current.id)

    def _on_bridge_clinical_changed(self, event: Any) -> None:
        if getattr(event, "what", "") == "templates":
            self.refresh()

    def rows(self) -> list[TemplateDTO]:
        return self.model.rows()

    def select_template(self, template_id: uuid.UUID) -> bool:
        for row, item in enumerate(self.model.rows()):
            if item.id == template_id:
                self.table.selectRow(row)
                return True
        return False

    def _on_selection_changed(self, _selected: QItemSelection, _deselected: QItemSelection) -> None:
        selected = self.table.selectionModel().selectedRows()
        row = self.model.row_at(selected[0].row()) if selected else None
        current = self.editor.template
        if row is None or (current is not None and current.id == row.id):
            return  # a refresh reselected the template on screen: keep what is typed
        self.banner.clear_message()
        self.editor.load(row)

    def new_template(self) -> None:
        self.table.clearSelection()
        self.editor.load(None)
        self.editor.name_edit.setFocus()

    def _on_editor_saved(self, template: TemplateDTO) -> None:
        # Deactivated templates leave the list unless shown: keep the editor on it anyway.
        self.refresh()
        self.select_template(template.id)
