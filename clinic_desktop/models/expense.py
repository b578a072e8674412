"""The clinic's operating expenses: each with category, supplier, date, net amount, tax and
total, and an optional receipt (photo or PDF) whose bytes live in their own table inside the
encrypted database, as patient documents do. Recurring expenses (rent, salaries) are templates
that generate one expense per month; receiving a purchase order may create its expense."""

from __future__ import annotations

import uuid
from datetime import date
from decimal import Decimal
from typing import ClassVar

from sqlalchemy import Boolean, Date, ForeignKey, Integer, LargeBinary, String, Text, Uuid
from sqlalchemy.orm import Mapped, mapped_column

from clinic_desktop.models.base import Entity
from clinic_desktop.models.types import MONEY


class Expense(Entity):
    __tablename__ = "expenses"
    __label__ = "Expense"

    expense_date: Mapped[date] = mapped_column(Date, index=True)
    category: Mapped[str] = mapped_column(String(80), index=True)
    description: Mapped[str] = mapped_column(String(300), default="")
    supplier_id: Mapped[uuid.UUID | None] = mapped_column(
        Uuid, ForeignKey("suppliers.id"), index=True
    )
    # Free text when the supplier is not on file (the landlord, a one-off shop).
    supplier_name: Mapped[str] = mapped_column(String(200), default="")
    document_number: Mapped[str] = mapped_column(String(60), default="")  # the supplier's invoice
    net: Mapped[Decimal] = mapped_column(MONEY, default=Decimal(0))
    tax: Mapped[Decimal] = mapped_column(MONEY, default=Decimal(0))
    total: Mapped[Decimal] = mapped_column(MONEY, default=Decimal(0))
    payment_method: Mapped[str] = mapped_column(String(16), default="")
    recurring_id: Mapped[uuid.UUID | None] = mapped_column(
        Uuid, ForeignKey("recurring_expenses.id"), index=True
    )
    purchase_order_id: Mapped[uuid.UUID | None] = mapped_column(
        Uuid, ForeignKey("purchase_orders.id"), index=True
    )
    notes: Mapped[str] = mapped_column(Text, default="")


class ExpenseReceipt(Entity):
    """The receipt's bytes, apart from the expense so listing expenses never reads them; the
    audit trail records the SHA-256 rather than the content."""

    __tablename__ = "expense_receipts"
    __label__ = "Expense receipt"
    __audit_skip__: ClassVar[frozenset[str]] = frozenset({"content"})

    expense_id: Mapped[uuid.UUID] = mapped_column(Uuid, ForeignKey("expenses.id"), index=True)
    file_name: Mapped[str] = mapped_column(String(255))
    mime_type: Mapped[str] = mapped_column(String(80))
    size: Mapped[int] = mapped_column(Integer)
    sha256: Mapped[str] = mapped_column(String(64))
    content: Mapped[bytes] = mapped_column(LargeBinary)


class RecurringExpense(Entity):
    __tablename__ = "recurring_expenses"
    __label__ = "Recurring expense"

    category: Mapped[str] = mapped_column(String(80))
    description: Mapped[str] = mapped_column(String(300), default="")
    supplier_id: Mapped[uuid.UUID | None] = mapped_column(Uuid, ForeignKey("suppliers.id"))
    supplier_name: Mapped[str] = mapped_column(String(200), default="")
    net: Mapped[Decimal] = mapped_column(MONEY, default=Decimal(0))
    tax: Mapped[Decimal] = mapped_column(MONEY, default=Decimal(0))
    total: Mapped[Decimal] = mapped_column(MONEY, default=Decimal(0))
    payment_method: Mapped[str] = mapped_column(String(16), default="")
    # Day of the month the expense falls on (29-31 mean the month's last day when shorter).
    day_of_month: Mapped[int] = mapped_column(Integer, default=1)
    starts_on: Mapped[date] = mapped_column(Date)
    ends_on: Mapped[date | None] = mapped_column(Date)
    # The first day of the last month generated, so generating again adds only what is missing.
    generated_through: Mapped[date | None] = mapped_column(Date)
    active: Mapped[bool] = mapped_column(Boolean, default=True)
