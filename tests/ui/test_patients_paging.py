"""Paging of the patients list against a real demo clinic: 200 rows at a time with "Show 200
more" under them and "Showing 200 of 450 patients", each page following the last in list order
without repeats (checked against the service), the pages shown kept when a patient changes,
the archived list counted on its own, and a search showing how many it found instead."""

from __future__ import annotations

import pytest
from pytestqt.qtbot import QtBot
from ui.screens_helpers import make_ctx, settle

from clinic_desktop.actor import Actor
from clinic_desktop.i18n import set_language
from clinic_desktop.services.demo import add_demo_patients
from clinic_desktop.services.patient_admin import (
    PatientForm,
    list_patients,
    set_archived,
    update_patient,
)
from clinic_desktop.services.startup import CreatedClinic
from clinic_desktop.ui.context import UiContext
from clinic_desktop.ui.patients import page as page_module
from clinic_desktop.ui.patients.page import PatientsPage
from clinic_desktop.ui.patients.rows import number_text

SYSTEM = Actor.system("tests")


@pytest.fixture
def big(demo: CreatedClinic) -> CreatedClinic:
    """The demo clinic grown to 450 patients (bulk-generated, with their search terms)."""
    with demo.db.uow().transaction(SYSTEM) as session:
        add_demo_patients(session, count=430, seed=11, actor=SYSTEM)
    return demo


@pytest.fixture
def ctx(big: CreatedClinic) -> UiContext:
    return make_ctx(big, "recepcion")


@pytest.fixture
def page(ctx: UiContext, qtbot: QtBot) -> PatientsPage:
    widget = PatientsPage(ctx)
    qtbot.addWidget(widget)
    widget.refresh()
    return widget


def ids(page: PatientsPage) -> list:
    return [row.id for row in page.rows()]


def test_pages_of_200_follow_each_other_to_the_end(page: PatientsPage, ctx: UiContext) -> None:
    everyone, total = list_patients(ctx.uow(), actor=ctx.actor, limit=1000)
    assert total == len(everyone) == 450
    order = [p.id for p in everyone]
    assert ids(page) == order[:200]
    assert page.count_label.text() == "Showing 200 of 450 patients"
    assert page.more_button.isVisibleTo(page) and page.more_button.text() == "Show 200 more"
    page.more_button.click()
    assert ids(page) == order[:400]
    assert page.count_label.text() == "Showing 400 of 450 patients"
    assert page.more_button.text() == "Show 50 more"
    page.more_button.click()
    assert ids(page) == order
    assert page.count_label.text() == "Showing 450 of 450 patients"
    assert not page.more_button.isVisibleTo(page)


def test_a_change_keeps_the_pages_shown_and_the_selection(
    page: PatientsPage, ctx: UiContext
) -> None:
    page.load_more()
    chosen = page.rows()[350]
    assert page.select_patient(chosen.id)
    settle()
    editor = page.editor
    assert editor.patient is not None and editor.patient.id == chosen.id
    # Someone else renames a patient: the bridge refresh reloads as many rows as are shown.
    patient = editor.patient
    form = PatientForm(**{**editor.form().__dict__, "payer": "Seguros Equinoccial"})
    update_patient(
        ctx.uow(), actor=SYSTEM, patient_id=patient.id, expected_version=patient.version, form=form
    )
    settle()
    assert len(page.rows()) == 400
    assert page.count_label.text() == "Showing 400 of 450 patients"
    assert page.selected_row() is not None and page.selected_row().id == chosen.id


def test_archived_list_and_search_count_on_their_own(page: PatientsPage, ctx: UiContext) -> None:
    first, second = page.rows()[:2]
    for row in (first, second):
        set_archived(ctx.uow(), actor=SYSTEM, patient_id=row.id, archived=True)
    settle()
    assert page.count_label.text() == "Showing 200 of 448 patients"
    page.archived_check.setChecked(True)
    assert {r.id for r in page.rows()} == {first.id, second.id}
    assert page.count_label.text() == "Showing 2 of 2 archived patients"
    assert not page.more_button.isVisibleTo(page)
    page.archived_check.setChecked(False)
    page.search_edit.setText(str(page.rows()[0].chart_number))
    page.refresh()
    assert len(page.rows()) >= 1 and not page.more_button.isVisibleTo(page)
    assert page.count_label.text().endswith("found")
    page.search_edit.clear()
    page.refresh()
    assert len(page.rows()) == 200 and page.more_button.isVisibleTo(page)


def test_small_pages_with_a_smaller_page_size(
    demo: CreatedClinic, qtbot: QtBot, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The same walk on the plain 20-patient demo with pages of 7: 7, 14, 20."""
    monkeypatch.setattr(page_module, "PAGE_SIZE", 7)
    ctx = make_ctx(demo, "recepcion")
    widget = PatientsPage(ctx)
    qtbot.addWidget(widget)
    widget.refresh()
    order = [p.id for p in list_patients(ctx.uow(), actor=ctx.actor)[0]]
    seen = [len(ids(widget))]
    while widget.more_button.isVisibleTo(widget):
        widget.more_button.click()
        seen.append(len(ids(widget)))
    assert seen == [7, 14, 20] and ids(widget) == order
    assert widget.count_label.text() == "Showing 20 of 20 patients"


def test_counts_are_written_the_language_s_way() -> None:
    assert number_text(1234) == "1,234"
    set_language("es")
    try:
        assert number_text(12345) == "12.345"
    finally:
        set_language("en")
