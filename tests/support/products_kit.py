"""Helpers for the products, suppliers, stock and import tests: signed-in actors of the demo
accounts, a product made through the service, the audit entries of one record, and reading
the ledger three ways (the balance cache, a pure-Python sum of movements, a SQL sum)."""

from __future__ import annotations

import uuid
from collections import defaultdict
from decimal import Decimal
from typing import Any

from sqlalchemy import func, select

from clinic_desktop.actor import Actor
from clinic_desktop.models.audit import AuditEntry
from clinic_desktop.models.stock import StockMovement
from clinic_desktop.models.types import QUANTITY
from clinic_desktop.services import stock_ledger
from clinic_desktop.services.auth import sign_in
from clinic_desktop.services.demo import DEMO_PASSWORD
from clinic_desktop.services.inventory_dto import ProductDTO, ProductForm
from clinic_desktop.services.products import create_product

SYSTEM = Actor.system("tests")


def actor(demo: Any, username: str) -> Actor:
    user = sign_in(demo.db.uow(), username=username, password=DEMO_PASSWORD)
    return Actor.for_user(user.id, user.username)


def make_product(demo: Any, code: str = "T-GUA", **fields: Any) -> ProductDTO:
    values: dict[str, Any] = {"name": "Guantes de prueba", "unit": "unidad"}
    values.update(fields)
    return create_product(demo.db.uow(), actor=SYSTEM, form=ProductForm(code=code, **values))


def audit_actions(demo: Any, entity: str, entity_id: uuid.UUID | str) -> list[str]:
    with demo.db.uow().transaction(SYSTEM) as session:
        return list(
            session.scalars(
                select(AuditEntry.action)
                .where(AuditEntry.entity == entity, AuditEntry.entity_id == str(entity_id))
                .order_by(AuditEntry.seq)
            )
        )


def count_rows(demo: Any, model: type[Any]) -> int:
    with demo.db.uow().transaction(SYSTEM) as session:
        return int(session.scalar(select(func.count()).select_from(model)) or 0)


def cached_stock(demo: Any) -> dict[uuid.UUID, Decimal]:
    with demo.db.uow().transaction(SYSTEM) as session:
        return stock_ledger.stock_by_product(session)


def python_stock(demo: Any) -> dict[uuid.UUID, Decimal]:
    """Every movement read one by one and added up in Python."""
    totals: dict[uuid.UUID, Decimal] = defaultdict(Decimal)
    with demo.db.uow().transaction(SYSTEM) as session:
        for movement in session.scalars(select(StockMovement)):
            totals[movement.product_id] += movement.quantity
    return dict(totals)


def sql_stock(demo: Any) -> dict[uuid.UUID, Decimal]:
    """SUM over the stock_movements table's stored integers."""
    with demo.db.uow().transaction(SYSTEM) as session:
        rows = session.execute(
            select(
                StockMovement.product_id, func.sum(stock_ledger.raw(StockMovement.quantity))
            ).group_by(StockMovement.product_id)
        )
        return {pid: QUANTITY.from_raw(raw) for pid, raw in rows}


def stocked_clinic(paths: Any, keyring_backend: Any) -> Any:
    """The demo clinic with its inventory (products with every badge, suppliers, lots) but no
    agenda: lighter than the `demo_stocked` fixture when appointments do not matter."""
    from clinic_desktop.services.demo import create_demo_clinic
    from support.constants import FAST_KDF

    return create_demo_clinic(
        paths,
        patients=5,
        seed=7,
        language="en",
        kdf=FAST_KDF,
        keyring_backend=keyring_backend,
        agenda=False,
        inventory=True,
    )
