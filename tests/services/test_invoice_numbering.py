"""Invoice numbers: each PC issues from its own emission point, numbers are correlative
without gaps per series even when issues from two PCs interleave and some fail, credit notes
count apart, and a PC without an emission point of its own is refused with the reason while
another PC already issues."""

from __future__ import annotations

from decimal import Decimal

import pytest
from sqlalchemy import select
from support.invoice_data import SYSTEM, actor, at_pc, buyer, draft, line, stored

from clinic_desktop.errors import ValidationError
from clinic_desktop.models.billing import EmissionPoint, InvoiceKind, InvoiceSeries
from clinic_desktop.services.credit_notes import issue_credit_note
from clinic_desktop.services.invoice_numbering import (
    NoEmissionPoint,
    assign_emission_point,
    format_number,
    list_emission_points,
    series_prefix,
)
from clinic_desktop.services.invoices import issue_invoice, list_invoices

D = Decimal


def _issue(demo, who, made):
    return issue_invoice(demo.db.uow(), actor=who, invoice_id=made.id, version=made.version)


def test_two_emission_points_number_correlatively_without_gaps(demo) -> None:
    owner = actor(demo, "duena", "DUENA-PC")
    front = actor(demo, "recepcion", "RECEPCION-1")
    back = at_pc(actor(demo, "recepcion"), "RECEPCION-2")
    first = _issue(demo, front, draft(demo, front, [line("Consulta", "20")]))
    assert first.number_text == "001-001-000000001"  # the first PC takes the clinic's point
    assign_emission_point(
        demo.db.uow(), actor=owner, workstation="RECEPCION-2", code="002", label="Caja 2"
    )
    numbers: dict[str, list[str]] = {"RECEPCION-1": [first.number_text], "RECEPCION-2": []}
    for round_ in range(3):
        for who in (back, front):
            made = draft(demo, who, [line(f"Consulta {round_}", "20")])
            if round_ == 1:
                # A failed issue at each PC in the middle: no number is used up.
                broken = draft(demo, who, [line("Sin cédula", "20")], **buyer(tax_id=""))
                with pytest.raises(ValidationError):
                    _issue(demo, who, broken)
            numbers[who.workstation].append(_issue(demo, who, made).number_text)
    assert numbers["RECEPCION-1"] == [f"001-001-{n:09d}" for n in range(1, 5)]
    assert numbers["RECEPCION-2"] == [f"001-002-{n:09d}" for n in range(1, 4)]
    listed = list_invoices(demo.db.uow(), actor=owner, status="issued", series_prefix="001-002")
    assert sorted(i.number_text for i in listed) == numbers["RECEPCION-2"]
    points = list_emission_points(demo.db.uow(), actor=owner)
    assert [(p.code, p.workstation) for p in points] == [
        ("001", "RECEPCION-1"),
        ("002", "RECEPCION-2"),
    ]
    with demo.db.uow().transaction(SYSTEM) as session:
        counters = {
            s.prefix: s.last_number
            for s in session.scalars(
                select(InvoiceSeries).where(InvoiceSeries.kind == InvoiceKind.INVOICE.value)
            )
        }
    assert counters == {"001-001": 4, "001-002": 3}


def test_a_pc_without_its_own_emission_point_is_refused(demo) -> None:
    front = actor(demo, "recepcion", "RECEPCION-1")
    _issue(demo, front, draft(demo, front, [line("Consulta", "20")]))
    laptop = at_pc(front, "PORTATIL-DRA")
    made = draft(demo, laptop, [line("Consulta", "20")])
    before = stored(demo, made.id)
    with pytest.raises(NoEmissionPoint) as caught:
        _issue(demo, laptop, made)
    assert "PORTATIL-DRA" in caught.value.message and "Settings" in caught.value.message
    assert caught.value.field == "emission_point"
    assert stored(demo, made.id) == before
    with demo.db.uow().transaction(SYSTEM) as session:
        assert (
            session.scalar(select(EmissionPoint).where(EmissionPoint.workstation == "PORTATIL-DRA"))
            is None
        )


def test_credit_notes_have_their_own_series(demo) -> None:
    front = actor(demo, "recepcion", "RECEPCION-1")
    one = _issue(demo, front, draft(demo, front, [line("Consulta", "20")]))
    two = _issue(demo, front, draft(demo, front, [line("Consulta", "30")]))
    note = issue_credit_note(demo.db.uow(), actor=front, invoice_id=two.id, reason="Error")
    assert (one.number_text, two.number_text) == ("001-001-000000001", "001-001-000000002")
    assert note.number_text == "001-001-000000001" and note.kind == "credit_note"
    three = _issue(demo, front, draft(demo, front, [line("Consulta", "40")]))
    assert three.number_text == "001-001-000000003"


def test_assigning_an_emission_point_checks_the_code(demo) -> None:
    owner = actor(demo, "duena", "DUENA-PC")
    for code in ("2", "000", "0a2"):
        with pytest.raises(ValidationError) as caught:
            assign_emission_point(demo.db.uow(), actor=owner, workstation="PC-9", code=code)
        assert caught.value.field == "code"
    assign_emission_point(demo.db.uow(), actor=owner, workstation="PC-9", code="009")
    with pytest.raises(ValidationError) as caught:
        assign_emission_point(demo.db.uow(), actor=owner, workstation="PC-8", code="009")
    assert "PC-9" in caught.value.message


def test_number_formats_per_country(demo) -> None:
    with demo.db.uow().transaction(SYSTEM) as session:
        from clinic_desktop.services.invoice_numbering import _clinic

        clinic = _clinic(session)
        assert series_prefix(clinic, "002", InvoiceKind.CREDIT_NOTE) == "001-002"
        clinic.country = "ES"
        assert series_prefix(clinic, "002", InvoiceKind.INVOICE) == "F002"
        assert series_prefix(clinic, "002", InvoiceKind.SIMPLIFIED) == "S002"
        assert series_prefix(clinic, "002", InvoiceKind.CREDIT_NOTE) == "R002"
        session.rollback()
    assert format_number("EC", "001-002", 123) == "001-002-000000123"
    assert format_number("ES", "F002", 123) == "F002-000123"
