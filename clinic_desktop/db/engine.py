"""Opens the SQLCipher database under SQLAlchemy. Every connection is keyed with the raw data
key as its first statement, then gets WAL, foreign keys, a busy timeout and full sync (a crash
must lose nothing). Transactions start with BEGIN IMMEDIATE because a deferred BEGIN in WAL
fails with "database is locked" when a reader later upgrades to a writer."""

from __future__ import annotations

import logging
from pathlib import Path
from typing import Any

import sqlcipher3
from sqlalchemy import Engine, create_engine, event
from sqlalchemy.pool import QueuePool

from clinic_desktop.db.keys import raw_key_pragma
from clinic_desktop.errors import StorageError, WrongKey
from clinic_desktop.i18n import _

log = logging.getLogger(__name__)

BUSY_TIMEOUT_MS = 10_000


def connect_raw(path: Path, data_key: bytes) -> sqlcipher3.Connection:
    """A keyed DB-API connection, checked to really decrypt before anything else runs.

    A wrong key fails on the first read, before WAL or any write, so the file stays
    byte-identical."""
    if not path.exists():
        raise StorageError(_("The database file {path} does not exist.").format(path=path))
    conn = sqlcipher3.connect(str(path), isolation_level=None, check_same_thread=False)
    try:
        conn.execute(raw_key_pragma(data_key))
        # A wrong key is an expected case with its own message; keep SQLCipher off stderr.
        conn.execute("PRAGMA cipher_log_level = NONE")
        conn.execute("SELECT count(*) FROM sqlite_master").fetchone()
    except sqlcipher3.DatabaseError as exc:
        conn.close()
        if "not a database" in str(exc) or "encrypted" in str(exc):
            raise WrongKey(
                _("The key does not open this database (or the file is damaged).")
            ) from exc
        raise StorageError(_("The database cannot be opened: {reason}").format(reason=exc)) from exc
    _configure(conn)
    return conn


def create_database_file(path: Path, data_key: bytes) -> None:
    """Creates an empty encrypted database; refuses to touch an existing file."""
    if path.exists():
        raise StorageError(_("A database already exists at {path}.").format(path=path))
    path.parent.mkdir(parents=True, exist_ok=True)
    conn = sqlcipher3.connect(str(path), isolation_level=None)
    try:
        conn.execute(raw_key_pragma(data_key))
        conn.execute("PRAGMA journal_mode = WAL")
        conn.execute("CREATE TABLE _clinic_bootstrap (x INTEGER)")
        conn.execute("DROP TABLE _clinic_bootstrap")
    finally:
        conn.close()


def _configure(conn: sqlcipher3.Connection) -> None:
    conn.execute("PRAGMA foreign_keys = ON")
    conn.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
    conn.execute("PRAGMA journal_mode = WAL")
    conn.execute("PRAGMA synchronous = FULL")
    # 64 MiB of decrypted pages per connection (the default is 8): a clinic's working set
    # (patients, the search index, this year's agenda) stays decrypted between screens.
    conn.execute("PRAGMA cache_size = -65536")


def create_clinic_engine(path: Path, data_key: bytes, *, pool_size: int = 4) -> Engine:
    """An engine over the encrypted file. The explicit QueuePool matters: the pysqlcipher
    dialect's default pool has crashed under threads."""

    def creator() -> sqlcipher3.Connection:
        return connect_raw(path, data_key)

    engine = create_engine(
        "sqlite+pysqlite://",
        module=sqlcipher3.dbapi2,
        creator=creator,
        poolclass=QueuePool,
        pool_size=pool_size,
        max_overflow=2,
        pool_pre_ping=False,
    )

    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection: Any, _record: Any) -> None:
        # The driver must not issue its own BEGIN; ours below is IMMEDIATE.
        dbapi_connection.isolation_level = None

    @event.listens_for(engine, "begin")
    def _on_begin(conn: Any) -> None:
        conn.exec_driver_sql("BEGIN IMMEDIATE")

    return engine


def integrity_problems(conn: sqlcipher3.Connection) -> list[str]:
    """Runs SQLite's and SQLCipher's integrity checks; an empty list means healthy."""
    problems = [row[0] for row in conn.execute("PRAGMA integrity_check").fetchall()]
    problems = [p for p in problems if p != "ok"]
    problems += [row[0] for row in conn.execute("PRAGMA cipher_integrity_check").fetchall()]
    return problems
