"""Test data for purchase orders: two suppliers and three products of the test's own (codes
starting "T-", so the demo clinic's inventory never gets in the way), stock put in through
the real ledger, and small readers of what the tests check afterwards (stock, lots, the audit
trail, how many orders there are)."""

from __future__ import annotations

import json
import uuid
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from decimal import Decimal
from zoneinfo import ZoneInfo

from sqlalchemy import func, select

from clinic_desktop.actor import Actor
from clinic_desktop.models.audit import AuditEntry
from clinic_desktop.models.inventory import Product, Supplier
from clinic_desktop.models.purchasing import PurchaseOrder
from clinic_desktop.models.stock import MovementKind, StockBalance, StockLot, StockMovement
from clinic_desktop.services import stock_ledger as ledger
from clinic_desktop.services.purchasing import create_order, place_order
from clinic_desktop.services.purchasing_dto import OrderLineInput, PurchaseOrderDTO

SYSTEM = Actor.system("tests")


def clinic_today() -> date:
    """Today in the demo clinic's zone (Quito), which late at night is not the machine's."""
    return datetime.now(ZoneInfo("America/Guayaquil")).date()


@dataclass(frozen=True)
class Shop:
    supplier: uuid.UUID  # "Proveedora Test S.A."
    other: uuid.UUID  # "Otra Casa Dental"
    gloves: uuid.UUID  # unidad, bought in boxes of 100 from `supplier`, reorder level 200
    resin: uuid.UUID  # g, bought in syringes of 4 g from `other`
    gauze: uuid.UUID  # unidad, bought by the unit, no supplier, reorder level 10


def make_shop(db: object) -> Shop:
    with db.uow().transaction(SYSTEM) as session:  # type: ignore[attr-defined]
        supplier = Supplier(
            name="Proveedora Test S.A.",
            tax_id="1790012345001",
            contact_name="Marta Ríos",
            phone="02 255 0000",
            email="ventas@proveedora.test",
            address="Av. 6 de Diciembre N30-12, Quito",
        )
        other = Supplier(name="Otra Casa Dental")
        session.add_all([supplier, other])
        session.flush()
        gloves = Product(
            code="T-GUA",
            name="Guantes de prueba",
            unit="unidad",
            purchase_unit="caja x100",
            units_per_purchase=Decimal(100),
            cost=Decimal("0.085"),
            reorder_level=Decimal(200),
            preferred_supplier_id=supplier.id,
        )
        resin = Product(
            code="T-RES",
            name="Resina de prueba",
            unit="g",
            purchase_unit="jeringa 4 g",
            units_per_purchase=Decimal(4),
            cost=Decimal("6.25"),
            preferred_supplier_id=other.id,
        )
        gauze = Product(
            code="T-GAS",
            name="Gasa de prueba",
            unit="unidad",
            cost=Decimal("0.05"),
            reorder_level=Decimal(10),
        )
        session.add_all([gloves, resin, gauze])
        session.flush()
        return Shop(supplier.id, other.id, gloves.id, resin.id, gauze.id)


def put_stock(db: object, product_id: uuid.UUID, quantity: str, expiry: date | None = None) -> None:
    with db.uow().transaction(SYSTEM) as session:  # type: ignore[attr-defined]
        product = session.get(Product, product_id)
        assert product is not None
        lot = ledger.new_lot(
            session,
            product=product,
            lot_number="OPEN",
            expiry_date=expiry,
            received_on=date.today() - timedelta(days=5),
            unit_cost=product.cost,
        )
        ledger.put(
            session, lot=lot, quantity=Decimal(quantity), origin=ledger.Origin(MovementKind.RECEIPT)
        )


def placed_order(
    db: object, shop: Shop, lines: list[tuple[uuid.UUID, str, str]], actor: Actor = SYSTEM
) -> PurchaseOrderDTO:
    """An order to the shop's supplier with (product, purchase units, unit cost) lines, placed."""
    draft = create_order(
        db.uow(),  # type: ignore[attr-defined]
        actor=actor,
        supplier_id=shop.supplier,
        lines=[OrderLineInput(p, Decimal(q), Decimal(c)) for p, q, c in lines],
    )
    return place_order(db.uow(), actor=actor, order_id=draft.id)  # type: ignore[attr-defined]


def stock_of(db: object, product_id: uuid.UUID) -> Decimal:
    with db.uow().transaction(SYSTEM) as session:  # type: ignore[attr-defined]
        return ledger.stock_by_product(session, [product_id]).get(product_id, Decimal(0))


def lots_of(db: object, product_id: uuid.UUID) -> list[tuple[str, date | None, Decimal, Decimal]]:
    """(lot number, expiry, unit cost, balance) of the product's lots, oldest first."""
    with db.uow().transaction(SYSTEM) as session:  # type: ignore[attr-defined]
        rows = session.execute(
            select(
                StockLot.lot_number, StockLot.expiry_date, StockLot.unit_cost, StockBalance.quantity
            )
            .join(StockBalance, StockBalance.lot_id == StockLot.id)
            .where(StockLot.product_id == product_id)
            .order_by(StockLot.created_at, StockLot.id)
        )
        return [tuple(row) for row in rows]  # type: ignore[misc]


def receipt_movements(db: object, line_id: uuid.UUID) -> list[tuple[str, Decimal, str]]:
    """(kind, quantity, reason) of the movements pointing at one order line."""
    with db.uow().transaction(SYSTEM) as session:  # type: ignore[attr-defined]
        rows = session.execute(
            select(StockMovement.kind, StockMovement.quantity, StockMovement.reason)
            .where(StockMovement.source == "purchase_line", StockMovement.source_id == line_id)
            .order_by(StockMovement.created_at)
        )
        return [tuple(row) for row in rows]  # type: ignore[misc]


def product_cost(db: object, product_id: uuid.UUID) -> Decimal:
    with db.uow().transaction(SYSTEM) as session:  # type: ignore[attr-defined]
        product = session.get(Product, product_id)
        assert product is not None
        return product.cost


def order_count(db: object) -> int:
    with db.uow().transaction(SYSTEM) as session:  # type: ignore[attr-defined]
        return int(session.scalar(select(func.count()).select_from(PurchaseOrder)) or 0)


def audit_of(db: object, entity: str, entity_id: object) -> list[tuple[str, dict[str, object]]]:
    """(action, changes) of the audit entries about one record, oldest first."""
    with db.uow().transaction(SYSTEM) as session:  # type: ignore[attr-defined]
        rows = session.execute(
            select(AuditEntry.action, AuditEntry.changes)
            .where(AuditEntry.entity == entity, AuditEntry.entity_id == str(entity_id))
            .order_by(AuditEntry.seq)
        )
        return [(action, json.loads(changes)) for action, changes in rows]
