"""The shell around every screen: a top bar (clinic, who is signed in, switch user, the user
menu), a navigation list with only the areas the signed-in person may use, a page stack, and a
status bar with the last verified backup. It also owns the idle lock (the lock screen replaces
the shell in a stack, so the pages underneath keep whatever was typed) and the daily backup
check. Pages follow one contract: `Page(ctx, parent)` and `refresh()`, called when shown."""

from __future__ import annotations

import dataclasses
import logging
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime

from PySide6.QtCore import QTimer, Signal
from PySide6.QtGui import QAction, QActionGroup, QCloseEvent
from PySide6.QtWidgets import (
    QApplication,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QMainWindow,
    QMenu,
    QStackedWidget,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from clinic_desktop.actor import Actor
from clinic_desktop.i18n import LANGUAGES, _, current_language, set_language
from clinic_desktop.services import auth, backups, settings
from clinic_desktop.services.access import role_label
from clinic_desktop.services.dto import BackupStatus, SignedInUser
from clinic_desktop.ui.agenda.page import AgendaPage
from clinic_desktop.ui.audit.page import AuditPage
from clinic_desktop.ui.backups.page import BackupsPage
from clinic_desktop.ui.billing.page import BillingPage
from clinic_desktop.ui.context import UiContext
from clinic_desktop.ui.dashboard.page import DashboardPage
from clinic_desktop.ui.home.page import AreaInfo, HomePage
from clinic_desktop.ui.home.stock_button import StockAlertsButton
from clinic_desktop.ui.inventory.page import InventoryPage
from clinic_desktop.ui.patients.page import PatientsPage
from clinic_desktop.ui.schedules.page import SchedulesPage
from clinic_desktop.ui.settings.page import SettingsPage
from clinic_desktop.ui.signin.idle import IdleWatcher
from clinic_desktop.ui.signin.lock_screen import LockScreen
from clinic_desktop.ui.signin.password_dialog import ChangePasswordDialog
from clinic_desktop.ui.style import repolish, set_role
from clinic_desktop.ui.templates.page import TemplatesPage
from clinic_desktop.ui.trash.page import TrashPage
from clinic_desktop.ui.users.page import UsersPage
from clinic_desktop.ui.widgets.backup_status import describe_backup
from clinic_desktop.ui.widgets.language import save_language
from clinic_desktop.ui.widgets.messages import show_info

log = logging.getLogger(__name__)

BACKUP_CHECK_MS = 5 * 60 * 1000
FIRST_BACKUP_CHECK_MS = 60 * 1000


@dataclass(frozen=True)
class Area:
    key: str
    permission: str | None
    factory: Callable[[UiContext], QWidget]
    title: str
    description: str


def _areas() -> list[Area]:
    """In navigation order; texts are translated when the shell is (re)built."""
    return [
        Area("agenda", "agenda.view", AgendaPage, _("Agenda"),
             _("Everyone's day, a practitioner's week, the month and the waiting room.")),
        Area("patients", "patients.read", PatientsPage, _("Patients"),
             _("Find patients, open their charts, keep their details and consents up to date.")),
        Area("billing", "billing.manage", BillingPage, _("Billing"),
             _("Invoices and credit notes, payments and balances, the day's cash close, "
               "expenses and finance reports.")),
        Area("dashboard", "reports.finance", DashboardPage, _("Dashboard"),
             _("Income against expenses, appointments and no-shows, top treatments, alerts.")),
        Area("inventory", None, InventoryPage, _("Inventory"),
             _("Products and stock, treatments and what they use, purchase orders, forecast.")),
        Area("templates", "clinical.write", TemplatesPage, _("Note templates"),
             _("Texts with prompts that pre-fill new clinical notes.")),
        Area("schedules", "schedule.manage", SchedulesPage, _("Schedules"),
             _("Practitioners' hours, time off, closures, rooms and appointment types.")),
        Area("users", "users.manage", UsersPage, _("Users"),
             _("Add people, give them roles, reset passwords and disable accounts.")),
        Area("audit", "audit.read", AuditPage, _("Audit trail"),
             _("See who did what and when, and check that the trail is intact.")),
        Area("trash", "trash.restore", TrashPage, _("Trash"),
             _("Bring back records that were deleted.")),
        Area("backups", "backup.run", BackupsPage, _("Backups"),
             _("Make a backup now, copy one to a USB stick, or restore one.")),
        Area("settings", "settings.manage", SettingsPage, _("Settings"),
             _("Idle lock, sign-in attempts, daily backup time and language.")),
    ]  # fmt: skip


class MainWindow(QMainWindow):
    signed_out = Signal()
    closed = Signal()  # by the user (not by signing out): the app ends

    def __init__(
        self,
        ctx: UiContext,
        *,
        idle_minutes: float | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setObjectName("MainWindow")
        self.ctx = ctx
        self.clinic = ctx.clinic
        self._pages: dict[str, QWidget] = {}
        self._area_keys: list[str] = []
        self._backup_running = False
        self._closing_for_sign_out = False
        self.lock_screen: LockScreen | None = None
        self._hidden_while_locked: list[QWidget] = []
        self._focus_before_lock: QWidget | None = None

        self._screens = QStackedWidget()
        self._screens.setObjectName("Screens")
        self.setCentralWidget(self._screens)
        self.backup_label = QLabel()
        self.backup_label.setObjectName("BackupStatusLabel")
        self.statusBar().addPermanentWidget(self.backup_label)
        self.shell: QWidget = QWidget()
        self._build_shell()

        self.idle = IdleWatcher(minutes=idle_minutes or 10, parent=self)
        self.idle.idle_reached.connect(self.lock_now)
        self.idle.start()
        if idle_minutes is None:
            self._load_idle_minutes()
        self._backup_timer = QTimer(self)
        self._backup_timer.setInterval(BACKUP_CHECK_MS)
        self._backup_timer.timeout.connect(self.check_scheduled_backup)
        self._backup_timer.start()
        QTimer.singleShot(FIRST_BACKUP_CHECK_MS, self.check_scheduled_backup)

        ctx.bridge.backup_completed.connect(self._on_bridge_backup_completed)
        ctx.bridge.settings_changed.connect(self._on_bridge_settings_changed)
        ctx.bridge.users_changed.connect(self._on_bridge_users_changed)
        ctx.bridge.chart_requested.connect(self.open_chart)
        self.resize(1280, 800)
        self.setMinimumSize(960, 600)

    # -- building ---------------------------------------------------------------------------

    def _build_shell(self, *, select: str | None = None) -> None:
        """(Re)builds the shell for the current user and language; pages start afresh. After
        signing in (no `select`) the agenda opens for those who may see it, else home."""
        old = self.shell
        self._pages.clear()
        self.setWindowTitle(_("{clinic} — Clinic Desktop").format(clinic=self.clinic.name))
        self.shell = QWidget()
        self.shell.setObjectName("Shell")
        self.nav = QListWidget()
        self.nav.setObjectName("NavigationList")
        self.nav.setFixedWidth(220)
        self.pages = QStackedWidget()
        self.pages.setObjectName("PageStack")
        allowed = [a for a in _areas() if a.permission is None or self.ctx.can(a.permission)]
        self.home = HomePage(
            self.ctx, areas=[AreaInfo(a.key, a.title, a.description) for a in allowed]
        )
        self.home.area_requested.connect(self.show_area)
        self._factories: dict[str, Callable[[UiContext], QWidget]] = {}
        self._area_keys = ["home"]
        self.nav.addItem(QListWidgetItem(_("Home")))
        self._add_page("home", self.home)
        for area in allowed:
            self._area_keys.append(area.key)
            self._factories[area.key] = area.factory
            self.nav.addItem(QListWidgetItem(area.title))
        self.nav.currentRowChanged.connect(self._on_nav_current_row_changed)

        body = QHBoxLayout()
        body.setContentsMargins(0, 0, 0, 0)
        body.setSpacing(0)
        body.addWidget(self.nav)
        body.addWidget(self.pages, 1)
        column = QVBoxLayout(self.shell)
        column.setContentsMargins(0, 0, 0, 0)
        column.setSpacing(0)
        column.addWidget(self._build_top_bar())
        column.addLayout(body, 1)
        self._screens.insertWidget(0, self.shell)
        self._screens.setCurrentWidget(self.shell)
        if old is not None and old is not self.shell:
            self._screens.removeWidget(old)
            old.deleteLater()
        if select is None:
            select = "agenda" if "agenda" in self._area_keys else "home"
        self.show_area(select if select in self._area_keys else "home")
        self.refresh_backup_status()

    def _build_top_bar(self) -> QWidget:
        bar = QWidget()
        bar.setObjectName("TopBar")
        bar.setAutoFillBackground(True)
        user = self.ctx.user
        self.clinic_label = QLabel(self.clinic.name)
        self.clinic_label.setObjectName("ClinicNameLabel")
        roles = ", ".join(role_label(r) for r in user.roles)
        self.user_label = QLabel(
            _("{name} · {roles}").format(name=user.full_name or user.username, roles=roles)
        )
        self.user_label.setObjectName("UserLabel")
        self.switch_button = QToolButton()
        self.switch_button.setObjectName("SwitchUserButton")
        self.switch_button.setText(_("Switch user"))
        set_role(self.switch_button, "topbar")
        self.switch_button.clicked.connect(self.switch_user)

        menu = QMenu(bar)
        menu.setObjectName("UserMenu")
        self.lock_action = menu.addAction(_("Lock now"))
        self.lock_action.triggered.connect(lambda: self.lock_now())
        self.change_password_action = menu.addAction(_("Change password…"))
        self.change_password_action.triggered.connect(self.change_password)
        language_menu = menu.addMenu(_("Language"))
        group = QActionGroup(language_menu)
        self.language_actions: dict[str, QAction] = {}
        for code, name in LANGUAGES.items():
            action = language_menu.addAction(name)
            action.setCheckable(True)
            action.setChecked(code == current_language())
            action.triggered.connect(lambda _c=False, lang=code: self.change_language(lang))
            group.addAction(action)
            self.language_actions[code] = action
        menu.addSeparator()
        self.sign_out_action = menu.addAction(_("Sign out"))
        self.sign_out_action.triggered.connect(self.sign_out)
        self.user_menu_button = QToolButton()
        self.user_menu_button.setObjectName("UserMenuButton")
        self.user_menu_button.setText(_("My account ▾"))
        set_role(self.user_menu_button, "topbar")
        self.user_menu_button.setPopupMode(QToolButton.ToolButtonPopupMode.InstantPopup)
        self.user_menu_button.setMenu(menu)

        layout = QHBoxLayout(bar)
        layout.setContentsMargins(18, 10, 12, 10)
        layout.setSpacing(12)
        layout.addWidget(self.clinic_label)
        layout.addStretch(1)
        self.stock_button = StockAlertsButton(self.ctx, bar)
        self.stock_button.clicked.connect(lambda: self.show_area("inventory"))
        if "inventory" in self._area_keys:
            self.stock_button.refresh()
        layout.addWidget(self.stock_button)
        layout.addWidget(self.user_label)
        layout.addWidget(self.switch_button)
        layout.addWidget(self.user_menu_button)
        return bar

    def _add_page(self, key: str, page: QWidget) -> None:
        self._pages[key] = page
        self.pages.addWidget(page)

    # -- navigation ---------------------------------------------------------------------------

    @property
    def area_keys(self) -> list[str]:
        """The areas this user sees, in order (tests and the home page use it)."""
        return list(self._area_keys)

    def show_area(self, key: str) -> None:
        if key not in self._area_keys:
            return
        row = self._area_keys.index(key)
        if self.nav.currentRow() != row:
            self.nav.setCurrentRow(row)  # comes back through _on_nav_current_row_changed
            return
        page = self._pages.get(key)
        if page is None:
            page = self._factories[key](self.ctx)
            self._add_page(key, page)
        self.pages.setCurrentWidget(page)
        refresh = getattr(page, "refresh", None)
        if callable(refresh):
            refresh()

    def open_chart(self, patient_id: uuid.UUID, encounter_id: uuid.UUID | None = None) -> None:
        """Goes to the patients area and opens the chart (at a note, when given)."""
        self.show_area("patients")
        page = self._pages.get("patients")
        if isinstance(page, PatientsPage):
            page.open_chart(patient_id, encounter_id)

    def current_area(self) -> str:
        row = self.nav.currentRow()
        return self._area_keys[row] if 0 <= row < len(self._area_keys) else "home"

    def page(self, key: str) -> QWidget | None:
        return self._pages.get(key)

    def _on_nav_current_row_changed(self, row: int) -> None:
        if 0 <= row < len(self._area_keys):
            self.show_area(self._area_keys[row])

    # -- lock, switch user, sign out -----------------------------------------------------------

    @property
    def is_locked(self) -> bool:
        return self.lock_screen is not None

    def lock_now(self, *, switch_user: bool = False) -> None:
        """Hides the shell behind the lock screen; the pages (and what was typed) stay."""
        if self.lock_screen is None:
            self._focus_before_lock = self.focusWidget()
            # Dialogs are windows of their own and would stay usable above the lock screen.
            self._hidden_while_locked = self._open_dialogs()
            for dialog in self._hidden_while_locked:
                dialog.hide()
            self.lock_screen = LockScreen(
                db=self.ctx.db,
                runner=self.ctx.runner,
                user=self.ctx.user,
                clinic_name=self.clinic.name,
                is_demo=self.clinic.is_demo,
            )
            self.lock_screen.unlocked.connect(self._on_lock_unlocked)
            self.lock_screen.switched.connect(self._on_lock_switched)
            self._screens.addWidget(self.lock_screen)
            self._screens.setCurrentWidget(self.lock_screen)
            self.idle.paused = True
        if switch_user:
            self.lock_screen.show_switch_user()
        else:
            self.lock_screen.show_locked()

    def switch_user(self) -> None:
        self.lock_now(switch_user=True)

    def _remove_lock_screen(self) -> None:
        if self.lock_screen is not None:
            self._screens.removeWidget(self.lock_screen)
            self.lock_screen.deleteLater()
            self.lock_screen = None
        self._screens.setCurrentWidget(self.shell)
        self.idle.resume()

    def _open_dialogs(self) -> list[QWidget]:
        """Visible windows opened from this one (editors, confirmations), at any depth."""
        found: list[QWidget] = []
        for widget in QApplication.topLevelWidgets():
            if widget is self or not widget.isVisible():
                continue
            parent = widget.parentWidget()
            while parent is not None and parent is not self:
                parent = parent.parentWidget()
            if parent is self:
                found.append(widget)
        return found

    def _on_lock_unlocked(self, user: SignedInUser) -> None:
        self._remove_lock_screen()
        for dialog in self._hidden_while_locked:  # the same person: back as it was
            dialog.show()
        self._hidden_while_locked = []
        self._apply_user(user)
        if self._focus_before_lock is not None:
            self._focus_before_lock.setFocus()

    def _on_lock_switched(self, user: SignedInUser) -> None:
        # Another person: the previous one's open forms must neither show nor save as them.
        for dialog in self._hidden_while_locked:
            dialog.close()
            dialog.deleteLater()
        self._hidden_while_locked = []
        previous, db = self.ctx.actor, self.ctx.db
        self.ctx.runner.run(lambda: auth.sign_out(db.uow(), actor=previous))
        self._remove_lock_screen()
        self.ctx = dataclasses.replace(self.ctx, user=user)
        self._build_shell()
        if user.must_change_password:
            self.change_password(forced=True)

    def _apply_user(self, user: SignedInUser) -> None:
        """The same person, perhaps with changed roles: rebuild only if what they see changed."""
        changed = (user.roles, user.permissions) != (self.ctx.user.roles, self.ctx.user.permissions)
        self.ctx = dataclasses.replace(self.ctx, user=user)
        if changed:
            self._build_shell(select=self.current_area())

    def change_password(self, *, forced: bool = False) -> None:
        dialog = ChangePasswordDialog(
            db=self.ctx.db, runner=self.ctx.runner, actor=self.ctx.actor, forced=forced,
            parent=self,
        )  # fmt: skip
        self.password_dialog = dialog
        dialog.password_changed.connect(
            lambda: show_info(self, _("Your password was changed."), title=_("Password changed"))
        )
        if forced:
            dialog.rejected.connect(self.sign_out)
        dialog.open()

    def sign_out(self) -> None:
        actor, db = self.ctx.actor, self.ctx.db
        self.ctx.runner.run(lambda: auth.sign_out(db.uow(), actor=actor))
        self.shut_down()
        self.signed_out.emit()
        self.close()

    def change_language(self, language: str) -> None:
        if language == current_language():
            return
        set_language(language)
        save_language(self.ctx.paths, language)
        self._build_shell(select=self.current_area())

    def closeEvent(self, event: QCloseEvent) -> None:
        by_user = not self._closing_for_sign_out
        if by_user:
            actor, db = self.ctx.actor, self.ctx.db
            self.ctx.runner.run(lambda: auth.sign_out(db.uow(), actor=actor))
        self.shut_down()
        super().closeEvent(event)
        if by_user:
            self.closed.emit()

    def shut_down(self) -> None:
        """Stops the timers; after a restore the app replaces this window without a sign-out."""
        self._closing_for_sign_out = True
        self.idle.stop()
        self._backup_timer.stop()

    # -- backups and settings -----------------------------------------------------------------

    def refresh_backup_status(self) -> None:
        ctx = self.ctx
        ctx.runner.run(
            lambda: backups.backup_status(ctx.uow(), actor=ctx.actor),
            on_done=self._show_backup_status,
            on_error=self.backup_label.setText,
        )

    def _show_backup_status(self, status: BackupStatus) -> None:
        text, level = describe_backup(status, self.clinic.timezone)
        self.backup_label.setText(text)
        self.backup_label.setProperty("level", level)
        repolish(self.backup_label)

    def check_scheduled_backup(self, now: datetime | None = None) -> None:
        """Asks whether today's backup is due and, if so, makes it in the background."""
        if self._backup_running:
            return
        db = self.ctx.db
        system = Actor.system("scheduler")
        moment = now or datetime.now(UTC)

        def run() -> object:
            if not backups.scheduled_backup_due(db.uow(), actor=system, now=moment):
                return None
            return backups.make_backup(db, actor=system, kind="scheduled")

        self._backup_running = True
        self.ctx.runner.run(
            run, on_done=self._on_scheduled_done, on_error=self._on_scheduled_failed
        )

    def _on_scheduled_done(self, result: object) -> None:
        self._backup_running = False
        if result is not None:
            log.info("scheduled backup made")

    def _on_scheduled_failed(self, message: str) -> None:
        self._backup_running = False
        # Never interrupt the person at the desk; the status bar keeps warning until it works.
        self.statusBar().showMessage(
            _("The daily backup failed: {reason}").format(reason=message), 60_000
        )

    def _on_bridge_backup_completed(self, _event: object) -> None:
        self.refresh_backup_status()

    def _load_idle_minutes(self) -> None:
        ctx = self.ctx
        ctx.runner.run(
            lambda: settings.get_settings(ctx.uow(), actor=ctx.actor),
            on_done=lambda values: self.idle.set_minutes(
                float(values["security.idle_lock_minutes"])
            ),
        )

    def _on_bridge_settings_changed(self, _event: object) -> None:
        self._load_idle_minutes()

    def _on_bridge_users_changed(self, _event: object) -> None:
        ctx = self.ctx
        ctx.runner.run(
            lambda: auth.refresh_signed_in(ctx.uow(), user_id=ctx.user.id),
            on_done=self._on_user_refreshed,
            on_error=self._on_account_inactive,
        )

    def _on_user_refreshed(self, user: object) -> None:
        if isinstance(user, SignedInUser) and not self.is_locked:
            self._apply_user(user)

    def _on_account_inactive(self, message: str) -> None:
        # Disabled or deleted by an owner meanwhile: nothing more may be done in this session.
        show_info(self, message, title=_("Signed out"))
        self.sign_out()
