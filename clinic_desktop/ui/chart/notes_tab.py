"""The chart's notes tab: the patient's clinical notes newest first on the left, and the chosen
one on the right, in the editor while it is the user's own draft, read-only otherwise (with
addenda, corrections and printing). "New note" starts a blank note or one from a template,
asking the template's questions first. Switching away from a draft with unsaved changes asks
to save them. Refreshes when the patient's notes change, here or on another PC."""

from __future__ import annotations

import uuid
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QItemSelection, QItemSelectionModel, Qt, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHBoxLayout,
    QLabel,
    QListView,
    QMenu,
    QPushButton,
    QScrollArea,
    QSplitter,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from clinic_desktop.i18n import _, ngettext
from clinic_desktop.services.encounter_dto import EncounterDTO, EncounterRowDTO
from clinic_desktop.services.encounters import (
    add_addendum,
    amend_encounter,
    get_encounter,
    list_encounters,
    start_encounter,
)
from clinic_desktop.services.note_templates import TemplateDTO, list_templates
from clinic_desktop.ui.chart import note_actions, template_prompt_dialog
from clinic_desktop.ui.chart.note_editor import NoteEditor
from clinic_desktop.ui.chart.note_format import day_text
from clinic_desktop.ui.chart.note_list import NoteListModel, NoteRowDelegate
from clinic_desktop.ui.chart.note_view import NoteView
from clinic_desktop.ui.context import UiContext
from clinic_desktop.ui.style import BORDER, set_role
from clinic_desktop.ui.widgets import screen_kit
from clinic_desktop.ui.widgets.screen_kit import MessageBanner

_PLACEHOLDER, _EDITOR, _VIEW = 0, 1, 2


class NotesTab(QWidget):
    print_requested = Signal(object)  # the encounter id to print
    prescribe_requested = Signal(object)  # the encounter id to prescribe from

    def __init__(
        self, ctx: UiContext, patient_id: uuid.UUID, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.setObjectName("NotesTab")
        self._ctx = ctx
        self.patient_id = patient_id
        self.templates: list[TemplateDTO] = []
        self._selecting = False
        writable = ctx.can("clinical.write")

        self.new_button = QPushButton(_("New note"), self)
        self.new_button.setObjectName("NewNoteButton")
        set_role(self.new_button, "primary")
        self.new_menu = QMenu(self.new_button)
        self.new_menu.setObjectName("NewNoteMenu")
        self.new_button.setMenu(self.new_menu)
        self.new_button.setVisible(writable)
        self.count_label = QLabel(self)
        self.count_label.setObjectName("NotesCountLabel")
        set_role(self.count_label, "hint")
        self.banner = MessageBanner("NotesMessage", self)

        self.model = NoteListModel(ctx.clinic.timezone, self)
        self.list_view = QListView(self)
        self.list_view.setObjectName("NotesList")
        self.list_view.setModel(self.model)
        self.list_view.setItemDelegate(NoteRowDelegate(self.list_view))
        self.list_view.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.list_view.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.list_view.setUniformItemSizes(True)
        self.list_view.setStyleSheet(
            f"QListView#NotesList {{ background: white; border: 1px solid {BORDER}; "
            "border-radius: 8px; }"
        )
        self.list_view.selectionModel().selectionChanged.connect(self._on_selection_changed)

        top = QHBoxLayout()
        top.addWidget(self.new_button)
        top.addWidget(self.count_label, 1)
        left = QWidget(self)
        left_layout = QVBoxLayout(left)
        left_layout.setContentsMargins(0, 0, 0, 0)
        left_layout.addLayout(top)
        left_layout.addWidget(self.banner)
        left_layout.addWidget(self.list_view, 1)

        self.editor = NoteEditor(ctx, self)
        self.editor.signed.connect(self._show)
        self.editor.discarded.connect(self._on_discarded)
        self.editor.prescribe_requested.connect(self.prescribe_requested.emit)
        scroll = QScrollArea(self)
        scroll.setObjectName("NoteEditorScroll")
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QScrollArea.Shape.NoFrame)
        scroll.setWidget(self.editor)
        self.view = NoteView(ctx, self)
        self.view.link_activated.connect(self.open_encounter)
        self.view.addendum_requested.connect(lambda _id: self.add_addendum())
        self.view.amend_requested.connect(lambda _id: self.amend())
        self.view.print_requested.connect(self.print_requested.emit)
        self.placeholder = QLabel(self)
        self.placeholder.setObjectName("NotesPlaceholder")
        self.placeholder.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.placeholder.setWordWrap(True)
        set_role(self.placeholder, "hint")
        self.right = QStackedWidget(self)
        self.right.addWidget(self.placeholder)
        self.right.addWidget(scroll)
        self.right.addWidget(self.view)

        splitter = QSplitter(Qt.Orientation.Horizontal, self)
        splitter.setObjectName("NotesSplitter")
        splitter.addWidget(left)
        splitter.addWidget(self.right)
        splitter.setStretchFactor(0, 0)
        splitter.setStretchFactor(1, 1)
        splitter.setSizes([340, 820])
        layout = QVBoxLayout(self)
        layout.setContentsMargins(8, 8, 8, 8)
        layout.addWidget(splitter)
        self._build_new_menu()
        ctx.bridge.clinical_changed.connect(self._on_bridge_clinical_changed)
        self.refresh()  # the chart builds its tabs when first shown: that is the opening

    # -- data ------------------------------------------------------------------------------

    @property
    def note(self) -> EncounterDTO | None:
        """The note shown on the right."""
        index = self.right.currentIndex()
        if index == _EDITOR:
            return self.editor.note
        if index == _VIEW:
            return self.view.note
        return None

    def rows(self) -> list[EncounterRowDTO]:
        return self.model.rows()

    def refresh(self) -> None:
        self._load_rows()
        self._load_templates()

    def _load_rows(self) -> None:
        ctx, patient_id = self._ctx, self.patient_id
        ctx.runner.run(
            lambda: list_encounters(ctx.uow(), actor=ctx.actor, patient_id=patient_id),
            on_done=self._on_rows,
            on_error=self._show_error,
            parent=self,
        )

    def _load_templates(self) -> None:
        ctx = self._ctx
        if not ctx.can("clinical.write"):
            return
        ctx.runner.run(
            lambda: list_templates(ctx.uow(), actor=ctx.actor),
            on_done=self._on_templates,
            on_error=self._show_error,
            parent=self,
        )

    def _on_rows(self, rows: list[EncounterRowDTO]) -> None:
        self.model.set_rows(rows)
        self.count_label.setText(
            ngettext("{count} note", "{count} notes", len(rows)).format(count=len(rows))
        )
        shown = self.note
        if shown is not None and self.model.row_of(shown.id) >= 0:
            self._select_row(shown.id)
        else:  # nothing shown yet, or the note was discarded (here or on another PC)
            self._show_placeholder()

    def _on_templates(self, templates: list[TemplateDTO]) -> None:
        self.templates = templates
        self._build_new_menu()

    def _build_new_menu(self) -> None:
        menu = self.new_menu
        menu.clear()
        blank = menu.addAction(_("Blank note"))
        blank.setObjectName("NewBlankNoteAction")
        blank.triggered.connect(lambda: self.new_note(None))
        shared = [t for t in self.templates if t.clinic_wide]
        own = [t for t in self.templates if not t.clinic_wide]
        for title, group in ((_("Clinic templates"), shared), (_("My templates"), own)):
            if not group:
                continue
            menu.addSection(title)
            for template in group:
                action = menu.addAction(template.name)
                action.triggered.connect(lambda _checked=False, t=template.id: self.new_note(t))

    def _show_error(self, message: str) -> None:
        self.banner.show_message(message, "error")

    def _on_bridge_clinical_changed(self, event: Any) -> None:
        if getattr(event, "what", "") == "templates":
            self._load_templates()
        elif (
            getattr(event, "patient_id", "") == str(self.patient_id) and event.what == "encounters"
        ):
            self._load_rows()

    # -- showing a note ----------------------------------------------------------------------

    def _show_placeholder(self) -> None:
        if self.model.rowCount():
            text = _("Choose a note on the left.")
        elif self._ctx.can("clinical.write"):
            text = _("No clinical notes yet for this patient. Start one with “New note”.")
        else:
            text = _("No clinical notes yet for this patient.")
        self.placeholder.setText(text)
        self.right.setCurrentIndex(_PLACEHOLDER)
        self.editor.note = None
        self.view.note = None

    def _show(self, note: EncounterDTO) -> None:
        ctx = self._ctx
        own_draft = note.is_draft and note.author_id == ctx.user.id and ctx.can("clinical.write")
        if own_draft:
            self.editor.load(note)
            self.view.note = None
            self.right.setCurrentIndex(_EDITOR)
        else:
            self.view.load(note)
            self.editor.note = None
            self.right.setCurrentIndex(_VIEW)
        self._select_row(note.id)

    def _select_row(self, encounter_id: uuid.UUID) -> None:
        row = self.model.row_of(encounter_id)
        self._selecting = True
        try:
            if row < 0:
                self.list_view.clearSelection()
            else:
                index = self.model.index(row, 0)
                self.list_view.selectionModel().setCurrentIndex(
                    index, QItemSelectionModel.SelectionFlag.ClearAndSelect
                )
                self.list_view.scrollTo(index)
        finally:
            self._selecting = False

    def _on_selection_changed(self, _selected: QItemSelection, _deselected: QItemSelection) -> None:
        if self._selecting:
            return
        indexes = self.list_view.selectionModel().selectedIndexes()
        row = self.model.row_at(indexes[0].row()) if indexes else None
        shown = self.note
        if row is None or (shown is not None and shown.id == row.id):
            return
        self.open_encounter(row.id)

    def _leave_current(self, then: Any) -> None:
        """Runs `then` once the draft on screen has no unsaved changes (saved if the user
        agrees); otherwise stays on it."""
        if self.right.currentIndex() != _EDITOR or not self.editor.is_dirty():
            then()
            return
        if screen_kit.confirm(
            self,
            _("Unsaved changes"),
            _("This draft has changes that are not saved. Save them before going on?"),
            _("Save draft"),
        ):
            self.editor.save(then=lambda _note: then())
        else:
            shown = self.note
            if shown is not None:
                self._select_row(shown.id)

    def _leave_then_run(
        self, call: Callable[[], EncounterDTO], on_done: Callable[[EncounterDTO], None]
    ) -> None:
        """Runs a service call that brings another note on screen, once the draft on screen
        may be left (see `_leave_current`)."""

        def run() -> None:
            self.banner.clear_message()
            self._ctx.runner.run(call, on_done=on_done, on_error=self._show_error, parent=self)

        self._leave_current(run)

    def open_encounter(self, encounter_id: uuid.UUID) -> None:
        """Shows one note (asking first about unsaved changes to the draft on screen)."""
        ctx = self._ctx
        self._leave_then_run(
            lambda: get_encounter(ctx.uow(), actor=ctx.actor, encounter_id=encounter_id),
            self._show,
        )

    def _on_discarded(self, _encounter_id: uuid.UUID) -> None:
        self._show_placeholder()
        self.banner.show_message(_("The draft was discarded."), "ok")

    # -- new notes and corrections -----------------------------------------------------------

    def new_note(self, template_id: uuid.UUID | None = None) -> None:
        """Starts a draft, blank or from a template (asking its questions first)."""
        template = next((t for t in self.templates if t.id == template_id), None)
        answers: dict[str, str] | None = None
        if template is not None and template.prompts:
            answers = template_prompt_dialog.ask_prompt_answers(self, template)
            if answers is None:
                return
        ctx, patient_id = self._ctx, self.patient_id
        self._leave_then_run(
            lambda: start_encounter(
                ctx.uow(),
                actor=ctx.actor,
                patient_id=patient_id,
                template_id=template_id,
                answers=answers,
            ),
            self._on_started,
        )

    def _on_started(self, note: EncounterDTO) -> None:
        self._show(note)
        self.editor.texts["chief_complaint"].setFocus()

    def _correct(
        self,
        ask: Callable[[QWidget, str], str | None],
        call: Callable[[UiContext, uuid.UUID, str], EncounterDTO],
        on_done: Callable[[EncounterDTO], None],
    ) -> None:
        """Asks for the text of a correction of the signed note on view (an addendum, a
        reason to amend), then stores it; refusals show above the note."""
        note = self.view.note
        if note is None:
            return
        text = ask(self, day_text(note.occurred_at, self._ctx.clinic.timezone))
        if text is None:
            return
        ctx = self._ctx
        ctx.runner.run(
            lambda: call(ctx, note.id, text),
            on_done=on_done,
            on_error=lambda message: self.view.banner.show_message(message, "error"),
            parent=self,
        )

    def add_addendum(self) -> None:
        self._correct(
            note_actions.ask_addendum,
            lambda ctx, note_id, text: add_addendum(
                ctx.uow(), actor=ctx.actor, encounter_id=note_id, text=text
            ),
            self._on_addendum_added,
        )

    def _on_addendum_added(self, note: EncounterDTO) -> None:
        self._show(note)
        self.view.banner.show_message(_("Addendum added."), "ok")

    def amend(self) -> None:
        self._correct(
            note_actions.ask_amend_reason,
            lambda ctx, note_id, reason: amend_encounter(
                ctx.uow(), actor=ctx.actor, encounter_id=note_id, reason=reason
            ),
            self._show,
        )
