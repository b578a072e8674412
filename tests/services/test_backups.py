"""Backups: verified before they count, openable with the recovery key alone, rotated;
restores put the old data back, set the current database aside and are audited; a full disk
leaves nothing half-written."""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap
import zipfile
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from clinic_desktop.actor import Actor
from clinic_desktop.config import AppPaths
from clinic_desktop.db import backup as files
from clinic_desktop.errors import StorageError
from clinic_desktop.services import backups, settings, users
from clinic_desktop.services.startup import open_clinic, restore_on_new_pc, unlock


def test_backup_is_verified_recorded_and_opens_with_the_recovery_key(clinic, system):
    status = backups.backup_status(clinic.db.uow(), actor=system)
    assert status.is_overdue and status.last_verified_at is None
    made = backups.make_backup(clinic.db, actor=system)
    path = Path(made.path)
    assert path.exists() and path.suffix == ".cdbackup"
    assert not list(path.parent.glob("*.part"))
    status = backups.backup_status(clinic.db.uow(), actor=system)
    assert not status.is_overdue and status.last_path == made.path
    from clinic_desktop.services.audit import AuditFilter, list_audit_entries

    rows, _ = list_audit_entries(
        clinic.db.uow(), actor=system, flt=AuditFilter(action="backup.created")
    )
    assert rows[0].entity_id not in ("", "None") and made.path in rows[0].changes
    manifest = files.verify_backup(path, recovery_key=clinic.recovery_key)
    assert manifest.clinic_name == "Clínica Santa Ana"
    with zipfile.ZipFile(path) as zf:
        assert b"Santa Ana" not in zf.read("clinic.db")


def test_a_damaged_backup_is_refused(clinic, system):
    path = Path(backups.make_backup(clinic.db, actor=system).path)
    raw = bytearray(path.read_bytes())
    raw[len(raw) // 2] ^= 0xFF
    damaged = path.with_name("damaged.cdbackup")
    damaged.write_bytes(bytes(raw))
    with pytest.raises(StorageError):
        files.verify_backup(damaged, data_key=clinic.db.data_key)


def test_rotation_keeps_the_configured_number(clinic, system):
    settings.update_settings(clinic.db.uow(), actor=system, changes={"backup.keep": 2})
    folder = clinic.db.paths.backups_dir
    for index in range(3):
        stamp = datetime(2026, 1, 1 + index, tzinfo=UTC)
        (folder / files.backup_name(stamp, "manual")).write_bytes(b"old")
    backups.make_backup(clinic.db, actor=system)
    assert len(list(folder.glob("*-manual.cdbackup"))) == 2


def test_restore_brings_back_the_old_data_and_sets_the_current_aside(clinic, system):
    made = backups.make_backup(clinic.db, actor=system)
    users.create_user(
        clinic.db.uow(),
        actor=system,
        username="after",
        full_name="After Backup",
        roles=["doctor"],
        password="zq-pass-2026x",
    )
    result = backups.restore_backup(clinic.db, actor=system, backup_file=Path(made.path))
    assert Path(result.set_aside).exists()
    db = open_clinic(clinic.db.paths, clinic.db.data_key)
    names = [u.username for u in users.list_users(db.uow(), actor=system)]
    assert "after" not in names and "ana" in names
    from clinic_desktop.services.audit import AuditFilter, list_audit_entries

    rows, _ = list_audit_entries(db.uow(), actor=system, flt=AuditFilter(action="backup.restored"))
    assert rows and made.path in rows[0].changes
    # The set-aside database still holds what was replaced.
    aside = AppPaths(Path(result.set_aside).parent / "aside")
    aside.ensure()
    os.replace(result.set_aside, aside.database)
    engine_db = open_clinic(aside, clinic.db.data_key)
    assert "after" in [u.username for u in users.list_users(engine_db.uow(), actor=system)]
    engine_db.close()
    db.close()


def test_restore_onto_a_new_pc_needs_only_the_file_and_recovery_key(clinic, system, tmp_path):
    made = backups.make_backup(clinic.db, actor=system)
    new_pc = AppPaths(tmp_path / "new-pc")
    db = restore_on_new_pc(
        new_pc, Path(made.path), recovery_key=clinic.recovery_key, keyring_backend=None
    )
    assert "ana" in [u.username for u in users.list_users(db.uow(), actor=system)]
    db.close()
    assert unlock(new_pc, recovery_key=clinic.recovery_key, keyring_backend=None)


def test_scheduled_backup_is_due_once_a_day_after_the_configured_time(clinic, system):
    uow = clinic.db.uow
    settings.update_settings(uow(), actor=system, changes={"backup.time": "21:00"})
    # 21:30 in Guayaquil (UTC-5) with no scheduled backup yet.
    evening = datetime(2026, 11, 24, 2, 30, tzinfo=UTC)
    assert backups.scheduled_backup_due(uow(), actor=system, now=evening)
    backups.make_backup(clinic.db, actor=Actor.system("scheduler"), kind="scheduled")
    assert not backups.scheduled_backup_due(uow(), actor=system, now=datetime.now(UTC))
    assert backups.scheduled_backup_due(
        uow(), actor=system, now=datetime.now(UTC) + timedelta(days=1, hours=1)
    )


FULL_DISK = textwrap.dedent(
    """
    import resource, signal, sys
    from pathlib import Path
    sys.path.insert(0, sys.argv[3])
    from clinic_desktop.actor import Actor
    from clinic_desktop.config import AppPaths
    from clinic_desktop.errors import StorageError
    from clinic_desktop.i18n import set_language
    from clinic_desktop.services import backups
    from clinic_desktop.services.startup import open_clinic, unlock
    set_language("en")
    paths = AppPaths(Path(sys.argv[1]))
    db = open_clinic(paths, unlock(paths, recovery_key=sys.argv[2], keyring_backend=None))
    # A file-size limit below the database size behaves like a full disk for new files.
    signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
    resource.setrlimit(resource.RLIMIT_FSIZE, (20_000, 20_000))
    try:
        backups.make_backup(db, actor=Actor.system("t"))
    except StorageError as exc:
        print("REFUSED:", exc.message)
    """
)


def test_full_disk_during_backup_gives_a_clear_message_and_leaves_nothing(clinic, system):
    users.create_user(
        clinic.db.uow(),
        actor=system,
        username="bulk",
        full_name="Bulk " * 30,
        roles=["doctor"],
        password="heavy-pw-2026",
    )
    clinic.db.close()
    root = str(Path(__file__).resolve().parents[2])
    out = subprocess.run(
        [sys.executable, "-c", FULL_DISK, str(clinic.db.paths.data_dir), clinic.recovery_key, root],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert "REFUSED:" in out.stdout, out.stderr
    assert "could not be written" in out.stdout
    folder = clinic.db.paths.backups_dir
    assert not [p for p in folder.iterdir() if p.suffix in (".part", ".cdbackup")]
    assert not [p for p in folder.iterdir() if p.name.startswith(".backup-")]


def test_two_backups_in_the_same_second_are_two_files(clinic, system):
    first = backups.make_backup(clinic.db, actor=system)
    second = backups.make_backup(clinic.db, actor=system)
    assert first.path != second.path
    assert Path(first.path).exists() and Path(second.path).exists()
    assert len(backups.list_backups(clinic.db.uow(), actor=system)) == 2


def test_a_backup_whose_database_does_not_open_is_refused_even_with_a_matching_checksum(
    clinic, system, tmp_path
):
    """The checksum only proves the file is as packed; the backup must also reopen."""
    import hashlib
    import json

    made = Path(backups.make_backup(clinic.db, actor=system).path)
    with zipfile.ZipFile(made) as zf:
        manifest = json.loads(zf.read("manifest.json"))
        database = bytearray(zf.read("clinic.db"))
    database[5000:5100] = bytes(100)  # a damaged page, packed again with a fresh checksum
    manifest["db_sha256"] = hashlib.sha256(database).hexdigest()
    repacked = tmp_path / "repacked.cdbackup"
    with zipfile.ZipFile(repacked, "w") as zf:
        zf.writestr("manifest.json", json.dumps(manifest))
        zf.writestr("clinic.db", bytes(database))
    with pytest.raises(StorageError):
        files.verify_backup(repacked, data_key=clinic.db.data_key)
