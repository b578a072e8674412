"""A patient's documents (lab results, imaging, referrals, scans): attaching a file with its
category, date and description, listing them, opening one to view it and exporting one on
purpose, editing the details and moving one to the trash. The type of a file is decided by its
content (its first bytes), never by its name; the bytes go into the encrypted database
(`DocumentContent`) and are read only when a document is opened or exported, each time with an
audit entry naming the document. Listing reads the metadata table alone."""

from __future__ import annotations

import hashlib
import re
import uuid
from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from clinic_desktop.actor import Actor
from clinic_desktop.db.audit_log import append_audit
from clinic_desktop.db.uow import UnitOfWork
from clinic_desktop.errors import NotFound, StorageError, ValidationError
from clinic_desktop.i18n import N_, _
from clinic_desktop.models.document import DocumentCategory, DocumentContent, PatientDocument
from clinic_desktop.models.encounter import Encounter
from clinic_desktop.models.permissions import Permission
from clinic_desktop.services.access import require
from clinic_desktop.services.agenda_rules import clinic_zone
from clinic_desktop.services.clinical_common import (
    announce,
    audit_clinical_read,
    load_patient,
    load_record,
    name_of,
    user_names,
)
from clinic_desktop.services.clinical_dto import clean_text, past_date
from clinic_desktop.services.concurrency import check_version
from clinic_desktop.services.patient_admin import ensure_not_anonymised
from clinic_desktop.services.settings import read_settings

__all__ = ["DocumentCategory"]

# What may be attached, by MIME type, with the extension an exported copy gets. Kept to what
# the viewer shows everywhere (QtPdf; Qt's built-in PNG and JPEG readers): WEBP, GIF and TIFF
# decode on a developer's PC but need image plug-ins an installation may lack.
ALLOWED_DOCUMENT_TYPES: dict[str, str] = {
    "application/pdf": ".pdf",
    "image/png": ".png",
    "image/jpeg": ".jpg",
}
# The pictures among them: what a patient photo (and a letterhead logo) may be.
PICTURE_TYPES = ("image/png", "image/jpeg")
CATEGORY_LABELS: dict[str, str] = {
    DocumentCategory.LAB: N_("Lab results"),
    DocumentCategory.IMAGING: N_("Imaging"),
    DocumentCategory.REFERRAL: N_("Referral"),
    DocumentCategory.REPORT: N_("Report"),
    DocumentCategory.CONSENT: N_("Consent"),
    DocumentCategory.PRESCRIPTION: N_("Prescription"),
    DocumentCategory.OTHER: N_("Other"),
}
DESCRIPTION_LIMIT = 500
REASON_LIMIT = 300
_NAME_LIMIT = 255
_MB = 1024 * 1024
_CONTROL = re.compile(r"[\x00-\x1f\x7f]")


def category_label(code: str) -> str:
    return _(CATEGORY_LABELS[code]) if code in CATEGORY_LABELS else code


@dataclass(frozen=True)
class DocumentDTO:
    """A document's details without its bytes."""

    id: uuid.UUID
    patient_id: uuid.UUID
    encounter_id: uuid.UUID | None
    category: str
    document_date: date
    description: str
    file_name: str
    mime_type: str
    size_bytes: int
    sha256: str
    added_at: datetime
    added_by: str
    version: int

    @property
    def is_pdf(self) -> bool:
        return self.mime_type == "application/pdf"

    @property
    def title(self) -> str:
        return self.description or self.file_name

    @property
    def suggested_file_name(self) -> str:
        """The stored name with the extension its content really has (a PNG sent as
        "scan.pdf" is exported as "scan.png", so it opens in the right program)."""
        extension = ALLOWED_DOCUMENT_TYPES.get(self.mime_type, "")
        stem, dot, current = self.file_name.rpartition(".")
        if not dot or not stem:
            stem, current = self.file_name, ""
        fitting = {".jpg", ".jpeg"} if extension == ".jpg" else {extension}
        if "." + current.lower() in fitting:
            return self.file_name
        return stem + extension


@dataclass(frozen=True)
class DocumentContentDTO:
    meta: DocumentDTO
    data: bytes


# -- content sniffing ------------------------------------------------------------------------


def sniff_type(data: bytes) -> str | None:
    """The MIME type of an allowed file, judged by its first bytes, or None."""
    if data.startswith(b"\x89PNG\r\n\x1a\n"):
        return "image/png"
    if data.startswith(b"\xff\xd8\xff"):
        return "image/jpeg"
    # The PDF header may follow a few bytes of junk (some scanners add them); readers accept
    # it anywhere in the first kilobyte.
    if b"%PDF-" in data[:1024]:
        return "application/pdf"
    return None


def describe_kind(data: bytes) -> str:
    """What a refused file looks like, for the message ("this one is …")."""
    head = data[:16]
    if head.startswith(b"PK\x03\x04"):
        return _("a ZIP archive or an Office document")
    if head.startswith(b"\xd0\xcf\x11\xe0"):
        return _("an old Office document")
    if head.startswith((b"II*\x00", b"MM\x00*")):
        return _("a TIFF image")
    if head.startswith((b"GIF87a", b"GIF89a")):
        return _("a GIF image")
    if head.startswith(b"RIFF") and head[8:12] == b"WEBP":
        return _("a WEBP image")
    if head[4:8] == b"ftyp" and head[8:12] in (b"heic", b"heix", b"mif1", b"msf1"):
        return _("a HEIC photo")
    if head.startswith(b"BM"):
        return _("a BMP image")
    sample = data[:4096]
    if b"\x00" not in sample:
        try:
            sample.decode("utf-8")
        except UnicodeDecodeError:
            pass
        else:
            return _("a text file")
    return _("a file of unknown type")


def megabytes(size: int) -> str:
    return f"{size / _MB:.1f}"


def sha256_of(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


# -- helpers -----------------------------------------------------------------------------


def clean_file_name(name: str, *, fallback: str) -> str:
    """The file's own name without its folders or control characters (`fallback` when nothing
    is left), shortened to the column's length keeping its extension. Receipts use it too."""
    base = _CONTROL.sub("", re.split(r"[\\/]", name.strip())[-1]).strip() or fallback
    if len(base) <= _NAME_LIMIT:
        return base
    stem, dot, extension = base.rpartition(".")
    if dot and stem and len(extension) <= 10:
        return stem[: _NAME_LIMIT - len(extension) - 1] + "." + extension
    return base[:_NAME_LIMIT]


def _clean_details(
    session: Session, category: str, document_date: date, description: str, today: date | None
) -> tuple[str, str]:
    if category not in CATEGORY_LABELS:
        raise ValidationError(_("Category: choose one from the list."), field="category")
    past_date(
        document_date,
        field="document_date",
        label=_("Date of the document"),
        today=today or datetime.now(clinic_zone(session)).date(),
    )
    text = clean_text(
        description, field="description", label=_("Description"), limit=DESCRIPTION_LIMIT
    )
    return str(category), text


def max_document_bytes(session: Session) -> int:
    return int(read_settings(session)["documents.max_mb"]) * _MB


def too_large(size: int, limit: int) -> ValidationError:
    """The refusal of a file over the size limit (the UI raises it too, before reading)."""
    return ValidationError(
        _(
            "File: it is {size} MB; the largest allowed is {limit} MB (setting “Largest "
            "document (MB)”)."
        ).format(size=megabytes(size), limit=limit // _MB),
        field="file",
    )


def check_content(session: Session, data: bytes) -> str:
    """The MIME type of a file that may be stored (a document, a receipt); an empty one, one
    over the size setting or one not a PDF, PNG or JPEG by its content is refused."""
    if not data:
        raise ValidationError(_("File: it is empty (0 bytes)."), field="file")
    limit = max_document_bytes(session)
    if len(data) > limit:
        raise too_large(len(data), limit)
    mime = sniff_type(data)
    if mime is None:
        raise ValidationError(
            _("File: only PDF, PNG or JPEG files can be attached (this one is {kind}).").format(
                kind=describe_kind(data)
            ),
            field="file",
        )
    return mime


def _live_document(session: Session, document_id: uuid.UUID) -> PatientDocument:
    return load_record(
        session,
        PatientDocument,
        document_id,
        missing=_("This document is no longer in the record (it may be in the trash)."),
    )


def _dto(document: PatientDocument, names: dict[uuid.UUID, str]) -> DocumentDTO:
    return DocumentDTO(
        id=document.id,
        patient_id=document.patient_id,
        encounter_id=document.encounter_id,
        category=document.category,
        document_date=document.document_date,
        description=document.description,
        file_name=document.file_name,
        mime_type=document.mime_type,
        size_bytes=document.size_bytes,
        sha256=document.sha256,
        added_at=document.created_at,
        added_by=name_of(names, document.created_by),
        version=document.version,
    )


def _one_dto(session: Session, document: PatientDocument) -> DocumentDTO:
    return _dto(document, user_names(session, [document.created_by]))


# -- services ----------------------------------------------------------------------------


def document_size_limit(uow: UnitOfWork, *, actor: Actor) -> int:
    """The largest file that may be attached, in bytes (so the UI need not read a huge file
    only to have it refused)."""
    with uow.transaction(actor) as session:
        require(session, actor, Permission.CLINICAL_WRITE)
        return max_document_bytes(session)


def attach_document(
    uow: UnitOfWork,
    *,
    actor: Actor,
    patient_id: uuid.UUID,
    file_name: str,
    data: bytes,
    category: DocumentCategory | str,
    document_date: date,
    description: str = "",
    encounter_id: uuid.UUID | None = None,
    today: date | None = None,
) -> DocumentDTO:
    with uow.transaction(actor) as session:
        require(session, actor, Permission.CLINICAL_WRITE)
        ensure_not_anonymised(load_patient(session, patient_id))
        category, text = _clean_details(session, category, document_date, description, today)
        mime = check_content(session, data)
        digest = sha256_of(data)
        twin = session.scalar(
            select(PatientDocument).where(
                PatientDocument.patient_id == patient_id,
                PatientDocument.sha256 == digest,
                PatientDocument.deleted_at.is_(None),
            )
        )
        if twin is not None:
            raise ValidationError(
                _("File: this file is already attached ({name} of {date}).").format(
                    name=twin.description or twin.file_name,
                    date=twin.document_date.strftime("%d/%m/%Y"),
                ),
                field="file",
            )
        if encounter_id is not None:
            encounter = session.get(Encounter, encounter_id)
            if encounter is None or encounter.is_deleted or encounter.patient_id != patient_id:
                raise ValidationError(
                    _("Consultation: it is not one of this patient's."), field="encounter_id"
                )
        document = PatientDocument(
            patient_id=patient_id,
            encounter_id=encounter_id,
            category=category,
            document_date=document_date,
            description=text,
            file_name=clean_file_name(file_name, fallback=_("document")),
            mime_type=mime,
            size_bytes=len(data),
            sha256=digest,
        )
        session.add(document)
        session.flush()
        session.add(DocumentContent(document_id=document.id, data=data))
        session.flush()
        announce(uow, patient_id, "documents")
        return _one_dto(session, document)


def list_documents(uow: UnitOfWork, *, actor: Actor, patient_id: uuid.UUID) -> list[DocumentDTO]:
    """The patient's documents, newest document date first. Only the metadata table is
    queried: a chart with hundreds of scans opens without reading one of them."""
    with uow.transaction(actor) as session:
        require(session, actor, Permission.CLINICAL_READ)
        load_patient(session, patient_id)
        rows = list(
            session.scalars(
                select(PatientDocument)
                .where(
                    PatientDocument.patient_id == patient_id,
                    PatientDocument.deleted_at.is_(None),
                )
                .order_by(PatientDocument.document_date.desc(), PatientDocument.created_at.desc())
            )
        )
        names = user_names(session, [r.created_by for r in rows])
        audit_clinical_read(session, actor, patient_id=patient_id, what="documents")
        return [_dto(r, names) for r in rows]


def _read_content(
    session: Session, actor: Actor, document_id: uuid.UUID
) -> tuple[PatientDocument, bytes]:
    """A live document and its bytes, checked against the checksum taken when attached."""
    require(session, actor, Permission.CLINICAL_READ)
    document = _live_document(session, document_id)
    if load_patient(session, document.patient_id).is_anonymised:
        raise NotFound(_("This document's content was erased when the patient was anonymised."))
    data = session.scalar(
        select(DocumentContent.data).where(DocumentContent.document_id == document.id)
    )
    if data is None:
        raise NotFound(_("The content of this document is missing from the database."))
    if sha256_of(data) != document.sha256:
        raise StorageError(
            _(
                "The content of this document does not match the checksum taken when it was "
                "attached. Restore it from a backup."
            )
        )
    return document, data


def open_document(uow: UnitOfWork, *, actor: Actor, document_id: uuid.UUID) -> DocumentContentDTO:
    """The document and its bytes, to be shown from memory; audited as a view."""
    with uow.transaction(actor) as session:
        document, data = _read_content(session, actor, document_id)
        audit_clinical_read(
            session,
            actor,
            patient_id=document.patient_id,
            what="document view",
            entity="PatientDocument",
            entity_id=document.id,
        )
        return DocumentContentDTO(meta=_one_dto(session, document), data=data)


def export_document(uow: UnitOfWork, *, actor: Actor, document_id: uuid.UUID) -> DocumentContentDTO:
    """The bytes for a copy outside the database, which the user asked for on purpose; the
    audit entry says the document left the record, not only that it was seen."""
    with uow.transaction(actor) as session:
        document, data = _read_content(session, actor, document_id)
        append_audit(
            session,
            actor=actor,
            action="export",
            entity="PatientDocument",
            entity_id=str(document.id),
            changes={"patient_id": str(document.patient_id), "what": "document export"},
        )
        return DocumentContentDTO(meta=_one_dto(session, document), data=data)


def update_document_details(
    uow: UnitOfWork,
    *,
    actor: Actor,
    document_id: uuid.UUID,
    expected_version: int,
    category: DocumentCategory | str,
    document_date: date,
    description: str,
    today: date | None = None,
) -> DocumentDTO:
    with uow.transaction(actor) as session:
        require(session, actor, Permission.CLINICAL_WRITE)
        document = _live_document(session, document_id)
        check_version(session, document, expected_version)
        category, text = _clean_details(session, category, document_date, description, today)
        document.category = category
        document.document_date = document_date
        document.description = text
        session.flush()
        announce(uow, document.patient_id, "documents")
        return _one_dto(session, document)


def remove_document(uow: UnitOfWork, *, actor: Actor, document_id: uuid.UUID, reason: str) -> None:
    """Moves the document to the trash: its bytes stay in the database and the trash screen
    can restore it. The reason goes into the audit trail next to the removal."""
    if not reason.split():
        raise ValidationError(_("Reason: say why the document is removed."), field="reason")
    text = clean_text(reason, field="reason", label=_("Reason"), limit=REASON_LIMIT)
    with uow.transaction(actor) as session:
        require(session, actor, Permission.CLINICAL_WRITE)
        document = _live_document(session, document_id)
        document.soft_delete(by=actor.user_id)
        session.flush()
        append_audit(
            session,
            actor=actor,
            action="document.removed",
            entity="PatientDocument",
            entity_id=str(document.id),
            changes={"patient_id": str(document.patient_id), "reason": text},
        )
        announce(uow, document.patient_id, "documents")
