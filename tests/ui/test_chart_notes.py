"""The chart's notes tab on a real demo clinic, as the doctor uses it: a note from a template
with questions (the prompt dialog driven for real), signing refused while a question is left
and accepted once answered, an addendum, an amended version and the links between versions,
the unusual-vitals confirmation, impossible vitals refused by field, the unsaved-changes
guard, a draft saved elsewhere meanwhile, the read-only view of an assistant, and the print
and prescribe requests."""

from __future__ import annotations

from decimal import Decimal

import pytest
from PySide6.QtCore import Qt, QUrl
from PySide6.QtWidgets import QDialog
from pytestqt.qtbot import QtBot
from sqlalchemy import select
from ui.screens_helpers import make_ctx, settle

from clinic_desktop.actor import Actor
from clinic_desktop.models.patient import Patient
from clinic_desktop.services.encounters import (
    EncounterForm,
    add_addendum,
    get_encounter,
    list_encounters,
    save_encounter,
    sign_encounter,
    start_encounter,
)
from clinic_desktop.services.note_templates import TemplateForm, save_template
from clinic_desktop.services.startup import CreatedClinic
from clinic_desktop.ui.chart import note_actions, template_prompt_dialog
from clinic_desktop.ui.chart.note_actions import AddendumDialog, AmendDialog
from clinic_desktop.ui.chart.notes_tab import NotesTab
from clinic_desktop.ui.chart.template_prompt_dialog import TemplatePromptDialog
from clinic_desktop.ui.context import UiContext
from clinic_desktop.ui.widgets import screen_kit

SYSTEM = Actor.system("tests")
SOAP = EncounterForm(
    chief_complaint="Cefalea tensional de una semana",
    subjective="Cefalea opresiva bilateral, peor por la tarde.",
    objective="Exploración neurológica normal.",
    assessment="Cefalea tensional episódica",
    plan="Ibuprofeno 400 mg cada 8 h por 5 días.",
    systolic_bp="124",
    diastolic_bp="78",
    temperature_c="36,6",
)


@pytest.fixture
def patient(demo: CreatedClinic):
    with demo.db.uow().transaction(SYSTEM) as session:
        return session.scalars(select(Patient.id).order_by(Patient.chart_number.desc())).first()


@pytest.fixture
def ctx(demo: CreatedClinic) -> UiContext:
    return make_ctx(demo, "medico")


@pytest.fixture
def tab(ctx: UiContext, patient, qtbot: QtBot) -> NotesTab:
    widget = NotesTab(ctx, patient)  # loads itself, as the chart builds it
    qtbot.addWidget(widget)
    return widget


def signed_note(ctx: UiContext, patient, form: EncounterForm = SOAP):
    note = start_encounter(ctx.uow(), actor=ctx.actor, patient_id=patient)
    note = save_encounter(
        ctx.uow(), actor=ctx.actor, encounter_id=note.id, expected_version=note.version, form=form
    )
    return sign_encounter(
        ctx.uow(), actor=ctx.actor, encounter_id=note.id, expected_version=note.version
    )


def test_a_note_from_a_template_is_answered_completed_and_signed(tab, ctx, patient, monkeypatch):
    template = save_template(
        ctx.uow(),
        actor=ctx.actor,
        template_id=None,
        expected_version=None,
        form=TemplateForm(
            name="Control de hipertensión (prueba UI)",
            clinic_wide=True,
            chief_complaint="Control de HTA",
            subjective="Toma [[¿Qué antihipertensivo?]]. Adherencia: [[¿Adherencia?]].",
            plan="Control en [[¿Cuántas semanas?]] semanas.",
        ),
    )
    settle()  # the templates change reaches the tab through the bridge
    assert template.id in [t.id for t in tab.templates]
    assert template.name in [a.text() for a in tab.new_menu.actions()]

    asked: list[str] = []

    def answer(parent, dto):
        dialog = TemplatePromptDialog(dto, parent)
        asked.extend(dialog.edits)
        dialog.edits["¿Qué antihipertensivo?"].setText("enalapril 10 mg")
        dialog.edits["¿Cuántas semanas?"].setText("4")
        dialog.accept()
        return dialog.answers()

    monkeypatch.setattr(template_prompt_dialog, "ask_prompt_answers", answer)
    tab.new_note(template.id)
    settle()
    assert asked == ["¿Qué antihipertensivo?", "¿Adherencia?", "¿Cuántas semanas?"]
    editor = tab.editor
    assert tab.right.currentWidget() is not tab.view and editor.note is not None
    assert editor.text("subjective") == "Toma enalapril 10 mg. Adherencia: [[¿Adherencia?]]."
    assert editor.text("plan") == "Control en 4 semanas."
    assert not editor.prompts_label.isHidden() and "¿Adherencia?" in editor.prompts_label.text()
    assert tab.note is not None and tab.note.id in [r.id for r in tab.rows()]

    editor.vitals.edits["systolic_bp"].setText("138")
    editor.vitals.edits["diastolic_bp"].setText("86")
    editor.vitals.edits["weight_kg"].setText("80")
    editor.vitals.edits["height_cm"].setText("175")
    assert editor.vitals.bmi_label.text() == "26.1"
    monkeypatch.setattr(screen_kit, "confirm", lambda *a: True)
    editor.sign_button.click()  # saves the changes, then refuses to sign
    error = editor.findChild(type(editor.prompts_label), "NoteError_subjective")
    assert error is not None and not error.isHidden() and "¿Adherencia?" in error.text()
    stored = get_encounter(ctx.uow(), actor=ctx.actor, encounter_id=editor.note.id)
    assert stored.is_draft and stored.vitals["systolic_bp"] == Decimal("138")

    editor.set_text("subjective", "Toma enalapril 10 mg. Adherencia: buena.")
    assert editor.prompts_label.isHidden()
    editor.sign_button.click()
    settle()
    assert tab.right.currentWidget() is tab.view
    assert "Signed by Dr. Andrés Paredes" in tab.view.text()
    assert "Adherencia: buena." in tab.view.text() and "138/86 mmHg" in tab.view.text()
    stored = get_encounter(ctx.uow(), actor=ctx.actor, encounter_id=stored.id)
    assert stored.is_signed and stored.template_id == template.id
    assert next(r for r in tab.rows() if r.id == stored.id).badge == "signed"


def test_an_addendum_and_an_amended_version_from_the_read_only_view(tab, ctx, patient, monkeypatch):
    note = signed_note(ctx, patient)
    settle()
    tab.open_encounter(note.id)
    assert tab.right.currentWidget() is tab.view
    assert not tab.view.addendum_button.isHidden() and not tab.view.amend_button.isHidden()

    monkeypatch.setattr(note_actions, "ask_addendum", lambda parent, title: "TAC craneal normal.")
    tab.view.addendum_button.click()
    settle()
    assert "TAC craneal normal." in tab.view.text()
    assert [
        a.text for a in get_encounter(ctx.uow(), actor=ctx.actor, encounter_id=note.id).addenda
    ] == ["TAC craneal normal."]
    assert next(r for r in tab.rows() if r.id == note.id).addenda_count == 1

    monkeypatch.setattr(note_actions, "ask_amend_reason", lambda parent, title: "Dosis errónea")
    tab.view.amend_button.click()
    settle()
    amended = tab.editor.note
    assert amended is not None and amended.amends_id == note.id
    assert not tab.editor.correction_banner.isHidden()
    assert "Dosis errónea" in tab.editor.correction_banner.text()
    tab.editor.set_text("plan", "Ibuprofeno 600 mg cada 8 h por 5 días.")
    monkeypatch.setattr(screen_kit, "confirm", lambda *a: True)
    tab.editor.sign_button.click()
    settle()
    assert tab.view.note is not None and tab.view.note.id == amended.id
    assert "Corrects version 1" in tab.view.text() and "Dosis errónea" in tab.view.text()

    tab.view.follow_link(QUrl(f"note:{note.id}"))  # the link to the original
    assert tab.view.note.id == note.id
    assert "This note was corrected on" in tab.view.text() and "version 2" in tab.view.text()
    assert "Ibuprofeno 400 mg" in tab.view.text()  # the original still reads as signed
    assert tab.view.amend_button.isHidden()  # already corrected: amend version 2 instead
    rows = {r.id: r for r in tab.rows()}
    assert rows[note.id].badge == "amended" and rows[amended.id].badge == "signed"


def next_on_tab(widget):
    """The widget Tab moves to from `widget`."""
    following = widget.nextInFocusChain()
    while not following.focusPolicy().value & Qt.FocusPolicy.TabFocus.value:
        following = following.nextInFocusChain()
    return following


def test_tab_goes_through_the_editor_in_the_order_it_reads(tab):
    tab.new_note(None)
    editor = tab.editor
    assert next_on_tab(editor.texts["chief_complaint"]) is editor.vitals.edits["systolic_bp"]
    assert next_on_tab(editor.vitals.edits["height_cm"]) is editor.texts["subjective"]


def test_unusual_vitals_are_saved_only_when_the_doctor_confirms(tab, ctx, patient, monkeypatch):
    tab.new_note(None)
    editor = tab.editor
    note = editor.note
    editor.set_text("chief_complaint", "Fiebre alta")
    editor.vitals.edits["temperature_c"].setText("42,4")
    questions: list[str] = []
    monkeypatch.setattr(
        screen_kit, "confirm", lambda p, t, text, ok: questions.append(text) or False
    )
    editor.save_button.click()
    assert len(questions) == 1 and "42.4 °C" in questions[0] and "Save anyway?" in questions[0]
    assert not editor.vitals.error.isHidden() and "42.4" in editor.vitals.error.text()
    stored = get_encounter(ctx.uow(), actor=ctx.actor, encounter_id=note.id)
    assert stored.vitals["temperature_c"] is None and stored.chief_complaint == ""

    monkeypatch.setattr(screen_kit, "confirm", lambda *a: True)
    editor.save_button.click()
    stored = get_encounter(ctx.uow(), actor=ctx.actor, encounter_id=note.id)
    assert stored.vitals["temperature_c"] == Decimal("42.4")
    assert stored.chief_complaint == "Fiebre alta" and editor.vitals.error.isHidden()


def test_impossible_vitals_are_refused_under_the_vitals_and_nothing_is_saved(
    tab, ctx, patient, monkeypatch
):
    tab.new_note(None)
    editor = tab.editor
    editor.set_text("plan", "No debe guardarse")
    editor.vitals.edits["temperature_c"].setText("50")
    monkeypatch.setattr(screen_kit, "confirm", lambda *a: pytest.fail("asked to confirm"))
    editor.save_button.click()
    assert editor.vitals.error.text() == "Temperature: must be between 25 and 45 °C."
    assert editor.vitals.edits["temperature_c"].property("invalid") == "true"
    stored = get_encounter(ctx.uow(), actor=ctx.actor, encounter_id=editor.note.id)
    assert stored.plan == "" and stored.version == editor.note.version


def test_leaving_a_draft_with_changes_asks_to_save_them(tab, ctx, patient, monkeypatch):
    other = signed_note(ctx, patient)
    tab.new_note(None)
    draft = tab.editor.note
    tab.editor.set_text("chief_complaint", "Dolor lumbar")
    monkeypatch.setattr(screen_kit, "confirm", lambda *a: False)
    tab.open_encounter(other.id)  # declined: stay on the draft with what was typed
    assert tab.note.id == draft.id and tab.editor.text("chief_complaint") == "Dolor lumbar"
    assert get_encounter(ctx.uow(), actor=ctx.actor, encounter_id=draft.id).chief_complaint == ""

    monkeypatch.setattr(screen_kit, "confirm", lambda *a: True)
    tab.open_encounter(other.id)
    assert tab.note.id == other.id
    stored = get_encounter(ctx.uow(), actor=ctx.actor, encounter_id=draft.id)
    assert stored.chief_complaint == "Dolor lumbar"


def test_a_draft_saved_elsewhere_meanwhile_is_not_overwritten(tab, ctx, patient):
    tab.new_note(None)
    draft = tab.editor.note
    save_encounter(  # the same doctor, on another PC
        ctx.uow(),
        actor=ctx.actor,
        encounter_id=draft.id,
        expected_version=draft.version,
        form=EncounterForm(chief_complaint="Escrito en el otro PC"),
    )
    tab.editor.set_text("chief_complaint", "Escrito aquí")
    tab.editor.save_button.click()
    assert "Open the note again to see the latest version." in tab.editor.banner.text()
    stored = get_encounter(ctx.uow(), actor=ctx.actor, encounter_id=draft.id)
    assert stored.chief_complaint == "Escrito en el otro PC"


def test_discarding_a_draft_removes_it_from_the_list(tab, ctx, patient, monkeypatch):
    tab.new_note(None)
    draft = tab.editor.note
    settle()
    assert draft.id in [r.id for r in tab.rows()]
    monkeypatch.setattr(screen_kit, "confirm", lambda *a: True)
    tab.editor.discard_button.click()
    settle()
    assert tab.note is None and draft.id not in [r.id for r in tab.rows()]
    assert draft.id not in [
        r.id for r in list_encounters(ctx.uow(), actor=ctx.actor, patient_id=patient)
    ]


def test_print_and_prescribe_are_requested_with_the_note(tab, ctx, patient, qtbot):
    note = signed_note(ctx, patient)
    settle()
    tab.open_encounter(note.id)
    with qtbot.waitSignal(tab.print_requested) as printed:
        tab.view.print_button.click()
    assert printed.args == [note.id]
    tab.new_note(None)
    with qtbot.waitSignal(tab.prescribe_requested) as prescribed:
        tab.editor.prescribe_button.click()
    assert prescribed.args == [tab.editor.note.id]


def test_changes_made_elsewhere_reach_the_list(tab, ctx, patient, demo):
    before = len(tab.rows())
    colleague = make_ctx(demo, "odontologa")
    note = signed_note(colleague, patient)
    settle()
    assert len(tab.rows()) == before + 1
    add_addendum(colleague.uow(), actor=colleague.actor, encounter_id=note.id, text="Visto")
    settle()
    assert next(r for r in tab.rows() if r.id == note.id).addenda_count == 1
    # Another doctor's draft opens read-only, even for a doctor.
    draft = start_encounter(colleague.uow(), actor=colleague.actor, patient_id=patient)
    settle()
    tab.open_encounter(draft.id)
    assert tab.right.currentWidget() is tab.view and "Draft: not signed yet." in tab.view.text()
    assert tab.view.addendum_button.isHidden() and tab.view.amend_button.isHidden()


def test_an_assistant_reads_notes_but_cannot_write_them(demo, patient, qtbot):
    doctor = make_ctx(demo, "medico")
    note = signed_note(doctor, patient)
    assistant = make_ctx(demo, "asistente")
    widget = NotesTab(assistant, patient)
    qtbot.addWidget(widget)
    assert widget.new_button.isHidden()
    assert note.id in [r.id for r in widget.rows()]
    widget.open_encounter(note.id)
    assert "Cefalea tensional" in widget.view.text()
    assert widget.view.addendum_button.isHidden() and widget.view.amend_button.isHidden()
    assert not widget.view.print_button.isHidden()


def test_the_correction_dialogs_accept_only_with_text(qtbot):
    addendum = AddendumDialog("3 mar 2026")
    qtbot.addWidget(addendum)
    assert not addendum.ok_button.isEnabled()
    addendum.text_edit.setPlainText("   ")
    assert not addendum.ok_button.isEnabled()
    addendum.text_edit.setPlainText("  Resultado normal. ")
    assert addendum.ok_button.isEnabled() and addendum.text() == "Resultado normal."
    amend = AmendDialog("3 mar 2026")
    qtbot.addWidget(amend)
    assert not amend.ok_button.isEnabled()
    amend.reason_edit.setText("  Peso   mal anotado ")
    assert amend.ok_button.isEnabled() and amend.reason() == "Peso mal anotado"


def test_a_cancelled_correction_prompt_stores_nothing(monkeypatch, qtbot):
    def run(answer: QDialog.DialogCode):
        def exec_(dialog) -> QDialog.DialogCode:  # the user types, then accepts or cancels
            dialog.text_edit.setPlainText("  Resultado normal. ")
            return answer

        return exec_

    monkeypatch.setattr(AddendumDialog, "exec", run(QDialog.DialogCode.Rejected))
    assert note_actions.ask_addendum(None, "3 mar 2026") is None
    monkeypatch.setattr(AddendumDialog, "exec", run(QDialog.DialogCode.Accepted))
    assert note_actions.ask_addendum(None, "3 mar 2026") == "Resultado normal."
