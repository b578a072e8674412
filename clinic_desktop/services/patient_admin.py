"""Keeping a patient's identity and contact details: create (with the duplicate checks: the
same ID number is refused, a similar name with the same birth date needs confirmation), edit
with optimistic concurrency, archive instead of delete, and the paged list of patients. The
checks on what is typed live in `services.patient_form`, the DTOs and shared lookups in
`services.patient_records`, the consents in `services.patient_consents`; this module
re-exports their public names, so callers import every patient service from here. A patient
anonymised after the retention period (`services.retention`) is never edited again."""

from __future__ import annotations

import uuid
from datetime import date

from sqlalchemy import func, select, tuple_

from clinic_desktop.actor import Actor
from clinic_desktop.db.uow import UnitOfWork
from clinic_desktop.events import PatientsChanged
from clinic_desktop.models.base import utcnow
from clinic_desktop.models.patient import Patient
from clinic_desktop.models.permissions import Permission
from clinic_desktop.services.access import require
from clinic_desktop.services.concurrency import check_version
from clinic_desktop.services.patient_consents import (
    list_consents,
    record_consent,
    refresh_reminder_consent,
)
from clinic_desktop.services.patient_form import (
    ID_TYPES,
    REMINDER_CHANNELS,
    PossibleDuplicate,
    apply_form,
    check_duplicates,
    clean_form,
)
from clinic_desktop.services.patient_records import (
    ConsentDTO,
    PatientDTO,
    PatientForm,
    PatientPageKey,
    ensure_not_anonymised,
    live_patient,
    to_dto,
)

__all__ = [
    "ID_TYPES",
    "REMINDER_CHANNELS",
    "ConsentDTO",
    "PatientDTO",
    "PatientForm",
    "PatientPageKey",
    "PossibleDuplicate",
    "create_patient",
    "ensure_not_anonymised",
    "get_patient",
    "list_consents",
    "list_patients",
    "record_consent",
    "set_archived",
    "to_dto",
    "update_patient",
]


def create_patient(
    uow: UnitOfWork,
    *,
    actor: Actor,
    form: PatientForm,
    confirm_duplicate: bool = False,
    today: date | None = None,
) -> PatientDTO:
    with uow.transaction(actor) as session:
        require(session, actor, Permission.PATIENTS_WRITE)
        values, warnings = clean_form(session, form, today or date.today())
        check_duplicates(session, values, exclude=None, confirm_duplicate=confirm_duplicate)
        chart = (session.scalar(select(func.max(Patient.chart_number))) or 0) + 1
        patient = Patient(chart_number=chart)
        apply_form(patient, values)
        session.add(patient)
        session.flush()
        uow.publish_after_commit(PatientsChanged(patient_id=str(patient.id)))
        return to_dto(patient, warnings)


def update_patient(
    uow: UnitOfWork,
    *,
    actor: Actor,
    patient_id: uuid.UUID,
    expected_version: int,
    form: PatientForm,
    confirm_duplicate: bool = False,
    today: date | None = None,
) -> PatientDTO:
    with uow.transaction(actor) as session:
        require(session, actor, Permission.PATIENTS_WRITE)
        patient = live_patient(session, patient_id)
        ensure_not_anonymised(patient)
        check_version(session, patient, expected_version)
        values, warnings = clean_form(session, form, today or date.today())
        check_duplicates(session, values, exclude=patient_id, confirm_duplicate=confirm_duplicate)
        apply_form(patient, values)
        # A reminder channel without its consent on record sends nothing.
        refresh_reminder_consent(session, patient)
        session.flush()
        uow.publish_after_commit(PatientsChanged(patient_id=str(patient.id)))
        return to_dto(patient, warnings)


def get_patient(uow: UnitOfWork, *, actor: Actor, patient_id: uuid.UUID) -> PatientDTO:
    with uow.transaction(actor) as session:
        require(session, actor, Permission.PATIENTS_READ)
        return to_dto(live_patient(session, patient_id))


def set_archived(
    uow: UnitOfWork, *, actor: Actor, patient_id: uuid.UUID, archived: bool
) -> PatientDTO:
    """Archiving hides a patient from searches and lists; nothing is deleted, and it can be
    undone."""
    with uow.transaction(actor) as session:
        require(session, actor, Permission.PATIENTS_WRITE)
        patient = live_patient(session, patient_id)
        ensure_not_anonymised(patient)
        patient.archived_at = utcnow() if archived else None
        patient.archived_by = actor.user_id if archived else None
        session.flush()
        uow.publish_after_commit(PatientsChanged(patient_id=str(patient_id)))
        return to_dto(patient)


def list_patients(
    uow: UnitOfWork,
    *,
    actor: Actor,
    archived: bool = False,
    limit: int = 200,
    offset: int = 0,
    after: PatientPageKey | None = None,
) -> tuple[list[PatientDTO], int]:
    """A page of patients by last name, and how many there are in all. The next page is
    asked for with `after` (the last patient shown) rather than an offset: it starts on the
    last-name index where the previous one ended, so the 500th page costs what the first does
    (an offset reads and drops every row before it)."""
    with uow.transaction(actor) as session:
        require(session, actor, Permission.PATIENTS_READ)
        where = [
            Patient.deleted_at.is_(None),
            Patient.archived_at.is_not(None) if archived else Patient.archived_at.is_(None),
        ]
        total = int(session.scalar(select(func.count()).select_from(Patient).where(*where)) or 0)
        # The lower bound on last_names is what makes SQLite walk the index in order and stop
        # after `limit` rows (without one it sorted the whole table first).
        page = [Patient.last_names >= (after.last_names if after else "")]
        if after is not None:
            page.append(
                tuple_(Patient.last_names, Patient.first_names, Patient.id)
                > tuple_(after.last_names, after.first_names, after.id)
            )
        rows = session.scalars(
            select(Patient)
            .where(*where, *page)
            .order_by(Patient.last_names, Patient.first_names, Patient.id)
            .limit(limit)
            .offset(offset)
        )
        return [to_dto(p) for p in rows], total
