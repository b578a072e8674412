"""The printed invoice filled from the services names the practitioner the invoice records
(and no one when it records none), and its tax breakdown names each rate in full — Ecuador's
"Not subject to IVA", Spain's art. 20 medical exemption with its legal reference — while the
narrow tax column of the lines keeps the short name."""

from __future__ import annotations

import dataclasses
import io
import re

from pypdf import PdfReader
from support.agenda_data import seed_agenda
from support.invoice_data import actor, draft, issue_draft, line

from clinic_desktop.services.invoice_dto import InvoiceDraftForm
from clinic_desktop.services.invoice_print import print_invoice
from clinic_desktop.services.invoice_queries import get_invoice
from clinic_desktop.services.invoices import update_draft

# agenda_kit's `madrid`: an empty clinic in Spain, owner "ana".
pytest_plugins = ["agenda_kit"]


def _text(pdf: bytes) -> str:
    pages = PdfReader(io.BytesIO(pdf)).pages
    return " ".join(re.sub(r"\s+", " ", page.extract_text()) for page in pages)


def _header(pdf: bytes) -> str:
    """What the first page prints above the customer band: the letterhead and the header."""
    first = re.sub(r"\s+", " ", PdfReader(io.BytesIO(pdf)).pages[0].extract_text())
    return first.split("CUSTOMER")[0]


def test_an_issued_invoice_prints_the_practitioner_it_records(demo) -> None:
    doctor = seed_agenda(demo.db).doctor  # Dr. Andrés Paredes
    desk = actor(demo, "recepcion")
    made = draft(demo, desk, [line("Consulta de control", "40")], practitioner_id=doctor)
    issued = issue_draft(demo, desk, made)
    stored = get_invoice(demo.db.uow(), actor=desk, invoice_id=issued.id)
    assert (stored.practitioner_id, stored.practitioner_name) == (doctor, "Dr. Andrés Paredes")
    pdf = print_invoice(demo.db.uow(), actor=desk, invoice_id=issued.id)
    assert "Practitioner: Dr. Andrés Paredes" in _header(pdf)
    assert _text(pdf).count("Dr. Andrés Paredes") == 1


def test_an_invoice_without_a_practitioner_prints_none_until_one_is_set(demo) -> None:
    dentist = seed_agenda(demo.db).dentist  # Dra. Valeria Cedeño
    desk = actor(demo, "recepcion")
    made = draft(demo, desk, [line("Consulta de control", "40")])
    assert made.practitioner_id is None
    pdf = print_invoice(demo.db.uow(), actor=desk, invoice_id=made.id)
    assert "Practitioner" not in _text(pdf) and "DRAFT" in _text(pdf)

    form = dataclasses.replace(InvoiceDraftForm.from_dto(made), practitioner_id=dentist)
    update_draft(demo.db.uow(), actor=desk, invoice_id=made.id, version=made.version, form=form)
    again = print_invoice(demo.db.uow(), actor=desk, invoice_id=made.id)
    assert "Practitioner: Dra. Valeria Cedeño" in _header(again)


def test_the_breakdown_names_ecuadors_not_subject_rate_in_full(demo) -> None:
    desk = actor(demo, "recepcion")
    made = draft(
        demo,
        desk,
        [
            line("Certificado médico", "15", tax="EC_NO_OBJETO"),
            line("Blanqueamiento estético", "100", tax="EC_IVA_15"),
        ],
    )
    text = _text(
        print_invoice(demo.db.uow(), actor=desk, invoice_id=issue_draft(demo, desk, made).id)
    )
    # The line's narrow column: the short name; the breakdown: the rate's own name.
    assert "Certificado médico 1 $15.00 Not subject $15.00" in text
    assert "Not subject to IVA $15.00 $0.00" in text
    assert "IVA 15 % $100.00 $15.00" in text


def test_the_breakdown_names_spains_medical_exemption_with_its_article(madrid) -> None:
    owner = actor(madrid, "ana", "RECEPCION")
    made = draft(
        madrid,
        owner,
        [line("Endodoncia molar", "250", tax="ES_EXENTO_ART20")],
        buyer_name="Elena Ruiz",
        buyer_id_type="dni",
        buyer_tax_id="12345678Z",
    )
    text = _text(
        print_invoice(madrid.db.uow(), actor=owner, invoice_id=issue_draft(madrid, owner, made).id)
    )
    assert "Endodoncia molar 1 €250.00 Exempt €250.00" in text
    # Wrapped in its column, the label still reads whole, before its figures.
    assert "Exempt, medical care (art. 20.Uno.3º LIVA) €250.00 €0.00" in text
    assert "Practitioner" not in text
