"""The trash screen: a user moved to the trash is listed with who deleted it, and restoring
it (after confirming) brings the account back so it can sign in again."""

from __future__ import annotations

import pytest
from pytestqt.qtbot import QtBot
from ui.screens_helpers import make_ctx, settle

from clinic_desktop.errors import AuthenticationFailed
from clinic_desktop.services.auth import sign_in
from clinic_desktop.services.demo import DEMO_PASSWORD
from clinic_desktop.services.startup import CreatedClinic
from clinic_desktop.services.users import delete_user, find_user_id
from clinic_desktop.ui.trash import TrashPage
from clinic_desktop.ui.widgets import screen_kit


@pytest.fixture
def page(demo: CreatedClinic, qtbot: QtBot) -> TrashPage:
    widget = TrashPage(make_ctx(demo))
    qtbot.addWidget(widget)
    widget.refresh()
    return widget


def trash_user(page: TrashPage, username: str) -> str:
    ctx = page._ctx
    user_id = find_user_id(ctx.uow(), actor=ctx.actor, username=username)
    delete_user(ctx.uow(), actor=ctx.actor, user_id=user_id)
    settle()  # the bridge's users_changed refreshes the page
    return str(user_id)


def test_empty_trash_says_so(page: TrashPage) -> None:
    assert page.model.rowCount() == 0
    assert not page.empty_label.isHidden()
    assert not page.restore_button.isEnabled()


def test_restore_brings_a_deleted_user_back(
    page: TrashPage, demo: CreatedClinic, monkeypatch: pytest.MonkeyPatch
) -> None:
    user_id = trash_user(page, "asistente")
    assert [i.title for i in page.model.rows()] == ["Jorge Villacís"]
    assert page.model.index(0, 0).data() == "User"
    assert page.model.index(0, 3).data() == "Dra. Lucía Andrade"
    with pytest.raises(AuthenticationFailed):
        sign_in(demo.db.uow(), username="asistente", password=DEMO_PASSWORD)

    asked: list[str] = []

    def confirm(parent: object, title: str, text: str, ok_text: str) -> bool:
        asked.append(text)
        return True

    monkeypatch.setattr(screen_kit, "confirm", confirm)
    assert page.select_item(user_id)
    page.restore_button.click()
    settle()

    assert asked and "Jorge Villacís" in asked[0]
    assert page.model.rowCount() == 0
    assert "restored" in page.banner.text()
    assert sign_in(demo.db.uow(), username="asistente", password=DEMO_PASSWORD)


def test_declining_the_confirmation_keeps_it_in_the_trash(
    page: TrashPage, demo: CreatedClinic, monkeypatch: pytest.MonkeyPatch
) -> None:
    user_id = trash_user(page, "medico")
    monkeypatch.setattr(screen_kit, "confirm", lambda *args: False)
    page.select_item(user_id)
    page.restore_button.click()
    assert page.model.rowCount() == 1
    with pytest.raises(AuthenticationFailed):
        sign_in(demo.db.uow(), username="medico", password=DEMO_PASSWORD)


def test_refreshes_when_a_record_is_restored_elsewhere(page: TrashPage) -> None:
    from clinic_desktop.services.trash import restore_record

    user_id = trash_user(page, "medico")
    assert page.model.rowCount() == 1
    ctx = page._ctx
    restore_record(ctx.uow(), actor=ctx.actor, entity="User", entity_id=user_id)
    settle()
    assert page.model.rowCount() == 0
