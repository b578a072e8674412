"""Corrections of clinical notes, which never rewrite a signed one: an addendum (text added
later, with who and when), an amended version (a new draft copying the note, naming it in
`amends_id` with the reason; once signed, the original shows as amended but stays readable),
and discarding a draft that was never signed. Re-exported by `services.encounters`."""

from __future__ import annotations

import uuid

from sqlalchemy.orm import Session

from clinic_desktop.actor import Actor
from clinic_desktop.db.uow import UnitOfWork
from clinic_desktop.errors import InvalidTransition
from clinic_desktop.i18n import _
from clinic_desktop.models.encounter import (
    CONTENT_FIELDS,
    Encounter,
    EncounterAddendum,
    EncounterStatus,
)
from clinic_desktop.models.permissions import Permission
from clinic_desktop.services.access import require
from clinic_desktop.services.clinical_common import announce
from clinic_desktop.services.encounter_dto import EncounterDTO
from clinic_desktop.services.encounter_load import (
    author_name,
    load_encounter,
    next_version,
    to_dto,
    version_chain,
)
from clinic_desktop.services.encounter_rules import (
    clean_addendum,
    clean_reason,
    require_author,
    signed_in_author,
)

# What an amended version copies from the note it corrects.
_COPIED = [*sorted(CONTENT_FIELDS - {"amends_id"}), "template_id"]


def _signed_note(
    session: Session, actor: Actor, encounter_id: uuid.UUID, refusal: str
) -> Encounter:
    """The note an addendum or a correction is for: it must be signed (a draft is edited)."""
    require(session, actor, Permission.CLINICAL_WRITE)
    encounter = load_encounter(session, encounter_id)
    if not encounter.is_signed:
        raise InvalidTransition(refusal)
    return encounter


def add_addendum(
    uow: UnitOfWork, *, actor: Actor, encounter_id: uuid.UUID, text: str
) -> EncounterDTO:
    """Adds text to a signed note; drafts are simply edited."""
    with uow.transaction(actor) as session:
        encounter = _signed_note(
            session,
            actor,
            encounter_id,
            _("Addenda are for signed notes; this one is a draft, so edit it instead."),
        )
        session.add(EncounterAddendum(encounter_id=encounter.id, text=clean_addendum(text)))
        session.flush()
        dto = to_dto(session, encounter)
        announce(uow, encounter.patient_id, "encounters")
    return dto


def amend_encounter(
    uow: UnitOfWork, *, actor: Actor, encounter_id: uuid.UUID, reason: str
) -> EncounterDTO:
    """A draft corrected version of a signed note (or the one already being drafted)."""
    with uow.transaction(actor) as session:
        original = _signed_note(
            session,
            actor,
            encounter_id,
            _("Only a signed note can be amended; this one is a draft, so edit it instead."),
        )
        reason = clean_reason(reason)
        chain = version_chain(session, original)
        pending = next_version(chain, original)
        if pending is not None and pending.is_signed:
            raise InvalidTransition(
                _(
                    "This note was already corrected by version {number}; amend that version "
                    "instead."
                ).format(number=chain.index(pending) + 1)
            )
        if pending is None:
            pending = Encounter(
                author_id=signed_in_author(actor),
                status=EncounterStatus.DRAFT.value,
                amends_id=original.id,
                amendment_reason=reason,
                **{key: getattr(original, key) for key in _COPIED},
            )
            session.add(pending)
            session.flush()
            announce(uow, original.patient_id, "encounters")
        dto = to_dto(session, pending)
    return dto


def discard_draft(uow: UnitOfWork, *, actor: Actor, encounter_id: uuid.UUID) -> None:
    """Moves a draft to the trash; signed notes are kept for good."""
    with uow.transaction(actor) as session:
        require(session, actor, Permission.CLINICAL_WRITE)
        encounter = load_encounter(session, encounter_id)
        if encounter.is_signed:
            raise InvalidTransition(
                _(
                    "A signed note cannot be discarded; correct it with an addendum or an "
                    "amended version."
                )
            )
        require_author(actor, encounter, author_name(session, encounter))
        encounter.soft_delete(by=actor.user_id)
        announce(uow, encounter.patient_id, "encounters")


__all__ = ["add_addendum", "amend_encounter", "discard_draft"]
