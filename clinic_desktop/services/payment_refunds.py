"""Paying money back to a patient: credit left on the account, or what a credit note returned
on an invoice that had been paid (the invoice's balance went below zero). A refund is a Payment
with `is_refund` set, and it is how a mistaken payment is corrected, since payments are never
edited or deleted. See payments.py for the sign conventions; in short, a refund allocated to a
credit note raises the credit note's paid_total and lowers the corrected invoice's by the same
amount, and a refund with no allocation pays back credit on account."""

from __future__ import annotations

import uuid
from datetime import datetime
from decimal import Decimal

from sqlalchemy import select
from sqlalchemy.orm import Session

from clinic_desktop.actor import Actor
from clinic_desktop.db.uow import UnitOfWork
from clinic_desktop.errors import InvalidTransition, ValidationError
from clinic_desktop.i18n import _
from clinic_desktop.models.base import utcnow
from clinic_desktop.models.billing import (
    Invoice,
    InvoiceKind,
    Payment,
    PaymentAllocation,
    PaymentMethod,
)
from clinic_desktop.models.patient import Patient
from clinic_desktop.models.permissions import Permission
from clinic_desktop.services.access import require
from clinic_desktop.services.clinic_days import moment_and_day
from clinic_desktop.services.payment_dto import ZERO, PaymentDTO
from clinic_desktop.services.payment_rows import (
    REFERENCE_MAX,
    announce,
    checked_method,
    checked_money,
    clean_text,
    credit_holders,
    fmt_money,
    invoice_text,
    load_invoice,
    load_patient_row,
    payment_dtos,
    refuse_closed_day,
)

REASON_MAX = 500

# (document the refund is allocated to, amount, invoice whose paid_total goes down)
_Part = tuple[Invoice, Decimal, Invoice | None]


def refundable_on_credit_note(session: Session, note: Invoice) -> Decimal:
    """What can still be paid back on a credit note: its own balance, but never more than the
    corrected invoice was paid beyond what it now owes (a credit note on an unpaid invoice
    only cancels the debt)."""
    left = max(note.balance, ZERO)
    if note.corrects_id is None:
        return left
    corrected = session.get(Invoice, note.corrects_id)
    if corrected is None:
        return left
    return max(min(left, -corrected.balance), ZERO)


def _credit_notes_of(session: Session, invoice: Invoice) -> list[Invoice]:
    return list(
        session.scalars(
            select(Invoice)
            .where(
                Invoice.corrects_id == invoice.id,
                Invoice.kind == InvoiceKind.CREDIT_NOTE.value,
                Invoice.deleted_at.is_(None),
            )
            .order_by(Invoice.issue_date, Invoice.number_text)
        )
    )


def _plan(session: Session, patient: Patient, document: Invoice, amount: Decimal) -> list[_Part]:
    number = invoice_text(document)
    if document.patient_id != patient.id:
        raise ValidationError(
            _("Invoice {number} belongs to another patient's account.").format(number=number),
            field="invoice",
        )
    if document.is_draft:
        raise InvalidTransition(
            _("{number} is a draft: nothing was paid on it.").format(number=number)
        )
    if document.kind == InvoiceKind.CREDIT_NOTE.value:
        refundable = refundable_on_credit_note(session, document)
        corrected = session.get(Invoice, document.corrects_id) if document.corrects_id else None
        plan: list[_Part] = [(document, amount, corrected)]
        nothing = _(
            "Credit note {number}: nothing is left to refund on it (the invoice it corrects "
            "was not paid beyond what it now owes)."
        )
    else:
        refundable = max(-document.balance, ZERO)
        plan = []
        left = amount
        # Through the credit notes that made the balance negative, so they show as refunded.
        for note in _credit_notes_of(session, document):
            part = min(left, refundable_on_credit_note(session, note))
            if part > ZERO and not note.is_draft:
                plan.append((note, part, document))
                left -= part
        if left > ZERO:
            plan.append((document, left, None))
        nothing = _(
            "Invoice {number}: it was not paid beyond what it owes, so there is nothing to "
            "refund on it."
        )
    if refundable <= ZERO:
        raise InvalidTransition(nothing.format(number=number))
    if amount > refundable:
        raise ValidationError(
            _("Amount: at most {refundable} can be refunded on {number}.").format(
                refundable=fmt_money(session, refundable), number=number
            ),
            field="amount",
        )
    return plan


def record_refund(
    uow: UnitOfWork,
    *,
    actor: Actor,
    patient_id: uuid.UUID,
    method: PaymentMethod | str,
    amount: Decimal,
    reason: str,
    invoice_id: uuid.UUID | None = None,
    reference: str = "",
    now: datetime | None = None,
) -> PaymentDTO:
    """Pays `amount` back to the patient by `method`: on a credit note or an invoice with a
    negative balance (`invoice_id`), or, with None, out of the credit on account. Never more
    than is refundable there."""
    method = checked_method(method)
    amount = checked_money(amount, label=_("Amount"), field="amount")
    why = clean_text(reason, limit=REASON_MAX, label=_("Reason"), field="reason")
    if not why:
        raise ValidationError(_("Reason: say why the money is paid back."), field="reason")
    ref = clean_text(reference, limit=REFERENCE_MAX, label=_("Reference"), field="reference")
    with uow.transaction(actor) as session:
        require(session, actor, Permission.BILLING_MANAGE)
        paid_at, day = moment_and_day(session, now)
        refuse_closed_day(session, actor, day)
        patient = load_patient_row(session, patient_id)
        if invoice_id is None:
            credit, _holders = credit_holders(session, patient.id)
            if amount > credit:
                raise ValidationError(
                    _(
                        "Amount: {patient} has {credit} of credit on account; a refund cannot "
                        "be more than that."
                    ).format(patient=patient.full_name, credit=fmt_money(session, credit)),
                    field="amount",
                )
            plan: list[_Part] = []
        else:
            plan = _plan(session, patient, load_invoice(session, invoice_id), amount)
        stamp = utcnow()  # shared with its allocations (payment_rows.credit_after)
        refund = Payment(
            created_at=stamp,
            patient_id=patient.id,
            payer_name=patient.full_name,
            method=method.value,
            amount=amount,
            is_refund=True,
            tendered=None,
            change=ZERO,
            reference=ref,
            paid_at=paid_at,
            day=day,
            workstation=actor.workstation,
            notes=why,
        )
        session.add(refund)
        session.flush()
        touched: list[uuid.UUID] = []
        for document, part, corrected in plan:
            session.add(
                PaymentAllocation(
                    payment_id=refund.id, invoice_id=document.id, amount=part, created_at=stamp
                )
            )
            if document.kind == InvoiceKind.CREDIT_NOTE.value:
                document.paid_total = document.paid_total + part
                if corrected is not None:
                    corrected.paid_total = corrected.paid_total - part
                    corrected.settle()
                    touched.append(corrected.id)
            else:
                document.paid_total = document.paid_total - part
            document.settle()
            touched.append(document.id)
        session.flush()
        dto = payment_dtos(session, [refund], with_credit=True)[0]
        announce(
            uow, what="payments", ids=[refund.id], patient_ids=[patient.id], invoice_ids=touched
        )
    return dto
