"""The users screen (users.manage): every account with its roles and status, the actions an
owner takes on one (new, edit, reset password, disable or enable, move to trash), and a second
tab with the role × permission matrix. Refreshes itself when any account changes."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QItemSelection, QSortFilterProxyModel, Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHBoxLayout,
    QHeaderView,
    QLineEdit,
    QPushButton,
    QTableView,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from clinic_desktop.i18n import _
from clinic_desktop.services.access import role_label
from clinic_desktop.services.dto import UserDTO
from clinic_desktop.services.users import (
    delete_user,
    list_users,
    reset_password,
    set_user_disabled,
)
from clinic_desktop.ui.context import UiContext
from clinic_desktop.ui.users.editor import TemporaryPasswordDialog, UserEditorDialog
from clinic_desktop.ui.users.grants import GrantsTab
from clinic_desktop.ui.widgets import screen_kit
from clinic_desktop.ui.widgets.screen_kit import Column, ListTableModel, MessageBanner, format_when


class UsersPage(QWidget):
    def __init__(self, ctx: UiContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._ctx = ctx
        self._zone = ctx.clinic.timezone  # times are shown in the clinic's zone
        self.setObjectName("UsersPage")
        self.setWindowTitle(self.title())
        # Kept so tests (and a second click) reach the dialog that is open right now.
        self.editor: UserEditorDialog | None = None
        self.password_dialog: TemporaryPasswordDialog | None = None

        self.banner = MessageBanner("UsersMessage", self)
        self.search_edit = QLineEdit(self)
        self.search_edit.setObjectName("UsersSearchEdit")
        self.search_edit.setPlaceholderText(_("Search by name or user name"))
        self.search_edit.setClearButtonEnabled(True)
        self.new_button = self._button("NewUserButton", _("New user…"), self._on_new_clicked)
        self.edit_button = self._button("EditUserButton", _("Edit…"), self._on_edit_clicked)
        self.reset_button = self._button(
            "ResetPasswordButton", _("Reset password…"), self._on_reset_clicked
        )
        self.disable_button = self._button(
            "DisableUserButton", _("Disable"), self._on_disable_clicked
        )
        self.trash_button = self._button(
            "TrashUserButton", _("Move to trash…"), self._on_trash_clicked
        )

        self.model: ListTableModel[UserDTO] = ListTableModel(
            [
                Column(_("Name"), lambda u: u.full_name),
                Column(_("User name"), lambda u: u.username),
                Column(_("Roles"), lambda u: ", ".join(role_label(r) for r in u.roles)),
                Column(_("Status"), self._status_text),
                Column(_("Last sign-in"), lambda u: format_when(u.last_sign_in_at, self._zone)),
            ],
            self,
        )
        self.proxy = QSortFilterProxyModel(self)
        self.proxy.setSourceModel(self.model)
        self.proxy.setFilterCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
        self.proxy.setFilterKeyColumn(-1)
        self.search_edit.textChanged.connect(self.proxy.setFilterFixedString)
        self.table = QTableView(self)
        self.table.setObjectName("UsersTable")
        self.table.setModel(self.proxy)
        self.table.setSortingEnabled(True)
        self.table.sortByColumn(0, Qt.SortOrder.AscendingOrder)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setAlternatingRowColors(True)
        self.table.verticalHeader().hide()
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        header.setStretchLastSection(True)
        self.table.doubleClicked.connect(self._on_table_double_clicked)
        self.table.selectionModel().selectionChanged.connect(self._on_selection_changed)

        actions = QHBoxLayout()
        actions.addWidget(self.search_edit, 1)
        for button in (
            self.new_button,
            self.edit_button,
            self.reset_button,
            self.disable_button,
            self.trash_button,
        ):
            actions.addWidget(button)
        users_tab = QWidget(self)
        users_layout = QVBoxLayout(users_tab)
        users_layout.addLayout(actions)
        users_layout.addWidget(self.banner)
        users_layout.addWidget(self.table, 1)

        self.grants_tab = GrantsTab(ctx, self)
        self.tabs = QTabWidget(self)
        self.tabs.setObjectName("UsersTabs")
        self.tabs.addTab(users_tab, _("Users"))
        self.tabs.addTab(self.grants_tab, _("Role permissions"))
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.tabs)

        ctx.bridge.users_changed.connect(self._on_bridge_users_changed)
        self._update_buttons()

    def title(self) -> str:
        return _("Users")

    def _button(self, name: str, text: str, slot: Any) -> QPushButton:
        button = QPushButton(text, self)
        button.setObjectName(name)
        button.clicked.connect(slot)
        return button

    def _status_text(self, user: UserDTO) -> str:
        if user.disabled:
            return _("Disabled")
        if user.locked_until is not None:
            return _("Locked until {time}").format(time=format_when(user.locked_until, self._zone))
        if user.must_change_password:
            return _("Active · temporary password")
        return _("Active")

    # -- data ------------------------------------------------------------------------------

    def refresh(self) -> None:
        ctx = self._ctx
        ctx.runner.run(
            lambda: list_users(ctx.uow(), actor=ctx.actor),
            on_done=self._on_list_done,
            on_error=self._show_error,
            parent=self,
        )
        self.grants_tab.refresh()

    def _on_list_done(self, users: list[UserDTO]) -> None:
        selected = self.selected_user()
        self.model.set_rows(users)
        self.table.resizeColumnsToContents()
        if selected is not None:
            self.select_user(selected.username)
        self._update_buttons()

    def _show_error(self, message: str) -> None:
        self.banner.show_message(message, "error")

    def _on_bridge_users_changed(self, _event: object) -> None:
        self.refresh()

    # -- selection -------------------------------------------------------------------------

    def selected_user(self) -> UserDTO | None:
        rows = self.table.selectionModel().selectedRows()
        if not rows:
            return None
        return self.model.row_at(self.proxy.mapToSource(rows[0]).row())

    def select_user(self, username: str) -> bool:
        for row, user in enumerate(self.model.rows()):
            if user.username == username:
                index = self.proxy.mapFromSource(self.model.index(row, 0))
                self.table.selectRow(index.row())
                return True
        return False

    def _on_selection_changed(self, _selected: QItemSelection, _deselected: QItemSelection) -> None:
        self._update_buttons()

    def _update_buttons(self) -> None:
        user = self.selected_user()
        for button in (self.edit_button, self.reset_button, self.disable_button, self.trash_button):
            button.setEnabled(user is not None)
        own = user is not None and user.id == self._ctx.user.id
        self.disable_button.setText(_("Enable") if user and user.disabled else _("Disable"))
        # The service refuses these too; greying them out saves a pointless click.
        self.disable_button.setEnabled(user is not None and not own)
        self.trash_button.setEnabled(user is not None and not own)

    # -- actions ---------------------------------------------------------------------------

    def open_editor(self, user: UserDTO | None) -> UserEditorDialog:
        """Opens the editor window-modally without blocking (tests drive it directly)."""
        self.banner.clear_message()
        dialog = UserEditorDialog(self._ctx, user, self)
        dialog.created.connect(self._on_editor_created)
        dialog.saved.connect(self._on_editor_saved)
        self.editor = dialog
        dialog.open()
        return dialog

    def _on_new_clicked(self) -> None:
        self.open_editor(None)

    def _on_edit_clicked(self) -> None:
        user = self.selected_user()
        if user is not None:
            self.open_editor(user)

    def _on_table_double_clicked(self, _index: object) -> None:
        self._on_edit_clicked()

    def _on_editor_saved(self, user: UserDTO) -> None:
        self.banner.show_message(_("Saved {name}.").format(name=user.full_name), "ok")
        self.refresh()
        self.select_user(user.username)

    def _on_editor_created(self, user: UserDTO, password: str) -> None:
        self.show_temporary_password(user.full_name, password)

    def show_temporary_password(self, full_name: str, password: str) -> TemporaryPasswordDialog:
        dialog = TemporaryPasswordDialog(full_name, password, self)
        self.password_dialog = dialog
        dialog.open()
        return dialog

    def _on_reset_clicked(self) -> None:
        user = self.selected_user()
        if user is None or not screen_kit.confirm(
            self,
            _("Reset password"),
            _(
                "{name} will get a new temporary password and must choose their own at the "
                "next sign-in. Their current password stops working now."
            ).format(name=user.full_name),
            _("Reset password"),
        ):
            return
        ctx = self._ctx
        ctx.runner.run(
            lambda: reset_password(ctx.uow(), actor=ctx.actor, user_id=user.id),
            on_done=lambda password: self._on_reset_done(user.full_name, password),
            on_error=self._show_error,
            parent=self,
        )

    def _on_reset_done(self, full_name: str, password: str) -> None:
        self.show_temporary_password(full_name, password)

    def _on_disable_clicked(self) -> None:
        user = self.selected_user()
        if user is None:
            return
        disable = not user.disabled
        if disable and not screen_kit.confirm(
            self,
            _("Disable account"),
            _("{name} will not be able to sign in until the account is enabled again.").format(
                name=user.full_name
            ),
            _("Disable"),
        ):
            return
        ctx = self._ctx
        ctx.runner.run(
            lambda: set_user_disabled(
                ctx.uow(), actor=ctx.actor, user_id=user.id, disabled=disable
            ),
            on_done=lambda dto: self._after_action(
                (_("{name} is disabled.") if disable else _("{name} is enabled again.")).format(
                    name=dto.full_name
                )
            ),
            on_error=self._show_error,
            parent=self,
        )

    def _on_trash_clicked(self) -> None:
        user = self.selected_user()
        if user is None or not screen_kit.confirm(
            self,
            _("Move to trash"),
            _(
                "{name} will no longer be able to sign in. Their history is kept, and an owner "
                "can restore the account from the trash."
            ).format(name=user.full_name),
            _("Move to trash"),
        ):
            return
        ctx = self._ctx
        ctx.runner.run(
            lambda: delete_user(ctx.uow(), actor=ctx.actor, user_id=user.id),
            on_done=lambda _result: self._after_action(
                _("{name} was moved to the trash.").format(name=user.full_name)
            ),
            on_error=self._show_error,
            parent=self,
        )

    def _after_action(self, message: str) -> None:
        self.refresh()
        self.banner.show_message(message, "ok")
