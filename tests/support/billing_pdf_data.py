"""Sample billing documents (an Ecuadorian invoice, a Spanish exempt invoice, a credit note, a
payment receipt, a cash close) for the billing PDF tests, `use_language`, which switches
the UI language for one test, and reading a PDF's text back (per page or whole, white space
folded; or as extracted, line breaks kept)."""

from __future__ import annotations

import io
import re
from datetime import date, datetime
from decimal import Decimal

import pytest
from PIL import Image, ImageDraw
from pypdf import PdfReader

from clinic_desktop import i18n
from clinic_desktop.reports.billing_docs import (
    CashCloseDoc,
    CashClosePayment,
    CashCloseRow,
    CorrectedInvoice,
    InvoiceBuyer,
    InvoiceDoc,
    InvoiceDocLine,
    PaymentReceiptDoc,
    ReceiptAllocation,
    TaxBreakdownRow,
)
from clinic_desktop.reports.clinical_letterhead import Letterhead

SPAIN_EXEMPTION = "Operación exenta de IVA según el artículo 20.Uno.3º de la Ley 37/1992"


def use_language(monkeypatch: pytest.MonkeyPatch, language: str) -> None:
    """Switches to `language`; monkeypatch restores the previous catalog after the test."""
    monkeypatch.setattr(i18n, "_current", i18n._current)
    monkeypatch.setattr(i18n, "_language", i18n._language)
    i18n.set_language(language)


def pages_of(pdf: bytes) -> list[str]:
    return [re.sub(r"\s+", " ", p.extract_text()) for p in PdfReader(io.BytesIO(pdf)).pages]


def text_of(pdf: bytes) -> str:
    """Every page's text, white space folded to single spaces, pages joined by a space."""
    return " ".join(pages_of(pdf))


def plain_text_of(pdf: bytes) -> str:
    """Every page's text as pypdf extracts it (line breaks kept), pages run together."""
    return "".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages)


def logo_png() -> bytes:
    """A small two-colour mark, so the screenshots show where the logo sits."""
    image = Image.new("RGBA", (240, 160), (255, 255, 255, 0))
    draw = ImageDraw.Draw(image)
    draw.rounded_rectangle((10, 10, 150, 150), radius=28, fill=(31, 95, 139, 255))
    draw.rectangle((68, 38, 92, 122), fill=(255, 255, 255, 255))
    draw.rectangle((38, 68, 122, 92), fill=(255, 255, 255, 255))
    draw.ellipse((170, 100, 220, 150), fill=(62, 166, 145, 255))
    buffer = io.BytesIO()
    image.save(buffer, "PNG")
    return buffer.getvalue()


def doc_line(
    description: str, quantity: str, unit_price: str, net: str, tax_label: str, discount: str = "0"
) -> InvoiceDocLine:
    """A printed invoice line; amounts as decimal strings."""
    return InvoiceDocLine(
        description=description,
        quantity=Decimal(quantity),
        unit_price=Decimal(unit_price),
        discount=Decimal(discount),
        net=Decimal(net),
        tax_label=tax_label,
    )


QUITO = Letterhead(
    clinic_name="Clínica Dental Santa Ana",
    address="Av. Amazonas N34-120 y Av. Atahualpa, Quito",
    tax_id="1790012345001",
    tax_id_label="RUC",
    logo=logo_png(),
)

MADRID = Letterhead(
    clinic_name="Clínica Salud Retiro S.L.",
    address="Calle de Alcalá 120, 28009 Madrid",
    tax_id="B12345674",
    tax_id_label="NIF",
    logo=logo_png(),
)


def ec_invoice(**overrides: object) -> InvoiceDoc:
    values: dict[str, object] = {
        "letterhead": QUITO,
        "kind": "invoice",
        "country": "EC",
        "number": "001-002-000000123",
        "issued_on": date(2026, 3, 5),
        "currency": "USD",
        "buyer": InvoiceBuyer(
            name="José Pérez Núñez",
            id_label="Cédula",
            tax_id="1710034065",
            address="Calle Los Pinos E5-32, Quito",
            email="jose.perez@example.ec",
        ),
        "lines": (
            doc_line("Consulta odontológica de valoración", "1", "40.00", "40.00", "IVA 0 %"),
            doc_line(
                "Resina compuesta fotopolimerizable en pieza 36, dos superficies "
                "(oclusal y distal), con aislamiento absoluto y pulido final",
                "2",
                "55.00",
                "100.00",
                "IVA 0 %",
                discount="10.00",
            ),
            doc_line("Blanqueamiento dental estético", "1", "180.00", "180.00", "IVA 15 %"),
            doc_line("Cepillo interdental (unidad)", "3", "1.25", "3.75", "IVA 15 %"),
        ),
        "subtotal": Decimal("323.75"),
        "discount": Decimal("0.00"),
        "taxes": (
            TaxBreakdownRow("IVA 0 %", Decimal("140.00"), Decimal("0.00")),
            TaxBreakdownRow("IVA 15 %", Decimal("183.75"), Decimal("27.56")),
        ),
        "total": Decimal("351.31"),
        "payment_status": "Pagada en parte",
        "paid": Decimal("200.00"),
        "balance": Decimal("151.31"),
        "notes": "Próximo control en seis meses.",
    }
    values.update(overrides)
    return InvoiceDoc(**values)  # type: ignore[arg-type]


def es_invoice(**overrides: object) -> InvoiceDoc:
    values: dict[str, object] = {
        "letterhead": MADRID,
        "kind": "invoice",
        "country": "ES",
        "number": "F001-000123",
        "issued_on": date(2026, 3, 5),
        "currency": "EUR",
        "buyer": InvoiceBuyer(
            name="María García López",
            id_label="NIF",
            tax_id="12345678Z",
            address="Calle Mayor 5, 3º B, 28013 Madrid",
        ),
        "lines": (
            doc_line("Revisión y limpieza dental", "1", "60.00", "60.00", "Exenta"),
            doc_line("Endodoncia molar", "1", "1250.00", "1250.00", "Exenta"),
        ),
        "subtotal": Decimal("1310.00"),
        "discount": Decimal("10.00"),
        "taxes": (TaxBreakdownRow("Exenta art. 20.Uno.3º", Decimal("1300.00"), Decimal("0.00")),),
        "total": Decimal("1300.00"),
        "legal_notes": (SPAIN_EXEMPTION,),
        "payment_status": "Pagada",
        "paid": Decimal("1300.00"),
        "balance": Decimal("0.00"),
    }
    values.update(overrides)
    return InvoiceDoc(**values)  # type: ignore[arg-type]


def ec_credit_note(**overrides: object) -> InvoiceDoc:
    values: dict[str, object] = {
        "kind": "credit_note",
        "number": "001-002-000000007",
        "issued_on": date(2026, 3, 9),
        "lines": (doc_line("Blanqueamiento dental estético", "1", "180.00", "180.00", "IVA 15 %"),),
        "subtotal": Decimal("180.00"),
        "taxes": (TaxBreakdownRow("IVA 15 %", Decimal("180.00"), Decimal("27.00")),),
        "total": Decimal("207.00"),
        "payment_status": "",
        "corrects": CorrectedInvoice(
            number="001-002-000000123",
            issued_on=date(2026, 3, 5),
            reason="Tratamiento no realizado: el paciente desistió del blanqueamiento.",
        ),
        "notes": "",
    }
    values.update(overrides)
    return ec_invoice(**values)


def receipt(**overrides: object) -> PaymentReceiptDoc:
    values: dict[str, object] = {
        "letterhead": QUITO,
        "number": "RC-000045",
        "received_at": datetime(2026, 3, 5, 16, 42),
        "payer": "José Pérez Núñez",
        "payer_id": "Cédula 1710034065",
        "method_label": "Efectivo",
        "amount": Decimal("250.00"),
        "currency": "USD",
        "allocations": (
            ReceiptAllocation("001-002-000000123", date(2026, 3, 5), Decimal("200.00")),
            ReceiptAllocation("001-002-000000098", date(2026, 2, 11), Decimal("30.00")),
        ),
        "cash_tendered": Decimal("260.00"),
        "change": Decimal("10.00"),
        "credit_left": Decimal("20.00"),
        "received_by": "Carla Vásconez",
    }
    values.update(overrides)
    return PaymentReceiptDoc(**values)  # type: ignore[arg-type]


def cash_close(**overrides: object) -> CashCloseDoc:
    payments = tuple(
        CashClosePayment(
            at=datetime(2026, 3, 5, 8 + i * 25 // 60, i * 25 % 60),
            payer=f"Paciente de prueba {i + 1}",
            method_label=("Efectivo", "Tarjeta de débito", "Transferencia")[i % 3],
            amount=Decimal("25.50") + i,
            receipt=f"RC-{i + 40:06d}",
        )
        for i in range(6)
    )
    values: dict[str, object] = {
        "letterhead": QUITO,
        "day": date(2026, 3, 5),
        "workstation": "Recepción 1 (001-002)",
        "user": "Carla Vásconez",
        "currency": "USD",
        "rows": (
            CashCloseRow("Efectivo", Decimal("54.00"), Decimal("52.50"), Decimal("-1.50")),
            CashCloseRow("Tarjeta de débito", Decimal("56.00"), Decimal("56.00"), Decimal(0)),
            CashCloseRow("Transferencia", Decimal("58.00"), Decimal("58.00"), Decimal(0)),
        ),
        "total_expected": Decimal("168.00"),
        "total_counted": Decimal("166.50"),
        "total_difference": Decimal("-1.50"),
        "payments": payments,
        "comment": "Faltan $1,50 en efectivo: cambio mal entregado a las 11:00.",
        "closed_at": datetime(2026, 3, 5, 19, 5),
    }
    values.update(overrides)
    return CashCloseDoc(**values)  # type: ignore[arg-type]
