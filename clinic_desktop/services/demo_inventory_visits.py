"""The treatments done in the demo clinic's completed visits and the stock they consumed: each
visit of a type with a usual treatment gets that treatment (and now and then an extra one,
as `EXTRA_TREATMENTS` says), each treatment a usage per recipe item whose actual quantity is
mostly the recipe's and sometimes a glove more, more material or none, and each usage a
consumption movement on its product's shelf. Only the most recent completed visits count, so
a 100,000-patient demo stays quick. Rows are collected as dicts for `demo_inventory` to write
in bulk."""

from __future__ import annotations

import random
import uuid
from datetime import UTC
from decimal import Decimal
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from clinic_desktop.models.appointment import Appointment, AppointmentStatus
from clinic_desktop.models.base import new_id
from clinic_desktop.models.schedule import AppointmentType, Practitioner
from clinic_desktop.models.stock import MovementKind, MovementSource
from clinic_desktop.models.treatment import Treatment, TreatmentStatus
from clinic_desktop.services.demo_inventory_catalogue import EXTRA_TREATMENTS, TYPE_TREATMENT
from clinic_desktop.services.demo_inventory_stock import ZERO, Shelf

# Each catalogue treatment by code, with its recipe: (shelf, quantity) per product.
Recipes = dict[str, tuple[Treatment, list[tuple[Shelf, Decimal]]]]


def add_visit_treatments(
    session: Session,
    rng: random.Random,
    limit: int,
    treatments: Recipes,
    work: dict[str, list[dict[str, Any]]],
) -> int:
    """Fills work["treatments"] and work["usages"] from the `limit` latest completed visits
    and adds their consumption to the shelves; returns how many visits had a treatment."""
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
