"""What every invoice service shares: the permission checks (billing.manage writes; reading
also allowed with reports.finance), loading an invoice and its live lines, the clinic's
country and currency, the refusal every edit path gives an issued invoice, the stamp that
makes a draft invoice or credit note issued (number, issue date, status), and the
BillingChanged event published after the commit."""

from __future__ import annotations

import uuid
from collections.abc import Iterable
from datetime import date, datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from clinic_desktop.actor import Actor
from clinic_desktop.db.uow import UnitOfWork
from clinic_desktop.errors import InvalidTransition, NotFound
from clinic_desktop.events import BillingChanged, InventoryChanged
from clinic_desktop.i18n import _
from clinic_desktop.models.billing import Invoice, InvoiceKind, InvoiceLine, InvoiceStatus
from clinic_desktop.models.clinic import Clinic
from clinic_desktop.models.permissions import Permission
from clinic_desktop.services.access import require, require_any
from clinic_desktop.services.invoice_dto import kind_label, status_label
from clinic_desktop.services.invoice_numbering import IssuedNumber

READ = (Permission.BILLING_MANAGE, Permission.REPORTS_FINANCE)


def require_write(session: Session, actor: Actor) -> None:
    require(session, actor, Permission.BILLING_MANAGE)


def require_read(session: Session, actor: Actor) -> None:
    require_any(session, actor, READ)


def clinic_of(session: Session) -> Clinic:
    return session.scalars(select(Clinic)).one()


def load_invoice(session: Session, invoice_id: uuid.UUID) -> Invoice:
    invoice = session.get(Invoice, invoice_id)
    if invoice is None or invoice.is_deleted:
        raise NotFound(_("The invoice no longer exists."))
    return invoice


def live_lines(session: Session, invoice_ids: Iterable[uuid.UUID]) -> list[InvoiceLine]:
    """The invoices' lines in printed order."""
    ids = list(invoice_ids)
    if not ids:
        return []
    return list(
        session.scalars(
            select(InvoiceLine)
            .where(InvoiceLine.invoice_id.in_(ids), InvoiceLine.deleted_at.is_(None))
            .order_by(InvoiceLine.invoice_id, InvoiceLine.position, InvoiceLine.id)
        )
    )


def printed_number(stored: str | None) -> str:
    """The number as printed ("" for a draft)."""
    return stored or ""


def document_name(invoice: Invoice) -> str:
    """ "Invoice 001-001-000000007", "Credit note 001-001-000000002", "Draft invoice"."""
    label = kind_label(invoice.kind, invoice.country)
    if invoice.number_text:
        return _("{document} {number}").format(
            document=label, number=printed_number(invoice.number_text)
        )
    return _("Draft: {document}").format(document=label.lower())


def require_draft(invoice: Invoice) -> None:
    """Issued documents are never edited, deleted or issued again: only a credit note may
    correct them."""
    if invoice.is_draft:
        return
    if invoice.kind == InvoiceKind.CREDIT_NOTE.value:
        raise InvalidTransition(
            _("{document} is issued: it cannot be changed or deleted.").format(
                document=document_name(invoice)
            )
        )
    raise InvalidTransition(
        _(
            "{document} is issued: it cannot be changed or deleted. Correct it with a credit note."
        ).format(document=document_name(invoice))
    )


def stamp_issued(
    document: Invoice,
    issued: IssuedNumber,
    *,
    today: date,
    issued_at: datetime,
    by: uuid.UUID | None,
) -> None:
    """Gives a draft invoice or credit note its number and issue date and makes it issued,
    settled against what is already paid or credited on it."""
    document.series_id = issued.series.id
    document.number = issued.number
    document.number_text = issued.text
    document.issue_date = today
    document.issued_at = issued_at
    document.issued_by = by
    document.status = InvoiceStatus.ISSUED.value
    document.settle()


def announce(uow: UnitOfWork, invoices: Iterable[Invoice]) -> None:
    rows = list(invoices)
    uow.publish_after_commit(
        BillingChanged(
            what="invoices",
            ids=tuple(str(i.id) for i in rows),
            patient_ids=tuple(sorted({str(i.patient_id) for i in rows if i.patient_id})),
        )
    )


def announce_stock(uow: UnitOfWork, product_ids: Iterable[uuid.UUID]) -> None:
    ids = tuple(sorted({str(p) for p in product_ids}))
    if ids:
        uow.publish_after_commit(InventoryChanged(what="stock", ids=ids))


def covering_invoices(
    session: Session, appointment_id: uuid.UUID, *, exclude: uuid.UUID | None = None
) -> list[Invoice]:
    """The live invoices (drafts included, credit notes not) written for the appointment."""
    query = select(Invoice).where(
        Invoice.appointment_id == appointment_id,
        Invoice.deleted_at.is_(None),
        Invoice.kind != InvoiceKind.CREDIT_NOTE.value,
    )
    if exclude is not None:
        query = query.where(Invoice.id != exclude)
    return list(session.scalars(query.order_by(Invoice.created_at.desc(), Invoice.id.desc())))


def already_invoiced_question(
    session: Session, appointment_id: uuid.UUID, *, exclude: uuid.UUID | None = None
) -> str | None:
    """What to ask before invoicing the appointment again: an issued invoice not wholly
    credited covers it, or a draft is already open for it."""
    for other in covering_invoices(session, appointment_id, exclude=exclude):
        if other.status == InvoiceStatus.CREDITED.value:
            continue
        if other.is_draft:
            return _("A draft invoice for this appointment already exists.")
        return _("This appointment is already invoiced on {number} ({status}).").format(
            number=printed_number(other.number_text), status=status_label(other.status).lower()
        )
    return None
