"""Test data for the treatment catalogue, appointment work and the stock forecast: products with
lots put in through the real stock ledger, treatments with recipes through the real service,
and appointments booked through the agenda's service on the small test agenda (seed_agenda),
each at its own hour of a future working day so they never clash."""

from __future__ import annotations

import json
import uuid
from collections.abc import Sequence
from datetime import date, timedelta
from decimal import Decimal

from sqlalchemy import select

from clinic_desktop.actor import Actor
from clinic_desktop.models.audit import AuditEntry
from clinic_desktop.models.inventory import Product
from clinic_desktop.models.schedule import AppointmentType
from clinic_desktop.models.stock import MovementKind, StockMovement
from clinic_desktop.services import stock_ledger as ledger
from clinic_desktop.services.appointments import book_appointment
from clinic_desktop.services.treatments import RecipeLine, TreatmentForm, create_treatment

SYSTEM = Actor.system("tests")

Lot = tuple[str, date | None]  # (quantity, expiry)


def make_product(
    db: object,
    code: str,
    name: str,
    *,
    unit: str = "unidad",
    cost: str = "0.10",
    lots: Sequence[Lot] = (),
    reorder: str = "0",
    active: bool = True,
) -> uuid.UUID:
    with db.uow().transaction(SYSTEM) as session:  # type: ignore[attr-defined]
        product = Product(
            code=code,
            name=name,
            unit=unit,
            cost=Decimal(cost),
            reorder_level=Decimal(reorder),
            active=active,
        )
        session.add(product)
        session.flush()
        for number, (quantity, expiry) in enumerate(lots, start=1):
            lot = ledger.new_lot(
                session,
                product=product,
                lot_number=f"{code}-L{number}",
                expiry_date=expiry,
                received_on=date.today() - timedelta(days=10),
                unit_cost=Decimal(cost),
            )
            ledger.put(
                session,
                lot=lot,
                quantity=Decimal(quantity),
                origin=ledger.Origin(MovementKind.RECEIPT),
            )
        return product.id


def make_treatment(
    db: object,
    code: str,
    name: str,
    recipe: Sequence[tuple[uuid.UUID, str]] = (),
    *,
    price: str = "25.00",
    category: str = "Odontología",
    minutes: int = 30,
) -> uuid.UUID:
    form = TreatmentForm(
        code=code, name=name, category=category, duration_minutes=minutes, price=Decimal(price)
    )
    lines = [RecipeLine(pid, Decimal(q)) for pid, q in recipe]
    return create_treatment(db.uow(), actor=SYSTEM, form=form, recipe=lines).id  # type: ignore[attr-defined]


def set_type_treatment(db: object, type_id: uuid.UUID, treatment_id: uuid.UUID | None) -> None:
    # The agenda's type editor does not offer the field yet: set it as its migration allows.
    with db.uow().transaction(SYSTEM) as session:  # type: ignore[attr-defined]
        kind = session.get(AppointmentType, type_id)
        assert kind is not None
        kind.treatment_id = treatment_id


def book(
    db: object,
    seed: object,
    day: date,
    hour: int,
    *,
    type_id: uuid.UUID | None = None,
    patient: int = 0,
    minute: int = 0,
) -> uuid.UUID:
    return book_appointment(
        db.uow(),  # type: ignore[attr-defined]
        actor=SYSTEM,
        patient_id=seed.patients[patient],  # type: ignore[attr-defined]
        practitioner_id=seed.dentist,  # type: ignore[attr-defined]
        start=seed.at(day, hour, minute),  # type: ignore[attr-defined]
        minutes=30,
        type_id=type_id,
        override_reason="tests",
    ).id


def stock_of(db: object, product_id: uuid.UUID) -> Decimal:
    with db.uow().transaction(SYSTEM) as session:  # type: ignore[attr-defined]
        return ledger.stock_by_product(session, [product_id]).get(product_id, Decimal(0))


def movements_of(db: object, product_id: uuid.UUID) -> list[tuple[str, Decimal, str]]:
    """(kind, quantity, lot number) of the product's movements, in the order written."""
    from clinic_desktop.models.stock import StockLot

    with db.uow().transaction(SYSTEM) as session:  # type: ignore[attr-defined]
        rows = session.execute(
            select(StockMovement.kind, StockMovement.quantity, StockLot.lot_number)
            .join(StockLot, StockLot.id == StockMovement.lot_id)
            .where(StockMovement.product_id == product_id)
            .order_by(StockMovement.created_at, StockMovement.id)
        )
        return [(kind, quantity, number) for kind, quantity, number in rows]


def audit_of(db: object, entity: str) -> list[tuple[str, dict[str, object]]]:
    """(action, changes) of the audit entries about one kind of record, oldest first."""
    with db.uow().transaction(SYSTEM) as session:  # type: ignore[attr-defined]
        rows = session.execute(
            select(AuditEntry.action, AuditEntry.changes)
            .where(AuditEntry.entity == entity)
            .order_by(AuditEntry.seq)
        )
        return [(action, json.loads(changes)) for action, changes in rows]
