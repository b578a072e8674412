"""Recurring expenses through the real services on a real SQLCipher demo clinic: a monthly
template generating one expense a month over fourteen months, day 31 falling on February's
last day, generating again adding nothing (nor a month deleted on purpose), start and end
dates, editing affecting only later months, deactivating and reactivating, the session-level
helper the demo generator calls, and every refusal naming its field and changing nothing."""

from __future__ import annotations

import calendar
import json
import uuid
from datetime import date, timedelta
from decimal import Decimal

import pytest
from sqlalchemy import func, select
from support.clinical_actors import actor
from support.purchasing_data import SYSTEM, clinic_today

from clinic_desktop.errors import ConcurrentEditError, PermissionDenied, ValidationError
from clinic_desktop.events import BillingChanged
from clinic_desktop.models.audit import AuditEntry
from clinic_desktop.models.expense import Expense, RecurringExpense
from clinic_desktop.services.expense_dto import ExpenseDTO, RecurringForm
from clinic_desktop.services.expenses import delete_expense, list_expenses
from clinic_desktop.services.recurring_expenses import (
    create_recurring_expense,
    deactivate_recurring_expense,
    generate_due_expenses,
    generate_recurring_expenses,
    get_recurring_expense,
    list_recurring_expenses,
    set_recurring_active,
    update_recurring_expense,
)

TODAY = clinic_today()
THIS_MONTH = TODAY.replace(day=1)


@pytest.fixture(autouse=True)
def _today() -> None:
    """Today read per test, not once at import: a run that passes midnight in the clinic's
    zone would otherwise compare against yesterday."""
    global TODAY, THIS_MONTH
    TODAY = clinic_today()
    THIS_MONTH = TODAY.replace(day=1)


def months_back(count: int) -> date:
    """The first day of the month `count` months before this one."""
    year, month = divmod(THIS_MONTH.year * 12 + THIS_MONTH.month - 1 - count, 12)
    return date(year, month + 1, 1)


def last_day(first: date) -> date:
    return first.replace(day=calendar.monthrange(first.year, first.month)[1])


def _form(**changes: object) -> RecurringForm:
    values: dict[str, object] = {
        "category": "rent",
        "description": "T· Arriendo del local",
        "supplier_name": "Inmobiliaria Los Andes",
        "total": Decimal("850.00"),
        "payment_method": "transfer",
        "day_of_month": 31,
        "starts_on": months_back(14),
    }
    values.update(changes)
    return RecurringForm(**values)  # type: ignore[arg-type]


def _generated(demo, recurring_id: uuid.UUID) -> list[ExpenseDTO]:
    found = list_expenses(demo.db.uow(), actor=SYSTEM, date_from=months_back(30), date_to=TODAY)
    return sorted(
        (e for e in found if e.recurring_id == recurring_id), key=lambda e: e.expense_date
    )


def _state(demo) -> tuple[int, int, int]:
    """(expenses, templates, audit entries): what a refusal must leave as it was."""
    with demo.db.uow().transaction(SYSTEM) as session:
        return tuple(  # type: ignore[return-value]
            int(session.scalar(select(func.count()).select_from(model)) or 0)
            for model in (Expense, RecurringExpense, AuditEntry)
        )


def test_fourteen_months_are_generated_once_each_on_the_months_last_day(demo) -> None:
    reception = actor(demo, "recepcion")
    template = create_recurring_expense(demo.db.uow(), actor=reception, form=_form())
    assert template.next_date == last_day(months_back(14)) and template.generated_through is None
    events: list[BillingChanged] = []
    demo.db.bus.subscribe(BillingChanged, events.append)
    through = THIS_MONTH - timedelta(days=1)  # the end of last month: fourteen whole months
    count = generate_recurring_expenses(demo.db.uow(), actor=reception, through=through)
    assert count == 14
    made = _generated(demo, template.id)
    assert [e.expense_date for e in made] == [last_day(months_back(n)) for n in range(14, 0, -1)]
    february = [e.expense_date for e in made if e.expense_date.month == 2]
    assert february and all(d.day in (28, 29) for d in february)
    assert {(e.total, e.net, e.tax, e.category, e.supplier_name) for e in made} == {
        (Decimal("850.00"), Decimal("850.00"), 0, "rent", "Inmobiliaria Los Andes")
    }
    assert len(events) == 1 and set(events[0].ids) == {str(e.id) for e in made}
    with demo.db.uow().transaction(SYSTEM) as session:
        audited = session.scalars(
            select(AuditEntry.user_name).where(
                AuditEntry.entity == "Expense",
                AuditEntry.action == "create",
                AuditEntry.entity_id.in_([str(e.id) for e in made]),
            )
        ).all()
    assert audited == ["recepcion"] * 14
    after = get_recurring_expense(demo.db.uow(), actor=SYSTEM, recurring_id=template.id)
    assert after.generated_through == months_back(1)
    assert after.next_date == last_day(THIS_MONTH)
    # Again: nothing new, even once a generated month was deleted on purpose.
    delete_expense(demo.db.uow(), actor=reception, expense_id=made[3].id)
    before = _state(demo)
    assert generate_recurring_expenses(demo.db.uow(), actor=reception, through=through) == 0
    assert generate_recurring_expenses(demo.db.uow(), actor=reception, through=through) == 0
    assert _state(demo) == before
    assert len(_generated(demo, template.id)) == 13
    # Today adds this month only when its last day has come.
    added = generate_recurring_expenses(demo.db.uow(), actor=reception)
    assert added == (1 if last_day(THIS_MONTH) == TODAY else 0)


def test_the_start_and_end_dates_bound_the_months(demo) -> None:
    # Starts on the 15th of a month with day 10: its first expense is the next month's 10th.
    starts = months_back(6).replace(day=15)
    ends = months_back(2).replace(day=9)  # ends before that month's 10th
    template = create_recurring_expense(
        demo.db.uow(),
        actor=SYSTEM,
        form=_form(day_of_month=10, starts_on=starts, ends_on=ends),
    )
    assert template.next_date == months_back(5).replace(day=10)
    assert generate_recurring_expenses(demo.db.uow(), actor=SYSTEM) == 3
    assert [e.expense_date for e in _generated(demo, template.id)] == [
        months_back(n).replace(day=10) for n in (5, 4, 3)
    ]
    ended = get_recurring_expense(demo.db.uow(), actor=SYSTEM, recurring_id=template.id)
    assert ended.next_date is None
    assert generate_recurring_expenses(demo.db.uow(), actor=SYSTEM) == 0
    # A template starting after `through` generates nothing yet.
    later = create_recurring_expense(
        demo.db.uow(), actor=SYSTEM, form=_form(starts_on=TODAY + timedelta(days=40))
    )
    assert generate_recurring_expenses(demo.db.uow(), actor=SYSTEM) == 0
    assert _generated(demo, later.id) == []


def test_an_edit_changes_only_the_months_generated_afterwards(demo) -> None:
    template = create_recurring_expense(
        demo.db.uow(), actor=SYSTEM, form=_form(day_of_month=1, starts_on=months_back(3))
    )
    generate_recurring_expenses(demo.db.uow(), actor=SYSTEM, through=months_back(2))
    # Generating moved its `generated_through`: an editor reopens it at its new version.
    stale, template = (
        template,
        get_recurring_expense(demo.db.uow(), actor=SYSTEM, recurring_id=template.id),
    )
    assert template.version > stale.version
    edited = update_recurring_expense(
        demo.db.uow(),
        actor=actor(demo, "recepcion"),
        recurring_id=template.id,
        expected_version=template.version,
        form=_form(day_of_month=1, starts_on=months_back(3), net=Decimal(900), total=None),
    )
    assert edited.total == Decimal("900") and edited.version == template.version + 1
    with demo.db.uow().transaction(SYSTEM) as session:
        action, changes = session.execute(
            select(AuditEntry.action, AuditEntry.changes)
            .where(AuditEntry.entity_id == str(template.id))
            .order_by(AuditEntry.seq.desc())
            .limit(1)
        ).one()
    assert action == "update"
    assert json.loads(changes)["total"] == {"old": "850.00", "new": "900.00"}
    generate_recurring_expenses(demo.db.uow(), actor=SYSTEM)
    assert [(e.expense_date, e.total) for e in _generated(demo, template.id)] == [
        (months_back(3), Decimal("850.00")),
        (months_back(2), Decimal("850.00")),
        (months_back(1), Decimal("900.00")),
        (THIS_MONTH, Decimal("900.00")),
    ]
    before = _state(demo)
    with pytest.raises(ConcurrentEditError):
        update_recurring_expense(
            demo.db.uow(),
            actor=SYSTEM,
            recurring_id=template.id,
            expected_version=template.version,
            form=_form(total=Decimal(1)),
        )
    assert _state(demo) == before


def test_an_inactive_template_stops_and_resumes_without_filling_the_gap(demo) -> None:
    template = create_recurring_expense(
        demo.db.uow(), actor=SYSTEM, form=_form(day_of_month=1, starts_on=months_back(5))
    )
    assert generate_recurring_expenses(demo.db.uow(), actor=SYSTEM, through=months_back(4)) == 2
    off = deactivate_recurring_expense(demo.db.uow(), actor=SYSTEM, recurring_id=template.id)
    assert (off.active, off.next_date) == (False, None)
    assert list_recurring_expenses(demo.db.uow(), actor=SYSTEM) == []
    everything = list_recurring_expenses(demo.db.uow(), actor=SYSTEM, include_inactive=True)
    assert [t.id for t in everything] == [template.id]
    assert generate_recurring_expenses(demo.db.uow(), actor=SYSTEM) == 0
    on = set_recurring_active(demo.db.uow(), actor=SYSTEM, recurring_id=template.id, active=True)
    assert on.next_date == THIS_MONTH
    assert generate_recurring_expenses(demo.db.uow(), actor=SYSTEM) == 1
    assert [e.expense_date for e in _generated(demo, template.id)] == [
        months_back(5),
        months_back(4),
        THIS_MONTH,
    ]


def test_the_session_helper_generates_what_the_service_would(demo) -> None:
    template = create_recurring_expense(
        demo.db.uow(), actor=SYSTEM, form=_form(day_of_month=28, starts_on=months_back(24))
    )
    with demo.db.uow().transaction(SYSTEM) as session:
        ids = generate_due_expenses(session, through=months_back(12))
        again = generate_due_expenses(session, through=months_back(12))
    # The 28th of `through`'s own month is still ahead of it: twelve months, 24 to 13 back.
    assert (len(ids), again) == (12, [])
    assert [e.id for e in _generated(demo, template.id)] == ids
    rest = generate_recurring_expenses(
        demo.db.uow(), actor=SYSTEM, through=last_day(months_back(1))
    )
    assert rest == 12


@pytest.mark.parametrize(
    ("changes", "field", "words"),
    [
        ({"day_of_month": 0}, "day_of_month", "1 to 31"),
        ({"day_of_month": 32}, "day_of_month", "1 to 31"),
        ({"ends_on": months_back(15)}, "ends_on", "before the start"),
        ({"category": ""}, "category", "required"),
        ({"total": Decimal("-5")}, "total", "negative"),
        ({"total": Decimal("5"), "net": Decimal("4"), "tax": Decimal("0.5")}, "total", "net"),
        ({"payment_method": "cheque"}, "payment_method", "list"),
    ],
)
def test_a_bad_template_is_refused_naming_the_field(
    demo, changes: dict[str, object], field: str, words: str
) -> None:
    before = _state(demo)
    with pytest.raises(ValidationError) as refused:
        create_recurring_expense(demo.db.uow(), actor=SYSTEM, form=_form(**changes))
    assert refused.value.field == field and words in refused.value.message
    assert _state(demo) == before


def test_generating_into_the_future_or_without_billing_is_refused(demo) -> None:
    create_recurring_expense(demo.db.uow(), actor=SYSTEM, form=_form())
    doctor = actor(demo, "medico")  # signing in is audited: before counting
    before = _state(demo)
    with pytest.raises(ValidationError) as refused:
        generate_recurring_expenses(demo.db.uow(), actor=SYSTEM, through=TODAY + timedelta(days=1))
    assert refused.value.field == "through"
    with pytest.raises(PermissionDenied):
        generate_recurring_expenses(demo.db.uow(), actor=doctor)
    with pytest.raises(PermissionDenied):
        create_recurring_expense(demo.db.uow(), actor=doctor, form=_form())
    with pytest.raises(PermissionDenied):
        list_recurring_expenses(demo.db.uow(), actor=doctor)
    assert _state(demo) == before
