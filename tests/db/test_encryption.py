"""The database file and its WAL never hold clear text, and a wrong key changes nothing."""

from __future__ import annotations

import hashlib
from pathlib import Path

import pytest
import sqlcipher3
from sqlalchemy import select

from clinic_desktop.actor import Actor
from clinic_desktop.db.engine import connect_raw, create_clinic_engine
from clinic_desktop.db.keys import new_data_key
from clinic_desktop.errors import WrongKey
from clinic_desktop.models.patient import Patient

NAME = "Wilmer Anchundia Zambrano"


def _files(db_path: Path) -> list[Path]:
    return [p for p in (db_path, Path(f"{db_path}-wal")) if p.exists()]


def test_patient_name_bytes_never_appear_on_disk(clinic, system):
    db = clinic.db
    with db.uow().transaction(system) as session:
        session.add(
            Patient(
                chart_number=1,
                first_names="Wilmer",
                last_names="Anchundia Zambrano",
                id_number="1710034065",
            )
        )
        session.add(Patient(chart_number=2, first_names=NAME, last_names=NAME))
    wal = Path(f"{db.path}-wal")
    # While the connection is open the new pages sit in the WAL: check it too.
    assert wal.exists() and wal.stat().st_size > 0
    needles = [NAME.encode("utf-8"), NAME.encode("utf-16-le"), b"Anchundia", b"1710034065"]
    for path in _files(db.path):
        data = path.read_bytes()
        for needle in needles:
            assert needle not in data, f"{needle!r} found in clear in {path.name}"
    # The same check against an unencrypted copy proves the check can fail.
    plain = db.path.parent / "plain.db"
    conn = connect_raw(db.path, db.data_key)
    conn.execute(f"ATTACH DATABASE '{plain}' AS plain KEY ''")
    conn.execute("SELECT sqlcipher_export('plain')")
    conn.execute("DETACH DATABASE plain")
    conn.close()
    assert b"Anchundia" in plain.read_bytes()
    # And the data is there for the right key.
    with db.uow().transaction(system) as session:
        assert session.get(Patient, session.query(Patient.id).filter_by(chart_number=2).scalar())


def test_wrong_key_is_refused_and_leaves_the_file_byte_identical(clinic):
    db = clinic.db
    db.close()
    conn = connect_raw(db.path, db.data_key)
    conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    conn.close()
    before = {p.name: hashlib.sha256(p.read_bytes()).hexdigest() for p in _files(db.path)}
    names_before = sorted(p.name for p in db.path.parent.iterdir())
    with pytest.raises(WrongKey) as err:
        connect_raw(db.path, new_data_key())
    assert "key" in err.value.message.lower()
    engine = create_clinic_engine(db.path, new_data_key())
    with pytest.raises(WrongKey):
        engine.connect()
    engine.dispose()
    after = {p.name: hashlib.sha256(p.read_bytes()).hexdigest() for p in _files(db.path)}
    assert after == before
    assert sorted(p.name for p in db.path.parent.iterdir()) == names_before


def test_connections_use_wal_foreign_keys_and_busy_timeout(clinic):
    conn = connect_raw(clinic.db.path, clinic.db.data_key)
    try:
        assert conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
        assert conn.execute("PRAGMA foreign_keys").fetchone()[0] == 1
        assert conn.execute("PRAGMA busy_timeout").fetchone()[0] >= 5000
        assert conn.execute("PRAGMA cipher_version").fetchone()[0].startswith("4.")
    finally:
        conn.close()


def test_transactions_begin_immediate(clinic, system):
    """A second writer waits instead of failing later with 'database is locked'."""
    with clinic.db.uow().transaction(system) as session:
        # The session begins on first use; even a read takes the write lock (IMMEDIATE).
        session.execute(select(Patient.id).limit(1))
        other = sqlcipher3.connect(str(clinic.db.path), isolation_level=None, timeout=0.05)
        other.execute(f"PRAGMA key = \"x'{clinic.db.data_key.hex()}'\"")
        # Our transaction already holds the write lock, so this cannot start one.
        with pytest.raises(sqlcipher3.OperationalError, match="locked"):
            other.execute("BEGIN IMMEDIATE")
        other.close()


def test_every_entity_gets_uuid7_timestamps_and_authors(clinic):
    actor = Actor(user_id=None, name="tester", workstation="pc1")
    with clinic.db.uow().transaction(actor) as session:
        patient = Patient(chart_number=9, first_names="Ana", last_names="Vera")
        session.add(patient)
        session.flush()
        assert patient.id.version == 7
        assert patient.created_at.tzinfo is not None
        assert patient.version == 1
