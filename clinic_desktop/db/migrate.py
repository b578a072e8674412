"""Schema migrations with Alembic, kept inside the package so the installer bundles them. The
app runs them at start-up after unlock; services.startup makes a verified backup first so a
failed upgrade can always be undone. Alembic itself is imported only when an upgrade is due:
reading the revision scripts costs start-up time on every open otherwise."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

from sqlalchemy import Engine, text
from sqlalchemy.exc import OperationalError

if TYPE_CHECKING:
    from alembic.config import Config

MIGRATIONS_DIR = Path(__file__).resolve().parent / "migrations"
# The newest revision; a test checks it against the scripts, so a new revision without
# updating it fails CI.
HEAD = "0010"


def _config() -> Config:
    from alembic.config import Config

    cfg = Config()
    cfg.set_main_option("script_location", str(MIGRATIONS_DIR))
    return cfg


def head_revision() -> str:
    return HEAD


def scripts_head() -> str:
    """The head as Alembic computes it from the revision scripts."""
    from alembic.script import ScriptDirectory

    head = ScriptDirectory.from_config(_config()).get_current_head()
    assert head is not None
    return head


def current_revision(engine: Engine) -> str | None:
    with engine.connect() as conn:
        try:
            return conn.execute(text("SELECT version_num FROM alembic_version")).scalar()
        except OperationalError:  # no alembic_version table: an empty database
            return None


def needs_upgrade(engine: Engine) -> bool:
    return current_revision(engine) != HEAD


def upgrade(engine: Engine, revision: str = "head") -> None:
    from alembic import command

    _run(engine, lambda cfg: command.upgrade(cfg, revision))


def downgrade(engine: Engine, revision: str) -> None:
    """Back to `revision` (tests check that each migration can be undone on real data)."""
    from alembic import command

    _run(engine, lambda cfg: command.downgrade(cfg, revision))


def _run(engine: Engine, step: Callable[[Config], None]) -> None:
    cfg = _config()
    with engine.connect() as conn:
        raw = conn.connection.driver_connection
        assert raw is not None
        # Batch mode changes a table by copying it, dropping the old one and renaming the copy;
        # with foreign keys enforced, dropping a table that others point at fails once they
        # hold rows. SQLite's own recipe: keys off around the change (the pragma is ignored
        # inside a transaction, hence on the raw connection before BEGIN), then check every
        # key before committing, and on again for whoever uses the connection next.
        raw.execute("PRAGMA foreign_keys = OFF")
        try:
            with conn.begin():
                cfg.attributes["connection"] = conn
                step(cfg)
                broken = conn.exec_driver_sql("PRAGMA foreign_key_check").fetchall()
                if broken:
                    raise RuntimeError(f"migration left broken foreign keys: {broken[:5]}")
        finally:
            raw.execute("PRAGMA foreign_keys = ON")


def revision(engine: Engine, message: str, rev_id: str) -> None:
    """Developer helper: autogenerates a new revision against a database at head."""
    from alembic import command

    cfg = _config()
    with engine.begin() as conn:
        cfg.attributes["connection"] = conn
        command.revision(cfg, message=message, autogenerate=True, rev_id=rev_id)
