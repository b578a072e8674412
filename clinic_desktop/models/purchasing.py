"""Purchase orders to suppliers. Lines are in the product's purchase unit (boxes), as the
supplier sells them; receiving converts to units of use into new lots. The order's status
follows what has been received: ordered, partly received, received; a draft can still change,
an order can be cancelled while nothing has arrived, and a partly received one can be closed
short when the supplier will never send the rest."""

from __future__ import annotations

import uuid
from datetime import date
from decimal import Decimal
from enum import StrEnum

from sqlalchemy import Date, ForeignKey, Integer, String, Text, Uuid
from sqlalchemy.orm import Mapped, mapped_column

from clinic_desktop.errors import InvalidTransition, ValidationError
from clinic_desktop.models.base import Entity
from clinic_desktop.models.types import QUANTITY, UNIT_COST


class OrderStatus(StrEnum):
    DRAFT = "draft"
    ORDERED = "ordered"
    PARTIAL = "partial"
    RECEIVED = "received"
    CANCELLED = "cancelled"
    # Partly received and finished as it is: the rest will never come, so it is no longer
    # expected, received or counted as on order.
    CLOSED = "closed"


class PurchaseOrder(Entity):
    __tablename__ = "purchase_orders"
    __label__ = "Purchase order"

    number: Mapped[int] = mapped_column(Integer, unique=True)  # shown as OC-000123
    supplier_id: Mapped[uuid.UUID] = mapped_column(Uuid, ForeignKey("suppliers.id"), index=True)
    status: Mapped[str] = mapped_column(String(12), default=OrderStatus.DRAFT.value)
    ordered_on: Mapped[date | None] = mapped_column(Date)
    expected_on: Mapped[date | None] = mapped_column(Date)
    notes: Mapped[str] = mapped_column(Text, default="")

    def close_short(self, *, reason: str, heading: str) -> None:
        """Partly received -> closed: what is still outstanding will not arrive. The reason is
        required and kept, after `heading` (the dated, translated "Closed short on ..."), as a
        line of the notes, where the cancellation's reason also goes and people look for it.
        The service checks first with translated messages; these are the rules' last guard."""
        if self.status != OrderStatus.PARTIAL.value:
            raise InvalidTransition(f"{self.status} -> {OrderStatus.CLOSED.value}")
        text = " ".join(reason.split())
        if not text:
            raise ValidationError("reason required", field="reason")
        self.notes = f"{self.notes}\n{heading}: {text}".strip()
        self.status = OrderStatus.CLOSED.value


class PurchaseOrderLine(Entity):
    __tablename__ = "purchase_order_lines"
    __label__ = "Purchase order line"

    order_id: Mapped[uuid.UUID] = mapped_column(Uuid, ForeignKey("purchase_orders.id"), index=True)
    product_id: Mapped[uuid.UUID] = mapped_column(Uuid, ForeignKey("products.id"), index=True)
    quantity: Mapped[Decimal] = mapped_column(QUANTITY)  # purchase units
    unit_cost: Mapped[Decimal] = mapped_column(UNIT_COST, default=Decimal(0))  # per purchase unit
    # Kept with each receipt (whose movements point here, source "purchase_line").
    received_quantity: Mapped[Decimal] = mapped_column(QUANTITY, default=Decimal(0))
