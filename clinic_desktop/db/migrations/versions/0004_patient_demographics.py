"""patients: demographics (second phone, emergency contact, payer, referral source, preferred
language), archiving, a folded name column for accent-blind search (filled for existing
patients) and the consents history

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-23 23:30:00
"""

from __future__ import annotations

import unicodedata

import sqlalchemy as sa
from alembic import op

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None


def _fold(text: str) -> str:
    # A copy of models.patient.fold as it is today: a migration must not change with the code.
    decomposed = unicodedata.normalize("NFKD", text)
    bare = "".join(c for c in decomposed if not unicodedata.combining(c))
    return " ".join(bare.casefold().split())


def upgrade() -> None:
    op.create_table('patient_consents',
    sa.Column('patient_id', sa.Uuid(), nullable=False),
    sa.Column('kind', sa.String(length=24), nullable=False),
    sa.Column('granted', sa.Boolean(), nullable=False),
    sa.Column('note', sa.String(length=300), nullable=False),
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('updated_at', sa.DateTime(), nullable=False),
    sa.Column('created_by', sa.Uuid(), nullable=True),
    sa.Column('updated_by', sa.Uuid(), nullable=True),
    sa.Column('deleted_at', sa.DateTime(), nullable=True),
    sa.Column('deleted_by', sa.Uuid(), nullable=True),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['patient_id'], ['patients.id'], name=op.f('fk_patient_consents_patient_id_patients')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_patient_consents'))
    )
    with op.batch_alter_table('patient_consents', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_patient_consents_patient_id'), ['patient_id'], unique=False)

    with op.batch_alter_table('patients', schema=None) as batch_op:
        batch_op.add_column(
            sa.Column('search_name', sa.String(length=250), nullable=False, server_default='')
        )
        batch_op.add_column(sa.Column('mobile_phone', sa.String(length=40), nullable=True))
        batch_op.add_column(sa.Column('emergency_contact', sa.String(length=200), nullable=True))
        batch_op.add_column(sa.Column('emergency_phone', sa.String(length=40), nullable=True))
        batch_op.add_column(sa.Column('payer', sa.String(length=200), nullable=True))
        batch_op.add_column(sa.Column('referral_source', sa.String(length=200), nullable=True))
        batch_op.add_column(sa.Column('preferred_language', sa.String(length=8), nullable=True))
        batch_op.add_column(sa.Column('archived_at', sa.DateTime(), nullable=True))
        batch_op.add_column(sa.Column('archived_by', sa.Uuid(), nullable=True))
        batch_op.create_index(batch_op.f('ix_patients_search_name'), ['search_name'], unique=False)

    conn = op.get_bind()
    rows = conn.execute(sa.text("SELECT id, first_names, last_names FROM patients")).all()
    for pid, first, last in rows:
        conn.execute(
            sa.text("UPDATE patients SET search_name = :name WHERE id = :id"),
            {"name": _fold(f"{first} {last}"), "id": pid},
        )


def downgrade() -> None:
    with op.batch_alter_table("patients", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_patients_search_name"))
        for column in (
            "archived_by",
            "archived_at",
            "preferred_language",
            "referral_source",
            "payer",
            "emergency_phone",
            "emergency_contact",
            "mobile_phone",
            "search_name",
        ):
            batch_op.drop_column(column)
    op.drop_table("patient_consents")
