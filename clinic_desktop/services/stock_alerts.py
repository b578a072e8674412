"""The stock ledger as a whole: the alerts the home screen and the products tab show (active
products at or below their reorder level, out of stock, lots with stock expiring within
`inventory.expiry_warning_days` or already expired) and the consistency check that proves the
per-lot balance cache equals the sum of the movements, with a rebuild that trusts the ledger.
`services.stock` re-exports these three functions."""

from __future__ import annotations

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from clinic_desktop.actor import Actor
from clinic_desktop.db.audit_log import append_audit
from clinic_desktop.db.uow import UnitOfWork
from clinic_desktop.events import InventoryChanged
from clinic_desktop.models.inventory import Product
from clinic_desktop.models.permissions import Permission
from clinic_desktop.models.stock import StockBalance, StockLot, StockMovement
from clinic_desktop.services import stock_ledger
from clinic_desktop.services.access import require
from clinic_desktop.services.inventory_dto import (
    ConsistencyReportDTO,
    ExpiryAlertDTO,
    MismatchDTO,
    StockAlertsDTO,
    StockBadge,
)
from clinic_desktop.services.products_query import (
    product_dtos,
    product_query,
    require_reader,
    stock_context,
)


def stock_alerts(uow: UnitOfWork, *, actor: Actor) -> StockAlertsDTO:
    """Active products at or below their reorder level (with some usable stock), out of
    stock, and lots with stock expiring soon or already expired: the same conditions as the
    products list's filters, so the counts shown match the filtered lists."""
    with uow.transaction(actor) as session:
        require_reader(session, actor)
        context = stock_context(session)
        query = (
            product_query(context)
            .where(Product.active.is_(True))
            .order_by(func.lower(Product.name))
        )
        rows = [tuple(row) for row in session.connection().execute(query)]
        products = product_dtos(session, rows, context=context)
        out = tuple(p for p in products if p.matches(StockBadge.OUT))
        low = tuple(p for p in products if p.matches(StockBadge.LOW))
        lots = session.execute(
            select(StockLot, StockBalance.quantity, Product.code, Product.name, Product.unit)
            .join(StockBalance, StockBalance.lot_id == StockLot.id)
            .join(Product, Product.id == StockLot.product_id)
            .where(
                StockBalance.quantity > 0,
                StockLot.expiry_date.is_not(None),
                StockLot.expiry_date <= context.horizon,
                StockLot.deleted_at.is_(None),
                Product.active.is_(True),
                Product.deleted_at.is_(None),
            )
            .order_by(StockLot.expiry_date, func.lower(Product.name))
        )
        expiring: list[ExpiryAlertDTO] = []
        expired: list[ExpiryAlertDTO] = []
        for lot, on_hand, code, name, unit in lots:
            assert lot.expiry_date is not None
            alert = ExpiryAlertDTO(
                product_id=lot.product_id,
                product_code=code,
                product_name=name,
                unit=unit,
                lot_id=lot.id,
                lot_number=lot.lot_number,
                expiry_date=lot.expiry_date,
                on_hand=on_hand,
                days_left=(lot.expiry_date - context.today).days,
            )
            (expired if alert.days_left < 0 else expiring).append(alert)
        return StockAlertsDTO(
            low=low,
            out=out,
            expiring=tuple(expiring),
            expired=tuple(expired),
            warning_days=context.warning_days,
        )


def check_stock_consistency(uow: UnitOfWork, *, actor: Actor) -> ConsistencyReportDTO:
    """Compares every lot's cached balance with the sum of its movements."""
    with uow.transaction(actor) as session:
        require(session, actor, Permission.INVENTORY_MANAGE)
        return _report(session)


def rebuild_stock_balances(uow: UnitOfWork, *, actor: Actor) -> ConsistencyReportDTO:
    """Recomputes the cache from the ledger (the ledger is the truth) and records what was
    corrected in the audit trail; returns the check after the rebuild."""
    with uow.transaction(actor) as session:
        require(session, actor, Permission.INVENTORY_MANAGE)
        before = _report(session)
        stock_ledger.rebuild_balances(session)
        append_audit(
            session,
            actor=actor,
            action="stock.balances_rebuilt",
            entity="StockBalance",
            changes={
                "corrected": [
                    {"lot_id": m.lot_id, "ledger": m.ledger, "cached": m.cached}
                    for m in before.mismatches
                ]
            },
        )
        session.flush()
        ids = tuple(sorted({str(m.product_id) for m in before.mismatches}))
        uow.publish_after_commit(InventoryChanged(what="stock", ids=ids))
        return _report(session)


def _report(session: Session) -> ConsistencyReportDTO:
    session.flush()
    found = stock_ledger.check_balances(session)
    lots = {
        lot.id: lot
        for lot in session.scalars(
            select(StockLot).where(StockLot.id.in_([m.lot_id for m in found]))
        )
    }
    products = {
        p.id: p
        for p in session.scalars(
            select(Product).where(Product.id.in_([m.product_id for m in found]))
        )
    }
    mismatches = tuple(
        MismatchDTO(
            product_id=m.product_id,
            product_code=products[m.product_id].code if m.product_id in products else "",
            product_name=products[m.product_id].name if m.product_id in products else "",
            lot_id=m.lot_id,
            lot_number=lots[m.lot_id].lot_number if m.lot_id in lots else "",
            ledger=m.ledger,
            cached=m.cached,
        )
        for m in found
    )
    return ConsistencyReportDTO(
        lots_checked=int(session.scalar(select(func.count()).select_from(StockLot)) or 0),
        movements_checked=int(session.scalar(select(func.count()).select_from(StockMovement)) or 0),
        mismatches=mismatches,
    )
