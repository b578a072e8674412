"""The daily cash close: each user closes their own day at their PC. The expected amount of
each payment method is what that user's payments of the day at that PC add up to (refunds
subtract; cash counts what stayed in the drawer, tendered - change); the user enters what was
counted (the notes and coins, the card terminal's totals, the transfers seen), and the close
records both with the difference per method. Any difference needs a comment. A closed day is
locked: its payments carry the close's id, no more payments or refunds enter it
(payment_rows.refuse_closed_day), and it cannot be closed again. The closes are listed for the
finance reports and read back whole for the printed sheet."""

from __future__ import annotations

import uuid
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime
from decimal import Decimal

from sqlalchemy import select
from sqlalchemy.orm import Session

from clinic_desktop.actor import Actor
from clinic_desktop.db.uow import UnitOfWork
from clinic_desktop.errors import InvalidTransition, NotFound, ValidationError
from clinic_desktop.i18n import _
from clinic_desktop.models.billing import CashClose, CashCloseLine, Payment, PaymentMethod
from clinic_desktop.models.permissions import Permission
from clinic_desktop.reports.clinical_letterhead import fmt_date, fmt_datetime
from clinic_desktop.services.access import require, require_any
from clinic_desktop.services.agenda_rules import clinic_zone
from clinic_desktop.services.cash_close_dto import (
    CashCloseDTO,
    CashCloseLineDTO,
    CashDaySummaryDTO,
    CashMethodRowDTO,
)
from clinic_desktop.services.clinic_days import check_period
from clinic_desktop.services.clinical_common import user_names
from clinic_desktop.services.clinical_history import clinic_today
from clinic_desktop.services.payment_dto import METHODS, ZERO, method_label
from clinic_desktop.services.payment_rows import (
    announce,
    clean_text,
    currency_of,
    find_close,
    fmt_money,
    payment_dtos,
)
from clinic_desktop.services.purchasing_rows import checked_decimal

COMMENT_MAX = 1000
READERS = (Permission.BILLING_MANAGE, Permission.REPORTS_FINANCE)


@dataclass
class Tally:
    received: Decimal = ZERO
    refunded: Decimal = ZERO
    count: int = 0


def _day_payments(
    session: Session, *, day: date, workstation: str, user_id: uuid.UUID
) -> list[Payment]:
    return list(
        session.scalars(
            select(Payment)
            .where(
                Payment.day == day,
                Payment.workstation == workstation,
                Payment.created_by == user_id,
                Payment.deleted_at.is_(None),
            )
            .order_by(Payment.paid_at, Payment.id)
        )
    )


def tally_by_method(payments: Sequence[Payment]) -> dict[str, Tally]:
    tallies = {m.value: Tally() for m in METHODS}
    for p in payments:
        tally = tallies.setdefault(p.method, Tally())
        tally.count += 1
        if p.is_refund:
            tally.refunded += p.amount
        else:
            tally.received += p.amount  # for cash: tendered - change
    return tallies


def _close_dto(
    session: Session, close: CashClose, *, with_payments: bool, names: Mapping[uuid.UUID, str]
) -> CashCloseDTO:
    lines = list(
        session.scalars(
            select(CashCloseLine).where(
                CashCloseLine.cash_close_id == close.id, CashCloseLine.deleted_at.is_(None)
            )
        )
    )
    order = {m.value: i for i, m in enumerate(METHODS)}
    lines.sort(key=lambda line: order.get(line.method, len(order)))
    payments = list(
        session.scalars(
            select(Payment)
            .where(Payment.cash_close_id == close.id, Payment.deleted_at.is_(None))
            .order_by(Payment.paid_at, Payment.id)
        )
    )
    return CashCloseDTO(
        id=close.id,
        day=close.day,
        workstation=close.workstation,
        user_id=close.user_id,
        user_name=names.get(close.user_id, ""),
        closed_at=close.closed_at,
        comment=close.comment,
        lines=tuple(
            CashCloseLineDTO(
                method=line.method,
                method_label=method_label(line.method),
                expected=line.expected,
                counted=line.counted,
                difference=line.difference,
            )
            for line in lines
        ),
        expected_total=close.expected_total,
        counted_total=close.counted_total,
        difference_total=close.counted_total - close.expected_total,
        payment_count=len(payments),
        currency=currency_of(session),
        payments=tuple(payment_dtos(session, payments)) if with_payments else (),
    )


def _whose(actor: Actor, user_id: uuid.UUID | None) -> uuid.UUID:
    whose = user_id or actor.user_id
    if whose is None:
        raise ValidationError(_("User: choose whose cash to show."), field="user")
    return whose


def cash_day_summary(
    uow: UnitOfWork,
    *,
    actor: Actor,
    day: date | None = None,
    user_id: uuid.UUID | None = None,
    workstation: str | None = None,
) -> CashDaySummaryDTO:
    """The expected amounts of one user's day at one PC (by default: the actor's today here),
    with its payments, and the close if the day is already closed."""
    whose = _whose(actor, user_id)
    station = workstation or actor.workstation
    with uow.transaction(actor) as session:
        require(session, actor, Permission.BILLING_MANAGE)
        the_day = day or clinic_today(session)
        payments = _day_payments(session, day=the_day, workstation=station, user_id=whose)
        tallies = tally_by_method(payments)
        rows = tuple(
            CashMethodRowDTO(
                method=method,
                method_label=method_label(method),
                received=t.received,
                refunded=t.refunded,
                expected=t.received - t.refunded,
                count=t.count,
            )
            for method, t in tallies.items()
        )
        names = user_names(session, [whose])
        close = find_close(session, day=the_day, workstation=station, user_id=whose)
        cash = [p for p in payments if p.method == PaymentMethod.CASH.value and not p.is_refund]
        return CashDaySummaryDTO(
            day=the_day,
            workstation=station,
            user_id=whose,
            user_name=names.get(whose, ""),
            currency=currency_of(session),
            rows=rows,
            expected_total=sum((r.expected for r in rows), ZERO),
            cash_tendered=sum((p.tendered or p.amount for p in cash), ZERO),
            cash_change=sum((p.change for p in cash), ZERO),
            payments=tuple(payment_dtos(session, payments)),
            closed=(
                _close_dto(session, close, with_payments=False, names=names)
                if close is not None
                else None
            ),
        )


def _checked_counts(counted: Mapping[PaymentMethod | str, Decimal]) -> dict[str, Decimal]:
    result: dict[str, Decimal] = {}
    for method, amount in counted.items():
        try:
            key = PaymentMethod(method).value
        except ValueError:
            raise ValidationError(
                _("Counted: {method} is not a payment method.").format(method=method),
                field="counted",
            ) from None
        label = _("Counted, {method}").format(method=method_label(key))
        # A day can pay out more than it takes in by a method (a cash refund and no cash
        # payment): what is counted is then negative, as what is expected is; how far below
        # zero is checked against the day's refunds once they are read.
        value = Decimal(amount)
        checked = checked_decimal(
            abs(value), places=2, label=label, field="counted", allow_zero=True
        )
        result[key] = -checked if value < 0 else checked
    return result


def _check_negative_counts(
    session: Session, counts: Mapping[str, Decimal], tallies: Mapping[str, Tally]
) -> None:
    """A count below zero is only possible down to what the method paid out that day."""
    for method, amount in counts.items():
        tally = tallies.get(method)
        refunded = tally.refunded if tally is not None else ZERO
        if amount < -refunded:
            raise ValidationError(
                _(
                    "Counted, {method}: it cannot be below {least}, what was refunded by that "
                    "method on the day."
                ).format(method=method_label(method), least=fmt_money(session, -refunded)),
                field="counted",
            )


def close_cash_day(
    uow: UnitOfWork,
    *,
    actor: Actor,
    day: date,
    counted: Mapping[PaymentMethod | str, Decimal],
    comment: str = "",
    now: datetime | None = None,
) -> CashCloseDTO:
    """Closes the actor's cash of `day` at this PC with the `counted` amount per method (a
    method left out counts as nothing). Refused when already closed, for a day still to come,
    and with any difference but no comment. `now` is for the demo generator and tests."""
    if actor.user_id is None:
        raise ValidationError(_("User: a cash close belongs to a signed-in user."), field="user")
    user_id = actor.user_id
    counts = _checked_counts(counted)
    note = clean_text(comment, limit=COMMENT_MAX, label=_("Comment"), field="comment")
    closed_at = (now or datetime.now(UTC)).astimezone(UTC)
    with uow.transaction(actor) as session:
        require(session, actor, Permission.BILLING_MANAGE)
        zone = clinic_zone(session)
        if day > closed_at.astimezone(zone).date():
            raise ValidationError(
                _("Day: {day} has not come yet.").format(day=fmt_date(day)), field="day"
            )
        names = user_names(session, [user_id])
        existing = find_close(session, day=day, workstation=actor.workstation, user_id=user_id)
        if existing is not None:
            raise InvalidTransition(
                _(
                    "The cash of {day} at {workstation} was already closed at {time} by {user}."
                ).format(
                    day=fmt_date(day),
                    workstation=actor.workstation,
                    time=fmt_datetime(existing.closed_at.astimezone(zone)),
                    user=names.get(user_id, actor.name),
                )
            )
        payments = [
            p
            for p in _day_payments(session, day=day, workstation=actor.workstation, user_id=user_id)
            if p.cash_close_id is None
        ]
        tallies = tally_by_method(payments)
        _check_negative_counts(session, counts, tallies)
        lines = [
            CashCloseLine(
                method=method,
                expected=t.received - t.refunded,
                counted=counts.get(method, ZERO),
            )
            for method, t in tallies.items()
            if t.count or counts.get(method, ZERO) or method == PaymentMethod.CASH.value
        ]
        off = [line for line in lines if line.difference != ZERO]
        if off and not note:
            if len(off) == 1:
                amount = fmt_money(session, off[0].difference)
            else:
                amount = ", ".join(
                    f"{method_label(line.method)} {fmt_money(session, line.difference)}"
                    for line in off
                )
            raise ValidationError(
                _("Comment: explain the difference of {amount}.").format(amount=amount),
                field="comment",
            )
        close = CashClose(
            day=day,
            workstation=actor.workstation,
            user_id=user_id,
            closed_at=closed_at,
            comment=note,
            expected_total=sum((line.expected for line in lines), ZERO),
            counted_total=sum((line.counted for line in lines), ZERO),
        )
        session.add(close)
        session.flush()
        for line in lines:
            line.cash_close_id = close.id
            session.add(line)
        for p in payments:
            p.cash_close_id = close.id
        session.flush()
        dto = _close_dto(session, close, with_payments=True, names=names)
        announce(uow, what="cash", ids=[close.id], patient_ids=[p.patient_id for p in payments])
    return dto


def list_cash_closes(
    uow: UnitOfWork,
    *,
    actor: Actor,
    date_from: date,
    date_to: date,
    workstation: str | None = None,
    user_id: uuid.UUID | None = None,
) -> list[CashCloseDTO]:
    """The closes of days in [date_from, date_to], oldest first (without their payments)."""
    check_period(date_from, date_to)
    with uow.transaction(actor) as session:
        require_any(session, actor, READERS)
        query = select(CashClose).where(
            CashClose.day >= date_from, CashClose.day <= date_to, CashClose.deleted_at.is_(None)
        )
        if workstation is not None:
            query = query.where(CashClose.workstation == workstation)
        if user_id is not None:
            query = query.where(CashClose.user_id == user_id)
        closes = list(
            session.scalars(query.order_by(CashClose.day, CashClose.closed_at, CashClose.id))
        )
        names = user_names(session, [c.user_id for c in closes])
        return [_close_dto(session, c, with_payments=False, names=names) for c in closes]


def get_cash_close(uow: UnitOfWork, *, actor: Actor, cash_close_id: uuid.UUID) -> CashCloseDTO:
    """One close with its lines and the payments it locked (the printed sheet)."""
    with uow.transaction(actor) as session:
        require_any(session, actor, READERS)
        close = session.get(CashClose, cash_close_id)
        if close is None or close.is_deleted:
            raise NotFound(_("The cash close no longer exists."))
        names = user_names(session, [close.user_id])
        return _close_dto(session, close, with_payments=True, names=names)
