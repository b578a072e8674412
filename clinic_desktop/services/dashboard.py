"""The owner's dashboard: for the last N months (the current one so far), income against
expenses month by month, appointments and the no-show rate, the treatments that brought the
most income and the most margin, and two figures to act on: stock alerts and what patients
owe. Income is on the issued-invoices basis (net of tax, credit notes subtracting) and
expenses net of tax, exactly as the income, expenses and profit report computes them (it
reuses that report's queries), so the dashboard and the report agree to the cent.

Everything is aggregated in SQL with GROUP BY over indexed dates (invoices by issue date, lines
through their invoice, expenses by date, appointments by start instant), so the work depends
on the months shown, not on the years of history: ten years and a million invoice lines
answer in well under a second (benchmarks/finance_bench.py)."""

from __future__ import annotations

import uuid
from collections import defaultdict
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal

from sqlalchemy import ColumnElement, case, func, literal, select
from sqlalchemy.orm import Session

from clinic_desktop.actor import Actor
from clinic_desktop.db.uow import UnitOfWork
from clinic_desktop.errors import ValidationError
from clinic_desktop.i18n import _
from clinic_desktop.models.appointment import Appointment, AppointmentStatus
from clinic_desktop.models.inventory import Product
from clinic_desktop.models.treatment import RecipeItem, Treatment
from clinic_desktop.services.finance_reports import expenses_by_bucket, income_by_bucket
from clinic_desktop.services.finance_reports_common import (
    Basis,
    Granularity,
    bucket_keys,
    invoices_basis,
    month_label,
    require_finance,
)
from clinic_desktop.services.finance_reports_ledger import receivables_total
from clinic_desktop.services.inventory_reports_common import Frame, frame_of, start_of_day
from clinic_desktop.services.report_table import fraction, to_cents
from clinic_desktop.services.stock_alerts import stock_alerts
from clinic_desktop.services.treatment_months import income_by_treatment

ZERO = Decimal("0.00")
MAX_MONTHS = 120
S = AppointmentStatus
# Seen by the practitioner: what the no-show rate sets no-shows against.
ATTENDED = (S.ARRIVED.value, S.IN_CONSULTATION.value, S.COMPLETED.value)


@dataclass(frozen=True)
class MonthFigures:
    month: date  # its first day
    label: str  # "Mar 2026"
    income: Decimal  # issued invoices net of tax, credit notes subtracting
    expenses: Decimal  # net of tax
    profit: Decimal
    appointments: int  # booked for that month, cancelled ones left out
    attended: int  # arrived, in consultation or completed
    no_shows: int
    no_show_rate: Decimal | None  # no-shows ÷ (attended + no-shows); None without either


@dataclass(frozen=True)
class TreatmentFigures:
    treatment_id: uuid.UUID
    code: str
    name: str
    quantity: Decimal  # invoiced, credit notes subtracting
    income: Decimal  # the lines' bases (net of tax and of every discount)
    recipe_cost: Decimal  # quantity × the recipe at today's product costs, to the cent
    margin: Decimal  # income − recipe cost
    margin_rate: Decimal | None  # margin ÷ income


@dataclass(frozen=True)
class DashboardDTO:
    currency: str
    today: date
    date_from: date  # first day of the first month shown
    date_to: date  # today
    months: tuple[MonthFigures, ...]  # oldest first, every month (empty ones included)
    income: Decimal
    expenses: Decimal
    profit: Decimal
    appointments: int
    no_shows: int
    no_show_rate: Decimal | None
    top_by_income: tuple[TreatmentFigures, ...]
    top_by_margin: tuple[TreatmentFigures, ...]
    stock_alerts: int  # low + out of stock + expiring + expired, as the home screen counts
    stock_low: int  # low or out of stock
    stock_expiring: int  # lots expiring soon or expired
    receivables: Decimal  # what issued invoices still owe, today
    receivables_count: int
    basis: str  # how the figures are computed, for the screen to say
    generated_at: datetime


def dashboard(
    uow: UnitOfWork,
    *,
    actor: Actor,
    months: int = 12,
    today: date | None = None,
    top: int = 5,
) -> DashboardDTO:
    """The figures of the last `months` months up to `today` (the clinic's today unless
    given); `top` treatments in each ranking."""
    if not 1 <= months <= MAX_MONTHS:
        raise ValidationError(
            _("Months: choose between 1 and {most}.").format(most=MAX_MONTHS), field="months"
        )
    with uow.transaction(actor) as session:
        require_finance(session, actor)
        frame = frame_of(session)
        day = today or frame.today
        first = _months_back(day, months - 1)
        income = income_by_bucket(session, frame, Basis.INVOICES, Granularity.MONTH, first, day)
        expenses = expenses_by_bucket(session, Basis.INVOICES, Granularity.MONTH, first, day)
        keys = bucket_keys(first, day, Granularity.MONTH)
        visits = _appointments(session, frame, keys, day)
        treatments = _treatments(session, frame, first, day)
        owed_count, owed = receivables_total(session, frame)
        generated_at = frame.generated_at
    # Stock alerts are the inventory's own service (and its own read-only transaction), so
    # the count is the one the home screen shows.
    alerts = stock_alerts(uow, actor=actor)
    rows = []
    for index, key in enumerate(keys):
        gross, back = income.get(key, (ZERO, ZERO))
        spent = expenses.get(key, ZERO)
        booked, attended, missed = visits.get(index, (0, 0, 0))
        month = date.fromisoformat(key + "-01")
        rows.append(
            MonthFigures(
                month=month,
                label=month_label(month),
                income=gross + back,
                expenses=spent,
                profit=gross + back - spent,
                appointments=booked,
                attended=attended,
                no_shows=missed,
                no_show_rate=fraction(Decimal(missed), Decimal(attended + missed)),
            )
        )
    total_income = sum((m.income for m in rows), ZERO)
    total_expenses = sum((m.expenses for m in rows), ZERO)
    attended_total = sum(m.attended for m in rows)
    missed_total = sum(m.no_shows for m in rows)
    return DashboardDTO(
        currency=frame.currency,
        today=day,
        date_from=first,
        date_to=day,
        months=tuple(rows),
        income=total_income,
        expenses=total_expenses,
        profit=total_income - total_expenses,
        appointments=sum(m.appointments for m in rows),
        no_shows=missed_total,
        no_show_rate=fraction(Decimal(missed_total), Decimal(attended_total + missed_total)),
        top_by_income=tuple(sorted(treatments, key=lambda t: (-t.income, t.name.lower()))[:top]),
        top_by_margin=tuple(sorted(treatments, key=lambda t: (-t.margin, t.name.lower()))[:top]),
        stock_alerts=alerts.total,
        stock_low=len(alerts.low) + len(alerts.out),
        stock_expiring=len(alerts.expiring) + len(alerts.expired),
        receivables=owed,
        receivables_count=owed_count,
        basis=dashboard_basis(),
        generated_at=generated_at,
    )


def dashboard_basis() -> str:
    return " ".join(
        (
            invoices_basis(),
            _(
                "Expenses are net of tax. Appointments count the bookings of each month "
                "except cancelled ones; the no-show rate = no-shows ÷ (patients seen + "
                "no-shows). Margin = a treatment's income − its quantity × its recipe at "
                "today's product costs. Receivables: what issued invoices still owe today."
            ),
        )
    )


def _months_back(day: date, count: int) -> date:
    """The first day of the month `count` months before `day`'s."""
    index = day.year * 12 + day.month - 1 - count
    return date(index // 12, index % 12 + 1, 1)


def _appointments(
    session: Session, frame: Frame, keys: list[str], today: date
) -> dict[int, tuple[int, int, int]]:
    """{month index: (booked, attended, no-shows)} by start instant on the clinic's calendar:
    the months' bounds are UTC instants (a zone with summer time has months of uneven
    hours), so a CASE over them puts each appointment in its local month."""
    firsts = [date.fromisoformat(key + "-01") for key in keys]
    bounds = [start_of_day(frame, first) for first in firsts[1:]]
    start = start_of_day(frame, firsts[0])
    end = start_of_day(frame, date.fromordinal(today.toordinal() + 1))
    month: ColumnElement[int] = (
        case(
            *((Appointment.start_at < bound, index) for index, bound in enumerate(bounds)),
            else_=len(bounds),
        )
        if bounds
        else literal(0)  # one month: a CASE without WHEN is not SQL
    )
    query = (
        select(
            month,
            func.count(),
            func.sum(case((Appointment.status.in_(ATTENDED), 1), else_=0)),
            func.sum(case((Appointment.status == S.NO_SHOW.value, 1), else_=0)),
        )
        .where(
            Appointment.start_at >= start,
            Appointment.start_at < end,
            Appointment.status != S.CANCELLED.value,
            Appointment.deleted_at.is_(None),
        )
        .group_by(month)
    )
    return {
        int(index): (int(booked), int(seen or 0), int(missed or 0))
        for index, booked, seen, missed in session.execute(query)
    }


def _treatments(
    session: Session, frame: Frame, date_from: date, date_to: date
) -> list[TreatmentFigures]:
    income = {
        key: figures
        for key, figures in income_by_treatment(session, frame, date_from, date_to).items()
        if isinstance(key, uuid.UUID)
    }
    if not income:
        return []
    names = {
        tid: (code, name)
        for tid, code, name in session.execute(
            select(Treatment.id, Treatment.code, Treatment.name).where(
                Treatment.id.in_(list(income))
            )
        )
    }
    unit_cost: dict[uuid.UUID, Decimal] = defaultdict(Decimal)
    for treatment_id, qty, cost in session.execute(
        select(RecipeItem.treatment_id, RecipeItem.quantity, Product.cost)
        .join(Product, Product.id == RecipeItem.product_id)
        .where(RecipeItem.deleted_at.is_(None), RecipeItem.treatment_id.in_(list(income)))
    ):
        unit_cost[treatment_id] += qty * cost
    found = []
    for treatment_id, (qty, money) in income.items():
        code, name = names.get(treatment_id, ("", _("Deleted treatment")))
        cost = to_cents(qty * unit_cost.get(treatment_id, ZERO))
        found.append(
            TreatmentFigures(
                treatment_id=treatment_id,
                code=code,
                name=name,
                quantity=qty,
                income=money,
                recipe_cost=cost,
                margin=money - cost,
                margin_rate=fraction(money - cost, money),
            )
        )
    return found
