"""The clinic's operating expenses: recording one (date, category, supplier, the supplier's
document number, net, tax and total, how it was paid), editing it with optimistic concurrency,
moving it to the trash and back, listing a period's expenses and adding them up for the
finance reports, and the categories to choose from. Receipts are attached in
`expense_receipts`, monthly templates live in `recurring_expenses`, and the expense of a
received purchase order is made in `expense_orders` (re-exported here). Writes need
billing.manage; reading needs billing.manage or reports.finance. Every write is audited by the
session and announced as BillingChanged(what="expenses") after the commit."""

from __future__ import annotations

import uuid
from collections import defaultdict
from datetime import date
from decimal import Decimal

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from clinic_desktop.actor import Actor
from clinic_desktop.db.uow import UnitOfWork
from clinic_desktop.errors import InvalidTransition, NotFound, ValidationError
from clinic_desktop.i18n import _
from clinic_desktop.models.expense import Expense
from clinic_desktop.models.purchasing import PurchaseOrder
from clinic_desktop.models.types import MONEY
from clinic_desktop.services.clinic_days import check_period
from clinic_desktop.services.clinical_dto import clean_text, past_date
from clinic_desktop.services.clinical_history import clinic_today
from clinic_desktop.services.concurrency import check_version
from clinic_desktop.services.expense_common import (
    announce,
    clean_category_supplier_amounts,
    clean_payment_method,
    expense_dto,
    expense_dtos,
    load_expense,
    require_reader,
    require_writer,
    used_categories,
)
from clinic_desktop.services.expense_dto import (
    DEFAULT_CATEGORIES,
    DESCRIPTION_LIMIT,
    DOCUMENT_NUMBER_LIMIT,
    NOTES_LIMIT,
    ZERO,
    CategoryTotal,
    ExpenseCategoryDTO,
    ExpenseDTO,
    ExpenseForm,
    ExpenseTotals,
    MonthTotal,
    category_label,
)
from clinic_desktop.services.expense_orders import already_has_expense, order_expense
from clinic_desktop.services.expense_orders import (
    expense_from_purchase_order as expense_from_purchase_order,
)
from clinic_desktop.services.expense_orders import (
    purchase_order_expense as purchase_order_expense,
)
from clinic_desktop.services.inventory_dto import fold
from clinic_desktop.services.stock_ledger import raw

# -- categories ------------------------------------------------------------------------------


def expense_categories(uow: UnitOfWork, *, actor: Actor) -> list[ExpenseCategoryDTO]:
    """The default categories in their fixed order, then the clinic's own, alphabetically."""
    with uow.transaction(actor) as session:
        require_reader(session, actor)
        own = [c for c in used_categories(session) if c not in DEFAULT_CATEGORIES]
    defaults = [ExpenseCategoryDTO(key, category_label(key), True) for key in DEFAULT_CATEGORIES]
    extra = sorted((ExpenseCategoryDTO(c, c, False) for c in own), key=lambda c: fold(c.label))
    return defaults + extra


# -- writing ---------------------------------------------------------------------------------


def _values(
    session: Session, form: ExpenseForm, *, current_supplier: uuid.UUID | None = None
) -> dict[str, object]:
    """The expense's columns from `form`, every field checked before anything is written."""
    if form.expense_date is None:  # an empty date box
        raise ValidationError(_("Date: enter the date of the expense."), field="expense_date")
    past_date(form.expense_date, field="expense_date", label=_("Date"), today=clinic_today(session))
    shared = clean_category_supplier_amounts(session, form, current_supplier=current_supplier)
    return {
        "expense_date": form.expense_date,
        **shared,
        "description": clean_text(
            form.description, field="description", label=_("Description"), limit=DESCRIPTION_LIMIT
        ),
        "document_number": clean_text(
            form.document_number,
            field="document_number",
            label=_("Document number"),
            limit=DOCUMENT_NUMBER_LIMIT,
        ),
        "payment_method": clean_payment_method(form.payment_method),
        "notes": _clean_notes(form.notes),
    }


def _clean_notes(notes: str) -> str:
    text = notes.strip()
    if len(text) > NOTES_LIMIT:
        raise ValidationError(
            _("{field}: at most {count} characters.").format(field=_("Notes"), count=NOTES_LIMIT),
            field="notes",
        )
    return text


def create_expense(uow: UnitOfWork, *, actor: Actor, form: ExpenseForm) -> ExpenseDTO:
    with uow.transaction(actor) as session:
        require_writer(session, actor)
        expense = Expense(**_values(session, form))
        session.add(expense)
        session.flush()
        announce(uow, [expense.id])
        return expense_dto(session, expense)


def update_expense(
    uow: UnitOfWork,
    *,
    actor: Actor,
    expense_id: uuid.UUID,
    expected_version: int,
    form: ExpenseForm,
) -> ExpenseDTO:
    """Saves the edited fields; the links to a recurring expense or a purchase order stay."""
    with uow.transaction(actor) as session:
        require_writer(session, actor)
        expense = load_expense(session, expense_id)
        check_version(session, expense, expected_version)
        for key, value in _values(session, form, current_supplier=expense.supplier_id).items():
            setattr(expense, key, value)
        session.flush()
        announce(uow, [expense.id])
        return expense_dto(session, expense)


def delete_expense(
    uow: UnitOfWork, *, actor: Actor, expense_id: uuid.UUID, expected_version: int | None = None
) -> None:
    """Moves the expense to the trash; its receipts stay with it, so restoring it (here or
    from the trash screen) brings them back. A recurring expense does not generate a deleted
    month again."""
    with uow.transaction(actor) as session:
        require_writer(session, actor)
        expense = load_expense(session, expense_id)
        if expected_version is not None:
            check_version(session, expense, expected_version)
        expense.soft_delete(by=actor.user_id)
        session.flush()
        announce(uow, [expense.id])


def restore_expense(uow: UnitOfWork, *, actor: Actor, expense_id: uuid.UUID) -> ExpenseDTO:
    with uow.transaction(actor) as session:
        require_writer(session, actor)
        expense = session.get(Expense, expense_id)
        if expense is None:
            raise NotFound(_("This expense no longer exists."))
        if not expense.is_deleted:
            return expense_dto(session, expense)
        if expense.purchase_order_id is not None:
            twin = order_expense(session, expense.purchase_order_id)
            order = session.get(PurchaseOrder, expense.purchase_order_id)
            if twin is not None and order is not None:
                raise InvalidTransition(already_has_expense(session, order.number, twin))
        expense.restore()
        session.flush()
        announce(uow, [expense.id])
        return expense_dto(session, expense)


# -- reading ---------------------------------------------------------------------------------


def get_expense(uow: UnitOfWork, *, actor: Actor, expense_id: uuid.UUID) -> ExpenseDTO:
    with uow.transaction(actor) as session:
        require_reader(session, actor)
        return expense_dto(session, load_expense(session, expense_id))


def list_expenses(
    uow: UnitOfWork,
    *,
    actor: Actor,
    date_from: date,
    date_to: date,
    category: str | None = None,
    text: str = "",
) -> list[ExpenseDTO]:
    """The live expenses dated in the period (both days included), newest first. `text`
    matches, accent- and case-blind, the description, supplier, document number, category
    and notes."""
    check_period(date_from, date_to)
    with uow.transaction(actor) as session:
        require_reader(session, actor)
        query = select(Expense).where(
            Expense.deleted_at.is_(None),
            Expense.expense_date >= date_from,
            Expense.expense_date <= date_to,
        )
        if category:
            query = query.where(Expense.category == category)
        rows = list(
            session.scalars(query.order_by(Expense.expense_date.desc(), Expense.created_at.desc()))
        )
        dtos = expense_dtos(session, rows)
    words = fold(text).split()
    if not words:
        return dtos
    return [dto for dto in dtos if all(word in _haystack(dto) for word in words)]


def _haystack(dto: ExpenseDTO) -> str:
    return fold(
        " ".join(
            (
                dto.description,
                dto.supplier_name,
                dto.document_number,
                dto.category_label,
                dto.category,
                dto.notes,
            )
        )
    )


def sum_expenses(
    session: Session, *, date_from: date, date_to: date, category: str | None = None
) -> ExpenseTotals:
    """The period's live expenses added up in SQL on the stored cents (exact), by category
    and by month; for the reports, which check their own permission."""
    check_period(date_from, date_to)
    month = func.strftime("%Y-%m", Expense.expense_date)
    query = (
        select(
            Expense.category,
            month,
            func.count(),
            func.sum(raw(Expense.net)),
            func.sum(raw(Expense.tax)),
            func.sum(raw(Expense.total)),
        )
        .where(
            Expense.deleted_at.is_(None),
            Expense.expense_date >= date_from,
            Expense.expense_date <= date_to,
        )
        .group_by(Expense.category, month)
    )
    if category:
        query = query.where(Expense.category == category)
    by_category: dict[str, list[Decimal]] = defaultdict(lambda: [ZERO, ZERO, ZERO, ZERO])
    by_month: dict[str, list[Decimal]] = defaultdict(lambda: [ZERO, ZERO, ZERO, ZERO])
    for key, month_text, count, net, tax, total in session.execute(query):
        figures = (Decimal(count), MONEY.from_raw(net), MONEY.from_raw(tax), MONEY.from_raw(total))
        for bucket in (by_category[key], by_month[month_text]):
            for index, value in enumerate(figures):
                bucket[index] += value
    categories = sorted(
        (
            CategoryTotal(key, category_label(key), int(v[0]), v[1], v[2], v[3])
            for key, v in by_category.items()
        ),
        key=lambda c: (-c.total, fold(c.label)),
    )
    months = [
        MonthTotal(date.fromisoformat(f"{text}-01"), int(v[0]), v[1], v[2], v[3])
        for text, v in sorted(by_month.items())
    ]
    return ExpenseTotals(
        date_from=date_from,
        date_to=date_to,
        count=sum(c.count for c in categories),
        net=sum((c.net for c in categories), ZERO),
        tax=sum((c.tax for c in categories), ZERO),
        total=sum((c.total for c in categories), ZERO),
        by_category=tuple(categories),
        by_month=tuple(months),
    )


def expenses_total(
    uow: UnitOfWork,
    *,
    actor: Actor,
    date_from: date,
    date_to: date,
    category: str | None = None,
) -> ExpenseTotals:
    with uow.transaction(actor) as session:
        require_reader(session, actor)
        return sum_expenses(session, date_from=date_from, date_to=date_to, category=category)
