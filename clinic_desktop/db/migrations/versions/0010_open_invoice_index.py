"""what is still owed is read from one covering index: invoices by status with their kind,
currency, deletion, issue date and amounts (it replaces the index on status alone, which it
starts with)

Revision ID: 0010
Revises: 0009
Create Date: 2026-11-24 08:35:00
"""

from __future__ import annotations

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
    op.create_index("ix_invoices_open_amounts", "invoices", COLUMNS, unique=False)
    op.drop_index("ix_invoices_status", table_name="invoices")


def downgrade() -> None:
    op.create_index("ix_invoices_status", "invoices", ["status"], unique=False)
    op.drop_index("ix_invoices_open_amounts", table_name="invoices")
