"""What the inventory reports share: who may see them (every one shows purchase costs, which
are the clinic's commercial information, so they need inventory.manage, held by the people
who buy and count the stock, or reports.finance, held by whoever the owner gives the figures
to; stock levels without costs stay visible to everyone in the products list), the period
as UTC instants, the labels of movement kinds and sources, and the choices the report
screen offers in its filters. The clinic's frame and the assembly of a TabularReport are
report_common's, shared with the financial reports."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from enum import StrEnum

from sqlalchemy import select
from sqlalchemy.orm import Session

from clinic_desktop.actor import Actor
from clinic_desktop.db.uow import UnitOfWork
from clinic_desktop.errors import PermissionDenied
from clinic_desktop.i18n import N_, _
from clinic_desktop.models.inventory import Product
from clinic_desktop.models.permissions import Permission
from clinic_desktop.models.stock import MovementKind, MovementSource
from clinic_desktop.models.treatment import Treatment
from clinic_desktop.models.user import User
from clinic_desktop.services.access import permission_label, permissions_of
from clinic_desktop.services.clinic_days import check_period

# Frame, frame_of and start_of_day moved to report_common (shared with the financial reports);
# named here too for the modules that still import them from this one (the dashboard).
from clinic_desktop.services.report_common import Frame as Frame
from clinic_desktop.services.report_common import frame_of as frame_of
from clinic_desktop.services.report_common import start_of_day as start_of_day

COST_PERMISSIONS = (Permission.INVENTORY_MANAGE, Permission.REPORTS_FINANCE)


class ReportKey(StrEnum):
    VALUATION = "valuation"
    MOVEMENTS = "movements"
    CONSUMPTION = "consumption"
    VARIANCE = "variance"
    MARGINS = "margins"


KIND_LABELS: dict[str, str] = {
    MovementKind.RECEIPT: N_("Receipt"),
    MovementKind.CONSUMPTION: N_("Consumption"),
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
    MovementSource.IMPORT: N_("Import"),
    MovementSource.MANUAL: N_("Manual"),
}


def kind_label(kind: str) -> str:
    return _(KIND_LABELS[kind]) if kind in KIND_LABELS else kind


@dataclass(frozen=True)
class ProductChoice:
    id: uuid.UUID
    code: str
    name: str
    category: str
    active: bool


@dataclass(frozen=True)
class ReportChoices:
    """What the report screen offers in its filters, and whether this user may run them."""

    categories: tuple[str, ...]  # of products
    treatment_categories: tuple[str, ...]
    products: tuple[ProductChoice, ...]
    kinds: tuple[tuple[str, str], ...]  # (kind, translated label)
    today: date  # the clinic's today, for the default period
    allowed: bool


# -- shared by the reports ------------------------------------------------------------------


def may_see_costs(session: Session, actor: Actor) -> bool:
    if actor.is_system:
        return True
    user = session.get(User, actor.user_id) if actor.user_id else None
    if user is None or user.disabled or user.is_deleted:
        return False
    return bool(permissions_of(session, user.id) & set(COST_PERMISSIONS))


def require_cost_access(session: Session, actor: Actor) -> None:
    """Either permission will do (see the module's docstring for why costs are guarded)."""
    if actor.is_system:
        return
    user = session.get(User, actor.user_id) if actor.user_id else None
    if user is None or user.disabled or user.is_deleted:
        raise PermissionDenied(_("Your account is not active. Sign in again."))
    if not may_see_costs(session, actor):
        raise PermissionDenied(
            _(
                "Your role does not allow this report: it shows costs (needs: {one} or {other})."
            ).format(
                one=permission_label(Permission.INVENTORY_MANAGE),
                other=permission_label(Permission.REPORTS_FINANCE),
            )
        )


def period_bounds(frame: Frame, date_from: date, date_to: date) -> tuple[datetime, datetime]:
    """The UTC instants from the start of `date_from` to the end of `date_to` on the clinic's
    calendar (both days whole)."""
    check_period(date_from, date_to)
    return start_of_day(frame, date_from), start_of_day(frame, date_to + timedelta(days=1))


def category_filter(category: str | None) -> list[str]:
    return [_("Category: {category}").format(category=category)] if category else []


def report_choices(uow: UnitOfWork, *, actor: Actor) -> ReportChoices:
    """The filters' choices; any signed-in user may ask (the reports themselves check)."""
    with uow.transaction(actor) as session:
        products = session.execute(
            select(Product.id, Product.code, Product.name, Product.category, Product.active)
            .where(Product.deleted_at.is_(None))
            .order_by(Product.name, Product.code)
        ).all()
        treatment_categories = session.scalars(
            select(Treatment.category)
            .where(Treatment.deleted_at.is_(None), Treatment.category != "")
            .distinct()
        ).all()
        frame = frame_of(session)
        return ReportChoices(
            categories=tuple(sorted({p.category for p in products if p.category}, key=str.lower)),
            treatment_categories=tuple(sorted(treatment_categories, key=str.lower)),
            products=tuple(ProductChoice(*p) for p in products),
            kinds=tuple((kind.value, kind_label(kind)) for kind in MovementKind),
            today=frame.today,
            allowed=may_see_costs(session, actor),
        )
