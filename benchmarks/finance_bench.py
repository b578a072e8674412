"""Finance figures on a 2,000-patient demo clinic grown to ten years of billing with 1,000,000
invoice lines (finance_bench_data.py), acting as the demo owner (duena), so the permission
check runs:
- finance_report_10y_ms: the monthly income, expenses and profit report over the ten years on
  the issued-invoices basis (report_income_expenses, 121 months), median of 9;
  finance_report_ratio against the raw SQL aggregate floor: the same two GROUP BY queries
  (invoices' total − tax by month, credit notes apart; expenses by month) on a keyed
  connection of the same engine, median of 9;
- finance_dashboard_ms: the owner's dashboard (12 months, top treatments, appointments,
  receivables, stock alerts), median of 9; finance_dashboard_10y_ms the same over 120 months
  with finance_dashboard_10y_ratio against a floor of the raw monthly aggregate plus the raw
  invoice lines by treatment over those ten years."""

from __future__ import annotations

import statistics
import time
from collections.abc import Callable, Iterator
from datetime import date
from pathlib import Path
from typing import Any, Protocol

Figure = tuple[str, float, str]
PATIENTS = "2000"
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


class Workspace(Protocol):
    root: Path

    def cli(self, *args: str) -> float: ...


def _median_ms(run: Callable[[], object], times: int = RUNS) -> float:
    run()  # the first call pays one-off imports and statement caches
    samples = []
    for _ in range(times):
        start = time.perf_counter()
        run()
        samples.append((time.perf_counter() - start) * 1000)
    return statistics.median(samples)


def finance_figures(ws: Workspace) -> Iterator[Figure]:
    from finance_bench_data import LINES, grow_billing, utc_now
    from inventory_bench import _actor

    from clinic_desktop.actor import Actor
    from clinic_desktop.config import AppPaths
    from clinic_desktop.services.dashboard import dashboard
    from clinic_desktop.services.finance_reports import report_income_expenses
    from clinic_desktop.services.startup import open_clinic, unlock

    path = ws.root / "finance"
    ws.cli("--data-dir", str(path), "demo", "--patients", PATIENTS)
    db = open_clinic(AppPaths(path), unlock(AppPaths(path)))
    try:
        now = utc_now()
        start = time.perf_counter()
        with db.uow().transaction(Actor.system("bench")) as session:
            counts = grow_billing(session, now)
        assert counts["lines"] == LINES, counts
        yield "finance_bench_fill_s", time.perf_counter() - start, "s"
        actor = _actor(db, "duena")
        today = now.date()
        first = today.replace(year=today.year - 10, day=1)

        def report() -> Any:
            return report_income_expenses(
                db.uow(), actor=actor, date_from=first, date_to=today, granularity="month"
            )

        assert len(report().rows) == 121
        service = _median_ms(report)
        floor = _median_ms(lambda: _raw(db, first, today, _RAW_MONTHLY, _RAW_EXPENSES))
        yield "finance_report_10y_ms", service, "ms"
        yield "finance_report_floor_ms", floor, "ms"
        yield "finance_report_ratio", service / floor, "x"

        board = _median_ms(lambda: dashboard(db.uow(), actor=actor, months=12))
        yield "finance_dashboard_ms", board, "ms"
        board_10y = _median_ms(lambda: dashboard(db.uow(), actor=actor, months=120))
        floor_10y = _median_ms(
            lambda: _raw(db, first, today, _RAW_MONTHLY, _RAW_EXPENSES, _RAW_BY_TREATMENT)
        )
        yield "finance_dashboard_10y_ms", board_10y, "ms"
        yield "finance_dashboard_10y_floor_ms", floor_10y, "ms"
        yield "finance_dashboard_10y_ratio", board_10y / floor_10y, "x"
    finally:
        db.close()


def _raw(db: Any, first: date, last: date, *queries: str) -> list[Any]:
    with db.engine.connect() as conn:
        return [
            list(conn.exec_driver_sql(sql, (first.isoformat(), last.isoformat())))
            for sql in queries
        ]
