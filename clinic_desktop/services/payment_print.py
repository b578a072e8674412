"""Printing what the payment services record: a payment or refund receipt, the sheet of a
closed cash day, and the same sheet as a draft preview before closing (counted amounts typed
but not saved). These fill the reports' input dataclasses (reports.billing_docs) from the DTOs,
with times in the clinic's zone and labels translated, and return PDF bytes."""

from __future__ import annotations

import uuid
from collections.abc import Mapping
from datetime import date
from decimal import Decimal
from zoneinfo import ZoneInfo

from sqlalchemy.orm import Session

from clinic_desktop.actor import Actor
from clinic_desktop.db.uow import UnitOfWork
from clinic_desktop.errors import NotFound
from clinic_desktop.i18n import _
from clinic_desktop.models.billing import Payment, PaymentMethod
from clinic_desktop.models.patient import Patient
from clinic_desktop.models.permissions import Permission
from clinic_desktop.reports.billing_docs import (
    CashCloseDoc,
    CashClosePayment,
    CashCloseRow,
    PaymentReceiptDoc,
    ReceiptAllocation,
)
from clinic_desktop.reports.cash_close_pdf import render_cash_close
from clinic_desktop.reports.clinical_letterhead import Letterhead
from clinic_desktop.reports.payment_receipt_pdf import render_payment_receipt
from clinic_desktop.services.access import require_any
from clinic_desktop.services.agenda_rules import clinic_zone
from clinic_desktop.services.cash_close import cash_day_summary, get_cash_close
from clinic_desktop.services.cash_close_dto import CashCloseDTO, CashDaySummaryDTO
from clinic_desktop.services.clinical_print_views import clinic_letterhead
from clinic_desktop.services.labels import id_type_label
from clinic_desktop.services.payment_dto import ZERO, PaymentDTO, method_label
from clinic_desktop.services.payment_rows import payment_dtos

READERS = (Permission.BILLING_MANAGE, Permission.REPORTS_FINANCE)


def _payment_rows(payments: tuple[PaymentDTO, ...], zone: ZoneInfo) -> tuple[CashClosePayment, ...]:
    return tuple(
        CashClosePayment(
            at=p.paid_at.astimezone(zone),
            payer=p.payer_name,
            method_label=p.method_label,
            amount=p.signed_amount,
            receipt=p.receipt_number,
        )
        for p in payments
    )


def cash_close_doc(close: CashCloseDTO, *, letterhead: Letterhead, zone: ZoneInfo) -> CashCloseDoc:
    """The printed sheet of a recorded close."""
    return CashCloseDoc(
        letterhead=letterhead,
        day=close.day,
        workstation=close.workstation,
        user=close.user_name,
        currency=close.currency,
        rows=tuple(
            CashCloseRow(line.method_label, line.expected, line.counted, line.difference)
            for line in close.lines
        ),
        total_expected=close.expected_total,
        total_counted=close.counted_total,
        total_difference=close.difference_total,
        payments=_payment_rows(close.payments, zone),
        comment=close.comment,
        closed_at=close.closed_at.astimezone(zone),
    )


def draft_close_doc(
    summary: CashDaySummaryDTO,
    counted: Mapping[PaymentMethod | str, Decimal],
    comment: str,
    *,
    letterhead: Letterhead,
    zone: ZoneInfo,
) -> CashCloseDoc:
    """The sheet as it would print if the day were closed with `counted` now (crossed DRAFT);
    it lists the methods the close would record: those with payments or a count, and cash."""
    counts = {PaymentMethod(m).value: amount for m, amount in counted.items()}
    rows = tuple(
        CashCloseRow(
            r.method_label,
            r.expected,
            counts.get(r.method, ZERO),
            counts.get(r.method, ZERO) - r.expected,
        )
        for r in summary.rows
        if r.count or counts.get(r.method, ZERO) or r.method == PaymentMethod.CASH.value
    )
    expected = sum((r.expected for r in rows), ZERO)
    counted_total = sum((r.counted for r in rows), ZERO)
    return CashCloseDoc(
        letterhead=letterhead,
        day=summary.day,
        workstation=summary.workstation,
        user=summary.user_name,
        currency=summary.currency,
        rows=rows,
        total_expected=expected,
        total_counted=counted_total,
        total_difference=counted_total - expected,
        payments=_payment_rows(summary.payments, zone),
        comment=" ".join(comment.split()),
        closed_at=None,
    )


def _zone_and_letterhead(uow: UnitOfWork, actor: Actor) -> tuple[ZoneInfo, Letterhead]:
    with uow.transaction(actor) as session:
        require_any(session, actor, READERS)
        return clinic_zone(session), clinic_letterhead(session)


def print_cash_close(uow: UnitOfWork, *, actor: Actor, cash_close_id: uuid.UUID) -> bytes:
    close = get_cash_close(uow, actor=actor, cash_close_id=cash_close_id)
    zone, letterhead = _zone_and_letterhead(uow, actor)
    return render_cash_close(cash_close_doc(close, letterhead=letterhead, zone=zone))


def preview_cash_close(
    uow: UnitOfWork,
    *,
    actor: Actor,
    counted: Mapping[PaymentMethod | str, Decimal],
    comment: str = "",
    day: date | None = None,
) -> bytes:
    """The actor's day at this PC as a draft sheet, before it is closed."""
    summary = cash_day_summary(uow, actor=actor, day=day)
    zone, letterhead = _zone_and_letterhead(uow, actor)
    doc = draft_close_doc(summary, counted, comment, letterhead=letterhead, zone=zone)
    return render_cash_close(doc)


def _payer_id(session: Session, patient_id: uuid.UUID | None) -> str:
    patient = session.get(Patient, patient_id) if patient_id else None
    if patient is None or not patient.id_number:
        return ""
    return f"{id_type_label(patient.id_type)} {patient.id_number}"


def receipt_doc(
    payment: PaymentDTO, *, letterhead: Letterhead, zone: ZoneInfo, payer_id: str = ""
) -> PaymentReceiptDoc:
    cash = payment.method == PaymentMethod.CASH.value and not payment.is_refund
    return PaymentReceiptDoc(
        letterhead=letterhead,
        number=payment.receipt_number,
        received_at=payment.paid_at.astimezone(zone),
        payer=payment.payer_name,
        method_label=method_label(payment.method),
        amount=payment.amount,
        currency=payment.currency,
        allocations=tuple(
            ReceiptAllocation(a.invoice_number, a.issue_date, a.amount) for a in payment.allocations
        ),
        payer_id=payer_id,
        reference=payment.reference,
        cash_tendered=payment.tendered if cash else None,
        change=payment.change if cash and payment.tendered is not None else None,
        credit_left=payment.patient_credit,
        received_by=payment.received_by,
        refund=payment.is_refund,
        notes=payment.notes,
    )


def print_payment_receipt(uow: UnitOfWork, *, actor: Actor, payment_id: uuid.UUID) -> bytes:
    """The receipt of a payment or refund (a refund's is titled as such)."""
    with uow.transaction(actor) as session:
        require_any(session, actor, READERS)
        row = session.get(Payment, payment_id)
        if row is None or row.is_deleted:
            raise NotFound(_("The payment no longer exists."))
        payment = payment_dtos(session, [row], with_credit=True)[0]
        doc = receipt_doc(
            payment,
            letterhead=clinic_letterhead(session),
            zone=clinic_zone(session),
            payer_id=_payer_id(session, row.patient_id),
        )
    return render_payment_receipt(doc)
