"""The trash: every soft-deleted record of any entity type, newest first, and restoring one.
Nothing is ever purged from here; clinical records must be kept for years by law. A record of
a patient's chart is titled by the patient's chart number and name, not by its clinical text
(the type column already says "Allergy" or "Clinical note"); a document keeps its description
or file name in front, since that is how one scan is told from another."""

from __future__ import annotations

import uuid

from sqlalchemy import select
from sqlalchemy.orm import Session

from clinic_desktop.actor import Actor
from clinic_desktop.db.uow import UnitOfWork
from clinic_desktop.errors import NotFound, ValidationError
from clinic_desktop.events import RecordRestored, UsersChanged
from clinic_desktop.i18n import _
from clinic_desktop.models.base import Entity
from clinic_desktop.models.document import DocumentContent, PatientDocument
from clinic_desktop.models.encounter import Encounter, EncounterAddendum
from clinic_desktop.models.patient import Patient
from clinic_desktop.models.permissions import Permission
from clinic_desktop.models.prescription import Prescription, PrescriptionItem
from clinic_desktop.models.user import User
from clinic_desktop.services.access import require
from clinic_desktop.services.dto import TrashItem


def _entity_types() -> dict[str, type[Entity]]:
    return {
        mapper.class_.__name__: mapper.class_
        for mapper in Entity.registry.mappers
        if issubclass(mapper.class_, Entity) and not mapper.class_.__dict__.get("__abstract__")
    }


def _owner(session: Session, record: Entity) -> Entity:
    """The record that carries the patient: itself, or the note, prescription or document a
    line, addendum or content belongs to."""
    parent: Entity | None = None
    if isinstance(record, EncounterAddendum):
        parent = session.get(Encounter, record.encounter_id)
    elif isinstance(record, PrescriptionItem):
        parent = session.get(Prescription, record.prescription_id)
    elif isinstance(record, DocumentContent):
        parent = session.get(PatientDocument, record.document_id)
    return parent or record


def _title(session: Session, record: Entity) -> str:
    owner = _owner(session, record)
    patient_id = getattr(owner, "patient_id", None)
    patient = session.get(Patient, patient_id) if isinstance(patient_id, uuid.UUID) else None
    if patient is not None:
        parts = [_("Chart {number}").format(number=patient.chart_number), patient.full_name]
        if isinstance(owner, PatientDocument):
            parts.insert(0, owner.description or owner.file_name)
        return " · ".join(parts)
    for attr in ("full_name", "name", "title", "key", "username", "path"):
        value = getattr(record, attr, None)
        if isinstance(value, str) and value:
            return value
    return str(record.id)


def list_trash(uow: UnitOfWork, *, actor: Actor) -> list[TrashItem]:
    with uow.transaction(actor) as session:
        require(session, actor, Permission.TRASH_RESTORE)
        names = {u.id: u.full_name for u in session.scalars(select(User))}
        items: list[TrashItem] = []
        for name, cls in _entity_types().items():
            for record in session.scalars(select(cls).where(cls.deleted_at.is_not(None))):
                assert record.deleted_at is not None
                items.append(
                    TrashItem(
                        entity=name,
                        entity_label=_(cls.__label__ or name),
                        entity_id=str(record.id),
                        title=_title(session, record),
                        deleted_at=record.deleted_at,
                        deleted_by=names.get(record.deleted_by, "") if record.deleted_by else "",
                    )
                )
    return sorted(items, key=lambda i: i.deleted_at, reverse=True)


def restore_record(uow: UnitOfWork, *, actor: Actor, entity: str, entity_id: str) -> None:
    cls = _entity_types().get(entity)
    if cls is None:
        raise ValidationError(
            _("Record type: {name} is unknown.").format(name=entity), field="entity"
        )
    with uow.transaction(actor) as session:
        require(session, actor, Permission.TRASH_RESTORE)
        record = session.get(cls, uuid.UUID(entity_id))
        if record is None or record.deleted_at is None:
            raise NotFound(_("That record is no longer in the trash."))
        if isinstance(record, User):
            clash = session.scalar(
                select(User.id).where(
                    User.username == record.username,
                    User.deleted_at.is_(None),
                    User.id != record.id,
                )
            )
            if clash is not None:
                raise ValidationError(
                    _("User name: {name} is taken by another account.").format(
                        name=record.username
                    ),
                    field="username",
                )
        record.restore()
    uow.bus.publish(RecordRestored(entity=entity, entity_id=entity_id))
    if entity == "User":
        uow.bus.publish(UsersChanged(user_id=entity_id))
