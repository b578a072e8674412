"""The chart's documents tab, the document viewer and the patient photo box against a real demo
clinic: attaching a PDF and a PNG from files (and by dropping them), viewing them from memory
(the PDF's pages, the picture's size, no temporary copy), exporting a byte-identical copy,
editing details, removing with a reason, refusals shown as messages with nothing changed, the
read-only tab of an assistant, reception kept out, and the photo stored with the patient."""

from __future__ import annotations

import io
import tempfile
from datetime import date, timedelta
from pathlib import Path

import pytest
from PySide6.QtCore import QDir, QMimeData, QPointF, Qt, QUrl
from PySide6.QtGui import QColor, QDropEvent, QImage, QStandardItem, QStandardItemModel
from PySide6.QtPdf import QPdfDocument
from PySide6.QtWidgets import QLabel
from pytestqt.qtbot import QtBot
from reportlab.pdfgen import canvas
from ui.screens_helpers import make_ctx, settle

from clinic_desktop.actor import Actor
from clinic_desktop.services.audit import AuditFilter, list_audit_entries
from clinic_desktop.services.documents import list_documents
from clinic_desktop.services.patient_admin import list_patients
from clinic_desktop.services.patient_photo import get_patient_photo
from clinic_desktop.services.settings import update_settings
from clinic_desktop.services.startup import CreatedClinic
from clinic_desktop.ui.chart import document_kit, document_viewer
from clinic_desktop.ui.chart.document_dialog import DocumentDetails, DocumentDialog, clinic_today
from clinic_desktop.ui.chart.document_viewer import DocumentViewerDialog
from clinic_desktop.ui.chart.documents_tab import DocumentsTab
from clinic_desktop.ui.context import UiContext
from clinic_desktop.ui.patients.page import PatientsPage
from clinic_desktop.ui.patients.photo import PhotoBox
from clinic_desktop.ui.widgets.pill_delegate import Pill, PillDelegate

SYSTEM = Actor.system("tests")
LAB = DocumentDetails("lab", date.today() - timedelta(days=3), "Hemograma completo")


def make_pdf(path: Path, pages: int = 2) -> bytes:
    out = io.BytesIO()
    pdf = canvas.Canvas(out)
    for page in range(pages):
        pdf.drawString(72, 720, f"Informe de laboratorio, página {page + 1}")
        pdf.showPage()
    pdf.save()
    path.write_bytes(out.getvalue())
    return out.getvalue()


def make_png(path: Path, width: int = 320, height: int = 200, colour: str = "#3366aa") -> bytes:
    image = QImage(width, height, QImage.Format.Format_RGB32)
    image.fill(QColor(colour))
    assert image.save(str(path), "PNG")
    return path.read_bytes()


@pytest.fixture
def ctx(demo: CreatedClinic) -> UiContext:
    return make_ctx(demo, "medico")


@pytest.fixture
def patient_id(ctx: UiContext):
    """A demo patient with no documents yet (the demo attaches a few to some charts)."""
    return next(
        p.id
        for p in list_patients(ctx.uow(), actor=ctx.actor)[0]
        if not list_documents(ctx.uow(), actor=ctx.actor, patient_id=p.id)
    )


@pytest.fixture
def tab(ctx: UiContext, patient_id, qtbot: QtBot) -> DocumentsTab:
    widget = DocumentsTab(ctx, patient_id)
    qtbot.addWidget(widget)
    widget.refresh()
    return widget


def stored(ctx: UiContext, patient_id):
    return list_documents(ctx.uow(), actor=ctx.actor, patient_id=patient_id)


def attach_two(tab: DocumentsTab, tmp_path: Path) -> tuple[bytes, bytes]:
    pdf = make_pdf(tmp_path / "hemograma.pdf")
    png = make_png(tmp_path / "radiografia.png")
    tab.attach_files([str(tmp_path / "hemograma.pdf"), str(tmp_path / "radiografia.png")], LAB)
    settle()
    return pdf, png


def test_attach_a_pdf_and_a_png_lists_them(tab, ctx, patient_id, tmp_path) -> None:
    assert tab.rows() == [] and tab.stack.currentWidget() is tab.empty_label
    attach_two(tab, tmp_path)
    assert tab.banner.text() == "2 documents attached."
    saved = stored(ctx, patient_id)
    assert sorted(d.mime_type for d in saved) == ["application/pdf", "image/png"]
    assert {d.description for d in saved} == {"Hemograma completo"}
    assert sorted(d.file_name for d in tab.rows()) == ["hemograma.pdf", "radiografia.png"]
    assert tab.count_label.text() == "2 documents"
    assert tab.stack.currentWidget() is tab.table
    assert tab.selected() is not None  # the last one attached is selected
    model = tab.table.model()
    assert model.index(0, 5).data() == "Dr. Andrés Paredes"
    assert model.index(0, 1).data() == "Lab results"


def test_the_category_is_painted_as_a_pill_in_its_colours(tab, tmp_path) -> None:
    attach_two(tab, tmp_path)
    model = tab.table.model()
    delegate = tab.table.itemDelegateForColumn(1)
    assert isinstance(delegate, PillDelegate)  # the shared pill painter, not a copy
    ink, fill = document_kit.BADGE_COLOURS["lab"]
    assert document_kit.category_pill(model.index(0, 1)) == Pill("Lab results", ink, fill)
    # Painted: the cell's middle line crosses the pill's fill.
    tab.show()
    settle()
    image = tab.table.viewport().grab().toImage()
    cell = tab.table.visualRect(model.index(1, 1))
    colours = {
        image.pixelColor(x, cell.center().y()).name().upper()
        for x in range(cell.left(), cell.right())
    }
    assert fill.upper() in colours
    # A category this version does not know wears the colours of "other".
    unknown = QStandardItemModel()
    item = QStandardItem("Scan")
    item.setData("scan", Qt.ItemDataRole.UserRole)
    unknown.appendRow(item)
    assert document_kit.category_pill(unknown.index(0, 0)) == Pill(
        "Scan", *document_kit.BADGE_COLOURS["other"]
    )


def test_view_pdf_and_image_from_memory(tab, ctx, tmp_path, qtbot) -> None:
    attach_two(tab, tmp_path)
    by_name = {d.file_name: d for d in tab.rows()}
    assert tab.select(by_name["hemograma.pdf"].id)
    viewer = tab.view_selected()
    assert viewer is not None
    qtbot.addWidget(viewer)
    assert viewer.pdf is not None and viewer.pdf.status() == QPdfDocument.Status.Ready
    assert viewer.pdf.pageCount() == 2
    assert viewer.stack.currentWidget() is viewer.pdf_view
    assert viewer.page_label.text() == "Page 1 of 2"
    assert viewer.title_label.text() == "Hemograma completo"
    before = viewer.zoom_factor()
    viewer.zoom_by(1.25)
    assert viewer.zoom_factor() == pytest.approx(before * 1.25)
    viewer.fit_width()
    image_viewer = DocumentViewerDialog(ctx, by_name["radiografia.png"].id)
    qtbot.addWidget(image_viewer)
    assert image_viewer.image is not None
    assert (image_viewer.image.width(), image_viewer.image.height()) == (320, 200)
    assert image_viewer.stack.currentWidget() is image_viewer.image_view
    image_viewer.zoom_by(2.0)
    pixmap = image_viewer.image_view.label.pixmap()
    assert pixmap.width() == round(320 * image_viewer.zoom_factor())
    views = list_audit_entries(ctx.uow(), actor=SYSTEM, flt=AuditFilter())[0]
    viewed = [e for e in views if e.action == "read" and e.entity == "PatientDocument"]
    assert {e.entity_id for e in viewed} == {str(d.id) for d in by_name.values()}


def test_viewing_leaves_no_temporary_copy(tab, ctx, tmp_path, qtbot, monkeypatch) -> None:
    """A temporary file of a clinical document is a plaintext copy on disk: the viewer shows
    the bytes from memory, so the temp folder (Python's and Qt's) stays empty."""
    attach_two(tab, tmp_path)
    scratch = tmp_path / "scratch"
    scratch.mkdir()
    monkeypatch.setenv("TMPDIR", str(scratch))
    monkeypatch.setattr(tempfile, "tempdir", None)  # Python re-reads TMPDIR
    assert QDir.tempPath() == str(scratch) and tempfile.gettempdir() == str(scratch)
    shown = []
    for document in tab.rows():
        viewer = DocumentViewerDialog(ctx, document.id)
        qtbot.addWidget(viewer)
        shown.append("pdf" if viewer.pdf is not None else "image" if viewer.image else "")
        viewer.show()
        settle()
    assert sorted(shown) == ["image", "pdf"]
    assert list(scratch.iterdir()) == []


def test_export_writes_the_same_bytes_and_is_audited(tab, ctx, tmp_path, qtbot) -> None:
    pdf, png = attach_two(tab, tmp_path)
    by_name = {d.file_name: d for d in tab.rows()}
    viewer = DocumentViewerDialog(ctx, by_name["hemograma.pdf"].id)
    qtbot.addWidget(viewer)
    target = tmp_path / "out" / "copia.pdf"
    target.parent.mkdir()
    viewer.export_to(str(target))
    assert target.read_bytes() == pdf
    assert str(target) in viewer.banner.text()
    tab.export_to(by_name["radiografia.png"].id, str(tmp_path / "out" / "rx.png"))
    assert (tmp_path / "out" / "rx.png").read_bytes() == png
    entries = list_audit_entries(ctx.uow(), actor=SYSTEM, flt=AuditFilter())[0]
    exported = [e.entity_id for e in entries if e.action == "export"]
    assert sorted(exported) == sorted(str(d.id) for d in by_name.values())


def test_export_through_the_buttons_uses_the_chosen_path(tab, tmp_path, monkeypatch) -> None:
    pdf, _png = attach_two(tab, tmp_path)
    target = tmp_path / "elegido.pdf"
    asked: list[str] = []

    def choose(_parent, _title, suggested):
        asked.append(suggested)
        return str(target)

    monkeypatch.setattr(document_viewer, "choose_save_path", choose)
    tab.select(next(d.id for d in tab.rows() if d.file_name == "hemograma.pdf"))
    tab.export_button.click()
    assert asked == ["hemograma.pdf"] and target.read_bytes() == pdf
    monkeypatch.setattr(document_viewer, "choose_save_path", lambda *_a: "")
    target.unlink()
    tab.export_button.click()  # cancelled: nothing written
    assert not target.exists()


def test_refused_files_show_the_message_and_change_nothing(tab, ctx, patient_id, tmp_path) -> None:
    notes = tmp_path / "informe.pdf"
    notes.write_text("Glucosa 90 mg/dl", encoding="utf-8")
    tab.attach_files([str(notes)], LAB)
    settle()
    assert tab.banner.kind == "error"
    assert tab.banner.text() == (
        "informe.pdf: File: only PDF, PNG or JPEG files can be attached (this one is a text file)."
    )
    update_settings(ctx.uow(), actor=SYSTEM, changes={"documents.max_mb": 1})
    big = tmp_path / "grande.png"
    big.write_bytes(make_png(tmp_path / "x.png") + bytes(2 * 1024 * 1024))
    missing = tmp_path / "no-existe.pdf"
    tab.attach_files([str(big), str(missing)], LAB)
    settle()
    text = tab.banner.text()
    assert "grande.png: File: it is 2.0 MB; the largest allowed is 1 MB" in text
    assert "no-existe.pdf: File: it could not be read" in text
    assert stored(ctx, patient_id) == [] and tab.rows() == []


def test_a_good_file_and_a_bad_one_report_both(tab, ctx, patient_id, tmp_path) -> None:
    make_pdf(tmp_path / "ok.pdf")
    (tmp_path / "malo.docx").write_bytes(b"PK\x03\x04" + bytes(50))
    tab.attach_files([str(tmp_path / "ok.pdf"), str(tmp_path / "malo.docx")], LAB)
    settle()
    assert tab.banner.kind == "warn"
    assert tab.banner.text().splitlines() == [
        "1 document attached.",
        "malo.docx: File: only PDF, PNG or JPEG files can be attached "
        "(this one is a ZIP archive or an Office document).",
    ]
    assert [d.file_name for d in stored(ctx, patient_id)] == ["ok.pdf"]


def test_dropping_files_asks_for_details_then_attaches(tab, ctx, patient_id, tmp_path) -> None:
    make_png(tmp_path / "foto.png")
    asked: list[list[str]] = []

    def ask(paths):
        asked.append(paths)
        return DocumentDetails("imaging", clinic_today(ctx), "Foto clínica")

    tab.ask_details = ask  # type: ignore[method-assign]
    mime = QMimeData()
    mime.setUrls([QUrl.fromLocalFile(str(tmp_path / "foto.png"))])
    event = QDropEvent(
        QPointF(10, 10), Qt.DropAction.CopyAction, mime, Qt.MouseButton.LeftButton,
        Qt.KeyboardModifier.NoModifier,
    )  # fmt: skip
    tab.dropEvent(event)
    settle()
    assert asked == [[str(tmp_path / "foto.png")]]
    [doc] = stored(ctx, patient_id)
    assert (doc.category, doc.description) == ("imaging", "Foto clínica")
    assert tab.acceptDrops()


def test_details_dialog_saves_and_filter_follows(tab, ctx, patient_id, tmp_path, qtbot) -> None:
    attach_two(tab, tmp_path)
    pdf = next(d for d in tab.rows() if d.file_name == "hemograma.pdf")
    dialog = DocumentDialog(ctx, document=pdf)
    qtbot.addWidget(dialog)
    dialog.category_combo.setCurrentIndex(dialog.category_combo.findData("referral"))
    dialog.description_edit.setText("Interconsulta cardiología")
    dialog.set_date(date(2025, 12, 1))
    dialog.accept()
    settle()
    assert dialog.result() == DocumentDialog.DialogCode.Accepted
    changed = next(d for d in stored(ctx, patient_id) if d.id == pdf.id)
    assert (changed.category, changed.description, changed.document_date) == (
        "referral",
        "Interconsulta cardiología",
        date(2025, 12, 1),
    )
    assert tab.rows()[-1].id == pdf.id  # the oldest date goes last
    tab.category_combo.setCurrentIndex(tab.category_combo.findData("referral"))
    assert [d.id for d in tab.rows()] == [pdf.id]
    assert tab.count_label.text() == "1 of 2"
    tab.category_combo.setCurrentIndex(tab.category_combo.findData("consent"))
    assert tab.rows() == [] and tab.empty_label.text() == "No documents of this category."
    assert tab.select(pdf.id)  # a hidden document is shown by clearing the filter
    assert tab.category_combo.currentData() == "" and tab.selected().id == pdf.id
    fresh = DocumentsTab(ctx, patient_id)  # as the timeline opens it: select, then load
    qtbot.addWidget(fresh)
    assert not fresh.select(pdf.id)
    fresh.refresh()
    assert fresh.selected() is not None and fresh.selected().id == pdf.id
    # A stale edit is refused in the dialog, which stays open with the message.
    stale = DocumentDialog(ctx, document=pdf)
    qtbot.addWidget(stale)
    stale.description_edit.setText("otra")
    stale.accept()
    assert stale.result() != DocumentDialog.DialogCode.Accepted
    general = stale.findChild(QLabel, "DocumentGeneralError")
    assert "changed by" in general.text()


def test_remove_asks_for_a_reason(tab, ctx, patient_id, tmp_path, monkeypatch) -> None:
    attach_two(tab, tmp_path)
    target = tab.rows()[0]
    tab.select(target.id)
    monkeypatch.setattr(document_kit, "ask_reason", lambda *_a: None)
    tab.remove_button.click()
    assert len(stored(ctx, patient_id)) == 2
    monkeypatch.setattr(document_kit, "ask_reason", lambda *_a: "  ")
    tab.remove_button.click()
    assert tab.banner.text() == "Reason: say why the document is removed."
    monkeypatch.setattr(document_kit, "ask_reason", lambda *_a: "Paciente equivocado")
    tab.remove_button.click()
    settle()
    assert [d.id for d in stored(ctx, patient_id)] != [] and target.id not in [
        d.id for d in stored(ctx, patient_id)
    ]
    assert target.id not in [d.id for d in tab.rows()] and len(tab.rows()) == 1
    assert "moved to the trash" in tab.banner.text()


def test_assistant_views_but_cannot_write(demo, patient_id, tmp_path, qtbot) -> None:
    doctor = make_ctx(demo, "medico")
    writer = DocumentsTab(doctor, patient_id)
    qtbot.addWidget(writer)
    attach_two(writer, tmp_path)
    ctx = make_ctx(demo, "asistente")
    tab = DocumentsTab(ctx, patient_id)
    qtbot.addWidget(tab)
    tab.refresh()
    assert len(tab.rows()) == 2
    assert tab.attach_button.isHidden() and tab.remove_button.isHidden()
    assert tab.details_button.isHidden() and not tab.view_button.isHidden()
    assert not tab.acceptDrops()
    tab.attach_files([str(tmp_path / "hemograma.pdf")], LAB)  # ignored without the right
    assert len(stored(doctor, patient_id)) == 2
    tab.select(tab.rows()[0].id)
    viewer = tab.view_selected()
    assert viewer is not None and viewer.document is not None
    qtbot.addWidget(viewer)


def test_reception_sees_the_refusal_not_the_documents(demo, patient_id, tmp_path, qtbot):
    doctor = make_ctx(demo, "medico")
    writer = DocumentsTab(doctor, patient_id)
    qtbot.addWidget(writer)
    attach_two(writer, tmp_path)
    ctx = make_ctx(demo, "recepcion")
    tab = DocumentsTab(ctx, patient_id)
    qtbot.addWidget(tab)
    tab.refresh()
    assert tab.rows() == []
    assert tab.banner.kind == "error" and "Your role does not allow" in tab.banner.text()
    viewer = DocumentViewerDialog(ctx, writer.rows()[0].id)
    qtbot.addWidget(viewer)
    assert viewer.pdf is None and viewer.image is None
    assert "Your role does not allow" in viewer.banner.text()
    assert not viewer.export_button.isEnabled()


# -- the patient photo in the editor ----------------------------------------------------------


@pytest.fixture
def patients(demo: CreatedClinic, qtbot: QtBot) -> PatientsPage:
    page = PatientsPage(make_ctx(demo, "recepcion"))
    qtbot.addWidget(page)
    page.refresh()
    return page


def test_photo_is_saved_with_the_patient_and_removed(patients, tmp_path) -> None:
    ctx, editor = patients._ctx, patients.editor
    patient = list_patients(ctx.uow(), actor=ctx.actor)[0][0]
    editor.load(patient)
    box: PhotoBox = editor.photo
    assert box.image is None and box.remove_button.isHidden()
    make_png(tmp_path / "cara.png", 1600, 1200, "#cc8844")
    assert box.use_file(str(tmp_path / "cara.png"))
    assert get_patient_photo(ctx.uow(), actor=ctx.actor, patient_id=patient.id) is None
    editor.save()
    settle()
    data = get_patient_photo(ctx.uow(), actor=ctx.actor, patient_id=patient.id)
    assert data is not None and data.startswith(b"\xff\xd8\xff")  # shrunk to a JPEG
    image = QImage.fromData(data)
    assert (image.width(), image.height()) == (640, 480)
    assert box.image is not None and box.pending is None
    editor.load(patient)  # reopened: the stored photo shows
    assert box.image is not None and not box.remove_button.isHidden()
    box.remove()
    editor.save()
    settle()
    assert get_patient_photo(ctx.uow(), actor=ctx.actor, patient_id=patient.id) is None


def test_a_new_patient_gets_the_photo_after_create(patients, tmp_path) -> None:
    ctx, editor = patients._ctx, patients.editor
    patients.new_patient()
    editor.first_names_edit.setText("Rosa")
    editor.last_names_edit.setText("Quishpe")
    assert editor.photo.picture.toolTip() == "No photo"
    make_png(tmp_path / "rosa.png", 300, 400)
    editor.photo.use_file(str(tmp_path / "rosa.png"))
    editor.save()
    settle()
    created = editor.patient
    assert created is not None
    data = get_patient_photo(ctx.uow(), actor=ctx.actor, patient_id=created.id)
    assert data is not None and QImage.fromData(data).size().toTuple() == (300, 400)


def test_not_a_picture_is_refused_at_once(patients, tmp_path) -> None:
    editor = patients.editor
    patient = list_patients(editor._ctx.uow(), actor=editor._ctx.actor)[0][0]
    editor.load(patient)
    (tmp_path / "nota.jpg").write_text("no soy una foto")
    assert not editor.photo.use_file(str(tmp_path / "nota.jpg"))
    assert editor.banner.text().startswith("Photo: this file is not a picture")
    assert editor.photo.pending is None


def test_assistant_sees_the_photo_without_buttons(demo, tmp_path, qtbot) -> None:
    reception = make_ctx(demo, "recepcion")
    patient = list_patients(reception.uow(), actor=reception.actor)[0][0]
    from clinic_desktop.services.patient_photo import set_patient_photo

    set_patient_photo(
        reception.uow(), actor=reception.actor, patient_id=patient.id,
        data=make_png(tmp_path / "p.png"),
    )  # fmt: skip
    page = PatientsPage(make_ctx(demo, "asistente"))
    qtbot.addWidget(page)
    page.editor.load(patient)
    assert page.editor.photo.image is not None
    assert page.editor.photo.choose_button.isHidden()
    assert page.editor.photo.remove_button.isHidden()
