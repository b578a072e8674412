"""The base of the summary tab's list cards: a titled card holding a table of entries
(past ones greyed, entries in error struck through, past ones hidden unless asked for) and
the row of buttons acting on the selected entry. "Entered in error" asks first, because it
is final. Subclasses say which columns, dialogs and status changes their entries have."""

from __future__ import annotations

import uuid
from collections.abc import Callable, Sequence
from typing import Any, Generic, TypeVar

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QHBoxLayout, QHeaderView, QPushButton, QTableView, QWidget

from clinic_desktop.i18n import _, ngettext
from clinic_desktop.services.clinical_dto import AllergyDTO, MedicationDTO, ProblemDTO
from clinic_desktop.ui.chart import clinical_dialog_kit as kit
from clinic_desktop.ui.chart.clinical_dialog_kit import (
    Card,
    EntryTableModel,
    hint_label,
    small_button,
)
from clinic_desktop.ui.context import UiContext
from clinic_desktop.ui.widgets import screen_kit
from clinic_desktop.ui.widgets.screen_kit import Column, list_table, select_entry, selected_entry

E = TypeVar("E", AllergyDTO, MedicationDTO, ProblemDTO)
IN_ERROR = "entered_in_error"


class ListCard(QWidget, Generic[E]):
    """A card with a table of entries and the buttons acting on the selected one. Emits
    `failed` with a message to show; the tab refreshes from the clinical_changed signal.
    `dialog_class(ctx, patient_id, entry_or_None, parent)` adds and edits an entry."""

    failed = Signal(str)
    dialog_class: Any = None

    def __init__(
        self,
        ctx: UiContext,
        *,
        name: str,
        title: str,
        empty_text: str,
        columns: Sequence[Column[E]],
        past: Callable[[E], bool],
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self._ctx = ctx
        self.patient_id: uuid.UUID | None = None
        self.writable = ctx.can("clinical.write")
        self.show_past = False
        self._past: Callable[[E], bool] = past
        self._entries: list[E] = []
        self.last_dialog: Any = None
        self.card = Card(name, title, self)
        self.model: EntryTableModel[E] = EntryTableModel(
            columns, past=past, in_error=lambda e: e.status == IN_ERROR, parent=self
        )
        self.table: QTableView = list_table(self.model, f"{name}Table", self.card)
        self.table.setMinimumHeight(150)
        self.table.setWordWrap(False)
        header = self.table.horizontalHeader()
        header.setStretchLastSection(False)
        header.setDefaultAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter)
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        self.table.selectionModel().selectionChanged.connect(lambda *_a: self.update_buttons())
        self.table.doubleClicked.connect(lambda _i: self.edit_selected())
        self.empty_label = hint_label(empty_text, self.card, f"{name}Empty")
        self.count_label = hint_label("", self.card, f"{name}Count")
        self.count_label.setWordWrap(False)
        self.card.add_header_widget(self.count_label)
        self.buttons = QHBoxLayout()
        self.buttons.setSpacing(6)
        self.card.body.addWidget(self.table, 1)
        self.card.body.addWidget(self.empty_label)
        self.card.body.addLayout(self.buttons)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.card)
        self.add_button = self.button(_("Add…"), f"Add{name}Button", self.add_new, primary=True)
        self.edit_button = self.button(_("Edit…"), f"Edit{name}Button", self.edit_selected)

    def button(
        self, text: str, name: str, slot: Callable[[], None], primary: bool = False
    ) -> QPushButton:
        button = small_button(text, name, self.card, primary)
        button.clicked.connect(lambda: slot())
        self.buttons.addWidget(button)
        button.setVisible(self.writable)
        return button

    def finish_buttons(self, error_button_text: str) -> None:
        self.buttons.addStretch(1)
        self.error_button = self.button(
            error_button_text, f"{self.card.objectName()}ErrorButton", self.mark_in_error
        )

    # -- data ------------------------------------------------------------------------------

    def set_entries(self, patient_id: uuid.UUID, entries: Sequence[E]) -> None:
        keep = self.selected()
        self.patient_id = patient_id
        self._entries = list(entries)
        shown = [e for e in entries if self.show_past or not self._is_past(e)]
        self.model.set_rows(shown)
        hidden = len(entries) - len(shown)
        self.count_label.setText(
            ngettext("{count} past entry hidden", "{count} past entries hidden", hidden).format(
                count=hidden
            )
            if hidden
            else ""
        )
        self.table.setVisible(bool(shown))
        self.empty_label.setVisible(not shown)
        self._fit_columns()
        if keep is not None:
            self.select(keep.id)
        self.update_buttons()

    def _fit_columns(self) -> None:
        """The first column (what the entry is) takes the spare width; the others fit
        their contents with some air."""
        self.table.resizeColumnsToContents()
        header = self.table.horizontalHeader()
        for column in range(1, self.model.columnCount()):
            self.table.setColumnWidth(column, self.table.columnWidth(column) + 16)
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)

    def _is_past(self, entry: E) -> bool:
        return self._past(entry) or entry.status == IN_ERROR

    def set_show_past(self, show: bool) -> None:
        self.show_past = show
        if self.patient_id is not None:
            self.set_entries(self.patient_id, self._entries)

    def entries(self) -> list[E]:
        return self.model.rows()

    def selected(self) -> E | None:
        return selected_entry(self.table, self.model)

    def selected_with(self, status: str) -> E | None:
        """The selected entry when it has `status` (what a status button may act on)."""
        entry = self.selected()
        return entry if entry is not None and entry.status == status else None

    def selected_live(self) -> E | None:
        """The selected entry unless it was entered in error (which never changes again)."""
        entry = self.selected()
        return entry if entry is not None and entry.status != IN_ERROR else None

    def select(self, entry_id: uuid.UUID) -> bool:
        return select_entry(self.table, self.model, entry_id)

    def update_buttons(self) -> None:
        live = self.selected_live() is not None
        self.edit_button.setEnabled(live)
        self.error_button.setEnabled(live)
        self.update_status_buttons(self.selected())

    # -- actions ---------------------------------------------------------------------------

    def update_status_buttons(self, entry: E | None) -> None:
        raise NotImplementedError

    def show_dialog(self, dialog: Any) -> None:
        self.last_dialog = dialog
        kit.open_dialog(dialog)

    def add_new(self) -> None:
        self._open(None)

    def edit_selected(self) -> None:
        entry = self.selected_live()
        if entry is not None and self.writable:
            self._open(entry)

    def _open(self, entry: E | None) -> None:
        if self.patient_id is not None:
            self.show_dialog(self.dialog_class(self._ctx, self.patient_id, entry, self))

    def run_change(self, call: Callable[[], object]) -> None:
        self._ctx.runner.run(call, on_error=self.failed.emit, parent=self)

    def describe(self, entry: E) -> str:
        raise NotImplementedError

    def entered_in_error_call(self, entry: E) -> Callable[[], object]:
        raise NotImplementedError

    def mark_in_error(self) -> None:
        entry = self.selected_live()
        if entry is None:
            return
        if not screen_kit.confirm(
            self,
            _("Entered in error"),
            _(
                "“{entry}” will be kept in the record, struck through, as entered in error. "
                "This cannot be undone."
            ).format(entry=self.describe(entry)),
            _("Mark as entered in error"),
        ):
            return
        self.run_change(self.entered_in_error_call(entry))
