"""Invoicing in a Spanish clinic: a complete invoice names its buyer with a valid NIF, medical
care is exempt under art. 20 with the legal note, simplified invoices need no buyer but stop
at 400 € VAT included, every kind has its own series (F, S, R) and corrective invoices carry
R1, or R5 when they correct a simplified invoice."""

from __future__ import annotations

from decimal import Decimal

import pytest
from support.invoice_data import actor, draft, issue_draft, line, stored

from clinic_desktop.errors import ValidationError
from clinic_desktop.i18n import set_language
from clinic_desktop.services.credit_notes import issue_credit_note
from clinic_desktop.services.invoices import get_invoice

D = Decimal
NOBODY = {"buyer_name": "", "buyer_id_type": "", "buyer_tax_id": ""}


# agenda_kit's `madrid`: an empty clinic in Spain, owner "ana".
pytest_plugins = ["agenda_kit"]


def test_a_complete_invoice_needs_a_valid_nif(madrid) -> None:
    owner = actor(madrid, "ana", "RECEPCION")
    care = [line("Consulta de odontología", "60", tax="ES_EXENTO_ART20")]
    anonymous = draft(madrid, owner, care, **NOBODY)
    before = stored(madrid, anonymous.id)
    with pytest.raises(ValidationError) as caught:
        issue_draft(madrid, owner, anonymous)
    assert caught.value.field == "buyer_tax_id"
    assert stored(madrid, anonymous.id) == before
    with pytest.raises(ValidationError) as caught:
        draft(
            madrid,
            owner,
            care,
            buyer_name="Elena Ruiz",
            buyer_id_type="dni",
            buyer_tax_id="12345678A",
        )
    assert caught.value.field == "buyer_tax_id" and "DNI letter" in caught.value.message
    made = draft(
        madrid, owner, care, buyer_name="Elena Ruiz", buyer_id_type="dni", buyer_tax_id="12345678-z"
    )
    issued = issue_draft(madrid, owner, made)
    assert issued.number_text == "F001-000001" and issued.kind_label == "Invoice"
    assert (issued.buyer_id_type, issued.buyer_tax_id) == ("dni", "12345678Z")
    assert issued.currency == "EUR" and issued.total == D("60.00") and issued.tax_total == 0
    [row] = issued.taxes
    assert row.exempt and row.official == "E1" and "art. 20" in row.label
    assert len(issued.legal_notes) == 1 and "article 20" in issued.legal_notes[0]
    set_language("es")
    try:
        spanish = get_invoice(madrid.db.uow(), actor=owner, invoice_id=issued.id)
    finally:
        set_language("en")
    assert spanish.status_label == "Emitida"


def test_simplified_invoices_need_no_buyer_up_to_400_euros(madrid) -> None:
    owner = actor(madrid, "ana", "RECEPCION")
    # 340 + 21 % = 411.40: over the limit.
    big = draft(
        madrid, owner, [line("Relleno facial", "340", tax="ES_IVA_21")], kind="simplified", **NOBODY
    )
    before = stored(madrid, big.id)
    with pytest.raises(ValidationError) as caught:
        issue_draft(madrid, owner, big)
    assert caught.value.field == "kind" and "€400.00" in caught.value.message
    assert "€411.40" in caught.value.message
    assert stored(madrid, big.id) == before
    small = draft(
        madrid,
        owner,
        [line("Blanqueamiento", "330.58", tax="ES_IVA_21")],
        kind="simplified",
        **NOBODY,
    )
    assert small.total == D("400.00")  # 330.58 + 69.42
    issued = issue_draft(madrid, owner, small)
    assert issued.number_text == "S001-000001"  # the refusal above used no number
    assert issued.kind_label == "Simplified invoice" and issued.buyer_name == ""
    assert issued.taxes[0].label == "IVA 21 %"
    note = issue_credit_note(
        madrid.db.uow(), actor=owner, invoice_id=issued.id, reason="Devolución"
    )
    assert note.number_text == "R001-000001" and note.rectification_code == "R5"
    assert note.kind_label == "Corrective invoice"


def test_corrective_invoices_of_complete_invoices_are_r1(madrid) -> None:
    owner = actor(madrid, "ana", "RECEPCION")
    made = draft(
        madrid,
        owner,
        [line("Ortodoncia, revisión", "80", tax="ES_EXENTO_ART20")],
        buyer_name="Clínica Dental Sol S.L.",
        buyer_id_type="cif",
        buyer_tax_id="B58378431",
    )
    issued = issue_draft(madrid, owner, made)
    assert issued.buyer_id_type == "cif"
    note = issue_credit_note(madrid.db.uow(), actor=owner, invoice_id=issued.id, reason="Error")
    assert (note.number_text, note.rectification_code) == ("R001-000001", "R1")
    assert note.corrects_number == "F001-000001" and note.legal_notes == issued.legal_notes
