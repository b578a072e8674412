"""Draft invoices: written blank or from an appointment, edited and deleted until they are
issued (invoice_issue), never after. A draft from an appointment bills its patient's
account, takes the buyer from the patient's record and the practitioner from the
appointment, and gets one line per treatment done in it at the price recorded there with
the treatment's tax code. Products used during the visit (recipe or extras) are not lines:
they are the clinic's cost of the treatment, already taken from stock when it was done; a
product handed to the patient to keep is added as a product line and leaves stock at issue.
An appointment already covered by an issued invoice (not wholly credited) or by another
draft is asked about before a second one is written. Every save recomputes the draft's
amounts with today's rates (fiscal.invoice_math); issuing recomputes them for the issue
date and freezes them.

Public API (billing.manage; results are InvoiceDTO, see invoice_dto):
  create_draft(uow, *, actor, patient_id=None, appointment_id=None, kind="invoice",
               confirmed=False) -> InvoiceDTO
  update_draft(uow, *, actor, invoice_id, version, form: InvoiceDraftForm) -> InvoiceDTO
  delete_draft(uow, *, actor, invoice_id, version) -> None"""

from __future__ import annotations

import uuid
from decimal import Decimal

from sqlalchemy import select
from sqlalchemy.orm import Session

from clinic_desktop.actor import Actor
from clinic_desktop.db.uow import UnitOfWork
from clinic_desktop.errors import NeedsConfirmation, NotFound, ValidationError
from clinic_desktop.i18n import _
from clinic_desktop.models.appointment import Appointment
from clinic_desktop.models.base import utcnow
from clinic_desktop.models.billing import Invoice, InvoiceKind, InvoiceStatus, LineSource
from clinic_desktop.models.patient import Patient
from clinic_desktop.models.schedule import Practitioner
from clinic_desktop.models.treatment import AppointmentTreatment, Treatment, TreatmentStatus
from clinic_desktop.services.appointment_work import load_appointment
from clinic_desktop.services.clinical_common import load_patient
from clinic_desktop.services.clinical_history import clinic_today
from clinic_desktop.services.concurrency import check_version
from clinic_desktop.services.credit_notes import issue_credit_note
from clinic_desktop.services.invoice_common import (
    already_invoiced_question,
    announce,
    clinic_of,
    live_lines,
    load_invoice,
    require_draft,
    require_write,
)
from clinic_desktop.services.invoice_dto import (
    BuyerIdType,
    InvoiceDraftForm,
    InvoiceDTO,
    LineForm,
)
from clinic_desktop.services.invoice_issue import issue_invoice
from clinic_desktop.services.invoice_lines import (
    apply_totals,
    clean_discount_percent,
    clean_lines,
    rates_on,
    write_lines,
)
from clinic_desktop.services.invoice_queries import (
    get_invoice,
    invoice_for_appointment,
    list_invoice_series,
    list_invoices,
)
from clinic_desktop.services.invoice_rules import clean_buyer, clean_kind
from clinic_desktop.services.invoice_views import invoice_dto

NOTES_LIMIT = 2000
# A patient's identity document, as the buyer's identity type.
_PATIENT_ID_TYPES = {
    "cedula": BuyerIdType.CEDULA,
    "ruc": BuyerIdType.RUC,
    "dni": BuyerIdType.DNI,
    "nie": BuyerIdType.NIE,
    "passport": BuyerIdType.PASSPORT,
}


def _appointment_lines(session: Session, appointment: Appointment) -> list[LineForm]:
    """One line per treatment done in the appointment (removed rows excluded)."""
    rows = session.execute(
        select(AppointmentTreatment, Treatment)
        .join(Treatment, Treatment.id == AppointmentTreatment.treatment_id)
        .where(
            AppointmentTreatment.appointment_id == appointment.id,
            AppointmentTreatment.deleted_at.is_(None),
            AppointmentTreatment.status == TreatmentStatus.DONE.value,
        )
        .order_by(AppointmentTreatment.done_at, AppointmentTreatment.created_at)
    )
    return [
        LineForm(
            source=LineSource.TREATMENT.value,
            description=treatment.name,
            quantity=Decimal(done.quantity),
            unit_price=done.price,
            tax_code=treatment.tax_code,
            treatment_id=treatment.id,
            appointment_treatment_id=done.id,
        )
        for done, treatment in rows
    ]


def _buyer_from(patient: Patient) -> dict[str, str]:
    id_type = _PATIENT_ID_TYPES.get(patient.id_type or "")
    number = (patient.id_number or "").strip()
    return {
        "buyer_name": patient.full_name,
        "buyer_id_type": id_type.value if id_type and number else "",
        "buyer_tax_id": number if id_type else "",
        "buyer_address": patient.address or "",
        "buyer_email": patient.email or "",
    }


def create_draft(
    uow: UnitOfWork,
    *,
    actor: Actor,
    patient_id: uuid.UUID | None = None,
    appointment_id: uuid.UUID | None = None,
    kind: InvoiceKind | str = InvoiceKind.INVOICE,
    confirmed: bool = False,
) -> InvoiceDTO:
    """A new draft: blank, for a patient (buyer from the record), or for an appointment
    (patient, practitioner and one line per treatment done). An appointment already invoiced
    or with a draft open raises NeedsConfirmation unless `confirmed`."""
    with uow.transaction(actor) as session:
        require_write(session, actor)
        clinic = clinic_of(session)
        draft_kind = clean_kind(str(kind), clinic.country)
        invoice = Invoice(
            kind=draft_kind.value,
            status=InvoiceStatus.DRAFT.value,
            country=clinic.country,
            currency=clinic.currency,
        )
        lines: list[LineForm] = []
        if appointment_id is not None:
            appointment = load_appointment(session, appointment_id)
            question = already_invoiced_question(session, appointment.id)
            if question and not confirmed:
                raise NeedsConfirmation(
                    question,
                    question=_("Write another invoice for this appointment anyway?"),
                    field="appointment_id",
                )
            invoice.appointment_id = appointment.id
            invoice.practitioner_id = appointment.practitioner_id
            patient_id = appointment.patient_id
            lines = _appointment_lines(session, appointment)
        if patient_id is not None:
            patient = load_patient(session, patient_id)
            invoice.patient_id = patient.id
            buyer = _buyer_from(patient)
            # A number on the record that no longer passes is left for the user to fix in
            # the editor rather than refusing the draft.
            try:
                checked = clean_buyer(
                    country=clinic.country,
                    kind=draft_kind,
                    name=buyer["buyer_name"],
                    id_type=buyer["buyer_id_type"],
                    tax_id=buyer["buyer_tax_id"],
                    address=buyer["buyer_address"],
                    email=buyer["buyer_email"],
                    strict=False,
                )
                buyer = {
                    "buyer_name": checked.name,
                    "buyer_id_type": checked.id_type,
                    "buyer_tax_id": checked.tax_id,
                    "buyer_address": checked.address,
                    "buyer_email": checked.email,
                }
            except ValidationError:
                pass
            for key, value in buyer.items():
                setattr(invoice, key, value)
        session.add(invoice)
        session.flush()
        cleaned = clean_lines(session, lines, country=clinic.country, currency=clinic.currency)
        rows = write_lines(session, invoice, [], cleaned, by=actor.user_id)
        apply_totals(invoice, rows, rates_on(rows, clinic_today(session)))
        session.flush()
        announce(uow, [invoice])
        return invoice_dto(session, invoice)


def update_draft(
    uow: UnitOfWork,
    *,
    actor: Actor,
    invoice_id: uuid.UUID,
    version: int,
    form: InvoiceDraftForm,
) -> InvoiceDTO:
    """Replaces the draft's buyer, discount, notes, kind, patient, practitioner and lines
    with `form` (see InvoiceDraftForm) and recomputes its amounts for today. Refused for an
    issued invoice (InvalidTransition) and for a stale `version` (ConcurrentEditError)."""
    with uow.transaction(actor) as session:
        require_write(session, actor)
        invoice = load_invoice(session, invoice_id)
        require_draft(invoice)
        check_version(session, invoice, version)
        kind = clean_kind(form.kind or invoice.kind, invoice.country)
        buyer = clean_buyer(
            country=invoice.country,
            kind=kind,
            name=form.buyer_name,
            id_type=form.buyer_id_type,
            tax_id=form.buyer_tax_id,
            address=form.buyer_address,
            email=form.buyer_email,
            strict=False,
        )
        percent = clean_discount_percent(form.discount_percent)
        notes = form.notes.strip()
        if len(notes) > NOTES_LIMIT:
            raise ValidationError(
                _("{field}: at most {count} characters.").format(
                    field=_("Notes"), count=NOTES_LIMIT
                ),
                field="notes",
            )
        cleaned = clean_lines(
            session, form.lines, country=invoice.country, currency=invoice.currency
        )
        if form.patient_id is not None and form.patient_id != invoice.patient_id:
            load_patient(session, form.patient_id)
        if form.practitioner_id is not None:
            practitioner = session.get(Practitioner, form.practitioner_id)
            if practitioner is None or practitioner.is_deleted:
                raise NotFound(_("The practitioner no longer exists."))
        invoice.kind = kind.value
        invoice.patient_id = form.patient_id
        invoice.practitioner_id = form.practitioner_id
        invoice.buyer_name = buyer.name
        invoice.buyer_id_type = buyer.id_type
        invoice.buyer_tax_id = buyer.tax_id
        invoice.buyer_address = buyer.address
        invoice.buyer_email = buyer.email
        invoice.discount_percent = percent
        invoice.notes = notes
        rows = write_lines(
            session, invoice, live_lines(session, [invoice.id]), cleaned, by=actor.user_id
        )
        apply_totals(invoice, rows, rates_on(rows, clinic_today(session)))
        # Saving always makes a new version, even when only a line changed: a second editor
        # holding the old version must not overwrite this save.
        invoice.updated_at = utcnow()
        session.flush()
        announce(uow, [invoice])
        return invoice_dto(session, invoice)


def delete_draft(uow: UnitOfWork, *, actor: Actor, invoice_id: uuid.UUID, version: int) -> None:
    """Moves a draft and its lines to the trash; an issued invoice is refused
    (InvalidTransition): only a credit note corrects it."""
    with uow.transaction(actor) as session:
        require_write(session, actor)
        invoice = load_invoice(session, invoice_id)
        require_draft(invoice)
        check_version(session, invoice, version)
        for row in live_lines(session, [invoice.id]):
            row.soft_delete(by=actor.user_id)
        invoice.soft_delete(by=actor.user_id)
        session.flush()
        announce(uow, [invoice])


__all__ = [
    "create_draft",
    "delete_draft",
    "get_invoice",
    "invoice_for_appointment",
    "issue_credit_note",
    "issue_invoice",
    "list_invoice_series",
    "list_invoices",
    "update_draft",
]
