"""The finance benchmarks' clinic: the 2,000-patient demo (`clinic-desktop demo`) grown in bulk
to ten years of billing ending today: 1,000,000 invoice lines on about 400,000 issued invoices
(1 to 4 lines each, the demo's treatments and products at their catalogue prices and tax
codes, some with a discount on the total), a credit note for one invoice in fifty, a payment
for 97 in a hundred, and thirty expenses a month. Amounts come from fiscal.invoice_math on a set
of invoice templates (computed once per template and tax era, since Ecuador's 12 % became
15 % on 2024-04-01), so every invoice is internally consistent. Rows go in with one plain
executemany per batch (services.demo_bulk.BulkWriter), as inventory_bench_data does."""

from __future__ import annotations

import random
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from decimal import Decimal
from typing import Any, cast

from sqlalchemy import Table, select
from sqlalchemy.orm import Session

from clinic_desktop.fiscal.invoice_math import InvoiceTotals, LineInput, compute_totals
from clinic_desktop.fiscal.tax_rates import TaxRate, rate_for
from clinic_desktop.models.base import new_id
from clinic_desktop.models.billing import Invoice, InvoiceLine, Payment
from clinic_desktop.models.clinic import Clinic
from clinic_desktop.models.expense import Expense
from clinic_desktop.models.inventory import Product
from clinic_desktop.models.schedule import Practitioner
from clinic_desktop.models.treatment import Treatment
from clinic_desktop.services.demo_bulk import BulkWriter, loading_cache

LINES = 1_000_000
YEARS = 10
TEMPLATES = 400
BATCH = 50_000
EXPENSES_PER_MONTH = 30
# Paid at the desk; the rest stay owed (ten years of them: a long receivables list).
PAID = 0.97
METHODS = ("cash", "cash", "debit_card", "credit_card", "transfer", "other")
CATEGORIES = ("Alquiler", "Sueldos", "Material dental", "Servicios básicos", "Laboratorio")
RATE_CHANGE = date(2024, 4, 1)
D = Decimal


@dataclass(frozen=True)
class _Item:
    source: str
    ref: uuid.UUID
    name: str
    price: Decimal
    tax_code: str


@dataclass(frozen=True)
class _Template:
    items: tuple[tuple[_Item, Decimal], ...]  # (what, quantity)
    discount: Decimal
    rates: tuple[TaxRate, ...]
    totals: InvoiceTotals


def _stamp(now: datetime) -> dict[str, Any]:
    return {"created_at": now, "updated_at": now, "version": 1, "created_by": None,
            "updated_by": None, "deleted_at": None, "deleted_by": None}  # fmt: skip


def _catalogue(session: Session, country: str) -> list[_Item]:
    goods = "EC_IVA_15" if country == "EC" else "ES_IVA_21"
    service = "EC_IVA_0" if country == "EC" else "ES_EXENTO_ART20"
    items = [
        _Item("treatment", tid, name, price, code or service)
        for tid, name, price, code in session.execute(
            select(Treatment.id, Treatment.name, Treatment.price, Treatment.tax_code).where(
                Treatment.active.is_(True), Treatment.price > 0
            )
        )
    ]
    items += [
        _Item("product", pid, name, price, code or goods)
        for pid, name, price, code in session.execute(
            select(Product.id, Product.name, Product.sale_price, Product.tax_code)
            .where(Product.sale_price > 0)
            .limit(20)
        )
    ]
    assert items, "the demo clinic has no priced treatments"
    return items


def _templates(items: list[_Item], day: date, rng: random.Random) -> list[_Template]:
    found = []
    for _ in range(TEMPLATES):
        count = rng.choice((1, 1, 2, 2, 3, 3, 4, 4))  # 2.5 lines on average
        chosen = tuple((rng.choice(items), D(rng.choice((1, 1, 1, 2, 3)))) for _ in range(count))
        discount = rng.choice((D(0), D(0), D(0), D(5), D("7.5"), D(10)))
        rates = tuple(rate_for(item.tax_code, day) for item, _qty in chosen)
        lines = [
            LineInput(qty, item.price, D(0), rate.code, rate.percent, rate.exempt)
            for (item, qty), rate in zip(chosen, rates, strict=True)
        ]
        found.append(_Template(chosen, discount, rates, compute_totals(lines, discount)))
    return found


def grow_billing(session: Session, now: datetime) -> dict[str, int]:
    """Adds the invoices, lines, credit notes, payments and expenses; returns the counts."""
    clinic = session.scalars(select(Clinic)).one()
    practitioners = list(session.scalars(select(Practitioner.id)))
    rng = random.Random(61)
    items = _catalogue(session, clinic.country)
    eras = {
        "before": _templates(items, RATE_CHANGE - timedelta(days=1), rng),
        "after": _templates(items, RATE_CHANGE, rng),
    }
    today = now.date()
    first = today.replace(year=today.year - YEARS)
    days = (today - first).days + 1
    # 2.5 lines an invoice and one credit note of as many lines for fifty invoices.
    per_day = LINES / (2.5 * 1.02) / days
    writers: dict[str, BulkWriter] = {}
    batches: dict[str, list[dict[str, Any]]] = {"inv": [], "line": [], "pay": []}
    tables = {"inv": Invoice, "line": InvoiceLine, "pay": Payment}
    counts = {"invoices": 0, "lines": 0, "credit_notes": 0, "payments": 0}

    def flush() -> None:
        # Invoices first: lines and payments point at them (foreign keys are on).
        for kind, rows in batches.items():
            if not rows:
                continue
            if kind not in writers:
                writers[kind] = BulkWriter(session, cast(Table, tables[kind].__table__), rows[0])
            writers[kind].write(rows)
            batches[kind] = []

    with loading_cache(session):
        for offset in range(days):
            day = first + timedelta(days=offset)
            templates = eras["before" if day < RATE_CHANGE else "after"]
            wanted = int(per_day) + (1 if rng.random() < per_day % 1 else 0)
            if offset == days - 1:
                wanted = LINES  # today takes whatever is left, so the total is exact
            for _ in range(wanted):
                left = LINES - counts["lines"]
                if left <= 0:
                    break
                template = rng.choice(templates)
                if len(template.items) > left:
                    template = next(t for t in templates if len(t.items) <= left)
                practitioner = rng.choice(practitioners) if practitioners else None
                invoice = _invoice_rows(batches, template, clinic, day, practitioner, counts, now)
                if rng.random() < PAID:
                    batches["pay"].append(_payment(invoice, day, rng.choice(METHODS), now))
                    counts["payments"] += 1
                if rng.random() < 0.02 and counts["lines"] + len(template.items) <= LINES:
                    _invoice_rows(batches, template, clinic, min(day + timedelta(days=3), today),
                                  practitioner, counts, now, corrects=invoice)  # fmt: skip
            if len(batches["line"]) >= BATCH:
                flush()
        flush()
        counts["expenses"] = _expenses(session, first, today, rng, now)
    return counts


def _invoice_rows(
    batches: dict[str, list[dict[str, Any]]],
    template: _Template,
    clinic: Clinic,
    day: date,
    practitioner: uuid.UUID | None,
    counts: dict[str, int],
    now: datetime,
    corrects: dict[str, Any] | None = None,
) -> dict[str, Any]:
    totals = template.totals
    counts["invoices"] += 1
    number = counts["invoices"]
    credit = corrects is not None
    counts["credit_notes"] += int(credit)
    row = {
        "id": new_id(),
        **_stamp(now),
        "kind": "credit_note" if credit else "invoice",
        "status": "credited" if credit else "issued",
        "country": clinic.country,
        "currency": clinic.currency,
        "series_id": None,
        "number": number,
        "number_text": f"{'R' if credit else 'F'}900-{number:09d}",
        "issue_date": day,
        "issued_at": datetime.combine(day, time(15), tzinfo=UTC),
        "issued_by": None,
        "patient_id": None,
        "appointment_id": None,
        "practitioner_id": practitioner,
        "buyer_name": "Consumidor final",
        "buyer_id_type": "consumidor_final",
        "buyer_tax_id": "9999999999999",
        "buyer_address": "",
        "buyer_email": "",
        "discount_percent": template.discount,
        "subtotal": totals.subtotal,
        "discount_total": totals.discount,
        "tax_total": totals.tax,
        "total": totals.total,
        "paid_total": D(0),
        "credited_total": D(0),
        "corrects_id": corrects["id"] if corrects else None,
        "correction_reason": "Anulación" if credit else "",
        "rectification_code": "",
        "notes": "",
    }
    batches["inv"].append(row)
    if corrects is not None:
        corrects["credited_total"] = totals.total
        corrects["status"] = "credited" if corrects["paid_total"] == 0 else corrects["status"]
    for position, ((item, qty), rate, amounts) in enumerate(
        zip(template.items, template.rates, totals.lines, strict=True)
    ):
        batches["line"].append(
            {
                "id": new_id(),
                **_stamp(now),
                "invoice_id": row["id"],
                "position": position,
                "source": item.source,
                "appointment_treatment_id": None,
                "treatment_id": item.ref if item.source == "treatment" else None,
                "product_id": item.ref if item.source == "product" else None,
                "corrects_line_id": None,
                "description": item.name,
                "quantity": qty,
                "unit_price": item.price,
                "discount": D(0),
                "net": amounts.net,
                "global_discount": amounts.global_discount,
                "tax_code": rate.code,
                "tax_percent": rate.percent,
                "tax_official": rate.official,
            }
        )
        counts["lines"] += 1
    return row


def _payment(invoice: dict[str, Any], day: date, method: str, now: datetime) -> dict[str, Any]:
    invoice["paid_total"] = invoice["total"]
    invoice["status"] = "paid"
    return {
        "id": new_id(),
        **_stamp(now),
        "patient_id": None,
        "payer_name": invoice["buyer_name"],
        "method": method,
        "amount": invoice["total"],
        "is_refund": False,
        "tendered": None,
        "change": D(0),
        "reference": "",
        "paid_at": datetime.combine(day, time(16), tzinfo=UTC),
        "day": day,
        "workstation": "BENCH",
        "cash_close_id": None,
        "notes": "",
    }


def _expenses(session: Session, first: date, today: date, rng: random.Random, now: datetime) -> int:
    rows = []
    for month in _months(first, today):
        for _ in range(EXPENSES_PER_MONTH):
            net = D(rng.randint(500, 250_000)) / 100
            tax = (net * D("0.15")).quantize(D("0.01"))
            rows.append(
                {
                    "id": new_id(),
                    **_stamp(now),
                    "expense_date": min(month + timedelta(days=rng.randint(0, 27)), today),
                    "category": rng.choice(CATEGORIES),
                    "description": "",
                    "supplier_id": None,
                    "supplier_name": "Proveedor",
                    "document_number": "",
                    "net": net,
                    "tax": tax,
                    "total": net + tax,
                    "payment_method": "transfer",
                    "recurring_id": None,
                    "purchase_order_id": None,
                    "notes": "",
                }
            )
    BulkWriter(session, cast(Table, Expense.__table__), rows[0]).write(rows)
    return len(rows)


def _months(first: date, last: date) -> Iterator[date]:
    month = first.replace(day=1)
    while month <= last:
        yield month
        month = (month + timedelta(days=32)).replace(day=1)


def utc_now() -> datetime:
    return datetime.now(UTC)
