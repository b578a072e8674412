"""Recurring expenses (rent, salaries, a service contract): templates that generate one
expense a month on their day of the month (29 to 31 fall on the last day of shorter months),
from the month they start until the month they end, each generated expense linked back by
`recurring_id`. The template remembers the last month it generated (`generated_through`), so
generating again adds only the months still missing, never a month twice, and never brings
back a month whose expense was deleted on purpose. Editing a template changes the months
generated from then on, not those already recorded. Writes need billing.manage; reading
needs billing.manage or reports.finance. `generate_due_expenses` is the same generation on a
caller's session, for the demo generator."""

from __future__ import annotations

import calendar
import uuid
from collections.abc import Iterator
from datetime import date

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from clinic_desktop.actor import Actor
from clinic_desktop.db.uow import UnitOfWork
from clinic_desktop.errors import NotFound, ValidationError
from clinic_desktop.i18n import _
from clinic_desktop.models.base import new_id
from clinic_desktop.models.expense import Expense, RecurringExpense
from clinic_desktop.services.clinical_dto import clean_text, past_date
from clinic_desktop.services.clinical_history import clinic_today
from clinic_desktop.services.concurrency import check_version
from clinic_desktop.services.expense_common import (
    announce,
    clean_category_supplier_amounts,
    clean_payment_method,
    require_reader,
    require_writer,
    supplier_names,
)
from clinic_desktop.services.expense_dto import (
    DESCRIPTION_LIMIT,
    RecurringExpenseDTO,
    RecurringForm,
    category_label,
)
from clinic_desktop.services.inventory_dto import fold

# -- the calendar ----------------------------------------------------------------------------


def month_start(day: date) -> date:
    return day.replace(day=1)


def next_month(first: date) -> date:
    return date(first.year + 1, 1, 1) if first.month == 12 else date(first.year, first.month + 1, 1)


def previous_month(first: date) -> date:
    return date(first.year - 1, 12, 1) if first.month == 1 else date(first.year, first.month - 1, 1)


def day_in_month(first: date, day_of_month: int) -> date:
    """`day_of_month` of the month starting `first`, clipped to its last day (31 → 28 Feb)."""
    last = calendar.monthrange(first.year, first.month)[1]
    return first.replace(day=min(day_of_month, last))


def _pending(template: RecurringExpense, through: date) -> Iterator[tuple[date, date | None]]:
    """(month, expense date or None when that month has none) for each month from the first
    not generated up to `through`'s month, while the template runs. A month whose date is
    still ahead of `through` is not yielded: it is generated once its day has come."""
    month = (
        next_month(template.generated_through)
        if template.generated_through is not None
        else month_start(template.starts_on)
    )
    while month <= through:
        day = day_in_month(month, template.day_of_month)
        if template.ends_on is not None and day > template.ends_on:
            return
        if day > through:
            return
        yield month, (day if day >= template.starts_on else None)
        month = next_month(month)


def _next_date(template: RecurringExpense) -> date | None:
    """The date of the next expense the template will generate, None when it never will."""
    if not template.active:
        return None
    month = (
        next_month(template.generated_through)
        if template.generated_through is not None
        else month_start(template.starts_on)
    )
    for _step in range(2):  # the start month may fall before `starts_on`, the next never
        day = day_in_month(month, template.day_of_month)
        if template.ends_on is not None and day > template.ends_on:
            return None
        if day >= template.starts_on:
            return day
        month = next_month(month)
    return None


# -- generation ------------------------------------------------------------------------------


def generate_due_expenses(session: Session, *, through: date) -> list[uuid.UUID]:
    """Creates the missing monthly expenses of every active template up to `through` on the
    caller's session (audited by it when it carries an actor); returns the new expenses'
    ids. Running it again with the same `through` creates nothing."""
    created: list[uuid.UUID] = []
    templates = session.scalars(
        select(RecurringExpense)
        .where(RecurringExpense.deleted_at.is_(None), RecurringExpense.active.is_(True))
        .order_by(RecurringExpense.created_at, RecurringExpense.id)
    )
    for template in templates:
        for month, day in _pending(template, through):
            if day is not None:
                expense = Expense(
                    id=new_id(),
                    expense_date=day,
                    category=template.category,
                    description=template.description,
                    supplier_id=template.supplier_id,
                    supplier_name=template.supplier_name,
                    document_number="",
                    net=template.net,
                    tax=template.tax,
                    total=template.total,
                    payment_method=template.payment_method,
                    recurring_id=template.id,
                    notes="",
                )
                session.add(expense)
                created.append(expense.id)
            template.generated_through = month
    session.flush()
    return created


def generate_recurring_expenses(
    uow: UnitOfWork, *, actor: Actor, through: date | None = None
) -> int:
    """Generates what is due up to `through` (today on the clinic's calendar when None; a
    later day is refused, as an expense cannot be dated in the future); returns how many
    expenses were created."""
    with uow.transaction(actor) as session:
        require_writer(session, actor)
        today = clinic_today(session)
        day = past_date(through or today, field="through", label=_("Up to"), today=today)
        assert day is not None
        created = generate_due_expenses(session, through=day)
        if created:
            announce(uow, created)
        return len(created)


# -- templates -------------------------------------------------------------------------------


def _dto(template: RecurringExpense, names: dict[uuid.UUID, str]) -> RecurringExpenseDTO:
    return RecurringExpenseDTO(
        id=template.id,
        category=template.category,
        category_label=category_label(template.category),
        description=template.description,
        supplier_id=template.supplier_id,
        supplier_name=(
            names.get(template.supplier_id, "") if template.supplier_id else template.supplier_name
        ),
        net=template.net,
        tax=template.tax,
        total=template.total,
        payment_method=template.payment_method,
        day_of_month=template.day_of_month,
        starts_on=template.starts_on,
        ends_on=template.ends_on,
        generated_through=template.generated_through,
        active=template.active,
        next_date=_next_date(template),
        version=template.version,
    )


def _one_dto(session: Session, template: RecurringExpense) -> RecurringExpenseDTO:
    return _dto(template, supplier_names(session, [template.supplier_id]))


def _load(session: Session, recurring_id: uuid.UUID) -> RecurringExpense:
    template = session.get(RecurringExpense, recurring_id)
    if template is None or template.is_deleted:
        raise NotFound(_("This recurring expense no longer exists."))
    return template


def _values(
    session: Session, form: RecurringForm, *, current_supplier: uuid.UUID | None = None
) -> dict[str, object]:
    if form.starts_on is None:  # an empty date box
        raise ValidationError(_("Starts on: enter the first day it applies."), field="starts_on")
    shared = clean_category_supplier_amounts(session, form, current_supplier=current_supplier)
    if not 1 <= form.day_of_month <= 31:
        raise ValidationError(
            _("Day of the month: from 1 to 31 (29 to 31 mean the last day in shorter months)."),
            field="day_of_month",
        )
    if form.ends_on is not None and form.ends_on < form.starts_on:
        raise ValidationError(_("Ends on: it cannot be before the start date."), field="ends_on")
    return {
        **shared,
        "description": clean_text(
            form.description, field="description", label=_("Description"), limit=DESCRIPTION_LIMIT
        ),
        "payment_method": clean_payment_method(form.payment_method),
        "day_of_month": form.day_of_month,
        "starts_on": form.starts_on,
        "ends_on": form.ends_on,
    }


def list_recurring_expenses(
    uow: UnitOfWork, *, actor: Actor, include_inactive: bool = False
) -> list[RecurringExpenseDTO]:
    """The templates by category and description; inactive ones only when asked."""
    with uow.transaction(actor) as session:
        require_reader(session, actor)
        query = select(RecurringExpense).where(RecurringExpense.deleted_at.is_(None))
        if not include_inactive:
            query = query.where(RecurringExpense.active.is_(True))
        rows = list(session.scalars(query.order_by(func.lower(RecurringExpense.description))))
        names = supplier_names(session, [row.supplier_id for row in rows])
        dtos = [_dto(row, names) for row in rows]
    return sorted(dtos, key=lambda d: (not d.active, fold(d.category_label), fold(d.title)))


def get_recurring_expense(
    uow: UnitOfWork, *, actor: Actor, recurring_id: uuid.UUID
) -> RecurringExpenseDTO:
    with uow.transaction(actor) as session:
        require_reader(session, actor)
        return _one_dto(session, _load(session, recurring_id))


def create_recurring_expense(
    uow: UnitOfWork, *, actor: Actor, form: RecurringForm
) -> RecurringExpenseDTO:
    """Records the template; its expenses appear when `generate_recurring_expenses` runs."""
    with uow.transaction(actor) as session:
        require_writer(session, actor)
        template = RecurringExpense(**_values(session, form), generated_through=None, active=True)
        session.add(template)
        session.flush()
        announce(uow, [template.id])
        return _one_dto(session, template)


def update_recurring_expense(
    uow: UnitOfWork,
    *,
    actor: Actor,
    recurring_id: uuid.UUID,
    expected_version: int,
    form: RecurringForm,
) -> RecurringExpenseDTO:
    """Saves the template; expenses already generated keep their amounts, and months already
    generated are not generated again even if the start date moves earlier."""
    with uow.transaction(actor) as session:
        require_writer(session, actor)
        template = _load(session, recurring_id)
        check_version(session, template, expected_version)
        for key, value in _values(session, form, current_supplier=template.supplier_id).items():
            setattr(template, key, value)
        session.flush()
        announce(uow, [template.id])
        return _one_dto(session, template)


def set_recurring_active(
    uow: UnitOfWork, *, actor: Actor, recurring_id: uuid.UUID, active: bool
) -> RecurringExpenseDTO:
    """Deactivating stops the generation; the expenses generated stay. Reactivating resumes
    with the current month: the months it was off are not filled in afterwards."""
    with uow.transaction(actor) as session:
        require_writer(session, actor)
        template = _load(session, recurring_id)
        if active and not template.active:
            skipped = previous_month(month_start(clinic_today(session)))
            if template.generated_through is not None and template.generated_through < skipped:
                template.generated_through = skipped
        template.active = active
        session.flush()
        announce(uow, [template.id])
        return _one_dto(session, template)


def deactivate_recurring_expense(
    uow: UnitOfWork, *, actor: Actor, recurring_id: uuid.UUID
) -> RecurringExpenseDTO:
    return set_recurring_active(uow, actor=actor, recurring_id=recurring_id, active=False)
