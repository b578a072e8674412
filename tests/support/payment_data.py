"""Issued invoices and credit notes for the payment, account and cash-close tests, written
straight into the models the way the invoice services leave them (number from this PC's series,
totals from fiscal.invoice_math, buyer copied, status issued), so these tests depend only on the
billing contract; plus the demo accounts as actors, a patient of the test's own, reading
invoices back, and counting the rows and audit entries a refusal must leave untouched."""

from __future__ import annotations

import uuid
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from decimal import Decimal
from typing import Any, TypeVar
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import func, select

from clinic_desktop.actor import Actor
from clinic_desktop.fiscal.invoice_math import LineInput, compute_totals
from clinic_desktop.fiscal.tax_rates import rate_for
from clinic_desktop.models.audit import AuditEntry
from clinic_desktop.models.billing import (
    CashClose,
    CashCloseLine,
    Invoice,
    InvoiceKind,
    InvoiceLine,
    InvoiceStatus,
    Payment,
    PaymentAllocation,
    PaymentMethod,
)
from clinic_desktop.models.clinic import Clinic
from clinic_desktop.services.auth import sign_in
from clinic_desktop.services.demo import DEMO_PASSWORD
from clinic_desktop.services.invoice_numbering import next_number
from clinic_desktop.services.patient_admin import PatientForm, create_patient
from clinic_desktop.services.payment_dto import PaymentDTO
from clinic_desktop.services.payments import record_payment, record_refund
from clinic_desktop.services.startup import CreatedClinic

SYSTEM = Actor.system("tests")
D = Decimal
CASH = PaymentMethod.CASH
CARD = PaymentMethod.DEBIT_CARD
E = TypeVar("E", bound=Exception)


def actor(demo: CreatedClinic, username: str, workstation: str | None = None) -> Actor:
    user = sign_in(demo.db.uow(), username=username, password=DEMO_PASSWORD)
    found = Actor.for_user(user.id, user.username)
    if workstation is not None:
        found = Actor(found.user_id, found.name, workstation)
    return found


def new_patient(demo: CreatedClinic, first: str = "Rosa Elena", last: str = "Quishpe") -> uuid.UUID:
    form = PatientForm(first_names=first, last_names=last, sex="F", birth_date=date(1979, 4, 2))
    return create_patient(demo.db.uow(), actor=SYSTEM, form=form).id


def clinic_today(demo: CreatedClinic) -> date:
    with demo.db.uow().transaction(SYSTEM) as session:
        zone = ZoneInfo(session.scalars(select(Clinic.timezone)).one())
    return datetime.now(zone).date()


def at_noon(demo: CreatedClinic, day: date) -> datetime:
    """Noon of `day` in the clinic's zone, as aware UTC (a backdated payment's moment)."""
    with demo.db.uow().transaction(SYSTEM) as session:
        zone = ZoneInfo(session.scalars(select(Clinic.timezone)).one())
    return datetime.combine(day, time(12), zone).astimezone(UTC)


def issue_invoice(
    demo: CreatedClinic,
    patient_id: uuid.UUID | None,
    prices: list[Decimal],
    *,
    issue_date: date | None = None,
    days_ago: int = 0,
    tax_code: str = "EC_IVA_0",
    buyer_name: str = "Rosa Elena Quishpe",
    buyer_tax_id: str = "1710034065",
) -> uuid.UUID:
    """An issued invoice with one line per price (quantity 1), numbered from this PC's series."""
    day = issue_date or clinic_today(demo) - timedelta(days=days_ago)
    return _issue(
        demo, patient_id, prices, day, InvoiceKind.INVOICE, tax_code, buyer_name, buyer_tax_id
    )


def issue_credit_note(
    demo: CreatedClinic, invoice_id: uuid.UUID, amount: Decimal | None = None
) -> uuid.UUID:
    """A credit note returning `amount` (all of it by default) of an invoice at 0 % tax, and
    the invoice's credited total and status updated, as the credit-note service does."""
    with demo.db.uow().transaction(SYSTEM) as session:
        original = session.get(Invoice, invoice_id)
        assert original is not None
        patient_id, buyer, tax_id = original.patient_id, original.buyer_name, original.buyer_tax_id
        value = original.total if amount is None else amount
    note_id = _issue(
        demo,
        patient_id,
        [value],
        clinic_today(demo),
        InvoiceKind.CREDIT_NOTE,
        "EC_IVA_0",
        buyer,
        tax_id,
        corrects=invoice_id,
    )
    with demo.db.uow().transaction(SYSTEM) as session:
        original = session.get(Invoice, invoice_id)
        note = session.get(Invoice, note_id)
        assert original is not None and note is not None
        original.credited_total = original.credited_total + note.total
        original.settle()
    return note_id


def _issue(
    demo: CreatedClinic,
    patient_id: uuid.UUID | None,
    prices: list[Decimal],
    day: date,
    kind: InvoiceKind,
    tax_code: str,
    buyer_name: str,
    buyer_tax_id: str,
    corrects: uuid.UUID | None = None,
) -> uuid.UUID:
    rate = rate_for(tax_code, day)
    inputs = [LineInput(D(1), price, D(0), tax_code, rate.percent, rate.exempt) for price in prices]
    totals = compute_totals(inputs)
    with demo.db.uow().transaction(SYSTEM) as session:
        clinic = session.scalars(select(Clinic)).one()
        issued = next_number(session, workstation=SYSTEM.workstation, kind=kind)
        invoice = Invoice(
            kind=kind.value,
            status=InvoiceStatus.ISSUED.value,
            country=clinic.country,
            currency=clinic.currency,
            series_id=issued.series.id,
            number=issued.number,
            # Ecuador numbers facturas and notas de crédito in separate series with the same
            # printed prefix, so their texts collide on the unique column: told to the
            # numbering's author; the prefix keeps these apart meanwhile.
            number_text=issued.text,
            issue_date=day,
            issued_at=datetime.now(UTC),
            patient_id=patient_id,
            buyer_name=buyer_name,
            buyer_id_type="cedula",
            buyer_tax_id=buyer_tax_id,
            subtotal=totals.subtotal,
            discount_total=totals.discount,
            tax_total=totals.tax,
            total=totals.total,
            corrects_id=corrects,
            correction_reason="Devolución" if corrects else "",
        )
        session.add(invoice)
        session.flush()
        for position, (line, amounts) in enumerate(zip(inputs, totals.lines, strict=True), 1):
            session.add(
                InvoiceLine(
                    invoice_id=invoice.id,
                    position=position,
                    description=f"Tratamiento {position}",
                    quantity=line.quantity,
                    unit_price=line.unit_price,
                    net=amounts.net,
                    global_discount=amounts.global_discount,
                    tax_code=tax_code,
                    tax_percent=line.tax_percent,
                    tax_official=rate.official,
                )
            )
        return invoice.id


def draft_invoice(demo: CreatedClinic, patient_id: uuid.UUID, price: Decimal) -> uuid.UUID:
    with demo.db.uow().transaction(SYSTEM) as session:
        invoice = Invoice(
            country="EC", currency="USD", patient_id=patient_id, total=price, subtotal=price
        )
        session.add(invoice)
        session.flush()
        return invoice.id


@dataclass(frozen=True)
class InvoiceState:
    status: str
    paid: Decimal
    credited: Decimal
    balance: Decimal


def invoice_state(demo: CreatedClinic, invoice_id: uuid.UUID) -> InvoiceState:
    with demo.db.uow().transaction(SYSTEM) as session:
        inv = session.get(Invoice, invoice_id)
        assert inv is not None
        return InvoiceState(inv.status, inv.paid_total, inv.credited_total, inv.balance)


def snapshot(demo: CreatedClinic) -> tuple[object, ...]:
    """Row counts of everything a payment or close writes, the invoices' paid totals and
    statuses, and the audit trail's length: equal before and after, nothing changed."""
    with demo.db.uow().transaction(SYSTEM) as session:
        counts = tuple(
            session.scalar(select(func.count()).select_from(model))
            for model in (Payment, PaymentAllocation, CashClose, CashCloseLine, AuditEntry)
        )
        invoices = tuple(
            session.execute(
                select(Invoice.id, Invoice.status, Invoice.paid_total, Invoice.version).order_by(
                    Invoice.id
                )
            ).all()
        )
        locked = session.scalar(
            select(func.count()).select_from(Payment).where(Payment.cash_close_id.is_not(None))
        )
    return (counts, invoices, locked)


def pay(
    demo: CreatedClinic, who: Actor, patient_id: uuid.UUID | None, amount: Decimal, **kw: Any
) -> PaymentDTO:
    """A payment by debit card unless `method` says otherwise; the payer is the patient."""
    kw.setdefault("payer_name", "")
    kw.setdefault("method", PaymentMethod.DEBIT_CARD)
    return record_payment(demo.db.uow(), actor=who, patient_id=patient_id, amount=amount, **kw)


def refund(
    demo: CreatedClinic, who: Actor, patient_id: uuid.UUID, amount: Decimal, **kw: Any
) -> PaymentDTO:
    """A cash refund unless `method` says otherwise."""
    kw.setdefault("method", PaymentMethod.CASH)
    kw.setdefault("reason", "Devolución")
    return record_refund(demo.db.uow(), actor=who, patient_id=patient_id, amount=amount, **kw)


def refused(demo: CreatedClinic, error: type[E], call: Callable[[], object]) -> E:
    """`call` raises `error` and leaves every payment, allocation, close, invoice and audit
    entry as it was."""
    before = snapshot(demo)
    with pytest.raises(error) as caught:
        call()
    assert snapshot(demo) == before
    return caught.value


def audit_of(demo: CreatedClinic, entity: str, entity_id: uuid.UUID) -> list[AuditEntry]:
    with demo.db.uow().transaction(SYSTEM) as session:
        return list(
            session.scalars(
                select(AuditEntry)
                .where(AuditEntry.entity == entity, AuditEntry.entity_id == str(entity_id))
                .order_by(AuditEntry.seq)
            )
        )
