"""The treatment catalogue, each treatment's recipe (the products and quantities one
performance uses), and what was actually done in an appointment. An appointment's treatments
start planned (booked with the appointment or added in the consultation); completing one
records a usage line per recipe product, where the user may correct the actual quantity, and
consumes stock by those lines. Extra products used outside any recipe are usage lines without
a treatment. Undoing a completion reverses the movements and keeps the lines, marked reversed."""

from __future__ import annotations

import uuid
from datetime import datetime
from decimal import Decimal
from enum import StrEnum

from sqlalchemy import Boolean, ForeignKey, Integer, String, Text, Uuid
from sqlalchemy.orm import Mapped, mapped_column

from clinic_desktop.models.base import Entity, UTCDateTime
from clinic_desktop.models.types import MONEY, QUANTITY


class Treatment(Entity):
    __tablename__ = "treatments"
    __label__ = "Treatment"

    code: Mapped[str] = mapped_column(String(40), unique=True)
    name: Mapped[str] = mapped_column(String(200), index=True)
    category: Mapped[str] = mapped_column(String(80), default="")
    duration_minutes: Mapped[int] = mapped_column(Integer, default=30)
    price: Mapped[Decimal] = mapped_column(MONEY, default=Decimal(0))
    tax_code: Mapped[str] = mapped_column(String(24), default="")
    description: Mapped[str] = mapped_column(Text, default="")
    active: Mapped[bool] = mapped_column(Boolean, default=True)


class RecipeItem(Entity):
    __tablename__ = "recipe_items"
    __label__ = "Recipe item"

    treatment_id: Mapped[uuid.UUID] = mapped_column(Uuid, ForeignKey("treatments.id"), index=True)
    product_id: Mapped[uuid.UUID] = mapped_column(Uuid, ForeignKey("products.id"), index=True)
    quantity: Mapped[Decimal] = mapped_column(QUANTITY)


class TreatmentStatus(StrEnum):
    PLANNED = "planned"
    DONE = "done"


class AppointmentTreatment(Entity):
    __tablename__ = "appointment_treatments"
    __label__ = "Appointment treatment"

    appointment_id: Mapped[uuid.UUID] = mapped_column(
        Uuid, ForeignKey("appointments.id"), index=True
    )
    treatment_id: Mapped[uuid.UUID] = mapped_column(Uuid, ForeignKey("treatments.id"), index=True)
    # Two fillings in one visit are one line with quantity 2: the recipe is used twice.
    quantity: Mapped[int] = mapped_column(Integer, default=1)
    # The catalogue price when the treatment was added; invoicing starts from it.
    price: Mapped[Decimal] = mapped_column(MONEY, default=Decimal(0))
    status: Mapped[str] = mapped_column(String(12), default=TreatmentStatus.PLANNED.value)
    done_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    done_by: Mapped[uuid.UUID | None] = mapped_column(Uuid)
    notes: Mapped[str] = mapped_column(String(300), default="")


class StockUsage(Entity):
    """One product used in an appointment: from a treatment's recipe (appointment_treatment_id
    set, recipe_quantity what the recipe says) or as an extra (no treatment, recipe 0). The
    movements it caused point back to it (source "usage")."""

    __tablename__ = "stock_usages"
    __label__ = "Product used"

    appointment_id: Mapped[uuid.UUID] = mapped_column(
        Uuid, ForeignKey("appointments.id"), index=True
    )
    appointment_treatment_id: Mapped[uuid.UUID | None] = mapped_column(
        Uuid, ForeignKey("appointment_treatments.id"), index=True
    )
    product_id: Mapped[uuid.UUID] = mapped_column(Uuid, ForeignKey("products.id"), index=True)
    recipe_quantity: Mapped[Decimal] = mapped_column(QUANTITY, default=Decimal(0))
    actual_quantity: Mapped[Decimal] = mapped_column(QUANTITY)
    consumed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    reversed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
