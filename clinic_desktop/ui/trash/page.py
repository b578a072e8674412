"""The trash screen (trash.restore): every soft-deleted record of any kind, newest first, and
restoring the selected one after a confirmation. Nothing is ever purged from here, so there is
deliberately no "empty trash" button. Refreshes when anything is deleted or restored."""

from __future__ import annotations

from PySide6.QtCore import QItemSelection
from PySide6.QtWidgets import (
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from clinic_desktop.i18n import _
from clinic_desktop.services.dto import TrashItem
from clinic_desktop.services.trash import list_trash, restore_record
from clinic_desktop.ui.context import UiContext
from clinic_desktop.ui.style import set_role
from clinic_desktop.ui.widgets import screen_kit
from clinic_desktop.ui.widgets.screen_kit import (
    Column,
    ListTableModel,
    MessageBanner,
    format_when,
    list_table,
)


class TrashPage(QWidget):
    def __init__(self, ctx: UiContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._ctx = ctx
        self._zone = ctx.clinic.timezone  # times are shown in the clinic's zone
        self.setObjectName("TrashPage")
        self.setWindowTitle(self.title())

        intro = QLabel(
            _(
                "Deleted records stay here with their history and can be restored at any time. "
                "Nothing in the trash is ever erased."
            ),
            self,
        )
        intro.setWordWrap(True)
        set_role(intro, "hint")
        self.restore_button = QPushButton(_("Restore…"), self)
        self.restore_button.setObjectName("RestoreRecordButton")
        set_role(self.restore_button, "primary")
        self.restore_button.clicked.connect(self._on_restore_clicked)
        self.banner = MessageBanner("TrashMessage", self)
        self.empty_label = QLabel(_("The trash is empty."), self)
        self.empty_label.setObjectName("TrashEmptyLabel")
        set_role(self.empty_label, "hint")
        self.empty_label.hide()

        self.model: ListTableModel[TrashItem] = ListTableModel(
            [
                Column(_("Type"), lambda i: i.entity_label),
                Column(_("Title"), lambda i: i.title),
                Column(_("Deleted"), lambda i: format_when(i.deleted_at, self._zone)),
                Column(_("Deleted by"), lambda i: i.deleted_by or "—"),
            ],
            self,
        )
        self.table = list_table(self.model, "TrashTable", self)
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        self.table.horizontalHeader().setStretchLastSection(True)
        self.table.horizontalHeader().setMinimumSectionSize(90)
        self.table.selectionModel().selectionChanged.connect(self._on_selection_changed)
        self.table.doubleClicked.connect(self._on_table_double_clicked)

        top = QHBoxLayout()
        top.addWidget(intro, 1)
        top.addWidget(self.restore_button)
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(self.banner)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.empty_label)

        ctx.bridge.record_restored.connect(self._on_bridge_record_restored)
        # Deleting a user elsewhere puts it here: keep the list current.
        ctx.bridge.users_changed.connect(self._on_bridge_record_restored)
        self._update_buttons()

    def title(self) -> str:
        return _("Trash")

    def refresh(self) -> None:
        ctx = self._ctx
        ctx.runner.run(
            lambda: list_trash(ctx.uow(), actor=ctx.actor),
            on_done=self._on_list_done,
            on_error=self._show_error,
            parent=self,
        )

    def _on_list_done(self, items: list[TrashItem]) -> None:
        self.model.set_rows(items)
        self.table.resizeColumnsToContents()
        self.empty_label.setVisible(not items)
        self._update_buttons()

    def _show_error(self, message: str) -> None:
        self.banner.show_message(message, "error")

    def _on_bridge_record_restored(self, _event: object) -> None:
        self.refresh()

    def selected_item(self) -> TrashItem | None:
        rows = self.table.selectionModel().selectedRows()
        return self.model.row_at(rows[0].row()) if rows else None

    def select_item(self, entity_id: str) -> bool:
        for row, item in enumerate(self.model.rows()):
            if item.entity_id == entity_id:
                self.table.selectRow(row)
                return True
        return False

    def _on_selection_changed(self, _selected: QItemSelection, _deselected: QItemSelection) -> None:
        self._update_buttons()

    def _update_buttons(self) -> None:
        self.restore_button.setEnabled(self.selected_item() is not None)

    def _on_table_double_clicked(self, _index: object) -> None:
        self._on_restore_clicked()

    def _on_restore_clicked(self) -> None:
        item = self.selected_item()
        if item is None or not screen_kit.confirm(
            self,
            _("Restore from trash"),
            _(
                "Restore {kind} “{title}”? It will be back where it was before it was deleted."
            ).format(kind=item.entity_label.lower(), title=item.title),
            _("Restore"),
        ):
            return
        ctx = self._ctx
        self.banner.clear_message()
        ctx.runner.run(
            lambda: restore_record(
                ctx.uow(), actor=ctx.actor, entity=item.entity, entity_id=item.entity_id
            ),
            on_done=lambda _result: self._on_restore_done(item),
            on_error=self._show_error,
            parent=self,
        )

    def _on_restore_done(self, item: TrashItem) -> None:
        self.refresh()
        self.banner.show_message(_("“{title}” was restored.").format(title=item.title), "ok")
