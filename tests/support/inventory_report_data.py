"""A small stock history for the inventory reports' tests, written as the inventory services
will write it (lots and movements only through services/stock_ledger, usage lines and
appointment treatments straight into the models) on top of two appointments of the
`demo_agenda` clinic with different practitioners. Everything is in its own product and
treatment category, so whatever demo data exists does not count; days are relative to the
clinic's today. The expected figures, worked out by hand, are in the tests.

    T0 = today-40  receipts: GUA lot A 4 @0.0850, lot B 50 @0.0900; ANE 20 ml @1.25;
                   GAS 200 @0.03
    today-20      AT1 Extracción ×1 (practitioner X): GUA 2→3, ANE 1.8→1.8, GAS 4→4
                  AT2 Limpieza ×2 (practitioner Y): GUA 2→2, GAS 12→10; extra GAS 0→5
    today-15      write-off GAS 10
    today-12      AT4 Extracción ×1 (Y): GUA 2→2, ANE 1.8→1.5, GAS 4→4
    today-10      AT3 Extracción ×1 (Y): GUA 2, ANE 2.0, GAS 4 — undone now
    today-10      AT5 Obsoleto (inactive treatment) ×1 (Y), no stock
    today-3       receipt ANE lot C 10 ml @1.30
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from decimal import Decimal

from sqlalchemy import select
from sqlalchemy.orm import Session

from clinic_desktop.actor import Actor
from clinic_desktop.models.appointment import Appointment
from clinic_desktop.models.base import utcnow
from clinic_desktop.models.inventory import Product
from clinic_desktop.models.stock import MovementKind, MovementSource, StockLot, StockMovement
from clinic_desktop.models.treatment import (
    AppointmentTreatment,
    RecipeItem,
    StockUsage,
    Treatment,
    TreatmentStatus,
)
from clinic_desktop.services import stock_ledger as ledger
from clinic_desktop.services.agenda_rules import clinic_zone
from clinic_desktop.services.clinical_history import clinic_today

SYSTEM = Actor.system("tests")
CATEGORY = "Prueba informes"
D = Decimal


@dataclass(frozen=True)
class ReportData:
    today: date
    practitioner_x: uuid.UUID
    practitioner_y: uuid.UUID
    practitioner_x_name: str
    practitioner_y_name: str
    products: dict[str, uuid.UUID]  # by code
    treatments: dict[str, uuid.UUID]  # by code

    def day(self, offset: int) -> date:
        return self.today + timedelta(days=offset)


def seed_report_data(db: object) -> ReportData:
    uow = db.uow  # type: ignore[attr-defined]
    with uow().transaction(SYSTEM) as session:
        zone = clinic_zone(session)
        today = clinic_today(session)

        def at(offset: int, hour: int = 11) -> datetime:
            local = datetime.combine(today + timedelta(days=offset), time(hour), tzinfo=zone)
            return local.astimezone(UTC)

        first, second = _two_practitioners(session)
        gua = _product(session, "RP-GUA", "Guantes de nitrilo", "par", "0.0900")
        ane = _product(session, "RP-ANE", "Lidocaína 2 %", "ml", "1.3000")
        gas = _product(session, "RP-GAS", "Gasas estériles", "unidad", "0.0300")
        _receive(session, gua, "A", "4", "0.0850", at(-40), today + timedelta(days=200))
        _receive(session, gua, "B", "50", "0.0900", at(-40), today + timedelta(days=400))
        ane_lot = _receive(session, ane, "L1", "20", "1.2500", at(-40), None)
        gas_lot = _receive(session, gas, "G1", "200", "0.0300", at(-40), None)

        extraction = _treatment(session, "RP-EXT", "Extracción simple", "40.00")
        cleaning = _treatment(session, "RP-LIM", "Limpieza dental", "25.00")
        whitening = _treatment(session, "RP-BLA", "Blanqueamiento", "150.00")
        obsolete = _treatment(session, "RP-OBS", "Obsoleto", "10.00", active=False)
        for treatment, product, qty in (
            (extraction, gua, "2"), (extraction, ane, "1.8"), (extraction, gas, "4"),
            (cleaning, gua, "1"), (cleaning, gas, "6"), (obsolete, gas, "50"),
        ):  # fmt: skip
            session.add(
                RecipeItem(treatment_id=treatment.id, product_id=product.id, quantity=D(qty))
            )
        session.flush()

        _complete(session, first, extraction, 1, at(-20), today,
                  [(gua, "2", "3"), (ane, "1.8", "1.8"), (gas, "4", "4")])  # fmt: skip
        _complete(session, second, cleaning, 2, at(-20, 12), today,
                  [(gua, "2", "2"), (gas, "12", "10")])  # fmt: skip
        _extra(session, second, gas, "5", at(-20, 13), today)
        ledger.take_from_lot(
            session,
            lot=gas_lot,
            quantity=D(10),
            origin=ledger.Origin(MovementKind.WRITE_OFF, reason="Dañadas", occurred_at=at(-15)),
            product_name=gas.name,
        )
        _complete(session, second, extraction, 1, at(-12), today,
                  [(gua, "2", "2"), (ane, "1.8", "1.5"), (gas, "4", "4")])  # fmt: skip
        undone = _complete(session, second, extraction, 1, at(-10), today,
                           [(gua, "2", "2"), (ane, "1.8", "2.0"), (gas, "4", "4")])  # fmt: skip
        _undo(session, undone)
        _complete(session, second, obsolete, 1, at(-10, 15), today, [])
        lot_c = ledger.new_lot(
            session, product=ane, lot_number="L2", received_on=today - timedelta(days=3),
            unit_cost=D("1.3000"),
        )  # fmt: skip
        ledger.put(
            session,
            lot=lot_c,
            quantity=D(10),
            origin=ledger.Origin(MovementKind.RECEIPT, occurred_at=at(-3)),
        )
        assert ane_lot.id
        return ReportData(
            today=today,
            practitioner_x=first[1],
            practitioner_y=second[1],
            practitioner_x_name=first[2],
            practitioner_y_name=second[2],
            products={p.code: p.id for p in (gua, ane, gas)},
            treatments={t.code: t.id for t in (extraction, cleaning, whitening, obsolete)},
        )


def _two_practitioners(session: Session) -> tuple[tuple[uuid.UUID, uuid.UUID, str], ...]:
    """Two appointments of different practitioners: (appointment, practitioner, name)."""
    from clinic_desktop.models.schedule import Practitioner

    found: dict[uuid.UUID, tuple[uuid.UUID, uuid.UUID, str]] = {}
    rows = session.execute(
        select(Appointment.id, Appointment.practitioner_id, Practitioner.display_name)
        .join(Practitioner, Practitioner.id == Appointment.practitioner_id)
        .order_by(Appointment.start_at)
    )
    for appointment_id, practitioner_id, name in rows:
        found.setdefault(practitioner_id, (appointment_id, practitioner_id, name))
        if len(found) == 2:
            break
    assert len(found) == 2, "the demo agenda should have two practitioners"
    first, second = sorted(found.values(), key=lambda f: f[2])
    return first, second


def _product(session: Session, code: str, name: str, unit: str, cost: str) -> Product:
    product = Product(code=code, name=name, category=CATEGORY, unit=unit, cost=D(cost))
    session.add(product)
    session.flush()
    return product


def _receive(
    session: Session,
    product: Product,
    number: str,
    qty: str,
    cost: str,
    when: datetime,
    expiry: date | None,
) -> StockLot:
    lot = ledger.new_lot(
        session,
        product=product,
        lot_number=number,
        expiry_date=expiry,
        received_on=when.date(),
        unit_cost=D(cost),
    )
    ledger.put(
        session,
        lot=lot,
        quantity=D(qty),
        origin=ledger.Origin(MovementKind.RECEIPT, MovementSource.MANUAL, occurred_at=when),
    )
    return lot


def _treatment(
    session: Session, code: str, name: str, price: str, *, active: bool = True
) -> Treatment:
    treatment = Treatment(code=code, name=name, category=CATEGORY, price=D(price), active=active)
    session.add(treatment)
    session.flush()
    return treatment


def _complete(
    session: Session,
    appointment: tuple[uuid.UUID, uuid.UUID, str],
    treatment: Treatment,
    times: int,
    when: datetime,
    today: date,
    lines: list[tuple[Product, str, str]],
) -> AppointmentTreatment:
    """What completing an appointment's treatment writes: the line marked done, a usage line
    per recipe product (recipe × times, and the actual quantity) and its consumption."""
    done = AppointmentTreatment(
        appointment_id=appointment[0],
        treatment_id=treatment.id,
        quantity=times,
        price=treatment.price,
        status=TreatmentStatus.DONE.value,
        done_at=when,
    )
    session.add(done)
    session.flush()
    for product, recipe, actual in lines:
        usage = StockUsage(
            appointment_id=appointment[0],
            appointment_treatment_id=done.id,
            product_id=product.id,
            recipe_quantity=D(recipe),
            actual_quantity=D(actual),
            consumed_at=when,
        )
        _consume(session, usage, product, when, today)
    return done


def _extra(
    session: Session,
    appointment: tuple[uuid.UUID, uuid.UUID, str],
    product: Product,
    qty: str,
    when: datetime,
    today: date,
) -> None:
    usage = StockUsage(
        appointment_id=appointment[0],
        product_id=product.id,
        recipe_quantity=D(0),
        actual_quantity=D(qty),
        consumed_at=when,
    )
    _consume(session, usage, product, when, today)


def _consume(
    session: Session, usage: StockUsage, product: Product, when: datetime, today: date
) -> None:
    session.add(usage)
    session.flush()
    ledger.take_fefo(
        session,
        product=product,
        quantity=usage.actual_quantity,
        origin=ledger.Origin(
            MovementKind.CONSUMPTION, MovementSource.USAGE, usage.id, occurred_at=when
        ),
        today=today,
    )


def _undo(session: Session, done: AppointmentTreatment) -> None:
    """Undoing a completion: reversing movements now, the lines kept and marked reversed."""
    usages = session.scalars(
        select(StockUsage).where(StockUsage.appointment_treatment_id == done.id)
    ).all()
    now = utcnow()
    for usage in usages:
        movements = session.scalars(
            select(StockMovement).where(
                StockMovement.source == MovementSource.USAGE.value,
                StockMovement.source_id == usage.id,
                StockMovement.kind == MovementKind.CONSUMPTION.value,
            )
        ).all()
        for movement in movements:
            ledger.reverse(session, movement=movement, reason="Deshacer")
        usage.reversed_at = now
    done.status = TreatmentStatus.PLANNED.value
    done.done_at = None
