"""The cash-close sheet, checked by its extracted text: the day, the workstation, who closed it
and when; per method the expected, counted and difference with their totals; the comment;
every payment of the day; "DRAFT" only on a close not saved yet; a long day over several
pages with the header row repeated; euros in the Spanish format."""

from __future__ import annotations

from dataclasses import replace
from decimal import Decimal

import pytest
from support.billing_pdf_data import MADRID, cash_close, pages_of, use_language

from clinic_desktop.reports.billing_docs import CashCloseRow
from clinic_desktop.reports.cash_close_pdf import render_cash_close


@pytest.fixture
def spanish(monkeypatch: pytest.MonkeyPatch) -> None:
    use_language(monkeypatch, "es")


def test_a_closed_day_prints_methods_differences_comment_and_payments(spanish):
    pages = pages_of(render_cash_close(cash_close()))
    assert len(pages) == 1
    text = pages[0]
    assert "Cierre de caja" in text and "Clínica Dental Santa Ana" in text
    assert "DÍA 5 mar 2026" in text
    assert "PUESTO DE TRABAJO Recepción 1 (001-002)" in text
    assert "CERRADO POR Carla Vásconez" in text
    assert "CERRADO EL 5 mar 2026, 19:05" in text
    assert "Forma de pago Importe esperado Importe contado Diferencia" in text
    assert "Efectivo $54,00 $52,50 -$1,50" in text
    assert "Tarjeta de débito $56,00 $56,00 $0,00" in text
    assert "Transferencia $58,00 $58,00 $0,00" in text
    assert "Total $168,00 $166,50 -$1,50" in text
    assert "COMENTARIO Faltan $1,50 en efectivo: cambio mal entregado a las 11:00." in text
    assert "PAGOS DEL DÍA" in text
    assert "08:00 RC-000040 Paciente de prueba 1 Efectivo $25,50" in text
    assert "10:05 RC-000045 Paciente de prueba 6 Transferencia $30,50" in text
    assert "Total (6 pagos) $168,00" in text
    assert "Cerrado por: Carla Vásconez" in text and "Revisado por" in text
    assert "Página 1 de 1" in text
    assert "BORRADOR" not in text


def test_a_close_not_saved_yet_is_crossed_draft_on_every_page(spanish):
    doc = cash_close(closed_at=None, payments=cash_close().payments * 15)
    pages = pages_of(render_cash_close(doc))
    assert len(pages) >= 2
    for number, page in enumerate(pages, start=1):
        assert "BORRADOR" in page
        assert f"Página {number} de {len(pages)}" in page
        assert "Cierre de caja" in page and "5 mar 2026" in page
    assert "CERRADO EL Sin cerrar todavía" in pages[0]
    # The payments' header row repeats on the pages they run over.
    assert "Hora N.º de recibo Pagador Forma de pago Importe" in pages[1]
    assert "Total (90 pagos)" in pages[-1]


def test_a_day_without_payments_says_so_in_euros(spanish):
    doc = replace(
        cash_close(),
        letterhead=MADRID,
        currency="EUR",
        rows=(CashCloseRow("Efectivo", Decimal(0), Decimal("20.00"), Decimal("20.00")),),
        total_expected=Decimal(0),
        total_counted=Decimal("20.00"),
        total_difference=Decimal("20.00"),
        payments=(),
        comment="",
    )
    text = pages_of(render_cash_close(doc))[0]
    assert "Efectivo 0,00 € 20,00 € 20,00 €" in text
    assert "Total 0,00 € 20,00 € 20,00 €" in text
    assert "No se registró ningún pago en este día." in text
    assert "COMENTARIO" not in text
