"""Before completing an appointment's work: the usage lines the completion will write (each
planned treatment's recipe times its quantity, then the noted extras), with the stock usable
today and a warning on every product the lines together need more of than there is. The
same lines are the starting point of the completion itself (services.appointment_completion)."""

from __future__ import annotations

import uuid
from collections import defaultdict
from dataclasses import dataclass
from decimal import Decimal

from sqlalchemy import select
from sqlalchemy.orm import Session

from clinic_desktop.actor import Actor
from clinic_desktop.db.uow import UnitOfWork
from clinic_desktop.formatting import quantity as quantity_text
from clinic_desktop.i18n import _
from clinic_desktop.models.inventory import Product
from clinic_desktop.models.treatment import (
    AppointmentTreatment,
    RecipeItem,
    StockUsage,
    Treatment,
    TreatmentStatus,
)
from clinic_desktop.models.types import QUANTITY
from clinic_desktop.services import stock_ledger as ledger
from clinic_desktop.services.access import require_any
from clinic_desktop.services.appointment_work import (
    RECORD,
    live_usages,
    load_appointment,
    pending_extras,
    treatment_rows,
    type_treatment,
)
from clinic_desktop.services.clinical_history import clinic_today
from clinic_desktop.services.stock_check import usable_lots

ZERO = Decimal(0)


@dataclass(frozen=True)
class PreviewLineDTO:
    """One usage line the completion will write, with its default actual quantity."""

    appointment_treatment_id: uuid.UUID | None
    treatment_id: uuid.UUID | None  # None: an extra
    treatment_name: str
    product_id: uuid.UUID
    product_code: str
    product_name: str
    unit: str
    recipe_quantity: Decimal
    actual_quantity: Decimal
    on_hand: Decimal  # usable today
    short: bool  # all lines of this product together need more than is usable
    warning: str

    @property
    def is_extra(self) -> bool:
        return self.treatment_id is None


@dataclass(frozen=True)
class CompletionPreviewDTO:
    appointment_id: uuid.UUID
    lines: tuple[PreviewLineDTO, ...]
    allow_negative: bool

    @property
    def warnings(self) -> tuple[str, ...]:
        return tuple(dict.fromkeys(line.warning for line in self.lines if line.warning))


@dataclass(frozen=True)
class PlannedLine:
    """A usage line to write: which treatment row (None for an extra), the product and the
    recipe and default actual quantities."""

    row: AppointmentTreatment | None
    treatment: Treatment | None
    product: Product
    recipe_quantity: Decimal
    actual_quantity: Decimal
    usage: StockUsage | None = None  # the pending extra it comes from


def planned_lines(
    session: Session,
    planned: list[AppointmentTreatment],
    treatments: dict[uuid.UUID, Treatment],
    extras: list[StockUsage],
) -> list[PlannedLine]:
    """Recipe quantity × treatment quantity per product of each planned treatment, then the
    pending extras; products and recipes read in two queries whatever their number."""
    recipe: dict[uuid.UUID, list[tuple[RecipeItem, Product]]] = defaultdict(list)
    ids = {r.treatment_id for r in planned}
    if ids:
        rows = session.execute(
            select(RecipeItem, Product)
            .join(Product, Product.id == RecipeItem.product_id)
            .where(RecipeItem.treatment_id.in_(ids), RecipeItem.deleted_at.is_(None))
            .order_by(Product.name, Product.code)
        )
        for item, product in rows:
            recipe[item.treatment_id].append((item, product))
    lines = []
    for row in planned:
        for item, product in recipe[row.treatment_id]:
            amount = item.quantity * row.quantity
            lines.append(PlannedLine(row, treatments[row.treatment_id], product, amount, amount))
    extra_products = (
        {
            p.id: p
            for p in session.scalars(
                select(Product).where(Product.id.in_({u.product_id for u in extras}))
            )
        }
        if extras
        else {}
    )
    for usage in extras:
        product = extra_products[usage.product_id]
        lines.append(PlannedLine(None, None, product, ZERO, usage.actual_quantity, usage))
    return lines


def preview_completion(
    uow: UnitOfWork, *, actor: Actor, appointment_id: uuid.UUID
) -> CompletionPreviewDTO:
    """The usage lines completing would write, with the stock usable today and a warning on
    every product the lines together need more of than there is."""
    with uow.transaction(actor) as session:
        require_any(session, actor, RECORD)
        appointment = load_appointment(session, appointment_id)
        rows = treatment_rows(session, appointment.id)
        planned = [r for r in rows if not r.is_deleted and r.status == TreatmentStatus.PLANNED]
        treatments = {
            t.id: t
            for t in session.scalars(
                select(Treatment).where(Treatment.id.in_({r.treatment_id for r in planned}))
            )
        }
        implied = type_treatment(session, appointment) if not rows else None
        if implied is not None:
            # Not written here (a preview changes nothing): an unsaved row stands in for it.
            planned = [AppointmentTreatment(treatment_id=implied.id, quantity=1)]
            treatments[implied.id] = implied
        extras = pending_extras(live_usages(session, appointment.id))
        lines = planned_lines(session, planned, treatments, extras)
        usable = usable_lots(session, {line.product.id for line in lines}, clinic_today(session))
        negative = ledger.allows_negative(session)
        wanted: dict[uuid.UUID, Decimal] = defaultdict(Decimal)
        for line in lines:
            wanted[line.product.id] += line.actual_quantity
        result = []
        for line in lines:
            debt, lots = usable[line.product.id]
            on_hand = QUANTITY.from_raw(debt + sum(q for _e, q in lots))
            short = wanted[line.product.id] > on_hand
            result.append(
                PreviewLineDTO(
                    appointment_treatment_id=line.row.id if line.row is not None else None,
                    treatment_id=line.treatment.id if line.treatment else None,
                    treatment_name=line.treatment.name if line.treatment else "",
                    product_id=line.product.id,
                    product_code=line.product.code,
                    product_name=line.product.name,
                    unit=line.product.unit,
                    recipe_quantity=line.recipe_quantity,
                    actual_quantity=line.actual_quantity,
                    on_hand=on_hand,
                    short=short,
                    warning=short_warning(line.product, wanted[line.product.id], on_hand, negative)
                    if short
                    else "",
                )
            )
        return CompletionPreviewDTO(appointment.id, tuple(result), negative)


def short_warning(product: Product, needed: Decimal, on_hand: Decimal, negative: bool) -> str:
    values = {
        "product": product.name,
        "needed": quantity_text(needed),
        "available": quantity_text(max(on_hand, ZERO)),
        "unit": product.unit,
    }
    if negative:
        return _(
            "{product}: {needed} {unit} needed, {available} in stock; the stock will go below zero."
        ).format(**values)
    return _(
        "{product}: {needed} {unit} needed, only {available} in stock; lower the quantity or "
        "receive stock first."
    ).format(**values)
