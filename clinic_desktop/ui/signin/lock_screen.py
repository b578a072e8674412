"""What covers the main window after idle minutes or "Switch user": the clinic data is hidden,
but every screen underneath stays alive, so text being typed is still there after unlocking.
The same person unlocks with their password (same lockout rules as signing in, because it is
services.auth.sign_in); "Switch user" turns the card into a full sign-in form for whoever sits
down next on a shared reception PC."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QFrame,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from clinic_desktop.i18n import _
from clinic_desktop.services.dto import SignedInUser
from clinic_desktop.ui.ops import Runner
from clinic_desktop.ui.signin.demo_hint import DemoAccountsHint
from clinic_desktop.ui.signin.form import SignInForm
from clinic_desktop.ui.style import set_role


class LockScreen(QWidget):
    unlocked = Signal(object)  # the same SignedInUser, refreshed
    switched = Signal(object)  # another SignedInUser

    LOCKED = 0
    SWITCHING = 1

    def __init__(
        self,
        *,
        db: Any,
        runner: Runner,
        user: SignedInUser,
        clinic_name: str,
        is_demo: bool = False,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setObjectName("LockScreen")
        self.setAttribute(Qt.WidgetAttribute.WA_StyledBackground, True)
        self._user = user

        card = QFrame()
        card.setObjectName("LockCard")
        set_role(card, "card")
        card.setMaximumWidth(560)
        card.setMinimumWidth(460)
        self.clinic_label = QLabel(clinic_name)
        set_role(self.clinic_label, "hint")
        self.title_label = QLabel()
        self.title_label.setObjectName("LockTitle")
        set_role(self.title_label, "title")
        self.message_label = QLabel()
        self.message_label.setObjectName("LockMessage")
        self.message_label.setWordWrap(True)

        self.unlock_form = SignInForm(db, runner, fixed_username=user.username)
        self.unlock_form.setObjectName("UnlockForm")
        self.unlock_form.sign_in_button.setText(_("Unlock"))
        self.unlock_form.signed_in.connect(self._on_signed_in)
        self.switch_form = SignInForm(db, runner)
        self.switch_form.setObjectName("SwitchUserForm")
        self.switch_form.signed_in.connect(self._on_signed_in)

        self.switch_button = QPushButton(_("Switch user"))
        self.switch_button.setObjectName("SwitchUserButton")
        self.switch_button.clicked.connect(self.show_switch_user)
        self.back_button = QPushButton(
            _("Back to {name}").format(name=user.full_name or user.username)
        )
        self.back_button.setObjectName("BackToUserButton")
        self.back_button.clicked.connect(self.show_locked)

        locked_page = QWidget()
        locked_layout = QVBoxLayout(locked_page)
        locked_layout.setContentsMargins(0, 0, 0, 0)
        locked_layout.addWidget(self.unlock_form)
        switch_row = QHBoxLayout()
        switch_row.addStretch(1)
        switch_row.addWidget(self.switch_button)
        locked_layout.addLayout(switch_row)

        switch_page = QWidget()
        switch_layout = QVBoxLayout(switch_page)
        switch_layout.setContentsMargins(0, 0, 0, 0)
        switch_layout.addWidget(self.switch_form)
        if is_demo:
            switch_layout.addWidget(DemoAccountsHint(self.switch_form.fill))
        back_row = QHBoxLayout()
        back_row.addStretch(1)
        back_row.addWidget(self.back_button)
        switch_layout.addLayout(back_row)

        # Two panels shown one at a time (not a stack: a stack is as tall as its tallest page).
        self._locked_page = locked_page
        self._switch_page = switch_page

        card_layout = QVBoxLayout(card)
        card_layout.setContentsMargins(32, 28, 32, 28)
        card_layout.setSpacing(12)
        card_layout.addWidget(self.clinic_label)
        card_layout.addWidget(self.title_label)
        card_layout.addWidget(self.message_label)
        card_layout.addSpacing(4)
        card_layout.addWidget(locked_page)
        card_layout.addWidget(switch_page)

        outer = QVBoxLayout(self)
        outer.addStretch(1)
        row = QHBoxLayout()
        row.addStretch(1)
        row.addWidget(card)
        row.addStretch(1)
        outer.addLayout(row)
        outer.addStretch(2)
        self.show_locked()

    @property
    def mode(self) -> int:
        return self.SWITCHING if self._switch_page.isVisibleTo(self) else self.LOCKED

    def show_locked(self) -> None:
        self._switch_page.hide()
        self._locked_page.show()
        self.title_label.setText(_("Session locked"))
        self.message_label.setText(
            _(
                "{name}, type your password to continue. Everything you were doing is kept "
                "as you left it."
            ).format(name=self._user.full_name or self._user.username)
        )
        self.unlock_form.reset()
        self.unlock_form.focus_first_empty()

    def show_switch_user(self) -> None:
        self._locked_page.hide()
        self._switch_page.show()
        self.title_label.setText(_("Switch user"))
        self.message_label.setText(_("Sign in as the person who will use this computer now."))
        self.switch_form.reset()
        self.switch_form.username_edit.clear()
        self.switch_form.focus_first_empty()

    def _on_signed_in(self, user: SignedInUser) -> None:
        if user.id == self._user.id:
            self.unlocked.emit(user)
        else:
            self.switched.emit(user)
