"""The trash screen: a user moved to the trash is listed with who deleted it, and restoring
it (after confirming) brings the account back so it can sign in again. Records of a patient's
chart (documents, the photo, allergies...) are titled by the patient's chart number and name,
never by their clinical text; a document adds its description or file name."""

from __future__ import annotations

from datetime import date

import pytest
from PySide6.QtCore import QBuffer, QByteArray, QIODevice
from PySide6.QtGui import QColor, QImage
from pytestqt.qtbot import QtBot
from ui.screens_helpers import make_ctx, settle

from clinic_desktop.errors import AuthenticationFailed
from clinic_desktop.services.auth import sign_in
from clinic_desktop.services.demo import DEMO_PASSWORD
from clinic_desktop.services.startup import CreatedClinic
from clinic_desktop.services.users import delete_user, find_user_id
from clinic_desktop.ui.trash import TrashPage
from clinic_desktop.ui.widgets import screen_kit


@pytest.fixture
def page(demo: CreatedClinic, qtbot: QtBot) -> TrashPage:
    widget = TrashPage(make_ctx(demo))
    qtbot.addWidget(widget)
    widget.refresh()
    return widget


def trash_user(page: TrashPage, username: str) -> str:
    ctx = page._ctx
    user_id = find_user_id(ctx.uow(), actor=ctx.actor, username=username)
    delete_user(ctx.uow(), actor=ctx.actor, user_id=user_id)
    settle()  # the bridge's users_changed refreshes the page
    return str(user_id)


def test_empty_trash_says_so(page: TrashPage) -> None:
    assert page.model.rowCount() == 0
    assert not page.empty_label.isHidden()
    assert not page.restore_button.isEnabled()


def test_restore_brings_a_deleted_user_back(
    page: TrashPage, demo: CreatedClinic, monkeypatch: pytest.MonkeyPatch
) -> None:
    user_id = trash_user(page, "asistente")
    assert [i.title for i in page.model.rows()] == ["Jorge Villacís"]
    assert page.model.index(0, 0).data() == "User"
    assert page.model.index(0, 3).data() == "Dra. Lucía Andrade"
    with pytest.raises(AuthenticationFailed):
        sign_in(demo.db.uow(), username="asistente", password=DEMO_PASSWORD)

    asked: list[str] = []

    def confirm(parent: object, title: str, text: str, ok_text: str) -> bool:
        asked.append(text)
        return True

    monkeypatch.setattr(screen_kit, "confirm", confirm)
    assert page.select_item(user_id)
    page.restore_button.click()
    settle()

    assert asked and "Jorge Villacís" in asked[0]
    assert page.model.rowCount() == 0
    assert "restored" in page.banner.text()
    assert sign_in(demo.db.uow(), username="asistente", password=DEMO_PASSWORD)


def test_declining_the_confirmation_keeps_it_in_the_trash(
    page: TrashPage, demo: CreatedClinic, monkeypatch: pytest.MonkeyPatch
) -> None:
    user_id = trash_user(page, "medico")
    monkeypatch.setattr(screen_kit, "confirm", lambda *args: False)
    page.select_item(user_id)
    page.restore_button.click()
    assert page.model.rowCount() == 1
    with pytest.raises(AuthenticationFailed):
        sign_in(demo.db.uow(), username="medico", password=DEMO_PASSWORD)


def test_refreshes_when_a_record_is_restored_elsewhere(page: TrashPage) -> None:
    from clinic_desktop.services.trash import restore_record

    user_id = trash_user(page, "medico")
    assert page.model.rowCount() == 1
    ctx = page._ctx
    restore_record(ctx.uow(), actor=ctx.actor, entity="User", entity_id=user_id)
    settle()
    assert page.model.rowCount() == 0


# -- records of a patient's chart --------------------------------------------------------------


def png_bytes(shade: int) -> bytes:
    """A small PNG of one grey (each shade has its own checksum)."""
    image = QImage(8, 8, QImage.Format.Format_RGB32)
    image.fill(QColor(shade, shade, shade))
    data = QByteArray()
    buffer = QBuffer(data)
    buffer.open(QIODevice.OpenModeFlag.WriteOnly)
    image.save(buffer, "PNG")  # type: ignore[call-overload]
    return bytes(data.data())


def test_a_removed_document_and_photo_are_titled_by_the_patient(
    page: TrashPage, monkeypatch: pytest.MonkeyPatch
) -> None:
    from clinic_desktop.services.documents import attach_document, list_documents, remove_document
    from clinic_desktop.services.patient_admin import list_patients
    from clinic_desktop.services.patient_photo import remove_patient_photo, set_patient_photo

    ctx = page._ctx
    patient = list_patients(ctx.uow(), actor=ctx.actor)[0][0]
    document = attach_document(
        ctx.uow(), actor=ctx.actor, patient_id=patient.id, file_name="hemograma.png",
        data=png_bytes(41), category="lab", document_date=date(2026, 1, 5),
        description="Hemograma completo",
    )  # fmt: skip
    unnamed = attach_document(
        ctx.uow(), actor=ctx.actor, patient_id=patient.id, file_name="scan-0042.png",
        data=png_bytes(42), category="other", document_date=date(2026, 1, 5),
    )  # fmt: skip
    for made in (document, unnamed):
        remove_document(ctx.uow(), actor=ctx.actor, document_id=made.id, reason="Wrong patient")
    set_patient_photo(ctx.uow(), actor=ctx.actor, patient_id=patient.id, data=png_bytes(43))
    remove_patient_photo(ctx.uow(), actor=ctx.actor, patient_id=patient.id)
    page.refresh()

    chart = f"Chart {patient.chart_number} · {patient.full_name}"
    shown = {(i.entity_label, i.title) for i in page.model.rows()}
    assert shown == {
        ("Document", f"Hemograma completo · {chart}"),
        ("Document", f"scan-0042.png · {chart}"),
        ("Patient photo", chart),
    }
    # Restoring from the page brings the document back to the chart.
    monkeypatch.setattr(screen_kit, "confirm", lambda *args: True)
    assert page.select_item(str(document.id))
    page.restore_button.click()
    settle()
    listed = list_documents(ctx.uow(), actor=ctx.actor, patient_id=patient.id)
    assert [d.id for d in listed] == [document.id]


def test_clinical_records_show_the_chart_not_their_text(demo: CreatedClinic) -> None:
    """An allergy, a medication or a prescription line in the trash reads "Chart 12 · name"
    (the type column says what it is), never its substance or drug."""
    from sqlalchemy import select

    from clinic_desktop.actor import Actor
    from clinic_desktop.models.clinical import Allergy, Medication
    from clinic_desktop.models.patient import Patient
    from clinic_desktop.models.prescription import Prescription, PrescriptionItem
    from clinic_desktop.models.user import User
    from clinic_desktop.services.trash import list_trash

    system = Actor.system("tests")
    expected: dict[str, tuple[str, str]] = {}
    with demo.db.uow().transaction(system) as session:
        allergy = session.scalars(select(Allergy)).first()
        medication = session.scalars(select(Medication)).first()
        assert allergy and medication, "the demo makes both"
        # A line reaches its patient through its prescription.
        prescription = Prescription(
            patient_id=allergy.patient_id,
            prescriber_id=session.scalar(select(User.id).where(User.username == "medico")),
            issued_on=date(2026, 1, 5),
        )
        session.add(prescription)
        session.flush()
        line = PrescriptionItem(prescription_id=prescription.id, medication="Amoxicilina 500 mg")
        session.add(line)
        session.flush()
        for record, patient_id, text in (
            (allergy, allergy.patient_id, allergy.substance),
            (medication, medication.patient_id, medication.name),
            (line, session.get(Prescription, line.prescription_id).patient_id, line.medication),
        ):
            patient = session.get(Patient, patient_id)
            record.soft_delete(by=None)
            expected[str(record.id)] = (
                f"Chart {patient.chart_number} · {patient.full_name}",
                text,
            )
    items = {i.entity_id: i for i in list_trash(demo.db.uow(), actor=system)}
    for record_id, (title, text) in expected.items():
        assert items[record_id].title == title
        assert text not in items[record_id].title
    labels = {items[r].entity_label for r in expected}
    assert labels == {"Allergy", "Medication", "Prescription line"}
