"""The chart's summary tab and the allergy banner against a real demo clinic, driven as a
doctor would: history sections edited (and a stale edit refused), allergies, medications and
problems added, edited, stopped, resolved and marked in error through their dialogs (every
result re-read through the services), refusals shown under the field with nothing stored,
the gyneco-obstetric section only where it applies, read-only for the assistant, and the
banner's alert text, colour level and audit entry."""

from __future__ import annotations

import uuid
from datetime import date

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialog
from pytestqt.qtbot import QtBot
from support.clinical_actors import capture_dialogs, new_patient, reads, write_history
from support.clinical_actors import summary as stored
from ui.screens_helpers import make_ctx, settle

from clinic_desktop.services.clinical_dto import AllergyForm, MedicationForm, ProblemForm
from clinic_desktop.services.clinical_lists import add_allergy, add_medication, add_problem
from clinic_desktop.services.startup import CreatedClinic
from clinic_desktop.ui.chart.allergy_banner import AllergyBanner
from clinic_desktop.ui.chart.summary_tab import SummaryTab
from clinic_desktop.ui.context import UiContext
from clinic_desktop.ui.widgets import screen_kit


@pytest.fixture
def ctx(demo: CreatedClinic) -> UiContext:
    return make_ctx(demo, "medico")


@pytest.fixture
def patient_id(demo: CreatedClinic) -> uuid.UUID:
    return new_patient(demo)


@pytest.fixture
def opened(monkeypatch: pytest.MonkeyPatch) -> list[QDialog]:
    return capture_dialogs(monkeypatch)


def make_tab(ctx: UiContext, patient_id: uuid.UUID, qtbot: QtBot) -> SummaryTab:
    tab = SummaryTab(ctx, patient_id)
    qtbot.addWidget(tab)
    return tab


def click(qtbot: QtBot, button) -> None:
    assert button.isEnabled() and not button.isHidden(), button.objectName()
    qtbot.mouseClick(button, Qt.MouseButton.LeftButton)


def test_the_tab_shows_the_record_and_the_gyneco_section_only_where_it_applies(
    demo, ctx, patient_id, qtbot
):
    uow, doctor = demo.db.uow, ctx.actor
    write_history(demo, doctor, patient_id, "family", "Madre: diabetes tipo 2.")
    add_allergy(
        uow(), actor=doctor, patient_id=patient_id, form=AllergyForm("Látex", "Rash", "mild")
    )
    add_allergy(
        uow(),
        actor=doctor,
        patient_id=patient_id,
        form=AllergyForm("Penicilina", "Anafilaxia", "life_threatening"),
    )
    add_medication(
        uow(), actor=doctor, patient_id=patient_id, form=MedicationForm("Losartán 50 mg")
    )
    add_problem(uow(), actor=doctor, patient_id=patient_id, form=ProblemForm("Hipertensión", "i10"))
    tab = make_tab(ctx, patient_id, qtbot)
    family = tab.history.sections["family"]
    assert family.text_label.text() == "Madre: diabetes tipo 2."
    assert "Dr. Andrés Paredes" in family.meta_label.text()
    assert tab.history.sections["surgical"].text_label.text() == "Not recorded"
    assert "gyneco_obstetric" in tab.visible_sections()
    assert [a.substance for a in tab.allergies.entries()] == ["Penicilina", "Látex"]
    model = tab.allergies.model
    assert model.index(0, 2).data() == "Life-threatening"
    assert [m.name for m in tab.medications.entries()] == ["Losartán 50 mg"]
    assert tab.problems.model.index(0, 1).data() == "I10"

    man = new_patient(demo, "Luis", "Guerrero", sex="M")
    assert "gyneco_obstetric" not in make_tab(ctx, man, qtbot).visible_sections()
    # Something already written there is never hidden.
    write_history(demo, doctor, man, "gyneco_obstetric", "—x")
    assert "gyneco_obstetric" in make_tab(ctx, man, qtbot).visible_sections()


def test_a_history_section_is_edited_and_a_stale_editor_overwrites_nothing(
    demo, ctx, patient_id, qtbot, opened
):
    tab = make_tab(ctx, patient_id, qtbot)
    click(qtbot, tab.history.sections["habits"].edit_button)
    click(qtbot, tab.history.sections["habits"].edit_button)
    first, second = opened
    first.text_edit.setPlainText("No fuma.\nCafé: 2 tazas al día.")
    first.save()
    assert first.result() == QDialog.DialogCode.Accepted
    settle()
    assert tab.history.sections["habits"].text_label.text() == "No fuma.\nCafé: 2 tazas al día."
    second.text_edit.setPlainText("Fuma 10 cigarrillos al día.")
    second.save()
    assert second.result() != QDialog.DialogCode.Accepted
    assert "Dr. Andrés Paredes" in second.banner.text()
    assert stored(demo, patient_id).section("habits").text == "No fuma.\nCafé: 2 tazas al día."


def test_an_allergy_is_added_through_its_dialog_and_refusals_stay_in_it(
    demo, ctx, patient_id, qtbot, opened
):
    tab = make_tab(ctx, patient_id, qtbot)
    assert not tab.allergies.empty_label.isHidden()
    click(qtbot, tab.allergies.add_button)
    dialog = opened[-1]
    dialog.save()
    error = dialog.findChild(type(dialog.general_error), "AllergyDialogError_substance")
    assert error.text() == "Substance: it is required." and not error.isHidden()
    assert stored(demo, patient_id).allergies == ()
    dialog.substance_edit.setText("Penicilina")
    dialog.reaction_edit.setText("Anafilaxia")
    dialog.severity_combo.setCurrentIndex(dialog.severity_combo.findData("life_threatening"))
    dialog.save()
    assert dialog.result() == QDialog.DialogCode.Accepted
    settle()
    [allergy] = stored(demo, patient_id).allergies
    assert (allergy.substance, allergy.severity) == ("Penicilina", "life_threatening")
    assert [a.substance for a in tab.allergies.entries()] == ["Penicilina"]
    # The same substance again, however it is typed, is refused under the field.
    click(qtbot, tab.allergies.add_button)
    again = opened[-1]
    again.substance_edit.setText("PENICILINA")
    again.save()
    assert again.result() != QDialog.DialogCode.Accepted
    assert "already recorded" in again.errors._fields["substance"][0].text()
    assert len(stored(demo, patient_id).allergies) == 1


def test_a_dialog_reads_its_form_on_save_not_when_the_worker_runs(
    demo, ctx, patient_id, qtbot, opened, monkeypatch
):
    """The worker thread runs the service call later and must not touch the widgets: what
    is saved is what the form said when Save was pressed."""
    tab = make_tab(ctx, patient_id, qtbot)
    click(qtbot, tab.allergies.add_button)
    dialog = opened[-1]
    dialog.substance_edit.setText("Yodo")
    pending: list = []
    monkeypatch.setattr(ctx.runner, "run", lambda fn, **kw: pending.append(fn))
    dialog.save()
    dialog.substance_edit.setText("Typed while saving")
    pending[0]()
    assert [a.substance for a in stored(demo, patient_id).allergies] == ["Yodo"]


def test_allergy_status_changes_and_past_entries_toggle(demo, ctx, patient_id, qtbot, monkeypatch):
    add_allergy(demo.db.uow(), actor=ctx.actor, patient_id=patient_id, form=AllergyForm("Látex"))
    add_allergy(demo.db.uow(), actor=ctx.actor, patient_id=patient_id, form=AllergyForm("Yodo"))
    tab = make_tab(ctx, patient_id, qtbot)
    card = tab.allergies
    assert not card.edit_button.isEnabled()
    card.select(card.entries()[0].id)
    click(qtbot, card.active_button)
    settle()
    assert [a.substance for a in card.entries()] == ["Yodo"]
    assert card.count_label.text() == "1 past entry hidden"
    tab.show_past_check.setChecked(True)
    assert [(a.substance, a.status) for a in card.entries()] == [
        ("Yodo", "active"),
        ("Látex", "inactive"),
    ]
    card.select(card.entries()[1].id)
    assert card.active_button.text() == "Mark active"
    # "Entered in error" asks first; saying no changes nothing.
    answers = iter([False, True])
    monkeypatch.setattr(screen_kit, "confirm", lambda *a, **k: next(answers))
    card.select(card.entries()[0].id)
    click(qtbot, card.error_button)
    settle()
    assert {a.status for a in stored(demo, patient_id).allergies} == {"active", "inactive"}
    click(qtbot, card.error_button)
    settle()
    statuses = {a.substance: a.status for a in stored(demo, patient_id).allergies}
    assert statuses == {"Yodo": "entered_in_error", "Látex": "inactive"}
    card.select(next(a.id for a in card.entries() if a.substance == "Yodo"))
    assert not card.edit_button.isEnabled() and not card.error_button.isEnabled()
    row = [a.substance for a in card.entries()].index("Yodo")
    font = card.model.data(card.model.index(row, 0), Qt.ItemDataRole.FontRole)
    assert font is not None and font.strikeOut()


def test_medications_are_added_and_stopped_through_their_dialogs(
    demo, ctx, patient_id, qtbot, opened
):
    tab = make_tab(ctx, patient_id, qtbot)
    click(qtbot, tab.medications.add_button)
    dialog = opened[-1]
    dialog.name_edit.setText("Metformina 850 mg")
    dialog.dose_edit.setText("1 tableta")
    dialog.route_combo.setCurrentText("Oral")
    dialog.frequency_edit.setText("cada 12 horas")
    dialog.started_field.set_value(date(2024, 5, 1))
    dialog.save()
    settle()
    [med] = stored(demo, patient_id).medications
    assert (med.name, med.route, med.started_on) == ("Metformina 850 mg", "Oral", date(2024, 5, 1))
    card = tab.medications
    card.select(med.id)
    click(qtbot, card.stop_button)
    stop = opened[-1]
    stop.date_field.set_value(date(2024, 4, 1))  # before it was started
    stop.save()
    assert stop.result() != QDialog.DialogCode.Accepted
    assert "before the date" in stop.errors._fields["stopped_on"][0].text()
    stop.date_field.set_value(date(2025, 1, 31))
    stop.save()
    settle()
    [med] = stored(demo, patient_id).medications
    assert (med.status, med.stopped_on) == ("stopped", date(2025, 1, 31))
    assert card.entries() == [] and not card.empty_label.isHidden()


def test_problems_are_resolved_and_reopened_and_bad_icd10_codes_refused(
    demo, ctx, patient_id, qtbot, opened
):
    tab = make_tab(ctx, patient_id, qtbot)
    click(qtbot, tab.problems.add_button)
    dialog = opened[-1]
    dialog.description_edit.setText("Asma bronquial")
    dialog.icd10_edit.setText("J4")
    dialog.save()
    assert "ICD-10" in dialog.errors._fields["icd10"][0].text()
    assert stored(demo, patient_id).problems == ()
    dialog.icd10_edit.setText("j459")
    dialog.save()
    settle()
    card = tab.problems
    assert card.model.index(0, 1).data() == "J45.9"
    card.select(card.entries()[0].id)
    assert not card.reopen_button.isEnabled()
    click(qtbot, card.resolve_button)
    opened[-1].save()
    settle()
    assert stored(demo, patient_id).problems[0].status == "resolved"
    tab.show_past_check.setChecked(True)
    card.select(card.entries()[0].id)
    click(qtbot, card.reopen_button)
    settle()
    assert stored(demo, patient_id).problems[0].status == "active"
    assert card.model.index(0, 3).data() == "Active"


def test_the_assistant_reads_the_summary_without_any_way_to_change_it(demo, patient_id, qtbot):
    doctor = make_ctx(demo, "medico").actor
    add_allergy(demo.db.uow(), actor=doctor, patient_id=patient_id, form=AllergyForm("Látex"))
    tab = make_tab(make_ctx(demo, "asistente"), patient_id, qtbot)
    assert [a.substance for a in tab.allergies.entries()] == ["Látex"]
    buttons = [tab.allergies.add_button, tab.allergies.error_button, tab.medications.stop_button]
    buttons += [tab.problems.resolve_button, tab.history.sections["family"].edit_button]
    assert all(b.isHidden() for b in buttons)


def test_reception_is_refused_and_sees_nothing(demo, patient_id, qtbot):
    add_allergy(
        demo.db.uow(),
        actor=make_ctx(demo, "medico").actor,
        patient_id=patient_id,
        form=AllergyForm("Látex"),
    )
    tab = make_tab(make_ctx(demo, "recepcion"), patient_id, qtbot)
    assert "Your role does not allow" in tab.banner.text()
    assert tab.allergies.entries() == [] and tab.summary is None


def test_the_tab_follows_changes_to_its_patient_only(demo, ctx, patient_id, qtbot):
    tab = make_tab(ctx, patient_id, qtbot)
    other = new_patient(demo, "Ana", "Zambrano")
    add_allergy(demo.db.uow(), actor=ctx.actor, patient_id=other, form=AllergyForm("Yodo"))
    settle()
    assert tab.allergies.entries() == []
    add_allergy(demo.db.uow(), actor=ctx.actor, patient_id=patient_id, form=AllergyForm("Látex"))
    settle()
    assert [a.substance for a in tab.allergies.entries()] == ["Látex"]


# -- the banner ----------------------------------------------------------------------------


def alert_reads(demo, patient_id) -> int:
    return len(reads(demo, patient_id, "allergy alert"))


def test_the_banner_leads_with_the_worst_allergy_and_follows_changes(demo, ctx, patient_id, qtbot):
    banner = AllergyBanner(ctx)
    qtbot.addWidget(banner)
    banner.show_for(patient_id)
    assert banner.isHidden() and banner.level == ""
    add_allergy(
        demo.db.uow(),
        actor=ctx.actor,
        patient_id=patient_id,
        form=AllergyForm("Latex", "rash", "mild"),
    )
    settle()
    assert not banner.isHidden() and banner.level == "warning"
    assert banner.text() == "Allergies: Latex (rash)"
    add_allergy(
        demo.db.uow(),
        actor=ctx.actor,
        patient_id=patient_id,
        form=AllergyForm("Penicillin", "anaphylaxis", "life_threatening"),
    )
    settle()
    assert banner.level == "danger"
    assert banner.text() == "Allergies: Penicillin (anaphylaxis, life-threatening) · Latex (rash)"
    assert alert_reads(demo, patient_id) == 3


def test_the_banner_can_say_nothing_is_recorded_and_stays_away_from_reception(
    demo, patient_id, qtbot
):
    banner = AllergyBanner(make_ctx(demo, "medico"), show_empty=True)
    qtbot.addWidget(banner)
    banner.show_for(patient_id)
    assert not banner.isHidden() and banner.text() == "No allergies recorded."
    hidden = AllergyBanner(make_ctx(demo, "recepcion"), show_empty=True)
    qtbot.addWidget(hidden)
    hidden.show_for(patient_id)
    assert hidden.isHidden() and alert_reads(demo, patient_id) == 1
