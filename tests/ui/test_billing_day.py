"""A day at the desk, end to end on the billed demo clinic, through the screens a newcomer
uses: reception opens the latest completed visit from the agenda ("Invoice…"), adds a
certificate to the visit's treatments and issues the invoice with the next number of this
PC's series; takes part of it in cash from the invoice; credits the certificate, charged by
mistake; and closes the day with the counts the cash tab expects, after which the day is
locked. Then the owner's finance reports have moved by exactly that invoice, credit note and
payment, reconcile with each other to the cent, and the dashboard shows the same income as
the monthly report."""

from __future__ import annotations

import io
from datetime import date
from decimal import Decimal

import pytest
from pypdf import PdfReader
from pytestqt.qtbot import QtBot
from sqlalchemy import select
from support.invoice_data import SYSTEM
from support.payment_data import clinic_today
from ui.screens_helpers import make_ctx, settle

from clinic_desktop.formatting import money
from clinic_desktop.models.appointment import Appointment, AppointmentStatus
from clinic_desktop.models.billing import Invoice
from clinic_desktop.models.treatment import AppointmentTreatment, TreatmentStatus
from clinic_desktop.services import agenda_queries
from clinic_desktop.services.cash_close import get_cash_close, list_cash_closes
from clinic_desktop.services.finance_reports import report_income_by_method, report_income_expenses
from clinic_desktop.services.finance_reports_breakdown import (
    report_income_by_practitioner,
    report_income_by_treatment,
)
from clinic_desktop.services.finance_reports_ledger import report_tax_summary
from clinic_desktop.services.invoices import get_invoice
from clinic_desktop.services.report_table import TabularReport
from clinic_desktop.services.startup import CreatedClinic
from clinic_desktop.ui.agenda.page import AgendaPage
from clinic_desktop.ui.agenda.status_menu import find_action
from clinic_desktop.ui.billing.cash_tab import CashTab
from clinic_desktop.ui.billing.invoice_editor import InvoiceEditorDialog
from clinic_desktop.ui.dashboard.page import DashboardPage
from clinic_desktop.ui.widgets import print_preview, screen_kit

D = Decimal


class Desk:
    """Every question asked, answered yes, and every PDF sent to the print preview."""

    def __init__(self) -> None:
        self.questions: list[str] = []
        self.printed: list[tuple[str, bytes]] = []

    def confirm(self, _parent: object, title: str, text: str, _ok: str) -> bool:
        self.questions.append(f"{title}: {text}")
        return True

    def preview(self, _parent: object, pdf: bytes, title: str) -> None:
        self.printed.append((title, pdf))


@pytest.fixture
def desk(monkeypatch: pytest.MonkeyPatch) -> Desk:
    found = Desk()
    monkeypatch.setattr(screen_kit, "confirm", found.confirm)
    monkeypatch.setattr(print_preview, "show_pdf_preview", found.preview)
    return found


def _latest_visit(clinic: CreatedClinic) -> object:
    """The latest completed demo visit with treatments done: the demo leaves it unbilled."""
    with clinic.db.uow().transaction(SYSTEM) as session:
        return session.execute(
            select(Appointment.id)
            .join(AppointmentTreatment, AppointmentTreatment.appointment_id == Appointment.id)
            .where(
                Appointment.status == AppointmentStatus.COMPLETED.value,
                AppointmentTreatment.status == TreatmentStatus.DONE.value,
            )
            .order_by(Appointment.start_at.desc())
            .limit(1)
        ).scalar_one()


def _series_numbers(clinic: CreatedClinic, invoice_id: object) -> list[int]:
    """Every number issued in the series of the invoice `invoice_id`, in order."""
    with clinic.db.uow().transaction(SYSTEM) as session:
        series_id = session.scalar(select(Invoice.series_id).where(Invoice.id == invoice_id))
        return sorted(
            int(n)
            for n in session.scalars(select(Invoice.number).where(Invoice.series_id == series_id))
        )


def _total(report: TabularReport, key: str) -> Decimal:
    value = report.value(report.totals[-1], key)
    assert isinstance(value, Decimal)
    return value


def _reports(clinic: CreatedClinic, day: date) -> dict[str, Decimal]:
    """Today's figures from every finance report, as the owner reads them."""
    owner = make_ctx(clinic, "duena")
    period = {"date_from": day, "date_to": day}
    uow = owner.uow
    return {
        "income": _total(report_income_expenses(uow(), actor=owner.actor, **period), "income"),
        "people": _total(
            report_income_by_practitioner(uow(), actor=owner.actor, **period), "income"
        ),
        "treatments": _total(
            report_income_by_treatment(uow(), actor=owner.actor, **period), "income"
        ),
        "bases": _total(report_tax_summary(uow(), actor=owner.actor, **period), "base"),
        "received": _total(
            report_income_expenses(uow(), actor=owner.actor, basis="payments", **period),
            "income",
        ),
        "methods": _total(report_income_by_method(uow(), actor=owner.actor, **period), "net"),
    }


def test_a_day_at_the_desk_reconciles_in_the_owners_reports(
    demo_billed: CreatedClinic, qtbot: QtBot, desk: Desk
) -> None:
    today = clinic_today(demo_billed)
    before = _reports(demo_billed, today)
    ctx = make_ctx(demo_billed, "recepcion")

    # The agenda's "Invoice…" on the visit opens a draft with its treatments.
    appointment, _moves = agenda_queries.get_appointment(
        ctx.uow(), actor=ctx.actor, appointment_id=_latest_visit(demo_billed)
    )
    agenda = AgendaPage(ctx)
    qtbot.addWidget(agenda)
    action = find_action(agenda.dialogs.build_appointment_menu(appointment), "InvoiceAction")
    assert action is not None
    action.trigger()
    [editor] = agenda.findChildren(InvoiceEditorDialog)
    draft = editor.invoice
    assert draft is not None and draft.is_draft and draft.appointment_id == appointment.id
    treatments = len(editor.lines.rows)
    assert treatments >= 1

    editor.picker.free_requested.emit()
    certificate = editor.lines.rows[-1]
    certificate.description.setText("Certificado médico")
    certificate.unit_price.set_decimal(D("12.00"))
    editor.lines.changed.emit()
    editor.issue()
    invoice = editor.invoice
    assert invoice is not None and not invoice.is_draft and len(invoice.lines) == treatments + 1
    # Correlative: the number after the last one the demo issued from this PC's series.
    numbers = _series_numbers(demo_billed, invoice.id)
    assert numbers == list(range(1, len(numbers) + 1)) and numbers[-1] == invoice.number > 1
    assert invoice.number_text.endswith(f"{invoice.number:09d}")
    assert any("Once issued it cannot be changed" in q for q in desk.questions)

    # Part of it in cash, from the invoice.
    payment_dialog = editor.take_payment()
    assert payment_dialog is not None
    payment_dialog.method_combo.setCurrentIndex(payment_dialog.method_combo.findData("cash"))
    payment_dialog.amount_spin.set_decimal(D("10.00"))
    payment_dialog.tendered_spin.set_decimal(D("20.00"))
    assert payment_dialog.change_label.text() == "Change: $10.00"
    payment_dialog.save_button.click()
    payment = payment_dialog.payment
    assert payment is not None and payment.amount == D("10.00")
    paid = get_invoice(ctx.uow(), actor=ctx.actor, invoice_id=invoice.id)
    assert paid.status == "partly_paid" and paid.paid_total == D("10.00")

    # The certificate was charged by mistake: a credit note for that line alone.
    settle()
    note_dialog = editor.open_credit_note()
    assert note_dialog is not None
    note_dialog.part_radio.setChecked(True)
    for line in paid.lines[:-1]:
        note_dialog.set_quantity(line.id, D(0))
    note_dialog.set_quantity(paid.lines[-1].id, D(1))
    note_dialog.reason_edit.setText("Certificado cobrado por error")
    note_dialog.save()
    note = note_dialog.note
    assert note is not None and note.corrects_id == invoice.id
    assert [li.description for li in note.lines] == ["Certificado médico"]
    after = get_invoice(ctx.uow(), actor=ctx.actor, invoice_id=invoice.id)
    assert after.credited_total == note.total
    assert after.balance == invoice.total - D("10.00") - note.total > 0
    assert after.status == "partly_paid"
    assert [title for title, _pdf in desk.printed][-1].startswith("Credit note")
    # It only lowered what is owed: nothing to refund, so nothing was asked about refunds.
    assert not any("to refund" in question for question in desk.questions)

    # The day's close: the counts the tab expects, then the day is locked.
    cash = CashTab(ctx)
    qtbot.addWidget(cash)
    settle()
    cash.count.fill_expected()
    cash.close_button.click()
    [close] = list_cash_closes(ctx.uow(), actor=ctx.actor, date_from=today, date_to=today)
    assert close.counted_total == close.expected_total  # nothing to explain
    assert money(close.expected_total, "USD") == cash.count.expected_total.text()
    locked = get_cash_close(ctx.uow(), actor=ctx.actor, cash_close_id=close.id)
    assert payment.id in {p.id for p in locked.payments}
    sheet_title, sheet = desk.printed[-1]
    assert sheet_title.startswith("Cash close")
    text = "".join(page.extract_text() for page in PdfReader(io.BytesIO(sheet)).pages)
    assert money(close.counted_total, "USD") in text
    settle()
    assert cash.state_label.text().startswith("Closed ")
    assert not cash.close_button.isVisibleTo(cash)
    cash.close_day()  # the day is locked: a second close does nothing
    assert len(list_cash_closes(ctx.uow(), actor=ctx.actor, date_from=today, date_to=today)) == 1

    # The owner's reports moved by exactly what happened, and agree with each other.
    now = _reports(demo_billed, today)
    invoiced = (invoice.total - invoice.tax_total) - (note.total - note.tax_total)
    assert now["income"] - before["income"] == invoiced
    assert now["income"] == now["people"] == now["treatments"] == now["bases"]
    assert now["received"] - before["received"] == D("10.00")
    assert now["received"] == now["methods"]

    owner = make_ctx(demo_billed, "duena")
    dashboard = DashboardPage(owner)
    qtbot.addWidget(dashboard)
    dashboard.show()
    qtbot.waitUntil(lambda: dashboard.data is not None, timeout=5000)
    board = dashboard.data
    assert board is not None
    monthly = report_income_expenses(
        owner.uow(), actor=owner.actor, date_from=board.date_from, date_to=board.date_to
    )
    assert board.income == _total(monthly, "income")
    assert board.expenses == _total(monthly, "expenses")
    assert dashboard.income_card.value_label.text() == f"${board.income:,.2f}"
