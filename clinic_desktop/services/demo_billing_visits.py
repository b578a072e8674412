"""What the demo's billing works from and shares: the completed demo visits with the treatments
done in them (one invoice each, its lines exactly what `invoices.create_draft` would take from
the appointment), their patients as buyers, the desk's hours and payment habits (how people
pay at a clinic in Quito: cash with change, cards with a voucher number, bank transfers a few
days later, the DeUna app), and the sample accounts that act: reception takes the money, the
owner keeps the books."""

from __future__ import annotations

import random
import uuid
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from decimal import ROUND_CEILING, Decimal
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import select
from sqlalchemy.orm import Session

from clinic_desktop.actor import Actor
from clinic_desktop.db.uow import Database
from clinic_desktop.models.appointment import Appointment, AppointmentStatus
from clinic_desktop.models.billing import PaymentMethod
from clinic_desktop.models.patient import Patient
from clinic_desktop.models.treatment import AppointmentTreatment, Treatment, TreatmentStatus
from clinic_desktop.models.user import User

ZERO = Decimal("0.00")
# Same-day payments at the desk by method (transfers mostly arrive days later, see plans).
DESK_METHODS = (
    (PaymentMethod.CASH, 0.46),
    (PaymentMethod.DEBIT_CARD, 0.24),
    (PaymentMethod.CREDIT_CARD, 0.22),
    (PaymentMethod.OTHER, 0.08),
)
BANKS = ("Pichincha", "Guayaquil", "Produbanco", "Internacional", "Bolivariano")


@dataclass(frozen=True)
class VisitLine:
    done_id: uuid.UUID
    treatment_id: uuid.UUID
    name: str
    quantity: Decimal
    price: Decimal
    tax_code: str


@dataclass(frozen=True)
class PatientBuyer:
    """The patient as buyer, as create_draft takes it from the record."""

    name: str
    id_type: str
    id_number: str
    address: str
    email: str


@dataclass
class Visit:
    appointment_id: uuid.UUID
    patient_id: uuid.UUID
    practitioner_id: uuid.UUID | None
    done_at: datetime
    buyer: PatientBuyer
    lines: list[VisitLine] = field(default_factory=list)


def load_visits(session: Session) -> list[Visit]:
    """The completed visits with treatments done, oldest first, each with its done treatments
    in the order create_draft lists them."""
    rows = session.execute(
        select(
            AppointmentTreatment.id,
            AppointmentTreatment.appointment_id,
            AppointmentTreatment.treatment_id,
            AppointmentTreatment.quantity,
            AppointmentTreatment.price,
            AppointmentTreatment.done_at,
            Treatment.name,
            Treatment.tax_code,
            Appointment.patient_id,
            Appointment.practitioner_id,
            Patient.first_names,
            Patient.last_names,
            Patient.id_type,
            Patient.id_number,
            Patient.address,
            Patient.email,
        )
        .join(Treatment, Treatment.id == AppointmentTreatment.treatment_id)
        .join(Appointment, Appointment.id == AppointmentTreatment.appointment_id)
        .join(Patient, Patient.id == Appointment.patient_id)
        .where(
            AppointmentTreatment.status == TreatmentStatus.DONE.value,
            AppointmentTreatment.deleted_at.is_(None),
            Appointment.status == AppointmentStatus.COMPLETED.value,
            Appointment.deleted_at.is_(None),
        )
        .order_by(AppointmentTreatment.done_at, AppointmentTreatment.created_at)
    )
    visits: dict[uuid.UUID, Visit] = {}
    for row in rows:
        done_at = row.done_at if row.done_at.tzinfo else row.done_at.replace(tzinfo=UTC)
        visit = visits.get(row.appointment_id)
        if visit is None:
            buyer = PatientBuyer(
                name=f"{row.first_names} {row.last_names}".strip(),
                id_type=row.id_type or "",
                id_number=(row.id_number or "").strip(),
                address=row.address or "",
                email=row.email or "",
            )
            visit = Visit(row.appointment_id, row.patient_id, row.practitioner_id, done_at, buyer)
            visits[row.appointment_id] = visit
        visit.done_at = max(visit.done_at, done_at)
        visit.lines.append(
            VisitLine(
                row.id, row.treatment_id, row.name, Decimal(row.quantity), row.price, row.tax_code
            )
        )
    return sorted(visits.values(), key=lambda v: (v.done_at, v.appointment_id))


def account_actor(db: Database, username: str) -> Actor:
    """A signed-in actor for one of the demo's sample accounts."""
    with db.uow().transaction(Actor.system("demo")) as session:
        user_id = session.scalar(select(User.id).where(User.username == username))
    if user_id is None:
        raise LookupError(f"demo account {username} is missing")
    return Actor.for_user(user_id, username)


def local_day(moment: datetime, zone: ZoneInfo) -> date:
    return moment.astimezone(zone).date()


def desk_moment(day: date, zone: ZoneInfo, rng: random.Random) -> datetime:
    """Some time the desk is open on `day` (9:00 to 17:30), in UTC."""
    start = datetime.combine(day, time(9, 0), zone)
    return (start + timedelta(minutes=rng.randint(0, 510))).astimezone(UTC)


def working_day(day: date) -> date:
    """The desk is closed on Sundays: money that would arrive then is recorded on Monday."""
    return day + timedelta(days=1) if day.weekday() == 6 else day


def desk_method(rng: random.Random) -> PaymentMethod:
    draw = rng.random()
    for method, weight in DESK_METHODS:
        if draw < weight:
            return method
        draw -= weight
    return PaymentMethod.CASH


def reference_for(method: PaymentMethod, rng: random.Random) -> str:
    """What the desk writes down: the card voucher, the transfer's bank and number."""
    if method in (PaymentMethod.DEBIT_CARD, PaymentMethod.CREDIT_CARD):
        return f"Voucher {rng.randint(1, 999999):06d}"
    if method == PaymentMethod.TRANSFER:
        return f"Transferencia {rng.choice(BANKS)} {rng.randint(1, 9999999):07d}"
    if method == PaymentMethod.OTHER:
        return f"DeUna {rng.randint(1, 99999999):08d}"
    return ""


def tendered_for(amount: Decimal, rng: random.Random) -> Decimal | None:
    """What a patient paying cash hands over: the exact amount or the next bill up."""
    if rng.random() < 0.35:
        return None
    step = Decimal(rng.choice((5, 10, 20)))
    return (amount / step).to_integral_value(rounding=ROUND_CEILING) * step


def stamp(at: datetime, by: uuid.UUID | None) -> dict[str, Any]:
    """The bookkeeping columns the ORM fills on insert, for rows written in bulk."""
    return {
        "created_at": at,
        "updated_at": at,
        "created_by": by,
        "updated_by": by,
        "version": 1,
        "deleted_at": None,
        "deleted_by": None,
    }
