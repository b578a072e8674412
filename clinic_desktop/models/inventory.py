"""Products the clinic stocks and the suppliers it buys them from. A product is counted in
its unit of use (unidad, ml, g) and bought in a purchase unit holding `units_per_purchase` of
them (a box of 100 gloves), so orders speak the supplier's language while the ledger counts
what a treatment actually uses. Products are deactivated, never deleted: the ledger keeps
referring to them."""

from __future__ import annotations

import uuid
from decimal import Decimal

from sqlalchemy import Boolean, ForeignKey, String, Text, Uuid
from sqlalchemy.orm import Mapped, mapped_column

from clinic_desktop.models.base import Entity
from clinic_desktop.models.types import MONEY, QUANTITY, UNIT_COST

# Units offered in the product editor; any other short text is accepted too.
COMMON_UNITS = ("unidad", "ml", "l", "g", "mg", "par", "cápsula", "ampolla", "cm", "m")


class Supplier(Entity):
    __tablename__ = "suppliers"
    __label__ = "Supplier"

    name: Mapped[str] = mapped_column(String(200))
    tax_id: Mapped[str | None] = mapped_column(String(32))
    contact_name: Mapped[str] = mapped_column(String(200), default="")
    phone: Mapped[str] = mapped_column(String(40), default="")
    email: Mapped[str] = mapped_column(String(200), default="")
    address: Mapped[str] = mapped_column(String(400), default="")
    notes: Mapped[str] = mapped_column(Text, default="")
    active: Mapped[bool] = mapped_column(Boolean, default=True)


class Product(Entity):
    __tablename__ = "products"
    __label__ = "Product"

    code: Mapped[str] = mapped_column(String(40), unique=True)
    barcode: Mapped[str | None] = mapped_column(String(64), index=True)
    name: Mapped[str] = mapped_column(String(200), index=True)
    category: Mapped[str] = mapped_column(String(80), default="")
    unit: Mapped[str] = mapped_column(String(20), default="unidad")
    purchase_unit: Mapped[str] = mapped_column(String(40), default="")
    units_per_purchase: Mapped[Decimal] = mapped_column(QUANTITY, default=Decimal(1))
    # Cost of one unit of use; receipts update it to the latest purchase price.
    cost: Mapped[Decimal] = mapped_column(UNIT_COST, default=Decimal(0))
    sale_price: Mapped[Decimal] = mapped_column(MONEY, default=Decimal(0))
    tax_code: Mapped[str] = mapped_column(String(24), default="")
    reorder_level: Mapped[Decimal] = mapped_column(QUANTITY, default=Decimal(0))
    preferred_supplier_id: Mapped[uuid.UUID | None] = mapped_column(
        Uuid, ForeignKey("suppliers.id")
    )
    location: Mapped[str] = mapped_column(String(80), default="")
    notes: Mapped[str] = mapped_column(Text, default="")
    active: Mapped[bool] = mapped_column(Boolean, default=True)
