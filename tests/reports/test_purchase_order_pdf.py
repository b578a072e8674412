"""The printed purchase order, checked by its extracted text: the clinic's letterhead, the
number, the supplier's details, every line with its quantity in purchase units and in units
of use, unit costs (four places only when they have them), the total in the clinic currency,
the notes, "Page X of Y" on every page of a long order, a draft and a cancelled order marked
as such; and the same document printed through the service from a real order."""

from __future__ import annotations

import io
import re
from datetime import date, datetime
from decimal import Decimal

from pypdf import PdfReader
from support.purchasing_data import SYSTEM, make_shop, placed_order

from clinic_desktop.reports.clinical_letterhead import Letterhead
from clinic_desktop.reports.purchase_order_pdf import (
    OrderPdfLine,
    PurchaseOrderDocument,
    SupplierBlock,
    render_purchase_order,
    unit_cost_text,
)
from clinic_desktop.services.purchasing_print import purchase_order_pdf

LETTERHEAD = Letterhead(
    clinic_name="Clínica Santa Ana",
    address="Av. Amazonas 100, Quito",
    tax_id="1710034065001",
    tax_id_label="RUC",
)


def _line(number: int, **overrides: object) -> OrderPdfLine:
    values: dict[str, object] = {
        "code": f"GUA-{number:03d}",
        "product": f"Guantes de nitrilo talla M {number}",
        "quantity": Decimal(3),
        "purchase_unit": "caja x100",
        "units": Decimal(300),
        "unit": "unidad",
        "unit_cost": Decimal("8.50"),
        "total": Decimal("25.50"),
    }
    values.update(overrides)
    return OrderPdfLine(**values)  # type: ignore[arg-type]


def _document(**overrides: object) -> PurchaseOrderDocument:
    values: dict[str, object] = {
        "letterhead": LETTERHEAD,
        "number_text": "OC-000123",
        "status": "ordered",
        "status_label": "Ordered",
        "ordered_on": date(2026, 3, 5),
        "expected_on": date(2026, 3, 12),
        "supplier": SupplierBlock(
            name="Dental Andina S.A.",
            tax_id="1792146739001",
            contact_name="Carla Vásconez",
            phone="02 245 1180",
            email="ventas@dentalandina.ec",
        ),
        "lines": (
            _line(1),
            _line(
                2,
                product="Ácido grabador 37 %",
                quantity=Decimal("2.5"),
                purchase_unit="jeringa 5 ml",
                units=Decimal("12.5"),
                unit="ml",
                unit_cost=Decimal("1234.5678"),
                total=Decimal("3086.42"),
            ),
        ),
        "total": Decimal("3111.92"),
        "currency": "USD",
        "notes": "Entregar por la mañana.\nFactura a nombre de la clínica.",
        "generated_at": datetime(2026, 3, 5, 10, 30),
        "generated_by": "Ana Torres",
    }
    values.update(overrides)
    return PurchaseOrderDocument(**values)  # type: ignore[arg-type]


def _pages(pdf: bytes) -> list[str]:
    return [page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages]


def _flat(text: str) -> str:
    return re.sub(r"\s+", " ", text)


def test_an_order_prints_supplier_lines_and_total() -> None:
    [page] = _pages(render_purchase_order(_document()))
    text = _flat(page)
    for expected in (
        "Clínica Santa Ana",
        "RUC 1710034065001",
        "PURCHASE ORDER",
        "OC-000123",
        "Dental Andina S.A.",
        "RUC: 1792146739001",
        "Attn.: Carla Vásconez",
        "ventas@dentalandina.ec",
        "Mar 5, 2026",  # ordered on
        "Mar 12, 2026",  # expected
        "Guantes de nitrilo talla M 1",
        "3 caja x100",
        "300 unidad",
        "$8.50",
        "$25.50",
        "Ácido grabador 37 %",
        "2.5 jeringa 5 ml",
        "12.5 ml",
        "$1,234.5678",  # a unit cost keeps its four places when it has them
        "$3,086.42",
        "Total $3,111.92",
        "Entregar por la mañana.",
        "Factura a nombre de la clínica.",
        "by Ana Torres",
        "Authorised signature",
        "Page 1 of 1",
    ):
        assert expected in text, expected
    assert "DRAFT" not in text and "CANCELLED" not in text


def test_a_long_order_flows_onto_pages_numbered_x_of_y() -> None:
    lines = tuple(_line(n) for n in range(1, 61))
    pages = _pages(render_purchase_order(_document(lines=lines)))
    assert len(pages) >= 2
    for number, text in enumerate(pages, start=1):
        assert f"Page {number} of {len(pages)}" in text
        assert "OC-000123" in text  # every page says which order it belongs to
    everything = _flat(" ".join(pages))
    assert all(f"Guantes de nitrilo talla M {n} " in everything + " " for n in (1, 30, 60))


def test_drafts_and_cancelled_orders_are_marked() -> None:
    draft = _flat(
        _pages(
            render_purchase_order(
                _document(status="draft", status_label="Draft", ordered_on=None, lines=())
            )
        )[0]
    )
    assert "DRAFT" in draft and "Not placed yet" in draft
    assert "No products on this order." in draft
    cancelled = _flat(
        _pages(render_purchase_order(_document(status="cancelled", status_label="Cancelled")))[0]
    )
    assert "CANCELLED" in cancelled


def test_unit_costs_show_cents_and_extra_places_only_when_present() -> None:
    assert unit_cost_text(Decimal("8.5000"), "USD") == "$8.50"
    assert unit_cost_text(Decimal("0.0850"), "USD") == "$0.085"
    assert unit_cost_text(Decimal("0.0850"), "EUR") == "€0.085"


def test_the_service_prints_a_real_order(demo) -> None:
    shop = make_shop(demo.db)
    order = placed_order(demo.db, shop, [(shop.gloves, "3", "8.50"), (shop.resin, "2", "25")])
    text = _flat(
        " ".join(_pages(purchase_order_pdf(demo.db.uow(), actor=SYSTEM, order_id=order.id)))
    )
    for expected in (
        "Clínica Demo San Rafael",
        order.number_text,
        "Proveedora Test S.A.",
        "RUC: 1790012345001",
        "Attn.: Marta Ríos",
        "Guantes de prueba",
        "3 caja x100",
        "300 unidad",
        "2 jeringa 4 g",
        "8 g",
        "Total $75.50",
        "Ordered",
    ):
        assert expected in text, expected
