"""Income by treatment over any period, from the issued documents' lines: each line's base
(net − its share of the discount on the total), credit notes subtracting, a credit note's
line counted for the treatment of the line it returns, products sold and typed lines under
"product" and "free". The months of the period that are over (and wholly inside it) are read
from models.finance_cache, computed from the lines the first time a report needs them; only
the rest of the period (the current month, partial months at its ends) adds up lines each
time. So a ranking over ten years costs a few hundred cached rows plus this month's lines
instead of a million lines; the figures are the same to the cent either way."""

from __future__ import annotations

import uuid
from collections import defaultdict
from datetime import date, timedelta
from decimal import Decimal
from typing import Any

from sqlalchemy import Select, and_, case, func, insert, select
from sqlalchemy.orm import Session, aliased

from clinic_desktop.models.billing import Invoice, InvoiceLine, LineSource
from clinic_desktop.models.finance_cache import COMPUTED, TreatmentMonthIncome
from clinic_desktop.models.types import MONEY, QUANTITY
from clinic_desktop.services.finance_reports_common import (
    ZERO,
    Granularity,
    bucket,
    in_period,
    issued_invoices,
    sign,
)
from clinic_desktop.services.report_common import Frame
from clinic_desktop.services.stock_ledger import raw

PRODUCTS = "product"
FREE = "free"
Key = uuid.UUID | str
Figures = dict[Key, tuple[Decimal, Decimal]]  # key: (quantity, income)


def _lines(frame: Frame, date_from: date, date_to: date, *, by_month: bool) -> Select[Any]:
    # A credit note's line counts for the treatment of the line it returns; looked up only
    # for such lines (CASE is lazy), since a join would probe for each of a million lines.
    returned = aliased(InvoiceLine, name="returned")
    treatment = case(
        (
            and_(InvoiceLine.treatment_id.is_(None), InvoiceLine.corrects_line_id.is_not(None)),
            select(returned.treatment_id)
            .where(returned.id == InvoiceLine.corrects_line_id)
            .scalar_subquery(),
        ),
        else_=InvoiceLine.treatment_id,
    )
    month = bucket(Invoice.issue_date, Granularity.MONTH) if by_month else func.min("")
    query = (
        select(
            month,
            treatment,
            InvoiceLine.source,
            func.sum(sign() * raw(InvoiceLine.quantity)),
            func.sum(sign() * (raw(InvoiceLine.net) - raw(InvoiceLine.global_discount))),
        )
        .join(Invoice, Invoice.id == InvoiceLine.invoice_id)
        .where(
            InvoiceLine.deleted_at.is_(None),
            *issued_invoices(frame),
            *in_period(Invoice.issue_date, date_from, date_to),
        )
        .group_by(treatment, InvoiceLine.source)
    )
    return query.group_by(month) if by_month else query


def _key(treatment_id: uuid.UUID | None, source: str) -> Key:
    if treatment_id is not None:
        return treatment_id
    return PRODUCTS if source == LineSource.PRODUCT.value else FREE


def _key_text(key: Key) -> str:
    return key.hex if isinstance(key, uuid.UUID) else key


def _key_of(text: str) -> Key:
    return text if text in (PRODUCTS, FREE) else uuid.UUID(hex=text)


def _month_end(first: date) -> date:
    return (first.replace(day=28) + timedelta(days=4)).replace(day=1) - timedelta(days=1)


def closed_months(date_from: date, date_to: date, today: date) -> list[date]:
    """The first days of the months wholly inside the period that are over by `today`."""
    first = date_from if date_from.day == 1 else _month_end(date_from) + timedelta(days=1)
    months: list[date] = []
    this_month = today.replace(day=1)
    while first < this_month and _month_end(first) <= date_to:
        months.append(first)
        first = _month_end(first) + timedelta(days=1)
    return months


def _fill(session: Session, frame: Frame, months: list[date]) -> None:
    """Computes and keeps the months of `months` not computed yet, in one query."""
    done = set(
        session.scalars(
            select(TreatmentMonthIncome.month).where(
                TreatmentMonthIncome.currency == frame.currency,
                TreatmentMonthIncome.key == COMPUTED,
                TreatmentMonthIncome.month.between(months[0], months[-1]),
            )
        )
    )
    missing = {m.isoformat()[:7]: m for m in months if m not in done}
    if not missing:
        return
    first, last = min(missing.values()), max(missing.values())
    sums: dict[tuple[date, str], list[int]] = defaultdict(lambda: [0, 0])
    query = _lines(frame, first, _month_end(last), by_month=True)
    for month_key, treatment_id, source, qty, base in session.execute(query):
        month = missing.get(month_key)
        if month is not None:
            pair = sums[(month, _key_text(_key(treatment_id, source)))]
            pair[0] += qty or 0
            pair[1] += base or 0
    rows = [
        {
            "month": month,
            "currency": frame.currency,
            "key": key,
            "quantity": QUANTITY.from_raw(qty),
            "income": MONEY.from_raw(base),
        }
        for (month, key), (qty, base) in sums.items()
    ]
    rows += [
        {"month": m, "currency": frame.currency, "key": COMPUTED, "quantity": ZERO, "income": ZERO}
        for m in missing.values()
    ]
    session.execute(insert(TreatmentMonthIncome), rows)


def income_by_treatment(session: Session, frame: Frame, date_from: date, date_to: date) -> Figures:
    """{treatment id, or "product" / "free": (quantity, income)} of the period."""
    found: dict[Key, tuple[Decimal, Decimal]] = defaultdict(lambda: (ZERO, ZERO))

    def add(key: Key, qty: Decimal, income: Decimal) -> None:
        before = found[key]
        found[key] = (before[0] + qty, before[1] + income)

    months = closed_months(date_from, date_to, frame.today)
    ranges = [(date_from, date_to)]
    if months:
        _fill(session, frame, months)
        for key, qty, income in session.execute(
            select(
                TreatmentMonthIncome.key,
                TreatmentMonthIncome.quantity,
                TreatmentMonthIncome.income,
            ).where(
                TreatmentMonthIncome.currency == frame.currency,
                TreatmentMonthIncome.key != COMPUTED,
                TreatmentMonthIncome.month.between(months[0], months[-1]),
            )
        ):
            add(_key_of(key), qty, income)
        ranges = [
            (start, end)
            for start, end in (
                (date_from, months[0] - timedelta(days=1)),
                (_month_end(months[-1]) + timedelta(days=1), date_to),
            )
            if start <= end
        ]
    for start, end in ranges:
        for found_key, (qty, income) in income_from_lines(session, frame, start, end).items():
            add(found_key, qty, income)
    return dict(found)


def income_from_lines(session: Session, frame: Frame, date_from: date, date_to: date) -> Figures:
    """The same figures added up from the lines alone, whatever is kept."""
    return {
        _key(treatment_id, source): (QUANTITY.from_raw(qty), MONEY.from_raw(base))
        for _month, treatment_id, source, qty, base in session.execute(
            _lines(frame, date_from, date_to, by_month=False)
        )
    }
