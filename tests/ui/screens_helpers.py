"""Builds a UiContext for the administration screens' tests: the real demo clinic (SQLCipher
in a temp dir), a real sign-in of one of its sample accounts, the same-thread runner and the
real event bridge. Screens only ever see the context, exactly as in the app."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from PySide6.QtWidgets import QApplication

from clinic_desktop.services.auth import sign_in
from clinic_desktop.services.clinic_info import get_clinic
from clinic_desktop.services.demo import DEMO_PASSWORD
from clinic_desktop.services.startup import CreatedClinic
from clinic_desktop.ui.context import UiContext
from clinic_desktop.ui.event_bridge import EventBridge
from clinic_desktop.ui.ops import SameThreadRunner


@dataclass
class Reopened:
    """Stands in for the app's reopen callback and counts the calls."""

    calls: list[int] = field(default_factory=list)

    def __call__(self) -> None:
        self.calls.append(1)


def make_ctx(
    created: CreatedClinic, username: str = "duena", reopen: Callable[[], None] | None = None
) -> UiContext:
    user = sign_in(created.db.uow(), username=username, password=DEMO_PASSWORD)
    return UiContext(
        db=created.db,
        paths=created.db.paths,
        runner=SameThreadRunner(),
        bridge=EventBridge(created.db.bus),
        user=user,
        clinic=get_clinic(created.db.uow()),
        reopen=reopen,
    )


def settle() -> None:
    """Delivers the bridge's queued signals (the runner itself is synchronous)."""
    QApplication.processEvents()
