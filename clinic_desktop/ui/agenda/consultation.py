"""Starting a consultation from the agenda, shared by the waiting room and the day grid's
status menu: the appointment moves to "in consultation" and, for whoever writes clinical notes
(doctors, the owner), its note opens in the chart, ready to write: the appointment's current
note, or a new draft linked to it. Everyone else (reception) only moves the status; asking for
the note would be refused and would open clinical content they may not see."""

from __future__ import annotations

import uuid
from collections.abc import Callable
from dataclasses import dataclass

from PySide6.QtWidgets import QWidget

from clinic_desktop.services.appointments import change_status
from clinic_desktop.services.encounters import open_appointment_note
from clinic_desktop.ui.context import UiContext

IN_CONSULTATION = "in_consultation"


@dataclass(frozen=True)
class StartedConsultation:
    """What starting gave: whose consultation it is and the note opened (None when the user
    does not write notes, so only the status changed)."""

    appointment_id: uuid.UUID
    patient_id: uuid.UUID
    note_id: uuid.UUID | None


def opens_note(ctx: UiContext) -> bool:
    """Whether starting a consultation opens its note for this user."""
    return ctx.can("clinical.write")


def start_consultation(
    ctx: UiContext,
    appointment_id: uuid.UUID,
    *,
    on_done: Callable[[StartedConsultation], None] | None = None,
    on_error: Callable[[str], None] | None = None,
    parent: QWidget | None = None,
) -> None:
    """Moves the appointment to "in consultation" and, for note writers, opens its note: the
    chart is asked for through `ctx.bridge.chart_requested(patient_id, note_id)`, which the
    main window routes to the patients page. `on_done` runs first, so the screen that
    started it refreshes before the chart takes the window."""
    writes_notes = opens_note(ctx)

    def run() -> StartedConsultation:
        appointment = change_status(
            ctx.uow(), actor=ctx.actor, appointment_id=appointment_id, status=IN_CONSULTATION
        )
        if not writes_notes:
            return StartedConsultation(appointment_id, appointment.patient_id, None)
        note = open_appointment_note(ctx.uow(), actor=ctx.actor, appointment_id=appointment_id)
        return StartedConsultation(appointment_id, appointment.patient_id, note.id)

    def done(started: StartedConsultation) -> None:
        if on_done is not None:
            on_done(started)
        if started.note_id is not None:
            ctx.bridge.chart_requested.emit(started.patient_id, started.note_id)

    ctx.runner.run(run, on_done=done, on_error=on_error, parent=parent)
