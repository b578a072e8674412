"""Creating a clinic (the setup wizard and `clinic-desktop init`), unlocking it at start-up
(keyring first, recovery key when the keyring cannot help), upgrading its schema after a
verified backup, and restoring a backup onto a PC that has no clinic yet."""

from __future__ import annotations

import logging
import shutil
import tempfile
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from zoneinfo import available_timezones

import keyring.backend
from sqlalchemy import select

from clinic_desktop.actor import Actor
from clinic_desktop.config import AppPaths, update_preferences
from clinic_desktop.db import backup as files
from clinic_desktop.db import keys as keymod
from clinic_desktop.db import migrate
from clinic_desktop.db.audit_log import append_audit
from clinic_desktop.db.engine import connect_raw, create_clinic_engine, create_database_file
from clinic_desktop.db.keystore import KeyStore
from clinic_desktop.db.uow import Database
from clinic_desktop.errors import StorageError, ValidationError
from clinic_desktop.fiscal.tax_ids import validate_clinic_tax_id
from clinic_desktop.i18n import LANGUAGES, _
from clinic_desktop.models.base import new_id
from clinic_desktop.models.clinic import Clinic
from clinic_desktop.services import settings as settings_service
from clinic_desktop.services.passwords import check_policy
from clinic_desktop.services.users import (
    _clean_profile,
    _clean_username,
    add_user,
    seed_default_grants,
)

log = logging.getLogger(__name__)

KeyringChoice = keyring.backend.KeyringBackend | None | bool
Progress = Callable[[str], None]

COUNTRY_DEFAULTS = {
    "EC": {"timezone": "America/Guayaquil", "currency": "USD"},
    "ES": {"timezone": "Europe/Madrid", "currency": "EUR"},
}


@dataclass(frozen=True)
class ClinicSetup:
    name: str
    country: str
    tax_id: str
    address: str
    timezone: str
    currency: str
    establishment_code: str
    emission_point_code: str
    owner_username: str
    owner_full_name: str
    owner_password: str
    owner_email: str | None = None
    language: str = "es"


@dataclass(frozen=True)
class CreatedClinic:
    db: Database
    recovery_key: str
    clinic_id: str
    tax_id_warnings: tuple[str, ...]


def validate_setup(setup: ClinicSetup) -> tuple[ClinicSetup, tuple[str, ...]]:
    """Checks every field before anything touches the disk; returns the cleaned values."""
    name = " ".join(setup.name.split())
    if len(name) < 2:
        raise ValidationError(_("Clinic name: it is required."), field="name")
    country = setup.country.strip().upper()
    if country not in COUNTRY_DEFAULTS:
        raise ValidationError(_("Country: choose Ecuador or Spain."), field="country")
    check = validate_clinic_tax_id(country, setup.tax_id)
    if setup.timezone not in available_timezones():
        raise ValidationError(
            _("Time zone: {zone} is not a known time zone.").format(zone=setup.timezone),
            field="timezone",
        )
    currency = setup.currency.strip().upper()
    if currency not in ("USD", "EUR"):
        raise ValidationError(_("Currency: choose USD or EUR."), field="currency")
    for field, value, label in (
        ("establishment_code", setup.establishment_code, _("Establishment code")),
        ("emission_point_code", setup.emission_point_code, _("Emission point code")),
    ):
        if not (len(value) == 3 and value.isdigit() and value != "000"):
            raise ValidationError(
                _("{field}: three digits from 001 to 999.").format(field=label), field=field
            )
    username = _clean_username(setup.owner_username)
    full_name, email, _lang = _clean_profile(setup.owner_full_name, setup.owner_email, None)
    check_policy(setup.owner_password, username=username, field="owner_password")
    if setup.language not in LANGUAGES:
        raise ValidationError(_("Language: choose Spanish or English."), field="language")
    cleaned = ClinicSetup(
        name=name,
        country=country,
        tax_id=check.normalized,
        address=setup.address.strip(),
        timezone=setup.timezone,
        currency=currency,
        establishment_code=setup.establishment_code,
        emission_point_code=setup.emission_point_code,
        owner_username=username,
        owner_full_name=full_name,
        owner_password=setup.owner_password,
        owner_email=email,
        language=setup.language,
    )
    return cleaned, check.warnings


def create_clinic(
    paths: AppPaths,
    setup: ClinicSetup,
    *,
    is_demo: bool = False,
    kdf: keymod.KdfParams | None = None,
    keyring_backend: KeyringChoice = True,
) -> CreatedClinic:
    cleaned, warnings = validate_setup(setup)
    if paths.database.exists() or paths.key_file.exists():
        raise StorageError(
            _("A clinic already exists in {path}. Nothing was changed.").format(path=paths.data_dir)
        )
    paths.ensure()
    clinic_id = new_id()
    keystore = KeyStore(paths.key_file, backend=keyring_backend)
    try:
        data_key, recovery_key = keystore.create(clinic_id=str(clinic_id), kdf=kdf)
        create_database_file(paths.database, data_key)
        engine = create_clinic_engine(paths.database, data_key)
        migrate.upgrade(engine)
        db = Database(engine=engine, paths=paths, data_key=data_key)
        actor = Actor.system("setup")
        with db.uow().transaction(actor) as session:
            session.add(
                Clinic(
                    id=clinic_id,
                    name=cleaned.name,
                    country=cleaned.country,
                    tax_id=cleaned.tax_id,
                    address=cleaned.address,
                    timezone=cleaned.timezone,
                    currency=cleaned.currency,
                    establishment_code=cleaned.establishment_code,
                    emission_point_code=cleaned.emission_point_code,
                    is_demo=is_demo,
                )
            )
            seed_default_grants(session)
            settings_service.write_settings(session, {"ui.language": cleaned.language})
            add_user(
                session,
                username=cleaned.owner_username,
                full_name=cleaned.owner_full_name,
                email=cleaned.owner_email,
                roles=["owner"],
                password=cleaned.owner_password,
                language=cleaned.language,
            )
            append_audit(
                session,
                actor=actor,
                action="clinic.created",
                entity="Clinic",
                entity_id=str(clinic_id),
                changes={"demo": is_demo},
            )
    except BaseException:
        # A clinic that failed half-way holds no data yet; leave no half-made files behind.
        for leftover in (
            paths.database,
            paths.key_file,
            Path(str(paths.database) + "-wal"),
            Path(str(paths.database) + "-shm"),
        ):
            leftover.unlink(missing_ok=True)
        raise
    # The next start shows the sign-in window with this name before the data is unlocked.
    update_preferences(paths, clinic_name=cleaned.name, clinic_is_demo=is_demo)
    return CreatedClinic(
        db=db, recovery_key=recovery_key, clinic_id=str(clinic_id), tax_id_warnings=warnings
    )


def unlock(
    paths: AppPaths, *, recovery_key: str | None = None, keyring_backend: KeyringChoice = True
) -> bytes:
    """Returns the data key; KeyUnavailable means: ask the user for the recovery key."""
    keystore = KeyStore(paths.key_file, backend=keyring_backend)
    if recovery_key:
        result = keystore.unlock_with_recovery(recovery_key)
    else:
        result = keystore.unlock_with_keyring()
    connect_raw(paths.database, result.data_key).close()
    return result.data_key


def open_clinic(
    paths: AppPaths,
    data_key: bytes,
    *,
    progress: Progress | None = None,
) -> Database:
    """Opens an unlocked database; if its schema is old, backs it up (verified) and upgrades."""
    engine = create_clinic_engine(paths.database, data_key)
    db = Database(engine=engine, paths=paths, data_key=data_key)
    if migrate.needs_upgrade(engine):
        from_rev = migrate.current_revision(engine)
        if progress:
            progress(_("Making a safety backup before updating the database…"))
        name = files.backup_name(datetime.now(UTC), "pre-migration")
        keystore = KeyStore(paths.key_file, backend=None)
        path, _manifest = files.write_backup(
            source=paths.database,
            data_key=data_key,
            folder=paths.backups_dir,
            name=name,
            manifest_fields={
                "clinic_id": keystore.clinic_id(),
                "clinic_name": "",
                "created_at": datetime.now(UTC),
                "schema_revision": from_rev,
                "app_version": "",
                "recovery": keystore.recovery_slot(),
            },
        )
        if progress:
            progress(_("Updating the database…"))
        migrate.upgrade(engine)
        with db.uow().transaction(Actor.system("upgrade")) as session:
            append_audit(
                session,
                actor=Actor.system("upgrade"),
                action="schema.upgraded",
                changes={"from": from_rev, "to": migrate.head_revision(), "backup": str(path)},
            )
    return db


def clinic_country(db: Database) -> str:
    with db.uow().transaction(Actor.system("read")) as session:
        return session.scalar(select(Clinic.country).limit(1)) or ""


def restore_on_new_pc(
    paths: AppPaths,
    backup_file: Path,
    *,
    recovery_key: str,
    keyring_backend: KeyringChoice = True,
) -> Database:
    """A PC with no clinic yet takes over a backup: the recovery key unwraps its data key, the
    key file is rebuilt around it and the database installed. Nothing existing is touched."""
    if paths.database.exists() or paths.key_file.exists():
        raise StorageError(
            _("A clinic already exists in {path}. Restore from the backup screen instead.").format(
                path=paths.data_dir
            )
        )
    paths.ensure()
    with tempfile.TemporaryDirectory(dir=paths.data_dir, prefix=".restore-") as tmp:
        extracted, manifest, data_key = files.extract_verified(
            backup_file, into=Path(tmp), recovery_key=recovery_key
        )
        shutil.copy2(extracted, paths.database)
    keystore = KeyStore(paths.key_file, backend=keyring_backend)
    keystore.write_new(clinic_id=manifest.clinic_id, data_key=data_key, recovery_key=recovery_key)
    db = open_clinic(paths, data_key)
    with db.uow().transaction(Actor.system("restore")) as session:
        append_audit(
            session,
            actor=Actor.system("restore"),
            action="backup.restored",
            changes={"file": str(backup_file), "new_pc": True},
        )
    return db
