"""Invoices that sell products and invoices from appointments: a product line leaves stock
by FEFO through the ledger when the invoice is issued (a sale movement per lot pointing at
the line), short stock is refused naming the product and changes nothing unless the clinic
allows negative stock; a completed demo appointment is invoiced with its treatments as lines
and is not invoiced twice without asking."""

from __future__ import annotations

from decimal import Decimal

import pytest
from sqlalchemy import select
from support.invoice_data import (
    SYSTEM,
    actor,
    completed_visit,
    draft,
    issue_draft,
    line,
    product_line,
    stock_of,
    stocked_product,
    stored,
)

from clinic_desktop.errors import NeedsConfirmation, ValidationError
from clinic_desktop.models.stock import StockMovement
from clinic_desktop.services import stock_ledger as ledger
from clinic_desktop.services.invoices import create_draft, invoice_for_appointment
from clinic_desktop.services.settings import update_settings

D = Decimal


def test_a_product_line_lowers_stock_by_the_quantity_sold(demo) -> None:
    reception = actor(demo, "recepcion")
    brush = stocked_product(demo, "T-CEP", "Cepillo dental suave", "10", lots=2)
    made = draft(demo, reception, [line("Consulta", "20"), product_line(brush, "7", "3.50")])
    sold = made.lines[1]
    assert (sold.description, sold.tax_code, sold.source) == (
        "Cepillo dental suave",
        "EC_IVA_15",
        "product",
    )
    assert stock_of(demo, brush) == D("10")  # a draft moves nothing
    issued = issue_draft(demo, reception, made)
    assert stock_of(demo, brush) == D("3") and issued.warnings == ()
    with demo.db.uow().transaction(SYSTEM) as session:
        moves = list(
            session.scalars(
                select(StockMovement)
                .where(StockMovement.source_id == sold.id)
                .order_by(StockMovement.quantity)
            )
        )
        assert ledger.check_balances(session) == []
    # FEFO: the 5 of the lot expiring first, then 2 of the next.
    assert [(m.kind, m.source, m.quantity) for m in moves] == [
        ("sale", "invoice_line", D("-5")),
        ("sale", "invoice_line", D("-2")),
    ]
    assert {m.reason for m in moves} == {issued.number_text}


def test_short_stock_is_refused_naming_the_product_and_changes_nothing(demo) -> None:
    reception = actor(demo, "recepcion")
    floss = stocked_product(demo, "T-HIL", "Hilo dental 50 m", "2")
    made = draft(demo, reception, [product_line(floss, "3", "4.00")])
    before = stored(demo, made.id)
    with pytest.raises(ValidationError) as caught:
        issue_draft(demo, reception, made)
    assert "Hilo dental 50 m" in caught.value.message and caught.value.message.startswith("Line 1")
    assert caught.value.field == "lines.1.quantity"
    assert stored(demo, made.id) == before and stock_of(demo, floss) == D("2")

    update_settings(demo.db.uow(), actor=SYSTEM, changes={"inventory.allow_negative": True})
    issued = issue_draft(demo, reception, made)
    assert issued.number_text == "001-001-000000001"  # the refusal left no gap
    assert stock_of(demo, floss) == D("-1")
    assert len(issued.warnings) == 1 and "Hilo dental 50 m" in issued.warnings[0]


def test_a_completed_demo_appointment_is_invoiced_with_its_treatments(demo_stocked) -> None:
    clinic = demo_stocked
    reception = actor(clinic, "recepcion")
    visit = completed_visit(clinic)
    appointment_id, patient_id, practitioner_id = (
        visit.appointment_id,
        visit.patient_id,
        visit.practitioner_id,
    )
    expected = sorted((t.name, t.quantity, t.price, t.tax_code, t.id) for t in visit.done)
    assert expected  # the demo records what was done
    assert (
        invoice_for_appointment(clinic.db.uow(), actor=reception, appointment_id=appointment_id)
        is None
    )
    made = create_draft(clinic.db.uow(), actor=reception, appointment_id=appointment_id)
    got = sorted(
        (li.description, li.quantity, li.unit_price, li.tax_code, li.appointment_treatment_id)
        for li in made.lines
    )
    assert got == expected
    assert {li.source for li in made.lines} == {"treatment"}
    assert (made.patient_id, made.practitioner_id, made.appointment_id) == (
        patient_id,
        practitioner_id,
        appointment_id,
    )
    assert made.practitioner_name and made.buyer_name == made.patient_name
    assert made.subtotal == sum((p * q for _n, q, p, _t, _i in expected), D(0))
    assert made.totals_match and made.total == made.subtotal + made.tax_total
    found = invoice_for_appointment(clinic.db.uow(), actor=reception, appointment_id=appointment_id)
    assert found is not None and found.id == made.id and found.is_draft

    with pytest.raises(NeedsConfirmation) as caught:
        create_draft(clinic.db.uow(), actor=reception, appointment_id=appointment_id)
    assert "draft" in caught.value.message
    issued = issue_draft(clinic, reception, made)
    with pytest.raises(NeedsConfirmation) as caught:
        create_draft(clinic.db.uow(), actor=reception, appointment_id=appointment_id)
    assert issued.number_text in caught.value.message
    second = create_draft(
        clinic.db.uow(), actor=reception, appointment_id=appointment_id, confirmed=True
    )
    with pytest.raises(NeedsConfirmation):
        issue_draft(clinic, reception, second)
    found = invoice_for_appointment(clinic.db.uow(), actor=reception, appointment_id=appointment_id)
    assert found is not None and found.id == issued.id and found.number_text == issued.number_text
