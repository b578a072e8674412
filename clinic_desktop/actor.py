"""Who is acting: every transaction carries an actor so each change and each audit entry is
traced to a person (or, for the admin CLI and the backup scheduler, to a named system actor
with the OS user and PC)."""

from __future__ import annotations

import getpass
import uuid
from dataclasses import dataclass

from clinic_desktop.config import workstation_name


@dataclass(frozen=True)
class Actor:
    user_id: uuid.UUID | None
    name: str
    workstation: str
    is_system: bool = False

    @classmethod
    def for_user(cls, user_id: uuid.UUID, username: str) -> Actor:
        return cls(user_id=user_id, name=username, workstation=workstation_name())

    @classmethod
    def system(cls, purpose: str) -> Actor:
        """The CLI and the scheduler act as the machine's OS user; they hold every capability
        because whoever runs them already has the clinic key on this PC."""
        try:
            os_user = getpass.getuser()
        except Exception:  # no login name in some service contexts
            os_user = "unknown"
        return cls(
            user_id=None,
            name=f"{purpose}:{os_user}",
            workstation=workstation_name(),
            is_system=True,
        )
