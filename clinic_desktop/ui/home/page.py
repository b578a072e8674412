"""The first page after signing in: a welcome with the person's name, the clinic, their roles,
the areas they can open (each one a button that opens it), what their roles allow, the
state of the backups and the stock alerts. It shows no patient data, so it is safe for every
role, including the IT administrator who must never read patient records."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QFrame,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from clinic_desktop.i18n import _
from clinic_desktop.services import backups
from clinic_desktop.services.access import permission_label, role_label
from clinic_desktop.services.dto import BackupStatus, ClinicDTO
from clinic_desktop.ui.context import UiContext
from clinic_desktop.ui.home.stock_card import StockAlertsCard
from clinic_desktop.ui.style import DANGER, INK, WARNING, bold, set_role
from clinic_desktop.ui.widgets.backup_status import describe_backup
from clinic_desktop.ui.widgets.banner import Banner

COUNTRY_NAMES = {"EC": "Ecuador", "ES": "España"}


@dataclass(frozen=True)
class AreaInfo:
    key: str
    title: str
    description: str


def _card(name: str, title: str) -> tuple[QFrame, QVBoxLayout]:
    card = QFrame()
    card.setObjectName(name)
    set_role(card, "card")
    layout = QVBoxLayout(card)
    layout.setContentsMargins(20, 16, 20, 18)
    layout.setSpacing(8)
    heading = QLabel(title)
    heading.setStyleSheet("background: transparent;")
    bold(heading, 13)
    layout.addWidget(heading)
    return card, layout


def _text(text: str, name: str = "") -> QLabel:
    label = QLabel(text)
    if name:
        label.setObjectName(name)
    label.setWordWrap(True)
    label.setStyleSheet("background: transparent;")
    return label


class HomePage(QWidget):
    area_requested = Signal(str)

    def __init__(
        self,
        ctx: UiContext,
        parent: QWidget | None = None,
        *,
        areas: Sequence[AreaInfo] = (),
    ) -> None:
        super().__init__(parent)
        self.setObjectName("HomePage")
        self._ctx = ctx
        self._areas = tuple(areas)
        self._clinic: ClinicDTO | None = None

        self.welcome_label = QLabel(
            _("Welcome, {name}").format(name=ctx.user.full_name or ctx.user.username)
        )
        self.welcome_label.setObjectName("WelcomeLabel")
        set_role(self.welcome_label, "title")
        self.clinic_label = _text("", "HomeClinicLabel")
        set_role(self.clinic_label, "hint")
        self.demo_banner = Banner(
            "DemoBanner",
            kind="info",
            title=_("This is demo data"),
            text=_(
                "The people and records in this clinic are invented, so you can try everything "
                "freely. To work with your own clinic, set it up on a new installation."
            ),
        )
        self.demo_banner.hide()

        roles_card, roles_layout = _card("RolesCard", _("Your roles"))
        roles = ", ".join(role_label(r) for r in ctx.user.roles) or _("No role assigned")
        self.roles_label = _text(roles, "RolesLabel")
        roles_layout.addWidget(self.roles_label)
        allowed = sorted(permission_label(p) for p in ctx.user.permissions)
        permissions = _text(
            _("Your roles allow: {permissions}.").format(permissions=", ".join(allowed))
            if allowed
            else _("Your roles do not grant any permission yet. Ask the clinic owner."),
            "PermissionsLabel",
        )
        set_role(permissions, "hint")
        roles_layout.addWidget(permissions)

        areas_card, areas_layout = _card("AreasCard", _("What you can do here"))
        grid = QGridLayout()
        grid.setHorizontalSpacing(14)
        grid.setVerticalSpacing(10)
        grid.setColumnStretch(1, 1)
        self.area_buttons: dict[str, QPushButton] = {}
        for row, area in enumerate(self._areas):
            button = QPushButton(area.title)
            button.setObjectName(f"HomeArea_{area.key}")
            button.setMinimumWidth(170)
            button.clicked.connect(lambda _c=False, key=area.key: self.area_requested.emit(key))
            self.area_buttons[area.key] = button
            grid.addWidget(button, row, 0)
            grid.addWidget(_text(area.description), row, 1)
        if not self._areas:
            areas_layout.addWidget(
                _text(_("This page shows your clinic and the state of its backups."))
            )
        areas_layout.addLayout(grid)

        backup_card, backup_layout = _card("BackupCard", _("Backups"))
        self.backup_label = _text("", "HomeBackupLabel")
        bold(self.backup_label)
        backup_layout.addWidget(self.backup_label)
        self.backup_hint = _text("", "HomeBackupHint")
        set_role(self.backup_hint, "hint")
        backup_layout.addWidget(self.backup_hint)
        backup_layout.addStretch(1)

        content = QWidget()
        content.setObjectName("HomeContent")
        content.setMaximumWidth(1000)
        column = QVBoxLayout(content)
        column.setContentsMargins(32, 28, 32, 28)
        column.setSpacing(16)
        column.addWidget(self.welcome_label)
        column.addWidget(self.clinic_label)
        column.addWidget(self.demo_banner)
        # Roles and backups side by side: both short, and the page then fits without scrolling.
        cards = QHBoxLayout()
        cards.setSpacing(16)
        cards.addWidget(roles_card, 3)
        cards.addWidget(backup_card, 2)
        column.addLayout(cards)
        # Stock alerts for whoever can open the inventory (it names products, not patients).
        self.stock_card: StockAlertsCard | None = None
        if any(area.key == "inventory" for area in self._areas):
            self.stock_card = StockAlertsCard(ctx, content)
            self.stock_card.open_requested.connect(lambda: self.area_requested.emit("inventory"))
            column.addWidget(self.stock_card)
        column.addWidget(areas_card)
        column.addStretch(1)

        holder = QWidget()
        holder_layout = QHBoxLayout(holder)
        holder_layout.setContentsMargins(0, 0, 0, 0)
        holder_layout.addStretch(1)
        holder_layout.addWidget(content, 100)
        holder_layout.addStretch(1)
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QFrame.Shape.NoFrame)
        scroll.setWidget(holder)
        outer = QVBoxLayout(self)
        outer.setContentsMargins(0, 0, 0, 0)
        outer.addWidget(scroll)

        ctx.bridge.backup_completed.connect(self._on_bridge_backup_completed)

    def refresh(self) -> None:
        self._show_clinic(self._ctx.clinic)
        if self.stock_card is not None:
            self.stock_card.refresh()

    def _show_clinic(self, clinic: ClinicDTO) -> None:
        self._clinic = clinic
        self.clinic_label.setText(
            _("{clinic} · {country} · Tax ID {tax_id}").format(
                clinic=clinic.name,
                country=COUNTRY_NAMES.get(clinic.country, clinic.country),
                tax_id=clinic.tax_id,
            )
        )
        self.demo_banner.setVisible(clinic.is_demo)
        self._load_backup_status()

    def _load_backup_status(self) -> None:
        ctx = self._ctx
        ctx.runner.run(
            lambda: backups.backup_status(ctx.uow(), actor=ctx.actor),
            on_done=self._show_backup_status,
            on_error=self.backup_label.setText,
        )

    def _show_backup_status(self, status: BackupStatus) -> None:
        timezone = self._clinic.timezone if self._clinic else "UTC"
        text, level = describe_backup(status, timezone)
        self.backup_label.setText(text)
        colour = {"ok": INK, "warning": WARNING, "danger": DANGER}[level]
        self.backup_label.setStyleSheet(f"background: transparent; color: {colour};")
        if level == "ok":
            hint = _("The clinic makes a verified backup every day while the application runs.")
        elif self._ctx.can("backup.run"):
            hint = _("Open Backups to make one now.")
        else:
            hint = _("Tell the clinic owner or the IT administrator.")
        self.backup_hint.setText(hint)

    def _on_bridge_backup_completed(self, _event: object) -> None:
        self._load_backup_status()
