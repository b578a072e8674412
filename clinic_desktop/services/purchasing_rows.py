"""What the purchasing services share: loading a live order and its live lines, the checks
on decimal input (places refused rather than rounded, as the columns keep them), building
order DTOs in bulk (three queries whatever the number of orders), the clinic currency, and
telling the screens that orders changed."""

from __future__ import annotations

import uuid
from collections import defaultdict
from collections.abc import Iterable, Sequence
from decimal import Decimal

from sqlalchemy import select
from sqlalchemy.orm import Session

from clinic_desktop.db.uow import UnitOfWork
from clinic_desktop.errors import NotFound, ValidationError
from clinic_desktop.events import InventoryChanged
from clinic_desktop.i18n import _
from clinic_desktop.models.clinic import Clinic
from clinic_desktop.models.inventory import Product, Supplier
from clinic_desktop.models.purchasing import PurchaseOrder, PurchaseOrderLine
from clinic_desktop.services.purchasing_dto import (
    ZERO,
    OrderLineDTO,
    PurchaseOrderDTO,
    money_round,
    order_number_text,
    status_label,
)

QUANTITY_PLACES = 3
COST_PLACES = 4
# Far beyond any order, and well inside the 64-bit integer columns.
LARGEST = Decimal(10) ** 9


def clinic_currency(session: Session) -> str:
    return session.scalar(select(Clinic.currency).where(Clinic.deleted_at.is_(None)).limit(1)) or ""


def load_order(session: Session, order_id: uuid.UUID) -> PurchaseOrder:
    order = session.get(PurchaseOrder, order_id)
    if order is None or order.is_deleted:
        raise NotFound(_("The purchase order no longer exists."))
    return order


def live_lines(session: Session, order_ids: Iterable[uuid.UUID]) -> list[PurchaseOrderLine]:
    ids = list(order_ids)
    if not ids:
        return []
    return list(
        session.scalars(
            select(PurchaseOrderLine)
            .where(PurchaseOrderLine.order_id.in_(ids), PurchaseOrderLine.deleted_at.is_(None))
            .order_by(PurchaseOrderLine.created_at, PurchaseOrderLine.id)
        )
    )


def checked_decimal(
    value: Decimal, *, places: int, label: str, field: str, allow_zero: bool
) -> Decimal:
    """`value` with exactly `places` decimals, refused (never rounded) when it has more, is
    negative, or is zero where zero means nothing (a quantity)."""
    if not value.is_finite() or abs(value) >= LARGEST:
        raise ValidationError(
            _("{field}: the number is too large.").format(field=label), field=field
        )
    quantum = Decimal(1).scaleb(-places)
    if value != value.quantize(quantum):
        raise ValidationError(
            _("{field}: at most {places} decimals.").format(field=label, places=places),
            field=field,
        )
    if value < ZERO or (value == ZERO and not allow_zero):
        rule = (
            _("{field}: it cannot be negative.")
            if allow_zero
            else _("{field}: it must be more than zero.")
        )
        raise ValidationError(rule.format(field=label), field=field)
    return value.quantize(quantum)


def order_dtos(session: Session, orders: Sequence[PurchaseOrder]) -> list[PurchaseOrderDTO]:
    """DTOs for `orders` with three queries whatever their number (lines, products, names)."""
    if not orders:
        return []
    by_order: dict[uuid.UUID, list[PurchaseOrderLine]] = defaultdict(list)
    for line in live_lines(session, [o.id for o in orders]):
        by_order[line.order_id].append(line)
    product_ids = {line.product_id for lines in by_order.values() for line in lines}
    products = (
        {p.id: p for p in session.scalars(select(Product).where(Product.id.in_(product_ids)))}
        if product_ids
        else {}
    )
    supplier_ids = {o.supplier_id for o in orders}
    suppliers = {
        row[0]: row[1]
        for row in session.execute(
            select(Supplier.id, Supplier.name).where(Supplier.id.in_(supplier_ids))
        )
    }
    currency = clinic_currency(session)
    return [
        _order_dto(
            order, by_order[order.id], products, suppliers.get(order.supplier_id, ""), currency
        )
        for order in orders
    ]


def order_dto(session: Session, order: PurchaseOrder) -> PurchaseOrderDTO:
    return order_dtos(session, [order])[0]


def _line_dto(line: PurchaseOrderLine, product: Product | None) -> OrderLineDTO:
    per = product.units_per_purchase if product else Decimal(1)
    return OrderLineDTO(
        id=line.id,
        product_id=line.product_id,
        product_code=product.code if product else "",
        product_name=product.name if product else "—",
        unit=product.unit if product else "",
        purchase_unit=product.purchase_unit if product else "",
        units_per_purchase=per,
        quantity=line.quantity,
        quantity_in_units=(line.quantity * per).quantize(Decimal("0.001")),
        unit_cost=line.unit_cost,
        received_quantity=line.received_quantity,
        line_total=money_round(line.quantity * line.unit_cost),
    )


def _order_dto(
    order: PurchaseOrder,
    lines: list[PurchaseOrderLine],
    products: dict[uuid.UUID, Product],
    supplier_name: str,
    currency: str,
) -> PurchaseOrderDTO:
    line_dtos = tuple(_line_dto(line, products.get(line.product_id)) for line in lines)
    ordered = sum((line.quantity for line in line_dtos), ZERO)
    received = sum((min(line.received_quantity, line.quantity) for line in line_dtos), ZERO)
    fraction = (received / ordered).quantize(Decimal("0.0001")) if ordered > ZERO else ZERO
    return PurchaseOrderDTO(
        id=order.id,
        number=order.number,
        number_text=order_number_text(order.number),
        supplier_id=order.supplier_id,
        supplier_name=supplier_name,
        status=order.status,
        status_label=status_label(order.status),
        ordered_on=order.ordered_on,
        expected_on=order.expected_on,
        notes=order.notes,
        lines=line_dtos,
        total=sum((line.line_total for line in line_dtos), ZERO),
        currency=currency,
        received_fraction=fraction,
        created_at=order.created_at,
        version=order.version,
    )


def announce_orders(uow: UnitOfWork, ids: Iterable[uuid.UUID]) -> None:
    uow.publish_after_commit(InventoryChanged(what="orders", ids=tuple(str(i) for i in ids)))
