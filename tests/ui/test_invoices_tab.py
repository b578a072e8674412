"""The invoices tab against a real demo clinic: drafts first and then the newest issued, with
number, kind, date, buyer, total, paid, balance and a status pill (a credit note's total
negative); the status, kind, period, series and text filters; keyset paging with "Show
more"; a change made elsewhere shows without reloading by hand; New invoice… for a chosen
patient, Take payment…, Credit note… and Print on the selected row; a doctor, who may not
see invoices, gets the services' refusal and no table, while reports.finance reads without
the writing buttons."""

from __future__ import annotations

import io
import re
from decimal import Decimal

import pytest
from pypdf import PdfReader
from pytestqt.qtbot import QtBot
from support.invoice_data import buyer, draft, line
from support.payment_data import new_patient, pay
from ui.screens_helpers import make_ctx, settle

from clinic_desktop.services.invoice_labels import status_label
from clinic_desktop.services.invoices import issue_credit_note, issue_invoice, list_invoices
from clinic_desktop.services.users import set_grant
from clinic_desktop.ui.billing import invoices_tab as tab_module
from clinic_desktop.ui.billing.credit_note_dialog import CreditNoteDialog
from clinic_desktop.ui.billing.invoice_editor import InvoiceEditorDialog
from clinic_desktop.ui.billing.invoice_filters import STATUS_COLUMN
from clinic_desktop.ui.billing.invoices_tab import InvoicesTab
from clinic_desktop.ui.billing.new_invoice_dialog import NewInvoiceDialog
from clinic_desktop.ui.billing.payment_dialog import PaymentDialog
from clinic_desktop.ui.widgets import print_preview

D = Decimal


def text_of(pdf: bytes) -> str:
    return " ".join(re.sub(r"\s+", " ", p.extract_text()) for p in PdfReader(io.BytesIO(pdf)).pages)


def _issue(demo, who, made):
    return issue_invoice(demo.db.uow(), actor=who, invoice_id=made.id, version=made.version)


@pytest.fixture
def books(demo):
    """Reception's invoices at this PC: a paid one, a partly paid one, one wholly credited,
    one unpaid for another payer, and a draft."""
    ctx = make_ctx(demo, "recepcion")
    who = ctx.actor
    rosa = new_patient(demo)
    luis = new_patient(demo, "Luis Alberto", "Guamán")
    paid = _issue(demo, who, draft(demo, who, [line("Consulta", "30")], patient_id=rosa, **buyer()))
    pay(demo, who, rosa, D("30"))
    partly = _issue(
        demo,
        who,
        draft(
            demo,
            who,
            [line("Limpieza dental", "40")],
            patient_id=luis,
            **buyer("Luis Alberto Guamán", tax_id="0926687856"),
        ),
    )
    pay(demo, who, luis, D("15"))
    credited = _issue(demo, who, draft(demo, who, [line("Control", "20")]))
    note = issue_credit_note(demo.db.uow(), actor=who, invoice_id=credited.id, reason="Duplicada")
    company = _issue(
        demo,
        who,
        draft(
            demo,
            who,
            [line("Chequeo ocupacional", "45")],
            **buyer("Seguros Andinos S.A.", "ruc", "1710034065001"),
        ),
    )
    pending = draft(demo, who, [line("Radiografía", "25")], **buyer("Marta Cevallos"))
    return {
        "ctx": ctx,
        "rosa": rosa,
        "paid": paid,
        "partly": partly,
        "credited": credited,
        "note": note,
        "company": company,
        "draft": pending,
    }


def _tab(qtbot: QtBot, ctx) -> InvoicesTab:
    tab = InvoicesTab(ctx)
    qtbot.addWidget(tab)
    tab.resize(1300, 700)
    tab.show()
    return tab


def _numbers(tab: InvoicesTab) -> list[str]:
    return [r.number_text or "draft" for r in tab.model.rows()]


def _cells(tab: InvoicesTab, row: int) -> list[str]:
    model = tab.model
    return [model.index(row, c).data() for c in range(model.columnCount())]


def test_the_list_shows_every_document_with_its_figures(books, qtbot: QtBot) -> None:
    tab = _tab(qtbot, books["ctx"])
    paid, partly, credited, note = books["paid"], books["partly"], books["credited"], books["note"]
    company = books["company"]
    # Drafts first, then the newest issued (credit notes are numbered in their own series).
    assert _numbers(tab) == [
        "draft",
        company.number_text,
        note.number_text,
        credited.number_text,
        partly.number_text,
        paid.number_text,
    ]
    assert _cells(tab, 0)[0] == "Draft" and _cells(tab, 0)[2] == "—"
    assert _cells(tab, 4)[3:] == [
        "Luis Alberto Guamán",
        "$40.00",
        "$15.00",
        "$25.00",
        "Partly paid",
    ]
    assert _cells(tab, 5)[4:] == ["$30.00", "$30.00", "$0.00", "Paid"]
    assert _cells(tab, 2)[1] == "Credit note" and _cells(tab, 2)[4:7] == ["-$20.00", "—", "—"]
    assert _cells(tab, 3)[7] == status_label("credited")
    assert isinstance(tab.table.itemDelegateForColumn(STATUS_COLUMN), tab_module.PillDelegate)
    assert tab.count_label.text() == "6 documents shown" and tab.more_button.isHidden()


def test_filters_narrow_the_list(books, qtbot: QtBot) -> None:
    tab = _tab(qtbot, books["ctx"])
    bar = tab.filter_bar
    bar.set_status("unpaid")
    assert _numbers(tab) == [books["company"].number_text, books["partly"].number_text]
    bar.set_status("")
    bar.set_kind("credit_note")
    assert _numbers(tab) == [books["note"].number_text]
    bar.set_kind("")
    bar.search_edit.setText("andinos")
    tab.refresh()  # typing waits for a pause; refresh acts now
    assert _numbers(tab) == [books["company"].number_text]
    bar.search_edit.setText("1710034065001")  # the buyer's RUC
    tab.refresh()
    assert _numbers(tab) == [books["company"].number_text]
    bar.search_edit.setText("")
    bar.set_period("this_month")  # a date filter leaves drafts out
    assert "draft" not in _numbers(tab) and len(_numbers(tab)) == 5
    bar.set_dates(
        bar.today.replace(year=bar.today.year - 1), bar.today.replace(year=bar.today.year - 1)
    )
    assert _numbers(tab) == [] and tab.empty_label.text() == "No invoices match these filters."
    bar.set_period("any")
    series = [bar.series_combo.itemData(i) for i in range(bar.series_combo.count())]
    assert series == ["", "001-001"]
    bar.series_combo.setCurrentIndex(1)
    assert "draft" not in _numbers(tab) and len(_numbers(tab)) == 5


def test_show_more_continues_where_the_page_ended(
    books, qtbot: QtBot, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(tab_module, "PAGE_SIZE", 4)
    tab = _tab(qtbot, books["ctx"])
    assert len(_numbers(tab)) == 4 and tab.more_button.isVisible()
    tab.load_more()
    ids = [r.id for r in tab.model.rows()]
    assert len(ids) == 6 == len(set(ids)) and tab.more_button.isHidden()
    assert ids[-1] == books["paid"].id


def test_a_page_ending_on_the_last_document_offers_no_more(
    books, qtbot: QtBot, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Six documents in all: a page of exactly six must not offer a "Show more" that loads
    # nothing; a page of five offers the one left and then stops.
    monkeypatch.setattr(tab_module, "PAGE_SIZE", 6)
    tab = _tab(qtbot, books["ctx"])
    assert tab.model.rowCount() == 6 and tab.total == 6
    assert tab.more_button.isHidden() and tab.next_after is None
    assert tab.count_label.text() == "6 documents shown"

    monkeypatch.setattr(tab_module, "PAGE_SIZE", 5)
    tab.refresh()
    assert tab.model.rowCount() == 5 and tab.more_button.isVisible()
    assert tab.count_label.text() == "Showing 5 of 6 documents"
    assert tab.more_button.text() == "Show 1 more"
    tab.load_more()
    ids = [r.id for r in tab.model.rows()]
    assert len(ids) == 6 == len(set(ids)) and ids[-1] == books["paid"].id
    assert tab.more_button.isHidden() and tab.count_label.text() == "6 documents shown"

    # The count follows the filters: five issued documents fit one page of five.
    tab.filter_bar.set_period("this_month")
    assert tab.model.rowCount() == 5 and tab.total == 5 and tab.more_button.isHidden()


def test_changes_made_elsewhere_show_up(books, qtbot: QtBot, demo) -> None:
    ctx = books["ctx"]
    tab = _tab(qtbot, ctx)
    pending = books["draft"]
    issued = _issue(demo, ctx.actor, pending)
    qtbot.waitUntil(lambda: issued.number_text in _numbers(tab), timeout=2000)
    assert "draft" not in _numbers(tab)


def test_row_actions_open_the_right_dialogs_and_print(
    books, qtbot: QtBot, monkeypatch: pytest.MonkeyPatch
) -> None:
    ctx = books["ctx"]
    tab = _tab(qtbot, ctx)
    printed: list[bytes] = []
    monkeypatch.setattr(print_preview, "show_pdf_preview", lambda _p, pdf, _t: printed.append(pdf))
    assert not tab.open_button.isEnabled() and not tab.pay_button.isEnabled()

    partly = books["partly"]
    assert tab.select(partly.id)
    assert tab.pay_button.isEnabled() and tab.credit_button.isEnabled()
    tab.print_selected()
    assert partly.number_text in text_of(printed[-1]) and "Luis Alberto Guamán" in text_of(
        printed[-1]
    )
    payment = tab.take_payment()
    assert isinstance(payment, PaymentDialog) and payment.patient_id == partly.patient_id
    payment.reject()
    tab.credit_selected()
    assert isinstance(tab.dialog, CreditNoteDialog) and tab.dialog.invoice.id == partly.id
    tab.dialog.reject()
    editor = tab.open_selected()
    assert isinstance(editor, InvoiceEditorDialog) and editor.invoice.id == partly.id
    assert editor.lines.read_only
    editor.reject()

    assert tab.select(books["note"].id)  # a credit note is neither paid nor credited here
    assert not tab.pay_button.isEnabled() and not tab.credit_button.isEnabled()

    chooser = tab.new_invoice()
    assert isinstance(chooser, NewInvoiceDialog)
    assert not chooser.start()  # no patient chosen, and "without a patient" not ticked
    assert "choose one" in chooser.error.text()
    chooser.picker.search("Quishpe")
    [hit] = chooser.picker.hits()
    chooser.picker.choose(hit)
    assert chooser.start()
    editor = tab.dialog
    assert isinstance(editor, InvoiceEditorDialog) and editor.invoice is not None
    assert editor.invoice.patient_id == books["rosa"] and editor.invoice.is_draft
    assert editor.buyer.name_edit.text() == "Rosa Elena Quishpe"
    editor.reject()


def test_who_may_see_and_write_invoices(books, qtbot: QtBot, demo) -> None:
    doctor = _tab(qtbot, make_ctx(demo, "medico"))
    assert doctor.denied and doctor.content.isHidden() and doctor.model.rowCount() == 0

    owner = make_ctx(demo, "duena")
    set_grant(
        demo.db.uow(), actor=owner.actor, role="doctor", permission="reports.finance", granted=True
    )
    reader = _tab(qtbot, make_ctx(demo, "medico"))
    settle()
    assert not reader.denied and reader.model.rowCount() == 6
    assert reader.new_button.isHidden() and reader.pay_button.isHidden()
    assert reader.credit_button.isHidden() and reader.print_button.isVisible()


def test_the_demo_books_page_through_to_the_last_invoice(demo_billed, qtbot: QtBot) -> None:
    ctx = make_ctx(demo_billed, "recepcion")
    everything = list_invoices(ctx.uow(), actor=ctx.actor, limit=1000)
    assert len(everything) > tab_module.PAGE_SIZE  # the demo has more than one page
    tab = _tab(qtbot, ctx)
    assert tab.model.rowCount() == tab_module.PAGE_SIZE and tab.more_button.isVisible()
    while tab.more_button.isVisible():
        tab.load_more()
    assert [r.id for r in tab.model.rows()] == [r.id for r in everything]
    assert tab.count_label.text() == f"{len(everything)} documents shown"
    tab.filter_bar.set_status("unpaid")
    owed = tab.model.rows()
    assert owed and all(r.kind == "invoice" and r.balance > 0 for r in owed)
