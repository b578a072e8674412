"""The inventory benchmarks' clinic: the 2,000-patient demo (`clinic-desktop demo`), grown in
bulk to 5,000 products with three lots each and 2,000,000 stock movements (receipts, then
consumptions that never take a lot below zero), with the balance cache written from the same
figures, and to 10,000 appointments booked over the next 30 days, copied from a booked demo
appointment onto the demo's types (each linked to its usual treatment and recipe)."""

from __future__ import annotations

import random
import uuid
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from typing import Any, cast

from sqlalchemy import Table, func, select
from sqlalchemy.orm import Session

from clinic_desktop.models.appointment import Appointment, AppointmentStatus
from clinic_desktop.models.base import new_id
from clinic_desktop.models.inventory import Product
from clinic_desktop.models.patient import Patient
from clinic_desktop.models.schedule import AppointmentType
from clinic_desktop.models.stock import MovementKind, StockBalance, StockLot, StockMovement
from clinic_desktop.services.demo_bulk import BulkWriter

PRODUCTS = 5_000
LOTS_PER_PRODUCT = 3
MOVEMENTS = 2_000_000
BOOKED = 10_000
BATCH = 50_000


def _stamp(now: datetime) -> dict[str, Any]:
    return {"created_at": now, "updated_at": now, "version": 1}


def grow_products(session: Session, now: datetime) -> list[uuid.UUID]:
    """Adds products up to PRODUCTS and three lots to each new one; returns the new lot ids."""
    have = session.scalar(select(func.count()).select_from(Product)) or 0
    rng = random.Random(5)
    products, lots, lot_ids = [], [], []
    today = now.date()
    for n in range(PRODUCTS - have):
        product_id = new_id()
        products.append(
            {
                "id": product_id,
                **_stamp(now),
                "code": f"BEN-{n:05d}",
                "barcode": None,
                "name": f"Producto de prueba {n:05d}",
                "category": f"Categoría {n % 40}",
                "unit": "unidad",
                "purchase_unit": "Caja x100",
                "units_per_purchase": Decimal(100),
                "cost": Decimal("0.2500"),
                "sale_price": Decimal(0),
                "tax_code": "EC_IVA_0",
                "reorder_level": Decimal(rng.randint(0, 400)),
                "preferred_supplier_id": None,
                "location": "",
                "notes": "",
                "active": True,
            }
        )
        for k in range(LOTS_PER_PRODUCT):
            lot_id = new_id()
            lot_ids.append(lot_id)
            lots.append(
                {
                    "id": lot_id,
                    **_stamp(now),
                    "product_id": product_id,
                    "lot_number": f"B{n:05d}-{k}",
                    "expiry_date": today + timedelta(days=rng.randint(-30, 900)),
                    "received_on": today - timedelta(days=400),
                    "unit_cost": Decimal("0.2500"),
                    "supplier_id": None,
                }
            )
    _write(session, Product, products)
    _write(session, StockLot, lots)
    return lot_ids


def _movement_rows(
    lots: list[tuple[uuid.UUID, uuid.UUID]], now: datetime, totals: dict[uuid.UUID, Decimal]
) -> Iterator[dict[str, Any]]:
    """A receipt per lot, then consumptions of 1 to 5 units spread over the last year, each
    from a random lot that still has them."""
    rng = random.Random(11)
    start = now - timedelta(days=365)
    per_lot = MOVEMENTS // len(lots)
    for lot_id, product_id in lots:
        totals[lot_id] = Decimal(per_lot * 5)
        yield _movement(lot_id, product_id, MovementKind.RECEIPT, totals[lot_id], start, now)
    for n in range(MOVEMENTS - len(lots)):
        lot_id, product_id = lots[rng.randrange(len(lots))]
        quantity = Decimal(rng.randint(1, 5))
        if totals[lot_id] < quantity:
            continue
        totals[lot_id] -= quantity
        moment = start + timedelta(seconds=n * 15)
        yield _movement(lot_id, product_id, MovementKind.CONSUMPTION, -quantity, moment, now)


def _movement(
    lot_id: uuid.UUID,
    product_id: uuid.UUID,
    kind: MovementKind,
    quantity: Decimal,
    moment: datetime,
    now: datetime,
) -> dict[str, Any]:
    return {
        "id": new_id(),
        **_stamp(now),
        "product_id": product_id,
        "lot_id": lot_id,
        "kind": kind.value,
        "quantity": quantity,
        "unit_cost": Decimal("0.2500"),
        "occurred_at": moment,
        "reason": "",
        "source": "manual",
        "source_id": None,
        "reverses_id": None,
    }


def grow_movements(session: Session, lot_ids: list[uuid.UUID], now: datetime) -> int:
    owners = {
        lot_id: product_id
        for lot_id, product_id in session.execute(select(StockLot.id, StockLot.product_id))
    }
    lots = [(lot_id, owners[lot_id]) for lot_id in lot_ids]
    totals: dict[uuid.UUID, Decimal] = {}
    batch: list[dict[str, Any]] = []
    written = 0
    writer: BulkWriter | None = None
    for row in _movement_rows(lots, now, totals):
        batch.append(row)
        if len(batch) == BATCH:
            writer = writer or BulkWriter(session, cast(Table, StockMovement.__table__), batch[0])
            writer.write(batch)
            written += len(batch)
            batch = []
    if batch:
        writer = writer or BulkWriter(session, cast(Table, StockMovement.__table__), batch[0])
        writer.write(batch)
        written += len(batch)
    _write(
        session,
        StockBalance,
        [
            {"lot_id": lot_id, "product_id": owners[lot_id], "quantity": quantity}
            for lot_id, quantity in totals.items()
        ],
    )
    return written


def grow_bookings(session: Session, now: datetime) -> int:
    """Copies a booked demo appointment until the next 30 days hold BOOKED appointments."""
    window = (now, now + timedelta(days=30))
    booked = session.scalar(
        select(func.count())
        .select_from(Appointment)
        .where(Appointment.start_at >= window[0], Appointment.start_at < window[1])
    )
    table = cast(Table, Appointment.__table__)
    template = (
        session.execute(
            select(table).where(
                table.c.start_at >= window[0],
                table.c.status == AppointmentStatus.SCHEDULED.value,
            )
        )
        .mappings()
        .first()
    )
    assert template is not None, "the demo has no booked appointment to copy"
    patients = list(session.scalars(select(Patient.id)))
    types = list(
        session.scalars(select(AppointmentType.id).where(AppointmentType.treatment_id.is_not(None)))
    )
    rng = random.Random(3)
    rows = []
    for _ in range(BOOKED - (booked or 0)):
        start = now + timedelta(minutes=rng.randrange(60, 30 * 24 * 60 - 60))
        rows.append(
            dict(template)
            | {
                "id": new_id(),
                "patient_id": rng.choice(patients),
                "type_id": rng.choice(types),
                "series_id": None,
                "start_at": start,
                "end_at": start + timedelta(minutes=30),
                "created_at": now,
                "updated_at": now,
            }
        )
    _write(session, Appointment, rows)
    return len(rows)


def _write(session: Session, model: type[Any], rows: list[dict[str, Any]]) -> None:
    if not rows:
        return
    writer = BulkWriter(session, cast(Table, model.__table__), rows[0])
    for start in range(0, len(rows), BATCH):
        writer.write(rows[start : start + BATCH])


def utc_now() -> datetime:
    return datetime.now(UTC)
