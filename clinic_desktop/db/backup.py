"""Backup files. A backup is a zip (stored, not compressed: the content is encrypted) holding
a SQLCipher copy made with sqlcipher_export and a manifest with the data key wrapped by the
recovery key, so the recovery key alone opens it on any PC. A backup counts only after it
has been reopened and integrity-checked; until then it is a .part file."""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import tempfile
import zipfile
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import sqlcipher3

from clinic_desktop.db.engine import connect_raw, integrity_problems
from clinic_desktop.db.keystore import unwrap_recovery_slot
from clinic_desktop.errors import StorageError, WrongKey
from clinic_desktop.i18n import _

FORMAT = "clinic-desktop-backup/1"
SUFFIX = ".cdbackup"
DB_MEMBER = "clinic.db"
MANIFEST_MEMBER = "manifest.json"


@dataclass(frozen=True)
class BackupManifest:
    clinic_id: str
    clinic_name: str
    created_at: datetime
    schema_revision: str | None
    app_version: str
    db_sha256: str
    recovery: dict[str, Any]

    def to_json(self) -> str:
        return json.dumps(
            {
                "format": FORMAT,
                "clinic_id": self.clinic_id,
                "clinic_name": self.clinic_name,
                "created_at": self.created_at.isoformat(),
                "schema_revision": self.schema_revision,
                "app_version": self.app_version,
                "db_sha256": self.db_sha256,
                "recovery": self.recovery,
            },
            indent=2,
        )

    @classmethod
    def from_json(cls, text: str) -> BackupManifest:
        data = json.loads(text)
        if data.get("format") != FORMAT:
            raise ValueError("unknown backup format")
        return cls(
            clinic_id=data["clinic_id"],
            clinic_name=data.get("clinic_name", ""),
            created_at=datetime.fromisoformat(data["created_at"]),
            schema_revision=data.get("schema_revision"),
            app_version=data.get("app_version", ""),
            db_sha256=data["db_sha256"],
            recovery=data["recovery"],
        )


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as fh:
        for chunk in iter(lambda: fh.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()


def _disk_error(exc: OSError, target: Path) -> StorageError:
    return StorageError(
        _(
            "The backup could not be written to {path}: {reason}. Nothing was changed; free some "
            "space or choose another folder."
        ).format(path=target, reason=exc.strerror or exc)
    )


def backup_name(now: datetime, kind: str) -> str:
    """Milliseconds in the name: two backups in one second must not share a file. The fixed
    width keeps names sorting by time, which rotation relies on."""
    utc = now.astimezone(UTC)
    return f"clinic-{utc:%Y%m%d-%H%M%S}-{utc.microsecond // 1000:03d}-{kind}{SUFFIX}"


def export_database(source: Path, data_key: bytes, target: Path) -> None:
    """Copies the live database into a new encrypted file with the same key, consistent even
    while other connections write (sqlcipher_export runs inside one read transaction)."""
    conn = connect_raw(source, data_key)
    try:
        conn.execute(f"ATTACH DATABASE ? AS backup KEY \"x'{data_key.hex()}'\"", (str(target),))
        conn.execute("SELECT sqlcipher_export('backup')")
        conn.execute("DETACH DATABASE backup")
    finally:
        conn.close()


def check_database_file(path: Path, data_key: bytes) -> None:
    conn = connect_raw(path, data_key)
    try:
        problems = integrity_problems(conn)
    except sqlcipher3.DatabaseError as exc:  # damage bad enough that the check cannot run
        problems = [str(exc)]
    finally:
        conn.close()
    if problems:
        raise StorageError(
            _("The backup failed its integrity check: {problem}").format(problem=problems[0])
        )


def write_backup(
    *,
    source: Path,
    data_key: bytes,
    folder: Path,
    name: str,
    manifest_fields: dict[str, Any],
) -> tuple[Path, BackupManifest]:
    """Exports, checks, packs, reopens and checks again; only then renames into place."""
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise _disk_error(exc, folder) from exc
    final = folder / name
    part = folder / (name + ".part")
    if final.exists():  # never replace an existing backup
        raise StorageError(
            _("A backup named {name} already exists; nothing was overwritten.").format(name=name)
        )
    with tempfile.TemporaryDirectory(dir=folder, prefix=".backup-") as tmp:
        exported = Path(tmp) / DB_MEMBER
        try:
            export_database(source, data_key, exported)
            check_database_file(exported, data_key)
            manifest = BackupManifest(db_sha256=_sha256(exported), **manifest_fields)
            with zipfile.ZipFile(part, "w", compression=zipfile.ZIP_STORED) as zf:
                zf.writestr(MANIFEST_MEMBER, manifest.to_json())
                zf.write(exported, DB_MEMBER)
            with part.open("rb") as fh:
                os.fsync(fh.fileno())
        except OSError as exc:
            part.unlink(missing_ok=True)
            raise _disk_error(exc, final) from exc
        except sqlcipher3.OperationalError as exc:
            # SQLite reports a full disk or a write limit as "disk I/O error" / "disk is full".
            part.unlink(missing_ok=True)
            raise _disk_error(OSError(str(exc)), final) from exc
        except Exception:
            part.unlink(missing_ok=True)
            raise
    try:
        verify_backup(part, data_key=data_key)
    except Exception:
        part.unlink(missing_ok=True)
        raise
    os.replace(part, final)
    return final, manifest


def read_manifest(path: Path) -> BackupManifest:
    try:
        with zipfile.ZipFile(path) as zf:
            return BackupManifest.from_json(zf.read(MANIFEST_MEMBER).decode("utf-8"))
    except (OSError, KeyError, ValueError, zipfile.BadZipFile) as exc:
        raise StorageError(
            _("Backup file: {path} is not a clinic-desktop backup or is damaged.").format(path=path)
        ) from exc


def key_for_backup(
    manifest: BackupManifest, *, data_key: bytes | None, recovery_key: str | None
) -> bytes:
    """The current data key opens backups of this clinic; the recovery key opens any of its
    backups on any PC."""
    if recovery_key:
        return unwrap_recovery_slot(manifest.recovery, recovery_key, manifest.clinic_id)
    if data_key is not None:
        return data_key
    raise WrongKey(_("Recovery key: it is needed to open this backup."))


def extract_verified(
    path: Path, *, into: Path, data_key: bytes | None = None, recovery_key: str | None = None
) -> tuple[Path, BackupManifest, bytes]:
    """Unpacks the database into `into`, checks hash, key and integrity; returns its path."""
    manifest = read_manifest(path)
    key = key_for_backup(manifest, data_key=data_key, recovery_key=recovery_key)
    target = into / DB_MEMBER
    try:
        with zipfile.ZipFile(path) as zf, zf.open(DB_MEMBER) as src, target.open("wb") as dst:
            shutil.copyfileobj(src, dst, 1 << 20)
    except (OSError, KeyError, zipfile.BadZipFile) as exc:
        raise StorageError(
            _("Backup file: {path} cannot be read: {reason}").format(path=path, reason=exc)
        ) from exc
    if _sha256(target) != manifest.db_sha256:
        raise StorageError(
            _("Backup file: {path} is damaged (its checksum does not match).").format(path=path)
        )
    check_database_file(target, key)
    return target, manifest, key


def verify_backup(
    path: Path, *, data_key: bytes | None = None, recovery_key: str | None = None
) -> BackupManifest:
    with tempfile.TemporaryDirectory(dir=path.parent, prefix=".verify-") as tmp:
        _target, manifest, _key = extract_verified(
            path, into=Path(tmp), data_key=data_key, recovery_key=recovery_key
        )
    return manifest


def rotate(folder: Path, *, keep: int, kind: str) -> list[Path]:
    """Removes the oldest backups of one kind beyond `keep`; other kinds are left alone."""
    mine = sorted(folder.glob(f"clinic-*-{kind}{SUFFIX}"))
    doomed = mine[: max(0, len(mine) - keep)]
    for old in doomed:
        old.unlink(missing_ok=True)
    return doomed


def checkpoint(path: Path, data_key: bytes) -> None:
    """Folds the WAL into the main file so a copy of the file alone is complete."""
    conn = connect_raw(path, data_key)
    try:
        conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    finally:
        conn.close()


def install_database(*, new_file: Path, live: Path, set_aside_dir: Path) -> Path:
    """Puts a verified database in place of the live one. The live file is first copied
    aside; the swap itself is one atomic rename, so there is never a half-restored file."""
    set_aside_dir.mkdir(parents=True, exist_ok=True)
    stamp = datetime.now(UTC).strftime("%Y%m%d-%H%M%S")
    aside = set_aside_dir / f"clinic-before-restore-{stamp}.db"
    if live.exists():
        shutil.copy2(live, aside)
    staged = live.with_name(live.name + ".restore")
    shutil.copy2(new_file, staged)
    with staged.open("rb") as fh:
        os.fsync(fh.fileno())
    for suffix in ("-wal", "-shm"):
        Path(str(live) + suffix).unlink(missing_ok=True)
    os.replace(staged, live)
    return aside
