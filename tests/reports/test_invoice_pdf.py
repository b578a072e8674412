"""The printed invoice and credit note, checked by their extracted text: the title and number
as each country writes them, the buyer, every line, the tax breakdown by rate, the totals, the
payment status, the Spanish exemption note, the invoice a credit note corrects, "DRAFT" on
drafts only, a 60-line invoice over two pages with the header row repeated and "Página 2 de
2", and money in the Ecuadorian and Spanish formats."""

from __future__ import annotations

import io
from dataclasses import replace
from decimal import Decimal

import pytest
from pypdf import PdfReader
from support.billing_pdf_data import (
    SPAIN_EXEMPTION,
    ec_credit_note,
    ec_invoice,
    es_invoice,
    pages_of,
    use_language,
)

from clinic_desktop.reports.billing_docs import InvoiceDocLine
from clinic_desktop.reports.invoice_pdf import render_invoice


@pytest.fixture
def spanish(monkeypatch: pytest.MonkeyPatch) -> None:
    use_language(monkeypatch, "es")


def text_of(pdf: bytes) -> str:
    return " ".join(pages_of(pdf))


def test_an_ecuadorian_invoice_prints_number_buyer_lines_breakdown_and_totals(spanish):
    pdf = render_invoice(ec_invoice())
    pages = pages_of(pdf)
    assert len(pages) == 1
    text = pages[0]
    assert "FACTURA" in text
    assert "No. 001-002-000000123" in text
    assert "Fecha de emisión: 5 mar 2026" in text
    # The letterhead.
    assert "Clínica Dental Santa Ana" in text
    assert "RUC 1790012345001" in text
    # The buyer.
    assert "José Pérez Núñez" in text
    assert "Cédula: 1710034065" in text
    assert "Calle Los Pinos E5-32, Quito" in text
    assert "jose.perez@example.ec" in text
    # Every line, the long one wrapped but whole, with its figures.
    assert "Consulta odontológica de valoración 1 $40,00 — IVA 0 % $40,00" in text
    assert (
        "Resina compuesta fotopolimerizable en pieza 36, dos superficies (oclusal y distal), "
        "con aislamiento absoluto y pulido final" in text
    )
    assert "$55,00 $10,00 IVA 0 % $100,00" in text
    assert "Blanqueamiento dental estético 1 $180,00 — IVA 15 % $180,00" in text
    assert "Cepillo interdental (unidad) 3 $1,25 — IVA 15 % $3,75" in text
    # The breakdown by rate and the totals.
    assert "DESGLOSE DE IMPUESTOS" in text
    assert "IVA 0 % $140,00 $0,00" in text
    assert "IVA 15 % $183,75 $27,56" in text
    assert "Subtotal $323,75" in text
    assert "Total impuestos $27,56" in text
    assert "TOTAL $351,31" in text
    # The payment status.
    assert "Estado de pago Pagada en parte" in text
    assert "Importe pagado $200,00" in text
    assert "Saldo pendiente $151,31" in text
    assert "Próximo control en seis meses." in text
    assert "Página 1 de 1" in text
    assert "BORRADOR" not in text
    reader = PdfReader(io.BytesIO(pdf))
    assert reader.metadata is not None
    assert reader.metadata.title == "FACTURA 001-002-000000123"
    assert len(reader.pages[0].images) == 1  # the logo


def test_a_spanish_exempt_invoice_prints_its_number_legal_note_and_euros(spanish):
    text = text_of(render_invoice(es_invoice()))
    # Spain names the kind in ordinary case, beside the letterhead.
    assert "NIF B12345674 Factura Número: F001-000123" in text
    assert "Clínica Salud Retiro S.L." in text and "NIF B12345674" in text
    assert "María García López" in text
    assert "NIF: 12345678Z" in text
    assert "Revisión y limpieza dental 1 60,00 € Exenta 60,00 €" in text
    assert "Endodoncia molar 1 1.250,00 € Exenta 1.250,00 €" in text
    assert "Exenta art. 20.Uno.3º 1.300,00 € 0,00 €" in text
    assert "Subtotal 1.310,00 €" in text
    assert "Descuento 10,00 €" in text
    assert "TOTAL 1.300,00 €" in text
    assert "Estado de pago Pagada" in text
    assert "NOTAS LEGALES" in text
    assert SPAIN_EXEMPTION in text


def test_columns_nobody_uses_are_left_out(spanish):
    text = text_of(render_invoice(es_invoice()))
    # No line has a discount: no discount column (the global discount is in the totals).
    assert "Descripción Cantidad Precio unitario Impuesto Importe" in text
    with_discount = text_of(render_invoice(ec_invoice()))
    assert "Descripción Cantidad Precio unitario Descuento Impuesto Importe" in with_discount


def test_an_ecuadorian_credit_note_names_the_invoice_it_corrects_and_why(spanish):
    text = text_of(render_invoice(ec_credit_note()))
    assert "NOTA DE CRÉDITO" in text
    assert "No. 001-002-000000007" in text
    assert "DATOS DE LA NOTA DE CRÉDITO" in text
    assert "Rectifica la factura 001-002-000000123 del 5 mar 2026" in text
    assert "Motivo Tratamiento no realizado: el paciente desistió del blanqueamiento." in text
    assert "IVA 15 % $180,00 $27,00" in text
    assert "TOTAL $207,00" in text
    # A credit note has no payment status of its own.
    assert "Estado de pago" not in text


def test_a_spanish_corrective_invoice_and_a_simplified_invoice_are_titled_by_kind(spanish):
    corrective = es_invoice(
        kind="credit_note",
        number="R001-000004",
        corrects=ec_credit_note().corrects,
        payment_status="",
    )
    text = text_of(render_invoice(corrective))
    assert "Factura rectificativa" in text
    assert "Número: R001-000004" in text
    assert "DATOS DE LA FACTURA RECTIFICATIVA" in text
    assert "Rectifica la factura 001-002-000000123 del 5 mar 2026" in text

    simplified = text_of(render_invoice(es_invoice(kind="simplified", buyer=None)))
    assert "Factura simplificada" in simplified
    assert "Sin identificar (factura simplificada)" in simplified


def test_only_a_draft_is_crossed_draft_on_every_page(spanish):
    lines = tuple(
        InvoiceDocLine(f"Sesión {i}", Decimal(1), Decimal(5), Decimal(0), Decimal(5), "IVA 0 %")
        for i in range(70)
    )
    draft = render_invoice(ec_invoice(number="", draft=True, lines=lines))
    pages = pages_of(draft)
    assert len(pages) >= 2
    for page in pages:
        assert "BORRADOR" in page
        assert "Borrador sin numerar" in page
    issued = pages_of(render_invoice(ec_invoice(lines=lines)))
    assert all("BORRADOR" not in page for page in issued)


def test_sixty_lines_run_over_two_pages_with_the_header_row_repeated(spanish):
    lines = tuple(
        InvoiceDocLine(
            description=f"Control ortodóncico número {i:02d}",
            quantity=Decimal(1),
            unit_price=Decimal("5.00"),
            discount=Decimal(0),
            net=Decimal("5.00"),
            tax_label="IVA 0 %",
        )
        for i in range(60)
    )
    pages = pages_of(render_invoice(ec_invoice(lines=lines)))
    assert len(pages) == 2
    for number, page in enumerate(pages, start=1):
        assert f"Página {number} de 2" in page
        assert "FACTURA" in page and "No. 001-002-000000123" in page
        assert "Descripción Cantidad Precio unitario Impuesto Importe" in page
    text = " ".join(pages)
    positions = [text.index(f"Control ortodóncico número {i:02d} ") for i in range(60)]
    assert positions == sorted(positions)
    assert "Control ortodóncico número 00" in pages[0]
    assert "Control ortodóncico número 59" in pages[1]
    assert "TOTAL $351,31" in pages[1]


def test_unit_prices_keep_the_decimals_they_have(spanish):
    line = InvoiceDocLine(
        "Guantes de nitrilo (unidad)", Decimal(200), Decimal("0.085"), Decimal(0), Decimal("17.00")
    )
    text = text_of(render_invoice(ec_invoice(lines=(line,))))
    assert "Guantes de nitrilo (unidad) 200 $0,085 $17,00" in text


def test_in_english_the_titles_and_money_follow_the_language(monkeypatch):
    use_language(monkeypatch, "en")
    text = text_of(render_invoice(es_invoice()))
    assert "Invoice" in text
    assert "Number: F001-000123" in text
    assert "TOTAL €1,300.00" in text
    assert "Endodontics" not in text  # descriptions are printed as written
    assert "Endodoncia molar 1 €1,250.00 Exenta €1,250.00" in text
    assert "Page 1 of 1" in text
    ec = text_of(render_invoice(ec_credit_note()))
    assert "CREDIT NOTE" in ec and "No. 001-002-000000007" in ec
    assert "Corrects invoice 001-002-000000123 of Mar 5, 2026" in ec


def test_an_invoice_without_lines_or_logo_still_prints(spanish):
    doc = replace(
        es_invoice(lines=(), taxes=()),
        letterhead=replace(es_invoice().letterhead, logo=b"not an image"),
    )
    pdf = render_invoice(doc)
    assert "Esta factura no tiene líneas." in text_of(pdf)
    assert len(PdfReader(io.BytesIO(pdf)).pages[0].images) == 0
