"""The patient's identity and contact details: the minimum every feature needs (agenda,
records, invoices). Issue 4 extends it with medical history and documents."""

from __future__ import annotations

from datetime import date

from sqlalchemy import Boolean, Date, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from clinic_desktop.models.base import Entity


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

    @property
    def full_name(self) -> str:
        return f"{self.first_names} {self.last_names}".strip()
