"""Ending a purchase order before everything arrived: cancelling it while nothing of it has
arrived, and closing a partly received one short when the supplier will never send the rest.
Both need inventory.manage and a reason, which goes to the audit trail and, dated, to the
order's notes, where people look for it. `services.purchasing` re-exports the two services,
so its callers need not know they live here."""

from __future__ import annotations

import uuid
from datetime import date
from decimal import Decimal

from sqlalchemy import select

from clinic_desktop.actor import Actor
from clinic_desktop.db.audit_log import append_audit
from clinic_desktop.db.uow import UnitOfWork
from clinic_desktop.errors import InvalidTransition, ValidationError
from clinic_desktop.i18n import _
from clinic_desktop.models.inventory import Product
from clinic_desktop.models.permissions import Permission
from clinic_desktop.models.purchasing import OrderStatus, PurchaseOrder
from clinic_desktop.reports.clinical_letterhead import fmt_date
from clinic_desktop.services.access import require
from clinic_desktop.services.clinical_history import clinic_today
from clinic_desktop.services.concurrency import check_version
from clinic_desktop.services.purchasing_dto import (
    ZERO,
    PurchaseOrderDTO,
    order_number_text,
    status_label,
)
from clinic_desktop.services.purchasing_rows import (
    announce_orders,
    live_lines,
    load_order,
    order_dto,
)

REASON_MIN, REASON_MAX = 3, 300
# The notes people type (purchasing.NOTES_MAX, 2000 characters) and room for the dated
# reasons appended here; a cancellation never makes the notes grow past it.
NOTES_KEPT = 2000 + 400


def closed_short_heading(day: date) -> str:
    """ "Closed short on 5 Mar 2026": the dated line the reason follows in the order's notes
    (the demo's closed order is written the same way)."""
    return _("Closed short on {date}").format(date=fmt_date(day))


def _clean_reason(reason: str, missing: str) -> str:
    """The reason on one line; `missing` is the message when there is (next to) none."""
    text = " ".join(reason.split())
    if len(text) < REASON_MIN:
        raise ValidationError(missing, field="reason")
    if len(text) > REASON_MAX:
        raise ValidationError(_("Reason: at most 300 characters."), field="reason")
    return text


def cancel_order(
    uow: UnitOfWork, *, actor: Actor, order_id: uuid.UUID, reason: str
) -> PurchaseOrderDTO:
    """Cancels a draft or a placed order while nothing of it has arrived. The reason goes to
    the audit trail and, dated, to the order's notes, where people will look for it."""
    text = _clean_reason(reason, _("Reason: say why the order is cancelled."))
    with uow.transaction(actor) as session:
        require(session, actor, Permission.INVENTORY_MANAGE)
        order = load_order(session, order_id)
        number = order_number_text(order.number)
        if order.status == OrderStatus.CANCELLED.value:
            raise InvalidTransition(_("Order {number} is already cancelled.").format(number=number))
        received = any(line.received_quantity > ZERO for line in live_lines(session, [order.id]))
        if received or order.status not in (OrderStatus.DRAFT.value, OrderStatus.ORDERED.value):
            raise InvalidTransition(
                _(
                    "Order {number} cannot be cancelled: part of it was already received and "
                    "is in stock."
                ).format(number=number)
            )
        today = clinic_today(session)
        note = _("Cancelled on {date}: {reason}").format(date=fmt_date(today), reason=text)
        order.notes = f"{order.notes}\n{note}".strip()[:NOTES_KEPT]
        order.status = OrderStatus.CANCELLED.value
        append_audit(
            session,
            actor=actor,
            action="order.cancelled",
            entity="PurchaseOrder",
            entity_id=str(order.id),
            changes={"number": number, "reason": text},
        )
        session.flush()
        dto = order_dto(session, order)
        announce_orders(uow, [order.id])
    return dto


def close_order(
    uow: UnitOfWork,
    *,
    actor: Actor,
    order_id: uuid.UUID,
    reason: str,
    expected_version: int | None = None,
) -> PurchaseOrderDTO:
    """Closes a partly received order short: the supplier will never send the rest. What
    arrived stays in stock; what is outstanding is no longer expected, cannot be received and
    stops counting as on order. The reason goes to the audit trail, with what was still
    outstanding, and, dated, to the order's notes. A placed order with nothing received is
    cancelled instead."""
    text = _clean_reason(reason, _("Reason: say why the rest of the order will not arrive."))
    with uow.transaction(actor) as session:
        require(session, actor, Permission.INVENTORY_MANAGE)
        order = load_order(session, order_id)
        if expected_version is not None:
            check_version(session, order, expected_version)
        _require_partial(order)
        lines = live_lines(session, [order.id])
        codes: dict[uuid.UUID, str] = {
            row[0]: row[1]
            for row in session.execute(
                select(Product.id, Product.code).where(
                    Product.id.in_({line.product_id for line in lines})
                )
            )
        }
        # Purchase units written off as never coming, per product code, for the trail.
        outstanding = {
            codes.get(line.product_id, str(line.product_id)): _plain_quantity(
                line.quantity - line.received_quantity
            )
            for line in lines
            if line.quantity > line.received_quantity
        }
        heading = closed_short_heading(clinic_today(session))
        order.close_short(reason=text, heading=heading)
        append_audit(
            session,
            actor=actor,
            action="order.closed_short",
            entity="PurchaseOrder",
            entity_id=str(order.id),
            changes={
                "number": order_number_text(order.number),
                "reason": text,
                "outstanding": outstanding,
            },
        )
        session.flush()
        dto = order_dto(session, order)
        announce_orders(uow, [order.id])
    return dto


def _require_partial(order: PurchaseOrder) -> None:
    if order.status == OrderStatus.PARTIAL.value:
        return
    if order.status == OrderStatus.CLOSED.value:
        message = _("Order {number} is already closed short.")
    elif order.status == OrderStatus.ORDERED.value:
        message = _(
            "Order {number} cannot be closed short: nothing of it has arrived yet. Cancel it "
            "instead."
        )
    else:
        message = _("Order {number} is {status}: only a partly received order can be closed short.")
    raise InvalidTransition(
        message.format(
            number=order_number_text(order.number), status=status_label(order.status).lower()
        ),
        field="status",
    )


def _plain_quantity(value: Decimal) -> str:
    """ "2", "0.5": the quantity without the column's trailing zeros or an exponent."""
    return format(value.normalize(), "f")
