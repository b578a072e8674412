"""Alembic environment: always runs on a connection the app hands over (the database is
encrypted, so Alembic never opens the file itself). Batch mode because SQLite cannot ALTER
most things in place."""

from __future__ import annotations

from alembic import context

from clinic_desktop.models import Base

connection = context.config.attributes.get("connection")
if connection is None:
    raise RuntimeError("clinic-desktop migrations run only through clinic_desktop.db.migrate")

context.configure(
    connection=connection,
    target_metadata=Base.metadata,
    render_as_batch=True,
    compare_type=True,
)
with context.begin_transaction():
    context.run_migrations()
