"""Receiving a purchase order, all of it or part: each received line goes into a new lot of
its product (lot number, expiry, cost) through the stock ledger, converted from the supplier's
purchase units to units of use (3 boxes of 100 gloves are 300 gloves), with the lot's unit
cost the purchase price divided by the same factor. The line remembers what has arrived, the
order's status follows (partly received, received) and the product's cost becomes the latest
price paid. Receiving more than is outstanding, or goods whose expiry date is already past, is
allowed but asked first: the service refuses with NeedsConfirmation listing every such case,
changing nothing, until called again with `confirmed=True`."""

from __future__ import annotations

import uuid
from collections import defaultdict
from collections.abc import Sequence
from datetime import date
from decimal import ROUND_HALF_UP, Decimal

from sqlalchemy import select
from sqlalchemy.orm.attributes import flag_modified

from clinic_desktop.actor import Actor
from clinic_desktop.db.uow import UnitOfWork
from clinic_desktop.errors import InvalidTransition, NeedsConfirmation, ValidationError
from clinic_desktop.events import InventoryChanged
from clinic_desktop.formatting import quantity as fmt_quantity
from clinic_desktop.i18n import _
from clinic_desktop.models.inventory import Product
from clinic_desktop.models.permissions import Permission
from clinic_desktop.models.purchasing import OrderStatus, PurchaseOrder, PurchaseOrderLine
from clinic_desktop.models.stock import MovementKind, MovementSource
from clinic_desktop.reports.clinical_letterhead import fmt_date
from clinic_desktop.services import stock_ledger as ledger
from clinic_desktop.services.access import require
from clinic_desktop.services.clinical_history import clinic_today
from clinic_desktop.services.purchasing_dto import (
    RECEIVABLE_STATUSES,
    ZERO,
    ReceiptDTO,
    ReceiptLine,
    ReceivedLotDTO,
    order_number_text,
    status_label,
)
from clinic_desktop.services.purchasing_rows import (
    COST_PLACES,
    QUANTITY_PLACES,
    announce_orders,
    checked_decimal,
    live_lines,
    load_order,
    order_dto,
)

LOT_NUMBER_MAX = 60
USE_QUANTUM = Decimal("0.001")
COST_QUANTUM = Decimal("0.0001")


def units_of_use(quantity: Decimal, units_per_purchase: Decimal) -> Decimal:
    """Purchase units in units of use, to the thousandth the ledger counts."""
    return (quantity * units_per_purchase).quantize(USE_QUANTUM, rounding=ROUND_HALF_UP)


def cost_per_use(unit_cost: Decimal, units_per_purchase: Decimal) -> Decimal:
    """A purchase unit's price per unit of use, to the 4 places lots and products keep."""
    if units_per_purchase <= ZERO:
        return unit_cost
    return (unit_cost / units_per_purchase).quantize(COST_QUANTUM, rounding=ROUND_HALF_UP)


def _clean_receipt(
    lines: Sequence[ReceiptLine],
    by_id: dict[uuid.UUID, PurchaseOrderLine],
    products: dict[uuid.UUID, Product],
) -> list[tuple[ReceiptLine, PurchaseOrderLine, Product]]:
    cleaned: list[tuple[ReceiptLine, PurchaseOrderLine, Product]] = []
    for row, line in enumerate(lines, start=1):
        order_line = by_id.get(line.line_id)
        if order_line is None:
            raise ValidationError(
                _("Line {row}: it is not a line of this order.").format(row=row), field="lines"
            )
        product = products[order_line.product_id]
        prefix = _("Line {row}, {product}").format(row=row, product=product.name)
        quantity = checked_decimal(
            line.quantity,
            places=QUANTITY_PLACES,
            label=_("{line}, quantity received").format(line=prefix),
            field="quantity",
            allow_zero=True,
        )
        if quantity == ZERO:
            continue  # nothing of this line arrived this time
        cost = order_line.unit_cost if line.unit_cost is None else line.unit_cost
        cost = checked_decimal(
            cost,
            places=COST_PLACES,
            label=_("{line}, unit cost").format(line=prefix),
            field="unit_cost",
            allow_zero=True,
        )
        lot_number = " ".join(line.lot_number.split())
        if len(lot_number) > LOT_NUMBER_MAX:
            raise ValidationError(
                _("{line}, lot: at most {count} characters.").format(
                    line=prefix, count=LOT_NUMBER_MAX
                ),
                field="lot_number",
            )
        cleaned.append(
            (
                ReceiptLine(line.line_id, quantity, lot_number, line.expiry_date, cost),
                order_line,
                product,
            )
        )
    if not cleaned:
        raise ValidationError(
            _("Quantity: enter what arrived for at least one line."), field="quantity"
        )
    return cleaned


def _questions(
    cleaned: list[tuple[ReceiptLine, PurchaseOrderLine, Product]], today: date
) -> list[str]:
    """What the user must agree to: lines over what is outstanding, expiry dates past."""
    found: list[str] = []
    arriving: dict[uuid.UUID, Decimal] = defaultdict(lambda: ZERO)
    for line, order_line, _product in cleaned:
        arriving[order_line.id] += line.quantity
    asked: set[uuid.UUID] = set()
    for line, order_line, product in cleaned:
        unit = product.purchase_unit or product.unit
        outstanding = max(ZERO, order_line.quantity - order_line.received_quantity)
        if arriving[order_line.id] > outstanding and order_line.id not in asked:
            asked.add(order_line.id)
            found.append(
                _(
                    "{product}: {received} {unit} received but only {outstanding} outstanding "
                    "on the order."
                ).format(
                    product=product.name,
                    received=fmt_quantity(arriving[order_line.id]),
                    unit=unit,
                    outstanding=fmt_quantity(outstanding),
                )
            )
        if line.expiry_date is not None and line.expiry_date < today:
            found.append(
                _("{product}: the expiry date {date} is already past.").format(
                    product=product.name, date=fmt_date(line.expiry_date)
                )
            )
    return found


def receive(
    uow: UnitOfWork,
    *,
    actor: Actor,
    order_id: uuid.UUID,
    lines: Sequence[ReceiptLine],
    confirmed: bool = False,
) -> ReceiptDTO:
    """Receives `lines` of a placed order into new lots (see the module's docstring)."""
    with uow.transaction(actor) as session:
        require(session, actor, Permission.INVENTORY_MANAGE)
        order = load_order(session, order_id)
        _require_receivable(order)
        order_lines = live_lines(session, [order.id])
        by_id = {line.id: line for line in order_lines}
        products = {
            p.id: p
            for p in session.scalars(
                select(Product).where(Product.id.in_({line.product_id for line in order_lines}))
            )
        }
        cleaned = _clean_receipt(lines, by_id, products)
        today = clinic_today(session)
        questions = _questions(cleaned, today)
        if questions and not confirmed:
            raise NeedsConfirmation(
                "\n".join(questions), question=_("Receive the goods anyway?"), field="quantity"
            )
        reason = order_number_text(order.number)
        lots: list[ReceivedLotDTO] = []
        for line, order_line, product in cleaned:
            per = product.units_per_purchase
            quantity = units_of_use(line.quantity, per)
            assert line.unit_cost is not None  # filled in by _clean_receipt
            unit_cost = cost_per_use(line.unit_cost, per)
            lot = ledger.new_lot(
                session,
                product=product,
                lot_number=line.lot_number,
                expiry_date=line.expiry_date,
                received_on=today,
                unit_cost=unit_cost,
                supplier_id=order.supplier_id,
            )
            ledger.put(
                session,
                lot=lot,
                quantity=quantity,
                origin=ledger.Origin(
                    MovementKind.RECEIPT, MovementSource.PURCHASE_LINE, order_line.id, reason
                ),
            )
            order_line.received_quantity = order_line.received_quantity + line.quantity
            product.cost = unit_cost  # the latest price paid values what is used next
            lots.append(
                ReceivedLotDTO(
                    lot_id=lot.id,
                    line_id=order_line.id,
                    product_id=product.id,
                    product_name=product.name,
                    lot_number=lot.lot_number,
                    expiry_date=lot.expiry_date,
                    quantity=quantity,
                    unit=product.unit,
                    unit_cost=unit_cost,
                )
            )
        complete = all(line.received_quantity >= line.quantity for line in order_lines)
        order.status = (OrderStatus.RECEIVED if complete else OrderStatus.PARTIAL).value
        # A second receipt leaves the status as it was: touch the order anyway so its version
        # moves and a screen holding the older copy cannot close or cancel it.
        flag_modified(order, "notes")
        session.flush()
        dto = order_dto(session, order)
        announce_orders(uow, [order.id])
        uow.publish_after_commit(
            InventoryChanged(what="stock", ids=tuple(sorted({str(lot.product_id) for lot in lots})))
        )
    return ReceiptDTO(order=dto, lots=tuple(lots))


def _require_receivable(order: PurchaseOrder) -> None:
    if order.status in RECEIVABLE_STATUSES:
        return
    number = order_number_text(order.number)
    if order.status == OrderStatus.DRAFT.value:
        message = _("Order {number} is still a draft: place it before receiving goods.")
    else:
        message = _("Order {number} is {status}: nothing more can be received on it.")
    raise InvalidTransition(
        message.format(number=number, status=status_label(order.status).lower())
    )
