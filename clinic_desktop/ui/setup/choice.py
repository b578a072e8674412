"""The screen a computer with no clinic shows first: set up a new clinic, look around in the
demo clinic, or take over a backup made on another computer. Each choice says in one line what
it does, so nobody creates an empty clinic when they meant to restore theirs."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal, SignalInstance
from PySide6.QtGui import QCloseEvent
from PySide6.QtWidgets import (
    QFrame,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from clinic_desktop.config import AppPaths
from clinic_desktop.i18n import _
from clinic_desktop.ui.style import bold, set_role
from clinic_desktop.ui.widgets.language import LanguageCombo


class FirstRunScreen(QWidget):
    create_requested = Signal()
    demo_requested = Signal()
    restore_requested = Signal()
    closed = Signal()  # the window was closed by the user: the app ends

    def __init__(self, paths: AppPaths, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("FirstRunScreen")
        self.title = QLabel()
        set_role(self.title, "title")
        self.subtitle = QLabel()
        self.subtitle.setWordWrap(True)
        set_role(self.subtitle, "hint")
        self.language_combo = LanguageCombo(paths)
        self.language_combo.language_changed.connect(lambda _lang: self.retranslate())
        self._language_label = QLabel()
        set_role(self._language_label, "hint")

        self._choice_labels: dict[str, tuple[QLabel, QLabel]] = {}
        self.create_button = self._choice("CreateClinicButton", self.create_requested)
        self.demo_button = self._choice("TryDemoButton", self.demo_requested)
        self.restore_button = self._choice("RestoreBackupButton", self.restore_requested)

        card = QFrame()
        card.setObjectName("FirstRunCard")
        set_role(card, "card")
        card.setMaximumWidth(720)
        card.setMinimumWidth(640)
        inner = QVBoxLayout(card)
        inner.setContentsMargins(36, 28, 36, 32)
        inner.setSpacing(14)
        top = QHBoxLayout()
        top.addStretch(1)
        top.addWidget(self._language_label)
        top.addWidget(self.language_combo)
        inner.addLayout(top)
        inner.addWidget(self.title)
        inner.addWidget(self.subtitle)
        inner.addSpacing(8)
        for button in (self.create_button, self.demo_button, self.restore_button):
            inner.addWidget(button)

        outer = QVBoxLayout(self)
        outer.addStretch(1)
        outer.addWidget(card, 0, Qt.AlignmentFlag.AlignHCenter)
        outer.addStretch(2)
        self.setMinimumSize(720, 560)
        self.retranslate()

    def _choice(self, name: str, signal: SignalInstance) -> QPushButton:
        """A large button with a bold title and a wrapped one-line explanation under it."""
        button = QPushButton()
        button.setObjectName(name)
        set_role(button, "choice")
        button.clicked.connect(signal.emit)
        title = QLabel()
        title.setObjectName(f"{name}Title")
        bold(title, 12)
        title.setWordWrap(True)
        text = QLabel()
        text.setObjectName(f"{name}Text")
        text.setWordWrap(True)
        set_role(text, "hint")
        for label in (title, text):
            # Clicks must reach the button underneath.
            label.setAttribute(Qt.WidgetAttribute.WA_TransparentForMouseEvents, True)
            label.setStyleSheet("background: transparent;")
        inner = QVBoxLayout(button)
        inner.setContentsMargins(18, 12, 18, 12)
        inner.setSpacing(2)
        inner.addWidget(title)
        inner.addWidget(text)
        self._choice_labels[name] = (title, text)
        return button

    def _set_choice(self, button: QPushButton, title: str, text: str) -> None:
        title_label, text_label = self._choice_labels[button.objectName()]
        title_label.setText(title)
        text_label.setText(text)

    def retranslate(self) -> None:
        self.setWindowTitle(_("Clinic Desktop"))
        self.title.setText(_("Welcome to Clinic Desktop"))
        self.subtitle.setText(
            _("There is no clinic on this computer yet. What would you like to do?")
        )
        self._language_label.setText(_("Language"))
        self._set_choice(
            self.create_button,
            _("Create my clinic"),
            _("Set up your clinic, its invoice numbering and your account."),
        )
        self._set_choice(
            self.demo_button,
            _("Try with demo data"),
            _("Look around a sample clinic with invented patients and users."),
        )
        self._set_choice(
            self.restore_button,
            _("Restore a backup onto this computer"),
            _("Continue with your clinic's data from a backup file and its recovery key."),
        )

    def closeEvent(self, event: QCloseEvent) -> None:
        super().closeEvent(event)
        self.closed.emit()
