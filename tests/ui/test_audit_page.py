"""The audit screen on a real demo clinic: filters narrow the rows, changes read as
"field: old → new", the chain check reports both an intact and a tampered trail, and every
action and record type the code writes reads as words (a document's view, export, removal)."""

from __future__ import annotations

import re
from datetime import date
from pathlib import Path

import pytest
from PySide6.QtCore import QDate
from pytestqt.qtbot import QtBot
from sqlalchemy import text
from ui.screens_helpers import make_ctx

from clinic_desktop.services.startup import CreatedClinic
from clinic_desktop.services.users import create_user
from clinic_desktop.ui.audit import AuditPage
from clinic_desktop.ui.audit.changes import (
    ENTITY_LABELS,
    action_label,
    entity_label,
    summarize,
)


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


# -- words for every code --------------------------------------------------------------------

SOURCE = Path(__file__).resolve().parents[2] / "clinic_desktop"
# argparse's own `action=` keywords in the CLI are not audit actions.
ARGPARSE_ACTIONS = {"store", "store_true", "store_false", "append", "version", "count"}


def written_actions() -> set[str]:
    """Every audit action the code writes as a literal: `action="..."` and the demo's
    ("demo.<kind>_generated", entity, counts) rows."""
    found: set[str] = set()
    for path in SOURCE.rglob("*.py"):
        source = path.read_text(encoding="utf-8")
        found.update(re.findall(r"""\baction\s*=\s*"([a-z_.]+)\"""", source))
        found.update(re.findall(r"""\(\s*"(demo\.[a-z_]+)",""", source))
    return found - ARGPARSE_ACTIONS


def test_every_record_type_reads_as_its_model_label() -> None:
    """The audit screen's words for a record type are the model's own `__label__` (which the
    trash shows), so a new entity without an entry here fails this test."""
    import clinic_desktop.models  # noqa: F401  (registers every mapper)
    from clinic_desktop.models.base import Entity

    entities = {
        m.class_.__name__: m.class_.__label__
        for m in Entity.registry.mappers
        if issubclass(m.class_, Entity)
    }
    assert {"PatientDocument", "Encounter", "PatientPhoto", "Allergy"} <= set(entities)
    assert {name: ENTITY_LABELS.get(name) for name in entities} == entities
    assert entity_label("PatientDocument") == "Document"
    assert entity_label("EncounterAddendum") == "Note addendum"


def test_every_action_written_has_words() -> None:
    actions = written_actions()
    assert {"read", "export", "document.removed", "demo.documents_generated"} <= actions
    assert {a for a in actions if action_label(a) == a} == set()
    assert action_label("document.removed") == "Document removed"
    assert action_label("demo.allergies_generated") == "Demo data generated"
    assert action_label("something.new") == "something.new"  # unknown codes stay readable


def test_a_documents_entries_read_as_words(page: AuditPage) -> None:
    from clinic_desktop.services.documents import (
        attach_document,
        export_document,
        open_document,
        remove_document,
    )
    from clinic_desktop.services.patient_admin import list_patients

    ctx = page._ctx
    patient = list_patients(ctx.uow(), actor=ctx.actor)[0][0]
    made = attach_document(
        ctx.uow(), actor=ctx.actor, patient_id=patient.id, file_name="informe.pdf",
        data=b"%PDF-1.4\n%%EOF\n", category="report", document_date=date(2026, 1, 5),
    )  # fmt: skip
    open_document(ctx.uow(), actor=ctx.actor, document_id=made.id)
    export_document(ctx.uow(), actor=ctx.actor, document_id=made.id)
    remove_document(ctx.uow(), actor=ctx.actor, document_id=made.id, reason="Duplicado")
    page.refresh()
    choose(page.entity_combo, "PatientDocument")
    assert page.entity_combo.currentText() == "Document"
    model = page.model
    shown = {
        (model.index(row, 4).data(), model.index(row, 5).data())
        for row in range(model.rowCount())
        if model.rows()[row].entity_id == str(made.id)
    }
    assert {
        ("Added", "Document"),
        ("Viewed", "Document"),
        ("Exported", "Document"),
        ("Moved to trash", "Document"),
        ("Document removed", "Document"),
    } <= shown
    removed = next(e for e in model.rows() if e.action == "document.removed")
    assert summarize(removed.changes) == f"Patient: {patient.id}; Reason: Duplicado"
