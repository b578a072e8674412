"""Saving a copy of an expense receipt against a real demo clinic: the viewer's "Save a
copy…" writes the same bytes where the user chose and leaves an "export" audit entry by that
user (viewing alone leaves only a "read"); a folder that cannot be written says why; someone
who may not read expenses is refused by the service with nothing audited."""

from __future__ import annotations

import io
import json
from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest
from pytestqt.qtbot import QtBot
from reportlab.pdfgen import canvas
from sqlalchemy import select
from support.clinical_actors import actor
from ui.screens_helpers import make_ctx, settle

from clinic_desktop.actor import Actor
from clinic_desktop.errors import PermissionDenied
from clinic_desktop.models.audit import AuditEntry
from clinic_desktop.services.expense_dto import ExpenseForm, ReceiptDTO
from clinic_desktop.services.expense_receipts import attach_receipt, export_receipt
from clinic_desktop.services.expenses import create_expense
from clinic_desktop.ui.billing.expense_receipt_viewer import ReceiptViewerDialog
from clinic_desktop.ui.chart import document_viewer

SYSTEM = Actor.system("tests")


def _pdf_bytes() -> bytes:
    out = io.BytesIO()
    pdf = canvas.Canvas(out)
    pdf.drawString(72, 720, "Factura 001-001-000099 · Total 230,00")
    pdf.showPage()
    pdf.save()
    return out.getvalue()


@pytest.fixture
def receipt(demo) -> tuple[ReceiptDTO, bytes]:
    expense = create_expense(
        demo.db.uow(),
        actor=SYSTEM,
        form=ExpenseForm(
            expense_date=date(2019, 3, 1),
            category="utilities",
            description="Agua de marzo",
            net=Decimal(200),
            tax=Decimal(30),
        ),
    )
    content = _pdf_bytes()
    attached = attach_receipt(
        demo.db.uow(),
        actor=SYSTEM,
        expense_id=expense.id,
        file_name="factura-agua.pdf",
        content=content,
    )
    return attached, content


def _entries(demo, receipt_id) -> list[tuple[str, str, dict[str, object]]]:
    with demo.db.uow().transaction(SYSTEM) as session:
        rows = session.execute(
            select(AuditEntry.action, AuditEntry.user_name, AuditEntry.changes)
            .where(AuditEntry.entity == "ExpenseReceipt", AuditEntry.entity_id == str(receipt_id))
            .order_by(AuditEntry.seq)
        )
        return [(a, u, json.loads(c)) for a, u, c in rows]


def _viewer(demo, receipt: ReceiptDTO, qtbot: QtBot) -> ReceiptViewerDialog:
    viewer = ReceiptViewerDialog(make_ctx(demo, "duena"), receipt)
    qtbot.addWidget(viewer)
    settle()
    assert viewer.receipt_bytes is not None  # shown
    return viewer


def test_saving_a_copy_writes_the_bytes_and_audits_an_export(
    demo, receipt, qtbot: QtBot, tmp_path: Path, monkeypatch
) -> None:
    attached, content = receipt
    viewer = _viewer(demo, attached, qtbot)
    seen = _entries(demo, attached.id)
    assert [(a, u) for a, u, _c in seen][-1] == ("read", "duena")
    assert "export" not in [a for a, _u, _c in seen]  # viewing is not exporting

    target = tmp_path / "copia-agua.pdf"
    asked: list[str] = []

    def choose(_parent, _title, suggested):
        asked.append(suggested)
        return str(target)

    monkeypatch.setattr(document_viewer, "choose_save_path", choose)
    viewer.export_button.click()
    settle()
    assert asked == ["factura-agua.pdf"]
    assert target.read_bytes() == content
    assert viewer.banner.text() == f"A copy was saved to {target}."
    after = _entries(demo, attached.id)
    assert len(after) == len(seen) + 1
    action, user, changes = after[-1]
    assert (action, user) == ("export", "duena")
    assert changes["what"] == "receipt export"
    assert changes["expense_id"] == str(attached.expense_id)

    # Cancelled: nothing written, nothing audited.
    monkeypatch.setattr(document_viewer, "choose_save_path", lambda *_a: "")
    target.unlink()
    viewer.export_button.click()
    settle()
    assert not target.exists() and len(_entries(demo, attached.id)) == len(after)


def test_a_folder_that_cannot_be_written_says_why(
    demo, receipt, qtbot: QtBot, tmp_path: Path
) -> None:
    attached, _content = receipt
    viewer = _viewer(demo, attached, qtbot)
    missing = tmp_path / "no-such-folder" / "copia.pdf"
    viewer.export_to(str(missing))
    settle()
    assert not missing.exists()
    assert viewer.banner.kind == "error"
    assert viewer.banner.text().startswith(f"The copy could not be written to {missing}")


def test_someone_who_may_not_read_expenses_cannot_export(demo, receipt) -> None:
    attached, _content = receipt
    before = _entries(demo, attached.id)
    with pytest.raises(PermissionDenied):
        export_receipt(demo.db.uow(), actor=actor(demo, "medico"), receipt_id=attached.id)
    assert _entries(demo, attached.id) == before
    assert export_receipt(demo.db.uow(), actor=SYSTEM, receipt_id=attached.id) == _content
    assert _entries(demo, attached.id)[-1][0] == "export"
