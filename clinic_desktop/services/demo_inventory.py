"""The demo clinic's inventory, so a newcomer finds a stocked clinic: suppliers, products with
lots, the treatment catalogue with recipes, appointment types linked to their usual treatment,
the treatments done in the completed demo visits with the stock they consumed
(`demo_inventory_visits`), and the shelves and four purchase orders (`demo_inventory_stock`),
which end in every state the badges show. This module runs the steps in order and writes
what they collected: the catalogue goes through the ORM (audited row by row); the visits'
treatments, usages and movements go in bulk with one audit entry per kind, and the balance
cache is computed from exactly the movements written, so it equals the ledger."""

from __future__ import annotations

import random
import uuid
from collections import defaultdict
from dataclasses import dataclass
from datetime import datetime
from typing import Any, cast

from sqlalchemy import Table, select
from sqlalchemy.orm import Session

from clinic_desktop.actor import Actor
from clinic_desktop.db.audit_log import append_audit
from clinic_desktop.fiscal.tax_codes import DEFAULT_GOODS, DEFAULT_SERVICE
from clinic_desktop.models.base import new_id
from clinic_desktop.models.inventory import Product, Supplier
from clinic_desktop.models.schedule import AppointmentType
from clinic_desktop.models.stock import StockBalance, StockLot, StockMovement
from clinic_desktop.models.treatment import AppointmentTreatment, RecipeItem, StockUsage, Treatment
from clinic_desktop.services.agenda_rules import clinic_country, clinic_zone
from clinic_desktop.services.demo_bulk import BulkWriter
from clinic_desktop.services.demo_inventory_catalogue import (
    PRODUCTS,
    SUPPLIERS,
    TREATMENTS,
    TYPE_TREATMENT,
)
from clinic_desktop.services.demo_inventory_stock import (
    ZERO,
    Shelf,
    add_orders,
    booked_paste_need,
    stock_shelf,
)
from clinic_desktop.services.demo_inventory_visits import Recipes, add_visit_treatments

# Only the most recent completed visits consume stock, so a 100,000-patient demo stays quick.
MAX_VISITS = 4000
BATCH = 5000
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
        stats.visits = add_visit_treatments(session, rng, max_visits, treatments, work)
    lots: list[StockLot] = []
    booked_need = booked_paste_need(session, now)
    for shelf in shelves.values():
        lots.extend(stock_shelf(session, rng, shelf, today, zone, booked_need))
    stats.orders = add_orders(session, shelves, suppliers, today, zone, lots)
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


def _products(session: Session, suppliers: list[Supplier], country: str) -> dict[str, Shelf]:
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
        shelves[spec.code] = Shelf(spec, product)
    return shelves


def _treatments(session: Session, shelves: dict[str, Shelf], country: str) -> Recipes:
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


def _link_types(session: Session, treatments: Recipes) -> None:
    for kind in session.scalars(select(AppointmentType)):
        code = TYPE_TREATMENT.get(kind.name)
        if code:
            kind.treatment_id = treatments[code][0].id


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
