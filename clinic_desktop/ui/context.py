"""What every screen receives: the unlocked clinic database (opaque to the UI: it only passes
it to services), the clinic's details, the runner for off-thread calls, the event bridge and
the signed-in user."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from clinic_desktop.actor import Actor
from clinic_desktop.config import AppPaths
from clinic_desktop.services.dto import ClinicDTO, SignedInUser
from clinic_desktop.ui.event_bridge import EventBridge
from clinic_desktop.ui.ops import Runner


@dataclass
class UiContext:
    db: Any  # clinic_desktop.db.uow.Database; the UI never imports the db layer
    paths: AppPaths
    runner: Runner
    bridge: EventBridge
    user: SignedInUser
    # The clinic as opened (name, country, time zone, ...): screens show times in its zone.
    clinic: ClinicDTO
    # Called after a restore replaced the database: the app reopens it and asks to sign in.
    reopen: Callable[[], None] | None = None

    def uow(self) -> Any:
        return self.db.uow()

    @property
    def actor(self) -> Actor:
        return Actor.for_user(self.user.id, self.user.username)

    def can(self, permission: str) -> bool:
        return self.user.can(permission)
