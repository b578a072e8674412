"""The end of a patient's record: clinical records are kept for the retention period (setting
"clinical.retention_years", counted from the patient's last clinical activity), and after it
the owner may anonymise an archived patient. Anonymising erases what identifies the person
(names, identity number, contact details, emergency contact, payer, referral, the exact birth
date, the photo and the bytes of every attached document, free-text notes on consents,
appointments and the waitlist) and keeps the clinical record itself (history, allergies,
medications, problems, notes, prescriptions, the documents' details), which the law keeps and
statistics use. Nothing else in the app destroys clinical content: removing a record moves it
to the trash, which is never purged. The erased values are recorded redacted in the audit
trail (`db.audit_log.forget_old_values`), so the anonymisation does not copy them there."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import date, datetime

from babel.dates import format_date
from sqlalchemy import func, select, text, update
from sqlalchemy.orm import Session

from clinic_desktop.actor import Actor
from clinic_desktop.db.audit_log import append_audit, forget_old_values
from clinic_desktop.db.uow import UnitOfWork
from clinic_desktop.errors import InvalidTransition, ValidationError
from clinic_desktop.events import PatientsChanged
from clinic_desktop.i18n import _, current_language
from clinic_desktop.models.appointment import Appointment, WaitlistEntry
from clinic_desktop.models.base import utcnow
from clinic_desktop.models.clinical import Allergy, MedicalHistoryEntry, Medication, Problem
from clinic_desktop.models.document import DocumentContent, PatientDocument, PatientPhoto
from clinic_desktop.models.encounter import Encounter, EncounterAddendum
from clinic_desktop.models.patient import Patient, PatientConsent
from clinic_desktop.models.permissions import Permission
from clinic_desktop.models.prescription import Prescription
from clinic_desktop.services.access import require
from clinic_desktop.services.agenda_rules import clinic_zone
from clinic_desktop.services.clinical_common import announce, load_patient
from clinic_desktop.services.documents import ALLOWED_DOCUMENT_TYPES
from clinic_desktop.services.patient_admin import PatientDTO, to_dto
from clinic_desktop.services.settings import read_settings

# What an anonymised patient is stored as. A neutral stored value in the clinic's language
# (agenda history, invoices and printed records show the stored name); the patients screen
# shows the translated "Anonymised patient" instead. The chart number keeps them apart.
ANONYMISED_FIRST_NAMES = "Anonimizado"

# The patient's columns that identify the person: blanked, and their old values kept out of
# the audit entry of the anonymisation.
_IDENTIFYING = (
    "first_names",
    "last_names",
    "search_name",
    "id_type",
    "id_number",
    "birth_date",
    "phone",
    "mobile_phone",
    "email",
    "address",
    "emergency_contact",
    "emergency_phone",
    "payer",
    "referral_source",
)
_CLEARED = (
    "id_number",
    "phone",
    "mobile_phone",
    "email",
    "address",
    "emergency_contact",
    "emergency_phone",
    "payer",
    "referral_source",
)
# The records whose writes are clinical activity (created or updated).
CLINICAL_RECORDS = (
    Encounter,
    Prescription,
    PatientDocument,
    Problem,
    Allergy,
    Medication,
    MedicalHistoryEntry,
)


@dataclass(frozen=True)
class RetentionStatusDTO:
    patient_id: uuid.UUID
    chart_number: int
    retention_years: int
    # The clinic's calendar day of the latest clinical activity (the patient's creation when
    # there was none), and the first day the record may be anonymised.
    last_activity: date
    eligible_from: date
    eligible: bool
    archived: bool
    anonymised_at: datetime | None


@dataclass(frozen=True)
class AnonymisationResult:
    patient: PatientDTO
    documents_erased: int
    photo_erased: bool


def add_years(day: date, years: int) -> date:
    """The same month and day `years` later; 29 February becomes 28 February."""
    try:
        return day.replace(year=day.year + years)
    except ValueError:
        return day.replace(year=day.year + years, day=28)


def long_date(day: date) -> str:
    """ "10 de marzo de 2031" in the UI language, for messages."""
    return str(format_date(day, "long", locale=current_language()))


def _last_activity(session: Session, patient: Patient) -> date:
    """The latest clinical activity of the patient on the clinic's calendar, or the day the
    patient was created when there was none. Rows in the trash count too: they are kept as
    records, and removing one is itself activity. One MAX per table, each on its patient_id
    index."""
    pid = patient.id
    moments: list[datetime | None] = [
        session.scalar(select(func.max(Appointment.start_at)).where(Appointment.patient_id == pid)),
        session.scalar(select(func.max(Encounter.occurred_at)).where(Encounter.patient_id == pid)),
        session.scalar(
            select(func.max(EncounterAddendum.created_at))
            .join(Encounter, Encounter.id == EncounterAddendum.encounter_id)
            .where(Encounter.patient_id == pid)
        ),
    ]
    for model in CLINICAL_RECORDS:
        created, updated = session.execute(
            select(func.max(model.created_at), func.max(model.updated_at)).where(
                model.patient_id == pid
            )
        ).one()
        moments += [created, updated]
    issued = session.scalar(
        select(func.max(Prescription.issued_on)).where(Prescription.patient_id == pid)
    )
    zone = clinic_zone(session)
    days = [m.astimezone(zone).date() for m in moments if m is not None]
    if issued is not None:
        days.append(issued)
    return max(days) if days else patient.created_at.astimezone(zone).date()


def _status(session: Session, patient: Patient, today: date | None) -> RetentionStatusDTO:
    years = int(read_settings(session)["clinical.retention_years"])
    last = _last_activity(session, patient)
    eligible_from = add_years(last, years)
    today = today or datetime.now(clinic_zone(session)).date()
    return RetentionStatusDTO(
        patient_id=patient.id,
        chart_number=patient.chart_number,
        retention_years=years,
        last_activity=last,
        eligible_from=eligible_from,
        eligible=today >= eligible_from,
        archived=patient.is_archived,
        anonymised_at=patient.anonymised_at,
    )


def retention_status(
    uow: UnitOfWork, *, actor: Actor, patient_id: uuid.UUID, today: date | None = None
) -> RetentionStatusDTO:
    """When the patient's record may be anonymised (owner: the one who may anonymise)."""
    with uow.transaction(actor) as session:
        require(session, actor, Permission.PATIENTS_EXPORT)
        return _status(session, load_patient(session, patient_id), today)


def anonymised_among(
    uow: UnitOfWork, *, actor: Actor, patient_ids: list[uuid.UUID]
) -> frozenset[uuid.UUID]:
    """Which of these patients are anonymised (search results do not say)."""
    if not patient_ids:
        return frozenset()
    with uow.transaction(actor) as session:
        require(session, actor, Permission.PATIENTS_READ)
        return frozenset(
            session.scalars(
                select(Patient.id).where(
                    Patient.id.in_(patient_ids), Patient.anonymised_at.is_not(None)
                )
            )
        )


def _check_allowed(patient: Patient, status: RetentionStatusDTO, confirm_chart_number: int) -> None:
    if patient.anonymised_at is not None:
        raise InvalidTransition(
            _("Anonymise: this patient was already anonymised on {date}.").format(
                date=long_date(patient.anonymised_at.date())
            )
        )
    if not patient.is_archived:
        raise InvalidTransition(
            _("Anonymise: archive the patient first; only an archived patient can be anonymised.")
        )
    if not status.eligible:
        raise InvalidTransition(
            _(
                "Anonymise: the clinical record must be kept until {date} ({years} years after "
                "the last clinical activity, on {last}). Nothing was changed."
            ).format(
                date=long_date(status.eligible_from),
                years=status.retention_years,
                last=long_date(status.last_activity),
            )
        )
    if confirm_chart_number != patient.chart_number:
        raise ValidationError(
            _("Chart number: type {chart} to confirm; the number typed does not match.").format(
                chart=patient.chart_number
            ),
            field="confirm_chart_number",
        )


def _blank_patient(session: Session, patient: Patient, actor: Actor) -> None:
    forget_old_values(session, patient, _IDENTIFYING)
    patient.set_names(ANONYMISED_FIRST_NAMES, f"#{patient.chart_number}")
    patient.id_type = "none"
    for key in _CLEARED:
        setattr(patient, key, None)
    if patient.birth_date is not None:
        # The year alone still gives the age group for statistics.
        patient.birth_date = date(patient.birth_date.year, 1, 1)
    patient.reminder_channel = "none"
    patient.reminder_consent = False
    patient.anonymised_at = utcnow()
    patient.anonymised_by = actor.user_id


def _blank_notes(session: Session, patient_id: uuid.UUID) -> None:
    """Free-text notes next to the record that often carry contact details ("call her
    daughter on 099…"). The consents themselves stay: they are evidence of what was agreed."""
    for model, column in (
        (PatientConsent, "note"),
        (Appointment, "notes"),
        (WaitlistEntry, "note"),
    ):
        field = getattr(model, column)
        for row in session.scalars(
            select(model).where(model.patient_id == patient_id, field != "")
        ):
            forget_old_values(session, row, (column,))
            setattr(row, column, "")


def _erase_media(session: Session, patient_id: uuid.UUID, actor: Actor) -> tuple[int, bool]:
    """Wipes the photo and the documents' bytes, in the trash too; the documents' details stay
    (what was attached and when is part of the record), with a neutral file name, since scans
    are often named after the patient."""
    photo = session.scalar(select(PatientPhoto).where(PatientPhoto.patient_id == patient_id))
    photo_erased = photo is not None and bool(photo.sha256)
    if photo is not None:
        forget_old_values(session, photo, ("sha256",))
        photo.data = b""
        photo.sha256 = ""
        if not photo.is_deleted:
            photo.soft_delete(by=actor.user_id)
    documents = list(
        session.scalars(
            select(PatientDocument)
            .where(PatientDocument.patient_id == patient_id)
            .order_by(PatientDocument.created_at)
        )
    )
    for number, document in enumerate(documents, start=1):
        forget_old_values(session, document, ("file_name",))
        extension = ALLOWED_DOCUMENT_TYPES.get(document.mime_type, "")
        document.file_name = f"document-{number}{extension}"
    erased = 0
    if documents:
        # One UPDATE: loading hundreds of scans only to drop them would cost their size in
        # memory. The bytes are left out of the audit trail anyway (__audit_skip__).
        result = session.execute(
            update(DocumentContent)
            .where(
                DocumentContent.document_id.in_([d.id for d in documents]),
                func.length(DocumentContent.data) > 0,
            )
            .values(
                data=b"",
                version=DocumentContent.version + 1,
                updated_at=utcnow(),
                updated_by=actor.user_id,
            )
            .execution_options(synchronize_session=False)
        )
        erased = int(getattr(result, "rowcount", 0) or 0)
    return erased, photo_erased


def anonymise_patient(
    uow: UnitOfWork,
    *,
    actor: Actor,
    patient_id: uuid.UUID,
    confirm_chart_number: int,
    today: date | None = None,
) -> AnonymisationResult:
    """Erases what identifies an archived patient whose retention period is over; the owner
    types the chart number to confirm. One transaction: all of it or nothing."""
    with uow.transaction(actor) as session:
        # Owner only: it needs both editing patients and the right-of-access export, which
        # only the owner holds by default (no new permission, so no grants to migrate).
        require(session, actor, Permission.PATIENTS_WRITE)
        require(session, actor, Permission.PATIENTS_EXPORT)
        patient = load_patient(session, patient_id)
        status = _status(session, patient, today)
        _check_allowed(patient, status, confirm_chart_number)
        _blank_patient(session, patient, actor)
        _blank_notes(session, patient_id)
        # Freed pages are overwritten with zeros rather than left in the file (and in the
        # backups made from it) until SQLite happens to reuse them.
        session.execute(text("PRAGMA secure_delete = ON"))
        try:
            documents, photo = _erase_media(session, patient_id, actor)
            session.flush()
        finally:
            session.execute(text("PRAGMA secure_delete = OFF"))
        append_audit(
            session,
            actor=actor,
            action="patient.anonymised",
            entity="Patient",
            entity_id=str(patient_id),
            changes={
                "chart_number": patient.chart_number,
                "retention_years": status.retention_years,
                "last_activity": status.last_activity,
                "documents_erased": documents,
                "photo_erased": photo,
            },
        )
        session.flush()
        uow.publish_after_commit(PatientsChanged(patient_id=str(patient_id)))
        announce(uow, patient_id, "anonymised")
        return AnonymisationResult(
            patient=to_dto(patient), documents_erased=documents, photo_erased=photo
        )
