"""The owner's "Anonymise…" action on the patients screen against a real demo clinic: only the
owner sees it, only on an archived patient; the dialog shows the retention status and, within
the period, only says until when; after it, it lists what is erased, wants the chart number
typed (a wrong one is shown under the field and changes nothing), and then the patient shows as
anonymised in the list and read-only in the editor, as re-read through the services.

The patient is made old enough with direct UPDATEs of the stored dates in the test setup
(creation, clinical rows, appointments), since the screen uses the real clock."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest
from pytestqt.qtbot import QtBot
from sqlalchemy import update
from ui.screens_helpers import make_ctx, settle

from clinic_desktop.actor import Actor
from clinic_desktop.models.appointment import Appointment
from clinic_desktop.models.encounter import Encounter
from clinic_desktop.models.patient import Patient
from clinic_desktop.services.patient_admin import (
    PatientDTO,
    PatientForm,
    create_patient,
    get_patient,
    set_archived,
)
from clinic_desktop.services.patients import search_patients
from clinic_desktop.services.retention import CLINICAL_RECORDS
from clinic_desktop.services.startup import CreatedClinic
from clinic_desktop.ui.context import UiContext
from clinic_desktop.ui.patients import anonymise
from clinic_desktop.ui.patients.anonymise import AnonymiseDialog
from clinic_desktop.ui.patients.page import PatientsPage

SYSTEM = Actor.system("tests")
LONG_AGO = datetime(2017, 6, 12, 15, tzinfo=UTC)
ROSA = PatientForm(
    first_names="Rosa Elena",
    last_names="Guamán Pilco",
    id_type="cedula",
    id_number="1710034065",
    birth_date=date(1962, 9, 3),
    sex="F",
    phone="0991234567",
    email="rosa@correo.ec",
    address="Av. 10 de Agosto 55, Quito",
)


def make_old(demo: CreatedClinic, patient_id) -> None:
    with demo.db.uow().transaction(SYSTEM) as session:
        session.execute(update(Patient).where(Patient.id == patient_id).values(created_at=LONG_AGO))
        for model in CLINICAL_RECORDS:
            session.execute(
                update(model)
                .where(model.patient_id == patient_id)
                .values(created_at=LONG_AGO, updated_at=LONG_AGO)
            )
        for model, column in ((Encounter, "occurred_at"), (Appointment, "start_at")):
            session.execute(
                update(model)
                .where(model.patient_id == patient_id)
                .values({column: LONG_AGO, "updated_at": LONG_AGO})
            )


@pytest.fixture
def rosa(demo: CreatedClinic) -> PatientDTO:
    created = create_patient(demo.db.uow(), actor=SYSTEM, form=ROSA)
    set_archived(demo.db.uow(), actor=SYSTEM, patient_id=created.id, archived=True)
    return created


@pytest.fixture
def dialogs(monkeypatch: pytest.MonkeyPatch) -> list[AnonymiseDialog]:
    opened: list[AnonymiseDialog] = []
    monkeypatch.setattr(anonymise, "open_dialog", opened.append)
    return opened


def open_page(ctx: UiContext, qtbot: QtBot, patient: PatientDTO) -> PatientsPage:
    page = PatientsPage(ctx)
    qtbot.addWidget(page)
    page.archived_check.setChecked(True)
    page.refresh()
    assert page.select_patient(patient.id)
    settle()
    return page


def visible(page: PatientsPage, widget) -> bool:
    return widget.isVisibleTo(page)


@pytest.mark.parametrize("username", ["medico", "recepcion", "asistente"])
def test_only_the_owner_is_offered_to_anonymise(
    demo: CreatedClinic, qtbot: QtBot, rosa: PatientDTO, username: str
) -> None:
    page = open_page(make_ctx(demo, username), qtbot, rosa)
    assert page.editor.patient is not None and page.editor.patient.id == rosa.id
    assert not visible(page, page.editor.anonymise_button)
    owner_page = open_page(make_ctx(demo, "duena"), qtbot, rosa)
    assert visible(owner_page, owner_page.editor.anonymise_button)


def test_not_offered_for_a_patient_still_listed(demo: CreatedClinic, qtbot: QtBot) -> None:
    listed = create_patient(demo.db.uow(), actor=SYSTEM, form=ROSA)
    page = PatientsPage(make_ctx(demo, "duena"))
    qtbot.addWidget(page)
    page.refresh()
    assert page.select_patient(listed.id)
    assert not visible(page, page.editor.anonymise_button)
    assert visible(page, page.editor.archive_button)


def test_within_the_period_the_dialog_only_says_until_when(
    demo: CreatedClinic, qtbot: QtBot, rosa: PatientDTO, dialogs: list[AnonymiseDialog]
) -> None:
    ctx = make_ctx(demo, "duena")
    page = open_page(ctx, qtbot, rosa)
    before = get_patient(ctx.uow(), actor=ctx.actor, patient_id=rosa.id)
    page.editor.anonymise_button.click()
    [dialog] = dialogs
    assert not dialog.status.eligible and dialog.status.retention_years == 5
    until = dialog.status.eligible_from
    assert dialog.from_label.text() == f"{until:%B} {until.day}, {until.year}"
    assert dialog.status_banner.text_label.text().startswith("The clinical record must be kept")
    assert not dialog.confirm_button.isVisibleTo(dialog)
    assert not dialog.chart_edit.isVisibleTo(dialog)
    dialog.confirm()  # refused quietly: nothing is asked of the service
    assert get_patient(ctx.uow(), actor=ctx.actor, patient_id=rosa.id) == before
    assert before.anonymised_at is None


def test_after_the_period_a_typed_chart_number_anonymises(
    demo: CreatedClinic, qtbot: QtBot, rosa: PatientDTO, dialogs: list[AnonymiseDialog]
) -> None:
    make_old(demo, rosa.id)
    ctx = make_ctx(demo, "duena")
    page = open_page(ctx, qtbot, rosa)
    editor = page.editor
    editor.anonymise_button.click()
    [dialog] = dialogs
    assert dialog.status.eligible
    assert dialog.status.last_activity == LONG_AGO.date()
    assert dialog.from_label.text() == "June 12, 2022"
    assert not dialog.confirm_button.isEnabled()  # nothing typed yet

    dialog.chart_edit.setText(str(rosa.chart_number + 5))
    assert dialog.confirm_button.isEnabled()
    dialog.confirm()
    error = dialog.findChild(type(dialog.general_error), "AnonymiseChartError")
    assert error.isVisibleTo(dialog) and str(rosa.chart_number) in error.text()
    assert dialog.chart_edit.property("invalid") == "true"
    assert dialog.result() != AnonymiseDialog.DialogCode.Accepted
    unchanged = get_patient(ctx.uow(), actor=ctx.actor, patient_id=rosa.id)
    assert unchanged.anonymised_at is None and unchanged.first_names == "Rosa Elena"

    dialog.chart_edit.setText(str(rosa.chart_number))
    dialog.confirm()
    settle()
    assert dialog.result() == AnonymiseDialog.DialogCode.Accepted
    stored = get_patient(ctx.uow(), actor=ctx.actor, patient_id=rosa.id)
    assert stored.anonymised_at is not None and stored.id_number is None
    assert search_patients(ctx.uow(), actor=ctx.actor, text="guaman", archived=True) == []

    # The list and the editor say so, and the editor is read-only.
    [row] = [r for r in page.rows() if r.id == rosa.id]
    assert row.anonymised
    name_index = page.model.index(page.rows().index(row), 1)
    assert page.model.data(name_index) == "Anonymised patient"
    assert editor.heading.text() == f"Anonymised patient · chart {rosa.chart_number}"
    assert visible(page, editor.anonymised_banner)
    assert editor.banner.text().startswith(f"Chart {rosa.chart_number} is anonymised")
    assert not editor.first_names_edit.isEnabled() and not editor.phone_edit.isEnabled()
    assert not editor.birth_date_edit.isEnabled()
    for button in (
        editor.save_button,
        editor.archive_button,
        editor.anonymise_button,
        editor.photo.choose_button,
        *editor.consents.given_buttons.values(),
    ):
        assert not visible(page, button), button.objectName()


def test_a_refusal_that_is_not_about_the_number_shows_in_the_dialog(
    demo: CreatedClinic, qtbot: QtBot, rosa: PatientDTO, dialogs: list[AnonymiseDialog]
) -> None:
    make_old(demo, rosa.id)
    ctx = make_ctx(demo, "duena")
    page = open_page(ctx, qtbot, rosa)
    page.editor.anonymise_button.click()
    [dialog] = dialogs
    # Someone restores the patient from the archive while the dialog is open.
    set_archived(ctx.uow(), actor=SYSTEM, patient_id=rosa.id, archived=False)
    dialog.chart_edit.setText(str(rosa.chart_number))
    dialog.confirm()
    assert dialog.banner.isVisibleTo(dialog)
    assert "archive the patient first" in dialog.banner.text()
    assert dialog.result() != AnonymiseDialog.DialogCode.Accepted
    assert dialog.confirm_button.isEnabled()
    assert get_patient(ctx.uow(), actor=ctx.actor, patient_id=rosa.id).anonymised_at is None
