"""Suggested purchase orders: per supplier (each product's preferred one; products without an
active one grouped under "No supplier"), the active products whose usable stock is at or below
their reorder level, or that the treatments booked within the forecast horizon will use up.
The quantity suggested is what brings the stock back to the reorder level plus the booked
need, less what is already coming on open orders (drafts included, so asking twice does not
order twice), rounded up to whole purchase units; a product at its reorder level with nothing
on order gets at least one purchase unit. Creating drafts from the kept suggestions is one
transaction: all of them or none."""

from __future__ import annotations

import uuid
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from decimal import ROUND_CEILING, Decimal

from sqlalchemy import select
from sqlalchemy.orm import Session

from clinic_desktop.actor import Actor
from clinic_desktop.db.uow import UnitOfWork
from clinic_desktop.errors import ValidationError
from clinic_desktop.i18n import _
from clinic_desktop.models.inventory import Product, Supplier
from clinic_desktop.models.permissions import Permission
from clinic_desktop.models.purchasing import PurchaseOrder, PurchaseOrderLine
from clinic_desktop.reports.clinical_letterhead import fmt_date
from clinic_desktop.services.access import require
from clinic_desktop.services.inventory_dto import ProductDTO
from clinic_desktop.services.products_query import (
    product_dtos,
    product_query,
    require_reader,
    stock_context,
)
from clinic_desktop.services.purchasing import add_order
from clinic_desktop.services.purchasing_dto import (
    OPEN_STATUSES,
    ZERO,
    NewOrderInput,
    PurchaseOrderDTO,
    SuggestedLine,
    SuggestionsDTO,
    SupplierSuggestion,
)
from clinic_desktop.services.purchasing_rows import announce_orders, clinic_currency, order_dtos
from clinic_desktop.services.settings import read_settings
from clinic_desktop.services.stock_check import forecast_in

COST_QUANTUM = Decimal("0.0001")


def _on_order(session: Session) -> dict[uuid.UUID, Decimal]:
    """Units of use still to arrive per product on open orders (drafts included)."""
    rows = session.execute(
        select(
            PurchaseOrderLine.product_id,
            PurchaseOrderLine.quantity,
            PurchaseOrderLine.received_quantity,
            Product.units_per_purchase,
        )
        .join(PurchaseOrder, PurchaseOrder.id == PurchaseOrderLine.order_id)
        .join(Product, Product.id == PurchaseOrderLine.product_id)
        .where(
            PurchaseOrder.status.in_(OPEN_STATUSES),
            PurchaseOrder.deleted_at.is_(None),
            PurchaseOrderLine.deleted_at.is_(None),
        )
    )
    coming: dict[uuid.UUID, Decimal] = defaultdict(lambda: ZERO)
    for product_id, quantity, received, per in rows:
        coming[product_id] += max(ZERO, quantity - received) * per
    return dict(coming)


@dataclass(frozen=True)
class _Need:
    """What the booked treatments of the horizon ask of one product."""

    needed: Decimal = ZERO
    # What the lots cannot supply, counting lots that expire before they would be used.
    shortfall: Decimal = ZERO
    runs_out_on: date | None = None


def _needs(session: Session, days: int) -> dict[uuid.UUID, _Need]:
    forecast = forecast_in(session, days=days)
    return {
        line.product_id: _Need(line.needed, line.shortfall, line.runs_out_on)
        for line in forecast.lines
    }


def _purchase_units(needed: Decimal, per: Decimal) -> Decimal:
    if needed <= ZERO:
        return ZERO
    per = per if per > ZERO else Decimal(1)
    return (needed / per).to_integral_value(rounding=ROUND_CEILING)


def _line(product: ProductDTO, need: _Need, on_order: Decimal) -> SuggestedLine | None:
    below = product.reorder_level > ZERO and product.usable <= product.reorder_level
    runs_out = need.shortfall > ZERO or need.needed > product.usable
    if not below and not runs_out:
        return None
    # Enough for the booked treatments (what the lots will not cover, expiries included) and
    # to be back at the reorder level afterwards, less what is already coming.
    uncovered = max(need.shortfall, need.needed - product.usable, ZERO)
    left_after = max(product.usable - need.needed, ZERO)
    missing = product.reorder_level - left_after + uncovered - on_order
    quantity = _purchase_units(missing, product.units_per_purchase)
    if quantity == ZERO and below and on_order == ZERO:
        quantity = Decimal(1)  # at the reorder level exactly: one more box lifts it above
    if quantity == ZERO:
        return None
    if runs_out and need.runs_out_on is not None:
        reason = _("Runs out on {date}").format(date=fmt_date(need.runs_out_on))
    elif runs_out:
        reason = _("Short for the bookings")
    else:
        reason = _("Low stock")
    return SuggestedLine(
        product_id=product.id,
        product_code=product.code,
        product_name=product.name,
        unit=product.unit,
        purchase_unit=product.purchase_unit,
        units_per_purchase=product.units_per_purchase,
        usable=product.usable,
        reorder_level=product.reorder_level,
        forecast_need=need.needed,
        runs_out_on=need.runs_out_on,
        on_order=on_order.quantize(Decimal("0.001")),
        quantity=quantity,
        unit_cost=(product.cost * product.units_per_purchase).quantize(COST_QUANTUM),
        below_reorder=below,
        reason=reason,
    )


def suggest_orders(uow: UnitOfWork, *, actor: Actor) -> SuggestionsDTO:
    """What to order now, grouped by supplier (see the module's docstring)."""
    with uow.transaction(actor) as session:
        require_reader(session, actor)
        context = stock_context(session)
        days = int(read_settings(session)["inventory.forecast_days"])
        rows = [
            tuple(row) for row in session.execute(product_query().where(Product.active.is_(True)))
        ]
        products = product_dtos(session, rows, context=context)
        on_order = _on_order(session)
        needs = _needs(session, days)
        active_suppliers = {
            row[0]: row[1]
            for row in session.execute(
                select(Supplier.id, Supplier.name).where(
                    Supplier.active.is_(True), Supplier.deleted_at.is_(None)
                )
            )
        }
        currency = clinic_currency(session)
    grouped: dict[uuid.UUID | None, list[SuggestedLine]] = defaultdict(list)
    for product in products:
        line = _line(product, needs.get(product.id, _Need()), on_order.get(product.id, ZERO))
        if line is None:
            continue
        supplier = product.preferred_supplier_id
        grouped[supplier if supplier in active_suppliers else None].append(line)
    groups = [
        SupplierSuggestion(
            supplier_id=supplier_id,
            supplier_name=active_suppliers[supplier_id] if supplier_id else _("No supplier"),
            lines=tuple(sorted(lines, key=lambda line: line.product_name.casefold())),
        )
        for supplier_id, lines in grouped.items()
    ]
    # Suppliers by name; the products nobody supplies yet last, where they wait for a choice.
    groups.sort(key=lambda g: (g.supplier_id is None, g.supplier_name.casefold()))
    return SuggestionsDTO(
        groups=tuple(groups),
        forecast_days=days,
        currency=currency,
        today=context.today,
    )


def create_orders_from_suggestions(
    uow: UnitOfWork, *, actor: Actor, orders: Sequence[NewOrderInput]
) -> list[PurchaseOrderDTO]:
    """One numbered draft per entry of `orders`, all in one transaction."""
    if not orders:
        raise ValidationError(_("Suggestions: tick at least one product to order."), field="lines")
    with uow.transaction(actor) as session:
        require(session, actor, Permission.INVENTORY_MANAGE)
        created: list[PurchaseOrder] = []
        for entry in orders:
            if not entry.lines:
                continue
            if entry.supplier_id is None:
                raise ValidationError(
                    _("Supplier: choose who supplies the products without a supplier."),
                    field="supplier",
                )
            created.append(
                add_order(
                    session,
                    supplier_id=entry.supplier_id,
                    lines=entry.lines,
                    expected_on=entry.expected_on,
                    notes=entry.notes,
                )
            )
        if not created:
            raise ValidationError(
                _("Suggestions: tick at least one product to order."), field="lines"
            )
        dtos = order_dtos(session, created)
        announce_orders(uow, [order.id for order in created])
    return dtos
