"""The first window most people see each day: the clinic's name, user name and password, a
language selector that switches at once, and for the demo clinic the list of sample accounts.
It emits `signed_in` with the SignedInUser; the app decides what comes next (a forced password
change, then the main window)."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtGui import QPaintEvent
from PySide6.QtWidgets import QDialog, QHBoxLayout, QLabel, QVBoxLayout, QWidget

from clinic_desktop.config import AppPaths, read_preferences
from clinic_desktop.i18n import _
from clinic_desktop.services.dto import ClinicDTO, SignedInUser
from clinic_desktop.ui.ops import Runner
from clinic_desktop.ui.signin.demo_hint import DemoAccountsHint
from clinic_desktop.ui.signin.form import SignInForm
from clinic_desktop.ui.style import set_role
from clinic_desktop.ui.widgets.language import LanguageCombo
from clinic_desktop.ui.widgets.messages import fit_width


class SignInDialog(QDialog):
    signed_in = Signal(object)  # SignedInUser
    language_changed = Signal(str)
    first_painted = Signal()

    def __init__(
        self,
        *,
        db: Any,
        paths: AppPaths,
        runner: Runner,
        clinic: ClinicDTO | None,
        parent: QWidget | None = None,
    ) -> None:
        """With `clinic` None the window opens at once from the remembered name and becomes
        usable when the app calls set_clinic() (the data is still being unlocked)."""
        super().__init__(parent)
        self.setObjectName("SignInDialog")
        self.setWindowFlag(Qt.WindowType.WindowContextHelpButtonHint, False)
        remembered = read_preferences(paths)
        self._clinic_name = clinic.name if clinic else str(remembered.get("clinic_name", ""))
        is_demo = clinic.is_demo if clinic else bool(remembered.get("clinic_is_demo", False))
        self._painted = False

        self.clinic_label = QLabel(self._clinic_name)
        self.clinic_label.setObjectName("ClinicNameLabel")
        set_role(self.clinic_label, "title")
        self.clinic_label.setWordWrap(True)
        self._subtitle = QLabel()
        set_role(self._subtitle, "hint")
        self.language_combo = LanguageCombo(paths)
        self.language_combo.language_changed.connect(self._on_language_changed)
        self.form = SignInForm(db, runner)
        self.form.signed_in.connect(self._on_form_signed_in)
        self.demo_hint: DemoAccountsHint | None = None

        top = QHBoxLayout()
        top.addStretch(1)
        self._language_label = QLabel()
        set_role(self._language_label, "hint")
        top.addWidget(self._language_label)
        top.addWidget(self.language_combo)
        layout = QVBoxLayout(self)
        self._layout = layout
        layout.setContentsMargins(32, 20, 32, 28)
        layout.setSpacing(14)
        layout.addLayout(top)
        layout.addWidget(self.clinic_label)
        layout.addWidget(self._subtitle)
        layout.addSpacing(6)
        layout.addWidget(self.form)
        if is_demo:
            self.demo_hint = DemoAccountsHint(self.form.fill)
            layout.addSpacing(6)
            layout.addWidget(self.demo_hint)
        layout.addStretch(1)
        self.retranslate()
        self.form.focus_first_empty()

    def retranslate(self) -> None:
        self.setWindowTitle(_("Sign in — {clinic}").format(clinic=self._clinic_name))
        self._subtitle.setText(_("Sign in with your user name and password."))
        self._language_label.setText(_("Language"))
        self.form.retranslate()
        if self.demo_hint is not None:
            self.demo_hint.retranslate()
        fit_width(self, 560)  # the other language's texts may need more room

    def set_clinic(self, db: Any, clinic: ClinicDTO) -> None:
        """The clinic data is open: show its current name and allow signing in."""
        self._clinic_name = clinic.name
        self.clinic_label.setText(clinic.name)
        self.form.set_database(db)
        if clinic.is_demo and self.demo_hint is None:  # not remembered on this PC yet
            self.demo_hint = DemoAccountsHint(self.form.fill)
            self._layout.insertWidget(self._layout.count() - 1, self.demo_hint)
        self.retranslate()

    def paintEvent(self, event: QPaintEvent) -> None:
        super().paintEvent(event)
        if not self._painted:
            self._painted = True
            # Queued: the heavy start-up work begins only once this frame is on screen.
            QTimer.singleShot(0, self.first_painted.emit)

    def _on_language_changed(self, language: str) -> None:
        self.retranslate()
        self.language_changed.emit(language)

    def _on_form_signed_in(self, user: SignedInUser) -> None:
        self.signed_in.emit(user)
        self.accept()
