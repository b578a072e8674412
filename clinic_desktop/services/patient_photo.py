"""The patient's photo, shown in the patient editor so reception recognises who is at the desk.
It is part of the demographics (patients.read to see it, patients.write to change it), kept in
the encrypted database like the documents, judged PNG or JPEG by its first bytes, and never
more than a few megabytes. There is one photo per patient: choosing another replaces it (the
audit trail keeps who did and the checksum of each), and removing it moves it to the trash.
Anonymising the patient wipes the photo's bytes; an anonymised patient gets no new photo."""

from __future__ import annotations

import uuid

from sqlalchemy import select
from sqlalchemy.orm import Session

from clinic_desktop.actor import Actor
from clinic_desktop.db.uow import UnitOfWork
from clinic_desktop.errors import ValidationError
from clinic_desktop.i18n import _
from clinic_desktop.models.document import PatientPhoto
from clinic_desktop.models.permissions import Permission
from clinic_desktop.services.access import require
from clinic_desktop.services.clinical_common import announce, load_patient
from clinic_desktop.services.documents import (
    PICTURE_TYPES,
    describe_kind,
    megabytes,
    sha256_of,
    sniff_type,
)
from clinic_desktop.services.patient_admin import ensure_not_anonymised

MAX_PHOTO_BYTES = 5 * 1024 * 1024


def _row(session: Session, patient_id: uuid.UUID) -> PatientPhoto | None:
    # At most one row per patient (unique), live or in the trash.
    return session.scalar(select(PatientPhoto).where(PatientPhoto.patient_id == patient_id))


def _check(data: bytes) -> str:
    if not data:
        raise ValidationError(_("Photo: the file is empty."), field="photo")
    if len(data) > MAX_PHOTO_BYTES:
        raise ValidationError(
            _("Photo: it is {size} MB; the largest allowed is {limit} MB.").format(
                size=megabytes(len(data)), limit=MAX_PHOTO_BYTES // (1024 * 1024)
            ),
            field="photo",
        )
    mime = sniff_type(data)
    if mime not in PICTURE_TYPES:
        kind = _("a PDF document") if mime == "application/pdf" else describe_kind(data)
        raise ValidationError(
            _("Photo: only PNG or JPEG pictures can be used (this one is {kind}).").format(
                kind=kind
            ),
            field="photo",
        )
    return mime


def set_patient_photo(uow: UnitOfWork, *, actor: Actor, patient_id: uuid.UUID, data: bytes) -> None:
    with uow.transaction(actor) as session:
        require(session, actor, Permission.PATIENTS_WRITE)
        ensure_not_anonymised(load_patient(session, patient_id))
        mime = _check(data)
        photo, digest = _row(session, patient_id), sha256_of(data)
        if photo is not None and not photo.is_deleted and photo.sha256 == digest:
            return
        if photo is None:
            photo = PatientPhoto(patient_id=patient_id)
            session.add(photo)
        elif photo.is_deleted:
            photo.restore()
        photo.mime_type = mime
        photo.sha256 = digest
        photo.data = data
        session.flush()
        announce(uow, patient_id, "photo")


def get_patient_photo(uow: UnitOfWork, *, actor: Actor, patient_id: uuid.UUID) -> bytes | None:
    with uow.transaction(actor) as session:
        require(session, actor, Permission.PATIENTS_READ)
        load_patient(session, patient_id)
        data = session.scalar(
            select(PatientPhoto.data).where(
                PatientPhoto.patient_id == patient_id, PatientPhoto.deleted_at.is_(None)
            )
        )
        return data or None  # a photo wiped by anonymisation and restored from the trash


def remove_patient_photo(uow: UnitOfWork, *, actor: Actor, patient_id: uuid.UUID) -> None:
    """Moves the photo to the trash; removing a photo that is not there changes nothing."""
    with uow.transaction(actor) as session:
        require(session, actor, Permission.PATIENTS_WRITE)
        ensure_not_anonymised(load_patient(session, patient_id))
        photo = _row(session, patient_id)
        if photo is None or photo.is_deleted:
            return
        photo.soft_delete(by=actor.user_id)
        session.flush()
        announce(uow, patient_id, "photo")
