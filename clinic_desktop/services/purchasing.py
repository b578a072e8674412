"""Purchase orders: listing and reading them, writing a draft (numbered at creation with the
next free number of the series, in the same transaction) and placing it with the supplier.
Cancelling an order and closing a partly received one short live in purchasing_close (and are
re-exported here), receiving in purchasing_receive, suggestions in purchasing_suggestions,
the printable order in purchasing_print, the shared loading and DTO building in
purchasing_rows. Writes need inventory.manage; any signed-in user may read. Every change is
audited by the session."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from datetime import date

from sqlalchemy import func, select
from sqlalchemy.orm import Session
from sqlalchemy.orm.attributes import flag_modified

from clinic_desktop.actor import Actor
from clinic_desktop.db.uow import UnitOfWork
from clinic_desktop.errors import InvalidTransition, ValidationError
from clinic_desktop.i18n import _
from clinic_desktop.models.inventory import Product, Supplier
from clinic_desktop.models.permissions import Permission
from clinic_desktop.models.purchasing import OrderStatus, PurchaseOrder, PurchaseOrderLine
from clinic_desktop.services.access import require
from clinic_desktop.services.clinical_history import clinic_today
from clinic_desktop.services.concurrency import check_version
from clinic_desktop.services.products_query import require_reader
from clinic_desktop.services.purchasing_close import cancel_order as cancel_order
from clinic_desktop.services.purchasing_close import close_order as close_order
from clinic_desktop.services.purchasing_dto import (
    OPEN_STATUSES,
    ZERO,
    OrderLineInput,
    PurchaseOrderDTO,
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
    order_dtos,
)

NOTES_MAX = 2000
REASON_MIN, REASON_MAX = 3, 300

# -- reading -----------------------------------------------------------------------------------


def list_orders(
    uow: UnitOfWork,
    *,
    actor: Actor,
    status: str | None = None,
    supplier_id: uuid.UUID | None = None,
    text: str = "",
) -> list[PurchaseOrderDTO]:
    """Orders newest first. `status` is a status value, "open" (draft, ordered or partly
    received) or None for all; `text` matches the number ("OC-12", "12"), the supplier, the
    notes or a product on the order."""
    with uow.transaction(actor) as session:
        require_reader(session, actor)
        query = select(PurchaseOrder).where(PurchaseOrder.deleted_at.is_(None))
        if status == "open":
            query = query.where(PurchaseOrder.status.in_(OPEN_STATUSES))
        elif status:
            query = query.where(PurchaseOrder.status == status)
        if supplier_id is not None:
            query = query.where(PurchaseOrder.supplier_id == supplier_id)
        orders = list(session.scalars(query.order_by(PurchaseOrder.number.desc())))
        dtos = order_dtos(session, orders)
    needle = text.strip().casefold()
    if not needle:
        return dtos
    return [dto for dto in dtos if _matches(dto, needle)]


def _matches(dto: PurchaseOrderDTO, needle: str) -> bool:
    digits = needle.removeprefix("oc-").lstrip("0")
    if digits.isdigit() and digits in str(dto.number):
        return True
    fields = [dto.number_text, dto.supplier_name, dto.notes]
    fields += [f"{line.product_code} {line.product_name}" for line in dto.lines]
    return any(needle in value.casefold() for value in fields)


def get_order(uow: UnitOfWork, *, actor: Actor, order_id: uuid.UUID) -> PurchaseOrderDTO:
    with uow.transaction(actor) as session:
        require_reader(session, actor)
        return order_dto(session, load_order(session, order_id))


# -- writing a draft ---------------------------------------------------------------------------


def _supplier(session: Session, supplier_id: uuid.UUID | None, *, for_new: bool) -> Supplier:
    supplier = session.get(Supplier, supplier_id) if supplier_id else None
    if supplier is None or supplier.is_deleted:
        raise ValidationError(_("Supplier: choose the supplier of the order."), field="supplier")
    if for_new and not supplier.active:
        raise ValidationError(
            _("Supplier: {name} is inactive; reactivate it or choose another.").format(
                name=supplier.name
            ),
            field="supplier",
        )
    return supplier


def _clean_expected(expected_on: date | None, today: date) -> date | None:
    if expected_on is not None and expected_on < today:
        raise ValidationError(_("Expected date: it cannot be before today."), field="expected_on")
    return expected_on


def _clean_notes(notes: str) -> str:
    text = notes.strip()
    if len(text) > NOTES_MAX:
        raise ValidationError(
            _("Notes: at most {count} characters.").format(count=NOTES_MAX), field="notes"
        )
    return text


def clean_lines(
    session: Session, lines: Sequence[OrderLineInput]
) -> list[tuple[OrderLineInput, Product]]:
    """Each line with its product, checked: an active product, at most once per order, a
    quantity above zero and a cost not below zero, with the places the columns keep."""
    ids = {line.product_id for line in lines}
    products = (
        {p.id: p for p in session.scalars(select(Product).where(Product.id.in_(ids)))}
        if ids
        else {}
    )
    seen: set[uuid.UUID] = set()
    cleaned: list[tuple[OrderLineInput, Product]] = []
    for row, line in enumerate(lines, start=1):
        product = products.get(line.product_id)
        if product is None or product.is_deleted:
            raise ValidationError(
                _("Line {row}: the product no longer exists.").format(row=row), field="lines"
            )
        prefix = _("Line {row}, {product}").format(row=row, product=product.name)
        if not product.active:
            raise ValidationError(
                _("{line}: the product is inactive.").format(line=prefix), field="lines"
            )
        if product.id in seen:
            raise ValidationError(
                _(
                    "{line}: the product is already on the order; change that line's quantity."
                ).format(line=prefix),
                field="lines",
            )
        seen.add(product.id)
        quantity = checked_decimal(
            line.quantity,
            places=QUANTITY_PLACES,
            label=_("{line}, quantity").format(line=prefix),
            field="lines",
            allow_zero=False,
        )
        cost = checked_decimal(
            line.unit_cost,
            places=COST_PLACES,
            label=_("{line}, unit cost").format(line=prefix),
            field="lines",
            allow_zero=True,
        )
        cleaned.append((OrderLineInput(product.id, quantity, cost, line.line_id), product))
    return cleaned


def next_order_number(session: Session) -> int:
    # Inside the BEGIN IMMEDIATE transaction no other writer can take the same number.
    return int(session.scalar(select(func.max(PurchaseOrder.number))) or 0) + 1


def add_order(
    session: Session,
    *,
    supplier_id: uuid.UUID | None,
    lines: Sequence[OrderLineInput],
    expected_on: date | None,
    notes: str,
) -> PurchaseOrder:
    """A new numbered draft inside an open transaction (used by the suggestions too)."""
    supplier = _supplier(session, supplier_id, for_new=True)
    cleaned = clean_lines(session, lines)
    order = PurchaseOrder(
        number=next_order_number(session),
        supplier_id=supplier.id,
        status=OrderStatus.DRAFT.value,
        expected_on=_clean_expected(expected_on, clinic_today(session)),
        notes=_clean_notes(notes),
    )
    session.add(order)
    session.flush()
    for line, _product in cleaned:
        session.add(
            PurchaseOrderLine(
                order_id=order.id,
                product_id=line.product_id,
                quantity=line.quantity,
                unit_cost=line.unit_cost,
                received_quantity=ZERO,
            )
        )
    session.flush()
    return order


def create_order(
    uow: UnitOfWork,
    *,
    actor: Actor,
    supplier_id: uuid.UUID | None,
    lines: Sequence[OrderLineInput] = (),
    expected_on: date | None = None,
    notes: str = "",
) -> PurchaseOrderDTO:
    """A draft to `supplier_id`, numbered now; lines may be added later while it is a draft."""
    with uow.transaction(actor) as session:
        require(session, actor, Permission.INVENTORY_MANAGE)
        order = add_order(
            session, supplier_id=supplier_id, lines=lines, expected_on=expected_on, notes=notes
        )
        dto = order_dto(session, order)
        announce_orders(uow, [order.id])
    return dto


def _require_draft(order: PurchaseOrder) -> None:
    if order.status != OrderStatus.DRAFT.value:
        raise InvalidTransition(
            _(
                "Order {number} is {status}: only a draft can be changed. Cancel it and write "
                "a new one if it must change."
            ).format(
                number=order_number_text(order.number), status=status_label(order.status).lower()
            )
        )


def update_draft(
    uow: UnitOfWork,
    *,
    actor: Actor,
    order_id: uuid.UUID,
    expected_version: int,
    supplier_id: uuid.UUID | None,
    lines: Sequence[OrderLineInput],
    expected_on: date | None = None,
    notes: str = "",
) -> PurchaseOrderDTO:
    """Saves the whole draft as the editor shows it: lines with a `line_id` are kept and
    updated, new ones added, the rest removed (soft-deleted, so the trail keeps them)."""
    with uow.transaction(actor) as session:
        require(session, actor, Permission.INVENTORY_MANAGE)
        order = load_order(session, order_id)
        _require_draft(order)
        check_version(session, order, expected_version)
        supplier = _supplier(session, supplier_id, for_new=supplier_id != order.supplier_id)
        cleaned = clean_lines(session, lines)
        # Everything checked before anything changes: a query in between would flush half.
        expected = _clean_expected(expected_on, clinic_today(session))
        order.supplier_id = supplier.id
        order.expected_on = expected
        order.notes = _clean_notes(notes)
        existing = {line.id: line for line in live_lines(session, [order.id])}
        kept: set[uuid.UUID] = set()
        for line, _product in cleaned:
            row = existing.get(line.line_id) if line.line_id else None
            if row is None:
                session.add(
                    PurchaseOrderLine(
                        order_id=order.id,
                        product_id=line.product_id,
                        quantity=line.quantity,
                        unit_cost=line.unit_cost,
                        received_quantity=ZERO,
                    )
                )
                continue
            kept.add(row.id)
            row.product_id, row.quantity, row.unit_cost = (
                line.product_id,
                line.quantity,
                line.unit_cost,
            )
        for line_id, row in existing.items():
            if line_id not in kept:
                row.soft_delete(by=actor.user_id)
        # The lines are the order: changing only them must still move its version on, so a
        # second editor open on the same draft is refused instead of overwriting them.
        flag_modified(order, "notes")
        session.flush()
        dto = order_dto(session, order)
        announce_orders(uow, [order.id])
    return dto


# -- placing ------------------------------------------------------------------------------------


def place_order(
    uow: UnitOfWork, *, actor: Actor, order_id: uuid.UUID, expected_version: int | None = None
) -> PurchaseOrderDTO:
    """Draft → ordered, dated today: from now on it can only be received or cancelled."""
    with uow.transaction(actor) as session:
        require(session, actor, Permission.INVENTORY_MANAGE)
        order = load_order(session, order_id)
        if expected_version is not None:
            check_version(session, order, expected_version)
        if order.status != OrderStatus.DRAFT.value:
            raise InvalidTransition(
                _("Order {number} was already placed.").format(
                    number=order_number_text(order.number)
                )
            )
        _supplier(session, order.supplier_id, for_new=True)
        lines = live_lines(session, [order.id])
        if not lines:
            raise ValidationError(_("Lines: add at least one product to the order."), field="lines")
        clean_lines(
            session,
            [OrderLineInput(line.product_id, line.quantity, line.unit_cost) for line in lines],
        )
        today = clinic_today(session)  # read before any change: one UPDATE, one audit entry
        order.status = OrderStatus.ORDERED.value
        order.ordered_on = today
        session.flush()
        dto = order_dto(session, order)
        announce_orders(uow, [order.id])
    return dto
