"""The backups screen on a real demo clinic: "Back up now" writes a verified file, the list
shows it, "Copy to…" copies it, and a restore through the dialog swaps the data back (a user
created after the backup is gone) and asks the app to reopen the clinic."""

from __future__ import annotations

import dataclasses
from pathlib import Path

import pytest
from pytestqt.qtbot import QtBot
from ui.screens_helpers import Reopened, make_ctx, settle

from clinic_desktop.services.startup import CreatedClinic
from clinic_desktop.services.users import create_user, list_users
from clinic_desktop.ui.backups import BackupsPage
from clinic_desktop.ui.widgets import screen_kit


@pytest.fixture
def reopened() -> Reopened:
    return Reopened()


@pytest.fixture
def page(demo: CreatedClinic, qtbot: QtBot, reopened: Reopened) -> BackupsPage:
    widget = BackupsPage(make_ctx(demo, reopen=reopened))
    qtbot.addWidget(widget)
    widget.refresh()
    return widget


def test_no_backup_yet_is_a_warning(page: BackupsPage) -> None:
    assert page.status_label.text() == "No verified backup yet"
    assert page.status_hint.property("role") == "field-warning"
    assert page.model.rowCount() == 0


def test_back_up_now_writes_a_file_and_lists_it(page: BackupsPage) -> None:
    page.backup_button.click()
    settle()

    assert page.model.rowCount() == 1
    backup = page.model.rows()[0]
    assert Path(backup.path).is_file()
    assert Path(backup.path).stat().st_size == backup.size_bytes > 0
    assert page.banner.text() == f"Backup saved to {backup.path}"
    assert page.model.index(0, 1).data() == "Manual"
    assert page.model.index(0, 2).data().endswith("KB")
    assert page.status_label.text().startswith("Last verified backup: ")
    assert page.status_hint.property("role") == "hint"


def test_copy_to_a_folder(
    page: BackupsPage, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    page.backup_button.click()
    target = tmp_path / "usb"
    monkeypatch.setattr(screen_kit, "choose_folder", lambda *args: str(target))
    page.table.selectRow(0)
    assert page.copy_button.isEnabled()
    page.copy_button.click()
    copied = target / Path(page.model.rows()[0].path).name
    assert copied.is_file()
    assert str(copied) in page.banner.text()


def test_restore_swaps_the_data_back_and_reopens(
    page: BackupsPage, demo: CreatedClinic, reopened: Reopened, monkeypatch: pytest.MonkeyPatch
) -> None:
    ctx = page._ctx
    page.backup_button.click()
    create_user(
        ctx.uow(),
        actor=ctx.actor,
        username="marta",
        full_name="Marta Ríos",
        roles=["reception"],
        password="temporal-2026x",
    )
    told: list[str] = []
    monkeypatch.setattr(screen_kit, "inform", lambda parent, title, text: told.append(text))

    dialog = page.open_restore_dialog()
    assert dialog.listed_radio.isChecked()
    assert dialog.chosen_file() == Path(page.model.rows()[0].path)
    assert not dialog.restore_button.isEnabled()
    dialog.confirm_check.setChecked(True)
    dialog.restore_button.click()

    assert reopened.calls == [1]
    assert told and "sign in again" in told[0]
    assert [p for p in ctx.paths.replaced_dir.iterdir()], "the old data was set aside"
    usernames = {u.username for u in list_users(demo.db.uow(), actor=ctx.actor)}
    assert "marta" not in usernames and "recepcion" in usernames


def test_restore_of_a_missing_file_says_so_and_changes_nothing(
    page: BackupsPage, demo: CreatedClinic, reopened: Reopened
) -> None:
    dialog = page.open_restore_dialog()
    assert dialog.file_radio.isChecked()  # nothing listed yet
    dialog.file_edit.setText(str(demo.db.paths.data_dir / "nope.cdbackup"))
    dialog.confirm_check.setChecked(True)
    dialog._restore()
    assert dialog.isVisible()
    assert "does not exist" in dialog.banner.text()
    assert dialog.file_edit.property("invalid") == "true"
    assert reopened.calls == []
    ctx = page._ctx
    assert list_users(demo.db.uow(), actor=ctx.actor)


def test_restore_hidden_without_permission(demo: CreatedClinic, qtbot: QtBot) -> None:
    ctx = make_ctx(demo, "soporte")
    assert ctx.can("backup.restore")
    page = BackupsPage(ctx)
    qtbot.addWidget(page)
    assert not page.restore_button.isHidden()
    limited = dataclasses.replace(ctx.user, permissions=ctx.user.permissions - {"backup.restore"})
    page = BackupsPage(dataclasses.replace(ctx, user=limited))
    qtbot.addWidget(page)
    assert page.restore_button.isHidden()
