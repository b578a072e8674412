"""The income of each treatment in each month that is over, kept so that the dashboard's and
the reports' rankings over years do not add up every invoice line again: one row per (month,
currency, treatment or "product"/"free") with the quantity and the base invoiced, credit
notes subtracting, and a row keyed "*" marking a month as computed (an empty month has only
that). A month is over once the clinic's calendar has left it, and issued documents are never
edited, so its rows stay true; they are filled by the first report that needs the month
(services.treatment_months) and dropped by the mapper events below when a document dated in
that month is issued or removed through the ORM (only the demo and tests backdate; bulk
loaders run before any report). Derived data: not audited or replicated."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

from sqlalchemy import Date, String, delete, event, inspect
from sqlalchemy.orm import Mapped, mapped_column

from clinic_desktop.models.base import Base
from clinic_desktop.models.billing import Invoice, InvoiceStatus
from clinic_desktop.models.types import MONEY, QUANTITY

COMPUTED = "*"  # the key of the row that says a month was computed


class TreatmentMonthIncome(Base):
    __tablename__ = "treatment_month_income"

    month: Mapped[date] = mapped_column(Date, primary_key=True)  # its first day
    currency: Mapped[str] = mapped_column(String(3), primary_key=True)
    key: Mapped[str] = mapped_column(String(40), primary_key=True)  # treatment id hex, "product"…
    quantity: Mapped[Decimal] = mapped_column(QUANTITY, default=Decimal(0))
    income: Mapped[Decimal] = mapped_column(MONEY, default=Decimal(0))


def _forget(connection: Any, day: date | None) -> None:
    if day is not None:
        month = day.replace(day=1)
        connection.execute(delete(TreatmentMonthIncome).where(TreatmentMonthIncome.month == month))


@event.listens_for(Invoice, "after_insert")
def _document_added(_mapper: Any, connection: Any, target: Invoice) -> None:
    if target.status != InvoiceStatus.DRAFT.value:
        _forget(connection, target.issue_date)


@event.listens_for(Invoice, "after_update")
def _document_changed(_mapper: Any, connection: Any, target: Invoice) -> None:
    # Payments change an issued invoice's paid total all day long; only issuing it (or
    # removing it) changes what its month invoiced.
    state = inspect(target)
    issued = any(state.attrs[key].history.has_changes() for key in ("status", "issue_date"))
    if issued and target.status != InvoiceStatus.DRAFT.value:
        _forget(connection, target.issue_date)
    if state.attrs["deleted_at"].history.has_changes():
        _forget(connection, target.issue_date)
