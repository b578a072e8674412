"""The standing parts of a patient's clinical record: the medical history by section
(personal, family, surgical, habits, gyneco-obstetric), allergies, current medications and the
problem list. Entries are never removed: an allergy recorded by mistake is marked "entered in
error", a medication stopped, a problem resolved, so the chart keeps what was believed when.
Clinical text is redacted in the audit trail (who changed which field and when is kept), because
the people who read the audit trail need not be allowed to read clinical content."""

from __future__ import annotations

import uuid
from datetime import date
from enum import StrEnum
from typing import ClassVar

from sqlalchemy import Date, ForeignKey, String, Text, UniqueConstraint, Uuid
from sqlalchemy.orm import Mapped, mapped_column

from clinic_desktop.models.base import Entity


class HistorySection(StrEnum):
    PERSONAL = "personal"
    FAMILY = "family"
    SURGICAL = "surgical"
    HABITS = "habits"
    GYNECO_OBSTETRIC = "gyneco_obstetric"


class AllergySeverity(StrEnum):
    MILD = "mild"
    MODERATE = "moderate"
    SEVERE = "severe"
    LIFE_THREATENING = "life_threatening"


class AllergyStatus(StrEnum):
    ACTIVE = "active"
    INACTIVE = "inactive"
    ENTERED_IN_ERROR = "entered_in_error"


class MedicationStatus(StrEnum):
    ACTIVE = "active"
    STOPPED = "stopped"
    ENTERED_IN_ERROR = "entered_in_error"


class ProblemStatus(StrEnum):
    ACTIVE = "active"
    RESOLVED = "resolved"
    ENTERED_IN_ERROR = "entered_in_error"


class MedicalHistoryEntry(Entity):
    """One section of the history as free text; one row per patient and section."""

    __tablename__ = "medical_history"
    __table_args__ = (UniqueConstraint("patient_id", "section"),)
    __label__ = "Medical history"
    __audit_redact__: ClassVar[frozenset[str]] = frozenset({"text"})

    patient_id: Mapped[uuid.UUID] = mapped_column(Uuid, ForeignKey("patients.id"), index=True)
    section: Mapped[str] = mapped_column(String(24))
    text: Mapped[str] = mapped_column(Text, default="")


class Allergy(Entity):
    __tablename__ = "allergies"
    __label__ = "Allergy"
    __audit_redact__: ClassVar[frozenset[str]] = frozenset({"substance", "reaction", "note"})

    patient_id: Mapped[uuid.UUID] = mapped_column(Uuid, ForeignKey("patients.id"), index=True)
    substance: Mapped[str] = mapped_column(String(200))
    reaction: Mapped[str] = mapped_column(String(300), default="")
    severity: Mapped[str] = mapped_column(String(20), default=AllergySeverity.MODERATE.value)
    status: Mapped[str] = mapped_column(String(20), default=AllergyStatus.ACTIVE.value)
    noted_on: Mapped[date | None] = mapped_column(Date)
    note: Mapped[str] = mapped_column(String(500), default="")


class Medication(Entity):
    """A medication the patient takes (from any prescriber), not a prescription issued here."""

    __tablename__ = "medications"
    __label__ = "Medication"
    __audit_redact__: ClassVar[frozenset[str]] = frozenset({"name", "dose", "note"})

    patient_id: Mapped[uuid.UUID] = mapped_column(Uuid, ForeignKey("patients.id"), index=True)
    name: Mapped[str] = mapped_column(String(200))
    dose: Mapped[str] = mapped_column(String(120), default="")
    route: Mapped[str] = mapped_column(String(40), default="")
    frequency: Mapped[str] = mapped_column(String(120), default="")
    status: Mapped[str] = mapped_column(String(20), default=MedicationStatus.ACTIVE.value)
    started_on: Mapped[date | None] = mapped_column(Date)
    stopped_on: Mapped[date | None] = mapped_column(Date)
    note: Mapped[str] = mapped_column(String(500), default="")


class Problem(Entity):
    """An entry of the problem list, with an optional ICD-10 code such as "J45.9"."""

    __tablename__ = "problems"
    __label__ = "Problem"
    __audit_redact__: ClassVar[frozenset[str]] = frozenset({"description", "icd10", "note"})

    patient_id: Mapped[uuid.UUID] = mapped_column(Uuid, ForeignKey("patients.id"), index=True)
    description: Mapped[str] = mapped_column(String(300))
    icd10: Mapped[str] = mapped_column(String(8), default="")
    status: Mapped[str] = mapped_column(String(20), default=ProblemStatus.ACTIVE.value)
    onset_on: Mapped[date | None] = mapped_column(Date)
    resolved_on: Mapped[date | None] = mapped_column(Date)
    note: Mapped[str] = mapped_column(String(500), default="")
