"""What the cash-close services hand to the cash-close screen, its printed sheet
(reports/cash_close_pdf via reports.billing_docs.CashCloseDoc) and the finance reports: the
expected amount per payment method of one user's day at one PC, and a recorded close with its
counted amounts and differences. Amounts are in the clinic's currency; datetimes are aware UTC
(shown in the clinic's zone); a difference is counted - expected (> 0: more money than
expected)."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal

from clinic_desktop.services.payment_dto import PaymentDTO


@dataclass(frozen=True)
class CashMethodRowDTO:
    """One payment method of a day: what came in, what went out, what should be there."""

    method: str  # PaymentMethod value
    method_label: str
    received: Decimal  # payments (cash: net of change, i.e. tendered - change)
    refunded: Decimal  # refunds paid back by this method
    expected: Decimal  # received - refunded
    count: int  # payments and refunds


@dataclass(frozen=True)
class CashCloseLineDTO:
    method: str
    method_label: str
    expected: Decimal
    counted: Decimal
    difference: Decimal  # counted - expected


@dataclass(frozen=True)
class CashCloseDTO:
    id: uuid.UUID
    day: date
    workstation: str
    user_id: uuid.UUID
    user_name: str  # who closed (the cash is theirs)
    closed_at: datetime  # aware UTC
    comment: str
    lines: tuple[CashCloseLineDTO, ...]  # in payment_dto.METHODS order
    expected_total: Decimal
    counted_total: Decimal
    difference_total: Decimal  # counted_total - expected_total
    payment_count: int
    currency: str
    # The payments and refunds it locked, oldest first (empty in list_cash_closes).
    payments: tuple[PaymentDTO, ...] = ()


@dataclass(frozen=True)
class CashDaySummaryDTO:
    """One user's day at one PC, before (or after) it is closed."""

    day: date
    workstation: str
    user_id: uuid.UUID
    user_name: str
    currency: str
    rows: tuple[CashMethodRowDTO, ...]  # every method, in payment_dto.METHODS order
    expected_total: Decimal
    cash_tendered: Decimal  # cash handed over by payers (before change)
    cash_change: Decimal  # change given back
    payments: tuple[PaymentDTO, ...]  # oldest first
    closed: CashCloseDTO | None  # the close, once the day is closed
