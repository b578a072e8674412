"""A patient's consents: data processing and reminders by e-mail, SMS or WhatsApp, each
answer (given or withdrawn) kept with when and by whom it was recorded, newest first. The
patient's `reminder_consent` flag follows the latest answer for the reminder channel the
patient chose (`refresh_reminder_consent`, also called when the editor changes the channel),
so a channel without its consent on record sends nothing."""

from __future__ import annotations

import uuid

from sqlalchemy import select
from sqlalchemy.orm import Session

from clinic_desktop.actor import Actor
from clinic_desktop.db.uow import UnitOfWork
from clinic_desktop.errors import ValidationError
from clinic_desktop.events import PatientsChanged
from clinic_desktop.i18n import _
from clinic_desktop.models.patient import ConsentKind, Patient, PatientConsent
from clinic_desktop.models.permissions import Permission
from clinic_desktop.models.user import User
from clinic_desktop.services.access import require
from clinic_desktop.services.patient_records import (
    ConsentDTO,
    ensure_not_anonymised,
    live_patient,
)

_CHANNEL_CONSENT = {
    "email": ConsentKind.REMINDERS_EMAIL.value,
    "sms": ConsentKind.REMINDERS_SMS.value,
    "whatsapp": ConsentKind.REMINDERS_WHATSAPP.value,
}


def current_consents(session: Session, patient_id: uuid.UUID) -> dict[str, bool]:
    """The latest answer of each kind."""
    current: dict[str, bool] = {}
    for kind, granted in session.execute(
        select(PatientConsent.kind, PatientConsent.granted)
        .where(PatientConsent.patient_id == patient_id, PatientConsent.deleted_at.is_(None))
        .order_by(PatientConsent.created_at)
    ):
        current[kind] = granted
    return current


def refresh_reminder_consent(session: Session, patient: Patient) -> None:
    """Sets the patient's reminder flag from the latest answer for its reminder channel."""
    patient.reminder_consent = current_consents(session, patient.id).get(
        _CHANNEL_CONSENT.get(patient.reminder_channel, ""), False
    )


def record_consent(
    uow: UnitOfWork,
    *,
    actor: Actor,
    patient_id: uuid.UUID,
    kind: str,
    granted: bool,
    note: str = "",
) -> list[ConsentDTO]:
    """Adds the patient's answer (given or withdrawn); the history keeps every earlier one."""
    if kind not in {k.value for k in ConsentKind}:
        raise ValidationError(_("Consent: unknown kind."), field="kind")
    with uow.transaction(actor) as session:
        require(session, actor, Permission.PATIENTS_WRITE)
        patient = live_patient(session, patient_id)
        ensure_not_anonymised(patient)
        session.add(
            PatientConsent(
                patient_id=patient_id, kind=kind, granted=granted, note=" ".join(note.split())[:300]
            )
        )
        session.flush()
        refresh_reminder_consent(session, patient)
        uow.publish_after_commit(PatientsChanged(patient_id=str(patient_id)))
        return _consents(session, patient_id)


def list_consents(uow: UnitOfWork, *, actor: Actor, patient_id: uuid.UUID) -> list[ConsentDTO]:
    """Every answer recorded, newest first."""
    with uow.transaction(actor) as session:
        require(session, actor, Permission.PATIENTS_READ)
        live_patient(session, patient_id)
        return _consents(session, patient_id)


def _consents(session: Session, patient_id: uuid.UUID) -> list[ConsentDTO]:
    names = {uid: name for uid, name in session.execute(select(User.id, User.full_name))}
    rows = session.scalars(
        select(PatientConsent)
        .where(PatientConsent.patient_id == patient_id, PatientConsent.deleted_at.is_(None))
        .order_by(PatientConsent.created_at.desc())
    )
    return [
        ConsentDTO(
            kind=c.kind,
            granted=c.granted,
            recorded_at=c.created_at,
            recorded_by=names.get(c.created_by, _("system")) if c.created_by else _("system"),
            note=c.note,
        )
        for c in rows
    ]
