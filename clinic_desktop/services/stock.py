"""Stock operations a person does by hand: receiving a delivery into a new lot, adjusting after
a count (the reason is mandatory), writing off expired or broken stock, returning stock to the
supplier; and the two views of the ledger as a whole: the alerts (below reorder level, out,
expiring, expired) and the consistency check that proves the balance cache equals the ledger.
Every write goes through `stock_ledger` in one transaction and announces InventoryChanged.

Write-offs, returns and adjustments never take a lot below zero, whatever the clinic's
`inventory.allow_negative` says: that setting lets a treatment go ahead without stock on
record, but a count or a return of more than is there means a typing mistake."""

from __future__ import annotations

import uuid
from datetime import date
from decimal import ROUND_HALF_EVEN, Decimal

from babel.dates import format_date
from sqlalchemy import select
from sqlalchemy.orm import Session

from clinic_desktop.actor import Actor
from clinic_desktop.db.uow import UnitOfWork
from clinic_desktop.errors import InvalidTransition, NeedsConfirmation, NotFound, ValidationError
from clinic_desktop.events import InventoryChanged
from clinic_desktop.formatting import quantity as quantity_text
from clinic_desktop.i18n import _, current_language
from clinic_desktop.models.inventory import Product, Supplier
from clinic_desktop.models.permissions import Permission
from clinic_desktop.models.stock import MovementKind, StockBalance, StockLot, StockMovement
from clinic_desktop.services import stock_ledger
from clinic_desktop.services.access import require
from clinic_desktop.services.inventory_dto import ZERO, StockChangeDTO, parse_decimal
from clinic_desktop.services.products_query import (
    live_lot,
    live_product,
    stock_context,
)
from clinic_desktop.services.stock_alerts import (
    check_stock_consistency,
    rebuild_stock_balances,
    stock_alerts,
)

__all__ = [
    "adjust_stock",
    "check_stock_consistency",
    "rebuild_stock_balances",
    "receive_stock",
    "return_to_supplier",
    "stock_alerts",
    "write_off",
]

# Quantities arrive as Decimals from code, or as typed text ("2,5") from the dialogs.
Number = Decimal | int | str


def _quantity(value: Number, *, field: str = "quantity", label: str | None = None) -> Decimal:
    return parse_decimal(value, field=field, label=label or _("Quantity"), places=3)


def _positive(value: Number, *, field: str = "quantity", label: str | None = None) -> Decimal:
    number = _quantity(value, field=field, label=label)
    if number <= ZERO:
        raise ValidationError(
            _("{field}: it must be more than zero.").format(field=label or _("Quantity")),
            field=field,
        )
    return number


def _reason(text: str) -> str:
    reason = " ".join(text.split())
    if not reason:
        raise ValidationError(_("Reason: write why the stock changes."), field="reason")
    if len(reason) > 300:
        raise ValidationError(_("Reason: at most 300 characters."), field="reason")
    return reason


def _on_hand(session: Session, product_id: uuid.UUID) -> Decimal:
    session.flush()
    return stock_ledger.stock_by_product(session, [product_id]).get(product_id, ZERO)


def _lot_stock(session: Session, lot: StockLot) -> Decimal:
    session.flush()
    row = session.get(StockBalance, lot.id)
    return row.quantity if row is not None else ZERO


def _done(
    uow: UnitOfWork,
    session: Session,
    product: Product,
    lot: StockLot | None,
    movements: tuple[StockMovement, ...],
    warning: str | None = None,
) -> StockChangeDTO:
    uow.publish_after_commit(InventoryChanged(what="stock", ids=(str(product.id),)))
    return StockChangeDTO(
        product_id=product.id,
        lot_id=lot.id if lot is not None else None,
        movement_ids=tuple(m.id for m in movements),
        on_hand=_on_hand(session, product.id),
        warning=warning,
    )


def _active_product(session: Session, product_id: uuid.UUID) -> Product:
    product = live_product(session, product_id)
    if not product.active:
        raise InvalidTransition(
            _("{product} is inactive: reactivate it before moving its stock.").format(
                product=product.name
            )
        )
    return product


def receive_stock(
    uow: UnitOfWork,
    *,
    actor: Actor,
    product_id: uuid.UUID,
    quantity: Number,
    lot_number: str = "",
    expiry_date: date | None = None,
    unit_cost: Number | None = None,
    supplier_id: uuid.UUID | None = None,
    in_purchase_units: bool = False,
    confirmed_past_expiry: bool = False,
) -> StockChangeDTO:
    """A delivery outside any purchase order, into a new lot. With `in_purchase_units` the
    quantity and the cost are per purchase unit (boxes) and converted to units of use. The
    receipt's unit cost becomes the product's current cost. An expiry date already past raises
    NeedsConfirmation unless `confirmed_past_expiry`."""
    with uow.transaction(actor) as session:
        require(session, actor, Permission.INVENTORY_MANAGE)
        product = _active_product(session, product_id)
        amount = _positive(quantity)
        cost = (
            product.cost
            if unit_cost is None or (isinstance(unit_cost, str) and not unit_cost.strip())
            else parse_decimal(unit_cost, field="unit_cost", label=_("Unit cost"), places=4)
        )
        if cost < ZERO:
            raise ValidationError(_("Unit cost: it cannot be negative."), field="unit_cost")
        if in_purchase_units:
            per = product.units_per_purchase
            amount = (amount * per).quantize(Decimal("0.001"), ROUND_HALF_EVEN)
            if unit_cost is not None:
                cost = (cost / per).quantize(Decimal("0.0001"), ROUND_HALF_EVEN)
        number = " ".join(lot_number.split())
        if len(number) > 60:
            raise ValidationError(_("Lot: at most 60 characters."), field="lot_number")
        today = stock_context(session).today
        if expiry_date is not None and expiry_date < today and not confirmed_past_expiry:
            raise NeedsConfirmation(
                _("Expiry date: {date} is already past.").format(
                    date=format_date(expiry_date, "medium", locale=current_language())
                ),
                question=_("Receive this lot anyway? It will show as expired at once."),
                field="expiry_date",
            )
        if supplier_id is not None:
            supplier = session.get(Supplier, supplier_id)
            if supplier is None or supplier.is_deleted:
                raise NotFound(_("The supplier no longer exists."))
        lot = stock_ledger.new_lot(
            session,
            product=product,
            lot_number=number,
            expiry_date=expiry_date,
            received_on=today,
            unit_cost=cost,
            supplier_id=supplier_id,
        )
        movement = stock_ledger.put(
            session,
            lot=lot,
            quantity=amount,
            origin=stock_ledger.Origin(MovementKind.RECEIPT, reason=_("Direct receipt")),
        )
        if cost != product.cost:
            product.cost = cost
        return _done(uow, session, product, lot, (movement,))


def adjust_stock(
    uow: UnitOfWork,
    *,
    actor: Actor,
    product_id: uuid.UUID,
    reason: str,
    lot_id: uuid.UUID | None = None,
    counted_quantity: Number | None = None,
    delta: Number | None = None,
) -> StockChangeDTO:
    """Sets a lot to what was counted (`counted_quantity`) or moves it by `delta`. Without a
    lot: a positive delta goes into a new lot without number (stock found), a negative one
    leaves by FEFO, and a count applies to the product when it holds stock in one lot at most."""
    with uow.transaction(actor) as session:
        require(session, actor, Permission.INVENTORY_MANAGE)
        product = _active_product(session, product_id)
        if (counted_quantity is None) == (delta is None):
            raise ValidationError(
                _("Quantity: give either the counted quantity or the change."), field="quantity"
            )
        why = _reason(reason)
        lot = _product_lot(session, product, lot_id) if lot_id is not None else None
        if counted_quantity is not None:
            counted = _quantity(counted_quantity, label=_("Counted quantity"))
            if counted < ZERO:
                raise ValidationError(
                    _("Counted quantity: it cannot be negative."), field="quantity"
                )
            if lot is None:
                lot = _only_lot(session, product)
            before = _lot_stock(session, lot) if lot is not None else ZERO
            change = counted - before
            if change == ZERO:
                raise ValidationError(
                    _("Counted quantity: it equals the stock on record; nothing to adjust."),
                    field="quantity",
                )
        else:
            change = _quantity(delta or ZERO, label=_("Change"))
            if change == ZERO:
                raise ValidationError(_("Change: it cannot be zero."), field="quantity")
        origin = stock_ledger.Origin(MovementKind.ADJUSTMENT, reason=why)
        if change > ZERO:
            if lot is None:
                lot = stock_ledger.new_lot(
                    session,
                    product=product,
                    received_on=stock_context(session).today,
                    unit_cost=product.cost,
                )
            movements: tuple[StockMovement, ...] = (
                stock_ledger.put(session, lot=lot, quantity=change, origin=origin),
            )
        elif lot is not None:
            _refuse_more_than(session, product, lot, -change)
            movements = stock_ledger.take_from_lot(
                session, lot=lot, quantity=-change, origin=origin, product_name=product.name
            ).movements
        else:
            usable = sum(
                (_lot_stock(session, each) for each in _fefo(session, product)), start=ZERO
            )
            if -change > usable:
                raise ValidationError(
                    _("Change: only {available} {unit} in usable stock.").format(
                        available=quantity_text(usable), unit=product.unit
                    ),
                    field="quantity",
                )
            movements = stock_ledger.take_fefo(
                session,
                product=product,
                quantity=-change,
                origin=origin,
                today=stock_context(session).today,
            ).movements
        return _done(uow, session, product, lot, movements)


def write_off(
    uow: UnitOfWork,
    *,
    actor: Actor,
    lot_id: uuid.UUID,
    reason: str,
    quantity: Number | None = None,
) -> StockChangeDTO:
    """Expired, broken or spoiled stock leaves a lot; `quantity` None writes off all of it."""
    return _out_of_lot(uow, actor, lot_id, reason, quantity, MovementKind.WRITE_OFF)


def return_to_supplier(
    uow: UnitOfWork, *, actor: Actor, lot_id: uuid.UUID, quantity: Number, reason: str
) -> StockChangeDTO:
    return _out_of_lot(uow, actor, lot_id, reason, quantity, MovementKind.RETURN)


def _out_of_lot(
    uow: UnitOfWork,
    actor: Actor,
    lot_id: uuid.UUID,
    reason: str,
    quantity: Number | None,
    kind: MovementKind,
) -> StockChangeDTO:
    with uow.transaction(actor) as session:
        require(session, actor, Permission.INVENTORY_MANAGE)
        lot = live_lot(session, lot_id)
        product = live_product(session, lot.product_id)
        why = _reason(reason)
        available = _lot_stock(session, lot)
        if quantity is None:
            if available <= ZERO:
                raise ValidationError(
                    _("Lot {lot} has no stock left.").format(lot=lot.lot_number or "—"),
                    field="quantity",
                )
            amount = available
        else:
            amount = _positive(quantity)
        _refuse_more_than(session, product, lot, amount)
        taken = stock_ledger.take_from_lot(
            session,
            lot=lot,
            quantity=amount,
            origin=stock_ledger.Origin(kind, reason=why),
            product_name=product.name,
        )
        return _done(uow, session, product, lot, taken.movements)


def _refuse_more_than(session: Session, product: Product, lot: StockLot, amount: Decimal) -> None:
    available = _lot_stock(session, lot)
    if amount > available:
        raise ValidationError(
            _("Quantity: lot {lot} of {product} holds only {available} {unit}.").format(
                lot=lot.lot_number or "—",
                product=product.name,
                available=quantity_text(max(available, ZERO)),
                unit=product.unit,
            ),
            field="quantity",
        )


def _product_lot(session: Session, product: Product, lot_id: uuid.UUID) -> StockLot:
    lot = live_lot(session, lot_id)
    if lot.product_id != product.id:
        raise ValidationError(_("Lot: it belongs to another product."), field="lot")
    return lot


def _fefo(session: Session, product: Product) -> list[StockLot]:
    return stock_ledger.fefo_lots(session, product.id, stock_context(session).today)


def _only_lot(session: Session, product: Product) -> StockLot | None:
    """The single lot holding the product's stock; None when it has none (a count then makes
    a new lot); ValidationError when several lots hold stock and the count is ambiguous."""
    session.flush()
    rows = list(
        session.scalars(
            select(StockLot)
            .join(StockBalance, StockBalance.lot_id == StockLot.id)
            .where(StockLot.product_id == product.id, StockBalance.quantity != 0)
        )
    )
    if len(rows) > 1:
        raise ValidationError(
            _("Lot: {product} has stock in {count} lots; choose the lot you counted.").format(
                product=product.name, count=len(rows)
            ),
            field="lot",
        )
    return rows[0] if rows else None
