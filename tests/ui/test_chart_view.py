"""The patient's chart as each role sees it (reception: demographics and appointments only;
a doctor: the clinical tabs, built when first shown), the timeline opening records in their
tabs, and "Start consultation" in the waiting room landing in the appointment's note."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from pytestqt.qtbot import QtBot
from support.agenda_data import SYSTEM, AgendaSeed, seed_agenda
from ui.screens_helpers import make_ctx, settle
from ui.test_agenda_panels import arrive

from clinic_desktop.services import agenda_queries
from clinic_desktop.services.encounters import EncounterForm, save_encounter, start_encounter
from clinic_desktop.services.startup import CreatedClinic
from clinic_desktop.services.timeline import TimelineKind
from clinic_desktop.ui.agenda.waiting_room import WaitingRoomPanel
from clinic_desktop.ui.chart.notes_tab import NotesTab
from clinic_desktop.ui.chart.page import ChartView
from clinic_desktop.ui.chart.timeline_tab import TimelineTab
from clinic_desktop.ui.patients.page import PatientsPage


@pytest.fixture
def seed(demo: CreatedClinic) -> AgendaSeed:
    return seed_agenda(demo.db)


def test_reception_sees_appointments_and_no_clinical_tab(
    demo: CreatedClinic, qtbot: QtBot, seed: AgendaSeed
) -> None:
    chart = ChartView(make_ctx(demo, "recepcion"), seed.patients[0])
    qtbot.addWidget(chart)
    settle()
    assert chart.tab_titles() == ["Appointments"]
    assert not chart.allergy_banner.isVisibleTo(chart)
    assert not chart.print_button.isVisibleTo(chart)
    assert chart.tab("NotesTab") is None and chart.tab("SummaryTab") is None
    assert chart.name_label.text()  # the demographics header is there


def test_a_doctor_gets_the_clinical_tabs_built_when_first_shown(
    demo: CreatedClinic, qtbot: QtBot, seed: AgendaSeed
) -> None:
    chart = ChartView(make_ctx(demo, "medico"), seed.patients[0])
    qtbot.addWidget(chart)
    settle()
    assert chart.tab_titles() == [
        "Summary",
        "Notes",
        "Prescriptions",
        "Documents",
        "Timeline",
        "Appointments",
    ]
    assert [w.objectName() for w in chart._built.values()] == ["SummaryTab"]
    assert "Chart 1" in chart.facts_label.text()
    notes = chart.tab("NotesTab")
    assert isinstance(notes, NotesTab) and chart.tabs.currentIndex() == 1


def test_the_timeline_lists_a_note_and_opens_it_in_the_notes_tab(
    demo: CreatedClinic, qtbot: QtBot, seed: AgendaSeed
) -> None:
    ctx = make_ctx(demo, "medico")
    patient = seed.patients[3]
    note = start_encounter(ctx.uow(), actor=ctx.actor, patient_id=patient)
    note = save_encounter(
        ctx.uow(),
        actor=ctx.actor,
        encounter_id=note.id,
        expected_version=note.version,
        form=EncounterForm(chief_complaint="Cefalea de tres días"),
    )
    chart = ChartView(ctx, patient)
    qtbot.addWidget(chart)
    timeline = chart.tab("TimelineTab")
    assert isinstance(timeline, TimelineTab)
    settle()
    [item] = [i for i in timeline.items() if i.kind is TimelineKind.NOTE]
    assert (item.record_id, item.title, item.status) == (note.id, "Cefalea de tres días", "draft")
    chart.open_record(item.kind, item.record_id)
    notes = chart.tab("NotesTab")
    assert isinstance(notes, NotesTab)
    assert chart.tabs.currentWidget().findChild(NotesTab) is notes
    current = notes.note
    assert current is not None and current.id == note.id


def test_start_consultation_opens_the_appointments_note_in_the_chart(
    demo: CreatedClinic, qtbot: QtBot, seed: AgendaSeed
) -> None:
    ctx = make_ctx(demo, "medico")
    now = datetime.now(UTC).replace(microsecond=0)
    arrived = arrive(demo, seed, now, patient=2, practitioner=seed.doctor)
    page = PatientsPage(ctx)
    qtbot.addWidget(page)
    requested: list[tuple[object, object]] = []
    ctx.bridge.chart_requested.connect(lambda p, e: requested.append((p, e)))
    ctx.bridge.chart_requested.connect(page.open_chart)
    panel = WaitingRoomPanel(ctx)
    qtbot.addWidget(panel)
    panel.clock = lambda: now
    panel.refresh()
    panel.start_button.click()
    settle()
    reread, _moves = agenda_queries.get_appointment(
        demo.db.uow(), actor=SYSTEM, appointment_id=arrived.id
    )
    assert reread.status == "in_consultation"
    [(patient_id, note_id)] = requested
    assert patient_id == seed.patients[2]
    assert page.chart is not None and page.stack.currentWidget() is page.chart
    notes = page.chart.tab("NotesTab")
    assert isinstance(notes, NotesTab)
    current = notes.note
    assert current is not None and current.id == note_id
    assert current.appointment_id == arrived.id


def test_the_documents_tab_lists_the_patients_documents_when_first_shown(
    demo: CreatedClinic, qtbot: QtBot, seed: AgendaSeed
) -> None:
    from clinic_desktop.services.documents import attach_document, list_documents
    from clinic_desktop.ui.chart.documents_tab import DocumentsTab

    ctx = make_ctx(demo, "medico")
    patient = seed.patients[5]
    png = bytes.fromhex(
        "89504e470d0a1a0a0000000d49484452000000010000000108060000001f15c489"
        "0000000d4944415478da63f8cfc0f01f0005000201a5f5d2a50000000049454e44ae426082"
    )
    attach_document(
        ctx.uow(),
        actor=ctx.actor,
        patient_id=patient,
        file_name="rx.png",
        data=png,
        category="imaging",
        document_date=datetime.now(seed.zone).date(),
        description="Radiografía de prueba",
    )
    settle()  # the attach's own event is delivered before the chart exists
    expected = {d.id for d in list_documents(ctx.uow(), actor=ctx.actor, patient_id=patient)}
    chart = ChartView(ctx, patient)
    qtbot.addWidget(chart)
    tab = chart.tab("DocumentsTab")
    assert isinstance(tab, DocumentsTab)
    settle()
    assert {d.id for d in tab.rows()} == expected and expected
