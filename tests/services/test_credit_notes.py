"""Credit notes: issued at once in their own series, naming the invoice they correct and why,
with the original's lines, prices and rates; partial notes never credit more than remains of
a line and add up exactly to the invoice; the original is settled (credited when unpaid and
wholly credited); refusals change nothing; credited products go back into stock on request."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
from sqlalchemy import select
from support.invoice_data import (
    SYSTEM,
    actor,
    audit_count,
    draft,
    issued_invoice,
    line,
    product_line,
    stock_of,
    stocked_product,
    stored,
)

from clinic_desktop.errors import InvalidTransition, NeedsConfirmation, ValidationError
from clinic_desktop.models.billing import Invoice, InvoiceLine
from clinic_desktop.models.stock import StockMovement
from clinic_desktop.services import stock_ledger as ledger
from clinic_desktop.services.credit_notes import issue_credit_note
from clinic_desktop.services.invoices import get_invoice, list_invoices

D = Decimal


def _credit(clinic, who, invoice, **kw):
    kw.setdefault("reason", "Error en el servicio facturado")
    return issue_credit_note(clinic.db.uow(), actor=who, invoice_id=invoice.id, **kw)


def test_partial_then_full_credit_adds_up_to_the_invoice_exactly(demo) -> None:
    reception = actor(demo, "recepcion")
    invoice = issued_invoice(
        demo,
        reception,
        [
            line("Consulta de control", "10.00", "3", discount="1.00"),
            line("Férula de descarga", "45.50", tax="EC_IVA_15"),
        ],
        discount="5",
    )
    # nets 29.00 + 45.50; 5 % off = 3.73 (1.45 + 2.28); tax 15 % of 43.22 = 6.48
    assert invoice.total == D("77.25")
    first_line, second_line = invoice.lines

    part = _credit(demo, reception, invoice, lines=[(first_line.id, D(1))])
    assert part.kind == "credit_note" and part.kind_label == "Credit note"
    assert part.number_text == "001-001-000000001" and part.status == "issued"
    assert (part.corrects_id, part.corrects_number) == (invoice.id, invoice.number_text)
    assert part.correction_reason == "Error en el servicio facturado"
    assert part.rectification_code == ""  # Ecuador has none
    [copied] = part.lines
    assert (copied.corrects_line_id, copied.quantity, copied.unit_price) == (
        first_line.id,
        D(1),
        D("10.00"),
    )
    assert copied.discount == D("0.33") and part.discount_percent == D(5)
    assert part.total == D("9.19") and part.totals_match  # 9.67 - 0.48
    original = get_invoice(demo.db.uow(), actor=reception, invoice_id=invoice.id)
    assert original.status == "issued" and original.credited_total == D("9.19")
    assert original.balance == D("68.06")
    assert [li.creditable_quantity for li in original.lines] == [D(2), D(1)]
    assert [n.number_text for n in original.credit_notes] == ["001-001-000000001"]

    rest = _credit(demo, reception, invoice, reason="Anulación")
    assert [(li.corrects_line_id, li.quantity) for li in rest.lines] == [
        (first_line.id, D(2)),
        (second_line.id, D(1)),
    ]
    assert rest.number_text == "001-001-000000002" and rest.totals_match
    assert part.total + rest.total == invoice.total  # the last note took the rounding residue
    original = get_invoice(demo.db.uow(), actor=reception, invoice_id=invoice.id)
    assert original.status == "credited" and original.status_label == "Fully credited"
    assert (original.credited_total, original.balance) == (invoice.total, D(0))
    assert not original.can_credit and original.number_text == invoice.number_text
    listed = list_invoices(demo.db.uow(), actor=reception, kind="credit_note")
    assert {n.number_text for n in listed} == {"001-001-000000001", "001-001-000000002"}

    before, trail = stored(demo, invoice.id), audit_count(demo)
    with pytest.raises(InvalidTransition) as caught:
        _credit(demo, reception, invoice)
    assert "already wholly credited" in caught.value.message
    with pytest.raises(ValidationError) as caught:
        _credit(demo, reception, invoice, lines=[(first_line.id, D("0.5"))])
    assert caught.value.field == "lines.1.quantity" and "at most 0" in caught.value.message
    assert stored(demo, invoice.id) == before and audit_count(demo) == trail


def test_a_line_is_never_credited_beyond_what_remains(demo) -> None:
    reception = actor(demo, "recepcion")
    invoice = issued_invoice(demo, reception, [line("Sesión de fisioterapia", "25", "4")])
    [only] = invoice.lines
    _credit(demo, reception, invoice, lines=[(only.id, D(3))])
    before, trail = stored(demo, invoice.id), audit_count(demo)
    with pytest.raises(ValidationError) as caught:
        _credit(demo, reception, invoice, lines=[(only.id, D(1)), (only.id, D(1))])
    assert (
        "at most 1 remain" in caught.value.message and "3 already credited" in caught.value.message
    )
    with pytest.raises(ValidationError) as caught:
        _credit(demo, reception, invoice, lines=[(only.id, D(-1))])
    assert caught.value.field == "lines.1.quantity"
    with pytest.raises(ValidationError):
        _credit(demo, reception, invoice, lines=[(invoice.id, D(1))])  # not a line of it
    assert stored(demo, invoice.id) == before and audit_count(demo) == trail
    last = _credit(demo, reception, invoice, lines=[(only.id, D(1))])
    assert last.total == D("25.00")
    assert get_invoice(demo.db.uow(), actor=reception, invoice_id=invoice.id).status == "credited"


def test_refusals_reason_drafts_and_credit_notes(demo) -> None:
    reception = actor(demo, "recepcion")
    invoice = issued_invoice(demo, reception, [line("Consulta", "20")])
    open_draft = draft(demo, reception, [line("Consulta", "20")])
    trail = audit_count(demo)
    with pytest.raises(ValidationError) as caught:
        _credit(demo, reception, invoice, reason="   ")
    assert caught.value.field == "reason"
    with pytest.raises(InvalidTransition):
        _credit(demo, reception, open_draft)
    assert audit_count(demo) == trail
    note = _credit(demo, reception, invoice)
    with pytest.raises(InvalidTransition) as caught:
        _credit(demo, reception, note)
    assert "credit note" in caught.value.message


def test_a_paid_invoice_is_credited_only_when_confirmed(demo) -> None:
    reception = actor(demo, "recepcion")
    invoice = issued_invoice(demo, reception, [line("Consulta", "20")])
    with demo.db.uow().transaction(SYSTEM) as session:
        row = session.get(Invoice, invoice.id)
        row.paid_total = row.total  # as the payments service records a payment
        row.settle()
    before = stored(demo, invoice.id)
    with pytest.raises(NeedsConfirmation) as caught:
        _credit(demo, reception, invoice)
    assert "$20.00 paid" in caught.value.message and caught.value.question
    assert stored(demo, invoice.id) == before
    _credit(demo, reception, invoice, confirmed=True)
    after = get_invoice(demo.db.uow(), actor=reception, invoice_id=invoice.id)
    assert after.status == "paid" and after.balance == D("-20.00")  # money to refund


def test_a_credit_within_what_is_still_owed_does_not_ask(demo) -> None:
    """Partly paid: a credit that only lowers the debt leaves nothing to refund, so it is
    issued at once; one cent more than the debt asks, naming what would be refunded."""
    reception = actor(demo, "recepcion")
    invoice = issued_invoice(demo, reception, [line("Consulta", "20"), line("Certificado", "12")])
    with demo.db.uow().transaction(SYSTEM) as session:
        row = session.get(Invoice, invoice.id)
        row.paid_total = D("10.00")  # as the payments service records a payment
        row.settle()
    note = _credit(demo, reception, invoice, lines=[(invoice.lines[1].id, D(1))])
    after = get_invoice(demo.db.uow(), actor=reception, invoice_id=invoice.id)
    assert note.total == D("12.00") and after.balance == D("10.00")
    assert after.status == "partly_paid"

    before = stored(demo, invoice.id)
    with pytest.raises(NeedsConfirmation) as caught:
        _credit(demo, reception, after, lines=[(invoice.lines[0].id, D(1))])
    assert "this credit of $20.00 leaves $10.00 to refund" in caught.value.message
    assert stored(demo, invoice.id) == before


def test_the_credit_note_keeps_the_rate_of_the_original_date(demo) -> None:
    reception = actor(demo, "recepcion")
    invoice = issued_invoice(demo, reception, [line("Blanqueamiento", "100", tax="EC_IVA_15")])
    # An invoice issued before 2024-04-01, when the general rate was 12 %.
    with demo.db.uow().transaction(SYSTEM) as session:
        row = session.get(Invoice, invoice.id)
        row.issue_date = date(2024, 3, 15)
        row.tax_total, row.total = D("12.00"), D("112.00")
        for item in session.scalars(select(InvoiceLine).where(InvoiceLine.invoice_id == row.id)):
            item.tax_percent, item.tax_official = D("12.00"), "2"
    note = _credit(demo, reception, invoice)
    assert [(li.tax_percent, li.tax_official) for li in note.lines] == [(D("12.00"), "2")]
    assert [t.label for t in note.taxes] == ["IVA 12 %"]
    assert note.total == D("112.00")
    assert get_invoice(demo.db.uow(), actor=reception, invoice_id=invoice.id).balance == 0


def test_credited_products_go_back_into_the_lots_they_came_from(demo) -> None:
    reception = actor(demo, "recepcion")
    brush = stocked_product(demo, "T-CEP", "Cepillo dental suave", "10", lots=2)
    floss = stocked_product(demo, "T-HIL", "Hilo dental", "5")
    invoice = issued_invoice(
        demo, reception, [product_line(brush, "7", "3.50"), product_line(floss, "2", "4.00")]
    )
    assert (stock_of(demo, brush), stock_of(demo, floss)) == (D(3), D(3))
    sold_brush, sold_floss = invoice.lines
    _credit(demo, reception, invoice, lines=[(sold_floss.id, D(1))])  # not returned
    assert stock_of(demo, floss) == D(3)
    _credit(demo, reception, invoice, lines=[(sold_brush.id, D(1))], return_to_stock=True)
    assert stock_of(demo, brush) == D(4)
    rest = _credit(demo, reception, invoice, return_to_stock=True)
    assert (stock_of(demo, brush), stock_of(demo, floss)) == (D(10), D(4))
    with demo.db.uow().transaction(SYSTEM) as session:
        assert ledger.check_balances(session) == []
        back = list(
            session.scalars(
                select(StockMovement).where(
                    StockMovement.kind == "reversal", StockMovement.product_id == brush
                )
            )
        )
    # The later lot's 2 came back as 1 + 1 (partial); the first lot's 5 as one exact reversal.
    assert sorted(m.quantity for m in back) == [D(1), D(1), D(5)]
    assert sum(1 for m in back if m.reverses_id is not None) == 1
    assert {m.reason for m in back} <= {rest.number_text, "001-001-000000002"}
