"""what is still owed is read from one covering index: invoices by status with their kind,
currency, deletion, issue date and amounts (it replaces the index on status alone, which it
starts with); the income of each treatment in each month that is over, kept for the rankings
over years (derived, filled by the reports, empty after the upgrade)

Revision ID: 0010
Revises: 0009
Create Date: 2026-11-24 08:35:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0010"
down_revision = "0009"
branch_labels = None
depends_on = None

COLUMNS = [
    "status",
    "kind",
    "currency",
    "deleted_at",
    "issue_date",
    "total",
    "paid_total",
    "credited_total",
]


def upgrade() -> None:
    op.create_table(
        "treatment_month_income",
        sa.Column("month", sa.Date(), nullable=False),
        sa.Column("currency", sa.String(length=3), nullable=False),
        sa.Column("key", sa.String(length=40), nullable=False),
        sa.Column("quantity", sa.BigInteger(), nullable=False),
        sa.Column("income", sa.BigInteger(), nullable=False),
        sa.PrimaryKeyConstraint("month", "currency", "key", name=op.f("pk_treatment_month_income")),
    )
    op.create_index("ix_invoices_open_amounts", "invoices", COLUMNS, unique=False)
    op.drop_index("ix_invoices_status", table_name="invoices")


def downgrade() -> None:
    op.drop_table("treatment_month_income")
    op.create_index("ix_invoices_status", "invoices", ["status"], unique=False)
    op.drop_index("ix_invoices_open_amounts", table_name="invoices")
