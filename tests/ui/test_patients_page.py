"""The patients screen against a real demo clinic: accent-blind search, creating and editing
through the editor (re-read through the services), refused input, the duplicate checks,
archiving, consents and the read-only view of a role without patients.write."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from pytestqt.qtbot import QtBot
from ui.screens_helpers import make_ctx, settle

from clinic_desktop.services.demo import cedula_check_digit
from clinic_desktop.services.patient_admin import get_patient, list_consents, list_patients
from clinic_desktop.services.startup import CreatedClinic
from clinic_desktop.ui.context import UiContext
from clinic_desktop.ui.patients.page import PatientsPage
from clinic_desktop.ui.widgets import screen_kit


def cedula(nine: str) -> str:
    return nine + str(cedula_check_digit(nine))


@pytest.fixture
def ctx(demo: CreatedClinic) -> UiContext:
    return make_ctx(demo, "recepcion")


@pytest.fixture
def page(ctx: UiContext, qtbot: QtBot) -> PatientsPage:
    widget = PatientsPage(ctx)
    qtbot.addWidget(widget)
    widget.refresh()
    return widget


def fill(page: PatientsPage, first: str, last: str, **extra: str) -> None:
    page.new_patient()
    editor = page.editor
    editor.first_names_edit.setText(first)
    editor.last_names_edit.setText(last)
    for name, value in extra.items():
        getattr(editor, name).setText(value)


def choose(combo: object, code: str) -> None:
    for row in range(combo.count()):  # type: ignore[attr-defined]
        if combo.itemData(row) == code:  # type: ignore[attr-defined]
            combo.setCurrentIndex(row)  # type: ignore[attr-defined]
            return
    raise AssertionError(code)


def search(page: PatientsPage, text: str) -> list[str]:
    page.search_edit.setText(text)
    page.refresh()  # what the 200 ms pause would do
    return [r.full_name for r in page.rows()]


def count(ctx: UiContext) -> int:
    return list_patients(ctx.uow(), actor=ctx.actor)[1]


def test_empty_search_lists_first_page_with_total(page: PatientsPage, ctx: UiContext) -> None:
    total = count(ctx)
    assert len(page.rows()) == total == 20
    assert page.count_label.text() == f"Showing 20 of {total} patients"


def test_search_as_you_type_is_debounced(page: PatientsPage, qtbot: QtBot) -> None:
    page.search_edit.setText("zzzz-nobody")
    assert len(page.rows()) == 20  # nothing yet: it waits for a pause
    qtbot.waitUntil(lambda: page.rows() == [], timeout=2000)


def test_create_then_accent_blind_search(page: PatientsPage, ctx: UiContext) -> None:
    number = cedula("171234560")
    fill(page, "José", "García Núñez", id_number_edit=number, phone_edit="0991234567")
    choose(page.editor.id_type_combo, "cedula")
    page.editor.set_birth_date(date(1980, 5, 17))
    page.editor.save()
    settle()
    created = page.editor.patient
    assert created is not None
    stored = get_patient(ctx.uow(), actor=ctx.actor, patient_id=created.id)
    assert (stored.first_names, stored.last_names) == ("José", "García Núñez")
    assert stored.id_number == number and stored.birth_date == date(1980, 5, 17)
    assert "José García Núñez" in search(page, "nunez jose")
    assert "José García Núñez" in search(page, "GARCIA jose")
    assert search(page, number) == ["José García Núñez"]


def test_invalid_cedula_is_shown_under_the_field(page: PatientsPage, ctx: UiContext) -> None:
    before = count(ctx)
    fill(page, "Ana", "Pérez", id_number_edit="1712345678")
    choose(page.editor.id_type_combo, "cedula")
    if page.editor.form().id_number == cedula("171234567"):
        page.editor.id_number_edit.setText("1712345670")  # make sure it is wrong
    page.editor.save()
    error = page.editor.error_labels["id_number"]
    assert not error.isHidden() and error.text()
    assert page.editor.id_number_edit.property("invalid") == "true"
    assert page.editor.patient is None
    assert count(ctx) == before


def test_birth_date_in_the_future_is_refused(page: PatientsPage, ctx: UiContext) -> None:
    before = count(ctx)
    fill(page, "Luis", "Torres")
    page.editor.set_birth_date(date.today() + timedelta(days=3))
    page.editor.save()
    assert "future" in page.editor.error_labels["birth_date"].text()
    assert count(ctx) == before


def test_duplicate_id_is_refused(page: PatientsPage, ctx: UiContext) -> None:
    existing = list_patients(ctx.uow(), actor=ctx.actor)[0]
    taken = next(p for p in existing if p.id_number)
    before = count(ctx)
    fill(page, "Otro", "Paciente", id_number_edit=taken.id_number or "")
    choose(page.editor.id_type_combo, taken.id_type)
    page.editor.save()
    assert str(taken.chart_number) in page.editor.error_labels["id_number"].text()
    assert count(ctx) == before


def test_possible_duplicate_needs_confirmation(
    page: PatientsPage, ctx: UiContext, monkeypatch: pytest.MonkeyPatch
) -> None:
    fill(page, "María", "Loor Vera")
    page.editor.set_birth_date(date(1990, 1, 2))
    page.editor.save()
    first = page.editor.patient
    assert first is not None
    before = count(ctx)
    answers: list[bool] = [False]
    asked: list[str] = []

    def fake_confirm(_parent: object, _title: str, text: str, _ok: str) -> bool:
        asked.append(text)
        return answers.pop(0)

    monkeypatch.setattr(screen_kit, "confirm", fake_confirm)
    fill(page, "Maria", "Loor")
    page.editor.set_birth_date(date(1990, 1, 2))
    page.editor.save()
    assert len(asked) == 1 and str(first.chart_number) in asked[0]
    assert page.editor.patient is None and count(ctx) == before
    answers.append(True)
    page.editor.save()
    second = page.editor.patient
    assert second is not None and second.id != first.id
    assert count(ctx) == before + 1


def test_edit_bumps_version(page: PatientsPage, ctx: UiContext) -> None:
    row = page.rows()[0]
    page.select_patient(row.id)
    loaded = page.editor.patient
    assert loaded is not None and loaded.id == row.id
    page.editor.payer_edit.setText("Seguros Andinos")
    page.editor.save()
    settle()
    stored = get_patient(ctx.uow(), actor=ctx.actor, patient_id=row.id)
    assert stored.payer == "Seguros Andinos"
    assert stored.version == loaded.version + 1
    assert page.editor.patient is not None and page.editor.patient.version == stored.version


def test_archive_hides_from_search_and_show_archived_shows_it(
    page: PatientsPage, ctx: UiContext, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(screen_kit, "confirm", lambda *_args: True)
    fill(page, "Rocío", "Espinoza")
    page.editor.save()
    patient = page.editor.patient
    assert patient is not None
    assert search(page, "rocio espinoza") == ["Rocío Espinoza"]
    page.editor.archive_button.click()
    settle()
    assert get_patient(ctx.uow(), actor=ctx.actor, patient_id=patient.id).archived_at
    assert search(page, "rocio espinoza") == []
    page.archived_check.setChecked(True)
    assert [r.full_name for r in page.rows()] == ["Rocío Espinoza"]
    page.select_patient(patient.id)
    assert page.editor.archive_button.text() == "Restore from archive…"


def test_consents_history_and_reminder_consent(page: PatientsPage, ctx: UiContext) -> None:
    fill(page, "Pedro", "Mora", mobile_edit="0987654321")
    choose(page.editor.reminder_combo, "sms")
    page.editor.save()
    patient = page.editor.patient
    assert patient is not None and not patient.reminder_consent
    box = page.editor.consents
    box.given_buttons["data_processing"].click()
    box.withdrawn_buttons["data_processing"].click()
    history = list_consents(ctx.uow(), actor=ctx.actor, patient_id=patient.id)
    assert [(c.kind, c.granted) for c in history] == [
        ("data_processing", False),
        ("data_processing", True),
    ]
    assert box.state_labels["data_processing"].text().startswith("Withdrawn")
    assert "Given" in box.state_labels["data_processing"].toolTip()
    box.given_buttons["reminders_sms"].click()
    settle()
    assert get_patient(ctx.uow(), actor=ctx.actor, patient_id=patient.id).reminder_consent
    # The editor picked up the new version, so a later save is not refused as stale.
    page.editor.payer_edit.setText("Particular")
    page.editor.save()
    assert get_patient(ctx.uow(), actor=ctx.actor, patient_id=patient.id).payer == "Particular"


def test_assistant_sees_the_editor_read_only(demo: CreatedClinic, qtbot: QtBot) -> None:
    ctx = make_ctx(demo, "asistente")
    assert not ctx.can("patients.write")
    page = PatientsPage(ctx)
    qtbot.addWidget(page)
    page.refresh()
    page.select_patient(page.rows()[0].id)
    editor = page.editor
    assert editor.patient is not None
    assert not editor.first_names_edit.isEnabled()
    assert not editor.id_type_combo.isEnabled()
    assert not editor.birth_date_edit.isEnabled()
    assert editor.save_button.isHidden() and editor.archive_button.isHidden()
    assert page.new_button.isHidden()
    assert editor.consents.given_buttons["data_processing"].isHidden()
