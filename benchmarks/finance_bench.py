"""Finance figures on a 2,000-patient demo clinic grown to ten years of billing with 1,000,000
invoice lines (finance_bench_data.py), acting as the demo owner (duena), so the permission
check runs:
- finance_report_10y_ms: the monthly income, expenses and profit report over the ten years on
  the issued-invoices basis (report_income_expenses, 121 months), median of 9;
  finance_report_ratio against the raw SQL aggregate floor: the same two GROUP BY queries
  (invoices' total − tax by month, credit notes apart; expenses by month) on a keyed
  connection of the same engine, median of 9;
- finance_dashboard_10y_cold_ms: the first dashboard over 120 months, which computes and
  keeps the income by treatment of every month that is over (models.finance_cache);
- finance_dashboard_ms: the owner's dashboard (12 months, top treatments, appointments,
  receivables, stock alerts), median of 9; finance_dashboard_10y_ms the same over 120 months
  with finance_dashboard_10y_ratio against a floor of the raw monthly aggregate plus the raw
  invoice lines by treatment over those ten years (what the dashboard would add up without
  the kept months)."""

from __future__ import annotations

import time
from collections.abc import Iterator
from datetime import date
from typing import Any

from bench_kit import Figure, Workspace, demo_actor, demo_clinic, median_ms, raw_rows

RUNS = 9

_RAW_MONTHLY = """
SELECT substr(issue_date, 1, 7),
       sum(CASE WHEN kind = 'credit_note' THEN 0 ELSE total - tax_total END),
       sum(CASE WHEN kind = 'credit_note' THEN total - tax_total ELSE 0 END)
  FROM invoices
 WHERE status != 'draft' AND deleted_at IS NULL AND issue_date >= ? AND issue_date <= ?
 GROUP BY 1
"""
_RAW_EXPENSES = """
SELECT substr(expense_date, 1, 7), sum(net) FROM expenses
 WHERE deleted_at IS NULL AND expense_date >= ? AND expense_date <= ?
 GROUP BY 1
"""
_RAW_BY_TREATMENT = """
SELECT l.treatment_id, sum(l.quantity), sum(l.net - l.global_discount)
  FROM invoice_lines l JOIN invoices i ON i.id = l.invoice_id
 WHERE i.status != 'draft' AND i.issue_date >= ? AND i.issue_date <= ?
 GROUP BY l.treatment_id
"""


def finance_figures(ws: Workspace) -> Iterator[Figure]:
    from finance_bench_data import LINES, grow_billing, utc_now

    from clinic_desktop.actor import Actor
    from clinic_desktop.services.dashboard import dashboard
    from clinic_desktop.services.finance_reports import report_income_expenses

    db = demo_clinic(ws, "finance")
    try:
        now = utc_now()
        start = time.perf_counter()
        with db.uow().transaction(Actor.system("bench")) as session:
            counts = grow_billing(session, now)
        assert counts["lines"] == LINES, counts
        yield "finance_bench_fill_s", time.perf_counter() - start, "s"
        actor = demo_actor(db, "duena")
        today = now.date()
        first = today.replace(year=today.year - 10, day=1)

        def report() -> Any:
            return report_income_expenses(
                db.uow(), actor=actor, date_from=first, date_to=today, granularity="month"
            )

        assert len(report().rows) == 121
        service = median_ms(report, RUNS, warm_up=True)
        floor = median_ms(
            lambda: _raw(db, first, today, _RAW_MONTHLY, _RAW_EXPENSES), RUNS, warm_up=True
        )
        yield "finance_report_10y_ms", service, "ms"
        yield "finance_report_floor_ms", floor, "ms"
        yield "finance_report_ratio", service / floor, "x"

        # The first ten-year dashboard computes and keeps every month that is over (nothing
        # is kept after the bulk fill); later ones read them back.
        start = time.perf_counter()
        dashboard(db.uow(), actor=actor, months=120)
        yield "finance_dashboard_10y_cold_ms", (time.perf_counter() - start) * 1000, "ms"
        board = median_ms(lambda: dashboard(db.uow(), actor=actor, months=12), RUNS, warm_up=True)
        yield "finance_dashboard_ms", board, "ms"
        board_10y = median_ms(
            lambda: dashboard(db.uow(), actor=actor, months=120), RUNS, warm_up=True
        )
        floor_10y = median_ms(
            lambda: _raw(db, first, today, _RAW_MONTHLY, _RAW_EXPENSES, _RAW_BY_TREATMENT),
            RUNS,
            warm_up=True,
        )
        yield "finance_dashboard_10y_ms", board_10y, "ms"
        yield "finance_dashboard_10y_floor_ms", floor_10y, "ms"
        yield "finance_dashboard_10y_ratio", board_10y / floor_10y, "x"
    finally:
        db.close()


def _raw(db: Any, first: date, last: date, *queries: str) -> list[list[Any]]:
    """The floor: `queries` over the days from `first` to `last`."""
    return raw_rows(db, *queries, params=(first.isoformat(), last.isoformat()))
