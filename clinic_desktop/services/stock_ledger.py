"""The only code that writes stock movements. Each function works inside the caller's
transaction (so completing an appointment, receiving an order or issuing an invoice moves
stock atomically with the rest of its work) and keeps the per-lot balance cache in step with
the ledger. Taking stock follows FEFO: the lot that expires first goes first, lots without an
expiry last, expired lots never (they wait for a write-off). Stock never goes below zero unless
the clinic allows it; then the shortfall is taken from the last lot and a warning returned."""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal

from sqlalchemy import BigInteger, ColumnElement, func, or_, select, type_coerce
from sqlalchemy.orm import Session

from clinic_desktop.errors import ValidationError
from clinic_desktop.i18n import _
from clinic_desktop.models.base import utcnow
from clinic_desktop.models.inventory import Product
from clinic_desktop.models.stock import (
    MovementKind,
    MovementSource,
    StockBalance,
    StockLot,
    StockMovement,
)
from clinic_desktop.models.types import QUANTITY
from clinic_desktop.services.settings import read_settings

ZERO = Decimal(0)
OUTGOING = frozenset(
    {
        MovementKind.CONSUMPTION,
        MovementKind.SALE,
        MovementKind.WRITE_OFF,
        MovementKind.RETURN,
    }
)


@dataclass(frozen=True)
class Origin:
    """Why stock moves: the kind, the record that caused it and the user's reason."""

    kind: MovementKind
    source: MovementSource = MovementSource.MANUAL
    source_id: uuid.UUID | None = None
    reason: str = ""
    occurred_at: datetime = field(default_factory=utcnow)


@dataclass(frozen=True)
class Taken:
    movements: tuple[StockMovement, ...]
    # Set when the clinic allows negative stock and this take went below zero.
    shortfall: Decimal = ZERO


def _balance(session: Session, lot: StockLot) -> StockBalance:
    row = session.get(StockBalance, lot.id)
    if row is None:
        row = StockBalance(lot_id=lot.id, product_id=lot.product_id, quantity=ZERO)
        session.add(row)
    return row


def _post(
    session: Session,
    lot: StockLot,
    quantity: Decimal,
    origin: Origin,
    *,
    unit_cost: Decimal | None = None,
    reverses_id: uuid.UUID | None = None,
) -> StockMovement:
    # Everything is set here, at creation: a movement is never updated after its insert.
    movement = StockMovement(
        product_id=lot.product_id,
        lot_id=lot.id,
        kind=origin.kind.value,
        quantity=quantity,
        unit_cost=lot.unit_cost if unit_cost is None else unit_cost,
        occurred_at=origin.occurred_at,
        reverses_id=reverses_id,
        reason=origin.reason,
        source=origin.source.value,
        source_id=origin.source_id,
    )
    session.add(movement)
    balance = _balance(session, lot)
    balance.quantity = balance.quantity + quantity
    return movement


def new_lot(
    session: Session,
    *,
    product: Product,
    lot_number: str = "",
    expiry_date: date | None = None,
    received_on: date,
    unit_cost: Decimal,
    supplier_id: uuid.UUID | None = None,
) -> StockLot:
    lot = StockLot(
        product_id=product.id,
        lot_number=lot_number.strip(),
        expiry_date=expiry_date,
        received_on=received_on,
        unit_cost=unit_cost,
        supplier_id=supplier_id,
    )
    session.add(lot)
    session.flush()
    return lot


def put(session: Session, *, lot: StockLot, quantity: Decimal, origin: Origin) -> StockMovement:
    """Stock coming in to `lot` (a receipt, a positive adjustment)."""
    if quantity <= ZERO:
        raise ValidationError(_("Quantity: it must be more than zero."), field="quantity")
    return _post(session, lot, quantity, origin)


def take_from_lot(
    session: Session,
    *,
    lot: StockLot,
    quantity: Decimal,
    origin: Origin,
    product_name: str,
) -> Taken:
    """Stock leaving one chosen lot (a write-off of an expired lot, a return, a count)."""
    if quantity <= ZERO:
        raise ValidationError(_("Quantity: it must be more than zero."), field="quantity")
    available = _balance(session, lot).quantity
    shortfall = max(ZERO, quantity - max(available, ZERO))
    if shortfall and not allows_negative(session):
        raise ValidationError(
            _("{product}: only {available} left in lot {lot}, {wanted} asked.").format(
                product=product_name,
                available=_qty(available),
                lot=lot.lot_number or "—",
                wanted=_qty(quantity),
            ),
            field="quantity",
        )
    return Taken((_post(session, lot, -quantity, origin),), shortfall)


def fefo_lots(session: Session, product_id: uuid.UUID, today: date) -> list[StockLot]:
    """Lots with stock that may be used today, the one expiring first first."""
    query = (
        select(StockLot)
        .join(StockBalance, StockBalance.lot_id == StockLot.id)
        .where(
            StockLot.product_id == product_id,
            StockBalance.quantity > 0,
            StockLot.deleted_at.is_(None),
            or_(StockLot.expiry_date.is_(None), StockLot.expiry_date >= today),
        )
        .order_by(
            StockLot.expiry_date.is_(None),
            StockLot.expiry_date,
            StockLot.received_on,
            StockLot.id,
        )
    )
    return list(session.scalars(query))


def take_fefo(
    session: Session,
    *,
    product: Product,
    quantity: Decimal,
    origin: Origin,
    today: date,
) -> Taken:
    """Stock leaving by FEFO across as many lots as it takes."""
    if quantity <= ZERO:
        raise ValidationError(_("Quantity: it must be more than zero."), field="quantity")
    lots = fefo_lots(session, product.id, today)
    movements: list[StockMovement] = []
    left = quantity
    for lot in lots:
        part = min(left, _balance(session, lot).quantity)
        if part > ZERO:
            movements.append(_post(session, lot, -part, origin))
            left -= part
        if left == ZERO:
            return Taken(tuple(movements))
    if not allows_negative(session):
        raise ValidationError(
            _(
                "{product}: only {available} {unit} in stock that can be used, {wanted} needed."
            ).format(
                product=product.name,
                available=_qty(quantity - left),
                unit=product.unit,
                wanted=_qty(quantity),
            ),
            field="quantity",
        )
    # Below zero on purpose: charge the lot used last, or the newest lot of the product.
    lot = lots[-1] if lots else _newest_lot(session, product, today)
    movements.append(_post(session, lot, -left, origin))
    return Taken(tuple(movements), left)


def _newest_lot(session: Session, product: Product, today: date) -> StockLot:
    lot = session.scalars(
        select(StockLot)
        .where(StockLot.product_id == product.id, StockLot.deleted_at.is_(None))
        .order_by(StockLot.received_on.desc(), StockLot.id.desc())
        .limit(1)
    ).first()
    if lot is None:
        # Nothing was ever received: a lot with no number holds the negative figure.
        lot = new_lot(session, product=product, received_on=today, unit_cost=product.cost)
    return lot


def reverse(session: Session, *, movement: StockMovement, reason: str) -> StockMovement:
    """A movement that cancels `movement` exactly; the original stays in the ledger."""
    already = session.scalar(select(func.count()).where(StockMovement.reverses_id == movement.id))
    if already:
        raise ValidationError(_("This movement has already been undone."), field="movement")
    lot = session.get(StockLot, movement.lot_id)
    assert lot is not None
    undo = _post(
        session,
        lot,
        -movement.quantity,
        Origin(
            MovementKind.REVERSAL,
            MovementSource(movement.source),
            movement.source_id,
            reason,
        ),
        unit_cost=movement.unit_cost,
        reverses_id=movement.id,
    )
    return undo


def allows_negative(session: Session) -> bool:
    return bool(read_settings(session)["inventory.allow_negative"])


def _qty(value: Decimal) -> str:
    # 2.000 -> "2", 1.250 -> "1.25": people count units, not thousandths.
    return f"{value.normalize():f}"


# -- reading the ledger ----------------------------------------------------------------------


def stock_by_product(
    session: Session, product_ids: list[uuid.UUID] | None = None
) -> dict[uuid.UUID, Decimal]:
    """Current stock per product from the balance cache (products never stocked are absent)."""
    query = select(StockBalance.product_id, func.sum(raw(StockBalance.quantity))).group_by(
        StockBalance.product_id
    )
    if product_ids is not None:
        query = query.where(StockBalance.product_id.in_(product_ids))
    return {pid: QUANTITY.from_raw(raw) for pid, raw in session.execute(query)}


@dataclass(frozen=True)
class Mismatch:
    lot_id: uuid.UUID
    product_id: uuid.UUID
    ledger: Decimal
    cached: Decimal


def check_balances(session: Session) -> list[Mismatch]:
    """Every lot whose cached balance differs from the sum of its movements."""
    ledger = {
        lot_id: (product_id, QUANTITY.from_raw(raw))
        for lot_id, product_id, raw in session.execute(
            select(
                StockMovement.lot_id,
                StockMovement.product_id,
                func.sum(raw(StockMovement.quantity)),
            ).group_by(StockMovement.lot_id, StockMovement.product_id)
        )
    }
    cached = {
        lot_id: (product_id, QUANTITY.from_raw(raw))
        for lot_id, product_id, raw in session.execute(
            select(StockBalance.lot_id, StockBalance.product_id, raw(StockBalance.quantity))
        )
    }
    found = []
    for lot_id in ledger.keys() | cached.keys():
        product_id, in_ledger = ledger.get(lot_id) or (cached[lot_id][0], ZERO)
        in_cache = cached[lot_id][1] if lot_id in cached else ZERO
        if in_ledger != in_cache:
            found.append(Mismatch(lot_id, product_id, in_ledger, in_cache))
    return found


def rebuild_balances(session: Session) -> int:
    """Recompute the cache from the ledger; returns how many lots were corrected."""
    mismatches = check_balances(session)
    for m in mismatches:
        row = session.get(StockBalance, m.lot_id)
        if row is None:
            session.add(StockBalance(lot_id=m.lot_id, product_id=m.product_id, quantity=m.ledger))
        else:
            row.quantity = m.ledger
    return len(mismatches)


def raw(column: object) -> ColumnElement[int]:
    """The integer as stored, so SQL sums stay exact; convert once with QUANTITY.from_raw."""
    return type_coerce(column, BigInteger)
