"""The chart's prescriptions tab and dialogs against a real demo clinic: issuing through the
line table (a refused line named, its cell marked, nothing stored), the patient's allergies
shown while prescribing, a prescription tied to a note, voiding with a reason, the print
request signal, newest first, and the assistant's read-only view."""

from __future__ import annotations

import uuid
from datetime import date, timedelta

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialog
from pytestqt.qtbot import QtBot
from support.clinical_actors import SYSTEM, capture_dialogs, new_note, new_patient
from ui.screens_helpers import make_ctx, settle

from clinic_desktop.services.clinical_dto import AllergyForm
from clinic_desktop.services.clinical_lists import add_allergy
from clinic_desktop.services.prescriptions import (
    PrescriptionLineForm,
    issue_prescription,
    list_prescriptions,
)
from clinic_desktop.services.startup import CreatedClinic
from clinic_desktop.ui.chart.prescription_dialog import INVALID_CELL
from clinic_desktop.ui.chart.prescriptions_tab import PrescriptionsTab
from clinic_desktop.ui.context import UiContext

AMOXI = {
    "medication": "Amoxicilina 500 mg",
    "dose": "1 cápsula",
    "route": "Oral",
    "frequency": "cada 8 horas",
    "duration": "7 días",
}


@pytest.fixture
def ctx(demo: CreatedClinic) -> UiContext:
    return make_ctx(demo, "medico")


@pytest.fixture
def patient_id(demo: CreatedClinic) -> uuid.UUID:
    return new_patient(demo, "Martín", "Guerrero Loor", sex="M", birth_date=None)


@pytest.fixture
def opened(monkeypatch: pytest.MonkeyPatch) -> list[QDialog]:
    return capture_dialogs(monkeypatch)


def make_tab(ctx: UiContext, patient_id: uuid.UUID, qtbot: QtBot) -> PrescriptionsTab:
    tab = PrescriptionsTab(ctx, patient_id)
    qtbot.addWidget(tab)
    return tab


def stored(demo: CreatedClinic, patient_id: uuid.UUID):
    return list_prescriptions(demo.db.uow(), actor=SYSTEM, patient_id=patient_id)


def issue(demo, ctx, patient_id, medication: str, days_ago: int = 0):
    line = PrescriptionLineForm(**{**AMOXI, "medication": medication})
    return issue_prescription(
        demo.db.uow(),
        actor=ctx.actor,
        patient_id=patient_id,
        lines=[line],
        issued_on=date.today() - timedelta(days=days_ago + 1),
    )


def test_a_prescription_is_written_line_by_line_and_issued(demo, ctx, patient_id, qtbot, opened):
    add_allergy(
        demo.db.uow(),
        actor=ctx.actor,
        patient_id=patient_id,
        form=AllergyForm("Penicilina", "Anafilaxia", "life_threatening"),
    )
    tab = make_tab(ctx, patient_id, qtbot)
    assert tab.prescriptions() == [] and not tab.empty_label.isHidden()
    qtbot.mouseClick(tab.new_button, Qt.MouseButton.LeftButton)
    dialog = opened[-1]
    # The allergy is in front of the doctor while prescribing.
    assert dialog.allergy_banner.level == "danger"
    assert "Penicilina" in dialog.allergy_banner.text()
    assert "Martín Guerrero Loor" in dialog.subtitle.text()
    dialog.set_line(0, **{**AMOXI, "medication": "Azitromicina 500 mg", "duration": "3 días"})
    dialog.add_line()
    dialog.set_line(
        1,
        medication="Paracetamol 1 g",
        dose="1 tableta",
        frequency="c/8 h si dolor",
        duration="3 días",
        instructions="No más de 3 al día",
    )
    dialog.add_line()  # a blank row left at the end is ignored
    dialog.notes_edit.setPlainText("Control en una semana.")
    dialog.save()
    assert dialog.result() == QDialog.DialogCode.Accepted
    settle()
    [rx] = stored(demo, patient_id)
    assert [line.medication for line in rx.lines] == ["Azitromicina 500 mg", "Paracetamol 1 g"]
    assert rx.lines[1].instructions == "No más de 3 al día" and rx.lines[1].route == ""
    assert rx.notes == "Control en una semana." and rx.prescriber_name == "Dr. Andrés Paredes"
    assert [p.id for p in tab.prescriptions()] == [rx.id] and tab.selected().id == rx.id
    assert "Paracetamol 1 g" in tab.detail.toPlainText()
    assert tab.banner.text() == "Prescription issued."


def test_a_refused_line_is_named_and_its_cell_marked(demo, ctx, patient_id, qtbot, opened):
    tab = make_tab(ctx, patient_id, qtbot)
    tab.new_prescription()
    dialog = opened[-1]
    dialog.save()
    assert "at least one line" in dialog.lines_error.text()
    dialog.set_line(0, **AMOXI)
    dialog.set_line(1, medication="Ibuprofeno 400 mg", frequency="cada 8 horas", duration="5 días")
    dialog.save()
    assert dialog.result() != QDialog.DialogCode.Accepted
    assert dialog.lines_error.text() == "Line 2 — Dose: it is required."
    assert (dialog.table.currentRow(), dialog.table.currentColumn()) == (1, 1)
    assert dialog.table.item(1, 1).background().color().name().upper() == INVALID_CELL.upper()
    assert stored(demo, patient_id) == []
    # Fixing it clears the mark; removing a line renumbers what is left.
    dialog.set_line(1, dose="1 tableta")
    assert dialog.table.item(1, 1).background().style() == Qt.BrushStyle.NoBrush
    dialog.table.setCurrentCell(0, 0)
    dialog.remove_current_line()
    assert [line.medication for line in dialog.lines()] == ["Ibuprofeno 400 mg"]
    dialog.save()
    settle()
    assert [rx.lines[0].medication for rx in stored(demo, patient_id)] == ["Ibuprofeno 400 mg"]


def test_a_prescription_written_during_a_consultation_is_tied_to_its_note(
    demo, ctx, patient_id, qtbot, opened
):
    note_id = new_note(demo, patient_id)
    tab = make_tab(ctx, patient_id, qtbot)
    tab.new_prescription(encounter_id=note_id)
    dialog = opened[-1]
    dialog.set_line(0, **AMOXI)
    dialog.save()
    settle()
    assert stored(demo, patient_id)[0].encounter_id == note_id


def test_void_asks_why_keeps_the_prescription_and_print_is_requested(
    demo, ctx, patient_id, qtbot, opened
):
    older = issue(demo, ctx, patient_id, "Amoxicilina 500 mg", days_ago=10)
    newer = issue(demo, ctx, patient_id, "Loratadina 10 mg")
    tab = make_tab(ctx, patient_id, qtbot)
    assert [rx.id for rx in tab.prescriptions()] == [newer.id, older.id]
    tab.select(older.id)
    requested: list[object] = []
    tab.print_requested.connect(requested.append)
    qtbot.mouseClick(tab.print_button, Qt.MouseButton.LeftButton)
    assert requested == [older.id]
    qtbot.mouseClick(tab.void_button, Qt.MouseButton.LeftButton)
    dialog = opened[-1]
    dialog.save()
    assert dialog.errors._fields["reason"][0].text() == "Reason: it is required."
    assert all(rx.status == "issued" for rx in stored(demo, patient_id))
    dialog.reason_edit.setText("Dosis equivocada")
    dialog.save()
    settle()
    statuses = {rx.id: (rx.status, rx.void_reason) for rx in stored(demo, patient_id)}
    assert statuses == {older.id: ("void", "Dosis equivocada"), newer.id: ("issued", "")}
    assert tab.selected().id == older.id and not tab.void_button.isEnabled()
    assert tab.model.index(1, 3).data() == "Void"
    assert "Dosis equivocada" in tab.detail.toPlainText()
    assert tab.print_button.isEnabled()  # a void one still prints, marked void


def test_the_assistant_reads_prescriptions_but_cannot_write_or_void_them(
    demo, ctx, patient_id, qtbot, opened
):
    rx = issue(demo, ctx, patient_id, "Amoxicilina 500 mg")
    tab = make_tab(make_ctx(demo, "asistente"), patient_id, qtbot)
    assert [p.id for p in tab.prescriptions()] == [rx.id]
    assert tab.new_button.isHidden() and tab.void_button.isHidden()
    assert not tab.print_button.isHidden()
    tab.new_prescription()
    assert opened == []


def test_reception_is_refused(demo, ctx, patient_id, qtbot):
    issue(demo, ctx, patient_id, "Amoxicilina 500 mg")
    tab = make_tab(make_ctx(demo, "recepcion"), patient_id, qtbot)
    assert tab.prescriptions() == [] and "Your role does not allow" in tab.banner.text()


def test_what_is_typed_in_an_open_cell_editor_is_issued(demo, ctx, patient_id, qtbot, opened):
    from PySide6.QtWidgets import QAbstractItemDelegate, QComboBox, QLineEdit

    tab = make_tab(ctx, patient_id, qtbot)
    tab.new_prescription()
    dialog = opened[-1]
    dialog.set_line(0, **{**AMOXI, "route": ""})
    dialog.table.editItem(dialog.table.item(0, 2))
    route = dialog.table.findChild(QComboBox, "PrescriptionRouteEditor")
    assert route is not None and route.findText("Topical") >= 0  # the common routes offered
    route.setCurrentText("Topical")
    assert dialog.lines()[0].route == "Topical"  # before the editor closes
    dialog.table.closeEditor(route, QAbstractItemDelegate.EndEditHint.NoHint)
    dialog.table.editItem(dialog.table.item(0, 5))
    instructions = dialog.table.findChild(QLineEdit, "PrescriptionCellEditor_instructions")
    assert instructions is not None
    qtbot.keyClicks(instructions, "Aplicar 2 veces por la noche")  # ASCII: keyClicks needs it
    dialog.save()  # the editor is still open
    settle()
    [line] = stored(demo, patient_id)[0].lines
    assert (line.route, line.instructions) == ("Topical", "Aplicar 2 veces por la noche")
