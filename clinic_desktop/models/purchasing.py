"""Purchase orders to suppliers. Lines are in the product's purchase unit (boxes), as the
supplier sells them; receiving converts to units of use into new lots. The order's status
follows what has been received: ordered, partly received, received; a draft can still change
and an order can be cancelled while nothing has arrived."""

from __future__ import annotations

import uuid
from datetime import date
from decimal import Decimal
from enum import StrEnum

from sqlalchemy import Date, ForeignKey, Integer, String, Text, Uuid
from sqlalchemy.orm import Mapped, mapped_column

from clinic_desktop.models.base import Entity
from clinic_desktop.models.types import QUANTITY, UNIT_COST


class OrderStatus(StrEnum):
    DRAFT = "draft"
    ORDERED = "ordered"
    PARTIAL = "partial"
    RECEIVED = "received"
    CANCELLED = "cancelled"


class PurchaseOrder(Entity):
    __tablename__ = "purchase_orders"
    __label__ = "Purchase order"

    number: Mapped[int] = mapped_column(Integer, unique=True)  # shown as OC-000123
    supplier_id: Mapped[uuid.UUID] = mapped_column(Uuid, ForeignKey("suppliers.id"), index=True)
    status: Mapped[str] = mapped_column(String(12), default=OrderStatus.DRAFT.value)
    ordered_on: Mapped[date | None] = mapped_column(Date)
    expected_on: Mapped[date | None] = mapped_column(Date)
    notes: Mapped[str] = mapped_column(Text, default="")


class PurchaseOrderLine(Entity):
    __tablename__ = "purchase_order_lines"
    __label__ = "Purchase order line"

    order_id: Mapped[uuid.UUID] = mapped_column(Uuid, ForeignKey("purchase_orders.id"), index=True)
    product_id: Mapped[uuid.UUID] = mapped_column(Uuid, ForeignKey("products.id"), index=True)
    quantity: Mapped[Decimal] = mapped_column(QUANTITY)  # purchase units
    unit_cost: Mapped[Decimal] = mapped_column(UNIT_COST, default=Decimal(0))  # per purchase unit
    # Kept with each receipt (whose movements point here, source "purchase_line").
    received_quantity: Mapped[Decimal] = mapped_column(QUANTITY, default=Decimal(0))
