"""The box that tells a newcomer trying the demo clinic which accounts exist: one per role,
all with the same printed password. Clicking an account fills the sign-in form with it."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtWidgets import QFrame, QGridLayout, QLabel, QPushButton, QVBoxLayout, QWidget

from clinic_desktop.i18n import _
from clinic_desktop.services.demo_accounts import DEMO_ACCOUNTS, DEMO_PASSWORD
from clinic_desktop.services.labels import role_label
from clinic_desktop.ui.style import bold, mono_font, set_role


class DemoAccountsHint(QFrame):
    def __init__(self, on_pick: Callable[[str, str], None], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("DemoAccountsHint")
        set_role(self, "banner-info")
        self._on_pick = on_pick
        layout = QVBoxLayout(self)
        layout.setContentsMargins(14, 12, 14, 12)
        layout.setSpacing(6)
        self._title = QLabel()
        self._title.setStyleSheet("background: transparent;")
        bold(self._title)
        self._intro = QLabel()
        self._intro.setWordWrap(True)
        self._intro.setStyleSheet("background: transparent;")
        layout.addWidget(self._title)
        layout.addWidget(self._intro)
        grid = QGridLayout()
        grid.setHorizontalSpacing(14)
        grid.setVerticalSpacing(2)
        self._role_labels: list[tuple[QLabel, str]] = []
        for row, account in enumerate(DEMO_ACCOUNTS):
            button = QPushButton(account.username)
            button.setObjectName(f"DemoAccount_{account.username}")
            button.setFont(mono_font(10))
            set_role(button, "link")
            button.clicked.connect(
                lambda _checked=False, name=account.username: self._on_pick(name, DEMO_PASSWORD)
            )
            role = QLabel()
            role.setStyleSheet("background: transparent;")
            bold(role)
            self._role_labels.append((role, account.role))
            person = QLabel(account.full_name)
            person.setStyleSheet("background: transparent;")
            grid.addWidget(button, row, 0)
            grid.addWidget(role, row, 1)
            grid.addWidget(person, row, 2)
        grid.setColumnStretch(2, 1)
        layout.addLayout(grid)
        self._password = QLabel()
        self._password.setObjectName("DemoPasswordLabel")
        self._password.setStyleSheet("background: transparent;")
        layout.addWidget(self._password)
        self.retranslate()

    def retranslate(self) -> None:
        self._title.setText(_("This is the demo clinic"))
        self._intro.setText(
            _("Sign in as any of these people to see what each role can do. Click one to fill in.")
        )
        for label, role in self._role_labels:
            label.setText(role_label(role))
        self._password.setText(
            _("Password for every account: {password}").format(password=DEMO_PASSWORD)
        )
