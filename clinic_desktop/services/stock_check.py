"""Will there be enough? Two questions answered from the ledger's cache and the agenda:
whether the stock that may be used today (lots not expired) covers a treatment done N times,
and the forecast: the treatments booked over the next days multiplied by their recipes, walked
appointment by appointment in time order against each product's lots, giving the first
appointment at which a product runs out. A lot that expires before an appointment does not
count for it, so a box expiring next week shows up as a stock-out the week after.

An appointment counts with its planned treatments, or, while it has none recorded, with the
usual treatment of its type (the agenda books the type; the treatment row appears when someone
records the work). Everything is read with a handful of set-based queries, in time order off
the appointments' start index, and the walk runs on integers (thousandths) and the stored UTC
text of the times, so ten thousand booked appointments take a fraction of a second."""

from __future__ import annotations

import uuid
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from decimal import Decimal
from heapq import merge
from operator import itemgetter
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import (
    ColumnElement,
    Select,
    String,
    and_,
    exists,
    func,
    select,
    type_coerce,
)
from sqlalchemy.orm import Session

from clinic_desktop.actor import Actor
from clinic_desktop.db.uow import UnitOfWork
from clinic_desktop.errors import ValidationError
from clinic_desktop.i18n import _
from clinic_desktop.models.appointment import Appointment, AppointmentStatus
from clinic_desktop.models.base import utcnow
from clinic_desktop.models.inventory import Product
from clinic_desktop.models.schedule import AppointmentType
from clinic_desktop.models.stock import StockBalance, StockLot
from clinic_desktop.models.treatment import (
    AppointmentTreatment,
    RecipeItem,
    Treatment,
    TreatmentStatus,
)
from clinic_desktop.models.types import QUANTITY
from clinic_desktop.services.agenda_rules import clinic_zone
from clinic_desktop.services.clinical_history import clinic_today
from clinic_desktop.services.settings import read_settings
from clinic_desktop.services.stock_ledger import raw
from clinic_desktop.services.treatment_dto import load_treatment, recipes_of, require_user

# Appointments still to happen: the finished and the called-off ones consume nothing more.
PENDING_STATUSES = (
    AppointmentStatus.SCHEDULED.value,
    AppointmentStatus.CONFIRMED.value,
    AppointmentStatus.ARRIVED.value,
    AppointmentStatus.IN_CONSULTATION.value,
)
MAX_TIMES = 1000
MAX_DAYS = 365


@dataclass(frozen=True)
class StockCheckLineDTO:
    product_id: uuid.UUID
    product_code: str
    product_name: str
    unit: str
    needed: Decimal
    on_hand: Decimal  # usable today: lots not expired
    enough: bool
    product_active: bool

    @property
    def missing(self) -> Decimal:
        return max(self.needed - self.on_hand, Decimal(0))


@dataclass(frozen=True)
class TreatmentStockCheckDTO:
    treatment_id: uuid.UUID
    treatment_code: str
    treatment_name: str
    times: int
    lines: tuple[StockCheckLineDTO, ...]

    @property
    def enough(self) -> bool:
        return all(line.enough for line in self.lines)


@dataclass(frozen=True)
class ForecastLineDTO:
    product_id: uuid.UUID
    product_code: str
    product_name: str
    unit: str
    product_active: bool
    on_hand: Decimal  # usable now (lots not expired), net of any negative balance
    needed: Decimal  # by every counted appointment in the horizon
    shortfall: Decimal  # what the lots cannot supply, counting expiry on the way
    reorder_level: Decimal
    appointments: int  # counted appointments that use the product
    runs_out_at: datetime | None  # start (UTC) of the first appointment left short
    runs_out_on: date | None  # that appointment's day in the clinic's zone
    below_reorder_on: date | None  # first day the projected stock falls below reorder level

    @property
    def runs_out(self) -> bool:
        return self.runs_out_at is not None


@dataclass(frozen=True)
class ForecastDTO:
    days: int
    start: datetime  # UTC
    end: datetime  # UTC, exclusive
    appointments: int  # booked appointments in the window still to take place
    lines: tuple[ForecastLineDTO, ...]  # running out first (soonest first), then by name

    @property
    def running_out(self) -> tuple[ForecastLineDTO, ...]:
        return tuple(line for line in self.lines if line.runs_out)


# -- stock usable now --------------------------------------------------------------------


def usable_lots(
    session: Session, product_ids: Iterable[uuid.UUID], today: date
) -> dict[uuid.UUID, tuple[int, list[tuple[date | None, int]]]]:
    """Per product: (debt, [(expiry, raw quantity)...] FEFO order) of lots with stock that
    may be used from `today`; `debt` is the raw sum of negative balances (stock taken below
    zero, which the next lots will cover)."""
    ids = list(product_ids)
    found: dict[uuid.UUID, tuple[int, list[tuple[date | None, int]]]] = {}
    if not ids:
        return found
    rows = session.execute(
        select(StockBalance.product_id, StockLot.expiry_date, raw(StockBalance.quantity))
        .join(StockLot, StockLot.id == StockBalance.lot_id)
        .where(StockBalance.product_id.in_(ids), StockLot.deleted_at.is_(None))
    )
    debts: dict[uuid.UUID, int] = defaultdict(int)
    lots: dict[uuid.UUID, list[tuple[date | None, int]]] = defaultdict(list)
    for product_id, expiry, quantity in rows:
        if quantity < 0:
            debts[product_id] += quantity
        elif quantity > 0 and (expiry is None or expiry >= today):
            lots[product_id].append((expiry, quantity))
    for product_id in ids:
        ordered = sorted(lots[product_id], key=lambda lot: (lot[0] is None, lot[0] or today))
        found[product_id] = (debts[product_id], ordered)
    return found


def _usable_total(entry: tuple[int, list[tuple[date | None, int]]]) -> int:
    debt, lots = entry
    return debt + sum(quantity for _expiry, quantity in lots)


def check_treatment_stock(
    uow: UnitOfWork, *, actor: Actor, treatment_id: uuid.UUID, times: int = 1
) -> TreatmentStockCheckDTO:
    """Whether the stock usable today covers the treatment `times` times, product by product."""
    if not 1 <= times <= MAX_TIMES:
        raise ValidationError(
            _("Times: between 1 and {high}.").format(high=MAX_TIMES), field="times"
        )
    with uow.transaction(actor) as session:
        require_user(session, actor)
        treatment = load_treatment(session, treatment_id)
        recipe = recipes_of(session, [treatment.id])[treatment.id]
        usable = usable_lots(session, [i.product_id for i in recipe], clinic_today(session))
        lines = []
        for item in recipe:
            needed = item.quantity * times
            on_hand = QUANTITY.from_raw(max(_usable_total(usable[item.product_id]), 0))
            lines.append(
                StockCheckLineDTO(
                    product_id=item.product_id,
                    product_code=item.product_code,
                    product_name=item.product_name,
                    unit=item.unit,
                    needed=needed,
                    on_hand=on_hand,
                    enough=on_hand >= needed,
                    product_active=item.product_active,
                )
            )
        return TreatmentStockCheckDTO(
            treatment_id=treatment.id,
            treatment_code=treatment.code,
            treatment_name=treatment.name,
            times=times,
            lines=tuple(sorted(lines, key=lambda line: (line.enough, line.product_name))),
        )


# -- the forecast ------------------------------------------------------------------------


def _pending(start: datetime, end: datetime) -> ColumnElement[bool]:
    return and_(
        Appointment.start_at >= start,
        Appointment.start_at < end,
        Appointment.status.in_(PENDING_STATUSES),
        Appointment.deleted_at.is_(None),
    )


def _text(column: Any) -> ColumnElement[str]:
    """A column as stored: ids as their hex text and times as their sortable UTC text, so tens
    of thousands of rows skip the per-value conversion to UUID and datetime."""
    return type_coerce(column, String)


def _needs_queries(
    start: datetime, end: datetime
) -> tuple[Select[str, str, str, int], Select[str, str, str, int]]:
    """(appointment id, start, product, raw quantity), ids and times as stored text, for every
    pending appointment in the window in time order: planned treatments × recipes, and the
    type's treatment × recipe for appointments with no treatment recorded yet."""
    pending = _pending(start, end)
    planned = (
        select(
            _text(Appointment.id).label("appointment_id"),
            _text(Appointment.start_at).label("start_at"),
            _text(RecipeItem.product_id).label("product_id"),
            (raw(RecipeItem.quantity) * AppointmentTreatment.quantity).label("quantity"),
        )
        .join(AppointmentTreatment, AppointmentTreatment.appointment_id == Appointment.id)
        .join(RecipeItem, RecipeItem.treatment_id == AppointmentTreatment.treatment_id)
        .where(
            pending,
            AppointmentTreatment.status == TreatmentStatus.PLANNED.value,
            AppointmentTreatment.deleted_at.is_(None),
            RecipeItem.deleted_at.is_(None),
        )
    )
    # Removed rows count as recorded: someone took the usual treatment off this visit.
    recorded = exists().where(AppointmentTreatment.appointment_id == Appointment.id)
    by_type = (
        select(
            _text(Appointment.id),
            _text(Appointment.start_at),
            _text(RecipeItem.product_id),
            raw(RecipeItem.quantity),
        )
        .join(AppointmentType, AppointmentType.id == Appointment.type_id)
        .join(Treatment, Treatment.id == AppointmentType.treatment_id)
        .join(RecipeItem, RecipeItem.treatment_id == Treatment.id)
        .where(
            pending,
            ~recorded,
            Treatment.active.is_(True),
            Treatment.deleted_at.is_(None),
            RecipeItem.deleted_at.is_(None),
        )
    )
    # Each in time order straight off the start_at index (no sort); merged per product.
    return (
        planned.order_by(Appointment.start_at),
        by_type.order_by(Appointment.start_at),
    )


def forecast(
    uow: UnitOfWork,
    *,
    actor: Actor,
    days: int | None = None,
    now: datetime | None = None,
) -> ForecastDTO:
    """What the appointments of [now, now + days) will use, per product, and when each product
    runs out; `days` defaults to the setting inventory.forecast_days."""
    with uow.transaction(actor) as session:
        require_user(session, actor)
        return forecast_in(session, days=days, now=now)


def forecast_in(
    session: Session, *, days: int | None = None, now: datetime | None = None
) -> ForecastDTO:
    """The forecast inside the caller's transaction (purchase suggestions build on it)."""
    if days is None:
        days = int(read_settings(session)["inventory.forecast_days"])
    if not 1 <= days <= MAX_DAYS:
        raise ValidationError(
            _("Horizon: between 1 and {high} days.").format(high=MAX_DAYS), field="days"
        )
    start = now or utcnow()
    end = start + timedelta(days=days)
    zone = clinic_zone(session)
    today = start.astimezone(zone).date()
    # Text and integers as stored: the ORM would make 50,000 UUIDs and datetimes.
    halves: list[dict[str, list[Any]]] = []
    connection = session.connection()
    for query in _needs_queries(start, end):
        by_product: dict[str, list[Any]] = defaultdict(list)
        result = connection.execute(query)
        try:
            # Plain DBAPI tuples: no column here needs converting, and building SQLAlchemy
            # rows for 50,000 of them would cost more than the query.
            for row in result.cursor.fetchall():
                by_product[row[2]].append(row)
        finally:
            result.close()
        halves.append(by_product)
    planned, by_type = halves
    groups = [
        (hex_id, list(merge(planned.get(hex_id, ()), by_type.get(hex_id, ()), key=itemgetter(1))))
        for hex_id in planned.keys() | by_type.keys()
    ]
    ids = [uuid.UUID(hex_id) for hex_id, _needs in groups]
    products = (
        {p.id: p for p in session.scalars(select(Product).where(Product.id.in_(ids)))}
        if ids
        else {}
    )
    usable = usable_lots(session, ids, today)
    lines = [
        _walk(products[pid], needs, usable[pid], zone, today)
        for pid, (_hex, needs) in zip(ids, groups, strict=True)
        if pid in products
    ]
    lines.sort(key=lambda line: (line.runs_out_on or date.max, line.product_name.casefold()))
    return ForecastDTO(
        days=days,
        start=start,
        end=end,
        appointments=session.scalar(
            select(func.count()).select_from(Appointment).where(_pending(start, end))
        )
        or 0,
        lines=tuple(lines),
    )


def _stored(moment: datetime) -> str:
    """A UTC instant as SQLite holds it ("2026-11-24 14:00:00.000000"), for comparing with
    the stored text directly."""
    naive = moment.astimezone(UTC).replace(tzinfo=None)
    return naive.isoformat(sep=" ", timespec="microseconds")


def _moment(stored: str) -> datetime:
    return datetime.fromisoformat(stored).replace(tzinfo=UTC)


def _walk(
    product: Product,
    needs: Sequence[Sequence[Any]],
    usable: tuple[int, list[tuple[date | None, int]]],
    zone: ZoneInfo,
    today: date,
) -> ForecastLineDTO:
    """Consumes the product's lots FEFO appointment by appointment (a lot stops counting
    after its expiry day, on the clinic's calendar) and notes the first appointment left
    short. `needs` are the query's rows for the product in time order; quantities are raw
    thousandths and times the stored UTC text: integers and strings compare fast and exactly."""
    debt, lots = usable
    # The moment each lot stops being usable: midnight after its expiry day, in UTC.
    cutoffs = [
        _stored(datetime.combine(e + timedelta(days=1), time(0), tzinfo=zone)) if e else None
        for e, _q in lots
    ]
    remaining = [quantity for _expiry, quantity in lots]
    left = sum(remaining)  # usable from here on
    on_hand = debt + left
    reorder = int(product.reorder_level * 1000)
    owed = -debt  # stock already taken below zero: the first lots go to cover it
    needed_total = missing = index = 0
    runs_out: str | None = None
    below_on: date | None = today if reorder > 0 and on_hand < reorder else None
    count = len(lots)
    visits: set[str] = set()
    for appointment_id, start_at, _product, quantity in needs:
        visits.add(appointment_id)
        while index < count and (cut := cutoffs[index]) is not None and start_at >= cut:
            left -= remaining[index]  # expired before this appointment: it cannot be used
            index += 1
        needed_total += quantity
        want, owed = quantity + owed, 0
        while want > 0 and index < count:
            part = want if want < remaining[index] else remaining[index]
            remaining[index] -= part
            left -= part
            want -= part
            if remaining[index] == 0:
                index += 1
        if want > 0:
            missing += want
            if runs_out is None:
                runs_out = start_at
        if below_on is None and reorder > 0 and left < reorder:
            below_on = _moment(start_at).astimezone(zone).date()
    runs_out_at = _moment(runs_out) if runs_out else None
    return ForecastLineDTO(
        product_id=product.id,
        product_code=product.code,
        product_name=product.name,
        unit=product.unit,
        product_active=product.active,
        on_hand=QUANTITY.from_raw(on_hand),
        needed=QUANTITY.from_raw(needed_total),
        shortfall=QUANTITY.from_raw(missing),
        reorder_level=product.reorder_level,
        appointments=len(visits),
        runs_out_at=runs_out_at,
        runs_out_on=runs_out_at.astimezone(zone).date() if runs_out_at else None,
        below_reorder_on=below_on,
    )
