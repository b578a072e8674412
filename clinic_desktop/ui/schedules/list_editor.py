"""The shape shared by the practitioners, rooms and appointment-types tabs: a list on the left
and, on the right, a card that edits the selected row or a new one. Saving sends the version
that was loaded (a stale save is refused, not overwritten); a refused field is marked under
its input. A refresh (after any schedule change, here or on another PC) keeps the selection and
never throws away what someone is typing: an editor with unsaved changes is left alone, and
choosing another row first asks whether to discard them."""

from __future__ import annotations

import uuid
from typing import Any, Generic, TypeVar

from PySide6.QtCore import QItemSelection, QSignalBlocker, Qt
from PySide6.QtWidgets import (
    QFormLayout,
    QFrame,
    QHBoxLayout,
    QPushButton,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from clinic_desktop.errors import UserFacingError
from clinic_desktop.i18n import _
from clinic_desktop.ui.context import UiContext
from clinic_desktop.ui.schedules.common import (
    SwatchListModel,
    card,
    field_error,
    fit_columns,
    form_label,
    make_table,
    show_user_error,
    subtitle,
    with_error,
)
from clinic_desktop.ui.style import set_role
from clinic_desktop.ui.widgets import screen_kit
from clinic_desktop.ui.widgets.forms import FieldError, FormErrors
from clinic_desktop.ui.widgets.screen_kit import MessageBanner

T = TypeVar("T")


class ListEditorTab(QWidget, Generic[T]):
    """Subclasses build `self.model`, add their fields with `add_field` and implement
    `load_rows`, `fill`, `values` and `save_values`; rows are DTOs with `id` and `version`."""

    def __init__(
        self,
        ctx: UiContext,
        *,
        name: str,
        model: SwatchListModel[T],
        new_text: str,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self._ctx = ctx
        self._name = name
        self.setObjectName(f"{name}Tab")
        self.current: T | None = None  # the row in the editor; None while adding a new one
        self._loaded: dict[str, Any] = {}
        self._started = False
        self._changing_selection = False

        self.banner = MessageBanner(f"{name}Message", self)
        self.model = model
        self.table = make_table(f"{name}Table", model, self)
        self.table.selectionModel().selectionChanged.connect(self._on_selection_changed)
        self.new_button = QPushButton(new_text, self)
        self.new_button.setObjectName(f"New{name}Button")
        self.new_button.clicked.connect(self._on_new_button_clicked)

        self.editor_card, editor_layout = card(f"{name}Editor", self)
        self.editor_title = subtitle("", self.editor_card)
        self.editor_title.setObjectName(f"{name}EditorTitle")
        self.form = QFormLayout()
        self.form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.ExpandingFieldsGrow)
        self.form.setLabelAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignTop)
        self.form.setVerticalSpacing(6)
        self.form.setHorizontalSpacing(16)
        self.general_error = field_error(f"{name}Error", self.editor_card)
        self.form_errors = FormErrors(self.general_error)
        self.save_button = QPushButton(_("Save"), self.editor_card)
        self.save_button.setObjectName(f"Save{name}Button")
        set_role(self.save_button, "primary")
        self.save_button.clicked.connect(self._on_save_button_clicked)
        self.undo_button = QPushButton(_("Undo changes"), self.editor_card)
        self.undo_button.setObjectName(f"Undo{name}Button")
        self.undo_button.clicked.connect(self._on_undo_button_clicked)
        buttons = QHBoxLayout()
        buttons.addStretch(1)
        buttons.addWidget(self.undo_button)
        buttons.addWidget(self.save_button)
        editor_layout.addWidget(self.editor_title)
        editor_layout.addLayout(self.form)
        editor_layout.addWidget(self.general_error)
        editor_layout.addLayout(buttons)

        list_header = QHBoxLayout()
        self.list_title = subtitle("", self)
        list_header.addWidget(self.list_title)
        list_header.addStretch(1)
        list_header.addWidget(self.new_button)
        self.list_column = QVBoxLayout()
        self.list_column.addLayout(list_header)
        self.list_column.addWidget(self.table, 1)
        # The editor column scrolls: with the hours grid it is taller than a small laptop.
        editor_body = QWidget(self)
        self.editor_column = QVBoxLayout(editor_body)
        self.editor_column.setContentsMargins(0, 0, 4, 0)
        self.editor_column.addWidget(self.editor_card)
        self.editor_scroll = QScrollArea(self)
        self.editor_scroll.setObjectName(f"{name}EditorScroll")
        self.editor_scroll.setWidgetResizable(True)
        self.editor_scroll.setFrameShape(QFrame.Shape.NoFrame)
        self.editor_scroll.setWidget(editor_body)

        columns = QHBoxLayout()
        columns.setSpacing(18)
        columns.addLayout(self.list_column, 4)
        columns.addWidget(self.editor_scroll, 6)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(16, 14, 16, 14)
        layout.addWidget(self.banner)
        layout.addLayout(columns, 1)

    # -- for subclasses --------------------------------------------------------------------

    def add_field(
        self, label: str, field: str | None, widget: QWidget, target: QWidget | None = None
    ) -> FieldError | None:
        """A form row; `field` is the service's name for it, so its errors land underneath."""
        caption = form_label(label, self.editor_card)
        if field is None:
            self.form.addRow(caption, widget)
            return None
        error = field_error(f"{self._name}Error_{field}", self.editor_card)
        self.form_errors.add(field, error, target or widget)
        self.form.addRow(caption, with_error(widget, error, self.editor_card))
        return error

    def load_rows(self) -> list[T]:
        """Runs on the database thread: only service calls, no widgets."""
        raise NotImplementedError

    def load_extra(self) -> Any:
        """Anything else the tab needs with its rows, also on the database thread."""
        return None

    def fill(self, item: T | None) -> None:
        """Puts `item` (or a blank new row) into the editor's inputs."""
        raise NotImplementedError

    def values(self) -> dict[str, Any]:
        """The editor's inputs as the save service's keyword arguments."""
        raise NotImplementedError

    def save_values(self, values: dict[str, Any], item: T | None) -> T:
        raise NotImplementedError

    def title_for(self, item: T | None) -> str:
        raise NotImplementedError

    def name_of(self, item: T) -> str:
        raise NotImplementedError

    def after_rows_loaded(self, extra: Any) -> None:
        """Hook run on the GUI thread after each refresh, with what load_extra returned."""

    def after_load(self) -> None:
        """Hook run after the editor shows another row (or a new one)."""

    def extra_dirty(self) -> bool:
        return False

    # -- data ------------------------------------------------------------------------------

    def refresh(self) -> None:
        def load() -> tuple[list[T], Any]:
            return self.load_rows(), self.load_extra()

        self._ctx.runner.run(
            load, on_done=self._on_rows_loaded, on_error=self.show_error, parent=self
        )

    def show_error(self, message: str) -> None:
        self.banner.show_message(message, "error")

    def _on_rows_loaded(self, loaded: tuple[list[T], Any]) -> None:
        rows, extra = loaded
        keep = _id_of(self.current)
        with QSignalBlocker(self.table.selectionModel()):
            self.model.set_rows(rows)
        fit_columns(self.table)
        self.after_rows_loaded(extra)
        fresh = next((r for r in rows if _id_of(r) == keep), None)
        if not self._started:  # first load: show the first row, or a blank new one
            first = rows[0] if rows else None
            self._select_row_of(_id_of(first))
            self._load(first)
        elif keep is None:
            pass  # a new row is being typed: leave it be
        elif fresh is None:
            self._load(None)  # the row went away (moved to the trash on another PC)
        else:
            self._select_row_of(keep)
            # Unsaved typing is kept; saving it will say if someone else changed the row.
            if not self.is_dirty():
                self._load(fresh)

    def _load(self, item: T | None) -> None:
        self._started = True
        self.current = item
        self.form_errors.clear()
        self.fill(item)
        self._loaded = self.values()
        self.editor_title.setText(self.title_for(item))
        self.after_load()

    def is_dirty(self) -> bool:
        return (self._started and self.values() != self._loaded) or self.extra_dirty()

    # -- selection -------------------------------------------------------------------------

    def select(self, item_id: uuid.UUID) -> bool:
        """Selects the row with `item_id` and shows it in the editor (as a click would)."""
        return self._select_row_of(item_id, load=True)

    def _select_row_of(self, item_id: uuid.UUID | None, *, load: bool = False) -> bool:
        for row, item in enumerate(self.model.rows()):
            if _id_of(item) == item_id:
                with QSignalBlocker(self.table.selectionModel()):
                    self.table.selectRow(row)
                if load:
                    self._load(item)
                return True
        return False

    def selected(self) -> T | None:
        rows = self.table.selectionModel().selectedRows()
        return self.model.row_at(rows[0].row()) if rows else None

    def _on_selection_changed(self, _selected: QItemSelection, _deselected: QItemSelection) -> None:
        if self._changing_selection:
            return
        item = self.selected()
        if item is None or _id_of(item) == _id_of(self.current):
            return
        if not self._may_discard():
            self._changing_selection = True
            try:  # put the selection back on the row being edited
                self.table.clearSelection()
                self._select_row_of(_id_of(self.current))
            finally:
                self._changing_selection = False
            return
        self.banner.clear_message()
        self._load(item)

    def _may_discard(self) -> bool:
        return not self.is_dirty() or screen_kit.confirm(
            self,
            _("Unsaved changes"),
            _("The changes in the editor have not been saved. Discard them?"),
            _("Discard changes"),
        )

    def _on_new_button_clicked(self) -> None:
        self.start_new()

    def start_new(self) -> None:
        if not self._may_discard():
            return
        self.banner.clear_message()
        with QSignalBlocker(self.table.selectionModel()):
            self.table.clearSelection()
        self._load(None)
        focus = self.form.itemAt(0, QFormLayout.ItemRole.FieldRole)
        widget = focus.widget() if focus else None
        if widget is not None:
            widget.setFocus()

    def _on_undo_button_clicked(self) -> None:
        self.banner.clear_message()
        self._load(self.current)

    # -- saving ----------------------------------------------------------------------------

    def _on_save_button_clicked(self) -> None:
        self.save()

    def save(self) -> None:
        self.banner.clear_message()
        self.form_errors.clear()
        values, item = self.values(), self.current
        self.save_button.setEnabled(False)
        self._ctx.runner.run(
            lambda: self.save_values(values, item),
            on_done=self._on_saved,
            on_error=self._on_save_failed,
            on_user_error=self._on_save_refused,
            parent=self,
        )

    def _on_saved(self, item: T) -> None:
        self.save_button.setEnabled(True)
        self.current = item
        self._loaded = self.values()  # what is on screen is now what is stored
        self.editor_title.setText(self.title_for(item))
        self.banner.show_message(_("Saved {name}.").format(name=self.name_of(item)), "ok")
        self.refresh()
        self.after_load()

    def _on_save_failed(self, message: str) -> None:
        self.save_button.setEnabled(True)
        self.show_error(message)

    def _on_save_refused(self, error: UserFacingError) -> None:
        self.save_button.setEnabled(True)
        show_user_error(error, self.form_errors, self.banner)


def _id_of(item: object) -> uuid.UUID | None:
    return getattr(item, "id", None) if item is not None else None
