"""Documents attached to a patient's record (PDFs, images, scans) and the patient's photo.
The bytes live inside the SQLCipher database, so they are encrypted like everything else and
never sit in plaintext on disk; they are in their own tables so that listing documents never
reads them, and they are left out of the audit trail (which records the SHA-256 instead)."""

from __future__ import annotations

import uuid
from datetime import date
from enum import StrEnum
from typing import ClassVar

from sqlalchemy import Date, ForeignKey, Integer, LargeBinary, String, Uuid
from sqlalchemy.orm import Mapped, mapped_column

from clinic_desktop.models.base import Entity


class DocumentCategory(StrEnum):
    LAB = "lab"
    IMAGING = "imaging"
    REFERRAL = "referral"
    REPORT = "report"
    CONSENT = "consent"
    PRESCRIPTION = "prescription"
    OTHER = "other"


class PatientDocument(Entity):
    __tablename__ = "patient_documents"
    __label__ = "Document"
    __audit_redact__: ClassVar[frozenset[str]] = frozenset({"description"})

    patient_id: Mapped[uuid.UUID] = mapped_column(Uuid, ForeignKey("patients.id"), index=True)
    encounter_id: Mapped[uuid.UUID | None] = mapped_column(Uuid, ForeignKey("encounters.id"))
    category: Mapped[str] = mapped_column(String(20), default=DocumentCategory.OTHER.value)
    document_date: Mapped[date] = mapped_column(Date)
    description: Mapped[str] = mapped_column(String(500), default="")
    file_name: Mapped[str] = mapped_column(String(255))
    mime_type: Mapped[str] = mapped_column(String(80))
    size_bytes: Mapped[int] = mapped_column(Integer)
    sha256: Mapped[str] = mapped_column(String(64))


class DocumentContent(Entity):
    """The bytes of one document; written once, never changed."""

    __tablename__ = "document_contents"
    __label__ = "Document content"
    __audit_skip__: ClassVar[frozenset[str]] = frozenset({"data"})

    document_id: Mapped[uuid.UUID] = mapped_column(
        Uuid, ForeignKey("patient_documents.id"), unique=True
    )
    data: Mapped[bytes] = mapped_column(LargeBinary)


class PatientPhoto(Entity):
    """The patient's current photo (JPEG or PNG); replacing it keeps the audit of who did."""

    __tablename__ = "patient_photos"
    __label__ = "Patient photo"
    __audit_skip__: ClassVar[frozenset[str]] = frozenset({"data"})

    patient_id: Mapped[uuid.UUID] = mapped_column(Uuid, ForeignKey("patients.id"), unique=True)
    mime_type: Mapped[str] = mapped_column(String(40))
    sha256: Mapped[str] = mapped_column(String(64))
    data: Mapped[bytes] = mapped_column(LargeBinary)
