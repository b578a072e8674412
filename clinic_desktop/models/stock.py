"""The stock ledger. Every unit on the shelf belongs to a lot (a receipt without a lot number
or expiry still makes one), and every change is a movement: positive in, negative out, never
edited or deleted; undoing writes a reversing movement. Stock is the sum of movements; the
`stock_balances` table caches that sum per lot so the products list does not add up two
million rows, and a consistency check proves the cache equals the ledger."""

from __future__ import annotations

import uuid
from datetime import date, datetime
from decimal import Decimal
from enum import StrEnum
from typing import Any

from sqlalchemy import Date, ForeignKey, Index, String, Uuid, event
from sqlalchemy.orm import Mapped, mapped_column

from clinic_desktop.models.base import Base, Entity, UTCDateTime
from clinic_desktop.models.types import QUANTITY, UNIT_COST


class MovementKind(StrEnum):
    RECEIPT = "receipt"  # from a purchase order, a direct delivery or the opening import
    CONSUMPTION = "consumption"  # used by a treatment or as an extra in an appointment
    SALE = "sale"  # sold on an invoice
    ADJUSTMENT = "adjustment"  # a count that differs; the reason is mandatory
    WRITE_OFF = "write_off"  # expired, broken or spoiled
    RETURN = "return"  # sent back to the supplier
    REVERSAL = "reversal"  # undoes another movement (reverses_id) exactly


class MovementSource(StrEnum):
    PURCHASE_LINE = "purchase_line"
    USAGE = "usage"  # a stock_usages row of an appointment
    INVOICE_LINE = "invoice_line"
    IMPORT = "import"
    MANUAL = "manual"


class StockLot(Entity):
    __tablename__ = "stock_lots"
    __label__ = "Stock lot"

    product_id: Mapped[uuid.UUID] = mapped_column(Uuid, ForeignKey("products.id"), index=True)
    lot_number: Mapped[str] = mapped_column(String(60), default="")
    expiry_date: Mapped[date | None] = mapped_column(Date)
    received_on: Mapped[date] = mapped_column(Date)
    # Cost of one unit of use from this lot, for valuation and for consumption movements.
    unit_cost: Mapped[Decimal] = mapped_column(UNIT_COST, default=Decimal(0))
    supplier_id: Mapped[uuid.UUID | None] = mapped_column(Uuid, ForeignKey("suppliers.id"))


class StockMovement(Entity):
    __tablename__ = "stock_movements"
    __label__ = "Stock movement"
    __table_args__ = (
        Index("ix_stock_movements_product_occurred", "product_id", "occurred_at"),
        Index("ix_stock_movements_source", "source", "source_id"),
    )

    product_id: Mapped[uuid.UUID] = mapped_column(Uuid, ForeignKey("products.id"))
    lot_id: Mapped[uuid.UUID] = mapped_column(Uuid, ForeignKey("stock_lots.id"), index=True)
    kind: Mapped[str] = mapped_column(String(16))
    quantity: Mapped[Decimal] = mapped_column(QUANTITY)  # signed, in the product's unit of use
    unit_cost: Mapped[Decimal] = mapped_column(UNIT_COST, default=Decimal(0))
    occurred_at: Mapped[datetime] = mapped_column(UTCDateTime)
    reason: Mapped[str] = mapped_column(String(300), default="")
    source: Mapped[str] = mapped_column(String(16), default=MovementSource.MANUAL.value)
    source_id: Mapped[uuid.UUID | None] = mapped_column(Uuid)
    reverses_id: Mapped[uuid.UUID | None] = mapped_column(
        Uuid, ForeignKey("stock_movements.id"), index=True
    )


class LedgerEntryChanged(RuntimeError):
    """A programming error: code tried to edit or delete a stock movement. Corrections are
    new movements; this guard catches whatever path forgets it."""


@event.listens_for(StockMovement, "before_update")
def _refuse_movement_edits(_mapper: Any, _conn: Any, target: StockMovement) -> None:
    raise LedgerEntryChanged(f"stock movement {target.id} cannot change; write a new one")


class StockBalance(Base):
    """Derived: the current quantity of one lot, kept by the ledger service in the same
    transaction as each movement. Not audited or replicated; `rebuild` recomputes it."""

    __tablename__ = "stock_balances"

    lot_id: Mapped[uuid.UUID] = mapped_column(Uuid, ForeignKey("stock_lots.id"), primary_key=True)
    product_id: Mapped[uuid.UUID] = mapped_column(Uuid, index=True)
    quantity: Mapped[Decimal] = mapped_column(QUANTITY, default=Decimal(0))
