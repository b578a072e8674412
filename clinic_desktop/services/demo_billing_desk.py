"""The demo's latest work at the desk, done through the billing services exactly as reception
does it on screen (each call its own transaction, backdated with `now=` to when it happened):
the invoice made out to the wrong buyer two months ago is credited in full; the three latest
invoiced visits are drafted from their appointment and issued (the second also sells a
toothbrush and dental floss, which leave stock through the ledger, and gets 5 % off the
total), the first paid in cash with change, the second half by debit card, the third left for
a transfer; and a treatment charged by mistake on a paid invoice of the last days is credited
and its money refunded in cash. Then every past day's cash is closed: the older days in bulk
(expected amounts by `cash_close`'s own tally of the day's payments, counted equal), the latest
through `close_cash_day` with fifty cents missing from the drawer (or over, on a day with
less cash than that) and the comment that explains it. Today's cash is left open."""

from __future__ import annotations

import dataclasses
import uuid
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from decimal import ROUND_CEILING, Decimal
from typing import Any, cast
from zoneinfo import ZoneInfo

from sqlalchemy import Table, select
from sqlalchemy.orm import Session

from clinic_desktop.actor import Actor
from clinic_desktop.db.audit_log import append_audit
from clinic_desktop.db.uow import Database
from clinic_desktop.models.base import new_id
from clinic_desktop.models.billing import (
    CashClose,
    CashCloseLine,
    InvoiceStatus,
    Payment,
    PaymentMethod,
)
from clinic_desktop.models.inventory import Product

# The close's own tally of a day's payments, so the bulk closes expect what the service would.
from clinic_desktop.services.cash_close import cash_day_summary, close_cash_day, tally_by_method
from clinic_desktop.services.demo_billing_history import History, Issued
from clinic_desktop.services.demo_billing_visits import ZERO, Visit, local_day, stamp
from clinic_desktop.services.demo_bulk import BulkWriter
from clinic_desktop.services.invoice_dto import InvoiceDraftForm, InvoiceDTO, LineForm
from clinic_desktop.services.invoices import (
    create_draft,
    issue_credit_note,
    issue_invoice,
    update_draft,
)
from clinic_desktop.services.payments import record_payment, record_refund

# What the second of the latest visits takes home (product codes of the demo catalogue).
SOLD = ("CEP-ADU", "HIL-DEN")
OFF = Decimal("0.50")
SHORT_COMMENT = (
    "Faltaron 0,50 USD en efectivo: se entregó mal un vuelto por la tarde; se avisó a la dueña."
)
OVER_COMMENT = "Sobraron 0,50 USD en efectivo: un paciente no esperó su vuelto; se guardó aparte."


@dataclass
class Desk:
    invoices: list[InvoiceDTO] = field(default_factory=list)
    credit_notes: list[InvoiceDTO] = field(default_factory=list)
    payments: int = 0
    refunds: int = 0


def run_desk(
    db: Database,
    *,
    actor: Actor,
    visits: list[Visit],
    history: History,
    zone: ZoneInfo,
    now: datetime,
) -> Desk:
    """`visits` are invoiced through the services, as `actor` (reception) at its PC."""
    uow = db.uow()
    desk = Desk()
    if history.replaced is not None:
        wrong, again, representative = history.replaced
        desk.credit_notes.append(
            issue_credit_note(
                uow,
                actor=actor,
                invoice_id=wrong.id,
                reason=(
                    f"Comprador equivocado: la factura debía emitirse a nombre de "
                    f"{representative}, representante del paciente; se reemplaza por la "
                    f"factura {again.number_text}."
                ),
                now=wrong.issued_at + timedelta(minutes=20),
            )
        )
    for index, visit in enumerate(visits):
        at = min(visit.done_at + timedelta(minutes=4), now)
        draft = create_draft(uow, actor=actor, appointment_id=visit.appointment_id)
        if index == 1:
            draft = _sell_products(db, actor, draft)
        issued = issue_invoice(uow, actor=actor, invoice_id=draft.id, version=draft.version, now=at)
        desk.invoices.append(issued)
        paid_at = min(at + timedelta(minutes=2), now)
        if index == 0:
            # A twenty-dollar bill (or more of them), so the receipt shows the change.
            tendered = (issued.total / 20).to_integral_value(rounding=ROUND_CEILING) * 20
            record_payment(
                uow, actor=actor, patient_id=issued.patient_id, payer_name="",
                method=PaymentMethod.CASH, amount=issued.total, tendered=tendered,
                allocations=[(issued.id, issued.total)], now=paid_at,
            )  # fmt: skip
            desk.payments += 1
        elif index == 1:
            part = max(Decimal(1), (issued.total / 2).quantize(Decimal(1)))
            record_payment(
                uow, actor=actor, patient_id=issued.patient_id, payer_name="",
                method=PaymentMethod.DEBIT_CARD, amount=part, reference="Voucher 004512",
                allocations=[(issued.id, part)], now=paid_at,
            )  # fmt: skip
            desk.payments += 1
    _credit_mistake(db, actor, history, zone, now, desk)
    return desk


def _sell_products(db: Database, actor: Actor, draft: InvoiceDTO) -> InvoiceDTO:
    with db.uow().transaction(actor) as session:
        products = list(
            session.scalars(
                select(Product).where(
                    Product.code.in_(SOLD), Product.deleted_at.is_(None), Product.active.is_(True)
                )
            )
        )
    extra = tuple(
        LineForm(
            source="product",
            description="",
            quantity=Decimal(1),
            unit_price=product.sale_price,
            product_id=product.id,
        )
        for product in sorted(products, key=lambda p: p.code)
    )
    form = dataclasses.replace(
        InvoiceDraftForm.from_dto(draft),
        lines=InvoiceDraftForm.from_dto(draft).lines + extra,
        discount_percent=Decimal(5),
        notes="Incluye cepillo e hilo dental recomendados en la consulta.",
    )
    return update_draft(
        db.uow(), actor=actor, invoice_id=draft.id, version=draft.version, form=form
    )


def _credit_mistake(
    db: Database, actor: Actor, history: History, zone: ZoneInfo, now: datetime, desk: Desk
) -> None:
    """The newest paid invoice of an earlier day with two or more lines had its last one
    charged by mistake: a credit note for that line, and the money back in cash."""
    today = local_day(now, zone)
    target: Issued | None = None
    for item in reversed(history.invoices):
        if (
            item.status == InvoiceStatus.PAID.value
            and len(item.lines) >= 2
            and local_day(item.issued_at, zone) < today
        ):
            target = item
            break
    if target is None:
        return
    line_id, description = target.lines[-1]
    uow = db.uow()
    at = now - timedelta(minutes=30)
    note = issue_credit_note(
        uow,
        actor=actor,
        invoice_id=target.id,
        reason=f"{description}: cobrado por error, no se realizó en la consulta.",
        lines=[(line_id, Decimal(1))],
        confirmed=True,
        now=at,
    )
    desk.credit_notes.append(note)
    record_refund(
        uow,
        actor=actor,
        patient_id=target.patient_id,
        method=PaymentMethod.CASH,
        amount=note.total,
        reason=f"Devolución de la nota de crédito {note.number_text}",
        invoice_id=note.id,
        now=at + timedelta(minutes=3),
    )
    desk.refunds += 1


def close_past_days(db: Database, *, actor: Actor, zone: ZoneInfo, now: datetime) -> int:
    """Closes `actor`'s cash at its PC for every day before today with money: the latest
    through the service with a small difference, the others in bulk. Returns how many."""
    user_id = actor.user_id
    if user_id is None:
        return 0
    today = local_day(now, zone)
    with db.uow().transaction(Actor.system("demo")) as session:
        # Only the columns the tally reads: thousands of payments, no need for entities.
        rows = session.execute(
            select(Payment.id, Payment.day, Payment.method, Payment.is_refund, Payment.amount)
            .where(
                Payment.created_by == user_id,
                Payment.workstation == actor.workstation,
                Payment.day < today,
                Payment.cash_close_id.is_(None),
                Payment.deleted_at.is_(None),
            )
            .order_by(Payment.paid_at, Payment.id)
        )
        by_day: dict[date, list[Payment]] = defaultdict(list)
        for row in rows:
            by_day[row.day].append(cast(Payment, row))
        if not by_day:
            return 0
        latest = max(by_day)
        older = sorted(day for day in by_day if day != latest)
        _bulk_closes(session, older, by_day, actor, user_id, zone)
        append_audit(
            session,
            actor=Actor.system("demo"),
            action="demo.cash_closes_generated",
            entity="CashClose",
            changes={"count": len(older)},
        )
    _close_with_difference(db, actor, latest, zone)
    return len(older) + 1


def _evening(day: date, zone: ZoneInfo, minutes: int = 0) -> datetime:
    return (datetime.combine(day, time(18, 45), zone) + timedelta(minutes=minutes)).astimezone(UTC)


def _bulk_closes(
    session: Session,
    days: list[date],
    by_day: dict[date, list[Payment]],
    actor: Actor,
    user_id: uuid.UUID,
    zone: ZoneInfo,
) -> None:
    closes: list[dict[str, Any]] = []
    lines: list[dict[str, Any]] = []
    links: list[tuple[str, str]] = []
    for n, day in enumerate(days):
        at = _evening(day, zone, n % 30)
        base = stamp(at, user_id)
        close_id = new_id()
        expected_total = ZERO
        for method, tally in tally_by_method(by_day[day]).items():
            if not tally.count and method != PaymentMethod.CASH.value:
                continue
            expected = tally.received - tally.refunded
            expected_total += expected
            lines.append(
                {
                    "id": new_id(),
                    **base,
                    "cash_close_id": close_id,
                    "method": method,
                    "expected": expected,
                    "counted": expected,
                }
            )
        closes.append(
            {
                "id": close_id,
                **base,
                "day": day,
                "workstation": actor.workstation,
                "user_id": user_id,
                "closed_at": at,
                "comment": "",
                "expected_total": expected_total,
                "counted_total": expected_total,
            }
        )
        links.extend((close_id.hex, payment.id.hex) for payment in by_day[day])
    for model, rows in ((CashClose, closes), (CashCloseLine, lines)):
        if rows:
            BulkWriter(session, cast(Table, model.__table__), rows[0]).write(rows)
    if links:
        session.connection().exec_driver_sql(
            "UPDATE payments SET cash_close_id = ? WHERE id = ?", links
        )


def _close_with_difference(db: Database, actor: Actor, day: date, zone: ZoneInfo) -> None:
    uow = db.uow()
    summary = cash_day_summary(uow, actor=actor, day=day)
    counted = {row.method: row.expected for row in summary.rows if row.count}
    cash = counted.get(PaymentMethod.CASH.value, ZERO)
    # Fifty cents missing from the drawer, or left over when there was too little cash.
    short = cash >= OFF
    counted[PaymentMethod.CASH.value] = cash - OFF if short else cash + OFF
    comment = SHORT_COMMENT if short else OVER_COMMENT
    close_cash_day(
        uow, actor=actor, day=day, counted=counted, comment=comment, now=_evening(day, zone, 20)
    )
