"""Where the clinic's files live and the few settings read before the database is unlocked.
The data dir comes from platformdirs, overridden by CLINIC_DESKTOP_DATA_DIR or --data-dir."""

from __future__ import annotations

import json
import logging
import logging.handlers
import os
import socket
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import platformdirs

APP_NAME = "clinic-desktop"
DATA_DIR_ENV = "CLINIC_DESKTOP_DATA_DIR"


@dataclass(frozen=True)
class AppPaths:
    """Every path the app writes, derived from one data dir."""

    data_dir: Path

    @classmethod
    def resolve(cls, data_dir: str | os.PathLike[str] | None = None) -> AppPaths:
        chosen = (
            data_dir
            or os.environ.get(DATA_DIR_ENV)
            or platformdirs.user_data_dir(APP_NAME, appauthor=False)
        )
        return cls(Path(chosen).expanduser().resolve())

    @property
    def database(self) -> Path:
        return self.data_dir / "clinic.db"

    @property
    def key_file(self) -> Path:
        return self.data_dir / "keys.json"

    @property
    def backups_dir(self) -> Path:
        return self.data_dir / "backups"

    @property
    def replaced_dir(self) -> Path:
        """Databases set aside by a restore; never deleted automatically."""
        return self.data_dir / "replaced"

    @property
    def logs_dir(self) -> Path:
        return self.data_dir / "logs"

    @property
    def log_file(self) -> Path:
        return self.logs_dir / "clinic-desktop.log"

    @property
    def preferences_file(self) -> Path:
        """Per-PC preferences readable before unlock (UI language of the sign-in screen)."""
        return self.data_dir / "preferences.json"

    def ensure(self) -> None:
        for folder in (self.data_dir, self.backups_dir, self.logs_dir):
            folder.mkdir(parents=True, exist_ok=True)

    def is_initialised(self) -> bool:
        return self.database.exists() and self.key_file.exists()


def workstation_name() -> str:
    """The PC's name, recorded in every audit entry."""
    return socket.gethostname() or "unknown-pc"


def configure_logging(paths: AppPaths, *, level: int = logging.INFO) -> None:
    """Tracebacks go to a rotating file in the data dir, never to the user."""
    paths.logs_dir.mkdir(parents=True, exist_ok=True)
    handler = logging.handlers.RotatingFileHandler(
        paths.log_file, maxBytes=2_000_000, backupCount=5, encoding="utf-8"
    )
    handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
    root = logging.getLogger()
    if not any(
        isinstance(h, logging.handlers.RotatingFileHandler)
        and Path(h.baseFilename) == paths.log_file
        for h in root.handlers
    ):
        root.addHandler(handler)
    root.setLevel(level)


def read_preferences(paths: AppPaths) -> dict[str, Any]:
    """Per-PC preferences kept outside the encrypted database, readable before unlock: the
    sign-in screen's language and the clinic's name, so the window can show at once."""
    try:
        data = json.loads(paths.preferences_file.read_text(encoding="utf-8"))
    except (OSError, ValueError):  # missing or damaged: start with defaults, never fail
        return {}
    return data if isinstance(data, dict) else {}


def update_preferences(paths: AppPaths, **values: Any) -> None:
    data = read_preferences(paths)
    data.update(values)
    try:
        paths.data_dir.mkdir(parents=True, exist_ok=True)
        tmp = paths.preferences_file.with_suffix(".tmp")
        tmp.write_text(json.dumps(data, indent=2, ensure_ascii=False), encoding="utf-8")
        os.replace(tmp, paths.preferences_file)
    except OSError:
        # Not remembering a preference is no reason to stop what the user is doing.
        logging.getLogger(__name__).warning("could not save preferences", exc_info=True)
