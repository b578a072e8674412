"""What the agenda page does when an appointment is dragged, resized or has its status
changed: the service call through the runner (with the version the screen showed, so a change
made meanwhile on another PC is refused instead of overwritten), and the exception path. When
the time breaks an overridable rule (outside hours, a closure, a holiday, the past), someone
who manages schedules is asked for a reason and the call is retried with it; anyone else, and
every other refusal, gets the service's message and the view reloads so the block goes back."""

from __future__ import annotations

import uuid
from collections.abc import Callable
from datetime import datetime
from typing import Any

from PySide6.QtWidgets import QWidget

from clinic_desktop.errors import NeedsOverride, UserFacingError
from clinic_desktop.services import appointments
from clinic_desktop.services.agenda_dto import AppointmentDTO
from clinic_desktop.ui.agenda import override_prompt
from clinic_desktop.ui.context import UiContext

Call = Callable[[str | None], Any]


def ask_override_reason(parent: QWidget, problems: tuple[str, ...]) -> str | None:
    """The reason for booking against the rules, or None if the user declined (the same
    prompt the appointment dialog's rules use; tests replace this function)."""
    return override_prompt.ask_override_reason(parent, problems)


class AppointmentChanges:
    """Moves, resizes and status changes from the page, with the override prompt."""

    def __init__(
        self,
        ctx: UiContext,
        parent: QWidget,
        *,
        show_error: Callable[[str], None],
        reload: Callable[[], None],
    ) -> None:
        self._ctx = ctx
        self._parent = parent
        self._show_error = show_error
        self._reload = reload

    def move(
        self,
        appointment: AppointmentDTO,
        *,
        start: datetime,
        minutes: int | None = None,
        practitioner_id: uuid.UUID | None = None,
        room_id: uuid.UUID | None = None,
        change_room: bool = False,
    ) -> None:
        """`start` is aware UTC; the room changes only when `change_room` is set."""
        ctx = self._ctx
        options: dict[str, Any] = {}
        if minutes is not None:
            options["minutes"] = minutes
        if practitioner_id is not None and practitioner_id != appointment.practitioner_id:
            options["practitioner_id"] = practitioner_id
        if change_room:
            options["room_id"] = room_id

        def call(reason: str | None) -> AppointmentDTO:
            return appointments.move_appointment(
                ctx.uow(),
                actor=ctx.actor,
                appointment_id=appointment.id,
                start=start,
                expected_version=appointment.version,
                override_reason=reason,
                **options,
            )

        self._run(call)

    def change_status(self, appointment: AppointmentDTO, status: str) -> None:
        ctx = self._ctx
        self._run(
            lambda _reason: appointments.change_status(
                ctx.uow(), actor=ctx.actor, appointment_id=appointment.id, status=status
            ),
            overridable=False,
        )

    def _run(self, call: Call, *, overridable: bool = True) -> None:
        self._ctx.runner.run(
            lambda: call(None),
            on_done=self._on_done,
            on_error=self._on_error,
            on_user_error=lambda exc: self._on_refused(exc, call if overridable else None),
        )

    def _on_done(self, _result: object) -> None:
        self._reload()

    def _on_error(self, message: str) -> None:
        self._show_error(message)
        self._reload()

    def _on_refused(self, exc: UserFacingError, call: Call | None) -> None:
        if call is not None and isinstance(exc, NeedsOverride) and self._ctx.can("schedule.manage"):
            reason = ask_override_reason(self._parent, exc.problems or (exc.message,))
            if reason is not None:
                self._ctx.runner.run(
                    lambda: call(reason),
                    on_done=self._on_done,
                    on_error=self._on_error,
                    on_user_error=lambda again: self._on_error(again.message),
                )
                return
            self._reload()
            return
        self._on_error(exc.message)
