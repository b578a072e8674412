"""Opening the clinic for a command: the key comes from the OS keyring when it can, otherwise
from the recovery key on stdin (and the keyring is re-enrolled by the unlock). Commands act as
the system actor `cli:<os user>`, so the audit trail still names who ran them and where."""

from __future__ import annotations

from dataclasses import dataclass

from clinic_desktop.actor import Actor
from clinic_desktop.cli.console import Console
from clinic_desktop.config import AppPaths
from clinic_desktop.db.uow import Database
from clinic_desktop.errors import KeyUnavailable, StorageError
from clinic_desktop.i18n import _
from clinic_desktop.services import startup


def cli_actor() -> Actor:
    return Actor.system("cli")


@dataclass(frozen=True)
class Context:
    """What every command gets besides its parsed arguments."""

    paths: AppPaths
    console: Console
    language: str


@dataclass(frozen=True)
class Unlocked:
    data_key: bytes
    via: str  # "keyring" or "recovery"
    keyring_problem: str  # why the keyring could not help; empty when it did


def require_clinic(paths: AppPaths) -> None:
    if not paths.is_initialised():
        raise StorageError(
            _(
                "There is no clinic in {path}. Create one with `clinic-desktop init` or "
                "`clinic-desktop demo`, or choose another folder with --data-dir."
            ).format(path=paths.data_dir)
        )


def read_recovery_key(console: Console) -> str:
    return console.read_secret(
        _("Recovery key: "), field="recovery_key", label=_("Recovery key")
    ).strip()


def unlock_key(paths: AppPaths, console: Console) -> Unlocked:
    """The data key, from the keyring or else from the recovery key read from stdin."""
    require_clinic(paths)
    try:
        return Unlocked(startup.unlock(paths), "keyring", "")
    except KeyUnavailable as exc:
        console.warn(
            _("The clinic key is not available from this computer's keychain: {reason}").format(
                reason=exc.message
            )
        )
        console.warn(_("Enter the clinic's recovery key (from the sheet printed at setup)."))
        key = startup.unlock(paths, recovery_key=read_recovery_key(console))
        return Unlocked(key, "recovery", exc.message)


def open_database(paths: AppPaths, console: Console) -> Database:
    """Unlocks and opens the clinic; an old schema is backed up and upgraded on the way."""
    unlocked = unlock_key(paths, console)
    return startup.open_clinic(paths, unlocked.data_key, progress=console.warn)
