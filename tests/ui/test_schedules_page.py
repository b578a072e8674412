"""The schedules screen against a real demo clinic, signed in as reception (who runs the
calendar): practitioners linked to an account, weekly hours with a lunch break and the
refusal of overlapping ones, time off, closures and the automatic holidays, rooms and
appointment types, a stale save, and a refresh when another window changes the schedule.
Every effect is read back through the services."""

from __future__ import annotations

from datetime import date, time, timedelta

import pytest
from PySide6.QtGui import QStandardItemModel
from PySide6.QtWidgets import QLabel
from pytestqt.qtbot import QtBot
from support.agenda_data import next_monday
from ui.screens_helpers import make_ctx, settle

from clinic_desktop.services.agenda_dto import HoursInterval, PractitionerDTO
from clinic_desktop.services.schedules import (
    get_working_hours,
    list_appointment_types,
    list_closures,
    list_exceptions,
    list_practitioners,
    list_rooms,
    save_practitioner,
    save_room,
    set_working_hours,
)
from clinic_desktop.services.startup import CreatedClinic
from clinic_desktop.services.trash import list_trash
from clinic_desktop.ui.context import UiContext
from clinic_desktop.ui.schedules import SchedulesPage
from clinic_desktop.ui.widgets import screen_kit

LUNCH_WEEK = [
    HoursInterval(day, start, end)
    for day in range(5)
    for start, end in ((time(9), time(13)), (time(15), time(19)))
]


@pytest.fixture
def ctx(demo: CreatedClinic) -> UiContext:
    signed_in: UiContext = make_ctx(demo, "recepcion")
    return signed_in


@pytest.fixture
def page(ctx: UiContext, qtbot: QtBot) -> SchedulesPage:
    widget = SchedulesPage(ctx)
    qtbot.addWidget(widget)
    widget.refresh()
    return widget


@pytest.fixture
def always_yes(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    asked: list[str] = []

    def confirm(_parent: object, _title: str, text: str, _ok: str) -> bool:
        asked.append(text)
        return True

    monkeypatch.setattr(screen_kit, "confirm", confirm)
    return asked


def add_practitioner(ctx: UiContext, name: str = "Dr. Tomás Ruiz") -> PractitionerDTO:
    return save_practitioner(ctx.uow(), actor=ctx.actor, display_name=name, colour="#7C3AED")


def test_page_contract(page: SchedulesPage) -> None:
    assert page.objectName() == "SchedulesPage"
    assert page.title() == "Schedules"
    assert [page.tabs.tabText(i).replace("&&", "&") for i in range(page.tabs.count())] == [
        "Practitioners",
        "Time off & extra hours",
        "Closures & holidays",
        "Rooms",
        "Appointment types",
    ]


def test_new_practitioner_linked_to_an_account(page: SchedulesPage, ctx: UiContext) -> None:
    tab = page.practitioners_tab
    tab.start_new()
    assert not tab.hours_editor.isEnabled()  # no hours before the practitioner exists
    tab.name_edit.setText("Dra. Valeria Cedeño")
    tab.specialty_edit.setText("Odontología")
    tab.colour_field.preset_buttons[6].click()
    assert tab.select_account("odontologa")
    tab.save_button.click()
    settle()

    saved = [p for p in list_practitioners(ctx.uow(), actor=ctx.actor) if p.username]
    assert [(p.display_name, p.username, p.specialty) for p in saved] == [
        ("Dra. Valeria Cedeño", "odontologa", "Odontología")
    ]
    assert saved[0].colour == tab.colour_field.preset_buttons[6].property("colour")
    assert [p.display_name for p in tab.model.rows()] == ["Dra. Valeria Cedeño"]
    assert tab.model.index(0, 2).data() == "odontologa"
    assert tab.current is not None and tab.current.id == saved[0].id
    assert tab.hours_editor.isEnabled()
    assert "Saved Dra. Valeria Cedeño" in tab.banner.text()


def test_account_taken_by_another_practitioner_cannot_be_chosen_twice(
    page: SchedulesPage, ctx: UiContext
) -> None:
    tab = page.practitioners_tab
    tab.start_new()
    tab.name_edit.setText("Dra. Valeria Cedeño")
    tab.select_account("odontologa")
    tab.save()
    tab.start_new()
    combo = tab.account_combo
    row = next(i for i in range(combo.count()) if "odontologa" in combo.itemText(i))
    assert "linked to Dra. Valeria Cedeño" in combo.itemText(row)
    items = combo.model()
    assert isinstance(items, QStandardItemModel) and not items.item(row).isEnabled()


def test_missing_name_is_marked_under_the_field(page: SchedulesPage, ctx: UiContext) -> None:
    tab = page.practitioners_tab
    tab.start_new()
    tab.save()

    error = tab.findChild(QLabel, "PractitionerError_display_name")
    assert isinstance(error, QLabel) and not error.isHidden()
    assert "Name" in error.text()
    assert tab.name_edit.property("invalid") == "true"
    assert list_practitioners(ctx.uow(), actor=ctx.actor, include_inactive=True) == []


def test_hours_with_a_lunch_break(page: SchedulesPage, ctx: UiContext) -> None:
    practitioner = add_practitioner(ctx)
    page.refresh()
    tab = page.practitioners_tab
    assert tab.select(practitioner.id)
    editor = tab.hours_editor
    editor.days[0].add_interval(time(9), time(13))
    editor.days[0].add_interval(time(15), time(19))
    editor.copy_monday_to_weekdays()
    assert editor.is_dirty()
    editor.save_button.click()
    settle()

    stored = get_working_hours(ctx.uow(), actor=ctx.actor, practitioner_id=practitioner.id)
    assert stored == LUNCH_WEEK
    assert not editor.is_dirty()
    assert editor.days[5].intervals == [] and editor.days[6].intervals == []
    assert editor.days[0].total_label.text() == "8 h"
    assert "Saved the weekly hours of Dr. Tomás Ruiz" in tab.banner.text()


def test_new_interval_follows_the_last_one_after_a_break(page: SchedulesPage) -> None:
    day = page.practitioners_tab.hours_editor.days[2]
    first = day.add_interval()
    second = day.add_interval()
    assert first.span() == (time(9), time(13))
    assert second.span() == (time(14), time(18))


def test_overlapping_intervals_name_the_day_and_save_nothing(
    page: SchedulesPage, ctx: UiContext
) -> None:
    practitioner = add_practitioner(ctx)
    set_working_hours(
        ctx.uow(), actor=ctx.actor, practitioner_id=practitioner.id, hours=LUNCH_WEEK[:2]
    )
    page.refresh()
    tab = page.practitioners_tab
    tab.select(practitioner.id)
    editor = tab.hours_editor
    assert [len(d.intervals) for d in editor.days] == [2, 0, 0, 0, 0, 0, 0]
    editor.days[1].add_interval(time(9), time(13))
    late = editor.days[1].add_interval(time(12), time(14))

    assert editor.error.isVisibleTo(editor)
    assert editor.error.text() == "Hours on Tuesday: 09:00–13:00 overlaps 12:00–14:00."
    assert late.start_edit.property("invalid") == "true"
    tab.save_hours()

    assert "Tuesday" in editor.error.text() and "12:00–14:00" in editor.error.text()
    stored = get_working_hours(ctx.uow(), actor=ctx.actor, practitioner_id=practitioner.id)
    assert stored == LUNCH_WEEK[:2]
    assert editor.is_dirty()  # the typing is kept, to be fixed

    late.start_edit.setTime(late.start_edit.time().addSecs(3600))  # 13:00, touching is fine
    assert editor.error.isHidden()
    assert late.start_edit.property("invalid") == "false"


def test_interval_ending_before_it_starts(page: SchedulesPage, ctx: UiContext) -> None:
    practitioner = add_practitioner(ctx)
    page.refresh()
    tab = page.practitioners_tab
    tab.select(practitioner.id)
    tab.hours_editor.days[4].add_interval(time(18), time(9))
    tab.save_hours()

    assert "Hours on Friday: 18:00–09:00 ends before it starts." in tab.hours_editor.error.text()
    assert get_working_hours(ctx.uow(), actor=ctx.actor, practitioner_id=practitioner.id) == []


def test_the_services_refusal_lands_under_the_hours(
    page: SchedulesPage, ctx: UiContext, monkeypatch: pytest.MonkeyPatch
) -> None:
    practitioner = add_practitioner(ctx)
    page.refresh()
    tab = page.practitioners_tab
    tab.select(practitioner.id)
    editor = tab.hours_editor
    editor.days[3].add_interval(time(9), time(13))
    editor.days[3].add_interval(time(10), time(11))
    monkeypatch.setattr(editor, "validate", lambda: True)  # as if the grid missed it
    tab.save_hours()

    assert editor.error.text() == "Hours on Thursday: two intervals overlap."
    assert get_working_hours(ctx.uow(), actor=ctx.actor, practitioner_id=practitioner.id) == []


def test_whole_day_time_off_added_then_removed_to_the_trash(
    page: SchedulesPage, ctx: UiContext, demo: CreatedClinic, always_yes: list[str]
) -> None:
    practitioner = add_practitioner(ctx)
    page.refresh()
    tab = page.exceptions_tab
    day = next_monday() + timedelta(days=7)
    assert tab.select_practitioner(practitioner.id)
    tab.set_days(day)
    tab.kind_combo.setCurrentIndex(tab.kind_combo.findData("off"))
    tab.note_edit.setText("Congreso")
    tab.add_button.click()
    settle()

    stored = list_exceptions(ctx.uow(), actor=ctx.actor)
    assert [(e.day, e.kind, e.start, e.end, e.note) for e in stored] == [
        (day, "off", None, None, "Congreso")
    ]
    assert tab.model.index(0, 1).data() == "Dr. Tomás Ruiz"
    assert tab.model.index(0, 3).data() == "Whole day"

    tab.table.selectRow(0)
    tab.remove_button.click()
    settle()

    assert "Dr. Tomás Ruiz" in always_yes[0]
    assert list_exceptions(ctx.uow(), actor=ctx.actor) == []
    assert tab.model.rows() == []
    owner = make_ctx(demo, "duena")
    trashed = {i.entity_id for i in list_trash(owner.uow(), actor=owner.actor)}
    assert str(stored[0].id) in trashed


def test_part_day_time_off_over_several_days(page: SchedulesPage, ctx: UiContext) -> None:
    practitioner = add_practitioner(ctx)
    page.refresh()
    tab = page.exceptions_tab
    first = next_monday()
    tab.select_practitioner(practitioner.id)
    tab.set_days(first, first + timedelta(days=2))
    tab.part_check.setChecked(True)
    tab.start_edit.setTime(tab.start_edit.time().fromString("15:00", "HH:mm"))
    tab.end_edit.setTime(tab.end_edit.time().fromString("19:00", "HH:mm"))
    tab.add()

    stored = list_exceptions(ctx.uow(), actor=ctx.actor)
    assert [(e.day, e.start, e.end) for e in stored] == [
        (first + timedelta(days=n), time(15), time(19)) for n in range(3)
    ]
    assert "Added 3 days." in tab.banner.text()


def test_extra_hours_need_times(page: SchedulesPage, ctx: UiContext) -> None:
    practitioner = add_practitioner(ctx)
    page.refresh()
    tab = page.exceptions_tab
    tab.select_practitioner(practitioner.id)
    tab.kind_combo.setCurrentIndex(tab.kind_combo.findData("extra"))
    assert tab.part_check.isHidden() and not tab.start_edit.isHidden()
    tab.start_edit.setTime(tab.start_edit.time().fromString("12:00", "HH:mm"))
    tab.end_edit.setTime(tab.end_edit.time().fromString("10:00", "HH:mm"))
    tab.add()

    error = tab.findChild(QLabel, "ExceptionError_hours")
    assert isinstance(error, QLabel) and not error.isHidden()
    assert "end must be after the start" in error.text()
    assert list_exceptions(ctx.uow(), actor=ctx.actor) == []


def test_closure_added_then_removed(
    page: SchedulesPage, ctx: UiContext, always_yes: list[str]
) -> None:
    tab = page.closures_tab
    first = next_monday()
    tab.first_day_edit.setDate(tab.first_day_edit.date().addDays((first - date.today()).days))
    tab.last_day_edit.setDate(tab.first_day_edit.date().addDays(1))
    tab.reason_edit.setText("Inventario anual")
    tab.add_button.click()
    settle()

    stored = list_closures(ctx.uow(), actor=ctx.actor)
    assert [(c.first_day, c.last_day, c.reason) for c in stored] == [
        (first, first + timedelta(days=1), "Inventario anual")
    ]
    assert tab.model.index(0, 2).data() == "2"
    tab.table.selectRow(0)
    tab.remove_selected()
    settle()

    assert "Inventario anual" in always_yes[0]
    assert list_closures(ctx.uow(), actor=ctx.actor) == []
    assert tab.model.rows() == []


def test_closure_needs_a_reason_and_an_order(page: SchedulesPage, ctx: UiContext) -> None:
    tab = page.closures_tab
    tab.add()
    reason_error = tab.findChild(QLabel, "ClosureError_reason")
    assert isinstance(reason_error, QLabel) and not reason_error.isHidden()
    assert tab.reason_edit.property("invalid") == "true"

    tab.reason_edit.setText("Fumigación")
    tab.last_day_edit.setDate(tab.first_day_edit.date().addDays(-1))
    tab.add()
    last_error = tab.findChild(QLabel, "ClosureError_last_day")
    assert isinstance(last_error, QLabel) and not last_error.isHidden()
    assert "Last day" in last_error.text()
    assert list_closures(ctx.uow(), actor=ctx.actor) == []


def test_public_holidays_of_the_coming_year_are_listed(page: SchedulesPage) -> None:
    tab = page.closures_tab
    today = date.today()
    new_year = date(today.year + 1, 1, 1)
    holidays = tab.holiday_names()
    assert holidays.get(new_year)
    assert all(today <= day <= today + timedelta(days=365) for day in holidays)
    assert tab.holidays_title.text() == "Public holidays (automatic)"
    assert "Ecuador" in tab.holidays_hint.text()


def test_new_room(page: SchedulesPage, ctx: UiContext) -> None:
    tab = page.rooms_tab
    tab.start_new()
    tab.name_edit.setText("Consultorio 3")
    tab.sort_spin.setValue(3)
    tab.save_button.click()
    settle()

    rooms = list_rooms(ctx.uow(), actor=ctx.actor, include_inactive=True)
    assert [(r.name, r.sort_order, r.active) for r in rooms] == [("Consultorio 3", 3, True)]
    assert [r.name for r in tab.model.rows()] == ["Consultorio 3"]


def test_appointment_type_with_a_bad_colour_is_refused_under_the_colour(
    page: SchedulesPage, ctx: UiContext
) -> None:
    tab = page.types_tab
    tab.start_new()
    tab.name_edit.setText("Ecografía")
    tab.duration_spin.setValue(40)
    tab.mode_combo.setCurrentIndex(tab.mode_combo.findData("telemedicine"))
    tab.colour_field.set_value("#12345")
    tab.save()

    error = tab.findChild(QLabel, "TypeError_colour")
    assert isinstance(error, QLabel) and not error.isHidden()
    assert "Colour" in error.text()
    assert tab.colour_field.edit.property("invalid") == "true"
    assert list_appointment_types(ctx.uow(), actor=ctx.actor, include_inactive=True) == []

    tab.colour_field.set_value("#0891b2")
    tab.save()
    types = list_appointment_types(ctx.uow(), actor=ctx.actor)
    assert [(t.name, t.duration_minutes, t.colour, t.mode) for t in types] == [
        ("Ecografía", 40, "#0891B2", "telemedicine")
    ]
    assert error.isHidden()


def test_stale_room_edit_is_refused_and_keeps_the_input(
    page: SchedulesPage, ctx: UiContext, demo: CreatedClinic
) -> None:
    room = save_room(ctx.uow(), actor=ctx.actor, name="Sillón 1")
    page.refresh()
    tab = page.rooms_tab
    tab.select(room.id)
    other = make_ctx(demo, "duena")
    save_room(
        other.uow(), actor=other.actor, name="Sillón A", room_id=room.id,
        expected_version=room.version,
    )  # fmt: skip
    tab.name_edit.setText("Sillón B")
    tab.save()

    assert tab.banner.kind == "warn"
    assert "changed by" in tab.banner.text()
    assert tab.name_edit.text() == "Sillón B"
    assert [r.name for r in list_rooms(ctx.uow(), actor=ctx.actor)] == ["Sillón A"]


def test_changes_elsewhere_refresh_the_lists_but_keep_typing(
    page: SchedulesPage, ctx: UiContext, demo: CreatedClinic
) -> None:
    first = save_room(ctx.uow(), actor=ctx.actor, name="Consultorio 1", sort_order=1)
    page.refresh()
    tab = page.rooms_tab
    tab.select(first.id)
    tab.name_edit.setText("Consultorio uno")  # unsaved typing
    other = make_ctx(demo, "duena")
    save_room(other.uow(), actor=other.actor, name="Consultorio 2", sort_order=2)
    settle()

    assert [r.name for r in tab.model.rows()] == ["Consultorio 1", "Consultorio 2"]
    assert tab.name_edit.text() == "Consultorio uno"
    assert tab.current is not None and tab.current.id == first.id


def test_leaving_unsaved_changes_asks_first(
    page: SchedulesPage, ctx: UiContext, monkeypatch: pytest.MonkeyPatch
) -> None:
    one = save_room(ctx.uow(), actor=ctx.actor, name="Consultorio 1", sort_order=1)
    save_room(ctx.uow(), actor=ctx.actor, name="Consultorio 2", sort_order=2)
    page.refresh()
    tab = page.rooms_tab
    tab.select(one.id)
    tab.name_edit.setText("Consultorio uno")
    answers = [False, True]
    monkeypatch.setattr(screen_kit, "confirm", lambda *_args: answers.pop(0))

    tab.table.selectRow(1)
    assert tab.current is not None and tab.current.name == "Consultorio 1"
    assert tab.name_edit.text() == "Consultorio uno"
    selected = tab.selected()
    assert selected is not None and selected.name == "Consultorio 1"

    tab.table.selectRow(1)
    assert tab.current is not None and tab.current.name == "Consultorio 2"
    assert tab.name_edit.text() == "Consultorio 2"


def test_a_failed_read_is_shown_not_raised(demo: CreatedClinic, qtbot: QtBot) -> None:
    # The assistant may view the agenda but not manage schedules: the accounts list is
    # refused, and the page says so instead of crashing.
    widget = SchedulesPage(make_ctx(demo, "asistente"))
    qtbot.addWidget(widget)
    widget.refresh()

    banner = widget.practitioners_tab.banner
    assert banner.kind == "error" and banner.text()
    assert widget.rooms_tab.banner.kind == ""


def test_no_practitioners_starts_a_new_one(page: SchedulesPage) -> None:
    tab = page.practitioners_tab
    assert tab.current is None
    assert tab.editor_title.text() == "New practitioner"
    assert not tab.hours_editor.isEnabled()


def test_copy_monday_asks_before_replacing_other_days(
    page: SchedulesPage, ctx: UiContext, monkeypatch: pytest.MonkeyPatch
) -> None:
    practitioner = add_practitioner(ctx)
    page.refresh()
    tab = page.practitioners_tab
    tab.select(practitioner.id)
    editor = tab.hours_editor
    editor.days[0].add_interval(time(8), time(12))
    editor.days[2].add_interval(time(14), time(18))
    asked: list[str] = []

    def decline(_parent: object, _title: str, text: str, _ok: str) -> bool:
        asked.append(text)
        return False

    monkeypatch.setattr(screen_kit, "confirm", decline)
    editor.copy_button.click()

    assert asked == ["The hours of Wednesday will be replaced with Monday's."]
    assert editor.days[2].spans() == [(time(14), time(18))]
    assert editor.days[1].spans() == []


def test_saving_the_details_keeps_the_week_being_edited(
    page: SchedulesPage, ctx: UiContext
) -> None:
    practitioner = add_practitioner(ctx)
    page.refresh()
    tab = page.practitioners_tab
    tab.select(practitioner.id)
    tab.hours_editor.days[5].add_interval(time(9), time(12))
    tab.specialty_edit.setText("Cardiología")
    tab.save()
    settle()

    stored = list_practitioners(ctx.uow(), actor=ctx.actor)
    assert [p.specialty for p in stored] == ["Cardiología"]
    assert tab.hours_editor.days[5].spans() == [(time(9), time(12))]
    assert tab.hours_editor.is_dirty()
