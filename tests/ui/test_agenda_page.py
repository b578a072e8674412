"""The agenda screen against a real demo clinic with a seeded agenda: the day view's columns and
blocks, moving an appointment by dragging it with the mouse (also to another practitioner),
refused overlaps, the override prompt, the status menu, resizing, reloading on changes made
elsewhere, doctors opening on their own column, the week, month and list views, and printing
and exporting. Every effect is checked by reading back through the services."""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from datetime import date, datetime, time, timedelta
from pathlib import Path
from typing import ClassVar

import pytest
from PySide6.QtCore import QObject, QPoint, Qt, Signal
from PySide6.QtTest import QTest
from pytestqt.qtbot import QtBot
from support.agenda_data import SYSTEM, AgendaSeed, next_monday, seed_agenda
from ui.conftest import MakeApp
from ui.screens_helpers import make_ctx, settle

from clinic_desktop.config import AppPaths
from clinic_desktop.services import agenda_queries, appointments
from clinic_desktop.services.agenda_dto import AppointmentDTO
from clinic_desktop.services.demo import DEMO_PASSWORD
from clinic_desktop.services.startup import CreatedClinic
from clinic_desktop.ui.agenda import agenda_files, page_moves, page_views
from clinic_desktop.ui.agenda.grid_data import to_local
from clinic_desktop.ui.agenda.page import AgendaPage
from clinic_desktop.ui.agenda.status_menu import find_action
from clinic_desktop.ui.agenda.waiting_room import WaitingRoomPanel
from clinic_desktop.ui.widgets import screen_kit


@pytest.fixture
def seed(demo: CreatedClinic) -> AgendaSeed:
    return seed_agenda(demo.db)


@pytest.fixture
def day() -> date:
    return next_monday()


def book(
    demo: CreatedClinic,
    seed: AgendaSeed,
    day: date,
    hour: int,
    minute: int = 0,
    *,
    practitioner: uuid.UUID | None = None,
    patient: int = 0,
    minutes: int = 30,
    room: uuid.UUID | None = None,
) -> AppointmentDTO:
    return appointments.book_appointment(
        demo.db.uow(),
        actor=SYSTEM,
        patient_id=seed.patients[patient],
        practitioner_id=practitioner or seed.doctor,
        start=seed.at(day, hour, minute),
        minutes=minutes,
        room_id=room,
        type_id=seed.consult,
    )


def reread(demo: CreatedClinic, appointment: AppointmentDTO) -> tuple[AppointmentDTO, list]:
    return agenda_queries.get_appointment(
        demo.db.uow(), actor=SYSTEM, appointment_id=appointment.id
    )


def open_page(demo: CreatedClinic, qtbot: QtBot, day: date, user: str = "recepcion") -> AgendaPage:
    page = AgendaPage(make_ctx(demo, user))
    qtbot.addWidget(page)
    page.resize(1300, 860)
    page.show()
    qtbot.waitExposed(page)
    page.go_to(day)
    page.refresh()
    return page


def local(seed: AgendaSeed, day: date, hour: int, minute: int = 0) -> datetime:
    return datetime.combine(day, time(hour, minute))


def drag(page: AgendaPage, start: QPoint, end: QPoint) -> None:
    canvas = page.grid.canvas()
    QTest.mousePress(canvas, Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier, start)
    middle = QPoint((start.x() + end.x()) // 2, (start.y() + end.y()) // 2)
    QTest.mouseMove(canvas, middle)
    QTest.mouseMove(canvas, end)
    QTest.mouseRelease(canvas, Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier, end)
    settle()


@pytest.fixture
def booked(demo: CreatedClinic, seed: AgendaSeed, day: date) -> list[AppointmentDTO]:
    return [
        book(demo, seed, day, 9, 0, room=seed.room_1),
        book(demo, seed, day, 10, 0, patient=1, room=seed.room_1),
        book(demo, seed, day, 9, 0, practitioner=seed.dentist, patient=2, room=seed.room_2),
        book(demo, seed, day, 11, 0, practitioner=seed.external, patient=3),
    ]


class FakeEditor(QObject):
    """Stands in for the appointment dialog: records how it was opened."""

    saved = Signal(object)
    opened: ClassVar[list[dict[str, object]]] = []

    def __init__(self, options: dict[str, object]) -> None:
        super().__init__()
        self.options = options

    def open(self) -> None:
        FakeEditor.opened.append(self.options)


@pytest.fixture
def fake_editor(monkeypatch: pytest.MonkeyPatch) -> Iterator[list[dict[str, object]]]:
    FakeEditor.opened = []
    monkeypatch.setattr(
        page_views, "appointment_dialog", lambda ctx, parent, **options: FakeEditor(options)
    )
    yield FakeEditor.opened


# -- day view -------------------------------------------------------------------------------------


def test_day_view_has_a_column_per_practitioner_and_every_block(
    demo: CreatedClinic, qtbot: QtBot, seed: AgendaSeed, day: date, booked: list[AppointmentDTO]
) -> None:
    page = open_page(demo, qtbot, day)
    columns, blocks, _shades = page_views.grid_for(page)
    assert [c.key for c in columns] == [str(seed.doctor), str(seed.dentist), str(seed.external)]
    assert columns[0].title == "Dr. Andrés Paredes"
    assert {b.key for b in blocks} == {str(a.id) for a in booked}
    for appointment in booked:
        rect = page.grid.block_rect(str(appointment.id))
        assert not rect.isEmpty()
    first = page.grid.block_rect(str(booked[0].id))
    assert first.contains(page.grid.point_for(str(seed.doctor), local(seed, day, 9, 15)))
    assert page.title() == "Agenda"
    assert page.objectName() == "AgendaPage"


def test_room_columns_put_appointments_without_room_apart(
    demo: CreatedClinic, qtbot: QtBot, seed: AgendaSeed, day: date, booked: list[AppointmentDTO]
) -> None:
    page = open_page(demo, qtbot, day)
    page.set_columns("room")
    columns, blocks, _shades = page_views.grid_for(page)
    assert [c.key for c in columns] == [str(seed.room_1), str(seed.room_2), "no-room"]
    where = {b.key: b.column for b in blocks}
    assert where[str(booked[0].id)] == str(seed.room_1)
    assert where[str(booked[3].id)] == "no-room"


def test_dragging_a_block_to_another_practitioner_moves_it_and_keeps_history(
    demo: CreatedClinic, qtbot: QtBot, seed: AgendaSeed, day: date, booked: list[AppointmentDTO]
) -> None:
    page = open_page(demo, qtbot, day)
    appointment = booked[1]  # the doctor's 10:00
    grid = page.grid
    start = grid.point_for(str(seed.doctor), local(seed, day, 10, 10))
    end = grid.point_for(str(seed.external), local(seed, day, 16, 10))
    assert grid.block_rect(str(appointment.id)).contains(start)

    drag(page, start, end)

    moved, moves = reread(demo, appointment)
    assert moved.practitioner_id == seed.external
    assert moved.start == seed.at(day, 16, 0)
    assert moved.minutes == 30
    assert len(moves) == 1
    assert moves[0].from_practitioner == "Dr. Andrés Paredes"
    assert moves[0].to_practitioner == "Dr. Tomás Ruiz"
    # The page shows it where it now is.
    blocks = {b.key: b for b in page_views.grid_for(page)[1]}
    assert blocks[str(appointment.id)].column == str(seed.external)
    assert not page.banner.isVisible()

    page.dialogs.show_history(moved)
    assert page.dialogs.history_dialog is not None
    assert len(page.dialogs.history_dialog.model.rows()) == 1


def test_dragging_onto_another_appointment_is_refused(
    demo: CreatedClinic, qtbot: QtBot, seed: AgendaSeed, day: date, booked: list[AppointmentDTO]
) -> None:
    page = open_page(demo, qtbot, day)
    appointment = booked[1]  # the doctor's 10:00, dropped on the dentist's 9:00
    grid = page.grid
    refused: list[str] = []
    grid.drop_refused.connect(refused.append)
    start = grid.point_for(str(seed.doctor), local(seed, day, 10, 10))
    end = grid.point_for(str(seed.dentist), local(seed, day, 9, 20))

    drag(page, start, end)

    assert refused and "Dra. Valeria Cedeño" in refused[0]
    assert page.banner.isVisible() and page.banner.text() == refused[0]
    same, moves = reread(demo, appointment)
    assert (same.practitioner_id, same.start, same.version) == (
        seed.doctor,
        appointment.start,
        appointment.version,
    )
    assert moves == []


def test_the_live_check_also_refuses_a_busy_room(
    demo: CreatedClinic, qtbot: QtBot, seed: AgendaSeed, day: date, booked: list[AppointmentDTO]
) -> None:
    page = open_page(demo, qtbot, day)
    # The doctor's 10:00 in room 1, to the dentist at 9:00... but the dentist is busy; to the
    # external practitioner at 9:00 instead: free for him, yet room 1 holds the doctor's 9:00.
    message = page.gestures.check_conflict(
        str(booked[1].id), str(seed.external), local(seed, day, 9), local(seed, day, 9, 30)
    )
    assert message is not None and "Consultorio 1" in message
    # Touching edges are no conflict.
    assert (
        page.gestures.check_conflict(
            str(booked[1].id), str(seed.doctor), local(seed, day, 9, 30), local(seed, day, 10)
        )
        is None
    )


def test_a_move_outside_hours_asks_for_a_reason_and_overrides(
    demo: CreatedClinic,
    qtbot: QtBot,
    seed: AgendaSeed,
    day: date,
    booked: list[AppointmentDTO],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    asked: list[str] = []

    def answer(parent: object, problems: tuple[str, ...]) -> str:
        asked.extend(problems)
        return "Paciente con dolor agudo"

    monkeypatch.setattr(page_moves, "ask_override_reason", answer)
    page = open_page(demo, qtbot, day)
    appointment = booked[1]
    grid = page.grid
    # 13:30 is the lunch break.
    drag(
        page,
        grid.point_for(str(seed.doctor), local(seed, day, 10, 10)),
        grid.point_for(str(seed.doctor), local(seed, day, 13, 40)),
    )

    assert asked == ["Working hours: the practitioner does not work at that time."]
    moved, _moves = reread(demo, appointment)
    assert moved.start == seed.at(day, 13, 30)
    assert moved.override_reason == "Paciente con dolor agudo"


def test_without_schedule_manage_the_rule_message_is_shown(
    demo: CreatedClinic,
    qtbot: QtBot,
    seed: AgendaSeed,
    day: date,
    booked: list[AppointmentDTO],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(page_moves, "ask_override_reason", lambda *a: pytest.fail("asked"))
    page = open_page(demo, qtbot, day, user="asistente")
    page.set_practitioner(None)
    appointment = booked[1]
    page.gestures.move(str(appointment.id), str(seed.doctor), local(seed, day, 13, 30))
    assert page.banner.isVisible()
    assert page.banner.kind == "error"
    same, moves = reread(demo, appointment)
    assert same.start == appointment.start and moves == []


def test_resize_changes_the_duration(
    demo: CreatedClinic, qtbot: QtBot, seed: AgendaSeed, day: date, booked: list[AppointmentDTO]
) -> None:
    page = open_page(demo, qtbot, day)
    appointment = booked[0]  # 9:00-9:30; the next one starts at 10:00
    page.grid.resize_requested.emit(str(appointment.id), local(seed, day, 9, 45))
    settle()
    resized, moves = reread(demo, appointment)
    assert resized.start == appointment.start
    assert resized.minutes == 45
    assert len(moves) == 1
    block = {b.key: b for b in page_views.grid_for(page)[1]}[str(appointment.id)]
    assert block.end == local(seed, day, 9, 45)


def test_clicking_free_time_opens_the_editor_prefilled(
    demo: CreatedClinic,
    qtbot: QtBot,
    seed: AgendaSeed,
    day: date,
    booked: list[AppointmentDTO],
    fake_editor: list[dict[str, object]],
) -> None:
    page = open_page(demo, qtbot, day)
    canvas = page.grid.canvas()
    point = page.grid.point_for(str(seed.dentist), local(seed, day, 15, 5))
    QTest.mouseClick(canvas, Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier, point)
    assert fake_editor == [
        {"practitioner_id": seed.dentist, "start": seed.at(day, 15), "minutes": 30}
    ]


# -- status menu ----------------------------------------------------------------------------------


def test_status_menu_marks_the_patient_arrived(
    demo: CreatedClinic, qtbot: QtBot, seed: AgendaSeed, day: date, booked: list[AppointmentDTO]
) -> None:
    page = open_page(demo, qtbot, day)
    appointment = booked[0]
    menu = page.dialogs.build_appointment_menu(appointment)
    names = [a.objectName() for a in menu.actions() if a.objectName()]
    assert names[:3] == ["StatusAction_confirmed", "StatusAction_arrived", "StatusAction_no_show"]
    assert "CancelAction" in names and "HistoryAction" in names
    action = find_action(menu, "StatusAction_arrived")
    assert action is not None and action.text() == "Patient arrived"

    action.trigger()
    settle()

    arrived, _moves = reread(demo, appointment)
    assert arrived.status == "arrived"
    block = {b.key: b for b in page_views.grid_for(page)[1]}[str(appointment.id)]
    assert block.status == "arrived" and not block.movable
    # An arrived patient is in the consultation's lifecycle: no more moving, no cancelling.
    names = [a.objectName() for a in page.dialogs.build_appointment_menu(arrived).actions()]
    assert "StatusAction_in_consultation" in names and "CancelAction" not in names


def test_arriving_today_shows_in_the_waiting_room(
    demo: CreatedClinic, qtbot: QtBot, seed: AgendaSeed, day: date
) -> None:
    page = open_page(demo, qtbot, day)
    today = page.today()
    # Early today, booked as a back-entry: whatever the time the test runs, it is today's.
    appointment = appointments.book_appointment(
        demo.db.uow(),
        actor=SYSTEM,
        patient_id=seed.patients[4],
        practitioner_id=seed.doctor,
        start=seed.at(today, 0, 30),
        minutes=30,
        override_reason="Registro de prueba",
    )
    page.go_today()
    shown = page.appointment(str(appointment.id))
    assert shown is not None
    action = find_action(page.dialogs.build_appointment_menu(shown), "StatusAction_arrived")
    assert action is not None
    action.trigger()
    settle()

    waiting = agenda_queries.waiting_room(demo.db.uow(), actor=SYSTEM)
    assert [e.appointment.id for e in waiting] == [appointment.id]
    panel = page.waiting_room
    assert isinstance(panel, WaitingRoomPanel)
    qtbot.waitUntil(
        lambda: [e.appointment.id for e in panel.entries()] == [appointment.id], timeout=3000
    )


def test_cancelling_from_the_menu_frees_the_slot(
    demo: CreatedClinic, qtbot: QtBot, seed: AgendaSeed, day: date, booked: list[AppointmentDTO]
) -> None:
    from clinic_desktop.ui.agenda.cancel_dialog import CancelDialog

    page = open_page(demo, qtbot, day)
    appointment = booked[1]
    menu = page.dialogs.build_appointment_menu(appointment)
    action = find_action(menu, "CancelAction")
    assert action is not None
    action.trigger()
    dialog = page.dialogs.cancel_dialog
    assert isinstance(dialog, CancelDialog)
    dialog.by_patient_radio.setChecked(True)
    dialog.reason_edit.setText("Viaje imprevisto")
    dialog.confirm()
    settle()

    cancelled, _moves = reread(demo, appointment)
    assert cancelled.status == "cancelled"
    assert str(appointment.id) not in {b.key for b in page_views.grid_for(page)[1]}


def test_double_click_opens_the_editor_on_that_appointment(
    demo: CreatedClinic, qtbot: QtBot, seed: AgendaSeed, day: date, booked: list[AppointmentDTO]
) -> None:
    from clinic_desktop.ui.agenda.appointment_dialog import AppointmentDialog

    page = open_page(demo, qtbot, day)
    appointment = booked[2]
    point = page.grid.block_rect(str(appointment.id)).center()
    canvas = page.grid.canvas()
    QTest.mouseDClick(canvas, Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier, point)
    # QTest's double-click leaves the application's button state pressed; release it.
    QTest.mouseRelease(canvas, Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier, point)
    dialog = page.dialogs.appointment_dialog
    assert isinstance(dialog, AppointmentDialog)
    assert dialog.isVisible()
    assert appointment.patient_name in dialog.windowTitle()


# -- live updates and who sees what ---------------------------------------------------------------


def test_a_booking_made_elsewhere_appears_without_refresh(
    demo: CreatedClinic, qtbot: QtBot, seed: AgendaSeed, day: date, booked: list[AppointmentDTO]
) -> None:
    page = open_page(demo, qtbot, day)
    with qtbot.waitSignal(page.loaded, timeout=3000):
        other = book(demo, seed, day, 16, 0, practitioner=seed.dentist, patient=5)
        settle()
    keys = {b.key for b in page_views.grid_for(page)[1]}
    assert str(other.id) in keys
    assert not page.grid.block_rect(str(other.id)).isEmpty()


def test_a_doctor_opens_on_his_own_column(
    demo: CreatedClinic, qtbot: QtBot, seed: AgendaSeed, day: date, booked: list[AppointmentDTO]
) -> None:
    page = open_page(demo, qtbot, day, user="medico")
    assert page.practitioner_id == seed.doctor
    columns, blocks, _shades = page_views.grid_for(page)
    assert [c.key for c in columns] == [str(seed.doctor)]
    assert {b.key for b in blocks} == {str(booked[0].id), str(booked[1].id)}
    assert page.toolbar.chosen_practitioner() == seed.doctor


def test_reception_opens_on_everyone(
    demo: CreatedClinic, qtbot: QtBot, seed: AgendaSeed, day: date
) -> None:
    page = open_page(demo, qtbot, day)
    assert page.practitioner_id is None
    assert page.toolbar.chosen_practitioner() is None


# -- week, month and list -------------------------------------------------------------------------


def test_week_and_month_views_show_the_right_counts(
    demo: CreatedClinic, qtbot: QtBot, seed: AgendaSeed, day: date, booked: list[AppointmentDTO]
) -> None:
    wednesday = day + timedelta(days=2)
    later = book(demo, seed, wednesday, 15, 0, patient=6)
    page = open_page(demo, qtbot, day)
    page.set_practitioner(seed.doctor)
    page.set_view("week")
    columns, blocks, _shades = page_views.grid_for(page)
    assert [c.day for c in columns] == [day + timedelta(days=i) for i in range(7)]
    assert columns[0].title == "Mon " + str(day.day)
    per_day: dict[str, int] = {}
    for block in blocks:
        per_day[block.column] = per_day.get(block.column, 0) + 1
    assert per_day == {day.isoformat(): 2, wednesday.isoformat(): 1}
    assert not page.grid.block_rect(str(later.id)).isEmpty()

    page.set_view("month")
    assert page.month_view.month() == (day.year, day.month)
    assert "2 appointments" in page.month_view.cell_text(day)
    page.set_practitioner(None)
    assert "4 appointments" in page.month_view.cell_text(day)
    if wednesday.month == day.month:
        assert "1 appointment" in page.month_view.cell_text(wednesday)

    page.month_view.day_activated.emit(wednesday)
    assert (page.view, page.day) == ("day", wednesday)


def test_list_view_lists_filters_and_opens(
    demo: CreatedClinic,
    qtbot: QtBot,
    seed: AgendaSeed,
    day: date,
    booked: list[AppointmentDTO],
    fake_editor: list[dict[str, object]],
) -> None:
    page = open_page(demo, qtbot, day)
    page.set_view("list")
    view = page.list_view
    assert view.shown_count() == 4
    first = view.appointment_at(0)
    assert first is not None and first.start == seed.at(day, 9)
    assert view.model.index(0, 1).data() == "09:00–09:30"
    view.search_edit.setText("Cedeño")
    assert view.shown_count() == 1
    view.table.doubleClicked.emit(view.proxy.index(0, 2))
    assert fake_editor and fake_editor[0]["appointment"] == booked[2]


# -- navigation -----------------------------------------------------------------------------------


def test_keyboard_moves_between_days_and_books(
    demo: CreatedClinic,
    qtbot: QtBot,
    seed: AgendaSeed,
    day: date,
    fake_editor: list[dict[str, object]],
) -> None:
    page = open_page(demo, qtbot, day)
    page.activateWindow()
    qtbot.waitUntil(page.isActiveWindow, timeout=2000)
    canvas = page.grid.canvas()
    canvas.setFocus()
    qtbot.keyClick(canvas, Qt.Key.Key_Right, Qt.KeyboardModifier.AltModifier)
    assert page.day == day + timedelta(days=1)
    qtbot.keyClick(canvas, Qt.Key.Key_PageUp)
    assert page.day == day
    page.set_practitioner(seed.dentist)
    qtbot.keyClick(canvas, Qt.Key.Key_N, Qt.KeyboardModifier.ControlModifier)
    # Another day than today: the practitioner shown, from the start of her working day.
    assert fake_editor == [
        {"practitioner_id": seed.dentist, "start": seed.at(day, 9), "minutes": None}
    ]
    qtbot.keyClick(canvas, Qt.Key.Key_T)
    assert page.day == page.today()
    page.toolbar.next_button.click()
    assert page.day == page.today() + timedelta(days=1)
    shown = page.day
    page.set_view("month")
    page.toolbar.next_button.click()
    assert page.day == date(shown.year + (shown.month == 12), shown.month % 12 + 1, 1)
    assert page.month_view.month() == (page.day.year, page.day.month)


def test_the_free_time_menu_books_there(
    demo: CreatedClinic,
    qtbot: QtBot,
    seed: AgendaSeed,
    day: date,
    fake_editor: list[dict[str, object]],
) -> None:
    page = open_page(demo, qtbot, day)
    menu = page.dialogs.build_empty_menu(str(seed.external), local(seed, day, 16, 30))
    action = find_action(menu, "NewHereAction")
    assert action is not None and "16:30" in action.text()
    action.trigger()
    assert fake_editor == [
        {"practitioner_id": seed.external, "start": seed.at(day, 16, 30), "minutes": None}
    ]


# -- files ----------------------------------------------------------------------------------------


def test_print_day_saves_a_pdf(
    demo: CreatedClinic,
    qtbot: QtBot,
    seed: AgendaSeed,
    day: date,
    booked: list[AppointmentDTO],
    monkeypatch: pytest.MonkeyPatch,
    tmp_path: Path,
) -> None:
    target = tmp_path / "day.pdf"
    chosen: list[list[str]] = []

    def choose(parent: object, title: str, names: list[str], current: int) -> int:
        chosen.append(list(names))
        return names.index("Dra. Valeria Cedeño")

    monkeypatch.setattr(agenda_files, "choose_practitioner_prompt", choose)
    monkeypatch.setattr(agenda_files, "save_file_prompt", lambda *a: str(target))
    monkeypatch.setattr(screen_kit, "confirm", lambda *a: False)
    page = open_page(demo, qtbot, day)
    page.toolbar.print_button.click()
    assert chosen == [["Dr. Andrés Paredes", "Dra. Valeria Cedeño", "Dr. Tomás Ruiz"]]
    assert target.read_bytes().startswith(b"%PDF")


def test_export_ics_saves_a_calendar(
    demo: CreatedClinic,
    qtbot: QtBot,
    seed: AgendaSeed,
    day: date,
    booked: list[AppointmentDTO],
    monkeypatch: pytest.MonkeyPatch,
    tmp_path: Path,
) -> None:
    target = tmp_path / "agenda.ics"
    monkeypatch.setattr(agenda_files, "save_file_prompt", lambda *a: str(target))
    page = open_page(demo, qtbot, day)
    page.set_practitioner(seed.doctor)
    dialog = page.dialogs.export_ics()
    assert dialog.practitioner_combo.currentText() == "Dr. Andrés Paredes"
    dialog.export_button.click()
    text = target.read_text()
    assert text.startswith("BEGIN:VCALENDAR")
    assert text.count("BEGIN:VEVENT") == 2
    assert page.banner.kind == "ok"


def test_blocks_are_in_clinic_time(
    demo: CreatedClinic, qtbot: QtBot, seed: AgendaSeed, day: date, booked: list[AppointmentDTO]
) -> None:
    page = open_page(demo, qtbot, day)
    block = {b.key: b for b in page_views.grid_for(page)[1]}[str(booked[0].id)]
    assert block.start == to_local(booked[0].start, seed.zone) == local(seed, day, 9)


# -- the shell ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("username", "opens"), [("recepcion", "agenda"), ("medico", "agenda"), ("soporte", "home")]
)
def test_the_agenda_opens_after_sign_in_for_those_who_may_see_it(
    demo: CreatedClinic, paths: AppPaths, make_app: MakeApp, username: str, opens: str
) -> None:
    controller = make_app(paths)
    controller.start()
    dialog = controller.sign_in_dialog
    assert dialog is not None
    dialog.form.username_edit.setText(username)
    dialog.form.password_edit.setText(DEMO_PASSWORD)
    dialog.form.sign_in_button.click()
    window = controller.main_window
    assert window is not None
    assert window.current_area() == opens
    assert ("agenda" in window.area_keys) == (opens == "agenda")
    if opens == "agenda":
        assert window.area_keys[1] == "agenda"
        assert isinstance(window.page("agenda"), AgendaPage)
