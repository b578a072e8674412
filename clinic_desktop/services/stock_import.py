"""Importing products and their opening stock from a CSV file, with a preview first. The file
comes from a spreadsheet: `;` or `,` between fields (Excel in Spanish writes `;`), UTF-8 with or
without a BOM (or Windows-1252, what "CSV" means to older Excel), decimal comma or point, dates
as YYYY-MM-DD or DD/MM/YYYY. The first line names the columns (English or Spanish names, any
order; see COLUMNS); only code and name are required. `cost` is per unit of use, like the
product's cost; `quantity` is the opening stock in units of use, received into a lot with the
given number and expiry from the named supplier (created when no supplier has that name).

`preview_import` lists every valid row and every invalid line with its line number and all its
reasons (including codes repeated in the file or already in use); `apply_import` reads the
file again and imports all of it in one transaction, or nothing while any line is invalid."""

from __future__ import annotations

import uuid

from sqlalchemy import select
from sqlalchemy.orm import Session

from clinic_desktop.actor import Actor
from clinic_desktop.db.uow import UnitOfWork
from clinic_desktop.errors import ValidationError
from clinic_desktop.events import InventoryChanged
from clinic_desktop.i18n import _, ngettext
from clinic_desktop.models.inventory import Product, Supplier
from clinic_desktop.models.permissions import Permission
from clinic_desktop.models.stock import MovementKind, MovementSource
from clinic_desktop.services import stock_ledger
from clinic_desktop.services.access import require
from clinic_desktop.services.agenda_rules import clinic_country
from clinic_desktop.services.inventory_dto import ImportPreview, ImportResult, ImportRowDTO
from clinic_desktop.services.products_query import stock_context
from clinic_desktop.services.stock_import_rows import (
    COLUMNS,
    REQUIRED,
    Known,
    decode,
    parse_rows,
)

__all__ = ["COLUMNS", "REQUIRED", "apply_import", "preview_import"]


def _known(session: Session) -> Known:
    codes = {c.lower() for c in session.scalars(select(Product.code))}
    barcodes = {
        b: code
        for b, code in session.execute(
            select(Product.barcode, Product.code).where(
                Product.barcode.is_not(None),
                Product.active.is_(True),
                Product.deleted_at.is_(None),
            )
        )
        if b
    }
    suppliers = {
        " ".join(name.split()).lower(): sid
        for sid, name in session.execute(
            select(Supplier.id, Supplier.name).where(Supplier.deleted_at.is_(None))
        )
    }
    context = stock_context(session)
    return Known(
        country=clinic_country(session),
        codes=codes,
        barcodes=barcodes,
        suppliers=suppliers,
        today=context.today,
    )


def _preview(session: Session, data: bytes) -> ImportPreview:
    text = decode(data)
    return parse_rows(text, _known(session))


def preview_import(uow: UnitOfWork, *, actor: Actor, data: bytes) -> ImportPreview:
    """What the file would import, and every line that stops it; changes nothing."""
    with uow.transaction(actor) as session:
        require(session, actor, Permission.INVENTORY_MANAGE)
        return _preview(session, data)


def apply_import(uow: UnitOfWork, *, actor: Actor, data: bytes) -> ImportResult:
    """Imports the whole file or nothing: the preview is made again here, inside the
    transaction, so a code taken since the preview is caught too."""
    with uow.transaction(actor) as session:
        require(session, actor, Permission.INVENTORY_MANAGE)
        preview = _preview(session, data)
        if preview.errors:
            raise ValidationError(
                ngettext(
                    "Line {line} of the file is not valid; nothing was imported.",
                    "{count} lines of the file are not valid; nothing was imported.",
                    len(preview.errors),
                ).format(line=preview.errors[0].line, count=len(preview.errors)),
                field="file",
            )
        if not preview.rows:
            raise ValidationError(_("The file has no products to import."), field="file")
        today = stock_context(session).today
        suppliers = _suppliers(session, preview.rows)
        lots = 0
        ids: list[str] = []
        for row in preview.rows:
            product = _product(row, suppliers)
            session.add(product)
            session.flush()
            ids.append(str(product.id))
            if row.quantity > 0:
                lot = stock_ledger.new_lot(
                    session,
                    product=product,
                    lot_number=row.lot,
                    expiry_date=row.expiry,
                    received_on=today,
                    unit_cost=row.cost,
                    supplier_id=suppliers.get(_key(row.supplier)),
                )
                stock_ledger.put(
                    session,
                    lot=lot,
                    quantity=row.quantity,
                    origin=stock_ledger.Origin(
                        MovementKind.RECEIPT,
                        MovementSource.IMPORT,
                        reason=_("Opening stock (CSV import)"),
                    ),
                )
                lots += 1
        created = sum(1 for name in preview.new_suppliers if name)
        uow.publish_after_commit(InventoryChanged(what="products", ids=tuple(ids)))
        uow.publish_after_commit(InventoryChanged(what="stock", ids=tuple(ids)))
        if created:
            uow.publish_after_commit(InventoryChanged(what="suppliers"))
        return ImportResult(products_created=len(ids), suppliers_created=created, lots_created=lots)


def _key(name: str) -> str:
    return " ".join(name.split()).lower()


def _suppliers(session: Session, rows: tuple[ImportRowDTO, ...]) -> dict[str, uuid.UUID]:
    """Supplier ids by folded name, creating those the file names for the first time."""
    found: dict[str, uuid.UUID] = {
        _key(name): sid
        for sid, name in session.execute(
            select(Supplier.id, Supplier.name).where(Supplier.deleted_at.is_(None))
        )
    }
    for row in rows:
        key = _key(row.supplier)
        if key and key not in found:
            supplier = Supplier(name=" ".join(row.supplier.split()))
            session.add(supplier)
            session.flush()
            found[key] = supplier.id
    return found


def _product(row: ImportRowDTO, suppliers: dict[str, uuid.UUID]) -> Product:
    return Product(
        code=row.code,
        barcode=row.barcode or None,
        name=row.name,
        category=row.category,
        unit=row.unit,
        purchase_unit=row.purchase_unit,
        units_per_purchase=row.units_per_purchase,
        cost=row.cost,
        sale_price=row.sale_price,
        tax_code=row.tax_code,
        reorder_level=row.reorder_level,
        preferred_supplier_id=suppliers.get(_key(row.supplier)),
        location=row.location,
        active=True,
    )
