"""The users screen against a real demo clinic: creating an account through the dialog,
stale edits, role permissions, disabling, resetting passwords and moving to the trash."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialog
from pytestqt.qtbot import QtBot
from ui.screens_helpers import make_ctx, settle

from clinic_desktop.errors import AuthenticationFailed
from clinic_desktop.services.auth import sign_in
from clinic_desktop.services.demo import DEMO_PASSWORD
from clinic_desktop.services.startup import CreatedClinic
from clinic_desktop.services.users import find_user_id, get_grant_matrix, list_users, update_user
from clinic_desktop.ui.users import UsersPage
from clinic_desktop.ui.widgets import screen_kit


@pytest.fixture
def page(demo: CreatedClinic, qtbot: QtBot) -> UsersPage:
    widget = UsersPage(make_ctx(demo))
    qtbot.addWidget(widget)
    widget.refresh()
    return widget


def usernames(page: UsersPage) -> list[str]:
    return [u.username for u in page.model.rows()]


def test_lists_demo_accounts_with_translated_roles(page: UsersPage) -> None:
    assert "recepcion" in usernames(page)
    row = usernames(page).index("soporte")
    assert page.model.index(row, 2).data() == "IT administrator"
    assert page.model.index(row, 3).data() == "Active"


def test_new_user_through_dialog_appears_and_can_sign_in(
    page: UsersPage, demo: CreatedClinic
) -> None:
    dialog = page.open_editor(None)
    dialog.full_name_edit.setText("Marta Ríos")
    dialog.username_edit.setText("marta")
    dialog.email_edit.setText("marta@example.com")
    dialog.role_checks["reception"].setChecked(True)
    password = dialog.password_edit.text()
    assert len(password) >= 10

    dialog.save_button.click()
    settle()

    assert dialog.result() == QDialog.DialogCode.Accepted
    assert "marta" in usernames(page)
    assert page.password_dialog is not None
    assert page.password_dialog.password_field.text() == password
    signed = sign_in(demo.db.uow(), username="marta", password=password)
    assert signed.roles == ("reception",)
    assert signed.must_change_password


def test_bad_username_keeps_dialog_open_and_marks_field(page: UsersPage) -> None:
    dialog = page.open_editor(None)
    dialog.full_name_edit.setText("Marta Ríos")
    dialog.username_edit.setText("M")
    dialog.role_checks["doctor"].setChecked(True)
    dialog._save()

    assert dialog.result() != QDialog.DialogCode.Accepted
    assert dialog.isVisible()
    assert "User name" in dialog.banner.text()
    assert dialog.username_edit.property("invalid") == "true"
    assert "m" not in usernames(page)


def test_stale_edit_says_who_changed_it_and_keeps_the_input(
    page: UsersPage, demo: CreatedClinic
) -> None:
    assert page.select_user("recepcion")
    dialog = page.open_editor(page.selected_user())
    other = make_ctx(demo, "soporte")
    loaded = next(
        u for u in list_users(demo.db.uow(), actor=other.actor) if u.username == "recepcion"
    )
    update_user(
        demo.db.uow(),
        actor=other.actor,
        user_id=loaded.id,
        expected_version=loaded.version,
        full_name="Carla Mendoza Vera",
        email=None,
        roles=["reception"],
    )
    dialog.email_edit.setText("carla@example.com")
    dialog._save()

    assert dialog.isVisible()
    assert dialog.result() != QDialog.DialogCode.Accepted
    assert "changed by Diego Salazar" in dialog.banner.text()
    assert dialog.email_edit.text() == "carla@example.com"
    current = next(
        u for u in list_users(demo.db.uow(), actor=other.actor) if u.username == "recepcion"
    )
    assert current.full_name == "Carla Mendoza Vera" and current.email is None


def test_grant_checkbox_changes_the_permission(page: UsersPage, demo: CreatedClinic) -> None:
    model = page.grants_tab.model
    row = model.matrix.permissions.index("reports.finance")
    column = model.matrix.roles.index("reception")
    index = model.index(row, column)
    assert index.data(Qt.ItemDataRole.CheckStateRole) == Qt.CheckState.Unchecked
    assert model.flags(index) & Qt.ItemFlag.ItemIsUserCheckable

    assert model.setData(index, Qt.CheckState.Checked.value, Qt.ItemDataRole.CheckStateRole)

    assert model.index(row, column).data(Qt.ItemDataRole.CheckStateRole) == Qt.CheckState.Checked
    signed = sign_in(demo.db.uow(), username="recepcion", password=DEMO_PASSWORD)
    assert signed.can("reports.finance")


def test_fixed_grant_cells_are_not_checkable(page: UsersPage) -> None:
    model = page.grants_tab.model
    row = model.matrix.permissions.index("grants.manage")
    column = model.matrix.roles.index("doctor")
    assert not model.flags(model.index(row, column)) & Qt.ItemFlag.ItemIsUserCheckable


def test_grants_are_read_only_without_grants_manage(demo: CreatedClinic, qtbot: QtBot) -> None:
    page = UsersPage(make_ctx(demo, "soporte"))
    qtbot.addWidget(page)
    page.refresh()
    model = page.grants_tab.model
    row = model.matrix.permissions.index("reports.finance")
    index = model.index(row, model.matrix.roles.index("reception"))
    assert not model.flags(index) & Qt.ItemFlag.ItemIsUserCheckable
    assert not model.setData(index, Qt.CheckState.Checked.value, Qt.ItemDataRole.CheckStateRole)
    ctx = make_ctx(demo)
    assert ("reception", "reports.finance") not in get_grant_matrix(
        ctx.uow(), actor=ctx.actor
    ).granted
    # The owner role check box is greyed out for a non-owner.
    assert not page.open_editor(None).role_checks["owner"].isEnabled()


def test_disable_then_enable(page: UsersPage, demo: CreatedClinic, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.setattr(screen_kit, "confirm", lambda *args: True)
    page.select_user("asistente")
    assert page.disable_button.text() == "Disable"
    page.disable_button.click()
    settle()
    row = usernames(page).index("asistente")
    assert page.model.index(row, 3).data() == "Disabled"
    with pytest.raises(AuthenticationFailed):
        sign_in(demo.db.uow(), username="asistente", password=DEMO_PASSWORD)

    assert page.selected_user() is not None and page.selected_user().disabled  # type: ignore[union-attr]
    assert page.disable_button.text() == "Enable"
    page.disable_button.click()
    assert sign_in(demo.db.uow(), username="asistente", password=DEMO_PASSWORD)


def test_cancelled_confirmation_changes_nothing(page: UsersPage, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.setattr(screen_kit, "confirm", lambda *args: False)
    page.select_user("medico")
    page.trash_button.click()
    assert "medico" in usernames(page)


def test_reset_password_shows_a_working_temporary_password(
    page: UsersPage,
    demo: CreatedClinic,
    monkeypatch,  # type: ignore[no-untyped-def]
) -> None:
    monkeypatch.setattr(screen_kit, "confirm", lambda *args: True)
    page.select_user("medico")
    page.reset_button.click()
    assert page.password_dialog is not None
    temporary = page.password_dialog.password_field.text()
    with pytest.raises(AuthenticationFailed):
        sign_in(demo.db.uow(), username="medico", password=DEMO_PASSWORD)
    assert sign_in(demo.db.uow(), username="medico", password=temporary).must_change_password


def test_move_to_trash_removes_from_list_and_own_account_is_protected(
    page: UsersPage,
    demo: CreatedClinic,
    monkeypatch,  # type: ignore[no-untyped-def]
) -> None:
    monkeypatch.setattr(screen_kit, "confirm", lambda *args: True)
    page.select_user("duena")
    assert not page.trash_button.isEnabled()
    page.select_user("odontologa")
    page.trash_button.click()
    settle()
    assert "odontologa" not in usernames(page)
    assert "trash" in page.banner.text()
    ctx = make_ctx(demo)
    with pytest.raises(AuthenticationFailed):
        sign_in(demo.db.uow(), username="odontologa", password=DEMO_PASSWORD)
    assert find_user_id(ctx.uow(), actor=ctx.actor, username="odontologa")


def test_times_show_in_the_clinics_zone(page: UsersPage) -> None:
    from zoneinfo import ZoneInfo

    owner = next(u for u in page.model.rows() if u.username == "duena")
    assert owner.last_sign_in_at is not None  # make_ctx signed her in
    row = page.model.rows().index(owner)
    shown = page.model.index(row, 4).data()

    def clock(moment):  # as the English UI writes it: 3:32 PM
        return f"{moment.hour % 12 or 12}:{moment.minute:02d}"

    local = clock(owner.last_sign_in_at.astimezone(ZoneInfo("America/Guayaquil")))
    utc = clock(owner.last_sign_in_at)
    assert local in shown and utc not in shown, shown
