"""The demo clinic's past invoices and the money taken for them, written in bulk: thousands of
invoices through the invoice services would take minutes, so each is built by the rules those
services apply and only written differently. Every visit gets one invoice whose lines are its
treatments done (as `create_draft` takes them); the patient is the buyer, checked as issuing
checks (`invoice_rules.clean_buyer`, strict, and `check_issuable`), and now and then the
consumidor final on a small invoice; the amounts are `fiscal.invoice_math.compute_totals` with
each line's rate in force on the issue date (as `invoice_lines.apply_totals` stores them); the
numbers come from this PC's series (`invoice_numbering`: `next_number` makes the series and
gives the first, the rest follow without gaps in order of issue, and the series ends at the
last); how each is paid is `demo_billing_cashier`'s, and `Invoice.settle` gives the status from
what was paid. One invoice of two months ago went to the wrong buyer and was issued again the
same day to the patient's representative; the desk module credits the first one through the
credit-note service. Rows go in with one audit entry per kind, as the rest of the demo does."""

from __future__ import annotations

import random
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from decimal import Decimal
from typing import Any, cast
from zoneinfo import ZoneInfo

from sqlalchemy import Table
from sqlalchemy.orm import Session

from clinic_desktop.actor import Actor
from clinic_desktop.db.audit_log import append_audit
from clinic_desktop.fiscal.invoice_math import LineInput, compute_totals
from clinic_desktop.fiscal.tax_rates import TaxRate, rate_for
from clinic_desktop.models.base import new_id
from clinic_desktop.models.billing import (
    Invoice,
    InvoiceKind,
    InvoiceLine,
    InvoiceStatus,
    LineSource,
    Payment,
    PaymentAllocation,
)
from clinic_desktop.services.demo_billing_cashier import Cashier, Row
from clinic_desktop.services.demo_billing_visits import (
    ZERO,
    PatientBuyer,
    Visit,
    local_day,
    stamp,
)
from clinic_desktop.services.demo_bulk import BulkWriter
from clinic_desktop.services.invoice_common import clinic_of
from clinic_desktop.services.invoice_dto import BuyerIdType
from clinic_desktop.services.invoice_lines import is_exempt
from clinic_desktop.services.invoice_numbering import format_number, next_number
from clinic_desktop.services.invoice_rules import (
    EC_FINAL_CONSUMER_LIMIT,
    Buyer,
    check_issuable,
    clean_buyer,
)

BATCH = 5000
# A patient's identity document, as the buyer's identity type (as create_draft maps it).
_ID_TYPES = {"cedula": "cedula", "ruc": "ruc", "dni": "dni", "nie": "nie", "passport": "passport"}
FINAL_CONSUMER = BuyerIdType.CONSUMIDOR_FINAL.value
REPLACED_DAYS_AGO = 60
_TABLES = {
    "invoice": Invoice,
    "line": InvoiceLine,
    "payment": Payment,
    "allocation": PaymentAllocation,
}


@dataclass
class Issued:
    """One invoice written, as the desk module and the tests need it."""

    id: uuid.UUID
    number_text: str
    patient_id: uuid.UUID
    issued_at: datetime
    total: Decimal
    status: str
    lines: list[tuple[uuid.UUID, str]]  # (line id, description)


@dataclass
class History:
    invoices: list[Issued] = field(default_factory=list)
    payments: int = 0
    # The invoice made out to the wrong buyer, its replacement and the representative.
    replaced: tuple[Issued, Issued, str] | None = None


@dataclass
class _Draft:
    visit: Visit
    invoice: Row
    lines: list[Row]
    buyer: Buyer
    payer: str


class _Maker:
    """Builds invoice rows with the clinic's country, currency and rates."""

    def __init__(self, country: str, currency: str, zone: ZoneInfo) -> None:
        self.country, self.currency, self.zone = country, currency, zone
        self.rates: dict[tuple[str, date], TaxRate] = {}
        self.exempt: dict[str, bool] = {}
        self.buyers: dict[PatientBuyer, Buyer] = {}

    def buyer(self, patient: PatientBuyer) -> Buyer:
        """The patient as buyer after the checks issuing applies (demo cédulas pass)."""
        if patient not in self.buyers:
            id_type = _ID_TYPES.get(patient.id_type, "")
            self.buyers[patient] = clean_buyer(
                country=self.country,
                kind=InvoiceKind.INVOICE,
                name=patient.name,
                id_type=id_type if patient.id_number else "",
                tax_id=patient.id_number if id_type else "",
                address=patient.address,
                email=patient.email,
                strict=True,
            )
        return self.buyers[patient]

    def _rate(self, code: str, day: date) -> TaxRate:
        key = (code, day)
        if key not in self.rates:
            self.rates[key] = rate_for(code, day)
            self.exempt[code] = is_exempt(code)
        return self.rates[key]

    def draft(self, visit: Visit, at: datetime, buyer: Buyer, discount: Decimal) -> _Draft:
        day = local_day(at, self.zone)
        invoice: Row = {
            "id": new_id(), "kind": InvoiceKind.INVOICE.value,
            "status": InvoiceStatus.ISSUED.value, "country": self.country,
            "currency": self.currency, "series_id": None, "number": None, "number_text": None,
            "issue_date": day, "issued_at": at, "issued_by": None,
            "patient_id": visit.patient_id, "appointment_id": visit.appointment_id,
            "practitioner_id": visit.practitioner_id, "discount_percent": discount,
            "paid_total": ZERO, "credited_total": ZERO, "corrects_id": None,
            "correction_reason": "", "rectification_code": "", "notes": "",
        }  # fmt: skip
        lines: list[Row] = []
        for position, line in enumerate(visit.lines, start=1):
            rate = self._rate(line.tax_code, day)
            lines.append({
                "id": new_id(), "invoice_id": invoice["id"], "position": position,
                "source": LineSource.TREATMENT.value, "appointment_treatment_id": line.done_id,
                "treatment_id": line.treatment_id, "product_id": None, "corrects_line_id": None,
                "description": line.name, "quantity": line.quantity, "unit_price": line.price,
                "discount": ZERO, "tax_code": line.tax_code, "tax_percent": rate.percent,
                "tax_official": rate.official,
            })  # fmt: skip
        totals = compute_totals(
            [
                LineInput(
                    row["quantity"],
                    row["unit_price"],
                    row["discount"],
                    row["tax_code"],
                    row["tax_percent"],
                    self.exempt[row["tax_code"]],
                )
                for row in lines
            ],
            discount,
        )
        for row, amounts in zip(lines, totals.lines, strict=True):
            row["net"], row["global_discount"] = amounts.net, amounts.global_discount
        invoice.update(
            subtotal=totals.subtotal,
            discount_total=totals.discount,
            tax_total=totals.tax,
            total=totals.total,
        )
        draft = _Draft(visit, invoice, lines, buyer, buyer.name)
        set_buyer(draft, buyer)
        return draft


def set_buyer(draft: _Draft, buyer: Buyer) -> None:
    draft.invoice.update(
        buyer_name=buyer.name,
        buyer_id_type=buyer.id_type,
        buyer_tax_id=buyer.tax_id,
        buyer_address=buyer.address,
        buyer_email=buyer.email,
    )
    draft.buyer = buyer


def _settler() -> Callable[[Row], str]:
    """The status `Invoice.settle` gives an issued invoice with what was paid for it, on one
    transient invoice reused for all (making an entity costs more than settling it)."""
    probe = Invoice(credited_total=ZERO)

    def status(invoice: Row) -> str:
        probe.kind, probe.status = invoice["kind"], InvoiceStatus.ISSUED.value
        probe.total, probe.paid_total = invoice["total"], invoice["paid_total"]
        probe.settle()
        return probe.status

    return status


def add_history(
    session: Session,
    *,
    actor: Actor,
    issuer: Actor,
    visits: list[Visit],
    seed: int,
    zone: ZoneInfo,
    now: datetime,
) -> History:
    """Invoices `visits` (oldest first) as `issuer` at its PC, with the payments taken there."""
    history = History()
    by = issuer.user_id
    if not visits or by is None:
        return history
    rng = random.Random(f"billing-{seed}")
    clinic = clinic_of(session)
    country, currency = clinic.country, clinic.currency
    maker = _Maker(country, currency, zone)
    final_consumer = clean_buyer(
        country=country, kind=InvoiceKind.INVOICE, name="", id_type=FINAL_CONSUMER,
        tax_id="", address="", email="", strict=True,
    )  # fmt: skip
    drafts: list[_Draft] = []
    for visit in visits:
        at = min(visit.done_at + timedelta(minutes=rng.randint(2, 12)), now)
        discount = Decimal(10) if rng.random() < 0.05 else ZERO
        draft = maker.draft(visit, at, maker.buyer(visit.buyer), discount)
        # Some patients want no name on a small invoice: the consumidor final (up to USD 50).
        small = draft.invoice["total"] <= EC_FINAL_CONSUMER_LIMIT
        if country == "EC" and small and rng.random() < 0.05:
            set_buyer(draft, final_consumer)
        drafts.append(draft)
    replaced = _replacement(
        drafts, rng, maker, local_day(now, zone) - timedelta(days=REPLACED_DAYS_AGO)
    )
    drafts.sort(key=lambda d: (d.invoice["issued_at"], d.invoice["id"]))

    cashier = Cashier(rng, zone, local_day(now, zone), now)
    issued = next_number(session, workstation=issuer.workstation, kind=InvoiceKind.INVOICE)
    series = issued.series
    for number, draft in enumerate(drafts, start=issued.number):
        invoice = draft.invoice
        check_issuable(
            country=country, kind=InvoiceKind.INVOICE, buyer=draft.buyer,
            lines=len(draft.lines), total=invoice["total"], currency=currency,
        )  # fmt: skip
        invoice.update(
            series_id=series.id,
            number=number,
            number_text=format_number(country, series.prefix, number),
            issued_by=by,
        )
        cashier.plan(invoice, draft.payer, never=replaced is not None and draft is replaced[0])
    series.last_number = issued.number + len(drafts) - 1
    if replaced is not None:
        wrong, again, _name = replaced
        again.invoice["notes"] = f"Reemplaza a la factura {wrong.invoice['number_text']}."

    rows: dict[str, list[Row]] = {kind: [] for kind in _TABLES}
    history.payments = cashier.write(
        lambda kind, row: rows[kind].append(row), by=by, workstation=issuer.workstation
    )
    status = _settler()
    for draft in drafts:
        invoice = draft.invoice
        invoice["status"] = status(invoice)
        at = invoice["issued_at"]
        rows["invoice"].append({**invoice, **stamp(at, by)})
        rows["line"].extend({**line, **stamp(at, by)} for line in draft.lines)
        history.invoices.append(
            Issued(
                invoice["id"],
                invoice["number_text"],
                draft.visit.patient_id,
                at,
                invoice["total"],
                invoice["status"],
                [(line["id"], line["description"]) for line in draft.lines],
            )
        )
    _write(session, rows)
    if replaced is not None:
        by_id = {item.id: item for item in history.invoices}
        wrong, again, name = replaced
        history.replaced = (by_id[wrong.invoice["id"]], by_id[again.invoice["id"]], name)
    for action, entity, count in (
        ("demo.invoices_generated", "Invoice", len(rows["invoice"])),
        ("demo.invoice_lines_generated", "InvoiceLine", len(rows["line"])),
        ("demo.payments_generated", "Payment", len(rows["payment"])),
        ("demo.payment_allocations_generated", "PaymentAllocation", len(rows["allocation"])),
    ):
        append_audit(session, actor=actor, action=action, entity=entity, changes={"count": count})
    session.flush()
    return history


def _write(session: Session, rows: dict[str, list[Row]]) -> None:
    """One executemany per batch, parents first."""
    for kind, model in _TABLES.items():
        batch: list[dict[str, Any]] = rows[kind]
        if batch:
            writer = BulkWriter(session, cast(Table, model.__table__), batch[0])
            for start in range(0, len(batch), BATCH):
                writer.write(batch[start : start + BATCH])


def _replacement(
    drafts: list[_Draft], rng: random.Random, maker: _Maker, target: date
) -> tuple[_Draft, _Draft, str] | None:
    """An invoice of about `target` went out in the patient's name when their representative
    pays: it is issued again to the representative 25 minutes later (the desk module credits
    the first). Returns (wrong, replacement, representative's name)."""
    candidates = [
        d
        for d in drafts
        if local_day(d.invoice["issued_at"], maker.zone) <= target
        and d.buyer.id_type != FINAL_CONSUMER
    ]
    if not candidates:
        return None
    wrong = candidates[-1]
    others = [d.visit.buyer for d in drafts if d.visit.patient_id != wrong.visit.patient_id]
    if not others:
        return None
    representative = maker.buyer(rng.choice(others))
    again = maker.draft(
        wrong.visit,
        wrong.invoice["issued_at"] + timedelta(minutes=25),
        representative,
        wrong.invoice["discount_percent"],
    )
    drafts.append(again)
    return wrong, again, representative.name
