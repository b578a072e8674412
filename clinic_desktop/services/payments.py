"""Taking payments at the desk: money received by method (cash with the change given, cards,
transfer, other) applied to one or several issued invoices, oldest first unless the user says
which; whatever is not applied stays on the patient's account as credit, which can later pay
another invoice (apply_credit) or be paid back (payment_refunds.record_refund). Payments are
never edited or deleted: a mistake is corrected by a refund. A payment is taken on the clinic's
day at this PC by this user, so once that user closed that day's cash here (cash_close), no
more payments or refunds enter it.

Sign conventions (every service, DTO, report and PDF follows them):
- Payment.amount and PaymentAllocation.amount are always > 0; `is_refund` gives the direction.
  PaymentDTO.signed_amount is +amount for money received and -amount for money paid back, as
  the till sees it; the cash close's expected amount per method is the sum of signed amounts
  (cash counts `amount`, i.e. tendered - change).
- A receipt's allocation to an invoice raises its paid_total. A refund's allocation to an
  invoice lowers its paid_total (money paid for it went back). A refund's allocation to a credit
  note raises the credit note's paid_total (what has been refunded on it) and lowers the paid
  total of the invoice it corrects by the same amount. Hence for every invoice, paid_total =
  its receipts' allocations - its refunds' allocations - the refunds allocated to its credit
  notes; and for a credit note, paid_total = the refunds allocated to it.
- Invoice.balance = total - paid_total - credited_total: > 0 the patient owes it, < 0 the
  clinic owes the patient (paid, then corrected by a credit note): refundable.
- The unallocated part of a receipt is credit on account; the unallocated part of a refund is
  credit paid back. Credit on account = sum of receipts' unallocated parts - sum of refunds'
  unallocated parts, never negative.
- A patient's net balance (accounts.PatientAccountDTO) = balance due on open invoices - credit
  on account - amounts refundable on credit notes: > 0 the patient owes the clinic."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from datetime import datetime
from decimal import Decimal

from sqlalchemy.orm import Session

from clinic_desktop.actor import Actor
from clinic_desktop.db.uow import UnitOfWork
from clinic_desktop.errors import NeedsConfirmation, ValidationError
from clinic_desktop.i18n import _
from clinic_desktop.models.base import utcnow
from clinic_desktop.models.billing import Invoice, Payment, PaymentAllocation, PaymentMethod
from clinic_desktop.models.permissions import Permission
from clinic_desktop.services.access import require
from clinic_desktop.services.clinic_days import moment_and_day
from clinic_desktop.services.payment_dto import ZERO, CreditAppliedDTO, PaymentDTO
from clinic_desktop.services.payment_queries import get_payment, list_payments
from clinic_desktop.services.payment_refunds import record_refund
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
    open_invoices,
    payment_dtos,
    refuse_closed_day,
    require_payable,
)

PAYER_MAX = 300

__all__ = [
    "apply_credit",
    "get_payment",
    "list_payments",
    "record_payment",
    "record_refund",
]


def _cash_change(
    method: PaymentMethod, amount: Decimal, tendered: Decimal | None, session: Session
) -> tuple[Decimal | None, Decimal]:
    if tendered is None:
        return None, ZERO
    if method != PaymentMethod.CASH:
        raise ValidationError(
            _("Amount tendered: only cash is handed over; leave it empty for this method."),
            field="tendered",
        )
    tendered = checked_money(tendered, label=_("Amount tendered"), field="tendered")
    if tendered < amount:
        raise ValidationError(
            _("Amount tendered: {tendered} is less than the {amount} to pay.").format(
                tendered=fmt_money(session, tendered), amount=fmt_money(session, amount)
            ),
            field="tendered",
        )
    return tendered, tendered - amount


def _chosen_allocations(
    session: Session,
    allocations: Sequence[tuple[uuid.UUID, Decimal]],
    patient_id: uuid.UUID | None,
) -> list[tuple[Invoice, Decimal]]:
    """The invoices the user chose, each checked against what it still owes."""
    merged: dict[uuid.UUID, tuple[Invoice, Decimal]] = {}
    for invoice_id, amount in allocations:
        invoice = load_invoice(session, invoice_id)
        require_payable(invoice, patient_id)
        label = _("Invoice {number}, amount").format(number=invoice_text(invoice))
        amount = checked_money(amount, label=label, field="allocations")
        _inv, before = merged.get(invoice.id, (invoice, ZERO))
        merged[invoice.id] = (invoice, before + amount)
    for invoice, amount in merged.values():
        if amount > invoice.balance:
            raise ValidationError(
                _("Invoice {number}: {amount} is more than the {balance} still owed.").format(
                    number=invoice_text(invoice),
                    amount=fmt_money(session, amount),
                    balance=fmt_money(session, invoice.balance),
                ),
                field="allocations",
            )
    return list(merged.values())


def _oldest_first(
    session: Session, patient_id: uuid.UUID, amount: Decimal
) -> list[tuple[Invoice, Decimal]]:
    plan: list[tuple[Invoice, Decimal]] = []
    left = amount
    for invoice in open_invoices(session, patient_id):
        if left <= ZERO:
            break
        part = min(left, invoice.balance)
        plan.append((invoice, part))
        left -= part
    return plan


def _owner_of(plan: list[tuple[Invoice, Decimal]]) -> uuid.UUID | None:
    """The patient whose invoices these are, when a payment names none but they share one."""
    owners = {invoice.patient_id for invoice, _amount in plan}
    return owners.pop() if len(owners) == 1 else None


def record_payment(
    uow: UnitOfWork,
    *,
    actor: Actor,
    patient_id: uuid.UUID | None,
    payer_name: str,
    method: PaymentMethod | str,
    amount: Decimal,
    allocations: Sequence[tuple[uuid.UUID, Decimal]] | None = None,
    tendered: Decimal | None = None,
    reference: str = "",
    confirmed: bool = False,
    now: datetime | None = None,
) -> PaymentDTO:
    """Records money received and applies it to `allocations` (invoice id, amount), or, given
    None, to the patient's open invoices oldest first. A part left unapplied asks first
    (NeedsConfirmation) and, once `confirmed`, stays as credit on the patient's account.
    `now` backdates the payment (the demo generator and tests; the UI never passes it)."""
    method = checked_method(method)
    amount = checked_money(amount, label=_("Amount"), field="amount")
    payer = clean_text(payer_name, limit=PAYER_MAX, label=_("Payer"), field="payer_name")
    ref = clean_text(reference, limit=REFERENCE_MAX, label=_("Reference"), field="reference")
    with uow.transaction(actor) as session:
        require(session, actor, Permission.BILLING_MANAGE)
        paid_at, day = moment_and_day(session, now)
        refuse_closed_day(session, actor, day)
        tendered, change = _cash_change(method, amount, tendered, session)
        patient = load_patient_row(session, patient_id) if patient_id is not None else None
        if allocations is None:
            if patient is None:
                raise ValidationError(
                    _("Invoices: choose the patient, or the invoices this payment settles."),
                    field="allocations",
                )
            plan = _oldest_first(session, patient.id, amount)
        else:
            plan = _chosen_allocations(session, allocations, patient_id)
        applied = sum((part for _inv, part in plan), ZERO)
        if applied > amount:
            raise ValidationError(
                _(
                    "Invoices: the amounts applied add up to {applied}, more than the {amount} "
                    "paid."
                ).format(applied=fmt_money(session, applied), amount=fmt_money(session, amount)),
                field="allocations",
            )
        if patient is None:
            owner = _owner_of(plan)
            patient = load_patient_row(session, owner) if owner is not None else None
        excess = amount - applied
        if excess > ZERO:
            if patient is None:
                raise ValidationError(
                    _(
                        "Patient: {excess} would be left over as credit, and credit is kept on "
                        "a patient's account. Choose the patient, or apply the whole amount to "
                        "invoices."
                    ).format(excess=fmt_money(session, excess)),
                    field="patient",
                )
            if not confirmed:
                raise NeedsConfirmation(
                    _(
                        "{excess} of the {amount} paid is not needed for any invoice and will "
                        "stay on {patient}'s account as credit."
                    ).format(
                        excess=fmt_money(session, excess),
                        amount=fmt_money(session, amount),
                        patient=patient.full_name,
                    ),
                    question=_(
                        "Record the payment and keep {excess} as credit? Payments cannot be "
                        "edited or deleted afterwards; a mistake is corrected with a refund."
                    ).format(excess=fmt_money(session, excess)),
                    field="amount",
                )
        if not payer:
            if patient is None:
                raise ValidationError(_("Payer: write who pays."), field="payer_name")
            payer = patient.full_name
        # One created_at for the payment and its allocations: credit_after reads a receipt's
        # "credit left" as of this moment.
        stamp = utcnow()
        payment = Payment(
            created_at=stamp,
            patient_id=patient.id if patient is not None else None,
            payer_name=payer,
            method=method.value,
            amount=amount,
            is_refund=False,
            tendered=tendered,
            change=change,
            reference=ref,
            paid_at=paid_at,
            day=day,
            workstation=actor.workstation,
        )
        session.add(payment)
        session.flush()
        for invoice, part in plan:
            session.add(
                PaymentAllocation(
                    payment_id=payment.id, invoice_id=invoice.id, amount=part, created_at=stamp
                )
            )
            invoice.paid_total = invoice.paid_total + part
            invoice.settle()
        session.flush()
        dto = payment_dtos(session, [payment], with_credit=True)[0]
        announce(
            uow,
            what="payments",
            ids=[payment.id],
            patient_ids=[payment.patient_id],
            invoice_ids=[inv.id for inv, _part in plan],
        )
    return dto


def apply_credit(
    uow: UnitOfWork,
    *,
    actor: Actor,
    patient_id: uuid.UUID,
    invoice_id: uuid.UUID,
    amount: Decimal,
) -> CreditAppliedDTO:
    """Pays `amount` of an invoice from the patient's credit on account: no money moves, the
    payments holding the credit (oldest first) get allocations to the invoice. Allowed on
    payments of a closed cash day, since what was taken by each method does not change."""
    with uow.transaction(actor) as session:
        require(session, actor, Permission.BILLING_MANAGE)
        patient = load_patient_row(session, patient_id)
        invoice = load_invoice(session, invoice_id)
        require_payable(invoice, patient.id)
        if invoice.patient_id != patient.id:
            raise ValidationError(
                _("Invoice {number} belongs to another patient's account.").format(
                    number=invoice_text(invoice)
                ),
                field="invoice",
            )
        amount = checked_money(amount, label=_("Amount"), field="amount")
        if amount > invoice.balance:
            raise ValidationError(
                _(
                    "Amount: {amount} is more than the {balance} still owed on invoice {number}."
                ).format(
                    amount=fmt_money(session, amount),
                    balance=fmt_money(session, invoice.balance),
                    number=invoice_text(invoice),
                ),
                field="amount",
            )
        credit, holders = credit_holders(session, patient.id)
        if amount > credit:
            raise ValidationError(
                _(
                    "Amount: {patient} has {credit} of credit on account, less than {amount}."
                ).format(
                    patient=patient.full_name,
                    credit=fmt_money(session, credit),
                    amount=fmt_money(session, amount),
                ),
                field="amount",
            )
        made: list[PaymentAllocation] = []
        left = amount
        for payment, free in holders:
            if left <= ZERO:
                break
            part = min(left, free)
            made.append(
                PaymentAllocation(payment_id=payment.id, invoice_id=invoice.id, amount=part)
            )
            left -= part
        session.add_all(made)
        invoice.paid_total = invoice.paid_total + amount
        invoice.settle()
        session.flush()
        payments = [p for p, _free in holders if p.id in {a.payment_id for a in made}]
        rows = [
            a
            for dto in payment_dtos(session, payments)
            for a in dto.allocations
            if a.id in {m.id for m in made}
        ]
        result = CreditAppliedDTO(
            patient_id=patient.id,
            invoice_id=invoice.id,
            invoice_number=invoice_text(invoice),
            amount=amount,
            allocations=tuple(rows),
            invoice_balance=invoice.balance,
            invoice_status=invoice.status,
            credit_left=credit - amount,
        )
        announce(
            uow,
            what="payments",
            ids=[p.id for p in payments],
            patient_ids=[patient.id],
            invoice_ids=[invoice.id],
        )
    return result
