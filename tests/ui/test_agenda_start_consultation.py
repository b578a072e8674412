""" "Start consultation" from the day grid's status menu: a doctor's moves the appointment in
and opens its note (a draft linked to the appointment, asked for through the bridge's
chart_requested, as the waiting room does with the same helper); reception's only changes the
status and creates no note; a start the service refuses changes nothing."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime

import pytest
from pytestqt.qtbot import QtBot
from sqlalchemy import select
from support.agenda_data import SYSTEM, AgendaSeed, seed_agenda
from ui.screens_helpers import make_ctx, settle
from ui.test_agenda_panels import arrive

from clinic_desktop.models.encounter import Encounter
from clinic_desktop.services import agenda_queries, appointments
from clinic_desktop.services.agenda_dto import AppointmentDTO
from clinic_desktop.services.encounters import get_encounter
from clinic_desktop.services.startup import CreatedClinic
from clinic_desktop.ui.agenda.page import AgendaPage
from clinic_desktop.ui.agenda.status_menu import find_action
from clinic_desktop.ui.agenda.waiting_room import WaitingRoomPanel
from clinic_desktop.ui.context import UiContext


@pytest.fixture
def seed(demo: CreatedClinic) -> AgendaSeed:
    return seed_agenda(demo.db)


@pytest.fixture
def arrived(demo: CreatedClinic, seed: AgendaSeed) -> AppointmentDTO:
    """Today's appointment with Dr. Paredes ("medico") whose patient is waiting."""
    return arrive(
        demo, seed, datetime.now(UTC).replace(microsecond=0), patient=2, practitioner=seed.doctor
    )


def open_page(qtbot: QtBot, ctx: UiContext) -> AgendaPage:
    page = AgendaPage(ctx)
    qtbot.addWidget(page)
    page.resize(1300, 860)
    page.show()
    qtbot.waitExposed(page)
    page.go_today()
    return page


def chart_requests(ctx: UiContext) -> list[tuple[object, object]]:
    requested: list[tuple[object, object]] = []
    ctx.bridge.chart_requested.connect(lambda p, e: requested.append((p, e)))
    return requested


def start_from_menu(page: AgendaPage, appointment: AppointmentDTO) -> None:
    shown = page.appointment(str(appointment.id))
    assert shown is not None  # the block is on the grid
    action = find_action(page.dialogs.build_appointment_menu(shown), "StatusAction_in_consultation")
    assert action is not None and action.text() == "Start consultation"
    action.trigger()
    settle()


def status_of(demo: CreatedClinic, appointment: AppointmentDTO) -> str:
    reread, _moves = agenda_queries.get_appointment(
        demo.db.uow(), actor=SYSTEM, appointment_id=appointment.id
    )
    return reread.status


def notes_of(demo: CreatedClinic, appointment: AppointmentDTO) -> list[uuid.UUID]:
    with demo.db.uow().transaction(SYSTEM) as session:
        return list(
            session.scalars(select(Encounter.id).where(Encounter.appointment_id == appointment.id))
        )


def test_a_doctor_starting_from_the_grid_lands_in_the_appointments_note(
    demo: CreatedClinic, qtbot: QtBot, seed: AgendaSeed, arrived: AppointmentDTO
) -> None:
    ctx = make_ctx(demo, "medico")
    requested = chart_requests(ctx)
    page = open_page(qtbot, ctx)

    start_from_menu(page, arrived)

    assert status_of(demo, arrived) == "in_consultation"
    [note_id] = notes_of(demo, arrived)
    assert requested == [(seed.patients[2], note_id)]
    note = get_encounter(demo.db.uow(), actor=ctx.actor, encounter_id=note_id)
    assert note.appointment_id == arrived.id and note.patient_id == seed.patients[2]
    assert note.status == "draft"
    # The grid shows the new status.
    shown = page.appointment(str(arrived.id))
    assert shown is not None and shown.status == "in_consultation"
    assert not page.banner.isVisible()


def test_reception_starting_from_the_grid_only_changes_the_status(
    demo: CreatedClinic, qtbot: QtBot, seed: AgendaSeed, arrived: AppointmentDTO
) -> None:
    ctx = make_ctx(demo, "recepcion")
    requested = chart_requests(ctx)
    page = open_page(qtbot, ctx)

    start_from_menu(page, arrived)

    assert status_of(demo, arrived) == "in_consultation"
    assert notes_of(demo, arrived) == [] and requested == []
    shown = page.appointment(str(arrived.id))
    assert shown is not None and shown.status == "in_consultation"


def test_a_refused_start_changes_nothing_and_says_why(
    demo: CreatedClinic, qtbot: QtBot, seed: AgendaSeed, arrived: AppointmentDTO
) -> None:
    ctx = make_ctx(demo, "medico")
    requested = chart_requests(ctx)
    page = open_page(qtbot, ctx)
    stale = page.appointment(str(arrived.id))
    assert stale is not None
    menu = page.dialogs.build_appointment_menu(stale)
    # Meanwhile, on another PC, the consultation is held and completed: the menu is stale.
    appointments.change_status(
        demo.db.uow(), actor=SYSTEM, appointment_id=arrived.id, status="in_consultation"
    )
    appointments.change_status(
        demo.db.uow(), actor=SYSTEM, appointment_id=arrived.id, status="completed"
    )
    action = find_action(menu, "StatusAction_in_consultation")
    assert action is not None
    action.trigger()
    settle()

    assert status_of(demo, arrived) == "completed"
    assert notes_of(demo, arrived) == [] and requested == []
    assert page.banner.isVisible() and "cannot change" in page.banner.text()


def test_the_waiting_room_uses_the_same_start(
    demo: CreatedClinic, qtbot: QtBot, seed: AgendaSeed, arrived: AppointmentDTO
) -> None:
    ctx = make_ctx(demo, "duena")  # the owner writes notes too
    requested = chart_requests(ctx)
    panel = WaitingRoomPanel(ctx)
    qtbot.addWidget(panel)
    panel.refresh()
    panel.start_consultation(arrived.id)
    settle()

    [note_id] = notes_of(demo, arrived)
    assert requested == [(seed.patients[2], note_id)]
    assert status_of(demo, arrived) == "in_consultation" and panel.entries() == []
