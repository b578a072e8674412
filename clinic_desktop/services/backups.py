"""Backups and restores as the user sees them: make one now (or on the daily schedule),
list them, show when the last verified one was made, and restore one. A restore verifies the
file first, sets the current database aside and swaps atomically; it never deletes data."""

from __future__ import annotations

import logging
import shutil
import tempfile
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path

from sqlalchemy import select

from clinic_desktop import __version__
from clinic_desktop.actor import Actor
from clinic_desktop.db import backup as files
from clinic_desktop.db.audit_log import append_audit
from clinic_desktop.db.keystore import KeyStore
from clinic_desktop.db.migrate import current_revision
from clinic_desktop.db.uow import Database, UnitOfWork
from clinic_desktop.errors import StorageError, ValidationError
from clinic_desktop.events import BackupCompleted
from clinic_desktop.i18n import _
from clinic_desktop.models.backup import BackupRecord
from clinic_desktop.models.clinic import Clinic
from clinic_desktop.models.permissions import Permission
from clinic_desktop.models.user import User
from clinic_desktop.services.access import require
from clinic_desktop.services.dto import BackupDTO, BackupStatus
from clinic_desktop.services.settings import read_settings

log = logging.getLogger(__name__)

OVERDUE_AFTER = timedelta(hours=48)


@dataclass(frozen=True)
class RestoreResult:
    restored_from: str
    set_aside: str
    clinic_name: str
    backup_created_at: datetime


def backup_folder(db: Database, configured: str) -> Path:
    return Path(configured).expanduser() if configured else db.paths.backups_dir


def make_backup(
    db: Database, *, actor: Actor, kind: str = "manual", folder: Path | None = None
) -> BackupDTO:
    """Writes a verified backup, records and audits it, then rotates old ones of that kind."""
    uow = db.uow()
    with uow.transaction(actor) as session:
        require(session, actor, Permission.BACKUP_RUN)
        settings = read_settings(session)
        clinic = session.scalar(select(Clinic).limit(1))
        clinic_name = clinic.name if clinic else ""
        clinic_id = str(clinic.id) if clinic else ""
    target = folder or backup_folder(db, str(settings["backup.folder"]))
    now = datetime.now(UTC)
    keystore = KeyStore(db.paths.key_file, backend=None)
    path, manifest = files.write_backup(
        source=db.path,
        data_key=db.data_key,
        folder=target,
        name=files.backup_name(now, kind),
        manifest_fields={
            "clinic_id": clinic_id or keystore.clinic_id(),
            "clinic_name": clinic_name,
            "created_at": now,
            "schema_revision": current_revision(db.engine),
            "app_version": __version__,
            "recovery": keystore.recovery_slot(),
        },
    )
    size = path.stat().st_size
    with uow.transaction(actor) as session:
        record = BackupRecord(
            path=str(path),
            kind=kind,
            size_bytes=size,
            verified=True,
            verified_at=datetime.now(UTC),
            sha256=manifest.db_sha256,
        )
        session.add(record)
        session.flush()  # assigns the id the audit entry names
        append_audit(
            session,
            actor=actor,
            action="backup.created",
            entity="BackupRecord",
            entity_id=str(record.id),
            changes={"path": str(path), "kind": kind},
        )
        dto = _dto(record)
    if kind in ("manual", "scheduled"):
        removed = files.rotate(target, keep=int(settings["backup.keep"]), kind=kind)
        if removed:
            log.info("rotated out %d old backups", len(removed))
    uow.bus.publish(BackupCompleted(path=str(path)))
    return dto


def _dto(record: BackupRecord) -> BackupDTO:
    return BackupDTO(
        path=record.path,
        kind=record.kind,
        size_bytes=record.size_bytes,
        created_at=record.created_at,
        verified_at=record.verified_at,
    )


def list_backups(uow: UnitOfWork, *, actor: Actor, limit: int = 200) -> list[BackupDTO]:
    with uow.transaction(actor) as session:
        require(session, actor, Permission.BACKUP_RUN)
        rows = session.scalars(
            select(BackupRecord).order_by(BackupRecord.created_at.desc()).limit(limit)
        )
        return [_dto(r) for r in rows if Path(r.path).exists()]


def backup_status(uow: UnitOfWork, *, actor: Actor) -> BackupStatus:
    """For the main window's status bar; any signed-in user may see it."""
    with uow.transaction(actor) as session:
        record = session.scalar(
            select(BackupRecord)
            .where(BackupRecord.verified.is_(True))
            .order_by(BackupRecord.verified_at.desc())
            .limit(1)
        )
    if record is None or record.verified_at is None:
        return BackupStatus(last_verified_at=None, last_path=None, is_overdue=True)
    overdue = datetime.now(UTC) - record.verified_at > OVERDUE_AFTER
    return BackupStatus(
        last_verified_at=record.verified_at, last_path=record.path, is_overdue=overdue
    )


def scheduled_backup_due(uow: UnitOfWork, *, actor: Actor, now: datetime) -> bool:
    """True once per day after the configured local time, if no backup was made since."""
    from zoneinfo import ZoneInfo

    with uow.transaction(actor) as session:
        settings = read_settings(session)
        zone = ZoneInfo(session.scalar(select(Clinic.timezone).limit(1)) or "UTC")
        last = session.scalar(
            select(BackupRecord.created_at)
            .where(BackupRecord.kind == "scheduled")
            .order_by(BackupRecord.created_at.desc())
            .limit(1)
        )
    if not settings["backup.enabled"]:
        return False
    hour, minute = (int(x) for x in str(settings["backup.time"]).split(":"))
    local = now.astimezone(zone)
    due_at = local.replace(hour=hour, minute=minute, second=0, microsecond=0)
    if local < due_at:
        due_at -= timedelta(days=1)
    return last is None or last < due_at.astimezone(UTC)


def restore_backup(
    db: Database, *, actor: Actor, backup_file: Path, recovery_key: str | None = None
) -> RestoreResult:
    """Verifies `backup_file`, then replaces the live database with it. The engine is closed
    on return: the caller must reopen the clinic (the app restarts its session)."""
    uow = db.uow()
    with uow.transaction(actor) as session:
        require(session, actor, Permission.BACKUP_RESTORE)
        restorer = session.get(User, actor.user_id) if actor.user_id else None
        restorer_name = restorer.username if restorer else actor.name
    if not backup_file.is_file():
        raise ValidationError(
            _("Backup file: {path} does not exist.").format(path=backup_file), field="file"
        )
    keystore = KeyStore(db.paths.key_file, backend=None)
    with tempfile.TemporaryDirectory(dir=db.paths.data_dir, prefix=".restore-") as tmp:
        manifest = files.read_manifest(backup_file)
        same_clinic = manifest.clinic_id == keystore.clinic_id()
        extracted, manifest, key = files.extract_verified(
            backup_file,
            into=Path(tmp),
            data_key=db.data_key if same_clinic else None,
            recovery_key=recovery_key,
        )
        if key != db.data_key:
            raise StorageError(
                _(
                    "This backup belongs to another clinic ({name}). Restore it from the start "
                    "screen with its recovery key."
                ).format(name=manifest.clinic_name)
            )
        db.close()
        files.checkpoint(db.path, db.data_key)
        aside = files.install_database(
            new_file=extracted, live=db.path, set_aside_dir=db.paths.replaced_dir
        )
    # The restored file has its own trail; record the restore there so it is never silent.
    from clinic_desktop.db.engine import create_clinic_engine

    engine = create_clinic_engine(db.path, db.data_key, pool_size=1)
    try:
        restored = Database(engine=engine, paths=db.paths, data_key=db.data_key)
        with restored.uow().transaction(actor) as session:
            append_audit(
                session,
                actor=actor,
                action="backup.restored",
                changes={
                    "file": str(backup_file),
                    "set_aside": str(aside),
                    "by": restorer_name,
                    "backup_created_at": manifest.created_at.isoformat(),
                },
            )
    finally:
        engine.dispose()
    return RestoreResult(
        restored_from=str(backup_file),
        set_aside=str(aside),
        clinic_name=manifest.clinic_name,
        backup_created_at=manifest.created_at,
    )


def copy_backup(path: Path, destination: Path) -> Path:
    """Copies a backup file elsewhere (USB stick); the copy is what the user keeps off-site."""
    destination.mkdir(parents=True, exist_ok=True)
    target = destination / path.name
    shutil.copy2(path, target)
    return target
