"""The invoice editor against a real demo clinic with completed visits: a draft from a
completed appointment has its treatments as lines and Cancel leaves nothing behind; editing a
line and adding one from the catalogue saves what was typed, with the live totals equal to
what the service stored; a refusal shows under the field (buyer e-mail, a line's quantity, the
final consumer's limit) and saves or issues nothing; issuing asks first, takes the next
number and leaves the invoice read-only with Print, Take payment and Credit note; deleting a
draft asks first; the preview prints a PDF whose text has the number; the agenda's "Invoice…"
and the chart's timeline open the editor."""

from __future__ import annotations

import re
from decimal import Decimal

import pytest
from pytestqt.qtbot import QtBot
from support.billing_pdf_data import text_of
from support.invoice_data import completed_visit, stored
from support.products_kit import audit_actions
from ui.screens_helpers import make_ctx, settle

from clinic_desktop.errors import NotFound
from clinic_desktop.services import agenda_queries
from clinic_desktop.services.invoices import get_invoice, invoice_for_appointment
from clinic_desktop.services.startup import CreatedClinic
from clinic_desktop.services.timeline import TimelineKind
from clinic_desktop.ui.agenda.page import AgendaPage
from clinic_desktop.ui.agenda.status_menu import find_action
from clinic_desktop.ui.billing.invoice_editor import InvoiceEditorDialog
from clinic_desktop.ui.chart.page import ChartView
from clinic_desktop.ui.context import UiContext

D = Decimal


pytest_plugins = ["support.billing_ui_fixtures"]


def completed_appointment(clinic) -> tuple[object, list[tuple[str, Decimal, Decimal]]]:
    """The latest completed demo appointment with treatments done, and those treatments."""
    visit = completed_visit(clinic)
    return visit.appointment_id, sorted((t.name, t.quantity, t.price) for t in visit.done)


def _editor(qtbot: QtBot, ctx, **kw) -> InvoiceEditorDialog:
    dialog = InvoiceEditorDialog(ctx, **kw)
    qtbot.addWidget(dialog)
    dialog.show()
    return dialog


def _visit_editor(qtbot: QtBot, clinic: CreatedClinic) -> tuple[UiContext, InvoiceEditorDialog]:
    """Reception's context and the editor opened on the latest completed demo visit."""
    ctx = make_ctx(clinic, "recepcion")
    appointment_id, _expected = completed_appointment(clinic)
    return ctx, _editor(qtbot, ctx, appointment_id=appointment_id)


def _line_texts(dialog: InvoiceEditorDialog) -> list[tuple[str, Decimal, Decimal]]:
    return sorted(
        (r.description.text(), r.quantity.decimal(), r.unit_price.decimal())
        for r in dialog.lines.rows
    )


def test_a_completed_appointment_opens_a_draft_with_its_treatments(
    demo_stocked, qtbot: QtBot, answers
) -> None:
    ctx = make_ctx(demo_stocked, "recepcion")
    appointment_id, expected = completed_appointment(demo_stocked)
    dialog = _editor(qtbot, ctx, appointment_id=appointment_id)
    invoice = dialog.invoice
    assert invoice is not None and invoice.is_draft and invoice.appointment_id == appointment_id
    assert _line_texts(dialog) == [(name, q, p) for name, q, p in expected]
    total = sum((q * p for _n, q, p in expected), D(0))
    assert dialog.totals.total_text() == f"${total:,.2f}"
    assert dialog.issue_button.isVisible() and not dialog.print_button.isVisible()
    assert dialog.buyer.name_edit.text() == invoice.patient_name  # the patient's data
    found = invoice_for_appointment(ctx.uow(), actor=ctx.actor, appointment_id=appointment_id)
    assert found is not None and found.id == invoice.id

    dialog.reject()  # Cancel without saving: the draft this dialog wrote goes
    assert (
        invoice_for_appointment(ctx.uow(), actor=ctx.actor, appointment_id=appointment_id) is None
    )
    with pytest.raises(NotFound):
        get_invoice(ctx.uow(), actor=ctx.actor, invoice_id=invoice.id)
    assert answers == []  # nothing to ask: nobody had typed anything


def test_a_line_edited_and_one_added_are_saved_as_typed(demo_stocked, qtbot: QtBot) -> None:
    ctx, dialog = _visit_editor(qtbot, demo_stocked)
    first = dialog.lines.rows[0]
    first.quantity.set_decimal(D(2))
    first.discount.set_decimal(D("3.50"))
    products = [i for i in dialog.picker._items.values() if hasattr(i, "sale_price")]
    assert products and all(p.sale_price > 0 for p in products)  # consumables are not sold
    assert dialog.picker.add_item(products[0].id)
    dialog.picker.free_requested.emit()
    free = dialog.lines.rows[-1]
    free.description.setText("Certificado médico")
    free.unit_price.set_decimal(D("12"))
    dialog.notes.discount_spin.setValue(10)
    dialog.notes.notes_edit.setPlainText("Entregar con la radiografía")
    dialog.lines.changed.emit()
    shown_total = dialog.totals.total_text()
    dialog.save()

    saved = get_invoice(ctx.uow(), actor=ctx.actor, invoice_id=dialog.invoice.id)
    assert saved.lines[0].quantity == D(2) and saved.lines[0].discount == D("3.50")
    assert saved.lines[-2].source == "product" and saved.lines[-2].product_id == products[0].id
    assert saved.lines[-1].description == "Certificado médico"
    assert saved.lines[-1].unit_price == D("12") and saved.lines[-1].source == "free"
    assert saved.discount_percent == D(10) and saved.notes == "Entregar con la radiografía"
    assert f"${saved.total:,.2f}" == shown_total  # the live total is what was stored
    assert dialog.banner.text() == "Draft saved." and not dialog.dirty
    assert audit_actions(demo_stocked, "Invoice", saved.id)[-1] == "update"
    dialog.reject()  # saved by the user: closing keeps it
    assert get_invoice(ctx.uow(), actor=ctx.actor, invoice_id=saved.id).is_draft


def test_a_refusal_shows_under_its_field_and_saves_nothing(demo_stocked, qtbot: QtBot) -> None:
    _ctx, dialog = _visit_editor(qtbot, demo_stocked)
    invoice_id = dialog.invoice.id
    before = stored(demo_stocked, invoice_id)
    dialog.buyer.email_edit.setText("no-es-un-correo")
    dialog.save()
    error = dialog.findChild(type(dialog.general_error), "InvoiceEditorError_buyer_email")
    assert error is not None and not error.isHidden() and "e-mail" in error.text()
    assert dialog.buyer.email_edit.property("invalid") == "true"
    assert stored(demo_stocked, invoice_id) == before

    dialog.buyer.email_edit.setText("")
    dialog.lines.rows[0].quantity.set_decimal(D(0))
    dialog.save()
    assert error.isHidden()
    assert not dialog.lines.error_label.isHidden()
    assert dialog.lines.error_label.text().startswith("Line 1 — Quantity")
    assert dialog.lines.marked() == [dialog.lines.rows[0].quantity]
    assert stored(demo_stocked, invoice_id) == before


def test_issuing_asks_numbers_and_leaves_it_read_only(
    demo_stocked, qtbot: QtBot, answers, printed: list[bytes]
) -> None:
    ctx, dialog = _visit_editor(qtbot, demo_stocked)
    invoice_id = dialog.invoice.id

    answers.no = True
    dialog.issue()
    assert "Once issued it cannot be changed" in answers[-1]
    assert get_invoice(ctx.uow(), actor=ctx.actor, invoice_id=invoice_id).is_draft

    answers.no = False
    dialog.buyer.set_id_type("consumidor_final")  # fills 9999999999999 / CONSUMIDOR FINAL
    assert dialog.buyer.tax_id_edit.text() == "9999999999999"
    dialog.lines.rows[0].unit_price.set_decimal(D("80"))
    dialog.issue()
    error = dialog.findChild(type(dialog.general_error), "InvoiceEditorError_buyer_tax_id")
    assert error is not None and "final consumer" in error.text()
    assert get_invoice(ctx.uow(), actor=ctx.actor, invoice_id=invoice_id).number is None

    dialog.buyer.set_id_type("cedula")  # back to the patient's own number
    assert dialog.buyer.tax_id_edit.text() != "9999999999999"
    dialog.issue()
    issued = get_invoice(ctx.uow(), actor=ctx.actor, invoice_id=invoice_id)
    assert issued.number_text == "001-001-000000001" and issued.status == "issued"
    assert re.fullmatch(r"\d{3}-\d{3}-\d{9}", dialog.invoice.number_text)
    assert dialog.heading.text() == "Invoice 001-001-000000001"
    assert "Issued as Invoice 001-001-000000001" in dialog.banner.text()
    assert dialog.lines.read_only and dialog.picker.isHidden()
    assert dialog.save_button.isHidden() and dialog.issue_button.isHidden()
    assert dialog.print_button.isVisible() and dialog.pay_button.isVisible()
    assert dialog.credit_button.isVisible() and dialog.buyer.name_edit.isReadOnly()
    assert dialog.history.isVisible()

    dialog.print_preview()
    [pdf] = printed
    assert "001-001-000000001" in text_of(pdf) and "DRAFT" not in text_of(pdf)
    payment = dialog.take_payment()
    assert payment is not None and payment.patient_id == issued.patient_id
    payment.reject()


def test_a_draft_prints_crossed_and_is_deleted_after_asking(
    demo_stocked, qtbot: QtBot, answers, printed: list[bytes]
) -> None:
    ctx, dialog = _visit_editor(qtbot, demo_stocked)
    invoice_id = dialog.invoice.id
    dialog.lines.rows[0].description.setText("Consulta de control")
    dialog.lines.changed.emit()
    dialog.print_preview()  # unsaved changes are saved first, then previewed
    [pdf] = printed
    assert "DRAFT" in text_of(pdf) and "Consulta de control" in text_of(pdf)

    answers.no = True
    dialog.delete()
    assert get_invoice(ctx.uow(), actor=ctx.actor, invoice_id=invoice_id).is_draft
    answers.no = False
    deleted: list[object] = []
    dialog.deleted.connect(deleted.append)
    dialog.delete()
    assert deleted == [invoice_id] and "trash" in answers[-1]
    with pytest.raises(NotFound):
        get_invoice(ctx.uow(), actor=ctx.actor, invoice_id=invoice_id)
    assert audit_actions(demo_stocked, "Invoice", invoice_id)[-1] == "delete"


def test_the_agenda_and_the_chart_open_the_invoice(demo_stocked, qtbot: QtBot, answers) -> None:
    ctx = make_ctx(demo_stocked, "recepcion")
    appointment_id, expected = completed_appointment(demo_stocked)
    appointment, _moves = agenda_queries.get_appointment(
        ctx.uow(), actor=ctx.actor, appointment_id=appointment_id
    )
    page = AgendaPage(ctx)
    qtbot.addWidget(page)
    action = find_action(page.dialogs.build_appointment_menu(appointment), "InvoiceAction")
    assert action is not None
    action.trigger()
    [editor] = page.findChildren(InvoiceEditorDialog)
    assert editor.invoice is not None and _line_texts(editor) == expected
    editor.issue()
    issued_id = editor.invoice.id
    assert not editor.invoice.is_draft

    action = find_action(page.dialogs.build_appointment_menu(appointment), "InvoiceAction")
    action.trigger()  # invoiced already: the same invoice opens, no new draft
    opened = [d for d in page.findChildren(InvoiceEditorDialog) if d is not editor]
    assert [d.invoice.id for d in opened] == [issued_id]
    assert opened[0].lines.read_only

    doctor = make_ctx(demo_stocked, "medico")  # no billing.manage: no entry
    doctor_page = AgendaPage(doctor)
    qtbot.addWidget(doctor_page)
    menu = doctor_page.dialogs.build_appointment_menu(appointment)
    assert find_action(menu, "InvoiceAction") is None

    owner = make_ctx(demo_stocked, "duena")
    chart = ChartView(owner, appointment.patient_id)
    qtbot.addWidget(chart)
    settle()
    chart.open_record(TimelineKind.INVOICE, issued_id)
    assert isinstance(chart.invoice_dialog, InvoiceEditorDialog)
    assert chart.invoice_dialog.invoice.id == issued_id
    assert chart.invoice_dialog.lines.read_only and chart.invoice_dialog.save_button.isHidden()
