"""What the payment, account and cash-close services share: checking amounts, loading the
invoices a payment may settle, the patient's credit on account (and which payments hold it),
the lock a closed cash day puts on new payments, the patients' names of a batch of rows, the
DTOs of payments built in a few queries whatever their number, and telling the screens what
changed."""

from __future__ import annotations

import uuid
from collections import defaultdict
from collections.abc import Iterable, Sequence
from datetime import date
from decimal import Decimal

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from clinic_desktop.actor import Actor
from clinic_desktop.db.uow import UnitOfWork
from clinic_desktop.errors import InvalidTransition, NotFound, ValidationError
from clinic_desktop.events import BillingChanged
from clinic_desktop.formatting import money
from clinic_desktop.i18n import _
from clinic_desktop.models.billing import (
    CashClose,
    Invoice,
    InvoiceKind,
    InvoiceStatus,
    Payment,
    PaymentAllocation,
    PaymentMethod,
)
from clinic_desktop.models.clinic import Clinic
from clinic_desktop.models.patient import Patient
from clinic_desktop.models.types import MONEY
from clinic_desktop.reports.clinical_letterhead import fmt_date, fmt_datetime
from clinic_desktop.services.agenda_rules import clinic_zone
from clinic_desktop.services.clinical_common import name_of, user_names
from clinic_desktop.services.payment_dto import (
    ZERO,
    AllocationDTO,
    PaymentDTO,
    method_label,
    receipt_number,
)
from clinic_desktop.services.purchasing_rows import checked_decimal
from clinic_desktop.services.stock_ledger import raw

REFERENCE_MAX = 120
REGULAR_KINDS = (InvoiceKind.INVOICE.value, InvoiceKind.SIMPLIFIED.value)


def currency_of(session: Session) -> str:
    return session.scalars(select(Clinic.currency)).one()


def checked_money(value: Decimal, *, label: str, field: str) -> Decimal:
    """A positive amount in cents, refused (never rounded) with more decimals."""
    return checked_decimal(Decimal(value), places=2, label=label, field=field, allow_zero=False)


def checked_method(method: PaymentMethod | str) -> PaymentMethod:
    try:
        return PaymentMethod(method)
    except ValueError:
        raise ValidationError(
            _("Method: choose cash, card, transfer or other."), field="method"
        ) from None


def clean_text(value: str, *, limit: int, label: str, field: str) -> str:
    text = " ".join(value.split())
    if len(text) > limit:
        raise ValidationError(
            _("{field}: at most {count} characters.").format(field=label, count=limit),
            field=field,
        )
    return text


def fmt_money(session: Session, amount: Decimal) -> str:
    return money(amount, currency_of(session))


def invoice_text(invoice: Invoice) -> str:
    return invoice.number_text or _("draft")


def load_invoice(session: Session, invoice_id: uuid.UUID) -> Invoice:
    invoice = session.get(Invoice, invoice_id)
    if invoice is None or invoice.is_deleted:
        raise NotFound(_("The invoice no longer exists."))
    return invoice


def load_patient_row(session: Session, patient_id: uuid.UUID) -> Patient:
    patient = session.get(Patient, patient_id)
    if patient is None or patient.is_deleted:
        raise NotFound(_("The patient no longer exists."))
    return patient


def require_payable(invoice: Invoice, patient_id: uuid.UUID | None) -> None:
    """Only an issued invoice (not a draft, not a credit note) with something owed, of the
    payment's patient, takes money."""
    number = invoice_text(invoice)
    if invoice.is_draft:
        raise InvalidTransition(
            _("Invoice {number} is a draft: issue it before taking payments on it.").format(
                number=number
            )
        )
    if invoice.kind not in REGULAR_KINDS:
        raise InvalidTransition(
            _("{number} is a credit note: it is refunded, not paid.").format(number=number)
        )
    if patient_id is not None and invoice.patient_id not in (None, patient_id):
        raise ValidationError(
            _("Invoice {number} belongs to another patient's account.").format(number=number),
            field="allocations",
        )
    if invoice.balance <= ZERO:
        raise InvalidTransition(
            _("Invoice {number} has nothing left to pay.").format(number=number)
        )


def open_invoices(session: Session, patient_id: uuid.UUID) -> list[Invoice]:
    """The patient's issued invoices with something owed, oldest first."""
    rows = session.scalars(
        select(Invoice)
        .where(
            Invoice.patient_id == patient_id,
            Invoice.deleted_at.is_(None),
            Invoice.kind.in_(REGULAR_KINDS),
            Invoice.status.in_((InvoiceStatus.ISSUED.value, InvoiceStatus.PARTLY_PAID.value)),
        )
        .order_by(Invoice.issue_date, Invoice.issued_at, Invoice.number_text)
    )
    return [inv for inv in rows if inv.balance > ZERO]


def allocated_by_payment(
    session: Session, payment_ids: Iterable[uuid.UUID]
) -> dict[uuid.UUID, Decimal]:
    wanted = list(set(payment_ids))
    if not wanted:
        return {}
    rows = session.execute(
        select(PaymentAllocation.payment_id, func.sum(raw(PaymentAllocation.amount)))
        .where(PaymentAllocation.payment_id.in_(wanted), PaymentAllocation.deleted_at.is_(None))
        .group_by(PaymentAllocation.payment_id)
    )
    return {pid: MONEY.from_raw(cents) for pid, cents in rows}


def patient_payments(session: Session, patient_id: uuid.UUID) -> list[Payment]:
    return list(
        session.scalars(
            select(Payment)
            .where(Payment.patient_id == patient_id, Payment.deleted_at.is_(None))
            .order_by(Payment.paid_at, Payment.id)
        )
    )


def credit_holders(
    session: Session, patient_id: uuid.UUID
) -> tuple[Decimal, list[tuple[Payment, Decimal]]]:
    """The patient's credit on account and the receipts that hold it, oldest first, with how
    much each still holds. Refunds of credit (a refund without allocations) use the oldest
    credit first, so they are taken off the front of the list."""
    payments = patient_payments(session, patient_id)
    allocated = allocated_by_payment(session, [p.id for p in payments])
    free = [(p, p.amount - allocated.get(p.id, ZERO)) for p in payments if not p.is_refund]
    refunded = sum((p.amount - allocated.get(p.id, ZERO) for p in payments if p.is_refund), ZERO)
    holders: list[tuple[Payment, Decimal]] = []
    for payment, left in free:
        if left <= ZERO:
            continue
        used = min(left, refunded)
        refunded -= used
        if left - used > ZERO:
            holders.append((payment, left - used))
    return sum((left for _p, left in holders), ZERO), holders


def credit_after(session: Session, payment: Payment) -> Decimal:
    """The patient's credit on account right after `payment` was recorded: the payments and
    allocations written up to its transaction (they share its created_at), not the credit
    applied or refunded since, so a reprinted receipt says what the first one said."""
    if payment.patient_id is None:
        return ZERO
    cutoff = payment.created_at
    earlier = [p for p in patient_payments(session, payment.patient_id) if p.created_at <= cutoff]
    rows = session.execute(
        select(PaymentAllocation.payment_id, func.sum(raw(PaymentAllocation.amount)))
        .where(
            PaymentAllocation.payment_id.in_([p.id for p in earlier]),
            PaymentAllocation.created_at <= cutoff,
            PaymentAllocation.deleted_at.is_(None),
        )
        .group_by(PaymentAllocation.payment_id)
    )
    allocated = {pid: MONEY.from_raw(cents) for pid, cents in rows}
    return sum(
        ((-1 if p.is_refund else 1) * (p.amount - allocated.get(p.id, ZERO)) for p in earlier),
        ZERO,
    )


def patient_names(session: Session, ids: Iterable[uuid.UUID | None]) -> dict[uuid.UUID, str]:
    """ "First names Last names" by patient id, read in one query (deleted patients too: a
    payment or invoice keeps naming whom it was for)."""
    wanted = {i for i in ids if i is not None}
    if not wanted:
        return {}
    rows = session.execute(
        select(Patient.id, Patient.first_names, Patient.last_names).where(Patient.id.in_(wanted))
    )
    return {pid: f"{first} {last}".strip() for pid, first, last in rows}


def find_close(
    session: Session, *, day: date, workstation: str, user_id: uuid.UUID
) -> CashClose | None:
    return session.scalars(
        select(CashClose).where(
            CashClose.day == day,
            CashClose.workstation == workstation,
            CashClose.user_id == user_id,
            CashClose.deleted_at.is_(None),
        )
    ).first()


def refuse_closed_day(session: Session, actor: Actor, day: date) -> None:
    """New money cannot enter a day whose cash this user already closed at this PC."""
    if actor.user_id is None:
        return
    close = find_close(session, day=day, workstation=actor.workstation, user_id=actor.user_id)
    if close is None:
        return
    zone = clinic_zone(session)
    raise InvalidTransition(
        _(
            "Your cash of {day} at {workstation} was closed at {time}: no more payments or "
            "refunds can be recorded in it."
        ).format(
            day=fmt_date(day),
            workstation=actor.workstation,
            time=fmt_datetime(close.closed_at.astimezone(zone)),
        )
    )


def payment_dtos(
    session: Session, payments: Sequence[Payment], *, with_credit: bool = False
) -> list[PaymentDTO]:
    """DTOs for `payments` in four queries whatever their number; `with_credit` also reads
    each patient's credit on account right after each payment (for a receipt)."""
    if not payments:
        return []
    ids = [p.id for p in payments]
    allocations: dict[uuid.UUID, list[PaymentAllocation]] = defaultdict(list)
    for row in session.scalars(
        select(PaymentAllocation)
        .where(PaymentAllocation.payment_id.in_(ids), PaymentAllocation.deleted_at.is_(None))
        .order_by(PaymentAllocation.created_at, PaymentAllocation.id)
    ):
        allocations[row.payment_id].append(row)
    invoice_ids = {a.invoice_id for rows in allocations.values() for a in rows}
    invoices = (
        {i.id: i for i in session.scalars(select(Invoice).where(Invoice.id.in_(invoice_ids)))}
        if invoice_ids
        else {}
    )
    patients = patient_names(session, (p.patient_id for p in payments))
    credits = (
        {p.id: credit_after(session, p) for p in payments if p.patient_id is not None}
        if with_credit
        else {}
    )
    names = user_names(session, (p.created_by for p in payments))
    currency = currency_of(session)
    result: list[PaymentDTO] = []
    for p in payments:
        rows = tuple(
            AllocationDTO(
                id=a.id,
                payment_id=p.id,
                invoice_id=a.invoice_id,
                invoice_number=invoice_text(invoices[a.invoice_id]),
                invoice_kind=invoices[a.invoice_id].kind,
                issue_date=invoices[a.invoice_id].issue_date,
                amount=a.amount,
                created_at=a.created_at,
            )
            for a in allocations[p.id]
        )
        allocated = sum((a.amount for a in rows), ZERO)
        result.append(
            PaymentDTO(
                id=p.id,
                receipt_number=receipt_number(p.id),
                patient_id=p.patient_id,
                patient_name=patients.get(p.patient_id, "") if p.patient_id else "",
                payer_name=p.payer_name,
                method=p.method,
                method_label=method_label(p.method),
                amount=p.amount,
                is_refund=p.is_refund,
                signed_amount=-p.amount if p.is_refund else p.amount,
                tendered=p.tendered,
                change=p.change,
                reference=p.reference,
                notes=p.notes,
                paid_at=p.paid_at,
                day=p.day,
                workstation=p.workstation,
                received_by_id=p.created_by,
                received_by=name_of(names, p.created_by),
                cash_close_id=p.cash_close_id,
                allocations=rows,
                allocated=allocated,
                unallocated=p.amount - allocated,
                currency=currency,
                patient_credit=credits.get(p.id, ZERO),
            )
        )
    return result


def announce(
    uow: UnitOfWork,
    *,
    what: str,
    ids: Iterable[uuid.UUID],
    patient_ids: Iterable[uuid.UUID | None] = (),
    invoice_ids: Iterable[uuid.UUID] = (),
) -> None:
    """BillingChanged after the commit: `what` (payments, cash) and, when invoices' paid
    totals or statuses changed, "invoices" too so invoice lists refresh."""
    patients = tuple(sorted({str(p) for p in patient_ids if p is not None}))
    uow.publish_after_commit(
        BillingChanged(what=what, ids=tuple(sorted({str(i) for i in ids})), patient_ids=patients)
    )
    invoices = tuple(sorted({str(i) for i in invoice_ids}))
    if invoices:
        uow.publish_after_commit(
            BillingChanged(what="invoices", ids=invoices, patient_ids=patients)
        )
