"""The inventory reports that read the stock ledger: the value of the stock at cost at the
end of a day and the movements of a period (those about what treatments use live in
inventory_reports_usage and inventory_reports_margins; who may run them and the shared
pieces in inventory_reports_common). Each is a set-based read of the models (a handful of
queries whatever the size of the ledger) returning a TabularReport, which the screen shows
and which report_csv and report_table.report_pdf turn into a file. Every figure is in the
product's unit of use and the clinic's currency, and each report carries a "basis" text
saying how its numbers are computed."""

from __future__ import annotations

import uuid
from collections import defaultdict
from datetime import date, timedelta
from decimal import Decimal

from sqlalchemy import func, select

from clinic_desktop.actor import Actor
from clinic_desktop.db.uow import UnitOfWork
from clinic_desktop.errors import NotFound, ValidationError
from clinic_desktop.i18n import _, ngettext
from clinic_desktop.models.inventory import Product
from clinic_desktop.models.stock import MovementKind, StockBalance, StockLot, StockMovement
from clinic_desktop.models.types import QUANTITY
from clinic_desktop.services.clinical_common import user_names
from clinic_desktop.services.inventory_reports_common import (
    KIND_LABELS,
    SOURCE_LABELS,
    ReportKey,
    category_filter,
    kind_label,
    period_bounds,
    require_cost_access,
)
from clinic_desktop.services.report_common import build_report, frame_of, start_of_day
from clinic_desktop.services.report_table import (
    CellKind,
    ReportColumn,
    ReportRow,
    RowRole,
    TabularReport,
    long_date,
    period_text,
    to_cents,
)
from clinic_desktop.services.stock_ledger import raw

ZERO = Decimal(0)
UNIT_COST_PLACES = Decimal("0.0001")
# A period with more movements than this is refused with a request to narrow it: a report is
# read and printed, and past this size nobody reads it (the CSV of a shorter period does).
MAX_MOVEMENT_ROWS = 10_000


# -- stock valuation ------------------------------------------------------------------------


def report_stock_valuation(
    uow: UnitOfWork, *, actor: Actor, as_of: date | None = None, category: str | None = None
) -> TabularReport:
    """The stock on hand at the end of `as_of` (today when None) valued at each lot's cost."""
    with uow.transaction(actor) as session:
        require_cost_access(session, actor)
        frame = frame_of(session)
        day = as_of or frame.today
        if day > frame.today:
            raise ValidationError(
                _("Date: the stock of a day that has not ended yet cannot be known."),
                field="as_of",
            )
        if day == frame.today:
            # Today's stock is the balance cache, which the consistency check proves equal to
            # the ledger; summing two million movements would give the same figure slowly.
            per_lot = select(
                StockBalance.lot_id.label("lot_id"), raw(StockBalance.quantity).label("qty")
            )
        else:
            per_lot = (
                select(
                    StockMovement.lot_id.label("lot_id"),
                    func.sum(raw(StockMovement.quantity)).label("qty"),
                )
                .where(StockMovement.occurred_at < start_of_day(frame, day + timedelta(days=1)))
                .group_by(StockMovement.lot_id)
            )
        lots = per_lot.subquery()
        query = (
            select(
                Product.id,
                Product.code,
                Product.name,
                Product.category,
                Product.unit,
                StockLot.unit_cost,
                lots.c.qty,
            )
            .join(StockLot, StockLot.id == lots.c.lot_id)
            .join(Product, Product.id == StockLot.product_id)
        )
        if category:
            query = query.where(Product.category == category)
        on_hand: dict[uuid.UUID, Decimal] = defaultdict(Decimal)
        value: dict[uuid.UUID, Decimal] = defaultdict(Decimal)
        names: dict[uuid.UUID, tuple[str, str, str, str]] = {}
        for product_id, code, name, cat, unit, unit_cost, qty_raw in session.execute(query):
            qty = QUANTITY.from_raw(qty_raw)
            on_hand[product_id] += qty
            value[product_id] += qty * unit_cost
            names[product_id] = (code, name, cat, unit)
    rows: list[ReportRow] = []
    for product_id in sorted(names, key=lambda p: (names[p][2].lower(), names[p][1].lower())):
        qty, amount = on_hand[product_id], to_cents(value[product_id])
        if qty == ZERO and amount == ZERO:
            continue
        code, name, cat, unit = names[product_id]
        average = (value[product_id] / qty).quantize(UNIT_COST_PLACES) if qty else None
        rows.append(ReportRow((code, name, cat, unit, qty, average, amount)))
    total = sum((_dec(r.cells[6]) for r in rows), ZERO)
    label = ngettext("Total ({count} product)", "Total ({count} products)", len(rows)).format(
        count=len(rows)
    )
    title = _("Stock valuation")
    return build_report(
        frame,
        ReportKey.VALUATION,
        title=title,
        period=_("Stock at the end of {date}").format(date=long_date(day)),
        basis=_(
            "On hand is the sum of every movement of the product up to the end of that day "
            "(for today, the running balance, which the consistency check proves equal to "
            "it). Value = quantity left in each lot × that lot's unit cost, added up per "
            "product and rounded to the cent; the total adds the rounded rows. Average cost = "
            "value ÷ on hand. Expired lots count until they are written off."
        ),
        columns=[
            ReportColumn("code", _("Code"), weight=0.9),
            ReportColumn("product", _("Product"), weight=2.6),
            ReportColumn("category", _("Category"), weight=1.3),
            ReportColumn("unit", _("Unit"), weight=0.8),
            ReportColumn("on_hand", _("On hand"), CellKind.QUANTITY),
            ReportColumn("average_cost", _("Average cost"), CellKind.UNIT_COST),
            ReportColumn("value", _("Value at cost"), CellKind.MONEY, weight=1.1),
        ],
        rows=rows,
        totals=[ReportRow((label, "", "", "", None, None, total), RowRole.TOTAL)],
        filters=category_filter(category),
        empty_text=_("No stock on hand at the end of that day."),
    )


# -- movements ------------------------------------------------------------------------------


def report_stock_movements(
    uow: UnitOfWork,
    *,
    actor: Actor,
    date_from: date,
    date_to: date,
    product_id: uuid.UUID | None = None,
    category: str | None = None,
    kind: str | None = None,
) -> TabularReport:
    """Every movement of the period, oldest first, with totals per kind of movement."""
    if kind is not None and kind not in KIND_LABELS:
        raise ValidationError(_("Kind: choose one of the listed kinds."), field="kind")
    with uow.transaction(actor) as session:
        require_cost_access(session, actor)
        frame = frame_of(session)
        start, end = period_bounds(frame, date_from, date_to)
        filters = category_filter(category)
        product: Product | None = None
        if product_id is not None:
            product = session.get(Product, product_id)
            if product is None:
                raise NotFound(_("That product no longer exists."))
            filters.insert(0, _("Product: {product}").format(product=product.name))
        if kind is not None:
            filters.append(_("Kind: {kind}").format(kind=kind_label(kind)))
        conditions = [StockMovement.occurred_at >= start, StockMovement.occurred_at < end]
        if product_id is not None:
            conditions.append(StockMovement.product_id == product_id)
        if kind is not None:
            conditions.append(StockMovement.kind == kind)
        if category:
            conditions.append(Product.category == category)
        count = session.scalar(
            select(func.count())
            .select_from(StockMovement)
            .join(Product, Product.id == StockMovement.product_id)
            .where(*conditions)
        )
        if (count or 0) > MAX_MOVEMENT_ROWS:
            raise ValidationError(
                _(
                    "Period: {count} movements are too many for one report (at most {limit}). "
                    "Choose a shorter period, a product or a kind."
                ).format(count=count, limit=MAX_MOVEMENT_ROWS),
                field="date_from",
            )
        found = session.execute(
            select(
                StockMovement.occurred_at,
                Product.code,
                Product.name,
                StockLot.lot_number,
                StockMovement.kind,
                StockMovement.quantity,
                Product.unit,
                StockMovement.unit_cost,
                StockMovement.source,
                StockMovement.reason,
                StockMovement.created_by,
            )
            .join(Product, Product.id == StockMovement.product_id)
            .join(StockLot, StockLot.id == StockMovement.lot_id)
            .where(*conditions)
            .order_by(StockMovement.occurred_at, StockMovement.id)
        ).all()
        people = user_names(session, (m.created_by for m in found))
    rows = [
        ReportRow(
            (
                m.occurred_at,
                m.code,
                m.name,
                m.lot_number,
                kind_label(m.kind),
                m.quantity,
                m.unit,
                m.unit_cost,
                to_cents(m.quantity * m.unit_cost),
                _(SOURCE_LABELS[m.source]) if m.source in SOURCE_LABELS else m.source,
                m.reason,
                people.get(m.created_by, "") if m.created_by else "",
            )
        )
        for m in found
    ]
    return build_report(
        frame,
        ReportKey.MOVEMENTS,
        title=_("Stock movements"),
        period=period_text(date_from, date_to),
        basis=_(
            "Every movement recorded in the period, in the clinic's time zone: positive "
            "quantities came in, negative ones went out. Value = quantity × the unit cost the "
            "movement was recorded at, rounded to the cent; each total adds the rounded values "
            "of its kind, and quantities are added up only when one product is chosen (units "
            "differ between products)."
        ),
        columns=[
            ReportColumn("occurred_at", _("Date"), CellKind.DATETIME, weight=1.6),
            ReportColumn("code", _("Code"), weight=0.8),
            ReportColumn("product", _("Product"), weight=2.0),
            ReportColumn("lot", _("Lot"), weight=0.8),
            ReportColumn("kind", _("Kind"), weight=1.0),
            ReportColumn("quantity", _("Quantity"), CellKind.QUANTITY, weight=0.8),
            ReportColumn("unit", _("Unit"), weight=0.6),
            ReportColumn("unit_cost", _("Unit cost"), CellKind.UNIT_COST, weight=0.8),
            ReportColumn("value", _("Value"), CellKind.MONEY, weight=0.9),
            ReportColumn("source", _("Source"), weight=1.0),
            ReportColumn("reason", _("Reason"), weight=1.4),
            ReportColumn("by", _("Recorded by"), weight=1.0),
        ],
        rows=rows,
        totals=_movement_totals(rows, one_product=product is not None),
        filters=filters,
        empty_text=_("No movements in this period."),
    )


def _movement_totals(rows: list[ReportRow], *, one_product: bool) -> list[ReportRow]:
    by_kind: dict[str, tuple[int, Decimal, Decimal]] = {}
    for row in rows:
        label = str(row.cells[4])
        count, qty, value = by_kind.get(label, (0, ZERO, ZERO))
        by_kind[label] = (count + 1, qty + _dec(row.cells[5]), value + _dec(row.cells[8]))
    totals = []
    # In the order of the kinds (receipts first), whatever order they occurred in.
    for label in (kind_label(kind) for kind in MovementKind):
        if label not in by_kind:
            continue
        count, qty, value = by_kind[label]
        title = ngettext("{kind}: {count} movement", "{kind}: {count} movements", count).format(
            kind=label, count=count
        )
        cells = (title, "", "", "", "", qty if one_product else None, "", None, value)
        totals.append(ReportRow((*cells, "", "", ""), RowRole.TOTAL))
    net_qty = sum((_dec(row.cells[5]) for row in rows), ZERO)
    net_value = sum((_dec(row.cells[8]) for row in rows), ZERO)
    title = ngettext(
        "Net change ({count} movement)", "Net change ({count} movements)", len(rows)
    ).format(count=len(rows))
    cells = (title, "", "", "", "", net_qty if one_product else None, "", None, net_value)
    totals.append(ReportRow((*cells, "", "", ""), RowRole.TOTAL))
    return totals


def _dec(value: object) -> Decimal:
    assert isinstance(value, Decimal)
    return value
