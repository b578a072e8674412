"""The demo clinic's inventory, so a newcomer finds a stocked clinic: suppliers, products with
lots, the treatment catalogue with recipes, appointment types linked to their usual treatment,
the treatments done in the completed demo visits with the stock they consumed (a few with an
actual quantity that differs from the recipe), and four purchase orders (received, partly
received, ordered, draft). Shelves end in every state the badges show: healthy, low, a lot
expiring soon, an expired lot, out of stock, and one product the booked cleanings will use up
within the forecast horizon. The catalogue goes through the ORM (audited row by row); the
visits' treatments, usages and movements go in bulk with one audit entry per kind, and the
balance cache is computed from exactly the movements written, so it equals the ledger."""

from __future__ import annotations

import random
import uuid
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from decimal import Decimal
from typing import Any, cast

from sqlalchemy import Table, func, select
from sqlalchemy.orm import Session

from clinic_desktop.actor import Actor
from clinic_desktop.db.audit_log import append_audit
from clinic_desktop.fiscal.tax_codes import DEFAULT_GOODS, DEFAULT_SERVICE
from clinic_desktop.models.appointment import Appointment, AppointmentStatus
from clinic_desktop.models.base import new_id
from clinic_desktop.models.inventory import Product, Supplier
from clinic_desktop.models.purchasing import OrderStatus, PurchaseOrder, PurchaseOrderLine
from clinic_desktop.models.schedule import AppointmentType, Practitioner
from clinic_desktop.models.stock import (
    MovementKind,
    MovementSource,
    StockBalance,
    StockLot,
    StockMovement,
)
from clinic_desktop.models.treatment import (
    AppointmentTreatment,
    RecipeItem,
    StockUsage,
    Treatment,
    TreatmentStatus,
)
from clinic_desktop.services.agenda_rules import clinic_country, clinic_zone
from clinic_desktop.services.demo_bulk import BulkWriter
from clinic_desktop.services.demo_inventory_catalogue import (
    EXTRA_TREATMENTS,
    PRODUCTS,
    SUPPLIERS,
    TREATMENTS,
    TYPE_TREATMENT,
    ProductSpec,
)

# Only the most recent completed visits consume stock, so a 100,000-patient demo stays quick.
MAX_VISITS = 4000
BATCH = 5000
ZERO = Decimal(0)
# Aesthetic treatments pay the general rate (Ecuador 15 %, Spain 21 %).
AESTHETIC = {"EC": "EC_IVA_15", "ES": "ES_IVA_21"}


@dataclass
class InventoryDemoStats:
    products: int = 0
    treatments: int = 0
    visits: int = 0
    appointment_treatments: int = 0
    usages: int = 0
    movements: int = 0
    orders: int = 0


@dataclass
class _Shelf:
    """What is known about one product while generating: its lots and movements."""

    spec: ProductSpec
    product: Product
    consumed: Decimal = ZERO
    first_use: date | None = None
    movements: list[dict[str, Any]] = field(default_factory=list)


def add_demo_inventory(
    session: Session,
    *,
    actor: Actor,
    seed: int,
    now: datetime,
    visits: bool = True,
    max_visits: int = MAX_VISITS,
) -> InventoryDemoStats:
    rng = random.Random(f"inventory-{seed}")
    zone = clinic_zone(session)
    country = clinic_country(session)
    today = now.astimezone(zone).date()
    stats = InventoryDemoStats()
    suppliers = _suppliers(session)
    shelves = _products(session, suppliers, country)
    treatments = _treatments(session, shelves, country)
    stats.products, stats.treatments = len(shelves), len(treatments)
    _link_types(session, treatments)
    session.flush()

    work: dict[str, list[dict[str, Any]]] = {"treatments": [], "usages": []}
    if visits:
        stats.visits = _visits(session, rng, max_visits, treatments, work)
    lots: list[StockLot] = []
    booked_need = _booked_need(session, now)
    for shelf in shelves.values():
        lots.extend(_stock_shelf(session, rng, shelf, today, zone, booked_need))
    stats.orders = _orders(session, shelves, suppliers, today, zone, lots)
    session.flush()

    stamp = _stamp(now, actor)
    movements = [m | {"id": new_id(), **stamp} for s in shelves.values() for m in s.movements]
    _write(session, AppointmentTreatment, work["treatments"])
    _write(session, StockUsage, work["usages"])
    _write(session, StockMovement, movements)
    _write_balances(session, movements)
    stats.appointment_treatments = len(work["treatments"])
    stats.usages = len(work["usages"])
    stats.movements = len(movements)
    for action, entity, count in (
        ("demo.appointment_treatments_generated", "AppointmentTreatment", stats.visits),
        ("demo.stock_usages_generated", "StockUsage", stats.usages),
        ("demo.stock_movements_generated", "StockMovement", stats.movements),
    ):
        if count:
            append_audit(
                session, actor=actor, action=action, entity=entity, changes={"count": count}
            )
    return stats


def _stamp(now: datetime, actor: Actor) -> dict[str, Any]:
    return {"created_at": now, "updated_at": now, "created_by": actor.user_id, "version": 1}


def _suppliers(session: Session) -> list[Supplier]:
    rows = [
        Supplier(name=name, tax_id=ruc, contact_name=contact, phone=phone, email=email)
        for name, ruc, contact, phone, email in SUPPLIERS
    ]
    session.add_all(rows)
    return rows


def _products(session: Session, suppliers: list[Supplier], country: str) -> dict[str, _Shelf]:
    session.flush()
    shelves = {}
    for spec in PRODUCTS:
        product = Product(
            code=spec.code,
            name=spec.name,
            category=spec.category,
            unit=spec.unit,
            purchase_unit=spec.purchase_unit,
            units_per_purchase=spec.per_purchase,
            cost=spec.cost,
            sale_price=spec.sale_price,
            tax_code=(DEFAULT_GOODS if spec.goods else DEFAULT_SERVICE).get(country, ""),
            reorder_level=spec.reorder,
            preferred_supplier_id=suppliers[spec.supplier].id,
            location=spec.location,
        )
        session.add(product)
        shelves[spec.code] = _Shelf(spec, product)
    return shelves


def _treatments(
    session: Session, shelves: dict[str, _Shelf], country: str
) -> dict[str, tuple[Treatment, list[tuple[_Shelf, Decimal]]]]:
    session.flush()
    result = {}
    for spec in TREATMENTS:
        treatment = Treatment(
            code=spec.code,
            name=spec.name,
            category=spec.category,
            duration_minutes=spec.minutes,
            price=spec.price,
            tax_code=(AESTHETIC if spec.aesthetic else DEFAULT_SERVICE).get(country, ""),
        )
        session.add(treatment)
        session.flush()
        recipe = [(shelves[code], qty) for code, qty in spec.recipe]
        session.add_all(
            RecipeItem(treatment_id=treatment.id, product_id=shelf.product.id, quantity=qty)
            for shelf, qty in recipe
        )
        result[spec.code] = (treatment, recipe)
    return result


def _link_types(session: Session, treatments: dict[str, Any]) -> None:
    for kind in session.scalars(select(AppointmentType)):
        code = TYPE_TREATMENT.get(kind.name)
        if code:
            kind.treatment_id = treatments[code][0].id


def _visits(
    session: Session,
    rng: random.Random,
    limit: int,
    treatments: dict[str, tuple[Treatment, list[tuple[_Shelf, Decimal]]]],
    work: dict[str, list[dict[str, Any]]],
) -> int:
    type_codes = {
        type_id: TYPE_TREATMENT.get(name)
        for type_id, name in session.execute(select(AppointmentType.id, AppointmentType.name))
    }
    doers: dict[uuid.UUID, uuid.UUID | None] = {
        pid: user_id
        for pid, user_id in session.execute(select(Practitioner.id, Practitioner.user_id))
    }
    rows = session.execute(
        select(
            Appointment.id,
            Appointment.type_id,
            Appointment.practitioner_id,
            func.coalesce(Appointment.completed_at, Appointment.end_at),
        )
        .where(
            Appointment.status == AppointmentStatus.COMPLETED.value,
            Appointment.deleted_at.is_(None),
        )
        .order_by(Appointment.start_at.desc())
        .limit(limit)
    ).all()
    count = 0
    for appointment_id, type_id, practitioner_id, done_raw in rows:
        main = type_codes.get(type_id) if type_id else None
        if main is None:
            continue
        done_at = done_raw if done_raw.tzinfo else done_raw.replace(tzinfo=UTC)
        codes = [main] + [code for code, p in EXTRA_TREATMENTS.get(main, ()) if rng.random() < p]
        for code in codes:
            treatment, recipe = treatments[code]
            line_id = new_id()
            base = {"created_at": done_at, "updated_at": done_at, "version": 1}
            work["treatments"].append(
                {
                    "id": line_id,
                    **base,
                    "appointment_id": appointment_id,
                    "treatment_id": treatment.id,
                    "quantity": 1,
                    "price": treatment.price,
                    "status": TreatmentStatus.DONE.value,
                    "done_at": done_at,
                    "done_by": doers.get(practitioner_id),
                    "notes": "",
                }
            )
            for shelf, qty in recipe:
                actual = _actual(rng, qty)
                usage_id = new_id()
                work["usages"].append(
                    {
                        "id": usage_id,
                        **base,
                        "appointment_id": appointment_id,
                        "appointment_treatment_id": line_id,
                        "product_id": shelf.product.id,
                        "recipe_quantity": qty,
                        "actual_quantity": actual,
                        "consumed_at": done_at,
                        "reversed_at": None,
                    }
                )
                if actual > ZERO:
                    shelf.consumed += actual
                    day = done_at.date()
                    shelf.first_use = min(shelf.first_use or day, day)
                    shelf.movements.append(
                        {
                            "kind": MovementKind.CONSUMPTION.value,
                            "quantity": -actual,
                            "occurred_at": done_at,
                            "source": MovementSource.USAGE.value,
                            "source_id": usage_id,
                            "reason": "",
                        }
                    )
        count += 1
    return count


def _actual(rng: random.Random, recipe: Decimal) -> Decimal:
    """Mostly what the recipe says; sometimes a glove more, a little more material or none."""
    draw = rng.random()
    if draw < 0.86:
        return recipe
    if draw < 0.96:
        step = Decimal(1) if recipe >= 1 else recipe
        return recipe + step
    return (recipe / 2).quantize(Decimal("0.001")) if recipe > 1 else recipe


def _booked_need(session: Session, now: datetime) -> Decimal:
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


def _stock_shelf(
    session: Session,
    rng: random.Random,
    shelf: _Shelf,
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
    lot = StockLot(
        product_id=shelf.product.id,
        lot_number=f"L{received:%y%m}-{rng.randint(100, 999)}" if spec.expires else "",
        expiry_date=expiry,
        received_on=received,
        unit_cost=spec.cost,
        supplier_id=shelf.product.preferred_supplier_id,
    )
    session.add(lot)
    session.flush()
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
    shelf: _Shelf,
    received: date,
    zone: Any,
    quantity: Decimal | None = None,
    source: tuple[MovementSource, uuid.UUID | None] = (MovementSource.MANUAL, None),
) -> StockLot:
    spec = shelf.spec
    lot = StockLot(
        product_id=shelf.product.id,
        lot_number=f"L{received:%y%m}-{rng.randint(100, 999)}" if spec.expires else "",
        expiry_date=received + timedelta(days=rng.randint(500, 900)) if spec.expires else None,
        received_on=received,
        unit_cost=spec.cost,
        supplier_id=shelf.product.preferred_supplier_id,
    )
    session.add(lot)
    session.flush()
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


def _orders(
    session: Session,
    shelves: dict[str, _Shelf],
    suppliers: list[Supplier],
    today: date,
    zone: Any,
    lots: list[StockLot],
) -> int:
    rng = random.Random("inventory-orders")
    # (supplier, status, ordered days ago, expected in days, [(product, boxes, received)])
    plans = (
        (1, OrderStatus.RECEIVED, 45, -40,
         [("GUA-NIT-M", 10, 10), ("MASC-QX", 6, 6), ("GAS-EST", 5, 5)]),
        (0, OrderStatus.PARTIAL, 8, -3, [("ANE-LID", 4, 4), ("RES-A2", 5, 0)]),
        (2, OrderStatus.ORDERED, 2, 5, [("TIR-GLU", 4, 0), ("VAC-INF", 2, 0)]),
        (0, OrderStatus.DRAFT, 0, 7, [("ANE-ART", 2, 0), ("ARC-NIT", 1, 0)]),
    )  # fmt: skip
    for number, (supplier, status, ago, expected, lines) in enumerate(plans, start=1):
        order = PurchaseOrder(
            number=number,
            supplier_id=suppliers[supplier].id,
            status=status.value,
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
                        rng,
                        shelf,
                        today + timedelta(days=expected),
                        zone,
                        Decimal(received) * shelf.spec.per_purchase,
                        (MovementSource.PURCHASE_LINE, line.id),
                    )
                )
    return len(plans)


def _write(session: Session, model: type[Any], rows: list[dict[str, Any]]) -> None:
    if not rows:
        return
    writer = BulkWriter(session, cast(Table, model.__table__), rows[0])
    for start in range(0, len(rows), BATCH):
        writer.write(rows[start : start + BATCH])


def _write_balances(session: Session, movements: list[dict[str, Any]]) -> None:
    totals: dict[uuid.UUID, list[Any]] = defaultdict(lambda: [None, ZERO])
    for movement in movements:
        entry = totals[movement["lot_id"]]
        entry[0] = movement["product_id"]
        entry[1] += movement["quantity"]
    _write(
        session,
        StockBalance,
        [
            {"lot_id": lot_id, "product_id": product_id, "quantity": quantity}
            for lot_id, (product_id, quantity) in totals.items()
        ],
    )
