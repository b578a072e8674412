"""The owner's export action and the letterhead logo box. Export: the chosen folder gets a new
"record-<chart>-<date>" subfolder with the PDF, the FHIR bundle and the documents, and the user
is told which files; a second export gets its own folder; cancelling the folder choice does
nothing; a doctor is refused with the service's message and nothing is written. Logo: the
owner sets a PNG (shown in the box, stored, audited by its hash), a file that is not an image
is refused beside the box and changes nothing, removing asks first; the box is only on the
settings page of those who may change settings."""

from __future__ import annotations

import hashlib
import io
import json
from datetime import date
from pathlib import Path

import pytest
from PIL import Image
from PySide6.QtWidgets import QWidget
from pytestqt.qtbot import QtBot
from sqlalchemy import select
from support.clinical_print_data import SYSTEM, seed_record
from ui.screens_helpers import make_ctx

from clinic_desktop.models.audit import AuditEntry
from clinic_desktop.services.clinic_info import get_clinic_logo
from clinic_desktop.ui.patients import export_action
from clinic_desktop.ui.settings import SettingsPage
from clinic_desktop.ui.settings.logo_box import LogoBox
from clinic_desktop.ui.widgets import messages, screen_kit


@pytest.fixture
def told(monkeypatch: pytest.MonkeyPatch) -> list[tuple[str, str]]:
    said: list[tuple[str, str]] = []
    monkeypatch.setattr(screen_kit, "inform", lambda _p, title, text: said.append((title, text)))
    monkeypatch.setattr(
        messages, "show_error", lambda _p, text, title=None: said.append((title or "", text))
    )
    return said


def test_the_owner_exports_into_a_new_subfolder(demo, qtbot: QtBot, tmp_path: Path, told):
    record = seed_record(demo.db)
    ctx = make_ctx(demo, "duena")
    parent = QWidget()
    qtbot.addWidget(parent)
    export_action.export_to_folder(ctx, parent, record.patient_id, tmp_path)
    folder = tmp_path / f"record-{record.chart_number}-{date.today().isoformat()}"
    files = sorted(str(p.relative_to(folder)) for p in folder.rglob("*") if p.is_file())
    assert files == sorted(
        [
            f"{record.chart_number}-record.pdf",
            f"{record.chart_number}-fhir-r4.json",
            "documents/2026-02-10-garganta.png",
            "documents/2026-02-12-cultivo faríngeo.pdf",
        ]
    )
    title, text = told[-1]
    assert title == "Record exported"
    assert "José Pérez Núñez" in text and str(folder) in text
    assert f"• {record.chart_number}-fhir-r4.json" in text
    assert "2 attached documents." in text
    json.loads((folder / f"{record.chart_number}-fhir-r4.json").read_text(encoding="utf-8"))
    # A second export the same day goes to a folder of its own.
    export_action.export_to_folder(ctx, parent, record.patient_id, tmp_path)
    assert (tmp_path / f"{folder.name}-2" / f"{record.chart_number}-record.pdf").exists()


def test_choosing_no_folder_exports_nothing(demo, qtbot: QtBot, tmp_path: Path, told, monkeypatch):
    record = seed_record(demo.db)
    ctx = make_ctx(demo, "duena")
    parent = QWidget()
    qtbot.addWidget(parent)
    monkeypatch.setattr(screen_kit, "choose_folder", lambda *args: "")
    export_action.export_patient_record(ctx, parent, record.patient_id)
    assert told == []
    usb = tmp_path / "usb"
    usb.mkdir()
    monkeypatch.setattr(screen_kit, "choose_folder", lambda *args: str(usb))
    export_action.export_patient_record(ctx, parent, record.patient_id)
    assert told[-1][0] == "Record exported"
    assert len(list(usb.iterdir())) == 1


def test_a_doctor_is_refused_and_nothing_is_written(demo, qtbot: QtBot, tmp_path: Path, told):
    record = seed_record(demo.db)
    ctx = make_ctx(demo, "medico")
    parent = QWidget()
    qtbot.addWidget(parent)
    usb = tmp_path / "usb"
    usb.mkdir()
    export_action.export_to_folder(ctx, parent, record.patient_id, usb)
    title, text = told[-1]
    assert title == "The record was not exported"
    assert "Export a patient's whole record" in text
    assert list(usb.iterdir()) == []


def png_file(path: Path) -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (200, 80), (31, 95, 139)).save(buffer, "PNG")
    path.write_bytes(buffer.getvalue())
    return buffer.getvalue()


def test_the_owner_sets_and_removes_the_logo(demo, qtbot: QtBot, tmp_path: Path, monkeypatch):
    ctx = make_ctx(demo, "duena")
    page = SettingsPage(ctx)
    qtbot.addWidget(page)
    page.refresh()
    box = page.logo_box
    assert isinstance(box, LogoBox)
    assert box.logo is None and not box.remove_button.isEnabled()

    data = png_file(tmp_path / "logo.png")
    monkeypatch.setattr(screen_kit, "choose_file", lambda *args: str(tmp_path / "logo.png"))
    box.choose_button.click()
    assert get_clinic_logo(ctx.uow(), actor=ctx.actor) == data
    assert not box.preview.pixmap().isNull()
    assert box.banner.text() == "Logo saved; new documents print it."
    with demo.db.uow().transaction(SYSTEM) as session:
        entry = session.scalars(
            select(AuditEntry).where(AuditEntry.entity == "Clinic").order_by(AuditEntry.seq.desc())
        ).first()
        assert entry is not None and entry.user_name == "duena"
        assert json.loads(entry.changes)["logo"]["new"] == hashlib.sha256(data).hexdigest()

    (tmp_path / "notes.png").write_text("not an image")
    box.set_logo_from_file(tmp_path / "notes.png")
    assert box.banner.text() == "Logo: the file is not a PNG or JPEG image."
    assert get_clinic_logo(ctx.uow(), actor=ctx.actor) == data

    monkeypatch.setattr(screen_kit, "confirm", lambda *args: False)
    box.remove_button.click()
    assert get_clinic_logo(ctx.uow(), actor=ctx.actor) == data
    monkeypatch.setattr(screen_kit, "confirm", lambda *args: True)
    box.remove_button.click()
    assert get_clinic_logo(ctx.uow(), actor=ctx.actor) is None
    assert box.preview.pixmap().isNull() and not box.remove_button.isEnabled()


def test_the_logo_box_is_only_for_those_who_manage_settings(demo, qtbot: QtBot):
    for username, has_box in (("duena", True), ("soporte", True), ("medico", False)):
        page = SettingsPage(make_ctx(demo, username))
        qtbot.addWidget(page)
        assert (page.logo_box is not None) == has_box, username
