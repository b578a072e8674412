"""How the demo's patients pay their past invoices, and the payment rows that records: most pay
at the desk on the day (cash, often with a bill that needs change, cards with a voucher, the
DeUna app), some transfer a few days later, some pay half now and the rest weeks later, some
leave it for their next visit, and a few never pay, so the receivables age. Money that would
arrive today or later has not arrived: the invoice stays open. What a patient pays at once is
one payment applied to every invoice it settles, oldest first, as `record_payment` applies a
payment to several invoices: the old balance paid with the next visit's invoice, or several
later payments on one day. Each allocation raises the invoice's paid total, from which
`Invoice.settle` gives its status."""

from __future__ import annotations

import random
import uuid
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from decimal import ROUND_FLOOR, Decimal
from typing import Any
from zoneinfo import ZoneInfo

from clinic_desktop.models.base import new_id
from clinic_desktop.models.billing import PaymentMethod
from clinic_desktop.services.demo_billing_visits import (
    ZERO,
    desk_method,
    desk_moment,
    local_day,
    reference_for,
    stamp,
    tendered_for,
    working_day,
)

Row = dict[str, Any]
# Share of invoices by how they are paid; the rest are never paid.
AT_THE_DESK, TRANSFER_LATER, HALF_NOW, NEXT_VISIT = 0.72, 0.10, 0.08, 0.065


@dataclass
class _Part:
    """Money for one invoice: when, how much, by which method and who paid."""

    at: datetime
    invoice: Row
    amount: Decimal
    method: PaymentMethod
    payer: str


class Cashier:
    """Decides how each invoice is paid (`plan`, in order of issue) and then writes the
    payments and their allocations (`write`)."""

    def __init__(self, rng: random.Random, zone: ZoneInfo, today: date, now: datetime) -> None:
        self.rng, self.zone, self.today, self.now = rng, zone, today, now
        self.at_desk: list[list[_Part]] = []
        self.late: dict[tuple[uuid.UUID, date], list[_Part]] = defaultdict(list)
        # What each patient left to pay at their next visit.
        self.owed: dict[uuid.UUID, list[_Part]] = defaultdict(list)

    def _later(
        self, invoice: Row, payer: str, days: int, amount: Decimal, method: PaymentMethod
    ) -> None:
        day = working_day(local_day(invoice["issued_at"], self.zone) + timedelta(days=days))
        if day >= self.today:  # not yet: the invoice stays open
            return
        at = desk_moment(day, self.zone, self.rng)
        self.late[(invoice["patient_id"], day)].append(_Part(at, invoice, amount, method, payer))

    def _now(self, invoice: Row, payer: str, amount: Decimal) -> None:
        """Paid at the desk after the visit, with what the patient still owed from before."""
        at = min(invoice["issued_at"] + timedelta(minutes=self.rng.randint(1, 6)), self.now)
        method = desk_method(self.rng)
        old = self.owed.pop(invoice["patient_id"], [])
        self.at_desk.append(
            [_Part(at, part.invoice, part.amount, method, payer) for part in old]
            + [_Part(at, invoice, amount, method, payer)]
        )

    def plan(self, invoice: Row, payer: str, *, never: bool = False) -> None:
        """Called in order of issue."""
        rng, total = self.rng, invoice["total"]
        draw = rng.random()
        if never or draw >= AT_THE_DESK + TRANSFER_LATER + HALF_NOW + NEXT_VISIT:
            return  # a receivable that stays open
        if draw < AT_THE_DESK or total < 4:
            self._now(invoice, payer, total)
        elif draw < AT_THE_DESK + TRANSFER_LATER:
            self._later(invoice, payer, rng.randint(1, 4), total, PaymentMethod.TRANSFER)
        elif draw < AT_THE_DESK + TRANSFER_LATER + HALF_NOW:
            part = (total / 2).quantize(Decimal(1), rounding=ROUND_FLOOR)
            self._now(invoice, payer, part)
            self._later(invoice, payer, rng.randint(7, 45), total - part, desk_method(rng))
        else:
            when = invoice["issued_at"]
            self.owed[invoice["patient_id"]].append(
                _Part(when, invoice, total, desk_method(rng), payer)
            )

    def write(
        self,
        add: Callable[[str, Row], None],
        *,
        by: uuid.UUID,
        workstation: str,
    ) -> int:
        """Adds the payment and allocation rows through `add(kind, row)`; returns how many
        payments there are."""
        payments = self.at_desk + list(self.late.values())
        payments.sort(key=lambda parts: parts[-1].at)
        for parts in payments:
            first = parts[-1]
            amount = sum((part.amount for part in parts), ZERO)
            method = first.method
            tendered = tendered_for(amount, self.rng) if method == PaymentMethod.CASH else None
            payment_id = new_id()
            add("payment", {
                "id": payment_id, **stamp(first.at, by), "patient_id": first.invoice["patient_id"],
                "payer_name": first.payer, "method": method.value, "amount": amount,
                "is_refund": False, "tendered": tendered,
                "change": tendered - amount if tendered is not None else ZERO,
                "reference": reference_for(method, self.rng), "paid_at": first.at,
                "day": local_day(first.at, self.zone), "workstation": workstation,
                "cash_close_id": None, "notes": "",
            })  # fmt: skip
            for part in sorted(parts, key=lambda p: p.invoice["issued_at"]):
                add("allocation", {
                    "id": new_id(), **stamp(first.at, by), "payment_id": payment_id,
                    "invoice_id": part.invoice["id"], "amount": part.amount,
                })  # fmt: skip
                part.invoice["paid_total"] += part.amount
        return len(payments)
