"""Income by treatment with the months that are over kept aside: whatever the period (whole
months, partial ones, up to today), the figures equal those added up from the lines alone to
the cent; the first report keeps each closed month (with a marker, so an empty one is not
computed again); a document issued into a kept month (backdated, as the demo and tests do)
drops that month and the next report counts it; a payment on an old invoice keeps them."""

from __future__ import annotations

from datetime import UTC, date, datetime, time
from decimal import Decimal

from sqlalchemy import func, select
from support.finance_data import END, START, seed_finance
from support.invoice_data import SYSTEM, actor, draft, issue_draft, line

from clinic_desktop.models.billing import Invoice
from clinic_desktop.models.finance_cache import COMPUTED, TreatmentMonthIncome
from clinic_desktop.services.report_common import frame_of
from clinic_desktop.services.startup import CreatedClinic
from clinic_desktop.services.treatment_months import (
    closed_months,
    income_by_treatment,
    income_from_lines,
)

D = Decimal


def _both(clinic: CreatedClinic, date_from: date, date_to: date) -> tuple[dict, dict]:
    with clinic.db.uow().transaction(SYSTEM) as session:
        frame = frame_of(session)
        kept = income_by_treatment(session, frame, date_from, date_to)
        lines = income_from_lines(session, frame, date_from, date_to)
    return kept, lines


def _kept_months(clinic: CreatedClinic) -> list[date]:
    with clinic.db.uow().transaction(SYSTEM) as session:
        return sorted(
            session.scalars(
                select(TreatmentMonthIncome.month).where(TreatmentMonthIncome.key == COMPUTED)
            )
        )


def test_closed_months_are_the_whole_ones_already_over() -> None:
    today = date(2024, 6, 10)
    assert closed_months(date(2024, 1, 1), date(2024, 6, 30), today) == [
        date(2024, m, 1) for m in range(1, 6)
    ]
    assert closed_months(date(2024, 1, 15), date(2024, 4, 29), today) == [
        date(2024, 2, 1),
        date(2024, 3, 1),
    ]
    assert closed_months(date(2024, 6, 1), date(2024, 6, 30), today) == []


def test_kept_months_give_the_same_figures_as_the_lines(demo: CreatedClinic) -> None:
    seed_finance(demo.db)
    assert _kept_months(demo) == []
    for date_from, date_to in (
        (START, END),
        (date(2024, 1, 15), date(2024, 5, 10)),
        (date(2024, 3, 1), date(2024, 3, 31)),
        (START, datetime.now(UTC).date()),
    ):
        kept, lines = _both(demo, date_from, date_to)
        assert kept == lines and lines, (date_from, date_to)
    # Every month from January 2024 to last month is kept, each computed once.
    months = _kept_months(demo)
    assert months[0] == START and len(months) == len(set(months)) >= 6
    again, lines = _both(demo, START, END)
    assert again == lines


def test_a_document_issued_into_a_kept_month_drops_it(demo: CreatedClinic) -> None:
    seed_finance(demo.db)
    before, _lines = _both(demo, START, END)
    assert date(2024, 3, 1) in _kept_months(demo)
    desk = actor(demo, "recepcion")
    march = datetime.combine(date(2024, 3, 20), time(15, 0), tzinfo=UTC)
    issue_draft(demo, desk, draft(demo, desk, [line("Certificado médico", "12.00")]), now=march)
    assert date(2024, 3, 1) not in _kept_months(demo)
    assert date(2024, 2, 1) in _kept_months(demo)  # the other months stay
    after, lines = _both(demo, START, END)
    assert after == lines
    assert after["free"][1] == before.get("free", (D(0), D(0)))[1] + D("12.00")
    assert date(2024, 3, 1) in _kept_months(demo)  # and it is kept again

    # Paying an old invoice changes nothing of what its month invoiced: the months stay.
    with demo.db.uow().transaction(SYSTEM) as session:
        old = (
            session.scalars(select(Invoice).where(Invoice.issue_date == date(2024, 2, 5))).first()
            or session.scalars(
                select(Invoice).where(func.substr(Invoice.issue_date, 1, 7) == "2024-02")
            ).first()
        )
        assert old is not None
        old.paid_total = old.total
        old.settle()
    assert date(2024, 2, 1) in _kept_months(demo)
