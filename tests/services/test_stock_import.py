"""CSV import of products with opening stock: a good file previews and imports products,
suppliers, lots and receipt movements; every bad line is reported with its number and all its
reasons, and then nothing is imported; Excel's habits (semicolons, BOM, decimal comma,
Windows-1252, Spanish column names, DD/MM/YYYY dates) are understood."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
from support.products_kit import SYSTEM, actor, count_rows

from clinic_desktop.errors import PermissionDenied, ValidationError
from clinic_desktop.models.inventory import Product, Supplier
from clinic_desktop.models.stock import StockLot, StockMovement
from clinic_desktop.services.products import get_product_detail, list_products
from clinic_desktop.services.stock_import import apply_import, preview_import
from clinic_desktop.services.suppliers import list_suppliers

GOOD = (
    "code,name,category,unit,purchase_unit,units_per_purchase,cost,sale_price,tax_code,"
    "reorder_level,location,barcode,supplier,quantity,lot,expiry\n"
    "IMP-GUA,Guantes de vinilo M,Descartables,unidad,Caja x100,100,0.07,,,200,Bodega A,"
    "7801234000011,Proveedora Andina,300,LV-1,2027-05-31\n"
    'IMP-CLX,"Clorhexidina 0,12 %",Antisépticos,ml,Frasco 1 l,1000,0.009,,EC_IVA_0,500,'
    "Bodega B,,Proveedora Andina,2500,CX-9,31/12/2026\n"
    "IMP-ESP,Espejo bucal,Instrumental,unidad,,,1.2,,,,,,,,,\n"
)


def _preview(demo, data: bytes):
    return preview_import(demo.db.uow(), actor=SYSTEM, data=data)


def test_a_good_file_previews_then_imports_products_lots_and_suppliers(demo) -> None:
    data = GOOD.encode()
    preview = _preview(demo, data)
    assert preview.ok and preview.errors == () and preview.delimiter == ","
    assert [r.line for r in preview.rows] == [2, 3, 4]
    first = preview.rows[0]
    assert (first.code, first.units_per_purchase, first.cost, first.expiry) == (
        "IMP-GUA",
        Decimal(100),
        Decimal("0.07"),
        date(2027, 5, 31),
    )
    assert first.tax_code == "EC_IVA_15" and first.new_supplier
    assert preview.rows[1].name == "Clorhexidina 0,12 %"
    assert preview.rows[1].expiry == date(2026, 12, 31)
    assert preview.new_suppliers == ("Proveedora Andina",)
    # The preview changed nothing.
    assert not list_products(demo.db.uow(), actor=SYSTEM, text="IMP-")

    result = apply_import(demo.db.uow(), actor=actor(demo, "asistente"), data=data)
    assert (result.products_created, result.suppliers_created, result.lots_created) == (3, 1, 2)
    products = {p.code: p for p in list_products(demo.db.uow(), actor=SYSTEM, text="IMP-")}
    assert products["IMP-GUA"].on_hand == Decimal(300)
    assert products["IMP-CLX"].on_hand == Decimal(2500)
    assert products["IMP-ESP"].on_hand == Decimal(0) and products["IMP-ESP"].unit == "unidad"
    supplier = next(
        s for s in list_suppliers(demo.db.uow(), actor=SYSTEM) if s.name == "Proveedora Andina"
    )
    assert products["IMP-GUA"].preferred_supplier_id == supplier.id
    detail = get_product_detail(demo.db.uow(), actor=SYSTEM, product_id=products["IMP-GUA"].id)
    [lot] = detail.lots
    assert (lot.lot_number, lot.expiry_date, lot.unit_cost) == (
        "LV-1",
        date(2027, 5, 31),
        Decimal("0.07"),
    )
    [movement] = detail.movements
    assert (movement.kind, movement.source, movement.quantity) == (
        "receipt",
        "import",
        Decimal(300),
    )
    # Importing the same file again: every code now exists, nothing more is created.
    again = _preview(demo, data)
    assert [e.line for e in again.errors] == [2, 3, 4]
    assert "Code: product IMP-GUA already exists." in again.errors[0].reasons


BAD = (
    "codigo;nombre;cantidad;costo;caducidad;impuesto;unidades_por_compra\n"
    "B-1;Bueno uno;10;0,5;2027-01-01;;\n"  # line 2: good
    ";Sin código;1;1;;;\n"  # line 3: no code
    "B-3;Cantidad mala;diez;1,00001;32/13/2026;ES_IVA_21;0\n"  # line 4: five reasons
    "\n"  # line 5: blank, skipped
    "B-1;Repetido;1;1;;;\n"  # line 6: repeats line 2
    "B-7;Negativo;-3;1;;;;extra\n"  # line 7: negative, and one field too many
)


def test_every_bad_line_is_reported_with_its_number_and_nothing_is_imported(demo) -> None:
    preview = _preview(demo, BAD.encode())
    assert not preview.ok and preview.delimiter == ";"
    assert [r.line for r in preview.rows] == [2]
    errors = {e.line: e.reasons for e in preview.errors}
    assert sorted(errors) == [3, 4, 6, 7]
    assert errors[3] == ("Code: it is required.",)
    assert len(errors[4]) == 5
    joined = " | ".join(errors[4])
    for part in (
        "Quantity: write a number",
        "Cost: at most 4 decimals.",
        "Units per purchase unit: it must be more than zero.",
        "Tax code: ES_IVA_21 is not used in this country",
        "Expiry: 32/13/2026 is not a date",
    ):
        assert part in joined
    assert errors[6] == ("Code: B-1 is repeated (also on line 2).",)
    assert "Quantity: it cannot be negative." in errors[7]
    assert any("8 fields" in reason for reason in errors[7])

    before = (count_rows(demo, Product), count_rows(demo, StockLot), count_rows(demo, Supplier))
    movements = count_rows(demo, StockMovement)
    with pytest.raises(ValidationError, match="4 lines of the file are not valid") as caught:
        apply_import(demo.db.uow(), actor=SYSTEM, data=BAD.encode())
    assert caught.value.field == "file"
    after = (count_rows(demo, Product), count_rows(demo, StockLot), count_rows(demo, Supplier))
    assert after == before and count_rows(demo, StockMovement) == movements


def test_excel_in_spanish_semicolons_bom_decimal_comma_and_cp1252(demo) -> None:
    text = (
        "Código;Nombre;Unidad;Costo;Precio de venta;Cantidad;Lote;Caducidad;Proveedor\n"
        "XL-1;Jeringa 5 ml;unidad;0,0900;1.234,50;1.250,5;J-1;15/08/2027;Medisumi\n"
    )
    for data in (b"\xef\xbb\xbf" + text.encode("utf-8"), text.encode("cp1252")):
        preview = _preview(demo, data)
        assert preview.errors == (), preview.errors
        [row] = preview.rows
        assert (row.code, row.cost, row.sale_price, row.quantity) == (
            "XL-1",
            Decimal("0.09"),
            Decimal("1234.50"),
            Decimal("1250.5"),
        )
        assert row.expiry == date(2027, 8, 15) and row.lot == "J-1"


def test_header_problems_stop_at_the_first_line(demo) -> None:
    preview = _preview(demo, b"code;nombre;cantdad\nA;B;1\n")
    [error] = preview.errors
    assert error.line == 1 and "cantdad" in error.reasons[0]
    preview = _preview(demo, b"name,quantity\nGuantes,3\n")
    assert preview.errors[0].line == 1 and "code" in preview.errors[0].reasons[0]
    assert not _preview(demo, b"").ok
    assert not _preview(demo, b"code,name\n").ok


def test_an_expired_lot_is_a_warning_not_an_error(demo) -> None:
    preview = _preview(demo, b"code,name,quantity,expiry\nEXP-1,Viejo,2,2001-01-01\n")
    assert preview.ok
    assert "already expired" in preview.rows[0].warnings[0]


def test_reception_cannot_import(demo) -> None:
    with pytest.raises(PermissionDenied):
        preview_import(demo.db.uow(), actor=actor(demo, "recepcion"), data=GOOD.encode())
    with pytest.raises(PermissionDenied):
        apply_import(demo.db.uow(), actor=actor(demo, "recepcion"), data=GOOD.encode())
    assert not list_products(demo.db.uow(), actor=SYSTEM, text="IMP-")
