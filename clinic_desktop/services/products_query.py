"""Reading products with their stock in bulk, shared by the products list, the product detail
and the stock alerts: one query for the products, one for the per-product stock (the ledger's
balance cache, through `stock_ledger.stock_by_product`) and one for the lots that decide the
badges (with stock and an expiry), so 5,000 products cost three queries, never one per product.
Also one product's lots (with their stock) and a page of its movements for the detail view,
the check every reading service makes (a signed-in, active user) and the labels of movement
kinds and sources."""

from __future__ import annotations

import uuid
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import Decimal
from typing import Any

from sqlalchemy import Select, case, func, select
from sqlalchemy.orm import Session

from clinic_desktop.actor import Actor
from clinic_desktop.errors import NotFound, PermissionDenied
from clinic_desktop.fiscal.tax_codes import tax_codes
from clinic_desktop.i18n import N_, _
from clinic_desktop.models.inventory import Product, Supplier
from clinic_desktop.models.purchasing import PurchaseOrder, PurchaseOrderLine
from clinic_desktop.models.stock import (
    MovementKind,
    MovementSource,
    StockBalance,
    StockLot,
    StockMovement,
)
from clinic_desktop.models.types import QUANTITY
from clinic_desktop.models.user import User
from clinic_desktop.services import stock_ledger
from clinic_desktop.services.agenda_rules import clinic_country
from clinic_desktop.services.clinical_history import clinic_today
from clinic_desktop.services.inventory_dto import (
    ZERO,
    LotDTO,
    MovementDTO,
    ProductDTO,
    fold,
    stock_badge,
)
from clinic_desktop.services.purchasing_dto import order_number_text
from clinic_desktop.services.settings import read_settings

KIND_LABELS: dict[str, str] = {
    MovementKind.RECEIPT: N_("Receipt"),
    MovementKind.CONSUMPTION: N_("Used in treatment"),
    MovementKind.SALE: N_("Sale"),
    MovementKind.ADJUSTMENT: N_("Adjustment"),
    MovementKind.WRITE_OFF: N_("Write-off"),
    MovementKind.RETURN: N_("Return to supplier"),
    MovementKind.REVERSAL: N_("Reversal"),
}
SOURCE_LABELS: dict[str, str] = {
    MovementSource.PURCHASE_LINE: N_("Purchase order"),
    MovementSource.USAGE: N_("Appointment"),
    MovementSource.INVOICE_LINE: N_("Invoice"),
    MovementSource.IMPORT: N_("CSV import"),
    MovementSource.MANUAL: N_("Manual"),
}


def kind_label(kind: str) -> str:
    label = KIND_LABELS.get(kind)
    return _(label) if label else kind


def source_label(source: str) -> str:
    label = SOURCE_LABELS.get(source)
    return _(label) if label else source


def require_reader(session: Session, actor: Actor) -> None:
    """Stock levels are for everyone on the staff: any active, signed-in user (or the system)."""
    if actor.is_system:
        return
    user = session.get(User, actor.user_id) if actor.user_id else None
    if user is None or user.disabled or user.is_deleted:
        raise PermissionDenied(_("Your account is not active. Sign in again."))


def live_product(session: Session, product_id: uuid.UUID) -> Product:
    product = session.get(Product, product_id)
    if product is None or product.is_deleted:
        raise NotFound(_("The product no longer exists."))
    return product


def live_lot(session: Session, lot_id: uuid.UUID) -> StockLot:
    lot = session.get(StockLot, lot_id)
    if lot is None or lot.is_deleted:
        raise NotFound(_("The lot no longer exists."))
    return lot


@dataclass(frozen=True)
class ExpiryFacts:
    """What the lots with stock say about one product's expiry."""

    expired_quantity: Decimal = ZERO
    next_expiry: date | None = None
    has_expiring: bool = False


@dataclass(frozen=True)
class StockContext:
    today: date
    warning_days: int
    # Tax code -> translated label, for the clinic's country.
    tax_labels: dict[str, str] = field(default_factory=dict)

    @property
    def horizon(self) -> date:
        return self.today + timedelta(days=self.warning_days)


def stock_context(session: Session) -> StockContext:
    days = int(read_settings(session)["inventory.expiry_warning_days"])
    labels = {c.code: _(c.label) for c in tax_codes(clinic_country(session))}
    return StockContext(clinic_today(session), days, labels)


def expiry_facts(
    session: Session, context: StockContext, product_ids: list[uuid.UUID] | None = None
) -> dict[uuid.UUID, ExpiryFacts]:
    """Per product: stock in expired lots, the earliest expiry with stock, and whether a lot
    expires within the warning window. One grouped query over the lots holding stock."""
    qty = stock_ledger.raw(StockBalance.quantity)
    expired = func.sum(case((StockLot.expiry_date < context.today, qty), else_=0))
    soon = (StockLot.expiry_date >= context.today) & (StockLot.expiry_date <= context.horizon)
    expiring = func.sum(case((soon, 1), else_=0))
    query = (
        select(StockLot.product_id, expired, func.min(StockLot.expiry_date), expiring)
        .join(StockBalance, StockBalance.lot_id == StockLot.id)
        .where(
            StockBalance.quantity > 0,
            StockLot.expiry_date.is_not(None),
            StockLot.deleted_at.is_(None),
        )
        .group_by(StockLot.product_id)
    )
    if product_ids is not None:
        query = query.where(StockLot.product_id.in_(product_ids))
    return {
        pid: ExpiryFacts(QUANTITY.from_raw(expired_raw), first, bool(count))
        for pid, expired_raw, first, count in session.execute(query)
    }


_COLUMNS = (
    Product.id,
    Product.code,
    Product.barcode,
    Product.name,
    Product.category,
    Product.unit,
    Product.purchase_unit,
    Product.units_per_purchase,
    Product.cost,
    Product.sale_price,
    Product.tax_code,
    Product.reorder_level,
    Product.preferred_supplier_id,
    Supplier.name,
    Product.location,
    Product.notes,
    Product.active,
    Product.version,
)


def product_query(context: StockContext | None = None) -> Select[*tuple[Any, ...]]:
    """Columns rather than entities: building 5,000 ORM objects costs more than the SQL. With
    a `context`, each row also carries its stock facts (`_facts_subquery`), so a whole list
    costs one query instead of three, and `product_dtos` reads nothing more."""
    query = select(*_COLUMNS)
    if context is not None:
        facts = _facts_subquery(context)
        query = query.add_columns(*facts.c[1:]).outerjoin(facts, facts.c.pid == Product.id)
    return query.outerjoin(Supplier, Supplier.id == Product.preferred_supplier_id).where(
        Product.deleted_at.is_(None)
    )


def _facts_subquery(context: StockContext) -> Any:
    """Per product: stock on hand (every lot's cached balance, as `stock_by_product`), then
    what `expiry_facts` reads over the live lots holding stock with an expiry date."""
    qty = stock_ledger.raw(StockBalance.quantity)
    dated = (
        (StockBalance.quantity > 0)
        & StockLot.expiry_date.is_not(None)
        & StockLot.deleted_at.is_(None)
    )
    soon = (StockLot.expiry_date >= context.today) & (StockLot.expiry_date <= context.horizon)
    return (
        select(
            StockBalance.product_id.label("pid"),
            func.sum(qty).label("on_hand"),
            func.sum(case((dated & (StockLot.expiry_date < context.today), qty), else_=0)),
            func.min(case((dated, StockLot.expiry_date))),
            func.sum(case((dated & soon, 1), else_=0)),
        )
        .join(StockLot, StockLot.id == StockBalance.lot_id)
        .group_by(StockBalance.product_id)
        .subquery()
    )


def row_matches_text(row: tuple[object, ...], text: str) -> bool:
    """`ProductDTO.matches_text` on a row of `product_query()`, before building the DTO."""
    code, barcode, name, location = row[1], row[2], row[3], row[14]
    haystack = fold(" ".join(str(v or "") for v in (code, name, barcode, location)))
    return all(word in haystack for word in fold(text).split())


# Up to this many rows the stock queries name the products (an IN list SQLite handles well).
NARROW_BELOW = 500


def product_dtos(
    session: Session,
    rows: Iterable[tuple[object, ...]],
    *,
    context: StockContext,
    only: list[uuid.UUID] | None = None,
) -> list[ProductDTO]:
    """DTOs for rows of `product_query()`; `only` narrows the stock queries to those ids (a
    detail view), None reads every product's stock in one go (the list). A short list (a
    search) narrows them to its own rows: still two queries, over far fewer balances."""
    rows = list(rows)
    if rows and len(rows[0]) > len(_COLUMNS):
        # Rows of `product_query(context)`: the facts came with them.
        return [
            _dto(row[: len(_COLUMNS)], *_row_facts(row[len(_COLUMNS) :]), context.tax_labels)
            for row in rows
        ]
    if only is None and len(rows) <= NARROW_BELOW:
        only = [row[0] for row in rows if isinstance(row[0], uuid.UUID)]
    stock = stock_ledger.stock_by_product(session, only)
    facts = expiry_facts(session, context, only)
    return [_dto(row, stock, facts, context.tax_labels) for row in rows]


def _row_facts(extra: tuple[object, ...]) -> tuple[Decimal, ExpiryFacts]:
    on_hand, expired, first, expiring = extra
    if on_hand is None:  # never stocked
        return ZERO, _NO_FACTS
    assert isinstance(on_hand, int) and isinstance(expired, int)
    assert first is None or isinstance(first, date)
    return QUANTITY.from_raw(on_hand), ExpiryFacts(
        QUANTITY.from_raw(expired), first, bool(expiring)
    )


_NO_FACTS = ExpiryFacts()


def _dto(
    row: Sequence[Any],
    stock: dict[uuid.UUID, Decimal] | Decimal,
    facts: dict[uuid.UUID, ExpiryFacts] | ExpiryFacts,
    tax_labels: dict[str, str],
) -> ProductDTO:
    """`stock` and `facts` are either this product's own or dictionaries by product id. The
    columns come typed by the model (non-null strings and Decimals), so nothing is converted:
    this runs 5,000 times for the products list."""
    pid, reorder_level, tax_code = row[0], row[11], row[10]
    on_hand = stock.get(pid, ZERO) if isinstance(stock, dict) else stock
    fact = facts.get(pid, _NO_FACTS) if isinstance(facts, dict) else facts
    expired = fact.expired_quantity
    usable = on_hand - expired
    return ProductDTO(
        pid,
        row[1],
        row[2] or None,
        row[3],
        row[4],
        row[5],
        row[6],
        row[7],
        row[8],
        row[9],
        tax_code,
        reorder_level,
        row[12],
        row[13] or None,
        row[14],
        row[15],
        row[16],
        row[17],
        on_hand=on_hand,
        usable=usable,
        expired_quantity=expired,
        next_expiry=fact.next_expiry,
        is_low=reorder_level > ZERO and usable <= reorder_level,
        has_expiring=fact.has_expiring,
        has_expired=expired > ZERO,
        badge=stock_badge(
            usable=usable,
            reorder_level=reorder_level,
            has_expired=expired > ZERO,
            has_expiring=fact.has_expiring,
        ),
        tax_label=tax_labels.get(tax_code, tax_code),
    )


def product_dto(session: Session, product_id: uuid.UUID) -> ProductDTO:
    """One product with its stock, e.g. after a save."""
    context = stock_context(session)
    rows = list(session.execute(product_query().where(Product.id == product_id)))
    if not rows:
        raise NotFound(_("The product no longer exists."))
    return product_dtos(session, [tuple(r) for r in rows], context=context, only=[product_id])[0]


def product_lots(
    session: Session, product_id: uuid.UUID, today: date, horizon: date
) -> tuple[LotDTO, ...]:
    rows = session.execute(
        select(StockLot, StockBalance.quantity, Supplier.name)
        .outerjoin(StockBalance, StockBalance.lot_id == StockLot.id)
        .outerjoin(Supplier, Supplier.id == StockLot.supplier_id)
        .where(StockLot.product_id == product_id, StockLot.deleted_at.is_(None))
    )
    lots = []
    for lot, on_hand, supplier_name in rows:
        on_hand = on_hand if on_hand is not None else ZERO
        expired = lot.expiry_date is not None and lot.expiry_date < today
        expiring = lot.expiry_date is not None and not expired and lot.expiry_date <= horizon
        lots.append(
            LotDTO(
                id=lot.id,
                product_id=lot.product_id,
                lot_number=lot.lot_number,
                expiry_date=lot.expiry_date,
                received_on=lot.received_on,
                unit_cost=lot.unit_cost,
                supplier_id=lot.supplier_id,
                supplier_name=supplier_name,
                on_hand=on_hand,
                expired=expired,
                expiring=expiring,
            )
        )
    # Lots holding stock first, in the order FEFO uses them; emptied ones after, newest first.
    holding = sorted(
        (lot for lot in lots if lot.on_hand != ZERO),
        key=lambda lot: (lot.expiry_date is None, lot.expiry_date or lot.received_on),
    )
    empty = sorted(
        (lot for lot in lots if lot.on_hand == ZERO), key=lambda lot: lot.received_on, reverse=True
    )
    return tuple(holding + empty)


def product_movements(
    session: Session, product_id: uuid.UUID, *, limit: int, offset: int
) -> tuple[MovementDTO, ...]:
    undone = select(StockMovement.reverses_id).where(StockMovement.reverses_id.is_not(None))
    rows = list(
        session.execute(
            select(StockMovement, StockLot.lot_number, User.full_name)
            .join(StockLot, StockLot.id == StockMovement.lot_id)
            .outerjoin(User, User.id == StockMovement.created_by)
            .where(StockMovement.product_id == product_id)
            .order_by(StockMovement.occurred_at.desc(), StockMovement.id.desc())
            .limit(limit)
            .offset(offset)
        )
    )
    ids = [m.id for m, _lot, _name in rows]
    reversed_ids = set(session.scalars(undone.where(StockMovement.reverses_id.in_(ids))))
    orders = _order_numbers(
        session,
        [m.source_id for m, _l, _n in rows if m.source == MovementSource.PURCHASE_LINE],
    )
    return tuple(
        MovementDTO(
            id=m.id,
            product_id=m.product_id,
            lot_id=m.lot_id,
            lot_number=lot_number,
            kind=m.kind,
            kind_label=kind_label(m.kind),
            quantity=m.quantity,
            unit_cost=m.unit_cost,
            reason=m.reason,
            user_name=name or "",
            occurred_at=m.occurred_at,
            source=m.source,
            source_label=(
                _("Purchase order {number}").format(number=orders[m.source_id])
                if m.source_id in orders
                else source_label(m.source)
            ),
            reverses_id=m.reverses_id,
            reversed=m.id in reversed_ids,
        )
        for m, lot_number, name in rows
    )


def _order_numbers(
    session: Session, line_ids: list[uuid.UUID | None]
) -> dict[uuid.UUID | None, str]:
    """ "OC-000012" by purchase order line, for the movements a receipt of an order made."""
    wanted = [i for i in line_ids if i is not None]
    if not wanted:
        return {}
    rows = session.execute(
        select(PurchaseOrderLine.id, PurchaseOrder.number)
        .join(PurchaseOrder, PurchaseOrder.id == PurchaseOrderLine.order_id)
        .where(PurchaseOrderLine.id.in_(wanted))
    )
    return {line_id: order_number_text(number) for line_id, number in rows}
