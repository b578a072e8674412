"""Reading invoices (billing.manage or reports.finance): the list with its filters, one page
at a time by keyset (drafts first, newest first; then issued documents by issue date, newest
first) with the count of all its rows, one invoice or credit note in full, the invoice of
an appointment, and the numbering series in use.

Public API:
  list_invoices(uow, *, actor, status=None, kind=None, date_from=None, date_to=None,
                buyer_text="", series_prefix=None, patient_id=None, limit=200, after=None)
                -> list[InvoiceSummaryDTO]
  count_invoices(uow, *, actor, <the same filters>) -> int
  get_invoice(uow, *, actor, invoice_id) -> InvoiceDTO
  invoice_for_appointment(uow, *, actor, appointment_id) -> InvoiceSummaryDTO | None
  list_invoice_series(uow, *, actor) -> list[InvoiceSeriesDTO]"""

from __future__ import annotations

import uuid
from collections.abc import Collection
from datetime import date
from typing import Any, TypeVarTuple

from sqlalchemy import Select, and_, func, literal, or_, select
from sqlalchemy.orm import Session

from clinic_desktop.actor import Actor
from clinic_desktop.db.uow import UnitOfWork
from clinic_desktop.models.base import UTCDateTime
from clinic_desktop.models.billing import (
    EmissionPoint,
    Invoice,
    InvoiceKind,
    InvoiceSeries,
    InvoiceStatus,
)
from clinic_desktop.models.patient import Patient, fold
from clinic_desktop.services.invoice_common import (
    clinic_of,
    load_invoice,
    printed_number,
    require_read,
)
from clinic_desktop.services.invoice_dto import (
    InvoiceCursor,
    InvoiceDTO,
    InvoiceSeriesDTO,
    InvoiceSummaryDTO,
    kind_label,
    status_label,
)
from clinic_desktop.services.invoice_views import invoice_dto

# Drafts have no issue date: they sort above every issued document.
_NO_DATE = date(9999, 12, 31)
MAX_LIMIT = 1000
_Row = TypeVarTuple("_Row")


def _sort_day() -> Any:
    return func.coalesce(Invoice.issue_date, literal(_NO_DATE))


def _sort_at() -> Any:
    return func.coalesce(Invoice.issued_at, Invoice.created_at, type_=UTCDateTime)


def _summary_query() -> Select[Invoice, str, str]:
    return (
        select(Invoice, Patient.first_names, Patient.last_names)
        .outerjoin(Patient, Patient.id == Invoice.patient_id)
        .where(Invoice.deleted_at.is_(None))
    )


def _like(text: str) -> str:
    escaped = text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return f"%{escaped}%"


def _summary(invoice: Invoice, first: str | None, last: str | None) -> InvoiceSummaryDTO:
    return InvoiceSummaryDTO(
        id=invoice.id,
        kind=invoice.kind,
        kind_label=kind_label(invoice.kind, invoice.country),
        status=invoice.status,
        status_label=status_label(invoice.status),
        number_text=printed_number(invoice.number_text),
        issue_date=invoice.issue_date,
        created_at=invoice.created_at,
        buyer_name=invoice.buyer_name,
        buyer_tax_id=invoice.buyer_tax_id,
        patient_id=invoice.patient_id,
        patient_name=f"{first or ''} {last or ''}".strip(),
        appointment_id=invoice.appointment_id,
        total=invoice.total,
        paid_total=invoice.paid_total,
        credited_total=invoice.credited_total,
        balance=invoice.balance,
        currency=invoice.currency,
        corrects_id=invoice.corrects_id,
        cursor=InvoiceCursor(
            invoice.issue_date or _NO_DATE, invoice.issued_at or invoice.created_at, invoice.id
        ),
    )


def _values(value: str | Collection[str] | None) -> list[str] | None:
    if value is None:
        return None
    if isinstance(value, str):
        return [value]
    return [str(v) for v in value]


def _filtered(
    query: Select[*_Row],
    *,
    status: str | Collection[str] | None,
    kind: str | Collection[str] | None,
    date_from: date | None,
    date_to: date | None,
    buyer_text: str,
    series_prefix: str | None,
    patient_id: uuid.UUID | None,
) -> Select[*_Row]:
    """`query` (over Invoice outer-joined to Patient) narrowed by the list's filters; the
    list and its count share it so the count always says how many rows the pages hold."""
    statuses, kinds = _values(status), _values(kind)
    if statuses is not None:
        query = query.where(Invoice.status.in_(statuses))
    if kinds is not None:
        query = query.where(Invoice.kind.in_(kinds))
    if date_from is not None:
        query = query.where(Invoice.issue_date >= date_from)
    if date_to is not None:
        query = query.where(Invoice.issue_date <= date_to)
    if patient_id is not None:
        query = query.where(Invoice.patient_id == patient_id)
    text = " ".join(buyer_text.split())
    if text:
        pattern = _like(text)
        query = query.where(
            or_(
                Invoice.buyer_name.ilike(pattern, escape="\\"),
                Invoice.buyer_tax_id.ilike(pattern, escape="\\"),
                Invoice.number_text.ilike(pattern, escape="\\"),
                Patient.search_name.like(_like(fold(text)), escape="\\"),
            )
        )
    if series_prefix:
        series = select(InvoiceSeries.id).where(InvoiceSeries.prefix == series_prefix)
        query = query.where(Invoice.series_id.in_(series))
    return query


def list_invoices(
    uow: UnitOfWork,
    *,
    actor: Actor,
    status: str | Collection[str] | None = None,
    kind: str | Collection[str] | None = None,
    date_from: date | None = None,
    date_to: date | None = None,
    buyer_text: str = "",
    series_prefix: str | None = None,
    patient_id: uuid.UUID | None = None,
    limit: int = 200,
    after: InvoiceCursor | None = None,
) -> list[InvoiceSummaryDTO]:
    """Invoices and credit notes matching every filter given. `status` and `kind` take one
    code or several ("issued" and "partly_paid" for what is owed). The dates bound the issue
    date (inclusive), so a date filter leaves drafts out. `buyer_text` matches the buyer's
    name or tax ID, the number, or the patient's name (accents and case ignored there).
    `series_prefix` is a series' prefix ("001-002", "F002"). Pass the last row's `cursor` as
    `after` for the next page; `count_invoices` with the same filters says how many there
    are in all."""
    query = _filtered(
        _summary_query(),
        status=status,
        kind=kind,
        date_from=date_from,
        date_to=date_to,
        buyer_text=buyer_text,
        series_prefix=series_prefix,
        patient_id=patient_id,
    )
    day, at = _sort_day(), _sort_at()
    if after is not None:
        query = query.where(
            or_(
                day < after.day,
                and_(
                    day == after.day,
                    or_(at < after.at, and_(at == after.at, Invoice.id < after.id)),
                ),
            )
        )
    query = query.order_by(day.desc(), at.desc(), Invoice.id.desc()).limit(
        max(1, min(limit, MAX_LIMIT))
    )
    with uow.transaction(actor) as session:
        require_read(session, actor)
        return [_summary(inv, first, last) for inv, first, last in session.execute(query)]


def count_invoices(
    uow: UnitOfWork,
    *,
    actor: Actor,
    status: str | Collection[str] | None = None,
    kind: str | Collection[str] | None = None,
    date_from: date | None = None,
    date_to: date | None = None,
    buyer_text: str = "",
    series_prefix: str | None = None,
    patient_id: uuid.UUID | None = None,
) -> int:
    """How many invoices and credit notes `list_invoices` would page through with these
    filters (all pages together), so a list can say "12 of 340" and stop offering more."""
    query = _filtered(
        select(func.count(Invoice.id))
        .select_from(Invoice)
        .outerjoin(Patient, Patient.id == Invoice.patient_id)
        .where(Invoice.deleted_at.is_(None)),
        status=status,
        kind=kind,
        date_from=date_from,
        date_to=date_to,
        buyer_text=buyer_text,
        series_prefix=series_prefix,
        patient_id=patient_id,
    )
    with uow.transaction(actor) as session:
        require_read(session, actor)
        return int(session.execute(query).scalar_one())


def get_invoice(uow: UnitOfWork, *, actor: Actor, invoice_id: uuid.UUID) -> InvoiceDTO:
    with uow.transaction(actor) as session:
        require_read(session, actor)
        return invoice_dto(session, load_invoice(session, invoice_id))


def _appointment_invoice(session: Session, appointment_id: uuid.UUID) -> InvoiceSummaryDTO | None:
    rows = list(
        session.execute(
            _summary_query()
            .where(
                Invoice.appointment_id == appointment_id,
                Invoice.kind != InvoiceKind.CREDIT_NOTE.value,
            )
            .order_by(Invoice.created_at.desc(), Invoice.id.desc())
        )
    )

    def rank(invoice: Invoice) -> int:
        if invoice.status == InvoiceStatus.CREDITED.value:
            return 2
        return 1 if invoice.is_draft else 0

    if not rows:
        return None
    invoice, first, last = min(rows, key=lambda r: rank(r[0]))
    return _summary(invoice, first, last)


def invoice_for_appointment(
    uow: UnitOfWork, *, actor: Actor, appointment_id: uuid.UUID
) -> InvoiceSummaryDTO | None:
    """The invoice covering the appointment: the issued one still standing, else the draft
    being written, else the last one credited; None when it was never invoiced."""
    with uow.transaction(actor) as session:
        require_read(session, actor)
        return _appointment_invoice(session, appointment_id)


def list_invoice_series(uow: UnitOfWork, *, actor: Actor) -> list[InvoiceSeriesDTO]:
    """Every numbering series that exists, by prefix and kind."""
    with uow.transaction(actor) as session:
        require_read(session, actor)
        country = clinic_of(session).country
        rows = session.execute(
            select(InvoiceSeries, EmissionPoint.code, EmissionPoint.workstation)
            .join(EmissionPoint, EmissionPoint.id == InvoiceSeries.emission_point_id)
            .where(InvoiceSeries.deleted_at.is_(None))
            .order_by(InvoiceSeries.prefix, InvoiceSeries.kind)
        )
        return [
            InvoiceSeriesDTO(
                prefix=series.prefix,
                kind=series.kind,
                kind_label=kind_label(series.kind, country),
                emission_point=code,
                workstation=workstation,
                last_number=series.last_number,
            )
            for series, code, workstation in rows
        ]
