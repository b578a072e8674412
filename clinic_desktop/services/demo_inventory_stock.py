"""The demo clinic's shelves and purchase orders: for each product, one lot received before
its first use that holds everything the visits consumed plus what is left, so FEFO would
indeed have taken every use from it; what is left puts the shelf in the state its spec asks
for (healthy, low, a lot expiring soon or expired next to a fresh one, out of stock after a
count found the box broken, or too little for the cleanings booked over the next month); then
five purchase orders (received, closed short, partly received, ordered, draft) whose received
lines add lots. Movements are collected on each `Shelf` and written in bulk by `demo_inventory`."""

from __future__ import annotations

import random
import uuid
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from decimal import Decimal
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from clinic_desktop.models.appointment import Appointment, AppointmentStatus
from clinic_desktop.models.inventory import Product, Supplier
from clinic_desktop.models.purchasing import OrderStatus, PurchaseOrder, PurchaseOrderLine
from clinic_desktop.models.schedule import AppointmentType
from clinic_desktop.models.stock import MovementKind, MovementSource, StockLot
from clinic_desktop.services.demo_inventory_catalogue import ProductSpec
from clinic_desktop.services.purchasing_close import closed_short_heading

ZERO = Decimal(0)


@dataclass
class Shelf:
    """What is known about one product while generating: its lots and movements."""

    spec: ProductSpec
    product: Product
    consumed: Decimal = ZERO
    first_use: date | None = None
    movements: list[dict[str, Any]] = field(default_factory=list)


def booked_paste_need(session: Session, now: datetime) -> Decimal:
    """Paste the cleanings booked over the next month will use (for the "runs out" shelf)."""
    booked = session.scalar(
        select(func.count())
        .select_from(Appointment)
        .join(AppointmentType, AppointmentType.id == Appointment.type_id)
        .where(
            AppointmentType.name == "Limpieza dental",
            Appointment.start_at >= now,
            Appointment.start_at < now + timedelta(days=30),
            Appointment.status.in_(
                (AppointmentStatus.SCHEDULED.value, AppointmentStatus.CONFIRMED.value)
            ),
        )
    )
    return Decimal(5) * Decimal(booked or 0)


def _remaining(spec: ProductSpec, booked_need: Decimal) -> Decimal:
    if spec.stock == "low":
        return (spec.reorder * Decimal("0.4")).to_integral_value()
    if spec.stock == "out":
        return ZERO
    if spec.stock == "runs_out":
        # Gone before the month's booked cleanings are done.
        return max(Decimal(10), (booked_need * Decimal("0.6")).to_integral_value())
    if spec.stock in ("expiring", "expired"):
        return (spec.reorder * Decimal("0.5")).to_integral_value()
    return (spec.reorder * Decimal(2)).to_integral_value()


def _morning(day: date, zone: Any) -> datetime:
    return datetime.combine(day, time(9, 0), zone).astimezone(UTC)


def _lot_number(rng: random.Random, spec: ProductSpec, received: date) -> str:
    return f"L{received:%y%m}-{rng.randint(100, 999)}" if spec.expires else ""


def _add_lot(
    session: Session, shelf: Shelf, *, received: date, lot_number: str, expiry: date | None
) -> StockLot:
    lot = StockLot(
        product_id=shelf.product.id,
        lot_number=lot_number,
        expiry_date=expiry,
        received_on=received,
        unit_cost=shelf.spec.cost,
        supplier_id=shelf.product.preferred_supplier_id,
    )
    session.add(lot)
    session.flush()
    return lot


def stock_shelf(
    session: Session,
    rng: random.Random,
    shelf: Shelf,
    today: date,
    zone: Any,
    booked_need: Decimal,
) -> list[StockLot]:
    """The first lot, received before any use, holds everything consumed plus what is left;
    it also expires first, so FEFO would indeed have taken every use from it."""
    spec = shelf.spec
    received = min(shelf.first_use or today, today - timedelta(days=200)) - timedelta(days=7)
    expiry: date | None = None
    if spec.expires:
        expiry = today + timedelta(days=rng.randint(240, 700))
        if spec.stock == "expiring":
            expiry = today + timedelta(days=25)
        elif spec.stock == "expired":
            expiry = today - timedelta(days=12)
    left = _remaining(spec, booked_need)
    # "Out of stock": a box bought once, then found broken at a count.
    bought = shelf.consumed + left if spec.stock != "out" else spec.per_purchase
    lot = _add_lot(
        session,
        shelf,
        received=received,
        lot_number=_lot_number(rng, spec, received),
        expiry=expiry,
    )
    shelf.movements.insert(
        0,
        {
            "kind": MovementKind.RECEIPT.value,
            "quantity": bought,
            "occurred_at": _morning(received, zone),
            "source": MovementSource.IMPORT.value,
            "source_id": None,
            "reason": "Inventario inicial",
        },
    )
    if spec.stock == "out":
        shelf.movements.append(
            {
                "kind": MovementKind.ADJUSTMENT.value,
                "quantity": -bought,
                "occurred_at": _morning(today - timedelta(days=9), zone),
                "source": MovementSource.MANUAL.value,
                "source_id": None,
                "reason": "Conteo físico: arcos deformados, no utilizables",
            }
        )
    for movement in shelf.movements:
        movement.update(product_id=shelf.product.id, lot_id=lot.id, unit_cost=lot.unit_cost)
        movement.setdefault("reverses_id", None)
    lots = [lot]
    if spec.stock in ("expiring", "expired"):
        # A fresh lot next to the old one: the badge warns about the old lot only.
        lots.append(_extra_lot(session, rng, shelf, today - timedelta(days=20), zone))
    return lots


def _extra_lot(
    session: Session,
    rng: random.Random,
    shelf: Shelf,
    received: date,
    zone: Any,
    quantity: Decimal | None = None,
    source: tuple[MovementSource, uuid.UUID | None] = (MovementSource.MANUAL, None),
) -> StockLot:
    spec = shelf.spec
    # The lot number is drawn before the expiry, as the demo's seeded data always was.
    lot_number = _lot_number(rng, spec, received)
    expiry = received + timedelta(days=rng.randint(500, 900)) if spec.expires else None
    lot = _add_lot(session, shelf, received=received, lot_number=lot_number, expiry=expiry)
    shelf.movements.append(
        {
            "product_id": shelf.product.id,
            "lot_id": lot.id,
            "unit_cost": lot.unit_cost,
            "kind": MovementKind.RECEIPT.value,
            "quantity": quantity if quantity is not None else spec.reorder,
            "occurred_at": _morning(received, zone),
            "source": source[0].value,
            "source_id": source[1],
            "reason": "",
            "reverses_id": None,
        }
    )
    return lot


def add_orders(
    session: Session,
    shelves: dict[str, Shelf],
    suppliers: list[Supplier],
    today: date,
    zone: Any,
    lots: list[StockLot],
) -> int:
    """The five demo purchase orders, numbered in the order they were placed; the lots their
    received lines brought join `lots`."""
    rng = random.Random("inventory-orders")
    # The closed order draws from its own generator, so adding it left the lots of the
    # others as the demo always made them.
    closed_rng = random.Random("inventory-orders-closed")
    # (supplier, status, ordered days ago, expected in days, [(product, boxes, received)])
    plans = (
        (1, OrderStatus.RECEIVED, 45, -40,
         [("GUA-NIT-M", 10, 10), ("MASC-QX", 6, 6), ("GAS-EST", 5, 5)]),
        (0, OrderStatus.CLOSED, 30, -24, [("LIM-K25", 4, 4), ("SEL-END", 3, 0)]),
        (0, OrderStatus.PARTIAL, 8, -3, [("ANE-LID", 4, 4), ("RES-A2", 5, 0)]),
        (2, OrderStatus.ORDERED, 2, 5, [("TIR-GLU", 4, 0), ("VAC-INF", 2, 0)]),
        (0, OrderStatus.DRAFT, 0, 7, [("ANE-ART", 2, 0), ("ARC-NIT", 1, 0)]),
    )  # fmt: skip
    for number, (supplier, status, ago, expected, lines) in enumerate(plans, start=1):
        closed = status == OrderStatus.CLOSED
        order = PurchaseOrder(
            number=number,
            supplier_id=suppliers[supplier].id,
            # A closed order is partly received first and then closed, as in the app.
            status=(OrderStatus.PARTIAL if closed else status).value,
            ordered_on=None if status == OrderStatus.DRAFT else today - timedelta(days=ago),
            expected_on=today + timedelta(days=expected),
            notes="",
        )
        session.add(order)
        session.flush()
        for code, boxes, received in lines:
            shelf = shelves[code]
            line = PurchaseOrderLine(
                order_id=order.id,
                product_id=shelf.product.id,
                quantity=Decimal(boxes),
                unit_cost=shelf.spec.cost * shelf.spec.per_purchase,
                received_quantity=Decimal(received),
            )
            session.add(line)
            session.flush()
            if received:
                lots.append(
                    _extra_lot(
                        session,
                        closed_rng if closed else rng,
                        shelf,
                        today + timedelta(days=expected),
                        zone,
                        Decimal(received) * shelf.spec.per_purchase,
                        (MovementSource.PURCHASE_LINE, line.id),
                    )
                )
        if closed:
            # A week after the first delivery the supplier said the rest will never come.
            order.close_short(
                reason="El proveedor descontinuó el producto",
                heading=closed_short_heading(today + timedelta(days=expected + 7)),
            )
    return len(plans)
