"""The expense of a received purchase order: what arrived, at the order's prices, filed under
supplies from the order's supplier and linked to the order, one expense per order. The
inventory screens offer it after a receipt (`purchase_order_expense` tells whether the order
already has one); the purchasing services are not involved beyond reading the order."""

from __future__ import annotations

import uuid
from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import Session

from clinic_desktop.actor import Actor
from clinic_desktop.db.uow import UnitOfWork
from clinic_desktop.errors import InvalidTransition
from clinic_desktop.formatting import money
from clinic_desktop.i18n import _
from clinic_desktop.models.expense import Expense
from clinic_desktop.reports.clinical_letterhead import fmt_date
from clinic_desktop.services.clinical_dto import past_date
from clinic_desktop.services.clinical_history import clinic_today
from clinic_desktop.services.expense_common import (
    announce,
    expense_dto,
    require_reader,
    require_writer,
)
from clinic_desktop.services.expense_dto import SUPPLIES, ZERO, ExpenseDTO
from clinic_desktop.services.purchasing_dto import money_round, order_number_text
from clinic_desktop.services.purchasing_rows import clinic_currency, live_lines, load_order


def order_expense(session: Session, order_id: uuid.UUID) -> Expense | None:
    return session.scalars(
        select(Expense).where(Expense.purchase_order_id == order_id, Expense.deleted_at.is_(None))
    ).first()


def already_has_expense(session: Session, order_number: int, existing: Expense) -> str:
    return _(
        "Order {number} already has its expense, dated {date} ({total}); edit that one if "
        "the amount changed."
    ).format(
        number=order_number_text(order_number),
        date=fmt_date(existing.expense_date),
        total=money(existing.total, clinic_currency(session)),
    )


def purchase_order_expense(
    uow: UnitOfWork, *, actor: Actor, order_id: uuid.UUID
) -> ExpenseDTO | None:
    """The live expense made from the order, if any (the screen offers to make one if not)."""
    with uow.transaction(actor) as session:
        require_reader(session, actor)
        existing = order_expense(session, order_id)
        return None if existing is None else expense_dto(session, existing)


def expense_from_purchase_order(
    uow: UnitOfWork, *, actor: Actor, order_id: uuid.UUID, expense_date: date | None = None
) -> ExpenseDTO:
    """The expense of what has arrived on the order: filed under supplies, from the order's
    supplier, for the received purchase units at the order lines' unit costs (each line
    rounded to cents, as the order shows it), as a net amount without tax, which the user
    splits from the supplier's invoice when it shows VAT. One expense per order: a second is
    refused, so an order received in two deliveries gets its expense edited instead."""
    with uow.transaction(actor) as session:
        require_writer(session, actor)
        order = load_order(session, order_id)
        number = order_number_text(order.number)
        existing = order_expense(session, order.id)
        if existing is not None:
            raise InvalidTransition(already_has_expense(session, order.number, existing))
        lines = [line for line in live_lines(session, [order.id]) if line.received_quantity > ZERO]
        if not lines:
            raise InvalidTransition(
                _(
                    "Order {number}: nothing has been received on it yet, so there is nothing "
                    "to pay."
                ).format(number=number)
            )
        total = sum((money_round(line.received_quantity * line.unit_cost) for line in lines), ZERO)
        if total <= ZERO:
            raise InvalidTransition(
                _(
                    "Order {number}: the goods received have no cost on the order; enter the "
                    "expense by hand."
                ).format(number=number)
            )
        day = expense_date or clinic_today(session)
        past_date(day, field="expense_date", label=_("Date"), today=clinic_today(session))
        expense = Expense(
            expense_date=day,
            category=SUPPLIES,
            description=_("Purchase order {number}").format(number=number),
            supplier_id=order.supplier_id,
            supplier_name="",
            document_number="",
            net=total,
            tax=ZERO,
            total=total,
            payment_method="",
            purchase_order_id=order.id,
            notes="",
        )
        session.add(expense)
        session.flush()
        announce(uow, [expense.id])
        return expense_dto(session, expense)
