"""What the inventory reports share: who may see them (every one shows purchase costs, which
are the clinic's commercial information, so they need inventory.manage, held by the people
who buy and count the stock, or reports.finance, held by whoever the owner gives the figures
to; stock levels without costs stay visible to everyone in the products list), the clinic's
zone, money and today, the period as UTC instants, the labels of movement kinds and sources,
the assembly of a TabularReport, and the choices the report screen offers in its filters."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from enum import StrEnum
from zoneinfo import ZoneInfo

from sqlalchemy import select
from sqlalchemy.orm import Session

from clinic_desktop.actor import Actor
from clinic_desktop.db.uow import UnitOfWork
from clinic_desktop.errors import PermissionDenied, ValidationError
from clinic_desktop.i18n import N_, _
from clinic_desktop.models.base import utcnow
from clinic_desktop.models.clinic import Clinic
from clinic_desktop.models.inventory import Product
from clinic_desktop.models.permissions import Permission
from clinic_desktop.models.stock import MovementKind, MovementSource
from clinic_desktop.models.treatment import Treatment
from clinic_desktop.models.user import User
from clinic_desktop.services.access import permission_label, permissions_of
from clinic_desktop.services.agenda_rules import clinic_zone
from clinic_desktop.services.report_table import ReportColumn, ReportRow, TabularReport

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


@dataclass(frozen=True)
class Frame:
    """The clinic's zone, money and today, read once per report."""

    zone: ZoneInfo
    currency: str
    today: date
    generated_at: datetime


def frame_of(session: Session) -> Frame:
    zone = clinic_zone(session)
    currency = session.scalar(select(Clinic.currency).where(Clinic.deleted_at.is_(None)).limit(1))
    now = utcnow()
    return Frame(zone, currency or "USD", now.astimezone(zone).date(), now)


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
    if date_to < date_from:
        raise ValidationError(
            _("To: the end of the period cannot be before its start."), field="date_to"
        )
    return start_of_day(frame, date_from), start_of_day(frame, date_to + timedelta(days=1))


def start_of_day(frame: Frame, day: date) -> datetime:
    return datetime.combine(day, time.min, tzinfo=frame.zone).astimezone(UTC)


def build_report(
    frame: Frame,
    key: ReportKey,
    *,
    title: str,
    period: str,
    basis: str,
    columns: list[ReportColumn],
    rows: list[ReportRow],
    totals: list[ReportRow],
    filters: list[str] | None = None,
    group_column: int | None = None,
    empty_text: str = "",
) -> TabularReport:
    return TabularReport(
        key=key.value,
        title=title,
        period=period,
        filters=tuple(filters or ()),
        basis=basis,
        columns=tuple(columns),
        rows=tuple(rows),
        totals=tuple(totals),
        currency=frame.currency,
        zone=frame.zone.key,
        generated_at=frame.generated_at,
        group_column=group_column,
        empty_text=empty_text,
    )


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
