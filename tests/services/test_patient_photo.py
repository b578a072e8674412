"""The patient photo against a real demo clinic: reception (patients.write) sets, replaces and
removes it, the type is judged by content (PNG or JPEG only), a photo over 5 MB is refused,
roles without patients.read cannot see it, and removal moves it to the trash."""

from __future__ import annotations

import pytest
from sqlalchemy import select
from test_documents import pdf_bytes, png_bytes

from clinic_desktop.actor import Actor
from clinic_desktop.errors import PermissionDenied, ValidationError
from clinic_desktop.models.audit import AuditEntry
from clinic_desktop.models.document import PatientPhoto
from clinic_desktop.services.auth import sign_in
from clinic_desktop.services.demo import DEMO_PASSWORD
from clinic_desktop.services.patient_admin import list_patients
from clinic_desktop.services.patient_photo import (
    MAX_PHOTO_BYTES,
    get_patient_photo,
    remove_patient_photo,
    set_patient_photo,
)
from clinic_desktop.services.trash import restore_record

SYSTEM = Actor.system("tests")
JPEG = b"\xff\xd8\xff\xe0\x00\x10JFIF" + bytes(300)


def actor(demo, username: str) -> Actor:
    user = sign_in(demo.db.uow(), username=username, password=DEMO_PASSWORD)
    return Actor.for_user(user.id, user.username)


@pytest.fixture
def patient_id(demo):
    return list_patients(demo.db.uow(), actor=SYSTEM)[0][0].id


def photo_rows(demo) -> list[PatientPhoto]:
    with demo.db.uow().transaction(SYSTEM) as session:
        return list(session.scalars(select(PatientPhoto)))


def test_reception_sets_replaces_and_removes_the_photo(demo, patient_id) -> None:
    reception = actor(demo, "recepcion")
    uow = demo.db.uow
    assert get_patient_photo(uow(), actor=reception, patient_id=patient_id) is None
    set_patient_photo(uow(), actor=reception, patient_id=patient_id, data=png_bytes(1))
    assert get_patient_photo(uow(), actor=reception, patient_id=patient_id) == png_bytes(1)
    set_patient_photo(uow(), actor=reception, patient_id=patient_id, data=JPEG)
    assert get_patient_photo(uow(), actor=reception, patient_id=patient_id) == JPEG
    [row] = photo_rows(demo)
    assert row.mime_type == "image/jpeg"
    remove_patient_photo(uow(), actor=reception, patient_id=patient_id)
    assert get_patient_photo(uow(), actor=reception, patient_id=patient_id) is None
    [row] = photo_rows(demo)
    assert row.is_deleted and row.data == JPEG  # in the trash, not gone
    restore_record(uow(), actor=SYSTEM, entity="PatientPhoto", entity_id=str(row.id))
    assert get_patient_photo(uow(), actor=reception, patient_id=patient_id) == JPEG
    # A photo chosen after a removal reuses the patient's one row.
    remove_patient_photo(uow(), actor=reception, patient_id=patient_id)
    set_patient_photo(uow(), actor=reception, patient_id=patient_id, data=png_bytes(2))
    assert get_patient_photo(uow(), actor=reception, patient_id=patient_id) == png_bytes(2)
    assert len(photo_rows(demo)) == 1
    with demo.db.uow().transaction(SYSTEM) as session:
        actions = list(
            session.scalars(
                select(AuditEntry.action)
                .where(AuditEntry.entity == "PatientPhoto", AuditEntry.user_name == "recepcion")
                .order_by(AuditEntry.seq)
            )
        )
    assert actions == ["create", "update", "delete", "delete", "restore"]


@pytest.mark.parametrize(
    ("data", "text"),
    [
        (b"", "Photo: the file is empty."),
        (pdf_bytes(), "Photo: only PNG or JPEG pictures can be used (this one is a PDF document)."),
        (b"hello", "Photo: only PNG or JPEG pictures can be used (this one is a text file)."),
        (JPEG + bytes(MAX_PHOTO_BYTES), "Photo: it is 5.0 MB; the largest allowed is 5 MB."),
    ],
)
def test_bad_photos_are_refused_and_nothing_changes(demo, patient_id, data, text) -> None:
    reception = actor(demo, "recepcion")
    set_patient_photo(demo.db.uow(), actor=reception, patient_id=patient_id, data=png_bytes(3))
    with pytest.raises(ValidationError) as refused:
        set_patient_photo(demo.db.uow(), actor=reception, patient_id=patient_id, data=data)
    assert refused.value.message == text and refused.value.field == "photo"
    assert get_patient_photo(demo.db.uow(), actor=reception, patient_id=patient_id) == png_bytes(3)


def test_roles_without_patient_access_are_refused(demo, patient_id) -> None:
    support, assistant = actor(demo, "soporte"), actor(demo, "asistente")
    with pytest.raises(PermissionDenied):
        get_patient_photo(demo.db.uow(), actor=support, patient_id=patient_id)
    with pytest.raises(PermissionDenied):
        set_patient_photo(demo.db.uow(), actor=support, patient_id=patient_id, data=JPEG)
    assert get_patient_photo(demo.db.uow(), actor=assistant, patient_id=patient_id) is None
    assert photo_rows(demo) == []
