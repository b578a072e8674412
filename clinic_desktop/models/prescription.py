"""Prescriptions issued at the clinic: who prescribed, when, for which patient (and, when
written during a consultation, which note), and one line per medication with dose, route,
frequency, duration and instructions. An issued prescription is never edited; a wrong one is
voided with a reason and stays in the record."""

from __future__ import annotations

import uuid
from datetime import date, datetime
from enum import StrEnum
from typing import ClassVar

from sqlalchemy import Date, ForeignKey, Integer, String, Uuid
from sqlalchemy.orm import Mapped, mapped_column

from clinic_desktop.models.base import Entity, UTCDateTime


class PrescriptionStatus(StrEnum):
    ISSUED = "issued"
    VOID = "void"


class Prescription(Entity):
    __tablename__ = "prescriptions"
    __label__ = "Prescription"
    __audit_redact__: ClassVar[frozenset[str]] = frozenset({"notes"})

    patient_id: Mapped[uuid.UUID] = mapped_column(Uuid, ForeignKey("patients.id"), index=True)
    encounter_id: Mapped[uuid.UUID | None] = mapped_column(
        Uuid, ForeignKey("encounters.id"), index=True
    )
    prescriber_id: Mapped[uuid.UUID] = mapped_column(Uuid, ForeignKey("users.id"))
    issued_on: Mapped[date] = mapped_column(Date, index=True)
    notes: Mapped[str] = mapped_column(String(1000), default="")
    status: Mapped[str] = mapped_column(String(10), default=PrescriptionStatus.ISSUED.value)
    voided_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    voided_by: Mapped[uuid.UUID | None] = mapped_column(Uuid)
    void_reason: Mapped[str] = mapped_column(String(300), default="")


class PrescriptionItem(Entity):
    __tablename__ = "prescription_items"
    __label__ = "Prescription line"
    __audit_redact__: ClassVar[frozenset[str]] = frozenset({"medication", "dose", "instructions"})

    prescription_id: Mapped[uuid.UUID] = mapped_column(
        Uuid, ForeignKey("prescriptions.id"), index=True
    )
    position: Mapped[int] = mapped_column(Integer, default=0)
    medication: Mapped[str] = mapped_column(String(200))
    dose: Mapped[str] = mapped_column(String(120), default="")
    route: Mapped[str] = mapped_column(String(40), default="")
    frequency: Mapped[str] = mapped_column(String(120), default="")
    duration: Mapped[str] = mapped_column(String(120), default="")
    instructions: Mapped[str] = mapped_column(String(500), default="")
