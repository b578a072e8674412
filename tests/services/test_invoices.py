"""Draft invoices and issuing them in the demo clinic (Ecuador): the happy path with its
number, amounts, audit trail and event; every refusal names the field and changes nothing;
an issued invoice is never edited, deleted or issued again; the buyer rules (an identified
buyer, the consumidor final only up to USD 50, RUC warnings asked); who may do what."""

from __future__ import annotations

import dataclasses
from decimal import Decimal

import pytest
from sqlalchemy import select
from support.invoice_data import (
    SYSTEM,
    actor,
    audit_count,
    billing_events,
    buyer,
    draft,
    issue_draft,
    line,
    stored,
)
from support.products_kit import audit_actions

from clinic_desktop.errors import (
    ConcurrentEditError,
    InvalidTransition,
    NeedsConfirmation,
    NotFound,
    PermissionDenied,
    ValidationError,
)
from clinic_desktop.models.billing import InvoiceLine, InvoiceSeries
from clinic_desktop.models.patient import Patient
from clinic_desktop.services.invoice_dto import InvoiceDraftForm
from clinic_desktop.services.invoices import (
    create_draft,
    delete_draft,
    get_invoice,
    list_invoices,
    update_draft,
)

D = Decimal


def _save(demo, who, made, **changes):
    form = dataclasses.replace(InvoiceDraftForm.from_dto(made), **changes)
    return update_draft(
        demo.db.uow(), actor=who, invoice_id=made.id, version=made.version, form=form
    )


def _series_used(demo) -> int:
    with demo.db.uow().transaction(SYSTEM) as session:
        return sum(s.last_number for s in session.scalars(select(InvoiceSeries)))


def test_a_draft_is_issued_with_its_number_frozen_amounts_audit_and_event(demo) -> None:
    reception = actor(demo, "recepcion")
    events = billing_events(demo)
    made = draft(
        demo,
        reception,
        [line("Consulta general", "30.00"), line("Blanqueamiento", "0.333", "3", tax="EC_IVA_15")],
        discount="10",
    )
    assert made.is_draft and made.number_text == "" and made.status_label == "Draft"
    # 30.00 + 1.00 (3 x 0.333 = 0.999) = 31.00; 10 % off is 3.10, shared 3.00 / 0.10.
    assert (made.subtotal, made.discount_total) == (D("31.00"), D("3.10"))
    assert [li.global_discount for li in made.lines] == [D("3.00"), D("0.10")]
    assert made.tax_total == D("0.14")  # 15 % of 0.90 = 0.135 -> 0.14
    assert made.total == D("28.04") and made.totals_match
    assert made.lines[1].tax_percent == D("15.00") and made.lines[1].tax_official == "4"

    issued = issue_draft(demo, reception, made)
    assert issued.status == "issued" and issued.status_label == "Issued"
    assert issued.number_text == "001-001-000000001" and issued.number == 1
    assert issued.issue_date is not None and issued.issued_at is not None
    assert issued.issued_by_name == "Carla Mendoza"
    assert (issued.total, issued.balance, issued.paid_total) == (D("28.04"), D("28.04"), 0)
    assert [t.label for t in issued.taxes] == ["IVA 0 %", "IVA 15 %"]
    assert [(t.base, t.tax) for t in issued.taxes] == [(D("27.00"), 0), (D("0.90"), D("0.14"))]
    again = get_invoice(demo.db.uow(), actor=reception, invoice_id=made.id)
    assert again.number_text == issued.number_text and again.totals_match
    actions = audit_actions(demo, "Invoice", made.id)
    assert actions[0] == "create" and actions.count("update") >= 2
    with demo.db.uow().transaction(SYSTEM) as session:
        line_ids = list(
            session.scalars(select(InvoiceLine.id).where(InvoiceLine.invoice_id == made.id))
        )
    assert len(line_ids) == 2
    assert all(audit_actions(demo, "InvoiceLine", lid)[0] == "create" for lid in line_ids)
    assert events[-1].what == "invoices" and events[-1].ids == (str(made.id),)


def test_a_draft_for_a_patient_takes_the_buyer_from_the_record(demo) -> None:
    reception = actor(demo, "recepcion")
    with demo.db.uow().transaction(SYSTEM) as session:
        row = session.scalars(select(Patient).where(Patient.email.is_not(None))).first()
        assert row is not None
        expected = (row.id, row.full_name, row.id_number, row.address, row.email)
    made = create_draft(demo.db.uow(), actor=reception, patient_id=expected[0])
    assert (made.patient_id, made.buyer_name, made.buyer_tax_id) == expected[:3]
    assert (made.buyer_address, made.buyer_email) == expected[3:]
    assert made.buyer_id_type == "cedula" and made.buyer_id_type_label == "Cédula"
    assert made.lines == () and made.total == 0 and made.patient_name == expected[1]


@pytest.mark.parametrize(
    ("bad_line", "field", "words"),
    [
        (line("Consulta", "30", "0"), "lines.1.quantity", "more than zero"),
        (line("Consulta", "-30"), "lines.1.unit_price", "negative"),
        (line("Consulta", "30", discount="-1"), "lines.1.discount", "negative"),
        (line("Consulta", "10", "2", discount="20.01"), "lines.1.discount", "cannot be more"),
        (line("Consulta", "30", "1.0005"), "lines.1.quantity", "3 decimal places"),
        (line("Consulta", "30.00001"), "lines.1.unit_price", "4 decimal places"),
        (line("Consulta", "30", tax="ES_IVA_21"), "lines.1.tax_code", "ES_IVA_21"),
        (line("", "30"), "lines.1.description", "required"),
    ],
)
def test_a_bad_line_is_refused_naming_it_and_nothing_changes(demo, bad_line, field, words):
    reception = actor(demo, "recepcion")
    made = draft(demo, reception, [line("Control", "12.00")])
    before, trail = stored(demo, made.id), audit_count(demo)
    with pytest.raises(ValidationError) as caught:
        _save(demo, reception, made, lines=(bad_line,))
    assert caught.value.field == field and words in caught.value.message
    assert caught.value.message.startswith("Line 1 — ")
    assert stored(demo, made.id) == before and audit_count(demo) == trail
    assert get_invoice(demo.db.uow(), actor=reception, invoice_id=made.id).total == D("12.00")


def test_the_discount_on_the_total_stays_between_0_and_100(demo) -> None:
    reception = actor(demo, "recepcion")
    made = draft(demo, reception, [line("Control", "12.00")])
    for bad in ("100.01", "-1", "10.555"):
        with pytest.raises(ValidationError) as caught:
            _save(demo, reception, made, discount_percent=D(bad))
        assert caught.value.field == "discount_percent"
    with pytest.raises(ValidationError) as caught:
        _save(demo, reception, made, discount_percent=D(101))
    assert "between 0 and 100" in caught.value.message
    full = _save(demo, reception, made, discount_percent=D(100))
    assert full.total == 0


def test_issuing_without_lines_or_with_a_zero_total_is_refused_and_takes_no_number(demo):
    reception = actor(demo, "recepcion")
    empty = draft(demo, reception, [])
    free = draft(demo, reception, [line("Cortesía", "0.00")])
    for made, words in ((empty, "at least one line"), (free, "more than zero")):
        before = stored(demo, made.id)
        with pytest.raises(ValidationError) as caught:
            issue_draft(demo, reception, made)
        assert caught.value.field == "lines" and words in caught.value.message
        assert stored(demo, made.id) == before
    assert _series_used(demo) == 0
    ok = issue_draft(demo, reception, draft(demo, reception, [line("Consulta", "20")]))
    assert ok.number_text.endswith("000000001")


def test_an_issued_invoice_is_never_edited_deleted_or_issued_again(demo) -> None:
    reception = actor(demo, "recepcion")
    issued = issue_draft(demo, reception, draft(demo, reception, [line("Consulta", "20")]))
    before, trail = stored(demo, issued.id), audit_count(demo)
    attempts = [
        lambda: _save(demo, reception, issued, notes="cambiado"),
        lambda: delete_draft(
            demo.db.uow(), actor=reception, invoice_id=issued.id, version=issued.version
        ),
        lambda: issue_draft(demo, reception, issued),
    ]
    for attempt in attempts:
        with pytest.raises(InvalidTransition) as caught:
            attempt()
        assert "001-001-000000001 is issued" in caught.value.message
        assert "credit note" in caught.value.message
    assert stored(demo, issued.id) == before and audit_count(demo) == trail


def test_a_draft_is_deleted_into_the_trash_and_leaves_the_list(demo) -> None:
    reception = actor(demo, "recepcion")
    made = draft(demo, reception, [line("Consulta", "20")])
    delete_draft(demo.db.uow(), actor=reception, invoice_id=made.id, version=made.version)
    with pytest.raises(NotFound):
        get_invoice(demo.db.uow(), actor=reception, invoice_id=made.id)
    assert made.id not in {i.id for i in list_invoices(demo.db.uow(), actor=reception)}
    assert audit_actions(demo, "Invoice", made.id)[-1] == "delete"
    assert audit_actions(demo, "InvoiceLine", made.lines[0].id)[-1] == "delete"


def test_a_stale_version_overwrites_nothing(demo) -> None:
    reception = actor(demo, "recepcion")
    made = draft(demo, reception, [line("Consulta", "20")])
    _save(demo, reception, made, notes="primera")
    with pytest.raises(ConcurrentEditError):
        _save(demo, reception, made, notes="segunda")
    with pytest.raises(ConcurrentEditError):
        issue_draft(demo, reception, made)
    assert get_invoice(demo.db.uow(), actor=reception, invoice_id=made.id).notes == "primera"


def test_ecuador_requires_an_identified_buyer(demo) -> None:
    reception = actor(demo, "recepcion")
    nameless = draft(demo, reception, [line("Consulta", "20")], **buyer(name=""))
    with pytest.raises(ValidationError) as caught:
        issue_draft(demo, reception, nameless)
    assert caught.value.field == "buyer_name"
    no_id = draft(demo, reception, [line("Consulta", "20")], **buyer(tax_id=""))
    with pytest.raises(ValidationError) as caught:
        issue_draft(demo, reception, no_id)
    assert caught.value.field == "buyer_tax_id" and "required" in caught.value.message
    made = draft(demo, reception, [line("Consulta", "20")])
    with pytest.raises(ValidationError) as caught:
        _save(demo, reception, made, buyer_tax_id="1710034066")  # wrong check digit
    assert caught.value.field == "buyer_tax_id" and "módulo 10" in caught.value.message
    passport = _save(demo, reception, made, buyer_id_type="passport", buyer_tax_id="X1234567")
    assert issue_draft(demo, reception, passport).buyer_id_type == "passport"
    assert _series_used(demo) == 1


def test_consumidor_final_is_accepted_up_to_50_dollars_only(demo) -> None:
    reception = actor(demo, "recepcion")
    anonymous = {"buyer_name": "", "buyer_id_type": "consumidor_final", "buyer_tax_id": ""}
    big = draft(
        demo,
        reception,
        [line("Limpieza", "40"), line("Cepillo", "8.70", tax="EC_IVA_15")],
        **anonymous,
    )
    assert big.buyer_tax_id == "9999999999999" and big.buyer_name == "CONSUMIDOR FINAL"
    assert big.total == D("50.01")  # 40 + 8.70 + 1.31 (15 % of 8.70 = 1.305)
    before = stored(demo, big.id)
    with pytest.raises(ValidationError) as caught:
        issue_draft(demo, reception, big)
    assert caught.value.field == "buyer_tax_id"
    assert "$50.00" in caught.value.message and "$50.01" in caught.value.message
    assert stored(demo, big.id) == before and _series_used(demo) == 0
    at_limit = draft(demo, reception, [line("Limpieza", "50.00")], **anonymous)
    issued = issue_draft(demo, reception, at_limit)
    assert issued.buyer_id_type == "consumidor_final" and issued.buyer_id_type_label == (
        "Final consumer"
    )
    assert issued.number_text == "001-001-000000001"


def test_a_ruc_that_fails_its_check_digit_is_asked_not_refused(demo) -> None:
    reception = actor(demo, "recepcion")
    made = draft(
        demo,
        reception,
        [line("Consulta empresa", "80")],
        **buyer(name="Importadora Andina S.A.", id_type="ruc", tax_id="1791234567001"),
    )
    assert made.buyer_tax_id == "1791234567001"  # saved: the draft only checks the form
    before = stored(demo, made.id)
    with pytest.raises(NeedsConfirmation) as caught:
        issue_draft(demo, reception, made)
    assert "módulo 11" in caught.value.message and caught.value.question
    assert stored(demo, made.id) == before and _series_used(demo) == 0
    issued = issue_draft(demo, reception, made, confirmed=True)
    assert issued.status == "issued" and issued.buyer_id_type == "ruc"


def test_billing_is_for_reception_and_the_owner(demo) -> None:
    reception, owner = actor(demo, "recepcion"), actor(demo, "duena")
    made = draft(demo, reception, [line("Consulta", "20")])
    for username in ("medico", "asistente", "soporte"):
        someone = actor(demo, username)
        trail = audit_count(demo)
        with pytest.raises(PermissionDenied):
            create_draft(demo.db.uow(), actor=someone)
        with pytest.raises(PermissionDenied):
            issue_draft(demo, someone, made)
        with pytest.raises(PermissionDenied):
            list_invoices(demo.db.uow(), actor=someone)
        with pytest.raises(PermissionDenied):
            get_invoice(demo.db.uow(), actor=someone, invoice_id=made.id)
        assert audit_count(demo) == trail
    assert get_invoice(demo.db.uow(), actor=owner, invoice_id=made.id).total == D("20.00")
    assert issue_draft(demo, owner, made).status == "issued"


def test_a_simplified_invoice_does_not_exist_in_ecuador(demo) -> None:
    reception = actor(demo, "recepcion")
    with pytest.raises(ValidationError) as caught:
        create_draft(demo.db.uow(), actor=reception, kind="simplified")
    assert caught.value.field == "kind" and "Spain" in caught.value.message
    with pytest.raises(ValidationError):
        create_draft(demo.db.uow(), actor=reception, kind="credit_note")
