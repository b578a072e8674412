"""The expense editor, the receipts dialog with its viewer, and the recurring expenses dialog
against a real demo clinic: typing two amounts works out the third as the user types; a new
expense saved with a supplier on file; refusals shown under the field they name with nothing
saved; a real PDF and PNG attached from files (a text file refused by name), shown from memory,
saved as a byte-identical copy and removed to the trash; recurring expenses created, edited,
generated and deactivated; and a finance reader who may view receipts but not change them."""

from __future__ import annotations

import io
import json
from datetime import date, timedelta
from decimal import Decimal
from pathlib import Path

from PySide6.QtGui import QColor, QImage
from PySide6.QtWidgets import QLineEdit
from pytestqt.qtbot import QtBot
from reportlab.pdfgen import canvas
from sqlalchemy import func, select
from support.clinical_actors import actor
from ui.screens_helpers import make_ctx, settle

from clinic_desktop.actor import Actor
from clinic_desktop.models.audit import AuditEntry
from clinic_desktop.services.expense_dto import ExpenseDTO, ExpenseForm, RecurringExpenseDTO
from clinic_desktop.services.expense_receipts import receipt_content
from clinic_desktop.services.expenses import create_expense, get_expense, list_expenses
from clinic_desktop.services.inventory_dto import SupplierForm
from clinic_desktop.services.recurring_expenses import (
    generate_recurring_expenses,
    list_recurring_expenses,
)
from clinic_desktop.services.suppliers import create_supplier
from clinic_desktop.services.users import set_grant
from clinic_desktop.ui.billing import expense_receipts_dialog
from clinic_desktop.ui.billing.expense_editor import ExpenseEditorDialog
from clinic_desktop.ui.billing.expense_fields import parse_amount
from clinic_desktop.ui.billing.expenses_tab import ExpensesTab
from clinic_desktop.ui.chart import document_viewer
from clinic_desktop.ui.widgets import screen_kit

SYSTEM = Actor.system("tests")
OLD = date(2019, 3, 1)


def _tab(demo, qtbot: QtBot, username: str = "duena") -> ExpensesTab:
    tab = ExpensesTab(make_ctx(demo, username))
    qtbot.addWidget(tab)
    return tab


def _type(qtbot: QtBot, edit: QLineEdit, text: str) -> None:
    """Types over what the box holds, as a user would (textEdited fires per key)."""
    edit.setFocus()
    edit.selectAll()
    qtbot.keyClicks(edit, text)


def _existing(demo) -> ExpenseDTO:
    return create_expense(
        demo.db.uow(),
        actor=SYSTEM,
        form=ExpenseForm(
            expense_date=OLD,
            category="utilities",
            description="Luz de marzo",
            supplier_name="Empresa Eléctrica Quito",
            net=Decimal(100),
            tax=Decimal(15),
        ),
    )


def _audit_count(demo) -> int:
    with demo.db.uow().transaction(SYSTEM) as session:
        return int(session.scalar(select(func.count()).select_from(AuditEntry)) or 0)


def _audit(demo, entity: str) -> list[tuple[str, str, dict[str, object]]]:
    with demo.db.uow().transaction(SYSTEM) as session:
        rows = session.execute(
            select(AuditEntry.action, AuditEntry.user_name, AuditEntry.changes)
            .where(AuditEntry.entity == entity)
            .order_by(AuditEntry.seq)
        )
        return [(a, u, json.loads(c)) for a, u, c in rows]


def test_parse_amount_reads_both_decimal_marks() -> None:
    assert parse_amount("1.234,50") == Decimal("1234.50")
    assert parse_amount("1,234.50") == Decimal("1234.50")
    assert parse_amount(" 12,5 ") == Decimal("12.5")
    assert parse_amount("$ 8") == Decimal(8)
    assert parse_amount("") is None and parse_amount("doce") is None
    assert parse_amount("nan") is None and parse_amount("Infinity") is None


def test_two_amounts_give_the_third_as_the_user_types(demo, qtbot: QtBot) -> None:
    editor = ExpenseEditorDialog(make_ctx(demo))
    qtbot.addWidget(editor)
    net, tax, total = (editor.amounts.edits[f] for f in ("net", "tax", "total"))
    _type(qtbot, total, "100")
    assert tax.text() == "" and net.text() == ""  # one amount gives nothing yet
    _type(qtbot, net, "86.96")
    assert tax.text() == "13.04" and editor.amounts.computed_field == "tax"
    _type(qtbot, tax, "15")  # the tax typed now: the least recent, the total, follows
    assert total.text() == "101.96" and editor.amounts.computed_field == "total"
    _type(qtbot, total, "50")  # now the net, touched longest ago, is worked out
    assert net.text() == "35.00" and editor.amounts.computed_field == "net"
    _type(qtbot, tax, "60")  # a tax above the total cannot be right: nothing is made up
    assert net.text() == "" and editor.amounts.computed_field is None
    assert editor.amounts.values() == (None, Decimal(60), Decimal(50))


def test_a_new_expense_is_recorded_with_a_supplier_on_file(demo, qtbot: QtBot) -> None:
    supplier = create_supplier(
        demo.db.uow(), actor=SYSTEM, form=SupplierForm(name="Distribuidora Test S.A.")
    )
    tab = _tab(demo, qtbot)
    editor = tab.open_editor(None)
    assert editor.category_combo.findData("rent") >= 0  # the defaults are offered by name
    editor.date_edit.setDate(editor.date_edit.date().addDays(-2))
    editor.category_combo.set_category("Supplies")
    editor.description_edit.setText("Guantes de nitrilo")
    editor.supplier_combo.setCurrentIndex(editor.supplier_combo.findText(supplier.name))
    editor.document_edit.setText("001-002-000981")
    _type(qtbot, editor.amounts.edits["net"], "120")
    _type(qtbot, editor.amounts.edits["tax"], "18")
    assert editor.amounts.edits["total"].text() == "138.00"
    editor.method_combo.setCurrentIndex(editor.method_combo.findData("credit_card"))
    editor.save_button.click()
    settle()
    assert not editor.isVisible()
    day = tab.today - timedelta(days=2)
    [saved] = [
        e
        for e in list_expenses(demo.db.uow(), actor=SYSTEM, date_from=day, date_to=day)
        if e.description == "Guantes de nitrilo"
    ]
    assert (saved.category, saved.supplier_id, saved.supplier_name) == (
        "supplies",
        supplier.id,
        "Distribuidora Test S.A.",
    )
    assert (saved.net, saved.tax, saved.total) == (Decimal(120), Decimal(18), Decimal(138))
    assert (saved.document_number, saved.payment_method) == ("001-002-000981", "credit_card")
    assert ("create", "duena") in [(a, u) for a, u, _c in _audit(demo, "Expense")]
    assert "Saved: Guantes de nitrilo" in tab.banner.text()


def test_a_refused_edit_shows_under_its_field_and_saves_nothing(demo, qtbot: QtBot) -> None:
    expense = _existing(demo)
    tab = _tab(demo, qtbot)
    tab.set_custom_period(OLD, OLD)
    tab.select_expense(expense.id)
    editor = tab.edit_selected()
    assert editor is not None
    before = _audit_count(demo)  # signing in is audited too
    assert editor.supplier_combo.value() == (None, "Empresa Eléctrica Quito")
    _type(qtbot, editor.amounts.edits["total"], "100")
    _type(qtbot, editor.amounts.edits["net"], "200")
    editor.save_button.click()
    settle()
    error = editor.findChild(type(editor.general_error), "ExpenseEditorDialogError_net")
    assert error is not None and not error.isHidden()
    assert error.text() == "Net amount: it cannot be more than the total."
    assert editor.amounts.edits["net"].property("invalid") == "true"
    assert editor.isVisible()

    _type(qtbot, editor.amounts.edits["net"], "80,5x")
    editor.save_button.click()
    assert editor.findChild(type(error), "ExpenseEditorDialogError_net").text() == (
        "Net amount: enter an amount such as 12.50."
    )
    _type(qtbot, editor.amounts.edits["net"], "80")
    editor.category_combo.setEditText("")
    editor.save_button.click()
    settle()
    category_error = editor.findChild(type(error), "ExpenseEditorDialogError_category")
    assert category_error.text().startswith("Category: it is required")
    assert error.isHidden()  # the earlier error went with the new attempt
    same = get_expense(demo.db.uow(), actor=SYSTEM, expense_id=expense.id)
    assert (same.version, same.net, same.total) == (expense.version, Decimal(100), Decimal(115))
    assert _audit_count(demo) == before

    editor.category_combo.set_category("utilities")
    editor.save_button.click()
    settle()
    assert not editor.isVisible()
    saved = get_expense(demo.db.uow(), actor=SYSTEM, expense_id=expense.id)
    assert (saved.net, saved.tax, saved.total) == (Decimal(80), Decimal(20), Decimal(100))


def _pdf(path: Path) -> bytes:
    out = io.BytesIO()
    pdf = canvas.Canvas(out)
    pdf.drawString(72, 720, "Factura 001-001-000045678 · Total 100,00")
    pdf.showPage()
    pdf.save()
    path.write_bytes(out.getvalue())
    return out.getvalue()


def _png(path: Path) -> bytes:
    image = QImage(240, 320, QImage.Format.Format_RGB32)
    image.fill(QColor("#fafaf0"))
    assert image.save(str(path), "PNG")
    return path.read_bytes()


def test_receipts_are_attached_viewed_saved_and_removed(
    demo, qtbot: QtBot, tmp_path: Path, monkeypatch
) -> None:
    expense = _existing(demo)
    pdf, png = tmp_path / "factura-luz.pdf", tmp_path / "ticket.png"
    pdf_bytes, png_bytes = _pdf(pdf), _png(png)
    text = tmp_path / "notas.txt"
    text.write_text("no es un comprobante")
    tab = _tab(demo, qtbot)
    tab.set_custom_period(OLD, OLD)
    tab.select_expense(expense.id)
    dialog = tab.open_receipts()
    assert dialog is not None and not dialog.empty_label.isHidden()
    monkeypatch.setattr(
        expense_receipts_dialog,
        "choose_receipt_files",
        lambda _parent: [str(pdf), str(png), str(text)],
    )
    dialog.add_button.click()
    settle()
    message = dialog.banner.text()
    assert message.startswith("2 receipts attached.")
    assert "notas.txt was not attached. File: only PDF, PNG or JPEG" in message
    assert [r.file_name for r in dialog.model.rows()] == ["factura-luz.pdf", "ticket.png"]
    stored = {
        r.file_name: receipt_content(demo.db.uow(), actor=SYSTEM, receipt_id=r.id)
        for r in dialog.model.rows()
    }
    assert stored == {"factura-luz.pdf": pdf_bytes, "ticket.png": png_bytes}
    assert tab.model.index(0, 8).data() == "2 files"  # the tab followed

    reads_before = len([a for a, _u, _c in _audit(demo, "ExpenseReceipt") if a == "read"])
    pdf_viewer = dialog.view(dialog.model.rows()[0])
    qtbot.addWidget(pdf_viewer)
    assert pdf_viewer.pdf is not None and pdf_viewer.pdf.pageCount() == 1
    image_viewer = dialog.view(dialog.model.rows()[1])
    qtbot.addWidget(image_viewer)
    assert image_viewer.image is not None and image_viewer.image.size().width() == 240
    assert "Picture (PNG)" in image_viewer.info_label.text()
    reads = [(a, u) for a, u, _c in _audit(demo, "ExpenseReceipt") if a == "read"]
    assert reads[reads_before:] == [("read", "duena"), ("read", "duena")]
    copy = tmp_path / "copia.pdf"
    monkeypatch.setattr(document_viewer, "choose_save_path", lambda *_a: str(copy))
    pdf_viewer.export_button.click()
    assert copy.read_bytes() == pdf_bytes
    assert "A copy was saved" in pdf_viewer.banner.text()

    dialog.select_receipt(dialog.model.rows()[1].id)
    monkeypatch.setattr(screen_kit, "confirm", lambda *_a: False)
    dialog.remove_button.click()
    assert len(get_expense(demo.db.uow(), actor=SYSTEM, expense_id=expense.id).receipts) == 2
    monkeypatch.setattr(screen_kit, "confirm", lambda *_a: True)
    dialog.remove_button.click()
    settle()
    assert [r.file_name for r in dialog.model.rows()] == ["factura-luz.pdf"]
    assert [
        r.file_name
        for r in get_expense(demo.db.uow(), actor=SYSTEM, expense_id=expense.id).receipts
    ] == ["factura-luz.pdf"]
    assert "“ticket.png” was moved to the trash." in dialog.banner.text()
    assert tab.model.index(0, 8).data() == "PDF"


def test_a_finance_reader_views_receipts_but_cannot_change_them(
    demo, qtbot: QtBot, tmp_path: Path
) -> None:
    expense = _existing(demo)
    owner_tab = _tab(demo, qtbot)
    owner_dialog = owner_tab.open_receipts(expense)
    assert owner_dialog is not None
    owner_dialog.add_files([str(tmp_path / "missing.pdf"), str(_write_pdf(tmp_path))])
    set_grant(
        demo.db.uow(),
        actor=actor(demo, "duena"),
        role="doctor",
        permission="reports.finance",
        granted=True,
    )
    tab = _tab(demo, qtbot, "medico")
    dialog = tab.open_receipts(get_expense(demo.db.uow(), actor=SYSTEM, expense_id=expense.id))
    assert dialog is not None
    assert dialog.add_button.isHidden() and dialog.remove_button.isHidden()
    [receipt] = dialog.model.rows()
    dialog.add_files([str(tmp_path / "other.pdf")])  # refused quietly: not offered anyway
    viewer = dialog.view(receipt)
    qtbot.addWidget(viewer)
    assert viewer.pdf is not None and viewer.pdf.pageCount() == 1
    assert len(get_expense(demo.db.uow(), actor=SYSTEM, expense_id=expense.id).receipts) == 1


def _write_pdf(folder: Path) -> Path:
    path = folder / "recibo.pdf"
    _pdf(path)
    return path


def _templates(demo, description: str) -> list[RecurringExpenseDTO]:
    return [
        t
        for t in list_recurring_expenses(demo.db.uow(), actor=SYSTEM, include_inactive=True)
        if t.description == description
    ]


def test_recurring_expenses_are_created_generated_edited_and_deactivated(
    demo, qtbot: QtBot, monkeypatch
) -> None:
    # Whatever the demo data has pending is generated first: the counts below are ours.
    generate_recurring_expenses(demo.db.uow(), actor=SYSTEM)
    tab = _tab(demo, qtbot)
    dialog = tab.open_recurring()
    editor = dialog.open_editor(None)
    start = (tab.today.replace(day=1) - timedelta(days=1)).replace(day=1)  # last month
    editor.category_combo.set_category("rent")
    editor.description_edit.setText("Alquiler del consultorio")
    editor.supplier_combo.setEditText("Inmobiliaria Sur")
    _type(qtbot, editor.amounts.edits["total"], "850")
    editor.method_combo.setCurrentIndex(editor.method_combo.findData("transfer"))
    editor.day_spin.setValue(1)
    editor.starts_edit.setDate(editor.starts_edit.date().addMonths(-1))
    assert editor.recurring_form().starts_on == start
    editor.save_button.click()
    settle()
    assert not editor.isVisible()
    [template] = _templates(demo, "Alquiler del consultorio")
    assert (template.total, template.supplier_name, template.day_of_month) == (
        Decimal(850),
        "Inmobiliaria Sur",
        1,
    )
    assert template.next_date == start
    assert dialog.select_template(template.id)
    index = dialog.table.selectionModel().selectedRows()[0].row()
    row = [dialog.model.index(index, c).data() for c in range(dialog.model.columnCount())]
    assert row[:6] == [
        "Rent",
        "Alquiler del consultorio",
        "Inmobiliaria Sur",
        "$850.00",
        "Transfer",
        "Day 1",
    ]
    assert "Its next expense is due on" in dialog.banner.text()

    dialog.generate_button.click()
    settle()
    assert dialog.banner.text() == "2 expenses were generated from the recurring expenses."
    made = list_expenses(demo.db.uow(), actor=SYSTEM, date_from=start, date_to=tab.today)
    generated = [e for e in made if e.recurring_id == template.id]
    assert sorted(e.expense_date for e in generated) == [start, tab.today.replace(day=1)]
    assert template.id in {e.recurring_id for e in tab.model.rows()}  # this month's is listed

    dialog.select_template(template.id)
    editor = dialog.open_editor(dialog.selected_template())
    assert editor.amounts.edits["total"].text() == "850.00"
    _type(qtbot, editor.amounts.edits["total"], "900")
    editor.save_button.click()
    settle()
    [edited] = _templates(demo, "Alquiler del consultorio")
    # Generating moved the template on a version; the list had followed, so no clash.
    assert edited.total == Decimal(900) and edited.version == template.version + 2
    # The months already recorded keep their amounts.
    assert (
        {e.total for e in generated}
        == {get_expense(demo.db.uow(), actor=SYSTEM, expense_id=e.id).total for e in generated}
        == {Decimal(850)}
    )

    dialog.select_template(template.id)
    assert dialog.active_button.text() == "Deactivate"
    dialog.active_button.click()
    settle()
    assert not dialog.select_template(template.id)  # inactive ones are listed on request
    assert "was deactivated" in dialog.banner.text()
    dialog.inactive_check.setChecked(True)
    assert dialog.select_template(template.id)
    index = dialog.table.selectionModel().selectedRows()[0].row()
    assert dialog.model.index(index, 7).data() == "Inactive"
    assert dialog.active_button.text() == "Reactivate"
    [inactive] = _templates(demo, "Alquiler del consultorio")
    assert not inactive.active and inactive.next_date is None


def test_a_refused_recurring_expense_creates_nothing(demo, qtbot: QtBot) -> None:
    tab = _tab(demo, qtbot)
    dialog = tab.open_recurring()
    editor = dialog.open_editor(None)
    editor.category_combo.set_category("salaries")
    _type(qtbot, editor.amounts.edits["total"], "560")
    editor.ends_edit.set_value(editor.recurring_form().starts_on - timedelta(days=1), tab.today)
    before = _audit_count(demo)
    templates = list_recurring_expenses(demo.db.uow(), actor=SYSTEM, include_inactive=True)
    editor.save_button.click()
    settle()
    error = editor.findChild(type(editor.general_error), "RecurringEditorDialogError_ends_on")
    assert error is not None and error.text() == "Ends on: it cannot be before the start date."
    assert editor.isVisible()
    assert list_recurring_expenses(demo.db.uow(), actor=SYSTEM, include_inactive=True) == templates
    assert _audit_count(demo) == before
