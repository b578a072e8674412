"""The first window most people see each day: the clinic's name, user name and password, a
language selector that switches at once, and for the demo clinic the list of sample accounts.
It emits `signed_in` with the SignedInUser; the app decides what comes next (a forced password
change, then the main window)."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QDialog, QHBoxLayout, QLabel, QVBoxLayout, QWidget

from clinic_desktop.config import AppPaths
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

    def __init__(
        self,
        *,
        db: Any,
        paths: AppPaths,
        runner: Runner,
        clinic: ClinicDTO,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setObjectName("SignInDialog")
        self.setWindowFlag(Qt.WindowType.WindowContextHelpButtonHint, False)
        self._clinic = clinic

        self.clinic_label = QLabel(clinic.name)
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
        layout.setContentsMargins(32, 20, 32, 28)
        layout.setSpacing(14)
        layout.addLayout(top)
        layout.addWidget(self.clinic_label)
        layout.addWidget(self._subtitle)
        layout.addSpacing(6)
        layout.addWidget(self.form)
        if clinic.is_demo:
            self.demo_hint = DemoAccountsHint(self.form.fill)
            layout.addSpacing(6)
            layout.addWidget(self.demo_hint)
        layout.addStretch(1)
        self.retranslate()
        self.form.focus_first_empty()

    def retranslate(self) -> None:
        self.setWindowTitle(_("Sign in — {clinic}").format(clinic=self._clinic.name))
        self._subtitle.setText(_("Sign in with your user name and password."))
        self._language_label.setText(_("Language"))
        self.form.retranslate()
        if self.demo_hint is not None:
            self.demo_hint.retranslate()
        fit_width(self, 560)  # the other language's texts may need more room

    def _on_language_changed(self, language: str) -> None:
        self.retranslate()
        self.language_changed.emit(language)

    def _on_form_signed_in(self, user: SignedInUser) -> None:
        self.signed_in.emit(user)
        self.accept()
