"""Clinical notes (encounters) in SOAP form: a chart's list of notes, one note with everything
around it, starting a draft (blank, from a template, or from an appointment: "Start
consultation" in the agenda opens the appointment's note or starts it), saving a draft with
its vital signs, and signing it. Once signed a note never changes; its corrections (addenda,
amended versions) and discarding drafts live in `encounter_corrections` and are re-exported
here, so callers import every note service from this module."""

from __future__ import annotations

import uuid
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from clinic_desktop.actor import Actor
from clinic_desktop.db.uow import UnitOfWork
from clinic_desktop.errors import InvalidTransition, NotFound, ValidationError
from clinic_desktop.i18n import _
from clinic_desktop.models.appointment import Appointment, AppointmentStatus
from clinic_desktop.models.base import utcnow
from clinic_desktop.models.encounter import SOAP_FIELDS, Encounter, EncounterStatus, fill_prompts
from clinic_desktop.models.permissions import Permission
from clinic_desktop.services.access import require
from clinic_desktop.services.clinical_common import announce, audit_clinical_read, load_patient
from clinic_desktop.services.concurrency import check_version
from clinic_desktop.services.encounter_corrections import (
    add_addendum,
    amend_encounter,
    discard_draft,
)
from clinic_desktop.services.encounter_dto import EncounterDTO, EncounterForm, EncounterRowDTO
from clinic_desktop.services.encounter_load import (
    author_name,
    encounter_rows,
    load_encounter,
    to_dto,
)
from clinic_desktop.services.encounter_rules import (
    ImplausibleVitals,
    check_ready_to_sign,
    checked_vitals,
    clean_text,
    refuse_if_signed,
    require_author,
    signed_in_author,
)
from clinic_desktop.services.note_templates import usable_template

__all__ = [
    "EncounterDTO",
    "EncounterForm",
    "EncounterRowDTO",
    "ImplausibleVitals",
    "add_addendum",
    "amend_encounter",
    "discard_draft",
    "get_encounter",
    "list_encounters",
    "open_appointment_note",
    "save_encounter",
    "sign_encounter",
    "start_encounter",
]


def list_encounters(
    uow: UnitOfWork, *, actor: Actor, patient_id: uuid.UUID
) -> list[EncounterRowDTO]:
    """The chart's notes, newest first (drafts, signed notes and superseded originals)."""
    with uow.transaction(actor) as session:
        require(session, actor, Permission.CLINICAL_READ)
        load_patient(session, patient_id)
        rows = encounter_rows(session, patient_id)
        audit_clinical_read(session, actor, patient_id=patient_id, what="notes")
    return rows


def get_encounter(uow: UnitOfWork, *, actor: Actor, encounter_id: uuid.UUID) -> EncounterDTO:
    with uow.transaction(actor) as session:
        require(session, actor, Permission.CLINICAL_READ)
        encounter = load_encounter(session, encounter_id)
        dto = to_dto(session, encounter)
        _audit_note_read(session, actor, encounter)
    return dto


def _audit_note_read(session: Session, actor: Actor, encounter: Encounter) -> None:
    audit_clinical_read(
        session,
        actor,
        patient_id=encounter.patient_id,
        what="note",
        entity="Encounter",
        entity_id=encounter.id,
    )


def _appointment_of(
    session: Session, appointment_id: uuid.UUID, patient_id: uuid.UUID | None
) -> Appointment:
    appointment = session.get(Appointment, appointment_id)
    if appointment is None or appointment.is_deleted:
        raise NotFound(_("The appointment no longer exists."))
    if patient_id is not None and appointment.patient_id != patient_id:
        raise ValidationError(
            _("Appointment: it belongs to another patient."), field="appointment_id"
        )
    if appointment.status == AppointmentStatus.CANCELLED:
        raise InvalidTransition(
            _("This appointment was cancelled; start a note without an appointment instead.")
        )
    return appointment


def _new_draft(
    session: Session,
    actor: Actor,
    *,
    patient_id: uuid.UUID,
    appointment: Appointment | None,
    template_id: uuid.UUID | None,
    answers: dict[str, str] | None,
    now: datetime | None,
) -> Encounter:
    encounter = Encounter(
        patient_id=patient_id,
        appointment_id=appointment.id if appointment else None,
        author_id=signed_in_author(actor),
        occurred_at=appointment.start_at if appointment else (now or utcnow()),
        status=EncounterStatus.DRAFT.value,
    )
    if template_id is not None:
        template = usable_template(session, actor, template_id)
        encounter.template_id = template.id
        # An answer may make a field too long; the editor must be able to save what it shows.
        for key in SOAP_FIELDS:
            filled = fill_prompts(str(getattr(template, key)), answers or {})
            setattr(encounter, key, clean_text(key, filled))
    session.add(encounter)
    session.flush()
    return encounter


def start_encounter(
    uow: UnitOfWork,
    *,
    actor: Actor,
    patient_id: uuid.UUID,
    appointment_id: uuid.UUID | None = None,
    template_id: uuid.UUID | None = None,
    answers: dict[str, str] | None = None,
    now: datetime | None = None,
) -> EncounterDTO:
    """A new draft by the actor, dated at the appointment's start (or now), pre-filled from a
    template with the given answers (unanswered prompts stay as [[...]] to complete)."""
    with uow.transaction(actor) as session:
        require(session, actor, Permission.CLINICAL_WRITE)
        load_patient(session, patient_id, writing=True)
        appointment = (
            _appointment_of(session, appointment_id, patient_id) if appointment_id else None
        )
        encounter = _new_draft(
            session,
            actor,
            patient_id=patient_id,
            appointment=appointment,
            template_id=template_id,
            answers=answers,
            now=now,
        )
        dto = to_dto(session, encounter)
        announce(uow, patient_id, "encounters")
    return dto


def _current_note(session: Session, appointment_id: uuid.UUID) -> Encounter | None:
    """The appointment's latest live note, following corrections to the newest version."""
    notes = list(
        session.scalars(
            select(Encounter).where(
                Encounter.appointment_id == appointment_id, Encounter.deleted_at.is_(None)
            )
        )
    )
    corrected = {n.amends_id for n in notes if n.amends_id is not None}
    tips = [n for n in notes if n.id not in corrected]
    return max(tips, key=lambda n: n.created_at, default=None)


def open_appointment_note(
    uow: UnitOfWork, *, actor: Actor, appointment_id: uuid.UUID, now: datetime | None = None
) -> EncounterDTO:
    """What "Start consultation" opens: the appointment's current note, or a new draft
    linked to it. Opening again gives the same note."""
    with uow.transaction(actor) as session:
        require(session, actor, Permission.CLINICAL_READ)
        current = _current_note(session, appointment_id)
        if current is not None:
            load_patient(session, current.patient_id)
            _audit_note_read(session, actor, current)
            return to_dto(session, current)
        require(session, actor, Permission.CLINICAL_WRITE)
        appointment = _appointment_of(session, appointment_id, None)
        load_patient(session, appointment.patient_id, writing=True)
        encounter = _new_draft(
            session,
            actor,
            patient_id=appointment.patient_id,
            appointment=appointment,
            template_id=None,
            answers=None,
            now=now,
        )
        dto = to_dto(session, encounter)
        announce(uow, appointment.patient_id, "encounters")
    return dto


def save_encounter(
    uow: UnitOfWork,
    *,
    actor: Actor,
    encounter_id: uuid.UUID,
    expected_version: int,
    form: EncounterForm,
    confirm_implausible: bool = False,
) -> EncounterDTO:
    """Stores a draft's text and vital signs. Values outside what can be measured are refused;
    unusual ones raise ImplausibleVitals unless `confirm_implausible`; nothing is saved then."""
    with uow.transaction(actor) as session:
        require(session, actor, Permission.CLINICAL_WRITE)
        encounter = load_encounter(session, encounter_id)
        refuse_if_signed(encounter)
        require_author(actor, encounter, author_name(session, encounter))
        check_version(session, encounter, expected_version)
        texts = {key: clean_text(key, value) for key, value in form.texts().items()}
        vitals = checked_vitals(form.vitals(), confirm_implausible=confirm_implausible)
        if form.occurred_at is not None:
            if form.occurred_at.tzinfo is None:
                raise ValidationError(_("Date: give a date and time."), field="occurred_at")
            encounter.occurred_at = form.occurred_at
        for key, text in texts.items():
            setattr(encounter, key, text)
        for key, number in vitals.items():
            # Compare by value: "36.80" typed again must not count as a change.
            if getattr(encounter, key) != number:
                setattr(encounter, key, number)
        session.flush()
        dto = to_dto(session, encounter)
        announce(uow, encounter.patient_id, "encounters")
    return dto


def sign_encounter(
    uow: UnitOfWork,
    *,
    actor: Actor,
    encounter_id: uuid.UUID,
    expected_version: int,
    now: datetime | None = None,
) -> EncounterDTO:
    """Signs a saved draft: from now on it is read-only. Signing a corrected version makes
    the note it corrects "amended" (still readable, with who signed it and when)."""
    with uow.transaction(actor) as session:
        require(session, actor, Permission.CLINICAL_SIGN)
        encounter = load_encounter(session, encounter_id)
        if encounter.is_signed:
            raise InvalidTransition(_("This note is already signed."))
        require_author(actor, encounter, author_name(session, encounter))
        check_version(session, encounter, expected_version)
        check_ready_to_sign(encounter)
        encounter.status = EncounterStatus.SIGNED.value
        encounter.signed_at = now or utcnow()
        encounter.signed_by = actor.user_id
        session.flush()
        dto = to_dto(session, encounter)
        announce(uow, encounter.patient_id, "encounters")
    return dto
