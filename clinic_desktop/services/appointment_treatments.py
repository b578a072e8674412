"""Recording what an appointment will need and used: planning treatments (a treatment already
planned gets its quantity raised: two fillings are one line done twice), taking a planned one
off, noting extra products to consume with the completion and taking them off while pending.
Taken-off lines are soft-deleted, never deleted. This module is also the one place the rest of
the app imports an appointment's work from: reading (services.appointment_work) and completing
and undoing (services.appointment_completion) are re-exported here."""

from __future__ import annotations

import uuid
from decimal import Decimal

from clinic_desktop.actor import Actor
from clinic_desktop.db.uow import UnitOfWork
from clinic_desktop.errors import InvalidTransition, NotFound, ValidationError
from clinic_desktop.i18n import _
from clinic_desktop.models.inventory import Product
from clinic_desktop.models.treatment import AppointmentTreatment, StockUsage, TreatmentStatus
from clinic_desktop.services.access import require_any
from clinic_desktop.services.appointment_completion import (
    CompletionLine,
    CompletionResultDTO,
    complete_treatments,
    lines_from_preview,
    undo_completion,
)
from clinic_desktop.services.appointment_preview import (
    CompletionPreviewDTO,
    PreviewLineDTO,
    preview_completion,
)
from clinic_desktop.services.appointment_work import (
    RECORD,
    AppointmentWorkDTO,
    UsageDTO,
    WorkTreatmentDTO,
    appointment_work,
    clean_quantity,
    finish,
    live_usages,
    load_appointment,
    open_appointment,
    pending_extras,
    recorded_rows,
    treatment_rows,
)
from clinic_desktop.services.treatment_dto import load_treatment

MAX_TIMES = 99

__all__ = [
    "AppointmentWorkDTO",
    "CompletionLine",
    "CompletionPreviewDTO",
    "CompletionResultDTO",
    "PreviewLineDTO",
    "UsageDTO",
    "WorkTreatmentDTO",
    "add_extra_product",
    "add_planned_treatment",
    "appointment_work",
    "complete_treatments",
    "lines_from_preview",
    "preview_completion",
    "remove_extra_product",
    "remove_planned_treatment",
    "undo_completion",
]


# -- planning ----------------------------------------------------------------------------


def add_planned_treatment(
    uow: UnitOfWork,
    *,
    actor: Actor,
    appointment_id: uuid.UUID,
    treatment_id: uuid.UUID,
    quantity: int = 1,
) -> AppointmentWorkDTO:
    """Plans a treatment; one already planned gets the quantity added (two fillings are one
    line done twice)."""
    if not 1 <= quantity <= MAX_TIMES:
        raise ValidationError(
            _("Quantity: between 1 and {high}.").format(high=MAX_TIMES), field="quantity"
        )
    with uow.transaction(actor) as session:
        require_any(session, actor, RECORD)
        appointment = open_appointment(session, appointment_id)
        treatment = load_treatment(session, treatment_id)
        if not treatment.active:
            raise ValidationError(
                _("Treatment: “{name}” is deactivated.").format(name=treatment.name),
                field="treatment",
            )
        rows = recorded_rows(session, appointment)
        same = next(
            (
                r
                for r in rows
                if not r.is_deleted
                and r.treatment_id == treatment.id
                and r.status == TreatmentStatus.PLANNED.value
            ),
            None,
        )
        if same is not None:
            if same.quantity + quantity > MAX_TIMES:
                raise ValidationError(
                    _("Quantity: between 1 and {high}.").format(high=MAX_TIMES), field="quantity"
                )
            same.quantity = same.quantity + quantity
        else:
            session.add(
                AppointmentTreatment(
                    appointment_id=appointment.id,
                    treatment_id=treatment.id,
                    quantity=quantity,
                    price=treatment.price,
                    status=TreatmentStatus.PLANNED.value,
                )
            )
        return finish(uow, session, actor, appointment, set())


def remove_planned_treatment(
    uow: UnitOfWork,
    *,
    actor: Actor,
    appointment_id: uuid.UUID,
    appointment_treatment_id: uuid.UUID | None,
) -> AppointmentWorkDTO:
    """Takes a planned treatment off the appointment (kept, soft-deleted). None removes the
    type's usual treatment shown as planned."""
    with uow.transaction(actor) as session:
        require_any(session, actor, RECORD)
        appointment = open_appointment(session, appointment_id)
        if appointment_treatment_id is None:
            # Only the usual treatment of a visit never recorded has no row: write it, removed.
            implied = not treatment_rows(session, appointment.id)
            rows = recorded_rows(session, appointment) if implied else []
            row = rows[0] if rows else None
        else:
            row = next(
                (
                    r
                    for r in treatment_rows(session, appointment.id)
                    if r.id == appointment_treatment_id and not r.is_deleted
                ),
                None,
            )
        if row is None:
            raise NotFound(_("That treatment is no longer on this appointment."))
        if row.status != TreatmentStatus.PLANNED.value:
            raise InvalidTransition(
                _("This treatment is done: undo its completion before removing it.")
            )
        row.soft_delete(by=actor.user_id)
        return finish(uow, session, actor, appointment, set())


def add_extra_product(
    uow: UnitOfWork,
    *,
    actor: Actor,
    appointment_id: uuid.UUID,
    product_id: uuid.UUID,
    quantity: Decimal,
) -> AppointmentWorkDTO:
    """Notes a product used outside any recipe; it is consumed with the completion."""
    amount = clean_quantity(quantity, allow_zero=False)
    with uow.transaction(actor) as session:
        require_any(session, actor, RECORD)
        appointment = open_appointment(session, appointment_id)
        product = session.get(Product, product_id)
        if product is None or product.is_deleted:
            raise NotFound(_("The product no longer exists."))
        if not product.active:
            raise ValidationError(
                _("Product: {product} is deactivated.").format(product=product.name),
                field="product",
            )
        recorded_rows(session, appointment)
        pending = next(
            (
                u
                for u in pending_extras(live_usages(session, appointment.id))
                if u.product_id == product.id
            ),
            None,
        )
        if pending is not None:
            pending.actual_quantity = clean_quantity(
                pending.actual_quantity + amount, allow_zero=False
            )
        else:
            session.add(
                StockUsage(
                    appointment_id=appointment.id,
                    product_id=product.id,
                    recipe_quantity=Decimal(0),
                    actual_quantity=amount,
                )
            )
        return finish(uow, session, actor, appointment, set())


def remove_extra_product(
    uow: UnitOfWork, *, actor: Actor, appointment_id: uuid.UUID, usage_id: uuid.UUID
) -> AppointmentWorkDTO:
    """Takes a noted extra off while it is not consumed yet (afterwards: undo)."""
    with uow.transaction(actor) as session:
        require_any(session, actor, RECORD)
        appointment = load_appointment(session, appointment_id)
        usage = session.get(StockUsage, usage_id)
        if usage is None or usage.is_deleted or usage.appointment_id != appointment.id:
            raise NotFound(_("That product is no longer on this appointment."))
        if usage.consumed_at is not None:
            raise InvalidTransition(
                _("This product was already taken from stock: undo the completion instead.")
            )
        usage.soft_delete(by=actor.user_id)
        return finish(uow, session, actor, appointment, set())
