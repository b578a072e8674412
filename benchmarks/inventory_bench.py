"""Inventory figures on a 2,000-patient demo clinic grown to 5,000 products, 2,000,000 stock
movements and 10,000 appointments booked over the next 30 days (inventory_bench_data.py):
- stock_all_products_ms: the products list with the stock of every product (the service the
  Products tab calls), median of 15; stock_all_products_ratio against the raw SQL aggregate
  that sums the two million movements per product (the naive way, which the balance cache
  avoids), median of 5, through a keyed connection of the same engine;
- forecast_30d_ms: the 30-day stock forecast over the 10,000 booked appointments, median of 9;
- complete_appointment_recipe_ms: completing one appointment whose treatment has a 10-product
  recipe, each product in three lots (FEFO picks), with its audit entries and commit, median
  over 40 appointments."""

from __future__ import annotations

import statistics
import time
import uuid
from collections.abc import Iterator
from datetime import timedelta
from decimal import Decimal
from typing import Any

from bench_kit import Figure, Workspace, demo_actor, demo_clinic, median_ms, raw_rows

COMPLETIONS = 40

_RAW_STOCK = """
SELECT product_id, sum(quantity) FROM stock_movements GROUP BY product_id
"""


def inventory_figures(ws: Workspace) -> Iterator[Figure]:
    from inventory_bench_data import grow_bookings, grow_movements, grow_products, utc_now

    from clinic_desktop.actor import Actor
    from clinic_desktop.services.products import list_products
    from clinic_desktop.services.stock_check import forecast

    db = demo_clinic(ws, "inventory")
    try:
        actor = demo_actor(db, "duena")
        now = utc_now()
        start = time.perf_counter()
        with db.uow().transaction(Actor.system("bench")) as session:
            lots = grow_products(session, now)
            grow_movements(session, lots, now)
            grow_bookings(session, now)
        yield "inventory_bench_fill_s", time.perf_counter() - start, "s"

        products = list_products(db.uow(), actor=actor)
        assert len(products) >= 5_000
        service = median_ms(lambda: list_products(db.uow(), actor=actor), 15)
        floor = median_ms(lambda: raw_rows(db, _RAW_STOCK), 5)
        yield "stock_all_products_ms", service, "ms"
        yield "stock_all_products_floor_ms", floor, "ms"
        yield "stock_all_products_ratio", service / floor, "x"

        result = forecast(db.uow(), actor=actor, days=30)
        assert result.appointments >= 9_000, result.appointments
        taken = median_ms(lambda: forecast(db.uow(), actor=actor, days=30), 9)
        yield "forecast_30d_ms", taken, "ms"
        yield from _completion(db, actor, now)
    finally:
        db.close()


def _completion(db: Any, actor: Any, now: Any) -> Iterator[Figure]:
    """A treatment with a 10-product recipe, each product in three lots, on booked
    appointments completed one after another through the service."""
    from sqlalchemy import select

    from clinic_desktop.actor import Actor
    from clinic_desktop.models.appointment import Appointment, AppointmentStatus
    from clinic_desktop.models.inventory import Product
    from clinic_desktop.models.stock import MovementKind
    from clinic_desktop.models.treatment import RecipeItem, Treatment
    from clinic_desktop.services import appointment_treatments as work
    from clinic_desktop.services import stock_ledger

    system = Actor.system("bench")
    with db.uow().transaction(system) as session:
        treatment = Treatment(code="BEN-REC10", name="Tratamiento de 10 productos", price=1)
        session.add(treatment)
        session.flush()
        products = list(session.scalars(select(Product).limit(10)))
        for n, product in enumerate(products):
            session.add(
                RecipeItem(treatment_id=treatment.id, product_id=product.id, quantity=Decimal(1))
            )
            for k in range(3):
                lot = stock_ledger.new_lot(
                    session,
                    product=product,
                    lot_number=f"REC-{n}-{k}",
                    expiry_date=now.date() + timedelta(days=100 + 30 * k),
                    received_on=now.date(),
                    unit_cost=Decimal("0.5"),
                )
                stock_ledger.put(
                    session,
                    lot=lot,
                    quantity=Decimal(1000),
                    origin=stock_ledger.Origin(MovementKind.RECEIPT),
                )
        appointments: list[uuid.UUID] = list(
            session.scalars(
                select(Appointment.id)
                .where(
                    Appointment.start_at >= now,
                    Appointment.status == AppointmentStatus.SCHEDULED.value,
                )
                .order_by(Appointment.start_at)
                .limit(COMPLETIONS)
            )
        )
        treatment_id = treatment.id
    lines = []
    for appointment_id in appointments:
        work.add_planned_treatment(
            db.uow(), actor=actor, appointment_id=appointment_id, treatment_id=treatment_id
        )
        preview = work.preview_completion(db.uow(), actor=actor, appointment_id=appointment_id)
        lines.append((appointment_id, preview))
    samples = []
    for appointment_id, preview in lines:
        start = time.perf_counter()
        work.complete_treatments(
            db.uow(),
            actor=actor,
            appointment_id=appointment_id,
            lines=work.lines_from_preview(preview),
        )
        samples.append((time.perf_counter() - start) * 1000)
    yield "complete_appointment_recipe_ms", statistics.median(samples), "ms"
