"""What every clinical-record service shares: loading the patient a record belongs to (and a
live row of that record, refused once it or its patient was deleted), writing the audit entry
that every opening of clinical content needs (data-protection law asks who read what), telling
the other screens and PCs that a chart changed, and the display names of the users who wrote or
signed something."""

from __future__ import annotations

import uuid
from collections.abc import Iterable, Mapping
from typing import Protocol, TypeVar

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


def load_patient(session: Session, patient_id: uuid.UUID, *, writing: bool = False) -> Patient:
    """The live patient; `writing` also refuses an anonymised one, whose record is kept after
    the retention period but never added to."""
    patient = session.get(Patient, patient_id)
    if patient is None or patient.is_deleted:
        raise NotFound(_("The patient no longer exists."))
    if writing:
        from clinic_desktop.services.patient_admin import ensure_not_anonymised

        ensure_not_anonymised(patient)
    return patient


class _OfPatient(Protocol):
    """A row of one patient's record: an allergy, a prescription, a document..."""

    @property
    def patient_id(self) -> uuid.UUID: ...

    @property
    def is_deleted(self) -> bool: ...


_Record = TypeVar("_Record", bound=_OfPatient)


def load_record(
    session: Session, model: type[_Record], record_id: uuid.UUID, *, missing: str
) -> _Record:
    """A live row of a live patient's record; `missing` is the NotFound message otherwise
    (a row of a deleted patient is as gone as a deleted row)."""
    row = session.get(model, record_id)
    if row is None or row.is_deleted:
        raise NotFound(missing)
    load_patient(session, row.patient_id)
    return row


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


def name_of(names: Mapping[uuid.UUID, str], user_id: uuid.UUID | None) -> str:
    """The display name `user_names` found for `user_id`; "" for nobody."""
    return names.get(user_id, "") if user_id else ""
