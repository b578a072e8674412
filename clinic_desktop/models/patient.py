"""The patient's identity, contact details and consents: what every feature needs (agenda,
records, invoices). `search_name` keeps the names folded (no accents, lower case) so a search
for "jose garcia" finds "José García" through an index; archived patients stay in the database
and out of everyday lists."""

from __future__ import annotations

import unicodedata
import uuid
from datetime import date, datetime
from enum import StrEnum

from sqlalchemy import Boolean, Date, ForeignKey, Integer, String, Uuid
from sqlalchemy.orm import Mapped, mapped_column

from clinic_desktop.models.base import Entity, UTCDateTime


class ConsentKind(StrEnum):
    DATA_PROCESSING = "data_processing"
    REMINDERS_EMAIL = "reminders_email"
    REMINDERS_SMS = "reminders_sms"
    REMINDERS_WHATSAPP = "reminders_whatsapp"


def fold(text: str) -> str:
    """Lower case without accents or repeated spaces: "  JOSÉ  Núñez" -> "jose nunez"."""
    decomposed = unicodedata.normalize("NFKD", text)
    bare = "".join(c for c in decomposed if not unicodedata.combining(c))
    return " ".join(bare.casefold().split())


class Patient(Entity):
    __tablename__ = "patients"
    __label__ = "Patient"

    chart_number: Mapped[int] = mapped_column(Integer, unique=True)
    first_names: Mapped[str] = mapped_column(String(120))
    last_names: Mapped[str] = mapped_column(String(120), index=True)
    id_type: Mapped[str] = mapped_column(String(16), default="cedula")
    id_number: Mapped[str | None] = mapped_column(String(32), index=True)
    birth_date: Mapped[date | None] = mapped_column(Date)
    sex: Mapped[str | None] = mapped_column(String(1))
    phone: Mapped[str | None] = mapped_column(String(40))
    email: Mapped[str | None] = mapped_column(String(200))
    address: Mapped[str | None] = mapped_column(String(400))
    # How the patient wants appointment reminders, and whether they agreed to receive them
    # (needed before any message leaves the clinic).
    reminder_channel: Mapped[str] = mapped_column(String(12), default="none")
    reminder_consent: Mapped[bool] = mapped_column(Boolean, default=False)
    # Folded "first last" names for accent- and case-blind search; kept by set_names().
    search_name: Mapped[str] = mapped_column(String(250), default="", index=True)
    mobile_phone: Mapped[str | None] = mapped_column(String(40))
    emergency_contact: Mapped[str | None] = mapped_column(String(200))
    emergency_phone: Mapped[str | None] = mapped_column(String(40))
    payer: Mapped[str | None] = mapped_column(String(200))
    referral_source: Mapped[str | None] = mapped_column(String(200))
    preferred_language: Mapped[str | None] = mapped_column(String(8))
    archived_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    archived_by: Mapped[uuid.UUID | None] = mapped_column(Uuid)
    # Set once the retention period is over and the identifying data has been blanked; an
    # anonymised patient is kept (statistics and invoices still refer to it) but never edited.
    anonymised_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    anonymised_by: Mapped[uuid.UUID | None] = mapped_column(Uuid)

    @property
    def full_name(self) -> str:
        return f"{self.first_names} {self.last_names}".strip()

    def set_names(self, first_names: str, last_names: str) -> None:
        self.first_names = first_names
        self.last_names = last_names
        self.search_name = fold(f"{first_names} {last_names}")

    @property
    def is_archived(self) -> bool:
        return self.archived_at is not None

    @property
    def is_anonymised(self) -> bool:
        return self.anonymised_at is not None


class PatientConsent(Entity):
    """One consent given or withdrawn, with when and by whom it was recorded (created_at and
    created_by); the latest row of a kind is the patient's current answer."""

    __tablename__ = "patient_consents"
    __label__ = "Patient consent"

    patient_id: Mapped[uuid.UUID] = mapped_column(Uuid, ForeignKey("patients.id"), index=True)
    kind: Mapped[str] = mapped_column(String(24))
    granted: Mapped[bool] = mapped_column(Boolean)
    note: Mapped[str] = mapped_column(String(300), default="")
