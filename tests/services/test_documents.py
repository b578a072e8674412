"""Patient documents against a real demo clinic: the type is judged by content (a PNG named
.pdf is a PNG; text is refused), the size limit follows the setting, duplicates are refused,
roles without clinical access are refused and nothing changes, viewing and exporting are
audited with the document's id, listing never reads the bytes, removal keeps them, and the
database files on disk never hold a document's bytes in clear."""

from __future__ import annotations

import io
import json
import struct
import uuid
import zlib
from datetime import date, timedelta
from pathlib import Path

import pytest
from reportlab.pdfgen import canvas
from sqlalchemy import event, func, select

from clinic_desktop.actor import Actor
from clinic_desktop.db.audit_log import REDACTED
from clinic_desktop.errors import ConcurrentEditError, NotFound, PermissionDenied, ValidationError
from clinic_desktop.models.audit import AuditEntry
from clinic_desktop.models.document import DocumentContent, PatientDocument
from clinic_desktop.services.auth import sign_in
from clinic_desktop.services.demo import DEMO_PASSWORD
from clinic_desktop.services.documents import (
    DocumentCategory,
    attach_document,
    export_document,
    list_documents,
    open_document,
    remove_document,
    update_document_details,
)
from clinic_desktop.services.patient_admin import list_patients
from clinic_desktop.services.settings import update_settings
from clinic_desktop.services.trash import restore_record

SYSTEM = Actor.system("tests")
TODAY = date(2026, 3, 10)
MARKER = "ZEBRA-QUOKKA-7731"


def png_bytes(seed: int = 0, width: int = 4, height: int = 3) -> bytes:
    """A real, tiny PNG whose pixels depend on `seed` (so each one has its own checksum)."""
    row = bytes([0]) + bytes((seed + x) % 256 for x in range(width * 3))
    raw = row * height
    ihdr = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)

    def chunk(kind: bytes, body: bytes) -> bytes:
        crc = zlib.crc32(kind + body) & 0xFFFFFFFF
        return struct.pack(">I", len(body)) + kind + body + struct.pack(">I", crc)

    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", ihdr)
        + chunk(b"IDAT", zlib.compress(raw))
        + chunk(b"IEND", b"")
    )


def pdf_bytes(text: str = MARKER, pages: int = 1) -> bytes:
    """A PDF whose page stream is not compressed, so `text` is in its bytes verbatim."""
    out = io.BytesIO()
    pdf = canvas.Canvas(out, pageCompression=0, invariant=1)
    for page in range(pages):
        pdf.drawString(72, 720, f"{text} page {page + 1}")
        pdf.showPage()
    pdf.save()
    return out.getvalue()


def actor(demo, username: str) -> Actor:
    user = sign_in(demo.db.uow(), username=username, password=DEMO_PASSWORD)
    return Actor.for_user(user.id, user.username)


@pytest.fixture
def patient_id(demo):
    """A demo patient with no documents yet (the demo attaches a few to some charts)."""
    with demo.db.uow().transaction(SYSTEM) as session:
        taken = set(session.scalars(select(PatientDocument.patient_id)))
    return next(p.id for p in list_patients(demo.db.uow(), actor=SYSTEM)[0] if p.id not in taken)


@pytest.fixture
def doctor(demo) -> Actor:
    return actor(demo, "medico")


def attach(demo, who: Actor, patient_id, data: bytes, name: str = "scan.pdf", **kw):
    options = {
        "category": DocumentCategory.LAB,
        "document_date": TODAY - timedelta(days=2),
        "description": "",
        "today": TODAY,
    }
    options.update(kw)
    return attach_document(
        demo.db.uow(), actor=who, patient_id=patient_id, file_name=name, data=data, **options
    )


def counts(demo) -> tuple[int, int]:
    with demo.db.uow().transaction(SYSTEM) as session:
        docs = session.scalar(select(func.count()).select_from(PatientDocument))
        contents = session.scalar(select(func.count()).select_from(DocumentContent))
        return int(docs or 0), int(contents or 0)


def audit_rows(demo, action: str) -> list[AuditEntry]:
    with demo.db.uow().transaction(SYSTEM) as session:
        return list(
            session.scalars(
                select(AuditEntry).where(AuditEntry.action == action).order_by(AuditEntry.seq)
            )
        )


def test_attach_then_list_and_open_round_trip(demo, doctor, patient_id) -> None:
    data = pdf_bytes()
    made = attach(demo, doctor, patient_id, data, name="C:\\scans\\hemograma.pdf",
                  description="  Hemograma   completo ")  # fmt: skip
    assert made.mime_type == "application/pdf" and made.size_bytes == len(data)
    assert made.file_name == "hemograma.pdf" and made.description == "Hemograma completo"
    assert made.added_by == "Dr. Andrés Paredes" and made.category == "lab"
    listed = list_documents(demo.db.uow(), actor=doctor, patient_id=patient_id)
    assert [d.id for d in listed] == [made.id]
    opened = open_document(demo.db.uow(), actor=doctor, document_id=made.id)
    assert opened.data == data and opened.meta == listed[0]


def test_type_is_judged_by_content_not_by_name(demo, doctor, patient_id) -> None:
    made = attach(demo, doctor, patient_id, png_bytes(), name="radiografia.pdf")
    assert made.mime_type == "image/png"
    assert made.suggested_file_name == "radiografia.png"
    jpeg = b"\xff\xd8\xff\xe0" + b"\x00\x10JFIF" + bytes(200)
    assert attach(demo, doctor, patient_id, jpeg, name="foto").mime_type == "image/jpeg"
    before = counts(demo)
    for data, kind in (
        (b"Resultados: glucosa 90 mg/dl\n", "a text file"),
        (b"PK\x03\x04" + bytes(100), "a ZIP archive or an Office document"),
        (b"GIF89a" + bytes(100), "a GIF image"),
    ):
        with pytest.raises(ValidationError) as refused:
            attach(demo, doctor, patient_id, data, name="informe.pdf")
        assert refused.value.field == "file"
        assert refused.value.message == (
            f"File: only PDF, PNG or JPEG files can be attached (this one is {kind})."
        )
    assert counts(demo) == before


def test_empty_file_and_size_limit_from_the_setting(demo, doctor, patient_id) -> None:
    before = counts(demo)
    with pytest.raises(ValidationError, match="empty"):
        attach(demo, doctor, patient_id, b"")
    update_settings(demo.db.uow(), actor=SYSTEM, changes={"documents.max_mb": 1})
    big = pdf_bytes() + b"%" + bytes(1024 * 1024)  # a valid header, just over 1 MB
    with pytest.raises(ValidationError) as refused:
        attach(demo, doctor, patient_id, big)
    assert "the largest allowed is 1 MB" in refused.value.message
    assert counts(demo) == before
    update_settings(demo.db.uow(), actor=SYSTEM, changes={"documents.max_mb": 2})
    assert attach(demo, doctor, patient_id, big).size_bytes == len(big)


def test_same_file_twice_is_refused_but_another_patient_may_have_it(
    demo, doctor, patient_id
) -> None:
    patients = list_patients(demo.db.uow(), actor=SYSTEM)[0]
    first, second = patient_id, next(p.id for p in patients if p.id != patient_id)
    data = pdf_bytes()
    attach(demo, doctor, first, data, description="Hemograma", document_date=date(2026, 3, 1))
    with pytest.raises(ValidationError) as refused:
        attach(demo, doctor, first, data, name="copia.pdf")
    assert refused.value.message == "File: this file is already attached (Hemograma of 01/03/2026)."
    assert len(list_documents(demo.db.uow(), actor=doctor, patient_id=first)) == 1
    attach(demo, doctor, second, data)


def test_details_are_validated(demo, doctor, patient_id) -> None:
    before = counts(demo)
    with pytest.raises(ValidationError) as refused:
        attach(demo, doctor, patient_id, pdf_bytes(), document_date=TODAY + timedelta(days=1))
    assert refused.value.field == "document_date"
    assert refused.value.message == "Date of the document: it cannot be in the future."
    with pytest.raises(ValidationError) as refused:
        attach(demo, doctor, patient_id, pdf_bytes(), category="xray")
    assert refused.value.field == "category"
    with pytest.raises(ValidationError) as refused:
        attach(demo, doctor, patient_id, pdf_bytes(), description="x" * 501)
    assert refused.value.field == "description"
    assert refused.value.message == "Description: at most 500 characters."
    with pytest.raises(NotFound):
        attach(demo, doctor, uuid.uuid4(), pdf_bytes())
    assert counts(demo) == before


def test_list_is_newest_first_and_never_reads_the_bytes(demo, doctor, patient_id) -> None:
    with demo.db.uow().transaction(SYSTEM) as session:
        for n in range(200):
            doc = PatientDocument(
                patient_id=patient_id,
                category="lab",
                document_date=date(2020, 1, 1) + timedelta(days=n),
                description=f"Doc {n}",
                file_name=f"doc{n}.png",
                mime_type="image/png",
                size_bytes=10,
                sha256=f"{n:064x}",
            )
            session.add(doc)
            session.flush()
            session.add(DocumentContent(document_id=doc.id, data=png_bytes(n)))
    statements: list[str] = []

    def remember(_conn, _cursor, statement, *_args) -> None:
        statements.append(statement)

    event.listen(demo.db.engine, "before_cursor_execute", remember)
    try:
        listed = list_documents(demo.db.uow(), actor=doctor, patient_id=patient_id)
    finally:
        event.remove(demo.db.engine, "before_cursor_execute", remember)
    assert len(listed) == 200
    assert [d.description for d in listed[:2]] == ["Doc 199", "Doc 198"]
    assert listed[-1].description == "Doc 0"
    assert any("patient_documents" in s for s in statements)
    assert not [s for s in statements if "document_contents" in s]


def test_roles_without_clinical_access_are_refused(demo, doctor, patient_id) -> None:
    made = attach(demo, doctor, patient_id, pdf_bytes())
    before = counts(demo)
    reception, assistant, support = (actor(demo, u) for u in ("recepcion", "asistente", "soporte"))
    for who in (reception, support):
        with pytest.raises(PermissionDenied):
            list_documents(demo.db.uow(), actor=who, patient_id=patient_id)
        with pytest.raises(PermissionDenied):
            open_document(demo.db.uow(), actor=who, document_id=made.id)
        with pytest.raises(PermissionDenied):
            export_document(demo.db.uow(), actor=who, document_id=made.id)
    # The assistant reads documents but may not attach, edit or remove one.
    assert open_document(demo.db.uow(), actor=assistant, document_id=made.id).data
    with pytest.raises(PermissionDenied):
        attach(demo, assistant, patient_id, png_bytes(9))
    with pytest.raises(PermissionDenied):
        update_document_details(
            demo.db.uow(), actor=assistant, document_id=made.id, expected_version=made.version,
            category="other", document_date=TODAY, description="x", today=TODAY,
        )  # fmt: skip
    with pytest.raises(PermissionDenied):
        remove_document(demo.db.uow(), actor=assistant, document_id=made.id, reason="wrong")
    assert counts(demo) == before
    [still] = list_documents(demo.db.uow(), actor=doctor, patient_id=patient_id)
    assert still == made


def test_view_and_export_are_audited_with_the_document(demo, doctor, patient_id) -> None:
    made = attach(demo, doctor, patient_id, pdf_bytes(), description="Serología VIH")
    reads_before = len(audit_rows(demo, "read"))
    open_document(demo.db.uow(), actor=doctor, document_id=made.id)
    exported = export_document(demo.db.uow(), actor=doctor, document_id=made.id)
    assert exported.data == pdf_bytes()
    reads = audit_rows(demo, "read")[reads_before:]
    assert [(r.entity, r.entity_id, r.user_name) for r in reads] == [
        ("PatientDocument", str(made.id), "medico")
    ]
    assert json.loads(reads[0].changes) == {"patient_id": str(patient_id), "what": "document view"}
    [export] = audit_rows(demo, "export")[-1:]
    assert (export.entity, export.entity_id) == ("PatientDocument", str(made.id))
    assert json.loads(export.changes)["what"] == "document export"
    list_documents(demo.db.uow(), actor=doctor, patient_id=patient_id)
    last = audit_rows(demo, "read")[-1]
    assert json.loads(last.changes)["what"] == "documents"
    # The bytes are never copied into the trail, and the description is redacted.
    [created] = [
        r
        for r in audit_rows(demo, "create")
        if r.entity == "DocumentContent" and json.loads(r.changes)["document_id"] == str(made.id)
    ]
    assert "data" not in json.loads(created.changes)
    [document] = [
        r
        for r in audit_rows(demo, "create")
        if (r.entity, r.entity_id) == ("PatientDocument", str(made.id))
    ]
    assert json.loads(document.changes)["description"] == REDACTED
    assert "Serología" not in document.changes


def test_update_details_checks_the_version(demo, doctor, patient_id) -> None:
    made = attach(demo, doctor, patient_id, pdf_bytes())
    changed = update_document_details(
        demo.db.uow(), actor=doctor, document_id=made.id, expected_version=made.version,
        category=DocumentCategory.IMAGING, document_date=date(2026, 1, 5),
        description="Ecografía abdominal", today=TODAY,
    )  # fmt: skip
    assert (changed.category, changed.document_date, changed.description) == (
        "imaging",
        date(2026, 1, 5),
        "Ecografía abdominal",
    )
    assert changed.version == made.version + 1
    with pytest.raises(ConcurrentEditError):
        update_document_details(
            demo.db.uow(), actor=doctor, document_id=made.id, expected_version=made.version,
            category="other", document_date=TODAY, description="stale", today=TODAY,
        )  # fmt: skip
    [now] = list_documents(demo.db.uow(), actor=doctor, patient_id=patient_id)
    assert now.description == "Ecografía abdominal"


def test_remove_needs_a_reason_keeps_the_bytes_and_can_be_restored(demo, doctor, patient_id):
    data = pdf_bytes()
    made = attach(demo, doctor, patient_id, data)
    with pytest.raises(ValidationError) as refused:
        remove_document(demo.db.uow(), actor=doctor, document_id=made.id, reason="   ")
    assert refused.value.field == "reason"
    remove_document(demo.db.uow(), actor=doctor, document_id=made.id, reason="Wrong patient")
    assert list_documents(demo.db.uow(), actor=doctor, patient_id=patient_id) == []
    with pytest.raises(NotFound):
        open_document(demo.db.uow(), actor=doctor, document_id=made.id)
    with demo.db.uow().transaction(SYSTEM) as session:
        stored = session.scalar(
            select(DocumentContent.data).where(DocumentContent.document_id == made.id)
        )
        assert stored == data
    [removed] = audit_rows(demo, "document.removed")[-1:]
    assert json.loads(removed.changes)["reason"] == "Wrong patient"
    # Once removed, the same file may be attached again; and the trash brings the old one back.
    restore_record(demo.db.uow(), actor=SYSTEM, entity="PatientDocument", entity_id=str(made.id))
    assert open_document(demo.db.uow(), actor=doctor, document_id=made.id).data == data


def test_database_files_never_hold_the_bytes_in_clear(demo, doctor, patient_id) -> None:
    data = pdf_bytes(MARKER, pages=2)
    assert MARKER.encode() in data  # the test would see it if it were stored in clear
    attach(demo, doctor, patient_id, data, description=f"Informe {MARKER}")
    open_document(
        demo.db.uow(),
        actor=doctor,
        document_id=list_documents(demo.db.uow(), actor=doctor, patient_id=patient_id)[0].id,
    )
    demo.db.close()
    database: Path = demo.db.path
    files = [p for p in database.parent.iterdir() if p.name.startswith(database.name)]
    assert database in files
    for path in files:
        raw = path.read_bytes()
        assert MARKER.encode() not in raw, path.name
        assert b"%PDF-" not in raw, path.name
