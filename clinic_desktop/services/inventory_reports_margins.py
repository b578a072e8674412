"""Treatment margins: each treatment's price against its recipe at today's product costs
(what a treatment should leave), and for a period what was really charged for the treatments
done against the cost of the stock they really consumed (what it did leave). Permissions and
the report shape are those of inventory_reports_common."""

from __future__ import annotations

import uuid
from collections import defaultdict
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from sqlalchemy import and_, func, or_, select

from clinic_desktop.actor import Actor
from clinic_desktop.db.uow import UnitOfWork
from clinic_desktop.i18n import _, ngettext
from clinic_desktop.models.inventory import Product
from clinic_desktop.models.stock import MovementSource, StockMovement
from clinic_desktop.models.treatment import (
    AppointmentTreatment,
    RecipeItem,
    StockUsage,
    Treatment,
    TreatmentStatus,
)
from clinic_desktop.models.types import MONEY, QUANTITY
from clinic_desktop.services.inventory_reports_common import (
    ReportKey,
    category_filter,
    period_bounds,
    require_cost_access,
)
from clinic_desktop.services.report_common import Frame, build_report, frame_of
from clinic_desktop.services.report_table import (
    Cell,
    CellKind,
    ReportColumn,
    ReportRow,
    RowRole,
    TabularReport,
    fraction,
    period_text,
    to_cents,
)
from clinic_desktop.services.stock_ledger import raw

ZERO = Decimal(0)
NOT_DONE: tuple[int, Decimal] = (0, ZERO)


# -- the report --------------------------------------------------------------------------------


def report_treatment_margins(
    uow: UnitOfWork,
    *,
    actor: Actor,
    date_from: date | None = None,
    date_to: date | None = None,
    category: str | None = None,
) -> TabularReport:
    """Each active treatment's price against its recipe at today's product costs; with a
    period, also how often it was done and the margin really made. `category` is the
    treatments' category."""
    with_period = date_from is not None and date_to is not None
    with uow.transaction(actor) as session:
        require_cost_access(session, actor)
        frame = frame_of(session)
        done: dict[uuid.UUID, tuple[int, Decimal]] = {}
        used: dict[uuid.UUID, Decimal] = defaultdict(Decimal)
        if date_from is not None and date_to is not None:
            start, end = period_bounds(frame, date_from, date_to)
            performed = [
                AppointmentTreatment.status == TreatmentStatus.DONE.value,
                AppointmentTreatment.done_at >= start,
                AppointmentTreatment.done_at < end,
                AppointmentTreatment.deleted_at.is_(None),
            ]
            for treatment_id, count, revenue_raw in session.execute(
                select(
                    AppointmentTreatment.treatment_id,
                    func.sum(AppointmentTreatment.quantity),
                    func.sum(raw(AppointmentTreatment.price) * AppointmentTreatment.quantity),
                )
                .where(*performed)
                .group_by(AppointmentTreatment.treatment_id)
            ):
                done[treatment_id] = (int(count or 0), MONEY.from_raw(revenue_raw))
            for treatment_id, unit_cost, net in session.execute(
                select(
                    AppointmentTreatment.treatment_id,
                    StockMovement.unit_cost,
                    func.sum(raw(StockMovement.quantity)),
                )
                .select_from(StockMovement)
                .join(
                    StockUsage,
                    and_(
                        StockMovement.source == MovementSource.USAGE.value,
                        StockUsage.id == StockMovement.source_id,
                    ),
                )
                .join(
                    AppointmentTreatment,
                    AppointmentTreatment.id == StockUsage.appointment_treatment_id,
                )
                .where(*performed)
                .group_by(AppointmentTreatment.treatment_id, StockMovement.unit_cost)
            ):
                used[treatment_id] += -QUANTITY.from_raw(net) * unit_cost
        treatments = session.execute(
            select(
                Treatment.id,
                Treatment.code,
                Treatment.name,
                Treatment.category,
                Treatment.price,
                Treatment.active,
            )
            .where(
                Treatment.deleted_at.is_(None),
                or_(Treatment.active.is_(True), Treatment.id.in_(list(done))),
                *([Treatment.category == category] if category else []),
            )
            .order_by(Treatment.name, Treatment.code)
        ).all()
        recipe_cost: dict[uuid.UUID, Decimal] = defaultdict(Decimal)
        for treatment_id, qty, cost in session.execute(
            select(RecipeItem.treatment_id, RecipeItem.quantity, Product.cost)
            .join(Product, Product.id == RecipeItem.product_id)
            .where(RecipeItem.deleted_at.is_(None))
        ):
            recipe_cost[treatment_id] += qty * cost
    rows: list[ReportRow] = []
    totals = _Totals()
    for treatment_id, code, name, group, price, active in treatments:
        cost = to_cents(recipe_cost.get(treatment_id, ZERO))
        margin = price - cost
        cells: tuple[Cell, ...] = (
            code,
            name if active else _("{name} (inactive)").format(name=name),
            group,
            price,
            cost,
            margin,
            fraction(margin, price),
        )
        if with_period:
            times, revenue = done.get(treatment_id, NOT_DONE)
            usage = to_cents(used.get(treatment_id, ZERO))
            cells += (times, revenue, usage, revenue - usage, fraction(revenue - usage, revenue))
            totals.add(times, revenue, usage)
        rows.append(ReportRow(cells))
    return _margins_report(frame, rows, totals, date_from, date_to, category)


@dataclass
class _Totals:
    times: int = 0
    revenue: Decimal = ZERO
    usage: Decimal = ZERO

    def add(self, times: int, revenue: Decimal, usage: Decimal) -> None:
        self.times += times
        self.revenue += revenue
        self.usage += usage


def _margins_report(
    frame: Frame,
    rows: list[ReportRow],
    sums: _Totals,
    date_from: date | None,
    date_to: date | None,
    category: str | None,
) -> TabularReport:
    columns = [
        ReportColumn("code", _("Code"), weight=0.8),
        ReportColumn("treatment", _("Treatment"), weight=2.2),
        ReportColumn("category", _("Category"), weight=1.1),
        ReportColumn("price", _("Price"), CellKind.MONEY, weight=0.9),
        ReportColumn("recipe_cost", _("Recipe cost"), CellKind.MONEY, weight=0.9),
        ReportColumn("margin", _("Margin"), CellKind.MONEY, weight=0.9),
        ReportColumn("margin_pct", _("Margin %"), CellKind.PERCENT, weight=0.8),
    ]
    label = ngettext("{count} treatment", "{count} treatments", len(rows)).format(count=len(rows))
    total: tuple[Cell, ...] = (label, "", "", None, None, None, None)
    basis = _(
        "Recipe cost = each product of the treatment's recipe × its quantity × the product's "
        "current unit cost, rounded to the cent. Margin = price − recipe cost; margin % = "
        "margin ÷ price."
    )
    period = _("Catalogue at today's costs")
    if date_from is not None and date_to is not None:
        columns += [
            ReportColumn("performed", _("Performed"), CellKind.COUNT, weight=0.8),
            ReportColumn("revenue", _("Revenue"), CellKind.MONEY, weight=0.9),
            ReportColumn("usage_cost", _("Usage cost"), CellKind.MONEY, weight=0.9),
            ReportColumn("realised", _("Realised margin"), CellKind.MONEY, weight=0.9),
            ReportColumn("realised_pct", _("Realised %"), CellKind.PERCENT, weight=0.8),
        ]
        realised = sums.revenue - sums.usage
        total += (sums.times, sums.revenue, sums.usage, realised, fraction(realised, sums.revenue))
        basis += " " + _(
            "For the period: Performed counts the treatments marked done in it; Revenue adds "
            "the price each was recorded at × its quantity; Usage cost is the cost of the "
            "stock they actually consumed (net of any undo); Realised margin = revenue − "
            "usage cost. Inactive treatments appear only if performed in the period."
        )
        period = period_text(date_from, date_to)
    return build_report(
        frame,
        ReportKey.MARGINS,
        title=_("Treatment margins"),
        period=period,
        basis=basis,
        columns=columns,
        rows=rows,
        totals=[ReportRow(total, RowRole.TOTAL)],
        filters=category_filter(category),
        empty_text=_("The catalogue has no active treatments."),
    )
