"""Reading payments back: one payment or refund with its allocations and the patient's credit
now (what a receipt prints), and the payments of a period, by patient or method (the payments
list and the finance reports). Readers need billing.manage or reports.finance."""

from __future__ import annotations

import uuid
from datetime import date

from sqlalchemy import select

from clinic_desktop.actor import Actor
from clinic_desktop.db.uow import UnitOfWork
from clinic_desktop.errors import NotFound
from clinic_desktop.i18n import _
from clinic_desktop.models.billing import Payment, PaymentMethod
from clinic_desktop.models.permissions import Permission
from clinic_desktop.services.access import require_any
from clinic_desktop.services.clinic_days import check_period
from clinic_desktop.services.payment_dto import PaymentDTO
from clinic_desktop.services.payment_rows import checked_method, payment_dtos

READERS = (Permission.BILLING_MANAGE, Permission.REPORTS_FINANCE)


def get_payment(uow: UnitOfWork, *, actor: Actor, payment_id: uuid.UUID) -> PaymentDTO:
    """One payment or refund with its allocations and the patient's credit now (a receipt)."""
    with uow.transaction(actor) as session:
        require_any(session, actor, READERS)
        payment = session.get(Payment, payment_id)
        if payment is None or payment.is_deleted:
            raise NotFound(_("The payment no longer exists."))
        return payment_dtos(session, [payment], with_credit=True)[0]


def list_payments(
    uow: UnitOfWork,
    *,
    actor: Actor,
    date_from: date,
    date_to: date,
    patient_id: uuid.UUID | None = None,
    method: PaymentMethod | str | None = None,
) -> list[PaymentDTO]:
    """Payments and refunds whose clinic day is in [date_from, date_to], oldest first."""
    check_period(date_from, date_to)
    with uow.transaction(actor) as session:
        require_any(session, actor, READERS)
        query = select(Payment).where(
            Payment.day >= date_from, Payment.day <= date_to, Payment.deleted_at.is_(None)
        )
        if patient_id is not None:
            query = query.where(Payment.patient_id == patient_id)
        if method is not None:
            query = query.where(Payment.method == checked_method(method).value)
        rows = list(session.scalars(query.order_by(Payment.paid_at, Payment.id)))
        return payment_dtos(session, rows)
