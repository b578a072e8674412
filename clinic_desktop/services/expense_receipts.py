"""An expense's receipts (the supplier's invoice as a PDF, a photo of a till slip): attaching
one, reading its bytes to show it, and moving it to the trash. As with a patient's documents
(whose checks this reuses), the type is judged by the content, never by the name, only PDF,
PNG and JPEG are accepted, the size limit is the "Largest document (MB)" setting, and the
bytes go into the encrypted database (their own table, so listing expenses never reads them;
the audit trail keeps the SHA-256). Reading the bytes is audited, as a view or, for a copy
the user saves, as an export; the bytes are never written to disk by the services."""

from __future__ import annotations

import uuid

from sqlalchemy import select
from sqlalchemy.orm import Session

from clinic_desktop.actor import Actor
from clinic_desktop.db.audit_log import append_audit
from clinic_desktop.db.uow import UnitOfWork
from clinic_desktop.errors import NotFound, StorageError, ValidationError
from clinic_desktop.i18n import _
from clinic_desktop.models.expense import ExpenseReceipt
from clinic_desktop.reports.clinical_letterhead import fmt_date
from clinic_desktop.services.agenda_rules import clinic_zone
from clinic_desktop.services.documents import (
    check_content,
    clean_file_name,
    max_document_bytes,
    sha256_of,
)
from clinic_desktop.services.expense_common import (
    announce,
    load_expense,
    receipt_dto,
    require_reader,
    require_writer,
)
from clinic_desktop.services.expense_dto import ReceiptDTO


def receipt_size_limit(uow: UnitOfWork, *, actor: Actor) -> int:
    """The largest receipt that may be attached, in bytes, so the screen can refuse a huge file
    (with documents.too_large) before reading it."""
    with uow.transaction(actor) as session:
        require_writer(session, actor)
        return max_document_bytes(session)


def attach_receipt(
    uow: UnitOfWork, *, actor: Actor, expense_id: uuid.UUID, file_name: str, content: bytes
) -> ReceiptDTO:
    """Stores `content` as a receipt of the expense; the same file twice is refused."""
    with uow.transaction(actor) as session:
        require_writer(session, actor)
        expense = load_expense(session, expense_id)
        mime = check_content(session, content)
        digest = sha256_of(content)
        twin = session.scalar(
            select(ExpenseReceipt).where(
                ExpenseReceipt.expense_id == expense.id,
                ExpenseReceipt.sha256 == digest,
                ExpenseReceipt.deleted_at.is_(None),
            )
        )
        if twin is not None:
            raise ValidationError(
                _("File: this file is already attached to this expense ({name} of {date}).").format(
                    name=twin.file_name,
                    date=fmt_date(twin.created_at.astimezone(clinic_zone(session)).date()),
                ),
                field="file",
            )
        receipt = ExpenseReceipt(
            expense_id=expense.id,
            file_name=clean_file_name(file_name, fallback=_("receipt")),
            mime_type=mime,
            size=len(content),
            sha256=digest,
            content=content,
        )
        session.add(receipt)
        session.flush()
        announce(uow, [expense.id])
        return receipt_dto(receipt)


def _live_receipt(session: Session, receipt_id: uuid.UUID) -> ExpenseReceipt:
    receipt = session.get(ExpenseReceipt, receipt_id)
    if receipt is None or receipt.is_deleted:
        raise NotFound(_("This receipt no longer exists (it may be in the trash)."))
    load_expense(session, receipt.expense_id)  # a receipt of a deleted expense is gone too
    return receipt


def _read_audited(
    uow: UnitOfWork, *, actor: Actor, receipt_id: uuid.UUID, action: str, what: str
) -> bytes:
    """The receipt's bytes, checked against the checksum taken when attached, with an audit
    entry saying why they were read."""
    with uow.transaction(actor) as session:
        require_reader(session, actor)
        receipt = _live_receipt(session, receipt_id)
        content = receipt.content
        if sha256_of(content) != receipt.sha256:
            raise StorageError(
                _(
                    "The content of this receipt does not match the checksum taken when it was "
                    "attached. Restore it from a backup."
                )
            )
        append_audit(
            session,
            actor=actor,
            action=action,
            entity="ExpenseReceipt",
            entity_id=str(receipt.id),
            changes={"expense_id": str(receipt.expense_id), "what": what},
        )
        return content


def receipt_content(uow: UnitOfWork, *, actor: Actor, receipt_id: uuid.UUID) -> bytes:
    """The receipt's bytes, to be shown from memory; audited as a read."""
    return _read_audited(
        uow, actor=actor, receipt_id=receipt_id, action="read", what="receipt view"
    )


def export_receipt(uow: UnitOfWork, *, actor: Actor, receipt_id: uuid.UUID) -> bytes:
    """The bytes for a copy outside the database, which the user asked for on purpose (the
    screen writes them where the user chose); audited as an export, as a patient document's
    copy is, so the trail says the receipt left the database, not only that it was seen."""
    return _read_audited(
        uow, actor=actor, receipt_id=receipt_id, action="export", what="receipt export"
    )


def remove_receipt(uow: UnitOfWork, *, actor: Actor, receipt_id: uuid.UUID) -> None:
    """Moves the receipt to the trash: its bytes stay in the database and the trash screen
    can restore it."""
    with uow.transaction(actor) as session:
        require_writer(session, actor)
        receipt = _live_receipt(session, receipt_id)
        receipt.soft_delete(by=actor.user_id)
        session.flush()
        announce(uow, [receipt.expense_id])
