"""What every clinical-record service shares: loading the patient a record belongs to,
writing the audit entry that every opening of clinical content needs (data-protection law
asks who read what), telling the other screens and PCs that a chart changed, and the
display names of the users who wrote or signed something."""

from __future__ import annotations

import uuid
from collections.abc import Iterable

from sqlalchemy import select
from sqlalchemy.orm import Session

from clinic_desktop.actor import Actor
from clinic_desktop.db.audit_log import append_audit
from clinic_desktop.db.uow import UnitOfWork
from clinic_desktop.errors import NotFound
from clinic_desktop.events import ClinicalChanged
from clinic_desktop.i18n import _
from clinic_desktop.models.patient import Patient
from clinic_desktop.models.user import User


def load_patient(session: Session, patient_id: uuid.UUID) -> Patient:
    patient = session.get(Patient, patient_id)
    if patient is None or patient.is_deleted:
        raise NotFound(_("The patient no longer exists."))
    return patient


def audit_clinical_read(
    session: Session,
    actor: Actor,
    *,
    patient_id: uuid.UUID,
    what: str,
    entity: str = "Patient",
    entity_id: uuid.UUID | None = None,
) -> None:
    """One "read" entry: which patient, what was opened (a chart tab, a document, a print, an
    export) and, when it is one record, which."""
    append_audit(
        session,
        actor=actor,
        action="read",
        entity=entity,
        entity_id=str(entity_id or patient_id),
        changes={"patient_id": str(patient_id), "what": what},
    )


def announce(uow: UnitOfWork, patient_id: uuid.UUID, what: str) -> None:
    uow.publish_after_commit(ClinicalChanged(patient_id=str(patient_id), what=what))


def user_names(session: Session, ids: Iterable[uuid.UUID | None]) -> dict[uuid.UUID, str]:
    """Display names by user id, for "signed by" and "written by" lines."""
    wanted = {i for i in ids if i is not None}
    if not wanted:
        return {}
    rows = session.execute(select(User.id, User.full_name).where(User.id.in_(wanted)))
    return {row[0]: row[1] for row in rows}
