"""What was planned and done in one appointment: its treatments (planned or done) and the
products used (by a treatment's recipe or as extras), read for the appointment's work dialog,
plus the loading and checks every write on an appointment's work shares. An appointment whose
treatments were never recorded shows its type's usual treatment as planned (the agenda books a
type; the row is written when someone first records the work), and the stock forecast counts
it the same way. Reading needs agenda.view or clinical.read; recording agenda.book or
clinical.write (reception records at the desk, the doctor in the consultation)."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal

from sqlalchemy import select
from sqlalchemy.orm import Session

from clinic_desktop.actor import Actor
from clinic_desktop.db.uow import UnitOfWork
from clinic_desktop.errors import InvalidTransition, NotFound, ValidationError
from clinic_desktop.events import InventoryChanged
from clinic_desktop.i18n import _
from clinic_desktop.models.appointment import Appointment, AppointmentStatus
from clinic_desktop.models.inventory import Product
from clinic_desktop.models.patient import Patient
from clinic_desktop.models.permissions import Permission
from clinic_desktop.models.schedule import AppointmentType, Practitioner
from clinic_desktop.models.treatment import (
    AppointmentTreatment,
    StockUsage,
    Treatment,
    TreatmentStatus,
)
from clinic_desktop.services.access import held_permissions, require_any
from clinic_desktop.services.clinical_common import user_names
from clinic_desktop.services.treatment_dto import QUANTUM

ZERO = Decimal(0)
MAX_QUANTITY = Decimal(100000)
# Nothing can be recorded on an appointment that did not take place.
CLOSED_STATUSES = frozenset({AppointmentStatus.CANCELLED.value, AppointmentStatus.NO_SHOW.value})
RECORD = (Permission.AGENDA_BOOK, Permission.CLINICAL_WRITE)
READ = (Permission.AGENDA_VIEW, Permission.CLINICAL_READ)


@dataclass(frozen=True)
class WorkTreatmentDTO:
    # None: the type's usual treatment, shown as planned but not recorded yet.
    id: uuid.UUID | None
    treatment_id: uuid.UUID
    code: str
    name: str
    quantity: int
    price: Decimal
    status: str  # "planned" or "done"
    done_at: datetime | None
    done_by: str  # user's name
    from_type: bool

    @property
    def planned(self) -> bool:
        return self.status == TreatmentStatus.PLANNED.value


@dataclass(frozen=True)
class UsageDTO:
    id: uuid.UUID
    appointment_treatment_id: uuid.UUID | None  # None: an extra product
    treatment_name: str
    product_id: uuid.UUID
    product_code: str
    product_name: str
    unit: str
    recipe_quantity: Decimal
    actual_quantity: Decimal
    consumed_at: datetime | None
    reversed_at: datetime | None

    @property
    def state(self) -> str:
        """ "pending" (an extra not consumed yet), "consumed" or "reversed"."""
        if self.reversed_at is not None:
            return "reversed"
        return "consumed" if self.consumed_at is not None else "pending"

    @property
    def difference(self) -> Decimal:
        return self.actual_quantity - self.recipe_quantity


@dataclass(frozen=True)
class AppointmentWorkDTO:
    appointment_id: uuid.UUID
    patient_name: str
    practitioner_name: str
    type_name: str
    start_at: datetime
    end_at: datetime
    status: str
    treatments: tuple[WorkTreatmentDTO, ...]
    usages: tuple[UsageDTO, ...]  # newest last; reversed ones kept
    closed: bool  # cancelled or no-show: nothing can be recorded
    may_record: bool  # the reader may add, complete and undo

    @property
    def planned(self) -> tuple[WorkTreatmentDTO, ...]:
        return tuple(t for t in self.treatments if t.planned)

    @property
    def done(self) -> tuple[WorkTreatmentDTO, ...]:
        return tuple(t for t in self.treatments if not t.planned)

    @property
    def pending_extras(self) -> tuple[UsageDTO, ...]:
        return tuple(u for u in self.usages if u.state == "pending")

    @property
    def can_complete(self) -> bool:
        return not self.closed and bool(self.planned or self.pending_extras)

    @property
    def can_undo(self) -> bool:
        return bool(self.done) or any(u.state == "consumed" for u in self.usages)


# -- access and loading ------------------------------------------------------------------


def may_record(session: Session, actor: Actor) -> bool:
    held = held_permissions(session, actor)
    return held is None or any(p in held for p in RECORD)


def load_appointment(session: Session, appointment_id: uuid.UUID) -> Appointment:
    appointment = session.get(Appointment, appointment_id)
    if appointment is None or appointment.is_deleted:
        raise NotFound(_("The appointment no longer exists."))
    return appointment


def treatment_rows(session: Session, appointment_id: uuid.UUID) -> list[AppointmentTreatment]:
    """Every treatment row of the appointment, removed ones too (they stop the type's usual
    treatment from coming back), oldest first."""
    return list(
        session.scalars(
            select(AppointmentTreatment)
            .where(AppointmentTreatment.appointment_id == appointment_id)
            .order_by(AppointmentTreatment.created_at, AppointmentTreatment.id)
        )
    )


def type_treatment(session: Session, appointment: Appointment) -> Treatment | None:
    """The usual treatment of the appointment's type, when it has one still offered."""
    if appointment.type_id is None:
        return None
    kind = session.get(AppointmentType, appointment.type_id)
    if kind is None or kind.treatment_id is None:
        return None
    treatment = session.get(Treatment, kind.treatment_id)
    if treatment is None or treatment.is_deleted or not treatment.active:
        return None
    return treatment


def pending_extras(usages: list[StockUsage]) -> list[StockUsage]:
    """Extras noted but not consumed yet: the next completion takes them."""
    return [
        u
        for u in usages
        if u.appointment_treatment_id is None and u.consumed_at is None and u.reversed_at is None
    ]


def live_usages(session: Session, appointment_id: uuid.UUID) -> list[StockUsage]:
    return list(
        session.scalars(
            select(StockUsage)
            .where(StockUsage.appointment_id == appointment_id, StockUsage.deleted_at.is_(None))
            .order_by(StockUsage.created_at, StockUsage.id)
        )
    )


# -- shared by the writes -----------------------------------------------------------------


def open_appointment(session: Session, appointment_id: uuid.UUID) -> Appointment:
    appointment = load_appointment(session, appointment_id)
    if appointment.status == AppointmentStatus.CANCELLED.value:
        raise InvalidTransition(
            _("This appointment was cancelled: no treatment can be recorded on it.")
        )
    if appointment.status == AppointmentStatus.NO_SHOW.value:
        raise InvalidTransition(
            _("The patient did not come to this appointment: no treatment can be recorded on it.")
        )
    return appointment


def recorded_rows(session: Session, appointment: Appointment) -> list[AppointmentTreatment]:
    """The appointment's treatment rows, writing the type's usual treatment as a planned row
    first if the appointment never had any (the first edit makes the implied row real)."""
    rows = treatment_rows(session, appointment.id)
    if not rows:
        implied = type_treatment(session, appointment)
        if implied is not None:
            row = AppointmentTreatment(
                appointment_id=appointment.id,
                treatment_id=implied.id,
                quantity=1,
                price=implied.price,
                status=TreatmentStatus.PLANNED.value,
            )
            session.add(row)
            rows = [row]
    return rows


def clean_quantity(value: Decimal, *, allow_zero: bool, field: str = "quantity") -> Decimal:
    amount = Decimal(value)
    if amount < 0 or (amount == 0 and not allow_zero):
        message = (
            _("Quantity: it cannot be negative.")
            if allow_zero
            else _("Quantity: it must be more than zero.")
        )
        raise ValidationError(message, field=field)
    if amount >= MAX_QUANTITY:
        raise ValidationError(_("Quantity: it is too large."), field=field)
    if amount != amount.quantize(QUANTUM):
        raise ValidationError(_("Quantity: at most 3 decimals."), field=field)
    return amount.quantize(QUANTUM)


def finish(
    uow: UnitOfWork,
    session: Session,
    actor: Actor,
    appointment: Appointment,
    product_ids: set[uuid.UUID],
) -> AppointmentWorkDTO:
    """For writes that required the right to record: flushes, reads the work back and tells
    the screens once the transaction commits (the forecast counts planned treatments; the
    products list shows the stock)."""
    session.flush()
    dto = work_dto(session, actor, appointment, recording=True)
    what = "stock" if product_ids else "appointment_work"
    uow.publish_after_commit(
        InventoryChanged(what=what, ids=tuple(str(i) for i in sorted(product_ids)))
    )
    return dto


# -- reading -----------------------------------------------------------------------------


def work_dto(
    session: Session, actor: Actor, appointment: Appointment, *, recording: bool = False
) -> AppointmentWorkDTO:
    """The appointment's work; `recording` when the caller already required the right to
    record (no need to read the actor's permissions again)."""
    rows = treatment_rows(session, appointment.id)
    live = [r for r in rows if not r.is_deleted]
    implied = type_treatment(session, appointment) if not rows else None
    treatment_ids = {r.treatment_id for r in rows} | ({implied.id} if implied else set())
    catalogue = {
        t.id: t for t in session.scalars(select(Treatment).where(Treatment.id.in_(treatment_ids)))
    }
    names = user_names(session, [r.done_by for r in live])
    treatments = [
        WorkTreatmentDTO(
            id=r.id,
            treatment_id=r.treatment_id,
            code=catalogue[r.treatment_id].code,
            name=catalogue[r.treatment_id].name,
            quantity=r.quantity,
            price=r.price,
            status=r.status,
            done_at=r.done_at,
            done_by=names.get(r.done_by, "") if r.done_by else "",
            from_type=False,
        )
        for r in live
    ]
    if implied is not None:
        treatments.append(
            WorkTreatmentDTO(
                None,
                implied.id,
                implied.code,
                implied.name,
                1,
                implied.price,
                TreatmentStatus.PLANNED.value,
                None,
                "",
                True,
            )
        )
    usages = live_usages(session, appointment.id)
    products = {
        p.id: p
        for p in session.scalars(
            select(Product).where(Product.id.in_({u.product_id for u in usages}))
        )
    }
    # A removed row still names the treatment its undone lines were for.
    by_row = {r.id: catalogue[r.treatment_id].name for r in rows}
    order = {r.id: n for n, r in enumerate(rows)}
    usages.sort(
        key=lambda u: (
            u.reversed_at is not None,
            order.get(u.appointment_treatment_id, len(order))
            if u.appointment_treatment_id
            else len(order),
            products[u.product_id].name.casefold(),
        )
    )
    patient = session.get(Patient, appointment.patient_id)
    practitioner = session.get(Practitioner, appointment.practitioner_id)
    kind = session.get(AppointmentType, appointment.type_id) if appointment.type_id else None
    return AppointmentWorkDTO(
        appointment_id=appointment.id,
        patient_name=patient.full_name if patient else "",
        practitioner_name=practitioner.display_name if practitioner else "",
        type_name=kind.name if kind else "",
        start_at=appointment.start_at,
        end_at=appointment.end_at,
        status=appointment.status,
        treatments=tuple(treatments),
        usages=tuple(
            UsageDTO(
                id=u.id,
                appointment_treatment_id=u.appointment_treatment_id,
                treatment_name=by_row.get(u.appointment_treatment_id, "")
                if u.appointment_treatment_id
                else "",
                product_id=u.product_id,
                product_code=products[u.product_id].code,
                product_name=products[u.product_id].name,
                unit=products[u.product_id].unit,
                recipe_quantity=u.recipe_quantity,
                actual_quantity=u.actual_quantity,
                consumed_at=u.consumed_at,
                reversed_at=u.reversed_at,
            )
            for u in usages
        ),
        closed=appointment.status in CLOSED_STATUSES,
        may_record=recording or may_record(session, actor),
    )


def appointment_work(
    uow: UnitOfWork, *, actor: Actor, appointment_id: uuid.UUID
) -> AppointmentWorkDTO:
    """The appointment's treatments and products used (agenda.view or clinical.read)."""
    with uow.transaction(actor) as session:
        require_any(session, actor, READ)
        return work_dto(session, actor, load_appointment(session, appointment_id))
