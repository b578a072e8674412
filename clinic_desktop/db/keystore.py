"""Where the wrapped data key lives: keys.json beside the database holds the two wrapped copies
and the name of the keyring backend that holds the key-encryption key. When that backend is
missing (headless Linux), changed or has lost the entry, unlocking needs the recovery key, and
a successful recovery re-enrols whatever keyring is there now. Nothing here ever deletes data."""

from __future__ import annotations

import base64
import hashlib
import json
import logging
import os
import secrets
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import keyring
import keyring.backend
import keyring.errors

from clinic_desktop.db import keys
from clinic_desktop.errors import KeyUnavailable, StorageError, WrongKey
from clinic_desktop.i18n import _

log = logging.getLogger(__name__)

KEYRING_SERVICE = "clinic-desktop"
FORMAT_VERSION = 1


def usable_keyring() -> keyring.backend.KeyringBackend | None:
    """The OS keyring if one really works here; None on a machine with no backend."""
    try:
        backend = keyring.get_keyring()
    except Exception:  # a broken keyring configuration must not stop the app
        log.exception("keyring could not be loaded")
        return None
    name = backend_name(backend)
    if name.startswith("keyring.backends.fail") or getattr(backend, "priority", 1) <= 0:
        return None
    if name.startswith("keyring.backends.chainer") and not getattr(backend, "backends", None):
        return None
    if hasattr(backend, "persist"):
        # Windows Credential Manager roams with the profile by default; the key must stay on
        # this PC, so persist it to the local machine.
        try:
            backend.persist = "local machine"
        except Exception:
            log.warning("could not set keyring persistence", exc_info=True)
    return backend


def backend_name(backend: keyring.backend.KeyringBackend) -> str:
    cls = type(backend)
    return f"{cls.__module__}.{cls.__qualname__}"


@dataclass(frozen=True)
class UnlockResult:
    data_key: bytes
    via: str  # "keyring" or "recovery"
    keyring_enrolled: bool


class KeyStore:
    """Reads and writes keys.json; holds no key in memory beyond a call."""

    def __init__(
        self, path: Path, *, backend: keyring.backend.KeyringBackend | bool | None = True
    ) -> None:
        self.path = path
        # True means "detect the OS keyring"; None means "there is none" (tests, headless).
        self._backend = usable_keyring() if backend is True else backend or None

    @property
    def backend(self) -> keyring.backend.KeyringBackend | None:
        return self._backend

    def exists(self) -> bool:
        return self.path.exists()

    def _read(self) -> dict[str, Any]:
        try:
            data: dict[str, Any] = json.loads(self.path.read_text(encoding="utf-8"))
        except FileNotFoundError as exc:
            raise KeyUnavailable(
                _("The key file {path} is missing.").format(path=self.path)
            ) from exc
        except (OSError, ValueError) as exc:
            raise StorageError(
                _("The key file {path} cannot be read: {reason}").format(path=self.path, reason=exc)
            ) from exc
        return data

    def _write(self, data: dict[str, Any]) -> None:
        tmp = self.path.with_suffix(".json.tmp")
        tmp.write_text(json.dumps(data, indent=2), encoding="utf-8")
        os.replace(tmp, self.path)

    def clinic_id(self) -> str:
        return str(self._read()["clinic_id"])

    def create(self, *, clinic_id: str, kdf: keys.KdfParams | None = None) -> tuple[bytes, str]:
        """Makes a new data key and recovery key; returns both (the caller shows the key once)."""
        data_key = keys.new_data_key()
        recovery_key = keys.new_recovery_key()
        self.write_new(clinic_id=clinic_id, data_key=data_key, recovery_key=recovery_key, kdf=kdf)
        return data_key, recovery_key

    def write_new(
        self,
        *,
        clinic_id: str,
        data_key: bytes,
        recovery_key: str,
        kdf: keys.KdfParams | None = None,
    ) -> None:
        data: dict[str, Any] = {
            "format": FORMAT_VERSION,
            "clinic_id": clinic_id,
            "recovery": recovery_slot(data_key, recovery_key, clinic_id, kdf or keys.KdfParams()),
            "keyring": None,
        }
        self._write(data)
        self.enrol_keyring(data_key)

    def recovery_slot(self) -> dict[str, Any]:
        slot: dict[str, Any] = self._read()["recovery"]
        return slot

    def enrol_keyring(self, data_key: bytes) -> bool:
        """Stores a fresh key-encryption key in the OS keyring and records which backend has it."""
        if self._backend is None:
            return False
        data = self._read()
        clinic_id = str(data["clinic_id"])
        # One entry per data folder: two folders holding the same clinic (a restored copy)
        # must not overwrite each other's key-encryption key.
        folder = hashlib.sha256(str(self.path.resolve().parent).encode()).hexdigest()[:12]
        account = f"{clinic_id}@{folder}"
        kek = keys.new_kek()
        try:
            self._backend.set_password(
                KEYRING_SERVICE, account, base64.b64encode(kek).decode("ascii")
            )
        except keyring.errors.KeyringError:
            log.exception("keyring refused to store the key")
            return False
        data["keyring"] = {
            "backend": backend_name(self._backend),
            "service": KEYRING_SERVICE,
            "account": account,
            "wrapped": keys.wrap(kek, data_key, context=clinic_id.encode()),
        }
        self._write(data)
        return True

    def unlock_with_keyring(self) -> UnlockResult:
        """The everyday path; KeyUnavailable says why the recovery key is needed instead."""
        data = self._read()
        slot = data.get("keyring")
        if not slot:
            raise KeyUnavailable(_("This computer has no saved key for the clinic data."))
        if self._backend is None:
            raise KeyUnavailable(_("No system keychain is available on this computer."))
        if backend_name(self._backend) != slot["backend"]:
            raise KeyUnavailable(_("The system keychain changed since the key was saved."))
        try:
            secret = self._backend.get_password(slot["service"], slot["account"])
        except keyring.errors.KeyringError as exc:
            raise KeyUnavailable(_("The system keychain could not be read.")) from exc
        if not secret:
            raise KeyUnavailable(_("The system keychain no longer holds the clinic key."))
        try:
            data_key = keys.unwrap(
                base64.b64decode(secret), slot["wrapped"], context=str(data["clinic_id"]).encode()
            )
        except (keys.UnwrapError, ValueError) as exc:
            raise KeyUnavailable(_("The key in the system keychain does not match.")) from exc
        return UnlockResult(data_key=data_key, via="keyring", keyring_enrolled=True)

    def unlock_with_recovery(self, recovery_key: str) -> UnlockResult:
        data = self._read()
        data_key = unwrap_recovery_slot(data["recovery"], recovery_key, str(data["clinic_id"]))
        enrolled = self.enrol_keyring(data_key)
        return UnlockResult(data_key=data_key, via="recovery", keyring_enrolled=enrolled)


def recovery_slot(
    data_key: bytes, recovery_key: str, clinic_id: str, kdf: keys.KdfParams
) -> dict[str, Any]:
    salt = secrets.token_bytes(16)
    kek = keys.derive_recovery_kek(recovery_key, salt, kdf)
    return {
        "kdf": "argon2id",
        "params": kdf.as_dict(),
        "salt": base64.b64encode(salt).decode("ascii"),
        "wrapped": keys.wrap(kek, data_key, context=clinic_id.encode()),
    }


def unwrap_recovery_slot(slot: dict[str, Any], recovery_key: str, clinic_id: str) -> bytes:
    if not keys.looks_like_recovery_key(recovery_key):
        raise WrongKey(
            _("Recovery key: it has 32 letters and digits in 8 groups of 4, like ABCD-EFGH-…")
        )
    kek = keys.derive_recovery_kek(
        recovery_key, base64.b64decode(slot["salt"]), keys.KdfParams.from_dict(slot["params"])
    )
    try:
        return keys.unwrap(kek, slot["wrapped"], context=clinic_id.encode())
    except keys.UnwrapError as exc:
        raise WrongKey(_("Recovery key: this key does not open this clinic's data.")) from exc
