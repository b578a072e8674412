"""Who acts in the tests of the standing clinical record and of prescriptions, and the steps
those tests share: signing in a demo account, a patient of the test's own (so whatever the demo
data holds does not count), reading the record back, writing a history section, a bare
clinical note to tie things to, the audit trail's "read" entries, and catching the dialogs the
chart's widgets open instead of showing them."""

from __future__ import annotations

import json
import uuid
from datetime import UTC, date, datetime
from typing import Any

import pytest
from sqlalchemy import select

from clinic_desktop.actor import Actor
from clinic_desktop.models.audit import AuditEntry
from clinic_desktop.models.encounter import Encounter
from clinic_desktop.models.user import User
from clinic_desktop.services.auth import sign_in
from clinic_desktop.services.clinical_dto import ClinicalSummaryDTO, HistorySectionDTO
from clinic_desktop.services.clinical_history import get_clinical_summary, save_history_section
from clinic_desktop.services.demo import DEMO_PASSWORD
from clinic_desktop.services.patient_admin import PatientForm, create_patient
from clinic_desktop.services.startup import CreatedClinic

SYSTEM = Actor.system("tests")
TODAY = date(2026, 3, 10)


def actor(demo: CreatedClinic, username: str) -> Actor:
    user = sign_in(demo.db.uow(), username=username, password=DEMO_PASSWORD)
    return Actor.for_user(user.id, user.username)


def new_patient(
    demo: CreatedClinic, first: str = "Rosa Elena", last: str = "Quishpe Tapia", **fields: Any
) -> uuid.UUID:
    values: dict[str, Any] = {"sex": "F", "birth_date": date(1979, 4, 2), **fields}
    form = PatientForm(first_names=first, last_names=last, **values)
    return create_patient(demo.db.uow(), actor=SYSTEM, form=form).id


def summary(demo: CreatedClinic, patient_id: uuid.UUID, who: Actor = SYSTEM) -> ClinicalSummaryDTO:
    return get_clinical_summary(demo.db.uow(), actor=who, patient_id=patient_id)


def write_history(
    demo: CreatedClinic,
    who: Actor,
    patient_id: uuid.UUID,
    section: str,
    text: str,
    expected_version: int | None = None,
) -> HistorySectionDTO:
    return save_history_section(
        demo.db.uow(),
        actor=who,
        patient_id=patient_id,
        section=section,
        text=text,
        expected_version=expected_version,
    )


def new_note(demo: CreatedClinic, patient_id: uuid.UUID, author: str = "medico") -> uuid.UUID:
    """A bare draft note of the patient, written straight into the models."""
    with demo.db.uow().transaction(SYSTEM) as session:
        author_id = session.scalar(select(User.id).where(User.username == author))
        note = Encounter(patient_id=patient_id, author_id=author_id, occurred_at=datetime.now(UTC))
        session.add(note)
        session.flush()
        return note.id


def read_entries(demo: CreatedClinic) -> list[dict[str, str]]:
    """The audit trail's "read" entries, oldest first: what was recorded, plus the entity
    and who read it."""
    with demo.db.uow().transaction(SYSTEM) as session:
        rows = session.scalars(
            select(AuditEntry).where(AuditEntry.action == "read").order_by(AuditEntry.seq)
        )
        return [
            {
                **json.loads(r.changes),
                "entity": r.entity,
                "entity_id": r.entity_id,
                "user": r.user_name,
            }
            for r in rows
        ]


def reads(demo: CreatedClinic, patient_id: uuid.UUID, what: str) -> list[dict[str, str]]:
    """The "read" entries of one patient's `what` ("summary", "allergy alert", ...)."""
    return [
        e
        for e in read_entries(demo)
        if e.get("patient_id") == str(patient_id) and e.get("what") == what
    ]


def capture_dialogs(monkeypatch: pytest.MonkeyPatch) -> list[Any]:
    """Collects the dialogs the chart's widgets open, instead of showing them."""
    from clinic_desktop.ui.chart import clinical_dialog_kit as kit

    dialogs: list[Any] = []
    monkeypatch.setattr(kit, "open_dialog", dialogs.append)
    return dialogs
