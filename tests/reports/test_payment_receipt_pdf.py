"""The payment receipt, checked by its extracted text: an A5 sheet with the letterhead, the
number, the amount, who paid and how, the cash handed over and the change, the invoices the
payment settled with the amount applied to each, the credit left on account and who received
it; a card payment shows its reference and no cash lines; a refund says so; euros in the
Spanish format."""

from __future__ import annotations

import io
from decimal import Decimal

import pytest
from pypdf import PdfReader
from support.billing_pdf_data import MADRID, pages_of, receipt, use_language

from clinic_desktop.reports.payment_receipt_pdf import render_payment_receipt


@pytest.fixture
def spanish(monkeypatch: pytest.MonkeyPatch) -> None:
    use_language(monkeypatch, "es")


def test_a_cash_receipt_prints_amount_payer_change_invoices_and_credit(spanish):
    pdf = render_payment_receipt(receipt())
    reader = PdfReader(io.BytesIO(pdf))
    assert len(reader.pages) == 1
    width, height = (float(v) for v in reader.pages[0].mediabox.upper_right)
    assert (round(width), round(height)) == (420, 595)  # A5 portrait
    text = pages_of(pdf)[0]
    assert "Clínica Dental Santa Ana" in text and "RUC 1790012345001" in text
    assert "Recibo de pago" in text
    assert "No. RC-000045" in text
    assert "IMPORTE RECIBIDO $250,00" in text
    assert "Efectivo 5 mar 2026, 16:42" in text
    assert "Recibido de José Pérez Núñez Cédula 1710034065" in text
    assert "Efectivo entregado $260,00" in text
    assert "Cambio entregado $10,00" in text
    assert "Saldo a favor en cuenta $20,00" in text
    assert "APLICADO A LAS FACTURAS" in text
    assert "001-002-000000123 5 mar 2026 $200,00" in text
    assert "001-002-000000098 11 feb 2026 $30,00" in text
    assert "Total aplicado $230,00" in text
    assert "Recibido por: Carla Vásconez" in text
    assert "Página 1 de 1" in text
    assert reader.metadata is not None and reader.metadata.title == "Recibo de pago RC-000045"


def test_a_card_payment_shows_its_reference_and_no_cash_lines(spanish):
    doc = receipt(
        method_label="Tarjeta de crédito",
        cash_tendered=None,
        change=None,
        reference="Voucher 004512",
        credit_left=Decimal(0),
        allocations=(),
    )
    text = pages_of(render_payment_receipt(doc))[0]
    assert "Tarjeta de crédito" in text
    assert "Referencia Voucher 004512" in text
    assert "Efectivo entregado" not in text
    assert "Cambio entregado" not in text
    assert "Saldo a favor" not in text
    assert "APLICADO A LAS FACTURAS" not in text


def test_a_refund_is_titled_as_one_in_euros(spanish):
    doc = receipt(
        letterhead=MADRID,
        currency="EUR",
        refund=True,
        amount=Decimal("1234.50"),
        cash_tendered=None,
        change=None,
        credit_left=Decimal(0),
        allocations=(),
        notes="Devolución por tratamiento no realizado.",
    )
    text = pages_of(render_payment_receipt(doc))[0]
    assert "Recibo de devolución" in text
    assert "IMPORTE DEVUELTO 1.234,50 €" in text
    assert "Devuelto a José Pérez Núñez" in text
    assert "Pagado por: Carla Vásconez" in text
    assert "Devolución por tratamiento no realizado." in text
    assert "Recibo de pago" not in text


def test_in_english_dollars_are_written_the_english_way(monkeypatch):
    use_language(monkeypatch, "en")
    text = pages_of(render_payment_receipt(receipt()))[0]
    assert "Payment receipt" in text
    assert "AMOUNT RECEIVED $250.00" in text
    assert "Change given $10.00" in text
