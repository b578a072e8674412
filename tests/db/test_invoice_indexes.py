"""What is still owed is read from the covering index on invoices (status first, then kind,
currency, deletion, issue date and the amounts): SQLite's plan for the receivables aggregate
the dashboard and the aging run searches that index alone, never the invoices' rows."""

from __future__ import annotations

from sqlalchemy import func, select, text
from support.invoice_data import SYSTEM

from clinic_desktop.services.finance_reports_ledger import open_balance, receivable_invoices
from clinic_desktop.services.report_common import frame_of
from clinic_desktop.services.startup import CreatedClinic


def test_the_receivables_aggregate_reads_only_the_covering_index(demo: CreatedClinic) -> None:
    with demo.db.uow().transaction(SYSTEM) as session:
        frame = frame_of(session)
        query = select(func.count(), func.sum(open_balance())).where(*receivable_invoices(frame))
        sql = query.compile(session.get_bind(), compile_kwargs={"literal_binds": True})
        plan = " | ".join(
            str(row[-1]) for row in session.execute(text(f"EXPLAIN QUERY PLAN {sql}"))
        )
    assert "USING COVERING INDEX ix_invoices_open_amounts" in plan, plan
