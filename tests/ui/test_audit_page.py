"""The audit screen on a real demo clinic: filters narrow the rows, changes read as
"field: old → new", and the chain check reports both an intact and a tampered trail."""

from __future__ import annotations

import pytest
from PySide6.QtCore import QDate
from pytestqt.qtbot import QtBot
from sqlalchemy import text
from ui.screens_helpers import make_ctx

from clinic_desktop.services.startup import CreatedClinic
from clinic_desktop.services.users import create_user
from clinic_desktop.ui.audit import AuditPage


@pytest.fixture
def page(demo: CreatedClinic, qtbot: QtBot) -> AuditPage:
    ctx = make_ctx(demo)
    create_user(
        ctx.uow(),
        actor=ctx.actor,
        username="marta",
        full_name="Marta Ríos",
        roles=["reception"],
        password="temporal-2026x",
    )
    widget = AuditPage(ctx)
    qtbot.addWidget(widget)
    widget.refresh()
    return widget


def actions(page: AuditPage) -> set[str]:
    return {e.action for e in page.model.rows()}


def choose(combo, value: str) -> None:  # type: ignore[no-untyped-def]
    index = combo.findData(value)
    assert index > 0, value
    combo.setCurrentIndex(index)


def test_filter_by_action_narrows_rows(page: AuditPage) -> None:
    everything = page.total
    assert {"create", "sign_in.succeeded", "roles.changed"} <= actions(page)

    choose(page.action_combo, "sign_in.succeeded")

    assert actions(page) == {"sign_in.succeeded"}
    assert 0 < page.total < everything
    assert f"of {page.total}" in page.page_label.text()
    assert page.action_combo.currentText() == "Signed in"


def test_filter_by_user_and_entity_and_text(page: AuditPage) -> None:
    choose(page.user_combo, "duena")
    assert {e.user_name for e in page.model.rows()} == {"duena"}
    choose(page.entity_combo, "User")
    assert {e.entity for e in page.model.rows()} == {"User"}
    page.text_edit.setText("Marta")
    page._on_filters_changed()
    assert page.model.rows() and all("Marta" in e.changes for e in page.model.rows())
    page.clear_button.click()
    assert page.user_combo.currentIndex() == 0 and not page.text_edit.text()
    assert len({e.user_name for e in page.model.rows()}) > 1


def test_date_filter_excludes_everything_before_the_day(page: AuditPage) -> None:
    page.since_check.setChecked(True)
    page.since_edit.setDate(QDate.currentDate().addDays(1))
    assert page.total == 0 and page.model.rowCount() == 0
    page.since_edit.setDate(QDate.currentDate().addDays(-1))
    assert page.total > 0


def test_changes_are_summarized_and_detailed(page: AuditPage) -> None:
    ctx = page._ctx
    from clinic_desktop.services.users import list_users, update_user

    marta = next(u for u in list_users(ctx.uow(), actor=ctx.actor) if u.username == "marta")
    update_user(
        ctx.uow(),
        actor=ctx.actor,
        user_id=marta.id,
        expected_version=marta.version,
        full_name="Marta Ríos Vera",
        email=None,
        roles=["reception"],
    )
    page.refresh()
    choose(page.action_combo, "update")
    row = next(i for i, e in enumerate(page.model.rows()) if "Vera" in e.changes)
    assert page.model.index(row, 7).data() == "Full name: Marta Ríos → Marta Ríos Vera"
    assert page.model.index(row, 4).data() == "Changed"
    page.table.selectRow(row)
    assert "Full name: Marta Ríos → Marta Ríos Vera" in page.details.toPlainText()


def test_verify_chain_ok_then_tampered(page: AuditPage, demo: CreatedClinic) -> None:
    page.verify_button.click()
    assert page.banner.kind == "ok"
    assert "intact" in page.banner.text()

    # What an attacker holding the key would have to do: drop the guard triggers first.
    with demo.db.engine.begin() as conn:
        conn.execute(text("DROP TRIGGER audit_entries_no_update"))
        conn.execute(text("UPDATE audit_entries SET user_name = 'mallory' WHERE seq = 3"))
    page.verify_button.click()
    assert page.banner.kind == "error"
    assert "First bad entry: 3" in page.banner.text()
