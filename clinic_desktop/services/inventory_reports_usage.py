"""The inventory reports about what treatments use: consumption of a period by treatment or by
practitioner, the variance between what the recipes say and what was actually used, and each
treatment's margin (price against its recipe at today's costs, and, for a period, what was
really charged against what was really used). Consumption comes from the ledger's consumption
movements, net of any later undo, attributed through the usage line that caused them to the
appointment's treatment and practitioner; costs are those the movements were recorded at, so
a report of last month does not change when a product's price does. Permissions and the
report shape are those of inventory_reports_common."""

from __future__ import annotations

import uuid
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from sqlalchemy import and_, case, func, select
from sqlalchemy.orm import Session, aliased

from clinic_desktop.actor import Actor
from clinic_desktop.db.uow import UnitOfWork
from clinic_desktop.errors import ValidationError
from clinic_desktop.i18n import _
from clinic_desktop.models.appointment import Appointment
from clinic_desktop.models.inventory import Product
from clinic_desktop.models.schedule import Practitioner
from clinic_desktop.models.stock import MovementKind, MovementSource, StockMovement
from clinic_desktop.models.treatment import (
    AppointmentTreatment,
    StockUsage,
    Treatment,
)
from clinic_desktop.models.types import QUANTITY
from clinic_desktop.services.inventory_reports_common import (
    ReportKey,
    category_filter,
    period_bounds,
    require_cost_access,
)
from clinic_desktop.services.report_common import build_report, frame_of
from clinic_desktop.services.report_table import (
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
BY_TREATMENT = "treatment"
BY_PRACTITIONER = "practitioner"
# Group keys for consumption that no treatment or appointment explains.
EXTRA = "extra"
UNLINKED = "none"


@dataclass
class _Part:
    """One product's share of a group, added up over movements or usage lines."""

    qty: Decimal = ZERO
    cost: Decimal = ZERO
    recipe: Decimal = ZERO
    uses: int = 0


@dataclass
class _Group:
    key: str
    label: str
    parts: dict[uuid.UUID, _Part] = field(default_factory=lambda: defaultdict(_Part))


def _products(session: Session, ids: set[uuid.UUID]) -> dict[uuid.UUID, tuple[str, str, str]]:
    if not ids:
        return {}
    rows = session.execute(
        select(Product.id, Product.code, Product.name, Product.unit).where(Product.id.in_(ids))
    )
    return {pid: (code, name, unit) for pid, code, name, unit in rows}


def _group_order(group: _Group, total: Decimal) -> tuple[int, Decimal, str]:
    # Real treatments or practitioners first, the costliest first; then extras, then the rest.
    rank = {EXTRA: 1, UNLINKED: 2}.get(group.key, 0)
    return rank, -total, group.label.lower()


# -- consumption ----------------------------------------------------------------------------


def report_consumption(
    uow: UnitOfWork,
    *,
    actor: Actor,
    date_from: date,
    date_to: date,
    by: str = BY_TREATMENT,
    category: str | None = None,
) -> TabularReport:
    """What was consumed in the period, per treatment or per practitioner, product by product."""
    if by not in (BY_TREATMENT, BY_PRACTITIONER):
        raise ValidationError(_("Group by: choose treatment or practitioner."), field="by")
    with uow.transaction(actor) as session:
        require_cost_access(session, actor)
        frame = frame_of(session)
        start, end = period_bounds(frame, date_from, date_to)
        taken = aliased(StockMovement, name="taken")
        undone = (
            select(
                StockMovement.reverses_id.label("reversed_id"),
                func.sum(raw(StockMovement.quantity)).label("back"),
            )
            .where(
                StockMovement.kind == MovementKind.REVERSAL.value,
                StockMovement.reverses_id.is_not(None),
            )
            .group_by(StockMovement.reverses_id)
            .subquery()
        )
        if by == BY_TREATMENT:
            link = case(
                (StockUsage.id.is_(None), UNLINKED),
                (StockUsage.appointment_treatment_id.is_(None), EXTRA),
                else_="",
            )
            owner = AppointmentTreatment.treatment_id
        else:
            link = case((StockUsage.id.is_(None), UNLINKED), else_="")
            owner = Appointment.practitioner_id
        query = (
            select(
                link.label("link"),
                owner.label("owner"),
                taken.product_id,
                taken.unit_cost,
                func.sum(raw(taken.quantity) + func.coalesce(undone.c.back, 0)).label("net"),
            )
            .select_from(taken)
            .join(Product, Product.id == taken.product_id)
            .outerjoin(undone, undone.c.reversed_id == taken.id)
            .outerjoin(
                StockUsage,
                and_(taken.source == MovementSource.USAGE.value, StockUsage.id == taken.source_id),
            )
            .outerjoin(
                AppointmentTreatment,
                AppointmentTreatment.id == StockUsage.appointment_treatment_id,
            )
            .outerjoin(Appointment, Appointment.id == StockUsage.appointment_id)
            .where(
                taken.kind == MovementKind.CONSUMPTION.value,
                taken.occurred_at >= start,
                taken.occurred_at < end,
            )
            .group_by(link, owner, taken.product_id, taken.unit_cost)
        )
        if category:
            query = query.where(Product.category == category)
        groups: dict[str, _Group] = {}
        owners: set[uuid.UUID] = set()
        for link_key, owner_id, product_id, unit_cost, net in session.execute(query):
            qty = -QUANTITY.from_raw(net)
            if qty == ZERO:
                continue  # undone entirely
            key = link_key or str(owner_id)
            if not link_key and owner_id is not None:
                owners.add(owner_id)
            group = groups.setdefault(key, _Group(key, ""))
            part = group.parts[product_id]
            part.qty += qty
            part.cost += qty * unit_cost
        labels = _owner_labels(session, by, owners)
        products = _products(session, {p for g in groups.values() for p in g.parts})
    for group in groups.values():
        group.label = labels.get(group.key, "")
    rows, total = _grouped_rows(groups, products)
    if by == BY_TREATMENT:
        title, header = _("Consumption by treatment"), _("Treatment")
    else:
        title, header = _("Consumption by practitioner"), _("Practitioner")
    return build_report(
        frame,
        ReportKey.CONSUMPTION,
        title=title,
        period=period_text(date_from, date_to),
        basis=_(
            "Consumption movements of the period (the products used in appointments, and "
            "any recorded by hand), less those later undone, which count on the day of the "
            "original. Cost = quantity × the unit cost of the lot it was taken from, rounded "
            "to the cent per product; each group adds its rounded rows. A treatment's or "
            "practitioner's share is its cost over the total."
        ),
        columns=[
            ReportColumn("group", header, weight=2.0),
            ReportColumn("code", _("Code"), weight=0.9),
            ReportColumn("product", _("Product"), weight=2.4),
            ReportColumn("unit", _("Unit"), weight=0.7),
            ReportColumn("quantity", _("Quantity"), CellKind.QUANTITY, weight=0.9),
            ReportColumn("cost", _("Cost"), CellKind.MONEY),
            ReportColumn("share", _("Share"), CellKind.PERCENT, weight=0.7),
        ],
        rows=rows,
        totals=[
            ReportRow(
                (_("Total consumed"), "", "", "", None, total, fraction(total, total)),
                RowRole.TOTAL,
            )
        ],
        filters=category_filter(category),
        group_column=0,
        empty_text=_("Nothing was consumed in this period."),
    )


def _owner_labels(session: Session, by: str, owners: set[uuid.UUID]) -> dict[str, str]:
    labels = {UNLINKED: _("Not linked to an appointment")}
    if by == BY_TREATMENT:
        labels[EXTRA] = _("Extra products (no treatment)")
        rows = session.execute(select(Treatment.id, Treatment.name).where(Treatment.id.in_(owners)))
    else:
        rows = session.execute(
            select(Practitioner.id, Practitioner.display_name).where(Practitioner.id.in_(owners))
        )
    labels.update({str(owner_id): name for owner_id, name in rows})
    return labels


def _grouped_rows(
    groups: dict[str, _Group], products: dict[uuid.UUID, tuple[str, str, str]]
) -> tuple[list[ReportRow], Decimal]:
    subtotals = {
        key: sum((to_cents(p.cost) for p in g.parts.values()), ZERO) for key, g in groups.items()
    }
    total = sum(subtotals.values(), ZERO)
    rows: list[ReportRow] = []
    for group in sorted(groups.values(), key=lambda g: _group_order(g, subtotals[g.key])):
        subtotal = subtotals[group.key]
        rows.append(
            ReportRow(
                (group.label, "", "", "", None, subtotal, fraction(subtotal, total)),
                RowRole.GROUP,
            )
        )
        ordered = sorted(
            group.parts.items(), key=lambda kv: (-kv[1].cost, products[kv[0]][1].lower())
        )
        for product_id, part in ordered:
            code, name, unit = products[product_id]
            cost = to_cents(part.cost)
            rows.append(
                ReportRow(
                    (group.label, code, name, unit, part.qty, cost, fraction(cost, total)),
                    RowRole.DETAIL,
                )
            )
    return rows, total


# -- recipe vs actual -----------------------------------------------------------------------


def report_recipe_variance(
    uow: UnitOfWork,
    *,
    actor: Actor,
    date_from: date,
    date_to: date,
    category: str | None = None,
) -> TabularReport:
    """Per treatment and product: what the recipes said, what was used, and what the
    difference cost."""
    with uow.transaction(actor) as session:
        require_cost_access(session, actor)
        frame = frame_of(session)
        start, end = period_bounds(frame, date_from, date_to)
        conditions = [
            StockUsage.consumed_at >= start,
            StockUsage.consumed_at < end,
            StockUsage.reversed_at.is_(None),
            StockUsage.deleted_at.is_(None),
        ]
        if category:
            conditions.append(Product.category == category)
        usages = session.execute(
            select(
                StockUsage.id,
                AppointmentTreatment.treatment_id,
                StockUsage.product_id,
                StockUsage.recipe_quantity,
                StockUsage.actual_quantity,
                Product.cost,
            )
            .join(Product, Product.id == StockUsage.product_id)
            .outerjoin(
                AppointmentTreatment,
                AppointmentTreatment.id == StockUsage.appointment_treatment_id,
            )
            .where(*conditions)
        ).all()
        usage_ids = (
            select(StockUsage.id)
            .join(Product, Product.id == StockUsage.product_id)
            .where(*conditions)
        )
        costs: dict[uuid.UUID, Decimal] = defaultdict(Decimal)
        for source_id, unit_cost, net in session.execute(
            select(
                StockMovement.source_id,
                StockMovement.unit_cost,
                func.sum(raw(StockMovement.quantity)),
            )
            .where(
                StockMovement.source == MovementSource.USAGE.value,
                StockMovement.source_id.in_(usage_ids),
            )
            .group_by(StockMovement.source_id, StockMovement.unit_cost)
        ):
            if source_id is not None:
                costs[source_id] += -QUANTITY.from_raw(net) * unit_cost
        groups: dict[str, _Group] = {}
        current_cost: dict[uuid.UUID, Decimal] = {}
        treatments: set[uuid.UUID] = set()
        for usage_id, treatment_id, product_id, recipe, actual, product_cost in usages:
            key = str(treatment_id) if treatment_id else EXTRA
            if treatment_id:
                treatments.add(treatment_id)
            part = groups.setdefault(key, _Group(key, "")).parts[product_id]
            part.uses += 1
            part.recipe += recipe
            part.qty += actual
            part.cost += costs.get(usage_id, ZERO)
            current_cost[product_id] = product_cost
        labels = _owner_labels(session, BY_TREATMENT, treatments)
        products = _products(session, {p for g in groups.values() for p in g.parts})
    for group in groups.values():
        group.label = labels.get(group.key, "")
    rows, over, under = _variance_rows(groups, products, current_cost)
    return build_report(
        frame,
        ReportKey.VARIANCE,
        title=_("Recipe vs actual"),
        period=period_text(date_from, date_to),
        basis=_(
            "The products used in treatments completed in the period (undone ones left "
            "out): Recipe is what the treatment's recipe said, Actual what was recorded as "
            "used. Difference = actual − recipe (positive: more was used), % = difference ÷ "
            "recipe. Cost of the difference = difference × the average cost of what was "
            "actually taken (the product's current cost when nothing was taken), rounded to "
            "the cent. Extra products have no recipe, so all of their use is difference."
        ),
        columns=[
            ReportColumn("treatment", _("Treatment"), weight=1.9),
            ReportColumn("code", _("Code"), weight=0.8),
            ReportColumn("product", _("Product"), weight=2.1),
            ReportColumn("unit", _("Unit"), weight=0.6),
            ReportColumn("uses", _("Uses"), CellKind.COUNT, weight=0.6),
            ReportColumn("recipe", _("Recipe"), CellKind.QUANTITY, weight=0.8),
            ReportColumn("actual", _("Actual"), CellKind.QUANTITY, weight=0.8),
            ReportColumn("difference", _("Difference"), CellKind.QUANTITY, weight=0.9),
            ReportColumn("difference_pct", _("Difference %"), CellKind.PERCENT, weight=0.9),
            ReportColumn("difference_cost", _("Cost of difference"), CellKind.MONEY),
        ],
        rows=rows,
        totals=[
            _variance_total(_("Used over the recipe"), over),
            _variance_total(_("Used under the recipe"), under),
            _variance_total(_("Net cost of the difference"), over + under),
        ],
        filters=category_filter(category),
        group_column=0,
        empty_text=_("No treatment was completed with stock in this period."),
    )


def _variance_total(label: str, amount: Decimal) -> ReportRow:
    return ReportRow((label, "", "", "", None, None, None, None, None, amount), RowRole.TOTAL)


def _variance_rows(
    groups: dict[str, _Group],
    products: dict[uuid.UUID, tuple[str, str, str]],
    current_cost: dict[uuid.UUID, Decimal],
) -> tuple[list[ReportRow], Decimal, Decimal]:
    over = under = ZERO
    rows: list[ReportRow] = []
    ordered = sorted(groups.values(), key=lambda g: ({EXTRA: 1}.get(g.key, 0), g.label.lower()))
    for group in ordered:
        details: list[ReportRow] = []
        uses = 0
        subtotal = ZERO
        for product_id, part in sorted(group.parts.items(), key=lambda kv: products[kv[0]][1]):
            code, name, unit = products[product_id]
            average = part.cost / part.qty if part.qty else current_cost[product_id]
            difference = part.qty - part.recipe
            cost = to_cents(difference * average)
            if cost > ZERO:
                over += cost
            else:
                under += cost
            subtotal += cost
            uses += part.uses
            details.append(
                ReportRow(
                    (
                        group.label,
                        code,
                        name,
                        unit,
                        part.uses,
                        part.recipe,
                        part.qty,
                        difference,
                        fraction(difference, part.recipe),
                        cost,
                    ),
                    RowRole.DETAIL,
                )
            )
        rows.append(
            ReportRow(
                (group.label, "", "", "", None, None, None, None, None, subtotal), RowRole.GROUP
            )
        )
        rows.extend(details)
    return rows, over, under
