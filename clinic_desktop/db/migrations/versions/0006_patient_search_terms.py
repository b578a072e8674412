"""patient search index: one row per searchable term of each patient (folded name words, ID
number, phones, chart number), filled for the existing patients

Revision ID: 0006
Revises: 0005
Create Date: 2026-11-24 01:00:00
"""

from __future__ import annotations

import unicodedata

import sqlalchemy as sa
from alembic import op

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None


def _fold(text: str) -> str:
    # Copies of models.patient.fold and models.patient_search.normalize_term as they are
    # today: a migration must not change with the code.
    decomposed = unicodedata.normalize("NFKD", text)
    bare = "".join(c for c in decomposed if not unicodedata.combining(c))
    return " ".join(bare.casefold().split())


def _term(text: str) -> str:
    return "".join(c for c in _fold(text) if c.isalnum())[:60]


def upgrade() -> None:
    op.create_table('patient_search_terms',
    sa.Column('patient_id', sa.Uuid(), nullable=False),
    sa.Column('term', sa.String(length=60), nullable=False),
    sa.Column('sort_name', sa.String(length=250), nullable=False),
    sa.Column('state', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['patient_id'], ['patients.id'], name=op.f('fk_patient_search_terms_patient_id_patients')),
    sa.PrimaryKeyConstraint('patient_id', 'term', name=op.f('pk_patient_search_terms'))
    )
    with op.batch_alter_table('patient_search_terms', schema=None) as batch_op:
        batch_op.create_index('ix_patient_search_terms_term', ['state', 'term', 'sort_name', 'patient_id'], unique=False)

    conn = op.get_bind()
    patients = conn.execute(
        sa.text(
            "SELECT id, first_names, last_names, id_number, phone, mobile_phone, chart_number, "
            "archived_at, deleted_at FROM patients"
        )
    )
    rows = []
    for pid, first, last, number, phone, mobile, chart, archived, deleted in patients:
        terms = {_term(word) for word in f"{first} {last}".split()}
        terms |= {_term(value) for value in (number, phone, mobile) if value}
        for value in (phone, mobile):
            digits = _term(value or "")
            if len(digits) > 7:
                terms.add(digits[-7:])
        terms.add(str(chart))
        terms.discard("")
        order = _fold(f"{last} {first}")[:250]
        state = 2 if deleted is not None else 1 if archived is not None else 0
        rows += [
            {"patient_id": pid, "term": t, "sort_name": order, "state": state}
            for t in sorted(terms)
        ]
    if rows:
        # Raw ids as read: the Uuid type would re-encode them.
        conn.execute(
            sa.text(
                "INSERT INTO patient_search_terms (patient_id, term, sort_name, state) "
                "VALUES (:patient_id, :term, :sort_name, :state)"
            ),
            rows,
        )


def downgrade() -> None:
    op.drop_table("patient_search_terms")
