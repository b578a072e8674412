"""The read-only view of a clinical note (a signed one, or a draft that is another doctor's):
the note as formatted text with its vital signs, who signed it and when, its addenda, and the
notices linking the versions of a corrected note (clicking one opens that version). Below it,
Add addendum…, Amend… and Print, as far as the user's role and the note's state allow."""

from __future__ import annotations

import uuid

from PySide6.QtCore import QUrl, Signal, SignalInstance
from PySide6.QtWidgets import QHBoxLayout, QPushButton, QTextBrowser, QVBoxLayout, QWidget

from clinic_desktop.i18n import _
from clinic_desktop.services.encounter_dto import EncounterDTO
from clinic_desktop.ui.chart.note_format import NOTE_LINK, note_html
from clinic_desktop.ui.context import UiContext
from clinic_desktop.ui.style import BORDER, INK
from clinic_desktop.ui.widgets.screen_kit import MessageBanner


class NoteView(QWidget):
    link_activated = Signal(object)  # the id of the version clicked
    addendum_requested = Signal(object)
    amend_requested = Signal(object)
    print_requested = Signal(object)

    def __init__(self, ctx: UiContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("NoteView")
        self._ctx = ctx
        self.note: EncounterDTO | None = None
        self.banner = MessageBanner("NoteViewMessage", self)
        self.browser = QTextBrowser(self)
        self.browser.setObjectName("NoteBrowser")
        self.browser.setOpenLinks(False)
        self.browser.setStyleSheet(
            f"QTextBrowser {{ background: white; border: 1px solid {BORDER}; "
            f"border-radius: 8px; padding: 14px 18px; color: {INK}; }}"
        )
        font = self.browser.font()
        font.setPointSizeF(font.pointSizeF() * 1.08)
        self.browser.setFont(font)
        self.browser.document().setDocumentMargin(4)
        self.browser.anchorClicked.connect(self.follow_link)

        self.addendum_button = QPushButton(_("Add addendum…"), self)
        self.addendum_button.setObjectName("AddAddendumButton")
        self.addendum_button.clicked.connect(lambda: self._emit(self.addendum_requested))
        self.amend_button = QPushButton(_("Amend…"), self)
        self.amend_button.setObjectName("AmendNoteButton")
        self.amend_button.clicked.connect(lambda: self._emit(self.amend_requested))
        self.print_button = QPushButton(_("Print"), self)
        self.print_button.setObjectName("PrintNoteButton")
        self.print_button.clicked.connect(lambda: self._emit(self.print_requested))
        buttons = QHBoxLayout()
        buttons.addWidget(self.addendum_button)
        buttons.addWidget(self.amend_button)
        buttons.addStretch(1)
        buttons.addWidget(self.print_button)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(4, 4, 12, 4)
        layout.addWidget(self.banner)
        layout.addWidget(self.browser, 1)
        layout.addLayout(buttons)

    def load(self, note: EncounterDTO) -> None:
        self.note = note
        self.banner.clear_message()
        self.browser.setHtml(note_html(note, self._ctx.clinic.timezone))
        writable = self._ctx.can("clinical.write")
        correction = note.correction
        self.addendum_button.setVisible(writable and note.is_signed)
        self.amend_button.setVisible(
            writable and note.is_signed and (correction is None or not correction.is_signed)
        )

    def text(self) -> str:
        """What the view shows, as plain text (for tests and accessibility)."""
        return self.browser.toPlainText()

    def follow_link(self, url: QUrl) -> None:
        target = url.toString()
        if target.startswith(NOTE_LINK):
            try:
                self.link_activated.emit(uuid.UUID(target[len(NOTE_LINK) :]))
            except ValueError:
                return

    def _emit(self, signal: SignalInstance) -> None:
        if self.note is not None:
            signal.emit(self.note.id)
