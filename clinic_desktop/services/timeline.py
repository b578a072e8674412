"""One chronological view of a patient's record: appointments (any status), clinical notes
(drafts, signed, amended), prescriptions, documents and, for those who may read billing
(billing.manage or reports.finance), the issued invoices and credit notes of the patient's
account, newest first. Each item carries what a list row needs and the id of the record it
opens. Clinical content is in it, so it needs clinical.read and each reading is audited."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import UTC, date, datetime, time
from enum import StrEnum

from sqlalchemy import func, select
from sqlalchemy.orm import Session, aliased

from clinic_desktop.actor import Actor
from clinic_desktop.db.uow import UnitOfWork
from clinic_desktop.formatting import money
from clinic_desktop.models.appointment import Appointment
from clinic_desktop.models.billing import Invoice, InvoiceKind, InvoiceStatus
from clinic_desktop.models.document import PatientDocument
from clinic_desktop.models.encounter import Encounter, EncounterStatus
from clinic_desktop.models.permissions import Permission
from clinic_desktop.models.prescription import Prescription, PrescriptionItem
from clinic_desktop.models.schedule import AppointmentType, Practitioner
from clinic_desktop.services.access import permissions_of, require
from clinic_desktop.services.clinical_common import audit_clinical_read, load_patient, user_names
from clinic_desktop.services.invoice_common import printed_number


class TimelineKind(StrEnum):
    APPOINTMENT = "appointment"
    NOTE = "note"
    PRESCRIPTION = "prescription"
    DOCUMENT = "document"
    INVOICE = "invoice"  # record_id opens services.invoices.get_invoice
    CREDIT_NOTE = "credit_note"


@dataclass(frozen=True)
class TimelineItem:
    kind: TimelineKind
    # Aware UTC; dated records (prescriptions, documents) sit at noon UTC of their date, so
    # they sort within their day and show the right date in any American or European zone.
    at: datetime
    record_id: uuid.UUID
    # What happened: the appointment type, the chief complaint, the medications; for an
    # invoice or credit note its number and total ("001-001-000000012 · $25.00").
    title: str
    detail: str  # who: practitioner, author, prescriber; or the document's category
    # The record's own status value (the UI translates it; invoices: invoice_dto.status_label).
    status: str
    is_dated: bool = False  # True when only the date is meaningful


def _noon(day: date) -> datetime:
    return datetime.combine(day, time(12), tzinfo=UTC)


def _appointments(session: Session, patient_id: uuid.UUID) -> list[TimelineItem]:
    kind = aliased(AppointmentType)
    rows = session.execute(
        select(
            Appointment.id,
            Appointment.start_at,
            Appointment.status,
            Appointment.reason,
            Practitioner.display_name,
            kind.name,
        )
        .join(Practitioner, Practitioner.id == Appointment.practitioner_id)
        .outerjoin(kind, kind.id == Appointment.type_id)
        .where(Appointment.patient_id == patient_id, Appointment.deleted_at.is_(None))
    )
    return [
        TimelineItem(TimelineKind.APPOINTMENT, start, aid, type_name or reason, who, status)
        for aid, start, status, reason, who, type_name in rows
    ]


def _notes(session: Session, patient_id: uuid.UUID) -> list[TimelineItem]:
    rows = list(
        session.execute(
            select(
                Encounter.id,
                Encounter.occurred_at,
                Encounter.status,
                Encounter.chief_complaint,
                Encounter.author_id,
                Encounter.amends_id,
            ).where(Encounter.patient_id == patient_id, Encounter.deleted_at.is_(None))
        )
    )
    names = user_names(session, (r[4] for r in rows))
    superseded = {r[5] for r in rows if r[5] is not None and r[2] == EncounterStatus.SIGNED}
    return [
        TimelineItem(
            TimelineKind.NOTE,
            at,
            nid,
            complaint,
            names.get(author, ""),
            "superseded" if nid in superseded else status,
        )
        for nid, at, status, complaint, author, _amends in rows
    ]


def _prescriptions(session: Session, patient_id: uuid.UUID) -> list[TimelineItem]:
    medications = (
        select(func.group_concat(PrescriptionItem.medication, ", "))
        .where(
            PrescriptionItem.prescription_id == Prescription.id,
            PrescriptionItem.deleted_at.is_(None),
        )
        .scalar_subquery()
    )
    rows = list(
        session.execute(
            select(
                Prescription.id,
                Prescription.issued_on,
                Prescription.status,
                Prescription.prescriber_id,
                medications,
            ).where(Prescription.patient_id == patient_id, Prescription.deleted_at.is_(None))
        )
    )
    names = user_names(session, (r[3] for r in rows))
    return [
        TimelineItem(
            TimelineKind.PRESCRIPTION,
            _noon(day),
            pid,
            meds or "",
            names.get(prescriber, ""),
            status,
            is_dated=True,
        )
        for pid, day, status, prescriber, meds in rows
    ]


def _documents(session: Session, patient_id: uuid.UUID) -> list[TimelineItem]:
    rows = session.execute(
        select(
            PatientDocument.id,
            PatientDocument.document_date,
            PatientDocument.description,
            PatientDocument.file_name,
            PatientDocument.category,
        ).where(PatientDocument.patient_id == patient_id, PatientDocument.deleted_at.is_(None))
    )
    return [
        TimelineItem(
            TimelineKind.DOCUMENT, _noon(day), did, text or name, category, "", is_dated=True
        )
        for did, day, text, name, category in rows
    ]


def _invoices(session: Session, patient_id: uuid.UUID) -> list[TimelineItem]:
    rows = session.execute(
        select(
            Invoice.id,
            Invoice.kind,
            Invoice.issued_at,
            Invoice.number_text,
            Invoice.total,
            Invoice.currency,
            Invoice.status,
            Practitioner.display_name,
        )
        .outerjoin(Practitioner, Practitioner.id == Invoice.practitioner_id)
        .where(
            Invoice.patient_id == patient_id,
            Invoice.deleted_at.is_(None),
            Invoice.status != InvoiceStatus.DRAFT.value,
            Invoice.issued_at.is_not(None),
        )
    )
    return [
        TimelineItem(
            TimelineKind.CREDIT_NOTE
            if kind == InvoiceKind.CREDIT_NOTE.value
            else TimelineKind.INVOICE,
            at,
            iid,
            f"{printed_number(number)} · {money(total, currency)}",
            who or "",
            status,
        )
        for iid, kind, at, number, total, currency, status, who in rows
        if at is not None
    ]


def _reads_billing(session: Session, actor: Actor) -> bool:
    if actor.is_system:
        return True
    if actor.user_id is None:
        return False
    held = permissions_of(session, actor.user_id)
    return Permission.BILLING_MANAGE in held or Permission.REPORTS_FINANCE in held


def patient_timeline(uow: UnitOfWork, *, actor: Actor, patient_id: uuid.UUID) -> list[TimelineItem]:
    with uow.transaction(actor) as session:
        require(session, actor, Permission.CLINICAL_READ)
        load_patient(session, patient_id)
        items = (
            _appointments(session, patient_id)
            + _notes(session, patient_id)
            + _prescriptions(session, patient_id)
            + _documents(session, patient_id)
        )
        if _reads_billing(session, actor):
            items += _invoices(session, patient_id)
        audit_clinical_read(session, actor, patient_id=patient_id, what="timeline")
    # Newest first; on the same instant, the appointment before the note written in it.
    order = list(TimelineKind)
    items.sort(key=lambda i: (i.at, -order.index(i.kind)), reverse=True)
    return items
